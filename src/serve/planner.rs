//! The incremental planner: which pages and side files a change touches. A pure
//! function of the change and the site before and after it, so it is unit-tested.

use std::collections::BTreeSet;

use crate::model::{Commitment, Site};
use crate::render::Job;

/// What changed, as the watcher and the loader saw it.
#[derive(Debug, Clone)]
pub enum Change {
    /// A commitment sheet was edited, created (`before` is `None`) or deleted (`after` is `None`).
    Commitment { plan: String, id: String, before: Option<Commitment>, after: Option<Commitment> },
    /// A free page in one language; `menu_changed` when it appeared, vanished, or changed
    /// its title or order, which the menu on every page shows.
    Page { slug: String, menu_changed: bool },
    /// A news post in one language; `listed_changed` when the post appeared, vanished or
    /// changed its title or summary, which the lists show.
    News { key: String },
    /// A file of the site's own `static/` folder.
    Static,
    /// Anything else (site.yaml, areas, institutions, plans, the theme): rebuild all.
    Everything,
}

/// What to redo for a set of changes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Plan {
    /// Rebuild everything from scratch.
    pub everything: bool,
    /// Pages to render, in every language.
    pub jobs: BTreeSet<Job>,
    /// Pages that no longer exist and must be removed.
    pub removed: BTreeSet<Job>,
    /// The root page (the default language's dashboard).
    pub root: bool,
    /// The sitemap lists every page.
    pub sitemap: bool,
    /// Atom feeds (news and plan progress).
    pub atom: bool,
    /// The open-data feeds and search indexes.
    pub data: bool,
    /// Copy the site's `static/` folder again.
    pub statics: bool,
    /// Lists already rendered in their own order whose other orders are still to render.
    pub other_orders: Vec<Job>,
}

/// Plans the work for `changes`, given the site after they were applied.
pub fn plan(changes: &[Change], site: &Site) -> Plan {
    let mut plan = Plan::default();
    for change in changes {
        match change {
            Change::Everything => plan.everything = true,
            Change::Static => plan.statics = true,
            Change::Commitment { plan: plan_id, id, before, after } => {
                commitment(&mut plan, site, plan_id, id, before.as_ref(), after.as_ref())
            }
            Change::Page { slug, menu_changed } => {
                let exists = site.pages.iter().any(|p| &p.slug == slug);
                if slug == crate::render::OPEN_DATA_SLUG {
                    // That page's text introduces the open-data page; it is not in the menu.
                    plan.jobs.insert(Job::OpenData);
                } else {
                    if *menu_changed {
                        // The menu on every page lists the free pages by title.
                        plan.jobs.extend(crate::render::jobs(site));
                        plan.root = true;
                        plan.sitemap = true;
                    }
                    if exists {
                        plan.jobs.insert(Job::Page(slug.clone()));
                    } else {
                        // Its last language is gone.
                        plan.removed.insert(Job::Page(slug.clone()));
                        plan.sitemap = true;
                    }
                }
                plan.data = true;
            }
            Change::News { key } => {
                let exists = site.news.iter().any(|n| crate::render::news_key(&n.date, &n.slug) == *key);
                if exists {
                    plan.jobs.insert(Job::NewsPost(key.clone()));
                } else {
                    plan.removed.insert(Job::NewsPost(key.clone()));
                }
                plan.jobs.insert(Job::NewsList);
                plan.jobs.insert(Job::Dashboard);
                plan.root = true;
                plan.sitemap = true;
                plan.atom = true;
                plan.data = true;
            }
        }
    }
    if plan.everything {
        return Plan { everything: true, ..Plan::default() };
    }
    if plan.data {
        // The open-data page lists each feed file with its size.
        plan.jobs.insert(Job::OpenData);
    }
    plan
}

/// A commitment edit touches its own page, its plan and the plan's report, the latest
/// reports, the areas and institutions it is (or was) listed under, the dashboards, the
/// news that cite it, and every feed.
fn commitment(plan: &mut Plan, site: &Site, plan_id: &str, id: &str, before: Option<&Commitment>, after: Option<&Commitment>) {
    let job = Job::Commitment(plan_id.to_string(), id.to_string());
    if after.is_some() {
        plan.jobs.insert(job);
    } else {
        plan.removed.insert(job);
    }
    if before.is_none() || after.is_none() {
        plan.sitemap = true;
    }
    plan.jobs.insert(Job::Plan(plan_id.to_string()));
    // Its plan's printable report and the latest-reports page show its figures.
    plan.jobs.insert(Job::PlanReport(plan_id.to_string()));
    plan.jobs.insert(Job::Updates);
    plan.jobs.insert(Job::Dashboard);
    plan.root = true;
    plan.atom = true;
    plan.data = true;
    for c in before.into_iter().chain(after) {
        plan.jobs.insert(Job::Area(c.area.id.clone()));
        let institutions = std::iter::once(&c.lead)
            .chain(&c.partners)
            .chain(c.activities.iter().flat_map(|a| &a.partners))
            .chain(c.assessments.iter().map(|a| &a.by));
        plan.jobs.extend(institutions.map(|r| Job::Institution(r.id.clone())));
    }
    let reference = format!("{plan_id}/{id}");
    for post in site.news.iter().filter(|n| n.related.iter().any(|r| r.id == reference)) {
        plan.jobs.insert(Job::NewsPost(crate::render::news_key(&post.date, &post.slug)));
    }
    // Only entities that exist have pages; a reference to an unknown one is an error
    // the banner shows.
    plan.jobs.retain(|job| match job {
        Job::Area(a) => site.areas.iter().any(|x| &x.id == a),
        Job::Institution(i) => site.institutions.iter().any(|x| &x.id == i),
        Job::Plan(p) => site.plans.iter().any(|x| &x.id == p),
        _ => true,
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::*;

    fn r(id: &str) -> Ref {
        Ref { id: id.into(), pos: Pos::default() }
    }

    fn text() -> Text {
        Text::default()
    }

    fn commitment(id: &str, area: &str, lead: &str, partners: &[&str]) -> Commitment {
        Commitment {
            id: id.into(),
            plan: "p".into(),
            source: String::new(),
            number: 1,
            number_pos: Pos::default(),
            title: text(),
            area: r(area),
            lead: r(lead),
            partners: partners.iter().map(|p| r(p)).collect(),
            ogp_values: vec![],
            problem: None,
            solution: None,
            results: None,
            notes: None,
            progress: Some(10.0),
            updates: vec![],
            activities: vec![],
            indicators: vec![],
            participation: vec![],
            assessments: vec![],
        }
    }

    fn site() -> Site {
        let area = |id: &str| Area { id: id.into(), title: text(), description: None, order: 0 };
        let inst = |id: &str| Institution { id: id.into(), name: text(), acronym: None, kind: InstitutionKind::Government, url: None };
        let date = Date::parse("2024-01").unwrap();
        Site {
            areas: vec![area("a1"), area("a2")],
            institutions: vec![inst("i1"), inst("i2"), inst("i3")],
            plans: vec![crate::model::Plan {
                id: "p".into(),
                title: text(),
                summary: None,
                owner: r("i1"),
                start: date,
                end: date,
                status: PlanStatus::Active,
                commitments: vec![commitment("c", "a2", "i2", &[])],
            }],
            news: vec![NewsPost {
                date: Date::parse("2024-01-02").unwrap(),
                slug: "n".into(),
                lang: "fr".into(),
                source: String::new(),
                title: "t".into(),
                summary: None,
                related: vec![r("p/c")],
                body: String::new(),
            }],
            pages: vec![Page {
                slug: "about".into(),
                lang: "fr".into(),
                source: String::new(),
                title: "À propos".into(),
                order: 1,
                body: String::new(),
            }],
            ..Site::default()
        }
    }

    #[test]
    fn a_commitment_edit_touches_its_neighbourhood_only() {
        let site = site();
        let before = commitment("c", "a1", "i1", &["i3"]);
        let after = commitment("c", "a2", "i2", &[]);
        let plan = plan(&[Change::Commitment { plan: "p".into(), id: "c".into(), before: Some(before), after: Some(after) }], &site);
        let expected: BTreeSet<Job> = [
            Job::Commitment("p".into(), "c".into()),
            Job::Plan("p".into()),
            Job::PlanReport("p".into()),
            Job::Updates,
            Job::Dashboard,
            Job::Area("a1".into()),
            Job::Area("a2".into()),
            Job::Institution("i1".into()),
            Job::Institution("i2".into()),
            Job::Institution("i3".into()),
            Job::NewsPost("2024-01-02-n".into()),
            // The feeds change, and the open-data page shows their sizes.
            Job::OpenData,
        ]
        .into_iter()
        .collect();
        assert_eq!(plan.jobs, expected);
        assert!(plan.root && plan.data && plan.atom);
        assert!(!plan.everything && !plan.sitemap);
    }

    #[test]
    fn a_new_or_deleted_commitment_changes_the_sitemap() {
        let site = site();
        let added = plan(
            &[Change::Commitment { plan: "p".into(), id: "c".into(), before: None, after: Some(commitment("c", "a2", "i2", &[])) }],
            &site,
        );
        assert!(added.sitemap);
        let deleted = plan(
            &[Change::Commitment { plan: "p".into(), id: "x".into(), before: Some(commitment("x", "a1", "i1", &[])), after: None }],
            &site,
        );
        assert!(deleted.removed.contains(&Job::Commitment("p".into(), "x".into())));
        assert!(!deleted.jobs.contains(&Job::Commitment("p".into(), "x".into())));
        assert!(deleted.sitemap);
    }

    #[test]
    fn unknown_references_get_no_page() {
        let site = site();
        let after = commitment("c", "nowhere", "nobody", &[]);
        let plan = plan(&[Change::Commitment { plan: "p".into(), id: "c".into(), before: None, after: Some(after) }], &site);
        assert!(!plan.jobs.contains(&Job::Area("nowhere".into())));
        assert!(!plan.jobs.contains(&Job::Institution("nobody".into())));
    }

    #[test]
    fn a_sheet_left_in_a_plan_that_is_gone_renders_no_plan_page() {
        // The plan's file was removed while one of its sheets is still being edited: the
        // error banner says so, and no page is rendered for a plan that does not exist.
        let site = Site { plans: vec![], ..site() };
        let after = commitment("c", "a2", "i2", &[]);
        let plan = plan(&[Change::Commitment { plan: "p".into(), id: "c".into(), before: None, after: Some(after) }], &site);
        assert!(!plan.jobs.contains(&Job::Plan("p".into())), "{:?}", plan.jobs);
        assert!(plan.jobs.contains(&Job::Area("a2".into())) && plan.jobs.contains(&Job::Institution("i2".into())));
    }

    #[test]
    fn a_page_body_edit_renders_that_page_a_title_edit_renders_all() {
        let site = site();
        let body = plan(&[Change::Page { slug: "about".into(), menu_changed: false }], &site);
        assert_eq!(body.jobs, [Job::Page("about".into()), Job::OpenData].into_iter().collect::<BTreeSet<_>>());
        let title = plan(&[Change::Page { slug: "about".into(), menu_changed: true }], &site);
        assert!(title.jobs.len() > 5 && title.root);
    }

    #[test]
    fn a_page_whose_last_language_is_gone_is_removed() {
        let mut site = site();
        site.pages.clear();
        let gone = plan(&[Change::Page { slug: "about".into(), menu_changed: true }], &site);
        assert!(gone.removed.contains(&Job::Page("about".into())));
        assert!(!gone.jobs.contains(&Job::Page("about".into())));
        assert!(gone.sitemap && gone.root);
    }

    #[test]
    fn the_open_data_text_renders_the_open_data_page_not_a_free_page() {
        let p = plan(&[Change::Page { slug: "open-data".into(), menu_changed: true }], &site());
        assert!(p.jobs.contains(&Job::OpenData));
        assert!(!p.jobs.contains(&Job::Page("open-data".into())) && !p.removed.contains(&Job::Page("open-data".into())));
    }

    #[test]
    fn whenever_the_feeds_change_the_open_data_page_is_redone() {
        let site = site();
        let changes = [
            Change::Commitment { plan: "p".into(), id: "c".into(), before: None, after: Some(commitment("c", "a2", "i2", &[])) },
            Change::Page { slug: "about".into(), menu_changed: false },
            Change::News { key: "2024-01-02-n".into() },
        ];
        for change in changes {
            let p = plan(std::slice::from_ref(&change), &site);
            assert!(p.data && p.jobs.contains(&Job::OpenData), "{change:?}");
        }
    }

    #[test]
    fn news_edits_touch_lists_and_feeds() {
        let site = site();
        let p = plan(&[Change::News { key: "2024-01-02-n".into() }], &site);
        assert!(p.jobs.contains(&Job::NewsPost("2024-01-02-n".into())) && p.jobs.contains(&Job::NewsList) && p.atom);
        let gone = plan(&[Change::News { key: "2030-01-01-x".into() }], &site);
        assert!(gone.removed.contains(&Job::NewsPost("2030-01-01-x".into())));
    }

    #[test]
    fn theme_or_structure_changes_rebuild_everything() {
        let p = plan(&[Change::Static, Change::Everything], &site());
        assert!(p.everything);
        assert!(p.jobs.is_empty());
        assert!(plan(&[Change::Static], &site()).statics);
    }
}
