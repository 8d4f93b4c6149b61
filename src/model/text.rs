//! Text cut to a number of octets: the MIB's DisplayString and
//! SnmpAdminString carry at most 255, and the NETCONF operational view
//! shows what the MIB shows. One place for both front ends.

/// The longest prefix of `s` of at most `max` octets that ends on a UTF-8
/// character boundary.
pub fn cut_utf8(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

#[cfg(test)]
mod tests {
    use super::cut_utf8;

    #[test]
    fn cuts_on_a_character_boundary() {
        assert_eq!(cut_utf8("abc", 5), "abc");
        assert_eq!(cut_utf8("abcdef", 3), "abc");
        // 'é' is two octets: cutting inside it keeps the character out.
        assert_eq!(cut_utf8("aé", 2), "a");
        assert_eq!(cut_utf8("aé", 3), "aé");
    }
}
