//! The picture of a run the canvas draws: where VMs are and what they are doing, pulses on
//! their paths, requests into the NLB, quorum on the cluster outline, crowded hosts grouped.

use clusterlab::editor::Editor;
use clusterlab::editor::live::{Live, MOVE_VISUAL_MS, live};
use clusterlab::sim;

mod common;
use common::example;

fn at(name: &str, t: u64, rows: usize) -> Live {
    // The editor gives every component its position, as in the page.
    let editor = Editor::new(example(name));
    let s = editor.scenario();
    live(&s.design, &sim::run(s, t).unwrap().snapshot(), rows)
}

/// The second line of a box (a client's served and lost requests).
fn sub(l: &Live, id: &str) -> String {
    l.boxes.iter().find(|b| b.id == id).unwrap().sub.clone()
}

fn row<'a>(l: &'a Live, id: &str) -> &'a clusterlab::editor::live::LiveRow {
    l.rows
        .iter()
        .find(|r| r.id == id)
        .unwrap_or_else(|| panic!("no row {id}"))
}

#[test]
fn a_crashed_host_is_down_and_its_vm_slides_to_a_survivor_and_boots() {
    let before = at("host-cluster", 29_000, 8);
    assert_eq!(row(&before, "vm-2").host, "host-2");
    assert!(before.clusters[0].label.contains("3 of 3 nodes up"));
    // Crash at 30 s; Isolated 10 s after the last heartbeat, down 240 s later; then a 30 s
    // cold boot.
    let down = at("host-cluster", 35_000, 8);
    let h2 = down.hosts.iter().find(|h| h.id == "host-2").unwrap();
    assert_eq!(h2.state, "down");
    let missed = h2.missed.unwrap();
    assert_eq!(missed.1, 10);
    assert!((4..=6).contains(&missed.0), "{missed:?}");
    let vm = row(&down, "vm-2");
    assert_eq!((vm.host.as_str(), vm.state), ("host-2", "stopped"));
    assert!(
        vm.detail.starts_with("down: vm-2 went down with its host"),
        "{}",
        vm.detail
    );

    let e = sim::run(&example("host-cluster"), 300_000).unwrap();
    let failover = e
        .events()
        .iter()
        .find(|x| x.kind == sim::EventKind::VmFailover)
        .unwrap()
        .t_ms;
    let moving = at("host-cluster", failover + MOVE_VISUAL_MS / 2, 8);
    let vm = row(&moving, "vm-2");
    assert_ne!(vm.host, "host-2");
    assert_eq!(vm.state, "booting");
    assert!(
        vm.offset.0.abs() + vm.offset.1.abs() > 10.0,
        "still sliding: {:?}",
        vm.offset
    );
    assert!(moving.clusters[0].label.contains("2 of 3 nodes up"));
    assert!(moving.clusters[0].quorum);
    let settled = at("host-cluster", failover + 15_000, 8);
    let vm = row(&settled, "vm-2");
    assert_eq!(vm.offset, (0.0, 0.0));
    assert_eq!(vm.progress, Some(50), "{}", vm.detail);
    assert_eq!(vm.detail, "booting 50%");
    let running = at("host-cluster", failover + 30_000, 8);
    assert_eq!(row(&running, "vm-2").state, "running");
}

#[test]
fn heartbeat_pulses_lie_on_the_cabled_paths() {
    let l = at("host-cluster", 10_100, 8);
    assert!(!l.pulses.is_empty());
    let on = |p: (f64, f64), a: (f64, f64), b: (f64, f64)| {
        let cross = (b.0 - a.0) * (p.1 - a.1) - (b.1 - a.1) * (p.0 - a.0);
        let len = ((b.0 - a.0).powi(2) + (b.1 - a.1).powi(2)).sqrt().max(1e-9);
        let within = (p.0 - a.0.min(b.0)) >= -0.5
            && (a.0.max(b.0) - p.0) >= -0.5
            && (p.1 - a.1.min(b.1)) >= -0.5
            && (a.1.max(b.1) - p.1) >= -0.5;
        within && cross.abs() / len < 0.5
    };
    // Along a cable's route, or crossing a switch from one cable to the next.
    let placed = |p: (f64, f64)| {
        l.links
            .iter()
            .any(|k| k.points.windows(2).any(|w| on(p, w[0], w[1])))
            || l.boxes.iter().any(|b| {
                b.kind == clusterlab::editor::scene::ItemKind::Switch
                    && p.0 >= b.rect.x - 0.5
                    && p.0 <= b.rect.x + b.rect.w + 0.5
                    && p.1 >= b.rect.y - 0.5
                    && p.1 <= b.rect.y + b.rect.h + 0.5
            })
    };
    for p in &l.pulses {
        assert!(placed(p.at), "{:?} is not on a cable", p.at);
        assert!(!p.lost);
    }
    // Cables are routed at right angles.
    for k in &l.links {
        for w in k.points.windows(2) {
            assert!(
                w[0].0 == w[1].0 || w[0].1 == w[1].1,
                "{}: {:?}",
                k.id,
                k.points
            );
        }
    }
}

#[test]
fn nlb_requests_flow_to_serving_members_and_drops_show_during_convergence() {
    let before = at("web-app-db", 30_000, 8);
    let total: u64 = before.flows.iter().map(|f| f.rps).sum();
    assert_eq!(total, 600);
    assert_eq!(before.flows.len(), 3);
    // Buckets are hashed over client addresses: close to a third each, not exactly.
    let (rps, pct) = row(&before, "web#1").load.unwrap();
    assert!(
        (180..=220).contains(&rps) && (85..=100).contains(&pct),
        "{rps} {pct}"
    );
    assert_eq!(sub(&before, "internet"), "served 600 rps");
    // host-1 crashed at 60 s; the NLB converges from 64.3 s to 67.3 s.
    let gap = at("web-app-db", 65_000, 8);
    let client = sub(&gap, "internet");
    assert!(client.contains("lost"), "{client}");
    // web#1 died with host-1 but still owns its buckets until convergence: its share is lost.
    assert!(row(&gap, "web#1").lost);
    assert_eq!(gap.flows.iter().filter(|f| f.lost).count(), 1);
    assert!(!row(&gap, "web#2").lost);
    let after = at("web-app-db", 68_000, 8);
    assert_eq!(after.flows.len(), 2);
    let (a, b) = (
        row(&after, "web#2").load.unwrap(),
        row(&after, "web#3").load.unwrap(),
    );
    assert_eq!(a.0 + b.0, 600);
    assert!(a.0.abs_diff(b.0) < 60, "{a:?} {b:?}");
}

#[test]
fn crowded_hosts_show_one_row_per_vm_entry_with_counts() {
    let l = at("max-cluster", 1_000, 8);
    assert_eq!(l.hosts.len(), 64);
    assert_eq!(l.rows.len(), 64 * 8);
    // 8 entries of 1,000 replicas spread over 64 hosts: 15 or 16 of each on every host.
    assert_eq!(l.rows.iter().map(|r| r.count).sum::<u32>(), 8_000);
    assert!(l.rows.iter().all(|r| (15..=16).contains(&r.count)));
    let r = &l.rows[0];
    assert_eq!(r.title, format!("tier1 ×{}", r.count));
    assert_eq!(r.detail, format!("{} running", r.count));
    // A 64-node cluster draws ring-neighbour heartbeats only: at most 2 per node in flight.
    assert!(l.pulses.len() <= 128, "{}", l.pulses.len());
    // Zoomed in far enough, every instance has its own row.
    let zoomed = at("max-cluster", 1_000, 200);
    assert_eq!(zoomed.rows.len(), 8_000);
}

#[test]
fn nlb_members_heartbeat_each_other_and_a_dead_member_stops_the_pulses_sent_to_it() {
    let s = example("web-app-db");
    let nlb_pulses = |t| -> Vec<sim::Heartbeat> {
        (t..t + 1_000)
            .step_by(50)
            .flat_map(|t| sim::run(&s, t).unwrap().snapshot().heartbeats)
            .filter(|h| h.cluster == "web-nlb")
            .collect()
    };
    let healthy = nlb_pulses(30_000);
    assert!(healthy.iter().any(|h| h.from == "web#1" && h.to == "web#2"));
    assert!(healthy.iter().all(|h| h.stops_at.is_none()));
    // host-1 (and web#1 on it) crashed at 60 s: web#1 sends nothing, pulses to it stop short.
    let after = nlb_pulses(61_000);
    assert!(after.iter().all(|h| h.from != "web#1"));
    let to_dead: Vec<_> = after.iter().filter(|h| h.to == "web#1").collect();
    assert!(!to_dead.is_empty());
    assert!(to_dead.iter().all(|h| h.stops_at.is_some()));
    // The members' missed rounds show on their rows until the NLB converges without it.
    let e = sim::run(&s, 63_500).unwrap().snapshot();
    let web1 = e.nlbs[0].members.iter().find(|m| m.vm == "web#1").unwrap();
    assert!(
        (3..5).contains(&web1.missed) && web1.threshold == 5,
        "{web1:?}"
    );
}

#[test]
fn the_vm_that_owns_a_guest_cluster_role_says_so() {
    let before = at("guest-cluster", 20_000, 8);
    assert_eq!(row(&before, "sql-1").detail, "running · runs SQL instance");
    assert_eq!(row(&before, "sql-2").detail, "running");
    // host-1 crashes at 30 s; sql-1 is declared down at 39 s and the role starts on sql-2.
    let moving = at("guest-cluster", 45_000, 8);
    assert_eq!(
        row(&moving, "sql-2").detail,
        "running · starting SQL instance"
    );
    assert_eq!(row(&moving, "sql-1").state, "stopped");
}

#[test]
fn zoomed_far_out_hosts_show_counts_instead_of_rows() {
    // Isolated at about 40 s, failed over 240 s later (the resiliency period).
    let l = at("max-cluster", 285_000, 0);
    assert!(l.rows.is_empty());
    let h17 = l.hosts.iter().find(|h| h.id == "host-17").unwrap();
    assert_eq!(h17.state, "down");
    assert_eq!(h17.counts, Some((0, 0, 0)), "its VMs went elsewhere");
    let booting: u32 = l.hosts.iter().map(|h| h.counts.unwrap().1).sum();
    let all: u32 = l
        .hosts
        .iter()
        .map(|h| {
            let (a, b, c) = h.counts.unwrap();
            a + b + c
        })
        .sum();
    assert_eq!(all, 8_000);
    assert!(
        booting > 0,
        "the crashed host's VMs are booting on the others at 285 s"
    );
}

/// Each client box counts its own requests: the intranet being down is not the shop's loss.
#[test]
fn each_client_shows_its_own_requests() {
    // host-1 crashed at 30 s; WEB-NLB converges from about 34 s to 37 s; intranet is down.
    let l = at("nlb-vs-failover", 36_000, 8);
    assert_eq!(sub(&l, "staff"), "all 300 rps lost");
    let shop = sub(&l, "shoppers");
    let nums: Vec<u64> = shop
        .split(|c: char| !c.is_ascii_digit())
        .filter_map(|n| n.parse().ok())
        .collect();
    assert_eq!(nums.len(), 2, "{shop}");
    assert_eq!(nums[0] + nums[1], 900, "{shop}");
    assert!((250..=350).contains(&nums[1]), "about a third lost: {shop}");
    // Once converged, the shop serves everything again while the intranet is still down.
    let l = at("nlb-vs-failover", 50_000, 8);
    assert_eq!(sub(&l, "shoppers"), "served 900 rps");
    assert_eq!(sub(&l, "staff"), "all 300 rps lost");
}

#[test]
fn a_cluster_with_one_vote_says_vote() {
    // Two nodes, no witness: host-2 (holding the vote) crashed at 30 s, quorum lost at ~40 s.
    let l = at("quorum-two-nodes", 45_000, 8);
    assert!(
        l.clusters[0]
            .label
            .contains("0 of 2 nodes up · 1 vote · NO QUORUM"),
        "{}",
        l.clusters[0].label
    );
    let l = at("quorum-two-nodes", 10_000, 8);
    assert!(
        l.clusters[0]
            .label
            .contains("2 of 2 nodes up · 1 vote · has quorum"),
        "{}",
        l.clusters[0].label
    );
}

/// NLB members that cannot take part say why on their rows: a cluster that cannot converge, a
/// unicast member whose NIC has no MAC address spoofing.
#[test]
fn nlb_members_say_why_they_take_no_traffic() {
    let picture = |scenario: clusterlab::model::Scenario| {
        let editor = Editor::new(scenario);
        let s = editor.scenario();
        live(&s.design, &sim::run(s, 20_000).unwrap().snapshot(), 8)
    };
    let mut s = example("nlb-vs-failover");
    let web = s.design.vms.iter().position(|v| v.id == "web").unwrap();
    s.design.vms[web].nics[0].mac_spoofing = false;
    let l = picture(s.clone());
    assert!(
        row(&l, "web#2")
            .detail
            .ends_with("NLB: no MAC spoofing, cut off")
    );
    s.design.vms[web].nics[0].mac_spoofing = true;
    let intranet = s
        .design
        .vms
        .iter()
        .position(|v| v.id == "intranet")
        .unwrap();
    s.design.vms[intranet].nics[0].mac_spoofing = true;
    s.design.nlb_clusters[0]
        .members
        .push(clusterlab::model::NlbMember {
            vm: "intranet".into(),
            priority: 2,
            weight: None,
        });
    let l = picture(s);
    assert!(row(&l, "web#2").detail.ends_with("NLB: not converged"));
    assert!(row(&l, "web#1").detail.ends_with("NLB: not converged"));
}

#[test]
fn the_charts_follow_the_run_from_just_before_the_first_fault_to_now() {
    use clusterlab::editor::live::chart_window;
    // Before anything breaks: the start of the run, at least 30 s.
    assert_eq!(chart_window(None, 5_000), (0, 30_000));
    assert_eq!(chart_window(Some(60_000), 45_000), (0, 45_000));
    // After the fault at 60 s: from 50 s to now (75 s), at least 30 s wide.
    assert_eq!(chart_window(Some(60_000), 75_000), (50_000, 80_000));
    // Later: now is at the right edge, within a twentieth of the span.
    let (a, b) = chart_window(Some(60_000), 300_000);
    assert_eq!(a, 50_000);
    assert!(
        (300_000..=300_000 + (300_000 - 50_000) / 20).contains(&b),
        "{b}"
    );
}

#[test]
fn a_web_member_that_serves_while_the_database_is_down_says_its_requests_fail_there() {
    // web/app/db: host-1 crashes at 60 s with db on it; db is down until its failover.
    let l = at("web-app-db", 75_000, 8);
    let web = row(&l, "web#2");
    assert_eq!(web.state, "running");
    assert!(web.load.is_some_and(|(rps, _)| rps > 0));
    assert!(!web.lost);
    assert_eq!(
        web.downstream.as_deref(),
        Some("db"),
        "web needs app, which needs db"
    );
    // Before the crash nothing is down.
    let before = at("web-app-db", 50_000, 8);
    assert_eq!(row(&before, "web#2").downstream, None);
}

#[test]
fn a_migrating_vm_is_drawn_on_both_hosts_with_its_progress_and_a_queued_one_says_it_waits() {
    // Scale out: at 1:00 app#1 and app#2 live-migrate to host-4; app#3 waits for a slot.
    let l = at("scale-out", 67_600, 16);
    let from = l
        .rows
        .iter()
        .find(|r| r.id == "app#1" && r.state == "migrating")
        .unwrap();
    let to = l
        .rows
        .iter()
        .find(|r| r.id == "app#1" && r.state == "incoming")
        .unwrap();
    assert_eq!((from.host.as_str(), to.host.as_str()), ("host-1", "host-4"));
    // 7.6 s into a 15.2 s migration: half way on both rows.
    assert_eq!(from.progress, Some(50));
    assert_eq!(to.detail, "arriving from host-1 50%");
    assert!(
        from.detail.starts_with("live migrating to host-4 50%"),
        "{}",
        from.detail
    );
    let queued = row(&l, "app#3");
    assert_eq!(
        queued.detail,
        "queued: live migration to host-4 waits for a slot"
    );
    // Paused and draining hosts say so: host-4 takes roles, the others are not paused.
    assert!(l.hosts.iter().all(|h| h.node.is_none()));
}
