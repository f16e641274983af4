//! How values are shown in a language: localised text with its fallback marking,
//! links, Markdown and the UI strings. Shared by the pages (`render`) and the search
//! index (`search`), which show the same titles and excerpts.

pub mod i18n;
pub mod markdown;

use std::collections::BTreeMap;

use serde::Serialize;

use crate::derive::Facts;
use crate::language::Dir;
use crate::model::{Date, Plan, Site, Status, Text};
use crate::urls;
use i18n::Strings;

/// Short text in the page's language, or in another language when the translation is
/// missing (then marked with its own `lang`/`dir` and a visible note).
#[derive(Debug, Clone, Serialize)]
pub struct Loc {
    pub text: String,
    pub lang: String,
    pub dir: String,
    pub fallback: bool,
    pub note: String,
}

/// Markdown rendered to sanitised HTML, with the same fallback marking as [`Loc`].
#[derive(Debug, Clone, Serialize)]
pub struct LocHtml {
    pub html: String,
    pub lang: String,
    pub dir: String,
    pub fallback: bool,
    pub note: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Link {
    pub label: Loc,
    pub href: String,
}

/// The language a page is written in, with what it needs to present values.
pub struct Lx<'a> {
    pub lang: &'a str,
    /// Where a text missing in `lang` is taken from, in order (the language table's
    /// fallback order).
    pub fallback: Vec<String>,
    pub strings: &'a Strings,
    pub all_strings: &'a BTreeMap<String, Strings>,
    pub site: &'a Site,
    pub facts: &'a Facts,
    /// The path part of the base URL, always ending with `/`.
    pub base_path: &'a str,
}

/// The writing direction of a language, from its row of the language table.
pub fn dir_of(all: &BTreeMap<String, Strings>, lang: &str) -> String {
    match all.get(lang) {
        Some(strings) => strings.dir().to_string(),
        None => crate::language::Language::built_in(lang).map_or(Dir::Ltr, |l| l.dir).as_str().to_string(),
    }
}

impl<'a> Lx<'a> {
    /// The language `lang` of a site whose UI strings are `strings`, for links under
    /// `base_path`.
    pub fn new(site: &'a Site, facts: &'a Facts, strings: &'a BTreeMap<String, Strings>, lang: &'a str, base_path: &'a str) -> Lx<'a> {
        let fallback = site.config.table().fallback_order(lang).into_iter().map(str::to_string).collect();
        Lx { lang, fallback, strings: &strings[lang], all_strings: strings, site, facts, base_path }
    }

    pub fn t(&self, key: &str) -> String {
        self.strings.get(key).to_string()
    }

    pub fn href(&self, path: &str) -> String {
        format!("{}{path}", self.base_path)
    }

    /// Picks the text in this language, else in the first of its fallback languages that
    /// has it.
    pub fn pick<'t>(&self, text: &'t Text) -> Option<(&'t str, &'t str)> {
        text.get_key_value(self.lang).or_else(|| self.fallback.iter().find_map(|l| text.get_key_value(l)))
    }

    pub fn loc_str(&self, lang: &str, text: &str) -> Loc {
        Loc {
            text: text.to_string(),
            lang: lang.to_string(),
            dir: dir_of(self.all_strings, lang),
            fallback: lang != self.lang,
            note: self.t("not_translated"),
        }
    }

    pub fn loc(&self, text: &Text) -> Loc {
        match self.pick(text) {
            Some((lang, s)) => self.loc_str(lang, s.trim()),
            None => self.loc_str(self.lang, ""),
        }
    }

    /// Markdown shown under a heading of level `under` (its own headings continue the
    /// page's outline from there).
    pub fn md(&self, text: &Text, under: u8) -> LocHtml {
        let (lang, source) = self.pick(text).unwrap_or((self.lang, ""));
        LocHtml {
            html: markdown::to_html_under(source, under, self.base_path),
            lang: lang.to_string(),
            dir: dir_of(self.all_strings, lang),
            fallback: lang != self.lang,
            note: self.t("not_translated_note"),
        }
    }

    pub fn md_opt(&self, text: &Option<Text>, under: u8) -> Option<LocHtml> {
        text.as_ref().map(|t| self.md(t, under))
    }

    pub fn date(&self, date: &Date) -> String {
        self.strings.date(date)
    }

    pub fn as_of(&self) -> String {
        self.strings.date(&Date::from_naive(self.facts.as_of))
    }

    pub fn status_label(&self, status: Status) -> String {
        self.t(&format!("status_{}", status.as_str()))
    }

    pub fn area_link(&self, id: &str) -> Link {
        match self.site.areas.iter().find(|a| a.id == id) {
            Some(area) => Link { label: self.loc(&area.title), href: self.href(&urls::area(self.lang, id)) },
            None => Link { label: self.loc_str(self.lang, id), href: self.href(&urls::area(self.lang, id)) },
        }
    }

    pub fn institution_link(&self, id: &str) -> Link {
        match self.site.institutions.iter().find(|i| i.id == id) {
            Some(inst) => Link { label: self.loc(&inst.name), href: self.href(&urls::institution(self.lang, id)) },
            None => Link { label: self.loc_str(self.lang, id), href: self.href(&urls::institution(self.lang, id)) },
        }
    }

    pub fn plan_link(&self, plan: &Plan) -> Link {
        Link { label: self.loc(&plan.title), href: self.href(&urls::plan(self.lang, &plan.id)) }
    }
}

/// The variant of a per-language Markdown document to show in `lang`: its own, else the
/// first of `fallback` (the language's fallback order, [`Lx::fallback`]) there is.
pub fn pick_variant<'d, T>(variants: &[&'d T], lang_of: impl Fn(&T) -> &str, lang: &str, fallback: &[String]) -> Option<&'d T> {
    variants
        .iter()
        .find(|v| lang_of(v) == lang)
        .or_else(|| fallback.iter().find_map(|l| variants.iter().find(|v| lang_of(v) == l)))
        .copied()
}

/// The path part of the base URL (`/` or `/sub/path/`), for root-relative links.
pub fn base_path(base_url: &str) -> String {
    let after_scheme = base_url.split_once("://").map_or(base_url, |(_, rest)| rest);
    let path = after_scheme.find('/').map_or("/", |i| &after_scheme[i..]);
    format!("{}/", path.trim_end_matches('/'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_path_of_urls() {
        assert_eq!(base_path("https://x.ma/"), "/");
        assert_eq!(base_path("https://x.ma"), "/");
        assert_eq!(base_path("https://host/sub/path/"), "/sub/path/");
        assert_eq!(base_path("http://127.0.0.1:1111/sub"), "/sub/");
    }
}
