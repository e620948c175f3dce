//! Cable routing cost: every cable of each gallery sample routed around the boxes and cluster
//! labels, as the canvas does on each change (and the run on each frame whose boxes moved).
//! Prints figures; asserts nothing. Run: `cargo bench --bench route` (docs/performance.md).

use clusterlab::editor::route::cables;
use clusterlab::editor::{Editor, scene};
use clusterlab::gallery::SAMPLES;
use std::time::Instant;

fn main() {
    println!(
        "{:<28} {:>6} {:>6} {:>12} {:>10}",
        "sample", "hosts", "cables", "route all", "per cable"
    );
    for s in &SAMPLES {
        let editor = Editor::new(s.scenario());
        let d = &editor.scenario().design;
        let items = scene::items(d);
        let labels: Vec<scene::Rect> = d
            .clusters
            .iter()
            .filter_map(|c| scene::outline(&items, &c.nodes, 14.0))
            .map(|r| scene::label_rect(&r, 24))
            .collect();
        let boxes = scene::obstacles(&items, &[]);
        let rect_of = |id: &str| {
            items
                .iter()
                .find(|i| i.id == id && i.kind != scene::ItemKind::Vm)
                .map(|i| i.rect)
        };
        let runs = 200;
        let start = Instant::now();
        let mut n = 0;
        for _ in 0..runs {
            n = std::hint::black_box(cables(&d.links, &rect_of, &boxes, &labels)).len();
        }
        let us = start.elapsed().as_secs_f64() * 1e6 / f64::from(runs);
        println!(
            "{:<28} {:>6} {:>6} {:>9.0} us {:>7.1} us",
            s.id,
            d.hosts.len(),
            n,
            us,
            us / n.max(1) as f64
        );
    }
}
