//! RFC 7951 encoding helpers: 64-bit integers and decimal64 travel as JSON
//! strings, 32-bit integers and booleans as JSON values; and a reader that
//! takes members off a JSON object by name and reports any it was not
//! asked for, so that data without a mapping is an error, not a loss.

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

/// Why a JSON document is not a chain-agent configuration.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MapError {
    #[error("{path}: expected {expected}")]
    Type {
        path: String,
        expected: &'static str,
    },
    #[error("{path}: missing")]
    Missing { path: String },
    #[error("{path}: no configuration node of that name")]
    Unknown { path: String },
    #[error("{path}: duplicate entry")]
    Duplicate { path: String },
    #[error("{path}: invalid value {value}")]
    Value { path: String, value: String },
}

/// The most octets of text SNMP carries (DisplayString, BcmAdminString).
pub const MIB_TEXT_MAX: usize = 255;

/// Text cut to `max` octets at a character boundary: what the MIB shows
/// of a longer value the model reports, and what the YANG type then
/// takes in the operational datastore.
pub fn cut_text(s: &str, max: usize) -> &str {
    crate::model::text::cut_utf8(s, max)
}

/// A state value the MIB shows as an Unsigned32: 4294967295 when larger.
pub fn u32_clamped(v: u64) -> Value {
    u64s(v.min(u64::from(u32::MAX)))
}

/// uint64 and the yang counter and gauge types (RFC 7951 §6.1).
pub fn u64s(v: u64) -> Value {
    Value::String(v.to_string())
}

/// decimal64 of a configured value: the shortest text that reads back as
/// the same f64, so a value survives the trip through YANG unchanged.
/// libyang rejects it if it has more digits than the type allows.
pub fn dec_exact(v: f64) -> Value {
    Value::String(format!("{v}"))
}

/// decimal64 of a measurement, rounded to the type's fraction digits.
/// Non-finite values have no decimal64 form.
pub fn dec_round(v: f64, digits: usize) -> Option<Value> {
    v.is_finite()
        .then(|| Value::String(format!("{v:.digits$}")))
}

/// A `percent` measurement: rounded to hundredths, held to 0..100.
pub fn percent(v: f64) -> Option<Value> {
    dec_round(v.clamp(0.0, 100.0), 2)
}

/// An enumeration value: the serde name, which the modules use as the enum
/// name (docs/yang.md, Types).
pub fn enum_value<T: Serialize>(v: &T) -> Value {
    serde_json::to_value(v).unwrap_or(Value::Null)
}

/// Insert `value` unless it holds no data: YANG has no empty non-presence
/// containers or zero-length lists to print. (Presence containers are
/// inserted directly.)
pub fn put(obj: &mut Map<String, Value>, name: &str, value: Value) {
    if !holds_no_data(&value) {
        obj.insert(name.to_string(), value);
    }
}

fn holds_no_data(v: &Value) -> bool {
    match v {
        Value::Object(m) => m.values().all(holds_no_data),
        Value::Array(a) => a.is_empty(),
        Value::Null => true,
        _ => false,
    }
}

pub fn put_opt(obj: &mut Map<String, Value>, name: &str, value: Option<Value>) {
    if let Some(v) = value {
        put(obj, name, v);
    }
}

/// Strings the model keeps as "" for "none": absent in YANG.
pub fn put_text(obj: &mut Map<String, Value>, name: &str, text: &str) {
    if !text.is_empty() {
        obj.insert(name.to_string(), Value::String(text.to_string()));
    }
}

/// Reads the members of one JSON object, each at most once.
pub struct Reader<'a> {
    obj: &'a Map<String, Value>,
    path: String,
    taken: Vec<&'a str>,
}

impl<'a> Reader<'a> {
    pub fn new(value: &'a Value, path: impl Into<String>) -> Result<Reader<'a>, MapError> {
        let path = path.into();
        match value {
            Value::Object(obj) => Ok(Reader {
                obj,
                path,
                taken: Vec::new(),
            }),
            _ => Err(MapError::Type {
                path,
                expected: "an object",
            }),
        }
    }

    pub fn path(&self) -> &str {
        &self.path
    }

    fn child_path(&self, name: &str) -> String {
        format!("{}/{}", self.path, name)
    }

    pub fn get(&mut self, name: &str) -> Option<(&'a Value, String)> {
        let (key, value) = self.obj.get_key_value(name)?;
        self.taken.push(key.as_str());
        Some((value, self.child_path(name)))
    }

    pub fn object(&mut self, name: &str) -> Result<Option<Reader<'a>>, MapError> {
        match self.get(name) {
            Some((v, path)) => Reader::new(v, path).map(Some),
            None => Ok(None),
        }
    }

    /// A container that may be absent: absent reads as empty.
    pub fn container(&mut self, name: &str) -> Result<Reader<'a>, MapError> {
        static EMPTY: std::sync::LazyLock<Value> =
            std::sync::LazyLock::new(|| Value::Object(Map::new()));
        let path = self.child_path(name);
        match self.get(name) {
            Some((v, path)) => Reader::new(v, path),
            None => Reader::new(&EMPTY, path),
        }
    }

    pub fn string(&mut self, name: &str) -> Result<Option<String>, MapError> {
        match self.get(name) {
            None => Ok(None),
            Some((Value::String(s), _)) => Ok(Some(s.clone())),
            Some((_, path)) => Err(MapError::Type {
                path,
                expected: "a string",
            }),
        }
    }

    pub fn required_string(&mut self, name: &str) -> Result<String, MapError> {
        let path = self.child_path(name);
        self.string(name)?.ok_or(MapError::Missing { path })
    }

    /// Integers as RFC 7951 writes them (strings for 64 bits), or as plain
    /// JSON numbers.
    pub fn u64(&mut self, name: &str) -> Result<Option<u64>, MapError> {
        let Some((v, path)) = self.get(name) else {
            return Ok(None);
        };
        let parsed = match v {
            Value::String(s) => s.parse::<u64>().ok(),
            Value::Number(n) => n.as_u64(),
            _ => None,
        };
        parsed.map(Some).ok_or(MapError::Type {
            path,
            expected: "an unsigned integer",
        })
    }

    pub fn required_u64(&mut self, name: &str) -> Result<u64, MapError> {
        let path = self.child_path(name);
        self.u64(name)?.ok_or(MapError::Missing { path })
    }

    pub fn u32(&mut self, name: &str) -> Result<Option<u32>, MapError> {
        let path = self.child_path(name);
        match self.u64(name)? {
            None => Ok(None),
            Some(v) => u32::try_from(v).map(Some).map_err(|_| MapError::Type {
                path,
                expected: "a 32-bit unsigned integer",
            }),
        }
    }

    pub fn required_u32(&mut self, name: &str) -> Result<u32, MapError> {
        let path = self.child_path(name);
        self.u32(name)?.ok_or(MapError::Missing { path })
    }

    pub fn usize(&mut self, name: &str) -> Result<Option<usize>, MapError> {
        let path = self.child_path(name);
        match self.u64(name)? {
            None => Ok(None),
            Some(v) => usize::try_from(v).map(Some).map_err(|_| MapError::Type {
                path,
                expected: "an unsigned integer the platform can hold",
            }),
        }
    }

    /// decimal64, as a string or a number.
    pub fn f64(&mut self, name: &str) -> Result<Option<f64>, MapError> {
        let Some((v, path)) = self.get(name) else {
            return Ok(None);
        };
        let parsed = match v {
            Value::String(s) => s.parse::<f64>().ok().filter(|f| f.is_finite()),
            Value::Number(n) => n.as_f64(),
            _ => None,
        };
        parsed.map(Some).ok_or(MapError::Type {
            path,
            expected: "a decimal number",
        })
    }

    pub fn bool(&mut self, name: &str) -> Result<Option<bool>, MapError> {
        match self.get(name) {
            None => Ok(None),
            Some((Value::Bool(b), _)) => Ok(Some(*b)),
            Some((_, path)) => Err(MapError::Type {
                path,
                expected: "true or false",
            }),
        }
    }

    pub fn required_bool(&mut self, name: &str) -> Result<bool, MapError> {
        let path = self.child_path(name);
        self.bool(name)?.ok_or(MapError::Missing { path })
    }

    /// An enumeration, by its serde name.
    pub fn enumeration<T: DeserializeOwned>(&mut self, name: &str) -> Result<Option<T>, MapError> {
        let Some((v, path)) = self.get(name) else {
            return Ok(None);
        };
        serde_json::from_value(v.clone())
            .map(Some)
            .map_err(|_| MapError::Value {
                path,
                value: v.to_string(),
            })
    }

    pub fn required_enumeration<T: DeserializeOwned>(&mut self, name: &str) -> Result<T, MapError> {
        let path = self.child_path(name);
        self.enumeration(name)?.ok_or(MapError::Missing { path })
    }

    /// A leaf-list of strings; absent reads as empty.
    pub fn strings(&mut self, name: &str) -> Result<Vec<String>, MapError> {
        let Some((v, path)) = self.get(name) else {
            return Ok(Vec::new());
        };
        let wrong = || MapError::Type {
            path: path.clone(),
            expected: "an array of strings",
        };
        let Value::Array(items) = v else {
            return Err(wrong());
        };
        items
            .iter()
            .map(|i| i.as_str().map(str::to_string).ok_or_else(wrong))
            .collect()
    }

    /// The entries of a list, each with its key leaf read and its path
    /// predicate set; absent reads as empty. A repeated key is an error.
    pub fn list(&mut self, name: &str, key: &str) -> Result<Vec<(String, Reader<'a>)>, MapError> {
        let Some((v, path)) = self.get(name) else {
            return Ok(Vec::new());
        };
        let Value::Array(items) = v else {
            return Err(MapError::Type {
                path,
                expected: "an array of list entries",
            });
        };
        let mut out: Vec<(String, Reader<'a>)> = Vec::with_capacity(items.len());
        for item in items {
            let mut entry = Reader::new(item, path.clone())?;
            let id = entry.required_string(key)?;
            entry.path = format!("{path}[{key}={}]", quote(&id));
            if out.iter().any(|(k, _)| *k == id) {
                return Err(MapError::Duplicate { path: entry.path });
            }
            out.push((id, entry));
        }
        Ok(out)
    }

    /// Mark the members whose names `skip` accepts as read.
    pub fn skip(&mut self, skip: impl Fn(&str) -> bool) {
        for k in self.obj.keys() {
            if skip(k) {
                self.taken.push(k.as_str());
            }
        }
    }

    /// Every member must have been read: anything else has no place in
    /// the configuration.
    pub fn finish(self) -> Result<(), MapError> {
        match self.obj.keys().find(|k| !self.taken.contains(&k.as_str())) {
            Some(k) => Err(MapError::Unknown {
                path: self.child_path(k),
            }),
            None => Ok(()),
        }
    }
}

/// An XPath literal for a key predicate.
fn quote(s: &str) -> String {
    if s.contains('\'') {
        format!("\"{s}\"")
    } else {
        format!("'{s}'")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn numbers_follow_rfc7951() {
        assert_eq!(
            u64s(18_446_744_073_709_551_615),
            json!("18446744073709551615")
        );
        assert_eq!(dec_exact(90.0), json!("90"));
        assert_eq!(dec_exact(0.1), json!("0.1"));
        assert_eq!(dec_round(1234.5678, 2), Some(json!("1234.57")));
        assert_eq!(dec_round(f64::NAN, 2), None);
        assert_eq!(percent(100.004), Some(json!("100.00")));
        assert_eq!(percent(-3.0), Some(json!("0.00")));
    }

    #[test]
    fn reader_reports_unknown_and_mistyped_members() {
        let v = json!({"a": "7", "b": 8, "c": true, "d": "x", "e": [1]});
        let mut r = Reader::new(&v, "/m:top").unwrap();
        assert_eq!(r.u64("a"), Ok(Some(7)));
        assert_eq!(r.u32("b"), Ok(Some(8)));
        assert_eq!(r.bool("c"), Ok(Some(true)));
        assert_eq!(r.u64("missing"), Ok(None));
        assert_eq!(
            r.u64("d"),
            Err(MapError::Type {
                path: "/m:top/d".into(),
                expected: "an unsigned integer"
            })
        );
        assert!(matches!(r.strings("e"), Err(MapError::Type { .. })));
        let v = json!({"a": "7", "z": 1});
        let mut r = Reader::new(&v, "/m:top").unwrap();
        r.u64("a").unwrap();
        assert_eq!(
            r.finish(),
            Err(MapError::Unknown {
                path: "/m:top/z".into()
            })
        );
        let big = json!({"n": "4294967296"});
        let mut r = Reader::new(&big, "").unwrap();
        assert!(r.u32("n").is_err());
    }

    #[test]
    fn list_entries_need_their_key_once() {
        let v = json!({"l": [{"id": "a"}, {"id": "a"}]});
        let mut r = Reader::new(&v, "/m:c").unwrap();
        assert_eq!(
            r.list("l", "id").err(),
            Some(MapError::Duplicate {
                path: "/m:c/l[id='a']".into()
            })
        );
        let v = json!({"l": [{"name": "a"}]});
        let mut r = Reader::new(&v, "/m:c").unwrap();
        assert_eq!(
            r.list("l", "id").err(),
            Some(MapError::Missing {
                path: "/m:c/l/id".into()
            })
        );
    }
}
