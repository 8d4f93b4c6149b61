//! What a SET of a writable column does, declared with the column: the
//! configuration leaf it edits (a path from the configuration's root, the
//! row's INDEX values standing for the map keys), the values it takes as
//! far as the MIB's syntax says, and the few ways a value can mean
//! "remove the setting". SNMP turns a SET into an edit from this alone;
//! tests/yang_model_map.rs checks that the path is the YANG leaf the map
//! names for the column.
//!
//! Why a path of steps and not `config::ConfigPath`: the map sits below
//! the configuration's floor. The steps are names and key positions;
//! `ConfigPath::of` makes the typed path of them (which names are map
//! keys is the configuration's table, not the map's).

use super::Datum;

/// One step of the configuration path a writable column edits.
#[derive(Debug, Clone, Copy)]
pub enum Step {
    /// A section, map or leaf, named as the configuration file names it.
    Name(&'static str),
    /// The row's n-th INDEX value, as text.
    Key(usize),
    /// The row's n-th INDEX value, an enumeration's number, as its YANG
    /// name (the log family `consensus`).
    EnumKey(usize, fn(i32) -> Option<Datum<'static>>),
}

/// The values a SET takes and how the configuration holds them.
#[derive(Debug, Clone, Copy)]
pub enum Input {
    /// An enumerated INTEGER: a number the MIB defines, written as its
    /// YANG enum name.
    Enum(fn(i32) -> Option<Datum<'static>>),
    /// BcmAdminString: UTF-8 text of at most 255 octets.
    Text,
    /// An Unsigned32, written as an integer. Ranges only the
    /// configuration knows are left to its validation at commit.
    Unsigned,
    /// An Unsigned32 within the range the row's n-th INDEX value (a
    /// name) allows, written as an integer.
    UnsignedByKey(usize, fn(&str) -> (u64, u64)),
    /// An Unsigned32 of whole units the configuration holds as a
    /// floating-point number.
    UnsignedAsFloat,
    /// BcmPercentHundredths (0..10000), written as the percentage.
    PercentHundredths,
}

/// Which value, if any, removes the configured leaf instead of setting
/// it, so that the value from elsewhere (the node's own, the global
/// threshold) applies again. Removing a leaf that is not configured
/// changes nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Clear {
    /// Every value is written.
    Never,
    /// A zero-length text removes the leaf.
    Empty,
    /// Zero removes the leaf.
    Zero,
}

/// Where a SET goes.
#[derive(Debug, Clone, Copy)]
pub enum Target {
    /// The configuration leaf at `path`. Its first `within` steps must
    /// name what the running configuration holds: a SET edits a
    /// configured chain or channel, it never creates one.
    Config {
        path: &'static [Step],
        within: usize,
        clear: Clear,
    },
    /// Acknowledge or un-acknowledge the alarm the row's first INDEX
    /// value names: an operation the alarm manager keeps, not
    /// configuration (YANG's `set-operator-state` action). The input's
    /// number `acknowledged` acknowledges, its others un-acknowledge.
    AckAlarm { acknowledged: i32 },
    /// The row's RowStatus (RFC 2579): `createAndGo` creates the
    /// configuration entry at `entry` (its first `within` steps must be
    /// configured), `destroy` removes it, `active` keeps an existing row.
    /// The row's read-create columns set in the same SET fill the entry.
    Row {
        entry: &'static [Step],
        within: usize,
    },
}

/// The declaration of a writable column's SET.
#[derive(Debug, Clone, Copy)]
pub struct Write {
    pub target: Target,
    pub input: Input,
    /// A TruthValue column of the same row that must be true(1) for the
    /// row to take a SET (a consensus parameter the platform can set).
    pub only_if: Option<u32>,
}

/// A SET of the configuration leaf at `path` (see [`Target::Config`]).
pub const fn config(path: &'static [Step], within: usize, input: Input) -> Write {
    Write {
        target: Target::Config {
            path,
            within,
            clear: Clear::Never,
        },
        input,
        only_if: None,
    }
}

impl Write {
    /// The same SET, with a value that removes the leaf.
    pub const fn clear(self, clear: Clear) -> Write {
        let target = match self.target {
            Target::Config { path, within, .. } => Target::Config {
                path,
                within,
                clear,
            },
            t => t,
        };
        Write { target, ..self }
    }

    /// The same SET, taken only by rows whose TruthValue `column` is true.
    pub const fn only_if(self, column: u32) -> Write {
        Write {
            only_if: Some(column),
            ..self
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Access, Scale, Syntax, scalar_groups, tables};
    use super::*;

    /// Each writable column declares its SET and no other does; the
    /// input is one the column's syntax and scale carry; the path's keys
    /// are the row's INDEX values and it goes below what must exist.
    #[test]
    fn writes_agree_with_access_syntax_and_index() {
        let mut writable = 0;
        let tables = tables().iter().map(|t| (t.index().len(), t.objects()));
        let scalars = scalar_groups().iter().map(|g| (0, g.objects()));
        for (keys, objects) in tables.chain(scalars) {
            for o in objects {
                let name = o.name;
                let Some(w) = o.write else {
                    assert_eq!(o.access, Access::ReadOnly, "{name} has no SET");
                    continue;
                };
                writable += 1;
                assert!(o.access.writable(), "{name} is read-only");
                let fits = match w.input {
                    Input::Enum(_) => matches!(o.syntax, Syntax::Integer32 | Syntax::RowStatus),
                    Input::Text => o.syntax == Syntax::AdminString,
                    Input::Unsigned | Input::UnsignedByKey(..) | Input::UnsignedAsFloat => {
                        matches!(o.syntax, Syntax::Unsigned32 | Syntax::Gauge32)
                            && o.scale == Scale::One
                    }
                    Input::PercentHundredths => {
                        o.syntax == Syntax::Unsigned32
                            && o.scale == Scale::Hundred
                            && o.unit == Some("percent")
                    }
                };
                assert!(fits, "{name}: {:?} for {:?}", w.input, o.syntax);
                if let Input::UnsignedByKey(k, _) = w.input {
                    assert!(k < keys, "{name}: key {k}");
                }
                let Target::Config {
                    path,
                    within,
                    clear,
                } = w.target
                else {
                    assert!(matches!(w.input, Input::Enum(_)), "{name}");
                    continue;
                };
                assert!(within < path.len(), "{name}: within {within}");
                assert!(path.len() > 1, "{name}: a path below a section");
                for s in path {
                    if let Step::Key(k) | Step::EnumKey(k, _) = s {
                        assert!(*k < keys, "{name}: key {k} of {keys}");
                    }
                }
                let clears = match clear {
                    Clear::Never => true,
                    Clear::Empty => matches!(w.input, Input::Text),
                    Clear::Zero => !matches!(w.input, Input::Text | Input::Enum(_)),
                };
                assert!(clears, "{name}: {clear:?} for {:?}", w.input);
            }
        }
        assert!(writable > 0);
    }
}
