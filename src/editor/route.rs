//! Orthogonal cable routing: each cable leaves one box and enters the other at right angles,
//! with one horizontal (or vertical) run through the free gap between them, placed where it
//! crosses no other box. Cheap enough to run for every cable of a 64-host design on a change
//! (see `benches/route.rs`); a way around is taken when one exists, else the middle of the gap.

use super::scene::Rect;

pub type Pt = (f64, f64);

/// Clearance kept from box edges where a cable leaves or enters (canvas units).
const MARGIN: f64 = 10.0;

/// A polyline from box `a` to box `b` avoiding `obstacles` (the ends themselves are ignored).
pub fn route(a: Rect, b: Rect, obstacles: &[Rect]) -> Vec<Pt> {
    let gap_y = (b.y - (a.y + a.h)).max(a.y - (b.y + b.h));
    let gap_x = (b.x - (a.x + a.w)).max(a.x - (b.x + b.w));
    if gap_y >= 2.0 * MARGIN || (gap_y > 0.0 && gap_y >= gap_x) {
        return across(a, b, obstacles);
    }
    if gap_x > 0.0 {
        // The same route with x and y swapped: a vertical run through the side gap.
        let t = |r: Rect| Rect {
            x: r.y,
            y: r.x,
            w: r.h,
            h: r.w,
        };
        let turned: Vec<Rect> = obstacles.iter().map(|r| t(*r)).collect();
        return across(t(a), t(b), &turned)
            .into_iter()
            .map(|(x, y)| (y, x))
            .collect();
    }
    // Overlapping boxes: centre to centre.
    vec![a.center(), b.center()]
}

/// `a` above or below `b`: down from `a`, along a horizontal channel, down into `b`.
fn across(a: Rect, b: Rect, obstacles: &[Rect]) -> Vec<Pt> {
    let (top, bottom, flip) = if a.y <= b.y {
        (a, b, false)
    } else {
        (b, a, true)
    };
    let y0 = top.y + top.h;
    let y1 = bottom.y;
    let others: Vec<&Rect> = obstacles.iter().filter(|r| **r != a && **r != b).collect();
    let blocked = |p: Pt, q: Pt| others.iter().any(|r| segment_hits(p, q, r));
    // Where each end would like to connect: facing the other box.
    let want_top = (bottom.x + bottom.w / 2.0).clamp(top.x + MARGIN, top.x + top.w - MARGIN);
    let want_bottom = (top.x + top.w / 2.0).clamp(bottom.x + MARGIN, bottom.x + bottom.w - MARGIN);
    let xs_top = candidates(top.x, top.w, want_top);
    let xs_bottom = candidates(bottom.x, bottom.w, want_bottom);
    let mut path = None;
    // Channels from the middle of the gap outwards.
    'search: for y in channel_ys(y0, y1) {
        let Some(&xt) = xs_top.iter().find(|x| !blocked((**x, y0), (**x, y))) else {
            continue;
        };
        for &xb in &xs_bottom {
            if !blocked((xt, y), (xb, y)) && !blocked((xb, y), (xb, y1)) {
                path = Some(if (xt - xb).abs() < 0.5 {
                    vec![(xt, y0), (xt, y1)]
                } else {
                    vec![(xt, y0), (xt, y), (xb, y), (xb, y1)]
                });
                break 'search;
            }
        }
    }
    // Something spans the gap (a row of hosts between a switch and its storage): up through a
    // free column between them, with a short run at each end.
    if path.is_none() {
        let (ya, yb) = (y0 + MARGIN * 1.5, y1 - MARGIN * 1.5);
        let mid = (want_top + want_bottom) / 2.0;
        let mut columns: Vec<f64> = others
            .iter()
            .filter(|r| r.y < y1 && r.y + r.h > y0)
            .flat_map(|r| [r.x - MARGIN, r.x + r.w + MARGIN])
            .collect();
        columns.sort_by(|p, q| (p - mid).abs().total_cmp(&(q - mid).abs()));
        path = columns.into_iter().find_map(|x| {
            let p = vec![
                (want_top, y0),
                (want_top, ya),
                (x, ya),
                (x, yb),
                (want_bottom, yb),
                (want_bottom, y1),
            ];
            p.windows(2).all(|w| !blocked(w[0], w[1])).then_some(p)
        });
    }
    let mut path = path.unwrap_or_else(|| {
        let y = (y0 + y1) / 2.0;
        vec![
            (want_top, y0),
            (want_top, y),
            (want_bottom, y),
            (want_bottom, y1),
        ]
    });
    if flip {
        path.reverse();
    }
    path
}

/// Points along an edge, the preferred one first, then alternately either side of it.
fn candidates(x: f64, w: f64, want: f64) -> Vec<f64> {
    let (lo, hi) = (x + MARGIN, x + w - MARGIN);
    let mut out = vec![want];
    let step = ((hi - lo) / 8.0).max(4.0);
    for k in 1..=8 {
        let d = step * k as f64;
        for c in [want + d, want - d] {
            if (lo..=hi).contains(&c) {
                out.push(c);
            }
        }
    }
    out
}

/// Heights for the horizontal run: the middle of the gap first, then towards either end.
fn channel_ys(y0: f64, y1: f64) -> Vec<f64> {
    let mid = (y0 + y1) / 2.0;
    let half = ((y1 - y0) / 2.0 - MARGIN / 2.0).max(0.0);
    let mut out = vec![mid];
    for k in 1..=6 {
        let d = half * k as f64 / 6.0;
        out.push(mid - d);
        out.push(mid + d);
    }
    out
}

/// Whether an axis-parallel segment passes through the inside of a box.
pub fn segment_hits(p: Pt, q: Pt, r: &Rect) -> bool {
    let (x0, x1) = (p.0.min(q.0), p.0.max(q.0));
    let (y0, y1) = (p.1.min(q.1), p.1.max(q.1));
    x0 < r.x + r.w && x1 > r.x && y0 < r.y + r.h && y1 > r.y
}

/// The SVG path of a polyline.
pub fn svg_path(points: &[Pt]) -> String {
    let mut d = String::new();
    for (i, (x, y)) in points.iter().enumerate() {
        d.push_str(&format!("{}{x:.1} {y:.1}", if i == 0 { "M" } else { " L" }));
    }
    d
}

/// The middle of a polyline (for a marker on the cable).
pub fn midpoint(points: &[Pt]) -> Pt {
    let len = |a: Pt, b: Pt| (a.0 - b.0).abs() + (a.1 - b.1).abs();
    let total: f64 = points.windows(2).map(|w| len(w[0], w[1])).sum();
    let mut left = total / 2.0;
    for w in points.windows(2) {
        let l = len(w[0], w[1]);
        if l >= left && l > 0.0 {
            let t = left / l;
            return (
                w[0].0 + (w[1].0 - w[0].0) * t,
                w[0].1 + (w[1].1 - w[0].1) * t,
            );
        }
        left -= l;
    }
    points.first().copied().unwrap_or_default()
}

/// Every cable's route, given where each box is: the boxes in `obstacles` are avoided, and the
/// `labels` too unless that makes a cable much longer (it then passes under the label).
/// Cables whose ends are not drawn are left out.
pub fn cables<'a>(
    links: &'a [crate::model::Link],
    rect_of: &dyn Fn(&str) -> Option<Rect>,
    obstacles: &[Rect],
    labels: &[Rect],
) -> Vec<(&'a crate::model::Link, Vec<Pt>)> {
    let all: Vec<Rect> = obstacles.iter().chain(labels).copied().collect();
    let length = |p: &[Pt]| -> f64 {
        p.windows(2)
            .map(|w| (w[0].0 - w[1].0).abs() + (w[0].1 - w[1].1).abs())
            .sum()
    };
    links
        .iter()
        .filter_map(|l| {
            let (a, b) = (rect_of(&l.a)?, rect_of(&l.b)?);
            let around = route(a, b, &all);
            if labels.is_empty() {
                return Some((l, around));
            }
            let under = route(a, b, obstacles);
            Some((
                l,
                if length(&around) <= 1.3 * length(&under) {
                    around
                } else {
                    under
                },
            ))
        })
        .collect()
}
