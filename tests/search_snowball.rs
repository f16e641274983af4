//! The index (Rust, `rust-stemmers`) and the browser (`search.js` with the vendored
//! `snowball-french.js` and `snowball-english.js`) stem French and English alike: every
//! distinct folded token of the real portal's search documents in that language, and
//! every word of a word list when `SEARCH_WORDLIST` (French) or `SEARCH_WORDLIST_EN`
//! (English) names one (`scripts/test.sh` gives Debian's `/usr/share/dict/french` and
//! `/usr/share/dict/american-english`), goes through both, and any disagreement fails.
//! English also takes the words of the README and CHANGELOG, so that it is checked on some thousand
//! words without a word list or English content. Needs `node`.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

use shafaf::language::{Language, Stemmer};
use shafaf::render::theme::Theme;
use shafaf::search::Input;
use shafaf::search::text::{fold, fold_table, rules, rules_json, tokens};

fn manifest() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The distinct folded tokens of the real portal's search documents in `lang` (none
/// when the portal is not written in it).
fn portal_tokens(lang: &str) -> BTreeSet<String> {
    let root = manifest();
    let checked = shafaf::check(root, None, false).expect("the real portal loads");
    if !checked.site.config.languages.iter().any(|l| l == lang) {
        return BTreeSet::new();
    }
    let theme = Theme::load(root, &checked.site.config.table()).expect("the theme loads");
    let assets = std::collections::BTreeMap::new();
    let input = Input {
        site: &checked.site,
        facts: &checked.facts,
        strings: &theme.strings,
        base_url: &checked.site.config.base_url,
        assets: &assets,
    };
    let (docs, _) = shafaf::search::documents(&input, lang).expect("the documents");
    let table = fold_table();
    let mut words = BTreeSet::new();
    for doc in &docs {
        for text in [&doc.title, &doc.text] {
            words.extend(tokens(&fold(text, &table)).map(str::to_string));
        }
    }
    words
}

/// The folded tokens of a text file.
fn file_tokens(path: &Path) -> BTreeSet<String> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let table = fold_table();
    text.lines().flat_map(|line| tokens(&fold(line, &table)).map(str::to_string).collect::<Vec<_>>()).collect()
}

/// The folded tokens of the word list the variable `name` names, if it names one.
fn wordlist_tokens(name: &str) -> BTreeSet<String> {
    std::env::var_os(name).map(|path| file_tokens(Path::new(&path))).unwrap_or_default()
}

/// What `search.js` makes of each word, through `tests/search/stem.mjs`.
fn browser_stems(stemmer: Stemmer, words: &[&String]) -> Vec<Option<String>> {
    let input = tempfile::NamedTempFile::new().expect("a temporary file");
    let request = serde_json::json!({"rules": rules_json(stemmer), "words": words});
    std::fs::write(input.path(), request.to_string()).expect("the words are written");
    let output = Command::new("node")
        .arg(manifest().join("tests/search/stem.mjs"))
        .arg(input.path())
        .output()
        .expect("node runs (scripts/test.sh installs it)");
    assert!(output.status.success(), "node failed: {}", String::from_utf8_lossy(&output.stderr));
    serde_json::from_slice(&output.stdout).expect("node prints a JSON array")
}

/// Runs `words` through Rust and the browser with `lang`'s rules; the disagreements.
fn compare(lang: &str, words: &[&String]) -> Vec<String> {
    let stemmer = Language::built_in(lang).expect("a built-in language").stemmer;
    assert!(rules(stemmer).snowball.is_some(), "{lang} is stemmed by Snowball");
    let ours = rules(stemmer);
    let theirs = browser_stems(stemmer, words);
    assert_eq!(theirs.len(), words.len(), "node answered for every word");
    words
        .iter()
        .zip(&theirs)
        .filter_map(|(word, js)| {
            let rust = ours.stem(word);
            (rust != *js).then(|| format!("{word}: Rust {rust:?}, JavaScript {js:?}"))
        })
        .collect()
}

fn assert_agree(lang: &str, sources: &[(&str, BTreeSet<String>)]) {
    let all: BTreeSet<&String> = sources.iter().flat_map(|(_, words)| words).collect();
    let words: Vec<&String> = all.into_iter().collect();
    let disagreements = compare(lang, &words);
    let counts: Vec<String> = sources.iter().map(|(name, words)| format!("{} {name}", words.len())).collect();
    println!("{lang} stems compared: {} words ({}), {} disagreements", words.len(), counts.join(", "), disagreements.len());
    assert!(
        disagreements.is_empty(),
        "{} disagreement(s), first ones:\n{}",
        disagreements.len(),
        disagreements[..disagreements.len().min(20)].join("\n")
    );
}

#[test]
fn french_stems_agree_between_rust_and_the_browser() {
    let portal = portal_tokens("fr");
    assert!(portal.len() > 1000, "only {} French tokens in the real portal", portal.len());
    assert_agree("fr", &[("portal tokens", portal), ("word-list tokens", wordlist_tokens("SEARCH_WORDLIST"))]);
}

#[test]
fn english_stems_agree_between_rust_and_the_browser() {
    let mut readme = file_tokens(&manifest().join("README.md"));
    readme.extend(file_tokens(&manifest().join("CHANGELOG.md")));
    assert!(readme.len() > 800, "only {} tokens in the README and CHANGELOG", readme.len());
    assert_agree(
        "en",
        &[
            ("portal tokens", portal_tokens("en")),
            ("README and CHANGELOG tokens", readme),
            ("word-list tokens", wordlist_tokens("SEARCH_WORDLIST_EN")),
        ],
    );
}
