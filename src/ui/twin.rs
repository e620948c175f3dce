//! Two designs side by side in Simulate mode: design B (chosen in Analyze's comparison) runs the
//! open design's fault script and operations, and its canvas follows the one timeline: every
//! moment shown for A is shown for B. B's canvas is a picture only (it takes no clicks or keys);
//! its tiers' availability at that moment is written over it, beside A's charts.

use super::Ui;
use crate::editor::live::{self, Live};
use crate::editor::scene;
use crate::model::Scenario;
use crate::sim::player::Player;
use leptos::prelude::*;

/// Each tier's name and its availability samples (t, per mille).
type TierSeries = Vec<(String, Vec<(u64, f64)>)>;

/// The side-by-side state: on or off, and B's own player.
#[derive(Clone, Copy)]
pub struct Twin {
    pub on: RwSignal<bool>,
    player: StoredValue<Option<Player>, LocalStorage>,
    /// B's picture at the moment shown, its availability line, and the box around its design.
    picture: RwSignal<Option<(Live, String, scene::Rect)>, LocalStorage>,
    /// Script entries of A that name what B does not have (left out of B's run).
    pub left_out: RwSignal<usize>,
    /// B's tiers and their availability samples (t, per mille) up to the moment shown.
    samples: RwSignal<TierSeries, LocalStorage>,
}

impl Default for Twin {
    fn default() -> Twin {
        Twin {
            on: RwSignal::new(false),
            player: StoredValue::new_local(None),
            picture: RwSignal::new_local(None),
            left_out: RwSignal::new(0),
            samples: RwSignal::new_local(Vec::new()),
        }
    }
}

impl Twin {
    /// Whether B's series are drawn on A's availability chart.
    pub fn on_chart(&self) -> bool {
        self.samples.with(|s| !s.is_empty())
    }

    /// B's availability paths for A's chart (its window and size), empty unless side by side.
    pub fn availability(&self, window: (u64, u64), w: f64, h: f64) -> Vec<(String, String)> {
        self.samples.with(|tiers| {
            tiers
                .iter()
                .map(|(name, pts)| {
                    let d = super::timeline::step_path(pts, window, 1000.0, w, h);
                    (name.clone(), d)
                })
                .collect()
        })
    }

    /// The moment B's run shows, and the faults it runs (for tests).
    pub fn shown(&self) -> Option<(u64, usize)> {
        self.player
            .with_value(|p| p.as_ref().map(|p| (p.now(), p.scenario().faults.len())))
    }
}

/// B's design under A's script: the entries that name something B lacks are left out (counted).
pub fn under_script(b: &Scenario, a: &Scenario) -> (Scenario, usize) {
    let mut s = b.clone();
    s.faults.clear();
    s.operations.clear();
    let mut left_out = 0;
    for f in &a.faults {
        let mut t = s.clone();
        t.faults.push(f.clone());
        if t.is_runnable() {
            s.faults.push(f.clone());
        } else {
            left_out += 1;
        }
    }
    for o in &a.operations {
        let mut t = s.clone();
        t.operations.push(o.clone());
        if t.is_runnable() {
            s.operations.push(o.clone());
        } else {
            left_out += 1;
        }
    }
    (s, left_out)
}

/// Keeps B's run at A's moment while side by side is on.
pub fn follow(ui: Ui) {
    let twin = ui.twin;
    // B under A's script, made again only when either design or the script changes.
    let scripted = Memo::new(move |_| {
        if !twin.on.get() {
            return None;
        }
        let b = ui
            .analysis
            .other
            .with(|o| o.as_ref().map(|o| o.scenario.clone()))?;
        Some(ui.editor.with(|e| under_script(&b, e.scenario())))
    });
    Effect::new(move |_| {
        let shown = ui.run.mode.get() == super::run::Mode::Simulate;
        let Some((scenario, left_out)) = scripted.get().filter(|_| shown) else {
            twin.picture.set(None);
            twin.samples.set(Vec::new());
            return;
        };
        twin.left_out.set(left_out);
        let now = ui.run.now.get();
        let rows = super::run::rows_per_host(ui.view.with(|v| v.scale));
        // Every box and cluster outline of B's design, as A's fit frames A's.
        let d = &scenario.design;
        let items = scene::items(d);
        let outlines = d
            .clusters
            .iter()
            .filter_map(|c| scene::outline(&items, &c.nodes, 14.0));
        let whole =
            scene::union(items.iter().map(|i| i.rect).chain(outlines)).unwrap_or(scene::Rect {
                x: 0.0,
                y: 0.0,
                w: 800.0,
                h: 600.0,
            });
        let picture = twin.player.try_update_value(|p| {
            let p = p.get_or_insert_with(|| Player::new(&scenario));
            p.load(&scenario);
            p.seek(now);
            p.engine().map(|e| {
                let snap = e.snapshot();
                let m = e.metrics();
                let series = m
                    .tiers
                    .iter()
                    .enumerate()
                    .map(|(i, t)| {
                        let pts = m
                            .samples
                            .iter()
                            .map(|s| {
                                let a = s.availability_permille.get(i).copied().unwrap_or(0);
                                (s.t_ms, f64::from(a))
                            })
                            .collect();
                        (t.clone(), pts)
                    })
                    .collect::<Vec<_>>();
                let line = m
                    .tiers
                    .iter()
                    .enumerate()
                    .map(|(i, t)| {
                        let a = m
                            .at(now)
                            .and_then(|s| s.availability_permille.get(i).copied())
                            .unwrap_or(1000);
                        format!("{t} {}%", a / 10)
                    })
                    .collect::<Vec<_>>()
                    .join(" · ");
                (
                    (live::live(&scenario.design, &snap, rows), line, whole),
                    series,
                )
            })
        });
        match picture.flatten() {
            Some((picture, series)) => {
                twin.samples.set(series);
                twin.picture.set(Some(picture));
            }
            None => {
                twin.samples.set(Vec::new());
                twin.picture.set(None);
            }
        }
    });
}

/// The switch beside the run's panels, once a design B is chosen (in Analyze).
#[component]
pub fn Toggle(ui: Ui) -> impl IntoView {
    let has_b = move || ui.analysis.other.with(Option::is_some);
    view! {
        <Show when=has_b>
            <label class="twin-toggle" title="Run design B under this script beside this one, on the same timeline">
                <input type="checkbox" data-testid="twin-toggle" prop:checked=move || ui.twin.on.get()
                    on:change=move |ev| ui.twin.on.set(event_target_checked(&ev))/>
                " Side by side with design B"
            </label>
        </Show>
    }
}

/// B's canvas, fitted to its design, beside A's.
#[component]
pub fn TwinCanvas(ui: Ui) -> impl IntoView {
    let twin = ui.twin;
    let name = move || {
        ui.analysis
            .other
            .with(|o| o.as_ref().map(|o| o.scenario.name.clone()))
            .unwrap_or_default()
    };
    let live = Memo::new(move |_| {
        twin.picture
            .with(|p| p.as_ref().map(|(l, _, _)| l.clone()))
            .unwrap_or_default()
    });
    let view_box = move || {
        twin.picture.with(|p| {
            p.as_ref().map_or("0 0 800 600".to_string(), |(_, _, b)| {
                format!(
                    "{} {} {} {}",
                    b.x - 40.0,
                    b.y - 50.0,
                    b.w + 80.0,
                    b.h + 100.0
                )
            })
        })
    };
    // A's canvas changes width as B's appears or goes: frame A again.
    Effect::new(move |before: Option<bool>| {
        let showing = twin.picture.with(Option::is_some);
        if before.is_some_and(|b| b != showing) {
            request_animation_frame(move || super::canvas::fit(ui));
        }
        showing
    });
    view! {
        <Show when=move || twin.picture.with(Option::is_some)>
            <section class="twin" inert aria-label="Design B at the same moment" data-testid="twin">
                <p class="twin-title">
                    <strong>"B: "{name}</strong>
                    <span data-testid="twin-availability">{move || twin.picture.with(|p| p.as_ref().map(|(_, line, _)| line.clone()))}</span>
                    {move || (twin.left_out.get() > 0).then(|| view! {
                        <em>{format!("{} script entries name what B lacks and are left out", twin.left_out.get())}</em>
                    })}
                </p>
                <svg class="canvas twin-canvas" viewBox=view_box preserveAspectRatio="xMidYMid meet">
                    <super::stage::Stage ui=ui live=live/>
                </svg>
            </section>
        </Show>
    }
}
