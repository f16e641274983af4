//! Derived facts: statuses and progress as of a date, computed once and shared by the
//! pages and the open-data feeds. The rules are DESIGN.md's "Progress reports over
//! time": a figure is only ever what a report says, reports and replannings dated
//! after the as-of date do not exist yet, and no report is "not reported", never 0 %.

use std::collections::BTreeMap;

use chrono::{Months, NaiveDate};
use rayon::prelude::*;

use crate::model::{Activity, Commitment, Date, Phase, Plan, Replanning, Report, Site, Status};

/// The facts of one activity.
#[derive(Debug, Clone, PartialEq)]
pub struct ActivityFacts {
    /// Its latest report's figure, else its undated `progress`; `None` when unreported.
    pub progress: Option<f64>,
    pub status: Status,
    /// The date of the report `progress` comes from (`None` for an undated figure).
    pub last_report: Option<Date>,
    /// The latest replanned end in effect, else the planned end.
    pub current_end: Date,
    /// `current_end` has passed and the activity is neither completed nor cancelled.
    pub overdue: bool,
    /// How many of its `updates` and `replanned` entries are dated on or before the
    /// as-of date (both lists ascend, so these are prefixes).
    pub reports_in_effect: usize,
    pub replannings_in_effect: usize,
}

/// Where a commitment's figure comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProgressBasis {
    /// A report on the commitment as a whole (the sheet's own `updates` or `progress`).
    Sheet,
    /// The weighted mean of its reported activities.
    Activities,
    /// Nothing reported.
    None,
}

/// The facts of one commitment.
#[derive(Debug, Clone, PartialEq)]
pub struct CommitmentFacts {
    /// 0 to 100, rounded to one decimal; `None` when nothing was reported.
    pub progress: Option<f64>,
    pub basis: ProgressBasis,
    pub status: Status,
    /// Non-cancelled activities with a figure, and all non-cancelled activities: the
    /// coverage of the weighted mean.
    pub reported_activities: usize,
    pub activity_count: usize,
    /// The latest report date, its own or an activity's.
    pub last_report: Option<Date>,
    /// No report within `stale_after_months` while the work is under way.
    pub stale: bool,
    /// How many of the sheet's own `updates` are in effect.
    pub reports_in_effect: usize,
    /// One entry per activity, in the sheet's order.
    pub activities: Vec<ActivityFacts>,
    /// The figure as it stood after each dated report in effect, oldest first (see
    /// [`progress_history`]).
    pub history: Vec<(Date, f64)>,
}

impl CommitmentFacts {
    /// One status per activity, in the sheet's order.
    pub fn activity_statuses(&self) -> impl Iterator<Item = Status> + '_ {
        self.activities.iter().map(|a| a.status)
    }

    /// How many of its activities have each status.
    pub fn activity_status_counts(&self) -> BTreeMap<Status, usize> {
        let mut counts = BTreeMap::new();
        for status in self.activity_statuses() {
            *counts.entry(status).or_insert(0) += 1;
        }
        counts
    }
}

/// Progress of a group of commitments (a plan, an area, an institution, the whole site).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct GroupFacts {
    /// The mean of the commitments' progress where they have one, rounded to one
    /// decimal; `None` when none has.
    pub progress: Option<f64>,
    pub commitments: usize,
    /// How many commitments the mean covers (those with a figure).
    pub reported_commitments: usize,
    /// How many commitments are stale.
    pub stale_commitments: usize,
    /// The latest report in the group.
    pub last_report: Option<Date>,
    /// How many commitments have each status.
    pub commitment_statuses: BTreeMap<Status, usize>,
    /// How many activities have each status.
    pub activity_statuses: BTreeMap<Status, usize>,
}

/// A plan's facts: its commitments' and where it stands by its dates.
#[derive(Debug, Clone, PartialEq)]
pub struct PlanFacts {
    pub phase: Phase,
    pub group: GroupFacts,
    /// The plan's commitments in each area that has some, in the site's area order.
    pub areas: Vec<(String, GroupFacts)>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Facts {
    pub as_of: NaiveDate,
    /// By plan ID, then commitment ID (so a lookup by `&str` allocates nothing: every
    /// page, list and record looks facts up).
    pub commitments: BTreeMap<String, BTreeMap<String, CommitmentFacts>>,
    pub plans: BTreeMap<String, PlanFacts>,
    pub areas: BTreeMap<String, GroupFacts>,
    /// Commitments an institution leads.
    pub institutions: BTreeMap<String, GroupFacts>,
    pub overall: GroupFacts,
    /// The sheets' revisions from the content's git history (read by
    /// [`crate::revisions`], beside the facts: derive itself reads no repository).
    pub history: std::sync::Arc<crate::revisions::History>,
}

impl Facts {
    pub fn commitment(&self, plan: &str, id: &str) -> Option<&CommitmentFacts> {
        self.commitments.get(plan)?.get(id)
    }

    pub fn plan(&self, id: &str) -> Option<&PlanFacts> {
        self.plans.get(id)
    }
}

/// Whether something dated `date` had happened by `as_of`: a month or a year counts
/// from its first day, so a report of "2025-09" exists on 1 September 2025.
pub fn dated_by(date: &Date, as_of: NaiveDate) -> bool {
    date.first_day().is_some_and(|day| day <= as_of)
}

/// How many entries of an ascending dated list exist on `as_of`.
fn in_effect<T>(items: &[T], date: impl Fn(&T) -> &Date, as_of: NaiveDate) -> usize {
    items.iter().take_while(|item| dated_by(date(item), as_of)).count()
}

/// The latest report in effect, if any.
fn latest(reports: &[Report], in_effect: usize) -> Option<&Report> {
    reports[..in_effect].last()
}

/// A period has passed once its last day is behind `as_of`.
fn has_passed(date: &Date, as_of: NaiveDate) -> bool {
    date.last_day().is_some_and(|end| as_of > end)
}

/// A period has begun once its first day is reached.
fn has_begun(date: &Date, as_of: NaiveDate) -> bool {
    dated_by(date, as_of)
}

/// The work a status is judged on: an activity, or a sheet without activities, which
/// is judged like one activity spanning its plan.
struct Work<'a> {
    start: Date,
    end: Date,
    replanned: &'a [Replanning],
    updates: &'a [Report],
    undated: Option<f64>,
    cancelled: bool,
}

fn work_facts(work: &Work, as_of: NaiveDate) -> ActivityFacts {
    let reports_in_effect = in_effect(work.updates, |r| &r.date, as_of);
    let replannings_in_effect = in_effect(work.replanned, |r| &r.date, as_of);
    let report = latest(work.updates, reports_in_effect);
    let progress = report.map(|r| r.progress).or(if work.updates.is_empty() { work.undated } else { None });
    let current_end = work.replanned[..replannings_in_effect].last().map_or(work.end, |r| r.end);
    let ended = has_passed(&current_end, as_of);
    let status = if work.cancelled {
        Status::Cancelled
    } else if progress.is_some_and(|p| p >= 100.0) {
        Status::Completed
    } else if progress.is_some() && ended {
        Status::Delayed
    } else if !has_begun(&work.start, as_of) {
        Status::NotStarted
    } else if progress.is_none() {
        Status::NotReported
    } else {
        Status::InProgress
    };
    let overdue = ended && !matches!(status, Status::Completed | Status::Cancelled);
    ActivityFacts { progress, status, last_report: report.map(|r| r.date), current_end, overdue, reports_in_effect, replannings_in_effect }
}

/// An activity's facts on `as_of`.
pub fn activity_facts(activity: &Activity, as_of: NaiveDate) -> ActivityFacts {
    work_facts(
        &Work {
            start: activity.start,
            end: activity.end,
            replanned: &activity.replanned,
            updates: &activity.updates,
            undated: activity.progress,
            cancelled: activity.cancelled,
        },
        as_of,
    )
}

/// An activity's status on `as_of`.
pub fn activity_status(activity: &Activity, as_of: NaiveDate) -> Status {
    activity_facts(activity, as_of).status
}

/// Rounds to one decimal, halves away from zero (65.25 → 65.3).
pub fn round1(value: f64) -> f64 {
    // Rounding through a decimal string avoids binary artefacts such as 0.15 → 0.1.
    let scaled: f64 = format!("{:.6}", value * 10.0).parse().unwrap_or(value * 10.0);
    scaled.round() / 10.0
}

fn mean(values: impl Iterator<Item = f64>) -> Option<f64> {
    let (sum, count) = values.fold((0.0, 0usize), |(s, n), v| (s + v, n + 1));
    (count > 0).then(|| sum / count as f64)
}

/// The weighted mean of the non-cancelled activities that have a figure.
fn weighted_progress(activities: &[Activity], facts: &[ActivityFacts]) -> Option<f64> {
    let (sum, weights) = activities
        .iter()
        .zip(facts)
        .filter(|(a, _)| !a.cancelled)
        .filter_map(|(a, f)| f.progress.map(|p| (p * a.weight, a.weight)))
        .fold((0.0, 0.0), |(s, w), (pw, aw)| (s + pw, w + aw));
    (weights > 0.0).then(|| sum / weights)
}

/// A commitment's status from its activities' (DESIGN.md's order of rules).
fn status_from_activities(statuses: &[Status]) -> Status {
    let open: Vec<Status> = statuses.iter().copied().filter(|s| *s != Status::Cancelled).collect();
    if open.is_empty() {
        Status::Cancelled
    } else if open.iter().all(|s| *s == Status::Completed) {
        Status::Completed
    } else if open.contains(&Status::Delayed) {
        Status::Delayed
    } else if open.iter().all(|s| *s == Status::NotStarted) {
        Status::NotStarted
    } else if open.iter().all(|s| matches!(s, Status::NotStarted | Status::NotReported)) {
        Status::NotReported
    } else {
        Status::InProgress
    }
}

/// The context a commitment is judged in.
#[derive(Debug, Clone, Copy)]
pub struct Judging {
    pub as_of: NaiveDate,
    /// The plan's dates, which a sheet without activities is judged on.
    pub plan_start: Date,
    pub plan_end: Date,
    pub stale_after_months: u32,
}

pub fn commitment_facts(commitment: &Commitment, judging: &Judging) -> CommitmentFacts {
    CommitmentFacts { history: progress_history(commitment, judging), ..judge(commitment, judging) }
}

/// A commitment's facts on one date, without its history (which judges it on each
/// report's date).
fn judge(commitment: &Commitment, judging: &Judging) -> CommitmentFacts {
    let as_of = judging.as_of;
    let activities: Vec<ActivityFacts> = commitment.activities.iter().map(|a| activity_facts(a, as_of)).collect();
    // The sheet's own figure, judged like one activity over the plan's dates.
    let sheet = work_facts(
        &Work {
            start: judging.plan_start,
            end: judging.plan_end,
            replanned: &[],
            updates: &commitment.updates,
            undated: commitment.progress,
            cancelled: false,
        },
        as_of,
    );
    let latest_activity_report = activities.iter().filter_map(|a| a.last_report).max_by_key(|d| d.first_day());
    let any_activity_figure = activities.iter().any(|a| a.progress.is_some());
    // The sheet's figure counts when it is at least as recent as every activity report;
    // an undated figure only when no activity has one.
    let sheet_is_current = match (sheet.progress, sheet.last_report) {
        (None, _) => false,
        (Some(_), Some(date)) => latest_activity_report.is_none_or(|a| date.first_day() >= a.first_day()),
        (Some(_), None) => !any_activity_figure,
    };
    let (progress, basis) = if sheet_is_current {
        (sheet.progress, ProgressBasis::Sheet)
    } else {
        match weighted_progress(&commitment.activities, &activities) {
            Some(p) => (Some(p), ProgressBasis::Activities),
            None => (None, ProgressBasis::None),
        }
    };
    let progress = progress.map(round1);
    let statuses: Vec<Status> = activities.iter().map(|a| a.status).collect();
    let status = if commitment.activities.is_empty() || (sheet_is_current && sheet.status == Status::Completed) {
        sheet.status
    } else {
        status_from_activities(&statuses)
    };
    let last_report = [sheet.last_report, latest_activity_report].into_iter().flatten().max_by_key(|d| d.first_day());
    let under_way = !matches!(status, Status::NotStarted | Status::Completed | Status::Cancelled);
    let stale = under_way && !reported_since(last_report, as_of, judging.stale_after_months);
    CommitmentFacts {
        progress,
        basis,
        status,
        reported_activities: activities.iter().filter(|a| a.status != Status::Cancelled && a.progress.is_some()).count(),
        activity_count: activities.iter().filter(|a| a.status != Status::Cancelled).count(),
        last_report,
        stale,
        reports_in_effect: sheet.reports_in_effect,
        activities,
        history: Vec::new(),
    }
}

/// The commitment's figure as it stood after each dated report in effect (its own or
/// an activity's), oldest first: the points of its progress-over-time chart.
pub fn progress_history(commitment: &Commitment, judging: &Judging) -> Vec<(Date, f64)> {
    let mut dates: Vec<Date> = commitment
        .updates
        .iter()
        .chain(commitment.activities.iter().flat_map(|a| &a.updates))
        .map(|r| r.date)
        .filter(|d| dated_by(d, judging.as_of))
        .collect();
    dates.sort_by_key(|d| (d.first_day(), *d));
    dates.dedup_by_key(|d| d.first_day());
    dates
        .into_iter()
        .filter_map(|date| {
            let then = Judging { as_of: date.first_day()?, ..*judging };
            judge(commitment, &then).progress.map(|p| (date, p))
        })
        .collect()
}

/// What needs a reader's attention first, for lists in the status order: delayed, not
/// reported, in progress, not started, completed, cancelled.
pub fn attention_rank(status: Status) -> u8 {
    match status {
        Status::Delayed => 0,
        Status::NotReported => 1,
        Status::InProgress => 2,
        Status::NotStarted => 3,
        Status::Completed => 4,
        Status::Cancelled => 5,
    }
}

/// The progress order of lists: highest reported figure first, unreported last.
pub fn by_progress(a: Option<f64>, b: Option<f64>) -> std::cmp::Ordering {
    match (a, b) {
        (Some(x), Some(y)) => y.total_cmp(&x),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => std::cmp::Ordering::Equal,
    }
}

/// One report in effect, with where it was made.
#[derive(Debug, Clone, Copy)]
pub struct ReportRef<'s> {
    pub plan: &'s Plan,
    pub commitment: &'s Commitment,
    /// The activity's index in its sheet; `None` for a report on the whole commitment.
    pub activity: Option<usize>,
    /// The report's index in its list.
    pub index: usize,
    pub report: &'s Report,
}

/// Every report in effect on the facts' date, newest first; ties in the sheets' order
/// (plan, commitment number, the sheet's own reports before its activities').
pub fn reports_in_effect<'s>(site: &'s Site, facts: &Facts) -> Vec<ReportRef<'s>> {
    let mut all = Vec::new();
    for plan in &site.plans {
        for c in &plan.commitments {
            let Some(cf) = facts.commitment(&plan.id, &c.id) else { continue };
            all.extend(commitment_reports(plan, c, cf));
        }
    }
    all.sort_by(|a, b| {
        b.report.date.first_day().cmp(&a.report.date.first_day()).then_with(|| {
            (&a.plan.id, a.commitment.number, &a.commitment.id, a.activity).cmp(&(
                &b.plan.id,
                b.commitment.number,
                &b.commitment.id,
                b.activity,
            ))
        })
    });
    all
}

/// The reports in effect of one commitment, in the sheet's order.
pub fn commitment_reports<'s>(plan: &'s Plan, c: &'s Commitment, facts: &CommitmentFacts) -> Vec<ReportRef<'s>> {
    let own = c.updates[..facts.reports_in_effect].iter().enumerate().map(move |(index, report)| ReportRef {
        plan,
        commitment: c,
        activity: None,
        index,
        report,
    });
    let of_activities = c.activities.iter().zip(&facts.activities).enumerate().flat_map(move |(i, (a, af))| {
        a.updates[..af.reports_in_effect].iter().enumerate().map(move |(index, report)| ReportRef {
            plan,
            commitment: c,
            activity: Some(i),
            index,
            report,
        })
    });
    own.chain(of_activities).collect()
}

/// Whether a report dated `last` falls within `months` months before `as_of`.
fn reported_since(last: Option<Date>, as_of: NaiveDate, months: u32) -> bool {
    let Some(day) = last.and_then(|d| d.last_day()) else { return false };
    let since = as_of.checked_sub_months(Months::new(months)).unwrap_or(NaiveDate::MIN);
    day >= since
}

/// Where a plan stands by its dates on `as_of`.
pub fn plan_phase(plan: &Plan, as_of: NaiveDate) -> Phase {
    if !has_begun(&plan.start, as_of) {
        Phase::Upcoming
    } else if has_passed(&plan.end, as_of) {
        Phase::Ended
    } else {
        Phase::Running
    }
}

#[derive(Default)]
struct Accumulator {
    progress: Vec<f64>,
    facts: GroupFacts,
}

impl Accumulator {
    fn add(&mut self, facts: &CommitmentFacts) {
        self.progress.extend(facts.progress);
        let group = &mut self.facts;
        group.commitments += 1;
        group.reported_commitments += usize::from(facts.progress.is_some());
        group.stale_commitments += usize::from(facts.stale);
        if let Some(date) = facts.last_report
            && group.last_report.is_none_or(|d| date.first_day() > d.first_day())
        {
            group.last_report = Some(date);
        }
        *group.commitment_statuses.entry(facts.status).or_default() += 1;
        for status in facts.activity_statuses() {
            *group.activity_statuses.entry(status).or_default() += 1;
        }
    }

    fn finish(mut self) -> GroupFacts {
        self.facts.progress = mean(self.progress.into_iter()).map(round1);
        self.facts
    }
}

/// The facts of any set of commitments taken together, as a plan's are.
pub fn group_of<'f>(commitments: impl Iterator<Item = &'f CommitmentFacts>) -> GroupFacts {
    let mut acc = Accumulator::default();
    for facts in commitments {
        acc.add(facts);
    }
    acc.finish()
}

/// Computes every derived fact of the site as of `as_of`.
/// Adds a commitment's facts to the accumulator of `id`, whose key is copied only the
/// first time it is seen.
fn add_to(map: &mut BTreeMap<String, Accumulator>, id: &str, facts: &CommitmentFacts) {
    match map.get_mut(id) {
        Some(accumulator) => accumulator.add(facts),
        None => {
            let mut accumulator = Accumulator::default();
            accumulator.add(facts);
            map.insert(id.to_string(), accumulator);
        }
    }
}

pub fn derive(site: &Site, as_of: NaiveDate) -> Facts {
    let mut commitments = BTreeMap::new();
    let mut plans = BTreeMap::new();
    let mut areas: BTreeMap<String, Accumulator> = BTreeMap::new();
    let mut institutions: BTreeMap<String, Accumulator> = BTreeMap::new();
    let mut overall = Accumulator::default();
    for area in &site.areas {
        areas.entry(area.id.clone()).or_default();
    }
    for institution in &site.institutions {
        institutions.entry(institution.id.clone()).or_default();
    }
    for plan in &site.plans {
        let mut plan_acc = Accumulator::default();
        let mut plan_areas: BTreeMap<&str, Accumulator> = BTreeMap::new();
        let judging = Judging { as_of, plan_start: plan.start, plan_end: plan.end, stale_after_months: site.config.stale_after_months() };
        // Each commitment's facts on any core (serve derives the whole site again after
        // every edit: on the 10k corpus this was the longest part of an edit's wait),
        // then added up in the plan's order.
        let all_facts: Vec<CommitmentFacts> = plan.commitments.par_iter().map(|c| commitment_facts(c, &judging)).collect();
        let mut plan_commitments = BTreeMap::new();
        for (c, facts) in plan.commitments.iter().zip(all_facts) {
            plan_acc.add(&facts);
            plan_areas.entry(c.area.id.as_str()).or_default().add(&facts);
            add_to(&mut areas, &c.area.id, &facts);
            add_to(&mut institutions, &c.lead.id, &facts);
            overall.add(&facts);
            plan_commitments.insert(c.id.clone(), facts);
        }
        commitments.entry(plan.id.clone()).or_insert_with(BTreeMap::new).extend(plan_commitments);
        let by_area = site.areas.iter().filter_map(|a| plan_areas.remove(a.id.as_str()).map(|acc| (a.id.clone(), acc.finish()))).collect();
        plans.insert(plan.id.clone(), PlanFacts { phase: plan_phase(plan, as_of), group: plan_acc.finish(), areas: by_area });
    }
    let finish = |map: BTreeMap<String, Accumulator>| map.into_iter().map(|(k, v)| (k, v.finish())).collect();
    Facts {
        as_of,
        commitments,
        plans,
        areas: finish(areas),
        institutions: finish(institutions),
        overall: overall.finish(),
        history: Default::default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Pos, Ref, Text};

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn date(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    fn report(on: &str, progress: f64) -> Report {
        Report { date: date(on), pos: Pos::default(), progress, by: None, note: None, evidence: vec![] }
    }

    fn activity(start: &str, end: &str) -> Activity {
        Activity {
            title: Text::default(),
            start: date(start),
            end: date(end),
            weight: 1.0,
            replanned: vec![],
            updates: vec![],
            progress: None,
            cancelled: false,
            cost: None,
            funding: None,
            partners: Vec::new(),
        }
    }

    fn reported(start: &str, end: &str, progress: f64) -> Activity {
        Activity { progress: Some(progress), ..activity(start, end) }
    }

    fn commitment(activities: Vec<Activity>) -> Commitment {
        Commitment { activities, ..crate::model::blank::commitment("p", "c", 1, "a", "i") }
    }

    fn judge(c: &Commitment, as_of: &str) -> CommitmentFacts {
        commitment_facts(c, &Judging { as_of: day(as_of), plan_start: date("2024-01"), plan_end: date("2027-12"), stale_after_months: 6 })
    }

    #[test]
    fn an_activity_without_a_report_is_not_reported_never_zero_and_delayed() {
        let a = activity("2024-04", "2024-05");
        let facts = activity_facts(&a, day("2026-11-01"));
        assert_eq!((facts.progress, facts.status), (None, Status::NotReported));
        assert!(facts.overdue, "past its end with nothing reported");
        assert_eq!(activity_status(&a, day("2024-03-31")), Status::NotStarted);
        assert_eq!(activity_status(&a, day("2024-04-01")), Status::NotReported);
        assert!(!activity_facts(&a, day("2024-05-31")).overdue);
    }

    #[test]
    fn delayed_needs_a_report_below_100_after_the_current_end() {
        let a = reported("2024-04", "2024-05", 50.0);
        assert_eq!(activity_status(&a, day("2024-05-31")), Status::InProgress);
        assert_eq!(activity_status(&a, day("2024-06-01")), Status::Delayed);
        let a = reported("2024-01", "2024-02", 0.0);
        assert_eq!(activity_status(&a, day("2024-02-29")), Status::InProgress, "a 0 % report is a report");
        assert_eq!(activity_status(&a, day("2024-03-01")), Status::Delayed);
        let done = reported("2024-01", "2024-02", 100.0);
        assert_eq!(activity_status(&done, day("2026-01-01")), Status::Completed);
        assert!(!activity_facts(&done, day("2026-01-01")).overdue);
    }

    #[test]
    fn a_year_end_means_the_thirty_first_of_december() {
        let a = reported("2024", "2025", 10.0);
        assert_eq!(activity_status(&a, day("2025-12-31")), Status::InProgress);
        assert_eq!(activity_status(&a, day("2026-01-01")), Status::Delayed);
    }

    #[test]
    fn the_latest_report_in_effect_counts_and_later_ones_do_not_exist_yet() {
        let mut a = activity("2025-01", "2025-06");
        a.updates = vec![report("2025-03-01", 20.0), report("2025-09-01", 60.0), report("2026-02", 100.0)];
        let before = activity_facts(&a, day("2025-02-28"));
        assert_eq!((before.progress, before.last_report, before.reports_in_effect), (None, None, 0));
        assert_eq!(before.status, Status::NotReported);
        let march = activity_facts(&a, day("2025-03-01"));
        assert_eq!((march.progress, march.last_report, march.status), (Some(20.0), Some(date("2025-03-01")), Status::InProgress));
        let autumn = activity_facts(&a, day("2025-12-31"));
        assert_eq!((autumn.progress, autumn.status, autumn.reports_in_effect), (Some(60.0), Status::Delayed, 2));
        let done = activity_facts(&a, day("2026-02-01"));
        assert_eq!((done.progress, done.status, done.last_report), (Some(100.0), Status::Completed, Some(date("2026-02"))));
    }

    #[test]
    fn a_replanned_end_moves_the_deadline_from_its_decision_on() {
        let mut a = activity("2025-01", "2025-06");
        a.replanned = vec![Replanning { date: date("2025-05-01"), pos: Pos::default(), end: date("2027-06"), reason: None }];
        a.updates = vec![report("2025-04-01", 30.0)];
        let before_decision = activity_facts(&a, day("2025-04-30"));
        assert_eq!(before_decision.current_end, date("2025-06"));
        let after = activity_facts(&a, day("2025-09-01"));
        assert_eq!((after.current_end, after.status, after.overdue), (date("2027-06"), Status::InProgress, false));
        assert_eq!(after.replannings_in_effect, 1);
        // Time travel: as of a day after the original end but before the decision the
        // activity was delayed.
        let mut late = a.clone();
        late.replanned[0].date = date("2025-08-01");
        let facts = activity_facts(&late, day("2025-07-15"));
        assert_eq!((facts.status, facts.overdue, facts.current_end), (Status::Delayed, true, date("2025-06")));
    }

    #[test]
    fn cancelled_wins_and_does_not_count() {
        let mut cancelled = reported("2024-01", "2024-02", 10.0);
        cancelled.cancelled = true;
        assert_eq!(activity_status(&cancelled, day("2026-01-01")), Status::Cancelled);
        assert!(!activity_facts(&cancelled, day("2026-01-01")).overdue);
        let facts = judge(&commitment(vec![cancelled.clone(), reported("2024-01", "2030-12", 40.0)]), "2026-01-01");
        assert_eq!((facts.progress, facts.status), (Some(40.0), Status::InProgress));
        assert_eq!((facts.reported_activities, facts.activity_count), (1, 1), "a cancelled activity is outside the coverage");
        let all_cancelled = judge(&commitment(vec![cancelled.clone(), cancelled]), "2026-01-01");
        assert_eq!((all_cancelled.progress, all_cancelled.status), (None, Status::Cancelled));
    }

    #[test]
    fn commitment_progress_is_the_weighted_mean_of_reported_activities_only() {
        let mut heavy = reported("2024-01", "2030-12", 100.0);
        heavy.weight = 2.0;
        let c = commitment(vec![heavy, reported("2024-01", "2030-12", 10.0), activity("2024-01", "2030-12")]);
        let facts = judge(&c, "2025-01-01");
        assert_eq!(facts.progress, Some(70.0), "(2×100 + 10) / 3; the unreported activity does not count as 0");
        assert_eq!((facts.reported_activities, facts.activity_count), (2, 3));
        assert_eq!(facts.status, Status::InProgress);
        assert_eq!(facts.basis, ProgressBasis::Activities);
        let thirds = commitment(vec![
            reported("2024-01", "2030-12", 100.0),
            reported("2024-01", "2030-12", 0.0),
            reported("2024-01", "2030-12", 0.0),
        ]);
        assert_eq!(judge(&thirds, "2025-01-01").progress, Some(33.3));
        assert_eq!(round1(65.25), 65.3);
        assert_eq!(round1(0.15), 0.2);
    }

    #[test]
    fn commitment_statuses_follow_their_activities() {
        let unreported = judge(&commitment(vec![activity("2024-01", "2024-02"), activity("2024-01", "2030-12")]), "2025-01-01");
        assert_eq!((unreported.progress, unreported.status), (None, Status::NotReported));
        let future = judge(&commitment(vec![activity("2026-01", "2026-02")]), "2025-01-01");
        assert_eq!(future.status, Status::NotStarted);
        assert!(!future.stale, "work that has not started cannot be stale");
        let delayed = judge(&commitment(vec![reported("2024-01", "2024-02", 50.0), reported("2024-01", "2030-12", 100.0)]), "2025-01-01");
        assert_eq!(delayed.status, Status::Delayed);
        let done = judge(&commitment(vec![reported("2024-01", "2024-02", 100.0), reported("2024-01", "2030-12", 100.0)]), "2025-01-01");
        assert_eq!((done.status, done.progress), (Status::Completed, Some(100.0)));
        let mixed = judge(&commitment(vec![reported("2024-01", "2030-12", 30.0), activity("2024-01", "2024-02")]), "2025-01-01");
        assert_eq!(mixed.status, Status::InProgress);
    }

    #[test]
    fn the_sheets_own_report_counts_when_it_is_the_most_recent() {
        let mut activity_report = activity("2024-01", "2030-12");
        activity_report.updates = vec![report("2025-03-01", 20.0)];
        let mut c = commitment(vec![activity_report]);
        c.updates = vec![report("2025-06-01", 55.0)];
        let facts = judge(&c, "2025-07-01");
        assert_eq!((facts.progress, facts.basis, facts.last_report), (Some(55.0), ProgressBasis::Sheet, Some(date("2025-06-01"))));
        // As of a date before the sheet's report, the activities speak.
        let earlier = judge(&c, "2025-04-01");
        assert_eq!((earlier.progress, earlier.basis), (Some(20.0), ProgressBasis::Activities));
        // A newer activity report wins over an older sheet figure.
        c.activities[0].updates.push(report("2025-08-01", 70.0));
        assert_eq!(judge(&c, "2025-09-01").progress, Some(70.0));
    }

    #[test]
    fn the_sheets_own_completion_completes_the_commitment_but_a_lower_figure_does_not_hide_a_delay() {
        let mut late = activity("2024-01", "2024-06");
        late.updates = vec![report("2024-03-01", 30.0)];
        let mut c = commitment(vec![late]);
        c.updates = vec![report("2025-01-10", 100.0)];
        let done = judge(&c, "2025-02-01");
        assert_eq!((done.progress, done.basis, done.status), (Some(100.0), ProgressBasis::Sheet, Status::Completed));
        c.updates = vec![report("2025-01-10", 50.0)];
        let partial = judge(&c, "2025-02-01");
        assert_eq!((partial.progress, partial.status), (Some(50.0), Status::Delayed), "the activity past its end is still delayed");
    }

    #[test]
    fn a_sheet_without_activities_is_judged_on_its_plans_dates() {
        let mut c = commitment(vec![]);
        let unreported = judge(&c, "2025-01-01");
        assert_eq!((unreported.progress, unreported.status), (None, Status::NotReported));
        assert_eq!(judge(&c, "2023-06-01").status, Status::NotStarted);
        c.progress = Some(65.0);
        assert_eq!(judge(&c, "2025-01-01").progress, Some(65.0));
        assert_eq!(judge(&c, "2025-01-01").status, Status::InProgress);
        c.progress = None;
        c.updates = vec![report("2023-03-28", 62.0)];
        let facts = judge(&c, "2028-02-01");
        assert_eq!((facts.progress, facts.status, facts.stale), (Some(62.0), Status::Delayed, true));
        c.updates.push(report("2027-12-20", 100.0));
        let done = judge(&c, "2028-02-01");
        assert_eq!((done.status, done.stale), (Status::Completed, false));
    }

    #[test]
    fn the_history_replays_the_figure_at_each_report_date() {
        let mut a = activity("2024-01", "2030-12");
        a.updates = vec![report("2025-01-10", 20.0), report("2025-06", 50.0)];
        let mut b = activity("2024-01", "2030-12");
        b.updates = vec![report("2025-03-01", 40.0), report("2026-01-01", 90.0)];
        let c = commitment(vec![a, b]);
        let judging = Judging { as_of: day("2025-12-31"), plan_start: date("2024"), plan_end: date("2030"), stale_after_months: 6 };
        let history = progress_history(&c, &judging);
        assert_eq!(history, vec![(date("2025-01-10"), 20.0), (date("2025-03-01"), 30.0), (date("2025-06"), 45.0)]);
    }

    #[test]
    fn stale_means_no_report_within_the_window_while_work_is_under_way() {
        let mut a = activity("2024-01", "2030-12");
        a.updates = vec![report("2025-01-15", 40.0)];
        let c = commitment(vec![a]);
        assert!(!judge(&c, "2025-07-15").stale, "six months to the day");
        assert!(judge(&c, "2025-07-16").stale);
        assert!(judge(&commitment(vec![activity("2024-01", "2030-12")]), "2025-01-01").stale, "started and never reported");
    }

    #[test]
    fn groups_average_only_reported_commitments_and_plans_have_a_phase() {
        let mut site = Site::default();
        let reported_one = commitment(vec![reported("2024-01", "2030-12", 80.0)]);
        let mut silent = commitment(vec![activity("2024-01", "2030-12")]);
        silent.id = "d".into();
        let mut cancelled = commitment(vec![Activity { cancelled: true, ..reported("2024-01", "2030-12", 10.0) }]);
        cancelled.id = "e".into();
        site.plans.push(Plan {
            id: "p".into(),
            title: Text::default(),
            summary: None,
            owner: Ref { id: "i".into(), pos: Pos::default() },
            start: date("2024"),
            end: date("2027"),
            status: crate::model::PlanStatus::Active,
            commitments: vec![reported_one, silent, cancelled],
        });
        let facts = derive(&site, day("2025-01-01"));
        let plan = facts.plan("p").unwrap();
        assert_eq!(plan.phase, Phase::Running);
        assert_eq!(plan.group.progress, Some(80.0), "neither the unreported nor the cancelled commitment counts as 0 %");
        assert_eq!((plan.group.commitments, plan.group.reported_commitments), (3, 1));
        assert_eq!(plan.group.commitment_statuses.get(&Status::NotReported), Some(&1));
        assert_eq!(facts.areas["a"].progress, Some(80.0));
        assert_eq!(facts.institutions["i"].progress, Some(80.0));
        assert_eq!(plan.group.last_report, None, "undated figures have no date");
        // Dated reports: the group's last report is the latest of its commitments'.
        let mut early = commitment(vec![activity("2024-01", "2030-12")]);
        early.activities[0].updates = vec![report("2024-03-01", 10.0)];
        let mut late = commitment(vec![activity("2024-01", "2030-12")]);
        late.activities[0].updates = vec![report("2024-09-15", 20.0)];
        let judging = Judging { as_of: day("2025-01-01"), plan_start: date("2024"), plan_end: date("2027"), stale_after_months: 6 };
        let (early, late) = (commitment_facts(&early, &judging), commitment_facts(&late, &judging));
        for order in [[&early, &late], [&late, &early]] {
            let group = group_of(order.into_iter());
            assert_eq!(group.last_report, Some(date("2024-09-15")));
            assert_eq!((group.commitments, group.reported_commitments, group.progress), (2, 2, Some(15.0)));
        }
        assert_eq!(derive(&site, day("2023-12-31")).plan("p").unwrap().phase, Phase::Upcoming);
        assert_eq!(derive(&site, day("2028-01-01")).plan("p").unwrap().phase, Phase::Ended);
    }
}
