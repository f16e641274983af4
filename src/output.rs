//! The files a build produces: collected in memory ([`Output`], for `serve`) or written
//! into a staging folder beside the target ([`Staging`], for `build`) that replaces the
//! old output in one rename, so a failed build never leaves a half-written site.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

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

/// Refuses output paths that could land outside the output folder.
fn check_path(path: &str) -> Result<()> {
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
}

impl Sink for std::sync::Mutex<Output> {
    fn put(&self, file: OutputFile) -> Result<()> {
        self.lock().map_err(|_| anyhow::anyhow!("output lock poisoned"))?.add(file)
    }
}

/// A temporary folder beside the target that files are written into as they are
/// rendered; [`Staging::publish`] swaps it in, and dropping it unpublished removes it,
/// so the previous site stays untouched when a build fails.
pub struct Staging {
    dir: PathBuf,
    out: PathBuf,
    paths: std::sync::Mutex<std::collections::BTreeSet<String>>,
    published: bool,
}

impl Staging {
    pub fn new(out: &Path) -> Result<Staging> {
        let parent = match out.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        fs::create_dir_all(&parent).with_context(|| format!("creating {}", parent.display()))?;
        let name = out.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "public".into());
        let dir = parent.join(format!(".{name}.shafaf-new-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
        Ok(Staging { dir, out: out.to_path_buf(), paths: Default::default(), published: false })
    }

    /// The paths written so far, sorted.
    pub fn paths(&self) -> Vec<String> {
        self.paths.lock().map(|p| p.iter().cloned().collect()).unwrap_or_default()
    }

    /// Replaces the target folder with the staged one.
    pub fn publish(mut self) -> Result<()> {
        let retired = self.dir.with_file_name(
            self.dir.file_name().map(|n| n.to_string_lossy().replace("-new-", "-old-")).unwrap_or_else(|| ".shafaf-old".into()),
        );
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

impl Sink for Staging {
    fn put(&self, file: OutputFile) -> Result<()> {
        check_path(&file.path)?;
        if !self.paths.lock().map_err(|_| anyhow::anyhow!("output lock poisoned"))?.insert(file.path.clone()) {
            bail!("two outputs would be written to {}", file.path);
        }
        let target = self.dir.join(&file.path);
        if let Some(parent) = target.parent() {
            fs::create_dir_all(parent).with_context(|| format!("creating {}", parent.display()))?;
        }
        fs::write(&target, &file.bytes).with_context(|| format!("writing {}", target.display()))
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

    #[test]
    fn a_staging_folder_dropped_unpublished_leaves_the_old_output() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("public");
        fs::create_dir_all(&target).unwrap();
        fs::write(target.join("old.html"), "old").unwrap();
        let staging = Staging::new(&target).unwrap();
        staging.put(OutputFile::new("index.html", "new")).unwrap();
        assert!(staging.put(OutputFile::new("../escape.html", "x")).is_err());
        drop(staging);
        assert_eq!(fs::read_to_string(target.join("old.html")).unwrap(), "old");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
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
        let staging = Staging::new(&target).unwrap();
        staging.put(OutputFile::new("index.html", "new")).unwrap();
        staging.publish().unwrap();
        assert!(!target.join("old.html").exists());
        assert_eq!(fs::read_to_string(target.join("index.html")).unwrap(), "new");
        let leftovers: Vec<_> = fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(leftovers.len(), 1);
    }
}
