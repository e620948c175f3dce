//! The page's "will it survive?": every single failure run in Web Workers (`workers`), or in
//! slices between frames where there are none (progress, cancel, rows streamed as they arrive), the table worst first, each service's year in nines
//! against its target, a heat strip on the canvas, and a row opened in the player at the moment
//! it hurts. The runs are `crate::analysis`; this module only schedules them and draws results.

use super::run::{Mode, clock};
use super::{Ui, workers};
use crate::analysis::{self as an, Outcome, nines};
use crate::editor::Command;
use crate::model::Scenario;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// How long one slice of runs may hold the page before it yields a frame (ms).
const SLICE_MS: f64 = 24.0;
/// How often the page collects what the workers sent (ms): each collection redraws the table.
const POLL_MS: u32 = 100;
/// Rows drawn at most (a 64-host design has thousands of cases): the worst come first.
const MAX_ROWS: usize = 150;

/// An analysis of one scenario, complete or under way.
#[derive(Clone, Debug)]
pub struct Results {
    /// What was analysed: when the design is edited the results are stale.
    pub scenario: Scenario,
    pub total: usize,
    /// In the order the cases were listed; `worst_first` once finished.
    pub outcomes: Vec<Outcome>,
    pub finished: bool,
    /// Wall-clock time the runs took, ms.
    pub took_ms: f64,
}

/// A case opened in the player: the user's own script stays in the editor, untouched.
#[derive(Clone, Debug, PartialEq)]
pub struct Opened {
    pub label: String,
    /// The scenario the analysis ran (opening ends when the design differs from it).
    pub base: Scenario,
    /// The case: the design with only this failure.
    pub scenario: Scenario,
}

#[derive(Clone, Copy)]
pub struct Analysis {
    pub results: RwSignal<Option<Results>, LocalStorage>,
    /// Cases done of all, while running.
    pub progress: RwSignal<Option<(usize, usize)>>,
    /// Also every pair of host crashes (N+2).
    pub pairs: RwSignal<bool>,
    /// Bumped to stop a running analysis.
    generation: StoredValue<u32>,
    /// Bumped by each edit in Analyze mode: the re-run waits for the edits to settle.
    pending: StoredValue<u32>,
    pub opened: RwSignal<Option<Opened>, LocalStorage>,
    /// Design B, compared failure by failure with the open design (A), and its results.
    pub other: RwSignal<Option<Results>, LocalStorage>,
}

impl Default for Analysis {
    fn default() -> Analysis {
        Analysis {
            results: RwSignal::new_local(None),
            progress: RwSignal::new(None),
            pairs: RwSignal::new(false),
            generation: StoredValue::new(0),
            pending: StoredValue::new(0),
            opened: RwSignal::new_local(None),
            other: RwSignal::new_local(None),
        }
    }
}

fn now_ms() -> f64 {
    window().performance().map_or(0.0, |p| p.now())
}

impl Analysis {
    /// Whether the results are for another design than the one open.
    pub fn stale(&self, ui: Ui) -> bool {
        self.results.with(|r| {
            r.as_ref()
                .is_some_and(|r| ui.editor.with(|e| *e.scenario() != r.scenario))
        })
    }

    fn stale_untracked(&self, ui: Ui) -> bool {
        self.results.with_untracked(|r| {
            r.as_ref()
                .is_some_and(|r| ui.editor.with_untracked(|e| *e.scenario() != r.scenario))
        })
    }

    pub fn cancel(&self) {
        self.generation.update_value(|g| *g += 1);
        if self.progress.get_untracked().is_some() {
            self.progress.set(None);
        }
    }

    /// Starts (or restarts) the analysis of the open design, then of design B if one is chosen.
    pub fn start(self, ui: Ui) {
        let scenario = ui.editor.with_untracked(|e| e.scenario().clone());
        let then = self
            .other
            .with_untracked(|o| o.as_ref().map(|o| o.scenario.clone()));
        self.run(ui, scenario, self.results, then);
    }

    /// Compares the open design with `other` (design B): analyses it under the same failures.
    pub fn compare_with(self, ui: Ui, mut other: Scenario) {
        // Laid out as the editor would open it (a sample may leave positions to the editor).
        crate::editor::layout::place_missing(&mut other.design);
        if !other.is_runnable() {
            ui.fail(format!(
                "“{}” cannot be compared: its design has errors",
                other.name
            ));
            return;
        }
        self.run(ui, other, self.other, None);
    }

    /// Analyses `scenario` into `into`, in slices between frames; then `then` into `other`.
    fn run(
        self,
        ui: Ui,
        scenario: Scenario,
        into: RwSignal<Option<Results>, LocalStorage>,
        then: Option<Scenario>,
    ) {
        self.cancel();
        if !scenario.is_runnable() {
            ui.fail("the design cannot be analysed until its errors are fixed (see Design)");
            return;
        }
        let steady = match an::SteadyState::new(&scenario) {
            Ok(s) => s,
            Err(e) => {
                ui.fail(format!("the analysis cannot start: {e}"));
                return;
            }
        };
        let pairs = self.pairs.get_untracked();
        let cases = an::cases(&scenario, pairs);
        let total = cases.len();
        let generation = self.generation.get_value();
        into.set(Some(Results {
            scenario: scenario.clone(),
            total,
            outcomes: Vec::with_capacity(total),
            finished: false,
            took_ms: 0.0,
        }));
        self.progress.set(Some((0, total)));
        spawn_local(async move {
            let started = now_ms();
            let current = move || self.generation.get_value() == generation;
            // Each case's outcome by its place in the list: they arrive in any order.
            let mut got: Vec<Option<Outcome>> = vec![None; total];
            let mut count = 0;
            let land = |got: &mut Vec<Option<Outcome>>,
                        count: &mut usize,
                        from: usize,
                        outcomes: Vec<Outcome>| {
                let mut fresh = Vec::with_capacity(outcomes.len());
                for (k, mut o) in outcomes.into_iter().enumerate() {
                    let i = from + k;
                    if i < total && got[i].is_none() {
                        o.case = cases[i].clone();
                        fresh.push(o.clone());
                        got[i] = Some(o);
                        *count += 1;
                    }
                }
                into.update(|r| {
                    if let Some(r) = r {
                        r.outcomes.extend(fresh);
                    }
                });
                self.progress.set(Some((*count, total)));
            };
            if workers::count().await > 0 && current() {
                let job = workers::begin(&scenario, pairs, total);
                while count < total && !workers::broken() {
                    gloo_timers::future::TimeoutFuture::new(POLL_MS).await;
                    if !current() {
                        workers::end(job);
                        return;
                    }
                    for (from, outcomes) in workers::take(job) {
                        land(&mut got, &mut count, from, outcomes);
                    }
                }
                workers::end(job);
            }
            // On the main thread, in slices between frames: without workers, or what they left.
            let mut next = 0;
            while count < total {
                let slice = now_ms();
                while next < total && got[next].is_some() {
                    next += 1;
                }
                let from = next;
                let mut done = Vec::new();
                while next < total
                    && got[next].is_none()
                    && (done.is_empty() || now_ms() - slice < SLICE_MS)
                {
                    done.push(steady.run(&cases[next]));
                    next += 1;
                }
                if !current() {
                    return;
                }
                land(&mut got, &mut count, from, done);
                // Let the page draw and take clicks (Cancel) between slices.
                gloo_timers::future::TimeoutFuture::new(0).await;
                if !current() {
                    return;
                }
            }
            let mut outcomes: Vec<Outcome> = got.into_iter().flatten().collect();
            an::worst_first(&mut outcomes);
            let took = now_ms() - started;
            into.update(|r| {
                if let Some(r) = r {
                    r.outcomes = outcomes;
                    r.finished = true;
                    r.took_ms = took;
                }
            });
            self.progress.set(None);
            let summary = into.with_untracked(|r| r.as_ref().map(|r| an::summary(&r.outcomes)));
            ui.say(format!(
                "Analysis of “{}” done: {} ({total} runs in {:.1} s)",
                scenario.name,
                summary.unwrap_or_default(),
                took / 1000.0
            ));
            if let Some(b) = then {
                self.run(ui, b, self.other, None);
            }
        });
    }

    /// The scenario the player should run: an opened case while the design is the one it
    /// came from, else the user's own.
    pub fn scenario_to_run(self, own: &Scenario) -> Option<Scenario> {
        self.opened.with(|o| {
            o.as_ref()
                .filter(|o| o.base == *own)
                .map(|o| o.scenario.clone())
        })
    }
}

/// How long after the last edit the analysis runs again (ms).
const SETTLE_MS: u32 = 800;

/// In Analyze mode: analyses the open design at once if nothing was, else a moment after the
/// last edit (the old results show as stale meanwhile).
pub fn follow(ui: Ui) {
    let a = ui.analysis;
    if a.results.with_untracked(Option::is_none) {
        a.start(ui);
        return;
    }
    if !a.stale_untracked(ui) {
        return;
    }
    a.pending.update_value(|p| *p += 1);
    let mine = a.pending.get_value();
    spawn_local(async move {
        gloo_timers::future::TimeoutFuture::new(SETTLE_MS).await;
        let still = a.pending.get_value() == mine
            && ui.run.mode.get_untracked() == Mode::Analyze
            && a.stale_untracked(ui);
        if still {
            a.start(ui);
        }
    });
}

/// Opens one case in the player at the moment it hurts.
fn open_case(ui: Ui, o: &Outcome) {
    let Some(base) = ui
        .analysis
        .results
        .with_untracked(|r| r.as_ref().map(|r| r.scenario.clone()))
    else {
        return;
    };
    let scenario = an::case_scenario(&base, &o.case);
    ui.analysis.opened.set(Some(Opened {
        label: o.case.label.clone(),
        base,
        scenario,
    }));
    super::set_mode(ui, Mode::Simulate);
    let at = o.hurts_at_ms.unwrap_or(an::FAULT_AT_MS + 1_000);
    ui.run.seek(at);
    ui.say(format!(
        "{} (from the analysis), shown at {} when it hurts; your own script is kept",
        capital(&o.case.label),
        clock(at)
    ));
}

fn capital(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
        .unwrap_or_default()
}

/// How bad a case is, for colours: 2 a service lost, 1 an outage it recovers from, 0 none.
pub fn severity(o: &Outcome) -> u8 {
    let (lost, outage) = o.damage();
    if lost > 0 {
        2
    } else if outage > 0 || o.quorum_lost {
        1
    } else {
        0
    }
}

const SEVERITY: [&str; 3] = ["fine", "hurt", "lost"];

/// The damage each component's failures do (the worst of them), with the worst case's words.
pub fn heat(outcomes: &[Outcome]) -> std::collections::HashMap<String, (u8, String)> {
    let mut out: std::collections::HashMap<String, (u8, String)> = Default::default();
    for o in outcomes {
        // A pair of hosts says nothing about either alone.
        if o.case.subjects.len() != 1 {
            continue;
        }
        let id = o.case.subjects[0]
            .split('#')
            .next()
            .unwrap_or_default()
            .to_string();
        let s = severity(o);
        let text = format!("{}: {}", o.case.label, an::why(o));
        let e = out.entry(id).or_insert((s, text.clone()));
        if s > e.0 {
            *e = (s, text);
        }
    }
    out
}

/// The panel beside the canvas in Analyze mode.
#[component]
pub fn Panel(ui: Ui) -> impl IntoView {
    let a = ui.analysis;
    let running = move || a.progress.with(Option::is_some);
    let stale = move || a.stale(ui);
    let fraction = move || {
        a.progress
            .get()
            .map_or(0.0, |(d, t)| d as f64 / t.max(1) as f64)
    };
    let years = Memo::new(move |_| {
        a.results.with(|r| {
            r.as_ref()
                .filter(|r| r.finished)
                .map(|r| nines::years(&r.scenario, &r.outcomes))
                .unwrap_or_default()
        })
    });
    let summary = move || {
        a.results.with(|r| match r {
            Some(r) if r.outcomes.is_empty() => "Running the first failures…".to_string(),
            Some(r) => an::summary(&r.outcomes),
            None => "Run every failure the design allows, each on its own.".to_string(),
        })
    };
    // Rows worst first; while running, sorted as they come; a selected component filters.
    let rows = Memo::new(move |_| {
        let picked = ui.editor.with(|e| e.selection.clone());
        a.results.with(|r| {
            let Some(r) = r else {
                return (Vec::new(), 0);
            };
            let mut v: Vec<Outcome> = r
                .outcomes
                .iter()
                .filter(|o| {
                    picked.is_empty()
                        || o.case
                            .subjects
                            .iter()
                            .any(|s| picked.iter().any(|p| s.split('#').next() == Some(p)))
                })
                .cloned()
                .collect();
            if !r.finished {
                an::worst_first(&mut v);
            }
            let n = v.len();
            v.truncate(MAX_ROWS);
            (v, n)
        })
    });
    let row = move |o: Outcome| {
        let sev = SEVERITY[usize::from(severity(&o))];
        let why = an::why(&o);
        let label = o.case.label.clone();
        let title = format!("Open this run in the player at the moment it hurts: {label}");
        view! {
            <li class=format!("case {sev}")>
                <button data-testid="analysis-row" title=title on:click=move |_| open_case(ui, &o)>
                    <span class="dot" aria-hidden="true"></span>
                    <span class="label">{label}</span>
                    <span class="why">{why}</span>
                </button>
            </li>
        }
    };
    let service = move |y: nines::ServiceYear| {
        let met = y.meets_target();
        let class = match met {
            Some(true) => "year met",
            Some(false) => "year missed",
            None => "year",
        };
        let name = y.service.clone();
        let target = y.target.map(|t| t.to_string()).unwrap_or_default();
        let contributions = y
            .contributions
            .iter()
            .take(6)
            .map(|c| {
                view! {
                    <li>
                        <span class="case">{c.case.clone()}</span>
                        <span class="sum">{format!("{:.3}/yr × {} = {}{}", c.per_year, crate::sim::fmt_ms(c.downtime_ms.round() as u64), nines::duration(c.ms_per_year), if c.planned { " planned" } else { "" })}</span>
                    </li>
                }
            })
            .collect_view();
        let set = move |ev: web_sys::Event| {
            let text = event_target_value(&ev);
            let percent = if text.trim().is_empty() {
                None
            } else {
                match text.trim().trim_end_matches('%').parse::<f64>() {
                    Ok(p) => Some(p),
                    Err(_) => {
                        ui.fail(format!("{text} is not a percentage (try 99.95)"));
                        return;
                    }
                }
            };
            ui.apply(Command::SetTarget {
                service: name.clone(),
                percent,
            });
        };
        view! {
            <li class=class data-testid=format!("year-{}", y.service)>
                <div class="head">
                    <strong>{y.service.clone()}</strong>
                    <span class="pct">{format!("{} %", nines::percent(y.availability))}</span>
                    <span class="nines">{if y.nines.is_finite() { format!("{:.1} nines", y.nines) } else { "no downtime".into() }}</span>
                </div>
                <div class="line">
                    {format!("{} a year unplanned{}", nines::duration(y.unplanned_ms), if y.planned_ms > 0.0 { format!(", {} planned", nines::duration(y.planned_ms)) } else { String::new() })}
                    <label>"target "<input type="text" inputmode="decimal" placeholder="none" size="6"
                        data-testid=format!("target-{}", y.service) prop:value=target on:change=set/>" %"</label>
                    {met.map(|m| view! { <span class="verdict">{if m { "met" } else { "missed" }}</span> })}
                </div>
                <details><summary>"What adds up"</summary><ul class="sums">{contributions}</ul></details>
            </li>
        }
    };
    view! {
        <aside class="side analysis" aria-label="Analysis" data-testid="analysis">
            <section class="analysis-head">
                <h2>"Will it survive?"</h2>
                <p class="summary" data-testid="analysis-summary" class:stale=stale>{summary}</p>
                <Show when=stale>
                    <p class="stale-note" data-testid="analysis-stale">"The design changed since: these results are stale until it runs again."</p>
                </Show>
                <div class="analysis-controls">
                    <Show when=move || !running()
                        fallback=move || view! { <button data-testid="analysis-cancel" on:click=move |_| { a.cancel(); ui.say("Analysis cancelled"); }>"Cancel"</button> }>
                        <button class="primary" data-testid="analysis-run" on:click=move |_| a.start(ui)>
                            {move || if a.results.with(Option::is_some) { "Run again" } else { "Analyze" }}
                        </button>
                    </Show>
                    <label title="Also every pair of hosts failing at once (N+2)">
                        <input type="checkbox" data-testid="analysis-pairs" prop:checked=move || a.pairs.get()
                            on:change=move |ev| a.pairs.set(event_target_checked(&ev))/>" pairs of hosts"
                    </label>
                    <span class="took">{move || a.results.with(|r| r.as_ref().filter(|r| r.finished).map(|r| format!("{} runs in {:.1} s", r.total, r.took_ms / 1000.0)))}</span>
                </div>
                <Show when=running>
                    <div class="progress" role="progressbar" data-testid="analysis-progress"
                        aria-valuemin="0" aria-valuemax=move || a.progress.get().map_or(0, |p| p.1)
                        aria-valuenow=move || a.progress.get().map_or(0, |p| p.0)>
                        <div class="bar" style:width=move || format!("{:.1}%", fraction() * 100.0)></div>
                        <span>{move || a.progress.get().map(|(d, t)| format!("{d} of {t}"))}</span>
                    </div>
                </Show>
            </section>
            <Show when=move || !years.with(Vec::is_empty)>
                <section class="years" aria-label="Availability over a year">
                    <h2>"Availability over a year"</h2>
                    <ul>{move || years.get().into_iter().map(service).collect_view()}</ul>
                </section>
            </Show>
            <Compare ui=ui/>
            <section class="cases" aria-label="Failures, worst first">
                <p class="heat-key" aria-hidden="true">
                    <span class="lost">"a service is lost"</span>
                    <span class="hurt">"an outage it recovers from"</span>
                    <span class="fine">"no effect"</span>
                    {move || (!ui.editor.with(|e| e.selection.is_empty())).then(|| view! { <em>"(the selection's failures)"</em> })}
                </p>
                <h2>{move || {
                    let (shown, n) = rows.with(|(v, n)| (v.len(), *n));
                    if shown < n { format!("Failures, worst first ({shown} of {n})") } else { format!("Failures, worst first ({n})") }
                }}</h2>
                <ul class="case-list" class:stale=stale data-testid="analysis-rows">
                    {move || rows.get().0.into_iter().map(row).collect_view()}
                </ul>
            </section>
        </aside>
    }
}

/// The heat strip: along the top of each component, the colour of the worst its failure does.
/// Cables whose cut hurts are drawn in its colour (those that do not are left as they are).
#[component]
pub fn Heat(
    ui: Ui,
    items: Memo<Vec<crate::editor::scene::Item>>,
    routes: Memo<Vec<(crate::model::Link, Vec<crate::editor::route::Pt>)>>,
) -> impl IntoView {
    let map = Memo::new(move |_| {
        ui.analysis
            .results
            .with(|r| r.as_ref().map(|r| heat(&r.outcomes)).unwrap_or_default())
    });
    let strips = move || {
        let stale = ui.analysis.stale(ui);
        map.with(|m| {
            items.with(|items| {
                items
                    .iter()
                    .filter_map(|i| {
                        let (s, text) = m.get(&i.id)?.clone();
                        let r = i.rect;
                        // Along the top of a box; a bar at the end of a VM row (rows are stacked).
                        let (x, y, w, h) = if i.kind == crate::editor::scene::ItemKind::Vm {
                            (r.x + r.w - 5.0, r.y + 3.0, 4.0, (r.h - 6.0).max(4.0))
                        } else {
                            (r.x + 3.0, r.y - 7.0, (r.w - 6.0).max(4.0), 5.0)
                        };
                        Some(view! {
                            <rect class=format!("heat {}", SEVERITY[usize::from(s)]) class:stale=stale
                                data-testid=format!("heat-{}", i.id)
                                x=x y=y width=w height=h rx="2">
                                <title>{text}</title>
                            </rect>
                        })
                    })
                    .collect_view()
            })
        })
    };
    let cables = move || {
        let stale = ui.analysis.stale(ui);
        map.with(|m| {
            routes.with(|routes| {
                routes
                    .iter()
                    .filter_map(|(l, points)| {
                        let (s, text) = m.get(&l.id).filter(|(s, _)| *s > 0)?.clone();
                        Some(view! {
                            <path class=format!("heat-link {}", SEVERITY[usize::from(s)]) class:stale=stale
                                data-testid=format!("heat-{}", l.id) d=crate::editor::route::svg_path(points)>
                                <title>{text}</title>
                            </path>
                        })
                    })
                    .collect_view()
            })
        })
    };
    view! { <g class="heat-strips">{cables}{strips}</g> }
}

/// Over the run while a case from the analysis is shown: what it is, and the way back.
#[component]
pub fn OpenedBanner(ui: Ui) -> impl IntoView {
    let label = move || {
        ui.analysis
            .opened
            .with(|o| o.as_ref().map(|o| o.label.clone()))
            .filter(|_| {
                ui.editor
                    .with(|e| ui.analysis.scenario_to_run(e.scenario()).is_some())
            })
    };
    view! {
        <Show when=move || label().is_some()>
            <div class="opened-case" role="status" data-testid="opened-case">
                <span>"From the analysis: "<strong>{move || label().map(|l| capital(&l))}</strong></span>
                <button data-testid="back-to-analysis" on:click=move |_| super::set_mode(ui, Mode::Analyze)>"Back to the analysis"</button>
                <button data-testid="back-to-script" on:click=move |_| { ui.analysis.opened.set(None); ui.say("Your own script is back"); }>"My script"</button>
            </div>
        </Show>
    }
}

/// Design B under the same failures: choose it (a sample, a recent design, a pasted link), and
/// read where the two differ, worst first as the table is.
#[component]
fn Compare(ui: Ui) -> impl IntoView {
    let a = ui.analysis;
    let pasted = RwSignal::new(String::new());
    let choices = move || {
        let mut v: Vec<(String, String)> = crate::gallery::SAMPLES
            .iter()
            .map(|x| (format!("sample:{}", x.id), x.scenario().name))
            .collect();
        for (i, r) in super::library::recent().into_iter().enumerate() {
            v.push((format!("recent:{i}"), format!("Recent: {}", r.name)));
        }
        v
    };
    let choose = move |ev: web_sys::Event| {
        let value = event_target_value(&ev);
        let scenario = if let Some(id) = value.strip_prefix("sample:") {
            crate::gallery::SAMPLES
                .iter()
                .find(|x| x.id == id)
                .map(|x| x.scenario())
        } else if let Some(i) = value.strip_prefix("recent:") {
            i.parse::<usize>()
                .ok()
                .and_then(|i| super::library::recent().into_iter().nth(i))
                .map(|r| r.scenario)
        } else {
            None
        };
        if let Some(s) = scenario {
            a.compare_with(ui, s);
        }
    };
    let paste = move |_| match crate::share::decode(&pasted.get_untracked()) {
        Ok(shared) => a.compare_with(ui, shared.scenario),
        Err(e) => ui.fail(format!("This link cannot be compared: {e}")),
    };
    let diffs = Memo::new(move |_| {
        a.results.with(|ra| {
            a.other.with(|rb| match (ra, rb) {
                (Some(ra), Some(rb)) if ra.finished && rb.finished => Some((
                    rb.scenario.name.clone(),
                    an::summary(&rb.outcomes),
                    an::compare::differences(&ra.outcomes, &rb.outcomes),
                    an::compare::only_in(&ra.outcomes, &rb.outcomes)
                        .into_iter()
                        .map(String::from)
                        .collect::<Vec<_>>(),
                    an::compare::only_in(&rb.outcomes, &ra.outcomes)
                        .into_iter()
                        .map(String::from)
                        .collect::<Vec<_>>(),
                )),
                _ => None,
            })
        })
    });
    view! {
        <section class="compare" aria-label="Compare with another design">
            <h2>"Compare with another design"</h2>
            <div class="compare-pick">
                <select data-testid="compare-with" aria-label="Design B" on:change=choose>
                    <option value="">"Design B: a sample or a recent one…"</option>
                    {move || choices().into_iter().map(|(v, name)| view! { <option value=v>{name}</option> }).collect_view()}
                </select>
                <input type="text" placeholder="or paste a link" data-testid="compare-link" aria-label="Link to design B"
                    prop:value=move || pasted.get() on:input=move |ev| pasted.set(event_target_value(&ev))/>
                <button data-testid="compare-link-go" on:click=paste>"Compare"</button>
            </div>
            {move || diffs.get().map(|(name, summary, diffs, only_a, only_b)| {
                let verdict = an::compare::verdict(&diffs);
                let shown: Vec<_> = diffs.into_iter().take(60).collect();
                view! {
                    <div class="comparison" data-testid="comparison">
                        <p class="b"><strong>"B: "{name}</strong>" · "{summary}</p>
                        <p class="verdict" data-testid="compare-verdict">{verdict}</p>
                        <ul class="diffs">
                            {shown.into_iter().map(|d| view! {
                                <li class=if d.better == "A" { "a-better" } else { "b-better" } data-testid="compare-diff">{d.sentence}</li>
                            }).collect_view()}
                        </ul>
                        {(!only_a.is_empty()).then(|| view! { <p class="only">"Only A has: "{listed(&only_a)}</p> })}
                        {(!only_b.is_empty()).then(|| view! { <p class="only">"Only B has: "{listed(&only_b)}</p> })}
                        <button data-testid="compare-stop" on:click=move |_| a.other.set(None)>"Stop comparing"</button>
                    </div>
                }
            })}
        </section>
    }
}

/// The first few of a long list, and how many more.
fn listed(all: &[String]) -> String {
    const SHOWN: usize = 8;
    let mut t = all[..all.len().min(SHOWN)].join("; ");
    if all.len() > SHOWN {
        t += &format!(" and {} more", all.len() - SHOWN);
    }
    t
}
