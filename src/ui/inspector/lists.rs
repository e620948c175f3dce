//! Editors for the list properties: ordered host pickers, NIC rows, the witness, NLB members,
//! cluster sets and the failback window. Each change sends the whole new list as one command.

use super::controls::{Ctx, get, options, parse_num};
use super::fields::{Field, Pick};
use crate::model::{StorageKind, display_name};
use leptos::prelude::*;
use serde_json::{Value, json};

fn items(v: &Value) -> Vec<Value> {
    v.as_array().cloned().unwrap_or_default()
}

fn ids(v: &Value) -> Vec<String> {
    items(v)
        .iter()
        .filter_map(|x| x.as_str().map(String::from))
        .collect()
}

/// A list of ids in order: each with up, down and remove; the rest offered to add.
pub fn ordered(f: &'static Field, value: &Value, pick: Pick, cx: &Ctx) -> AnyView {
    let chosen = ids(value);
    let all = options(pick, &cx.design, &cx.own);
    let name = |id: &str| {
        all.iter()
            .find(|(x, _)| x == id)
            .map_or(id.to_string(), |(_, n)| n.clone())
    };
    let (key, send) = (f.key.to_string(), cx.send);
    let set = move |list: Vec<String>| send.run((key.clone(), json!(list)));
    let n = chosen.len();
    let rows = chosen
        .iter()
        .enumerate()
        .map(|(i, id)| {
            let label = name(id);
            let moved = |from: usize, to: usize| {
                let mut l = chosen.clone();
                l.swap(from, to);
                l
            };
            let (up, down) = (
                (i > 0).then(|| moved(i, i - 1)),
                (i + 1 < n).then(|| moved(i, i + 1)),
            );
            let mut without = chosen.clone();
            without.remove(i);
            let (s1, s2, s3) = (set.clone(), set.clone(), set.clone());
            view! {
                <li data-testid=format!("pick-{}-{id}", f.key)>
                    <span class="pick-name">{label.clone()}</span>
                    <button class="mini" aria-label=format!("Move {label} up") disabled=up.is_none()
                        on:click=move |_| if let Some(l) = up.clone() { s1(l) }>"↑"</button>
                    <button class="mini" aria-label=format!("Move {label} down") disabled=down.is_none()
                        on:click=move |_| if let Some(l) = down.clone() { s2(l) }>"↓"</button>
                    <button class="mini" aria-label=format!("Remove {label}")
                        on:click=move |_| s3(without.clone())>"✕"</button>
                </li>
            }
        })
        .collect_view();
    let rest: Vec<(String, String)> = all
        .iter()
        .filter(|(id, _)| !chosen.contains(id))
        .cloned()
        .collect();
    let add = (!rest.is_empty()).then(|| {
        let chosen = chosen.clone();
        view! {
            <select class="add" data-testid=format!("add-{}", f.key.replace('_', "-")) aria-label=format!("Add to {}", f.label)
                on:change=move |ev| {
                    let id = event_target_value(&ev);
                    if !id.is_empty() {
                        let mut l = chosen.clone();
                        l.push(id);
                        set(l);
                    }
                }>
                <option value="" selected=true>"Add…"</option>
                {rest.into_iter().map(|(id, n)| view! { <option value=id>{n}</option> }).collect_view()}
            </select>
        }
    });
    let empty = chosen
        .is_empty()
        .then(|| view! { <p class="hint">"None"</p> });
    view! {
        <ol class="picked" data-testid=format!("many-{}", f.key.replace('_', "-"))>{rows}</ol>
        {empty}
        {add}
    }
    .into_any()
}

/// The list with one field of row `i` changed: what a row's control sends.
fn row_setter(list: &[Value], i: usize) -> impl Fn(&str, Value) -> Vec<Value> + Clone + 'static {
    let list = list.to_vec();
    move |k: &str, v: Value| {
        let mut l = list.clone();
        l[i][k] = v;
        l
    }
}

/// A row editor's inline error, shared by the rows of one list.
fn row_error(error: RwSignal<Option<String>>) -> impl IntoView {
    view! {
        <Show when=move || error.with(Option::is_some)>
            <p class="field-error" role="alert">{move || error.get().unwrap_or_default()}</p>
        </Show>
    }
}

/// A VM's network adapters: switch, VLAN and MAC spoofing per row.
pub fn nics(value: &Value, cx: &Ctx) -> AnyView {
    let list = items(value);
    let send = cx.send;
    let error = RwSignal::new(None::<String>);
    let switches: Vec<(String, String)> = cx
        .design
        .switches
        .iter()
        .map(|s| (s.id.clone(), display_name(&s.name, &s.id).to_string()))
        .collect();
    let set = move |l: Vec<Value>| send.run(("nics".to_string(), json!(l)));
    let rows = list
        .iter()
        .enumerate()
        .map(|(i, nic)| {
            let current = get(nic, "switch").as_str().unwrap_or_default().to_string();
            let vlan = get(nic, "vlan").as_u64().map(|v| v.to_string()).unwrap_or_default();
            let spoof = get(nic, "mac_spoofing").as_bool().unwrap_or(false);
            let with = row_setter(&list, i);
            let (w1, w2, w3) = (with.clone(), with.clone(), with);
            let mut without = list.clone();
            without.remove(i);
            let (s1, s2, s3, s4) = (set, set, set, set);
            let opts = switches.clone();
            view! {
                <tr data-testid=format!("nic-{i}")>
                    <td><select data-testid=format!("nic-{i}-switch") aria-label=format!("Adapter {} switch", i + 1)
                        on:change=move |ev| s1(w1("switch", json!(event_target_value(&ev))))>
                        {opts.into_iter().map(|(id, n)| { let sel = id == current; view! { <option value=id selected=sel>{n}</option> } }).collect_view()}
                    </select></td>
                    <td><input class="vlan" data-testid=format!("nic-{i}-vlan") inputmode="numeric" placeholder="none"
                        aria-label=format!("Adapter {} VLAN ID (1-4094, empty: untagged)", i + 1) prop:value=vlan
                        on:change=move |ev| match parse_num(&event_target_value(&ev), 1, 4094, true) {
                            Ok(v) => { error.set(None); s2(w2("vlan", v)); }
                            Err(e) => error.set(Some(format!("VLAN ID: {e}, or leave it empty for untagged"))),
                        }/></td>
                    <td><input type="checkbox" data-testid=format!("nic-{i}-mac") prop:checked=spoof
                        aria-label=format!("Adapter {} MAC address spoofing", i + 1)
                        on:change=move |ev| s3(w3("mac_spoofing", json!(event_target_checked(&ev))))/></td>
                    <td><button class="mini" data-testid=format!("nic-{i}-remove") aria-label=format!("Remove adapter {}", i + 1)
                        on:click=move |_| s4(without.clone())>"✕"</button></td>
                </tr>
            }
        })
        .collect_view();
    let first = switches.first().map(|(id, _)| id.clone());
    let add = move |_| match &first {
        Some(sw) => {
            let mut l = list.clone();
            l.push(json!({"switch": sw, "vlan": null, "mac_spoofing": false}));
            set(l);
        }
        None => error.set(Some("Add a virtual switch first.".into())),
    };
    view! {
        <table class="rows" data-testid="nics">
            <thead><tr><th>"Switch"</th><th>"VLAN"</th><th title="MAC address spoofing (needed by unicast NLB)">"MAC"</th><th></th></tr></thead>
            <tbody>{rows}</tbody>
        </table>
        <button class="add-row" data-testid="nic-add" on:click=add>"+ Network adapter"</button>
        {row_error(error)}
    }
    .into_any()
}

/// The witness: kind, and for disk and file share witnesses the storage that holds it.
pub fn witness(value: &Value, cx: &Ctx) -> AnyView {
    let kind = get(value, "kind").as_str().unwrap_or("none").to_string();
    let storage = get(value, "storage")
        .as_str()
        .unwrap_or_default()
        .to_string();
    let send = cx.send;
    let error = RwSignal::new(None::<String>);
    let of = |k: StorageKind| -> Vec<(String, String)> {
        cx.design
            .storage
            .iter()
            .filter(|s| s.kind == k)
            .map(|s| (s.id.clone(), display_name(&s.name, &s.id).to_string()))
            .collect()
    };
    let (san, smb) = (of(StorageKind::San), of(StorageKind::Smb));
    let targets = match kind.as_str() {
        "disk" => san.clone(),
        "file_share" => smb.clone(),
        _ => Vec::new(),
    };
    let set = move |v: Value| send.run(("witness".to_string(), v));
    let on_kind = move |ev: leptos::ev::Event| {
        let k = event_target_value(&ev);
        let pick = |l: &[(String, String)], what: &str| match l.first() {
            Some((id, _)) => Ok(json!({"kind": k, "storage": id})),
            None => Err(format!("Add {what} first: it holds this witness.")),
        };
        let v = match k.as_str() {
            "disk" => pick(&san, "a SAN LUN"),
            "file_share" => pick(&smb, "an SMB share"),
            _ => Ok(json!({"kind": k})),
        };
        match v {
            Ok(v) => {
                error.set(None);
                set(v)
            }
            Err(e) => error.set(Some(e)),
        }
    };
    let k2 = kind.clone();
    let target = (!targets.is_empty()).then(|| {
        view! {
            <select data-testid="witness-storage" aria-label="Witness storage"
                on:change=move |ev| set(json!({"kind": k2.clone(), "storage": event_target_value(&ev)}))>
                {targets.into_iter().map(|(id, n)| { let sel = id == storage; view! { <option value=id selected=sel>{n}</option> } }).collect_view()}
            </select>
        }
    });
    let kinds = [
        ("none", "No witness"),
        ("disk", "Disk witness (SAN LUN)"),
        ("file_share", "File share witness (SMB)"),
        ("cloud", "Cloud witness (2016+)"),
    ];
    view! {
        <div class="pair">
            <select data-testid="witness-kind" aria-label="Witness kind" on:change=on_kind>
                {kinds.into_iter().map(|(v, w)| view! { <option value=v selected=kind == v>{w}</option> }).collect_view()}
            </select>
            {target}
        </div>
        {row_error(error)}
    }
    .into_any()
}

/// NLB members: each VM's unique host priority (1-32) and port rule load weight.
pub fn nlb_members(value: &Value, cx: &Ctx) -> AnyView {
    let list = items(value);
    let send = cx.send;
    let error = RwSignal::new(None::<String>);
    let vms = options(Pick::Vms, &cx.design, &cx.own);
    let set = move |l: Vec<Value>| send.run(("members".to_string(), json!(l)));
    let name = |id: &str| {
        vms.iter()
            .find(|(x, _)| x == id)
            .map_or(id.to_string(), |(_, n)| n.clone())
    };
    let rows = list
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let vm = get(m, "vm").as_str().unwrap_or_default().to_string();
            let prio = get(m, "priority").as_u64().map(|v| v.to_string()).unwrap_or_default();
            let weight = get(m, "weight").as_u64().map(|v| v.to_string()).unwrap_or_default();
            let with = row_setter(&list, i);
            let w2 = with.clone();
            let mut without = list.clone();
            without.remove(i);
            let label = name(&vm);
            view! {
                <tr data-testid=format!("nlb-{i}")>
                    <td class="pick-name">{label.clone()}</td>
                    <td><input class="small" data-testid=format!("nlb-{i}-priority") inputmode="numeric" prop:value=prio
                        aria-label=format!("{label} host priority (1-32, unique)")
                        on:change=move |ev| match parse_num(&event_target_value(&ev), 1, 32, false) {
                            Ok(v) => { error.set(None); set(with("priority", v)); }
                            Err(e) => error.set(Some(format!("Host priority: {e}"))),
                        }/></td>
                    <td><input class="small" data-testid=format!("nlb-{i}-weight") inputmode="numeric" placeholder="equal" prop:value=weight
                        aria-label=format!("{label} load weight (1-100, empty: equal)")
                        on:change=move |ev| match parse_num(&event_target_value(&ev), 1, 100, true) {
                            Ok(v) => { error.set(None); set(w2("weight", v)); }
                            Err(e) => error.set(Some(format!("Load weight: {e}, or leave it empty for equal load"))),
                        }/></td>
                    <td><button class="mini" data-testid=format!("nlb-{i}-remove") aria-label=format!("Remove {label}")
                        on:click=move |_| set(without.clone())>"✕"</button></td>
                </tr>
            }
        })
        .collect_view();
    let used: Vec<String> = list
        .iter()
        .filter_map(|m| get(m, "vm").as_str().map(String::from))
        .collect();
    let next = (1..=32u64)
        .find(|p| !list.iter().any(|m| get(m, "priority").as_u64() == Some(*p)))
        .unwrap_or(32);
    let rest: Vec<(String, String)> = vms
        .iter()
        .filter(|(id, _)| !used.contains(id))
        .cloned()
        .collect();
    let add = (!rest.is_empty()).then(|| {
        view! {
            <select class="add" data-testid="nlb-add" aria-label="Add a VM to the NLB cluster"
                on:change=move |ev| {
                    let id = event_target_value(&ev);
                    if !id.is_empty() {
                        let mut l = list.clone();
                        l.push(json!({"vm": id, "priority": next}));
                        set(l);
                    }
                }>
                <option value="" selected=true>"Add a VM…"</option>
                {rest.into_iter().map(|(id, n)| view! { <option value=id>{n}</option> }).collect_view()}
            </select>
        }
    });
    view! {
        <table class="rows" data-testid="nlb-members">
            <thead><tr><th>"VM"</th><th title="Unique host priority, 1-32">"Priority"</th><th title="Port rule load weight">"Weight"</th><th></th></tr></thead>
            <tbody>{rows}</tbody>
        </table>
        {add}
        {row_error(error)}
    }
    .into_any()
}

/// Cluster sets: name, VMs, the sets it waits for, what makes it ready, and its delay.
pub fn sets(value: &Value, cx: &Ctx) -> AnyView {
    let list = items(value);
    let send = cx.send;
    let error = RwSignal::new(None::<String>);
    let vms = options(Pick::Vms, &cx.design, &cx.own);
    let set = move |l: Vec<Value>| send.run(("sets".to_string(), json!(l)));
    let names: Vec<String> = list
        .iter()
        .filter_map(|s| get(s, "name").as_str().map(String::from))
        .collect();
    let rows = list
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let with = row_setter(&list, i);
            let (w1, w2, w3, w4, w5) = (with.clone(), with.clone(), with.clone(), with.clone(), with);
            let name = get(s, "name").as_str().unwrap_or_default().to_string();
            let members = ids(get(s, "vms"));
            let deps = ids(get(s, "depends_on"));
            let trigger = get(s, "trigger").as_str().unwrap_or("delay").to_string();
            let delay = get(s, "startup_delay_ms").as_u64().map(|v| v.to_string()).unwrap_or_default();
            let others: Vec<String> = names.iter().filter(|n| **n != name).cloned().collect();
            let mut without = list.clone();
            without.remove(i);
            let vm_opts = vms.clone();
            let selected = |ev: &leptos::ev::Event| -> Vec<String> {
                let Some(sel) = ev.target().and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlSelectElement>(t).ok()) else {
                    return Vec::new();
                };
                let o = sel.selected_options();
                (0..o.length())
                    .filter_map(|k| o.item(k))
                    .filter_map(|e| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlOptionElement>(e).ok())
                    .map(|e| e.value())
                    .collect()
            };
            view! {
                <fieldset class="set" data-testid=format!("set-{i}")>
                    <legend>{format!("Set {}", i + 1)}</legend>
                    <label>"Name"<input data-testid=format!("set-{i}-name") prop:value=name.clone()
                        on:change=move |ev| set(w1("name", json!(event_target_value(&ev).trim())))/></label>
                    <label>"VMs"<select multiple=true size="3" data-testid=format!("set-{i}-vms")
                        on:change=move |ev| set(w2("vms", json!(selected(&ev))))>
                        {vm_opts.into_iter().map(|(id, n)| { let sel = members.contains(&id); view! { <option value=id selected=sel>{n}</option> } }).collect_view()}
                    </select></label>
                    <label>"Waits for"<select multiple=true size="2" data-testid=format!("set-{i}-deps")
                        on:change=move |ev| set(w3("depends_on", json!(selected(&ev))))>
                        {others.into_iter().map(|n| { let sel = deps.contains(&n); let v = n.clone(); view! { <option value=v selected=sel>{n}</option> } }).collect_view()}
                    </select></label>
                    <label>"Ready when"<select data-testid=format!("set-{i}-trigger")
                        on:change=move |ev| set(w4("trigger", json!(event_target_value(&ev))))>
                        <option value="delay" selected=trigger == "delay">"Started, plus the delay"</option>
                        <option value="online" selected=trigger == "online">"Its VMs are online"</option>
                    </select></label>
                    <label>"Startup delay (ms)"<input inputmode="numeric" placeholder="default 20000" prop:value=delay
                        data-testid=format!("set-{i}-delay")
                        on:change=move |ev| match parse_num(&event_target_value(&ev), 0, 3_600_000, true) {
                            Ok(v) => { error.set(None); set(w5("startup_delay_ms", v)); }
                            Err(e) => error.set(Some(format!("Startup delay (ms): {e}"))),
                        }/></label>
                    <button class="mini danger" aria-label=format!("Remove set {}", i + 1) on:click=move |_| set(without.clone())>"Remove set"</button>
                </fieldset>
            }
        })
        .collect_view();
    let n = list.len();
    let add = move |_| {
        let mut l = list.clone();
        l.push(json!({"name": format!("set-{}", n + 1), "vms": []}));
        set(l);
    };
    view! {
        {rows}
        <button class="add-row" data-testid="set-add" on:click=add>"+ Cluster set"</button>
        {row_error(error)}
    }
    .into_any()
}

/// FailbackWindowStart / End: fail back at once, or only between two hours of the day.
pub fn failback_window(value: &Value, cx: &Ctx) -> AnyView {
    let send = cx.send;
    let on = !value.is_null();
    let start = get(value, "start_hour").as_u64().unwrap_or(22);
    let end = get(value, "end_hour").as_u64().unwrap_or(6);
    let set = move |v: Value| send.run(("failback_window".to_string(), v));
    let hours = move |current: u64| {
        (0..24u64)
            .map(|h| view! { <option value=h.to_string() selected=h == current>{format!("{h:02}:00")}</option> })
            .collect_view()
    };
    let hour = |ev: &leptos::ev::Event| event_target_value(ev).parse::<u64>().unwrap_or(0);
    view! {
        <div class="pair">
            <select data-testid="failback-when" aria-label="When to fail back"
                on:change=move |ev| set(if event_target_value(&ev) == "window" { json!({"start_hour": start, "end_hour": end}) } else { Value::Null })>
                <option value="now" selected=!on>"At once"</option>
                <option value="window" selected=on>"Between…"</option>
            </select>
            <Show when=move || on>
                <select data-testid="failback-start" aria-label="Failback window start"
                    on:change=move |ev| set(json!({"start_hour": hour(&ev), "end_hour": end}))>{hours(start)}</select>
                <select data-testid="failback-end" aria-label="Failback window end"
                    on:change=move |ev| set(json!({"start_hour": start, "end_hour": hour(&ev)}))>{hours(end)}</select>
            </Show>
        </div>
    }
    .into_any()
}

/// A cable's two ends, by name.
pub fn ends(cx: &Ctx) -> AnyView {
    let d = &cx.design;
    let text = d
        .links
        .iter()
        .find(|l| l.id == cx.own)
        .map(|l| format!("{} ↔ {}", l.a, l.b))
        .unwrap_or_default();
    view! { <output data-testid="link-ends">{text}</output> }.into_any()
}
