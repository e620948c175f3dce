//! The canvas during a run: draws `editor::live::Live` (hosts, VM rows, pulses, request flows,
//! quorum) as SVG. Items are keyed by what they show, so a frame only rebuilds what changed.

use super::Ui;
use crate::editor::live::{Live, LiveBox, LiveHost, LiveRow};
use crate::editor::scene::{ItemKind, Rect};
use leptos::prelude::*;

#[component]
pub fn Stage(ui: Ui, live: Memo<Live>) -> impl IntoView {
    let selected = move |id: &str| ui.run.selection.with(|s| s.iter().any(|x| x == id));
    let links = move || {
        live.with(|l| {
            l.links
                .iter()
                .map(|k| {
                    let id = k.id.clone();
                    let sel = selected(&k.id);
                    view! {
                        <path class="link" class:cut=k.cut class:selected=sel data-testid=format!("link-{}", k.id)
                            d=crate::editor::route::svg_path(&k.points)
                            on:pointerdown=move |ev| { ev.stop_propagation(); ui.run.selection.set(vec![id.clone()]); }/>
                    }
                })
                .collect_view()
        })
    };
    let outlines = move || {
        live.with(|l| {
            l.clusters
                .iter()
                .map(|c| {
                    let Rect { x, y, w, h } = c.rect;
                    view! {
                        <g class="cluster" class:no-quorum=!c.quorum data-testid=format!("cluster-{}", c.id)>
                            <rect class="outline" x=x y=y width=w height=h rx="12"/>
                        </g>
                    }
                })
                .collect_view()
        })
    };
    let labels = move || {
        live.with(|l| {
            l.clusters
                .iter()
                .map(|c| {
                    // On a pill of its own: flows and cables pass under it, never over it.
                    let pill = crate::editor::scene::label_rect(&c.rect, c.label.chars().count());
                    view! {
                        <g class="cluster-tag" class:no-quorum=!c.quorum>
                            <rect class="pill" x=pill.x y=pill.y width=pill.w height=pill.h rx="10"/>
                            <use class="glyph" href="#i-cluster" x=pill.x + 5.0 y=pill.y + 3.0 width="14" height="14"/>
                            <text class="cluster-label" class:no-quorum=!c.quorum x=pill.x + 22.0 y=pill.y + 15.0
                                data-testid=format!("quorum-{}", c.id)>{c.label.clone()}</text>
                        </g>
                    }
                })
                .collect_view()
        })
    };
    let flows = move || {
        live.with(|l| {
            l.flows
                .iter()
                .map(|f| {
                    let width = (f.rps as f64).sqrt().clamp(1.0, 6.0);
                    view! {
                        <line class="flow" class:lost=f.lost x1=f.from.0 y1=f.from.1 x2=f.to.0 y2=f.to.1 stroke-width=width>
                            <title>{format!("{} requests per second{}", f.rps, if f.lost { ", lost: the member does not answer" } else { "" })}</title>
                        </line>
                    }
                })
                .collect_view()
        })
    };
    // Hyper-V Replica: VM to replica server, with the age of the latest recovery point.
    let replication = move || {
        live.with(|l| {
            l.replication
                .iter()
                .map(|r| {
                    let mid = r.label_at;
                    let w = r.label.chars().count() as f64 * 6.6 + 12.0;
                    let d = format!(
                        "M{:.1} {:.1}Q{:.1} {:.1} {:.1} {:.1}",
                        r.from.0, r.from.1, r.control.0, r.control.1, r.to.0, r.to.1
                    );
                    view! {
                        <g class="replica" class:alarm=r.alarm class:sending=r.sending data-testid=format!("replica-{}", r.vm)>
                            <path class="replica-path" d=d marker-end="url(#replica-head)"/>
                            <rect class="replica-pill" x=mid.0 - w / 2.0 y=mid.1 - 10.0 width=w height="20" rx="10"/>
                            <text class="replica-label" x=mid.0 y=mid.1 + 4.0 text-anchor="middle">{r.label.clone()}</text>
                        </g>
                    }
                })
                .collect_view()
        })
    };
    let pulses = move || {
        live.with(|l| {
            l.pulses
                .iter()
                .map(|p| {
                    view! { <circle class="pulse" class:lost=p.lost cx=p.at.0 cy=p.at.1 r=if p.lost { 6.0 } else { 4.5 }/> }
                })
                .collect_view()
        })
    };
    view! {
        <g class="live" data-testid="live">
            <g class="outlines">{outlines}</g>
            <g class="links">{links}</g>
            <g class="flows">{flows}</g>
            // Heartbeats travel on the cables and go under the boxes they reach, never over a name.
            <g class="pulses" data-testid="pulses">{pulses}</g>
            <g class="labels">{labels}</g>
            <defs>
                <marker id="replica-head" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
                    <path d="M0,0 L10,5 L0,10 z" class="replica-head"/>
                </marker>
            </defs>
            <For each=move || live.with(|l| l.boxes.clone()) key=|b| format!("{b:?}") children=move |b| live_box(ui, b)/>
            <For each=move || live.with(|l| l.hosts.clone()) key=|h| format!("{h:?}") children=move |h| live_host(ui, h)/>
            <For each=move || live.with(|l| l.rows.clone()) key=|r| format!("{r:?}") children=move |r| live_row(ui, r)/>
            // Over the boxes: the arc leaves the VM's row and lands on the replica server.
            <g class="replication">{replication}</g>
            <super::migrate::DragGhost ui=ui live=live/>
        </g>
    }
}

/// Selection, context menu and fault keys shared by every live item.
fn item_events(ui: Ui, id: String) -> impl Fn(web_sys::KeyboardEvent) + 'static {
    move |ev: web_sys::KeyboardEvent| {
        let key = ev.key();
        if key == "ContextMenu" || (key == "F10" && ev.shift_key()) {
            ev.prevent_default();
            let rect = ev
                .target()
                .and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(t).ok())
                .map(|e| e.get_bounding_client_rect());
            let at = rect.map_or((100.0, 100.0), |r| (r.left() + 20.0, r.top() + 20.0));
            ui.run.menu.set(Some(super::run::Menu {
                at,
                ids: vec![id.clone()],
            }));
            return;
        }
        if ev.ctrl_key() || ev.meta_key() || ev.alt_key() {
            return;
        }
        let Some(c) = key.chars().next().filter(|_| key.chars().count() == 1) else {
            return;
        };
        let ids = vec![id.clone()];
        let found = untrack(|| {
            super::actions::all_actions(ui, ui.run.now.get_untracked(), &ids)
                .into_iter()
                .find(|a| a.key != crate::sim::actions::NO_KEY && a.key == c.to_ascii_lowercase())
        });
        if let Some(a) = found {
            ev.prevent_default();
            ev.stop_propagation();
            ui.run.act(ui, &a);
        }
    }
}

fn live_box(ui: Ui, b: LiveBox) -> impl IntoView {
    let Rect { x, y, w, h } = b.rect;
    let class = match b.kind {
        ItemKind::Switch => "switch",
        ItemKind::Storage => "storage",
        _ => "client",
    };
    let id = b.id.clone();
    let sel = {
        let id = id.clone();
        move || ui.run.selection.with(|s| s.contains(&id))
    };
    let lid = (b.kind == ItemKind::Storage)
        .then(|| view! { <ellipse class="lid" cx=x + w / 2.0 cy=y rx=w / 2.0 ry="7"/> });
    view! {
        <g class=format!("item {class}") class:down=b.down class:selected=sel data-testid=format!("{class}-{}", b.id)
            data-id=id.clone() tabindex="0" role="button"
            aria-label=format!("{class} {}, {}", b.title, b.sub)
            on:focus={ let id = id.clone(); move |_| ui.run.selection.set(vec![id.clone()]) }
            on:keydown=item_events(ui, id.clone())>
            <rect class="box" x=x y=y width=w height=h rx=if b.kind == ItemKind::Switch { 18.0 } else { 6.0 }/>
            {lid}
            <use class="glyph" href=format!("#i-{}", b.icon) x=x + 8.0 y=y + h / 2.0 - 11.0 width="22" height="22"/>
            <text class="title" x=x + 36.0 y=y + h / 2.0 - 1.0>{b.title.clone()}</text>
            <text class="sub" class:alarm=b.down || b.sub.contains("lost") x=x + 36.0 y=y + h / 2.0 + 14.0>{b.sub.clone()}</text>
        </g>
    }
}

fn live_host(ui: Ui, h: LiveHost) -> impl IntoView {
    let Rect { x, y, w, h: height } = h.rect;
    let id = h.id.clone();
    let sel = {
        let id = id.clone();
        move || ui.run.selection.with(|s| s.contains(&id))
    };
    let bar = |dx: f64, pct: u32, class: &'static str, label: String| {
        let fill = (48.0 * f64::from(pct.min(100)) / 100.0).max(0.0);
        view! {
            <g class=format!("bar {class}")>
                <rect class="track" x=x + dx y=y + 25.0 width="48" height="6" rx="3"/>
                <rect class="fill" x=x + dx y=y + 25.0 width=fill height="6" rx="3"/>
                <title>{label}</title>
            </g>
        }
    };
    let badge = h.missed.map(|(m, t)| {
        view! {
            <g class="missed" class:alarm={m * 2 >= t} data-testid=format!("missed-{}", h.id)>
                <rect x=x + w - 84.0 y=y + 5.0 width="78" height="16" rx="8"/>
                <text x=x + w - 45.0 y=y + 17.0 text-anchor="middle">{format!("missed {m}/{t}")}</text>
            </g>
        }
    });
    let state_word = match (h.state, h.node) {
        // The cluster cannot tell a dead node from a cut-off one: say what it believes too.
        ("down", Some("isolated node")) => "POWERED OFF · ISOLATED".to_string(),
        ("down", Some("shut down")) => "SHUT DOWN".to_string(),
        ("down", _) => "POWERED OFF".to_string(),
        (_, Some(n)) => n.to_ascii_uppercase(),
        ("isolated", None) => "NICS DOWN".to_string(),
        _ => String::new(),
    };
    let label = format!(
        "host {}, {}, CPU {}%, memory {}{}",
        h.name,
        h.state,
        h.cpu_pct,
        h.memory_text,
        h.node
            .map(|n| format!(", cluster sees it as {n}"))
            .unwrap_or_default()
    );
    if let Some(counts) = h.counts {
        return compact_host(ui, &h, counts, state_word, label).into_any();
    }
    view! {
        <g class=format!("item host state-{}", h.state) class:selected=sel data-testid=format!("host-{}", h.id)
            data-id=id.clone() data-state=h.state tabindex="0" role="button" aria-label=label
            on:focus={ let id = id.clone(); move |_| ui.run.selection.set(vec![id.clone()]) }
            on:keydown=item_events(ui, id.clone())>
            <rect class="box" x=x y=y width=w height=height rx="6"/>
            <use class="glyph" href="#i-host" x=x + 8.0 y=y + 5.0 width="18" height="18"/>
            <text class="title" x=x + 30.0 y=y + 18.0>{h.name.clone()}</text>
            {badge}
            // A host in trouble says so where its load bars were.
            {state_word.is_empty().then(|| bar(10.0, h.cpu_pct, "cpu", format!("CPU {}%", h.cpu_pct)))}
            {state_word.is_empty().then(|| bar(64.0, h.memory_pct, "mem", format!("memory {}", h.memory_text)))}
            {if state_word.is_empty() {
                view! { <text class="sub" x=x + w - 8.0 y=y + 31.0 text-anchor="end">{format!("CPU {}%", h.cpu_pct)}</text> }.into_any()
            } else {
                view! { <text class="state-word" x=x + 10.0 y=y + 31.0>{state_word.clone()}</text> }.into_any()
            }}
        </g>
    }
    .into_any()
}

/// A host zoomed far out: large name and state, and a bar of its VMs running, booting, down.
fn compact_host(
    ui: Ui,
    h: &LiveHost,
    (running, booting, down): (u32, u32, u32),
    state_word: String,
    label: String,
) -> impl IntoView {
    let Rect { x, y, w, h: height } = h.rect;
    let id = h.id.clone();
    let sel = {
        let id = id.clone();
        move || ui.run.selection.with(|s| s.contains(&id))
    };
    let total = f64::from((running + booting + down).max(1));
    let seg = move |n: u32| (w - 20.0) * f64::from(n) / total;
    let text = if state_word.is_empty() {
        let mut t = format!("{running} up");
        if booting > 0 {
            t.push_str(&format!(" · {booting} boot"));
        }
        if down > 0 {
            t.push_str(&format!(" · {down} down"));
        }
        t
    } else {
        state_word
    };
    view! {
        <g class=format!("item host compact state-{}", h.state) class:selected=sel data-testid=format!("host-{}", h.id)
            data-id=id.clone() data-state=h.state tabindex="0" role="button" aria-label=label
            on:focus={ let id = id.clone(); move |_| ui.run.selection.set(vec![id.clone()]) }
            on:keydown=item_events(ui, id.clone())>
            <rect class="box" x=x y=y width=w height=height rx="8"/>
            <text class="big-title" x=x + 10.0 y=y + 46.0>{h.name.clone()}</text>
            <rect class="count running" x=x + 10.0 y=y + 64.0 width=seg(running) height="30"/>
            <rect class="count booting" x=x + 10.0 + seg(running) y=y + 64.0 width=seg(booting) height="30"/>
            <rect class="count down" x=x + 10.0 + seg(running) + seg(booting) y=y + 64.0 width=seg(down) height="30"/>
            <text class="big-sub" x=x + 10.0 y=y + 128.0>{text}</text>
            <title>{format!("{running} VMs running, {booting} booting, {down} down")}</title>
        </g>
    }
}

fn live_row(ui: Ui, r: LiveRow) -> impl IntoView {
    let Rect { x, y, w, h } = r.rect;
    let id = r.id.clone();
    let sel = {
        let id = id.clone();
        move || ui.run.selection.with(|s| s.contains(&id))
    };
    let moving = r.offset != (0.0, 0.0);
    let transform = moving.then(|| format!("translate({:.1} {:.1})", r.offset.0, r.offset.1));
    let progress = r.progress.map(|p| {
        view! { <rect class="progress" x=x y=y + h - 4.0 width=w * f64::from(p) / 100.0 height="4"/> }
    });
    let grouped = r.count > 1;
    // Right of the name: requests served (with a load bar) or missed heartbeats.
    let right = if let Some((rps, pct)) = r.load {
        let text = if r.lost {
            format!("{rps} rps lost")
        } else if r.downstream.is_some() {
            format!("{rps} rps fail")
        } else {
            format!("{rps} rps")
        };
        view! {
            <g class="load" class:lost=r.lost class:downstream=r.downstream.is_some() data-testid=format!("load-{}", r.id)>
                <rect class="track" x=x + w - 52.0 y=y + 15.0 width="46" height="4" rx="2"/>
                <rect class="fill" x=x + w - 52.0 y=y + 15.0 width=46.0 * f64::from(pct) / 100.0 height="4" rx="2"/>
                <text class="rps" x=x + w - 6.0 y=y + 12.0 text-anchor="end">{text}</text>
            </g>
        }
        .into_any()
    } else if let Some((m, t)) = r.missed {
        view! { <text class="row-missed" x=x + w - 6.0 y=y + 13.0 text-anchor="end">{format!("missed {m}/{t}")}</text> }
            .into_any()
    } else {
        ().into_any()
    };
    let detail = r.detail.clone();
    let limit = if grouped { 14 } else { 26 };
    let short: String = if detail.chars().count() > limit {
        detail
            .chars()
            .take(limit - 1)
            .chain(std::iter::once('…'))
            .collect()
    } else {
        detail.clone()
    };
    let (detail_x, detail_y, anchor) = if grouped {
        (x + w - 6.0, y + 15.0, "end")
    } else {
        (x + 8.0, y + 27.0, "start")
    };
    view! {
        <g class=format!("item vm state-{}", r.state) class:selected=sel class:moving=moving
            data-testid=if r.state == "incoming" { format!("incoming-{}", r.id) } else { format!("vm-{}", r.id) } data-id=id.clone() data-host=r.host.clone() data-state=r.state
            tabindex="0" role="button" aria-label=format!("VM {} on {}: {}", r.title, r.host, r.detail)
            transform=transform
            on:focus={ let id = id.clone(); move |_| ui.run.selection.set(vec![id.clone()]) }
            on:keydown=item_events(ui, id.clone())>
            <rect class="box" x=x y=y width=w height=h rx="4"/>
            {progress}
            <text class="title" x=x + 8.0 y=y + 14.0>{r.title.clone()}</text>
            <text class="detail" x=detail_x y=detail_y text-anchor=anchor>{short}</text>
            {right}
            <title>{detail}</title>
        </g>
    }
}
