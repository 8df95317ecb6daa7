//! A service's metadata document (OData CSDL in EDMX XML, what `$metadata` returns): its
//! entity, complex and enum types with their properties, read once into a compact model.
//!
//! Only what comparing the docs with the service needs is kept: type names (namespace
//! qualified, schema aliases expanded), base types, `Abstract`, `OpenType`, structural and
//! navigation properties with their types and `Nullable`, enum members, and the line each
//! sits on. Everything else (actions, functions, annotations, the entity container) is
//! skipped. A file that is not well-formed XML, or not EDMX, is an error with a position,
//! never a panic.

use std::collections::HashMap;

use super::edm::TypeRef;

/// What kind of type a CSDL type is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TypeKind {
    /// `EntityType`: has a key, is addressable.
    Entity,
    /// `ComplexType`: a structured value without identity.
    Complex,
    /// `EnumType`: a string restricted to named members.
    Enum,
}

impl TypeKind {
    /// The CSDL element name.
    pub fn element(self) -> &'static str {
        match self {
            TypeKind::Entity => "EntityType",
            TypeKind::Complex => "ComplexType",
            TypeKind::Enum => "EnumType",
        }
    }
}

/// A structural (`Property`) or navigation (`NavigationProperty`) property.
#[derive(Debug, Clone)]
pub struct CsdlProperty {
    /// The name.
    pub name: String,
    /// The type, aliases expanded.
    pub ty: TypeRef,
    /// `Nullable` (true unless the file says `false`).
    pub nullable: bool,
    /// Whether it is a `NavigationProperty`.
    pub navigation: bool,
    /// The 1-based line of its element.
    pub line: u32,
}

/// An entity, complex or enum type.
#[derive(Debug, Clone)]
pub struct CsdlType {
    /// The namespace-qualified name (`microsoft.graph.user`).
    pub qualified: String,
    /// The length of the namespace part of `qualified`.
    namespace_len: usize,
    /// Entity, complex or enum.
    pub kind: TypeKind,
    /// The qualified `BaseType`, aliases expanded.
    pub base: Option<String>,
    /// `Abstract="true"`.
    pub is_abstract: bool,
    /// `OpenType="true"`.
    pub open: bool,
    /// `IsFlags="true"` on an enum: a value combines members (`"team,personal"`).
    pub flags: bool,
    /// The properties declared on the type itself, in file order.
    pub properties: Vec<CsdlProperty>,
    /// The members of an enum type, in file order.
    pub members: Vec<String>,
    /// The 1-based line of its element.
    pub line: u32,
}

impl CsdlType {
    /// The namespace (`microsoft.graph`).
    pub fn namespace(&self) -> &str {
        &self.qualified[..self.namespace_len]
    }

    /// The name without its namespace (`user`).
    pub fn name(&self) -> &str {
        &self.qualified[self.namespace_len + 1..]
    }

    /// The property declared on this type with exactly this name.
    pub fn own_property(&self, name: &str) -> Option<&CsdlProperty> {
        self.properties.iter().find(|p| p.name == name)
    }
}

/// Why a metadata file cannot be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CsdlError {
    /// 1-based line.
    pub line: u32,
    /// 1-based column.
    pub column: u32,
    /// What is wrong, lower-case.
    pub message: String,
}

/// The types of one metadata document.
#[derive(Debug, Default)]
pub struct Csdl {
    /// Every type, in file order.
    pub types: Vec<CsdlType>,
    by_name: HashMap<String, usize>,
    /// Lower-cased qualified name → types.
    by_lower: HashMap<String, Vec<usize>>,
    /// Lower-cased short name → types of every namespace.
    by_short: HashMap<String, Vec<usize>>,
}

/// The EDMX and CSDL namespaces of OData 4 (and the older ones services still serve).
const EDMX_NAMESPACES: &[&str] = &[
    "http://docs.oasis-open.org/odata/ns/edmx",
    "http://schemas.microsoft.com/ado/2007/06/edmx",
];

/// Longest inheritance chain walked (a guard against cycles in the file).
const MAX_CHAIN: usize = 64;

impl Csdl {
    /// Reads an EDMX document.
    pub fn parse(text: &str) -> Result<Csdl, CsdlError> {
        let options = roxmltree::ParsingOptions {
            allow_dtd: false,
            nodes_limit: u32::MAX,
        };
        let lines = LineIndex::new(text);
        let document = roxmltree::Document::parse_with_options(text, options).map_err(|e| {
            let pos = e.pos();
            let message = e.to_string();
            let suffix = format!(" at {pos}");
            CsdlError {
                line: pos.row,
                column: pos.col,
                message: message
                    .strip_suffix(&suffix)
                    .unwrap_or(&message)
                    .to_string(),
            }
        })?;
        let root = document.root_element();
        let at = |node: roxmltree::Node<'_, '_>, message: String| {
            let (line, column) = lines.position(node.range().start);
            CsdlError {
                line,
                column,
                message,
            }
        };
        let is_edmx = root.tag_name().name() == "Edmx"
            && root
                .tag_name()
                .namespace()
                .is_some_and(|ns| EDMX_NAMESPACES.contains(&ns));
        if !is_edmx {
            return Err(at(
                root,
                format!(
                    "not an OData metadata document: the root element is <{}>, expected <edmx:Edmx>",
                    root.tag_name().name()
                ),
            ));
        }
        let schemas: Vec<roxmltree::Node<'_, '_>> = root
            .children()
            .filter(|n| n.has_tag_name("DataServices"))
            .flat_map(|d| d.children().filter(|n| n.has_tag_name("Schema")))
            .collect();
        // Aliases apply document-wide: any schema may refer to another through its alias.
        let mut aliases: HashMap<&str, &str> = HashMap::new();
        for schema in &schemas {
            let Some(namespace) = schema.attribute("Namespace") else {
                return Err(at(
                    *schema,
                    "a <Schema> has no Namespace attribute".to_string(),
                ));
            };
            if let Some(alias) = schema.attribute("Alias") {
                aliases.insert(alias, namespace);
            }
        }
        let qualify = |name: &str| -> String {
            match name.rsplit_once('.') {
                Some((prefix, short)) => match aliases.get(prefix) {
                    Some(namespace) => format!("{namespace}.{short}"),
                    None => name.to_string(),
                },
                None => name.to_string(),
            }
        };
        let mut csdl = Csdl::default();
        for schema in &schemas {
            let namespace = schema.attribute("Namespace").unwrap_or_default();
            for element in schema.children().filter(roxmltree::Node::is_element) {
                let kind = match element.tag_name().name() {
                    "EntityType" => TypeKind::Entity,
                    "ComplexType" => TypeKind::Complex,
                    "EnumType" => TypeKind::Enum,
                    _ => continue,
                };
                let Some(name) = element.attribute("Name") else {
                    return Err(at(
                        element,
                        format!("an <{}> has no Name attribute", kind.element()),
                    ));
                };
                let flag = |attribute: &str| {
                    element
                        .attribute(attribute)
                        .is_some_and(|v| v.trim().eq_ignore_ascii_case("true"))
                };
                let mut ty = CsdlType {
                    qualified: format!("{namespace}.{name}"),
                    namespace_len: namespace.len(),
                    kind,
                    base: element.attribute("BaseType").map(|b| qualify(b.trim())),
                    is_abstract: flag("Abstract"),
                    open: flag("OpenType"),
                    flags: flag("IsFlags"),
                    properties: Vec::new(),
                    members: Vec::new(),
                    line: lines.position(element.range().start).0,
                };
                for child in element.children().filter(roxmltree::Node::is_element) {
                    let tag = child.tag_name().name();
                    let navigation = match tag {
                        "Property" => false,
                        "NavigationProperty" => true,
                        "Member" if kind == TypeKind::Enum => {
                            let Some(member) = child.attribute("Name") else {
                                return Err(at(child, "a <Member> has no Name attribute".into()));
                            };
                            ty.members.push(member.to_string());
                            continue;
                        }
                        _ => continue,
                    };
                    let (Some(property), Some(type_text)) =
                        (child.attribute("Name"), child.attribute("Type"))
                    else {
                        return Err(at(
                            child,
                            format!("a <{tag}> needs both a Name and a Type attribute"),
                        ));
                    };
                    ty.properties.push(CsdlProperty {
                        name: property.to_string(),
                        ty: TypeRef::parse(type_text, &qualify),
                        nullable: !child
                            .attribute("Nullable")
                            .is_some_and(|v| v.trim().eq_ignore_ascii_case("false")),
                        navigation,
                        line: lines.position(child.range().start).0,
                    });
                }
                csdl.add(ty);
            }
        }
        Ok(csdl)
    }

    fn add(&mut self, ty: CsdlType) {
        let t = self.types.len();
        self.by_name.entry(ty.qualified.clone()).or_insert(t);
        self.by_lower
            .entry(ty.qualified.to_ascii_lowercase())
            .or_default()
            .push(t);
        self.by_short
            .entry(ty.name().to_ascii_lowercase())
            .or_default()
            .push(t);
        self.types.push(ty);
    }

    /// The type with exactly this qualified name.
    pub fn get(&self, qualified: &str) -> Option<usize> {
        self.by_name.get(qualified).copied()
    }

    /// The types whose qualified name matches ignoring case.
    pub fn get_ignoring_case(&self, qualified: &str) -> &[usize] {
        self.by_lower
            .get(&qualified.to_ascii_lowercase())
            .map_or(&[], Vec::as_slice)
    }

    /// The types of any namespace with this short name (case ignored).
    pub fn with_short_name(&self, short: &str) -> &[usize] {
        self.by_short
            .get(&short.to_ascii_lowercase())
            .map_or(&[], Vec::as_slice)
    }

    /// `t` and its base types, nearest first (unknown bases end the chain).
    pub fn chain(&self, t: usize) -> impl Iterator<Item = &CsdlType> {
        let mut current = Some(t);
        std::iter::from_fn(move || {
            let ty = &self.types[current?];
            current = ty.base.as_deref().and_then(|b| self.get(b));
            Some(ty)
        })
        .take(MAX_CHAIN)
    }

    /// The property `name` of `t` or a base type, with the type that declares it.
    pub fn property(&self, t: usize, name: &str) -> Option<(&CsdlType, &CsdlProperty)> {
        self.chain(t)
            .find_map(|ty| ty.own_property(name).map(|p| (ty, p)))
    }

    /// Whether `sub` is `sup` or derives from it.
    pub fn derives_from(&self, sub: usize, sup: usize) -> bool {
        let sup = &self.types[sup];
        self.chain(sub).any(|ty| std::ptr::eq(ty, sup))
    }
}

/// Byte offset → 1-based line and column, with one pass over the text to find line starts.
struct LineIndex<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    fn new(text: &'a str) -> LineIndex<'a> {
        let starts = std::iter::once(0)
            .chain(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1))
            .collect();
        LineIndex { text, starts }
    }

    fn position(&self, offset: usize) -> (u32, u32) {
        let line = self.starts.partition_point(|&s| s <= offset).max(1);
        let start = self.starts[line - 1];
        let end = crate::source::floor_char_boundary(self.text, offset);
        let column = self.text.get(start..end).map_or(0, |s| s.chars().count());
        (
            u32::try_from(line).unwrap_or(u32::MAX),
            u32::try_from(column + 1).unwrap_or(u32::MAX),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::edm::EdmPrimitive;

    const SAMPLE: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx">
  <edmx:DataServices>
    <Schema Namespace="microsoft.graph" Alias="graph" xmlns="http://docs.oasis-open.org/odata/ns/edm">
      <EnumType Name="riskLevel" IsFlags="true">
        <Member Name="low" Value="1" />
        <Member Name="high" Value="2" />
      </EnumType>
      <EntityType Name="entity" Abstract="true">
        <Key><PropertyRef Name="id" /></Key>
        <Property Name="id" Type="Edm.String" Nullable="false" />
      </EntityType>
      <EntityType Name="user" BaseType="graph.entity" OpenType="true">
        <Property Name="displayName" Type="Edm.String" />
        <Property Name="businessPhones" Type="Collection(Edm.String)" Nullable="false" />
        <NavigationProperty Name="manager" Type="graph.user" />
      </EntityType>
      <Action Name="ignored" IsBound="true" />
    </Schema>
    <Schema Namespace="microsoft.graph.callRecords" xmlns="http://docs.oasis-open.org/odata/ns/edm">
      <ComplexType Name="media">
        <Property Name="label" Type="Edm.String" />
        <Property Name="risk" Type="graph.riskLevel" />
      </ComplexType>
    </Schema>
  </edmx:DataServices>
</edmx:Edmx>
"#;

    #[test]
    fn reads_types_properties_and_members() {
        let csdl = Csdl::parse(SAMPLE).unwrap();
        assert_eq!(csdl.types.len(), 4);
        let user = csdl.get("microsoft.graph.user").unwrap();
        let ty = &csdl.types[user];
        assert_eq!(ty.kind, TypeKind::Entity);
        assert_eq!(ty.base.as_deref(), Some("microsoft.graph.entity"));
        assert!(ty.open && !ty.is_abstract);
        assert_eq!(ty.line, 13);
        assert_eq!(ty.name(), "user");
        assert_eq!(ty.namespace(), "microsoft.graph");
        let phones = ty.own_property("businessPhones").unwrap();
        assert!(!phones.nullable && !phones.navigation);
        assert_eq!(
            phones.ty,
            TypeRef::Collection(Box::new(TypeRef::Primitive(EdmPrimitive::String)))
        );
        let manager = ty.own_property("manager").unwrap();
        assert!(manager.navigation && manager.nullable);
        assert_eq!(manager.ty, TypeRef::Named("microsoft.graph.user".into()));
        let (declaring, id) = csdl.property(user, "id").unwrap();
        assert_eq!(declaring.name(), "entity");
        assert_eq!(id.line, 11);
        let risk = &csdl.types[csdl.get("microsoft.graph.riskLevel").unwrap()];
        assert_eq!(risk.members, ["low", "high"]);
        assert!(risk.flags && !ty.flags);
        let media = csdl.get("microsoft.graph.callRecords.media").unwrap();
        assert_eq!(
            csdl.types[media].own_property("risk").unwrap().ty,
            TypeRef::Named("microsoft.graph.riskLevel".into())
        );
        assert_eq!(csdl.with_short_name("MEDIA"), [media]);
        assert_eq!(csdl.get_ignoring_case("Microsoft.Graph.User"), [user]);
        assert!(csdl.derives_from(user, csdl.get("microsoft.graph.entity").unwrap()));
    }

    #[test]
    fn malformed_files_are_errors_with_positions() {
        let error = Csdl::parse("<edmx:Edmx xmlns:edmx=\"http://docs.oasis-open.org/odata/ns/edmx\">\n  <unclosed>\n</edmx:Edmx>").unwrap_err();
        assert_eq!(error.line, 3);
        assert!(!error.message.contains(" at 3:"), "{}", error.message);
        let error = Csdl::parse("<html><body/></html>").unwrap_err();
        assert_eq!((error.line, error.column), (1, 1));
        assert!(error.message.contains("<html>"), "{}", error.message);
        let nameless = SAMPLE.replace("<ComplexType Name=\"media\">", "<ComplexType>");
        let error = Csdl::parse(&nameless).unwrap_err();
        assert_eq!((error.line, error.column), (21, 7));
        assert!(error.message.contains("no Name"), "{}", error.message);
        let error = Csdl::parse("").unwrap_err();
        assert_eq!(error.line, 1);
        assert!(Csdl::parse("<!DOCTYPE x [<!ENTITY a \"b\">]><x/>").is_err());
    }

    #[test]
    fn base_type_cycles_end() {
        let cyclic = SAMPLE.replace(
            "<EntityType Name=\"entity\" Abstract=\"true\">",
            "<EntityType Name=\"entity\" BaseType=\"graph.user\">",
        );
        let csdl = Csdl::parse(&cyclic).unwrap();
        let user = csdl.get("microsoft.graph.user").unwrap();
        assert_eq!(csdl.chain(user).count(), MAX_CHAIN);
        assert!(csdl.property(user, "missing").is_none());
    }
}
