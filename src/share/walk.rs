//! The v1 wire: one walk over the scenario that both writes and reads, so the two can never
//! disagree about the order of fields.
//!
//! Components are stored table by table, field by field (a column of every host's memory, then
//! of every host's site...). Numbers go to one stream, each delta-coded against the number
//! before it in the same column; ids and tier labels go to an interned string table (a
//! component's id is written once, references are indices); names and descriptions go to a
//! text stream. A column of 64 equal values, or of indices 7, 8, 9..., deflates to a few bytes.

use super::pass::*;
use super::strings::{self, Seg};
use super::{LinkError, Shared};
use crate::model::*;
use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize, Debug)]
pub struct Wire {
    strings: Vec<Seg>,
    texts: Vec<String>,
    nums: Vec<u64>,
}

pub fn encode(shared: &Shared) -> Wire {
    let mut w = Writer::default();
    walk(&mut w, &mut shared.clone(), super::LINK_VERSION).expect("writing cannot fail");
    Wire {
        strings: strings::pack(&w.strings),
        texts: w.texts,
        nums: w.nums,
    }
}

/// Reads a wire written by link version `version` (1 to 4).
pub fn decode(wire: Wire, version: u32) -> Result<Shared, LinkError> {
    let mut r = Reader {
        strings: strings::unpack(wire.strings)?,
        texts: wire.texts.into_iter(),
        nums: wire.nums,
        at: 0,
        prev: 0,
    };
    let mut shared = Shared::default();
    walk(&mut r, &mut shared, version)?;
    if r.at != r.nums.len() || r.texts.next().is_some() {
        return Err(LinkError::Damaged("it has data left over at the end"));
    }
    Ok(shared)
}

fn heartbeat<P: Pass>(p: &mut P, h: &mut HeartbeatSettings) -> R {
    opt_u32(p, &mut h.same_subnet_delay_ms)?;
    opt_u32(p, &mut h.same_subnet_threshold)?;
    opt_u32(p, &mut h.cross_subnet_delay_ms)?;
    opt_u32(p, &mut h.cross_subnet_threshold)?;
    opt_u32(p, &mut h.cross_site_delay_ms)?;
    opt_u32(p, &mut h.cross_site_threshold)
}

fn settings<P: Pass>(p: &mut P, s: &mut Settings) -> R {
    use Version::*;
    choice(p, &mut s.version, &[W2016, W2012R2, W2008R2], "version")?;
    heartbeat(p, &mut s.heartbeat)?;
    opt(p, &mut s.dynamic_quorum, |p, b| boolf(p, b))?;
    let t = &mut s.timing;
    opt_ms(p, &mut t.resiliency_period_ms)?;
    opt_u32(p, &mut t.quarantine_threshold)?;
    opt_ms(p, &mut t.quarantine_duration_ms)?;
    opt_u32(p, &mut t.restart_in_place_max)?;
    opt_ms(p, &mut t.restart_window_ms)?;
    opt_ms(p, &mut t.failover_period_ms)?;
    opt_ms(p, &mut t.vm_monitoring_detection_ms)?;
    opt_ms(p, &mut t.resource_health_check_ms)?;
    opt_ms(p, &mut t.paused_critical_timeout_ms)?;
    opt_ms(p, &mut t.nlb_heartbeat_ms)?;
    opt_u32(p, &mut t.nlb_threshold)?;
    opt_ms(p, &mut t.nlb_convergence_ms)?;
    opt_u32(p, &mut t.live_migration_gbps)
}

fn witness<P: Pass>(p: &mut P, w: &mut Witness) -> R {
    let mut kind = match w {
        Witness::None => 0,
        Witness::Disk { .. } => 1,
        Witness::FileShare { .. } => 2,
        Witness::Cloud => 3,
    };
    p.raw(&mut kind)?;
    let mut storage = match w {
        Witness::Disk { storage } | Witness::FileShare { storage } => std::mem::take(storage),
        _ => String::new(),
    };
    *w = match kind {
        0 => Witness::None,
        1 | 2 => {
            p.string(&mut storage)?;
            if kind == 1 {
                Witness::Disk { storage }
            } else {
                Witness::FileShare { storage }
            }
        }
        3 => Witness::Cloud,
        _ => return Err(range("witness kind")),
    };
    Ok(())
}

fn fault<P: Pass>(p: &mut P, f: &mut Fault, version: u32) -> R {
    use Fault::*;
    let taken = std::mem::replace(f, HostCrash { host: Id::new() });
    let (mut kind, mut a, mut b) = match taken {
        HostCrash { host } => (0, vec![host], vec![]),
        HostIsolation { host } => (1, vec![host], vec![]),
        VmCrash { vm } => (2, vec![vm], vec![]),
        AppFailure { vm } => (3, vec![vm], vec![]),
        SwitchFailure { switch } => (4, vec![switch], vec![]),
        LinkCut { link } => (5, vec![link], vec![]),
        StorageFailure { storage } => (6, vec![storage], vec![]),
        SiteFailure { site } => (7, vec![site], vec![]),
        Partition { a, b } => (8, a, b),
        // Link version 2.
        GuestHang { vm } => (9, vec![vm], vec![]),
        // Link version 4.
        WitnessFailure { cluster } => (10, vec![cluster], vec![]),
        // Link version 7 (data loss).
        VmDeletion { vm } => (11, vec![vm], vec![]),
        GuestCorruption { vm } => (12, vec![vm], vec![]),
        Ransomware { domain } => (13, domain, vec![]),
    };
    p.raw(&mut kind)?;
    if kind == 8 {
        ids(p, &mut a)?;
        ids(p, &mut b)?;
        *f = Partition { a, b };
        return Ok(());
    }
    if kind == 13 && version >= 7 {
        ids(p, &mut a)?;
        *f = Ransomware { domain: a };
        return Ok(());
    }
    let mut subject = a.pop().unwrap_or_default();
    p.string(&mut subject)?;
    *f = match kind {
        0 => HostCrash { host: subject },
        1 => HostIsolation { host: subject },
        2 => VmCrash { vm: subject },
        3 => AppFailure { vm: subject },
        4 => SwitchFailure { switch: subject },
        5 => LinkCut { link: subject },
        6 => StorageFailure { storage: subject },
        7 => SiteFailure { site: subject },
        9 if version >= 2 => GuestHang { vm: subject },
        10 if version >= 4 => WitnessFailure { cluster: subject },
        11 if version >= 7 => VmDeletion { vm: subject },
        12 if version >= 7 => GuestCorruption { vm: subject },
        _ => return Err(range("fault kind")),
    };
    Ok(())
}

/// The whole scenario: version 1's fields, then what version 2 added after them.
fn walk<P: Pass>(p: &mut P, shared: &mut Shared, version: u32) -> R {
    let s = &mut shared.scenario;
    p.column();
    u32f(p, &mut s.format)?;
    p.num(&mut s.seed)?;
    opt(p, &mut shared.at_ms, |p, t| p.num(t))?;
    p.text(&mut s.name)?;
    p.text(&mut s.description)?;
    settings(p, &mut s.settings)?;

    let d = &mut s.design;
    p.column();
    let mut counts = [
        d.sites.len(),
        d.hosts.len(),
        d.switches.len(),
        d.storage.len(),
        d.links.len(),
        d.vms.len(),
        d.clusters.len(),
        d.guest_clusters.len(),
        d.nlb_clusters.len(),
        d.clients.len(),
        d.tiers.len(),
        s.faults.len(),
    ];
    for n in &mut counts {
        *n = p.len(*n)?;
    }
    // Bounded before anything is allocated for them.
    if counts[..11].iter().sum::<usize>() > validate::MAX_COMPONENTS
        || counts[11] > super::check::MAX_FAULTS
    {
        return Err(LinkError::OutOfRange(format!(
            "it has more than {} components or {} faults",
            validate::MAX_COMPONENTS,
            super::check::MAX_FAULTS
        )));
    }
    let [
        sites,
        hosts,
        switches,
        storage,
        links,
        vms,
        clusters,
        guests,
        nlbs,
        clients,
        tiers,
        faults,
    ] = counts;
    d.sites.resize_with(sites, Default::default);
    d.hosts.resize_with(hosts, Default::default);
    d.switches.resize_with(switches, Default::default);
    d.storage.resize_with(storage, Default::default);
    d.links.resize_with(links, Default::default);
    d.vms.resize_with(vms, Default::default);
    d.clusters.resize_with(clusters, Default::default);
    d.guest_clusters.resize_with(guests, Default::default);
    d.nlb_clusters.resize_with(nlbs, Default::default);
    d.clients.resize_with(clients, Default::default);
    d.tiers.resize_with(tiers, Default::default);
    s.faults.resize_with(faults, || ScheduledFault {
        at_ms: 0,
        repair: false,
        fault: Fault::HostCrash { host: Id::new() },
    });

    let v = &mut d.sites;
    col(p, v, |p, x| p.string(&mut x.id))?;
    col(p, v, |p, x| p.text(&mut x.name))?;

    let v = &mut d.hosts;
    col(p, v, |p, x| p.string(&mut x.id))?;
    col(p, v, |p, x| p.text(&mut x.name))?;
    col(p, v, |p, x| opt_id(p, &mut x.site))?;
    col(p, v, |p, x| val32(p, &mut x.cpu_cores, 32))?;
    col(p, v, |p, x| val32(p, &mut x.memory_gb, 256))?;
    col(p, v, |p, x| boolf(p, &mut x.guarded))?;
    positions(p, v, |x| &mut x.at)?;

    use SwitchKind::*;
    let v = &mut d.switches;
    col(p, v, |p, x| p.string(&mut x.id))?;
    col(p, v, |p, x| p.text(&mut x.name))?;
    col(p, v, |p, x| {
        choice(
            p,
            &mut x.kind,
            &[External, Internal, Private],
            "switch kind",
        )
    })?;
    col(p, v, |p, x| opt_id(p, &mut x.host))?;
    col(p, v, |p, x| opt_id(p, &mut x.site))?;
    positions(p, v, |x| &mut x.at)?;

    use StorageKind::*;
    let v = &mut d.storage;
    col(p, v, |p, x| p.string(&mut x.id))?;
    col(p, v, |p, x| p.text(&mut x.name))?;
    col(p, v, |p, x| {
        choice(p, &mut x.kind, &[Csv, San, Smb, Local], "storage kind")
    })?;
    col(p, v, |p, x| opt_id(p, &mut x.host))?;
    col(p, v, |p, x| opt_id(p, &mut x.site))?;
    positions(p, v, |x| &mut x.at)?;

    let v = &mut d.links;
    col(p, v, |p, x| p.string(&mut x.id))?;
    col(p, v, |p, x| p.string(&mut x.a))?;
    col(p, v, |p, x| p.string(&mut x.b))?;

    vm_columns(p, &mut d.vms)?;

    let v = &mut d.clusters;
    col(p, v, |p, x| p.string(&mut x.id))?;
    col(p, v, |p, x| p.text(&mut x.name))?;
    col(p, v, |p, x| ids(p, &mut x.nodes))?;
    col(p, v, |p, x| witness(p, &mut x.witness))?;
    col(p, v, |p, x| heartbeat(p, &mut x.heartbeat))?;
    col(p, v, |p, x| boolf(p, &mut x.enforce_anti_affinity))?;
    col(p, v, |p, x| opt_id(p, &mut x.lower_quorum_priority_node))?;

    let v = &mut d.guest_clusters;
    col(p, v, |p, x| p.string(&mut x.id))?;
    col(p, v, |p, x| p.text(&mut x.name))?;
    col(p, v, |p, x| ids(p, &mut x.members))?;
    col(p, v, |p, x| witness(p, &mut x.witness))?;
    col(p, v, |p, x| heartbeat(p, &mut x.heartbeat))?;
    col(p, v, |p, x| p.text(&mut x.role.name))?;
    col(p, v, |p, x| opt(p, &mut x.role.tier, |p, t| p.string(t)))?;
    col(p, v, |p, x| ms(p, &mut x.role.start_ms, 10_000))?;
    col(p, v, |p, x| opt_id(p, &mut x.lower_quorum_priority_node))?;

    use {Affinity as A, NlbMode as M};
    let v = &mut d.nlb_clusters;
    col(p, v, |p, x| p.string(&mut x.id))?;
    col(p, v, |p, x| p.text(&mut x.name))?;
    col(p, v, |p, x| {
        list(p, &mut x.members, |p, m| {
            p.string(&mut m.vm)?;
            u32f(p, &mut m.priority)?;
            opt_u32(p, &mut m.weight)
        })
    })?;
    col(p, v, |p, x| {
        choice(
            p,
            &mut x.affinity,
            &[A::Single, A::None, A::Network],
            "affinity",
        )
    })?;
    col(p, v, |p, x| {
        let all = [M::Unicast, M::Multicast, M::IgmpMulticast];
        choice(p, &mut x.mode, &all, "NLB mode")
    })?;

    let v = &mut d.clients;
    col(p, v, |p, x| p.string(&mut x.id))?;
    col(p, v, |p, x| p.text(&mut x.name))?;
    col(p, v, |p, x| p.string(&mut x.tier))?;
    col(p, v, |p, x| val32(p, &mut x.requests_per_second, 100))?;
    col(p, v, |p, x| val32(p, &mut x.client_ips, 1_000))?;
    positions(p, v, |x| &mut x.at)?;

    let v = &mut d.tiers;
    col(p, v, |p, x| p.string(&mut x.name))?;
    col(p, v, |p, x| list(p, &mut x.depends_on, |p, t| p.string(t)))?;

    let v = &mut s.faults;
    col(p, v, |p, x| ms(p, &mut x.at_ms, 0))?;
    col(p, v, |p, x| boolf(p, &mut x.repair))?;
    col(p, v, |p, x| fault(p, &mut x.fault, version))?;
    if version >= 2 {
        added_in_v2(p, shared)?;
    }
    if version >= 3 {
        added_in_v3(p, shared)?;
    } else {
        // What version 3 added, at its defaults.
        for v in &mut shared.scenario.design.vms {
            v.memory_write_mb_s = 50;
        }
    }
    // The first page load (the editor alone) never reads or writes links.
    #[cfg(feature = "simulate")]
    if version >= 4 {
        added_in_v4(p, shared)?;
    }
    #[cfg(feature = "simulate")]
    if version >= 5 {
        added_in_v5(p, shared)?;
    }
    // The last numbers, only when there are any: a link without them is a v5 link's payload.
    #[cfg(feature = "simulate")]
    if version >= 6 {
        let s = &shared.scenario;
        let has = !s.recovery.is_empty()
            || s.design.links.iter().any(|l| l.bandwidth_mbps.is_some())
            || s.design.sites.iter().any(|x| !x.kind.is_on_premises());
        if p.more_nums(has) {
            added_in_v6(p, shared, version)?;
        }
    }
    Ok(())
}

#[cfg(feature = "simulate")]
/// Link version 6: WAN bandwidths and Hyper-V Replica relationships (issue 15); version 7
/// adds backup jobs and recovery plans after them, version 8 the sites' kinds (Azure).
fn added_in_v6<P: Pass>(p: &mut P, shared: &mut Shared, version: u32) -> R {
    let s = &mut shared.scenario;
    // Few cables have a bandwidth: the list of those that do (index, Mbit/s).
    p.column();
    let links = &mut s.design.links;
    let mut set: Vec<(u32, u32)> = (links.iter().enumerate())
        .filter_map(|(i, l)| Some((i as u32, l.bandwidth_mbps?)))
        .collect();
    let n = p.len(set.len())?;
    set.resize(n, (0, 0));
    col(p, &mut set, |p, x| val32(p, &mut x.0, 0))?;
    col(p, &mut set, |p, x| val32(p, &mut x.1, 100))?;
    for (i, bw) in set {
        let link = links
            .get_mut(i as usize)
            .ok_or(LinkError::Damaged("a bandwidth names no cable"))?;
        link.bandwidth_mbps = Some(bw);
    }
    let r = &mut s.recovery.replicas;
    p.column();
    let n = p.len(r.len())?;
    r.resize_with(n, || crate::model::recovery::Replica {
        vm: Id::new(),
        to: Id::new(),
        every_s: 300,
        change_mb_per_min: crate::model::recovery::CHANGE_MB_PER_MIN,
        disk_gb: crate::model::recovery::DISK_GB,
        storage: None,
        hourly_points: 0,
    });
    col(p, r, |p, x| p.string(&mut x.vm))?;
    col(p, r, |p, x| p.string(&mut x.to))?;
    col(p, r, |p, x| val32(p, &mut x.every_s, 300))?;
    col(p, r, |p, x| {
        val32(
            p,
            &mut x.change_mb_per_min,
            crate::model::recovery::CHANGE_MB_PER_MIN,
        )
    })?;
    col(p, r, |p, x| {
        val32(p, &mut x.disk_gb, crate::model::recovery::DISK_GB)
    })?;
    col(p, r, |p, x| opt_id(p, &mut x.storage))?;
    if version >= 7 {
        col(p, &mut s.recovery.replicas, |p, x| {
            val32(p, &mut x.hourly_points, 0)
        })?;
        backups(p, &mut s.recovery.backups)?;
        plans(p, &mut s.recovery.plans)?;
    }
    if version >= 8 {
        use crate::model::SiteKind::{Azure, OnPremises};
        col(p, &mut s.design.sites, |p, x| {
            choice(p, &mut x.kind, &[OnPremises, Azure], "site kind")
        })?;
    }
    Ok(())
}

#[cfg(feature = "simulate")]
/// Link version 7: backup jobs (issue 15).
fn backups<P: Pass>(p: &mut P, b: &mut Vec<crate::model::recovery::Backup>) -> R {
    use crate::model::recovery as r;
    p.column();
    let n = p.len(b.len())?;
    if n > validate::MAX_COMPONENTS {
        return Err(range("backup jobs"));
    }
    b.resize_with(n, || r::Backup {
        vms: Vec::new(),
        to: Id::new(),
        every_h: r::BACKUP_EVERY_H,
        last_min_ago: r::BACKUP_LAST_MIN_AGO,
        keep_days: r::KEEP_DAYS,
        app_consistent: false,
        verify: false,
        immutable: false,
    });
    col(p, b, |p, x| ids(p, &mut x.vms))?;
    col(p, b, |p, x| p.string(&mut x.to))?;
    col(p, b, |p, x| val32(p, &mut x.every_h, r::BACKUP_EVERY_H))?;
    col(p, b, |p, x| {
        val32(p, &mut x.last_min_ago, r::BACKUP_LAST_MIN_AGO)
    })?;
    col(p, b, |p, x| val32(p, &mut x.keep_days, r::KEEP_DAYS))?;
    col(p, b, |p, x| boolf(p, &mut x.app_consistent))?;
    col(p, b, |p, x| boolf(p, &mut x.verify))?;
    col(p, b, |p, x| boolf(p, &mut x.immutable))
}

#[cfg(feature = "simulate")]
/// Link version 7: recovery plans, after the backup jobs.
fn plans<P: Pass>(p: &mut P, v: &mut Vec<crate::model::recovery::RecoveryPlan>) -> R {
    p.column();
    let n = p.len(v.len())?;
    if n > validate::MAX_COMPONENTS {
        return Err(range("recovery plans"));
    }
    v.resize_with(n, Default::default);
    col(p, v, |p, x| p.string(&mut x.id))?;
    col(p, v, |p, x| {
        list(p, &mut x.groups, |p, g| {
            ids(p, &mut g.vms)?;
            val32(p, &mut g.delay_s, 0)?;
            // In the string table: a text here would be read as the (v5) lesson when there is none.
            opt(p, &mut g.manual, |p, t| p.string(t))
        })
    })
}

#[cfg(feature = "simulate")]
/// Link version 5: the lesson (issue 14), as its JSON text (mostly prose, which the deflate of
/// the whole wire compresses as well as any column would), last and only when there is one.
fn added_in_v5<P: Pass>(p: &mut P, shared: &mut Shared) -> R {
    let s = &mut shared.scenario;
    if !p.more_text(s.lesson.is_some()) {
        s.lesson = None;
        return Ok(());
    }
    let mut json = s
        .lesson
        .as_ref()
        .and_then(|l| serde_json::to_string(l).ok())
        .unwrap_or_default();
    p.text(&mut json)?;
    let lesson =
        serde_json::from_str(&json).map_err(|_| LinkError::Damaged("its lesson cannot be read"))?;
    s.lesson = Some(lesson);
    Ok(())
}

#[cfg(feature = "simulate")]
/// Link version 4: failure rates, repair times and availability targets (issue 13).
fn added_in_v4<P: Pass>(p: &mut P, shared: &mut Shared) -> R {
    let r = &mut shared.scenario.reliability;
    p.column();
    let n = p.len(r.rates.len())?;
    r.rates.resize_with(n, || FailureRate {
        id: Id::new(),
        failure: FailureKind::HostCrash,
        per_year: 0.0,
        repair_hours: 0.0,
    });
    col(p, &mut r.rates, |p, x| p.string(&mut x.id))?;
    col(p, &mut r.rates, |p, x| {
        choice(p, &mut x.failure, &FailureKind::ALL, "failure kind")
    })?;
    col(p, &mut r.rates, |p, x| f64f(p, &mut x.per_year))?;
    col(p, &mut r.rates, |p, x| f64f(p, &mut x.repair_hours))?;
    p.column();
    let n = p.len(r.targets.len())?;
    r.targets.resize_with(n, || SlaTarget {
        service: String::new(),
        percent: 0.0,
    });
    col(p, &mut r.targets, |p, x| p.string(&mut x.service))?;
    col(p, &mut r.targets, |p, x| f64f(p, &mut x.percent))
}

/// Link version 3: planned operations (issue 12), the drain's move-type threshold and each VM's
/// memory write rate.
fn added_in_v3<P: Pass>(p: &mut P, shared: &mut Shared) -> R {
    let s = &mut shared.scenario;
    p.column();
    opt_u32(p, &mut s.settings.timing.move_type_threshold)?;
    opt_u32(p, &mut s.settings.timing.auto_balancer_mode)?;
    opt_u32(p, &mut s.settings.timing.auto_balancer_level)?;
    opt_ms(p, &mut s.settings.timing.update_install_ms)?;
    opt_ms(p, &mut s.settings.timing.host_restart_ms)?;
    col(p, &mut s.design.vms, |p, x| {
        val32(p, &mut x.memory_write_mb_s, 50)
    })?;
    let n = p.len(s.operations.len())?;
    if n + s.faults.len() > super::check::MAX_FAULTS {
        return Err(LinkError::OutOfRange(format!(
            "it scripts more than {} faults and operations",
            super::check::MAX_FAULTS
        )));
    }
    s.operations.resize_with(n, || ScheduledOp {
        at_ms: 0,
        op: Operation::Start { host: Id::new() },
    });
    let v = &mut s.operations;
    col(p, v, |p, x| ms(p, &mut x.at_ms, 0))?;
    col(p, v, |p, x| operation(p, &mut x.op))
}

fn operation<P: Pass>(p: &mut P, o: &mut Operation) -> R {
    use Operation::*;
    let taken = std::mem::replace(o, Start { host: Id::new() });
    let (mut kind, mut a, mut b, mut failback) = match taken {
        LiveMigrate { vm, to } => (0, vm, to, Failback::default()),
        QuickMigrate { vm, to } => (1, vm, to, Failback::default()),
        Drain { host } => (2, host, Id::new(), Failback::default()),
        Resume { host, failback } => (3, host, Id::new(), failback),
        Shutdown { host } => (4, host, Id::new(), Failback::default()),
        Start { host } => (5, host, Id::new(), Failback::default()),
        AddNode { host, cluster } => (6, host, cluster, Failback::default()),
        Evict { host } => (7, host, Id::new(), Failback::default()),
        Update { cluster } => (8, cluster, Id::new(), Failback::default()),
        ForceQuorum { host } => (9, host, Id::new(), Failback::default()),
        // Link version 6 (Hyper-V Replica).
        Failover { vm, planned } => (
            if planned { 10 } else { 11 },
            vm,
            Id::new(),
            Failback::default(),
        ),
        // Link version 7 (backups).
        Restore { vm, to, instant } => (if instant { 13 } else { 12 }, vm, to, Failback::default()),
        TestFailover { vm, stop } => (
            if stop { 15 } else { 14 },
            vm,
            Id::new(),
            Failback::default(),
        ),
        ReverseReplication { vm } => (16, vm, Id::new(), Failback::default()),
        RunPlan { plan } => (17, plan, Id::new(), Failback::default()),
        FailoverToPoint { vm, point_ms } => {
            let mut kind = 18;
            p.raw(&mut kind)?;
            let (mut vm, mut point_ms) = (vm, point_ms);
            p.string(&mut vm)?;
            ms(p, &mut point_ms, 0)?;
            *o = FailoverToPoint { vm, point_ms };
            return Ok(());
        }
    };
    p.raw(&mut kind)?;
    p.string(&mut a)?;
    *o = match kind {
        18 => {
            let mut point_ms = 0;
            ms(p, &mut point_ms, 0)?;
            FailoverToPoint { vm: a, point_ms }
        }
        12 | 13 => {
            p.string(&mut b)?;
            Restore {
                vm: a,
                to: b,
                instant: kind == 13,
            }
        }
        0 | 1 | 6 => {
            p.string(&mut b)?;
            if kind == 6 {
                *o = AddNode {
                    host: a,
                    cluster: b,
                };
                return Ok(());
            }
            if kind == 0 {
                LiveMigrate { vm: a, to: b }
            } else {
                QuickMigrate { vm: a, to: b }
            }
        }
        2 => Drain { host: a },
        3 => {
            choice(p, &mut failback, &Failback::ALL, "failback")?;
            Resume { host: a, failback }
        }
        4 => Shutdown { host: a },
        5 => Start { host: a },
        7 => Evict { host: a },
        8 => Update { cluster: a },
        9 => ForceQuorum { host: a },
        10 | 11 => Failover {
            vm: a,
            planned: kind == 10,
        },
        14 | 15 => TestFailover {
            vm: a,
            stop: kind == 15,
        },
        16 => ReverseReplication { vm: a },
        17 => RunPlan { plan: a },
        _ => return Err(range("operation kind")),
    };
    Ok(())
}

/// Link version 2: what issue-10 fidelity added (ResiliencyLevel, RetryPeriodOnFailure, the
/// clock, VM start time, failback windows, cluster sets).
fn added_in_v2<P: Pass>(p: &mut P, shared: &mut Shared) -> R {
    use ResiliencyLevel::*;
    let s = &mut shared.scenario.settings;
    p.column();
    opt(p, &mut s.resiliency_level, |p, l| {
        choice(
            p,
            l,
            &[AlwaysIsolate, IsolateOnSpecialHeartbeat],
            "resiliency level",
        )
    })?;
    opt_ms(p, &mut s.timing.retry_period_ms)?;
    opt(p, &mut s.start_hour, hour)?;
    opt_ms(p, &mut s.timing.vm_start_ms)?;
    let d = &mut shared.scenario.design;
    col(p, &mut d.vms, |p, x| {
        opt(p, &mut x.failback_window, |p, w| {
            hour(p, &mut w.start_hour)?;
            hour(p, &mut w.end_hour)
        })
    })?;
    col(p, &mut d.clusters, |p, x| {
        list(p, &mut x.sets, |p, set| {
            p.string(&mut set.name)?;
            ids(p, &mut set.vms)?;
            list(p, &mut set.depends_on, |p, t| p.string(t))?;
            let all = [SetTrigger::Delay, SetTrigger::Online];
            choice(p, &mut set.trigger, &all, "set trigger")?;
            opt_ms(p, &mut set.startup_delay_ms)
        })
    })
}

/// An hour of the day, 0-23.
fn hour<P: Pass>(p: &mut P, h: &mut u8) -> R {
    let mut x = u32::from(*h);
    u32f(p, &mut x)?;
    *h = u8::try_from(x)
        .ok()
        .filter(|h| *h < 24)
        .ok_or_else(|| range("hour"))?;
    Ok(())
}

fn vm_columns<P: Pass>(p: &mut P, v: &mut [Vm]) -> R {
    use {Monitoring as Mo, Priority as Pr};
    col(p, v, |p, x| p.string(&mut x.id))?;
    col(p, v, |p, x| p.text(&mut x.name))?;
    col(p, v, |p, x| opt(p, &mut x.tier, |p, t| p.string(t)))?;
    col(p, v, |p, x| val32(p, &mut x.vcpus, 2))?;
    col(p, v, |p, x| val32(p, &mut x.memory_gb, 4))?;
    col(p, v, |p, x| val32(p, &mut x.replicas, 1))?;
    col(p, v, |p, x| ids(p, &mut x.hosts))?;
    col(p, v, |p, x| p.string(&mut x.storage))?;
    col(p, v, |p, x| {
        list(p, &mut x.nics, |p, n| {
            p.string(&mut n.switch)?;
            opt(p, &mut n.vlan, |p, vlan| {
                let mut x = u32::from(*vlan);
                u32f(p, &mut x)?;
                *vlan = u16::try_from(x).map_err(|_| range("VLAN"))?;
                Ok(())
            })?;
            boolf(p, &mut n.mac_spoofing)
        })
    })?;
    col(p, v, |p, x| {
        let all = [Pr::Medium, Pr::High, Pr::Low, Pr::NoAutoStart];
        choice(p, &mut x.priority, &all, "priority")
    })?;
    col(p, v, |p, x| ids(p, &mut x.preferred_owners))?;
    col(p, v, |p, x| ids(p, &mut x.possible_owners))?;
    col(p, v, |p, x| {
        opt(p, &mut x.anti_affinity, |p, t| p.string(t))
    })?;
    col(p, v, |p, x| {
        let all = [Mo::None, Mo::Heartbeat, Mo::Service];
        choice(p, &mut x.monitoring, &all, "monitoring")
    })?;
    col(p, v, |p, x| boolf(p, &mut x.shielded))?;
    col(p, v, |p, x| boolf(p, &mut x.failback))?;
    col(p, v, |p, x| ms(p, &mut x.boot_ms, 30_000))?;
    col(p, v, |p, x| val32(p, &mut x.cpu_utilization_pct, 20))
}
