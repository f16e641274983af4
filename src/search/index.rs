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
use serde_json::json;
use sha2::{Digest, Sha256};

use super::text::{Analyzer, rules_json};
use super::{Doc, Facet};
use crate::output::OutputFile;

/// Target size of a shard's JSON before compression.
pub const SHARD_BYTES: usize = 24 * 1024;
/// Term frequencies count up to this.
pub const MAX_TF: u32 = 15;

/// What one document contributes: term → (frequency, in title), and its phrase pairs.
struct Analysed {
    terms: BTreeMap<String, (u32, bool)>,
    pairs: Vec<String>,
}

fn analyse(analyzer: &Analyzer, doc: &Doc) -> Analysed {
    let mut terms: BTreeMap<String, (u32, bool)> = BTreeMap::new();
    let mut pairs = Vec::new();
    for (field, in_title) in [(&doc.title, true), (&doc.text, false)] {
        let stems = analyzer.terms(field);
        for stem in &stems {
            let entry = terms.entry(stem.clone()).or_insert((0, false));
            entry.0 += 1;
            entry.1 |= in_title;
        }
        pairs.extend(stems.windows(2).map(|w| format!("{} {}", w[0], w[1])));
    }
    pairs.sort_unstable();
    pairs.dedup();
    Analysed { terms, pairs }
}

/// A zlib encoder to compress one file after another with [`compress`].
pub fn encoder() -> ZlibEncoder<Vec<u8>> {
    ZlibEncoder::new(Vec::new(), Compression::default())
}

/// `bytes` as one zlib stream, leaving `encoder` ready for the next file. The stream
/// has no name or time in it: the same bytes give the same stream.
pub fn compress(encoder: &mut ZlibEncoder<Vec<u8>>, bytes: &[u8]) -> Vec<u8> {
    encoder.write_all(bytes).expect("writing to memory");
    encoder.reset(Vec::new()).expect("writing to memory")
}

/// Documents analysed at a time: enough to keep both cores busy, few enough that the
/// per-document term maps of a 10,000-commitment site (90,000 documents) are never all
/// in memory at once, which was a third of the build's peak.
const ANALYSIS_BATCH: usize = 2048;

/// Postings by term and by phrase pair, each sorted by key: (document, weight) with
/// documents in increasing order.
type Postings = Vec<(String, Vec<(u32, u32)>)>;

/// The postings of all documents, analysed in parallel batches and merged in document
/// order.
fn postings(analyzer: &Analyzer, docs: &[Doc]) -> (Postings, Postings) {
    let mut terms: HashMap<String, Vec<(u32, u32)>> = HashMap::new();
    let mut pairs: HashMap<String, Vec<(u32, u32)>> = HashMap::new();
    for (batch_no, batch) in docs.chunks(ANALYSIS_BATCH).enumerate() {
        let analysed: Vec<Analysed> = batch.par_iter().map(|d| analyse(analyzer, d)).collect();
        for (offset, a) in analysed.into_iter().enumerate() {
            let id = (batch_no * ANALYSIS_BATCH + offset) as u32;
            for (term, (tf, in_title)) in a.terms {
                add_posting(&mut terms, term, (id, 2 * tf.min(MAX_TF) + u32::from(in_title)));
            }
            for pair in a.pairs {
                add_posting(&mut pairs, pair, (id, 0));
            }
        }
    }
    (sorted(terms), sorted(pairs))
}

fn add_posting(postings: &mut HashMap<String, Vec<(u32, u32)>>, key: String, posting: (u32, u32)) {
    match postings.get_mut(&key) {
        Some(list) => list.push(posting),
        None => {
            postings.insert(key, vec![posting]);
        }
    }
}

/// The entries in code-point order of their keys, so the same site gives the same bytes.
fn sorted(postings: HashMap<String, Vec<(u32, u32)>>) -> Postings {
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

/// The documents of each group, as index ranges: groups are runs of documents.
fn group_ranges(sizes: &[usize]) -> Vec<std::ops::Range<usize>> {
    let mut start = 0;
    sizes
        .iter()
        .map(|size| {
            start += size;
            start - size..start
        })
        .collect()
}

/// A document's fragment, what a result shows: a JSON array
/// `[title, url, context, text, title lang, text lang]`.
type Fragment<'a> = (&'a str, &'a str, &'a Option<String>, &'a str, &'a Option<String>, &'a Option<String>);

fn fragment(doc: &Doc) -> Fragment<'_> {
    (&doc.title, &doc.url, &doc.context, &doc.text, &doc.title_lang, &doc.text_lang)
}

/// The index files of one language, under `dir` (`LANG/search/`).
pub fn write(dir: &str, lang: &str, docs: &[Doc], facets: &[Facet]) -> Result<Vec<OutputFile>> {
    let (terms, pairs) = postings(&Analyzer::new(lang), docs);
    // Each shard's first key goes in the manifest, its text in its file.
    let (term_firsts, term_shards): (Vec<String>, Vec<String>) =
        shards(terms.iter().map(|(term, p)| (term, postings_json(p, true)))).into_iter().unzip();
    drop(terms);
    let (pair_firsts, pair_shards): (Vec<String>, Vec<String>) =
        shards(pairs.iter().map(|(pair, p)| (pair, postings_json(p, false)))).into_iter().unzip();
    drop(pairs);

    // Groups (as sizes) and facet values per document.
    let mut group_sizes: Vec<usize> = Vec::new();
    for doc in docs {
        if doc.group == group_sizes.len() {
            group_sizes.push(0);
        }
        *group_sizes.last_mut().expect("a group") += 1;
    }
    let facet_runs: BTreeMap<&str, Vec<usize>> = facets
        .iter()
        .map(|f| {
            // Value → its number (1-based; 0 for none), looked up once per document: a
            // scan of the values for each of 900,000 documents and 200 plans was
            // quadratic on the 100k corpus.
            let mut numbers: HashMap<&str, usize> = HashMap::new();
            for (i, (value, _)) in f.values.iter().enumerate() {
                numbers.entry(value.as_str()).or_insert(i + 1);
            }
            let value_of = |id: Option<&str>| id.and_then(|id| numbers.get(id).copied()).unwrap_or(0);
            let values = docs.iter().map(|d| match f.key {
                "kind" => d.kind + 1,
                "plan" => value_of(d.plan.as_deref()),
                "area" => value_of(d.area.as_deref()),
                "lead" => value_of(d.lead.as_deref()),
                "status" => value_of(d.status.map(|s| s.as_str())),
                _ => 0,
            });
            (f.key, runs(values))
        })
        .collect();
    let docs_json = serde_json::to_string(&json!({"groups": group_sizes, "facets": facet_runs}))?;

    // Shards and the documents' table, compressed in parallel and each dropped once
    // compressed.
    let mut plain: Vec<(String, String)> = Vec::new();
    plain.extend(term_shards.into_iter().enumerate().map(|(i, text)| (format!("{dir}t/{i}.bin"), text)));
    plain.extend(pair_shards.into_iter().enumerate().map(|(i, text)| (format!("{dir}b/{i}.bin"), text)));
    plain.push((format!("{dir}docs.bin"), docs_json));
    let mut files: Vec<OutputFile> = plain
        .into_par_iter()
        .map_init(encoder, |encoder, (path, text)| OutputFile::new(path, compress(encoder, text.as_bytes())))
        .collect();

    // Fragments, one file per group, each serialised and compressed on its own: the
    // documents' texts are never all copied at once.
    let groups = group_ranges(&group_sizes);
    let fragments: Vec<OutputFile> = groups
        .into_par_iter()
        .enumerate()
        .map_init(encoder, |encoder, (g, range)| {
            let rows: Vec<_> = docs[range].iter().map(fragment).collect();
            let text = serde_json::to_string(&rows)?;
            Ok(OutputFile::new(format!("{dir}f/{g}.bin"), compress(encoder, text.as_bytes())))
        })
        .collect::<Result<_, serde_json::Error>>()?;
    files.extend(fragments);

    let mut hasher = Sha256::new();
    for file in &files {
        hasher.update(file.path.as_bytes());
        hasher.update(&file.bytes);
    }
    let version: String = hasher.finalize().iter().take(6).map(|b| format!("{b:02x}")).collect();
    let manifest = json!({
        "version": version,
        "lang": lang,
        "docs": docs.len(),
        "groups": group_sizes.len(),
        "rules": rules_json(lang),
        "terms": term_firsts,
        "pairs": pair_firsts,
        "facets": facets.iter().map(|f| json!({"key": f.key, "label": f.label, "values": f.values})).collect::<Vec<_>>(),
    });
    let mut bytes = serde_json::to_vec(&manifest)?;
    bytes.push(b'\n');
    files.push(OutputFile::new(format!("{dir}index.json"), bytes));
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_and_postings_encode_compactly() {
        assert_eq!(runs([1, 1, 1, 2, 0, 0].into_iter()), vec![1, 3, 2, 1, 0, 2]);
        assert_eq!(postings_json(&[(3, 5), (4, 2), (10, 3)], true), "[3,5,1,2,6,3]");
        assert_eq!(postings_json(&[(3, 0), (4, 0)], false), "[3,1]");
    }

    #[test]
    fn a_reused_encoder_gives_each_file_its_own_reproducible_stream() {
        use std::io::Read as _;
        let inflate = |stream: &[u8]| {
            let mut text = String::new();
            flate2::read::ZlibDecoder::new(stream).read_to_string(&mut text).expect("a zlib stream");
            text
        };
        let mut reused = encoder();
        let first = compress(&mut reused, b"{\"a\":[1]}");
        let second = compress(&mut reused, b"[2,3]");
        assert_eq!(inflate(&first), "{\"a\":[1]}");
        assert_eq!(inflate(&second), "[2,3]");
        assert_eq!(first, compress(&mut encoder(), b"{\"a\":[1]}"), "same bytes, same stream, fresh or reused");
        assert_eq!(first[0], 0x78, "a zlib header, which search.js tells from JSON");
    }
}
