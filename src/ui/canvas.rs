//! The SVG canvas: draws the scene, turns pointer events into tool transitions, zooms and pans.
//! Client coordinates go through the SVG's screen transform, so zoom and pan stay exact.

use super::{Ui, View, svg_element};
#[cfg(feature = "simulate")]
use crate::editor::live::{self, Live};

/// The picture of the run the canvas draws (nothing without the simulator).
#[cfg(feature = "simulate")]
type LiveMemo = Memo<Live>;
#[cfg(not(feature = "simulate"))]
type LiveMemo = NoRun;

/// Stands in for the run's picture in the first-load build.
#[cfg(not(feature = "simulate"))]
#[derive(Clone, Copy)]
struct NoRun;
use crate::editor::route;
use crate::editor::scene::{self, Item, ItemKind, Rect};
use crate::editor::tool::Tool;
use crate::model::validate::{Problem, Severity};
use crate::model::{Design, StorageKind, display_name};
use leptos::prelude::*;
use std::collections::HashMap;

/// One drawn item with everything its drawing shows (its debug text is its identity for `For`).
#[derive(Clone, Debug, PartialEq)]
struct Drawn {
    item: Item,
    class: &'static str,
    icon: &'static str,
    title: String,
    sub: String,
    /// VM rows: the colour class of the first NIC's VLAN.
    vlan: Option<String>,
    problem: Option<(Severity, String)>,
}

fn drawn(d: &Design, problems: &[crate::model::validate::Problem]) -> Vec<Drawn> {
    let items = scene::items(d);
    let vlans = super::vlan::ids(d);
    items
        .into_iter()
        .map(|item| {
            let id = item.id.as_str();
            let mut vlan = None;
            let (class, title, sub) = match item.kind {
                ItemKind::Host => {
                    let h = d
                        .hosts
                        .iter()
                        .find(|h| h.id == id)
                        .expect("drawn from the design");
                    let used: u32 = d
                        .vms
                        .iter()
                        .map(|v| {
                            v.memory_gb
                                * (0..v.replicas as usize)
                                    .filter(|k| {
                                        v.hosts.get(k % v.hosts.len().max(1)) == Some(&h.id)
                                    })
                                    .count() as u32
                        })
                        .sum();
                    let guarded = if h.guarded { " · guarded" } else { "" };
                    (
                        "host",
                        display_name(&h.name, &h.id).to_string(),
                        format!(
                            "{} GB of {} GB · {} LP{guarded}",
                            used, h.memory_gb, h.cpu_cores
                        ),
                    )
                }
                ItemKind::Vm => {
                    let v = d
                        .vms
                        .iter()
                        .find(|v| v.id == id)
                        .expect("drawn from the design");
                    // The NLB and guest cluster outlines say what groups it; the tier only
                    // when it is not the name.
                    let mut tags = Vec::new();
                    if item.count > 1 {
                        tags.push(format!("x{}", item.count));
                    }
                    if let Some(t) = v
                        .tier
                        .as_ref()
                        .filter(|t| **t != display_name(&v.name, &v.id))
                    {
                        tags.push(t.clone());
                    }
                    if v.shielded {
                        tags.push("shielded".into());
                    }
                    if let Some(tag) = v.nics.iter().find_map(|n| n.vlan) {
                        tags.push(format!("VLAN {tag}"));
                        vlan = Some(super::vlan::class(&vlans, tag));
                    }
                    (
                        "vm",
                        display_name(&v.name, &v.id).to_string(),
                        tags.join(" · "),
                    )
                }
                ItemKind::Switch => {
                    let s = d
                        .switches
                        .iter()
                        .find(|s| s.id == id)
                        .expect("drawn from the design");
                    (
                        "switch",
                        display_name(&s.name, &s.id).to_string(),
                        format!("{:?} switch", s.kind).to_ascii_lowercase(),
                    )
                }
                ItemKind::Storage => {
                    let s = d
                        .storage
                        .iter()
                        .find(|s| s.id == id)
                        .expect("drawn from the design");
                    let kind = match s.kind {
                        StorageKind::Local => "local disk",
                        StorageKind::San => "SAN LUN",
                        StorageKind::Smb => "SMB share",
                        StorageKind::Csv => "CSV",
                    };
                    (
                        "storage",
                        display_name(&s.name, &s.id).to_string(),
                        kind.to_string(),
                    )
                }
                ItemKind::Client => {
                    let c = d
                        .clients
                        .iter()
                        .find(|c| c.id == id)
                        .expect("drawn from the design");
                    (
                        "client",
                        display_name(&c.name, &c.id).to_string(),
                        format!("{} rps → {}", c.requests_per_second, c.tier),
                    )
                }
            };
            let icon = scene::icon(d, &item);
            let problem = problems
                .iter()
                .filter(|p| p.subjects.first().map(String::as_str) == Some(id))
                .min_by_key(|p| p.severity)
                .map(|p| (p.severity, p.message.clone()));
            Drawn {
                item,
                class,
                icon,
                title,
                sub,
                vlan,
                problem,
            }
        })
        .collect()
}

/// SVG user-space point of a client position.
fn svg_point(client: (f64, f64)) -> Option<(f64, f64)> {
    let svg = svg_element()?;
    let m = svg.get_screen_ctm()?.inverse().ok()?;
    let (x, y) = client;
    Some((
        m.a() as f64 * x + m.c() as f64 * y + m.e() as f64,
        m.b() as f64 * x + m.d() as f64 * y + m.f() as f64,
    ))
}

/// Canvas point of a client position, through the view's zoom and pan.
pub fn to_canvas(ui: Ui, client: (f64, f64)) -> Option<(f64, f64)> {
    let (x, y) = svg_point(client)?;
    let v = ui.view.get_untracked();
    Some(((x - v.tx) / v.scale, (y - v.ty) / v.scale))
}

fn svg_size() -> (f64, f64) {
    svg_element()
        .map(|s| (s.client_width() as f64, s.client_height() as f64))
        .unwrap_or((800.0, 600.0))
}

/// Zooms by `factor` keeping the SVG point `at` still.
fn zoom_at(ui: Ui, factor: f64, at: (f64, f64)) {
    ui.view.update(|v| {
        let scale = (v.scale * factor).clamp(0.05, 4.0);
        let k = scale / v.scale;
        *v = View {
            scale,
            tx: at.0 - (at.0 - v.tx) * k,
            ty: at.1 - (at.1 - v.ty) * k,
        };
    });
}

pub fn zoom_by(ui: Ui, factor: f64) {
    let (w, h) = svg_size();
    zoom_at(ui, factor, (w / 2.0, h / 2.0));
}

/// Shows the whole design.
pub fn fit(ui: Ui) {
    // Every box, and the outlines and regions drawn around them.
    let (whole, sites) = ui.editor.with_untracked(|e| {
        let d = &e.scenario().design;
        let items = scene::items(d);
        let outlines = d
            .clusters
            .iter()
            .filter_map(|c| scene::outline(&items, &c.nodes, 14.0));
        let whole = scene::union(items.iter().map(|i| i.rect).chain(outlines));
        (whole, !d.sites.is_empty())
    });
    let Some(b) = whole else {
        return;
    };
    let pad = if sites { 70.0 } else { 0.0 };
    let b = Rect {
        x: b.x - pad,
        y: b.y - pad,
        w: b.w + 2.0 * pad,
        h: b.h + 2.0 * pad,
    };
    let (w, h) = svg_size();
    let scale = ((w - 24.0) / b.w).min((h - 24.0) / b.h).clamp(0.05, 1.5);
    ui.view.set(View {
        scale,
        tx: (w - b.w * scale) / 2.0 - b.x * scale,
        ty: (h - b.h * scale) / 2.0 - b.y * scale,
    });
}

fn client_of(ev: &web_sys::PointerEvent) -> (f64, f64) {
    (ev.client_x() as f64, ev.client_y() as f64)
}

#[component]
pub fn Canvas(ui: Ui) -> impl IntoView {
    let problems = Memo::new(move |_| ui.editor.with(|e| e.problems()));
    let shapes = Memo::new(move |_| {
        ui.editor
            .with(|e| problems.with(|p| drawn(&e.scenario().design, p)))
    });
    let items =
        Memo::new(move |_| shapes.with(|s| s.iter().map(|d| d.item.clone()).collect::<Vec<_>>()));
    // The picture of the run, rebuilt when the moment shown or the zoom band changes.
    let live = live_picture(ui);
    // Pointers down on the canvas (screen points): two make a pinch.
    let pointers = StoredValue::new(HashMap::<i32, (f64, f64)>::new());
    let last_pan = StoredValue::new(None::<(f64, f64)>);

    let on_down = move |ev: web_sys::PointerEvent| {
        if ev.button() > 0 && ev.pointer_type() == "mouse" && ev.button() != 1 {
            return;
        }
        let client = client_of(&ev);
        pointers.update_value(|p| {
            p.insert(ev.pointer_id(), client);
        });
        if let Some(svg) = svg_element() {
            let _ = svg.set_pointer_capture(ev.pointer_id());
        }
        if pointers.with_value(|p| p.len()) >= 2 {
            ui.tool.set(Tool::Panning);
            return;
        }
        let Some(p) = to_canvas(ui, client) else {
            return;
        };
        last_pan.set_value(svg_point(client));
        if super::run::running(ui) {
            run_pick(ui, live, p, ev.shift_key());
            return;
        }
        let selection = ui.editor.with_untracked(|e| e.selection.clone());
        let mut fx = Vec::new();
        ui.tool.update(|t| {
            fx = items.with_untracked(|i| {
                t.down(
                    i,
                    p,
                    ev.shift_key(),
                    ev.alt_key() || ev.button() == 1 || ui.connect_mode.get_untracked(),
                    &selection,
                )
            })
        });
        ui.run(fx);
    };
    let on_move = move |ev: web_sys::PointerEvent| {
        let client = client_of(&ev);
        let before = pointers.with_value(|p| p.clone());
        if !before.contains_key(&ev.pointer_id()) {
            return;
        }
        pointers.update_value(|p| {
            p.insert(ev.pointer_id(), client);
        });
        if before.len() >= 2 {
            // Pinch: zoom by the change of distance, about the midpoint.
            let after = pointers.with_value(|p| p.clone());
            let pair = |m: &HashMap<i32, (f64, f64)>| {
                let mut v: Vec<_> = m.iter().collect();
                v.sort_by_key(|(id, _)| **id);
                (*v[0].1, *v[1].1)
            };
            let ((a0, b0), (a1, b1)) = (pair(&before), pair(&after));
            let d0 = ((a0.0 - b0.0).powi(2) + (a0.1 - b0.1).powi(2))
                .sqrt()
                .max(1.0);
            let d1 = ((a1.0 - b1.0).powi(2) + (a1.1 - b1.1).powi(2))
                .sqrt()
                .max(1.0);
            if let Some(mid) = svg_point(((a1.0 + b1.0) / 2.0, (a1.1 + b1.1) / 2.0)) {
                zoom_at(ui, d1 / d0, mid);
            }
            return;
        }
        if super::run::running(ui)
            && let Some(p) = to_canvas(ui, client)
            && run_drag(ui, live, p)
        {
            return;
        }
        if ui.tool.with_untracked(|t| *t == Tool::Panning) {
            if let (Some(now), Some(prev)) = (svg_point(client), last_pan.get_value()) {
                ui.view.update(|v| {
                    v.tx += now.0 - prev.0;
                    v.ty += now.1 - prev.1;
                });
                last_pan.set_value(Some(now));
            }
            return;
        }
        if let Some(p) = to_canvas(ui, client) {
            let selection = ui.editor.with_untracked(|e| e.selection.clone());
            ui.tool.update(|t| t.moved(p, &selection));
        }
    };
    let on_up = move |ev: web_sys::PointerEvent| {
        pointers.update_value(|p| {
            p.remove(&ev.pointer_id());
        });
        if ui
            .tool
            .with_untracked(|t| matches!(t, Tool::Placing { .. }))
        {
            return; // the window listener finishes palette drops
        }
        if super::run::running(ui) {
            ui.tool.set(Tool::Idle);
            run_drop(ui);
            return;
        }
        let p = to_canvas(ui, client_of(&ev));
        let mut fx = Vec::new();
        ui.tool
            .update(|t| fx = items.with_untracked(|i| t.up(i, p)));
        ui.run(fx);
    };
    let on_menu = move |ev: web_sys::MouseEvent| {
        if super::run::running(ui) {
            run_menu(ui, live, &ev);
        }
    };
    let on_cancel = move |ev: web_sys::PointerEvent| {
        pointers.update_value(|p| {
            p.remove(&ev.pointer_id());
        });
        if !ui
            .tool
            .with_untracked(|t| matches!(t, Tool::Placing { .. }))
        {
            ui.tool.update(Tool::cancel);
        }
    };
    let on_wheel = move |ev: web_sys::WheelEvent| {
        ev.prevent_default();
        if let Some(at) = svg_point((ev.client_x() as f64, ev.client_y() as f64)) {
            zoom_at(ui, (-ev.delta_y() * 0.0015).exp(), at);
        }
    };
    // Palette drags start outside the canvas: follow and finish them at the window.
    let placing_move = window_event_listener(leptos::ev::pointermove, move |ev| {
        if ui
            .tool
            .with_untracked(|t| matches!(t, Tool::Placing { .. }))
            && let Some(p) = inside_canvas(&ev)
                .then(|| to_canvas(ui, client_of(&ev)))
                .flatten()
        {
            ui.tool.update(|t| t.moved(p, &[]));
        }
    });
    let placing_up = window_event_listener(leptos::ev::pointerup, move |ev| {
        if ui
            .tool
            .with_untracked(|t| matches!(t, Tool::Placing { .. }))
        {
            let p = inside_canvas(&ev)
                .then(|| to_canvas(ui, client_of(&ev)))
                .flatten();
            let mut fx = Vec::new();
            ui.tool
                .update(|t| fx = items.with_untracked(|i| t.up(i, p)));
            ui.run(fx);
        }
    });
    on_cleanup(move || {
        placing_move.remove();
        placing_up.remove();
    });

    let (clusters, groups) = outlines(ui, items, problems);
    let routes = Memo::new(move |_| {
        ui.editor
            .with(|e| items.with(|i| cable_routes(&e.scenario().design, i)))
    });
    let transform = move || {
        ui.view
            .with(|v| format!("translate({:.2} {:.2}) scale({:.4})", v.tx, v.ty, v.scale))
    };
    view! {
        <main class="canvas-wrap">
            <svg class="canvas" data-testid="canvas" role="application" aria-label="Design canvas: drag components, Alt-drag to connect"
                on:pointerdown=on_down on:pointermove=on_move on:pointerup=on_up
                on:pointercancel=on_cancel on:lostpointercapture=on_cancel on:wheel=on_wheel
                on:contextmenu=on_menu>
                <defs inner_html=super::icons::symbols()></defs>
                <defs>
                    <pattern id="grid" width="20" height="20" patternUnits="userSpaceOnUse">
                        <path d="M 20 0 L 0 0 0 20" class="grid-line"/>
                    </pattern>
                </defs>
                <g transform=transform>
                    <rect class="grid" x="-10000" y="-10000" width="20000" height="20000" fill="url(#grid)"/>
                    <Show when=move || ui.run.mode.get() != super::run::Mode::Simulate
                        fallback=move || view! { <Regions ui=ui items=items/>{stage(ui, live)} }>
                        <Regions ui=ui items=items/>
                        <g class="outlines">{clusters}</g>
                        <Links ui=ui routes=routes/>
                        <For each=move || shapes.get() key=|d| format!("{d:?}") children=move |d| shape(ui, d)/>
                        <g class="groups">{groups}</g>
                        <VlanPorts ui=ui routes=routes/>
                        {heat(ui, items, routes)}
                        {locks(ui, items)}
                        <Preview ui=ui/>
                    </Show>
                </g>
            </svg>
            <super::vlan::Legend ui=ui/>
            {run_overlays(ui)}
            {twin(ui)}
        </main>
    }
}

/// The picture of the run, rebuilt when the moment shown or the zoom band changes.
#[cfg(feature = "simulate")]
fn live_picture(ui: Ui) -> LiveMemo {
    let rows = Memo::new(move |_| super::run::rows_per_host(ui.view.with(|v| v.scale)));
    Memo::new(move |_| {
        if ui.run.mode.get() != super::run::Mode::Simulate {
            return Live::default();
        }
        let rows = rows.get();
        ui.run.snap.with(|snap| {
            snap.as_ref().map_or_else(Live::default, |snap| {
                ui.editor
                    .with_untracked(|e| live::live(&e.scenario().design, snap, rows))
            })
        })
    })
}

#[cfg(not(feature = "simulate"))]
fn live_picture(_: Ui) -> LiveMemo {
    NoRun
}

/// During a run a click picks what to break (shift adds); empty canvas pans.
#[cfg(feature = "simulate")]
fn run_pick(ui: Ui, live: LiveMemo, p: (f64, f64), shift: bool) {
    ui.run.menu.set(None);
    let hit = live.with_untracked(|l| scene::hit(&l.items(), p).map(|i| i.id.clone()));
    match hit {
        Some(id) if shift => ui.run.selection.update(|s| {
            if let Some(i) = s.iter().position(|x| *x == id) {
                s.remove(i);
            } else {
                s.push(id);
            }
        }),
        Some(id) => {
            ui.run.selection.set(vec![id]);
            super::migrate::press(ui, live, p);
        }
        None => {
            if !shift {
                ui.run.selection.set(Vec::new());
            }
            ui.tool.set(Tool::Panning);
        }
    }
}

/// A right-click during a run: the fail and repair menu of what is under the pointer.
#[cfg(feature = "simulate")]
fn run_menu(ui: Ui, live: LiveMemo, ev: &web_sys::MouseEvent) {
    ev.prevent_default();
    let client = (ev.client_x() as f64, ev.client_y() as f64);
    let Some(p) = to_canvas(ui, client) else {
        return;
    };
    let hit = live.with_untracked(|l| scene::hit(&l.items(), p).map(|i| i.id.clone()));
    let ids = match hit {
        Some(id) if ui.run.selection.with_untracked(|s| s.contains(&id)) => {
            ui.run.selection.get_untracked()
        }
        Some(id) => {
            ui.run.selection.set(vec![id.clone()]);
            vec![id]
        }
        None => return,
    };
    ui.tool.set(Tool::Idle);
    ui.run.menu.set(Some(super::run::Menu { at: client, ids }));
}

/// A pointer moving during a run: a VM being dragged follows it.
#[cfg(feature = "simulate")]
fn run_drag(ui: Ui, live: LiveMemo, p: (f64, f64)) -> bool {
    super::migrate::follow(ui, live, p)
}

#[cfg(feature = "simulate")]
fn run_drop(ui: Ui) {
    super::migrate::drop(ui);
}

#[cfg(not(feature = "simulate"))]
fn run_pick(_: Ui, _: LiveMemo, _: (f64, f64), _: bool) {}

#[cfg(not(feature = "simulate"))]
fn run_drag(_: Ui, _: LiveMemo, _: (f64, f64)) -> bool {
    false
}

#[cfg(not(feature = "simulate"))]
fn run_drop(_: Ui) {}

#[cfg(not(feature = "simulate"))]
fn run_menu(_: Ui, _: LiveMemo, _: &web_sys::MouseEvent) {}

/// The run drawn on the canvas (only with the simulator).
fn stage(ui: Ui, live: LiveMemo) -> AnyView {
    #[cfg(feature = "simulate")]
    return view! { <super::stage::Stage ui=ui live=live/> }.into_any();
    #[cfg(not(feature = "simulate"))]
    {
        let _ = (ui, live);
        ().into_any()
    }
}

/// Design B at the same moment, beside the run (only with the simulator).
fn twin(ui: Ui) -> AnyView {
    #[cfg(feature = "simulate")]
    return view! { <super::twin::TwinCanvas ui=ui/> }.into_any();
    #[cfg(not(feature = "simulate"))]
    {
        let _ = ui;
        ().into_any()
    }
}

/// In Analyze mode: the damage each component's failure does, along its top.
fn heat(
    ui: Ui,
    items: Memo<Vec<Item>>,
    routes: Memo<Vec<(crate::model::Link, Vec<route::Pt>)>>,
) -> AnyView {
    #[cfg(feature = "simulate")]
    return view! {
        <Show when=move || ui.run.mode.get() == super::run::Mode::Analyze>
            <super::analysis::Heat ui=ui items=items routes=routes/>
        </Show>
    }
    .into_any();
    #[cfg(not(feature = "simulate"))]
    {
        let _ = (ui, items, routes);
        ().into_any()
    }
}

/// In student mode: a lock on each part the lesson locks.
fn locks(ui: Ui, items: Memo<Vec<Item>>) -> AnyView {
    #[cfg(feature = "simulate")]
    return view! { <g class="lock-marks"><super::lesson::LockMarks ui=ui items=items/></g> }
        .into_any();
    #[cfg(not(feature = "simulate"))]
    {
        let _ = (ui, items);
        ().into_any()
    }
}

/// Over the canvas during a run: the context menu, or why the design cannot run.
fn run_overlays(ui: Ui) -> AnyView {
    #[cfg(feature = "simulate")]
    return view! {
        <super::actions::ContextMenu ui=ui/>
        <Show when=move || ui.run.mode.get() == super::run::Mode::Simulate && ui.run.snap.with(Option::is_none)>
            <div class="cannot-run" role="alert" data-testid="cannot-run">
                <strong>"This design cannot run yet."</strong>
                <ul>{move || ui.run.with_player(|p| p.problems().iter().map(|x| view! { <li>{x.message.clone()}</li> }).collect_view())}</ul>
                <button on:click=move |_| super::set_mode(ui, super::run::Mode::Design)>"Back to Design to fix it"</button>
            </div>
        </Show>
    }
    .into_any();
    #[cfg(not(feature = "simulate"))]
    {
        let _ = ui;
        ().into_any()
    }
}

fn inside_canvas(ev: &web_sys::PointerEvent) -> bool {
    let Some(svg) = svg_element() else {
        return false;
    };
    let r = svg.get_bounding_client_rect();
    let (x, y) = (ev.client_x() as f64, ev.client_y() as f64);
    x >= r.left() && x <= r.right() && y >= r.top() && y <= r.bottom()
}

fn shape(ui: Ui, d: Drawn) -> impl IntoView {
    let Drawn {
        item,
        class,
        icon,
        title,
        sub,
        vlan,
        problem,
    } = d;
    let Rect { x, y, w, h } = item.rect;
    let id = item.id.clone();
    let parent = item.parent.clone();
    let testid = format!("{class}-{}", item.id);
    let label = format!(
        "{} {}{}",
        class,
        title,
        if sub.is_empty() {
            String::new()
        } else {
            format!(", {sub}")
        }
    );
    let selected = {
        let id = id.clone();
        move || ui.editor.with(|e| e.selection.contains(&id))
    };
    // While the selection is dragged, draw it where it would land.
    let offset = {
        let id = id.clone();
        move || {
            ui.tool.with(|t| match t {
                Tool::Translating { ids, offset, .. }
                    if ids.contains(&id) || parent.as_ref().is_some_and(|p| ids.contains(p)) =>
                {
                    format!("translate({:.1} {:.1})", offset.0, offset.1)
                }
                Tool::DraggingVm { vm, start, at } if *vm == id => {
                    format!("translate({:.1} {:.1})", at.0 - start.0, at.1 - start.1)
                }
                _ => String::new(),
            })
        }
    };
    let focus_id = id.clone();
    let marker = problem.map(|(sev, msg)| {
        let c = if sev == Severity::Error { "marker error" } else { "marker warning" };
        view! { <g class=c><circle cx=x + w - 11.0 cy=y + 11.0 r="9"/><text x=x + w - 11.0 y=y + 16.0 text-anchor="middle">"!"</text><title>{msg}</title></g> }
    });
    // Icon, title and detail: a header for hosts, one line for VM rows, centred otherwise.
    let (icon_at, icon_size, tx, ty, sx, sy, anchor) = match item.kind {
        ItemKind::Vm => (
            (x + 7.0, y + 4.0),
            15.0,
            x + 27.0,
            y + 16.5,
            x + w - 7.0,
            y + 16.5,
            "end",
        ),
        ItemKind::Host => (
            (x + 8.0, y + 7.0),
            22.0,
            x + 36.0,
            y + 18.0,
            x + 36.0,
            y + 34.0,
            "start",
        ),
        _ => (
            (x + 8.0, y + h / 2.0 - 11.0),
            22.0,
            x + 36.0,
            y + h / 2.0 - 1.0,
            x + 36.0,
            y + h / 2.0 + 14.0,
            "start",
        ),
    };
    let stripe = vlan.map(|c| view! { <rect class=format!("vlan-stripe {c}") x=x y=y + 2.0 width="4" height=h - 4.0 rx="2"/> });
    let storage_top = (item.kind == ItemKind::Storage)
        .then(|| view! { <ellipse class="lid" cx=x + w / 2.0 cy=y rx=w / 2.0 ry="7"/> });
    view! {
        <g class=format!("item {class}") class:selected=selected data-testid=testid data-id=id.clone()
            role="button" tabindex="0" aria-label=label transform=offset
            on:focus=move |_| {
                if !ui.editor.with_untracked(|e| e.selection.contains(&focus_id)) {
                    ui.select(vec![focus_id.clone()]);
                }
            }>
            <rect class="box" x=x y=y width=w height=h rx=if item.kind == ItemKind::Switch { 18.0 } else { 6.0 }/>
            {storage_top}
            {stripe}
            <use class="glyph" href=format!("#i-{icon}") x=icon_at.0 y=icon_at.1 width=icon_size height=icon_size/>
            <text class="title" x=tx y=ty>{title}</text>
            <text class="sub" x=sx y=sy text-anchor=anchor>{sub}</text>
            {marker}
        </g>
    }
}

/// The boxes cables go around, and where each component is, as the canvas draws them.
fn cable_routes(d: &Design, items: &[Item]) -> Vec<(crate::model::Link, Vec<route::Pt>)> {
    let labels: Vec<Rect> = d
        .clusters
        .iter()
        .filter_map(|c| {
            let r = scene::outline(items, &c.nodes, 14.0)?;
            Some(scene::label_rect(&r, cluster_label(c).chars().count()))
        })
        .collect();
    let obstacles = scene::obstacles(items, &[]);
    let rect_of = |id: &str| {
        items
            .iter()
            .find(|i| i.id == id && i.kind != ItemKind::Vm)
            .map(|i| i.rect)
    };
    route::cables(&d.links, &rect_of, &obstacles, &labels)
        .into_iter()
        .map(|(l, p)| (l.clone(), p))
        .collect()
}

/// A failover cluster's label in Design mode: its name and size (the witness is on its storage).
fn cluster_label(c: &crate::model::FailoverCluster) -> String {
    format!("{} · {} nodes", display_name(&c.name, &c.id), c.nodes.len())
}

/// Cables between hosts, switches and storage, routed around boxes.
#[component]
fn Links(ui: Ui, routes: Memo<Vec<(crate::model::Link, Vec<route::Pt>)>>) -> impl IntoView {
    let lines = move || {
        routes.with(|routes| {
            routes
                .iter()
                .map(|(l, points)| {
                    let selected = ui.editor.with(|e| e.selection.contains(&l.id));
                    view! {
                        <path class="link" class:selected=selected data-testid=format!("link-{}", l.id)
                            d=route::svg_path(points)/>
                    }
                })
                .collect_view()
        })
    };
    view! { <g class="links">{lines}</g> }
}

/// The VLANs a host's cable to a switch carries, as coloured ports side by side on the host's
/// edge where the cable leaves it (drawn over the boxes).
#[component]
fn VlanPorts(ui: Ui, routes: Memo<Vec<(crate::model::Link, Vec<route::Pt>)>>) -> impl IntoView {
    let ports = move || {
        ui.editor.with(|e| {
            let d = &e.scenario().design;
            let vlans = super::vlan::ids(d);
            routes.with(|routes| {
                routes
                    .iter()
                    .filter(|(_, p)| p.len() >= 2)
                    .map(|(l, points)| {
                        let tags = super::vlan::on_cable(d, &l.a, &l.b);
                        let at_a = d.hosts.iter().any(|h| h.id == l.a);
                        let (end, next) = if at_a {
                            (points[0], points[1])
                        } else {
                            (points[points.len() - 1], points[points.len() - 2])
                        };
                        // Along the edge the cable leaves: across its direction.
                        let across = if (next.1 - end.1).abs() > (next.0 - end.0).abs() { (1.0, 0.0) } else { (0.0, 1.0) };
                        let n = tags.len() as f64;
                        let dots = tags
                            .iter()
                            .enumerate()
                            .map(|(k, v)| {
                                let off = (k as f64 - (n - 1.0) / 2.0) * 11.0;
                                view! {
                                    <circle class=format!("vlan-dot {}", super::vlan::class(&vlans, *v))
                                        cx=end.0 + across.0 * off cy=end.1 + across.1 * off r="4.5">
                                        <title>{format!("VLAN {v}")}</title>
                                    </circle>
                                }
                            })
                            .collect_view();
                        let carries = tags.iter().map(u16::to_string).collect::<Vec<_>>().join(" ");
                        view! { <g class="ports" data-testid=format!("ports-{}", l.id) data-vlans=carries>{dots}</g> }
                    })
                    .collect_view()
            })
        })
    };
    view! { <g class="vlan-ports">{ports}</g> }
}

/// Failover cluster outlines around their hosts, labelled; guest and NLB clusters around their
/// VM rows (on each host they run on).
/// (cluster outlines, drawn under the hosts; guest and NLB outlines, drawn over them).
fn outlines(
    ui: Ui,
    items: Memo<Vec<Item>>,
    problems: Memo<Vec<Problem>>,
) -> (
    impl Fn() -> AnyView + Copy + 'static,
    impl Fn() -> AnyView + Copy + 'static,
) {
    let outlines = move || {
        let clusters = ui.editor.with(|e| e.scenario().design.clusters.clone());
        items.with(|items| {
            clusters
                .into_iter()
                .filter_map(|c| {
                    let r = scene::outline(items, &c.nodes, 14.0)?;
                    let witness = match &c.witness {
                        crate::model::Witness::None => "no witness".to_string(),
                        crate::model::Witness::Disk { storage } => format!("disk witness on {storage}"),
                        crate::model::Witness::FileShare { storage } => format!("file share witness on {storage}"),
                        crate::model::Witness::Cloud => "cloud witness".to_string(),
                    };
                    let label = cluster_label(&c);
                    let pill = scene::label_rect(&r, label.chars().count());
                    let id = c.id.clone();
                    let selected = ui.editor.with(|e| e.selection.contains(&c.id));
                    // The cluster's own problems (quorum, witness, capacity) show on its label.
                    let own: Vec<String> = problems.with(|p| p.iter().filter(|x| x.subjects.first() == Some(&c.id)).map(|x| x.message.clone()).collect());
                    let marker = (!own.is_empty()).then(|| view! {
                        <text class="cluster-problem" x=pill.x + pill.w + 6.0 y=pill.y + 15.0 data-testid=format!("cluster-problem-{}", c.id)>
                            {format!("▲ {}", if own.len() == 1 { "1 problem".to_string() } else { format!("{} problems", own.len()) })}
                            <title>{own.join("\n")}</title>
                        </text>
                    });
                    Some(view! {
                        <g class="cluster" class:selected=selected data-testid=format!("cluster-{}", c.id)>
                            <rect class="outline" x=r.x y=r.y width=r.w height=r.h rx="12"/>
                            <g class="cluster-tag" on:pointerdown=move |ev| { ev.stop_propagation(); ui.select(vec![id.clone()]); }>
                                <rect class="pill" x=pill.x y=pill.y width=pill.w height=pill.h rx="10"/>
                                <use class="glyph" href="#i-cluster" x=pill.x + 5.0 y=pill.y + 3.0 width="14" height="14"/>
                                <text class="cluster-label" x=pill.x + 22.0 y=pill.y + 15.0>{label}</text>
                                <title>{witness}</title>
                            </g>
                            {marker}
                        </g>
                    })
                })
                .collect_view()
                .into_any()
        })
    };
    let groups = move || {
        let d = ui.editor.with(|e| e.scenario().design.clone());
        let sets = d
            .guest_clusters
            .iter()
            .map(|g| {
                (
                    "guest",
                    g.id.clone(),
                    display_name(&g.name, &g.id).to_string(),
                    g.members.clone(),
                )
            })
            .chain(d.nlb_clusters.iter().map(|n| {
                (
                    "nlb",
                    n.id.clone(),
                    display_name(&n.name, &n.id).to_string(),
                    n.members.iter().map(|m| m.vm.clone()).collect(),
                )
            }))
            .collect::<Vec<_>>();
        items.with(|items| {
            sets.into_iter()
                .map(|(kind, id, name, members)| {
                    // One outline per host the members run on, the name on the first.
                    let mut hosts: Vec<&str> = Vec::new();
                    for i in items.iter().filter(|i| i.kind == ItemKind::Vm && members.contains(&i.id)) {
                        if let Some(p) = &i.parent && !hosts.contains(&p.as_str()) {
                            hosts.push(p);
                        }
                    }
                    let boxes: Vec<Rect> = hosts
                        .iter()
                        .filter_map(|h| {
                            let rows = items
                                .iter()
                                .filter(|i| i.kind == ItemKind::Vm && members.contains(&i.id) && i.parent.as_deref() == Some(*h))
                                .map(|i| i.rect);
                            scene::union(rows).map(|r| Rect { x: r.x - 3.0, y: r.y - 2.0, w: r.w + 6.0, h: r.h + 4.0 })
                        })
                        .collect();
                    // Its name is in the legend and the tooltip: the rows keep their own labels.
                    let what = if kind == "nlb" { "NLB cluster" } else { "guest cluster" };
                    let sel = {
                        let id = id.clone();
                        move || ui.editor.with(|e| e.selection.contains(&id))
                    };
                    view! {
                        <g class=format!("group {kind}") class:selected=sel data-testid=format!("{kind}-outline-{id}")>
                            {boxes.into_iter().map(|r| view! { <rect class="group-outline" x=r.x y=r.y width=r.w height=r.h rx="6"/> }).collect_view()}
                            <title>{format!("{what} {name}")}</title>
                        </g>
                    }
                })
                .collect_view()
                .into_any()
        })
    };
    (outlines, groups)
}

/// Sites as labelled regions behind what is in them.
#[component]
fn Regions(ui: Ui, items: Memo<Vec<Item>>) -> impl IntoView {
    let regions = move || {
        let d = ui.editor.with(|e| e.scenario().design.clone());
        items.with(|items| {
            d.sites
                .iter()
                .filter_map(|s| {
                    let inside = items
                        .iter()
                        .filter(|i| {
                            let site = d.hosts.iter().find(|h| h.id == i.id).map(|h| &h.site)
                                .or_else(|| d.switches.iter().find(|x| x.id == i.id).map(|x| &x.site))
                                .or_else(|| d.storage.iter().find(|x| x.id == i.id).map(|x| &x.site));
                            site.is_some_and(|x| x.as_deref() == Some(s.id.as_str()))
                        })
                        .map(|i| i.rect);
                    let azure = s.kind == crate::model::SiteKind::Azure;
                    // In Azure, the box where its failed-over VMs run (see `live`).
                    #[cfg(feature = "simulate")]
                    let inside = inside.chain(d.azure_compute().into_iter().filter(|h| h.id == s.id).filter_map(|h| h.at).map(|p| Rect {
                        x: p.x as f64,
                        y: p.y as f64,
                        w: crate::editor::layout::HOST_W as f64,
                        h: 110.0,
                    }));
                    let r = scene::union(inside)?;
                    let r = Rect { x: r.x - 34.0, y: r.y - 62.0, w: r.w + 68.0, h: r.h + 96.0 };
                    let (glyph, label) = if azure {
                        ("#i-cloud", format!("Azure · {}", display_name(&s.name, &s.id)))
                    } else {
                        ("#i-site", format!("Site {}", display_name(&s.name, &s.id)))
                    };
                    Some(view! {
                        <g class="site" class:azure=azure data-testid=format!("site-{}", s.id)>
                            <rect class="region" x=r.x y=r.y width=r.w height=r.h rx="18"/>
                            <use class="glyph" href=glyph x=r.x + 12.0 y=r.y + 9.0 width="18" height="18"/>
                            <text class="site-label" x=r.x + 36.0 y=r.y + 24.0>{label}</text>
                        </g>
                    })
                })
                .collect_view()
        })
    };
    view! { <g class="regions">{regions}</g> }
}

/// What a gesture in progress would do: a connection line, a rubber band, a component to drop.
#[component]
fn Preview(ui: Ui) -> impl IntoView {
    move || {
        ui.tool.with(|t| match t {
            Tool::Connecting { start, at, .. } => view! { <line class="preview connect" x1=start.0 y1=start.1 x2=at.0 y2=at.1/> }.into_any(),
            Tool::Brushing { start, at } => {
                let r = Rect::spanning(*start, *at);
                view! { <rect class="preview band" x=r.x y=r.y width=r.w height=r.h/> }.into_any()
            }
            Tool::Placing { at: Some(at), .. } => view! { <rect class="preview ghost" x=at.0 - 10.0 y=at.1 - 10.0 width="80" height="40" rx="6"/> }.into_any(),
            _ => ().into_any(),
        })
    }
}
