//! The open-data feeds (`data/v1/`): schemas, CSV, golden bytes, determinism.
//!
//! `UPDATE_GOLDEN=1 cargo test --test export_feeds golden` rewrites `tests/golden/feeds/`
//! after a deliberate change to the public shape, and fails so that the run is never
//! taken for a pass; review `git diff tests/golden`, then rerun without it.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde_json::{Value, json};
use shafaf::export::{self, describe_files};
use shafaf::output::OutputFile;
use shafaf::urls::DATA_ROOT;

fn manifest() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn fixture_root() -> PathBuf {
    manifest().join("tests/fixtures/feeds-site")
}

fn load(root: &Path) -> shafaf::Checked {
    shafaf::check(root, None, false).expect("the site root can be read")
}

fn fixture() -> shafaf::Checked {
    let checked = load(&fixture_root());
    let problems: Vec<String> = checked.diagnostics.sorted().iter().map(|d| format!("{d:?}")).collect();
    assert!(problems.is_empty(), "the feeds fixture must be valid: {problems:#?}");
    checked
}

fn feeds_of(checked: &shafaf::Checked) -> Vec<OutputFile> {
    let base = checked.site.config.base_url.clone();
    export::feeds(&checked.site, &checked.facts, &base).expect("feeds")
}

/// Files keyed by their path relative to `data/v1/`.
fn by_name(files: &[OutputFile]) -> BTreeMap<String, &[u8]> {
    files
        .iter()
        .map(|f| {
            let name = f.path.strip_prefix(DATA_ROOT).unwrap_or_else(|| panic!("{} is outside {DATA_ROOT}", f.path));
            (name.to_string(), f.bytes.as_slice())
        })
        .collect()
}

fn parse(bytes: &[u8]) -> Value {
    serde_json::from_slice(bytes).expect("valid JSON")
}

fn validator(schema: &Value) -> jsonschema::Validator {
    jsonschema::meta::validate(schema).expect("a valid 2020-12 schema");
    jsonschema::options().should_validate_formats(true).build(schema).expect("schema compiles")
}

fn errors(validator: &jsonschema::Validator, instance: &Value) -> Vec<String> {
    validator.iter_errors(instance).map(|e| format!("{} at {}", e, e.instance_path())).collect()
}

/// Validates every JSON file against the schema `index.json` names for it; returns how
/// many files were checked.
fn assert_all_valid(files: &[OutputFile]) -> usize {
    let files = by_name(files);
    let index = parse(files["index.json"]);
    let base = index["files"][0]["url"].as_str().unwrap().trim_end_matches("index.json").to_string();
    let mut validators: BTreeMap<String, jsonschema::Validator> = BTreeMap::new();
    let mut checked = 0;
    for (name, bytes) in &files {
        if !name.ends_with(".json") || name.starts_with("schema/") {
            continue;
        }
        let entry = index["files"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["path"] == name.as_str())
            .unwrap_or_else(|| panic!("index.json does not list {name}"));
        let schema_url = entry["schema"].as_str().unwrap_or_else(|| panic!("{name} has no schema in index.json"));
        let schema_name = schema_url.strip_prefix(&base).unwrap().to_string();
        let validator = validators.entry(schema_name.clone()).or_insert_with(|| {
            let schema = parse(files.get(&schema_name).unwrap_or_else(|| panic!("{schema_name} is not written")));
            assert_eq!(schema["$id"], schema_url, "{schema_name}'s $id");
            validator(&schema)
        });
        let found = errors(validator, &parse(bytes));
        assert!(found.is_empty(), "{name} does not match {schema_name}:\n{}", found.join("\n"));
        checked += 1;
    }
    checked
}

#[test]
fn every_fixture_json_validates_against_its_schema() {
    let files = feeds_of(&fixture());
    // index, plans, areas, institutions, commitments, datapackage and three commitments.
    assert_eq!(assert_all_valid(&files), 9);
}

#[test]
fn every_real_portal_json_validates_against_its_schema() {
    // The real content is written concurrently: whatever is there must validate.
    let checked = load(manifest());
    let files = feeds_of(&checked);
    let commitments: usize = checked.site.plans.iter().map(|p| p.commitments.len()).sum();
    assert_eq!(assert_all_valid(&files), 6 + commitments);
}

#[test]
fn every_schema_is_a_valid_2020_12_schema() {
    for file in feeds_of(&fixture()).iter().filter(|f| f.path.contains("/schema/")) {
        let schema = parse(&file.bytes);
        assert_eq!(schema["$schema"], "https://json-schema.org/draft/2020-12/schema", "{}", file.path);
        validator(&schema);
    }
}

fn csv_rows(bytes: &[u8]) -> (Vec<String>, Vec<Vec<String>>) {
    let text = std::str::from_utf8(bytes).expect("CSV is UTF-8");
    assert!(!text.starts_with('\u{feff}'), "no byte-order mark");
    let mut reader = csv::ReaderBuilder::new().from_reader(bytes);
    let header = reader.headers().unwrap().iter().map(String::from).collect();
    let rows = reader.records().map(|r| r.unwrap().iter().map(String::from).collect()).collect();
    (header, rows)
}

#[test]
fn csv_rows_match_the_json() {
    for checked in [fixture(), load(manifest())] {
        let files = feeds_of(&checked);
        let files = by_name(&files);
        let commitments = parse(files["commitments.json"]);
        let commitments = commitments["commitments"].as_array().unwrap();
        let count = |key: &str| commitments.iter().map(|c| c[key].as_array().unwrap().len()).sum::<usize>();
        let values: usize =
            commitments.iter().flat_map(|c| c["indicators"].as_array().unwrap()).map(|i| i["values"].as_array().unwrap().len()).sum();
        for (table, expected) in [
            ("commitments.csv", commitments.len()),
            ("activities.csv", count("activities")),
            ("indicators.csv", count("indicators")),
            ("indicator_values.csv", values),
        ] {
            let (header, rows) = csv_rows(files[table]);
            assert_eq!(rows.len(), expected, "{table}");
            assert!(rows.iter().all(|r| r.len() == header.len()), "{table}: ragged rows");
        }
        // The commitments table follows the JSON order, and the derived facts agree.
        let (header, rows) = csv_rows(files["commitments.csv"]);
        let col = |name: &str| header.iter().position(|h| h == name).unwrap();
        for (row, json) in rows.iter().zip(commitments) {
            assert_eq!(row[col("plan")], json["plan"].as_str().unwrap());
            assert_eq!(row[col("commitment")], json["id"].as_str().unwrap());
            assert_eq!(row[col("status")], json["status"].as_str().unwrap());
            assert_eq!(row[col("progress")].parse::<f64>().ok(), json["progress"].as_f64(), "an empty cell is a null progress");
        }
    }
}

#[test]
fn csv_is_rfc_4180_with_one_column_per_language() {
    let files = feeds_of(&fixture());
    let files = by_name(&files);
    let bytes = files["commitments.csv"];
    let text = std::str::from_utf8(bytes).unwrap();
    assert!(text.starts_with("plan,commitment,number,title_ar,title_fr,area,lead,partners,ogp_values,progress,status,"));
    assert!(text.contains("\r\n") && text.ends_with("\r\n"), "records end with CRLF");
    // Quotes are doubled, and a field with a comma or a line break is quoted.
    assert!(text.contains(r#""Données ouvertes, ""réutilisables""""#));
    let (header, rows) = csv_rows(bytes);
    let notes = header.iter().position(|h| h == "notes_fr").unwrap();
    assert_eq!(rows[0][notes], "Une remarque; avec un point-virgule, et une virgule.");
    let problem = header.iter().position(|h| h == "problem_ar").unwrap();
    assert_eq!(rows[0][problem], "المعطيات غير منشورة.\n\n- نقطة أولى\n");
}

#[test]
fn feeds_agree_with_the_derived_facts() {
    let checked = fixture();
    let files = feeds_of(&checked);
    let files = by_name(&files);
    let commitments = parse(files["commitments.json"]);
    let order: Vec<String> = commitments["commitments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| format!("{}/{}", c["plan"].as_str().unwrap(), c["id"].as_str().unwrap()))
        .collect();
    assert_eq!(order, ["2024-2027/open-data", "2024-2027/participatory-budget", "2024-2027/citizen-petitions"]);
    for c in commitments["commitments"].as_array().unwrap() {
        let facts = checked.facts.commitment(c["plan"].as_str().unwrap(), c["id"].as_str().unwrap()).unwrap();
        assert_eq!(c["progress"].as_f64(), facts.progress);
        assert_eq!(c["status"], facts.status.as_str());
        let statuses: Vec<&str> = c["activities"].as_array().unwrap().iter().map(|a| a["status"].as_str().unwrap()).collect();
        assert_eq!(statuses, facts.activity_statuses().map(|s| s.as_str()).collect::<Vec<_>>());
        // The per-commitment file holds the same record.
        let path = shafaf::urls::commitment_json(c["plan"].as_str().unwrap(), c["id"].as_str().unwrap());
        let single = parse(files[path.strip_prefix(DATA_ROOT).unwrap()]);
        assert_eq!(&single["commitment"], c);
        assert_eq!(single["as_of"], "2025-06-15");
    }
    let open_data = &commitments["commitments"][0];
    assert_eq!(open_data["progress"], json!(50.8));
    assert_eq!(open_data["status"], "in_progress", "the portal's end moved to December 2025 before it was missed");
    let portal = &open_data["activities"][1];
    assert_eq!((portal["end"].as_str(), portal["current_end"].as_str()), (Some("2025-03"), Some("2025-12")));
    assert_eq!(portal["progress"], json!(40), "the report of 2025-09-01 is after as_of and does not exist yet");
    assert_eq!(portal["updates"].as_array().unwrap().len(), 2);
    assert_eq!(portal["updates"][0]["by"], "digital-ministry", "a report without by is the lead's");
    assert_eq!(portal["updates"][1]["by"], "city-council");
    assert_eq!(portal["updates"][1]["evidence"][1]["url"], Value::Null);
    assert_eq!(portal["last_report"], "2025-01-15");
    assert_eq!((portal["overdue"].as_bool(), portal["status"].as_str()), (Some(false), Some("in_progress")));
    assert_eq!(open_data["reported_activities"], 3);
    assert_eq!(open_data["activity_count"], 3, "the cancelled activity is left out");
    assert_eq!(open_data["last_report"], "2025-01-15");
    assert_eq!(open_data["activities"][0]["start"], "2024-04", "dates keep their precision");
    assert_eq!(open_data["activities"][2]["end"], "2026");
    assert_eq!(open_data["url"]["fr"], "https://feeds.example.org/fr/plans/2024-2027/commitments/open-data/");
    let plans = parse(files["plans.json"]);
    assert_eq!(plans["plans"][0]["progress"], json!(checked.facts.plans["2024-2027"].group.progress.unwrap()));
    let areas = parse(files["areas.json"]);
    let unused = areas["areas"].as_array().unwrap().iter().find(|a| a["id"] == "unused-area").unwrap();
    assert_eq!(unused["progress"], Value::Null);
    assert_eq!(unused["commitment_count"], 0);
    // Every number that is a progress prints with one decimal.
    let text = std::str::from_utf8(files["commitments.json"]).unwrap();
    assert!(text.contains("\"progress\": 65.0,"));
}

/// The fixture's commitment record, for the schema's negative tests.
fn commitment_file() -> (jsonschema::Validator, Value) {
    let files = feeds_of(&fixture());
    let files = by_name(&files);
    let schema = parse(files["schema/commitment.schema.json"]);
    let record = parse(files["plans/2024-2027/commitments/open-data.json"]);
    (validator(&schema), record)
}

#[test]
fn schemas_reject_a_missing_language() {
    let (validator, record) = commitment_file();
    assert!(errors(&validator, &record).is_empty());
    for pointer in ["/commitment/title", "/commitment/activities/0/title", "/commitment/indicators/0/method", "/commitment/url"] {
        let mut bad = record.clone();
        bad.pointer_mut(pointer).unwrap().as_object_mut().unwrap().remove("fr");
        assert!(!validator.is_valid(&bad), "{pointer} without fr must be rejected");
    }
    let mut extra = record.clone();
    extra["commitment"]["title"]["en"] = json!("Open data");
    assert!(!validator.is_valid(&extra), "a language the site does not declare is rejected");
    // A translation not written yet is null, which is allowed.
    let mut untranslated = record.clone();
    untranslated["commitment"]["title"]["fr"] = Value::Null;
    assert!(validator.is_valid(&untranslated));
}

#[test]
fn schemas_reject_unknown_statuses_kinds_and_fields() {
    let (validator, record) = commitment_file();
    let cases: [(&str, Value); 8] = [
        ("/commitment/status", json!("late")),
        ("/commitment/status", json!("not_reported_yet")),
        ("/commitment/activities/0/status", json!("done")),
        ("/commitment/indicators/0/kind", json!("output")),
        ("/commitment/indicators/0/unit", json!("euros")),
        ("/commitment/assessments/0/verdict", json!("partly")),
        ("/commitment/progress", json!(100.5)),
        ("/commitment/activities/0/start", json!("2024-13")),
    ];
    for (pointer, value) in cases {
        let mut bad = record.clone();
        *bad.pointer_mut(pointer).unwrap() = value.clone();
        assert!(!validator.is_valid(&bad), "{pointer} = {value} must be rejected");
    }
    let mut extra = record.clone();
    extra["commitment"]["colour"] = json!("red");
    assert!(!validator.is_valid(&extra), "an unknown field is rejected");
    let mut missing = record.clone();
    missing["commitment"].as_object_mut().unwrap().remove("notes");
    assert!(!validator.is_valid(&missing), "every key is required, null when absent");
}

#[test]
fn a_third_language_adds_columns_and_required_keys() {
    let mut checked = fixture();
    checked.site.config.languages.push("zgh".into());
    let files = feeds_of(&checked);
    assert_all_valid(&files);
    let files = by_name(&files);
    let (header, _) = csv_rows(files["activities.csv"]);
    assert!(header.iter().any(|h| h == "title_zgh") && header.iter().any(|h| h == "funding_zgh"));
    let record = parse(files["plans/2024-2027/commitments/open-data.json"]);
    assert_eq!(record["commitment"]["title"]["zgh"], Value::Null, "untranslated text is null");
    assert_eq!(record["commitment"]["url"]["zgh"], "https://feeds.example.org/zgh/plans/2024-2027/commitments/open-data/");
    let schema = parse(files["schema/commitment.schema.json"]);
    let mut without = record.clone();
    without["commitment"]["title"].as_object_mut().unwrap().remove("zgh");
    assert!(!validator(&schema).is_valid(&without));
}

#[test]
fn two_runs_are_byte_identical() {
    let first = feeds_of(&fixture());
    let second = feeds_of(&fixture());
    assert_eq!(first, second);
    let real_first = feeds_of(&load(manifest()));
    let real_second = feeds_of(&load(manifest()));
    assert_eq!(real_first, real_second);
}

#[test]
fn every_file_is_pretty_json_or_csv_under_data_v1_and_listed_in_the_index() {
    let files = feeds_of(&fixture());
    let index = parse(&files[0].bytes);
    assert_eq!(files[0].path, "data/v1/index.json");
    assert_eq!(index["schema_version"], "1");
    assert_eq!(index["as_of"], "2025-06-15");
    assert_eq!(index["license"], json!({"id": "ODC-BY-1.0", "url": "https://opendatacommons.org/licenses/by/1-0/"}));
    let listed: Vec<&str> = index["files"].as_array().unwrap().iter().map(|f| f["path"].as_str().unwrap()).collect();
    let written: Vec<&str> = files.iter().map(|f| f.path.strip_prefix(DATA_ROOT).unwrap()).collect();
    assert_eq!(listed, written);
    for entry in index["files"].as_array().unwrap() {
        assert_eq!(entry["url"], format!("https://feeds.example.org/data/v1/{}", entry["path"].as_str().unwrap()));
    }
    let mut paths = written.clone();
    paths.sort();
    paths.dedup();
    assert_eq!(paths.len(), written.len(), "no path twice");
    for file in &files {
        assert_eq!(file.bytes.last(), Some(&b'\n'), "{} ends with a newline", file.path);
        if file.path.ends_with(".json") {
            let text = std::str::from_utf8(&file.bytes).unwrap();
            assert!(text.starts_with("{\n  \""), "{} is pretty-printed", file.path);
        }
    }
    for name in ["schema/index.schema.json", "schema/datapackage.schema.json", "datapackage.json", "indicator_values.csv"] {
        assert!(written.contains(&name), "{name}");
    }
}

#[test]
fn describe_files_gives_size_format_and_key() {
    let files = feeds_of(&fixture());
    let described = describe_files(&files);
    assert_eq!(described.len(), files.len());
    for (info, file) in described.iter().zip(&files) {
        assert_eq!(info.path, file.path);
        assert_eq!(info.bytes, file.bytes.len());
        assert!(!info.description.is_empty() && !info.key.is_empty());
    }
    let csv = described.iter().find(|f| f.name == "activities.csv").unwrap();
    assert_eq!((csv.format, csv.media_type, csv.key, csv.group), ("csv", "text/csv", "activities_csv", "table"));
    let one = described.iter().find(|f| f.key == "commitment_json").unwrap();
    assert_eq!(one.commitment, Some(("2024-2027".to_string(), "open-data".to_string())));
    // Files outside data/v1/ are not described.
    assert!(describe_files(&[OutputFile::new("fr/index.html", "x")]).is_empty());

    let checked = fixture();
    let ld = export::dataset_json_ld(&checked.site, &checked.facts, &described, "https://feeds.example.org/", "fr");
    assert!(!ld.contains('<'));
    let ld = parse(ld.as_bytes());
    assert_eq!(ld["@type"], "Dataset");
    assert_eq!(ld["name"], "Portail d'essai du gouvernement ouvert");
    assert!(ld["distribution"].as_array().unwrap().iter().any(|d| d["contentUrl"] == "https://feeds.example.org/data/v1/commitments.csv"));

    // The fixture's texts have no `<`: a site text that closes the script element must
    // come out escaped, and whole.
    let mut hostile = fixture();
    let text = "Données </script><script>alert(1)</script> <!-- ouvertes";
    hostile.site.config.description.insert("fr".into(), text.into());
    let ld = export::dataset_json_ld(&hostile.site, &hostile.facts, &described, "https://feeds.example.org/", "fr");
    assert!(!ld.contains('<'), "{ld}");
    assert_eq!(parse(ld.as_bytes())["description"], text);
}

#[test]
fn datapackage_describes_the_csv_files() {
    let files = feeds_of(&fixture());
    let by = by_name(&files);
    let package = parse(by["datapackage.json"]);
    assert_eq!(package["profile"], "tabular-data-package");
    assert_eq!(package["licenses"][0]["name"], "ODC-BY-1.0");
    let resources = package["resources"].as_array().unwrap();
    let names: Vec<&str> = resources.iter().map(|r| r["path"].as_str().unwrap()).collect();
    assert_eq!(
        names,
        ["commitments.csv", "activities.csv", "indicators.csv", "indicator_values.csv", "reports.csv", "replannings.csv", "revisions.csv"]
    );
    for resource in resources {
        let path = resource["path"].as_str().unwrap();
        assert_eq!(resource["bytes"], by[path].len(), "{path}");
        let (header, _) = csv_rows(by[path]);
        let fields: Vec<&str> = resource["schema"]["fields"].as_array().unwrap().iter().map(|f| f["name"].as_str().unwrap()).collect();
        assert_eq!(fields, header, "{path}: fields follow the header");
    }
    assert_eq!(resources[1]["schema"]["primaryKey"], json!(["plan", "commitment", "activity"]));
    assert_eq!(resources[1]["schema"]["foreignKeys"][0]["reference"]["resource"], "commitments");
}

/// How to read and renew the golden files, printed with every difference.
const GOLDEN_HOWTO: &str = "If the change is deliberate: `UPDATE_GOLDEN=1 cargo test --test export_feeds golden` rewrites \
     tests/golden/feeds/ (and fails, on purpose); review `git diff tests/golden`, then rerun without UPDATE_GOLDEN.";

/// The feeds of the fixture, one golden file per output file, compared as text: a
/// failure lists every file that changed with a line diff, so a reviewer reads what a
/// change to the public shape means.
#[test]
fn golden_files_pin_the_public_shape() {
    let golden = manifest().join("tests/golden/feeds");
    let files = feeds_of(&fixture());
    if std::env::var_os("UPDATE_GOLDEN").is_some_and(|v| v == "1") {
        let _ = fs::remove_dir_all(&golden);
        for file in &files {
            let target = golden.join(&file.path);
            fs::create_dir_all(target.parent().unwrap()).unwrap();
            fs::write(target, &file.bytes).unwrap();
        }
        panic!(
            "UPDATE_GOLDEN=1: rewrote the {} golden files under {}. This run checked nothing: review `git diff tests/golden`, \
             then rerun without UPDATE_GOLDEN.",
            files.len(),
            golden.display()
        );
    }
    assert!(std::env::var_os("UPDATE_GOLDEN").is_none(), "UPDATE_GOLDEN is set but not to 1: unset it, or set it to 1 to rewrite");
    let mut on_disk: Vec<String> = walk(&golden);
    on_disk.sort();
    let mut written: Vec<String> = files.iter().map(|f| f.path.clone()).collect();
    written.sort();
    let mut report = String::new();
    for gone in on_disk.iter().filter(|p| !written.contains(p)) {
        report.push_str(&format!("no longer written: {gone}\n"));
    }
    for new in written.iter().filter(|p| !on_disk.contains(p)) {
        report.push_str(&format!("new file, not in the golden set: {new}\n"));
    }
    for file in files.iter().filter(|f| on_disk.contains(&f.path)) {
        let expected = fs::read(golden.join(&file.path)).unwrap();
        if expected != file.bytes {
            let (old, now) = (String::from_utf8_lossy(&expected), String::from_utf8_lossy(&file.bytes));
            let diff = similar::TextDiff::from_lines(old.as_ref(), now.as_ref());
            let golden_name = format!("golden/{}", file.path);
            let now_name = format!("now/{}", file.path);
            report.push_str(&diff.unified_diff().context_radius(2).header(&golden_name, &now_name).to_string());
        }
    }
    assert!(report.is_empty(), "the feeds differ from tests/golden/feeds/:\n{report}\n{GOLDEN_HOWTO}");
}

/// Paths of the files under `dir`, relative to it, with `/` separators.
fn walk(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(current) = pending.pop() {
        let Ok(entries) = fs::read_dir(&current) else { continue };
        for entry in entries {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
            } else {
                let rel = path.strip_prefix(dir).unwrap();
                out.push(rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/"));
            }
        }
    }
    out
}

#[test]
fn a_site_without_plans_still_validates() {
    let mut checked = fixture();
    checked.site.plans.clear();
    checked.facts = shafaf::derive::derive(&checked.site, checked.facts.as_of);
    let files = feeds_of(&checked);
    assert_eq!(assert_all_valid(&files), 6);
    let files = by_name(&files);
    assert_eq!(std::str::from_utf8(files["commitments.json"]).unwrap(), "{\n  \"as_of\": \"2025-06-15\",\n  \"commitments\": []\n}\n");
    let (header, rows) = csv_rows(files["indicator_values.csv"]);
    assert!(rows.is_empty() && !header.is_empty());
}

/// `--as-of` is time travel: reports and replannings dated later do not exist yet, and
/// the statuses are those of that day; an activity nobody reported on is "not
/// reported" and overdue, never 0 % and delayed.
#[test]
fn a_past_as_of_shows_the_portal_as_it_stood_then() {
    let mut checked = fixture();
    let record = |checked: &shafaf::Checked, id: &str| {
        let files = feeds_of(checked);
        let files = by_name(&files);
        parse(files[format!("plans/2024-2027/commitments/{id}.json").as_str()])["commitment"].clone()
    };
    // 2025-06-15 (the site's as_of): the replanning of 10 February 2025 holds.
    let today = record(&checked, "open-data");
    assert_eq!(today["activities"][1]["current_end"], "2025-12");
    let petitions = record(&checked, "citizen-petitions");
    let study = &petitions["activities"][0];
    assert_eq!(
        (study["progress"].clone(), study["status"].as_str(), study["overdue"].as_bool()),
        (Value::Null, Some("not_reported"), Some(true))
    );
    assert_eq!(petitions["activities"][1]["status"], "not_started");
    assert_eq!((petitions["progress"].clone(), petitions["status"].as_str()), (Value::Null, Some("not_reported")));

    // 15 September 2024: one report on the portal so far, its end not yet moved.
    checked.facts = shafaf::derive::derive(&checked.site, NaiveDate::from_ymd_opt(2024, 9, 15).unwrap());
    let then = record(&checked, "open-data");
    let portal = &then["activities"][1];
    assert_eq!(portal["progress"], json!(20));
    assert_eq!(portal["current_end"], "2025-03");
    assert_eq!(portal["replanned"], json!([]));
    assert_eq!(portal["updates"].as_array().unwrap().len(), 1);
    assert_eq!(portal["status"], "in_progress");
    assert_eq!(record(&checked, "citizen-petitions")["status"], "not_started", "nothing had started");

    // 1 April 2025 as if the decision had not been taken: the portal would be late.
    let mut late = checked.site.clone();
    late.plans[0].commitments.iter_mut().for_each(|c| c.activities.iter_mut().for_each(|a| a.replanned.clear()));
    checked.site = late;
    checked.facts = shafaf::derive::derive(&checked.site, NaiveDate::from_ymd_opt(2025, 4, 1).unwrap());
    let portal = record(&checked, "open-data")["activities"][1].clone();
    assert_eq!(
        (portal["status"].as_str(), portal["overdue"].as_bool(), portal["progress"].clone()),
        (Some("delayed"), Some(true), json!(40))
    );
}

/// A note that starts like a formula is neutralised in the CSV, never in the JSON.
#[test]
fn csv_text_that_a_spreadsheet_would_run_gets_an_apostrophe() {
    let checked = fixture();
    let files = feeds_of(&checked);
    let files = by_name(&files);
    let (header, rows) = csv_rows(files["reports.csv"]);
    let note = header.iter().position(|h| h == "note_fr").unwrap();
    let progress = header.iter().position(|h| h == "progress").unwrap();
    assert!(rows.iter().any(|r| r[note] == "'=Version bêta en ligne"), "{rows:?}");
    assert!(rows.iter().all(|r| !r[progress].starts_with('\'')), "numbers are never touched");
    let json = parse(files["plans/2024-2027/commitments/open-data.json"]);
    assert_eq!(json["commitment"]["activities"][1]["updates"][1]["note"]["fr"], "=Version bêta en ligne");
}

#[test]
fn report_positions_restart_for_the_commitments_own_reports_and_for_each_activity() {
    let dir = tempfile::tempdir().unwrap();
    common::copy_tree(&fixture_root(), dir.path());
    let sheet = dir.path().join("content/plans/2024-2027/commitments/open-data.yaml");
    let text = fs::read_to_string(&sheet).unwrap();
    fs::write(&sheet, text + "updates:\n  - date: 2024-07-01\n    progress: 10\n    by: digital-ministry\n").unwrap();
    let checked = load(dir.path());
    assert!(!checked.diagnostics.has_errors(), "{:#?}", checked.diagnostics.sorted());
    let files = feeds_of(&checked);
    let (header, rows) = csv_rows(by_name(&files)["reports.csv"]);
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let positions: Vec<(&str, &str, &str)> = rows
        .iter()
        .filter(|r| r[col("commitment")] == "open-data")
        .map(|r| (r[col("activity")].as_str(), r[col("report")].as_str(), r[col("date")].as_str()))
        .collect();
    // The key (plan, commitment, activity, report) names each report once.
    assert_eq!(positions, [("", "1", "2024-07-01"), ("2", "1", "2024-09-01"), ("2", "2", "2025-01-15")]);
}

/// The catalog's nodes by `@id`, from `catalog.jsonld`.
fn catalog_nodes(files: &[OutputFile]) -> BTreeMap<String, Value> {
    let by = by_name(files);
    let ld = parse(by["catalog.jsonld"]);
    ld["@graph"].as_array().unwrap().iter().map(|n| (n["@id"].as_str().unwrap().to_string(), n.clone())).collect()
}

/// The values of a node's property: IRIs or literal lexical forms.
fn values(node: &Value, property: &str) -> Vec<String> {
    node[property]
        .as_array()
        .map(|list| list.iter().map(|v| v.get("@id").or_else(|| v.get("@value")).unwrap().as_str().unwrap().to_string()).collect())
        .unwrap_or_default()
}

fn of_type<'a>(nodes: &'a BTreeMap<String, Value>, class: &str) -> Vec<&'a Value> {
    nodes.values().filter(|n| n["@type"].as_array().unwrap().iter().any(|t| t == class)).collect()
}

#[test]
fn the_catalog_describes_every_shared_file_with_its_size_and_checksum() {
    use sha2::{Digest, Sha256};
    let files = feeds_of(&fixture());
    let by = by_name(&files);
    // Written after every file it describes: the two catalog files come last.
    let last: Vec<&str> = files[files.len() - 2..].iter().map(|f| f.path.as_str()).collect();
    assert_eq!(last, ["data/v1/catalog.jsonld", "data/v1/catalog.ttl"]);
    let nodes = catalog_nodes(&files);
    let mut described = BTreeMap::new();
    for d in of_type(&nodes, "dcat:Distribution") {
        let url = &values(d, "dcat:downloadURL")[0];
        if let Some(name) = url.strip_prefix("https://feeds.example.org/data/v1/") {
            described.insert(name.to_string(), d);
        }
    }
    let shared: Vec<&String> = by.keys().filter(|n| !n.starts_with("plans/") && !n.starts_with("catalog.")).collect();
    assert_eq!(described.keys().collect::<Vec<_>>(), shared, "every shared file, and neither the catalog nor a commitment's file");
    for (name, d) in &described {
        assert_eq!(values(d, "dcat:byteSize"), [by[name.as_str()].len().to_string()], "{name}");
        let checksum = &nodes[&values(d, "spdx:checksum")[0]];
        let sha256: String = Sha256::digest(by[name.as_str()]).iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(values(checksum, "spdx:checksumValue"), [sha256], "{name}");
        assert_eq!(values(checksum, "spdx:algorithm"), ["http://spdx.org/rdf/terms#checksumAlgorithm_sha256"]);
    }
    let commitments = described["commitments.json"];
    assert!(
        values(commitments, "dct:conformsTo").contains(&"https://feeds.example.org/data/v1/schema/commitments.schema.json".to_string())
    );
    assert_eq!(values(commitments, "dcat:mediaType"), ["https://www.iana.org/assignments/media-types/application/json"]);
    assert_eq!(values(described["activities.csv"], "dct:format"), ["http://publications.europa.eu/resource/authority/file-type/CSV"]);
    // The Atom feeds, one per language, without a size: the pages' renderer writes them.
    let distributions = of_type(&nodes, "dcat:Distribution");
    let atoms: Vec<&&Value> = distributions.iter().filter(|d| values(d, "dcat:downloadURL")[0].ends_with("/atom.xml")).collect();
    assert_eq!(atoms.len(), 2);
    assert!(atoms.iter().all(|d| values(d, "dcat:byteSize").is_empty()));
}

#[test]
fn the_catalog_takes_its_dates_and_agents_from_the_content() {
    let files = feeds_of(&fixture());
    let nodes = catalog_nodes(&files);
    let dataset = of_type(&nodes, "dcat:Dataset");
    assert_eq!(dataset.len(), 1, "one dataset for the whole portal");
    let dataset = dataset[0];
    // Every modified date is the fixture's as_of, never the day the test runs.
    let modified: Vec<String> = nodes.values().flat_map(|n| values(n, "dct:modified")).collect();
    assert!(modified.len() > 10 && modified.iter().all(|d| d == "2025-06-15"), "{modified:?}");
    let period = &nodes[&values(dataset, "dct:temporal")[0]];
    assert_eq!((values(period, "dcat:startDate"), values(period, "dcat:endDate")), (vec!["2024-01".into()], vec!["2027-12".into()]));
    assert_eq!(period["dcat:startDate"][0]["@type"], "xsd:gYearMonth");
    let publisher = &nodes[&values(dataset, "dct:publisher")[0]];
    assert_eq!(values(publisher, "foaf:name"), ["وزارة الانتقال الرقمي", "Ministère de la Transition numérique"]);
    assert_eq!(values(publisher, "dct:type"), ["http://purl.org/adms/publishertype/NationalAuthority"]);
    let contact = &nodes[&values(dataset, "dcat:contactPoint")[0]];
    assert_eq!(values(contact, "vcard:hasEmail"), ["mailto:opendata@feeds.example.org"]);
    assert_eq!(values(dataset, "dct:spatial"), ["http://publications.europa.eu/resource/authority/country/MAR"]);
    assert_eq!(values(dataset, "dcat:theme"), ["http://publications.europa.eu/resource/authority/data-theme/GOVE"]);
    assert_eq!(
        values(dataset, "dct:language"),
        ["http://publications.europa.eu/resource/authority/language/ARA", "http://publications.europa.eu/resource/authority/language/FRA"]
    );

    // The real portal names no contact address: the publisher's web site stands in.
    let real = feeds_of(&load(manifest()));
    let nodes = catalog_nodes(&real);
    let dataset = of_type(&nodes, "dcat:Dataset")[0];
    let contact = &nodes[&values(dataset, "dcat:contactPoint")[0]];
    assert_eq!(values(contact, "vcard:hasURL"), ["https://www.mmsp.gov.ma/"]);
    assert!(values(contact, "vcard:hasEmail").is_empty());
    let period = &nodes[&values(dataset, "dct:temporal")[0]];
    assert_eq!((values(period, "dcat:startDate"), values(period, "dcat:endDate")), (vec!["2019".into()], vec!["2027-12".into()]));
}

#[test]
fn the_catalog_is_linked_from_the_index_and_the_data_package() {
    let files = feeds_of(&fixture());
    let by = by_name(&files);
    let index = parse(by["index.json"]);
    let entry = |path: &str| index["files"].as_array().unwrap().iter().find(|f| f["path"] == path).cloned();
    assert_eq!(entry("catalog.jsonld").unwrap()["media_type"], "application/ld+json");
    assert_eq!(entry("catalog.ttl").unwrap()["format"], "turtle");
    let package = parse(by["datapackage.json"]);
    assert_eq!(package["catalog"]["jsonld"], "https://feeds.example.org/data/v1/catalog.jsonld");
    assert_eq!(package["catalog"]["turtle"], "https://feeds.example.org/data/v1/catalog.ttl");
    // Turtle and JSON-LD are written from one graph: same subjects, same number of triples.
    let ttl = std::str::from_utf8(by["catalog.ttl"]).unwrap();
    let nodes = catalog_nodes(&files);
    for id in nodes.keys() {
        assert!(ttl.contains(&format!("\n<{id}>\n")), "{id} is not a subject in catalog.ttl");
    }
    let triples_ld: usize = nodes
        .values()
        .map(|n| n.as_object().unwrap().iter().filter(|(k, _)| *k != "@id").map(|(_, v)| v.as_array().unwrap().len()).sum::<usize>())
        .sum();
    let triples_ttl = ttl.matches(" ;\n").count() + ttl.matches(" .\n").count() - ttl.matches("@prefix").count()
        + ttl.lines().filter(|l| l.trim_start().starts_with("a ")).map(|l| l.matches(", ").count()).sum::<usize>();
    assert_eq!(triples_ld, triples_ttl);
}

#[test]
fn the_open_data_page_dataset_agrees_with_the_catalog() {
    let checked = fixture();
    let files = feeds_of(&checked);
    let described = describe_files(&files);
    let ld = parse(export::dataset_json_ld(&checked.site, &checked.facts, &described, "https://feeds.example.org/", "fr").as_bytes());
    let nodes = catalog_nodes(&files);
    let dataset = of_type(&nodes, "dcat:Dataset")[0];
    assert_eq!(ld["@id"], dataset["@id"]);
    assert_eq!(ld["publisher"]["name"], "Ministère de la Transition numérique");
    assert_eq!(ld["temporalCoverage"], "2024-01/2027-12");
    assert_eq!(ld["spatialCoverage"][0]["sameAs"], "http://publications.europa.eu/resource/authority/country/MAR");
    assert_eq!(ld["license"], "https://opendatacommons.org/licenses/by/1-0/");
    let csv = ld["distribution"].as_array().unwrap().iter().find(|d| d["name"] == "activities.csv").unwrap();
    let in_catalog = &nodes["https://feeds.example.org/data/v1/catalog#distribution/activities.csv"];
    assert_eq!(csv["contentSize"], format!("{} B", values(in_catalog, "dcat:byteSize")[0]));
    assert_eq!(csv["sha256"], values(&nodes[&values(in_catalog, "spdx:checksum")[0]], "spdx:checksumValue")[0]);
}
