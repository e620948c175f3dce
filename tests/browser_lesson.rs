//! A lesson in a real browser (headless Chromium), the student's flow: the card shows the goal
//! and a checklist that follows each edit, the lock refuses an edit with its reason and changes
//! nothing, "Check my design" runs the analysis's checks, and "Submit" gives a link holding the
//! student's scenario with the lesson.
#![cfg(target_arch = "wasm32")]

use clusterlab::model::Scenario;
use gloo_timers::future::TimeoutFuture;
use leptos::prelude::*;
use serde_json::json;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{HtmlElement, HtmlInputElement};

wasm_bindgen_test_configure!(run_in_browser);

mod web;
use web::*;

const LESSON: &str = include_str!("data/grade/lesson.json");

fn text(testid: &str) -> String {
    find(testid).text_content().unwrap_or_default()
}

fn class(testid: &str) -> String {
    find(testid).get_attribute("class").unwrap_or_default()
}

/// Waits for the live checks (they run a moment after the last edit).
async fn checked() {
    TimeoutFuture::new(600).await;
    settle().await;
}

#[wasm_bindgen_test]
async fn a_student_works_through_a_lesson_and_submits_it() {
    let (ui, _root) = fresh_app().await;
    ui.editor
        .update(|e| e.replace(Scenario::from_json(LESSON).unwrap()));
    settle().await;
    checked().await;
    assert!(text("lesson").contains("Lesson: Keep db serving when a host fails"));
    assert_eq!(text("lesson-mode"), "student");
    assert!(ui.editor.with_untracked(|e| e.student()));
    // Live: the witness is there, db runs on one host; the analysis's check waits for a press.
    assert!(
        class("lesson-check-0").contains("pass"),
        "{}",
        text("lesson-check-0")
    );
    assert!(
        class("lesson-check-1").contains("fail"),
        "{}",
        text("lesson-check-1")
    );
    assert!(
        class("lesson-check-2").contains("open"),
        "{}",
        text("lesson-check-2")
    );
    // The lock refuses an edit, says why, and changes nothing.
    let before = ui.editor.with_untracked(|e| e.scenario().clone());
    ui.apply(clusterlab::editor::Command::Edit {
        id: "db".into(),
        field: "storage".into(),
        value: json!("witness-share"),
    });
    settle().await;
    assert_eq!(
        text("status"),
        "db's storage is locked (db stays on the CSV)"
    );
    assert_eq!(ui.editor.with_untracked(|e| e.scenario().clone()), before);
    // The fix turns the check green.
    ui.apply(clusterlab::editor::Command::Edit {
        id: "db".into(),
        field: "replicas".into(),
        value: json!(2),
    });
    ui.apply(clusterlab::editor::Command::Edit {
        id: "db".into(),
        field: "hosts".into(),
        value: json!(["host-1", "host-2"]),
    });
    checked().await;
    assert!(
        class("lesson-check-1").contains("pass"),
        "{}",
        text("lesson-check-1")
    );
    find("lesson-check-design")
        .unchecked_into::<HtmlElement>()
        .click();
    settle().await;
    assert!(
        class("lesson-check-2").contains("pass"),
        "{}",
        text("lesson-check-2")
    );
    // In the run, the actions offered are the faults the lesson allows (host and VM crashes).
    find("mode-simulate")
        .unchecked_into::<HtmlElement>()
        .click();
    settle().await;
    ui.run.selection.set(vec!["app#1".to_string()]);
    settle().await;
    let offered = text("actions");
    assert!(offered.contains("Crash VM app#1"), "{offered}");
    assert!(!offered.contains("Hang the guest OS"), "{offered}");
    assert!(!offered.contains("Fail the application"), "{offered}");
    assert!(offered.contains("Live migrate app#1"), "{offered}");
    // Submit: a link with the student's scenario and the lesson.
    find("lesson-submit")
        .unchecked_into::<HtmlElement>()
        .click();
    settle().await;
    let link = find("lesson-submission")
        .unchecked_into::<HtmlInputElement>()
        .value();
    let fragment = link.split_once('#').unwrap().1;
    assert!(fragment.starts_with("v5."), "{link}");
    let sent = clusterlab::share::decode(fragment).unwrap().scenario;
    assert_eq!(sent, ui.editor.with_untracked(|e| e.scenario().clone()));
    assert!(sent.lesson.is_some());
}
