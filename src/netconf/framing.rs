//! RFC 6242 message framing: the base:1.0 end-of-message marker until both
//! hellos advertise base:1.1, then chunked framing (section 4.2).

/// The base:1.0 end-of-message delimiter.
pub const EOM: &[u8] = b"]]>]]>";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Framing {
    EndOfMessage,
    Chunked,
}

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum FramingError {
    #[error("bad chunk header")]
    BadChunkHeader,
    #[error("message larger than {0} bytes")]
    TooLarge(usize),
}

/// Incremental decoder: feed bytes as they arrive, take whole messages.
#[derive(Debug)]
pub struct Decoder {
    mode: Framing,
    buf: Vec<u8>,
    /// Bytes of `buf` already consumed.
    pos: usize,
    /// Chunked mode: the message being assembled.
    message: Vec<u8>,
    /// End-of-message mode: bytes after `pos` already searched for the marker.
    scanned: usize,
    max_message: usize,
}

impl Decoder {
    pub fn new(max_message: usize) -> Decoder {
        Decoder {
            mode: Framing::EndOfMessage,
            buf: Vec::new(),
            pos: 0,
            message: Vec::new(),
            scanned: 0,
            max_message,
        }
    }

    pub fn mode(&self) -> Framing {
        self.mode
    }

    /// Switch framing after the hello exchange; bytes already buffered are
    /// read with the new framing.
    pub fn set_mode(&mut self, mode: Framing) {
        self.mode = mode;
    }

    /// Bytes received and not yet taken as messages.
    pub fn buffered(&self) -> usize {
        self.buf.len() - self.pos
    }

    pub fn push(&mut self, data: &[u8]) {
        if self.pos > 0 && self.pos == self.buf.len() {
            self.buf.clear();
            self.pos = 0;
        }
        self.buf.extend_from_slice(data);
    }

    /// The next complete message, if one has arrived.
    pub fn next_message(&mut self) -> Result<Option<Vec<u8>>, FramingError> {
        let result = match self.mode {
            Framing::EndOfMessage => self.next_eom(),
            Framing::Chunked => self.next_chunked(),
        };
        if self.pos > 0 && self.pos * 2 > self.buf.len() {
            self.buf.drain(..self.pos);
            self.pos = 0;
        }
        result
    }

    fn next_eom(&mut self) -> Result<Option<Vec<u8>>, FramingError> {
        let pending = &self.buf[self.pos..];
        // Resume the search where the last one stopped, less a partial marker.
        let from = self.scanned.saturating_sub(EOM.len() - 1);
        match find(&pending[from..], EOM).map(|at| at + from) {
            Some(at) => {
                let message = pending[..at].to_vec();
                self.pos += at + EOM.len();
                self.scanned = 0;
                Ok(Some(message))
            }
            None if pending.len() > self.max_message + EOM.len() => {
                Err(FramingError::TooLarge(self.max_message))
            }
            None => {
                self.scanned = pending.len();
                Ok(None)
            }
        }
    }

    fn next_chunked(&mut self) -> Result<Option<Vec<u8>>, FramingError> {
        loop {
            let pending = &self.buf[self.pos..];
            // Shortest header: "\n#1\n" or the end "\n##\n".
            if pending.len() < 4 {
                return Ok(None);
            }
            if pending[0] != b'\n' || pending[1] != b'#' {
                return Err(FramingError::BadChunkHeader);
            }
            if pending[2] == b'#' {
                if pending[3] != b'\n' {
                    return Err(FramingError::BadChunkHeader);
                }
                self.pos += 4;
                if self.message.is_empty() {
                    // An end-of-chunks with no chunk before it (RFC 6242 4.2).
                    return Err(FramingError::BadChunkHeader);
                }
                return Ok(Some(std::mem::take(&mut self.message)));
            }
            // chunk-size = 1-9 followed by up to 9 digits (max 4294967295).
            let digits = &pending[2..];
            let Some(end) = digits.iter().position(|b| !b.is_ascii_digit()) else {
                if digits.len() > 10 {
                    return Err(FramingError::BadChunkHeader);
                }
                return Ok(None);
            };
            if end == 0 || end > 10 || digits[0] == b'0' || digits[end] != b'\n' {
                return Err(FramingError::BadChunkHeader);
            }
            let size: u64 = std::str::from_utf8(&digits[..end])
                .ok()
                .and_then(|s| s.parse().ok())
                .filter(|n| *n <= u64::from(u32::MAX))
                .ok_or(FramingError::BadChunkHeader)?;
            let size =
                usize::try_from(size).map_err(|_| FramingError::TooLarge(self.max_message))?;
            if self.message.len().saturating_add(size) > self.max_message {
                return Err(FramingError::TooLarge(self.max_message));
            }
            let header = 2 + end + 1;
            if pending.len() < header + size {
                return Ok(None);
            }
            self.message
                .extend_from_slice(&pending[header..header + size]);
            self.pos += header + size;
        }
    }
}

/// Frame one message for sending.
pub fn encode(mode: Framing, message: &[u8]) -> Vec<u8> {
    match mode {
        Framing::EndOfMessage => {
            let mut out = Vec::with_capacity(message.len() + EOM.len());
            out.extend_from_slice(message);
            out.extend_from_slice(EOM);
            out
        }
        Framing::Chunked => {
            let header = format!("\n#{}\n", message.len());
            let mut out = Vec::with_capacity(header.len() + message.len() + 4);
            out.extend_from_slice(header.as_bytes());
            out.extend_from_slice(message);
            out.extend_from_slice(b"\n##\n");
            out
        }
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(d: &mut Decoder) -> Vec<Vec<u8>> {
        let mut out = Vec::new();
        while let Some(m) = d.next_message().unwrap() {
            out.push(m);
        }
        out
    }

    #[test]
    fn end_of_message_split_anywhere() {
        let stream = b"<hello/>]]>]]><rpc/>]]>]]>";
        for cut in 0..stream.len() {
            let mut d = Decoder::new(1 << 20);
            d.push(&stream[..cut]);
            let mut got = all(&mut d);
            d.push(&stream[cut..]);
            got.extend(all(&mut d));
            assert_eq!(
                got,
                vec![b"<hello/>".to_vec(), b"<rpc/>".to_vec()],
                "cut {cut}"
            );
        }
    }

    #[test]
    fn chunked_per_rfc_6242_example_split_anywhere() {
        // RFC 6242 4.2: a message in two chunks.
        let stream = b"\n#4\n<rpc\n#18\n message-id=\"102\"\n\n##\n\n#3\nabc\n##\n";
        for cut in 0..stream.len() {
            let mut d = Decoder::new(1 << 20);
            d.set_mode(Framing::Chunked);
            d.push(&stream[..cut]);
            let mut got = all(&mut d);
            d.push(&stream[cut..]);
            got.extend(all(&mut d));
            assert_eq!(
                got,
                vec![b"<rpc message-id=\"102\"\n".to_vec(), b"abc".to_vec()],
                "cut {cut}"
            );
        }
    }

    #[test]
    fn encode_round_trips() {
        for mode in [Framing::EndOfMessage, Framing::Chunked] {
            let mut d = Decoder::new(1 << 20);
            d.set_mode(mode);
            d.push(&encode(mode, b"<a/>"));
            d.push(&encode(mode, b"<b/>"));
            assert_eq!(all(&mut d), vec![b"<a/>".to_vec(), b"<b/>".to_vec()]);
        }
    }

    #[test]
    fn bad_chunk_headers_are_errors() {
        for bad in [
            &b"\n#0\n"[..],
            b"\n#01\nx",
            b"\n#x\n",
            b"\n##\n",
            b"#4\nabcd",
            b"\n#4294967296\n",
            b"\n#12345678901\n",
        ] {
            let mut d = Decoder::new(1 << 20);
            d.set_mode(Framing::Chunked);
            d.push(bad);
            assert!(
                d.next_message().is_err(),
                "{:?}",
                String::from_utf8_lossy(bad)
            );
        }
    }

    #[test]
    fn size_limits_hold_in_both_modes() {
        let mut d = Decoder::new(8);
        d.push(&[b'a'; 32]);
        assert_eq!(d.next_message(), Err(FramingError::TooLarge(8)));
        let mut d = Decoder::new(8);
        d.set_mode(Framing::Chunked);
        d.push(b"\n#5\nabcde\n#5\n");
        assert_eq!(d.next_message(), Err(FramingError::TooLarge(8)));
    }
}
