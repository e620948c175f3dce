//! What a submission may not have changed: the lesson itself, and what its lock forbids
//! (`Lock::breaches`, which the editor also enforces in student mode).

use crate::model::Scenario;

/// Why `submission` cannot be graded as passing against the instructor's `lesson_file`: empty
/// when it kept the lesson and its lock.
pub fn tampering(lesson_file: &Scenario, submission: &Scenario) -> Vec<String> {
    let Some(lesson) = &lesson_file.lesson else {
        return Vec::new();
    };
    let mut flags = Vec::new();
    if submission.lesson.as_ref() != Some(lesson) {
        flags.push("its lesson differs from the instructor's".to_string());
    }
    flags.extend(lesson.lock.breaches(lesson_file, submission));
    flags.extend(
        lesson
            .lock
            .script_kept(&lesson_file.faults, &lesson_file.operations, submission),
    );
    flags
}
