//! The event log beside the canvas: every event in plain words with its time and reason,
//! filtered by component and kind; a click jumps the run there and picks what it names.

use super::Ui;
use super::run::clock;
use crate::sim::{Event, EventKind};
use leptos::prelude::*;

/// Entries shown at most (the newest): the log of a long run on a large design is thousands.
const SHOWN: usize = 300;

/// Kinds of event the filter offers, with the event kinds in each.
pub fn category(kind: EventKind) -> &'static str {
    use EventKind::*;
    match kind {
        Fault | Repair => "faults",
        ClusterFormed | HeartbeatsMissed | NodeDown | NodeIsolated | NodeQuarantined
        | NodeJoined => "detection",
        QuorumLost | QuorumRegained | QuorumKept | QuorumForced | VotesChanged => "quorum",
        AppFailed | AppDetected | AppRecovered | RoleOffline | RoleStarting | RoleOnline => {
            "applications"
        }
        NlbConvergenceStarted | NlbConverged | NlbConvergenceStuck => "nlb",
        Operation | OperationRefused | OperationWaits | NodePaused | NodeResumed
        | DrainCompleted | DrainFailed | NodeLeft | NodeStarted | NodeAdded | UpdatingRun
        | UpdatingDone | UpdatingStopped => "operations",
        _ => "vms",
    }
}

const CATEGORIES: &[(&str, &str)] = &[
    ("", "All kinds"),
    ("faults", "Faults and repairs"),
    ("operations", "Operations: drain, shutdown, migrate"),
    ("detection", "Heartbeats and membership"),
    ("quorum", "Quorum and votes"),
    ("vms", "VMs: stop, failover, boot"),
    ("applications", "Applications and roles"),
    ("nlb", "NLB convergence"),
];

fn word(kind: EventKind) -> String {
    crate::editor::to_json(&kind)
        .ok()
        .and_then(|v| v.as_str().map(|s| s.replace('_', " ")))
        .unwrap_or_default()
}

/// Whether an event names a component (a VM entry matches its instances `entry#k`).
fn names(e: &Event, id: &str) -> bool {
    e.subjects
        .iter()
        .any(|s| s == id || s.split('#').next() == Some(id) || id.split('#').next() == Some(s))
}

#[component]
pub fn EventLog(ui: Ui) -> impl IntoView {
    let kind = RwSignal::new(String::new());
    let component = RwSignal::new(String::new());
    let list = NodeRef::<leptos::html::Ol>::new();
    let entries = Memo::new(move |_| {
        ui.run.logged.track();
        let kind = kind.get();
        let component = component.get();
        let picked = ui.run.selection.get();
        ui.run.with_player(|p| {
            let Some(e) = p.engine() else {
                return Vec::new();
            };
            let keep = |ev: &Event| {
                (kind.is_empty() || category(ev.kind) == kind)
                    && match component.as_str() {
                        "" => true,
                        "@selection" => picked.iter().any(|id| names(ev, id)),
                        id => names(ev, id),
                    }
            };
            let all: Vec<(usize, &Event)> = e
                .events()
                .iter()
                .enumerate()
                .filter(|(_, ev)| keep(ev))
                .collect();
            let skip = all.len().saturating_sub(SHOWN);
            all[skip..]
                .iter()
                .map(|(i, ev)| (*i, (*ev).clone()))
                .collect::<Vec<_>>()
        })
    });
    // Follow the newest entry.
    Effect::new(move |_| {
        entries.track();
        if let Some(ol) = list.get() {
            request_animation_frame(move || ol.set_scroll_top(ol.scroll_height()));
        }
    });
    let ids = move || {
        ui.editor.with(|e| {
            let d = &e.scenario().design;
            d.hosts
                .iter()
                .map(|x| x.id.clone())
                .chain(d.vms.iter().map(|x| x.id.clone()))
                .chain(d.switches.iter().map(|x| x.id.clone()))
                .chain(d.storage.iter().map(|x| x.id.clone()))
                .chain(d.links.iter().map(|x| x.id.clone()))
                .chain(d.clusters.iter().map(|x| x.id.clone()))
                .chain(d.guest_clusters.iter().map(|x| x.id.clone()))
                .chain(d.nlb_clusters.iter().map(|x| x.id.clone()))
                .collect::<Vec<_>>()
        })
    };
    view! {
        <section class="log" aria-label="Event log">
            <h2>"Event log"</h2>
            <div class="filters">
                <select aria-label="Show events of" data-testid="log-component"
                    on:change=move |ev| component.set(event_target_value(&ev))>
                    <option value="">"All components"</option>
                    <option value="@selection">"The selection"</option>
                    {move || ids().into_iter().map(|id| view! { <option value=id.clone()>{id.clone()}</option> }).collect_view()}
                </select>
                <select aria-label="Kinds of event" data-testid="log-kind"
                    on:change=move |ev| kind.set(event_target_value(&ev))>
                    {CATEGORIES.iter().map(|(v, l)| view! { <option value=*v>{*l}</option> }).collect_view()}
                </select>
            </div>
            <ol class="entries" role="log" aria-live="polite" aria-label="Events so far" data-testid="log" node_ref=list>
                <For each=move || entries.get() key=|(i, ev)| (*i, ev.t_ms, ev.message.clone()) children=move |(_, ev)| {
                    let t = ev.t_ms;
                    let subjects = ev.subjects.clone();
                    let cat = category(ev.kind);
                    view! {
                        <li class=format!("entry cat-{cat}") data-kind=word(ev.kind)>
                            <button on:click=move |_| {
                                ui.run.set_playing(false);
                                ui.run.seek(t);
                                ui.run.selection.set(subjects.clone());
                            }>
                                <span class="t">{clock(t)}</span>
                                <span class="kind">{word(ev.kind)}</span>
                                <span class="msg">{ev.message.clone()}</span>
                            </button>
                        </li>
                    }
                }/>
            </ol>
        </section>
    }
}
