//! `serve` equals `build` (issue 15): random sequences of edits to a copy of the valid
//! fixture site, each handed to the preview the way its watcher hands a burst of file
//! events over ([`shafaf::serve::publish`]); after each edit, every file the preview
//! would serve (HTML as the HTTP side injects it, minus the live-reload tag) must equal,
//! byte for byte, a fresh full build of the same folder, and the two sets of paths must
//! be the same (no stale page left after a removal, none missing after an addition).
//!
//! `SERVE_EQ_BUILD_CASES=200 cargo test --test serve_equals_build` runs a longer search.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use proptest::prelude::*;
use shafaf::build::{BuildOptions, render_output_parts};
use shafaf::model::Date;
use shafaf::serve::http::{SCRIPT_PATH, Shared, inject};
use shafaf::serve::interrupt::{Interrupt, is_interruption};
use shafaf::serve::publish;
use shafaf::serve::site::{LiveSite, Step};
use tempfile::TempDir;

const BASE_URL: &str = "http://127.0.0.1:1111/";
/// The fixture's `site.yaml` pins `as_of` to this date, which is what `serve` (that
/// takes no `--as-of`) judges by; the build is given the same date explicitly.
const AS_OF: &str = "2025-06-30";
const PLAN: &str = "2024-2027";
const COMMITMENTS: &str = "content/plans/2024-2027/commitments";

/// One editor action. Indices pick among the files present when the edit runs.
#[derive(Debug, Clone)]
enum Edit {
    /// Change a commitment sheet's title in one language.
    SheetTitle { pick: u8, arabic: bool, n: u16 },
    /// Change the first progress figure of a sheet (its own or its first activity's).
    SheetProgress { pick: u8, value: u8 },
    /// Move a sheet to another area.
    SheetArea { pick: u8, area: u8 },
    /// Give a sheet another lead institution: it moves between institutions' pages and
    /// their printable reports.
    SheetLead { pick: u8, institution: u8 },
    /// A new sheet: a copy of an existing one under a new name, with a fresh number.
    AddSheet { from: u8 },
    /// Delete a sheet that no news post cites.
    RemoveSheet { pick: u8 },
    /// Change an area's French title.
    AreaTitle { pick: u8, n: u16 },
    /// Rename an area's file (its ID) and update every sheet that names it, in one burst
    /// (a git checkout) or in two saves (the site is invalid in between).
    RenameArea { pick: u8, in_steps: bool },
    /// Save a file with a YAML syntax error (or a sheet naming an unknown area or
    /// institution), then fix it again.
    BreakAndFix { kind: u8, pick: u8 },
    /// Change a news post's title or body.
    NewsText { pick: u8, title: bool, n: u16 },
    /// Point a news post at another commitment (or none).
    NewsRelated { pick: u8, sheet: Option<u8> },
    /// A new news post in one or both languages.
    AddNews { month: u8, day: u8, langs: u8, related: Option<u8> },
    /// Delete one language of a news post.
    RemoveNews { pick: u8 },
    /// Change a free page's title or body.
    PageText { pick: u8, title: bool, n: u16 },
    /// Write a free page (new or replaced), including the open-data page's introduction.
    AddPage { slug: u8, arabic: bool, order: u8, n: u16 },
    /// Delete one language of a free page.
    RemovePage { pick: u8 },
    /// Move a free page in the menu (its `order` only).
    PageOrder { pick: u8, order: u8 },
    /// Write, replace or delete a file of the site's own `static/` folder.
    StaticFile { name: u8, remove: bool, n: u16 },
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (any::<u8>(), any::<bool>(), any::<u16>()).prop_map(|(pick, arabic, n)| Edit::SheetTitle { pick, arabic, n }),
        (any::<u8>(), 0..=100u8).prop_map(|(pick, value)| Edit::SheetProgress { pick, value }),
        (any::<u8>(), any::<u8>()).prop_map(|(pick, area)| Edit::SheetArea { pick, area }),
        (any::<u8>(), any::<u8>()).prop_map(|(pick, institution)| Edit::SheetLead { pick, institution }),
        any::<u8>().prop_map(|from| Edit::AddSheet { from }),
        any::<u8>().prop_map(|pick| Edit::RemoveSheet { pick }),
        (any::<u8>(), any::<u16>()).prop_map(|(pick, n)| Edit::AreaTitle { pick, n }),
        (any::<u8>(), any::<bool>()).prop_map(|(pick, in_steps)| Edit::RenameArea { pick, in_steps }),
        (0..8u8, any::<u8>()).prop_map(|(kind, pick)| Edit::BreakAndFix { kind, pick }),
        (any::<u8>(), any::<bool>(), any::<u16>()).prop_map(|(pick, title, n)| Edit::NewsText { pick, title, n }),
        (any::<u8>(), proptest::option::of(any::<u8>())).prop_map(|(pick, sheet)| Edit::NewsRelated { pick, sheet }),
        (1..=12u8, 1..=28u8, 0..3u8, proptest::option::of(any::<u8>())).prop_map(|(month, day, langs, related)| Edit::AddNews {
            month,
            day,
            langs,
            related
        }),
        any::<u8>().prop_map(|pick| Edit::RemoveNews { pick }),
        (any::<u8>(), any::<bool>(), any::<u16>()).prop_map(|(pick, title, n)| Edit::PageText { pick, title, n }),
        (0..3u8, any::<bool>(), 0..5u8, any::<u16>()).prop_map(|(slug, arabic, order, n)| Edit::AddPage { slug, arabic, order, n }),
        any::<u8>().prop_map(|pick| Edit::RemovePage { pick }),
        (any::<u8>(), 0..5u8).prop_map(|(pick, order)| Edit::PageOrder { pick, order }),
        (0..3u8, any::<bool>(), any::<u16>()).prop_map(|(name, remove, n)| Edit::StaticFile { name, remove, n }),
    ]
}

/// A copy of the fixture site with a preview of it, driven like the watcher drives it.
struct World {
    dir: TempDir,
    live: LiveSite,
    shared: Shared,
    /// For fresh file names and IDs.
    counter: u32,
    /// When set, the next edit is followed by this many parts of its remaining work,
    /// then a newer edit interrupts the rest, as an editor saving again would, after
    /// this many looks at the interrupt (0: before the part begins; more: inside it,
    /// or in a later part).
    interrupt_after: Option<(u8, usize)>,
}

impl World {
    fn new() -> World {
        let dir = tempfile::tempdir().unwrap();
        common::copy_tree(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/valid-site"), dir.path());
        let live = LiveSite::open(dir.path(), BASE_URL).unwrap();
        let shared = Shared::new(live.files.clone(), live.errors());
        World { dir, live, shared, counter: 0, interrupt_after: None }
    }

    fn root(&self) -> &Path {
        self.dir.path()
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.root().join(rel)
    }

    fn fresh(&mut self) -> u32 {
        self.counter += 1;
        self.counter
    }

    /// Hands changed files (relative to the root) to the preview, as one burst of events.
    fn publish(&mut self, rels: &[String]) {
        let paths: Vec<PathBuf> = rels.iter().map(|r| self.path(r)).collect();
        match self.interrupt_after {
            None => publish(&mut self.live, &paths, &self.shared, |_| {}),
            Some(steps) => self.publish_interrupted(&paths, steps),
        }
    }

    /// The edit's own pages and `steps` parts of the rest; then the parts go on until a
    /// newer edit interrupts one, after `looks` looks at the flag; the interrupted part
    /// must end as an interruption and change no file.
    fn publish_interrupted(&mut self, paths: &[PathBuf], (steps, looks): (u8, usize)) {
        let go_on = Interrupt::default();
        self.live.rebuild(paths).unwrap();
        for _ in 0..steps {
            self.live.step(&go_on).unwrap();
        }
        let newer_edit = Interrupt::raised_after(looks);
        loop {
            // Published as the watcher publishes each part.
            *self.shared.files.write().unwrap() = self.live.files.clone();
            *self.shared.errors.write().unwrap() = self.live.errors();
            if !self.live.has_work() {
                return;
            }
            let before = self.live.files.clone();
            let Err(err) = self.live.step(&newer_edit) else { continue };
            assert!(is_interruption(&err), "{err:#}");
            assert!(
                self.live.files.len() == before.len() && self.live.files.keys().eq(before.keys()),
                "an interrupted step changes no file"
            );
            assert!(self.live.files.iter().all(|(path, stored)| std::sync::Arc::ptr_eq(stored, &before[path])));
            assert!(self.live.has_work(), "the interrupted work is still to do");
            return;
        }
    }

    fn read(&self, rel: &str) -> String {
        fs::read_to_string(self.path(rel)).unwrap()
    }

    fn write(&self, rel: &str, text: &str) {
        let path = self.path(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }

    /// The files of a content folder, as paths relative to the root, sorted.
    fn files(&self, folder: &str, ext: &str) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(self.path(folder))
            .map(|entries| entries.map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect())
            .unwrap_or_default();
        names.retain(|n| n.ends_with(ext));
        names.sort();
        names.into_iter().map(|n| format!("{folder}/{n}")).collect()
    }

    fn sheets(&self) -> Vec<String> {
        self.files(COMMITMENTS, ".yaml")
    }

    fn institutions(&self) -> Vec<String> {
        self.files("content/institutions", ".yaml")
    }

    fn areas(&self) -> Vec<String> {
        self.files("content/areas", ".yaml")
    }

    fn news(&self) -> Vec<String> {
        self.files("content/news", ".md")
    }

    fn pages(&self) -> Vec<String> {
        self.files("content/pages", ".md")
    }

    /// Sheets that no news post cites, so deleting one keeps the site valid.
    fn uncited_sheets(&self) -> Vec<String> {
        let news: Vec<String> = self.news().iter().map(|n| self.read(n)).collect();
        self.sheets().into_iter().filter(|s| !news.iter().any(|text| text.contains(&format!("{PLAN}/{}]", stem(s))))).collect()
    }

    /// Every file the preview serves, as the browser gets it, minus the reload tag.
    fn served(&self) -> BTreeMap<String, Vec<u8>> {
        let errors = self.shared.errors.read().unwrap().clone();
        let tag = format!(r#"<script src="{SCRIPT_PATH}"></script>"#);
        let files = self.shared.files.read().unwrap();
        files
            .iter()
            .map(|(path, stored)| {
                let bytes = stored.bytes().unwrap();
                let bytes = if path.ends_with(".html") {
                    let injected = String::from_utf8(inject(&bytes, &errors)).unwrap();
                    assert_eq!(injected.matches(&tag).count(), 1, "{path}: one live-reload tag");
                    injected.replacen(&tag, "", 1).into_bytes()
                } else {
                    bytes.to_vec()
                };
                (path.clone(), bytes)
            })
            .collect()
    }

    /// A fresh full build of the same folder, with the same base URL and date.
    fn built(&self) -> BTreeMap<String, Vec<u8>> {
        let as_of = Date::parse(AS_OF);
        let checked = shafaf::check(self.root(), as_of, false).unwrap();
        let errors: Vec<String> =
            checked.diagnostics.sorted().iter().filter(|d| d.severity == shafaf::Severity::Error).map(|d| d.to_string()).collect();
        assert!(errors.is_empty(), "the edits left the site invalid (a bug in this test):\n{}", errors.join("\n"));
        let options = BuildOptions {
            root: self.root().to_path_buf(),
            out: PathBuf::new(),
            base_url: Some(BASE_URL.to_string()),
            as_of,
            strict: false,
            force: false,
            progress: false,
        };
        let (output, _, _) = render_output_parts(&options, &checked.site, &checked.facts).unwrap();
        output.iter().map(|(p, b)| (p.to_string(), b.to_vec())).collect()
    }

    /// Compares what the preview serves with a fresh build.
    fn compare(&self, history: &[Edit]) -> Result<(), TestCaseError> {
        let served = self.served();
        let built = self.built();
        let missing: Vec<&String> = built.keys().filter(|p| !served.contains_key(*p)).collect();
        let stale: Vec<&String> = served.keys().filter(|p| !built.contains_key(*p)).collect();
        prop_assert!(
            missing.is_empty() && stale.is_empty(),
            "after {history:?}:\nbuilt but not served: {missing:?}\nserved but not built (stale): {stale:?}"
        );
        let differing: Vec<&String> = built.keys().filter(|p| served[*p] != built[*p]).collect();
        if let Some(first) = differing.first() {
            let diff = short_diff(&served[*first], &built[*first]);
            return Err(TestCaseError::fail(format!(
                "after {history:?}:\n{} files differ between serve and build: {differing:?}\nfirst: {first}\n{diff}",
                differing.len()
            )));
        }
        Ok(())
    }

    fn apply(&mut self, edit: &Edit) {
        match *edit {
            Edit::SheetTitle { pick, arabic, n } => {
                let sheet = nth(&self.sheets(), pick);
                let text = self.read(&sheet);
                let (lang, title) = if arabic { ("ar", format!("عنوان معدل {n}")) } else { ("fr", format!("Titre modifié {n}")) };
                self.write(&sheet, &replace_text_field(&text, "title:", lang, &title));
                self.publish(&[sheet]);
            }
            Edit::SheetProgress { pick, value } => {
                let sheet = nth(&self.sheets(), pick);
                let text = self.read(&sheet);
                let Some(at) = text.lines().position(|l| matches!(indent_of(l), 0 | 4) && l.trim_start().starts_with("progress: ")) else {
                    return;
                };
                let lines: Vec<String> = text
                    .lines()
                    .enumerate()
                    .map(|(i, l)| if i == at { format!("{}progress: {value}", " ".repeat(indent_of(l))) } else { l.to_string() })
                    .collect();
                self.write(&sheet, &(lines.join("\n") + "\n"));
                self.publish(&[sheet]);
            }
            Edit::SheetArea { pick, area } => {
                let sheet = nth(&self.sheets(), pick);
                let area = stem(&nth(&self.areas(), area));
                let text = self.read(&sheet);
                self.write(&sheet, &replace_line(&text, "area: ", &format!("area: {area}")));
                self.publish(&[sheet]);
            }
            Edit::SheetLead { pick, institution } => {
                let sheet = nth(&self.sheets(), pick);
                let text = self.read(&sheet);
                // Not one the sheet already names (a partner cannot also lead).
                let free: Vec<String> = self.institutions().into_iter().filter(|i| !text.contains(&stem(i))).collect();
                if free.is_empty() {
                    return;
                }
                let institution = stem(&nth(&free, institution));
                self.write(&sheet, &replace_line(&text, "lead: ", &format!("lead: {institution}")));
                self.publish(&[sheet]);
            }
            Edit::AddSheet { from } => {
                let sheets = self.sheets();
                let text = self.read(&nth(&sheets, from));
                let max = sheets.iter().filter_map(|s| line_value(&self.read(s), "number: ")).filter_map(|v| v.parse::<u32>().ok()).max();
                let name = format!("{COMMITMENTS}/extra-{}.yaml", self.fresh());
                self.write(&name, &replace_line(&text, "number: ", &format!("number: {}", max.unwrap_or(0) + 1)));
                self.publish(&[name]);
            }
            Edit::RemoveSheet { pick } => {
                let candidates = self.uncited_sheets();
                if candidates.is_empty() {
                    return;
                }
                let sheet = nth(&candidates, pick);
                fs::remove_file(self.path(&sheet)).unwrap();
                self.publish(&[sheet]);
            }
            Edit::AreaTitle { pick, n } => {
                let area = nth(&self.areas(), pick);
                let text = self.read(&area);
                self.write(&area, &replace_text_field(&text, "title:", "fr", &format!("Domaine renommé {n}")));
                self.publish(&[area]);
            }
            Edit::RenameArea { pick, in_steps } => {
                let old = nth(&self.areas(), pick);
                let old_id = stem(&old);
                let new = format!("content/areas/area-{}.yaml", self.fresh());
                fs::rename(self.path(&old), self.path(&new)).unwrap();
                let mut changed = vec![old, new.clone()];
                if in_steps {
                    self.publish(&changed);
                    changed.clear();
                }
                for sheet in self.sheets() {
                    let text = self.read(&sheet);
                    if line_value(&text, "area: ").as_deref() == Some(old_id.as_str()) {
                        self.write(&sheet, &replace_line(&text, "area: ", &format!("area: {}", stem(&new))));
                        changed.push(sheet);
                    }
                }
                if !changed.is_empty() {
                    self.publish(&changed);
                }
            }
            Edit::BreakAndFix { kind, pick } => {
                let candidates = match kind {
                    0 | 6 | 7 => self.sheets(),
                    1 => self.areas(),
                    2 => self.news(),
                    3 => self.pages(),
                    4 => self.files("content/institutions", ".yaml"),
                    5 => vec![format!("content/plans/{PLAN}/plan.yaml")],
                    _ => self.sheets(),
                };
                if candidates.is_empty() {
                    return;
                }
                let file = nth(&candidates, pick);
                let original = self.read(&file);
                let broken = match (kind, original.strip_prefix("---\n")) {
                    (6, _) => replace_line(&original, "area: ", "area: nowhere"),
                    (7, _) => replace_line(&original, "lead: ", "lead: nobody"),
                    (_, Some(rest)) => format!("---\nsummary: [unclosed\n{rest}"),
                    (_, None) => format!("{original}extra: [unclosed\n"),
                };
                self.write(&file, &broken);
                self.publish(std::slice::from_ref(&file));
                assert!(!self.shared.errors.read().unwrap().is_empty(), "serve shows no error for the broken {file}");
                self.write(&file, &original);
                self.publish(&[file]);
            }
            Edit::NewsText { pick, title, n } => {
                let news = self.news();
                if news.is_empty() {
                    return;
                }
                let post = nth(&news, pick);
                let text = self.read(&post);
                let text = if title {
                    replace_line(&text, "title: ", &format!("title: \"Titre {n}\""))
                } else {
                    format!("{text}\nUn paragraphe ajouté ({n}).\n")
                };
                self.write(&post, &text);
                self.publish(&[post]);
            }
            Edit::NewsRelated { pick, sheet } => {
                let news = self.news();
                if news.is_empty() {
                    return;
                }
                let post = nth(&news, pick);
                let related = match sheet {
                    Some(s) => format!("related: [{PLAN}/{}]", stem(&nth(&self.sheets(), s))),
                    None => "related: []".to_string(),
                };
                let text = self.read(&post);
                let text = if line_value(&text, "related: ").is_some() {
                    replace_line(&text, "related: ", &related)
                } else {
                    text.replacen("---\n", &format!("---\n{related}\n"), 1)
                };
                self.write(&post, &text);
                self.publish(&[post]);
            }
            Edit::AddNews { month, day, langs, related } => {
                let key = format!("2025-{month:02}-{day:02}-post-{}", self.fresh());
                let related = related.map(|s| format!("related: [{PLAN}/{}]\n", stem(&nth(&self.sheets(), s)))).unwrap_or_default();
                let mut written = Vec::new();
                for (i, lang) in ["ar", "fr"].into_iter().enumerate() {
                    if langs != 2 && langs as usize != i {
                        continue;
                    }
                    let name = format!("content/news/{key}.{lang}.md");
                    let (title, summary) =
                        if lang == "ar" { ("خبر جديد", "ملخص الخبر") } else { ("Nouvelle", "Résumé de la nouvelle") };
                    self.write(&name, &format!("---\ntitle: \"{title} {key}\"\nsummary: \"{summary}\"\n{related}---\nTexte {key}.\n"));
                    written.push(name);
                }
                self.publish(&written);
            }
            Edit::RemoveNews { pick } => {
                let news = self.news();
                if news.is_empty() {
                    return;
                }
                let post = nth(&news, pick);
                fs::remove_file(self.path(&post)).unwrap();
                self.publish(&[post]);
            }
            Edit::PageText { pick, title, n } => {
                let pages = self.pages();
                if pages.is_empty() {
                    return;
                }
                let page = nth(&pages, pick);
                let text = self.read(&page);
                let text = if title {
                    replace_line(&text, "title: ", &format!("title: \"Page {n}\""))
                } else {
                    format!("{text}\nUne phrase de plus ({n}).\n")
                };
                self.write(&page, &text);
                self.publish(&[page]);
            }
            Edit::AddPage { slug, arabic, order, n } => {
                let slug = ["faq", "open-data", "contact"][slug as usize % 3];
                let lang = if arabic { "ar" } else { "fr" };
                let name = format!("content/pages/{slug}.{lang}.md");
                self.write(&name, &format!("---\ntitle: \"{slug} {lang} {n}\"\norder: {order}\n---\nTexte de la page {slug} ({n}).\n"));
                self.publish(&[name]);
            }
            Edit::RemovePage { pick } => {
                let pages = self.pages();
                if pages.is_empty() {
                    return;
                }
                let page = nth(&pages, pick);
                fs::remove_file(self.path(&page)).unwrap();
                self.publish(&[page]);
            }
            Edit::PageOrder { pick, order } => {
                let pages = self.pages();
                if pages.is_empty() {
                    return;
                }
                let page = nth(&pages, pick);
                let text = self.read(&page);
                self.write(&page, &replace_line(&text, "order: ", &format!("order: {order}")));
                self.publish(&[page]);
            }
            Edit::StaticFile { name, remove, n } => {
                let name = ["static/robots-extra.txt", "static/img/logo.svg", "static/docs/guide.pdf"][name as usize % 3].to_string();
                if remove {
                    if !self.path(&name).exists() {
                        return;
                    }
                    fs::remove_file(self.path(&name)).unwrap();
                } else {
                    self.write(&name, &format!("static file {n}\n"));
                }
                self.publish(&[name]);
            }
        }
    }
}

fn nth(items: &[String], pick: u8) -> String {
    items[pick as usize % items.len()].clone()
}

/// A file's ID: its name without folder and extension.
fn stem(rel: &str) -> String {
    Path::new(rel).file_stem().unwrap().to_string_lossy().into_owned()
}

fn indent_of(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

/// The value of the first top-level line starting with `prefix`.
fn line_value(text: &str, prefix: &str) -> Option<String> {
    text.lines().find_map(|l| l.strip_prefix(prefix)).map(|v| v.trim().to_string())
}

/// Replaces the first top-level line starting with `prefix`.
fn replace_line(text: &str, prefix: &str, with: &str) -> String {
    let mut done = false;
    let lines: Vec<&str> = text
        .lines()
        .map(|l| {
            if !done && l.starts_with(prefix) {
                done = true;
                with
            } else {
                l
            }
        })
        .collect();
    assert!(done, "no line starts with {prefix:?}");
    lines.join("\n") + "\n"
}

/// Replaces one language of a top-level text field written as a block
/// (`title:` then `  fr: ...`).
fn replace_text_field(text: &str, field: &str, lang: &str, value: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let start = lines.iter().position(|l| *l == field).unwrap_or_else(|| panic!("no {field} block"));
    let prefix = format!("  {lang}: ");
    let at = start + 1 + lines[start + 1..].iter().position(|l| l.starts_with(&prefix)).unwrap_or_else(|| panic!("no {lang} in {field}"));
    let replaced = format!("{prefix}{value}");
    let mut out: Vec<&str> = lines.clone();
    out[at] = &replaced;
    out.join("\n") + "\n"
}

/// Where two files first differ, with some context from each.
fn short_diff(served: &[u8], built: &[u8]) -> String {
    let at = served.iter().zip(built).position(|(a, b)| a != b).unwrap_or(served.len().min(built.len()));
    let window = |bytes: &[u8]| {
        let from = at.saturating_sub(150);
        let to = (at + 150).min(bytes.len());
        String::from_utf8_lossy(&bytes[from..to]).into_owned()
    };
    format!(
        "first difference at byte {at} (served {} bytes, built {} bytes)\n  served: …{}…\n  built:  …{}…",
        served.len(),
        built.len(),
        window(served),
        window(built)
    )
}

fn config() -> ProptestConfig {
    let cases = std::env::var("SERVE_EQ_BUILD_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(12);
    ProptestConfig { cases, failure_persistence: None, max_shrink_iters: 256, ..ProptestConfig::default() }
}

#[test]
fn the_preview_starts_equal_to_a_build() {
    let world = World::new();
    world.compare(&[]).unwrap();
}

/// Sequences that found bugs, kept as plain tests so they run whatever the search draws.
#[test]
fn sequences_that_found_bugs() {
    let sequences = [
        // The open-data pages kept the old feed sizes after a sheet edit.
        vec![Edit::SheetTitle { pick: 0, arabic: false, n: 0 }],
        // A deleted sheet's JSON feed stayed served.
        vec![Edit::RemoveSheet { pick: 0 }],
        // A free page deleted in its last language stayed served.
        vec![Edit::AddPage { slug: 2, arabic: false, order: 0, n: 0 }, Edit::RemovePage { pick: 2 }],
        // The open-data page's introduction was rendered as a free page over it.
        vec![Edit::AddPage { slug: 1, arabic: true, order: 0, n: 0 }],
        // Two translations of a page with different orders: the build wrote it twice.
        vec![Edit::AddPage { slug: 2, arabic: true, order: 0, n: 0 }, Edit::AddPage { slug: 2, arabic: false, order: 4, n: 0 }],
        // A page moved in the menu: every page's menu changes.
        vec![Edit::AddPage { slug: 0, arabic: false, order: 0, n: 0 }, Edit::PageOrder { pick: 0, order: 4 }],
        // Free pages reordered, the set of pages the same: the sitemap kept the old order.
        vec![
            Edit::AddPage { slug: 2, arabic: false, order: 1, n: 0 },
            Edit::RemovePage { pick: 9 },
            Edit::PageOrder { pick: 44, order: 2 },
        ],
        // A deleted static file stayed served.
        vec![Edit::StaticFile { name: 1, remove: false, n: 0 }, Edit::StaticFile { name: 1, remove: true, n: 0 }],
        // A sheet moved to another lead: both institutions' pages and printable reports.
        vec![Edit::SheetLead { pick: 0, institution: 0 }, Edit::SheetLead { pick: 3, institution: 7 }],
        // An area renamed in two saves, the site invalid in between.
        vec![Edit::RenameArea { pick: 0, in_steps: true }],
        vec![Edit::BreakAndFix { kind: 0, pick: 0 }, Edit::BreakAndFix { kind: 3, pick: 0 }],
        vec![Edit::BreakAndFix { kind: 6, pick: 0 }, Edit::BreakAndFix { kind: 7, pick: 1 }],
    ];
    for edits in sequences {
        let mut world = World::new();
        for (i, edit) in edits.iter().enumerate() {
            world.apply(edit);
            if let Err(failure) = world.compare(&edits[..=i]) {
                panic!("{failure}");
            }
        }
    }
}

/// Interrupted edits whose listing pages only the merged work renders: a sheet moved
/// to another area or lead (its area's and institutions' pages), an area renamed, each
/// interrupted before or after its listing pages, then an edit elsewhere.
#[test]
fn work_left_by_interrupted_edits_is_done_after_a_newer_one() {
    let sequences = [
        vec![(Edit::SheetArea { pick: 1, area: 2 }, Some((0, 0))), (Edit::NewsText { pick: 0, title: true, n: 1 }, None)],
        vec![(Edit::SheetLead { pick: 2, institution: 5 }, Some((0, 0))), (Edit::PageText { pick: 0, title: false, n: 2 }, None)],
        // Interrupted inside the listing pages (the step's own look, the one after the
        // table, then the first of the rendered keys), and inside the feeds.
        vec![(Edit::SheetArea { pick: 1, area: 2 }, Some((0, 2))), (Edit::NewsText { pick: 0, title: true, n: 1 }, None)],
        vec![(Edit::SheetLead { pick: 2, institution: 5 }, Some((0, 4))), (Edit::PageText { pick: 0, title: false, n: 2 }, None)],
        vec![(Edit::SheetProgress { pick: 0, value: 40 }, Some((1, 5))), (Edit::NewsText { pick: 1, title: false, n: 5 }, None)],
        vec![
            (Edit::AreaTitle { pick: 0, n: 3 }, Some((1, 0))),
            (Edit::SheetArea { pick: 0, area: 1 }, Some((0, 0))),
            (Edit::StaticFile { name: 0, remove: false, n: 4 }, None),
        ],
        vec![
            (Edit::SheetProgress { pick: 0, value: 40 }, Some((2, 0))),
            (Edit::RemoveSheet { pick: 3 }, Some((0, 0))),
            (Edit::NewsText { pick: 1, title: false, n: 5 }, None),
        ],
        // Found by the property below: a free page moved in the menu moves in the
        // sitemap, whose set of pages stays the same.
        vec![
            (Edit::AddPage { slug: 2, arabic: false, order: 0, n: 0 }, None),
            (Edit::PageOrder { pick: 95, order: 1 }, Some((0, 0))),
            (Edit::SheetTitle { pick: 0, arabic: false, n: 9999 }, None),
        ],
    ];
    for sequence in sequences {
        let mut world = World::new();
        let history: Vec<Edit> = sequence.iter().map(|(edit, _)| edit.clone()).collect();
        for (edit, interrupt_after) in sequence {
            world.interrupt_after = interrupt_after;
            world.apply(&edit);
        }
        if let Err(failure) = world.compare(&history) {
            panic!("{failure}");
        }
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn every_edit_leaves_serve_equal_to_build(edits in prop::collection::vec(edit(), 3..=6)) {
        let mut world = World::new();
        for (i, edit) in edits.iter().enumerate() {
            world.apply(edit);
            world.compare(&edits[..=i])?;
        }
    }

    /// Edits whose remaining work a newer edit interrupts (after 0 to 3 of its parts,
    /// and anywhere inside the next): once an edit is let finish, serve equals build
    /// again.
    #[test]
    fn interrupted_work_is_redone_after_the_newer_edit(
        edits in prop::collection::vec((edit(), proptest::option::of((0..4u8, prop_oneof![Just(0usize), 0..400usize]))), 2..=5),
    ) {
        let mut world = World::new();
        let history: Vec<Edit> = edits.iter().map(|(edit, _)| edit.clone()).collect();
        for (edit, interrupt_after) in &edits {
            world.interrupt_after = *interrupt_after;
            world.apply(edit);
        }
        world.interrupt_after = None;
        world.apply(&Edit::SheetTitle { pick: 0, arabic: false, n: 9999 });
        world.compare(&history)?;
    }
}

/// A sheet's edit renders, besides the pages that list it, the site's files that show
/// it and no others: the root page (the dashboard), each language's feed, its plan's
/// and its own (two languages each), 7 files; not the other sheets' feeds, the 404
/// page, robots.txt or the sitemap, whose pages did not change. The preview's log gives
/// the count ("pages that list it: N pages (M files)").
#[test]
fn a_sheets_edit_renders_the_site_files_that_show_it_and_no_others() {
    let mut world = World::new();
    let sheet = format!("{COMMITMENTS}/parliament-open-data.yaml");
    let text = world.read(&sheet);
    assert!(text.contains("\nprogress: 65\n"));
    world.write(&sheet, &text.replace("\nprogress: 65\n", "\nprogress: 70\n"));
    world.live.rebuild(&[world.path(&sheet)]).unwrap();
    let Some(Step::Listing(listing)) = world.live.step(&Interrupt::default()).unwrap() else { panic!("the listing pages come next") };
    assert_eq!(listing.files - listing.pages, 7, "{} pages, {} files", listing.pages, listing.files);
}
