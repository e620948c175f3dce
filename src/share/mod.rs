//! Share links: a whole scenario in a URL fragment (`#v5.…`), which the browser never sends to
//! a server.
//!
//! `v5.` + base64url( deflate( postcard( Wire ) ) ). Versions 2 to 5 are version 1 with more
//! fields at the end of the walk; all use the same preset dictionary, and `v1.` to `v4.` links
//! open as they always did. The wire (see `walk`) stores the scenario
//! column by column, numbers delta-coded and strings interned, so runs of similar components
//! (64 hosts, 68 cables) compress to almost nothing. Decoding trusts nothing: lengths, the
//! inflated size, every count, index and number are checked, and a bad link is a `LinkError`
//! that says what is wrong, never a panic or a hang.

#[cfg(feature = "simulate")]
mod check;
#[cfg(feature = "simulate")]
mod link;
#[cfg(feature = "simulate")]
mod pack;
#[cfg(feature = "simulate")]
mod pass;
#[cfg(feature = "simulate")]
mod strings;
#[cfg(feature = "simulate")]
mod walk;

#[cfg(feature = "simulate")]
pub use link::*;

#[cfg(feature = "simulate")]
pub use check::{MAX_COORD, MAX_FAULTS, MAX_TEXT_CHARS, MAX_TIME_MS, check};

use std::fmt;

/// The wire version this build writes. Older versions stay readable forever (golden links).
pub const LINK_VERSION: u32 = 8;
/// Longest fragment read: far above any real design, far below what could slow a page.
pub const MAX_LINK_CHARS: usize = 100_000;
/// Longest link the page offers without a warning: some chat apps and mail clients cut longer.
pub const WARN_LINK_CHARS: usize = 2_000;
/// The inflated wire may not exceed this (a decompression bomb stops here).
pub const MAX_WIRE_BYTES: usize = 1 << 20;

/// `LinkError::NotALink`'s words alone: the page's first load says them without carrying every
/// other message.
pub struct NotALink;

impl fmt::Display for NotALink {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "this is not a ClusterLab scenario link (it should start with #v{LINK_VERSION}.)"
        )
    }
}

/// Whether a URL fragment looks like a share link (cheap: decides whether to load the decoder).
pub fn is_link(fragment: &str) -> bool {
    let f = fragment.strip_prefix('#').unwrap_or(fragment);
    f.starts_with('v') && f.contains('.')
}
