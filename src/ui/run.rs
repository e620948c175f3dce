//! The run in the page: a `Player` fed by requestAnimationFrame, and the signals the views read.
//! The view code never simulates: it asks the player to move and draws its snapshots.

use super::Ui;
use crate::editor::Command;
use crate::sim::Snapshot;
use crate::sim::actions::Action;
use crate::sim::player::{Player, position_of, speed_at};
use leptos::prelude::*;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    Design,
    Simulate,
}

/// A context menu open at a client point, for these components.
#[derive(Clone, Debug, PartialEq)]
pub struct Menu {
    pub at: (f64, f64),
    pub ids: Vec<String>,
}

#[derive(Clone, Copy)]
pub struct Run {
    pub mode: RwSignal<Mode>,
    pub player: StoredValue<Player, LocalStorage>,
    /// The moment shown (None: the design has errors and cannot run).
    pub snap: RwSignal<Option<Snapshot>, LocalStorage>,
    pub now: RwSignal<u64>,
    pub playing: RwSignal<bool>,
    pub speed: RwSignal<f64>,
    /// Length of the log so far: views of the log follow it.
    pub logged: RwSignal<usize>,
    /// Components picked on the canvas during the run (VM instances as `entry#k`).
    pub selection: RwSignal<Vec<String>>,
    pub menu: RwSignal<Option<Menu>>,
    /// Whether an animation frame is scheduled.
    looping: StoredValue<bool>,
}

impl Run {
    pub fn new(scenario: &crate::model::Scenario) -> Run {
        let player = Player::new(scenario);
        let snap = player.engine().map(|e| e.snapshot());
        Run {
            mode: RwSignal::new(Mode::Design),
            player: StoredValue::new_local(player),
            snap: RwSignal::new_local(snap),
            now: RwSignal::new(0),
            playing: RwSignal::new(false),
            speed: RwSignal::new(1.0),
            logged: RwSignal::new(0),
            selection: RwSignal::new(Vec::new()),
            menu: RwSignal::new(None),
            looping: StoredValue::new(false),
        }
    }

    /// Publishes the player's state to the views.
    fn publish(&self) {
        let (now, playing, speed, logged, snap) = self.player.with_value(|p| {
            (
                p.now(),
                p.playing(),
                p.speed(),
                p.engine().map_or(0, |e| e.events().len()),
                p.engine().map(|e| e.snapshot()),
            )
        });
        self.now.set(now);
        if self.playing.get_untracked() != playing {
            self.playing.set(playing);
        }
        if self.speed.get_untracked() != speed {
            self.speed.set(speed);
        }
        if self.logged.get_untracked() != logged {
            self.logged.set(logged);
        }
        self.snap.set(snap);
    }

    pub fn set_playing(&self, on: bool) {
        self.player.update_value(|p| p.set_playing(on));
        self.publish();
        if on {
            self.ensure_loop();
        }
    }

    pub fn toggle(&self) {
        self.set_playing(!self.playing.get_untracked());
    }

    pub fn step(&self) {
        self.player.update_value(|p| {
            p.step();
        });
        self.publish();
    }

    pub fn seek(&self, t: u64) {
        self.player.update_value(|p| p.seek(t));
        self.publish();
    }

    pub fn restart(&self) {
        self.player.update_value(Player::restart);
        self.publish();
    }

    /// Speed from the slider's 0-1000 position (logarithmic).
    pub fn set_speed_position(&self, position: f64) {
        self.player
            .update_value(|p| p.set_speed(speed_at(position / 1000.0)));
        self.publish();
    }

    pub fn speed_position(&self) -> f64 {
        position_of(self.speed.get()) * 1000.0
    }

    /// Follows an edited scenario (design or fault script): replays to the moment shown.
    pub fn follow(&self, scenario: &crate::model::Scenario) {
        let mut changed = false;
        self.player.update_value(|p| changed = p.load(scenario));
        if changed {
            self.publish();
        }
    }

    /// Applies a fail or repair action now: it joins the fault script (undoable, saved, shared).
    pub fn act(&self, ui: Ui, action: &Action) {
        let fault = self
            .player
            .with_value(|p| p.now_fault(action.fault.clone(), action.repair));
        ui.apply(Command::AddFault(fault));
        ui.status.set(format!(
            "{} at {}",
            action.label,
            clock(self.now.get_untracked())
        ));
    }

    /// Keeps one requestAnimationFrame loop running while playing.
    fn ensure_loop(&self) {
        if self.looping.get_value() {
            return;
        }
        self.looping.set_value(true);
        let run = *self;
        let start = now_ms();
        request_animation_frame(move || run.frame(start));
    }

    fn frame(self, last: f64) {
        let t = now_ms();
        if !self.playing.get_untracked() || self.mode.get_untracked() != Mode::Simulate {
            self.looping.set_value(false);
            return;
        }
        let mut moved = false;
        self.player.update_value(|p| moved = p.frame(t - last));
        if moved {
            self.publish();
        }
        request_animation_frame(move || self.frame(t));
    }
}

fn now_ms() -> f64 {
    window().performance().map_or(0.0, |p| p.now())
}

/// `m:ss.s` for the clock and the log.
pub fn clock(ms: u64) -> String {
    let s = ms / 1000;
    format!("{}:{:02}.{}", s / 60, s % 60, (ms % 1000) / 100)
}
