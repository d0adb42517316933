//! sea-orm entities, one file per table.
pub mod audit_event;
pub mod audit_head;
pub mod building;
pub mod community;
pub mod compound;
pub mod holder;
pub mod invitation;
pub mod membership;
pub mod owner_link;
pub mod party;
pub mod refresh_token;
pub mod setting;
pub mod unit;
pub mod unit_change;
pub mod user;
