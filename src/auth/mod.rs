//! Accounts and sessions: passwords, access and refresh tokens, the login limiter, and the
//! [`Actor`] extractor every protected handler takes.
mod actor;
pub mod devices;
pub mod jwt;
pub mod login;
pub mod password;
pub mod ratelimit;
pub mod refresh;
mod session;

pub use actor::{Actor, Caller, ClientAddr, Network, client_address};
pub use session::*;
