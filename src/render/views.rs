//! View models: everything a template prints, computed once in Rust from the model and
//! the derived facts, already in the page's language. Templates only lay it out.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::Serialize;

use super::shared::Shared;
use super::svg::{self, GanttBar, Point};
use anyhow::{Result, anyhow};

use crate::derive::{ActivityFacts, CommitmentFacts, GroupFacts, PlanFacts, ProgressBasis};
use crate::model::*;
use crate::present::{Link, Loc, LocHtml, Lx};
use crate::routes::At;
use crate::urls;

/// A figure and its status. When nothing was reported, `reported` is false and the
/// label says so: the page then draws no bar at all, never a 0 % one.
#[derive(Debug, Clone, Serialize)]
pub struct ProgressView {
    pub reported: bool,
    pub value: f64,
    pub label: String,
    pub status: &'static str,
    pub status_label: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct StatusCount {
    pub status: &'static str,
    pub label: String,
    pub count: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct GroupRow {
    pub link: Link,
    pub progress: Option<ProgressView>,
    pub coverage: String,
    pub commitments: usize,
    pub count_label: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct CommitmentRow {
    pub number: u32,
    pub title: Loc,
    pub href: String,
    pub plan: Link,
    pub lead: Link,
    pub area: Link,
    pub progress: ProgressView,
    pub last_report: Option<String>,
    pub stale: bool,
}

impl<'a> Lx<'a> {
    pub fn progress(&self, value: Option<f64>, status: Status) -> ProgressView {
        ProgressView {
            reported: value.is_some(),
            value: value.unwrap_or(0.0),
            label: value.map_or_else(|| self.t("no_progress_reported"), |v| self.strings.percent(v)),
            status: status_class(status),
            status_label: self.status_label(status),
        }
    }

    /// A group's mean, or `None` when none of its commitments has a figure. A group
    /// has no status of its own: the bar takes a neutral colour.
    pub fn group_progress(&self, group: &GroupFacts) -> Option<ProgressView> {
        let value = group.progress?;
        Some(ProgressView { reported: true, value, label: self.strings.percent(value), status: "group", status_label: String::new() })
    }

    /// "7 of 12 commitments reported, last report: 28 March 2023".
    pub fn coverage(&self, group: &GroupFacts) -> String {
        let counts = self.strings.format(
            "commitments_reported",
            &[
                ("n", &self.strings.number(group.reported_commitments as f64, 0)),
                ("total", &self.strings.number(group.commitments as f64, 0)),
            ],
        );
        match group.last_report {
            Some(date) => format!("{counts} · {}", self.strings.format("last_report", &[("date", &self.date(&date))])),
            None => counts,
        }
    }

    /// The note under a group whose commitments have gone without a report too long.
    pub fn group_stale_note(&self, group: &GroupFacts) -> Option<String> {
        (group.stale_commitments > 0).then(|| {
            self.strings.format(
                "plan_stale_note",
                &[
                    ("n", &self.strings.number(group.stale_commitments as f64, 0)),
                    ("months", &self.site.config.stale_after_months().to_string()),
                ],
            )
        })
    }

    pub fn status_counts(&self, counts: &BTreeMap<Status, usize>) -> Vec<StatusCount> {
        Status::ALL
            .iter()
            .filter_map(|s| {
                counts.get(s).filter(|n| **n > 0).map(|n| StatusCount { status: status_class(*s), label: self.status_label(*s), count: *n })
            })
            .collect()
    }

    /// The derived facts of a commitment; their absence is a bug, never a 0 %.
    pub fn commitment_facts(&self, c: &Commitment) -> Result<&'a CommitmentFacts> {
        self.facts.commitment(&c.plan, &c.id).ok_or_else(|| anyhow!("no derived facts for commitment {}/{}", c.plan, c.id))
    }

    pub fn plan_facts(&self, plan: &Plan) -> Result<&'a PlanFacts> {
        self.facts.plan(&plan.id).ok_or_else(|| anyhow!("no derived facts for plan {}", plan.id))
    }

    pub fn commitment_row(&self, plan: &Plan, c: &Commitment) -> Result<CommitmentRow> {
        let facts = self.commitment_facts(c)?;
        Ok(CommitmentRow {
            number: c.number,
            title: self.loc(&c.title),
            href: self.href(&urls::commitment(self.lang, &plan.id, &c.id)),
            plan: self.plan_link(plan),
            lead: self.institution_link(&c.lead.id),
            area: self.area_link(&c.area.id),
            progress: self.progress(facts.progress, facts.status),
            last_report: facts.last_report.map(|d| self.date(&d)),
            stale: facts.stale,
        })
    }

    pub fn measure(&self, measure: &Measure, unit: Unit) -> String {
        match (measure, unit) {
            (Measure::Number(n), Unit::Percent) => self.strings.percent(*n),
            (Measure::Number(n), _) => self.strings.number(*n, 2),
            (Measure::Text(t), _) => t.clone(),
        }
    }
}

/// The CSS class of a status (`in-progress`).
pub fn status_class(status: Status) -> &'static str {
    match status {
        Status::NotStarted => "not-started",
        Status::NotReported => "not-reported",
        Status::InProgress => "in-progress",
        Status::Delayed => "delayed",
        Status::Completed => "completed",
        Status::Cancelled => "cancelled",
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct PlanCard {
    pub link: Link,
    pub period: String,
    pub status_label: String,
    pub phase: &'static str,
    pub phase_label: String,
    pub owner: Link,
    pub progress: Option<ProgressView>,
    /// For an ended plan: its last figure with the date it was reported.
    pub final_figure: Option<String>,
    pub count_label: String,
    /// "7 of 12 commitments reported · last report: 28 March 2023".
    pub coverage: String,
    pub stale_note: Option<String>,
    pub commitment_statuses: Vec<StatusCount>,
    pub report_href: String,
}

pub fn plan_card(lx: &Lx, plan: &Plan) -> Result<PlanCard> {
    let facts = lx.plan_facts(plan)?;
    let group = &facts.group;
    let final_figure = match (facts.phase, group.progress, group.last_report) {
        (Phase::Ended, Some(progress), Some(date)) => {
            Some(lx.strings.format("final_figure", &[("progress", &lx.strings.percent(progress)), ("date", &lx.date(&date))]))
        }
        _ => None,
    };
    Ok(PlanCard {
        link: lx.plan_link(plan),
        period: format!("{} – {}", lx.date(&plan.start), lx.date(&plan.end)),
        status_label: lx.t(&format!("plan_status_{}", plan.status.as_str())),
        phase: facts.phase.as_str(),
        phase_label: lx.t(&format!("phase_{}", facts.phase.as_str())),
        owner: lx.institution_link(&plan.owner.id),
        progress: lx.group_progress(group),
        final_figure,
        count_label: lx.strings.format("commitments_count", &[("n", &group.commitments.to_string())]),
        coverage: lx.coverage(group),
        stale_note: lx.group_stale_note(group),
        commitment_statuses: lx.status_counts(&group.commitment_statuses),
        report_href: lx.href(&urls::plan_report(lx.lang, &plan.id)),
    })
}

#[derive(Debug, Clone, Serialize)]
pub struct Dashboard {
    /// Running plans lead; ended and upcoming ones follow. No mean mixes them.
    pub running_plans: Vec<PlanCard>,
    pub other_plans: Vec<PlanCard>,
    pub areas: Vec<GroupRow>,
    pub institutions: Vec<GroupRow>,
    pub activity_statuses: Vec<StatusCount>,
    pub commitment_statuses: Vec<StatusCount>,
    pub news: Vec<NewsItem>,
}

fn group_row(lx: &Lx, link: Link, group: &GroupFacts) -> GroupRow {
    GroupRow {
        link,
        progress: lx.group_progress(group),
        coverage: lx.coverage(group),
        commitments: group.commitments,
        count_label: lx.strings.format("commitments_count", &[("n", &group.commitments.to_string())]),
    }
}

pub fn dashboard(lx: &Lx, news: Vec<NewsItem>) -> Result<Dashboard> {
    let facts = lx.facts;
    let areas = lx
        .site
        .areas
        .iter()
        .map(|a| {
            let group = facts.areas.get(&a.id).ok_or_else(|| anyhow!("no derived facts for area {}", a.id))?;
            Ok(group_row(lx, lx.area_link(&a.id), group))
        })
        .collect::<Result<_>>()?;
    let mut institutions = Vec::new();
    for i in &lx.site.institutions {
        let group = facts.institutions.get(&i.id).ok_or_else(|| anyhow!("no derived facts for institution {}", i.id))?;
        if group.commitments > 0 {
            institutions.push(group_row(lx, lx.institution_link(&i.id), group));
        }
    }
    institutions.sort_by(|a, b| b.commitments.cmp(&a.commitments).then_with(|| a.link.href.cmp(&b.link.href)));
    let mut running_plans = Vec::new();
    let mut other_plans = Vec::new();
    for plan in lx.site.plans_newest_first() {
        let card = plan_card(lx, plan)?;
        if card.phase == Phase::Running.as_str() { running_plans.push(card) } else { other_plans.push(card) }
    }
    Ok(Dashboard {
        running_plans,
        other_plans,
        areas,
        institutions,
        activity_statuses: lx.status_counts(&facts.overall.activity_statuses),
        commitment_statuses: lx.status_counts(&facts.overall.commitment_statuses),
        news: news.into_iter().take(3).collect(),
    })
}

#[derive(Debug, Clone, Serialize)]
pub struct PlanPage {
    pub card: PlanCard,
    pub title: Loc,
    pub summary: Option<LocHtml>,
    pub commitments: Vec<Shared<CommitmentRow>>,
    /// This plan's Atom feed.
    pub feed: String,
    /// Sheets deleted from the plan, from the content's history, newest first.
    pub withdrawn: Vec<super::changes::WithdrawnView>,
}

/// A plan's page without its rows, which [`commitment_rows`] gives page by page.
pub fn plan_page(lx: &Lx, plan: &Plan) -> Result<PlanPage> {
    Ok(PlanPage {
        card: plan_card(lx, plan)?,
        title: lx.loc(&plan.title),
        summary: lx.md_opt(&plan.summary, 1),
        commitments: Vec::new(),
        feed: lx.href(&urls::plan_atom(lx.lang, &plan.id)),
        withdrawn: super::changes::withdrawn(lx, plan),
    })
}

/// The rows of the commitments at `rows`, each made once per language: a commitment
/// is listed in its plan, its area and each of its institutions, each list in three
/// orders, and making and serialising its row again for each was a tenth of a 10k
/// build.
pub fn commitment_rows(lx: &Lx, made: &RowCache, rows: &[At]) -> Result<Vec<Shared<CommitmentRow>>> {
    rows.iter()
        .map(|at| {
            let slot = made.rows.get(at.plan).and_then(|plan| plan.get(at.index));
            if let Some(row) = slot.and_then(OnceLock::get) {
                return Ok(row.clone());
            }
            let plan = lx.site.plans.get(at.plan).ok_or_else(|| anyhow!("no plan at position {}", at.plan))?;
            let c = plan.commitments.get(at.index).ok_or_else(|| anyhow!("no commitment at position {} of plan {}", at.index, plan.id))?;
            let row = Shared::of(&lx.commitment_row(plan, c)?)?;
            // Two threads may make the same row at once; they make the same value.
            if let Some(slot) = slot {
                let _ = slot.set(row.clone());
            }
            Ok(row)
        })
        .collect()
}

/// The rows of one language's lists, by the plan's and the commitment's positions in
/// the site, made the first time a list shows them. A cache lives as long as one
/// rendering of the site's pages, so it never outlives the content it was made from.
pub struct RowCache {
    rows: Vec<Vec<OnceLock<Shared<CommitmentRow>>>>,
}

impl RowCache {
    pub fn new(site: &Site) -> RowCache {
        RowCache { rows: site.plans.iter().map(|plan| plan.commitments.iter().map(|_| OnceLock::new()).collect()).collect() }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct ReplanningView {
    /// "Postponed to June 2027 (decision of 1 May 2025)".
    pub label: String,
    pub reason: Option<LocHtml>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ActivityView {
    pub number: usize,
    pub title: Loc,
    pub start: String,
    /// The end in the official plan, struck through when it was replanned.
    pub end: String,
    pub replanned: Vec<ReplanningView>,
    pub progress: ProgressView,
    pub last_report: Option<String>,
    /// "Past its end (June 2025), nothing reported".
    pub overdue_note: Option<String>,
    pub cost: Option<String>,
    pub funding: Option<Loc>,
    pub partners: Vec<Link>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ValueView {
    pub date: String,
    pub value: String,
    pub kind: &'static str,
    pub kind_label: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct IndicatorView {
    pub id: String,
    pub title: Loc,
    pub unit_label: String,
    pub baseline: Option<String>,
    pub target: Option<String>,
    pub values: Vec<ValueView>,
    pub chart: String,
    pub method: Option<LocHtml>,
    pub source: Option<LocHtml>,
    pub limits: Option<LocHtml>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ParticipationView {
    pub date: String,
    pub title: Loc,
    pub channel: String,
    pub participants: String,
    pub women: String,
    pub proposals: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct AssessmentView {
    pub by: Link,
    pub date: String,
    pub verdict: &'static str,
    pub verdict_label: String,
    pub note: Option<LocHtml>,
    pub url: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CommitmentPage {
    pub number: u32,
    pub title: Loc,
    pub plan: Link,
    pub area: Link,
    pub lead: Link,
    pub partners: Vec<Link>,
    pub ogp_values: Vec<String>,
    pub problem: Option<LocHtml>,
    pub solution: Option<LocHtml>,
    pub results: Option<LocHtml>,
    pub notes: Option<LocHtml>,
    pub progress: ProgressView,
    /// Where the figure comes from (the sheet's own report or its activities').
    pub basis: Option<String>,
    pub last_report: String,
    /// "3 of 8 activities reported", for a sheet with activities.
    pub coverage: Option<String>,
    pub stale_note: Option<String>,
    pub activity_statuses: Vec<StatusCount>,
    pub history: Vec<super::reports::ReportView>,
    pub progress_chart: String,
    pub timeline: String,
    pub activities: Vec<ActivityView>,
    pub tracking: Vec<IndicatorView>,
    pub impact: Vec<IndicatorView>,
    pub participation: Vec<ParticipationView>,
    pub assessments: Vec<AssessmentView>,
    pub json_href: String,
    /// This commitment's Atom feed.
    pub feed: String,
    /// Its revisions from the content's history.
    pub changes: super::changes::SheetChanges,
}

fn optional_count(lx: &Lx, n: Option<u64>) -> String {
    n.map_or_else(|| "—".to_string(), |n| lx.strings.number(n as f64, 0))
}

fn activity_view(lx: &Lx, number: usize, a: &Activity, facts: &ActivityFacts) -> ActivityView {
    let replanned = a.replanned[..facts.replannings_in_effect]
        .iter()
        .map(|d| ReplanningView {
            label: lx.strings.format("revised_end", &[("end", &lx.date(&d.end)), ("date", &lx.date(&d.date))]),
            reason: lx.md_opt(&d.reason, 4),
        })
        .collect();
    ActivityView {
        number,
        title: lx.loc(&a.title),
        start: lx.date(&a.start),
        end: lx.date(&a.end),
        replanned,
        progress: lx.progress(facts.progress, facts.status),
        last_report: facts.last_report.map(|d| lx.date(&d)),
        overdue_note: overdue_note(lx, facts),
        cost: a.cost.as_ref().map(|cost| format!("{} {}", lx.strings.number(cost.amount, 2), cost.currency)),
        funding: a.funding.as_ref().map(|f| lx.loc(f)),
        partners: a.partners.iter().map(|p| lx.institution_link(&p.id)).collect(),
    }
}

/// "Past its end (June 2025), nothing reported", for an overdue activity.
pub fn overdue_note(lx: &Lx, facts: &ActivityFacts) -> Option<String> {
    facts.overdue.then(|| {
        let key = if facts.progress.is_some() { "overdue_reported" } else { "overdue_unreported" };
        lx.strings.format(key, &[("date", &lx.date(&facts.current_end))])
    })
}

fn timeline(lx: &Lx, c: &Commitment, activities: &[ActivityView], facts: &CommitmentFacts) -> String {
    let bars: Vec<GanttBar> = c
        .activities
        .iter()
        .zip(activities)
        .zip(&facts.activities)
        .filter_map(|((a, view), f)| {
            let end = lx.date(&f.current_end);
            Some(GanttBar {
                label: view.number.to_string(),
                description: format!(
                    "{} {}: {} – {}, {} ({})",
                    lx.t("activity"),
                    view.number,
                    view.start,
                    end,
                    view.progress.label,
                    lx.status_label(f.status)
                ),
                start: a.start.first_day()?,
                end: f.current_end.last_day()?,
                status: f.status,
            })
        })
        .collect();
    let as_of = lx.as_of();
    let description_key =
        if svg::as_of_on_chart(&bars, lx.facts.as_of) { "timeline_description" } else { "timeline_description_off_chart" };
    svg::gantt(&svg::Gantt {
        id: "timeline",
        title: &lx.t("timeline"),
        description: &lx.strings.format(description_key, &[("date", &as_of)]),
        bars: &bars,
        as_of: lx.facts.as_of,
        as_of_label: &lx.strings.format("as_of_line", &[("date", &as_of)]),
        rtl: lx.strings.dir() == "rtl",
    })
}

/// The commitment's figure at each report date, drawn when there are two or more.
fn progress_chart(lx: &Lx, facts: &CommitmentFacts) -> String {
    if facts.history.len() < 2 {
        return String::new();
    }
    let points: Vec<Point> = facts
        .history
        .iter()
        .map(|(date, value)| Point { label: lx.date(date), value: *value, value_label: lx.strings.percent(*value), kind: "actual" })
        .collect();
    svg::progress_chart("progress-chart", &lx.t("progress_chart"), &points, lx.strings.dir() == "rtl")
}

pub fn commitment_page(lx: &Lx, plan: &Plan, c: &Commitment) -> Result<CommitmentPage> {
    let facts = lx.commitment_facts(c)?;
    let activities: Vec<ActivityView> =
        c.activities.iter().zip(&facts.activities).enumerate().map(|(i, (a, f))| activity_view(lx, i + 1, a, f)).collect();
    let timeline = timeline(lx, c, &activities, facts);
    let indicators: Vec<(IndicatorKind, IndicatorView)> =
        c.indicators.iter().enumerate().map(|(i, ind)| (ind.kind, indicator_view(lx, i, ind))).collect();
    let (tracking, impact): (Vec<_>, Vec<_>) = indicators.into_iter().partition(|(k, _)| *k == IndicatorKind::Tracking);
    Ok(CommitmentPage {
        number: c.number,
        title: lx.loc(&c.title),
        plan: lx.plan_link(plan),
        area: lx.area_link(&c.area.id),
        lead: lx.institution_link(&c.lead.id),
        partners: c.partners.iter().map(|p| lx.institution_link(&p.id)).collect(),
        ogp_values: c.ogp_values.iter().map(|v| lx.t(&format!("ogp_{}", v.as_str()))).collect(),
        problem: lx.md_opt(&c.problem, 2),
        solution: lx.md_opt(&c.solution, 2),
        results: lx.md_opt(&c.results, 2),
        notes: lx.md_opt(&c.notes, 2),
        progress: lx.progress(facts.progress, facts.status),
        basis: basis_label(lx, c, facts),
        last_report: facts
            .last_report
            .map_or_else(|| lx.t("no_report_yet"), |d| lx.strings.format("last_report", &[("date", &lx.date(&d))])),
        coverage: activity_coverage(lx, c, facts),
        stale_note: facts.stale.then(|| lx.strings.format("stale_note", &[("months", &lx.site.config.stale_after_months().to_string())])),
        activity_statuses: lx.status_counts(&facts.activity_status_counts()),
        history: super::reports::commitment_history(lx, plan, c, facts),
        progress_chart: progress_chart(lx, facts),
        timeline,
        activities,
        tracking: tracking.into_iter().map(|(_, v)| v).collect(),
        impact: impact.into_iter().map(|(_, v)| v).collect(),
        participation: c.participation.iter().map(|p| participation_view(lx, p)).collect(),
        assessments: c.assessments.iter().map(|a| assessment_view(lx, a)).collect(),
        json_href: lx.href(&urls::commitment_json(&plan.id, &c.id)),
        feed: lx.href(&urls::commitment_atom(lx.lang, &plan.id, &c.id)),
        changes: super::changes::sheet_changes(lx, plan, c),
    })
}

/// "3 of 8 activities reported", for a sheet with activities.
fn activity_coverage(lx: &Lx, c: &Commitment, facts: &CommitmentFacts) -> Option<String> {
    (!c.activities.is_empty()).then(|| {
        lx.strings.format(
            "activities_reported",
            &[
                ("n", &lx.strings.number(facts.reported_activities as f64, 0)),
                ("total", &lx.strings.number(facts.activity_count as f64, 0)),
            ],
        )
    })
}

/// Where the figure comes from, when a reader could wonder.
fn basis_label(lx: &Lx, c: &Commitment, facts: &CommitmentFacts) -> Option<String> {
    match facts.basis {
        ProgressBasis::Sheet if !c.activities.is_empty() => Some(lx.t("basis_sheet")),
        ProgressBasis::Activities => Some(lx.t("basis_activities")),
        _ => None,
    }
}

fn participation_view(lx: &Lx, p: &Participation) -> ParticipationView {
    ParticipationView {
        date: lx.date(&p.date),
        title: lx.loc(&p.title),
        channel: p.channel.map(|ch| lx.t(&format!("channel_{}", ch.as_str()))).unwrap_or_else(|| "—".into()),
        participants: optional_count(lx, p.participants),
        women: optional_count(lx, p.women),
        proposals: optional_count(lx, p.proposals),
    }
}

pub fn assessment_view(lx: &Lx, a: &Assessment) -> AssessmentView {
    AssessmentView {
        by: lx.institution_link(&a.by.id),
        date: lx.date(&a.date),
        verdict: match a.verdict {
            Verdict::Done => "done",
            Verdict::InProgress => "in-progress",
            Verdict::NotDone => "not-done",
        },
        verdict_label: lx.t(&format!("verdict_{}", a.verdict.as_str())),
        note: lx.md_opt(&a.note, 3),
        url: a.url.clone(),
    }
}

fn indicator_view(lx: &Lx, index: usize, ind: &Indicator) -> IndicatorView {
    let title = lx.loc(&ind.title);
    let points: Vec<Point> = ind
        .values
        .iter()
        .filter_map(|v| match v.value {
            Measure::Number(n) => {
                Some(Point { label: lx.date(&v.date), value: n, value_label: lx.measure(&v.value, ind.unit), kind: v.kind.as_str() })
            }
            Measure::Text(_) => None,
        })
        .collect();
    let id = format!("indicator-{}", index + 1);
    let chart = if points.len() == ind.values.len() {
        svg::indicator_chart(&id, &lx.strings.format("chart_of", &[("title", &title.text)]), &points, lx.strings.dir() == "rtl")
    } else {
        String::new()
    };
    IndicatorView {
        id,
        title,
        unit_label: lx.t(&format!("unit_{}", ind.unit.as_str())),
        baseline: ind.baseline.as_ref().map(|b| lx.measure(b, ind.unit)),
        target: ind.target.as_ref().map(|t| match &t.date {
            Some(d) => format!("{} ({})", lx.measure(&t.value, ind.unit), lx.date(d)),
            None => lx.measure(&t.value, ind.unit),
        }),
        values: ind
            .values
            .iter()
            .map(|v| ValueView {
                date: lx.date(&v.date),
                value: lx.measure(&v.value, ind.unit),
                kind: v.kind.as_str(),
                kind_label: lx.t(&format!("value_kind_{}", v.kind.as_str())),
            })
            .collect(),
        chart,
        method: lx.md_opt(&ind.method, 4),
        source: lx.md_opt(&ind.source, 4),
        limits: lx.md_opt(&ind.limits, 4),
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct GroupPage {
    pub title: Loc,
    pub subtitle: Option<String>,
    pub description: Option<LocHtml>,
    pub website: Option<String>,
    pub progress: Option<ProgressView>,
    pub coverage: String,
    pub count_label: String,
    pub commitment_statuses: Vec<StatusCount>,
    pub commitments: Vec<Shared<CommitmentRow>>,
    pub partner_in: Vec<Shared<CommitmentRow>>,
    pub plans: Vec<Link>,
    /// An institution's printable report.
    pub report_href: Option<String>,
}

/// An area's page without its rows, which [`commitment_rows`] gives page by page.
pub fn area_page(lx: &Lx, area: &Area) -> Result<GroupPage> {
    let group = lx.facts.areas.get(&area.id).ok_or_else(|| anyhow!("no derived facts for area {}", area.id))?;
    Ok(GroupPage {
        title: lx.loc(&area.title),
        subtitle: None,
        description: lx.md_opt(&area.description, 1),
        website: None,
        progress: lx.group_progress(group),
        coverage: lx.coverage(group),
        count_label: lx.strings.format("commitments_count", &[("n", &group.commitments.to_string())]),
        commitment_statuses: lx.status_counts(&group.commitment_statuses),
        commitments: Vec::new(),
        partner_in: Vec::new(),
        plans: Vec::new(),
        report_href: None,
    })
}

/// An institution's page without its rows, which [`commitment_rows`] gives page by page.
pub fn institution_page(lx: &Lx, inst: &Institution) -> Result<GroupPage> {
    let group = lx.facts.institutions.get(&inst.id).ok_or_else(|| anyhow!("no derived facts for institution {}", inst.id))?;
    let acronym = inst.acronym.as_ref().map(|a| lx.loc(a).text);
    let kind = lx.t(&format!("kind_{}", inst.kind.as_str()));
    Ok(GroupPage {
        title: lx.loc(&inst.name),
        subtitle: Some(match acronym {
            Some(a) => format!("{a} · {kind}"),
            None => kind,
        }),
        description: None,
        website: inst.url.clone(),
        progress: lx.group_progress(group),
        coverage: lx.coverage(group),
        count_label: lx.strings.format("commitments_count", &[("n", &group.commitments.to_string())]),
        commitment_statuses: lx.status_counts(&group.commitment_statuses),
        commitments: Vec::new(),
        partner_in: Vec::new(),
        plans: lx.site.plans_newest_first().into_iter().filter(|p| p.owner.id == inst.id).map(|p| lx.plan_link(p)).collect(),
        report_href: Some(lx.href(&urls::institution_report(lx.lang, &inst.id))),
    })
}

#[derive(Debug, Clone, Serialize)]
pub struct NewsItem {
    pub title: Loc,
    pub date: String,
    pub iso_date: String,
    pub summary: Option<Loc>,
    pub href: String,
}

pub fn news_item(lx: &Lx, post: &NewsPost) -> NewsItem {
    NewsItem {
        title: lx.loc_str(&post.lang, &post.title),
        date: lx.date(&post.date),
        iso_date: post.date.to_string(),
        summary: post.summary.as_ref().map(|s| lx.loc_str(&post.lang, s)),
        href: lx.href(&urls::news_post(lx.lang, &post.date.to_string(), &post.slug)),
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct DocumentPage {
    pub title: Loc,
    pub date: Option<String>,
    pub body: LocHtml,
    pub related: Vec<Link>,
}

pub fn document_page(lx: &Lx, lang: &str, title: &str, body: &str, date: Option<&Date>, related: &[Ref]) -> DocumentPage {
    let mut text = Text::default();
    text.insert(lang.to_string(), body.to_string());
    DocumentPage {
        title: lx.loc_str(lang, title),
        date: date.map(|d| lx.date(d)),
        body: lx.md(&text, 1),
        related: related
            .iter()
            .filter_map(|r| {
                let (plan_id, id) = r.id.split_once('/')?;
                let plan = lx.site.plans.iter().find(|p| p.id == plan_id)?;
                let c = plan.commitments.iter().find(|c| c.id == id)?;
                Some(Link { label: lx.loc(&c.title), href: lx.href(&urls::commitment(lx.lang, plan_id, id)) })
            })
            .collect(),
    }
}
