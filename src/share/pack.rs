//! Raw deflate with a preset dictionary: words and ids scenarios use, so that a short
//! description or `host-1` costs a back-reference instead of its letters.
//!
//! The compressor reads the dictionary first and flushes (which ends on a byte boundary); only
//! what it writes after that is sent. The reader puts the dictionary in front as a stored
//! block, inflates, and drops it again. The dictionary of a link version never changes.

use miniz_oxide::deflate::core::{
    CompressorOxide, TDEFLFlush, TDEFLStatus, compress, create_comp_flags_from_zip_params,
};
use miniz_oxide::inflate::{TINFLStatus, decompress_to_vec_with_limit};

/// Compresses `data` as if `dict` came just before it. Short inputs often come out smaller
/// with deflate's fixed code than with a code table of their own: both are tried.
pub fn deflate(dict: &[u8], data: &[u8]) -> Vec<u8> {
    let dynamic = deflate_with(dict, data, 0);
    let fixed = deflate_with(dict, data, FIXED_CODES);
    if fixed.len() < dynamic.len() {
        fixed
    } else {
        dynamic
    }
}

/// zlib's `Z_FIXED` strategy.
const FIXED_CODES: i32 = 4;

fn deflate_with(dict: &[u8], data: &[u8], strategy: i32) -> Vec<u8> {
    let mut c = CompressorOxide::new(create_comp_flags_from_zip_params(10, 0, strategy));
    let primed = run(&mut c, dict, TDEFLFlush::Sync);
    debug_assert!(!primed.is_empty());
    run(&mut c, data, TDEFLFlush::Finish)
}

fn run(c: &mut CompressorOxide, mut input: &[u8], flush: TDEFLFlush) -> Vec<u8> {
    let mut out = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        let (status, read, written) = compress(c, input, &mut buf, flush);
        out.extend_from_slice(&buf[..written]);
        input = &input[read..];
        match status {
            TDEFLStatus::Done => return out,
            TDEFLStatus::Okay if input.is_empty() && written < buf.len() => return out,
            TDEFLStatus::Okay => {}
            _ => unreachable!("compressing in memory cannot fail"),
        }
    }
}

pub enum InflateError {
    TooBig,
    Damaged,
}

/// Inflates `payload` (made by `deflate` with the same `dict`), to at most `limit` bytes.
pub fn inflate(dict: &[u8], payload: &[u8], limit: usize) -> Result<Vec<u8>, InflateError> {
    let len = u16::try_from(dict.len()).expect("a dictionary fits one stored block");
    let mut stream = Vec::with_capacity(5 + dict.len() + payload.len());
    // A stored, not-final block holding the dictionary.
    stream.push(0);
    stream.extend_from_slice(&len.to_le_bytes());
    stream.extend_from_slice(&(!len).to_le_bytes());
    stream.extend_from_slice(dict);
    stream.extend_from_slice(payload);
    let mut out =
        decompress_to_vec_with_limit(&stream, dict.len() + limit).map_err(|e| match e.status {
            TINFLStatus::HasMoreOutput => InflateError::TooBig,
            _ => InflateError::Damaged,
        })?;
    out.drain(..dict.len());
    Ok(out)
}
