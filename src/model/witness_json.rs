//! The JSON shape of a witness: `{"kind": "disk", "storage": "lun"}`. Read through one flat
//! struct rather than serde's internally tagged enum, which buffers its input and costs the
//! page's first load several KB.

use super::{Id, Witness};
use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawWitness {
    kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    storage: Option<Id>,
}

impl TryFrom<RawWitness> for Witness {
    type Error = String;

    fn try_from(r: RawWitness) -> Result<Witness, String> {
        let storage = |r: RawWitness| {
            r.storage
                .ok_or_else(|| format!("a {} witness needs \"storage\"", r.kind))
        };
        let plain = |r: &RawWitness, w: Witness| match r.storage {
            Some(_) => Err(format!("a {} witness does not take \"storage\"", r.kind)),
            None => Ok(w),
        };
        match r.kind.as_str() {
            "none" => plain(&r, Witness::None),
            "cloud" => plain(&r, Witness::Cloud),
            "disk" => Ok(Witness::Disk {
                storage: storage(r)?,
            }),
            "file_share" => Ok(Witness::FileShare {
                storage: storage(r)?,
            }),
            other => Err(format!(
                "unknown witness kind \"{other}\" (one of none, disk, file_share, cloud)"
            )),
        }
    }
}

impl From<Witness> for RawWitness {
    fn from(w: Witness) -> RawWitness {
        let (kind, storage) = match w {
            Witness::None => ("none", None),
            Witness::Disk { storage } => ("disk", Some(storage)),
            Witness::FileShare { storage } => ("file_share", Some(storage)),
            Witness::Cloud => ("cloud", None),
        };
        RawWitness {
            kind: kind.to_string(),
            storage,
        }
    }
}
