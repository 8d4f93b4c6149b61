//! The agent's protocol counters: SNMPv2-MIB's snmp group (RFC 3418 §2,
//! including the counters it obsoleted but NMS dashboards still poll, as
//! net-snmp serves them), SNMP-MPD-MIB's snmpMPDStats (RFC 3412 §5) and
//! SNMP-USER-BASED-SM-MIB's usmStats (RFC 3414 §5), plus notification
//! outcomes. Relaxed atomics: each counter is independent.

use std::sync::atomic::{AtomicU32, Ordering};

macro_rules! counters {
    ($($(#[$doc:meta])* $name:ident,)*) => {
        #[derive(Debug, Default)]
        pub struct Counters {
            $($(#[$doc])* pub $name: AtomicU32,)*
        }
    };
}

counters! {
    in_pkts,
    out_pkts,
    in_bad_versions,
    in_bad_community_names,
    in_bad_community_uses,
    in_asn_parse_errs,
    in_too_bigs,
    in_no_such_names,
    in_bad_values,
    in_read_onlys,
    in_gen_errs,
    in_total_req_vars,
    in_total_set_vars,
    in_get_requests,
    in_get_nexts,
    in_set_requests,
    in_get_responses,
    in_traps,
    out_too_bigs,
    out_no_such_names,
    out_bad_values,
    out_gen_errs,
    out_get_requests,
    out_get_nexts,
    out_set_requests,
    out_get_responses,
    out_traps,
    silent_drops,
    proxy_drops,
    /// snmpMPDStats
    unknown_security_models,
    invalid_msgs,
    unknown_pdu_handlers,
    /// usmStats
    unsupported_sec_levels,
    not_in_time_windows,
    unknown_user_names,
    unknown_engine_ids,
    wrong_digests,
    decryption_errors,
    /// Informs acknowledged by their receiver, and informs given up on.
    informs_acknowledged,
    informs_failed,
    /// Notifications sent (traps and first transmissions of informs).
    notifications_sent,
}

impl Counters {
    pub fn inc(c: &AtomicU32) {
        c.fetch_add(1, Ordering::Relaxed);
    }

    pub fn add(c: &AtomicU32, n: u32) {
        c.fetch_add(n, Ordering::Relaxed);
    }

    pub fn get(c: &AtomicU32) -> u32 {
        c.load(Ordering::Relaxed)
    }
}
