//! The editor in a real browser (headless Chromium), driven by real pointer and keyboard events.
#![cfg(target_arch = "wasm32")]

use clusterlab::ui::{Ui, mount_in};
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{
    Element, HtmlElement, KeyboardEvent, KeyboardEventInit, PointerEvent, PointerEventInit,
};

wasm_bindgen_test_configure!(run_in_browser);

mod web;
use web::document;
use web::*;

fn design(ui: &Ui) -> clusterlab::model::Design {
    ui.editor.with_untracked(|e| e.scenario().design.clone())
}

#[wasm_bindgen_test]
async fn the_sample_design_renders_with_a_palette_inspector_and_status() {
    let (ui, _root) = fresh_app().await;
    assert_eq!(
        find("scenario-name").text_content().unwrap(),
        ui.editor.with_untracked(|e| e.scenario().name.clone())
    );
    for id in [
        "host-host-1",
        "host-host-4",
        "vm-db",
        "switch-lan",
        "storage-csv-1",
        "client-internet",
        "cluster-prod",
        "palette-host",
        "inspector",
        "problems",
    ] {
        assert!(exists(id), "{id} is drawn");
    }
    assert_eq!(
        find("problem-summary").text_content().unwrap(),
        "No design problems"
    );
}

#[wasm_bindgen_test]
async fn build_with_the_pointer_then_undo_and_redo_every_step() {
    let (ui, _root) = fresh_app().await;
    let hosts = design(&ui).hosts.len();
    let canvas = find("canvas").get_bounding_client_rect();
    // 1. Drag a host from the palette to empty canvas (bottom right).
    let drop = (canvas.right() - 160.0, canvas.bottom() - 120.0);
    drag(
        &find("palette-host"),
        center(&find("palette-host")),
        drop,
        false,
    )
    .await;
    let host = format!("host-{}", hosts + 1);
    assert_eq!(design(&ui).hosts.len(), hosts + 1);
    assert!(exists(&format!("host-{host}")), "the new host is drawn");
    // 2. Drop a VM on it.
    let host_el = find(&format!("host-{host}"));
    drag(
        &find("palette-vm"),
        center(&find("palette-vm")),
        center(&host_el),
        false,
    )
    .await;
    let vm = design(&ui).vms.last().unwrap().clone();
    assert_eq!(vm.hosts, [host.clone()]);
    assert!(exists(&format!("vm-{}", vm.id)));
    // 3. Alt-drag from the host's title bar to the LAN switch: a cable.
    let r = find(&format!("host-{host}")).get_bounding_client_rect();
    let links = design(&ui).links.len();
    drag(
        &find(&format!("host-{host}")),
        (r.left() + 12.0, r.top() + 6.0),
        center(&find("switch-lan")),
        true,
    )
    .await;
    let d = design(&ui);
    assert_eq!(d.links.len(), links + 1);
    let link = d.links.last().unwrap().clone();
    assert_eq!((link.a.as_str(), link.b.as_str()), (host.as_str(), "lan"));
    assert!(exists(&format!("link-{}", link.id)));
    // 4. Select the VM and edit its memory in the inspector.
    let vm_el = find(&format!("vm-{}", vm.id));
    let c = center(&vm_el);
    pointer(&vm_el, "pointerdown", c, false);
    pointer(&vm_el, "pointerup", c, false);
    settle().await;
    assert_eq!(
        ui.editor.with_untracked(|e| e.selection.clone()),
        [vm.id.clone()]
    );
    let input: web_sys::HtmlInputElement = find("field-memory-gb").unchecked_into();
    input.set_value("16");
    input
        .dispatch_event(
            &web_sys::Event::new_with_event_init_dict("change", &{
                let i = web_sys::EventInit::new();
                i.set_bubbles(true);
                i
            })
            .unwrap(),
        )
        .unwrap();
    settle().await;
    assert_eq!(design(&ui).vms.last().unwrap().memory_gb, 16);
    let done = design(&ui);

    // Undo each step with Ctrl+Z, checking the model and the drawing.
    key("z", true, false);
    settle().await;
    assert_eq!(design(&ui).vms.last().unwrap().memory_gb, 4);
    key("z", true, false);
    settle().await;
    assert_eq!(design(&ui).links.len(), links);
    assert!(!exists(&format!("link-{}", link.id)));
    key("z", true, false);
    settle().await;
    assert!(!design(&ui).vms.iter().any(|v| v.id == vm.id));
    assert!(!exists(&format!("vm-{}", vm.id)));
    key("z", true, false);
    settle().await;
    assert_eq!(design(&ui).hosts.len(), hosts);
    assert!(!exists(&format!("host-{host}")));
    // Redo: twice by keyboard (Ctrl+Shift+Z, Ctrl+Y), twice with the button.
    key("z", true, true);
    settle().await;
    assert!(exists(&format!("host-{host}")));
    key("y", true, false);
    settle().await;
    assert!(exists(&format!("vm-{}", vm.id)));
    let redo: HtmlElement = find("redo").unchecked_into();
    redo.click();
    settle().await;
    assert!(exists(&format!("link-{}", link.id)));
    redo.click();
    settle().await;
    assert_eq!(design(&ui), done);
}

#[wasm_bindgen_test]
async fn escape_cancels_a_move_and_delete_removes_the_selection() {
    let (ui, _root) = fresh_app().await;
    let before = design(&ui);
    let host = find("host-host-2");
    let r = host.get_bounding_client_rect();
    let start = (r.left() + 12.0, r.top() + 6.0);
    pointer(&host, "pointerdown", start, false);
    pointer(
        &find("canvas"),
        "pointermove",
        (start.0 + 150.0, start.1 + 90.0),
        false,
    );
    settle().await;
    key("Escape", false, false);
    pointer(
        &find("canvas"),
        "pointerup",
        (start.0 + 150.0, start.1 + 90.0),
        false,
    );
    settle().await;
    assert_eq!(design(&ui), before, "escape dropped the gesture");
    assert_eq!(
        ui.editor.with_untracked(|e| e.selection.clone()),
        ["host-2"]
    );
    key("Delete", false, false);
    settle().await;
    assert!(!design(&ui).hosts.iter().any(|h| h.id == "host-2"));
    assert!(!exists("host-host-2"));
}

#[wasm_bindgen_test]
async fn a_hostile_name_is_shown_as_text() {
    let (ui, _root) = fresh_app().await;
    let evil = "<img src=x onerror=alert(1)>";
    ui.apply(clusterlab::editor::Command::Edit {
        id: "host-1".into(),
        field: "name".into(),
        value: serde_json::json!(evil),
    });
    settle().await;
    let host = find("host-host-1");
    assert!(host.text_content().unwrap().contains(evil));
    assert!(
        document()
            .query_selector(".test-root img")
            .unwrap()
            .is_none(),
        "no element was created from the name"
    );
}

#[wasm_bindgen_test]
async fn work_in_progress_survives_a_reload() {
    let (ui, root) = fresh_app().await;
    ui.apply(clusterlab::editor::Command::Edit {
        id: "host-3".into(),
        field: "memory_gb".into(),
        value: serde_json::json!(512),
    });
    settle().await;
    let saved = web_sys::window()
        .unwrap()
        .local_storage()
        .unwrap()
        .unwrap()
        .get_item("clusterlab.work")
        .unwrap()
        .unwrap();
    assert!(saved.contains("512"));
    // A second app, as after a reload, opens the saved work.
    root.remove();
    let doc = document();
    let again: HtmlElement = doc.create_element("div").unwrap().unchecked_into();
    again.set_class_name("test-root");
    doc.body().unwrap().append_child(&again).unwrap();
    let (ui2, _app) = mount_in(again);
    settle().await;
    assert_eq!(
        ui2.editor
            .with_untracked(|e| e.scenario().design.hosts[2].memory_gb),
        512
    );
}

fn pointer_id(target: &Element, kind: &str, at: (f64, f64), id: i32, shift: bool, touch: bool) {
    let init = PointerEventInit::new();
    init.set_bubbles(true);
    init.set_cancelable(true);
    init.set_client_x(at.0 as i32);
    init.set_client_y(at.1 as i32);
    init.set_pointer_id(id);
    init.set_pointer_type(if touch { "touch" } else { "mouse" });
    init.set_shift_key(shift);
    init.set_buttons(if kind == "pointerup" { 0 } else { 1 });
    target
        .dispatch_event(&PointerEvent::new_with_event_init_dict(kind, &init).unwrap())
        .unwrap();
}

#[wasm_bindgen_test]
async fn wheel_zooms_about_the_pointer_and_dragging_empty_canvas_pans() {
    let (ui, _root) = fresh_app().await;
    let svg = find("canvas");
    let c = svg.get_bounding_client_rect();
    let at = (c.left() + 200.0, c.top() + 150.0);
    let host = find("host-host-1");
    let before = host.get_bounding_client_rect();
    let scale = ui.view.get_untracked().scale;
    let init = web_sys::WheelEventInit::new();
    init.set_bubbles(true);
    init.set_cancelable(true);
    init.set_client_x(at.0 as i32);
    init.set_client_y(at.1 as i32);
    init.set_delta_y(-200.0);
    svg.dispatch_event(&web_sys::WheelEvent::new_with_event_init_dict("wheel", &init).unwrap())
        .unwrap();
    settle().await;
    assert!(ui.view.get_untracked().scale > scale * 1.2);
    let after = host.get_bounding_client_rect();
    let k = after.width() / before.width();
    assert!(k > 1.2, "the drawing grew");
    // The point under the pointer stays put: distances from it grow by the same factor.
    let (d0, d1) = (before.left() - at.0, after.left() - at.0);
    assert!((d1 - d0 * k).abs() < 2.0, "{d0} x {k} != {d1}");
    // Pan: drag on empty canvas (the far bottom-left corner is empty).
    let empty = (c.left() + 5.0, c.bottom() - 5.0);
    let tx = ui.view.get_untracked().tx;
    pointer(&svg, "pointerdown", empty, false);
    pointer(&svg, "pointermove", (empty.0 + 80.0, empty.1 - 30.0), false);
    pointer(&svg, "pointerup", (empty.0 + 80.0, empty.1 - 30.0), false);
    settle().await;
    assert!(
        (ui.view.get_untracked().tx - tx - 80.0).abs() < 1.0,
        "panned by the drag"
    );
}

#[wasm_bindgen_test]
async fn two_fingers_pinch_to_zoom() {
    let (ui, _root) = fresh_app().await;
    let svg = find("canvas");
    let c = svg.get_bounding_client_rect();
    let (cx, cy) = (c.left() + c.width() / 2.0, c.bottom() - 40.0);
    let scale = ui.view.get_untracked().scale;
    pointer_id(&svg, "pointerdown", (cx - 20.0, cy), 11, false, true);
    pointer_id(&svg, "pointerdown", (cx + 20.0, cy), 12, false, true);
    pointer_id(&svg, "pointermove", (cx - 60.0, cy), 11, false, true);
    pointer_id(&svg, "pointermove", (cx + 60.0, cy), 12, false, true);
    pointer_id(&svg, "pointerup", (cx - 60.0, cy), 11, false, true);
    pointer_id(&svg, "pointerup", (cx + 60.0, cy), 12, false, true);
    settle().await;
    let ratio = ui.view.get_untracked().scale / scale;
    assert!(
        (ratio - 3.0).abs() < 0.05,
        "fingers 40 px apart moved to 120 px: x3, got {ratio}"
    );
}

#[wasm_bindgen_test]
async fn shift_drag_selects_by_rubber_band_and_question_mark_shows_the_shortcuts() {
    let (ui, _root) = fresh_app().await;
    let svg = find("canvas");
    let h1 = find("host-host-1").get_bounding_client_rect();
    let h2 = find("host-host-2").get_bounding_client_rect();
    let start = (h1.left() - 4.0, h1.top() - 4.0);
    pointer_id(&svg, "pointerdown", start, 1, true, false);
    pointer_id(
        &svg,
        "pointermove",
        (h2.left() + 10.0, h2.top() + 10.0),
        1,
        true,
        false,
    );
    pointer_id(
        &svg,
        "pointerup",
        (h2.left() + 10.0, h2.top() + 10.0),
        1,
        true,
        false,
    );
    settle().await;
    assert_eq!(
        ui.editor.with_untracked(|e| e.selection.clone()),
        ["host-1", "host-2"]
    );
    assert!(
        find("inspector")
            .text_content()
            .unwrap()
            .contains("2 Hosts selected")
    );
    assert!(!exists("shortcuts"));
    key("?", false, false);
    settle().await;
    assert!(find("shortcuts").text_content().unwrap().contains("undo"));
    key("Escape", false, false);
    settle().await;
    assert!(!exists("shortcuts"));
}

#[wasm_bindgen_test]
async fn witnesses_clusters_and_nlb_are_dropped_from_the_palette() {
    let (ui, _root) = fresh_app().await;
    drag(
        &find("palette-cloud-witness"),
        center(&find("palette-cloud-witness")),
        center(&find("host-host-1")),
        false,
    )
    .await;
    assert_eq!(
        design(&ui).clusters[0].witness,
        clusterlab::model::Witness::Cloud
    );
    assert!(
        find("cluster-prod")
            .text_content()
            .unwrap()
            .contains("cloud witness")
    );
    drag(
        &find("palette-nlb-cluster"),
        center(&find("palette-nlb-cluster")),
        center(&find("vm-app")),
        false,
    )
    .await;
    let nlb = design(&ui).nlb_clusters.last().unwrap().clone();
    assert_eq!(nlb.members[0].vm, "app");
    let r = find("host-host-4").get_bounding_client_rect();
    drag(
        &find("palette-failover-cluster"),
        center(&find("palette-failover-cluster")),
        (r.left() + 30.0, r.top() + 8.0),
        false,
    )
    .await;
    let d = design(&ui);
    assert_eq!(d.clusters.len(), 2);
    assert_eq!(d.clusters[1].nodes, ["host-4"]);
    assert!(!d.clusters[0].nodes.contains(&"host-4".to_string()));
    assert!(exists(&format!("cluster-{}", d.clusters[1].id)));
}

#[wasm_bindgen_test]
async fn the_palette_works_from_the_keyboard() {
    let (ui, _root) = fresh_app().await;
    let hosts = design(&ui).hosts.len();
    let item = find("palette-host");
    let init = KeyboardEventInit::new();
    init.set_key("Enter");
    init.set_bubbles(true);
    item.dispatch_event(
        &KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap(),
    )
    .unwrap();
    settle().await;
    assert_eq!(design(&ui).hosts.len(), hosts + 1);
    // The new host is selected; Enter on "VM" puts a VM on it.
    let vm = find("palette-vm");
    vm.dispatch_event(&KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap())
        .unwrap();
    settle().await;
    let host = design(&ui).hosts.last().unwrap().id.clone();
    assert_eq!(design(&ui).vms.last().unwrap().hosts, [host]);
}

#[wasm_bindgen_test]
async fn connect_mode_connects_without_a_modifier_key() {
    let (ui, _root) = fresh_app().await;
    let toggle: HtmlElement = find("connect-mode").unchecked_into();
    toggle.click();
    settle().await;
    assert_eq!(
        toggle.get_attribute("aria-pressed").as_deref(),
        Some("true")
    );
    let links = design(&ui).links.len();
    let client = find("client-internet");
    drag(&client, center(&client), center(&find("vm-web")), false).await;
    // Clients connected to a VM send their requests to its tier.
    assert_eq!(design(&ui).links.len(), links);
    assert_eq!(design(&ui).clients[0].tier, "web");
    let r = find("host-host-4").get_bounding_client_rect();
    drag(
        &find("host-host-4"),
        (r.left() + 12.0, r.top() + 6.0),
        center(&find("storage-witness-share")),
        false,
    )
    .await;
    let l = design(&ui).links.last().unwrap().clone();
    assert_eq!((l.a.as_str(), l.b.as_str()), ("host-4", "witness-share"));
}

#[wasm_bindgen_test]
async fn design_problems_appear_on_the_component_and_in_the_list_as_you_edit() {
    let (ui, _root) = fresh_app().await;
    assert!(!exists("cluster-problem-prod"));
    // Four nodes and no witness: a 50/50 split is decided by a single vote.
    ui.apply(clusterlab::editor::Command::SetWitness {
        cluster: "prod".into(),
        witness: clusterlab::model::Witness::None,
    });
    settle().await;
    assert!(
        find("cluster-problem-prod")
            .text_content()
            .unwrap()
            .contains("1 problem")
    );
    assert!(
        find("problems")
            .text_content()
            .unwrap()
            .contains("even number of nodes and no witness")
    );
    assert_eq!(
        find("problem-summary").text_content().unwrap(),
        "0 errors, 1 warning"
    );
    // Clicking the problem selects the cluster it concerns.
    let button: HtmlElement = document()
        .query_selector("[data-testid=\"problems\"] button")
        .unwrap()
        .unwrap()
        .unchecked_into();
    button.click();
    settle().await;
    assert_eq!(ui.editor.with_untracked(|e| e.selection.clone()), ["prod"]);
    key("z", true, false);
    settle().await;
    assert!(!exists("cluster-problem-prod"));
}

/// Shift+1 fits the design to the view; F alone does nothing on the canvas (F fails or repairs
/// the focused component during a run, so it means one thing).
#[wasm_bindgen_test]
async fn shift_1_fits_the_view_and_f_is_not_fit() {
    let (ui, _root) = fresh_app().await;
    settle().await;
    let fitted = ui.view.get_untracked();
    ui.view.update(|v| {
        v.scale *= 2.0;
        v.tx += 50.0;
    });
    let press = |key: &str, code: &str, shift: bool| {
        let init = web_sys::KeyboardEventInit::new();
        init.set_key(key);
        init.set_code(code);
        init.set_shift_key(shift);
        init.set_bubbles(true);
        init.set_cancelable(true);
        let ev =
            web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap();
        document().body().unwrap().dispatch_event(&ev).unwrap();
    };
    press("f", "KeyF", false);
    settle().await;
    assert_ne!(ui.view.get_untracked(), fitted, "F does not fit");
    press("!", "Digit1", true);
    settle().await;
    assert_eq!(ui.view.get_untracked(), fitted);
}
