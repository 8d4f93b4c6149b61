//! Watching `getchaintips` for branches the node abandoned: a new
//! `valid-fork` tip means the node reorganised away from a chain it had
//! fully validated, which operators want in the consensus log.

use super::rpc_types::ChainTip;
use std::collections::BTreeSet;

#[derive(Debug, Default)]
pub struct TipWatch {
    known: BTreeSet<String>,
    primed: bool,
}

impl TipWatch {
    /// The valid-fork tips not seen before. The first call only learns
    /// what is there, so a restart of the agent does not repeat old forks.
    pub fn new_forks(&mut self, tips: &[ChainTip]) -> Vec<ChainTip> {
        let forks: Vec<&ChainTip> = tips.iter().filter(|t| t.status == "valid-fork").collect();
        let fresh: Vec<ChainTip> = forks
            .iter()
            .filter(|t| self.primed && !self.known.contains(&t.hash))
            .map(|t| (*t).clone())
            .collect();
        self.known = forks.iter().map(|t| t.hash.clone()).collect();
        self.primed = true;
        fresh
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tip(hash: &str, status: &str) -> ChainTip {
        ChainTip {
            height: 9,
            hash: hash.into(),
            branchlen: 2,
            status: status.into(),
        }
    }

    #[test]
    fn only_new_valid_forks_are_reported_after_the_first_look() {
        let mut w = TipWatch::default();
        assert!(
            w.new_forks(&[tip("a", "active"), tip("old", "valid-fork")])
                .is_empty()
        );
        let got = w.new_forks(&[
            tip("a", "active"),
            tip("old", "valid-fork"),
            tip("new", "valid-fork"),
            tip("h", "headers-only"),
        ]);
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].hash, "new");
        assert!(w.new_forks(&[tip("new", "valid-fork")]).is_empty());
    }
}
