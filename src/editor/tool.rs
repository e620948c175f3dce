//! The pointer as an explicit state machine (after tldraw's tools): one state per gesture, and
//! each transition returns what to do. No web types: the page feeds it canvas points.

use super::scene::{Item, ItemKind, Rect, hit, host_at, in_band};
use super::{Command, NewComponent};
use crate::model::{Id, Pos};

/// How far (canvas units) the pointer must travel before a press becomes a drag.
const DRAG_START: f64 = 4.0;

#[derive(Clone, Debug, PartialEq, Default)]
pub enum Tool {
    #[default]
    Idle,
    /// Pressed on an item; becomes a move (or, with `connect`, a connection) once it travels.
    Pointing {
        id: Id,
        kind: ItemKind,
        start: (f64, f64),
        shift: bool,
        connect: bool,
    },
    /// Moving the selection; `offset` is drawn as a preview until release.
    Translating {
        ids: Vec<Id>,
        start: (f64, f64),
        offset: (f64, f64),
    },
    /// Dragging a VM row to another host.
    DraggingVm {
        vm: Id,
        start: (f64, f64),
        at: (f64, f64),
    },
    /// Dragging a line from one component to another.
    Connecting {
        from: Id,
        start: (f64, f64),
        at: (f64, f64),
    },
    /// Rubber-band selection (shift-drag on empty canvas).
    Brushing { start: (f64, f64), at: (f64, f64) },
    /// Panning the view (drag on empty canvas): the page moves the view by screen deltas.
    Panning,
    /// Carrying a new component from the palette.
    Placing {
        what: Palette,
        at: Option<(f64, f64)>,
    },
}

/// What the palette offers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Palette {
    New(NewComponent),
    Vm,
    FailoverCluster,
    NlbCluster,
    Witness(WitnessKind),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WitnessKind {
    Disk,
    FileShare,
    Cloud,
}

/// What a transition asks the page to do.
#[derive(Clone, Debug, PartialEq)]
pub enum Effect {
    Apply(Command),
    /// Witnesses and groups need the design to decide: the page resolves these.
    DropOn {
        what: Palette,
        target: Id,
    },
    Select(Vec<Id>),
    ToggleSelected(Id),
    Message(String),
}

impl Tool {
    /// Pointer pressed at canvas point `p`. `connect` is the connect modifier (Alt, or the
    /// connect handle) that turns a drag from a component into a connection.
    pub fn down(
        &mut self,
        items: &[Item],
        p: (f64, f64),
        shift: bool,
        connect: bool,
        selection: &[Id],
    ) -> Vec<Effect> {
        let mut fx = Vec::new();
        *self = match hit(items, p) {
            Some(item) => {
                if shift {
                    fx.push(Effect::ToggleSelected(item.id.clone()));
                } else if !selection.contains(&item.id) {
                    fx.push(Effect::Select(vec![item.id.clone()]));
                }
                Tool::Pointing {
                    id: item.id.clone(),
                    kind: item.kind,
                    start: p,
                    shift,
                    connect,
                }
            }
            None if shift => Tool::Brushing { start: p, at: p },
            None => {
                fx.push(Effect::Select(Vec::new()));
                Tool::Panning
            }
        };
        fx
    }

    pub fn moved(&mut self, p: (f64, f64), selection: &[Id]) {
        *self = match std::mem::take(self) {
            // A press that has barely moved is still a click.
            pointing @ Tool::Pointing { start, .. } if dist(start, p) < DRAG_START => pointing,
            Tool::Pointing {
                id,
                kind,
                start,
                connect,
                ..
            } => {
                if connect {
                    Tool::Connecting {
                        from: id,
                        start,
                        at: p,
                    }
                } else if kind == ItemKind::Vm {
                    Tool::DraggingVm {
                        vm: id,
                        start,
                        at: p,
                    }
                } else {
                    let mut ids: Vec<Id> = selection.to_vec();
                    if !ids.contains(&id) {
                        ids = vec![id];
                    }
                    Tool::Translating {
                        ids,
                        start,
                        offset: (p.0 - start.0, p.1 - start.1),
                    }
                }
            }
            Tool::Translating { ids, start, .. } => Tool::Translating {
                ids,
                start,
                offset: (p.0 - start.0, p.1 - start.1),
            },
            Tool::DraggingVm { vm, start, .. } => Tool::DraggingVm { vm, start, at: p },
            Tool::Connecting { from, start, .. } => Tool::Connecting { from, start, at: p },
            Tool::Brushing { start, .. } => Tool::Brushing { start, at: p },
            Tool::Placing { what, .. } => Tool::Placing { what, at: Some(p) },
            other => other,
        };
    }

    /// Pointer released at `p` (over the canvas, or `None` outside it).
    pub fn up(&mut self, items: &[Item], p: Option<(f64, f64)>) -> Vec<Effect> {
        let state = std::mem::take(self);
        let Some(p) = p else { return Vec::new() };
        match state {
            Tool::Translating { ids, start, .. } => {
                let (dx, dy) = (p.0 - start.0, p.1 - start.1);
                vec![Effect::Apply(Command::Move {
                    ids,
                    dx: dx.round() as i32,
                    dy: dy.round() as i32,
                })]
            }
            Tool::DraggingVm { vm, .. } => match host_at(items, p) {
                Some(h) => vec![Effect::Apply(Command::PlaceVm {
                    vm,
                    host: h.id.clone(),
                })],
                None => vec![Effect::Message(
                    "drop a VM on a host to run it there".into(),
                )],
            },
            Tool::Connecting { from, .. } => match hit(items, p) {
                Some(to) if to.id != from => vec![Effect::Apply(Command::Connect {
                    a: from,
                    b: to.id.clone(),
                })],
                _ => Vec::new(),
            },
            Tool::Brushing { start, .. } => {
                vec![Effect::Select(in_band(items, &Rect::spanning(start, p)))]
            }
            Tool::Placing { what, .. } => place(items, what, p),
            _ => Vec::new(),
        }
    }

    /// Escape, pointer cancel or lost capture: drop the gesture, change nothing.
    pub fn cancel(&mut self) {
        *self = Tool::Idle;
    }

    pub fn start_placing(&mut self, what: Palette) {
        *self = Tool::Placing { what, at: None };
    }
}

fn dist(a: (f64, f64), b: (f64, f64)) -> f64 {
    ((a.0 - b.0).powi(2) + (a.1 - b.1).powi(2)).sqrt()
}

/// A palette item dropped at `p`: a new component lands centred under the pointer.
fn place(items: &[Item], what: Palette, p: (f64, f64)) -> Vec<Effect> {
    use super::layout::*;
    let (w, h) = match what {
        Palette::New(NewComponent::Host) => (HOST_W, host_height(0)),
        Palette::New(NewComponent::Switch(_)) => (SWITCH_W, SWITCH_H),
        Palette::New(NewComponent::Storage(_)) => (STORAGE_W, STORAGE_H),
        Palette::New(NewComponent::Client) => (CLIENT_W, CLIENT_H),
        _ => (0, 0),
    };
    let at = Pos {
        x: p.0.round() as i32 - w / 2,
        y: p.1.round() as i32 - h / 2,
    };
    let host = host_at(items, p).map(|h| h.id.clone());
    let on = super::scene::hit(items, p);
    match what {
        Palette::New(n) => vec![Effect::Apply(Command::Add { what: n, at, host })],
        Palette::Vm => match host {
            Some(host) => vec![Effect::Apply(Command::AddVm { host })],
            None => vec![Effect::Message("drop the VM on a host".into())],
        },
        Palette::FailoverCluster | Palette::Witness(_) => match host {
            Some(target) => vec![Effect::DropOn { what, target }],
            None => vec![Effect::Message("drop it on a host".into())],
        },
        Palette::NlbCluster => match on.filter(|i| i.kind == ItemKind::Vm) {
            Some(vm) => vec![Effect::DropOn {
                what,
                target: vm.id.clone(),
            }],
            None => vec![Effect::Message("drop the NLB cluster on a VM".into())],
        },
    }
}
