//! Reading the model's word-valued enums (`"high"`, `"2016+"`) from JSON: one small match per
//! type over a string, instead of serde's derived visitor per type (about 1 KB each in the
//! page's first load). Errors read as serde's own: "unknown variant `x`, expected one of ...".

use super::*;
use serde::Deserialize;

macro_rules! words {
    ($t:ty { $($name:literal => $v:ident),+ $(,)? }) => {
        impl<'de> Deserialize<'de> for $t {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let word = String::deserialize(d)?;
                match word.as_str() {
                    $($name => Ok(<$t>::$v),)+
                    other => Err(serde::de::Error::unknown_variant(other, &[$($name),+])),
                }
            }
        }
    };
}

words!(Version { "2008r2" => W2008R2, "2012r2" => W2012R2, "2016+" => W2016 });
words!(ResiliencyLevel {
    "isolate_on_special_heartbeat" => IsolateOnSpecialHeartbeat,
    "always_isolate" => AlwaysIsolate,
});
words!(SwitchKind { "external" => External, "internal" => Internal, "private" => Private });
words!(StorageKind { "local" => Local, "san" => San, "smb" => Smb, "csv" => Csv });
words!(Priority {
    "high" => High,
    "medium" => Medium,
    "low" => Low,
    "no_auto_start" => NoAutoStart,
});
words!(Monitoring { "none" => None, "heartbeat" => Heartbeat, "service" => Service });
words!(SetTrigger { "delay" => Delay, "online" => Online });
words!(Affinity { "none" => None, "single" => Single, "network" => Network });
words!(NlbMode {
    "unicast" => Unicast,
    "multicast" => Multicast,
    "igmp_multicast" => IgmpMulticast,
});
