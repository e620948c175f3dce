//! Two designs' analyses side by side: for each failure both designs allow, which one does
//! better for which service, in one sentence. Cases are matched by their label (the same
//! component ids give the same labels), services by name.

use super::{Outcome, ServiceResult};
use crate::sim::fmt_ms;
use serde::Serialize;

/// How one service fares under one failure in design A and in design B.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Difference {
    /// The failure, e.g. "host-2 crashes".
    pub case: String,
    pub service: String,
    /// `A`, `B`, or `same` when neither does better.
    pub better: &'static str,
    pub a_survived: bool,
    pub a_outage_ms: u64,
    pub b_survived: bool,
    pub b_outage_ms: u64,
    /// "B survives host-2 crashes where A loses db for 4 min".
    pub sentence: String,
}

/// Every failure and service both analyses have, where A and B differ; failures only one
/// design allows are listed by `only_in`.
pub fn differences(a: &[Outcome], b: &[Outcome]) -> Vec<Difference> {
    let mut out = Vec::new();
    for oa in a {
        let Some(ob) = b.iter().find(|o| o.case.label == oa.case.label) else {
            continue;
        };
        for sa in &oa.services {
            let Some(sb) = ob.services.iter().find(|s| s.service == sa.service) else {
                continue;
            };
            if let Some(d) = difference(&oa.case.label, sa, sb) {
                out.push(d);
            }
        }
    }
    out
}

/// The failures only `a` allows (components `b` does not have).
pub fn only_in<'a>(a: &'a [Outcome], b: &[Outcome]) -> Vec<&'a str> {
    a.iter()
        .filter(|o| !b.iter().any(|x| x.case.label == o.case.label))
        .map(|o| o.case.label.as_str())
        .collect()
}

/// What a service lost, in words: "loses db for good" or "loses db for 4 min 12 s".
fn loss(s: &ServiceResult) -> String {
    if !s.survived {
        format!("loses {} for good", s.service)
    } else {
        format!("loses {} for {}", s.service, fmt_ms(s.outage_ms))
    }
}

fn difference(case: &str, a: &ServiceResult, b: &ServiceResult) -> Option<Difference> {
    // Damage orders like the table: lost for good is worse than any outage.
    let damage = |s: &ServiceResult| (!s.survived, s.outage_ms);
    let (da, db) = (damage(a), damage(b));
    if da == db {
        return None;
    }
    let (better, worse, good, bad) = if da < db {
        ("A", "B", a, b)
    } else {
        ("B", "A", b, a)
    };
    let sentence = if !good.survived {
        // Both lose it for good: one held out longer before it went.
        format!(
            "when {case}, both lose {} for good; {better} holds out {} longer",
            a.service,
            fmt_ms(bad.outage_ms - good.outage_ms)
        )
    } else if good.outage_ms == 0 {
        format!("{better} survives {case} where {worse} {}", loss(bad))
    } else {
        format!(
            "when {case}, {better} {} where {worse} {}",
            loss(good),
            loss(bad)
        )
    };
    Some(Difference {
        case: case.to_string(),
        service: a.service.clone(),
        better,
        a_survived: a.survived,
        a_outage_ms: a.outage_ms,
        b_survived: b.survived,
        b_outage_ms: b.outage_ms,
        sentence,
    })
}

/// "A does better under 3 failure-service pairs, B under 5", or that they fare the same.
pub fn verdict(diffs: &[Difference]) -> String {
    let count = |who: &str| diffs.iter().filter(|d| d.better == who).count();
    let (a, b) = (count("A"), count("B"));
    match (a, b) {
        (0, 0) => "A and B fare the same under every failure both allow".into(),
        (_, 0) => format!("A does better under {a} failure-service pairs and never worse"),
        (0, _) => format!("B does better under {b} failure-service pairs and never worse"),
        _ => format!("A does better under {a} failure-service pairs, B under {b}"),
    }
}
