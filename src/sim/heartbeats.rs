//! Quiet time nearly free: a heartbeat round (a cluster's or an NLB cluster's) that changes
//! nothing (every heartbeat arrives, and no receiver had missed any) is not queued again. Its
//! schedule sleeps until anything else happens, then wakes at its next round. The rounds skipped
//! are exactly those that would have changed nothing, since nothing else happened meanwhile; and
//! a round's place among the entries of its instant is fixed (`round_key`), so a woken round runs
//! where it always would have. Runs are identical to queueing every round (`tests/heartbeats.rs`).

use super::{Engine, Ev, ROUND_KEYS, round_key};
use std::cmp::Reverse;

/// The heartbeat schedules asleep: (the round due next, its delay, the round).
#[derive(Clone, Debug, Default)]
pub(super) struct Sleepers {
    asleep: Vec<(u64, u64, Ev)>,
    /// Something changed at this instant (the key of the last entry that did): the sleepers
    /// wake before the next round of the instant, or before time moves on. A burst of entries
    /// at one instant (a host's VMs failing over) wakes them once.
    wake: Option<u64>,
    /// Queue every round (to check the two give the same run, and to measure the gain).
    never: bool,
}

impl Engine {
    /// Queues every heartbeat round, as the engine did before rounds could sleep: the same run,
    /// slower (for tests and benchmarks).
    pub fn queue_every_heartbeat(&mut self) {
        self.sleepers.never = true;
        self.wake_rounds(0);
    }

    /// After a round at `now` that changed nothing: sleep instead of queueing the next.
    pub(super) fn sleep_round(&mut self, round: Ev, delay: u64) {
        let next = self.now + delay;
        if self.sleepers.never {
            self.schedule(next, round);
        } else {
            self.sleepers.asleep.push((next, delay, round));
        }
    }

    /// The entry with `key` at `now` changed something: the sleepers are to wake.
    pub(super) fn changed_by(&mut self, key: u64) {
        if !self.sleepers.asleep.is_empty() {
            self.sleepers.wake = Some(key);
        }
    }

    /// The next entry of the queue, after waking the sleepers if they are due to wake before it
    /// (it is a heartbeat round, or at a later instant, or there is none).
    pub(super) fn next_entry(&mut self) -> Option<&Reverse<(u64, u64, Ev)>> {
        if let Some(key) = self.sleepers.wake {
            let due = self
                .queue
                .peek()
                .is_none_or(|Reverse((at, k, _))| *at > self.now || *k >= ROUND_KEYS);
            if due {
                self.sleepers.wake = None;
                self.wake_rounds(key);
            }
        }
        self.queue.peek()
    }

    /// Something happened (the entry with `key` at `now`): every sleeping schedule is queued at
    /// its next round. A round due at this instant that runs before `key` has run, calmly,
    /// before the change: its next one is queued.
    pub(super) fn wake_rounds(&mut self, key: u64) {
        let now = self.now;
        for (next, delay, round) in std::mem::take(&mut self.sleepers.asleep) {
            let mut at = if next >= now {
                next
            } else {
                next + (now - next).div_ceil(delay) * delay
            };
            if at == now && round_key(&round).is_some_and(|k| k < key) {
                at += delay;
            }
            self.schedule(at, round);
        }
    }
}
