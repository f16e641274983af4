//! The theme's scripts as a site serves them: minified, named by the hash of the bytes
//! served, and a site's own script that cannot be minified written as it is, with a
//! warning that names it, never a failed build.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use sha2::{Digest, Sha256};

/// Builds a copy of the valid fixture site with `scripts` added to its theme's static
/// folder; returns the output folder and what the build printed on stderr.
fn build_with(scripts: &[(&str, &str)]) -> (tempfile::TempDir, PathBuf, String) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    common::copy_tree(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/valid-site"), &root);
    let theme = root.join("themes/default/static");
    fs::create_dir_all(&theme).unwrap();
    for (name, text) in scripts {
        fs::write(theme.join(name), text).unwrap();
    }
    let out = dir.path().join("public");
    let run = Command::new(env!("CARGO_BIN_EXE_shafaf"))
        .args(["build", "--quiet", "--as-of", "2025-01-01", "--root", root.to_str().unwrap(), "--out", out.to_str().unwrap()])
        .output()
        .unwrap();
    let stderr = String::from_utf8(run.stderr).unwrap();
    assert!(run.status.success(), "the build fails: {stderr}");
    (dir, out, stderr)
}

/// The one file `assets/<stem>.<8 hex>.js` and its bytes.
fn asset(out: &Path, stem: &str) -> (String, Vec<u8>) {
    let found: Vec<String> = fs::read_dir(out.join("assets"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|name| {
            name.strip_prefix(&format!("{stem}."))
                .and_then(|rest| rest.strip_suffix(".js"))
                .is_some_and(|hash| hash.len() == 8 && hash.bytes().all(|b| b.is_ascii_hexdigit()))
        })
        .collect();
    assert_eq!(found.len(), 1, "{stem}: {found:?}");
    let bytes = fs::read(out.join("assets").join(&found[0])).unwrap();
    (found[0].clone(), bytes)
}

fn hash_of(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().take(4).map(|b| format!("{b:02x}")).collect()
}

#[test]
fn scripts_are_served_minified_under_the_hash_of_what_is_served() {
    let own = "// The site's own script.\nfunction portalGreeting(visitorName) {\n  return 'marhaba ' + visitorName;\n}\n";
    let (_dir, out, stderr) = build_with(&[("greeting.js", own)]);
    assert!(!stderr.contains("warning"), "{stderr}");

    let source = include_str!("../themes/default/static/search.js");
    let (name, served) = asset(&out, "search");
    assert_eq!(name, format!("search.{}.js", hash_of(&served)));
    let served = String::from_utf8(served).unwrap();
    assert!(served.len() * 10 < source.len() * 6, "search.js is not minified: {} of {} bytes", served.len(), source.len());
    assert!(!served.contains("// Client-side search"), "comments stay in the served search.js");
    // The page loads the file it names.
    let page = fs::read_to_string(out.join("fr/search/index.html")).unwrap();
    assert!(page.contains(&format!("/assets/{name}\"")), "the search page does not load {name}");

    // The stemmer keeps its licence and its global name.
    let (_, stemmer) = asset(&out, "snowball-french");
    let stemmer = String::from_utf8(stemmer).unwrap();
    assert!(stemmer.starts_with("/*! The Snowball French stemmer"), "{}", &stemmer[..80]);
    assert!(stemmer.contains("The MIT License (MIT)"));
    assert!(stemmer.contains("FrenchStemmer"));

    let (name, served) = asset(&out, "greeting");
    assert_eq!(name, format!("greeting.{}.js", hash_of(&served)));
    let served = String::from_utf8(served).unwrap();
    assert!(served.contains("function portalGreeting("), "{served}");
    assert!(!served.contains("visitorName") && !served.contains("own script"), "{served}");
}

#[test]
fn a_script_that_cannot_be_minified_is_written_as_it_is_with_a_warning() {
    let broken = "// Half written.\nfunction greet(name) {\n  return 'hello ' + ;\n}\n";
    let (_dir, out, stderr) = build_with(&[("broken.js", broken)]);
    assert!(stderr.contains("warning: themes/default/static/broken.js: cannot minify it"), "{stderr}");
    assert!(stderr.contains("line 3"), "{stderr}");
    let (name, served) = asset(&out, "broken");
    assert_eq!(served, broken.as_bytes());
    assert_eq!(name, format!("broken.{}.js", hash_of(broken.as_bytes())));
    // The theme's own scripts are minified all the same.
    let (_, search) = asset(&out, "search");
    assert!(!String::from_utf8(search).unwrap().contains("// Client-side search"));
}
