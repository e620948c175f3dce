//! Every-single-failure analysis: each case is a run of its own, and says exactly what that run
//! shows; the summary, the order (worst first) and the command line's formats and exit codes.

mod common;
use clusterlab::analysis::{self, Case, FAULT_AT_MS, What, analyze, analyze_one, single_cases};
use clusterlab::model::{Fault, ScheduledFault};
use clusterlab::sim::{Engine, EventKind};
use common::*;

fn case<'a>(all: &'a [analysis::Outcome], label: &str) -> &'a analysis::Outcome {
    all.iter()
        .find(|o| o.case.label == label)
        .unwrap_or_else(|| panic!("no case {label}"))
}

#[test]
fn every_single_failure_of_the_host_cluster_sample_is_pinned() {
    let s = example("host-cluster");
    let all = analyze(&s, false).unwrap();
    // Three hosts (crash, isolation, graceful shutdown), one switch, nine cables, two storage,
    // three VMs (crash, application, hang).
    assert_eq!(all.len(), 9 + 1 + 9 + 2 + 9);
    assert_eq!(analysis::summary(&all), "app survives 22 of 30 failures");
    // Worst first: a lost service before any outage.
    assert_eq!(all[0].case.label, "switch lan fails");
    assert!(all[0].quorum_lost);
    // host-2's crash: Isolated 10 s after, failed over after the 240 s resiliency period, a 30 s
    // boot: vm-2 is back 4.7 min after the crash; a third of the tier was down meanwhile.
    let crash = case(&all, "host-2 crashes");
    let app = &crash.services[0];
    assert!(app.survived && !crash.quorum_lost);
    let (ttr, outage) = (app.time_to_recover_ms.unwrap(), app.outage_ms);
    // 9.2 s to the 10th missed heartbeat (its phase), 240 s isolated, 30 s of cold boot.
    assert_eq!(ttr, 9_172 + 240_000 + 30_000);
    // One of three instances down for all of it: 334 permille (the tier reads 666).
    assert_eq!(outage, ttr * 334 / 1000);
    assert_eq!(
        analysis::why(crash),
        format!(
            "app recovers after {} (outage {})",
            clusterlab::sim::fmt_ms(ttr),
            clusterlab::sim::fmt_ms(outage)
        )
    );
    // Without VM Monitoring a failed application stays down, and the row says why.
    let app_fail = case(&all, "the application in vm-1 fails");
    assert_eq!(
        analysis::why(app_fail),
        "app stays down: vm-1: its application has failed and nothing restarts it"
    );
    // A graceful shutdown drains by live migration: nothing is lost.
    assert_eq!(
        analysis::why(case(&all, "host-1 is shut down gracefully")),
        "no service is affected"
    );
}

#[test]
fn each_case_is_exactly_a_normal_run_with_that_fault_scheduled() {
    let s = example("web-app-db");
    for c in single_cases(&s)
        .into_iter()
        .filter(|c| matches!(c.what, What::Fault(_)))
    {
        let o = analyze_one(&s, &c).unwrap();
        let What::Fault(f) = &c.what else {
            unreachable!()
        };
        let mut plain = s.clone();
        plain.faults = vec![ScheduledFault {
            at_ms: FAULT_AT_MS,
            repair: false,
            fault: f.clone(),
        }];
        plain.operations.clear();
        let mut e = Engine::new(&plain).unwrap();
        e.run_until(o.ended_ms);
        let at_end = e.metrics().at(o.ended_ms).unwrap();
        for (i, svc) in o.services.iter().enumerate() {
            assert_eq!(
                svc.survived,
                at_end.availability_permille[i] == 1000,
                "{}: {}",
                c.label,
                svc.service
            );
        }
        let lost = e.events().iter().any(|x| x.kind == EventKind::QuorumLost);
        assert_eq!(o.quorum_lost, lost, "{}", c.label);
    }
}

#[test]
fn a_design_with_tiers_reports_per_tier_with_requests_lost() {
    let all = analyze(&example("web-app-db"), false).unwrap();
    assert_eq!(all.len(), 45);
    let switch = case(&all, "switch lan fails");
    let web = switch.services.iter().find(|s| s.service == "web").unwrap();
    assert!(!web.survived);
    assert!(web.requests_lost > 0);
    // Crashing one web member costs the NLB a few seconds of its share until convergence.
    let one = case(&all, "VM web#2 crashes");
    let web = one.services.iter().find(|s| s.service == "web").unwrap();
    assert!(
        web.survived && web.outage_ms > 0 && web.outage_ms < 10_000,
        "{web:?}"
    );
    let _ = Case {
        label: String::new(),
        subjects: Vec::new(),
        what: What::Fault(Fault::HostCrash { host: "x".into() }),
    };
}

#[test]
fn with_pairs_every_two_hosts_crash_together() {
    let s = example("host-cluster");
    let all = analyze(&s, true).unwrap();
    assert_eq!(all.len(), 30 + 3);
    // Two of three nodes down at once: the survivor holds 1 of 3 votes (no witness vote: the
    // node votes were odd) and the cluster stops.
    let pair = case(&all, "host-1 and host-2 crash together");
    assert!(pair.quorum_lost);
    assert!(!pair.services[0].survived);
}
