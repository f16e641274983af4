//! The files a build produces, and writing them atomically: everything goes to a
//! temporary folder beside the target, which then replaces the old output in one rename,
//! so a failed build never leaves a half-written site.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};

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

/// Collects output files, refusing two files at one path.
#[derive(Debug, Default)]
pub struct Output {
    files: BTreeMap<String, Vec<u8>>,
}

impl Output {
    pub fn add(&mut self, file: OutputFile) -> Result<()> {
        if file.path.split('/').any(|part| part == ".." || part.is_empty()) || file.path.starts_with('/') {
            bail!("refusing to write outside the output folder: {}", file.path);
        }
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

    /// Writes every file into a fresh temporary folder next to `out`, then swaps it in.
    pub fn write_atomically(&self, out: &Path) -> Result<()> {
        let parent = match out.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        fs::create_dir_all(&parent).with_context(|| format!("creating {}", parent.display()))?;
        let name = out.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "public".into());
        let staging = parent.join(format!(".{name}.shafaf-new-{}", std::process::id()));
        let retired = parent.join(format!(".{name}.shafaf-old-{}", std::process::id()));
        let _ = fs::remove_dir_all(&staging);
        let written = self.write_into(&staging);
        if let Err(err) = written {
            let _ = fs::remove_dir_all(&staging);
            return Err(err);
        }
        if out.exists() {
            fs::rename(out, &retired).with_context(|| format!("moving the old {} aside", out.display()))?;
        }
        if let Err(err) = fs::rename(&staging, out) {
            // Put the previous site back so the old output stays served.
            let _ = fs::rename(&retired, out);
            let _ = fs::remove_dir_all(&staging);
            return Err(err).with_context(|| format!("moving the new site into {}", out.display()));
        }
        let _ = fs::remove_dir_all(&retired);
        Ok(())
    }

    fn write_into(&self, dir: &Path) -> Result<()> {
        for (path, bytes) in &self.files {
            let target = dir.join(path);
            if let Some(parent) = target.parent() {
                fs::create_dir_all(parent).with_context(|| format!("creating {}", parent.display()))?;
            }
            fs::write(&target, bytes).with_context(|| format!("writing {}", target.display()))?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let mut out = Output::default();
        out.add(OutputFile::new("index.html", "new")).unwrap();
        out.write_atomically(&target).unwrap();
        assert!(!target.join("old.html").exists());
        assert_eq!(fs::read_to_string(target.join("index.html")).unwrap(), "new");
        let leftovers: Vec<_> = fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(leftovers.len(), 1);
    }
}
