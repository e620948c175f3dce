//! Heartbeat rounds with nothing to do are not queued (they sleep until anything happens): the
//! run is exactly the one that queues every round, for the recorded samples and the sweep, and
//! a quiet hour costs almost no queue entries.

mod common;
#[path = "common/sweep.rs"]
mod sweep;

use clusterlab::model::Scenario;
use clusterlab::sim::Engine;
use common::example;

/// The run with sleeping rounds and the run queueing every round, side by side.
fn both(s: &Scenario, until: u64) -> (Engine, Engine) {
    let mut lazy = Engine::new(s).unwrap();
    let mut eager = Engine::new(s).unwrap();
    eager.queue_every_heartbeat();
    lazy.run_until(until);
    eager.run_until(until);
    (lazy, eager)
}

#[test]
fn sleeping_rounds_give_exactly_the_run_of_queueing_every_round() {
    let mut skipped = 0;
    let samples = clusterlab::gallery::SAMPLES
        .iter()
        .filter(|x| x.id != "max-cluster")
        .map(|x| (x.id.to_string(), x.scenario(), 20 * 60_000));
    let swept = (0..150).map(|k| {
        (
            format!("sweep {k}"),
            sweep::scenario(k),
            sweep::SWEEP_UNTIL_MS,
        )
    });
    for (name, s, until) in samples.chain(swept) {
        let (lazy, eager) = both(&s, until);
        assert_eq!(lazy.events(), eager.events(), "{name}");
        assert_eq!(lazy.metrics(), eager.metrics(), "{name}");
        assert_eq!(lazy.snapshot(), eager.snapshot(), "{name}");
        assert!(lazy.processed() <= eager.processed(), "{name}");
        skipped += eager.processed() - lazy.processed();
    }
    assert!(skipped > 100_000, "only {skipped} rounds slept");
}

#[test]
fn rounds_at_the_same_millisecond_keep_their_order_around_a_change() {
    // 64 nodes: several share a heartbeat phase, so a round that wakes the others lands on an
    // instant where some of them already ran, calmly, before it.
    let mut s = example("max-cluster");
    s.faults.retain(|f| f.at_ms <= 120_000);
    let (lazy, eager) = both(&s, 150_000);
    assert_eq!(lazy.events(), eager.events());
    assert_eq!(lazy.snapshot(), eager.snapshot());
}

#[test]
fn a_quiet_hour_costs_almost_nothing() {
    // Four nodes, nothing failing: each node's rounds sleep after the first calm one.
    let s = example("host-cluster");
    let mut quiet = s.clone();
    quiet.faults.clear();
    let (lazy, eager) = both(&quiet, 3_600_000);
    // Every second, each of 3 nodes sends a round: 10 800 an hour when every round is queued.
    assert!(eager.processed() > 10_000, "{}", eager.processed());
    assert!(lazy.processed() < 100, "{}", lazy.processed());
}
