//! Open data under `/data/v1/`: JSON, CSV, JSON Schemas and a Frictionless data package.
//!
//! [`feeds`] returns every file; [`describe_files`] tells the open-data page what each
//! one is; [`dataset_json_ld`] gives that page its schema.org `Dataset`. The shape of the
//! files is a public promise: change it only compatibly, and only on purpose (the golden
//! test in `tests/export_feeds.rs` pins it).
//!
//! | file | what |
//! | --- | --- |
//! | `index.json` | schema version, `as_of`, licence, every file with its URL |
//! | `plans.json`, `areas.json`, `institutions.json` | `{"as_of", "<name>": [...]}` with derived progress and counts |
//! | `commitments.json` | `{"as_of", "commitments": [...]}` ordered by plan then number |
//! | `plans/PLAN/commitments/ID.json` | `{"as_of", "commitment": {...}}` |
//! | `commitments.csv`, `activities.csv`, `indicators.csv`, `indicator_values.csv` | flat tables |
//! | `datapackage.json` | Frictionless descriptor of the CSV tables |
//! | `schema/NAME.schema.json` | JSON Schema 2020-12 of each JSON file |
//! | `catalog.jsonld`, `catalog.ttl` | DCAT-AP 3.0 catalog of the files above, with sizes and checksums |

pub mod catalog;
pub mod csv;
pub mod datapackage;
pub mod json;
pub mod rdf;
pub mod schema;

use std::io::Write;

use anyhow::{Context, Result};
use rayon::prelude::*;
use serde::Serialize;
use serde_json::json;
use sha2::{Digest, Sha256};

use crate::derive::Facts;
use crate::model::Site;
use crate::output::{OutputFile, Sink};
use crate::urls::{self, DATA_ROOT};
use json::{Ctx, Sorted};

/// The version of the feeds' shape, also the `v1` in `/data/v1/`.
pub const SCHEMA_VERSION: &str = "1";

/// Every open-data file of the site, paths under `data/v1/`, in the order
/// [`describe_files`] lists them: the index, the collections, the CSV tables, the data
/// package, the schemas, then one file per commitment.
pub fn feeds(site: &Site, facts: &Facts, base_url: &str) -> Result<Vec<OutputFile>> {
    let collected = std::sync::Mutex::new(Vec::new());
    feeds_into(site, facts, base_url, &collected)?;
    let mut out = collected.into_inner().map_err(|_| anyhow::anyhow!("output lock poisoned"))?;
    index_first(&mut out, |f| f.path == format!("{DATA_ROOT}index.json"));
    Ok(out)
}

/// index.json is written after the files it lists (only the catalog follows it) but
/// listed first.
fn index_first<T>(files: &mut [T], is_index: impl Fn(&T) -> bool) {
    if let Some(at) = files.iter().position(is_index) {
        files[..=at].rotate_right(1);
    }
}

/// Writes each open-data file to `sink` as [`feeds_into`] does, and returns their
/// descriptions for the open-data page, `index.json` first.
pub fn feeds_described(site: &Site, facts: &Facts, base_url: &str, sink: &dyn Sink) -> Result<Vec<FileInfo>> {
    let mut described = feeds_into(site, facts, base_url, sink)?;
    index_first(&mut described, |f| f.name == "index.json");
    Ok(described)
}

/// Commitments serialised at a time: enough for both cores, a few MB in memory.
const RECORDS_BATCH: usize = 256;

/// The files handed to a sink so far: their paths under DATA_ROOT, in the order
/// index.json lists them, and their descriptions.
struct Emitted<'a> {
    sink: &'a dyn Sink,
    listed: Vec<String>,
    described: Vec<FileInfo>,
}

impl Emitted<'_> {
    fn file(&mut self, path: String, bytes: Vec<u8>) -> Result<()> {
        let full = format!("{DATA_ROOT}{path}");
        // The catalog gives no checksum of the per-commitment files: skip hashing them.
        let sha256 = checksummed(&path).then(|| hex(&Sha256::digest(&bytes)));
        self.record(path, &full, bytes.len(), sha256);
        self.sink.put(OutputFile::new(full, bytes))
    }

    /// A file written piece by piece, never whole in memory, hashed as it goes.
    fn written(&mut self, path: String, write: &mut dyn FnMut(&mut dyn Write) -> Result<()>) -> Result<usize> {
        let full = format!("{DATA_ROOT}{path}");
        let mut hasher = Sha256::new();
        let len = self.sink.put_written(full.clone(), &mut |out| write(&mut Hashing { inner: out, hasher: &mut hasher }))?;
        self.record(path, &full, len, Some(hex(&hasher.finalize())));
        Ok(len)
    }

    fn record(&mut self, path: String, full: &str, len: usize, sha256: Option<String>) {
        self.described.extend(describe(full, len).map(|info| FileInfo { sha256, ..info }));
        self.listed.push(path);
    }
}

/// A writer that hashes what passes through it.
struct Hashing<'a> {
    inner: &'a mut dyn Write,
    hasher: &'a mut Sha256,
}

impl Write for Hashing<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hasher.update(&buf[..n]);
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

fn hex(digest: &[u8]) -> String {
    use std::fmt::Write as _;
    digest.iter().fold(String::with_capacity(64), |mut out, b| {
        let _ = write!(out, "{b:02x}");
        out
    })
}

/// Whether the catalog lists a file with its checksum: every shared file, not the
/// per-commitment ones (index.json lists those).
fn checksummed(path: &str) -> bool {
    !matches!(catalog(path).1, "commitment")
}

/// Writes each open-data file to `sink` as soon as it is ready, so a large site's feeds
/// never all sit in memory at once; `index.json` comes last. Returns the files'
/// descriptions in that order.
pub fn feeds_into(site: &Site, facts: &Facts, base_url: &str, sink: &dyn Sink) -> Result<Vec<FileInfo>> {
    let ctx = Ctx::new(site, facts, base_url);
    let as_of = ctx.as_of();
    let records = json::commitments_until(&ctx, &|| sink.go_on())?;

    let mut emit = Emitted { sink, listed: Vec::new(), described: Vec::new() };
    emit.file("plans.json".into(), json::pretty(&Wrapped { as_of: &as_of, key: "plans", items: &json::plans(&ctx)? })?)?;
    emit.file("areas.json".into(), json::pretty(&Wrapped { as_of: &as_of, key: "areas", items: &json::areas(&ctx) })?)?;
    emit.file(
        "institutions.json".into(),
        json::pretty(&Wrapped { as_of: &as_of, key: "institutions", items: &json::institutions(&ctx) })?,
    )?;

    // The big files are made one after the other, each written before the next is
    // begun, and each commitment is serialised twice (for commitments.json, then for
    // its own file) rather than kept: on a 10,000-commitment site commitments.json,
    // the CSV tables and the serialised records are 190, 110 and 180 MB, and holding
    // them together put the build over 1 GiB. commitments.json goes to the sink a batch
    // of records at a time (to its file, under `build`).
    emit.written("commitments.json".into(), &mut |out| {
        let mut list = ListComposer::new(out, &as_of, "commitments")?;
        for batch in records.chunks(RECORDS_BATCH) {
            for item in batch.par_iter().map(pretty_exact).collect::<Result<Vec<_>, _>>()? {
                list.push(&item)?;
            }
        }
        list.finish()?;
        Ok(())
    })?;

    // The CSV tables one at a time, each streamed to its file: built all at once they
    // held 110 MB of text beside the records on the 10k corpus, the feeds' peak.
    let mut tables = Vec::with_capacity(csv::TABLES.len());
    for build in csv::TABLES {
        let table = build(&records, ctx.languages);
        let len = emit.written(table.file_name(), &mut |out| table.write_to(out))?;
        tables.push((table.described(), len));
    }
    // Not built from the records: from the content's history.
    let table = csv::revisions(site, &facts.history);
    let len = emit.written(table.file_name(), &mut |out| table.write_to(out))?;
    tables.push((table.described(), len));
    let pairs: Vec<_> = tables.iter().map(|(t, len)| (t, *len)).collect();
    let package = json::pretty(&Sorted(&datapackage::datapackage(&ctx, &pairs)))?;
    emit.file("datapackage.json".into(), package)?;

    for name in schema::NAMES {
        let path = schema_path(name);
        let value = schema::schema(name, ctx.languages, &ctx.file_url(&format!("{DATA_ROOT}{path}")))
            .ok_or_else(|| anyhow::anyhow!("no JSON Schema is defined for {name}"))?;
        emit.file(path, json::pretty(&Sorted(&value))?)?;
    }

    for batch in records.chunks(RECORDS_BATCH) {
        let singles = batch.par_iter().map(|record| single_file(&as_of, record)).collect::<Result<Vec<_>, _>>()?;
        for (path, bytes) in singles {
            emit.file(path, bytes)?;
        }
    }

    let listed = emit.listed.iter().map(String::as_str).chain([catalog::JSON_LD, catalog::TURTLE]);
    let index = json::pretty(&index(&ctx, listed))?;
    emit.file("index.json".into(), index)?;

    // Last, so that every file it describes is written and measured.
    let graph = catalog::graph(&ctx, &emit.described);
    let json_ld = json::pretty(&Sorted(&graph.json_ld())).context("writing the DCAT catalog as JSON-LD")?;
    emit.file(catalog::JSON_LD.into(), json_ld)?;
    emit.file(catalog::TURTLE.into(), graph.turtle().into_bytes())?;
    Ok(emit.described)
}

/// serde_json's pretty output without the spare capacity of its growing buffer (up to
/// half of it; a 10,000-commitment site keeps 180 MB of these until they are written).
fn pretty_exact(record: &json::CommitmentRecord) -> serde_json::Result<Vec<u8>> {
    let mut bytes = serde_json::to_vec_pretty(record)?;
    bytes.shrink_to_fit();
    Ok(bytes)
}

/// Appends `item` (serde_json pretty output at the top level) indented by `indent`
/// spaces. Raw newlines in serde_json output are always structural (strings escape
/// theirs), so indenting after each one nests the value exactly as serde_json would.
fn push_indented(out: &mut Vec<u8>, item: &[u8], indent: &[u8]) {
    let mut rest = item;
    while let Some(n) = rest.iter().position(|b| *b == b'\n') {
        out.extend_from_slice(&rest[..=n]);
        out.extend_from_slice(indent);
        rest = &rest[n + 1..];
    }
    out.extend_from_slice(rest);
}

fn as_of_head(as_of: &str) -> Vec<u8> {
    let mut out = b"{\n  \"as_of\": ".to_vec();
    out.extend(serde_json::to_vec(as_of).unwrap_or_default());
    out.extend_from_slice(b",\n");
    out
}

/// Composes `{"as_of": ..., "<key>": [items]}` from pretty-printed items added one at a
/// time, byte for byte what [`json::pretty`] gives for the same structure.
struct ListComposer<W: Write> {
    out: W,
    items: usize,
    /// The item being indented, reused from one item to the next.
    piece: Vec<u8>,
}

impl<W: Write> ListComposer<W> {
    fn new(mut out: W, as_of: &str, key: &str) -> std::io::Result<ListComposer<W>> {
        out.write_all(&as_of_head(as_of))?;
        out.write_all(format!("  \"{key}\": [").as_bytes())?;
        Ok(ListComposer { out, items: 0, piece: Vec::new() })
    }

    fn push(&mut self, item: &[u8]) -> std::io::Result<()> {
        self.piece.clear();
        self.piece.extend_from_slice(if self.items == 0 { b"\n    " } else { b",\n    " });
        push_indented(&mut self.piece, item, b"    ");
        self.items += 1;
        self.out.write_all(&self.piece)
    }

    fn finish(mut self) -> std::io::Result<W> {
        self.out.write_all(if self.items == 0 { b"]" } else { b"\n  ]" })?;
        self.out.write_all(b"\n}\n")?;
        Ok(self.out)
    }
}

/// A commitment's own file: its path under DATA_ROOT and its bytes.
fn single_file(as_of: &str, record: &json::CommitmentRecord) -> serde_json::Result<(String, Vec<u8>)> {
    let path = urls::commitment_json(&record.plan, &record.id);
    let path = path.strip_prefix(DATA_ROOT).unwrap_or(&path).to_string();
    Ok((path, compose_single(as_of, &pretty_exact(record)?)))
}

/// `{"as_of": ..., "commitment": {...}}` from the pretty-printed record.
fn compose_single(as_of: &str, record: &[u8]) -> Vec<u8> {
    let mut out = as_of_head(as_of);
    out.reserve(record.len() * 11 / 10 + 24);
    out.extend_from_slice(b"  \"commitment\": ");
    push_indented(&mut out, record, b"  ");
    out.extend_from_slice(b"\n}\n");
    out
}

/// `{"as_of": ..., "<key>": [...]}`.
struct Wrapped<'a, T> {
    as_of: &'a str,
    key: &'static str,
    items: &'a [T],
}

impl<T: Serialize> Serialize for Wrapped<'_, T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(Some(2))?;
        map.serialize_entry("as_of", self.as_of)?;
        map.serialize_entry(self.key, self.items)?;
        map.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What [`compose_single`] must produce.
    #[derive(Serialize)]
    struct Single<'a> {
        as_of: &'a str,
        commitment: &'a json::CommitmentRecord<'a>,
    }

    #[test]
    fn composed_files_equal_serde_json_output() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/feeds-site");
        let checked = crate::check(&root, None, false).unwrap();
        let ctx = Ctx::new(&checked.site, &checked.facts, "https://x.example/");
        let records = json::commitments(&ctx).unwrap();
        assert!(records.len() >= 3);
        let serialized: Vec<Vec<u8>> = records.iter().map(|r| serde_json::to_vec_pretty(r).unwrap()).collect();
        for n in [0, 1, records.len()] {
            let direct = json::pretty(&Wrapped { as_of: "2025-01-01", key: "commitments", items: &records[..n] }).unwrap();
            let mut list = ListComposer::new(Vec::new(), "2025-01-01", "commitments").unwrap();
            serialized[..n].iter().for_each(|item| list.push(item).unwrap());
            assert_eq!(String::from_utf8(list.finish().unwrap()).unwrap(), String::from_utf8(direct).unwrap());
        }
        for (record, bytes) in records.iter().zip(&serialized) {
            let direct = json::pretty(&Single { as_of: "2025-01-01", commitment: record }).unwrap();
            assert_eq!(compose_single("2025-01-01", bytes), direct);
        }
    }

    /// Each line after the first is indented once, in a single pass (checked against a
    /// clock: a mistake in the slicing loops forever rather than failing).
    #[test]
    fn push_indented_indents_every_following_line_once() {
        let (done, result) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut out = b">".to_vec();
            push_indented(&mut out, b"{\n  \"a\": [\n    1\n  ]\n}", b"  ");
            let _ = done.send(out);
        });
        let out = result.recv_timeout(std::time::Duration::from_secs(10)).expect("push_indented finishes");
        assert_eq!(String::from_utf8(out).unwrap(), ">{\n    \"a\": [\n      1\n    ]\n  }");
    }

    /// A commitment's own file is composed in one buffer reserved for it, with little to
    /// spare: a batch of 256 of them is held at once, so neither a buffer that grew by
    /// doubling (up to twice the file) nor an oversized reservation is kept.
    #[test]
    fn a_commitments_own_file_is_composed_in_a_buffer_of_about_its_size() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/feeds-site");
        let checked = crate::check(&root, None, false).unwrap();
        let ctx = Ctx::new(&checked.site, &checked.facts, "https://x.example/");
        let records = json::commitments(&ctx).unwrap();
        for record in &records {
            let pretty = pretty_exact(record).unwrap();
            assert_eq!(pretty.capacity(), pretty.len(), "{}", record.id);
            let composed = compose_single("2025-01-01", &pretty);
            let (len, capacity) = (composed.len(), composed.capacity());
            assert!(capacity <= len + len / 8 + 64, "{}: {capacity} bytes reserved for {len}", record.id);
        }
    }

    /// A sink that takes every file but says, when asked, that the work should stop.
    #[derive(Default)]
    struct Stopping {
        asked: std::sync::atomic::AtomicUsize,
        taken: std::sync::Mutex<Vec<String>>,
    }

    impl Sink for Stopping {
        fn put(&self, file: OutputFile) -> Result<()> {
            self.taken.lock().unwrap().push(file.path);
            Ok(())
        }

        fn go_on(&self) -> Result<()> {
            self.asked.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            Err(anyhow::anyhow!("a newer edit"))
        }
    }

    #[test]
    fn feeds_stop_before_their_records_when_the_sink_says_so() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/feeds-site");
        let checked = crate::check(&root, None, false).unwrap();
        let sink = Stopping::default();
        let err = feeds_into(&checked.site, &checked.facts, "https://x.example/", &sink).unwrap_err();
        assert_eq!(err.to_string(), "a newer edit");
        assert!(sink.taken.lock().unwrap().is_empty(), "no file is made once the sink says stop");
        // Asked once per record made at most, and the first answer stops them.
        assert!(sink.asked.load(std::sync::atomic::Ordering::Relaxed) >= 1);
    }

    /// The SHA-256 of `bytes` in lower-case hex, computed here rather than by [`hex`].
    fn sha256_hex(bytes: &[u8]) -> String {
        Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
    }

    /// The hashing writer passes every byte on and hashes exactly those, and a flush
    /// reaches the writer under it (a buffered sink delivers its bytes then).
    #[test]
    fn the_hashing_writer_passes_bytes_and_flushes_through() {
        let mut hasher = Sha256::new();
        let mut buffered = std::io::BufWriter::with_capacity(1024, Vec::new());
        {
            let mut hashing = Hashing { inner: &mut buffered, hasher: &mut hasher };
            hashing.write_all(b"plan,commitment\r\n").unwrap();
            hashing.write_all("2024-2027,شفافية\r\n".as_bytes()).unwrap();
            hashing.flush().unwrap();
        }
        let expected = "plan,commitment\r\n2024-2027,شفافية\r\n";
        assert_eq!(buffered.get_ref().as_slice(), expected.as_bytes(), "flushed to the inner writer");
        assert_eq!(hex(&hasher.finalize()), sha256_hex(expected.as_bytes()));
    }

    /// What `build` and `serve` get from [`feeds_described`] for the open-data page:
    /// every file the sink received, `index.json` first, each with its true size and
    /// checksum (none for a commitment's own file), as [`describe_files`] describes the
    /// same files after the fact.
    #[test]
    fn the_files_described_while_written_are_those_the_sink_received() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/feeds-site");
        let checked = crate::check(&root, None, false).unwrap();
        let sink = std::sync::Mutex::new(Vec::<OutputFile>::new());
        let described = feeds_described(&checked.site, &checked.facts, "https://x.example/", &sink).unwrap();
        let mut received = sink.into_inner().unwrap();
        assert_eq!(described.len(), received.len());
        assert_eq!(described[0].path, "data/v1/index.json", "index.json first");
        assert_eq!(described.last().unwrap().path, "data/v1/catalog.ttl");
        // Written just before the two catalog files (it lists the others), but listed first.
        let index = received.iter().position(|f| f.path == "data/v1/index.json").unwrap();
        assert_eq!(index, received.len() - 3);
        received[..=index].rotate_right(1);
        let order = |files: Vec<&str>| files.join("\n");
        assert_eq!(order(described.iter().map(|f| f.path.as_str()).collect()), order(received.iter().map(|f| f.path.as_str()).collect()));
        assert_eq!(described, describe_files(&received));
        let mut commitments = 0;
        for (info, file) in described.iter().zip(&received) {
            assert_eq!(info.bytes, file.bytes.len(), "{}", info.path);
            if info.group == "commitment" {
                commitments += 1;
                assert_eq!(info.sha256, None, "{}", info.path);
                let (plan, id) = info.commitment.clone().unwrap();
                assert_eq!(info.name, format!("plans/{plan}/commitments/{id}.json"));
                assert!(!plan.is_empty() && !id.is_empty() && !id.contains('/'), "{}", info.path);
            } else {
                assert_eq!(info.sha256.as_deref(), Some(sha256_hex(&file.bytes).as_str()), "{}", info.path);
                assert_eq!(info.commitment, None, "{}", info.path);
            }
        }
        assert!(commitments >= 3 && commitments < described.len() - 20, "{commitments} commitment files");
    }

    /// The open-data page's schema.org `Dataset` lists every shared file (not a
    /// commitment's own, not the catalog) and the Atom feeds, each file with the
    /// standards it conforms to, and the areas' titles as keywords.
    #[test]
    fn the_pages_dataset_distributes_the_shared_files_and_the_atom_feeds() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/feeds-site");
        let checked = crate::check(&root, None, false).unwrap();
        let files = describe_files(&feeds(&checked.site, &checked.facts, "https://x.example/").unwrap());
        let text = dataset_json_ld(&checked.site, &checked.facts, &files, "https://x.example/", "fr");
        let ld: serde_json::Value = serde_json::from_str(&text).unwrap();
        let distribution = ld["distribution"].as_array().unwrap();
        let names: Vec<&str> = distribution.iter().map(|d| d["name"].as_str().unwrap()).collect();
        let mut expected: Vec<&str> =
            files.iter().filter(|f| !f.name.starts_with("plans/") && !f.name.starts_with("catalog.")).map(|f| f.name.as_str()).collect();
        assert!(expected.len() > 15 && expected.contains(&"index.json") && expected.contains(&"datapackage.json"));
        expected.extend(["ar/atom.xml", "fr/atom.xml"]);
        assert_eq!(names, expected);
        let conforms = |name: &str| {
            let d = distribution.iter().find(|d| d["name"] == name).unwrap();
            d.get("http://purl.org/dc/terms/conformsTo")
                .map(|list| list.as_array().unwrap().iter().map(|s| s["@id"].as_str().unwrap().to_string()).collect::<Vec<_>>())
        };
        assert_eq!(conforms("commitments.json"), Some(vec!["https://x.example/data/v1/schema/commitments.schema.json".to_string()]));
        assert_eq!(conforms("activities.csv"), Some(vec!["https://www.rfc-editor.org/rfc/rfc4180".to_string()]));
        assert_eq!(conforms("fr/atom.xml"), None);
        assert_eq!(ld["keywords"], serde_json::json!(["Transparence", "Participation citoyenne", "Domaine sans engagement"]));
    }
}

fn schema_path(name: &str) -> String {
    format!("schema/{name}.schema.json")
}

/// The schema name of a JSON file (relative to `data/v1/`), `None` for CSV and schemas.
fn schema_name(path: &str) -> Option<&'static str> {
    match path {
        "index.json" => Some("index"),
        "plans.json" => Some("plans"),
        "areas.json" => Some("areas"),
        "institutions.json" => Some("institutions"),
        "commitments.json" => Some("commitments"),
        "datapackage.json" => Some("datapackage"),
        p if p.starts_with("plans/") && p.ends_with(".json") => Some("commitment"),
        _ => None,
    }
}

/// What a file is: (translation key, group, English description).
fn catalog(path: &str) -> (&'static str, &'static str, String) {
    match path {
        "index.json" => ("index", "index", "Index of the open data: schema version, as-of date, licence and every file's URL.".into()),
        "plans.json" => ("plans_json", "collection", "Action plans with their derived progress and status counts.".into()),
        "areas.json" => ("areas_json", "collection", "Thematic areas with their derived progress and status counts.".into()),
        "institutions.json" => {
            ("institutions_json", "collection", "Institutions with the derived progress of the commitments they lead.".into())
        }
        "commitments.json" => (
            "commitments_json",
            "collection",
            "Every commitment with its activities, indicators, participation, assessments and derived progress.".into(),
        ),
        "commitments.csv" => ("commitments_csv", "table", "One row per commitment, with its derived progress and status.".into()),
        "activities.csv" => ("activities_csv", "table", "One row per activity, with its dates, progress and derived status.".into()),
        "indicators.csv" => ("indicators_csv", "table", "One row per indicator, with its baseline and target.".into()),
        "indicator_values.csv" => ("indicator_values_csv", "table", "One row per value in an indicator's series.".into()),
        "reports.csv" => {
            ("reports_csv", "table", "One row per dated progress report: who reported what, when, with which evidence.".into())
        }
        "replannings.csv" => ("replannings_csv", "table", "One row per decision that moved an activity's end, with its reason.".into()),
        "revisions.csv" => (
            "revisions_csv",
            "table",
            "One row per change to a commitment's official text (titles, texts, lead, partners, activities, indicators, targets, weights), from the content's git history.".into(),
        ),
        "datapackage.json" => {
            ("datapackage", "package", "Frictionless data package describing the CSV tables, their fields, keys and licence.".into())
        }
        catalog::JSON_LD => (
            "catalog_jsonld",
            "catalog",
            "DCAT-AP 3.0 catalog of these files, for data portals to harvest, in JSON-LD (the same graph as catalog.ttl).".into(),
        ),
        catalog::TURTLE => (
            "catalog_ttl",
            "catalog",
            "DCAT-AP 3.0 catalog of these files, for data portals to harvest, in Turtle (the same graph as catalog.jsonld).".into(),
        ),
        p if p.starts_with("schema/") => {
            let name = p.trim_start_matches("schema/").trim_end_matches(".schema.json");
            let subject = match name {
                "commitment" => "plans/PLAN/commitments/ID.json".to_string(),
                other => format!("{other}.json"),
            };
            ("schema", "schema", format!("JSON Schema (2020-12) of {subject}."))
        }
        p => {
            let rest = p.trim_start_matches("plans/");
            let (plan, id) = rest.split_once("/commitments/").unwrap_or((rest, ""));
            (
                "commitment_json",
                "commitment",
                format!("Commitment {plan}/{} with every field and its derived facts.", id.trim_end_matches(".json")),
            )
        }
    }
}

fn format_of(path: &str) -> (&'static str, &'static str) {
    match path.rsplit_once('.').map(|(_, ext)| ext) {
        Some("csv") => ("csv", "text/csv"),
        Some("jsonld") => ("jsonld", "application/ld+json"),
        Some("ttl") => ("turtle", "text/turtle"),
        _ => ("json", "application/json"),
    }
}

#[derive(Serialize)]
struct IndexFile {
    path: String,
    url: String,
    format: &'static str,
    media_type: &'static str,
    description: String,
    schema: Option<String>,
}

#[derive(Serialize)]
struct Index<'a> {
    schema_version: &'static str,
    as_of: String,
    title: json::LangText<'a>,
    home: json::Ordered<'a, String>,
    languages: Vec<String>,
    license: License,
    files: Vec<IndexFile>,
}

#[derive(Serialize)]
struct License {
    id: String,
    url: String,
}

fn index<'a, 'p>(ctx: &Ctx<'a>, paths: impl Iterator<Item = &'p str>) -> Index<'a> {
    let entry = |path: &str| {
        let (format, media_type) = format_of(path);
        IndexFile {
            path: path.to_string(),
            url: ctx.file_url(&format!("{DATA_ROOT}{path}")),
            format,
            media_type,
            description: catalog(path).2,
            schema: schema_name(path).map(|n| ctx.file_url(&format!("{DATA_ROOT}{}", schema_path(n)))),
        }
    };
    let files = std::iter::once("index.json").chain(paths).map(entry).collect();
    let config = &ctx.site.config;
    Index {
        schema_version: SCHEMA_VERSION,
        as_of: ctx.as_of(),
        title: ctx.text(&config.title),
        home: ctx.page_urls(urls::home),
        languages: ctx.languages.to_vec(),
        license: License { id: config.data_license.id.clone(), url: config.data_license.url.clone() },
        files,
    }
}

/// One open-data file, as the open-data page lists it. Serialisable, so it can go into
/// a template context as is.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FileInfo {
    /// Site-relative path, e.g. `data/v1/commitments.csv` (link it from the site root).
    pub path: String,
    /// Path inside `data/v1/`, e.g. `commitments.csv`.
    pub name: String,
    /// `json`, `csv`, `jsonld` or `turtle`.
    pub format: &'static str,
    /// `application/json`, `text/csv`, `application/ld+json` or `text/turtle`.
    pub media_type: &'static str,
    /// Size in bytes.
    pub bytes: usize,
    /// SHA-256 of the bytes, in lower-case hex; `None` for the per-commitment files.
    pub sha256: Option<String>,
    /// A short key for the page's translated description: `index`, `plans_json`,
    /// `areas_json`, `institutions_json`, `commitments_json`, `commitments_csv`,
    /// `activities_csv`, `indicators_csv`, `indicator_values_csv`, `datapackage`,
    /// `schema`, `catalog_jsonld`, `catalog_ttl` or `commitment_json`.
    pub key: &'static str,
    /// `index`, `collection`, `table`, `package`, `schema`, `catalog` or `commitment` (one file per
    /// commitment; a page will likely list these on the commitment pages, not all at once).
    pub group: &'static str,
    /// One line in English.
    pub description: String,
    /// For `commitment` files: the plan and commitment IDs.
    pub commitment: Option<(String, String)>,
}

/// Describes the open-data files among `files` (the output of [`feeds`], or of a whole
/// build: anything outside `data/v1/` is skipped), in the order given.
///
/// The renderer of the open-data page calls it after [`feeds`]:
/// ```text
/// let data = shafaf::export::feeds(&site, &facts, base_url)?;
/// let listed = shafaf::export::describe_files(&data);
/// // e.g. listed.iter().filter(|f| f.group != "commitment") for the page's table,
/// // f.key to pick the translated one-line description, f.bytes for the size.
/// ```
pub fn describe_files(files: &[OutputFile]) -> Vec<FileInfo> {
    files
        .iter()
        .filter_map(|f| {
            let info = describe(&f.path, f.bytes.len())?;
            let sha256 = checksummed(&info.name).then(|| hex(&Sha256::digest(&f.bytes)));
            Some(FileInfo { sha256, ..info })
        })
        .collect()
}

/// What an open-data file is, from its path and size; `None` outside DATA_ROOT.
fn describe(path: &str, bytes: usize) -> Option<FileInfo> {
    let name = path.strip_prefix(DATA_ROOT)?;
    let (format, media_type) = format_of(name);
    let (key, group, description) = catalog(name);
    let commitment = (group == "commitment").then(|| {
        let rest = name.trim_start_matches("plans/").trim_end_matches(".json");
        let (plan, id) = rest.split_once("/commitments/").unwrap_or((rest, ""));
        (plan.to_string(), id.to_string())
    });
    Some(FileInfo {
        path: path.to_string(),
        name: name.to_string(),
        format,
        media_type,
        bytes,
        sha256: None,
        key,
        group,
        description,
        commitment,
    })
}

/// The schema.org `Dataset` for the open-data page in `lang`, as JSON text safe to put
/// inside `<script type="application/ld+json">` (every `<` is escaped). `files` is what
/// [`describe_files`] returned; per-commitment files are left out of the distribution.
/// It states the facts of the DCAT catalog (same dataset IRI, publisher, licence,
/// coverage, files with their sizes, checksums and schemas), as schema.org words them.
pub fn dataset_json_ld(site: &Site, facts: &Facts, files: &[FileInfo], base_url: &str, lang: &str) -> String {
    let ctx = Ctx::new(site, facts, base_url);
    let config = &site.config;
    let pick = |t: &crate::model::Text| t.get(lang).or_else(|| t.get(config.default_language())).unwrap_or("").to_string();
    let iris = catalog::Iris::new(&ctx);
    let mut distribution: Vec<_> = files
        .iter()
        .filter(|f| f.group != "commitment" && f.group != "catalog")
        .map(|f| {
            let mut download = json!({
                "@type": "DataDownload",
                "name": f.name,
                "description": f.description,
                "encodingFormat": f.media_type,
                "contentUrl": urls::absolute(base_url, &f.path),
                "contentSize": format!("{} B", f.bytes),
                "sha256": f.sha256,
            });
            // schema.org has no word for "conforms to": DCAT's own property, by its IRI.
            let standards: Vec<_> = catalog::standards_of(&ctx, f).into_iter().map(|(iri, _)| json!({"@id": iri})).collect();
            if !standards.is_empty() {
                download["http://purl.org/dc/terms/conformsTo"] = json!(standards);
            }
            download
        })
        .collect();
    distribution.extend(config.languages.iter().map(|l| {
        json!({
            "@type": "DataDownload",
            "name": urls::atom(l),
            "encodingFormat": "application/atom+xml",
            "contentUrl": urls::absolute(base_url, &urls::atom(l)),
            "inLanguage": l,
        })
    }));
    let keywords: Vec<String> = site.areas.iter().map(|a| pick(&a.title)).filter(|k| !k.is_empty()).collect();
    let mut value = json!({
        "@context": "https://schema.org",
        "@type": "Dataset",
        "@id": iris.dataset(),
        "name": pick(&config.title),
        "description": pick(&config.description),
        "url": urls::absolute(base_url, &format!("{DATA_ROOT}index.json")),
        "identifier": urls::absolute(base_url, &format!("{DATA_ROOT}index.json")),
        "inLanguage": config.languages,
        "license": config.data_license.url,
        "dateModified": facts.as_of.format("%Y-%m-%d").to_string(),
        "isAccessibleForFree": true,
        "keywords": keywords,
        "publisher": schema_org_publisher(&ctx, lang),
        "includedInDataCatalog": {
            "@type": "DataCatalog",
            "@id": iris.catalog(),
            "url": urls::absolute(base_url, &format!("{DATA_ROOT}{}", catalog::JSON_LD)),
        },
        "distribution": distribution,
    });
    if let Some((start, end)) = catalog::coverage(&ctx) {
        value["temporalCoverage"] = json!(format!("{start}/{end}"));
    }
    if !config.spatial_coverage.is_empty() {
        value["spatialCoverage"] = config.spatial_coverage.iter().map(|place| json!({"@type": "Place", "sameAs": place})).collect();
    }
    let text = serde_json::to_string(&Sorted(&value)).unwrap_or_default();
    text.replace('<', "\\u003c")
}

/// The publisher as an `Organization`, named as the catalog names it.
fn schema_org_publisher(ctx: &Ctx, lang: &str) -> serde_json::Value {
    let config = &ctx.site.config;
    let pick = |t: &crate::model::Text| t.get(lang).or_else(|| t.get(config.default_language())).unwrap_or("").to_string();
    match catalog::publisher_institution(ctx) {
        Some(institution) => json!({"@type": "Organization", "name": pick(&institution.name), "url": institution.url}),
        None => json!({"@type": "Organization", "name": pick(&config.title), "url": ctx.base_url}),
    }
}
