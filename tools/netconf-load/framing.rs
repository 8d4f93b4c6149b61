//! NETCONF message framing over SSH (RFC 6242): the end-of-message marker
//! of base:1.0 and the chunked framing of base:1.1. Kept apart from the
//! transport so that the byte-level rules can be tested without a server.

use std::io::Write;

/// Ends every base:1.0 message, and the `<hello>` of both versions.
pub const END_OF_MESSAGE: &[u8] = b"]]>]]>";
/// RFC 6242 §4.2: a chunk-size has at most 10 digits (up to 4294967295).
const MAX_CHUNK_DIGITS: usize = 10;
const MAX_CHUNK_SIZE: u64 = 4_294_967_295;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Framing {
    EndOfMessage,
    Chunked,
}

impl Framing {
    pub fn name(self) -> &'static str {
        match self {
            Framing::EndOfMessage => "base:1.0 end-of-message",
            Framing::Chunked => "base:1.1 chunked",
        }
    }

    /// Appends `message`, framed, to `out`. One chunk per message: a
    /// receiver must accept any chunking, and one header is the cheapest.
    pub fn encode(self, message: &[u8], out: &mut Vec<u8>) {
        match self {
            Framing::EndOfMessage => {
                out.extend_from_slice(message);
                out.extend_from_slice(END_OF_MESSAGE);
            }
            Framing::Chunked => {
                // Writing to a Vec cannot fail.
                let _ = write!(out, "\n#{}\n", message.len());
                out.extend_from_slice(message);
                out.extend_from_slice(b"\n##\n");
            }
        }
    }
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum FramingError {
    #[error("malformed chunk header ({0})")]
    BadChunkHeader(&'static str),
    #[error("message exceeds {0} bytes")]
    TooLarge(usize),
}

/// Reassembles messages from the bytes of an SSH channel, which arrive in
/// pieces of any size.
#[derive(Debug)]
pub struct Decoder {
    framing: Framing,
    /// Received bytes not yet consumed.
    buffer: Vec<u8>,
    /// End-of-message framing: bytes of `buffer` already searched for the
    /// marker, so a large message is scanned once, not once per packet.
    scanned: usize,
    /// Chunked framing: the chunks of the current message so far.
    message: Vec<u8>,
    max_message: usize,
}

impl Decoder {
    pub fn new(framing: Framing, max_message: usize) -> Decoder {
        Decoder {
            framing,
            buffer: Vec::new(),
            scanned: 0,
            message: Vec::new(),
            max_message,
        }
    }

    /// Switches framing after the `<hello>` exchange; bytes already
    /// buffered belong to the messages that follow and are read with the
    /// new framing.
    pub fn set_framing(&mut self, framing: Framing) {
        self.framing = framing;
        self.scanned = 0;
        self.message.clear();
    }

    pub fn push(&mut self, bytes: &[u8]) {
        self.buffer.extend_from_slice(bytes);
    }

    /// The next complete message, once the bytes pushed so far hold one.
    pub fn next_message(&mut self) -> Result<Option<Vec<u8>>, FramingError> {
        match self.framing {
            Framing::EndOfMessage => self.next_end_of_message(),
            Framing::Chunked => self.next_chunked(),
        }
    }

    fn next_end_of_message(&mut self) -> Result<Option<Vec<u8>>, FramingError> {
        let from = self.scanned.saturating_sub(END_OF_MESSAGE.len() - 1);
        let found = self.buffer[from..]
            .windows(END_OF_MESSAGE.len())
            .position(|window| window == END_OF_MESSAGE);
        let Some(offset) = found else {
            self.scanned = self.buffer.len();
            if self.buffer.len() > self.max_message {
                return Err(FramingError::TooLarge(self.max_message));
            }
            return Ok(None);
        };
        let end = from + offset;
        let mut message: Vec<u8> = self.buffer.drain(..end + END_OF_MESSAGE.len()).collect();
        message.truncate(end);
        self.scanned = 0;
        // Servers may put a newline between messages.
        let start = message
            .iter()
            .position(|byte| !byte.is_ascii_whitespace())
            .unwrap_or(message.len());
        message.drain(..start);
        Ok(Some(message))
    }

    fn next_chunked(&mut self) -> Result<Option<Vec<u8>>, FramingError> {
        loop {
            match parse_chunk_header(&self.buffer)? {
                Header::Incomplete => return Ok(None),
                Header::EndOfChunks { header_len } => {
                    self.buffer.drain(..header_len);
                    if self.message.is_empty() {
                        return Err(FramingError::BadChunkHeader(
                            "end of chunks before any chunk",
                        ));
                    }
                    return Ok(Some(std::mem::take(&mut self.message)));
                }
                Header::Chunk { header_len, size } => {
                    if self.message.len().saturating_add(size) > self.max_message {
                        return Err(FramingError::TooLarge(self.max_message));
                    }
                    let end = header_len.saturating_add(size);
                    if self.buffer.len() < end {
                        return Ok(None);
                    }
                    self.message
                        .extend_from_slice(&self.buffer[header_len..end]);
                    self.buffer.drain(..end);
                }
            }
        }
    }
}

enum Header {
    Incomplete,
    EndOfChunks { header_len: usize },
    Chunk { header_len: usize, size: usize },
}

/// Reads `\n#SIZE\n` or `\n##\n` at the start of `bytes`.
fn parse_chunk_header(bytes: &[u8]) -> Result<Header, FramingError> {
    match bytes {
        [] | [b'\n'] => return Ok(Header::Incomplete),
        [b'\n', b'#', ..] => {}
        _ => return Err(FramingError::BadChunkHeader("expected LF #")),
    }
    match bytes.get(2) {
        None => Ok(Header::Incomplete),
        Some(b'#') => match bytes.get(3) {
            None => Ok(Header::Incomplete),
            Some(b'\n') => Ok(Header::EndOfChunks { header_len: 4 }),
            Some(_) => Err(FramingError::BadChunkHeader("expected LF after ##")),
        },
        Some(b'1'..=b'9') => {
            let digits = bytes[2..]
                .iter()
                .take(MAX_CHUNK_DIGITS + 1)
                .take_while(|byte| byte.is_ascii_digit())
                .count();
            if digits > MAX_CHUNK_DIGITS {
                return Err(FramingError::BadChunkHeader("chunk-size too long"));
            }
            match bytes.get(2 + digits) {
                None => Ok(Header::Incomplete),
                Some(b'\n') => {
                    let size = bytes[2..2 + digits]
                        .iter()
                        .fold(0u64, |size, digit| size * 10 + u64::from(digit - b'0'));
                    if size > MAX_CHUNK_SIZE {
                        return Err(FramingError::BadChunkHeader("chunk-size above 4294967295"));
                    }
                    let size = usize::try_from(size)
                        .map_err(|_| FramingError::BadChunkHeader("chunk-size too large"))?;
                    Ok(Header::Chunk {
                        header_len: 3 + digits,
                        size,
                    })
                }
                Some(_) => Err(FramingError::BadChunkHeader("expected LF after chunk-size")),
            }
        }
        Some(_) => Err(FramingError::BadChunkHeader(
            "chunk-size must start with 1-9",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIMIT: usize = 1 << 20;

    fn all_messages(decoder: &mut Decoder) -> Result<Vec<Vec<u8>>, FramingError> {
        let mut out = Vec::new();
        while let Some(message) = decoder.next_message()? {
            out.push(message);
        }
        Ok(out)
    }

    #[test]
    fn end_of_message_split_anywhere() {
        let stream = b"<hello/>]]>]]>\n<rpc-reply/>]]>]]>";
        for cut in 0..stream.len() {
            let mut decoder = Decoder::new(Framing::EndOfMessage, LIMIT);
            decoder.push(&stream[..cut]);
            let mut got = all_messages(&mut decoder).unwrap();
            decoder.push(&stream[cut..]);
            got.extend(all_messages(&mut decoder).unwrap());
            assert_eq!(
                got,
                vec![b"<hello/>".to_vec(), b"<rpc-reply/>".to_vec()],
                "cut {cut}"
            );
        }
    }

    #[test]
    fn chunked_example_of_rfc6242() {
        // RFC 6242 §4.2: one message in two chunks.
        let stream = b"\n#4\n<rpc\n#18\n message-id=\"102\"\n\n##\n";
        for cut in 0..stream.len() {
            let mut decoder = Decoder::new(Framing::Chunked, LIMIT);
            decoder.push(&stream[..cut]);
            let mut got = all_messages(&mut decoder).unwrap();
            decoder.push(&stream[cut..]);
            got.extend(all_messages(&mut decoder).unwrap());
            assert_eq!(
                got,
                vec![b"<rpc message-id=\"102\"\n".to_vec()],
                "cut {cut}"
            );
        }
    }

    #[test]
    fn encode_then_decode() {
        for framing in [Framing::EndOfMessage, Framing::Chunked] {
            let mut stream = Vec::new();
            framing.encode(b"<rpc message-id=\"1\"/>", &mut stream);
            framing.encode(b"<rpc message-id=\"2\"/>", &mut stream);
            let mut decoder = Decoder::new(framing, LIMIT);
            decoder.push(&stream);
            assert_eq!(
                all_messages(&mut decoder).unwrap(),
                vec![
                    b"<rpc message-id=\"1\"/>".to_vec(),
                    b"<rpc message-id=\"2\"/>".to_vec()
                ]
            );
        }
        let mut stream = Vec::new();
        Framing::Chunked.encode(b"abc", &mut stream);
        assert_eq!(stream, b"\n#3\nabc\n##\n");
    }

    #[test]
    fn hello_then_switch_to_chunks_in_one_read() {
        let mut decoder = Decoder::new(Framing::EndOfMessage, LIMIT);
        decoder.push(b"<hello/>]]>]]>\n#2\nok\n##\n");
        assert_eq!(decoder.next_message().unwrap(), Some(b"<hello/>".to_vec()));
        decoder.set_framing(Framing::Chunked);
        assert_eq!(decoder.next_message().unwrap(), Some(b"ok".to_vec()));
        assert_eq!(decoder.next_message().unwrap(), None);
    }

    #[test]
    fn malformed_chunk_headers() {
        for bad in [
            &b"#4\nabcd"[..],
            b"\n#0\n",
            b"\n#04\nabcd",
            b"\n#4x\n",
            b"\n#12345678901\n",
            b"\n#4294967296\n",
            b"\n##x",
            b"\n##\n",
        ] {
            let mut decoder = Decoder::new(Framing::Chunked, LIMIT);
            decoder.push(bad);
            assert!(
                decoder.next_message().is_err(),
                "{:?}",
                String::from_utf8_lossy(bad)
            );
        }
    }

    #[test]
    fn size_limit() {
        let mut decoder = Decoder::new(Framing::Chunked, 8);
        decoder.push(b"\n#9\n");
        assert_eq!(decoder.next_message(), Err(FramingError::TooLarge(8)));
        let mut decoder = Decoder::new(Framing::EndOfMessage, 8);
        decoder.push(b"123456789");
        assert_eq!(decoder.next_message(), Err(FramingError::TooLarge(8)));
    }
}
