//! The status area: what just happened, and every design problem (click one to select it).

use super::Ui;
use crate::model::validate::Severity;
use leptos::prelude::*;

#[component]
pub fn StatusArea(ui: Ui) -> impl IntoView {
    let problems = Memo::new(move |_| ui.editor.with(|e| e.problems()));
    let summary = move || {
        problems.with(|p| {
            let errors = p.iter().filter(|x| x.severity == Severity::Error).count();
            let warnings = p.len() - errors;
            match (errors, warnings) {
                (0, 0) => "No design problems".to_string(),
                _ => format!(
                    "{errors} error{}, {warnings} warning{}",
                    if errors == 1 { "" } else { "s" },
                    if warnings == 1 { "" } else { "s" }
                ),
            }
        })
    };
    view! {
        <section class="status" aria-label="Status and design problems">
            <super::StatusLine ui=ui/>
            <h2 data-testid="problem-summary" class="badge" class:clean=move || problems.with(Vec::is_empty)>{summary}</h2>
            <ul class="problems" data-testid="problems">
                {move || problems.get().into_iter().map(|p| {
                    let subjects = p.subjects.clone();
                    let class = if p.severity == Severity::Error { "problem error" } else { "problem warning" };
                    view! {
                        <li class=class>
                            <button on:click=move |_| ui.select(subjects.clone())>{p.message.clone()}</button>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </section>
    }
}
