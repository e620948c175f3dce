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
    let ops: std::collections::HashSet<String> = scenario
        .operations
        .iter()
        .map(|o| {
            serde_json::to_value(o).unwrap()["op"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(ops.len(), 10, "every kind of operation appears: {ops:?}");
    let mut e = clusterlab::sim::Engine::new(&scenario).unwrap();
    while e.advance(900_000) {
        e.check_invariants().unwrap();
    }
    // A round trip through JSON gives back the same scenario.
    assert_eq!(Scenario::from_json(&scenario.to_json()).unwrap(), scenario);
}

/// Every row of the behaviour table in docs/simulation-model.md has a source and names tests
/// that exist.
#[test]
fn every_modelled_behaviour_has_a_source_and_a_test() {
    let doc = include_str!("../docs/simulation-model.md");
    let table = doc
        .split("## Behaviours, their sources and the tests that pin them")
        .nth(1)
        .expect("the behaviour table");
    let rows: Vec<&str> = table
        .lines()
        .filter(|l| l.starts_with("| ") && !l.starts_with("| behaviour"))
        .collect();
    assert!(rows.len() >= 30, "{} rows", rows.len());
    for row in rows {
        let cells: Vec<&str> = row.trim_matches('|').split('|').map(str::trim).collect();
        assert_eq!(cells.len(), 5, "{row}");
        let (source, tests) = (cells[3], cells[4]);
        assert!(
            source.contains("http") || source.contains("MicrosoftDocs/"),
            "no source address: {row}"
        );
        let named: Vec<&str> = tests.split('`').filter(|t| t.contains("::")).collect();
        assert!(!named.is_empty(), "no test: {row}");
        for t in named {
            let (file, function) = t.split_once("::").unwrap();
            let path = format!("{}/tests/{file}.rs", env!("CARGO_MANIFEST_DIR"));
            let text = std::fs::read_to_string(&path).unwrap_or_default();
            assert!(text.contains(&format!("fn {function}(")), "no test {t}");
        }
    }
}
