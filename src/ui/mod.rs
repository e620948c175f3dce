//! The browser app (wasm32 only): a thin Leptos layer over `editor`. Components read the
//! editor through one signal and change it only by sending `Command`s.

#[cfg(feature = "simulate")]
mod actions;
#[cfg(feature = "simulate")]
mod analysis;
mod canvas;
#[cfg(feature = "simulate")]
mod export;
#[cfg(feature = "simulate")]
mod files;
mod handoff;
mod icons;
#[cfg(feature = "simulate")]
mod inspector;
/// The first load has no inspector: selecting something fetches the whole app, which has it.
#[cfg(not(feature = "simulate"))]
mod inspector {
    pub use super::simulator::Inspector;
}
mod keys;
#[cfg(feature = "simulate")]
mod lesson;
#[cfg(feature = "simulate")]
mod lesson_author;
#[cfg(feature = "simulate")]
mod library;
#[cfg(feature = "simulate")]
mod log;
#[cfg(feature = "simulate")]
mod migrate;
mod palette;
mod problems;
pub mod run;
mod saved;
#[cfg(not(feature = "simulate"))]
mod simulator;
#[cfg(feature = "simulate")]
mod stage;
mod theme;
#[cfg(feature = "simulate")]
mod timeline;
#[cfg(feature = "simulate")]
pub mod twin;
mod vlan;
#[cfg(feature = "simulate")]
pub mod workers;

use crate::editor::tool::{Effect, Palette, Tool, WitnessKind};
use crate::editor::{Command, Editor};
use crate::model::{StorageKind, Witness};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// The sample the page opens with when nothing was saved.
/// (examples/web-app-db.json without its layout whitespace: see build.rs.)
pub const SAMPLE: &str = include_str!(concat!(env!("OUT_DIR"), "/web-app-db.min.json"));

/// Canvas-to-screen mapping: screen = canvas x scale + translation (SVG user units).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct View {
    pub scale: f64,
    pub tx: f64,
    pub ty: f64,
}

impl Default for View {
    fn default() -> View {
        View {
            scale: 0.8,
            tx: 20.0,
            ty: 10.0,
        }
    }
}

/// The dialogs over the page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Panel {
    /// Gallery, recent work, a file or a pasted link.
    Open,
    /// The share link and exports.
    Share,
}

/// A message for the user in the status line.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Message {
    pub text: String,
    /// An error: shown as one (colour, icon) and announced at once (`role="alert"`).
    pub error: bool,
}

/// The status line: the last message, errors set apart from information.
#[component]
pub fn StatusLine(ui: Ui) -> impl IntoView {
    let error = move || ui.status.with(|m| m.error && !m.text.is_empty());
    view! {
        <p class="message" class:error=error role=move || if error() { "alert" } else { "status" }
            aria-live=move || if error() { "assertive" } else { "polite" } data-testid="status">
            {move || ui.status.with(|m| m.text.clone())}
        </p>
    }
}

/// Everything the page shares. Signals are `Copy`, so this is too.
#[derive(Clone, Copy)]
pub struct Ui {
    pub editor: RwSignal<Editor>,
    pub view: RwSignal<View>,
    pub tool: RwSignal<Tool>,
    /// The last message for the user: what happened, or an error (`say` and `fail`).
    pub status: RwSignal<Message>,
    pub help: RwSignal<bool>,
    /// Drags from a component draw connections (for touch, where there is no Alt key).
    pub connect_mode: RwSignal<bool>,
    /// The simulation of the scenario being edited.
    pub run: run::Run,
    pub panel: RwSignal<Option<Panel>>,
    /// The dark theme is on (see `theme`).
    pub dark: RwSignal<bool>,
    /// The top bar's overflow menu is open (narrow screens).
    pub more: RwSignal<bool>,
    /// Every single failure of the design, and a case of it opened in the player.
    #[cfg(feature = "simulate")]
    pub analysis: analysis::Analysis,
    /// Design B beside the run, on the same timeline.
    #[cfg(feature = "simulate")]
    pub twin: twin::Twin,
}

impl Ui {
    fn new(editor: Editor, status: String) -> Ui {
        let run = run::Run::new();
        Ui {
            run,
            editor: RwSignal::new(editor),
            view: RwSignal::new(View::default()),
            tool: RwSignal::new(Tool::Idle),
            // A message at start-up is always a problem (a save that could not be read).
            status: RwSignal::new(Message {
                error: !status.is_empty(),
                text: status,
            }),
            help: RwSignal::new(false),
            connect_mode: RwSignal::new(false),
            panel: RwSignal::new(None),
            dark: RwSignal::new(theme::start()),
            more: RwSignal::new(false),
            #[cfg(feature = "simulate")]
            analysis: analysis::Analysis::default(),
            #[cfg(feature = "simulate")]
            twin: twin::Twin::default(),
        }
    }

    /// Tells the user what happened.
    pub fn say(&self, text: impl Into<String>) {
        self.status.set(Message {
            text: text.into(),
            error: false,
        });
    }

    /// Tells the user what went wrong (shown as an error, announced at once).
    pub fn fail(&self, text: impl Into<String>) {
        self.status.set(Message {
            text: text.into(),
            error: true,
        });
    }

    /// Applies a command; an error becomes the status message and changes nothing.
    pub fn apply(&self, command: Command) {
        let mut result = Ok(());
        self.editor.update(|e| result = e.apply(command));
        match result {
            Ok(()) => self.say(""),
            Err(e) => self.fail(e),
        }
    }

    pub fn select(&self, ids: Vec<String>) {
        self.editor.update(|e| e.selection = ids);
    }

    /// Carries out what a pointer gesture asked for.
    pub fn run(&self, effects: Vec<Effect>) {
        for fx in effects {
            match fx {
                Effect::Apply(c) => self.apply(c),
                Effect::Select(ids) => self.select(ids),
                Effect::ToggleSelected(id) => self.editor.update(|e| {
                    if let Some(i) = e.selection.iter().position(|x| *x == id) {
                        e.selection.remove(i);
                    } else {
                        e.selection.push(id);
                    }
                }),
                Effect::Message(m) => self.say(m),
                Effect::DropOn { what, target } => self.drop_on(what, target),
            }
        }
    }

    /// A cluster or witness dropped on a host, or an NLB cluster on a VM.
    fn drop_on(&self, what: Palette, target: String) {
        let d = self.editor.with_untracked(|e| e.scenario().design.clone());
        let selection = self.editor.with_untracked(|e| e.selection.clone());
        match what {
            Palette::FailoverCluster => {
                let mut hosts: Vec<String> = selection
                    .into_iter()
                    .filter(|s| d.hosts.iter().any(|h| &h.id == s))
                    .collect();
                if !hosts.contains(&target) {
                    hosts.push(target);
                }
                self.apply(Command::GroupCluster { hosts });
            }
            Palette::NlbCluster => {
                let mut vms: Vec<String> = selection
                    .into_iter()
                    .filter(|s| d.vms.iter().any(|v| &v.id == s))
                    .collect();
                if !vms.contains(&target) {
                    vms.push(target);
                }
                self.apply(Command::GroupNlb { vms });
            }
            Palette::Witness(kind) => {
                let Some(cluster) = d.clusters.iter().find(|c| c.nodes.contains(&target)) else {
                    self.fail(format!(
                        "{target} is not in a failover cluster: group hosts into one first"
                    ));
                    return;
                };
                let pick =
                    |k: StorageKind| d.storage.iter().find(|s| s.kind == k).map(|s| s.id.clone());
                let witness = match kind {
                    WitnessKind::Cloud => Some(Witness::Cloud),
                    WitnessKind::Disk => {
                        pick(StorageKind::San).map(|storage| Witness::Disk { storage })
                    }
                    WitnessKind::FileShare => {
                        pick(StorageKind::Smb).map(|storage| Witness::FileShare { storage })
                    }
                };
                match witness {
                    Some(witness) => self.apply(Command::SetWitness {
                        cluster: cluster.id.clone(),
                        witness,
                    }),
                    None => self.fail(
                        "add a SAN LUN (disk witness) or an SMB share (file share witness) first",
                    ),
                }
            }
            Palette::New(_) | Palette::Vm => {}
        }
    }
}

/// A panic's message in the console. The first load writes just the message (the full hook with
/// its stack trace costs most of a kilobyte of the first load's budget); the whole app, the hook.
fn panic_hook() {
    #[cfg(feature = "simulate")]
    console_error_panic_hook::set_once();
    #[cfg(not(feature = "simulate"))]
    std::panic::set_hook(Box::new(|info| {
        let at = info.location().map(|l| (l.file(), l.line()));
        leptos::logging::error!("ClusterLab stopped at {at:?}: {:?}", info.payload_as_str());
    }));
}

/// Entry point of the page.
pub fn mount() {
    panic_hook();
    let body = document().body().expect("a page has a body");
    let ui = start();
    leptos::mount::mount_to(body, move || view! { <App ui=ui/> }).forget();
}

/// Mounts the app inside `parent` (tests use this) and returns its state, and a handle that
/// unmounts it (with its listeners and its run) when dropped.
pub fn mount_in(parent: web_sys::HtmlElement) -> (Ui, Box<dyn std::any::Any>) {
    panic_hook();
    let ui = start();
    let handle = leptos::mount::mount_to(parent, move || view! { <App ui=ui/> });
    (ui, Box::new(handle))
}

/// Opens the saved work, or the sample; a broken save is kept aside, never overwritten. The
/// whole app started by the first Simulate takes the editor over and opens in Simulate mode.
fn start() -> Ui {
    #[cfg(feature = "simulate")]
    add_full_style();
    #[cfg(feature = "simulate")]
    if let Some(taken) = handoff::take_over() {
        let ui = Ui::new(taken.editor, String::new());
        match taken.then.as_str() {
            "open" => ui.panel.set(Some(Panel::Open)),
            "share" => ui.panel.set(Some(Panel::Share)),
            // The link in the address opens as the app mounts (`files::listen`); an edit
            // (the inspector) goes on where it was.
            "link" | "edit" | "lesson" => {}
            "help" => ui.help.set(true),
            "analyze" => ui.run.mode.set(run::Mode::Analyze),
            _ => ui.run.mode.set(run::Mode::Simulate),
        }
        // The canvas stays as it was unless Simulate resizes it or a link replaces the design.
        if !matches!(
            taken.then.as_str(),
            "simulate" | "link" | "analyze" | "lesson"
        ) && let Some(v) = taken.view
        {
            ui.view.set(v);
        }
        if let Some(focus) = taken.focus {
            request_animation_frame(move || {
                let sel = format!("[data-testid=\"{focus}\"]");
                if let Some(el) = document()
                    .query_selector(&sel)
                    .ok()
                    .flatten()
                    .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
                {
                    let _ = el.focus();
                }
            });
        }
        return ui;
    }
    let (scenario, status) = saved::load();
    Ui::new(Editor::new(scenario), status)
}

#[component]
fn App(ui: Ui) -> impl IntoView {
    // Effects and listeners belong to the mounted app (its owner and executor).
    saved::autosave(ui);
    keys::listen(ui);
    #[cfg(feature = "simulate")]
    {
        on_cleanup(move || ui.run.set_playing(false));
        // While simulating, the run follows every edit of the scenario (design or fault script),
        // or shows a case opened from the analysis; editing in Design mode runs no engine.
        leptos::prelude::Effect::new(move |_| {
            if ui.run.mode.get() == run::Mode::Simulate {
                ui.editor
                    .with(|e| match ui.analysis.scenario_to_run(e.scenario()) {
                        Some(case) => ui.run.follow(&case),
                        None => ui.run.follow(e.scenario()),
                    });
            }
        });
        // Design B beside the run follows its moment.
        twin::follow(ui);
        // A lesson opens in student mode (its lock holds) unless the page is in author mode.
        lesson::follow_mode(ui);
        // In Analyze mode the analysis follows the design: a run on entering, and again a
        // moment after each edit (meanwhile the old results show as stale).
        leptos::prelude::Effect::new(move |_| {
            if ui.run.mode.get() == run::Mode::Analyze {
                ui.editor.track();
                analysis::follow(ui);
            }
        });
    }
    #[cfg(not(feature = "simulate"))]
    {
        simulator::hand_over_when_loaded(ui);
        // Links are read by the whole app: fetch it at once rather than show the old work.
        let check_address = move || match saved::new_fragment_in_address() {
            Some(f) if crate::share::is_link(&f) => simulator::load(ui, "link"),
            Some(_) => ui.fail(saved::link_error(&crate::share::NotALink)),
            None => {}
        };
        check_address();
        // A lesson needs the whole app (its card and its lock): a reload must not show it
        // without them.
        if ui.editor.with_untracked(|e| e.scenario().lesson.is_some()) {
            simulator::load(ui, "lesson");
        }
        let link = window_event_listener_untyped("hashchange", move |_| check_address());
        on_cleanup(move || link.remove());
    }
    #[cfg(feature = "simulate")]
    files::listen(ui);
    // Once laid out, show the whole design and record when the first render happened.
    // (A view handed over by the first-load module is kept.)
    let handed = ui.view.get_untracked() != View::default();
    request_animation_frame(move || {
        if !handed {
            canvas::fit(ui);
        }
        if let Some(body) = document().body() {
            let ms = window().performance().map(|p| p.now()).unwrap_or_default();
            let _ = body.set_attribute("data-first-render-ms", &format!("{ms:.0}"));
        }
    });
    let undo_title = move || {
        ui.editor.with(|e| {
            e.undo_label()
                .map(|l| format!("Undo {l} (Ctrl+Z)"))
                .unwrap_or_else(|| "Nothing to undo".into())
        })
    };
    let redo_title = move || {
        ui.editor.with(|e| {
            e.redo_label()
                .map(|l| format!("Redo {l} (Ctrl+Shift+Z)"))
                .unwrap_or_else(|| "Nothing to redo".into())
        })
    };
    let name = move || ui.editor.with(|e| e.scenario().name.clone());
    let simulating = move || ui.run.mode.get() == run::Mode::Simulate;
    let analyzing = move || ui.run.mode.get() == run::Mode::Analyze;
    let designing = move || ui.run.mode.get() == run::Mode::Design;
    view! {
        <div class="app" class:simulate=simulating class:analyze=analyzing>
            <header class="topbar">
                <h1>"ClusterLab"</h1>
                <span class="scenario-name" data-testid="scenario-name">{name}</span>
                <div class="actions" role="toolbar" aria-label="Edit">
                    <button data-testid="undo" title=undo_title aria-label="Undo"
                        prop:disabled=move || ui.editor.with(|e| e.undo_label().is_none())
                        on:click=move |_| { ui.editor.update(|e| { e.undo(); }); }>"↶ "<span class="word">"Undo"</span></button>
                    <button data-testid="redo" title=redo_title aria-label="Redo"
                        prop:disabled=move || ui.editor.with(|e| e.redo_label().is_none())
                        on:click=move |_| { ui.editor.update(|e| { e.redo(); }); }>"↷ "<span class="word">"Redo"</span></button>
                    // Less-used tools: inline on wide screens, behind "⋯" on narrow ones.
                    <button class="more-toggle" data-testid="more" title="More tools" aria-label="More tools"
                        aria-haspopup="true" aria-expanded=move || ui.more.get().to_string()
                        on:click=move |_| ui.more.update(|m| *m = !*m)>"⋯"</button>
                    <div class="tools" class:open=move || ui.more.get() data-testid="tools"
                        on:click=move |_| ui.more.set(false)>
                        <button data-testid="connect-mode" title="Connect: drag from one component to another (or hold Alt)"
                            aria-pressed=move || ui.connect_mode.get().to_string()
                            class:active=move || ui.connect_mode.get()
                            on:click=move |_| ui.connect_mode.update(|c| *c = !*c)>"⤳ Connect"</button>
                        <button title="Zoom in" aria-label="Zoom in" on:click=move |_| canvas::zoom_by(ui, 1.25)>"+"</button>
                        <button title="Zoom out" aria-label="Zoom out" on:click=move |_| canvas::zoom_by(ui, 0.8)>"−"</button>
                        <button title="Fit to view (Shift+1)" aria-label="Fit to view" on:click=move |_| canvas::fit(ui)>"Fit"</button>
                        <button data-testid="theme" title="Dark theme (remembered)" aria-label="Dark theme"
                            aria-pressed=move || ui.dark.get().to_string()
                            on:click=move |_| theme::toggle(ui.dark)>"◐"</button>
                        <button title="Keyboard shortcuts (?)" aria-label="Keyboard shortcuts" on:click=move |_| ui.help.update(|h| *h = !*h)>"?"</button>
                    </div>
                </div>
                <div class="actions" role="toolbar" aria-label="Scenario">
                    <button data-testid="open" title="Gallery, recent work, files and links" on:click=move |_| show_panel(ui, Panel::Open)>"Open…"</button>
                    <button data-testid="share" title="Link to this scenario, exports" on:click=move |_| show_panel(ui, Panel::Share)>"Share…"</button>
                </div>
                <div class="modes" role="tablist" aria-label="Mode">
                    <button role="tab" data-testid="mode-design" aria-selected=move || designing().to_string()
                        class:active=designing on:click=move |_| set_mode(ui, run::Mode::Design)>"Design"</button>
                    <button role="tab" data-testid="mode-simulate" aria-selected=move || simulating().to_string()
                        class:active=simulating on:click=move |_| set_mode(ui, run::Mode::Simulate)>"Simulate"</button>
                    <button role="tab" data-testid="mode-analyze" aria-selected=move || analyzing().to_string()
                        title="Every single failure, each its own run"
                        class:active=analyzing on:click=move |_| set_mode(ui, run::Mode::Analyze)>"Analyze"</button>
                </div>
                <Show when=simulating>{move || run_controls(ui)}</Show>
            </header>
            <Show when=designing>
                <palette::Palette ui=ui/>
            </Show>
            <canvas::Canvas ui=ui/>
            {lesson_card(ui)}
            <Show when=designing fallback=move || run_panels(ui)>
                <inspector::Inspector ui=ui/>
                <problems::StatusArea ui=ui/>
            </Show>
            <Show when=move || ui.help.get()>
                {move || help_sheet(ui)}
            </Show>
            <Show when=move || ui.panel.get().is_some()>{move || dialog(ui)}</Show>
        </div>
    }
}

/// The run's and the inspector's styles come with the whole app: the first load carries only
/// the editor's.
#[cfg(feature = "simulate")]
fn add_full_style() {
    let doc = document();
    if doc.get_element_by_id("clusterlab-run-style").is_some() {
        return;
    }
    if let (Ok(style), Some(head)) = (doc.create_element("style"), doc.head()) {
        style.set_id("clusterlab-run-style");
        style.set_text_content(Some(concat!(
            include_str!("../../style/simulate.css"),
            include_str!("../../style/inspector.css")
        )));
        let _ = head.append_child(&style);
    }
}

/// Open and Share need the whole app (codec, gallery): the first load fetches it first.
fn show_panel(ui: Ui, panel: Panel) {
    #[cfg(feature = "simulate")]
    ui.panel.set(Some(panel));
    #[cfg(not(feature = "simulate"))]
    simulator::load(
        ui,
        match panel {
            Panel::Open => "open",
            Panel::Share => "share",
        },
    );
}

fn dialog(ui: Ui) -> AnyView {
    #[cfg(feature = "simulate")]
    return view! { <files::Dialog ui=ui/> }.into_any();
    #[cfg(not(feature = "simulate"))]
    {
        let _ = ui;
        ().into_any()
    }
}

/// The keyboard shortcuts sheet; the first load fetches the whole app to show it.
fn help_sheet(ui: Ui) -> AnyView {
    #[cfg(feature = "simulate")]
    return view! { <keys::Shortcuts ui=ui/> }.into_any();
    #[cfg(not(feature = "simulate"))]
    {
        simulator::load(ui, "help");
        ().into_any()
    }
}

/// The run's controls in the top bar (only with the simulator).
fn run_controls(ui: Ui) -> AnyView {
    #[cfg(feature = "simulate")]
    return view! { <timeline::Controls ui=ui/> }.into_any();
    #[cfg(not(feature = "simulate"))]
    {
        let _ = ui;
        ().into_any()
    }
}

/// The lesson's card over the canvas (the whole app only: the first load hands a lesson over).
fn lesson_card(ui: Ui) -> AnyView {
    #[cfg(feature = "simulate")]
    return view! { <lesson::Card ui=ui/> }.into_any();
    #[cfg(not(feature = "simulate"))]
    {
        let _ = ui;
        ().into_any()
    }
}

/// The run's panels: faults and log beside the canvas, timeline and charts below it; in
/// Analyze mode, the analysis.
fn run_panels(ui: Ui) -> AnyView {
    #[cfg(feature = "simulate")]
    return view! {
        <Show when=move || ui.run.mode.get() == run::Mode::Analyze fallback=move || simulate_panels(ui)>
            <analysis::Panel ui=ui/>
            <section class="bottom analysis-status"><StatusLine ui=ui/></section>
        </Show>
    }
    .into_any();
    #[cfg(not(feature = "simulate"))]
    {
        let _ = ui;
        ().into_any()
    }
}

#[cfg(feature = "simulate")]
fn simulate_panels(ui: Ui) -> AnyView {
    view! {
        <aside class="side" aria-label="Run">
            <analysis::OpenedBanner ui=ui/>
            <twin::Toggle ui=ui/>
            <actions::FaultPanel ui=ui/>
            <log::EventLog ui=ui/>
        </aside>
        <section class="bottom" aria-label="Timeline and charts">
            <StatusLine ui=ui/>
            <timeline::Timeline ui=ui/>
            <div class="bottom-row">
                <timeline::Charts ui=ui/>
                <timeline::Clusters ui=ui/>
            </div>
        </section>
    }
    .into_any()
}

/// Switches between editing the design and running it.
#[cfg(feature = "simulate")]
pub fn set_mode(ui: Ui, mode: run::Mode) {
    if ui.run.mode.get_untracked() == mode {
        return;
    }
    ui.tool.set(Tool::Idle);
    ui.run.menu.set(None);
    if mode != run::Mode::Simulate {
        ui.run.set_playing(false);
    } else {
        // Catch up with the edits made in Design mode before showing the run.
        ui.editor
            .with_untracked(|e| match ui.analysis.scenario_to_run(e.scenario()) {
                Some(case) => ui.run.follow(&case),
                None => ui.run.follow(e.scenario()),
            });
        if ui.run.snap.with_untracked(Option::is_none) {
            let first = ui
                .run
                .with_player(|p| p.problems().first().map(|x| x.message.clone()));
            ui.fail(format!(
                "the design cannot run until its errors are fixed{}",
                first.map(|m| format!(": {m}")).unwrap_or_default()
            ));
        }
    }
    ui.run.mode.set(mode);
    // The canvas changes size with the panels around it.
    request_animation_frame(move || canvas::fit(ui));
}

/// Without the simulator compiled in, Simulate loads it (the whole app), which takes over.
#[cfg(not(feature = "simulate"))]
pub fn set_mode(ui: Ui, mode: run::Mode) {
    match mode {
        run::Mode::Simulate => simulator::load(ui, "simulate"),
        run::Mode::Analyze => simulator::load(ui, "analyze"),
        run::Mode::Design => return,
    }
    ui.tool.set(Tool::Idle);
}

/// The root `<svg>` element of the canvas, for coordinate conversion.
pub(crate) fn svg_element() -> Option<web_sys::SvgGraphicsElement> {
    document()
        .query_selector("svg.canvas")
        .ok()
        .flatten()
        .and_then(|e| e.dyn_into().ok())
}
