//! The two request patterns: a GET of one fixed object, and GETBULK walks
//! of a subtree that restart when they leave it.

use crate::ber::{EncodedOid, decode_arcs, tag};
use crate::engine::{Outcome, Workload};
use crate::message::{Received, encode_get, encode_get_bulk};

/// GetRequest for one object. A response counts as valid only when it is
/// error-free and carries that object with a value, so an agent answering
/// noSuchObject quickly does not score as serving it.
pub struct Get {
    community: Vec<u8>,
    oid: EncodedOid,
}

impl Get {
    pub fn new(community: &[u8], oid: EncodedOid) -> Self {
        Self {
            community: community.to_vec(),
            oid,
        }
    }
}

impl Workload for Get {
    fn encode(&self, _slot: usize, request_id: i32, out: &mut Vec<u8>) {
        encode_get(out, &self.community, request_id, self.oid.content());
    }

    fn on_response(&mut self, _slot: usize, response: &Received<'_>) -> Outcome {
        if response.error_status != 0 || response.community != self.community {
            return Outcome::Invalid;
        }
        let mut varbinds = response.varbinds();
        match (varbinds.next(), varbinds.next()) {
            (Some(Ok(varbind)), None)
                if varbind.name == self.oid.content() && !varbind.is_exception() =>
            {
                Outcome::Valid {
                    varbinds: 1,
                    walks_completed: 0,
                }
            }
            _ => Outcome::Invalid,
        }
    }
}

/// GETBULK walks of `subtree`, one independent walk per slot. A walk ends
/// at the first varbind outside the subtree or at endOfMibView and starts
/// again from the subtree's root; a response that does not move the walk
/// forward is an error and also restarts it, so a looping agent cannot
/// inflate the count.
pub struct Walk {
    community: Vec<u8>,
    subtree: EncodedOid,
    max_repetitions: u32,
    /// Per slot: the OID content the next GetBulk asks to continue from.
    positions: Vec<Vec<u8>>,
}

impl Walk {
    pub fn new(community: &[u8], subtree: EncodedOid, max_repetitions: u32, slots: usize) -> Self {
        let positions = vec![subtree.content().to_vec(); slots];
        Self {
            community: community.to_vec(),
            subtree,
            max_repetitions,
            positions,
        }
    }

    fn restart(&mut self, slot: usize) {
        if let Some(position) = self.positions.get_mut(slot) {
            position.clear();
            position.extend_from_slice(self.subtree.content());
        }
    }

    fn invalid(&mut self, slot: usize) -> Outcome {
        self.restart(slot);
        Outcome::Invalid
    }
}

/// Whether `next` follows `previous` in OID order; malformed content never
/// does.
fn follows(previous: &[u8], next: &[u8]) -> bool {
    match (decode_arcs(previous), decode_arcs(next)) {
        (Ok(previous), Ok(next)) => next > previous,
        _ => false,
    }
}

impl Workload for Walk {
    fn encode(&self, slot: usize, request_id: i32, out: &mut Vec<u8>) {
        let position = self
            .positions
            .get(slot)
            .map_or(self.subtree.content(), Vec::as_slice);
        encode_get_bulk(
            out,
            &self.community,
            request_id,
            self.max_repetitions,
            position,
        );
    }

    fn on_response(&mut self, slot: usize, response: &Received<'_>) -> Outcome {
        if response.error_status != 0 || response.community != self.community {
            return self.invalid(slot);
        }
        let mut inside = 0u64;
        let mut last = None;
        let mut finished = false;
        for varbind in response.varbinds() {
            let Ok(varbind) = varbind else {
                return self.invalid(slot);
            };
            if varbind.value_tag == tag::END_OF_MIB_VIEW || !self.subtree.contains(varbind.name) {
                finished = true;
                break;
            }
            inside += 1;
            last = Some(varbind.name);
        }
        if finished {
            self.restart(slot);
        } else {
            let Some(last) = last else {
                return self.invalid(slot);
            };
            let Some(position) = self.positions.get_mut(slot) else {
                return Outcome::Invalid;
            };
            if !follows(position, last) {
                return self.invalid(slot);
            }
            position.clear();
            position.extend_from_slice(last);
        }
        Outcome::Valid {
            varbinds: inside,
            walks_completed: u64::from(finished),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{decode, integer, oid, response, response_for, ticks};
    use rasn_snmp::v2::{Pdus, VarBindValue};

    const SYS_UPTIME: &[u32] = &[1, 3, 6, 1, 2, 1, 1, 3, 0];
    const TABLE: &[u32] = &[1, 3, 6, 1, 4, 1, 32473, 1, 6, 2];

    fn row(column: u32, index: u32) -> Vec<u32> {
        TABLE.iter().copied().chain([1, column, index]).collect()
    }

    fn score(workload: &mut impl Workload, bytes: &[u8]) -> Outcome {
        workload.on_response(0, &Received::parse(bytes).unwrap())
    }

    /// The OID the workload's next request for slot 0 asks about.
    fn next_request_name(workload: &impl Workload) -> Vec<u32> {
        let mut out = Vec::new();
        workload.encode(0, 1, &mut out);
        match decode(&out).data {
            Pdus::GetRequest(pdu) => pdu.0.variable_bindings[0].name.to_vec(),
            Pdus::GetBulkRequest(pdu) => pdu.0.variable_bindings[0].name.to_vec(),
            other => panic!("unexpected request {other:?}"),
        }
    }

    const ONE_VALID: Outcome = Outcome::Valid {
        varbinds: 1,
        walks_completed: 0,
    };

    #[test]
    fn get_accepts_only_the_object_it_asked_for() {
        let mut get = Get::new(b"public", EncodedOid::from_arcs(SYS_UPTIME).unwrap());
        assert_eq!(next_request_name(&get), SYS_UPTIME);
        let good = response(1, 0, &[(SYS_UPTIME, ticks(7))]);
        assert_eq!(score(&mut get, &good), ONE_VALID);

        let missing = response(1, 0, &[(SYS_UPTIME, VarBindValue::NoSuchObject)]);
        let error = response(1, 5, &[(SYS_UPTIME, ticks(7))]);
        let other: &[u32] = &[1, 3, 6, 1, 2, 1, 1, 5, 0];
        let wrong_name = response(1, 0, &[(other, ticks(7))]);
        let two = response(1, 0, &[(SYS_UPTIME, ticks(7)), (SYS_UPTIME, ticks(8))]);
        let none = response(1, 0, &[]);
        let other_community = response_for("private", 1, 0, &[(SYS_UPTIME, ticks(7))]);
        for bad in [missing, error, wrong_name, two, none, other_community] {
            assert_eq!(score(&mut get, &bad), Outcome::Invalid);
        }
    }

    fn walk() -> Walk {
        Walk::new(b"public", EncodedOid::from_arcs(TABLE).unwrap(), 3, 1)
    }

    #[test]
    fn walk_continues_from_the_last_name() {
        let mut walk = walk();
        assert_eq!(next_request_name(&walk), TABLE);
        let page = response(
            1,
            0,
            &[
                (&row(2, 1), integer(1)),
                (&row(2, 2), integer(2)),
                (&row(2, 3), integer(3)),
            ],
        );
        let three = Outcome::Valid {
            varbinds: 3,
            walks_completed: 0,
        };
        assert_eq!(score(&mut walk, &page), three);
        assert_eq!(next_request_name(&walk), row(2, 3));
    }

    #[test]
    fn walk_ends_outside_the_subtree_or_at_end_of_mib_view() {
        let after_table: &[u32] = &[1, 3, 6, 1, 4, 1, 32473, 1, 6, 3, 1];
        let ends = [
            response(1, 0, &[(&row(3, 9), integer(1)), (after_table, integer(2))]),
            response(
                1,
                0,
                &[
                    (&row(3, 9), integer(1)),
                    (&row(3, 10), VarBindValue::EndOfMibView),
                ],
            ),
        ];
        for end in ends {
            let mut walk = walk();
            let first = response(1, 0, &[(&row(3, 8), integer(0))]);
            assert_eq!(score(&mut walk, &first), ONE_VALID);
            let finished = Outcome::Valid {
                varbinds: 1,
                walks_completed: 1,
            };
            assert_eq!(score(&mut walk, &end), finished);
            assert_eq!(next_request_name(&walk), TABLE, "restarts at the root");
        }
    }

    #[test]
    fn walk_restarts_on_responses_that_do_not_advance() {
        let stuck = response(1, 0, &[(&row(2, 5), integer(1))]);
        let backwards = response(1, 0, &[(&row(2, 4), integer(1))]);
        let failed = response(1, 5, &[(&row(2, 6), integer(1))]);
        let empty = response(1, 0, &[]);
        for bad in [stuck, backwards, failed, empty] {
            let mut walk = walk();
            let first = response(1, 0, &[(&row(2, 5), integer(0))]);
            assert_eq!(score(&mut walk, &first), ONE_VALID);
            assert_eq!(score(&mut walk, &bad), Outcome::Invalid);
            assert_eq!(next_request_name(&walk), TABLE);
        }
        assert_eq!(oid(TABLE).len(), TABLE.len());
    }
}
