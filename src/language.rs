//! The language table: each language a site may be written in, with what shafaf needs to
//! show it (native name, writing direction, fallback order), to search it (stemmer) and
//! to write its dates and numbers. Arabic, French and English are built in; `site.yaml`
//! may override any field of theirs, or describe another language in full (see
//! `languages:` in the README).

/// The writing direction of a language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dir {
    Ltr,
    Rtl,
}

impl Dir {
    pub fn as_str(self) -> &'static str {
        match self {
            Dir::Ltr => "ltr",
            Dir::Rtl => "rtl",
        }
    }

    pub fn parse(text: &str) -> Option<Dir> {
        match text {
            "ltr" => Some(Dir::Ltr),
            "rtl" => Some(Dir::Rtl),
            _ => None,
        }
    }
}

/// How the search index reduces a language's words to their stems.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stemmer {
    /// Light affix stripping on folded Arabic (Larkey's light10).
    Arabic,
    /// Snowball French.
    French,
    /// Snowball English (Porter 2).
    English,
    /// Folding and tokens only.
    None,
}

impl Stemmer {
    pub const NAMES: [&'static str; 4] = ["arabic", "french", "english", "none"];

    pub fn name(self) -> &'static str {
        match self {
            Stemmer::Arabic => "arabic",
            Stemmer::French => "french",
            Stemmer::English => "english",
            Stemmer::None => "none",
        }
    }

    pub fn parse(text: &str) -> Option<Stemmer> {
        match text {
            "arabic" => Some(Stemmer::Arabic),
            "french" => Some(Stemmer::French),
            "english" => Some(Stemmer::English),
            "none" => Some(Stemmer::None),
            _ => None,
        }
    }
}

/// One row of the language table.
#[derive(Debug, Clone, PartialEq)]
pub struct Language {
    /// ISO 639 code: `ar`, `fr`, `en`, `zgh`.
    pub code: String,
    /// The language's name in itself, as the language switcher shows it.
    pub name: String,
    /// The language's name in English, for messages to editors.
    pub english_name: String,
    pub dir: Dir,
    /// The languages a missing text is taken from, in order, before the site's other
    /// languages (in the site's order, the default first).
    pub fallback: Vec<String>,
    /// A language the site is still translating into: its missing texts fall back
    /// visibly and are counted in `check`'s summary, but are not warnings, so
    /// `--strict` does not fail on them (`partial: true` in `site.yaml`).
    pub partial: bool,
    pub stemmer: Stemmer,
    /// The twelve month names, January first.
    pub months: Vec<String>,
    /// A full date: `{day} {month} {year}`.
    pub date_format: String,
    /// A month: `{month} {year}`.
    pub month_format: String,
    /// How the first day of a month is written, when not `1` (French `1er`).
    pub first_day: Option<String>,
    pub decimal_separator: String,
    /// A space here is printed as a narrow no-break space.
    pub thousands_separator: String,
    /// A percentage: `{n} %` (a space here is printed as a narrow no-break space).
    pub percent_format: String,
}

/// The codes of the built-in languages.
pub const BUILT_IN: [&str; 3] = ["ar", "fr", "en"];

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}

impl Language {
    /// The built-in row of `code`, if it has one.
    pub fn built_in(code: &str) -> Option<Language> {
        let row = match code {
            "ar" => Language {
                code: "ar".into(),
                name: "العربية".into(),
                english_name: "Arabic".into(),
                dir: Dir::Rtl,
                fallback: Vec::new(),
                partial: false,
                stemmer: Stemmer::Arabic,
                // The month names used in Morocco.
                months: strings(&[
                    "يناير",
                    "فبراير",
                    "مارس",
                    "أبريل",
                    "ماي",
                    "يونيو",
                    "يوليوز",
                    "غشت",
                    "شتنبر",
                    "أكتوبر",
                    "نونبر",
                    "دجنبر",
                ]),
                date_format: "{day} {month} {year}".into(),
                month_format: "{month} {year}".into(),
                first_day: None,
                decimal_separator: ",".into(),
                thousands_separator: " ".into(),
                percent_format: "{n} %".into(),
            },
            "fr" => Language {
                code: "fr".into(),
                name: "Français".into(),
                english_name: "French".into(),
                dir: Dir::Ltr,
                fallback: Vec::new(),
                partial: false,
                stemmer: Stemmer::French,
                months: strings(&[
                    "janvier",
                    "février",
                    "mars",
                    "avril",
                    "mai",
                    "juin",
                    "juillet",
                    "août",
                    "septembre",
                    "octobre",
                    "novembre",
                    "décembre",
                ]),
                date_format: "{day} {month} {year}".into(),
                month_format: "{month} {year}".into(),
                first_day: Some("1er".into()),
                decimal_separator: ",".into(),
                thousands_separator: " ".into(),
                percent_format: "{n} %".into(),
            },
            "en" => Language {
                code: "en".into(),
                name: "English".into(),
                english_name: "English".into(),
                dir: Dir::Ltr,
                // A reader of English reads a Latin script first.
                fallback: strings(&["fr"]),
                partial: false,
                stemmer: Stemmer::English,
                months: strings(&[
                    "January",
                    "February",
                    "March",
                    "April",
                    "May",
                    "June",
                    "July",
                    "August",
                    "September",
                    "October",
                    "November",
                    "December",
                ]),
                date_format: "{day} {month} {year}".into(),
                month_format: "{month} {year}".into(),
                first_day: None,
                decimal_separator: ".".into(),
                thousands_separator: ",".into(),
                percent_format: "{n}%".into(),
            },
            _ => return None,
        };
        Some(row)
    }

    /// A row for a language that is neither built in nor described (only while the
    /// site's configuration is being reported as wrong): its code, left to right.
    pub fn placeholder(code: &str) -> Language {
        Language {
            code: code.into(),
            name: code.into(),
            english_name: code.into(),
            dir: Dir::Ltr,
            fallback: Vec::new(),
            partial: false,
            stemmer: Stemmer::None,
            months: (1..=12).map(|m| format!("{m:02}")).collect(),
            date_format: "{day} {month} {year}".into(),
            month_format: "{month} {year}".into(),
            first_day: None,
            decimal_separator: ".".into(),
            thousands_separator: " ".into(),
            percent_format: "{n} %".into(),
        }
    }

    /// "French (fr)": how messages to editors name the language (`"ber"` when only its
    /// code is known).
    pub fn label(&self) -> String {
        if self.english_name == self.code { format!("\"{}\"", self.code) } else { format!("{} ({})", self.english_name, self.code) }
    }
}

/// The languages of a site, the default first.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Languages {
    rows: Vec<Language>,
}

impl Languages {
    pub fn new(rows: Vec<Language>) -> Languages {
        Languages { rows }
    }

    /// The built-in rows of `codes` (a code without one gets a placeholder).
    pub fn built_in(codes: &[String]) -> Languages {
        Languages::new(codes.iter().map(|c| Language::built_in(c).unwrap_or_else(|| Language::placeholder(c))).collect())
    }

    pub fn rows(&self) -> &[Language] {
        &self.rows
    }

    /// The row of `code`; a code the site does not declare gets its built-in row, or a
    /// placeholder.
    pub fn get(&self, code: &str) -> std::borrow::Cow<'_, Language> {
        match self.rows.iter().find(|l| l.code == code) {
            Some(row) => std::borrow::Cow::Borrowed(row),
            None => std::borrow::Cow::Owned(Language::built_in(code).unwrap_or_else(|| Language::placeholder(code))),
        }
    }

    pub fn dir(&self, code: &str) -> Dir {
        self.get(code).dir
    }

    /// Where a text missing in `code` is looked for, in order: the row's own fallback
    /// languages the site declares, then the site's other languages in its order.
    pub fn fallback_order(&self, code: &str) -> Vec<&str> {
        let mut order: Vec<&str> = Vec::new();
        let declared = |l: &str| self.rows.iter().any(|r| r.code == l);
        if let Some(row) = self.rows.iter().find(|l| l.code == code) {
            for l in &row.fallback {
                if declared(l) && l != code && !order.contains(&l.as_str()) {
                    order.push(l);
                }
            }
        }
        for row in &self.rows {
            if row.code != code && !order.contains(&row.code.as_str()) {
                order.push(&row.code);
            }
        }
        order
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(codes: &[&str]) -> Languages {
        Languages::built_in(&codes.iter().map(|c| c.to_string()).collect::<Vec<_>>())
    }

    #[test]
    fn english_falls_back_to_french_before_arabic() {
        assert_eq!(site(&["ar", "fr", "en"]).fallback_order("en"), vec!["fr", "ar"]);
        assert_eq!(site(&["ar", "fr", "en"]).fallback_order("fr"), vec!["ar", "en"]);
        assert_eq!(site(&["ar", "en"]).fallback_order("en"), vec!["ar"], "an undeclared fallback is skipped");
    }

    #[test]
    fn every_built_in_row_is_complete() {
        for code in BUILT_IN {
            let row = Language::built_in(code).unwrap();
            assert_eq!(row.code, code);
            assert_eq!(row.months.len(), 12, "{code}");
        }
        assert_eq!(site(&["ar", "fr"]).dir("ar"), Dir::Rtl);
        assert_eq!(site(&["ar", "fr"]).dir("en"), Dir::Ltr);
    }

    #[test]
    fn directions_and_stemmers_are_read_and_written_with_their_site_yaml_names() {
        for (dir, name) in [(Dir::Ltr, "ltr"), (Dir::Rtl, "rtl")] {
            assert_eq!(dir.as_str(), name);
            assert_eq!(Dir::parse(name), Some(dir), "{name}");
        }
        assert_eq!(Dir::parse("RTL"), None);
        let stemmers = [(Stemmer::Arabic, "arabic"), (Stemmer::French, "french"), (Stemmer::English, "english"), (Stemmer::None, "none")];
        for (stemmer, name) in stemmers {
            assert_eq!(stemmer.name(), name);
            assert_eq!(Stemmer::parse(name), Some(stemmer), "{name}");
        }
        assert_eq!(Stemmer::NAMES.to_vec(), stemmers.map(|(_, name)| name).to_vec());
        assert_eq!(Stemmer::parse("porter"), None);
    }

    #[test]
    fn messages_name_a_language_in_english_with_its_code_or_by_its_code_alone() {
        assert_eq!(Language::built_in("fr").unwrap().label(), "French (fr)");
        assert_eq!(Language::built_in("ar").unwrap().label(), "Arabic (ar)");
        assert_eq!(Language::placeholder("ber").label(), "\"ber\"");
    }

    #[test]
    fn a_sites_rows_are_its_languages_in_its_order() {
        let codes: Vec<String> = site(&["fr", "ar", "zgh"]).rows().iter().map(|l| l.code.clone()).collect();
        assert_eq!(codes, ["fr", "ar", "zgh"]);
        assert!(Languages::default().rows().is_empty());
    }
}
