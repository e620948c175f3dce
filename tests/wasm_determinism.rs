//! The engine compiled to wasm32 reproduces the traces recorded natively, byte for byte:
//! same scenario + seed = same run in the browser (headless Chromium).
#![cfg(target_arch = "wasm32")]

use clusterlab::model::Scenario;
use clusterlab::sim::{run, trace_hash};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

mod web;
use web::{example_json, recorded_traces};

#[wasm_bindgen_test]
fn recorded_trace_hashes_are_reproduced_in_the_browser() {
    let recorded = recorded_traces();
    assert!(recorded.len() >= 4);
    for r in recorded {
        let scenario = Scenario::from_json(example_json(&r.example)).unwrap();
        let engine = run(&scenario, r.until_ms).unwrap();
        assert_eq!(
            format!("{:016x}", trace_hash(engine.events())),
            r.hash,
            "{} diverged in wasm32",
            r.example
        );
    }
}

#[path = "common/sweep.rs"]
mod sweep;

/// The determinism sweep in the browser: the first 100 seeds in CI, all 1,000 with
/// `CLUSTERLAB_SWEEP=1000` set when the test is built (see docs/performance.md).
#[wasm_bindgen_test]
fn the_sweep_runs_to_the_native_hashes_in_the_browser() {
    let count: usize = option_env!("CLUSTERLAB_SWEEP")
        .and_then(|n| n.parse().ok())
        .unwrap_or(100);
    let recorded = include_str!("data/sweep_hashes.txt");
    let mut checked = 0;
    for line in recorded.lines().take(count) {
        let (k, hash) = line.split_once(' ').unwrap();
        let k: u64 = k.parse().unwrap();
        let engine = run(&sweep::scenario(k), sweep::SWEEP_UNTIL_MS).unwrap();
        assert_eq!(
            format!("{:016x}", trace_hash(engine.events())),
            hash,
            "sweep scenario {k} diverged in wasm32"
        );
        checked += 1;
    }
    assert_eq!(checked, count);
}
