//! Finding and reading the files under `content/`, safely.
//!
//! Nothing outside the site root is read: symbolic links are resolved and refused when
//! they lead elsewhere, and files that are too large, empty or not UTF-8 are reported
//! instead of parsed.

use std::fs;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use walkdir::WalkDir;

use crate::diagnostics::Diagnostics;
use crate::model::Pos;

/// Content files larger than this are refused: a commitment sheet is a few kilobytes.
const MAX_FILE_BYTES: u64 = 8 * 1024 * 1024;

/// A content file that was read successfully.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Path relative to the site root, with `/` separators (`content/areas/x.yaml`).
    pub path: String,
    /// Path relative to `content/` split into components.
    pub parts: Vec<String>,
    pub text: String,
    /// The file holds control characters: it is reported, kept for error snippets, and
    /// not parsed (a NUL would end a YAML scalar, or the whole document, silently).
    pub refused: bool,
}

/// Lists and reads every file under `root/content`, in a stable order.
pub fn read_content(root: &Path, diagnostics: &mut Diagnostics) -> std::io::Result<Vec<SourceFile>> {
    let root = root.canonicalize()?;
    let content = root.join("content");
    if !content.is_dir() {
        diagnostics.error("content", Pos::new(1, 1), "", format!("there is no content/ folder in {}", root.display()));
        return Ok(Vec::new());
    }
    let mut found = Vec::new();
    let mut walker = WalkDir::new(&content).follow_links(true).sort_by_file_name().into_iter();
    while let Some(entry) = walker.next() {
        let entry = match entry {
            Ok(entry) => entry,
            // A hidden link that leads nowhere is hidden first of all.
            Err(err) if err.depth() > 0 && err.path().and_then(Path::file_name).is_some_and(is_hidden) => {
                let path = err.path().map(|p| display_path(&root, p)).unwrap_or_default();
                diagnostics.warning(&path, Pos::new(1, 1), "", HIDDEN_FILE.into());
                continue;
            }
            Err(err) => {
                let path = err.path().map(|p| display_path(&root, p)).unwrap_or_else(|| "content".into());
                let message = if err.loop_ancestor().is_some() {
                    "this symbolic link makes a loop; it is not followed".to_string()
                } else {
                    format!("could not be read: {}", err.io_error().map(|e| e.to_string()).unwrap_or_else(|| err.to_string()))
                };
                diagnostics.error(&path, Pos::new(1, 1), "", message);
                continue;
            }
        };
        let path = entry.path();
        let shown = display_path(&root, path);
        // Hidden entries (`.git`, `.DS_Store`, an editor's `.open-data.yaml.swp`) are not
        // content; each is named once, a hidden folder without what it holds.
        if entry.depth() > 0 && is_hidden(entry.file_name()) {
            if entry.file_type().is_dir() {
                diagnostics.warning(&shown, Pos::new(1, 1), "", HIDDEN_FOLDER.into());
                walker.skip_current_dir();
            } else {
                diagnostics.warning(&shown, Pos::new(1, 1), "", HIDDEN_FILE.into());
            }
            continue;
        }
        if entry.path_is_symlink() && !stays_inside(&root, path) {
            diagnostics.error(&shown, Pos::new(1, 1), "", LINK_OUTSIDE.into());
            if entry.file_type().is_dir() {
                walker.skip_current_dir();
            }
            continue;
        }
        if !entry.file_type().is_file() {
            continue;
        }
        let parts: Vec<String> = match path.strip_prefix(&content) {
            Ok(rel) => rel.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect(),
            Err(_) => continue,
        };
        found.push((path.to_path_buf(), shown, parts, entry.metadata().ok().map(|m| m.len())));
    }
    // Reading and decoding are done in parallel; the order stays the walk's.
    let read: Vec<(Option<SourceFile>, Diagnostics)> = found
        .into_par_iter()
        .map(|(path, shown, parts, len)| {
            let mut file_diagnostics = Diagnostics::default();
            let file = read_text(&path, &shown, len, &mut file_diagnostics).map(|text| {
                let refused = report_control_characters(&shown, &text, &mut file_diagnostics);
                SourceFile { path: shown, parts, text, refused }
            });
            (file, file_diagnostics)
        })
        .collect();
    let mut files = Vec::with_capacity(read.len());
    for (file, file_diagnostics) in read {
        diagnostics.extend(file_diagnostics);
        files.extend(file);
    }
    Ok(files)
}

const HIDDEN_FILE: &str = "this hidden file (its name starts with a dot) is not read; rename it or remove it";
const HIDDEN_FOLDER: &str = "this hidden folder (its name starts with a dot) and everything in it are not read; rename it or remove it";
const LINK_OUTSIDE: &str = "this symbolic link leads outside the site root; it is not followed";

/// The folders besides `content/` that a build reads from the site root.
pub const THEME_FOLDERS: [&str; 3] = ["themes", "templates", "static"];

/// Refuses symbolic links under the site's `themes/`, `templates/` and `static/` (or
/// those folders themselves) that lead outside the root: the theme loader does not
/// follow them, and `check` says so. Links that stay inside are left alone.
pub fn check_theme_links(root: &Path, diagnostics: &mut Diagnostics) {
    let Ok(root) = root.canonicalize() else { return };
    for folder in THEME_FOLDERS {
        let dir = root.join(folder);
        if fs::symlink_metadata(&dir).is_err() {
            continue;
        }
        let mut walker = WalkDir::new(&dir).sort_by_file_name().into_iter();
        while let Some(entry) = walker.next() {
            let Ok(entry) = entry else { continue };
            if entry.path_is_symlink() && !stays_inside(&root, entry.path()) {
                diagnostics.error(&display_path(&root, entry.path()), Pos::new(1, 1), "", LINK_OUTSIDE.into());
                if entry.depth() == 0 {
                    walker.skip_current_dir();
                }
            }
        }
    }
}

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.to_string_lossy().starts_with('.')
}

fn stays_inside(root: &Path, path: &Path) -> bool {
    path.canonicalize().map(|real| real.starts_with(root)).unwrap_or(false)
}

/// The path relative to the root, with `/` separators, for messages.
pub fn display_path(root: &Path, path: &Path) -> String {
    let rel: PathBuf = path.strip_prefix(root).map(Path::to_path_buf).unwrap_or_else(|_| path.to_path_buf());
    rel.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect::<Vec<_>>().join("/")
}

fn read_text(path: &Path, shown: &str, len: Option<u64>, diagnostics: &mut Diagnostics) -> Option<String> {
    if len.is_some_and(|len| len > MAX_FILE_BYTES) {
        diagnostics.error(
            shown,
            Pos::new(1, 1),
            "",
            format!("the file is larger than {} MiB; content files must be small text files", MAX_FILE_BYTES / 1024 / 1024),
        );
        return None;
    }
    let bytes = match fs::read(path) {
        Ok(bytes) => bytes,
        Err(err) => {
            diagnostics.error(shown, Pos::new(1, 1), "", format!("the file could not be read: {err}"));
            return None;
        }
    };
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").map(<[u8]>::to_vec).unwrap_or(bytes);
    match String::from_utf8(bytes) {
        Ok(text) if text.trim().is_empty() => {
            diagnostics.error(shown, Pos::new(1, 1), "", "the file is empty".into());
            None
        }
        Ok(text) if text.contains('\r') => Some(text.replace("\r\n", "\n")),
        Ok(text) => Some(text),
        Err(err) => {
            let valid = &err.as_bytes()[..err.utf8_error().valid_up_to()];
            let valid = std::str::from_utf8(valid).unwrap_or_default();
            let line = valid.matches('\n').count() + 1;
            let column = valid.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
            diagnostics.error(
                shown,
                Pos::new(line, column),
                "",
                "the file is not valid UTF-8 text; save it with the UTF-8 encoding".into(),
            );
            None
        }
    }
}

/// The most control characters reported in one file; a file full of them gets a
/// last diagnostic that says how many more there are.
const MAX_CONTROL_REPORTS: usize = 10;

/// Is this a control character a content file may not hold? Every C0 control but tab
/// and newline (a carriage return is allowed only in a CRLF pair, already made `\n`).
pub fn is_forbidden_control(c: char) -> bool {
    c < '\u{20}' && c != '\t' && c != '\n'
}

/// Reports each control character in `text` (CRLF already turned into `\n`) with its
/// line and column; returns whether there was any.
fn report_control_characters(shown: &str, text: &str, diagnostics: &mut Diagnostics) -> bool {
    let mut found = 0;
    for (index, line) in text.split('\n').enumerate() {
        for (column, c) in line.chars().enumerate().filter(|(_, c)| is_forbidden_control(*c)) {
            found += 1;
            let pos = Pos::new(index + 1, column + 1);
            if found <= MAX_CONTROL_REPORTS {
                diagnostics.error(shown, pos, "", control_message(c));
            }
        }
    }
    if found > MAX_CONTROL_REPORTS {
        let more = found - MAX_CONTROL_REPORTS;
        diagnostics.error(
            shown,
            Pos::new(1, 1),
            "",
            format!("the file holds {more} more control characters than the {MAX_CONTROL_REPORTS} reported; it is not read"),
        );
    }
    found > 0
}

fn control_message(c: char) -> String {
    let name = match c {
        '\0' => " (NUL)",
        '\r' => " (a carriage return outside a CRLF line end)",
        '\x07' => " (BEL)",
        '\x08' => " (backspace)",
        '\x0b' => " (vertical tab)",
        '\x0c' => " (form feed)",
        '\x1b' => " (ESC, which starts terminal escape sequences)",
        _ => "",
    };
    format!("the control character U+{:04X}{name} is not allowed in a content file; remove it", c as u32)
}

/// Splits a Markdown file into its YAML front matter and body. Returns the front
/// matter text and the line it starts on (0-based offset), or `None` without one.
pub fn split_front_matter(text: &str) -> Option<(&str, &str)> {
    let rest = text.strip_prefix("---\n")?;
    let mut offset = 0;
    for line in rest.split_inclusive('\n') {
        if line.trim_end() == "---" {
            let body = &rest[offset + line.len()..];
            return Some((&rest[..offset], body));
        }
        offset += line.len();
    }
    None
}

/// Reads one content file again (for `serve`), with the same checks as a full walk.
/// `parts` is its path under `content/`. Returns `None` when the file is gone or
/// unreadable; problems are added to `diagnostics`.
pub fn read_one(root: &Path, parts: &[String], diagnostics: &mut Diagnostics) -> Option<SourceFile> {
    let root = root.canonicalize().ok()?;
    let path = parts.iter().fold(root.join("content"), |p, part| p.join(part));
    let shown = display_path(&root, &path);
    let meta = fs::symlink_metadata(&path).ok()?;
    if meta.file_type().is_symlink() && !stays_inside(&root, &path) {
        diagnostics.error(&shown, Pos::new(1, 1), "", LINK_OUTSIDE.into());
        return None;
    }
    let len = fs::metadata(&path).ok().filter(|m| m.is_file())?.len();
    let text = read_text(&path, &shown, Some(len), diagnostics)?;
    let refused = report_control_characters(&shown, &text, diagnostics);
    Some(SourceFile { path: shown, parts: parts.to_vec(), text, refused })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn front_matter_is_split_from_the_body() {
        let (front, body) = split_front_matter("---\ntitle: x\n---\n# Body\n").unwrap();
        assert_eq!(front, "title: x\n");
        assert_eq!(body, "# Body\n");
        assert!(split_front_matter("# no front matter\n").is_none());
        assert!(split_front_matter("---\ntitle: x\n").is_none());
        // Several lines of front matter, a closing line with trailing spaces.
        let (front, body) = split_front_matter("---\ntitle: x\norder: 2\n---  \nBody\n").unwrap();
        assert_eq!(front, "title: x\norder: 2\n");
        assert_eq!(body, "Body\n");
    }

    /// The diagnostics as (path, line, column, severity, message).
    fn found(diagnostics: &Diagnostics) -> Vec<(String, usize, usize, Severity, String)> {
        diagnostics.sorted().into_iter().map(|d| (d.path, d.line, d.column, d.severity, d.message)).collect()
    }

    use crate::diagnostics::Severity;

    fn site() -> tempfile::TempDir {
        let site = tempfile::tempdir().unwrap();
        fs::create_dir_all(site.path().join("content/areas")).unwrap();
        site
    }

    #[test]
    fn files_are_read_in_order_with_their_parts_crlf_and_bom_removed() {
        let site = site();
        let content = site.path().join("content");
        fs::write(content.join("site.yaml"), "\u{feff}title: x\r\nlanguages: [ar]\r\n").unwrap();
        fs::write(content.join("areas/b.yaml"), "order: 2\n").unwrap();
        fs::write(content.join("areas/a.yaml"), "order: 1\r\n").unwrap();
        let mut diagnostics = Diagnostics::default();
        let files = read_content(site.path(), &mut diagnostics).unwrap();
        assert!(diagnostics.is_empty(), "{:?}", found(&diagnostics));
        let read: Vec<_> = files.iter().map(|f| (f.path.as_str(), f.parts.clone(), f.text.as_str(), f.refused)).collect();
        assert_eq!(
            read,
            [
                ("content/areas/a.yaml", vec!["areas".to_string(), "a.yaml".into()], "order: 1\n", false),
                ("content/areas/b.yaml", vec!["areas".to_string(), "b.yaml".into()], "order: 2\n", false),
                ("content/site.yaml", vec!["site.yaml".to_string()], "title: x\nlanguages: [ar]\n", false),
            ]
        );
    }

    #[cfg(unix)]
    #[test]
    fn broken_looping_and_hidden_broken_links_are_named() {
        use std::os::unix::fs::symlink;
        let site = site();
        let content = site.path().join("content");
        fs::write(content.join("areas/a.yaml"), "order: 1\n").unwrap();
        symlink("gone.yaml", content.join("areas/broken.yaml")).unwrap();
        symlink("gone.yaml", content.join("areas/.hidden-broken.yaml")).unwrap();
        symlink("..", content.join("areas/loop")).unwrap();
        let mut diagnostics = Diagnostics::default();
        let files = read_content(site.path(), &mut diagnostics).unwrap();
        assert_eq!(files.iter().map(|f| f.path.as_str()).collect::<Vec<_>>(), ["content/areas/a.yaml"]);
        let diagnostics = found(&diagnostics);
        assert_eq!(diagnostics.len(), 3, "{diagnostics:#?}");
        assert_eq!(diagnostics[0], ("content/areas/.hidden-broken.yaml".into(), 1, 1, Severity::Warning, HIDDEN_FILE.into()));
        let (path, line, column, severity, message) = &diagnostics[1];
        assert_eq!((path.as_str(), *line, *column, *severity), ("content/areas/broken.yaml", 1, 1, Severity::Error));
        assert!(message.starts_with("could not be read: "), "{message}");
        assert_eq!(
            diagnostics[2],
            ("content/areas/loop".into(), 1, 1, Severity::Error, "this symbolic link makes a loop; it is not followed".into())
        );
    }

    #[test]
    fn an_invalid_byte_is_placed_by_line_and_character() {
        let site = site();
        fs::write(site.path().join("content/areas/a.yaml"), b"title: x\nnom: \xc3\xa9t\xc3\xa9 \xe9\n".as_slice()).unwrap();
        let mut diagnostics = Diagnostics::default();
        assert!(read_content(site.path(), &mut diagnostics).unwrap().is_empty());
        let message = "the file is not valid UTF-8 text; save it with the UTF-8 encoding";
        assert_eq!(found(&diagnostics), [("content/areas/a.yaml".into(), 2, 10, Severity::Error, message.into())]);
    }

    #[test]
    fn a_blank_file_is_empty() {
        let site = site();
        fs::write(site.path().join("content/areas/a.yaml"), " \n\t\n").unwrap();
        let mut diagnostics = Diagnostics::default();
        assert!(read_content(site.path(), &mut diagnostics).unwrap().is_empty());
        assert_eq!(found(&diagnostics), [("content/areas/a.yaml".into(), 1, 1, Severity::Error, "the file is empty".into())]);
    }

    /// Ten control characters are each reported; the eleventh is counted in a last line.
    #[test]
    fn control_characters_are_reported_up_to_ten_then_counted() {
        let mut diagnostics = Diagnostics::default();
        assert!(report_control_characters("f", &format!("a\nb{}", "\u{7}".repeat(10)), &mut diagnostics));
        let positions: Vec<_> = found(&diagnostics).into_iter().map(|d| (d.1, d.2)).collect();
        assert_eq!(positions, (2..12).map(|c| (2, c)).collect::<Vec<_>>());

        let mut diagnostics = Diagnostics::default();
        assert!(report_control_characters("f", &"\u{0}".repeat(12), &mut diagnostics));
        let found = found(&diagnostics);
        assert_eq!(found.len(), 11, "{found:#?}");
        let more = "the file holds 2 more control characters than the 10 reported; it is not read";
        assert_eq!(found.iter().filter(|d| d.4 == more && (d.1, d.2) == (1, 1)).count(), 1, "{found:#?}");
        assert_eq!(found.iter().filter(|d| d.4 == control_message('\0')).map(|d| d.2).max(), Some(10));

        let mut diagnostics = Diagnostics::default();
        assert!(!report_control_characters("f", "a\tb\n", &mut diagnostics));
        assert!(diagnostics.is_empty());
    }

    /// Every C0 control but tab and newline is forbidden; nothing from space up is.
    #[test]
    fn forbidden_controls_are_the_c0_ones_but_tab_and_newline() {
        for c in '\u{0}'..='\u{1f}' {
            assert_eq!(is_forbidden_control(c), c != '\t' && c != '\n', "U+{:04X}", c as u32);
        }
        for c in [' ', 'a', '\u{7f}', '\u{9b}', 'ع'] {
            assert!(!is_forbidden_control(c), "U+{:04X}", c as u32);
        }
    }

    /// Every control character with a name is named; the others by their code alone.
    #[test]
    fn control_characters_are_named() {
        let named = [
            ('\0', "U+0000 (NUL)"),
            ('\r', "U+000D (a carriage return outside a CRLF line end)"),
            ('\x07', "U+0007 (BEL)"),
            ('\x08', "U+0008 (backspace)"),
            ('\x0b', "U+000B (vertical tab)"),
            ('\x0c', "U+000C (form feed)"),
            ('\x1b', "U+001B (ESC, which starts terminal escape sequences)"),
            ('\x01', "U+0001"),
        ];
        for (c, name) in named {
            assert_eq!(control_message(c), format!("the control character {name} is not allowed in a content file; remove it"));
        }
    }

    /// `serve` reads one file again with the checks of the whole walk.
    #[cfg(unix)]
    #[test]
    fn one_file_is_read_again_with_the_same_checks() {
        let site = site();
        let outside = tempfile::tempdir().unwrap();
        let content = site.path().join("content");
        let parts = |name: &str| vec!["areas".to_string(), name.to_string()];
        fs::write(content.join("areas/a.yaml"), "order: 1\r\n").unwrap();
        fs::write(content.join("areas/bell.yaml"), "order: \u{7}\n").unwrap();
        fs::write(outside.path().join("secret.yaml"), "order: 1\n").unwrap();
        std::os::unix::fs::symlink(outside.path().join("secret.yaml"), content.join("areas/secret.yaml")).unwrap();
        std::os::unix::fs::symlink("a.yaml", content.join("areas/inside.yaml")).unwrap();

        let mut diagnostics = Diagnostics::default();
        let file = read_one(site.path(), &parts("a.yaml"), &mut diagnostics).unwrap();
        assert_eq!(
            (file.path.as_str(), file.parts, file.text.as_str(), file.refused),
            ("content/areas/a.yaml", parts("a.yaml"), "order: 1\n", false)
        );
        let file = read_one(site.path(), &parts("inside.yaml"), &mut diagnostics).unwrap();
        assert_eq!((file.path.as_str(), file.text.as_str()), ("content/areas/inside.yaml", "order: 1\n"));
        assert!(diagnostics.is_empty());

        let file = read_one(site.path(), &parts("bell.yaml"), &mut diagnostics).unwrap();
        assert!(file.refused);
        assert_eq!(found(&diagnostics), [("content/areas/bell.yaml".into(), 1, 8, Severity::Error, control_message('\x07'))]);

        let mut diagnostics = Diagnostics::default();
        assert!(read_one(site.path(), &parts("secret.yaml"), &mut diagnostics).is_none());
        assert_eq!(found(&diagnostics), [("content/areas/secret.yaml".into(), 1, 1, Severity::Error, LINK_OUTSIDE.into())]);

        let mut diagnostics = Diagnostics::default();
        assert!(read_one(site.path(), &parts("gone.yaml"), &mut diagnostics).is_none());
        assert!(read_one(site.path(), &["areas".to_string()], &mut diagnostics).is_none());
        assert!(diagnostics.is_empty());
    }

    /// Every link out of the root under a theme folder is named, several in one folder
    /// too; links that stay inside are not.
    #[cfg(unix)]
    #[test]
    fn every_theme_link_leaving_the_root_is_named() {
        use std::os::unix::fs::symlink;
        let site = site();
        let outside = tempfile::tempdir().unwrap();
        fs::write(outside.path().join("secret.txt"), "secret").unwrap();
        let root = site.path();
        fs::create_dir_all(root.join("static/docs")).unwrap();
        fs::write(root.join("static/inside.txt"), "ok").unwrap();
        symlink(outside.path().join("secret.txt"), root.join("static/docs/a.txt")).unwrap();
        symlink("../inside.txt", root.join("static/docs/b.txt")).unwrap();
        symlink(outside.path().join("secret.txt"), root.join("static/docs/c.txt")).unwrap();
        symlink(outside.path().join("secret.txt"), root.join("static/z.txt")).unwrap();
        let mut diagnostics = Diagnostics::default();
        check_theme_links(root, &mut diagnostics);
        let paths: Vec<_> = found(&diagnostics).into_iter().map(|d| (d.0, d.4)).collect();
        assert_eq!(paths, ["static/docs/a.txt", "static/docs/c.txt", "static/z.txt"].map(|p| (p.to_string(), LINK_OUTSIDE.to_string())));
    }
}
