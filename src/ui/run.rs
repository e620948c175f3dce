//! The run in the page: a `Player` fed by requestAnimationFrame, and the signals the views read.
//! The view code never simulates: it asks the player to move and draws its snapshots.

#[cfg(feature = "simulate")]
use super::Ui;
#[cfg(feature = "simulate")]
#[cfg(feature = "simulate")]
use crate::sim::Snapshot;
#[cfg(feature = "simulate")]
use crate::sim::actions::Action;
#[cfg(feature = "simulate")]
use crate::sim::player::{Player, position_of, speed_at};
use leptos::prelude::*;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    Design,
    Simulate,
    /// Every single failure (the design drawn as in Design, with a heat strip).
    Analyze,
}

/// Whether the canvas is showing a run.
pub fn running(ui: super::Ui) -> bool {
    ui.run.mode.get_untracked() == Mode::Simulate
}

/// Rows per host before a host groups its VMs by entry: more as the user zooms in; none (counts
/// only) when zoomed far out.
pub fn rows_per_host(scale: f64) -> usize {
    if scale < 0.45 {
        0
    } else if scale >= 1.5 {
        64
    } else if scale >= 0.9 {
        16
    } else {
        8
    }
}

/// A context menu open at a client point, for these components.
#[cfg(feature = "simulate")]
#[derive(Clone, Debug, PartialEq)]
pub struct Menu {
    pub at: (f64, f64),
    pub ids: Vec<String>,
}

#[derive(Clone, Copy)]
pub struct Run {
    pub mode: RwSignal<Mode>,
    /// Made on the first `follow` (the app's effect), so a build without the simulator never
    /// links the engine.
    #[cfg(feature = "simulate")]
    pub player: StoredValue<Option<Player>, LocalStorage>,
    /// The moment shown (None: the design has errors and cannot run).
    #[cfg(feature = "simulate")]
    pub snap: RwSignal<Option<Snapshot>, LocalStorage>,
    #[cfg(feature = "simulate")]
    pub now: RwSignal<u64>,
    #[cfg(feature = "simulate")]
    pub playing: RwSignal<bool>,
    #[cfg(feature = "simulate")]
    pub speed: RwSignal<f64>,
    /// Length of the log so far: views of the log follow it.
    #[cfg(feature = "simulate")]
    pub logged: RwSignal<usize>,
    /// Components picked on the canvas during the run (VM instances as `entry#k`).
    #[cfg(feature = "simulate")]
    pub selection: RwSignal<Vec<String>>,
    #[cfg(feature = "simulate")]
    pub menu: RwSignal<Option<Menu>>,
    /// A VM dragged onto another host (a live migration on drop).
    #[cfg(feature = "simulate")]
    pub drag: RwSignal<Option<super::migrate::VmDrag>>,
    /// Whether an animation frame is scheduled.
    #[cfg(feature = "simulate")]
    looping: StoredValue<bool>,
}

impl Default for Run {
    fn default() -> Run {
        Run::new()
    }
}

impl Run {
    pub fn new() -> Run {
        Run {
            mode: RwSignal::new(Mode::Design),
            #[cfg(feature = "simulate")]
            player: StoredValue::new_local(None),
            #[cfg(feature = "simulate")]
            snap: RwSignal::new_local(None),
            #[cfg(feature = "simulate")]
            now: RwSignal::new(0),
            #[cfg(feature = "simulate")]
            playing: RwSignal::new(false),
            #[cfg(feature = "simulate")]
            speed: RwSignal::new(1.0),
            #[cfg(feature = "simulate")]
            logged: RwSignal::new(0),
            #[cfg(feature = "simulate")]
            selection: RwSignal::new(Vec::new()),
            #[cfg(feature = "simulate")]
            menu: RwSignal::new(None),
            #[cfg(feature = "simulate")]
            drag: RwSignal::new(None),
            #[cfg(feature = "simulate")]
            looping: StoredValue::new(false),
        }
    }
}

#[cfg(feature = "simulate")]
impl Run {
    /// Reads the player (a default before there is one).
    pub fn with_player<R: Default>(&self, f: impl FnOnce(&Player) -> R) -> R {
        self.player
            .with_value(|p| p.as_ref().map(f).unwrap_or_default())
    }

    fn update_player(&self, f: impl FnOnce(&mut Player)) {
        self.player.update_value(|p| {
            if let Some(p) = p {
                f(p)
            }
        });
    }

    /// Publishes the player's state to the views.
    fn publish(&self) {
        let (now, playing, speed, logged, snap) = self.with_player(|p| {
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
        self.update_player(|p| p.set_playing(on));
        self.publish();
        if on {
            self.ensure_loop();
        }
    }

    pub fn toggle(&self) {
        self.set_playing(!self.playing.get_untracked());
    }

    pub fn step(&self) {
        self.update_player(|p| {
            p.step();
        });
        self.publish();
    }

    pub fn seek(&self, t: u64) {
        self.update_player(|p| p.seek(t));
        self.publish();
    }

    pub fn restart(&self) {
        self.update_player(Player::restart);
        self.publish();
    }

    /// Speed from the slider's 0-1000 position (logarithmic).
    pub fn set_speed_position(&self, position: f64) {
        self.update_player(|p| p.set_speed(speed_at(position / 1000.0)));
        self.publish();
    }

    pub fn speed_position(&self) -> f64 {
        position_of(self.speed.get()) * 1000.0
    }

    /// Follows an edited scenario (design or fault script): replays to the moment shown.
    pub fn follow(&self, scenario: &crate::model::Scenario) {
        let mut changed = false;
        self.player.update_value(|p| match p {
            Some(p) => changed = p.load(scenario),
            None => {
                *p = Some(Player::new(scenario));
                changed = true;
            }
        });
        if changed {
            self.publish();
        }
    }

    /// Applies a fail or repair action now: it joins the fault script (undoable, saved, shared).
    pub fn act(&self, ui: Ui, action: &Action) {
        let Some(now) = self.with_player(|p| Some(p.now())) else {
            return;
        };
        ui.apply(super::actions::command(&action.act, now));
        ui.say(format!(
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
        self.update_player(|p| moved = p.frame(t - last));
        if moved {
            self.publish();
        }
        request_animation_frame(move || self.frame(t));
    }
}

#[cfg(feature = "simulate")]
fn now_ms() -> f64 {
    window().performance().map_or(0.0, |p| p.now())
}

/// `m:ss.s` for the clock and the log.
#[cfg(feature = "simulate")]
pub fn clock(ms: u64) -> String {
    let s = ms / 1000;
    format!("{}:{:02}.{}", s / 60, s % 60, (ms % 1000) / 100)
}
