//! One control per kind of property: numbers with their range, choices in words, pickers of
//! hosts, storage and sites. Each sends the new JSON value of its property; a value out of
//! range is refused next to the field and sends nothing.

use super::fields::{Control, Field, Pick};
use crate::model::{Design, display_name};
use leptos::prelude::*;
use serde_json::{Value, json};

/// What a control needs around it.
#[derive(Clone)]
pub struct Ctx {
    pub design: Design,
    /// The component edited (one of them, when several are).
    pub own: String,
    /// Sends (property, new value) as one command.
    pub send: Callback<(String, Value)>,
    /// In student mode, the lesson's lock and the ids edited: locked properties are read-only.
    #[cfg(feature = "simulate")]
    pub lock: Option<(crate::model::lesson::Lock, Vec<String>)>,
}

impl Ctx {
    /// Why the property may not be edited here (a lesson's lock), if it may not.
    fn locked(&self, key: &str) -> Option<String> {
        #[cfg(feature = "simulate")]
        if let Some((lock, ids)) = &self.lock {
            return ids.iter().find_map(|id| lock.why_locked(id, key));
        }
        let _ = key;
        None
    }
}

/// The value at a dotted path (`role.start_ms`).
pub fn get<'a>(json: &'a Value, key: &str) -> &'a Value {
    key.split('.')
        .fold(json, |v, k| v.get(k).unwrap_or(&Value::Null))
}

/// A number typed in, checked against its range; empty is the default when there is one.
pub fn parse_num(text: &str, min: u64, max: u64, optional: bool) -> Result<Value, String> {
    let t = text.trim().replace([' ', '\u{202f}', ','], "");
    if t.is_empty() {
        return if optional {
            Ok(Value::Null)
        } else {
            Err("a value is needed".into())
        };
    }
    match t.parse::<u64>() {
        Ok(n) if (min..=max).contains(&n) => Ok(json!(n)),
        _ => Err(format!(
            "enter a whole number from {} to {}",
            group(min),
            group(max)
        )),
    }
}

/// 24576 as "24 576": long limits read at a glance.
fn group(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(' ');
        }
        out.push(c);
    }
    out
}

/// The ids (and names) a picker offers.
pub fn options(pick: Pick, d: &Design, own: &str) -> Vec<(String, String)> {
    let hosts = |ids: &mut dyn Iterator<Item = &String>| -> Vec<(String, String)> {
        ids.filter_map(|id| d.hosts.iter().find(|h| &h.id == id))
            .map(|h| (h.id.clone(), display_name(&h.name, &h.id).to_string()))
            .collect()
    };
    match pick {
        Pick::Hosts => hosts(&mut d.hosts.iter().map(|h| &h.id)),
        Pick::Nodes => {
            // A VM's owners are nodes of the cluster it runs in; a cluster's are its own.
            let on = d
                .vms
                .iter()
                .find(|v| v.id == own)
                .and_then(|v| v.hosts.first());
            let cluster = d
                .clusters
                .iter()
                .find(|c| c.id == own || on.is_some_and(|h| c.nodes.contains(h)));
            match cluster {
                Some(c) => hosts(&mut c.nodes.iter()),
                None => hosts(&mut d.hosts.iter().map(|h| &h.id)),
            }
        }
        Pick::Storage => d
            .storage
            .iter()
            .map(|s| (s.id.clone(), display_name(&s.name, &s.id).to_string()))
            .collect(),
        Pick::Sites => d
            .sites
            .iter()
            .map(|s| (s.id.clone(), display_name(&s.name, &s.id).to_string()))
            .collect(),
        Pick::Vms => d
            .vms
            .iter()
            .map(|v| (v.id.clone(), display_name(&v.name, &v.id).to_string()))
            .collect(),
        Pick::Members => {
            let members = d
                .guest_clusters
                .iter()
                .find(|g| g.id == own)
                .map(|g| g.members.clone())
                .unwrap_or_default();
            options(Pick::Vms, d, own)
                .into_iter()
                .filter(|(id, _)| members.contains(id))
                .collect()
        }
    }
}

fn testid(key: &str) -> String {
    format!("field-{}", key.replace(['_', '.'], "-"))
}

/// A JSON value as the text a control shows.
fn text_of(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// One labelled control. `mixed`: the selected components differ here.
pub fn field(f: &'static Field, value: Value, mixed: bool, default: String, cx: &Ctx) -> AnyView {
    let key = f.key.to_string();
    let id = format!("f-{}", f.key.replace('.', "-"));
    let send = cx.send;
    let locked = cx.locked(f.key);
    let error = RwSignal::new(None::<String>);
    let err_id = format!("{id}-error");
    let placeholder = if mixed {
        "mixed".to_string()
    } else if default.is_empty() || f.key == "name" {
        default.clone()
    } else {
        format!("default {default}")
    };
    let control = match f.control {
        Control::Text | Control::OptText => {
            let optional = f.control == Control::OptText;
            let k = key.clone();
            view! {
                <input id=id.clone() data-testid=testid(f.key) placeholder=placeholder prop:value=text_of(&value)
                    on:change=move |ev| {
                        let t = event_target_value(&ev).trim().to_string();
                        let v = if t.is_empty() && optional { Value::Null } else { json!(t) };
                        send.run((k.clone(), v));
                    }/>
            }
            .into_any()
        }
        Control::Num { min, max, optional } => {
            let k = key.clone();
            let label = f.label;
            view! {
                <input id=id.clone() data-testid=testid(f.key) inputmode="numeric" placeholder=placeholder
                    prop:value=text_of(&value) aria-describedby=err_id.clone()
                    aria-invalid=move || error.with(Option::is_some).to_string()
                    on:change=move |ev| match parse_num(&event_target_value(&ev), min, max, optional) {
                        Ok(v) => { error.set(None); send.run((k.clone(), v)); }
                        Err(e) => error.set(Some(format!("{label}: {e}"))),
                    }/>
            }
            .into_any()
        }
        Control::Choice(list) | Control::OptChoice(list) => {
            let optional = matches!(f.control, Control::OptChoice(_));
            let current = text_of(&value);
            let k = key.clone();
            let first = (optional || mixed).then(|| {
                let words = if mixed {
                    "mixed".to_string()
                } else {
                    if default.is_empty() {
                        "Default".to_string()
                    } else {
                        format!("Default ({default})")
                    }
                };
                view! { <option value="" selected=current.is_empty()>{words}</option> }
            });
            view! {
                <select id=id.clone() data-testid=testid(f.key) on:change=move |ev| {
                    let t = event_target_value(&ev);
                    if t.is_empty() && mixed { return; }
                    // "true" and "false" are booleans; "2016+" and "high" are words.
                    let v = if t.is_empty() { Value::Null } else { serde_json::from_str(&t).unwrap_or(json!(t)) };
                    send.run((k.clone(), v));
                }>
                    {first}
                    {list.iter().map(|(v, words)| view! { <option value=*v selected=!mixed && current == *v>{*words}</option> }).collect_view()}
                </select>
            }
            .into_any()
        }
        Control::Check => {
            let k = key.clone();
            return view! {
                <fieldset class="field check" class:locked=locked.is_some() disabled=locked.is_some() title=locked>
                    <input type="checkbox" id=id.clone() data-testid=testid(f.key) prop:checked=value.as_bool().unwrap_or(false)
                        prop:indeterminate=mixed
                        on:change=move |ev| send.run((k.clone(), json!(event_target_checked(&ev))))/>
                    <label for=id>{f.label}</label>
                </fieldset>
            }
            .into_any();
        }
        Control::One(pick, optional) => {
            let current = text_of(&value);
            let k = key.clone();
            let none = optional
                .then(|| view! { <option value="" selected=current.is_empty()>"None"</option> });
            let opts = options(pick, &cx.design, &cx.own);
            view! {
                <select id=id.clone() data-testid=testid(f.key) on:change=move |ev| {
                    let t = event_target_value(&ev);
                    send.run((k.clone(), if t.is_empty() { Value::Null } else { json!(t) }));
                }>
                    {none}
                    {opts.into_iter().map(|(v, name)| { let sel = current == v; view! { <option value=v.clone() selected=sel>{name}</option> } }).collect_view()}
                </select>
            }
            .into_any()
        }
        Control::Many(pick) => super::lists::ordered(f, &value, pick, cx),
        Control::Nics => super::lists::nics(&value, cx),
        Control::Witness => super::lists::witness(&value, cx),
        Control::NlbMembers => super::lists::nlb_members(&value, cx),
        Control::Sets => super::lists::sets(&value, cx),
        Control::FailbackWindow => super::lists::failback_window(&value, cx),
        Control::Ends => super::lists::ends(cx),
    };
    let list = matches!(
        f.control,
        Control::Many(_)
            | Control::Nics
            | Control::Witness
            | Control::NlbMembers
            | Control::Sets
            | Control::FailbackWindow
            | Control::Ends
    );
    let label = if list {
        view! { <span class="label" id=format!("{id}-label")>{f.label}</span> }.into_any()
    } else {
        view! { <label for=id.clone()>{f.label}</label> }.into_any()
    };
    view! {
        <fieldset class="field" class:list=list class:locked=locked.is_some() disabled=locked.is_some() title=locked>
            {label}
            {control}
            <Show when=move || error.with(Option::is_some)>
                <p class="field-error" id=err_id.clone() role="alert">{move || error.get().unwrap_or_default()}</p>
            </Show>
        </fieldset>
    }
    .into_any()
}
