//! doclint
