//! The authentication protocols USM knows (RFC 3414 §6-7, RFC 7860).

use std::fmt;
use std::str::FromStr;

use super::error::UsmCryptoError;
use crate::config::AuthAlgorithm;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AuthProtocol {
    None,
    Md5,
    Sha1,
    Sha224,
    Sha256,
    Sha384,
    Sha512,
}

impl AuthProtocol {
    pub const ALL: [AuthProtocol; 7] = [
        Self::None,
        Self::Md5,
        Self::Sha1,
        Self::Sha224,
        Self::Sha256,
        Self::Sha384,
        Self::Sha512,
    ];

    /// The registration under snmpAuthProtocols (RFC 3411), as
    /// usmUserAuthProtocol shows it.
    pub fn oid(self) -> &'static [u32] {
        match self {
            Self::None => &[1, 3, 6, 1, 6, 3, 10, 1, 1, 1],
            Self::Md5 => &[1, 3, 6, 1, 6, 3, 10, 1, 1, 2],
            Self::Sha1 => &[1, 3, 6, 1, 6, 3, 10, 1, 1, 3],
            Self::Sha224 => &[1, 3, 6, 1, 6, 3, 10, 1, 1, 4],
            Self::Sha256 => &[1, 3, 6, 1, 6, 3, 10, 1, 1, 5],
            Self::Sha384 => &[1, 3, 6, 1, 6, 3, 10, 1, 1, 6],
            Self::Sha512 => &[1, 3, 6, 1, 6, 3, 10, 1, 1, 7],
        }
    }

    pub fn from_oid(oid: &[u32]) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.oid() == oid)
    }

    /// Octets of msgAuthenticationParameters: the HMAC truncated as
    /// RFC 3414 §6-7 and RFC 7860 §4 prescribe.
    pub fn mac_len(self) -> usize {
        match self {
            Self::None => 0,
            Self::Md5 | Self::Sha1 => 12,
            Self::Sha224 => 16,
            Self::Sha256 => 24,
            Self::Sha384 => 32,
            Self::Sha512 => 48,
        }
    }

    /// Octets of a (localized) key: the hash's full digest length.
    pub fn key_len(self) -> usize {
        self.algorithm().key_len()
    }

    /// The configuration's name for the protocol, under which key
    /// derivation ([`crate::config::usm_key`]) knows it.
    pub fn algorithm(self) -> AuthAlgorithm {
        match self {
            Self::None => AuthAlgorithm::None,
            Self::Md5 => AuthAlgorithm::Md5,
            Self::Sha1 => AuthAlgorithm::Sha,
            Self::Sha224 => AuthAlgorithm::Sha224,
            Self::Sha256 => AuthAlgorithm::Sha256,
            Self::Sha384 => AuthAlgorithm::Sha384,
            Self::Sha512 => AuthAlgorithm::Sha512,
        }
    }

    /// Reads the configuration spelling, case-insensitively: net-snmp's
    /// (`SHA-256`) and the config file's serde names (`sha256`) both work.
    pub fn parse(name: &str) -> Result<Self, UsmCryptoError> {
        match name.to_ascii_lowercase().as_str() {
            "none" => Ok(Self::None),
            "md5" => Ok(Self::Md5),
            "sha" | "sha1" => Ok(Self::Sha1),
            "sha-224" | "sha224" => Ok(Self::Sha224),
            "sha-256" | "sha256" => Ok(Self::Sha256),
            "sha-384" | "sha384" => Ok(Self::Sha384),
            "sha-512" | "sha512" => Ok(Self::Sha512),
            _ => Err(UsmCryptoError::UnknownAuthProtocol(name.to_owned())),
        }
    }

    /// The configuration spelling; `parse(p.name())` gives `p` back.
    pub fn name(self) -> &'static str {
        match self {
            Self::None => "none",
            Self::Md5 => "md5",
            Self::Sha1 => "sha",
            Self::Sha224 => "sha-224",
            Self::Sha256 => "sha-256",
            Self::Sha384 => "sha-384",
            Self::Sha512 => "sha-512",
        }
    }
}

impl fmt::Display for AuthProtocol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for AuthProtocol {
    type Err = UsmCryptoError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn oids_are_the_registered_ones() {
        let base = [1, 3, 6, 1, 6, 3, 10, 1, 1];
        let expected = [
            (AuthProtocol::None, 1),   // usmNoAuthProtocol
            (AuthProtocol::Md5, 2),    // usmHMACMD5AuthProtocol
            (AuthProtocol::Sha1, 3),   // usmHMACSHAAuthProtocol
            (AuthProtocol::Sha224, 4), // usmHMAC128SHA224AuthProtocol
            (AuthProtocol::Sha256, 5), // usmHMAC192SHA256AuthProtocol
            (AuthProtocol::Sha384, 6), // usmHMAC256SHA384AuthProtocol
            (AuthProtocol::Sha512, 7), // usmHMAC384SHA512AuthProtocol
        ];
        for (protocol, last) in expected {
            let mut oid = base.to_vec();
            oid.push(last);
            assert_eq!(protocol.oid(), &oid[..], "{protocol}");
            assert_eq!(AuthProtocol::from_oid(&oid), Some(protocol));
        }
        assert_eq!(
            AuthProtocol::from_oid(&[1, 3, 6, 1, 6, 3, 10, 1, 1, 8]),
            None
        );
    }

    #[test]
    fn lengths_follow_rfc_3414_and_7860() {
        let lengths: Vec<(usize, usize)> = AuthProtocol::ALL
            .iter()
            .map(|p| (p.mac_len(), p.key_len()))
            .collect();
        assert_eq!(
            lengths,
            [
                (0, 0),
                (12, 16),
                (12, 20),
                (16, 28),
                (24, 32),
                (32, 48),
                (48, 64)
            ]
        );
    }

    #[test]
    fn parses_config_names_case_insensitively() {
        for (name, protocol) in [
            ("none", AuthProtocol::None),
            ("MD5", AuthProtocol::Md5),
            ("sha", AuthProtocol::Sha1),
            ("SHA1", AuthProtocol::Sha1),
            ("sha-224", AuthProtocol::Sha224),
            ("Sha-256", AuthProtocol::Sha256),
            ("SHA-384", AuthProtocol::Sha384),
            ("sha-512", AuthProtocol::Sha512),
            ("sha224", AuthProtocol::Sha224),
            ("SHA256", AuthProtocol::Sha256),
            ("sha384", AuthProtocol::Sha384),
            ("sha512", AuthProtocol::Sha512),
        ] {
            assert_eq!(AuthProtocol::parse(name), Ok(protocol), "{name}");
        }
        for protocol in AuthProtocol::ALL {
            assert_eq!(protocol.name().parse(), Ok(protocol));
        }
        assert_eq!(
            AuthProtocol::parse("sha-2"),
            Err(UsmCryptoError::UnknownAuthProtocol("sha-2".into()))
        );
    }
}
