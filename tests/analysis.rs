//! Every-single-failure analysis: each case is a run of its own, and says exactly what that run
//! shows; the summary, the order (worst first) and the command line's formats and exit codes.

mod common;
use clusterlab::analysis::{
    self, Case, FAULT_AT_MS, What, analyze, analyze_one, compare, nines, single_cases,
};
use clusterlab::model::{FailureKind, FailureRate, Fault, ScheduledFault, SlaTarget};
use clusterlab::sim::{Engine, EventKind, fmt_ms};
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
    // the witness, three VMs (crash, application, hang).
    assert_eq!(all.len(), 9 + 1 + 9 + 2 + 1 + 9);
    // The disk witness failing alone costs nothing: dynamic witness takes its vote away.
    assert_eq!(
        analysis::why(case(&all, "the witness of hv-cluster fails")),
        "no service is affected"
    );
    assert_eq!(analysis::summary(&all), "app survives 23 of 31 failures");
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
    assert_eq!(all.len(), 46);
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
    assert_eq!(all.len(), 31 + 3);
    // Two of three nodes down at once: the survivor holds 1 of 3 votes (no witness vote: the
    // node votes were odd) and the cluster stops.
    let pair = case(&all, "host-1 and host-2 crash together");
    assert!(pair.quorum_lost);
    assert!(!pair.services[0].survived);
}

fn year<'a>(years: &'a [nines::ServiceYear], service: &str) -> &'a nines::ServiceYear {
    years.iter().find(|y| y.service == service).unwrap()
}

fn contribution<'a>(y: &'a nines::ServiceYear, case: &str) -> &'a nines::Contribution {
    y.contributions
        .iter()
        .find(|c| c.case == case)
        .unwrap_or_else(|| panic!("no contribution of {case}"))
}

#[test]
fn nines_are_each_failures_rate_times_what_its_run_cost() {
    let s = example("host-cluster");
    let all = analyze(&s, false).unwrap();
    let years = nines::years(&s, &all);
    let app = year(&years, "app");
    // host-2 crashes 0.25 times a year (the default) and costs what its run showed.
    let crash = case(&all, "host-2 crashes");
    let c = contribution(app, "host-2 crashes");
    assert_eq!(c.per_year, 0.25);
    assert_eq!(c.downtime_ms, crash.services[0].outage_ms as f64);
    assert!(!c.waits_for_repair);
    // A failed application stays down: a third of the tier waits for the repair (1 h by
    // default), of which the run covered its own length.
    let fail = case(&all, "the application in vm-1 fails");
    let svc = &fail.services[0];
    assert_eq!(svc.down_permille, 334);
    let c = contribution(app, "the application in vm-1 fails");
    let ran = (fail.ended_ms - FAULT_AT_MS) as f64;
    assert_eq!(c.per_year, 2.0);
    assert!(c.waits_for_repair);
    assert_eq!(
        c.downtime_ms,
        svc.outage_ms as f64 + 0.334 * (3_600_000.0 - ran)
    );
    // The year is the sum; availability and nines follow from it.
    let total: f64 = app.contributions.iter().map(|c| c.ms_per_year).sum();
    assert_eq!(app.unplanned_ms + app.planned_ms, total);
    let year_ms = nines::YEAR_HOURS * 3_600_000.0;
    assert_eq!(app.availability, 100.0 * (1.0 - app.unplanned_ms / year_ms));
    assert_eq!(app.nines, -(app.unplanned_ms / year_ms).log10());
    // Largest first.
    assert!(
        app.contributions
            .windows(2)
            .all(|w| w[0].ms_per_year >= w[1].ms_per_year)
    );
    assert_eq!(app.target, None);
    assert_eq!(
        nines::sentence(app),
        format!(
            "app: {} % ({:.1} nines), {} a year unplanned",
            nines::percent(app.availability),
            app.nines,
            nines::duration(app.unplanned_ms)
        )
    );
}

#[test]
fn the_users_rates_and_targets_replace_the_defaults() {
    let mut s = example("host-cluster");
    let all = analyze(&s, false).unwrap();
    let before = nines::years(&s, &all);
    s.reliability.rates.push(FailureRate {
        id: "host-2".into(),
        failure: FailureKind::HostCrash,
        per_year: 1.0,
        repair_hours: 24.0,
    });
    s.reliability.targets.push(SlaTarget {
        service: "app".into(),
        percent: 99.999,
    });
    let after = nines::years(&s, &all);
    let (b, a) = (
        contribution(year(&before, "app"), "host-2 crashes"),
        contribution(year(&after, "app"), "host-2 crashes"),
    );
    assert_eq!(a.ms_per_year, 4.0 * b.ms_per_year);
    // Other hosts keep the default.
    assert_eq!(
        contribution(year(&after, "app"), "host-1 crashes").per_year,
        0.25
    );
    let app = year(&after, "app");
    assert_eq!(app.target, Some(99.999));
    assert_eq!(app.meets_target(), Some(false));
    assert!(nines::sentence(app).ends_with("; target 99.999 % missed"));
    // The validator names numbers the analysis cannot use.
    s.reliability.rates[0].per_year = -1.0;
    s.reliability.targets[0].percent = 120.0;
    s.reliability.targets.push(SlaTarget {
        service: "nothing".into(),
        percent: 99.0,
    });
    let problems: Vec<String> = s.validate().into_iter().map(|p| p.message).collect();
    for expected in [
        "the host crash rate of host-2 must be between 0 and 100000 failures a year",
        "the availability target of app must be a percentage above 0 and at most 100",
        "the availability target of nothing is ignored: the design has no such service",
    ] {
        assert!(problems.iter().any(|p| p == expected), "{problems:?}");
    }
}

#[test]
fn a_pair_happens_when_the_second_fails_during_the_first_repair() {
    let s = example("host-cluster");
    let all = analyze(&s, true).unwrap();
    let years = nines::years(&s, &all);
    let c = contribution(year(&years, "app"), "host-1 and host-2 crash together");
    // 0.25 × 0.25 × (24 h + 24 h) / 8766 h.
    assert_eq!(c.per_year, 0.25 * 0.25 * 48.0 / 8_766.0);
    assert!(c.waits_for_repair);
    // Planned maintenance (graceful shutdowns) stays out of the availability.
    assert!(years.iter().all(|y| {
        y.contributions
            .iter()
            .all(|c| c.planned == c.case.ends_with("is shut down gracefully"))
    }));
}

#[test]
fn two_designs_compare_failure_by_failure() {
    let a = example("host-cluster");
    let same = analyze(&a, false).unwrap();
    assert!(compare::differences(&same, &same).is_empty());
    assert_eq!(
        compare::verdict(&[]),
        "A and B fare the same under every failure both allow"
    );
    // B notices a dead node sooner: its resiliency period is 60 s instead of 240 s.
    let mut b = a.clone();
    b.settings.timing.resiliency_period_ms = Some(60_000);
    let (ra, rb) = (same, analyze(&b, false).unwrap());
    let diffs = compare::differences(&ra, &rb);
    let crash = diffs
        .iter()
        .find(|d| d.case == "host-2 crashes")
        .expect("host-2 differs");
    assert_eq!(crash.better, "B");
    assert_eq!(crash.a_outage_ms - crash.b_outage_ms, 180_000 * 334 / 1000);
    assert_eq!(
        crash.sentence,
        format!(
            "when host-2 crashes, B loses app for {} where A loses app for {}",
            fmt_ms(crash.b_outage_ms),
            fmt_ms(crash.a_outage_ms)
        )
    );
    assert!(diffs.iter().all(|d| d.better == "B"), "{diffs:#?}");
    assert!(compare::verdict(&diffs).starts_with("B does better under"));
    // A design without host-3 has no host-3 failures to compare.
    let mut c = a.clone();
    c.design.hosts.retain(|h| h.id != "host-3");
    c.design
        .links
        .retain(|l| !l.a.contains("host-3") && !l.b.contains("host-3"));
    for cl in &mut c.design.clusters {
        cl.nodes.retain(|n| n != "host-3");
    }
    for v in &mut c.design.vms {
        v.hosts.retain(|h| h != "host-3");
        if v.hosts.is_empty() {
            v.hosts.push("host-1".into());
        }
    }
    // Both designs lose the service for good to the switch: the one that held out longer says so.
    let wad = analyze(&example("web-app-db"), false).unwrap();
    let other = analyze(&example("quorum-four-nodes-witness"), false).unwrap();
    let lan = compare::differences(&wad, &other)
        .into_iter()
        .find(|d| d.case == "switch lan fails")
        .expect("the switch differs");
    assert!(!lan.a_survived && !lan.b_survived);
    let longer = lan.a_outage_ms.abs_diff(lan.b_outage_ms);
    assert_eq!(
        lan.sentence,
        format!(
            "when switch lan fails, both lose app for good; {} holds out {} longer",
            lan.better,
            fmt_ms(longer)
        )
    );
    let rc = analyze(&c, false).unwrap();
    assert!(compare::only_in(&ra, &rc).contains(&"host-3 crashes"));
    assert!(compare::only_in(&rc, &ra).is_empty());
}

/// One line per case and service: every number and reason the analysis gives, and the year.
fn pinned_text(s: &clusterlab::model::Scenario) -> String {
    let all = analyze(s, false).unwrap();
    let mut t = format!("{}\n", analysis::summary(&all));
    for o in &all {
        for r in &o.services {
            t += &format!(
                "{} | {} | survived {} | recover {:?} | outage {} | lost {} | data lost {} | down {} | quorum lost {} | hurts {:?} | ended {} | {}\n",
                o.case.label,
                r.service,
                r.survived,
                r.time_to_recover_ms,
                r.outage_ms,
                r.requests_lost,
                r.data_lost_ms,
                r.down_permille,
                o.quorum_lost,
                o.hurts_at_ms,
                o.ended_ms,
                r.vms_down
                    .iter()
                    .map(|(vm, why)| format!("{vm}: {why}"))
                    .collect::<Vec<_>>()
                    .join("; ")
            );
        }
    }
    for y in nines::years(s, &all) {
        t += &format!("{}\n", nines::sentence(&y));
    }
    t
}

/// The analysis of every gallery sample but the two largest (their runs are benchmarks) is
/// pinned row by row in tests/data/analysis/. After an intended change of behaviour, record
/// again with `CLUSTERLAB_RECORD_ANALYSIS=1 cargo test --test analysis gallery` and say why in
/// the commit.
#[test]
fn the_gallery_samples_analyses_are_pinned_row_by_row() {
    let record = std::env::var("CLUSTERLAB_RECORD_ANALYSIS").is_ok();
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/analysis");
    let mut checked = 0;
    for sample in clusterlab::gallery::SAMPLES.iter() {
        if matches!(sample.id, "sixteen-hosts" | "max-cluster") {
            continue;
        }
        let got = pinned_text(&sample.scenario());
        let path = format!("{dir}/{}.txt", sample.id);
        if record {
            std::fs::write(&path, &got).unwrap();
        }
        let want = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            got == want,
            "{}: the analysis differs from {path}; first different line:\n  got:  {:?}\n  want: {:?}",
            sample.id,
            got.lines()
                .zip(want.lines())
                .find(|(a, b)| a != b)
                .map(|x| x.0),
            got.lines()
                .zip(want.lines())
                .find(|(a, b)| a != b)
                .map(|x| x.1),
        );
        checked += 1;
    }
    assert_eq!(checked, 23);
}

/// A design with replicas and backups gets the disasters they answer, each recovered by the
/// administrator 15 min later, with the data lost (RPO) and the time to recover (RTO): ransomware
/// on the office is restored from the immutable cloud copy of 2 h before the run (data lost:
/// 2 h plus the minute before the attack; 100 GB over 200 Mbit/s, then a 30 s boot).
#[test]
fn disasters_are_recovered_by_the_administrator_with_rpo_and_rto() {
    let s = common::example("ransomware-restore");
    let all = analyze(&s, false).unwrap();
    let labels: Vec<&str> = all
        .iter()
        .map(|o| o.case.label.as_str())
        .filter(|l| l.contains("later"))
        .collect();
    assert_eq!(
        labels,
        vec![
            "ransomware takes site office; 15 min later its VMs are recovered",
            "VM sql is deleted; 15 min later it is recovered",
            "the data in sql is corrupted; 15 min later it is restored",
        ]
    );
    let case = |label: &str| {
        all.iter()
            .find(|o| o.case.label.starts_with(label))
            .unwrap()
    };
    let db = &case("ransomware").services[0];
    assert!(db.survived);
    assert_eq!(db.data_lost_ms, 7_260_000);
    assert_eq!(db.time_to_recover_ms, Some(900_000 + 4_096_000 + 30_000));
    // A deletion: the NAS's point of an hour before the run, over the LAN.
    let db = &case("VM sql is deleted").services[0];
    assert_eq!(db.data_lost_ms, 3_660_000);
    assert_eq!(db.time_to_recover_ms, Some(900_000 + 819_200 + 30_000));
    // Each case's run is the run of its scenario, the recovery scripted 15 min after.
    for o in all.iter().filter(|o| o.case.label.contains("later")) {
        let plain = analysis::case_scenario(&s, &o.case);
        assert_eq!(plain.operations[0].at_ms, 960_000);
        let mut e = clusterlab::sim::Engine::new(&plain).unwrap();
        analysis::run_until_quiet(&mut e, 960_000);
        assert_eq!(analysis::outcome_of(&e, o.case.clone()), *o);
    }
    // Without replicas or backups there is nothing to recover with: no such cases.
    let plain = common::example("web-app-db");
    assert!(analysis::recovery_cases(&plain).is_empty());
}
