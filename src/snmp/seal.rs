//! Securing an outgoing v3 message (RFC 3414 §3.1): encrypt the scoped
//! PDU, encode with a zeroed MAC placeholder, then sign in place. Shared
//! by responses, reports and notifications, whose keys differ: localised
//! to our engine, or to an inform receiver's.

use super::codec;
use super::pdu::{Message, ScopedPduData, V3Message, flags};
use super::usm::{self, Authenticator, PrivProtocol};
use crate::config::SecurityLevel;

pub struct Keys<'a> {
    /// Required from authNoPriv up.
    pub authenticator: Option<&'a Authenticator>,
    pub privacy: PrivProtocol,
    pub priv_key: &'a [u8],
}

#[derive(Debug, thiserror::Error)]
pub enum SealError {
    #[error("the message cannot be encoded")]
    Encode,
}

/// Encode `msg` at `level` into `out`. The reportable flag is kept as
/// the caller set it; the security flags and parameters are ours.
pub fn seal(
    mut msg: V3Message,
    level: SecurityLevel,
    keys: &Keys,
    salt: u64,
    out: &mut Vec<u8>,
) -> Result<(), SealError> {
    msg.flags = (msg.flags & flags::REPORTABLE)
        | match level {
            SecurityLevel::NoAuthNoPriv => 0,
            SecurityLevel::AuthNoPriv => flags::AUTH,
            SecurityLevel::AuthPriv => flags::AUTH | flags::PRIV,
        };
    let authenticator = match level {
        SecurityLevel::NoAuthNoPriv => None,
        _ => Some(keys.authenticator.ok_or(SealError::Encode)?),
    };
    msg.usm.auth_params = authenticator.map_or(Vec::new(), |a| vec![0; a.mac_len()]);
    msg.usm.priv_params = Vec::new();
    if level == SecurityLevel::AuthPriv
        && let ScopedPduData::Plain(sp) = &msg.data
    {
        let mut plain = Vec::with_capacity(256);
        codec::encode_scoped_pdu(sp, &mut plain).map_err(|_| SealError::Encode)?;
        let (ct, params) = usm::encrypt(
            keys.privacy,
            keys.priv_key,
            msg.usm.engine_boots as u32,
            msg.usm.engine_time as u32,
            salt,
            &plain,
        )
        .map_err(|_| SealError::Encode)?;
        msg.usm.priv_params = params;
        msg.data = ScopedPduData::Encrypted(ct);
    }
    out.clear();
    let offset = codec::encode_message(&Message::V3(msg), out).map_err(|_| SealError::Encode)?;
    if let Some(a) = authenticator {
        let offset = offset.ok_or(SealError::Encode)?;
        a.sign_at(out, offset).map_err(|_| SealError::Encode)?;
    }
    Ok(())
}
