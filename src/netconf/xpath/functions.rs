//! The XPath 1.0 core function library (section 4) and the YANG 1.1
//! functions (RFC 7950 section 10) a filter can use. `deref()` is not
//! offered: it fails with [`XPathError::Unsupported`].

use super::XPathError;
use super::ast::Expr;
use super::doc::{Ix, Kind};
use super::eval::{Ctx, Evaluator};
use super::identity;
use super::value::{Value, node_string, string_cost};

/// Largest compiled regular expression `re-match()` accepts, in bytes.
const REGEX_SIZE_LIMIT: usize = 1 << 20;

fn arity(name: &str, args: &[Expr], min: usize, max: usize) -> Result<(), XPathError> {
    if args.len() < min || args.len() > max {
        return Err(XPathError::Invalid(format!(
            "{name}() takes {} argument(s), not {}",
            if min == max {
                min.to_string()
            } else if max == usize::MAX {
                format!("at least {min}")
            } else {
                format!("{min} to {max}")
            },
            args.len()
        )));
    }
    Ok(())
}

impl Evaluator<'_, '_> {
    fn arg(&mut self, args: &[Expr], i: usize, ctx: Ctx) -> Result<Value, XPathError> {
        self.eval(&args[i], ctx)
    }

    fn str_arg(&mut self, args: &[Expr], i: usize, ctx: Ctx) -> Result<String, XPathError> {
        let v = self.arg(args, i, ctx)?;
        let s = v.string(self.doc, self.budget)?;
        self.budget.spend(string_cost(s.len()))?;
        Ok(s)
    }

    fn num_arg(&mut self, args: &[Expr], i: usize, ctx: Ctx) -> Result<f64, XPathError> {
        let v = self.arg(args, i, ctx)?;
        v.number(self.doc, self.budget)
    }

    fn nodes_arg(
        &mut self,
        args: &[Expr],
        i: usize,
        ctx: Ctx,
        f: &str,
    ) -> Result<Vec<Ix>, XPathError> {
        match self.arg(args, i, ctx)? {
            Value::Nodes(n) => Ok(n),
            _ => Err(XPathError::Invalid(format!("{f}() needs a node-set"))),
        }
    }

    /// The string of the optional argument, or of the context node.
    fn str_or_context(
        &mut self,
        name: &str,
        args: &[Expr],
        ctx: Ctx,
    ) -> Result<String, XPathError> {
        arity(name, args, 0, 1)?;
        if args.is_empty() {
            let s = node_string(self.doc, ctx.node, self.budget)?;
            self.budget.spend(string_cost(s.len()))?;
            Ok(s)
        } else {
            self.str_arg(args, 0, ctx)
        }
    }

    /// The first node of the optional node-set argument, or the context
    /// node.
    fn node_or_context(
        &mut self,
        name: &str,
        args: &[Expr],
        ctx: Ctx,
    ) -> Result<Option<Ix>, XPathError> {
        arity(name, args, 0, 1)?;
        if args.is_empty() {
            Ok(Some(ctx.node))
        } else {
            Ok(self.nodes_arg(args, 0, ctx, name)?.first().copied())
        }
    }

    pub fn call(&mut self, name: &str, args: &[Expr], ctx: Ctx) -> Result<Value, XPathError> {
        self.budget.spend(1)?;
        let v = match name {
            "last" => {
                arity(name, args, 0, 0)?;
                Value::Num(ctx.size as f64)
            }
            "position" => {
                arity(name, args, 0, 0)?;
                Value::Num(ctx.pos as f64)
            }
            "count" => {
                arity(name, args, 1, 1)?;
                Value::Num(self.nodes_arg(args, 0, ctx, name)?.len() as f64)
            }
            "current" => {
                arity(name, args, 0, 0)?;
                Value::Nodes(vec![self.current])
            }
            "local-name" | "name" | "namespace-uri" => {
                let node = self.node_or_context(name, args, ctx)?;
                let s = match node {
                    Some(n) if self.doc.kind(n) != Kind::Root => {
                        let meta = &self.doc.node(n).meta;
                        match name {
                            "local-name" => meta.name.to_string(),
                            "name" => format!("{}:{}", meta.module, meta.name),
                            _ => meta.namespace.to_string(),
                        }
                    }
                    _ => String::new(),
                };
                Value::Str(s)
            }
            "string" => Value::Str(self.str_or_context(name, args, ctx)?),
            "concat" => {
                arity(name, args, 2, usize::MAX)?;
                let mut s = String::new();
                for i in 0..args.len() {
                    s.push_str(&self.str_arg(args, i, ctx)?);
                }
                Value::Str(s)
            }
            "starts-with" | "contains" | "substring-before" | "substring-after" => {
                arity(name, args, 2, 2)?;
                let a = self.str_arg(args, 0, ctx)?;
                let b = self.str_arg(args, 1, ctx)?;
                match name {
                    "starts-with" => Value::Bool(a.starts_with(&b)),
                    "contains" => Value::Bool(a.contains(&b)),
                    "substring-before" => {
                        Value::Str(a.find(&b).map(|i| a[..i].to_string()).unwrap_or_default())
                    }
                    _ => Value::Str(
                        a.find(&b)
                            .map(|i| a[i + b.len()..].to_string())
                            .unwrap_or_default(),
                    ),
                }
            }
            "substring" => {
                arity(name, args, 2, 3)?;
                let s = self.str_arg(args, 0, ctx)?;
                let start = xpath_round(self.num_arg(args, 1, ctx)?);
                let end = if args.len() == 3 {
                    start + xpath_round(self.num_arg(args, 2, ctx)?)
                } else {
                    f64::INFINITY
                };
                let out: String = s
                    .chars()
                    .enumerate()
                    .filter(|(i, _)| {
                        let p = (*i + 1) as f64;
                        p >= start && p < end
                    })
                    .map(|(_, c)| c)
                    .collect();
                Value::Str(out)
            }
            "string-length" => {
                let s = self.str_or_context(name, args, ctx)?;
                Value::Num(s.chars().count() as f64)
            }
            "normalize-space" => {
                let s = self.str_or_context(name, args, ctx)?;
                Value::Str(s.split_whitespace().collect::<Vec<_>>().join(" "))
            }
            "translate" => {
                arity(name, args, 3, 3)?;
                let s = self.str_arg(args, 0, ctx)?;
                let from: Vec<char> = self.str_arg(args, 1, ctx)?.chars().collect();
                let to: Vec<char> = self.str_arg(args, 2, ctx)?.chars().collect();
                self.budget
                    .spend((s.len() as u64 / 8).saturating_mul(1 + from.len() as u64 / 8))?;
                let out: String = s
                    .chars()
                    .filter_map(|c| match from.iter().position(|&f| f == c) {
                        Some(i) => to.get(i).copied(),
                        None => Some(c),
                    })
                    .collect();
                Value::Str(out)
            }
            "boolean" => {
                arity(name, args, 1, 1)?;
                Value::Bool(self.arg(args, 0, ctx)?.boolean())
            }
            "not" => {
                arity(name, args, 1, 1)?;
                Value::Bool(!self.arg(args, 0, ctx)?.boolean())
            }
            "true" | "false" => {
                arity(name, args, 0, 0)?;
                Value::Bool(name == "true")
            }
            "lang" => {
                arity(name, args, 1, 1)?;
                self.arg(args, 0, ctx)?;
                // YANG data carries no xml:lang.
                Value::Bool(false)
            }
            "number" => {
                arity(name, args, 0, 1)?;
                if args.is_empty() {
                    Value::Num(Value::Nodes(vec![ctx.node]).number(self.doc, self.budget)?)
                } else {
                    Value::Num(self.num_arg(args, 0, ctx)?)
                }
            }
            "sum" => {
                arity(name, args, 1, 1)?;
                let nodes = self.nodes_arg(args, 0, ctx, name)?;
                let mut total = 0.0;
                for n in nodes {
                    total += super::value::str_to_num(&node_string(self.doc, n, self.budget)?);
                }
                Value::Num(total)
            }
            "floor" | "ceiling" | "round" => {
                arity(name, args, 1, 1)?;
                let x = self.num_arg(args, 0, ctx)?;
                Value::Num(match name {
                    "floor" => x.floor(),
                    "ceiling" => x.ceil(),
                    _ => xpath_round(x),
                })
            }
            "re-match" => {
                arity(name, args, 2, 2)?;
                let s = self.str_arg(args, 0, ctx)?;
                let pattern = self.str_arg(args, 1, ctx)?;
                self.budget.spend(string_cost(s.len()))?;
                Value::Bool(self.regex(&pattern)?.is_match(&s))
            }
            "derived-from" | "derived-from-or-self" => {
                arity(name, args, 2, 2)?;
                let nodes = self.nodes_arg(args, 0, ctx, name)?;
                let base = self.str_arg(args, 1, ctx)?;
                let or_self = name == "derived-from-or-self";
                let derived =
                    identity::derived(self.doc, self.current, &base, or_self, self.budget)?;
                let mut hit = false;
                for n in nodes {
                    self.budget.spend(1)?;
                    if identity::is_identityref(self.doc, n)
                        && self
                            .doc
                            .node(n)
                            .value
                            .as_deref()
                            .is_some_and(|v| derived.contains(v))
                    {
                        hit = true;
                        break;
                    }
                }
                Value::Bool(hit)
            }
            "enum-value" => {
                arity(name, args, 1, 1)?;
                let nodes = self.nodes_arg(args, 0, ctx, name)?;
                Value::Num(
                    nodes
                        .first()
                        .and_then(|&n| identity::enum_value(self.doc, n))
                        .map_or(f64::NAN, f64::from),
                )
            }
            "bit-is-set" => {
                arity(name, args, 2, 2)?;
                let nodes = self.nodes_arg(args, 0, ctx, name)?;
                let bit = self.str_arg(args, 1, ctx)?;
                let set = nodes.first().is_some_and(|&n| {
                    identity::is_bits(self.doc, n)
                        && self
                            .doc
                            .node(n)
                            .value
                            .as_deref()
                            .is_some_and(|v| v.split_whitespace().any(|b| b == bit))
                });
                Value::Bool(set)
            }
            "deref" => {
                return Err(XPathError::Unsupported("the function deref()".into()));
            }
            other => {
                return Err(XPathError::Invalid(format!("unknown function {other}()")));
            }
        };
        Ok(v)
    }

    /// A YANG pattern (XML Schema regular expression, implicitly anchored)
    /// compiled once per evaluation. The regex crate runs in linear time.
    fn regex(&mut self, pattern: &str) -> Result<&regex::Regex, XPathError> {
        if !self.regexes.contains_key(pattern) {
            self.budget.spend(string_cost(pattern.len()) * 16)?;
            let re = regex::RegexBuilder::new(&format!("^(?:{pattern})$"))
                .size_limit(REGEX_SIZE_LIMIT)
                .build()
                .map_err(|e| XPathError::Invalid(format!("re-match pattern: {e}")))?;
            self.regexes.insert(pattern.to_string(), re);
        }
        self.regexes
            .get(pattern)
            .ok_or_else(|| XPathError::Invalid("re-match pattern".into()))
    }
}

/// XPath round(): the closest integer, halves towards positive infinity.
fn xpath_round(x: f64) -> f64 {
    if x.is_nan() || x.is_infinite() {
        x
    } else {
        (x + 0.5).floor()
    }
}
