//! The live simulation in a real browser (headless Chromium): open an example, break things
//! with the pointer, keyboard and menu, play it through requestAnimationFrame, and check what
//! the page shows against the engine's snapshot and log.
#![cfg(target_arch = "wasm32")]

use clusterlab::model::Scenario;
use clusterlab::sim::{self, Event, EventKind, trace_hash};
use clusterlab::ui::Ui;
use clusterlab::ui::run::clock;
use gloo_timers::future::TimeoutFuture;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement, HtmlInputElement, MouseEvent, MouseEventInit};

wasm_bindgen_test_configure!(run_in_browser);

mod web;
use web::document;
use web::*;

/// Opens an example without its fault script in Simulate mode.
async fn open(json: &str, keep_faults: bool) -> Ui {
    let (ui, _root) = fresh_app().await;
    let mut s = Scenario::from_json(json).unwrap();
    if !keep_faults {
        s.faults.clear();
    }
    ui.editor.update(|e| e.replace(s));
    settle().await;
    click("mode-simulate");
    settle().await;
    ui
}

fn click(testid: &str) {
    find(testid).unchecked_into::<HtmlElement>().click();
}

fn text(testid: &str) -> String {
    find(testid).text_content().unwrap_or_default()
}

/// Sets a range input as a user dragging it would.
async fn slide(testid: &str, value: f64) {
    let input: HtmlInputElement = find(testid).unchecked_into();
    input.set_value(&value.to_string());
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    let ev = web_sys::Event::new_with_event_init_dict("input", &init).unwrap();
    input.dispatch_event(&ev).unwrap();
    settle().await;
}

/// A click on a canvas component, near its top left corner (a host's middle holds VM rows).
async fn pick(testid: &str) {
    let el = find(testid);
    let r = el.get_bounding_client_rect();
    let at = (r.left() + 12.0, r.top() + 8.0);
    pointer(&el, "pointerdown", at, false);
    pointer(&el, "pointerup", at, false);
    settle().await;
}

fn events(ui: &Ui) -> Vec<Event> {
    ui.run
        .with_player(|p| p.engine().unwrap().events().to_vec())
}

fn first(ui: &Ui, kind: EventKind, subject: &str) -> Event {
    events(ui)
        .into_iter()
        .find(|e| e.kind == kind && e.subjects.iter().any(|s| s == subject))
        .unwrap_or_else(|| panic!("no {kind:?} for {subject}"))
}

/// Plays at 100x with the Play button until the clock passes `t_ms`, then pauses.
async fn play_until(ui: &Ui, t_ms: u64) {
    slide("speed", 1000.0).await;
    click("play");
    for _ in 0..1000 {
        if ui.run.now.get_untracked() >= t_ms {
            break;
        }
        TimeoutFuture::new(20).await;
    }
    click("play");
    settle().await;
    assert!(
        ui.run.now.get_untracked() >= t_ms,
        "the run reached {t_ms} ms"
    );
    assert!(!ui.run.playing.get_untracked());
}

/// A right-click (a `contextmenu` event) at the middle of `el`.
fn right_click(el: &Element) {
    right_click_at(el, center(el));
}

/// A right-click at a client point over `el`.
fn right_click_at(el: &Element, at: (f64, f64)) {
    let init = MouseEventInit::new();
    init.set_bubbles(true);
    init.set_cancelable(true);
    init.set_client_x(at.0 as i32);
    init.set_client_y(at.1 as i32);
    init.set_button(2);
    el.dispatch_event(&MouseEvent::new_with_mouse_event_init_dict("contextmenu", &init).unwrap())
        .unwrap();
}

fn log_has(kind: &str, needle: &str) -> bool {
    let list = find("log").query_selector_all("li").unwrap();
    (0..list.length()).any(|i| {
        let li: Element = list.item(i).unwrap().unchecked_into();
        li.get_attribute("data-kind").as_deref() == Some(kind)
            && li.text_content().unwrap_or_default().contains(needle)
    })
}

/// Clicks the button of the actions panel whose words contain `needle`.
fn click_action(needle: &str) {
    let buttons = document()
        .query_selector_all("[data-testid=actions] button")
        .unwrap();
    (0..buttons.length())
        .filter_map(|i| buttons.item(i))
        .find(|b| b.text_content().unwrap_or_default().contains(needle))
        .unwrap_or_else(|| panic!("no action \"{needle}\""))
        .unchecked_into::<HtmlElement>()
        .click();
}

/// The run in the page is the engine's run of the same scenario: same log, natively defined.
fn same_as_engine(ui: &Ui) {
    let s = ui.editor.with_untracked(|e| e.scenario().clone());
    let now = ui.run.now.get_untracked();
    assert_eq!(events(ui), sim::run(&s, now).unwrap().events());
}

#[wasm_bindgen_test]
async fn crash_a_host_watch_detection_and_the_vm_boot_elsewhere() {
    let ui = open(include_str!("../examples/host-cluster.json"), false).await;
    slide("timeline", 20_000.0).await;
    assert_eq!(text("clock"), "0:20.0");
    pick("host-host-2").await;
    assert!(text("picked").starts_with("host-2"));
    assert_eq!(text("action-f"), "Crash host-2F");
    click("action-f");
    settle().await;
    assert!(text("script").contains("0:20.0 fault: host host-2 crashes"));
    assert_eq!(
        find("host-host-2").get_attribute("data-state").unwrap(),
        "down"
    );

    // Missed heartbeats climb on the canvas, as the engine counts them.
    slide("timeline", 25_500.0).await;
    let missed = ui.run.snap.with_untracked(|s| {
        let n = s.as_ref().unwrap().clusters[0]
            .nodes
            .iter()
            .find(|n| n.id == "host-2")
            .unwrap()
            .clone();
        (n.missed, n.threshold)
    });
    assert!((4..=6).contains(&missed.0) && missed.1 == 10, "{missed:?}");
    assert_eq!(text("missed-host-2"), format!("missed {}/10", missed.0));

    play_until(&ui, 300_000).await;
    // 2016+: Isolated exactly 10 s after its last heartbeat (one round before the first miss),
    // declared down after the 240 s resiliency period; then vm-2 fails over.
    let miss = first(&ui, EventKind::HeartbeatsMissed, "host-2").t_ms;
    let isolated = first(&ui, EventKind::NodeIsolated, "host-2").t_ms;
    let down = first(&ui, EventKind::NodeDown, "host-2").t_ms;
    assert!(miss - 1000 <= 20_000 && 20_000 < miss);
    assert_eq!(isolated, miss - 1000 + 10_000);
    assert_eq!(down, isolated + 240_000);
    let failover = first(&ui, EventKind::VmFailover, "vm-2");
    assert_eq!(failover.t_ms, down);
    assert!(log_has("node isolated", &clock(isolated)));
    assert!(log_has("node down", &clock(down)));
    assert!(log_has("vm failover", "vm-2 fails over to"));
    // vm-2 is on another host, booting (30 s cold boot) or running.
    let vm = find("vm-vm-2");
    let host = vm.get_attribute("data-host").unwrap();
    assert_ne!(host, "host-2");
    let snap_host = ui.run.snap.with_untracked(|s| {
        s.as_ref()
            .unwrap()
            .vms
            .iter()
            .find(|v| v.id == "vm-2")
            .unwrap()
            .host
            .clone()
    });
    assert_eq!(host, snap_host);
    let expected = if ui.run.now.get_untracked() >= down + 30_000 {
        "running"
    } else {
        "booting"
    };
    assert_eq!(vm.get_attribute("data-state").unwrap(), expected);
    assert!(text("quorum-hv-cluster").contains("2 of 3 nodes up"));
    assert!(text("quorum-hv-cluster").contains("has quorum"));
    same_as_engine(&ui);

    // Clicking a log entry jumps there and picks what it names.
    let li = find("log")
        .query_selector("li[data-kind=\"node down\"] button")
        .unwrap()
        .unwrap();
    li.unchecked_into::<HtmlElement>().click();
    settle().await;
    assert_eq!(ui.run.now.get_untracked(), down);
    assert!(
        ui.run
            .selection
            .get_untracked()
            .contains(&"host-2".to_string())
    );
}

#[wasm_bindgen_test]
async fn a_guest_cluster_moves_its_role_when_the_owner_vm_crashes() {
    let ui = open(include_str!("../examples/guest-cluster.json"), false).await;
    slide("timeline", 20_000.0).await;
    assert!(text("state-sql-cluster").contains("role online on sql-1"));
    pick("vm-sql-1").await;
    assert_eq!(text("action-f"), "Crash VM sql-1F");
    click("action-f");
    play_until(&ui, 50_000).await;
    let down = first(&ui, EventKind::NodeDown, "sql-1").t_ms;
    let miss = first(&ui, EventKind::HeartbeatsMissed, "sql-1").t_ms;
    assert_eq!(down, miss - 1000 + 10_000);
    let starting = first(&ui, EventKind::RoleStarting, "sql-2");
    assert_eq!(starting.t_ms, down);
    let online = first(&ui, EventKind::RoleOnline, "sql-2");
    assert_eq!(online.t_ms, down + 15_000);
    assert!(text("state-sql-cluster").contains("role online on sql-2"));
    // Its standalone host restarts the crashed VM in place (automatic recovery action).
    assert!(log_has("vm restarting", "automatic recovery action"));
    let vm = find("vm-sql-1");
    assert_eq!(vm.get_attribute("data-host").unwrap(), "host-1");
    assert_ne!(vm.get_attribute("data-state").unwrap(), "stopped");
    assert!(log_has("role online", "online on sql-2"));
    same_as_engine(&ui);
}

#[wasm_bindgen_test]
async fn an_application_failure_goes_unnoticed_by_a_host_cluster_without_vm_monitoring() {
    let ui = open(include_str!("../examples/host-cluster.json"), false).await;
    slide("timeline", 20_000.0).await;
    pick("vm-vm-1").await;
    assert_eq!(text("action-a"), "Fail the application in vm-1A");
    click("action-a");
    play_until(&ui, 150_000).await;
    assert_eq!(first(&ui, EventKind::AppFailed, "vm-1").t_ms, 20_000);
    let noticed = events(&ui).into_iter().any(|e| {
        matches!(
            e.kind,
            EventKind::AppDetected
                | EventKind::VmRestarting
                | EventKind::VmFailover
                | EventKind::VmStopped
        )
    });
    assert!(
        !noticed,
        "nothing reacts: the cluster only watches that the VM runs"
    );
    let vm = find("vm-vm-1");
    assert_eq!(vm.get_attribute("data-state").unwrap(), "app-failed");
    assert_eq!(vm.get_attribute("data-host").unwrap(), "host-1");
    assert!(log_has("app failed", "does not notice"));
    // The fix is one more action on the same VM.
    pick("vm-vm-1").await;
    assert_eq!(text("action-a"), "Fix the application in vm-1A");
    same_as_engine(&ui);
}

#[wasm_bindgen_test]
async fn an_nlb_member_fails_and_its_load_moves_to_the_survivors() {
    let ui = open(include_str!("../examples/web-app-db.json"), false).await;
    slide("timeline", 30_000.0).await;
    assert!(text("client-internet").contains("served 600 rps"));
    pick("vm-web#2").await;
    click("action-f");
    play_until(&ui, 50_000).await;
    let started = first(&ui, EventKind::NlbConvergenceStarted, "web-nlb").t_ms;
    let converged = first(&ui, EventKind::NlbConverged, "web-nlb").t_ms;
    assert_eq!(converged, started + 3_000, "convergence takes 3 s here");
    let loads = ui.run.snap.with_untracked(|s| {
        s.as_ref().unwrap().nlbs[0]
            .members
            .iter()
            .map(|m| (m.vm.clone(), m.buckets, m.requests_per_second))
            .collect::<Vec<_>>()
    });
    let web2 = loads.iter().find(|m| m.0 == "web#2").unwrap();
    assert_eq!((web2.1, web2.2), (0, 0));
    let survivors: u64 = loads.iter().map(|m| m.2).sum();
    assert_eq!(survivors, 600);
    for (vm, _, rps) in loads.iter().filter(|m| m.0 != "web#2") {
        assert_eq!(text(&format!("load-{vm}")), format!("{rps} rps"));
    }
    assert_eq!(text("load-web#2"), "0 rps");
    assert!(text("client-internet").contains("served 600 rps"));
    // Requests were lost only in the gap before convergence.
    let (_, dropped) = ui
        .run
        .with_player(|p| p.engine().unwrap().metrics().requests_until(50_000));
    assert!(dropped > 0);
    assert!(log_has("nlb converged", "web#1"));
    same_as_engine(&ui);
}

#[wasm_bindgen_test]
async fn keys_and_the_context_menu_break_and_repair_and_space_plays() {
    let ui = open(include_str!("../examples/host-cluster.json"), false).await;
    slide("timeline", 10_000.0).await;
    // F on a focused host crashes it; F again powers it on.
    let host: HtmlElement = find("host-host-3").unchecked_into();
    host.focus().unwrap();
    settle().await;
    let press = |k: &str| {
        let init = web_sys::KeyboardEventInit::new();
        init.set_key(k);
        init.set_bubbles(true);
        init.set_cancelable(true);
        let ev =
            web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap();
        document()
            .active_element()
            .unwrap()
            .dispatch_event(&ev)
            .unwrap();
    };
    press("f");
    settle().await;
    assert_eq!(ui.editor.with_untracked(|e| e.scenario().faults.len()), 1);
    assert_eq!(
        find("host-host-3").get_attribute("data-state").unwrap(),
        "down"
    );
    let host: HtmlElement = find("host-host-3").unchecked_into();
    host.focus().unwrap();
    press("f");
    settle().await;
    let faults = ui.editor.with_untracked(|e| e.scenario().faults.clone());
    assert_eq!(faults.len(), 2);
    assert!(faults[1].repair);
    assert_eq!(
        find("host-host-3").get_attribute("data-state").unwrap(),
        "up"
    );
    // Undo takes the repair back out of the script.
    key("z", true, false);
    settle().await;
    assert_eq!(
        find("host-host-3").get_attribute("data-state").unwrap(),
        "down"
    );

    // Right-click opens the menu for that component.
    right_click(&find("switch-lan"));
    settle().await;
    assert!(text("context-menu").contains("Fail switch lan"));
    key("Escape", false, false);
    settle().await;
    assert!(!exists("context-menu"));

    // Space plays and pauses; N steps to the next event.
    document()
        .active_element()
        .map(|e| e.unchecked_into::<HtmlElement>().blur());
    key(" ", false, false);
    assert!(ui.run.playing.get_untracked());
    TimeoutFuture::new(100).await;
    key(" ", false, false);
    assert!(!ui.run.playing.get_untracked());
    let before = events(&ui).len();
    key("n", false, false);
    settle().await;
    assert!(events(&ui).len() > before);
    assert_eq!(events(&ui).last().unwrap().t_ms, ui.run.now.get_untracked());

    // Plan a fault for later: it joins the script at that time and the timeline marks it.
    pick("host-host-1").await;
    slide("plan-at", 90.0).await;
    click("plan");
    settle().await;
    let planned = ui.editor.with_untracked(|e| e.scenario().faults.clone());
    let last = planned
        .iter()
        .find(|f| f.at_ms == 90_000)
        .expect("planned at 90 s");
    assert_eq!(
        last.fault,
        clusterlab::model::Fault::HostCrash {
            host: "host-1".into()
        }
    );
    assert!(text("script").contains("1:30.0 fault: host host-1 crashes"));
}

#[wasm_bindgen_test]
async fn the_page_run_reproduces_the_recorded_trace_hashes() {
    for r in recorded_traces()
        .iter()
        .filter(|r| r.example != "max-cluster")
    {
        let json = example_json(&r.example);
        let ui = open(json, true).await;
        // A minute played frame by frame through requestAnimationFrame, then on to the
        // recorded moment and past it as the timeline does.
        play_until(&ui, 60_000).await;
        ui.run.seek(r.until_ms + 5_000);
        let upto: Vec<Event> = events(&ui)
            .into_iter()
            .filter(|e| e.t_ms <= r.until_ms)
            .collect();
        assert_eq!(
            format!("{:016x}", trace_hash(&upto)),
            r.hash,
            "{}",
            r.example
        );
    }
}

#[wasm_bindgen_test]
async fn a_design_with_errors_says_why_it_cannot_run_and_leads_back_to_design() {
    let (ui, _root) = fresh_app().await;
    let mut s = Scenario::from_json(include_str!("../examples/host-cluster.json")).unwrap();
    s.design.vms[0].hosts = vec!["nowhere".into()];
    ui.editor.update(|e| e.replace(s));
    settle().await;
    click("mode-simulate");
    settle().await;
    let why = text("cannot-run");
    assert!(why.contains("cannot run yet"), "{why}");
    assert!(
        why.contains("nowhere"),
        "the error names what is wrong: {why}"
    );
    let play: web_sys::HtmlButtonElement = find("play").unchecked_into();
    assert!(play.disabled());
    find("cannot-run")
        .query_selector("button")
        .unwrap()
        .unwrap()
        .unchecked_into::<HtmlElement>()
        .click();
    settle().await;
    assert!(exists("palette-host"), "back in Design");
    assert!(!exists("cannot-run"));
}

/// The context menu opened while the run plays is built once, not every frame: it keeps its
/// node and the focus on its first item, by mouse and by keyboard (it used to panic on every
/// frame, "reactive value already disposed").
#[wasm_bindgen_test]
async fn the_context_menu_holds_still_while_the_run_plays() {
    let ui = open(include_str!("../examples/host-cluster.json"), false).await;
    slide("speed", 1000.0).await;
    click("play");
    TimeoutFuture::new(100).await;
    right_click(&find("host-host-1"));
    TimeoutFuture::new(150).await;
    let menu = find("context-menu");
    let first = menu.query_selector("button").unwrap().unwrap();
    let focused = || document().active_element().unwrap();
    assert!(
        focused().is_same_node(Some(&first)),
        "focus on the first item"
    );
    // Frames go by with the clock moving: the same menu, still focused.
    let before = ui.run.now.get_untracked();
    TimeoutFuture::new(400).await;
    assert!(ui.run.now.get_untracked() > before, "the run plays on");
    assert!(
        find("context-menu").is_same_node(Some(&menu)),
        "the menu was rebuilt"
    );
    assert!(focused().is_same_node(Some(&first)));
    key("Escape", false, false);
    settle().await;
    assert!(!exists("context-menu"));

    // By keyboard: Shift+F10 on the focused host.
    let host: HtmlElement = find("host-host-2").unchecked_into();
    host.focus().unwrap();
    let init = web_sys::KeyboardEventInit::new();
    init.set_key("F10");
    init.set_shift_key(true);
    init.set_bubbles(true);
    init.set_cancelable(true);
    host.dispatch_event(
        &web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap(),
    )
    .unwrap();
    TimeoutFuture::new(150).await;
    let menu = find("context-menu");
    assert!(menu.text_content().unwrap().contains("host-2"));
    TimeoutFuture::new(300).await;
    assert!(find("context-menu").is_same_node(Some(&menu)));
    let first = menu.query_selector("button").unwrap().unwrap();
    assert!(focused().is_same_node(Some(&first)));
    click("play");
}

#[wasm_bindgen_test]
async fn the_charts_show_the_run_from_the_first_fault_and_the_values_under_the_pointer() {
    // web/app/db: host-1 crashes at 60 s, taking db down until its failover.
    let ui = open(example_json("web-app-db"), true).await;
    slide("timeline", 75_000.0).await;
    settle().await;
    let axis: Vec<String> = document()
        .query_selector_all("[data-testid=\"chart-availability\"] .axis span")
        .map(|l| {
            (0..l.length())
                .map(|i| l.item(i).unwrap().text_content().unwrap())
                .collect()
        })
        .unwrap();
    assert_eq!(
        axis,
        ["0:50.0", "1:20.0"],
        "from 10 s before the crash to now"
    );
    // Now: db is down.
    let caption = text("chart-availability");
    assert!(caption.contains("db 0%"), "{caption}");
    // Hover at the left edge (50 s, before the crash): db was up.
    let plot = find("chart-availability-plot");
    let r = plot.get_bounding_client_rect();
    pointer(&plot, "pointermove", (r.left(), r.top() + 10.0), false);
    settle().await;
    assert_eq!(text("chart-when"), "at 0:50.0 ");
    let caption = text("chart-availability");
    assert!(caption.contains("db 100%"), "{caption}");
    pointer(&plot, "pointerleave", (r.left() - 5.0, r.top()), false);
    settle().await;
    assert_eq!(text("chart-when"), "");
    // The keyboard: focus shows now, arrows step back in time.
    plot.unchecked_ref::<HtmlElement>().focus().unwrap();
    settle().await;
    assert_eq!(text("chart-when"), "at 1:15.0 ");
    for _ in 0..16 {
        let init = web_sys::KeyboardEventInit::new();
        init.set_key("ArrowLeft");
        init.set_bubbles(true);
        let ev =
            web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap();
        plot.dispatch_event(&ev).unwrap();
    }
    settle().await;
    assert_eq!(text("chart-when"), "at 0:59.0 ");
    assert!(text("chart-availability").contains("db 100%"));
    let _ = ui;
}

#[wasm_bindgen_test]
async fn dragging_a_vm_onto_another_host_live_migrates_it_and_the_menu_drains_a_host() {
    use clusterlab::model::{Operation, ScheduledOp};
    let ui = open(include_str!("../examples/host-cluster.json"), false).await;
    slide("timeline", 10_000.0).await;
    let row = find("vm-vm-1");
    assert_eq!(row.get_attribute("data-host").unwrap(), "host-1");
    let r = row.get_bounding_client_rect();
    let start = (r.left() + r.width() / 2.0, r.top() + r.height() / 2.0);
    let target = find("host-host-3").get_bounding_client_rect();
    let to = (target.left() + 20.0, target.top() + 10.0);
    drag(&row, start, to, false).await;
    let ops = ui
        .editor
        .with_untracked(|e| e.scenario().operations.clone());
    assert_eq!(
        ops,
        vec![ScheduledOp {
            at_ms: 10_000,
            op: Operation::LiveMigrate {
                vm: "vm-1".into(),
                to: "host-3".into()
            }
        }]
    );
    assert!(!exists("vm-drag"), "the ghost goes away on drop");
    assert!(log_has("vm migrating", "live migration to host-3"));
    play_until(&ui, 40_000).await;
    assert_eq!(
        find("vm-vm-1").get_attribute("data-host").unwrap(),
        "host-3"
    );

    // A drop the engine refuses says why and adds nothing: host-3 is where it already is.
    let row = find("vm-vm-1");
    let r = row.get_bounding_client_rect();
    let start = (r.left() + r.width() / 2.0, r.top() + r.height() / 2.0);
    let paused = find("host-host-2").get_bounding_client_rect();
    // Drain host-2 from its context menu first, then try to drop onto it.
    // On the host's title bar: its middle holds its VM rows.
    right_click_at(
        &find("host-host-2"),
        (paused.left() + 20.0, paused.top() + 10.0),
    );
    settle().await;
    assert!(text("context-menu").contains("Pause host-2 and drain its roles"));
    click("action-d");
    settle().await;
    let ops = ui
        .editor
        .with_untracked(|e| e.scenario().operations.clone());
    assert_eq!(ops.len(), 2);
    assert_eq!(
        ops[1].op,
        Operation::Drain {
            host: "host-2".into()
        }
    );
    assert!(text("script").contains("pause host host-2 and drain its roles"));
    drag(
        &row,
        start,
        (paused.left() + 20.0, paused.top() + 10.0),
        false,
    )
    .await;
    assert_eq!(
        ui.editor.with_untracked(|e| e.scenario().operations.len()),
        2,
        "nothing added"
    );
    assert!(
        text("status").contains("vm-1 cannot be live-migrated to host-2: host-2 is paused"),
        "{}",
        text("status")
    );
    play_until(&ui, 80_000).await;
    assert_ne!(
        find("vm-vm-2").get_attribute("data-host").unwrap(),
        "host-2"
    );
    assert!(
        find("host-host-2")
            .text_content()
            .unwrap()
            .contains("PAUSED"),
        "a drained host says so"
    );
    same_as_engine(&ui);
}

#[wasm_bindgen_test]
async fn cluster_aware_updating_starts_from_a_hosts_menu_and_drains_the_first_node() {
    use clusterlab::model::{Operation, ScheduledOp};
    let ui = open(include_str!("../examples/host-cluster.json"), false).await;
    slide("timeline", 5_000.0).await;
    let host = find("host-host-2").get_bounding_client_rect();
    right_click_at(
        &find("host-host-2"),
        (host.left() + 20.0, host.top() + 10.0),
    );
    settle().await;
    assert!(
        text("context-menu").contains("Update hv-cluster node by node (Cluster-Aware Updating)")
    );
    click("action-u");
    settle().await;
    let ops = ui
        .editor
        .with_untracked(|e| e.scenario().operations.clone());
    assert_eq!(
        ops,
        vec![ScheduledOp {
            at_ms: 5_000,
            op: Operation::Update {
                cluster: "hv-cluster".into()
            }
        }]
    );
    assert!(log_has("updating run", "starts an updating run on"));
    play_until(&ui, 12_000).await;
    // The first node (the fewest roles, then the first) is paused and drained.
    assert!(
        find("host-host-1")
            .text_content()
            .unwrap()
            .contains("PAUSED"),
        "{}",
        find("host-host-1").text_content().unwrap()
    );
    same_as_engine(&ui);
}

/// Hyper-V Replica from the page: the replica's recovery point shows beside the clusters; after
/// the main site is lost, sql's menu offers the unplanned failover to its replica, which starts
/// it on dr-1 and says what was lost.
#[wasm_bindgen_test]
async fn a_replicated_vm_fails_over_from_the_page_and_the_loss_is_shown() {
    use clusterlab::model::{Operation, ScheduledOp};
    let mut s = Scenario::from_json(include_str!("../examples/replica-site-loss.json")).unwrap();
    s.operations.clear();
    let ui = open(&serde_json::to_string(&s).unwrap(), true).await;
    slide("timeline", 780_000.0).await;
    let row = text("state-sql");
    assert!(
        row.contains("replica on dr-1 · recovery point 3 min old"),
        "{row}"
    );
    ui.run.selection.set(vec!["sql".to_string()]);
    settle().await;
    let offered = text("actions");
    assert!(
        offered.contains("Unplanned failover of sql to dr-1"),
        "{offered}"
    );
    click_action("Unplanned failover");
    settle().await;
    let ops = ui
        .editor
        .with_untracked(|e| e.scenario().operations.clone());
    assert_eq!(
        ops,
        vec![ScheduledOp {
            at_ms: 780_000,
            op: Operation::Failover {
                vm: "sql".into(),
                planned: false
            }
        }]
    );
    assert!(log_has(
        "replica failover",
        "the 2 min before its primary went down at 12 min is lost"
    ));
    play_until(&ui, 820_000).await;
    assert!(log_has("vm running", "sql is running on dr-1"));
    same_as_engine(&ui);
}

/// Backups from the page: after ransomware takes the office, sql's row says it is encrypted and
/// the NAS copies are gone while the immutable cloud copy is good; sql's menu offers a restore
/// and an instant recovery, which the script gets at that moment and the log explains (it boots
/// from the repository and serves, with what was lost and how long it was out).
#[wasm_bindgen_test]
async fn a_restore_starts_from_the_page_and_says_what_was_lost() {
    use clusterlab::model::{Operation, ScheduledOp};
    let mut s = Scenario::from_json(include_str!("../examples/ransomware-restore.json")).unwrap();
    s.operations.clear();
    let ui = open(&serde_json::to_string(&s).unwrap(), true).await;
    slide("timeline", 780_000.0).await;
    let row = text("state-backup-sql-nas");
    assert!(
        row.contains(
            "ENCRYPTED BY RANSOMWARE · backups in nas · no good restore point · 0 of 7 points good"
        ),
        "{row}"
    );
    let row = text("state-backup-sql-blob");
    assert!(
        row.contains("latest good point 2.2 h old · 7 of 7 points good"),
        "{row}"
    );
    ui.run.selection.set(vec!["sql".to_string()]);
    settle().await;
    let offered = text("actions");
    assert!(
        offered.contains("Restore sql from backup to host-1"),
        "{offered}"
    );
    assert!(
        offered.contains("Instant recovery of sql on host-1"),
        "{offered}"
    );
    click_action("Instant recovery of sql");
    settle().await;
    let ops = ui
        .editor
        .with_untracked(|e| e.scenario().operations.clone());
    assert_eq!(
        ops,
        vec![ScheduledOp {
            at_ms: 780_000,
            op: Operation::Restore {
                vm: "sql".into(),
                to: "host-1".into(),
                instant: true,
            }
        }]
    );
    assert!(log_has(
        "restore started",
        "it boots straight from its incremental, crash-consistent restore point of -2.0 h in blob"
    ));
    play_until(&ui, 811_000).await;
    assert!(log_has(
        "restore done",
        "sql serves again on host-1, from the repository, as of its restore point of -2.0 h: the 2.2 h it wrote before the loss at 10 min is lost (RPO); it was out of service for 3.5 min (RTO)"
    ));
    assert!(
        text("state-backup-sql-blob")
            .contains("restore: running from the repository (slow I/O), disk moving back")
    );
    same_as_engine(&ui);
}
