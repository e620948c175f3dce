//! A lesson an instructor puts in a scenario: what to achieve (title, goal, steps with hints),
//! how it is checked (`crate::lesson` evaluates the checks), and what the student may not change
//! (the lock). It travels in the scenario file and the link like the rest.

#[cfg(feature = "simulate")]
use super::Id;
#[cfg(feature = "simulate")]
use serde::{Deserialize, Serialize};

/// The first page load (the editor alone) never reads a lesson: it keeps it as read (see
/// `reliability::Node`), so it survives the first load's saves and hand-over.
#[cfg(not(feature = "simulate"))]
pub type Lesson = super::reliability::Node;

#[cfg(feature = "simulate")]
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
#[serde(deny_unknown_fields)]
pub struct Lesson {
    pub title: String,
    /// What the student is to achieve, in a few sentences.
    #[serde(default)]
    pub goal: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub steps: Vec<Step>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub checks: Vec<Check>,
    #[serde(default, skip_serializing_if = "Lock::is_open")]
    pub lock: Lock,
}

/// One step of the lesson, with a hint the student may ask for.
#[cfg(feature = "simulate")]
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
#[serde(deny_unknown_fields)]
pub struct Step {
    pub text: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub hint: String,
}

/// Which single failures an analysis check covers.
#[cfg(feature = "simulate")]
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Default)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    /// Each host's crash.
    #[default]
    HostCrashes,
    /// Each VM's crash, its application failing and its guest OS hanging.
    VmFailures,
    /// Every single failure the analysis runs.
    Every,
}

/// A check, of one of four kinds: the design as drawn, the run of the scenario's script, the
/// every-single-failure analysis, and what the student did in the run.
#[cfg(feature = "simulate")]
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(tag = "check", rename_all = "snake_case", deny_unknown_fields)]
pub enum Check {
    // The design.
    /// No VM of the tier keeps its disks on a host's local storage.
    NoLocalStorage { tier: String },
    /// The tier's VMs start on at least this many hosts.
    SpansHosts { tier: String, hosts: u32 },
    /// The tier's VMs share a VLAN with the `from` tier's and with no other VM.
    OnlyReachableFrom { tier: String, from: String },
    /// The cluster has a witness (disk, file share or cloud).
    HasWitness { cluster: Id },
    /// The design has at most this many hosts.
    AtMostHosts { hosts: u32 },
    // The run of the script.
    /// The service's clients were served at least this share of their requests.
    Served { service: String, percent: f64 },
    /// Each time the VM (`web#2`, or `web` for its first instance) went down it was running
    /// again within this long, and it runs at the end.
    RunningWithin { vm: String, within_ms: u64 },
    /// The cluster never lost quorum.
    QuorumKept { cluster: Id },
    /// At no moment of the run was the VM's latest good copy (replica point or backup)
    /// older than this: what a disaster would lose at worst (its RPO).
    RpoWithin { vm: String, within_ms: u64 },
    // The analysis.
    /// The service (every service when none is named) survives each failure of the scope.
    Survives {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        service: Option<String>,
        #[serde(default)]
        scope: Scope,
    },
    /// Under each failure of the scope the service is whole again within this long.
    RecoversWithin {
        service: String,
        within_ms: u64,
        #[serde(default)]
        scope: Scope,
    },
    /// The service's availability over a year is at least this (percent).
    Availability { service: String, percent: f64 },
    // What the student did.
    /// The script has a fault of this kind (`host_crash`, as in the file) and the run then
    /// logged an event of kind `then` (`vm_failed_over`), if one is named.
    Did {
        fault: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        then: Option<String>,
    },
}

/// What a student may not change, and which faults and operations they may use.
#[cfg(feature = "simulate")]
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
#[serde(deny_unknown_fields, default)]
pub struct Lock {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub parts: Vec<Locked>,
    /// The fault kinds a student may inject (as in the file: `host_crash`); none listed: any.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub faults: Vec<String>,
    /// The operation kinds a student may carry out (`live_migrate`); none listed: any.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub operations: Vec<String>,
    /// The script as handed out stays: a student may add to it, not remove or change its
    /// entries (a lesson whose run checks test a given sequence of failures).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub script: bool,
}

/// A component (by id) the student may not change: all of it, or only the named properties
/// (as in the file: `storage`, `hosts`).
#[cfg(feature = "simulate")]
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
#[serde(deny_unknown_fields)]
pub struct Locked {
    pub id: Id,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub properties: Vec<String>,
    /// Shown beside the lock: why this part is not the exercise.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub reason: String,
}

#[cfg(feature = "simulate")]
impl Locked {
    /// "Locked by the lesson: the storage is given" (or its properties when only some are).
    pub fn words(&self) -> String {
        let what = if self.properties.is_empty() {
            "Locked by the lesson".to_string()
        } else {
            let verb = if self.properties.len() == 1 {
                "is"
            } else {
                "are"
            };
            format!(
                "Its {} {verb} locked by the lesson",
                self.properties.join(", ")
            )
        };
        if self.reason.is_empty() {
            what
        } else {
            format!("{what}: {}", self.reason)
        }
    }
}

#[cfg(feature = "simulate")]
impl Lock {
    pub fn is_open(&self) -> bool {
        self.parts.is_empty()
            && self.faults.is_empty()
            && self.operations.is_empty()
            && !self.script
    }

    /// Whether a student may add this fault (or repair) to the script.
    pub fn allows_fault(&self, f: &super::ScheduledFault) -> bool {
        self.faults.is_empty() || self.faults.contains(&f.kind())
    }

    /// Whether a student may add this operation to the script.
    pub fn allows_operation(&self, o: &super::ScheduledOp) -> bool {
        self.operations.is_empty() || self.operations.contains(&o.kind())
    }

    /// Why this property (as the file names it; a dotted key's first part) of the component
    /// is locked, in words for the page: `None` when it is not.
    pub fn why_locked(&self, id: &str, property: &str) -> Option<String> {
        let top = property.split('.').next().unwrap_or_default();
        let part = self.parts.iter().find(|p| {
            p.id == id && (p.properties.is_empty() || p.properties.iter().any(|x| x == top))
        })?;
        Some(part.words())
    }

    /// When the script is locked, the first entry of the given script (`faults`, `ops`) that
    /// `now` no longer has, in words.
    pub fn script_kept(
        &self,
        faults: &[super::ScheduledFault],
        ops: &[super::ScheduledOp],
        now: &super::Scenario,
    ) -> Option<String> {
        if !self.script {
            return None;
        }
        let gone = |kind: String, at_ms: u64| {
            format!(
                "the lesson's script is given: its {kind} at {} s cannot be removed or changed",
                at_ms as f64 / 1000.0
            )
        };
        if let Some(f) = faults.iter().find(|f| !now.faults.contains(f)) {
            return Some(gone(f.kind(), f.at_ms));
        }
        ops.iter()
            .find(|o| !now.operations.contains(o))
            .map(|o| gone(o.kind(), o.at_ms))
    }

    /// What going from `before` to `after` does that this lock forbids, one sentence each with
    /// the instructor's reason: a locked part changed or removed (moving it on the canvas is
    /// not a change), or a fault or operation added that the lesson does not allow. The editor
    /// refuses such an edit in student mode; the grader flags a submission with any.
    pub fn breaches(&self, before: &super::Scenario, after: &super::Scenario) -> Vec<String> {
        use serde_json::Value;
        let json = |d: &super::Design| serde_json::to_value(d).unwrap_or(Value::Null);
        let (was, now) = (json(&before.design), json(&after.design));
        let because = |reason: &str| {
            if reason.is_empty() {
                String::new()
            } else {
                format!(" ({reason})")
            }
        };
        let mut out = Vec::new();
        for part in &self.parts {
            let Some(a) = component(&was, &part.id) else {
                continue;
            };
            let why = because(&part.reason);
            let Some(b) = component(&now, &part.id) else {
                out.push(format!("{} is locked{why}: it cannot be removed", part.id));
                continue;
            };
            if part.properties.is_empty() {
                if a != b {
                    out.push(format!("{} is locked{why}", part.id));
                }
            } else {
                for p in &part.properties {
                    if a.get(p) != b.get(p) {
                        out.push(format!("{}'s {p} is locked{why}", part.id));
                    }
                }
            }
        }
        for f in after.faults.iter().filter(|f| !before.faults.contains(f)) {
            if !self.allows_fault(f) {
                out.push(format!("the lesson does not allow {}", f.kind()));
            }
        }
        for o in after
            .operations
            .iter()
            .filter(|o| !before.operations.contains(o))
        {
            if !self.allows_operation(o) {
                out.push(format!("the lesson does not allow {}", o.kind()));
            }
        }
        out.dedup();
        out
    }
}

#[cfg(feature = "simulate")]
impl super::ScheduledFault {
    /// Its kind as the file writes it (`host_crash`): what a lesson allows and checks.
    pub fn kind(&self) -> String {
        tag(self, "fault")
    }
}

#[cfg(feature = "simulate")]
impl super::ScheduledOp {
    /// Its kind as the file writes it (`drain`).
    pub fn kind(&self) -> String {
        tag(self, "op")
    }
}

/// A script entry's kind: the named field of its JSON.
#[cfg(feature = "simulate")]
fn tag(entry: &impl Serialize, field: &str) -> String {
    serde_json::to_value(entry)
        .ok()
        .and_then(|v| v.get(field)?.as_str().map(str::to_string))
        .unwrap_or_default()
}

/// The component with this id in any list of the design's JSON, without its canvas position.
#[cfg(feature = "simulate")]
fn component(design: &serde_json::Value, id: &str) -> Option<serde_json::Value> {
    let found = design.as_object()?.values().find_map(|list| {
        list.as_array()?
            .iter()
            .find(|x| x.get("id").and_then(serde_json::Value::as_str) == Some(id))
    })?;
    let mut c = found.clone();
    if let Some(o) = c.as_object_mut() {
        o.remove("at");
    }
    Some(c)
}
