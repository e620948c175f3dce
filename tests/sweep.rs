//! The determinism sweep, natively: scenarios made from seeds 0..N run to the hashes recorded in
//! `tests/data/sweep_hashes.txt`, which the browser reproduces too (`wasm_determinism.rs`).
//! Every sweep scenario runs (no design errors), and together they hold every kind of
//! component and fault.

#[path = "common/sweep.rs"]
mod sweep;

use clusterlab::sim::{run, trace_hash};
use std::collections::HashSet;

const RECORDED: &str = include_str!("data/sweep_hashes.txt");

fn recorded() -> Vec<(u64, String)> {
    RECORDED
        .lines()
        .map(|l| {
            let (k, h) = l.split_once(' ').unwrap();
            (k.parse().unwrap(), h.to_string())
        })
        .collect()
}

#[test]
fn every_sweep_scenario_runs_to_its_recorded_hash() {
    let recorded = recorded();
    assert!(recorded.len() >= 1_000);
    let mut changed = Vec::new();
    for (k, hash) in &recorded {
        let s = sweep::scenario(*k);
        let e = run(&s, sweep::SWEEP_UNTIL_MS)
            .unwrap_or_else(|p| panic!("sweep scenario {k} has errors: {p:?}"));
        let got = format!("{:016x}", trace_hash(e.events()));
        if &got != hash {
            changed.push(format!("{k} {got}"));
        }
    }
    assert!(
        changed.is_empty(),
        "{} sweep runs changed; if intended, record them (CLUSTERLAB_RECORD_SWEEP=1):\n{}",
        changed.len(),
        changed.join("\n")
    );
}

#[test]
fn the_sweep_covers_every_component_and_fault_kind() {
    let mut seen: HashSet<String> = HashSet::new();
    for k in 0..1_000 {
        let s = sweep::scenario(k);
        let v = serde_json::to_value(&s).unwrap();
        for (list, field) in [("switches", "kind"), ("storage", "kind")] {
            for x in v["design"][list].as_array().unwrap() {
                seen.insert(format!("{list}:{}", x[field].as_str().unwrap()));
            }
        }
        for x in v["design"]["clusters"].as_array().unwrap() {
            seen.insert(format!(
                "witness:{}",
                x["witness"]["kind"].as_str().unwrap()
            ));
        }
        for list in [
            "sites",
            "guest_clusters",
            "nlb_clusters",
            "clients",
            "tiers",
        ] {
            if !v["design"][list].as_array().unwrap().is_empty() {
                seen.insert(list.to_string());
            }
        }
        for f in v["faults"].as_array().unwrap() {
            seen.insert(format!("fault:{}", f["fault"].as_str().unwrap()));
        }
    }
    let want = [
        "switches:external",
        "switches:internal",
        "switches:private",
        "storage:local",
        "storage:san",
        "storage:smb",
        "storage:csv",
        "witness:none",
        "witness:disk",
        "witness:file_share",
        "witness:cloud",
        "sites",
        "guest_clusters",
        "nlb_clusters",
        "clients",
        "tiers",
        "fault:host_crash",
        "fault:host_isolation",
        "fault:vm_crash",
        "fault:app_failure",
        "fault:guest_hang",
        "fault:switch_failure",
        "fault:link_cut",
        "fault:storage_failure",
        "fault:site_failure",
        "fault:partition",
    ];
    for w in want {
        assert!(seen.contains(w), "the sweep never has {w}");
    }
}

/// `CLUSTERLAB_RECORD_SWEEP=1 cargo test --release --test sweep record -- --ignored` writes the
/// hashes of seeds 0..1000 (after a deliberate change of behaviour).
#[test]
#[ignore]
fn record() {
    if std::env::var("CLUSTERLAB_RECORD_SWEEP").is_err() {
        return;
    }
    let lines: Vec<String> = (0..1_000)
        .map(|k| {
            let e = run(&sweep::scenario(k), sweep::SWEEP_UNTIL_MS).unwrap();
            format!("{k} {:016x}", trace_hash(e.events()))
        })
        .collect();
    let path = format!("{}/tests/data/sweep_hashes.txt", env!("CARGO_MANIFEST_DIR"));
    std::fs::write(path, lines.join("\n") + "\n").unwrap();
}
