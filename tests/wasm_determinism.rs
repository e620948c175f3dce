//! The engine compiled to wasm32 reproduces the traces recorded natively, byte for byte:
//! same scenario + seed = same run in the browser (headless Chromium).
#![cfg(target_arch = "wasm32")]

use clusterlab::model::Scenario;
use clusterlab::sim::{run, trace_hash};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[derive(serde::Deserialize)]
struct Recorded {
    example: String,
    until_ms: u64,
    hash: String,
}

fn example(name: &str) -> &'static str {
    match name {
        "host-cluster" => include_str!("../examples/host-cluster.json"),
        "guest-cluster" => include_str!("../examples/guest-cluster.json"),
        "web-app-db" => include_str!("../examples/web-app-db.json"),
        "max-cluster" => include_str!("../examples/max-cluster.json"),
        other => panic!("no example {other}"),
    }
}

#[wasm_bindgen_test]
fn recorded_trace_hashes_are_reproduced_in_the_browser() {
    let recorded: Vec<Recorded> =
        serde_json::from_str(include_str!("data/trace_hashes.json")).unwrap();
    assert!(recorded.len() >= 4);
    for r in recorded {
        let scenario = Scenario::from_json(example(&r.example)).unwrap();
        let engine = run(&scenario, r.until_ms).unwrap();
        assert_eq!(
            format!("{:016x}", trace_hash(engine.events())),
            r.hash,
            "{} diverged in wasm32",
            r.example
        );
    }
}
