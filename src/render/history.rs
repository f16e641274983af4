//! View models of the accountability record across sheets: the portal's latest reports and a plan's printable self-assessment report. Which reports
//! exist on the as-of date, and in what order, comes from [`crate::derive`].

use serde::Serialize;

use super::reports::{EvidenceView, ReportView, evidence_view};
use super::views::{self, PlanCard, ProgressView, StatusCount};
use crate::derive::{self, GroupFacts};
use crate::model::{Commitment, Institution, Plan};
use crate::present::{Link, Loc, Lx};
use crate::routes::At;
use crate::urls;

#[derive(Debug, Clone, Serialize)]
pub struct UpdatesPage {
    pub intro: String,
    pub reports: Vec<ReportView>,
    /// The revisions of the commitments' text (`/LANG/changes/`).
    pub changes_href: String,
}

/// The latest reports' page without its reports, which the routes give page by page.
pub fn updates_page(lx: &Lx) -> UpdatesPage {
    UpdatesPage {
        intro: lx.strings.format("updates_intro", &[("date", &lx.as_of())]),
        reports: Vec::new(),
        changes_href: lx.href(&urls::changes(lx.lang)),
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct AreaSummary {
    pub link: Link,
    pub progress: Option<ProgressView>,
    pub coverage: String,
    pub statuses: Vec<StatusCount>,
}

/// One commitment in the printed report.
#[derive(Debug, Clone, Serialize)]
pub struct ReportedCommitment {
    pub number: u32,
    pub title: Loc,
    pub href: String,
    pub lead: Link,
    pub progress: ProgressView,
    pub last_report: String,
    pub stale: bool,
    pub overdue: Vec<String>,
    pub replanned: Vec<String>,
    pub evidence: Vec<EvidenceView>,
    pub verdicts: Vec<views::AssessmentView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PlanReport {
    pub card: PlanCard,
    pub title: Loc,
    pub intro: String,
    pub plan_href: String,
    pub by_status: Vec<StatusCount>,
    pub by_area: Vec<AreaSummary>,
    pub commitments: Vec<ReportedCommitment>,
}

fn reported_commitment(lx: &Lx, plan: &Plan, c: &Commitment) -> anyhow::Result<ReportedCommitment> {
    let facts = lx.commitment_facts(c)?;
    let activity_line = |i: usize, extra: String| {
        format!("{} {}{} {} — {extra}", lx.t("activity"), i + 1, lx.t("colon"), lx.loc(&c.activities[i].title).text)
    };
    let overdue = facts.activities.iter().enumerate().filter_map(|(i, f)| Some(activity_line(i, views::overdue_note(lx, f)?))).collect();
    let replanned = c
        .activities
        .iter()
        .zip(&facts.activities)
        .enumerate()
        .filter_map(|(i, (a, f))| {
            let last = a.replanned[..f.replannings_in_effect].last()?;
            let revised = lx.strings.format("revised_end", &[("end", &lx.date(&last.end)), ("date", &lx.date(&last.date))]);
            Some(activity_line(i, format!("{} {} · {revised}", lx.t("original_end"), lx.date(&a.end))))
        })
        .collect();
    let evidence =
        derive::commitment_reports(plan, c, facts).iter().flat_map(|e| e.report.evidence.iter()).map(|e| evidence_view(lx, e)).collect();
    Ok(ReportedCommitment {
        number: c.number,
        title: lx.loc(&c.title),
        href: lx.href(&urls::commitment(lx.lang, &plan.id, &c.id)),
        lead: lx.institution_link(&c.lead.id),
        progress: lx.progress(facts.progress, facts.status),
        last_report: facts
            .last_report
            .map_or_else(|| lx.t("no_report_yet"), |d| lx.strings.format("last_report", &[("date", &lx.date(&d))])),
        stale: facts.stale,
        overdue,
        replanned,
        evidence,
        verdicts: c.assessments.iter().map(|a| views::assessment_view(lx, a)).collect(),
    })
}

/// A plan's report without its commitments, which [`reported_commitments`] gives page
/// by page.
pub fn plan_report(lx: &Lx, plan: &Plan) -> anyhow::Result<PlanReport> {
    let plan_facts = lx.plan_facts(plan)?;
    let by_area = plan_facts.areas.iter().map(|(area, group)| area_summary(lx, lx.area_link(area), group)).collect();
    Ok(PlanReport {
        card: views::plan_card(lx, plan)?,
        title: lx.loc(&plan.title),
        intro: lx.strings.format("plan_report_intro", &[("date", &lx.as_of())]),
        plan_href: lx.href(&urls::plan(lx.lang, &plan.id)),
        by_status: lx.status_counts(&plan_facts.group.commitment_statuses),
        by_area,
        commitments: Vec::new(),
    })
}

/// The report's sections for `commitments`.
pub fn reported_commitments(lx: &Lx, plan: &Plan, commitments: &[&Commitment]) -> anyhow::Result<Vec<ReportedCommitment>> {
    commitments.iter().map(|c| reported_commitment(lx, plan, c)).collect()
}

fn area_summary(lx: &Lx, link: Link, group: &GroupFacts) -> AreaSummary {
    AreaSummary {
        link,
        progress: lx.group_progress(group),
        coverage: lx.coverage(group),
        statuses: lx.status_counts(&group.commitment_statuses),
    }
}

/// An institution's printable accountability report: the commitments of its page (those
/// it leads and those it is a partner in), grouped by plan, then the progress reports it
/// filed.
#[derive(Debug, Clone, Serialize)]
pub struct InstitutionReport {
    pub title: Loc,
    pub subtitle: Option<String>,
    pub intro: String,
    pub institution_href: String,
    pub progress: Option<ProgressView>,
    pub coverage: String,
    pub count_label: String,
    pub by_status: Vec<StatusCount>,
    pub plans: Vec<ReportedPlan>,
    pub reports: Vec<ReportView>,
}

/// The commitments of one plan in an institution's report.
#[derive(Debug, Clone, Serialize)]
pub struct ReportedPlan {
    /// Names the plan's section (`rp-PLAN`).
    pub anchor: String,
    pub plan: Link,
    pub commitments: Vec<ReportedCommitment>,
}

/// An institution's report without its commitments and reports, which
/// [`reported_by_plan`] and the routes give page by page. Its figures are those of the
/// commitments it leads, as on its page.
pub fn institution_report(lx: &Lx, institution: &Institution) -> anyhow::Result<InstitutionReport> {
    let group =
        lx.facts.institutions.get(&institution.id).ok_or_else(|| anyhow::anyhow!("no derived facts for institution {}", institution.id))?;
    let acronym = institution.acronym.as_ref().map(|a| lx.loc(a).text);
    Ok(InstitutionReport {
        title: lx.loc(&institution.name),
        subtitle: acronym,
        intro: lx.strings.format("institution_report_intro", &[("date", &lx.as_of())]),
        institution_href: lx.href(&urls::institution(lx.lang, &institution.id)),
        progress: lx.group_progress(group),
        coverage: lx.coverage(group),
        count_label: lx.strings.format("commitments_count", &[("n", &group.commitments.to_string())]),
        by_status: lx.status_counts(&group.commitment_statuses),
        plans: Vec::new(),
        reports: Vec::new(),
    })
}

/// The report's sections for the commitments at `rows`, grouped by plan in their order.
pub fn reported_by_plan(lx: &Lx, rows: &[At]) -> anyhow::Result<Vec<ReportedPlan>> {
    let mut plans: Vec<ReportedPlan> = Vec::new();
    for at in rows {
        let plan = lx.site.plans.get(at.plan).ok_or_else(|| anyhow::anyhow!("no plan at position {}", at.plan))?;
        let c =
            plan.commitments.get(at.index).ok_or_else(|| anyhow::anyhow!("no commitment at position {} of plan {}", at.index, plan.id))?;
        let section = reported_commitment(lx, plan, c)?;
        match plans.last_mut() {
            Some(last) if last.plan.href == lx.href(&urls::plan(lx.lang, &plan.id)) => last.commitments.push(section),
            _ => plans.push(ReportedPlan { anchor: format!("rp-{}", plan.id), plan: lx.plan_link(plan), commitments: vec![section] }),
        }
    }
    Ok(plans)
}
