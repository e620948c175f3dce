//! Share links in a real browser: a link in the address opens the same scenario at the same
//! moment, a broken one says why and leaves the user's work alone, labels stay text.
#![cfg(target_arch = "wasm32")]

use clusterlab::model::Scenario;
use clusterlab::share::{self, Shared};
use clusterlab::ui::Ui;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::HtmlElement;

wasm_bindgen_test_configure!(run_in_browser);

mod web;
use web::*;

fn sample(json: &str) -> Scenario {
    Scenario::from_json(json).unwrap()
}

fn storage(key: &str) -> Option<String> {
    let s = web_sys::window().unwrap().local_storage().unwrap().unwrap();
    s.get_item(key).unwrap()
}

/// Sets the address's fragment as a pasted link or back/forward would (a `hashchange`).
async fn go_to(fragment: &str) {
    web_sys::window()
        .unwrap()
        .location()
        .set_hash(fragment)
        .unwrap();
    // hashchange is delivered as a task after the change.
    gloo_timers::future::TimeoutFuture::new(60).await;
    settle().await;
}

fn clear_address() {
    let h = web_sys::window().unwrap().history().unwrap();
    let path = web_sys::window().unwrap().location().pathname().unwrap();
    h.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&path))
        .unwrap();
}

fn text(testid: &str) -> String {
    find(testid).text_content().unwrap_or_default()
}

/// The user's own work, saved in the browser as they edit.
async fn own_work(ui: Ui) -> Scenario {
    let mut mine = sample(include_str!("../examples/host-cluster.json"));
    mine.name = "My own lab".into();
    ui.editor.update(|e| e.replace(mine.clone()));
    settle().await;
    assert!(storage("clusterlab.work").unwrap().contains("My own lab"));
    mine
}

#[wasm_bindgen_test]
async fn a_link_opens_the_same_scenario_at_the_same_moment() {
    clear_address();
    let (ui, _root) = fresh_app().await;
    own_work(ui).await;
    let shared = Shared {
        scenario: sample(include_str!("../examples/quorum-two-nodes.json")),
        at_ms: Some(45_000),
    };
    go_to(&share::encode(&shared).unwrap()).await;

    // The shared design, in Simulate mode, paused at 0:45: host-2 crashed at 30 s and was
    // declared down at about 40 s; host-1 had no vote, so the cluster has lost quorum.
    assert_eq!(text("scenario-name"), "Quorum: two nodes, no witness");
    assert_eq!(ui.editor.with_untracked(|e| e.scenario().clone()).design, {
        let mut d = shared.scenario.design.clone();
        clusterlab::editor::layout::place_missing(&mut d);
        d
    });
    assert_eq!(ui.run.now.get_untracked(), 45_000);
    assert_eq!(
        find("host-host-2").get_attribute("data-state").as_deref(),
        Some("down")
    );
    assert!(text("log").contains("lost quorum"), "{}", text("log"));
    assert!(text("status").contains("Opened the shared scenario"));

    // The work it replaced is kept: in the recent list, and one Undo away.
    find("open").unchecked_into::<HtmlElement>().click();
    settle().await;
    assert!(text("recent").contains("My own lab"), "{}", text("recent"));

    // A broken link: a clear message, and nothing the user has is touched.
    let current = storage("clusterlab.work");
    let recent = storage("clusterlab.recent");
    let good = share::encode(&shared).unwrap();
    go_to(&good[..good.len() / 2]).await;
    let status = text("status");
    assert!(
        status.starts_with("This link cannot be opened: the link is damaged"),
        "{status}"
    );
    assert!(
        status.contains("Your own work is open, untouched"),
        "{status}"
    );
    // An error looks like one and is announced at once.
    let line = find("status");
    assert!(line.class_list().contains("error"));
    assert_eq!(line.get_attribute("role").as_deref(), Some("alert"));
    assert_eq!(text("scenario-name"), "Quorum: two nodes, no witness");
    assert_eq!(storage("clusterlab.work"), current);
    assert_eq!(storage("clusterlab.recent"), recent);

    // Undo goes back to the work the link replaced.
    ui.editor.update(|e| {
        e.undo();
    });
    settle().await;
    assert_eq!(text("scenario-name"), "My own lab");
    clear_address();
}

#[wasm_bindgen_test]
async fn a_broken_link_opens_the_users_own_work() {
    clear_address();
    let (ui, root) = fresh_app().await;
    let mine = own_work(ui).await;
    root.remove();
    // As when the page is opened with a damaged link: the app mounts with it in the address.
    web_sys::window()
        .unwrap()
        .location()
        .set_hash("v1.AAAAAAAA-not-a-link")
        .unwrap();
    let (ui2, _root) = fresh_app_keeping_storage().await;
    assert!(
        text("status").contains("This link cannot be opened"),
        "{}",
        text("status")
    );
    assert_eq!(
        ui2.editor.with_untracked(|e| e.scenario().name.clone()),
        mine.name
    );
    assert!(storage("clusterlab.work").unwrap().contains("My own lab"));
    clear_address();
}

/// On a first visit there is no work of one's own: the message says the sample is open.
#[wasm_bindgen_test]
async fn a_broken_link_on_a_first_visit_says_the_sample_is_open() {
    clear_address();
    web_sys::window()
        .unwrap()
        .location()
        .set_hash("v1.AAAAAAAA-not-a-link")
        .unwrap();
    let (_ui, root) = fresh_app().await;
    let status = text("status");
    assert!(
        status.contains("The sample design is open instead") && !status.contains("own work"),
        "{status}"
    );
    assert!(find("status").class_list().contains("error"));
    root.remove();
    clear_address();
}

#[wasm_bindgen_test]
async fn a_reload_keeps_the_edits_made_after_opening_a_link() {
    clear_address();
    let (ui, root) = fresh_app().await;
    let shared = Shared {
        scenario: sample(include_str!("../examples/local-storage.json")),
        at_ms: None,
    };
    go_to(&share::encode(&shared).unwrap()).await;
    assert_eq!(text("scenario-name"), shared.scenario.name);
    ui.apply(clusterlab::editor::Command::Edit {
        id: "host-2".into(),
        field: "memory_gb".into(),
        value: serde_json::json!(384),
    });
    settle().await;
    root.remove();
    // Same address, reloaded: the edited work, not the link afresh.
    let (ui2, _root) = fresh_app_keeping_storage().await;
    assert_eq!(
        ui2.editor
            .with_untracked(|e| e.scenario().design.hosts[1].memory_gb),
        384
    );
    clear_address();
}

#[wasm_bindgen_test]
async fn labels_from_a_link_are_only_text() {
    clear_address();
    let (_ui, root) = fresh_app().await;
    let mut s = sample(include_str!("../examples/host-cluster.json"));
    s.name = "<img src=x onerror=\"document.title='pwned'\">".into();
    s.design.hosts[0].name = "javascript:alert(1)".into();
    s.design.switches[0].name = "</text><script>alert(1)</script>".into();
    s.design.clusters[0].name = "x\" style=\"fill:red".into();
    go_to(
        &share::encode(&Shared {
            scenario: s.clone(),
            at_ms: None,
        })
        .unwrap(),
    )
    .await;
    assert_eq!(text("scenario-name"), s.name);
    assert!(
        root.query_selector("img, script, a[href]")
            .unwrap()
            .is_none()
    );
    assert!(root.text_content().unwrap().contains("javascript:alert(1)"));
    assert!(
        root.text_content()
            .unwrap()
            .contains("</text><script>alert(1)</script>")
    );
    assert!(
        root.query_selector("[style*='fill:red']")
            .unwrap()
            .is_none()
    );
    assert_ne!(web::document().title(), "pwned");
    clear_address();
}

#[wasm_bindgen_test]
async fn a_link_too_long_for_a_chat_offers_a_file_instead() {
    clear_address();
    let (ui, _root) = fresh_app().await;
    let mut s = sample(include_str!("../examples/host-cluster.json"));
    // Text the dictionary cannot help with: every word different.
    s.description = (0..600u32)
        .map(|i| format!("w{:x}", i.wrapping_mul(2_654_435_761)))
        .collect::<Vec<_>>()
        .join(" ");
    ui.editor.update(|e| e.replace(s));
    settle().await;
    find("share").unchecked_into::<HtmlElement>().click();
    settle().await;
    let link = find("share-link")
        .unchecked_into::<web_sys::HtmlInputElement>()
        .value();
    let n = link.split_once('#').unwrap().1.len();
    assert!(n > share::WARN_LINK_CHARS, "{n}");
    let warning = text("link-warning");
    assert!(
        warning.contains(&format!("This link is {n} characters long")),
        "{warning}"
    );
    assert!(warning.contains("Download .json"), "{warning}");
    // A short one has no warning.
    ui.editor.update(|e| {
        e.undo();
    });
    settle().await;
    assert!(!exists("link-warning"));
}

#[wasm_bindgen_test]
async fn the_dialogs_are_modal_and_escape_closes_them() {
    clear_address();
    let (ui, _root) = fresh_app().await;
    ui.select(vec!["host-1".into()]);
    find("open").unchecked_into::<HtmlElement>().click();
    settle().await;
    assert!(exists("gallery"));
    // Delete would remove the selected host behind the dialog: the canvas takes no keys now.
    key("Delete", false, false);
    settle().await;
    assert!(
        ui.editor
            .with_untracked(|e| e.scenario().design.hosts.iter().any(|h| h.id == "host-1"))
    );
    key("Escape", false, false);
    settle().await;
    assert!(!exists("dialog"));
    key("Delete", false, false);
    settle().await;
    assert!(
        !ui.editor
            .with_untracked(|e| e.scenario().design.hosts.iter().any(|h| h.id == "host-1"))
    );
}

#[wasm_bindgen_test]
async fn an_unreadable_recent_list_is_set_aside_not_overwritten() {
    clear_address();
    let (ui, _root) = fresh_app().await;
    own_work(ui).await;
    let s = web_sys::window().unwrap().local_storage().unwrap().unwrap();
    s.set_item("clusterlab.recent", "[{\"name\": broken")
        .unwrap();
    let shared = Shared {
        scenario: sample(include_str!("../examples/quorum-three-nodes.json")),
        at_ms: None,
    };
    go_to(&share::encode(&shared).unwrap()).await;
    assert_eq!(text("scenario-name"), shared.scenario.name);
    assert_eq!(
        storage("clusterlab.recent.unreadable").as_deref(),
        Some("[{\"name\": broken")
    );
    // The work the link replaced is in the new list.
    let list = storage("clusterlab.recent").unwrap_or_default();
    assert!(list.contains("My own lab"), "{list}");
    clear_address();
}
