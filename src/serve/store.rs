//! The preview's output files, held in memory gzip-compressed. Uncompressed, the
//! 10,000-commitment corpus is 1.4 GB of pages and feeds, more than the preview may
//! use in all; gzipped at the fastest level it is about a tenth of that, costs a few
//! milliseconds per edit, and browsers take the compressed bytes as they are.

use std::borrow::Cow;
use std::io::{Read, Write};
use std::sync::{Arc, Mutex};

use anyhow::{Result, anyhow, bail};
use flate2::Compression;
use flate2::read::GzDecoder;
use flate2::write::GzEncoder;
use rayon::prelude::*;

use crate::output::{Counted, OutputFile, Sink, check_path, exact_size};

/// Below this size a file is kept as it is: gzip's 18 bytes of framing would eat the gain.
const SMALLEST_COMPRESSED: usize = 256;

/// One output file in memory.
#[derive(Debug, PartialEq, Eq)]
pub struct Stored {
    data: Vec<u8>,
    gzip: bool,
}

impl Stored {
    /// Keeps `bytes` gzip-compressed when that saves at least an eighth of them (search
    /// shards, already zlib streams, stay as they are).
    pub fn new(bytes: Vec<u8>) -> Stored {
        if bytes.len() >= SMALLEST_COMPRESSED
            && let Ok(compressed) = gzip(&bytes)
            && compressed.len() + compressed.len() / 8 < bytes.len()
        {
            return Stored { data: exact_size(compressed), gzip: true };
        }
        Stored { data: exact_size(bytes), gzip: false }
    }

    /// The gzip stream of the file, when it is kept compressed.
    pub fn gzip(&self) -> Option<&[u8]> {
        self.gzip.then_some(self.data.as_slice())
    }

    /// The file's bytes, as `build` writes them.
    pub fn bytes(&self) -> Result<Cow<'_, [u8]>> {
        if !self.gzip {
            return Ok(Cow::Borrowed(&self.data));
        }
        let mut bytes = Vec::with_capacity(self.data.len() * 8);
        GzDecoder::new(self.data.as_slice()).read_to_end(&mut bytes).map_err(|e| anyhow!("decompressing a stored file: {e}"))?;
        Ok(Cow::Owned(bytes))
    }

    /// The bytes it takes in memory.
    pub fn stored_len(&self) -> usize {
        self.data.len()
    }
}

/// `bytes` as one gzip stream. The header carries no name and no time, so the same bytes
/// always give the same stream.
fn gzip(bytes: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut encoder = GzEncoder::new(Vec::with_capacity(bytes.len() / 4), Compression::fast());
    encoder.write_all(bytes)?;
    encoder.finish()
}

/// Output files by path, shared with the HTTP threads. A persistent map: after an edit
/// the HTTP threads get the new version by a clone that shares every unchanged entry
/// (a `BTreeMap` copied whole took 13-19 ms of each edit on the 10k corpus's 75,000
/// files, with the old copy's 75,000 paths freed under the write lock).
pub type Files = imbl::OrdMap<String, Arc<Stored>>;

/// Puts `new` into `files`, keeping an entry already there when its bytes are the same.
/// After each edit serve regenerates every feed and search shard (3,200 files on the
/// 1k corpus, about 30,000 on the 10k), and most come out unchanged. Replacing them
/// anyway made every edit swap thousands of long-lived blocks (and the map's nodes
/// above them) for new ones allocated among the edit's short-lived work, and the
/// allocator's pages, ever more partly used, crept up in resident memory edit after
/// edit. Kept, their new copies are freed at once. Returns how many entries changed.
pub fn publish(files: &mut Files, new: impl IntoIterator<Item = (String, Arc<Stored>)>) -> usize {
    let mut changed = 0;
    for (path, stored) in new {
        if files.get(&path).is_some_and(|old| **old == *stored) {
            continue;
        }
        files.insert(path, stored);
        changed += 1;
    }
    changed
}

/// Compresses files in parallel, ready to go into [`Files`].
pub fn compress_all(files: Vec<OutputFile>) -> Vec<(String, Arc<Stored>)> {
    files.into_par_iter().map(|f| (f.path, Arc::new(Stored::new(f.bytes)))).collect()
}

/// A [`Sink`] that compresses each file on the thread that rendered it, so the whole
/// site is never in memory uncompressed.
#[derive(Default)]
pub struct Collector {
    files: Mutex<Files>,
}

impl Collector {
    pub fn into_files(self) -> Result<Files> {
        self.files.into_inner().map_err(|_| anyhow!("output lock poisoned"))
    }
}

impl Collector {
    fn keep(&self, path: String, stored: Stored) -> Result<()> {
        let mut files = self.files.lock().map_err(|_| anyhow!("output lock poisoned"))?;
        if files.contains_key(&path) {
            bail!("two outputs would be written to {path}");
        }
        files.insert(path, Arc::new(stored));
        Ok(())
    }
}

impl Sink for Collector {
    fn put(&self, file: OutputFile) -> Result<()> {
        check_path(&file.path)?;
        self.keep(file.path, Stored::new(file.bytes))
    }

    /// Compressed as it is written: commitments.json is 185 MB on the 10k corpus, and
    /// gathering it whole first set the preview's peak memory.
    fn put_written(&self, path: String, write: &mut dyn FnMut(&mut dyn Write) -> Result<()>) -> Result<usize> {
        check_path(&path)?;
        let mut out = Counted::new(GzEncoder::new(Vec::new(), Compression::fast()));
        write(&mut out)?;
        let len = out.bytes();
        let data = out.into_inner().finish().map_err(|e| anyhow!("compressing {path}: {e}"))?;
        self.keep(path, Stored { data: exact_size(data), gzip: true })?;
        Ok(len)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A file written piece by piece is kept as the same file put whole.
    #[test]
    fn a_file_written_in_pieces_comes_back_whole() {
        let collector = Collector::default();
        let line = "{\"id\": \"c-1\", \"title\": \"شفافية\"}\n";
        let len = collector
            .put_written("data/v1/big.json".to_string(), &mut |out| {
                for _ in 0..1000 {
                    out.write_all(line.as_bytes())?;
                }
                Ok(())
            })
            .unwrap();
        assert_eq!(len, line.len() * 1000);
        let files = collector.into_files().unwrap();
        let stored = &files["data/v1/big.json"];
        assert_eq!(stored.bytes().unwrap().as_ref(), line.repeat(1000).as_bytes());
        assert!(stored.stored_len() * 10 < len);
    }

    #[test]
    fn text_is_kept_compressed_and_comes_back_whole() {
        let page = "<p>شفافية — transparence</p>\n".repeat(200).into_bytes();
        let stored = Stored::new(page.clone());
        assert!(stored.gzip().is_some());
        assert!(stored.stored_len() * 10 < page.len());
        assert_eq!(stored.bytes().unwrap(), page.as_slice());
        let mut decoded = Vec::new();
        GzDecoder::new(stored.gzip().unwrap()).read_to_end(&mut decoded).unwrap();
        assert_eq!(decoded, page, "what a browser gets decodes to the file");
        assert_eq!(Stored::new(page.clone()).gzip(), stored.gzip(), "the same bytes give the same stream");
    }

    #[test]
    fn small_and_incompressible_files_are_kept_as_they_are() {
        let small = Stored::new(b"User-agent: *\n".to_vec());
        assert!(small.gzip().is_none());
        assert_eq!(small.bytes().unwrap(), b"User-agent: *\n".as_slice());
        // xorshift64: bytes no compressor can shorten.
        let mut state = 0x9E37_79B9_7F4A_7C15u64;
        let noise: Vec<u8> = (0..4096)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                (state >> 24) as u8
            })
            .collect();
        let stored = Stored::new(noise.clone());
        assert!(stored.gzip().is_none());
        assert_eq!(stored.bytes().unwrap(), noise.as_slice());
    }

    #[test]
    fn the_collector_refuses_two_files_at_one_path() {
        let collector = Collector::default();
        collector.put(OutputFile::new("a.html", "one")).unwrap();
        let err = collector.put(OutputFile::new("a.html", "two")).unwrap_err();
        assert!(err.to_string().contains("two outputs would be written to a.html"));
    }

    /// `len` bytes no compressor can shorten (xorshift64).
    fn noise(len: usize) -> Vec<u8> {
        let mut state = 0x2545_F491_4F6C_DD1Du64;
        (0..len)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                (state >> 24) as u8
            })
            .collect()
    }

    #[test]
    fn a_file_is_compressed_from_256_bytes_when_that_saves_more_than_a_ninth() {
        let text = |len: usize| "ab".repeat(len).into_bytes()[..len].to_vec();
        let kept = |bytes: Vec<u8>| {
            let stored = Stored::new(bytes.clone());
            assert_eq!(stored.bytes().unwrap(), bytes.as_slice(), "the same bytes come back");
            match stored.gzip() {
                Some(gzip) => assert_eq!(stored.stored_len(), gzip.len()),
                None => assert_eq!(stored.stored_len(), bytes.len()),
            }
            (stored.gzip().is_some(), stored.stored_len())
        };
        assert_eq!(kept(text(255)), (false, 255));
        let (gzip, len) = kept(text(256));
        assert!(gzip && len < 64, "{len}");
        // Half noise, half a repeated byte: about half the size gzipped.
        let mut half = noise(2048);
        half.extend([b'a'; 2048]);
        let (gzip, len) = kept(half);
        assert!(gzip && len < 2300, "{len}");
        // Noise and a little text: gzip saves about 4 %, not worth a decompression.
        let mut barely = noise(4000);
        barely.extend([b'a'; 200]);
        assert_eq!(kept(barely), (false, 4200));
        assert_eq!(kept(Vec::new()), (false, 0));
    }

    #[test]
    fn files_compressed_in_parallel_keep_their_paths_and_bytes() {
        let page = "<p>شفافية</p>\n".repeat(100);
        let files = vec![OutputFile::new("fr/index.html", page.clone()), OutputFile::new("robots.txt", "User-agent: *\n")];
        let stored = compress_all(files);
        let seen: Vec<(&str, Vec<u8>, bool)> =
            stored.iter().map(|(path, s)| (path.as_str(), s.bytes().unwrap().into_owned(), s.gzip().is_some())).collect();
        assert_eq!(seen, [("fr/index.html", page.into_bytes(), true), ("robots.txt", b"User-agent: *\n".to_vec(), false)]);
    }

    /// Publishing a regenerated file with the same bytes keeps the entry already
    /// served (the same allocation); different bytes, or a new path, replace or add it.
    #[test]
    fn publishing_keeps_an_unchanged_file_and_replaces_a_changed_one() {
        let page = "<p>شفافية</p>\n".repeat(100);
        let mut files = Files::new();
        publish(&mut files, compress_all(vec![OutputFile::new("fr/index.html", page.clone()), OutputFile::new("robots.txt", "a")]));
        let served = |files: &Files, path: &str| Arc::clone(files.get(path).unwrap());
        let (index, robots) = (served(&files, "fr/index.html"), served(&files, "robots.txt"));

        let regenerated =
            vec![OutputFile::new("fr/index.html", page.clone()), OutputFile::new("robots.txt", "b"), OutputFile::new("ar/index.html", "c")];
        let changed = publish(&mut files, compress_all(regenerated));

        assert_eq!(changed, 2);
        assert!(Arc::ptr_eq(&served(&files, "fr/index.html"), &index), "an unchanged file was replaced");
        assert!(!Arc::ptr_eq(&served(&files, "robots.txt"), &robots));
        let bytes = |path: &str| files.get(path).unwrap().bytes().unwrap().into_owned();
        assert_eq!(bytes("fr/index.html"), page.into_bytes());
        assert_eq!(bytes("robots.txt"), b"b");
        assert_eq!(bytes("ar/index.html"), b"c");
    }

    /// Equal means the same bytes kept the same way: a file stored as it is never
    /// equals its compressed form.
    #[test]
    fn stored_files_are_equal_only_with_the_same_bytes_kept_the_same_way() {
        let text = "<p>شفافية</p>\n".repeat(100).into_bytes();
        let compressed = Stored::new(text.clone());
        assert!(compressed.gzip().is_some());
        assert_eq!(compressed, Stored::new(text.clone()));
        let raw = Stored { data: compressed.data.clone(), gzip: false };
        assert_ne!(compressed, raw);
        assert_ne!(compressed, Stored::new([text, b"!".to_vec()].concat()));
    }
}
