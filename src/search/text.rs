//! Folding, tokenising and stemming of search text: the one source of truth for both the
//! index (here) and the browser (`search.js` reads the same tables from the index's
//! manifest, see [`rules_json`]). `tests/search/vectors.json` holds shared test vectors
//! that the unit tests below and `tests/search/vectors.mjs` (node) both check.
//!
//! - Folding (both languages): Arabic diacritics and tatweel removed; أ إ آ ٱ → ا,
//!   ى → ي, ة → ه, ؤ → و, ئ → ي; Arabic-Indic digits → ASCII digits; Latin accents and
//!   ligatures removed; lower case.
//! - Tokens: runs of alphabetic or numeric characters after folding (so the apostrophe of
//!   `l'information` separates the elided article, a one-character token); tokens of one
//!   character and stop words are dropped.
//! - Stemming, Arabic: a table of affix stages. Each stage strips at most one affix, the
//!   first (longest) of its list that matches and leaves at least its minimum of
//!   characters: Larkey's light10 stemmer (the article with its attached conjunctions and
//!   prepositions وال بال كال فال لل, then the conjunction و, then the suffixes ها ان ات
//!   ون ين يه ه ي one after the other), on folded text, with the article stripped before
//!   و so that a word starting with و stems alike with and without its article.
//! - Stemming, French: the Snowball French stemmer, here from the `rust-stemmers` crate
//!   and in the browser from the JavaScript that the Snowball compiler generated from the
//!   same `french.sbl` (`themes/default/static/snowball-french.js`, loaded by the search
//!   page); `tests/search_snowball.rs` runs every French token of the real portal, and a
//!   French word list when given, through both and fails on any disagreement.
//!
//!   Snowball runs on the *folded* token, accents removed. Its French rules know accents
//!   (-ité, -ée, -ées, -ère), but a reader types `egalite` as often as `égalité`, and the
//!   query side cannot restore an accent that was not typed: stemming the accented word
//!   (`égalité` → `égal`) would miss the reader's `egalite` (→ `egalit`). On folded
//!   tokens both meet, singular and plural, masculine and feminine adjectives and nouns
//!   meet (`nationaux`/`nationale`, `citoyennes`/`citoyen`, `territoriales`/
//!   `territorial`); the cost is that a feminine past participle keeps its `e`
//!   (`realisee` → `realise`, `realise` → `realis`).

use std::collections::BTreeMap;
use std::sync::{LazyLock, Mutex, PoisonError};

use rust_stemmers::{Algorithm, Stemmer};
use rustc_hash::FxHashMap;

use crate::language::Stemmer as LanguageStemmer;
use serde_json::{Value, json};

/// One stage of affix stripping: a prefix stage or a suffix stage, each rule being
/// (affix, replacement, minimum characters left after stripping, replacement included).
pub struct Stage {
    pub prefix: bool,
    /// Strip again while a rule matches (the Arabic article: `الالتزامات` and `التزام`
    /// then meet, a word whose own letters start with ال losing them either way).
    pub repeat: bool,
    pub rules: &'static [(&'static str, &'static str, usize)],
}

/// A Snowball stemming algorithm: `rust-stemmers` runs it here, and the browser runs the
/// same algorithm's generated JavaScript, a theme asset that the search page loads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Snowball {
    French,
    English,
}

impl Snowball {
    /// The name the browser's rules give it (`search.js` maps it to the stemmer the
    /// script defines).
    pub fn name(self) -> &'static str {
        match self {
            Snowball::French => "french",
            Snowball::English => "english",
        }
    }

    /// The theme asset that holds the algorithm's JavaScript.
    pub fn script(self) -> &'static str {
        match self {
            Snowball::French => "snowball-french.js",
            Snowball::English => "snowball-english.js",
        }
    }

    fn stemmer(self) -> Stemmer {
        match self {
            Snowball::French => Stemmer::create(Algorithm::French),
            Snowball::English => Stemmer::create(Algorithm::English),
        }
    }
}

/// The text rules of one language.
pub struct Rules {
    /// Folded stop words, dropped from the index and from queries.
    pub stop: &'static [&'static str],
    pub stages: &'static [Stage],
    /// Run after the stages, on the folded token (see the module comment for why folded).
    pub snowball: Option<Snowball>,
}

const AR_STOP: &[&str] = &[
    "في",
    "من",
    "علي",
    "الي",
    "عن",
    "مع",
    "ان",
    "او",
    "ما",
    "لا",
    "هذا",
    "هذه",
    "التي",
    "الذي",
    "الذين",
    "ذلك",
    "تلك",
    "كل",
    "بين",
    "ثم",
    "قد",
    "كما",
    "هو",
    "هي",
    "وفي",
    "ومن",
    "وعلي",
    "والي",
    "حيث",
    "عبر",
    "اجل",
    "لدي",
    "عند",
    "بعد",
    "قبل",
    "خلال",
];

const AR_STAGES: &[Stage] = &[
    Stage {
        prefix: true,
        repeat: true,
        rules: &[("وال", "", 2), ("بال", "", 2), ("كال", "", 2), ("فال", "", 2), ("لل", "", 2), ("ال", "", 2)],
    },
    Stage { prefix: true, repeat: false, rules: &[("و", "", 3)] },
    Stage { prefix: false, repeat: false, rules: &[("ها", "", 2)] },
    Stage { prefix: false, repeat: false, rules: &[("ان", "", 2)] },
    Stage { prefix: false, repeat: false, rules: &[("ات", "", 2)] },
    Stage { prefix: false, repeat: false, rules: &[("ون", "", 2)] },
    Stage { prefix: false, repeat: false, rules: &[("ين", "", 2)] },
    Stage { prefix: false, repeat: false, rules: &[("يه", "", 2)] },
    Stage { prefix: false, repeat: false, rules: &[("ه", "", 2)] },
    Stage { prefix: false, repeat: false, rules: &[("ي", "", 2)] },
];

const FR_STOP: &[&str] = &[
    "au", "aux", "avec", "ce", "ces", "cet", "cette", "dans", "de", "des", "du", "elle", "en", "est", "et", "il", "ils", "la", "le", "les",
    "leur", "leurs", "lors", "mais", "ne", "ni", "nos", "notre", "on", "ou", "par", "pas", "pour", "qu", "que", "qui", "sa", "se", "ses",
    "son", "sont", "sur", "un", "une", "vos", "votre",
];

/// The commonest English function words (Snowball's list, shortened to those that carry
/// nothing a reader searches for).
const EN_STOP: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "has", "have", "in", "is", "it", "its", "of", "on", "or", "that",
    "the", "their", "this", "to", "was", "were", "which", "with",
];

const NO_STAGES: &[Stage] = &[];

/// The rules of a language's stemmer (its row of the language table says which); a
/// language without one gets folding and tokens only.
pub fn rules(stemmer: LanguageStemmer) -> Rules {
    match stemmer {
        LanguageStemmer::Arabic => Rules { stop: AR_STOP, stages: AR_STAGES, snowball: None },
        LanguageStemmer::French => Rules { stop: FR_STOP, stages: NO_STAGES, snowball: Some(Snowball::French) },
        LanguageStemmer::English => Rules { stop: EN_STOP, stages: NO_STAGES, snowball: Some(Snowball::English) },
        LanguageStemmer::None => Rules { stop: &[], stages: NO_STAGES, snowball: None },
    }
}

/// Characters folding changes: (from, to), `to` empty for a removed character; every
/// other character is lower-cased.
pub struct FoldTable {
    changes: BTreeMap<char, &'static str>,
    /// The same changes indexed by code point below [`DENSE_LIMIT`] (every character the
    /// table names is there): text is folded one character at a time, and an Arabic
    /// text's every character would otherwise be a tree lookup.
    dense: Vec<Option<&'static str>>,
}

const DENSE_LIMIT: usize = 0x800;

impl FoldTable {
    /// The changes in code-point order, as the browser's rules list them.
    pub fn changes(&self) -> &BTreeMap<char, &'static str> {
        &self.changes
    }

    fn change(&self, c: char) -> Option<&'static str> {
        match self.dense.get(c as usize) {
            Some(change) => *change,
            None => self.changes.get(&c).copied(),
        }
    }
}

/// The folding table of both languages.
pub fn fold_table() -> FoldTable {
    let mut map = BTreeMap::new();
    // Combining diacritics (decomposed accents).
    for c in '\u{300}'..='\u{36f}' {
        map.insert(c, "");
    }
    // Arabic harakat, tanwin, shadda, sukun, small marks, superscript alif and tatweel.
    for c in ('\u{64b}'..='\u{65f}').chain(['\u{670}', '\u{640}']) {
        map.insert(c, "");
    }
    for (from, to) in [('أ', "ا"), ('إ', "ا"), ('آ', "ا"), ('ٱ', "ا"), ('ى', "ي"), ('ة', "ه"), ('ؤ', "و"), ('ئ', "ي")] {
        map.insert(from, to);
    }
    const DIGITS: [&str; 10] = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"];
    for (i, digit) in DIGITS.iter().enumerate() {
        map.insert(char::from_u32(0x660 + i as u32).unwrap(), *digit);
        map.insert(char::from_u32(0x6f0 + i as u32).unwrap(), *digit);
    }
    let latin: [(&str, &str); 13] = [
        ("àáâãäåāăą", "a"),
        ("çćč", "c"),
        ("ďđ", "d"),
        ("èéêëēėęě", "e"),
        ("ìíîïīį", "i"),
        ("ñńň", "n"),
        ("òóôõöøō", "o"),
        ("ùúûüūůű", "u"),
        ("ýÿ", "y"),
        ("śšş", "s"),
        ("źżž", "z"),
        ("ł", "l"),
        ("ř", "r"),
    ];
    for (chars, to) in latin {
        for c in chars.chars() {
            map.insert(c, to);
            for upper in c.to_uppercase() {
                map.insert(upper, to);
            }
        }
    }
    for (from, to) in [('œ', "oe"), ('Œ', "oe"), ('æ', "ae"), ('Æ', "ae"), ('ß', "ss")] {
        map.insert(from, to);
    }
    let mut dense = vec![None; DENSE_LIMIT];
    for (&c, &to) in &map {
        if let Some(slot) = dense.get_mut(c as usize) {
            *slot = Some(to);
        }
    }
    FoldTable { changes: map, dense }
}

/// Folds text: the table, then lower case.
pub fn fold(text: &str, table: &FoldTable) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii() {
            // The table changes no ASCII character.
            out.push(c.to_ascii_lowercase());
            continue;
        }
        match table.change(c) {
            Some(to) => out.push_str(to),
            None => out.extend(c.to_lowercase()),
        }
    }
    out
}

/// The folded tokens of some text: runs of alphabetic or numeric characters.
pub fn tokens(folded: &str) -> impl Iterator<Item = &str> {
    folded.split(|c: char| !is_word_character(c)).filter(|t| !t.is_empty())
}

/// `char::is_alphanumeric`, from a table below [`DENSE_LIMIT`]: the standard library
/// searches Unicode's tables for every non-ASCII character, every letter of Arabic text.
fn is_word_character(c: char) -> bool {
    static DENSE: LazyLock<Vec<bool>> =
        LazyLock::new(|| (0..DENSE_LIMIT as u32).map(|code| char::from_u32(code).is_some_and(char::is_alphanumeric)).collect());
    DENSE.get(c as usize).copied().unwrap_or_else(|| c.is_alphanumeric())
}

impl Rules {
    /// The stem of a folded token, or `None` for a stop word or a one-character token.
    pub fn stem(&self, token: &str) -> Option<String> {
        if token.chars().count() < 2 || self.stop.contains(&token) {
            return None;
        }
        let mut word = token.to_string();
        for stage in self.stages {
            loop {
                let len = word.chars().count();
                let rule = stage.rules.iter().find(|(affix, replacement, min)| {
                    let matches = if stage.prefix { word.starts_with(affix) } else { word.ends_with(affix) };
                    matches && len - affix.chars().count() + replacement.chars().count() >= *min
                });
                let Some((affix, replacement, _)) = rule else { break };
                word = if stage.prefix {
                    format!("{replacement}{}", &word[affix.len()..])
                } else {
                    format!("{}{replacement}", &word[..word.len() - affix.len()])
                };
                if !stage.repeat {
                    break;
                }
            }
        }
        if let Some(snowball) = self.snowball {
            word = snowball.stemmer().stem(&word).into_owned();
        }
        Some(word)
    }
}

/// Folds, tokenises and stems text: the terms the index holds and a query looks up.
pub struct Analyzer {
    table: FoldTable,
    rules: Rules,
    /// Each word's stem once computed, one map per rayon worker and one for any other
    /// thread: a site's texts use a few thousand words over and over, and stemming was
    /// a third of the analysis (10k corpus).
    stems: Vec<Mutex<FxHashMap<String, Option<String>>>>,
    /// Words each map holds at most: [`STEM_CACHE_WORDS`] but in the tests of the cap.
    cache_words: usize,
}

/// Words a stem cache holds at most; past it, new words are stemmed each time.
const STEM_CACHE_WORDS: usize = 200_000;

impl Analyzer {
    pub fn new(stemmer: LanguageStemmer) -> Analyzer {
        let stems = (0..=rayon::current_num_threads()).map(|_| Mutex::new(FxHashMap::default())).collect();
        Analyzer { table: fold_table(), rules: rules(stemmer), stems, cache_words: STEM_CACHE_WORDS }
    }

    pub fn terms(&self, text: &str) -> Vec<String> {
        let folded = fold(text, &self.table);
        let slot = rayon::current_thread_index().map_or(0, |i| i + 1) % self.stems.len();
        // Only this thread takes its slot, so the lock is never contended; a panic while
        // it was held leaves a map that is still right.
        let mut stems = self.stems[slot].lock().unwrap_or_else(PoisonError::into_inner);
        tokens(&folded)
            .filter_map(|token| {
                if let Some(stem) = stems.get(token) {
                    return stem.clone();
                }
                let stem = self.rules.stem(token);
                if stems.len() < self.cache_words {
                    stems.insert(token.to_string(), stem.clone());
                }
                stem
            })
            .collect()
    }
}

/// The rules of a stemmer as the browser reads them from the index manifest.
pub fn rules_json(stemmer: LanguageStemmer) -> Value {
    let rules = rules(stemmer);
    let fold: BTreeMap<String, &str> = fold_table().changes().iter().map(|(c, to)| (c.to_string(), *to)).collect();
    let stages: Vec<Value> = rules.stages.iter().map(|s| json!({"prefix": s.prefix, "repeat": s.repeat, "rules": s.rules})).collect();
    json!({"fold": fold, "stop": rules.stop, "stages": stages, "snowball": rules.snowball.map(Snowball::name)})
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stemmer(lang: &str) -> LanguageStemmer {
        crate::language::Language::built_in(lang).unwrap().stemmer
    }

    fn terms(lang: &str, text: &str) -> Vec<String> {
        Analyzer::new(stemmer(lang)).terms(text)
    }

    #[test]
    fn arabic_spelling_variants_fold_alike() {
        let table = fold_table();
        assert_eq!(fold("المعلومة", &table), fold("المعلومه", &table));
        assert_eq!(fold("الإشراف", &table), "الاشراف");
        assert_eq!(fold("إلى", &table), fold("الى", &table));
        assert_eq!(fold("مؤشـــر", &table), "موشر");
        assert_eq!(fold("الْمَعْلُومَاتُ", &table), "المعلومات");
        assert_eq!(fold("٢٠٢٤", &table), "2024");
    }

    #[test]
    fn arabic_singular_plural_and_article_meet() {
        assert_eq!(terms("ar", "المؤشرات"), terms("ar", "مؤشر"));
        assert_eq!(terms("ar", "المعلومات"), terms("ar", "معلومة"));
        assert_eq!(terms("ar", "والمعلومات"), terms("ar", "المعلومه"));
        assert_eq!(terms("ar", "للمواطنين"), terms("ar", "مواطن"));
        assert_eq!(terms("ar", "الوطنية"), terms("ar", "وطني"));
        assert_eq!(terms("ar", "الوزارة"), terms("ar", "وزارة"));
        assert_eq!(terms("ar", "الالتزامات"), terms("ar", "التزام"));
        assert_eq!(terms("ar", "الحق في الحصول على المعلومات"), vec!["حق", "حصول", "معلوم"]);
    }

    #[test]
    fn french_singular_plural_gender_and_accents_meet() {
        // Number and gender of nouns and adjectives.
        assert_eq!(terms("fr", "engagements"), terms("fr", "engagement"));
        assert_eq!(terms("fr", "nationaux"), terms("fr", "nationale"));
        assert_eq!(terms("fr", "citoyennes"), terms("fr", "citoyen"));
        assert_eq!(terms("fr", "publiques"), terms("fr", "publique"));
        assert_eq!(terms("fr", "collectivités territoriales"), terms("fr", "collectivite territoriale"));
        assert_eq!(terms("fr", "participative"), terms("fr", "participatifs"));
        // Accents typed or not: Snowball runs on the folded word.
        assert_eq!(terms("fr", "Égalité"), terms("fr", "egalite"));
        assert_eq!(terms("fr", "réalisés"), terms("fr", "realise"));
        // Verbs: the infinitive, the masculine participle and the present meet.
        assert_eq!(terms("fr", "réaliser"), terms("fr", "réalisé"));
        assert_eq!(terms("fr", "publier"), terms("fr", "publiait"));
        // A feminine participle keeps its e once folded (the price of accent-blind queries).
        assert_eq!(terms("fr", "réalisées"), terms("fr", "réalisée"));
        assert_ne!(terms("fr", "réalisée"), terms("fr", "réalisé"));
        // Elision: the article is a one-character token and dropped.
        assert_eq!(terms("fr", "l'accès à l'information"), vec!["acce", "inform"]);
        assert_eq!(terms("fr", "d'ouverture"), terms("fr", "ouverture"));
        assert_eq!(terms("fr", "Société civile"), vec!["societ", "civil"]);
    }

    /// The table agrees with the standard library, inside its range and past it.
    #[test]
    fn word_characters_are_the_alphanumeric_ones() {
        for c in (0..0x3000).filter_map(char::from_u32) {
            assert_eq!(is_word_character(c), c.is_alphanumeric(), "U+{:04X}", c as u32);
        }
        assert_eq!(tokens("l'état, ٢٠٢٤ — التزام_3").collect::<Vec<_>>(), vec!["l", "état", "٢٠٢٤", "التزام", "3"]);
    }

    /// How many words each stem cache holds, the cache of threads outside rayon's
    /// pool first.
    fn cached_words(analyzer: &Analyzer) -> Vec<usize> {
        analyzer.stems.iter().map(|map| map.lock().unwrap().len()).collect()
    }

    /// Past its cap a cache keeps no new word (each is stemmed again, to the same stem),
    /// and below it keeps every word it met once.
    #[test]
    fn the_stem_cache_keeps_words_up_to_its_cap() {
        for (cap, kept) in [(2, 2), (3, 3), (10, 3)] {
            let analyzer = Analyzer { cache_words: cap, ..Analyzer::new(stemmer("fr")) };
            let first = analyzer.terms("budget ouvert budget citoyens");
            assert_eq!(analyzer.terms("budget ouvert budget citoyens"), first);
            assert_eq!(cached_words(&analyzer)[0], kept, "a cap of {cap}");
        }
    }

    /// Each rayon worker has a cache of its own and every other thread shares the
    /// first, so the lock a worker takes is never contended.
    #[test]
    fn each_worker_of_the_pool_has_a_stem_cache_of_its_own() {
        let pool = rayon::ThreadPoolBuilder::new().num_threads(3).build().unwrap();
        let analyzer = pool.install(|| Analyzer::new(stemmer("fr")));
        let words = ["budget", "ouvert ouvert", "citoyens participation", "données ouvertes publiques"];
        pool.broadcast(|worker| analyzer.terms(words[worker.index() + 1]));
        assert_eq!(cached_words(&analyzer), [0, 1, 2, 3], "worker i fills cache i + 1, the first stays empty");
        analyzer.terms(words[0]);
        assert_eq!(cached_words(&analyzer), [1, 1, 2, 3], "a thread outside the pool fills the first");
    }

    /// A word stemmed a second time comes from the cache, and a stop word stays dropped.
    #[test]
    fn cached_stems_are_the_stems() {
        for (lang, text) in [("fr", "Les engagements et les engagements, l'engagement"), ("ar", "المعلومات و المعلومات في المعلومة")]
        {
            let analyzer = Analyzer::new(stemmer(lang));
            let first = analyzer.terms(text);
            assert_eq!(analyzer.terms(text), first, "{lang}");
            let fresh: Vec<String> = tokens(&fold(text, &fold_table())).filter_map(|t| rules(stemmer(lang)).stem(t)).collect();
            assert_eq!(first, fresh, "{lang}");
            assert_eq!(first.len(), 3, "{lang}: {first:?}");
        }
    }

    /// The stems are the `rust-stemmers` Snowball French ones, on folded words.
    #[test]
    fn french_stems_are_snowball_on_folded_words() {
        let snowball = Stemmer::create(Algorithm::French);
        for word in ["gouvernement", "transparence", "indicateurs", "budgétaire", "égalité"] {
            let folded = fold(word, &fold_table());
            assert_eq!(terms("fr", word), vec![snowball.stem(&folded).into_owned()], "{word}");
        }
        assert_eq!(terms("fr", "égalité"), vec!["egalit"]);
        assert_eq!(terms("fr", "les budgets"), vec!["budget"]);
    }

    #[test]
    fn english_singular_and_plural_meet() {
        assert_eq!(terms("en", "commitments"), terms("en", "commitment"));
        assert_eq!(terms("en", "activities"), terms("en", "activity"));
        assert_eq!(terms("en", "indicators"), terms("en", "Indicator"));
        assert_eq!(terms("en", "policies"), terms("en", "policy"));
        assert_eq!(terms("en", "the right of access to information"), vec!["right", "access", "inform"]);
        let snowball = Stemmer::create(Algorithm::English);
        for word in ["transparency", "budgetary", "participation"] {
            assert_eq!(terms("en", word), vec![snowball.stem(word).into_owned()], "{word}");
        }
    }

    #[test]
    fn shared_vectors_hold() {
        let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/search/vectors.json")).unwrap();
        let mut vectors: Value = serde_json::from_str(&text).unwrap();
        if std::env::var_os("UPDATE_SEARCH_VECTORS").is_some() {
            for (lang, cases) in vectors["terms"].as_object_mut().unwrap() {
                let analyzer = Analyzer::new(stemmer(lang));
                for case in cases.as_array_mut().unwrap() {
                    case[1] = json!(analyzer.terms(case[0].as_str().unwrap()));
                }
            }
            let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/search/vectors.json");
            std::fs::write(path, serde_json::to_string_pretty(&vectors).unwrap() + "\n").unwrap();
        }
        let mut count = 0;
        for (lang, cases) in vectors["terms"].as_object().unwrap() {
            let analyzer = Analyzer::new(stemmer(lang));
            for case in cases.as_array().unwrap() {
                let expected: Vec<String> = serde_json::from_value(case[1].clone()).unwrap();
                assert_eq!(analyzer.terms(case[0].as_str().unwrap()), expected, "{lang}: {}", case[0]);
                count += 1;
            }
        }
        assert!(count >= 40, "only {count} vectors");
    }

    /// Every affix rule strips only when it leaves at least its minimum of characters:
    /// each rule on its own, on a word one character short of that and on a word just
    /// long enough.
    #[test]
    fn every_affix_rule_keeps_its_minimum_of_characters() {
        for stage in AR_STAGES {
            for &rule in stage.rules {
                let (affix, replacement, min) = rule;
                let rules: &'static [(&'static str, &'static str, usize)] = Box::leak(Box::new([rule]));
                let stages: &'static [Stage] = Box::leak(Box::new([Stage { prefix: stage.prefix, repeat: false, rules }]));
                let only = Rules { stop: &[], stages, snowball: None };
                let word = |rest: &str| if stage.prefix { format!("{affix}{rest}") } else { format!("{rest}{affix}") };
                let short = "ب".repeat(min - 1);
                let enough = "ب".repeat(min);
                assert_eq!(only.stem(&word(&short)), Some(word(&short)), "{affix}: {} characters would be left", min - 1);
                let stripped = if stage.prefix { format!("{replacement}{enough}") } else { format!("{enough}{replacement}") };
                assert_eq!(only.stem(&word(&enough)), Some(stripped), "{affix}: {min} characters are left");
            }
        }
    }

    /// The script the search page loads for a Snowball stemmer is the theme's asset of
    /// that algorithm.
    #[test]
    fn the_snowball_script_is_the_themes_asset() {
        for (stemmer, file, name) in
            [(LanguageStemmer::French, "snowball-french.js", "French"), (LanguageStemmer::English, "snowball-english.js", "English")]
        {
            let snowball = rules(stemmer).snowball.expect("a Snowball stemmer");
            assert_eq!(snowball.script(), file);
            let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/static").join(snowball.script());
            let script = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            assert!(script.contains(name), "{}", path.display());
        }
        assert!(rules(LanguageStemmer::Arabic).snowball.is_none() && rules(LanguageStemmer::None).snowball.is_none());
    }

    /// The browser's copy of the rules (what the node test loads) is the one Rust builds.
    #[test]
    fn shared_rules_file_is_current() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/search/rules.json");
        let rules: BTreeMap<&str, Value> = ["ar", "fr", "en"].into_iter().map(|l| (l, rules_json(stemmer(l)))).collect();
        let text = serde_json::to_string_pretty(&rules).unwrap() + "\n";
        if std::env::var_os("UPDATE_SEARCH_RULES").is_some() {
            std::fs::write(path, &text).unwrap();
        }
        assert_eq!(std::fs::read_to_string(path).unwrap_or_default(), text, "run with UPDATE_SEARCH_RULES=1 to refresh {path}");
    }
}
