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

/// Bytes kept of a message being discarded: enough for its `<rpc>` start
/// tag, whose attributes the refusal echoes.
pub const REFUSED_PREFIX: usize = 64 * 1024;

/// Buffer capacity kept between messages; a large message's buffer is
/// given back to the allocator once it has been taken.
const KEEP_CAPACITY: usize = 256 * 1024;

/// What the decoder yields.
#[derive(Debug, PartialEq, Eq)]
pub enum Frame {
    /// A whole message.
    Message(Vec<u8>),
    /// The end of a message that [`Decoder::discard_current`] refused:
    /// only its first bytes (at most [`REFUSED_PREFIX`]) were kept.
    Refused(Vec<u8>),
}

/// Incremental decoder: feed bytes as they arrive, take whole messages.
///
/// A message is held once: in end-of-message mode it grows in the input
/// buffer and is split off it, in chunked mode each chunk's data moves to
/// the message as it arrives, so a large message does not sit in the input
/// buffer as well. [`Decoder::buffered`] tells what is held, for callers
/// that budget memory, and [`Decoder::discard_current`] drops the rest of a
/// message without losing the framing.
#[derive(Debug)]
pub struct Decoder {
    mode: Framing,
    buf: Vec<u8>,
    /// Bytes of `buf` already consumed.
    pos: usize,
    /// Chunked mode: the message being assembled (its prefix only while
    /// discarding).
    message: Vec<u8>,
    /// Chunked mode: data bytes of the current chunk still to come.
    chunk_left: usize,
    /// Chunked mode: data bytes of the current message so far.
    received: usize,
    /// End-of-message mode: bytes after `pos` already searched for the marker.
    scanned: usize,
    /// End-of-message mode: the kept prefix of a message being discarded.
    prefix: Vec<u8>,
    discarding: bool,
    max_message: usize,
}

impl Decoder {
    pub fn new(max_message: usize) -> Decoder {
        Decoder {
            mode: Framing::EndOfMessage,
            buf: Vec::new(),
            pos: 0,
            message: Vec::new(),
            chunk_left: 0,
            received: 0,
            scanned: 0,
            prefix: Vec::new(),
            discarding: false,
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

    pub fn push(&mut self, data: &[u8]) {
        if self.pos > 0 && self.pos == self.buf.len() {
            self.buf.clear();
            self.pos = 0;
        }
        self.buf.extend_from_slice(data);
    }

    /// Bytes held for messages not yet taken.
    pub fn buffered(&self) -> usize {
        self.buf.len() - self.pos + self.message.len() + self.prefix.len()
    }

    /// Whether the current message is being discarded.
    pub fn discarding(&self) -> bool {
        self.discarding
    }

    /// Drops what has arrived of the current message but its first
    /// [`REFUSED_PREFIX`] bytes, and the rest of it as it arrives; its end
    /// yields [`Frame::Refused`]. Call it between [`Decoder::next_frame`]
    /// returning `None` and the next [`Decoder::push`].
    pub fn discard_current(&mut self) {
        if self.discarding {
            return;
        }
        self.discarding = true;
        match self.mode {
            Framing::EndOfMessage => {
                let pending = &self.buf[self.pos..];
                self.prefix = pending[..pending.len().min(REFUSED_PREFIX)].to_vec();
                self.drop_scanned_eom();
            }
            Framing::Chunked => {
                self.message.truncate(REFUSED_PREFIX);
                self.message.shrink_to_fit();
            }
        }
        self.compact();
    }

    /// The next complete message, if one has arrived; refused messages are
    /// skipped.
    pub fn next_message(&mut self) -> Result<Option<Vec<u8>>, FramingError> {
        loop {
            match self.next_frame()? {
                Some(Frame::Message(m)) => return Ok(Some(m)),
                Some(Frame::Refused(_)) => continue,
                None => return Ok(None),
            }
        }
    }

    /// The next complete message or refused message's end, if one has
    /// arrived.
    pub fn next_frame(&mut self) -> Result<Option<Frame>, FramingError> {
        let result = match self.mode {
            Framing::EndOfMessage => self.next_eom(),
            Framing::Chunked => self.next_chunked(),
        };
        self.compact();
        result
    }

    fn compact(&mut self) {
        if self.pos > 0 && self.pos * 2 > self.buf.len() {
            self.buf.drain(..self.pos);
            self.pos = 0;
        }
        if self.buf.capacity() > KEEP_CAPACITY && self.buf.len() < KEEP_CAPACITY / 2 {
            self.buf.shrink_to(KEEP_CAPACITY);
        }
    }

    /// End-of-message mode, discarding: forget the searched bytes but a
    /// possible start of the marker.
    fn drop_scanned_eom(&mut self) {
        let pending = self.buf.len() - self.pos;
        let keep = pending.min(EOM.len() - 1);
        self.buf.drain(self.pos..self.buf.len() - keep);
        self.scanned = keep;
    }

    fn next_eom(&mut self) -> Result<Option<Frame>, FramingError> {
        let pending = &self.buf[self.pos..];
        // Resume the search where the last one stopped, less a partial marker.
        let from = self.scanned.saturating_sub(EOM.len() - 1);
        match find(&pending[from..], EOM).map(|at| at + from) {
            Some(at) if self.discarding => {
                self.pos += at + EOM.len();
                self.scanned = 0;
                self.discarding = false;
                Ok(Some(Frame::Refused(std::mem::take(&mut self.prefix))))
            }
            // The limit holds however the bytes arrived: a marker read in
            // the same piece as more than the limit does not let the
            // message through (found by fuzzing).
            Some(at) if at > self.max_message => Err(FramingError::TooLarge(self.max_message)),
            Some(at) => {
                self.scanned = 0;
                Ok(Some(Frame::Message(self.split_message(at))))
            }
            None if self.discarding => {
                self.drop_scanned_eom();
                Ok(None)
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

    /// Takes the `len` bytes at `pos` and the marker after them. A large
    /// message is split off the buffer rather than copied.
    fn split_message(&mut self, len: usize) -> Vec<u8> {
        if len < KEEP_CAPACITY {
            let message = self.buf[self.pos..self.pos + len].to_vec();
            self.pos += len + EOM.len();
            return message;
        }
        if self.pos > 0 {
            self.buf.drain(..self.pos);
            self.pos = 0;
        }
        let rest = self.buf.split_off(len + EOM.len());
        let mut message = std::mem::replace(&mut self.buf, rest);
        message.truncate(len);
        message.shrink_to_fit();
        message
    }

    fn next_chunked(&mut self) -> Result<Option<Frame>, FramingError> {
        loop {
            let pending = &self.buf[self.pos..];
            if self.chunk_left > 0 {
                if pending.is_empty() {
                    return Ok(None);
                }
                let take = pending.len().min(self.chunk_left);
                if !self.discarding {
                    self.message.extend_from_slice(&pending[..take]);
                }
                self.pos += take;
                self.chunk_left -= take;
                continue;
            }
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
                if self.received == 0 {
                    // An end-of-chunks with no chunk before it (RFC 6242 4.2).
                    return Err(FramingError::BadChunkHeader);
                }
                self.received = 0;
                let message = std::mem::take(&mut self.message);
                if std::mem::replace(&mut self.discarding, false) {
                    return Ok(Some(Frame::Refused(message)));
                }
                return Ok(Some(Frame::Message(message)));
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
            if self.received.saturating_add(size) > self.max_message {
                return Err(FramingError::TooLarge(self.max_message));
            }
            self.pos += 2 + end + 1;
            self.chunk_left = size;
            self.received += size;
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

    /// Fuzzing regression: a 1.0 message over the limit, whose marker
    /// came in the same piece, was let through.
    #[test]
    fn a_message_over_the_limit_is_refused_even_with_its_marker() {
        let mut d = Decoder::new(10);
        d.push(b"0123456789abc]]>]]>");
        assert!(matches!(d.next_message(), Err(FramingError::TooLarge(10))));
        let mut d = Decoder::new(10);
        d.push(b"0123456789]]>]]>");
        assert_eq!(
            d.next_message().unwrap().as_deref(),
            Some(&b"0123456789"[..])
        );
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

    fn frames(d: &mut Decoder) -> Vec<Frame> {
        let mut out = Vec::new();
        while let Some(f) = d.next_frame().unwrap() {
            out.push(f);
        }
        out
    }

    #[test]
    fn a_discarded_message_keeps_its_prefix_and_the_framing() {
        for mode in [Framing::EndOfMessage, Framing::Chunked] {
            let big = vec![b'x'; 3 * REFUSED_PREFIX];
            let stream = [
                encode(mode, b"<a/>"),
                encode(mode, &big),
                encode(mode, b"<b/>"),
            ]
            .concat();
            // Feed in small pieces; refuse the big one once it is partly in.
            let mut d = Decoder::new(1 << 20);
            d.set_mode(mode);
            let mut got = Vec::new();
            let mut most = 0;
            for piece in stream.chunks(1000) {
                got.extend(frames(&mut d));
                if d.buffered() > 5000 {
                    d.discard_current();
                }
                d.push(piece);
                most = most.max(d.buffered());
            }
            got.extend(frames(&mut d));
            assert_eq!(got.len(), 3, "{mode:?}");
            assert_eq!(got[0], Frame::Message(b"<a/>".to_vec()));
            let Frame::Refused(prefix) = &got[1] else {
                panic!("{mode:?}: {:?}", got[1]);
            };
            assert!(prefix.len() > 5000 && prefix.len() <= REFUSED_PREFIX);
            assert!(prefix.iter().all(|b| *b == b'x'));
            assert_eq!(got[2], Frame::Message(b"<b/>".to_vec()));
            assert!(most < 8000, "{mode:?}: held {most} bytes while discarding");
            assert!(!d.discarding());
        }
    }

    #[test]
    fn chunk_data_moves_to_the_message_as_it_arrives() {
        let mut d = Decoder::new(1 << 20);
        d.set_mode(Framing::Chunked);
        let body = vec![b'y'; 500_000];
        let framed = encode(Framing::Chunked, &body);
        for piece in framed.chunks(65536) {
            d.push(piece);
            assert!(d.next_frame().unwrap().is_none() || d.buffered() == 0);
            assert!(d.buf.len() < 2 * 65536, "input buffer {}", d.buf.len());
        }
        assert_eq!(d.buffered(), 0);
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
