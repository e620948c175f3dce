//! The JSON shape of a scheduled fault: `{"at_ms": 30000, "fault": "host_crash", "host": "h1"}`.
//! Read through one flat struct: clearer errors than serde's flattened tagged enum, and far less
//! code in the browser download.

use super::{Fault, Id, ScheduledFault};
use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawFault {
    at_ms: u64,
    #[serde(default, skip_serializing_if = "is_false")]
    repair: bool,
    fault: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    host: Option<Id>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    vm: Option<Id>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    switch: Option<Id>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    link: Option<Id>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    storage: Option<Id>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    site: Option<Id>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    a: Option<Vec<Id>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    b: Option<Vec<Id>>,
}

fn is_false(b: &bool) -> bool {
    !*b
}

const KINDS: &str = "host_crash, host_isolation, vm_crash, app_failure, guest_hang, switch_failure, link_cut, storage_failure, site_failure, partition";

impl TryFrom<RawFault> for ScheduledFault {
    type Error = String;

    fn try_from(r: RawFault) -> Result<ScheduledFault, String> {
        let kind = r.fault.as_str();
        let need =
            |v: Option<Id>, field: &str| v.ok_or_else(|| format!("fault {kind} needs \"{field}\""));
        let given = [
            ("host", r.host.is_some()),
            ("vm", r.vm.is_some()),
            ("switch", r.switch.is_some()),
            ("link", r.link.is_some()),
            ("storage", r.storage.is_some()),
            ("site", r.site.is_some()),
            ("a", r.a.is_some()),
            ("b", r.b.is_some()),
        ];
        let fault = match kind {
            "host_crash" => Fault::HostCrash {
                host: need(r.host, "host")?,
            },
            "host_isolation" => Fault::HostIsolation {
                host: need(r.host, "host")?,
            },
            "vm_crash" => Fault::VmCrash {
                vm: need(r.vm, "vm")?,
            },
            "app_failure" => Fault::AppFailure {
                vm: need(r.vm, "vm")?,
            },
            "guest_hang" => Fault::GuestHang {
                vm: need(r.vm, "vm")?,
            },
            "switch_failure" => Fault::SwitchFailure {
                switch: need(r.switch, "switch")?,
            },
            "link_cut" => Fault::LinkCut {
                link: need(r.link, "link")?,
            },
            "storage_failure" => Fault::StorageFailure {
                storage: need(r.storage, "storage")?,
            },
            "site_failure" => Fault::SiteFailure {
                site: need(r.site, "site")?,
            },
            "partition" => Fault::Partition {
                a: r.a.ok_or("fault partition needs \"a\" (one side)")?,
                b: r.b.ok_or("fault partition needs \"b\" (the other side)")?,
            },
            other => return Err(format!("unknown fault \"{other}\" (one of {KINDS})")),
        };
        let expected = RawFault::from(ScheduledFault {
            at_ms: 0,
            repair: false,
            fault: fault.clone(),
        });
        let wanted = [
            expected.host.is_some(),
            expected.vm.is_some(),
            expected.switch.is_some(),
            expected.link.is_some(),
            expected.storage.is_some(),
            expected.site.is_some(),
            expected.a.is_some(),
            expected.b.is_some(),
        ];
        if let Some(((field, _), _)) = given.iter().zip(wanted).find(|((_, g), w)| *g && !w) {
            return Err(format!("fault {kind} does not take \"{field}\""));
        }
        Ok(ScheduledFault {
            at_ms: r.at_ms,
            repair: r.repair,
            fault,
        })
    }
}

impl From<ScheduledFault> for RawFault {
    fn from(f: ScheduledFault) -> RawFault {
        let mut r = RawFault {
            at_ms: f.at_ms,
            repair: f.repair,
            fault: String::new(),
            host: None,
            vm: None,
            switch: None,
            link: None,
            storage: None,
            site: None,
            a: None,
            b: None,
        };
        r.fault = match f.fault {
            Fault::HostCrash { host } => (r.host = Some(host), "host_crash").1,
            Fault::HostIsolation { host } => (r.host = Some(host), "host_isolation").1,
            Fault::VmCrash { vm } => (r.vm = Some(vm), "vm_crash").1,
            Fault::AppFailure { vm } => (r.vm = Some(vm), "app_failure").1,
            Fault::GuestHang { vm } => (r.vm = Some(vm), "guest_hang").1,
            Fault::SwitchFailure { switch } => (r.switch = Some(switch), "switch_failure").1,
            Fault::LinkCut { link } => (r.link = Some(link), "link_cut").1,
            Fault::StorageFailure { storage } => (r.storage = Some(storage), "storage_failure").1,
            Fault::SiteFailure { site } => (r.site = Some(site), "site_failure").1,
            Fault::Partition { a, b } => {
                r.a = Some(a);
                r.b = Some(b);
                "partition"
            }
        }
        .to_string();
        r
    }
}
