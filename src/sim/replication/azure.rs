//! Azure Site Recovery as a replica target. An Azure site holds no hosts of the design: Site
//! Recovery keeps the replica in Azure storage and creates an Azure VM from it at failover.
//! The engine stands Azure's compute in for a host of its own, one per Azure site, with the
//! site's id, in the site, and cabled to each of its virtual networks (switches). So the
//! replication path, its bandwidth and a region's loss (a site failure) work as for any site.
//! Its managed disks, where the replicas are kept, stand in as that host's local storage.

use crate::model::{Link, Scenario, Storage, StorageKind};

/// The scenario with Azure's compute added, or `None` when it has no Azure site.
pub(in crate::sim) fn with_azure_compute(s: &Scenario) -> Option<Scenario> {
    let compute = s.design.azure_compute();
    if compute.is_empty() {
        return None;
    }
    let mut s = s.clone();
    let d = &mut s.design;
    for host in compute {
        let site = host.id.clone();
        d.storage.push(Storage {
            id: disks_id(&site),
            name: format!("{site} managed disks"),
            kind: StorageKind::Local,
            host: Some(site.clone()),
            site: Some(site.clone()),
            at: None,
        });
        let vnets: Vec<String> = (d.switches.iter())
            .filter(|x| x.site.as_ref() == Some(&site))
            .map(|x| x.id.clone())
            .collect();
        d.hosts.push(host);
        for vnet in vnets {
            d.links.push(Link {
                id: format!("{site}~{vnet}"),
                a: site.clone(),
                b: vnet,
                ..Link::default()
            });
        }
    }
    Some(s)
}

/// The id of an Azure site's managed disks, where Site Recovery keeps its replicas.
pub(in crate::sim) fn disks_id(site: &str) -> String {
    format!("{site}~disks")
}

/// Site Recovery retries a network error after 1, 2, 4, 8 and 10 minutes, then every 30
/// ("Hyper-V to Azure replication architecture"): the delay after the `n`th miss in a row.
pub(super) fn retry_after_ms(n: u32) -> u64 {
    const BACK_OFF_MIN: [u64; 5] = [1, 2, 4, 8, 10];
    let min = (BACK_OFF_MIN.get((n as usize).saturating_sub(1)))
        .copied()
        .unwrap_or(30);
    min * 60_000
}
