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

use anyhow::Result;

use crate::derive::Facts;
use crate::model::Site;
use crate::model::{Date, Status};
use crate::output::OutputFile;
use crate::present::i18n::Strings;
use crate::present::{Loc, Lx, base_path, markdown, pick_variant};
use crate::urls;

/// Kinds of documents, in the order the kind facet lists them.
pub const KINDS: &[&str] = &["commitment", "activity", "page", "news"];

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
    /// Index into [`KINDS`].
    pub kind: usize,
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
}

impl<'a> Input<'a> {
    fn lx(&self, lang: &'a str, base_path: &'a str) -> Lx<'a> {
        Lx::new(self.site, self.facts, self.strings, lang, base_path)
    }
}

/// Each language's search index files, under `LANG/search/`.
pub fn files(input: &Input) -> Result<Vec<OutputFile>> {
    let started = std::time::Instant::now();
    let mut files = Vec::new();
    for lang in &input.site.config.languages {
        let facets = facets(input, lang);
        let mut indexer = index::Indexer::new(&urls::search(lang), lang, &facets);
        each_document(input, lang, &mut |doc| indexer.add(doc))?;
        files.extend(indexer.finish()?);
    }
    crate::timings::trace("search index", started);
    Ok(files)
}

/// The path of a language's index manifest, which the search page names.
pub fn manifest_path(lang: &str) -> String {
    format!("{}index.json", urls::search(lang))
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
    let site = input.site;
    let base = base_path(input.base_url);
    let lx = input.lx(lang, &base);
    let other = |l: &str| (l != lang).then(|| l.to_string());
    let plain = |t: &Option<crate::model::Text>| t.as_ref().map(|t| markdown::to_plain_text(&lx.loc(t).text)).unwrap_or_default();
    let text_lang = |t: &Option<crate::model::Text>| t.as_ref().and_then(|t| other(&lx.loc(t).lang));
    let mut group = 0;
    let mut push = |group: usize, doc: Doc| emit(Doc { group, ..doc });
    // A plan, area or institution page (kind 2): its title, link and short text; the
    // caller adds the facet value it stands for.
    let listing = |title: &Loc, url: String, text: String, text_lang: Option<String>| Doc {
        title: title.text.clone(),
        title_lang: other(&title.lang),
        url,
        text,
        text_lang,
        kind: 2,
        ..Doc::default()
    };
    for plan in &site.plans {
        let title = lx.loc(&plan.title);
        let url = lx.href(&urls::plan(lang, &plan.id));
        let doc = listing(&title, url, plain(&plan.summary), text_lang(&plan.summary));
        push(group, Doc { plan: Some(plan.id.clone()), ..doc })?;
        group += 1;
        for c in &plan.commitments {
            let facts = input.facts.commitment(&plan.id, &c.id);
            let title = lx.loc(&c.title);
            let heading = format!("{} {} — {}", lx.t("commitment_number"), c.number, title.text);
            let url = lx.href(&urls::commitment(lang, &plan.id, &c.id));
            let body = [plain(&c.problem), plain(&c.solution), plain(&c.results)].join("\n");
            let base = Doc { plan: Some(plan.id.clone()), area: Some(c.area.id.clone()), lead: Some(c.lead.id.clone()), ..Doc::default() };
            push(
                group,
                Doc {
                    title: heading.clone(),
                    title_lang: other(&title.lang),
                    url: url.clone(),
                    text: body,
                    text_lang: text_lang(&c.problem),
                    kind: 0,
                    status: facts.map(|f| f.status),
                    ..base.clone()
                },
            )?;
            for (i, a) in c.activities.iter().enumerate() {
                let title = lx.loc(&a.title);
                // Only the reports in effect on the as-of date, as everywhere else.
                let in_effect = facts.and_then(|f| f.activities.get(i)).map_or(0, |f| f.reports_in_effect);
                let notes: Vec<String> = a.updates[..in_effect].iter().map(|u| plain(&u.note)).filter(|n| !n.is_empty()).collect();
                push(
                    group,
                    Doc {
                        title: title.text.clone(),
                        title_lang: other(&title.lang),
                        url: format!("{url}#activities-h"),
                        context: Some(heading.clone()),
                        text: notes.join("\n"),
                        kind: 1,
                        status: facts.and_then(|f| f.activities.get(i)).map(|a| a.status),
                        ..base.clone()
                    },
                )?;
            }
            group += 1;
        }
    }
    for area in &site.areas {
        let title = lx.loc(&area.title);
        let url = lx.href(&urls::area(lang, &area.id));
        let doc = listing(&title, url, plain(&area.description), text_lang(&area.description));
        push(group, Doc { area: Some(area.id.clone()), ..doc })?;
        group += 1;
    }
    for inst in &site.institutions {
        let name = lx.loc(&inst.name);
        let acronym = inst.acronym.as_ref().map(|a| lx.loc(a).text).unwrap_or_default();
        let doc = listing(&name, lx.href(&urls::institution(lang, &inst.id)), acronym, None);
        push(group, Doc { lead: Some(inst.id.clone()), ..doc })?;
        group += 1;
    }
    let mut keys: Vec<(Date, &str)> = site.news.iter().map(|n| (n.date, n.slug.as_str())).collect();
    keys.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(b.1)));
    keys.dedup();
    for (date, slug) in keys {
        let variants: Vec<_> = site.news.iter().filter(|n| n.date == date && n.slug == slug).collect();
        let Some(post) = pick_variant(&variants, |n| n.lang.as_str(), lang, &site.config.languages) else { continue };
        let summary = post.summary.clone().unwrap_or_default();
        push(
            group,
            Doc {
                title: post.title.clone(),
                title_lang: other(&post.lang),
                url: lx.href(&urls::news_post(lang, &date.to_string(), slug)),
                text: format!("{summary}\n{}", markdown::to_plain_text(&post.body)).trim().to_string(),
                text_lang: other(&post.lang),
                kind: 3,
                ..Doc::default()
            },
        )?;
        group += 1;
    }
    for page in site.pages.iter().filter(|p| p.lang == lang) {
        push(
            group,
            Doc {
                title: page.title.clone(),
                url: lx.href(&urls::page(lang, &page.slug)),
                text: markdown::to_plain_text(&page.body),
                kind: 2,
                ..Doc::default()
            },
        )?;
        group += 1;
    }
    Ok(())
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
            values: KINDS.iter().map(|k| (k.to_string(), lx.t(&format!("search_kind_{k}")))).collect(),
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
pub fn page_data(lx: &Lx) -> serde_json::Value {
    let plans: Vec<serde_json::Value> = lx
        .site
        .plans
        .iter()
        .map(|p| serde_json::json!({"title": lx.loc(&p.title), "href": lx.href(&urls::plan(lx.lang, &p.id))}))
        .collect();
    serde_json::json!({"index": lx.href(&manifest_path(lx.lang)), "sitemap": lx.href("sitemap.xml"), "plans": plans})
}
