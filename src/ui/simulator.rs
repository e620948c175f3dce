//! The first page load is the editor alone (the simulator would double the download). The first
//! press of Simulate loads the whole app (`clusterlab-full`, built by Trunk next to this one);
//! as it starts it asks this module to hand over (see `handoff`) and opens in Simulate mode.

use super::{Ui, handoff};
use leptos::prelude::*;
use std::cell::Cell;

thread_local! {
    static RETIRED: Cell<bool> = const { Cell::new(false) };
    /// What the whole app is being loaded for (see `handoff`).
    static THEN: Cell<&'static str> = const { Cell::new("simulate") };
}

/// Whether the whole app has taken over from this first-load module.
pub fn retired() -> bool {
    RETIRED.with(Cell::get)
}

/// Dispatched by the loader script when the module cannot be fetched or started.
const FAILED: &str = "clusterlab:load-failed";

/// Loads the whole app, which takes over and then does `then` ("simulate", "open", "share",
/// "link": see `handoff`).
pub fn load(ui: Ui, then: &'static str) {
    let doc = document();
    let loading = doc.get_element_by_id("clusterlab-simulator").is_some();
    // Showing the inspector is what any load gives: it never replaces a request for more.
    if !matches!(then, "edit" | "lesson") || !loading {
        THEN.with(|t| t.set(then));
    }
    if loading {
        return;
    }
    ui.say(match then {
        "link" => "Opening the shared link…",
        "edit" => "Loading the inspector…",
        "lesson" => "Loading the lesson…",
        "help" => "Loading the shortcuts…",
        _ => "Loading the simulator…",
    });
    let Ok(script) = doc.create_element("script") else {
        return;
    };
    script.set_id("clusterlab-simulator");
    let _ = script.set_attribute("type", "module");
    // Relative to the page, so it works from any sub-path of a static host.
    // The build stamp keeps a cache from pairing this module with another build's simulator.
    let v = env!("CLUSTERLAB_BUILD");
    script.set_text_content(Some(&format!(
        "import init from './clusterlab-full.js?v={v}';\n\
         init({{ module_or_path: './clusterlab-full_bg.wasm?v={v}' }}).catch((e) => {{\n\
           document.getElementById('clusterlab-simulator')?.remove();\n\
           dispatchEvent(new CustomEvent('clusterlab:load-failed', {{ detail: String(e) }}));\n\
         }});"
    )));
    if let Some(head) = doc.head() {
        let _ = head.append_child(&script);
    }
}

/// Listens for the whole app starting (hand over, then step aside) or failing to load.
pub fn hand_over_when_loaded(ui: Ui) {
    let takeover = window_event_listener_untyped(handoff::TAKEOVER, move |_| {
        handoff::write(ui, THEN.with(Cell::get));
        // Step aside: no more keys or saves from here, and its page is gone.
        RETIRED.with(|r| r.set(true));
        if let Some(app) = document().query_selector(".app").ok().flatten() {
            app.remove();
        }
    });
    let failed = window_event_listener_untyped(FAILED, move |ev| {
        let why = js_detail(&ev);
        ui.fail(format!(
            "The simulator could not be loaded ({why}). Your work is kept; press Simulate to try again."
        ));
    });
    on_cleanup(move || {
        takeover.remove();
        failed.remove();
    });
}

fn js_detail(ev: &web_sys::Event) -> String {
    js_sys_detail(ev).unwrap_or_else(|| "unknown error".into())
}

fn js_sys_detail(ev: &web_sys::Event) -> Option<String> {
    let detail = web_sys::js_sys::Reflect::get(ev, &"detail".into()).ok()?;
    detail.as_string()
}

/// The first load's inspector: selecting a component (once the gesture is over) fetches the
/// whole app, which takes over with the selection and shows the inspector.
#[component]
pub fn Inspector(ui: Ui) -> impl IntoView {
    let selected = move || ui.editor.with(|e| !e.selection.is_empty());
    Effect::new(move |_| {
        let idle = ui.tool.with(|t| *t == crate::editor::tool::Tool::Idle);
        if selected() && idle {
            load(ui, "edit");
        }
    });
    view! {
        <aside class="inspector" aria-label="Inspector" data-testid="inspector">
            <h2>"Scenario"</h2>
            <p class="hint">{move || if selected() { "Loading the inspector…" } else { "Select a component to edit it." }}</p>
            <p class="about">{move || ui.editor.with(|e| e.scenario().description.clone())}</p>
        </aside>
    }
}
