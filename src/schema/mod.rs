//! The API model: the type registry built from `resource` blocks and Properties tables, the
//! validation of response and example bodies against it, and the service's own metadata
//! (CSDL) with the EDM type names that connect the two.

pub mod csdl;
pub mod declared;
pub mod edm;
pub mod operations;
pub mod prose;
pub mod registry;
pub mod tables;
pub mod urls;
pub mod validate;

pub use declared::Primitive;
pub use registry::{Registry, ResourceType, ScopeKind};
pub use tables::{TableKind, TableRules};
pub use validate::Validator;
