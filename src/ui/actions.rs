//! Breaking, repairing and operating things during a run: the context menu on a component, the
//! actions for the selection, planning one at a later time, and the script.

use super::Ui;
use super::run::clock;
use crate::editor::Command;
use crate::model::{ScheduledFault, ScheduledOp};
use crate::sim::actions::{Act, Action, NO_KEY, actions, operations};
use crate::sim::{describe, describe_op};
use leptos::prelude::*;

/// What adding an action to the script at `at_ms` is, as one undoable command.
pub fn command(act: &Act, at_ms: u64) -> Command {
    match act {
        Act::Fault { fault, repair } => Command::AddFault(ScheduledFault {
            at_ms,
            repair: *repair,
            fault: fault.clone(),
        }),
        Act::Op(op) => Command::AddOp(ScheduledOp {
            at_ms,
            op: op.clone(),
        }),
    }
}

/// Faults and repairs for the selection at `at`, then the operations its state allows; in
/// student mode, only those the lesson allows.
pub fn all_actions(ui: Ui, at: u64, ids: &[String]) -> Vec<Action> {
    let mut list = ui.editor.with(|e| actions(e.scenario(), at, ids));
    ui.run.snap.with(|snap| {
        if let Some(snap) = snap {
            ui.editor
                .with(|e| list.extend(operations(e.scenario(), snap, ids)))
        }
    });
    ui.editor.with(|e| {
        let lock = e
            .scenario()
            .lesson
            .as_ref()
            .filter(|_| e.student())
            .map(|l| &l.lock);
        if let Some(lock) = lock {
            list.retain(|a| match command(&a.act, at) {
                Command::AddFault(f) => lock.allows_fault(&f),
                Command::AddOp(o) => lock.allows_operation(&o),
                _ => true,
            });
        }
    });
    list
}

fn current_actions(ui: Ui, ids: &[String]) -> Vec<Action> {
    all_actions(ui, ui.run.now.get(), ids)
}

fn action_button(ui: Ui, a: Action, close_menu: bool) -> impl IntoView {
    let label = a.label.clone();
    let key = a.key;
    let keyed = key != NO_KEY;
    let testid = if keyed {
        format!("action-{key}")
    } else {
        "action".to_string()
    };
    view! {
        <button class="action" class:repair=a.restores() class:op=matches!(a.act, Act::Op(_))
            role="menuitem" data-testid=testid
            title=keyed.then(|| format!("Key {} on the focused component", key.to_ascii_uppercase()))
            on:click=move |_| {
                ui.run.act(ui, &a);
                if close_menu {
                    ui.run.menu.set(None);
                }
            }>
            {label}{keyed.then(|| view! { <kbd>{key.to_ascii_uppercase().to_string()}</kbd> })}
        </button>
    }
}

/// Right-click (or the menu key) on a component during a run.
///
/// The run's clock moves every frame while it plays; the menu is built again only when it opens
/// on something else or its actions change (a fault toggles), so it keeps its node and focus.
#[component]
pub fn ContextMenu(ui: Ui) -> impl IntoView {
    let opened = Memo::new(move |_| ui.run.menu.get());
    let list = Memo::new(move |_| {
        let ids = opened.with(|m| m.as_ref().map(|m| m.ids.clone()))?;
        Some(current_actions(ui, &ids))
    });
    // Owned by the component, not by one build of the menu: alive whenever the frame runs.
    let first_focus = NodeRef::<leptos::html::Div>::new();
    Effect::new(move |_| {
        if opened.with(Option::is_some) {
            request_animation_frame(move || {
                if let Some(el) = first_focus.get_untracked()
                    && let Ok(Some(b)) = el.query_selector("button")
                    && let Ok(b) = wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(b)
                {
                    let _ = b.focus();
                }
            });
        }
    });
    move || {
        let menu = opened.get()?;
        let list = list.get().unwrap_or_default();
        let style = format!("left:{:.0}px;top:{:.0}px", menu.at.0, menu.at.1);
        Some(view! {
            <div class="menu" role="menu" data-testid="context-menu" style=style node_ref=first_focus
                on:keydown=move |ev| if ev.key() == "Escape" { ui.run.menu.set(None); }>
                <div class="menu-title">{menu.ids.join(", ")}</div>
                {if list.is_empty() {
                    view! { <p class="hint">"Nothing to do here."</p> }.into_any()
                } else {
                    list.into_iter().map(|a| action_button(ui, a, true)).collect_view().into_any()
                }}
            </div>
        })
    }
}

/// The selection's actions, planning one for later, and the fault script.
#[component]
pub fn FaultPanel(ui: Ui) -> impl IntoView {
    let plan_at = RwSignal::new(String::new());
    let plan_choice = RwSignal::new(0usize);
    let selected = move || ui.run.selection.get();
    let detail = move || {
        let ids = selected();
        let [id] = ids.as_slice() else {
            return String::new();
        };
        ui.run.snap.with(|s| {
            let Some(s) = s else { return String::new() };
            if let Some(v) = s.vms.iter().find(|v| &v.id == id) {
                let what = if v.reason.is_empty() {
                    String::new()
                } else {
                    format!(": {}", v.reason)
                };
                format!("on {}{what}", v.host)
            } else if let Some(h) = s.hosts.iter().find(|h| &h.id == id) {
                format!(
                    "{} · CPU {}% · memory {}/{} GB",
                    if !h.up {
                        "down"
                    } else if h.isolated {
                        "isolated"
                    } else {
                        "up"
                    },
                    h.cpu_pct,
                    h.memory_used_gb,
                    h.memory_gb
                )
            } else {
                String::new()
            }
        })
    };
    // The planned moment in ms, if the field holds a time.
    let planned = move || {
        plan_at
            .get()
            .trim()
            .parse::<f64>()
            .ok()
            .filter(|s| s.is_finite() && *s >= 0.0 && *s < 1e9)
            .map(|s| (s * 1000.0).round() as u64)
    };
    // What can be planned depends on what is broken by then (fail, or repair).
    let plannable = move || {
        let ids = selected();
        let at = planned().unwrap_or_else(|| ui.run.now.get());
        all_actions(ui, at, &ids)
    };
    let plan = move |_| {
        let Some(at_ms) = planned() else {
            ui.fail(format!(
                "'{}' is not a time: give seconds from the start, like 30",
                plan_at.get_untracked()
            ));
            return;
        };
        let Some(a) = plannable().get(plan_choice.get_untracked()).cloned() else {
            return;
        };
        ui.apply(command(&a.act, at_ms));
        ui.say(format!("planned at {}: {}", clock(at_ms), a.label));
    };
    // Faults and operations in one list, by time (faults first at equal times, as they run).
    let script = move || {
        // A case opened from the analysis shows its own script (one failure), not removable.
        let case = ui
            .editor
            .with(|e| ui.analysis.scenario_to_run(e.scenario()));
        let opened = case.is_some();
        let mut entries: Vec<(u64, String, Command)> = ui.editor.with(|e| {
            let s = case.as_ref().unwrap_or(e.scenario());
            let faults = s.faults.iter().enumerate().map(|(i, f)| {
                let text = describe(&f.fault, f.repair).1;
                (f.at_ms, text, Command::RemoveFault { index: i })
            });
            let ops = s
                .operations
                .iter()
                .enumerate()
                .map(|(i, o)| (o.at_ms, describe_op(&o.op), Command::RemoveOp { index: i }));
            faults.chain(ops).collect()
        });
        entries.sort_by_key(|e| e.0);
        let now = ui.run.now.get();
        entries
            .into_iter()
            .map(|(at, text, remove)| {
                let remove = StoredValue::new(remove);
                view! {
                    <li class:past=at <= now data-testid="script-entry">
                        <button class="jump" title="Show this moment" on:click=move |_| ui.run.seek(at)>
                            <span class="t">{clock(at)}</span>" "{text}
                        </button>
                        <Show when=move || !opened>
                            <button class="remove" aria-label="Remove from the script" title="Remove from the script"
                                on:click=move |_| ui.apply(remove.get_value())>"✕"</button>
                        </Show>
                    </li>
                }
            })
            .collect_view()
    };
    view! {
        <section class="faults" aria-label="Break, repair and operate">
            <h2>"Break, repair, operate"</h2>
            <Show when=move || !selected().is_empty()
                fallback=|| view! { <p class="hint">"Click a host, VM, switch, link or storage to break it, or to drain, shut down or migrate it (or right-click it). Shift-click several to partition them from the rest."</p> }>
                <p class="picked" data-testid="picked"><strong>{move || selected().join(", ")}</strong>" "<span>{detail}</span></p>
                <div class="action-list" data-testid="actions">
                    {move || current_actions(ui, &selected()).into_iter().map(|a| action_button(ui, a, false)).collect_view()}
                </div>
                <div class="plan">
                    <select aria-label="Fault or operation to plan" data-testid="plan-action"
                        on:change=move |ev| plan_choice.set(event_target_value(&ev).parse().unwrap_or(0))>
                        {move || plannable().into_iter().enumerate()
                            .map(|(i, a)| view! { <option value=i.to_string()>{a.label}</option> })
                            .collect_view()}
                    </select>
                    <label>"at "<input type="number" min="0" step="1" data-testid="plan-at" placeholder="s"
                        prop:value=move || plan_at.get() on:input=move |ev| plan_at.set(event_target_value(&ev))/>" s"</label>
                    <button data-testid="plan" on:click=plan>"Plan"</button>
                </div>
            </Show>
            <h2>"Script"</h2>
            <ol class="script" data-testid="script">{script}</ol>
        </section>
    }
}
