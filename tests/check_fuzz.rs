//! Property tests: whatever bytes an editor saves, loading and checking never panic, and
//! every diagnostic points at a real position (line and column from 1); whatever passes
//! `check` also renders: every page and feed, without an error or a panic.
//!
//! The normal suite runs a short hunt; `scripts/fuzz.sh` runs it for as long as asked.
//!
//! Each property writes its input into a copy of the valid fixture site (as a commitment
//! sheet, as site.yaml, or as a page's front matter) and calls the library directly.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use codespan_reporting::term::termcolor::NoColor;
use proptest::prelude::*;
use shafaf::diagnostics::{print_github, print_human, print_json};
use tempfile::TempDir;

const SHEET: &str = "content/plans/2024-2027/commitments/open-data.yaml";
const SITE: &str = "content/site.yaml";
const PAGE: &str = "content/pages/about.fr.md";

fn valid_site() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/valid-site")
}

/// A copy of the valid site, made once per property and reused by its cases.
fn site_copy() -> TempDir {
    let dir = tempfile::tempdir().unwrap();
    common::copy_tree(&valid_site(), dir.path());
    dir
}

/// Writes `bytes` at `rel` under `root`, loads and checks the site, prints every format,
/// and checks the diagnostics' positions.
fn check_bytes(root: &Path, rel: &str, bytes: &[u8]) -> Result<(), TestCaseError> {
    fs::write(root.join(rel), bytes).unwrap();

    let loaded = shafaf::load::load(root).expect("the root exists");
    for d in loaded.diagnostics.sorted() {
        prop_assert!(d.line >= 1 && d.column >= 1, "load: bad position in {d:?}");
        prop_assert!(!d.message.is_empty());
    }

    let checked = shafaf::check(root, None, true).expect("the root exists");
    let diagnostics = checked.diagnostics.sorted();
    for d in &diagnostics {
        prop_assert!(d.line >= 1 && d.column >= 1, "check: bad position in {d:?}");
        prop_assert!(!d.path.is_empty());
        // A position inside a file that was read lies within its text (a missing value
        // at the very end may point one line past the last).
        if let Some(text) = checked.sources.get(&d.path) {
            prop_assert!(d.line <= text.lines().count() + 1, "line past the end in {d:?}");
        }
    }
    // The printers cope with every position, including ones past a line's end.
    let mut human = NoColor::new(Vec::new());
    print_human(&mut human, &checked.diagnostics, &checked.sources).unwrap();
    let mut json = Vec::new();
    print_json(&mut json, &checked.diagnostics).unwrap();
    let parsed: serde_json::Value = serde_json::from_slice(&json).unwrap();
    prop_assert_eq!(parsed["diagnostics"].as_array().unwrap().len(), diagnostics.len());
    let mut github = Vec::new();
    print_github(&mut github, &checked.diagnostics).unwrap();
    prop_assert_eq!(String::from_utf8(github).unwrap().lines().count(), diagnostics.len());
    if !checked.diagnostics.has_errors() {
        // What passes check must build: every page, feed and side file, in memory.
        let options = shafaf::build::BuildOptions {
            root: root.to_path_buf(),
            out: PathBuf::new(),
            base_url: None,
            as_of: None,
            strict: false,
            force: false,
            progress: false,
        };
        let rendered = shafaf::build::render_output_parts(&options, &checked.site, &checked.facts);
        prop_assert!(rendered.is_ok(), "a site that passes check failed to render: {:?}", rendered.err());
    }
    Ok(())
}

/// A date anywhere from well before to well after the accepted window, in every
/// precision, sometimes malformed.
fn any_date() -> impl Strategy<Value = String> {
    prop_oneof![
        (1940..2110i32).prop_map(|y| y.to_string()),
        (1940..2110i32, 0..14u32).prop_map(|(y, m)| format!("{y}-{m:02}")),
        (1940..2110i32, 0..14u32, 0..33u32).prop_map(|(y, m, d)| format!("{y}-{m:02}-{d:02}")),
        "[0-9-]{0,12}",
    ]
}

/// A commitment sheet shaped like the real ones, with activities that carry random
/// weights, replannings and dated reports (in and out of order, in and out of range),
/// so derive, render and export see every combination of the report rules.
fn report_sheet() -> impl Strategy<Value = String> {
    let report = (
        any_date(),
        -10.0..110.0f64,
        prop::option::of("[a-z-]{1,12}"),
        any::<bool>(),
        prop::option::of("https?://[a-z]{1,8}\\.ma/[a-z]{0,6}"),
    )
        .prop_map(|(date, progress, by, note, url)| {
            let mut item = format!("      - date: {date}\n        progress: {progress:.2}\n");
            if let Some(by) = by {
                item.push_str(&format!("        by: {by}\n"));
            }
            if note {
                item.push_str("        note: {ar: \"ملاحظة\", fr: \"Note\"}\n");
            }
            if let Some(url) = url {
                item.push_str(&format!("        evidence: [{{url: \"{url}\"}}]\n"));
            }
            item
        });
    let replanning = (any_date(), any_date(), any::<bool>()).prop_map(|(date, end, reason)| {
        let reason = if reason { ", reason: {ar: \"سبب\", fr: \"Motif\"}" } else { "" };
        format!("      - {{date: {date}, end: {end}{reason}}}\n")
    });
    let activity = (
        any_date(),
        any_date(),
        prop::option::of(-1.0..5.0f64),
        prop::collection::vec(replanning, 0..3),
        prop::collection::vec(report, 0..4),
        prop::option::of(0.0..100.0f64),
        any::<bool>(),
    )
        .prop_map(|(start, end, weight, replanned, updates, undated, cancelled)| {
            let mut a = format!("  - title: {{ar: \"نشاط\", fr: \"Activité\"}}\n    start: {start}\n    end: {end}\n");
            if let Some(w) = weight {
                a.push_str(&format!("    weight: {w:.1}\n"));
            }
            if !replanned.is_empty() {
                a.push_str("    replanned:\n");
                replanned.iter().for_each(|r| a.push_str(r));
            }
            if !updates.is_empty() {
                a.push_str("    updates:\n");
                updates.iter().for_each(|r| a.push_str(&r.replacen("      -", "      -", 1)));
            }
            if let Some(p) = undated {
                a.push_str(&format!("    progress: {p:.0}\n"));
            }
            if cancelled {
                a.push_str("    status: cancelled\n");
            }
            a
        });
    (prop::collection::vec(activity, 0..5), prop::option::of(0.0..100.0f64)).prop_map(|(activities, own)| {
        let mut sheet = String::from(
            "number: 1\ntitle: {ar: \"المعطيات المفتوحة\", fr: \"Données ouvertes\"}\narea: transparency\nlead: digital-transition\n",
        );
        if let Some(p) = own {
            sheet.push_str(&format!("progress: {p:.1}\n"));
        }
        if !activities.is_empty() {
            sheet.push_str("activities:\n");
            activities.iter().for_each(|a| sheet.push_str(a));
        }
        sheet
    })
}

/// 128 cases per property, or `PROPTEST_CASES` for a longer hunt.
fn config() -> ProptestConfig {
    let mut config = ProptestConfig::default();
    if std::env::var_os("PROPTEST_CASES").is_none() {
        config.cases = 128;
    }
    config.failure_persistence = None;
    config
}

/// Pieces that YAML parsers find interesting, with some Arabic and French text.
fn yamlish() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "number: ",
        "title: ",
        "area: ",
        "lead: ",
        "activities:",
        "indicators:",
        "progress: ",
        "start: ",
        "end: ",
        "status: ",
        "languages: ",
        "ar: ",
        "fr: ",
        "zgh: ",
        "value: ",
        "values:",
        "kind: ",
        "unit: ",
        "date: ",
        "- ",
        "  ",
        "    ",
        "\n",
        "\n",
        "\n",
        "\t",
        "\r\n",
        "{",
        "}",
        "[",
        "]",
        ", ",
        ":",
        "? ",
        "'",
        "\"",
        "\\",
        "&a ",
        "*a",
        "&b ",
        "*b",
        "!!str ",
        "!tag ",
        "%YAML 1.2\n",
        "---\n",
        "...\n",
        "# comment",
        "|",
        "|-\n",
        ">",
        "~",
        "null",
        "true",
        "0",
        "1",
        "-5",
        "100",
        "120",
        "65.44",
        "1e400",
        "0x1F",
        ".nan",
        "2024",
        "2024-06",
        "2024-02-30",
        "9999-12-31",
        "transparency",
        "digital-transition",
        "cancelled",
        "تعزيز الشفافية",
        "Données ouvertes",
        "\u{feff}",
        "\u{200f}",
        "😀",
        "\0",
        "@",
        "`",
    ]);
    prop::collection::vec(pieces, 0..80).prop_map(|v| v.concat())
}

/// A valid file with a few bytes inserted, deleted or replaced.
fn mutated(original: Vec<u8>) -> impl Strategy<Value = Vec<u8>> {
    let len = original.len();
    prop::collection::vec((0..len.max(1), 0u8..3, any::<u8>()), 1..8).prop_map(move |edits| {
        let mut bytes = original.clone();
        for (at, op, byte) in edits {
            let at = at.min(bytes.len());
            match op {
                0 => bytes.insert(at, byte),
                1 if at < bytes.len() => {
                    bytes.remove(at);
                }
                _ if at < bytes.len() => bytes[at] = byte,
                _ => bytes.push(byte),
            }
        }
        bytes
    })
}

fn original(rel: &str) -> Vec<u8> {
    fs::read(valid_site().join(rel)).unwrap()
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn random_bytes_as_a_commitment_sheet(bytes in prop::collection::vec(any::<u8>(), 0..2000)) {
        let site = site_copy();
        check_bytes(site.path(), SHEET, &bytes)?;
    }

    #[test]
    fn random_yaml_as_a_commitment_sheet(text in yamlish()) {
        let site = site_copy();
        check_bytes(site.path(), SHEET, text.as_bytes())?;
    }

    #[test]
    fn random_reports_and_replannings(text in report_sheet()) {
        let site = site_copy();
        check_bytes(site.path(), SHEET, text.as_bytes())?;
    }

    #[test]
    fn a_mutated_commitment_sheet(bytes in mutated(original(SHEET))) {
        let site = site_copy();
        check_bytes(site.path(), SHEET, &bytes)?;
    }

    #[test]
    fn random_bytes_as_site_yaml(bytes in prop::collection::vec(any::<u8>(), 0..1000)) {
        let site = site_copy();
        check_bytes(site.path(), SITE, &bytes)?;
    }

    #[test]
    fn random_yaml_as_site_yaml(text in yamlish()) {
        let site = site_copy();
        check_bytes(site.path(), SITE, text.as_bytes())?;
    }

    #[test]
    fn a_mutated_site_yaml(bytes in mutated(original(SITE))) {
        let site = site_copy();
        check_bytes(site.path(), SITE, &bytes)?;
    }

    #[test]
    fn random_yaml_as_front_matter(text in yamlish(), body in "[^\0]{0,200}") {
        let site = site_copy();
        check_bytes(site.path(), PAGE, format!("---\n{text}\n---\n{body}").as_bytes())?;
    }

    #[test]
    fn random_bytes_as_a_markdown_page(bytes in prop::collection::vec(any::<u8>(), 0..1000)) {
        let site = site_copy();
        let mut page = b"---\n".to_vec();
        page.extend_from_slice(&bytes);
        check_bytes(site.path(), PAGE, &page)?;
    }

    #[test]
    fn a_mutated_news_post(bytes in mutated(original("content/news/2024-05-14-consultation-launch.ar.md"))) {
        let site = site_copy();
        check_bytes(site.path(), "content/news/2024-05-14-consultation-launch.ar.md", &bytes)?;
    }

    #[test]
    fn random_file_names(
        folder in prop::sample::select(vec!["areas", "institutions", "pages", "news", "plans/2024-2027/commitments", "plans", ""]),
        name in "[a-zA-Z0-9._ -]{1,20}|[^/\0]{1,12}",
        text in yamlish(),
    ) {
        prop_assume!(name != "." && name != "..");
        let site = site_copy();
        let rel = if folder.is_empty() { format!("content/{name}") } else { format!("content/{folder}/{name}") };
        if site.path().join(&rel).is_dir() {
            return Ok(());
        }
        check_bytes(site.path(), &rel, text.as_bytes())?;
    }
}

#[test]
fn deep_nesting_is_refused_without_overflowing_the_stack() {
    let site = site_copy();
    for depth in [100, 10_000, 200_000] {
        for (open, close) in [("[", "]"), ("{a: ", "}"), ("- ", "")] {
            let text = if open == "- " {
                (0..depth.min(2_000)).map(|i| format!("{}- x\n", "  ".repeat(i))).collect::<String>()
            } else {
                format!("{}1{}", open.repeat(depth), close.repeat(depth))
            };
            let checked = shafaf::check(site.path(), None, false).unwrap();
            assert!(!checked.diagnostics.has_errors());
            fs::write(site.path().join(SHEET), &text).unwrap();
            let checked = shafaf::check(site.path(), None, false).unwrap();
            let d = checked.diagnostics.sorted();
            assert!(d.iter().any(|d| d.path.ends_with("open-data.yaml")), "depth {depth} {open}: {d:?}");
            assert!(d.iter().all(|d| d.line >= 1 && d.column >= 1));
            fs::copy(valid_site().join(SHEET), site.path().join(SHEET)).unwrap();
        }
    }
}
