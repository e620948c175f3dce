//! `clusterlab grade LESSON SUBMISSIONS... [--csv]`: every submission (a scenario file, a file
//! holding a submission link, or a folder of them) run again against the instructor's lesson,
//! one row per student: score, each check's pass or fail and why, and what flags it.

use super::{load, quote, write_all};
use crate::lesson::{self, Grade};
use crate::model::Scenario;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// One student's row: the name is the file's stem.
struct Row {
    student: String,
    grade: Result<Grade, String>,
}

pub fn grade(
    lesson_path: &str,
    submissions: &[String],
    csv: bool,
    out: &mut impl Write,
) -> Result<ExitCode, String> {
    let lesson_file = load(lesson_path)?;
    let lesson = lesson_file
        .lesson
        .as_ref()
        .ok_or(format!("{lesson_path}: it has no lesson to grade against"))?;
    if lesson.checks.is_empty() {
        return Err(format!("{lesson_path}: its lesson has no checks"));
    }
    let files = expand(submissions)?;
    if files.is_empty() {
        return Err("no submissions to grade (give files, or folders that hold them)".into());
    }
    let rows: Vec<Row> = files
        .iter()
        .map(|f| Row {
            student: f
                .file_stem()
                .map_or(String::new(), |s| s.to_string_lossy().into_owned()),
            grade: read_submission(f).and_then(|s| lesson::grade(&lesson_file, &s)),
        })
        .collect();
    let names: Vec<String> = lesson.checks.iter().map(lesson::words).collect();
    let text = if csv {
        to_csv(&names, &rows)
    } else {
        to_text(&rows)
    };
    write_all(out, &text)
}

/// Files as given, and the files of folders (sorted), skipping hidden ones.
fn expand(paths: &[String]) -> Result<Vec<PathBuf>, String> {
    let mut files = Vec::new();
    for p in paths {
        let path = Path::new(p);
        if path.is_dir() {
            let mut inside: Vec<PathBuf> = std::fs::read_dir(path)
                .map_err(|e| format!("cannot read folder {p}: {e}"))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|f| {
                    f.is_file()
                        && !f
                            .file_name()
                            .is_some_and(|n| n.to_string_lossy().starts_with('.'))
                })
                .collect();
            inside.sort();
            files.extend(inside);
        } else if path.is_file() {
            files.push(path.to_path_buf());
        } else {
            return Err(format!("cannot read {p}: no such file or folder"));
        }
    }
    Ok(files)
}

/// A scenario file, or a file holding a share link (what "Submit" gives a student).
fn read_submission(path: &Path) -> Result<Scenario, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("it cannot be read: {e}"))?;
    if text.trim_start().starts_with('{') {
        Scenario::from_json(&text).map_err(|e| format!("it is not a scenario: {e}"))
    } else {
        crate::share::decode(text.trim())
            .map(|s| s.scenario)
            .map_err(|e| format!("it is not a scenario or a link: {e}"))
    }
}

fn to_csv(names: &[String], rows: &[Row]) -> String {
    let mut t = String::from("student,score,flagged");
    for n in names {
        t += &format!(",{},{}", quote(n), quote(&format!("{n}: why")));
    }
    t.push('\n');
    for r in rows {
        match &r.grade {
            Ok(g) => {
                t += &format!(
                    "{},{},{}",
                    quote(&r.student),
                    g.score,
                    quote(&g.flags.join("; "))
                );
                for v in &g.verdicts {
                    t += &format!(
                        ",{},{}",
                        if v.pass { "pass" } else { "fail" },
                        quote(&v.why)
                    );
                }
            }
            Err(e) => {
                t += &format!("{},0,{}", quote(&r.student), quote(e));
                for _ in names {
                    t += ",,";
                }
            }
        }
        t.push('\n');
    }
    t
}

fn to_text(rows: &[Row]) -> String {
    let mut t = String::new();
    for r in rows {
        match &r.grade {
            Ok(g) => {
                t += &format!("{}: {} %", r.student, g.score);
                if !g.flags.is_empty() {
                    t += &format!(" (flagged: {})", g.flags.join("; "));
                }
                t.push('\n');
                for v in &g.verdicts {
                    let mark = if v.pass { "pass" } else { "FAIL" };
                    t += &format!("  {mark}  {}: {}\n", v.check, v.why);
                }
            }
            Err(e) => t += &format!("{}: 0 % (flagged: {e})\n", r.student),
        }
    }
    t
}
