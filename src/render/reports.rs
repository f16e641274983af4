//! View models of dated progress reports: one report as a reader sees it, with its
//! evidence, and a commitment's history of them. Which reports exist on the as-of date,
//! and in what order, comes from [`crate::derive`].

use serde::Serialize;

use crate::derive::{self, CommitmentFacts, ReportRef};
use crate::model::{Commitment, Plan};
use crate::present::{Link, Loc, LocHtml, Lx};
use crate::urls;

#[derive(Debug, Clone, Serialize)]
pub struct EvidenceView {
    pub title: Loc,
    pub url: Option<String>,
    /// The document has no title: its address stands in its place, which the page
    /// isolates as left-to-right text (in an Arabic page the bidirectional algorithm
    /// would otherwise move an address's trailing slash or punctuation).
    pub untitled: bool,
}

/// A document without a title shows its address.
pub fn evidence_view(lx: &Lx, evidence: &crate::model::Evidence) -> EvidenceView {
    let title = match (&evidence.title, &evidence.url) {
        (Some(title), _) => lx.loc(title),
        (None, Some(url)) => lx.loc_str(lx.lang, url),
        (None, None) => lx.loc_str(lx.lang, ""),
    };
    EvidenceView { title, url: evidence.url.clone(), untitled: evidence.title.is_none() }
}

/// One dated report as a reader sees it.
#[derive(Debug, Clone, Serialize)]
pub struct ReportView {
    pub date: String,
    pub iso_date: String,
    pub by: Link,
    /// The activity it is about, or the commitment as a whole.
    pub scope: String,
    pub progress: String,
    pub note: Option<LocHtml>,
    pub evidence: Vec<EvidenceView>,
    /// The report's `id` on its sheet (see [`anchor`]).
    pub anchor: String,
    /// The commitment and plan, for lists that span the portal.
    pub commitment: Link,
    pub plan: Link,
}

pub fn report_view(lx: &Lx, entry: &ReportRef, heading_level: u8) -> ReportView {
    let ReportRef { plan, commitment: c, activity, index, report } = *entry;
    let scope = match activity.and_then(|i| c.activities.get(i).map(|a| (i, a))) {
        Some((i, a)) => format!("{} {}{} {}", lx.t("activity"), i + 1, lx.t("colon"), lx.loc(&a.title).text),
        None => lx.t("whole_commitment"),
    };
    ReportView {
        date: lx.date(&report.date),
        iso_date: report.date.to_string(),
        by: lx.institution_link(&report.by.as_ref().unwrap_or(&c.lead).id),
        scope,
        progress: lx.strings.percent(report.progress),
        note: lx.md_opt(&report.note, heading_level),
        evidence: report.evidence.iter().map(|e| evidence_view(lx, e)).collect(),
        anchor: anchor(activity, index),
        commitment: Link { label: lx.loc(&c.title), href: lx.href(&urls::commitment(lx.lang, &plan.id, &c.id)) },
        plan: lx.plan_link(plan),
    }
}

/// `report-commitment-1`, `report-activity-2-3`: names a report on its sheet (the
/// commitment's first report; activity 2's third), stable as long as the list grows at
/// its end, as reports do.
pub fn anchor(activity: Option<usize>, index: usize) -> String {
    match activity {
        None => format!("report-commitment-{}", index + 1),
        Some(i) => format!("report-activity-{}-{}", i + 1, index + 1),
    }
}

/// A commitment's reports, newest first.
pub fn commitment_history(lx: &Lx, plan: &Plan, c: &Commitment, facts: &CommitmentFacts) -> Vec<ReportView> {
    let mut entries = derive::commitment_reports(plan, c, facts);
    // Newest first; a stable sort keeps the sheet's order among reports of one day.
    entries.sort_by_key(|e| std::cmp::Reverse(e.report.date.first_day()));
    entries.iter().map(|e| report_view(lx, e, 3)).collect()
}
