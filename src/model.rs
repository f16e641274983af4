//! The domain model: plain data, as an editor wrote it, with no rendering in it.
//!
//! Positions (`Pos`) are kept only where a rule that spans several files needs to point
//! back at the source (references and commitment numbers); everything local to one file
//! is checked while it is loaded.

use std::fmt;

use chrono::{Datelike, NaiveDate};

use crate::language::Languages;

/// A line and column in a source file, both counted from 1 (columns in characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Pos {
    pub line: usize,
    pub column: usize,
}

impl Pos {
    pub fn new(line: usize, column: usize) -> Self {
        Pos { line, column }
    }
}

/// Text in several languages: language code → Markdown or plain string, sorted by
/// language code. A short sorted list rather than a map: a text has one to three
/// languages, and a B-tree's node (over 500 bytes) for each of the 300,000 texts of a
/// 10,000-commitment site was a quarter of its loaded size.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Text(Vec<(String, String)>);

impl Text {
    pub fn get(&self, lang: &str) -> Option<&str> {
        self.get_key_value(lang).map(|(_, text)| text)
    }

    /// The language code as stored and the text in `lang`.
    pub fn get_key_value(&self, lang: &str) -> Option<(&str, &str)> {
        self.0.iter().find(|(l, _)| l == lang).map(|(l, text)| (l.as_str(), text.as_str()))
    }

    pub fn contains(&self, lang: &str) -> bool {
        self.get(lang).is_some()
    }

    /// Sets the text in `lang`, replacing any text it had in that language.
    pub fn insert(&mut self, lang: String, text: String) {
        match self.0.binary_search_by(|(l, _)| l.as_str().cmp(&lang)) {
            Ok(at) => self.0[at].1 = text,
            Err(at) => self.0.insert(at, (lang, text)),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// (language, text) in language-code order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().map(|(l, text)| (l.as_str(), text.as_str()))
    }
}

impl<L: Into<String>, T: Into<String>> FromIterator<(L, T)> for Text {
    fn from_iter<I: IntoIterator<Item = (L, T)>>(pairs: I) -> Text {
        let mut text = Text::default();
        for (lang, value) in pairs {
            text.insert(lang.into(), value.into());
        }
        text
    }
}

/// A date written with year, month or day precision (`2024`, `2024-05`, `2024-05-17`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: i32,
    pub month: Option<u32>,
    pub day: Option<u32>,
}

impl Date {
    /// The years a portal's dates may fall in: anything outside is a typo (`0000`,
    /// `20244` cut short, `2204`), not a plan.
    pub const FIRST_YEAR: i32 = 1950;
    pub const LAST_YEAR: i32 = 2100;

    /// Parses `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, checking that the day exists. The year
    /// window is checked apart (see [`Date::in_year_window`]), so messages can say which
    /// rule failed.
    pub fn parse(text: &str) -> Option<Date> {
        let bytes = text.as_bytes();
        let digits =
            |range: std::ops::Range<usize>| bytes.get(range.clone()).filter(|b| b.iter().all(u8::is_ascii_digit)).map(|_| &text[range]);
        let year: i32 = digits(0..4)?.parse().ok()?;
        let date = match bytes.len() {
            4 => Date { year, month: None, day: None },
            7 if bytes[4] == b'-' => {
                let month: u32 = digits(5..7)?.parse().ok()?;
                Date { year, month: Some(month), day: None }
            }
            10 if bytes[4] == b'-' && bytes[7] == b'-' => {
                let month: u32 = digits(5..7)?.parse().ok()?;
                let day: u32 = digits(8..10)?.parse().ok()?;
                Date { year, month: Some(month), day: Some(day) }
            }
            _ => return None,
        };
        (date.month.is_none_or(|m| (1..=12).contains(&m)) && date.first_day().is_some()).then_some(date)
    }

    /// Does the year lie between [`Date::FIRST_YEAR`] and [`Date::LAST_YEAR`]?
    pub fn in_year_window(&self) -> bool {
        (Date::FIRST_YEAR..=Date::LAST_YEAR).contains(&self.year)
    }

    /// How messages state the window: "the years 1950 to 2100".
    pub fn year_window() -> String {
        format!("the years {} to {}", Date::FIRST_YEAR, Date::LAST_YEAR)
    }

    pub fn from_naive(date: NaiveDate) -> Date {
        Date { year: date.year(), month: Some(date.month()), day: Some(date.day()) }
    }

    /// The first day of the period the date names.
    pub fn first_day(&self) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(self.year, self.month.unwrap_or(1), self.day.unwrap_or(1))
    }

    /// The last day of the period the date names: `2024-05` ends on 31 May 2024 and
    /// `2025` on 31 December 2025.
    pub fn last_day(&self) -> Option<NaiveDate> {
        match (self.month, self.day) {
            (Some(m), Some(d)) => NaiveDate::from_ymd_opt(self.year, m, d),
            (Some(m), None) => {
                let first_of_next =
                    if m == 12 { NaiveDate::from_ymd_opt(self.year + 1, 1, 1) } else { NaiveDate::from_ymd_opt(self.year, m + 1, 1) };
                first_of_next.and_then(|d| d.pred_opt())
            }
            (None, _) => NaiveDate::from_ymd_opt(self.year, 12, 31),
        }
    }

    pub fn precision(&self) -> DatePrecision {
        match (self.month, self.day) {
            (None, _) => DatePrecision::Year,
            (Some(_), None) => DatePrecision::Month,
            (Some(_), Some(_)) => DatePrecision::Day,
        }
    }
}

impl fmt::Display for Date {
    /// Writes the date with the precision it was given, as the editor wrote it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}", self.year)?;
        if let Some(m) = self.month {
            write!(f, "-{m:02}")?;
        }
        if let Some(d) = self.day {
            write!(f, "-{d:02}")?;
        }
        Ok(())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DatePrecision {
    Year,
    Month,
    Day,
}

/// A reference to another entity by ID, with where it was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ref {
    pub id: String,
    pub pos: Pos,
}

/// The whole portal as loaded from `content/`.
#[derive(Debug, Clone, Default)]
pub struct Site {
    pub config: SiteConfig,
    pub areas: Vec<Area>,
    pub institutions: Vec<Institution>,
    pub plans: Vec<Plan>,
    pub pages: Vec<Page>,
    pub news: Vec<NewsPost>,
}

/// The one order of each kind of entity, used by the loader, the preview and the
/// exports alike, so that every list and record reads the same way everywhere.
impl Site {
    /// Puts every list of the site in its order (after loading, or after an edit).
    pub fn sort(&mut self) {
        for plan in &mut self.plans {
            plan.commitments.sort_by(|a, b| a.order_key().cmp(&b.order_key()));
        }
        self.areas.sort_by(|a, b| a.order_key().cmp(&b.order_key()));
        self.institutions.sort_by(|a, b| a.id.cmp(&b.id));
        self.plans.sort_by(|a, b| a.id.cmp(&b.id));
        self.pages.sort_by(|a, b| a.order_key().cmp(&b.order_key()));
        self.news.sort_by(|a, b| a.order_key().cmp(&b.order_key()));
    }

    /// Plans newest first (by start date), then by ID: the order lists that span plans
    /// read them in.
    pub fn plans_newest_first(&self) -> Vec<&Plan> {
        let mut plans: Vec<&Plan> = self.plans.iter().collect();
        plans.sort_by(|a, b| b.start.cmp(&a.start).then_with(|| a.id.cmp(&b.id)));
        plans
    }
}

#[derive(Debug, Clone, Default)]
pub struct SiteConfig {
    pub title: Text,
    pub description: Text,
    pub base_url: String,
    /// The site's languages, the default one first.
    pub languages: Vec<String>,
    /// The table row of each of `languages`, in the same order.
    pub language_table: Languages,
    pub data_license: License,
    pub as_of: Option<Date>,
    /// A commitment with no report for this many months is marked stale; `None` means
    /// [`DEFAULT_STALE_AFTER_MONTHS`].
    pub stale_after_months: Option<u32>,
    /// Rows per page of a list; `None` means [`DEFAULT_PAGE_SIZE`].
    pub page_size: Option<u32>,
    /// The institution that publishes the open data (the DCAT catalog's publisher);
    /// `None` names the portal itself.
    pub publisher: Option<Ref>,
    /// Where data users write about the open data; `None` when the portal gives none.
    pub contact_email: Option<String>,
    /// URIs of the places the data covers, e.g. the EU country authority's
    /// `http://publications.europa.eu/resource/authority/country/MAR`.
    pub spatial_coverage: Vec<String>,
    /// The web address of the content's git repository (`https://host/owner/repo`): a
    /// revision of a sheet links to its commit there.
    pub repository: Option<String>,
}

/// Rows per page when `site.yaml` does not say: a list page stays well under 300 kB.
pub const DEFAULT_PAGE_SIZE: u32 = 50;

/// How long a report stays current when `site.yaml` does not say.
pub const DEFAULT_STALE_AFTER_MONTHS: u32 = 6;

impl SiteConfig {
    pub fn page_size(&self) -> usize {
        self.page_size.unwrap_or(DEFAULT_PAGE_SIZE) as usize
    }

    pub fn stale_after_months(&self) -> u32 {
        self.stale_after_months.unwrap_or(DEFAULT_STALE_AFTER_MONTHS)
    }

    /// The table of the site's languages (built-in rows when `site.yaml` gave none).
    pub fn table(&self) -> std::borrow::Cow<'_, Languages> {
        if self.language_table.rows().is_empty() {
            std::borrow::Cow::Owned(Languages::built_in(&self.languages))
        } else {
            std::borrow::Cow::Borrowed(&self.language_table)
        }
    }

    pub fn default_language(&self) -> &str {
        self.languages.first().map(String::as_str).unwrap_or("ar")
    }
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct License {
    pub id: String,
    pub url: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Area {
    pub id: String,
    pub title: Text,
    pub description: Option<Text>,
    pub order: i64,
}

impl Area {
    /// Areas by their `order`, then ID.
    pub fn order_key(&self) -> (i64, &str) {
        (self.order, &self.id)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Institution {
    pub id: String,
    pub name: Text,
    pub acronym: Option<Text>,
    pub kind: InstitutionKind,
    pub url: Option<String>,
}

/// Declares a closed set of values as an enum with its YAML spelling.
macro_rules! keyword_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            pub const NAMES: &'static [&'static str] = &[$($text),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            pub fn parse(text: &str) -> Option<$name> {
                match text { $($text => Some($name::$variant),)+ _ => None }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

keyword_enum!(InstitutionKind {
    Government => "government",
    Parliament => "parliament",
    Local => "local",
    CivilSociety => "civil_society",
    IndependentBody => "independent_body",
});

keyword_enum!(PlanStatus { Draft => "draft", Active => "active", Completed => "completed" });

keyword_enum!(OgpValue {
    AccessToInformation => "access_to_information",
    CivicParticipation => "civic_participation",
    PublicAccountability => "public_accountability",
    TechnologyInnovation => "technology_innovation",
});

keyword_enum!(IndicatorKind { Tracking => "tracking", Impact => "impact" });
keyword_enum!(Unit { Count => "count", Percent => "percent", Text => "text" });
keyword_enum!(ValueKind { Actual => "actual", Target => "target", Forecast => "forecast" });
keyword_enum!(Channel { InPerson => "in_person", Online => "online" });
keyword_enum!(Verdict { Done => "done", InProgress => "in_progress", NotDone => "not_done" });

keyword_enum!(
    /// Derived status of an activity or a commitment.
    Status {
        NotStarted => "not_started",
        NotReported => "not_reported",
        InProgress => "in_progress",
        Delayed => "delayed",
        Completed => "completed",
        Cancelled => "cancelled",
    }
);

keyword_enum!(
    /// Where a plan stands by its dates alone (its `status: draft` still hides it).
    Phase { Upcoming => "upcoming", Running => "running", Ended => "ended" }
);

#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    pub id: String,
    pub title: Text,
    pub summary: Option<Text>,
    pub owner: Ref,
    pub start: Date,
    pub end: Date,
    pub status: PlanStatus,
    /// Ordered by number, then ID.
    pub commitments: Vec<Commitment>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Commitment {
    pub id: String,
    pub plan: String,
    /// The sheet's path relative to the site root, for diagnostics.
    pub source: String,
    pub number: u32,
    pub number_pos: Pos,
    pub title: Text,
    pub area: Ref,
    pub lead: Ref,
    pub partners: Vec<Ref>,
    pub ogp_values: Vec<OgpValue>,
    pub problem: Option<Text>,
    pub solution: Option<Text>,
    pub results: Option<Text>,
    pub notes: Option<Text>,
    /// An undated figure for the commitment as a whole (never together with `updates`).
    pub progress: Option<f64>,
    /// Dated figures for the commitment as a whole, oldest first.
    pub updates: Vec<Report>,
    pub activities: Vec<Activity>,
    pub indicators: Vec<Indicator>,
    pub participation: Vec<Participation>,
    pub assessments: Vec<Assessment>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Activity {
    pub title: Text,
    pub start: Date,
    /// The end in the official plan; a later decision moves it through `replanned`.
    pub end: Date,
    /// Its share in the commitment's progress (default 1).
    pub weight: f64,
    pub replanned: Vec<Replanning>,
    /// Dated progress reports, oldest first.
    pub updates: Vec<Report>,
    /// One undated report (never together with `updates`).
    pub progress: Option<f64>,
    pub cancelled: bool,
    pub cost: Option<Cost>,
    pub funding: Option<Text>,
    pub partners: Vec<Ref>,
}

/// A dated progress report: who said how far the work had come, with what proof.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    pub date: Date,
    pub pos: Pos,
    /// 0 to 100.
    pub progress: f64,
    /// The reporting institution; `None` means the commitment's lead.
    pub by: Option<Ref>,
    pub note: Option<Text>,
    pub evidence: Vec<Evidence>,
}

/// A document that backs a report: a title, a URL or both (a paper source has no URL;
/// a link imported from a spreadsheet may have no title).
#[derive(Debug, Clone, PartialEq)]
pub struct Evidence {
    pub title: Option<Text>,
    pub url: Option<String>,
}

/// A dated decision that moved an activity's end.
#[derive(Debug, Clone, PartialEq)]
pub struct Replanning {
    pub date: Date,
    pub pos: Pos,
    pub end: Date,
    pub reason: Option<Text>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Cost {
    pub amount: f64,
    pub currency: String,
}

/// An indicator figure: a number for `count` and `percent`, words for `text`.
#[derive(Debug, Clone, PartialEq)]
pub enum Measure {
    Number(f64),
    Text(String),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Indicator {
    pub kind: IndicatorKind,
    pub title: Text,
    pub unit: Unit,
    pub baseline: Option<Measure>,
    pub target: Option<Target>,
    pub values: Vec<IndicatorValue>,
    pub method: Option<Text>,
    pub source: Option<Text>,
    pub limits: Option<Text>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Target {
    pub value: Measure,
    pub date: Option<Date>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct IndicatorValue {
    pub date: Date,
    pub value: Measure,
    pub kind: ValueKind,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Participation {
    pub date: Date,
    pub title: Text,
    pub channel: Option<Channel>,
    pub participants: Option<u64>,
    pub women: Option<u64>,
    pub proposals: Option<u64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Assessment {
    pub by: Ref,
    pub date: Date,
    pub verdict: Verdict,
    pub note: Option<Text>,
    pub url: Option<String>,
}

/// A free page in one language (`pages/SLUG.LANG.md`).
#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    pub slug: String,
    pub lang: String,
    pub source: String,
    pub title: String,
    pub order: i64,
    pub body: String,
}

/// A news post in one language (`news/YYYY-MM-DD-SLUG.LANG.md`).
#[derive(Debug, Clone, PartialEq)]
pub struct NewsPost {
    pub date: Date,
    pub slug: String,
    pub lang: String,
    pub source: String,
    pub title: String,
    pub summary: Option<String>,
    /// Commitment references `PLAN/ID`.
    pub related: Vec<Ref>,
    pub body: String,
}

impl Commitment {
    /// A plan's commitments by number, then ID.
    pub fn order_key(&self) -> (u32, &str) {
        (self.number, &self.id)
    }

    /// Whether `institution` is a partner of the commitment or of one of its activities:
    /// the one partner rule of the pages, the reports and the preview.
    pub fn has_partner(&self, institution: &str) -> bool {
        self.partner_ids().any(|id| id == institution)
    }

    /// The institutions named as partners of the commitment or of its activities (one
    /// may appear more than once).
    pub fn partner_ids(&self) -> impl Iterator<Item = &str> {
        self.partners.iter().chain(self.activities.iter().flat_map(|a| &a.partners)).map(|r| r.id.as_str())
    }
}

impl Page {
    /// Pages by their `order`, then slug and language.
    pub fn order_key(&self) -> (i64, &str, &str) {
        (self.order, &self.slug, &self.lang)
    }
}

impl NewsPost {
    /// News newest first, then by slug and language.
    pub fn order_key(&self) -> (std::cmp::Reverse<Date>, &str, &str) {
        (std::cmp::Reverse(self.date), &self.slug, &self.lang)
    }

    /// `YYYY-MM-DD-SLUG`: names a post across its languages (its URL segment).
    pub fn key(&self) -> String {
        format!("{}-{}", self.date, self.slug)
    }
}

/// Blank entities for unit tests elsewhere in the crate, to change field by field.
#[cfg(test)]
pub mod blank {
    use super::*;

    pub fn r(id: &str) -> Ref {
        Ref { id: id.into(), pos: Pos::default() }
    }

    /// Commitment `id` of plan `plan`, numbered `number`, in area `area`, led by `lead`,
    /// with nothing else.
    pub fn commitment(plan: &str, id: &str, number: u32, area: &str, lead: &str) -> Commitment {
        Commitment {
            id: id.into(),
            plan: plan.into(),
            source: String::new(),
            number,
            number_pos: Pos::default(),
            title: Text::default(),
            area: r(area),
            lead: r(lead),
            partners: vec![],
            ogp_values: vec![],
            problem: None,
            solution: None,
            results: None,
            notes: None,
            progress: None,
            updates: vec![],
            activities: vec![],
            indicators: vec![],
            participation: vec![],
            assessments: vec![],
        }
    }

    /// An activity from `start` to `end` (`YYYY-MM`), with nothing else.
    pub fn activity(start: &str, end: &str) -> Activity {
        Activity {
            title: Text::default(),
            start: Date::parse(start).expect("a date"),
            end: Date::parse(end).expect("a date"),
            weight: 1.0,
            replanned: vec![],
            updates: vec![],
            progress: None,
            cancelled: false,
            cost: None,
            funding: None,
            partners: vec![],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_three_precisions() {
        assert_eq!(Date::parse("2024"), Some(Date { year: 2024, month: None, day: None }));
        assert_eq!(Date::parse("2024-05").unwrap().to_string(), "2024-05");
        assert_eq!(Date::parse("2024-02-29").unwrap().to_string(), "2024-02-29");
    }

    #[test]
    fn refuses_malformed_dates() {
        for bad in ["24", "2024-5", "2024-13", "2023-02-29", "2024/05", "2024-05-", "abcd", "2024-00", "２０２４"] {
            assert_eq!(Date::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn end_of_period_is_the_last_day() {
        let day = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        assert_eq!(Date::parse("2024-05").unwrap().last_day(), Some(day("2024-05-31")));
        assert_eq!(Date::parse("2024-02").unwrap().last_day(), Some(day("2024-02-29")));
        assert_eq!(Date::parse("2025-12").unwrap().last_day(), Some(day("2025-12-31")));
        assert_eq!(Date::parse("2025").unwrap().last_day(), Some(day("2025-12-31")));
        assert_eq!(Date::parse("2025").unwrap().first_day(), Some(day("2025-01-01")));
    }

    #[test]
    fn a_date_needs_its_hyphens_where_the_precision_puts_them() {
        for bad in ["2024x05x17", "2024-05x17", "2024x05-17", "2024/05/17"] {
            assert_eq!(Date::parse(bad), None, "{bad}");
        }
        assert_eq!(Date::parse("2024-05-17").map(|d| d.precision()), Some(DatePrecision::Day));
    }

    #[test]
    fn the_year_window_runs_from_1950_to_2100_inclusive() {
        let in_window = |year: &str| Date::parse(year).unwrap().in_year_window();
        assert!(!in_window("1949"));
        assert!(in_window("1950"));
        assert!(in_window("2100-12-31"));
        assert!(!in_window("2101-01"));
        assert_eq!(Date::year_window(), "the years 1950 to 2100");
    }

    #[test]
    fn a_text_holds_only_the_languages_given_to_it() {
        let text: Text = [("fr", "Accès"), ("ar", "الولوج")].into_iter().collect();
        assert!(text.contains("fr") && text.contains("ar"));
        assert!(!text.contains("en"));
        assert!(!text.is_empty());
        assert!(Text::default().is_empty());
        assert_eq!(text.iter().map(|(lang, _)| lang).collect::<Vec<_>>(), ["ar", "fr"]);
    }

    #[test]
    fn staleness_and_page_size_fall_back_to_their_defaults() {
        let mut config = SiteConfig::default();
        assert_eq!(config.stale_after_months(), 6);
        assert_eq!(config.page_size(), 50);
        config.stale_after_months = Some(3);
        config.page_size = Some(20);
        assert_eq!(config.stale_after_months(), 3);
        assert_eq!(config.page_size(), 20);
    }

    #[test]
    fn the_default_language_is_the_first_declared_else_arabic() {
        let mut config = SiteConfig::default();
        assert_eq!(config.default_language(), "ar");
        config.languages = vec!["fr".into(), "ar".into()];
        assert_eq!(config.default_language(), "fr");
    }

    #[test]
    fn sorting_puts_every_list_of_the_site_in_its_one_order() {
        let date = |text: &str| Date::parse(text).unwrap();
        let area = |id: &str, order: i64| Area { id: id.into(), title: Text::default(), description: None, order };
        let institution =
            |id: &str| Institution { id: id.into(), name: Text::default(), acronym: None, kind: InstitutionKind::Government, url: None };
        let plan = |id: &str, commitments: Vec<Commitment>| Plan {
            id: id.into(),
            title: Text::default(),
            summary: None,
            owner: blank::r("gov"),
            start: date("2024"),
            end: date("2026"),
            status: PlanStatus::Active,
            commitments,
        };
        let page = |slug: &str, lang: &str, order: i64| Page {
            slug: slug.into(),
            lang: lang.into(),
            source: String::new(),
            title: String::new(),
            order,
            body: String::new(),
        };
        let post = |day: &str, slug: &str, lang: &str| NewsPost {
            date: date(day),
            slug: slug.into(),
            lang: lang.into(),
            source: String::new(),
            title: String::new(),
            summary: None,
            related: vec![],
            body: String::new(),
        };
        let commitment = |id: &str, number: u32| blank::commitment("p", id, number, "a", "gov");
        let mut site = Site {
            areas: vec![area("b", 2), area("z", 1), area("a", 1)],
            institutions: vec![institution("mof"), institution("dgssi")],
            plans: vec![plan("p2", vec![]), plan("p1", vec![commitment("y", 2), commitment("z", 1), commitment("x", 2)])],
            pages: vec![page("b", "fr", 1), page("a", "fr", 1), page("a", "ar", 1), page("c", "fr", 0)],
            news: vec![
                post("2024-01-05", "a", "fr"),
                post("2024-03-01", "b", "fr"),
                post("2024-03-01", "a", "fr"),
                post("2024-03-01", "a", "ar"),
            ],
            ..Site::default()
        };
        site.sort();
        assert_eq!(site.areas.iter().map(|a| a.id.as_str()).collect::<Vec<_>>(), ["a", "z", "b"]);
        assert_eq!(site.institutions.iter().map(|i| i.id.as_str()).collect::<Vec<_>>(), ["dgssi", "mof"]);
        assert_eq!(site.plans.iter().map(|p| p.id.as_str()).collect::<Vec<_>>(), ["p1", "p2"]);
        assert_eq!(site.plans[0].commitments.iter().map(|c| c.id.as_str()).collect::<Vec<_>>(), ["z", "x", "y"]);
        let pages: Vec<(&str, &str)> = site.pages.iter().map(|p| (p.slug.as_str(), p.lang.as_str())).collect();
        assert_eq!(pages, [("c", "fr"), ("a", "ar"), ("a", "fr"), ("b", "fr")]);
        let news: Vec<String> = site.news.iter().map(|n| format!("{}.{}", n.key(), n.lang)).collect();
        assert_eq!(news, ["2024-03-01-a.ar", "2024-03-01-a.fr", "2024-03-01-b.fr", "2024-01-05-a.fr"]);
    }

    #[test]
    fn keyword_enums_round_trip() {
        for (kind, name) in InstitutionKind::ALL.iter().zip(InstitutionKind::NAMES) {
            assert_eq!(InstitutionKind::parse(name), Some(*kind));
            assert_eq!(kind.as_str(), *name);
        }
    }
}
