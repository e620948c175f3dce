//! Checks of start ordering and failback settings: cluster sets that name what exists and do
//! not wait for each other in a circle, hours of the day that exist.

use super::{Scenario, display_name};

/// Errors, each with the ids it is about.
pub(super) fn check(s: &Scenario) -> Vec<(Vec<String>, String)> {
    let d = &s.design;
    let mut out: Vec<(Vec<String>, String)> = Vec::new();
    if s.settings.start_hour.is_some_and(|h| h > 23) {
        out.push((vec![], "the start hour must be 0-23".into()));
    }
    for v in &d.vms {
        if let Some(w) = v.failback_window
            && (w.start_hour > 23 || w.end_hour > 23)
        {
            out.push((
                vec![v.id.clone()],
                format!("VM {}: failback window hours must be 0-23", v.id),
            ));
        }
    }
    for c in &d.clusters {
        if c.sets.is_empty() {
            continue;
        }
        let name = display_name(&c.name, &c.id);
        let mut seen_vm: Vec<&str> = Vec::new();
        for (i, set) in c.sets.iter().enumerate() {
            if c.sets[..i].iter().any(|x| x.name == set.name) {
                out.push((
                    vec![c.id.clone()],
                    format!("cluster {name} has two sets named {}", set.name),
                ));
            }
            for vm in &set.vms {
                let role = d
                    .vms
                    .iter()
                    .find(|v| &v.id == vm)
                    .is_some_and(|v| v.hosts.iter().any(|h| c.nodes.contains(h)));
                if !role {
                    out.push((
                        vec![c.id.clone()],
                        format!(
                            "set {} names {vm}, which is not a VM of cluster {name}",
                            set.name
                        ),
                    ));
                } else if seen_vm.contains(&vm.as_str()) {
                    out.push((
                        vec![c.id.clone(), vm.clone()],
                        format!("VM {vm} is in two sets of cluster {name}"),
                    ));
                }
                seen_vm.push(vm);
            }
            for dep in &set.depends_on {
                if !c.sets.iter().any(|x| &x.name == dep) {
                    out.push((
                        vec![c.id.clone()],
                        format!(
                            "set {} depends on set {dep}, which cluster {name} does not have",
                            set.name
                        ),
                    ));
                }
            }
        }
        if let Some(set) = in_a_circle(&c.sets) {
            out.push((vec![c.id.clone()], format!("set {set} of cluster {name} waits for itself through its dependencies, so it would never start")));
        }
    }
    out
}

/// A set whose dependencies lead back to it, if any.
fn in_a_circle(sets: &[super::ClusterSet]) -> Option<&str> {
    let index = |n: &str| sets.iter().position(|s| s.name == n);
    for start in 0..sets.len() {
        let mut stack = vec![start];
        let mut seen = vec![false; sets.len()];
        while let Some(i) = stack.pop() {
            for dep in sets[i].depends_on.iter().filter_map(|d| index(d)) {
                if dep == start {
                    return Some(&sets[start].name);
                }
                if !seen[dep] {
                    seen[dep] = true;
                    stack.push(dep);
                }
            }
        }
    }
    None
}
