//! Wasm-safe domain types and pure rules shared by the browser and the server.
//!
//! Every value that comes from outside (a form, a query string, a file) enters through a
//! `parse` function here, so the browser's validation and the server's are the same code.

pub mod application;
pub mod cohort;
pub mod district;
pub mod iin;
pub mod kindergarten;
pub mod language;
pub mod legacy;
pub mod map;
pub mod open_data;
pub mod phone;
pub mod priority;
pub mod protocol;
pub mod queue;
pub mod stats;

pub use cohort::{parse_iso_date, AgeGroup, Cohort};
pub use district::District;
pub use iin::{Iin, IinError, Sex};
pub use kindergarten::{
    CitySummary, DirectoryFilter, DirectoryPage, GroupSeats, KindergartenCard, KindergartenDetail,
    KindergartenKind,
};
pub use language::{GroupLanguage, LanguageSet};
pub use phone::{Phone, PhoneError};
pub use priority::PriorityClass;
