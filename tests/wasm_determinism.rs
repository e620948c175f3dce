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
