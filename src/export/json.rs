//! The JSON records of the feeds: plain structs serialised in field order, so the bytes
//! never depend on a hash map or on serde_json's map feature.
//!
//! Shape rules (the public promise of `/data/v1/`):
//! - every key is always present; an absent optional value is `null`, an absent list `[]`;
//! - a text is an object with exactly one key per site language, in the site's order;
//!   a translation not written yet is `null`;
//! - dates are strings with the precision the editor wrote (`2024`, `2024-04`, `2024-04-17`);
//! - derived progress is a number with one decimal (`65.0`); it is `null` where
//!   nothing was reported (an activity, a commitment, a group none of whose
//!   commitments has a figure): never a 0 % that no report gave;
//! - reports and replannings dated after `as_of` are left out, as if not yet written.

use std::collections::BTreeMap;

use anyhow::{Result, anyhow};
use rayon::prelude::*;
use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};

use crate::derive::{ActivityFacts, Facts, GroupFacts};
use crate::model::{Commitment, Measure, Ref, Replanning, Report, Site, Status, Text};
use crate::urls;

/// The statuses a commitment can have, in reading order (`cancelled` when every
/// activity is).
pub const COMMITMENT_STATUSES: [Status; 6] =
    [Status::NotStarted, Status::NotReported, Status::InProgress, Status::Delayed, Status::Completed, Status::Cancelled];
/// The statuses an activity can have, in reading order.
pub const ACTIVITY_STATUSES: [Status; 6] = COMMITMENT_STATUSES;

/// A JSON object whose keys keep the order they were given in.
#[derive(Debug, Clone, PartialEq)]
pub struct Ordered<'a, V>(pub Vec<(&'a str, V)>);

impl<V: Serialize> Serialize for Ordered<'_, V> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (key, value) in &self.0 {
            map.serialize_entry(key, value)?;
        }
        map.end()
    }
}

impl<V> Ordered<'_, V> {
    pub fn get(&self, key: &str) -> Option<&V> {
        self.0.iter().find(|(k, _)| *k == key).map(|(_, v)| v)
    }
}

/// A text: one entry per site language, `None` where the translation is missing.
/// Borrowed from the model: a 10,000-commitment site's records are built whole, and
/// owned copies of their texts were 200 MB.
pub type LangText<'a> = Ordered<'a, Option<&'a str>>;

/// A figure written the way people write it: `120000`, not `120000.0`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Num(pub f64);

impl Serialize for Num {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if self.0.fract() == 0.0 && self.0.abs() < 1e15 {
            serializer.serialize_i64(self.0 as i64)
        } else {
            serializer.serialize_f64(self.0)
        }
    }
}

impl Num {
    /// The CSV spelling, identical to the JSON one.
    pub fn to_csv(self) -> String {
        if self.0.fract() == 0.0 && self.0.abs() < 1e15 { format!("{}", self.0 as i64) } else { format!("{}", self.0) }
    }
}

/// An indicator figure: a number for `count` and `percent`, words for `text`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum MeasureRecord<'a> {
    Number(Num),
    Text(&'a str),
}

impl<'a> MeasureRecord<'a> {
    fn from(measure: &'a Measure) -> Self {
        match measure {
            Measure::Number(n) => MeasureRecord::Number(Num(*n)),
            Measure::Text(t) => MeasureRecord::Text(t),
        }
    }
}

/// What every record builder needs: the site, its facts and the absolute base URL.
pub struct Ctx<'a> {
    pub site: &'a Site,
    pub facts: &'a Facts,
    pub base_url: String,
    pub languages: &'a [String],
}

impl<'a> Ctx<'a> {
    pub fn new(site: &'a Site, facts: &'a Facts, base_url: &str) -> Self {
        Ctx { site, facts, base_url: urls::normalize_base(base_url), languages: &site.config.languages }
    }

    pub fn text(&self, text: &'a Text) -> LangText<'a> {
        Ordered(self.languages.iter().map(|l| (l.as_str(), text.get(l))).collect())
    }

    pub fn opt_text(&self, text: &'a Option<Text>) -> Option<LangText<'a>> {
        text.as_ref().map(|t| self.text(t))
    }

    /// One absolute URL per language for a page path builder.
    pub fn page_urls(&self, path: impl Fn(&str) -> String) -> Ordered<'a, String> {
        Ordered(self.languages.iter().map(|l| (l.as_str(), urls::absolute(&self.base_url, &path(l)))).collect())
    }

    /// Absolute URL of a file under the site root.
    pub fn file_url(&self, path: &str) -> String {
        urls::absolute(&self.base_url, path)
    }

    pub fn as_of(&self) -> String {
        self.facts.as_of.format("%Y-%m-%d").to_string()
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CostRecord {
    pub amount: Num,
    pub currency: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EvidenceRecord<'a> {
    pub title: Option<LangText<'a>>,
    pub url: Option<String>,
}

/// A dated progress report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReportRecord<'a> {
    pub date: String,
    pub progress: Num,
    /// The reporting institution (the commitment's lead when the sheet names none).
    pub by: String,
    pub note: Option<LangText<'a>>,
    pub evidence: Vec<EvidenceRecord<'a>>,
}

/// A decision that moved an activity's end.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReplanningRecord<'a> {
    pub date: String,
    pub end: String,
    pub reason: Option<LangText<'a>>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ActivityRecord<'a> {
    pub title: LangText<'a>,
    pub start: String,
    /// The end in the official plan.
    pub end: String,
    pub weight: Num,
    /// The latest replanned end in effect, else `end`.
    pub current_end: String,
    pub replanned: Vec<ReplanningRecord<'a>>,
    pub updates: Vec<ReportRecord<'a>>,
    /// The latest report's figure (or the undated one), `null` when unreported.
    pub progress: Option<Num>,
    pub last_report: Option<String>,
    pub status: &'static str,
    pub overdue: bool,
    pub cost: Option<CostRecord>,
    pub funding: Option<LangText<'a>>,
    pub partners: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TargetRecord<'a> {
    pub value: MeasureRecord<'a>,
    pub date: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ValueRecord<'a> {
    pub date: String,
    pub value: MeasureRecord<'a>,
    pub kind: &'static str,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IndicatorRecord<'a> {
    pub kind: &'static str,
    pub title: LangText<'a>,
    pub unit: &'static str,
    pub baseline: Option<MeasureRecord<'a>>,
    pub target: Option<TargetRecord<'a>>,
    pub values: Vec<ValueRecord<'a>>,
    pub method: Option<LangText<'a>>,
    pub source: Option<LangText<'a>>,
    pub limits: Option<LangText<'a>>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ParticipationRecord<'a> {
    pub date: String,
    pub title: LangText<'a>,
    pub channel: Option<&'static str>,
    pub participants: Option<u64>,
    pub women: Option<u64>,
    pub proposals: Option<u64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AssessmentRecord<'a> {
    pub by: String,
    pub date: String,
    pub verdict: &'static str,
    pub note: Option<LangText<'a>>,
    pub url: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CommitmentRecord<'a> {
    pub plan: String,
    pub id: String,
    pub number: u32,
    pub title: LangText<'a>,
    pub area: String,
    pub lead: String,
    pub partners: Vec<String>,
    pub ogp_values: Vec<&'static str>,
    pub problem: Option<LangText<'a>>,
    pub solution: Option<LangText<'a>>,
    pub results: Option<LangText<'a>>,
    pub notes: Option<LangText<'a>>,
    pub progress: Option<f64>,
    pub status: &'static str,
    pub reported_activities: usize,
    pub activity_count: usize,
    pub last_report: Option<String>,
    pub stale: bool,
    /// Reports on the commitment as a whole.
    pub updates: Vec<ReportRecord<'a>>,
    pub activities: Vec<ActivityRecord<'a>>,
    pub indicators: Vec<IndicatorRecord<'a>>,
    pub participation: Vec<ParticipationRecord<'a>>,
    pub assessments: Vec<AssessmentRecord<'a>>,
    pub url: Ordered<'a, String>,
}

/// Derived counts shared by plans, areas and institutions.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupRecord<'a> {
    pub progress: Option<f64>,
    pub commitment_count: usize,
    /// How many commitments `progress` covers.
    pub reported_commitments: usize,
    pub stale_commitments: usize,
    pub last_report: Option<String>,
    pub commitment_statuses: Ordered<'a, usize>,
    pub activity_statuses: Ordered<'a, usize>,
}

impl GroupRecord<'_> {
    fn from(facts: Option<&GroupFacts>) -> Self {
        let empty = GroupFacts::default();
        let facts = facts.unwrap_or(&empty);
        let counts = |statuses: &[Status], map: &BTreeMap<Status, usize>| {
            Ordered(statuses.iter().map(|s| (s.as_str(), map.get(s).copied().unwrap_or(0))).collect())
        };
        GroupRecord {
            progress: facts.progress,
            commitment_count: facts.commitments,
            reported_commitments: facts.reported_commitments,
            stale_commitments: facts.stale_commitments,
            last_report: facts.last_report.map(|d| d.to_string()),
            commitment_statuses: counts(&COMMITMENT_STATUSES, &facts.commitment_statuses),
            activity_statuses: counts(&ACTIVITY_STATUSES, &facts.activity_statuses),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlanRecord<'a> {
    pub id: String,
    pub title: LangText<'a>,
    pub summary: Option<LangText<'a>>,
    pub owner: String,
    pub start: String,
    pub end: String,
    pub status: &'static str,
    /// `upcoming`, `running` or `ended`, from the plan's dates.
    pub phase: &'static str,
    #[serde(flatten)]
    pub group: GroupRecord<'a>,
    pub url: Ordered<'a, String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AreaRecord<'a> {
    pub id: String,
    pub title: LangText<'a>,
    pub description: Option<LangText<'a>>,
    pub order: i64,
    #[serde(flatten)]
    pub group: GroupRecord<'a>,
    pub url: Ordered<'a, String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct InstitutionRecord<'a> {
    pub id: String,
    pub name: LangText<'a>,
    pub acronym: Option<LangText<'a>>,
    pub kind: &'static str,
    pub website: Option<String>,
    /// Facts of the commitments the institution leads.
    #[serde(flatten)]
    pub group: GroupRecord<'a>,
    pub url: Ordered<'a, String>,
}

/// The reports in effect, with `by` resolved to the commitment's lead when absent.
fn reports<'a>(ctx: &Ctx<'a>, reports: &'a [Report], lead: &'a Ref) -> Vec<ReportRecord<'a>> {
    reports
        .iter()
        .map(|r| ReportRecord {
            date: r.date.to_string(),
            progress: Num(r.progress),
            by: r.by.as_ref().unwrap_or(lead).id.clone(),
            note: ctx.opt_text(&r.note),
            evidence: r.evidence.iter().map(|e| EvidenceRecord { title: ctx.opt_text(&e.title), url: e.url.clone() }).collect(),
        })
        .collect()
}

fn replannings<'a>(ctx: &Ctx<'a>, decisions: &'a [Replanning]) -> Vec<ReplanningRecord<'a>> {
    decisions
        .iter()
        .map(|d| ReplanningRecord { date: d.date.to_string(), end: d.end.to_string(), reason: ctx.opt_text(&d.reason) })
        .collect()
}

fn activity<'a>(ctx: &Ctx<'a>, c: &'a Commitment, a: &'a crate::model::Activity, facts: &ActivityFacts) -> ActivityRecord<'a> {
    ActivityRecord {
        title: ctx.text(&a.title),
        start: a.start.to_string(),
        end: a.end.to_string(),
        weight: Num(a.weight),
        current_end: facts.current_end.to_string(),
        replanned: replannings(ctx, &a.replanned[..facts.replannings_in_effect]),
        updates: reports(ctx, &a.updates[..facts.reports_in_effect], &c.lead),
        progress: facts.progress.map(Num),
        last_report: facts.last_report.map(|d| d.to_string()),
        status: facts.status.as_str(),
        overdue: facts.overdue,
        cost: a.cost.as_ref().map(|cost| CostRecord { amount: Num(cost.amount), currency: cost.currency.clone() }),
        funding: ctx.opt_text(&a.funding),
        partners: a.partners.iter().map(|r| r.id.clone()).collect(),
    }
}

pub fn commitment<'a>(ctx: &Ctx<'a>, c: &'a Commitment) -> Result<CommitmentRecord<'a>> {
    let facts = ctx.facts.commitment(&c.plan, &c.id).ok_or_else(|| anyhow!("no derived facts for commitment {}/{}", c.plan, c.id))?;
    let ids = |refs: &[crate::model::Ref]| refs.iter().map(|r| r.id.clone()).collect::<Vec<_>>();
    if facts.activities.len() != c.activities.len() {
        return Err(anyhow!("derived facts of {}/{} do not match its activities", c.plan, c.id));
    }
    let activities = c.activities.iter().zip(&facts.activities).map(|(a, f)| activity(ctx, c, a, f)).collect();
    let indicators = c
        .indicators
        .iter()
        .map(|ind| IndicatorRecord {
            kind: ind.kind.as_str(),
            title: ctx.text(&ind.title),
            unit: ind.unit.as_str(),
            baseline: ind.baseline.as_ref().map(MeasureRecord::from),
            target: ind.target.as_ref().map(|t| TargetRecord { value: MeasureRecord::from(&t.value), date: t.date.map(|d| d.to_string()) }),
            values: ind
                .values
                .iter()
                .map(|v| ValueRecord { date: v.date.to_string(), value: MeasureRecord::from(&v.value), kind: v.kind.as_str() })
                .collect(),
            method: ctx.opt_text(&ind.method),
            source: ctx.opt_text(&ind.source),
            limits: ctx.opt_text(&ind.limits),
        })
        .collect();
    let participation = c
        .participation
        .iter()
        .map(|p| ParticipationRecord {
            date: p.date.to_string(),
            title: ctx.text(&p.title),
            channel: p.channel.map(|ch| ch.as_str()),
            participants: p.participants,
            women: p.women,
            proposals: p.proposals,
        })
        .collect();
    let assessments = c
        .assessments
        .iter()
        .map(|a| AssessmentRecord {
            by: a.by.id.clone(),
            date: a.date.to_string(),
            verdict: a.verdict.as_str(),
            note: ctx.opt_text(&a.note),
            url: a.url.clone(),
        })
        .collect();
    Ok(CommitmentRecord {
        plan: c.plan.clone(),
        id: c.id.clone(),
        number: c.number,
        title: ctx.text(&c.title),
        area: c.area.id.clone(),
        lead: c.lead.id.clone(),
        partners: ids(&c.partners),
        ogp_values: c.ogp_values.iter().map(|v| v.as_str()).collect(),
        problem: ctx.opt_text(&c.problem),
        solution: ctx.opt_text(&c.solution),
        results: ctx.opt_text(&c.results),
        notes: ctx.opt_text(&c.notes),
        progress: facts.progress,
        status: facts.status.as_str(),
        reported_activities: facts.reported_activities,
        activity_count: facts.activity_count,
        last_report: facts.last_report.map(|d| d.to_string()),
        stale: facts.stale,
        updates: reports(ctx, &c.updates[..facts.reports_in_effect], &c.lead),
        activities,
        indicators,
        participation,
        assessments,
        url: ctx.page_urls(|l| urls::commitment(l, &c.plan, &c.id)),
    })
}

/// Every commitment, ordered by plan ID, then number, then ID.
#[cfg(test)]
pub fn commitments<'a>(ctx: &Ctx<'a>) -> Result<Vec<CommitmentRecord<'a>>> {
    commitments_until(ctx, &|| Ok(()))
}

/// [`commitments`], asking `go_on` before each record and giving up with its error:
/// the records of a 10k site take 0.4 s, which a newer edit under `serve` need not wait.
pub fn commitments_until<'a>(ctx: &Ctx<'a>, go_on: &(dyn Fn() -> Result<()> + Sync)) -> Result<Vec<CommitmentRecord<'a>>> {
    let mut all: Vec<&Commitment> = ctx.site.plans.iter().flat_map(|p| &p.commitments).collect();
    all.sort_by(|a, b| (&a.plan, a.order_key()).cmp(&(&b.plan, b.order_key())));
    all.into_par_iter()
        .map(|c| {
            go_on()?;
            commitment(ctx, c)
        })
        .collect()
}

/// Plans ordered by ID; a plan without derived facts (a bug) is an error.
pub fn plans<'a>(ctx: &Ctx<'a>) -> Result<Vec<PlanRecord<'a>>> {
    let mut plans: Vec<_> = ctx.site.plans.iter().collect();
    plans.sort_by(|a, b| a.id.cmp(&b.id));
    plans
        .into_iter()
        .map(|p| {
            let facts = ctx.facts.plan(&p.id).ok_or_else(|| anyhow!("no derived facts for plan {}", p.id))?;
            Ok(PlanRecord {
                id: p.id.clone(),
                title: ctx.text(&p.title),
                summary: ctx.opt_text(&p.summary),
                owner: p.owner.id.clone(),
                start: p.start.to_string(),
                end: p.end.to_string(),
                status: p.status.as_str(),
                phase: facts.phase.as_str(),
                group: GroupRecord::from(Some(&facts.group)),
                url: ctx.page_urls(|l| urls::plan(l, &p.id)),
            })
        })
        .collect()
}

/// Areas ordered by their `order`, then ID.
pub fn areas<'a>(ctx: &Ctx<'a>) -> Vec<AreaRecord<'a>> {
    let mut areas: Vec<_> = ctx.site.areas.iter().collect();
    areas.sort_by(|a, b| a.order_key().cmp(&b.order_key()));
    areas
        .into_iter()
        .map(|a| AreaRecord {
            id: a.id.clone(),
            title: ctx.text(&a.title),
            description: ctx.opt_text(&a.description),
            order: a.order,
            group: GroupRecord::from(ctx.facts.areas.get(&a.id)),
            url: ctx.page_urls(|l| urls::area(l, &a.id)),
        })
        .collect()
}

/// Institutions ordered by ID.
pub fn institutions<'a>(ctx: &Ctx<'a>) -> Vec<InstitutionRecord<'a>> {
    let mut institutions: Vec<_> = ctx.site.institutions.iter().collect();
    institutions.sort_by(|a, b| a.id.cmp(&b.id));
    institutions
        .into_iter()
        .map(|i| InstitutionRecord {
            id: i.id.clone(),
            name: ctx.text(&i.name),
            acronym: ctx.opt_text(&i.acronym),
            kind: i.kind.as_str(),
            website: i.url.clone(),
            group: GroupRecord::from(ctx.facts.institutions.get(&i.id)),
            url: ctx.page_urls(|l| urls::institution(l, &i.id)),
        })
        .collect()
}

/// `value` as pretty-printed JSON (two-space indent, UTF-8, no escaping of non-ASCII)
/// with a trailing newline.
pub fn pretty<T: Serialize + ?Sized>(value: &T) -> Result<Vec<u8>> {
    let mut bytes = serde_json::to_vec_pretty(value)?;
    bytes.push(b'\n');
    Ok(bytes)
}

/// A `serde_json::Value` written with a fixed key order, whatever serde_json's map
/// feature is, so generated schemas and descriptors are byte-stable: well-known keywords
/// first in reading order (`$schema`, `$id`, `title`, `type`, `properties`, …, `$defs`
/// last), other keys and the names under `properties` and `$defs` alphabetically.
pub struct Sorted<'a>(pub &'a serde_json::Value);

const KEY_ORDER: &[&str] = &[
    "$schema",
    "$id",
    "@context",
    "@type",
    "profile",
    "name",
    "path",
    "title",
    "description",
    "$ref",
    "type",
    "const",
    "enum",
    "pattern",
    "format",
    "minimum",
    "maximum",
    "minLength",
    "minItems",
    "items",
    "properties",
    "required",
    "additionalProperties",
    "anyOf",
    "homepage",
    "licenses",
    "mediatype",
    "encoding",
    "bytes",
    "dialect",
    "schema",
    "fields",
    "constraints",
    "primaryKey",
    "foreignKeys",
    "reference",
    "resource",
    "resources",
    "$defs",
];

struct SortedIn<'a> {
    value: &'a serde_json::Value,
    /// The object's keys are names (under `properties` or `$defs`), not keywords.
    names: bool,
}

impl Serialize for Sorted<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        SortedIn { value: self.0, names: false }.serialize(serializer)
    }
}

impl Serialize for SortedIn<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        match self.value {
            serde_json::Value::Object(map) => {
                let mut entries: Vec<_> = map.iter().collect();
                let rank =
                    |k: &str| if self.names { KEY_ORDER.len() } else { KEY_ORDER.iter().position(|o| *o == k).unwrap_or(KEY_ORDER.len()) };
                entries.sort_by(|a, b| (rank(a.0), a.0).cmp(&(rank(b.0), b.0)));
                let mut out = serializer.serialize_map(Some(entries.len()))?;
                for (k, v) in entries {
                    let names = !self.names && (k == "properties" || k == "$defs");
                    out.serialize_entry(k, &SortedIn { value: v, names })?;
                }
                out.end()
            }
            serde_json::Value::Array(items) => {
                let mut out = serializer.serialize_seq(Some(items.len()))?;
                for item in items {
                    out.serialize_element(&SortedIn { value: item, names: false })?;
                }
                out.end()
            }
            other => other.serialize(serializer),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A figure is written as people write it, the same in JSON and CSV: whole numbers
    /// without `.0` up to the largest exactly representable range, others as floats.
    #[test]
    fn figures_are_written_alike_in_json_and_csv() {
        let cases: [(f64, &str); 9] = [
            (120000.0, "120000"),
            (0.0, "0"),
            // A minus zero (`-0` in YAML) is a zero, not "-0" or "-0.0".
            (-0.0, "0"),
            (-3.0, "-3"),
            (12.5, "12.5"),
            (-0.25, "-0.25"),
            (999_999_999_999_999.0, "999999999999999"),
            (1e15, "1000000000000000.0"),
            (-1e15, "-1000000000000000.0"),
        ];
        for (value, json) in cases {
            assert_eq!(serde_json::to_string(&Num(value)).unwrap(), json, "{value}");
            let csv = Num(value).to_csv();
            assert_eq!(csv.parse::<f64>().unwrap(), value, "{value}");
            if value.abs() < 1e15 {
                assert_eq!(csv, json, "{value}: CSV and JSON spell it alike");
            } else {
                assert_eq!(csv, format!("{value}"), "{value}");
            }
        }
    }

    #[test]
    fn ordered_objects_keep_their_order_and_find_their_keys() {
        let object = Ordered(vec![("fr", Some("b")), ("ar", None), ("en", Some("a"))]);
        assert_eq!(serde_json::to_string(&object).unwrap(), r#"{"fr":"b","ar":null,"en":"a"}"#);
        assert_eq!(object.get("en"), Some(&Some("a")));
        assert_eq!(object.get("ar"), Some(&None));
        assert_eq!(object.get("es"), None);
    }

    /// Keywords in reading order (`$defs` the last of them), then other keys
    /// alphabetically; the names under `properties` and `$defs` alphabetically even
    /// when they are keywords.
    #[test]
    fn sorted_values_put_keywords_first_and_names_alphabetically() {
        let value = serde_json::json!({
            "zeta": 1,
            "$defs": {"type": {}, "a": {}},
            "properties": {"title": {"type": "string", "description": "d"}, "id": {"$ref": "#/x", "title": "t"}},
            "type": "object",
            "$schema": "s",
            "alpha": [{"type": "x", "title": "y"}],
            "items": {"properties": {"b": {}, "a": {}}, "type": "object"},
        });
        let text = serde_json::to_string(&Sorted(&value)).unwrap();
        assert_eq!(
            text,
            r##"{"$schema":"s","type":"object","items":{"type":"object","properties":{"a":{},"b":{}}},"properties":{"id":{"title":"t","$ref":"#/x"},"title":{"description":"d","type":"string"}},"$defs":{"a":{},"type":{}},"alpha":[{"title":"y","type":"x"}],"zeta":1}"##
        );
    }
}
