//! Conversions between the information model and the SMIv2 forms the
//! BLOCKCHAIN-MGMT-MIB declares: DateAndTime, instance-index encodings,
//! fixed-point hundredths, saturated 32-bit figures, cut text and the
//! enumeration numbers. Kept in one place so that GET, the notifications
//! and the tests agree on every rule.

use crate::model::UnixMillis;
use crate::model::time::CalendarTime;

/// SnmpAdminString and our BcmAdminString: SIZE (0..255).
pub const ADMIN_STRING_MAX: usize = 255;

/// Length of a DateAndTime with its UTC offset.
pub const DATE_AND_TIME_LEN: usize = 11;

/// RFC 2579 DateAndTime, 11 octets, in UTC ('+', 0, 0). Dates past year
/// 65535 (the two-octet year field) saturate at its last instant.
pub fn date_and_time(ms: UnixMillis) -> Vec<u8> {
    let t = CalendarTime::from_millis(ms);
    let Ok(year) = u16::try_from(t.year) else {
        return vec![0xff, 0xff, 12, 31, 23, 59, 59, 9, b'+', 0, 0];
    };
    vec![
        (year >> 8) as u8,
        (year & 0xff) as u8,
        t.month,
        t.day,
        t.hour,
        t.minute,
        t.second,
        (t.millis / 100) as u8,
        b'+',
        0,
        0,
    ]
}

/// DateAndTime of a time given in whole seconds since the epoch.
pub fn date_and_time_secs(secs: u64) -> Vec<u8> {
    date_and_time(secs.saturating_mul(1000))
}

/// Instance sub-identifiers of a variable-length OCTET STRING index:
/// the length, then one sub-identifier per octet (RFC 2578 §7.7).
pub fn octets_index(bytes: &[u8]) -> Vec<u32> {
    let mut arcs = Vec::with_capacity(bytes.len() + 1);
    push_octets_index(bytes, &mut arcs);
    arcs
}

/// [`octets_index`] appended to `arcs`, for an index of several parts
/// built in one allocation.
pub fn push_octets_index(bytes: &[u8], arcs: &mut Vec<u32>) {
    arcs.push(bytes.len() as u32);
    arcs.extend(bytes.iter().map(|&b| u32::from(b)));
}

/// Read one length-prefixed OCTET STRING index from the front of `arcs`;
/// returns the octets and what follows. None when the length runs past
/// the end or a sub-identifier is not an octet.
pub fn decode_octets_index(arcs: &[u32]) -> Option<(Vec<u8>, &[u32])> {
    let (&len, rest) = arcs.split_first()?;
    let len = usize::try_from(len).ok()?;
    if len > rest.len() {
        return None;
    }
    let (body, rest) = rest.split_at(len);
    let bytes = body
        .iter()
        .map(|&a| u8::try_from(a).ok())
        .collect::<Option<Vec<u8>>>()?;
    Some((bytes, rest))
}

/// A model number as an Unsigned32 index, when it fits.
pub fn unsigned_index(v: u64) -> Option<u32> {
    u32::try_from(v).ok()
}

/// A 1-based position as an index (`position + 1`), when it fits.
pub fn position_index(pos: usize) -> Option<u32> {
    u32::try_from(pos).ok()?.checked_add(1)
}

/// A 64-bit model figure as Unsigned32/Gauge32: 4294967295 when it does
/// not fit, as the MIB's module description says.
pub fn saturate_u32(v: u64) -> u32 {
    u32::try_from(v).unwrap_or(u32::MAX)
}

/// A floating-point quantity rounded to an integer in 0..=u32::MAX
/// (rates, milliseconds); NaN reads as 0.
pub fn round_u32(v: f64) -> u32 {
    if v.is_nan() || v <= 0.0 {
        0
    } else if v >= f64::from(u32::MAX) {
        u32::MAX
    } else {
        v.round() as u32
    }
}

/// BcmHundredths: the value times 100, rounded, in 0..=u32::MAX.
pub fn hundredths(v: f64) -> u32 {
    round_u32(v * 100.0)
}

/// BcmPercentHundredths: a percentage times 100, rounded, in 0..=10000.
pub fn percent_hundredths(v: f64) -> u32 {
    hundredths(v).min(10_000)
}

/// Bytes as KiB (1024), rounded down and saturated.
pub fn kib(bytes: u64) -> u32 {
    saturate_u32(bytes / 1024)
}

/// Bytes as MiB (1048576), rounded down and saturated.
pub fn mib(bytes: u64) -> u32 {
    saturate_u32(bytes / (1024 * 1024))
}

pub use crate::model::text::cut_utf8;

/// SnmpAdminString octets: the text cut to 255 bytes at a character boundary.
pub fn admin_string(s: &str) -> Vec<u8> {
    cut_utf8(s, ADMIN_STRING_MAX).as_bytes().to_vec()
}

/// BcmDecimal: an unsigned integer in decimal ASCII digits.
pub fn decimal(v: u64) -> Vec<u8> {
    v.to_string().into_bytes()
}

/// PhysAddress octets of a MAC written as hex pairs separated by ':' or
/// '-' ("aa:bb:cc:dd:ee:ff"); an empty text is the empty address. None
/// when the text is not of that form.
pub fn mac_octets(s: &str) -> Option<Vec<u8>> {
    let s = s.trim();
    if s.is_empty() {
        return Some(Vec::new());
    }
    s.split([':', '-'])
        .map(|pair| {
            if pair.len() == 2 {
                u8::from_str_radix(pair, 16).ok()
            } else {
                None
            }
        })
        .collect()
}

/// Maximum length of the bcmExecutionTx index.
pub const TX_INDEX_MAX: usize = 64;

/// The bcmExecutionTx index octets of a transaction id: the decoded bytes
/// when it is 0x-prefixed hex of at most 64 bytes (a 32-byte hash takes
/// 32 octets instead of 66), else its text cut to 64 octets.
pub fn tx_index_octets(tx: &str) -> Vec<u8> {
    if let Some(digits) = tx.strip_prefix("0x").or_else(|| tx.strip_prefix("0X"))
        && !digits.is_empty()
        && digits.len() <= 2 * TX_INDEX_MAX
        && let Ok(bytes) = hex::decode(digits)
    {
        return bytes;
    }
    cut_utf8(tx, TX_INDEX_MAX).as_bytes().to_vec()
}

/// TruthValue: true(1), false(2).
pub fn truth_value(b: bool) -> i32 {
    if b { 1 } else { 2 }
}

/// The alarm enumerations' numbers are the object map's.
pub use crate::model::objects::enums::{
    ack_state_from, alarm_type_from, alarm_type_number, event_type_from, event_type_number,
    probable_cause_from, probable_cause_number, severity_from, severity_number,
};

/// bcmMemberStatus: active(1) while a member, left(2) after.
pub fn member_status_number(active: bool) -> i32 {
    if active { 1 } else { 2 }
}

/// bcmAlarmAckState / bcmAlarmHistAckState.
pub fn ack_state_number(acknowledged: bool) -> i32 {
    crate::model::objects::enums::ack_state(acknowledged)
        .number()
        .unwrap_or(1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::alarm::{AlarmType, EventType, ProbableCause, Severity};

    #[test]
    fn date_and_time_is_utc_with_deciseconds() {
        assert_eq!(
            date_and_time(0),
            vec![0x07, 0xb2, 1, 1, 0, 0, 0, 0, b'+', 0, 0]
        );
        // 2024-02-29T13:45:07.891Z (a leap day): 1709214307891 ms.
        assert_eq!(
            date_and_time(1_709_214_307_891),
            vec![0x07, 0xe8, 2, 29, 13, 45, 7, 8, b'+', 0, 0]
        );
        // 2000-12-31T23:59:59.999Z: the last day of a leap year of the 400 rule.
        assert_eq!(
            date_and_time(978_307_199_999),
            vec![0x07, 0xd0, 12, 31, 23, 59, 59, 9, b'+', 0, 0]
        );
        // 2100-03-01: 2100 is not a leap year.
        assert_eq!(&date_and_time(4_107_542_400_000)[..4], &[0x08, 0x34, 3, 1]);
        assert_eq!(date_and_time_secs(86_400), date_and_time(86_400_000));
        assert_eq!(date_and_time(u64::MAX)[..4], [0xff, 0xff, 12, 31]);
        assert_eq!(date_and_time(u64::MAX).len(), DATE_AND_TIME_LEN);
    }

    #[test]
    fn octet_string_indexes_are_length_prefixed_and_round_trip() {
        assert_eq!(octets_index(b"sim"), vec![3, 115, 105, 109]);
        assert_eq!(octets_index(b""), vec![0]);
        let mut arcs = octets_index(b"sim");
        arcs.extend(octets_index(b"node-1"));
        arcs.push(7);
        let (a, rest) = decode_octets_index(&arcs).unwrap();
        assert_eq!(a, b"sim");
        let (b, rest) = decode_octets_index(rest).unwrap();
        assert_eq!(b, b"node-1");
        assert_eq!(rest, &[7]);
        assert_eq!(decode_octets_index(&[]), None);
        assert_eq!(
            decode_octets_index(&[4, 1, 2, 3]),
            None,
            "length past the end"
        );
        assert_eq!(decode_octets_index(&[1, 256]), None, "not an octet");
        assert_eq!(decode_octets_index(&[u32::MAX]), None);
        assert_eq!(decode_octets_index(&[0, 9]).unwrap(), (vec![], &[9u32][..]));
    }

    #[test]
    fn unsigned_and_position_indexes_reject_what_does_not_fit() {
        assert_eq!(unsigned_index(7), Some(7));
        assert_eq!(unsigned_index(u64::from(u32::MAX)), Some(u32::MAX));
        assert_eq!(unsigned_index(u64::from(u32::MAX) + 1), None);
        assert_eq!(position_index(0), Some(1));
        assert_eq!(position_index(u32::MAX as usize), None);
    }

    #[test]
    fn figures_round_saturate_and_clamp() {
        assert_eq!(saturate_u32(5), 5);
        assert_eq!(saturate_u32(u64::MAX), u32::MAX);
        assert_eq!(hundredths(12.345), 1235);
        assert_eq!(hundredths(12.344), 1234);
        assert_eq!(hundredths(-1.0), 0);
        assert_eq!(hundredths(f64::NAN), 0);
        assert_eq!(hundredths(1e12), u32::MAX);
        assert_eq!(hundredths(f64::INFINITY), u32::MAX);
        assert_eq!(percent_hundredths(90.5), 9050);
        assert_eq!(percent_hundredths(100.004), 10_000);
        assert_eq!(percent_hundredths(250.0), 10_000);
        assert_eq!(round_u32(2.5), 3);
        assert_eq!(round_u32(0.4), 0);
        assert_eq!(kib(8 * 1024 * 1024 * 1024), 8 * 1024 * 1024);
        assert_eq!(kib(1023), 0);
        assert_eq!(mib(536_870_912_000), 512_000);
        assert_eq!(mib(u64::MAX), u32::MAX);
    }

    #[test]
    fn admin_strings_are_cut_at_a_character_boundary() {
        assert_eq!(admin_string("short"), b"short");
        let ascii = "a".repeat(300);
        assert_eq!(admin_string(&ascii).len(), 255);
        // 'é' is two bytes: 127 of them are 254 bytes, the 128th would end at 256.
        let accented = "é".repeat(200);
        let cut = admin_string(&accented);
        assert_eq!(cut.len(), 254);
        assert!(std::str::from_utf8(&cut).is_ok());
        assert_eq!(cut_utf8("€uro", 2), "", "a 3-byte char does not fit in 2");
        assert_eq!(cut_utf8("€uro", 4), "€u");
    }

    #[test]
    fn mac_addresses_parse_to_octets() {
        assert_eq!(
            mac_octets("52:54:00:ab:CD:ef"),
            Some(vec![0x52, 0x54, 0x00, 0xab, 0xcd, 0xef])
        );
        assert_eq!(mac_octets("00-11-22-33-44-55").unwrap().len(), 6);
        assert_eq!(mac_octets(""), Some(vec![]));
        assert_eq!(mac_octets("52:54:0"), None);
        assert_eq!(mac_octets("zz:00"), None);
        assert_eq!(mac_octets("525400"), None);
    }

    #[test]
    fn tx_ids_become_index_octets() {
        let hash = format!("0x{}", "ab".repeat(32));
        assert_eq!(tx_index_octets(&hash), vec![0xab; 32]);
        let long_hex = format!("0x{}", "cd".repeat(65));
        assert_eq!(
            tx_index_octets(&long_hex),
            long_hex.as_bytes()[..64].to_vec()
        );
        assert_eq!(tx_index_octets("0xnothex"), b"0xnothex");
        assert_eq!(
            tx_index_octets("0xabc"),
            b"0xabc",
            "odd digit count is text"
        );
        assert_eq!(tx_index_octets("0x"), b"0x");
        assert_eq!(tx_index_octets("channel-0-17"), b"channel-0-17");
        assert_eq!(tx_index_octets(&"é".repeat(40)).len(), 64);
    }

    #[test]
    fn decimals_and_truth_values() {
        assert_eq!(decimal(0), b"0");
        assert_eq!(decimal(u64::MAX), b"18446744073709551615");
        assert_eq!(truth_value(true), 1);
        assert_eq!(truth_value(false), 2);
        assert_eq!(member_status_number(true), 1);
        assert_eq!(member_status_number(false), 2);
        assert_eq!(ack_state_number(true), 2);
        assert_eq!(ack_state_from(1), Some(false));
        assert_eq!(ack_state_from(2), Some(true));
        assert_eq!(ack_state_from(0), None);
    }

    #[test]
    fn alarm_enumerations_use_the_rfc_3877_numbers_of_the_model() {
        for s in [
            Severity::Cleared,
            Severity::Indeterminate,
            Severity::Critical,
            Severity::Major,
            Severity::Minor,
            Severity::Warning,
        ] {
            assert_eq!(severity_number(s), s as i32);
            assert_eq!(severity_from(s as i32), Some(s));
        }
        for t in AlarmType::ALL {
            let e = t.event_type();
            assert_eq!(event_type_number(e), e as i32);
            assert_eq!(event_type_from(e as i32), Some(e));
            let c = t.probable_cause();
            assert_eq!(probable_cause_number(c), c as i32);
            assert_eq!(probable_cause_from(c as i32), Some(c));
        }
        assert_eq!(probable_cause_number(ProbableCause::Other), 1024);
        assert_eq!(event_type_number(EventType::TimeDomainViolation), 11);
        assert_eq!(probable_cause_from(23), None);
    }

    #[test]
    fn ordered_enumerations_follow_the_model_order() {
        // Numbers ascend in the model order from 1 (config-apply-failed
        // is 20, after the numbers reserved for the operations catalogue).
        let numbers: Vec<i32> = AlarmType::ALL.into_iter().map(alarm_type_number).collect();
        assert_eq!(numbers.first(), Some(&1));
        assert!(numbers.windows(2).all(|w| w[0] < w[1]), "{numbers:?}");
        for t in AlarmType::ALL {
            assert_eq!(alarm_type_from(alarm_type_number(t)), Some(t));
        }
        // 19 is the one number below config-apply-failed that no type has.
        assert_eq!(alarm_type_from(19), None);
        assert_eq!(alarm_type_from(0), None);
        assert_eq!(alarm_type_from(21), None);
    }
}
