//! `shafaf check` on one fixture per error class: the exact file, line, column, field
//! and message of every diagnostic, and the exit code.
//!
//! Each fixture under `tests/fixtures/check/NAME/` is a minimal site root; the commitment
//! sheets live in `content/plans/2024-2027/commitments/`, written `C/` below.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use serde_json::Value;

const SHEETS: &str = "content/plans/2024-2027/commitments/";

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}

fn shafaf(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_shafaf")).args(args).output().expect("run shafaf")
}

/// (path, line, column, field, message) with `C/` standing for the sheets' folder.
type Expected<'a> = (&'a str, u64, u64, &'a str, &'a str);

/// Runs `check --format json` and returns the exit code, the severities, and the
/// diagnostics with paths shortened as in [`Expected`].
fn check_json(root: &Path, extra: &[&str]) -> (i32, Vec<String>, Vec<(String, u64, u64, String, String)>) {
    let root = root.to_str().unwrap();
    let mut args = vec!["check", "--root", root, "--format", "json"];
    args.extend_from_slice(extra);
    let out = shafaf(&args);
    let stdout = String::from_utf8(out.stdout).expect("UTF-8 output");
    let json: Value = serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {stdout}"));
    let items = json["diagnostics"].as_array().expect("diagnostics array");
    let mut severities = Vec::new();
    let mut found = Vec::new();
    for d in items {
        severities.push(d["severity"].as_str().unwrap().to_string());
        found.push((
            d["path"].as_str().unwrap().replace(SHEETS, "C/"),
            d["line"].as_u64().unwrap(),
            d["column"].as_u64().unwrap(),
            d["field"].as_str().unwrap().to_string(),
            d["message"].as_str().unwrap().to_string(),
        ));
    }
    assert_eq!(json["errors"].as_u64().unwrap() as usize, severities.iter().filter(|s| *s == "error").count());
    assert_eq!(json["warnings"].as_u64().unwrap() as usize, severities.iter().filter(|s| *s == "warning").count());
    (out.status.code().expect("exit code"), severities, found)
}

fn assert_diagnostics(root: &Path, extra: &[&str], code: i32, expected: &[Expected]) {
    let (actual_code, _, found) = check_json(root, extra);
    let expected: Vec<_> = expected.iter().map(|(p, l, c, f, m)| (p.to_string(), *l, *c, f.to_string(), m.to_string())).collect();
    assert_eq!(found, expected, "diagnostics of {}", root.display());
    assert_eq!(actual_code, code, "exit code of {}", root.display());
}

fn assert_errors(name: &str, expected: &[Expected]) {
    assert_diagnostics(&fixture(&format!("check/{name}")), &[], 1, expected);
}

#[test]
fn valid_site_passes_strict_check_without_warnings() {
    let (code, severities, found) = check_json(&fixture("valid-site"), &["--strict"]);
    assert!(found.is_empty(), "{found:#?}");
    assert!(severities.is_empty());
    assert_eq!(code, 0);
}

#[test]
fn valid_site_human_summary() {
    let out = shafaf(&["check", "--strict", "--root", fixture("valid-site").to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("checked 1 plans, 3 commitments, 2 pages and 2 news posts"), "{stderr}");
    assert!(stderr.contains("0 errors, 0 warnings"), "{stderr}");
}

#[test]
fn yaml_syntax_error() {
    assert_errors(
        "yaml-syntax",
        &[(
            "C/open-data.yaml",
            8,
            4,
            "",
            "YAML syntax error: the indentation of this line does not match the lines above it; keys of one map must line up, and list items (`- `) go under their key (the parser says: while parsing a block collection, did not find expected '-' indicator)",
        )],
    );
}

#[test]
fn wrong_types() {
    assert_errors(
        "wrong-type",
        &[
            ("C/open-data.yaml", 1, 9, "number", "\"number\" must be a whole number from 0 up, found \"one\""),
            ("C/open-data.yaml", 5, 11, "partners", "\"partners\" must be a list, found a string"),
            (
                "C/open-data.yaml",
                7,
                12,
                "activities[0].title",
                "activity 1 \"title\" must give one text per language, like {ar: ..., fr: ...}; found a string",
            ),
            (
                "C/open-data.yaml",
                10,
                15,
                "activities[0].progress",
                "activity 1 \"progress\" must be a number, found the quoted text \"50\"; remove the quotes",
            ),
        ],
    );
}

#[test]
fn unknown_fields_with_did_you_mean() {
    assert_errors(
        "unknown-field",
        &[
            ("C/open-data.yaml", 2, 1, "titel", "unknown field \"titel\"; did you mean \"title\"?"),
            ("C/open-data.yaml", 10, 5, "activities[0].progres", "unknown field \"progres\" in activity 1; did you mean \"progress\"?"),
            (
                "C/open-data.yaml",
                11,
                5,
                "activities[0].colour",
                "unknown field \"colour\" in activity 1; expected one of: title, start, end, weight, replanned, updates, progress, status, cost, funding, partners",
            ),
        ],
    );
}

#[test]
fn missing_required_fields() {
    assert_errors(
        "missing-field",
        &[
            ("C/open-data.yaml", 1, 1, "lead", "the required field \"lead\" is missing"),
            ("C/open-data.yaml", 5, 5, "activities[0].end", "activity 1 is missing the required field \"end\""),
        ],
    );
}

/// An unknown reference with no close name: an area or institution points at the file
/// that is missing, a news post's related commitment names no file.
#[test]
fn unknown_area_and_institution_references() {
    assert_errors(
        "unknown-reference",
        &[
            (
                "content/news/2025-01-01-post.ar.md",
                3,
                11,
                "related[0]",
                "related commitment 1 refers to an unknown commitment \"unrelated/zzzz\"",
            ),
            (
                "content/news/2025-01-01-post.fr.md",
                3,
                11,
                "related[0]",
                "related commitment 1 refers to an unknown commitment \"unrelated/zzzz\"",
            ),
            (
                "C/elsewhere.yaml",
                3,
                7,
                "area",
                "\"area\" refers to an unknown area \"nowhere-near\"; content/areas/nowhere-near.yaml is missing or has errors",
            ),
            ("C/open-data.yaml", 3, 7, "area", "\"area\" refers to an unknown area \"transparancy\"; did you mean \"transparency\"?"),
            (
                "C/open-data.yaml",
                4,
                7,
                "lead",
                "\"lead\" refers to an unknown institution \"digital-transtion\"; did you mean \"digital-transition\"?",
            ),
            (
                "C/open-data.yaml",
                5,
                32,
                "partners[1]",
                "partner 2 refers to an unknown institution \"ministry-of-nowhere\"; content/institutions/ministry-of-nowhere.yaml is missing or has errors",
            ),
        ],
    );
}

#[test]
fn duplicate_commitment_number() {
    assert_errors(
        "duplicate-number",
        &[(
            "C/open-data.yaml",
            1,
            9,
            "number",
            "commitment number 4 is already used in plan \"2024-2027\" by content/plans/2024-2027/commitments/access-to-information.yaml",
        )],
    );
}

#[test]
fn malformed_dates() {
    assert_errors(
        "malformed-date",
        &[
            (
                "C/open-data.yaml",
                7,
                12,
                "activities[0].start",
                "activity 1 \"start\" (\"2024-13\") is not a valid date; write YYYY, YYYY-MM or YYYY-MM-DD",
            ),
            (
                "C/open-data.yaml",
                8,
                10,
                "activities[0].end",
                "activity 1 \"end\" (\"May 2025\") is not a valid date; write YYYY, YYYY-MM or YYYY-MM-DD",
            ),
            (
                "C/open-data.yaml",
                10,
                12,
                "activities[1].start",
                "activity 2 \"start\" (\"2025-02-30\") is not a valid date; write YYYY, YYYY-MM or YYYY-MM-DD",
            ),
        ],
    );
}

#[test]
fn dates_outside_the_year_window() {
    // 1950-01-01 is the first day accepted; 1949-12-31 the last refused.
    assert_errors(
        "year-window",
        &[
            ("content/news/0000-05-14-launch.ar.md", 1, 1, "", "the date in the file name (0000-05-14) is outside the years 1950 to 2100"),
            ("content/news/0000-05-14-launch.fr.md", 1, 1, "", "the date in the file name (0000-05-14) is outside the years 1950 to 2100"),
            ("C/open-data.yaml", 7, 12, "activities[0].start", "activity 1 \"start\" (0000) is outside the years 1950 to 2100"),
            ("C/open-data.yaml", 11, 10, "activities[1].end", "activity 2 \"end\" (2204-06) is outside the years 1950 to 2100"),
            ("C/open-data.yaml", 13, 12, "participation[0].date", "consultation 1 \"date\" (1949-12-31) is outside the years 1950 to 2100"),
        ],
    );
}

#[test]
fn partner_listed_twice_or_also_lead() {
    assert_errors(
        "partners-twice",
        &[
            (
                "C/open-data.yaml",
                5,
                27,
                "partners[1]",
                "partner 2 (\"digital-transition\") is also the commitment's \"lead\"; list it only as the lead",
            ),
            ("C/open-data.yaml", 5, 47, "partners[2]", "partner 3 (\"civil-society\") is listed twice"),
            ("C/open-data.yaml", 10, 31, "activities[0].partners[1]", "activity 1 partner 2 (\"civil-society\") is listed twice"),
        ],
    );
}

#[test]
fn end_before_start() {
    // Activities 1 and 2 are fine (an end in the start's own month is allowed).
    assert_errors(
        "end-before-start",
        &[("C/open-data.yaml", 14, 10, "activities[2].end", "activity 3 \"end\" (2024-02) is before its \"start\" (2024-06)")],
    );
}

#[test]
fn progress_outside_0_to_100() {
    assert_errors(
        "progress-range",
        &[
            ("C/open-data.yaml", 9, 15, "activities[0].progress", "activity 1 \"progress\" (120) is outside 0..100"),
            ("C/open-data.yaml", 13, 15, "activities[1].progress", "activity 2 \"progress\" (-5) is outside 0..100"),
        ],
    );
}

/// Dated reports and replannings: the undated `progress` beside `updates`, a weight of
/// 0, replannings out of order or ending before the start, reports out of order, a
/// report before the start, a fall without a note, a bad evidence link and an unknown
/// reporter. A sheet-level `progress` beside activities is allowed (the figure for the
/// commitment as a whole).
#[test]
fn progress_reports_and_replannings() {
    let (code, severities, found) = check_json(&fixture("check/reports"), &[]);
    let expected: Vec<Expected> = vec![
        (
            "C/open-data.yaml",
            5,
            11,
            "progress",
            "\"progress\" is given together with \"updates\"; move the figure into a dated report under \"updates\" and remove \"progress\"",
        ),
        ("C/open-data.yaml", 12, 13, "activities[0].weight", "activity 1 \"weight\" (0) must be more than 0 and at most 1000"),
        (
            "C/open-data.yaml",
            15,
            10,
            "activities[0].replanned[1].reason",
            "activity 1 replanning 2 has no \"reason\"; say why the end moved",
        ),
        (
            "C/open-data.yaml",
            15,
            16,
            "activities[0].replanned[1].date",
            "activity 1 replanning 2 \"date\" (2024-07-01) is earlier than the replanning before it (2024-08-01); list replannings oldest first",
        ),
        (
            "C/open-data.yaml",
            15,
            33,
            "activities[0].replanned[1].end",
            "activity 1 replanning 2 \"end\" (2023-12) is before the activity's \"start\" (2024-06)",
        ),
        (
            "C/open-data.yaml",
            17,
            16,
            "activities[0].updates[0].date",
            "activity 1 report 1 \"date\" (2024-05-01) is before the activity's \"start\" (2024-06)",
        ),
        (
            "C/open-data.yaml",
            19,
            16,
            "activities[0].updates[2].date",
            "activity 1 report 3 \"date\" (2024-09-01) is earlier than the report before it (2024-10-01); list reports oldest first",
        ),
        (
            "C/open-data.yaml",
            21,
            19,
            "activities[0].updates[3].progress",
            "activity 1 report 4 \"progress\" (50) is lower than the report before it (70); add a \"note\" that says why progress went down",
        ),
        (
            "C/open-data.yaml",
            23,
            52,
            "activities[0].updates[3].evidence[0].url",
            "activity 1 report 4 evidence 1 \"url\" (\"ftp://example.org/x\") must be a web address starting with https:// or http://",
        ),
        (
            "C/open-data.yaml",
            27,
            15,
            "activities[1].progress",
            "activity 2 \"progress\" is given together with \"updates\"; move the figure into a dated report under \"updates\" and remove \"progress\"",
        ),
        (
            "C/open-data.yaml",
            29,
            43,
            "activities[1].updates[0].by",
            "activity 2 report 1 \"by\" refers to an unknown institution \"digital-transitoin\"; did you mean \"digital-transition\"?",
        ),
        (
            "C/open-data.yaml",
            30,
            16,
            "activities[1].updates[1].date",
            "activity 2 report 2 \"date\" (2025-02) is the date of the report before it, on line 29; keep one report per date",
        ),
    ];
    let expected: Vec<_> = expected.iter().map(|(p, l, c, f, m)| (p.to_string(), *l, *c, f.to_string(), m.to_string())).collect();
    assert_eq!(found, expected);
    assert_eq!(code, 1);
    let warnings: Vec<usize> = severities.iter().enumerate().filter(|(_, s)| *s == "warning").map(|(i, _)| i).collect();
    // No reason for a replanning, a report before the start, a fall without a note.
    assert_eq!(warnings.len(), 3, "{severities:?}");
    for i in warnings {
        assert!(
            found[i].3.ends_with(".reason") || found[i].4.contains("before the activity's \"start\"") || found[i].4.contains("went down")
        );
    }
}

#[test]
fn id_not_matching_the_pattern() {
    assert_errors(
        "bad-id",
        &[(
            "C/Open_Data.yaml",
            1,
            1,
            "",
            "the file name \"Open_Data\" is not a valid identifier; use lower-case letters, digits and hyphens (at most 64)",
        )],
    );
}

#[test]
fn file_not_utf8() {
    // The first byte that is not UTF-8 is the "é" of "Données", written in Latin-1.
    assert_errors("not-utf8", &[("C/open-data.yaml", 2, 25, "", "the file is not valid UTF-8 text; save it with the UTF-8 encoding")]);
}

/// A NUL inside a plain or block scalar used to end the document there, silently: the
/// rest of the sheet vanished and `check --strict` passed. Every C0 control character
/// but tab and newline (and the carriage return of a CRLF line end) is refused, in YAML
/// and Markdown alike, at its line and column (counted in characters).
#[test]
fn control_characters_are_refused() {
    let site = tempfile::tempdir().unwrap();
    common::copy_tree(&fixture("valid-site"), site.path());
    let edit = |rel: &str, edits: &[(&str, &str)]| {
        let path = site.path().join(rel);
        let mut text = fs::read_to_string(&path).unwrap();
        for (from, to) in edits {
            assert!(text.contains(from), "{from} in {rel}");
            text = text.replacen(from, to, 1);
        }
        fs::write(&path, text).unwrap();
    };
    let sheet = format!("{SHEETS}parliament-open-data.yaml");
    edit(
        &sheet,
        &[
            ("Publier les données du", "Publier les données\u{0} du"),
            ("ogp_values: [civic_participation]\n", "ogp_values: [civic_participation]\r# CR\n"),
            ("  ar: نشر الأسئلة", "  ar: |\n    نشر\u{0} الأسئلة"),
        ],
    );
    edit("content/pages/about.fr.md", &[("Ce portail présente", "Ce portail\u{1b}]0;pwned\u{7} présente")]);
    // CRLF line ends are fine.
    let site_yaml = site.path().join("content/site.yaml");
    fs::write(&site_yaml, fs::read_to_string(&site_yaml).unwrap().replace('\n', "\r\n")).unwrap();

    let expected: &[Expected] = &[
        (
            "content/pages/about.ar.md",
            1,
            1,
            "",
            "there is no French (fr) version of this file yet (content/pages/about.fr.md is missing or has errors)",
        ),
        (
            "content/pages/about.fr.md",
            5,
            11,
            "",
            "the control character U+001B (ESC, which starts terminal escape sequences) is not allowed in a content file; remove it",
        ),
        ("content/pages/about.fr.md", 5, 20, "", "the control character U+0007 (BEL) is not allowed in a content file; remove it"),
        ("C/parliament-open-data.yaml", 4, 26, "", "the control character U+0000 (NUL) is not allowed in a content file; remove it"),
        (
            "C/parliament-open-data.yaml",
            8,
            34,
            "",
            "the control character U+000D (a carriage return outside a CRLF line end) is not allowed in a content file; remove it",
        ),
        ("C/parliament-open-data.yaml", 11, 8, "", "the control character U+0000 (NUL) is not allowed in a content file; remove it"),
    ];
    assert_diagnostics(site.path(), &[], 1, expected);
    assert_diagnostics(site.path(), &["--strict"], 1, expected);
}

#[test]
fn a_file_full_of_control_characters_gets_a_bounded_report() {
    let site = tempfile::tempdir().unwrap();
    common::copy_tree(&fixture("valid-site"), site.path());
    fs::write(site.path().join("content/areas/participation.yaml"), "title: {ar: x, fr: y}\n".to_string() + &"\u{0}".repeat(5000)).unwrap();
    let (code, _, found) = check_json(site.path(), &[]);
    assert_eq!(code, 1);
    let of_the_file: Vec<_> = found.iter().filter(|d| d.0 == "content/areas/participation.yaml").collect();
    assert_eq!(of_the_file.len(), 11, "{of_the_file:?}");
    assert_eq!((of_the_file[1].1, of_the_file[1].2), (2, 1));
    assert_eq!(of_the_file[0].4, "the file holds 4990 more control characters than the 10 reported; it is not read");
}

/// A value, a file name or a source line can carry terminal escape sequences (ESC, BEL,
/// the one-character CSI U+009B): every output format shows them escaped, so a content
/// file cannot clear or retitle the terminal that runs `check`.
#[test]
fn control_characters_are_shown_escaped_in_every_format() {
    let site = tempfile::tempdir().unwrap();
    common::copy_tree(&fixture("valid-site"), site.path());
    let sheet = site.path().join(SHEETS).join("parliament-open-data.yaml");
    // YAML's own escapes put ESC and BEL in a value without a control byte in the file;
    // U+009B is not a C0 control, so the file is read.
    let text = fs::read_to_string(&sheet).unwrap();
    let text = text
        .replace("area: participation", "area: \"\\e]0;pwned\\a\\e[2J\"")
        .replace("lead: house-of-representatives", "lead: \"x\u{9b}2J\"");
    fs::write(&sheet, text).unwrap();
    // A raw ESC refuses the page; its snippet is shown.
    let page = site.path().join("content/pages/about.fr.md");
    fs::write(&page, fs::read_to_string(&page).unwrap().replace("Ce portail présente", "Ce portail\u{1b}[2J présente")).unwrap();
    // A file name can hold them too.
    fs::write(site.path().join("content/areas/\u{1b}]0;x\u{7}.yaml"), "title: {ar: x, fr: y}\n").unwrap();

    let root = site.path().to_str().unwrap();
    for format in ["human", "json", "github"] {
        let out = shafaf(&["check", "--root", root, "--format", format]);
        assert_eq!(out.status.code(), Some(1));
        let printed = String::from_utf8(out.stdout).unwrap() + &String::from_utf8(out.stderr).unwrap();
        for raw in ['\u{1b}', '\u{7}', '\u{9b}'] {
            assert!(!printed.contains(raw), "{format} prints {raw:?} raw:\n{printed}");
        }
        let escaped = if format == "json" { r"\\u{1b}]0;pwned\\u{7}\\u{1b}[2J" } else { r"\u{1b}]0;pwned\u{7}\u{1b}[2J" };
        assert!(printed.contains(escaped), "{format}:\n{printed}");
        assert!(printed.contains(if format == "json" { r"x\\u{9b}2J" } else { r"x\u{9b}2J" }), "{format}:\n{printed}");
        assert!(
            printed.contains(if format == "json" {
                r"content/areas/\\u{1b}]0;x\\u{7}.yaml"
            } else {
                r"content/areas/\u{1b}]0;x\u{7}.yaml"
            }),
            "{format}:\n{printed}"
        );
        if format == "human" {
            assert!(printed.contains(r"5 │ Ce portail\u{1b}[2J présente"), "{printed}");
        }
    }
}

/// A content file of up to 8 MiB is read; one byte more and it is refused, by name.
#[test]
fn content_files_are_read_up_to_8_mib() {
    let site = tempfile::tempdir().unwrap();
    common::copy_tree(&fixture("valid-site"), site.path());
    let area = site.path().join("content/areas/participation.yaml");
    let mut text = fs::read_to_string(&area).unwrap() + "# ";
    text.push_str(&"x".repeat(8 * 1024 * 1024 - text.len() - 1));
    text.push('\n');
    assert_eq!(text.len(), 8 * 1024 * 1024);
    fs::write(&area, &text).unwrap();
    assert_diagnostics(site.path(), &["--strict"], 0, &[]);
    fs::write(&area, text + "\n").unwrap();
    let (code, _, found) = check_json(site.path(), &[]);
    assert_eq!(code, 1);
    assert!(
        found.contains(&(
            "content/areas/participation.yaml".into(),
            1,
            1,
            String::new(),
            "the file is larger than 8 MiB; content files must be small text files".into()
        )),
        "{found:#?}"
    );
}

#[test]
fn empty_file() {
    assert_errors("empty-file", &[("C/open-data.yaml", 1, 1, "", "the file is empty")]);
}

#[cfg(unix)]
#[test]
fn symlinks_leaving_the_root_are_refused() {
    let site = tempfile::tempdir().unwrap();
    let outside = tempfile::tempdir().unwrap();
    common::copy_tree(&fixture("check/symlink-outside"), site.path());
    // Without the links the fixture is valid.
    assert_diagnostics(site.path(), &[], 0, &[]);

    fs::write(outside.path().join("secret.yaml"), "name: {ar: سر, fr: Secret}\nkind: government\n").unwrap();
    fs::create_dir(outside.path().join("areas")).unwrap();
    fs::write(outside.path().join("areas/stolen.yaml"), "title: {ar: مسروق, fr: Volé}\n").unwrap();
    std::os::unix::fs::symlink(outside.path().join("secret.yaml"), site.path().join("content/institutions/secret.yaml")).unwrap();
    std::os::unix::fs::symlink(outside.path().join("areas"), site.path().join("content/areas/elsewhere")).unwrap();
    // A link that stays inside the root is followed.
    std::os::unix::fs::symlink("transparency.yaml", site.path().join("content/areas/transparency-copy.yaml")).unwrap();

    assert_diagnostics(
        site.path(),
        &[],
        1,
        &[
            ("content/areas/elsewhere", 1, 1, "", "this symbolic link leads outside the site root; it is not followed"),
            ("content/institutions/secret.yaml", 1, 1, "", "this symbolic link leads outside the site root; it is not followed"),
        ],
    );
}

/// The theme folders a build reads besides `content/`: a link in them (or the folder
/// itself) that leaves the root is reported by `check` and never read, by `build` or
/// `serve` alike; links that stay inside are not reported.
#[cfg(unix)]
#[test]
fn symlinks_leaving_the_root_from_theme_folders_are_refused() {
    use std::os::unix::fs::symlink;
    let site = tempfile::tempdir().unwrap();
    let outside = tempfile::tempdir().unwrap();
    common::copy_tree(&fixture("check/symlink-outside"), site.path());
    fs::write(outside.path().join("secret.txt"), "secret").unwrap();
    fs::create_dir(outside.path().join("templates")).unwrap();
    fs::write(outside.path().join("templates/base.html"), "{{ secret }}").unwrap();
    fs::create_dir(outside.path().join("assets")).unwrap();
    fs::write(outside.path().join("assets/stolen.txt"), "secret").unwrap();

    let root = site.path();
    fs::create_dir_all(root.join("static/docs")).unwrap();
    fs::write(root.join("static/robots-extra.txt"), "ok").unwrap();
    symlink(outside.path().join("secret.txt"), root.join("static/docs/leak.txt")).unwrap();
    symlink("../robots-extra.txt", root.join("static/docs/inside.txt")).unwrap();
    symlink(outside.path().join("templates"), root.join("templates")).unwrap();
    fs::create_dir_all(root.join("themes/default")).unwrap();
    symlink(outside.path().join("assets"), root.join("themes/default/static")).unwrap();

    let refused = "this symbolic link leads outside the site root; it is not followed";
    assert_diagnostics(
        root,
        &[],
        1,
        &[("static/docs/leak.txt", 1, 1, "", refused), ("templates", 1, 1, "", refused), ("themes/default/static", 1, 1, "", refused)],
    );
    // The theme loader reads none of it, whoever calls it (serve builds despite errors).
    let statics = shafaf::render::theme::site_static_files(root).unwrap();
    assert_eq!(statics.iter().map(|(name, _)| name.as_str()).collect::<Vec<_>>(), ["robots-extra.txt"]);
    let theme = shafaf::render::theme::Theme::load(root, &shafaf::language::Languages::built_in(&["ar".into(), "fr".into()])).unwrap();
    assert!(!theme.assets.contains_key("stolen.txt"));
    assert!(theme.templates.get("base.html").is_none_or(|t| t != "{{ secret }}"));

    // A whole content/ folder that is a link out of the root is refused too.
    let linked = tempfile::tempdir().unwrap();
    symlink(root.join("content"), linked.path().join("content")).unwrap();
    assert_diagnostics(
        linked.path(),
        &[],
        1,
        &[
            ("content", 1, 1, "", refused),
            ("content/site.yaml", 1, 1, "", "content/site.yaml is missing; it declares the site's title and languages"),
        ],
    );
}

/// Hidden files and folders under content/ are not read, and each is named once (a
/// hidden folder without what it holds): a warning, an error under --strict.
#[test]
fn hidden_entries_are_named() {
    let site = tempfile::tempdir().unwrap();
    common::copy_tree(&fixture("valid-site"), site.path());
    let content = site.path().join("content");
    fs::create_dir_all(content.join(".drafts/plans")).unwrap();
    fs::write(content.join(".drafts/plans/next.yaml"), "number: 9\n").unwrap();
    fs::write(content.join(".drafts/notes.md"), "notes\n").unwrap();
    fs::write(content.join("areas/.DS_Store"), "\u{0}\u{0}").unwrap();
    fs::write(content.join("pages/.about.fr.md.swp"), "x").unwrap();
    let expected: &[Expected] = &[
        (
            "content/.drafts",
            1,
            1,
            "",
            "this hidden folder (its name starts with a dot) and everything in it are not read; rename it or remove it",
        ),
        ("content/areas/.DS_Store", 1, 1, "", "this hidden file (its name starts with a dot) is not read; rename it or remove it"),
        ("content/pages/.about.fr.md.swp", 1, 1, "", "this hidden file (its name starts with a dot) is not read; rename it or remove it"),
    ];
    assert_diagnostics(site.path(), &[], 0, expected);
    assert_diagnostics(site.path(), &["--strict"], 1, expected);
}

#[test]
fn yaml_alias_bomb_fails_fast() {
    let started = Instant::now();
    assert_errors(
        "alias-bomb",
        &[("C/open-data.yaml", 7, 10, "", "YAML aliases expand to more than 100000 values; the file looks like an alias bomb")],
    );
    assert!(started.elapsed() < Duration::from_secs(10), "took {:?}", started.elapsed());
}

#[test]
fn yaml_alias_bomb_of_long_strings_fails_fast() {
    // Few nodes, but each alias would copy a mebibyte of text: 4 GiB in all. The 17th
    // alias (column 122) passes the 16 MiB limit.
    let site = tempfile::tempdir().unwrap();
    common::copy_tree(&fixture("check/symlink-outside"), site.path());
    let mut sheet = format!("number: 1\nlong: &long \"{}\"\ncopies: [", "x".repeat(1024 * 1024));
    sheet.push_str(&vec!["*long"; 4096].join(", "));
    sheet.push_str("]\n");
    fs::write(site.path().join(SHEETS).join("open-data.yaml"), sheet).unwrap();
    let started = Instant::now();
    assert_diagnostics(
        site.path(),
        &[],
        1,
        &[("C/open-data.yaml", 3, 122, "", "YAML aliases copy more than 16 MiB of text; the file looks like an alias bomb")],
    );
    assert!(started.elapsed() < Duration::from_secs(10), "took {:?}", started.elapsed());
}

#[test]
fn missing_translation_is_a_warning() {
    let expected: &[Expected] = &[
        ("C/open-data.yaml", 3, 3, "title.fr", "\"title\" has no French (fr) text yet"),
        ("C/open-data.yaml", 7, 13, "activities[0].title.fr", "activity 1 \"title\" has no French (fr) text yet"),
    ];
    let root = fixture("check/missing-translation");
    assert_diagnostics(&root, &[], 0, expected);
    let (_, severities, _) = check_json(&root, &[]);
    assert_eq!(severities, ["warning", "warning"]);
}

#[test]
fn missing_translation_is_an_error_under_strict() {
    let root = fixture("check/missing-translation");
    let (code, severities, found) = check_json(&root, &["--strict"]);
    assert_eq!(code, 1);
    assert_eq!(severities, ["error", "error"]);
    assert_eq!(found.len(), 2);
}

#[test]
fn missing_page_translation_is_a_warning() {
    let site = tempfile::tempdir().unwrap();
    common::copy_tree(&fixture("valid-site"), site.path());
    fs::remove_file(site.path().join("content/pages/about.ar.md")).unwrap();
    assert_diagnostics(
        site.path(),
        &[],
        0,
        &[(
            "content/pages/about.fr.md",
            1,
            1,
            "",
            "there is no Arabic (ar) version of this file yet (content/pages/about.ar.md is missing or has errors)",
        )],
    );
    let (code, severities, _) = check_json(site.path(), &["--strict"]);
    assert_eq!((code, severities), (1, vec!["error".to_string()]));
}

#[test]
fn unknown_language_key() {
    assert_errors(
        "unknown-language",
        &[
            (
                "C/open-data.yaml",
                5,
                3,
                "title.fe",
                "\"title\" uses the language \"fe\", which site.yaml does not declare (languages: ar, fr); did you mean \"fr\"?",
            ),
            (
                "C/open-data.yaml",
                8,
                37,
                "results.en",
                "\"results\" uses the language \"en\", which site.yaml does not declare (languages: ar, fr)",
            ),
        ],
    );
}

#[test]
fn activity_status_other_than_cancelled() {
    assert_errors(
        "activity-status",
        &[(
            "C/open-data.yaml",
            9,
            13,
            "activities[0].status",
            "activity 1 \"status\" (\"completed\") can only be \"cancelled\"; every other status is computed from reports and dates",
        )],
    );
}

#[test]
fn several_errors_in_several_files_in_one_run() {
    // The institution with a bad "kind" is not loaded, so the references to it fail too.
    assert_errors(
        "many-errors",
        &[
            ("content/areas/transparency.yaml", 2, 8, "order", "\"order\" must be a whole number, found \"first\""),
            (
                "content/institutions/digital-transition.yaml",
                2,
                7,
                "kind",
                "\"kind\" (\"ministry\") must be one of: government, parliament, local, civil_society, independent_body",
            ),
            ("content/news/2024-05-14-launch.ar.md", 3, 1, "sumary", "unknown field \"sumary\"; did you mean \"summary\"?"),
            (
                "content/news/2024-05-14-launch.fr.md",
                3,
                11,
                "related[0]",
                "related commitment 1 refers to an unknown commitment \"2024-2027/open-dta\"; did you mean \"2024-2027/open-data\"?",
            ),
            (
                "C/open-data.yaml",
                4,
                7,
                "lead",
                "\"lead\" refers to an unknown institution \"digital-transition\"; content/institutions/digital-transition.yaml is missing or has errors",
            ),
            ("C/open-data.yaml", 5, 11, "progress", "\"progress\" (150) is outside 0..100"),
            (
                "content/plans/2024-2027/plan.yaml",
                2,
                8,
                "owner",
                "\"owner\" refers to an unknown institution \"digital-transition\"; content/institutions/digital-transition.yaml is missing or has errors",
            ),
            ("content/plans/2024-2027/plan.yaml", 4, 6, "end", "\"end\" (2023-12) is before its \"start\" (2024-01)"),
        ],
    );
}

#[test]
fn sheets_of_a_broken_plan_are_still_checked() {
    let site = tempfile::tempdir().unwrap();
    common::copy_tree(&fixture("check/progress-range"), site.path());
    fs::write(site.path().join("content/plans/2024-2027/plan.yaml"), "title: [\n").unwrap();
    let (code, _, found) = check_json(site.path(), &[]);
    assert_eq!(code, 1);
    let places: Vec<_> = found.iter().map(|(p, l, c, _, _)| (p.as_str(), *l, *c)).collect();
    assert_eq!(places, [("C/open-data.yaml", 9, 15), ("C/open-data.yaml", 13, 15), ("content/plans/2024-2027/plan.yaml", 2, 1)]);
}

#[test]
fn a_title_with_no_text_at_all_is_an_error() {
    let site = tempfile::tempdir().unwrap();
    common::copy_tree(&fixture("check/symlink-outside"), site.path());
    fs::write(
        site.path().join(SHEETS).join("open-data.yaml"),
        "number: 1\ntitle: {ar: \"\", fr: \"\"}\narea: transparency\nlead: digital-transition\n",
    )
    .unwrap();
    assert_diagnostics(
        site.path(),
        &[],
        1,
        &[("C/open-data.yaml", 2, 9, "title", "\"title\" is empty; give its text in Arabic (ar), French (fr)")],
    );
}

#[test]
fn human_format_shows_location_and_offending_line() {
    let out = shafaf(&["check", "--root", fixture("check/end-before-start").to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("error: activity 3 \"end\" (2024-02) is before its \"start\" (2024-06)"), "{stderr}");
    assert!(stderr.contains("content/plans/2024-2027/commitments/open-data.yaml:14:10"), "{stderr}");
    assert!(stderr.contains("14 │     end: 2024-02"), "{stderr}");
    assert!(stderr.contains("^^^^^^^ in `activities[2].end`"), "{stderr}");
    assert!(stderr.contains("1 errors, 0 warnings"), "{stderr}");
}

#[test]
fn human_format_without_a_snippet_still_gives_the_location() {
    let out = shafaf(&["check", "--root", fixture("check/not-utf8").to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("content/plans/2024-2027/commitments/open-data.yaml:2:25: error: the file is not valid UTF-8 text"),
        "{stderr}"
    );
}

#[test]
fn github_format_prints_workflow_commands() {
    let out = shafaf(&["check", "--root", fixture("check/end-before-start").to_str().unwrap(), "--format", "github"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "::error file=content/plans/2024-2027/commitments/open-data.yaml,line=14,col=10::activity 3 \"end\" (2024-02) is before its \"start\" (2024-06)\n"
    );
    let out = shafaf(&["check", "--root", fixture("check/missing-translation").to_str().unwrap(), "--format", "github"]);
    assert_eq!(out.status.code(), Some(0));
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        stdout.starts_with(
            "::warning file=content/plans/2024-2027/commitments/open-data.yaml,line=3,col=3::\"title\" has no French (fr) text yet\n"
        ),
        "{stdout}"
    );
}

#[test]
fn bad_as_of_is_a_usage_error() {
    let root = fixture("valid-site");
    let root = root.to_str().unwrap();
    // Not a date, a year or a month alone (the day would be a guess), a year outside the window.
    for (command, as_of, says) in [
        ("check", "2024-13-01", "\"2024-13-01\" is not a date in the form YYYY-MM-DD, such as 2025-06-30"),
        ("check", "2024", "\"2024\" is not a date in the form YYYY-MM-DD, such as 2025-06-30"),
        ("build", "2024-06", "\"2024-06\" is not a date in the form YYYY-MM-DD, such as 2025-06-30"),
        ("check", "0000-01-01", "\"0000-01-01\" is outside the years 1950 to 2100"),
    ] {
        let out = shafaf(&[command, "--root", root, "--as-of", as_of]);
        assert_eq!(out.status.code(), Some(2), "{command} --as-of {as_of}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(says), "{stderr}");
    }
    let out = shafaf(&["check", "--root", root, "--as-of", "2024-06-30"]);
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn missing_root_is_a_usage_error() {
    let out = shafaf(&["check", "--root", "/nonexistent/shafaf-site", "--format", "json"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot read /nonexistent/shafaf-site"));
}

#[test]
fn unknown_format_is_a_usage_error() {
    let out = shafaf(&["check", "--root", fixture("valid-site").to_str().unwrap(), "--format", "xml"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn a_root_without_content_is_a_content_error() {
    let empty = tempfile::tempdir().unwrap();
    let (code, _, found) = check_json(empty.path(), &[]);
    assert_eq!(code, 1);
    assert_eq!(found[0].0, "content");
    assert!(found[0].4.starts_with("there is no content/ folder in "), "{found:?}");
}

/// The placeholders `shafaf new commitment` writes (`TODO: ...`) are warnings naming
/// each field: `check` passes, `check --strict` (and so a strict build) does not.
#[test]
fn new_commitment_takes_the_next_free_number_and_its_placeholders_are_warnings() {
    let site = tempfile::tempdir().unwrap();
    common::copy_tree(&fixture("valid-site"), site.path());
    let root = site.path().to_str().unwrap();
    let out = shafaf(&["new", "commitment", "--plan", "2024-2027", "--root", root]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let path = site.path().join(SHEETS).join("commitment-4.yaml");
    assert!(String::from_utf8_lossy(&out.stdout).contains("commitment-4.yaml"));
    let sheet = fs::read_to_string(&path).expect("the new sheet");
    assert!(sheet.lines().any(|l| l == "number: 4"), "{sheet}");
    assert!(sheet.contains("ar: \"TODO") && sheet.contains("fr: \"TODO"), "{sheet}");

    // (line, column, field, how the message names it) of each placeholder.
    let places = [
        (4, 7, "title", "\"title\""),
        (11, 7, "problem", "\"problem\""),
        (14, 7, "solution", "\"solution\""),
        (17, 7, "results", "\"results\""),
        (21, 11, "activities[0].title", "activity 1 \"title\""),
        (30, 11, "indicators[0].title", "indicator 1 \"title\""),
    ];
    let expected_for = |file: &str| -> Vec<(String, u64, u64, String, String)> {
        let mut expected = Vec::new();
        for (line, column, field, named) in places {
            for (i, (lang, language)) in [("ar", "Arabic (ar)"), ("fr", "French (fr)")].into_iter().enumerate() {
                expected.push((
                    format!("C/{file}"),
                    line + i as u64,
                    column,
                    format!("{field}.{lang}"),
                    format!("{named} in {language} is still a placeholder starting with \"TODO\"; replace it with the real text"),
                ));
            }
        }
        expected
    };
    let expected: Vec<_> = expected_for("commitment-4.yaml");
    let (code, severities, found) = check_json(site.path(), &[]);
    assert_eq!((code, &found), (0, &expected));
    assert!(severities.iter().all(|s| s == "warning"), "{severities:?}");
    let (code, severities, found) = check_json(site.path(), &["--strict"]);
    assert_eq!((code, &found), (1, &expected));
    assert!(severities.iter().all(|s| s == "error"), "{severities:?}");

    // A second one takes the number after it; an explicit ID is used as the file name.
    let out = shafaf(&["new", "commitment", "--plan", "2024-2027", "--id", "budget-transparency", "--root", root]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let sheet = fs::read_to_string(site.path().join(SHEETS).join("budget-transparency.yaml")).unwrap();
    assert!(sheet.lines().any(|l| l == "number: 5"), "{sheet}");
    let (code, _, found) = check_json(site.path(), &["--strict"]);
    assert_eq!(code, 1);
    assert_eq!(found, [expected_for("budget-transparency.yaml"), expected].concat());

    // Once every TODO is replaced, the sheet passes a strict check.
    for file in ["commitment-4.yaml", "budget-transparency.yaml"] {
        let path = site.path().join(SHEETS).join(file);
        fs::write(&path, fs::read_to_string(&path).unwrap().replace("\"TODO: ", "\"")).unwrap();
    }
    assert_diagnostics(site.path(), &["--strict"], 0, &[]);
}

#[test]
fn a_placeholder_in_front_matter_is_a_warning() {
    let site = tempfile::tempdir().unwrap();
    common::copy_tree(&fixture("valid-site"), site.path());
    fs::write(site.path().join("content/pages/about.fr.md"), "---\ntitle: \"TODO: titre\"\norder: 1\n---\nTexte.\n").unwrap();
    let news = site.path().join("content/news/2024-05-14-consultation-launch.fr.md");
    let text = fs::read_to_string(&news).unwrap();
    let text = text.replacen("title: ", "title: TODO ", 1).replacen("summary: ", "summary: TODO ", 1);
    fs::write(&news, text).unwrap();
    assert_diagnostics(
        site.path(),
        &[],
        0,
        &[
            (
                "content/news/2024-05-14-consultation-launch.fr.md",
                2,
                8,
                "title",
                "\"title\" is still a placeholder starting with \"TODO\"; replace it with the real text",
            ),
            (
                "content/news/2024-05-14-consultation-launch.fr.md",
                3,
                10,
                "summary",
                "\"summary\" is still a placeholder starting with \"TODO\"; replace it with the real text",
            ),
            (
                "content/pages/about.fr.md",
                2,
                8,
                "title",
                "\"title\" is still a placeholder starting with \"TODO\"; replace it with the real text",
            ),
        ],
    );
    let (code, _, _) = check_json(site.path(), &["--strict"]);
    assert_eq!(code, 1);
}

#[test]
fn new_commitment_refuses_unknown_plans_and_bad_ids() {
    let site = tempfile::tempdir().unwrap();
    common::copy_tree(&fixture("valid-site"), site.path());
    let root = site.path().to_str().unwrap();
    let out = shafaf(&["new", "commitment", "--plan", "1999-2000", "--root", root]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("there is no plan \"1999-2000\" (plans: 2024-2027)"));
    let out = shafaf(&["new", "commitment", "--plan", "2024-2027", "--id", "Bad_ID", "--root", root]);
    assert_eq!(out.status.code(), Some(2));
    let out = shafaf(&["new", "commitment", "--plan", "2024-2027", "--id", "open-data", "--root", root]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("already exists"));
}

#[test]
fn a_page_with_an_empty_title_is_an_error() {
    let site = tempfile::tempdir().unwrap();
    common::copy_tree(&fixture("valid-site"), site.path());
    fs::write(site.path().join("content/pages/about.fr.md"), "---\ntitle: \"\"\norder: 1\n---\nTexte.\n").unwrap();
    // The Arabic page then has no French twin that loads: a warning beside the error.
    assert_diagnostics(
        site.path(),
        &[],
        1,
        &[
            (
                "content/pages/about.ar.md",
                1,
                1,
                "",
                "there is no French (fr) version of this file yet (content/pages/about.fr.md is missing or has errors)",
            ),
            ("content/pages/about.fr.md", 2, 8, "title", "\"title\" is empty"),
        ],
    );
}

#[test]
fn catalog_fields_of_site_yaml() {
    assert_errors(
        "site-catalog-fields",
        &[
            (
                "content/site.yaml",
                5,
                12,
                "publisher",
                "\"publisher\" refers to an unknown institution \"digital-ministri\"; did you mean \"digital-ministry\"?",
            ),
            (
                "content/site.yaml",
                6,
                16,
                "contact_email",
                "\"contact_email\" (\"mailto:opendata at example.org\") must be an e-mail address such as opendata@example.org; write it without \"mailto:\"",
            ),
            (
                "content/site.yaml",
                7,
                82,
                "spatial_coverage[1]",
                "\"spatial_coverage\" entry 2 (\"Morocco\") must be a web address starting with https:// or http://",
            ),
        ],
    );
}

#[test]
fn well_formed_contact_emails_pass() {
    let site = tempfile::tempdir().unwrap();
    common::copy_tree(&fixture("check/site-catalog-fields"), site.path());
    let yaml = site.path().join("content/site.yaml");
    let text = fs::read_to_string(&yaml).unwrap();
    for (email, ok) in [("open.data+portal@gov.example.ma", true), ("a@b", false), ("a@@b.ma", false), ("@b.ma", false), ("a@b.ma.", false)]
    {
        let fixed = text
            .replace("digital-ministri", "digital-ministry")
            .replace(", Morocco", "")
            .replace("\"mailto:opendata at example.org\"", &format!("\"{email}\""));
        fs::write(&yaml, fixed).unwrap();
        let (code, _, found) = check_json(site.path(), &[]);
        assert_eq!(code == 0, ok, "{email}: {found:?}");
    }
}

/// `SHAFAF_TIMINGS` (for profiling) has `check` print each phase on stderr with how long
/// it took and the memory in use after it; without it, nothing of the kind.
#[test]
fn phase_timings_are_printed_only_when_asked() {
    let root = fixture("valid-site");
    let run = |timings: bool| {
        let mut command = Command::new(env!("CARGO_BIN_EXE_shafaf"));
        command.args(["check", "--root", root.to_str().unwrap(), "--format", "json"]).env_remove("SHAFAF_TIMINGS");
        if timings {
            command.env("SHAFAF_TIMINGS", "1");
        }
        let out = command.output().unwrap();
        assert_eq!(out.status.code(), Some(0));
        String::from_utf8(out.stderr).unwrap()
    };
    let stderr = run(true);
    let mut phases = Vec::new();
    for line in stderr.lines().filter(|l| l.contains(" ms")) {
        let (phase, rest) = line.split_once(": ").unwrap();
        let (ms, memory) = rest.split_once(" ms ").unwrap_or_else(|| panic!("no memory after the time: {line}"));
        assert!(ms.parse::<u64>().is_ok(), "{line}");
        let memory = memory.strip_prefix("(resident ").and_then(|m| m.strip_suffix(" kB)")).unwrap_or_else(|| panic!("{line}"));
        let (resident, peak) = memory.split_once(" kB, peak ").unwrap_or_else(|| panic!("{line}"));
        let (resident, peak) = (resident.parse::<u64>().unwrap(), peak.parse::<u64>().unwrap());
        assert!(0 < resident && resident <= peak, "{line}");
        phases.push(phase);
    }
    assert_eq!(phases, ["load", "validate", "derive", "history"], "{stderr}");
    assert!(!run(false).contains(" ms"));
}
