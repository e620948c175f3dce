//! The palette: drag a component onto the canvas (or press Enter to add it).

use super::Ui;
use crate::editor::tool::{Palette as Item, Tool, WitnessKind};
use crate::editor::{Command, NewComponent};
use crate::model::{Pos, StorageKind, SwitchKind};
use leptos::prelude::*;

const ITEMS: &[(&str, &str, Item)] = &[
    ("Host", "Hyper-V host", Item::New(NewComponent::Host)),
    ("VM", "drop on a host", Item::Vm),
    (
        "External switch",
        "reaches the physical network",
        Item::New(NewComponent::Switch(SwitchKind::External)),
    ),
    (
        "Internal switch",
        "drop on a host",
        Item::New(NewComponent::Switch(SwitchKind::Internal)),
    ),
    (
        "Private switch",
        "drop on a host",
        Item::New(NewComponent::Switch(SwitchKind::Private)),
    ),
    (
        "Local disk",
        "drop on a host",
        Item::New(NewComponent::Storage(StorageKind::Local)),
    ),
    (
        "SAN LUN",
        "shared block storage",
        Item::New(NewComponent::Storage(StorageKind::San)),
    ),
    (
        "SMB share",
        "SMB 3 file share",
        Item::New(NewComponent::Storage(StorageKind::Smb)),
    ),
    (
        "CSV",
        "Cluster Shared Volume",
        Item::New(NewComponent::Storage(StorageKind::Csv)),
    ),
    ("Clients", "request load", Item::New(NewComponent::Client)),
    ("Failover cluster", "drop on a host", Item::FailoverCluster),
    ("NLB cluster", "drop on a VM", Item::NlbCluster),
    (
        "Disk witness",
        "drop on a clustered host",
        Item::Witness(WitnessKind::Disk),
    ),
    (
        "File share witness",
        "drop on a clustered host",
        Item::Witness(WitnessKind::FileShare),
    ),
    (
        "Cloud witness",
        "drop on a clustered host",
        Item::Witness(WitnessKind::Cloud),
    ),
];

#[component]
pub fn Palette(ui: Ui) -> impl IntoView {
    view! {
        <nav class="palette" aria-label="Components">
            <h2>"Components"</h2>
            <p class="hint">"Drag onto the canvas"</p>
            {ITEMS
                .iter()
                .map(|(label, hint, item)| {
                    let item = *item;
                    let testid = format!("palette-{}", label.to_ascii_lowercase().replace(' ', "-"));
                    view! {
                        <button class="palette-item" data-testid=testid title=*hint
                            aria-label=format!("Add {label}: {hint}")
                            on:pointerdown=move |ev| {
                                ev.prevent_default();
                                ui.tool.update(|t| t.start_placing(item));
                            }
                            on:keydown=move |ev| {
                                if ev.key() == "Enter" || ev.key() == " " {
                                    ev.prevent_default();
                                    add_by_keyboard(ui, item);
                                }
                            }>
                            <span class="palette-label">{*label}</span>
                            <span class="palette-hint">{*hint}</span>
                        </button>
                    }
                })
                .collect_view()}
        </nav>
    }
}

/// Without a pointer: new components go to the middle of the view, VMs to the selected host.
fn add_by_keyboard(ui: Ui, item: Item) {
    let selected_host = ui.editor.with_untracked(|e| {
        e.selection
            .iter()
            .find(|s| e.scenario().design.hosts.iter().any(|h| &h.id == *s))
            .cloned()
    });
    let v = ui.view.get_untracked();
    let at = Pos {
        x: ((400.0 - v.tx) / v.scale) as i32,
        y: ((300.0 - v.ty) / v.scale) as i32,
    };
    match item {
        Item::New(what) => ui.apply(Command::Add {
            what,
            at,
            host: selected_host,
        }),
        Item::Vm => match selected_host {
            Some(host) => ui.apply(Command::AddVm { host }),
            None => ui.fail("select a host first, then add the VM"),
        },
        other => match selected_host {
            Some(h) => ui.run(vec![crate::editor::tool::Effect::DropOn {
                what: other,
                target: h,
            }]),
            None => ui.fail("select a host first"),
        },
    }
    ui.tool.set(Tool::Idle);
}
