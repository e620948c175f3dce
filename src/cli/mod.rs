//! The command-line runner: `clusterlab run`, `validate`, `link`, `open`, `analyze`.

mod analyze;
mod grade;

use crate::model::Scenario;
use crate::model::validate::Severity;
use crate::share::{self, Shared};
use crate::sim::{Engine, Event, fmt_ms};
use clap::{Parser, Subcommand, ValueEnum};
use std::io::Write;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "clusterlab",
    version,
    about = "Simulate Hyper-V failover, guest and NLB clusters under failures"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run a scenario and print its event log.
    Run {
        /// Scenario file (JSON, see docs/scenario-format.md).
        scenario: String,
        /// Seed for the run's random choices (default: the scenario's seed).
        #[arg(long)]
        seed: Option<u64>,
        /// Simulated time to run, e.g. `90s`, `5m`, `1h` (default: last scripted fault or operation + 5m, at least 2m).
        #[arg(long, value_parser = parse_duration)]
        until: Option<u64>,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Print the problems of a scenario's design (exit code 1 if there are any).
    Validate {
        scenario: String,
        /// Fail on warnings too (exit code 1), as linters' --strict does.
        #[arg(long)]
        strict: bool,
    },
    /// Print the share-link fragment (`#v5.…`) of a scenario; append it to the page's address.
    Link {
        scenario: String,
        /// Open the run at this moment, e.g. `90s` or `5m`.
        #[arg(long, value_parser = parse_duration)]
        at: Option<u64>,
    },
    /// Print the scenario a share link holds, as JSON (a whole URL or just the fragment).
    Open { link: String },
    /// Run every single failure the design allows, each on its own, and say what each costs.
    Analyze {
        scenario: String,
        /// Also every pair of hosts crashing at once (N+2).
        #[arg(long)]
        pairs: bool,
        #[arg(long, value_enum, default_value_t = analyze::Format::Text)]
        format: analyze::Format,
        /// Another design to compare with, under the same failures.
        #[arg(long, value_name = "OTHER")]
        against: Option<String>,
    },
    /// Grade students' submissions against an instructor's lesson: each is run again, and one
    /// with a changed lesson or locked part is flagged.
    Grade {
        /// The instructor's scenario file, with its lesson.
        lesson: String,
        /// Submissions: scenario files, files holding a submission link, or folders of them.
        #[arg(required = true)]
        submissions: Vec<String>,
        /// One CSV row per student (for a learning management system).
        #[arg(long)]
        csv: bool,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Text,
    Jsonl,
}

fn parse_duration(s: &str) -> Result<u64, String> {
    if let Ok(secs) = s.parse::<u64>() {
        return secs
            .checked_mul(1000)
            .ok_or_else(|| "duration too long".to_string());
    }
    humantime::parse_duration(s)
        .map_err(|e| format!("{e} (try 90s, 5m or 1h)"))
        .and_then(|d| u64::try_from(d.as_millis()).map_err(|_| "duration too long".to_string()))
}

/// Entry point of the native binary.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let mut out = std::io::stdout().lock();
    let result = match cli.command {
        Command::Run {
            scenario,
            seed,
            until,
            format,
        } => run(&scenario, seed, until, format, &mut out),
        Command::Validate { scenario, strict } => validate(&scenario, strict, &mut out),
        Command::Link { scenario, at } => link(&scenario, at, &mut out),
        Command::Open { link } => open(&link, &mut out),
        Command::Analyze {
            scenario,
            pairs,
            format,
            against,
        } => analyze::analyze(&scenario, against.as_deref(), pairs, format, &mut out),
        Command::Grade {
            lesson,
            submissions,
            csv,
        } => grade::grade(&lesson, &submissions, csv, &mut out),
    };
    match result {
        Ok(code) => code,
        Err(message) => {
            let _ = out.flush();
            eprintln!("clusterlab: {message}");
            ExitCode::from(2)
        }
    }
}

pub(crate) fn load(path: &str) -> Result<Scenario, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read {path}: {e}"))?;
    Scenario::from_json(&text).map_err(|e| format!("{path}: {e}"))
}

/// Default run length: five minutes past the last scripted fault or operation, at least two
/// minutes (an updating run of many nodes takes hours: pass `--until`).
pub fn default_until(s: &Scenario) -> u64 {
    let faults = s.faults.iter().map(|f| f.at_ms);
    let last = faults
        .chain(s.operations.iter().map(|o| o.at_ms))
        .max()
        .unwrap_or(0);
    (last + 300_000).max(120_000)
}

fn run(
    path: &str,
    seed: Option<u64>,
    until: Option<u64>,
    format: Format,
    out: &mut impl Write,
) -> Result<ExitCode, String> {
    let mut scenario = load(path)?;
    if let Some(seed) = seed {
        scenario.seed = seed;
    }
    let until = until.unwrap_or_else(|| default_until(&scenario));
    let mut engine = Engine::new(&scenario).map_err(|problems| {
        let list: Vec<String> = problems
            .iter()
            .map(|p| format!("  - {}", p.message))
            .collect();
        format!("{path} cannot run:\n{}", list.join("\n"))
    })?;
    engine.run_until(until);
    let mut text = String::new();
    for e in engine.events() {
        match format {
            Format::Jsonl => text += &serde_json::to_string(e).map_err(|e| e.to_string())?,
            Format::Text => text += &text_line(e),
        }
        text.push('\n');
    }
    if let Format::Text = format {
        let (served, dropped) = engine.metrics().requests_until(until);
        text += &format!(
            "-- {} simulated, {} events; client requests served {served}, dropped {dropped}\n",
            fmt_ms(until),
            engine.events().len()
        );
    }
    write_all(out, &text)
}

/// Writes output; a reader that stops early (`| head`) is not an error.
/// A CSV field in double quotes (quotes inside doubled), for every CSV the CLI writes.
pub(crate) fn quote(s: &str) -> String {
    format!("\"{}\"", s.replace('"', "\"\""))
}

pub(crate) fn write_all(out: &mut impl Write, text: &str) -> Result<ExitCode, String> {
    match out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(e.to_string()),
        _ => Ok(ExitCode::SUCCESS),
    }
}

fn text_line(e: &Event) -> String {
    let kind = serde_json::to_value(e.kind)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default();
    format!(
        "{:>10.3} s  {:<24} {}",
        e.t_ms as f64 / 1000.0,
        kind,
        e.message
    )
}

fn link(path: &str, at_ms: Option<u64>, out: &mut impl Write) -> Result<ExitCode, String> {
    let scenario = load(path)?;
    let fragment = share::encode(&Shared { scenario, at_ms })
        .map_err(|e| format!("{path} cannot be shared as a link: {e}"))?;
    write_all(out, &format!("#{fragment}\n"))
}

fn open(link: &str, out: &mut impl Write) -> Result<ExitCode, String> {
    let shared = share::decode(link).map_err(|e| format!("cannot open the link: {e}"))?;
    if let Some(at) = shared.at_ms {
        eprintln!("clusterlab: the link opens the run at {}", fmt_ms(at));
    }
    write_all(out, &(shared.scenario.to_json() + "\n"))
}

/// Prints every problem; exits 1 on an error (or, with `strict`, on a warning), else 0.
fn validate(path: &str, strict: bool, out: &mut impl Write) -> Result<ExitCode, String> {
    let scenario = load(path)?;
    let problems = scenario.validate();
    if problems.is_empty() {
        return write_all(out, &format!("{path}: no problems\n"));
    }
    let mut text = String::new();
    for p in &problems {
        let label = match p.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        text += &format!("{label}: {}\n", p.message);
    }
    write_all(out, &text)?;
    let fails = problems
        .iter()
        .any(|p| strict || p.severity == Severity::Error);
    Ok(ExitCode::from(u8::from(fails)))
}
