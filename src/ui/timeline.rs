//! Run controls (play, pause, step, restart, speed), the scrubbable timeline with the fault
//! script on it, charts of availability and requests over time, and the clusters' state.

use super::Ui;
use super::run::clock;
use crate::sim::ReplicaHealth;
use crate::sim::state::{NodeState, RoleState};
use leptos::prelude::*;

#[component]
pub fn Controls(ui: Ui) -> impl IntoView {
    let r = ui.run;
    let cannot = move || r.snap.with(Option::is_none);
    view! {
        <div class="run-controls" role="toolbar" aria-label="Run">
            <button data-testid="play" aria-label=move || if r.playing.get() { "Pause (Space)" } else { "Play (Space)" }
                title="Play or pause (Space)" prop:disabled=cannot
                on:click=move |_| r.toggle()>{move || if r.playing.get() { "❚❚ Pause" } else { "▶ Play" }}</button>
            <button data-testid="step" title="Step to the next event (N)" prop:disabled=cannot
                aria-label="Step" on:click=move |_| r.step()>"▶|"<span class="word">" Step"</span></button>
            <button data-testid="restart" title="Back to the start (Home)" prop:disabled=cannot
                aria-label="Restart" on:click=move |_| r.restart()>"⟲"<span class="word">" Restart"</span></button>
            <label class="speed"><span class="speed-word">"Speed "</span>
                <input type="range" min="0" max="1000" step="1" data-testid="speed" aria-label="Speed"
                    title=move || format!("Speed {}", speed_text(r.speed.get()))
                    prop:value=move || format!("{:.0}", r.speed_position())
                    on:input=move |ev| r.set_speed_position(event_target_value(&ev).parse().unwrap_or(333.0))/>
                <output data-testid="speed-value">{move || speed_text(r.speed.get())}</output>
            </label>
            <output class="clock" data-testid="clock" aria-label="Simulated time">{move || clock(r.now.get())}</output>
        </div>
    }
}

/// Where the timeline ends: it grows with the fault script and as the run passes its end.
fn timeline_end(ui: Ui) -> Memo<u64> {
    Memo::new(move |_| {
        ui.run.now.track();
        ui.editor.track();
        ui.run.with_player(|p| p.timeline_end())
    })
}

/// The timeline: drag to any moment (backwards replays exactly); the script's entries marked.
#[component]
pub fn Timeline(ui: Ui) -> impl IntoView {
    let r = ui.run;
    let end = timeline_end(ui);
    let marks = move || {
        let end = end.get().max(1) as f64;
        let mark = move |at: u64, class: &'static str, text: String| {
            let left = format!("left:{:.2}%", at as f64 * 100.0 / end);
            view! { <span class=format!("mark {class}") style=left title=format!("{} {text}", clock(at))></span> }
        };
        ui.editor.with(|e| {
            let s = e.scenario();
            let faults = s.faults.iter().map(|f| {
                let (_, text) = crate::sim::describe(&f.fault, f.repair);
                mark(f.at_ms, if f.repair { "repair" } else { "fault" }, text)
            });
            let ops = s
                .operations
                .iter()
                .map(|o| mark(o.at_ms, "op", crate::sim::describe_op(&o.op)));
            faults.chain(ops).collect_view()
        })
    };
    view! {
        <div class="timeline">
            <div class="marks" aria-hidden="true">{marks}</div>
            <input type="range" min="0" step="100" data-testid="timeline" aria-label="Simulated time"
                prop:max=move || end.get().to_string()
                prop:value=move || r.now.get().to_string()
                aria-valuetext=move || clock(r.now.get())
                on:input=move |ev| {
                    if let Ok(t) = event_target_value(&ev).parse::<u64>() {
                        r.seek(t);
                    }
                }/>
            <span class="end">{move || clock(end.get())}</span>
        </div>
    }
}

/// Step-function path of `(t, value)` samples in a `w` x `h` box, over the window `t0`..`t1`
/// of time by 0..`max`. The value in force at `t0` starts the line.
pub(super) fn step_path(
    points: &[(u64, f64)],
    (t0, t1): (u64, u64),
    max: f64,
    w: f64,
    h: f64,
) -> String {
    let x = |t: u64| t.saturating_sub(t0) as f64 * w / t1.saturating_sub(t0).max(1) as f64;
    // A margin keeps 0% and 100% lines inside the box.
    let y = |v: f64| h - 3.0 - (v / max.max(1e-9)).clamp(0.0, 1.0) * (h - 6.0);
    let first = points.partition_point(|p| p.0 <= t0).saturating_sub(1);
    let mut d = String::new();
    let mut last_x = f64::NEG_INFINITY;
    for (i, &(t, v)) in points.iter().enumerate().skip(first) {
        if t > t1 {
            break;
        }
        let px = x(t);
        if d.is_empty() {
            d.push_str(&format!("M{px:.1} {:.1}", y(v)));
        } else if px - last_x >= 0.5 || i + 1 == points.len() || v < points[i - 1].1 {
            // Keep every drop, and one step per half pixel otherwise.
            d.push_str(&format!("H{px:.1}V{:.1}", y(v)));
        } else {
            continue;
        }
        last_x = px;
    }
    // The last value holds to the window's end (the chart clips it at now).
    if !d.is_empty() {
        d.push_str(&format!("H{:.1}", x(t1)));
    }
    d
}

/// Each protected VM's RPO over the window `t0`..`t1` as a sawtooth path (the age of its
/// latest good copy grows with the clock and drops when a newer copy lands), and the largest
/// RPO shown (the scale, at least a minute).
pub(super) fn rpo_paths(
    m: &crate::sim::Metrics,
    (t0, t1): (u64, u64),
    w: f64,
    h: f64,
) -> (Vec<(String, String)>, u64) {
    let t1 = t1.max(t0 + 1);
    let mut max = 60_000u64;
    let mut steps: Vec<Vec<(u64, Option<i64>)>> = vec![Vec::new(); m.protected.len()];
    for &(t, k, p) in &m.copies {
        if let Some(s) = steps.get_mut(k) {
            s.push((t, p));
        }
    }
    let age = |t: u64, p: i64| (t as i64 - p).max(0) as u64;
    for s in &steps {
        for (i, &(_, p)) in s.iter().enumerate() {
            let until = s.get(i + 1).map_or(t1, |n| n.0).min(t1);
            if let Some(p) = p.filter(|_| until >= t0) {
                max = max.max(age(until, p));
            }
        }
    }
    let x = |t: u64| t.saturating_sub(t0) as f64 * w / (t1 - t0) as f64;
    let y = |a: u64| h - 3.0 - (a as f64 / max as f64).clamp(0.0, 1.0) * (h - 6.0);
    let paths = steps
        .iter()
        .zip(&m.protected)
        .map(|(s, name)| {
            let mut d = String::new();
            for (i, &(t, p)) in s.iter().enumerate() {
                let Some(p) = p else { continue };
                let from = t.max(t0);
                let until = s.get(i + 1).map_or(t1, |n| n.0).min(t1);
                if until < t0 || from > t1 {
                    continue;
                }
                d.push_str(&format!(
                    "M{:.1} {:.1}L{:.1} {:.1}",
                    x(from),
                    y(age(from, p)),
                    x(until),
                    y(age(until, p))
                ));
            }
            (name.clone(), d)
        })
        .collect();
    (paths, max)
}

/// Each tier's availability (permille) and its downtime so far (planned, unplanned ms);
/// requests served and lost, per second; each host's free memory (GB).
type Values = (
    Vec<(String, u32, (u64, u64), u64)>,
    u64,
    u64,
    Vec<(String, u64)>,
);

/// What the charts show at one moment.
fn values_at(ui: Ui, t: u64) -> Option<Values> {
    ui.run.with_player(|p| {
        let e = p.engine()?;
        let m = e.metrics();
        let s = m.at(t)?;
        let down = m.downtime_until(t);
        let lost = m.data_lost_until(t);
        let tiers = m
            .tiers
            .iter()
            .cloned()
            .zip(s.availability_permille.iter().copied())
            .zip(down)
            .zip(lost)
            .map(|(((name, a), d), l)| (name, a, d, l))
            .collect();
        let d = &e.scenario.design;
        let free = m
            .hosts
            .iter()
            .zip(&d.hosts)
            .zip(&s.host_memory_gb)
            .filter(|((_, h), _)| !d.is_azure_compute(h))
            .map(|((id, h), used)| (id.clone(), u64::from(h.memory_gb).saturating_sub(*used)))
            .collect();
        Some((tiers, s.served_rps, s.dropped_rps, free))
    })
}

/// `1.0×`, `25×`.
fn speed_text(s: f64) -> String {
    if s < 10.0 {
        format!("{s:.1}×")
    } else {
        format!("{s:.0}×")
    }
}

/// ` · down 2 min, 55 s planned` for a legend (only the parts there were), or nothing when there
/// was no downtime: short enough to sit beside the other charts' legends.
fn downtime_text((planned, unplanned): (u64, u64)) -> String {
    let fmt = crate::sim::fmt_ms;
    match (planned, unplanned) {
        (0, 0) => String::new(),
        (0, u) => format!(" · down {}", fmt(u)),
        (p, 0) => format!(" · down {} planned", fmt(p)),
        (p, u) => format!(" · down {}, {} planned", fmt(u), fmt(p)),
    }
}

/// Hosts drawn one line each in the capacity chart (more would be a smear): the ones with the
/// least free memory.
const CAPACITY_LINES: usize = 8;

#[component]
pub fn Charts(ui: Ui) -> impl IntoView {
    let r = ui.run;
    const W: f64 = 600.0;
    const H: f64 = 60.0;
    // From just before the first fault or operation to now (see `chart_window`).
    let window = Memo::new(move |_| {
        let first = ui.editor.with(|e| {
            let s = e.scenario();
            let faults = s.faults.iter().map(|f| f.at_ms);
            faults.chain(s.operations.iter().map(|o| o.at_ms)).min()
        });
        crate::editor::live::chart_window(first, r.now.get())
    });
    // The moment hovered or chosen with the keyboard; the values shown are at that time.
    let cursor = RwSignal::new(None::<u64>);
    // Paths change with the samples (on events) and the window, not on every frame.
    let series = Memo::new(move |_| {
        r.logged.track();
        let win = window.get();
        r.with_player(|p| {
            let Some(e) = p.engine() else {
                return (
                    Vec::new(),
                    String::new(),
                    String::new(),
                    Vec::new(),
                    0.0,
                    1.0,
                );
            };
            let m = e.metrics();
            let tiers = m
                .tiers
                .iter()
                .enumerate()
                .map(|(i, name)| {
                    let pts: Vec<(u64, f64)> = m
                        .samples
                        .iter()
                        .map(|s| {
                            (
                                s.t_ms,
                                f64::from(s.availability_permille.get(i).copied().unwrap_or(0)),
                            )
                        })
                        .collect();
                    (name.clone(), step_path(&pts, win, 1000.0, W, H))
                })
                .collect::<Vec<_>>();
            let max = m
                .samples
                .iter()
                .map(|s| s.served_rps + s.dropped_rps)
                .max()
                .unwrap_or(0)
                .max(1);
            let served: Vec<(u64, f64)> = m
                .samples
                .iter()
                .map(|s| (s.t_ms, s.served_rps as f64))
                .collect();
            let dropped: Vec<(u64, f64)> = m
                .samples
                .iter()
                .map(|s| (s.t_ms, s.dropped_rps as f64))
                .collect();
            // Capacity: each host's free memory against the largest VM, which must fit somewhere
            // for the cluster to take a failure (the N+1 reserve).
            let d = &e.scenario.design;
            // Azure's compute is not a host of the design: its capacity is not the design's.
            let own = |h: &usize| !d.is_azure_compute(&d.hosts[*h]);
            let total = d
                .hosts
                .iter()
                .filter(|h| !d.is_azure_compute(h))
                .map(|h| u64::from(h.memory_gb))
                .max()
                .unwrap_or(1)
                .max(1);
            let free_of = |h: usize, s: &crate::sim::Sample| {
                u64::from(d.hosts[h].memory_gb)
                    .saturating_sub(s.host_memory_gb.get(h).copied().unwrap_or(0))
            };
            let mut hosts: Vec<usize> = (0..d.hosts.len()).filter(own).collect();
            hosts.sort_by_key(|&h| {
                (
                    m.samples.iter().map(|s| free_of(h, s)).min().unwrap_or(0),
                    h,
                )
            });
            hosts.truncate(CAPACITY_LINES);
            let free = hosts
                .into_iter()
                .map(|h| {
                    let pts: Vec<(u64, f64)> = m
                        .samples
                        .iter()
                        .map(|s| (s.t_ms, free_of(h, s) as f64))
                        .collect();
                    (
                        d.hosts[h].id.clone(),
                        step_path(&pts, win, total as f64, W, H),
                    )
                })
                .collect::<Vec<_>>();
            let largest = d
                .vms
                .iter()
                .map(|v| u64::from(v.memory_gb))
                .max()
                .unwrap_or(0);
            let y_largest = H - 3.0 - (largest as f64 / total as f64).clamp(0.0, 1.0) * (H - 6.0);
            (
                tiers,
                step_path(&served, win, max as f64, W, H),
                step_path(&dropped, win, max as f64, W, H),
                free,
                y_largest,
                largest as f64,
            )
        })
    });
    // Recovery point age of each protected VM (replicas, backups): only when there are some.
    let rpo = Memo::new(move |_| {
        r.logged.track();
        let (t0, _) = window.get();
        let now = r.now.get();
        r.with_player(|p| {
            p.engine()
                .map(|e| rpo_paths(e.metrics(), (t0, now.max(t0 + 1)), W, H))
                .unwrap_or_default()
        })
    });
    let rpo_legend = move || {
        let t = cursor.get().unwrap_or_else(|| r.now.get());
        r.with_player(|p| {
            let Some(e) = p.engine() else {
                return Vec::new();
            };
            let m = e.metrics();
            m.protected
                .iter()
                .zip(m.rpo_at(t))
                .enumerate()
                .map(|(i, (vm, age))| {
                    let age = age.map_or("no good copy".into(), crate::sim::fmt_ms);
                    view! { <span class=format!("legend tier-{}", i % 8)>{format!("■ {vm} {age}")}</span> }
                })
                .collect::<Vec<_>>()
        })
    };
    let x_of = move |t: u64| {
        let (t0, t1) = window.get();
        t.saturating_sub(t0) as f64 * W / t1.saturating_sub(t0).max(1) as f64
    };
    let now_x = move || x_of(r.now.get());
    let shown = move || cursor.get().unwrap_or_else(|| r.now.get());
    // Read once a frame for the legends of both charts.
    let values = Memo::new(move |_| values_at(ui, shown()));
    let when = move || {
        cursor
            .get()
            .map(|t| format!("at {} ", clock(t)))
            .unwrap_or_default()
    };
    let legend = move || {
        values.get()
            .map(|v| v.0)
            .unwrap_or_default()
            .into_iter()
            .enumerate()
            .map(|(i, (t, a, down, lost))| {
                let pct = f64::from(a) / 10.0;
                let lost = if lost > 0 { format!(" · {} data lost", crate::sim::fmt_ms(lost)) } else { String::new() };
                view! { <span class=format!("legend tier-{}", i % 8)>{format!("■ {t} {pct}%{}{lost}", downtime_text(down))}</span> }
            })
            .collect_view()
    };
    // Hover: the time under the pointer. Focus: now, then arrow keys move by 1 s (Shift: 10 s).
    let hover = move |ev: web_sys::PointerEvent| {
        let Some(el) = ev
            .current_target()
            .and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(t).ok())
        else {
            return;
        };
        let b = el.get_bounding_client_rect();
        let f = ((f64::from(ev.client_x()) - b.left()) / b.width().max(1.0)).clamp(0.0, 1.0);
        let (t0, t1) = window.get_untracked();
        cursor.set(Some(t0 + (f * t1.saturating_sub(t0) as f64) as u64));
    };
    let keys = move |ev: web_sys::KeyboardEvent| {
        let step = if ev.shift_key() { 10_000 } else { 1_000 };
        let now = cursor
            .get_untracked()
            .unwrap_or_else(|| r.now.get_untracked());
        let t = match ev.key().as_str() {
            "ArrowLeft" => now.saturating_sub(step),
            "ArrowRight" => now + step,
            "Escape" => return cursor.set(None),
            _ => return,
        };
        ev.prevent_default();
        ev.stop_propagation();
        cursor.set(Some(t));
    };
    let cursor_line = move || {
        cursor.get().map(|t| {
            let x = x_of(t);
            view! { <line class="cursor" x1=x y1="0" x2=x y2=H/> }
        })
    };
    // One plot: its series clipped at now, the now line, the cursor; hover and keys read it.
    let plot = move |testid: &'static str,
                     what: &'static str,
                     clip: &'static str,
                     series: AnyView| {
        view! {
            <svg viewBox=format!("0 0 {W} {H}") preserveAspectRatio="none" role="img" tabindex="0" data-testid=testid
                aria-label=format!("{what}; arrow keys read earlier and later values")
                on:pointermove=hover on:pointerleave=move |_| cursor.set(None)
                on:focus=move |_| cursor.set(Some(r.now.get_untracked())) on:blur=move |_| cursor.set(None) on:keydown=keys>
                <clipPath id=clip><rect x="0" y="0" width=now_x height=H/></clipPath>
                <g clip-path=format!("url(#{clip})")>{series}</g>
                <line class="now" x1=now_x y1="0" x2=now_x y2=H/>
                {cursor_line}
            </svg>
        }
    };
    let axis = move || {
        let (t0, t1) = window.get();
        view! { <div class="axis" aria-hidden="true"><span>{clock(t0)}</span><span>{clock(t1)}</span></div> }
    };
    view! {
        <div class="charts">
            <figure class="chart" data-testid="chart-availability">
                <figcaption>"Availability "<span class="when" data-testid="chart-when">{when}</span>{legend}
                    {move || ui.twin.on_chart().then(|| view! { <span class="legend">"- - design B"</span> })}</figcaption>
                {plot("chart-availability-plot", "Availability of each service over time", "upto-now-a", view! {
                    {move || series.with(|s| s.0.iter().enumerate().map(|(i, (name, d))| view! {
                        <path class=format!("series tier-{}", i % 8) d=d.clone()><title>{name.clone()}</title></path>
                    }).collect_view())}
                    // Design B side by side: its tiers dashed over A's.
                    {move || ui.twin.availability(window.get(), W, H).into_iter().enumerate().map(|(i, (name, d))| view! {
                        <path class=format!("series twin-series tier-{}", i % 8) data-testid="twin-series" d=d><title>{format!("B: {name}")}</title></path>
                    }).collect_view()}
                }.into_any())}
                {axis}
            </figure>
            <figure class="chart" data-testid="chart-requests">
                <figcaption>"Requests/s "<span class="when">{when}</span><span class="legend served">{move || values.with(|v| v.as_ref().map(|l| format!("■ served {}", l.1)).unwrap_or_default())}</span>
                    <span class="legend dropped">{move || values.with(|v| v.as_ref().map(|l| format!("■ lost {}", l.2)).unwrap_or_default())}</span></figcaption>
                {plot("chart-requests-plot", "Requests served and dropped over time", "upto-now-r", view! {
                    <path class="series served" d=move || series.with(|s| s.1.clone())/>
                    <path class="series dropped" d=move || series.with(|s| s.2.clone())/>
                }.into_any())}
                {axis}
            </figure>
            <figure class="chart" data-testid="chart-capacity">
                <figcaption>"Free memory "<span class="when">{when}</span>
                    <span class="legend largest">{move || series.with(|s| format!("- - largest VM {} GB", s.5))}</span>
                    <span class="legend free" data-testid="capacity-legend">{move || values.with(|v| v.as_ref().map(|l| {
                        let low = l.3.iter().min_by_key(|h| h.1);
                        low.map(|(id, gb)| format!("least free: {id} {gb} GB")).unwrap_or_default()
                    }).unwrap_or_default())}</span></figcaption>
                {plot("chart-capacity-plot", "Free memory of each host over time, against the largest VM", "upto-now-c", view! {
                    {move || series.with(|s| s.3.iter().enumerate().map(|(i, (id, d))| view! {
                        <path class=format!("series host-line tier-{}", i % 8) d=d.clone()><title>{id.clone()}</title></path>
                    }).collect_view())}
                    <line class="largest-vm" x1="0" x2=W y1=move || series.with(|s| s.4) y2=move || series.with(|s| s.4)/>
                }.into_any())}
                {axis}
            </figure>
            {move || rpo.with(|(paths, max)| (!paths.is_empty()).then(|| {
                let max = crate::sim::fmt_ms(*max);
                view! {
                    <figure class="chart" data-testid="chart-rpo">
                        <figcaption>"Recovery point age "<span class="when">{when}</span>{rpo_legend}
                            <span class="legend scale">{format!("top {max}")}</span></figcaption>
                        {plot("chart-rpo-plot", "Age of each protected VM's latest good copy over time: what a disaster would lose", "upto-now-p", view! {
                            {move || rpo.with(|(paths, _)| paths.iter().enumerate().map(|(i, (vm, d))| view! {
                                <path class=format!("series tier-{}", i % 8) d=d.clone()><title>{vm.clone()}</title></path>
                            }).collect_view())}
                        }.into_any())}
                        {axis}
                    </figure>
                }
            }))}
        </div>
    }
}

/// Each cluster's membership, votes and quorum; guest roles; NLB convergence.
#[component]
pub fn Clusters(ui: Ui) -> impl IntoView {
    let rows = move || {
        ui.run.snap.with(|s| {
            let Some(s) = s else { return Vec::new() };
            let mut out: Vec<(String, String, String, bool)> = s
                .clusters
                .iter()
                .map(|c| {
                    let up = c.nodes.iter().filter(|n| n.state == NodeState::Up).count();
                    let mut text = format!(
                        "{up} of {} nodes up · {}{} · {}",
                        c.nodes.len(),
                        crate::editor::live::votes(c.votes_total),
                        if c.witness_vote { " incl. witness" } else { "" },
                        if c.has_quorum {
                            "has quorum"
                        } else {
                            "NO QUORUM"
                        }
                    );
                    if let Some(role) = c.role {
                        let name =
                            |o: usize| c.nodes.get(o).map_or("?", |n| n.id.as_str()).to_string();
                        text.push_str(&match role {
                            RoleState::Online { owner } => {
                                format!(" · role online on {}", name(owner))
                            }
                            RoleState::Starting { owner, .. } => {
                                format!(" · role starting on {}", name(owner))
                            }
                            RoleState::Offline => " · role OFFLINE".to_string(),
                        });
                    }
                    (c.id.clone(), c.id.clone(), text, c.has_quorum)
                })
                .collect();
            for n in &s.nlbs {
                let members = n
                    .members
                    .iter()
                    .filter(|m| m.buckets > 0)
                    .map(|m| format!("{} {}", m.vm, m.buckets))
                    .collect::<Vec<_>>()
                    .join(", ");
                let text = if n.stuck {
                    "cannot converge: duplicate host priority".to_string()
                } else if n.converging {
                    format!("converging… buckets: {members}")
                } else {
                    format!("converged · buckets: {members}")
                };
                out.push((n.id.clone(), n.id.clone(), text, !n.converging));
            }
            // Hyper-V Replica: each replica's recovery point age (the RPO) and health.
            for r in &s.replicas {
                let health = match r.health {
                    ReplicaHealth::Normal => "Normal",
                    ReplicaHealth::Warning => "WARNING",
                    ReplicaHealth::Critical => "CRITICAL",
                };
                let mut text = format!(
                    "replica on {} · recovery point {} old · {health}{}",
                    r.to,
                    crate::sim::fmt_ms(r.rpo_ms),
                    if r.sending_since.is_some() {
                        " · sending"
                    } else {
                        ""
                    }
                );
                if r.failed_over {
                    text.push_str(" · failed over");
                }
                if let Some(t) = &r.testing {
                    text.push_str(&format!(" · test: {t}"));
                }
                out.push((
                    r.vm.clone(),
                    r.vm.clone(),
                    text,
                    r.health == ReplicaHealth::Normal,
                ));
            }
            // Backups: the age of the latest good restore point, what was lost, a restore.
            for b in &s.backups {
                let point = b.rpo_ms.map_or("no good restore point".to_string(), |ms| {
                    format!("latest good point {} old", crate::sim::fmt_ms(ms))
                });
                let mut text = format!(
                    "backups in {} · {point} · {} of {} points good",
                    b.repository, b.good_points, b.points
                );
                if let Some(lost) = &b.lost {
                    text = format!("{} · {text}", lost.to_uppercase());
                }
                if let Some(r) = &b.restoring {
                    text.push_str(&format!(" · restore: {r}"));
                }
                let ok = b.lost.is_none() && b.good_points > 0;
                out.push((
                    format!("backup-{}-{}", b.vm, b.repository),
                    b.vm.clone(),
                    text,
                    ok,
                ));
            }
            out
        })
    };
    view! {
        <section class="cluster-state" aria-label="Clusters">
            <h2>{move || ui.run.snap.with(|s| match s {
                Some(s) if !s.backups.is_empty() => "Clusters and recovery",
                Some(s) if !s.replicas.is_empty() => "Clusters and replicas",
                _ => "Clusters",
            })}</h2>
            <ul data-testid="cluster-state">
                {move || rows().into_iter().map(|(key, id, text, ok)| view! {
                    <li class:alarm=!ok data-testid=format!("state-{key}")><strong>{id}</strong>" "{text}</li>
                }).collect_view()}
            </ul>
        </section>
    }
}
