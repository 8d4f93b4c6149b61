//! Events as YANG notifications (RFC 5277 content): the agent's events
//! become the notifications of our modules, ietf-alarms'
//! alarm-notification, and ietf-netconf-notifications'
//! netconf-config-change (RFC 6470). Each is built as RFC 7951 JSON and
//! printed by libyang, so what goes out is checked against the modules.

use crate::config::ConfigPath;
use crate::core::events::{Event, Notification};
use crate::model::UnixMillis;
use crate::netconf::yang::Schema;
use crate::netconf::yang::state_alarms::{alarm_type_id, x733_parameters};
use serde_json::{Map, Value, json};
use yang5::data::{DataFormat, DataOperation, DataPrinterFlags, DataTree};
use yang5::iter::IterSchemaFlags;
use yang5::schema::{SchemaNode, SchemaNodeKind};

pub use crate::netconf::yang::time::date_and_time;

/// Parse an RFC 3339 date-and-time (startTime, stopTime) to milliseconds.
pub fn parse_date_and_time(s: &str) -> Option<UnixMillis> {
    let s = s.trim();
    let (date, rest) = s.split_once(['T', 't'])?;
    let mut d = date.split('-');
    let y: i64 = d.next()?.parse().ok()?;
    let mo: i64 = d.next()?.parse().ok()?;
    let da: i64 = d.next()?.parse().ok()?;
    let (time, offset_min) = if let Some(t) = rest.strip_suffix(['Z', 'z']) {
        (t, 0i64)
    } else {
        let at = rest.rfind(['+', '-'])?;
        let (t, off) = rest.split_at(at);
        let sign = if off.starts_with('-') { -1 } else { 1 };
        let (oh, om) = off[1..].split_once(':')?;
        (
            t,
            sign * (oh.parse::<i64>().ok()? * 60 + om.parse::<i64>().ok()?),
        )
    };
    let mut t = time.split(':');
    let h: i64 = t.next()?.parse().ok()?;
    let mi: i64 = t.next()?.parse().ok()?;
    let sec = t.next()?;
    let (whole, frac) = sec.split_once('.').unwrap_or((sec, ""));
    let sec: i64 = whole.parse().ok()?;
    let ms: i64 = format!("{frac:0<3}").get(..3)?.parse().ok()?;
    if !(1..=12).contains(&mo) || !(1..=31).contains(&da) || h > 23 || mi > 59 || sec > 60 {
        return None;
    }
    // days_from_civil
    let y2 = if mo <= 2 { y - 1 } else { y };
    let era = y2.div_euclid(400);
    let yoe = y2.rem_euclid(400);
    let mp = (mo + 9) % 12;
    let doy = (153 * mp + 2) / 5 + da - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    let total = ((days * 86_400 + h * 3600 + mi * 60 + sec - offset_min * 60) * 1000) + ms;
    UnixMillis::try_from(total).ok()
}

/// The notification's content as a libyang tree, or None for events
/// NETCONF does not carry.
pub fn content_tree<'s>(schema: &'s Schema, n: &Notification) -> Option<DataTree<'s>> {
    let json = content_json(schema, &n.event)?;
    match DataTree::parse_op_string(
        schema.context(),
        json.to_string(),
        DataFormat::JSON,
        yang5::data::DataParserFlags::empty(),
        DataOperation::NotificationYang,
    ) {
        Ok(t) => Some(t),
        Err(e) => {
            tracing::error!(
                "notification {} does not fit its YANG module: {e}",
                n.event.name()
            );
            None
        }
    }
}

/// The content (the child of `<notification>` after eventTime) as XML.
pub fn print_content(tree: &DataTree<'_>) -> Option<String> {
    crate::netconf::yang::tree::print_with(
        tree,
        DataFormat::XML,
        DataPrinterFlags::SHRINK | DataPrinterFlags::WITH_SIBLINGS,
    )
    .ok()
}

/// Does the XPath filter of a subscription select anything in this
/// notification? Bounded by `budget` like a get filter.
pub fn matches_xpath(
    schema: &Schema,
    tree: &DataTree<'_>,
    select: &str,
    scope: &std::collections::BTreeMap<String, String>,
    budget: &mut crate::netconf::xpath::Budget,
) -> Result<bool, crate::netconf::xpath::XPathError> {
    let Ok(expr) = crate::netconf::datastore::data::xpath_expr(schema, select, scope) else {
        return Ok(false);
    };
    crate::netconf::xpath::selects_any(tree, &expr, budget)
}

fn opt<T: serde::Serialize>(m: &mut Map<String, Value>, k: &str, v: Option<T>) {
    if let Some(v) = v {
        m.insert(k.into(), json!(v));
    }
}

fn content_json(schema: &Schema, e: &Event) -> Option<Value> {
    Some(match e {
        Event::AlarmRaised { alarm }
        | Event::AlarmChanged { alarm }
        | Event::AlarmCleared { alarm } => {
            // RFC 8632: no notifications for shelved alarms.
            if alarm.shelf.is_some() {
                return None;
            }
            let cleared = matches!(e, Event::AlarmCleared { .. });
            let severity = if cleared {
                "cleared".to_string()
            } else {
                serde_json::to_value(alarm.perceived_severity)
                    .ok()?
                    .as_str()?
                    .to_string()
            };
            let time = if cleared {
                alarm.cleared.unwrap_or(alarm.changed)
            } else {
                alarm.changed
            };
            let mut n = Map::new();
            n.insert("resource".into(), json!(alarm.resource));
            n.insert(
                "alarm-type-id".into(),
                json!(alarm_type_id(alarm.alarm_type)),
            );
            n.insert("alarm-type-qualifier".into(), json!(""));
            n.insert("time".into(), json!(date_and_time(time)));
            n.insert("perceived-severity".into(), json!(severity));
            n.insert("alarm-text".into(), json!(alarm.text));
            n.extend(x733_parameters(alarm));
            json!({ "ietf-alarms:alarm-notification": n })
        }
        Event::AlarmOperatorAction { alarm } if alarm.shelf.is_some() => return None,
        Event::AlarmOperatorAction { alarm } => {
            // RFC 8632's operator-action, a notification nested in the
            // alarm list entry.
            let change = alarm.operator.history().pop()?;
            let mut action = Map::new();
            action.insert("time".into(), json!(date_and_time(change.time)));
            action.insert("operator".into(), json!(change.operator));
            action.insert("state".into(), json!(change.state.as_str()));
            if !change.text.is_empty() {
                action.insert("text".into(), json!(change.text));
            }
            json!({"ietf-alarms:alarms": {"alarm-list": {"alarm": [{
                "resource": alarm.resource,
                "alarm-type-id": format!("chain-agent-alarms:{}", alarm.alarm_type.as_str()),
                "alarm-type-qualifier": "",
                "operator-action": action,
            }]}}})
        }
        Event::MemberJoined { member } => json!({"chain-agent-ledger:member-joined": {
            "chain": member.chain, "id": member.id, "name": member.name,
            "address": member.address, "role": member.role,
            "joined-height": member.joined_height.to_string(),
        }}),
        Event::MemberLeft { member } => {
            let mut m = Map::new();
            m.insert("chain".into(), json!(member.chain));
            m.insert("id".into(), json!(member.id));
            m.insert("name".into(), json!(member.name));
            m.insert("address".into(), json!(member.address));
            opt(
                &mut m,
                "left-height",
                member.left_height.map(|h| h.to_string()),
            );
            json!({"chain-agent-ledger:member-left": m})
        }
        Event::NodeStateChanged {
            chain, node, to, ..
        } => {
            json!({"chain-agent-nodes:node-state-changed": {
                "chain": chain, "node": node,
                "oper-state": serde_json::to_value(to).ok()?,
            }})
        }
        Event::NodeRestarted {
            chain,
            node,
            process_id,
            started_at,
            restarts,
        } => {
            let mut m = Map::new();
            m.insert("chain".into(), json!(chain));
            m.insert("node".into(), json!(node));
            m.insert("process-id".into(), json!(process_id));
            opt(&mut m, "process-started-at", started_at.map(date_and_time));
            m.insert("process-restarts".into(), json!(restarts.to_string()));
            json!({"chain-agent-nodes:node-restarted": m})
        }
        Event::ForkDetected { report } => {
            let mut m = Map::new();
            m.insert("chain".into(), json!(report.chain));
            m.insert(
                "common-height".into(),
                json!(report.common_height.to_string()),
            );
            opt(
                &mut m,
                "first-divergent-height",
                report.first_divergent_height.map(|h| h.to_string()),
            );
            m.insert("branch-count".into(), json!(report.branch_count));
            json!({"chain-agent-consensus:fork-detected": m})
        }
        Event::ConsensusStalled { chain, height, .. } => {
            json!({"chain-agent-consensus:consensus-stalled": {"chain": chain, "height": height.to_string()}})
        }
        Event::CrossChainTransferFailed { transfer } => {
            json!({"chain-agent-crosschain:cross-chain-transfer-failed": {
                "chain": transfer.chain, "channel": transfer.channel, "transfer": transfer.id,
                "state": serde_json::to_value(transfer.state).ok()?,
                "amount": transfer.amount.to_string(),
                "failure-reason": transfer.failure_reason,
            }})
        }
        Event::ConfigChanged {
            origin, changed, ..
        } => {
            let edits: Vec<Value> = changed
                .iter()
                .filter_map(|p| instance_identifier(schema, p))
                .map(|target| json!({"target": target, "operation": "replace"}))
                .collect();
            let mut body = Map::new();
            body.insert("changed-by".into(), changed_by(origin));
            body.insert("datastore".into(), json!("running"));
            if !edits.is_empty() {
                body.insert("edit".into(), Value::Array(edits));
            }
            json!({"ietf-netconf-notifications:netconf-config-change": body})
        }
    })
}

/// RFC 6470 changed-by: the NETCONF session, or for SNMP and the control
/// socket the manager with session-id 0 (not a NETCONF session).
fn changed_by(origin: &str) -> Value {
    // netconf:USER:session-N@HOST, snmp:v2c@HOST, snmp:v3:USER@HOST, ctl:uid=N
    let (who, host) = match origin.rsplit_once('@') {
        Some((w, h)) => (w, Some(h)),
        None => (origin, None),
    };
    if let Some(rest) = who.strip_prefix("netconf:")
        && let Some((user, session)) = rest.rsplit_once(":session-")
        && let Ok(id) = session.parse::<u32>()
    {
        let mut m = Map::new();
        m.insert("username".into(), json!(user));
        m.insert("session-id".into(), json!(id));
        opt(&mut m, "source-host", host);
        return Value::Object(m);
    }
    if origin.starts_with("netconf confirmed-commit")
        || origin.starts_with("netconf cancel-commit")
        || origin == "file"
    {
        return json!({"server": [null]});
    }
    let mut m = Map::new();
    m.insert("username".into(), json!(who));
    m.insert("session-id".into(), json!(0));
    opt(&mut m, "source-host", host);
    Value::Object(m)
}

/// A changed configuration path (`/chains/sim/nodes/node-2/admin-state`)
/// as a JSON-style instance-identifier: its YANG steps
/// ([`ConfigPath::yang_steps`]) followed through the schema, which
/// decides where a module prefix is written. It stops at the first step
/// the schema lacks; a list or leaf-list named without an entry (a whole
/// ordered list changed, such as /nacm/rule-list) cannot be named by an
/// instance-identifier, so its parent is.
pub fn instance_identifier(schema: &Schema, path: &ConfigPath) -> Option<String> {
    let ctx = schema.context();
    let steps = path.yang_steps();
    let (first, rest) = steps.split_first()?;
    let top = ctx
        .modules(true)
        .filter(|m| m.is_implemented())
        .filter(|m| first.module.is_none_or(|name| m.name() == name))
        .flat_map(|m| {
            m.top_level_nodes(IterSchemaFlags::empty())
                .collect::<Vec<_>>()
        })
        .find(|n| n.name() == first.name && n.is_config())?;
    let mut out = format!("/{}:{}", top.module().name(), first.name);
    let mut node: SchemaNode<'_> = top;
    for step in rest {
        let Some(child) = node
            .children2(IterSchemaFlags::empty())
            .find(|c| c.name() == step.name && step.module.is_none_or(|m| c.module().name() == m))
        else {
            break;
        };
        let list = matches!(
            child.kind(),
            SchemaNodeKind::List | SchemaNodeKind::LeafList
        );
        match &step.key {
            Some((key, value)) if list => {
                push_step(&mut out, &node, &child);
                let quote = if value.contains('\'') { '"' } else { '\'' };
                out.push_str(&format!("[{key}={quote}{value}{quote}]"));
            }
            _ if list => break,
            _ => push_step(&mut out, &node, &child),
        }
        node = child;
    }
    Some(out)
}

fn push_step(out: &mut String, parent: &SchemaNode<'_>, child: &SchemaNode<'_>) {
    out.push('/');
    if child.module().name() != parent.module().name() {
        out.push_str(child.module().name());
        out.push(':');
    }
    out.push_str(child.name());
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The configuration's table of YANG names (config::MAPS, RENAMED,
    /// MODULES) agrees with the modules: each map entry's path, rendered
    /// from the table alone, is what the schema walk gives.
    #[test]
    fn the_yang_names_of_the_configuration_match_the_modules() {
        let schema = crate::netconf::yang::schema::test_schema();
        // A map's entry, keyed "k"; a renamed container itself.
        let shapes = crate::config::MAPS.iter().map(|m| (m.at, Some("k")));
        let renamed = crate::config::RENAMED.iter().map(|(at, _)| (*at, None));
        for (at, key) in shapes.chain(renamed) {
            let mut path = ConfigPath::root();
            for name in at {
                path.push(if *name == "*" { "x" } else { name });
            }
            if let Some(key) = key {
                path.push(key);
            }
            assert_eq!(
                instance_identifier(&schema, &path),
                Some(path.yang()),
                "{}",
                path.pointer()
            );
        }
        for (top, _) in crate::config::MODULES {
            let path = ConfigPath::of([top]);
            assert_eq!(instance_identifier(&schema, &path), Some(path.yang()));
        }
    }

    /// A commit's changed paths as the targets of netconf-config-change.
    #[test]
    fn changed_paths_become_instance_identifiers() {
        let schema = crate::netconf::yang::schema::test_schema();
        for (pointer, target) in [
            ("/system/contact", "/chain-agent-system:system/contact"),
            (
                "/chains/sim/nodes/node-2/admin-state",
                "/chain-agent-nodes:chains/chain[id='sim']/nodes/node[id='node-2']/admin-state",
            ),
            (
                "/chains/sim/consensus/gas",
                "/chain-agent-nodes:chains/chain[id='sim']/chain-agent-consensus:consensus/parameter[name='gas']/value",
            ),
            (
                "/chains/sim/validator-votes/0xab",
                "/chain-agent-nodes:chains/chain[id='sim']/chain-agent-consensus:consensus/validator-vote[address='0xab']/authorize",
            ),
            (
                "/logs/audit/retention-records",
                "/chain-agent-logs:logs/type[kind='audit']/retention-records",
            ),
            // Whole lists and leaf-lists are named by their parent.
            ("/nacm/rule-list", "/ietf-netconf-acm:nacm"),
            ("/snmp/listen", "/chain-agent-system:snmp"),
        ] {
            let path: ConfigPath = pointer.parse().unwrap();
            assert_eq!(
                instance_identifier(&schema, &path).as_deref(),
                Some(target),
                "{pointer}"
            );
        }
    }

    #[test]
    fn date_and_time_round_trips() {
        for ms in [0u64, 1_700_000_000_123, 951_782_400_000, 4_102_444_799_999] {
            let s = date_and_time(ms);
            assert_eq!(parse_date_and_time(&s), Some(ms), "{s}");
        }
        assert_eq!(date_and_time(951_782_400_000), "2000-02-29T00:00:00.000Z");
        assert_eq!(
            parse_date_and_time("2000-02-29T02:00:00+02:00"),
            Some(951_782_400_000)
        );
        assert_eq!(
            parse_date_and_time("2000-02-29T00:00:00.5Z"),
            Some(951_782_400_500)
        );
        assert!(parse_date_and_time("yesterday").is_none());
        assert!(parse_date_and_time("2000-13-01T00:00:00Z").is_none());
    }

    #[test]
    fn changed_by_names_the_session_or_the_manager() {
        assert_eq!(
            changed_by("netconf:admin:session-4@127.0.0.1"),
            json!({"username": "admin", "session-id": 4, "source-host": "127.0.0.1"})
        );
        assert_eq!(
            changed_by("snmp:v2c@10.0.0.1"),
            json!({"username": "snmp:v2c", "session-id": 0, "source-host": "10.0.0.1"})
        );
        assert_eq!(
            changed_by("netconf confirmed-commit timeout"),
            json!({"server": [null]})
        );
    }

    /// A subscription's XPath filter is bounded like a get filter: the
    /// repro of the hardening issue fails with TooCostly on a notification
    /// (the subscription drops it), a cheap filter still selects.
    #[test]
    fn subscription_filters_are_bounded() {
        use crate::netconf::xpath::{Budget, Limit, XPathError};
        let schema = crate::netconf::yang::schema::test_schema();
        let n = Notification {
            seq: 1,
            time: 1_700_000_000_000,
            event: Event::ConfigChanged {
                revision: 3,
                origin: "netconf:admin:session-4@127.0.0.1".into(),
                changed: (0..40)
                    .map(|i| ConfigPath::of(["chains", &format!("c{i}"), "name"]))
                    .collect(),
            },
        };
        let tree = content_tree(&schema, &n).expect("notification tree");
        let scope = std::collections::BTreeMap::new();
        let mut budget = Budget::new(100_000, None, None);
        assert_eq!(
            matches_xpath(
                &schema,
                &tree,
                "//*[count(//*[count(//*)>0])>0]",
                &scope,
                &mut budget
            ),
            Err(XPathError::TooCostly(Limit::Steps(100_000)))
        );
        let mut budget = Budget::new(100_000, None, None);
        assert_eq!(
            matches_xpath(
                &schema,
                &tree,
                "//*[local-name()='netconf-config-change']",
                &scope,
                &mut budget
            ),
            Ok(true)
        );
        assert!(budget.used() < 1_000, "{}", budget.used());
    }
}
