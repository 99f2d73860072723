//! Values exchanged with the Python child, in the format of Python's own
//! `marshal` module (version 2): the child reads and writes them with
//! `marshal.loads`/`marshal.dumps`, C code in every CPython 3.x, so a
//! result of many rows crosses the process boundary without a Python loop.
//!
//! Version 2 is the newest format without back-references, which keeps the
//! reader here small; CPython still reads and writes it in every release.

use thiserror::Error;

/// A Python value the two sides exchange.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    None,
    Bool(bool),
    Int(i64),
    /// An int that does not fit in 64 bits (Rust never needs its value).
    BigInt,
    Float(f64),
    Str(String),
    Bytes(Vec<u8>),
    Tuple(Vec<Value>),
    List(Vec<Value>),
    Dict(Vec<(Value, Value)>),
}

#[derive(Debug, Error)]
#[error("malformed message from the Python process: {0}")]
pub struct WireError(pub String);

impl Value {
    pub fn str(s: impl Into<String>) -> Value {
        Value::Str(s.into())
    }

    pub fn opt_str(s: Option<impl Into<String>>) -> Value {
        s.map_or(Value::None, |s| Value::Str(s.into()))
    }

    pub fn str_list<S: AsRef<str>>(items: &[S]) -> Value {
        Value::List(items.iter().map(|s| Value::str(s.as_ref())).collect())
    }

    pub fn dict<K: Into<String>>(pairs: impl IntoIterator<Item = (K, Value)>) -> Value {
        Value::Dict(
            pairs
                .into_iter()
                .map(|(k, v)| (Value::Str(k.into()), v))
                .collect(),
        )
    }

    pub fn is_none(&self) -> bool {
        matches!(self, Value::None)
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_int(&self) -> Option<i64> {
        match self {
            Value::Int(i) => Some(*i),
            Value::Bool(b) => Some(i64::from(*b)),
            _ => None,
        }
    }

    /// The items of a tuple or list.
    pub fn items(&self) -> Option<&[Value]> {
        match self {
            Value::Tuple(v) | Value::List(v) => Some(v),
            _ => None,
        }
    }

    pub fn into_items(self) -> Option<Vec<Value>> {
        match self {
            Value::Tuple(v) | Value::List(v) => Some(v),
            _ => None,
        }
    }

    /// Python's `bool(value)` for the values a flag can hold.
    pub fn truthy(&self) -> bool {
        match self {
            Value::None => false,
            Value::Bool(b) => *b,
            Value::Int(i) => *i != 0,
            Value::BigInt => true,
            Value::Float(f) => *f != 0.0,
            Value::Str(s) => !s.is_empty(),
            Value::Bytes(b) => !b.is_empty(),
            Value::Tuple(v) | Value::List(v) => !v.is_empty(),
            Value::Dict(v) => !v.is_empty(),
        }
    }
}

pub fn encode(value: &Value, out: &mut Vec<u8>) {
    match value {
        Value::None => out.push(b'N'),
        Value::Bool(true) => out.push(b'T'),
        Value::Bool(false) => out.push(b'F'),
        Value::Int(i) => match i32::try_from(*i) {
            Ok(small) => {
                out.push(b'i');
                out.extend_from_slice(&small.to_le_bytes());
            }
            Err(_) => encode_long(*i, out),
        },
        // Never produced on this side; None is the honest stand-in.
        Value::BigInt => out.push(b'N'),
        Value::Float(f) => {
            out.push(b'g');
            out.extend_from_slice(&f.to_le_bytes());
        }
        Value::Str(s) => sized(b'u', s.as_bytes(), out),
        Value::Bytes(b) => sized(b's', b, out),
        Value::Tuple(items) => sequence(b'(', items, out),
        Value::List(items) => sequence(b'[', items, out),
        Value::Dict(pairs) => {
            out.push(b'{');
            for (k, v) in pairs {
                encode(k, out);
                encode(v, out);
            }
            out.push(b'0');
        }
    }
}

fn len32(n: usize) -> [u8; 4] {
    // Messages are far below 4 GiB; a bigger one is a bug worth stopping on.
    u32::try_from(n)
        .expect("marshal item under 4 GiB")
        .to_le_bytes()
}

fn sized(tag: u8, bytes: &[u8], out: &mut Vec<u8>) {
    out.push(tag);
    out.extend_from_slice(&len32(bytes.len()));
    out.extend_from_slice(bytes);
}

fn sequence(tag: u8, items: &[Value], out: &mut Vec<u8>) {
    out.push(tag);
    out.extend_from_slice(&len32(items.len()));
    for item in items {
        encode(item, out);
    }
}

/// marshal's `TYPE_LONG`: a signed count of 15-bit digits, least first.
fn encode_long(i: i64, out: &mut Vec<u8>) {
    let mut magnitude = i.unsigned_abs();
    let mut digits = Vec::new();
    while magnitude > 0 {
        digits.push((magnitude & 0x7fff) as u16);
        magnitude >>= 15;
    }
    let count = i32::try_from(digits.len()).unwrap_or(0);
    out.push(b'l');
    out.extend_from_slice(&(if i < 0 { -count } else { count }).to_le_bytes());
    for d in digits {
        out.extend_from_slice(&d.to_le_bytes());
    }
}

pub fn decode(bytes: &[u8]) -> Result<Value, WireError> {
    let mut reader = Reader { bytes, at: 0 };
    let value = reader.value()?;
    if reader.at != bytes.len() {
        return Err(WireError("trailing bytes".into()));
    }
    Ok(value)
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Reader<'_> {
    fn take(&mut self, n: usize) -> Result<&[u8], WireError> {
        let end = self
            .at
            .checked_add(n)
            .filter(|&end| end <= self.bytes.len())
            .ok_or_else(|| WireError("truncated".into()))?;
        let slice = &self.bytes[self.at..end];
        self.at = end;
        Ok(slice)
    }

    fn u32(&mut self) -> Result<usize, WireError> {
        let b = self.take(4)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize)
    }

    fn i32(&mut self) -> Result<i32, WireError> {
        let b = self.take(4)?;
        Ok(i32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }

    fn value(&mut self) -> Result<Value, WireError> {
        let tag = self.take(1)?[0];
        Ok(match tag {
            b'N' => Value::None,
            b'T' => Value::Bool(true),
            b'F' => Value::Bool(false),
            b'i' => Value::Int(i64::from(self.i32()?)),
            b'l' => self.long()?,
            b'g' => {
                let b = self.take(8)?;
                let mut raw = [0u8; 8];
                raw.copy_from_slice(b);
                Value::Float(f64::from_le_bytes(raw))
            }
            // `t`: an interned str, same layout.
            b'u' | b't' => {
                let n = self.u32()?;
                let raw = self.take(n)?;
                match std::str::from_utf8(raw) {
                    Ok(s) => Value::Str(s.to_string()),
                    // Lone surrogates (marshal writes them with
                    // surrogatepass): kept as lossy text.
                    Err(_) => Value::Str(String::from_utf8_lossy(raw).into_owned()),
                }
            }
            b's' => {
                let n = self.u32()?;
                Value::Bytes(self.take(n)?.to_vec())
            }
            b'(' | b'[' => {
                let n = self.u32()?;
                let mut items = Vec::with_capacity(n.min(1 << 16));
                for _ in 0..n {
                    items.push(self.value()?);
                }
                if tag == b'(' {
                    Value::Tuple(items)
                } else {
                    Value::List(items)
                }
            }
            b'{' => {
                let mut pairs = Vec::new();
                loop {
                    if self.bytes.get(self.at) == Some(&b'0') {
                        self.at += 1;
                        break;
                    }
                    let k = self.value()?;
                    let v = self.value()?;
                    pairs.push((k, v));
                }
                Value::Dict(pairs)
            }
            other => {
                return Err(WireError(format!(
                    "unsupported marshal type {:?}",
                    other as char
                )))
            }
        })
    }

    fn long(&mut self) -> Result<Value, WireError> {
        let count = self.i32()?;
        let n = count.unsigned_abs() as usize;
        let digits = self.take(n.checked_mul(2).ok_or_else(|| WireError("long".into()))?)?;
        let mut magnitude: u128 = 0;
        for (i, pair) in digits.chunks_exact(2).enumerate().rev() {
            let d = u128::from(u16::from_le_bytes([pair[0], pair[1]]));
            if i >= 8 {
                if d != 0 {
                    return Ok(Value::BigInt);
                }
                continue;
            }
            magnitude = (magnitude << 15) | d;
        }
        let signed = if count < 0 {
            i128::try_from(magnitude).map(|m| -m)
        } else {
            i128::try_from(magnitude)
        };
        Ok(signed
            .ok()
            .and_then(|v| i64::try_from(v).ok())
            .map_or(Value::BigInt, Value::Int))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip(v: Value) {
        let mut out = Vec::new();
        encode(&v, &mut out);
        assert_eq!(decode(&out).unwrap(), v);
    }

    #[test]
    fn values_survive_a_round_trip() {
        for v in [
            Value::None,
            Value::Bool(true),
            Value::Int(-7),
            Value::Int(i64::MAX),
            Value::Int(i64::MIN),
            Value::Int(1 << 40),
            Value::Float(f64::INFINITY),
            Value::str("héllo"),
            Value::Bytes(vec![0, 255]),
            Value::Tuple(vec![Value::Int(1), Value::List(vec![Value::None])]),
            Value::dict([("a", Value::Int(1))]),
        ] {
            round_trip(v);
        }
    }

    #[test]
    fn python_marshal_bytes_decode() {
        // marshal.dumps((1, 2**70, -2**31, 'x', b'y', None, 1.5), 2)
        let bytes = b"(\x07\x00\x00\x00i\x01\x00\x00\x00l\x05\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x04i\x00\x00\x00\x80u\x01\x00\x00\x00xs\x01\x00\x00\x00yNg\x00\x00\x00\x00\x00\x00\xf8?";
        let v = decode(bytes).unwrap();
        assert_eq!(
            v,
            Value::Tuple(vec![
                Value::Int(1),
                Value::BigInt,
                Value::Int(-(1 << 31)),
                Value::str("x"),
                Value::Bytes(b"y".to_vec()),
                Value::None,
                Value::Float(1.5),
            ])
        );
    }

    #[test]
    fn truncated_input_is_an_error() {
        assert!(decode(b"u\x05\x00\x00\x00ab").is_err());
        assert!(decode(b"(\x02\x00\x00\x00N").is_err());
    }
}
