//! `shafaf build`: load → validate → derive → render pages and export feeds → write,
//! all in memory until the end, then swapped in atomically.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use sha2::{Digest, Sha256};

use crate::derive::Facts;
use crate::export::FileInfo;
use crate::model::{Date, Site};
use crate::output::{Output, OutputFile, Sink, Staging};
use crate::render::{self, RenderInput, theme::Theme};
use crate::routes::{Key, Route, Routes};
use crate::timings::trace;
use crate::{Checked, export, search, urls};

pub struct BuildOptions {
    pub root: PathBuf,
    pub out: PathBuf,
    pub base_url: Option<String>,
    pub as_of: Option<Date>,
    pub strict: bool,
    /// Replace an output folder that shafaf did not write (never one that touches the
    /// sources).
    pub force: bool,
    /// Show a progress bar when the build takes more than a second.
    pub progress: bool,
}

/// What a build produced.
pub enum BuildOutcome {
    /// The content has errors; nothing was written.
    ContentErrors(Checked),
    Built {
        checked: Checked,
        summary: Summary,
    },
}

pub struct Summary {
    pub pages: usize,
    pub feeds: usize,
    pub files: usize,
    pub elapsed: Duration,
}

/// Renders every output file into memory, as `build` writes them, with the hashed asset
/// names and the open-data file list. Nothing in the binary calls it (`serve` renders
/// into its own store with [`render_into`]); it is the reference the serve-equals-build
/// and fuzz tests compare with, kept here so that it renders exactly as `build` does.
pub fn render_output_parts(
    options: &BuildOptions,
    site: &Site,
    facts: &Facts,
) -> Result<(Output, BTreeMap<String, String>, Vec<FileInfo>)> {
    let collected = std::sync::Mutex::new(Output::default());
    let (assets, data_files) = render_into(options, site, facts, &collected)?;
    let output = collected.into_inner().map_err(|_| anyhow::anyhow!("output lock poisoned"))?;
    Ok((output, assets, data_files))
}

/// Renders assets, feeds, pages and static files into `sink`; returns the hashed asset
/// names and the open-data file list, which `serve` keeps for its incremental re-renders.
pub fn render_into(
    options: &BuildOptions,
    site: &Site,
    facts: &Facts,
    sink: &dyn Sink,
) -> Result<(BTreeMap<String, String>, Vec<FileInfo>)> {
    let base_url = urls::normalize_base(options.base_url.as_deref().unwrap_or(&site.config.base_url));
    let theme = Theme::load(&options.root, &site.config.table())?;

    let (asset_files, assets) = hashed_assets(&theme);
    for file in asset_files {
        sink.put(file)?;
    }

    let table = Routes::build(site, facts)?;
    let bar = delayed_progress_bar(table.pages().count() as u64, options.progress);
    let tera = render::tera(&theme)?;
    let t = Instant::now();
    // Three pieces of work go side by side, so that both cores stay busy to the end:
    // - the feeds, written to the sink one by one; only their descriptions are kept,
    //   for the open-data pages, which alone show them and so are rendered last;
    // - every other page;
    // - the search index, then the root page, 404, sitemap and Atom feeds. Much of the
    //   index's work (merging postings, packing shards) runs on one thread.
    // On the 10k corpus the feeds took 1.7 s on mostly one core before the pages began.
    let describes_feeds = |route: &Route| matches!(route.key(), Some(Key::OpenData));
    let without_feeds = RenderInput { site, facts, theme: &theme, base_url: &base_url, assets: &assets, data_files: &[] };
    let (data_files, (pages, side)) = rayon::join(
        || {
            let data_files = export::feeds_described(site, facts, &base_url, sink);
            trace("feeds", t);
            data_files
        },
        || {
            rayon::join(
                || {
                    let pages = table.pages().filter(|route| !describes_feeds(route));
                    render::render_pages_into(&without_feeds, &tera, &table, pages, sink, &|| bar.inc(1))
                },
                || {
                    for file in search::files(&render::search_input(&without_feeds))? {
                        sink.put(file)?;
                    }
                    for file in render::site_files(&without_feeds, &tera, &table, |_| true)? {
                        sink.put(file)?;
                    }
                    Ok::<_, anyhow::Error>(())
                },
            )
        },
    );
    let data_files = data_files?;
    pages?;
    side?;
    let input = RenderInput { data_files: &data_files, ..without_feeds };
    let open_data: Vec<&Route> = table.pages().filter(|route| describes_feeds(route)).collect();
    for page in render::render_routes(&input, &tera, &table, &open_data)? {
        bar.inc(1);
        sink.put(page)?;
    }
    trace("pages", t);
    bar.finish_and_clear();

    for (name, bytes) in render::theme::site_static_files(&options.root)? {
        sink.put(OutputFile::new(name, bytes))?;
    }
    Ok((assets, data_files))
}

/// A progress bar that appears only if the build is still running after a second, so
/// quick builds print nothing but their summary.
fn delayed_progress_bar(len: u64, enabled: bool) -> ProgressBar {
    let bar = ProgressBar::with_draw_target(Some(len), ProgressDrawTarget::hidden());
    if let Ok(style) = ProgressStyle::with_template("{spinner} rendering {pos}/{len} pages {wide_bar} {eta}") {
        bar.set_style(style);
    }
    if enabled {
        let shown = bar.clone();
        std::thread::spawn(move || {
            std::thread::sleep(Duration::from_secs(1));
            if !shown.is_finished() {
                shown.set_draw_target(ProgressDrawTarget::stderr());
            }
        });
    }
    bar
}

/// Theme CSS and JS get a content hash in their names so browsers can cache them
/// forever; other theme assets keep their names. JavaScript is minified first, and the
/// hash is of the minified bytes, which are what is served.
fn hashed_assets(theme: &Theme) -> (Vec<OutputFile>, BTreeMap<String, String>) {
    let mut files = Vec::new();
    let mut names = BTreeMap::new();
    for (name, bytes) in &theme.assets {
        let (path, bytes) = match name.rsplit_once('.') {
            Some((stem, ext @ ("css" | "js"))) => {
                let bytes = if ext == "js" { minified_script(name, bytes) } else { bytes.clone() };
                let digest = Sha256::digest(&bytes);
                let hash: String = digest.iter().take(4).map(|b| format!("{b:02x}")).collect();
                (format!("assets/{stem}.{hash}.{ext}"), bytes)
            }
            _ => (format!("assets/{name}"), bytes.clone()),
        };
        names.insert(name.clone(), path.clone());
        files.push(OutputFile::new(path, bytes));
    }
    (files, names)
}

/// A theme script minified; one that cannot be (a site's own script with a syntax error,
/// say) is written as it is, with a warning: the build never fails for it.
fn minified_script(name: &str, bytes: &[u8]) -> Vec<u8> {
    let minified = std::str::from_utf8(bytes).map_err(anyhow::Error::from).and_then(crate::minify::javascript);
    match minified {
        Ok(code) => code.into_bytes(),
        Err(err) => {
            eprintln!("warning: themes/default/static/{name}: cannot minify it ({err}); written as it is");
            bytes.to_vec()
        }
    }
}

/// Builds the site, writing pages into a staging folder as they are rendered, then
/// swapping it in; on any failure the previous output stays as it was.
pub fn build(options: &BuildOptions) -> Result<BuildOutcome> {
    let started = Instant::now();
    // Decided before anything is read, so a wrong --out costs nothing.
    let out_dir = crate::output::check_out_dir(&options.root, &options.out, options.force)?;
    if !out_dir.forced_over.is_empty() {
        eprintln!(
            "warning: --force: replacing {}, which holds files shafaf did not write: {}",
            options.out.display(),
            crate::output::guard::listing(&out_dir.forced_over)
        );
    }
    let mut checked =
        crate::check(&options.root, options.as_of, options.strict).with_context(|| format!("cannot read {}", options.root.display()))?;
    trace("load and check", started);
    if checked.diagnostics.has_errors() {
        return Ok(BuildOutcome::ContentErrors(checked));
    }
    if checked.diagnostics.is_empty() {
        // The source texts only serve error snippets; a clean build frees them early.
        checked.sources.clear();
    }
    let staging = Staging::new(&out_dir)?;
    render_into(options, &checked.site, &checked.facts, &staging)?;
    let paths = staging.paths();
    let t = Instant::now();
    staging.publish()?;
    trace("publish", t);
    let pages = paths.iter().filter(|p| p.ends_with(".html")).count();
    let feeds = paths.iter().filter(|p| p.starts_with(urls::DATA_ROOT)).count();
    let summary = Summary { pages, feeds, files: paths.len(), elapsed: started.elapsed() };
    Ok(BuildOutcome::Built { checked, summary })
}
