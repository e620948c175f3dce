//! How often each component fails and how long its repair takes, where the user knows better
//! than the defaults of its kind (`analysis::nines`), and the availability each service must
//! reach. The analysis turns these and the simulated cost of each failure into nines.

use super::Id;
use serde::{Deserialize, Serialize};

/// The first page load (the editor alone) never reads these numbers: it keeps them as a plain
/// JSON tree, so they survive its saves and hand-over without the typed parsing in its download.
#[cfg(not(feature = "simulate"))]
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Reliability(Option<Node>);

#[cfg(not(feature = "simulate"))]
impl Reliability {
    pub fn is_empty(&self) -> bool {
        self.0.is_none()
    }
}

/// Any JSON value, kept as read.
#[cfg(not(feature = "simulate"))]
#[derive(Clone, Debug, PartialEq, Default)]
pub enum Node {
    #[default]
    Null,
    Bool(bool),
    Num(f64),
    Str(String),
    List(Vec<Node>),
    Map(Vec<(String, Node)>),
}

#[cfg(not(feature = "simulate"))]
impl Serialize for Reliability {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(s)
    }
}

#[cfg(not(feature = "simulate"))]
impl<'de> Deserialize<'de> for Reliability {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(Reliability(Some(Node::deserialize(d)?)))
    }
}

#[cfg(not(feature = "simulate"))]
impl Serialize for Node {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::{SerializeMap, SerializeSeq};
        match self {
            Node::Null => s.serialize_unit(),
            Node::Bool(b) => s.serialize_bool(*b),
            // Integers stay integers: `3.0` would not read back as the u32 a lesson's check holds.
            Node::Num(n) if n.fract() == 0.0 && n.abs() < 9e15 => s.serialize_i64(*n as i64),
            Node::Num(n) => s.serialize_f64(*n),
            Node::Str(t) => s.serialize_str(t),
            Node::List(v) => {
                let mut seq = s.serialize_seq(Some(v.len()))?;
                for x in v {
                    seq.serialize_element(x)?;
                }
                seq.end()
            }
            Node::Map(v) => {
                let mut map = s.serialize_map(Some(v.len()))?;
                for (k, x) in v {
                    map.serialize_entry(k, x)?;
                }
                map.end()
            }
        }
    }
}

#[cfg(not(feature = "simulate"))]
impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Node;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a JSON value")
            }
            fn visit_unit<E>(self) -> Result<Node, E> {
                Ok(Node::Null)
            }
            fn visit_bool<E>(self, b: bool) -> Result<Node, E> {
                Ok(Node::Bool(b))
            }
            fn visit_u64<E>(self, n: u64) -> Result<Node, E> {
                Ok(Node::Num(n as f64))
            }
            fn visit_i64<E>(self, n: i64) -> Result<Node, E> {
                Ok(Node::Num(n as f64))
            }
            fn visit_f64<E>(self, n: f64) -> Result<Node, E> {
                Ok(Node::Num(n))
            }
            fn visit_str<E>(self, t: &str) -> Result<Node, E> {
                Ok(Node::Str(t.to_string()))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut a: A) -> Result<Node, A::Error> {
                let mut v = Vec::new();
                while let Some(x) = a.next_element()? {
                    v.push(x);
                }
                Ok(Node::List(v))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut a: A) -> Result<Node, A::Error> {
                let mut v = Vec::new();
                while let Some(e) = a.next_entry()? {
                    v.push(e);
                }
                Ok(Node::Map(v))
            }
        }
        d.deserialize_any(V)
    }
}

/// The user's numbers; empty means every default applies and no service has a target.
#[cfg(feature = "simulate")]
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
#[serde(deny_unknown_fields, default)]
pub struct Reliability {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub rates: Vec<FailureRate>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub targets: Vec<SlaTarget>,
}

#[cfg(feature = "simulate")]
impl Reliability {
    pub fn is_empty(&self) -> bool {
        self.rates.is_empty() && self.targets.is_empty()
    }

    /// The rate the user set for this failure of this component, if any.
    pub fn rate(&self, id: &str, failure: FailureKind) -> Option<&FailureRate> {
        self.rates
            .iter()
            .find(|r| r.id == id && r.failure == failure)
    }

    /// The availability `service` must reach, in percent, if the user set one.
    pub fn target(&self, service: &str) -> Option<f64> {
        self.targets
            .iter()
            .find(|t| t.service == service)
            .map(|t| t.percent)
    }
}

/// One way a component fails (or is taken down for maintenance).
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum FailureKind {
    HostCrash,
    HostIsolation,
    /// Planned: a host shut down for maintenance (patching).
    HostShutdown,
    SwitchFailure,
    LinkCut,
    StorageFailure,
    SiteFailure,
    VmCrash,
    AppFailure,
    GuestHang,
    /// A cluster's witness (disk, file share or cloud blob) unreachable.
    WitnessFailure,
}

impl FailureKind {
    pub const ALL: [FailureKind; 11] = [
        FailureKind::HostCrash,
        FailureKind::HostIsolation,
        FailureKind::HostShutdown,
        FailureKind::SwitchFailure,
        FailureKind::LinkCut,
        FailureKind::StorageFailure,
        FailureKind::SiteFailure,
        FailureKind::VmCrash,
        FailureKind::AppFailure,
        FailureKind::GuestHang,
        FailureKind::WitnessFailure,
    ];

    /// In words, for the inspector and the arithmetic: "crash", "guest OS hang".
    pub fn label(self) -> &'static str {
        match self {
            FailureKind::HostCrash => "host crash",
            FailureKind::HostIsolation => "loss of every NIC",
            FailureKind::HostShutdown => "planned shutdown",
            FailureKind::SwitchFailure => "switch failure",
            FailureKind::LinkCut => "cable cut",
            FailureKind::StorageFailure => "storage failure",
            FailureKind::SiteFailure => "site loss",
            FailureKind::VmCrash => "VM crash",
            FailureKind::AppFailure => "application failure",
            FailureKind::GuestHang => "guest OS hang",
            FailureKind::WitnessFailure => "witness failure",
        }
    }
}

/// How often one component fails one way, and how long until it is repaired.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct FailureRate {
    /// The component (a VM entry stands for each of its instances).
    pub id: Id,
    pub failure: FailureKind,
    /// Expected failures per year (1 / MTBF in years).
    pub per_year: f64,
    /// Hours from the failure until the component is whole again (MTTR).
    pub repair_hours: f64,
}

/// The availability a service must reach over a year, e.g. 99.95.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct SlaTarget {
    /// A tier, or a VM when the design has no tiers.
    pub service: String,
    pub percent: f64,
}

#[cfg(feature = "simulate")]
/// What is wrong with the user's numbers: a rate or target that is not a number in range is an
/// error (the analysis could not use it); one naming a component or service the design lacks is
/// a warning (it is ignored).
pub fn check(s: &super::Scenario) -> Vec<(Vec<Id>, String, bool)> {
    let d = &s.design;
    let mut out = Vec::new();
    fn has<'a>(mut ids: impl Iterator<Item = &'a Id>, x: &str) -> bool {
        ids.any(|i| i == x)
    }
    for (i, r) in s.reliability.rates.iter().enumerate() {
        use FailureKind as K;
        let known = match r.failure {
            K::HostCrash | K::HostIsolation | K::HostShutdown => {
                has(d.hosts.iter().map(|x| &x.id), &r.id)
            }
            K::SwitchFailure => has(d.switches.iter().map(|x| &x.id), &r.id),
            K::LinkCut => has(d.links.iter().map(|x| &x.id), &r.id),
            K::StorageFailure => has(d.storage.iter().map(|x| &x.id), &r.id),
            K::SiteFailure => has(d.sites.iter().map(|x| &x.id), &r.id),
            K::VmCrash | K::AppFailure | K::GuestHang => has(d.vms.iter().map(|x| &x.id), &r.id),
            K::WitnessFailure => has(
                d.clusters
                    .iter()
                    .map(|x| &x.id)
                    .chain(d.guest_clusters.iter().map(|x| &x.id)),
                &r.id,
            ),
        };
        let what = format!("the {} rate of {}", r.failure.label(), r.id);
        if !known {
            out.push((
                vec![],
                format!("{what} is ignored: the design has no such component of that kind"),
                false,
            ));
        }
        if !(r.per_year.is_finite() && (0.0..=100_000.0).contains(&r.per_year)) {
            out.push((
                vec![r.id.clone()],
                format!("{what} must be between 0 and 100000 failures a year"),
                true,
            ));
        }
        if !(r.repair_hours.is_finite() && (0.0..=100_000.0).contains(&r.repair_hours)) {
            out.push((
                vec![r.id.clone()],
                format!("{what} needs a repair time between 0 and 100000 hours"),
                true,
            ));
        }
        if s.reliability.rates[..i]
            .iter()
            .any(|x| x.id == r.id && x.failure == r.failure)
        {
            out.push((vec![r.id.clone()], format!("{what} is given twice"), true));
        }
    }
    for (i, t) in s.reliability.targets.iter().enumerate() {
        let services: Vec<&str> = if d.tiers.is_empty() {
            d.vms.iter().map(|v| v.id.as_str()).collect()
        } else {
            d.tiers.iter().map(|t| t.name.as_str()).collect()
        };
        if !services.contains(&t.service.as_str()) {
            out.push((
                vec![],
                format!(
                    "the availability target of {} is ignored: the design has no such service",
                    t.service
                ),
                false,
            ));
        }
        if !(t.percent.is_finite() && t.percent > 0.0 && t.percent <= 100.0) {
            out.push((
                vec![],
                format!(
                    "the availability target of {} must be a percentage above 0 and at most 100",
                    t.service
                ),
                true,
            ));
        }
        if s.reliability.targets[..i]
            .iter()
            .any(|x| x.service == t.service)
        {
            out.push((
                vec![],
                format!("the availability target of {} is given twice", t.service),
                true,
            ));
        }
    }
    out
}

#[cfg(all(test, not(feature = "simulate")))]
mod tests {
    /// What the first load keeps as read it writes back the same: integers as integers.
    #[test]
    fn a_kept_value_is_written_back_as_read() {
        let json = r#"{"checks":[{"check":"at_most_hosts","hosts":3},{"percent":99.95}],"n":-2}"#;
        let node: super::Node = serde_json::from_str(json).unwrap();
        assert_eq!(serde_json::to_string(&node).unwrap(), json);
    }
}
