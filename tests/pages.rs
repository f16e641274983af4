//! The pages citizens read about delivery, built from the feeds fixture with the real
//! binary: what a reader sees about reports, replanned ends and unreported work, today
//! and as of a past date.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

fn build(as_of: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/feeds-site");
    let status = Command::new(env!("CARGO_BIN_EXE_shafaf"))
        .args(["build", "--quiet", "--root", root.to_str().unwrap(), "--out", out.to_str().unwrap(), "--as-of", as_of])
        .status()
        .expect("run shafaf");
    assert!(status.success());
    (dir, out)
}

fn page(out: &Path, path: &str) -> String {
    fs::read_to_string(out.join(path).join("index.html")).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The part of a page between two markers, to assert on one section only.
fn between<'a>(html: &'a str, from: &str, to: &str) -> &'a str {
    let start = html.find(from).unwrap_or_else(|| panic!("no {from}"));
    let end = html[start..].find(to).map_or(html.len(), |e| start + e);
    &html[start..end]
}

const SHEET: &str = "fr/plans/2024-2027/commitments/open-data/";
const PETITIONS: &str = "fr/plans/2024-2027/commitments/citizen-petitions/";

#[test]
fn a_sheet_shows_its_history_newest_first_and_the_replanned_end_beside_the_original() {
    let (_dir, out) = build("2025-06-15");
    let html = page(&out, SHEET);
    let history = between(&html, "id=history-h", "</section>");
    let first = history.find("id=report-activity-2-2").expect("the January report");
    let second = history.find("id=report-activity-2-1").expect("the September report");
    assert!(first < second, "newest first");
    assert!(history.contains("15 janvier 2025") && history.contains("Commune de la ville"), "date and reporter");
    assert!(history.contains("href=https://example.org/beta"), "evidence link");
    assert!(history.contains("Procès-verbal"), "evidence without a link is still named");
    assert!(!history.contains("80"), "the report of September 2025 does not exist yet");
    assert!(history.contains("id=progress-chart"), "two dated reports draw the progress-over-time chart");
    let activities = between(&html, "id=activities-h", "</section>");
    assert!(activities.contains("<del"), "the original end is struck through");
    assert!(activities.contains("mars 2025") && activities.contains("Échéance reportée à décembre 2025"));
    assert!(activities.contains("Retard du marché public"), "the reason is shown");
}

#[test]
fn unreported_work_is_said_never_drawn_as_zero() {
    let (_dir, out) = build("2025-06-15");
    let html = page(&out, PETITIONS);
    let status = between(&html, "class=status-box", "</section>");
    assert!(!status.contains("progressbar"), "no bar for a figure nobody gave");
    assert!(status.contains("Aucun avancement déclaré à ce jour"));
    assert!(status.contains("Non renseigné"));
    let activities = between(&html, "id=activities-h", "</section>");
    assert!(activities.contains("Échéance dépassée (février 2025), aucun avancement déclaré"));
    assert!(!activities.contains("0 %") && !activities.contains("0\u{202F}%"));
    assert!(!html.contains("En retard"), "nothing reported is never delayed");
}

#[test]
fn plan_pages_the_report_the_updates_page_and_the_feed_agree() {
    let (_dir, out) = build("2025-06-15");
    let plan = page(&out, "fr/plans/2024-2027/");
    assert!(plan.contains("Engagements avec un avancement déclaré : 2 sur 3"), "coverage");
    assert!(plan.contains("Dernier rapport : 15 janvier 2025"));
    assert!(plan.contains("href=/fr/plans/2024-2027/report/"), "the plan links its report");
    let report = page(&out, "fr/plans/2024-2027/report/");
    assert!(report.contains("Rapport d'auto-évaluation"));
    assert!(report.contains("Étude préalable") && report.contains("Échéance dépassée (février 2025)"), "overdue activities listed");
    assert!(report.contains("Activités replanifiées") && report.contains("Lancer le portail"));
    let updates = page(&out, "fr/updates/");
    assert_eq!(updates.matches("<li class=report").count(), 2, "two reports in effect");
    let atom = fs::read_to_string(out.join("fr/atom.xml")).unwrap();
    assert!(atom.contains("#report-activity-2-2</id>") && atom.contains("<updated>2025-01-15T00:00:00Z</updated>"));
    assert!(!atom.contains("2025-09-01"), "a report after as_of is no entry");
}

#[test]
fn a_past_as_of_shows_the_sheet_as_it_stood() {
    let (_dir, out) = build("2024-09-15");
    let html = page(&out, SHEET);
    let history = between(&html, "id=history-h", "</section>");
    assert_eq!(history.matches("<li class=report").count(), 1);
    assert!(!history.contains("id=progress-chart"), "one report draws no chart");
    assert!(!between(&html, "id=activities-h", "</section>").contains("<del"), "the end had not moved yet");
    let petitions = page(&out, PETITIONS);
    assert!(petitions.contains("Non démarré") && !petitions.contains("Échéance dépassée"));
}
