#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    clusterlab::cli::main()
}

#[cfg(target_arch = "wasm32")]
fn main() {
    clusterlab::ui::mount();
}
