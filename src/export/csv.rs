//! The CSV tables: flat views of the commitment records for spreadsheets. UTF-8 without
//! a byte-order mark, RFC 4180 (comma, double quotes, CRLF line ends), one header row.
//!
//! Every text becomes one column per site language (`title_ar`, `title_fr`, …). Tables
//! join on `plan` and `commitment`, and on a 1-based position within the sheet
//! (`activity`, `indicator`, `observation`). Lists of IDs are joined with `;`. An
//! indicator figure has a number column (`baseline`) and a words column
//! (`baseline_text`); only the one that fits the unit is filled.
//!
//! Free-text cells that a spreadsheet would run as a formula (starting with `=`, `+`,
//! `-`, `@`, a tab or a carriage return) start with an added `'`; see [`neutralised`].

use std::borrow::Cow;

use anyhow::{Context, Result};

use super::json::{ACTIVITY_STATUSES, COMMITMENT_STATUSES, CommitmentRecord, LangText, MeasureRecord, Ordered};
use crate::model::{IndicatorKind, OgpValue, Unit, ValueKind};

/// A Frictionless field type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldType {
    String,
    Integer,
    Number,
    Boolean,
}

impl FieldType {
    pub fn as_str(self) -> &'static str {
        match self {
            FieldType::String => "string",
            FieldType::Integer => "integer",
            FieldType::Number => "number",
            FieldType::Boolean => "boolean",
        }
    }
}

/// A column, described once for both the CSV header and the data package.
#[derive(Debug, Clone)]
pub struct Column {
    pub name: String,
    pub kind: FieldType,
    pub description: String,
    pub required: bool,
    pub values: Option<Vec<&'static str>>,
    pub pattern: Option<&'static str>,
    pub minimum: Option<f64>,
    pub maximum: Option<f64>,
}

#[derive(Debug, Clone)]
pub struct ForeignKey {
    pub fields: Vec<&'static str>,
    pub resource: &'static str,
    pub reference: Vec<&'static str>,
}

/// A cell, borrowed from the records where it can be.
pub type Cell<'a> = Cow<'a, str>;

fn b(text: &str) -> Cell<'_> {
    Cow::Borrowed(text)
}

fn o(text: String) -> Cell<'static> {
    Cow::Owned(text)
}

const EMPTY: Cell<'static> = Cow::Borrowed("");

/// One CSV file: its columns, keys and rows (already as cell strings).
#[derive(Debug, Clone)]
pub struct Table<'a> {
    /// The resource name, also the file stem (`activities` → `activities.csv`).
    pub name: &'static str,
    pub title: &'static str,
    pub description: &'static str,
    pub columns: Vec<Column>,
    pub primary_key: Vec<&'static str>,
    pub foreign_keys: Vec<ForeignKey>,
    pub rows: Vec<Vec<Cell<'a>>>,
}

impl Table<'_> {
    pub fn file_name(&self) -> String {
        format!("{}.csv", self.name)
    }

    /// The table without its rows: what the data package describes once the rows are
    /// written.
    pub fn described(self) -> Table<'static> {
        Table { rows: Vec::new(), ..self }
    }

    /// The RFC 4180 bytes of the table.
    pub fn to_bytes(&self) -> Result<Vec<u8>> {
        let mut bytes = Vec::new();
        self.write_to(&mut bytes)?;
        Ok(bytes)
    }

    /// Writes the table as RFC 4180 CSV, row by row.
    pub fn write_to(&self, out: &mut dyn std::io::Write) -> Result<()> {
        let mut writer =
            ::csv::WriterBuilder::new().terminator(::csv::Terminator::CRLF).quote_style(::csv::QuoteStyle::Necessary).from_writer(out);
        writer.write_record(self.columns.iter().map(|c| c.name.as_str()))?;
        for row in &self.rows {
            debug_assert_eq!(row.len(), self.columns.len(), "{}", self.name);
            writer.write_record(row.iter().map(|c| c.as_bytes()))?;
        }
        // As context, not as text: the error stays in the chain, where the preview tells
        // its own interruption (raised by a newer edit while the buffer is flushed)
        // from a failure.
        writer.flush().with_context(|| format!("writing {}", self.name))
    }
}

const DATE_PATTERN: &str = r"[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?";
const ID_PATTERN: &str = "[a-z0-9][a-z0-9-]{0,63}";

struct Columns<'a> {
    languages: &'a [String],
    columns: Vec<Column>,
}

impl<'a> Columns<'a> {
    fn new(languages: &'a [String]) -> Self {
        Columns { languages, columns: Vec::new() }
    }

    fn push(&mut self, name: &str, kind: FieldType, required: bool, description: &str) -> &mut Column {
        self.columns.push(Column {
            name: name.to_string(),
            kind,
            description: description.to_string(),
            required,
            values: None,
            pattern: None,
            minimum: None,
            maximum: None,
        });
        self.columns.last_mut().unwrap()
    }

    fn id(&mut self, name: &str, description: &str) {
        self.push(name, FieldType::String, true, description).pattern = Some(ID_PATTERN);
    }

    fn position(&mut self, name: &str, description: &str) {
        self.push(name, FieldType::Integer, true, description).minimum = Some(1.0);
    }

    fn string(&mut self, name: &str, required: bool, description: &str) {
        self.push(name, FieldType::String, required, description);
    }

    fn date(&mut self, name: &str, required: bool, description: &str) {
        self.push(name, FieldType::String, required, description).pattern = Some(DATE_PATTERN);
    }

    fn keyword(&mut self, name: &str, required: bool, values: &[&'static str], description: &str) {
        self.push(name, FieldType::String, required, description).values = Some(values.to_vec());
    }

    fn number(&mut self, name: &str, description: &str) {
        self.push(name, FieldType::Number, false, description);
    }

    fn progress(&mut self, name: &str, required: bool, description: &str) {
        let c = self.push(name, FieldType::Number, required, description);
        c.minimum = Some(0.0);
        c.maximum = Some(100.0);
    }

    fn boolean(&mut self, name: &str, description: &str) {
        self.push(name, FieldType::Boolean, true, description);
    }

    fn count(&mut self, name: &str, description: &str) {
        self.push(name, FieldType::Integer, true, description).minimum = Some(0.0);
    }

    /// One column per language: `NAME_LANG`.
    /// A translation may be missing, so text columns are never required.
    fn text(&mut self, name: &str, description: &str) {
        for lang in self.languages {
            self.string(&format!("{name}_{lang}"), false, &format!("{description} ({lang})"));
        }
    }
}

/// The characters that make a spreadsheet read a cell as a formula when they open it.
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// A free-text cell made safe to open in a spreadsheet: text that starts like a formula
/// gets a leading `'`, as OWASP recommends for CSV injection, so it shows as text and
/// never runs. Only free text is touched: IDs, keywords, dates and numbers cannot start
/// that way, and the JSON feeds keep the exact text.
pub fn neutralised(text: &str) -> Cell<'_> {
    if starts_like_formula(text) { o(format!("'{text}")) } else { b(text) }
}

/// Whether a spreadsheet would read `text` as a formula: the one rule for the feeds'
/// tables and the reporting round's CSV.
pub fn starts_like_formula(text: &str) -> bool {
    text.starts_with(FORMULA_STARTS)
}

fn text_cells<'a>(row: &mut Vec<Cell<'a>>, text: Option<&LangText<'a>>, languages: &[String]) {
    for lang in languages {
        row.push(text.and_then(|t| t.get(lang)).and_then(|t| *t).map(neutralised).unwrap_or(EMPTY));
    }
}

fn urls_cells<'a>(row: &mut Vec<Cell<'a>>, urls: &'a Ordered<'_, String>, languages: &[String]) {
    for lang in languages {
        row.push(urls.get(lang).map(|u| b(u)).unwrap_or(EMPTY));
    }
}

fn measure_cells<'a>(row: &mut Vec<Cell<'a>>, measure: Option<&MeasureRecord<'a>>) {
    match measure {
        Some(MeasureRecord::Number(n)) => row.extend([o(n.to_csv()), EMPTY]),
        Some(MeasureRecord::Text(t)) => row.extend([EMPTY, neutralised(t)]),
        None => row.extend([EMPTY, EMPTY]),
    }
}

/// A derived figure with one decimal; empty where nothing was reported.
fn progress_cell(progress: Option<f64>) -> Cell<'static> {
    progress.map_or(EMPTY, |p| o(format!("{p:.1}")))
}

fn opt_cell(text: &Option<String>) -> Cell<'_> {
    text.as_deref().map_or(EMPTY, b)
}

fn bool_cell(value: bool) -> Cell<'static> {
    b(if value { "true" } else { "false" })
}

fn list_cell(items: &[impl AsRef<str>]) -> Cell<'_> {
    match items {
        [] => EMPTY,
        [one] => b(one.as_ref()),
        many => o(many.iter().map(AsRef::as_ref).collect::<Vec<_>>().join(";")),
    }
}

fn names(list: &[crate::model::Status]) -> Vec<&'static str> {
    list.iter().map(|s| s.as_str()).collect()
}

pub fn commitments<'a>(records: &'a [CommitmentRecord<'_>], languages: &[String]) -> Table<'a> {
    let mut c = Columns::new(languages);
    c.id("plan", "The plan's ID.");
    c.id("commitment", "The commitment's ID, unique within its plan.");
    c.push("number", FieldType::Integer, true, "The commitment's number in the official plan.").minimum = Some(0.0);
    c.text("title", "Title");
    c.id("area", "The area's ID.");
    c.id("lead", "The lead institution's ID.");
    c.string("partners", false, "Partner institution IDs, separated by ';'.");
    c.string("ogp_values", false, &format!("OGP values, separated by ';' ({}).", OgpValue::NAMES.join(", ")));
    c.progress("progress", false, "Derived progress, 0 to 100, one decimal; empty when nothing was reported.");
    c.keyword("status", true, &names(&COMMITMENT_STATUSES), "Derived status on the as_of date.");
    c.text("problem", "The problem addressed (Markdown)");
    c.text("solution", "The proposed solution (Markdown)");
    c.text("results", "The expected results (Markdown)");
    c.text("notes", "Notes (Markdown)");
    for lang in languages {
        c.push(&format!("url_{lang}"), FieldType::String, true, &format!("The commitment's page ({lang})"));
    }
    c.count("reported_activities", "How many of its non-cancelled activities have a reported figure.");
    c.count("activity_count", "How many non-cancelled activities the sheet lists.");
    c.date("last_report", false, "The date of its latest progress report, its own or an activity's.");
    c.boolean("stale", "No report within the site's stale_after_months before as_of while the work is under way.");
    let rows = records
        .iter()
        .map(|r| {
            let mut row = vec![b(&r.plan), b(&r.id), o(r.number.to_string())];
            text_cells(&mut row, Some(&r.title), languages);
            row.extend([b(&r.area), b(&r.lead), list_cell(&r.partners), list_cell(&r.ogp_values)]);
            row.extend([progress_cell(r.progress), b(r.status)]);
            for text in [&r.problem, &r.solution, &r.results, &r.notes] {
                text_cells(&mut row, text.as_ref(), languages);
            }
            urls_cells(&mut row, &r.url, languages);
            row.extend([
                o(r.reported_activities.to_string()),
                o(r.activity_count.to_string()),
                opt_cell(&r.last_report),
                bool_cell(r.stale),
            ]);
            row
        })
        .collect();
    Table {
        name: "commitments",
        title: "Commitments",
        description: "One row per commitment, ordered by plan then number, with its derived progress and status.",
        columns: c.columns,
        primary_key: vec!["plan", "commitment"],
        foreign_keys: Vec::new(),
        rows,
    }
}

fn commitment_key(c: &mut Columns) {
    c.id("plan", "The plan's ID.");
    c.id("commitment", "The commitment's ID.");
}

fn to_commitments() -> ForeignKey {
    ForeignKey { fields: vec!["plan", "commitment"], resource: "commitments", reference: vec!["plan", "commitment"] }
}

pub fn activities<'a>(records: &'a [CommitmentRecord<'_>], languages: &[String]) -> Table<'a> {
    let mut c = Columns::new(languages);
    commitment_key(&mut c);
    c.position("activity", "The activity's position in the commitment sheet, from 1.");
    c.text("title", "Title");
    c.date("start", true, "Start: YYYY, YYYY-MM or YYYY-MM-DD.");
    c.date("end", true, "End of the period: 2024-05 means 31 May 2024.");
    c.progress("progress", false, "Latest reported progress, 0 to 100; empty when nothing was reported.");
    c.keyword("status", true, &names(&ACTIVITY_STATUSES), "Derived status on the as_of date.");
    c.push("cost_amount", FieldType::Number, false, "Budgeted cost.").minimum = Some(0.0);
    c.string("cost_currency", false, "Currency of the cost (ISO 4217).");
    c.text("funding", "Source of funding");
    c.string("partners", false, "Partner institution IDs, separated by ';'.");
    c.push("weight", FieldType::Number, true, "Its share in the commitment's progress (1 unless the sheet says otherwise).").minimum =
        Some(0.0);
    c.date("current_end", true, "The latest replanned end, else end.");
    c.date("last_report", false, "The date of its latest progress report.");
    c.boolean("overdue", "current_end has passed and the activity is neither completed nor cancelled.");
    let mut rows = Vec::new();
    for r in records {
        for (i, a) in r.activities.iter().enumerate() {
            let mut row = vec![b(&r.plan), b(&r.id), o((i + 1).to_string())];
            text_cells(&mut row, Some(&a.title), languages);
            row.extend([b(&a.start), b(&a.end), a.progress.map_or(EMPTY, |p| o(p.to_csv())), b(a.status)]);
            match &a.cost {
                Some(cost) => row.extend([o(cost.amount.to_csv()), b(&cost.currency)]),
                None => row.extend([EMPTY, EMPTY]),
            }
            text_cells(&mut row, a.funding.as_ref(), languages);
            row.push(list_cell(&a.partners));
            row.extend([o(a.weight.to_csv()), b(&a.current_end), opt_cell(&a.last_report), bool_cell(a.overdue)]);
            rows.push(row);
        }
    }
    Table {
        name: "activities",
        title: "Activities",
        description: "One row per activity of each commitment's timeline, with its derived status.",
        columns: c.columns,
        primary_key: vec!["plan", "commitment", "activity"],
        foreign_keys: vec![to_commitments()],
        rows,
    }
}

pub fn indicators<'a>(records: &'a [CommitmentRecord<'_>], languages: &[String]) -> Table<'a> {
    let mut c = Columns::new(languages);
    commitment_key(&mut c);
    c.position("indicator", "The indicator's position in the commitment sheet, from 1.");
    c.keyword("kind", true, IndicatorKind::NAMES, "tracking or impact.");
    c.text("title", "Title");
    c.keyword("unit", true, Unit::NAMES, "count, percent or text.");
    c.number("baseline", "Baseline, for the units count and percent.");
    c.string("baseline_text", false, "Baseline, for the unit text.");
    c.number("target", "Target, for the units count and percent.");
    c.string("target_text", false, "Target, for the unit text.");
    c.date("target_date", false, "When the target is due.");
    c.text("method", "Calculation method");
    c.text("source", "Source of the data");
    c.text("limits", "Limits of the indicator");
    let mut rows = Vec::new();
    for r in records {
        for (i, ind) in r.indicators.iter().enumerate() {
            let mut row = vec![b(&r.plan), b(&r.id), o((i + 1).to_string()), b(ind.kind)];
            text_cells(&mut row, Some(&ind.title), languages);
            row.push(b(ind.unit));
            measure_cells(&mut row, ind.baseline.as_ref());
            measure_cells(&mut row, ind.target.as_ref().map(|t| &t.value));
            row.push(ind.target.as_ref().and_then(|t| t.date.as_deref()).map(b).unwrap_or(EMPTY));
            for text in [&ind.method, &ind.source, &ind.limits] {
                text_cells(&mut row, text.as_ref(), languages);
            }
            rows.push(row);
        }
    }
    Table {
        name: "indicators",
        title: "Indicators",
        description: "One row per indicator of each commitment, with its baseline and target.",
        columns: c.columns,
        primary_key: vec!["plan", "commitment", "indicator"],
        foreign_keys: vec![to_commitments()],
        rows,
    }
}

pub fn indicator_values<'a>(records: &'a [CommitmentRecord<'_>], languages: &[String]) -> Table<'a> {
    let mut c = Columns::new(languages);
    commitment_key(&mut c);
    c.position("indicator", "The indicator's position in the commitment sheet, from 1.");
    c.position("observation", "The value's position in the indicator's series, from 1.");
    c.date("date", true, "The date of the value.");
    c.keyword("kind", true, ValueKind::NAMES, "actual, target or forecast.");
    c.number("value", "The value, for the units count and percent.");
    c.string("value_text", false, "The value, for the unit text.");
    let mut rows = Vec::new();
    for r in records {
        for (i, ind) in r.indicators.iter().enumerate() {
            for (j, v) in ind.values.iter().enumerate() {
                let mut row = vec![b(&r.plan), b(&r.id), o((i + 1).to_string()), o((j + 1).to_string())];
                row.extend([b(&v.date), b(v.kind)]);
                measure_cells(&mut row, Some(&v.value));
                rows.push(row);
            }
        }
    }
    Table {
        name: "indicator_values",
        title: "Indicator values",
        description: "One row per value in an indicator's series (actual, target or forecast).",
        columns: c.columns,
        primary_key: vec!["plan", "commitment", "indicator", "observation"],
        foreign_keys: vec![ForeignKey {
            fields: vec!["plan", "commitment", "indicator"],
            resource: "indicators",
            reference: vec!["plan", "commitment", "indicator"],
        }],
        rows,
    }
}

/// Every dated progress report: on a commitment as a whole (empty `activity`) or on
/// one of its activities.
pub fn reports<'a>(records: &'a [CommitmentRecord<'_>], languages: &[String]) -> Table<'a> {
    let mut c = Columns::new(languages);
    commitment_key(&mut c);
    c.push(
        "activity",
        FieldType::Integer,
        false,
        "The activity's position in the sheet, from 1; empty for a report on the whole commitment.",
    )
    .minimum = Some(1.0);
    c.position("report", "The report's position in its list, from 1 (oldest first).");
    c.date("date", true, "The date of the report.");
    c.progress("progress", true, "Reported progress, 0 to 100.");
    c.id("by", "The reporting institution's ID.");
    c.text("note", "Note (Markdown)");
    c.string("evidence_urls", false, "Links to the evidence, separated by ' ; ' (evidence without a link is in the JSON).");
    let mut rows = Vec::new();
    for r in records {
        let own = r.updates.iter().map(|u| (None, u));
        let of_activities = r.activities.iter().enumerate().flat_map(|(i, a)| a.updates.iter().map(move |u| (Some(i + 1), u)));
        let mut position = (None, 0);
        for (activity, report) in own.chain(of_activities) {
            position = if position.0 == activity && position.1 > 0 { (activity, position.1 + 1) } else { (activity, 1) };
            let mut row = vec![b(&r.plan), b(&r.id), activity.map_or(EMPTY, |i| o(i.to_string())), o(position.1.to_string())];
            row.extend([b(&report.date), o(report.progress.to_csv()), b(&report.by)]);
            text_cells(&mut row, report.note.as_ref(), languages);
            let links: Vec<&str> = report.evidence.iter().filter_map(|e| e.url.as_deref()).collect();
            row.push(if links.is_empty() { EMPTY } else { o(links.join(" ; ")) });
            rows.push(row);
        }
    }
    Table {
        name: "reports",
        title: "Progress reports",
        description: "One row per dated progress report, on a commitment as a whole or on one of its activities, oldest first.",
        columns: c.columns,
        primary_key: Vec::new(),
        foreign_keys: vec![to_commitments()],
        rows,
    }
}

/// Every decision that moved an activity's end.
pub fn replannings<'a>(records: &'a [CommitmentRecord<'_>], languages: &[String]) -> Table<'a> {
    let mut c = Columns::new(languages);
    commitment_key(&mut c);
    c.position("activity", "The activity's position in the sheet, from 1.");
    c.position("replanning", "The decision's position in the activity's list, from 1 (oldest first).");
    c.date("date", true, "The date of the decision.");
    c.date("end", true, "The new end it set.");
    c.text("reason", "Why the end moved");
    let mut rows = Vec::new();
    for r in records {
        for (i, a) in r.activities.iter().enumerate() {
            for (j, d) in a.replanned.iter().enumerate() {
                let mut row = vec![b(&r.plan), b(&r.id), o((i + 1).to_string()), o((j + 1).to_string()), b(&d.date), b(&d.end)];
                text_cells(&mut row, d.reason.as_ref(), languages);
                rows.push(row);
            }
        }
    }
    Table {
        name: "replannings",
        title: "Replanned deadlines",
        description: "One row per decision that moved an activity's end; the activities table keeps the original end.",
        columns: c.columns,
        primary_key: vec!["plan", "commitment", "activity", "replanning"],
        foreign_keys: vec![ForeignKey {
            fields: vec!["plan", "commitment", "activity"],
            resource: "activities",
            reference: vec!["plan", "commitment", "activity"],
        }],
        rows,
    }
}

/// Every revision of a sheet's official text from the content's git history, sheets in
/// the site's order, each oldest first: one row per changed field, one for a sheet's
/// publication, one for a sheet withdrawn from its plan.
pub fn revisions(site: &crate::model::Site, history: &crate::revisions::History) -> Table<'static> {
    use crate::revisions::RevisionKind;
    let mut c = Columns::new(&site.config.languages);
    commitment_key(&mut c);
    c.date("date", true, "The day of the commit (UTC).");
    c.push("time", FieldType::String, true, "The time of the commit, ISO 8601 in UTC (YYYY-MM-DDTHH:MM:SSZ).").pattern =
        Some("[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z");
    c.push("commit", FieldType::String, true, "The commit's full ID in the content's git repository.").pattern = Some("[0-9a-f]{40,64}");
    c.keyword(
        "kind",
        true,
        &["published", "changed", "withdrawn"],
        "published: the commit added the sheet; changed: it changed the fields below; withdrawn: it deleted the sheet from its plan.",
    );
    c.push(
        "field",
        FieldType::String,
        false,
        "The field that changed, as a path in the sheet (title, lead, activities/3/end, indicators/2/target/value; activities/N alone: the activity was added or removed); empty for a publication or a withdrawal.",
    )
    .pattern = Some("[a-z_]+(/[0-9]+(/[a-z_]+)*)?");
    c.string(
        "before",
        false,
        "The value before the commit (texts as one 'lang: text' line per language; lists of IDs separated by spaces).",
    );
    c.string("after", false, "The value after the commit, written as `before`.");
    let mut rows = Vec::new();
    let row = |plan: &str, id: &str, time: i64, commit: &str, kind: &str, field: String, before: String, after: String| {
        let day = crate::revisions::day_of(time).to_string();
        vec![
            o(plan.to_string()),
            o(id.to_string()),
            o(day),
            o(crate::revisions::timestamp(time)),
            o(commit.to_string()),
            o(kind.to_string()),
            o(field),
            o(neutralised(&before).into_owned()),
            o(neutralised(&after).into_owned()),
        ]
    };
    for plan in &site.plans {
        let mut sheet_rows: Vec<Vec<Cell<'static>>> = Vec::new();
        for commitment in &plan.commitments {
            for r in history.of(&plan.id, &commitment.id) {
                if r.kind == RevisionKind::Published {
                    sheet_rows.push(row(
                        &plan.id,
                        &commitment.id,
                        r.time,
                        &r.commit,
                        "published",
                        String::new(),
                        String::new(),
                        String::new(),
                    ));
                }
                for change in &r.changes {
                    sheet_rows.push(row(
                        &plan.id,
                        &commitment.id,
                        r.time,
                        &r.commit,
                        "changed",
                        change.field.code(),
                        change.before.raw(),
                        change.after.raw(),
                    ));
                }
            }
        }
        rows.extend(sheet_rows);
        for w in history.withdrawn.get(&plan.id).map_or(&[][..], Vec::as_slice) {
            let title = w.title.as_ref().map(|t| crate::revisions::Value::Text(t.clone()).raw()).unwrap_or_default();
            rows.push(row(&plan.id, &w.id, w.time, &w.commit, "withdrawn", String::new(), title, String::new()));
        }
    }
    Table {
        name: "revisions",
        title: "Revisions of the commitments' official text",
        description: "One row per change to a commitment sheet's official content (titles and texts, area, lead and partners, activities, indicators and targets, weights), from the content's git history up to as_of; progress reports and replannings are in their own tables. Empty when the content is not in a git repository.",
        columns: c.columns,
        primary_key: Vec::new(),
        foreign_keys: Vec::new(),
        rows,
    }
}

/// The tables, in the order they are listed.
/// Builds one table from the records.
pub type TableBuilder = for<'a, 'b> fn(&'a [CommitmentRecord<'b>], &[String]) -> Table<'a>;

/// The tables of the data package, in its order, each built on demand so that only the
/// rows of the tables being written are in memory (the rows of all six take three times
/// the size of the files on a 10,000-commitment site).
pub const TABLES: [TableBuilder; 6] = [commitments, activities, indicators, indicator_values, reports, replannings];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_revision_whose_text_starts_like_a_formula_is_neutralised() {
        use crate::model::{Commitment, Site, blank};
        use crate::revisions::{Change, Field, History, Revision, RevisionKind, Value};
        let mut site = Site::default();
        site.config.languages = vec!["fr".into()];
        let c: Commitment = blank::commitment("p", "c", 1, "a", "i");
        let date = crate::model::Date::parse("2024").unwrap();
        site.plans.push(crate::model::Plan {
            id: "p".into(),
            title: crate::model::Text::default(),
            summary: None,
            owner: blank::r("i"),
            start: date,
            end: date,
            status: crate::model::PlanStatus::Active,
            commitments: vec![c],
        });
        let change = Change { field: Field::Id, before: Value::Plain("=HYPERLINK(1)".into()), after: Value::Plain("-x".into()) };
        let revision = Revision { commit: "a".repeat(40), time: 1_700_000_000, kind: RevisionKind::Changed, changes: vec![change] };
        let mut history = History::default();
        history.sheets.insert(("p".into(), "c".into()), vec![revision]);
        let table = revisions(&site, &history);
        assert_eq!(table.rows.len(), 1);
        let cells: Vec<&str> = table.rows[0].iter().map(|c| c.as_ref()).collect();
        assert_eq!(cells[6..], ["id", "'=HYPERLINK(1)", "'-x"]);
        assert_eq!(cells[2..4], ["2023-11-14", "2023-11-14T22:13:20Z"]);
    }

    #[test]
    fn text_that_a_spreadsheet_would_run_is_neutralised() {
        for formula in ["=HYPERLINK(\"http://x\")", "+1", "-2+3", "@SUM(A1)", "\tx", "\rx"] {
            assert_eq!(neutralised(formula), format!("'{formula}"), "{formula:?}");
        }
        for plain in ["Données ouvertes", "المعطيات", "2024-05", "", "a=b", " =x"] {
            assert_eq!(neutralised(plain), plain);
        }
    }
}
