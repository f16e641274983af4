//! The search index as `search.js` reads it, from the search fixture
//! (`tests/fixtures/search-site`): the manifest, the documents' table, the fragments and
//! the term and phrase shards are decoded back into documents and postings, and what a
//! reader would find is checked — every document of the site in its order, with its
//! facets, its group, its link under the site's base path, its text in the index's
//! language or marked as another, and the words that find it.

use std::collections::BTreeMap;
use std::io::Read as _;
use std::path::Path;

use serde_json::Value;
use shafaf::output::OutputFile;
use shafaf::render::theme::Theme;
use shafaf::search::Input;
use shafaf::search::text::Analyzer;

/// One document as the browser sees it.
#[derive(Debug, Clone, PartialEq)]
struct Doc {
    group: usize,
    /// Facet key → the value's ID (`None` when the document has none).
    facets: BTreeMap<String, Option<String>>,
    title: String,
    url: String,
    context: Option<String>,
    text: String,
    title_lang: Option<String>,
    text_lang: Option<String>,
}

struct Index {
    manifest: Value,
    docs: Vec<Doc>,
    /// Stem → (document, weight), documents in increasing order.
    terms: BTreeMap<String, Vec<(usize, u64)>>,
    /// "stem stem" → documents.
    pairs: BTreeMap<String, Vec<usize>>,
    lang: String,
}

fn inflate(bytes: &[u8]) -> String {
    let mut text = String::new();
    flate2::read::ZlibDecoder::new(bytes).read_to_string(&mut text).expect("a zlib stream");
    text
}

fn fixture() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/search-site"))
}

/// The index files of every language, as the build writes them.
fn index_files() -> Vec<OutputFile> {
    let checked = shafaf::check(fixture(), None, false).expect("the search fixture loads");
    assert!(!checked.diagnostics.has_errors(), "the search fixture has errors");
    let theme = Theme::load(fixture(), &checked.site.config.table()).expect("the theme loads");
    let assets = std::collections::BTreeMap::new();
    let input = Input {
        site: &checked.site,
        facts: &checked.facts,
        strings: &theme.strings,
        base_url: &checked.site.config.base_url,
        assets: &assets,
    };
    shafaf::search::files(&input).expect("the index builds")
}

/// Decodes postings `[doc delta, weight, …]` (or `[doc delta, …]`).
fn postings(value: &Value, weights: bool) -> Vec<(usize, u64)> {
    let numbers: Vec<u64> = value.as_array().unwrap().iter().map(|n| n.as_u64().unwrap()).collect();
    let step = if weights { 2 } else { 1 };
    let mut doc = 0;
    numbers
        .chunks(step)
        .map(|chunk| {
            doc += chunk[0] as usize;
            (doc, if weights { chunk[1] } else { 0 })
        })
        .collect()
}

/// The shards of one kind (`t` or `b`): each named in the manifest by its first key, keys
/// in code-point order across them; returns every entry.
fn read_shards(files: &BTreeMap<&str, &[u8]>, dir: &str, kind: &str, firsts: &Value) -> Vec<(String, Value)> {
    let firsts: Vec<&str> = firsts.as_array().unwrap().iter().map(|f| f.as_str().unwrap()).collect();
    let mut entries = Vec::new();
    for (i, first) in firsts.iter().enumerate() {
        let path = format!("{dir}{kind}/{i}.bin");
        let text = inflate(files.get(path.as_str()).unwrap_or_else(|| panic!("no {path}")));
        let shard: serde_json::Map<String, Value> = serde_json::from_str(&text).unwrap();
        let keys: Vec<&String> = shard.keys().collect();
        assert_eq!(keys.first().map(|k| k.as_str()), Some(*first), "{path} starts with the key the manifest names");
        entries.extend(shard.into_iter());
    }
    assert!(!files.contains_key(format!("{dir}{kind}/{}.bin", firsts.len()).as_str()), "a {kind} shard the manifest does not name");
    let keys: Vec<&String> = entries.iter().map(|(k, _)| k).collect();
    assert!(keys.windows(2).all(|w| w[0] < w[1]), "{kind} keys in code-point order");
    entries
}

fn decode(files: &[OutputFile], lang: &str) -> Index {
    let dir = format!("{lang}/search/");
    let by_path: BTreeMap<&str, &[u8]> =
        files.iter().filter(|f| f.path.starts_with(&dir)).map(|f| (f.path.as_str(), f.bytes.as_slice())).collect();
    let manifest: Value = serde_json::from_slice(by_path[format!("{dir}index.json").as_str()]).unwrap();
    let table: Value = serde_json::from_str(&inflate(by_path[format!("{dir}docs.bin").as_str()])).unwrap();
    let count = manifest["docs"].as_u64().unwrap() as usize;

    // Groups as sizes.
    let sizes: Vec<usize> = table["groups"].as_array().unwrap().iter().map(|s| s.as_u64().unwrap() as usize).collect();
    assert_eq!(sizes.len(), manifest["groups"].as_u64().unwrap() as usize, "the manifest's group count");
    let groups: Vec<usize> = sizes.iter().enumerate().flat_map(|(g, &n)| std::iter::repeat_n(g, n)).collect();
    assert_eq!(groups.len(), count, "group sizes add up to the documents");

    // Facets: run-length encoded value numbers, 0 for none.
    let mut facets: Vec<BTreeMap<String, Option<String>>> = vec![BTreeMap::new(); count];
    for facet in manifest["facets"].as_array().unwrap() {
        let key = facet["key"].as_str().unwrap();
        let values: Vec<&str> = facet["values"].as_array().unwrap().iter().map(|v| v[0].as_str().unwrap()).collect();
        let runs: Vec<usize> = table["facets"][key].as_array().unwrap().iter().map(|n| n.as_u64().unwrap() as usize).collect();
        let numbers: Vec<usize> = runs.chunks(2).flat_map(|r| std::iter::repeat_n(r[0], r[1])).collect();
        assert_eq!(numbers.len(), count, "facet {key}: one value per document");
        for (doc, n) in numbers.into_iter().enumerate() {
            facets[doc].insert(key.to_string(), (n > 0).then(|| values[n - 1].to_string()));
        }
    }

    // Fragments, one file per group, fields named by the manifest.
    let fields: Vec<&str> = manifest["fragment"].as_array().unwrap().iter().map(|f| f.as_str().unwrap()).collect();
    let mut docs = Vec::new();
    for (g, &size) in sizes.iter().enumerate() {
        let path = format!("{dir}f/{g}.bin");
        let rows: Vec<Vec<Value>> =
            serde_json::from_str(&inflate(by_path.get(path.as_str()).unwrap_or_else(|| panic!("no {path}")))).unwrap();
        assert_eq!(rows.len(), size, "{path} holds its group's documents");
        for row in rows {
            let field = |name: &str| row[fields.iter().position(|f| *f == name).unwrap()].clone();
            let text = |name: &str| field(name).as_str().unwrap().to_string();
            let optional = |name: &str| field(name).as_str().map(str::to_string);
            let n = docs.len();
            docs.push(Doc {
                group: groups[n],
                facets: facets[n].clone(),
                title: text("title"),
                url: text("url"),
                context: optional("context"),
                text: text("text"),
                title_lang: optional("title_lang"),
                text_lang: optional("text_lang"),
            });
        }
    }
    assert_eq!(docs.len(), count);

    let terms = read_shards(&by_path, &dir, "t", &manifest["terms"]).into_iter().map(|(k, v)| (k, postings(&v, true))).collect();
    let pairs = read_shards(&by_path, &dir, "b", &manifest["pairs"])
        .into_iter()
        .map(|(k, v)| (k, postings(&v, false).into_iter().map(|(d, _)| d).collect()))
        .collect();
    Index { manifest, docs, terms, pairs, lang: lang.to_string() }
}

impl Index {
    /// The URLs of the documents holding every word of `query`, as search.js finds them.
    fn find(&self, query: &str) -> Vec<&str> {
        let stems = Analyzer::new(shafaf::language::Language::built_in(&self.lang).expect("a built-in language").stemmer).terms(query);
        assert!(!stems.is_empty(), "{query}: no terms");
        let mut found: Option<Vec<usize>> = None;
        for stem in stems {
            let docs: Vec<usize> = self.terms.get(&stem).map(|p| p.iter().map(|(d, _)| *d).collect()).unwrap_or_default();
            found = Some(match found {
                None => docs,
                Some(previous) => previous.into_iter().filter(|d| docs.contains(d)).collect(),
            });
        }
        found.unwrap_or_default().into_iter().map(|d| self.docs[d].url.as_str()).collect()
    }

    /// The weight of a word's posting in the document at `url`.
    fn weight(&self, word: &str, url: &str) -> u64 {
        let stem =
            Analyzer::new(shafaf::language::Language::built_in(&self.lang).expect("a built-in language").stemmer).terms(word).remove(0);
        let doc = self.docs.iter().position(|d| d.url == url).unwrap_or_else(|| panic!("no document {url}"));
        self.terms[&stem].iter().find(|(d, _)| *d == doc).unwrap_or_else(|| panic!("{word} not in {url}")).1
    }

    fn doc(&self, url: &str) -> &Doc {
        self.docs.iter().find(|d| d.url == url).unwrap_or_else(|| panic!("no document {url}"))
    }
}

fn facets(pairs: &[(&str, Option<&str>)]) -> BTreeMap<String, Option<String>> {
    pairs.iter().map(|(k, v)| (k.to_string(), v.map(str::to_string))).collect()
}

/// Every document of the French index, in the order of the site — the plan, each
/// commitment followed by its activities, the areas, the institutions, the news posts
/// newest first and the free pages — with its group, facets and fragment.
#[test]
fn the_french_index_holds_every_document_of_the_site_in_order() {
    let index = decode(&index_files(), "fr");
    let summary: Vec<(usize, &str, &str, Option<&str>, Option<&str>)> =
        index.docs.iter().map(|d| (d.group, d.title.as_str(), d.url.as_str(), d.title_lang.as_deref(), d.text_lang.as_deref())).collect();
    let c1 = "/portal/fr/plans/2024-2027/commitments/open-data/";
    let c2 = "/portal/fr/plans/2024-2027/commitments/participation/";
    assert_eq!(
        summary,
        vec![
            (0, "Plan de recherche", "/portal/fr/plans/2024-2027/", None, None),
            (1, "Engagement n° 1 — Données ouvertes vorlak", c1, None, None),
            (1, "Activité avec rapports", &format!("{c1}#activities-h") as &str, None, None),
            (1, "Activité annulée", &format!("{c1}#activities-h") as &str, None, None),
            (2, "Engagement n° 2 — Participation en français seulement", c2, None, Some("ar")),
            (2, "Activité prévue", &format!("{c2}#activities-h") as &str, None, None),
            (3, "Transparence", "/portal/fr/areas/transparency/", None, None),
            (4, "Participation", "/portal/fr/areas/participation/", None, None),
            (5, "Le conseil", "/portal/fr/institutions/council/", None, None),
            (6, "Le ministère", "/portal/fr/institutions/ministry/", None, None),
            (7, "خبر بالعربية فقط", "/portal/fr/news/2025-05-02-arabic-only/", Some("ar"), Some("ar")),
            (8, "Seconde nouvelle du même jour", "/portal/fr/news/2025-05-02-second-post/", None, None),
            (9, "Lancement du portail", "/portal/fr/news/2025-01-10-launch/", None, None),
            (10, "Annonce du lancement", "/portal/fr/news/2024-11-20-launch/", None, None),
            (11, "À propos", "/portal/fr/about/", None, None),
        ]
    );
    assert_eq!(index.manifest["docs"], 15);
    assert_eq!(index.manifest["groups"], 12);
    assert_eq!(index.manifest["lang"], "fr");

    let kind = |k: &'static str| ("kind", Some(k));
    let plan = ("plan", Some("2024-2027"));
    let none = |key: &'static str| (key, None);
    let expected = [
        facets(&[kind("page"), plan, none("area"), none("lead"), none("status")]),
        facets(&[kind("commitment"), plan, ("area", Some("transparency")), ("lead", Some("ministry")), ("status", Some("in_progress"))]),
        facets(&[kind("activity"), plan, ("area", Some("transparency")), ("lead", Some("ministry")), ("status", Some("in_progress"))]),
        facets(&[kind("activity"), plan, ("area", Some("transparency")), ("lead", Some("ministry")), ("status", Some("cancelled"))]),
        facets(&[kind("commitment"), plan, ("area", Some("participation")), ("lead", Some("council")), ("status", Some("not_started"))]),
        facets(&[kind("activity"), plan, ("area", Some("participation")), ("lead", Some("council")), ("status", Some("not_started"))]),
        facets(&[kind("page"), none("plan"), ("area", Some("transparency")), none("lead"), none("status")]),
        facets(&[kind("page"), none("plan"), ("area", Some("participation")), none("lead"), none("status")]),
        facets(&[kind("page"), none("plan"), none("area"), ("lead", Some("council")), none("status")]),
        facets(&[kind("page"), none("plan"), none("area"), ("lead", Some("ministry")), none("status")]),
        facets(&[kind("news"), none("plan"), none("area"), none("lead"), none("status")]),
        facets(&[kind("news"), none("plan"), none("area"), none("lead"), none("status")]),
        facets(&[kind("news"), none("plan"), none("area"), none("lead"), none("status")]),
        facets(&[kind("news"), none("plan"), none("area"), none("lead"), none("status")]),
        facets(&[kind("page"), none("plan"), none("area"), none("lead"), none("status")]),
    ];
    assert_eq!(expected.len(), index.docs.len());
    for (doc, expected) in index.docs.iter().zip(&expected) {
        assert_eq!(&doc.facets, expected, "{}", doc.url);
    }

    // The texts an excerpt comes from, as plain text, and the activities' context line.
    let text = |url: &str| index.doc(url).text.clone();
    assert_eq!(text("/portal/fr/plans/2024-2027/"), "Un plan qui parle de quarzite.");
    assert_eq!(text(c1), "Le problème des données ouvertes : brumix.\nLa solution glenduf.\nLes résultats tressil.");
    assert_eq!(index.docs[2].text, "Note publiée wypmk", "only the note in effect on as_of");
    assert_eq!(index.docs[2].context.as_deref(), Some("Engagement n° 1 — Données ouvertes vorlak"));
    assert_eq!(index.docs[3].text, "");
    assert_eq!(index.docs[5].context.as_deref(), Some("Engagement n° 2 — Participation en français seulement"));
    assert!(text(c2).starts_with("مشكلة بالعربية فقط\nfenwold"), "{}", text(c2));
    assert_eq!(index.docs[1].context, None);
    assert_eq!(text("/portal/fr/areas/transparency/"), "Accès à l'information, décrit en français seulement : ombrelix.");
    assert_eq!(text("/portal/fr/areas/participation/"), "");
    assert_eq!(text("/portal/fr/institutions/ministry/"), "MQXR", "an institution's text is its acronym");
    assert_eq!(text("/portal/fr/institutions/council/"), "");
    assert_eq!(
        text("/portal/fr/news/2025-01-10-launch/"),
        "Le portail ouvre : sommaire quillon.\nLe corps de la nouvelle parle de pavonel."
    );
    assert_eq!(text("/portal/fr/about/"), "Ce portail parle de zephyrine.");
}

/// The Arabic index: the texts written only in French are there, marked French; the
/// page written only in Arabic is there (the French index has no such page).
#[test]
fn the_arabic_index_marks_the_texts_it_shows_in_another_language() {
    let index = decode(&index_files(), "ar");
    let c2 = index.doc("/portal/ar/plans/2024-2027/commitments/participation/");
    assert_eq!(c2.title_lang.as_deref(), Some("fr"));
    assert!(c2.title.ends_with("Participation en français seulement"), "{}", c2.title);
    assert_eq!(c2.text_lang, None, "the problem is in Arabic");
    let area = index.doc("/portal/ar/areas/transparency/");
    assert_eq!((area.title.as_str(), area.title_lang.as_deref()), ("الشفافية", None));
    assert_eq!(area.text_lang.as_deref(), Some("fr"), "the description is French only");
    let untitled = index.doc("/portal/ar/areas/participation/");
    assert_eq!((untitled.title.as_str(), untitled.title_lang.as_deref()), ("Participation", Some("fr")), "the title is French only");
    let activity = index.docs.iter().find(|d| d.title == "Activité prévue").expect("the untranslated activity");
    assert_eq!(activity.title_lang.as_deref(), Some("fr"));
    let news = index.doc("/portal/ar/news/2025-01-10-launch/");
    assert_eq!((news.title.as_str(), news.title_lang.as_deref(), news.text_lang.as_deref()), ("إطلاق البوابة", None, None));
    let pages: Vec<&str> = index
        .docs
        .iter()
        .filter(|d| d.facets["kind"].as_deref() == Some("page") && ["plan", "area", "lead"].iter().all(|k| d.facets[*k].is_none()))
        .map(|d| d.url.as_str())
        .collect();
    assert_eq!(pages, ["/portal/ar/about/", "/portal/ar/faq/"]);
    assert_eq!(index.manifest["lang"], "ar");
    assert_eq!(index.manifest["docs"], 16);
}

/// The facets the manifest lists, with their labels and their values' labels, in the
/// index's language.
#[test]
fn the_manifest_lists_the_facets_with_their_labels() {
    let index = decode(&index_files(), "fr");
    let facets = index.manifest["facets"].as_array().unwrap();
    let keys: Vec<&str> = facets.iter().map(|f| f["key"].as_str().unwrap()).collect();
    assert_eq!(keys, ["kind", "plan", "area", "lead", "status"]);
    let labels: Vec<&str> = facets.iter().map(|f| f["label"].as_str().unwrap()).collect();
    assert!(labels.iter().all(|l| !l.is_empty()), "{labels:?}");
    assert_eq!(
        facets[0]["values"].as_array().unwrap().iter().map(|v| v[0].as_str().unwrap()).collect::<Vec<_>>(),
        ["commitment", "activity", "page", "news"]
    );
    assert_eq!(facets[1]["values"], serde_json::json!([["2024-2027", "Plan de recherche"]]));
    assert_eq!(facets[2]["values"], serde_json::json!([["transparency", "Transparence"], ["participation", "Participation"]]));
    assert_eq!(facets[3]["values"], serde_json::json!([["council", "Le conseil"], ["ministry", "Le ministère"]]));
    let statuses: Vec<&str> = facets[4]["values"].as_array().unwrap().iter().map(|v| v[0].as_str().unwrap()).collect();
    assert!(statuses.contains(&"in_progress") && statuses.contains(&"cancelled") && statuses.contains(&"not_started"), "{statuses:?}");
    let kind_labels: Vec<&str> = facets[0]["values"].as_array().unwrap().iter().map(|v| v[1].as_str().unwrap()).collect();
    assert!(kind_labels.iter().all(|l| !l.is_empty() && !l.starts_with("search_kind")), "{kind_labels:?}");
    let arabic = decode(&index_files(), "ar");
    assert_ne!(arabic.manifest["facets"][0]["label"], index.manifest["facets"][0]["label"], "labels in the index's language");
    assert_eq!(index.manifest["rules"]["snowball"], "french");
    assert_eq!(arabic.manifest["rules"]["snowball"], Value::Null);
}

/// What a reader's words find: each made-up word its one document, in the title or the
/// text; a later report's note nothing yet; a stop word nothing.
#[test]
fn a_readers_words_find_the_documents_that_hold_them() {
    let index = decode(&index_files(), "fr");
    let c1 = "/portal/fr/plans/2024-2027/commitments/open-data/";
    assert_eq!(index.find("vorlak"), [c1], "a word of the title");
    assert_eq!(index.find("brumix"), [c1]);
    assert_eq!(index.find("glenduf tressil"), [c1], "both words");
    assert_eq!(index.find("quarzite"), ["/portal/fr/plans/2024-2027/"]);
    assert_eq!(index.find("wypmk"), [format!("{c1}#activities-h")]);
    assert!(index.find("xylqz").is_empty(), "a note after as_of");
    assert_eq!(index.find("ombrelix"), ["/portal/fr/areas/transparency/"]);
    assert_eq!(index.find("mqxr"), ["/portal/fr/institutions/ministry/"]);
    assert_eq!(index.find("quillon pavonel"), ["/portal/fr/news/2025-01-10-launch/"]);
    // Posts that share a day or a name with another are each their own.
    assert_eq!(index.find("cormaline"), ["/portal/fr/news/2025-05-02-second-post/"]);
    assert_eq!(index.find("annonce"), ["/portal/fr/news/2024-11-20-launch/"]);
    assert_eq!(index.find("zephyrine"), ["/portal/fr/about/"]);
    assert!(index.terms.keys().all(|t| t != "les" && t != "de"), "stop words are not indexed");
    // Documents in increasing order in every posting list.
    assert!(index.terms.values().all(|p| p.windows(2).all(|w| w[0].0 < w[1].0)));
    let arabic = decode(&index_files(), "ar");
    assert_eq!(arabic.find("قرنفل"), ["/portal/ar/plans/2024-2027/"]);
}

/// A term's weight is twice its frequency, capped at 15, plus one in the title.
#[test]
fn weights_count_the_frequency_up_to_the_cap_and_the_title() {
    let index = decode(&index_files(), "fr");
    let c1 = "/portal/fr/plans/2024-2027/commitments/open-data/";
    let c2 = "/portal/fr/plans/2024-2027/commitments/participation/";
    assert_eq!(index.weight("brumix", c1), 2, "once in the text");
    assert_eq!(index.weight("vorlak", c1), 3, "once in the title");
    assert_eq!(index.weight("trimbal", c2), 6, "three times in the text");
    assert_eq!(index.weight("fenwold", c2), 30, "twenty times, counted as fifteen");
    // "ouvertes": once in the title, once in the text.
    assert_eq!(index.weight("ouvertes", c1), 5);
}

/// Quoted phrases: two words that follow each other, stop words skipped, in the title
/// or in the text, never across the two.
#[test]
fn phrases_are_the_pairs_of_words_that_follow_each_other() {
    let index = decode(&index_files(), "fr");
    let analyzer = Analyzer::new(shafaf::language::Stemmer::French);
    let pair = |text: &str| analyzer.terms(text).join(" ");
    let docs_of = |text: &str| -> Vec<&str> {
        index.pairs.get(&pair(text)).map(|ds| ds.iter().map(|&d| index.docs[d].url.as_str()).collect()).unwrap_or_default()
    };
    let c1 = "/portal/fr/plans/2024-2027/commitments/open-data/";
    assert_eq!(docs_of("données ouvertes"), [c1], "in the title and in the text, one posting");
    assert_eq!(docs_of("ouvertes brumix"), [c1], "the stop-word-free neighbours of the text");
    assert_eq!(docs_of("parle de zephyrine"), ["/portal/fr/about/"], "the stop word skipped");
    assert!(docs_of("vorlak problème").is_empty(), "the title's last word and the text's first are not a phrase");
    assert!(docs_of("ouvertes données").is_empty(), "in their order only");
    assert!(index.pairs.values().all(|ds| ds.windows(2).all(|w| w[0] < w[1])));
}

/// The version stamp names the build: the same site gives the same stamp and bytes.
#[test]
fn the_same_site_gives_the_same_index() {
    let first = index_files();
    let second = index_files();
    assert_eq!(first.len(), second.len());
    for (a, b) in first.iter().zip(&second) {
        assert_eq!((&a.path, &a.bytes), (&b.path, &b.bytes));
    }
    let fr = decode(&first, "fr");
    let ar = decode(&first, "ar");
    let version = fr.manifest["version"].as_str().unwrap();
    assert_eq!(version.len(), 12, "{version}");
    assert!(version.chars().all(|c| c.is_ascii_hexdigit()));
    assert_ne!(fr.manifest["version"], ar.manifest["version"], "each language's files, its own stamp");
}
