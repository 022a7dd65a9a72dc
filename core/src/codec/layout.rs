//! Reading a stored record laid out exactly as [`super::encode`] writes it, without a
//! general JSON parser.
//!
//! The envelope's fields stand in a fixed order with fixed names, the payload is the one
//! JSON object between `"payload":` and the two hashes, whose text has a fixed length at
//! the record's end. Reading that layout directly spares the general parser's pass over
//! the whole record (which had to scan the payload to find its end) before the payload is
//! parsed on its own; opening a log decodes every record, so this is on its hot path.
//!
//! Only that exact layout is read here: a number with a leading zero, a text with an
//! escape or a control character, white space, fields in another order, anything
//! unexpected gives `None`, and the caller reads the record with `serde_json` instead. For
//! what it does read, each field is parsed by the same function `serde`'s implementation
//! for that type uses, so both readers give the same fields; the two times are the one
//! exception: the form the encoder writes (`2026-03-02T09:01:00.5Z`: four-digit year, `T`,
//! one to nine digits of fraction, `Z`) is read digit by digit, and any other text by
//! chrono's parser, which serde uses (a property test holds the two together; chrono's
//! general parser was the largest single cost of reading an envelope).

use chrono::{DateTime, NaiveDate, Utc};

use super::StoredRecord;

/// The record's end after the payload: `,"prev_hash":"<64 hex>","hash":"<64 hex>"}`.
const TAIL: usize = PREV_HASH.len() + 64 + HASH.len() + 64 + END.len();
const PREV_HASH: &str = ",\"prev_hash\":\"";
const HASH: &str = "\",\"hash\":\"";
const END: &str = "\"}";

/// The record's fields, if `bytes` hold the layout this build writes.
pub(super) fn read(bytes: &[u8]) -> Option<StoredRecord<'_>> {
    let text = std::str::from_utf8(bytes).ok()?;
    let split = text.len().checked_sub(TAIL)?;
    let (head, tail) = (text.get(..split)?, text.get(split..)?);
    let mut head = Cursor(head);
    let position = head.field("{\"position\":")?.number()?;
    let stream = head.field(",\"stream\":")?.text()?.parse().ok()?;
    let stream_version = head.field(",\"stream_version\":")?.number()?;
    let event_id = head.field(",\"event_id\":")?.text()?.parse().ok()?;
    let command_id = head.field(",\"command_id\":")?.text()?.parse().ok()?;
    let actor = head.field(",\"actor\":")?.text()?;
    let business_time = time(head.field(",\"business_time\":")?.text()?)?;
    let recorded_time = time(head.field(",\"recorded_time\":")?.text()?)?;
    let correlation_id = head.field(",\"correlation_id\":")?.text()?.parse().ok()?;
    let causation_id = head.field(",\"causation_id\":")?.text()?.parse().ok()?;
    let schema_version = u32::try_from(head.field(",\"schema_version\":")?.number()?).ok()?;
    let payload = head.field(",\"payload\":")?.0;
    // The payload's text is parsed later on its own; as one object with nothing around
    // it, it is exactly the value a JSON parser finds there.
    if !(payload.starts_with('{') && payload.ends_with('}')) {
        return None;
    }
    let mut tail = Cursor(tail);
    let prev_hash = super::Hash::from_hex(tail.field(PREV_HASH)?.take(64)?)?;
    let hash = super::Hash::from_hex(tail.field(HASH)?.take(64)?)?;
    tail.field(END)?.end()?;
    Some(StoredRecord {
        position,
        stream,
        stream_version,
        event_id,
        command_id,
        actor: actor.into(),
        business_time,
        recorded_time,
        correlation_id,
        causation_id,
        schema_version,
        payload,
        prev_hash,
        hash,
    })
}

/// A UTC time as serde reads it from `text`: the encoder's form digit by digit, anything
/// else by chrono's parser.
fn time(text: &str) -> Option<DateTime<Utc>> {
    written_time(text).or_else(|| text.parse().ok())
}

/// `YYYY-MM-DDTHH:MM:SS[.F]Z` with one to nine digits F, and a valid date and time (a leap
/// second is left to chrono); `None` for anything else.
fn written_time(text: &str) -> Option<DateTime<Utc>> {
    let bytes = text.as_bytes();
    let (fixed, rest) = (bytes.get(..19)?, bytes.get(19..)?);
    let digits = |from: usize, len: usize| -> Option<u32> {
        fixed[from..from + len].iter().try_fold(0u32, |n, b| {
            b.is_ascii_digit().then(|| n * 10 + u32::from(b - b'0'))
        })
    };
    let separators = [(4, b'-'), (7, b'-'), (10, b'T'), (13, b':'), (16, b':')];
    if separators.iter().any(|&(at, byte)| fixed[at] != byte) {
        return None;
    }
    let fraction = match rest {
        [b'.', fraction @ .., b'Z'] if (1..=9).contains(&fraction.len()) => fraction,
        [b'Z'] => &[][..],
        _ => return None,
    };
    let mut nanos = 0u32;
    for b in fraction {
        nanos = nanos * 10 + u32::from(b.checked_sub(b'0').filter(|d| *d < 10)?);
    }
    nanos *= 10u32.pow(9 - fraction.len() as u32);
    let seconds = digits(17, 2)?;
    if seconds > 59 {
        return None;
    }
    let year = i32::try_from(digits(0, 4)?).ok()?;
    let date = NaiveDate::from_ymd_opt(year, digits(5, 2)?, digits(8, 2)?)?;
    let time = date.and_hms_nano_opt(digits(11, 2)?, digits(14, 2)?, seconds, nanos)?;
    Some(time.and_utc())
}

/// The text not read yet.
struct Cursor<'a>(&'a str);

impl<'a> Cursor<'a> {
    /// Steps over `expected`, which must come next.
    fn field(&mut self, expected: &str) -> Option<&mut Self> {
        self.0 = self.0.strip_prefix(expected)?;
        Some(self)
    }

    /// The next `n` bytes.
    fn take(&mut self, n: usize) -> Option<&'a str> {
        let taken = self.0.get(..n)?;
        self.0 = self.0.get(n..)?;
        Some(taken)
    }

    /// Nothing is left.
    fn end(&self) -> Option<()> {
        self.0.is_empty().then_some(())
    }

    /// An unsigned integer as JSON writes it: digits, no leading zero, within `u64`.
    fn number(&mut self) -> Option<u64> {
        let digits = self.0.bytes().take_while(u8::is_ascii_digit).count();
        let text = self.take(digits)?;
        if text.is_empty() || (text.len() > 1 && text.starts_with('0')) {
            return None;
        }
        text.parse().ok()
    }

    /// A JSON string without escapes or control characters: its contents as they stand.
    fn text(&mut self) -> Option<&'a str> {
        let rest = self.0.strip_prefix('"')?;
        let len = rest.find('"')?;
        let contents = &rest[..len];
        if contents.bytes().any(|b| b == b'\\' || b < 0x20) {
            return None;
        }
        self.0 = &rest[len + 1..];
        Some(contents)
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use chrono::{DateTime, SecondsFormat, Utc};

    use super::super::tests::FIXTURES;
    use super::super::{StoredRecord, decode, decode_with_serde, verify};
    use super::{read, written_time};

    fn records() -> Vec<(u64, &'static str)> {
        FIXTURES
            .iter()
            .flat_map(|fixture| fixture.lines().zip(1u64..))
            .map(|(line, position)| (position, line))
            .collect()
    }

    #[test]
    fn every_stored_fixture_is_read_by_layout_as_serde_reads_it() {
        for (position, line) in records() {
            let by_serde: StoredRecord<'_> = serde_json::from_str(line).unwrap();
            assert_eq!(read(line.as_bytes()), Some(by_serde), "position {position}");
        }
    }

    #[test]
    fn what_the_layout_does_not_cover_is_left_to_serde_with_the_same_answer() {
        let line = FIXTURES[3].lines().next().unwrap();
        let variants = [
            // An escape in a text, white space, a leading zero, another field order.
            line.replacen("\"actor\":\"", "\"actor\":\"\\u0061", 1),
            line.replacen("{\"position\":", "{ \"position\":", 1),
            line.replacen("{\"position\":1", "{\"position\":01", 1),
            line.replacen("\"payload\":", "\"payload\": ", 1),
            // An unknown field after the payload: serde ignores it, the layout cannot.
            line.replacen(",\"prev_hash\":", ",\"note\":{},\"prev_hash\":", 1),
            // Upper-case hexadecimal digits in a hash, which both readers accept.
            {
                let at = line.len() - 3;
                format!("{}{}", &line[..at], line[at..].to_uppercase())
            },
        ];
        for variant in &variants {
            assert_eq!(
                decode(1, variant.as_bytes()),
                decode_with_serde(1, variant.as_bytes()),
                "{variant}"
            );
        }
        assert!(read(variants[0].as_bytes()).is_none());
        assert!(read(variants[1].as_bytes()).is_none());
        assert!(read(variants[2].as_bytes()).is_none());
        assert!(read(variants[3].as_bytes()).is_none());
        assert!(decode(1, variants[4].as_bytes()).is_ok());
    }

    /// An edit of a record's bytes: replace, insert or remove one byte at a place.
    #[derive(Clone, Debug)]
    enum Edit {
        Replace(usize, u8),
        Insert(usize, u8),
        Remove(usize),
    }

    fn edit() -> impl Strategy<Value = Edit> {
        // Bytes that matter to the layout: quotes, escapes, digits, braces, commas, space,
        // hex digits, and any byte at all.
        let byte = prop_oneof![
            prop::sample::select(b"\"\\0123456789{}[],: aAfFzZ-.\n".to_vec()),
            any::<u8>(),
        ];
        prop_oneof![
            (any::<usize>(), byte.clone()).prop_map(|(at, b)| Edit::Replace(at, b)),
            (any::<usize>(), byte).prop_map(|(at, b)| Edit::Insert(at, b)),
            any::<usize>().prop_map(Edit::Remove),
        ]
    }

    fn apply(bytes: &mut Vec<u8>, edit: &Edit) {
        match *edit {
            Edit::Replace(at, b) => {
                let at = at % bytes.len();
                bytes[at] = b;
            }
            Edit::Insert(at, b) => bytes.insert(at % (bytes.len() + 1), b),
            Edit::Remove(at) => {
                bytes.remove(at % bytes.len());
            }
        }
    }

    proptest! {
        /// Every time the encoder can write (four-digit years) is read back digit by digit
        /// as chrono reads it.
        #[test]
        fn written_times_are_read_as_chrono_reads_them(
            seconds in -62_167_219_200i64..253_402_300_800,
            nanos in prop_oneof![Just(0u32), 0u32..1_000_000_000],
            format in prop::sample::select(vec![
                SecondsFormat::AutoSi,
                SecondsFormat::Secs,
                SecondsFormat::Millis,
                SecondsFormat::Micros,
                SecondsFormat::Nanos,
            ]),
        ) {
            let time = DateTime::<Utc>::from_timestamp(seconds, nanos).unwrap();
            let text = time.to_rfc3339_opts(format, true);
            let by_chrono: DateTime<Utc> = text.parse().unwrap();
            prop_assert_eq!(written_time(&text), Some(by_chrono));
        }

        /// Any text of about that shape is read as chrono reads it, or left to chrono.
        #[test]
        fn time_like_texts_are_read_as_chrono_reads_them_or_left_to_it(
            text in concat!(
                "[0-9]{4}-(0[0-9]|1[0-3])-([0-2][0-9]|3[0-2])[Tt ]([01][0-9]|2[0-5]):[0-6][0-9]:",
                "([0-5][0-9]|6[01])(\\.[0-9]{0,11})?[Zz]?",
            ),
        ) {
            if let Some(time) = written_time(&text) {
                prop_assert_eq!(Some(time), text.parse::<DateTime<Utc>>().ok());
            }
        }

        /// Whatever a record's bytes are, decoding gives what `serde_json` alone gives: the
        /// same event or the same error.
        #[test]
        fn decoding_edited_records_gives_what_serde_gives(
            pick in any::<prop::sample::Index>(),
            edits in prop::collection::vec(edit(), 1..4),
            position_off_by in 0u64..2,
        ) {
            let all = records();
            let (position, line) = all[pick.index(all.len())];
            let mut bytes = line.as_bytes().to_vec();
            for edit in &edits {
                apply(&mut bytes, edit);
            }
            let position = position + position_off_by;
            let decoded = decode(position, &bytes);
            prop_assert_eq!(&decoded, &decode_with_serde(position, &bytes));
            // Checking without the payload agrees: the decoded event's link, or the same
            // error wherever the envelope is at fault (decoding may also refuse a payload).
            match (verify(position, &bytes), &decoded) {
                (Ok(link), Ok(event)) => prop_assert_eq!(link, event.link()),
                (Err(error), decoded) => prop_assert_eq!(Err(error), decoded.clone().map(|_| ())),
                (Ok(_), Err(_)) => {}
            }
            // Where both readers read fields and the layout's payload is one JSON value,
            // they read the same fields.
            if let (Some(fast), Ok(slow)) = (read(&bytes), serde_json::from_slice::<StoredRecord<'_>>(&bytes)) {
                if serde_json::from_str::<&serde_json::value::RawValue>(fast.payload).is_ok() {
                    prop_assert_eq!(fast, slow);
                }
            }
        }
    }
}
