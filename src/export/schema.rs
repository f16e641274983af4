//! JSON Schemas (draft 2020-12) for every JSON file of the feeds, generated from the
//! site's languages: a third language adds a required key to every text object.
//!
//! The schemas are strict: `additionalProperties: false` everywhere, every key required
//! (optional values are `null`), closed enums for statuses, kinds and units. Each schema
//! is self-contained (only local `$ref`s), so any validator can use it offline.

use serde_json::{Map, Value, json};

use super::json::{ACTIVITY_STATUSES, COMMITMENT_STATUSES};
use crate::model::{Channel, IndicatorKind, InstitutionKind, OgpValue, Phase, PlanStatus, Unit, ValueKind, Verdict};

pub const DRAFT: &str = "https://json-schema.org/draft/2020-12/schema";

/// The files that have a schema, by schema name (`schema/NAME.schema.json`).
pub const NAMES: [&str; 7] = ["index", "plans", "areas", "institutions", "commitments", "commitment", "datapackage"];

/// An object with exactly these properties, all required.
fn object(properties: Vec<(&str, Value)>) -> Value {
    let required: Vec<Value> = properties.iter().map(|(k, _)| json!(k)).collect();
    let props: Map<String, Value> = properties.into_iter().map(|(k, v)| (k.to_string(), v)).collect();
    json!({"type": "object", "properties": props, "required": required, "additionalProperties": false})
}

fn describe(mut schema: Value, description: &str) -> Value {
    if let Value::Object(map) = &mut schema {
        map.insert("description".into(), json!(description));
    }
    schema
}

fn nullable(schema: Value) -> Value {
    json!({"anyOf": [schema, {"type": "null"}]})
}

fn reference(name: &str) -> Value {
    json!({"$ref": format!("#/$defs/{name}")})
}

fn enumeration(names: &[&str]) -> Value {
    json!({"type": "string", "enum": names})
}

fn statuses(list: &[crate::model::Status]) -> Vec<&'static str> {
    list.iter().map(|s| s.as_str()).collect()
}

fn list(items: Value) -> Value {
    json!({"type": "array", "items": items})
}

fn ids() -> Value {
    list(reference("id"))
}

/// Definitions shared by the schemas; each schema carries only the ones it uses.
fn definitions(languages: &[String]) -> Vec<(&'static str, Value)> {
    let lang_props: Vec<(&str, Value)> = languages.iter().map(|l| (l.as_str(), json!({"type": ["string", "null"]}))).collect();
    let text = describe(
        object(lang_props),
        &format!(
            "A text with one key per site language ({}); null where the translation is not written yet. Long texts are Markdown.",
            languages.join(", ")
        ),
    );
    let url_map = describe(
        object(languages.iter().map(|l| (l.as_str(), json!({"type": "string", "format": "uri"}))).collect()),
        "The absolute URL of the record's page in each language.",
    );
    let count = json!({"type": "integer", "minimum": 0});
    let status_counts = |list: &[crate::model::Status]| object(list.iter().map(|s| (s.as_str(), count.clone())).collect());
    let measure = describe(json!({"type": ["number", "string"]}), "A number for the units count and percent, words for the unit text.");
    vec![
        ("id", json!({"type": "string", "pattern": "^[a-z0-9][a-z0-9-]{0,63}$"})),
        (
            "date",
            describe(
                json!({"type": "string", "pattern": "^[0-9]{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?)?$"}),
                "A date with the precision the source gives: YYYY, YYYY-MM or YYYY-MM-DD.",
            ),
        ),
        ("text", text),
        ("urls", url_map),
        ("progress", json!({"type": "number", "minimum": 0, "maximum": 100})),
        ("measure", measure),
        ("commitment_status", enumeration(&statuses(&COMMITMENT_STATUSES))),
        ("activity_status", enumeration(&statuses(&ACTIVITY_STATUSES))),
        ("commitment_status_counts", status_counts(&COMMITMENT_STATUSES)),
        ("activity_status_counts", status_counts(&ACTIVITY_STATUSES)),
        ("report", report()),
        ("replanning", replanning()),
        ("activity", activity()),
        ("indicator", indicator()),
        ("participation", participation()),
        ("assessment", assessment()),
        ("commitment", commitment()),
        ("plan", plan()),
        ("area", area()),
        ("institution", institution()),
    ]
}

fn text() -> Value {
    reference("text")
}

fn opt_text() -> Value {
    nullable(reference("text"))
}

fn opt_date() -> Value {
    nullable(reference("date"))
}

fn report() -> Value {
    describe(
        object(vec![
            ("date", reference("date")),
            ("progress", reference("progress")),
            ("by", describe(reference("id"), "The reporting institution's ID (the commitment's lead unless the sheet names another).")),
            ("note", opt_text()),
            (
                "evidence",
                describe(
                    list(object(vec![("title", opt_text()), ("url", json!({"type": ["string", "null"], "format": "uri"}))])),
                    "Documents that back the report: a title, a URL or both.",
                ),
            ),
        ]),
        "A dated progress report; reports dated after as_of are left out.",
    )
}

fn replanning() -> Value {
    describe(
        object(vec![("date", reference("date")), ("end", describe(reference("date"), "The new end.")), ("reason", opt_text())]),
        "A decision that moved an activity's end; decisions dated after as_of are left out.",
    )
}

fn activity() -> Value {
    object(vec![
        ("title", text()),
        ("start", reference("date")),
        ("end", describe(reference("date"), "The end in the official plan: 2024-05 means 31 May 2024.")),
        ("weight", describe(json!({"type": "number", "exclusiveMinimum": 0}), "Its share in the commitment's progress.")),
        ("current_end", describe(reference("date"), "The latest replanned end in effect, else end.")),
        ("replanned", describe(list(reference("replanning")), "Oldest first.")),
        ("updates", describe(list(reference("report")), "Oldest first.")),
        (
            "progress",
            describe(nullable(reference("progress")), "The latest report's figure (or an undated one); null when nothing was reported."),
        ),
        ("last_report", describe(opt_date(), "The date of the report progress comes from; null for none or an undated figure.")),
        ("status", describe(reference("activity_status"), "Derived on the as_of date.")),
        ("overdue", describe(json!({"type": "boolean"}), "current_end has passed and the activity is neither completed nor cancelled.")),
        (
            "cost",
            nullable(object(vec![
                ("amount", json!({"type": "number", "minimum": 0})),
                ("currency", json!({"type": "string", "minLength": 1})),
            ])),
        ),
        ("funding", opt_text()),
        ("partners", describe(ids(), "Institution IDs.")),
    ])
}

fn indicator() -> Value {
    object(vec![
        ("kind", enumeration(IndicatorKind::NAMES)),
        ("title", text()),
        ("unit", enumeration(Unit::NAMES)),
        ("baseline", nullable(reference("measure"))),
        ("target", nullable(object(vec![("value", reference("measure")), ("date", nullable(reference("date")))]))),
        (
            "values",
            list(object(vec![("date", reference("date")), ("value", reference("measure")), ("kind", enumeration(ValueKind::NAMES))])),
        ),
        ("method", opt_text()),
        ("source", opt_text()),
        ("limits", opt_text()),
    ])
}

fn participation() -> Value {
    let count = json!({"type": ["integer", "null"], "minimum": 0});
    object(vec![
        ("date", reference("date")),
        ("title", text()),
        ("channel", nullable(enumeration(Channel::NAMES))),
        ("participants", count.clone()),
        ("women", count.clone()),
        ("proposals", count),
    ])
}

fn assessment() -> Value {
    object(vec![
        ("by", describe(reference("id"), "The assessing institution's ID.")),
        ("date", reference("date")),
        ("verdict", enumeration(Verdict::NAMES)),
        ("note", opt_text()),
        ("url", json!({"type": ["string", "null"], "format": "uri"})),
    ])
}

fn commitment() -> Value {
    object(vec![
        ("plan", describe(reference("id"), "The plan's ID.")),
        ("id", reference("id")),
        ("number", describe(json!({"type": "integer", "minimum": 0}), "The number in the official plan.")),
        ("title", text()),
        ("area", describe(reference("id"), "The area's ID.")),
        ("lead", describe(reference("id"), "The lead institution's ID.")),
        ("partners", describe(ids(), "Partner institution IDs.")),
        ("ogp_values", list(enumeration(OgpValue::NAMES))),
        ("problem", opt_text()),
        ("solution", opt_text()),
        ("results", opt_text()),
        ("notes", opt_text()),
        (
            "progress",
            describe(
                nullable(reference("progress")),
                "Derived: the sheet's own latest report when it is the most recent, else the weighted mean of the non-cancelled activities that have a figure; one decimal; null when nothing was reported.",
            ),
        ),
        ("status", describe(reference("commitment_status"), "Derived on the as_of date.")),
        ("reported_activities", describe(json!({"type": "integer", "minimum": 0}), "Non-cancelled activities with a figure.")),
        ("activity_count", describe(json!({"type": "integer", "minimum": 0}), "Non-cancelled activities the sheet lists.")),
        ("last_report", describe(opt_date(), "The latest report date, its own or an activity's.")),
        ("stale", describe(json!({"type": "boolean"}), "No report within stale_after_months before as_of while the work is under way.")),
        ("updates", describe(list(reference("report")), "Reports on the commitment as a whole, oldest first.")),
        ("activities", list(reference("activity"))),
        ("indicators", list(reference("indicator"))),
        ("participation", list(reference("participation"))),
        ("assessments", describe(list(reference("assessment")), "Independent verdicts.")),
        ("url", reference("urls")),
    ])
}

fn group(mut fields: Vec<(&'static str, Value)>, after: Vec<(&'static str, Value)>, whose: &str) -> Value {
    fields.extend([
        (
            "progress",
            describe(
                nullable(reference("progress")),
                &format!("Derived: the mean progress of {whose} that have a figure, one decimal; null when none has."),
            ),
        ),
        ("commitment_count", json!({"type": "integer", "minimum": 0})),
        ("reported_commitments", describe(json!({"type": "integer", "minimum": 0}), "How many commitments progress covers.")),
        ("stale_commitments", describe(json!({"type": "integer", "minimum": 0}), "How many commitments are stale.")),
        ("last_report", describe(opt_date(), "The latest report date among them.")),
        ("commitment_statuses", reference("commitment_status_counts")),
        ("activity_statuses", reference("activity_status_counts")),
    ]);
    fields.extend(after);
    object(fields)
}

fn plan() -> Value {
    group(
        vec![
            ("id", reference("id")),
            ("title", text()),
            ("summary", opt_text()),
            ("owner", describe(reference("id"), "The owning institution's ID.")),
            ("start", reference("date")),
            ("end", reference("date")),
            ("status", describe(enumeration(PlanStatus::NAMES), "As declared by the editors.")),
            ("phase", describe(enumeration(Phase::NAMES), "Derived from the plan's dates on as_of.")),
        ],
        vec![("url", reference("urls"))],
        "its commitments",
    )
}

fn area() -> Value {
    group(
        vec![("id", reference("id")), ("title", text()), ("description", opt_text()), ("order", json!({"type": "integer"}))],
        vec![("url", reference("urls"))],
        "its commitments",
    )
}

fn institution() -> Value {
    group(
        vec![
            ("id", reference("id")),
            ("name", text()),
            ("acronym", opt_text()),
            ("kind", enumeration(InstitutionKind::NAMES)),
            ("website", json!({"type": ["string", "null"], "format": "uri"})),
        ],
        vec![("url", reference("urls"))],
        "the commitments it leads",
    )
}

fn as_of() -> Value {
    describe(json!({"type": "string", "format": "date"}), "The date statuses are judged on (YYYY-MM-DD).")
}

fn index() -> Value {
    let file = object(vec![
        ("path", describe(json!({"type": "string"}), "Relative to this folder.")),
        ("url", json!({"type": "string", "format": "uri"})),
        ("format", json!({"type": "string", "enum": ["json", "csv", "jsonld", "turtle"]})),
        ("media_type", json!({"type": "string"})),
        ("description", json!({"type": "string"})),
        ("schema", describe(json!({"type": ["string", "null"], "format": "uri"}), "The JSON Schema of a JSON file.")),
    ]);
    object(vec![
        ("schema_version", json!({"const": super::SCHEMA_VERSION})),
        ("as_of", as_of()),
        ("title", text()),
        ("home", reference("urls")),
        ("languages", json!({"type": "array", "items": {"type": "string"}, "minItems": 1})),
        ("license", object(vec![("id", json!({"type": "string"})), ("url", json!({"type": "string", "format": "uri"}))])),
        ("files", list(file)),
    ])
}

fn datapackage() -> Value {
    // The shape this generator writes; the Frictionless profile is the normative one.
    let field = json!({
        "type": "object",
        "properties": {
            "name": {"type": "string"},
            "type": {"type": "string", "enum": ["string", "integer", "number", "boolean"]},
            "description": {"type": "string"},
            "constraints": {"type": "object"}
        },
        "required": ["name", "type", "description"],
        "additionalProperties": false
    });
    let foreign_key = json!({
        "type": "object",
        "properties": {
            "fields": {"type": "array", "items": {"type": "string"}},
            "reference": {
                "type": "object",
                "properties": {
                    "resource": {"type": "string"},
                    "fields": {"type": "array", "items": {"type": "string"}}
                },
                "required": ["resource", "fields"],
                "additionalProperties": false
            }
        },
        "required": ["fields", "reference"],
        "additionalProperties": false
    });
    let resource = object(vec![
        ("name", json!({"type": "string", "pattern": "^[a-z0-9._-]+$"})),
        ("path", json!({"type": "string"})),
        ("profile", json!({"const": "tabular-data-resource"})),
        ("title", json!({"type": "string"})),
        ("description", json!({"type": "string"})),
        ("format", json!({"const": "csv"})),
        ("mediatype", json!({"const": "text/csv"})),
        ("encoding", json!({"const": "utf-8"})),
        ("bytes", json!({"type": "integer", "minimum": 0})),
        ("dialect", json!({"type": "object"})),
        (
            "schema",
            object(vec![
                ("fields", list(field)),
                ("primaryKey", json!({"type": "array", "items": {"type": "string"}})),
                ("foreignKeys", list(foreign_key)),
            ]),
        ),
    ]);
    let license = object(vec![
        ("name", json!({"type": "string"})),
        ("path", json!({"type": "string", "format": "uri"})),
        ("title", json!({"type": "string"})),
    ]);
    object(vec![
        ("profile", json!({"const": "tabular-data-package"})),
        ("name", json!({"type": "string", "pattern": "^[a-z0-9._-]+$"})),
        ("title", json!({"type": "string"})),
        ("description", json!({"type": "string"})),
        ("homepage", json!({"type": "string", "format": "uri"})),
        (
            "catalog",
            describe(
                object(vec![
                    ("jsonld", json!({"type": "string", "format": "uri"})),
                    ("turtle", json!({"type": "string", "format": "uri"})),
                ]),
                "The DCAT-AP 3.0 catalog of the open data, in JSON-LD and in Turtle.",
            ),
        ),
        ("licenses", json!({"type": "array", "items": license, "minItems": 1})),
        ("resources", list(resource)),
    ])
}

/// The `$defs` a schema refers to, followed transitively.
fn used_definitions(root: &Value, all: &[(&'static str, Value)]) -> Map<String, Value> {
    fn refs(value: &Value, out: &mut Vec<String>) {
        match value {
            Value::Object(map) => {
                for (k, v) in map {
                    match (k.as_str(), v) {
                        ("$ref", Value::String(r)) => {
                            if let Some(name) = r.strip_prefix("#/$defs/") {
                                out.push(name.to_string());
                            }
                        }
                        _ => refs(v, out),
                    }
                }
            }
            Value::Array(items) => items.iter().for_each(|v| refs(v, out)),
            _ => {}
        }
    }
    let mut used = Map::new();
    let mut pending = Vec::new();
    refs(root, &mut pending);
    while let Some(name) = pending.pop() {
        if used.contains_key(&name) {
            continue;
        }
        if let Some((_, def)) = all.iter().find(|(n, _)| *n == name) {
            refs(def, &mut pending);
            used.insert(name, def.clone());
        }
    }
    used
}

/// The schema for `schema/NAME.schema.json`, `None` for an unknown name.
pub fn schema(name: &str, languages: &[String], schema_url: &str) -> Option<Value> {
    let wrapped = |key: &str, item: &str| object(vec![("as_of", as_of()), (key, list(reference(item)))]);
    let (title, body) = match name {
        "index" => ("Open-data index: what /data/v1/ holds", index()),
        "plans" => ("Action plans with their derived progress", wrapped("plans", "plan")),
        "areas" => ("Thematic areas with their derived progress", wrapped("areas", "area")),
        "institutions" => ("Institutions with the derived progress of the commitments they lead", wrapped("institutions", "institution")),
        "commitments" => ("Every commitment, ordered by plan then number", wrapped("commitments", "commitment")),
        "commitment" => {
            ("One commitment (plans/PLAN/commitments/ID.json)", object(vec![("as_of", as_of()), ("commitment", reference("commitment"))]))
        }
        "datapackage" => ("Frictionless data package over the CSV files", datapackage()),
        _ => return None,
    };
    let all = definitions(languages);
    let defs = used_definitions(&body, &all);
    let mut schema = Map::new();
    schema.insert("$schema".into(), json!(DRAFT));
    schema.insert("$id".into(), json!(schema_url));
    schema.insert("title".into(), json!(title));
    if let Value::Object(body) = body {
        schema.extend(body);
    }
    if !defs.is_empty() {
        schema.insert("$defs".into(), Value::Object(defs));
    }
    Some(Value::Object(schema))
}
