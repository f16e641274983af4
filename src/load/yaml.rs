//! The one module that parses YAML.
//!
//! Everything else in shafaf sees only [`Node`], a small tree that remembers the line and
//! column of every key and value, so that each diagnostic can point at the exact spot an
//! editor has to fix. Swapping the parser crate means changing this file only.
//!
//! yaml-rust2 is used at the event level (not its `Yaml` document type) because we need a
//! position for every value and because we bound alias expansion ourselves: a "billion
//! laughs" document must fail fast instead of eating the machine's memory.

use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::{Marker, TScalarStyle};

use crate::model::Pos;

/// The most nodes a document may expand to through aliases. Real content files hold a
/// few thousand nodes; this leaves generous room and still stops alias bombs at once.
const ALIAS_EXPANSION_LIMIT: usize = 100_000;

/// The most text, in bytes, that aliases may copy: a long string aliased many times is
/// a bomb too, even if it is few nodes.
const ALIAS_EXPANSION_BYTES: usize = 16 * 1024 * 1024;

/// The deepest nesting accepted; content format v1 needs fewer than ten levels.
const DEPTH_LIMIT: usize = 64;

#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub pos: Pos,
    pub value: Value,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// `~`, `null` or nothing at all.
    Null,
    /// A scalar as written; `quoted` scalars are always strings, plain ones may be
    /// numbers, booleans or dates, decided by whoever reads the field.
    Scalar {
        text: String,
        quoted: bool,
    },
    Seq(Vec<Node>),
    Map(Vec<(Node, Node)>),
}

impl Node {
    /// A short name of the value's kind, for messages such as "expected a list, found a map".
    pub fn kind_name(&self) -> &'static str {
        match &self.value {
            Value::Null => "nothing",
            Value::Scalar { quoted: true, .. } => "a string",
            Value::Scalar { text, .. } if text.parse::<f64>().is_ok() => "a number",
            Value::Scalar { text, .. } if text == "true" || text == "false" => "a boolean",
            Value::Scalar { .. } => "a string",
            Value::Seq(_) => "a list",
            Value::Map(_) => "a map",
        }
    }
}

/// A YAML syntax error with the position the parser stopped at.
#[derive(Debug, Clone, PartialEq)]
pub struct SyntaxError {
    pub pos: Pos,
    pub message: String,
}

/// Parses one YAML document. An empty document gives `Value::Null`; a stream with
/// several documents is refused, since every content file holds exactly one.
pub fn parse(source: &str, line_offset: usize) -> Result<Node, SyntaxError> {
    let mut builder = TreeBuilder::new(line_offset);
    let mut parser = Parser::new_from_str(source);
    if let Err(err) = parser.load(&mut builder, true) {
        let mut pos = builder.pos(err.marker());
        if is_indentation_error(err.info()) {
            // The parser stops at the token after the misplaced one; the editor has to
            // fix where the line's text starts.
            let line = source.lines().nth(err.marker().line().saturating_sub(1));
            if let Some(indent) = line.and_then(|l| l.find(|c: char| c != ' ')) {
                pos.column = indent + 1;
            }
        }
        return Err(SyntaxError { pos, message: syntax_message(err.info()) });
    }
    if let Some(error) = builder.error {
        return Err(error);
    }
    match builder.documents.len() {
        0 => Ok(Node { pos: Pos::new(1 + line_offset, 1), value: Value::Null }),
        1 => Ok(builder.documents.pop().expect("one document")),
        _ => Err(SyntaxError {
            pos: builder.second_document_at.unwrap_or(Pos::new(1 + line_offset, 1)),
            message: "the file holds several YAML documents (separated by `---`); keep one".into(),
        }),
    }
}

const INDENTATION_ERRORS: [&str; 4] =
    ["did not find expected '-' indicator", "did not find expected key", "invalid indentation", "block sequence entries are not allowed"];

fn is_indentation_error(info: &str) -> bool {
    INDENTATION_ERRORS.iter().any(|n| info.contains(n)) && !info.contains("quoted scalar")
}

/// Says what the parser's message means for an editor, keeping the parser's own words.
fn syntax_message(info: &str) -> String {
    let explained = [
        (
            &["invalid indentation in quoted scalar"][..],
            "a quoted text runs on to the next line without indentation; its closing quote may be missing",
        ),
        (
            &["illegal placement of ':'"][..],
            "unexpected `:` inside `[...]` or `{...}`; a bracket above may be left open, or a text containing `: ` needs quotes",
        ),
        (
            &INDENTATION_ERRORS[..],
            "the indentation of this line does not match the lines above it; keys of one map must line up, and list items (`- `) go under their key",
        ),
        (
            &["mapping values are not allowed", "mapping keys are not allowed"][..],
            "unexpected `:`; check the indentation, and put a text that contains `: ` between quotes",
        ),
        (&["tabs disallowed", "found a tab"][..], "indent with spaces, not tabs"),
        (
            &["flow mapping, did not find expected ',' or '}'"][..],
            "a `{` is not closed by a matching `}`, or a `,` is missing between its fields",
        ),
        (&["flow sequence, expected ',' or ']'"][..], "a `[` is not closed by a matching `]`, or a `,` is missing between its items"),
        (
            &["quoted scalar, found unexpected end of stream", "quoted scalar, found unexpected document indicator"][..],
            "a quoted text is never closed: its closing quote is missing",
        ),
        (
            &["trailing content after"][..],
            "text goes on after a closing quote; inside single quotes write a quote twice (''), or use the other kind of quotes",
        ),
        (
            &["unknown escape character", "hexadecimal number", "Unicode character escape"][..],
            "a backslash escape in a double-quoted text is not valid; write \\\\ for a backslash, or use single quotes",
        ),
        (&["found unknown anchor"][..], "an alias (`*name`) refers to no anchor (`&name`) before it"),
        (&["found duplicated anchor"][..], "the same anchor (`&name`) is defined twice"),
        (
            &["unexpected character", "did not find expected node content"][..],
            "a value starts with a character YAML reserves (such as @, ` or %); put the value between quotes",
        ),
        (&["recursion limit exceeded"][..], "the values are nested too deeply"),
    ];
    match explained.iter().find(|(needles, _)| needles.iter().any(|n| info.contains(n))) {
        Some((_, plain)) => format!("YAML syntax error: {plain} (the parser says: {info})"),
        None => format!("YAML syntax error: {info}"),
    }
}

enum Open {
    Seq(Pos, Vec<Node>, usize),
    Map(Pos, Vec<(Node, Node)>, Option<Node>, usize),
}

struct TreeBuilder {
    line_offset: usize,
    stack: Vec<Open>,
    documents: Vec<Node>,
    second_document_at: Option<Pos>,
    /// Nodes by anchor id, for aliases.
    anchors: Vec<(usize, Node)>,
    expanded: usize,
    expanded_bytes: usize,
    error: Option<SyntaxError>,
}

impl TreeBuilder {
    fn new(line_offset: usize) -> Self {
        TreeBuilder {
            line_offset,
            stack: Vec::new(),
            documents: Vec::new(),
            second_document_at: None,
            anchors: Vec::new(),
            expanded: 0,
            expanded_bytes: 0,
            error: None,
        }
    }

    fn pos(&self, marker: &Marker) -> Pos {
        // yaml-rust2 counts lines from 1 and columns from 0.
        Pos::new(marker.line() + self.line_offset, marker.col() + 1)
    }

    fn fail(&mut self, pos: Pos, message: String) {
        if self.error.is_none() {
            self.error = Some(SyntaxError { pos, message });
        }
    }

    fn remember(&mut self, anchor: usize, node: &Node) {
        if anchor > 0 {
            self.anchors.push((anchor, node.clone()));
        }
    }

    /// Attaches a finished node to its parent (or makes it a document).
    fn push(&mut self, node: Node) {
        match self.stack.last_mut() {
            None => {
                if !self.documents.is_empty() && self.second_document_at.is_none() {
                    self.second_document_at = Some(node.pos);
                }
                self.documents.push(node);
            }
            Some(Open::Seq(_, items, _)) => items.push(node),
            Some(Open::Map(_, entries, key, _)) => match key.take() {
                None => *key = Some(node),
                Some(k) => entries.push((k, node)),
            },
        }
    }
}

/// How many nodes and how many bytes of text a node holds.
fn measure(node: &Node) -> (usize, usize) {
    match &node.value {
        Value::Seq(items) => items.iter().map(measure).fold((1, 0), |(n, b), (n2, b2)| (n + n2, b + b2)),
        Value::Map(entries) => entries.iter().fold((1, 0), |(n, b), (k, v)| {
            let (kn, kb) = measure(k);
            let (vn, vb) = measure(v);
            (n + kn + vn, b + kb + vb)
        }),
        Value::Scalar { text, .. } => (1, text.len()),
        Value::Null => (1, 0),
    }
}

impl MarkedEventReceiver for TreeBuilder {
    fn on_event(&mut self, event: Event, marker: Marker) {
        if self.error.is_some() {
            return;
        }
        let pos = self.pos(&marker);
        match event {
            Event::Scalar(text, style, anchor, _tag) => {
                let quoted = !matches!(style, TScalarStyle::Plain);
                let value = if !quoted && matches!(text.as_str(), "" | "~" | "null" | "Null" | "NULL") {
                    Value::Null
                } else {
                    Value::Scalar { text, quoted }
                };
                let node = Node { pos, value };
                self.remember(anchor, &node);
                self.push(node);
            }
            Event::SequenceStart(anchor, _) => {
                if self.stack.len() >= DEPTH_LIMIT {
                    return self.fail(pos, format!("YAML nesting deeper than {DEPTH_LIMIT} levels"));
                }
                self.stack.push(Open::Seq(pos, Vec::new(), anchor));
            }
            Event::MappingStart(anchor, _) => {
                if self.stack.len() >= DEPTH_LIMIT {
                    return self.fail(pos, format!("YAML nesting deeper than {DEPTH_LIMIT} levels"));
                }
                self.stack.push(Open::Map(pos, Vec::new(), None, anchor));
            }
            Event::SequenceEnd => {
                if let Some(Open::Seq(start, items, anchor)) = self.stack.pop() {
                    let node = Node { pos: start, value: Value::Seq(items) };
                    self.remember(anchor, &node);
                    self.push(node);
                }
            }
            Event::MappingEnd => {
                if let Some(Open::Map(start, entries, _, anchor)) = self.stack.pop() {
                    // The parser marks a block map one column late; its first key is
                    // where an editor sees the map begin.
                    let start = entries.first().map_or(start, |(key, _)| key.pos);
                    let node = Node { pos: start, value: Value::Map(entries) };
                    self.remember(anchor, &node);
                    self.push(node);
                }
            }
            Event::Alias(anchor) => {
                let Some(target) = self.anchors.iter().rev().find(|(id, _)| *id == anchor) else {
                    return self.fail(pos, "YAML alias refers to an unknown anchor".into());
                };
                let target = target.1.clone();
                let (nodes, bytes) = measure(&target);
                self.expanded += nodes;
                self.expanded_bytes += bytes;
                if self.expanded_bytes > ALIAS_EXPANSION_BYTES {
                    return self.fail(
                        pos,
                        format!(
                            "YAML aliases copy more than {} MiB of text; the file looks like an alias bomb",
                            ALIAS_EXPANSION_BYTES / 1024 / 1024
                        ),
                    );
                }
                if self.expanded > ALIAS_EXPANSION_LIMIT {
                    return self.fail(
                        pos,
                        format!("YAML aliases expand to more than {ALIAS_EXPANSION_LIMIT} values; the file looks like an alias bomb"),
                    );
                }
                self.push(Node { pos, value: target.value });
            }
            Event::StreamStart | Event::StreamEnd | Event::DocumentStart | Event::DocumentEnd | Event::Nothing => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scalar(node: &Node) -> &str {
        match &node.value {
            Value::Scalar { text, .. } => text,
            other => panic!("not a scalar: {other:?}"),
        }
    }

    #[test]
    fn keeps_positions_of_keys_and_values() {
        let doc = parse("title: x\nitems:\n  - a\n  - b: 2\n", 0).unwrap();
        let Value::Map(entries) = &doc.value else { panic!() };
        assert_eq!(entries[0].0.pos, Pos::new(1, 1));
        assert_eq!(entries[0].1.pos, Pos::new(1, 8));
        let Value::Seq(items) = &entries[1].1.value else { panic!() };
        assert_eq!(scalar(&items[0]), "a");
        assert_eq!(items[0].pos, Pos::new(3, 5));
        assert_eq!(items[1].pos, Pos::new(4, 5));
    }

    #[test]
    fn line_offset_shifts_positions() {
        let doc = parse("a: 1\n", 1).unwrap();
        assert_eq!(doc.pos.line, 2);
    }

    #[test]
    fn syntax_error_has_a_position() {
        let err = parse("a: [1, 2\nb: 3\n", 0).unwrap_err();
        assert!(err.message.starts_with("YAML syntax error"), "{}", err.message);
        assert!(err.pos.line >= 1);
    }

    #[test]
    fn alias_bomb_is_refused_quickly() {
        let mut src = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        let mut prev = 'a';
        for name in "bcdefghijklmnop".chars() {
            src.push_str(&format!(
                "{name}: &{name} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"
            ));
            prev = name;
        }
        let err = parse(&src, 0).unwrap_err();
        assert!(err.message.contains("alias bomb"), "{}", err.message);
    }

    #[test]
    fn long_strings_aliased_many_times_are_refused() {
        let mut src = format!("a: &a \"{}\"\nb: [", "x".repeat(1024 * 1024));
        src.push_str(&vec!["*a"; 100].join(", "));
        src.push_str("]\n");
        let err = parse(&src, 0).unwrap_err();
        assert!(err.message.contains("alias bomb"), "{}", err.message);
    }

    #[test]
    fn small_aliases_are_expanded() {
        let doc = parse("a: &x {k: 1}\nb: *x\n", 0).unwrap();
        let Value::Map(entries) = &doc.value else { panic!() };
        assert_eq!(entries[0].1.value, entries[1].1.value);
    }

    #[test]
    fn several_documents_are_refused_at_the_second() {
        let err = parse("a: 1\n---\nb: 2\n---\nc: 3\n", 0).unwrap_err();
        assert!(err.message.contains("several YAML documents"));
        assert_eq!(err.pos, Pos::new(3, 1));
    }

    #[test]
    fn aliases_may_copy_up_to_16_mib_of_text() {
        // Each alias copies a map whose key and value are 1 MiB each: 2 MiB of text.
        let mut src = format!("a: &a [{{\"{}\": \"{}\"}}]\nb: [", "k".repeat(1024 * 1024), "v".repeat(1024 * 1024));
        src.push_str(&["*a"; 8].join(", "));
        src.push_str("]\n");
        let doc = parse(&src, 0).expect("16 MiB of aliased text is not a bomb");
        let Value::Map(entries) = &doc.value else { panic!() };
        assert!(matches!(&entries[1].1.value, Value::Seq(items) if items.len() == 8));
        src.insert_str(src.len() - 2, ", *a");
        let err = parse(&src, 0).unwrap_err();
        assert_eq!(err.message, "YAML aliases copy more than 16 MiB of text; the file looks like an alias bomb");
    }

    #[test]
    fn aliases_may_expand_to_100000_values() {
        // A list of 3,333 one-key maps is 10,000 values; ten aliases of it expand to 100,000.
        let mut src = format!("a: &a [{}]\nb: [", vec!["{k: x}"; 3_333].join(", "));
        src.push_str(&["*a"; 10].join(", "));
        src.push_str("]\n");
        parse(&src, 0).expect("100,000 values are not a bomb");
        src.insert_str(src.len() - 2, ", *a");
        let err = parse(&src, 0).unwrap_err();
        assert_eq!(err.message, "YAML aliases expand to more than 100000 values; the file looks like an alias bomb");
    }

    #[test]
    fn messages_name_the_kind_of_value_found() {
        let doc = parse("- ~\n- '12'\n- 12.5\n- true\n- false\n- yes\n- [1]\n- {a: 1}\n", 0).unwrap();
        let Value::Seq(items) = &doc.value else { panic!() };
        let kinds: Vec<&str> = items.iter().map(Node::kind_name).collect();
        assert_eq!(kinds, ["nothing", "a string", "a number", "a boolean", "a boolean", "a string", "a list", "a map"]);
    }

    #[test]
    fn only_indentation_errors_point_at_where_the_line_starts() {
        let err = parse("a: b: c\n", 0).unwrap_err();
        assert!(err.message.contains("mapping values are not allowed"), "{}", err.message);
        assert_eq!(err.pos, Pos::new(1, 5));
        let err = parse("a:\n  b: 1\n c: 2\n", 0).unwrap_err();
        assert!(err.message.contains("indentation of this line"), "{}", err.message);
        assert_eq!(err.pos, Pos::new(3, 2));
    }

    #[test]
    fn an_empty_document_sits_on_the_first_line_after_the_offset() {
        assert_eq!(parse("", 2).unwrap().pos, Pos::new(3, 1));
        assert_eq!(parse("# only a comment\n", 0).unwrap(), Node { pos: Pos::new(1, 1), value: Value::Null });
    }

    #[test]
    fn empty_and_null_are_null() {
        assert_eq!(parse("", 0).unwrap().value, Value::Null);
        let doc = parse("a:\nb: ~\nc: 'null'\n", 0).unwrap();
        let Value::Map(entries) = &doc.value else { panic!() };
        assert_eq!(entries[0].1.value, Value::Null);
        assert_eq!(entries[1].1.value, Value::Null);
        assert_eq!(scalar(&entries[2].1), "null");
    }
}
