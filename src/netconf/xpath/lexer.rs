//! XPath 1.0 tokens (section 3.7). Whether `*` multiplies and whether
//! `and`/`or`/`div`/`mod` are operators depends on the position, which
//! the parser knows; the lexer only cuts.

use super::XPathError;

#[derive(Debug, Clone, PartialEq)]
pub enum Token {
    /// An NCName or a QName `prefix:local`, or `prefix:*`.
    Name(String),
    Star,
    Literal(String),
    Number(f64),
    Slash,
    DoubleSlash,
    LParen,
    RParen,
    LBracket,
    RBracket,
    Dot,
    DotDot,
    At,
    Comma,
    ColonColon,
    Pipe,
    Plus,
    Minus,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    Dollar,
}

fn is_name_start(c: char) -> bool {
    c.is_alphabetic() || c == '_'
}

fn is_name_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || c == '-' || c == '.'
}

/// Cut `expr` into tokens.
pub fn tokens(expr: &str) -> Result<Vec<Token>, XPathError> {
    let chars: Vec<char> = expr.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    let syntax = |at: usize, what: &str| XPathError::Syntax(format!("{what} at character {at}"));
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        match c {
            ' ' | '\t' | '\r' | '\n' => {
                i += 1;
                continue;
            }
            '/' if next == Some('/') => {
                out.push(Token::DoubleSlash);
                i += 2;
            }
            '/' => {
                out.push(Token::Slash);
                i += 1;
            }
            '(' => {
                out.push(Token::LParen);
                i += 1;
            }
            ')' => {
                out.push(Token::RParen);
                i += 1;
            }
            '[' => {
                out.push(Token::LBracket);
                i += 1;
            }
            ']' => {
                out.push(Token::RBracket);
                i += 1;
            }
            '@' => {
                out.push(Token::At);
                i += 1;
            }
            ',' => {
                out.push(Token::Comma);
                i += 1;
            }
            '|' => {
                out.push(Token::Pipe);
                i += 1;
            }
            '+' => {
                out.push(Token::Plus);
                i += 1;
            }
            '-' => {
                out.push(Token::Minus);
                i += 1;
            }
            '=' => {
                out.push(Token::Eq);
                i += 1;
            }
            '$' => {
                out.push(Token::Dollar);
                i += 1;
            }
            '*' => {
                out.push(Token::Star);
                i += 1;
            }
            '!' if next == Some('=') => {
                out.push(Token::Ne);
                i += 2;
            }
            '<' if next == Some('=') => {
                out.push(Token::Le);
                i += 2;
            }
            '<' => {
                out.push(Token::Lt);
                i += 1;
            }
            '>' if next == Some('=') => {
                out.push(Token::Ge);
                i += 2;
            }
            '>' => {
                out.push(Token::Gt);
                i += 1;
            }
            ':' if next == Some(':') => {
                out.push(Token::ColonColon);
                i += 2;
            }
            '\'' | '"' => {
                let end = chars[i + 1..]
                    .iter()
                    .position(|&x| x == c)
                    .ok_or_else(|| syntax(i, "unterminated literal"))?;
                out.push(Token::Literal(chars[i + 1..i + 1 + end].iter().collect()));
                i += end + 2;
            }
            '.' if next == Some('.') => {
                out.push(Token::DotDot);
                i += 2;
            }
            '.' if !next.is_some_and(|n| n.is_ascii_digit()) => {
                out.push(Token::Dot);
                i += 1;
            }
            c if c.is_ascii_digit() || c == '.' => {
                let start = i;
                while i < chars.len() && chars[i].is_ascii_digit() {
                    i += 1;
                }
                if i < chars.len() && chars[i] == '.' {
                    i += 1;
                    while i < chars.len() && chars[i].is_ascii_digit() {
                        i += 1;
                    }
                }
                let text: String = chars[start..i].iter().collect();
                let n = text
                    .parse::<f64>()
                    .map_err(|_| syntax(start, "bad number"))?;
                out.push(Token::Number(n));
            }
            c if is_name_start(c) => {
                let start = i;
                while i < chars.len() && is_name_char(chars[i]) {
                    i += 1;
                }
                // A QName: `prefix:local` or `prefix:*` (not the `::` of
                // an axis).
                if i + 1 < chars.len() && chars[i] == ':' && chars[i + 1] != ':' {
                    if chars[i + 1] == '*' {
                        i += 2;
                    } else if is_name_start(chars[i + 1]) {
                        i += 1;
                        while i < chars.len() && is_name_char(chars[i]) {
                            i += 1;
                        }
                    } else {
                        return Err(syntax(i, "bad qualified name"));
                    }
                }
                out.push(Token::Name(chars[start..i].iter().collect()));
            }
            _ => return Err(syntax(i, &format!("unexpected '{c}'"))),
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cuts_names_numbers_and_operators() {
        let t = tokens("/m:a/child::b[c-d != 1.5]//m:*|.. * 3").unwrap();
        assert_eq!(
            t,
            vec![
                Token::Slash,
                Token::Name("m:a".into()),
                Token::Slash,
                Token::Name("child".into()),
                Token::ColonColon,
                Token::Name("b".into()),
                Token::LBracket,
                Token::Name("c-d".into()),
                Token::Ne,
                Token::Number(1.5),
                Token::RBracket,
                Token::DoubleSlash,
                Token::Name("m:*".into()),
                Token::Pipe,
                Token::DotDot,
                Token::Star,
                Token::Number(3.0),
            ]
        );
        assert!(tokens("'open").is_err());
        assert!(tokens("a # b").is_err());
    }
}
