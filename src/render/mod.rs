//! Rendering the site's pages with Tera templates from the theme, in parallel, from the
//! routes table: each route of a page kind is rendered from its view
//! ([`pages`]) inside the frame every page shares ([`context`]); the files beside the
//! pages (root, 404, sitemap, robots.txt, Atom) come from [`files`].

mod atoms;
pub mod changes;
mod context;
mod escape;
mod files;
pub mod history;
pub mod pager;
mod pages;
mod reports;
mod shared;
pub mod svg;
pub mod theme;
pub mod views;
mod whitespace;

use std::collections::BTreeMap;

use anyhow::{Context as _, Result, anyhow};
use rayon::prelude::*;
use tera::Tera;

use crate::derive::Facts;
use crate::model::Site;
use crate::output::{OutputFile, Sink};
use crate::present::{Lx, base_path};
use crate::routes::{Kind, Route, Routes};
use context::Chrome;
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

/// What the search index is built from.
pub fn search_input<'a>(input: &RenderInput<'a>) -> crate::search::Input<'a> {
    crate::search::Input {
        site: input.site,
        facts: input.facts,
        strings: &input.theme.strings,
        base_url: input.base_url,
        assets: input.assets,
    }
}

/// Builds the Tera environment from the theme's templates.
pub fn tera(theme: &Theme) -> Result<Tera> {
    let mut tera = Tera::default();
    tera.autoescape_on([".html", ".xml"]);
    tera.set_escape_fn(escape::write_html);
    atoms::register(&mut tera);
    // HTML loses its indentation; in the XML and text templates whitespace is content.
    let sources: Vec<(&str, String)> = theme
        .templates
        .iter()
        .map(|(name, source)| (name.as_str(), if name.ends_with(".html") { whitespace::trim_indentation(source) } else { source.clone() }))
        .collect();
    tera.add_raw_templates(sources.iter().map(|(name, source)| (*name, source.as_str())))
        .map_err(|e| anyhow!("{}", tera_error(&e)))
        .context("loading the theme's templates")?;
    Ok(tera)
}

/// Tera errors nest their cause; show the whole chain.
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

/// Renders `template` with `context` into a fresh buffer of the page's exact size. The
/// thread's scratch buffer is reused from page to page, so a page does not grow its
/// output by doubling from empty.
fn render_template(tera: &Tera, template: &str, context: &tera::Context) -> Result<Vec<u8>, tera::Error> {
    thread_local! {
        static SCRATCH: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    SCRATCH.with_borrow_mut(|scratch| {
        scratch.clear();
        tera.render_to(template, context, &mut *scratch)?;
        Ok(scratch.as_slice().to_vec())
    })
}

/// Renders every page of the table into `sink` as each is ready, the lists first,
/// longest first: a list renders a page per order and page, and lists left to the end
/// of a parallel run kept one core idle for its last seconds (10k corpus: 2 s).
pub fn render_pages_into<'r>(
    input: &RenderInput,
    tera: &Tera,
    table: &Routes,
    pages: impl Iterator<Item = &'r Route>,
    sink: &dyn Sink,
    progress: &(dyn Fn() + Sync),
) -> Result<()> {
    let chromes = context::chromes(input)?;
    let mut units = units(pages);
    // A stable sort: units of equal weight keep the table's order.
    units.sort_by_key(|unit| std::cmp::Reverse(unit.len()));
    units.par_iter().try_for_each(|unit| {
        for page in render_unit(input, tera, table, unit, chrome_of(&chromes, unit)?)? {
            progress();
            sink.put(page)?;
        }
        Ok(())
    })
}

/// Renders the given routes of the table (pages only), in parallel.
pub fn render_routes(input: &RenderInput, tera: &Tera, table: &Routes, routes: &[&Route]) -> Result<Vec<OutputFile>> {
    render_routes_until(input, tera, table, routes, &|| Ok(()))
}

/// [`render_routes`], asking `go_on` before each key's pages and giving up with its
/// error: the preview's listing pages (400 pages, 0.3 s on the 10k corpus) yield to a
/// newer edit.
pub fn render_routes_until(
    input: &RenderInput,
    tera: &Tera,
    table: &Routes,
    routes: &[&Route],
    go_on: &(dyn Fn() -> Result<()> + Sync),
) -> Result<Vec<OutputFile>> {
    let chromes = context::chromes(input)?;
    let rendered: Vec<Vec<OutputFile>> = units(routes.iter().copied())
        .par_iter()
        .map(|unit| {
            go_on()?;
            render_unit(input, tera, table, unit, chrome_of(&chromes, unit)?)
        })
        .collect::<Result<_>>()?;
    Ok(rendered.into_iter().flatten().collect())
}

/// The site-wide files of the table that the pages' renderer writes: root, 404,
/// sitemap, robots.txt, Atom feeds; `which` picks among them.
pub fn site_files(input: &RenderInput, tera: &Tera, table: &Routes, which: impl Fn(&Kind) -> bool) -> Result<Vec<OutputFile>> {
    // A feed per plan and per commitment: thousands of files on a large portal, one core
    // each; collected in the table's order.
    let routes: Vec<&Route> = table.all().iter().filter(|r| r.key().is_none() && which(&r.kind)).collect();
    let files: Vec<Option<OutputFile>> =
        routes.par_iter().map(|route| files::site_file(input, tera, table, route)).collect::<Result<_>>()?;
    Ok(files.into_iter().flatten().collect())
}

fn chrome_of<'c>(chromes: &'c BTreeMap<String, Chrome>, unit: &[&Route]) -> Result<&'c Chrome> {
    let lang = unit.first().map_or("", |r| r.lang.as_str());
    chromes.get(lang).with_context(|| format!("no language {lang:?}"))
}

/// Routes grouped by key and language, as the table orders them: a group shares its
/// view's head (a plan's card, the list's sorted rows).
fn units<'r>(routes: impl Iterator<Item = &'r Route>) -> Vec<Vec<&'r Route>> {
    let mut units: Vec<Vec<&Route>> = Vec::new();
    for route in routes {
        match units.last_mut() {
            Some(unit) if unit[0].key() == route.key() && unit[0].lang == route.lang => unit.push(route),
            _ => units.push(vec![route]),
        }
    }
    units
}

/// The pages of one key in one language.
fn render_unit(input: &RenderInput, tera: &Tera, table: &Routes, unit: &[&Route], chrome: &Chrome) -> Result<Vec<OutputFile>> {
    let first = unit.first().context("an empty group of routes")?;
    let key = first.key().with_context(|| format!("{} is not a page", first.path))?;
    let base = base_path(input.base_url);
    let lx = Lx::new(input.site, input.facts, &input.theme.strings, &first.lang, &base);
    let (template, pages) = pages::page_data(input, &lx, &chrome.rows, table, key, unit)?;
    pages.into_iter().map(|page| render_route(input, tera, table, chrome, template, page)).collect()
}

/// One page: its data in the frame of its language, through its template.
fn render_route(
    input: &RenderInput,
    tera: &Tera,
    table: &Routes,
    chrome: &Chrome,
    template: &str,
    page: pages::PageData,
) -> Result<OutputFile> {
    let route = page.route;
    let alternates: Vec<(&str, &str)> = table.alternates(route).into_iter().map(|r| (r.lang.as_str(), r.path.as_str())).collect();
    let context = chrome.context(input, &page.title, &route.path, &alternates, page.data)?;
    let html =
        render_template(tera, template, &context).map_err(|e| anyhow!("rendering {template} for {}: {}", route.path, tera_error(&e)))?;
    Ok(OutputFile::new(route.file(), html))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::routes::Key;

    fn route(key: Key, lang: &str, path: &str) -> Route {
        Route { path: path.into(), lang: lang.into(), kind: Kind::Page(key), page: None }
    }

    /// The pages of one key in one language are rendered from one view (a plan's card
    /// and its sorted rows, made once for every page and order of its list): they form
    /// one unit, and each other key or language starts the next, in the table's order.
    #[test]
    fn the_pages_of_one_key_in_one_language_form_one_unit() {
        let plan = |id: &str| Key::Plan(id.into());
        let routes = [
            route(plan("p"), "ar", "ar/plans/p/"),
            route(plan("p"), "ar", "ar/plans/p/page/2/"),
            route(plan("p"), "fr", "fr/plans/p/"),
            route(plan("q"), "fr", "fr/plans/q/"),
            route(plan("q"), "fr", "fr/plans/q/by-progress/"),
            route(Key::Dashboard, "fr", "fr/"),
        ];
        let units: Vec<Vec<&str>> = units(routes.iter()).iter().map(|unit| unit.iter().map(|r| r.path.as_str()).collect()).collect();
        assert_eq!(
            units,
            [vec!["ar/plans/p/", "ar/plans/p/page/2/"], vec!["fr/plans/p/"], vec!["fr/plans/q/", "fr/plans/q/by-progress/"], vec!["fr/"]]
        );
    }
}
