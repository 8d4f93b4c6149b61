//! Durations as Hermes writes them in config.toml ('14days', '5s',
//! '1h 30min'): Hermes reads them with `humantime_serde`, so this follows
//! humantime's `parse_duration` grammar (docs.rs/humantime): integer spans,
//! each with a unit suffix (spaces allowed between and within spans, as
//! humantime skips them: '33 hours'); a month is 30.44 days and a year
//! 365.25 days.

/// Milliseconds in `text`, or None if it is not a humantime duration.
pub fn millis(text: &str) -> Option<u64> {
    let mut rest = text.trim();
    if rest.is_empty() {
        return None;
    }
    let mut total: u64 = 0;
    while !rest.is_empty() {
        let digits = rest
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(rest.len());
        if digits == 0 {
            return None;
        }
        let number: u64 = rest[..digits].parse().ok()?;
        rest = rest[digits..].trim_start();
        let unit_len = rest
            .find(|c: char| c.is_ascii_digit() || c.is_whitespace())
            .unwrap_or(rest.len());
        let per_unit_nanos = unit_nanos(&rest[..unit_len])?;
        rest = rest[unit_len..].trim_start();
        let nanos = (number as u128).checked_mul(per_unit_nanos)?;
        total = total.checked_add(u64::try_from(nanos / 1_000_000).ok()?)?;
    }
    Some(total)
}

fn unit_nanos(unit: &str) -> Option<u128> {
    const SEC: u128 = 1_000_000_000;
    const DAY: u128 = 86_400 * SEC;
    Some(match unit {
        "nsec" | "ns" => 1,
        "usec" | "us" => 1_000,
        "msec" | "ms" => 1_000_000,
        "seconds" | "second" | "sec" | "s" => SEC,
        "minutes" | "minute" | "min" | "m" => 60 * SEC,
        "hours" | "hour" | "hr" | "h" => 3_600 * SEC,
        "days" | "day" | "d" => DAY,
        "weeks" | "week" | "w" => 7 * DAY,
        "months" | "month" | "M" => 2_630_016 * SEC, // 30.44 days
        "years" | "year" | "y" => 31_557_600 * SEC,  // 365.25 days
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::millis;

    #[test]
    fn hermes_durations() {
        assert_eq!(millis("14days"), Some(14 * 86_400_000));
        assert_eq!(millis("1days"), Some(86_400_000));
        assert_eq!(millis("5s"), Some(5_000));
        assert_eq!(millis("500ms"), Some(500));
        assert_eq!(millis("2h 37min"), Some(9_420_000));
        assert_eq!(millis("33 hours"), Some(33 * 3_600_000));
        assert_eq!(millis("1M"), Some(2_630_016_000));
        assert_eq!(millis("14"), None, "a unit is required");
        assert_eq!(millis("14 fortnights"), None);
        assert_eq!(millis(""), None);
        assert_eq!(millis("days"), None);
    }
}
