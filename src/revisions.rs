//! Revisions of the commitments' official text, read from the content's git history.
//!
//! When `content/` lies inside a git repository, its history is walked once for the
//! whole portal (first parents from `HEAD`, oldest first, with `gix`; nothing shells out
//! to `git`). Each commit's sheets are compared with the previous commit's by blob id;
//! a sheet whose blob changed is read with the loader, as it stood then, and compared
//! with its last readable version on the model, field by field: titles and texts, area,
//! lead and partners, activities added, removed, renamed or retimed, their weights,
//! indicators and their targets. Reports, replannings, indicator values, consultations
//! and verdicts are not revisions: the sheet's history shows them already.
//!
//! A sheet's first commit publishes it; a file that leaves under one name and arrives
//! under another in the same plan and commit (the same blob, or the same number) was
//! renamed and keeps its history; a file deleted from a plan is withdrawn. Commits after
//! the as-of date are ignored. A shallow clone's oldest commit is where the history
//! starts (its sheets are not "published" there), and the portal says so. Uncommitted
//! edits are never revisions. Not a repository: no history and no error.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use anyhow::{Context as _, Result, anyhow};
use chrono::NaiveDate;

use crate::model::{Activity, Commitment, Date, Indicator, Measure, Text};

/// The history of every sheet of the portal.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct History {
    /// Whether the content lies in a git repository whose history was read.
    pub in_repository: bool,
    /// For a shallow clone, the date of the oldest commit read: the history starts there.
    pub shallow_from: Option<NaiveDate>,
    /// Each sheet present in the last commit read, by (plan ID, commitment ID): its
    /// revisions, oldest first.
    pub sheets: BTreeMap<(String, String), Vec<Revision>>,
    /// Sheets deleted from each plan (and not back), by plan ID, oldest first.
    pub withdrawn: BTreeMap<String, Vec<Withdrawn>>,
}

impl History {
    /// The revisions of a sheet, oldest first (none when the history does not know it).
    pub fn of(&self, plan: &str, id: &str) -> &[Revision] {
        self.sheets.get(&(plan.to_string(), id.to_string())).map_or(&[], Vec::as_slice)
    }

    /// Every revision of the portal with its sheet, newest first (ties: by plan, sheet,
    /// then commit), the order of the changes page and the open data.
    pub fn newest_first(&self) -> Vec<(&str, &str, &Revision)> {
        let mut all: Vec<(&str, &str, &Revision)> =
            self.sheets.iter().flat_map(|((plan, id), revisions)| revisions.iter().map(move |r| (plan.as_str(), id.as_str(), r))).collect();
        all.sort_by(|a, b| b.2.time.cmp(&a.2.time).then_with(|| (a.0, a.1, &a.2.commit).cmp(&(b.0, b.1, &b.2.commit))));
        all
    }
}

/// One commit that changed a sheet's official content (or published it).
#[derive(Debug, Clone, PartialEq)]
pub struct Revision {
    /// The commit's full hexadecimal ID.
    pub commit: String,
    /// The commit's time (committer), in seconds since 1970 (UTC).
    pub time: i64,
    pub kind: RevisionKind,
    /// What changed, field by field (empty for a publication).
    pub changes: Vec<Change>,
}

impl Revision {
    /// The commit's day (UTC).
    pub fn date(&self) -> NaiveDate {
        day_of(self.time)
    }

    /// The commit's time as Atom and the open data write it (`2025-06-01T09:30:00Z`).
    pub fn timestamp(&self) -> String {
        timestamp(self.time)
    }

    /// The short ID that names the revision in anchors and feeds.
    pub fn short(&self) -> &str {
        &self.commit[..self.commit.len().min(12)]
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RevisionKind {
    /// The commit that added the sheet.
    Published,
    Changed,
}

/// A sheet deleted from its plan.
#[derive(Debug, Clone, PartialEq)]
pub struct Withdrawn {
    pub id: String,
    pub commit: String,
    pub time: i64,
    /// Its title in its last readable version.
    pub title: Option<Text>,
    pub number: Option<u32>,
}

impl Withdrawn {
    pub fn date(&self) -> NaiveDate {
        day_of(self.time)
    }
}

/// A field of a sheet; activities and indicators by their number (from 1) in the
/// version after the change (before it, for a removal).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Field {
    Id,
    Number,
    Title,
    Problem,
    Solution,
    Results,
    Notes,
    Area,
    Lead,
    Partners,
    ActivityAdded(usize),
    ActivityRemoved(usize),
    ActivityTitle(usize),
    ActivityStart(usize),
    ActivityEnd(usize),
    ActivityWeight(usize),
    ActivityCancelled(usize),
    IndicatorAdded(usize),
    IndicatorRemoved(usize),
    IndicatorTitle(usize),
    IndicatorBaseline(usize),
    IndicatorTarget(usize),
    IndicatorTargetDate(usize),
}

impl Field {
    /// The field's name in the open data (`activities/3/end`).
    pub fn code(&self) -> String {
        match self {
            Field::Id => "id".into(),
            Field::Number => "number".into(),
            Field::Title => "title".into(),
            Field::Problem => "problem".into(),
            Field::Solution => "solution".into(),
            Field::Results => "results".into(),
            Field::Notes => "notes".into(),
            Field::Area => "area".into(),
            Field::Lead => "lead".into(),
            Field::Partners => "partners".into(),
            Field::ActivityAdded(n) | Field::ActivityRemoved(n) => format!("activities/{n}"),
            Field::ActivityTitle(n) => format!("activities/{n}/title"),
            Field::ActivityStart(n) => format!("activities/{n}/start"),
            Field::ActivityEnd(n) => format!("activities/{n}/end"),
            Field::ActivityWeight(n) => format!("activities/{n}/weight"),
            Field::ActivityCancelled(n) => format!("activities/{n}/status"),
            Field::IndicatorAdded(n) | Field::IndicatorRemoved(n) => format!("indicators/{n}"),
            Field::IndicatorTitle(n) => format!("indicators/{n}/title"),
            Field::IndicatorBaseline(n) => format!("indicators/{n}/baseline"),
            Field::IndicatorTarget(n) => format!("indicators/{n}/target/value"),
            Field::IndicatorTargetDate(n) => format!("indicators/{n}/target/date"),
        }
    }

    /// The UI string that names the change (`change_activity_end`) and the number it
    /// takes, if any.
    pub fn label_key(&self) -> (&'static str, Option<usize>) {
        match self {
            Field::Id => ("change_id", None),
            Field::Number => ("change_number", None),
            Field::Title => ("change_title", None),
            Field::Problem => ("change_problem", None),
            Field::Solution => ("change_solution", None),
            Field::Results => ("change_results", None),
            Field::Notes => ("change_notes", None),
            Field::Area => ("change_area", None),
            Field::Lead => ("change_lead", None),
            Field::Partners => ("change_partners", None),
            Field::ActivityAdded(n) => ("change_activity_added", Some(*n)),
            Field::ActivityRemoved(n) => ("change_activity_removed", Some(*n)),
            Field::ActivityTitle(n) => ("change_activity_title", Some(*n)),
            Field::ActivityStart(n) => ("change_activity_start", Some(*n)),
            Field::ActivityEnd(n) => ("change_activity_end", Some(*n)),
            Field::ActivityWeight(n) => ("change_activity_weight", Some(*n)),
            Field::ActivityCancelled(n) => ("change_activity_cancelled", Some(*n)),
            Field::IndicatorAdded(n) => ("change_indicator_added", Some(*n)),
            Field::IndicatorRemoved(n) => ("change_indicator_removed", Some(*n)),
            Field::IndicatorTitle(n) => ("change_indicator_title", Some(*n)),
            Field::IndicatorBaseline(n) => ("change_indicator_baseline", Some(*n)),
            Field::IndicatorTarget(n) => ("change_indicator_target", Some(*n)),
            Field::IndicatorTargetDate(n) => ("change_indicator_target_date", Some(*n)),
        }
    }
}

/// A value before or after a change.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    None,
    Text(Text),
    /// Long Markdown: the change says it was rewritten; the open data has both texts.
    Prose(Text),
    Date(Date),
    Number(f64),
    /// A measure with its unit's suffix (`" %"` for a percent).
    Measure(Measure, bool),
    /// Institution or area IDs.
    Ids(Vec<String>),
    Plain(String),
    Flag(bool),
}

impl Value {
    /// The value as the open data writes it: texts as `lang: text` lines.
    pub fn raw(&self) -> String {
        match self {
            Value::None => String::new(),
            Value::Text(t) | Value::Prose(t) => t.iter().map(|(lang, text)| format!("{lang}: {text}")).collect::<Vec<_>>().join("\n"),
            Value::Date(d) => d.to_string(),
            Value::Number(n) => crate::load::decode::format_number(*n),
            Value::Measure(Measure::Number(n), _) => crate::load::decode::format_number(*n),
            Value::Measure(Measure::Text(t), _) => t.clone(),
            Value::Ids(ids) => ids.join(" "),
            Value::Plain(s) => s.clone(),
            Value::Flag(b) => if *b { "cancelled" } else { "" }.into(),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    pub field: Field,
    pub before: Value,
    pub after: Value,
}

/// The day of a commit time (UTC).
pub fn day_of(seconds: i64) -> NaiveDate {
    chrono::DateTime::from_timestamp(seconds, 0).map_or(NaiveDate::MIN, |t| t.date_naive())
}

/// A commit time as Atom writes it.
pub fn timestamp(seconds: i64) -> String {
    chrono::DateTime::from_timestamp(seconds, 0).map_or_else(String::new, |t| t.format("%Y-%m-%dT%H:%M:%SZ").to_string())
}

/// Reads the history of the sheets under `root/content` up to the end of `as_of` (UTC).
/// Not a repository, or one without commits: an empty history.
pub fn read(root: &Path, languages: &[String], as_of: NaiveDate) -> Result<History> {
    let content = root.join("content");
    let Ok(repo) = gix::discover(&content) else { return Ok(History::default()) };
    let Some(workdir) = repo.workdir() else { return Ok(History::default()) };
    let workdir = workdir.canonicalize().with_context(|| format!("cannot resolve {}", workdir.display()))?;
    let content = content.canonicalize().with_context(|| format!("cannot resolve {}", content.display()))?;
    let Ok(prefix) = content.strip_prefix(&workdir) else { return Ok(History::default()) };
    let plans_path = prefix.join("plans");
    let Ok(head) = repo.head_id() else { return Ok(History { in_repository: true, ..History::default() }) };
    let cutoff = as_of.succ_opt().and_then(|d| d.and_hms_opt(0, 0, 0)).map_or(i64::MAX, |t| t.and_utc().timestamp());

    // The first-parent chain from HEAD, to the root or the shallow boundary.
    let boundary: BTreeSet<gix::ObjectId> =
        repo.shallow_commits().map_err(|e| anyhow!("{e}"))?.map(|c| c.iter().copied().collect()).unwrap_or_default();
    let mut chain = Vec::new();
    let mut next = Some(head.detach());
    let mut shallow = false;
    while let Some(id) = next {
        let Ok(commit) = repo.find_commit(id) else {
            // A parent that is not here: the clone is shallow.
            shallow = true;
            break;
        };
        let time = commit.time().map_err(|e| anyhow!("commit {id}: {e}"))?.seconds;
        let tree = commit.tree_id().map_err(|e| anyhow!("commit {id}: {e}"))?.detach();
        chain.push((id, time, tree));
        if boundary.contains(&id) {
            shallow = true;
            break;
        }
        next = commit.parent_ids().next().map(|p| p.detach());
    }
    chain.reverse();
    chain.retain(|(_, time, _)| *time < cutoff);

    let mut walk = Walk { languages, sheets: BTreeMap::new(), withdrawn: Vec::new(), plans: BTreeMap::new() };
    let mut last_plans: Option<gix::ObjectId> = None;
    for (index, (id, time, tree)) in chain.iter().enumerate() {
        let tree = repo.find_tree(*tree).map_err(|e| anyhow!("commit {id}: {e}"))?;
        let plans = tree.lookup_entry_by_path(&plans_path).map_err(|e| anyhow!("commit {id}: {e}"))?.map(|e| e.object_id());
        if index > 0 && plans == last_plans {
            continue;
        }
        last_plans = plans;
        let at = At { commit: id.to_string(), time: *time, first: index == 0, shallow };
        walk.step(&repo, &at, plans).with_context(|| format!("reading the sheets of commit {id}"))?;
    }
    let shallow_from = if shallow { chain.first().map(|(_, time, _)| day_of(*time)) } else { None };
    Ok(walk.finish(shallow_from))
}

/// A plan's sheets in one commit: its `commitments` tree's ID, and each file name's blob.
type PlanSheets = (gix::ObjectId, BTreeMap<String, gix::ObjectId>);

/// Each plan's `commitments` tree in a `plans` tree, by plan ID; a plan whose tree is
/// the one already read (`known`) is taken from there, not read again: a commit usually
/// changes one sheet, and the other plans cost a comparison of tree IDs.
fn plan_sheets(repo: &gix::Repository, plans: gix::ObjectId, known: &BTreeMap<String, PlanSheets>) -> Result<BTreeMap<String, PlanSheets>> {
    let mut out = BTreeMap::new();
    let plans = repo.find_tree(plans).map_err(|e| anyhow!("{e}"))?;
    for plan in plans.iter() {
        let plan = plan.map_err(|e| anyhow!("{e}"))?;
        if !plan.mode().is_tree() {
            continue;
        }
        let plan_id = plan.filename().to_string();
        let plan_tree = repo.find_tree(plan.object_id()).map_err(|e| anyhow!("{e}"))?;
        let Some(commitments) = plan_tree.find_entry("commitments").filter(|e| e.mode().is_tree()).map(|e| e.object_id()) else {
            continue;
        };
        if let Some(same) = known.get(&plan_id).filter(|(tree, _)| *tree == commitments) {
            out.insert(plan_id, same.clone());
            continue;
        }
        let mut sheets = BTreeMap::new();
        for sheet in repo.find_tree(commitments).map_err(|e| anyhow!("{e}"))?.iter() {
            let sheet = sheet.map_err(|e| anyhow!("{e}"))?;
            let name = sheet.filename().to_string();
            if sheet.mode().is_blob() && name.ends_with(".yaml") {
                sheets.insert(name, sheet.object_id());
            }
        }
        out.insert(plan_id, (commitments, sheets));
    }
    Ok(out)
}

/// The commit being read.
struct At {
    commit: String,
    time: i64,
    /// The oldest commit read.
    first: bool,
    shallow: bool,
}

/// One sheet's history as the walk goes.
struct Sheet {
    revisions: Vec<Revision>,
    /// Its last readable version: read only when it is compared with another (most
    /// sheets of a large portal never change, and are never read).
    base: Base,
}

enum Base {
    /// The blob of its last version, not read yet.
    Unread(gix::ObjectId),
    /// Its last readable version (`None`: none could be read).
    Read(Option<Commitment>),
}

type Key = (String, String);

struct Walk<'l> {
    languages: &'l [String],
    /// By (plan, file name), the sheets of the last commit read.
    sheets: BTreeMap<Key, Sheet>,
    withdrawn: Vec<(String, Withdrawn)>,
    /// The plans' sheets in the last commit read.
    plans: BTreeMap<String, PlanSheets>,
}

impl Walk<'_> {
    fn parse(&self, repo: &gix::Repository, (plan, name): &Key, blob: gix::ObjectId) -> Result<Option<Commitment>> {
        let Some(id) = name.strip_suffix(".yaml") else { return Ok(None) };
        let data = repo.find_blob(blob).map_err(|e| anyhow!("{e}"))?.data.clone();
        let Ok(text) = String::from_utf8(data) else { return Ok(None) };
        let path = format!("content/plans/{plan}/commitments/{name}");
        Ok(crate::load::parse_commitment(plan, id, &path, &text, self.languages))
    }

    /// A sheet's last readable version, read now if it was not.
    fn base(&mut self, repo: &gix::Repository, key: &Key) -> Result<Option<Commitment>> {
        let blob = match self.sheets.get(key).map(|s| &s.base) {
            None => return Ok(None),
            Some(Base::Read(model)) => return Ok(model.clone()),
            Some(Base::Unread(blob)) => *blob,
        };
        let model = self.parse(repo, key, blob)?;
        if let Some(sheet) = self.sheets.get_mut(key) {
            sheet.base = Base::Read(model.clone());
        }
        Ok(model)
    }

    fn step(&mut self, repo: &gix::Repository, at: &At, plans: Option<gix::ObjectId>) -> Result<()> {
        let new_plans = match plans {
            Some(plans) => plan_sheets(repo, plans, &self.plans)?,
            None => BTreeMap::new(),
        };
        // What changed, plan by plan: only the plans whose tree changed are compared.
        let (mut gone, mut arrived, mut changed): (Vec<Key>, Vec<Key>, Vec<Key>) = (Vec::new(), Vec::new(), Vec::new());
        let empty = BTreeMap::new();
        let plan_ids: BTreeSet<&String> = self.plans.keys().chain(new_plans.keys()).collect();
        let mut blobs: BTreeMap<Key, gix::ObjectId> = BTreeMap::new();
        for plan in plan_ids {
            let old = self.plans.get(plan);
            let new = new_plans.get(plan);
            if old.map(|o| o.0) == new.map(|n| n.0) {
                continue;
            }
            let (old, new) = (old.map_or(&empty, |o| &o.1), new.map_or(&empty, |n| &n.1));
            for (name, blob) in old {
                match new.get(name) {
                    None => gone.push((plan.clone(), name.clone())),
                    Some(b) if b != blob => changed.push((plan.clone(), name.clone())),
                    Some(_) => {}
                }
            }
            for (name, blob) in new {
                blobs.insert((plan.clone(), name.clone()), *blob);
                if !old.contains_key(name) {
                    arrived.push((plan.clone(), name.clone()));
                }
            }
        }
        let old_blob = |walk: &Walk, key: &Key| walk.plans.get(&key.0).and_then(|p| p.1.get(&key.1)).copied();

        // Renames: a file gone and one arrived in the same plan, with the same blob or
        // the same number (the arrived ones are read only when their plan lost a sheet).
        let mut arrived_models: BTreeMap<Key, Option<Commitment>> = BTreeMap::new();
        let mut renamed: BTreeMap<Key, Key> = BTreeMap::new();
        let mut taken: BTreeSet<Key> = BTreeSet::new();
        for old in &gone {
            let old_blob = old_blob(self, old);
            let candidates: Vec<&Key> = arrived.iter().filter(|new| new.0 == old.0 && !taken.contains(*new)).collect();
            let mut pick = candidates.iter().find(|new| Some(blobs[**new]) == old_blob).map(|k| (*k).clone());
            if pick.is_none() && !candidates.is_empty() {
                let number = self.base(repo, old)?.map(|m| m.number);
                for new in &candidates {
                    if !arrived_models.contains_key(*new) {
                        let model = self.parse(repo, new, blobs[*new])?;
                        arrived_models.insert((*new).clone(), model);
                    }
                    if number.is_some() && arrived_models[*new].as_ref().map(|m| m.number) == number {
                        pick = Some((*new).clone());
                        break;
                    }
                }
            }
            if let Some(new) = pick {
                taken.insert(new.clone());
                renamed.insert(new, old.clone());
            }
        }
        for old in &gone {
            if renamed.values().any(|o| o == old) {
                continue;
            }
            let last = self.base(repo, old)?;
            if self.sheets.remove(old).is_none() {
                continue;
            }
            self.withdrawn.push((
                old.0.clone(),
                Withdrawn {
                    id: stem(&old.1),
                    commit: at.commit.clone(),
                    time: at.time,
                    title: last.as_ref().map(|m| m.title.clone()),
                    number: last.as_ref().map(|m| m.number),
                },
            ));
        }
        for new in &arrived {
            if let Some(old) = renamed.get(new) {
                let before = self.base(repo, old)?;
                let Some(mut sheet) = self.sheets.remove(old) else { continue };
                let after = match arrived_models.remove(new) {
                    Some(model) => model,
                    None => self.parse(repo, new, blobs[new])?,
                };
                let mut changes = vec![Change { field: Field::Id, before: Value::Plain(stem(&old.1)), after: Value::Plain(stem(&new.1)) }];
                if let (Some(before), Some(after)) = (&before, &after) {
                    changes.extend(compare(before, after));
                }
                sheet.revisions.push(Revision { commit: at.commit.clone(), time: at.time, kind: RevisionKind::Changed, changes });
                sheet.base = Base::Read(after.or(before));
                self.sheets.insert(new.clone(), sheet);
                continue;
            }
            // A shallow clone's oldest commit did not publish what it holds.
            let revisions = if at.first && at.shallow {
                Vec::new()
            } else {
                vec![Revision { commit: at.commit.clone(), time: at.time, kind: RevisionKind::Published, changes: Vec::new() }]
            };
            let base = match arrived_models.remove(new) {
                Some(model) => Base::Read(model),
                None => Base::Unread(blobs[new]),
            };
            self.sheets.insert(new.clone(), Sheet { revisions, base });
        }
        for key in &changed {
            if !self.sheets.contains_key(key) {
                continue;
            }
            let before = self.base(repo, key)?;
            let Some(after) = self.parse(repo, key, blobs[key])? else { continue };
            if let Some(before) = &before {
                let changes = compare(before, &after);
                if !changes.is_empty() {
                    if let Some(sheet) = self.sheets.get_mut(key) {
                        sheet.revisions.push(Revision { commit: at.commit.clone(), time: at.time, kind: RevisionKind::Changed, changes });
                    }
                }
            }
            if let Some(sheet) = self.sheets.get_mut(key) {
                sheet.base = Base::Read(Some(after));
            }
        }
        self.plans = new_plans;
        Ok(())
    }

    fn finish(self, shallow_from: Option<NaiveDate>) -> History {
        let sheets: BTreeMap<(String, String), Vec<Revision>> =
            self.sheets.into_iter().map(|((plan, name), sheet)| ((plan, stem(&name)), sheet.revisions)).collect();
        let mut withdrawn: BTreeMap<String, Vec<Withdrawn>> = BTreeMap::new();
        for (plan, w) in self.withdrawn {
            // A sheet that came back is not withdrawn.
            if !sheets.contains_key(&(plan.clone(), w.id.clone())) {
                withdrawn.entry(plan).or_default().push(w);
            }
        }
        History { in_repository: true, shallow_from, sheets, withdrawn }
    }
}

fn stem(name: &str) -> String {
    name.strip_suffix(".yaml").unwrap_or(name).to_string()
}

/// What changed in a sheet's official content, field by field.
pub fn compare(before: &Commitment, after: &Commitment) -> Vec<Change> {
    let mut changes = Vec::new();
    let mut push = |field: Field, b: Value, a: Value| {
        if b != a {
            changes.push(Change { field, before: b, after: a });
        }
    };
    push(Field::Number, Value::Number(f64::from(before.number)), Value::Number(f64::from(after.number)));
    push(Field::Title, Value::Text(before.title.clone()), Value::Text(after.title.clone()));
    let prose = |t: &Option<Text>| t.clone().map_or(Value::None, Value::Prose);
    push(Field::Problem, prose(&before.problem), prose(&after.problem));
    push(Field::Solution, prose(&before.solution), prose(&after.solution));
    push(Field::Results, prose(&before.results), prose(&after.results));
    push(Field::Notes, prose(&before.notes), prose(&after.notes));
    push(Field::Area, Value::Ids(vec![before.area.id.clone()]), Value::Ids(vec![after.area.id.clone()]));
    push(Field::Lead, Value::Ids(vec![before.lead.id.clone()]), Value::Ids(vec![after.lead.id.clone()]));
    let partners = |c: &Commitment| Value::Ids(c.partners.iter().map(|p| p.id.clone()).collect());
    push(Field::Partners, partners(before), partners(after));
    compare_activities(&before.activities, &after.activities, &mut changes);
    compare_indicators(&before.indicators, &after.indicators, &mut changes);
    changes
}

/// Pairs two versions of a list: first the items whose title did not change, in order;
/// then, of those left, the items at the same place (renamed). Returns for each item of
/// `after` its partner in `before`.
fn pair<T>(before: &[T], after: &[T], title: impl Fn(&T) -> &Text) -> Vec<Option<usize>> {
    let mut used = vec![false; before.len()];
    let mut pairs: Vec<Option<usize>> = after
        .iter()
        .map(|a| {
            let i = (0..before.len()).find(|i| !used[*i] && title(&before[*i]) == title(a))?;
            used[i] = true;
            Some(i)
        })
        .collect();
    for (j, partner) in pairs.iter_mut().enumerate() {
        if partner.is_none() && j < before.len() && !used[j] {
            used[j] = true;
            *partner = Some(j);
        }
    }
    pairs
}

fn compare_activities(before: &[Activity], after: &[Activity], changes: &mut Vec<Change>) {
    let pairs = pair(before, after, |a| &a.title);
    for (i, b) in before.iter().enumerate() {
        if !pairs.contains(&Some(i)) {
            changes.push(Change { field: Field::ActivityRemoved(i + 1), before: Value::Text(b.title.clone()), after: Value::None });
        }
    }
    for (j, (a, partner)) in after.iter().zip(&pairs).enumerate() {
        let n = j + 1;
        let Some(b) = partner.map(|i| &before[i]) else {
            changes.push(Change { field: Field::ActivityAdded(n), before: Value::None, after: Value::Text(a.title.clone()) });
            continue;
        };
        let mut push = |field: Field, before: Value, after: Value| {
            if before != after {
                changes.push(Change { field, before, after });
            }
        };
        push(Field::ActivityTitle(n), Value::Text(b.title.clone()), Value::Text(a.title.clone()));
        push(Field::ActivityStart(n), Value::Date(b.start), Value::Date(a.start));
        push(Field::ActivityEnd(n), Value::Date(b.end), Value::Date(a.end));
        push(Field::ActivityWeight(n), Value::Number(b.weight), Value::Number(a.weight));
        push(Field::ActivityCancelled(n), Value::Flag(b.cancelled), Value::Flag(a.cancelled));
    }
}

fn compare_indicators(before: &[Indicator], after: &[Indicator], changes: &mut Vec<Change>) {
    let pairs = pair(before, after, |i| &i.title);
    for (i, b) in before.iter().enumerate() {
        if !pairs.contains(&Some(i)) {
            changes.push(Change { field: Field::IndicatorRemoved(i + 1), before: Value::Text(b.title.clone()), after: Value::None });
        }
    }
    let measure = |m: Option<&Measure>, ind: &Indicator| {
        m.map_or(Value::None, |m| Value::Measure(m.clone(), matches!(ind.unit, crate::model::Unit::Percent)))
    };
    for (j, (a, partner)) in after.iter().zip(&pairs).enumerate() {
        let n = j + 1;
        let Some(b) = partner.map(|i| &before[i]) else {
            changes.push(Change { field: Field::IndicatorAdded(n), before: Value::None, after: Value::Text(a.title.clone()) });
            continue;
        };
        let mut push = |field: Field, before: Value, after: Value| {
            if before != after {
                changes.push(Change { field, before, after });
            }
        };
        push(Field::IndicatorTitle(n), Value::Text(b.title.clone()), Value::Text(a.title.clone()));
        push(Field::IndicatorBaseline(n), measure(b.baseline.as_ref(), b), measure(a.baseline.as_ref(), a));
        push(Field::IndicatorTarget(n), measure(b.target.as_ref().map(|t| &t.value), b), measure(a.target.as_ref().map(|t| &t.value), a));
        let date = |i: &Indicator| i.target.as_ref().and_then(|t| t.date).map_or(Value::None, Value::Date);
        push(Field::IndicatorTargetDate(n), date(b), date(a));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::blank;

    fn activity(title: &str, end: &str) -> Activity {
        Activity {
            title: [("fr", title)].into_iter().collect(),
            start: Date::parse("2024-01").unwrap(),
            end: Date::parse(end).unwrap(),
            weight: 1.0,
            replanned: Vec::new(),
            updates: Vec::new(),
            progress: None,
            cancelled: false,
            cost: None,
            funding: None,
            partners: Vec::new(),
        }
    }

    fn fields(before: Vec<Activity>, after: Vec<Activity>) -> Vec<String> {
        let sheet = |activities| Commitment { activities, ..blank::commitment("p", "c", 1, "a", "i") };
        compare(&sheet(before), &sheet(after))
            .iter()
            .map(|c| format!("{} {} -> {}", c.field.code(), c.before.raw(), c.after.raw()))
            .collect()
    }

    fn indicator(title: &str, baseline: Option<f64>, target: Option<(f64, &str)>) -> Indicator {
        Indicator {
            kind: crate::model::IndicatorKind::Tracking,
            title: [("fr", title)].into_iter().collect(),
            unit: crate::model::Unit::Percent,
            baseline: baseline.map(Measure::Number),
            target: target.map(|(value, date)| crate::model::Target { value: Measure::Number(value), date: Date::parse(date) }),
            values: Vec::new(),
            method: None,
            source: None,
            limits: None,
        }
    }

    fn indicator_fields(before: Vec<Indicator>, after: Vec<Indicator>) -> Vec<String> {
        let sheet = |indicators| Commitment { indicators, ..blank::commitment("p", "c", 1, "a", "i") };
        compare(&sheet(before), &sheet(after))
            .iter()
            .map(|c| format!("{} {} -> {}", c.field.code(), c.before.raw(), c.after.raw()))
            .collect()
    }

    #[test]
    fn indicators_pair_by_title_then_by_place() {
        let a = indicator("A", Some(10.0), Some((80.0, "2025-12")));
        let (b, c) = (indicator("B", None, None), indicator("C", None, Some((5.0, "2025"))));
        // B dropped: named by its place before the change, and C is not "renamed B".
        assert_eq!(indicator_fields(vec![a.clone(), b.clone(), c.clone()], vec![a.clone(), c.clone()]), ["indicators/2 fr: B -> "]);
        // A's baseline and target moved, B renamed in place, C's target date dropped.
        let moved = indicator("A", Some(20.0), Some((70.0, "2026-06")));
        let undated = indicator("C", None, Some((5.0, "")));
        assert_eq!(
            indicator_fields(vec![a.clone(), b.clone(), c.clone()], vec![moved, indicator("B2", None, None), undated]),
            [
                "indicators/1/baseline 10 -> 20",
                "indicators/1/target/value 80 -> 70",
                "indicators/1/target/date 2025-12 -> 2026-06",
                "indicators/2/title fr: B -> fr: B2",
                "indicators/3/target/date 2025 -> ",
            ]
        );
        // One added at the end.
        assert_eq!(indicator_fields(vec![a.clone()], vec![a.clone(), b]), ["indicators/2  -> fr: B"]);
        // New values are reports, not revisions.
        let mut reported = a.clone();
        reported.values.push(crate::model::IndicatorValue {
            date: Date::parse("2024-06").unwrap(),
            value: Measure::Number(40.0),
            kind: crate::model::ValueKind::Actual,
        });
        assert!(indicator_fields(vec![a], vec![reported]).is_empty());
    }

    #[test]
    fn a_revision_is_named_and_dated_by_its_commit_in_utc() {
        let revision = Revision {
            commit: "0123456789abcdef0123456789abcdef01234567".into(),
            time: 1_709_251_199, // 2024-02-29T23:59:59Z
            kind: RevisionKind::Changed,
            changes: Vec::new(),
        };
        assert_eq!(revision.short(), "0123456789ab");
        assert_eq!(revision.date().to_string(), "2024-02-29");
        assert_eq!(revision.timestamp(), "2024-02-29T23:59:59Z");
        assert_eq!(Revision { time: 1_709_251_200, ..revision }.timestamp(), "2024-03-01T00:00:00Z");
    }

    #[test]
    fn activities_pair_by_title_then_by_place() {
        let (a, b, c) = (activity("A", "2024-06"), activity("B", "2024-07"), activity("C", "2024-08"));
        // B dropped: C keeps its pairing by title and is not "renamed B".
        assert_eq!(fields(vec![a.clone(), b.clone(), c.clone()], vec![a.clone(), c.clone()]), ["activities/2 fr: B -> "]);
        // B renamed in place, C retimed.
        let renamed = activity("B2", "2024-07");
        let retimed = activity("C", "2025-01");
        assert_eq!(
            fields(vec![a.clone(), b.clone(), c.clone()], vec![a.clone(), renamed, retimed]),
            ["activities/2/title fr: B -> fr: B2", "activities/3/end 2024-08 -> 2025-01"]
        );
        // One added at the end.
        assert_eq!(fields(vec![a.clone()], vec![a.clone(), b.clone()]), ["activities/2  -> fr: B"]);
        // Reports and replannings are not revisions.
        let mut reported = a.clone();
        reported.progress = Some(40.0);
        assert!(fields(vec![a], vec![reported]).is_empty());
    }
}
