//! Live migration: how long a VM's memory takes to copy (pre-copy rounds while it runs, then a
//! short blackout while it is paused) and how many migrations a host runs at once (the rest
//! wait their turn). Its own state (`Lanes`) and pure timing (`precopy`); the engine asks
//! both and owns nothing of theirs. Sources and choices: docs/simulation-model.md.

use std::collections::VecDeque;

/// Pre-copy stops once what is left would copy in this long: the VM is then paused.
pub const BLACKOUT_TARGET_MS: u64 = 300;
/// Pre-copy gives up iterating after this many passes over memory and pauses the VM ("10
/// passes, then pause": Directions on Microsoft; Microsoft documents no number).
pub const MAX_ROUNDS: u32 = 10;
/// Moving the device state and the storage handles and bringing the VM up on the target, on
/// top of the last dirty pages.
pub const SWITCH_OVER_MS: u64 = 200;
/// How fast a guest dirties its memory when nothing says otherwise (MB/s).
pub const DIRTY_MB_S: u64 = 50;
/// The pause must stay under the TCP timeout, "typically around 20 seconds": connections
/// survive it and no downtime is counted ("Using Guest Clustering for High Availability").
pub const TCP_TIMEOUT_MS: u64 = 20_000;
/// Simultaneous live migrations a host takes part in (MaximumVirtualMachineMigrations).
pub const LANES_PER_HOST: u32 = 2;
/// Windows Server 2008 R2 ran one live migration at a time between a pair of nodes (Savill).
pub const LANES_2008R2: u32 = 1;

/// The copy of one VM's memory.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Precopy {
    /// Rounds while the VM runs: the full copy, then each round the pages dirtied during the
    /// round before.
    pub rounds: u32,
    /// Time the VM keeps running while its memory is copied.
    pub copy_ms: u64,
    /// Time the VM is paused: the last dirty pages, the device state, the switch-over.
    pub blackout_ms: u64,
    /// MB copied during the blackout.
    pub last_mb: u64,
}

impl Precopy {
    pub fn total_ms(&self) -> u64 {
        self.copy_ms + self.blackout_ms
    }
}

/// The pre-copy of `memory_gb` over a `gbps` network for a guest writing `dirty_mb_s`.
pub fn precopy(memory_gb: u32, gbps: u32, dirty_mb_s: u64) -> Precopy {
    // MB a millisecond: 1 Gbit/s = 125 MB/s.
    let rate = f64::from(gbps.max(1)) * 0.125;
    let ms = |mb: f64| (mb / rate).ceil() as u64;
    let mut left = f64::from(memory_gb) * 1000.0;
    let mut copy_ms = 0;
    let mut rounds = 0;
    // Copy while it runs until what is left fits the blackout target, or stop iterating.
    while rounds < MAX_ROUNDS && (rounds == 0 || ms(left) > BLACKOUT_TARGET_MS) {
        let t = ms(left);
        copy_ms += t;
        rounds += 1;
        let dirtied = dirty_mb_s as f64 * t as f64 / 1000.0;
        if dirtied >= left && rounds > 1 {
            // Not converging: the guest writes as fast as the copy goes.
            left = dirtied;
            break;
        }
        left = dirtied.min(f64::from(memory_gb) * 1000.0);
    }
    Precopy {
        rounds,
        copy_ms,
        blackout_ms: ms(left) + SWITCH_OVER_MS,
        last_mb: left.round() as u64,
    }
}

/// A live migration waiting for a free slot on its hosts.
#[derive(Clone, Debug, PartialEq)]
pub struct Waiting {
    pub vm: usize,
    pub from: usize,
    pub to: usize,
    pub why: String,
}

/// Live migrations in progress on each host, and the ones waiting, first come first served.
#[derive(Clone, Debug, Default)]
pub struct Lanes {
    per_host: u32,
    busy: Vec<u32>,
    waiting: VecDeque<Waiting>,
}

impl Lanes {
    pub fn new(hosts: usize, per_host: u32) -> Lanes {
        Lanes {
            per_host,
            busy: vec![0; hosts],
            waiting: VecDeque::new(),
        }
    }

    fn free(&self, from: usize, to: usize) -> bool {
        self.busy[from] < self.per_host && self.busy[to] < self.per_host
    }

    /// Takes a slot on both hosts if each has one (and nothing waits before it).
    pub fn take(&mut self, from: usize, to: usize) -> bool {
        if !self.free(from, to) || self.waiting.iter().any(|w| w.from == from || w.to == to) {
            return false;
        }
        self.busy[from] += 1;
        self.busy[to] += 1;
        true
    }

    pub fn release(&mut self, from: usize, to: usize) {
        self.busy[from] = self.busy[from].saturating_sub(1);
        self.busy[to] = self.busy[to].saturating_sub(1);
    }

    /// Queues a migration; returns how many wait on its source host, itself included.
    pub fn wait(&mut self, w: Waiting) -> usize {
        let from = w.from;
        self.waiting.push_back(w);
        self.waiting.iter().filter(|x| x.from == from).count()
    }

    /// The first waiting migration whose hosts both have a slot now (taken for it).
    pub fn start_next(&mut self) -> Option<Waiting> {
        let i = self.waiting.iter().position(|w| self.free(w.from, w.to))?;
        let w = self.waiting.remove(i)?;
        self.busy[w.from] += 1;
        self.busy[w.to] += 1;
        Some(w)
    }

    /// Forgets the waiting migrations of a VM (it stopped or moved some other way).
    pub fn drop_vm(&mut self, vm: usize) {
        self.waiting.retain(|w| w.vm != vm);
    }

    /// Live migrations a host takes part in at once.
    pub fn per_host(&self) -> u32 {
        self.per_host
    }

    /// Where a VM's live migration waiting for a slot goes, if it waits.
    pub fn waiting_to(&self, vm: usize) -> Option<usize> {
        self.waiting.iter().find(|w| w.vm == vm).map(|w| w.to)
    }

    /// A migration to or from host `h` waits for a slot.
    pub fn any_waiting_for(&self, h: usize) -> bool {
        self.waiting.iter().any(|w| w.from == h || w.to == h)
    }

    pub fn is_waiting(&self, vm: usize) -> bool {
        self.waiting.iter().any(|w| w.vm == vm)
    }
}

/// Quick migration writes the VM's memory to its storage and reads it back at this rate
/// (MB/s): with the ownership move, "about 30 seconds for a machine with a couple of
/// gigabytes" (Savill), "between 15 seconds and a few minutes … proportional to the amount of
/// memory" (Dell). Microsoft documents no figure: a modelling choice.
pub const SAVE_MB_S: u64 = 150;
/// Taking the VM's disks offline on the source and online on the target.
pub const QUICK_MOVE_MS: u64 = 2_000;

/// The three steps of a quick migration, each while the VM is down.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Quick {
    pub save_ms: u64,
    pub move_ms: u64,
    pub restore_ms: u64,
}

impl Quick {
    pub fn total_ms(&self) -> u64 {
        self.save_ms + self.move_ms + self.restore_ms
    }
}

/// Save, move and restore of `memory_gb`.
pub fn quick(memory_gb: u32) -> Quick {
    let save_ms = (u64::from(memory_gb) * 1000 * 1000).div_ceil(SAVE_MB_S);
    Quick {
        save_ms,
        move_ms: QUICK_MOVE_MS,
        restore_ms: save_ms,
    }
}
