//! Helpers for the in-browser tests: a fresh app per test, real pointer and keyboard events.
#![allow(dead_code)]

use clusterlab::ui::{Ui, mount_in};
use gloo_timers::future::TimeoutFuture;
use wasm_bindgen::JsCast;
use web_sys::{
    Element, HtmlElement, KeyboardEvent, KeyboardEventInit, PointerEvent, PointerEventInit,
};

thread_local! {
    static MOUNTED: std::cell::RefCell<Option<Box<dyn std::any::Any>>> = const { std::cell::RefCell::new(None) };
}

pub fn document() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

/// A fresh app in its own container, with the page's stylesheet and no saved work.
pub async fn fresh_app() -> (Ui, HtmlElement) {
    mount_fresh(true).await
}

/// A fresh app that finds what earlier apps saved, as after a reload.
pub async fn fresh_app_keeping_storage() -> (Ui, HtmlElement) {
    mount_fresh(false).await
}

async fn mount_fresh(clear_storage: bool) -> (Ui, HtmlElement) {
    let doc = document();
    if doc.get_element_by_id("clusterlab-style").is_none() {
        let style = doc.create_element("style").unwrap();
        style.set_id("clusterlab-style");
        style.set_text_content(Some(include_str!("../../style/main.css")));
        doc.head().unwrap().append_child(&style).unwrap();
    }
    // Earlier tests' apps are unmounted and removed: one canvas on the page at a time.
    drop(MOUNTED.with(|m| m.borrow_mut().take()));
    while let Some(old) = doc.query_selector(".test-root").unwrap() {
        old.remove();
    }
    if clear_storage {
        web_sys::window()
            .unwrap()
            .local_storage()
            .unwrap()
            .unwrap()
            .clear()
            .unwrap();
    }
    let root: HtmlElement = doc.create_element("div").unwrap().unchecked_into();
    root.set_class_name("test-root");
    root.style().set_css_text("position: fixed; left: 0; top: 0; width: 1280px; height: 800px; z-index: 5; background: white;");
    doc.body().unwrap().append_child(&root).unwrap();
    let (ui, handle) = mount_in(root.clone());
    // The previous test's app is unmounted: its listeners and run stop.
    MOUNTED.with(|m| m.replace(Some(handle)));
    settle().await;
    (ui, root)
}

/// Lets effects and the renderer catch up.
pub async fn settle() {
    TimeoutFuture::new(30).await;
}

pub fn find(testid: &str) -> Element {
    document()
        .query_selector(&format!("[data-testid=\"{testid}\"]"))
        .unwrap()
        .unwrap_or_else(|| panic!("no element {testid}"))
}

pub fn exists(testid: &str) -> bool {
    document()
        .query_selector(&format!("[data-testid=\"{testid}\"]"))
        .unwrap()
        .is_some()
}

pub fn center(e: &Element) -> (f64, f64) {
    let r = e.get_bounding_client_rect();
    (r.left() + r.width() / 2.0, r.top() + r.height() / 2.0)
}

pub fn pointer(target: &Element, kind: &str, at: (f64, f64), alt: bool) {
    let init = PointerEventInit::new();
    init.set_bubbles(true);
    init.set_cancelable(true);
    init.set_client_x(at.0 as i32);
    init.set_client_y(at.1 as i32);
    init.set_pointer_id(1);
    init.set_pointer_type("mouse");
    init.set_is_primary(true);
    init.set_button(0);
    init.set_buttons(if kind == "pointerup" { 0 } else { 1 });
    init.set_alt_key(alt);
    let ev = PointerEvent::new_with_event_init_dict(kind, &init).unwrap();
    target.dispatch_event(&ev).unwrap();
}

/// Presses on `from`, moves in steps to `to`, releases there: a real drag.
pub async fn drag(from: &Element, start: (f64, f64), to: (f64, f64), alt: bool) {
    pointer(from, "pointerdown", start, alt);
    settle().await;
    let svg = find("canvas");
    for k in 1..=5 {
        let t = k as f64 / 5.0;
        let at = (
            start.0 + (to.0 - start.0) * t,
            start.1 + (to.1 - start.1) * t,
        );
        let over = document()
            .element_from_point(at.0 as f32, at.1 as f32)
            .unwrap_or(svg.clone());
        pointer(&over, "pointermove", at, alt);
    }
    settle().await;
    let over = document()
        .element_from_point(to.0 as f32, to.1 as f32)
        .unwrap_or(svg);
    pointer(&over, "pointerup", to, alt);
    settle().await;
}

pub fn key(k: &str, ctrl: bool, shift: bool) {
    let init = KeyboardEventInit::new();
    init.set_key(k);
    init.set_ctrl_key(ctrl);
    init.set_shift_key(shift);
    init.set_bubbles(true);
    init.set_cancelable(true);
    let ev = KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap();
    document().body().unwrap().dispatch_event(&ev).unwrap();
}

/// An example scenario's JSON, built into the test.
pub fn example_json(name: &str) -> &'static str {
    clusterlab::gallery::SAMPLES
        .iter()
        .find(|s| s.id == name)
        .unwrap_or_else(|| panic!("no example {name}"))
        .json
}

/// A run recorded natively: example, length and hash of its log (`tests/data/trace_hashes.json`).
#[derive(serde::Deserialize)]
pub struct Recorded {
    pub example: String,
    pub until_ms: u64,
    pub hash: String,
}

pub fn recorded_traces() -> Vec<Recorded> {
    serde_json::from_str(include_str!("../data/trace_hashes.json")).unwrap()
}
