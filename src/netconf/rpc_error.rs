//! `<rpc-error>` (RFC 6241 section 4.3 and Appendix A).

use super::NC_NS;
use super::transport::xml::escape;
use std::fmt::Write as _;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorType {
    Transport,
    Rpc,
    Protocol,
    Application,
}

impl ErrorType {
    fn as_str(self) -> &'static str {
        match self {
            ErrorType::Transport => "transport",
            ErrorType::Rpc => "rpc",
            ErrorType::Protocol => "protocol",
            ErrorType::Application => "application",
        }
    }
}

/// The error-tag values of Appendix A.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tag {
    InUse,
    InvalidValue,
    TooBig,
    MissingAttribute,
    BadAttribute,
    UnknownAttribute,
    MissingElement,
    BadElement,
    UnknownElement,
    UnknownNamespace,
    AccessDenied,
    LockDenied,
    ResourceDenied,
    RollbackFailed,
    DataExists,
    DataMissing,
    OperationNotSupported,
    OperationFailed,
    MalformedMessage,
}

impl Tag {
    pub fn as_str(self) -> &'static str {
        match self {
            Tag::InUse => "in-use",
            Tag::InvalidValue => "invalid-value",
            Tag::TooBig => "too-big",
            Tag::MissingAttribute => "missing-attribute",
            Tag::BadAttribute => "bad-attribute",
            Tag::UnknownAttribute => "unknown-attribute",
            Tag::MissingElement => "missing-element",
            Tag::BadElement => "bad-element",
            Tag::UnknownElement => "unknown-element",
            Tag::UnknownNamespace => "unknown-namespace",
            Tag::AccessDenied => "access-denied",
            Tag::LockDenied => "lock-denied",
            Tag::ResourceDenied => "resource-denied",
            Tag::RollbackFailed => "rollback-failed",
            Tag::DataExists => "data-exists",
            Tag::DataMissing => "data-missing",
            Tag::OperationNotSupported => "operation-not-supported",
            Tag::OperationFailed => "operation-failed",
            Tag::MalformedMessage => "malformed-message",
        }
    }
}

/// One `<error-info>` child. The names of Appendix A (`bad-element`,
/// `session-id`, ...) are in the base namespace.
#[derive(Debug, Clone, PartialEq)]
pub struct Info {
    pub name: &'static str,
    pub value: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RpcError {
    pub error_type: ErrorType,
    pub tag: Tag,
    pub app_tag: Option<String>,
    /// An instance-identifier of the offending node, with the prefixes it
    /// uses declared in `path_ns`.
    pub path: Option<String>,
    pub path_ns: Vec<(String, String)>,
    pub message: Option<String>,
    pub info: Vec<Info>,
}

impl RpcError {
    pub fn new(error_type: ErrorType, tag: Tag, message: impl Into<String>) -> RpcError {
        RpcError {
            error_type,
            tag,
            app_tag: None,
            path: None,
            path_ns: Vec::new(),
            message: Some(message.into()),
            info: Vec::new(),
        }
    }

    pub fn protocol(tag: Tag, message: impl Into<String>) -> RpcError {
        RpcError::new(ErrorType::Protocol, tag, message)
    }

    pub fn application(tag: Tag, message: impl Into<String>) -> RpcError {
        RpcError::new(ErrorType::Application, tag, message)
    }

    pub fn rpc(tag: Tag, message: impl Into<String>) -> RpcError {
        RpcError::new(ErrorType::Rpc, tag, message)
    }

    pub fn with_info(mut self, name: &'static str, value: impl Into<String>) -> RpcError {
        self.info.push(Info {
            name,
            value: value.into(),
        });
        self
    }

    pub fn with_path(mut self, path: impl Into<String>) -> RpcError {
        self.path = Some(path.into());
        self
    }

    pub fn with_path_ns(mut self, prefix: &str, ns: &str) -> RpcError {
        self.path_ns.push((prefix.to_string(), ns.to_string()));
        self
    }

    pub fn with_app_tag(mut self, tag: impl Into<String>) -> RpcError {
        self.app_tag = Some(tag.into());
        self
    }

    /// `<bad-element>` naming the offending element (most Appendix A tags).
    pub fn bad_element(self, name: &str) -> RpcError {
        self.with_info("bad-element", name)
    }

    /// Serialise inside an `<rpc-reply>` whose default namespace is base:1.0.
    pub fn write(&self, out: &mut String) {
        out.push_str("<rpc-error>");
        let _ = write!(out, "<error-type>{}</error-type>", self.error_type.as_str());
        let _ = write!(out, "<error-tag>{}</error-tag>", self.tag.as_str());
        out.push_str("<error-severity>error</error-severity>");
        if let Some(t) = &self.app_tag {
            let _ = write!(out, "<error-app-tag>{}</error-app-tag>", escape(t));
        }
        if let Some(p) = &self.path {
            out.push_str("<error-path");
            for (prefix, ns) in &self.path_ns {
                let _ = write!(out, " xmlns:{prefix}=\"{}\"", escape(ns));
            }
            let _ = write!(out, ">{}</error-path>", escape(p));
        }
        if let Some(m) = &self.message {
            let _ = write!(
                out,
                "<error-message xml:lang=\"en\">{}</error-message>",
                escape(m)
            );
        }
        if !self.info.is_empty() {
            out.push_str("<error-info>");
            for i in &self.info {
                let _ = write!(out, "<{0}>{1}</{0}>", i.name, escape(&i.value));
            }
            out.push_str("</error-info>");
        }
        out.push_str("</rpc-error>");
    }
}

impl std::fmt::Display for RpcError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.error_type.as_str(), self.tag.as_str())?;
        if let Some(m) = &self.message {
            write!(f, ": {m}")?;
        }
        Ok(())
    }
}

/// Render a whole `<rpc-reply>` carrying errors.
pub fn reply_with_errors(attrs: &str, errors: &[RpcError]) -> String {
    let mut out = String::with_capacity(256);
    let _ = write!(out, "<rpc-reply xmlns=\"{NC_NS}\"{attrs}>");
    for e in errors {
        e.write(&mut out);
    }
    out.push_str("</rpc-reply>");
    out
}
