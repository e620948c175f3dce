//! The palette: drag a component onto the canvas (or press Enter to add it).

use super::Ui;
use crate::editor::tool::{Palette as Item, Tool, WitnessKind};
use crate::editor::{Command, NewComponent};
use crate::model::{Pos, StorageKind, SwitchKind};
use leptos::prelude::*;

/// (group, label, hint, icon, what it makes).
const ITEMS: &[(&str, &str, &str, &str, Item)] = &[
    (
        "Compute",
        "Host",
        "Hyper-V host",
        "host",
        Item::New(NewComponent::Host),
    ),
    ("Compute", "VM", "drop on a host", "vm", Item::Vm),
    (
        "Network",
        "External switch",
        "reaches the physical network",
        "switch-external",
        Item::New(NewComponent::Switch(SwitchKind::External)),
    ),
    (
        "Network",
        "Internal switch",
        "drop on a host",
        "switch-internal",
        Item::New(NewComponent::Switch(SwitchKind::Internal)),
    ),
    (
        "Network",
        "Private switch",
        "drop on a host",
        "switch-private",
        Item::New(NewComponent::Switch(SwitchKind::Private)),
    ),
    (
        "Storage",
        "Local disk",
        "drop on a host",
        "storage-local",
        Item::New(NewComponent::Storage(StorageKind::Local)),
    ),
    (
        "Storage",
        "SAN LUN",
        "shared block storage",
        "storage-san",
        Item::New(NewComponent::Storage(StorageKind::San)),
    ),
    (
        "Storage",
        "SMB share",
        "SMB 3 file share",
        "storage-smb",
        Item::New(NewComponent::Storage(StorageKind::Smb)),
    ),
    (
        "Storage",
        "CSV",
        "Cluster Shared Volume",
        "storage-csv",
        Item::New(NewComponent::Storage(StorageKind::Csv)),
    ),
    (
        "Clusters",
        "Clients",
        "request load",
        "clients",
        Item::New(NewComponent::Client),
    ),
    (
        "Clusters",
        "Failover cluster",
        "drop on a host",
        "cluster",
        Item::FailoverCluster,
    ),
    (
        "Clusters",
        "NLB cluster",
        "drop on a VM",
        "nlb",
        Item::NlbCluster,
    ),
    (
        "Witness",
        "Disk witness",
        "drop on a clustered host",
        "witness",
        Item::Witness(WitnessKind::Disk),
    ),
    (
        "Witness",
        "File share witness",
        "drop on a clustered host",
        "witness",
        Item::Witness(WitnessKind::FileShare),
    ),
    (
        "Witness",
        "Cloud witness",
        "drop on a clustered host",
        "witness",
        Item::Witness(WitnessKind::Cloud),
    ),
];

#[component]
pub fn Palette(ui: Ui) -> impl IntoView {
    let button =
        move |(label, hint, icon, item): (&'static str, &'static str, &'static str, Item)| {
            let testid = format!("palette-{}", label.to_ascii_lowercase().replace(' ', "-"));
            view! {
                <button class="palette-item" data-testid=testid title=hint
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
                    <super::icons::Icon name=icon/>
                    <span class="palette-text">
                        <span class="palette-label">{label}</span>
                        <span class="palette-hint">{hint}</span>
                    </span>
                </button>
            }
        };
    let mut groups: Vec<&str> = ITEMS.iter().map(|i| i.0).collect();
    groups.dedup();
    view! {
        <nav class="palette" aria-label="Components">
            <p class="hint palette-intro">"Drag onto the canvas"</p>
            {groups
                .into_iter()
                .map(|g| view! {
                    <h2>{g}</h2>
                    {ITEMS.iter().filter(|i| i.0 == g).map(|i| button((i.1, i.2, i.3, i.4))).collect_view()}
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
