//! Share-link lengths for every gallery sample, what they would be without the v1 dictionary's
//! help on their texts, and the time to make and open each. Prints figures; asserts nothing.
//! Run: `cargo bench --bench links` (figures recorded in docs/performance.md).

use clusterlab::gallery::SAMPLES;
use clusterlab::share::{self, Shared};
use std::time::Instant;

/// A description the dictionary has never seen, as a user would write one.
const UNSEEN: &str = "Workshop 3, group B: we moved the reporting VM to the second rack and want \
to know whether the nightly batch still finishes if the storage controller reboots during it. \
Check the event log around 2 min and compare the availability chart with last week's run.";

fn time_us(runs: u32, mut f: impl FnMut()) -> f64 {
    let start = Instant::now();
    for _ in 0..runs {
        f();
    }
    start.elapsed().as_secs_f64() * 1e6 / f64::from(runs)
}

fn main() {
    println!(
        "{:<28} {:>7} {:>10} {:>10} {:>9} {:>9}",
        "sample", "link", "own text", "no text", "encode", "decode"
    );
    for s in &SAMPLES {
        let scenario = s.scenario();
        let shared = Shared {
            scenario: scenario.clone(),
            at_ms: None,
        };
        let link = share::encode(&shared).unwrap();
        let mut unseen = scenario.clone();
        unseen.name = format!("Group B variant of {}", s.id);
        unseen.description = UNSEEN.to_string();
        let own = share::encode(&Shared {
            scenario: unseen,
            at_ms: None,
        })
        .unwrap();
        let mut bare = scenario.clone();
        bare.name.clear();
        bare.description.clear();
        let bare = share::encode(&Shared {
            scenario: bare,
            at_ms: None,
        })
        .unwrap();
        let enc = time_us(200, || {
            std::hint::black_box(share::encode(&shared).unwrap());
        });
        let dec = time_us(200, || {
            std::hint::black_box(share::decode(&link).unwrap());
        });
        println!(
            "{:<28} {:>7} {:>10} {:>10} {:>7.0}us {:>7.0}us",
            s.id,
            link.len(),
            own.len(),
            bare.len(),
            enc,
            dec
        );
    }
    println!(
        "link: fragment characters after '#'; own text: the same design with a new {}-character description; no text: without name and description",
        UNSEEN.len()
    );
}
