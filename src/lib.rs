//! edgelint: a static linter for Lync Server 2013 / Skype for Business Server Edge
//! certificate plans. Data flows one way, each stage a module:
//! [`discover`] → [`load`] (the [`model`]) → [`derive`] → [`rules`] → [`filter`] → [`report`];
//! [`commands`] runs them; [`plan`] lays out the certificates a topology needs;
//! [`topology_xml`] reads the topology documents (XML) of Lync Server and Skype for Business
//! Server themselves.

#![warn(clippy::too_many_lines)]

pub mod cache;
pub mod cli;
pub mod commands;
pub mod config;
pub mod derive;
pub mod diagnostic;
pub mod discover;
pub mod fast_hash;
pub mod filter;
pub mod fix;
#[doc(hidden)]
pub mod fuzzing;
pub mod load;
pub mod model;
pub mod parallel;
pub mod plan;
pub mod read;
pub mod report;
pub mod rules;
pub mod selector;
pub mod source;
pub mod topology_xml;

pub use commands::{main_with_args, EXIT_CLEAN, EXIT_FAILURE, EXIT_FINDINGS};
