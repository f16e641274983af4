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
    // Each revision is dated by its commit's day.
    let days: Vec<&str> = section(&sheet, "changes-h").split("<time datetime=\"").skip(1).filter_map(|t| t.split('"').next()).collect();
    assert_eq!(days, ["2024-05-01", "2024-03-01", "2024-02-01", "2024-01-10"]);
    assert!(
        lines.contains(&"1 mars 2024 · Modification du texte officiel")
            || lines.contains(&"1er mars 2024 · Modification du texte officiel"),
        "{lines:#?}"
    );
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

/// The preview reads the committed history when it starts: its sheet shows the
/// revisions a build shows, and still shows them after an edit under the preview
/// (which, not committed, is no revision).
#[test]
fn the_preview_shows_the_committed_revisions_before_and_after_an_edit() {
    use shafaf::serve::interrupt::Interrupt;
    use shafaf::serve::site::LiveSite;
    let repo = fixture_repository();
    let root = repo.path().join("repo");
    let mut live = LiveSite::open(&root, "http://127.0.0.1:1111/").unwrap();
    let changes = |live: &LiveSite| {
        let sheet = live.files["fr/plans/2024-2027/commitments/open-data/index.html"].bytes().unwrap();
        text(section(&String::from_utf8_lossy(&sheet), "changes-h"))
    };
    assert!(changes(&live).contains("cible de l'indicateur 2 : 80 % → 70 %"), "{}", changes(&live));
    let path = root.join("content/plans/2024-2027/commitments/open-data.yaml");
    let yaml = fs::read_to_string(&path).unwrap();
    assert!(yaml.contains("    progress: 60"));
    fs::write(&path, yaml.replacen("    progress: 60", "    progress: 61", 1)).unwrap();
    live.rebuild(&[path]).unwrap();
    while live.step(&Interrupt::default()).unwrap().is_some() {}
    let after = changes(&live);
    assert!(after.contains("cible de l'indicateur 2 : 80 % → 70 %") && after.contains("Publication"), "{after}");
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

/// A repository of the valid-site fixture built by the test itself: `commit` records the
/// work tree as it stands, dated (author and committer) at `date`.
struct Scratch {
    _dir: tempfile::TempDir,
    root: PathBuf,
}

impl Scratch {
    fn new() -> Scratch {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("repo");
        common::copy_tree(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/valid-site"), &root);
        git(&root, &["-c", "init.defaultBranch=main", "init", "-q"]);
        Scratch { _dir: dir, root }
    }

    fn sheet(&self, name: &str) -> PathBuf {
        self.root.join("content/plans/2024-2027/commitments").join(name)
    }

    /// Replaces the first `from` in a sheet by `to`.
    fn edit(&self, name: &str, from: &str, to: &str) {
        replace_in(&self.sheet(name), from, to);
    }

    fn commit(&self, date: &str) {
        for args in [&["add", "-A"][..], &["-c", "user.name=Editor", "-c", "user.email=editor@example.org", "commit", "-q", "-m", date]] {
            let out = Command::new("git")
                .current_dir(&self.root)
                .args(args)
                .env_remove("GIT_DIR")
                .env_remove("GIT_WORK_TREE")
                .env_remove("GIT_INDEX_FILE")
                .env("GIT_CONFIG_GLOBAL", "/dev/null")
                .env("GIT_CONFIG_NOSYSTEM", "1")
                .env("GIT_AUTHOR_DATE", date)
                .env("GIT_COMMITTER_DATE", date)
                .output()
                .expect("run git");
            assert!(out.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&out.stderr));
        }
    }
}

/// Replaces the first `from` in a file by `to`.
fn replace_in(path: &Path, from: &str, to: &str) {
    let text = fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{} has no {from:?}", path.display());
    fs::write(path, text.replacen(from, to, 1)).unwrap();
}

/// The rows of `revisions.csv`, each as its cells joined by ` | ` without the commit
/// column (its IDs depend on git's encoding of the objects), a text's lines by ` / `.
fn revision_rows(site: &Path) -> Vec<String> {
    let csv = read(site, "data/v1/revisions.csv");
    let mut reader = csv::ReaderBuilder::new().from_reader(csv.as_bytes());
    reader
        .records()
        .map(|row| {
            let row = row.unwrap();
            let commit = &row[4];
            assert!(commit.len() == 40 && commit.bytes().all(|b| b.is_ascii_hexdigit()), "a commit ID: {row:?}");
            row.iter().enumerate().filter(|(i, _)| *i != 4).map(|(_, cell)| cell.replace('\n', " / ")).collect::<Vec<_>>().join(" | ")
        })
        .collect()
}

#[test]
fn renamed_sheets_are_matched_by_content_then_by_number_and_only_sheets_count() {
    let repo = Scratch::new();
    // A file of the commitments folder that is not a sheet, committed and deleted.
    fs::write(repo.sheet("notes.txt"), "not a sheet\n").unwrap();
    repo.commit("2024-01-10T09:00:00Z");
    // Two sheets renamed unchanged in one commit: each keeps its own history.
    fs::remove_file(repo.sheet("notes.txt")).unwrap();
    fs::rename(repo.sheet("open-data.yaml"), repo.sheet("data.yaml")).unwrap();
    fs::rename(repo.sheet("access-to-information.yaml"), repo.sheet("access.yaml")).unwrap();
    repo.commit("2024-02-01T10:00:00Z");
    // Renamed and retitled in one commit: the same number.
    fs::rename(repo.sheet("parliament-open-data.yaml"), repo.sheet("parliament.yaml")).unwrap();
    repo.edit("parliament.yaml", "fr: Publier les données du travail parlementaire", "fr: Publier les travaux parlementaires");
    repo.commit("2024-03-01T10:00:00Z");
    // A sheet renamed unchanged while a copy of it, retitled but still numbered 1,
    // arrives under a name sorted before it: the rename is the identical file.
    fs::rename(repo.sheet("data.yaml"), repo.sheet("z-data.yaml")).unwrap();
    fs::copy(repo.sheet("z-data.yaml"), repo.sheet("a-new.yaml")).unwrap();
    repo.edit("a-new.yaml", "fr: Renforcer la publication", "fr: Élargir la publication");
    repo.commit("2024-04-01T10:00:00Z");
    repo.edit("a-new.yaml", "number: 1", "number: 4");
    repo.edit("a-new.yaml", "target: {value: 2000, date: 2027}", "target: {value: 2500, date: 2027}");
    repo.commit("2024-05-01T10:00:00Z");
    // The last second of as_of (2025-06-30) counts; midnight after it does not.
    repo.edit("parliament.yaml", "area: participation", "area: transparency");
    repo.edit("parliament.yaml", "partners: [transparency-watch]", "partners: []");
    repo.commit("2025-06-30T23:59:59Z");
    repo.edit("access.yaml", "number: 2", "number: 5");
    repo.commit("2025-07-01T00:00:00Z");

    // The news still name the sheet by its first name: edited, not committed.
    for news in ["2024-05-14-consultation-launch.ar.md", "2024-05-14-consultation-launch.fr.md"] {
        replace_in(&repo.root.join("content/news").join(news), "2024-2027/open-data", "2024-2027/z-data");
    }
    let (_out, site) = build(&repo.root, &[]);
    let parliament_title = |fr: &str| format!("ar: نشر معطيات العمل البرلماني في صيغة مفتوحة / fr: Publier {fr} en format ouvert");
    assert_eq!(
        revision_rows(&site),
        [
            "2024-2027 | z-data | 2024-01-10 | 2024-01-10T09:00:00Z | published |  |  | ".to_string(),
            "2024-2027 | z-data | 2024-02-01 | 2024-02-01T10:00:00Z | changed | id | open-data | data".into(),
            "2024-2027 | z-data | 2024-04-01 | 2024-04-01T10:00:00Z | changed | id | data | z-data".into(),
            "2024-2027 | parliament | 2024-01-10 | 2024-01-10T09:00:00Z | published |  |  | ".into(),
            "2024-2027 | parliament | 2024-03-01 | 2024-03-01T10:00:00Z | changed | id | parliament-open-data | parliament".into(),
            format!(
                "2024-2027 | parliament | 2024-03-01 | 2024-03-01T10:00:00Z | changed | title | {} | {}",
                parliament_title("les données du travail parlementaire"),
                parliament_title("les travaux parlementaires")
            ),
            "2024-2027 | parliament | 2025-06-30 | 2025-06-30T23:59:59Z | changed | area | participation | transparency".into(),
            "2024-2027 | parliament | 2025-06-30 | 2025-06-30T23:59:59Z | changed | partners | transparency-watch | ".into(),
            "2024-2027 | a-new | 2024-04-01 | 2024-04-01T10:00:00Z | published |  |  | ".into(),
            "2024-2027 | a-new | 2024-05-01 | 2024-05-01T10:00:00Z | changed | number | 1 | 4".into(),
            "2024-2027 | a-new | 2024-05-01 | 2024-05-01T10:00:00Z | changed | indicators/1/target/value | 2000 | 2500".into(),
            "2024-2027 | access | 2024-01-10 | 2024-01-10T09:00:00Z | published |  |  | ".into(),
            "2024-2027 | access | 2024-02-01 | 2024-02-01T10:00:00Z | changed | id | access-to-information | access".into(),
        ]
    );
    // notes.txt was never a sheet, so it was not withdrawn either.
    assert!(!read(&site, "fr/plans/2024-2027/index.html").contains("withdrawn-h"));

    // What the sheets say: areas and institutions by their names, an empty list as a
    // dash, whole numbers without decimals.
    let changes = |id: &str| text(section(&read(&site, &format!("fr/plans/2024-2027/commitments/{id}/index.html")), "changes-h"));
    let parliament = changes("parliament");
    for line in [
        "axe : Participation citoyenne → Transparence et accès à l'information",
        "partenaires : Association Observatoire de la transparence → —",
        "identifiant (adresse de la fiche) : parliament-open-data → parliament",
    ] {
        assert!(parliament.contains(line), "{line} missing from {parliament}");
    }
    let a_new = changes("a-new");
    assert!(a_new.contains("numéro : 1 → 4") && a_new.contains("cible de l'indicateur 1 : 2000 → 2500"), "{a_new}");
    // No repository named in site.yaml: commits are named, not linked.
    assert!(!read(&site, "fr/plans/2024-2027/commitments/a-new/index.html").contains("/commit/"));

    // With the repository named, each revision links its commit's page.
    replace_in(&repo.root.join("content/site.yaml"), "as_of:", "repository: https://git.example.org/portal/content/\nas_of:");
    let (_out, site) = build(&repo.root, &[]);
    let sheet = section(&read(&site, "fr/plans/2024-2027/commitments/a-new/index.html"), "changes-h").to_string();
    let links: Vec<&str> = sheet.split("<a href=\"https://git.example.org/portal/content/commit/").skip(1).collect();
    assert_eq!(links.len(), 2, "{sheet}");
    for link in links {
        let (commit, rest) = link.split_once("\"><bdi dir=\"ltr\">").unwrap();
        assert!(commit.len() == 40 && rest.starts_with(&format!("{}</bdi></a>", &commit[..12])), "{link}");
    }
}

#[test]
fn a_repository_without_commits_is_one_with_an_empty_history() {
    let repo = Scratch::new();
    let languages = ["ar".to_string(), "fr".to_string()];
    let as_of = chrono::NaiveDate::from_ymd_opt(2025, 6, 30).unwrap();
    let history = shafaf::revisions::read(&repo.root, &languages, as_of).unwrap();
    assert_eq!(history, shafaf::revisions::History { in_repository: true, ..Default::default() });
    // Not a repository at all: the empty history of no repository.
    let outside = tempfile::tempdir().unwrap();
    common::copy_tree(&repo.root.join("content"), &outside.path().join("content"));
    assert_eq!(shafaf::revisions::read(outside.path(), &languages, as_of).unwrap(), shafaf::revisions::History::default());
    // And the site builds, with no revisions.
    let (_out, site) = build(&repo.root, &[]);
    assert_eq!(read(&site, "data/v1/revisions.csv"), "plan,commitment,date,time,commit,kind,field,before,after\r\n");
}

#[test]
fn a_sheet_moved_to_another_plan_or_renamed_while_unreadable_starts_anew() {
    let repo = Scratch::new();
    let plans = repo.root.join("content/plans");
    fs::create_dir_all(plans.join("2021-2023/commitments")).unwrap();
    let plan = fs::read_to_string(plans.join("2024-2027/plan.yaml")).unwrap();
    fs::write(plans.join("2021-2023/plan.yaml"), plan.replace("2024-2027", "2021-2023").replace("start: 2024-01", "start: 2021-01"))
        .unwrap();
    repo.commit("2024-01-10T09:00:00Z");
    // Renamed across plans: not a rename (only a sheet of the same plan is).
    fs::rename(repo.sheet("parliament-open-data.yaml"), plans.join("2021-2023/commitments/parliament-open-data.yaml")).unwrap();
    repo.commit("2024-02-01T10:00:00Z");
    // A sheet that cannot be read has no number to be matched by: renamed and edited
    // while still unreadable, it is withdrawn and the new name published.
    fs::write(repo.sheet("draft.yaml"), "number: [\n").unwrap();
    repo.commit("2024-03-01T10:00:00Z");
    fs::remove_file(repo.sheet("draft.yaml")).unwrap();
    fs::write(repo.sheet("draft-2.yaml"), "number: [4\n").unwrap();
    repo.commit("2024-04-01T10:00:00Z");
    let sheet = fs::read_to_string(repo.sheet("open-data.yaml")).unwrap();
    fs::write(repo.sheet("draft-2.yaml"), sheet.replacen("number: 1", "number: 4", 1).replacen("fr: Renforcer", "fr: Étendre", 1)).unwrap();
    repo.commit("2024-05-01T10:00:00Z");

    let (_out, site) = build(&repo.root, &[]);
    assert_eq!(
        revision_rows(&site),
        [
            "2021-2023 | parliament-open-data | 2024-02-01 | 2024-02-01T10:00:00Z | published |  |  | ",
            "2024-2027 | open-data | 2024-01-10 | 2024-01-10T09:00:00Z | published |  |  | ",
            "2024-2027 | access-to-information | 2024-01-10 | 2024-01-10T09:00:00Z | published |  |  | ",
            // Its first readable version has no earlier one to be compared with.
            "2024-2027 | draft-2 | 2024-04-01 | 2024-04-01T10:00:00Z | published |  |  | ",
            "2024-2027 | parliament-open-data | 2024-02-01 | 2024-02-01T10:00:00Z | withdrawn |  | ar: نشر معطيات العمل البرلماني في صيغة مفتوحة / fr: Publier les données du travail parlementaire en format ouvert | ",
            "2024-2027 | draft | 2024-04-01 | 2024-04-01T10:00:00Z | withdrawn |  |  | ",
        ]
    );
    // The plan lists its withdrawn sheets newest first, by number and last title, or by
    // file name when none could be read.
    let plan = read(&site, "fr/plans/2024-2027/index.html");
    let withdrawn: Vec<(&str, String)> = section(&plan, "withdrawn-h")
        .split("<li id=\"withdrawn-")
        .skip(1)
        .map(|item| item.split_once("\">").map(|(id, rest)| (id, text(rest))).unwrap())
        .collect();
    assert_eq!(withdrawn.len(), 2, "{withdrawn:#?}");
    assert_eq!(withdrawn[0].0, "draft");
    assert!(withdrawn[0].1.starts_with("draft — retiré le 1er avril 2024 Commit : "), "{withdrawn:#?}");
    assert_eq!(withdrawn[1].0, "parliament-open-data");
    assert!(
        withdrawn[1]
            .1
            .starts_with("Engagement n° 3 : Publier les données du travail parlementaire en format ouvert — retiré le 1er février 2024"),
        "{withdrawn:#?}"
    );
}

/// Figures changed by a revision are written as the page's language writes them: a
/// whole number without decimals, a fractional one with its decimals, a percentage
/// with its sign; an activity's weight too.
#[test]
fn a_revision_writes_whole_and_fractional_figures_as_the_language_does() {
    let repo = Scratch::new();
    repo.commit("2024-01-10T09:00:00Z");
    repo.edit("open-data.yaml", "baseline: 1200", "baseline: 1250.5");
    repo.edit("open-data.yaml", "baseline: 40", "baseline: 42.25");
    repo.edit("open-data.yaml", "    progress: 50\n", "    progress: 50\n    weight: 2.5\n");
    repo.commit("2024-02-01T10:00:00Z");
    repo.edit("open-data.yaml", "baseline: 1250.5", "baseline: 1300");
    repo.edit("open-data.yaml", "weight: 2.5", "weight: 3");
    repo.commit("2024-03-01T10:00:00Z");
    let (_out, site) = build(&repo.root, &["--as-of", "2025-06-30"]);
    let change_lines = |lang: &str| -> Vec<String> {
        let sheet = read(&site, &format!("{lang}/plans/2024-2027/commitments/open-data/index.html"));
        section(&sheet, "changes-h").split("<li>").skip(1).map(|item| text(item.split("</li>").next().unwrap())).collect()
    };
    assert_eq!(
        change_lines("fr"),
        [
            "poids de l'activité 1 : 2,5 → 3",
            "valeur de référence de l'indicateur 1 : 1250,5 → 1300",
            "poids de l'activité 1 : 1 → 2,5",
            "valeur de référence de l'indicateur 1 : 1200 → 1250,5",
            "valeur de référence de l'indicateur 2 : 40 % → 42,25 %",
        ]
    );
    assert_eq!(
        change_lines("ar"),
        [
            "وزن النشاط 1: 2,5 ← 3",
            "القيمة المرجعية للمؤشر 1: 1250,5 ← 1300",
            "وزن النشاط 1: 1 ← 2,5",
            "القيمة المرجعية للمؤشر 1: 1200 ← 1250,5",
            "القيمة المرجعية للمؤشر 2: 40 % ← 42,25 %",
        ]
    );
}
