//! VLANs on the canvas: one colour per VLAN ID (CSS classes `vlan-0` .. `vlan-7`), shown on VM
//! rows, on the cables that carry them, and in a legend with the guest and NLB clusters.

use crate::model::{Design, display_name};
use leptos::prelude::*;

/// The design's VLAN IDs, in order: a VLAN's colour is its place in this list.
pub fn ids(d: &Design) -> Vec<u16> {
    let mut v: Vec<u16> = d
        .vms
        .iter()
        .flat_map(|vm| vm.nics.iter().filter_map(|n| n.vlan))
        .collect();
    v.sort_unstable();
    v.dedup();
    v
}

/// The colour class of a VLAN.
pub fn class(all: &[u16], vlan: u16) -> String {
    let i = all.iter().position(|v| *v == vlan).unwrap_or(0);
    format!("vlan-{}", i % 8)
}

/// The VLANs a host's cable to a switch carries: those of the VMs on the host with a NIC there.
pub fn on_cable(d: &Design, a: &str, b: &str) -> Vec<u16> {
    let (host, switch) = if d.hosts.iter().any(|h| h.id == a) {
        (a, b)
    } else {
        (b, a)
    };
    let mut v: Vec<u16> = d
        .vms
        .iter()
        .filter(|vm| vm.hosts.iter().any(|h| h == host))
        .flat_map(|vm| vm.nics.iter())
        .filter(|n| n.switch == switch)
        .filter_map(|n| n.vlan)
        .collect();
    v.sort_unstable();
    v.dedup();
    v
}

/// The legend: each VLAN's colour and the VMs on it.
#[component]
pub fn Legend(ui: super::Ui) -> impl IntoView {
    let rows = move || {
        ui.editor.with(|e| {
            let d = &e.scenario().design;
            let all = ids(d);
            all.iter()
                .map(|v| {
                    let vms: Vec<&str> = d
                        .vms
                        .iter()
                        .filter(|vm| vm.nics.iter().any(|n| n.vlan == Some(*v)))
                        .map(|vm| display_name(&vm.name, &vm.id))
                        .collect();
                    view! {
                        <li data-testid=format!("vlan-{v}")>
                            <span class=format!("swatch {}", class(&all, *v))></span>
                            <strong>{format!("VLAN {v}")}</strong>
                            " "<span class="who">{vms.join(", ")}</span>
                        </li>
                    }
                })
                .collect_view()
        })
    };
    // Guest and NLB clusters are outlined on their rows: the legend names them.
    let groups = move || {
        ui.editor.with(|e| {
            let d = &e.scenario().design;
            d.nlb_clusters
                .iter()
                .map(|n| ("nlb", "NLB", display_name(&n.name, &n.id).to_string(), n.members.iter().map(|m| m.vm.clone()).collect::<Vec<_>>()))
                .chain(d.guest_clusters.iter().map(|g| ("guest", "guest cluster", display_name(&g.name, &g.id).to_string(), g.members.clone())))
                .map(|(class, what, name, members)| {
                    view! {
                        <li class=format!("group-key {class}")>
                            <span class="outline-swatch"></span>
                            <strong>{name}</strong>" "<span class="who">{format!("{what}: {}", members.join(", "))}</span>
                        </li>
                    }
                })
                .collect_view()
        })
    };
    let any = move || {
        ui.editor.with(|e| {
            let d = &e.scenario().design;
            !ids(d).is_empty() || !d.nlb_clusters.is_empty() || !d.guest_clusters.is_empty()
        })
    };
    view! {
        <Show when=any>
            <aside class="vlan-legend" aria-label="Legend: VLANs and VM clusters" data-testid="vlan-legend">
                <ul>{rows}{groups}</ul>
            </aside>
        </Show>
    }
}
