//! Moving one VM on demand: live migration (through the engine's lanes) and quick migration
//! (save, move, restore), with the checks that refuse a target that cannot take the VM.

use super::super::state::{Member, VmState};
use super::super::{Engine, Ev, EventKind, fmt_ms, migration};

impl Engine {
    /// Live or quick migration asked for by the administrator.
    pub(super) fn op_migrate(&mut self, v: usize, to: usize, live: bool) {
        let kind = if live { "live" } else { "quick" };
        if let Some(why) = self.move_blocker(v, to) {
            let msg = format!(
                "{kind} migration of {} to {} cannot start: {why}",
                self.vms[v].id,
                self.host_id(to)
            );
            let subjects = vec![self.vms[v].id.clone(), self.host_id(to).to_string()];
            self.emit(EventKind::VmMigrationFailed, subjects, msg);
            return;
        }
        let why = format!("is {kind}-migrated by the administrator");
        if live {
            self.live_migrate(v, to, why);
        } else {
            self.quick_migrate(v, to, why);
        }
    }

    /// Why VM `v` cannot move to host `to` now, if it cannot: the checks Hyper-V and the
    /// cluster make before a move (Compare-VM's missing switch, memory, storage, a guarded
    /// host for a shielded VM, possible owners, an active node that is not paused).
    pub(in super::super) fn move_blocker(&self, v: usize, to: usize) -> Option<String> {
        let vm = &self.vms[v];
        let target = self.host_id(to);
        if let Some((dest, _, _)) = vm.state.moving() {
            return Some(format!("it is already moving to {}", self.host_id(dest)));
        }
        if vm.state != VmState::Running {
            return Some(format!("it is not running ({})", state_words(vm.state)));
        }
        if self.lanes.is_waiting(v) {
            return Some("it already waits for a live migration slot".to_string());
        }
        if vm.host == to {
            return Some(format!("it already runs on {target}"));
        }
        let Some(ci) = vm.cluster else {
            return Some(format!(
                "it is not a clustered role ({} is in no failover cluster)",
                self.host_id(vm.host)
            ));
        };
        let c = &self.clusters[ci];
        if !c.members.contains(&Member::Host(to)) {
            return Some(format!("{target} is not a node of {}", c.name));
        }
        if !self.host_node_up(ci, to) {
            return Some(format!("{target} is not an active node of {}", c.name));
        }
        if self.ops.is_paused(to) {
            return Some(format!("{target} is paused: a paused node takes no roles"));
        }
        let spec = &self.scenario.design.vms[vm.entry];
        // A replica failed over to this cluster has the replica site's settings.
        if self.away_from_home(ci, v) {
            return self.start_blocker(v, to);
        }
        if !spec.possible_owners.is_empty() && !spec.possible_owners.iter().any(|p| p == target) {
            return Some(format!(
                "{target} is not one of its possible owners ({})",
                spec.possible_owners.join(", ")
            ));
        }
        if let Some(nic) = spec
            .nics
            .iter()
            .find(|n| !self.net.host_has_switch(to, &n.switch))
        {
            return Some(format!(
                "{target} has no virtual switch {} for its network adapter",
                nic.switch
            ));
        }
        self.start_blocker(v, to)
    }

    /// Save state, move the disks, restore: the VM is down for all three (see `migration`).
    pub(in super::super) fn quick_migrate(&mut self, v: usize, to: usize, why: String) {
        let h = self.vms[v].host;
        let q = migration::quick(self.vms[v].memory_gb);
        let since = self.now;
        let until = since + q.total_ms();
        self.set_vm(v, h, VmState::QuickMigrating { to, since, until });
        self.vms[v].down_since.get_or_insert(since);
        self.vms[v].planned_down = true;
        let token = self.vms[v].token;
        let msg = format!(
            "{} {why}: it saves its {} GB of memory to disk ({}), its disks move to {} ({}) and it is restored there ({}): down for {}",
            self.vms[v].id,
            self.vms[v].memory_gb,
            fmt_ms(q.save_ms),
            self.host_id(to),
            fmt_ms(q.move_ms),
            fmt_ms(q.restore_ms),
            fmt_ms(q.total_ms())
        );
        self.vms[v].reason = msg.clone();
        let subjects = vec![
            self.vms[v].id.clone(),
            self.host_id(h).to_string(),
            self.host_id(to).to_string(),
        ];
        self.emit(EventKind::VmMigrating, subjects, msg);
        self.schedule(until, Ev::QuickMigrationDone { vm: v, token });
        self.vm_guest_changed(v);
    }

    pub(in super::super) fn quick_migration_done(&mut self, v: usize, token: u32) {
        let VmState::QuickMigrating { to, .. } = self.vms[v].state else {
            return;
        };
        if self.vms[v].token != token {
            return;
        }
        let from = self.vms[v].host;
        let usable = |e: &Engine, h: usize| {
            e.health.host_up(h)
                && e.vms[v].cluster.is_none_or(|ci| e.host_node_up(ci, h))
                && e.storage_access(v, h).is_some()
        };
        let down = self.vms[v].down_since.map_or(0, |t| self.now - t);
        let (id, target) = (self.vms[v].id.clone(), self.host_id(to).to_string());
        if usable(self, to) {
            self.set_vm(v, to, VmState::Running);
            self.restored(v);
            let msg = format!(
                "{id} now runs on {target} (quick migrated from {}: down for {})",
                self.host_id(from),
                fmt_ms(down)
            );
            self.vms[v].reason = msg.clone();
            self.emit(EventKind::VmMigrated, vec![id, target], msg);
        } else if usable(self, from) {
            self.set_vm(v, from, VmState::Running);
            self.restored(v);
            let msg = format!(
                "quick migration of {id} to {target} failed: {target} can no longer run it; it is restored on {} (down for {})",
                self.host_id(from),
                fmt_ms(down)
            );
            self.vms[v].reason = msg.clone();
            let subjects = vec![id, self.host_id(from).to_string()];
            self.emit(EventKind::VmMigrationFailed, subjects, msg);
        } else {
            // Neither end can restore it: the cluster recovers it like any failed role.
            self.set_vm(v, from, VmState::Running);
            let msg = format!(
                "quick migration of {id} to {target} failed and {} cannot restore it either: it stops",
                self.host_id(from)
            );
            self.vms[v].down_since = Some(self.now - down);
            self.vm_resource_failed(v, msg);
            return;
        }
        self.check_storage(v);
        self.vm_guest_changed(v);
    }

    fn restored(&mut self, v: usize) {
        let h = self.vms[v].host;
        self.vms[v].redirected = self.storage_access(v, h) == Some(true);
        self.vms[v].down_since = None;
    }
}

/// A VM's state in a few words, for refusals.
fn state_words(s: VmState) -> &'static str {
    match s {
        VmState::Running => "running",
        VmState::Booting { .. } => "it is starting",
        VmState::Paused { .. } => "paused-critical",
        VmState::Migrating { .. } | VmState::QuickMigrating { .. } => "moving",
        VmState::Stopped => "stopped",
    }
}
