//! Work in progress survives a reload: saved in the browser as the user edits.

use super::{SAMPLE, Ui};
use crate::model::Scenario;
use leptos::prelude::*;

const KEY: &str = "clusterlab.work";
/// Where a save that no longer parses is kept, so nothing is lost.
const BROKEN_KEY: &str = "clusterlab.work.unreadable";
/// The share link the work in progress was opened from: a reload with that link in the address
/// keeps the edits made since instead of opening the link again.
const ORIGIN_KEY: &str = "clusterlab.work.link";

pub(super) fn storage() -> Option<web_sys::Storage> {
    window().local_storage().ok().flatten()
}

/// The saved scenario, or the sample with a message saying why.
pub fn load() -> (Scenario, String) {
    let sample = || Scenario::from_json(SAMPLE).expect("the sample parses");
    let Some(text) = storage().and_then(|s| s.get_item(KEY).ok().flatten()) else {
        return (sample(), String::new());
    };
    match Scenario::from_json(&text) {
        Ok(s) => (s, String::new()),
        Err(e) => {
            if let Some(s) = storage() {
                let _ = s.set_item(BROKEN_KEY, &text);
            }
            (
                sample(),
                format!(
                    "Your saved work could not be read ({e}). It is kept in the browser under \"{BROKEN_KEY}\"; the sample is open instead."
                ),
            )
        }
    }
}

/// Whether another module has taken the page over (then this one must not save).
fn retired() -> bool {
    #[cfg(not(feature = "simulate"))]
    return super::simulator::retired();
    #[cfg(feature = "simulate")]
    false
}

/// Saves on every change of the scenario (not of the selection).
pub fn autosave(ui: Ui) {
    let scenario = Memo::new(move |_| ui.editor.with(|e| e.scenario().clone()));
    Effect::new(move |first: Option<()>| {
        // Compact JSON: the save is for the browser, not for reading.
        let json = scenario.with(|s| serde_json::to_string(s).unwrap_or_default());
        // The first run is the loaded scenario itself: nothing new to save.
        if first.is_some()
            && !retired()
            && let Some(s) = storage()
            && s.set_item(KEY, &json).is_err()
        {
            ui.fail("Could not save your work in this browser (storage full or blocked)");
        }
    });
}

/// Saves `s` as the work in progress at once: a scenario opened as the app mounts comes
/// before the autosave's first look, which takes it for what was loaded (and a reload would
/// lose it).
#[cfg(feature = "simulate")]
pub fn save_now(s: &Scenario) {
    if let Some(st) = storage() {
        let _ = st.set_item(KEY, &serde_json::to_string(s).unwrap_or_default());
    }
}

/// The link fragment (without `#`) the work in progress was opened from, if any.
pub fn origin() -> Option<String> {
    storage().and_then(|s| s.get_item(ORIGIN_KEY).ok().flatten())
}

#[cfg_attr(not(feature = "simulate"), allow(dead_code))]
pub fn set_origin(fragment: Option<&str>) {
    if let Some(s) = storage() {
        let _ = match fragment {
            Some(f) => s.set_item(ORIGIN_KEY, f),
            None => s.remove_item(ORIGIN_KEY),
        };
    }
}

/// The fragment (without `#`) in the address, unless there is none or the work in progress
/// came from it.
pub fn new_fragment_in_address() -> Option<String> {
    let hash = window().location().hash().unwrap_or_default();
    let fragment = hash.trim_start_matches('#');
    (!fragment.is_empty() && origin().as_deref() != Some(fragment)).then(|| fragment.to_string())
}

/// The message for a link that cannot be opened (the same in both page modules).
pub fn link_error(e: &impl std::fmt::Display) -> String {
    // Someone opening a link on a first visit has no work of their own to reassure about.
    let own = storage().is_some_and(|s| s.get_item(KEY).ok().flatten().is_some());
    let open = if own {
        "Your own work is open, untouched."
    } else {
        "The sample design is open instead."
    };
    format!("This link cannot be opened: {e}. {open}")
}
