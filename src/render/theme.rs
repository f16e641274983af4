//! The theme: templates, static assets and UI strings. The default theme is compiled
//! into the binary, so a folder holding only `content/` builds; a site's own
//! `themes/default/`, `templates/` and `static/` override it file by file.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use anyhow::{Context, Result};
use include_dir::{Dir, include_dir};
use walkdir::WalkDir;

use crate::present::i18n::Strings;

static DEFAULT_THEME: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/themes/default");

pub struct Theme {
    /// Template name (`commitment.html`) → source.
    pub templates: BTreeMap<String, String>,
    /// Theme assets (`style.css`) → bytes; CSS and JS get a content hash when written.
    pub assets: BTreeMap<String, Vec<u8>>,
    /// Language → UI strings.
    pub strings: BTreeMap<String, Strings>,
}

impl Theme {
    /// The default theme, overridden by the site root's own files.
    pub fn load(root: &Path, languages: &[String]) -> Result<Theme> {
        let mut templates = BTreeMap::new();
        let mut assets = BTreeMap::new();
        let mut i18n = BTreeMap::new();
        collect_embedded(&DEFAULT_THEME, &mut templates, &mut assets, &mut i18n);
        let theme_dir = root.join("themes/default");
        overlay(root, &theme_dir.join("templates"), &mut templates)?;
        overlay_bytes(root, &theme_dir.join("static"), &mut assets)?;
        overlay(root, &theme_dir.join("i18n"), &mut i18n)?;
        overlay(root, &root.join("templates"), &mut templates)?;

        let mut strings = BTreeMap::new();
        for lang in languages {
            let file = format!("{lang}.yaml");
            // A language without UI strings falls back to the first language that has
            // them, so adding a content language never breaks the build.
            let (name, text) = match i18n.get(&file) {
                Some(text) => (file.clone(), text.clone()),
                None => {
                    let fallback =
                        languages.iter().map(|l| format!("{l}.yaml")).find(|f| i18n.contains_key(f)).unwrap_or_else(|| "fr.yaml".into());
                    (fallback.clone(), i18n.get(&fallback).cloned().unwrap_or_default())
                }
            };
            let parsed = Strings::parse(lang, &format!("themes/default/i18n/{name}"), &text)?;
            strings.insert(lang.clone(), parsed);
        }
        Ok(Theme { templates, assets, strings })
    }
}

fn collect_embedded(
    dir: &Dir,
    templates: &mut BTreeMap<String, String>,
    assets: &mut BTreeMap<String, Vec<u8>>,
    i18n: &mut BTreeMap<String, String>,
) {
    for file in dir.files() {
        let path = file.path().to_string_lossy().replace('\\', "/");
        let text = || String::from_utf8_lossy(file.contents()).into_owned();
        if let Some(name) = path.strip_prefix("templates/") {
            templates.insert(name.to_string(), text());
        } else if let Some(name) = path.strip_prefix("static/") {
            assets.insert(name.to_string(), file.contents().to_vec());
        } else if let Some(name) = path.strip_prefix("i18n/") {
            i18n.insert(name.to_string(), text());
        }
    }
    for sub in dir.dirs() {
        collect_embedded(sub, templates, assets, i18n);
    }
}

/// The files under `dir`. A folder that resolves outside the site root (through a
/// symbolic link) gives nothing, and links inside are not followed: `check` reports the
/// ones that leave the root (see `load::files::check_theme_links`).
fn files_under(root: &Path, dir: &Path) -> Vec<(String, std::path::PathBuf)> {
    let inside = match (root.canonicalize(), dir.canonicalize()) {
        (Ok(root), Ok(real)) => real.starts_with(root),
        _ => false,
    };
    if !inside || !dir.is_dir() {
        return Vec::new();
    }
    WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .filter_map(|e| {
            let rel = e.path().strip_prefix(dir).ok()?.to_string_lossy().replace('\\', "/");
            Some((rel, e.path().to_path_buf()))
        })
        .collect()
}

fn overlay(root: &Path, dir: &Path, into: &mut BTreeMap<String, String>) -> Result<()> {
    for (name, path) in files_under(root, dir) {
        let text = fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
        into.insert(name, text);
    }
    Ok(())
}

fn overlay_bytes(root: &Path, dir: &Path, into: &mut BTreeMap<String, Vec<u8>>) -> Result<()> {
    for (name, path) in files_under(root, dir) {
        let bytes = fs::read(&path).with_context(|| format!("reading {}", path.display()))?;
        into.insert(name, bytes);
    }
    Ok(())
}

/// The site's own `static/` folder, copied verbatim to the output.
/// The output paths of the site's own static files, as [`site_static_files`] names them.
pub fn site_static_names(root: &Path) -> Vec<String> {
    files_under(root, &root.join("static")).into_iter().map(|(name, _)| name).collect()
}

pub fn site_static_files(root: &Path) -> Result<Vec<(String, Vec<u8>)>> {
    files_under(root, &root.join("static"))
        .into_iter()
        .map(|(name, path)| Ok((name, fs::read(&path).with_context(|| format!("reading {}", path.display()))?)))
        .collect()
}
