//! Disaster recovery in the inspector: a VM's replica (where to, how often, points kept) and
//! its backup jobs, and the scenario's recovery plans. Each change is the whole edited
//! `Recovery` in one command, so one undo step; validation (the problems panel) says what is
//! wrong with it.

use crate::editor::Command;
use crate::model::recovery::{
    AZURE_FREQUENCIES_S, Backup, FREQUENCIES_S, PlanGroup, Recovery, RecoveryPlan, Replica,
};
use crate::model::{Design, SiteKind, display_name};
use crate::ui::Ui;
use leptos::prelude::*;

fn every_words(s: u32) -> String {
    if s < 60 {
        format!("{s} s")
    } else {
        format!("{} min", s / 60)
    }
}

/// Where a VM can be replicated to: hosts and clusters it does not run on, and Azure sites.
fn targets(d: &Design, vm: &str) -> Vec<(String, String)> {
    let own: Vec<&String> =
        (d.vms.iter().find(|v| v.id == vm)).map_or(Vec::new(), |v| v.hosts.iter().collect());
    let hosts = (d.hosts.iter().filter(|h| !own.contains(&&h.id))).map(|h| {
        (
            h.id.clone(),
            format!("{} (host)", display_name(&h.name, &h.id)),
        )
    });
    let clusters = (d
        .clusters
        .iter()
        .filter(|c| !c.nodes.iter().any(|n| own.contains(&n))))
    .map(|c| {
        (
            c.id.clone(),
            format!("{} (cluster, Replica Broker)", display_name(&c.name, &c.id)),
        )
    });
    let azure = (d.sites.iter().filter(|s| s.kind == SiteKind::Azure)).map(|s| {
        (
            s.id.clone(),
            format!("{} (Azure Site Recovery)", display_name(&s.name, &s.id)),
        )
    });
    hosts.chain(clusters).chain(azure).collect()
}

/// One edit of the scenario's disaster recovery, as one command.
fn change(ui: Ui, edit: impl FnOnce(&mut Recovery)) {
    let mut r = ui.editor.with_untracked(|e| e.scenario().recovery.clone());
    edit(&mut r);
    ui.apply(Command::SetRecovery(r));
}

fn change_plans(ui: Ui, edit: impl FnOnce(&mut Vec<RecoveryPlan>)) {
    change(ui, |r| edit(&mut r.plans));
}

/// One edit of VM `vm`'s replica (none: nothing to edit).
fn change_replica(ui: Ui, vm: &str, edit: impl FnOnce(&mut Replica)) {
    change(ui, |r| {
        if let Some(x) = r.replicas.iter_mut().find(|x| x.vm == vm) {
            edit(x);
        }
    });
}

/// One edit of group `g` of plan `p` (a stale index edits nothing).
fn change_group(ui: Ui, p: usize, g: usize, edit: impl FnOnce(&mut PlanGroup)) {
    change_plans(ui, |plans| {
        if let Some(x) = plans.get_mut(p).and_then(|x| x.groups.get_mut(g)) {
            edit(x);
        }
    });
}

fn number(text: &str, min: u32, max: u32) -> Result<u32, String> {
    match text.trim().parse::<u32>() {
        Ok(n) if (min..=max).contains(&n) => Ok(n),
        _ => Err(format!("enter a whole number from {min} to {max}")),
    }
}

/// The VM's replica and backups, for the inspector of VM `vm`.
pub fn section(ui: Ui, d: &Design, vm: &str) -> impl IntoView + use<> {
    let recovery = ui.editor.with(|e| e.scenario().recovery.clone());
    let locked = super::super::lesson::student_lock(ui).and_then(|l| l.why_locked(vm, "recovery"));
    let vm_id = vm.to_string();
    let replica = recovery.replicas.iter().find(|r| r.vm == vm).cloned();
    let azure = replica.as_ref().is_some_and(|r| r.to_azure(d));

    // Replica: where to.
    let to_now = replica.as_ref().map(|r| r.to.clone()).unwrap_or_default();
    let mut listed = targets(d, vm);
    // A target from a file that is not offered here stays shown (validation says why).
    if !to_now.is_empty() && !listed.iter().any(|(id, _)| *id == to_now) {
        listed.push((to_now.clone(), format!("{to_now} (not a valid target)")));
    }
    let options = listed
        .into_iter()
        .map(|(id, words)| {
            let selected = id == to_now;
            view! { <option value=id.clone() selected=selected>{words}</option> }
        })
        .collect_view();
    let design = d.clone();
    let v = vm_id.clone();
    let on_to = move |ev: leptos::ev::Event| {
        let to = event_target_value(&ev);
        let to_azure = design.azure_site(&to).is_some();
        change(ui, |r: &mut Recovery| {
            if to.is_empty() {
                // Its plans' places go with the replica.
                r.replicas.retain(|x| x.vm != v);
                r.prune(&design);
                return;
            }
            match r.replicas.iter_mut().find(|x| x.vm == v) {
                Some(x) => {
                    x.to = to.clone();
                    x.storage = None;
                    if to_azure && !AZURE_FREQUENCIES_S.contains(&x.every_s) {
                        x.every_s = 300;
                    }
                }
                None => r.replicas.push(Replica {
                    vm: v.clone(),
                    to: to.clone(),
                    every_s: 300,
                    change_mb_per_min: crate::model::recovery::CHANGE_MB_PER_MIN,
                    disk_gb: crate::model::recovery::DISK_GB,
                    storage: None,
                    // Site Recovery's default retention: 2 hours.
                    hourly_points: if to_azure { 2 } else { 0 },
                }),
            }
        });
    };
    let design_for_storage = d.clone();
    let settings = replica.clone().map(|rep| {
        let mut freqs: Vec<u32> = if azure { AZURE_FREQUENCIES_S.to_vec() } else { FREQUENCIES_S.to_vec() };
        if !freqs.contains(&rep.every_s) {
            freqs.push(rep.every_s);
        }
        let choices = freqs
            .into_iter()
            .map(|s| view! { <option value=s.to_string() selected=s == rep.every_s>{every_words(s)}</option> })
            .collect_view();
        let (v1, v2, v4) = (vm_id.clone(), vm_id.clone(), vm_id.clone());
        let on_storage = move |ev: leptos::ev::Event| {
            let st = event_target_value(&ev);
            change_replica(ui, &v4, |x| x.storage = (!st.is_empty()).then(|| st.clone()));
        };
        let stores = (!azure).then(|| {
            let now = rep.storage.clone().unwrap_or_default();
            // A cluster's replica needs shared storage: no node's local disk is offered.
            let broker = design_for_storage.clusters.iter().any(|c| c.id == rep.to);
            let list = (design_for_storage.storage.iter())
                .filter(|x| !broker || x.kind != crate::model::StorageKind::Local)
                .map(|x| view! { <option value=x.id.clone() selected=x.id == now>{display_name(&x.name, &x.id).to_string()}</option> })
                .collect_view();
            view! {
                <label>"Replica kept on"
                    <select data-testid="replica-storage" prop:value=now.clone() on:change=on_storage>
                        <option value="" selected=now.is_empty()>"Default"</option>
                        {list}
                    </select>
                </label>
            }
        });
        let on_every = move |ev: leptos::ev::Event| {
            let Ok(every) = event_target_value(&ev).parse::<u32>() else { return };
            change_replica(ui, &v1, |x| x.every_s = every);
        };
        let on_points = move |ev: leptos::ev::Event| match number(&event_target_value(&ev), 0, 24) {
            Ok(n) => change_replica(ui, &v2, |x| x.hourly_points = n),
            Err(e) => ui.fail(e),
        };
        let points_label = if azure { "Recovery points kept, hours" } else { "Additional hourly points" };
        view! {
            {stores}
            <label>"Replication every"
                <select data-testid="replica-every" on:change=on_every>{choices}</select>
            </label>
            <label>{points_label}
                <input type="number" min="0" max="24" data-testid="replica-points" prop:value=rep.hourly_points.to_string() on:change=on_points/>
            </label>
        }
    });

    // Backups: each job that backs the VM up, then a repository to add.
    let jobs: Vec<(usize, Backup)> = (recovery.backups.iter().enumerate())
        .filter(|(_, b)| b.vms.iter().any(|x| x == vm))
        .map(|(i, b)| (i, b.clone()))
        .collect();
    let used: Vec<String> = jobs.iter().map(|(_, b)| b.to.clone()).collect();
    let job_rows = jobs
        .into_iter()
        .map(|(i, b)| job(ui, i, &b, &vm_id))
        .collect_view();
    let repos = (d.storage.iter().filter(|s| !used.contains(&s.id)))
        .map(|s| view! { <option value=s.id.clone()>{display_name(&s.name, &s.id).to_string()}</option> })
        .collect_view();
    let v3 = vm_id.clone();
    let on_backup = move |ev: leptos::ev::Event| {
        let to = event_target_value(&ev);
        if to.is_empty() {
            return;
        }
        change(ui, |r: &mut Recovery| {
            match r.backups.iter_mut().find(|b| b.to == to) {
                Some(b) => b.vms.push(v3.clone()),
                None => r.backups.push(Backup {
                    vms: vec![v3.clone()],
                    to: to.clone(),
                    every_h: crate::model::recovery::BACKUP_EVERY_H,
                    last_min_ago: crate::model::recovery::BACKUP_LAST_MIN_AGO,
                    keep_days: crate::model::recovery::KEEP_DAYS,
                    app_consistent: false,
                    verify: false,
                    immutable: false,
                }),
            }
        });
    };
    view! {
        <details class="protection" open data-testid="protection">
            <summary>"Disaster recovery"</summary>
            <fieldset disabled=locked.is_some() title=locked.clone().unwrap_or_default()>
                <label>"Replicate to"
                    <select data-testid="replica-to" prop:value=to_now.clone() on:change=on_to>
                        <option value="" selected=to_now.is_empty()>"Not replicated"</option>
                        {options}
                    </select>
                </label>
                {settings}
                {job_rows}
                <label>"Back up to"
                    <select data-testid="backup-to" prop:value="" on:change=on_backup>
                        <option value="" selected=true>"Add a backup job…"</option>
                        {repos}
                    </select>
                </label>
            </fieldset>
        </details>
    }
}

/// One backup job of the VM: its schedule, retention and options (shared by the job's VMs).
fn job(ui: Ui, i: usize, b: &Backup, vm: &str) -> impl IntoView + use<> {
    let others: Vec<&str> = b
        .vms
        .iter()
        .filter(|x| *x != vm)
        .map(String::as_str)
        .collect();
    let shared = (!others.is_empty()).then(|| format!("Shared with {}", others.join(", ")));
    let num = move |key: &'static str, min: u32, max: u32| {
        move |ev: leptos::ev::Event| match number(&event_target_value(&ev), min, max) {
            Ok(n) => change(ui, |r: &mut Recovery| {
                if let Some(b) = r.backups.get_mut(i) {
                    match key {
                        "every_h" => b.every_h = n,
                        _ => b.keep_days = n,
                    }
                    b.last_min_ago = b.last_min_ago.min(b.every_h * 60 - 1);
                }
            }),
            Err(e) => ui.fail(e),
        }
    };
    let check = move |key: &'static str| {
        move |ev: leptos::ev::Event| {
            let on = event_target_checked(&ev);
            change(ui, |r: &mut Recovery| {
                if let Some(b) = r.backups.get_mut(i) {
                    match key {
                        "app_consistent" => b.app_consistent = on,
                        "verify" => b.verify = on,
                        _ => b.immutable = on,
                    }
                }
            });
        }
    };
    let vm = vm.to_string();
    let remove = move |_| {
        change(ui, |r: &mut Recovery| {
            if let Some(b) = r.backups.get_mut(i) {
                b.vms.retain(|x| *x != vm);
            }
            r.backups.retain(|b| !b.vms.is_empty());
        })
    };
    view! {
        <div class="backup-job" data-testid=format!("backup-job-{}", b.to)>
            <div class="job-head">
                <strong>{format!("Backup to {}", b.to)}</strong>
                <button class="link" title="Stop backing this VM up here" on:click=remove>"Remove"</button>
            </div>
            {shared.map(|s| view! { <p class="hint">{s}</p> })}
            <label>"Every, hours"<input type="number" min="1" max="168" data-testid="backup-every" prop:value=b.every_h.to_string() on:change=num("every_h", 1, 168)/></label>
            <label>"Keep, days"<input type="number" min="1" max="365" data-testid="backup-keep" prop:value=b.keep_days.to_string() on:change=num("keep_days", 1, 365)/></label>
            <label class="check"><input type="checkbox" prop:checked=b.app_consistent on:change=check("app_consistent")/>"Application-consistent"</label>
            <label class="check"><input type="checkbox" prop:checked=b.verify on:change=check("verify")/>"Verify each point (boot test)"</label>
            <label class="check"><input type="checkbox" data-testid="backup-immutable" prop:checked=b.immutable on:change=check("immutable")/>"Immutable"</label>
        </div>
    }
}

/// The scenario's recovery plans: groups of replicated VMs started in order, each after a wait
/// and a manual action if it has them.
pub fn plans(ui: Ui) -> impl IntoView + use<> {
    let recovery = ui.editor.with(|e| e.scenario().recovery.clone());
    let replicated: Vec<String> = recovery.replicas.iter().map(|r| r.vm.clone()).collect();
    if replicated.is_empty() && recovery.plans.is_empty() {
        return ().into_any();
    }
    let list = recovery
        .plans
        .iter()
        .enumerate()
        .map(|(p, plan)| {
            let groups = plan
                .groups
                .iter()
                .enumerate()
                .map(|(g, group)| {
                    let vms = group.vms.join(", ");
                    let on_vms = move |ev: leptos::ev::Event| {
                        let vms: Vec<String> = (event_target_value(&ev).split(','))
                            .map(|x| x.trim().to_string())
                            .filter(|x| !x.is_empty())
                            .collect();
                        change_group(ui, p, g, |x| x.vms = vms.clone());
                    };
                    let on_wait = move |ev: leptos::ev::Event| match number(&event_target_value(&ev), 0, 86_400) {
                        Ok(n) => change_group(ui, p, g, |x| x.delay_s = n),
                        Err(e) => ui.fail(e),
                    };
                    let on_manual = move |ev: leptos::ev::Event| {
                        let text = event_target_value(&ev).trim().to_string();
                        change_group(ui, p, g, |x| x.manual = (!text.is_empty()).then(|| text.clone()));
                    };
                    let remove = move |_| {
                        change_plans(ui, |plans: &mut Vec<RecoveryPlan>| {
                            if let Some(x) = plans.get_mut(p).filter(|x| g < x.groups.len()) {
                                x.groups.remove(g);
                            }
                            plans.retain(|x| !x.groups.is_empty());
                        })
                    };
                    view! {
                        <tr data-testid=format!("plan-{}-group-{}", plan.id, g + 1)>
                            <th scope="row">{g + 1}</th>
                            <td><input type="text" size="12" aria-label="VMs, comma-separated" prop:value=vms on:change=on_vms/></td>
                            <td><input type="number" min="0" size="4" aria-label="wait, s" prop:value=group.delay_s.to_string() on:change=on_wait/></td>
                            <td><input type="text" size="12" aria-label="manual action" placeholder="none" prop:value=group.manual.clone().unwrap_or_default() on:change=on_manual/></td>
                            <td><button class="link" title="Remove the group" on:click=remove>"×"</button></td>
                        </tr>
                    }
                })
                .collect_view();
            let add_group = move |_| {
                change_plans(ui, |plans: &mut Vec<RecoveryPlan>| {
                    if let Some(x) = plans.get_mut(p) {
                        x.groups.push(PlanGroup { vms: Vec::new(), delay_s: 0, manual: None })
                    }
                })
            };
            view! {
                <div class="plan" data-testid=format!("plan-{}", plan.id)>
                    <strong>{format!("Plan {}", plan.id)}</strong>
                    <table>
                        <thead><tr><th>"group"</th><th>"VMs"</th><th>"wait, s"</th><th>"manual action"</th><th></th></tr></thead>
                        <tbody>{groups}</tbody>
                    </table>
                    <button on:click=add_group>"Add a group"</button>
                </div>
            }
        })
        .collect_view();
    let add_plan = move |_| {
        let vms = replicated.clone();
        change_plans(ui, |plans: &mut Vec<RecoveryPlan>| {
            let id = (1..)
                .map(|n| format!("plan-{n}"))
                .find(|id| !plans.iter().any(|p| &p.id == id))
                .unwrap_or_default();
            plans.push(RecoveryPlan {
                id,
                groups: vec![PlanGroup {
                    vms: vms.clone(),
                    delay_s: 0,
                    manual: None,
                }],
            });
        })
    };
    view! {
        <h2>"Recovery plans"</h2>
        <p class="hint">"Groups fail over in order, each once the one before serves (Azure Site Recovery). Run one from Simulate."</p>
        {list}
        <button data-testid="add-plan" on:click=add_plan>"New recovery plan"</button>
    }
    .into_any()
}
