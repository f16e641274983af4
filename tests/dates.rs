//! Dates as citizens read them: the twelve Moroccan month names in Arabic and the
//! French ones, and the date the portal speaks of (`--as-of`, else `site.yaml`'s
//! `as_of`, else today), through the real binary.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use shafaf::model::Date;
use shafaf::present::i18n::Strings;

fn manifest() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn strings(lang: &str) -> Strings {
    let path = manifest().join(format!("themes/default/i18n/{lang}.yaml"));
    let language = shafaf::language::Language::built_in(lang).unwrap();
    // The dates and numbers come from the table: a language whose strings are not written
    // yet (English before the content lands) is read from an empty file.
    let text = fs::read_to_string(&path).unwrap_or_else(|_| "{}".to_string());
    Strings::parse(&language, &path.display().to_string(), &text).unwrap()
}

#[test]
fn all_twelve_months_in_arabic_as_written_in_morocco_and_in_french() {
    let ar = ["يناير", "فبراير", "مارس", "أبريل", "ماي", "يونيو", "يوليوز", "غشت", "شتنبر", "أكتوبر", "نونبر", "دجنبر"];
    let fr = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"];
    let (ar_strings, fr_strings) = (strings("ar"), strings("fr"));
    for month in 1..=12 {
        let (a, f) = (ar[month - 1], fr[month - 1]);
        assert_eq!(ar_strings.date(&Date::parse(&format!("2025-{month:02}")).unwrap()), format!("{a} 2025"));
        assert_eq!(ar_strings.date(&Date::parse(&format!("2024-{month:02}-17")).unwrap()), format!("17 {a} 2024"));
        assert_eq!(fr_strings.date(&Date::parse(&format!("2025-{month:02}")).unwrap()), format!("{f} 2025"));
        assert_eq!(fr_strings.date(&Date::parse(&format!("2024-{month:02}-17")).unwrap()), format!("17 {f} 2024"));
    }
    // The first of the month: "1er" in French only.
    assert_eq!(fr_strings.date(&Date::parse("2024-02-01").unwrap()), "1er février 2024");
    assert_eq!(ar_strings.date(&Date::parse("2024-02-01").unwrap()), "1 فبراير 2024");
}

/// English dates, numbers and percentages come from the built-in row of the language
/// table, whatever the UI strings file says.
#[test]
fn english_dates_numbers_and_percentages() {
    let en = strings("en");
    assert_eq!(en.date(&Date::parse("2024-05").unwrap()), "May 2024");
    assert_eq!(en.date(&Date::parse("2024-02-01").unwrap()), "1 February 2024");
    assert_eq!(en.date(&Date::parse("2023-12-17").unwrap()), "17 December 2023");
    assert_eq!(en.number(120000.0, 0), "120,000");
    assert_eq!(en.number(65.44, 2), "65.44");
    assert_eq!(en.percent(65.4), "65.4%");
    assert_eq!(en.percent(100.0), "100%");
    assert_eq!(en.dir(), "ltr");
}

/// A month name on a built page, through the template: the fixture's dated report of
/// 15 January 2025 and the replanned end of December 2025, in both languages.
#[test]
fn month_names_reach_the_built_pages() {
    let (_dir, out) = build(&manifest().join("tests/fixtures/feeds-site"), &["--as-of", "2025-06-15"]);
    let fr = fs::read_to_string(out.join("fr/plans/2024-2027/commitments/open-data/index.html")).unwrap();
    assert!(fr.contains("15 janvier 2025") && fr.contains("décembre 2025"));
    let ar = fs::read_to_string(out.join("ar/plans/2024-2027/commitments/open-data/index.html")).unwrap();
    assert!(ar.contains("15 يناير 2025") && ar.contains("دجنبر 2025"), "Moroccan names, not يونيو/ديسمبر of the Mashreq");
}

fn build(root: &Path, extra: &[&str]) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    let mut args = vec!["build", "--quiet", "--root", root.to_str().unwrap(), "--out", out.to_str().unwrap()];
    args.extend_from_slice(extra);
    let result = Command::new(env!("CARGO_BIN_EXE_shafaf")).args(&args).output().expect("run shafaf");
    assert!(result.status.success(), "{}", String::from_utf8_lossy(&result.stderr));
    (dir, out)
}

/// The `as_of` the feeds' index states, and the French dashboard's "as of" line.
fn as_of(out: &Path) -> String {
    let index: serde_json::Value = serde_json::from_slice(&fs::read(out.join("data/v1/index.json")).unwrap()).unwrap();
    index["as_of"].as_str().unwrap().to_string()
}

#[test]
fn as_of_comes_from_the_flag_else_site_yaml_else_today() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    common::copy_tree(&manifest().join("tests/fixtures/feeds-site"), &root);
    let site = root.join("content/site.yaml");
    assert!(fs::read_to_string(&site).unwrap().contains("as_of: 2025-06-15"));

    // site.yaml says 2025-06-15 and no flag is given: site.yaml wins over today.
    let (_a, out) = build(&root, &[]);
    assert_eq!(as_of(&out), "2025-06-15");
    let petitions = fs::read_to_string(out.join("fr/plans/2024-2027/commitments/citizen-petitions/index.html")).unwrap();
    assert!(petitions.contains("Échéance dépassée (février 2025)"), "judged on 15 June 2025");

    // The flag wins over site.yaml: on 15 September 2024 nothing of that sheet had started.
    let (_b, out) = build(&root, &["--as-of", "2024-09-15"]);
    assert_eq!(as_of(&out), "2024-09-15");
    let petitions = fs::read_to_string(out.join("fr/plans/2024-2027/commitments/citizen-petitions/index.html")).unwrap();
    assert!(petitions.contains("Non démarré") && !petitions.contains("Échéance dépassée"));

    // Without either: today (read before and after, in case the build crosses midnight).
    let text = fs::read_to_string(&site).unwrap().replace("as_of: 2025-06-15\n", "");
    fs::write(&site, text).unwrap();
    let before = chrono::Local::now().date_naive().format("%Y-%m-%d").to_string();
    let (_c, out) = build(&root, &[]);
    let after = chrono::Local::now().date_naive().format("%Y-%m-%d").to_string();
    let stated = as_of(&out);
    assert!(stated == before || stated == after, "{stated} is not today ({before})");

    // And the flag still wins when site.yaml says nothing.
    let (_d, out) = build(&root, &["--as-of", "2024-09-15"]);
    assert_eq!(as_of(&out), "2024-09-15");
}
