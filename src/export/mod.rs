//! Descriptions of the API generated from the docs.

pub mod openapi;
