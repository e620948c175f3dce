//! Light and dark: the system's choice (`prefers-color-scheme`) until the user picks one with
//! the toggle, which is remembered. The choice is `data-theme` on `<html>`; the stylesheet
//! holds both palettes as variables.

use leptos::prelude::*;

const KEY: &str = "clusterlab.theme";

fn storage() -> Option<web_sys::Storage> {
    window().local_storage().ok().flatten()
}

/// Whether the page starts dark, and applies it.
pub fn start() -> bool {
    let dark = match storage()
        .and_then(|s| s.get_item(KEY).ok().flatten())
        .as_deref()
    {
        Some("dark") => true,
        Some("light") => false,
        _ => window()
            .match_media("(prefers-color-scheme: dark)")
            .ok()
            .flatten()
            .is_some_and(|m| m.matches()),
    };
    apply(dark);
    dark
}

fn apply(dark: bool) {
    if let Some(html) = document().document_element() {
        let _ = html.set_attribute("data-theme", if dark { "dark" } else { "light" });
    }
}

/// Switches theme and remembers the choice.
pub fn toggle(dark: RwSignal<bool>) {
    let now = !dark.get_untracked();
    dark.set(now);
    apply(now);
    if let Some(s) = storage() {
        let _ = s.set_item(KEY, if now { "dark" } else { "light" });
    }
}
