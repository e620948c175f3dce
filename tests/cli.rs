//! The command-line runner, as a user calls it.

mod common;
use std::process::Command;

fn clusterlab(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_clusterlab"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

fn temp_file(name: &str, text: &str) -> String {
    let path = std::env::temp_dir().join(format!("clusterlab-test-{}-{name}", std::process::id()));
    std::fs::write(&path, text).unwrap();
    path.to_string_lossy().into_owned()
}

#[test]
fn run_prints_the_event_log_as_text() {
    let (code, out, err) = clusterlab(&["run", "examples/host-cluster.json"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("node_isolated"), "{out}");
    assert!(
        out.contains("host-2 is Isolated: host-1, host-3 missed"),
        "{out}"
    );
    // Default length: the last scripted fault (420 s) plus five minutes.
    assert!(
        out.trim_end()
            .ends_with("-- 12 min simulated, 14 events; client requests served 0, dropped 0"),
        "{out}"
    );
}

#[test]
fn run_prints_json_lines_with_the_documented_fields() {
    let (code, out, _) = clusterlab(&[
        "run",
        "examples/web-app-db.json",
        "--format",
        "jsonl",
        "--until",
        "2m",
    ]);
    assert_eq!(code, 0);
    let mut last = 0;
    for line in out.lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        let t = v["t_ms"].as_u64().unwrap();
        assert!(t >= last && t <= 120_000);
        last = t;
        assert!(
            v["kind"].is_string() && v["subjects"].is_array() && v["message"].is_string(),
            "{line}"
        );
    }
    assert!(out.lines().count() > 5);
}

#[test]
fn the_seed_flag_overrides_the_scenario_seed() {
    let run = |seed: &str| {
        clusterlab(&[
            "run",
            "examples/host-cluster.json",
            "--seed",
            seed,
            "--format",
            "jsonl",
        ])
        .1
    };
    let (a, b, c) = (run("1"), run("2"), run("1"));
    assert_eq!(a, c);
    assert_ne!(a, b);
}

#[test]
fn every_example_validates_cleanly() {
    for name in common::EXAMPLES {
        let (code, out, err) = clusterlab(&["validate", &format!("examples/{name}.json")]);
        if common::WARNED.contains(&name) {
            // A teaching example's deliberate warning is printed and passes; --strict fails it.
            assert_eq!(code, 0, "{name}: {out}{err}");
            assert!(
                out.starts_with("warning:") && !out.contains("error:"),
                "{name}: {out}"
            );
            let path = format!("examples/{name}.json");
            let (code, _, _) = clusterlab(&["validate", "--strict", &path]);
            assert_eq!(code, 1, "{name} with --strict");
        } else {
            assert_eq!(code, 0, "{name}: {out}{err}");
            assert!(out.contains("no problems"));
        }
    }
}

#[test]
fn validate_lists_problems_and_fails() {
    let path = temp_file(
        "bad.json",
        r#"{"name": "bad", "design": {"hosts": [{"id": "h1"}], "vms": [{"id": "v", "hosts": ["h9"], "storage": "nowhere"}]}}"#,
    );
    let (code, out, _) = clusterlab(&["validate", &path]);
    assert_eq!(code, 1);
    assert_eq!(
        out.trim(),
        "error: VM v is placed on host h9, which does not exist"
    );
    let (code, _, err) = clusterlab(&["run", &path]);
    assert_eq!(code, 2);
    assert!(err.contains("cannot run") && err.contains("h9"), "{err}");
}

#[test]
fn missing_and_malformed_files_get_a_clear_error_not_a_panic() {
    let (code, out, err) = clusterlab(&["run", "no/such/file.json"]);
    assert_eq!((code, out.as_str()), (2, ""));
    assert!(
        err.starts_with("clusterlab: cannot read no/such/file.json"),
        "{err}"
    );
    let path = temp_file("broken.json", "{\"name\": \"x\", \"design\": {\"hosts\": [");
    let (code, _, err) = clusterlab(&["validate", &path]);
    assert_eq!(code, 2);
    assert!(
        err.contains("not a valid scenario") && err.contains("line 1"),
        "{err}"
    );
    assert!(!err.contains("panicked"));
    let path = temp_file(
        "wrong.json",
        r#"{"name": "x", "design": {"hosts": [{"id": "h", "memory_gb": "lots"}]}}"#,
    );
    let (code, _, err) = clusterlab(&["run", &path]);
    assert_eq!(code, 2);
    assert!(err.contains("invalid type"), "{err}");
    let (code, _, err) = clusterlab(&["run", "examples/host-cluster.json", "--until", "soon"]);
    assert_eq!(code, 2);
    assert!(err.contains("try 90s, 5m or 1h"), "{err}");
}

#[test]
fn link_and_open_carry_a_scenario_both_ways() {
    let (code, fragment, err) = clusterlab(&["link", "examples/web-app-db.json", "--at", "90s"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        fragment.starts_with("#v8.") && fragment.len() < 400,
        "{fragment}"
    );
    let url = format!("https://clusterlab.example/{}", fragment.trim());
    let (code, json, err) = clusterlab(&["open", &url]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("opens the run at 90 s"), "{err}");
    let back = clusterlab::model::Scenario::from_json(&json).unwrap();
    assert_eq!(back, common::example("web-app-db"));
}

#[test]
fn open_explains_a_broken_link() {
    let (code, fragment, _) = clusterlab(&["link", "examples/host-cluster.json"]);
    assert_eq!(code, 0);
    let cut = &fragment.trim()[..60];
    let (code, out, err) = clusterlab(&["open", cut]);
    assert_eq!(code, 2);
    assert!(out.is_empty());
    assert_eq!(
        err.trim(),
        format!(
            "clusterlab: cannot open the link: {}",
            clusterlab::share::decode(cut).unwrap_err()
        )
    );
    assert!(err.contains("damaged"), "{err}");
}

#[test]
fn analyze_prints_every_single_failure_as_text_json_or_csv() {
    let (code, out, err) = clusterlab(&["analyze", "examples/host-cluster.json"]);
    assert_eq!(code, 0, "{err}");
    let mut lines = out.lines();
    assert_eq!(
        lines.next().unwrap(),
        "Host cluster: three clustered hosts: app survives 23 of 31 failures"
    );
    assert_eq!(
        lines.next().unwrap(),
        "31 failures, each from steady state at 60 s until quiet; worst first"
    );
    assert!(
        lines.next().unwrap().starts_with("  switch lan fails "),
        "{out}"
    );

    let (code, out, err) =
        clusterlab(&["analyze", "examples/host-cluster.json", "--format", "json"]);
    assert_eq!(code, 0, "{err}");
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(doc["outcomes"].as_array().unwrap().len(), 31);
    let first = &doc["outcomes"][0];
    assert_eq!(first["case"]["label"], "switch lan fails");
    assert_eq!(first["services"][0]["survived"], false);
    assert_eq!(first["quorum_lost"], true);

    let (code, out, err) =
        clusterlab(&["analyze", "examples/host-cluster.json", "--format", "csv"]);
    assert_eq!(code, 0, "{err}");
    let rows: Vec<&str> = out.lines().collect();
    assert_eq!(
        rows[0],
        "failure,service,survived,time_to_recover_ms,outage_ms,requests_lost,data_lost_ms,quorum_lost,per_year,downtime_per_year_ms,why"
    );
    assert_eq!(rows.len(), 32);
    // 0.25 crashes a year × 93 243 ms of full outage = 23 311 ms a year.
    assert!(
        rows.iter()
            .any(|r| r
                .starts_with("\"host-2 crashes\",\"app\",true,279172,93243,0,0,false,0.25,23311,")),
        "{out}"
    );
    // The text ends with the year of each service, its largest contributions under it.
    let (_, text, _) = clusterlab(&["analyze", "examples/host-cluster.json"]);
    let year = text
        .lines()
        .skip_while(|l| !l.starts_with("Availability over a year"))
        .nth(1)
        .unwrap();
    assert!(year.starts_with("  app: 99."), "{text}");
    assert!(year.contains(" nines), "), "{year}");
}

#[test]
fn analyze_against_another_design_says_which_does_better_where() {
    let mut b: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string("examples/host-cluster.json").unwrap())
            .unwrap();
    b["name"] = "Faster detection".into();
    b["settings"]["timing"]["resiliency_period_ms"] = 60_000.into();
    let b = temp_file("against-b.json", &b.to_string());
    let args = ["analyze", "examples/host-cluster.json", "--against", &b];
    let (code, out, err) = clusterlab(&args);
    assert_eq!(code, 0, "{err}");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines[0], "A: Host cluster: three clustered hosts");
    assert_eq!(lines[1], "  app survives 23 of 31 failures");
    assert!(out.contains("\nB: Faster detection\n"), "{out}");
    assert!(out.contains("\nB does better under "), "{out}");
    assert!(
        out.contains("  when host-2 crashes, B loses app for "),
        "{out}"
    );

    let (code, out, _) = clusterlab(&[&args[..], &["--format", "json"]].concat());
    assert_eq!(code, 0);
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(doc["a"]["outcomes"].as_array().unwrap().len(), 31);
    let d = doc["differences"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["case"] == "host-2 crashes")
        .unwrap();
    assert_eq!(d["better"], "B");
    assert_eq!(d["a_outage_ms"], 93_243);
    assert_eq!(d["b_outage_ms"], 93_243 - 180_000 * 334 / 1000);

    let (code, out, _) = clusterlab(&[&args[..], &["--format", "csv"]].concat());
    assert_eq!(code, 0);
    assert!(out.starts_with(
        "failure,service,better,a_survived,a_outage_ms,b_survived,b_outage_ms,difference\n"
    ));
    assert!(
        out.contains("\"host-2 crashes\",\"app\",B,true,93243,true,33123,"),
        "{out}"
    );

    // A bad other design is bad input too.
    let (code, _, err) = clusterlab(&[
        "analyze",
        "examples/host-cluster.json",
        "--against",
        "nope.json",
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("cannot read nope.json"), "{err}");
}

#[test]
fn analyze_refuses_bad_input_with_exit_code_2() {
    let (code, _, err) = clusterlab(&["analyze", "no-such-file.json"]);
    assert_eq!(code, 2);
    assert!(err.contains("cannot read no-such-file.json"), "{err}");
    let bad = temp_file("bad-analyze.json", "{\"name\": 1}");
    let (code, _, err) = clusterlab(&["analyze", &bad]);
    assert_eq!(code, 2);
    assert!(err.contains("not a valid scenario"), "{err}");
    // A design that cannot run says why.
    let broken = temp_file(
        "broken-analyze.json",
        r#"{"name": "x", "design": {"vms": [{"id": "v", "hosts": ["nowhere"], "storage": "s"}]}}"#,
    );
    let (code, _, err) = clusterlab(&["analyze", &broken]);
    assert_eq!(code, 2, "{err}");
}

/// A folder of submissions graded to CSV, pinned exactly: a fixed design, the design as handed
/// out, the same fix sent as a link, a file that is not a scenario, and a submission that moved
/// a locked disk and dropped checks from its lesson (flagged, 0). Record again with
/// `CLUSTERLAB_RECORD_GRADE=1 cargo test --test cli grade` after an intended change.
#[test]
fn grade_writes_one_csv_row_per_student_and_flags_tampering() {
    let (code, out, err) = clusterlab(&[
        "grade",
        "tests/data/grade/lesson.json",
        "tests/data/grade/submissions",
        "--csv",
    ]);
    assert_eq!(code, 0, "{err}");
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/grade/expected.csv");
    if std::env::var("CLUSTERLAB_RECORD_GRADE").is_ok() {
        std::fs::write(path, &out).unwrap();
    }
    assert_eq!(out, std::fs::read_to_string(path).unwrap());
    let rows: Vec<&str> = out.lines().collect();
    assert!(rows[2].starts_with("\"bob\",80,\"\",pass,"), "{}", rows[2]);
    assert!(
        rows[5].starts_with("\"mallory\",0,\"its lesson differs from the instructor's; db's storage is locked (db stays on the CSV)\""),
        "{}",
        rows[5]
    );
    // Text: a line per student, then each check.
    let (code, out, _) = clusterlab(&[
        "grade",
        "tests/data/grade/lesson.json",
        "tests/data/grade/submissions/bob.json",
    ]);
    assert_eq!(code, 0);
    assert!(
        out.starts_with("bob: 80 %\n  pass  prod has a witness: "),
        "{out}"
    );
    assert!(
        out.contains("  FAIL  db spans at least 2 hosts: db runs on 1 host(s): host-1\n"),
        "{out}"
    );
}

#[test]
fn grade_refuses_a_lesson_it_cannot_grade_against_with_exit_2() {
    let bob = "tests/data/grade/submissions/bob.json";
    let (code, _, err) = clusterlab(&["grade", "examples/web-app-db.json", bob]);
    assert_eq!(code, 2);
    assert!(
        err.contains("examples/web-app-db.json: it has no lesson to grade against"),
        "{err}"
    );
    let (code, _, err) = clusterlab(&["grade", "no/such.json", bob]);
    assert_eq!(code, 2);
    assert!(err.contains("cannot read no/such.json"), "{err}");
    let (code, _, err) = clusterlab(&["grade", "tests/data/grade/lesson.json", "no/such/folder"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("cannot read no/such/folder: no such file or folder"),
        "{err}"
    );
    let (code, _, _) = clusterlab(&["grade", "tests/data/grade/lesson.json"]);
    assert_eq!(code, 2);
}
