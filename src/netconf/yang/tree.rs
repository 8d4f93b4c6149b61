//! libyang data trees: parsing RFC 7951 JSON (what the mapping produces)
//! and XML (what clients send), and printing XML and JSON in each RFC 6243
//! with-defaults mode. Parsing is always strict: a node the schema does not
//! have is an error, never silently dropped.

use super::config_map::yang_to_config;
use super::json::MapError;
use super::schema::Schema;
use crate::config::Config;
use serde_json::Value;
use yang5::data::{
    Data, DataFormat, DataParserFlags, DataPrinterFlags, DataTree, DataValidationFlags,
};
use yang5::ffi;

/// What a document is expected to hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Content {
    /// A whole configuration datastore: no state, fully validated
    /// (leafrefs, mandatory nodes, ranges); defaults are added.
    Config,
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
        WithDefaults::ReportAllTagged => {
            DataPrinterFlags::from_bits_retain(ffi::LYD_PRINT_WD_ALL_TAG)
        }
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

/// `lyd_print_mem`, as yang5's `print_string` calls it, but safe when
/// nothing is printed: libyang then leaves the output NULL (a tree whose
/// every node is a default, printed in trim mode), which yang5 0.4 reads
/// as a C string and crashes on.
pub fn print_with(
    tree: &DataTree<'_>,
    format: DataFormat,
    flags: DataPrinterFlags,
) -> Result<String, TreeError> {
    if tree.reference().is_none() {
        return Ok(String::new());
    }
    let mut out: *mut std::os::raw::c_char = std::ptr::null_mut();
    // SAFETY: `tree.raw()` is the live first sibling of the tree, which
    // outlives the call; libyang writes a malloc'd C string (or nothing)
    // to `out`, which is read and freed below.
    let rc = unsafe { ffi::lyd_print_mem(&mut out, tree.raw(), format as u32, flags.bits()) };
    if rc != ffi::LY_ERR::LY_SUCCESS {
        if !out.is_null() {
            // SAFETY: allocated by libyang with malloc, not used after.
            unsafe { ffi::free(out.cast()) };
        }
        return Err(yang5::Error::new(tree.context()).into());
    }
    if out.is_null() {
        return Ok(String::new());
    }
    // SAFETY: libyang returned a NUL-terminated string it allocated; it is
    // copied, then freed once.
    let text = unsafe { std::ffi::CStr::from_ptr(out) }
        .to_string_lossy()
        .into_owned();
    // SAFETY: allocated by libyang with malloc, freed once, not used after.
    unsafe { ffi::free(out.cast()) };
    Ok(text)
}

/// A whole configuration sent as XML (copy-config, a `<config>` to
/// validate): parsed and validated by libyang, then mapped. Data of other
/// modules (NACM, alarm control) is not the agent's configuration and is
/// left to the caller.
pub fn config_from_xml(schema: &Schema, xml: &str) -> Result<Config, DataError> {
    let tree = parse_xml(schema, xml, Content::Config)?;
    let json = print_json(&tree, WithDefaults::Explicit)?;
    Ok(yang_to_config(&json)?)
}
