//! Authoring a lesson on its card (author mode): title and goal, steps with hints, checks added
//! from a menu with their parameters, the selection locked with a reason, the faults students
//! may use, and a preview as a student. Every change is one `SetLesson` command (undoable).

use super::Ui;
use crate::editor::Command;
use crate::model::lesson::{Check, Lesson, Locked, Step};
use leptos::prelude::*;
use serde_json::{Map, Value};

#[derive(Clone, Copy)]
enum Param {
    Text,
    Number,
    Seconds,
    /// Set by the menu entry, not typed.
    Fixed(&'static str),
}

/// A kind of check: its name in the file, words for the menu, and its parameters.
type Kind = (&'static str, &'static str, &'static [(&'static str, Param)]);

/// Every kind of check, in the menu's order.
const KINDS: &[Kind] = &[
    (
        "no_local_storage",
        "Design: no VM of a tier on local storage",
        &[("tier", Param::Text)],
    ),
    (
        "spans_hosts",
        "Design: a tier spans at least N hosts",
        &[("tier", Param::Text), ("hosts", Param::Number)],
    ),
    (
        "only_reachable_from",
        "Design: a tier reachable only from another",
        &[("tier", Param::Text), ("from", Param::Text)],
    ),
    (
        "has_witness",
        "Design: a cluster has a witness",
        &[("cluster", Param::Text)],
    ),
    (
        "at_most_hosts",
        "Design: at most N hosts",
        &[("hosts", Param::Number)],
    ),
    (
        "served",
        "Run: a service served at least Y % of requests",
        &[("service", Param::Text), ("percent", Param::Number)],
    ),
    (
        "running_within",
        "Run: a VM running again within T s",
        &[("vm", Param::Text), ("within_ms", Param::Seconds)],
    ),
    (
        "rpo_within",
        "Run: a VM's RPO never above T s",
        &[("vm", Param::Text), ("within_ms", Param::Seconds)],
    ),
    (
        "quorum_kept",
        "Run: a cluster keeps quorum",
        &[("cluster", Param::Text)],
    ),
    (
        "survives",
        "Analysis: a service survives every host crash",
        &[
            ("service", Param::Text),
            ("scope", Param::Fixed("host_crashes")),
        ],
    ),
    (
        "survives",
        "Analysis: a service survives every VM failure (crash, application, hang)",
        &[
            ("service", Param::Text),
            ("scope", Param::Fixed("vm_failures")),
        ],
    ),
    (
        "survives",
        "Analysis: a service survives every single failure",
        &[("service", Param::Text), ("scope", Param::Fixed("every"))],
    ),
    (
        "recovers_within",
        "Analysis: a service recovers within T s of any host crash",
        &[
            ("service", Param::Text),
            ("within_ms", Param::Seconds),
            ("scope", Param::Fixed("host_crashes")),
        ],
    ),
    (
        "recovers_within",
        "Analysis: a service recovers within T s of any VM failure (crash, application, hang)",
        &[
            ("service", Param::Text),
            ("within_ms", Param::Seconds),
            ("scope", Param::Fixed("vm_failures")),
        ],
    ),
    (
        "recovers_within",
        "Analysis: a service recovers within T s of any single failure",
        &[
            ("service", Param::Text),
            ("within_ms", Param::Seconds),
            ("scope", Param::Fixed("every")),
        ],
    ),
    (
        "availability",
        "Analysis: a service available at least Y %",
        &[("service", Param::Text), ("percent", Param::Number)],
    ),
    (
        "did",
        "Action: the student injected a fault, then saw an event",
        &[("fault", Param::Text), ("then", Param::Text)],
    ),
];

/// The fault kinds a lesson may allow (as the file writes them).
const FAULTS: &[&str] = &[
    "host_crash",
    "host_isolation",
    "vm_crash",
    "app_failure",
    "guest_hang",
    "switch_failure",
    "link_cut",
    "storage_failure",
    "site_failure",
    "partition",
    "witness_failure",
];

/// A check from the menu's kind and the values typed for its parameters.
fn check_from(kind: usize, values: &[String]) -> Result<Check, String> {
    let (name, _, params) = KINDS[kind];
    let mut o = Map::new();
    o.insert("check".into(), Value::String(name.into()));
    let typed = values
        .iter()
        .map(String::as_str)
        .chain(std::iter::repeat(""));
    for ((p, ty), v) in params.iter().zip(typed) {
        if let Param::Fixed(v) = ty {
            o.insert(p.to_string(), Value::String(v.to_string()));
            continue;
        }
        let v = v.trim();
        if v.is_empty() {
            if *p == "then" {
                continue;
            }
            return Err(format!("the check needs its {p}"));
        }
        let value = match ty {
            Param::Text | Param::Fixed(_) => Value::String(v.to_string()),
            Param::Number => {
                let n: f64 = v.parse().map_err(|_| format!("{p} is a number"))?;
                if n.fract() == 0.0 && n >= 0.0 {
                    Value::from(n as u64)
                } else {
                    Value::from(n)
                }
            }
            Param::Seconds => {
                let n: f64 = v
                    .parse()
                    .map_err(|_| format!("{p} is a number of seconds"))?;
                Value::from((n.max(0.0) * 1000.0).round() as u64)
            }
        };
        o.insert(p.to_string(), value);
    }
    serde_json::from_value(Value::Object(o)).map_err(|e| format!("the check cannot be made: {e}"))
}

fn set(ui: Ui, lesson: Lesson) {
    ui.apply(Command::SetLesson(Some(lesson)));
}

#[component]
pub fn Author(ui: Ui, lesson: Lesson) -> impl IntoView {
    let current = StoredValue::new(lesson.clone());
    let edit = move |f: Box<dyn FnOnce(&mut Lesson)>| {
        let mut l = current.get_value();
        f(&mut l);
        set(ui, l);
    };
    let kind = RwSignal::new(0usize);
    let values = RwSignal::new(vec![String::new(); 2]);
    let reason = RwSignal::new(String::new());
    let add_check = move |_| match check_from(kind.get_untracked(), &values.get_untracked()) {
        Ok(c) => edit(Box::new(move |l| l.checks.push(c))),
        Err(e) => ui.fail(e),
    };
    let lock_selection = move |_| {
        let ids = ui.editor.with_untracked(|e| e.selection.clone());
        if ids.is_empty() {
            ui.fail("select the parts to lock on the canvas first");
            return;
        }
        let why = reason.get_untracked();
        edit(Box::new(move |l| {
            for id in ids {
                l.lock.parts.retain(|p| p.id != id);
                l.lock.parts.push(Locked {
                    id,
                    properties: Vec::new(),
                    reason: why.clone(),
                });
            }
        }));
    };
    let steps = lesson
        .steps
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let (text, hint) = (s.text.clone(), s.hint.clone());
            view! {
                <li class="author-step">
                    <input type="text" aria-label="Step" data-testid=format!("author-step-{i}") prop:value=text
                        on:change=move |ev| { let v = event_target_value(&ev); edit(Box::new(move |l| l.steps[i].text = v)); }/>
                    <input type="text" aria-label="Hint" placeholder="hint (optional)" prop:value=hint
                        on:change=move |ev| { let v = event_target_value(&ev); edit(Box::new(move |l| l.steps[i].hint = v)); }/>
                    <button class="remove" title="Remove the step" aria-label="Remove the step"
                        on:click=move |_| edit(Box::new(move |l| { l.steps.remove(i); }))>"✕"</button>
                </li>
            }
        })
        .collect_view();
    let checks = lesson
        .checks
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let words = crate::lesson::words(c);
            view! {
                <li>{words}" "
                    <button class="remove" title="Remove the check" aria-label="Remove the check" data-testid=format!("author-remove-check-{i}")
                        on:click=move |_| edit(Box::new(move |l| { l.checks.remove(i); }))>"✕"</button></li>
            }
        })
        .collect_view();
    let locks = lesson
        .lock
        .parts
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let what = format!("{}{}", p.id, if p.reason.is_empty() { String::new() } else { format!(": {}", p.reason) });
            view! {
                <li>{what}" "<button class="remove" title="Unlock" aria-label="Unlock"
                    on:click=move |_| edit(Box::new(move |l| { l.lock.parts.remove(i); }))>"✕"</button></li>
            }
        })
        .collect_view();
    let faults = FAULTS
        .iter()
        .map(|f| {
            let on = lesson.lock.faults.iter().any(|x| x == f);
            view! {
                <label class="fault-kind"><input type="checkbox" prop:checked=on data-testid=format!("author-fault-{f}")
                    on:change=move |ev| {
                        let checked = event_target_checked(&ev);
                        edit(Box::new(move |l| {
                            l.lock.faults.retain(|x| x != f);
                            if checked { l.lock.faults.push(f.to_string()); }
                        }));
                    }/>" "{*f}</label>
            }
        })
        .collect_view();
    let params = move || {
        KINDS[kind.get()]
            .2
            .iter()
            .enumerate()
            .filter(|(_, (_, ty))| !matches!(ty, Param::Fixed(_)))
            .map(|(i, (p, _))| {
                view! {
                    <input type="text" placeholder=*p aria-label=*p data-testid=format!("author-param-{i}")
                        prop:value=move || values.with(|v| v.get(i).cloned().unwrap_or_default())
                        on:input=move |ev| { let v = event_target_value(&ev); values.update(|all| { if all.len() <= i { all.resize(i + 1, String::new()); } all[i] = v; }); }/>
                }
            })
            .collect_view()
    };
    let (title, goal) = (lesson.title.clone(), lesson.goal.clone());
    view! {
        <div class="lesson-author" data-testid="lesson-author">
            <label>"Title "<input type="text" data-testid="author-title" prop:value=title
                on:change=move |ev| { let v = event_target_value(&ev); edit(Box::new(move |l| l.title = v)); }/></label>
            <label>"Goal "<textarea data-testid="author-goal" prop:value=goal
                on:change=move |ev| { let v = event_target_value(&ev); edit(Box::new(move |l| l.goal = v)); }></textarea></label>
            <h3>"Steps"</h3>
            <ol>{steps}</ol>
            <button data-testid="author-add-step" on:click=move |_| edit(Box::new(|l| l.steps.push(Step { text: "A new step".into(), hint: String::new() })))>"Add a step"</button>
            <h3>"Checks"</h3>
            <ul>{checks}</ul>
            <div class="add-check">
                <select data-testid="author-check-kind" aria-label="Kind of check"
                    on:change=move |ev| { kind.set(event_target_value(&ev).parse().unwrap_or(0)); values.set(vec![String::new(); 2]); }>
                    {KINDS.iter().enumerate().map(|(i, k)| view! { <option value=i.to_string()>{k.1}</option> }).collect_view()}
                </select>
                {params}
                <button data-testid="author-add-check" on:click=add_check>"Add the check"</button>
            </div>
            <h3>"Locked"</h3>
            <ul>{locks}</ul>
            <div class="lock-selection">
                <input type="text" placeholder="why (shown to students)" aria-label="Why it is locked" data-testid="author-lock-reason"
                    prop:value=move || reason.get() on:input=move |ev| reason.set(event_target_value(&ev))/>
                <button data-testid="author-lock" on:click=lock_selection>"Lock the selection"</button>
            </div>
            <p class="hint">"Faults students may use (none ticked: any):"</p>
            <div class="fault-kinds">{faults}</div>
            <label class="fault-kind"><input type="checkbox" prop:checked=lesson.lock.script data-testid="author-lock-script"
                on:change=move |ev| { let on = event_target_checked(&ev); edit(Box::new(move |l| l.lock.script = on)); }/>
                " Keep the script: students may add to it, not remove what it has"</label>
            <button class="remove-lesson" data-testid="author-remove-lesson"
                on:click=move |_| ui.apply(Command::SetLesson(None))>"Remove the lesson"</button>
        </div>
    }
}
