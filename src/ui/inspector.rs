//! The inspector: every property of the selected component, editable; group actions for a
//! multiple selection; the scenario's settings when nothing is selected.

use super::Ui;
use crate::editor::Command;
use crate::model::Design;
use leptos::prelude::*;
use serde_json::{Value, json};

/// The selected component as JSON, with its kind for the heading.
fn component(d: &Design, id: &str) -> Option<(&'static str, Value)> {
    fn find<T: serde::Serialize>(list: &[T], id: &str, get: impl Fn(&T) -> &str) -> Option<Value> {
        list.iter()
            .find(|x| get(x) == id)
            .and_then(|x| crate::editor::to_json(x).ok())
    }
    None.or_else(|| find(&d.hosts, id, |x| &x.id).map(|v| ("Host", v)))
        .or_else(|| find(&d.vms, id, |x| &x.id).map(|v| ("VM", v)))
        .or_else(|| find(&d.switches, id, |x| &x.id).map(|v| ("Virtual switch", v)))
        .or_else(|| find(&d.storage, id, |x| &x.id).map(|v| ("Storage", v)))
        .or_else(|| find(&d.links, id, |x| &x.id).map(|v| ("Link", v)))
        .or_else(|| find(&d.clusters, id, |x| &x.id).map(|v| ("Failover cluster", v)))
        .or_else(|| find(&d.guest_clusters, id, |x| &x.id).map(|v| ("Guest cluster", v)))
        .or_else(|| find(&d.nlb_clusters, id, |x| &x.id).map(|v| ("NLB cluster", v)))
        .or_else(|| find(&d.clients, id, |x| &x.id).map(|v| ("Clients", v)))
        .or_else(|| find(&d.sites, id, |x| &x.id).map(|v| ("Site", v)))
}

/// Choices for enumerated fields.
fn choices(kind: &str, field: &str) -> Option<&'static [&'static str]> {
    Some(match (kind, field) {
        ("Virtual switch", "kind") => &["external", "internal", "private"],
        ("Storage", "kind") => &["local", "san", "smb", "csv"],
        (_, "priority") => &["high", "medium", "low", "no_auto_start"],
        (_, "monitoring") => &["none", "heartbeat", "service"],
        (_, "affinity") => &["none", "single", "network"],
        (_, "mode") => &["unicast", "multicast", "igmp_multicast"],
        (_, "version") => &["2008r2", "2012r2", "2016+"],
        (_, "resiliency_level") => &["always_isolate", "isolate_on_special_heartbeat"],
        _ => return None,
    })
}

/// Text typed into a field, as the JSON value the model expects.
fn parse_text(old: &Value, text: &str) -> Result<Value, String> {
    let t = text.trim();
    Ok(match old {
        Value::Array(items) if items.iter().all(Value::is_string) => {
            json!(
                t.split(',')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .collect::<Vec<_>>()
            )
        }
        Value::Array(_) | Value::Object(_) => {
            serde_json::from_str(t).map_err(|e| format!("not valid JSON: {e}"))?
        }
        Value::Number(_) => serde_json::from_str::<Value>(t)
            .ok()
            .filter(Value::is_number)
            .ok_or("a number is needed")?,
        Value::Null if t.is_empty() => Value::Null,
        Value::Null => serde_json::from_str::<Value>(t)
            .ok()
            .filter(Value::is_number)
            .unwrap_or_else(|| json!(t)),
        _ => json!(t),
    })
}

fn show(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        Value::Array(items) if !items.is_empty() && items.iter().all(Value::is_string) => items
            .iter()
            .filter_map(Value::as_str)
            .collect::<Vec<_>>()
            .join(", "),
        Value::Array(items) if items.is_empty() => String::new(),
        other => serde_json::to_string(other).unwrap_or_default(),
    }
}

/// One labelled editor for one field; `send` turns a new value into a command.
fn field(
    kind: &'static str,
    name: String,
    value: Value,
    send: impl Fn(String, Value) + Clone + 'static,
    ui: Ui,
) -> AnyView {
    let placeholder = if value.is_null() {
        "default".to_string()
    } else {
        String::new()
    };
    let label = name.replace('_', " ");
    let testid = format!("field-{}", name.replace(['_', '.'], "-"));
    let input_id = format!("field-{name}");
    if name == "id" {
        return view! { <div class="field"><label>{label}</label><output data-testid="inspector-id">{show(&value)}</output></div> }.into_any();
    }
    if let Value::Bool(b) = value {
        return view! {
            <div class="field check">
                <input type="checkbox" id=input_id.clone() prop:checked=b
                    on:change=move |ev| send(name.clone(), json!(event_target_checked(&ev)))/>
                <label for=input_id>{label}</label>
            </div>
        }
        .into_any();
    }
    if let Some(options) = choices(kind, &name) {
        let current = show(&value);
        return view! {
            <div class="field">
                <label for=input_id.clone()>{label}</label>
                <select id=input_id on:change=move |ev| send(name.clone(), json!(event_target_value(&ev)))>
                    {options.iter().map(|o| view! { <option value=*o selected=current == *o>{*o}</option> }).collect_view()}
                </select>
            </div>
        }
        .into_any();
    }
    let complex = matches!(&value, Value::Object(_))
        || matches!(&value, Value::Array(a) if a.iter().any(|x| !x.is_string()));
    let text = show(&value);
    let on_change = move |ev: leptos::ev::Event| match parse_text(&value, &event_target_value(&ev))
    {
        Ok(v) => send(name.clone(), v),
        Err(e) => ui.fail(e),
    };
    if complex {
        view! {
            <div class="field">
                <label for=input_id.clone()>{label}</label>
                <textarea id=input_id rows="3" spellcheck="false" prop:value=text on:change=on_change></textarea>
            </div>
        }
        .into_any()
    } else {
        view! {
            <div class="field">
                <label for=input_id.clone()>{label}</label>
                <input id=input_id data-testid=testid placeholder=placeholder prop:value=text on:change=on_change/>
            </div>
        }
        .into_any()
    }
}

#[component]
pub fn Inspector(ui: Ui) -> impl IntoView {
    let body = move || {
        let (selection, design, settings) = ui.editor.with(|e| {
            (
                e.selection.clone(),
                e.scenario().design.clone(),
                e.scenario().settings.clone(),
            )
        });
        match selection.as_slice() {
            [] => settings_view(ui, &design, settings).into_any(),
            [one] => match component(&design, one) {
                Some((kind, Value::Object(fields))) => {
                    // Who it is first, then its properties in alphabetical order.
                    let mut fields: Vec<(String, Value)> = fields.into_iter().collect();
                    fields.sort_by_key(|(name, _)| (name != "id", name != "name", name.clone()));
                    let id = one.clone();
                    let send = move |name: String, value: Value| {
                        ui.apply(Command::Edit {
                            id: id.clone(),
                            field: name,
                            value,
                        })
                    };
                    view! {
                        <h2>{kind}</h2>
                        {fields.into_iter().map(|(name, value)| field(kind, name, value, send.clone(), ui)).collect_view()}
                        {group_actions(ui, &design, &selection)}
                    }
                    .into_any()
                }
                _ => view! { <p>"Nothing to edit here."</p> }.into_any(),
            },
            many => view! {
                <h2>{format!("{} selected", many.len())}</h2>
                {group_actions(ui, &design, many)}
            }
            .into_any(),
        }
    };
    view! { <aside class="inspector" aria-label="Inspector" data-testid="inspector">{body}</aside> }
}

fn group_actions(ui: Ui, d: &Design, selection: &[String]) -> impl IntoView {
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

fn settings_view(ui: Ui, d: &Design, settings: crate::model::Settings) -> impl IntoView {
    let send =
        move |name: String, value: Value| ui.apply(Command::EditSettings { field: name, value });
    let mut fields: Vec<(String, Value)> = vec![
        ("version".into(), json!(settings.version)),
        (
            "dynamic_quorum".into(),
            json!(settings.dynamic_quorum.unwrap_or(true)),
        ),
        (
            "resiliency_level".into(),
            json!(settings.resiliency_level.unwrap_or_default()),
        ),
    ];
    if let Value::Object(hb) = crate::editor::to_json(&settings.heartbeat).unwrap_or_default() {
        fields.extend(hb.into_iter().map(|(k, v)| (format!("heartbeat.{k}"), v)));
    }
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
        <h2>"Scenario"</h2>
        <p class="hint">"Select a component to edit it. Settings apply to every cluster."</p>
        {fields.into_iter().map(|(name, value)| field("Settings", name, value, send, ui)).collect_view()}
        <h2>"Clusters"</h2>
        <ul class="cluster-list">
            {clusters.into_iter().map(|(id, label)| view! {
                <li><button on:click=move |_| ui.select(vec![id.clone()])>{label}</button></li>
            }).collect_view()}
        </ul>
    }
}
