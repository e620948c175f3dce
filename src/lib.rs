//! ClusterLab: model Hyper-V style clusters and watch them fail, deterministically.
//!
//! `model` (scenario data, validation) -> `sim` (the engine, no web types) -> `cli`.

#[cfg(not(target_arch = "wasm32"))]
pub mod cli;
pub mod model;
pub mod sim;
