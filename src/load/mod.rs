//! Loading a portal: walk `content/`, parse each file, and build the [`Site`] model.
//!
//! Loading checks everything that one file can tell on its own (syntax, types, unknown
//! fields, dates, ranges); [`crate::validate`] then checks what spans several files.

pub mod decode;
mod dialect;
pub mod edit;
pub mod files;
pub mod yaml;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use rayon::prelude::*;

use crate::diagnostics::{Diagnostics, Sources};
use crate::language::{BUILT_IN, Dir, Language, Languages, Stemmer};
use crate::model::*;
use decode::{Field, Map, Reader, format_number, is_id};
use files::{SourceFile, split_front_matter};
use yaml::{Node, Value};

/// What loading produced: the model (with whatever could be read), the problems found,
/// and the source texts for error snippets.
pub struct Loaded {
    pub site: Site,
    pub diagnostics: Diagnostics,
    pub sources: Sources,
}

/// The languages assumed while `site.yaml` is missing or broken.
const FALLBACK_LANGUAGES: [&str; 2] = ["ar", "fr"];

/// Loads `root/content`. I/O errors on the root itself are returned as `Err`; every
/// problem inside the content becomes a diagnostic.
pub fn load(root: &Path) -> std::io::Result<Loaded> {
    let mut diagnostics = Diagnostics::default();
    let (files, refused): (Vec<SourceFile>, Vec<SourceFile>) =
        files::read_content(root, &mut diagnostics)?.into_iter().partition(|f| !f.refused);
    files::check_theme_links(root, &mut diagnostics);
    let templates = dialect::check_templates(root, &mut diagnostics);

    let mut site = Site::default();
    let site_file = files.iter().find(|f| f.parts == ["site.yaml"]);
    match site_file {
        // Its control characters are reported; do not say it is missing too.
        None if refused.iter().any(|f| f.parts == ["site.yaml"]) => {}
        Some(file) => {
            if let Some(config) = parse_yaml(file, &mut diagnostics).and_then(|node| read_site(file, &node, &mut diagnostics)) {
                site.config = config;
            }
        }
        None if files.iter().any(|f| f.parts == ["site.yml"]) => {
            diagnostics.error("content/site.yml", Pos::new(1, 1), "", "rename site.yml to site.yaml".into());
        }
        None => diagnostics.error(
            "content/site.yaml",
            Pos::new(1, 1),
            "",
            "content/site.yaml is missing; it declares the site's title and languages".into(),
        ),
    }
    if site.config.languages.is_empty() {
        site.config.languages = FALLBACK_LANGUAGES.iter().map(|l| l.to_string()).collect();
    }
    if site.config.language_table.rows().is_empty() {
        site.config.language_table = Languages::built_in(&site.config.languages);
    }
    let languages = site.config.languages.clone();

    // Every file is parsed and read on its own, in parallel; the results are then put
    // together in the files' order, so the outcome does not depend on the scheduling.
    // A refused plan.yaml still makes its folder a plan's: its sheets are checked.
    let plan_folders: BTreeSet<&str> = files
        .iter()
        .chain(&refused)
        .filter_map(|f| match classify(&f.parts) {
            FileKind::Plan(plan) => Some(plan),
            _ => None,
        })
        .collect();
    let results: Vec<(Parsed, Diagnostics)> = files
        .par_iter()
        .map(|file| {
            let mut diagnostics = Diagnostics::default();
            let parsed = read_file(file, &languages, &plan_folders, &mut diagnostics);
            (parsed, diagnostics)
        })
        .collect();

    let mut plans: Vec<(String, Option<Plan>)> = Vec::new();
    let mut commitments: BTreeMap<String, Vec<Commitment>> = BTreeMap::new();
    for (parsed, file_diagnostics) in results {
        diagnostics.extend(file_diagnostics);
        match parsed {
            Parsed::Nothing => {}
            Parsed::Area(area) => site.areas.push(area),
            Parsed::Institution(institution) => site.institutions.push(institution),
            Parsed::Plan(id, plan) => plans.push((id, plan)),
            Parsed::Commitment(plan, commitment) => commitments.entry(plan).or_default().push(commitment),
            Parsed::Page(page) => site.pages.push(page),
            Parsed::News(post) => site.news.push(post),
        }
    }
    // The sheets of a plan whose plan.yaml is broken were read for their own mistakes,
    // but are kept only with a plan.
    for (id, plan) in plans {
        if let Some(mut plan) = plan {
            plan.commitments = commitments.remove(&id).unwrap_or_default();
            site.plans.push(plan);
        }
    }

    site.sort();
    // Refused files are shown too: their snippets point at the control characters.
    let sources = files.into_iter().chain(refused).map(|f| (f.path, f.text)).chain(templates).collect();
    Ok(Loaded { site, diagnostics, sources })
}

/// What one file gave.
enum Parsed {
    Nothing,
    Area(Area),
    Institution(Institution),
    /// A plan's ID with the plan, if its plan.yaml could be read.
    Plan(String, Option<Plan>),
    /// A commitment with its plan's ID.
    Commitment(String, Commitment),
    Page(Page),
    News(NewsPost),
}

/// What a file under `content/` is, from its path alone (split in `parts`): the one
/// reading of the content folder's layout, for the loader and for `serve`'s reload.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind<'p> {
    Site,
    /// `areas/NAME`
    Area(&'p str),
    /// `institutions/NAME`
    Institution(&'p str),
    /// `plans/PLAN/plan.yaml`
    Plan(&'p str),
    /// `plans/PLAN/commitments/NAME`
    Commitment {
        plan: &'p str,
        name: &'p str,
    },
    /// `pages/NAME`
    Page(&'p str),
    /// `news/NAME`
    News(&'p str),
    /// Not part of the content format.
    Unknown,
}

pub fn classify(parts: &[String]) -> FileKind<'_> {
    let parts: Vec<&str> = parts.iter().map(String::as_str).collect();
    match parts.as_slice() {
        ["site.yaml"] => FileKind::Site,
        ["areas", name] => FileKind::Area(name),
        ["institutions", name] => FileKind::Institution(name),
        ["plans", plan, "plan.yaml"] => FileKind::Plan(plan),
        ["plans", plan, "commitments", name] => FileKind::Commitment { plan, name },
        ["pages", name] => FileKind::Page(name),
        ["news", name] => FileKind::News(name),
        _ => FileKind::Unknown,
    }
}

/// Parses and reads one file (site.yaml aside), reporting its problems.
fn read_file(file: &SourceFile, languages: &[String], plan_folders: &BTreeSet<&str>, diagnostics: &mut Diagnostics) -> Parsed {
    let parts: Vec<&str> = file.parts.iter().map(String::as_str).collect();
    let parsed = match classify(&file.parts) {
        FileKind::Site => None,
        FileKind::Area(name) => yaml_id(file, name, diagnostics)
            .and_then(|id| with_node(file, diagnostics, |node, r| read_area(id, node, r), languages))
            .map(Parsed::Area),
        FileKind::Institution(name) => yaml_id(file, name, diagnostics)
            .and_then(|id| with_node(file, diagnostics, |node, r| read_institution(id, node, r), languages))
            .map(Parsed::Institution),
        FileKind::Plan(plan) => {
            let read = if is_id(plan) {
                with_node(file, diagnostics, |node, r| read_plan(plan, node, r), languages)
            } else {
                diagnostics.error(
                    &file.path,
                    Pos::new(1, 1),
                    "",
                    format!("the plan folder name \"{plan}\" is not a valid identifier; use lower-case letters, digits and hyphens"),
                );
                None
            };
            Some(Parsed::Plan(plan.to_string(), read))
        }
        FileKind::Commitment { plan, name } => {
            if !plan_folders.contains(plan) {
                diagnostics.error(
                    &file.path,
                    Pos::new(1, 1),
                    "",
                    format!("this commitment's plan has no plan.yaml (expected content/plans/{plan}/plan.yaml)"),
                );
                return Parsed::Nothing;
            }
            yaml_id(file, name, diagnostics)
                .and_then(|id| with_node(file, diagnostics, |node, r| read_commitment(plan, id, &file.path, node, r), languages))
                .map(|c| Parsed::Commitment(plan.to_string(), c))
        }
        FileKind::Page(name) => read_page(file, name, languages, diagnostics).map(Parsed::Page),
        FileKind::News(name) => read_news(file, name, languages, diagnostics).map(Parsed::News),
        FileKind::Unknown => {
            diagnostics.warning(&file.path, Pos::new(1, 1), "", unexpected_file_message(&parts));
            None
        }
    };
    parsed.unwrap_or(Parsed::Nothing)
}

fn unexpected_file_message(parts: &[&str]) -> String {
    let name = parts.last().copied().unwrap_or_default();
    if name.ends_with(".yml") {
        return "YAML files must end in .yaml, not .yml; this file is ignored".into();
    }
    "this file is not part of content format v1 (site.yaml, areas/, institutions/, plans/, pages/, news/) and is ignored".into()
}

fn parse_yaml(file: &SourceFile, diagnostics: &mut Diagnostics) -> Option<Node> {
    match yaml::parse(&file.text, 0) {
        Ok(node) => Some(node),
        Err(err) => {
            diagnostics.error(&file.path, err.pos, "", err.message);
            None
        }
    }
}

fn with_node<T>(
    file: &SourceFile,
    diagnostics: &mut Diagnostics,
    read: impl FnOnce(&Node, &mut Reader) -> Option<T>,
    languages: &[String],
) -> Option<T> {
    let node = parse_yaml(file, diagnostics)?;
    let mut reader = Reader { path: &file.path, languages, diagnostics };
    read(&node, &mut reader)
}

fn fallback_row(code: &str) -> Language {
    Language::built_in(code).unwrap_or_else(|| Language::placeholder(code))
}

/// The fields of a language's entry in `site.yaml`'s `languages:` list.
const LANGUAGE_FIELDS: [&str; 14] = [
    "code",
    "partial",
    "name",
    "english_name",
    "dir",
    "fallback",
    "stemmer",
    "months",
    "date_format",
    "month_format",
    "first_day",
    "decimal_separator",
    "thousands_separator",
    "percent_format",
];

/// `languages:` in `site.yaml`: a list whose items are a code (`ar`, a built-in row) or
/// a map with `code` and the fields that override the built-in row or, for a language
/// that has none, describe it (`name`, `dir` and `months` then required).
fn read_languages(list: &Node, field: &Field, reader: &mut Reader) -> Vec<Language> {
    let items = reader.list(list, field).unwrap_or_default();
    let mut rows: Vec<Language> = Vec::new();
    let mut described = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let item_field = field.item(i, "language");
        let (code, map) = match &item.value {
            Value::Map(_) => {
                let Some(map) = reader.map(item, &item_field, &LANGUAGE_FIELDS) else { continue };
                let Some(code) = reader.required(&map, "code", &item_field).and_then(|n| reader.string(n, &item_field.key("code"))) else {
                    continue;
                };
                (code, Some(map))
            }
            _ => match reader.string(item, &item_field) {
                Some(code) => (code, None),
                None => continue,
            },
        };
        let valid = (2..=3).contains(&code.len()) && code.bytes().all(|b| b.is_ascii_lowercase());
        if !valid {
            reader.error(
                item.pos,
                &item_field,
                format!("language \"{code}\" must be a two- or three-letter ISO 639 code such as ar, fr or zgh"),
            );
            continue;
        }
        if rows.iter().any(|r| r.code == code) {
            reader.error(item.pos, &item_field, format!("language \"{code}\" is listed twice"));
            continue;
        }
        let row = match (Language::built_in(&code), map) {
            (Some(row), None) => row,
            (None, None) => {
                reader.error(
                    item.pos,
                    &item_field,
                    format!(
                        "language \"{code}\" is not built in ({}); describe it with a map such as {{code: {code}, name: ..., dir: ltr, months: [...]}}",
                        BUILT_IN.join(", ")
                    ),
                );
                Language::placeholder(&code)
            }
            (built_in, Some(map)) => {
                described.push((code.clone(), i, map.pos));
                read_language_row(&code, built_in, &map, &item_field, reader)
            }
        };
        rows.push(row);
    }
    if items.is_empty() {
        reader.error(list.pos, field, "\"languages\" must list at least one language, the default first".into());
    }
    // A fallback must be one of the site's languages (a built-in row's own fallback is
    // not checked: only those a described entry gives). The entry is named by its place
    // in the list as written, which rows refused or listed twice do not hold.
    for row in &rows {
        let Some((_, index, pos)) = described.iter().find(|(c, _, _)| c == &row.code) else { continue };
        for l in &row.fallback {
            if l == &row.code || !rows.iter().any(|r| &r.code == l) {
                let declared = rows.iter().map(|r| r.code.as_str()).collect::<Vec<_>>().join(", ");
                reader.error(
                    *pos,
                    &field.item(*index, "language").key("fallback"),
                    format!("the fallback \"{l}\" of language \"{}\" must be another of the site's languages ({declared})", row.code),
                );
            }
        }
    }
    rows
}

/// One language's entry given as a map: the built-in row with the fields it gives, or a
/// new row (which must give `name`, `dir` and `months`).
fn read_language_row(code: &str, built_in: Option<Language>, map: &Map, field: &Field, reader: &mut Reader) -> Language {
    let is_new = built_in.is_none();
    let mut row = built_in.unwrap_or_else(|| Language::placeholder(code));
    if is_new {
        row.english_name = code.to_string();
        for key in ["name", "dir", "months"] {
            if map.get(key).is_none() {
                reader.error(
                    map.pos,
                    &field.key(key),
                    format!("language \"{code}\" is not built in ({}), so its entry must give \"{key}\"", BUILT_IN.join(", ")),
                );
            }
        }
    }
    let text = |key: &str, reader: &mut Reader| map.get(key).and_then(|n| reader.non_empty_string(n, &field.key(key)));
    if let Some(name) = text("name", reader) {
        row.name = name;
    }
    if let Some(name) = text("english_name", reader) {
        row.english_name = name;
    }
    if let Some(n) = map.get("dir")
        && let Some(dir) = reader.keyword(n, &field.key("dir"), &["ltr", "rtl"], Dir::parse)
    {
        row.dir = dir;
    }
    if let Some(n) = map.get("stemmer")
        && let Some(stemmer) = reader.keyword(n, &field.key("stemmer"), &Stemmer::NAMES, Stemmer::parse)
    {
        row.stemmer = stemmer;
    }
    if let Some(n) = map.get("fallback") {
        let f = field.key("fallback");
        if let Some(items) = reader.list(n, &f) {
            row.fallback = items.iter().enumerate().filter_map(|(i, item)| reader.string(item, &f.item(i, "language"))).collect();
        }
    }
    if let Some(n) = map.get("months") {
        let f = field.key("months");
        if let Some(items) = reader.list(n, &f) {
            let months: Vec<String> =
                items.iter().enumerate().filter_map(|(i, item)| reader.non_empty_string(item, &f.item(i, "month"))).collect();
            if items.len() != 12 {
                reader.error(n.pos, &f, format!("\"months\" must list the twelve month names, January first; found {}", items.len()));
            } else if months.len() == 12 {
                row.months = months;
            }
        }
    }
    for (key, placeholders) in [
        ("date_format", &["{day}", "{month}", "{year}"][..]),
        ("month_format", &["{month}", "{year}"][..]),
        ("percent_format", &["{n}"][..]),
    ] {
        let Some(n) = map.get(key) else { continue };
        let Some(value) = reader.string(n, &field.key(key)) else { continue };
        let absent: Vec<&str> = placeholders.iter().copied().filter(|p| !value.contains(p)).collect();
        if !absent.is_empty() {
            reader.error(n.pos, &field.key(key), format!("\"{key}\" (\"{value}\") must contain {}", absent.join(" and ")));
            continue;
        }
        match key {
            "date_format" => row.date_format = value,
            "month_format" => row.month_format = value,
            _ => row.percent_format = value,
        }
    }
    if let Some(n) = map.get("first_day") {
        row.first_day = reader.non_empty_string(n, &field.key("first_day"));
    }
    if let Some(n) = map.get("partial")
        && let Some(partial) = reader.keyword(n, &field.key("partial"), &["true", "false"], |t| t.parse::<bool>().ok())
    {
        row.partial = partial;
    }
    if let Some(n) = map.get("decimal_separator")
        && let Some(s) = reader.non_empty_string(n, &field.key("decimal_separator"))
    {
        row.decimal_separator = s;
    }
    if let Some(n) = map.get("thousands_separator")
        && let Some(s) = reader.string(n, &field.key("thousands_separator"))
    {
        row.thousands_separator = s;
    }
    row
}

/// The ID a `NAME.yaml` file name gives, if it is one.
fn yaml_id<'f>(file: &SourceFile, name: &'f str, diagnostics: &mut Diagnostics) -> Option<&'f str> {
    let Some(stem) = name.strip_suffix(".yaml") else {
        let message = if name.ends_with(".yml") {
            "YAML files must end in .yaml, not .yml".to_string()
        } else {
            format!("\"{name}\" is not a .yaml file; only .yaml files belong here")
        };
        diagnostics.error(&file.path, Pos::new(1, 1), "", message);
        return None;
    };
    if !is_id(stem) {
        diagnostics.error(
            &file.path,
            Pos::new(1, 1),
            "",
            format!("the file name \"{stem}\" is not a valid identifier; use lower-case letters, digits and hyphens (at most 64)"),
        );
        return None;
    }
    Some(stem)
}

fn read_site(file: &SourceFile, node: &Node, diagnostics: &mut Diagnostics) -> Option<SiteConfig> {
    let root = Field::root();
    // The languages must be known before any text can be read.
    let mut reader = Reader { path: &file.path, languages: &[], diagnostics };
    let map = reader.map(
        node,
        &root,
        &[
            "title",
            "description",
            "base_url",
            "languages",
            "data_license",
            "as_of",
            "stale_after_months",
            "page_size",
            "publisher",
            "contact_email",
            "spatial_coverage",
            "repository",
        ],
    )?;
    let table = match reader.required(&map, "languages", &root) {
        Some(list) => read_languages(list, &root.key("languages"), &mut reader),
        None => Vec::new(),
    };
    let table = if table.is_empty() { FALLBACK_LANGUAGES.iter().map(|l| fallback_row(l)).collect() } else { table };
    let languages: Vec<String> = table.iter().map(|l| l.code.clone()).collect();
    let mut r = Reader { path: &file.path, languages: &languages, diagnostics };
    let title = r.required(&map, "title", &root).and_then(|n| r.required_text(n, &root.key("title")));
    let description = map.get("description").and_then(|n| r.text(n, &root.key("description")));
    let base_url = r.required(&map, "base_url", &root).and_then(|n| {
        // Written into every link: the same rule as `build --base-url`.
        let url = r.url(n, &root.key("base_url"))?;
        crate::urls::check_base_url(&url).map_err(|why| r.error(n.pos, &root.key("base_url"), format!("\"base_url\" is {why}"))).ok()
    });
    let data_license = r.required(&map, "data_license", &root).and_then(|n| read_license(n, &root.key("data_license"), &mut r));
    let as_of = map.get("as_of").and_then(|n| r.date(n, &root.key("as_of")));
    let stale_after_months = match map.get("stale_after_months") {
        None => None,
        Some(n) => r.count(n, &root.key("stale_after_months")).and_then(|months| match u32::try_from(months) {
            Ok(m @ 1..=120) => Some(Some(m)),
            _ => {
                r.error(n.pos, &root.key("stale_after_months"), format!("\"stale_after_months\" ({months}) must be between 1 and 120"));
                None
            }
        }),
    };
    let page_size = match map.get("page_size") {
        None => None,
        Some(n) => r.count(n, &root.key("page_size")).and_then(|size| match u32::try_from(size) {
            Ok(s @ 5..=1000) => Some(s),
            _ => {
                r.error(n.pos, &root.key("page_size"), format!("\"page_size\" ({size}) must be between 5 and 1000"));
                None
            }
        }),
    };
    let publisher = map.get("publisher").and_then(|n| r.reference(n, &root.key("publisher")));
    let contact_email = map.get("contact_email").and_then(|n| read_email(n, &root.key("contact_email"), &mut r));
    let spatial_coverage =
        map.get("spatial_coverage").map(|n| read_urls(n, &root.key("spatial_coverage"), "\"spatial_coverage\" entry", &mut r));
    // The content repository's web address: a revision links to `REPOSITORY/commit/ID`.
    let repository = map.get("repository").and_then(|n| r.url(n, &root.key("repository")));
    Some(SiteConfig {
        title: title?,
        description: description.unwrap_or_default(),
        base_url: base_url?,
        languages,
        language_table: Languages::new(table),
        data_license: data_license?,
        as_of,
        stale_after_months: stale_after_months.flatten(),
        page_size,
        publisher,
        contact_email,
        spatial_coverage: spatial_coverage.unwrap_or_default(),
        repository: repository.map(|url| url.trim_end_matches('/').to_string()),
    })
}

/// An e-mail address as a catalog's contact point needs it: `name@host.tld`, without
/// `mailto:` (the catalog adds it) and without a display name.
fn read_email(node: &Node, field: &Field, r: &mut Reader) -> Option<String> {
    let text = r.string(node, field)?;
    let well_formed = match text.split_once('@') {
        Some((local, host)) => {
            !local.is_empty()
                && !host.contains('@')
                && host.contains('.')
                && !host.starts_with('.')
                && !host.ends_with('.')
                && !text.contains(|c: char| c.is_whitespace() || "<>(),;:\\\"[]".contains(c))
        }
        None => false,
    };
    if !well_formed {
        let hint = if text.starts_with("mailto:") { "; write it without \"mailto:\"" } else { "" };
        r.error(node.pos, field, format!("{} (\"{text}\") must be an e-mail address such as opendata@example.org{hint}", field.human()));
        return None;
    }
    Some(text)
}

/// A list of web addresses; a malformed item is reported and left out.
fn read_urls(node: &Node, field: &Field, noun: &str, r: &mut Reader) -> Vec<String> {
    let Some(items) = r.list(node, field) else { return Vec::new() };
    items.iter().enumerate().filter_map(|(i, item)| r.url(item, &field.item(i, noun))).collect()
}

fn read_license(node: &Node, field: &Field, r: &mut Reader) -> Option<License> {
    let map = r.map(node, field, &["id", "url"])?;
    let id = r.required(&map, "id", field).and_then(|n| r.string(n, &field.key("id")));
    let url = r.required(&map, "url", field).and_then(|n| r.url(n, &field.key("url")));
    Some(License { id: id?, url: url? })
}

fn read_area(id: &str, node: &Node, r: &mut Reader) -> Option<Area> {
    let root = Field::root();
    let map = r.map(node, &root, &["title", "description", "order"])?;
    let title = r.required(&map, "title", &root).and_then(|n| r.required_text(n, &root.key("title")));
    let description = map.get("description").and_then(|n| r.text(n, &root.key("description")));
    let order = map.get("order").and_then(|n| r.integer(n, &root.key("order")));
    Some(Area { id: id.to_string(), title: title?, description, order: order.unwrap_or(0) })
}

fn read_institution(id: &str, node: &Node, r: &mut Reader) -> Option<Institution> {
    let root = Field::root();
    let map = r.map(node, &root, &["name", "acronym", "kind", "url"])?;
    let name = r.required(&map, "name", &root).and_then(|n| r.required_text(n, &root.key("name")));
    let acronym = map.get("acronym").and_then(|n| r.text(n, &root.key("acronym")));
    let kind =
        r.required(&map, "kind", &root).and_then(|n| r.keyword(n, &root.key("kind"), InstitutionKind::NAMES, InstitutionKind::parse));
    let url = map.get("url").and_then(|n| r.url(n, &root.key("url")));
    Some(Institution { id: id.to_string(), name: name?, acronym, kind: kind?, url })
}

fn read_plan(id: &str, node: &Node, r: &mut Reader) -> Option<Plan> {
    let root = Field::root();
    let map = r.map(node, &root, &["title", "summary", "owner", "start", "end", "status"])?;
    let title = r.required(&map, "title", &root).and_then(|n| r.required_text(n, &root.key("title")));
    let summary = map.get("summary").and_then(|n| r.text(n, &root.key("summary")));
    let owner = r.required(&map, "owner", &root).and_then(|n| r.reference(n, &root.key("owner")));
    let start = r.required(&map, "start", &root).and_then(|n| r.date(n, &root.key("start")));
    let end = r.required(&map, "end", &root).and_then(|n| r.date(n, &root.key("end")));
    let status = r.required(&map, "status", &root).and_then(|n| r.keyword(n, &root.key("status"), PlanStatus::NAMES, PlanStatus::parse));
    if let (Some(start), Some(end), Some(end_node)) = (start, end, map.get("end")) {
        check_order(r, &root, start, end, end_node);
    }
    Some(Plan {
        id: id.to_string(),
        title: title?,
        summary,
        owner: owner?,
        start: start?,
        end: end?,
        status: status?,
        commitments: Vec::new(),
    })
}

/// Reports an end that comes before its start, comparing the periods' first days.
fn check_order(r: &mut Reader, owner: &Field, start: Date, end: Date, end_node: &Node) {
    if end.last_day() < start.first_day() {
        let end_field = owner.key("end");
        let prefix = end_field.human();
        r.error(end_node.pos, &end_field, format!("{prefix} ({end}) is before its \"start\" ({start})"));
    }
}

const COMMITMENT_FIELDS: &[&str] = &[
    "number",
    "title",
    "area",
    "lead",
    "partners",
    "ogp_values",
    "problem",
    "solution",
    "results",
    "notes",
    "progress",
    "updates",
    "activities",
    "indicators",
    "participation",
    "assessments",
];

fn read_commitment(plan: &str, id: &str, source: &str, node: &Node, r: &mut Reader) -> Option<Commitment> {
    let root = Field::root();
    let map = r.map(node, &root, COMMITMENT_FIELDS)?;
    let number_node = r.required(&map, "number", &root);
    let number = number_node.and_then(|n| r.count(n, &root.key("number")));
    let number = match number {
        Some(0) => {
            r.error(number_node.map_or(map.pos, |n| n.pos), &root.key("number"), "\"number\" must be 1 or more".into());
            None
        }
        Some(n) => match u32::try_from(n) {
            Ok(n) => Some(n),
            Err(_) => {
                r.error(
                    number_node.map_or(map.pos, |n| n.pos),
                    &root.key("number"),
                    format!("\"number\" ({n}) is too large for a commitment number"),
                );
                None
            }
        },
        None => None,
    };
    let title = r.required(&map, "title", &root).and_then(|n| r.required_text(n, &root.key("title")));
    let area = r.required(&map, "area", &root).and_then(|n| r.reference(n, &root.key("area")));
    let lead = r.required(&map, "lead", &root).and_then(|n| r.reference(n, &root.key("lead")));
    let partners = read_partners(&map, &root, r);
    check_lead_not_partner(&map, lead.as_ref(), r);
    let ogp_values = map.get("ogp_values").map(|n| read_ogp_values(n, &root.key("ogp_values"), r)).unwrap_or_default();
    let optional_text = |key: &str, r: &mut Reader| map.get(key).and_then(|n| r.text(n, &root.key(key)));
    let problem = optional_text("problem", r);
    let solution = optional_text("solution", r);
    let results = optional_text("results", r);
    let notes = optional_text("notes", r);
    let progress = map.get("progress").and_then(|n| r.progress(n, &root.key("progress")));
    let updates = read_reports(&map, &root, None, r);
    refuse_both_progress_forms(&map, &root, r);
    let activities = read_list(&map, "activities", "activity", r, read_activity);
    let indicators = read_list(&map, "indicators", "indicator", r, read_indicator);
    let participation = read_list(&map, "participation", "consultation", r, read_participation);
    let assessments = read_list(&map, "assessments", "assessment", r, read_assessment);
    Some(Commitment {
        id: id.to_string(),
        plan: plan.to_string(),
        source: source.to_string(),
        number: number?,
        number_pos: number_node.map_or(map.pos, |n| n.pos),
        title: title?,
        area: area?,
        lead: lead?,
        partners,
        ogp_values,
        problem,
        solution,
        results,
        notes,
        progress,
        updates,
        activities,
        indicators,
        participation,
        assessments,
    })
}

/// The `partners:` of a sheet or an activity: institution IDs, each listed once. A
/// repeated one is reported and kept, so later messages still number the list as written.
fn read_partners(map: &decode::Map, owner: &Field, r: &mut Reader) -> Vec<Ref> {
    let field = owner.key("partners");
    let Some(node) = map.get("partners") else { return Vec::new() };
    let Some(items) = r.list(node, &field) else { return Vec::new() };
    let mut partners: Vec<Ref> = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let item_field = field.item(i, "partner");
        let Some(partner) = r.reference(item, &item_field) else { continue };
        if partners.iter().any(|p| p.id == partner.id) {
            r.error(partner.pos, &item_field, format!("{} (\"{}\") is listed twice", item_field.human(), partner.id));
        }
        partners.push(partner);
    }
    partners
}

/// The lead institution is not also one of the sheet's partners.
fn check_lead_not_partner(map: &decode::Map, lead: Option<&Ref>, r: &mut Reader) {
    let (Some(lead), Some(Value::Seq(items))) = (lead, map.get("partners").map(|n| &n.value)) else { return };
    for (i, item) in items.iter().enumerate() {
        if matches!(&item.value, Value::Scalar { text, .. } if *text == lead.id) {
            let field = Field::root().key("partners").item(i, "partner");
            r.error(
                item.pos,
                &field,
                format!("{} (\"{}\") is also the commitment's \"lead\"; list it only as the lead", field.human(), lead.id),
            );
        }
    }
}

fn read_ogp_values(node: &Node, field: &Field, r: &mut Reader) -> Vec<OgpValue> {
    let Some(items) = r.list(node, field) else { return Vec::new() };
    let mut values = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let item_field = field.item(i, "OGP value");
        if let Some(value) = r.keyword(item, &item_field, OgpValue::NAMES, OgpValue::parse) {
            if values.contains(&value) {
                r.error(item.pos, &item_field, format!("OGP value \"{value}\" is listed twice"));
            } else {
                values.push(value);
            }
        }
    }
    values
}

/// Reads an optional list field whose items are each read by `read_item`.
fn read_list<T>(
    map: &decode::Map,
    key: &str,
    noun: &str,
    r: &mut Reader,
    read_item: fn(&Node, &Field, &mut Reader) -> Option<T>,
) -> Vec<T> {
    let field = Field::root().key(key);
    let Some(node) = map.get(key) else { return Vec::new() };
    let Some(items) = r.list(node, &field) else { return Vec::new() };
    items.iter().enumerate().filter_map(|(i, item)| read_item(item, &field.item(i, noun), r)).collect()
}

const ACTIVITY_FIELDS: &[&str] =
    &["title", "start", "end", "weight", "replanned", "updates", "progress", "status", "cost", "funding", "partners"];

fn read_activity(node: &Node, field: &Field, r: &mut Reader) -> Option<Activity> {
    let map = r.map(node, field, ACTIVITY_FIELDS)?;
    let title = r.required(&map, "title", field).and_then(|n| r.required_text(n, &field.key("title")));
    let start = r.required(&map, "start", field).and_then(|n| r.date(n, &field.key("start")));
    let end = r.required(&map, "end", field).and_then(|n| r.date(n, &field.key("end")));
    if let (Some(start), Some(end), Some(end_node)) = (start, end, map.get("end")) {
        check_order(r, field, start, end, end_node);
    }
    let weight = read_weight(&map, field, r);
    let replanned = read_replannings(&map, field, start, end, r);
    let progress = map.get("progress").and_then(|n| r.progress(n, &field.key("progress")));
    let updates = read_reports(&map, field, start, r);
    refuse_both_progress_forms(&map, field, r);
    let cancelled = read_cancelled(&map, field, r);
    let cost = map.get("cost").and_then(|n| read_cost(n, &field.key("cost"), r));
    let funding = map.get("funding").and_then(|n| r.text(n, &field.key("funding")));
    let partners = read_partners(&map, field, r);
    Some(Activity {
        title: title?,
        start: start?,
        end: end?,
        // A wrong weight is reported; the activity stays so later checks number it right.
        weight: weight.unwrap_or(1.0),
        replanned,
        updates,
        progress,
        cancelled,
        cost,
        funding,
        partners,
    })
}

/// `status:` is only ever `cancelled`; every other status is derived.
fn read_cancelled(map: &decode::Map, field: &Field, r: &mut Reader) -> bool {
    let Some(n) = map.get("status") else { return false };
    let status_field = field.key("status");
    match r.string(n, &status_field).as_deref() {
        Some("cancelled") => true,
        Some(other) => {
            r.error(
                n.pos,
                &status_field,
                format!(
                    "{} (\"{other}\") can only be \"cancelled\"; every other status is computed from reports and dates",
                    status_field.human()
                ),
            );
            false
        }
        None => false,
    }
}

/// An activity's share in its commitment's progress: a positive number, 1 by default.
fn read_weight(map: &decode::Map, field: &Field, r: &mut Reader) -> Option<f64> {
    let Some(node) = map.get("weight") else { return Some(1.0) };
    let weight_field = field.key("weight");
    let weight = r.number(node, &weight_field)?;
    if weight <= 0.0 || weight > 1000.0 {
        r.error(
            node.pos,
            &weight_field,
            format!("{} ({}) must be more than 0 and at most 1000", weight_field.human(), format_number(weight)),
        );
        return None;
    }
    Some(weight)
}

/// The undated `progress` is one report without a date; a list of dated reports
/// replaces it, so both at once would leave the reader guessing which one counts.
fn refuse_both_progress_forms(map: &decode::Map, field: &Field, r: &mut Reader) {
    if let (Some(progress), Some(_)) = (map.get("progress"), map.get("updates")) {
        let progress_field = field.key("progress");
        r.error(
            progress.pos,
            &progress_field,
            format!(
                "{} is given together with \"updates\"; move the figure into a dated report under \"updates\" and remove \"progress\"",
                progress_field.human()
            ),
        );
    }
}

/// The dated reports of a sheet or an activity (`updates:`), checked as an editor
/// expects: dates ascending and none twice (errors), none before the activity's start and no fall in
/// progress without a note explaining it (warnings).
fn read_reports(map: &decode::Map, owner: &Field, start: Option<Date>, r: &mut Reader) -> Vec<Report> {
    let field = owner.key("updates");
    let Some(node) = map.get("updates") else { return Vec::new() };
    let Some(items) = r.list(node, &field) else { return Vec::new() };
    let mut reports: Vec<Report> = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let item_field = field.item(i, "report");
        let Some((report, progress_pos)) = read_report(item, &item_field, r) else { continue };
        if let Some(previous) = reports.last() {
            if report.date.first_day() < previous.date.first_day() {
                r.error(
                    report.pos,
                    &item_field.key("date"),
                    format!(
                        "{} ({}) is earlier than the report before it ({}); list reports oldest first",
                        item_field.key("date").human(),
                        report.date,
                        previous.date
                    ),
                );
            } else if report.date == previous.date {
                // Two reports of one date leave the figure to their order in the file: the
                // later would silently win, so the editor decides which one stands.
                r.error(
                    report.pos,
                    &item_field.key("date"),
                    format!(
                        "{} ({}) is the date of the report before it, on line {}; keep one report per date",
                        item_field.key("date").human(),
                        report.date,
                        previous.pos.line
                    ),
                );
            } else if report.progress < previous.progress && report.note.is_none() {
                r.warning(
                    progress_pos,
                    &item_field.key("progress"),
                    format!(
                        "{} ({}) is lower than the report before it ({}); add a \"note\" that says why progress went down",
                        item_field.key("progress").human(),
                        format_number(report.progress),
                        format_number(previous.progress)
                    ),
                );
            }
        }
        if let Some(start) = start
            && report.date.last_day() < start.first_day()
        {
            r.warning(
                report.pos,
                &item_field.key("date"),
                format!("{} ({}) is before the activity's \"start\" ({start})", item_field.key("date").human(), report.date),
            );
        }
        reports.push(report);
    }
    reports
}

/// One report, with the position of its `progress` for the warnings that compare it
/// with the report before.
fn read_report(node: &Node, field: &Field, r: &mut Reader) -> Option<(Report, Pos)> {
    let map = r.map(node, field, &["date", "progress", "by", "note", "evidence"])?;
    let date = r.required(&map, "date", field).and_then(|n| r.date(n, &field.key("date")));
    let progress = r.required(&map, "progress", field).and_then(|n| r.progress(n, &field.key("progress")));
    let by = map.get("by").and_then(|n| r.reference(n, &field.key("by")));
    let note = map.get("note").and_then(|n| r.text(n, &field.key("note")));
    let mut evidence = Vec::new();
    if let Some(list) = map.get("evidence") {
        let evidence_field = field.key("evidence");
        for (i, item) in r.list(list, &evidence_field).unwrap_or_default().iter().enumerate() {
            let item_field = evidence_field.item(i, "evidence");
            let Some(item_map) = r.map(item, &item_field, &["title", "url"]) else { continue };
            let title = item_map.get("title").and_then(|n| r.required_text(n, &item_field.key("title")));
            let url = item_map.get("url").and_then(|n| r.url(n, &item_field.key("url")));
            if title.is_none() && url.is_none() {
                if item_map.get("title").is_none() && item_map.get("url").is_none() {
                    r.error(item_map.pos, &item_field, format!("{} needs a \"title\", a \"url\" or both", item_field.human()));
                }
                continue;
            }
            evidence.push(Evidence { title, url });
        }
    }
    let date_pos = map.get("date").map_or(map.pos, |n| n.pos);
    let progress_pos = map.get("progress").map_or(map.pos, |n| n.pos);
    Some((Report { date: date?, pos: date_pos, progress: progress?, by, note, evidence }, progress_pos))
}

/// The decisions that moved an activity's end (`replanned:`), oldest first; each new
/// end must fall after the activity's start and differ from the end it replaces.
fn read_replannings(map: &decode::Map, owner: &Field, start: Option<Date>, end: Option<Date>, r: &mut Reader) -> Vec<Replanning> {
    let field = owner.key("replanned");
    let Some(node) = map.get("replanned") else { return Vec::new() };
    let Some(items) = r.list(node, &field) else { return Vec::new() };
    let mut decisions: Vec<Replanning> = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let item_field = field.item(i, "replanning");
        let Some(item_map) = r.map(item, &item_field, &["date", "end", "reason"]) else { continue };
        let date = r.required(&item_map, "date", &item_field).and_then(|n| r.date(n, &item_field.key("date")));
        let new_end = r.required(&item_map, "end", &item_field).and_then(|n| r.date(n, &item_field.key("end")));
        let reason = item_map.get("reason").and_then(|n| r.text(n, &item_field.key("reason")));
        let (Some(date), Some(new_end)) = (date, new_end) else { continue };
        let end_field = item_field.key("end");
        let end_pos = item_map.get("end").map_or(item_map.pos, |n| n.pos);
        if let Some(start) = start
            && new_end.last_day() < start.first_day()
        {
            r.error(end_pos, &end_field, format!("{} ({new_end}) is before the activity's \"start\" ({start})", end_field.human()));
        }
        let replaced = decisions.last().map(|d| d.end).or(end);
        if replaced == Some(new_end) {
            r.warning(end_pos, &end_field, format!("{} ({new_end}) is the end it replaces; remove this replanning", end_field.human()));
        }
        if let Some(previous) = decisions.last()
            && date.first_day() < previous.date.first_day()
        {
            r.error(
                item_map.get("date").map_or(item_map.pos, |n| n.pos),
                &item_field.key("date"),
                format!(
                    "{} ({date}) is earlier than the replanning before it ({}); list replannings oldest first",
                    item_field.key("date").human(),
                    previous.date
                ),
            );
        }
        if reason.is_none() {
            r.warning(item_map.pos, &item_field.key("reason"), format!("{} has no \"reason\"; say why the end moved", item_field.human()));
        }
        decisions.push(Replanning { date, pos: item_map.get("date").map_or(item_map.pos, |n| n.pos), end: new_end, reason });
    }
    decisions
}

fn read_cost(node: &Node, field: &Field, r: &mut Reader) -> Option<Cost> {
    let map = r.map(node, field, &["amount", "currency"])?;
    let amount_node = r.required(&map, "amount", field);
    let amount = amount_node.and_then(|n| r.number(n, &field.key("amount")));
    if let (Some(a), Some(n)) = (amount, amount_node)
        && a < 0.0
    {
        r.error(n.pos, &field.key("amount"), format!("{} ({}) must not be negative", field.key("amount").human(), format_number(a)));
    }
    let currency_node = r.required(&map, "currency", field);
    let currency = currency_node.and_then(|n| r.string(n, &field.key("currency")));
    if let (Some(c), Some(n)) = (&currency, currency_node)
        && (c.len() != 3 || !c.bytes().all(|b| b.is_ascii_uppercase()))
    {
        r.error(
            n.pos,
            &field.key("currency"),
            format!("{} (\"{c}\") must be an ISO 4217 code such as MAD or EUR", field.key("currency").human()),
        );
        return None;
    }
    Some(Cost { amount: amount.filter(|a| *a >= 0.0)?, currency: currency? })
}

fn read_measure(node: &Node, field: &Field, unit: Option<Unit>, r: &mut Reader) -> Option<Measure> {
    match unit {
        Some(Unit::Text) => r.string(node, field).map(Measure::Text),
        Some(Unit::Count | Unit::Percent) => {
            let value = r.number(node, field)?;
            if unit == Some(Unit::Count) && value < 0.0 {
                r.error(node.pos, field, format!("{} ({}) is a count and must not be negative", field.human(), format_number(value)));
                return None;
            }
            Some(Measure::Number(value))
        }
        // The unit itself is wrong and already reported; read what is there.
        None => match node.kind_name() {
            "a number" => r.number(node, field).map(Measure::Number),
            _ => r.string(node, field).map(Measure::Text),
        },
    }
}

fn read_indicator(node: &Node, field: &Field, r: &mut Reader) -> Option<Indicator> {
    let map = r.map(node, field, &["kind", "title", "unit", "baseline", "target", "values", "method", "source", "limits"])?;
    let kind = r.required(&map, "kind", field).and_then(|n| r.keyword(n, &field.key("kind"), IndicatorKind::NAMES, IndicatorKind::parse));
    let title = r.required(&map, "title", field).and_then(|n| r.required_text(n, &field.key("title")));
    let unit = r.required(&map, "unit", field).and_then(|n| r.keyword(n, &field.key("unit"), Unit::NAMES, Unit::parse));
    let baseline = map.get("baseline").and_then(|n| read_measure(n, &field.key("baseline"), unit, r));
    let target = map.get("target").and_then(|n| {
        let target_field = field.key("target");
        let target = r.map(n, &target_field, &["value", "date"])?;
        let value = r.required(&target, "value", &target_field).and_then(|v| read_measure(v, &target_field.key("value"), unit, r));
        let date = target.get("date").and_then(|d| r.date(d, &target_field.key("date")));
        Some(Target { value: value?, date })
    });
    let mut values = Vec::new();
    if let Some(list) = map.get("values") {
        let values_field = field.key("values");
        for (i, item) in r.list(list, &values_field).unwrap_or_default().iter().enumerate() {
            let item_field = values_field.item(i, "value");
            let Some(value_map) = r.map(item, &item_field, &["date", "value", "kind"]) else { continue };
            let date = r.required(&value_map, "date", &item_field).and_then(|n| r.date(n, &item_field.key("date")));
            let value = r.required(&value_map, "value", &item_field).and_then(|n| read_measure(n, &item_field.key("value"), unit, r));
            let kind = match value_map.get("kind") {
                Some(n) => r.keyword(n, &item_field.key("kind"), ValueKind::NAMES, ValueKind::parse),
                None => Some(ValueKind::Actual),
            };
            if let (Some(date), Some(value), Some(kind)) = (date, value, kind) {
                values.push(IndicatorValue { date, value, kind });
            }
        }
    }
    let method = map.get("method").and_then(|n| r.text(n, &field.key("method")));
    let source = map.get("source").and_then(|n| r.text(n, &field.key("source")));
    let limits = map.get("limits").and_then(|n| r.text(n, &field.key("limits")));
    Some(Indicator { kind: kind?, title: title?, unit: unit?, baseline, target, values, method, source, limits })
}

fn read_participation(node: &Node, field: &Field, r: &mut Reader) -> Option<Participation> {
    let map = r.map(node, field, &["date", "title", "channel", "participants", "women", "proposals"])?;
    let date = r.required(&map, "date", field).and_then(|n| r.date(n, &field.key("date")));
    let title = r.required(&map, "title", field).and_then(|n| r.required_text(n, &field.key("title")));
    let channel = map.get("channel").and_then(|n| r.keyword(n, &field.key("channel"), Channel::NAMES, Channel::parse));
    let participants = map.get("participants").and_then(|n| r.count(n, &field.key("participants")));
    let women = map.get("women").and_then(|n| r.count(n, &field.key("women")));
    let proposals = map.get("proposals").and_then(|n| r.count(n, &field.key("proposals")));
    if let (Some(p), Some(w), Some(n)) = (participants, women, map.get("women"))
        && w > p
    {
        r.error(n.pos, &field.key("women"), format!("{} ({w}) is more than its \"participants\" ({p})", field.key("women").human()));
    }
    Some(Participation { date: date?, title: title?, channel, participants, women, proposals })
}

fn read_assessment(node: &Node, field: &Field, r: &mut Reader) -> Option<Assessment> {
    let map = r.map(node, field, &["by", "date", "verdict", "note", "url"])?;
    let by = r.required(&map, "by", field).and_then(|n| r.reference(n, &field.key("by")));
    let date = r.required(&map, "date", field).and_then(|n| r.date(n, &field.key("date")));
    let verdict = r.required(&map, "verdict", field).and_then(|n| r.keyword(n, &field.key("verdict"), Verdict::NAMES, Verdict::parse));
    let note = map.get("note").and_then(|n| r.text(n, &field.key("note")));
    let url = map.get("url").and_then(|n| r.url(n, &field.key("url")));
    Some(Assessment { by: by?, date: date?, verdict: verdict?, note, url })
}

/// `SLUG.LANG.md` → (slug, lang), reporting names that do not fit.
fn markdown_name<'n>(file: &SourceFile, name: &'n str, languages: &[String], diagnostics: &mut Diagnostics) -> Option<(&'n str, &'n str)> {
    let stem = name.strip_suffix(".md");
    let split = stem.and_then(|s| s.rsplit_once('.'));
    let Some((slug, lang)) = split else {
        diagnostics.error(
            &file.path,
            Pos::new(1, 1),
            "",
            format!("\"{name}\" must be named NAME.LANG.md, for example about.{}.md", languages[0]),
        );
        return None;
    };
    if !languages.iter().any(|l| l == lang) {
        let hint = decode::suggestion(lang, languages.iter().map(String::as_str));
        diagnostics.error(
            &file.path,
            Pos::new(1, 1),
            "",
            format!("the language \"{lang}\" in the file name is not one of the site's languages ({}){hint}", languages.join(", ")),
        );
        return None;
    }
    Some((slug, lang))
}

/// Warns about a front-matter string still holding a `TODO` placeholder.
fn warn_placeholder(map: &decode::Map, key: &str, value: &Option<String>, r: &mut Reader) {
    if let (Some(text), Some(node)) = (value, map.get(key))
        && decode::is_placeholder(text)
    {
        let field = Field::root().key(key);
        r.warning(node.pos, &field, decode::placeholder_message(&field.human()));
    }
}

/// Parses the front matter of a Markdown file; returns its node and the body.
fn front_matter<'t>(file: &'t SourceFile, diagnostics: &mut Diagnostics) -> Option<(Node, &'t str)> {
    let Some((front, body)) = split_front_matter(&file.text) else {
        diagnostics.error(
            &file.path,
            Pos::new(1, 1),
            "",
            "the file must start with YAML front matter between two `---` lines, giving at least its title".into(),
        );
        return None;
    };
    match yaml::parse(front, 1) {
        Ok(node) if node.value == yaml::Value::Null => {
            diagnostics.error(&file.path, Pos::new(2, 1), "", "the front matter is empty; give at least a title".into());
            None
        }
        Ok(node) => Some((node, body)),
        Err(err) => {
            diagnostics.error(&file.path, err.pos, "", err.message);
            None
        }
    }
}

fn read_page(file: &SourceFile, name: &str, languages: &[String], diagnostics: &mut Diagnostics) -> Option<Page> {
    let (slug, lang) = markdown_name(file, name, languages, diagnostics)?;
    if !is_id(slug) {
        diagnostics.error(
            &file.path,
            Pos::new(1, 1),
            "",
            format!("the page name \"{slug}\" is not a valid identifier; use lower-case letters, digits and hyphens"),
        );
        return None;
    }
    let (node, body) = front_matter(file, diagnostics)?;
    let mut r = Reader { path: &file.path, languages, diagnostics };
    let root = Field::root();
    let map = r.map(&node, &root, &["title", "order"])?;
    let title = r.required(&map, "title", &root).and_then(|n| r.non_empty_string(n, &root.key("title")));
    warn_placeholder(&map, "title", &title, &mut r);
    let order = map.get("order").and_then(|n| r.integer(n, &root.key("order")));
    Some(Page {
        slug: slug.into(),
        lang: lang.into(),
        source: file.path.clone(),
        title: title?,
        order: order.unwrap_or(0),
        body: body.to_string(),
    })
}

fn read_news(file: &SourceFile, name: &str, languages: &[String], diagnostics: &mut Diagnostics) -> Option<NewsPost> {
    let (stem, lang) = markdown_name(file, name, languages, diagnostics)?;
    let date = stem.get(..10).and_then(Date::parse).filter(|d| d.day.is_some());
    let slug = stem.get(11..).filter(|_| stem.as_bytes().get(10) == Some(&b'-'));
    let (Some(date), Some(slug)) = (date, slug.filter(|s| is_id(s))) else {
        diagnostics.error(&file.path, Pos::new(1, 1), "", format!("a news file must be named YYYY-MM-DD-NAME.LANG.md with a real date and a NAME of lower-case letters, digits and hyphens, found \"{name}\""));
        return None;
    };
    if !date.in_year_window() {
        diagnostics.error(&file.path, Pos::new(1, 1), "", format!("the date in the file name ({date}) is outside {}", Date::year_window()));
        return None;
    }
    let (node, body) = front_matter(file, diagnostics)?;
    let mut r = Reader { path: &file.path, languages, diagnostics };
    let root = Field::root();
    let map = r.map(&node, &root, &["title", "summary", "related"])?;
    let title = r.required(&map, "title", &root).and_then(|n| r.non_empty_string(n, &root.key("title")));
    warn_placeholder(&map, "title", &title, &mut r);
    let summary = map.get("summary").and_then(|n| r.string(n, &root.key("summary")));
    warn_placeholder(&map, "summary", &summary, &mut r);
    let mut related = Vec::new();
    if let Some(list) = map.get("related") {
        let field = root.key("related");
        for (i, item) in r.list(list, &field).unwrap_or_default().iter().enumerate() {
            let item_field = field.item(i, "related commitment");
            let Some(text) = r.string(item, &item_field) else { continue };
            match text.split_once('/') {
                Some((plan, id)) if is_id(plan) && is_id(id) => related.push(Ref { id: text.clone(), pos: item.pos }),
                _ => r.error(
                    item.pos,
                    &item_field,
                    format!("{} (\"{text}\") must be a commitment reference PLAN/ID, such as 2024-2027/open-data", item_field.human()),
                ),
            }
        }
    }
    Some(NewsPost {
        date,
        slug: slug.into(),
        lang: lang.into(),
        source: file.path.clone(),
        title: title?,
        summary,
        related,
        body: body.to_string(),
    })
}

/// What one content file holds after it changed, read on its own (for `serve`).
#[derive(Debug)]
pub enum Reloaded {
    /// A commitment sheet of a plan; `None` when it is gone or could not be read.
    Commitment {
        plan: String,
        id: String,
        commitment: Option<Commitment>,
    },
    Page {
        slug: String,
        lang: String,
        page: Option<Page>,
    },
    News {
        key: String,
        lang: String,
        post: Option<NewsPost>,
    },
    /// Any other file: the caller reloads the whole site.
    Other,
}

/// Reads a commitment sheet from its text alone, as it stood in an earlier commit of the
/// content's history: the model, or `None` when that version does not read (its problems
/// are not reported: they were the problems of the day).
pub fn parse_commitment(plan: &str, id: &str, path: &str, text: &str, languages: &[String]) -> Option<Commitment> {
    let file = SourceFile { path: path.to_string(), parts: Vec::new(), text: text.to_string(), refused: false };
    let mut diagnostics = Diagnostics::default();
    with_node(&file, &mut diagnostics, |node, r| read_commitment(plan, id, path, node, r), languages)
}

/// Reads one changed file under `content/` (its path split in `parts`). The result
/// and the file's own diagnostics; the source text is returned for error snippets.
pub fn reload_file(root: &Path, parts: &[String], languages: &[String]) -> (Reloaded, Diagnostics, Option<String>) {
    let mut diagnostics = Diagnostics::default();
    let file = files::read_one(root, parts, &mut diagnostics);
    let source = file.as_ref().map(|f| f.text.clone());
    let file = file.filter(|f| !f.refused);
    let reloaded = match classify(parts) {
        FileKind::Commitment { plan, name } if is_id(plan) => match name.strip_suffix(".yaml").filter(|s| is_id(s)) {
            Some(id) => {
                let commitment = file.as_ref().and_then(|file| {
                    with_node(file, &mut diagnostics, |node, r| read_commitment(plan, id, &file.path, node, r), languages)
                });
                Reloaded::Commitment { plan: plan.to_string(), id: id.to_string(), commitment }
            }
            None => Reloaded::Other,
        },
        FileKind::Page(name) => match name.strip_suffix(".md").and_then(|s| s.rsplit_once('.')) {
            Some((slug, lang)) if is_id(slug) && languages.iter().any(|l| l == lang) => {
                let page = file.as_ref().and_then(|file| read_page(file, name, languages, &mut diagnostics));
                Reloaded::Page { slug: slug.to_string(), lang: lang.to_string(), page }
            }
            _ => Reloaded::Other,
        },
        FileKind::News(name) => match name.strip_suffix(".md").and_then(|s| s.rsplit_once('.')) {
            Some((key, lang)) if languages.iter().any(|l| l == lang) && key.get(..10).and_then(Date::parse).is_some() && key.len() > 11 => {
                let post = file.as_ref().and_then(|file| read_news(file, name, languages, &mut diagnostics));
                Reloaded::News { key: key.to_string(), lang: lang.to_string(), post }
            }
            _ => Reloaded::Other,
        },
        _ => Reloaded::Other,
    };
    (reloaded, diagnostics, source)
}

#[cfg(test)]
mod tests;
