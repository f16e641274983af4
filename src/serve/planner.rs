//! The incremental planner: which pages and side files a change touches. A pure
//! function of the change and the site after it, so it is unit-tested. It names pages
//! by key; the preview renders those keys' routes in the new routes table, and the
//! table itself says which pages appeared or vanished.

use std::collections::BTreeSet;

use crate::model::{Commitment, Site};
use crate::routes::{Key, OPEN_DATA_SLUG};

/// What changed, as the watcher and the loader saw it.
#[derive(Debug, Clone)]
pub enum Change {
    /// A commitment sheet was edited, created (`before` is `None`) or deleted (`after` is `None`).
    Commitment { plan: String, id: String, before: Option<Commitment>, after: Option<Commitment> },
    /// A free page in one language; `menu_changed` when it appeared, vanished, or changed
    /// its title or order, which the menu on every page shows.
    Page { slug: String, menu_changed: bool },
    /// A news post in one language, named by its key `YYYY-MM-DD-SLUG`.
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
    /// Every page, in every language (the menu they all show changed).
    pub every_page: bool,
    /// Pages to render, in every language, every page of a list. A key the site no
    /// longer has renders nothing; its files go with the routes that vanished.
    pub keys: BTreeSet<Key>,
    /// Atom feeds (news and reports).
    pub atom: bool,
    /// The open-data feeds and search indexes.
    pub data: bool,
    /// Copy the site's `static/` folder again.
    pub statics: bool,
}

impl Plan {
    /// The work of both plans: an edit's, and what an earlier edit left undone.
    pub fn merged(mut self, other: Plan) -> Plan {
        self.everything |= other.everything;
        self.every_page |= other.every_page;
        self.keys.extend(other.keys);
        self.atom |= other.atom;
        self.data |= other.data;
        self.statics |= other.statics;
        self
    }
}

/// Plans the work for `changes`, given the site after they were applied.
pub fn plan(changes: &[Change], site: &Site) -> Plan {
    let mut plan = Plan::default();
    for change in changes {
        match change {
            Change::Everything => plan.everything = true,
            Change::Static => plan.statics = true,
            Change::Commitment { plan: plan_id, id, before, after } => {
                commitment(&mut plan, site, plan_id, id, before.iter().chain(after.iter()))
            }
            Change::Page { slug, menu_changed } => {
                // The open-data page's text introduces the open-data page; it is not in
                // the menu.
                if slug == OPEN_DATA_SLUG {
                    plan.keys.insert(Key::OpenData);
                } else {
                    plan.every_page |= *menu_changed;
                    plan.keys.insert(Key::Page(slug.clone()));
                }
                plan.data = true;
            }
            Change::News { key } => {
                plan.keys.extend([Key::NewsPost(key.clone()), Key::NewsList, Key::Dashboard]);
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
        plan.keys.insert(Key::OpenData);
    }
    plan
}

/// A commitment edit touches its own page, its plan, the plan's report, the latest
/// reports, the areas and institutions it is (or was) listed under and their reports,
/// the dashboard, the news that cite it, and every feed. `versions` are the sheet before
/// and after the edit.
fn commitment<'c>(plan: &mut Plan, site: &Site, plan_id: &str, id: &str, versions: impl Iterator<Item = &'c Commitment>) {
    plan.keys.extend([
        Key::Commitment(plan_id.to_string(), id.to_string()),
        Key::Plan(plan_id.to_string()),
        Key::PlanReport(plan_id.to_string()),
        Key::Updates,
        Key::Changes,
        Key::Dashboard,
    ]);
    plan.atom = true;
    plan.data = true;
    for c in versions {
        plan.keys.insert(Key::Area(c.area.id.clone()));
        // The institutions whose page lists it: the one rule of the routes table.
        for institution in site.institutions.iter().filter(|i| c.lead.id == i.id || c.has_partner(&i.id)) {
            plan.keys.insert(Key::Institution(institution.id.clone()));
            plan.keys.insert(Key::InstitutionReport(institution.id.clone()));
        }
    }
    let reference = format!("{plan_id}/{id}");
    for post in site.news.iter().filter(|n| n.related.iter().any(|r| r.id == reference)) {
        plan.keys.insert(Key::NewsPost(post.key()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::blank::{self, r};
    use crate::model::*;

    fn text() -> Text {
        Text::default()
    }

    fn commitment(id: &str, area: &str, lead: &str, partners: &[&str]) -> Commitment {
        Commitment { partners: partners.iter().map(|p| r(p)).collect(), progress: Some(10.0), ..blank::commitment("p", id, 1, area, lead) }
    }

    fn activity() -> Activity {
        blank::activity("2024-01", "2024-01")
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
        let expected: BTreeSet<Key> = [
            Key::Commitment("p".into(), "c".into()),
            Key::Plan("p".into()),
            Key::PlanReport("p".into()),
            Key::Updates,
            // It names the sheet by its title.
            Key::Changes,
            Key::Dashboard,
            Key::Area("a1".into()),
            Key::Area("a2".into()),
            Key::Institution("i1".into()),
            Key::InstitutionReport("i1".into()),
            Key::Institution("i2".into()),
            Key::InstitutionReport("i2".into()),
            Key::Institution("i3".into()),
            Key::InstitutionReport("i3".into()),
            Key::NewsPost("2024-01-02-n".into()),
            // The feeds change, and the open-data page shows their sizes.
            Key::OpenData,
        ]
        .into_iter()
        .collect();
        assert_eq!(plan.keys, expected);
        assert!(plan.data && plan.atom);
        assert!(!plan.everything && !plan.every_page);
    }

    #[test]
    fn an_institution_that_only_assesses_a_commitment_does_not_list_it() {
        // Its page lists what it leads and what it is a partner in (the routes' rule),
        // not the commitments it gave a verdict on.
        let site = site();
        let mut after = commitment("c", "a2", "i2", &[]);
        after.assessments.push(Assessment {
            by: r("i3"),
            date: Date::parse("2024-01").unwrap(),
            verdict: Verdict::Done,
            note: None,
            url: None,
        });
        let plan = plan(&[Change::Commitment { plan: "p".into(), id: "c".into(), before: None, after: Some(after) }], &site);
        assert!(!plan.keys.contains(&Key::Institution("i3".into())), "{:?}", plan.keys);
        assert!(plan.keys.contains(&Key::Institution("i2".into())));
    }

    #[test]
    fn an_activity_partner_gets_its_pages_redone() {
        let site = site();
        let mut after = commitment("c", "a2", "i2", &[]);
        after.activities.push(Activity { partners: vec![r("i3")], ..activity() });
        let plan = plan(&[Change::Commitment { plan: "p".into(), id: "c".into(), before: None, after: Some(after) }], &site);
        assert!(plan.keys.contains(&Key::Institution("i3".into())) && plan.keys.contains(&Key::InstitutionReport("i3".into())));
    }

    #[test]
    fn unknown_references_get_no_page() {
        let site = site();
        let after = commitment("c", "nowhere", "nobody", &[]);
        let plan = plan(&[Change::Commitment { plan: "p".into(), id: "c".into(), before: None, after: Some(after) }], &site);
        assert!(!plan.keys.contains(&Key::Institution("nobody".into())));
    }

    #[test]
    fn a_page_body_edit_renders_that_page_a_title_edit_renders_all() {
        let site = site();
        let body = plan(&[Change::Page { slug: "about".into(), menu_changed: false }], &site);
        assert_eq!(body.keys, [Key::Page("about".into()), Key::OpenData].into_iter().collect::<BTreeSet<_>>());
        assert!(!body.every_page);
        let title = plan(&[Change::Page { slug: "about".into(), menu_changed: true }], &site);
        assert!(title.every_page);
    }

    #[test]
    fn the_open_data_text_renders_the_open_data_page_not_a_free_page() {
        let p = plan(&[Change::Page { slug: "open-data".into(), menu_changed: true }], &site());
        assert!(p.keys.contains(&Key::OpenData));
        assert!(!p.keys.contains(&Key::Page("open-data".into())) && !p.every_page);
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
            assert!(p.data && p.keys.contains(&Key::OpenData), "{change:?}");
        }
    }

    #[test]
    fn news_edits_touch_lists_and_feeds() {
        let site = site();
        let p = plan(&[Change::News { key: "2024-01-02-n".into() }], &site);
        assert!(p.keys.contains(&Key::NewsPost("2024-01-02-n".into())) && p.keys.contains(&Key::NewsList) && p.atom);
        assert!(p.keys.contains(&Key::Dashboard), "the dashboard shows the latest news");
    }

    #[test]
    fn theme_or_structure_changes_rebuild_everything() {
        let p = plan(&[Change::Static, Change::Everything], &site());
        assert!(p.everything);
        assert!(p.keys.is_empty());
        assert!(plan(&[Change::Static], &site()).statics);
    }
}
