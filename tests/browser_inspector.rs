//! The typed inspector in a real browser: list editors (NICs, owners, witness, NLB members),
//! ranges refused next to the field, shared edits of a multiple selection, each one undo step.
#![cfg(target_arch = "wasm32")]

use clusterlab::model::{Design, Witness};
use clusterlab::ui::Ui;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{HtmlElement, HtmlInputElement, HtmlSelectElement};

wasm_bindgen_test_configure!(run_in_browser);

mod web;
use web::document;
use web::*;

fn design(ui: &Ui) -> Design {
    ui.editor.with_untracked(|e| e.scenario().design.clone())
}

fn change(el: &web_sys::Element) {
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    let ev = web_sys::Event::new_with_event_init_dict("change", &init).unwrap();
    el.dispatch_event(&ev).unwrap();
}

/// Types into a text or number field and leaves it (a `change`).
async fn type_in(testid: &str, text: &str) {
    let input: HtmlInputElement = find(testid).unchecked_into();
    input.set_value(text);
    change(&input);
    settle().await;
}

/// Picks an option of a select by value.
async fn choose(testid: &str, value: &str) {
    let select: HtmlSelectElement = find(testid).unchecked_into();
    select.set_value(value);
    assert_eq!(
        select.value(),
        value,
        "{testid} offers {value}: {}",
        select.outer_html()
    );
    change(&select);
    settle().await;
}

async fn click(selector: &str) {
    let el: HtmlElement = document()
        .query_selector(selector)
        .unwrap()
        .unwrap_or_else(|| panic!("{selector} is on the page"))
        .unchecked_into();
    el.click();
    settle().await;
}

async fn select(ui: &Ui, id: &str) {
    ui.select(vec![id.to_string()]);
    settle().await;
}

async fn undo() {
    key("z", true, false);
    settle().await;
}

async fn redo() {
    key("z", true, true);
    settle().await;
}

fn vm(ui: &Ui, id: &str) -> clusterlab::model::Vm {
    design(ui).vms.into_iter().find(|v| v.id == id).unwrap()
}

#[wasm_bindgen_test]
async fn nic_rows_edit_vlan_switch_and_spoofing_and_each_edit_undoes() {
    let (ui, _root) = fresh_app().await;
    select(&ui, "db").await;
    assert_eq!(find("inspector-kind").text_content().unwrap(), "VM");
    let before = vm(&ui, "db").nics;
    type_in("nic-0-vlan", "30").await;
    assert_eq!(vm(&ui, "db").nics[0].vlan, Some(30));
    click("[data-testid=\"nic-add\"]").await;
    assert_eq!(vm(&ui, "db").nics.len(), before.len() + 1);
    let last = before.len();
    let mac = find(&format!("nic-{last}-mac"));
    mac.unchecked_ref::<HtmlElement>().click();
    settle().await;
    assert!(vm(&ui, "db").nics[last].mac_spoofing);
    // A VLAN outside 1-4094 is refused beside the field and changes nothing.
    type_in("nic-0-vlan", "5000").await;
    assert_eq!(vm(&ui, "db").nics[0].vlan, Some(30));
    let error = document()
        .query_selector(".inspector .field-error")
        .unwrap();
    assert!(
        error
            .unwrap()
            .text_content()
            .unwrap()
            .contains("1 to 4 094"),
        "the range is named"
    );
    undo().await;
    assert!(!vm(&ui, "db").nics[last].mac_spoofing);
    undo().await;
    assert_eq!(vm(&ui, "db").nics.len(), before.len());
    undo().await;
    assert_eq!(vm(&ui, "db").nics, before);
    redo().await;
    assert_eq!(vm(&ui, "db").nics[0].vlan, Some(30));
    // Empty means untagged.
    type_in("nic-0-vlan", "").await;
    assert_eq!(vm(&ui, "db").nics[0].vlan, None);
}

#[wasm_bindgen_test]
async fn owners_are_an_ordered_pick_of_the_cluster_nodes() {
    let (ui, _root) = fresh_app().await;
    select(&ui, "db").await;
    assert_eq!(vm(&ui, "db").preferred_owners, ["host-1", "host-4"]);
    choose("add-preferred-owners", "host-2").await;
    assert_eq!(
        vm(&ui, "db").preferred_owners,
        ["host-1", "host-4", "host-2"]
    );
    click("[data-testid=\"pick-preferred_owners-host-4\"] button[aria-label^=\"Remove\"]").await;
    assert_eq!(vm(&ui, "db").preferred_owners, ["host-1", "host-2"]);
    click("[data-testid=\"pick-preferred_owners-host-2\"] button[aria-label^=\"Move\"][aria-label$=\"up\"]").await;
    assert_eq!(vm(&ui, "db").preferred_owners, ["host-2", "host-1"]);
    choose("add-possible-owners", "host-3").await;
    assert_eq!(vm(&ui, "db").possible_owners, ["host-3"]);
    click("[data-testid=\"pick-possible_owners-host-3\"] button[aria-label^=\"Remove\"]").await;
    assert!(vm(&ui, "db").possible_owners.is_empty());
    undo().await;
    assert_eq!(vm(&ui, "db").possible_owners, ["host-3"]);
    undo().await;
    undo().await;
    assert_eq!(vm(&ui, "db").preferred_owners, ["host-1", "host-2"]);
    undo().await;
    undo().await;
    assert_eq!(vm(&ui, "db").preferred_owners, ["host-1", "host-4"]);
    redo().await;
    assert_eq!(
        vm(&ui, "db").preferred_owners,
        ["host-1", "host-4", "host-2"]
    );
}

#[wasm_bindgen_test]
async fn the_witness_is_a_kind_and_a_target() {
    let (ui, _root) = fresh_app().await;
    select(&ui, "prod").await;
    assert_eq!(
        find("inspector-kind").text_content().unwrap(),
        "Failover cluster"
    );
    let before = design(&ui).clusters[0].witness.clone();
    assert!(matches!(before, Witness::FileShare { .. }));
    choose("witness-kind", "cloud").await;
    assert_eq!(design(&ui).clusters[0].witness, Witness::Cloud);
    assert!(!exists("witness-storage"), "a cloud witness has no storage");
    // The sample has no SAN LUN: a disk witness cannot be chosen, and says why.
    choose("witness-kind", "disk").await;
    assert_eq!(design(&ui).clusters[0].witness, Witness::Cloud);
    let error = document()
        .query_selector(".inspector .field-error")
        .unwrap();
    assert!(error.unwrap().text_content().unwrap().contains("SAN LUN"));
    choose("witness-kind", "file_share").await;
    assert_eq!(design(&ui).clusters[0].witness, before);
    undo().await;
    assert_eq!(design(&ui).clusters[0].witness, Witness::Cloud);
    undo().await;
    assert_eq!(design(&ui).clusters[0].witness, before);
    redo().await;
    assert_eq!(design(&ui).clusters[0].witness, Witness::Cloud);
}

#[wasm_bindgen_test]
async fn nlb_members_are_rows_of_priority_and_weight() {
    let (ui, _root) = fresh_app().await;
    select(&ui, "web-nlb").await;
    let nlb = |ui: &Ui| design(ui).nlb_clusters[0].clone();
    type_in("nlb-0-priority", "7").await;
    assert_eq!(nlb(&ui).members[0].priority, 7);
    type_in("nlb-0-priority", "40").await;
    assert_eq!(nlb(&ui).members[0].priority, 7, "40 is outside 1-32");
    type_in("nlb-0-weight", "60").await;
    assert_eq!(nlb(&ui).members[0].weight, Some(60));
    choose("nlb-add", "app").await;
    assert_eq!(nlb(&ui).members.len(), 2);
    assert_eq!(nlb(&ui).members[1].vm, "app");
    assert_eq!(nlb(&ui).members[1].priority, 1, "the lowest free priority");
    click("[data-testid=\"nlb-1-remove\"]").await;
    assert_eq!(nlb(&ui).members.len(), 1);
    undo().await;
    assert_eq!(nlb(&ui).members.len(), 2);
    undo().await;
    undo().await;
    assert_eq!(nlb(&ui).members[0].weight, None);
    undo().await;
    assert_eq!(nlb(&ui).members[0].priority, 1);
    redo().await;
    assert_eq!(nlb(&ui).members[0].priority, 7);
}

#[wasm_bindgen_test]
async fn every_component_gets_typed_controls_no_json_and_no_position() {
    let (ui, _root) = fresh_app().await;
    let ids: Vec<String> = design(&ui).ids().map(String::from).collect();
    for id in ids {
        select(&ui, &id).await;
        let inspector = find("inspector");
        assert!(
            inspector.query_selector("textarea").unwrap().is_none(),
            "{id}: no JSON text box"
        );
        assert!(
            !exists("field-at"),
            "{id}: the position is not an inspector field"
        );
        let labels = inspector.query_selector_all("label, .label").unwrap();
        for k in 0..labels.length() {
            let text = labels.item(k).unwrap().text_content().unwrap();
            assert!(!text.contains('_'), "{id}: a label in words, not {text}");
        }
    }
    select(&ui, "host-1").await;
    let memory: HtmlInputElement = find("field-memory-gb").unchecked_into();
    let label = document()
        .query_selector(&format!("label[for=\"{}\"]", memory.id()))
        .unwrap()
        .unwrap();
    assert_eq!(label.text_content().unwrap(), "Memory for VMs (GB)");
    // Advanced settings start collapsed.
    ui.select(Vec::new());
    settle().await;
    let advanced = find("advanced");
    assert!(!advanced.has_attribute("open"));
    let delay: HtmlInputElement = find("field-heartbeat-same-subnet-delay-ms").unchecked_into();
    assert_eq!(delay.placeholder(), "default 1000");
}

#[wasm_bindgen_test]
async fn a_value_out_of_range_is_refused_beside_the_field() {
    let (ui, _root) = fresh_app().await;
    select(&ui, "host-1").await;
    let before = design(&ui);
    type_in("field-memory-gb", "0").await;
    assert_eq!(design(&ui), before);
    let input = find("field-memory-gb");
    assert_eq!(input.get_attribute("aria-invalid").as_deref(), Some("true"));
    let error = document()
        .query_selector(".inspector .field-error")
        .unwrap()
        .unwrap();
    assert_eq!(
        error.text_content().unwrap(),
        "Memory for VMs (GB): enter a whole number from 1 to 24 576"
    );
    assert_eq!(error.get_attribute("role").as_deref(), Some("alert"));
    assert!(ui.editor.with_untracked(|e| e.undo_label().is_none()));
    type_in("field-memory-gb", "512").await;
    assert_eq!(design(&ui).hosts[0].memory_gb, 512);
    assert!(
        document()
            .query_selector(".inspector .field-error")
            .unwrap()
            .is_none()
    );
}

#[wasm_bindgen_test]
async fn several_selected_components_share_one_edit_and_one_undo() {
    let (ui, _root) = fresh_app().await;
    ui.select(vec!["host-1".into(), "host-3".into()]);
    settle().await;
    assert!(
        find("inspector-many")
            .text_content()
            .unwrap()
            .starts_with("2 Host")
    );
    let before = design(&ui);
    type_in("field-memory-gb", "768").await;
    let mem: Vec<u32> = design(&ui).hosts.iter().map(|h| h.memory_gb).collect();
    assert_eq!(mem[0], 768);
    assert_eq!(mem[2], 768);
    assert_eq!(mem[1], before.hosts[1].memory_gb);
    undo().await;
    assert_eq!(design(&ui), before, "one undo takes both back");
    // A host and a VM share no property: only the group actions are offered.
    ui.select(vec!["host-1".into(), "db".into()]);
    settle().await;
    assert!(!exists("field-memory-gb"));
}

#[wasm_bindgen_test]
async fn tab_from_field_to_field_keeps_focus_in_the_inspector() {
    let (ui, _root) = fresh_app().await;
    select(&ui, "host-1").await;
    let cores: HtmlInputElement = find("field-cpu-cores").unchecked_into();
    cores.set_value("48");
    // Tab has already put focus on the next field when the edit redraws the inspector: the
    // redraw updates the controls in place, so focus stays.
    let memory: HtmlInputElement = find("field-memory-gb").unchecked_into();
    memory.focus().unwrap();
    change(&cores);
    settle().await;
    gloo_timers::future::TimeoutFuture::new(50).await;
    assert_eq!(design(&ui).hosts[0].cpu_cores, 48);
    let active = document().active_element().unwrap();
    assert_eq!(
        active.get_attribute("data-testid").as_deref(),
        Some("field-memory-gb")
    );
}

#[wasm_bindgen_test]
async fn sites_are_labelled_regions_around_what_is_in_them_and_follow_the_inspector() {
    let (ui, _root) = fresh_app().await;
    // Two sites: hosts 1-2 in Seattle, hosts 3-4 in Portland (set through the inspector).
    let mut s = ui.editor.with_untracked(|e| e.scenario().clone());
    s.design.sites = serde_json::from_str(
        r#"[{"id": "sea", "name": "Seattle"}, {"id": "pdx", "name": "Portland"}]"#,
    )
    .unwrap();
    ui.editor.update(|e| e.replace(s));
    settle().await;
    ui.select(vec!["host-1".into(), "host-2".into()]);
    settle().await;
    choose("field-site", "sea").await;
    ui.select(vec!["host-3".into(), "host-4".into()]);
    settle().await;
    choose("field-site", "pdx").await;
    let region = |id: &str| find(&format!("site-{id}"));
    assert_eq!(
        region("sea").text_content().unwrap(),
        "Site Seattle",
        "labelled by name"
    );
    let inside = |site: &str, host: &str| {
        let r = region(site)
            .query_selector("rect.region")
            .unwrap()
            .unwrap()
            .get_bounding_client_rect();
        let h = find(&format!("host-{host}")).get_bounding_client_rect();
        h.left() >= r.left()
            && h.right() <= r.right()
            && h.top() >= r.top()
            && h.bottom() <= r.bottom()
    };
    assert!(inside("sea", "host-1") && inside("sea", "host-2"));
    assert!(inside("pdx", "host-3") && inside("pdx", "host-4"));
    assert!(!inside("sea", "host-4"));
    // One undo takes both hosts of the last edit out of Portland: its region goes.
    undo().await;
    assert!(!exists("site-pdx"));
    assert!(exists("site-sea"));
}

fn recovery(ui: &Ui) -> clusterlab::model::recovery::Recovery {
    ui.editor.with_untracked(|e| e.scenario().recovery.clone())
}

/// The first real option of a select (after its "none" entry).
fn first_option(testid: &str) -> String {
    let select: HtmlSelectElement = find(testid).unchecked_into();
    (0..select.length())
        .filter_map(|i| select.item(i))
        .map(|o| o.unchecked_into::<web_sys::HtmlOptionElement>().value())
        .find(|v| !v.is_empty())
        .unwrap_or_else(|| panic!("{testid} offers something: {}", select.outer_html()))
}

#[wasm_bindgen_test]
async fn a_vms_replica_backups_and_recovery_plans_are_edited_from_the_inspector() {
    let (ui, _root) = fresh_app().await;
    select(&ui, "db").await;
    // Replicate db to a host it does not run on, every 30 s, keeping 4 hourly points.
    let to = first_option("replica-to");
    assert!(
        !vm(&ui, "db").hosts.contains(&to),
        "{to} is not db's own host"
    );
    choose("replica-to", &to).await;
    let r = recovery(&ui).replicas;
    assert_eq!(
        (r.len(), r[0].vm.as_str(), r[0].to.as_str(), r[0].every_s),
        (1, "db", to.as_str(), 300)
    );
    choose("replica-every", "30").await;
    type_in("replica-points", "4").await;
    let r = &recovery(&ui).replicas[0];
    assert_eq!((r.every_s, r.hourly_points), (30, 4));
    // 25 points are refused and change nothing.
    type_in("replica-points", "25").await;
    assert_eq!(recovery(&ui).replicas[0].hourly_points, 4);
    // A nightly backup job, made immutable; each edit one undo step.
    let repo = first_option("backup-to");
    choose("backup-to", &repo).await;
    let b = &recovery(&ui).backups[0];
    assert_eq!(
        (
            b.vms.clone(),
            b.to.clone(),
            b.every_h,
            b.keep_days,
            b.immutable
        ),
        (vec!["db".to_string()], repo.clone(), 24, 7, false)
    );
    find("backup-immutable")
        .unchecked_ref::<HtmlElement>()
        .click();
    settle().await;
    assert!(recovery(&ui).backups[0].immutable);
    undo().await;
    assert!(!recovery(&ui).backups[0].immutable);
    // With nothing selected, a recovery plan of the replicated VMs.
    ui.select(Vec::new());
    settle().await;
    click("[data-testid=\"add-plan\"]").await;
    let p = &recovery(&ui).plans[0];
    assert_eq!(
        (p.id.as_str(), p.groups.len(), p.groups[0].vms.clone()),
        ("plan-1", 1, vec!["db".to_string()])
    );
    // Not replicated any more: the replica goes; deleting db takes it out of the rest.
    select(&ui, "db").await;
    choose("replica-to", "").await;
    assert!(recovery(&ui).replicas.is_empty());
    ui.apply(clusterlab::editor::Command::Delete {
        ids: vec!["db".into()],
    });
    settle().await;
    let r = recovery(&ui);
    assert!(r.backups.is_empty() && r.plans.is_empty(), "{r:?}");
}
