//! Scenarios in and out of the page: share links in the address, the gallery, recent work,
//! JSON files. Whatever opens, the work it replaces goes to the recent list first; whatever
//! fails to open says why and changes nothing.

use super::{Panel, Ui, export, library, run, saved};
use crate::gallery::SAMPLES;
use crate::model::Scenario;
use crate::share::{self, Shared};
use leptos::prelude::*;

/// Replaces the work in progress with `scenario`: the old one is kept in the recent list, and
/// Undo brings it back too. The address shows `link` (the link it came from) or nothing.
fn open(ui: Ui, scenario: Scenario, from: &str, link: Option<&str>) {
    ui.editor.with_untracked(|e| library::keep(e.scenario()));
    let name = scenario.name.clone();
    ui.editor.update(|e| e.replace(scenario));
    ui.editor.with_untracked(|e| saved::save_now(e.scenario()));
    // At once, so a seek right after lands in the new run (the follow effect runs later).
    if ui.run.mode.get_untracked() == run::Mode::Simulate {
        ui.editor.with_untracked(|e| ui.run.follow(e.scenario()));
    }
    ui.panel.set(None);
    ui.say(format!(
        "Opened {from} “{name}”. What was open before is under Open → Recent."
    ));
    request_animation_frame(move || super::canvas::fit(ui));
    set_address(link);
}

/// The page's address without its fragment.
fn page_address() -> String {
    let loc = window().location();
    format!(
        "{}{}{}",
        loc.origin().unwrap_or_default(),
        loc.pathname().unwrap_or_default(),
        loc.search().unwrap_or_default()
    )
}

/// Puts `fragment` in the address bar without a new history entry (or clears it), and
/// remembers it as where the work in progress came from.
fn set_address(fragment: Option<&str>) {
    let base = page_address();
    let url = match fragment {
        Some(f) => format!("{base}#{f}"),
        None => base,
    };
    if let Ok(h) = window().history() {
        let _ = h.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
    }
    saved::set_origin(fragment);
}

/// Opens the link in the address, unless the work in progress already came from it (a reload
/// keeps the edits made since).
pub fn open_address(ui: Ui) {
    let Some(fragment) = saved::new_fragment_in_address() else {
        return;
    };
    match share::decode(&fragment) {
        Ok(shared) => {
            open(ui, shared.scenario, "the shared scenario", Some(&fragment));
            super::set_mode(ui, run::Mode::Simulate);
            if let Some(t) = shared.at_ms {
                ui.run.seek(t);
            }
        }
        Err(e) => ui.fail(saved::link_error(&e)),
    }
}

/// Opens links now and whenever the address changes (pasted link, back, forward).
pub fn listen(ui: Ui) {
    open_address(ui);
    let handle = window_event_listener_untyped("hashchange", move |_| open_address(ui));
    on_cleanup(move || handle.remove());
}

/// The dialog for whichever panel is open.
#[component]
pub fn Dialog(ui: Ui) -> impl IntoView {
    let close = move || ui.panel.set(None);
    let dialog = NodeRef::<leptos::html::Section>::new();
    // Focus moves into the dialog, so keys and screen readers are there (Escape: `keys`).
    request_animation_frame(move || {
        if let Some(d) = dialog.get_untracked() {
            let _ = d.focus();
        }
    });
    view! {
        <div class="dialog-backdrop" on:click=move |_| close()>
            <section class="dialog" role="dialog" aria-modal="true" data-testid="dialog" tabindex="-1" node_ref=dialog
                aria-label=move || if ui.panel.get() == Some(Panel::Share) { "Share" } else { "Open" }
                on:click=|ev| ev.stop_propagation()>
                <button class="close" aria-label="Close" on:click=move |_| close()>"×"</button>
                {move || match ui.panel.get() {
                    Some(Panel::Share) => view! { <SharePanel ui=ui/> }.into_any(),
                    _ => view! { <OpenPanel ui=ui/> }.into_any(),
                }}
            </section>
        </div>
    }
}

#[component]
fn OpenPanel(ui: Ui) -> impl IntoView {
    let error = RwSignal::new(String::new());
    let recent = library::recent();
    let pasted = RwSignal::new(String::new());
    let open_pasted = move || match share::decode(&pasted.get_untracked()) {
        Ok(s) => open(ui, s.scenario, "the shared scenario", None),
        Err(e) => error.set(saved::link_error(&e)),
    };
    let on_file = move |ev: web_sys::Event| {
        let input: web_sys::HtmlInputElement = event_target(&ev);
        let Some(file) = input.files().and_then(|f| f.get(0)) else {
            return;
        };
        let name = file.name();
        leptos::task::spawn_local(async move {
            match read_file(&file).await.and_then(|t| scenario_from_file(&t)) {
                Ok(s) => open(ui, s, "the file", None),
                Err(e) => error.set(format!(
                    "{name} cannot be opened: {e}. Nothing was changed."
                )),
            }
        });
    };
    view! {
        <h2>"Open"</h2>
        <p class="dialog-error" role="alert" data-testid="open-error">{move || error.get()}</p>
        <h3>"Gallery"</h3>
        <ul class="gallery" data-testid="gallery">
            {SAMPLES.iter().map(|sample| {
                let s = sample.scenario();
                let (name, description) = (s.name.clone(), s.description.clone());
                view! {
                    <li>
                        <button class="sample" data-testid=format!("sample-{}", sample.id)
                            on:click=move |_| open(ui, s.clone(), "the sample", None)>{name}</button>
                        <p>{description}</p>
                    </li>
                }
            }).collect_view()}
        </ul>
        <h3>"Recent"</h3>
        {if recent.is_empty() {
            view! { <p class="hint">"Work you had open before opening a link, a sample or a file is kept here."</p> }.into_any()
        } else {
            view! {
                <ul class="recent" data-testid="recent">
                    {recent.into_iter().map(|r| {
                        let label = if r.name.is_empty() { "(unnamed)".to_string() } else { r.name.clone() };
                        let s = r.scenario;
                        view! {
                            <li><button on:click=move |_| open(ui, s.clone(), "your earlier work", None)>{label}</button>
                            <span class="hint">{format!(" put aside {}", r.kept)}</span></li>
                        }
                    }).collect_view()}
                </ul>
            }.into_any()
        }}
        <h3>"From a file or a link"</h3>
        <label class="file">"Scenario file (.json): "
            <input type="file" accept=".json,application/json" data-testid="import-file" on:change=on_file/>
        </label>
        <div class="paste">
            <input type="text" placeholder="Paste a ClusterLab link" aria-label="ClusterLab link" data-testid="paste-link"
                on:input=move |ev| pasted.set(event_target_value(&ev))
                on:keydown=move |ev| if ev.key() == "Enter" { open_pasted() }/>
            <button on:click=move |_| open_pasted()>"Open link"</button>
        </div>
    }
}

async fn read_file(file: &web_sys::File) -> Result<String, String> {
    if file.size() > share::MAX_WIRE_BYTES as f64 * 8.0 {
        return Err("the file is larger than 8 MB, far more than any scenario".into());
    }
    let text = wasm_bindgen_futures::JsFuture::from(file.text())
        .await
        .map_err(|_| "the browser could not read it".to_string())?;
    text.as_string().ok_or_else(|| "it is not text".into())
}

/// A file goes through the same limits as a link.
pub fn scenario_from_file(text: &str) -> Result<Scenario, String> {
    let s = Scenario::from_json(text)?;
    share::check(&s).map_err(|e| e.to_string())?;
    Ok(s)
}

#[component]
fn SharePanel(ui: Ui) -> impl IntoView {
    let simulating = ui.run.mode.get_untracked() == run::Mode::Simulate;
    let at_now = RwSignal::new(false);
    let copied = RwSignal::new(String::new());
    let link = Memo::new(move |_| {
        let scenario = ui.editor.with(|e| e.scenario().clone());
        let at_ms = at_now.get().then(|| ui.run.now.get_untracked());
        share::encode(&Shared { scenario, at_ms })
            .map(|fragment| (format!("{}#{fragment}", page_address()), fragment))
    });
    let copy = move || {
        let Ok((url, fragment)) = link.get_untracked() else {
            return;
        };
        // The address bar shows the link too, so a reload opens this very work.
        set_address(Some(&fragment));
        let clipboard = window().navigator().clipboard();
        leptos::task::spawn_local(async move {
            let done = wasm_bindgen_futures::JsFuture::from(clipboard.write_text(&url)).await;
            copied.set(match done {
                Ok(_) => "Copied. Anyone who opens it sees this scenario and the same run.".into(),
                Err(_) => "The browser did not allow copying: select the link and copy it.".into(),
            });
        });
    };
    let json = move || {
        let (name, text) = ui
            .editor
            .with_untracked(|e| (e.scenario().name.clone(), e.scenario().to_json()));
        report(
            ui,
            export::download(&export::file_name(&name, "json"), "application/json", &text),
        );
    };
    view! {
        <h2>"Share"</h2>
        {move || match link.get() {
            Err(e) => view! { <p class="dialog-error" role="alert">{format!("This scenario cannot travel as a link: {e}. Download it as a file instead.")}</p> }.into_any(),
            Ok((url, _)) => {
                let n = url.split_once('#').map_or(0, |(_, f)| f.chars().count());
                let long = n > share::WARN_LINK_CHARS;
                view! {
                    <div class="share-link">
                        <input type="text" readonly data-testid="share-link" aria-label="Link to this scenario" prop:value=url
                            on:focus=|ev| { let i: web_sys::HtmlInputElement = event_target(&ev); i.select(); }/>
                        <button class="primary" data-testid="copy-link" on:click=move |_| copy()>"Copy link"</button>
                    </div>
                    <p class="hint" data-testid="link-length">{format!("{n} characters after the #; the link holds the whole scenario and never reaches a server.")}</p>
                    <Show when=move || long>
                        <p class="dialog-error" role="alert" data-testid="link-warning">{format!("This link is {n} characters long: some chat apps and mail programs cut links over {} characters. Send the scenario as a file instead:", share::WARN_LINK_CHARS)}
                            " " <button on:click=move |_| json()>"Download .json"</button></p>
                    </Show>
                }.into_any()
            }
        }}
        <p class="copied" role="status" data-testid="copied">{move || copied.get()}</p>
        <Show when=move || simulating>
            <label class="check"><input type="checkbox" data-testid="share-at-now" prop:checked=move || at_now.get()
                on:change=move |ev| at_now.set(event_target_checked(&ev))/>
                {move || format!(" Open the run at {}", run::clock(ui.run.now.get()))}</label>
        </Show>
        <h3>"Lesson"</h3>
        {move || match ui.editor.with(|e| e.scenario().lesson.is_some()) {
            true => view! { <p class="hint">"This scenario is a lesson: its link opens in student mode (add ?author before the # for author mode). Edit it on the lesson card."</p> }.into_any(),
            false => view! {
                <p class="hint">"Make this scenario a lesson: a goal, steps, checks and what students may not change, edited on a card over the canvas."</p>
                <button data-testid="make-lesson" on:click=move |_| { super::lesson::start(ui); ui.panel.set(None); }>"Make it a lesson"</button>
            }.into_any(),
        }}
        <h3>"Export"</h3>
        <div class="export">
            <button data-testid="export-json" on:click=move |_| json()>"Scenario file (.json)"</button>
            <button data-testid="export-svg" on:click=move |_| report(ui, export::save_svg(ui))>"Canvas as SVG"</button>
            <button data-testid="export-png" on:click=move |_| {
                leptos::task::spawn_local(async move { report(ui, export::save_png(ui).await) });
            }>"Canvas as PNG"</button>
        </div>
    }
}

fn report(ui: Ui, result: Result<(), String>) {
    if let Err(e) = result {
        ui.fail(e);
    }
}
