//! Handing the editor from the first-load module (editor only) to the whole app once the
//! simulator has loaded: the scenario, undo and redo history and selection travel through
//! sessionStorage, so nothing the user did is lost by the switch.

use super::Ui;
use crate::editor::{Editor, Steps};
use crate::model::{Id, Scenario};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// Dispatched on `window` by the whole app as it starts; the first module answers by writing
/// the handoff and stepping aside.
pub const TAKEOVER: &str = "clusterlab:takeover";
const KEY: &str = "clusterlab.handoff";

#[derive(Serialize, Deserialize)]
struct Handoff {
    scenario: Scenario,
    undo: Steps,
    redo: Steps,
    selection: Vec<Id>,
    /// What the user asked for that needed the whole app: "simulate" (the default: a handoff
    /// from an older first-load module has none), "open", "share" or "link".
    #[serde(default)]
    then: String,
    /// Zoom and pan, so the canvas does not jump as the whole app takes over.
    #[serde(default)]
    view: Option<(f64, f64, f64)>,
    /// The `data-testid` of the element that had focus, given it back after the takeover.
    #[serde(default)]
    focus: Option<String>,
}

/// What the whole app takes over from the first-load module.
#[cfg_attr(not(feature = "simulate"), allow(dead_code))]
pub struct Taken {
    pub editor: Editor,
    /// What the user asked for (see `Handoff::then`).
    pub then: String,
    pub view: Option<super::View>,
    pub focus: Option<String>,
}

fn session() -> Option<web_sys::Storage> {
    window().session_storage().ok().flatten()
}

/// Writes the editor's state for the module taking over.
#[cfg_attr(feature = "simulate", allow(dead_code))]
pub fn write(ui: Ui, then: &str) {
    let v = ui.view.get_untracked();
    let focus = document()
        .active_element()
        .and_then(|a| a.get_attribute("data-testid"));
    let handoff = ui.editor.with_untracked(|e| {
        let (undo, redo) = e.history();
        Handoff {
            scenario: e.scenario().clone(),
            undo: undo.clone(),
            redo: redo.clone(),
            selection: e.selection.clone(),
            then: then.to_string(),
            view: Some((v.scale, v.tx, v.ty)),
            focus,
        }
    });
    if let (Some(s), Ok(json)) = (session(), serde_json::to_string(&handoff)) {
        // Too large for the session store: the saved scenario is still there, without history.
        let _ = s.set_item(KEY, &json);
    }
}

/// Asks a first-load module on the page to hand over, and takes what it wrote (once): the
/// editor, and what the user asked for.
#[cfg_attr(not(feature = "simulate"), allow(dead_code))]
pub fn take_over() -> Option<Taken> {
    let _ = session().map(|s| s.remove_item(KEY));
    if let Ok(ev) = web_sys::Event::new(TAKEOVER) {
        let _ = window().dispatch_event(&ev);
    }
    let s = session()?;
    let json = s.get_item(KEY).ok().flatten()?;
    let _ = s.remove_item(KEY);
    let h: Handoff = serde_json::from_str(&json).ok()?;
    Some(Taken {
        editor: Editor::resume(h.scenario, h.undo, h.redo, h.selection),
        then: h.then,
        view: h.view.map(|(scale, tx, ty)| super::View { scale, tx, ty }),
        focus: h.focus,
    })
}
