//! The JSON shape of a script entry: a fault `{"at_ms": 30000, "fault": "host_crash", "host":
//! "h1"}` or an operation `{"at_ms": 60000, "op": "drain", "host": "h2"}`. Both are read
//! through one flat struct: clearer errors than serde's flattened tagged enums, and one copy of
//! the reading code in the browser download for both lists.

use super::{Fault, Id, ScheduledFault};
use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(super) struct RawEntry {
    pub(super) at_ms: u64,
    #[serde(default, skip_serializing_if = "is_false")]
    pub(super) repair: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) fault: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) op: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) host: Option<Id>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) vm: Option<Id>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) to: Option<Id>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) cluster: Option<Id>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) switch: Option<Id>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) link: Option<Id>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) storage: Option<Id>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) site: Option<Id>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) a: Option<Vec<Id>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) b: Option<Vec<Id>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) failback: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) domain: Option<Vec<Id>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) plan: Option<Id>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) point_ms: Option<u64>,
}

/// Reads a script list (faults or operations) through one list of `RawEntry`: both lists share
/// the reading code, and an entry that is wrong says which one it is.
pub(super) fn entries<'de, D, T>(d: D) -> Result<Vec<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: TryFrom<RawEntry, Error = String>,
{
    raw_entries(d)?
        .into_iter()
        .enumerate()
        .map(|(i, r)| {
            T::try_from(r).map_err(|e| serde::de::Error::custom(format!("entry {}: {e}", i + 1)))
        })
        .collect()
}

/// Not inlined: the two lists share one copy of the reading code.
#[inline(never)]
fn raw_entries<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<RawEntry>, D::Error> {
    Vec::<RawEntry>::deserialize(d)
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// Each fault kind and the target fields it takes.
const FAULTS: [(&str, &str); 14] = [
    ("host_crash", "host"),
    ("host_isolation", "host"),
    ("vm_crash", "vm"),
    ("app_failure", "vm"),
    ("guest_hang", "vm"),
    ("switch_failure", "switch"),
    ("link_cut", "link"),
    ("storage_failure", "storage"),
    ("site_failure", "site"),
    ("partition", "a b"),
    ("witness_failure", "cluster"),
    ("vm_deletion", "vm"),
    ("guest_corruption", "vm"),
    ("ransomware", "domain"),
];

impl RawEntry {
    /// Refuses any field beyond `takes` (space-separated names) for `what` (`fault host_crash`).
    pub(super) fn only(&self, what: &str, takes: &str) -> Result<(), String> {
        let given = [
            (
                "fault",
                self.fault.is_some() && what.starts_with("operation"),
            ),
            ("op", self.op.is_some() && what.starts_with("fault")),
            ("repair", self.repair && what.starts_with("operation")),
            ("host", self.host.is_some()),
            ("vm", self.vm.is_some()),
            ("to", self.to.is_some()),
            ("cluster", self.cluster.is_some()),
            ("failback", self.failback.is_some()),
            ("switch", self.switch.is_some()),
            ("link", self.link.is_some()),
            ("storage", self.storage.is_some()),
            ("site", self.site.is_some()),
            ("a", self.a.is_some()),
            ("b", self.b.is_some()),
            ("domain", self.domain.is_some()),
            ("plan", self.plan.is_some()),
            ("point_ms", self.point_ms.is_some()),
        ];
        match given
            .iter()
            .find(|(f, g)| *g && !takes.split(' ').any(|t| t == *f))
        {
            Some((f, _)) => Err(format!("{what} does not take \"{f}\"")),
            None => Ok(()),
        }
    }
}

/// A required target field.
pub(super) fn need(v: Option<Id>, what: &str, field: &str) -> Result<Id, String> {
    v.ok_or_else(|| format!("{what} needs \"{field}\""))
}

impl TryFrom<RawEntry> for ScheduledFault {
    type Error = String;

    fn try_from(r: RawEntry) -> Result<ScheduledFault, String> {
        let kind = r
            .fault
            .clone()
            .ok_or("a fault entry needs \"fault\" (its kind)")?;
        let Some(k) = FAULTS.iter().position(|(x, _)| *x == kind) else {
            let all: Vec<&str> = FAULTS.iter().map(|(x, _)| *x).collect();
            return Err(format!(
                "unknown fault \"{kind}\" (one of {})",
                all.join(", ")
            ));
        };
        let what = format!("fault {kind}");
        r.only(&what, FAULTS[k].1)?;
        let one = |v| need(v, &what, FAULTS[k].1);
        let fault = match k {
            0 => Fault::HostCrash { host: one(r.host)? },
            1 => Fault::HostIsolation { host: one(r.host)? },
            2 => Fault::VmCrash { vm: one(r.vm)? },
            3 => Fault::AppFailure { vm: one(r.vm)? },
            4 => Fault::GuestHang { vm: one(r.vm)? },
            5 => Fault::SwitchFailure {
                switch: one(r.switch)?,
            },
            6 => Fault::LinkCut { link: one(r.link)? },
            7 => Fault::StorageFailure {
                storage: one(r.storage)?,
            },
            8 => Fault::SiteFailure { site: one(r.site)? },
            10 => Fault::WitnessFailure {
                cluster: one(r.cluster)?,
            },
            11 => Fault::VmDeletion { vm: one(r.vm)? },
            12 => Fault::GuestCorruption { vm: one(r.vm)? },
            13 => Fault::Ransomware {
                domain: r
                    .domain
                    .ok_or("fault ransomware needs \"domain\" (the hosts or sites it takes)")?,
            },
            _ => Fault::Partition {
                a: r.a.ok_or("fault partition needs \"a\" (one side)")?,
                b: r.b.ok_or("fault partition needs \"b\" (the other side)")?,
            },
        };
        Ok(ScheduledFault {
            at_ms: r.at_ms,
            repair: r.repair,
            fault,
        })
    }
}

impl From<ScheduledFault> for RawEntry {
    fn from(f: ScheduledFault) -> RawEntry {
        let mut r = RawEntry {
            at_ms: f.at_ms,
            repair: f.repair,
            ..RawEntry::default()
        };
        let kind = match f.fault {
            Fault::HostCrash { host } => (r.host = Some(host), "host_crash").1,
            Fault::HostIsolation { host } => (r.host = Some(host), "host_isolation").1,
            Fault::VmCrash { vm } => (r.vm = Some(vm), "vm_crash").1,
            Fault::AppFailure { vm } => (r.vm = Some(vm), "app_failure").1,
            Fault::GuestHang { vm } => (r.vm = Some(vm), "guest_hang").1,
            Fault::SwitchFailure { switch } => (r.switch = Some(switch), "switch_failure").1,
            Fault::LinkCut { link } => (r.link = Some(link), "link_cut").1,
            Fault::StorageFailure { storage } => (r.storage = Some(storage), "storage_failure").1,
            Fault::SiteFailure { site } => (r.site = Some(site), "site_failure").1,
            Fault::WitnessFailure { cluster } => (r.cluster = Some(cluster), "witness_failure").1,
            Fault::VmDeletion { vm } => (r.vm = Some(vm), "vm_deletion").1,
            Fault::GuestCorruption { vm } => (r.vm = Some(vm), "guest_corruption").1,
            Fault::Ransomware { domain } => (r.domain = Some(domain), "ransomware").1,
            Fault::Partition { a, b } => {
                r.a = Some(a);
                r.b = Some(b);
                "partition"
            }
        };
        r.fault = Some(kind.to_string());
        r
    }
}
