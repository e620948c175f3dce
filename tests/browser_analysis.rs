//! The analysis in a real browser (headless Chromium): Analyze runs every single failure with a
//! progress bar, can be cancelled, marks results stale after an edit and runs again, opens a row
//! in the player at the moment it hurts, and takes an availability target.
#![cfg(target_arch = "wasm32")]

use clusterlab::analysis;
use clusterlab::model::Scenario;
use clusterlab::ui::Ui;
use gloo_timers::future::TimeoutFuture;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{HtmlElement, HtmlInputElement};

wasm_bindgen_test_configure!(run_in_browser);

mod web;
use web::document;
use web::*;

const HOST_CLUSTER: &str = include_str!("../examples/host-cluster.json");
const SIXTEEN: &str = include_str!("../examples/sixteen-hosts.json");

fn click(testid: &str) {
    find(testid).unchecked_into::<HtmlElement>().click();
}

fn text(testid: &str) -> String {
    find(testid).text_content().unwrap_or_default()
}

fn exists(testid: &str) -> bool {
    document()
        .query_selector(&format!("[data-testid=\"{testid}\"]"))
        .unwrap()
        .is_some()
}

async fn open(json: &str) -> Ui {
    let (ui, _root) = fresh_app().await;
    ui.editor
        .update(|e| e.replace(Scenario::from_json(json).unwrap()));
    settle().await;
    ui
}

/// Waits (up to 60 s) until the analysis has finished.
async fn finished(ui: &Ui) {
    for _ in 0..2_000 {
        if ui
            .analysis
            .results
            .with_untracked(|r| r.as_ref().is_some_and(|r| r.finished))
        {
            settle().await;
            return;
        }
        TimeoutFuture::new(30).await;
    }
    panic!("the analysis did not finish");
}

/// A change event as a user's edit gives (it bubbles: Leptos delegates events).
fn change(input: &HtmlInputElement) {
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    let ev = web_sys::Event::new_with_event_init_dict("change", &init).unwrap();
    input.dispatch_event(&ev).unwrap();
}

#[wasm_bindgen_test]
async fn analyze_runs_every_failure_and_shows_the_same_rows_as_the_engine() {
    let ui = open(HOST_CLUSTER).await;
    click("mode-analyze");
    finished(&ui).await;
    let s = Scenario::from_json(HOST_CLUSTER).unwrap();
    let native = analysis::analyze(&s, false).unwrap();
    // The summary line and the table, worst first, are what the analysis gives natively.
    assert_eq!(text("analysis-summary"), analysis::summary(&native));
    let rows = document()
        .query_selector_all("[data-testid=\"analysis-row\"]")
        .unwrap();
    assert_eq!(rows.length() as usize, native.len());
    let first = rows.item(0).unwrap().text_content().unwrap();
    assert!(first.contains(&native[0].case.label), "{first}");
    assert!(first.contains(&analysis::why(&native[0])), "{first}");
    // Each component's heat strip: the switch's failure loses the service, host-2's crash hurts.
    let class = |id: &str| find(&format!("heat-{id}")).get_attribute("class").unwrap();
    assert!(class("lan").contains("lost"), "{}", class("lan"));
    assert!(class("host-2").contains("hurt"), "{}", class("host-2"));
    // Each service's year.
    assert!(text("year-app").contains("nines"), "{}", text("year-app"));
}

#[wasm_bindgen_test]
async fn a_long_analysis_shows_progress_and_can_be_cancelled() {
    let ui = open(SIXTEEN).await;
    // With every pair of hosts too: long enough to catch under way on any machine.
    ui.analysis.pairs.set(true);
    click("mode-analyze");
    TimeoutFuture::new(150).await;
    assert!(exists("analysis-progress"), "no progress bar");
    let (done, total) = ui.analysis.progress.get_untracked().unwrap();
    assert!(done < total, "{done} of {total}");
    // Rows stream in as they finish.
    let streamed = ui
        .analysis
        .results
        .with_untracked(|r| r.as_ref().unwrap().outcomes.len());
    assert_eq!(streamed, done);
    click("analysis-cancel");
    settle().await;
    assert!(!exists("analysis-progress"));
    let after = ui
        .analysis
        .results
        .with_untracked(|r| r.as_ref().unwrap().outcomes.len());
    TimeoutFuture::new(200).await;
    // Nothing runs after the cancel.
    assert_eq!(
        ui.analysis
            .results
            .with_untracked(|r| r.as_ref().unwrap().outcomes.len()),
        after
    );
    assert!(text("status").contains("cancelled"), "{}", text("status"));
}

#[wasm_bindgen_test]
async fn an_edit_marks_the_results_stale_and_the_analysis_runs_again() {
    let ui = open(HOST_CLUSTER).await;
    click("mode-analyze");
    finished(&ui).await;
    assert!(!exists("analysis-stale"));
    // Nodes are declared down after 60 s instead of 240 s.
    ui.editor.update(|e| {
        let mut s = e.scenario().clone();
        s.settings.timing.resiliency_period_ms = Some(60_000);
        e.replace(s);
    });
    settle().await;
    assert!(exists("analysis-stale"), "not marked stale");
    // A moment later it has run again on the edited design.
    TimeoutFuture::new(1_000).await;
    finished(&ui).await;
    assert!(!exists("analysis-stale"));
    let timing = ui.analysis.results.with_untracked(|r| {
        r.as_ref()
            .unwrap()
            .scenario
            .settings
            .timing
            .resiliency_period_ms
    });
    assert_eq!(timing, Some(60_000));
}

#[wasm_bindgen_test]
async fn a_row_opens_its_run_in_the_player_at_the_moment_it_hurts() {
    let ui = open(HOST_CLUSTER).await;
    let own_script = ui.editor.with_untracked(|e| e.scenario().faults.clone());
    click("mode-analyze");
    finished(&ui).await;
    // The worst row: the switch fails and the cluster loses quorum.
    let worst = ui
        .analysis
        .results
        .with_untracked(|r| r.as_ref().unwrap().outcomes[0].clone());
    document()
        .query_selector("[data-testid=\"analysis-row\"]")
        .unwrap()
        .unwrap()
        .unchecked_into::<HtmlElement>()
        .click();
    settle().await;
    assert_eq!(
        ui.run.mode.get_untracked(),
        clusterlab::ui::run::Mode::Simulate
    );
    assert!(text("opened-case").contains("Switch lan fails"));
    assert_eq!(ui.run.now.get_untracked(), worst.hurts_at_ms.unwrap());
    // The player runs the case: its only fault is the switch at 1:00; the user's script is kept.
    let faults = ui
        .run
        .with_player(|p| p.engine().unwrap().scenario.faults.clone());
    assert_eq!(faults.len(), 1);
    assert_eq!(faults[0].at_ms, analysis::FAULT_AT_MS);
    assert_eq!(
        ui.editor.with_untracked(|e| e.scenario().faults.clone()),
        own_script
    );
    // Back to the user's own script.
    click("back-to-script");
    settle().await;
    assert!(!exists("opened-case"));
    let faults = ui
        .run
        .with_player(|p| p.engine().unwrap().scenario.faults.clone());
    assert_eq!(faults, own_script);
}

#[wasm_bindgen_test]
async fn a_target_set_in_the_panel_says_whether_the_service_meets_it() {
    let ui = open(HOST_CLUSTER).await;
    click("mode-analyze");
    finished(&ui).await;
    let input: HtmlInputElement = find("target-app").unchecked_into();
    input.set_value("99.999");
    change(&input);
    settle().await;
    // One undoable command; the year shows the verdict (the analysis re-runs on the edit).
    let targets = ui
        .editor
        .with_untracked(|e| e.scenario().reliability.targets.clone());
    assert_eq!(targets.len(), 1);
    assert_eq!(targets[0].percent, 99.999);
    TimeoutFuture::new(1_000).await;
    finished(&ui).await;
    let year = find("year-app");
    assert!(year.get_attribute("class").unwrap().contains("missed"));
    assert!(year.text_content().unwrap().contains("missed"));
    // A wrong value says so and changes nothing.
    let input: HtmlInputElement = find("target-app").unchecked_into();
    input.set_value("lots");
    change(&input);
    settle().await;
    assert!(text("status").contains("is not a percentage"));
    assert_eq!(
        ui.editor
            .with_untracked(|e| e.scenario().reliability.targets.len()),
        1
    );
}

/// A host's crash rate edited in the inspector (Design mode) is one command, kept in the
/// scenario, and changes the years the analysis adds up: the years are the engine's `nines`.
#[wasm_bindgen_test]
async fn a_rate_edited_on_a_host_changes_the_years() {
    let ui = open(HOST_CLUSTER).await;
    click("mode-analyze");
    finished(&ui).await;
    let before = text("year-app");
    click("mode-design");
    ui.select(vec!["host-2".to_string()]);
    settle().await;
    let input: HtmlInputElement = find("rate-hostcrash").unchecked_into();
    input.set_value("12");
    change(&input);
    settle().await;
    let rates = ui
        .editor
        .with_untracked(|e| e.scenario().reliability.rates.clone());
    assert_eq!(rates.len(), 1);
    assert_eq!((rates[0].id.as_str(), rates[0].per_year), ("host-2", 12.0));
    click("mode-analyze");
    TimeoutFuture::new(1_000).await;
    finished(&ui).await;
    let after = text("year-app");
    assert_ne!(
        after, before,
        "twelve crashes a year of host-2 cost app more"
    );
    let s = ui.editor.with_untracked(|e| e.scenario().clone());
    let years = analysis::nines::years(&s, &analysis::analyze(&s, false).unwrap());
    let app = years.iter().find(|y| y.service == "app").unwrap();
    assert!(
        after.contains(&analysis::nines::percent(app.availability)),
        "{after} shows {}",
        analysis::nines::percent(app.availability)
    );
}

#[wasm_bindgen_test]
async fn design_b_from_a_pasted_link_is_compared_failure_by_failure() {
    let ui = open(HOST_CLUSTER).await;
    click("mode-analyze");
    finished(&ui).await;
    // B notices a dead node after 60 s instead of 240 s.
    let mut b = Scenario::from_json(HOST_CLUSTER).unwrap();
    b.name = "Faster detection".into();
    b.settings.timing.resiliency_period_ms = Some(60_000);
    let link = clusterlab::share::encode(&clusterlab::share::Shared {
        scenario: b.clone(),
        at_ms: None,
    })
    .unwrap();
    let input: HtmlInputElement = find("compare-link").unchecked_into();
    input.set_value(&link);
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    input
        .dispatch_event(&web_sys::Event::new_with_event_init_dict("input", &init).unwrap())
        .unwrap();
    settle().await;
    click("compare-link-go");
    for _ in 0..2_000 {
        if exists("comparison") {
            break;
        }
        TimeoutFuture::new(30).await;
    }
    settle().await;
    // The same sentences the analysis gives natively.
    let s = Scenario::from_json(HOST_CLUSTER).unwrap();
    let diffs = analysis::compare::differences(
        &analysis::analyze(&s, false).unwrap(),
        &analysis::analyze(&b, false).unwrap(),
    );
    assert!(!diffs.is_empty());
    assert_eq!(text("compare-verdict"), analysis::compare::verdict(&diffs));
    let shown = document()
        .query_selector_all("[data-testid=\"compare-diff\"]")
        .unwrap();
    assert_eq!(shown.length() as usize, diffs.len().min(60));
    assert_eq!(
        shown.item(0).unwrap().text_content().unwrap(),
        diffs[0].sentence
    );
    // A broken link says so and changes nothing.
    input.set_value("#v4.broken");
    input
        .dispatch_event(&web_sys::Event::new_with_event_init_dict("input", &init).unwrap())
        .unwrap();
    settle().await;
    click("compare-link-go");
    settle().await;
    assert!(
        text("status").contains("cannot be compared"),
        "{}",
        text("status")
    );
    assert!(exists("comparison"));
    click("compare-stop");
    settle().await;
    assert!(!exists("comparison"));
}

#[wasm_bindgen_test]
async fn design_b_runs_side_by_side_on_the_same_timeline() {
    let ui = open(HOST_CLUSTER).await;
    click("mode-analyze");
    finished(&ui).await;
    let mut b = Scenario::from_json(HOST_CLUSTER).unwrap();
    b.name = "Faster detection".into();
    b.faults.clear();
    b.settings.timing.resiliency_period_ms = Some(60_000);
    ui.analysis.compare_with(ui, b.clone());
    for _ in 0..2_000 {
        if ui
            .analysis
            .other
            .with_untracked(|o| o.as_ref().is_some_and(|o| o.finished))
        {
            break;
        }
        TimeoutFuture::new(30).await;
    }
    click("mode-simulate");
    settle().await;
    let toggle: HtmlInputElement = find("twin-toggle").unchecked_into();
    toggle.set_checked(true);
    change(&toggle);
    settle().await;
    assert!(exists("twin"), "no canvas for B");
    // B's tier drawn dashed on A's availability chart.
    let series = document()
        .query_selector_all("[data-testid=\"twin-series\"]")
        .unwrap();
    assert_eq!(series.length(), 1);
    // B runs A's script (host-2 crashes at 30 s, is powered on at 420 s) on A's clock.
    let a_faults = ui.editor.with_untracked(|e| e.scenario().faults.len());
    for t in [150_000, 90_000] {
        ui.run.seek(t);
        settle().await;
        assert_eq!(ui.twin.shown(), Some((t, a_faults)));
    }
    ui.run.step();
    settle().await;
    assert_eq!(ui.twin.shown().unwrap().0, ui.run.now.get_untracked());
    // What B's canvas says is what B's run shows at that moment.
    let mut scripted = b.clone();
    scripted.faults = Scenario::from_json(HOST_CLUSTER).unwrap().faults;
    let now = ui.run.now.get_untracked();
    let e = clusterlab::sim::run(&scripted, now).unwrap();
    let avail = e.metrics().at(now).unwrap().availability_permille[0] / 10;
    assert_eq!(text("twin-availability"), format!("app {avail}%"));
    // Off again: one canvas.
    toggle.set_checked(false);
    change(&toggle);
    settle().await;
    assert!(!exists("twin"));
}
