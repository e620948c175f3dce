#[cfg(all(not(target_arch = "wasm32"), feature = "simulate"))]
fn main() -> std::process::ExitCode {
    clusterlab::cli::main()
}

/// Built without the simulator (the page's first load), the command line has nothing to run.
#[cfg(all(not(target_arch = "wasm32"), not(feature = "simulate")))]
fn main() {}

#[cfg(target_arch = "wasm32")]
fn main() {
    clusterlab::ui::mount();
}
