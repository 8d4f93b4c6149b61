//! Calendar time in UTC from the model's milliseconds: the one conversion
//! behind SNMP's DateAndTime and YANG's date-and-time, so that both
//! protocols show the same instant.

use super::UnixMillis;

/// An instant as a proleptic Gregorian UTC date and time of day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CalendarTime {
    pub year: u64,
    pub month: u8,
    pub day: u8,
    pub hour: u8,
    pub minute: u8,
    pub second: u8,
    pub millis: u16,
}

impl CalendarTime {
    pub fn from_millis(ms: UnixMillis) -> Self {
        let (year, month, day) = civil_from_days(ms / 86_400_000);
        let in_day = ms % 86_400_000;
        let secs = in_day / 1000;
        CalendarTime {
            year,
            month,
            day,
            hour: (secs / 3600) as u8,
            minute: (secs / 60 % 60) as u8,
            second: (secs % 60) as u8,
            millis: (in_day % 1000) as u16,
        }
    }
}

/// `2026-12-07T21:00:00Z`: an instant to the second, as the alarms'
/// specific problems write a date (an expiry, a notAfter).
pub fn rfc3339_seconds(ms: UnixMillis) -> String {
    let c = CalendarTime::from_millis(ms);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        c.year, c.month, c.day, c.hour, c.minute, c.second
    )
}

/// Whole days from `now` to `later`, rounded down: negative once `later`
/// is past (a certificate's days left before its notAfter).
pub fn days_until(later: UnixMillis, now: UnixMillis) -> i32 {
    const DAY: i128 = 86_400_000;
    let days = (i128::from(later) - i128::from(now)).div_euclid(DAY);
    i32::try_from(days).unwrap_or(if days < 0 { i32::MIN } else { i32::MAX })
}

/// Proleptic Gregorian date of a day count since 1970-01-01, by the
/// 400-year era decomposition (eras of 146097 days starting on March 1st).
fn civil_from_days(days: u64) -> (u64, u8, u8) {
    // Shift the epoch to 0000-03-01 so leap days end each era-year.
    let z = days + 719_468;
    let era = z / 146_097;
    let doe = z % 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
    let year = yoe + era * 400 + u64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc3339_names_the_utc_second() {
        assert_eq!(rfc3339_seconds(0), "1970-01-01T00:00:00Z");
        assert_eq!(
            rfc3339_seconds(86_400_000 + 3_723_999),
            "1970-01-02T01:02:03Z"
        );
    }

    #[test]
    fn days_until_rounds_down() {
        const DAY: u64 = 86_400_000;
        let now = 1_796_000_000_000;
        assert_eq!(days_until(now + 5 * DAY - 1, now), 4);
        assert_eq!(days_until(now + 5 * DAY, now), 5);
        assert_eq!(days_until(now, now), 0);
        assert_eq!(days_until(now - 1, now), -1);
        assert_eq!(days_until(now - DAY, now), -1);
        assert_eq!(days_until(now - DAY - 1, now), -2);
    }

    #[test]
    fn civil_dates_agree_with_a_day_by_day_walk() {
        let mut date = (1970u64, 1u8, 1u8);
        for days in 0..200_000u64 {
            assert_eq!(civil_from_days(days), date, "day {days}");
            let leap = (date.0.is_multiple_of(4) && !date.0.is_multiple_of(100))
                || date.0.is_multiple_of(400);
            let len = match date.1 {
                2 if leap => 29,
                2 => 28,
                4 | 6 | 9 | 11 => 30,
                _ => 31,
            };
            date = if date.2 < len {
                (date.0, date.1, date.2 + 1)
            } else if date.1 < 12 {
                (date.0, date.1 + 1, 1)
            } else {
                (date.0 + 1, 1, 1)
            };
        }
    }

    #[test]
    fn time_of_day_and_millis() {
        let t = CalendarTime::from_millis(1_709_214_307_891);
        assert_eq!(
            (t.year, t.month, t.day, t.hour, t.minute, t.second, t.millis),
            (2024, 2, 29, 13, 45, 7, 891)
        );
    }
}
