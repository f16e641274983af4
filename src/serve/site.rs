//! The preview's live copy of the site: the model, its diagnostics and every output
//! file in memory, updated in place as files change.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::Result;
use tera::Tera;

use super::planner::{self, Change};
pub use super::store::Files;
use super::store::{self, Collector};
use crate::derive::{self, Facts};
use crate::diagnostics::{Diagnostic, Diagnostics, Severity};
use crate::export::FileInfo;
use crate::load::{self, Reloaded};
use crate::model::Site;
use crate::output::OutputFile;
use crate::render::pager::{self, Order};
use crate::render::{self, Job, Orders, RenderInput, theme::Theme};
use crate::{export, urls, validate};

pub struct LiveSite {
    root: PathBuf,
    base_url: String,
    site: Site,
    /// Problems found while loading, per file; validation problems are recomputed.
    load_diagnostics: Diagnostics,
    pub diagnostics: Diagnostics,
    facts: Facts,
    theme: Theme,
    tera: Tera,
    assets: BTreeMap<String, String>,
    data_files: Vec<FileInfo>,
    /// The output paths copied from the site's `static/` folder, so a deleted one goes.
    static_paths: Vec<String>,
    pub files: Files,
    /// Work left after the first, fast part of a rebuild.
    pending: Option<planner::Plan>,
    /// A rebuild failed part way, so some files may be out of date: the next one
    /// renders everything.
    broken: bool,
}

/// What a rebuild did, for the log line and the reload event.
pub struct Rebuilt {
    pub pages: usize,
    pub files: usize,
    pub everything: bool,
    pub millis: u128,
}

impl LiveSite {
    /// Loads and renders the whole site. Content errors do not fail: they are kept in
    /// `diagnostics` and shown by the server.
    pub fn open(root: &Path, base_url: &str) -> Result<LiveSite> {
        // The source texts are dropped here: see `apply_content`.
        let load::Loaded { site, diagnostics, sources: _ } = load::load(root)?;
        let theme = Theme::load(root, &site.config.languages)?;
        let tera = render::tera(&theme)?;
        let mut live = LiveSite {
            root: root.to_path_buf(),
            base_url: urls::normalize_base(base_url),
            facts: derive::derive(&site, crate::resolve_as_of(None, &site)),
            site,
            load_diagnostics: diagnostics,
            diagnostics: Diagnostics::default(),
            theme,
            tera,
            assets: BTreeMap::new(),
            data_files: Vec::new(),
            static_paths: Vec::new(),
            files: Files::new(),
            pending: None,
            broken: false,
        };
        live.revalidate();
        let started = Instant::now();
        live.render_everything()?;
        crate::timings::trace("serve: first render", started);
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
        self.facts = facts;
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
        self.files.extend(store::compress_all(files));
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
        Ok(self.files.len())
    }

    /// Reloads everything from disk (theme included) and renders the whole site.
    fn reload_everything(&mut self) -> Result<usize> {
        let load::Loaded { site, diagnostics, sources: _ } = load::load(&self.root)?;
        self.theme = Theme::load(&self.root, &site.config.languages)?;
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
                    plan_entry.commitments.sort_by(|a, b| (a.number, &a.id).cmp(&(b.number, &b.id)));
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
                self.site.pages.sort_by(|a, b| (a.order, &a.slug, &a.lang).cmp(&(b.order, &b.slug, &b.lang)));
                Change::Page { slug, menu_changed }
            }
            Reloaded::News { key, lang, post } => {
                let matches = |n: &crate::model::NewsPost| render::news_key(&n.date, &n.slug) == key && n.lang == lang;
                let after = match (&post, failed) {
                    (None, true) => self.site.news.iter().find(|n| matches(n)).cloned(),
                    _ => post,
                };
                self.site.news.retain(|n| !matches(n));
                self.site.news.extend(after);
                self.site.news.sort_by(|a, b| (b.date, &a.slug, &a.lang).cmp(&(a.date, &b.slug, &b.lang)));
                Change::News { key }
            }
            Reloaded::Other => Change::Everything,
        }
    }

    /// Applies changed files and re-renders the pages of what changed (the edited
    /// sheet, page or post, and a sheet's plan list), so the editor sees the change at
    /// once. The other pages that list it (area, institutions, dashboard) are left in
    /// `pending` for
    /// [`LiveSite::finish`].
    pub fn rebuild(&mut self, paths: &[PathBuf]) -> Result<Rebuilt> {
        let result = self.rebuild_planned(paths);
        self.broken = result.is_err();
        result
    }

    /// Removes the pages of re-rendered lists, in the orders rendered, that the new
    /// render no longer produces (`page/N/`, `by-progress/page/N/`...), and says whether
    /// any list's set of pages changed.
    fn drop_stale_list_pages(&mut self, jobs: &[Job], orders: Orders, rendered: &[OutputFile]) -> bool {
        let fresh: std::collections::BTreeSet<&str> = rendered.iter().map(|f| f.path.as_str()).collect();
        let mut changed = rendered.iter().any(|f| !self.files.contains_key(&f.path));
        for job in jobs {
            for lang in &self.site.config.languages {
                let base = render::job_path(job, lang);
                // The own order's pages after the first are `page/N/`; another order's
                // are all under its folder.
                let prefixes: Vec<String> = Order::ALL
                    .iter()
                    .filter(|o| orders.has(**o))
                    .map(|o| match pager::page_path(&base, *o, 1) {
                        first if first == base => format!("{base}page/"),
                        first => first,
                    })
                    .collect();
                let stale: Vec<String> = self
                    .files
                    .keys()
                    .filter(|k| {
                        k.ends_with("index.html") && prefixes.iter().any(|p| k.starts_with(p.as_str())) && !fresh.contains(k.as_str())
                    })
                    .cloned()
                    .collect();
                changed |= !stale.is_empty();
                for key in stale {
                    self.files.remove(&key);
                }
            }
        }
        changed
    }

    fn rebuild_planned(&mut self, paths: &[PathBuf]) -> Result<Rebuilt> {
        let started = Instant::now();
        let changes = self.apply(paths);
        crate::timings::trace("serve: reload files", started);
        self.revalidate();
        crate::timings::trace("serve: validate and derive", started);
        let mut plan = planner::plan(&changes, &self.site);
        if plan.everything || self.broken {
            let files = self.reload_everything()?;
            let pages = self.files.keys().filter(|p| p.ends_with(".html")).count();
            self.pending = None;
            return Ok(Rebuilt { pages, files, everything: true, millis: started.elapsed().as_millis() });
        }
        for job in &plan.removed {
            for lang in &self.site.config.languages {
                self.files.remove(&format!("{}index.html", render::job_path(job, lang)));
            }
        }
        let (first, rest): (Vec<Job>, Vec<Job>) = std::mem::take(&mut plan.jobs)
            .into_iter()
            // The plan's list comes with its sheet, in its own order: an editor who
            // saved a commitment looks at both (on the 10k corpus these 22 pages take
            // ~40 ms; the list's other orders, 40 pages, and the other lists ~300 ms
            // more, so they follow).
            .partition(|job| matches!(job, Job::Commitment(..) | Job::Plan(_) | Job::Page(_) | Job::NewsPost(_)));
        let rendered = render::render_jobs_in(&self.input(), &self.tera, &first, Orders::Default, &|| {})?;
        let pages = rendered.len();
        crate::timings::trace("serve: pages", started);
        // A plan list that lost or gained pages: the old pages go, and the sitemap follows.
        plan.sitemap |= self.drop_stale_list_pages(&first, Orders::Default, &rendered);
        let files = self.store(rendered);
        plan.other_orders = first.into_iter().filter(|job| matches!(job, Job::Plan(_))).collect();
        plan.jobs = rest.into_iter().collect();
        self.pending = Some(plan);
        Ok(Rebuilt { pages, files, everything: false, millis: started.elapsed().as_millis() })
    }

    /// Renders what [`LiveSite::rebuild`] left: the pages that list the changed entity
    /// and the side files. Returns `None` when nothing was pending; the boolean says
    /// whether the open data must be regenerated too.
    pub fn finish(&mut self) -> Result<Option<(Rebuilt, bool)>> {
        self.breaks_on_failure(Self::finish_pending)
    }

    fn finish_pending(&mut self) -> Result<Option<(Rebuilt, bool)>> {
        let Some(plan) = self.pending.take() else { return Ok(None) };
        let started = Instant::now();
        // The open-data page lists each feed file with its size: when the feeds are
        // regenerated, [`LiveSite::refresh_feeds`] renders it after them.
        let jobs: Vec<Job> = plan.jobs.iter().filter(|job| !(plan.data && **job == Job::OpenData)).cloned().collect();
        let rendered = render::render_jobs(&self.input(), &self.tera, &jobs, &|| {})?;
        let other_orders = render::render_jobs_in(&self.input(), &self.tera, &plan.other_orders, Orders::Others, &|| {})?;
        let pages = rendered.len() + other_orders.len();
        // A list that lost or gained pages: the old pages go, and the sitemap follows.
        let mut list_pages_changed = self.drop_stale_list_pages(&jobs, Orders::All, &rendered);
        list_pages_changed |= self.drop_stale_list_pages(&plan.other_orders, Orders::Others, &other_orders);
        let mut plan = plan;
        plan.sitemap |= list_pages_changed;
        let mut files = self.store(rendered) + self.store(other_orders);
        if plan.root {
            let root = render::render_root_and_404(&self.input(), &self.tera)?;
            files += self.store(root);
        }
        if plan.sitemap {
            let all = render::jobs(&self.site);
            let sitemap = render::sitemap_files(&self.input(), &all);
            files += self.store(sitemap);
        }
        if plan.atom {
            let atom = render::atom_files(&self.input());
            files += self.store(atom);
        }
        if plan.statics {
            let statics: Vec<OutputFile> =
                render::theme::site_static_files(&self.root)?.into_iter().map(|(p, b)| OutputFile::new(p, b)).collect();
            for old in std::mem::take(&mut self.static_paths) {
                if !statics.iter().any(|f| f.path == old) {
                    self.files.remove(&old);
                }
            }
            self.static_paths = statics.iter().map(|f| f.path.clone()).collect();
            files += self.store(statics);
        }
        Ok(Some((Rebuilt { pages, files, everything: false, millis: started.elapsed().as_millis() }, plan.data)))
    }

    /// Regenerates the open-data feeds, which list every commitment, then the open-data
    /// page, which lists each feed file with its size. Feed files that are no longer
    /// produced (a deleted commitment's) are removed.
    pub fn refresh_feeds(&mut self) -> Result<usize> {
        self.breaks_on_failure(Self::regenerate_feeds)
    }

    /// Regenerates the search indexes, which list every commitment. Run after the
    /// feeds have been published: the old feeds are then freed, and the two are never
    /// in memory together with the index being built (the preview's peak on a
    /// 10,000-commitment site).
    pub fn refresh_search(&mut self) -> Result<usize> {
        self.breaks_on_failure(Self::regenerate_search)
    }

    /// Runs a part of a rebuild; when it fails, some files may be out of date, so the
    /// next rebuild renders everything.
    fn breaks_on_failure<T>(&mut self, part: fn(&mut Self) -> Result<T>) -> Result<T> {
        let result = part(self);
        self.broken |= result.is_err();
        result
    }

    fn regenerate_feeds(&mut self) -> Result<usize> {
        let started = Instant::now();
        // Each feed is compressed as soon as it is made: commitments.json alone is
        // 185 MB on the 10k corpus.
        let collected = store::Collector::default();
        let data_files = export::feeds_described(&self.site, &self.facts, &self.base_url, &collected)?;
        let feeds = collected.into_files()?;
        let feed_count = feeds.len();
        crate::timings::trace("serve: feeds", started);
        for old in &self.data_files {
            if !data_files.iter().any(|f| f.path == old.path) {
                self.files.remove(&old.path);
            }
        }
        self.data_files = data_files;
        self.files.extend(feeds);
        let page = render::render_jobs(&self.input(), &self.tera, &[Job::OpenData], &|| {})?;
        Ok(feed_count + self.store(page))
    }

    fn regenerate_search(&mut self) -> Result<usize> {
        let started = Instant::now();
        let search = render::search_files(&self.input())?;
        // The search index is chunked: shards and fragments that are no longer produced go.
        let dirs: Vec<String> = self.site.config.languages.iter().map(|l| urls::search(l)).collect();
        let fresh: std::collections::BTreeSet<&str> = search.iter().map(|f| f.path.as_str()).collect();
        self.files.retain(|path, _| {
            !dirs.iter().any(|d| path.starts_with(d.as_str())) || path.ends_with("/index.html") || fresh.contains(path.as_str())
        });
        crate::timings::trace("serve: search", started);
        Ok(self.store(search))
    }
}
