//! Recursive-descent parser for XPath 1.0 (section 3), with a bound on
//! nesting so that a hostile expression cannot exhaust the stack, here or
//! in the evaluator that walks the tree.

use super::XPathError;
use super::ast::{Axis, BinOp, Expr, NodeTest, Path, Start, Step};
use super::lexer::{Token, tokens};

/// Deepest expression tree accepted (parentheses, predicates, operator
/// chains and function arguments all count). Real filters stay far below.
pub const MAX_DEPTH: usize = 128;

/// Parse a whole expression.
pub fn parse(expr: &str) -> Result<Expr, XPathError> {
    // XML (where filters come from) cannot carry NUL, and names and
    // literals reach libyang as C strings: refused here, not there (a
    // literal with NUL in derived-from() panicked in yang5, found by
    // fuzzing).
    if expr.contains('\0') {
        return Err(XPathError::Syntax(
            "the expression contains a NUL character".into(),
        ));
    }
    let toks = tokens(expr)?;
    let mut p = Parser {
        toks,
        pos: 0,
        nesting: 0,
    };
    let (e, _) = p.expr()?;
    if p.pos != p.toks.len() {
        return Err(p.error("unexpected token"));
    }
    Ok(e)
}

fn too_deep() -> XPathError {
    XPathError::Syntax(format!("expression nested deeper than {MAX_DEPTH} levels"))
}

struct Parser {
    toks: Vec<Token>,
    pos: usize,
    nesting: usize,
}

const NODE_TYPES: [&str; 4] = ["node", "text", "comment", "processing-instruction"];

impl Parser {
    fn error(&self, what: &str) -> XPathError {
        match self.toks.get(self.pos) {
            Some(t) => XPathError::Syntax(format!("{what} at token {} ({t:?})", self.pos + 1)),
            None => XPathError::Syntax(format!("{what} at the end")),
        }
    }

    fn peek(&self) -> Option<&Token> {
        self.toks.get(self.pos)
    }

    fn peek_at(&self, n: usize) -> Option<&Token> {
        self.toks.get(self.pos + n)
    }

    fn eat(&mut self, t: &Token) -> bool {
        if self.peek() == Some(t) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn expect(&mut self, t: &Token) -> Result<(), XPathError> {
        if self.eat(t) {
            Ok(())
        } else {
            Err(self.error(&format!("expected {t:?}")))
        }
    }

    fn is_op_name(&self, name: &str) -> bool {
        matches!(self.peek(), Some(Token::Name(n)) if n == name)
    }

    /// An expression and the depth of its tree: every operator, predicate,
    /// argument and parenthesis adds one, so that neither the evaluator nor
    /// dropping the tree recurses deeper than [`MAX_DEPTH`].
    fn expr(&mut self) -> Result<(Expr, usize), XPathError> {
        self.nesting += 1;
        if self.nesting > MAX_DEPTH {
            return Err(too_deep());
        }
        let e = self.or();
        self.nesting -= 1;
        e
    }

    fn binary(
        &mut self,
        next: fn(&mut Parser) -> Result<(Expr, usize), XPathError>,
        op: fn(&Parser) -> Option<BinOp>,
    ) -> Result<(Expr, usize), XPathError> {
        let (mut left, mut d) = next(self)?;
        while let Some(o) = op(self) {
            self.pos += 1;
            let (right, dr) = next(self)?;
            d = d.max(dr) + 1;
            if d > MAX_DEPTH {
                return Err(too_deep());
            }
            left = Expr::Binary(o, Box::new(left), Box::new(right));
        }
        Ok((left, d))
    }

    fn or(&mut self) -> Result<(Expr, usize), XPathError> {
        self.binary(Parser::and, |p| p.is_op_name("or").then_some(BinOp::Or))
    }

    fn and(&mut self) -> Result<(Expr, usize), XPathError> {
        self.binary(Parser::equality, |p| {
            p.is_op_name("and").then_some(BinOp::And)
        })
    }

    fn equality(&mut self) -> Result<(Expr, usize), XPathError> {
        self.binary(Parser::relational, |p| match p.peek() {
            Some(Token::Eq) => Some(BinOp::Eq),
            Some(Token::Ne) => Some(BinOp::Ne),
            _ => None,
        })
    }

    fn relational(&mut self) -> Result<(Expr, usize), XPathError> {
        self.binary(Parser::additive, |p| match p.peek() {
            Some(Token::Lt) => Some(BinOp::Lt),
            Some(Token::Le) => Some(BinOp::Le),
            Some(Token::Gt) => Some(BinOp::Gt),
            Some(Token::Ge) => Some(BinOp::Ge),
            _ => None,
        })
    }

    fn additive(&mut self) -> Result<(Expr, usize), XPathError> {
        self.binary(Parser::multiplicative, |p| match p.peek() {
            Some(Token::Plus) => Some(BinOp::Add),
            Some(Token::Minus) => Some(BinOp::Sub),
            _ => None,
        })
    }

    fn multiplicative(&mut self) -> Result<(Expr, usize), XPathError> {
        self.binary(Parser::unary, |p| match p.peek() {
            Some(Token::Star) => Some(BinOp::Mul),
            Some(Token::Name(n)) if n == "div" => Some(BinOp::Div),
            Some(Token::Name(n)) if n == "mod" => Some(BinOp::Mod),
            _ => None,
        })
    }

    fn unary(&mut self) -> Result<(Expr, usize), XPathError> {
        let mut minus = 0usize;
        while self.eat(&Token::Minus) {
            minus += 1;
        }
        let (e, d) = self.union()?;
        Ok(if minus % 2 == 1 {
            (Expr::Negate(Box::new(e)), d + 1)
        } else if minus > 0 {
            // `--x` is the number of x.
            (Expr::Negate(Box::new(Expr::Negate(Box::new(e)))), d + 2)
        } else {
            (e, d)
        })
    }

    fn union(&mut self) -> Result<(Expr, usize), XPathError> {
        self.binary(Parser::path_expr, |p| {
            (p.peek() == Some(&Token::Pipe)).then_some(BinOp::Union)
        })
    }

    /// Does a filter expression (primary expression) start here?
    fn at_primary(&self) -> bool {
        match self.peek() {
            Some(Token::Literal(_) | Token::Number(_) | Token::LParen | Token::Dollar) => true,
            Some(Token::Name(n)) => {
                self.peek_at(1) == Some(&Token::LParen) && !NODE_TYPES.contains(&n.as_str())
            }
            _ => false,
        }
    }

    fn path_expr(&mut self) -> Result<(Expr, usize), XPathError> {
        if self.at_primary() {
            let (primary, mut d) = self.primary()?;
            let mut preds = Vec::new();
            while self.peek() == Some(&Token::LBracket) {
                let (p, dp) = self.predicate()?;
                d = d.max(dp);
                preds.push(p);
            }
            let mut steps = Vec::new();
            if matches!(self.peek(), Some(Token::Slash | Token::DoubleSlash)) {
                d = d.max(self.relative(&mut steps)?);
            }
            if preds.is_empty() && steps.is_empty() {
                return Ok((primary, d));
            }
            let path = Path {
                start: Start::Filter(Box::new(primary), preds),
                steps,
            };
            return Ok((Expr::Path(path), d + 1));
        }
        let mut steps = Vec::new();
        let mut d = 0;
        let start = match self.peek() {
            Some(Token::Slash) => {
                if self.starts_step(1) {
                    d = self.relative(&mut steps)?;
                } else {
                    self.pos += 1;
                }
                Start::Root
            }
            Some(Token::DoubleSlash) => {
                d = self.relative(&mut steps)?;
                Start::Root
            }
            _ => {
                let (s, ds) = self.step()?;
                steps.push(s);
                d = ds;
                if matches!(self.peek(), Some(Token::Slash | Token::DoubleSlash)) {
                    d = d.max(self.relative(&mut steps)?);
                }
                Start::Context
            }
        };
        Ok((Expr::Path(Path { start, steps }), d + 1))
    }

    fn starts_step(&self, n: usize) -> bool {
        matches!(
            self.peek_at(n),
            Some(Token::Name(_) | Token::Star | Token::Dot | Token::DotDot | Token::At)
        )
    }

    /// `('/' | '//') Step` repeated; the depth of the deepest predicate.
    fn relative(&mut self, steps: &mut Vec<Step>) -> Result<usize, XPathError> {
        let mut d = 0;
        loop {
            match self.peek() {
                Some(Token::Slash) => self.pos += 1,
                Some(Token::DoubleSlash) => {
                    self.pos += 1;
                    steps.push(Step {
                        axis: Axis::DescendantOrSelf,
                        test: NodeTest::Node,
                        predicates: Vec::new(),
                    });
                }
                _ => return Ok(d),
            }
            let (s, ds) = self.step()?;
            steps.push(s);
            d = d.max(ds);
        }
    }

    fn step(&mut self) -> Result<(Step, usize), XPathError> {
        let plain = |axis| {
            Ok((
                Step {
                    axis,
                    test: NodeTest::Node,
                    predicates: Vec::new(),
                },
                0,
            ))
        };
        if self.eat(&Token::Dot) {
            return plain(Axis::This);
        }
        if self.eat(&Token::DotDot) {
            return plain(Axis::Parent);
        }
        let axis = if self.eat(&Token::At) {
            Axis::Attribute
        } else if let (Some(Token::Name(n)), Some(Token::ColonColon)) =
            (self.peek(), self.peek_at(1))
        {
            let axis = Axis::from_name(n)
                .ok_or_else(|| XPathError::Unsupported(format!("the axis {n}")))?;
            self.pos += 2;
            axis
        } else {
            Axis::Child
        };
        let test = match self.peek().cloned() {
            Some(Token::Star) => {
                self.pos += 1;
                NodeTest::Name {
                    module: None,
                    local: None,
                }
            }
            Some(Token::Name(n))
                if NODE_TYPES.contains(&n.as_str()) && self.peek_at(1) == Some(&Token::LParen) =>
            {
                self.pos += 2;
                if n == "processing-instruction"
                    && let Some(Token::Literal(_)) = self.peek()
                {
                    self.pos += 1;
                }
                self.expect(&Token::RParen)?;
                match n.as_str() {
                    "node" => NodeTest::Node,
                    "text" => NodeTest::Text,
                    _ => NodeTest::Nothing,
                }
            }
            Some(Token::Name(n)) => {
                self.pos += 1;
                let (module, local) = match n.split_once(':') {
                    Some((m, "*")) => (Some(m.to_string()), None),
                    Some((m, l)) => (Some(m.to_string()), Some(l.to_string())),
                    None => (None, Some(n)),
                };
                NodeTest::Name { module, local }
            }
            _ => return Err(self.error("expected a node test")),
        };
        let mut predicates = Vec::new();
        let mut d = 0;
        while self.peek() == Some(&Token::LBracket) {
            let (p, dp) = self.predicate()?;
            d = d.max(dp);
            predicates.push(p);
        }
        Ok((
            Step {
                axis,
                test,
                predicates,
            },
            d,
        ))
    }

    fn predicate(&mut self) -> Result<(Expr, usize), XPathError> {
        self.expect(&Token::LBracket)?;
        let (e, d) = self.expr()?;
        self.expect(&Token::RBracket)?;
        Ok((e, d + 1))
    }

    fn primary(&mut self) -> Result<(Expr, usize), XPathError> {
        match self.peek().cloned() {
            Some(Token::Literal(s)) => {
                self.pos += 1;
                Ok((Expr::Literal(s), 1))
            }
            Some(Token::Number(n)) => {
                self.pos += 1;
                Ok((Expr::Number(n), 1))
            }
            Some(Token::LParen) => {
                self.pos += 1;
                let (e, d) = self.expr()?;
                self.expect(&Token::RParen)?;
                Ok((e, d + 1))
            }
            Some(Token::Dollar) => Err(XPathError::Unsupported(
                "variables (no variable is bound in a filter)".into(),
            )),
            Some(Token::Name(name)) => {
                self.pos += 2;
                let mut args = Vec::new();
                let mut d = 0;
                if !self.eat(&Token::RParen) {
                    loop {
                        let (a, da) = self.expr()?;
                        d = d.max(da);
                        args.push(a);
                        if self.eat(&Token::RParen) {
                            break;
                        }
                        self.expect(&Token::Comma)?;
                    }
                }
                Ok((Expr::Call(name, args), d + 1))
            }
            _ => Err(self.error("expected an expression")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_paths_predicates_and_operators() {
        for ok in [
            "/",
            "//*",
            "/a:b/c[d='x']/e",
            "count(//*) > 1 and not(/a)",
            "../x | ./y",
            "(/a/b)[last()]/c",
            "ancestor-or-self::*[2]",
            "1 - -2 * 3 div 4 mod 5",
            "text()",
            "@*",
        ] {
            parse(ok).unwrap_or_else(|e| panic!("{ok}: {e}"));
        }
        for bad in ["/a[", "a b", "f(", "", "$x", "foo::a", "/a/"] {
            assert!(parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn bounds_nesting() {
        let deep = format!("{}1{}", "(".repeat(10_000), ")".repeat(10_000));
        assert!(parse(&deep).is_err());
        let chain = vec!["1"; 10_000].join("+");
        assert!(parse(&chain).is_err());
        let fine = vec!["1"; 50].join("+");
        assert!(parse(&fine).is_ok());
    }
}
