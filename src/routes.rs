//! One table of every output of the site, derived once from the model and its facts:
//! each HTML page of each kind, language, order and page number, and the files beside
//! them (root page, 404, sitemap, robots.txt, Atom feeds, search indexes, open data).
//!
//! The pages, the sitemap, hreflang alternates, the progress bar and the preview's
//! planner all read this table, so a page kind is declared once, here: its key, its
//! path and, for a list, its rows in each order. Lists are split into pages by one pager
//! (as Zola's `Pager`): `fr/plans/ID/` is page 1 in the list's own order, `page/2/` the
//! next one, `by-progress/` and `by-status/` the other orders with their own pages.
//!
//! Routes hold no views and no text: rows are positions in the model, which the views
//! read when a page is rendered.

use std::collections::BTreeMap;
use std::ops::Range;

use anyhow::{Context as _, Result};
use rayon::prelude::*;

use crate::derive::{self, Facts};
use crate::model::{Date, Site};
use crate::urls;

pub use crate::urls::OPEN_DATA_SLUG;

/// An order a list of commitments can be read in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Order {
    /// The list's own order: by number in a plan, plans newest first across plans.
    Number,
    /// Highest reported progress first; unreported last.
    Progress,
    /// What needs attention first (see [`derive::attention_rank`]).
    Status,
}

impl Order {
    /// The orders of commitment lists.
    pub const ALL: [Order; 3] = [Order::Number, Order::Progress, Order::Status];
    /// Lists read in one order only (news, reports: newest first).
    pub const ONLY: [Order; 1] = [Order::Number];

    /// The path segment of the order; the default order has none.
    fn segment(self) -> Option<&'static str> {
        match self {
            Order::Number => None,
            Order::Progress => Some("by-progress"),
            Order::Status => Some("by-status"),
        }
    }

    /// The UI string naming the order.
    pub fn label_key(self) -> &'static str {
        match self {
            Order::Number => "sort_number",
            Order::Progress => "sort_progress",
            Order::Status => "sort_status",
        }
    }
}

/// How many pages `len` rows take, `size` per page; an empty list still has its page.
pub fn page_count(len: usize, size: usize) -> usize {
    len.div_ceil(size.max(1)).max(1)
}

/// The path of page `number` (from 1) of the list whose first page is `base`, in `order`.
pub fn page_path(base: &str, order: Order, number: usize) -> String {
    let base = match order.segment() {
        Some(segment) => format!("{base}{segment}/"),
        None => base.to_string(),
    };
    if number <= 1 { base } else { format!("{base}page/{number}/") }
}

/// The rows a printed report puts on one page: many more than a list's, since it is
/// read on paper and the real portal's plans should print whole, yet bounded, since a
/// report section is about 2.2 kB of HTML per commitment (10k corpus) and a page stays
/// under 300 kB.
pub const REPORT_PAGE_SIZE: usize = 100;

/// The rows of page `index` (from 0), `size` per page.
pub fn rows_of_page(index: usize, size: usize) -> Range<usize> {
    let size = size.max(1);
    index * size..(index + 1) * size
}

/// A page of the site, the same in every language. Entities are named by ID so a key
/// stays meaningful when the site changes under `serve`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Key {
    Dashboard,
    Plan(String),
    /// (plan ID, commitment ID)
    Commitment(String, String),
    Area(String),
    Institution(String),
    /// An institution's printable accountability report.
    InstitutionReport(String),
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
    /// The revisions of the commitments' official text, from the content's history.
    Changes,
}

impl Key {
    /// The path of the page (of a list, its first page) in `lang`, without `index.html`.
    pub fn path(&self, lang: &str) -> String {
        match self {
            Key::Dashboard => urls::home(lang),
            Key::Plan(p) => urls::plan(lang, p),
            Key::Commitment(p, c) => urls::commitment(lang, p, c),
            Key::Area(a) => urls::area(lang, a),
            Key::Institution(i) => urls::institution(lang, i),
            Key::InstitutionReport(i) => urls::institution_report(lang, i),
            Key::NewsList => urls::news_list(lang),
            Key::NewsPost(key) => urls::news_key(lang, key),
            Key::Page(slug) => urls::page(lang, slug),
            Key::OpenData => urls::open_data(lang),
            Key::Search => urls::search(lang),
            Key::PlanReport(p) => urls::plan_report(lang, p),
            Key::Updates => urls::updates(lang),
            Key::Changes => urls::changes(lang),
        }
    }
}

/// What a route is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    /// An HTML page at `PATH/index.html`.
    Page(Key),
    /// `index.html`: the default language's dashboard.
    Root,
    /// `404.html`, in every language at once.
    NotFound,
    Sitemap,
    Robots,
    /// A language's Atom feed of news and progress reports.
    Atom,
    /// One plan's Atom feed (plan ID).
    PlanAtom(String),
    /// One commitment's Atom feed (plan ID, commitment ID).
    CommitmentAtom(String, String),
    /// A language's search index (its manifest and the files it names).
    SearchIndex,
    /// The open-data feeds under `data/v1/`.
    Feeds,
}

/// Which page of a list a route is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paging {
    pub order: Order,
    /// The position of `order` in the list's orders.
    pub order_index: usize,
    /// The list's orders, for the order switch.
    pub orders: &'static [Order],
    /// From 1.
    pub number: usize,
    pub count: usize,
    /// The rows this page shows (clipped to each section's length by [`List::page`]).
    pub rows: Range<usize>,
}

/// One output of the site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Route {
    /// Relative to the site root; a page's ends with `/` (written as `PATH/index.html`).
    pub path: String,
    /// The route's language; empty for files of the whole site (sitemap, robots.txt,
    /// 404, feeds).
    pub lang: String,
    pub kind: Kind,
    /// For a page of a list: which one.
    pub page: Option<Paging>,
}

impl Route {
    /// The key of an HTML page.
    pub fn key(&self) -> Option<&Key> {
        match &self.kind {
            Kind::Page(key) => Some(key),
            _ => None,
        }
    }

    /// The file the route writes (`index.html` under a page's folder).
    pub fn file(&self) -> String {
        match self.kind {
            Kind::Page(_) => format!("{}index.html", self.path),
            _ => self.path.clone(),
        }
    }
}

/// A commitment by position: `site.plans[plan].commitments[index]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct At {
    pub plan: usize,
    pub index: usize,
}

/// A report in effect by position (see [`derive::ReportRef`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReportAt {
    pub at: At,
    pub activity: Option<usize>,
    pub index: usize,
}

/// The rows of a list in one order.
#[derive(Debug, Clone, PartialEq)]
pub enum Rows {
    Commitments(Vec<At>),
    /// News posts by (date, slug), newest first.
    News(Vec<(Date, String)>),
    Reports(Vec<ReportAt>),
    /// Revisions by position in [`revisions_listed`], newest first.
    Revisions(Vec<usize>),
}

impl Rows {
    fn len(&self) -> usize {
        match self {
            Rows::Commitments(rows) => rows.len(),
            Rows::News(rows) => rows.len(),
            Rows::Reports(rows) => rows.len(),
            Rows::Revisions(rows) => rows.len(),
        }
    }
}

/// A list page's rows, sorted once per order.
#[derive(Debug, Clone, PartialEq)]
pub struct List {
    pub orders: &'static [Order],
    /// Rows per page.
    pub size: usize,
    /// Each section's rows in each order (`sections[s][o]` in `orders[o]`): an
    /// institution's page lists the commitments it leads and those it is a partner in,
    /// side by side, page by page.
    pub sections: Vec<Vec<Rows>>,
}

impl List {
    /// The longest section's length: the pages hold it.
    fn len(&self) -> usize {
        self.sections.iter().filter_map(|orders| orders.first()).map(Rows::len).max().unwrap_or(0)
    }

    pub fn page_count(&self) -> usize {
        page_count(self.len(), self.size)
    }

    /// The rows of section `section` that the page `paging` shows.
    pub fn page(&self, section: usize, paging: &Paging) -> Rows {
        let Some(rows) = self.sections.get(section).and_then(|orders| orders.get(paging.order_index)) else {
            return Rows::Commitments(Vec::new());
        };
        let clip = |len: usize| paging.rows.start.min(len)..paging.rows.end.min(len);
        match rows {
            Rows::Commitments(rows) => Rows::Commitments(rows[clip(rows.len())].to_vec()),
            Rows::News(rows) => Rows::News(rows[clip(rows.len())].to_vec()),
            Rows::Reports(rows) => Rows::Reports(rows[clip(rows.len())].to_vec()),
            Rows::Revisions(rows) => Rows::Revisions(rows[clip(rows.len())].to_vec()),
        }
    }
}

/// Every output of the site, in a stable order: the pages key by key (each key's
/// languages, then orders, then pages), then the files beside them.
#[derive(Debug, Clone, Default)]
pub struct Routes {
    routes: Vec<Route>,
    /// Where each key's routes are in `routes`.
    by_key: BTreeMap<Key, Range<usize>>,
    lists: BTreeMap<Key, List>,
    languages: Vec<String>,
    /// The distinct news posts, newest first (see [`news_posts`]).
    news: Vec<(Date, String)>,
}

impl Routes {
    /// The table of a site; a commitment without derived facts (a bug) is an error.
    pub fn build(site: &Site, facts: &Facts) -> Result<Routes> {
        let mut table = Routes::pages_for(site, facts, |_| true)?;
        table.push_site_files(site);
        Ok(table)
    }

    /// The table of the pages whose key `wanted` keeps, without the site's files:
    /// `serve` renders an edited sheet and its plan's list from such a table at once,
    /// and builds the whole table after. On the 10k corpus this takes 8 ms; the site's
    /// files (an Atom feed per commitment and language) would add 13 ms to every edit.
    pub fn pages_for(site: &Site, facts: &Facts, wanted: impl Fn(&Key) -> bool) -> Result<Routes> {
        let news = news_posts(site);
        let keys: Vec<Key> = keys(site, &news).into_iter().filter(|key| wanted(key)).collect();
        let lists = Lists::new(site, facts, &news, &keys)?;
        let mut table = Routes { languages: site.config.languages.clone(), news: news.clone(), ..Routes::default() };
        // Each list's rows are sorted on their own: one core each.
        let all_lists: Vec<Option<List>> = keys.par_iter().map(|key| lists.of(key)).collect::<Result<_>>()?;
        for (key, list) in keys.into_iter().zip(all_lists) {
            let start = table.routes.len();
            for lang in &site.config.languages {
                table.push_pages(&key, lang, list.as_ref());
            }
            table.by_key.insert(key.clone(), start..table.routes.len());
            if let Some(list) = list {
                table.lists.insert(key, list);
            }
        }
        Ok(table)
    }

    fn push_pages(&mut self, key: &Key, lang: &str, list: Option<&List>) {
        let base = key.path(lang);
        let page = |path: String, page: Option<Paging>| Route { path, lang: lang.to_string(), kind: Kind::Page(key.clone()), page };
        let Some(list) = list else {
            self.routes.push(page(base, None));
            return;
        };
        let count = list.page_count();
        for (order_index, order) in list.orders.iter().enumerate() {
            for number in 1..=count {
                let paging =
                    Paging { order: *order, order_index, orders: list.orders, number, count, rows: rows_of_page(number - 1, list.size) };
                self.routes.push(page(page_path(&base, *order, number), Some(paging)));
            }
        }
    }

    fn push_site_files(&mut self, site: &Site) {
        let file = |path: String, lang: &str, kind: Kind| Route { path, lang: lang.to_string(), kind, page: None };
        let default = site.config.default_language();
        self.routes.push(file("index.html".into(), default, Kind::Root));
        self.routes.push(file("404.html".into(), "", Kind::NotFound));
        self.routes.push(file("sitemap.xml".into(), "", Kind::Sitemap));
        self.routes.push(file("robots.txt".into(), "", Kind::Robots));
        for lang in &site.config.languages {
            self.routes.push(file(urls::atom(lang), lang, Kind::Atom));
        }
        for lang in &site.config.languages {
            for plan in &site.plans {
                self.routes.push(file(urls::plan_atom(lang, &plan.id), lang, Kind::PlanAtom(plan.id.clone())));
                for c in &plan.commitments {
                    let kind = Kind::CommitmentAtom(plan.id.clone(), c.id.clone());
                    self.routes.push(file(urls::commitment_atom(lang, &plan.id, &c.id), lang, kind));
                }
            }
        }
        for lang in &site.config.languages {
            self.routes.push(file(urls::search_manifest(lang), lang, Kind::SearchIndex));
        }
        self.routes.push(file(urls::DATA_ROOT.into(), "", Kind::Feeds));
    }

    pub fn all(&self) -> &[Route] {
        &self.routes
    }

    /// The HTML pages, key by key.
    pub fn pages(&self) -> impl Iterator<Item = &Route> {
        self.routes.iter().filter(|r| r.key().is_some())
    }

    /// The routes of `key`, in every language; none for a key the site does not have.
    pub fn of(&self, key: &Key) -> &[Route] {
        self.by_key.get(key).map_or(&[], |range| &self.routes[range.clone()])
    }

    /// The rows of a list page's key.
    pub fn list(&self, key: &Key) -> Option<&List> {
        self.lists.get(key)
    }

    /// The same page (same key, order and number) in each language, the route's own
    /// included, in the site's language order.
    pub fn alternates<'r>(&'r self, route: &Route) -> Vec<&'r Route> {
        let Some(key) = route.key() else { return Vec::new() };
        let routes = self.of(key);
        let per_language = (routes.len() / self.languages.len().max(1)).max(1);
        // A key's routes are its languages in turn, each its orders in turn, each its
        // pages: the page's place among its language's routes follows from its paging.
        let slot = route.page.as_ref().map_or(0, |p| p.order_index * p.count + p.number - 1);
        routes.iter().skip(slot).step_by(per_language).collect()
    }

    /// The distinct news posts by (date, slug), newest first.
    pub fn news(&self) -> &[(Date, String)] {
        &self.news
    }

    /// Every file path the table writes pages to (`…/index.html`).
    pub fn page_files(&self) -> std::collections::BTreeSet<String> {
        self.pages().map(Route::file).collect()
    }
}

/// Every page key of the site, in the order of the site.
fn keys(site: &Site, news: &[(Date, String)]) -> Vec<Key> {
    let mut keys = vec![Key::Dashboard, Key::NewsList, Key::Search, Key::OpenData, Key::Updates, Key::Changes];
    for plan in &site.plans {
        keys.push(Key::Plan(plan.id.clone()));
        keys.push(Key::PlanReport(plan.id.clone()));
        keys.extend(plan.commitments.iter().map(|c| Key::Commitment(plan.id.clone(), c.id.clone())));
    }
    keys.extend(site.areas.iter().map(|a| Key::Area(a.id.clone())));
    for institution in &site.institutions {
        keys.push(Key::Institution(institution.id.clone()));
        keys.push(Key::InstitutionReport(institution.id.clone()));
    }
    keys.extend(news.iter().map(|(date, slug)| Key::NewsPost(format!("{date}-{slug}"))));
    // Pages by order; translations may differ in order: each slug once, where it first
    // appears.
    let mut seen = std::collections::BTreeSet::new();
    for page in &site.pages {
        if page.slug != OPEN_DATA_SLUG && seen.insert(page.slug.as_str()) {
            keys.push(Key::Page(page.slug.clone()));
        }
    }
    keys
}

/// The distinct news posts (each in one or more languages) by (date, slug), in the
/// news order: newest first.
pub fn news_posts(site: &Site) -> Vec<(Date, String)> {
    let mut posts: Vec<&crate::model::NewsPost> = site.news.iter().collect();
    posts.sort_by(|a, b| a.order_key().cmp(&b.order_key()));
    let mut keys: Vec<(Date, String)> = posts.into_iter().map(|n| (n.date, n.slug.clone())).collect();
    keys.dedup();
    keys
}

/// What the lists are built from, gathered in one pass over the commitments: `serve`
/// builds the table again after every edit (10k corpus: a few ms this way, ~70 ms when
/// each list scanned every commitment and looked up its facts again).
struct Lists<'s> {
    site: &'s Site,
    /// Every commitment's position, plans newest first (the order of lists that span
    /// plans), with its sort keys: its figure and its attention rank.
    across_plans: Vec<(At, Option<f64>, u8)>,
    /// Positions in `across_plans` of the commitments in each area, led by each
    /// institution, and with each institution as a partner.
    by_area: BTreeMap<&'s str, Vec<usize>>,
    by_lead: BTreeMap<&'s str, Vec<usize>>,
    by_partner: BTreeMap<&'s str, Vec<usize>>,
    /// The reports in effect, newest first, each with the institution that filed it.
    reports: Vec<(ReportAt, &'s str)>,
    news: &'s [(Date, String)],
    facts: &'s Facts,
    size: usize,
}

impl<'s> Lists<'s> {
    /// What the lists of `keys` need: the commitments' positions and sort keys when
    /// one of them lists commitments, the reports in effect when one lists reports.
    fn new(site: &'s Site, facts: &'s Facts, news: &'s [(Date, String)], keys: &[Key]) -> Result<Lists<'s>> {
        let position: BTreeMap<&str, usize> = site.plans.iter().enumerate().map(|(i, p)| (p.id.as_str(), i)).collect();
        let mut lists = Lists {
            site,
            across_plans: Vec::new(),
            by_area: BTreeMap::new(),
            by_lead: BTreeMap::new(),
            by_partner: BTreeMap::new(),
            reports: Vec::new(),
            news,
            facts,
            size: site.config.page_size(),
        };
        let lists_commitments = keys
            .iter()
            .any(|k| matches!(k, Key::Plan(_) | Key::PlanReport(_) | Key::Area(_) | Key::Institution(_) | Key::InstitutionReport(_)));
        let lists_reports = keys.iter().any(|k| matches!(k, Key::Updates | Key::InstitutionReport(_)));
        // Only an area's or an institution's list needs the commitments by area, lead
        // and partner (an edit's first table, a plan's list alone, skips them).
        let lists_groups = keys.iter().any(|k| matches!(k, Key::Area(_) | Key::Institution(_) | Key::InstitutionReport(_)));
        if !lists_commitments && !lists_reports {
            return Ok(lists);
        }
        for p in site.plans_newest_first() {
            let plan = position[p.id.as_str()];
            for (index, c) in p.commitments.iter().enumerate() {
                let facts = facts.commitment(&p.id, &c.id).with_context(|| format!("no derived facts for commitment {}/{}", p.id, c.id))?;
                let row = lists.across_plans.len();
                lists.across_plans.push((At { plan, index }, facts.progress, derive::attention_rank(facts.status)));
                if !lists_groups {
                    continue;
                }
                lists.by_area.entry(&c.area.id).or_default().push(row);
                lists.by_lead.entry(&c.lead.id).or_default().push(row);
                let mut partners: Vec<&str> = c.partner_ids().collect();
                partners.sort_unstable();
                partners.dedup();
                for partner in partners {
                    lists.by_partner.entry(partner).or_default().push(row);
                }
            }
        }
        if lists_reports {
            lists.reports = lists.reports_in_effect(facts);
        }
        Ok(lists)
    }

    /// The rows of `key`'s list; `None` for a page that is not a list.
    fn of(&self, key: &Key) -> Result<Option<List>> {
        let list = |orders: &'static [Order], size: usize, sections: Vec<Vec<Rows>>| Ok(Some(List { orders, size, sections }));
        let rows_of = |map: &BTreeMap<&str, Vec<usize>>, id: &str| map.get(id).cloned().unwrap_or_default();
        match key {
            Key::Plan(p) => list(&Order::ALL, self.size, vec![self.in_each_order(self.of_plan(p)?)]),
            Key::Area(a) => list(&Order::ALL, self.size, vec![self.in_each_order(rows_of(&self.by_area, a))]),
            Key::Institution(i) => {
                let (led, partner) = (rows_of(&self.by_lead, i), rows_of(&self.by_partner, i));
                list(&Order::ALL, self.size, vec![self.in_each_order(led), self.in_each_order(partner)])
            }
            Key::InstitutionReport(i) => {
                // Its page's commitments, led or as a partner, in the lists' own order.
                let mut own = rows_of(&self.by_lead, i);
                own.extend(rows_of(&self.by_partner, i));
                own.sort_unstable();
                own.dedup();
                let filed = self.reports.iter().filter(|(_, by)| by == i).map(|(at, _)| *at).collect();
                list(&Order::ONLY, report_page_size(self.size), vec![vec![self.positions(&own)], vec![Rows::Reports(filed)]])
            }
            Key::PlanReport(p) => list(&Order::ONLY, report_page_size(self.size), vec![vec![self.positions(&self.of_plan(p)?)]]),
            Key::NewsList => list(&Order::ONLY, self.size, vec![vec![Rows::News(self.news.to_vec())]]),
            Key::Updates => list(&Order::ONLY, self.size, vec![vec![Rows::Reports(self.reports.iter().map(|(at, _)| *at).collect())]]),
            Key::Changes => {
                let count = revisions_listed(self.site, self.facts).len();
                list(&Order::ONLY, self.size, vec![vec![Rows::Revisions((0..count).collect())]])
            }
            _ => Ok(None),
        }
    }

    /// A plan's commitments in its own order, as rows of `across_plans`.
    fn of_plan(&self, id: &str) -> Result<Vec<usize>> {
        let plan = self.site.plans.iter().position(|x| x.id == id).with_context(|| format!("no plan {id}"))?;
        Ok(self.across_plans.iter().enumerate().filter(|(_, (at, ..))| at.plan == plan).map(|(row, _)| row).collect())
    }

    fn positions(&self, rows: &[usize]) -> Rows {
        Rows::Commitments(rows.iter().map(|row| self.across_plans[*row].0).collect())
    }

    /// Rows given in the list's own order, in each of [`Order::ALL`]; the sorts are
    /// stable, so ties keep the list's own order.
    fn in_each_order(&self, rows: Vec<usize>) -> Vec<Rows> {
        let mut by_progress = rows.clone();
        by_progress.sort_by(|a, b| derive::by_progress(self.across_plans[*a].1, self.across_plans[*b].1));
        let mut by_status = rows.clone();
        by_status.sort_by_key(|row| self.across_plans[*row].2);
        vec![self.positions(&rows), self.positions(&by_progress), self.positions(&by_status)]
    }

    /// The reports in effect, in the order of [`derive::reports_in_effect`], with who
    /// filed each (the commitment's lead when the report does not say).
    fn reports_in_effect(&self, facts: &Facts) -> Vec<(ReportAt, &'s str)> {
        let position: BTreeMap<(&str, &str), At> = self
            .across_plans
            .iter()
            .map(|(at, ..)| {
                let c = &self.site.plans[at.plan].commitments[at.index];
                ((c.plan.as_str(), c.id.as_str()), *at)
            })
            .collect();
        derive::reports_in_effect(self.site, facts)
            .iter()
            .filter_map(|r| {
                let at = *position.get(&(r.plan.id.as_str(), r.commitment.id.as_str()))?;
                let by = r.report.by.as_ref().unwrap_or(&r.commitment.lead).id.as_str();
                Some((ReportAt { at, activity: r.activity, index: r.index }, by))
            })
            .collect()
    }
}

/// The revisions the changes page lists, newest first: those of the sheets the site has
/// (the history may know a sheet that no longer loads, or not yet committed ones).
pub fn revisions_listed<'f>(site: &Site, facts: &'f Facts) -> Vec<(&'f str, &'f str, &'f crate::revisions::Revision)> {
    let sheets: std::collections::BTreeSet<(&str, &str)> =
        site.plans.iter().flat_map(|p| p.commitments.iter().map(|c| (p.id.as_str(), c.id.as_str()))).collect();
    facts.history.newest_first().into_iter().filter(|(plan, id, _)| sheets.contains(&(*plan, *id))).collect()
}

/// The report's page size for a site whose lists show `list_size` rows per page.
pub fn report_page_size(list_size: usize) -> usize {
    REPORT_PAGE_SIZE.max(list_size)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::blank::{self, r};
    use crate::model::*;

    #[test]
    fn pages_and_paths() {
        assert_eq!(page_count(0, 50), 1);
        assert_eq!(page_count(50, 50), 1);
        assert_eq!(page_count(51, 50), 2);
        assert_eq!(page_path("fr/plans/p/", Order::Number, 1), "fr/plans/p/");
        assert_eq!(page_path("fr/plans/p/", Order::Number, 2), "fr/plans/p/page/2/");
        assert_eq!(page_path("fr/plans/p/", Order::Progress, 1), "fr/plans/p/by-progress/");
        assert_eq!(page_path("fr/plans/p/", Order::Status, 3), "fr/plans/p/by-status/page/3/");
        assert_eq!(rows_of_page(1, 2), 2..4);
    }

    /// A commitment numbered `number` with an undated figure (or none).
    fn commitment(number: u32, lead: &str, progress: Option<f64>) -> Commitment {
        Commitment { progress, ..blank::commitment("p", &format!("c{number}"), number, "a", lead) }
    }

    /// A plan of `n` commitments, every third unreported, the others at 10 % per number
    /// modulo 50 (so figures tie), with a page size of 2.
    fn site(n: u32) -> Site {
        let date = Date::parse("2024-01").unwrap();
        let commitments =
            (1..=n).map(|i| commitment(i, if i % 2 == 0 { "i1" } else { "i2" }, (i % 3 != 0).then(|| f64::from(i * 10 % 50)))).collect();
        let mut site = Site {
            areas: vec![Area { id: "a".into(), title: Text::default(), description: None, order: 0 }],
            institutions: ["i1", "i2"]
                .iter()
                .map(|id| Institution {
                    id: id.to_string(),
                    name: Text::default(),
                    acronym: None,
                    kind: InstitutionKind::Government,
                    url: None,
                })
                .collect(),
            plans: vec![Plan {
                id: "p".into(),
                title: Text::default(),
                summary: None,
                owner: r("i1"),
                start: date,
                end: Date::parse("2026-12").unwrap(),
                status: PlanStatus::Active,
                commitments,
            }],
            ..Site::default()
        };
        site.config.languages = vec!["ar".into(), "fr".into()];
        site.config.page_size = Some(2);
        site
    }

    fn table(site: &Site) -> Routes {
        let facts = derive::derive(site, chrono::NaiveDate::from_ymd_opt(2025, 1, 1).unwrap());
        Routes::build(site, &facts).unwrap()
    }

    fn numbers(site: &Site, rows: &Rows) -> Vec<u32> {
        let Rows::Commitments(rows) = rows else { panic!("not commitments") };
        rows.iter().map(|at| site.plans[at.plan].commitments[at.index].number).collect()
    }

    #[test]
    fn a_list_has_a_page_per_order_and_rows_page_and_its_rows_in_each_order() {
        let site = site(5);
        let table = table(&site);
        let plan: Vec<&str> = table.of(&Key::Plan("p".into())).iter().filter(|r| r.lang == "fr").map(|r| r.path.as_str()).collect();
        assert_eq!(
            plan,
            [
                "fr/plans/p/",
                "fr/plans/p/page/2/",
                "fr/plans/p/page/3/",
                "fr/plans/p/by-progress/",
                "fr/plans/p/by-progress/page/2/",
                "fr/plans/p/by-progress/page/3/",
                "fr/plans/p/by-status/",
                "fr/plans/p/by-status/page/2/",
                "fr/plans/p/by-status/page/3/"
            ]
        );
        let list = table.list(&Key::Plan("p".into())).unwrap();
        // Figures: 1 → 10, 2 → 20, 3 → none, 4 → 40, 5 → 0. Highest first, unreported
        // last; ties keep the plan's order.
        assert_eq!(numbers(&site, &list.sections[0][0]), [1, 2, 3, 4, 5]);
        assert_eq!(numbers(&site, &list.sections[0][1]), [4, 2, 1, 5, 3]);
        let third = table.of(&Key::Plan("p".into())).iter().find(|r| r.path == "fr/plans/p/by-progress/page/3/").unwrap();
        assert_eq!(numbers(&site, &list.page(0, third.page.as_ref().unwrap())), [3], "the last page holds what is left");
    }

    #[test]
    fn every_page_has_its_twin_in_each_language_and_every_alternate_is_a_page() {
        let site = site(7);
        let table = table(&site);
        let pages = table.page_files();
        for route in table.pages() {
            let alternates = table.alternates(route);
            assert_eq!(alternates.iter().map(|r| r.lang.as_str()).collect::<Vec<_>>(), ["ar", "fr"], "{}", route.path);
            assert!(alternates.iter().any(|r| r.path == route.path));
            for alternate in alternates {
                assert!(pages.contains(&alternate.file()));
                assert_eq!(alternate.key(), route.key());
                assert_eq!(alternate.page.as_ref().map(|p| (p.order, p.number)), route.page.as_ref().map(|p| (p.order, p.number)));
                assert_eq!(alternate.path.replacen(&alternate.lang, "", 1), route.path.replacen(&route.lang, "", 1));
            }
        }
    }

    #[test]
    fn an_institution_lists_what_it_leads_and_partners_in_and_its_report_both() {
        let mut site = site(4);
        site.plans[0].commitments[0].partners.push(r("i1"));
        let table = table(&site);
        let list = table.list(&Key::Institution("i1".into())).unwrap();
        assert_eq!(numbers(&site, &list.sections[0][0]), [2, 4], "led");
        assert_eq!(numbers(&site, &list.sections[1][0]), [1], "partner");
        let report = table.list(&Key::InstitutionReport("i1".into())).unwrap();
        assert_eq!(numbers(&site, &report.sections[0][0]), [1, 2, 4]);
        assert_eq!(report.page_count(), 1, "a report page holds 100 commitments");
    }

    #[test]
    fn an_institution_report_lists_the_reports_it_filed_newest_first() {
        let mut site = site(4);
        let report = |on: &str, by: Option<&str>| Report {
            date: Date::parse(on).unwrap(),
            pos: Pos::default(),
            progress: 10.0,
            by: by.map(r),
            note: None,
            evidence: vec![],
        };
        // Commitment 1 is led by i2, commitment 2 by i1: i1 filed its own sheet's
        // report and one on commitment 1.
        site.plans[0].commitments[0].progress = None;
        site.plans[0].commitments[0].updates = vec![report("2024-03", Some("i1")), report("2024-05", None)];
        site.plans[0].commitments[1].progress = None;
        site.plans[0].commitments[1].updates = vec![report("2024-04", None)];
        let table = table(&site);
        let filed = |institution: &str| -> Vec<(usize, usize)> {
            let list = table.list(&Key::InstitutionReport(institution.into())).unwrap();
            let Rows::Reports(reports) = &list.sections[1][0] else { panic!("not reports") };
            reports.iter().map(|r| (r.at.index, r.index)).collect()
        };
        assert_eq!(filed("i1"), [(1, 0), (0, 0)], "April's on its own sheet, then March's on commitment 1");
        assert_eq!(filed("i2"), [(0, 1)], "the lead files what a report does not attribute");
    }

    #[test]
    fn a_commitment_without_facts_is_an_error_not_a_default() {
        let site = site(3);
        let facts = derive::derive(&Site { plans: vec![], ..site.clone() }, chrono::NaiveDate::from_ymd_opt(2025, 1, 1).unwrap());
        let err = Routes::build(&site, &facts).unwrap_err();
        assert!(err.to_string().contains("no derived facts for commitment p/c1"), "{err}");
    }
}
