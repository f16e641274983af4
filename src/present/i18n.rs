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

    #[test]
    fn every_language_has_the_same_keys() {
        let (ar, fr) = (strings("ar"), strings("fr"));
        let missing: Vec<_> = ar.strings.keys().filter(|k| !fr.strings.contains_key(*k)).collect();
        assert!(missing.is_empty(), "missing in fr: {missing:?}");
        let missing: Vec<_> = fr.strings.keys().filter(|k| !ar.strings.contains_key(*k)).collect();
        assert!(missing.is_empty(), "missing in ar: {missing:?}");
    }
}
