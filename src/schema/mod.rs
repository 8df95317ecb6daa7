//! Resources and the examples that show them: the type registry built from `resource` blocks
//! and Properties tables, and the validation of response and example bodies against it.

pub mod declared;
pub mod prose;
pub mod registry;
pub mod tables;
pub mod validate;

pub use declared::{Declared, Primitive};
pub use registry::{Property, Registry, ResourceType};
pub use tables::{TableKind, TableRules};
pub use validate::Validator;
