//! What one measured operation sends: the `<rpc>` bodies, in order. An
//! operation succeeds when every one of its replies is `<ok/>` or `<data>`.

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Datastore {
    Running,
    Candidate,
}

impl Datastore {
    fn element(self) -> &'static str {
        match self {
            Datastore::Running => "<running/>",
            Datastore::Candidate => "<candidate/>",
        }
    }
}

#[derive(Debug, Clone)]
pub enum Operation {
    /// `<get>`, with an optional subtree filter (the filter's content).
    Get {
        filter: Option<String>,
    },
    GetConfig {
        source: Datastore,
    },
    /// `<edit-config>` of `config` (the content of `<config>`), then
    /// `<commit>` when the target is the candidate. `{{session}}` and
    /// `{{seq}}` in `config` become the session's number and the
    /// operation's number in that session, so that every edit writes a
    /// new value.
    Edit {
        config: String,
        target: Datastore,
    },
    /// Any operation, given as the content of `<rpc>`.
    Rpc {
        body: String,
    },
}

impl Operation {
    pub fn mode(&self) -> &'static str {
        match self {
            Operation::Get { .. } => "get",
            Operation::GetConfig { .. } => "get-config",
            Operation::Edit {
                target: Datastore::Candidate,
                ..
            } => "edit-commit",
            Operation::Edit {
                target: Datastore::Running,
                ..
            } => "edit-running",
            Operation::Rpc { .. } => "rpc",
        }
    }

    /// The `<rpc>` contents of operation number `seq` of session `session`.
    pub fn requests(&self, session: usize, seq: u64) -> Vec<String> {
        match self {
            Operation::Get { filter: None } => vec!["<get/>".into()],
            Operation::Get {
                filter: Some(filter),
            } => vec![format!(
                "<get><filter type=\"subtree\">{filter}</filter></get>"
            )],
            Operation::GetConfig { source } => vec![format!(
                "<get-config><source>{}</source></get-config>",
                source.element()
            )],
            Operation::Edit { config, target } => {
                let config = config
                    .replace("{{session}}", &session.to_string())
                    .replace("{{seq}}", &seq.to_string());
                let edit = format!(
                    "<edit-config><target>{}</target><config>{config}</config></edit-config>",
                    target.element()
                );
                match target {
                    Datastore::Candidate => vec![edit, "<commit/>".into()],
                    Datastore::Running => vec![edit],
                }
            }
            Operation::Rpc { body } => vec![body.clone()],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edit_commit_fills_placeholders() {
        let edit = Operation::Edit {
            config: "<contact xmlns=\"urn:x\">s{{session}}-{{seq}}</contact>".into(),
            target: Datastore::Candidate,
        };
        assert_eq!(edit.mode(), "edit-commit");
        assert_eq!(
            edit.requests(3, 17),
            vec![
                "<edit-config><target><candidate/></target><config><contact xmlns=\"urn:x\">s3-17</contact></config></edit-config>".to_string(),
                "<commit/>".to_string(),
            ]
        );
        let running = Operation::Edit {
            config: "<a/>".into(),
            target: Datastore::Running,
        };
        assert_eq!(running.requests(0, 1).len(), 1);
    }

    #[test]
    fn reads() {
        assert_eq!(
            Operation::Get { filter: None }.requests(0, 1),
            vec!["<get/>"]
        );
        assert_eq!(
            Operation::GetConfig {
                source: Datastore::Running
            }
            .requests(0, 1),
            vec!["<get-config><source><running/></source></get-config>"]
        );
    }
}
