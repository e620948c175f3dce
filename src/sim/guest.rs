//! A guest cluster's clustered role: online on one member VM, moved when that member leaves,
//! restarted in place (then moved) when its health check fails.

use super::state::{Member, NodeState, RoleState};
use super::{Engine, Ev, EventKind, fmt_ms};

/// Where a role may start.
#[derive(Clone, Copy)]
pub(super) enum Pick {
    Any,
    /// Any member, this one last (it just failed there).
    Avoid(usize),
    /// Only this member (restart in place).
    Only(usize),
}

impl Engine {
    /// Keeps the role where the cluster can run it: offline without quorum, moved off a lost owner.
    pub(super) fn ensure_role(&mut self, ci: usize) {
        let c = &self.clusters[ci];
        if !c.guest {
            return;
        }
        if !c.has_quorum {
            self.role_offline(ci, format!("{} has no quorum", c.name));
            return;
        }
        match c.role {
            RoleState::Offline => self.start_role(ci, Pick::Any),
            RoleState::Online { owner } | RoleState::Starting { owner, .. } => {
                if c.node[owner] != NodeState::Up {
                    let why = format!("its owner {} left {}", c.member_ids[owner], c.name);
                    self.role_offline(ci, why);
                    self.start_role(ci, Pick::Avoid(owner));
                }
            }
        }
    }

    fn role_offline(&mut self, ci: usize, why: String) {
        let c = &mut self.clusters[ci];
        if c.role == RoleState::Offline {
            return;
        }
        c.role = RoleState::Offline;
        c.role_token += 1;
        let msg = format!("role {} is offline: {why}", c.role_name);
        let subjects = vec![c.id.clone()];
        self.emit(EventKind::RoleOffline, subjects, msg);
    }

    /// Brings the role online on the first active member (in member order) that `pick` allows.
    pub(super) fn start_role(&mut self, ci: usize, pick: Pick) {
        let c = &self.clusters[ci];
        if !c.has_quorum {
            return;
        }
        let n = c.members.len();
        let order: Vec<usize> = match pick {
            Pick::Any => (0..n).collect(),
            Pick::Avoid(a) => (0..n).filter(|&m| m != a).chain([a]).collect(),
            Pick::Only(o) => vec![o],
        };
        let pick = order
            .into_iter()
            .find(|&m| c.node[m] == NodeState::Up && self.member_alive(c.members[m]));
        let Some(owner) = pick else {
            let why = format!("no member VM of {} is up to run it", c.name);
            if c.role != RoleState::Offline {
                self.role_offline(ci, why);
            }
            return;
        };
        let until = self.now + c.role_start_ms;
        let c = &mut self.clusters[ci];
        c.role = RoleState::Starting { owner, until };
        c.role_token += 1;
        let token = c.role_token;
        if let Member::Vm(v) = c.members[owner] {
            // Starting the role starts its application afresh.
            self.vms[v].app_failed = false;
        }
        let c = &self.clusters[ci];
        let msg = format!(
            "role {} is starting on {} (online in {})",
            c.role_name,
            c.member_ids[owner],
            fmt_ms(c.role_start_ms)
        );
        let subjects = vec![c.id.clone(), c.member_ids[owner].clone()];
        self.emit(EventKind::RoleStarting, subjects, msg);
        self.schedule(until, Ev::RoleOnline { cluster: ci, token });
    }

    pub(super) fn role_online(&mut self, ci: usize, token: u32) {
        let c = &mut self.clusters[ci];
        let RoleState::Starting { owner, .. } = c.role else {
            return;
        };
        if c.role_token != token {
            return;
        }
        c.role = RoleState::Online { owner };
        let msg = format!("role {} is online on {}", c.role_name, c.member_ids[owner]);
        let subjects = vec![c.id.clone(), c.member_ids[owner].clone()];
        self.emit(EventKind::RoleOnline, subjects, msg);
    }

    /// The role's health check ran: a failed application is restarted in place, then moved.
    pub(super) fn role_health(&mut self, ci: usize, token: u32) {
        let c = &self.clusters[ci];
        let (RoleState::Online { owner } | RoleState::Starting { owner, .. }) = c.role else {
            return;
        };
        let Member::Vm(v) = c.members[owner] else {
            return;
        };
        if c.role_token != token || !self.vms[v].app_failed {
            return;
        }
        let window = self.timing.restart_window_ms;
        let now = self.now;
        let c = &mut self.clusters[ci];
        c.role_restarts.retain(|t| now - *t < window);
        let in_place = (c.role_restarts.len() as u32) < self.timing.restart_in_place_max;
        c.role_restarts.push(now);
        let msg = format!(
            "guest cluster {} found role {} failed on {}: {}",
            c.name,
            c.role_name,
            c.member_ids[owner],
            if in_place {
                "it restarts the role in place"
            } else {
                "restarts in place are used up, so it moves the role"
            }
        );
        let subjects = vec![c.id.clone(), c.member_ids[owner].clone()];
        self.emit(EventKind::AppDetected, subjects, msg);
        if in_place {
            self.clusters[ci].role = RoleState::Offline;
            self.start_role(ci, Pick::Only(owner));
        } else {
            self.clusters[ci].role_restarts.clear();
            self.role_offline(ci, "its application failed".into());
            self.start_role(ci, Pick::Avoid(owner));
        }
    }

    /// The run starts in steady state: the role is already online on the first live member.
    pub(super) fn role_at_start(&mut self, ci: usize) {
        let c = &self.clusters[ci];
        let owner = (0..c.members.len())
            .find(|&m| c.node[m] == NodeState::Up && self.member_alive(c.members[m]));
        match owner {
            Some(owner) if c.has_quorum => {
                let c = &mut self.clusters[ci];
                c.role = RoleState::Online { owner };
                let msg = format!("role {} is online on {}", c.role_name, c.member_ids[owner]);
                let subjects = vec![c.id.clone(), c.member_ids[owner].clone()];
                self.emit(EventKind::RoleOnline, subjects, msg);
            }
            _ => self.role_offline(ci, "no member VM is up to run it".into()),
        }
    }
}
