//! Cluster membership: heartbeats, failure detection, regroup, quorum and votes, joins,
//! and 2016+ compute resiliency (isolated / quarantined nodes). Host and guest clusters alike.

use super::state::{ClusterState, Member, NodeState, RoleState};
use super::{Engine, Ev, EventKind, fmt_ms, names};
use crate::model::Beat;
use crate::model::network::PathClass;
use crate::model::{HeartbeatTiming, ResiliencyLevel, Witness, display_name};
use rand::RngExt;

impl Engine {
    pub(super) fn init_clusters(&mut self) {
        let d = self.scenario.design.clone();
        let settings_hb = self.scenario.settings.heartbeat.clone();
        for c in &d.clusters {
            let members: Vec<Member> = c
                .nodes
                .iter()
                .map(|n| Member::Host(self.net.hosts[n]))
                .collect();
            let hyper_v_vms = d
                .vms
                .iter()
                .any(|v| v.hosts.iter().any(|h| c.nodes.contains(h)));
            let beats = HeartbeatTiming::resolve(
                self.timing.version,
                hyper_v_vms,
                &[&settings_hb, &c.heartbeat],
            );
            let lower = c
                .lower_quorum_priority_node
                .as_ref()
                .and_then(|n| c.nodes.iter().position(|x| x == n));
            self.add_cluster(ClusterState::new(
                &c.id,
                display_name(&c.name, &c.id),
                false,
                members,
                beats,
                c.witness.clone(),
                lower,
                c.enforce_anti_affinity,
            ));
        }
        for g in &d.guest_clusters {
            let mut members = Vec::new();
            for m in &g.members {
                let e = d.vms.iter().position(|v| &v.id == m).expect("validated");
                let first = self.entry_first[e];
                members.extend((0..d.vms[e].replicas as usize).map(|k| Member::Vm(first + k)));
            }
            let beats =
                HeartbeatTiming::resolve(self.timing.version, false, &[&settings_hb, &g.heartbeat]);
            let lower = g.lower_quorum_priority_node.as_ref().and_then(|n| {
                members
                    .iter()
                    .position(|m| matches!(m, Member::Vm(v) if &self.vms[*v].id == n))
            });
            let mut c = ClusterState::new(
                &g.id,
                display_name(&g.name, &g.id),
                true,
                members,
                beats,
                g.witness.clone(),
                lower,
                false,
            );
            c.role_start_ms = g.role.start_ms;
            c.role_tier = g.role.tier.clone();
            c.role_name = g.role.name.clone();
            self.add_cluster(c);
        }
    }

    fn add_cluster(&mut self, mut c: ClusterState) {
        let n = c.members.len();
        c.member_ids = c
            .members
            .iter()
            .map(|m| self.member_id(m).to_string())
            .collect();
        for a in 0..n {
            for b in 0..n {
                c.class[a][b] = self.pair_class(c.members[a], c.members[b]) as u8;
            }
        }
        let ci = self.clusters.len();
        for m in 0..n {
            c.phase[m] = self.rng.random_range(0..c.beats.longest_delay_ms().max(1));
        }
        let mut delays: Vec<u64> = Vec::new();
        for a in 0..n {
            delays.clear();
            for b in (0..n).filter(|&b| b != a) {
                let d = beat(&c.beats, c.class[a][b]).delay_ms;
                if !delays.contains(&d) {
                    delays.push(d);
                }
            }
            for &d in &delays {
                let first = c.phase[a] % d;
                self.schedule(
                    first,
                    Ev::Heartbeat {
                        cluster: ci,
                        sender: a,
                        delay: d,
                    },
                );
            }
        }
        self.clusters.push(c);
        // Form the cluster from the members that are alive and connected.
        self.regroup(ci, "the cluster service started");
        self.clusters[ci].formed = true;
        let votes = self.votes_summary(ci);
        let c = &self.clusters[ci];
        let up: Vec<String> = (0..n)
            .filter(|&m| c.node[m] == NodeState::Up)
            .map(|m| c.member_ids[m].clone())
            .collect();
        let msg = format!(
            "{} formed with {} of {} nodes ({}); heartbeats every {} with a threshold of {} (failure detected after {}); votes: {votes}",
            c.name,
            up.len(),
            n,
            names(&up),
            fmt_ms(c.beats.same_subnet.delay_ms),
            c.beats.same_subnet.threshold,
            fmt_ms(c.beats.same_subnet.detection_ms())
        );
        let mut subjects = vec![c.id.clone()];
        subjects.extend(up);
        self.emit(EventKind::ClusterFormed, subjects, msg);
        if self.clusters[ci].guest {
            self.role_at_start(ci);
        }
    }

    /// Add-ClusterNode: a new member in every per-member table, its heartbeats scheduled (and
    /// those of members that had no peer at its distance yet). It joins through `check_joins`.
    pub(super) fn add_member(&mut self, ci: usize, member: Member) -> usize {
        let id = self.member_id(&member).to_string();
        let classes: Vec<u8> = self.clusters[ci]
            .members
            .iter()
            .map(|&x| self.pair_class(member, x) as u8)
            .collect();
        let longest = self.clusters[ci].beats.longest_delay_ms();
        let phase = self.rng.random_range(0..longest.max(1));
        let c = &mut self.clusters[ci];
        let m = c.members.len();
        let delays_before: Vec<Vec<u64>> = (0..m)
            .map(|a| {
                (0..m)
                    .filter(|&b| b != a)
                    .map(|b| beat(&c.beats, c.class[a][b]).delay_ms)
                    .collect()
            })
            .collect();
        c.members.push(member);
        c.member_ids.push(id);
        c.node.push(NodeState::Down);
        c.vote.push(false);
        for row in &mut c.missed {
            row.push(0);
        }
        c.missed.push(vec![0; m + 1]);
        for (row, &k) in c.class.iter_mut().zip(&classes) {
            row.push(k);
        }
        let mut own = classes.clone();
        own.push(0);
        c.class.push(own);
        c.phase.push(phase);
        c.leaves.push(Vec::new());
        c.token.push(0);
        let mut rounds = Vec::new();
        let mut mine: Vec<u64> = Vec::new();
        for a in 0..m {
            let d = beat(&c.beats, classes[a]).delay_ms;
            if !delays_before[a].contains(&d) {
                rounds.push((a, d, c.phase[a] % d));
            }
            if !mine.contains(&d) {
                mine.push(d);
                rounds.push((m, d, phase % d));
            }
        }
        for (sender, delay, offset) in rounds {
            // The next round of that schedule after now.
            let at = self.now + (offset + delay - self.now % delay) % delay;
            self.schedule(
                at.max(self.now),
                Ev::Heartbeat {
                    cluster: ci,
                    sender,
                    delay,
                },
            );
        }
        m
    }

    fn pair_class(&self, a: Member, b: Member) -> PathClass {
        match (a, b) {
            (Member::Host(x), Member::Host(y)) => self.net.path_class(x, y),
            (Member::Vm(x), Member::Vm(y)) => {
                let (vx, vy) = (&self.vms[x], &self.vms[y]);
                let (hx, hy) = (vx.host, vy.host);
                if let (Some(sx), Some(sy)) = (self.net.host_site[hx], self.net.host_site[hy])
                    && sx != sy
                {
                    return PathClass::CrossSite;
                }
                let d = &self.scenario.design;
                let (nx, ny) = (&d.vms[vx.entry].nics, &d.vms[vy.entry].nics);
                if nx.iter().any(|a| ny.iter().any(|b| a.switch == b.switch)) {
                    PathClass::SameSubnet
                } else {
                    PathClass::CrossSubnet
                }
            }
            _ => PathClass::CrossSubnet,
        }
    }

    /// Host `h` is an active node of host cluster `ci`.
    pub(super) fn host_node_up(&self, ci: usize, h: usize) -> bool {
        let c = &self.clusters[ci];
        c.members
            .iter()
            .zip(&c.node)
            .any(|(m, n)| *m == Member::Host(h) && *n == NodeState::Up)
    }

    pub(super) fn member_id(&self, m: &Member) -> &str {
        match *m {
            Member::Host(h) => self.host_id(h),
            Member::Vm(v) => &self.vms[v].id,
        }
    }

    /// The member itself is up: its host runs, or its guest OS runs.
    pub(super) fn member_alive(&self, m: Member) -> bool {
        match m {
            Member::Host(h) => self.health.host_up(h),
            Member::Vm(v) => self.vms[v].guest_up() && self.health.host_up(self.vms[v].host),
        }
    }

    /// Heartbeats get through between two members.
    pub(super) fn members_connected(&self, a: Member, b: Member) -> bool {
        match (a, b) {
            (Member::Host(x), Member::Host(y)) => self.reach.hosts_connected(x, y),
            (Member::Vm(x), Member::Vm(y)) => {
                let d = &self.scenario.design;
                let (vx, vy) = (&self.vms[x], &self.vms[y]);
                self.reach.vms_connected(
                    &self.net,
                    (&d.vms[vx.entry].nics, vx.host),
                    (&d.vms[vy.entry].nics, vy.host),
                )
            }
            _ => false,
        }
    }

    /// One heartbeat round of sender `s` at `delay`; returns whether it changed anything (a
    /// round that did not is not queued again: see `heartbeats`).
    pub(super) fn heartbeat_round(&mut self, ci: usize, s: usize, delay: u64) -> bool {
        let c = &self.clusters[ci];
        let ev = Ev::Heartbeat {
            cluster: ci,
            sender: s,
            delay,
        };
        if c.node[s] != NodeState::Up {
            self.sleep_round(ev, delay);
            return false;
        }
        let mut changed = false;
        let sender = c.members[s];
        let sender_alive = self.member_alive(sender);
        let mut newly_missing = Vec::new();
        let mut detected: Option<(Vec<usize>, Beat)> = None;
        for r in 0..c.members.len() {
            let c = &self.clusters[ci];
            if r == s
                || c.node[r] != NodeState::Up
                || beat(&c.beats, c.class[s][r]).delay_ms != delay
            {
                continue;
            }
            let receiver = c.members[r];
            if !self.member_alive(receiver) {
                continue;
            }
            let through = sender_alive && self.members_connected(sender, receiver);
            let b = beat(&c.beats, c.class[s][r]);
            let c = &mut self.clusters[ci];
            if through {
                changed |= c.missed[r][s] != 0;
                c.missed[r][s] = 0;
                continue;
            }
            changed = true;
            c.missed[r][s] += 1;
            if c.missed[r][s] == 1 {
                newly_missing.push(r);
            }
            if c.missed[r][s] == b.threshold {
                detected.get_or_insert((Vec::new(), b)).0.push(r);
            }
        }
        let c = &self.clusters[ci];
        if !newly_missing.is_empty() {
            let who: Vec<String> = newly_missing
                .iter()
                .map(|&r| c.member_ids[r].clone())
                .collect();
            let b = beat(&c.beats, c.class[s][newly_missing[0]]);
            let msg = format!(
                "{}'s heartbeat did not reach {} (missed 1 of {}; {} more and it is declared down)",
                c.member_ids[s],
                names(&who),
                b.threshold,
                b.threshold.saturating_sub(1)
            );
            let mut subjects = vec![c.member_ids[s].clone()];
            subjects.extend(who);
            self.emit(EventKind::HeartbeatsMissed, subjects, msg);
        }
        if let Some((receivers, b)) = detected {
            let c = &self.clusters[ci];
            let who: Vec<&str> = receivers
                .iter()
                .map(|&r| c.member_ids[r].as_str())
                .collect();
            let why = format!(
                "{} missed {} consecutive heartbeats from {} ({} x {} = {})",
                names(&who),
                b.threshold,
                c.member_ids[s],
                fmt_ms(b.delay_ms),
                b.threshold,
                fmt_ms(b.detection_ms())
            );
            self.clusters[ci].trigger = Some(s);
            self.regroup(ci, &why);
            self.clusters[ci].trigger = None;
        }
        if changed {
            self.schedule(self.now + delay, ev);
        } else {
            self.sleep_round(ev, delay);
        }
        changed
    }

    /// Recomputes partitions among live members and decides which one (if any) has quorum.
    pub(super) fn regroup(&mut self, ci: usize, why: &str) {
        let n = self.clusters[ci].members.len();
        let participants: Vec<usize> = (0..n)
            .filter(|&m| {
                !self.clusters[ci].node[m].kept_out()
                    && self.member_alive(self.clusters[ci].members[m])
            })
            .collect();
        // Partitions: connected groups of live members.
        let mut part = vec![usize::MAX; n];
        let mut parts: Vec<Vec<usize>> = Vec::new();
        for &m in &participants {
            if part[m] != usize::MAX {
                continue;
            }
            let p = parts.len();
            let mut group = vec![m];
            part[m] = p;
            let mut i = 0;
            while i < group.len() {
                let x = group[i];
                for &y in &participants {
                    if part[y] == usize::MAX
                        && self.members_connected(
                            self.clusters[ci].members[x],
                            self.clusters[ci].members[y],
                        )
                    {
                        part[y] = p;
                        group.push(y);
                    }
                }
                i += 1;
            }
            parts.push(group);
        }
        let was_quorum = self.clusters[ci].has_quorum;
        let (winner, votes_msg) = self.decide_quorum(ci, &parts);
        let old: Vec<NodeState> = self.clusters[ci].node.clone();
        let now = self.now;
        // What a node that stops heartbeating becomes is decided from the missed heartbeats
        // alone: the cluster cannot tell a powered-off node from a cut-off one.
        let isolate = self.timing.compute_resiliency
            && !self.clusters[ci].guest
            && self.timing.resiliency_level == ResiliencyLevel::AlwaysIsolate;
        for m in 0..n {
            let in_winner = winner.is_some_and(|w| parts[w].contains(&m));
            let alive = participants.contains(&m);
            let c = &mut self.clusters[ci];
            let next = match (old[m], in_winner, alive) {
                (NodeState::Quarantined { .. } | NodeState::Evicted, _, _) => old[m],
                (_, true, _) => NodeState::Up,
                (NodeState::Isolated { .. }, false, _) => old[m],
                (NodeState::Up, false, _) if isolate && winner.is_some() => NodeState::Isolated {
                    since: now,
                    until: now + self.timing.resiliency_period_ms,
                },
                (_, false, true) => NodeState::NoQuorum,
                (_, false, false) => NodeState::Down,
            };
            c.node[m] = next;
            if old[m] == NodeState::Up
                && matches!(next, NodeState::Down | NodeState::Isolated { .. })
            {
                c.leaves[m].push(now);
            }
            if next != old[m] {
                c.token[m] += 1;
                for r in 0..n {
                    c.missed[r][m] = 0;
                    c.missed[m][r] = 0;
                }
            }
        }
        self.clusters[ci].has_quorum = winner.is_some();
        let formed = self.clusters[ci].formed;
        // Report every node whose membership changed, with the reason.
        for m in 0..n {
            let (before, after) = (old[m], self.clusters[ci].node[m]);
            if before == after || !formed {
                continue;
            }
            self.report_transition(ci, m, before, after, why);
        }
        if !formed {
            self.recalc_votes(ci, Tell::Never);
            return;
        }
        match (was_quorum, winner.is_some()) {
            (true, false) => {
                let c = &self.clusters[ci];
                let msg = format!(
                    "{} lost quorum: {}. Every node stops its cluster service and all roles go offline (no split brain)",
                    c.name, votes_msg
                );
                self.emit(EventKind::QuorumLost, vec![c.id.clone()], msg);
            }
            (false, true) => {
                let c = &self.clusters[ci];
                let msg = format!("{} has quorum again: {}", c.name, votes_msg);
                self.emit(EventKind::QuorumRegained, vec![c.id.clone()], msg);
            }
            (true, true)
                if parts.len() > 1
                    || old
                        .iter()
                        .zip(&self.clusters[ci].node)
                        .any(|(a, b)| *a == NodeState::Up && *b != NodeState::Up) =>
            {
                let c = &self.clusters[ci];
                let msg = format!("{} keeps quorum: {}", c.name, votes_msg);
                self.emit(EventKind::QuorumKept, vec![c.id.clone()], msg);
            }
            _ => {}
        }
        if winner.is_some() {
            // Every membership change is a recalculation worth telling, even one that keeps the votes.
            let tell = if old != self.clusters[ci].node {
                Tell::Always
            } else {
                Tell::IfChanged
            };
            self.recalc_votes(ci, tell);
        }
        // A new membership can move a CSV's coordinator: redirected I/O may gain or lose its path.
        if !self.clusters[ci].guest && old != self.clusters[ci].node {
            self.check_storage_all();
        }
        // Roles follow membership.
        for m in 0..n {
            let (before, after) = (old[m], self.clusters[ci].node[m]);
            if before == after {
                continue;
            }
            match after {
                NodeState::Up => self.node_joined(ci, m, before),
                NodeState::Isolated { until, .. } => {
                    let token = self.clusters[ci].token[m];
                    self.schedule(
                        until,
                        Ev::ResiliencyExpired {
                            cluster: ci,
                            member: m,
                            token,
                        },
                    );
                    self.node_isolated(ci, m);
                }
                _ if before == NodeState::Up || matches!(before, NodeState::Isolated { .. }) => {
                    self.node_left(ci, m)
                }
                _ => {}
            }
        }
        self.cluster_changed(ci);
    }

    fn report_transition(
        &mut self,
        ci: usize,
        m: usize,
        before: NodeState,
        after: NodeState,
        why: &str,
    ) {
        let c = &self.clusters[ci];
        let id = c.member_ids[m].clone();
        let alive = self.member_alive(c.members[m]);
        // Others that leave in the same regroup did not trigger it: say so.
        let also;
        let why = match c.trigger {
            Some(t) if t != m => {
                also = format!("its heartbeats stopped too (the regroup began when {why})");
                also.as_str()
            }
            _ => why,
        };
        let (kind, msg) = match after {
            NodeState::Up => (
                EventKind::NodeJoined,
                if why == "it was added to the cluster" || why.ends_with("forced quorum") {
                    format!("{id} joined {} ({why})", c.name)
                } else {
                    format!("{id} joined {} (it is reachable again)", c.name)
                },
            ),
            NodeState::Down if before == NodeState::Up => (
                EventKind::NodeDown,
                format!("{id} declared down by {}: {why}", c.name),
            ),
            NodeState::Down => (
                EventKind::NodeDown,
                format!("{id} is down and out of {}", c.name),
            ),
            NodeState::Isolated { until, .. } => (
                EventKind::NodeIsolated,
                format!(
                    "{id} is Isolated: {why}. The cluster cannot tell a dead node from a cut-off one, so with ResiliencyLevel 2 (AlwaysIsolate) it waits up to {} (the resiliency period) before failing its VMs over, and shows them Unmonitored{}",
                    fmt_ms(until - self.now),
                    if alive {
                        " (it is in fact still running)"
                    } else {
                        " (it is in fact down, and so are its VMs)"
                    }
                ),
            ),
            NodeState::NoQuorum if alive => (
                EventKind::NodeDown,
                format!(
                    "{id} is cut off in a partition without quorum ({why}): its cluster service stops and its roles go offline"
                ),
            ),
            NodeState::NoQuorum => (
                EventKind::NodeDown,
                format!("{id} is out of {}: {why}", c.name),
            ),
            NodeState::Quarantined { .. } | NodeState::Evicted => return,
        };
        self.emit(kind, vec![id, c.id.clone()], msg);
    }

    /// Picks the partition that has a majority of the current votes; explains the count.
    fn decide_quorum(&mut self, ci: usize, parts: &[Vec<usize>]) -> (Option<usize>, String) {
        if let Some(decided) = self.forced_quorum(ci, parts) {
            return decided;
        }
        let c = &self.clusters[ci];
        let node_votes: Vec<u32> = parts
            .iter()
            .map(|p| p.iter().filter(|&&m| c.vote[m]).count() as u32)
            .collect();
        let total_nodes = c.vote.iter().filter(|v| **v).count() as u32;
        let witness_counts = c.witness != Witness::None && c.witness_vote;
        let total = total_nodes + u32::from(witness_counts);
        // The witness goes to one partition that can reach it: the one with more votes, else a race.
        let reaching: Vec<usize> = (0..parts.len())
            .filter(|&p| self.witness_reachable(ci, &parts[p]))
            .collect();
        let mut witness_to = None;
        if witness_counts && !reaching.is_empty() {
            let best = reaching.iter().map(|&p| node_votes[p]).max().unwrap_or(0);
            let tied: Vec<usize> = reaching
                .into_iter()
                .filter(|&p| node_votes[p] == best)
                .collect();
            let pick = if tied.len() > 1 {
                self.rng.random_range(0..tied.len())
            } else {
                0
            };
            witness_to = Some(tied[pick]);
        }
        let c = &self.clusters[ci];
        let mut winner = None;
        let mut best_text = String::new();
        for (p, group) in parts.iter().enumerate() {
            let v = node_votes[p] + u32::from(witness_to == Some(p));
            if 2 * v > total && total > 0 {
                winner = Some(p);
                let members: Vec<&str> = group.iter().map(|&m| c.member_ids[m].as_str()).collect();
                best_text = format!(
                    "{} {} {} of {} {}{}",
                    names(&members),
                    super::plural(members.len(), "holds", "hold"),
                    v,
                    total,
                    super::plural(total as usize, "vote", "votes"),
                    if witness_to == Some(p) {
                        " (with the witness)"
                    } else {
                        ""
                    }
                );
            }
        }
        if winner.is_none() {
            let best = parts
                .iter()
                .enumerate()
                .map(|(p, _)| node_votes[p] + u32::from(witness_to == Some(p)))
                .max()
                .unwrap_or(0);
            best_text =
                format!("the largest partition holds {best} of {total} votes, not a majority");
        }
        (winner, best_text)
    }

    pub(super) fn witness_reachable(&self, ci: usize, group: &[usize]) -> bool {
        let c = &self.clusters[ci];
        let host_of = |m: usize| match c.members[m] {
            Member::Host(h) => h,
            Member::Vm(v) => self.vms[v].host,
        };
        if c.witness_failed > 0 {
            return false;
        }
        match &c.witness {
            Witness::None => false,
            Witness::Disk { storage } | Witness::FileShare { storage } => {
                let st = self.net.storage[storage];
                group
                    .iter()
                    .any(|&m| self.reach.host_reaches_storage(&self.net, host_of(m), st))
            }
            Witness::Cloud => group
                .iter()
                .any(|&m| self.reach.host_has_uplink(&self.net, host_of(m))),
        }
    }

    /// Dynamic quorum and dynamic witness: votes follow the active members.
    pub(super) fn recalc_votes(&mut self, ci: usize, tell: Tell) {
        let n = self.clusters[ci].members.len();
        let old_votes = self.clusters[ci].vote.clone();
        let old_witness = self.clusters[ci].witness_vote;
        let has_witness = self.clusters[ci].witness != Witness::None;
        if !self.timing.dynamic_quorum {
            // Static votes: every configured node (not an evicted one), and the witness, count.
            let c = &mut self.clusters[ci];
            c.vote = c.node.iter().map(|s| *s != NodeState::Evicted).collect();
            c.witness_vote = has_witness;
            return;
        }
        let up: Vec<usize> = (0..n)
            .filter(|&m| self.clusters[ci].node[m] == NodeState::Up)
            .collect();
        let witness_ok = has_witness && self.witness_reachable(ci, &up);
        let c = &mut self.clusters[ci];
        for m in 0..n {
            c.vote[m] = up.contains(&m);
        }
        let even = up.len().is_multiple_of(2) && !up.is_empty();
        c.witness_vote = if self.timing.dynamic_witness {
            witness_ok && even
        } else {
            witness_ok
        };
        if even && !c.witness_vote {
            // Make the count odd: keep the vote where it was if possible, else drop the low-priority node's.
            let keep_dropped = up
                .iter()
                .copied()
                .find(|&m| !old_votes[m] && old_votes.iter().any(|v| *v));
            let drop = match (keep_dropped, c.lower_priority.filter(|m| up.contains(m))) {
                (_, Some(m)) => m,
                (Some(m), None) => m,
                (None, None) => up[self.rng.random_range(0..up.len())],
            };
            self.clusters[ci].vote[drop] = false;
        }
        // Dynamic witness never takes the total below three in a multi-node cluster with a
        // witness: the witness keeps its vote, and so do nodes that just left, in member order.
        let c = &mut self.clusters[ci];
        let total =
            |c: &ClusterState| c.vote.iter().filter(|v| **v).count() + usize::from(c.witness_vote);
        if self.timing.dynamic_witness && witness_ok && n >= 2 && total(c) < 3 {
            c.witness_vote = true;
            for m in 0..n {
                if total(c) < 3
                    && !c.vote[m]
                    && old_votes[m]
                    && !up.contains(&m)
                    && c.node[m] != NodeState::Evicted
                {
                    c.vote[m] = true;
                }
            }
        }
        let c = &self.clusters[ci];
        let unchanged = c.vote == old_votes && c.witness_vote == old_witness;
        if tell == Tell::Never || (tell == Tell::IfChanged && unchanged) {
            return;
        }
        let msg = format!(
            "{} recalculated votes (dynamic quorum): {}",
            c.name,
            self.votes_summary(ci)
        );
        self.emit(EventKind::VotesChanged, vec![c.id.clone()], msg);
    }

    /// Who holds the cluster's votes now, and why the witness does or does not vote.
    pub(super) fn votes_summary(&self, ci: usize) -> String {
        let c = &self.clusters[ci];
        let n = c.members.len();
        let up = |m: usize| c.node[m] == NodeState::Up;
        let ids = |keep: &dyn Fn(usize) -> bool| -> Vec<&str> {
            (0..n)
                .filter(|&m| keep(m))
                .map(|m| c.member_ids[m].as_str())
                .collect()
        };
        let voters = ids(&|m| c.vote[m]);
        let silent = ids(&|m| up(m) && !c.vote[m]);
        let absent = ids(&|m| !up(m) && c.vote[m]);
        let total = voters.len() + usize::from(c.witness_vote);
        let mut msg = if voters.is_empty() {
            "no node votes".to_string()
        } else {
            format!(
                "{} {}",
                names(&voters),
                super::plural(voters.len(), "votes", "vote")
            )
        };
        if !self.timing.dynamic_quorum {
            msg += " (static votes: dynamic quorum is off)";
        }
        let has_witness = c.witness != Witness::None;
        let up_votes = (0..n).filter(|&m| up(m) && c.vote[m]).count();
        if has_witness {
            msg += if !c.witness_vote {
                if self.witness_reachable(ci, &(0..n).filter(|&m| up(m)).collect::<Vec<_>>()) {
                    "; the witness does not vote because the node votes are odd"
                } else {
                    "; the witness is unreachable and has no vote"
                }
            } else if !self.timing.dynamic_witness {
                "; the witness votes"
            } else if !absent.is_empty() || up_votes % 2 == 1 {
                "; the witness votes because votes are never adjusted below three in a cluster with a witness"
            } else {
                "; the witness votes because the node votes are even"
            };
        }
        if !absent.is_empty() {
            msg += &format!(
                "; {} {} down but {}, so losing one more vote stops the cluster",
                names(&absent),
                super::plural(absent.len(), "is", "are"),
                super::plural(absent.len(), "keeps its vote", "keep their votes"),
            );
        }
        if !silent.is_empty() {
            msg += &format!(
                "; {} {} no vote (DynamicWeight 0) so the total stays odd",
                names(&silent),
                super::plural(silent.len(), "has", "have")
            );
        }
        msg + &format!(
            " ({total} {} in all)",
            super::plural(total, "vote", "votes")
        )
    }

    /// After a fault, a repair or a VM start: lets alive, reachable members back in (or re-forms).
    pub(super) fn check_joins(&mut self, ci: usize) {
        let c = &self.clusters[ci];
        let n = c.members.len();
        if !c.has_quorum {
            let any_alive =
                (0..n).any(|m| !c.node[m].kept_out() && self.member_alive(c.members[m]));
            if any_alive {
                self.regroup(ci, "connectivity changed");
            }
            return;
        }
        let joining = (0..n).any(|m| {
            let c = &self.clusters[ci];
            c.node[m] != NodeState::Up
                && !c.node[m].kept_out()
                && self.member_alive(c.members[m])
                && (0..n).any(|u| {
                    c.node[u] == NodeState::Up && self.members_connected(c.members[m], c.members[u])
                })
        });
        if joining {
            self.regroup(ci, "it can reach the cluster again");
        }
    }

    /// The witness held a vote and the active nodes can no longer reach it: a vote is lost
    /// without warning, so quorum is counted again with the votes as they were.
    pub(super) fn check_witness_lost(&mut self, ci: usize) {
        let c = &self.clusters[ci];
        if !c.has_quorum || !c.witness_vote || c.witness == Witness::None {
            return;
        }
        let up: Vec<usize> = (0..c.members.len())
            .filter(|&m| c.node[m] == NodeState::Up)
            .collect();
        if !self.witness_reachable(ci, &up) {
            self.regroup(ci, "the witness became unreachable");
        }
    }

    pub(super) fn resiliency_expired(&mut self, ci: usize, m: usize, token: u32) {
        let c = &self.clusters[ci];
        if c.token[m] != token || !matches!(c.node[m], NodeState::Isolated { .. }) {
            return;
        }
        let c = &mut self.clusters[ci];
        c.node[m] = NodeState::Down;
        c.token[m] += 1;
        let (id, cid, name) = (c.member_ids[m].clone(), c.id.clone(), c.name.clone());
        let msg = format!(
            "{id} stayed isolated for {} (the resiliency period): {name} now treats it as down{}",
            fmt_ms(self.timing.resiliency_period_ms),
            if c.has_quorum {
                " and fails its VMs over"
            } else {
                ", but without quorum it cannot fail anything over"
            }
        );
        self.emit(EventKind::NodeDown, vec![id, cid], msg);
        self.node_left(ci, m);
        self.cluster_changed(ci);
    }

    pub(super) fn quarantine_end(&mut self, ci: usize, m: usize, token: u32) {
        let c = &mut self.clusters[ci];
        if c.token[m] != token || !matches!(c.node[m], NodeState::Quarantined { .. }) {
            return;
        }
        c.node[m] = NodeState::Down;
        c.token[m] += 1;
        self.check_joins(ci);
    }

    /// A node came back into the active membership.
    fn node_joined(&mut self, ci: usize, m: usize, before: NodeState) {
        let hour = 3_600_000;
        let now = self.now;
        let resiliency = self.timing.compute_resiliency && !self.clusters[ci].guest;
        let n = self.clusters[ci].members.len();
        // At most 25 % of the nodes (at least one) may be quarantined at once.
        let quarantined = (0..n)
            .filter(|&x| matches!(self.clusters[ci].node[x], NodeState::Quarantined { .. }))
            .count();
        // Nor the last active node: that would stop the cluster (a modelling choice).
        let others_up = (0..n).any(|x| x != m && self.clusters[ci].node[x] == NodeState::Up);
        let room = quarantined < (n / 4).max(1) && others_up;
        let c = &mut self.clusters[ci];
        c.leaves[m].retain(|t| now.saturating_sub(*t) < hour);
        if resiliency && room && c.leaves[m].len() as u32 >= self.timing.quarantine_threshold {
            let until = self.now + self.timing.quarantine_duration_ms;
            c.node[m] = NodeState::Quarantined { until };
            c.token[m] += 1;
            c.vote[m] = false;
            let token = c.token[m];
            let (id, cid) = (c.member_ids[m].clone(), c.id.clone());
            let msg = format!(
                "{id} left the cluster ungracefully {} times within an hour (QuarantineThreshold {}): it is Quarantined for {} and its VMs are live-migrated off",
                c.leaves[m].len(),
                self.timing.quarantine_threshold,
                fmt_ms(self.timing.quarantine_duration_ms)
            );
            self.emit(EventKind::NodeQuarantined, vec![id, cid], msg);
            self.schedule(
                until,
                Ev::QuarantineEnd {
                    cluster: ci,
                    member: m,
                    token,
                },
            );
            // A quarantined node may have been a CSV's coordinator: redirected I/O moves or stops.
            self.check_storage_all();
            self.drain_node(ci, m);
            return;
        }
        if matches!(before, NodeState::Isolated { .. }) {
            self.node_monitored_again(ci, m);
        }
        self.node_rejoined_roles(ci, m);
    }
}

impl Engine {
    /// When the last active member dies there is nobody left to miss its heartbeats: the
    /// cluster is down at once.
    pub(super) fn check_last_node(&mut self, ci: usize) {
        let c = &self.clusters[ci];
        let any_alive = (0..c.members.len())
            .any(|m| c.node[m] == NodeState::Up && self.member_alive(c.members[m]));
        if c.has_quorum && !any_alive {
            self.regroup(ci, "no node of the cluster is left running");
        }
    }
}

impl ClusterState {
    #[allow(clippy::too_many_arguments)]
    fn new(
        id: &str,
        name: &str,
        guest: bool,
        members: Vec<Member>,
        beats: HeartbeatTiming,
        witness: Witness,
        lower_priority: Option<usize>,
        enforce_anti_affinity: bool,
    ) -> ClusterState {
        let n = members.len();
        ClusterState {
            id: id.to_string(),
            name: name.to_string(),
            guest,
            member_ids: Vec::new(),
            beats,
            witness_vote: witness != Witness::None,
            witness,
            lower_priority,
            enforce_anti_affinity,
            node: vec![NodeState::Down; n],
            vote: vec![true; n],
            missed: vec![vec![0; n]; n],
            class: vec![vec![0; n]; n],
            phase: vec![0; n],
            leaves: vec![Vec::new(); n],
            has_quorum: false,
            role: RoleState::Offline,
            role_start_ms: 0,
            role_tier: None,
            role_name: String::new(),
            role_restarts: Vec::new(),
            role_token: 0,
            token: vec![0; n],
            formed: false,
            trigger: None,
            forced_by: None,
            witness_failed: 0,
            members,
        }
    }
}

/// When a recalculation of votes is written to the log.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Tell {
    Never,
    /// Only when a vote moved.
    IfChanged,
    /// Always (the membership changed).
    Always,
}

/// The heartbeat numbers for a pair's class (0 same subnet, 1 cross subnet, 2 cross site).
pub(super) fn beat(t: &HeartbeatTiming, class: u8) -> Beat {
    match class {
        0 => t.same_subnet,
        1 => t.cross_subnet,
        _ => t.cross_site,
    }
}
