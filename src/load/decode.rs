//! Reading typed values out of a [`Node`] tree, collecting every problem on the way.
//!
//! Each reader returns `Option`: `None` means the value was missing or wrong and a
//! diagnostic has been recorded, so callers keep going and report everything in one run.

use std::collections::BTreeSet;

use crate::diagnostics::Diagnostics;
use crate::load::yaml::{Node, Value};
use crate::model::{Date, Pos, Ref, Text};

/// Where a value sits in a file, both for machines (`activities[2].end`) and for people
/// (`activity 3 "end"`).
#[derive(Debug, Clone, Default)]
pub struct Field {
    pub dotted: String,
    context: String,
    key: String,
}

impl Field {
    pub fn root() -> Field {
        Field::default()
    }

    /// A key of this field's map.
    pub fn key(&self, key: &str) -> Field {
        let dotted = if self.dotted.is_empty() { key.to_string() } else { format!("{}.{key}", self.dotted) };
        let key = if self.key.is_empty() { key.to_string() } else { format!("{}.{key}", self.key) };
        Field { dotted, context: self.context.clone(), key }
    }

    /// Item `index` (from 0) of this list, called `noun` in messages ("activity 3").
    pub fn item(&self, index: usize, noun: &str) -> Field {
        // The list's own key is implied by the noun: "indicator 2 value 1", not
        // "indicator 2 "values" value 1".
        let context = format!("{}{noun} {} ", self.context, index + 1);
        Field { dotted: format!("{}[{index}]", self.dotted), context, key: String::new() }
    }

    /// How a sentence names the field: `activity 3 "end"`, `"title"`, `activity 3`.
    pub fn human(&self) -> String {
        match (self.context.is_empty(), self.key.is_empty()) {
            (_, false) => format!("{}\"{}\"", self.context, self.key),
            (false, true) => self.context.trim_end().to_string(),
            (true, true) => "the file".to_string(),
        }
    }

    /// The context alone, for "unknown field ... in activity 3".
    fn owner(&self) -> String {
        self.human()
    }
}

/// English names of language codes, for messages.
pub fn language_name(code: &str) -> String {
    let name = match code {
        "ar" => "Arabic",
        "fr" => "French",
        "en" => "English",
        "es" => "Spanish",
        "zgh" => "Amazigh",
        "ber" => "Berber",
        _ => return format!("\"{code}\""),
    };
    format!("{name} ({code})")
}

/// The closest of `candidates` to `word`, when it is close enough to be a likely typo.
pub fn did_you_mean<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (strsim::levenshtein(&word.to_lowercase(), c), c))
        // Close enough to be a typo, and not a rewrite of the whole word: "en" is not a
        // typo of "ar", though both are two letters apart.
        .filter(|(distance, c)| {
            let shorter = c.chars().count().min(word.chars().count());
            *distance <= (c.chars().count().max(word.chars().count()) / 3).max(2) && *distance < shorter
        })
        .min_by_key(|(distance, c)| (*distance, *c))
        .map(|(_, c)| c)
}

pub fn suggestion<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> String {
    match did_you_mean(word, candidates) {
        Some(close) => format!("; did you mean \"{close}\"?"),
        None => String::new(),
    }
}

/// Is this a valid identifier (`^[a-z0-9][a-z0-9-]{0,63}$`)?
pub fn is_id(text: &str) -> bool {
    let bytes = text.as_bytes();
    !bytes.is_empty()
        && bytes.len() <= 64
        && (bytes[0].is_ascii_lowercase() || bytes[0].is_ascii_digit())
        && bytes.iter().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'-')
}

/// A map's entries, after its keys have been checked against the known field names.
pub struct Map<'n> {
    pub pos: Pos,
    entries: Vec<(&'n str, &'n Node)>,
}

impl<'n> Map<'n> {
    pub fn get(&self, key: &str) -> Option<&'n Node> {
        self.entries.iter().find(|(k, _)| *k == key).map(|(_, v)| *v).filter(|v| v.value != Value::Null)
    }
}

/// The reading context of one file.
pub struct Reader<'a> {
    pub path: &'a str,
    pub languages: &'a [String],
    pub diagnostics: &'a mut Diagnostics,
}

impl<'a> Reader<'a> {
    pub fn error(&mut self, pos: Pos, field: &Field, message: String) {
        self.diagnostics.error(self.path, pos, &field.dotted, message);
    }

    pub fn warning(&mut self, pos: Pos, field: &Field, message: String) {
        self.diagnostics.warning(self.path, pos, &field.dotted, message);
    }

    /// Reads a map, reporting keys that are not in `known` (with a suggestion), keys
    /// given twice, and keys that are not strings.
    pub fn map<'n>(&mut self, node: &'n Node, field: &Field, known: &[&str]) -> Option<Map<'n>> {
        let Value::Map(entries) = &node.value else {
            let message = if field.dotted.is_empty() {
                format!(
                    "the file must hold a map of fields (such as `{}: ...`), found {}",
                    known.first().unwrap_or(&"title"),
                    node.kind_name()
                )
            } else {
                format!("{} must be a map of fields, found {}", field.human(), node.kind_name())
            };
            self.error(node.pos, field, message);
            return None;
        };
        let mut seen = BTreeSet::new();
        let mut kept = Vec::new();
        for (key, value) in entries {
            let Value::Scalar { text, .. } = &key.value else {
                self.error(key.pos, field, format!("a key in {} is {}; keys must be plain names", field.human(), key.kind_name()));
                continue;
            };
            if !known.contains(&text.as_str()) {
                let place = if field.dotted.is_empty() { String::new() } else { format!(" in {}", field.owner()) };
                let hint = suggestion(text, known.iter().copied());
                let expected = if hint.is_empty() { format!("; expected one of: {}", known.join(", ")) } else { hint };
                self.error(key.pos, &field.key(text), format!("unknown field \"{text}\"{place}{expected}"));
                continue;
            }
            if !seen.insert(text.as_str()) {
                self.error(key.pos, &field.key(text), format!("{} is given twice", field.key(text).human()));
                continue;
            }
            kept.push((text.as_str(), value));
        }
        Some(Map { pos: node.pos, entries: kept })
    }

    /// A field that must be present and not empty.
    pub fn required<'n>(&mut self, map: &Map<'n>, key: &str, field: &Field) -> Option<&'n Node> {
        let found = map.get(key);
        if found.is_none() {
            let message = if field.dotted.is_empty() {
                format!("the required field \"{key}\" is missing")
            } else {
                format!("{} is missing the required field \"{key}\"", field.human())
            };
            self.error(map.pos, &field.key(key), message);
        }
        found
    }

    fn scalar<'n>(&mut self, node: &'n Node, field: &Field, expected: &str) -> Option<&'n str> {
        match &node.value {
            Value::Scalar { text, .. } => Some(text),
            _ => {
                self.error(node.pos, field, format!("{} must be {expected}, found {}", field.human(), node.kind_name()));
                None
            }
        }
    }

    pub fn string(&mut self, node: &Node, field: &Field) -> Option<String> {
        self.scalar(node, field, "a string").map(str::to_string)
    }

    /// A string that must say something (a page's title).
    pub fn non_empty_string(&mut self, node: &Node, field: &Field) -> Option<String> {
        let text = self.string(node, field)?;
        if text.trim().is_empty() {
            self.error(node.pos, field, format!("{} is empty", field.human()));
            return None;
        }
        Some(text)
    }

    pub fn url(&mut self, node: &Node, field: &Field) -> Option<String> {
        let text = self.scalar(node, field, "a URL")?;
        let ok = (text.starts_with("https://") || text.starts_with("http://")) && !text.contains(char::is_whitespace);
        if !ok {
            self.error(node.pos, field, format!("{} (\"{text}\") must be a web address starting with https:// or http://", field.human()));
            return None;
        }
        Some(text.to_string())
    }

    pub fn number(&mut self, node: &Node, field: &Field) -> Option<f64> {
        let text = self.scalar(node, field, "a number")?;
        let quoted = matches!(node.value, Value::Scalar { quoted: true, .. });
        match text.parse::<f64>() {
            Ok(n) if n.is_finite() && !quoted => Some(n),
            Ok(n) if n.is_finite() => {
                self.error(
                    node.pos,
                    field,
                    format!("{} must be a number, found the quoted text \"{text}\"; remove the quotes", field.human()),
                );
                None
            }
            _ => {
                self.error(node.pos, field, format!("{} must be a number, found \"{text}\"", field.human()));
                None
            }
        }
    }

    /// A whole number from 0 up.
    pub fn count(&mut self, node: &Node, field: &Field) -> Option<u64> {
        let text = self.scalar(node, field, "a whole number")?;
        match text.parse::<u64>() {
            Ok(n) if matches!(node.value, Value::Scalar { quoted: false, .. }) => Some(n),
            Ok(_) => {
                self.error(
                    node.pos,
                    field,
                    format!("{} must be a whole number from 0 up, found the quoted text \"{text}\"; remove the quotes", field.human()),
                );
                None
            }
            _ => {
                self.error(node.pos, field, format!("{} must be a whole number from 0 up, found \"{text}\"", field.human()));
                None
            }
        }
    }

    pub fn integer(&mut self, node: &Node, field: &Field) -> Option<i64> {
        let text = self.scalar(node, field, "a whole number")?;
        match text.parse::<i64>() {
            Ok(n) if matches!(node.value, Value::Scalar { quoted: false, .. }) => Some(n),
            Ok(_) => {
                self.error(
                    node.pos,
                    field,
                    format!("{} must be a whole number, found the quoted text \"{text}\"; remove the quotes", field.human()),
                );
                None
            }
            _ => {
                self.error(node.pos, field, format!("{} must be a whole number, found \"{text}\"", field.human()));
                None
            }
        }
    }

    /// A percentage from 0 to 100.
    pub fn progress(&mut self, node: &Node, field: &Field) -> Option<f64> {
        let value = self.number(node, field)?;
        if !(0.0..=100.0).contains(&value) {
            self.error(node.pos, field, format!("{} ({}) is outside 0..100", field.human(), format_number(value)));
            return None;
        }
        Some(value)
    }

    pub fn date(&mut self, node: &Node, field: &Field) -> Option<Date> {
        let text = self.scalar(node, field, "a date")?;
        let Some(date) = Date::parse(text) else {
            self.error(node.pos, field, format!("{} (\"{text}\") is not a valid date; write YYYY, YYYY-MM or YYYY-MM-DD", field.human()));
            return None;
        };
        if !date.in_year_window() {
            self.error(node.pos, field, format!("{} ({date}) is outside {}", field.human(), Date::year_window()));
            return None;
        }
        Some(date)
    }

    /// One of a closed set of keywords.
    pub fn keyword<T>(&mut self, node: &Node, field: &Field, names: &[&str], parse: fn(&str) -> Option<T>) -> Option<T> {
        let text = self.scalar(node, field, "a keyword")?;
        let value = parse(text);
        if value.is_none() {
            let hint = suggestion(text, names.iter().copied());
            self.error(node.pos, field, format!("{} (\"{text}\") must be one of: {}{hint}", field.human(), names.join(", ")));
        }
        value
    }

    pub fn list<'n>(&mut self, node: &'n Node, field: &Field) -> Option<&'n [Node]> {
        match &node.value {
            Value::Seq(items) => Some(items),
            _ => {
                self.error(node.pos, field, format!("{} must be a list, found {}", field.human(), node.kind_name()));
                None
            }
        }
    }

    /// A reference to another entity by its ID.
    pub fn reference(&mut self, node: &Node, field: &Field) -> Option<Ref> {
        let text = self.scalar(node, field, "an identifier")?;
        if !is_id(text) {
            self.error(
                node.pos,
                field,
                format!("{} (\"{text}\") is not a valid identifier; use lower-case letters, digits and hyphens", field.human()),
            );
            return None;
        }
        Some(Ref { id: text.to_string(), pos: node.pos })
    }

    pub fn references(&mut self, node: &Node, field: &Field, noun: &str) -> Vec<Ref> {
        let Some(items) = self.list(node, field) else { return Vec::new() };
        items.iter().enumerate().filter_map(|(i, item)| self.reference(item, &field.item(i, noun))).collect()
    }

    /// A text in the site's languages. A language that is missing or empty is a warning;
    /// a language the site does not declare is an error.
    pub fn text(&mut self, node: &Node, field: &Field) -> Option<Text> {
        self.text_in_languages(node, field, false)
    }

    /// A text the entity cannot do without (a title, a name): like [`Reader::text`], but
    /// a text with no language at all is an error, since the entity cannot be shown.
    pub fn required_text(&mut self, node: &Node, field: &Field) -> Option<Text> {
        self.text_in_languages(node, field, true)
    }

    fn text_in_languages(&mut self, node: &Node, field: &Field, required: bool) -> Option<Text> {
        let Value::Map(entries) = &node.value else {
            let example = self.languages.iter().map(|l| format!("{l}: ...")).collect::<Vec<_>>().join(", ");
            self.error(
                node.pos,
                field,
                format!("{} must give one text per language, like {{{example}}}; found {}", field.human(), node.kind_name()),
            );
            return None;
        };
        let mut text = Text::default();
        for (key, value) in entries {
            let Value::Scalar { text: lang, .. } = &key.value else {
                self.error(key.pos, field, format!("{} has a key that is not a language code", field.human()));
                continue;
            };
            let lang_field = field.key(lang);
            if !self.languages.iter().any(|l| l == lang) {
                let hint = suggestion(lang, self.languages.iter().map(String::as_str));
                self.error(
                    key.pos,
                    &lang_field,
                    format!(
                        "{} uses the language \"{lang}\", which site.yaml does not declare (languages: {}){hint}",
                        field.human(),
                        self.languages.join(", ")
                    ),
                );
                continue;
            }
            if text.contains(lang) {
                self.error(key.pos, &lang_field, format!("{} gives {} twice", field.human(), language_name(lang)));
                continue;
            }
            match &value.value {
                Value::Scalar { text: s, .. } if !s.trim().is_empty() => {
                    if is_placeholder(s) {
                        let named = format!("{} in {}", field.human(), language_name(lang));
                        self.warning(value.pos, &lang_field, placeholder_message(&named));
                    }
                    text.insert(lang.clone(), s.clone());
                }
                Value::Scalar { .. } | Value::Null => {}
                _ => self.error(
                    value.pos,
                    &lang_field,
                    format!("{} in {} must be a string, found {}", field.human(), language_name(lang), value.kind_name()),
                ),
            }
        }
        if required && text.is_empty() {
            let wanted = self.languages.iter().map(|l| language_name(l)).collect::<Vec<_>>().join(", ");
            self.error(node.pos, field, format!("{} is empty; give its text in {wanted}", field.human()));
            return None;
        }
        let languages = self.languages.to_vec();
        for lang in &languages {
            if !text.contains(lang) {
                let message = format!("{} has no {} text yet", field.human(), language_name(lang));
                self.diagnostics.untranslated(self.path, node.pos, &field.key(lang).dotted, lang, message);
            }
        }
        if text.is_empty() { None } else { Some(text) }
    }
}

/// Is this text still a placeholder, as `shafaf new` writes them (`TODO: ...`)?
pub fn is_placeholder(text: &str) -> bool {
    text.trim_start().starts_with("TODO")
}

/// The warning for a placeholder left in the field `named` ("\"title\" in Arabic (ar)").
pub fn placeholder_message(named: &str) -> String {
    format!("{named} is still a placeholder starting with \"TODO\"; replace it with the real text")
}

/// A number as people write it: no trailing `.0`.
pub fn format_number(value: f64) -> String {
    if value.fract() == 0.0 && value.abs() < 1e15 { format!("{}", value as i64) } else { format!("{value}") }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_follow_the_pattern() {
        assert!(is_id("2024-2027"));
        assert!(is_id("open-data"));
        assert!(!is_id("-open"));
        assert!(!is_id("Open"));
        assert!(!is_id("open_data"));
        assert!(!is_id(""));
        assert!(!is_id(&"a".repeat(65)));
        assert!(is_id(&"a".repeat(64)));
    }

    #[test]
    fn suggests_close_names_only() {
        assert_eq!(did_you_mean("titel", ["title", "area"]), Some("title"));
        assert_eq!(did_you_mean("participents", ["participants", "women"]), Some("participants"));
        assert_eq!(did_you_mean("zzzzzz", ["title", "area"]), None);
        assert_eq!(did_you_mean("en", ["ar", "fr"]), None);
        assert_eq!(did_you_mean("fe", ["ar", "fr"]), Some("fr"));
    }

    #[test]
    fn messages_name_the_languages_they_know_in_english_and_others_by_their_code() {
        for (code, name) in [
            ("ar", "Arabic (ar)"),
            ("fr", "French (fr)"),
            ("en", "English (en)"),
            ("es", "Spanish (es)"),
            ("zgh", "Amazigh (zgh)"),
            ("ber", "Berber (ber)"),
            ("tzm", "\"tzm\""),
        ] {
            assert_eq!(language_name(code), name);
        }
    }

    #[test]
    fn a_typo_may_be_a_third_of_the_longer_word_away_but_no_further() {
        // 3 edits in a 12-letter word: within a third.
        assert_eq!(did_you_mean("partcpnts", ["participants"]), Some("participants"));
        // 6 edits: more than a third, though fewer than the shorter word's 10 letters.
        assert_eq!(did_you_mean("parliament", ["participants"]), None);
        assert_eq!(suggestion("partcpnts", ["participants", "women"]), "; did you mean \"participants\"?");
        assert_eq!(suggestion("parliament", ["participants"]), "");
    }

    #[test]
    fn numbers_are_written_as_people_write_them_without_a_minus_zero_or_an_overflow() {
        assert_eq!(format_number(42.0), "42");
        assert_eq!(format_number(-3.0), "-3");
        assert_eq!(format_number(12.5), "12.5");
        assert_eq!(format_number(999_999_999_999_999.0), "999999999999999");
        assert_eq!(format_number(1e20), "100000000000000000000");
        assert_eq!(format_number(-0.0), "0");
    }

    /// Reads the document `yaml` with `read` as the field `n`: the value and the messages.
    fn read<T>(yaml: &str, read: impl FnOnce(&mut Reader<'_>, &Node, &Field) -> Option<T>) -> (Option<T>, Vec<String>) {
        let node = crate::load::yaml::parse(yaml, 0).unwrap();
        let mut diagnostics = Diagnostics::default();
        let languages = ["ar".to_string(), "fr".to_string()];
        let mut reader = Reader { path: "x.yaml", languages: &languages, diagnostics: &mut diagnostics };
        let value = read(&mut reader, &node, &Field::root().key("n"));
        (value, diagnostics.sorted().into_iter().map(|d| d.message).collect())
    }

    #[test]
    fn numbers_in_quotes_are_refused_with_a_hint_to_remove_the_quotes() {
        assert_eq!(read("12", |r, n, f| r.count(n, f)), (Some(12), vec![]));
        let quoted = "\"n\" must be a whole number from 0 up, found the quoted text \"12\"; remove the quotes";
        assert_eq!(read("'12'", |r, n, f| r.count(n, f)), (None, vec![quoted.to_string()]));
        let negative = "\"n\" must be a whole number from 0 up, found \"-3\"";
        assert_eq!(read("-3", |r, n, f| r.count(n, f)), (None, vec![negative.to_string()]));

        assert_eq!(read("-3", |r, n, f| r.integer(n, f)), (Some(-3), vec![]));
        let quoted = "\"n\" must be a whole number, found the quoted text \"-3\"; remove the quotes";
        assert_eq!(read("'-3'", |r, n, f| r.integer(n, f)), (None, vec![quoted.to_string()]));
        let fraction = "\"n\" must be a whole number, found \"2.5\"";
        assert_eq!(read("2.5", |r, n, f| r.integer(n, f)), (None, vec![fraction.to_string()]));

        assert_eq!(read("2.5", |r, n, f| r.number(n, f)), (Some(2.5), vec![]));
        let quoted = "\"n\" must be a number, found the quoted text \"2.5\"; remove the quotes";
        assert_eq!(read("\"2.5\"", |r, n, f| r.number(n, f)), (None, vec![quoted.to_string()]));
        // Infinity parses as a float, quoted or not; it is not a number anyone reports.
        for infinite in ["inf", "'inf'"] {
            let message = "\"n\" must be a number, found \"inf\"";
            assert_eq!(read(infinite, |r, n, f| r.number(n, f)), (None, vec![message.to_string()]), "{infinite}");
        }
    }

    #[test]
    fn human_field_names() {
        let f = Field::root().item(2, "activity").key("end");
        assert_eq!(f.human(), "activity 3 \"end\"");
        assert_eq!(f.dotted, "[2].end");
        let f = Field::root().key("activities").item(2, "activity").key("end");
        assert_eq!(f.dotted, "activities[2].end");
        assert_eq!(Field::root().key("target").key("value").human(), "\"target.value\"");
        assert_eq!(Field::root().key("title").human(), "\"title\"");
    }
}
