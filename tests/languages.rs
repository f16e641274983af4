//! Languages as a table: the fixture `tests/fixtures/zgh-site` is written in Arabic,
//! French, English and Tamazight in Tifinagh (`zgh`, described in its `site.yaml` only).
//! Every page's direction is its own language's, text taken from another language says
//! so in the reader's language, the switcher reaches the same page in each language, a
//! language without UI strings is an error, and `check` sums up what is left to
//! translate.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

const LANGUAGES: [(&str, &str, &str); 4] =
    [("ar", "العربية", "rtl"), ("fr", "Français", "ltr"), ("en", "English", "ltr"), ("zgh", "ⵜⴰⵎⴰⵣⵉⵖⵜ", "ltr")];

fn shafaf(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_shafaf")).args(args).output().expect("run shafaf")
}

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/zgh-site")
}

/// The fixture built once, into a folder that lives as long as the tests.
fn built() -> &'static Path {
    static OUT: OnceLock<tempfile::TempDir> = OnceLock::new();
    OUT.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        let result = shafaf(&["build", "--quiet", "--root", fixture().to_str().unwrap(), "--out", out.to_str().unwrap()]);
        assert!(result.status.success(), "{}", String::from_utf8_lossy(&result.stderr));
        dir
    })
    .path()
    .join("out")
    .leak()
}

fn html_pages(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            found.extend(html_pages(&path));
        } else if path.extension().is_some_and(|e| e == "html") {
            found.push(path);
        }
    }
    found.sort();
    found
}

fn read(path: &Path) -> String {
    fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Every page in a language's folder declares that language and its own direction.
#[test]
fn every_page_is_in_its_own_language_and_direction() {
    let out = built();
    let mut pages = 0;
    for (lang, _, dir) in LANGUAGES {
        for page in html_pages(&out.join(lang)) {
            let html = read(&page);
            let expected = format!(r#"<html lang="{lang}" dir="{dir}">"#);
            assert!(html.contains(&expected), "{}: not {expected}", page.display());
            pages += 1;
        }
    }
    assert!(pages > 100, "only {pages} pages");
}

/// The language switcher of every page lists the four languages by their own names, and
/// each link leads to the same page in that language.
#[test]
fn the_switcher_reaches_the_same_page_in_each_language() {
    let out = built();
    for (lang, _, _) in LANGUAGES {
        for page in html_pages(&out.join(lang)) {
            let html = read(&page);
            let rel = page.strip_prefix(out.join(lang)).unwrap();
            let switcher = html.split(r#"<nav class="lang-switch""#).nth(1).and_then(|s| s.split("</nav>").next()).expect("a switcher");
            for (other, name, dir) in LANGUAGES {
                if other == lang {
                    let current = format!(r#"<span aria-current="true" lang="{other}" dir="{dir}">{name}</span>"#);
                    assert!(switcher.contains(&current), "{}: {switcher}", page.display());
                    continue;
                }
                let href = format!("/{other}/{}", rel.to_string_lossy().trim_end_matches("index.html"));
                let link = format!(r#"<a href="{href}" hreflang="{other}" lang="{other}" dir="{dir}" rel="alternate">{name}</a>"#);
                assert!(switcher.contains(&link), "{}: no {link} in {switcher}", page.display());
                assert!(out.join(other).join(rel).is_file(), "{}: the {other} page is missing", page.display());
            }
        }
    }
}

/// A title with no English or Tamazight version is shown in French (the first language
/// of their fallback order that has it), isolated with its own `lang` and `dir`, and
/// marked in the reader's language; an Arabic page that takes nothing from elsewhere
/// has no mark.
#[test]
fn fallback_text_carries_its_own_language_and_a_mark_in_the_readers() {
    let out = built();
    let sheet = "plans/2024-2027/commitments/access-to-information/index.html";
    let en = read(&out.join("en").join(sheet));
    let marked = r#"<bdi lang="fr" dir="ltr">Faciliter l&#39;exercice du droit d&#39;accès à l&#39;information</bdi> <small class="untranslated">(not yet translated)</small>"#;
    assert!(en.contains(marked), "no {marked} in the English sheet");
    // Prose in another language: its own block, with a note first.
    assert!(en.contains(r#"<p class="untranslated">"#) && en.contains(r#"<div class="prose" lang="fr" dir="ltr">"#));
    let zgh = read(&out.join("zgh").join(sheet));
    let marked = r#"<bdi lang="fr" dir="ltr">Faciliter l&#39;exercice du droit d&#39;accès à l&#39;information</bdi> <small class="untranslated">(ⵓⵔ ⵜⴰ ⵉⵜⵜⵓⵙⵓⵖⵍ)</small>"#;
    assert!(zgh.contains(marked), "no {marked} in the Tamazight sheet");
    // The plan's title has a Tamazight version: no mark on its link.
    assert!(zgh.contains("ⴰⵖⴰⵡⴰⵙ ⴰⵏⴰⵎⵓⵔ ⵏ ⵜⵉⴳⴰⵡⵜ 2024-2027"));
    let ar = read(&out.join("ar").join(sheet));
    assert!(!ar.contains("untranslated"), "the Arabic sheet has every text");
}

/// A free page with no English version appears in the English menu in French (English
/// falls back to French first), marked.
#[test]
fn the_menu_marks_a_page_title_from_another_language() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    common::copy_tree(&fixture(), &root);
    fs::remove_file(root.join("content/pages/about.en.md")).unwrap();
    let out = dir.path().join("out");
    let result = shafaf(&["build", "--quiet", "--root", root.to_str().unwrap(), "--out", out.to_str().unwrap()]);
    assert!(result.status.success(), "{}", String::from_utf8_lossy(&result.stderr));
    let html = read(&out.join("en/index.html"));
    let nav = html.split(r#"<nav class="main-nav""#).nth(1).and_then(|s| s.split("</nav>").next()).unwrap();
    let marked = r#"<a href="/en/about/"><bdi lang="fr" dir="ltr">À propos du portail</bdi>"#;
    assert!(nav.contains(marked), "no {marked} in {nav}");
    assert!(nav.contains(r#"<small class="untranslated">(not yet translated)</small></a>"#), "{nav}");
}

/// Dates and figures in English style on the English pages, in Tifinagh month names on
/// the Tamazight ones (from the site's table).
#[test]
fn dates_follow_each_languages_row() {
    let out = built();
    // as_of: 2025-06-30.
    assert!(read(&out.join("en/index.html")).contains("30 June 2025"));
    assert!(read(&out.join("zgh/index.html")).contains("30 ⵢⵓⵏⵢⵓ 2025"));
    assert!(read(&out.join("fr/index.html")).contains("30 juin 2025"));
}

/// The sitemap gives each page's four alternates and the default language's as
/// `x-default`; the open data has a column per language.
#[test]
fn sitemap_alternates_and_feed_columns_cover_every_language() {
    let out = built();
    let sitemap = read(&out.join("sitemap.xml"));
    let entry =
        sitemap.split("<url>").find(|u| u.contains("<loc>https://test.gouvernement-ouvert.ma/en/</loc>")).expect("the English home");
    for (lang, _, _) in LANGUAGES {
        assert!(entry.contains(&format!(r#"hreflang="{lang}" href="https://test.gouvernement-ouvert.ma/{lang}/""#)), "{entry}");
    }
    assert!(entry.contains(r#"hreflang="x-default" href="https://test.gouvernement-ouvert.ma/ar/""#), "{entry}");
    let csv = read(&out.join("data/v1/commitments.csv"));
    let header = csv.lines().next().unwrap();
    for column in ["title_ar", "title_fr", "title_en", "title_zgh"] {
        assert!(header.split(',').any(|c| c == column), "no {column} in {header}");
    }
}

/// The English search index stems with Snowball English, and its page loads the
/// browser's copy of the same stemmer; the Tamazight one folds only.
#[test]
fn english_search_uses_the_english_stemmer() {
    let out = built();
    let manifest: serde_json::Value = serde_json::from_str(&read(&out.join("en/search/index.json"))).unwrap();
    assert_eq!(manifest["rules"]["snowball"], "english");
    let page = read(&out.join("en/search/index.html"));
    assert!(page.contains("/assets/snowball-english."), "the English search page loads the English stemmer");
    let manifest: serde_json::Value = serde_json::from_str(&read(&out.join("zgh/search/index.json"))).unwrap();
    assert_eq!(manifest["rules"]["snowball"], serde_json::Value::Null);
}

/// A declared language with no UI strings stops the build and fails `check`, naming the
/// file to add; it never borrows another language's strings and direction.
#[test]
fn a_language_without_ui_strings_is_an_error_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    common::copy_tree(&fixture(), &root);
    fs::remove_file(root.join("themes/default/i18n/zgh.yaml")).unwrap();
    let out = dir.path().join("out");
    let build = shafaf(&["build", "--quiet", "--root", root.to_str().unwrap(), "--out", out.to_str().unwrap()]);
    assert!(!build.status.success());
    let stderr = String::from_utf8_lossy(&build.stderr);
    assert!(stderr.contains("Standard Moroccan Amazigh (zgh), which has no UI strings: add themes/default/i18n/zgh.yaml"), "{stderr}");
    assert!(stderr.contains("a translated copy of one of the default theme's (ar, en, fr)"), "the languages to copy from: {stderr}");
    assert!(!out.exists(), "nothing was written");
    let check = shafaf(&["check", "--root", root.to_str().unwrap()]);
    assert_eq!(check.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&check.stderr);
    assert!(stderr.contains("add themes/default/i18n/zgh.yaml"), "{stderr}");
    assert!(stderr.contains("content/site.yaml:12:1"), "the error points at `languages:`: {stderr}");
}

/// `languages:` entries: a code that is not built in needs its description, and a
/// description must give what has no default.
#[test]
fn a_language_entry_is_checked_with_its_position() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    common::copy_tree(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/valid-site"), &root);
    let site = root.join("content/site.yaml");
    let text = read(&site);
    fs::write(
        &site,
        text.replace(
            "languages: [ar, fr]",
            "languages:\n  - ar\n  - fr\n  - ber\n  - {code: zgh, dir: sideways, stemmer: klingon, fallback: [xx]}",
        ),
    )
    .unwrap();
    let out = shafaf(&["check", "--root", root.to_str().unwrap(), "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let errors: Vec<String> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["severity"] == "error" && d["path"] == "content/site.yaml")
        .map(|d| format!("{}:{} {}: {}", d["line"], d["column"], d["field"].as_str().unwrap(), d["message"].as_str().unwrap()))
        .collect();
    let expect = [
        r#"11:5 languages[2]: language "ber" is not built in (ar, fr, en); describe it with a map"#,
        r#"12:6 languages[3].name: language "zgh" is not built in (ar, fr, en), so its entry must give "name""#,
        r#"12:6 languages[3].months: language "zgh" is not built in (ar, fr, en), so its entry must give "months""#,
        r#"12:22 languages[3].dir: language 4 "dir" ("sideways") must be one of: ltr, rtl"#,
        r#"12:41 languages[3].stemmer: language 4 "stemmer" ("klingon") must be one of: arabic, french, english, none"#,
        r#"languages[3].fallback: the fallback "xx" of language "zgh" must be another of the site's languages (ar, fr, ber, zgh)"#,
    ];
    for e in expect {
        assert!(errors.iter().any(|found| found.contains(e)), "no error like {e} in {errors:#?}");
    }
}

/// `check` ends with what is left to translate, per language and file, instead of one
/// warning per text; `--verbose` prints each too, and the JSON gives both.
#[test]
fn check_sums_up_missing_translations_per_language() {
    let root = fixture();
    let out = shafaf(&["check", "--root", root.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("translation to English (en): 33 texts missing in 11 files"), "{stderr}");
    assert!(stderr.contains("translation to Standard Moroccan Amazigh (zgh): 36 texts missing in 11 files"), "{stderr}");
    assert!(stderr.contains("     5  content/plans/2024-2027/commitments/access-to-information.yaml"), "{stderr}");
    assert!(!stderr.contains("has no English (en) text yet"), "no flood of warnings: {stderr}");
    let hint = "(each missing text: shafaf check --verbose, or shafaf translate status)";
    assert!(stderr.contains(&format!("\n{hint}\nchecked ")), "the summary ends saying how to see each text: {stderr}");
    let verbose = shafaf(&["check", "--verbose", "--root", root.to_str().unwrap()]);
    let verbose = String::from_utf8_lossy(&verbose.stderr);
    assert!(verbose.contains("\"title\" has no English (en) text yet"), "{verbose}");
    assert!(!verbose.contains(hint), "--verbose already lists each: {verbose}");
    // A site with every text in every language has no summary, so no hint either.
    let complete = shafaf(&["check", "--root", concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/valid-site")]);
    let complete = String::from_utf8_lossy(&complete.stderr);
    assert!(complete.contains(": 0 errors, 0 warnings") && !complete.contains(hint), "{complete}");
    let json = shafaf(&["check", "--format", "json", "--root", root.to_str().unwrap()]);
    let report: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(report["translations"]["en"]["missing"], 33);
    assert_eq!(report["translations"]["zgh"]["files"]["content/plans/2024-2027/commitments/access-to-information.yaml"], 5);
    let untranslated = report["diagnostics"].as_array().unwrap().iter().filter(|d| d["untranslated"] == "en").count();
    assert_eq!(untranslated, 33);
}

/// A language declared `partial` is still being translated: its missing texts are
/// summed up and listed as notes, and `--strict` passes; the others' are warnings that
/// `--strict` refuses.
#[test]
fn missing_texts_of_a_partial_language_do_not_fail_strict() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    common::copy_tree(&fixture(), &root);
    let strict = |root: &Path| -> serde_json::Value {
        let out = shafaf(&["check", "--strict", "--format", "json", "--root", root.to_str().unwrap()]);
        serde_json::from_slice(&out.stdout).unwrap()
    };
    let count = |report: &serde_json::Value, severity: &str, lang: &str| {
        report["diagnostics"].as_array().unwrap().iter().filter(|d| d["severity"] == severity && d["untranslated"] == lang).count()
    };
    let before = strict(&root);
    assert_eq!((count(&before, "error", "en"), count(&before, "error", "zgh")), (33, 36), "gaps are errors under --strict");
    let site = root.join("content/site.yaml");
    let text = read(&site);
    fs::write(
        &site,
        text.replacen("  - en\n", "  - {code: en, partial: true}\n", 1).replacen(
            "  - code: zgh\n",
            "  - code: zgh\n    partial: true\n",
            1,
        ),
    )
    .unwrap();
    let after = strict(&root);
    assert_eq!((count(&after, "error", "en"), count(&after, "error", "zgh")), (0, 0), "{after:#}");
    assert_eq!((count(&after, "note", "en"), count(&after, "note", "zgh")), (33, 36), "each missing text is still listed, as a note");
    assert_eq!(after["translations"]["en"]["missing"], 33);
    assert_eq!(count(&after, "error", "fr"), count(&before, "error", "fr"), "a complete language's gaps still fail --strict");
    // Only the real portal's English is partial: its --strict check passes.
    let portal = shafaf(&["check", "--strict", "--root", env!("CARGO_MANIFEST_DIR")]);
    assert_eq!(portal.status.code(), Some(0), "{}", String::from_utf8_lossy(&portal.stderr));
}

/// `shafaf translate status`: the table a translator needs, and the fields by file.
#[test]
fn translate_status_prints_the_table_and_the_fields() {
    let root = fixture();
    let out = shafaf(&["translate", "status", "--root", root.to_str().unwrap()]);
    assert!(out.status.success());
    let stdout = String::from_utf8_lossy(&out.stdout);
    let zgh = stdout.lines().find(|l| l.starts_with("zgh ")).expect("a zgh row");
    for cell in ["ⵜⴰⵎⴰⵣⵉⵖⵜ", "ltr", "fr, ar, en", "none", "themes/default/i18n/zgh.yaml (the site's)", "36 in 11 files"] {
        assert!(zgh.contains(cell), "no {cell} in {zgh}");
    }
    assert!(stdout.lines().any(|l| l.starts_with("ar (default)")), "{stdout}");
    // UI strings: a complete file is named alone; one with gaps gives how many keys it
    // lacks in the table and lists them below it, and only for that language.
    let ar = stdout.lines().find(|l| l.starts_with("ar (default) ")).unwrap();
    assert!(ar.contains(" themes/default/i18n/ar.yaml (the default theme's) ") && !ar.contains("missing"), "{ar}");
    let lacking: usize = zgh.split("(the site's), ").nth(1).and_then(|rest| rest.split(" keys missing").next()).unwrap().parse().unwrap();
    let prefix = "UI strings missing in Standard Moroccan Amazigh (zgh) (shown from its fallback languages): ";
    let listed: Vec<&str> = stdout.lines().find_map(|l| l.strip_prefix(prefix)).expect("the keys zgh lacks").split(", ").collect();
    assert_eq!(listed.len(), lacking, "{stdout}");
    assert!(listed.contains(&"activities") && !listed.contains(&"home"), "{listed:?}");
    assert!(!stdout.contains("UI strings missing in Arabic") && !stdout.contains("UI strings missing in French"), "{stdout}");
    assert!(stdout.contains("to translate into English (en):\n"), "{stdout}");
    assert!(stdout.contains("to translate into English (en):\n  content/areas/participation.yaml\n    title.en (line 4)\n"), "{stdout}");
    let json = shafaf(&["translate", "status", "--root", root.to_str().unwrap(), "--lang", "en", "--format", "json"]);
    let report: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(report["languages"].as_array().unwrap().len(), 1);
    assert_eq!(report["languages"][0]["fallback"], serde_json::json!(["fr", "ar", "zgh"]));
    assert_eq!(report["languages"][0]["missing"], 33);
    // A language the site does not declare is refused, naming those it does.
    let unknown = shafaf(&["translate", "status", "--root", root.to_str().unwrap(), "--lang", "xx"]);
    assert_eq!(unknown.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&unknown.stderr),
        "error: site.yaml does not declare the language \"xx\" (languages: ar, fr, en, zgh)\n"
    );
    assert!(unknown.stdout.is_empty());
}
