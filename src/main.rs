#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    clusterlab::cli::main()
}

// The browser app is mounted from here once the UI lands; in wasm the library is the product.
#[cfg(target_arch = "wasm32")]
fn main() {}
