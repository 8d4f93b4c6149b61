//! `/consensus_state`: the round in progress, as "height/round/step", and
//! the proposer of that round.

use super::rpc::text;
use serde_json::Value;

#[derive(Debug, Clone, PartialEq)]
pub struct RoundState {
    pub height: u64,
    pub round: u64,
    pub step: u64,
    pub proposer: String,
}

pub fn parse(r: &Value) -> Option<RoundState> {
    let rs = r.get("round_state")?;
    let hrs = text(rs, "height/round/step");
    let mut parts = hrs.split('/').map(|p| p.parse::<u64>().ok());
    let (height, round, step) = (parts.next()??, parts.next()??, parts.next()??);
    let proposer = rs
        .get("proposer")
        .map(|p| text(p, "address"))
        .unwrap_or_default();
    Some(RoundState {
        height,
        round,
        step,
        proposer,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn height_round_step_and_proposer() {
        let r = json!({"round_state": {"height/round/step": "1262197/2/3",
            "start_time": "2024-05-02T10:00:02.5Z",
            "proposal_block_hash": "", "locked_block_hash": "", "valid_block_hash": "",
            "height_vote_set": [], "proposer": {"address": "5D6A51A8E9899C44079C6AF90618BA0369070E6E", "index": "0"}}});
        let s = parse(&r).unwrap();
        assert_eq!((s.height, s.round, s.step), (1_262_197, 2, 3));
        assert_eq!(s.proposer, "5D6A51A8E9899C44079C6AF90618BA0369070E6E");
        assert_eq!(
            parse(&json!({"round_state": {"height/round/step": "x"}})),
            None
        );
    }
}
