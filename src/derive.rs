//! Derived facts: statuses and progress as of a date, computed once and shared by the
//! pages and the open-data feeds.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use crate::model::{Activity, Commitment, Site, Status};

/// The facts of one commitment.
#[derive(Debug, Clone, PartialEq)]
pub struct CommitmentFacts {
    /// 0 to 100, rounded to one decimal.
    pub progress: f64,
    pub status: Status,
    /// One status per activity, in the sheet's order.
    pub activity_statuses: Vec<Status>,
}

/// Progress of a group of commitments (a plan, an area, an institution, the whole site).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct GroupFacts {
    /// The mean of the commitments' progress, rounded to one decimal; `None` when the
    /// group has no commitment.
    pub progress: Option<f64>,
    pub commitments: usize,
    /// How many commitments have each status.
    pub commitment_statuses: BTreeMap<Status, usize>,
    /// How many activities have each status.
    pub activity_statuses: BTreeMap<Status, usize>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Facts {
    pub as_of: NaiveDate,
    /// Keyed by (plan ID, commitment ID).
    pub commitments: BTreeMap<(String, String), CommitmentFacts>,
    pub plans: BTreeMap<String, GroupFacts>,
    pub areas: BTreeMap<String, GroupFacts>,
    /// Commitments an institution leads.
    pub institutions: BTreeMap<String, GroupFacts>,
    pub overall: GroupFacts,
}

impl Facts {
    pub fn commitment(&self, plan: &str, id: &str) -> Option<&CommitmentFacts> {
        self.commitments.get(&(plan.to_string(), id.to_string()))
    }
}

/// An activity's status on `as_of`.
pub fn activity_status(activity: &Activity, as_of: NaiveDate) -> Status {
    let ended = activity.end.last_day().is_some_and(|end| as_of > end);
    if activity.cancelled {
        Status::Cancelled
    } else if activity.progress >= 100.0 {
        Status::Completed
    } else if ended {
        Status::Delayed
    } else if activity.progress > 0.0 {
        Status::InProgress
    } else {
        Status::NotStarted
    }
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

pub fn commitment_facts(commitment: &Commitment, as_of: NaiveDate) -> CommitmentFacts {
    let activity_statuses: Vec<Status> = commitment.activities.iter().map(|a| activity_status(a, as_of)).collect();
    let progress = if commitment.activities.is_empty() {
        commitment.progress.unwrap_or(0.0)
    } else {
        // Cancelled activities do not count; a sheet whose activities are all cancelled
        // has made no progress.
        mean(commitment.activities.iter().filter(|a| !a.cancelled).map(|a| a.progress)).unwrap_or(0.0)
    };
    let progress = round1(progress);
    let status = if progress >= 100.0 {
        Status::Completed
    } else if activity_statuses.contains(&Status::Delayed) {
        Status::Delayed
    } else if progress <= 0.0 {
        Status::NotStarted
    } else {
        Status::InProgress
    };
    CommitmentFacts { progress, status, activity_statuses }
}

#[derive(Default)]
struct Accumulator {
    progress: Vec<f64>,
    facts: GroupFacts,
}

impl Accumulator {
    fn add(&mut self, facts: &CommitmentFacts) {
        self.progress.push(facts.progress);
        self.facts.commitments += 1;
        *self.facts.commitment_statuses.entry(facts.status).or_default() += 1;
        for status in &facts.activity_statuses {
            *self.facts.activity_statuses.entry(*status).or_default() += 1;
        }
    }

    fn finish(mut self) -> GroupFacts {
        self.facts.progress = mean(self.progress.into_iter()).map(round1);
        self.facts
    }
}

/// Computes every derived fact of the site as of `as_of`.
pub fn derive(site: &Site, as_of: NaiveDate) -> Facts {
    let mut commitments = BTreeMap::new();
    let mut plans: BTreeMap<String, Accumulator> = BTreeMap::new();
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
        let plan_acc = plans.entry(plan.id.clone()).or_default();
        for c in &plan.commitments {
            let facts = commitment_facts(c, as_of);
            plan_acc.add(&facts);
            areas.entry(c.area.id.clone()).or_default().add(&facts);
            institutions.entry(c.lead.id.clone()).or_default().add(&facts);
            overall.add(&facts);
            commitments.insert((plan.id.clone(), c.id.clone()), facts);
        }
    }
    let finish = |map: BTreeMap<String, Accumulator>| map.into_iter().map(|(k, v)| (k, v.finish())).collect();
    Facts { as_of, commitments, plans: finish(plans), areas: finish(areas), institutions: finish(institutions), overall: overall.finish() }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Date, Pos, Ref, Text};

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn activity(start: &str, end: &str, progress: f64) -> Activity {
        Activity {
            title: Text::default(),
            start: Date::parse(start).unwrap(),
            end: Date::parse(end).unwrap(),
            progress,
            cancelled: false,
            cost: None,
            funding: None,
            partners: Vec::new(),
        }
    }

    fn commitment(activities: Vec<Activity>, progress: Option<f64>) -> Commitment {
        let r = |id: &str| Ref { id: id.into(), pos: Pos::default() };
        Commitment {
            id: "c".into(),
            plan: "p".into(),
            source: String::new(),
            number: 1,
            number_pos: Pos::default(),
            title: Text::default(),
            area: r("a"),
            lead: r("i"),
            partners: vec![],
            ogp_values: vec![],
            problem: None,
            solution: None,
            results: None,
            notes: None,
            progress,
            activities,
            indicators: vec![],
            participation: vec![],
            assessments: vec![],
        }
    }

    #[test]
    fn an_activity_is_delayed_only_after_its_end_months_last_day() {
        let a = activity("2024-04", "2024-05", 50.0);
        assert_eq!(activity_status(&a, day("2024-05-31")), Status::InProgress);
        assert_eq!(activity_status(&a, day("2024-06-01")), Status::Delayed);
        let feb = activity("2024-01", "2024-02", 0.0);
        assert_eq!(activity_status(&feb, day("2024-02-29")), Status::NotStarted);
        assert_eq!(activity_status(&feb, day("2024-03-01")), Status::Delayed);
    }

    #[test]
    fn a_year_end_means_the_thirty_first_of_december() {
        let a = activity("2024", "2025", 10.0);
        assert_eq!(activity_status(&a, day("2025-12-31")), Status::InProgress);
        assert_eq!(activity_status(&a, day("2026-01-01")), Status::Delayed);
    }

    #[test]
    fn zero_and_hundred_percent() {
        let a = activity("2024-01", "2030-12", 0.0);
        assert_eq!(activity_status(&a, day("2025-01-01")), Status::NotStarted);
        let done = activity("2024-01", "2024-02", 100.0);
        // Completed wins over a passed end.
        assert_eq!(activity_status(&done, day("2026-01-01")), Status::Completed);
    }

    #[test]
    fn cancelled_wins_and_does_not_count_in_progress() {
        let mut cancelled = activity("2024-01", "2024-02", 0.0);
        cancelled.cancelled = true;
        assert_eq!(activity_status(&cancelled, day("2026-01-01")), Status::Cancelled);
        let c = commitment(vec![cancelled, activity("2024-01", "2030-12", 100.0)], None);
        let facts = commitment_facts(&c, day("2026-01-01"));
        assert_eq!(facts.progress, 100.0);
        assert_eq!(facts.status, Status::Completed);
    }

    #[test]
    fn commitment_progress_is_the_mean_rounded_to_one_decimal() {
        let c = commitment(
            vec![activity("2024-01", "2030-12", 100.0), activity("2024-01", "2030-12", 0.0), activity("2024-01", "2030-12", 0.0)],
            None,
        );
        let facts = commitment_facts(&c, day("2025-01-01"));
        assert_eq!(facts.progress, 33.3);
        assert_eq!(facts.status, Status::InProgress);
        assert_eq!(round1(65.25), 65.3);
        assert_eq!(round1(0.15), 0.2);
        assert_eq!(round1(66.666), 66.7);
    }

    #[test]
    fn one_delayed_activity_delays_the_commitment() {
        let c = commitment(vec![activity("2024-01", "2024-02", 0.0), activity("2024-01", "2030-12", 0.0)], None);
        let facts = commitment_facts(&c, day("2025-01-01"));
        assert_eq!(facts.progress, 0.0);
        assert_eq!(facts.status, Status::Delayed);
    }

    #[test]
    fn a_sheet_without_activities_uses_its_own_progress() {
        let facts = commitment_facts(&commitment(vec![], Some(65.0)), day("2025-01-01"));
        assert_eq!((facts.progress, facts.status), (65.0, Status::InProgress));
        let facts = commitment_facts(&commitment(vec![], Some(0.0)), day("2025-01-01"));
        assert_eq!(facts.status, Status::NotStarted);
        let facts = commitment_facts(&commitment(vec![], None), day("2025-01-01"));
        assert_eq!((facts.progress, facts.status), (0.0, Status::NotStarted));
        let facts = commitment_facts(&commitment(vec![], Some(100.0)), day("2025-01-01"));
        assert_eq!(facts.status, Status::Completed);
    }
}
