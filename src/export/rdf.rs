//! A small RDF graph and its two serialisations, Turtle and JSON-LD, for the DCAT
//! catalog. Both are written from the same list of resources, so they describe the
//! same graph by construction; `scripts/test-feeds.sh` checks it with rdflib anyway.
//!
//! Every node has an IRI (no blank nodes): the two files then compare triple for
//! triple, and a harvester can refer to each part. Resources and their properties keep
//! the order they were added in, so the output is byte-stable.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use serde_json::{Map, Value, json};

/// The prefixes the catalog uses: (prefix, namespace).
pub const PREFIXES: &[(&str, &str)] = &[
    ("adms", "http://www.w3.org/ns/adms#"),
    ("dcat", "http://www.w3.org/ns/dcat#"),
    ("dcatap", "http://data.europa.eu/r5r/"),
    ("dct", "http://purl.org/dc/terms/"),
    ("foaf", "http://xmlns.com/foaf/0.1/"),
    ("rdf", "http://www.w3.org/1999/02/22-rdf-syntax-ns#"),
    ("skos", "http://www.w3.org/2004/02/skos/core#"),
    ("spdx", "http://spdx.org/rdf/terms#"),
    ("vcard", "http://www.w3.org/2006/vcard/ns#"),
    ("xsd", "http://www.w3.org/2001/XMLSchema#"),
];

/// The object of a triple. Predicates, classes and datatypes are prefixed names from
/// [`PREFIXES`] (`dct:title`), written by the code, never by editors.
#[derive(Debug, Clone, PartialEq)]
pub enum Object {
    Iri(String),
    /// A string in a language: (text, language code).
    Text(String, String),
    /// A plain string (`xsd:string`).
    Plain(String),
    /// A literal of a datatype: (lexical form, datatype as a prefixed name).
    Typed(String, &'static str),
}

/// One subject with its classes and properties.
#[derive(Debug, Clone)]
pub struct Resource {
    pub iri: String,
    pub types: Vec<&'static str>,
    pub properties: Vec<(&'static str, Object)>,
}

impl Resource {
    pub fn new(iri: impl Into<String>, types: &[&'static str]) -> Resource {
        Resource { iri: iri.into(), types: types.to_vec(), properties: Vec::new() }
    }

    pub fn add(&mut self, predicate: &'static str, object: Object) -> &mut Resource {
        self.properties.push((predicate, object));
        self
    }

    pub fn iri(&mut self, predicate: &'static str, iri: impl Into<String>) -> &mut Resource {
        self.add(predicate, Object::Iri(iri.into()))
    }
}

/// Resources in the order they were first added; a resource added twice (a licence or
/// a media type shared by many distributions) is kept once, as first given.
#[derive(Debug, Default)]
pub struct Graph {
    resources: Vec<Resource>,
    seen: BTreeSet<String>,
}

impl Graph {
    pub fn push(&mut self, resource: Resource) {
        if self.seen.insert(resource.iri.clone()) {
            self.resources.push(resource);
        }
    }

    pub fn resources(&self) -> &[Resource] {
        &self.resources
    }

    /// The graph in Turtle, one subject per block.
    pub fn turtle(&self) -> String {
        let mut out = String::new();
        for (prefix, namespace) in PREFIXES {
            let _ = writeln!(out, "@prefix {prefix}: <{namespace}> .");
        }
        for resource in &self.resources {
            out.push('\n');
            let _ = write!(out, "{}", iri_ref(&resource.iri));
            let mut lines: Vec<String> = Vec::new();
            if !resource.types.is_empty() {
                lines.push(format!("a {}", resource.types.join(", ")));
            }
            lines.extend(resource.properties.iter().map(|(p, o)| format!("{p} {}", turtle_object(o))));
            for (i, line) in lines.iter().enumerate() {
                let end = if i + 1 == lines.len() { " ." } else { " ;" };
                let _ = write!(out, "\n    {line}{end}");
            }
            out.push('\n');
        }
        out
    }

    /// The graph in JSON-LD: a `@context` of the prefixes and a `@graph` of nodes whose
    /// properties are arrays of value objects, so no reader has to guess a type.
    pub fn json_ld(&self) -> Value {
        let context: Map<String, Value> = PREFIXES.iter().map(|(p, ns)| (p.to_string(), json!(ns))).collect();
        let nodes: Vec<Value> = self.resources.iter().map(json_node).collect();
        json!({"@context": context, "@graph": nodes})
    }
}

fn json_node(resource: &Resource) -> Value {
    let mut node = Map::new();
    node.insert("@id".into(), json!(resource.iri));
    if !resource.types.is_empty() {
        node.insert("@type".into(), json!(resource.types));
    }
    for (predicate, object) in &resource.properties {
        let values = node.entry(predicate.to_string()).or_insert_with(|| json!([]));
        if let Value::Array(list) = values {
            list.push(json_object(object));
        }
    }
    Value::Object(node)
}

fn json_object(object: &Object) -> Value {
    match object {
        Object::Iri(iri) => json!({"@id": iri}),
        Object::Text(text, lang) => json!({"@value": text, "@language": lang}),
        Object::Plain(text) => json!({"@value": text}),
        Object::Typed(text, datatype) => json!({"@value": text, "@type": datatype}),
    }
}

fn turtle_object(object: &Object) -> String {
    match object {
        Object::Iri(iri) => iri_ref(iri),
        Object::Text(text, lang) => format!("{}@{lang}", string_literal(text)),
        Object::Plain(text) => string_literal(text),
        Object::Typed(text, datatype) => format!("{}^^{datatype}", string_literal(text)),
    }
}

/// `<iri>`, with the characters Turtle forbids in an IRI percent-encoded (they cannot
/// occur in the URLs shafaf accepts, but a catalog must never be unparseable).
fn iri_ref(iri: &str) -> String {
    let mut out = String::with_capacity(iri.len() + 2);
    out.push('<');
    for c in iri.chars() {
        if c <= ' ' || "<>\"{}|^`\\".contains(c) {
            let mut buf = [0u8; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                let _ = write!(out, "%{b:02X}");
            }
        } else {
            out.push(c);
        }
    }
    out.push('>');
    out
}

/// A Turtle string in double quotes, escaping what the grammar requires.
fn string_literal(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn turtle_escapes_strings_and_iris() {
        assert_eq!(string_literal("a \"b\" \\ c\nd\u{1}"), "\"a \\\"b\\\" \\\\ c\\nd\\u0001\"");
        assert_eq!(iri_ref("https://x.example/a b>"), "<https://x.example/a%20b%3E>");
        assert_eq!(iri_ref("https://x.example/é"), "<https://x.example/é>");
    }

    #[test]
    fn a_resource_added_twice_is_written_once_and_properties_group_in_json_ld() {
        let mut graph = Graph::default();
        let mut r = Resource::new("https://x.example/a", &["dcat:Dataset"]);
        r.add("dct:title", Object::Text("T".into(), "fr".into())).add("dct:title", Object::Text("ت".into(), "ar".into()));
        graph.push(r.clone());
        graph.push(Resource::new("https://x.example/a", &["dcat:Catalog"]));
        assert_eq!(graph.resources().len(), 1);
        let ld = graph.json_ld();
        assert_eq!(ld["@graph"][0]["@type"], json!(["dcat:Dataset"]));
        assert_eq!(ld["@graph"][0]["dct:title"][1], json!({"@value": "ت", "@language": "ar"}));
        assert!(
            graph.turtle().contains("<https://x.example/a>\n    a dcat:Dataset ;\n    dct:title \"T\"@fr ;\n    dct:title \"ت\"@ar .\n")
        );
    }
}
