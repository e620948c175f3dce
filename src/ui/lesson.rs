//! The lesson card over the canvas, when the scenario has a lesson: the goal, the steps with
//! hints on request, a checklist that follows each edit (design, run and action checks; the
//! analysis's on "Check my design"), what is locked and why, and "Submit" for a link to send
//! the instructor. A lesson opens in student mode (the editor refuses what the lock forbids)
//! unless it was made in this page;
//! `?author` before the `#` opens it in author mode. The page says it is not a security
//! boundary: the grader checks everything again.

use super::Ui;
use crate::lesson::{self, Verdict};
use crate::model::Scenario;
use crate::model::lesson::Lesson;
use crate::share::{self, Shared};
use leptos::prelude::*;

/// How long after the last edit the live checks run again (ms).
const SETTLE_MS: u32 = 300;

/// Whether the page was opened in author mode (`?author` before the fragment).
fn author_mode() -> bool {
    window()
        .location()
        .search()
        .is_ok_and(|q| q.trim_start_matches('?').split('&').any(|p| p == "author"))
}

thread_local! {
    /// The author previews the lesson as a student.
    static PREVIEW: std::cell::Cell<Option<RwSignal<bool>>> = const { std::cell::Cell::new(None) };
    /// A lesson was made in this page: its maker is its author.
    static AUTHORED: std::cell::Cell<Option<RwSignal<bool>>> = const { std::cell::Cell::new(None) };
}

fn flag(
    cell: &'static std::thread::LocalKey<std::cell::Cell<Option<RwSignal<bool>>>>,
) -> RwSignal<bool> {
    // Owned by the app that first asked: a later app (tests mount several) makes its own.
    cell.with(|p| match p.get() {
        Some(s) if !s.is_disposed() => s,
        _ => {
            let s = RwSignal::new(false);
            p.set(Some(s));
            s
        }
    })
}

fn preview() -> RwSignal<bool> {
    flag(&PREVIEW)
}

/// Makes the open scenario a lesson (author mode): a title, and everything else to add on
/// the card.
pub fn start(ui: Ui) {
    let title = ui.editor.with_untracked(|e| e.scenario().name.clone());
    flag(&AUTHORED).set(true);
    ui.apply(crate::editor::Command::SetLesson(Some(Lesson {
        title: if title.trim().is_empty() {
            "A lesson".into()
        } else {
            title
        },
        goal: "What the student is to achieve.".into(),
        ..Lesson::default()
    })));
}

/// Keeps the editor's student mode in step with the scenario: on with a lesson, unless the
/// page is in author mode (and the author is not previewing it as a student).
pub fn follow_mode(ui: Ui) {
    let url_author = author_mode();
    let (preview, authored) = (preview(), flag(&AUTHORED));
    Effect::new(move |_| {
        let author = url_author || authored.get();
        let student =
            (!author || preview.get()) && ui.editor.with(|e| e.scenario().lesson.is_some());
        if ui.editor.with_untracked(|e| e.student()) != student {
            ui.editor.update(|e| e.set_student(student));
        }
    });
}

/// The lesson's lock while a student works on it (the inspector greys what it covers).
pub fn student_lock(ui: Ui) -> Option<crate::model::lesson::Lock> {
    ui.editor.with(|e| {
        let lesson = e.scenario().lesson.as_ref().filter(|_| e.student())?;
        Some(lesson.lock.clone())
    })
}

/// In student mode, a lock at the corner of each locked part on the canvas, why on hover.
#[component]
pub fn LockMarks(ui: Ui, items: Memo<Vec<crate::editor::scene::Item>>) -> impl IntoView {
    move || {
        let Some(lock) = student_lock(ui) else {
            return ().into_any();
        };
        let clusters = ui.editor.with(|e| e.scenario().design.clusters.clone());
        let marks: Vec<(String, f64, f64, String)> = items.with(|items| {
            lock.parts
                .iter()
                .flat_map(|p| {
                    let boxes = items.iter().filter(|i| i.id == p.id).map(|i| i.rect);
                    let outline = clusters
                        .iter()
                        .filter(|c| c.id == p.id)
                        .filter_map(|c| crate::editor::scene::outline(items, &c.nodes, 14.0));
                    boxes
                        .chain(outline)
                        .map(|r| (p.id.clone(), r.x + r.w, r.y, p.words()))
                        .collect::<Vec<_>>()
                })
                .collect()
        });
        marks
            .into_iter()
            .map(|(id, x, y, why)| {
                view! {
                    <g class="lock-mark" transform=format!("translate({:.1} {:.1})", x - 4.0, y + 4.0)
                        data-testid=format!("lock-mark-{id}")>
                        <title>{why}</title>
                        <circle r="9"/>
                        <rect x="-4.5" y="-1.5" width="9" height="6.5" rx="1.2"/>
                        <path d="M -2.6 -1.5 V -3.6 a 2.6 2.6 0 0 1 5.2 0 V -1.5"/>
                    </g>
                }
            })
            .collect_view()
            .into_any()
    }
}

#[component]
pub fn Card(ui: Ui) -> impl IntoView {
    let lesson = Memo::new(move |_| ui.editor.with(|e| e.scenario().lesson.clone()));
    view! {
        <Show when=move || lesson.with(Option::is_some)>
            {move || lesson.get().map(|l| view! { <Body ui=ui lesson=l/> })}
        </Show>
    }
}

#[component]
fn Body(ui: Ui, lesson: Lesson) -> impl IntoView {
    let open = RwSignal::new(true);
    let live: RwSignal<Vec<Option<Verdict>>> = RwSignal::new(Vec::new());
    // The analysis's verdicts, for the design they were made for.
    let deep: RwSignal<Option<(Scenario, Vec<Verdict>)>, LocalStorage> = RwSignal::new_local(None);
    let submitted = RwSignal::new(None::<String>);
    let pending = StoredValue::new(0u32);
    let checks = StoredValue::new(lesson.checks.clone());
    let l2 = lesson.clone();
    Effect::new(move |_| {
        let s = ui.editor.with(|e| e.scenario().clone());
        pending.update_value(|p| *p += 1);
        let mine = pending.get_value();
        let l = l2.clone();
        leptos::task::spawn_local(async move {
            gloo_timers::future::TimeoutFuture::new(SETTLE_MS).await;
            // The card may have been redrawn (a new lesson) meanwhile: then this is stale.
            if pending.try_with_value(|p| *p == mine).unwrap_or(false) {
                live.try_set(lesson::evaluate_live(&s, &l));
            }
        });
    });
    let l3 = StoredValue::new(lesson.clone());
    let check_design = move |_| {
        let s = ui.editor.with_untracked(|e| e.scenario().clone());
        if !s.is_runnable() {
            ui.fail("the design cannot be checked until its errors are fixed (see Design)");
            return;
        }
        deep.set(Some((
            s.clone(),
            l3.with_value(|l| lesson::evaluate(&s, l)),
        )));
        ui.say("Design checked: every single failure ran");
    };
    let submit = move |_| {
        let scenario = ui.editor.with_untracked(|e| e.scenario().clone());
        match share::encode(&Shared {
            scenario,
            at_ms: None,
        }) {
            Ok(fragment) => {
                let page = window().location().href().unwrap_or_default();
                let base = page.split('#').next().unwrap_or_default().to_string();
                submitted.set(Some(format!("{base}#{fragment}")));
            }
            Err(e) => ui.fail(format!("the submission link cannot be made: {e}")),
        }
    };
    let student = move || ui.editor.with(|e| e.student());
    let preview = preview();
    let author_lesson = StoredValue::new(lesson.clone());
    let rows = move || {
        let now = ui.editor.with(|e| e.scenario().clone());
        let live = live.get();
        let deep = deep.with(|d| {
            d.as_ref()
                .filter(|(s, _)| *s == now)
                .map(|(_, v)| v.clone())
        });
        checks.with_value(|checks| {
            checks
                .iter()
                .enumerate()
                .map(|(i, c)| {
                    let verdict = live
                        .get(i)
                        .cloned()
                        .flatten()
                        .or_else(|| deep.as_ref().and_then(|d| d.get(i).cloned()));
                    let words = lesson::words(c);
                    let (class, mark, why) = match verdict {
                        Some(v) if v.pass => ("check pass", "✓", v.why),
                        Some(v) => ("check fail", "✗", v.why),
                        None if lesson::needs_analysis(c) => (
                            "check open",
                            "…",
                            "press Check my design: it runs every single failure".to_string(),
                        ),
                        None => ("check open", "…", "checking…".to_string()),
                    };
                    view! {
                        <li class=class data-testid=format!("lesson-check-{i}")>
                            <span class="mark" aria-hidden="true">{mark}</span>
                            <span class="words">{words}</span>
                            <span class="why">{why}</span>
                        </li>
                    }
                })
                .collect_view()
        })
    };
    let step_list = StoredValue::new(lesson.steps.clone());
    let steps = move || {
        step_list.with_value(|l| l
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let hint = (!s.hint.is_empty()).then(|| {
                let h = s.hint.clone();
                view! { <details class="hint" data-testid=format!("lesson-hint-{i}")><summary>"Hint"</summary>{h}</details> }
            });
            view! { <li>{s.text.clone()}{hint}</li> }
        })
        .collect_view())
    };
    let parts = StoredValue::new(lesson.lock.parts.clone());
    let locks = move || {
        parts.with_value(|l| {
            l.iter()
                .map(|p| {
                    let what = if p.properties.is_empty() {
                        p.id.clone()
                    } else {
                        format!("{}'s {}", p.id, p.properties.join(", "))
                    };
                    let why = (!p.reason.is_empty()).then(|| format!(": {}", p.reason));
                    view! { <li>{what}{why}</li> }
                })
                .collect_view()
        })
    };
    let allowed = StoredValue::new(
        (!lesson.lock.faults.is_empty())
            .then(|| format!("Faults you may use: {}", lesson.lock.faults.join(", ")))
            .into_iter()
            .chain(lesson.lock.script.then(|| {
                "The script's given failures stay: add to it, do not remove them".to_string()
            }))
            .collect::<Vec<_>>(),
    );
    let title = lesson.title.clone();
    let goal = StoredValue::new(lesson.goal.clone());
    view! {
        <section class="lesson-card" class:closed=move || !open.get() data-testid="lesson" aria-label="Lesson">
            <header>
                <button class="fold" aria-expanded=move || open.get().to_string()
                    title="Show or hide the lesson" on:click=move |_| open.update(|o| *o = !*o)>
                    {move || if open.get() { "▾" } else { "▸" }}
                </button>
                <h2>"Lesson: "{title}</h2>
                <span class="mode" data-testid="lesson-mode">{move || if student() { "student" } else { "author" }}</span>
            </header>
            <Show when=move || open.get()>
                <p class="goal">{goal.get_value()}</p>
                <ol class="steps">{steps}</ol>
                <ul class="checklist" data-testid="lesson-checks">{rows}</ul>
                <div class="lesson-actions">
                    <button data-testid="lesson-check-design" on:click=check_design>"Check my design"</button>
                    <button class="primary" data-testid="lesson-submit" on:click=submit>"Submit"</button>
                </div>
                {move || submitted.get().map(|link| view! {
                    <label class="submitted">"Send this link to your instructor:"
                        <input type="text" readonly data-testid="lesson-submission" prop:value=link/></label>
                })}
                <Show when=move || !student() || preview.get()>
                    <label class="preview"><input type="checkbox" data-testid="lesson-preview"
                        prop:checked=move || preview.get() on:change=move |ev| preview.set(event_target_checked(&ev))/>
                        " Preview as a student"</label>
                </Show>
                <Show when=move || !student()>
                    {move || view! { <super::lesson_author::Author ui=ui lesson=author_lesson.get_value()/> }}
                </Show>
                <Show when=student>
                    <p class="locks-title">"Locked"</p>
                    <ul class="locks">{locks}</ul>
                    {allowed.get_value().into_iter().map(|a| view! { <p class="allowed">{a}</p> }).collect_view()}
                    <p class="note">"Student mode: the locked parts are not the exercise. This is not a security boundary; your instructor's grader runs your design again."</p>
                </Show>
            </Show>
        </section>
    }
}
