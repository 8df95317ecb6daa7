//! The rules as typed values: [`Rule`] and [`Family`] are generated from `rules.toml` at build
//! time, so every report site names a rule that exists, and a rule's level is an index lookup.

use std::fmt;

use serde::{Serialize, Serializer};

use crate::fix::Applicability;
use crate::severity::{Level, Severity};

include!(concat!(env!("OUT_DIR"), "/rules.rs"));

/// What the catalogue says about a rule, besides its prose.
struct Meta {
    id: &'static str,
    name: &'static str,
    family: Family,
    level: Level,
    apidoctor: Option<&'static str>,
    fix: Option<Applicability>,
}

impl Rule {
    /// The number of rules.
    pub const COUNT: usize = Rule::ALL.len();

    fn meta(self) -> &'static Meta {
        &META[self.index()]
    }

    /// The rule's position in the catalogue (and in [`Rule::ALL`]).
    pub const fn index(self) -> usize {
        self as usize
    }

    /// The stable id, e.g. `DL401`.
    pub fn id(self) -> &'static str {
        self.meta().id
    }

    /// The stable kebab-case name, e.g. `link-target-missing`.
    pub fn name(self) -> &'static str {
        self.meta().name
    }

    /// The family the rule belongs to.
    pub fn family(self) -> Family {
        self.meta().family
    }

    /// The level the rule has when nothing configures it.
    pub fn default_level(self) -> Level {
        self.meta().level
    }

    /// The ApiDoctor error code the rule corresponds to, if any.
    pub fn apidoctor(self) -> Option<&'static str> {
        self.meta().apidoctor
    }

    /// Whether the rule's findings carry fixes, and how safe the safest of them is (`fix` in
    /// the catalogue).
    pub fn fix(self) -> Option<Applicability> {
        self.meta().fix
    }

    /// The rule with this id or name, ignoring case.
    pub fn from_key(key: &str) -> Option<Rule> {
        Rule::ALL
            .into_iter()
            .find(|r| r.id().eq_ignore_ascii_case(key) || r.name().eq_ignore_ascii_case(key))
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

/// A rule is written out as its id.
impl Serialize for Rule {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.id())
    }
}

/// Compares with an id, so `diagnostic.rule == "DL401"` reads as it should.
impl PartialEq<&str> for Rule {
    fn eq(&self, id: &&str) -> bool {
        self.id() == *id
    }
}

impl Family {
    /// The family's kebab-case name, e.g. `front-matter`.
    pub fn name(self) -> &'static str {
        FAMILY_NAMES[self as usize]
    }

    /// The rules of the family, in id order.
    pub fn rules(self) -> &'static [Rule] {
        FAMILY_RULES[self as usize]
    }

    /// The family with this name, ignoring case.
    pub fn from_name(name: &str) -> Option<Family> {
        Family::ALL
            .into_iter()
            .find(|f| f.name().eq_ignore_ascii_case(name))
    }
}

impl fmt::Display for Family {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_names_and_families_round_trip() {
        for rule in Rule::ALL {
            assert_eq!(Rule::from_key(rule.id()), Some(rule));
            assert_eq!(Rule::from_key(&rule.name().to_uppercase()), Some(rule));
            assert!(rule.family().rules().contains(&rule));
        }
        for family in Family::ALL {
            assert_eq!(Family::from_name(family.name()), Some(family));
        }
        assert_eq!(Rule::from_key("DL000"), None);
    }

    #[test]
    fn levels_come_from_the_catalogue() {
        assert_eq!(
            Rule::LinkTargetMissing.default_level(),
            Level::On(Severity::Error)
        );
        assert_eq!(Rule::LinkTargetMissing.family().name(), "links");
    }
}
