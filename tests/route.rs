//! Cable routing: orthogonal, from box edge to box edge, and through no other box or cluster
//! label, for every gallery sample laid out as it opens.

use clusterlab::editor::Editor;
use clusterlab::editor::route::{cables, segment_hits};
use clusterlab::editor::scene::{self, Rect};
use clusterlab::model::{Scenario, display_name};

fn opened(name: &str) -> Scenario {
    let text = std::fs::read_to_string(format!("examples/{name}.json")).unwrap();
    Editor::new(Scenario::from_json(&text).unwrap())
        .scenario()
        .clone()
}

/// The cluster labels as the canvas draws them.
fn labels(s: &Scenario, items: &[scene::Item]) -> Vec<Rect> {
    s.design
        .clusters
        .iter()
        .filter_map(|c| {
            let r = scene::outline(items, &c.nodes, 14.0)?;
            Some(scene::label_rect(
                &r,
                display_name(&c.name, &c.id).chars().count(),
            ))
        })
        .collect()
}

fn on_edge(p: (f64, f64), r: &Rect) -> bool {
    let near = |a: f64, b: f64| (a - b).abs() < 0.01;
    let inside_x = p.0 >= r.x - 0.01 && p.0 <= r.x + r.w + 0.01;
    let inside_y = p.1 >= r.y - 0.01 && p.1 <= r.y + r.h + 0.01;
    (inside_x && (near(p.1, r.y) || near(p.1, r.y + r.h)))
        || (inside_y && (near(p.0, r.x) || near(p.0, r.x + r.w)))
}

#[test]
fn every_sample_cable_is_orthogonal_edge_to_edge_and_crosses_nothing() {
    let mut samples: Vec<String> = std::fs::read_dir("examples")
        .unwrap()
        .filter_map(|e| {
            e.ok()?
                .file_name()
                .to_str()?
                .strip_suffix(".json")
                .map(String::from)
        })
        // The 64 x 8 000 maximum is laid out in a dense grid: measured by the benchmark.
        .filter(|n| n != "max-cluster")
        .collect();
    samples.sort();
    for name in &samples {
        let s = opened(name);
        let items = scene::items(&s.design);
        let labels = labels(&s, &items);
        let boxes = scene::obstacles(&items, &[]);
        let obstacles = scene::obstacles(&items, &labels);
        let rect_of = |id: &str| {
            items
                .iter()
                .find(|i| i.id == id && i.kind != scene::ItemKind::Vm)
                .map(|i| i.rect)
        };
        let routes = cables(&s.design.links, &rect_of, &boxes, &labels);
        assert_eq!(
            routes.len(),
            s.design.links.len(),
            "{name}: every cable drawn"
        );
        for (link, points) in routes {
            let (a, b) = (rect_of(&link.a).unwrap(), rect_of(&link.b).unwrap());
            assert!(
                on_edge(points[0], &a),
                "{name} {}: leaves {} at its edge: {points:?}",
                link.id,
                link.a
            );
            assert!(
                on_edge(*points.last().unwrap(), &b),
                "{name} {}: enters {} at its edge",
                link.id,
                link.b
            );
            for w in points.windows(2) {
                assert!(
                    (w[0].0 - w[1].0).abs() < 1e-9 || (w[0].1 - w[1].1).abs() < 1e-9,
                    "{name} {}: orthogonal: {points:?}",
                    link.id
                );
                for r in obstacles.iter().filter(|r| **r != a && **r != b) {
                    assert!(
                        !segment_hits(w[0], w[1], r),
                        "{name} {}: {points:?} crosses {r:?}",
                        link.id
                    );
                }
            }
        }
    }
}

#[test]
fn a_box_in_the_way_is_gone_around() {
    use clusterlab::editor::route::route;
    let top = Rect {
        x: 0.0,
        y: 0.0,
        w: 100.0,
        h: 40.0,
    };
    let bottom = Rect {
        x: 0.0,
        y: 200.0,
        w: 100.0,
        h: 40.0,
    };
    // A box in the middle of the gap, right under the straight way down.
    let block = Rect {
        x: 20.0,
        y: 90.0,
        w: 60.0,
        h: 60.0,
    };
    let path = route(top, bottom, &[top, bottom, block]);
    for w in path.windows(2) {
        assert!(!segment_hits(w[0], w[1], &block), "{path:?}");
    }
    // Without it, the cable goes straight down.
    assert_eq!(route(top, bottom, &[top, bottom]).len(), 2);
}
