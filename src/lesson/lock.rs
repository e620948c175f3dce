//! What a submission may not have changed: the lesson itself, the locked parts of the design,
//! and the faults and operations outside what the lesson allows.

use super::checks::fault_kind;
use crate::model::Scenario;
use serde_json::Value;

/// Why `submission` cannot be graded as passing against the instructor's `lesson_file`: empty
/// when it kept the lesson and its lock.
pub fn tampering(lesson_file: &Scenario, submission: &Scenario) -> Vec<String> {
    let mut flags = Vec::new();
    let Some(lesson) = &lesson_file.lesson else {
        return flags;
    };
    if submission.lesson.as_ref() != Some(lesson) {
        flags.push("its lesson differs from the instructor's".to_string());
    }
    let theirs = serde_json::to_value(&lesson_file.design).unwrap_or(Value::Null);
    let mine = serde_json::to_value(&submission.design).unwrap_or(Value::Null);
    for part in &lesson.lock.parts {
        let (a, b) = (component(&theirs, &part.id), component(&mine, &part.id));
        let changed = match (a, b) {
            (Some(_), None) => vec!["removed".to_string()],
            (Some(a), Some(b)) if part.properties.is_empty() => {
                if a == b {
                    vec![]
                } else {
                    vec!["changed".to_string()]
                }
            }
            (Some(a), Some(b)) => part
                .properties
                .iter()
                .filter(|p| a.get(p.as_str()) != b.get(p.as_str()))
                .map(|p| format!("its {p} changed"))
                .collect(),
            (None, _) => vec![],
        };
        if !changed.is_empty() {
            flags.push(format!("locked {} was {}", part.id, changed.join(", ")));
        }
    }
    if !lesson.lock.faults.is_empty() {
        for f in &submission.faults {
            let kind = fault_kind(&f.fault);
            if !lesson.lock.faults.contains(&kind) {
                flags.push(format!(
                    "its script uses {kind}, which the lesson does not allow"
                ));
            }
        }
    }
    if !lesson.lock.operations.is_empty() {
        for o in &submission.operations {
            let kind = operation_kind(o);
            if !lesson.lock.operations.contains(&kind) {
                flags.push(format!(
                    "its script uses {kind}, which the lesson does not allow"
                ));
            }
        }
    }
    flags.dedup();
    flags
}

/// The component with this id in any list of the design's JSON.
fn component<'a>(design: &'a Value, id: &str) -> Option<&'a Value> {
    design.as_object()?.values().find_map(|list| {
        list.as_array()?
            .iter()
            .find(|x| x.get("id").and_then(Value::as_str) == Some(id))
    })
}

/// An operation's kind as the file writes it (`live_migrate`).
fn operation_kind(o: &crate::model::ScheduledOp) -> String {
    serde_json::to_value(o)
        .ok()
        .and_then(|v| {
            v.as_object()?
                .iter()
                .find(|(k, _)| k.as_str() != "at_ms")
                .and_then(|(_, v)| v.as_str().map(str::to_string))
        })
        .unwrap_or_default()
}
