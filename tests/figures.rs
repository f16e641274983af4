//! The figures a citizen reads, as literal numbers worked out by hand in the comments,
//! never read back from the same `Facts` that produced them: the feeds fixture as it is,
//! and the same site with a commitment whose every activity was cancelled.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{Value, json};

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/feeds-site")
}

/// Builds `root` with the real binary as of 2025-06-15 (the fixture's own `as_of`).
fn build(root: &Path) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    let result = Command::new(env!("CARGO_BIN_EXE_shafaf"))
        .args(["build", "--quiet", "--root", root.to_str().unwrap(), "--out", out.to_str().unwrap(), "--as-of", "2025-06-15"])
        .output()
        .expect("run shafaf");
    assert!(result.status.success(), "{}", String::from_utf8_lossy(&result.stderr));
    (dir, out)
}

fn feed(out: &Path, name: &str) -> Value {
    serde_json::from_slice(&fs::read(out.join("data/v1").join(name)).unwrap()).unwrap()
}

/// The record with this `id` in a feed's list.
fn record<'v>(feed: &'v Value, list: &str, id: &str) -> &'v Value {
    feed[list].as_array().unwrap().iter().find(|r| r["id"] == id).unwrap_or_else(|| panic!("no {id} in {list}"))
}

/// (progress, commitment_count, reported_commitments) of a group record.
fn group(r: &Value) -> (Value, Value, Value) {
    (r["progress"].clone(), r["commitment_count"].clone(), r["reported_commitments"].clone())
}

fn page(out: &Path, path: &str) -> String {
    fs::read_to_string(out.join(path).join("index.html")).unwrap_or_else(|e| panic!("{path}: {e}"))
}

// As of 2025-06-15 the fixture's three commitments read:
// - open-data (area transparency, lead digital-ministry): activities 100 (undated),
//   40 (the report of 2025-01-15; the one of 2025-09-01 does not exist yet), 12.5, and a
//   cancelled one left out: (100 + 40 + 12.5) / 3 = 50.833… → 50.8.
// - participatory-budget (participation, city-council): its own undated 65 → 65.0.
// - citizen-petitions (participation, city-council): nothing reported → null.
// The plan: (50.8 + 65.0) / 2 = 57.9, over 2 of its 3 commitments.
// Areas: transparency 50.8 (1 of 1); participation 65.0 (1 of 2; the unreported one is
// not a 0); unused-area null (0 of 0).
// Institutions (by lead): digital-ministry 50.8 (1 of 1); city-council 65.0 (1 of 2);
// watchdog, a partner only, null (0 of 0).
#[test]
fn the_fixtures_figures_are_the_ones_worked_out_by_hand() {
    let (_dir, out) = build(&fixture());
    let commitments = feed(&out, "commitments.json");
    let figures: Vec<(&str, Value, &str)> = commitments["commitments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["id"].as_str().unwrap(), c["progress"].clone(), c["status"].as_str().unwrap()))
        .collect();
    assert_eq!(
        figures,
        [
            ("open-data", json!(50.8), "in_progress"),
            ("participatory-budget", json!(65.0), "in_progress"),
            ("citizen-petitions", Value::Null, "not_reported")
        ]
    );
    let plans = feed(&out, "plans.json");
    assert_eq!(group(record(&plans, "plans", "2024-2027")), (json!(57.9), json!(3), json!(2)));
    let areas = feed(&out, "areas.json");
    assert_eq!(group(record(&areas, "areas", "transparency")), (json!(50.8), json!(1), json!(1)));
    assert_eq!(group(record(&areas, "areas", "participation")), (json!(65.0), json!(2), json!(1)));
    assert_eq!(group(record(&areas, "areas", "unused-area")), (Value::Null, json!(0), json!(0)));
    let institutions = feed(&out, "institutions.json");
    assert_eq!(group(record(&institutions, "institutions", "digital-ministry")), (json!(50.8), json!(1), json!(1)));
    assert_eq!(group(record(&institutions, "institutions", "city-council")), (json!(65.0), json!(2), json!(1)));
    assert_eq!(group(record(&institutions, "institutions", "watchdog")), (Value::Null, json!(0), json!(0)));

    // The same figures on the pages, written the French way.
    let plan = page(&out, "fr/plans/2024-2027");
    assert!(plan.contains("57,9\u{202F}%"), "the plan's mean on its page");
    assert!(page(&out, "fr/areas/participation").contains("65\u{202F}%"));
    assert!(page(&out, "fr/institutions/digital-ministry").contains("50,8\u{202F}%"));
}

/// A commitment whose every activity was cancelled is `cancelled`, has no figure, and
/// counts in no mean: not as 0 %, and not with its cancelled activities' figures.
#[test]
fn an_all_cancelled_commitment_has_no_figure_and_moves_no_mean() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    common::copy_tree(&fixture(), &root);
    // In the transparency area, led by digital-ministry, like open-data; its cancelled
    // activities carry 30 and 90, which must count nowhere.
    fs::write(
        root.join("content/plans/2024-2027/commitments/abandoned-registry.yaml"),
        r#"number: 4
title:
  ar: "سجل متخلى عنه"
  fr: "Registre abandonné"
area: transparency
lead: digital-ministry
activities:
  - title: {ar: "نشاط أول", fr: "Première activité"}
    start: 2024-02
    end: 2024-06
    progress: 30
    status: cancelled
  - title: {ar: "نشاط ثان", fr: "Deuxième activité"}
    start: 2024-03
    end: 2024-09
    progress: 90
    status: cancelled
"#,
    )
    .unwrap();
    let (_out_dir, out) = build(&root);
    let commitments = feed(&out, "commitments.json");
    let abandoned = record(&commitments, "commitments", "abandoned-registry");
    assert_eq!(abandoned["status"], "cancelled");
    assert_eq!(abandoned["progress"], Value::Null, "no figure: not 0, not 30, not 60");
    assert_eq!((abandoned["reported_activities"].clone(), abandoned["activity_count"].clone()), (json!(0), json!(0)));

    // Plan: still (50.8 + 65.0) / 2 = 57.9, now over 2 of 4 commitments. Were the
    // cancelled commitment a 0 it would read (50.8 + 65 + 0) / 3 = 38.6; were it the
    // mean of its cancelled activities, (50.8 + 65 + 60) / 3 = 58.6.
    let plans = feed(&out, "plans.json");
    let plan = record(&plans, "plans", "2024-2027");
    assert_eq!(group(plan), (json!(57.9), json!(4), json!(2)));
    assert_eq!(plan["commitment_statuses"]["cancelled"], 1);
    // Transparency area and digital-ministry: still open-data's 50.8, over 1 of 2
    // (a 0 would give 25.4, the activities' mean (50.8 + 60) / 2 = 55.4).
    let areas = feed(&out, "areas.json");
    assert_eq!(group(record(&areas, "areas", "transparency")), (json!(50.8), json!(2), json!(1)));
    let institutions = feed(&out, "institutions.json");
    assert_eq!(group(record(&institutions, "institutions", "digital-ministry")), (json!(50.8), json!(2), json!(1)));
    // Its CSV row has an empty progress cell and the cancelled status.
    let csv = fs::read_to_string(out.join("data/v1/commitments.csv")).unwrap();
    let row = csv.lines().find(|l| l.starts_with("2024-2027,abandoned-registry,")).expect("its CSV row");
    assert!(row.contains(",,cancelled,"), "{row}");

    // Its page says cancelled and draws no bar; the plan page still reads 57,9 %.
    let sheet = page(&out, "fr/plans/2024-2027/commitments/abandoned-registry");
    let status = &sheet[sheet.find("class=\"status-box\"").expect("status box")..];
    let status = &status[..status.find("</section>").unwrap_or(status.len())];
    assert!(status.contains("Annulé"), "{status}");
    assert!(!status.contains("progressbar"), "no bar for a cancelled commitment");
    assert!(page(&out, "fr/plans/2024-2027").contains("57,9\u{202F}%"));
}
