//! View models of the revisions of the commitments' official text (read from the
//! content's git history by [`crate::revisions`]): a sheet's "changes to this
//! commitment", the portal's changes page, a plan's withdrawn sheets, and the entries
//! of the per-commitment and per-plan Atom feeds.

use serde::Serialize;

use super::reports;
use crate::derive;
use crate::model::{Commitment, Plan};
use crate::present::{Link, Lx};
use crate::revisions::{Change, Field, Revision, RevisionKind, Value, Withdrawn, timestamp};
use crate::urls;

/// One revision as a reader sees it.
#[derive(Debug, Clone, Serialize)]
pub struct RevisionView {
    /// Its `id` on its sheet.
    pub anchor: String,
    pub date: String,
    pub iso_date: String,
    /// "Published" or "Revised".
    pub heading: String,
    /// One line per field, in the page's language.
    pub changes: Vec<String>,
    /// The commit's short ID, and its web page when `site.yaml` names the repository.
    pub commit: String,
    pub commit_href: Option<String>,
    /// The sheet it revised, for the changes page.
    pub commitment: Link,
    pub plan: Link,
}

/// The "changes to this commitment" section of a sheet.
#[derive(Debug, Clone, Serialize)]
pub struct SheetChanges {
    /// Newest first.
    pub revisions: Vec<RevisionView>,
    /// "History from DATE" for a shallow clone.
    pub note: Option<String>,
    /// The changes page.
    pub all_href: String,
}

/// A sheet withdrawn from a plan.
#[derive(Debug, Clone, Serialize)]
pub struct WithdrawnView {
    pub label: String,
    pub anchor: String,
    pub commit: String,
    pub commit_href: Option<String>,
}

/// The changes page without its rows (the routes give them page by page).
#[derive(Debug, Clone, Serialize)]
pub struct ChangesPage {
    pub intro: String,
    pub note: Option<String>,
    pub revisions: Vec<RevisionView>,
}

fn commit_href(lx: &Lx, commit: &str) -> Option<String> {
    lx.site.config.repository.as_ref().map(|repo| format!("{repo}/commit/{commit}"))
}

/// A shallow clone's honest note: its history starts at its oldest commit.
pub fn history_note(lx: &Lx) -> Option<String> {
    let from = lx.facts.history.shallow_from?;
    let date = crate::model::Date::parse(&from.to_string())?;
    Some(lx.strings.format("history_from", &[("date", &lx.date(&date))]))
}

pub fn revision_view(lx: &Lx, plan: &Plan, c: &Commitment, revision: &Revision) -> RevisionView {
    let iso_date = revision.date().to_string();
    let date = crate::model::Date::parse(&iso_date).map_or_else(|| iso_date.clone(), |d| lx.date(&d));
    RevisionView {
        anchor: urls::revision_anchor(revision.short()),
        date,
        iso_date,
        heading: lx.t(match revision.kind {
            RevisionKind::Published => "revision_published",
            RevisionKind::Changed => "revision_changed",
        }),
        changes: revision.changes.iter().map(|change| change_line(lx, change)).collect(),
        commit: revision.short().to_string(),
        commit_href: commit_href(lx, &revision.commit),
        commitment: Link { label: lx.loc(&c.title), href: lx.href(&urls::commitment(lx.lang, &plan.id, &c.id)) },
        plan: lx.plan_link(plan),
    }
}

/// A sheet's revisions, newest first.
pub fn sheet_changes(lx: &Lx, plan: &Plan, c: &Commitment) -> SheetChanges {
    let revisions = lx.facts.history.of(&plan.id, &c.id).iter().rev().map(|r| revision_view(lx, plan, c, r)).collect();
    SheetChanges { revisions, note: history_note(lx), all_href: lx.href(&urls::changes(lx.lang)) }
}

/// The sheets withdrawn from a plan, newest first.
pub fn withdrawn(lx: &Lx, plan: &Plan) -> Vec<WithdrawnView> {
    let Some(list) = lx.facts.history.withdrawn.get(&plan.id) else { return Vec::new() };
    list.iter().rev().map(|w| withdrawn_view(lx, w)).collect()
}

fn withdrawn_view(lx: &Lx, w: &Withdrawn) -> WithdrawnView {
    let title = w.title.as_ref().map_or_else(|| w.id.clone(), |t| lx.loc(t).text);
    let title = match w.number {
        Some(n) => format!("{} {n}{} {title}", lx.t("commitment_number"), lx.t("colon")),
        None => title,
    };
    let date = crate::model::Date::parse(&w.date().to_string()).map_or_else(|| w.date().to_string(), |d| lx.date(&d));
    WithdrawnView {
        label: lx.strings.format("withdrawn_on", &[("title", &title), ("date", &date)]),
        anchor: format!("withdrawn-{}", w.id),
        commit: w.commit[..w.commit.len().min(12)].to_string(),
        commit_href: commit_href(lx, &w.commit),
    }
}

/// A value in the page's language.
fn value(lx: &Lx, field: &Field, value: &Value) -> String {
    match value {
        Value::None => "—".into(),
        Value::Text(t) | Value::Prose(t) => lx.loc(t).text,
        Value::Date(d) => lx.date(d),
        Value::Number(n) => lx.strings.number(*n, if n.fract() == 0.0 { 0 } else { 2 }),
        Value::Measure(crate::model::Measure::Number(n), true) => lx.strings.percent(*n),
        Value::Measure(crate::model::Measure::Number(n), false) => lx.strings.number(*n, if n.fract() == 0.0 { 0 } else { 2 }),
        Value::Measure(crate::model::Measure::Text(t), _) => t.clone(),
        Value::Ids(ids) if ids.is_empty() => "—".into(),
        Value::Ids(ids) => {
            let name = |id: &String| if *field == Field::Area { lx.area_link(id).label.text } else { lx.institution_link(id).label.text };
            ids.iter().map(name).collect::<Vec<_>>().join(", ")
        }
        Value::Plain(s) => s.clone(),
        Value::Flag(_) => String::new(),
    }
}

/// One line per changed field: "end of activity 3: June 2025 → December 2025".
pub fn change_line(lx: &Lx, change: &Change) -> String {
    let (key, n) = change.field.label_key();
    let n = n.map(|n| lx.strings.number(n as f64, 0)).unwrap_or_default();
    let label = lx.strings.format(key, &[("n", &n)]);
    let colon = lx.t("colon");
    match (&change.field, &change.before, &change.after) {
        (Field::ActivityAdded(_) | Field::IndicatorAdded(_), _, after) => format!("{label}{colon} {}", value(lx, &change.field, after)),
        (Field::ActivityRemoved(_) | Field::IndicatorRemoved(_), before, _) => {
            format!("{label}{colon} {}", value(lx, &change.field, before))
        }
        (Field::ActivityCancelled(_), _, Value::Flag(true)) => label,
        (Field::ActivityCancelled(_), _, _) => lx.strings.format("change_activity_reinstated", &[("n", &n)]),
        (_, Value::Prose(_), Value::Prose(_)) => format!("{label}{colon} {}", lx.t("change_rewritten")),
        (_, Value::None, Value::Prose(_)) => format!("{label}{colon} {}", lx.t("change_written")),
        (_, Value::Prose(_), Value::None) => format!("{label}{colon} {}", lx.t("change_deleted")),
        (field, before, after) => lx
            .strings
            .format("change_from_to", &[("field", &label), ("before", &value(lx, field, before)), ("after", &value(lx, field, after))]),
    }
}

/// An entry of a feed.
#[derive(Debug, Clone)]
pub struct Entry {
    /// An Atom timestamp: the entry's own date, never the build's.
    pub updated: String,
    pub title: String,
    /// A stable ID: the entry's place on its page, which a rebuild does not move.
    pub id: String,
    pub path: String,
    pub summary: String,
    pub lang: String,
}

/// An Atom timestamp from a date of any precision (a year or a month counts from its
/// first day).
pub fn stamp(date: &str) -> String {
    let full = match date.len() {
        4 => format!("{date}-01-01"),
        7 => format!("{date}-01"),
        _ => date.to_string(),
    };
    format!("{full}T00:00:00Z")
}

/// A revision's entry.
pub fn revision_entry(lx: &Lx, plan: &Plan, c: &Commitment, revision: &Revision) -> Entry {
    let view = revision_view(lx, plan, c, revision);
    let path = format!("{}#{}", urls::commitment(lx.lang, &plan.id, &c.id), view.anchor);
    let summary = if view.changes.is_empty() { view.heading.clone() } else { view.changes.join(" · ") };
    Entry {
        updated: timestamp(revision.time),
        title: lx.strings.format("revision_entry_title", &[("title", &view.commitment.label.text), ("what", &view.heading)]),
        id: path.clone(),
        path,
        summary,
        lang: view.commitment.label.lang,
    }
}

/// A commitment's entries: its reports and replannings in effect, and its revisions.
pub fn commitment_entries(lx: &Lx, plan: &Plan, c: &Commitment) -> anyhow::Result<Vec<Entry>> {
    let facts = lx.commitment_facts(c)?;
    let sheet = urls::commitment(lx.lang, &plan.id, &c.id);
    let title = lx.loc(&c.title);
    let mut entries = Vec::new();
    for entry in derive::commitment_reports(plan, c, facts) {
        let view = reports::report_view(lx, &entry, 3);
        let path = format!("{sheet}#{}", view.anchor);
        entries.push(Entry {
            updated: stamp(&view.iso_date),
            title: lx.strings.format("report_entry_title", &[("title", &title.text), ("progress", &view.progress)]),
            id: path.clone(),
            path,
            summary: lx.strings.format(
                "report_entry_summary",
                &[("by", &view.by.label.text), ("progress", &view.progress), ("date", &view.date), ("scope", &view.scope)],
            ),
            lang: title.lang.clone(),
        });
    }
    for (i, (activity, af)) in c.activities.iter().zip(&facts.activities).enumerate() {
        for replanning in &activity.replanned[..af.replannings_in_effect] {
            let scope = format!("{} {}{} {}", lx.t("activity"), i + 1, lx.t("colon"), lx.loc(&activity.title).text);
            let revised = lx.strings.format("revised_end", &[("end", &lx.date(&replanning.end)), ("date", &lx.date(&replanning.date))]);
            entries.push(Entry {
                updated: stamp(&replanning.date.to_string()),
                title: lx.strings.format("replanning_entry_title", &[("title", &title.text)]),
                id: format!("{sheet}#replanned-{}-{}", i + 1, replanning.date),
                path: format!("{sheet}#activities-h"),
                summary: format!("{scope} — {} {} · {revised}", lx.t("original_end"), lx.date(&activity.end)),
                lang: title.lang.clone(),
            });
        }
    }
    for revision in lx.facts.history.of(&plan.id, &c.id) {
        entries.push(revision_entry(lx, plan, c, revision));
    }
    Ok(entries)
}

/// A plan's entries: each of its commitments', and the sheets withdrawn from it.
pub fn plan_entries(lx: &Lx, plan: &Plan) -> anyhow::Result<Vec<Entry>> {
    let mut entries = Vec::new();
    for c in &plan.commitments {
        entries.extend(commitment_entries(lx, plan, c)?);
    }
    if let Some(list) = lx.facts.history.withdrawn.get(&plan.id) {
        for w in list {
            let view = withdrawn_view(lx, w);
            let path = format!("{}#{}", urls::plan(lx.lang, &plan.id), view.anchor);
            entries.push(Entry {
                updated: timestamp(w.time),
                title: view.label.clone(),
                id: path.clone(),
                path,
                summary: view.label,
                lang: lx.lang.to_string(),
            });
        }
    }
    Ok(entries)
}
