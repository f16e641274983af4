//! The theme: templates, static assets and UI strings. The default theme is compiled
//! into the binary, so a folder holding only `content/` builds; a site's own
//! `themes/default/`, `templates/` and `static/` override it file by file.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use anyhow::{Context, Result};
use include_dir::{Dir, include_dir};
use walkdir::WalkDir;

use crate::language::Languages;
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
    /// Each of the site's `languages` must have its UI strings, in the default theme or
    /// in the site's own `themes/default/i18n/LANG.yaml`.
    pub fn load(root: &Path, languages: &Languages) -> Result<Theme> {
        let mut templates = BTreeMap::new();
        let mut assets = BTreeMap::new();
        let mut i18n = BTreeMap::new();
        collect_embedded(&DEFAULT_THEME, &mut templates, &mut assets, &mut i18n);
        let theme_dir = root.join("themes/default");
        overlay(root, &theme_dir.join("templates"), &mut templates)?;
        overlay_bytes(root, &theme_dir.join("static"), &mut assets)?;
        overlay(root, &theme_dir.join("i18n"), &mut i18n)?;
        overlay(root, &root.join("templates"), &mut templates)?;

        if let Some(message) = missing_strings(&i18n, languages).first() {
            anyhow::bail!("{message}");
        }
        let mut strings = BTreeMap::new();
        for language in languages.rows() {
            let file = format!("{}.yaml", language.code);
            let text = i18n.get(&file).cloned().unwrap_or_default();
            let parsed = Strings::parse(language, &format!("themes/default/i18n/{file}"), &text)?;
            strings.insert(language.code.clone(), parsed);
        }
        // A key a language's file lacks comes from its fallback languages, in order.
        let parsed = strings.clone();
        for (code, own) in &mut strings {
            for other in languages.fallback_order(code) {
                if let Some(other) = parsed.get(other) {
                    own.fill_from(other);
                }
            }
        }
        Ok(Theme { templates, assets, strings })
    }
}

/// A sentence for each of `languages` that has no UI strings: a page in a language
/// must not borrow another's navigation, labels and direction.
fn missing_strings(i18n: &BTreeMap<String, String>, languages: &Languages) -> Vec<String> {
    languages
        .rows()
        .iter()
        .filter(|l| !i18n.contains_key(&format!("{}.yaml", l.code)))
        .map(|l| {
            format!(
                "content/site.yaml declares the language {}, which has no UI strings: add themes/default/i18n/{}.yaml to the site, \
                 a translated copy of one of the default theme's ({})",
                l.label(),
                l.code,
                embedded_languages().join(", ")
            )
        })
        .collect()
}

/// The languages whose UI strings the default theme holds.
fn embedded_languages() -> Vec<String> {
    DEFAULT_THEME
        .get_dir("i18n")
        .map(|dir| dir.files().filter_map(|f| f.path().file_stem().map(|s| s.to_string_lossy().into_owned())).collect())
        .unwrap_or_default()
}

/// The sentences `check` reports for the languages of a site at `root` that have no UI
/// strings (see [`Theme::load`]).
pub fn check_strings(root: &Path, languages: &Languages) -> Result<Vec<String>> {
    Ok(missing_strings(&i18n_files(root)?, languages))
}

/// The UI string files of the default theme and of the site at `root`: name → text.
fn i18n_files(root: &Path) -> Result<BTreeMap<String, String>> {
    let mut i18n = BTreeMap::new();
    if let Some(dir) = DEFAULT_THEME.get_dir("i18n") {
        for file in dir.files() {
            if let Some(name) = file.path().file_name() {
                i18n.insert(name.to_string_lossy().into_owned(), String::from_utf8_lossy(file.contents()).into_owned());
            }
        }
    }
    overlay(root, &root.join("themes/default/i18n"), &mut i18n)?;
    Ok(i18n)
}

/// Where a language's UI strings come from, and the keys it lacks that the default
/// language has (shown as the key itself on the pages).
#[derive(Debug, Clone, serde::Serialize)]
pub struct UiStrings {
    /// `themes/default/i18n/LANG.yaml` of the site, of the default theme, or `None`.
    pub file: Option<String>,
    pub missing_keys: Vec<String>,
}

/// The UI strings of each of the site's languages, for `shafaf translate status`.
pub fn ui_strings_status(root: &Path, languages: &Languages) -> Result<BTreeMap<String, UiStrings>> {
    let i18n = i18n_files(root)?;
    let keys = |code: &str| -> Option<Vec<String>> {
        let language = languages.get(code);
        let text = i18n.get(&format!("{code}.yaml"))?;
        Strings::parse(&language, &format!("themes/default/i18n/{code}.yaml"), text).ok().map(|s| s.strings.keys().cloned().collect())
    };
    let reference = languages.rows().first().and_then(|l| keys(&l.code)).unwrap_or_default();
    let mut status = BTreeMap::new();
    for language in languages.rows() {
        let name = format!("themes/default/i18n/{}.yaml", language.code);
        let own = root.join(&name).is_file();
        let file = match (own, i18n.contains_key(&format!("{}.yaml", language.code))) {
            (true, _) => Some(format!("{name} (the site's)")),
            (false, true) => Some(format!("{name} (the default theme's)")),
            (false, false) => None,
        };
        let have = keys(&language.code).unwrap_or_default();
        let missing_keys = if file.is_some() { reference.iter().filter(|k| !have.contains(k)).cloned().collect() } else { Vec::new() };
        status.insert(language.code.clone(), UiStrings { file, missing_keys });
    }
    Ok(status)
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

/// The output paths of the site's own static files, as [`site_static_files`] names them.
pub fn site_static_names(root: &Path) -> Vec<String> {
    files_under(root, &root.join("static")).into_iter().map(|(name, _)| name).collect()
}

/// The site's own `static/` folder, copied verbatim to the output.
pub fn site_static_files(root: &Path) -> Result<Vec<(String, Vec<u8>)>> {
    files_under(root, &root.join("static"))
        .into_iter()
        .map(|(name, path)| Ok((name, fs::read(&path).with_context(|| format!("reading {}", path.display()))?)))
        .collect()
}
