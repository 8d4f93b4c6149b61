//! YANG `date-and-time` (RFC 6991) from the model's milliseconds, through
//! the model's calendar conversion, which SNMP's DateAndTime uses too, so
//! both protocols show the same instant.

use crate::model::UnixMillis;
use crate::model::time::CalendarTime;

/// Latest instant yang:date-and-time can carry (a four-digit year).
const LAST: &str = "9999-12-31T23:59:59.999Z";

/// `2024-02-29T13:45:07.891Z`: UTC, millisecond precision.
pub fn date_and_time(ms: UnixMillis) -> String {
    let t = CalendarTime::from_millis(ms);
    if t.year > 9999 {
        return LAST.to_string();
    }
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
        t.year, t.month, t.day, t.hour, t.minute, t.second, t.millis
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_instants() {
        assert_eq!(date_and_time(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(date_and_time(1_709_214_307_891), "2024-02-29T13:45:07.891Z");
        assert_eq!(date_and_time(951_782_400_000), "2000-02-29T00:00:00.000Z");
        assert_eq!(date_and_time(253_402_300_799_999), LAST);
        assert_eq!(date_and_time(253_402_300_800_000), LAST);
        assert_eq!(date_and_time(u64::MAX), LAST);
    }
}
