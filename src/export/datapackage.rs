//! `datapackage.json`: a Frictionless tabular data package (v1 profile, which validators
//! know without fetching anything) over the CSV tables, with field types, constraints,
//! primary and foreign keys and the data licence.

use serde_json::{Map, Value, json};

use super::csv::Table;
use super::json::Ctx;
use crate::urls::DATA_ROOT;

/// A data package name from the site's host: `https://www.gouvernement-ouvert.ma/` →
/// `gouvernement-ouvert-ma`.
pub fn package_name(base_url: &str) -> String {
    let host = base_url.split("://").nth(1).unwrap_or(base_url).split(['/', ':', '?', '#']).next().unwrap_or("");
    let host = host.strip_prefix("www.").unwrap_or(host);
    let mut name: String = host.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '-' }).collect();
    name = name.trim_matches('-').to_string();
    if name.is_empty() { "open-government-data".to_string() } else { name }
}

fn field(column: &super::csv::Column) -> Value {
    let mut constraints = Map::new();
    if column.required {
        constraints.insert("required".into(), json!(true));
    }
    if let Some(values) = &column.values {
        constraints.insert("enum".into(), json!(values));
    }
    if let Some(pattern) = column.pattern {
        constraints.insert("pattern".into(), json!(pattern));
    }
    if let Some(min) = column.minimum {
        constraints.insert("minimum".into(), json!(min as i64));
    }
    if let Some(max) = column.maximum {
        constraints.insert("maximum".into(), json!(max as i64));
    }
    let mut field = Map::new();
    field.insert("name".into(), json!(column.name));
    field.insert("type".into(), json!(column.kind.as_str()));
    field.insert("description".into(), json!(column.description));
    if !constraints.is_empty() {
        field.insert("constraints".into(), Value::Object(constraints));
    }
    Value::Object(field)
}

fn resource(table: &Table, bytes: usize) -> Value {
    let foreign_keys: Vec<Value> = table
        .foreign_keys
        .iter()
        .map(|fk| json!({"fields": fk.fields, "reference": {"resource": fk.resource, "fields": fk.reference}}))
        .collect();
    json!({
        "name": table.name,
        "path": table.file_name(),
        "profile": "tabular-data-resource",
        "title": table.title,
        "description": table.description,
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "bytes": bytes,
        "dialect": {"delimiter": ",", "doubleQuote": true, "lineTerminator": "\r\n", "quoteChar": "\"", "header": true},
        "schema": {
            "fields": table.columns.iter().map(field).collect::<Vec<_>>(),
            "primaryKey": table.primary_key,
            "foreignKeys": foreign_keys,
        },
    })
}

/// The descriptor; `tables` pairs each table with the size of its CSV file.
pub fn datapackage(ctx: &Ctx, tables: &[(&Table, usize)]) -> Value {
    let config = &ctx.site.config;
    let default = config.default_language();
    let title = config.title.get(default).unwrap_or("Open government data").to_string();
    let license = &config.data_license;
    json!({
        "profile": "tabular-data-package",
        "name": package_name(&ctx.base_url),
        "title": title,
        "description": format!(
            "Open-government action plans, their commitments, activities and indicators, with statuses and progress as of {}. Texts have one column per language ({}). A text that a spreadsheet would run as a formula (starting with =, +, -, @, a tab or a carriage return) starts with an added apostrophe in the CSV files; the JSON files keep the exact text.",
            ctx.as_of(),
            ctx.languages.join(", ")
        ),
        "homepage": ctx.base_url,
        // The DCAT-AP catalog that describes this package among the other files.
        "catalog": {
            "jsonld": ctx.file_url(&format!("{DATA_ROOT}{}", super::catalog::JSON_LD)),
            "turtle": ctx.file_url(&format!("{DATA_ROOT}{}", super::catalog::TURTLE)),
        },
        "licenses": [{"name": license.id, "path": license.url, "title": license.id}],
        "resources": tables.iter().map(|(t, bytes)| resource(t, *bytes)).collect::<Vec<_>>(),
    })
}
