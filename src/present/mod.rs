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

    /// The feeds fixture (Arabic, then French) and its theme's UI strings.
    fn fixture() -> (crate::Checked, BTreeMap<String, Strings>) {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/feeds-site");
        let checked = crate::check(&root, None, false).unwrap();
        let theme = crate::render::theme::Theme::load(&root, &checked.site.config.table()).unwrap();
        (checked, theme.strings)
    }

    fn text(pairs: &[(&str, &str)]) -> Text {
        pairs.iter().copied().collect()
    }

    /// (text, lang, dir, fallback) of a [`Loc`].
    fn shown(loc: &Loc) -> (&str, &str, &str, bool) {
        (&loc.text, &loc.lang, &loc.dir, loc.fallback)
    }

    #[test]
    fn a_missing_translation_is_shown_from_the_fallback_marked_with_its_language() {
        let (checked, strings) = fixture();
        let fr = Lx::new(&checked.site, &checked.facts, &strings, "fr", "/sub/");
        assert_eq!(fr.fallback, ["ar"]);
        let both = text(&[("ar", "نص"), ("fr", "  Texte  ")]);
        let arabic = text(&[("ar", "نص **عريض**")]);
        assert_eq!(fr.pick(&both), Some(("fr", "  Texte  ")));
        assert_eq!(fr.pick(&arabic), Some(("ar", "نص **عريض**")));
        assert_eq!(fr.pick(&Text::default()), None);
        let loc = fr.loc(&both);
        assert_eq!(shown(&loc), ("Texte", "fr", "ltr", false));
        assert_eq!(loc.note, "pas encore traduit");
        assert_eq!(shown(&fr.loc(&arabic)), ("نص **عريض**", "ar", "rtl", true));
        assert_eq!(shown(&fr.loc(&Text::default())), ("", "fr", "ltr", false));

        let md = fr.md(&arabic, 2);
        assert_eq!((md.lang.as_str(), md.dir.as_str(), md.fallback), ("ar", "rtl", true));
        assert_eq!(md.html.trim(), "<p>نص <strong>عريض</strong></p>");
        assert!(md.note.starts_with("Ce texte n'est pas encore disponible en français"), "{}", md.note);
        let md = fr.md(&both, 2);
        assert_eq!((md.lang.as_str(), md.dir.as_str(), md.fallback, md.html.trim()), ("fr", "ltr", false, "<p>Texte</p>"));
        assert!(fr.md_opt(&None, 2).is_none());
        assert_eq!(fr.md_opt(&Some(both), 2).unwrap().html.trim(), "<p>Texte</p>");

        let ar = Lx::new(&checked.site, &checked.facts, &strings, "ar", "/");
        assert_eq!(shown(&ar.loc(&text(&[("fr", "Texte")]))), ("Texte", "fr", "ltr", true));
        assert_eq!(ar.loc(&text(&[("fr", "Texte")])).note, "لم تترجم بعد");
    }

    #[test]
    fn links_labels_and_dates_in_the_pages_language() {
        let (checked, strings) = fixture();
        let fr = Lx::new(&checked.site, &checked.facts, &strings, "fr", "/sub/");
        assert_eq!(fr.href("fr/plans/"), "/sub/fr/plans/");
        assert_eq!(fr.t("not_translated"), "pas encore traduit");
        assert_eq!(fr.status_label(Status::Delayed), "En retard");
        assert_eq!(fr.status_label(Status::InProgress), "En cours");
        assert_eq!(fr.date(&Date::parse("2024-05-01").unwrap()), "1er mai 2024");
        assert_eq!(fr.as_of(), "15 juin 2025");

        let area = fr.area_link("transparency");
        assert_eq!((shown(&area.label), area.href.as_str()), (("Transparence", "fr", "ltr", false), "/sub/fr/areas/transparency/"));
        let area = fr.area_link("gone");
        assert_eq!((shown(&area.label), area.href.as_str()), (("gone", "fr", "ltr", false), "/sub/fr/areas/gone/"));
        let lead = fr.institution_link("digital-ministry");
        assert_eq!(lead.label.text, "Ministère de la Transition numérique");
        assert_eq!(lead.href, "/sub/fr/institutions/digital-ministry/");
        let lead = fr.institution_link("gone");
        assert_eq!((shown(&lead.label), lead.href.as_str()), (("gone", "fr", "ltr", false), "/sub/fr/institutions/gone/"));
        let plan = fr.plan_link(&checked.site.plans[0]);
        assert_eq!(plan.href, "/sub/fr/plans/2024-2027/");
        assert_eq!(plan.label.lang, "fr");
        assert!(!plan.label.text.is_empty());
    }

    /// A language's direction comes from its UI strings' row, else from the built-in
    /// table, else left to right.
    #[test]
    fn dir_of_every_kind_of_language() {
        let (_, strings) = fixture();
        assert_eq!(dir_of(&strings, "ar"), "rtl");
        assert_eq!(dir_of(&strings, "fr"), "ltr");
        assert_eq!(dir_of(&BTreeMap::new(), "ar"), "rtl");
        assert_eq!(dir_of(&BTreeMap::new(), "en"), "ltr");
        assert_eq!(dir_of(&BTreeMap::new(), "xx"), "ltr");
    }

    /// The page's own variant, else the first fallback language that has one.
    #[test]
    fn pick_variant_follows_the_fallback_order() {
        let variants = [&("fr", 1), &("ar", 2), &("en", 3)];
        fn lang_of<'v>(v: &'v (&'static str, i32)) -> &'v str {
            v.0
        }
        let order = |codes: &[&str]| codes.iter().map(|c| c.to_string()).collect::<Vec<_>>();
        assert_eq!(pick_variant(&variants, lang_of, "ar", &order(&["fr"])), Some(&("ar", 2)));
        assert_eq!(pick_variant(&variants, lang_of, "zgh", &order(&["en", "fr"])), Some(&("en", 3)));
        assert_eq!(pick_variant(&variants, lang_of, "zgh", &order(&["xx", "ar"])), Some(&("ar", 2)));
        assert_eq!(pick_variant(&variants, lang_of, "zgh", &order(&["xx"])), None);
        assert_eq!(pick_variant(&variants[..0], lang_of, "fr", &order(&["fr"])), None);
    }

    #[test]
    fn base_path_of_urls() {
        assert_eq!(base_path("https://x.ma/"), "/");
        assert_eq!(base_path("https://x.ma"), "/");
        assert_eq!(base_path("https://host/sub/path/"), "/sub/path/");
        assert_eq!(base_path("http://127.0.0.1:1111/sub"), "/sub/");
    }
}
