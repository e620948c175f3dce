//! Azure Site Recovery as a replica target. An Azure site holds no hosts of the design: Site
//! Recovery keeps the replica in Azure storage and creates an Azure VM from it at failover.
//! The engine stands Azure's compute in for a host of its own, one per Azure site, with the
//! site's id, in the site, and cabled to each of its virtual networks (switches). So the
//! replication path, its bandwidth and a region's loss (a site failure) work as for any site.
//! Its managed disks, where the replicas are kept, stand in as that host's local storage.

use crate::model::{Host, Link, Scenario, SiteKind, Storage, StorageKind};

/// Azure's compute has room for every VM that fails over to it (a modelling choice).
const AZURE_CORES: u32 = 1 << 16;
const AZURE_MEMORY_GB: u32 = 1 << 20;

/// The scenario with Azure's compute added, or `None` when it has no Azure site.
pub(in crate::sim) fn with_azure_compute(s: &Scenario) -> Option<Scenario> {
    let azure: Vec<_> = (s.design.sites.iter())
        .filter(|x| x.kind == SiteKind::Azure)
        .cloned()
        .collect();
    if azure.is_empty() {
        return None;
    }
    let mut s = s.clone();
    let d = &mut s.design;
    for site in azure {
        let name = if site.name.is_empty() {
            format!("{} (Azure)", site.id)
        } else {
            site.name.clone()
        };
        d.hosts.push(Host {
            id: site.id.clone(),
            name,
            site: Some(site.id.clone()),
            cpu_cores: AZURE_CORES,
            memory_gb: AZURE_MEMORY_GB,
            guarded: true,
            at: None,
        });
        d.storage.push(Storage {
            id: disks_id(&site.id),
            name: format!("{} managed disks", site.id),
            kind: StorageKind::Local,
            host: Some(site.id.clone()),
            site: Some(site.id.clone()),
            at: None,
        });
        let vnets: Vec<String> = (d.switches.iter())
            .filter(|x| x.site.as_ref() == Some(&site.id))
            .map(|x| x.id.clone())
            .collect();
        for vnet in vnets {
            d.links.push(Link {
                id: format!("{}~{vnet}", site.id),
                a: site.id.clone(),
                b: vnet,
                ..Link::default()
            });
        }
    }
    Some(s)
}

/// Site Recovery retries a network error after 1, 2, 4, 8 and 10 minutes, then every 30
/// ("Hyper-V to Azure replication architecture"): the delay after the `n`th miss in a row.
pub(super) fn retry_after_ms(n: u32) -> u64 {
    const BACK_OFF_MIN: [u64; 5] = [1, 2, 4, 8, 10];
    let min = BACK_OFF_MIN.get(n as usize - 1).copied().unwrap_or(30);
    min * 60_000
}

/// The id of an Azure site's managed disks, where Site Recovery keeps its replicas.
pub(in crate::sim) fn disks_id(site: &str) -> String {
    format!("{site}~disks")
}
