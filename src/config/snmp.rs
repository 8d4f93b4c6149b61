//! The `[snmp]` section: listeners, communities, SNMPv3 users, VACM views
//! and access groups, and notification targets. Names follow net-snmp's
//! snmpd.conf where they can, so an operator recognises them.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Access {
    ReadOnly,
    ReadWrite,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct CommunityConfig {
    pub access: Access,
    /// Source networks (CIDR) allowed to use the community; empty means any.
    #[serde(default)]
    pub sources: Vec<String>,
    /// VACM view that limits what the community sees (and may write);
    /// absent means the whole MIB.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub view: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields, default)]
pub struct SnmpConfig {
    pub enabled: bool,
    /// UDP listening addresses, IPv4 or IPv6 (`[::1]:1161`).
    pub listen: Vec<String>,
    /// snmpEngineID in hex (5 to 32 octets). Empty: generated on first
    /// start and kept in the store, so it never changes.
    pub engine_id: String,
    /// Largest message the agent sends or accepts (msgMaxSize), octets.
    pub max_message_size: u32,
    /// snmpEnableAuthenTraps: send authenticationFailure notifications.
    pub enable_authen_traps: bool,
    pub communities: BTreeMap<String, CommunityConfig>,
    /// SNMPv3 USM users, by user name.
    pub users: BTreeMap<String, UsmUserConfig>,
    /// VACM MIB views, by name: an ordered family of subtrees.
    pub views: BTreeMap<String, Vec<ViewEntry>>,
    /// VACM access entries, by group name.
    pub groups: BTreeMap<String, GroupConfig>,
    /// Notification targets, by name.
    pub targets: BTreeMap<String, TargetConfig>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum AuthAlgorithm {
    #[default]
    None,
    Md5,
    #[serde(alias = "sha1")]
    Sha,
    #[serde(rename = "sha-224", alias = "sha224")]
    Sha224,
    #[serde(rename = "sha-256", alias = "sha256")]
    Sha256,
    #[serde(rename = "sha-384", alias = "sha384")]
    Sha384,
    #[serde(rename = "sha-512", alias = "sha512")]
    Sha512,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PrivAlgorithm {
    #[default]
    None,
    Des,
    #[serde(alias = "aes-128", alias = "aes128")]
    Aes,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct UsmUserConfig {
    /// The VACM group (a key of `snmp.groups`).
    pub group: String,
    #[serde(default)]
    pub auth: AuthAlgorithm,
    /// Passwords are localised to the engine ID at start (RFC 3414 A.2).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auth_password: Option<String>,
    /// Or a key already localised to this engine, in hex.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auth_key: Option<String>,
    #[serde(default, rename = "priv")]
    pub privacy: PrivAlgorithm,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub priv_password: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub priv_key: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ViewType {
    #[default]
    Included,
    Excluded,
}

/// One vacmViewTreeFamilyEntry (RFC 3415 §5).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct ViewEntry {
    /// Dotted OID, e.g. `1.3.6.1.4.1.32473`.
    pub subtree: String,
    /// Hex bit mask over the subtree's arcs (`ff:a0`); a 0 bit is a
    /// wildcard arc. Empty: every arc must match.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub mask: String,
    #[serde(default, rename = "type")]
    pub kind: ViewType,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SecurityLevel {
    NoAuthNoPriv,
    AuthNoPriv,
    #[default]
    AuthPriv,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SecurityModelSel {
    #[default]
    Any,
    V1,
    V2c,
    Usm,
}

/// One vacmAccessEntry (RFC 3415 §4), for the context "".
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct GroupConfig {
    #[serde(default)]
    pub security_model: SecurityModelSel,
    /// The least security level a request needs to use this entry.
    #[serde(default)]
    pub security_level: SecurityLevel,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub read_view: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub write_view: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notify_view: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum NotifyKind {
    #[default]
    Trap,
    Inform,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SnmpVersion {
    #[default]
    V2c,
    V3,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct TargetConfig {
    /// Receiver `ADDRESS:PORT`.
    pub address: String,
    #[serde(default)]
    pub kind: NotifyKind,
    #[serde(default)]
    pub version: SnmpVersion,
    /// v2c community.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub community: Option<String>,
    /// v3 user (a key of `snmp.users`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<String>,
    #[serde(default)]
    pub security_level: SecurityLevel,
    /// Inform: time to wait for the Response before a retry.
    #[serde(default = "default_timeout_ms")]
    pub timeout_ms: u64,
    /// Inform: retries after the first attempt.
    #[serde(default = "default_retries")]
    pub retries: u32,
}

fn default_timeout_ms() -> u64 {
    1500
}

fn default_retries() -> u32 {
    3
}
