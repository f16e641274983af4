//! Appending dated reports and replannings to a commitment sheet in place, for
//! `shafaf report import`.
//!
//! The sheet is an editor's file: its comments, key order, quoting and blank lines are
//! theirs. So nothing is re-serialised. The text is parsed with [`super::yaml`] only to
//! learn where the activity and its lists sit (the same positions `check` reports), and
//! the new entries are inserted as lines of text at the end of the right block, indented
//! like their neighbours. Every other byte stays as it was.

use super::yaml::{self, Node, Value};
use crate::model::{Date, Text};

/// A report to append to an activity's `updates:`.
#[derive(Debug, Clone, PartialEq)]
pub struct NewReport {
    pub date: Date,
    pub progress: f64,
    pub by: Option<String>,
    pub note: Option<Text>,
    pub evidence_url: Option<String>,
}

/// A decision to append to an activity's `replanned:`.
#[derive(Debug, Clone, PartialEq)]
pub struct NewReplanning {
    pub date: Date,
    pub end: Date,
    pub reason: Option<Text>,
}

/// The sheet's text with `report` and `replanning` appended to activity `index`
/// (0-based), or a sentence saying why that cannot be done without rewriting the editor's
/// layout.
pub fn append_to_activity(
    source: &str,
    index: usize,
    report: Option<&NewReport>,
    replanning: Option<&NewReplanning>,
    languages: &[String],
) -> Result<String, String> {
    let root = yaml::parse(source, 0).map_err(|e| format!("the sheet does not parse (line {}): {}", e.pos.line, e.message))?;
    let activity = activity_node(&root, index)?;
    let Value::Map(entries) = &activity.value else { return Err(format!("activity {} is not a map", index + 1)) };
    let lines: Vec<&str> = source.split_inclusive('\n').collect();
    let item_line = activity.pos.line - 1;
    let key_indent = activity.pos.column - 1;
    let line = lines.get(item_line).ok_or("the activity lies outside the file")?;
    if line.chars().take(key_indent).any(|c| c == '{' || c == '[') {
        return Err(format!("activity {} is written on one line ({{…}}); write it as a block to import reports into it", index + 1));
    }
    let activity_end = block_end(&lines, item_line, key_indent);
    let newline = if source.contains("\r\n") { "\r\n" } else { "\n" };
    let mut insertions: Vec<(usize, String)> = Vec::new();
    if let Some(decision) = replanning {
        let item = replanning_item(decision, languages);
        insertions.push(append_item(&lines, entries, "replanned", &item, key_indent, activity_end)?);
    }
    if let Some(report) = report {
        if entries.iter().any(|(k, _)| key_is(k, "progress")) {
            return Err(format!(
                "activity {} has an undated \"progress\"; date it as a report under \"updates\" before importing new ones",
                index + 1
            ));
        }
        let item = report_item(report, languages);
        insertions.push(append_item(&lines, entries, "updates", &item, key_indent, activity_end)?);
    }
    Ok(insert(&lines, insertions, newline))
}

fn key_is(key: &Node, name: &str) -> bool {
    matches!(&key.value, Value::Scalar { text, .. } if text == name)
}

fn activity_node(root: &Node, index: usize) -> Result<&Node, String> {
    let Value::Map(entries) = &root.value else { return Err("the sheet is not a map".into()) };
    let activities = entries.iter().find(|(k, _)| key_is(k, "activities")).map(|(_, v)| v).ok_or("the sheet lists no activities")?;
    let Value::Seq(items) = &activities.value else { return Err("\"activities\" is not a list".into()) };
    items.get(index).ok_or_else(|| format!("the sheet has no activity {}", index + 1))
}

/// Where to insert a new list item, and its text: at the end of the existing list under
/// `key`, with the same dash indentation, or as a new `key:` at the end of the activity.
fn append_item(
    lines: &[&str],
    entries: &[(Node, Node)],
    key: &str,
    item: &[String],
    key_indent: usize,
    activity_end: usize,
) -> Result<(usize, String), String> {
    let Some((key_node, value)) = entries.iter().find(|(k, _)| key_is(k, key)) else {
        let mut text = format!("{}{key}:\n", " ".repeat(key_indent));
        text.push_str(&indent_item(item, key_indent + 2));
        return Ok((activity_end, text));
    };
    let Value::Seq(existing) = &value.value else { return Err(format!("\"{key}\" is not a list")) };
    let first = existing.first().ok_or_else(|| format!("\"{key}\" is an empty list; remove it or write its first item"))?;
    if first.pos.line == key_node.pos.line {
        return Err(format!("\"{key}\" is written on one line ([…]); write it as a block list to import into it"));
    }
    let dash_line = lines.get(first.pos.line - 1).ok_or("a list item lies outside the file")?;
    let dash_indent = dash_line.len() - dash_line.trim_start_matches(' ').len();
    // The list's block: lines indented deeper than its key, or dashes at the key's level.
    let key_line = key_node.pos.line - 1;
    let key_col = key_node.pos.column - 1;
    let mut end = key_line;
    for (i, line) in lines.iter().enumerate().skip(key_line + 1) {
        let text = line.trim_end_matches(['\n', '\r']);
        let trimmed = text.trim_start_matches(' ');
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let indent = text.len() - trimmed.len();
        if indent > key_col || (indent == key_col && trimmed.starts_with("- ")) {
            end = i;
        } else {
            break;
        }
    }
    Ok((end, indent_item(item, dash_indent)))
}

/// The last line (index) of the block that starts at `start` and holds every following
/// line indented at least `indent`; blank lines and comments after it stay outside.
fn block_end(lines: &[&str], start: usize, indent: usize) -> usize {
    let mut end = start;
    for (i, line) in lines.iter().enumerate().skip(start + 1) {
        let text = line.trim_end_matches(['\n', '\r']);
        let trimmed = text.trim_start_matches(' ');
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        if text.len() - trimmed.len() >= indent {
            end = i;
        } else {
            break;
        }
    }
    end
}

/// A list item's lines, the first behind `- `, the others aligned under it.
fn indent_item(item: &[String], dash_indent: usize) -> String {
    let pad = " ".repeat(dash_indent);
    item.iter().enumerate().map(|(i, line)| if i == 0 { format!("{pad}- {line}\n") } else { format!("{pad}  {line}\n") }).collect()
}

fn report_item(report: &NewReport, languages: &[String]) -> Vec<String> {
    let mut lines = vec![format!("date: {}", report.date), format!("progress: {}", crate::load::decode::format_number(report.progress))];
    if let Some(by) = &report.by {
        lines.push(format!("by: {by}"));
    }
    if let Some(note) = &report.note {
        lines.push("note:".into());
        lines.extend(text_lines(note, languages));
    }
    if let Some(url) = &report.evidence_url {
        lines.push("evidence:".into());
        lines.push(format!("  - url: {}", quoted(url)));
    }
    lines
}

fn replanning_item(decision: &NewReplanning, languages: &[String]) -> Vec<String> {
    let mut lines = vec![format!("date: {}", decision.date), format!("end: {}", decision.end)];
    if let Some(reason) = &decision.reason {
        lines.push("reason:".into());
        lines.extend(text_lines(reason, languages));
    }
    lines
}

/// A text's languages, in the site's order, one quoted line each.
fn text_lines(text: &Text, languages: &[String]) -> Vec<String> {
    languages.iter().filter_map(|lang| text.get(lang).map(|value| format!("  {lang}: {}", quoted(value)))).collect()
}

/// A YAML double-quoted scalar: safe for any text, Arabic and punctuation kept as is.
pub fn quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The lines with each insertion placed after its line index, the file's own line
/// ending used for the new lines.
fn insert(lines: &[&str], mut insertions: Vec<(usize, String)>, newline: &str) -> String {
    insertions.sort_by_key(|(after, _)| *after);
    let mut out = String::new();
    let mut pending = insertions.into_iter().peekable();
    for (i, line) in lines.iter().enumerate() {
        out.push_str(line);
        while pending.peek().is_some_and(|(after, _)| *after == i) {
            if !out.ends_with('\n') {
                out.push_str(newline);
            }
            let (_, text) = pending.next().unwrap_or_default();
            out.push_str(&text.replace('\n', newline));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn langs() -> Vec<String> {
        vec!["ar".into(), "fr".into()]
    }

    fn report(date: &str, progress: f64) -> NewReport {
        NewReport { date: Date::parse(date).unwrap(), progress, by: None, note: None, evidence_url: None }
    }

    const SHEET: &str = "number: 1  # kept\ntitle: {ar: \"أ\", fr: \"A\"}\nactivities:\n  # first one\n  - title: {ar: \"ب\", fr: 'B'}\n    start: 2024-01\n    end: 2024-06\n\n  - title:\n      ar: ج\n      fr: C\n    start: 2024-02\n    end: 2025-01\n    updates:\n    - date: 2024-05-01\n      progress: 10\n      note:\n        fr: |\n          multi\n          line\n\n# trailing comment\nindicators: []\n";

    #[test]
    fn a_first_report_becomes_a_new_updates_list_at_the_end_of_the_activity() {
        let out = append_to_activity(SHEET, 0, Some(&report("2024-09-01", 40.0)), None, &langs()).unwrap();
        let expected =
            SHEET.replace("    end: 2024-06\n\n", "    end: 2024-06\n    updates:\n      - date: 2024-09-01\n        progress: 40\n\n");
        assert_eq!(out, expected);
    }

    #[test]
    fn a_later_report_joins_the_existing_list_with_its_indentation() {
        let mut r = report("2024-09-01", 55.5);
        r.note = Some(Text::from_iter([("ar", "تقدّمٌ: «جيد»؟"), ("fr", "Bien \"noté\"")]));
        r.evidence_url = Some("https://example.org/a".into());
        r.by = Some("city".into());
        let out = append_to_activity(SHEET, 1, Some(&r), None, &langs()).unwrap();
        let added = "    - date: 2024-09-01\n      progress: 55.5\n      by: city\n      note:\n        ar: \"تقدّمٌ: «جيد»؟\"\n        fr: \"Bien \\\"noté\\\"\"\n      evidence:\n        - url: \"https://example.org/a\"\n";
        assert_eq!(out, SHEET.replace("          line\n\n", &format!("          line\n{added}\n")));
        let parsed = yaml::parse(&out, 0).unwrap();
        let activity = activity_node(&parsed, 1).unwrap();
        let Value::Map(entries) = &activity.value else { panic!() };
        let updates = entries.iter().find(|(k, _)| key_is(k, "updates")).unwrap();
        let Value::Seq(items) = &updates.1.value else { panic!() };
        assert_eq!(items.len(), 2);
    }

    #[test]
    fn a_replanning_and_a_report_together_keep_crlf_endings() {
        let crlf = SHEET.replace('\n', "\r\n");
        let decision = NewReplanning {
            date: Date::parse("2024-05-20").unwrap(),
            end: Date::parse("2024-12").unwrap(),
            reason: Some(Text::from_iter([("fr", "Retard")])),
        };
        let out = append_to_activity(&crlf, 0, Some(&report("2024-06-01", 20.0)), Some(&decision), &langs()).unwrap();
        assert!(!out.replace("\r\n", "").contains('\n'), "every line ends in CRLF");
        assert!(out.contains("    replanned:\r\n      - date: 2024-05-20\r\n        end: 2024-12\r\n        reason:\r\n          fr: \"Retard\"\r\n    updates:\r\n"));
        assert!(out.starts_with("number: 1  # kept\r\n"));
    }

    #[test]
    fn blank_lines_and_comments_inside_an_activity_or_a_list_do_not_end_it() {
        // The editor spaced the activity's keys and its reports out and commented them:
        // new entries still go after the last key and after the last report.
        let spaced = "activities:\n  - title: {ar: a, fr: b}\n\n    # as adopted\n    start: 2024-01\n    end: 2024-12\n    updates:\n      - date: 2024-03-01\n        progress: 10\n\n      # second round\n      - date: 2024-06-01\n        progress: 20\n\n    # its share of the commitment\n    weight: 2\nother: 1\n";
        let decision = NewReplanning { date: Date::parse("2024-09-01").unwrap(), end: Date::parse("2025-06").unwrap(), reason: None };
        let out = append_to_activity(spaced, 0, Some(&report("2024-09-01", 30.0)), Some(&decision), &langs()).unwrap();
        let expected = spaced
            .replace("        progress: 20\n", "        progress: 20\n      - date: 2024-09-01\n        progress: 30\n")
            .replace("    weight: 2\n", "    weight: 2\n    replanned:\n      - date: 2024-09-01\n        end: 2025-06\n");
        assert_eq!(out, expected);
    }

    #[test]
    fn a_report_written_on_one_line_is_followed_not_overtaken() {
        // The list's only item fits on one line and a key of the activity follows it.
        let sheet = "activities:\n  - title: {ar: a, fr: b}\n    start: 2024-01\n    updates:\n      - {date: 2024-03-01, progress: 10}\n    end: 2024-12\n";
        let out = append_to_activity(sheet, 0, Some(&report("2024-09-01", 30.0)), None, &langs()).unwrap();
        let added = "      - date: 2024-09-01\n        progress: 30\n";
        assert_eq!(out, sheet.replace("    end: 2024-12\n", &format!("{added}    end: 2024-12\n")));
    }

    #[test]
    fn what_cannot_be_appended_without_rewriting_is_refused() {
        let flow = "activities:\n  - {title: {ar: a, fr: b}, start: 2024, end: 2025}\n";
        assert!(append_to_activity(flow, 0, Some(&report("2025-01-01", 1.0)), None, &langs()).unwrap_err().contains("one line"));
        let undated = "activities:\n  - title: {ar: a, fr: b}\n    start: 2024\n    end: 2025\n    progress: 30\n";
        assert!(append_to_activity(undated, 0, Some(&report("2025-01-01", 1.0)), None, &langs()).unwrap_err().contains("undated"));
        assert!(append_to_activity(undated, 3, Some(&report("2025-01-01", 1.0)), None, &langs()).unwrap_err().contains("no activity 4"));
    }

    #[test]
    fn quoting_escapes_what_yaml_needs_and_keeps_the_rest() {
        assert_eq!(quoted("a \"b\" \\ c"), "\"a \\\"b\\\" \\\\ c\"");
        assert_eq!(quoted("سطر\nآخر"), "\"سطر\\nآخر\"");
        assert_eq!(quoted("\u{1b}[2J"), "\"\\u001B[2J\"");
    }
}
