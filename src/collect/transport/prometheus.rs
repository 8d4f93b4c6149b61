//! The Prometheus text exposition format, as far as monitoring needs it:
//! samples with their labels, for Fabric's /metrics and Hermes' telemetry.

use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq)]
pub struct Sample {
    pub name: String,
    pub labels: BTreeMap<String, String>,
    pub value: f64,
}

/// Every sample of `text`; comment lines and lines that do not parse are
/// skipped, as Prometheus itself would reject only the line.
pub fn parse(text: &str) -> Vec<Sample> {
    text.lines().filter_map(parse_line).collect()
}

fn parse_line(line: &str) -> Option<Sample> {
    let line = line.trim();
    if line.is_empty() || line.starts_with('#') {
        return None;
    }
    let (name, labels, rest) = match line.find('{') {
        Some(open) => {
            // A '}' before the '{' is no label set (found by fuzzing:
            // slicing from after '{' to it panicked).
            let close = line.rfind('}').filter(|&c| c > open)?;
            (
                &line[..open],
                parse_labels(&line[open + 1..close])?,
                &line[close + 1..],
            )
        }
        None => {
            let sp = line.find(char::is_whitespace)?;
            (&line[..sp], BTreeMap::new(), &line[sp..])
        }
    };
    let value = rest.split_whitespace().next()?;
    let value = match value {
        "+Inf" => f64::INFINITY,
        "-Inf" => f64::NEG_INFINITY,
        v => v.parse().ok()?,
    };
    Some(Sample {
        name: name.trim().to_string(),
        labels,
        value,
    })
}

fn parse_labels(s: &str) -> Option<BTreeMap<String, String>> {
    let mut out = BTreeMap::new();
    let mut rest = s.trim();
    while !rest.is_empty() {
        let eq = rest.find('=')?;
        let key = rest[..eq].trim().trim_start_matches(',').trim().to_string();
        let after = rest[eq + 1..].trim_start();
        let mut chars = after.char_indices();
        if chars.next()?.1 != '"' {
            return None;
        }
        let mut value = String::new();
        let mut end = None;
        let mut escaped = false;
        for (i, c) in chars {
            match (escaped, c) {
                (true, 'n') => {
                    value.push('\n');
                    escaped = false;
                }
                (true, c) => {
                    value.push(c);
                    escaped = false;
                }
                (false, '\\') => escaped = true,
                (false, '"') => {
                    end = Some(i);
                    break;
                }
                (false, c) => value.push(c),
            }
        }
        let end = end?;
        out.insert(key, value);
        rest = after[end + 1..]
            .trim_start()
            .trim_start_matches(',')
            .trim_start();
    }
    Some(out)
}

/// The samples named `name`.
pub fn named<'a>(samples: &'a [Sample], name: &'a str) -> impl Iterator<Item = &'a Sample> {
    samples.iter().filter(move |s| s.name == name)
}

/// The sum of the samples named `name` (0 when there are none).
pub fn sum(samples: &[Sample], name: &str) -> f64 {
    named(samples, name).map(|s| s.value).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Fuzzing regression: a '}' before the '{' made the label slice run
    /// backwards and panic.
    #[test]
    fn a_closing_brace_before_the_opening_one_is_skipped() {
        assert!(parse("a}b{c 1\n[globa}l{ 2").is_empty());
        assert_eq!(parse("x}{y 3\nok{a=\"1\"} 4").len(), 1);
    }

    #[test]
    fn parses_labels_values_and_skips_comments() {
        let text = "# HELP x help\n# TYPE x gauge\nledger_blockchain_height{channel=\"mychannel\"} 12\nup 1\nbad{ 3\nescaped{a=\"q\\\"x\",b=\"2\"} 1.5e3\n";
        let s = parse(text);
        assert_eq!(s.len(), 3);
        assert_eq!(s[0].name, "ledger_blockchain_height");
        assert_eq!(s[0].labels["channel"], "mychannel");
        assert_eq!(s[0].value, 12.0);
        assert_eq!(s[1].name, "up");
        assert_eq!(s[2].labels["a"], "q\"x");
        assert_eq!(s[2].value, 1500.0);
        assert_eq!(sum(&s, "up"), 1.0);
    }
}
