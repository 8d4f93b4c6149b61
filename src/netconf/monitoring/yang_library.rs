//! ietf-yang-library as RFC 7951 JSON: RFC 7895 `/modules-state`, which
//! the hello's yang-library:1.0 capability points to, and, when the
//! ietf-yang-library in the schema is RFC 8525's, its `/yang-library`,
//! which NMDA clients read. Both describe the one schema the server has:
//! every datastore uses it, and the module set id, the content id and the
//! hello's module-set-id are one value.

use crate::netconf::session::capabilities::module_set_id;
use crate::netconf::yang::{ModuleInfo, Schema};
use serde_json::{Value, json};

pub const YANG_LIBRARY: &str = "ietf-yang-library";
/// The first revision with `/yang-library` (RFC 8525).
const NMDA_REVISION: &str = "2019-01-04";
/// The one module set and schema, named as RFC 8525's examples do.
const SCHEMA_NAME: &str = "complete";
/// RFC 8342 datastores; running, candidate and startup are the NETCONF
/// ones, operational is what `<get>` reads.
const DATASTORES: [&str; 4] = ["running", "candidate", "startup", "operational"];

/// The revision of ietf-yang-library the schema implements.
pub fn revision(schema: &Schema) -> Option<&str> {
    schema
        .modules()
        .iter()
        .find(|m| m.name == YANG_LIBRARY && m.implemented)
        .and_then(|m| m.revision.as_deref())
}

/// Whether `/yang-library` exists in the schema's ietf-yang-library.
pub fn serves_nmda_library(schema: &Schema) -> bool {
    revision(schema).is_some_and(|r| r >= NMDA_REVISION)
}

/// Everything the schema's ietf-yang-library has: `/modules-state`, and
/// `/yang-library` when it is RFC 8525's.
pub fn library_json(schema: &Schema) -> Value {
    let id = module_set_id(schema);
    let mut out = modules_state(schema.modules(), &id);
    if serves_nmda_library(schema)
        && let (Value::Object(all), Value::Object(nmda)) =
            (&mut out, yang_library(schema.modules(), &id))
    {
        all.extend(nmda);
    }
    out
}

fn submodules(m: &ModuleInfo, empty_revision: bool) -> Vec<Value> {
    m.submodules
        .iter()
        .map(|s| {
            let mut v = json!({ "name": s.name });
            match (&s.revision, empty_revision) {
                (Some(r), _) => v["revision"] = json!(r),
                (None, true) => v["revision"] = json!(""),
                (None, false) => {}
            }
            v
        })
        .collect()
}

/// RFC 7895 `/modules-state` (deprecated in RFC 8525 but what the
/// yang-library:1.0 capability announces).
pub fn modules_state(modules: &[ModuleInfo], module_set_id: &str) -> Value {
    let list: Vec<Value> = modules
        .iter()
        .map(|m| {
            let mut v = json!({
                "name": m.name,
                // Part of the key; "" when the module has no revision.
                "revision": m.revision.as_deref().unwrap_or(""),
                "namespace": m.namespace,
                "conformance-type": if m.implemented { "implement" } else { "import" },
            });
            if m.implemented && !m.features.is_empty() {
                v["feature"] = json!(m.features);
            }
            if !m.submodules.is_empty() {
                v["submodule"] = json!(submodules(m, true));
            }
            v
        })
        .collect();
    json!({
        "ietf-yang-library:modules-state": {
            "module-set-id": module_set_id,
            "module": list,
        }
    })
}

/// RFC 8525 `/yang-library`: one module set, one schema, every datastore.
pub fn yang_library(modules: &[ModuleInfo], content_id: &str) -> Value {
    let mut implemented = Vec::new();
    let mut import_only = Vec::new();
    for m in modules {
        let mut v = json!({ "name": m.name, "namespace": m.namespace });
        if !m.submodules.is_empty() {
            v["submodule"] = json!(submodules(m, false));
        }
        if m.implemented {
            if let Some(r) = &m.revision {
                v["revision"] = json!(r);
            }
            if !m.features.is_empty() {
                v["feature"] = json!(m.features);
            }
            implemented.push(v);
        } else {
            // Part of the key here; "" when the module has no revision.
            v["revision"] = json!(m.revision.as_deref().unwrap_or(""));
            import_only.push(v);
        }
    }
    let datastores: Vec<Value> = DATASTORES
        .iter()
        .map(|d| json!({ "name": format!("ietf-datastores:{d}"), "schema": SCHEMA_NAME }))
        .collect();
    json!({
        "ietf-yang-library:yang-library": {
            "module-set": [{
                "name": SCHEMA_NAME,
                "module": implemented,
                "import-only-module": import_only,
            }],
            "schema": [{ "name": SCHEMA_NAME, "module-set": [SCHEMA_NAME] }],
            "datastore": datastores,
            "content-id": content_id,
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::netconf::yang::SubmoduleInfo;
    use crate::netconf::yang::tree::{self, Content};

    use crate::netconf::yang::schema::test_schema as schema;

    #[test]
    fn the_library_parses_strictly_and_lists_every_module() {
        let schema = schema();
        assert_eq!(revision(&schema), Some("2019-01-04"));
        let json = library_json(&schema);
        tree::parse_json(&schema, &json, Content::State).expect("strict parse");
        let id = module_set_id(&schema);
        let state = &json["ietf-yang-library:modules-state"];
        assert_eq!(state["module-set-id"], json!(id));
        let listed = state["module"].as_array().unwrap();
        assert_eq!(listed.len(), schema.modules().len());
        let nodes = listed
            .iter()
            .find(|m| m["name"] == "chain-agent-nodes")
            .unwrap();
        assert_eq!(nodes["conformance-type"], "implement");
        let lib = &json["ietf-yang-library:yang-library"];
        assert_eq!(lib["content-id"], json!(id));
        let set = &lib["module-set"][0];
        let implemented = set["module"].as_array().unwrap().len();
        let imported = set["import-only-module"].as_array().unwrap().len();
        assert_eq!(implemented + imported, schema.modules().len());
        assert_eq!(
            implemented,
            schema.modules().iter().filter(|m| m.implemented).count()
        );
        let netconf = set["module"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["name"] == "ietf-netconf")
            .unwrap();
        assert!(
            netconf["feature"]
                .as_array()
                .unwrap()
                .contains(&json!("candidate"))
        );
        assert_eq!(lib["datastore"].as_array().unwrap().len(), 4);
    }

    #[test]
    fn import_only_modules_and_submodules_keep_their_key_revision() {
        let modules = vec![
            ModuleInfo {
                name: "a".into(),
                revision: None,
                namespace: "urn:a".into(),
                prefix: "a".into(),
                features: vec!["f".into()],
                implemented: false,
                submodules: vec![SubmoduleInfo {
                    name: "a-sub".into(),
                    revision: None,
                }],
            },
            ModuleInfo {
                name: "b".into(),
                revision: Some("2020-01-01".into()),
                namespace: "urn:b".into(),
                prefix: "b".into(),
                features: vec![],
                implemented: true,
                submodules: vec![],
            },
        ];
        let legacy = modules_state(&modules, "x");
        let a = &legacy["ietf-yang-library:modules-state"]["module"][0];
        assert_eq!(a["revision"], "");
        assert_eq!(a["conformance-type"], "import");
        // Features only matter for what is implemented.
        assert!(a.get("feature").is_none());
        assert_eq!(a["submodule"][0], json!({"name": "a-sub", "revision": ""}));
        let nmda = yang_library(&modules, "x");
        let set = &nmda["ietf-yang-library:yang-library"]["module-set"][0];
        assert_eq!(set["import-only-module"][0]["revision"], "");
        assert_eq!(
            set["import-only-module"][0]["submodule"][0],
            json!({"name": "a-sub"})
        );
        assert_eq!(set["module"][0]["name"], "b");
        assert_eq!(set["module"][0]["revision"], "2020-01-01");
    }
}
