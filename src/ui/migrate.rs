//! Dragging a running VM onto another host during a run live-migrates it, as in Failover
//! Cluster Manager. The engine is asked first whether the target can take the VM: a drop it
//! refuses says why and adds nothing to the script.

use super::Ui;
use crate::editor::live::Live;
use crate::editor::scene::{self, ItemKind};
use crate::model::Operation;
use crate::sim::actions::{Act, Action};
use leptos::prelude::*;

/// Canvas units the pointer must travel before a press on a VM becomes a drag.
const DRAG_START: f64 = 6.0;

/// A VM being dragged: where from, where the pointer is, and the host under it.
#[derive(Clone, Debug, PartialEq)]
pub struct VmDrag {
    pub vm: String,
    pub from: String,
    pub start: (f64, f64),
    pub at: (f64, f64),
    /// Past the drag threshold: drawn, and a drop migrates.
    pub moving: bool,
    pub over: Option<String>,
}

/// A press during a run on a single running VM may start a drag.
pub fn press(ui: Ui, live: Memo<Live>, p: (f64, f64)) {
    let row = live.with_untracked(|l| {
        l.rows
            .iter()
            .rev()
            .find(|r| r.rect.contains(p))
            .filter(|r| r.count <= 1 && r.state == "running")
            .map(|r| (r.id.clone(), r.host.clone()))
    });
    ui.run.drag.set(row.map(|(vm, from)| VmDrag {
        vm,
        from,
        start: p,
        at: p,
        moving: false,
        over: None,
    }));
}

/// Follows the pointer; returns whether a drag is under way (the canvas then does nothing else).
pub fn follow(ui: Ui, live: Memo<Live>, p: (f64, f64)) -> bool {
    let Some(mut d) = ui.run.drag.get_untracked() else {
        return false;
    };
    d.at = p;
    d.moving |= (p.0 - d.start.0).hypot(p.1 - d.start.1) > DRAG_START;
    d.over = live.with_untracked(|l| {
        scene::host_at(&l.items(), p)
            .filter(|i| i.kind == ItemKind::Host && i.id != d.from)
            .map(|i| i.id.clone())
    });
    ui.run.drag.set(Some(d));
    true
}

/// Ends the drag: a drop on another host live-migrates the VM, if the engine says it can.
pub fn drop(ui: Ui) -> bool {
    let Some(d) = ui.run.drag.get_untracked() else {
        return false;
    };
    ui.run.drag.set(None);
    let Some(to) = d.over.filter(|_| d.moving) else {
        return d.moving;
    };
    let refused = ui
        .run
        .with_player(|p| p.engine().and_then(|e| e.migration_check(&d.vm, &to).err()));
    if let Some(why) = refused {
        ui.fail(format!("{} cannot be live-migrated to {to}: {why}", d.vm));
        return true;
    }
    let action = Action {
        label: format!("Live migrate {} to {to}", d.vm),
        key: crate::sim::actions::NO_KEY,
        act: Act::Op(Operation::LiveMigrate {
            vm: d.vm.clone(),
            to,
        }),
    };
    ui.run.act(ui, &action);
    true
}

/// The dragged VM under the pointer and the host it would go to.
#[component]
pub fn DragGhost(ui: Ui, live: Memo<Live>) -> impl IntoView {
    move || {
        let d = ui.run.drag.get().filter(|d| d.moving)?;
        let (w, h) = (150.0, 22.0);
        let target = d
            .over
            .as_ref()
            .and_then(|id| live.with(|l| l.hosts.iter().find(|x| &x.id == id).map(|x| x.rect)));
        Some(view! {
            <g class="vm-drag" data-testid="vm-drag" pointer-events="none">
                {target.map(|r| view! {
                    <rect class="drop-target" x=r.x - 3.0 y=r.y - 3.0 width=r.w + 6.0 height=r.h + 6.0 rx="8"/>
                })}
                <rect class="ghost" x=d.at.0 - w / 2.0 y=d.at.1 - h / 2.0 width=w height=h rx="4"/>
                <text class="ghost-text" x=d.at.0 y=d.at.1 + 4.0 text-anchor="middle">
                    {match &d.over {
                        Some(to) => format!("live migrate {} to {to}", d.vm),
                        None => d.vm.clone(),
                    }}
                </text>
            </g>
        })
    }
}
