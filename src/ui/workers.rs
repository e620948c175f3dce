//! Web Workers for the analysis: one per core, each running this module without a page
//! (`serve`). The page hands each free worker a slice of the case list, collects the outcomes
//! as they come (`take`) and hands it the next. The runs are the same deterministic runs as on
//! the main thread, so the results are too (the caller orders them by case). When workers cannot
//! start (a test page without the module's files, a browser without module workers) or one
//! fails, `broken` says so and the caller runs what is missing itself.

use crate::analysis::{self as an, Outcome};
use crate::model::Scenario;
use serde::{Deserialize, Serialize};
use std::cell::RefCell;
use std::collections::VecDeque;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent, Worker, WorkerOptions, WorkerType};

/// Cases per message: small enough to balance (a host's failure costs 100 times a VM's) and
/// to stream, large enough that messages cost little.
const SLICE: usize = 48;
/// At most this many workers, whatever the machine says.
const MAX_WORKERS: usize = 8;
/// How long the page waits for the workers to start before it runs the cases itself (ms).
const START_WAIT_MS: f64 = 20_000.0;

/// Page to worker: run cases `from..to` of `scenario`'s list.
#[derive(Serialize, Deserialize)]
struct Ask {
    job: u32,
    scenario: String,
    pairs: bool,
    from: usize,
    to: usize,
}

/// Worker to page.
#[derive(Serialize, Deserialize)]
enum Reply {
    Ready,
    Done {
        job: u32,
        from: usize,
        outcomes: Vec<Outcome>,
    },
    Failed {
        job: u32,
        error: String,
    },
}

// ---- In a worker --------------------------------------------------------------------------

/// Whether this module runs in a worker (no window, no page).
pub fn in_worker() -> bool {
    web_sys::js_sys::global()
        .dyn_into::<DedicatedWorkerGlobalScope>()
        .is_ok()
}

/// The worker's side: answers each `Ask` with its outcomes, keeping the last job's steady state.
pub fn serve() {
    let scope: DedicatedWorkerGlobalScope = web_sys::js_sys::global().unchecked_into();
    let reply_to = scope.clone();
    let last: RefCell<Option<(u32, an::SteadyState, Vec<an::Case>)>> = RefCell::new(None);
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |ev: MessageEvent| {
        let Some(text) = ev.data().as_string() else {
            return;
        };
        let reply = match serde_json::from_str::<Ask>(&text) {
            Ok(ask) => answer(&last, ask),
            Err(e) => Reply::Failed {
                job: 0,
                error: format!("a message the worker cannot read: {e}"),
            },
        };
        post(&reply_to, &reply);
    });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    post(&scope, &Reply::Ready);
}

fn answer(last: &RefCell<Option<(u32, an::SteadyState, Vec<an::Case>)>>, ask: Ask) -> Reply {
    let mut last = last.borrow_mut();
    if last.as_ref().is_none_or(|(job, ..)| *job != ask.job) {
        let built = Scenario::from_json(&ask.scenario)
            .and_then(|s| an::SteadyState::new(&s).map(|st| (st, an::cases(&s, ask.pairs))));
        match built {
            Ok((steady, cases)) => *last = Some((ask.job, steady, cases)),
            Err(error) => {
                return Reply::Failed {
                    job: ask.job,
                    error,
                };
            }
        }
    }
    let (_, steady, cases) = last.as_ref().expect("built above");
    let to = ask.to.min(cases.len());
    Reply::Done {
        job: ask.job,
        from: ask.from,
        outcomes: cases[ask.from.min(to)..to]
            .iter()
            .map(|c| steady.run(c))
            .collect(),
    }
}

fn post(scope: &DedicatedWorkerGlobalScope, reply: &Reply) {
    let text = serde_json::to_string(reply).unwrap_or_default();
    let _ = scope.post_message(&JsValue::from_str(&text));
}

// ---- In the page --------------------------------------------------------------------------

#[derive(Clone, Copy, PartialEq, Debug)]
enum State {
    Starting,
    Ready,
    Broken,
}

struct Slot {
    worker: Worker,
    ready: bool,
    busy: bool,
}

/// The job being handed out.
struct Job {
    id: u32,
    scenario: String,
    pairs: bool,
    next: usize,
    total: usize,
}

struct Pool {
    state: State,
    started_ms: f64,
    slots: Vec<Slot>,
    job: Option<Job>,
    jobs: u32,
    /// Outcomes received: (job, first case, outcomes).
    inbox: VecDeque<(u32, usize, Vec<Outcome>)>,
    /// Kept alive as long as the workers.
    _handlers: Vec<Closure<dyn FnMut(web_sys::Event)>>,
}

thread_local! {
    static POOL: RefCell<Option<Pool>> = const { RefCell::new(None) };
}

fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}

/// Starts the workers if they are not: one per core, at most `MAX_WORKERS`.
fn start() {
    if POOL.with(|p| p.borrow().is_some()) {
        return;
    }
    let Some(window) = web_sys::window() else {
        return;
    };
    let cores = window.navigator().hardware_concurrency() as usize;
    let n = cores.clamp(1, MAX_WORKERS);
    let base = window
        .document()
        .and_then(|d| d.base_uri().ok().flatten())
        .unwrap_or_default();
    let v = env!("CLUSTERLAB_BUILD");
    let resolve = |file: &str| {
        web_sys::Url::new_with_base(&format!("{file}?v={v}"), &base)
            .map(|u| u.href())
            .unwrap_or_default()
    };
    // A module worker from a blob: it imports this module by absolute address (a blob has no
    // base to resolve a relative one against).
    let source = format!(
        "import init from '{}';\n\
         init({{ module_or_path: '{}' }}).catch((e) =>\n\
           postMessage(JSON.stringify({{ Failed: {{ job: 0, error: String(e) }} }})));",
        resolve("clusterlab-full.js"),
        resolve("clusterlab-full_bg.wasm")
    );
    let mut pool = Pool {
        state: State::Starting,
        started_ms: now_ms(),
        slots: Vec::new(),
        job: None,
        jobs: 0,
        inbox: VecDeque::new(),
        _handlers: Vec::new(),
    };
    let url = blob_url(&source);
    let opts = WorkerOptions::new();
    opts.set_type(WorkerType::Module);
    for i in 0..n {
        let Some(worker) = url
            .as_ref()
            .and_then(|u| Worker::new_with_options(u, &opts).ok())
        else {
            pool.state = State::Broken;
            break;
        };
        let on_message = Closure::<dyn FnMut(web_sys::Event)>::new(move |ev: web_sys::Event| {
            let text = ev
                .dyn_ref::<MessageEvent>()
                .and_then(|m| m.data().as_string())
                .unwrap_or_default();
            received(i, &text);
        });
        let on_error = Closure::<dyn FnMut(web_sys::Event)>::new(move |_| broke());
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        pool._handlers.push(on_message);
        pool._handlers.push(on_error);
        pool.slots.push(Slot {
            worker,
            ready: false,
            busy: false,
        });
    }
    POOL.with(|p| *p.borrow_mut() = Some(pool));
}

fn blob_url(source: &str) -> Option<String> {
    let parts = web_sys::js_sys::Array::of1(&JsValue::from_str(source));
    let bag = web_sys::BlobPropertyBag::new();
    bag.set_type("text/javascript");
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &bag).ok()?;
    web_sys::Url::create_object_url_with_blob(&blob).ok()
}

/// A worker failed (it could not load, or a run trapped): the page runs the rest itself.
fn broke() {
    POOL.with(|p| {
        if let Some(pool) = p.borrow_mut().as_mut() {
            pool.state = State::Broken;
            for s in &pool.slots {
                s.worker.terminate();
            }
        }
    });
}

fn received(i: usize, text: &str) {
    let Ok(reply) = serde_json::from_str::<Reply>(text) else {
        broke();
        return;
    };
    let failed = POOL.with(|p| {
        let mut p = p.borrow_mut();
        let pool = p.as_mut()?;
        let slot = pool.slots.get_mut(i)?;
        slot.busy = false;
        match reply {
            Reply::Ready => {
                slot.ready = true;
                if pool.slots.iter().all(|s| s.ready) && pool.state == State::Starting {
                    pool.state = State::Ready;
                }
            }
            Reply::Done {
                job,
                from,
                outcomes,
            } => pool.inbox.push_back((job, from, outcomes)),
            Reply::Failed { .. } => return Some(()),
        }
        dispatch(pool);
        None
    });
    if failed.is_some() {
        broke();
    }
}

/// Gives each free, ready worker the next slice of the current job.
fn dispatch(pool: &mut Pool) {
    if pool.state == State::Broken {
        return;
    }
    let Some(job) = pool.job.as_mut() else {
        return;
    };
    for slot in pool.slots.iter_mut().filter(|s| s.ready && !s.busy) {
        if job.next >= job.total {
            break;
        }
        let to = (job.next + SLICE).min(job.total);
        let ask = Ask {
            job: job.id,
            scenario: job.scenario.clone(),
            pairs: job.pairs,
            from: job.next,
            to,
        };
        let text = serde_json::to_string(&ask).unwrap_or_default();
        if slot.worker.post_message(&JsValue::from_str(&text)).is_ok() {
            slot.busy = true;
            job.next = to;
        }
    }
}

/// Starts the workers if needed and waits until they are ready: how many there are (0: the
/// page runs the cases itself).
pub async fn count() -> usize {
    start();
    loop {
        let (state, n, since) = POOL.with(|p| {
            p.borrow().as_ref().map_or((State::Broken, 0, 0.0), |p| {
                (p.state, p.slots.len(), p.started_ms)
            })
        });
        match state {
            State::Ready => return n,
            State::Broken => return 0,
            State::Starting if now_ms() - since > START_WAIT_MS => {
                broke();
                return 0;
            }
            State::Starting => gloo_timers::future::TimeoutFuture::new(20).await,
        }
    }
}

/// Hands out the `total` cases of `scenario` (with `pairs`): the job's id for `take`.
pub fn begin(scenario: &Scenario, pairs: bool, total: usize) -> u32 {
    let json = scenario.to_json();
    POOL.with(|p| {
        let mut p = p.borrow_mut();
        let Some(pool) = p.as_mut() else {
            return 0;
        };
        pool.jobs += 1;
        pool.inbox.clear();
        pool.job = Some(Job {
            id: pool.jobs,
            scenario: json,
            pairs,
            next: 0,
            total,
        });
        dispatch(pool);
        pool.jobs
    })
}

/// Stops handing out job `id` (slices under way finish and are dropped).
pub fn end(id: u32) {
    POOL.with(|p| {
        if let Some(pool) = p.borrow_mut().as_mut()
            && pool.job.as_ref().is_some_and(|j| j.id == id)
        {
            pool.job = None;
            pool.inbox.clear();
        }
    });
}

/// The outcomes of job `id` received since the last call, as (first case, outcomes).
pub fn take(id: u32) -> Vec<(usize, Vec<Outcome>)> {
    POOL.with(|p| {
        let mut p = p.borrow_mut();
        let Some(pool) = p.as_mut() else {
            return Vec::new();
        };
        pool.inbox
            .drain(..)
            .filter(|(job, ..)| *job == id)
            .map(|(_, from, o)| (from, o))
            .collect()
    })
}

/// Whether the workers have failed: the caller runs the cases it has not received.
pub fn broken() -> bool {
    POOL.with(|p| p.borrow().as_ref().is_none_or(|p| p.state == State::Broken))
}
