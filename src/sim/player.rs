//! Playback of a run for the page: a clock fed with real time at a chosen speed, pause, single
//! step to the next event, and exact seeking anywhere (the engine replays deterministically, so
//! going back is a replay from t = 0). No web types: tested natively.

use super::Engine;
use crate::model::validate::Problem;
use crate::model::{Fault, Scenario, ScheduledFault};

pub const MIN_SPEED: f64 = 0.1;
pub const MAX_SPEED: f64 = 100.0;
/// The fixed step of the accumulator: the engine's resolution, one simulated millisecond.
pub const STEP_MS: u64 = 1;
/// Real time one frame may count at most: a tab coming back from the background does not leap.
const MAX_FRAME_REAL_MS: f64 = 100.0;
/// How far "step" looks for the next event before giving up (an idle, healthy design).
const STEP_HORIZON_MS: u64 = 3_600_000;

pub struct Player {
    scenario: Scenario,
    engine: Result<Engine, Vec<Problem>>,
    playing: bool,
    speed: f64,
    /// Simulated time owed to the engine but smaller than one step.
    owed_ms: f64,
}

impl Player {
    pub fn new(scenario: &Scenario) -> Player {
        Player {
            scenario: scenario.clone(),
            engine: Engine::new(scenario),
            playing: false,
            speed: 1.0,
            owed_ms: 0.0,
        }
    }

    pub fn scenario(&self) -> &Scenario {
        &self.scenario
    }

    /// The running engine, or `None` when the design has errors (see `problems`).
    pub fn engine(&self) -> Option<&Engine> {
        self.engine.as_ref().ok()
    }

    /// Why the design cannot run (empty when it can).
    pub fn problems(&self) -> &[Problem] {
        match &self.engine {
            Ok(_) => &[],
            Err(p) => p,
        }
    }

    pub fn now(&self) -> u64 {
        self.engine().map_or(0, Engine::now)
    }

    pub fn playing(&self) -> bool {
        self.playing
    }

    pub fn speed(&self) -> f64 {
        self.speed
    }

    pub fn set_playing(&mut self, on: bool) {
        self.playing = on && self.engine.is_ok();
        self.owed_ms = 0.0;
    }

    pub fn set_speed(&mut self, speed: f64) {
        self.speed = if speed.is_finite() {
            speed.clamp(MIN_SPEED, MAX_SPEED)
        } else {
            1.0
        };
    }

    /// Takes an edited scenario (design or fault script): the run is replayed from t = 0 with
    /// it, up to the moment being shown. Returns whether anything changed.
    pub fn load(&mut self, scenario: &Scenario) -> bool {
        if *scenario == self.scenario {
            return false;
        }
        let t = self.now();
        self.scenario = scenario.clone();
        self.engine = Engine::new(scenario);
        if self.engine.is_err() {
            self.playing = false;
        }
        self.seek(t);
        true
    }

    /// Advances by one animation frame of `real_ms` milliseconds; returns whether time moved.
    pub fn frame(&mut self, real_ms: f64) -> bool {
        if !self.playing || !real_ms.is_finite() || real_ms <= 0.0 {
            return false;
        }
        self.owed_ms += real_ms.min(MAX_FRAME_REAL_MS) * self.speed;
        let steps = (self.owed_ms / STEP_MS as f64).floor();
        if steps < 1.0 {
            return false;
        }
        self.owed_ms -= steps * STEP_MS as f64;
        let to = self.now() + steps as u64 * STEP_MS;
        if let Ok(e) = &mut self.engine {
            e.run_until(to);
        }
        true
    }

    /// Pauses and moves to the next moment that adds to the log; returns whether there was one.
    pub fn step(&mut self) -> bool {
        self.set_playing(false);
        match &mut self.engine {
            Ok(e) => {
                let limit = e.now() + STEP_HORIZON_MS;
                e.step(limit)
            }
            Err(_) => false,
        }
    }

    /// Shows the run at `t`: forward by running on, backward by replaying from the start.
    pub fn seek(&mut self, t: u64) {
        self.owed_ms = 0.0;
        if t < self.now()
            && let Ok(fresh) = Engine::new(&self.scenario)
        {
            self.engine = Ok(fresh);
        }
        if let Ok(e) = &mut self.engine {
            e.run_until(t);
        }
    }

    /// Back to t = 0, paused.
    pub fn restart(&mut self) {
        self.set_playing(false);
        self.seek(0);
    }

    /// How long the timeline is: the whole fault script and some time after it, or more.
    pub fn timeline_end(&self) -> u64 {
        let s = &self.scenario;
        let faults = s.faults.iter().map(|f| f.at_ms);
        let last = faults
            .chain(s.operations.iter().map(|o| o.at_ms))
            .max()
            .unwrap_or(0);
        let end = (last + 180_000).max(300_000).max(self.now());
        end.div_ceil(60_000) * 60_000
    }

    /// A fault or repair happening now, to add to the fault script.
    pub fn now_fault(&self, fault: Fault, repair: bool) -> ScheduledFault {
        ScheduledFault {
            at_ms: self.now(),
            repair,
            fault,
        }
    }
}

/// Speed for a slider position in 0..=1, logarithmic from 0.1x to 100x (0.5 is 3.16x).
pub fn speed_at(position: f64) -> f64 {
    let p = if position.is_finite() {
        position.clamp(0.0, 1.0)
    } else {
        0.0
    };
    MIN_SPEED * (MAX_SPEED / MIN_SPEED).powf(p)
}

/// The slider position of a speed (inverse of `speed_at`).
pub fn position_of(speed: f64) -> f64 {
    ((speed.clamp(MIN_SPEED, MAX_SPEED) / MIN_SPEED).ln() / (MAX_SPEED / MIN_SPEED).ln())
        .clamp(0.0, 1.0)
}
