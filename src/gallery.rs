//! The sample scenarios the page offers, in teaching order. Each one's description says what
//! happens and what to try; the files live in `examples/` (the format is docs/scenario-format.md).

use crate::model::Scenario;

pub struct Sample {
    pub id: &'static str,
    pub json: &'static str,
}

macro_rules! samples {
    ($($id:literal),* $(,)?) => {
        [$(Sample { id: $id, json: include_str!(concat!("../examples/", $id, ".json")) }),*]
    };
}

pub const SAMPLES: [Sample; 25] = samples![
    "web-app-db",
    "host-cluster",
    "guest-cluster",
    "vm-failure-host-vs-guest",
    "host-failure-host-vs-guest",
    "lesson-sql-vm-crash",
    "nlb-vs-failover",
    "local-storage",
    "lesson-web-tier",
    "quorum-two-nodes",
    "quorum-two-nodes-witness",
    "quorum-three-nodes",
    "quorum-four-nodes",
    "quorum-four-nodes-witness",
    "lesson-quorum-witness",
    "replica-site-loss",
    "replica-to-azure",
    "ransomware-restore",
    "stretched-vs-replica",
    "live-vs-quick",
    "guest-eviction",
    "patch-tuesday",
    "scale-out",
    "sixteen-hosts",
    "max-cluster",
];

impl Sample {
    pub fn scenario(&self) -> Scenario {
        Scenario::from_json(self.json).expect("every sample parses (tests/share.rs)")
    }
}
