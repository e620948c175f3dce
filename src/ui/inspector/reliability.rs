//! How often the selected component fails, and how long its repair takes, for the analysis's
//! availability in nines: one row per way it can fail, the default of its kind as the
//! placeholder, a value of the user's set with one command (clearing both gives the default back).

use super::Kind;
use crate::analysis::nines::default_rate;
use crate::editor::Command;
use crate::model::{FailureKind, Reliability};
use crate::ui::Ui;
use leptos::prelude::*;

/// The ways a component of this kind fails.
fn failures(kind: Kind) -> &'static [FailureKind] {
    use FailureKind as F;
    match kind {
        Kind::Host => &[F::HostCrash, F::HostIsolation, F::HostShutdown],
        Kind::Vm => &[F::VmCrash, F::AppFailure, F::GuestHang],
        Kind::Switch => &[F::SwitchFailure],
        Kind::Storage => &[F::StorageFailure],
        Kind::Link => &[F::LinkCut],
        Kind::Site => &[F::SiteFailure],
        Kind::Cluster | Kind::Guest => &[F::WitnessFailure],
        _ => &[],
    }
}

fn number(text: &str) -> Option<Result<f64, ()>> {
    let t = text.trim();
    (!t.is_empty()).then(|| t.parse::<f64>().map_err(|_| ()))
}

pub fn section(ui: Ui, kind: Kind, id: &str, r: &Reliability) -> Option<impl IntoView + use<>> {
    let list = failures(kind);
    if list.is_empty() {
        return None;
    }
    let rows = list
        .iter()
        .map(|&failure| {
            let d = default_rate(failure);
            let own = r.rate(id, failure).map(|x| (x.per_year, x.repair_hours));
            let per_year = RwSignal::new(own.map(|o| o.0.to_string()).unwrap_or_default());
            let repair = RwSignal::new(own.map(|o| o.1.to_string()).unwrap_or_default());
            let id = id.to_string();
            let send = move || {
                let rate = match (number(&per_year.get_untracked()), number(&repair.get_untracked())) {
                    (None, None) => None,
                    (Some(Err(())), _) | (_, Some(Err(()))) => {
                        ui.fail("a failure rate and a repair time are numbers (try 0.5 and 8)");
                        return;
                    }
                    (a, b) => Some((
                        a.and_then(Result::ok).unwrap_or(d.per_year),
                        b.and_then(Result::ok).unwrap_or(d.repair_hours),
                    )),
                };
                ui.apply(Command::SetRate {
                    id: id.clone(),
                    failure,
                    rate,
                });
            };
            let send2 = send.clone();
            let key = format!("{failure:?}").to_lowercase();
            view! {
                <tr title=format!("Default: {} a year, {} h to repair ({})", d.per_year, d.repair_hours, d.basis)>
                    <th scope="row">{failure.label()}</th>
                    <td><input type="text" inputmode="decimal" size="5" data-testid=format!("rate-{key}")
                        placeholder=d.per_year.to_string() prop:value=per_year
                        on:change=move |ev| { per_year.set(event_target_value(&ev)); send(); }/></td>
                    <td><input type="text" inputmode="decimal" size="5" data-testid=format!("repair-{key}")
                        placeholder=d.repair_hours.to_string() prop:value=repair
                        on:change=move |ev| { repair.set(event_target_value(&ev)); send2(); }/></td>
                </tr>
            }
        })
        .collect_view();
    Some(view! {
        <details class="reliability" data-testid="reliability">
            <summary>"Failure rates (for the analysis)"</summary>
            <table>
                <thead><tr><th>"failure"</th><th>"per year"</th><th>"repair, h"</th></tr></thead>
                <tbody>{rows}</tbody>
            </table>
            <p class="hint">"Empty: the default of its kind (sources in the docs). Hover a row for it."</p>
        </details>
    })
}
