//! Diagnostics: what is wrong, where, and how to say it to an editor, a script or GitHub.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;
use std::io::{self, Write};
use std::ops::Range;

use codespan_reporting::diagnostic::{Diagnostic as Report, Label};
use codespan_reporting::files::{self, Files, SimpleFiles};
use codespan_reporting::term::{self, termcolor::WriteColor};
use serde::Serialize;

use crate::model::Pos;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    /// A text missing in a language the site declares `partial`: summed up by `check`,
    /// never a warning, so `--strict` passes while a translation is under way.
    Note,
}

/// One problem in the content, tied to a file, a position and a field.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Diagnostic {
    /// Path relative to the site root, with `/` separators.
    pub path: String,
    pub line: usize,
    pub column: usize,
    pub severity: Severity,
    /// The field in dotted form (`activities[2].end`), empty for the whole file.
    pub field: String,
    /// One plain English sentence.
    pub message: String,
    /// For a missing translation, the language it is missing in: `check` sums these up
    /// per language and file instead of printing each (see [`Translations`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub untranslated: Option<String>,
}

impl Diagnostic {
    /// The diagnostic as it may be printed: control characters in its path, field and
    /// message shown escaped (see [`escape_controls`]).
    pub fn escaped(&self) -> Diagnostic {
        Diagnostic {
            path: escape_controls(&self.path).into_owned(),
            field: escape_controls(&self.field).into_owned(),
            message: escape_controls(&self.message).into_owned(),
            ..self.clone()
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let severity = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "note",
        };
        let (path, message) = (escape_controls(&self.path), escape_controls(&self.message));
        write!(f, "{path}:{}:{}: {severity}: {message}", self.line, self.column)
    }
}

/// Shows every control character but newline and tab as a Rust-style escape (`\u{1b}`),
/// so that a value, a file name or a source line quoted in a diagnostic can never drive
/// the terminal that prints it (clear it, retitle it, hide text). Every printer goes
/// through here: the human format (messages and source snippets), JSON and GitHub.
pub fn escape_controls(text: &str) -> Cow<'_, str> {
    if text.chars().all(shown_as_it_is) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if shown_as_it_is(c) {
            out.push(c);
        } else {
            out.extend(c.escape_unicode());
        }
    }
    Cow::Owned(out)
}

/// Whether [`escape_controls`] leaves a character as it is.
fn shown_as_it_is(c: char) -> bool {
    !c.is_control() || c == '\n' || c == '\t'
}

/// How many bytes a character takes once [`escape_controls`] has shown it.
fn shown_len(c: char) -> usize {
    if shown_as_it_is(c) { c.len_utf8() } else { c.escape_unicode().len() }
}

/// Collects diagnostics; nothing stops at the first problem.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn push(&mut self, severity: Severity, path: &str, pos: Pos, field: &str, message: String) {
        self.items.push(Diagnostic {
            path: path.to_string(),
            line: pos.line,
            column: pos.column,
            severity,
            field: field.to_string(),
            message,
            untranslated: None,
        });
    }

    /// A warning that the text of `field` has no `lang` version yet.
    pub fn untranslated(&mut self, path: &str, pos: Pos, field: &str, lang: &str, message: String) {
        self.push(Severity::Warning, path, pos, field, message);
        if let Some(last) = self.items.last_mut() {
            last.untranslated = Some(lang.to_string());
        }
    }

    /// The missing translations, per language and file.
    pub fn translations(&self) -> Translations {
        let mut languages: BTreeMap<String, LanguageSummary> = BTreeMap::new();
        for d in self.sorted() {
            let Some(lang) = &d.untranslated else { continue };
            let summary = languages.entry(lang.clone()).or_default();
            summary.missing += 1;
            *summary.files.entry(d.path.clone()).or_default() += 1;
        }
        Translations { languages }
    }

    /// The same diagnostics without the missing translations (which `check` sums up).
    pub fn without_translations(&self) -> Diagnostics {
        Diagnostics { items: self.items.iter().filter(|d| d.untranslated.is_none()).cloned().collect() }
    }

    pub fn error(&mut self, path: &str, pos: Pos, field: &str, message: String) {
        self.push(Severity::Error, path, pos, field, message);
    }

    pub fn warning(&mut self, path: &str, pos: Pos, field: &str, message: String) {
        self.push(Severity::Warning, path, pos, field, message);
    }

    pub fn extend(&mut self, other: Diagnostics) {
        self.items.extend(other.items);
    }

    /// Turns every warning into an error (`--strict`); notes stay notes.
    pub fn make_warnings_errors(&mut self) {
        for item in self.items.iter_mut().filter(|d| d.severity == Severity::Warning) {
            item.severity = Severity::Error;
        }
    }

    /// Missing texts in the `partial` languages become notes (see [`Severity::Note`]).
    pub fn settle_partial_languages(&mut self, partial: &[String]) {
        let in_partial = |d: &Diagnostic| d.untranslated.as_ref().is_some_and(|lang| partial.contains(lang));
        for item in self.items.iter_mut().filter(|d| in_partial(d)) {
            item.severity = Severity::Note;
        }
    }

    pub fn error_count(&self) -> usize {
        self.items.iter().filter(|d| d.severity == Severity::Error).count()
    }

    pub fn warning_count(&self) -> usize {
        self.items.iter().filter(|d| d.severity == Severity::Warning).count()
    }

    pub fn has_errors(&self) -> bool {
        self.error_count() > 0
    }

    /// The diagnostics in a stable order: by file, then position.
    pub fn sorted(&self) -> Vec<Diagnostic> {
        let mut items = self.items.clone();
        items.sort();
        items.dedup();
        items
    }

    /// Drops the diagnostics of one file (when `serve` reads it again).
    pub fn remove_file(&mut self, path: &str) {
        self.items.retain(|d| d.path != path);
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
}

/// What is left to translate: per language, how many texts are missing, and in which
/// files.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Translations {
    pub languages: BTreeMap<String, LanguageSummary>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct LanguageSummary {
    /// Texts (fields, pages, posts) with no version in the language.
    pub missing: usize,
    /// Per file, how many of them it holds.
    pub files: BTreeMap<String, usize>,
}

impl Translations {
    /// The summary `check` ends with: one line per language with its count, then its
    /// files, the most to translate first. `languages` gives the order (the site's).
    pub fn print(&self, out: &mut dyn Write, languages: &[(String, String)]) -> io::Result<()> {
        for (code, label) in languages {
            let Some(summary) = self.languages.get(code) else { continue };
            let files = summary.files.len();
            writeln!(
                out,
                "translation to {label}: {} texts missing in {files} file{}",
                summary.missing,
                if files == 1 { "" } else { "s" }
            )?;
            let mut by_count: Vec<(&String, &usize)> = summary.files.iter().collect();
            by_count.sort_by(|a, b| b.1.cmp(a.1).then_with(|| a.0.cmp(b.0)));
            for (path, n) in by_count {
                writeln!(out, "  {n:>4}  {}", escape_controls(path))?;
            }
        }
        Ok(())
    }
}

/// How `check` prints its findings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Each problem with the offending line and a caret.
    Human,
    /// One JSON document, for scripts.
    Json,
    /// GitHub Actions workflow commands, so pull requests show problems inline.
    Github,
}

/// The source text of each file, for the snippets of the human format.
pub type Sources = BTreeMap<String, String>;

/// The source files as the human format's snippets show them, control characters
/// escaped, while the location above a snippet counts the characters of the file as it
/// is (an escaped BEL is one column there, not six), as every other format does.
struct ShownFiles<'a> {
    shown: SimpleFiles<String, String>,
    originals: Vec<&'a str>,
}

impl<'a> ShownFiles<'a> {
    fn new() -> Self {
        ShownFiles { shown: SimpleFiles::new(), originals: Vec::new() }
    }

    fn add(&mut self, path: &str, text: &'a str) -> usize {
        self.originals.push(text);
        self.shown.add(escape_controls(path).into_owned(), escape_controls(text).into_owned())
    }
}

impl<'f> Files<'f> for ShownFiles<'_> {
    type FileId = usize;
    type Name = String;
    type Source = &'f str;

    fn name(&'f self, id: usize) -> Result<String, files::Error> {
        self.shown.name(id)
    }

    fn source(&'f self, id: usize) -> Result<&'f str, files::Error> {
        self.shown.source(id)
    }

    fn line_index(&'f self, id: usize, byte_index: usize) -> Result<usize, files::Error> {
        self.shown.line_index(id, byte_index)
    }

    fn line_range(&'f self, id: usize, line_index: usize) -> Result<Range<usize>, files::Error> {
        self.shown.line_range(id, line_index)
    }

    /// The column of a byte of the shown text, counted in the file's own characters.
    /// Escaping never adds or removes a newline, so the line is the same in both.
    fn column_number(&'f self, id: usize, line_index: usize, byte_index: usize) -> Result<usize, files::Error> {
        let original = self.originals.get(id).ok_or(files::Error::FileMissing)?;
        let shown_line_start = self.line_range(id, line_index)?.start;
        let line_start =
            if line_index == 0 { 0 } else { original.match_indices('\n').nth(line_index - 1).map_or(original.len(), |(i, _)| i + 1) };
        let mut shown_offset = shown_line_start;
        let before = original[line_start..].chars().take_while(|&c| {
            shown_offset += shown_len(c);
            shown_offset <= byte_index
        });
        Ok(before.count() + 1)
    }
}

pub fn print_human(out: &mut dyn WriteColor, diagnostics: &Diagnostics, sources: &Sources) -> io::Result<()> {
    let mut files = ShownFiles::new();
    let mut ids = BTreeMap::new();
    // The snippets show the escaped text; a label's range is moved to match.
    for (path, text) in sources {
        ids.insert(path.as_str(), files.add(path, text));
    }
    let config = term::Config::default();
    for diagnostic in diagnostics.sorted() {
        let shown = diagnostic.escaped();
        let report = match diagnostic.severity {
            Severity::Error => Report::error(),
            Severity::Warning => Report::warning(),
            Severity::Note => Report::note(),
        }
        .with_message(&shown.message);
        let labelled = ids.get(diagnostic.path.as_str()).and_then(|&id| {
            let text = sources.get(&diagnostic.path)?;
            let start = byte_offset(text, diagnostic.line, diagnostic.column)?;
            let end = token_end(text, start);
            let start_shown = escape_controls(&text[..start]).len();
            let end_shown = start_shown + escape_controls(&text[start..end]).len();
            Some(report.clone().with_labels(vec![Label::primary(id, start_shown..end_shown).with_message(label(&shown))]))
        });
        match labelled {
            Some(report) => term::emit_to_write_style(out, &config, &files, &report).map_err(|e| io::Error::other(e.to_string()))?,
            // Files that could not be read as text have no snippet: print the location.
            None => writeln!(out, "{diagnostic}")?,
        }
    }
    Ok(())
}

fn label(diagnostic: &Diagnostic) -> String {
    if diagnostic.field.is_empty() { String::new() } else { format!("in `{}`", diagnostic.field) }
}

/// The byte offset of a 1-based line and character column, if it lies in the text.
pub fn byte_offset(text: &str, line: usize, column: usize) -> Option<usize> {
    let line_start = if line <= 1 { 0 } else { text.match_indices('\n').nth(line - 2).map(|(i, _)| i + 1)? };
    let rest = &text[line_start..];
    let line_len = rest.find('\n').unwrap_or(rest.len());
    let within = rest[..line_len].char_indices().nth(column.saturating_sub(1)).map(|(i, _)| i).unwrap_or(line_len);
    Some(line_start + within)
}

/// The end of the word starting at `start`, so the caret underlines the whole value.
fn token_end(text: &str, start: usize) -> usize {
    let rest = &text[start..];
    let len = rest.find(['\n', ',', '}', ']']).unwrap_or(rest.len());
    let trimmed = rest[..len].trim_end().len();
    start + trimmed.max(rest.chars().next().map_or(0, char::len_utf8))
}

/// The JSON document: the counts, every diagnostic (missing translations included, each
/// with its `untranslated` language) and the translation summary.
pub fn print_json(out: &mut dyn Write, diagnostics: &Diagnostics) -> io::Result<()> {
    #[derive(Serialize)]
    struct Summary {
        errors: usize,
        warnings: usize,
        diagnostics: Vec<Diagnostic>,
        translations: BTreeMap<String, LanguageSummary>,
    }
    let summary = Summary {
        errors: diagnostics.error_count(),
        warnings: diagnostics.warning_count(),
        diagnostics: diagnostics.sorted().iter().map(Diagnostic::escaped).collect(),
        translations: diagnostics.translations().languages,
    };
    serde_json::to_writer_pretty(&mut *out, &summary)?;
    writeln!(out)
}

/// GitHub workflow commands, one per problem (missing translations included: each shows
/// on its line of the pull request).
pub fn print_github(out: &mut dyn Write, diagnostics: &Diagnostics) -> io::Result<()> {
    for d in diagnostics.sorted().iter().map(Diagnostic::escaped) {
        let command = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "notice",
        };
        writeln!(out, "::{command} file={},line={},col={}::{}", escape_property(&d.path), d.line, d.column, escape_data(&d.message))?;
    }
    Ok(())
}

/// Escapes a workflow command's message as the GitHub runner expects.
fn escape_data(text: &str) -> String {
    text.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn byte_offset_counts_characters() {
        let text = "a: 1\nعنوان: x\n";
        assert_eq!(byte_offset(text, 1, 1), Some(0));
        assert_eq!(byte_offset(text, 2, 1), Some(5));
        assert_eq!(byte_offset(text, 2, 8), Some(5 + "عنوان: ".len()));
        assert_eq!(byte_offset(text, 9, 1), None);
    }

    #[test]
    fn control_characters_are_shown_escaped() {
        assert_eq!(escape_controls("a\u{1b}[2J\u{7}\u{9b}b\u{7f}\r"), "a\\u{1b}[2J\\u{7}\\u{9b}b\\u{7f}\\u{d}");
        assert!(matches!(escape_controls("نص\tفقرة\nsuite"), Cow::Borrowed("نص\tفقرة\nsuite")));
    }

    #[test]
    fn github_format_escapes() {
        let mut d = Diagnostics::default();
        d.error("content/a,b.yaml", Pos::new(3, 4), "title", "bad: 100%\nvalue".into());
        let mut out = Vec::new();
        print_github(&mut out, &d).unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), "::error file=content/a%2Cb.yaml,line=3,col=4::bad: 100%25%0Avalue\n");
    }

    /// An error, a warning, a note and a missing translation, in several files.
    fn sample() -> Diagnostics {
        let mut d = Diagnostics::default();
        d.warning("content/b.yaml", Pos::new(2, 1), "order", "order: w".into());
        d.error("content/a:x.yaml", Pos::new(1, 3), "ti\u{7}tle", "bad\r\u{1b}".into());
        d.untranslated("content/b.yaml", Pos::new(1, 1), "title", "fr", "no French title".into());
        d.push(Severity::Note, "content/c.yaml", Pos::new(4, 2), "", "100% noted".into());
        d
    }

    #[test]
    fn github_format_names_each_severity_and_escapes_every_special_character() {
        let mut out = Vec::new();
        print_github(&mut out, &sample()).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "::error file=content/a%3Ax.yaml,line=1,col=3::bad\\u{d}\\u{1b}\n\
             ::warning file=content/b.yaml,line=1,col=1::no French title\n\
             ::warning file=content/b.yaml,line=2,col=1::order: w\n\
             ::notice file=content/c.yaml,line=4,col=2::100%25 noted\n"
        );
        assert_eq!(escape_data("a%\r\nb:,"), "a%25%0D%0Ab:,");
        assert_eq!(escape_property("a%\r\nb:,"), "a%25%0D%0Ab%3A%2C");
    }

    #[test]
    fn json_format_counts_and_escapes() {
        let mut out = Vec::new();
        print_json(&mut out, &sample()).unwrap();
        let json: serde_json::Value = serde_json::from_slice(&out).unwrap();
        assert!(out.ends_with(b"}\n"));
        assert_eq!(json["errors"], 1);
        assert_eq!(json["warnings"], 2);
        let first = &json["diagnostics"][0];
        assert_eq!(first["path"], "content/a:x.yaml");
        assert_eq!(first["field"], "ti\\u{7}tle");
        assert_eq!(first["message"], "bad\\u{d}\\u{1b}");
        assert_eq!(first["severity"], "error");
        assert_eq!((first["line"].as_u64(), first["column"].as_u64()), (Some(1), Some(3)));
        assert!(first.get("untranslated").is_none());
        assert_eq!(json["diagnostics"][1]["untranslated"], "fr");
        assert_eq!(json["diagnostics"][3]["severity"], "note");
        assert_eq!(json["diagnostics"].as_array().unwrap().len(), 4);
        assert_eq!(json["translations"], serde_json::json!({"fr": {"missing": 1, "files": {"content/b.yaml": 1}}}));
    }

    #[test]
    fn a_diagnostic_prints_as_path_line_column_severity_and_message() {
        let shown: Vec<String> = sample().sorted().iter().map(ToString::to_string).collect();
        assert_eq!(
            shown,
            [
                "content/a:x.yaml:1:3: error: bad\\u{d}\\u{1b}",
                "content/b.yaml:1:1: warning: no French title",
                "content/b.yaml:2:1: warning: order: w",
                "content/c.yaml:4:2: note: 100% noted",
            ]
        );
    }

    /// Strict turns warnings (missing translations too) into errors, not notes; a partial
    /// language's missing texts become notes; the counts follow.
    #[test]
    fn severities_counts_and_the_file_filter() {
        let mut d = sample();
        assert_eq!((d.error_count(), d.warning_count(), d.has_errors(), d.is_empty()), (1, 2, true, false));
        assert_eq!(d.without_translations().sorted().len(), 3);
        assert!(d.without_translations().sorted().iter().all(|d| d.untranslated.is_none()));

        let mut partial = d.clone();
        partial.settle_partial_languages(&["en".into()]);
        assert_eq!(partial.warning_count(), 2);
        partial.settle_partial_languages(&["fr".into()]);
        assert_eq!((partial.error_count(), partial.warning_count()), (1, 1));
        assert_eq!(partial.sorted()[1].severity, Severity::Note);

        d.make_warnings_errors();
        let severities: Vec<_> = d.sorted().iter().map(|d| d.severity).collect();
        assert_eq!(severities, [Severity::Error, Severity::Error, Severity::Error, Severity::Note]);
        assert_eq!((d.error_count(), d.warning_count()), (3, 0));

        d.remove_file("content/b.yaml");
        assert_eq!(d.sorted().iter().map(|d| d.path.as_str()).collect::<Vec<_>>(), ["content/a:x.yaml", "content/c.yaml"]);
        d.remove_file("content/a:x.yaml");
        assert!(!d.has_errors());
        assert!(!d.is_empty());

        let mut only_warnings = Diagnostics::default();
        only_warnings.warning("a", Pos::new(1, 1), "", "w".into());
        assert!(!only_warnings.has_errors());
        assert!(Diagnostics::default().is_empty());
        let mut twice = Diagnostics::default();
        twice.extend(only_warnings.clone());
        twice.extend(only_warnings);
        assert_eq!(twice.sorted().len(), 1, "the same diagnostic twice is printed once");
        assert_eq!(twice.warning_count(), 2);
    }

    /// The summary of missing translations: per language in the site's order, its
    /// files with the most to translate first (then by name).
    #[test]
    fn the_translation_summary_counts_per_language_and_file() {
        let mut d = Diagnostics::default();
        for (path, line, lang) in
            [("b.yaml", 1, "fr"), ("b.yaml", 2, "fr"), ("a.yaml", 1, "fr"), ("c.yaml", 1, "fr"), ("c.yaml", 2, "fr"), ("a.yaml", 1, "zgh")]
        {
            d.untranslated(path, Pos::new(line, 1), "title", lang, format!("no {lang}"));
        }
        d.untranslated("c.yaml", Pos::new(2, 1), "title", "fr", "no fr".into());
        let mut out = Vec::new();
        let languages = [("zgh".to_string(), "Amazigh".to_string()), ("en".into(), "English".into()), ("fr".into(), "French".into())];
        d.translations().print(&mut out, &languages).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "translation to Amazigh: 1 texts missing in 1 file\n\
             \x20    1  a.yaml\n\
             translation to French: 5 texts missing in 3 files\n\
             \x20    2  b.yaml\n\
             \x20    2  c.yaml\n\
             \x20    1  a.yaml\n"
        );
    }

    #[test]
    fn the_human_format_underlines_the_value_and_names_the_field() {
        let mut d = Diagnostics::default();
        let source = "title: x\nnom: \u{7}été, autre\n";
        d.error("content/a.yaml", Pos::new(2, 7), "nom", "bad value".into());
        d.warning("content/a.yaml", Pos::new(1, 1), "", "whole line".into());
        d.push(Severity::Note, "content/a.yaml", Pos::new(1, 8), "", "a note".into());
        d.error("content/binary.yaml", Pos::new(3, 4), "", "not text".into());
        let sources: Sources = [("content/a.yaml".to_string(), source.to_string())].into();
        let mut out = codespan_reporting::term::termcolor::NoColor::new(Vec::new());
        print_human(&mut out, &d, &sources).unwrap();
        let printed = String::from_utf8(out.into_inner()).unwrap();
        let expected = [
            "warning: whole line",
            "  ┌─ content/a.yaml:1:1",
            "  │",
            "1 │ title: x",
            "  │ ^^^^^^^^",
            "",
            "note: a note",
            "  ┌─ content/a.yaml:1:8",
            "  │",
            "1 │ title: x",
            "  │        ^",
            "",
            "error: bad value",
            // The snippet shows the control character escaped, and the caret moves with
            // it; the location counts the file's own characters, as the other formats do.
            "  ┌─ content/a.yaml:2:7",
            "  │",
            "2 │ nom: \\u{7}été, autre",
            "  │           ^^^ in `nom`",
            "",
            "content/binary.yaml:3:4: error: not text",
            "",
        ];
        assert_eq!(printed, expected.join("\n"), "{printed}");
    }

    #[test]
    fn byte_offsets_and_token_ends() {
        let text = "ab: 1\nc: [x,  y ]\nlast";
        assert_eq!(byte_offset(text, 0, 0), Some(0));
        assert_eq!(byte_offset(text, 1, 3), Some(2));
        assert_eq!(byte_offset(text, 1, 40), Some(5), "past the end of the line: its end");
        assert_eq!(byte_offset(text, 3, 2), Some(19));
        assert_eq!(byte_offset(text, 4, 1), None);
        assert_eq!(token_end(text, 0), 5, "to the end of the line");
        assert_eq!(token_end(text, 10), 11, "to a comma");
        assert_eq!(token_end(text, 12), 15, "to a bracket, the spaces before it trimmed");
        assert_eq!(token_end(text, 5), 6, "at least one character");
        assert_eq!(token_end("{a: é}", 4), 6, "at least one whole character");
        assert_eq!(token_end("{a: b}", 3), 5, "to a brace");
    }
}
