//! A strict, bounded reader of the Prometheus text exposition format
//! (version 0.0.4), for the metrics pages of remote nodes and of the node
//! exporter on their hosts.
//!
//! Why our own and not a crate: `prometheus-parse` (0.2.5, the one kept on
//! crates.io) matches lines with regular expressions and splits label sets
//! on `,` and `=`, so a label value holding either (a mount point, a version
//! string) is cut wrongly and escapes are never decoded; a line it cannot
//! match is dropped without a word, and it has no bound on what it keeps.
//! It also brings chrono, itertools and once_cell for what is 300 lines here.
//! The lenient reader in `transport::prometheus` (Fabric, Hermes) skips any
//! line it does not understand; that suits their known pages, not endpoints
//! an operator points us at.
//!
//! Strict means: a page with a line that is not valid exposition is refused
//! as a whole, with the line number, as Prometheus itself refuses the
//! scrape. Accepted as Prometheus' own parser (`expfmt`) accepts them: blanks
//! before the label set (geth writes `name {quantile="0.5"} 1`), blanks and
//! a trailing comma inside it, blank lines, comments other than HELP/TYPE.
//! Bounded means: the body, each line, the number of samples and the labels
//! of one sample have limits ([`Limits`]); past one, the page is refused.
//! No input makes it panic (a unit test feeds malformed pages, and the
//! `prometheus_text` fuzz target runs it).

use std::collections::BTreeMap;

/// How much one page may hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Octets of the whole body.
    pub max_body_bytes: usize,
    /// Octets of one line.
    pub max_line_bytes: usize,
    /// Samples (non-comment lines) in the page.
    pub max_samples: usize,
    /// Labels of one sample.
    pub max_labels: usize,
}

impl Default for Limits {
    /// Sized well above what real pages hold: a busy geth with `--metrics`
    /// serves about 0.5 MB in 15 000 lines, a node exporter on a large host
    /// a few hundred kB.
    fn default() -> Self {
        Limits {
            max_body_bytes: 8 << 20,
            max_line_bytes: 16 << 10,
            max_samples: 100_000,
            max_labels: 64,
        }
    }
}

/// The declared type of a metric family (`# TYPE name type`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MetricType {
    Counter,
    Gauge,
    Histogram,
    Summary,
    Untyped,
}

/// One sample line.
#[derive(Debug, Clone, PartialEq)]
pub struct Sample {
    pub name: String,
    /// In the order of the page; names are unique within a sample.
    pub labels: Vec<(String, String)>,
    pub value: f64,
    /// Milliseconds since the epoch, when the page gives one.
    pub timestamp_ms: Option<i64>,
}

impl Sample {
    /// The value of label `key`.
    pub fn label(&self, key: &str) -> Option<&str> {
        self.labels
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
}

/// A parsed page: its samples in order and the declared types.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Page {
    samples: Vec<Sample>,
    types: BTreeMap<String, MetricType>,
}

impl Page {
    pub fn samples(&self) -> &[Sample] {
        &self.samples
    }

    /// The samples named `name`.
    pub fn named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Sample> + 'a {
        self.samples.iter().filter(move |s| s.name == name)
    }

    /// Finite values of the samples named `name`: NaN and infinities are
    /// no figure.
    fn finite<'a>(&'a self, name: &'a str) -> impl Iterator<Item = f64> + 'a {
        self.named(name).map(|s| s.value).filter(|v| v.is_finite())
    }

    /// The first finite value named `name`, whatever its labels.
    pub fn first(&self, name: &str) -> Option<f64> {
        self.finite(name).next()
    }

    /// The sum of the finite values named `name`; absent when there is
    /// none (never 0 for a metric the page lacks).
    pub fn sum(&self, name: &str) -> Option<f64> {
        self.finite(name)
            .fold(None, |acc, v| Some(acc.unwrap_or(0.0) + v))
    }

    /// The largest finite value named `name`.
    pub fn max(&self, name: &str) -> Option<f64> {
        self.finite(name).fold(None, |acc: Option<f64>, v| {
            Some(acc.map_or(v, |a| a.max(v)))
        })
    }

    /// The type a `# TYPE` line declared for `name`.
    pub fn metric_type(&self, name: &str) -> Option<MetricType> {
        self.types.get(name).copied()
    }
}

/// Why a page was refused; `line` is 1-based (0 for the body as a whole).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("line {line}: {reason}")]
pub struct ParseError {
    pub line: usize,
    pub reason: String,
}

fn err<T>(line: usize, reason: impl Into<String>) -> Result<T, ParseError> {
    Err(ParseError {
        line,
        reason: reason.into(),
    })
}

/// Parse a whole page, or refuse it.
pub fn parse(text: &str, limits: &Limits) -> Result<Page, ParseError> {
    if text.len() > limits.max_body_bytes {
        return err(
            0,
            format!(
                "body of {} octets exceeds {}",
                text.len(),
                limits.max_body_bytes
            ),
        );
    }
    let mut page = Page::default();
    for (i, raw) in text.split('\n').enumerate() {
        let n = i + 1;
        if raw.len() > limits.max_line_bytes {
            return err(
                n,
                format!("line longer than {} octets", limits.max_line_bytes),
            );
        }
        let line = raw.strip_suffix('\r').unwrap_or(raw);
        let line = line.trim_start_matches([' ', '\t']);
        if line.is_empty() {
            continue;
        }
        if let Some(comment) = line.strip_prefix('#') {
            comment_line(comment, n, &mut page.types)?;
            continue;
        }
        if page.samples.len() >= limits.max_samples {
            return err(n, format!("more than {} samples", limits.max_samples));
        }
        page.samples.push(sample_line(line, n, limits)?);
    }
    Ok(page)
}

/// `# HELP name text`, `# TYPE name type`, or any other comment.
fn comment_line(
    body: &str,
    n: usize,
    types: &mut BTreeMap<String, MetricType>,
) -> Result<(), ParseError> {
    let mut words = body.split([' ', '\t']).filter(|w| !w.is_empty());
    let keyword = words.next();
    if keyword != Some("HELP") && keyword != Some("TYPE") {
        return Ok(());
    }
    let Some(name) = words.next() else {
        return err(n, "HELP or TYPE without a metric name");
    };
    if !is_metric_name(name) {
        return err(n, format!("'{name}' is not a metric name"));
    }
    if keyword == Some("HELP") {
        return Ok(());
    }
    let kind = match words.next() {
        Some("counter") => MetricType::Counter,
        Some("gauge") => MetricType::Gauge,
        Some("histogram") => MetricType::Histogram,
        Some("summary") => MetricType::Summary,
        Some("untyped") => MetricType::Untyped,
        Some(other) => return err(n, format!("unknown metric type '{other}'")),
        None => return err(n, "TYPE without a type"),
    };
    if words.next().is_some() {
        return err(n, "text after the type");
    }
    if types.insert(name.to_string(), kind).is_some() {
        return err(n, format!("a second TYPE line for '{name}'"));
    }
    Ok(())
}

/// A byte cursor over one line. Every delimiter is ASCII, so slicing at
/// the positions it stops at stays on character boundaries.
struct Cursor<'a> {
    s: &'a str,
    pos: usize,
}

impl<'a> Cursor<'a> {
    fn peek(&self) -> Option<u8> {
        self.s.as_bytes().get(self.pos).copied()
    }

    fn skip_blanks(&mut self) -> bool {
        let start = self.pos;
        while matches!(self.peek(), Some(b' ' | b'\t')) {
            self.pos += 1;
        }
        self.pos > start
    }

    /// The longest run of bytes for which `ok(byte, index_in_run)` holds.
    fn take_while(&mut self, ok: impl Fn(u8, usize) -> bool) -> &'a str {
        let start = self.pos;
        while let Some(b) = self.peek() {
            if !ok(b, self.pos - start) {
                break;
            }
            self.pos += 1;
        }
        self.s.get(start..self.pos).unwrap_or("")
    }
}

fn name_byte(b: u8, i: usize, colon: bool) -> bool {
    b.is_ascii_alphabetic() || b == b'_' || (colon && b == b':') || (i > 0 && b.is_ascii_digit())
}

fn is_metric_name(s: &str) -> bool {
    !s.is_empty() && s.bytes().enumerate().all(|(i, b)| name_byte(b, i, true))
}

fn sample_line(line: &str, n: usize, limits: &Limits) -> Result<Sample, ParseError> {
    let mut c = Cursor { s: line, pos: 0 };
    let name = c.take_while(|b, i| name_byte(b, i, true));
    if name.is_empty() {
        return err(n, "a sample line must start with a metric name");
    }
    let blank_after_name = c.skip_blanks();
    let mut labels = Vec::new();
    if c.peek() == Some(b'{') {
        c.pos += 1;
        labels = label_set(&mut c, n, limits)?;
        c.skip_blanks();
    } else if !blank_after_name {
        return err(
            n,
            format!("'{name}' must be followed by a label set or a blank"),
        );
    }
    let value = c.take_while(|b, _| b != b' ' && b != b'\t');
    if value.is_empty() {
        return err(n, format!("'{name}' has no value"));
    }
    let value = parse_value(value).ok_or_else(|| ParseError {
        line: n,
        reason: format!("'{value}' is not a number"),
    })?;
    c.skip_blanks();
    let mut timestamp_ms = None;
    let ts = c.take_while(|b, _| b != b' ' && b != b'\t');
    if !ts.is_empty() {
        timestamp_ms = Some(ts.parse::<i64>().map_err(|_| ParseError {
            line: n,
            reason: format!("'{ts}' is not a timestamp in milliseconds"),
        })?);
        c.skip_blanks();
    }
    if c.pos != line.len() {
        return err(n, "text after the value and timestamp");
    }
    Ok(Sample {
        name: name.to_string(),
        labels,
        value,
        timestamp_ms,
    })
}

/// Go's ParseFloat spellings that Prometheus writes: decimal and exponent
/// forms, `NaN`, `+Inf`, `-Inf` (any case, as Go accepts).
fn parse_value(s: &str) -> Option<f64> {
    // Rust also takes "infinity" and "nan" in any case, as Go does; it
    // refuses Go's hex floats, which no exporter writes.
    s.parse::<f64>().ok()
}

/// After the `{`: labels up to and including the `}`.
fn label_set(
    c: &mut Cursor<'_>,
    n: usize,
    limits: &Limits,
) -> Result<Vec<(String, String)>, ParseError> {
    let mut labels: Vec<(String, String)> = Vec::new();
    loop {
        c.skip_blanks();
        if c.peek() == Some(b'}') {
            c.pos += 1;
            return Ok(labels);
        }
        let key = c.take_while(|b, i| name_byte(b, i, false));
        if key.is_empty() {
            return err(n, "expected a label name or '}'");
        }
        c.skip_blanks();
        if c.peek() != Some(b'=') {
            return err(n, format!("label '{key}' has no '='"));
        }
        c.pos += 1;
        c.skip_blanks();
        if c.peek() != Some(b'"') {
            return err(n, format!("the value of label '{key}' must be quoted"));
        }
        c.pos += 1;
        let value = label_value(c, n)?;
        if labels.iter().any(|(k, _)| k == key) {
            return err(n, format!("label '{key}' given twice"));
        }
        if labels.len() >= limits.max_labels {
            return err(n, format!("more than {} labels", limits.max_labels));
        }
        labels.push((key.to_string(), value));
        c.skip_blanks();
        match c.peek() {
            Some(b',') => c.pos += 1,
            Some(b'}') => {}
            _ => return err(n, format!("expected ',' or '}}' after label '{key}'")),
        }
    }
}

/// After the opening quote: the value up to and including the closing
/// one, with `\\`, `\"` and `\n` decoded; any other escape is refused.
fn label_value(c: &mut Cursor<'_>, n: usize) -> Result<String, ParseError> {
    let mut out: Vec<u8> = Vec::new();
    loop {
        let Some(b) = c.peek() else {
            return err(n, "unterminated label value");
        };
        c.pos += 1;
        match b {
            b'"' => break,
            b'\\' => {
                let Some(e) = c.peek() else {
                    return err(n, "unterminated label value");
                };
                c.pos += 1;
                out.push(match e {
                    b'\\' => b'\\',
                    b'"' => b'"',
                    b'n' => b'\n',
                    other => {
                        return err(
                            n,
                            format!("invalid escape '\\{}' in a label value", other as char),
                        );
                    }
                });
            }
            other => out.push(other),
        }
    }
    // Only whole characters were copied (escapes and delimiters are
    // ASCII), so this cannot fail; it is still an error, not a panic.
    String::from_utf8(out).or_else(|_| err(n, "label value is not UTF-8"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(text: &str) -> Page {
        parse(text, &Limits::default()).unwrap_or_else(|e| panic!("{e}: {text:?}"))
    }

    fn refused(text: &str) -> ParseError {
        match parse(text, &Limits::default()) {
            Ok(p) => panic!("accepted {text:?}: {p:?}"),
            Err(e) => e,
        }
    }

    #[test]
    fn reads_samples_labels_types_and_timestamps() {
        let page = ok("# HELP up Whether up.\n# TYPE up gauge\nup 1\n\n\
             node_filesystem_size_bytes{device=\"/dev/vda\",fstype=\"ext4\",mountpoint=\"/a,b=c\"} 2.7e+11\n\
             esc{a=\"q\\\"x\\\\y\\nz\"} -Inf 1395066363000\n\
             nan_one NaN\n");
        assert_eq!(page.samples().len(), 4);
        assert_eq!(page.metric_type("up"), Some(MetricType::Gauge));
        assert_eq!(page.first("up"), Some(1.0));
        let fs = &page.samples()[1];
        assert_eq!(fs.label("mountpoint"), Some("/a,b=c"));
        assert_eq!(fs.value, 2.7e11);
        let esc = &page.samples()[2];
        assert_eq!(esc.label("a"), Some("q\"x\\y\nz"));
        assert_eq!(esc.value, f64::NEG_INFINITY);
        assert_eq!(esc.timestamp_ms, Some(1_395_066_363_000));
        // NaN and infinities are in the page but are no figure.
        assert_eq!(page.first("nan_one"), None);
        assert_eq!(page.sum("esc"), None);
        assert_eq!(page.sum("absent"), None);
    }

    /// The shapes geth's collector writes (metrics/prometheus/collector.go
    /// in go-ethereum v1.17): a blank before the label set, and ", "
    /// between labels of an info gauge.
    #[test]
    fn accepts_what_expfmt_accepts() {
        let page = ok("# TYPE chain_head_block gauge\nchain_head_block 42\n\n\
             # TYPE t summary\nt {quantile=\"0.5\"} 3\n\
             # TYPE geth_info gauge\ngeth_info {arch=\"amd64\", os=\"linux\", } 1\n\
             \tindented 2\r\nno_blank{a=\"1\"}7\n");
        assert_eq!(page.first("chain_head_block"), Some(42.0));
        assert_eq!(
            page.named("t").next().and_then(|s| s.label("quantile")),
            Some("0.5")
        );
        assert_eq!(
            page.named("geth_info").next().map(|s| s.labels.len()),
            Some(2)
        );
        assert_eq!(page.first("indented"), Some(2.0));
        assert_eq!(page.first("no_blank"), Some(7.0));
        assert_eq!(page.sum("chain_head_block"), Some(42.0));
    }

    #[test]
    fn refuses_malformed_pages_with_the_line() {
        for (text, line) in [
            ("up 1\nbad{ 3\n", 2),
            ("a}b{c 1", 1),
            ("{a=\"1\"} 1", 1),
            ("x{a=1} 1", 1),
            ("x{a=\"1\" b=\"2\"} 1", 1),
            ("x{a=\"1\",a=\"2\"} 1", 1),
            ("x{a=\"\\t\"} 1", 1),
            ("x{a=\"open} 1", 1),
            ("x{a=\"1\"}", 1),
            ("x", 1),
            ("x one", 1),
            ("x 1 2 3", 1),
            ("x 1 1.5", 1),
            ("9x 1", 1),
            ("x{9=\"1\"} 1", 1),
            ("x{a\"1\"} 1", 1),
            ("\n# TYPE x gauge\n# TYPE x counter\n", 3),
            ("# TYPE x meter\n", 1),
            ("# TYPE x\n", 1),
            ("# HELP\n", 1),
            ("# TYPE 1x gauge\n", 1),
            ("x{a=\"\\", 1),
            ("x\u{e9} 1", 1),
        ] {
            let e = refused(text);
            assert_eq!(e.line, line, "{text:?}: {e}");
        }
    }

    /// No input panics: every prefix of valid and invalid pages, and bytes
    /// that cut UTF-8 sequences at every delimiter.
    #[test]
    fn malformed_input_never_panics() {
        let corpus = "# TYPE a gauge\na{b=\"c\\\"d\u{e9}\",e=\"\u{1F600}\"} 1.5e3 12\n\
                      x {quantile=\"0.5\"} NaN\n}{\"\\\n{{{}}} = , \" \u{0}\u{7f}";
        let limits = Limits::default();
        for end in 0..=corpus.len() {
            if let Some(prefix) = corpus.get(..end) {
                let _ = parse(prefix, &limits);
            }
            if let Some(suffix) = corpus.get(end..) {
                let _ = parse(suffix, &limits);
            }
        }
        let mut x: u32 = 1;
        let alphabet = b"a_:{}=\",\\ \t\n#19.e+-Inf";
        for _ in 0..2000 {
            let mut s = String::new();
            for _ in 0..40 {
                x ^= x << 13;
                x ^= x >> 17;
                x ^= x << 5;
                s.push(alphabet[(x as usize) % alphabet.len()] as char);
            }
            let _ = parse(&s, &limits);
        }
    }

    #[test]
    fn limits_are_enforced() {
        let small = Limits {
            max_body_bytes: 64,
            max_line_bytes: 16,
            max_samples: 2,
            max_labels: 1,
        };
        assert_eq!(
            parse(&"a 1\n".repeat(20), &small).map_err(|e| e.line),
            Err(0)
        );
        assert_eq!(
            parse("a 1\nthis_line_is_too_long 1\n", &small).map_err(|e| e.line),
            Err(2)
        );
        assert_eq!(parse("a 1\nb 2\nc 3\n", &small).map_err(|e| e.line), Err(3));
        assert!(parse("a{x=\"1\"} 1\n", &small).is_ok());
        assert!(parse("a{x=\"1\",y=\"2\"} 1\n", &small).is_err());
        // Comments do not count as samples.
        assert!(parse("# c\n# d\na 1\nb 2\n", &small).is_ok());
    }
}
