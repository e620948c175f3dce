//! Breaking and repairing things during a run: the context menu on a component, the actions for
//! the selection, planning a fault at a later time, and the fault script.

use super::Ui;
use super::run::clock;
use crate::editor::Command;
use crate::model::ScheduledFault;
use crate::sim::actions::{Action, actions};
use crate::sim::describe;
use leptos::prelude::*;

fn current_actions(ui: Ui, ids: &[String]) -> Vec<Action> {
    let now = ui.run.now.get();
    ui.editor.with(|e| actions(e.scenario(), now, ids))
}

fn action_button(ui: Ui, a: Action, close_menu: bool) -> impl IntoView {
    let label = a.label.clone();
    let key = a.key;
    view! {
        <button class="action" class:repair=a.repair role="menuitem" data-testid=format!("action-{key}")
            title=format!("Key {} on the focused component", key.to_ascii_uppercase())
            on:click=move |_| {
                ui.run.act(ui, &a);
                if close_menu {
                    ui.run.menu.set(None);
                }
            }>
            {label}<kbd>{key.to_ascii_uppercase().to_string()}</kbd>
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
                    view! { <p class="hint">"Nothing to break here."</p> }.into_any()
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
        ui.editor.with(|e| actions(e.scenario(), at, &ids))
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
        ui.apply(Command::AddFault(ScheduledFault {
            at_ms,
            repair: a.repair,
            fault: a.fault.clone(),
        }));
        ui.say(format!("planned at {}: {}", clock(at_ms), a.label));
    };
    let script = move || {
        let faults = ui.editor.with(|e| e.scenario().faults.clone());
        let now = ui.run.now.get();
        faults
            .into_iter()
            .enumerate()
            .map(|(i, f)| {
                let (_, text) = describe(&f.fault, f.repair);
                let at = f.at_ms;
                view! {
                    <li class:past=at <= now data-testid="script-entry">
                        <button class="jump" title="Show this moment" on:click=move |_| ui.run.seek(at)>
                            <span class="t">{clock(at)}</span>" "{text}
                        </button>
                        <button class="remove" aria-label="Remove from the script" title="Remove from the script"
                            on:click=move |_| ui.apply(Command::RemoveFault { index: i })>"✕"</button>
                    </li>
                }
            })
            .collect_view()
    };
    view! {
        <section class="faults" aria-label="Break and repair">
            <h2>"Break and repair"</h2>
            <Show when=move || !selected().is_empty()
                fallback=|| view! { <p class="hint">"Click a host, VM, switch, link or storage to break it (or right-click it). Shift-click several to partition them from the rest."</p> }>
                <p class="picked" data-testid="picked"><strong>{move || selected().join(", ")}</strong>" "<span>{detail}</span></p>
                <div class="action-list" data-testid="actions">
                    {move || current_actions(ui, &selected()).into_iter().map(|a| action_button(ui, a, false)).collect_view()}
                </div>
                <div class="plan">
                    <select aria-label="Fault to plan" data-testid="plan-action"
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
            <h2>"Fault script"</h2>
            <ol class="script" data-testid="script">{script}</ol>
        </section>
    }
}
