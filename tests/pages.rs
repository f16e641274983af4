//! The pages citizens read about delivery, built from the feeds fixture with the real
//! binary: what a reader sees about reports, replanned ends and unreported work, today
//! and as of a past date.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/feeds-site")
}

fn build(as_of: &str) -> (tempfile::TempDir, PathBuf) {
    build_root(&fixture(), as_of)
}

fn build_root(root: &Path, as_of: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
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
    let history = between(&html, "id=\"history-h\"", "</section>");
    let first = history.find("id=\"report-activity-2-2\"").expect("the January report");
    let second = history.find("id=\"report-activity-2-1\"").expect("the September report");
    assert!(first < second, "newest first");
    assert!(history.contains("15 janvier 2025") && history.contains("Commune de la ville"), "date and reporter");
    assert!(history.contains("href=\"https://example.org/beta\""), "evidence link");
    assert!(history.contains("Procès-verbal"), "evidence without a link is still named");
    assert!(!history.contains("80"), "the report of September 2025 does not exist yet");
    assert!(history.contains("id=\"progress-chart-caption\""), "two dated reports draw the progress-over-time chart");
    let activities = between(&html, "id=\"activities-h\"", "</section>");
    assert!(activities.contains("<del"), "the original end is struck through");
    assert!(activities.contains("mars 2025") && activities.contains("Échéance reportée à décembre 2025"));
    assert!(activities.contains("Retard du marché public"), "the reason is shown");
}

#[test]
fn unreported_work_is_said_never_drawn_as_zero() {
    let (_dir, out) = build("2025-06-15");
    let html = page(&out, PETITIONS);
    let status = between(&html, "class=\"status-box\"", "</section>");
    assert!(!status.contains("progressbar"), "no bar for a figure nobody gave");
    assert!(status.contains("Aucun avancement déclaré à ce jour"));
    assert!(status.contains("Non renseigné"));
    let activities = between(&html, "id=\"activities-h\"", "</section>");
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
    assert!(plan.contains("href=\"/fr/plans/2024-2027/report/\""), "the plan links its report");
    let report = page(&out, "fr/plans/2024-2027/report/");
    assert!(report.contains("Rapport d&#39;auto-évaluation"));
    assert!(report.contains("Étude préalable") && report.contains("Échéance dépassée (février 2025)"), "overdue activities listed");
    assert!(report.contains("Activités replanifiées") && report.contains("Lancer le portail"));
    let updates = page(&out, "fr/updates/");
    assert_eq!(updates.matches("<li class=\"report\"").count(), 2, "two reports in effect");
    let atom = fs::read_to_string(out.join("fr/atom.xml")).unwrap();
    assert!(atom.contains("#report-activity-2-2</id>") && atom.contains("<updated>2025-01-15T00:00:00Z</updated>"));
    assert!(!atom.contains("2025-09-01"), "a report after as_of is no entry");
}

#[test]
fn a_past_as_of_shows_the_sheet_as_it_stood() {
    let (_dir, out) = build("2024-09-15");
    let html = page(&out, SHEET);
    let history = between(&html, "id=\"history-h\"", "</section>");
    assert_eq!(history.matches("<li class=\"report\"").count(), 1);
    assert!(!history.contains("id=\"progress-chart-caption\""), "one report draws no chart");
    assert!(!between(&html, "id=\"activities-h\"", "</section>").contains("<del"), "the end had not moved yet");
    let petitions = page(&out, PETITIONS);
    assert!(petitions.contains("Non démarré") && !petitions.contains("Échéance dépassée"));
}

/// A copy of the feeds fixture to edit.
fn copy() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    common::copy_tree(&fixture(), &root);
    (dir, root)
}

/// Raw HTML an editor (or an intruder in the repository) put in Markdown: a script, an
/// event handler, `javascript:` links in Markdown and in HTML, an iframe.
const HOSTILE: &str = "Texte sûr avant.\n\n<script>alert('xss-script')</script>\n\n<img src=x onerror=\"alert('xss-onerror')\">\n\n\
     [lien piégé](javascript:alert('xss-md-link')) <a href=\"javascript:alert('xss-html-link')\">autre</a> \
     <a href=\"JaVaScRiPt:alert('xss-case')\">casse</a>\n\n<iframe src=\"https://evil.example/\"></iframe>\n\nTexte sûr après.\n";

fn assert_clean(html: &str, what: &str) {
    assert!(html.contains("Texte sûr avant.") && html.contains("Texte sûr après."), "{what}: the hostile text is not on the page at all");
    for bad in ["xss-", "alert(", "onerror", "javascript:", "JaVaScRiPt:", "<iframe", "evil.example"] {
        assert!(!html.contains(bad), "{what}: {bad} survived:\n{html}");
    }
}

/// The Markdown that pages show (a sheet's texts, free pages, news) goes through the
/// sanitiser: checked on the built pages, not on a helper only tests call.
#[test]
fn markdown_on_the_built_pages_is_sanitised() {
    let (_dir, root) = copy();
    let sheet = root.join("content/plans/2024-2027/commitments/open-data.yaml");
    let text = fs::read_to_string(&sheet).unwrap();
    let yaml_block = |s: &str| s.lines().map(|l| format!("    {l}\n")).collect::<String>();
    let text = text.replacen(
        "solution:\n  ar: \"بوابة وطنية.\"\n  fr: \"Un portail national.\"",
        &format!("solution:\n  ar: \"بوابة وطنية.\"\n  fr: |\n{}", yaml_block(HOSTILE)),
        1,
    );
    assert!(text.contains("xss-script"), "the sheet was edited");
    fs::write(&sheet, text).unwrap();
    fs::create_dir_all(root.join("content/pages")).unwrap();
    fs::write(root.join("content/pages/about.fr.md"), format!("---\ntitle: \"À propos\"\norder: 1\n---\n{HOSTILE}")).unwrap();
    fs::write(root.join("content/pages/about.ar.md"), format!("---\ntitle: \"حول\"\norder: 1\n---\n{HOSTILE}")).unwrap();
    fs::create_dir_all(root.join("content/news")).unwrap();
    fs::write(root.join("content/news/2025-01-20-launch.fr.md"), format!("---\ntitle: \"Lancement\"\nsummary: \"Résumé\"\n---\n{HOSTILE}"))
        .unwrap();
    fs::write(root.join("content/news/2025-01-20-launch.ar.md"), format!("---\ntitle: \"إطلاق\"\nsummary: \"ملخص\"\n---\n{HOSTILE}"))
        .unwrap();
    let (_out_dir, out) = build_root(&root, "2025-06-15");
    let html = page(&out, SHEET);
    assert_clean(between(&html, "<main", "</main>"), "the commitment sheet");
    assert!(html.contains("lien piégé"), "a neutralised link keeps its text");
    for path in ["fr/about/", "ar/about/", "fr/news/2025-01-20-launch/", "ar/news/2025-01-20-launch/"] {
        let html = page(&out, path);
        assert_clean(between(&html, "<main", "</main>"), path);
    }
}

/// The open-data page's JSON-LD sits in a `<script>` element: a `</script>` in the
/// site's texts must not close it (and open the page to whatever follows).
#[test]
fn the_json_ld_of_the_open_data_page_survives_a_closing_script_tag() {
    let (_dir, root) = copy();
    let site = root.join("content/site.yaml");
    let hostile = r#"Données </script><script>alert('xss-ld')</script> ouvertes"#;
    let text = fs::read_to_string(&site)
        .unwrap()
        .replace(r#"fr: "Petit site pour tester les données ouvertes.""#, &format!("fr: {}", serde_json::to_string(hostile).unwrap()));
    assert!(text.contains("xss-ld"));
    fs::write(&site, text).unwrap();
    let (_out_dir, out) = build_root(&root, "2025-06-15");
    let html = page(&out, "fr/open-data/");
    let open = html.find("application/ld+json").expect("the JSON-LD block");
    let body = &html[open..];
    let body = &body[body.find('>').unwrap() + 1..];
    let block = &body[..body.find("</script>").expect("the block is closed")];
    let ld: serde_json::Value = serde_json::from_str(block).unwrap_or_else(|e| panic!("the block ends early ({e}): {block}"));
    assert_eq!(ld["description"], hostile, "the text is kept whole, only escaped");
    // Elsewhere the text sits in quoted attributes (`<meta content="…">`), where a `<`
    // is plain text; outside them no script element comes from the site's texts.
    assert!(!without_quoted_attributes(&html).contains("<script>alert("), "no script element from the site's texts");
}

/// The HTML with the values of double-quoted attributes removed.
fn without_quoted_attributes(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(i) = rest.find("=\"") {
        out.push_str(&rest[..i + 2]);
        rest = &rest[i + 2..];
        rest = rest.find('"').map_or("", |end| &rest[end..]);
    }
    out.push_str(rest);
    out
}

#[test]
fn the_open_data_page_names_the_per_commitment_files_by_their_pattern() {
    let (_dir, out) = build("2025-06-15");
    let html = page(&out, "fr/open-data/");
    assert!(html.contains("plans/PLAN/commitments/ID.json (3 fichiers, listés dans index.json)"), "one row for the pattern");
    assert!(!html.contains("commitments/open-data.json"), "no row per commitment");
    let index = fs::read_to_string(out.join("data/v1/index.json")).unwrap();
    assert!(index.contains("plans/2024-2027/commitments/open-data.json"), "index.json still lists each file");
}

/// Builds a copy of the real portal after `change` has edited the copy (given its root);
/// the build must succeed. Returns the folder (kept alive) and the output.
fn build_changed_portal(change: impl FnOnce(&Path)) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    common::copy_tree(&Path::new(env!("CARGO_MANIFEST_DIR")).join("content"), &root.join("content"));
    change(&root);
    let out = dir.path().join("public");
    let status = Command::new(env!("CARGO_BIN_EXE_shafaf"))
        .args(["build", "--quiet", "--as-of", "2026-11-01", "--root", root.to_str().unwrap(), "--out", out.to_str().unwrap()])
        .status()
        .unwrap();
    assert!(status.success());
    (dir, out)
}

/// The real portal with five rows per page: the 22 commitments of 2021-2023 take five
/// pages in each order, linked to each other and listed in the sitemap.
#[test]
fn lists_are_paginated_and_sorted_without_javascript() {
    let (_dir, out) = build_changed_portal(|root| {
        let site_yaml = root.join("content/site.yaml");
        let config: String =
            fs::read_to_string(&site_yaml).unwrap().lines().filter(|l| !l.starts_with("page_size:")).map(|l| format!("{l}\n")).collect();
        fs::write(&site_yaml, config + "page_size: 5\n").unwrap();
    });
    let first = page(&out, "fr/plans/2021-2023/");
    assert_eq!(first.matches("<th scope=\"row\">").count(), 5, "five rows on a page");
    // The order switch names each order, the current one unlinked.
    let switch = between(&first, "class=\"sort-orders", "</nav>");
    assert!(switch.contains("<span aria-current=\"true\">numéro</span>"), "{switch}");
    assert!(switch.contains(">avancement</a>") && switch.contains(">statut</a>"), "{switch}");
    assert!(
        first.contains("rel=\"next\" href=\"/fr/plans/2021-2023/page/2/\"")
            || first.contains("href=\"/fr/plans/2021-2023/page/2/\" rel=\"next\"")
    );
    let last = page(&out, "fr/plans/2021-2023/page/5/");
    assert_eq!(last.matches("<th scope=\"row\">").count(), 2, "22 = 4 × 5 + 2");
    assert!(!out.join("fr/plans/2021-2023/page/6").exists());
    assert!(last.contains("page 5 sur 5"));
    // By progress: the four commitments reported at 100 % (6, 7, 8 and 22) come first.
    let by_progress = page(&out, "fr/plans/2021-2023/by-progress/");
    assert_eq!(by_progress.matches(">100\u{202F}%<").count(), 4);
    assert!(by_progress.contains(">95\u{202F}%<"), "then 95 % (commitment 14)");
    let by_status = page(&out, "ar/plans/2021-2023/by-status/page/5/");
    assert!(by_status.contains("s-completed"), "completed last");
    let sitemap = fs::read_to_string(out.join("sitemap.xml")).unwrap();
    assert!(sitemap.contains("/fr/plans/2021-2023/by-status/page/3/</loc>"));
    assert!(sitemap.contains("hreflang=\"ar\" href=\"http") && sitemap.contains("/ar/plans/2021-2023/page/2/\"/>"));
}

/// A plan of 205 commitments: its printable report is three pages of at most 100
/// commitments, the summary on the first only, each page linked to the next and in the
/// sitemap, and no page anywhere near the size of the whole report.
#[test]
fn a_long_plan_report_is_split_into_pages() {
    let (_dir, out) = build_changed_portal(|root| {
        let sheets = root.join("content/plans/settat-2024-2025/commitments");
        let model = fs::read_to_string(sheets.join("digital-services.yaml")).unwrap();
        for n in 5..=205 {
            let sheet = model.replacen("number: 3\n", &format!("number: {n}\n"), 1);
            fs::write(sheets.join(format!("copy-{n:03}.yaml")), sheet).unwrap();
        }
    });
    let sections = |html: &str| html.matches("<section class=\"report-commitment\"").count();
    let first = page(&out, "fr/plans/settat-2024-2025/report/");
    assert_eq!(sections(&first), 100);
    assert!(first.contains("id=\"by-status-h\""), "the summary opens the report");
    assert!(first.contains("href=\"/fr/plans/settat-2024-2025/report/page/2/\""));
    let last = page(&out, "ar/plans/settat-2024-2025/report/page/3/");
    assert_eq!(sections(&last), 5, "205 = 2 × 100 + 5");
    assert!(!last.contains("id=\"by-status-h\""), "the summary is not repeated");
    assert!(last.contains("rc-205-h"), "the last commitment ends the report");
    assert!(!out.join("fr/plans/settat-2024-2025/report/page/4").exists());
    let sitemap = fs::read_to_string(out.join("sitemap.xml")).unwrap();
    assert!(sitemap.contains("/fr/plans/settat-2024-2025/report/page/3/</loc>"));
    // The real portal's plans print whole.
    assert!(!out.join("fr/plans/2021-2023/report/page/2").exists());
}

/// Every file under `out` ending in `.html`, as site paths (`fr/plans/p/index.html`).
fn html_files(out: &Path) -> std::collections::BTreeSet<String> {
    let mut files = std::collections::BTreeSet::new();
    let mut stack = vec![out.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "html") {
                files.insert(path.strip_prefix(out).unwrap().to_string_lossy().into_owned());
            }
        }
    }
    files
}

/// The value of `attribute="…"` in the tag around each occurrence of `marker` in
/// `text`; a tag without it fails the test.
fn attribute_values(text: &str, marker: &str, attribute: &str) -> Vec<String> {
    text.match_indices(marker)
        .map(|(at, _)| {
            let tag_start = if marker.starts_with('<') { at } else { text[..at].rfind('<').expect("a tag") };
            let tag = &text[tag_start..at + text[at..].find('>').expect("a closed tag")];
            let start = tag.find(&format!("{attribute}=\"")).unwrap_or_else(|| panic!("no {attribute} in {tag}")) + attribute.len() + 2;
            tag[start..start + tag[start..].find('"').expect("a closed value")].to_string()
        })
        .collect()
}

/// The real portal with five rows per page (lists of several pages in three orders):
/// the sitemap lists every built page and nothing else, and every hreflang alternate
/// (in the sitemap and in the pages) and every prev/next link leads to a built page.
#[test]
fn every_page_is_in_the_sitemap_and_every_link_between_pages_is_a_built_page() {
    let (_dir, out) = build_changed_portal(|root| {
        let site_yaml = root.join("content/site.yaml");
        let config: String =
            fs::read_to_string(&site_yaml).unwrap().lines().filter(|l| !l.starts_with("page_size:")).map(|l| format!("{l}\n")).collect();
        fs::write(&site_yaml, config + "page_size: 5\n").unwrap();
    });
    let base = "https://www.gouvernement-ouvert.ma/";
    let built = html_files(&out);
    let page_of = |url: &str| -> String {
        let path = url.strip_prefix(base).or_else(|| url.strip_prefix('/')).unwrap_or_else(|| panic!("{url} is not on the site"));
        format!("{path}index.html")
    };
    let sitemap = fs::read_to_string(out.join("sitemap.xml")).unwrap();
    let listed: std::collections::BTreeSet<String> =
        attribute_values(&sitemap.replace("<loc>", "<loc href=\"").replace("</loc>", "\">"), "<loc", "href")
            .iter()
            .map(|u| page_of(u))
            .collect();
    // The root page is the default language's dashboard under another address, and
    // 404.html is no page of the site.
    let pages: std::collections::BTreeSet<String> = built.iter().filter(|p| *p != "index.html" && *p != "404.html").cloned().collect();
    assert!(pages.len() > 300, "{} pages", pages.len());
    assert_eq!(listed, pages, "the sitemap lists exactly the built pages");
    assert!(pages.contains("fr/institutions/digital-transition/report/index.html"), "the new page kind is built and listed");
    for href in attribute_values(&sitemap, "<xhtml:link", "href") {
        assert!(built.contains(&page_of(&href)), "sitemap alternate {href} is not a built page");
    }
    for page in &pages {
        let html = fs::read_to_string(out.join(page)).unwrap();
        for marker in ["<link rel=\"alternate\" hreflang", "rel=\"prev\"", "rel=\"next\""] {
            for href in attribute_values(&html, marker, "href") {
                assert!(built.contains(&page_of(&href)), "{page}: {marker} {href} is not a built page");
            }
        }
    }
}

/// The search index's manifest names its fragments' fields and each language's
/// direction, which search.js reads instead of keeping copies of them.
#[test]
fn the_search_manifest_names_the_fragment_fields_and_the_directions() {
    let (_dir, out) = build("2025-06-15");
    let manifest: serde_json::Value = serde_json::from_str(&fs::read_to_string(out.join("fr/search/index.json")).unwrap()).unwrap();
    assert_eq!(manifest["fragment"], serde_json::json!(["title", "url", "context", "text", "title_lang", "text_lang"]));
    assert_eq!(manifest["directions"], serde_json::json!({"ar": "rtl", "fr": "ltr"}));
    let mut text = String::new();
    std::io::Read::read_to_string(&mut flate2::read::ZlibDecoder::new(fs::File::open(out.join("fr/search/f/0.bin")).unwrap()), &mut text)
        .unwrap();
    let fragments: serde_json::Value = serde_json::from_str(&text).unwrap();
    let url = manifest["fragment"].as_array().unwrap().iter().position(|f| f == "url").unwrap();
    assert!(fragments[0][url].as_str().unwrap().starts_with("/fr/"), "{fragments}");
}

/// The sitemap, robots.txt and Atom feeds are templates a site may override, as any
/// other: a site's own `templates/robots.txt` and `templates/sitemap.xml` are used.
#[test]
fn a_site_overrides_the_built_in_robots_and_sitemap_templates() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    common::copy_tree(&fixture(), &root);
    fs::create_dir_all(root.join("templates")).unwrap();
    fs::write(root.join("templates/robots.txt"), "User-agent: *\nDisallow: /drafts/\n\nSitemap: {{ sitemap_url }}\n").unwrap();
    fs::write(root.join("templates/sitemap.xml"), "<urls>{% for u in urls %}<u>{{ u.loc }}</u>{% endfor %}</urls>\n").unwrap();
    let (_out_dir, out) = build_root(&root, "2025-06-15");
    let robots = fs::read_to_string(out.join("robots.txt")).unwrap();
    assert!(robots.starts_with("User-agent: *\nDisallow: /drafts/\n") && robots.contains("sitemap.xml"), "{robots}");
    let sitemap = fs::read_to_string(out.join("sitemap.xml")).unwrap();
    assert!(sitemap.starts_with("<urls><u>http") && sitemap.contains("/fr/plans/"), "{sitemap}");
    let (_default_dir, default_out) = build("2025-06-15");
    let atom = |out: &Path| fs::read_to_string(out.join("fr/atom.xml")).unwrap();
    assert_eq!(atom(&out), atom(&default_out), "the feeds keep the built-in template");
}

/// The frame every page shares: the root page is the default language's dashboard, the
/// menu lists the portal's pages then the free pages once each and marks the current
/// one, the language switch marks the page's own language and links its twin, and the
/// 404 page speaks every language.
#[test]
fn every_page_shares_one_frame_and_the_root_and_404_pages_follow_it() {
    let (_dir, out) = build_changed_portal(|_| {});
    assert_eq!(fs::read(out.join("index.html")).unwrap(), fs::read(out.join("ar/index.html")).unwrap(), "the root is /ar/'s dashboard");
    let about = page(&out, "fr/about/");
    let menu = between(&about, "<nav class=\"main-nav\"", "</nav>");
    let links = attribute_values(menu, "<a ", "href");
    assert_eq!(&links[..5], ["/fr/", "/fr/updates/", "/fr/news/", "/fr/open-data/", "/fr/search/"], "{menu}");
    assert!(links.contains(&"/fr/about/".to_string()) && links.contains(&"/fr/methodology/".to_string()), "{menu}");
    let unique: std::collections::BTreeSet<&String> = links.iter().collect();
    assert_eq!(unique.len(), links.len(), "each page once: {menu}");
    assert_eq!(menu.matches("aria-current=\"page\"").count(), 1, "{menu}");
    assert!(menu.contains("<a href=\"/fr/about/\" aria-current=\"page\">À propos du portail</a>"), "{menu}");
    assert!(menu.contains("<a href=\"/fr/methodology/\">Méthodologie</a>"), "each free page under its own title: {menu}");
    let switch = between(&about, "<nav class=\"lang-switch\"", "</nav>");
    assert!(switch.contains("<span aria-current=\"true\" lang=\"fr\""), "{switch}");
    assert!(switch.contains("<a href=\"/ar/about/\" hreflang=\"ar\""), "{switch}");
    let not_found = fs::read_to_string(out.join("404.html")).unwrap();
    for (lang, title) in [("ar", "الصفحة غير موجودة"), ("fr", "Page introuvable")] {
        assert!(not_found.contains(&format!("<section lang=\"{lang}\"")) && not_found.contains(title), "404 in {lang}");
        assert!(not_found.contains(&format!("href=\"/{lang}/\"")), "404 links /{lang}/");
    }
    let sitemap = fs::read_to_string(out.join("sitemap.xml")).unwrap();
    assert!(
        sitemap.contains("hreflang=\"x-default\" href=\"https://www.gouvernement-ouvert.ma/ar/about/\""),
        "x-default is the default language's"
    );
    assert!(!sitemap.contains("hreflang=\"x-default\" href=\"https://www.gouvernement-ouvert.ma/fr/"), "never another language's");
}

/// A site's own HTML template overrides the theme's file by file in Tera 2: it extends
/// the theme's base, calls the theme's components and filters, and only its page changes.
#[test]
fn a_site_overrides_one_page_template_with_the_themes_components() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    common::copy_tree(&fixture(), &root);
    fs::create_dir_all(root.join("templates")).unwrap();
    let template = concat!(
        "{% extends \"base.html\" %}\n",
        "{% block main %}<h1 class=\"own\">{{ data.title | text }}</h1>\n",
        "{{ <counts list={data.activity_statuses} /> }}\n",
        "{{ <badge p={data.progress} /> }}{% endblock main %}\n",
    );
    fs::write(root.join("templates/commitment.html"), template).unwrap();
    let (_out_dir, out) = build_root(&root, "2025-06-15");
    let sheet = page(&out, SHEET);
    let main = between(&sheet, "<main", "</main>");
    assert!(main.contains("<h1 class=\"own\">"), "{main}");
    assert!(main.contains("<ul class=\"counts\">") && main.contains("<span class=\"badge s-"), "{main}");
    assert!(!main.contains("id=\"history-h\""), "the theme's sheet is replaced: {main}");
    assert!(sheet.contains("<nav class=\"main-nav\""), "the theme's base frames it");
    let (_default_dir, default_out) = build("2025-06-15");
    assert_eq!(page(&out, "fr/"), page(&default_out, "fr/"), "the other pages keep the theme's templates");
}

/// A site's template still in Tera 1 (macros, an import, `m::` calls) is refused by
/// `check` and `build`, each use named by file, line and column with the porting guide,
/// and nothing is written.
#[test]
fn a_site_template_still_in_tera_1_is_named_line_by_line_and_nothing_is_built() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    common::copy_tree(&fixture(), &root);
    fs::create_dir_all(root.join("templates")).unwrap();
    let template = "{% extends \"base.html\" %}\n{% import \"macros.html\" as m %}\n{% block main %}\n<h1>{{ m::t(x=data.title) }}</h1>{% endblock main %}\n";
    fs::write(root.join("templates/commitment.html"), template).unwrap();
    let check = Command::new(env!("CARGO_BIN_EXE_shafaf")).args(["check", "--root", root.to_str().unwrap()]).output().unwrap();
    assert_eq!(check.status.code(), Some(1));
    let said = String::from_utf8_lossy(&check.stderr);
    for location in ["templates/commitment.html:2:1", "templates/commitment.html:4:8"] {
        assert!(said.contains(location), "{location} in: {said}");
    }
    assert!(said.contains("docs/theme-tera2.md") && said.contains("`m::t(`"), "{said}");
    let out = dir.path().join("public");
    let build = Command::new(env!("CARGO_BIN_EXE_shafaf"))
        .args(["build", "--root", root.to_str().unwrap(), "--out", out.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(!build.status.success());
    assert!(String::from_utf8_lossy(&build.stderr).contains("templates/commitment.html:2:1"));
    assert!(!out.exists(), "a refused build writes nothing");
}

/// A site template that hands one of the theme's filters something other than the view
/// it expects fails the build (exit 2), and the message says what the filter got, at the
/// template's line and column: nothing (a field the view does not have, or `none`), a
/// value that is not an object, or an object without the field.
#[test]
fn a_filter_given_the_wrong_value_says_what_it_got() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    common::copy_tree(&fixture(), &root);
    fs::create_dir_all(root.join("templates")).unwrap();
    for (call, said) in [
        ("{{ data.no_such_field | text }}", "expected a field `text`, got nothing"),
        ("{{ none | text }}", "expected a field `text`, got nothing"),
        ("{{ data.title.text | text }}", "expected a field `text`, got not an object"),
        ("{{ data.title | link }}", "expected a field `label`, got an object"),
    ] {
        fs::write(
            root.join("templates/commitment.html"),
            format!("{{% extends \"base.html\" %}}\n{{% block main %}}\n{call}\n{{% endblock main %}}\n"),
        )
        .unwrap();
        let out = dir.path().join("public");
        let build = Command::new(env!("CARGO_BIN_EXE_shafaf"))
            .args(["build", "--quiet", "--as-of", "2025-06-15", "--root", root.to_str().unwrap(), "--out", out.to_str().unwrap()])
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&build.stderr);
        assert_eq!(build.status.code(), Some(2), "{call}: {stderr}");
        assert!(stderr.contains("rendering commitment.html for ") && stderr.contains(said), "{call}: {stderr}");
        assert!(stderr.contains(" --> commitment.html:3:"), "{call}: {stderr}");
        assert!(!out.exists(), "a failed build writes nothing");
    }
}

/// A fixture's YAML without its Arabic: each `ar:` key with the lines of its block, and
/// the `ar: …, ` of each one-line map.
fn without_arabic(yaml: &str) -> String {
    let mut kept = String::new();
    let mut dropping: Option<usize> = None;
    for line in yaml.lines() {
        let indent = line.len() - line.trim_start().len();
        if dropping.is_some_and(|at| indent > at || line.trim().is_empty()) {
            continue;
        }
        dropping = None;
        if line.trim_start().starts_with("ar:") {
            dropping = Some(indent);
            continue;
        }
        let mut line = line.to_string();
        while let Some(start) = line.find("{ar: ") {
            let end = start + line[start..].find(", ").expect("a one-line map with another language") + 2;
            line.replace_range(start + 1..end, "");
        }
        kept.push_str(&line);
        kept.push('\n');
    }
    kept
}

/// A site in one language, where the pages of one kind follow those of another in the
/// same language: each page is still built from its own view, and the sitemap lists
/// exactly the pages built.
#[test]
fn a_site_in_one_language_builds_each_page_of_its_sitemap() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    common::copy_tree(&fixture(), &root);
    let mut folders = vec![root.join("content")];
    while let Some(folder) = folders.pop() {
        for entry in fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            if path.is_dir() {
                folders.push(path);
            } else if name.ends_with(".ar.md") {
                fs::remove_file(&path).unwrap();
            } else if name.ends_with(".yaml") {
                fs::write(&path, without_arabic(&fs::read_to_string(&path).unwrap())).unwrap();
            }
        }
    }
    let site_yaml = root.join("content/site.yaml");
    let config = fs::read_to_string(&site_yaml).unwrap();
    assert!(config.contains("languages: [ar, fr]\n"));
    fs::write(&site_yaml, config.replace("languages: [ar, fr]\n", "languages: [fr]\n")).unwrap();
    let (_out_dir, out) = build_root(&root, "2025-06-15");

    let pages: std::collections::BTreeSet<String> = html_files(&out).into_iter().filter(|p| p != "index.html" && p != "404.html").collect();
    let sitemap = fs::read_to_string(out.join("sitemap.xml")).unwrap();
    let listed: std::collections::BTreeSet<String> =
        attribute_values(&sitemap.replace("<loc>", "<loc href=\"").replace("</loc>", "\">"), "<loc", "href")
            .iter()
            .map(|url| format!("{}index.html", &url[url.find("/fr/").expect("a French page") + 1..]))
            .collect();
    assert!(listed.len() > 20, "{listed:?}");
    assert_eq!(pages, listed, "the sitemap lists exactly the built pages");
    let heading = |path: &str| {
        let html = page(&out, path);
        let h1 = between(&html, "<h1", "</h1>");
        h1[h1.find('>').unwrap() + 1..].to_string()
    };
    for (path, title) in [
        ("fr/news", "Actualités"),
        ("fr/updates", "Derniers rapports"),
        ("fr/search", "Recherche"),
        ("fr/open-data", "Données ouvertes"),
        ("fr/changes", "Modifications"),
    ] {
        assert!(heading(path).contains(title), "{path}: {}", heading(path));
    }
}
