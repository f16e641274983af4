//! What every template reads beside its page's data: the site (`site`), the page's
//! frame (`page`: language, title, canonical URL, alternates, navigation, assets) and the
//! UI strings (`i`). The parts that depend only on the language are built once per
//! language ([`Chrome`]); a page adds its title, path and alternates.

use std::collections::BTreeMap;

use anyhow::{Result, anyhow};
use serde::Serialize;
use tera::Value;

use super::RenderInput;
use super::views::RowCache;
use crate::present::{Loc, Lx, base_path, pick_variant};
use crate::routes::OPEN_DATA_SLUG;
use crate::urls;

/// `site` in templates.
#[derive(Debug, Clone, Serialize)]
struct SiteContext {
    title: Loc,
    description: Loc,
    license: String,
    license_url: String,
}

/// An entry of the menu; a free page's title may be another language's.
#[derive(Debug, Clone, Serialize)]
struct NavItem {
    label: Loc,
    href: String,
    current: bool,
    /// The page it links to, to mark the current one.
    #[serde(skip)]
    path: String,
}

/// A language the page exists in (its own included).
#[derive(Debug, Clone, Serialize)]
struct Alternate {
    lang: String,
    name: String,
    dir: String,
    href: String,
    absolute: String,
    current: bool,
}

/// `page` in templates.
#[derive(Debug, Clone, Serialize)]
struct PageContext<'c> {
    lang: &'c str,
    dir: &'c str,
    title: &'c str,
    canonical: String,
    alternates: Vec<Alternate>,
    nav: Vec<NavItem>,
    home: &'c str,
    css: &'c str,
    icon: &'c str,
    search_js: &'c str,
    /// The Snowball stemmer of the language's search rules, loaded before search.js.
    search_stemmer_js: Option<&'c str>,
    feed: &'c str,
    as_of: &'c str,
}

/// The frame of every page in one language, built once.
pub struct Chrome {
    lang: String,
    /// The path part of the base URL, for root-relative links.
    base: String,
    dir: String,
    site: Value,
    /// The UI strings as the value templates read as `i`, built once: each page's
    /// context shares it.
    strings: Value,
    nav: Vec<NavItem>,
    home: String,
    css: String,
    icon: String,
    search_js: String,
    search_stemmer_js: Option<String>,
    feed: String,
    as_of: String,
    /// The commitments' rows in this language, made once for all the lists.
    pub rows: RowCache,
}

impl Chrome {
    pub fn new(input: &RenderInput, lang: &str) -> Result<Chrome> {
        let base = base_path(input.base_url);
        let lx = Lx::new(input.site, input.facts, &input.theme.strings, lang, &base);
        let asset = |name: &str| input.assets.get(name).map(|p| lx.href(p)).unwrap_or_default();
        let site = SiteContext {
            title: lx.loc(&input.site.config.title),
            description: lx.loc(&input.site.config.description),
            license: input.site.config.data_license.id.clone(),
            license_url: input.site.config.data_license.url.clone(),
        };
        Ok(Chrome {
            lang: lang.to_string(),
            base: base.clone(),
            dir: lx.strings.dir().to_string(),
            site: template_value(&site)?,
            strings: Value::from(lx.strings.strings.clone()),
            nav: navigation(&lx),
            home: lx.href(&urls::home(lang)),
            css: asset("style.css"),
            icon: asset("favicon.svg"),
            search_js: asset("search.js"),
            search_stemmer_js: crate::search::text::rules(lx.strings.language.stemmer).snowball.map(|s| asset(s.script())),
            feed: lx.href(&urls::atom(lang)),
            as_of: lx.strings.format("as_of", &[("date", &lx.as_of())]),
            rows: RowCache::new(input.site),
        })
    }

    /// The template context of the page at `path` titled `title`, which exists in the
    /// languages of `alternates` (language, path), with its `data`.
    pub fn context(&self, input: &RenderInput, title: &str, path: &str, alternates: &[(&str, &str)], data: Value) -> Result<tera::Context> {
        let base = &self.base;
        let alternates = alternates
            .iter()
            .map(|(lang, alternate)| {
                let strings = &input.theme.strings[*lang];
                Alternate {
                    lang: lang.to_string(),
                    name: strings.language.name.clone(),
                    dir: crate::present::dir_of(&input.theme.strings, lang),
                    href: format!("{base}{alternate}"),
                    absolute: urls::absolute(input.base_url, alternate),
                    current: *lang == self.lang,
                }
            })
            .collect();
        let nav = self.nav.iter().map(|item| NavItem { current: item.path == path, ..item.clone() }).collect();
        let page = PageContext {
            lang: &self.lang,
            dir: &self.dir,
            title,
            canonical: urls::absolute(input.base_url, path),
            alternates,
            nav,
            home: &self.home,
            css: &self.css,
            icon: &self.icon,
            search_js: &self.search_js,
            search_stemmer_js: self.search_stemmer_js.as_deref(),
            feed: &self.feed,
            as_of: &self.as_of,
        };
        // The site and the strings are shared, not copied: a Tera value's map is
        // reference-counted.
        let mut context = tera::Context::new();
        context.insert_value("site", self.site.clone());
        context.insert_value("page", template_value(&page)?);
        context.insert_value("i", self.strings.clone());
        context.insert_value("data", data);
        Ok(context)
    }
}

/// A view as the value templates read, serialised straight into Tera's own values.
pub fn template_value(view: &impl Serialize) -> Result<Value> {
    Value::try_from_serializable(view).map_err(|e| anyhow!("building the template context: {}", super::tera_error(&e)))
}

/// The frame of each language of the site.
pub fn chromes(input: &RenderInput) -> Result<BTreeMap<String, Chrome>> {
    input.site.config.languages.iter().map(|lang| Ok((lang.clone(), Chrome::new(input, lang)?))).collect()
}

/// The menu: the portal's own pages, then the free pages in their order, each once,
/// where its lowest order puts it, even when translations differ.
fn navigation(lx: &Lx) -> Vec<NavItem> {
    let site = lx.site;
    let lang = lx.lang;
    let own = [
        ("dashboard", urls::home(lang)),
        ("updates", urls::updates(lang)),
        ("news", urls::news_list(lang)),
        ("open_data", urls::open_data(lang)),
        ("search", urls::search(lang)),
    ]
    .into_iter()
    .map(|(key, path)| (lx.loc_str(lang, &lx.t(key)), path));
    let mut slugs: Vec<(&str, i64)> = site.pages.iter().filter(|p| p.slug != OPEN_DATA_SLUG).map(|p| (p.slug.as_str(), p.order)).collect();
    slugs.sort_by_key(|(s, o)| (*o, *s));
    let mut seen = std::collections::BTreeSet::new();
    slugs.retain(|(slug, _)| seen.insert(*slug));
    let pages = slugs.into_iter().filter_map(|(slug, _)| {
        let variants: Vec<_> = site.pages.iter().filter(|p| p.slug == slug).collect();
        let page = pick_variant(&variants, |p| p.lang.as_str(), lang, &lx.fallback)?;
        Some((lx.loc_str(&page.lang, &page.title), urls::page(lang, slug)))
    });
    own.chain(pages).map(|(label, path)| NavItem { label, href: lx.href(&path), current: false, path }).collect()
}
