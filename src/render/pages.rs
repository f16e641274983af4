//! The data of each page kind, page by page: for the routes of one key in one language,
//! the template and each page's title and data. A list's head (a plan's card, an
//! institution's figures) is built once; each page then adds its rows, which the routes
//! table gives already sorted.

use anyhow::{Context as _, Result, anyhow};
use serde::Serialize;
use tera::Value;

use super::context::template_value;
use super::pager::{self, PagerView};
use super::views::RowCache;
use super::{RenderInput, history, reports, views};
use crate::model::{Commitment, Plan, Site};
use crate::present::{Lx, pick_variant};
use crate::routes::{At, Key, OPEN_DATA_SLUG, ReportAt, Route, Routes, Rows};
use crate::urls;

/// A list page's data: its view with the pager beside the view's own fields.
#[derive(Serialize)]
struct WithPager<'v, V: Serialize> {
    #[serde(flatten)]
    view: &'v V,
    pager: PagerView,
}

/// An area's or an institution's page.
#[derive(Serialize)]
struct GroupData<'v> {
    kind: &'static str,
    group: &'v views::GroupPage,
    pager: PagerView,
}

/// A news post or a free page.
#[derive(Serialize)]
struct DocumentData {
    kind: &'static str,
    doc: views::DocumentPage,
    #[serde(skip_serializing_if = "Option::is_none")]
    iso_date: Option<String>,
}

#[derive(Serialize)]
struct NewsListData {
    news: Vec<views::NewsItem>,
    pager: PagerView,
}

#[derive(Serialize)]
struct OpenDataData {
    intro: Option<views::DocumentPage>,
    files: Vec<FileRow>,
    json_ld: String,
}

/// A row of the open-data page's table of files.
#[derive(Serialize)]
struct FileRow {
    href: String,
    name: String,
    format: String,
    size: String,
    /// The UI string that describes the file.
    description: String,
}

fn with_pager(view: &impl Serialize, pager: PagerView) -> Result<Value> {
    template_value(&WithPager { view, pager })
}

/// One page to render: its route, its title and its data.
pub struct PageData<'r> {
    pub route: &'r Route,
    pub title: String,
    pub data: Value,
}

/// The template of `key`'s pages and the data of each of `routes` (all of `key`, in one
/// language).
pub fn page_data<'r>(
    input: &RenderInput,
    lx: &Lx,
    rows: &RowCache,
    table: &Routes,
    key: &Key,
    routes: &[&'r Route],
) -> Result<(&'static str, Vec<PageData<'r>>)> {
    let site = input.site;
    let single = |template: &'static str, title: String, data: Value| -> Result<(&'static str, Vec<PageData<'r>>)> {
        let route = routes.first().context("a page without a route")?;
        Ok((template, vec![PageData { route, title, data }]))
    };
    match key {
        Key::Dashboard => {
            single("dashboard.html", lx.t("dashboard"), template_value(&views::dashboard(lx, news_items(lx, table.news()))?)?)
        }
        Key::Commitment(p, c) => {
            let (plan, commitment) = commitment_of(site, p, c)?;
            let view = views::commitment_page(lx, plan, commitment)?;
            single("commitment.html", view.title.text.clone(), template_value(&view)?)
        }
        Key::NewsPost(key) => {
            let variants: Vec<_> = site.news.iter().filter(|n| &n.key() == key).collect();
            let post = pick_variant(&variants, |n| n.lang.as_str(), lx.lang, &lx.fallback).context("news post without variants")?;
            let view = views::document_page(lx, &post.lang, &post.title, &post.body, Some(&post.date), &post.related);
            let data = DocumentData { kind: "news", doc: view, iso_date: Some(post.date.to_string()) };
            single("document.html", post.title.clone(), template_value(&data)?)
        }
        Key::Page(slug) => {
            let variants: Vec<_> = site.pages.iter().filter(|p| &p.slug == slug).collect();
            let page = pick_variant(&variants, |p| p.lang.as_str(), lx.lang, &lx.fallback).context("page without variants")?;
            let view = views::document_page(lx, &page.lang, &page.title, &page.body, None, &[]);
            single("document.html", page.title.clone(), template_value(&DocumentData { kind: "page", doc: view, iso_date: None })?)
        }
        Key::OpenData => {
            let (title, data) = open_data(input, lx);
            single("open_data.html", title, template_value(&data)?)
        }
        Key::Search => single("search.html", lx.t("search"), template_value(&crate::search::page_data(lx))?),
        Key::Plan(_) | Key::Area(_) | Key::Institution(_) => lists(lx, rows, table, key, routes),
        Key::PlanReport(_) | Key::InstitutionReport(_) => printed(lx, table, key, routes),
        Key::NewsList | Key::Updates | Key::Changes => dated(lx, table, key, routes),
    }
}

pub fn commitment_of<'s>(site: &'s Site, plan: &str, id: &str) -> Result<(&'s Plan, &'s Commitment)> {
    let plan = site.plans.iter().find(|x| x.id == plan).with_context(|| format!("unknown plan {plan}"))?;
    let commitment = plan.commitments.iter().find(|x| x.id == id).with_context(|| format!("unknown commitment {}/{id}", plan.id))?;
    Ok((plan, commitment))
}

/// The pages of a list: each route's title (the list's, with "page N of M" after the
/// first), its pager and the data `page` makes from them.
fn paged<'r>(
    lx: &Lx,
    key: &Key,
    routes: &[&'r Route],
    title: &str,
    mut page: impl FnMut(&Route, PagerView) -> Result<Value>,
) -> Result<Vec<PageData<'r>>> {
    let base = key.path(lx.lang);
    routes
        .iter()
        .map(|route| {
            let paging = route.page.as_ref().with_context(|| format!("{} is not a page of a list", route.path))?;
            let (number, count) = (paging.number, paging.count);
            let page_label = lx.strings.format("page_of", &[("n", &number.to_string()), ("count", &count.to_string())]);
            let title = if number > 1 { format!("{title} — {page_label}") } else { title.to_string() };
            let view = pager::pager(&base, paging.orders, paging.order, number, count, |p| lx.href(p), |k| lx.t(k), page_label);
            Ok(PageData { route, title, data: page(route, view)? })
        })
        .collect()
}

/// The rows of section `section` of `route`'s page.
fn rows_of(table: &Routes, key: &Key, route: &Route, section: usize) -> Result<Rows> {
    let list = table.list(key).with_context(|| format!("{key:?} has no list"))?;
    let paging = route.page.as_ref().with_context(|| format!("{} is not a page of a list", route.path))?;
    Ok(list.page(section, paging))
}

fn commitments(rows: Rows) -> Result<Vec<At>> {
    match rows {
        Rows::Commitments(rows) => Ok(rows),
        _ => Err(anyhow!("expected a list of commitments")),
    }
}

/// Plans, areas and institutions: lists of commitments in three orders.
fn lists<'r>(lx: &Lx, made: &RowCache, table: &Routes, key: &Key, routes: &[&'r Route]) -> Result<(&'static str, Vec<PageData<'r>>)> {
    let site = lx.site;
    if let Key::Plan(p) = key {
        let plan = site.plans.iter().find(|x| &x.id == p).context("unknown plan")?;
        let mut view = views::plan_page(lx, plan)?;
        let title = view.title.text.clone();
        let pages = paged(lx, key, routes, &title, |route, pager| {
            view.commitments = views::commitment_rows(lx, made, &commitments(rows_of(table, key, route, 0)?)?)?;
            with_pager(&view, pager)
        })?;
        return Ok(("plan.html", pages));
    }
    let (kind, mut view) = match key {
        Key::Area(a) => ("area", views::area_page(lx, site.areas.iter().find(|x| &x.id == a).context("unknown area")?)?),
        Key::Institution(i) => {
            ("institution", views::institution_page(lx, site.institutions.iter().find(|x| &x.id == i).context("unknown institution")?)?)
        }
        _ => return Err(anyhow!("{key:?} is not a list of commitments")),
    };
    let title = view.title.text.clone();
    let pages = paged(lx, key, routes, &title, |route, pager| {
        view.commitments = views::commitment_rows(lx, made, &commitments(rows_of(table, key, route, 0)?)?)?;
        if kind == "institution" {
            view.partner_in = views::commitment_rows(lx, made, &commitments(rows_of(table, key, route, 1)?)?)?;
        }
        template_value(&GroupData { kind, group: &view, pager })
    })?;
    Ok(("group.html", pages))
}

/// The printable reports of a plan and of an institution.
fn printed<'r>(lx: &Lx, table: &Routes, key: &Key, routes: &[&'r Route]) -> Result<(&'static str, Vec<PageData<'r>>)> {
    let site = lx.site;
    match key {
        Key::PlanReport(p) => {
            let plan = site.plans.iter().find(|x| &x.id == p).context("unknown plan")?;
            // Each page of the report reads its own commitments only: a plan of 500
            // commitments makes five pages, not one page of 1.1 MB.
            let mut view = history::plan_report(lx, plan)?;
            let title = format!("{} — {}", lx.t("plan_report"), view.title.text);
            let pages = paged(lx, key, routes, &title, |route, pager| {
                let rows = commitments(rows_of(table, key, route, 0)?)?;
                let in_plan: Vec<&Commitment> = rows.iter().filter_map(|at| plan.commitments.get(at.index)).collect();
                view.commitments = history::reported_commitments(lx, plan, &in_plan)?;
                with_pager(&view, pager)
            })?;
            Ok(("plan_report.html", pages))
        }
        Key::InstitutionReport(i) => {
            let institution = site.institutions.iter().find(|x| &x.id == i).context("unknown institution")?;
            let mut view = history::institution_report(lx, institution)?;
            let title = format!("{} — {}", lx.t("institution_report"), view.title.text);
            let pages = paged(lx, key, routes, &title, |route, pager| {
                view.plans = history::reported_by_plan(lx, &commitments(rows_of(table, key, route, 0)?)?)?;
                view.reports = report_views(lx, &rows_of(table, key, route, 1)?, 3)?;
                with_pager(&view, pager)
            })?;
            Ok(("institution_report.html", pages))
        }
        _ => Err(anyhow!("{key:?} is not a printed report")),
    }
}

/// The news and the latest reports: lists read newest first.
fn dated<'r>(lx: &Lx, table: &Routes, key: &Key, routes: &[&'r Route]) -> Result<(&'static str, Vec<PageData<'r>>)> {
    match key {
        Key::NewsList => {
            let pages = paged(lx, key, routes, &lx.t("news"), |route, pager| {
                let Rows::News(posts) = rows_of(table, key, route, 0)? else { return Err(anyhow!("expected a list of news")) };
                template_value(&NewsListData { news: news_items(lx, &posts), pager })
            })?;
            Ok(("news_list.html", pages))
        }
        Key::Updates => {
            let mut view = history::updates_page(lx);
            let pages = paged(lx, key, routes, &lx.t("updates"), |route, pager| {
                view.reports = report_views(lx, &rows_of(table, key, route, 0)?, 3)?;
                with_pager(&view, pager)
            })?;
            Ok(("updates.html", pages))
        }
        Key::Changes => {
            let listed = crate::routes::revisions_listed(lx.site, lx.facts);
            let mut view = super::changes::ChangesPage {
                intro: lx.strings.format("changes_intro", &[("date", &lx.as_of())]),
                note: super::changes::history_note(lx),
                revisions: Vec::new(),
            };
            let pages = paged(lx, key, routes, &lx.t("changes"), |route, pager| {
                let Rows::Revisions(rows) = rows_of(table, key, route, 0)? else { return Err(anyhow!("expected a list of revisions")) };
                view.revisions = rows
                    .iter()
                    .map(|row| {
                        let (plan, id, revision) = listed.get(*row).context("no revision at this position")?;
                        let (plan, c) = commitment_of(lx.site, plan, id)?;
                        Ok(super::changes::revision_view(lx, plan, c, revision))
                    })
                    .collect::<Result<_>>()?;
                with_pager(&view, pager)
            })?;
            Ok(("changes.html", pages))
        }
        _ => Err(anyhow!("{key:?} is not a dated list")),
    }
}

/// The views of the reports at `rows`.
fn report_views(lx: &Lx, rows: &Rows, heading_level: u8) -> Result<Vec<reports::ReportView>> {
    let Rows::Reports(rows) = rows else { return Err(anyhow!("expected a list of reports")) };
    rows.iter().map(|at| Ok(reports::report_view(lx, &report_at(lx.site, at)?, heading_level))).collect()
}

/// The report at a position of the routes table.
pub fn report_at<'s>(site: &'s Site, at: &ReportAt) -> Result<crate::derive::ReportRef<'s>> {
    let plan = site.plans.get(at.at.plan).context("no plan at this position")?;
    let commitment = plan.commitments.get(at.at.index).context("no commitment at this position")?;
    let updates = match at.activity {
        Some(i) => &commitment.activities.get(i).context("no activity at this position")?.updates,
        None => &commitment.updates,
    };
    let report = updates.get(at.index).context("no report at this position")?;
    Ok(crate::derive::ReportRef { plan, commitment, activity: at.activity, index: at.index, report })
}

/// The news posts named by (date, slug), each in the page's language or its fallback.
pub fn news_items(lx: &Lx, posts: &[(crate::model::Date, String)]) -> Vec<views::NewsItem> {
    let site = lx.site;
    posts
        .iter()
        .filter_map(|(date, slug)| {
            let variants: Vec<_> = site.news.iter().filter(|n| n.date == *date && &n.slug == slug).collect();
            pick_variant(&variants, |n| n.lang.as_str(), lx.lang, &lx.fallback).map(|p| views::news_item(lx, p))
        })
        .collect()
}

/// The open-data page: its introduction (the free page `open-data`), the table of
/// files and the `Dataset` description.
fn open_data(input: &RenderInput, lx: &Lx) -> (String, OpenDataData) {
    let site = input.site;
    let variants: Vec<_> = site.pages.iter().filter(|p| p.slug == OPEN_DATA_SLUG).collect();
    let intro = pick_variant(&variants, |p| p.lang.as_str(), lx.lang, &lx.fallback)
        .map(|p| views::document_page(lx, &p.lang, &p.title, &p.body, None, &[]));
    let title = intro.as_ref().map_or_else(|| lx.t("open_data"), |d| d.title.text.clone());
    let json_ld = crate::export::dataset_json_ld(input.site, input.facts, input.data_files, input.base_url, lx.lang);
    (title, OpenDataData { intro, files: data_file_rows(input, lx), json_ld })
}

/// The open-data page's table: each shared file, then the per-commitment files as one
/// row naming their URL pattern and how many there are (`index.json` lists each), so the
/// page stays small on a portal of ten thousand commitments.
fn data_file_rows(input: &RenderInput, lx: &Lx) -> Vec<FileRow> {
    let per_commitment: Vec<&crate::export::FileInfo> = input.data_files.iter().filter(|f| f.group == "commitment").collect();
    let total: usize = per_commitment.iter().map(|f| f.bytes).sum();
    let pattern = per_commitment.first().map(|first| FileRow {
        href: lx.href(&format!("{}index.json", urls::DATA_ROOT)),
        name: format!(
            "plans/PLAN/commitments/ID.json ({})",
            lx.strings.format("files_count", &[("n", &lx.strings.number(per_commitment.len() as f64, 0))])
        ),
        format: first.format.to_uppercase(),
        size: human_size(lx, total as u64),
        description: "file_commitment_json".to_string(),
    });
    input
        .data_files
        .iter()
        .filter(|f| f.group != "commitment")
        .map(|f| FileRow {
            href: lx.href(&f.path),
            name: f.name.clone(),
            format: if f.group == "schema" { "JSON Schema".to_string() } else { f.format.to_uppercase() },
            size: human_size(lx, f.bytes as u64),
            description: format!("file_{}", f.key),
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
