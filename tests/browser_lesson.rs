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
    // The locked parts carry a lock on the canvas, with why on hover.
    assert_eq!(
        text("lock-mark-csv-1"),
        "Locked by the lesson: the storage is not the exercise"
    );
    assert!(exists("lock-mark-db"));
    assert!(!exists("lock-mark-host-1"));
    // In the inspector db's storage is read-only and says why; its other properties are not.
    ui.editor.update(|e| e.selection = vec!["db".to_string()]);
    settle().await;
    let field = |key: &str| find(key).closest("fieldset").unwrap().unwrap();
    let storage = field("field-storage");
    assert!(storage.has_attribute("disabled"));
    assert_eq!(
        storage.get_attribute("title").as_deref(),
        Some("Its storage is locked by the lesson: db stays on the CSV")
    );
    assert!(!field("field-replicas").has_attribute("disabled"));
    ui.editor.update(|e| e.selection.clear());
    settle().await;
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
    assert!(fragment.starts_with("v8."), "{link}");
    let sent = clusterlab::share::decode(fragment).unwrap().scenario;
    assert_eq!(sent, ui.editor.with_untracked(|e| e.scenario().clone()));
    assert!(sent.lesson.is_some());
}

fn set_input(testid: &str, value: &str, event: &str) {
    let input: HtmlInputElement = find(testid).unchecked_into();
    input.set_value(value);
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    let ev = web_sys::Event::new_with_event_init_dict(event, &init).unwrap();
    input.dispatch_event(&ev).unwrap();
}

fn click(testid: &str) {
    find(testid).unchecked_into::<HtmlElement>().click();
}

/// An instructor makes a lesson in the page: from Share, a title, a step, a check from the
/// menu, the selection locked with a reason, the faults allowed; previews it as a student
/// (the lock holds), and its link carries it all.
#[wasm_bindgen_test]
async fn an_instructor_authors_a_lesson_previews_it_and_shares_it() {
    let (ui, _root) = fresh_app().await;
    ui.editor.update(|e| {
        e.replace(Scenario::from_json(include_str!("../examples/web-app-db.json")).unwrap())
    });
    settle().await;
    click("share");
    settle().await;
    click("make-lesson");
    settle().await;
    assert_eq!(text("lesson-mode"), "author");
    set_input("author-title", "Keep db up", "change");
    settle().await;
    click("author-add-step");
    settle().await;
    set_input("author-step-0", "Crash db's host", "change");
    settle().await;
    // A check from the menu: "a cluster has a witness" (the fourth kind), for prod.
    let kind: web_sys::HtmlSelectElement = find("author-check-kind").unchecked_into();
    kind.set_value("3");
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    kind.dispatch_event(&web_sys::Event::new_with_event_init_dict("change", &init).unwrap())
        .unwrap();
    settle().await;
    set_input("author-param-0", "prod", "input");
    click("author-add-check");
    settle().await;
    ui.editor
        .update(|e| e.selection = vec!["csv-1".to_string()]);
    set_input("author-lock-reason", "the storage is given", "input");
    click("author-lock");
    settle().await;
    click("author-fault-host_crash");
    settle().await;
    click("author-lock-script");
    settle().await;
    let lesson = ui
        .editor
        .with_untracked(|e| e.scenario().lesson.clone())
        .unwrap();
    assert_eq!(lesson.title, "Keep db up");
    assert_eq!(lesson.steps[0].text, "Crash db's host");
    assert_eq!(
        lesson.checks,
        vec![clusterlab::model::lesson::Check::HasWitness {
            cluster: "prod".into()
        }]
    );
    assert_eq!(
        (
            lesson.lock.parts[0].id.as_str(),
            lesson.lock.parts[0].reason.as_str()
        ),
        ("csv-1", "the storage is given")
    );
    assert_eq!(lesson.lock.faults, vec!["host_crash".to_string()]);
    assert!(lesson.lock.script, "the script is kept");
    // Preview as a student: the lock holds and the checklist shows.
    click("lesson-preview");
    settle().await;
    assert!(ui.editor.with_untracked(|e| e.student()));
    ui.apply(clusterlab::editor::Command::Delete {
        ids: vec!["csv-1".into()],
    });
    settle().await;
    assert_eq!(
        text("status"),
        "csv-1 is locked (the storage is given): it cannot be removed"
    );
    click("lesson-preview");
    settle().await;
    assert!(!ui.editor.with_untracked(|e| e.student()));
    // The share link carries the lesson.
    click("share");
    settle().await;
    let link = find("share-link")
        .unchecked_into::<HtmlInputElement>()
        .value();
    let opened = clusterlab::share::decode(link.split_once('#').unwrap().1).unwrap();
    assert_eq!(opened.scenario.lesson, Some(lesson));
}
