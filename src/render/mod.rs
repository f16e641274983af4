//! Rendering the site's pages: one job per page and language, rendered in parallel with
//! Tera templates from the theme, plus the sitemap, Atom feeds, search indexes and
//! robots.txt.

mod atoms;
mod escape;
pub mod history;
pub mod pager;
mod reports;
pub mod svg;
pub mod theme;
pub mod views;
mod whitespace;

use std::collections::BTreeMap;

use anyhow::{Context as _, Result, anyhow};
use rayon::prelude::*;
use serde_json::{Value, json};
use tera::Tera;

use crate::derive::Facts;
use crate::model::{Date, Site};
use crate::output::{OutputFile, Sink};
use crate::present::{Lx, base_path};
use crate::urls;
use theme::Theme;

/// What the pages need to know about the rest of the build.
pub struct RenderInput<'a> {
    pub site: &'a Site,
    pub facts: &'a Facts,
    pub theme: &'a Theme,
    /// Absolute base URL, ending with `/`.
    pub base_url: &'a str,
    /// Theme asset name (`style.css`) → its hashed output path (`assets/style.1a2b3c4d.css`).
    pub assets: &'a BTreeMap<String, String>,
    /// The open-data files for the open-data page: (path, format, size in bytes, description key).
    pub data_files: &'a [crate::export::FileInfo],
}

/// A page of the site, rendered once per language. Entities are named by ID so a job
/// stays meaningful when the site changes under `serve`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Job {
    Dashboard,
    Plan(String),
    /// (plan ID, commitment ID)
    Commitment(String, String),
    Area(String),
    Institution(String),
    NewsList,
    /// `YYYY-MM-DD-SLUG`
    NewsPost(String),
    Page(String),
    OpenData,
    Search,
    /// A plan's printable self-assessment report.
    PlanReport(String),
    /// The latest progress reports across the portal.
    Updates,
}

/// The slug of the free page whose text introduces the open-data page.
pub const OPEN_DATA_SLUG: &str = "open-data";

/// Every page of the site.
pub fn jobs(site: &Site) -> Vec<Job> {
    let mut jobs = vec![Job::Dashboard, Job::NewsList, Job::Search, Job::OpenData, Job::Updates];
    for plan in &site.plans {
        jobs.push(Job::Plan(plan.id.clone()));
        jobs.push(Job::PlanReport(plan.id.clone()));
        jobs.extend(plan.commitments.iter().map(|c| Job::Commitment(plan.id.clone(), c.id.clone())));
    }
    jobs.extend(site.areas.iter().map(|a| Job::Area(a.id.clone())));
    jobs.extend(site.institutions.iter().map(|i| Job::Institution(i.id.clone())));
    let mut posts: Vec<String> = site.news.iter().map(|n| news_key(&n.date, &n.slug)).collect();
    posts.dedup();
    jobs.extend(posts.into_iter().map(Job::NewsPost));
    let mut pages: Vec<&str> = site.pages.iter().map(|p| p.slug.as_str()).filter(|s| *s != OPEN_DATA_SLUG).collect();
    // Pages are sorted by order first, and translations may differ in order: keep each
    // slug once, where it first appears.
    let mut seen = std::collections::BTreeSet::new();
    pages.retain(|slug| seen.insert(*slug));
    jobs.extend(pages.into_iter().map(|s| Job::Page(s.to_string())));
    jobs
}

pub fn news_key(date: &Date, slug: &str) -> String {
    format!("{date}-{slug}")
}

/// The output path of a job's page in `lang` (without `index.html`).
pub fn job_path(job: &Job, lang: &str) -> String {
    match job {
        Job::Dashboard => urls::home(lang),
        Job::Plan(p) => urls::plan(lang, p),
        Job::Commitment(p, c) => urls::commitment(lang, p, c),
        Job::Area(a) => urls::area(lang, a),
        Job::Institution(i) => urls::institution(lang, i),
        Job::NewsList => urls::news_list(lang),
        Job::NewsPost(key) => format!("{lang}/news/{key}/"),
        Job::Page(slug) => urls::page(lang, slug),
        Job::OpenData => urls::page(lang, OPEN_DATA_SLUG),
        Job::Search => urls::search(lang),
        Job::PlanReport(p) => urls::plan_report(lang, p),
        Job::Updates => urls::updates(lang),
    }
}

/// Builds the Tera environment from the theme's templates.
pub fn tera(theme: &Theme) -> Result<Tera> {
    let mut tera = Tera::default();
    tera.autoescape_on(vec![".html", ".xml"]);
    tera.set_escape_fn(escape::html);
    atoms::register(&mut tera);
    let sources: Vec<(&str, String)> =
        theme.templates.iter().map(|(name, source)| (name.as_str(), whitespace::trim_indentation(source))).collect();
    tera.add_raw_templates(sources.iter().map(|(name, source)| (*name, source.as_str())))
        .map_err(|e| anyhow!("{}", tera_error(&e)))
        .context("loading the theme's templates")?;
    Ok(tera)
}

/// Tera errors nest their cause; show the whole chain in one line.
fn tera_error(err: &tera::Error) -> String {
    let mut text = err.to_string();
    let mut source = std::error::Error::source(err);
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

/// Renders every page of the site, in every language, plus the XML and JSON side files.
pub fn render_site(input: &RenderInput, progress: &(dyn Fn() + Sync)) -> Result<Vec<OutputFile>> {
    let collected = std::sync::Mutex::new(crate::output::Output::default());
    render_site_into(input, &collected, progress)?;
    let output = collected.into_inner().map_err(|_| anyhow!("output lock poisoned"))?;
    Ok(output.iter().map(|(p, b)| OutputFile::new(p, b)).collect())
}

/// Renders every page and side file into `sink` as each is ready.
pub fn render_site_into(input: &RenderInput, sink: &dyn Sink, progress: &(dyn Fn() + Sync)) -> Result<()> {
    let tera = tera(input.theme)?;
    let jobs = jobs(input.site);
    // The search index is built beside the pages rather than after them: much of its
    // work (merging postings, packing shards) runs on one thread, and the pages keep
    // the other core busy meanwhile (10k corpus: 3-4 s of a 13 s phase).
    // The root page, 404, sitemap and Atom feeds (a second or two on one thread) follow
    // the search index there.
    let (pages, side) = rayon::join(
        || {
            heaviest_first(input, &jobs, page_work(input, &jobs)).par_iter().try_for_each(|(job, lang)| {
                for page in render_job(input, &tera, job, lang, Orders::All)? {
                    progress();
                    sink.put(page)?;
                }
                Ok::<(), anyhow::Error>(())
            })
        },
        || {
            let mut files = search_files(input)?;
            files.extend(render_root_and_404(input, &tera)?);
            files.extend(sitemap_files(input, &jobs));
            files.extend(atom_files(input));
            Ok::<_, anyhow::Error>(files)
        },
    );
    pages?;
    for file in side? {
        sink.put(file)?;
    }
    Ok(())
}

/// The lists first, longest first: a list renders a page per order and page, and lists
/// left to the end of a parallel run kept one core idle for its last seconds (10k
/// corpus: 2 s).
/// Each list's weight is counted once, not once per language.
fn heaviest_first<'a>(input: &RenderInput, jobs: &[Job], mut work: Vec<(&'a Job, &'a String)>) -> Vec<(&'a Job, &'a String)> {
    let rows: BTreeMap<&Job, usize> = jobs.iter().filter_map(|job| list_shape(input, job).map(|s| (job, s.len * s.orders.len()))).collect();
    // A stable sort: pages of equal weight keep the order of `jobs()`.
    work.sort_by_key(|(job, _)| std::cmp::Reverse(rows.get(job).map_or(0, |n| n + 1)));
    work
}

/// Renders the given pages in every language, in parallel.
pub fn render_jobs(input: &RenderInput, tera: &Tera, jobs: &[Job], progress: &(dyn Fn() + Sync)) -> Result<Vec<OutputFile>> {
    render_jobs_in(input, tera, jobs, Orders::All, progress)
}

/// Renders the given pages in every language, lists in `orders` only.
pub fn render_jobs_in(
    input: &RenderInput,
    tera: &Tera,
    jobs: &[Job],
    orders: Orders,
    progress: &(dyn Fn() + Sync),
) -> Result<Vec<OutputFile>> {
    let pages: Vec<Vec<OutputFile>> = page_work(input, jobs)
        .par_iter()
        .map(|(job, lang)| {
            let pages = render_job(input, tera, job, lang, orders)?;
            progress();
            Ok(pages)
        })
        .collect::<Result<_>>()?;
    Ok(pages.into_iter().flatten().collect())
}

/// Every (page, language) pair of `jobs`.
fn page_work<'a>(input: &'a RenderInput, jobs: &'a [Job]) -> Vec<(&'a Job, &'a String)> {
    jobs.iter().flat_map(|j| input.site.config.languages.iter().map(move |l| (j, l))).collect()
}

/// Which orders of a list to render: `serve` renders a plan's list in its own order
/// first, with the edited sheet, and the other orders after.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Orders {
    All,
    /// The list's own order (the first of its orders).
    Default,
    /// Every order but the list's own.
    Others,
}

impl Orders {
    pub fn has(self, order: pager::Order) -> bool {
        match self {
            Orders::All => true,
            Orders::Default => order == pager::Order::Number,
            Orders::Others => order != pager::Order::Number,
        }
    }
}

/// The root page (the default language's dashboard, canonical URL /LANG/) and the 404 page.
pub fn render_root_and_404(input: &RenderInput, tera: &Tera) -> Result<Vec<OutputFile>> {
    let default_lang = input.site.config.default_language();
    Ok(vec![
        OutputFile::new(
            "index.html",
            render_job(input, tera, &Job::Dashboard, default_lang, Orders::All)?
                .into_iter()
                .next()
                .context("the dashboard rendered nothing")?
                .bytes,
        ),
        OutputFile::new("404.html", render_not_found(input, tera)?),
    ])
}

/// The sitemap and robots.txt.
pub fn sitemap_files(input: &RenderInput, jobs: &[Job]) -> Vec<OutputFile> {
    vec![
        OutputFile::new("sitemap.xml", sitemap(input, jobs)),
        OutputFile::new("robots.txt", format!("User-agent: *\nAllow: /\n\nSitemap: {}\n", urls::absolute(input.base_url, "sitemap.xml"))),
    ]
}

/// Each language's Atom feed.
pub fn atom_files(input: &RenderInput) -> Vec<OutputFile> {
    input.site.config.languages.iter().map(|lang| OutputFile::new(urls::atom(lang), atom(input, lang))).collect()
}

/// Each language's search index (see [`crate::search`]).
pub fn search_files(input: &RenderInput) -> Result<Vec<OutputFile>> {
    crate::search::files(&search_input(input))
}

pub(crate) fn lx<'a>(input: &'a RenderInput, lang: &'a str, base_path: &'a str) -> Lx<'a> {
    Lx::new(input.site, input.facts, &input.theme.strings, lang, base_path)
}

/// What the search index is built from.
pub fn search_input<'a>(input: &RenderInput<'a>) -> crate::search::Input<'a> {
    crate::search::Input { site: input.site, facts: input.facts, strings: &input.theme.strings, base_url: input.base_url }
}

/// One file a job renders: its path, its twins in each language, and its data.
struct Variant {
    path: String,
    alternates: Vec<(String, String)>,
    title: String,
    data: Value,
}

/// The files of one page in one language: one, or for a list every page of each order
/// in `orders`.
fn render_job(input: &RenderInput, tera: &Tera, job: &Job, lang: &str, orders: Orders) -> Result<Vec<OutputFile>> {
    let base = base_path(input.base_url);
    let lx = lx(input, lang, &base);
    let (template, variants) = job_variants(input, &lx, job, orders)?;
    variants
        .into_iter()
        .map(|v| {
            let context = page_context(input, &lx, &v.title, &v.path, &v.alternates, v.data)?;
            let html = tera.render(template, &context).map_err(|e| anyhow!("rendering {template} for {}: {}", v.path, tera_error(&e)))?;
            Ok(OutputFile::new(format!("{}index.html", v.path), html.into_bytes()))
        })
        .collect()
}

/// A page that is one file.
fn single(input: &RenderInput, job: &Job, lang: &str, title: String, data: Value) -> Vec<Variant> {
    let alternates = input.site.config.languages.iter().map(|l| (l.clone(), job_path(job, l))).collect();
    vec![Variant { path: job_path(job, lang), alternates, title, data }]
}

/// How a list page splits into files: its orders, its number of rows and the rows per page.
struct ListShape {
    orders: &'static [pager::Order],
    len: usize,
    size: usize,
}

/// The shape of a list page; `None` for other pages. Used both to render the lists and
/// to name their pages (sitemap, serve).
fn list_shape(input: &RenderInput, job: &Job) -> Option<ListShape> {
    let site = input.site;
    let size = site.config.page_size();
    let commitments = || site.plans.iter().flat_map(|p| &p.commitments);
    let shape = |orders: &'static [pager::Order], len: usize| Some(ListShape { orders, len, size });
    match job {
        Job::Plan(p) => site.plans.iter().find(|x| &x.id == p).and_then(|plan| shape(&pager::Order::ALL, plan.commitments.len())),
        Job::Area(a) => shape(&pager::Order::ALL, commitments().filter(|c| &c.area.id == a).count()),
        Job::Institution(i) => {
            let led = commitments().filter(|c| &c.lead.id == i).count();
            let partner = commitments().filter(|c| is_partner(c, i)).count();
            shape(&pager::Order::ALL, led.max(partner))
        }
        Job::NewsList => {
            let keys: std::collections::BTreeSet<String> = site.news.iter().map(|n| news_key(&n.date, &n.slug)).collect();
            shape(&pager::Order::ONLY, keys.len())
        }
        Job::Updates => shape(&pager::Order::ONLY, crate::derive::reports_in_effect(site, input.facts).len()),
        Job::PlanReport(p) => site.plans.iter().find(|x| &x.id == p).map(|plan| ListShape {
            orders: &pager::Order::ONLY,
            len: plan.commitments.len(),
            size: pager::report_page_size(size),
        }),
        _ => None,
    }
}

/// Whether an institution is a partner of a commitment or of one of its activities.
pub fn is_partner(c: &crate::model::Commitment, institution: &str) -> bool {
    c.partners.iter().any(|p| p.id == institution) || c.activities.iter().any(|a| a.partners.iter().any(|p| p.id == institution))
}

/// Every file path (without `index.html`) a job renders in `lang`.
pub fn job_paths(input: &RenderInput, job: &Job, lang: &str) -> Vec<String> {
    let base = job_path(job, lang);
    match list_shape(input, job) {
        Some(shape) => {
            let count = pager::page_count(shape.len, shape.size);
            shape.orders.iter().flat_map(|o| (1..=count).map(|n| pager::page_path(&base, *o, n)).collect::<Vec<_>>()).collect()
        }
        None => vec![base],
    }
}

/// Each page of each order of a list; `page` makes a page's data from its order, the
/// range of rows it shows and its pager.
fn list_variants(
    input: &RenderInput,
    lx: &Lx,
    job: &Job,
    rendered: Orders,
    title: &str,
    mut page: impl FnMut(pager::Order, std::ops::Range<usize>, pager::PagerView) -> Result<Value>,
) -> Result<Vec<Variant>> {
    let ListShape { orders, len, size } = list_shape(input, job).context("not a list")?;
    let count = pager::page_count(len, size);
    let base = job_path(job, lx.lang);
    let mut variants = Vec::new();
    for order in orders.iter().filter(|o| rendered.has(**o)) {
        for number in 1..=count {
            let page_label = lx.strings.format("page_of", &[("n", &number.to_string()), ("count", &count.to_string())]);
            let view = pager::pager(&base, orders, *order, number, count, |p| lx.href(p), |k| lx.t(k), page_label.clone());
            let data = page(*order, pager::rows_of_page(number - 1, size), view)?;
            let alternates =
                input.site.config.languages.iter().map(|l| (l.clone(), pager::page_path(&job_path(job, l), *order, number))).collect();
            let title = if number > 1 { format!("{title} — {page_label}") } else { title.to_string() };
            variants.push(Variant { path: pager::page_path(&base, *order, number), alternates, title, data });
        }
    }
    Ok(variants)
}

/// The template of a page and its files' data.
fn job_variants(input: &RenderInput, lx: &Lx, job: &Job, orders: Orders) -> Result<(&'static str, Vec<Variant>)> {
    let site = input.site;
    let lang = lx.lang;
    let one = |template: &'static str, title: String, data: Value| Ok((template, single(input, job, lang, title, data)));
    match job {
        Job::Dashboard => one("dashboard.html", lx.t("dashboard"), json!(views::dashboard(lx, news_items(lx))?)),
        Job::Plan(p) => {
            let plan = site.plans.iter().find(|x| &x.id == p).context("unknown plan")?;
            let mut view = views::plan_page(lx, plan)?;
            let mut rows = pager::OrderedRows::new(std::mem::take(&mut view.commitments));
            let title = view.title.text.clone();
            let variants = list_variants(input, lx, job, orders, &title, |order, range, pager| {
                view.commitments = pager::page_of(rows.in_order(order, views::sort_rows), range);
                let mut data = json!(view);
                data["pager"] = json!(pager);
                Ok(data)
            })?;
            Ok(("plan.html", variants))
        }
        Job::Commitment(p, c) => {
            let plan = site.plans.iter().find(|x| &x.id == p).context("unknown plan")?;
            let commitment = plan.commitments.iter().find(|x| &x.id == c).context("unknown commitment")?;
            let view = views::commitment_page(lx, plan, commitment)?;
            one("commitment.html", view.title.text.clone(), json!(view))
        }
        Job::Area(_) | Job::Institution(_) => {
            let (kind, mut view) = match job {
                Job::Area(a) => ("area", views::area_page(lx, site.areas.iter().find(|x| &x.id == a).context("unknown area")?)?),
                Job::Institution(i) => (
                    "institution",
                    views::institution_page(lx, site.institutions.iter().find(|x| &x.id == i).context("unknown institution")?)?,
                ),
                _ => unreachable!("matched above"),
            };
            let mut led = pager::OrderedRows::new(std::mem::take(&mut view.commitments));
            let mut partner = pager::OrderedRows::new(std::mem::take(&mut view.partner_in));
            let title = view.title.text.clone();
            let variants = list_variants(input, lx, job, orders, &title, |order, range, pager| {
                for (rows, target) in [(&mut led, &mut view.commitments), (&mut partner, &mut view.partner_in)] {
                    *target = pager::page_of(rows.in_order(order, views::sort_rows), range.clone());
                }
                Ok(json!({"kind": kind, "group": view, "pager": pager}))
            })?;
            Ok(("group.html", variants))
        }
        Job::NewsList => {
            let items = news_items(lx);
            let variants = list_variants(input, lx, job, orders, &lx.t("news"), |_, range, pager| {
                Ok(json!({ "news": pager::page_of(&items, range), "pager": pager }))
            })?;
            Ok(("news_list.html", variants))
        }
        Job::NewsPost(key) => {
            let variants: Vec<_> = site.news.iter().filter(|n| &news_key(&n.date, &n.slug) == key).collect();
            let post = crate::present::pick_variant(&variants, |n| n.lang.as_str(), lang, &site.config.languages)
                .context("news post without variants")?;
            let view = views::document_page(lx, &post.lang, &post.title, &post.body, Some(&post.date), &post.related);
            one("document.html", post.title.clone(), json!({"kind": "news", "doc": view, "iso_date": post.date.to_string()}))
        }
        Job::Page(slug) => {
            let variants: Vec<_> = site.pages.iter().filter(|p| &p.slug == slug).collect();
            let page = crate::present::pick_variant(&variants, |p| p.lang.as_str(), lang, &site.config.languages)
                .context("page without variants")?;
            let view = views::document_page(lx, &page.lang, &page.title, &page.body, None, &[]);
            one("document.html", page.title.clone(), json!({"kind": "page", "doc": view}))
        }
        Job::OpenData => {
            let variants: Vec<_> = site.pages.iter().filter(|p| p.slug == OPEN_DATA_SLUG).collect();
            let intro = crate::present::pick_variant(&variants, |p| p.lang.as_str(), lang, &site.config.languages)
                .map(|p| views::document_page(lx, &p.lang, &p.title, &p.body, None, &[]));
            let title = intro.as_ref().map_or_else(|| lx.t("open_data"), |d| d.title.text.clone());
            one("open_data.html", title, json!({"intro": intro, "files": data_file_rows(input, lx), "json_ld": dataset_json_ld(input, lx)}))
        }
        Job::Search => one("search.html", lx.t("search"), crate::search::page_data(lx)),
        Job::PlanReport(p) => {
            let plan = site.plans.iter().find(|x| &x.id == p).context("unknown plan")?;
            // Each page of the report reads its own commitments only: a plan of 500
            // commitments makes five pages, not one page of 1.1 MB.
            let mut view = history::plan_report(lx, plan)?;
            let in_order = history::report_order(plan);
            let title = format!("{} — {}", lx.t("plan_report"), view.title.text);
            let variants = list_variants(input, lx, job, orders, &title, |_, range, pager| {
                view.commitments = history::reported_commitments(lx, plan, &pager::page_of(&in_order, range))?;
                let mut data = json!(view);
                data["pager"] = json!(pager);
                Ok(data)
            })?;
            Ok(("plan_report.html", variants))
        }
        Job::Updates => {
            let mut view = history::updates_page(lx);
            let reports = std::mem::take(&mut view.reports);
            let variants = list_variants(input, lx, job, orders, &lx.t("updates"), |_, range, pager| {
                view.reports = pager::page_of(&reports, range);
                let mut data = json!(view);
                data["pager"] = json!(pager);
                Ok(data)
            })?;
            Ok(("updates.html", variants))
        }
    }
}

fn page_context(
    input: &RenderInput,
    lx: &Lx,
    title: &str,
    path: &str,
    alternates: &[(String, String)],
    data: Value,
) -> Result<tera::Context> {
    let site = input.site;
    let lang = lx.lang;
    let nav: Vec<Value> = [
        ("dashboard", urls::home(lang)),
        ("updates", urls::updates(lang)),
        ("news", urls::news_list(lang)),
        ("open_data", urls::page(lang, OPEN_DATA_SLUG)),
        ("search", urls::search(lang)),
    ]
    .into_iter()
    .map(|(key, p)| (lx.t(key), p))
    .chain({
        let mut slugs: Vec<(&str, i64)> =
            site.pages.iter().filter(|p| p.slug != OPEN_DATA_SLUG).map(|p| (p.slug.as_str(), p.order)).collect();
        slugs.sort_by_key(|(s, o)| (*o, *s));
        // Once per page, where its lowest order puts it, even when translations differ.
        let mut seen = std::collections::BTreeSet::new();
        slugs.retain(|(slug, _)| seen.insert(*slug));
        slugs
            .into_iter()
            .filter_map(|(slug, _)| {
                let variants: Vec<_> = site.pages.iter().filter(|p| p.slug == slug).collect();
                let page = crate::present::pick_variant(&variants, |p| p.lang.as_str(), lang, &site.config.languages)?;
                Some((page.title.clone(), urls::page(lang, slug)))
            })
            .collect::<Vec<_>>()
    })
    .map(|(label, p)| json!({"label": label, "href": lx.href(&p), "current": p == path}))
    .collect();
    let alternates: Vec<Value> = alternates
        .iter()
        .map(|(l, p)| {
            json!({
                "lang": l,
                "name": input.theme.strings[l].get("language_name"),
                "dir": crate::present::dir_of(&input.theme.strings, l),
                "href": lx.href(p),
                "absolute": urls::absolute(input.base_url, p),
                "current": l == lang,
            })
        })
        .collect();
    let asset = |name: &str| input.assets.get(name).map(|p| lx.href(p)).unwrap_or_default();
    let site_value = json!({
        "title": lx.loc(&site.config.title),
        "description": lx.loc(&site.config.description),
        "license": site.config.data_license.id,
        "license_url": site.config.data_license.url,
    });
    let page_value = json!({
        "lang": lang,
        "dir": lx.strings.dir(),
        "title": title,
        "canonical": urls::absolute(input.base_url, path),
        "alternates": alternates,
        "nav": nav,
        "home": lx.href(&urls::home(lang)),
        "css": asset("style.css"),
        "icon": asset("favicon.svg"),
        "search_js": asset("search.js"),
        // The Snowball stemmer of the language's search rules, loaded before search.js.
        "search_stemmer_js": crate::search::text::rules(lang).snowball.map(|s| asset(s.script())),
        "feed": lx.href(&urls::atom(lang)),
        "as_of": lx.strings.format("as_of", &[("date", &lx.as_of())]),
    });
    // Built as one object and moved into the context: `Context::insert` would
    // serialise (deep-copy) the page's data, the largest part of it, once more.
    let mut context = serde_json::Map::new();
    context.insert("site".to_string(), site_value);
    context.insert("page".to_string(), page_value);
    context.insert("i".to_string(), lx.strings.template_value().clone());
    context.insert("data".to_string(), data);
    tera::Context::from_value(Value::Object(context)).map_err(|e| anyhow!("building the template context: {}", tera_error(&e)))
}

fn news_items(lx: &Lx) -> Vec<views::NewsItem> {
    let site = lx.site;
    let mut keys: Vec<(Date, &str)> = site.news.iter().map(|n| (n.date, n.slug.as_str())).collect();
    keys.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(b.1)));
    keys.dedup();
    keys.into_iter()
        .filter_map(|(date, slug)| {
            let variants: Vec<_> = site.news.iter().filter(|n| n.date == date && n.slug == slug).collect();
            crate::present::pick_variant(&variants, |n| n.lang.as_str(), lx.lang, &site.config.languages).map(|p| views::news_item(lx, p))
        })
        .collect()
}

/// The open-data page's table: each shared file, then the per-commitment files as one
/// row naming their URL pattern and how many there are (`index.json` lists each), so the
/// page stays small on a portal of ten thousand commitments.
fn data_file_rows(input: &RenderInput, lx: &Lx) -> Vec<Value> {
    let per_commitment: Vec<&crate::export::FileInfo> = input.data_files.iter().filter(|f| f.group == "commitment").collect();
    let total: usize = per_commitment.iter().map(|f| f.bytes).sum();
    let pattern = per_commitment.first().map(|first| {
        json!({
            "href": lx.href(&format!("{}index.json", urls::DATA_ROOT)),
            "name": format!("plans/PLAN/commitments/ID.json ({})", lx.strings.format("files_count", &[("n", &lx.strings.number(per_commitment.len() as f64, 0))])),
            "format": first.format.to_uppercase(),
            "size": human_size(lx, total as u64),
            "description": "file_commitment_json",
        })
    });
    input
        .data_files
        .iter()
        .filter(|f| f.group != "commitment")
        .map(|f| {
            json!({
                "href": lx.href(&f.path),
                "name": f.name,
                "format": if f.group == "schema" { "JSON Schema".to_string() } else { f.format.to_uppercase() },
                "size": human_size(lx, f.bytes as u64),
                "description": format!("file_{}", f.key),
            })
        })
        .chain(pattern)
        .collect()
}

fn human_size(lx: &Lx, bytes: u64) -> String {
    let (value, unit) = if bytes >= 1024 * 1024 {
        (bytes as f64 / 1024.0 / 1024.0, "size_megabytes")
    } else if bytes >= 1024 {
        (bytes as f64 / 1024.0, "size_kilobytes")
    } else {
        (bytes as f64, "size_bytes")
    };
    format!("{}\u{a0}{}", lx.strings.number(value, 1), lx.t(unit))
}

/// schema.org `Dataset` description of the feeds, so search engines find them.
fn dataset_json_ld(input: &RenderInput, lx: &Lx) -> String {
    crate::export::dataset_json_ld(input.site, input.facts, input.data_files, input.base_url, lx.lang)
}

fn render_not_found(input: &RenderInput, tera: &Tera) -> Result<Vec<u8>> {
    let lang = input.site.config.default_language();
    let base = base_path(input.base_url);
    let lx = lx(input, lang, &base);
    let others: Vec<Value> = input
        .site
        .config
        .languages
        .iter()
        .map(|l| {
            let s = &input.theme.strings[l];
            json!({"lang": l, "dir": s.dir(), "title": s.get("page_not_found"), "text": s.get("page_not_found_text"), "home": lx.href(&urls::home(l)), "back": s.get("back_home")})
        })
        .collect();
    let alternates: Vec<(String, String)> = input.site.config.languages.iter().map(|l| (l.clone(), "404.html".to_string())).collect();
    let context = page_context(input, &lx, &lx.t("page_not_found"), "404.html", &alternates, json!({ "languages": others }))?;
    let html = tera.render("404.html", &context).map_err(|e| anyhow!("rendering 404.html: {}", tera_error(&e)))?;
    Ok(html.into_bytes())
}

fn xml_escape(text: &str) -> String {
    svg::escape(text)
}

fn sitemap(input: &RenderInput, jobs: &[Job]) -> Vec<u8> {
    let site = input.site;
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n",
    );
    for job in jobs {
        // Every page of a list is in the sitemap; the n-th page of one language is the
        // twin of the n-th page of the others.
        let paths: Vec<(&String, Vec<String>)> = site.config.languages.iter().map(|l| (l, job_paths(input, job, l))).collect();
        let default_paths = job_paths(input, job, site.config.default_language());
        for (_, own) in &paths {
            for (i, path) in own.iter().enumerate() {
                xml.push_str("  <url>\n");
                xml.push_str(&format!("    <loc>{}</loc>\n", xml_escape(&urls::absolute(input.base_url, path))));
                for (alt, alt_paths) in &paths {
                    if let Some(alt_path) = alt_paths.get(i) {
                        xml.push_str(&format!(
                            "    <xhtml:link rel=\"alternate\" hreflang=\"{alt}\" href=\"{}\"/>\n",
                            xml_escape(&urls::absolute(input.base_url, alt_path))
                        ));
                    }
                }
                if let Some(default_path) = default_paths.get(i) {
                    xml.push_str(&format!(
                        "    <xhtml:link rel=\"alternate\" hreflang=\"x-default\" href=\"{}\"/>\n",
                        xml_escape(&urls::absolute(input.base_url, default_path))
                    ));
                }
                xml.push_str("  </url>\n");
            }
        }
    }
    xml.push_str("</urlset>\n");
    xml.into_bytes()
}

/// The Atom feed of one language: news posts and one progress update per plan, dated
/// on `as_of` so the feed changes only when the data does.
fn atom(input: &RenderInput, lang: &str) -> Vec<u8> {
    let site = input.site;
    let base = base_path(input.base_url);
    let lx = lx(input, lang, &base);
    let as_of = input.facts.as_of;
    let abs = |p: &str| xml_escape(&urls::absolute(input.base_url, p));
    let mut entries = Vec::new();
    for item in news_items(&lx) {
        let path = item.href.strip_prefix(&base).unwrap_or(&item.href).to_string();
        let summary = item.summary.as_ref().map(|s| s.text.clone()).unwrap_or_default();
        entries.push((item.iso_date.clone(), item.title.text.clone(), path, summary, item.title.lang.clone()));
    }
    // Each dated progress report in effect is an entry, dated on the report, so the
    // feed changes only when someone reports.
    for entry in crate::derive::reports_in_effect(site, input.facts) {
        let view = reports::report_view(&lx, &entry, 3);
        let path = urls::commitment(lang, &entry.plan.id, &entry.commitment.id);
        entries.push((
            view.iso_date.clone(),
            lx.strings.format("report_entry_title", &[("title", &view.commitment.label.text), ("progress", &view.progress)]),
            format!("{path}#{}", view.anchor),
            lx.strings.format(
                "report_entry_summary",
                &[("by", &view.by.label.text), ("progress", &view.progress), ("date", &view.date), ("scope", &view.scope)],
            ),
            view.commitment.label.lang.clone(),
        ));
    }
    entries.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.2.cmp(&b.2)));
    let updated = entries.iter().map(|e| e.0.clone()).max().unwrap_or_else(|| as_of.to_string());
    let stamp = |d: &str| {
        let full = if d.len() == 4 {
            format!("{d}-01-01")
        } else if d.len() == 7 {
            format!("{d}-01")
        } else {
            d.to_string()
        };
        format!("{full}T00:00:00Z")
    };
    let mut xml = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{lang}\">\n  <title>{}</title>\n  <id>{}</id>\n  <link rel=\"self\" href=\"{}\"/>\n  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n  <updated>{}</updated>\n  <author><name>{}</name></author>\n",
        xml_escape(&lx.loc(&site.config.title).text),
        abs(&urls::atom(lang)),
        abs(&urls::atom(lang)),
        abs(&urls::home(lang)),
        stamp(&updated),
        xml_escape(&lx.loc(&site.config.title).text),
    );
    for (date, title, path, summary, entry_lang) in entries {
        // A report's path already names it with a fragment; a news post's gets its date.
        let id = if path.contains('#') { abs(&path) } else { format!("{}#{date}", abs(&path)) };
        xml.push_str(&format!(
            "  <entry xml:lang=\"{entry_lang}\">\n    <title>{}</title>\n    <id>{id}</id>\n    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n    <updated>{}</updated>\n    <summary>{}</summary>\n  </entry>\n",
            xml_escape(&title),
            abs(&path),
            stamp(&date),
            xml_escape(&summary)
        ));
    }
    xml.push_str("</feed>\n");
    xml.into_bytes()
}
