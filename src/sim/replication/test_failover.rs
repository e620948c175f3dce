//! Test failover and reverse replication, as Hyper-V Replica does them.
//!
//! A test failover starts a copy of the VM (`sql - Test`) on the replica server from the
//! latest recovery point, on an isolated network: production runs and replicates on, untouched.
//! One test at a time; stopping it deletes the copy. After an unplanned failover, reversing
//! replication makes the old primary the replica server, starting with a resynchronization
//! (the old primary's copy went its own way after the point the VM failed over from).

use super::super::{Engine, Ev, EventKind, fmt_ms};

/// A test failover's copy.
#[derive(Clone, Debug)]
pub(in crate::sim) struct TestCopy {
    since: u64,
    point_ms: u64,
    booted: bool,
    /// Which test this is: a stopped test's boot timer must not mark a later one booted.
    generation: u32,
}

impl TestCopy {
    pub(super) fn words(&self, vm: &str) -> String {
        format!(
            "'{vm} - Test' {} since {}, isolated, from its point of {}",
            if self.booted { "running" } else { "booting" },
            fmt_ms(self.since),
            fmt_ms(self.point_ms)
        )
    }
}

impl Engine {
    /// Starts (or, with `stop`, ends) a test failover of VM `vm`.
    pub(in crate::sim) fn test_failover(&mut self, vm: &str, stop: bool) {
        self.broker_keeps_vm(vm);
        let subjects = vec![vm.to_string()];
        let link = self
            .vm_index(vm)
            .and_then(|v| self.replication.links.iter().position(|l| l.vm == v));
        let Some(i) = link else {
            return self.refuse(
                subjects,
                format!("{vm} is not replicated: there is no replica to test"),
            );
        };
        let (vm, to) = self.replica_names(i);
        let l = &self.replication.links[i];
        match (stop, l.test.is_some()) {
            (true, false) => {
                self.refuse(subjects, format!("{vm} has no test failover to stop"));
            }
            (true, true) => {
                self.replication.links[i].test = None;
                self.emit(
                    EventKind::TestFailover,
                    vec![vm.clone(), to.clone()],
                    format!(
                        "the test failover of {vm} is over: '{vm} - Test' is turned off and deleted from {to}"
                    ),
                );
            }
            (false, true) => self.refuse(
                subjects,
                format!("a test failover of {vm} is already running on {to}: stop it first"),
            ),
            (false, false) if l.stopped || l.planned => self.refuse(
                subjects,
                format!("{vm} failed over to {to}: there is no replica left to test"),
            ),
            (false, false) if !self.health.host_up(l.to) => {
                self.refuse(subjects, format!("{vm}'s replica server {to} is down"))
            }
            (false, false) => {
                let (now, point) = (self.now, l.point_ms);
                let boot = self.vms[l.vm].boot_ms;
                self.replication.tests += 1;
                let token = self.replication.tests;
                let l = &mut self.replication.links[i];
                l.test = Some(TestCopy {
                    since: now,
                    point_ms: point,
                    booted: false,
                    generation: token,
                });
                self.emit(
                    EventKind::TestFailover,
                    vec![vm.clone(), to.clone()],
                    format!(
                        "test failover of {vm}: a copy, '{vm} - Test', starts on {to} from its recovery point of {}, on an isolated network; {vm} keeps running and replicating",
                        fmt_ms(point)
                    ),
                );
                self.schedule(now + boot, Ev::TestBooted { link: i, token });
            }
        }
    }

    /// The test copy booted: the administrator can check it.
    pub(in crate::sim) fn test_booted(&mut self, i: usize, token: u32) {
        let Some(t) = self.replication.links[i].test.as_mut() else {
            return;
        };
        if t.booted || t.generation != token {
            return;
        }
        t.booted = true;
        let (vm, to) = self.replica_names(i);
        self.emit(
            EventKind::TestFailover,
            vec![vm.clone(), to.clone()],
            format!(
                "'{vm} - Test' runs on {to}, cut off from the network: check it, then stop the test failover"
            ),
        );
    }

    /// A failover or a reversal ends a running test: its copy is deleted.
    pub(super) fn end_test(&mut self, i: usize, why: &str) {
        if self.replication.links[i].test.take().is_none() {
            return;
        }
        let (vm, to) = self.replica_names(i);
        self.emit(
            EventKind::TestFailover,
            vec![vm.clone(), to.clone()],
            format!(
                "the test failover of {vm} is over ({why}): '{vm} - Test' is deleted from {to}"
            ),
        );
    }

    /// The replica server went down: a test copy on it goes with it.
    pub(super) fn test_lost_with_server(&mut self, i: usize) {
        let l = &self.replication.links[i];
        if l.test.is_none() || self.health.host_up(l.to) {
            return;
        }
        self.replication.links[i].test = None;
        let (vm, to) = self.replica_names(i);
        self.emit(
            EventKind::TestFailover,
            vec![vm.clone(), to.clone()],
            format!("'{vm} - Test' stopped: {to} went down; the test failover is over"),
        );
    }

    /// Reverses replication after an unplanned failover, or says why it cannot.
    pub(in crate::sim) fn reverse_replication(&mut self, vm: &str) {
        let subjects = vec![vm.to_string()];
        let found = self
            .vm_index(vm)
            .and_then(|v| self.replication.links.iter().position(|l| l.vm == v));
        let Some(i) = found else {
            return self.refuse(subjects, format!("{vm} is not replicated"));
        };
        let l = &self.replication.links[i];
        let v = l.vm;
        let Some((old, old_storage)) = l.old_primary.filter(|_| l.stopped) else {
            return self.refuse(
                subjects,
                format!("{vm} has not failed over unplanned: there is no replication to reverse"),
            );
        };
        let here = self.vms[v].host;
        let old_id = self.host_id(old).to_string();
        // On a replica cluster the VM may have moved to another node since.
        let on_replica =
            here == l.to || (l.broker.is_some() && l.broker == self.broker_of_host(here));
        if !self.vms[v].state.guest_up() || !on_replica || here == old {
            return self.refuse(
                subjects,
                format!("{vm} is not running on its replica server: start it there first"),
            );
        }
        if !self.health.host_up(old) || !self.reach.hosts_connected(here, old) {
            return self.refuse(
                subjects,
                format!("{vm}'s old primary {old_id} is down or out of reach: replication cannot be reversed to it yet"),
            );
        }
        let bw = self.bottleneck(here, old);
        let now = self.now;
        self.end_test(i, "replication is reversed");
        let broker = self.broker_of_host(old);
        let l = &mut self.replication.links[i];
        l.to = old;
        l.broker = broker;
        l.hourly.clear();
        l.storage = old_storage;
        l.stopped = false;
        l.old_primary = None;
        l.resync = true;
        l.missed = 0;
        l.bandwidth_mbps = bw;
        (l.cycles, l.missed_in_interval, l.interval_from) = (0, 0, now);
        let here_id = self.host_id(here).to_string();
        self.emit(
            EventKind::ReplicaFailover,
            vec![vm.to_string(), old_id.clone()],
            format!(
                "replication of {vm} is reversed: {here_id} now replicates it to {old_id}; the first cycle resynchronizes the whole disk, since {old_id}'s copy went its own way after the failover"
            ),
        );
    }
}
