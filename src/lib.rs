//! Sanfang (三方议事): a platform on which a residential community's three parties — the
//! community office, the property company and the owners' committee — deliberate and decide
//! together with the owners.
//!
//! [`app`] builds the whole HTTP application; the binary and the tests serve the same router.
pub mod accounts;
pub mod agendas;
pub mod area;
pub mod audit;
pub mod auth;
pub mod backup;
pub mod china_time;
pub mod concerns;
pub mod conventions;
pub mod db;
pub mod demo;
pub mod entities;
pub mod error;
pub mod files;
pub mod http;
pub mod i18n;
pub mod markdown;
pub mod meetings;
pub mod minutes;
pub mod notices;
pub mod policy;
pub mod questionnaires;
pub mod roster;
pub mod tenancy;
pub mod text;
pub mod verification;
pub mod votes;

pub use http::{AppState, HEADER_READ_TIMEOUT, MAX_BODY_BYTES, REQUEST_TIMEOUT, app, openapi, serve};
