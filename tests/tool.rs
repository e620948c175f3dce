//! The pointer state machine, fed canvas points as the page would.

mod common;
use clusterlab::editor::scene::{ItemKind, items};
use clusterlab::editor::tool::{Effect, Palette, Tool};
use clusterlab::editor::{Command, Editor, NewComponent};

fn editor() -> Editor {
    Editor::new(common::scenario(common::host_cluster(
        3,
        common::disk_witness(),
        "2016+",
    )))
}

/// Runs the effects against the editor as the page does.
fn run(e: &mut Editor, fx: Vec<Effect>) {
    for f in fx {
        match f {
            Effect::Apply(c) => e.apply(c).unwrap(),
            Effect::Select(ids) => e.selection = ids,
            Effect::ToggleSelected(id) => {
                if let Some(i) = e.selection.iter().position(|x| *x == id) {
                    e.selection.remove(i);
                } else {
                    e.selection.push(id);
                }
            }
            other => panic!("unexpected {other:?}"),
        }
    }
}

fn center_of(e: &Editor, id: &str, kind: ItemKind) -> (f64, f64) {
    items(&e.scenario().design)
        .into_iter()
        .find(|i| i.id == id && i.kind == kind)
        .unwrap()
        .rect
        .center()
}

/// A point on a host's title bar (not on a VM row).
fn header_of(e: &Editor, id: &str) -> (f64, f64) {
    let r = items(&e.scenario().design)
        .into_iter()
        .find(|i| i.id == id && i.kind == ItemKind::Host)
        .unwrap()
        .rect;
    (r.x + 20.0, r.y + 10.0)
}

#[test]
fn dragging_a_host_moves_it_on_release_only() {
    let mut e = editor();
    let mut t = Tool::Idle;
    let at = e.scenario().design.hosts[0].at.unwrap();
    let (x, y) = (at.x as f64 + 100.0, at.y as f64 + 10.0);
    let fx = t.down(
        &items(&e.scenario().design),
        (x, y),
        false,
        false,
        &e.selection,
    );
    run(&mut e, fx);
    assert_eq!(e.selection, ["host-1"]);
    t.moved((x + 2.0, y), &e.selection);
    assert!(
        matches!(t, Tool::Pointing { .. }),
        "a tiny move is still a click"
    );
    t.moved((x + 60.0, y + 41.0), &e.selection);
    assert!(matches!(
        t,
        Tool::Translating {
            offset: (60.0, 41.0),
            ..
        }
    ));
    assert_eq!(
        e.scenario().design.hosts[0].at.unwrap(),
        at,
        "nothing changes until release"
    );
    let fx = t.up(&items(&e.scenario().design), Some((x + 60.0, y + 41.0)));
    run(&mut e, fx);
    assert_eq!(
        e.scenario().design.hosts[0].at.unwrap(),
        clusterlab::model::Pos {
            x: at.x + 60,
            y: at.y + 40
        }
    );
    assert_eq!(e.undo_label(), Some("move 1 item"));
}

#[test]
fn escape_cancels_a_drag() {
    let mut e = editor();
    let before = e.scenario().clone();
    let mut t = Tool::Idle;
    let c = header_of(&e, "host-2");
    let fx = t.down(&items(&e.scenario().design), c, false, false, &e.selection);
    run(&mut e, fx);
    t.moved((c.0 + 200.0, c.1), &e.selection);
    t.cancel();
    assert_eq!(
        t.up(&items(&e.scenario().design), Some((c.0 + 200.0, c.1))),
        vec![]
    );
    assert_eq!(e.scenario(), &before);
}

#[test]
fn dropping_a_vm_row_on_another_host_places_it_there() {
    let mut e = editor();
    let mut t = Tool::Idle;
    let from = center_of(&e, "vm-1", ItemKind::Vm);
    let to = center_of(&e, "host-3", ItemKind::Host);
    let fx = t.down(
        &items(&e.scenario().design),
        from,
        false,
        false,
        &e.selection,
    );
    run(&mut e, fx);
    t.moved(to, &e.selection);
    let fx = t.up(&items(&e.scenario().design), Some(to));
    assert_eq!(
        fx,
        vec![Effect::Apply(Command::PlaceVm {
            vm: "vm-1".into(),
            host: "host-3".into()
        })]
    );
}

#[test]
fn connecting_drags_a_line_from_a_host_to_a_switch() {
    let mut e = editor();
    e.apply(Command::Add {
        what: NewComponent::Switch(clusterlab::model::SwitchKind::External),
        at: clusterlab::model::Pos { x: 900, y: 40 },
        host: None,
    })
    .unwrap();
    let mut t = Tool::Idle;
    let from = header_of(&e, "host-1");
    let to = center_of(&e, "switch-1", ItemKind::Switch);
    let fx = t.down(
        &items(&e.scenario().design),
        from,
        false,
        true,
        &e.selection,
    );
    run(&mut e, fx);
    t.moved(to, &e.selection);
    assert!(matches!(t, Tool::Connecting { .. }));
    let fx = t.up(&items(&e.scenario().design), Some(to));
    run(&mut e, fx);
    let l = e.scenario().design.links.last().unwrap();
    assert_eq!((l.a.as_str(), l.b.as_str()), ("host-1", "switch-1"));
}

#[test]
fn shift_drag_on_empty_canvas_selects_by_rubber_band_and_shift_click_toggles() {
    let mut e = editor();
    let mut t = Tool::Idle;
    let h1 = header_of(&e, "host-1");
    let h2 = center_of(&e, "host-2", ItemKind::Host);
    let fx = t.down(
        &items(&e.scenario().design),
        (h1.0 - 30.0, h1.1 - 20.0),
        true,
        false,
        &e.selection,
    );
    run(&mut e, fx);
    t.moved((h2.0, h2.1), &e.selection);
    let fx = t.up(&items(&e.scenario().design), Some((h2.0, h2.1)));
    run(&mut e, fx);
    assert_eq!(e.selection, ["host-1", "host-2"]);
    let fx = t.down(&items(&e.scenario().design), h1, true, false, &e.selection);
    run(&mut e, fx);
    t.up(&items(&e.scenario().design), Some(h1));
    assert_eq!(e.selection, ["host-2"]);
}

#[test]
fn palette_items_land_where_they_are_dropped() {
    let mut e = editor();
    let mut t = Tool::Idle;
    t.start_placing(Palette::New(NewComponent::Host));
    t.moved((1500.0, 700.0), &e.selection);
    let fx = t.up(&items(&e.scenario().design), Some((1500.0, 700.0)));
    run(&mut e, fx);
    assert_eq!(e.selection, ["host-4"]);
    // Centred under the pointer, to within half a step of the snap grid.
    let (x, y) = center_of(&e, "host-4", ItemKind::Host);
    assert!(
        (x - 1500.0).abs() <= 10.0 && (y - 700.0).abs() <= 10.0,
        "{x}, {y}"
    );
    t.start_placing(Palette::Vm);
    let on = center_of(&e, "host-4", ItemKind::Host);
    let fx = t.up(&items(&e.scenario().design), Some(on));
    run(&mut e, fx);
    assert_eq!(e.scenario().design.vms.last().unwrap().hosts, ["host-4"]);
    t.start_placing(Palette::Vm);
    assert_eq!(
        t.up(&items(&e.scenario().design), Some((-500.0, -500.0))),
        vec![Effect::Message("drop the VM on a host".into())]
    );
}
