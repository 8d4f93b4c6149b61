//! The orderer's channel participation API: `GET /participation/v1/channels`
//! lists `{name, url}`; each channel's own URL gives its height, its
//! consensus relation (consenter, follower, config-tracker) and status
//! (active, onboarding, inactive, failed).

use serde_json::Value;

#[derive(Debug, Clone, PartialEq)]
pub struct ChannelInfo {
    pub name: String,
    pub url: String,
    pub consensus_relation: String,
    pub status: String,
    pub height: u64,
}

/// The channels of the list answer, with their detail URLs; the system
/// channel (Fabric before 3.0) is listed too when present.
pub fn parse_list(v: &Value) -> Vec<(String, String)> {
    let entry = |c: &Value| {
        let name = c.get("name")?.as_str()?.to_string();
        let url = c
            .get("url")
            .and_then(Value::as_str)
            .map(str::to_string)
            .unwrap_or_else(|| format!("/participation/v1/channels/{name}"));
        Some((name, url))
    };
    let mut out: Vec<(String, String)> = v
        .get("channels")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(entry).collect())
        .unwrap_or_default();
    if let Some(sys) = v.get("systemChannel").filter(|s| !s.is_null())
        && let Some(e) = entry(sys)
    {
        out.push(e);
    }
    out
}

pub fn parse_channel(v: &Value) -> Option<ChannelInfo> {
    let s = |k: &str| {
        v.get(k)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string()
    };
    let name = v.get("name")?.as_str()?.to_string();
    Some(ChannelInfo {
        name,
        url: s("url"),
        consensus_relation: s("consensusRelation"),
        status: s("status"),
        height: v.get("height").and_then(Value::as_u64).unwrap_or(0),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn list_and_detail() {
        let list = json!({"systemChannel": null, "channels": [
            {"name": "mychannel", "url": "/participation/v1/channels/mychannel"},
            {"name": "other"}]});
        assert_eq!(
            parse_list(&list),
            vec![
                (
                    "mychannel".into(),
                    "/participation/v1/channels/mychannel".into()
                ),
                ("other".into(), "/participation/v1/channels/other".into())
            ]
        );
        let c = parse_channel(
            &json!({"name": "mychannel", "url": "/participation/v1/channels/mychannel",
            "consensusRelation": "consenter", "status": "active", "height": 12}),
        )
        .unwrap();
        assert_eq!(c.consensus_relation, "consenter");
        assert_eq!(c.status, "active");
        assert_eq!(c.height, 12);
        assert_eq!(parse_channel(&json!({"height": 3})), None);
    }
}
