//! The preview's live copy of the site: the model, its diagnostics and every output
//! file in memory, updated in place as files change.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::Result;
use tera::Tera;

use super::interrupt::{Interrupt, Interruptible, is_interruption};
use super::planner::{self, Change};
pub use super::store::Files;
use super::store::{self, Collector};
use crate::derive::{self, Facts};
use crate::diagnostics::{Diagnostic, Diagnostics, Severity};
use crate::export::FileInfo;
use crate::load::{self, Reloaded};
use crate::model::Site;
use crate::output::OutputFile;
use crate::render::{self, RenderInput, theme::Theme};
use crate::routes::{Key, Kind, Route, Routes};
use crate::timings::trace;
use crate::{export, search, urls, validate};

pub struct LiveSite {
    root: PathBuf,
    base_url: String,
    site: Site,
    /// Problems found while loading, per file; validation problems are recomputed.
    load_diagnostics: Diagnostics,
    pub diagnostics: Diagnostics,
    facts: Facts,
    /// The sheets' revisions as committed when the server started.
    history: std::sync::Arc<crate::revisions::History>,
    theme: Theme,
    tera: Tera,
    assets: BTreeMap<String, String>,
    data_files: Vec<FileInfo>,
    /// The output paths copied from the site's `static/` folder, so a deleted one goes.
    static_paths: Vec<String>,
    /// The routes of the files in `files`: after an edit, the pages of the old table
    /// that the new one lacks are removed.
    routes: Routes,
    pub files: Files,
    /// Work left after the first, fast part of a rebuild: the pages that list what
    /// changed, of every edit since this work was last done.
    pending: Option<planner::Plan>,
    /// The open-data feeds and the search index lag behind the content.
    feeds_stale: bool,
    search_stale: bool,
    /// A rebuild failed part way, so some files may be out of date: the next one
    /// renders everything.
    broken: bool,
}

/// Whether a route is rendered with the edit's first, fast part: an edited sheet, page
/// or post, and a plan's list in its own order.
fn seen_first(route: &Route) -> bool {
    match route.key() {
        Some(Key::Plan(_)) => route.page.as_ref().is_none_or(|p| p.order_index == 0),
        Some(key) => seen_first_key(key),
        None => false,
    }
}

/// The routes of `table` that `plan` names.
fn planned_routes<'t>(table: &'t Routes, plan: &planner::Plan) -> Vec<&'t Route> {
    if plan.every_page {
        return table.pages().collect();
    }
    plan.keys.iter().flat_map(|key| table.of(key)).collect()
}

/// The keys of the pages an edit's first part renders (of a plan's list, its own order).
fn seen_first_key(key: &Key) -> bool {
    matches!(key, Key::Commitment(..) | Key::Page(_) | Key::NewsPost(_) | Key::Plan(_))
}

/// What a rebuild did, for the log line and the reload event.
pub struct Rebuilt {
    pub pages: usize,
    pub files: usize,
    pub everything: bool,
    pub millis: u128,
}

/// A part of the work an edit leaves after its first pages, done by [`LiveSite::step`].
pub enum Step {
    /// The pages that list what changed, and the site-wide files.
    Listing(Rebuilt),
    /// The open-data feeds and the open-data page: files written.
    Feeds(usize),
    /// The search index: files written.
    Search(usize),
}

impl LiveSite {
    /// Loads and renders the whole site. Content errors do not fail: they are kept in
    /// `diagnostics` and shown by the server.
    pub fn open(root: &Path, base_url: &str) -> Result<LiveSite> {
        // The source texts are dropped here: see `apply_content`.
        let load::Loaded { site, diagnostics, sources: _ } = load::load(root)?;
        let theme = Theme::load(root, &site.config.table())?;
        let tera = render::tera(&theme)?;
        let mut live = LiveSite {
            root: root.to_path_buf(),
            base_url: urls::normalize_base(base_url),
            facts: derive::derive(&site, crate::resolve_as_of(None, &site)),
            // The committed history, read once: an edit under serve is not a revision.
            history: std::sync::Arc::new(crate::history(root, &site, crate::resolve_as_of(None, &site))),
            site,
            load_diagnostics: diagnostics,
            diagnostics: Diagnostics::default(),
            theme,
            tera,
            assets: BTreeMap::new(),
            data_files: Vec::new(),
            static_paths: Vec::new(),
            routes: Routes::default(),
            files: Files::new(),
            pending: None,
            feeds_stale: false,
            search_stale: false,
            broken: false,
        };
        live.revalidate();
        let started = Instant::now();
        live.render_everything()?;
        trace("serve: first render", started);
        Ok(live)
    }

    fn revalidate(&mut self) {
        // Both read the whole site (10k corpus: 10-40 ms each) and neither needs the
        // other: one core each, since the edited sheet waits for both.
        let site = &self.site;
        let (problems, facts) = rayon::join(|| validate::validate(site), || derive::derive(site, crate::resolve_as_of(None, site)));
        let mut diagnostics = self.load_diagnostics.clone();
        diagnostics.extend(problems);
        self.diagnostics = diagnostics;
        self.facts = crate::derive::Facts { history: self.history.clone(), ..facts };
    }

    /// The bytes the output files take in memory (compressed).
    pub fn files_in_memory(&self) -> usize {
        self.files.values().map(|f| f.stored_len()).sum()
    }

    pub fn errors(&self) -> Vec<Diagnostic> {
        self.diagnostics.sorted().into_iter().filter(|d| d.severity == Severity::Error).collect()
    }

    fn input(&self) -> RenderInput<'_> {
        RenderInput {
            site: &self.site,
            facts: &self.facts,
            theme: &self.theme,
            base_url: &self.base_url,
            assets: &self.assets,
            data_files: &self.data_files,
        }
    }

    fn store(&mut self, files: Vec<OutputFile>) -> usize {
        let count = files.len();
        store::publish(&mut self.files, store::compress_all(files));
        count
    }

    fn render_everything(&mut self) -> Result<usize> {
        let options = crate::build::BuildOptions {
            root: self.root.clone(),
            out: PathBuf::new(),
            base_url: Some(self.base_url.clone()),
            as_of: None,
            strict: false,
            force: false,
            progress: false,
        };
        // Compressed as they are rendered: the site is never in memory uncompressed. The
        // old files stay until the new ones are all there, so a failed render (a broken
        // template) leaves the last good site on screen.
        let collector = Collector::default();
        let (assets, data_files) = crate::build::render_into(&options, &self.site, &self.facts, &collector)?;
        self.assets = assets;
        self.data_files = data_files;
        self.static_paths = render::theme::site_static_names(&self.root);
        self.files = collector.into_files()?;
        self.routes = Routes::build(&self.site, &self.facts)?;
        Ok(self.files.len())
    }

    /// Reloads everything from disk (theme included) and renders the whole site.
    fn reload_everything(&mut self) -> Result<usize> {
        let load::Loaded { site, diagnostics, sources: _ } = load::load(&self.root)?;
        self.theme = Theme::load(&self.root, &site.config.table())?;
        self.tera = render::tera(&self.theme)?;
        self.site = site;
        self.load_diagnostics = diagnostics;
        self.revalidate();
        self.render_everything()
    }

    /// Turns changed paths (absolute) into model updates and planner changes.
    fn apply(&mut self, paths: &[PathBuf]) -> Vec<Change> {
        let root = self.root.canonicalize().unwrap_or_else(|_| self.root.clone());
        let mut changes = Vec::new();
        for path in paths {
            let rel = path.strip_prefix(&root).or_else(|_| path.strip_prefix(&self.root)).unwrap_or(path);
            let parts: Vec<String> = rel.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
            if parts.iter().any(|p| p.starts_with('.') || p.ends_with('~')) {
                continue; // editor swap and backup files
            }
            let is_content_file = |parts: &[String]| {
                parts.last().is_some_and(|name| name.ends_with(".yaml") || name.ends_with(".md") || name.ends_with(".yml"))
            };
            match parts.first().map(String::as_str) {
                // Editors and tools write temporary files next to the real ones; a
                // file that is not content and is already gone changed nothing.
                Some("content") if !is_content_file(&parts) && !path.exists() => {}
                Some("content") => changes.push(self.apply_content(&parts[1..])),
                Some("static") => changes.push(Change::Static),
                _ => changes.push(Change::Everything),
            }
        }
        changes
    }

    fn apply_content(&mut self, parts: &[String]) -> Change {
        let languages = self.site.config.languages.clone();
        // The preview shows problems as one line each, never with a snippet of the
        // source, so the source text is not kept (130 MB on the 10k corpus).
        let (reloaded, diagnostics, _source) = load::reload_file(&self.root, parts, &languages);
        let shown = format!("content/{}", parts.join("/"));
        self.load_diagnostics.remove_file(&shown);
        let failed = diagnostics.has_errors();
        self.load_diagnostics.extend(diagnostics);
        match reloaded {
            Reloaded::Commitment { plan, id, commitment } => {
                let Some(plan_entry) = self.site.plans.iter_mut().find(|p| p.id == plan) else { return Change::Everything };
                let before = plan_entry.commitments.iter().find(|c| c.id == id).cloned();
                // A sheet that no longer loads keeps its last good version on screen,
                // under the error banner, until it is fixed.
                let after = match (&commitment, failed) {
                    (None, true) => before.clone(),
                    _ => commitment,
                };
                plan_entry.commitments.retain(|c| c.id != id);
                if let Some(c) = after.clone() {
                    plan_entry.commitments.push(c);
                    plan_entry.commitments.sort_by(|a, b| a.order_key().cmp(&b.order_key()));
                }
                Change::Commitment { plan, id, before, after }
            }
            Reloaded::Page { slug, lang, page } => {
                // The menu lists the pages by title, in their order.
                let listed = |p: &crate::model::Page| (p.title.clone(), p.order);
                let before = self.site.pages.iter().find(|p| p.slug == slug && p.lang == lang).map(listed);
                let after = match (&page, failed) {
                    (None, true) => self.site.pages.iter().find(|p| p.slug == slug && p.lang == lang).cloned(),
                    _ => page,
                };
                let menu_changed = before != after.as_ref().map(listed);
                self.site.pages.retain(|p| !(p.slug == slug && p.lang == lang));
                self.site.pages.extend(after);
                self.site.pages.sort_by(|a, b| a.order_key().cmp(&b.order_key()));
                Change::Page { slug, menu_changed }
            }
            Reloaded::News { key, lang, post } => {
                let matches = |n: &crate::model::NewsPost| n.key() == key && n.lang == lang;
                let after = match (&post, failed) {
                    (None, true) => self.site.news.iter().find(|n| matches(n)).cloned(),
                    _ => post,
                };
                self.site.news.retain(|n| !matches(n));
                self.site.news.extend(after);
                self.site.news.sort_by(|a, b| a.order_key().cmp(&b.order_key()));
                Change::News { key }
            }
            Reloaded::Other => Change::Everything,
        }
    }

    /// Applies changed files and re-renders the pages of what changed (the edited
    /// sheet, page or post, and a sheet's plan list), so the editor sees the change at
    /// once. The other pages that list it (area, institutions, dashboard) are left in
    /// `pending` for
    /// [`LiveSite::step`].
    pub fn rebuild(&mut self, paths: &[PathBuf]) -> Result<Rebuilt> {
        let result = self.rebuild_planned(paths);
        self.broken = result.is_err();
        if self.broken {
            // The next rebuild renders everything: nothing earlier is left to finish.
            self.drop_work();
        }
        result
    }

    fn rebuild_planned(&mut self, paths: &[PathBuf]) -> Result<Rebuilt> {
        let started = Instant::now();
        let changes = self.apply(paths);
        trace("serve: reload files", started);
        self.revalidate();
        trace("serve: validate and derive", started);
        let plan = planner::plan(&changes, &self.site);
        if plan.everything || self.broken {
            let files = self.reload_everything()?;
            let pages = self.files.keys().filter(|p| p.ends_with(".html")).count();
            self.drop_work();
            return Ok(Rebuilt { pages, files, everything: true, millis: started.elapsed().as_millis() });
        }
        // The pages an editor looks at come first: the edited sheet, page or post, and
        // a plan's list in its own order (on the 10k corpus these 22 pages take ~40 ms;
        // the list's other orders, 40 pages, and the other lists ~300 ms more, so they
        // follow in `step`), from a table of their keys alone; the whole table
        // follows there too.
        let first_keys = |key: &Key| (plan.every_page || plan.keys.contains(key)) && seen_first_key(key);
        let first_table = Routes::pages_for(&self.site, &self.facts, first_keys)?;
        trace("serve: routes", started);
        let first: Vec<&Route> = first_table.pages().filter(|r| seen_first(r)).collect();
        let rendered = render::render_routes(&self.input(), &self.tera, &first_table, &first)?;
        let pages = rendered.len();
        trace("serve: pages", started);
        let files = self.store(rendered);
        self.feeds_stale |= plan.data;
        self.search_stale |= plan.data;
        // An earlier edit's listing pages, when a newer edit interrupted them, are still
        // to do: with this edit's.
        self.pending = Some(match self.pending.take() {
            Some(earlier) => earlier.merged(plan),
            None => plan,
        });
        Ok(Rebuilt { pages, files, everything: false, millis: started.elapsed().as_millis() })
    }

    /// Forgets the work edits left: after a full render there is none, and after a
    /// failure the next rebuild renders everything.
    fn drop_work(&mut self) {
        (self.pending, self.feeds_stale, self.search_stale) = (None, false, false);
    }

    /// Whether an edit left work to do.
    pub fn has_work(&self) -> bool {
        self.pending.is_some() || self.feeds_stale || self.search_stale
    }

    /// Does the next part of what the edits left, in the order an editor needs it: the
    /// pages that list what changed, then the feeds, then the search index. `None` when
    /// nothing is left; an [`Interrupted`](super::interrupt::Interrupted) error when
    /// `interrupt` was raised, with the part still to do and the files as they were.
    pub fn step(&mut self, interrupt: &Interrupt) -> Result<Option<Step>> {
        if self.pending.is_some() {
            interrupt.check()?;
            return Ok(self.breaks_on_failure(|live| live.finish_pending(interrupt))?.map(Step::Listing));
        }
        if self.feeds_stale {
            let files = self.breaks_on_failure(|live| live.regenerate_feeds(interrupt))?;
            self.feeds_stale = false;
            return Ok(Some(Step::Feeds(files)));
        }
        if self.search_stale {
            let files = self.breaks_on_failure(|live| live.regenerate_search(interrupt))?;
            self.search_stale = false;
            return Ok(Some(Step::Search(files)));
        }
        Ok(None)
    }

    /// Renders what [`LiveSite::rebuild`] left: the pages that list the changed entity
    /// and the side files. Everything is rendered before anything is changed, so a newer
    /// edit (`interrupt`) may stop it at any point with the work still pending.
    fn finish_pending(&mut self, interrupt: &Interrupt) -> Result<Option<Rebuilt>> {
        let Some(plan) = self.pending.as_ref() else { return Ok(None) };
        let started = Instant::now();
        let routes = Routes::build(&self.site, &self.facts)?;
        interrupt.check()?;
        // The open-data page lists each feed file with its size: when the feeds are
        // regenerated, the feeds step renders it after them.
        let rest: Vec<&Route> = planned_routes(&routes, plan)
            .into_iter()
            .filter(|r| !seen_first(r) && (!plan.data || r.key() != Some(&Key::OpenData)))
            .collect();
        let rendered = render::render_routes_until(&self.input(), &self.tera, &routes, &rest, &|| interrupt.check())?;
        // Pages that no longer exist go (a deleted sheet, a list that lost pages), and
        // the sitemap follows when the pages or their order changed (a free page moved
        // in the menu moves in the sitemap).
        // (in the table's order: the free pages' `order` changes it without changing the set)
        let sitemap = self.routes.pages().map(|r| &r.path).ne(routes.pages().map(|r| &r.path));
        let root = plan.every_page || plan.keys.contains(&Key::Dashboard);
        let side = render::site_files(&self.input(), &self.tera, &routes, |kind| match kind {
            Kind::Root => root,
            // It shows the menu.
            Kind::NotFound => plan.every_page,
            Kind::Sitemap | Kind::Robots => sitemap,
            Kind::Atom => plan.atom,
            Kind::PlanAtom(p) => plan.every_page || plan.keys.contains(&Key::Plan(p.clone())),
            Kind::CommitmentAtom(p, c) => plan.every_page || plan.keys.contains(&Key::Commitment(p.clone(), c.clone())),
            _ => false,
        })?;
        interrupt.check()?;

        // Nothing was changed until here.
        let statics = plan.statics;
        self.pending = None;
        let old = std::mem::replace(&mut self.routes, routes);
        for gone in old.page_files().difference(&self.routes.page_files()) {
            self.files.remove(gone);
        }
        // So do the feeds of a deleted sheet or plan.
        let feeds = |table: &Routes| -> std::collections::BTreeSet<String> {
            table.all().iter().filter(|r| matches!(r.kind, Kind::PlanAtom(_) | Kind::CommitmentAtom(..))).map(Route::file).collect()
        };
        for gone in feeds(&old).difference(&feeds(&self.routes)) {
            self.files.remove(gone);
        }
        let pages = rendered.len();
        let mut files = self.store(rendered);
        files += self.store(side);
        if statics {
            files += self.copy_statics()?;
        }
        Ok(Some(Rebuilt { pages, files, everything: false, millis: started.elapsed().as_millis() }))
    }

    /// Copies the site's `static/` folder again; files no longer there go.
    fn copy_statics(&mut self) -> Result<usize> {
        let statics: Vec<OutputFile> =
            render::theme::site_static_files(&self.root)?.into_iter().map(|(p, b)| OutputFile::new(p, b)).collect();
        for old in std::mem::take(&mut self.static_paths) {
            if !statics.iter().any(|f| f.path == old) {
                self.files.remove(&old);
            }
        }
        self.static_paths = statics.iter().map(|f| f.path.clone()).collect();
        Ok(self.store(statics))
    }

    /// Runs a part of a rebuild; when it fails, some files may be out of date, so the
    /// next rebuild renders everything, and the work left is dropped: redone, it would
    /// fail again at once, and the watcher, which works while there is work, would log
    /// it and reload the open pages in a loop. An interrupted part changed nothing and
    /// is still to do.
    fn breaks_on_failure<T>(&mut self, part: impl FnOnce(&mut Self) -> Result<T>) -> Result<T> {
        let result = part(self);
        if result.as_ref().is_err_and(|err| !is_interruption(err)) {
            self.broken = true;
            self.drop_work();
        }
        result
    }

    /// Regenerates the open-data feeds, which list every commitment, then the open-data
    /// page, which lists each feed file with its size. Feed files that are no longer
    /// produced (a deleted commitment's) are removed.
    fn regenerate_feeds(&mut self, interrupt: &Interrupt) -> Result<usize> {
        let started = Instant::now();
        // Each feed is compressed as soon as it is made: commitments.json alone is
        // 185 MB on the 10k corpus.
        let collected = store::Collector::default();
        let sink = Interruptible { sink: &collected, interrupt };
        let data_files = export::feeds_described(&self.site, &self.facts, &self.base_url, &sink)?;
        let feeds = collected.into_files()?;
        let feed_count = feeds.len();
        trace("serve: feeds", started);
        for old in &self.data_files {
            if !data_files.iter().any(|f| f.path == old.path) {
                self.files.remove(&old.path);
            }
        }
        self.data_files = data_files;
        store::publish(&mut self.files, feeds);
        let open_data: Vec<&Route> = self.routes.of(&Key::OpenData).iter().collect();
        let page = render::render_routes(&self.input(), &self.tera, &self.routes, &open_data)?;
        Ok(feed_count + self.store(page))
    }

    /// Regenerates the search indexes, which list every commitment. Run after the
    /// feeds have been published: the old feeds are then freed, and the two are never
    /// in memory together with the index being built (the preview's peak on a
    /// 10,000-commitment site).
    fn regenerate_search(&mut self, interrupt: &Interrupt) -> Result<usize> {
        let started = Instant::now();
        let search = search::files_until(&render::search_input(&self.input()), &|| interrupt.check())?;
        // The search index is chunked: shards and fragments that are no longer produced go.
        let dirs: Vec<String> = self.site.config.languages.iter().map(|l| urls::search(l)).collect();
        let fresh: std::collections::BTreeSet<&str> = search.iter().map(|f| f.path.as_str()).collect();
        let stale: Vec<String> = self
            .files
            .keys()
            .filter(|path| {
                dirs.iter().any(|d| path.starts_with(d.as_str())) && !path.ends_with("/index.html") && !fresh.contains(path.as_str())
            })
            .cloned()
            .collect();
        for path in stale {
            self.files.remove(&path);
        }
        trace("serve: search", started);
        Ok(self.store(search))
    }
}
