//! ClusterLab: model Hyper-V style clusters and watch them fail, deterministically.
//!
//! `model` (scenario data, validation) -> `sim` (the engine, no web types) -> `analysis` (every
//! single failure, each its own run) -> `cli`.

// The engine keeps parallel per-member tables (`node[m]`, `vote[m]`, `missed[r][s]`): indexed
// loops over them read better than zipped iterators.
#![allow(clippy::needless_range_loop)]

#[cfg(feature = "simulate")]
pub mod analysis;
pub mod editor;
pub mod gallery;
#[cfg(feature = "simulate")]
pub mod lesson;
pub mod model;
pub mod share;
#[cfg(feature = "simulate")]
pub mod sim;

// The command line runs and analyzes: it needs the simulator.
#[cfg(all(not(target_arch = "wasm32"), feature = "simulate"))]
pub mod cli;
#[cfg(target_arch = "wasm32")]
pub mod ui;
