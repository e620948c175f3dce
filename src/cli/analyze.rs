//! `clusterlab analyze FILE [--pairs] [--format text|json|csv] [--against OTHER]`: every single
//! failure, the availability it adds up to, and (with `--against`) how another design fares
//! under the same failures. JSON and CSV are for scripts (an instructor checking variants).

use super::{load, quote, write_all};
use crate::analysis::{self, Outcome, compare, nines};
use crate::model::Scenario;
use crate::sim::fmt_ms;
use clap::ValueEnum;
use serde::Serialize;
use std::io::Write;
use std::process::ExitCode;

#[derive(Clone, Copy, ValueEnum)]
pub enum Format {
    Text,
    Json,
    Csv,
}

/// One design's analysis: its scenario, outcomes (worst first) and years.
struct Report {
    scenario: Scenario,
    outcomes: Vec<Outcome>,
    years: Vec<nines::ServiceYear>,
}

fn report(path: &str, pairs: bool) -> Result<Report, String> {
    let scenario = load(path)?;
    crate::share::check(&scenario).map_err(|e| format!("{path}: {e}"))?;
    let outcomes = analysis::analyze(&scenario, pairs).map_err(|e| format!("{path}: {e}"))?;
    let years = nines::years(&scenario, &outcomes);
    Ok(Report {
        scenario,
        outcomes,
        years,
    })
}

pub fn analyze(
    path: &str,
    against: Option<&str>,
    pairs: bool,
    format: Format,
    out: &mut impl Write,
) -> Result<ExitCode, String> {
    let a = report(path, pairs)?;
    let text = match against {
        None => match format {
            Format::Json => serde_json::to_string_pretty(&doc(&a)).expect("json") + "\n",
            Format::Csv => csv(&a),
            Format::Text => text(&a),
        },
        Some(other) => {
            let b = report(other, pairs)?;
            let diffs = compare::differences(&a.outcomes, &b.outcomes);
            match format {
                Format::Json => {
                    let both = Against {
                        a: doc(&a),
                        b: doc(&b),
                        verdict: compare::verdict(&diffs),
                        differences: &diffs,
                        only_in_a: compare::only_in(&a.outcomes, &b.outcomes),
                        only_in_b: compare::only_in(&b.outcomes, &a.outcomes),
                    };
                    serde_json::to_string_pretty(&both).expect("json") + "\n"
                }
                Format::Csv => {
                    let mut t = String::from(
                        "failure,service,better,a_survived,a_outage_ms,b_survived,b_outage_ms,difference\n",
                    );
                    for d in &diffs {
                        t += &format!(
                            "{},{},{},{},{},{},{},{}\n",
                            quote(&d.case),
                            quote(&d.service),
                            d.better,
                            d.a_survived,
                            d.a_outage_ms,
                            d.b_survived,
                            d.b_outage_ms,
                            quote(&d.sentence)
                        );
                    }
                    t
                }
                Format::Text => {
                    let mut t = format!(
                        "A: {}\n{}\nB: {}\n{}\n{}\n",
                        a.scenario.name,
                        indent(&summary(&a)),
                        b.scenario.name,
                        indent(&summary(&b)),
                        compare::verdict(&diffs)
                    );
                    for d in &diffs {
                        t += &format!("  {}\n", d.sentence);
                    }
                    for (who, only) in [
                        ("A", compare::only_in(&a.outcomes, &b.outcomes)),
                        ("B", compare::only_in(&b.outcomes, &a.outcomes)),
                    ] {
                        if !only.is_empty() {
                            t += &format!("only {who} has: {}\n", only.join("; "));
                        }
                    }
                    t
                }
            }
        }
    };
    write_all(out, &text)?;
    Ok(ExitCode::SUCCESS)
}

fn indent(s: &str) -> String {
    s.lines()
        .map(|l| format!("  {l}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The summary line and each service's year.
fn summary(r: &Report) -> String {
    let mut t = analysis::summary(&r.outcomes);
    for y in &r.years {
        t += &format!("\n{}", nines::sentence(y));
    }
    t
}

fn text(r: &Report) -> String {
    let mut t = format!(
        "{}: {}\n{} failures, each from steady state at {} until quiet; worst first\n",
        r.scenario.name,
        analysis::summary(&r.outcomes),
        r.outcomes.len(),
        fmt_ms(analysis::FAULT_AT_MS)
    );
    for o in &r.outcomes {
        t += &format!("  {:<44} {}\n", o.case.label, analysis::why(o));
    }
    t += "Availability over a year (failures a year × what each costs; see docs/simulation-model.md):\n";
    for y in &r.years {
        t += &format!("  {}\n", nines::sentence(y));
        for c in y.contributions.iter().take(5) {
            t += &format!(
                "    {:<44} {:>8.3}/yr × {:>9} = {}{}\n",
                c.case,
                c.per_year,
                fmt_ms(c.downtime_ms.round() as u64),
                nines::duration(c.ms_per_year),
                if c.waits_for_repair {
                    " (until repaired)"
                } else {
                    ""
                }
            );
        }
    }
    t
}

/// The JSON of one design's analysis, written as it is serialized (no tree of values: the
/// largest design has 24 266 outcomes).
#[derive(Serialize)]
struct Doc<'a> {
    scenario: &'a str,
    summary: String,
    fault_at_ms: u64,
    outcomes: Vec<Row<'a>>,
    availability: &'a [nines::ServiceYear],
}

#[derive(Serialize)]
struct Row<'a> {
    #[serde(flatten)]
    outcome: &'a Outcome,
    why: String,
}

#[derive(Serialize)]
struct Against<'a> {
    a: Doc<'a>,
    b: Doc<'a>,
    verdict: String,
    differences: &'a [compare::Difference],
    only_in_a: Vec<&'a str>,
    only_in_b: Vec<&'a str>,
}

fn doc(r: &Report) -> Doc<'_> {
    Doc {
        scenario: &r.scenario.name,
        summary: analysis::summary(&r.outcomes),
        fault_at_ms: analysis::FAULT_AT_MS,
        outcomes: r
            .outcomes
            .iter()
            .map(|o| Row {
                outcome: o,
                why: analysis::why(o),
            })
            .collect(),
        availability: &r.years,
    }
}

fn csv(r: &Report) -> String {
    let mut t = String::from(
        "failure,service,survived,time_to_recover_ms,outage_ms,requests_lost,data_lost_ms,quorum_lost,per_year,downtime_per_year_ms,why\n",
    );
    // Each service's contributions by failure (a list as long as the outcomes).
    let by_case: Vec<std::collections::HashMap<&str, &nines::Contribution>> = r
        .years
        .iter()
        .map(|y| {
            y.contributions
                .iter()
                .map(|c| (c.case.as_str(), c))
                .collect()
        })
        .collect();
    for o in &r.outcomes {
        let why = quote(&analysis::why(o));
        for (i, s) in o.services.iter().enumerate() {
            let c = by_case
                .get(i)
                .and_then(|m| m.get(o.case.label.as_str()).copied());
            t += &format!(
                "{},{},{},{},{},{},{},{},{},{},{}\n",
                quote(&o.case.label),
                quote(&s.service),
                s.survived,
                s.time_to_recover_ms
                    .map_or(String::new(), |t| t.to_string()),
                s.outage_ms,
                s.requests_lost,
                s.data_lost_ms,
                o.quorum_lost,
                c.map_or(String::new(), |c| format!("{}", c.per_year)),
                c.map_or(0, |c| c.ms_per_year.round() as u64),
                why
            );
        }
    }
    t
}
