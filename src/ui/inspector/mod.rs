//! The inspector: the selected component's properties, each with a control made for it
//! (`fields` says which), shared properties of a multiple selection, and the scenario's
//! settings when nothing is selected. Every change is one `Command`, so one undo step.

mod controls;
mod fields;
mod lists;
mod protection;
mod reliability;

use super::Ui;
use crate::editor::Command;
use crate::model::{Design, HeartbeatTiming, Reliability, Settings, Version};
use controls::{Ctx, field, get};
use fields::{Control, Field, Kind};
use leptos::prelude::*;
use serde_json::Value;

/// The kind and JSON of a component.
fn component(d: &Design, id: &str) -> Option<(Kind, Value)> {
    fn find<T: serde::Serialize>(list: &[T], id: &str, get: impl Fn(&T) -> &str) -> Option<Value> {
        list.iter()
            .find(|x| get(x) == id)
            .and_then(|x| crate::editor::to_json(x).ok())
    }
    None.or_else(|| find(&d.hosts, id, |x| &x.id).map(|v| (Kind::Host, v)))
        .or_else(|| find(&d.vms, id, |x| &x.id).map(|v| (Kind::Vm, v)))
        .or_else(|| find(&d.switches, id, |x| &x.id).map(|v| (Kind::Switch, v)))
        .or_else(|| find(&d.storage, id, |x| &x.id).map(|v| (Kind::Storage, v)))
        .or_else(|| find(&d.links, id, |x| &x.id).map(|v| (Kind::Link, v)))
        .or_else(|| find(&d.clusters, id, |x| &x.id).map(|v| (Kind::Cluster, v)))
        .or_else(|| find(&d.guest_clusters, id, |x| &x.id).map(|v| (Kind::Guest, v)))
        .or_else(|| find(&d.nlb_clusters, id, |x| &x.id).map(|v| (Kind::Nlb, v)))
        .or_else(|| find(&d.clients, id, |x| &x.id).map(|v| (Kind::Clients, v)))
        .or_else(|| find(&d.sites, id, |x| &x.id).map(|v| (Kind::Site, v)))
}

/// Whether a property applies to this component as it is now.
fn applies(f: &Field, json: &Value, d: &Design) -> bool {
    let kind = get(json, "kind").as_str().unwrap_or_default();
    match f.key {
        "host" if get(json, "kind").is_string() => matches!(kind, "internal" | "private" | "local"),
        "site" => !d.sites.is_empty(),
        "failback_window" => get(json, "failback").as_bool() == Some(true),
        _ => true,
    }
}

/// The default a property takes when it is left empty, as shown in its placeholder.
fn default_of(f: &Field, kind: Kind, s: &Settings, own: &str) -> String {
    if f.key == "name" {
        // An empty name shows the id.
        return own.to_string();
    }
    if f.default != "heartbeat" {
        return f.default.to_string();
    }
    let layers = if kind == Kind::Settings {
        vec![]
    } else {
        vec![&s.heartbeat]
    };
    let t = HeartbeatTiming::resolve(s.version, kind != Kind::Guest, &layers);
    let key = f.key.rsplit('.').next().unwrap_or_default();
    let beat = if key.starts_with("same") {
        t.same_subnet
    } else if key.starts_with("cross_subnet") {
        t.cross_subnet
    } else {
        t.cross_site
    };
    let n = if key.ends_with("delay_ms") {
        beat.delay_ms
    } else {
        u64::from(beat.threshold)
    };
    if kind == Kind::Settings && s.version == Version::W2012R2 && key.ends_with("threshold") {
        // 2012 R2 raises its thresholds only in clusters that run Hyper-V VMs.
        return format!("{n} (5 without VMs)");
    }
    n.to_string()
}

/// A list of properties, the rarely used ones under a collapsed "Advanced".
fn sections(
    kind: Kind,
    list: Vec<(&'static Field, Value, bool)>,
    s: &Settings,
    cx: &Ctx,
) -> impl IntoView {
    let (adv, main): (Vec<_>, Vec<_>) = list.into_iter().partition(|(f, _, _)| f.advanced);
    let draw = |l: Vec<(&'static Field, Value, bool)>| {
        l.into_iter()
            .map(|(f, v, mixed)| field(f, v, mixed, default_of(f, kind, s, &cx.own), cx))
            .collect_view()
    };
    let adv = (!adv.is_empty()).then(|| {
        view! {
            <details class="advanced" data-testid="advanced">
                <summary>"Advanced"</summary>
                {draw(adv)}
            </details>
        }
    });
    view! { {draw(main)} {adv} }
}

fn heading(kind: Kind, id: Option<String>) -> impl IntoView {
    view! {
        <h2 class="kind">
            <super::icons::Icon name=kind.icon()/>
            <span data-testid="inspector-kind">{kind.title()}</span>
            {id.map(|id| view! { <output class="id-chip" title="Its id (fixed): rename it with Name" data-testid="inspector-id">{id}</output> })}
        </h2>
    }
}

/// The inspector for one component.
fn one(ui: Ui, d: &Design, s: &Settings, rel: &Reliability, id: &str) -> AnyView {
    let Some((kind, json)) = component(d, id) else {
        return view! { <p>"Nothing to edit here."</p> }.into_any();
    };
    let own = id.to_string();
    let target = own.clone();
    let cx = Ctx {
        design: d.clone(),
        own,
        send: Callback::new(move |(field, value): (String, Value)| {
            ui.apply(Command::Edit {
                id: target.clone(),
                field,
                value,
            })
        }),
        #[cfg(feature = "simulate")]
        lock: super::lesson::student_lock(ui).map(|l| (l, vec![id.to_string()])),
    };
    let list = kind
        .fields()
        .iter()
        .filter(|f| applies(f, &json, d))
        .map(|f| (f, get(&json, f.key).clone(), false))
        .collect();
    let actions = group_actions(ui, d, &[id.to_string()]);
    let rates = reliability::section(ui, kind, id, rel);
    let protection = (kind == Kind::Vm).then(|| protection::section(ui, d, id));
    view! {
        {heading(kind, Some(id.to_string()))}
        {sections(kind, list, s, &cx)}
        {protection}
        {rates}
        {actions}
    }
    .into_any()
}

/// Several components: the properties they share (same meaning), set on all at once.
fn many(ui: Ui, d: &Design, s: &Settings, ids: &[String]) -> AnyView {
    let parts: Vec<(Kind, Value)> = ids.iter().filter_map(|id| component(d, id)).collect();
    let Some((first_kind, _)) = parts.first().cloned() else {
        return ().into_any();
    };
    let same_kind = parts.iter().all(|(k, _)| *k == first_kind);
    let shared: Vec<(&'static Field, Value, bool)> = first_kind
        .fields()
        .iter()
        .filter(|f| f.key != "name" && is_plain(f.control))
        .filter(|f| {
            parts.iter().all(|(k, json)| {
                k.fields()
                    .iter()
                    .any(|g| g.key == f.key && g.label == f.label)
                    && applies(f, json, d)
            })
        })
        .map(|f| {
            let first = get(&parts[0].1, f.key).clone();
            let mixed = parts.iter().any(|(_, j)| *get(j, f.key) != first);
            (f, if mixed { Value::Null } else { first }, mixed)
        })
        .collect();
    let targets = ids.to_vec();
    let cx = Ctx {
        design: d.clone(),
        own: ids[0].clone(),
        send: Callback::new(move |(field, value): (String, Value)| {
            ui.apply(Command::EditMany {
                ids: targets.clone(),
                field,
                value,
            })
        }),
        #[cfg(feature = "simulate")]
        lock: super::lesson::student_lock(ui).map(|l| (l, ids.to_vec())),
    };
    let title = if same_kind {
        format!("{} {}s selected", ids.len(), first_kind.title())
    } else {
        format!("{} selected", ids.len())
    };
    let hint = (!shared.is_empty()).then(
        || view! { <p class="hint">"A change here applies to every selected component."</p> },
    );
    view! {
        <h2 data-testid="inspector-many">{title}</h2>
        {hint}
        {sections(first_kind, shared, s, &cx)}
        {group_actions(ui, d, ids)}
    }
    .into_any()
}

/// Properties one value can set on many components (not names, not lists).
fn is_plain(c: Control) -> bool {
    matches!(
        c,
        Control::Text
            | Control::OptText
            | Control::Num { .. }
            | Control::Choice(_)
            | Control::OptChoice(_)
            | Control::Check
            | Control::One(..)
    )
}

/// The scenario's settings, and the clusters (which have no box of their own to click).
fn settings(ui: Ui, d: &Design, s: &Settings, about: String) -> AnyView {
    let json = crate::editor::to_json(s).unwrap_or_default();
    let cx = Ctx {
        design: d.clone(),
        own: String::new(),
        send: Callback::new(move |(field, value): (String, Value)| {
            ui.apply(Command::EditSettings { field, value })
        }),
        #[cfg(feature = "simulate")]
        lock: None,
    };
    let list = Kind::Settings
        .fields()
        .iter()
        .map(|f| (f, get(&json, f.key).clone(), false))
        .collect();
    let clusters: Vec<(String, String)> = d
        .clusters
        .iter()
        .map(|c| {
            (
                c.id.clone(),
                format!(
                    "Failover cluster {}",
                    crate::model::display_name(&c.name, &c.id)
                ),
            )
        })
        .chain(d.guest_clusters.iter().map(|c| {
            (
                c.id.clone(),
                format!(
                    "Guest cluster {}",
                    crate::model::display_name(&c.name, &c.id)
                ),
            )
        }))
        .chain(d.nlb_clusters.iter().map(|c| {
            (
                c.id.clone(),
                format!("NLB cluster {}", crate::model::display_name(&c.name, &c.id)),
            )
        }))
        .collect();
    view! {
        {heading(Kind::Settings, None)}
        <p class="about" data-testid="scenario-about">{about}</p>
        <p class="hint">"Select a component to edit it. These settings apply to every cluster."</p>
        {sections(Kind::Settings, list, s, &cx)}
        {protection::plans(ui)}
        <h2>"Clusters"</h2>
        <ul class="cluster-list">
            {clusters.into_iter().map(|(id, label)| view! {
                <li><button on:click=move |_| ui.select(vec![id.clone()])>{label}</button></li>
            }).collect_view()}
        </ul>
    }
    .into_any()
}

#[component]
pub fn Inspector(ui: Ui) -> impl IntoView {
    let body = move || {
        let (selection, design, settings_now, about, rel) = ui.editor.with(|e| {
            let s = e.scenario();
            (
                e.selection.clone(),
                s.design.clone(),
                s.settings.clone(),
                s.description.clone(),
                s.reliability.clone(),
            )
        });
        match selection.as_slice() {
            [] => settings(ui, &design, &settings_now, about),
            [id] => one(ui, &design, &settings_now, &rel, id),
            ids => many(ui, &design, &settings_now, ids),
        }
    };
    view! { <aside class="inspector" aria-label="Inspector" data-testid="inspector">{body}</aside> }
}

fn group_actions(ui: Ui, d: &Design, selection: &[String]) -> impl IntoView + use<> {
    let hosts: Vec<String> = selection
        .iter()
        .filter(|s| d.hosts.iter().any(|h| &h.id == *s))
        .cloned()
        .collect();
    let vms: Vec<String> = selection
        .iter()
        .filter(|s| d.vms.iter().any(|v| &v.id == *s))
        .cloned()
        .collect();
    let all = selection.to_vec();
    let all2 = all.clone();
    let (h, v1, v2) = (hosts.clone(), vms.clone(), vms.clone());
    view! {
        <div class="group-actions">
            <Show when={let n = hosts.len(); move || n > 0}>
                <button on:click={let h = h.clone(); move |_| ui.apply(Command::GroupCluster { hosts: h.clone() })}>"Make a failover cluster"</button>
            </Show>
            <Show when={let n = vms.len(); move || n > 0}>
                <button on:click={let v = v1.clone(); move |_| ui.apply(Command::GroupGuest { vms: v.clone() })}>"Make a guest cluster"</button>
                <button on:click={let v = v2.clone(); move |_| ui.apply(Command::GroupNlb { vms: v.clone() })}>"Make an NLB cluster"</button>
            </Show>
            <button on:click=move |_| ui.apply(Command::Duplicate { ids: all.clone() })>"Duplicate"</button>
            <button class="danger" on:click=move |_| ui.apply(Command::Delete { ids: all2.clone() })>"Delete"</button>
        </div>
    }
}
