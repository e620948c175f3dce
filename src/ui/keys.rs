//! Keyboard shortcuts, and the sheet that lists them.

use super::{Ui, canvas};
use crate::editor::Command;
use crate::editor::layout::GRID;
use crate::editor::tool::Tool;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// The sheet comes with the whole app: `?` in the first load fetches it.
#[cfg(feature = "simulate")]
pub const SHORTCUTS: &[(&str, &str)] = &[
    ("Ctrl+Z", "undo"),
    ("Ctrl+Shift+Z, Ctrl+Y", "redo"),
    ("Delete, Backspace", "delete the selection"),
    ("Ctrl+D", "duplicate the selection"),
    ("Arrows (Shift: x5)", "nudge the selection"),
    ("Escape", "cancel a drag, then clear the selection"),
    ("Alt + drag, or Connect mode", "connect two components"),
    (
        "Shift + click, Shift + drag",
        "add to the selection, rubber band",
    ),
    ("Drag empty canvas, wheel, pinch", "pan and zoom"),
    ("Shift+1", "fit the design to the view"),
    ("Space", "run: play or pause"),
    ("N", "run: step to the next event"),
    ("Home", "run: back to the start"),
    (
        "F, I, A, H, S, P on a component",
        "run: fail (or repair) it, isolate a host, fail a VM's application, hang its guest, lose a site, partition",
    ),
    (
        "D, G, E, U on a host; M, Q on a VM",
        "run: drain (or resume), shut down gracefully (or start), evict, update its cluster with Cluster-Aware Updating; live or quick migrate (or drag the VM onto a host)",
    ),
    (
        "Menu key, Shift+F10, right-click",
        "run: the component's menu: every fault, repair and operation",
    ),
    ("?", "this sheet"),
];

pub fn listen(ui: Ui) {
    let handle = window_event_listener(leptos::ev::keydown, move |ev| on_key(ui, &ev));
    // Removed when the app is unmounted (tests mount one app after another).
    on_cleanup(move || handle.remove());
}

fn typing(ev: &web_sys::KeyboardEvent) -> bool {
    ev.target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .is_some_and(|e| matches!(e.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT"))
}

pub fn on_key(ui: Ui, ev: &web_sys::KeyboardEvent) {
    #[cfg(not(feature = "simulate"))]
    if super::simulator::retired() {
        return;
    }
    // A dialog is modal: the canvas behind it takes no keys; Escape closes it.
    if ui.panel.get_untracked().is_some() {
        if ev.key() == "Escape" {
            ui.panel.set(None);
            ev.prevent_default();
        }
        return;
    }
    if typing(ev) {
        return;
    }
    // Escape closes the top bar's overflow menu first.
    if ev.key() == "Escape" && ui.more.get_untracked() {
        ui.more.set(false);
        return;
    }
    let ctrl = ev.ctrl_key() || ev.meta_key();
    let key = ev.key();
    let selection = ui.editor.with_untracked(|e| e.selection.clone());
    let step = if ev.shift_key() { GRID * 5 } else { GRID };
    #[cfg(feature = "simulate")]
    if super::run::running(ui) && !ctrl {
        let on_button = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .is_some_and(|e| e.tag_name() == "BUTTON");
        let handled = match key.as_str() {
            " " if !on_button => {
                ui.run.toggle();
                true
            }
            "n" | "N" => {
                ui.run.step();
                true
            }
            "Home" => {
                ui.run.restart();
                true
            }
            "Escape" => {
                if ui.run.menu.get_untracked().is_some() {
                    ui.run.menu.set(None);
                } else if ui.help.get_untracked() {
                    ui.help.set(false);
                } else {
                    ui.run.selection.set(Vec::new());
                }
                true
            }
            "?" => {
                ui.help.update(|h| *h = !*h);
                true
            }
            _ if is_fit(ev) => {
                canvas::fit(ui);
                true
            }
            _ => false,
        };
        if handled {
            ev.prevent_default();
        }
        return;
    }
    let handled = match key.as_str() {
        "z" | "Z" if ctrl && ev.shift_key() => redo(ui),
        "z" | "Z" if ctrl => {
            ui.editor.update(|e| {
                e.undo();
            });
            true
        }
        "y" | "Y" if ctrl => redo(ui),
        "d" | "D" if ctrl => {
            ui.apply(Command::Duplicate { ids: selection });
            true
        }
        "Delete" | "Backspace" if !selection.is_empty() => {
            ui.apply(Command::Delete { ids: selection });
            true
        }
        "ArrowLeft" | "ArrowRight" | "ArrowUp" | "ArrowDown" if !selection.is_empty() => {
            let (dx, dy) = match key.as_str() {
                "ArrowLeft" => (-step, 0),
                "ArrowRight" => (step, 0),
                "ArrowUp" => (0, -step),
                _ => (0, step),
            };
            ui.apply(Command::Move {
                ids: selection,
                dx,
                dy,
            });
            true
        }
        "Escape" => {
            if ui.tool.with_untracked(|t| *t != Tool::Idle) {
                ui.tool.set(Tool::Idle);
            } else if ui.help.get_untracked() {
                ui.help.set(false);
            } else {
                ui.select(Vec::new());
            }
            true
        }
        "?" => {
            ui.help.update(|h| *h = !*h);
            true
        }
        _ if !ctrl && is_fit(ev) => {
            canvas::fit(ui);
            true
        }
        _ => false,
    };
    if handled {
        ev.prevent_default();
    }
}

/// Shift+1 fits the design to the view, in both modes (as in Figma and Excalidraw): F belongs
/// to failing and repairing the focused component during a run. By key position, so it works
/// on every keyboard layout.
fn is_fit(ev: &web_sys::KeyboardEvent) -> bool {
    ev.shift_key() && ev.code() == "Digit1"
}

fn redo(ui: Ui) -> bool {
    ui.editor.update(|e| {
        e.redo();
    });
    true
}

#[cfg(feature = "simulate")]
#[component]
pub fn Shortcuts(ui: Ui) -> impl IntoView {
    view! {
        <div class="sheet" role="dialog" aria-label="Keyboard shortcuts" data-testid="shortcuts">
            <h2>"Keyboard shortcuts"</h2>
            <table>
                {SHORTCUTS.iter().map(|(k, what)| view! { <tr><th>{*k}</th><td>{*what}</td></tr> }).collect_view()}
            </table>
            <button on:click=move |_| ui.help.set(false)>"Close"</button>
        </div>
    }
}
