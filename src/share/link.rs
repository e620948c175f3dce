//! The link codec: a scenario to a fragment and back (the whole app only; the first load
//! only tells a link from other text, `super::is_link`).

use super::{LINK_VERSION, MAX_LINK_CHARS, MAX_WIRE_BYTES, check, pack, walk};
use crate::model::{FORMAT_VERSION, Scenario};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use std::fmt;

/// The preset dictionary of every link version (see `pack`). Never edit it: links depend on it
/// byte for byte.
const DICTIONARY: &[u8] = include_bytes!("dictionary.txt");

/// What a link holds: the scenario and, optionally, the moment of the run to open at.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Shared {
    pub scenario: Scenario,
    pub at_ms: Option<u64>,
}

/// Why a link cannot be opened, in words for the person who clicked it.
#[derive(Clone, Debug, PartialEq)]
pub enum LinkError {
    Empty,
    TooLong(usize),
    NotALink,
    NewerVersion(u32),
    UnknownVersion(String),
    BadCharacters,
    Damaged(&'static str),
    TooBig,
    OutOfRange(String),
}

impl fmt::Display for LinkError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LinkError::Empty => write!(f, "the link holds no scenario (nothing after the #)"),
            LinkError::TooLong(n) => write!(
                f,
                "the link is {n} characters long; links of up to {MAX_LINK_CHARS} are read (open the scenario as a file instead)"
            ),
            LinkError::NotALink => super::NotALink.fmt(f),
            LinkError::NewerVersion(v) => write!(
                f,
                "the link was made by a newer ClusterLab (link version {v}; this one reads up to {LINK_VERSION})"
            ),
            LinkError::UnknownVersion(v) => write!(f, "unknown link version \"{v}\""),
            LinkError::BadCharacters => write!(
                f,
                "the link is damaged: it has characters a ClusterLab link never has (was it cut or changed when pasted?)"
            ),
            LinkError::Damaged(what) => write!(
                f,
                "the link is damaged ({what}); it may have been cut short when copied"
            ),
            LinkError::TooBig => write!(
                f,
                "the link unpacks to more than {} MB, far more than any design; it is refused",
                MAX_WIRE_BYTES >> 20
            ),
            LinkError::OutOfRange(what) => {
                write!(f, "the scenario in the link is not usable: {what}")
            }
        }
    }
}

impl std::error::Error for LinkError {}

/// The fragment (without `#`) of a link to `shared`. Fails only for a scenario that a link
/// could not carry back (beyond the limits `check` enforces).
pub fn encode(shared: &Shared) -> Result<String, LinkError> {
    check(&shared.scenario)?;
    let wire = walk::encode(shared);
    let bytes = postcard::to_allocvec(&wire).expect("plain data always serializes");
    Ok(packed_fragment(&bytes))
}

/// `v5.` and the wire bytes, deflated and in base64url.
fn packed_fragment(wire: &[u8]) -> String {
    format!(
        "v{LINK_VERSION}.{}",
        URL_SAFE_NO_PAD.encode(pack::deflate(DICTIONARY, wire))
    )
}

/// The wire bytes of a payload: base64url, then inflated within the size limit.
fn unpacked(payload: &str) -> Result<Vec<u8>, LinkError> {
    let packed = URL_SAFE_NO_PAD
        .decode(payload)
        .map_err(|_| LinkError::Damaged("its last characters are incomplete"))?;
    pack::inflate(DICTIONARY, &packed, MAX_WIRE_BYTES).map_err(|e| match e {
        pack::InflateError::TooBig => LinkError::TooBig,
        pack::InflateError::Damaged => LinkError::Damaged("it does not unpack"),
    })
}

/// Reads a link: a whole URL, a fragment with or without `#`, surrounding spaces allowed.
pub fn decode(link: &str) -> Result<Shared, LinkError> {
    let link = link.trim();
    if link.len() > MAX_LINK_CHARS {
        return Err(LinkError::TooLong(link.chars().count()));
    }
    let fragment = link.split_once('#').map_or(link, |(_, f)| f);
    if fragment.is_empty() {
        return Err(LinkError::Empty);
    }
    let (version, payload) = fragment.split_once('.').ok_or(LinkError::NotALink)?;
    let version = version.strip_prefix('v').ok_or(LinkError::NotALink)?;
    match version.parse::<u32>() {
        Ok(v @ 1..=LINK_VERSION) => decode_payload(payload, v),
        Ok(v) if v > LINK_VERSION => Err(LinkError::NewerVersion(v)),
        _ => Err(LinkError::UnknownVersion(
            version.chars().take(12).collect(),
        )),
    }
}

fn decode_payload(payload: &str, version: u32) -> Result<Shared, LinkError> {
    if !payload
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    {
        return Err(LinkError::BadCharacters);
    }
    let bytes = unpacked(payload)?;
    let wire: walk::Wire =
        postcard::from_bytes(&bytes).map_err(|_| LinkError::Damaged("its contents do not read"))?;
    let shared = walk::decode(wire, version)?;
    if shared.scenario.format > FORMAT_VERSION {
        return Err(LinkError::OutOfRange(format!(
            "it uses scenario format {}",
            shared.scenario.format
        )));
    }
    check(&shared.scenario)?;
    Ok(shared)
}

/// The wire bytes inside a fragment (for fuzzing the layers below the compression).
#[doc(hidden)]
pub fn wire_bytes(fragment: &str) -> Option<Vec<u8>> {
    let payload = fragment.split_once('.')?.1;
    unpacked(payload).ok()
}

/// A current-version fragment around arbitrary wire bytes (for fuzzing).
#[doc(hidden)]
pub fn fragment_of(wire: &[u8]) -> String {
    packed_fragment(wire)
}
