//! The recent list: scenarios kept in the browser besides the work in progress (whatever was
//! open before a link, a sample or a file replaced it).

use super::saved::storage;
use crate::model::Scenario;
use serde::{Deserialize, Serialize};

const RECENT_KEY: &str = "clusterlab.recent";
const MAX_RECENT: usize = 8;

#[derive(Serialize, Deserialize, Clone)]
pub struct Recent {
    pub name: String,
    /// When it was put aside, as the browser's local time text.
    pub kept: String,
    pub scenario: Scenario,
}

/// Where a recent list that no longer reads is kept before a new one replaces it.
const UNREADABLE_KEY: &str = "clusterlab.recent.unreadable";

pub fn recent() -> Vec<Recent> {
    let Some(s) = storage() else {
        return Vec::new();
    };
    let Some(text) = s.get_item(RECENT_KEY).ok().flatten() else {
        return Vec::new();
    };
    serde_json::from_str(&text).unwrap_or_else(|_| {
        // Nothing is lost: the old list is set aside before the next one is written.
        let _ = s.set_item(UNREADABLE_KEY, &text);
        Vec::new()
    })
}

/// Puts `scenario` at the top of the recent list (once); the sample as first opened is not kept.
pub fn keep(scenario: &Scenario) {
    // As the editor holds it: laid out.
    let sample = Scenario::from_json(super::SAMPLE)
        .ok()
        .map(crate::editor::Editor::new);
    if sample.is_some_and(|e| e.scenario() == scenario) {
        return;
    }
    let mut list = recent();
    list.retain(|r| &r.scenario != scenario);
    let kept: String = web_sys::js_sys::Date::new_0()
        .to_locale_string("default", &wasm_bindgen::JsValue::UNDEFINED)
        .into();
    list.insert(
        0,
        Recent {
            name: scenario.name.clone(),
            kept,
            scenario: scenario.clone(),
        },
    );
    list.truncate(MAX_RECENT);
    // A full store drops the oldest first: the newest is what the user just put aside.
    while let (Some(s), Ok(json)) = (storage(), serde_json::to_string(&list)) {
        if s.set_item(RECENT_KEY, &json).is_ok() || list.len() <= 1 {
            break;
        }
        list.pop();
    }
}
