//! The documented format example parses, validates and runs (docs cannot drift from the code).

use clusterlab::model::Scenario;
use clusterlab::model::validate::Severity;

#[test]
fn the_format_example_parses_validates_and_runs() {
    let doc = include_str!("../docs/scenario-format.md");
    let start = doc.find("```json\n").expect("a json example") + "```json\n".len();
    let end = start + doc[start..].find("```").unwrap();
    let scenario = Scenario::from_json(&doc[start..end]).unwrap();
    let errors: Vec<_> = scenario
        .validate()
        .into_iter()
        .filter(|p| p.severity == Severity::Error)
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let d = &scenario.design;
    assert!(
        !d.sites.is_empty()
            && !d.guest_clusters.is_empty()
            && !d.nlb_clusters.is_empty()
            && !d.tiers.is_empty()
    );
    let kinds: std::collections::HashSet<String> = scenario
        .faults
        .iter()
        .map(|f| {
            serde_json::to_value(&f.fault).unwrap()["fault"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(kinds.len(), 10, "every kind of fault appears: {kinds:?}");
    let mut e = clusterlab::sim::Engine::new(&scenario).unwrap();
    while e.advance(900_000) {
        e.check_invariants().unwrap();
    }
    // A round trip through JSON gives back the same scenario.
    assert_eq!(Scenario::from_json(&scenario.to_json()).unwrap(), scenario);
}
