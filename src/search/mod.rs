//! Client-side search: one index per language, chunked so that a query downloads only
//! what it needs (`index.rs`), with folding and stemming shared with the browser
//! (`text.rs`).
//!
//! The documents are every plan, commitment, activity, area, institution, news post and
//! page, in the order of the site. Each carries its facets (kind, plan, area, lead
//! institution and derived status, from [`crate::derive`]), its title, its link and the
//! plain text its excerpt comes from.

pub mod index;
pub mod text;

use std::collections::BTreeMap;

use anyhow::{Result, anyhow};

use crate::derive::Facts;
use crate::model::Site;
use crate::model::{Commitment, Plan, Status, Text};
use crate::output::OutputFile;
use crate::present::i18n::Strings;
use crate::present::{Loc, Lx, base_path, markdown, pick_variant};
use crate::urls;

/// A kind of document. Its number in the index is its position in [`Kind::ALL`], the
/// order the kind facet lists them in; `search.js` reads the names from the index's
/// manifest, never a copy of its own.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Kind {
    Commitment,
    Activity,
    /// A plan's, area's, institution's or free page.
    #[default]
    Page,
    News,
}

impl Kind {
    pub const ALL: [Kind; 4] = [Kind::Commitment, Kind::Activity, Kind::Page, Kind::News];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Commitment => "commitment",
            Kind::Activity => "activity",
            Kind::Page => "page",
            Kind::News => "news",
        }
    }

    /// The kind's number in the index.
    pub fn number(self) -> usize {
        self as usize
    }
}

/// One searchable document.
#[derive(Debug, Clone, Default)]
pub struct Doc {
    pub title: String,
    /// The title's language when it is not the index's (an untranslated text).
    pub title_lang: Option<String>,
    pub url: String,
    /// A line of context under the title (an activity's commitment).
    pub context: Option<String>,
    pub text: String,
    pub text_lang: Option<String>,
    pub kind: Kind,
    pub plan: Option<String>,
    pub area: Option<String>,
    pub lead: Option<String>,
    pub status: Option<Status>,
    /// Documents of one group share a fragment file (a commitment and its activities).
    pub group: usize,
}

/// A facet's values: (ID, label), in display order.
pub struct Facet {
    pub key: &'static str,
    pub label: String,
    pub values: Vec<(String, String)>,
}

/// What the index is built from.
pub struct Input<'a> {
    pub site: &'a Site,
    pub facts: &'a Facts,
    /// The UI strings of each language (facet labels, kinds, statuses).
    pub strings: &'a BTreeMap<String, Strings>,
    /// Absolute base URL, ending with `/`.
    pub base_url: &'a str,
    /// Theme asset name → its output path (`assets/snowball-french.1a2b3c4d.js`): an index
    /// holding untranslated texts names the Snowball script of their rules, which the
    /// search page then loads.
    pub assets: &'a BTreeMap<String, String>,
}

impl<'a> Input<'a> {
    fn lx(&self, lang: &'a str, base_path: &'a str) -> Lx<'a> {
        Lx::new(self.site, self.facts, self.strings, lang, base_path)
    }
}

/// Each language's search index files, under `LANG/search/`.
pub fn files(input: &Input) -> Result<Vec<OutputFile>> {
    files_until(input, &|| Ok(()))
}

/// [`files`], checking `go_on` before each document and each language's shards, and
/// giving up with its error: the preview stops an index that a newer edit made stale.
pub fn files_until(input: &Input, go_on: &(dyn Fn() -> Result<()> + Sync)) -> Result<Vec<OutputFile>> {
    let started = std::time::Instant::now();
    let mut files = Vec::new();
    for lang in &input.site.config.languages {
        let facets = facets(input, lang);
        let directions = input.strings.iter().map(|(l, strings)| (l.clone(), strings.dir().to_string())).collect();
        let table = input.site.config.table();
        let stemmers = table.rows().iter().map(|l| (l.code.clone(), l.stemmer)).collect();
        let stemmer = table.get(lang).stemmer;
        let base = base_path(input.base_url);
        let scripts = input.assets.iter().map(|(name, path)| (name.clone(), format!("{base}{path}"))).collect();
        let mut indexer = index::Indexer::new(&urls::search(lang), lang, stemmer, &stemmers, &facets, directions).with_scripts(scripts);
        each_document(input, lang, &mut |doc| {
            go_on()?;
            indexer.add(doc)
        })?;
        go_on()?;
        files.extend(indexer.finish_until(go_on)?);
    }
    crate::timings::trace("search index", started);
    Ok(files)
}

/// The documents of one language, and the facets they refer to.
pub fn documents(input: &Input, lang: &str) -> Result<(Vec<Doc>, Vec<Facet>)> {
    let mut docs = Vec::new();
    each_document(input, lang, &mut |doc| {
        docs.push(doc);
        Ok(())
    })?;
    Ok((docs, facets(input, lang)))
}

/// Hands each document of one language to `emit`, in the order of the site: the
/// index is built as they come, so a large site's documents are never all in memory.
pub fn each_document(input: &Input, lang: &str, emit: &mut dyn FnMut(Doc) -> Result<()>) -> Result<()> {
    let base = base_path(input.base_url);
    let mut documents = Documents { input, lx: input.lx(lang, &base), group: 0, emit };
    for plan in &input.site.plans {
        documents.plan(plan)?;
    }
    documents.listings()?;
    documents.news()?;
    documents.pages()
}

/// The documents of one language as they are handed out: each group (a commitment and
/// its activities, or one page) gets the next group number.
struct Documents<'i, 'e> {
    input: &'i Input<'i>,
    lx: Lx<'i>,
    group: usize,
    emit: &'e mut dyn FnMut(Doc) -> Result<()>,
}

impl Documents<'_, '_> {
    fn push(&mut self, doc: Doc) -> Result<()> {
        (self.emit)(Doc { group: self.group, ..doc })
    }

    /// Ends the current group.
    fn next_group(&mut self) {
        self.group += 1;
    }

    /// `lang` when it is not the index's own (an untranslated text).
    fn other(&self, lang: &str) -> Option<String> {
        (lang != self.lx.lang).then(|| lang.to_string())
    }

    /// A Markdown text as plain text, in the index's language or its fallback.
    fn plain(&self, text: &Option<Text>) -> String {
        text.as_ref().map(|t| markdown::to_plain_text(&self.lx.loc(t).text)).unwrap_or_default()
    }

    fn text_lang(&self, text: &Option<Text>) -> Option<String> {
        text.as_ref().and_then(|t| self.other(&self.lx.loc(t).lang))
    }

    /// A plan, area or institution page: its title, link and short text; the caller
    /// adds the facet value it stands for.
    fn listing(&self, title: &Loc, url: String, text: String, text_lang: Option<String>) -> Doc {
        Doc { title: title.text.clone(), title_lang: self.other(&title.lang), url, text, text_lang, kind: Kind::Page, ..Doc::default() }
    }

    /// A plan's page, then each commitment with its activities.
    fn plan(&mut self, plan: &Plan) -> Result<()> {
        let lx = &self.lx;
        let doc = self.listing(
            &lx.loc(&plan.title),
            lx.href(&urls::plan(lx.lang, &plan.id)),
            self.plain(&plan.summary),
            self.text_lang(&plan.summary),
        );
        self.push(Doc { plan: Some(plan.id.clone()), ..doc })?;
        self.next_group();
        for c in &plan.commitments {
            self.commitment(plan, c)?;
            self.next_group();
        }
        Ok(())
    }

    fn commitment(&mut self, plan: &Plan, c: &Commitment) -> Result<()> {
        let lx = &self.lx;
        let facts =
            self.input.facts.commitment(&plan.id, &c.id).ok_or_else(|| anyhow!("no derived facts for commitment {}/{}", plan.id, c.id))?;
        let title = lx.loc(&c.title);
        let heading = format!("{} {} — {}", lx.t("commitment_number"), c.number, title.text);
        let url = lx.href(&urls::commitment(lx.lang, &plan.id, &c.id));
        let body = [self.plain(&c.problem), self.plain(&c.solution), self.plain(&c.results)].join("\n");
        let base = Doc { plan: Some(plan.id.clone()), area: Some(c.area.id.clone()), lead: Some(c.lead.id.clone()), ..Doc::default() };
        let doc = Doc {
            title: heading.clone(),
            title_lang: self.other(&title.lang),
            url: url.clone(),
            text: body,
            text_lang: self.text_lang(&c.problem),
            kind: Kind::Commitment,
            status: Some(facts.status),
            ..base.clone()
        };
        self.push(doc)?;
        for (i, a) in c.activities.iter().enumerate() {
            let title = self.lx.loc(&a.title);
            let activity_facts =
                facts.activities.get(i).ok_or_else(|| anyhow!("no derived facts for activity {} of {}/{}", i + 1, plan.id, c.id))?;
            // Only the reports in effect on the as-of date, as everywhere else.
            let in_effect = activity_facts.reports_in_effect;
            let notes: Vec<String> = a.updates[..in_effect].iter().map(|u| self.plain(&u.note)).filter(|n| !n.is_empty()).collect();
            let doc = Doc {
                title: title.text.clone(),
                title_lang: self.other(&title.lang),
                url: format!("{url}#activities-h"),
                context: Some(heading.clone()),
                text: notes.join("\n"),
                kind: Kind::Activity,
                status: Some(activity_facts.status),
                ..base.clone()
            };
            self.push(doc)?;
        }
        Ok(())
    }

    /// Each area's and each institution's page.
    fn listings(&mut self) -> Result<()> {
        let site = self.input.site;
        for area in &site.areas {
            let lx = &self.lx;
            let doc = self.listing(
                &lx.loc(&area.title),
                lx.href(&urls::area(lx.lang, &area.id)),
                self.plain(&area.description),
                self.text_lang(&area.description),
            );
            self.push(Doc { area: Some(area.id.clone()), ..doc })?;
            self.next_group();
        }
        for inst in &site.institutions {
            let lx = &self.lx;
            let acronym = inst.acronym.as_ref().map(|a| lx.loc(a).text).unwrap_or_default();
            let doc = self.listing(&lx.loc(&inst.name), lx.href(&urls::institution(lx.lang, &inst.id)), acronym, None);
            self.push(Doc { lead: Some(inst.id.clone()), ..doc })?;
            self.next_group();
        }
        Ok(())
    }

    /// Each news post, newest first, in the index's language or its fallback.
    fn news(&mut self) -> Result<()> {
        let site = self.input.site;
        for (date, slug) in crate::routes::news_posts(site) {
            let variants: Vec<_> = site.news.iter().filter(|n| n.date == date && n.slug == slug).collect();
            let Some(post) = pick_variant(&variants, |n| n.lang.as_str(), self.lx.lang, &self.lx.fallback) else { continue };
            let summary = post.summary.clone().unwrap_or_default();
            let doc = Doc {
                title: post.title.clone(),
                title_lang: self.other(&post.lang),
                url: self.lx.href(&urls::news_post(self.lx.lang, &date.to_string(), &slug)),
                text: format!("{summary}\n{}", markdown::to_plain_text(&post.body)).trim().to_string(),
                text_lang: self.other(&post.lang),
                kind: Kind::News,
                ..Doc::default()
            };
            self.push(doc)?;
            self.next_group();
        }
        Ok(())
    }

    /// The free pages written in the index's language.
    fn pages(&mut self) -> Result<()> {
        let lang = self.lx.lang;
        for page in self.input.site.pages.iter().filter(|p| p.lang == lang) {
            let doc = Doc {
                title: page.title.clone(),
                url: self.lx.href(&urls::page(self.lx.lang, &page.slug)),
                text: markdown::to_plain_text(&page.body),
                kind: Kind::Page,
                ..Doc::default()
            };
            self.push(doc)?;
            self.next_group();
        }
        Ok(())
    }
}

/// The facets of one language's index, with their labels.
fn facets(input: &Input, lang: &str) -> Vec<Facet> {
    let site = input.site;
    let base = base_path(input.base_url);
    let lx = input.lx(lang, &base);
    vec![
        Facet {
            key: "kind",
            label: lx.t("search_facet_kind"),
            values: Kind::ALL.iter().map(|k| (k.as_str().to_string(), lx.t(&format!("search_kind_{}", k.as_str())))).collect(),
        },
        Facet { key: "plan", label: lx.t("plan"), values: site.plans.iter().map(|p| (p.id.clone(), lx.loc(&p.title).text)).collect() },
        Facet { key: "area", label: lx.t("area"), values: site.areas.iter().map(|a| (a.id.clone(), lx.loc(&a.title).text)).collect() },
        Facet {
            key: "lead",
            label: lx.t("lead"),
            values: site.institutions.iter().map(|i| (i.id.clone(), lx.loc(&i.name).text)).collect(),
        },
        Facet {
            key: "status",
            label: lx.t("status"),
            values: Status::ALL.iter().map(|s| (s.as_str().to_string(), lx.status_label(*s))).collect(),
        },
    ]
}

/// What the search page shows: its index manifest, and for readers without JavaScript
/// the sitemap and each plan's list of commitments.
pub fn page_data(lx: &Lx) -> SearchPage {
    let plans = lx.site.plans.iter().map(|p| PlanChoice { title: lx.loc(&p.title), href: lx.href(&urls::plan(lx.lang, &p.id)) }).collect();
    SearchPage { index: lx.href(&urls::search_manifest(lx.lang)), sitemap: lx.href("sitemap.xml"), plans }
}

/// The search page's data: where its index is, and the plans it can be narrowed to.
#[derive(Debug, serde::Serialize)]
pub struct SearchPage {
    index: String,
    sitemap: String,
    plans: Vec<PlanChoice>,
}

/// A plan the search page offers as a filter.
#[derive(Debug, serde::Serialize)]
pub struct PlanChoice {
    title: crate::present::Loc,
    href: String,
}
