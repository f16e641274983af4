//! What `--out` may be: the one rule that keeps `build` from deleting anything an
//! editor wrote. The output folder may not be, contain or lie inside the sources
//! (`content/`, `themes/`, `templates/`, `static/`), nor be or contain the site root;
//! and it is replaced only when it is missing, empty, or marked as shafaf's own by
//! [`MARKER`] — anything else needs `--force`.

use std::fs;
use std::path::{Component, Path, PathBuf};

use anyhow::{Context, Result, bail};

/// The file every build leaves in its output, so the next build knows the folder is
/// its own to replace.
pub const MARKER: &str = ".shafaf-output";

/// What the marker says to a person who opens it.
pub const MARKER_TEXT: &str = "This folder was written by `shafaf build`; the next build replaces all of it.\n";

/// The folders of a site root that hold what editors wrote.
const SOURCE_DIRS: [&str; 4] = ["content", "themes", "templates", "static"];

/// An output folder that passed [`check_out_dir`], as an absolute path with `..` and
/// symlinks resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutDir {
    pub path: PathBuf,
    /// What `--force` is about to remove that shafaf did not write (empty otherwise).
    pub forced_over: Vec<String>,
}

/// Decides, before anything is read or written, whether `out` may be replaced by a
/// build of the site at `root`.
pub fn check_out_dir(root: &Path, out: &Path, force: bool) -> Result<OutDir> {
    if let Ok(meta) = fs::symlink_metadata(out) {
        if meta.file_type().is_symlink() {
            bail!("the output {} is a symbolic link; give the folder it points to, or another path, as --out", out.display());
        }
        if !meta.is_dir() {
            bail!("the output {} is a file, not a folder; give a folder as --out", out.display());
        }
    }
    let path = resolve(out)?;
    let root = resolve(root)?;
    refuse_overlap(&root, &path, out)?;
    let forced_over = foreign_entries(&path)?;
    if !forced_over.is_empty() && !force {
        bail!(
            "the output {} holds files shafaf did not write ({}); choose another --out, empty it, or pass --force to replace it",
            out.display(),
            listing(&forced_over)
        );
    }
    Ok(OutDir { path, forced_over })
}

/// Names what `--force` removes, for the warning printed before it does.
pub fn listing(entries: &[String]) -> String {
    const SHOWN: usize = 5;
    let mut text = entries.iter().take(SHOWN).cloned().collect::<Vec<_>>().join(", ");
    if entries.len() > SHOWN {
        text.push_str(&format!(" and {} more", entries.len() - SHOWN));
    }
    text
}

/// Refuses an output that is, contains or lies inside a source folder, or that is or
/// contains the site root.
fn refuse_overlap(root: &Path, out: &Path, given: &Path) -> Result<()> {
    if out == root || root.starts_with(out) {
        bail!(
            "the output {} would replace the site root {}; write the site to a folder of its own, such as public/",
            given.display(),
            root.display()
        );
    }
    for dir in SOURCE_DIRS {
        let source = resolve(&root.join(dir))?;
        let overlaps = out == source || source.starts_with(out) || out.starts_with(&source);
        if overlaps {
            bail!(
                "the output {} would overwrite the site's sources in {}; write the site to a folder outside them, such as public/",
                given.display(),
                source.display()
            );
        }
    }
    Ok(())
}

/// The entries of an existing output folder that a build would delete although shafaf
/// did not write them: none when the folder is missing, empty or carries the marker.
fn foreign_entries(out: &Path) -> Result<Vec<String>> {
    let entries = match fs::read_dir(out) {
        Ok(entries) => entries,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(err) => return Err(err).with_context(|| format!("reading the output folder {}", out.display())),
    };
    let mut names = Vec::new();
    for entry in entries {
        let entry = entry.with_context(|| format!("reading the output folder {}", out.display()))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if name == MARKER {
            return Ok(Vec::new());
        }
        names.push(name);
    }
    names.sort();
    Ok(names)
}

/// An absolute form of `path` with symlinks and `..` resolved, also for a path whose
/// last parts do not exist yet. Each existing prefix is canonicalised as it grows, so a
/// `..` always steps out of the real folder, never out of a symlink's name.
pub fn resolve(path: &Path) -> Result<PathBuf> {
    let absolute =
        if path.is_absolute() { path.to_path_buf() } else { std::env::current_dir().context("reading the current folder")?.join(path) };
    let mut resolved = PathBuf::new();
    for component in absolute.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                resolved.pop();
            }
            part => {
                resolved.push(part);
                if let Ok(canonical) = resolved.canonicalize() {
                    resolved = canonical;
                }
            }
        }
    }
    Ok(resolved)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir_all(dir.path().join("content/plans")).unwrap();
        fs::write(dir.path().join("content/site.yaml"), "title: x\n").unwrap();
        dir
    }

    #[test]
    fn refuses_every_folder_that_touches_the_sources() {
        let dir = site();
        let root = dir.path();
        fs::create_dir_all(root.join("themes/default")).unwrap();
        for out in [
            "content",
            "content/plans",
            "content/new",
            ".",
            "..",
            "themes",
            "themes/default/x",
            "static",
            "templates",
            "content/../content",
        ] {
            let err = check_out_dir(root, &root.join(out), true).expect_err(out).to_string();
            assert!(err.contains("the output"), "{out}: {err}");
        }
        assert!(check_out_dir(root, &root.join("public"), false).is_ok());
    }

    #[test]
    fn resolves_symlinks_before_comparing() {
        let dir = site();
        let root = dir.path();
        std::os::unix::fs::symlink(root.join("content"), root.join("alias")).unwrap();
        let err = check_out_dir(root, &root.join("alias/plans"), true).unwrap_err().to_string();
        assert!(err.contains("sources"), "{err}");
        let err = check_out_dir(root, &root.join("alias"), true).unwrap_err().to_string();
        assert!(err.contains("symbolic link"), "{err}");
    }

    #[test]
    fn a_foreign_folder_needs_force_and_is_named() {
        let dir = site();
        let out = dir.path().join("elsewhere");
        fs::create_dir_all(&out).unwrap();
        assert!(check_out_dir(dir.path(), &out, false).unwrap().forced_over.is_empty(), "an empty folder is fine");
        fs::write(out.join("thesis.docx"), "mine").unwrap();
        let err = check_out_dir(dir.path(), &out, false).unwrap_err().to_string();
        assert!(err.contains("thesis.docx") && err.contains("--force"), "{err}");
        assert_eq!(check_out_dir(dir.path(), &out, true).unwrap().forced_over, vec!["thesis.docx".to_string()]);
        fs::write(out.join(MARKER), MARKER_TEXT).unwrap();
        assert!(check_out_dir(dir.path(), &out, false).unwrap().forced_over.is_empty());
    }

    #[test]
    fn the_site_root_and_its_parents_are_refused_as_the_root() {
        let dir = site();
        let root = dir.path();
        for out in [".", ".."] {
            let err = check_out_dir(root, &root.join(out), true).unwrap_err().to_string();
            assert!(err.contains("would replace the site root"), "{out}: {err}");
        }
    }

    #[test]
    fn a_folder_holding_sources_linked_from_elsewhere_is_refused() {
        // content/ is a symlink to a folder kept outside the site root; replacing that
        // folder's parent would delete what the editors wrote.
        let dir = tempfile::tempdir().unwrap();
        let shared = dir.path().join("shared");
        fs::create_dir_all(shared.join("content/plans")).unwrap();
        let root = dir.path().join("site");
        fs::create_dir_all(&root).unwrap();
        std::os::unix::fs::symlink(shared.join("content"), root.join("content")).unwrap();
        let err = check_out_dir(&root, &shared, true).unwrap_err().to_string();
        assert!(err.contains("would overwrite the site's sources"), "{err}");
    }

    #[test]
    fn the_refusal_names_five_foreign_files_and_counts_the_rest() {
        let dir = site();
        let out = dir.path().join("elsewhere");
        fs::create_dir_all(&out).unwrap();
        for name in ["a", "b", "c", "d", "e"] {
            fs::write(out.join(name), "mine").unwrap();
        }
        let five = check_out_dir(dir.path(), &out, false).unwrap_err().to_string();
        assert!(five.contains("(a, b, c, d, e)"), "all five named, nothing counted: {five}");
        fs::write(out.join("f"), "mine").unwrap();
        fs::write(out.join("g"), "mine").unwrap();
        let seven = check_out_dir(dir.path(), &out, false).unwrap_err().to_string();
        assert!(seven.contains("(a, b, c, d, e and 2 more)"), "{seven}");
    }

    #[test]
    fn a_file_is_no_output_folder() {
        let dir = site();
        let out = dir.path().join("public");
        fs::write(&out, "x").unwrap();
        assert!(check_out_dir(dir.path(), &out, true).unwrap_err().to_string().contains("is a file"));
        // A folder that cannot be read is not taken for an empty one.
        let under_a_file = out.join("site");
        let err = check_out_dir(dir.path(), &under_a_file, true).unwrap_err().to_string();
        assert!(err.contains("reading the output folder"), "{err}");
    }

    #[test]
    fn resolves_missing_tails_and_dot_dots() {
        let dir = tempfile::tempdir().unwrap();
        let base = dir.path().canonicalize().unwrap();
        assert_eq!(resolve(&dir.path().join("a/b/../c")).unwrap(), base.join("a/c"));
        assert_eq!(resolve(&dir.path().join("a/..")).unwrap(), base);
    }
}
