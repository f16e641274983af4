//! The reporting round through the administration's own spreadsheet: the xlsx template
//! filled with openpyxl as a person would, re-saved by LibreOffice, exported by it as the
//! semicolon CSV a French-locale desk writes, and every bad input the issue lists — each
//! refused with one sentence naming its cell, with nothing written.
//!
//! These tests need Python's openpyxl and LibreOffice; `scripts/test.sh` installs both.
//! They fail, never skip, when one is missing.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

const AS_OF: &str = "2026-11-01";
const DATE: &str = "2026-11-15";

fn shafaf(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_shafaf")).args(args).output().expect("run shafaf")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn portal() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    common::copy_tree(&Path::new(env!("CARGO_MANIFEST_DIR")).join("content"), &root.join("content"));
    (dir, root)
}

/// The Python with openpyxl (see `common::python_with`).
fn python() -> PathBuf {
    common::python_with("openpyxl")
}

/// Runs tests/xlsx/sheet.py and returns its standard output.
fn sheet_py(args: &[&str]) -> String {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/xlsx/sheet.py");
    let out = Command::new(python()).arg(script).args(args).output().expect("run python");
    assert!(out.status.success(), "sheet.py {args:?}: {}", stderr(&out));
    stdout(&out).trim().to_string()
}

/// LibreOffice headless converts `file` with `filter` into `dir`; returns the new file.
/// `french`: run it with French regional settings, as a Moroccan desk's computer.
fn libreoffice(file: &Path, filter: &str, extension: &str, dir: &Path, french: bool) -> PathBuf {
    let profile = dir.join("lo-profile");
    let mut command = Command::new("soffice");
    command
        .arg(format!("-env:UserInstallation=file://{}", profile.display()))
        .args(["--headless", "--convert-to", filter, "--outdir"])
        .arg(dir)
        .arg(file);
    if french {
        command.env("LC_ALL", "fr_FR.UTF-8").env("LANG", "fr_FR.UTF-8").env("LANGUAGE", "fr");
    }
    let out = command.output().expect("LibreOffice (soffice) is missing: run scripts/test.sh, which installs libreoffice-calc-nogui");
    let converted = dir.join(file.with_extension(extension).file_name().unwrap());
    assert!(converted.is_file(), "LibreOffice wrote no {}: {}{}", converted.display(), stdout(&out), stderr(&out));
    converted
}

fn template(root: &Path, name: &str, extra: &[&str]) -> PathBuf {
    let path = root.join(name);
    let mut args = vec!["report", "template", "--root", root.to_str().unwrap(), "--as-of", AS_OF, "--out", path.to_str().unwrap()];
    args.extend_from_slice(extra);
    let out = shafaf(&args);
    assert!(out.status.success(), "{}", stderr(&out));
    path
}

fn import(root: &Path, file: &Path, extra: &[&str]) -> Output {
    let mut args = vec!["report", "import", file.to_str().unwrap(), "--date", DATE, "--root", root.to_str().unwrap()];
    args.extend_from_slice(extra);
    shafaf(&args)
}

/// A template of the 2024-2027 plan, filled by tests/xlsx/sheet.py.
fn filled(root: &Path) -> PathBuf {
    let blank = template(root, "blank.xlsx", &["--plan", "2024-2027"]);
    let path = root.join("filled.xlsx");
    sheet_py(&["fill", blank.to_str().unwrap(), path.to_str().unwrap()]);
    path
}

#[test]
fn the_xlsx_template_is_the_same_twice_and_guides_the_hand_that_fills_it() {
    let (_dir, root) = portal();
    let first = template(&root, "a.xlsx", &["--plan", "2024-2027"]);
    let second = template(&root, "b.xlsx", &["--plan", "2024-2027"]);
    assert_eq!(fs::read(&first).unwrap(), fs::read(&second).unwrap(), "byte-identical from the same content");
    let forced = template(&root, "c.csv", &["--plan", "2024-2027", "--format", "xlsx"]);
    assert_eq!(fs::read(&first).unwrap(), fs::read(&forced).unwrap(), "--format overrides the extension");

    let seen: Value = serde_json::from_str(&sheet_py(&["inspect", first.to_str().unwrap()])).unwrap();
    assert_eq!(seen["sheets"], serde_json::json!(["Rapport - تقرير", "Instructions - تعليمات"]));
    assert_eq!(seen["created"], "2026-11-01T00:00:00", "the content's as-of date, not now");
    assert_eq!(seen["title"], "Rapport d'avancement — 2024-2027 / تقرير التقدم — 2024-2027");
    assert_eq!(seen["a1"], seen["title"]);
    assert_eq!(seen["freeze"], "D3", "header and identifying columns stay in view");
    assert_eq!((&seen["protected"], &seen["password"]), (&Value::Bool(true), &Value::Null), "locked, without a password");
    assert_eq!(seen["header_bold"], true);
    assert_eq!(seen["header"][11], "نسبة الإنجاز الجديدة (%)\nNouvel avancement (%)\nnew_progress");
    assert_eq!(seen["rows"], 142, "one row per activity");
    for fact in
        ["plan", "commitment", "activity", "title_ar", "title_fr", "title_en", "start", "end", "current_end", "last_report", "progress"]
    {
        assert_eq!(seen["locked"][fact], true, "{fact} is locked");
        assert_eq!(seen["shaded"][fact], "FFE7E6E6", "{fact} is shaded");
    }
    for open in [
        "new_progress",
        "note_ar",
        "note_fr",
        "note_en",
        "evidence_url",
        "new_end",
        "new_end_reason_ar",
        "new_end_reason_fr",
        "new_end_reason_en",
    ] {
        assert_eq!(seen["locked"][open], false, "{open} is to fill");
    }
    for arabic in ["title_ar", "note_ar", "new_end_reason_ar"] {
        assert_eq!(seen["reading_order"][arabic], 2.0, "{arabic} reads right to left");
    }
    assert_ne!(seen["reading_order"]["title_fr"], 2.0);
    assert!(
        seen["widths"]["title_ar"].as_f64().unwrap() > 40.0 && seen["widths"]["activity"].as_f64().unwrap() < 20.0,
        "{}",
        seen["widths"]
    );
    // In characters (Excel stores each width with 0.71 of padding): the longest value or
    // the longest label, plus a margin of two; 40 for a text to write; 60 at most.
    let width = |name: &str| seen["widths"][name].as_f64().unwrap().floor();
    assert_eq!(
        ["plan", "activity", "title_ar", "new_progress", "evidence_url", "note_ar", "new_end_reason_fr"].map(width),
        [11.0, 15.0, 60.0, 26.0, 22.0, 40.0, 42.0],
        "plan: 2024-2027; activity, new_progress, evidence_url: their labels; new_end_reason_fr: its label, over 40; {}",
        seen["widths"]
    );
    let v = &seen["validations"];
    assert_eq!(
        [&v["new_progress"]["sqref"], &v["evidence_url"]["sqref"], &v["new_end"]["sqref"]],
        ["L3:L144", "P3:P144", "Q3:Q144"],
        "every row to fill, and only those"
    );
    assert_eq!(
        (&v["new_progress"]["type"], &v["new_progress"]["formula1"], &v["new_progress"]["formula2"]),
        (&"whole".into(), &"0".into(), &"100".into())
    );
    assert!(v["new_progress"]["prompt"].as_str().unwrap().contains("عدد صحيح من 0 إلى 100"));
    assert_eq!(v["evidence_url"]["formula1"], "LEFT(P3,4)=\"http\"");
    assert!(v["new_end"]["formula1"].as_str().unwrap().contains("ISNUMBER(Q3)"));
    let help = seen["help"].to_string();
    assert!(help.contains("كيفية ملء هذا الجدول") && help.contains("Comment remplir ce tableau"), "{help}");

    // A ministry's round over every running plan.
    let lead = template(&root, "agency.xlsx", &["--lead", "digital-development-agency"]);
    let seen: Value = serde_json::from_str(&sheet_py(&["inspect", lead.to_str().unwrap()])).unwrap();
    let title = seen["title"].as_str().unwrap();
    assert!(title.contains("2024-2027") && title.contains("Agence de développement du digital"), "{title}");
    assert_eq!(seen["rows"], 7);
}

#[test]
fn a_template_filled_with_openpyxl_imports_with_the_cells_read_as_typed() {
    let (_dir, root) = portal();
    let file = filled(&root);
    let out = import(&root, &file, &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("added 3 reports and 1 replannings dated 2026-11-15 to 2 sheets"), "{}", stdout(&out));
    let law = fs::read_to_string(root.join("content/plans/2024-2027/commitments/access-to-information-law.yaml")).unwrap();
    assert!(law.contains("      - date: 2026-11-15\n        progress: 75.5\n"), "the percentage cell 0.755 reads as 75.5:\n{law}");
    assert!(law.contains("      - date: 2026-11-15\n        progress: 35\n"), "the number stored as text reads as 35");
    let open_data = fs::read_to_string(root.join("content/plans/2024-2027/commitments/open-data.yaml")).unwrap();
    assert!(open_data.contains("end: 2027-06-30"), "the date cell reads as its day:\n{open_data}");

    let site = root.join("public");
    let built = shafaf(&["build", "--quiet", "--as-of", "2026-11-20", "--root", root.to_str().unwrap(), "--out", site.to_str().unwrap()]);
    assert!(built.status.success(), "{}", stderr(&built));
    let page = fs::read_to_string(site.join("ar/plans/2024-2027/commitments/open-data/index.html")).unwrap();
    assert!(page.contains("تمّ إعدادُ المسوّدة، وهي قيد المراجعة"), "the Arabic note shows on the sheet");
    let json: Value =
        serde_json::from_str(&fs::read_to_string(site.join("data/v1/plans/2024-2027/commitments/open-data.json")).unwrap()).unwrap();
    assert_eq!(json["commitment"]["activities"][0]["updates"][0]["evidence"][0]["url"], "https://data.gov.ma/fr/news/draft");
    assert_eq!(json["commitment"]["activities"][1]["current_end"], "2027-06-30");
}

#[test]
fn the_same_round_resaved_by_libreoffice_or_exported_as_french_semicolon_csv_imports_identically() {
    let (dir, root) = portal();
    let file = filled(&root);
    let reference = import(&root, &file, &["--dry-run"]);
    assert!(reference.status.success(), "{}", stderr(&reference));
    assert!(stdout(&reference).contains("would add 3 reports and 1 replannings"), "{}", stdout(&reference));

    let resaved_dir = dir.path().join("resaved");
    let resaved = libreoffice(&file, "xlsx:Calc MS Excel 2007 XML", "xlsx", &resaved_dir, true);
    assert_ne!(fs::read(&resaved).unwrap(), fs::read(&file).unwrap(), "LibreOffice wrote its own file");
    let out = import(&root, &resaved, &["--dry-run"]);
    assert_eq!((stdout(&out), stderr(&out)), (stdout(&reference), stderr(&reference)));

    // "CSV (séparateur : point-virgule)" in UTF-8, cells as shown under French settings.
    let csv_dir = dir.path().join("csv");
    let csv = libreoffice(&file, "csv:Text - txt - csv (StarCalc):59,34,76,1,,0,false,true,true", "csv", &csv_dir, true);
    let text = fs::read_to_string(&csv).unwrap();
    assert!(text.contains(";\"نسبة الإنجاز الجديدة (%)") && text.contains("75,5"), "a French semicolon CSV:\n{}", &text[..600]);
    let out = import(&root, &csv, &["--dry-run"]);
    assert_eq!((stdout(&out), stderr(&out)), (stdout(&reference), stderr(&reference)));
}

#[test]
fn a_semicolon_csv_with_a_sep_line_imports_and_another_encoding_names_csv_utf8() {
    let (_dir, root) = portal();
    let csv = template(&root, "round.csv", &["--plan", "2024-2027"]);
    let text = fs::read_to_string(&csv).unwrap();
    let mut reader = csv::ReaderBuilder::new().has_headers(false).from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let mut rows: Vec<Vec<String>> = reader.records().map(|r| r.unwrap().iter().map(str::to_string).collect()).collect();
    let row = rows.iter().position(|r| r[1] == "open-data" && r[2] == "1").unwrap();
    rows[row][11] = "40".into();
    // As Excel writes it under French settings, with the line that tells Excel the separator.
    let mut writer = csv::WriterBuilder::new().delimiter(b';').terminator(csv::Terminator::CRLF).from_writer(b"sep=;\r\n".to_vec());
    for row in &rows {
        writer.write_record(row).unwrap();
    }
    let semicolon = root.join("semicolon.csv");
    fs::write(&semicolon, writer.into_inner().unwrap()).unwrap();
    let out = import(&root, &semicolon, &["--dry-run"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("would add 1 reports and 0 replannings"), "{}", stdout(&out));

    let latin1 = root.join("latin1.csv");
    fs::write(&latin1, b"plan;commitment;activity;title_fr\r\n2024-2027;open-data;1;Cr\xe9ation\r\n").unwrap();
    let out = import(&root, &latin1, &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("\"CSV UTF-8\""), "{}", stderr(&out));
    assert!(stderr(&out).contains("Enregistrer sous") && stderr(&out).contains("حفظ باسم"), "{}", stderr(&out));
}

/// Imports `file` and checks it is refused with exactly one error containing `expected`,
/// and that no sheet changed.
fn refused(root: &Path, file: &Path, expected: &str) {
    let before = common::content_snapshot(root);
    let out = import(root, file, &[]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains(expected), "missing {expected:?} in:\n{err}");
    assert_eq!(err.matches(": error: ").count(), 1, "one sentence:\n{err}");
    assert!(err.contains("nothing was imported"), "{err}");
    assert_eq!(common::content_snapshot(root), before, "nothing written");
}

#[test]
fn every_bad_spreadsheet_is_refused_with_one_sentence_naming_its_cell() {
    let (dir, root) = portal();
    let file = filled(&root);
    let broken = |kind: &str| {
        let path = root.join(format!("{kind}.xlsx"));
        let cell = sheet_py(&["break", kind, file.to_str().unwrap(), path.to_str().unwrap()]);
        (path, cell)
    };
    let sheet = "sheet \"Rapport - تقرير\"";

    let (formula, cell) = broken("formula");
    refused(&root, &formula, &format!("{sheet}, cell {cell}: the formula =40+10 has no saved result; type the value itself"));
    // Once a spreadsheet has computed it, the saved result is used.
    let computed = libreoffice(&formula, "xlsx:Calc MS Excel 2007 XML", "xlsx", &dir.path().join("computed"), false);
    let out = import(&root, &computed, &["--dry-run"]);
    assert!(stdout(&out).contains("+        progress: 50\n"), "{}{}", stdout(&out), stderr(&out));

    let (merged, span) = broken("merged");
    refused(&root, &merged, &format!("{sheet}, cells {span} are merged; unmerge them"));
    let (header, cell) = broken("header");
    refused(
        &root,
        &header,
        &format!("{sheet}, cell {cell}: the header \"Avancement\" is not a column of the template, which lacks new_progress"),
    );
    let (locked, cell) = broken("locked");
    refused(&root, &locked, &format!("{sheet}, cell {cell} (title_fr): the title no longer matches activity 3"));
    let (error, cell) = broken("error");
    refused(&root, &error, &format!("{sheet}, cell {cell}: the cell holds the error #DIV/0!"));

    let (far, cell) = broken("far");
    refused(&root, &far, &format!("{sheet}, cell {cell} lies far outside the template"));

    let empty = root.join("empty.xlsx");
    fs::write(&empty, b"").unwrap();
    refused(&root, &empty, "empty.xlsx:1:1: error: the file is empty");
    let corrupt = root.join("corrupt.xlsx");
    let bytes = fs::read(&file).unwrap();
    fs::write(&corrupt, &bytes[..bytes.len() / 2]).unwrap();
    refused(&root, &corrupt, "the file is not a readable xlsx workbook (it may be damaged or cut short)");
    let huge = root.join("huge.xlsx");
    let mut big = bytes.clone();
    big.resize(50 * 1024 * 1024, 0);
    fs::write(&huge, big).unwrap();
    refused(&root, &huge, "the file is 50.0 MB, far more than a reporting round needs");
    let xls = libreoffice(&file, "xls:MS Excel 97", "xls", &dir.path().join("xls"), false);
    refused(&root, &xls, "the file is an old-format .xls workbook; open it and save it as \"Excel Workbook (.xlsx)\"");

    let locked_file = root.join("password.xlsx");
    let msoffcrypto = python().with_file_name("msoffcrypto-tool");
    let out = Command::new(&msoffcrypto)
        .args(["-e", "-p", "secret"])
        .arg(&file)
        .arg(&locked_file)
        .output()
        .unwrap_or_else(|e| panic!("{} is missing ({e}): run scripts/test.sh, which installs msoffcrypto-tool", msoffcrypto.display()));
    assert!(out.status.success(), "{}", stderr(&out));
    refused(&root, &locked_file, "the workbook is protected by a password; remove the password");
}
