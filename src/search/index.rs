//! The chunked index files of one language, under `LANG/search/`:
//!
//! - `index.json`: the manifest — the text rules for the browser, the first term of each
//!   term shard and of each phrase shard, the facets with their labels, the number of
//!   documents and a version stamp that every other fetch carries (`?v=`), so that a
//!   browser never mixes two builds.
//! - `t/N.bin`: term shards, `{"stem": [doc delta, weight, doc delta, weight, …]}`, terms
//!   in code-point order, packed up to about [`SHARD_BYTES`] each; weight = 2 × term
//!   frequency (at most [`MAX_TF`]) + 1 when the term is in the title.
//! - `b/N.bin`: phrase shards, `{"stem stem": [doc delta, …]}`: the documents where two
//!   terms follow each other (stop words skipped), for quoted phrases.
//! - `docs.bin`: per document, its group (as group sizes) and facet values (run-length
//!   encoded `[value + 1 or 0, run, …]` per facet) — small, since a commitment's
//!   activities share its plan, area and lead.
//! - `f/G.bin`: the fragments of group G (a commitment and its activities share one):
//!   per document `[title, url, context, text, title lang, text lang]`.
//!
//! Every `.bin` file is zlib-compressed JSON (the browser inflates it with
//! `DecompressionStream("deflate")`), so the transfer is small whatever the web server
//! does. zlib rather than gzip: the encoder can be reset and reused, and setting up a
//! fresh one (zeroing its ~300 kB of tables) for each of the 20,000 small fragment files
//! of a 10,000-commitment site cost more than compressing them. All maps
//! are sorted: the same site gives the same bytes.

use std::collections::{BTreeMap, HashMap};
use std::io::Write as _;

use anyhow::Result;
use flate2::Compression;
use flate2::write::ZlibEncoder;
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde_json::json;
use sha2::{Digest, Sha256};

use super::text::{Analyzer, rules_json};
use super::{Doc, Facet};
use crate::language::Stemmer;
use crate::output::{OutputFile, exact_size};

/// Target size of a shard's JSON before compression.
pub const SHARD_BYTES: usize = 24 * 1024;
/// Term frequencies count up to this.
pub const MAX_TF: u32 = 15;

/// What one document contributes: term → (frequency, in title), and its phrase pairs.
struct Analysed {
    /// In no particular order: each term's postings are appended in document order
    /// whatever the order of the terms within a document.
    terms: FxHashMap<String, (u32, bool)>,
    pairs: Vec<String>,
}

/// The analyzers of an index: its language's, and those of the languages its untranslated
/// texts are in when their rules differ (each text is analysed by its own language's).
struct Analyzers {
    own: Analyzer,
    others: BTreeMap<String, Analyzer>,
}

impl Analyzers {
    fn of(&self, lang: &Option<String>) -> &Analyzer {
        lang.as_ref().and_then(|l| self.others.get(l)).unwrap_or(&self.own)
    }
}

fn analyse(analyzers: &Analyzers, doc: &Doc) -> Analysed {
    let mut terms: FxHashMap<String, (u32, bool)> = FxHashMap::default();
    let mut pairs = Vec::new();
    for (field, lang, in_title) in [(&doc.title, &doc.title_lang, true), (&doc.text, &doc.text_lang, false)] {
        let stems = analyzers.of(lang).terms(field);
        for stem in &stems {
            match terms.get_mut(stem.as_str()) {
                Some(entry) => {
                    entry.0 += 1;
                    entry.1 |= in_title;
                }
                None => {
                    terms.insert(stem.clone(), (1, in_title));
                }
            }
        }
        pairs.extend(stems.windows(2).map(|w| format!("{} {}", w[0], w[1])));
    }
    pairs.sort_unstable();
    pairs.dedup();
    Analysed { terms, pairs }
}

/// A zlib encoder to compress one file after another with [`compress`]. Level 4, not
/// the default 6: on the 10k corpus the index's files grow by 1-2 % (fr 12.20 -> 12.32
/// MB, ar 13.57 -> 13.83 MB, a query a few hundred bytes more) and compressing them
/// takes about half the time (it was 7 % of the build's CPU).
pub fn encoder() -> ZlibEncoder<Vec<u8>> {
    ZlibEncoder::new(Vec::new(), Compression::new(4))
}

/// `bytes` as one zlib stream, leaving `encoder` ready for the next file. The stream
/// has no name or time in it: the same bytes give the same stream.
pub fn compress(encoder: &mut ZlibEncoder<Vec<u8>>, bytes: &[u8]) -> Vec<u8> {
    encoder.write_all(bytes).expect("writing to memory");
    // The index's 40,000 files of a large site are kept until written, and for hours
    // by the preview.
    exact_size(encoder.reset(Vec::new()).expect("writing to memory"))
}

/// Documents analysed at a time: enough to keep both cores busy, few enough that the
/// per-document term maps and texts of a 10,000-commitment site (90,000 documents) are
/// never all in memory at once, which was a third of the build's peak.
const ANALYSIS_BATCH: usize = 2048;

/// Postings by term or by phrase pair: (document, weight) with documents in increasing
/// order. Hashed with FxHash, not SipHash: the keys are the site's own words, and
/// hashing them was 1.2 % of a 10k build; [`sorted`] orders the entries before they
/// are written.
type PostingMap = FxHashMap<String, Vec<(u32, u32)>>;

/// Postings sorted by key.
type Postings = Vec<(String, Vec<(u32, u32)>)>;

fn add_posting(postings: &mut PostingMap, key: String, posting: (u32, u32)) {
    match postings.get_mut(&key) {
        Some(list) => list.push(posting),
        None => {
            postings.insert(key, vec![posting]);
        }
    }
}

/// The entries in code-point order of their keys, so the same site gives the same bytes.
fn sorted(postings: PostingMap) -> Postings {
    let mut entries: Postings = postings.into_iter().collect();
    entries.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    entries
}

/// Packs sorted (key, JSON value) entries into shards; returns each shard's first key
/// and JSON text.
fn shards<'a>(entries: impl Iterator<Item = (&'a String, String)>) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    let mut current: Option<(String, String)> = None;
    for (key, value) in entries {
        let item = format!("{}:{value}", serde_json::to_string(key).expect("a string"));
        match current.as_mut() {
            Some((_, text)) if text.len() < SHARD_BYTES => {
                text.push(',');
                text.push_str(&item);
            }
            _ => {
                if let Some(done) = current.take() {
                    out.push(done);
                }
                current = Some((key.clone(), format!("{{{item}")));
            }
        }
    }
    out.extend(current);
    for (_, text) in &mut out {
        text.push('}');
    }
    out
}

/// Delta-encodes postings: `[doc, weight, doc, weight, …]` with each doc after the first
/// as the difference from the previous one.
fn postings_json(postings: &[(u32, u32)], weights: bool) -> String {
    let mut text = String::from("[");
    let mut last = 0;
    for (i, &(doc, weight)) in postings.iter().enumerate() {
        if i > 0 {
            text.push(',');
        }
        text.push_str(&(doc - last).to_string());
        if weights {
            text.push(',');
            text.push_str(&weight.to_string());
        }
        last = doc;
    }
    text.push(']');
    text
}

/// Run-length encoding of a facet's per-document values.
fn runs(values: impl Iterator<Item = usize>) -> Vec<usize> {
    let mut out: Vec<usize> = Vec::new();
    for value in values {
        match out.len() {
            n if n >= 2 && out[n - 2] == value => out[n - 1] += 1,
            _ => out.extend([value, 1]),
        }
    }
    out
}

/// A document's fragment, what a result shows: a JSON array
/// `[title, url, context, text, title lang, text lang]`.
type Fragment<'a> = (&'a str, &'a str, &'a Option<String>, &'a str, &'a Option<String>, &'a Option<String>);

/// The fields of a fragment, in their order: the manifest names them, so `search.js`
/// reads a field by name, never by a position it would have to keep in step.
pub const FRAGMENT_FIELDS: [&str; 6] = ["title", "url", "context", "text", "title_lang", "text_lang"];

fn fragment(doc: &Doc) -> Fragment<'_> {
    (&doc.title, &doc.url, &doc.context, &doc.text, &doc.title_lang, &doc.text_lang)
}

/// The fragment files of the groups of a batch, `f/G.bin` under `dir`, each serialised
/// and compressed on its own, in parallel.
fn fragment_files(dir: &str, batch: &[Doc], groups: Vec<(usize, std::ops::Range<usize>)>) -> Result<Vec<OutputFile>> {
    let files = groups
        .into_par_iter()
        .map_init(encoder, |encoder, (g, range)| {
            let rows: Vec<Fragment> = batch[range].iter().map(fragment).collect();
            let text = serde_json::to_string(&rows)?;
            Ok(OutputFile::new(format!("{dir}f/{g}.bin"), compress(encoder, text.as_bytes())))
        })
        .collect::<Result<_, serde_json::Error>>()?;
    Ok(files)
}

/// Builds the index files of one language, under `dir` (`LANG/search/`), from its
/// documents handed over one at a time in the order of the site. A batch of documents
/// at a time is analysed and its fragments written, then dropped: only the postings
/// and the compressed files grow with the site.
pub struct Indexer<'a> {
    dir: String,
    lang: String,
    directions: BTreeMap<String, String>,
    analyzers: Analyzers,
    stemmer: Stemmer,
    /// The stemmer of each other language of the site whose rules differ from this one's.
    other_stemmers: BTreeMap<String, Stemmer>,
    /// Those of them that some indexed text was in: the manifest gives their rules, so
    /// that a query is also stemmed as they stem.
    other_used: std::collections::BTreeSet<String>,
    /// Theme asset name → URL, for the Snowball scripts of those rules.
    scripts: BTreeMap<String, String>,
    facets: &'a [Facet],
    /// Per facet, value → its number (1-based; 0 for none), looked up once per
    /// document: a scan of the values for each of 900,000 documents and 200 plans was
    /// quadratic on the 100k corpus.
    numbers: Vec<HashMap<&'a str, usize>>,
    /// Documents not yet analysed: whole groups, since a group's fragments are one file.
    pending: Vec<Doc>,
    analysed: u32,
    terms: PostingMap,
    pairs: PostingMap,
    group_sizes: Vec<usize>,
    /// Per facet, each analysed document's value number.
    facet_values: Vec<Vec<usize>>,
    fragments: Vec<OutputFile>,
}

impl<'a> Indexer<'a> {
    /// `directions` gives each language of the site its writing direction (`rtl` or
    /// `ltr`), for the results' untranslated texts; `stemmers` each language's stemmer:
    /// a text shown in another language (untranslated) is indexed with that language's
    /// rules.
    pub fn new(
        dir: &str,
        lang: &str,
        stemmer: Stemmer,
        stemmers: &BTreeMap<String, Stemmer>,
        facets: &'a [Facet],
        directions: BTreeMap<String, String>,
    ) -> Indexer<'a> {
        let other_stemmers: BTreeMap<String, Stemmer> =
            stemmers.iter().filter(|(l, s)| l.as_str() != lang && **s != stemmer).map(|(l, s)| (l.clone(), *s)).collect();
        let others = other_stemmers.iter().map(|(l, s)| (l.clone(), Analyzer::new(*s))).collect();
        let numbers = facets
            .iter()
            .map(|f| {
                let mut numbers = HashMap::new();
                for (i, (value, _)) in f.values.iter().enumerate() {
                    numbers.entry(value.as_str()).or_insert(i + 1);
                }
                numbers
            })
            .collect();
        Indexer {
            dir: dir.to_string(),
            lang: lang.to_string(),
            analyzers: Analyzers { own: Analyzer::new(stemmer), others },
            stemmer,
            other_stemmers,
            other_used: Default::default(),
            scripts: BTreeMap::new(),
            facets,
            directions,
            numbers,
            pending: Vec::new(),
            analysed: 0,
            terms: FxHashMap::default(),
            pairs: FxHashMap::default(),
            group_sizes: Vec::new(),
            facet_values: vec![Vec::new(); facets.len()],
            fragments: Vec::new(),
        }
    }

    /// The URLs of the theme's assets (name → URL), where the manifest finds the Snowball
    /// scripts of other languages' rules.
    pub fn with_scripts(mut self, scripts: BTreeMap<String, String>) -> Indexer<'a> {
        self.scripts = scripts;
        self
    }

    /// Takes the next document. Documents of one group come one after the other.
    pub fn add(&mut self, doc: Doc) -> Result<()> {
        let group_ends = self.pending.last().is_some_and(|last| last.group != doc.group);
        if self.pending.len() >= ANALYSIS_BATCH && group_ends {
            self.index_pending()?;
        }
        self.pending.push(doc);
        Ok(())
    }

    /// Analyses the pending documents in parallel, merges their postings in document
    /// order, records their groups and facet values, and writes their fragments.
    fn index_pending(&mut self) -> Result<()> {
        let batch = std::mem::take(&mut self.pending);
        self.add_postings(&batch);
        let groups = self.add_groups_and_facets(&batch);
        let fragments = fragment_files(&self.dir, &batch, groups)?;
        self.fragments.extend(fragments);
        Ok(())
    }

    /// Analyses the batch in parallel and merges its postings in document order.
    fn add_postings(&mut self, batch: &[Doc]) {
        for doc in batch {
            for lang in [&doc.title_lang, &doc.text_lang].into_iter().flatten() {
                if self.other_stemmers.contains_key(lang) {
                    self.other_used.insert(lang.clone());
                }
            }
        }
        let analysed: Vec<Analysed> = batch.par_iter().map(|d| analyse(&self.analyzers, d)).collect();
        for (offset, a) in analysed.into_iter().enumerate() {
            let id = self.analysed + offset as u32;
            for (term, (tf, in_title)) in a.terms {
                add_posting(&mut self.terms, term, (id, 2 * tf.min(MAX_TF) + u32::from(in_title)));
            }
            for pair in a.pairs {
                add_posting(&mut self.pairs, pair, (id, 0));
            }
        }
        self.analysed += batch.len() as u32;
    }

    /// Counts the batch's documents into their groups and records their facet values;
    /// returns each group begun in the batch: its number and its documents' range.
    fn add_groups_and_facets(&mut self, batch: &[Doc]) -> Vec<(usize, std::ops::Range<usize>)> {
        let mut groups: Vec<(usize, std::ops::Range<usize>)> = Vec::new();
        for (i, doc) in batch.iter().enumerate() {
            if doc.group == self.group_sizes.len() {
                self.group_sizes.push(0);
                groups.push((self.group_sizes.len() - 1, i..i));
            }
            *self.group_sizes.last_mut().expect("a group") += 1;
            if let Some((_, range)) = groups.last_mut() {
                range.end = i + 1;
            }
            for (values, (facet, numbers)) in self.facet_values.iter_mut().zip(self.facets.iter().zip(&self.numbers)) {
                let value_of = |id: Option<&str>| id.and_then(|id| numbers.get(id).copied()).unwrap_or(0);
                values.push(match facet.key {
                    "kind" => doc.kind.number() + 1,
                    "plan" => value_of(doc.plan.as_deref()),
                    "area" => value_of(doc.area.as_deref()),
                    "lead" => value_of(doc.lead.as_deref()),
                    "status" => value_of(doc.status.map(|s| s.as_str())),
                    _ => 0,
                });
            }
        }
        groups
    }

    /// The index files: term and phrase shards, the documents' table, the fragments
    /// and, last, the manifest.
    #[cfg(test)]
    pub fn finish(self) -> Result<Vec<OutputFile>> {
        self.finish_until(&|| Ok(()))
    }

    /// [`Indexer::finish`], asking `go_on` between its parts (a 10k site's last batch,
    /// terms, phrase pairs and compression take 0.2 s) and giving up with its error.
    pub fn finish_until(mut self, go_on: &(dyn Fn() -> Result<()> + Sync)) -> Result<Vec<OutputFile>> {
        self.index_pending()?;
        go_on()?;
        let dir = &self.dir;
        // Each shard's first key goes in the manifest, its text in its file.
        let (term_firsts, term_shards): (Vec<String>, Vec<String>) =
            shards(sorted(self.terms).iter().map(|(term, p)| (term, postings_json(p, true)))).into_iter().unzip();
        go_on()?;
        let (pair_firsts, pair_shards): (Vec<String>, Vec<String>) =
            shards(sorted(self.pairs).iter().map(|(pair, p)| (pair, postings_json(p, false)))).into_iter().unzip();
        go_on()?;

        // Groups (as sizes) and facet values per document, run-length encoded.
        let facet_runs: BTreeMap<&str, Vec<usize>> =
            self.facets.iter().zip(self.facet_values).map(|(f, values)| (f.key, runs(values.into_iter()))).collect();
        let docs_json = serde_json::to_string(&json!({"groups": self.group_sizes, "facets": facet_runs}))?;

        let mut plain: Vec<(String, String)> = Vec::new();
        plain.extend(term_shards.into_iter().enumerate().map(|(i, text)| (format!("{dir}t/{i}.bin"), text)));
        plain.extend(pair_shards.into_iter().enumerate().map(|(i, text)| (format!("{dir}b/{i}.bin"), text)));
        plain.push((format!("{dir}docs.bin"), docs_json));
        let mut files: Vec<OutputFile> = plain
            .into_par_iter()
            .map_init(encoder, |encoder, (path, text)| {
                go_on()?;
                Ok(OutputFile::new(path, compress(encoder, text.as_bytes())))
            })
            .collect::<Result<_>>()?;
        files.append(&mut self.fragments);

        let mut hasher = Sha256::new();
        for file in &files {
            hasher.update(file.path.as_bytes());
            hasher.update(&file.bytes);
        }
        let version: String = hasher.finalize().iter().take(6).map(|b| format!("{b:02x}")).collect();
        let manifest = json!({
            "version": version,
            "lang": self.lang,
            "docs": self.analysed,
            "groups": self.group_sizes.len(),
            "rules": rules_json(self.stemmer),
            "terms": term_firsts,
            "pairs": pair_firsts,
            "facets": self.facets.iter().map(|f| json!({"key": f.key, "label": f.label, "values": f.values})).collect::<Vec<_>>(),
            "fragment": FRAGMENT_FIELDS,
            "directions": self.directions,
        });
        let mut manifest = manifest;
        if !self.other_used.is_empty() {
            // Only when some text is in another language's rules: an index with none reads
            // as it always did.
            let rules: serde_json::Map<String, serde_json::Value> = self
                .other_used
                .iter()
                .map(|l| {
                    let stemmer = self.other_stemmers[l];
                    let mut rules = rules_json(stemmer);
                    let script = crate::search::text::rules(stemmer).snowball.and_then(|s| self.scripts.get(s.script()));
                    if let Some(url) = script {
                        rules["script"] = json!(url);
                    }
                    (l.clone(), rules)
                })
                .collect();
            manifest["other_rules"] = serde_json::Value::Object(rules);
        }
        let mut bytes = serde_json::to_vec(&manifest)?;
        bytes.push(b'\n');
        files.push(OutputFile::new(format!("{dir}index.json"), bytes));
        Ok(files)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    #[test]
    fn runs_and_postings_encode_compactly() {
        assert_eq!(runs([1, 1, 1, 2, 0, 0].into_iter()), vec![1, 3, 2, 1, 0, 2]);
        assert_eq!(postings_json(&[(3, 5), (4, 2), (10, 3)], true), "[3,5,1,2,6,3]");
        assert_eq!(postings_json(&[(3, 0), (4, 0)], false), "[3,1]");
    }

    /// Shards fill up to [`SHARD_BYTES`] and no further than the entry that crosses it;
    /// each starts with the key the manifest names it by, and together they hold every
    /// entry once, in order.
    #[test]
    fn shards_are_packed_to_the_target_size_each_named_by_its_first_key() {
        let keys: Vec<String> = (0..3000).map(|n| format!("term{n:05}")).collect();
        // 24 bytes an entry with its comma: a shard reaches 24 kB exactly after 1024.
        let value = "[1,2,3,4,5]";
        let item = format!("\"{}\":{value}", keys[0]).len();
        assert_eq!((item + 1) * 1024, SHARD_BYTES);
        let shards = shards(keys.iter().map(|k| (k, value.to_string())));
        assert!(shards.len() >= 3, "{} shards", shards.len());
        let mut seen = Vec::new();
        for (i, (first, text)) in shards.iter().enumerate() {
            let object: serde_json::Map<String, Value> = serde_json::from_str(text).unwrap_or_else(|e| panic!("shard {i}: {e}"));
            assert_eq!(object.keys().next(), Some(first), "shard {i}");
            assert!(object.values().all(|v| v == &serde_json::json!([1, 2, 3, 4, 5])));
            if i + 1 < shards.len() {
                assert!(text.len() > SHARD_BYTES, "shard {i} is full: {}", text.len());
            }
            assert!(text.len() <= SHARD_BYTES + item + 2, "shard {i} stops at the entry that crosses the target: {}", text.len());
            seen.extend(object.keys().cloned());
        }
        assert_eq!(seen, keys);
        assert_eq!(shards[1].0, keys[1024], "a shard of exactly the target size is full");
        assert!(super::shards(std::iter::empty()).is_empty(), "no entries, no shard");
    }

    fn inflate(stream: &[u8]) -> String {
        use std::io::Read as _;
        let mut text = String::new();
        flate2::read::ZlibDecoder::new(stream).read_to_string(&mut text).expect("a zlib stream");
        text
    }

    /// The terms of every shard of an index, with their postings.
    fn all_terms(files: &[OutputFile], dir: &str) -> BTreeMap<String, Value> {
        let prefix = format!("{dir}t/");
        let mut terms = BTreeMap::new();
        for f in files.iter().filter(|f| f.path.starts_with(&prefix)) {
            let shard: BTreeMap<String, Value> = serde_json::from_str(&inflate(&f.bytes)).unwrap();
            terms.extend(shard);
        }
        terms
    }

    /// An English index: the English text with English rules, an untranslated French one
    /// with French rules; the manifest gives the French rules and their script, so a
    /// query is stemmed both ways. An index with no other-language text has no such entry.
    #[test]
    fn untranslated_text_is_indexed_with_its_own_languages_rules() {
        let facets = [Facet { key: "kind", label: "Kind".into(), values: vec![("page".into(), "Page".into())] }];
        let stemmers: BTreeMap<String, Stemmer> =
            [("en", Stemmer::English), ("fr", Stemmer::French), ("ar", Stemmer::Arabic)].map(|(l, s)| (l.to_string(), s)).into();
        let scripts = [("snowball-french.js".to_string(), "/assets/snowball-french.1234.js".to_string())].into();
        let mut indexer = Indexer::new("en/search/", "en", Stemmer::English, &stemmers, &facets, BTreeMap::new()).with_scripts(scripts);
        indexer.add(Doc { title: "Citizens".into(), url: "/en/1/".into(), text: "citizens".into(), group: 0, ..Doc::default() }).unwrap();
        let french = Doc {
            title: "Citoyennes".into(),
            title_lang: Some("fr".into()),
            url: "/en/2/".into(),
            text: "les citoyennes".into(),
            text_lang: Some("fr".into()),
            group: 1,
            ..Doc::default()
        };
        indexer.add(french).unwrap();
        let files = indexer.finish().unwrap();
        let terms = all_terms(&files, "en/search/");
        assert!(terms.contains_key("citizen"), "{terms:?}");
        assert!(terms.contains_key("citoyen"), "French rules: {terms:?}");
        assert!(!terms.contains_key("citoyenn"), "not English rules on French: {terms:?}");
        assert!(!terms.contains_key("les"), "the French stop word is dropped: {terms:?}");
        let manifest: Value = serde_json::from_slice(&files.iter().find(|f| f.path == "en/search/index.json").unwrap().bytes).unwrap();
        assert_eq!(manifest["rules"]["snowball"], "english");
        assert_eq!(manifest["other_rules"]["fr"]["snowball"], "french");
        assert_eq!(manifest["other_rules"]["fr"]["script"], "/assets/snowball-french.1234.js");
        assert!(manifest["other_rules"].get("ar").is_none(), "no Arabic text in the index");

        let mut alone = Indexer::new("en/search/", "en", Stemmer::English, &stemmers, &facets, BTreeMap::new());
        alone.add(Doc { title: "Citizens".into(), url: "/en/1/".into(), group: 0, ..Doc::default() }).unwrap();
        let files = alone.finish().unwrap();
        let manifest: Value = serde_json::from_slice(&files.iter().find(|f| f.path == "en/search/index.json").unwrap().bytes).unwrap();
        assert!(manifest.get("other_rules").is_none());
    }

    /// Finishing asks whether to go on between its parts and inside the compression, and
    /// the first no stops it with that answer: a newer edit under `serve` need not wait
    /// for a whole language's terms, pairs and shards.
    #[test]
    fn finishing_stops_at_the_first_no() {
        let facets = [Facet { key: "kind", label: "Kind".into(), values: vec![("page".into(), "Page".into())] }];
        let indexer = || {
            let mut indexer = Indexer::new("fr/search/", "fr", Stemmer::French, &BTreeMap::new(), &facets, BTreeMap::new());
            for n in 0..40 {
                let doc = Doc {
                    title: format!("page {n}"),
                    url: format!("/fr/{n}/"),
                    text: format!("mot{n} autre{n}"),
                    group: n,
                    ..Doc::default()
                };
                indexer.add(doc).unwrap();
            }
            indexer
        };
        let all = indexer().finish().unwrap();
        let mut asked_in_all = 0;
        for stop_at in 1.. {
            let asked = std::sync::atomic::AtomicUsize::new(0);
            let go_on = || {
                let n = asked.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1;
                if n == stop_at { Err(anyhow::anyhow!("stop {n}")) } else { Ok(()) }
            };
            match indexer().finish_until(&go_on) {
                Err(err) => assert_eq!(err.to_string(), format!("stop {stop_at}")),
                Ok(files) => {
                    assert_eq!(files.len(), all.len());
                    asked_in_all = stop_at - 1;
                    break;
                }
            }
        }
        // After the last batch, the terms and the pairs, then once per compressed file.
        let compressed = all.iter().filter(|f| !f.path.contains("/f/") && !f.path.ends_with(".json")).count();
        assert_eq!(asked_in_all, 3 + compressed);
    }

    /// Documents come in batches of [`ANALYSIS_BATCH`], cut only between groups: with
    /// groups of three straddling every batch size, each fragment file still holds its
    /// whole group, and the postings number the documents across batches.
    #[test]
    fn groups_and_postings_survive_the_batches() {
        let facets = [Facet { key: "kind", label: "Kind".into(), values: vec![("commitment".into(), "Commitment".into())] }];
        let directions = [("ar".to_string(), "rtl".to_string()), ("fr".to_string(), "ltr".to_string())].into_iter().collect();
        let mut indexer = Indexer::new("fr/search/", "fr", Stemmer::French, &BTreeMap::new(), &facets, directions);
        let count = 3 * ANALYSIS_BATCH + 2;
        let groups = count.div_ceil(3);
        for n in 0..count {
            let word = if n == count - 1 { "zzz" } else { "engagement" };
            let doc = Doc { title: format!("doc{n}"), url: format!("/fr/{n}/"), text: word.into(), group: n / 3, ..Doc::default() };
            indexer.add(doc).unwrap();
        }
        let files = indexer.finish().unwrap();
        let file = |path: &str| files.iter().find(|f| f.path == path).unwrap_or_else(|| panic!("no {path}"));
        for g in [0, ANALYSIS_BATCH / 3, ANALYSIS_BATCH / 3 + 1, groups - 1] {
            let rows: Vec<Value> = serde_json::from_str(&inflate(&file(&format!("fr/search/f/{g}.bin")).bytes)).unwrap();
            let titles: Vec<&str> = rows.iter().map(|r| r[0].as_str().unwrap()).collect();
            let expected: Vec<String> = (3 * g..(3 * g + 3).min(count)).map(|n| format!("doc{n}")).collect();
            assert_eq!(titles, expected, "group {g}");
        }
        assert_eq!(files.iter().filter(|f| f.path.starts_with("fr/search/f/")).count(), groups);
        let table: Value = serde_json::from_str(&inflate(&file("fr/search/docs.bin").bytes)).unwrap();
        let sizes = table["groups"].as_array().unwrap();
        assert_eq!(sizes.len(), groups);
        assert!(sizes[..groups - 1].iter().all(|s| s == 3) && sizes[groups - 1] == 2);
        let manifest: Value = serde_json::from_slice(&file("fr/search/index.json").bytes).unwrap();
        assert_eq!(manifest["docs"], count);
        // The last document's own word points at it: delta from 0 is its number.
        let shards = files.iter().filter(|f| f.path.starts_with("fr/search/t/")).map(|f| inflate(&f.bytes)).collect::<String>();
        assert!(shards.contains(&format!("\"zzz\":[{},2]", count - 1)), "the last document's posting");
    }

    /// A group larger than a batch (a commitment with thousands of activities) is never
    /// cut: its fragment file holds every one of its documents.
    #[test]
    fn a_group_larger_than_a_batch_stays_whole() {
        let facets = [Facet { key: "kind", label: "Kind".into(), values: vec![("commitment".into(), "Commitment".into())] }];
        let mut indexer = Indexer::new("fr/search/", "fr", Stemmer::French, &BTreeMap::new(), &facets, BTreeMap::new());
        let big = ANALYSIS_BATCH + 5;
        for n in 0..big + 1 {
            let group = usize::from(n >= big);
            indexer.add(Doc { title: format!("doc{n}"), url: format!("/fr/{n}/"), group, ..Doc::default() }).unwrap();
        }
        let files = indexer.finish().unwrap();
        let rows = |g: usize| -> Vec<Value> {
            let file = files.iter().find(|f| f.path == format!("fr/search/f/{g}.bin")).unwrap_or_else(|| panic!("no group {g}"));
            serde_json::from_str(&inflate(&file.bytes)).unwrap()
        };
        assert_eq!(rows(0).len(), big);
        assert_eq!(rows(1).len(), 1);
        assert_eq!(files.iter().filter(|f| f.path.starts_with("fr/search/f/")).count(), 2);
    }

    #[test]
    fn a_reused_encoder_gives_each_file_its_own_reproducible_stream() {
        let mut reused = encoder();
        let first = compress(&mut reused, b"{\"a\":[1]}");
        let second = compress(&mut reused, b"[2,3]");
        assert_eq!(inflate(&first), "{\"a\":[1]}");
        assert_eq!(inflate(&second), "[2,3]");
        assert_eq!(first, compress(&mut encoder(), b"{\"a\":[1]}"), "same bytes, same stream, fresh or reused");
        assert_eq!(first[0], 0x78, "a zlib header, which search.js tells from JSON");
    }
}
