//! The files beside the pages: the root page, 404, the sitemap, robots.txt and each
//! language's Atom feed, all from the routes table. Each is a template of the theme
//! (`404.html`, `sitemap.xml`, `robots.txt`, `atom.xml`), which a site may override
//! as it does any other, as Zola's built-in ones.

use anyhow::{Result, anyhow};
use serde::Serialize;
use tera::Tera;

use super::changes::{self, Entry as FollowEntry};
use super::context::{Chrome, template_value};
use super::pages::news_items;
use super::{RenderInput, reports};
use crate::output::OutputFile;
use crate::present::{Lx, base_path};
use crate::routes::{Key, Kind, Route, Routes};
use crate::urls;

/// The file of a site-wide route; `None` for the routes others write (search index,
/// feeds) and for pages.
pub fn site_file(input: &RenderInput, tera: &Tera, table: &Routes, route: &Route) -> Result<Option<OutputFile>> {
    let bytes = match &route.kind {
        Kind::Root => root(input, tera, table)?,
        Kind::NotFound => not_found(input, tera)?,
        Kind::Sitemap => render(tera, "sitemap.xml", &sitemap(input, table))?,
        Kind::Robots => render(tera, "robots.txt", &Robots { sitemap_url: urls::absolute(input.base_url, "sitemap.xml") })?,
        Kind::Atom => render(tera, "atom.xml", &atom(input, table, &route.lang)?)?,
        Kind::PlanAtom(plan) => render(tera, "atom.xml", &plan_atom(input, &route.lang, plan)?)?,
        Kind::CommitmentAtom(plan, id) => render(tera, "atom.xml", &commitment_atom(input, &route.lang, plan, id)?)?,
        Kind::Page(_) | Kind::SearchIndex | Kind::Feeds => return Ok(None),
    };
    Ok(Some(OutputFile::new(route.path.clone(), bytes)))
}

/// Renders a site-wide template with its context.
fn render(tera: &Tera, template: &str, context: &impl Serialize) -> Result<Vec<u8>> {
    let context =
        tera::Context::from_serialize(context).map_err(|e| anyhow!("building the context of {template}: {}", super::tera_error(&e)))?;
    super::render_template(tera, template, &context).map_err(|e| anyhow!("rendering {template}: {}", super::tera_error(&e)))
}

/// `robots.txt`'s context.
#[derive(Serialize)]
struct Robots {
    sitemap_url: String,
}

/// The root page: the default language's dashboard (its canonical URL is `/LANG/`).
fn root(input: &RenderInput, tera: &Tera, table: &Routes) -> Result<Vec<u8>> {
    let lang = input.site.config.default_language();
    let dashboard: Vec<&Route> = table.of(&Key::Dashboard).iter().filter(|r| r.lang == lang).collect();
    let page = super::render_unit(input, tera, table, &dashboard, &Chrome::new(input, lang)?)?;
    page.into_iter().next().map(|file| file.bytes).ok_or_else(|| anyhow!("the dashboard rendered nothing"))
}

/// The 404 page's data: its text in every language.
#[derive(Serialize)]
struct NotFoundData<'s> {
    languages: Vec<NotFoundText<'s>>,
}

#[derive(Serialize)]
struct NotFoundText<'s> {
    lang: &'s str,
    dir: &'s str,
    title: &'s str,
    text: &'s str,
    home: String,
    back: &'s str,
}

/// One page in every language, for an address that does not exist.
fn not_found(input: &RenderInput, tera: &Tera) -> Result<Vec<u8>> {
    let lang = input.site.config.default_language();
    let base = base_path(input.base_url);
    let lx = Lx::new(input.site, input.facts, &input.theme.strings, lang, &base);
    let others: Vec<NotFoundText> = input
        .site
        .config
        .languages
        .iter()
        .map(|l| {
            let s = &input.theme.strings[l];
            NotFoundText {
                lang: l,
                dir: s.dir(),
                title: s.get("page_not_found"),
                text: s.get("page_not_found_text"),
                home: lx.href(&urls::home(l)),
                back: s.get("back_home"),
            }
        })
        .collect();
    let alternates: Vec<(&str, &str)> = input.site.config.languages.iter().map(|l| (l.as_str(), "404.html")).collect();
    let context = Chrome::new(input, lang)?.context(
        input,
        &lx.t("page_not_found"),
        "404.html",
        &alternates,
        template_value(&NotFoundData { languages: others })?,
    )?;
    super::render_template(tera, "404.html", &context).map_err(|e| anyhow!("rendering 404.html: {}", super::tera_error(&e)))
}

/// `sitemap.xml`'s context: every page of the table.
#[derive(Serialize)]
struct Sitemap {
    urls: Vec<SitemapUrl>,
}

#[derive(Serialize)]
struct SitemapUrl {
    loc: String,
    /// The page in each language, its own included.
    alternates: Vec<Alternate>,
    /// The default language's, as `x-default`.
    default: Option<String>,
}

#[derive(Serialize)]
struct Alternate {
    lang: String,
    href: String,
}

/// Every page of the table, each with its twins in the other languages (the same key,
/// order and page number) and the default language's as `x-default`.
fn sitemap(input: &RenderInput, table: &Routes) -> Sitemap {
    let default_lang = input.site.config.default_language();
    let abs = |path: &str| urls::absolute(input.base_url, path);
    let urls = table
        .pages()
        .map(|route| {
            let alternates = table.alternates(route);
            SitemapUrl {
                loc: abs(&route.path),
                default: alternates.iter().find(|a| a.lang == default_lang).map(|a| abs(&a.path)),
                alternates: alternates.iter().map(|a| Alternate { lang: a.lang.clone(), href: abs(&a.path) }).collect(),
            }
        })
        .collect();
    Sitemap { urls }
}

/// `atom.xml`'s context: a language's feed.
#[derive(Serialize)]
struct Feed {
    lang: String,
    title: String,
    feed_url: String,
    home_url: String,
    updated: String,
    entries: Vec<FeedEntry>,
}

#[derive(Serialize)]
struct FeedEntry {
    lang: String,
    title: String,
    id: String,
    href: String,
    updated: String,
    summary: String,
}

/// One entry of a feed: (ISO date, title, path, summary, language).
type Entry = (String, String, String, String, String);

/// The Atom feed of one language: news posts and each dated progress report in effect,
/// dated on their own dates so the feed changes only when the data does.
fn atom(input: &RenderInput, table: &Routes, lang: &str) -> Result<Feed> {
    let base = base_path(input.base_url);
    let lx = Lx::new(input.site, input.facts, &input.theme.strings, lang, &base);
    let abs = |p: &str| urls::absolute(input.base_url, p);
    let mut entries = atom_entries(input, table, &lx, &base)?;
    entries.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.2.cmp(&b.2)));
    let updated = entries.iter().map(|e| e.0.clone()).max().unwrap_or_else(|| input.facts.as_of.to_string());
    let entries = entries
        .into_iter()
        .map(|(date, title, path, summary, entry_lang)| FeedEntry {
            // A report's path already names it with a fragment; a news post's gets its date.
            id: if path.contains('#') { abs(&path) } else { format!("{}#{date}", abs(&path)) },
            href: abs(&path),
            updated: stamp(&date),
            lang: entry_lang,
            title,
            summary,
        })
        .collect();
    Ok(Feed {
        lang: lang.to_string(),
        title: lx.loc(&input.site.config.title).text,
        feed_url: abs(&urls::atom(lang)),
        home_url: abs(&urls::home(lang)),
        updated: stamp(&updated),
        entries,
    })
}

/// The feed's entries: each news post, then each report in effect.
fn atom_entries(input: &RenderInput, table: &Routes, lx: &Lx, base: &str) -> Result<Vec<Entry>> {
    let mut entries = Vec::new();
    for item in news_items(lx, table.news()) {
        let path = item.href.strip_prefix(base).unwrap_or(&item.href).to_string();
        let summary = item.summary.as_ref().map(|s| s.text.clone()).unwrap_or_default();
        entries.push((item.iso_date.clone(), item.title.text.clone(), path, summary, item.title.lang.clone()));
    }
    let Some(crate::routes::Rows::Reports(reports_in_effect)) = table.list(&Key::Updates).and_then(|l| l.sections.first()?.first()) else {
        return Err(anyhow!("the routes have no list of reports"));
    };
    for at in reports_in_effect {
        let entry = super::pages::report_at(input.site, at)?;
        let view = reports::report_view(lx, &entry, 3);
        let path = urls::commitment(lx.lang, &entry.plan.id, &entry.commitment.id);
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
    // Revisions of the sheets' official text, dated to the second of their commit.
    for (plan, id, revision) in crate::routes::revisions_listed(input.site, input.facts) {
        let (plan, c) = super::pages::commitment_of(input.site, plan, id)?;
        let e = changes::revision_entry(lx, plan, c, revision);
        entries.push((e.updated, e.title, e.path, e.summary, e.lang));
    }
    Ok(entries)
}

/// The feed of one commitment, or of one plan: its own entries, newest first, dated on
/// their own dates.
fn follow_feed(input: &RenderInput, lx: &Lx, title: String, page: &str, feed: &str, mut entries: Vec<FollowEntry>) -> Feed {
    let abs = |p: &str| urls::absolute(input.base_url, p);
    entries.sort_by(|a, b| b.updated.cmp(&a.updated).then_with(|| a.id.cmp(&b.id)));
    let updated = entries.first().map_or_else(|| stamp(&input.facts.as_of.to_string()), |e| e.updated.clone());
    Feed {
        lang: lx.lang.to_string(),
        title,
        feed_url: abs(feed),
        home_url: abs(page),
        updated,
        entries: entries
            .into_iter()
            .map(|e| FeedEntry { lang: e.lang, title: e.title, id: abs(&e.id), href: abs(&e.path), updated: e.updated, summary: e.summary })
            .collect(),
    }
}

fn plan_atom(input: &RenderInput, lang: &str, plan_id: &str) -> Result<Feed> {
    let base = base_path(input.base_url);
    let lx = Lx::new(input.site, input.facts, &input.theme.strings, lang, &base);
    let plan = input.site.plans.iter().find(|p| p.id == plan_id).ok_or_else(|| anyhow!("unknown plan {plan_id}"))?;
    let title = format!("{} — {}", lx.loc(&plan.title).text, lx.loc(&input.site.config.title).text);
    let entries = changes::plan_entries(&lx, plan)?;
    Ok(follow_feed(input, &lx, title, &urls::plan(lang, plan_id), &urls::plan_atom(lang, plan_id), entries))
}

fn commitment_atom(input: &RenderInput, lang: &str, plan_id: &str, id: &str) -> Result<Feed> {
    let base = base_path(input.base_url);
    let lx = Lx::new(input.site, input.facts, &input.theme.strings, lang, &base);
    let (plan, c) = super::pages::commitment_of(input.site, plan_id, id)?;
    let title = format!("{} — {}", lx.loc(&c.title).text, lx.loc(&input.site.config.title).text);
    let entries = changes::commitment_entries(&lx, plan, c)?;
    Ok(follow_feed(input, &lx, title, &urls::commitment(lang, plan_id, id), &urls::commitment_atom(lang, plan_id, id), entries))
}

/// An Atom timestamp from a date of any precision (a year or a month counts from its
/// first day).
fn stamp(date: &str) -> String {
    if date.contains('T') {
        // Already a timestamp (a revision's commit time).
        return date.to_string();
    }
    let full = match date.len() {
        4 => format!("{date}-01-01"),
        7 => format!("{date}-01"),
        _ => date.to_string(),
    };
    format!("{full}T00:00:00Z")
}

#[cfg(test)]
mod tests {
    use super::stamp;

    #[test]
    fn a_date_of_any_precision_becomes_an_atom_timestamp_from_its_first_day() {
        assert_eq!(stamp("2024"), "2024-01-01T00:00:00Z");
        assert_eq!(stamp("2024-05"), "2024-05-01T00:00:00Z");
        assert_eq!(stamp("2024-05-03"), "2024-05-03T00:00:00Z");
    }
}
