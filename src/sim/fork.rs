//! Forking a run: the analysis runs a design to its steady state once, then each failure from a
//! copy of that engine. A fault or operation added to a copy runs before everything else queued
//! for its instant, in the order added, exactly as one scripted from the start would (those are
//! queued first): the copy's run is the run of the scenario with it in the script. The copy's
//! `scenario` stays the one it was built from.

use super::{Engine, Ev};
use crate::model::{Fault, Operation, ScheduledFault, ScheduledOp};
use std::cmp::Reverse;

/// Queue keys below those of every other entry, for what is added to a copy (see `schedule`).
pub(super) const FIRST_KEYS: u64 = 1 << 20;

impl Engine {
    /// Adds `fault` at `at_ms` (after now) as if it had been scripted from the start.
    pub fn add_fault_first(&mut self, at_ms: u64, fault: Fault) {
        let f = ScheduledFault {
            at_ms,
            repair: false,
            fault,
        };
        self.faults.push(f);
        let i = self.faults.len() - 1;
        self.queue_first(at_ms, Ev::Fault(i));
    }

    /// Adds an operation at `at_ms` (after now) as if it had been scripted from the start.
    pub fn add_op_first(&mut self, at_ms: u64, op: Operation) {
        let o = ScheduledOp { at_ms, op };
        let i = self.ops.push(o);
        self.queue_first(at_ms, Ev::Op(i));
    }

    fn queue_first(&mut self, at_ms: u64, ev: Ev) {
        assert!(at_ms > self.now, "added after the moment it is for");
        assert!(self.first < FIRST_KEYS, "too many entries added");
        self.queue.push(Reverse((at_ms, self.first, ev)));
        self.first += 1;
    }
}
