//! The workspace's integration tests, as one binary with a module per concern (linking xtask,
//! the client, tokio and reqwest once instead of once per file).
//!
//! Generator: `codegen_snapshots`, `freshness`, `generator_fuzz`, `fixtures_compile`,
//! `api_diff`, `upstream_diff`. Client: `client`, `signing`, `validation`, `json_path`, `checks`,
//! `conformance`, `faults`, `retry`, `mock`, `lifecycle`, `callbacks`, `observability`,
//! `secrets`, `example`, `baseline`.

mod alternatives;
mod api_diff;
mod baseline;
mod call_limits;
mod callbacks;
mod checks;
mod client;
mod codegen_snapshots;
mod conformance;
mod example;
mod faults;
mod fixtures_compile;
mod freshness;
mod generator_fuzz;
mod json_path;
mod lifecycle;
mod mock;
mod observability;
mod product_callbacks;
mod query_actions;
mod retry;
mod return_codes;
mod runtime_neutral;
mod secrets;
mod shared_state;
mod signing;
mod upstream_diff;
mod validation;
