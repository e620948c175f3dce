//! Engine throughput on the examples: events per second, simulated-to-real time ratio, peak
//! heap, and the cost of seeking (a replay from t = 0). Prints figures; asserts nothing.
//! Run: `cargo bench --bench engine` (figures recorded in docs/performance.md).

use clusterlab::model::Scenario;
use clusterlab::sim::Engine;
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};
use std::time::Instant;

/// Counts live heap bytes and their peak, so memory is measured, not guessed.
struct Counting;
static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            let now = LIVE.fetch_add(layout.size(), Relaxed) + layout.size();
            PEAK.fetch_max(now, Relaxed);
        }
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        LIVE.fetch_sub(layout.size(), Relaxed);
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn main() {
    let simulated_ms: u64 = 3_600_000;
    println!("simulating {} s of each example", simulated_ms / 1000);
    println!(
        "{:<20} {:>6} {:>6} {:>6} {:>12} {:>11} {:>8} {:>11} {:>12}",
        "example",
        "hosts",
        "vms",
        "log",
        "queue ev/s",
        "sim/real",
        "peak MB",
        "seek 1h ms",
        "snapshot us"
    );
    let mut cases: Vec<(String, Scenario)> =
        ["host-cluster", "guest-cluster", "web-app-db", "max-cluster"]
            .iter()
            .map(|name| {
                let path = format!("{}/examples/{name}.json", env!("CARGO_MANIFEST_DIR"));
                (
                    name.to_string(),
                    Scenario::from_json(&std::fs::read_to_string(path).unwrap()).unwrap(),
                )
            })
            .collect();
    // The maximum cluster under a storm: a host crash every 5 minutes, each repaired 2 minutes later.
    let mut storm = cases[3].1.clone();
    storm.faults.clear();
    for k in 0..11u64 {
        let host = format!("host-{}", 1 + k * 5);
        let f: clusterlab::model::ScheduledFault = serde_json::from_value(
            serde_json::json!({"at_ms": 60_000 + k * 300_000, "fault": "host_crash", "host": host}),
        )
        .unwrap();
        let mut r = f.clone();
        r.at_ms += 120_000;
        r.repair = true;
        storm.faults.extend([f, r]);
    }
    cases.push(("max-cluster+storm".to_string(), storm));
    for (name, scenario) in cases {
        let vms: u64 = scenario
            .design
            .vms
            .iter()
            .map(|v| u64::from(v.replicas))
            .sum();
        PEAK.store(LIVE.load(Relaxed), Relaxed);
        let base = LIVE.load(Relaxed);
        let start = Instant::now();
        let mut e = Engine::new(&scenario).unwrap();
        e.run_until(simulated_ms);
        let secs = start.elapsed().as_secs_f64();
        let peak_mb = (PEAK.load(Relaxed) - base) as f64 / 1e6;
        // Seeking back = replaying from the start to the target; the best of 3 runs.
        let seek = (0..3)
            .map(|_| {
                let t = Instant::now();
                let mut r = Engine::new(&scenario).unwrap();
                r.run_until(simulated_ms);
                std::hint::black_box(r.snapshot());
                t.elapsed().as_secs_f64()
            })
            .fold(f64::MAX, f64::min);
        let t = Instant::now();
        for _ in 0..10 {
            std::hint::black_box(e.snapshot());
        }
        let snapshot_us = t.elapsed().as_secs_f64() * 1e6 / 10.0;
        println!(
            "{:<20} {:>6} {:>6} {:>6} {:>12.0} {:>10.0}x {:>8.1} {:>11.1} {:>12.0}",
            name,
            scenario.design.hosts.len(),
            vms,
            e.events().len(),
            e.processed() as f64 / secs,
            simulated_ms as f64 / 1000.0 / secs,
            peak_mb,
            seek * 1000.0,
            snapshot_us
        );
    }

    // Cluster-Aware Updating of the 64-host, 8 000-VM cluster: the whole updating run.
    let mut cau = cases_for_cau();
    cau.operations.push(
        serde_json::from_value(
            serde_json::json!({"at_ms": 60_000, "op": "update", "cluster": "hv"}),
        )
        .unwrap(),
    );
    let cluster = cau.design.clusters[0].id.clone();
    cau.operations[0].op = clusterlab::model::Operation::Update { cluster };
    PEAK.store(LIVE.load(Relaxed), Relaxed);
    let base = LIVE.load(Relaxed);
    let start = Instant::now();
    let mut e = Engine::new(&cau).unwrap();
    let cap = 7 * 24 * 3_600_000;
    let mut t = 0;
    while t < cap
        && !e
            .events()
            .iter()
            .rev()
            .take(64)
            .any(|x| x.kind == clusterlab::sim::EventKind::UpdatingDone)
    {
        t += 3_600_000;
        e.run_until(t);
    }
    let secs = start.elapsed().as_secs_f64();
    let done = e
        .events()
        .iter()
        .find(|x| x.kind == clusterlab::sim::EventKind::UpdatingDone)
        .map(|x| x.t_ms);
    let migrations = e
        .events()
        .iter()
        .filter(|x| x.kind == clusterlab::sim::EventKind::VmMigrated)
        .count();
    println!();
    println!(
        "max-cluster CAU: run done at {} simulated, {} live migrations, {} log events, {} queue entries, {:.2} s real, peak {:.1} MB",
        done.map_or("(not done)".to_string(), clusterlab::sim::fmt_ms),
        migrations,
        e.events().len(),
        e.processed(),
        secs,
        (PEAK.load(Relaxed) - base) as f64 / 1e6
    );
}

fn cases_for_cau() -> Scenario {
    let path = format!("{}/examples/max-cluster.json", env!("CARGO_MANIFEST_DIR"));
    let mut s = Scenario::from_json(&std::fs::read_to_string(path).unwrap()).unwrap();
    s.faults.clear();
    s
}
