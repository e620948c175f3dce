//! Share links: round trips, golden links, clear errors for bad ones.

mod common;

use clusterlab::model::Scenario;
use clusterlab::share::{self, LinkError, Shared};
use common::random::Gen;
use common::{EXAMPLES, example};
use proptest::prelude::*;

fn link(s: &Scenario) -> String {
    share::encode(&Shared {
        scenario: s.clone(),
        at_ms: None,
    })
    .unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn link_round_trip_gives_back_the_same_scenario(seed in any::<u64>()) {
        let shared = Gen::new(seed).shared();
        let fragment = share::encode(&shared).unwrap();
        prop_assert!(fragment.starts_with("v8."));
        prop_assert_eq!(share::decode(&fragment).unwrap(), shared.clone());
        // As pasted: a whole URL with a '#', spaces around.
        let url = format!("  https://example.org/lab/#{fragment}\n");
        prop_assert_eq!(share::decode(&url).unwrap(), shared);
    }

    #[test]
    fn json_file_round_trip_gives_back_the_same_scenario(seed in any::<u64>()) {
        let s = Gen::new(seed).scenario();
        prop_assert_eq!(Scenario::from_json(&s.to_json()).unwrap(), s);
    }
}

#[test]
fn every_example_travels_as_a_link() {
    for name in EXAMPLES {
        let s = example(name);
        let fragment = link(&s);
        assert!(
            fragment.len() < share::WARN_LINK_CHARS,
            "{name}: {}",
            fragment.len()
        );
        assert_eq!(share::decode(&fragment).unwrap().scenario, s, "{name}");
    }
}

#[test]
fn the_time_to_open_at_travels_too() {
    let shared = Shared {
        scenario: example("host-cluster"),
        at_ms: Some(95_500),
    };
    let back = share::decode(&share::encode(&shared).unwrap()).unwrap();
    assert_eq!(back.at_ms, Some(95_500));
}

/// Links committed when each version was made (v1 and v2-*): every later version must open them
/// to the same scenario.
#[test]
fn golden_links_still_open_to_the_same_scenarios() {
    let dir = format!("{}/tests/data/links", env!("CARGO_MANIFEST_DIR"));
    let mut checked = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "link") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let mut lines = text.lines();
        let fragment = lines.next().unwrap();
        let at_ms = lines
            .next()
            .and_then(|l| l.strip_prefix("at_ms="))
            .map(|t| t.parse().unwrap());
        let json = std::fs::read_to_string(path.with_extension("json")).unwrap();
        let want = Shared {
            scenario: Scenario::from_json(&json).unwrap(),
            at_ms,
        };
        assert_eq!(share::decode(fragment).unwrap(), want, "{}", path.display());
        checked += 1;
    }
    assert!(checked >= 5, "only {checked} golden links in {dir}");
}

fn error(link: &str) -> String {
    share::decode(link).unwrap_err().to_string()
}

#[test]
fn bad_links_say_what_is_wrong() {
    let good = link(&example("web-app-db"));
    assert_eq!(
        error("https://example.org/#"),
        "the link holds no scenario (nothing after the #)"
    );
    assert!(error("#hello").contains("not a ClusterLab scenario link"));
    assert!(error("#v9.AAAA").contains("made by a newer ClusterLab (link version 9"));
    assert!(error("#vx.AAAA").contains("unknown link version \"x\""));
    assert!(
        error(&format!("#{}<script>", good)).contains("characters a ClusterLab link never has")
    );
    // Cut short when copied.
    let cut = &good[..good.len() * 2 / 3];
    assert!(
        error(cut).starts_with("the link is damaged"),
        "{}",
        error(cut)
    );
    let long = format!("#v1.{}", "A".repeat(share::MAX_LINK_CHARS));
    assert!(error(&long).contains("characters long"));
    // A number no file can hold (NaN has no JSON) is refused, not opened unequal to itself.
    let mut odd = example("web-app-db");
    odd.reliability
        .targets
        .push(clusterlab::model::reliability::SlaTarget {
            service: "web".into(),
            percent: f64::NAN,
        });
    let refused = share::encode(&share::Shared {
        scenario: odd,
        at_ms: None,
    })
    .unwrap_err();
    assert_eq!(
        refused.to_string(),
        "the scenario in the link is not usable: web's failure rate, repair time or target is not a number"
    );
}

/// Deflate bombs: a tiny payload that unpacks to gigabytes stops at the limit, at once.
#[test]
fn decompression_bombs_are_refused() {
    use base64::Engine as _;
    let zeros = vec![0u8; 64 << 20];
    let bomb = miniz_oxide::deflate::compress_to_vec(&zeros, 10);
    let fragment = format!(
        "v1.{}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&bomb)
    );
    assert!(fragment.len() < share::MAX_LINK_CHARS, "{}", fragment.len());
    assert_eq!(share::decode(&fragment).unwrap_err(), LinkError::TooBig);
}

/// What a link may hold is checked after decoding, and a link is never made of what would not
/// decode.
#[test]
fn limits_hold_both_ways() {
    let mut s = example("host-cluster");
    s.faults[0].at_ms = share::MAX_TIME_MS + 1;
    let e = share::encode(&Shared {
        scenario: s,
        at_ms: None,
    })
    .unwrap_err();
    assert!(e.to_string().contains("beyond the 30-day limit"), "{e}");

    let mut s = example("host-cluster");
    s.design.vms[0].replicas = clusterlab::model::validate::MAX_REPLICAS + 1;
    assert!(
        share::encode(&Shared {
            scenario: s,
            at_ms: None
        })
        .is_err()
    );

    let mut s = example("host-cluster");
    s.name = "x".repeat(share::MAX_TEXT_CHARS + 1);
    assert!(
        share::encode(&Shared {
            scenario: s,
            at_ms: None
        })
        .is_err()
    );
}

/// The gallery offers every example, and every gallery link is short enough to paste in a chat.
#[test]
fn the_gallery_holds_every_example_with_a_short_link() {
    use clusterlab::gallery::SAMPLES;
    let mut files: Vec<String> =
        std::fs::read_dir(format!("{}/examples", env!("CARGO_MANIFEST_DIR")))
            .unwrap()
            .map(|e| {
                e.unwrap()
                    .path()
                    .file_stem()
                    .unwrap()
                    .to_string_lossy()
                    .into_owned()
            })
            .collect();
    files.sort();
    let mut ids: Vec<String> = SAMPLES.iter().map(|s| s.id.to_string()).collect();
    ids.sort();
    assert_eq!(ids, files);
    for s in &SAMPLES {
        let scenario = s.scenario();
        assert!(!scenario.description.is_empty(), "{}", s.id);
        // A design travels in under 400 characters; a lesson's prose in under 2 000.
        let n = link(&scenario).len();
        let most = if scenario.lesson.is_some() {
            2_000
        } else {
            400
        };
        assert!(n < most, "{}: {n} characters", s.id);
    }
}
