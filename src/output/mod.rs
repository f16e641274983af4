//! The files a build produces: collected in memory ([`Output`], for `serve`) or written
//! into a staging folder beside the target ([`Staging`], for `build`) that replaces the
//! old output in one rename, so a failed build never leaves a half-written site.

use std::collections::BTreeMap;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

pub mod guard;

pub use guard::{OutDir, check_out_dir};

/// One file of the built site, held in memory until the whole build has succeeded.
#[derive(Debug, Clone, PartialEq)]
pub struct OutputFile {
    /// Path relative to the output folder, with `/` separators (`data/v1/index.json`).
    pub path: String,
    pub bytes: Vec<u8>,
}

impl OutputFile {
    pub fn new(path: impl Into<String>, bytes: impl Into<Vec<u8>>) -> Self {
        OutputFile { path: path.into(), bytes: bytes.into() }
    }
}

/// `bytes` in an allocation of their exact size, for buffers that are kept long after
/// they were filled (compressed files): a buffer that grew by doubling, or was sized
/// before its content's length was known, can be up to twice that. `shrink_to_fit`
/// does not always give the memory back: mimalloc shrinks a block in place while it
/// stays over half used.
pub fn exact_size(bytes: Vec<u8>) -> Vec<u8> {
    if bytes.capacity() == bytes.len() { bytes } else { bytes.as_slice().to_vec() }
}

/// Refuses output paths that could land outside the output folder.
pub fn check_path(path: &str) -> Result<()> {
    if path.starts_with('/') || path.split('/').any(|part| part == ".." || part.is_empty()) {
        bail!("refusing to write outside the output folder: {path}");
    }
    Ok(())
}

/// Collects output files, refusing two files at one path.
#[derive(Debug, Default)]
pub struct Output {
    files: BTreeMap<String, Vec<u8>>,
}

impl Output {
    pub fn add(&mut self, file: OutputFile) -> Result<()> {
        check_path(&file.path)?;
        if self.files.insert(file.path.clone(), file.bytes).is_some() {
            bail!("two outputs would be written to {}", file.path);
        }
        Ok(())
    }

    pub fn extend(&mut self, files: impl IntoIterator<Item = OutputFile>) -> Result<()> {
        files.into_iter().try_for_each(|f| self.add(f))
    }

    pub fn get(&self, path: &str) -> Option<&[u8]> {
        self.files.get(path).map(Vec::as_slice)
    }

    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &[u8])> {
        self.files.iter().map(|(p, b)| (p.as_str(), b.as_slice()))
    }
}

/// Where rendered files go as they are produced: memory for `serve`, a staging
/// folder for `build` (so a large site never has to fit in memory at once).
pub trait Sink: Sync {
    fn put(&self, file: OutputFile) -> Result<()>;

    /// Whether the work that feeds this sink should go on; an error stops it, and is
    /// the error that work returns. The preview's sink says no once a newer edit has
    /// arrived, so that long work between two files (the feeds' records) yields to it.
    fn go_on(&self) -> Result<()> {
        Ok(())
    }

    /// Writes a file piece by piece through `write`, for a file too large to hold whole
    /// (`commitments.json` is 190 MB on a 10,000-commitment site); returns its size in
    /// bytes. By default the pieces are gathered and handed to [`Sink::put`].
    fn put_written(&self, path: String, write: &mut dyn FnMut(&mut dyn Write) -> Result<()>) -> Result<usize> {
        let mut bytes = Vec::new();
        write(&mut bytes)?;
        let len = bytes.len();
        self.put(OutputFile::new(path, bytes))?;
        Ok(len)
    }
}

impl Sink for std::sync::Mutex<Output> {
    fn put(&self, file: OutputFile) -> Result<()> {
        self.lock().map_err(|_| anyhow::anyhow!("output lock poisoned"))?.add(file)
    }
}

/// Files in the order they were put.
impl Sink for std::sync::Mutex<Vec<OutputFile>> {
    fn put(&self, file: OutputFile) -> Result<()> {
        self.lock().map_err(|_| anyhow::anyhow!("output lock poisoned"))?.push(file);
        Ok(())
    }
}

/// A temporary folder beside the target that files are written into as they are
/// rendered; [`Staging::publish`] swaps it in, and dropping it unpublished removes it,
/// so the previous site stays untouched when a build fails.
pub struct Staging {
    dir: PathBuf,
    out: PathBuf,
    paths: std::sync::Mutex<std::collections::BTreeSet<String>>,
    /// Folders already created: 55,000 files go into 33,000 folders on a
    /// 10,000-commitment site, and `create_dir_all` costs system calls even when the
    /// folder is there.
    dirs: std::sync::Mutex<std::collections::HashSet<PathBuf>>,
    published: bool,
}

impl Staging {
    /// Opens a staging folder beside an output folder that [`check_out_dir`] accepted,
    /// first removing staging folders that killed builds of the same output left behind.
    pub fn new(out: &OutDir) -> Result<Staging> {
        let out = out.path.as_path();
        let parent = out.parent().map(Path::to_path_buf).unwrap_or_else(|| PathBuf::from("/"));
        fs::create_dir_all(&parent).with_context(|| format!("creating {}", parent.display()))?;
        let name = out.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "public".into());
        remove_stale_staging(&parent, &name);
        let dir = parent.join(staging_name(&name, "new", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
        fs::write(dir.join(guard::MARKER), guard::MARKER_TEXT).with_context(|| format!("writing {}", dir.display()))?;
        Ok(Staging { dir, out: out.to_path_buf(), paths: Default::default(), dirs: Default::default(), published: false })
    }

    /// The paths written so far, sorted.
    pub fn paths(&self) -> Vec<String> {
        self.paths.lock().map(|p| p.iter().cloned().collect()).unwrap_or_default()
    }

    /// Replaces the target folder with the staged one.
    pub fn publish(mut self) -> Result<()> {
        let name = self.out.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "public".into());
        let retired = self.dir.with_file_name(staging_name(&name, "old", std::process::id()));
        let _ = fs::remove_dir_all(&retired);
        if self.out.exists() {
            fs::rename(&self.out, &retired).with_context(|| format!("moving the old {} aside", self.out.display()))?;
        }
        if let Err(err) = fs::rename(&self.dir, &self.out) {
            let _ = fs::rename(&retired, &self.out);
            return Err(err).with_context(|| format!("moving the new site into {}", self.out.display()));
        }
        self.published = true;
        let _ = fs::remove_dir_all(&retired);
        Ok(())
    }
}

/// `.public.shafaf-new-1234`: the staging (`new`) or retired (`old`) folder of one
/// build process beside the output `public`.
fn staging_name(out_name: &str, stage: &str, pid: u32) -> String {
    format!(".{out_name}.shafaf-{stage}-{pid}")
}

/// Removes the staging and retired folders of builds of `out_name` whose process is
/// gone (killed before it could clean up), and only those.
fn remove_stale_staging(parent: &Path, out_name: &str) {
    let Ok(entries) = fs::read_dir(parent) else { return };
    let prefix = format!(".{out_name}.shafaf-");
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(pid) = name
            .strip_prefix(&prefix)
            .and_then(|rest| rest.strip_prefix("new-").or_else(|| rest.strip_prefix("old-")))
            .and_then(|pid| pid.parse::<u32>().ok())
        else {
            continue;
        };
        let is_dir = entry.file_type().map(|t| t.is_dir()).unwrap_or(false);
        if is_dir && pid != std::process::id() && !process_is_running(pid) {
            let _ = fs::remove_dir_all(entry.path());
        }
    }
}

/// Whether a process with this ID exists. Where that cannot be known, it is assumed to
/// run, so a live build's folder is never removed.
fn process_is_running(pid: u32) -> bool {
    if cfg!(target_os = "linux") { Path::new("/proc").join(pid.to_string()).exists() } else { true }
}

impl Staging {
    /// The staging path of an output file, once checked and claimed, with its folder made.
    fn claim(&self, path: &str) -> Result<PathBuf> {
        check_path(path)?;
        if !self.paths.lock().map_err(|_| anyhow::anyhow!("output lock poisoned"))?.insert(path.to_string()) {
            bail!("two outputs would be written to {path}");
        }
        let target = self.dir.join(path);
        if let Some(parent) = target.parent() {
            let created = self.dirs.lock().map_err(|_| anyhow::anyhow!("output lock poisoned"))?.contains(parent);
            if !created {
                fs::create_dir_all(parent).with_context(|| format!("creating {}", parent.display()))?;
                self.dirs.lock().map_err(|_| anyhow::anyhow!("output lock poisoned"))?.insert(parent.to_path_buf());
            }
        }
        Ok(target)
    }
}

impl Sink for Staging {
    fn put(&self, file: OutputFile) -> Result<()> {
        let target = self.claim(&file.path)?;
        fs::write(&target, &file.bytes).with_context(|| format!("writing {}", target.display()))
    }

    fn put_written(&self, path: String, write: &mut dyn FnMut(&mut dyn Write) -> Result<()>) -> Result<usize> {
        let target = self.claim(&path)?;
        let file = fs::File::create(&target).with_context(|| format!("writing {}", target.display()))?;
        let mut out = Counted::new(std::io::BufWriter::with_capacity(1 << 20, file));
        write(&mut out).with_context(|| format!("writing {}", target.display()))?;
        out.flush().with_context(|| format!("writing {}", target.display()))?;
        Ok(out.bytes())
    }
}

/// A writer that counts the bytes that go through it.
pub struct Counted<W: Write> {
    inner: W,
    bytes: usize,
}

impl<W: Write> Counted<W> {
    pub fn new(inner: W) -> Counted<W> {
        Counted { inner, bytes: 0 }
    }

    /// The bytes written so far.
    pub fn bytes(&self) -> usize {
        self.bytes
    }

    pub fn into_inner(self) -> W {
        self.inner
    }
}

impl<W: Write> Write for Counted<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let written = self.inner.write(buf)?;
        self.bytes += written;
        Ok(written)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.published {
            let _ = fs::remove_dir_all(&self.dir);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn out_dir(path: &Path) -> OutDir {
        OutDir { path: path.to_path_buf(), forced_over: Vec::new() }
    }

    /// A buffer with spare room comes back with none and the same bytes; one without
    /// is handed back as it is, not copied.
    #[test]
    fn exact_size_keeps_the_bytes_and_drops_the_spare_room() {
        // (spare room, bytes): a buffer that grew far past its content, one a byte too
        // large, one with nothing in it.
        for (spare, content) in [(4096, &b"compressed bytes"[..]), (1, b"x\0y"), (64, b"")] {
            let mut grown = Vec::with_capacity(content.len() + spare);
            grown.extend_from_slice(content);
            assert!(grown.capacity() > grown.len(), "the case starts with spare room");
            let exact = exact_size(grown);
            assert_eq!(exact, content, "the bytes are kept");
            assert_eq!(exact.capacity(), exact.len(), "no spare room is left ({spare} spare)");
        }
        // A buffer already of its exact size is handed back as it is, not copied: the
        // result lives on in `kept` while its address is compared, and a copy would
        // have been allocated while the original was still alive, at another address.
        let exact = b"already exact".to_vec();
        assert_eq!(exact.capacity(), exact.len());
        let address = exact.as_ptr() as usize;
        let kept = exact_size(exact);
        assert_eq!((kept.as_ptr() as usize, kept.as_slice()), (address, &b"already exact"[..]), "handed back, not copied");
    }

    #[test]
    fn stale_staging_folders_of_dead_builds_are_removed_and_only_those() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("public");
        // PIDs above the kernel's limit (2^22) never run.
        let dead_new = dir.path().join(".public.shafaf-new-4999999");
        let dead_old = dir.path().join(".public.shafaf-old-4999998");
        let live = dir.path().join(format!(".public.shafaf-new-{}", std::os::unix::process::parent_id()));
        let other_output = dir.path().join(".site.shafaf-new-4999999");
        let look_alike = dir.path().join(".public.shafaf-new-notes");
        for folder in [&dead_new, &dead_old, &live, &other_output, &look_alike] {
            fs::create_dir_all(folder.join("fr")).unwrap();
        }
        let staging = Staging::new(&out_dir(&target)).unwrap();
        staging.put(OutputFile::new("index.html", "new")).unwrap();
        staging.publish().unwrap();
        assert!(!dead_new.exists() && !dead_old.exists());
        assert!(live.exists() && other_output.exists() && look_alike.exists());
        assert!(target.join(guard::MARKER).exists(), "the output is marked as shafaf's");
    }

    #[test]
    fn a_staging_folder_dropped_unpublished_leaves_the_old_output() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("public");
        fs::create_dir_all(&target).unwrap();
        fs::write(target.join("old.html"), "old").unwrap();
        let staging = Staging::new(&out_dir(&target)).unwrap();
        staging.put(OutputFile::new("index.html", "new")).unwrap();
        assert!(staging.put(OutputFile::new("../escape.html", "x")).is_err());
        drop(staging);
        assert_eq!(fs::read_to_string(target.join("old.html")).unwrap(), "old");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn a_swap_that_fails_half_way_puts_the_old_output_back() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("public");
        fs::create_dir_all(&target).unwrap();
        fs::write(target.join("old.html"), "old").unwrap();
        let staging = Staging::new(&out_dir(&target)).unwrap();
        staging.put(OutputFile::new("index.html", "new")).unwrap();
        // The staged folder vanishes (a full disk, another process): the old output has
        // already been moved aside when moving the new one in fails.
        fs::remove_dir_all(&staging.dir).unwrap();
        assert!(staging.publish().is_err());
        assert_eq!(fs::read_to_string(target.join("old.html")).unwrap(), "old", "the previous site is back in place");
        let names: Vec<_> = fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names, ["public"], "nothing left beside it");
    }

    #[test]
    fn collected_output_is_read_back_as_written() {
        let mut out = Output::default();
        assert!(out.is_empty() && out.len() == 0);
        out.extend([OutputFile::new("fr/index.html", "bonjour"), OutputFile::new("ar/index.html", "مرحبا")]).unwrap();
        assert!(!out.is_empty());
        assert_eq!(out.len(), 2);
        assert_eq!(out.get("fr/index.html"), Some("bonjour".as_bytes()));
        assert_eq!(out.get("en/index.html"), None);
        let all: Vec<(&str, &[u8])> = out.iter().collect();
        assert_eq!(all, [("ar/index.html", "مرحبا".as_bytes()), ("fr/index.html", "bonjour".as_bytes())], "sorted by path");
        assert!(out.extend([OutputFile::new("fr/index.html", "again")]).is_err(), "one file per path");
        let shared = std::sync::Mutex::new(Output::default());
        shared.put(OutputFile::new("a.html", "a")).unwrap();
        assert!(shared.put(OutputFile::new("a.html", "b")).is_err());
        assert!(shared.put(OutputFile::new("../a.html", "b")).is_err());
    }

    #[test]
    fn staging_lists_what_it_wrote_sorted_and_refuses_a_path_twice() {
        let dir = tempfile::tempdir().unwrap();
        let staging = Staging::new(&out_dir(&dir.path().join("public"))).unwrap();
        staging.put(OutputFile::new("fr/index.html", "b")).unwrap();
        staging.put(OutputFile::new("ar/index.html", "a")).unwrap();
        assert!(staging.put(OutputFile::new("fr/index.html", "c")).is_err());
        assert_eq!(staging.paths(), ["ar/index.html", "fr/index.html"]);
    }

    #[test]
    fn a_file_that_looks_like_a_dead_builds_staging_folder_is_kept() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join(".public.shafaf-new-4999999");
        fs::write(&file, "an editor's file").unwrap();
        let staging = Staging::new(&out_dir(&dir.path().join("public"))).unwrap();
        drop(staging);
        assert_eq!(fs::read_to_string(&file).unwrap(), "an editor's file");
    }

    #[test]
    fn refuses_paths_that_escape() {
        let mut out = Output::default();
        assert!(out.add(OutputFile::new("../x", "a")).is_err());
        assert!(out.add(OutputFile::new("/etc/x", "a")).is_err());
        assert!(out.add(OutputFile::new("a//b", "a")).is_err());
        assert!(out.add(OutputFile::new("a/b.html", "a")).is_ok());
        assert!(out.add(OutputFile::new("a/b.html", "b")).is_err());
    }

    #[test]
    fn replaces_the_old_output_in_one_step() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("public");
        fs::create_dir_all(&target).unwrap();
        fs::write(target.join("old.html"), "old").unwrap();
        let staging = Staging::new(&out_dir(&target)).unwrap();
        staging.put(OutputFile::new("index.html", "new")).unwrap();
        staging.publish().unwrap();
        assert!(!target.join("old.html").exists());
        assert_eq!(fs::read_to_string(target.join("index.html")).unwrap(), "new");
        let leftovers: Vec<_> = fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(leftovers.len(), 1);
    }
}
