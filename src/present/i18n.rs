//! UI strings, and dates and numbers written as each language's row of the language
//! table says.

use std::collections::BTreeMap;

use anyhow::{Result, anyhow, bail};

use crate::language::Language;
use crate::load::yaml::{self, Value};
use crate::model::Date;

/// Keys that UI string files of earlier versions held and the language table now gives
/// (`site.yaml` overrides them there); a file that still has them loads, and they are
/// not read.
pub const TABLE_KEYS: [&str; 6] = ["language_name", "dir", "months", "decimal_separator", "thousands_separator", "percent_format"];

/// The UI strings of one language, from `themes/NAME/i18n/LANG.yaml`, with its row of
/// the language table.
#[derive(Debug, Clone)]
pub struct Strings {
    pub lang: String,
    pub strings: BTreeMap<String, String>,
    pub language: Language,
}

impl Strings {
    /// Parses an i18n file of `language`; `name` is used in error messages.
    pub fn parse(language: &Language, name: &str, text: &str) -> Result<Strings> {
        let node = yaml::parse(text, 0).map_err(|e| anyhow!("{name}:{}:{}: {}", e.pos.line, e.pos.column, e.message))?;
        let Value::Map(entries) = node.value else { bail!("{name}: expected a map of UI strings") };
        let mut strings = BTreeMap::new();
        for (key, value) in entries {
            let Value::Scalar { text: key, .. } = key.value else { bail!("{name}:{}: keys must be names", key.pos.line) };
            if TABLE_KEYS.contains(&key.as_str()) {
                continue;
            }
            match value.value {
                Value::Scalar { text, .. } => {
                    strings.insert(key, text);
                }
                _ => bail!("{name}:{}: \"{key}\" must be a string", value.pos.line),
            }
        }
        Ok(Strings { lang: language.code.clone(), strings, language: language.clone() })
    }

    /// Adds the keys of `other` (a fallback language's strings) that this language's file
    /// lacks, so a page never shows a key's name; `shafaf translate status` lists them.
    pub fn fill_from(&mut self, other: &Strings) {
        for (key, value) in &other.strings {
            if !self.strings.contains_key(key) {
                self.strings.insert(key.clone(), value.clone());
            }
        }
    }

    /// The string for `key`, or the key itself so a missing string shows, not crashes.
    pub fn get<'s>(&'s self, key: &'s str) -> &'s str {
        self.strings.get(key).map(String::as_str).unwrap_or(key)
    }

    /// The string for `key` with `{name}` placeholders replaced.
    pub fn format(&self, key: &str, args: &[(&str, &str)]) -> String {
        let mut text = self.get(key).to_string();
        for (name, value) in args {
            text = text.replace(&format!("{{{name}}}"), value);
        }
        text
    }

    /// `rtl` or `ltr`: the language's own, from the table.
    pub fn dir(&self) -> &'static str {
        self.language.dir.as_str()
    }

    /// A date as people write it: "ماي 2024", "17 mai 2024", "2025".
    pub fn date(&self, date: &Date) -> String {
        let l = &self.language;
        let month = date.month.and_then(|m| l.months.get(m as usize - 1));
        let year = date.year.to_string();
        match (month, date.day) {
            (None, _) => year,
            (Some(month), None) => l.month_format.replace("{month}", month).replace("{year}", &year),
            (Some(month), Some(day)) => {
                let day = match &l.first_day {
                    Some(first) if day == 1 => first.clone(),
                    _ => day.to_string(),
                };
                l.date_format.replace("{day}", &day).replace("{month}", month).replace("{year}", &year)
            }
        }
    }

    /// A number with this language's separators and at most `decimals` decimals,
    /// trailing zeros dropped: 120000 → "120 000", 65.44 → "65,44".
    pub fn number(&self, value: f64, decimals: usize) -> String {
        let text = format!("{:.*}", decimals, value.abs());
        let (whole, fraction) = text.split_once('.').unwrap_or((&text, ""));
        let fraction = fraction.trim_end_matches('0');
        let separator = self.language.thousands_separator.as_str();
        // Narrow no-break space: the number never wraps across lines.
        let separator = if separator == " " { "\u{202F}" } else { separator };
        let mut grouped = String::new();
        for (i, digit) in whole.chars().enumerate() {
            if i > 0 && (whole.len() - i) % 3 == 0 && whole.len() > 4 {
                grouped.push_str(separator);
            }
            grouped.push(digit);
        }
        let sign = if value < 0.0 && text.chars().any(|c| c.is_ascii_digit() && c != '0') { "-" } else { "" };
        if fraction.is_empty() {
            format!("{sign}{grouped}")
        } else {
            format!("{sign}{grouped}{}{fraction}", self.language.decimal_separator)
        }
    }

    /// A percentage with one decimal at most: "65,4 %" or "65,4%".
    pub fn percent(&self, value: f64) -> String {
        // Only a full 100 reads "100 %": 99.999 shows as 99.99, never beside "delayed".
        let shown = if value < 100.0 && value > 99.99 { 99.99 } else { value };
        let n = self.number(shown, 2);
        self.language.percent_format.replace("{n}", &n).replace(' ', "\u{202F}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(lang: &str) -> Strings {
        let path = format!("{}/themes/default/i18n/{lang}.yaml", env!("CARGO_MANIFEST_DIR"));
        Strings::parse(&Language::built_in(lang).unwrap(), &path, &std::fs::read_to_string(&path).unwrap()).unwrap()
    }

    #[test]
    fn moroccan_month_names_in_arabic() {
        let ar = strings("ar");
        assert_eq!(ar.date(&Date::parse("2024-05").unwrap()), "ماي 2024");
        assert_eq!(ar.date(&Date::parse("2024-08-17").unwrap()), "17 غشت 2024");
        assert_eq!(ar.date(&Date::parse("2024-12").unwrap()), "دجنبر 2024");
        assert_eq!(ar.date(&Date::parse("2025").unwrap()), "2025");
    }

    #[test]
    fn french_dates() {
        let fr = strings("fr");
        assert_eq!(fr.date(&Date::parse("2024-05").unwrap()), "mai 2024");
        assert_eq!(fr.date(&Date::parse("2024-05-01").unwrap()), "1er mai 2024");
        assert_eq!(fr.date(&Date::parse("2023-03-28").unwrap()), "28 mars 2023");
    }

    #[test]
    fn numbers_and_percentages() {
        let fr = strings("fr");
        assert_eq!(fr.number(120000.0, 0), "120\u{202F}000");
        assert_eq!(fr.number(1200.0, 0), "1200");
        assert_eq!(fr.number(65.44, 2), "65,44");
        assert_eq!(fr.number(65.0, 2), "65");
        assert_eq!(fr.percent(65.4), "65,4\u{202F}%");
        assert_eq!(fr.percent(100.0), "100\u{202F}%");
        assert_eq!(fr.percent(99.99999), "99,99\u{202F}%", "only 100 reads 100");
        assert_eq!(fr.percent(99.996), "99,99\u{202F}%");
        let ar = strings("ar");
        assert_eq!(ar.percent(83.0), "83\u{202F}%");
        assert_eq!(ar.number(-3.5, 1), "-3,5");
    }

    /// Numbers in each built-in language's separators: thousands grouped from five
    /// digits up, at most `decimals` decimals with trailing zeros dropped, and no
    /// minus sign on a number that rounds to zero.
    #[test]
    fn numbers_in_every_language() {
        let (fr, en) = (strings("fr"), strings("en"));
        let nnbsp = "\u{202F}";
        let table: [(f64, usize, String, &str); 14] = [
            (0.0, 0, "0".into(), "0"),
            (7.0, 2, "7".into(), "7"),
            (999.0, 0, "999".into(), "999"),
            (1234.0, 0, "1234".into(), "1234"),
            (12345.0, 0, format!("12{nnbsp}345"), "12,345"),
            (123456.0, 0, format!("123{nnbsp}456"), "123,456"),
            (1234567.0, 0, format!("1{nnbsp}234{nnbsp}567"), "1,234,567"),
            (12345.678, 2, format!("12{nnbsp}345,68"), "12,345.68"),
            (0.5, 1, "0,5".into(), "0.5"),
            (2.05, 1, "2".into(), "2"),
            (-2.5, 1, "-2,5".into(), "-2.5"),
            (-12345.0, 0, format!("-12{nnbsp}345"), "-12,345"),
            (-0.001, 1, "0".into(), "0"),
            (-0.04, 1, "0".into(), "0"),
        ];
        for (value, decimals, in_french, in_english) in table {
            assert_eq!(fr.number(value, decimals), in_french, "{value} in French");
            assert_eq!(en.number(value, decimals), in_english, "{value} in English");
        }
    }

    /// Percentages: only a full 100 reads 100, anything just under it reads 99.99.
    #[test]
    fn percentages_round_but_never_up_to_a_full_hundred() {
        let (fr, en) = (strings("fr"), strings("en"));
        let table: [(f64, &str, &str); 7] = [
            (0.0, "0\u{202F}%", "0%"),
            (99.99, "99,99\u{202F}%", "99.99%"),
            (99.990001, "99,99\u{202F}%", "99.99%"),
            (99.9999, "99,99\u{202F}%", "99.99%"),
            (100.0, "100\u{202F}%", "100%"),
            (100.004, "100\u{202F}%", "100%"),
            (12.346, "12,35\u{202F}%", "12.35%"),
        ];
        for (value, in_french, in_english) in table {
            assert_eq!(fr.percent(value), in_french, "{value} in French");
            assert_eq!(en.percent(value), in_english, "{value} in English");
        }
    }

    #[test]
    fn dates_in_english_have_no_special_first_day() {
        let en = strings("en");
        assert_eq!(en.date(&Date::parse("2024-01-01").unwrap()), "1 January 2024");
        assert_eq!(en.date(&Date::parse("2024-12-31").unwrap()), "31 December 2024");
        assert_eq!(en.date(&Date::parse("2024-02").unwrap()), "February 2024");
    }

    /// Keys the language table now gives are skipped, other keys kept as written;
    /// anything but a map of names to strings is refused with its file and line.
    #[test]
    fn parse_keeps_ui_strings_and_skips_the_language_tables_keys() {
        let fr = Language::built_in("fr").unwrap();
        let parsed = Strings::parse(&fr, "fr.yaml", "home: Accueil\ndir: rtl\nmonths: [a, b]\nsearch: \"Rechercher {q}\"\n").unwrap();
        assert_eq!(parsed.lang, "fr");
        assert_eq!(parsed.language.code, "fr");
        assert_eq!(parsed.strings.keys().collect::<Vec<_>>(), ["home", "search"]);
        assert_eq!(parsed.get("home"), "Accueil");
        assert_eq!(parsed.dir(), "ltr", "the table's direction, not the file's");
        let error = |text: &str| Strings::parse(&fr, "fr.yaml", text).unwrap_err().to_string();
        assert_eq!(error("- a\n- b\n"), "fr.yaml: expected a map of UI strings");
        assert_eq!(error("home: Accueil\nmenu:\n  a: b\n"), "fr.yaml:3: \"menu\" must be a string");
        assert_eq!(error("home: Accueil\n[a]: b\n"), "fr.yaml:2: keys must be names");
        assert!(error("home: [\n").starts_with("fr.yaml:"), "{}", error("home: [\n"));
        assert_eq!(Strings::parse(&Language::built_in("ar").unwrap(), "ar.yaml", "a: b").unwrap().dir(), "rtl");
    }

    /// A missing string is taken from the fallback language, an existing one kept; a key
    /// no language has shows as itself; placeholders are filled by name.
    #[test]
    fn fill_from_get_and_format() {
        let fr = Language::built_in("fr").unwrap();
        let mut own = Strings::parse(&fr, "fr.yaml", "home: Accueil\n").unwrap();
        let other = Strings::parse(&fr, "ar.yaml", "home: Home\nfound: \"{n} results for {q}, {n} in all\"\n").unwrap();
        own.fill_from(&other);
        assert_eq!(own.get("home"), "Accueil");
        assert_eq!(own.get("found"), "{n} results for {q}, {n} in all");
        assert_eq!(own.get("nowhere"), "nowhere");
        assert_eq!(own.format("found", &[("n", "3"), ("q", "eau")]), "3 results for eau, 3 in all");
        assert_eq!(own.format("nowhere", &[("n", "3")]), "nowhere");
    }

    #[test]
    fn every_language_has_the_same_keys() {
        let (ar, fr) = (strings("ar"), strings("fr"));
        let missing: Vec<_> = ar.strings.keys().filter(|k| !fr.strings.contains_key(*k)).collect();
        assert!(missing.is_empty(), "missing in fr: {missing:?}");
        let missing: Vec<_> = fr.strings.keys().filter(|k| !ar.strings.contains_key(*k)).collect();
        assert!(missing.is_empty(), "missing in ar: {missing:?}");
    }
}
