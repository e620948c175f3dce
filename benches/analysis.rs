//! The every-single-failure analysis: what each kind of case costs, and the whole analysis's
//! wall time (docs/performance.md). `cargo bench --bench analysis [-- --full]`: without `--full`
//! the largest design's total is estimated from a sample of each kind of case.

use clusterlab::analysis::{self, Case, SteadyState, What};
use clusterlab::model::Scenario;
use std::collections::BTreeMap;
use std::time::Instant;

fn example(name: &str) -> Scenario {
    let path = format!("{}/examples/{name}.json", env!("CARGO_MANIFEST_DIR"));
    Scenario::from_json(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// A case's kind for the table: the fault's or operation's name.
fn kind(c: &Case) -> String {
    match &c.what {
        What::Fault(f) => format!("{f:?}")
            .split(['{', ' ', '('])
            .next()
            .unwrap()
            .to_string(),
        What::Faults(_) => "pair".into(),
        What::Op(_) => "shutdown".into(),
        What::Recovery { .. } => "recovery".into(),
        What::Nothing => "nothing".into(),
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let full = args.iter().any(|a| a == "--full");
    // `--only DESIGN KIND N`: N cases of one kind, for profiling (perf record).
    if let Some(i) = args.iter().position(|a| a == "--only") {
        let s = example(&args[i + 1]);
        let steady = SteadyState::new(&s).unwrap();
        let n: usize = args[i + 3].parse().unwrap();
        let cases: Vec<Case> = analysis::cases(&s, false)
            .into_iter()
            .filter(|c| kind(c) == args[i + 2])
            .collect();
        for c in cases.iter().cycle().take(n) {
            std::hint::black_box(steady.run(c));
        }
        return;
    }
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    println!("{cores} cores");
    for name in ["web-app-db", "sixteen-hosts", "max-cluster"] {
        let s = example(name);
        let cases = analysis::cases(&s, false);
        let t = Instant::now();
        let steady = SteadyState::new(&s).unwrap();
        let steady_ms = t.elapsed().as_secs_f64() * 1e3;
        let mut kinds: BTreeMap<String, Vec<&Case>> = BTreeMap::new();
        for c in &cases {
            kinds.entry(kind(c)).or_default().push(c);
        }
        println!(
            "\n{name}: {} cases, steady state {steady_ms:.1} ms",
            cases.len()
        );
        println!("{:<18} {:>6} {:>10}", "kind", "cases", "ms each");
        let mut estimate = 0.0;
        for (k, list) in &kinds {
            let sample: Vec<&&Case> = list.iter().take(12).collect();
            let t = Instant::now();
            for c in &sample {
                std::hint::black_box(steady.run(c));
            }
            let each = t.elapsed().as_secs_f64() * 1e3 / sample.len() as f64;
            estimate += each * list.len() as f64;
            println!("{k:<18} {:>6} {each:>10.3}", list.len());
        }
        println!(
            "estimated total {:.2} s on {cores} cores",
            estimate / 1e3 / cores as f64
        );
        if full || name != "max-cluster" {
            let t = Instant::now();
            let out = analysis::analyze(&s, false).unwrap();
            println!(
                "analyze: {} outcomes in {:.2} s",
                out.len(),
                t.elapsed().as_secs_f64()
            );
        }
    }
}
