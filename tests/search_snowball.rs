//! The index (Rust, `rust-stemmers`) and the browser (`search.js` with the vendored
//! `snowball-french.js`) stem French alike: every distinct folded token of the real
//! portal's French search documents, and every word of a French word list when
//! `SEARCH_WORDLIST` names one (`scripts/test.sh` gives Debian's `/usr/share/dict/french`),
//! goes through both, and any disagreement fails. Needs `node`.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

use shafaf::render::theme::Theme;
use shafaf::search::Input;
use shafaf::search::text::{fold, fold_table, rules, rules_json, tokens};

const LANG: &str = "fr";

fn manifest() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The distinct folded tokens of the real portal's search documents in `lang`.
fn portal_tokens(lang: &str) -> BTreeSet<String> {
    let root = manifest();
    let checked = shafaf::check(root, None, false).expect("the real portal loads");
    let theme = Theme::load(root, &checked.site.config.languages).expect("the theme loads");
    let input = Input { site: &checked.site, facts: &checked.facts, strings: &theme.strings, base_url: &checked.site.config.base_url };
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

/// The folded tokens of the word list `SEARCH_WORDLIST` names, if it names one.
fn wordlist_tokens() -> BTreeSet<String> {
    let Some(path) = std::env::var_os("SEARCH_WORDLIST") else { return BTreeSet::new() };
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("SEARCH_WORDLIST={}: {e}", path.to_string_lossy()));
    let table = fold_table();
    text.lines().flat_map(|line| tokens(&fold(line, &table)).map(str::to_string).collect::<Vec<_>>()).collect()
}

/// What `search.js` makes of each word, through `tests/search/stem.mjs`.
fn browser_stems(words: &[&String]) -> Vec<Option<String>> {
    let input = tempfile::NamedTempFile::new().expect("a temporary file");
    let request = serde_json::json!({"rules": rules_json(LANG), "words": words});
    std::fs::write(input.path(), request.to_string()).expect("the words are written");
    let output = Command::new("node")
        .arg(manifest().join("tests/search/stem.mjs"))
        .arg(input.path())
        .output()
        .expect("node runs (scripts/test.sh installs it)");
    assert!(output.status.success(), "node failed: {}", String::from_utf8_lossy(&output.stderr));
    serde_json::from_slice(&output.stdout).expect("node prints a JSON array")
}

#[test]
fn french_stems_agree_between_rust_and_the_browser() {
    assert!(rules(LANG).snowball.is_some(), "French is stemmed by Snowball");
    let portal = portal_tokens(LANG);
    let list = wordlist_tokens();
    assert!(portal.len() > 1000, "only {} French tokens in the real portal", portal.len());
    let words: Vec<&String> = portal.union(&list).collect();
    let ours = rules(LANG);
    let theirs = browser_stems(&words);
    assert_eq!(theirs.len(), words.len(), "node answered for every word");
    let disagreements: Vec<String> = words
        .iter()
        .zip(&theirs)
        .filter_map(|(word, js)| {
            let rust = ours.stem(word);
            (rust != *js).then(|| format!("{word}: Rust {rust:?}, JavaScript {js:?}"))
        })
        .collect();
    println!(
        "French stems compared: {} words ({} portal tokens, {} word-list tokens), {} disagreements",
        words.len(),
        portal.len(),
        list.len(),
        disagreements.len()
    );
    assert!(
        disagreements.is_empty(),
        "{} disagreement(s), first ones:\n{}",
        disagreements.len(),
        disagreements[..disagreements.len().min(20)].join("\n")
    );
}
