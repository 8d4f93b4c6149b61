//! libyang data trees: parsing RFC 7951 JSON (what the mapping produces)
//! and XML (what clients send), and printing XML and JSON in each RFC 6243
//! with-defaults mode. Parsing is always strict: a node the schema does not
//! have is an error, never silently dropped.

use super::config_map::yang_to_config;
use super::json::MapError;
use super::schema::Schema;
use crate::config::Config;
use crate::netconf::libyang;
use serde_json::Value;
use yang5::data::{DataFormat, DataParserFlags, DataPrinterFlags, DataTree, DataValidationFlags};

/// What a document is expected to hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Content {
    /// A whole configuration datastore: no state, fully validated
    /// (leafrefs, mandatory nodes, ranges); defaults are added.
    Config,
    /// The modules present in a document, as whole configurations of
    /// those modules: validated like [`Content::Config`] (leafrefs,
    /// mandatory nodes, `must`), but a module with no data in it is left
    /// alone (no defaults added, no mandatory node missed). An edit scoped
    /// to some top-level nodes is judged this way: the other modules are
    /// not part of it, and the agent's modules do not refer across.
    ConfigModules,
    /// [`Content::ConfigModules`] without the defaults validation would
    /// add: for the agent's own modules, which have no `must` or `when`
    /// statement for a default to satisfy (a test keeps them so), and whose
    /// mapping gives an absent leaf its default anyway. Adding every
    /// default of a module was most of validating a small edit.
    OwnConfigModules,
    /// Part of a configuration (edit content, a filter's subject): no
    /// state, checked against the schema but not validated as a whole.
    ConfigFragment,
    /// Operational data (configuration and state): checked against the
    /// schema, not validated (RFC 8342 operational data may be
    /// incomplete).
    State,
}

/// RFC 6243 retrieval modes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum WithDefaults {
    /// Nodes present in the tree; defaults libyang added are left out.
    Explicit,
    /// Nodes whose value is their schema default are left out.
    Trim,
    /// Every node, defaults included.
    ReportAll,
    /// Every node; those holding their schema default carry
    /// `wd:default="true"` (XML) or `@name: {"ietf-netconf-with-defaults:default": true}`
    /// (JSON). The datastore keeps values, not who set them, so "default"
    /// means "equal to the schema default", as in the trim basic mode.
    ReportAllTagged,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TreeError {
    /// libyang refused the data; `path` is the data path it names.
    #[error("{message}{}", .path.as_ref().map(|p| format!(" ({p})")).unwrap_or_default())]
    Invalid {
        message: String,
        path: Option<String>,
        apptag: Option<String>,
    },
    #[error("the document contains a NUL character")]
    Nul,
    #[error("libyang printed JSON that does not parse: {0}")]
    PrintedJson(String),
}

/// Why client XML is not a configuration.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DataError {
    #[error(transparent)]
    Tree(#[from] TreeError),
    #[error(transparent)]
    Map(#[from] MapError),
}

impl From<yang5::Error> for TreeError {
    fn from(e: yang5::Error) -> Self {
        TreeError::Invalid {
            message: e
                .msg
                .unwrap_or_else(|| format!("libyang error {}", e.errcode)),
            path: e.path,
            apptag: e.apptag,
        }
    }
}

fn flags(content: Content) -> (DataParserFlags, DataValidationFlags) {
    match content {
        Content::Config => (
            DataParserFlags::STRICT | DataParserFlags::NO_STATE,
            DataValidationFlags::NO_STATE,
        ),
        Content::ConfigModules => (
            DataParserFlags::STRICT | DataParserFlags::NO_STATE,
            DataValidationFlags::NO_STATE | DataValidationFlags::PRESENT,
        ),
        Content::OwnConfigModules => (
            DataParserFlags::STRICT | DataParserFlags::NO_STATE,
            DataValidationFlags::NO_STATE
                | DataValidationFlags::PRESENT
                | libyang::validate::NO_DEFAULTS,
        ),
        Content::ConfigFragment => (
            DataParserFlags::STRICT | DataParserFlags::NO_STATE | DataParserFlags::NO_VALIDATION,
            DataValidationFlags::empty(),
        ),
        Content::State => (
            DataParserFlags::STRICT | DataParserFlags::NO_VALIDATION,
            DataValidationFlags::empty(),
        ),
    }
}

/// Parse RFC 7951 JSON, e.g. from `config_to_yang` or `state_to_yang`.
pub fn parse_json<'a>(
    schema: &'a Schema,
    data: &Value,
    content: Content,
) -> Result<DataTree<'a>, TreeError> {
    parse(schema, &data.to_string(), DataFormat::JSON, content)
}

/// Parse XML data nodes (the children of `<config>` or `<data>`), in any
/// number and from any of the schema's namespaces.
pub fn parse_xml<'a>(
    schema: &'a Schema,
    xml: &str,
    content: Content,
) -> Result<DataTree<'a>, TreeError> {
    parse(schema, xml, DataFormat::XML, content)
}

fn parse<'a>(
    schema: &'a Schema,
    text: &str,
    format: DataFormat,
    content: Content,
) -> Result<DataTree<'a>, TreeError> {
    // yang5 hands the text to libyang as a C string.
    if text.contains('\0') {
        return Err(TreeError::Nul);
    }
    let (parser, validation) = flags(content);
    Ok(DataTree::parse_string(
        schema.context(),
        text,
        format,
        parser,
        validation,
    )?)
}

fn printer_flags(wd: WithDefaults) -> DataPrinterFlags {
    let mode = match wd {
        WithDefaults::Explicit => DataPrinterFlags::WD_EXPLICIT,
        WithDefaults::Trim => DataPrinterFlags::WD_TRIM,
        WithDefaults::ReportAll => DataPrinterFlags::WD_ALL,
        // yang5 has no name for the tagging modes; libyang does.
        WithDefaults::ReportAllTagged => libyang::print::WD_ALL_TAG,
    };
    mode | DataPrinterFlags::WITH_SIBLINGS | DataPrinterFlags::SHRINK
}

/// The tree's nodes as XML elements, each top-level one with its namespace.
pub fn print_xml(tree: &DataTree<'_>, wd: WithDefaults) -> Result<String, TreeError> {
    print_with(tree, DataFormat::XML, printer_flags(wd))
}

/// The tree as RFC 7951 JSON.
pub fn print_json(tree: &DataTree<'_>, wd: WithDefaults) -> Result<Value, TreeError> {
    let text = print_with(tree, DataFormat::JSON, printer_flags(wd))?;
    if text.trim().is_empty() {
        return Ok(Value::Object(Default::default()));
    }
    serde_json::from_str(&text).map_err(|e| TreeError::PrintedJson(e.to_string()))
}

/// The tree printed in `format` (empty when libyang prints nothing; see
/// `netconf::libyang::print`).
pub fn print_with(
    tree: &DataTree<'_>,
    format: DataFormat,
    flags: DataPrinterFlags,
) -> Result<String, TreeError> {
    Ok(libyang::print::print_mem(tree, format, flags)?)
}

/// A whole configuration sent as XML (copy-config, a `<config>` to
/// validate): parsed and validated by libyang, then mapped. Data of other
/// modules (NACM, alarm control) is not the agent's configuration and is
/// left to the caller.
pub fn config_from_xml(schema: &Schema, xml: &str) -> Result<Config, DataError> {
    config_of(schema, xml, Content::Config)
}

/// The configuration of the modules `xml` holds data of (an edit's
/// scope), validated as in [`Content::ConfigModules`]; the sections of
/// other modules are defaults, not data.
pub fn modules_config_from_xml(
    schema: &Schema,
    xml: &str,
    own_modules_only: bool,
) -> Result<Config, DataError> {
    let content = match own_modules_only {
        true => Content::OwnConfigModules,
        false => Content::ConfigModules,
    };
    config_of(schema, xml, content)
}

fn config_of(schema: &Schema, xml: &str, content: Content) -> Result<Config, DataError> {
    let tree = parse_xml(schema, xml, content)?;
    let json = print_json(&tree, WithDefaults::Explicit)?;
    Ok(yang_to_config(&json)?)
}
