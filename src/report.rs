//! A reporting round through a spreadsheet: `shafaf report template` writes one row per
//! activity for the institutions to fill, as an xlsx workbook (`report/xlsx.rs`) or a
//! CSV file; `shafaf report import` reads the filled file back (either, see
//! `report/table.rs`) and appends one dated report (and a replanning where a new end is
//! given) to each activity whose row carries one — all or nothing, the sheets' comments
//! and layout kept (see [`crate::load::edit`]).

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

use crate::derive::{self, Facts};
use crate::diagnostics::Diagnostics;
use crate::export::csv::starts_like_formula;
use crate::load::decode::format_number;
use crate::load::edit::{self, NewReplanning, NewReport};
use crate::model::{Commitment, Date, Phase, Plan, PlanStatus, Pos, Site, Text};

mod table;
mod xlsx;

pub use table::MAX_BYTES;
use table::{BOM, Table};

/// The columns an institution fills, after the per-language ones are expanded.
fn header(languages: &[String]) -> Vec<String> {
    let per_lang = |name: &str| languages.iter().map(move |l| format!("{name}_{l}")).collect::<Vec<_>>();
    let mut columns: Vec<String> = ["plan", "commitment", "activity"].map(String::from).to_vec();
    columns.extend(per_lang("title"));
    columns.extend(["start", "end", "current_end", "last_report", "progress", "new_progress"].map(String::from));
    columns.extend(per_lang("note"));
    columns.extend(["evidence_url", "new_end"].map(String::from));
    columns.extend(per_lang("new_end_reason"));
    columns
}

/// The file format of a template.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Xlsx,
}

/// Which activities a template covers: those of one plan, or of every running plan,
/// narrowed to the commitments one institution leads.
pub struct Selection<'a> {
    pub plan: Option<&'a str>,
    pub lead: Option<&'a str>,
}

/// A reporting round's template, ready to write as CSV or xlsx.
pub struct Round {
    /// The plans covered, by ID.
    pub plans: Vec<String>,
    /// The institution whose commitments these are, when the round is for one.
    pub institution: Option<Text>,
    /// The date the current figures are given as of.
    pub as_of: chrono::NaiveDate,
    pub languages: Vec<String>,
    /// Those of `languages` written right to left (the language table says): their
    /// cells read from the right in Excel too.
    pub right_to_left: Vec<String>,
    /// The header row.
    pub columns: Vec<String>,
    pub rows: Vec<TemplateRow>,
}

/// One activity's facts, as its row shows them.
pub struct TemplateRow {
    pub plan: String,
    pub commitment: String,
    /// 1-based, as editors count them.
    pub activity: usize,
    /// One per language, in the site's order.
    pub titles: Vec<String>,
    pub start: Date,
    pub end: Date,
    pub current_end: Date,
    pub last_report: Option<Date>,
    pub progress: Option<f64>,
}

/// One cell of a template row: text, a number, or empty (to fill).
pub enum Cell {
    Text(String),
    Number(f64),
    Empty,
}

impl Cell {
    /// The cell as CSV text. A text a spreadsheet would run as a formula (an activity
    /// titled "=…") gets a leading `'`, as in the feeds' tables; the import takes it off
    /// again. An xlsx cell is typed as text, so it needs none.
    fn to_text(&self) -> String {
        match self {
            Cell::Text(text) if starts_like_formula(text) => format!("'{text}"),
            Cell::Text(text) => text.clone(),
            Cell::Number(n) => format_number(*n),
            Cell::Empty => String::new(),
        }
    }

    /// How many characters wide the cell shows.
    fn width(&self) -> usize {
        match self {
            Cell::Text(text) => text.chars().count(),
            Cell::Number(n) => format_number(*n).len(),
            Cell::Empty => 0,
        }
    }
}

impl Round {
    /// The cells of `row`, in the order of the header.
    pub fn cells<'r>(&'r self, row: &'r TemplateRow) -> impl Iterator<Item = Cell> + 'r {
        let facts = [Cell::Text(row.plan.clone()), Cell::Text(row.commitment.clone()), Cell::Number(row.activity as f64)];
        let dates = [
            Cell::Text(row.start.to_string()),
            Cell::Text(row.end.to_string()),
            Cell::Text(row.current_end.to_string()),
            Cell::Text(row.last_report.map(|d| d.to_string()).unwrap_or_default()),
            row.progress.map_or(Cell::Empty, Cell::Number),
        ];
        // new_progress, notes, evidence_url, new_end and its reasons: to fill.
        let to_fill = 3 + 2 * self.languages.len();
        facts
            .into_iter()
            .chain(row.titles.iter().map(|t| Cell::Text(t.clone())))
            .chain(dates)
            .chain(std::iter::repeat_with(|| Cell::Empty).take(to_fill))
    }

    /// "Rapport d'avancement — 2024-2027 — Institution / تقرير التقدم — …", for the sheet's
    /// first row and the document's title.
    pub fn title(&self) -> String {
        let plans = self.plans.join(", ");
        let name = |lang: &str| self.institution.as_ref().and_then(|t| t.get(lang)).map(|n| format!(" — {n}")).unwrap_or_default();
        format!("Rapport d'avancement — {plans}{} / تقرير التقدم — {plans}{}", name("fr"), name("ar"))
    }

    /// The template as bytes in `format`.
    pub fn write(&self, format: Format) -> Result<Vec<u8>> {
        match format {
            Format::Xlsx => xlsx::write(self),
            Format::Csv => self.write_csv(),
        }
    }

    fn write_csv(&self) -> Result<Vec<u8>> {
        let mut writer = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(BOM.as_bytes().to_vec());
        writer.write_record(&self.columns)?;
        for row in &self.rows {
            writer.write_record(self.cells(row).map(|c| c.to_text()))?;
        }
        writer.into_inner().map_err(|e| anyhow::anyhow!("writing the template: {}", e.error()))
    }
}

/// The round for `selection`: a row per activity, with its current facts.
pub fn template(site: &Site, facts: &Facts, selection: &Selection) -> Result<Round> {
    let institution = match selection.lead {
        Some(lead) => Some(
            site.institutions
                .iter()
                .find(|i| i.id == lead)
                .with_context(|| format!("there is no institution \"{lead}\" (a file in content/institutions/)"))?,
        ),
        None => None,
    };
    let plans = selected_plans(site, facts, selection)?;
    let languages = site.config.languages.clone();
    let mut rows = Vec::new();
    for plan in &plans {
        let mut commitments: Vec<&Commitment> = plan.commitments.iter().filter(|c| selection.lead.is_none_or(|l| c.lead.id == l)).collect();
        commitments.sort_by_key(|c| c.order_key());
        for c in commitments {
            rows.extend(commitment_rows(plan, c, facts, &languages)?);
        }
    }
    Ok(Round {
        plans: plans.iter().map(|p| p.id.clone()).collect(),
        institution: institution.map(|i| i.name.clone()),
        as_of: facts.as_of,
        columns: header(&languages),
        right_to_left: site.config.table().rows().iter().filter(|l| l.dir == crate::language::Dir::Rtl).map(|l| l.code.clone()).collect(),
        languages,
        rows,
    })
}

/// The plan named, or without one every running plan that is not a draft: a ministry
/// then reports on all its work in one file.
fn selected_plans<'s>(site: &'s Site, facts: &Facts, selection: &Selection) -> Result<Vec<&'s Plan>> {
    match selection.plan {
        Some(plan_id) => {
            let plan = site.plans.iter().find(|p| p.id == plan_id).with_context(|| {
                let known: Vec<&str> = site.plans.iter().map(|p| p.id.as_str()).collect();
                format!("there is no plan \"{plan_id}\"; the plans are: {}", known.join(", "))
            })?;
            Ok(vec![plan])
        }
        None if selection.lead.is_some() => {
            let running: Vec<&Plan> = site
                .plans
                .iter()
                .filter(|p| p.status != PlanStatus::Draft && facts.plan(&p.id).is_some_and(|f| f.phase == Phase::Running))
                .collect();
            if running.is_empty() {
                bail!("no plan is running on {}; name one with --plan", facts.as_of);
            }
            Ok(running)
        }
        None => bail!("name the plan (--plan ID), the institution (--lead ID), or both"),
    }
}

fn commitment_rows(plan: &Plan, c: &Commitment, facts: &Facts, languages: &[String]) -> Result<Vec<TemplateRow>> {
    let commitment_facts = facts.commitment(&plan.id, &c.id).with_context(|| format!("no derived facts for {}/{}", plan.id, c.id))?;
    Ok(c.activities
        .iter()
        .zip(&commitment_facts.activities)
        .enumerate()
        .map(|(i, (activity, f))| TemplateRow {
            plan: plan.id.clone(),
            commitment: c.id.clone(),
            activity: i + 1,
            titles: languages.iter().map(|l| activity.title.get(l).unwrap_or_default().to_string()).collect(),
            start: activity.start,
            end: activity.end,
            current_end: f.current_end,
            last_report: f.last_report,
            progress: f.progress,
        })
        .collect())
}

/// What an import would do, or the problems that stop it.
pub struct Import {
    /// Every problem found in the file, with its row and column; nothing is written
    /// while there is one.
    pub problems: Diagnostics,
    /// The sheets to rewrite: (path relative to the root, old text, new text).
    pub changes: Vec<(String, String, String)>,
    /// The commitments touched, as (plan, id).
    pub touched: BTreeSet<(String, String)>,
    /// How many reports and replannings the file adds.
    pub reports: usize,
    pub replannings: usize,
}

/// One row's additions to one activity.
struct RowEdit {
    row: usize,
    activity: usize,
    report: Option<NewReport>,
    replanning: Option<NewReplanning>,
}

/// Reads a filled template and works out every change, checking the whole file first.
/// `file_name` names the file in the problems.
pub fn plan_import(root: &Path, site: &Site, file_name: &str, bytes: &[u8], date: Date, by: Option<&str>) -> Result<Import> {
    let mut problems = Diagnostics::default();
    if let Some(by) = by
        && !site.institutions.iter().any(|i| i.id == by)
    {
        bail!("--by names no institution: there is no content/institutions/{by}.yaml");
    }
    let languages = &site.config.languages;
    let Some(table) = table::read(file_name, bytes, &header(languages), &mut problems) else {
        return Ok(Import { problems, changes: Vec::new(), touched: BTreeSet::new(), reports: 0, replannings: 0 });
    };
    let mut edits: BTreeMap<(String, String), Vec<RowEdit>> = BTreeMap::new();
    // Each activity's first row, to name both when it comes twice.
    let mut seen: BTreeMap<(String, String, usize), usize> = BTreeMap::new();
    for line in &table.rows {
        let cells: BTreeMap<&str, &str> = table.columns.iter().map(String::as_str).zip(line.cells.iter().map(|c| c.trim())).collect();
        let mut row = Row { file_name, number: line.number, table: &table, cells: &cells, problems: &mut problems };
        let Some((plan, commitment, index)) = row.locate(site) else { continue };
        if let Some(first) = seen.get(&(plan.id.clone(), commitment.id.clone(), index)) {
            let first = table.place(*first, 0);
            row.error(
                "activity",
                format!(
                    "activity {} of {}/{} has another row above ({first}); keep one row per activity",
                    index + 1,
                    plan.id,
                    commitment.id
                ),
            );
            continue;
        }
        seen.insert((plan.id.clone(), commitment.id.clone(), index), line.number);
        row.check_titles(commitment, index, languages);
        let Some(edit) = row.read_edit(commitment, index, date, by, languages) else { continue };
        if edit.report.is_some() || edit.replanning.is_some() {
            edits.entry((plan.id.clone(), commitment.id.clone())).or_default().push(edit);
        }
    }
    let touched = edits.keys().cloned().collect();
    let mut import = Import { problems, changes: Vec::new(), touched, reports: 0, replannings: 0 };
    if import.problems.has_errors() {
        return Ok(import);
    }
    for ((plan_id, commitment_id), rows) in &edits {
        let commitment = find_commitment(site, plan_id, commitment_id).context("a commitment vanished while importing")?;
        let path = root.join(&commitment.source);
        let old = fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
        let mut new = old.clone();
        for edit in rows {
            match edit::append_to_activity(&new, edit.activity, edit.report.as_ref(), edit.replanning.as_ref(), languages) {
                Ok(text) => new = text,
                Err(why) => import.problems.error(
                    file_name,
                    Pos::new(edit.row, 1),
                    "",
                    format!("{}: {}: {why}", table.place(edit.row, 0), commitment.source),
                ),
            }
            import.reports += usize::from(edit.report.is_some());
            import.replannings += usize::from(edit.replanning.is_some());
        }
        import.changes.push((commitment.source.clone(), old, new));
    }
    Ok(import)
}

fn find_commitment<'s>(site: &'s Site, plan: &str, id: &str) -> Option<&'s Commitment> {
    site.plans.iter().find(|p| p.id == plan)?.commitments.iter().find(|c| c.id == id)
}

/// One data row, with where to report its problems.
struct Row<'a> {
    file_name: &'a str,
    number: usize,
    table: &'a Table,
    cells: &'a BTreeMap<&'a str, &'a str>,
    problems: &'a mut Diagnostics,
}

impl Row<'_> {
    fn get(&self, column: &str) -> &str {
        self.cells.get(column).copied().unwrap_or_default()
    }

    /// Reports a problem at this row and the named column, as a spreadsheet shows them:
    /// `row 14, column K (new_progress)` or `sheet "Rapport", cell K14 (new_progress)`.
    fn error(&mut self, column: &str, message: String) {
        let index = self.table.columns.iter().position(|c| c == column).unwrap_or(0);
        let place = self.table.place(self.number, index);
        self.problems.error(self.file_name, Pos::new(self.number, index + 1), column, format!("{place} ({column}): {message}"));
    }

    fn locate<'s>(&mut self, site: &'s Site) -> Option<(&'s Plan, &'s Commitment, usize)> {
        let (plan_id, commitment_id, activity) = (self.get("plan"), self.get("commitment"), self.get("activity"));
        let Some(plan) = site.plans.iter().find(|p| p.id == plan_id) else {
            self.error("plan", format!("there is no plan \"{plan_id}\""));
            return None;
        };
        let Some(commitment) = plan.commitments.iter().find(|c| c.id == commitment_id) else {
            self.error("commitment", format!("plan \"{plan_id}\" has no commitment \"{commitment_id}\""));
            return None;
        };
        match activity.parse::<usize>() {
            Ok(n) if (1..=commitment.activities.len()).contains(&n) => Some((plan, commitment, n - 1)),
            _ => {
                let count = commitment.activities.len();
                self.error("activity", format!("\"{activity}\" is not an activity of {plan_id}/{commitment_id}, which has {count}"));
                None
            }
        }
    }

    /// A title that no longer matches means the sheet changed since the template was
    /// made: the row may be about another activity now.
    fn check_titles(&mut self, commitment: &Commitment, index: usize, languages: &[String]) {
        let title = &commitment.activities[index].title;
        for lang in languages {
            let column = format!("title_{lang}");
            let cell = self.get(&column);
            // The `'` the CSV template put before a title that starts like a formula.
            let written = cell.strip_prefix('\'').filter(|rest| starts_like_formula(rest)).unwrap_or(cell).to_string();
            let current = title.get(lang).unwrap_or_default().trim();
            if normalise(&written) != normalise(current) {
                self.error(
                    &column,
                    format!("the title no longer matches activity {} of the sheet (\"{current}\"); make a new template", index + 1),
                );
            }
        }
    }

    fn read_edit(&mut self, commitment: &Commitment, index: usize, date: Date, by: Option<&str>, languages: &[String]) -> Option<RowEdit> {
        let activity = &commitment.activities[index];
        let text = |row: &Row, name: &str| -> Option<Text> {
            let text: Text = languages
                .iter()
                .filter_map(|l| Some((l.clone(), row.get(&format!("{name}_{l}")).to_string())).filter(|(_, v)| !v.is_empty()))
                .collect();
            (!text.is_empty()).then_some(text)
        };
        let note = text(self, "note");
        let reason = text(self, "new_end_reason");
        let evidence_url = Some(self.get("evidence_url").to_string()).filter(|u| !u.is_empty());
        let mut ok = true;
        let progress = match self.get("new_progress") {
            "" => None,
            written => match parse_percent(written) {
                Some(p) if (0.0..=100.0).contains(&p) => Some(p),
                _ => {
                    self.error("new_progress", format!("\"{written}\" is not a progress from 0 to 100"));
                    ok = false;
                    None
                }
            },
        };
        if progress.is_none() && (note.is_some() || evidence_url.is_some()) {
            self.error("new_progress", "a note or an evidence link needs a new_progress on the same row".into());
            ok = false;
        }
        if let Some(url) = &evidence_url
            && (!(url.starts_with("https://") || url.starts_with("http://")) || url.contains(char::is_whitespace))
        {
            self.error("evidence_url", format!("\"{url}\" is not a web address starting with https:// or http://"));
            ok = false;
        }
        let new_end = match self.get("new_end") {
            "" => None,
            written => match Date::parse(written) {
                Some(end) if end.last_day() < activity.start.first_day() => {
                    self.error("new_end", format!("{end} is before the activity's start ({})", activity.start));
                    ok = false;
                    None
                }
                Some(end) if end.last_day() < date.first_day() => {
                    self.error("new_end", format!("{end} is before the date of the decision ({date}); a new end lies ahead of it"));
                    ok = false;
                    None
                }
                Some(end) => Some(end),
                None => {
                    self.error("new_end", format!("\"{written}\" is not a date; write YYYY-MM or YYYY-MM-DD"));
                    ok = false;
                    None
                }
            },
        };
        if new_end.is_none() && reason.is_some() {
            self.error("new_end", "a reason for a new end needs the new_end on the same row".into());
            ok = false;
        }
        if progress.is_some() {
            if activity.progress.is_some() {
                self.error(
                    "new_progress",
                    format!("activity {} has an undated progress in the sheet; date it as a report under \"updates\" first", index + 1),
                );
                ok = false;
            }
            if let Some(last) = activity.updates.last()
                && last.date.first_day() >= date.first_day()
            {
                let why = if last.date.first_day() == date.first_day() {
                    "a report of that date already exists (was this file imported before?)"
                } else {
                    "a later report already exists"
                };
                self.error(
                    "new_progress",
                    format!("the import date {date} is not after the activity's last report ({}): {why}", last.date),
                );
                ok = false;
            }
        }
        if let (Some(end), Some(last)) = (new_end, activity.replanned.last()) {
            if last.date.first_day() >= date.first_day() {
                self.error("new_end", format!("the import date {date} is not after the activity's last replanning ({})", last.date));
                ok = false;
            } else if last.end == end {
                self.error("new_end", format!("{end} is already the activity's end"));
                ok = false;
            }
        } else if new_end == Some(activity.end) && activity.replanned.is_empty() {
            self.error("new_end", format!("{} is already the activity's end", activity.end));
            ok = false;
        }
        ok.then(|| RowEdit {
            row: self.number,
            activity: index,
            report: progress.map(|progress| NewReport { date, progress, by: by.map(str::to_string), note, evidence_url }),
            replanning: new_end.map(|end| NewReplanning { date, end, reason }),
        })
    }
}

/// "60", "60.5", "60,5" and "60 %" all read as a percentage, as people type them.
fn parse_percent(text: &str) -> Option<f64> {
    let number = text.trim().trim_end_matches('%').trim().replace(',', ".");
    number.parse::<f64>().ok().filter(|p| p.is_finite())
}

/// Titles compare without the differences a spreadsheet introduces: surrounding and
/// repeated spaces, and line ends.
fn normalise(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// What each commitment's figure becomes: "2024-2027/open-data: not reported → 35 %".
pub fn summary(before: &Site, after: &Site, as_of: chrono::NaiveDate, touched: &BTreeSet<(String, String)>) -> Vec<String> {
    let old = derive::derive(before, as_of);
    let new = derive::derive(after, as_of);
    let show = |p: Option<f64>| p.map_or_else(|| "not reported".to_string(), |p| format!("{} %", format_number(p)));
    touched
        .iter()
        .map(|(plan, id)| {
            let was = old.commitment(plan, id).and_then(|f| f.progress);
            let is = new.commitment(plan, id).and_then(|f| f.progress);
            format!("{plan}/{id}: {} → {}", show(was), show(is))
        })
        .collect()
}

/// Writes each changed sheet atomically (a temporary file renamed over it), and puts
/// every sheet back as it was if one write fails.
pub fn write_changes(root: &Path, changes: &[(String, String, String)]) -> Result<()> {
    let mut written: Vec<(PathBuf, &str)> = Vec::new();
    for (path, old, new) in changes {
        let target = root.join(path);
        if let Err(err) = write_atomically(&target, new) {
            for (done, original) in &written {
                let _ = write_atomically(done, original);
            }
            return Err(err);
        }
        written.push((target, old));
    }
    Ok(())
}

pub fn write_atomically(target: &Path, text: &str) -> Result<()> {
    let name = target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let temp = target.with_file_name(format!(".{name}.shafaf-import-{}", std::process::id()));
    fs::write(&temp, text).with_context(|| format!("writing {}", temp.display()))?;
    fs::rename(&temp, target).with_context(|| format!("replacing {}", target.display()))
}

/// A unified diff of one sheet, for `--dry-run`.
pub fn diff(path: &str, old: &str, new: &str) -> String {
    similar::TextDiff::from_lines(old, new).unified_diff().context_radius(3).header(&format!("a/{path}"), &format!("b/{path}")).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentages_read_as_typed() {
        assert_eq!(parse_percent("60"), Some(60.0));
        assert_eq!(parse_percent("60,5"), Some(60.5));
        assert_eq!(parse_percent(" 60 % "), Some(60.0));
        assert_eq!(parse_percent("sixty"), None);
        assert_eq!(parse_percent("NaN"), None);
    }

    #[test]
    fn the_header_has_a_column_per_language() {
        let h = header(&["ar".into(), "fr".into()]);
        assert_eq!(
            h.join(","),
            "plan,commitment,activity,title_ar,title_fr,start,end,current_end,last_report,progress,new_progress,note_ar,note_fr,evidence_url,new_end,new_end_reason_ar,new_end_reason_fr"
        );
    }
}
