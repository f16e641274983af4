//! A reporting round on a copy of the real portal: `report template` → rows filled as an
//! institution would in a spreadsheet → `report import` → the sheets gain exactly those
//! reports, keep their comments, pass `check --strict`, and the feeds show them. A bad
//! row or a second import changes nothing.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

const SHEET: &str = "content/plans/2024-2027/commitments/open-data.yaml";
const ARABIC_NOTE: &str = "تمّ إعدادُ المسوّدة، وهي قيد المراجعة؟ «نعم» — (المرحلة ١)";

/// Runs outside the repository: an import that wrote to a relative path by mistake
/// (a dry run's scratch copy lost, say) must not reach the real portal's sheets.
fn shafaf(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_shafaf")).args(args).current_dir(std::env::temp_dir()).output().expect("run shafaf")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// A copy of the real `content/`, with an editor's comments in the sheet under test.
fn portal() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    common::copy_tree(&Path::new(env!("CARGO_MANIFEST_DIR")).join("content"), &root.join("content"));
    let sheet = root.join(SHEET);
    let text = fs::read_to_string(&sheet).unwrap();
    let text =
        text.replacen("activities:\n", "activities:  # as adopted, do not edit the dates\n", 1) + "# reviewed by the steering committee\n";
    fs::write(&sheet, text).unwrap();
    (dir, root)
}

/// The template's rows, header first, without the byte-order mark.
fn template(root: &Path) -> Vec<Vec<String>> {
    template_with(root, &[])
}

/// The same, with extra arguments (`--lead ID`).
fn template_with(root: &Path, extra: &[&str]) -> Vec<Vec<String>> {
    let out_file = root.join("round.csv");
    let mut args = vec!["report", "template", "--plan", "2024-2027", "--root", root.to_str().unwrap(), "--as-of", "2026-11-01"];
    args.extend_from_slice(&["--out", out_file.to_str().unwrap()]);
    args.extend_from_slice(extra);
    let out = shafaf(&args);
    assert!(out.status.success(), "{}", stderr(&out));
    let bytes = fs::read(&out_file).unwrap();
    assert!(bytes.starts_with("\u{feff}".as_bytes()), "UTF-8 with a byte-order mark, for spreadsheets");
    let text = String::from_utf8(bytes).unwrap();
    let mut reader = csv::ReaderBuilder::new().has_headers(false).from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    reader.records().map(|r| r.unwrap().iter().map(str::to_string).collect()).collect()
}

fn write_csv(path: &Path, rows: &[Vec<String>]) {
    let mut writer = csv::WriterBuilder::new().flexible(true).from_writer(b"\xef\xbb\xbf".to_vec());
    for row in rows {
        writer.write_record(row).unwrap();
    }
    fs::write(path, writer.into_inner().unwrap()).unwrap();
}

/// Fills `column` of the row of `commitment`'s activity `activity`.
fn fill(rows: &mut [Vec<String>], commitment: &str, activity: &str, column: &str, value: &str) {
    let col = rows[0].iter().position(|h| h == column).unwrap_or_else(|| panic!("no column {column}"));
    let row = rows.iter_mut().find(|r| r[1] == commitment && r[2] == activity).unwrap_or_else(|| panic!("no row {commitment} {activity}"));
    row[col] = value.to_string();
}

fn import(root: &Path, file: &Path, extra: &[&str]) -> Output {
    import_on(root, file, "2026-11-15", extra)
}

fn import_on(root: &Path, file: &Path, date: &str, extra: &[&str]) -> Output {
    let mut args = vec!["report", "import", file.to_str().unwrap(), "--date", date, "--root", root.to_str().unwrap()];
    args.extend_from_slice(extra);
    shafaf(&args)
}

/// The line of the file (the header is line 1) that holds `commitment`'s activity `activity`.
fn line_of(rows: &[Vec<String>], commitment: &str, activity: &str) -> usize {
    rows.iter().position(|r| r[1] == commitment && r[2] == activity).unwrap() + 1
}

fn filled(root: &Path) -> Vec<Vec<String>> {
    let mut rows = template(root);
    fill(&mut rows, "open-data", "1", "new_progress", "40");
    fill(&mut rows, "open-data", "1", "note_ar", ARABIC_NOTE);
    fill(&mut rows, "open-data", "1", "note_fr", "Projet rédigé, en cours de relecture ; « oui »");
    fill(&mut rows, "open-data", "1", "evidence_url", "https://data.gov.ma/fr/news/draft");
    fill(&mut rows, "open-data", "2", "new_end", "2027-06");
    fill(&mut rows, "open-data", "2", "new_end_reason_fr", "Attente des normes techniques");
    fill(&mut rows, "open-data", "2", "new_end_reason_ar", "انتظار المعايير التقنية");
    fill(&mut rows, "access-to-information-law", "1", "new_progress", "75,5");
    rows
}

#[test]
fn a_round_trip_adds_exactly_the_filled_rows_and_keeps_the_editors_layout() {
    let (_dir, root) = portal();
    let rows = template(&root);
    assert_eq!(
        rows[0].join(","),
        "plan,commitment,activity,title_ar,title_fr,title_en,start,end,current_end,last_report,progress,new_progress,note_ar,note_fr,note_en,evidence_url,new_end,new_end_reason_ar,new_end_reason_fr,new_end_reason_en"
    );
    assert!(rows.len() > 100, "one row per activity of the plan");
    assert!(rows[1..].iter().all(|r| r[10].is_empty()), "nothing is reported yet, so no current figure");
    let before_sheet = fs::read_to_string(root.join(SHEET)).unwrap();
    let csv_path = root.join("filled.csv");
    write_csv(&csv_path, &filled(&root));

    let out = import(&root, &csv_path, &[]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{}\n{stdout}", stderr(&out));
    assert!(stdout.contains("added 2 reports and 1 replannings dated 2026-11-15 to 2 sheets"), "{stdout}");
    assert!(stdout.contains("2024-2027/open-data: not reported → 40 %"), "{stdout}");
    assert!(stdout.contains("2024-2027/access-to-information-law: not reported → 75.5 %"), "{stdout}");

    // Every line of the sheet is still there, in order; the comments among them.
    let after_sheet = fs::read_to_string(root.join(SHEET)).unwrap();
    let mut remaining = after_sheet.lines();
    for line in before_sheet.lines() {
        assert!(remaining.any(|l| l == line), "lost or moved: {line:?}");
    }
    assert!(after_sheet.contains("activities:  # as adopted, do not edit the dates\n"));
    assert!(after_sheet.ends_with("# reviewed by the steering committee\n"));
    // A report with its note and evidence (8 lines) and a replanning with its reasons (6).
    assert_eq!(after_sheet.lines().count() - before_sheet.lines().count(), 14, "{after_sheet}");

    let strict = shafaf(&["check", "--strict", "--root", root.to_str().unwrap()]);
    assert!(strict.status.success(), "{}", stderr(&strict));

    let site = root.join("public");
    let built = shafaf(&["build", "--quiet", "--as-of", "2026-11-20", "--root", root.to_str().unwrap(), "--out", site.to_str().unwrap()]);
    assert!(built.status.success(), "{}", stderr(&built));
    let json: Value =
        serde_json::from_str(&fs::read_to_string(site.join("data/v1/plans/2024-2027/commitments/open-data.json")).unwrap()).unwrap();
    let first = &json["commitment"]["activities"][0];
    assert_eq!(first["updates"][0]["note"]["ar"], ARABIC_NOTE, "Arabic survives the round trip exactly");
    assert_eq!(first["updates"][0]["progress"], 40);
    assert_eq!(first["updates"][0]["by"], "digital-development-agency", "the lead by default");
    assert_eq!(first["updates"][0]["evidence"][0]["url"], "https://data.gov.ma/fr/news/draft");
    let second = &json["commitment"]["activities"][1];
    assert_eq!((second["end"].as_str(), second["current_end"].as_str()), (Some("2025-01"), Some("2027-06")));
    assert_eq!(second["replanned"][0]["reason"]["fr"], "Attente des normes techniques");
    let sheet_page = fs::read_to_string(site.join("ar/plans/2024-2027/commitments/open-data/index.html")).unwrap();
    assert!(sheet_page.contains(ARABIC_NOTE), "the note shows on the Arabic sheet");

    // The same file again: a duplicate report, refused, nothing changed.
    let before = common::content_snapshot(&root);
    let again = import(&root, &csv_path, &[]);
    assert_eq!(again.status.code(), Some(1));
    assert!(stderr(&again).contains("already exists"), "{}", stderr(&again));
    assert_eq!(common::content_snapshot(&root), before);
}

#[test]
fn one_bad_row_changes_no_file_and_every_problem_is_listed() {
    let (_dir, root) = portal();
    let mut rows = filled(&root);
    fill(&mut rows, "open-data", "3", "new_progress", "120");
    fill(&mut rows, "open-data", "3", "new_end", "2026-01");
    fill(&mut rows, "open-data", "4", "evidence_url", "https://example.org/no-progress");
    let title = rows[0].iter().position(|h| h == "title_fr").unwrap();
    let row = rows.iter_mut().find(|r| r[1] == "open-data" && r[2] == "5").unwrap();
    row[title] = "Une autre activité".into();
    row[11] = "10".into();
    rows.push(vec!["2024-2027".into(), "no-such-commitment".into(), "1".into()]);
    let csv_path = root.join("bad.csv");
    write_csv(&csv_path, &rows);
    let before = common::content_snapshot(&root);
    let out = import(&root, &csv_path, &[]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("\"120\" is not a progress from 0 to 100"), "{err}");
    assert!(err.contains("column L (new_progress)"), "names the spreadsheet column: {err}");
    assert!(err.contains("a note or an evidence link needs a new_progress"), "{err}");
    assert!(err.contains("2026-01 is before the date of the decision (2026-11-15)"), "{err}");
    assert!(err.contains("the title no longer matches activity 5"), "{err}");
    assert!(err.contains("has no commitment \"no-such-commitment\""), "{err}");
    assert!(err.contains("nothing was imported"), "{err}");
    assert_eq!(common::content_snapshot(&root), before, "all or nothing");
}

#[test]
fn a_dry_run_shows_the_diff_and_writes_nothing() {
    let (_dir, root) = portal();
    let csv_path = root.join("filled.csv");
    write_csv(&csv_path, &filled(&root));
    let before = common::content_snapshot(&root);
    let out = import(&root, &csv_path, &["--dry-run"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout.contains(&format!("+++ b/{SHEET}")), "{stdout}");
    assert!(stdout.contains("+    updates:\n+      - date: 2026-11-15\n+        progress: 40\n"), "{stdout}");
    assert!(stdout.contains("would add 2 reports and 1 replannings"), "{stdout}");
    assert_eq!(common::content_snapshot(&root), before);
}

/// Rows that pass the import's own checks but leave a sheet `check` refuses: the sheets
/// already written (two here) are put back as they were, and a dry run writes nothing.
/// The sheet under test is padded to just under the 8 MiB a content file may hold, so
/// the report added takes it over.
#[test]
fn sheets_that_would_fail_check_are_put_back_as_they_were() {
    let (_dir, root) = portal();
    let csv_path = root.join("filled.csv");
    write_csv(&csv_path, &filled(&root));
    let sheet = root.join(SHEET);
    let mut text = fs::read_to_string(&sheet).unwrap();
    let room = 8 * 1024 * 1024 - 40 - text.len() - "#\n".len();
    text.push_str(&format!("#{}\n", " ".repeat(room)));
    fs::write(&sheet, &text).unwrap();
    let before = common::content_snapshot(&root);
    assert!(shafaf(&["check", "--root", root.to_str().unwrap()]).status.success(), "the padded sheet is still read");

    for extra in [&["--dry-run"][..], &[]] {
        let out = import(&root, &csv_path, extra);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{extra:?}: {err}");
        assert!(err.contains("the file is larger than 8 MiB"), "{extra:?}: {err}");
        assert!(err.contains("nothing was imported: the sheets would not pass `shafaf check`; every sheet is as it was"), "{err}");
        assert!(out.stdout.is_empty(), "{extra:?}: no summary of what was not added");
        assert!(common::content_snapshot(&root) == before, "{extra:?}: every sheet is as it was");
    }
}

#[test]
fn a_template_for_one_lead_lists_only_its_activities_and_an_unknown_lead_is_named() {
    let (_dir, root) = portal();
    let all = template(&root);
    let agency = template_with(&root, &["--lead", "digital-development-agency"]);
    let open_data_rows = all.iter().filter(|r| r[1] == "open-data").count();
    assert!(open_data_rows > 1);
    assert_eq!(agency.len() - 1, open_data_rows, "the agency leads open-data only");
    assert!(agency[1..].iter().all(|r| r[1] == "open-data"));
    let out = shafaf(&["report", "template", "--plan", "2024-2027", "--root", root.to_str().unwrap(), "--lead", "nobody"]);
    assert_eq!(out.status.code(), Some(2), "a usage error");
    assert!(stderr(&out).contains("there is no institution \"nobody\""), "{}", stderr(&out));
}

#[test]
fn rows_that_would_mislead_are_refused_each_at_its_row_and_column() {
    let (_dir, root) = portal();
    let mut rows = template(&root);
    fill(&mut rows, "open-data", "1", "new_progress", "40");
    fill(&mut rows, "open-data", "1", "evidence_url", "ftp://data.gov.ma/draft");
    fill(&mut rows, "open-data", "2", "new_progress", "40");
    fill(&mut rows, "open-data", "2", "evidence_url", "https://data.gov.ma/a draft");
    fill(&mut rows, "open-data", "3", "new_end", "2024-01");
    fill(&mut rows, "open-data", "4", "new_end", "2025-12");
    let duplicate = rows[line_of(&rows, "open-data", "5") - 1].clone();
    rows.push(duplicate);
    let duplicate_line = rows.len();
    let activities = rows.iter().filter(|r| r[1] == "open-data").count() - 1;
    rows.push(vec!["2024-2027".into(), "open-data".into(), "99".into()]);
    let unknown_line = rows.len();
    let csv_path = root.join("bad.csv");
    write_csv(&csv_path, &rows);
    let before = common::content_snapshot(&root);
    // Dated before activity 4's end, so that moving the end to it is a new end in the future.
    let out = import_on(&root, &csv_path, "2024-05-20", &[]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    let at = |activity: &str, column: usize, letter: &str, name: &str| {
        let line = line_of(&rows, "open-data", activity);
        format!("bad.csv:{line}:{column}: error: row {line}, column {letter} ({name}): ")
    };
    for expected in [
        at("1", 16, "P", "evidence_url") + "\"ftp://data.gov.ma/draft\" is not a web address",
        at("2", 16, "P", "evidence_url") + "\"https://data.gov.ma/a draft\" is not a web address",
        at("3", 17, "Q", "new_end") + "2024-01 is before the activity's start (2024-10)",
        at("4", 17, "Q", "new_end") + "2025-12 is already the activity's end",
        format!(
            "bad.csv:{duplicate_line}:3: error: row {duplicate_line}, column C (activity): activity 5 of 2024-2027/open-data has another row above"
        ),
        format!(
            "bad.csv:{unknown_line}:3: error: row {unknown_line}, column C (activity): \"99\" is not an activity of 2024-2027/open-data, which has {activities}"
        ),
    ] {
        assert!(err.contains(&expected), "missing {expected:?} in:\n{err}");
    }
    assert_eq!(common::content_snapshot(&root), before, "all or nothing");
}

#[test]
fn a_new_end_may_fall_on_the_activitys_first_day_or_on_the_day_of_the_decision() {
    let (_dir, root) = portal();
    let mut rows = template(&root);
    // Activity 1 starts in 2024-06, activity 5 in 2024-01; the decision is of 2024-05-20.
    fill(&mut rows, "open-data", "1", "new_end", "2024-06-01");
    fill(&mut rows, "open-data", "5", "new_end", "2024-05-20");
    let csv_path = root.join("edges.csv");
    write_csv(&csv_path, &rows);
    let out = import_on(&root, &csv_path, "2024-05-20", &["--dry-run"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{}\n{stdout}", stderr(&out));
    assert!(stdout.contains("would add 0 reports and 2 replannings"), "{stdout}");
}

#[test]
fn a_later_round_is_checked_against_the_reports_and_replannings_already_made() {
    let (_dir, root) = portal();
    let csv_path = root.join("filled.csv");
    write_csv(&csv_path, &filled(&root));
    let first = import(&root, &csv_path, &[]);
    assert!(first.status.success(), "{}", stderr(&first));
    let before = common::content_snapshot(&root);

    // A file dated before the round just imported.
    let mut earlier = template(&root);
    fill(&mut earlier, "open-data", "1", "new_progress", "45");
    fill(&mut earlier, "open-data", "2", "new_end", "2027-09");
    let earlier_path = root.join("earlier.csv");
    write_csv(&earlier_path, &earlier);
    let out = import_on(&root, &earlier_path, "2026-11-10", &[]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("the import date 2026-11-10 is not after the activity's last report (2026-11-15): a later report already exists"),
        "{err}"
    );
    assert!(err.contains("the import date 2026-11-10 is not after the activity's last replanning (2026-11-15)"), "{err}");

    // A later file that moves the end to where it already is.
    let mut same_end = template(&root);
    fill(&mut same_end, "open-data", "2", "new_end", "2027-06");
    let same_path = root.join("same.csv");
    write_csv(&same_path, &same_end);
    let out = import_on(&root, &same_path, "2026-12-01", &[]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("2027-06 is already the activity's end"), "{err}");
    assert_eq!(common::content_snapshot(&root), before, "nothing changed");
}

#[test]
fn the_reporting_institution_is_the_one_named_by_by_and_must_exist() {
    let (_dir, root) = portal();
    let mut rows = template(&root);
    fill(&mut rows, "open-data", "1", "new_progress", "40");
    let csv_path = root.join("by.csv");
    write_csv(&csv_path, &rows);
    let out = import(&root, &csv_path, &["--by", "justice", "--dry-run"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout.contains("+        progress: 40\n+        by: justice\n"), "{stdout}");
    let before = common::content_snapshot(&root);
    let out = import(&root, &csv_path, &["--by", "nobody"]);
    assert_eq!(out.status.code(), Some(2), "a usage error");
    assert!(stderr(&out).contains("--by names no institution: there is no content/institutions/nobody.yaml"), "{}", stderr(&out));
    assert_eq!(common::content_snapshot(&root), before);
}

#[test]
fn a_site_in_three_languages_gets_a_note_and_a_reason_column_per_language_on_every_row() {
    let (_dir, root) = portal();
    let site_yaml = root.join("content/site.yaml");
    let text = fs::read_to_string(&site_yaml).unwrap();
    // The real portal is in Arabic, French and English (a translation under way).
    assert!(text.contains("languages: [ar, fr, {code: en, partial: true}]\n"));
    let rows = template(&root);
    let header = rows[0].join(",");
    assert!(
        header.ends_with("new_progress,note_ar,note_fr,note_en,evidence_url,new_end,new_end_reason_ar,new_end_reason_fr,new_end_reason_en"),
        "{header}"
    );
    assert!(rows.len() > 100);
    assert!(rows.iter().all(|r| r.len() == rows[0].len()), "every row as wide as the header");
    // Back to two languages (the English texts dropped with it): two columns each.
    fs::write(&site_yaml, text.replace("languages: [ar, fr, {code: en, partial: true}]\n", "languages: [ar, fr]\n")).unwrap();
    strip_english(&root.join("content"));
    let header = template(&root)[0].join(",");
    assert!(header.ends_with("new_progress,note_ar,note_fr,evidence_url,new_end,new_end_reason_ar,new_end_reason_fr"), "{header}");
}

/// Removes the `en:` lines of every YAML file and the English pages under `dir`.
fn strip_english(dir: &Path) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            strip_english(&path);
        } else if path.to_string_lossy().ends_with(".en.md") {
            fs::remove_file(&path).unwrap();
        } else if path.extension().is_some_and(|e| e == "yaml") {
            let text = fs::read_to_string(&path).unwrap();
            let kept: Vec<&str> = text.lines().filter(|l| !l.trim_start().starts_with("en:")).collect();
            fs::write(&path, kept.join("\n") + "\n").unwrap();
        }
    }
}

/// An activity titled like a formula: the CSV template neutralises the title (a
/// spreadsheet would otherwise run it when the institution opens the file) and the
/// import takes the `'` off again, so the round still matches the sheet.
#[test]
fn a_title_that_starts_like_a_formula_is_neutralised_in_the_template_and_still_matches() {
    let (_dir, root) = portal();
    let sheet = root.join(SHEET);
    let text = fs::read_to_string(&sheet).unwrap();
    let formula = "=HYPERLINK(\"http://evil.example\",\"Adoption\")";
    let text = text.replacen(
        "fr: Adoption du cadre juridique relatif aux données ouvertes et mise en application de ses dispositions dès son approbation",
        &format!("fr: '{}'", formula.replace('\'', "''")),
        1,
    );
    fs::write(&sheet, text).unwrap();
    let mut rows = template(&root);
    let title_fr = rows[0].iter().position(|h| h == "title_fr").unwrap();
    let row = line_of(&rows, "open-data", "1") - 1;
    assert_eq!(rows[row][title_fr], format!("'{formula}"), "the template's cell is text, not a formula");
    assert!(rows.iter().flatten().all(|cell| !cell.starts_with(['=', '+', '@'])), "no cell of the template runs as a formula");
    fill(&mut rows, "open-data", "1", "new_progress", "40");
    let file = root.join("filled.csv");
    write_csv(&file, &rows);
    let out = import(&root, &file, &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(fs::read_to_string(&sheet).unwrap().contains("progress: 40"));
}
