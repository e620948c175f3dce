//! Editing a design: every change is a named `Command` applied to the scenario, so undo and
//! redo, the keyboard, menus and tests all take one path. No web types: tested natively.

mod commands;
pub mod layout;
#[cfg(feature = "simulate")]
pub mod live;
pub mod route;
pub mod scene;
pub mod tool;

pub use commands::{Command, NewComponent, fresh, to_json};

use crate::model::validate::Problem;
use crate::model::{Id, Scenario};

/// Undo or redo steps: what each did, and the scenario before it.
pub type Steps = Vec<(String, Scenario)>;

/// How many steps of history are kept.
const HISTORY: usize = 200;

/// The scenario being edited, its history and the selection.
#[derive(Clone, Debug)]
pub struct Editor {
    scenario: Scenario,
    undo: Steps,
    redo: Steps,
    pub selection: Vec<Id>,
    /// A student working through the scenario's lesson: its lock holds (see `apply`).
    #[cfg(feature = "simulate")]
    student: bool,
    /// The script as it was when student mode began: what a locked script keeps.
    #[cfg(feature = "simulate")]
    given: (
        Vec<crate::model::ScheduledFault>,
        Vec<crate::model::ScheduledOp>,
    ),
}

impl Editor {
    /// Starts editing; components without a position get one.
    pub fn new(mut scenario: Scenario) -> Editor {
        layout::place_missing(&mut scenario.design);
        Editor {
            scenario,
            undo: Vec::new(),
            redo: Vec::new(),
            selection: Vec::new(),
            #[cfg(feature = "simulate")]
            student: false,
            #[cfg(feature = "simulate")]
            given: Default::default(),
        }
    }

    /// Student mode: with a lesson, edits its lock forbids are refused. Not a security
    /// boundary (the author mode is a switch away, and a file can be edited by hand): the
    /// grader checks the lock again.
    #[cfg(feature = "simulate")]
    pub fn set_student(&mut self, on: bool) {
        self.student = on;
        self.given = (
            self.scenario.faults.clone(),
            self.scenario.operations.clone(),
        );
    }

    #[cfg(feature = "simulate")]
    pub fn student(&self) -> bool {
        self.student
    }

    pub fn scenario(&self) -> &Scenario {
        &self.scenario
    }

    /// Applies a command; on success it becomes one undo step. An error changes nothing.
    pub fn apply(&mut self, command: Command) -> Result<(), String> {
        let before = self.scenario.clone();
        let label = command.label();
        // A command that fails part-way (one of several edits refused) leaves no trace.
        let selected = match command.apply(&mut self.scenario) {
            Ok(selected) => selected,
            Err(e) => {
                self.scenario = before;
                return Err(e);
            }
        };
        #[cfg(feature = "simulate")]
        if let Err(e) = self.lock_holds(&before) {
            self.scenario = before;
            return Err(e);
        }
        // Compared as JSON, with the serializer saving already needs: a derived `==` over the
        // whole model would add its own code to the page's first load.
        if same(&self.scenario, &before) {
            return Ok(());
        }
        self.undo.push((label, before));
        if self.undo.len() > HISTORY {
            self.undo.remove(0);
        }
        self.redo.clear();
        if let Some(ids) = selected {
            self.selection = ids;
        }
        self.selection.retain(|id| exists(&self.scenario, id));
        Ok(())
    }

    /// In student mode, whether the edit from `before` keeps the lesson and its lock: else the
    /// first thing it breaks, in words.
    #[cfg(feature = "simulate")]
    fn lock_holds(&self, before: &Scenario) -> Result<(), String> {
        let Some(lesson) = before.lesson.as_ref().filter(|_| self.student) else {
            return Ok(());
        };
        if self.scenario.lesson.as_ref() != Some(lesson) {
            return Err("the lesson cannot be changed in student mode".into());
        }
        let (faults, ops) = &self.given;
        match lesson
            .lock
            .breaches(before, &self.scenario)
            .into_iter()
            .next()
            .or_else(|| lesson.lock.script_kept(faults, ops, &self.scenario))
        {
            Some(why) => Err(why),
            None => Ok(()),
        }
    }

    pub fn undo(&mut self) -> bool {
        let Some((label, before)) = self.undo.pop() else {
            return false;
        };
        let now = std::mem::replace(&mut self.scenario, before);
        self.redo.push((label, now));
        self.selection.retain(|id| exists(&self.scenario, id));
        true
    }

    pub fn redo(&mut self) -> bool {
        let Some((label, after)) = self.redo.pop() else {
            return false;
        };
        let now = std::mem::replace(&mut self.scenario, after);
        self.undo.push((label, now));
        self.selection.retain(|id| exists(&self.scenario, id));
        true
    }

    /// What undo and redo would do next ("Undo add host").
    pub fn undo_label(&self) -> Option<&str> {
        self.undo.last().map(|(l, _)| l.as_str())
    }
    pub fn redo_label(&self) -> Option<&str> {
        self.redo.last().map(|(l, _)| l.as_str())
    }

    /// Replaces the whole scenario (opening a file or a sample); undoable.
    pub fn replace(&mut self, mut scenario: Scenario) {
        layout::place_missing(&mut scenario.design);
        let before = std::mem::replace(&mut self.scenario, scenario);
        self.undo.push(("open scenario".into(), before));
        self.redo.clear();
        self.selection.clear();
    }

    /// The undo and redo steps (labels and scenarios), oldest first: to hand the editor over.
    pub fn history(&self) -> (&Steps, &Steps) {
        (&self.undo, &self.redo)
    }

    /// An editor resuming where another left off (its history as `history` gave it).
    pub fn resume(scenario: Scenario, undo: Steps, redo: Steps, selection: Vec<Id>) -> Editor {
        let mut e = Editor::new(scenario);
        e.undo = undo;
        e.undo.truncate(HISTORY);
        e.redo = redo;
        e.selection = selection;
        e.selection.retain(|id| exists(&e.scenario, id));
        e
    }

    pub fn problems(&self) -> Vec<Problem> {
        self.scenario.validate()
    }
}

/// Whether an id names a component (or a VM instance's entry) of the scenario.
pub fn exists(s: &Scenario, id: &str) -> bool {
    s.design.ids().any(|x| x == id)
}

/// Whether two scenarios are equal (a no-op edit makes no undo step).
fn same(a: &Scenario, b: &Scenario) -> bool {
    serde_json::to_string(a).ok() == serde_json::to_string(b).ok()
}
