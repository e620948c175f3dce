//! The whole page, editor and simulator, loaded when the user first presses Simulate (the first
//! load is the editor alone: see `ui::simulator`).

#[cfg(target_arch = "wasm32")]
fn main() {
    // The same module runs the analysis's workers (see `ui::workers`).
    if clusterlab::ui::workers::in_worker() {
        clusterlab::ui::workers::serve();
    } else {
        clusterlab::ui::mount();
    }
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!(
        "clusterlab-full is the page's simulator module; build it with trunk (scripts/run.sh)"
    );
    std::process::exit(2);
}
