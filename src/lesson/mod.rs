//! Lessons: each check of a lesson evaluated against a scenario (`evaluate`), and a student's
//! submission graded against the instructor's lesson (`grade`). Nothing a submission says is
//! taken on trust: its design is checked as drawn, its script is run again, and its analysis is
//! run again. No web types: the page and the CLI grader read the same verdicts.

mod checks;
mod lock;

pub use checks::words;
pub use lock::tampering;

use crate::analysis::{self, Outcome};
use crate::model::Scenario;
use crate::model::lesson::{Check, Lesson};
use crate::sim::Engine;
use serde::Serialize;

/// What one check says of a scenario.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Verdict {
    /// The check in words: "db spans at least 2 hosts".
    pub check: String,
    pub pass: bool,
    /// Why, in one sentence (what passed, or what is missing).
    pub why: String,
}

/// A submission graded against the instructor's lesson.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Grade {
    /// Checks passed, in percent (0 when the submission is flagged).
    pub score: f64,
    pub verdicts: Vec<Verdict>,
    /// Why the submission cannot be graded as passing (its lesson or locked parts differ from
    /// the instructor's, or it used faults the lesson does not allow); empty when none.
    pub flags: Vec<String>,
}

/// What the checks read, each made once and only if a check needs it.
pub(crate) struct Evidence<'a> {
    pub scenario: &'a Scenario,
    run: Option<Engine>,
    analysis: Option<Result<Vec<Outcome>, String>>,
    starts: Option<Vec<checks::Start>>,
}

impl<'a> Evidence<'a> {
    fn new(scenario: &'a Scenario) -> Evidence<'a> {
        Evidence {
            scenario,
            run: None,
            analysis: None,
            starts: None,
        }
    }

    /// The scenario's script run until the design is quiet after its last entry (as an
    /// analysis case runs).
    pub fn run(&mut self) -> Result<&Engine, String> {
        if self.run.is_none() {
            self.run = Some(run_script(self.scenario)?);
        }
        Ok(self.run.as_ref().expect("made above"))
    }

    /// Where each VM instance starts (the design at t = 0).
    pub fn starts(&mut self) -> Result<&[checks::Start], String> {
        if self.starts.is_none() {
            self.starts = Some(checks::starting_hosts(self.scenario)?);
        }
        Ok(self.starts.as_deref().expect("made above"))
    }

    pub fn analysis(&mut self) -> Result<&[Outcome], String> {
        let s = self.scenario;
        self.analysis
            .get_or_insert_with(|| analysis::analyze(s, false))
            .as_deref()
            .map_err(Clone::clone)
    }
}

/// The scenario's script run from the start until nothing has happened for
/// `analysis::QUIET_MS` after its last entry, or `analysis::CAP_MS` after it.
pub fn run_script(s: &Scenario) -> Result<Engine, String> {
    let mut e = analysis::engine_for(s)?;
    let last = s
        .faults
        .iter()
        .map(|f| f.at_ms)
        .chain(s.operations.iter().map(|o| o.at_ms))
        .max()
        .unwrap_or(0);
    analysis::run_until_quiet(&mut e, last);
    Ok(e)
}

/// Every check of `lesson`, in order, against `s`.
pub fn evaluate(s: &Scenario, lesson: &Lesson) -> Vec<Verdict> {
    evaluate_where(s, lesson, |_| true)
        .into_iter()
        .flatten()
        .collect()
}

/// The checks that need no analysis (the design, a run of the script, what the student did),
/// quick enough to follow each edit; `None` for the others.
pub fn evaluate_live(s: &Scenario, lesson: &Lesson) -> Vec<Option<Verdict>> {
    evaluate_where(s, lesson, |c| !needs_analysis(c))
}

/// Whether a check reads the every-single-failure analysis (seconds on a large design).
pub fn needs_analysis(c: &Check) -> bool {
    matches!(
        c,
        Check::Survives { .. } | Check::RecoversWithin { .. } | Check::Availability { .. }
    )
}

fn evaluate_where(
    s: &Scenario,
    lesson: &Lesson,
    which: impl Fn(&Check) -> bool,
) -> Vec<Option<Verdict>> {
    let mut ev = Evidence::new(s);
    lesson
        .checks
        .iter()
        .map(|c| {
            which(c).then(|| {
                let (pass, why) = match checks::check(&mut ev, c) {
                    Ok(r) => r,
                    Err(e) => (false, format!("it cannot be checked: {e}")),
                };
                Verdict {
                    check: checks::words(c),
                    pass,
                    why,
                }
            })
        })
        .collect()
}

/// Grades `submission` against the lesson in the instructor's scenario `lesson_file`.
pub fn grade(lesson_file: &Scenario, submission: &Scenario) -> Result<Grade, String> {
    let lesson = lesson_file
        .lesson
        .as_ref()
        .ok_or("the instructor's file has no lesson")?;
    let flags = tampering(lesson_file, submission);
    let verdicts = evaluate(submission, lesson);
    let passed = verdicts.iter().filter(|v| v.pass).count();
    let score = if flags.is_empty() && !verdicts.is_empty() {
        ((passed * 1000 + verdicts.len() / 2) / verdicts.len()) as f64 / 10.0
    } else {
        0.0
    };
    Ok(Grade {
        score,
        verdicts,
        flags,
    })
}
