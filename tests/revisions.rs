//! Revisions from the content's git history, and the feeds that follow one commitment or
//! one plan: a fixture repository is built commit by commit (with the `git` command, its
//! dates set), then the site is built from it, from a shallow clone of it and from a
//! copy outside any repository, and what readers see is checked: the sheets' "changes"
//! section, the plan's withdrawn sheets, the changes page, `revisions.csv` and the Atom
//! feeds (read by feedparser, with their entry IDs stable across builds).

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

fn git(dir: &Path, args: &[&str]) {
    let out = Command::new("git").current_dir(dir).args(args).env_remove("GIT_DIR").env_remove("GIT_WORK_TREE").output().expect("run git");
    assert!(out.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&out.stderr));
}

/// The valid-site fixture as a repository of eight commits, dated: see
/// tests/fixtures/history/make-repo.sh (a target lowered, an end moved, a report-only
/// commit, an activity removed, a sheet renamed, one withdrawn, one retitled after as_of).
fn fixture_repository() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/history/make-repo.sh");
    let repo = dir.path().join("repo");
    let out = Command::new("bash").arg(script).arg(&repo).output().expect("run make-repo.sh");
    assert!(out.status.success(), "make-repo.sh: {}", String::from_utf8_lossy(&out.stderr));
    dir
}

fn build(root: &Path, extra: &[&str]) -> (tempfile::TempDir, PathBuf) {
    let out = tempfile::tempdir().unwrap();
    let site = out.path().join("public");
    let result = Command::new(env!("CARGO_BIN_EXE_shafaf"))
        .args(["build", "--quiet", "--root"])
        .arg(root)
        .arg("--out")
        .arg(&site)
        .args(extra)
        .output()
        .expect("run shafaf");
    assert!(result.status.success(), "build failed: {}", String::from_utf8_lossy(&result.stderr));
    assert!(result.stderr.is_empty(), "a build prints no warning: {}", String::from_utf8_lossy(&result.stderr));
    (out, site)
}

fn read(site: &Path, path: &str) -> String {
    fs::read_to_string(site.join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The text of a page with its tags removed and its entities read.
fn text(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&#39;", "'").replace("&quot;", "\"").replace("&amp;", "&").replace(['\u{a0}', '\u{202f}'], " ")
}

/// The section of a sheet from its heading to the end of the section.
fn section<'h>(html: &'h str, id: &str) -> &'h str {
    let start = html.find(&format!("id=\"{id}\"")).unwrap_or_else(|| panic!("no #{id}"));
    let end = html[start..].find("</section>").map_or(html.len(), |e| start + e);
    &html[start..end]
}

#[test]
fn a_sheet_shows_each_revision_of_its_official_text_newest_first() {
    let repo = fixture_repository();
    let (_out, site) = build(&repo.path().join("repo"), &[]);
    let sheet = read(&site, "fr/plans/2024-2027/commitments/open-data/index.html");
    let changes = text(section(&sheet, "changes-h"));
    let lines: Vec<&str> = changes.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
    let removed = lines.iter().position(|l| l.contains("activité 3 supprimée : Deuxième édition du hackathon")).expect("activity removed");
    let end = lines.iter().position(|l| *l == "fin de l'activité 1 : décembre 2025 → juin 2026").expect("end moved");
    let target = lines.iter().position(|l| *l == "cible de l'indicateur 2 : 80 % → 70 %").expect("target lowered");
    let published = lines.iter().position(|l| l.contains("Publication")).expect("published");
    assert!(removed < end && end < target && target < published, "newest first: {lines:#?}");
    assert_eq!(changes.matches("Modification du texte officiel").count(), 3, "the report-only commit is no revision: {lines:#?}");
    assert!(!changes.contains("Publier les données ouvertes") && !sheet.contains("Historique disponible"), "{lines:#?}");
    // Each revision has its anchor, and the sheet links its feed.
    assert!(sheet.contains(r#"<li class="revision" id="revision-"#));
    assert!(sheet.contains(
        r#"<link rel="alternate" type="application/atom+xml" href="/fr/plans/2024-2027/commitments/open-data/atom.xml" title="Suivre cet engagement (flux Atom)">"#
    ));
    assert!(text(&sheet).contains("Suivre cet engagement (flux Atom) Un flux Atom est une adresse"));

    // The Arabic sheet says the same in Arabic.
    let ar = text(section(&read(&site, "ar/plans/2024-2027/commitments/open-data/index.html"), "changes-h"));
    assert!(
        ar.contains("تعديلات هذا الالتزام") && ar.contains("القيمة المستهدفة للمؤشر ٢") || ar.contains("القيمة المستهدفة للمؤشر 2"),
        "{ar}"
    );

    // The renamed sheet kept its history under its new name.
    let ati = text(section(&read(&site, "fr/plans/2024-2027/commitments/ati/index.html"), "changes-h"));
    assert!(ati.contains("identifiant (adresse de la fiche) : access-to-information → ati"), "{ati}");
    assert!(ati.contains("Publication"), "{ati}");

    // The deleted sheet is withdrawn from its plan, with its date and last title.
    let plan = text(&read(&site, "fr/plans/2024-2027/index.html"));
    assert!(plan.contains("Engagements retirés du plan"), "{plan}");
    assert!(plan.contains("— retiré le 1 juillet 2024") || plan.contains("— retiré le 1er juillet 2024"), "{plan}");
}

#[test]
fn the_changes_page_the_csv_and_the_feeds_list_every_revision() {
    let repo = fixture_repository();
    let (_out, site) = build(&repo.path().join("repo"), &[]);
    let page = text(&read(&site, "fr/changes/index.html"));
    for line in ["fin de l'activité 1 : décembre 2025 → juin 2026", "cible de l'indicateur 2 : 80 % → 70 %", "access-to-information → ati"]
    {
        assert!(page.contains(line), "{line} missing from the changes page: {page}");
    }
    assert!(read(&site, "sitemap.xml").contains("/fr/changes/</loc>"));

    let csv = read(&site, "data/v1/revisions.csv");
    let rows: Vec<&str> = csv.lines().collect();
    assert_eq!(rows[0], "plan,commitment,date,time,commit,kind,field,before,after");
    let row = |needle: &str| rows.iter().find(|r| r.contains(needle)).unwrap_or_else(|| panic!("no row with {needle}: {csv}"));
    assert!(row(",changed,indicators/2/target/value,80,70").starts_with("2024-2027,open-data,2024-02-01,2024-02-01T10:00:00Z,"));
    assert!(row(",changed,activities/1/end,2025-12,2026-06").contains(",2024-03-01,"));
    // A text is one `lang: text` line per language, in one quoted cell.
    assert!(csv.contains(",changed,activities/3,\"ar: النسخة الثانية من الهاكاثون\nfr: Deuxième édition du hackathon\","), "{csv}");
    assert!(row(",withdrawn,").starts_with("2024-2027,parliament-open-data,2024-07-01,"));
    assert!(!csv.contains("2024-04-01"), "the report-only commit: {csv}");
    assert!(!csv.contains("2025-12-01"), "after as_of: {csv}");
    assert!(read(&site, "data/v1/datapackage.json").contains("\"path\": \"revisions.csv\""));

    // The sheet's feed: its revisions, each dated by its commit; the plan's feed adds the
    // withdrawal; the language feed lists the revisions too.
    let feed = read(&site, "fr/plans/2024-2027/commitments/open-data/atom.xml");
    assert_eq!(feed.matches("<entry").count(), 4, "{feed}");
    assert!(feed.contains("<updated>2024-05-01T10:00:00Z</updated>"), "{feed}");
    assert!(feed.contains("fin de l&#39;activité 1 : décembre 2025 → juin 2026"), "{feed}");
    let plan_feed = read(&site, "fr/plans/2024-2027/atom.xml");
    assert!(plan_feed.contains("#withdrawn-parliament-open-data</id>"), "{plan_feed}");
    assert!(read(&site, "fr/atom.xml").contains("/fr/plans/2024-2027/commitments/open-data/#revision-"));
    for path in ["fr/plans/2024-2027/commitments/open-data/atom.xml", "fr/plans/2024-2027/atom.xml", "ar/atom.xml", "fr/atom.xml"] {
        strict_atom(&site.join(path));
    }

    // A second build gives the same bytes, so the entry IDs stay.
    let (_again, second) = build(&repo.path().join("repo"), &[]);
    for path in [
        "fr/plans/2024-2027/commitments/open-data/atom.xml",
        "fr/plans/2024-2027/atom.xml",
        "fr/changes/index.html",
        "data/v1/revisions.csv",
    ] {
        assert_eq!(read(&site, path), read(&second, path), "{path}");
    }
}

#[test]
fn as_of_ignores_later_commits() {
    let repo = fixture_repository();
    let (_out, site) = build(&repo.path().join("repo"), &["--as-of", "2024-03-15"]);
    let changes = text(section(&read(&site, "fr/plans/2024-2027/commitments/open-data/index.html"), "changes-h"));
    assert!(changes.contains("fin de l'activité 1") && !changes.contains("supprimée"), "{changes}");
    let (_out, later) = build(&repo.path().join("repo"), &["--as-of", "2026-01-01"]);
    let changes = text(section(&read(&later, "fr/plans/2024-2027/commitments/open-data/index.html"), "changes-h"));
    assert!(
        changes.contains("titre : Renforcer la publication et la réutilisation des données ouvertes → Publier les données ouvertes"),
        "{changes}"
    );
}

#[test]
fn a_shallow_clone_says_where_its_history_starts() {
    let repo = fixture_repository();
    let clones = tempfile::tempdir().unwrap();
    let clone = clones.path().join("shallow");
    let url = format!("file://{}", repo.path().join("repo").display());
    git(clones.path(), &["clone", "-q", "--depth", "3", &url, clone.to_str().unwrap()]);
    let (_out, site) = build(&clone, &[]);
    let sheet = read(&site, "fr/plans/2024-2027/commitments/open-data/index.html");
    // Of the three commits (the rename, the withdrawal, the retitling), the last falls
    // after as_of; the oldest is where the history starts: it published nothing and
    // renamed nothing that this clone can tell.
    assert!(!sheet.contains("id=\"changes-h\""), "nothing changed open-data in the shallow history");
    let page = text(&read(&site, "fr/changes/index.html"));
    assert!(
        page.contains("Historique disponible à partir du 1 juin 2024") || page.contains("Historique disponible à partir du 1er juin 2024"),
        "{page}"
    );
    assert!(!page.contains("Publication") && !page.contains("access-to-information → ati"), "{page}");
    let plan = text(&read(&site, "fr/plans/2024-2027/index.html"));
    assert!(plan.contains("retiré le"), "the withdrawal is in the history: {plan}");
}

#[test]
fn outside_a_repository_there_are_no_revisions_and_no_error() {
    let repo = fixture_repository();
    let copy = tempfile::tempdir().unwrap();
    common::copy_tree(&repo.path().join("repo/content"), &copy.path().join("content"));
    let (_out, site) = build(copy.path(), &[]);
    let sheet = read(&site, "fr/plans/2024-2027/commitments/open-data/index.html");
    assert!(!sheet.contains("changes-h"));
    assert!(text(&read(&site, "fr/changes/index.html")).contains("Aucune modification du texte officiel n'est enregistrée."));
    assert_eq!(read(&site, "data/v1/revisions.csv"), "plan,commitment,date,time,commit,kind,field,before,after\r\n");
    // The sheet's feed still follows its reports (none dated here): a valid, empty feed.
    strict_atom(&site.join("fr/plans/2024-2027/commitments/open-data/atom.xml"));
}

/// The Python with feedparser (see `common::python_with`).
fn python() -> PathBuf {
    common::python_with("feedparser")
}

/// Reads an Atom feed with feedparser and fails on anything short of Atom 1.0: a
/// parse error (bozo), or a feed or entry without its required id, title and updated,
/// or an entry without a link, or two entries with one ID.
fn strict_atom(path: &Path) {
    let script = r#"
import sys, feedparser
d = feedparser.parse(sys.argv[1])
problems = []
if d.bozo: problems.append("bozo: %r" % d.bozo_exception)
if d.version != "atom10": problems.append("version %r" % d.version)
for key in ("id", "title", "updated", "updated_parsed"):
    if not d.feed.get(key): problems.append("feed has no " + key)
ids = [e.get("id") for e in d.entries]
if len(set(ids)) != len(ids): problems.append("duplicate entry ids")
for e in d.entries:
    for key in ("id", "title", "updated_parsed", "link", "summary"):
        if not e.get(key): problems.append("entry %s has no %s" % (e.get("id"), key))
print("\n".join(problems))
sys.exit(1 if problems else 0)
"#;
    let out = Command::new(python()).args(["-c", script]).arg(path).output().expect("run python");
    assert!(out.status.success(), "{}: {}{}", path.display(), String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
}
