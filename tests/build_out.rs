//! `shafaf build --out`: what it may replace, what it must refuse before touching
//! anything, and that a failed build leaves the previous site as it was.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn shafaf(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_shafaf")).args(args).output().expect("run shafaf")
}

/// A copy of the valid fixture site in a fresh folder.
fn site() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    common::copy_tree(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/valid-site"), &root);
    (dir, root)
}

/// Every file under `dir` with its bytes, sorted, for before/after comparisons.
fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut files: Vec<_> = walk(dir).into_iter().map(|p| (p.strip_prefix(dir).unwrap().to_path_buf(), fs::read(&p).unwrap())).collect();
    files.sort();
    files
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() { found.extend(walk(&path)) } else { found.push(path) }
    }
    found
}

fn build(root: &Path, out: &Path, extra: &[&str]) -> Output {
    let mut args = vec!["build", "--quiet", "--as-of", "2025-01-01", "--root", root.to_str().unwrap(), "--out", out.to_str().unwrap()];
    args.extend_from_slice(extra);
    shafaf(&args)
}

#[test]
fn an_out_that_touches_the_sources_is_refused_and_nothing_is_lost() {
    let (_dir, root) = site();
    fs::create_dir_all(root.join("static")).unwrap();
    fs::write(root.join("static/CNAME"), "example.org").unwrap();
    let before = snapshot(&root);
    let outs = [
        "content",
        "content/plans",
        "content/plans/2024-2027/commitments",
        "content/new-folder",
        ".",
        "static",
        "themes",
        "templates/x",
        "content/../content",
        "public/../content/areas",
    ];
    for out in outs {
        for force in [&[][..], &["--force"][..]] {
            let result = build(&root, &root.join(out), force);
            let stderr = String::from_utf8_lossy(&result.stderr);
            assert_eq!(result.status.code(), Some(2), "--out {out} {force:?}: {stderr}");
            assert!(stderr.contains(&root.join(out).display().to_string()), "names the output: {stderr}");
            assert!(stderr.contains(&root.canonicalize().unwrap().display().to_string()), "names the sources: {stderr}");
            assert_eq!(snapshot(&root), before, "--out {out} {force:?} changed the site");
        }
    }
    let parent = root.parent().unwrap();
    let result = build(&root, parent, &["--force"]);
    assert_eq!(result.status.code(), Some(2), "the root's parent contains the root");
    assert_eq!(snapshot(&root), before);
}

#[test]
fn a_symlink_to_the_sources_is_seen_through() {
    let (dir, root) = site();
    let alias = dir.path().join("alias");
    std::os::unix::fs::symlink(root.join("content"), &alias).unwrap();
    let before = snapshot(&root);
    for out in [alias.join("plans"), alias.clone(), alias.join("..").join("content")] {
        let result = build(&root, &out, &["--force"]);
        assert_eq!(result.status.code(), Some(2), "--out {}", out.display());
    }
    assert_eq!(snapshot(&root), before);
}

#[test]
fn a_folder_shafaf_did_not_write_needs_force_and_is_named() {
    let (dir, root) = site();
    let out = dir.path().join("thesis");
    fs::create_dir_all(&out).unwrap();
    fs::write(out.join("chapter-1.md"), "months of work").unwrap();
    let refused = build(&root, &out, &[]);
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert_eq!(refused.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("chapter-1.md") && stderr.contains("--force"), "{stderr}");
    assert_eq!(fs::read_to_string(out.join("chapter-1.md")).unwrap(), "months of work");

    let forced = build(&root, &out, &["--force"]);
    assert!(forced.status.success(), "{}", String::from_utf8_lossy(&forced.stderr));
    assert!(String::from_utf8_lossy(&forced.stderr).contains("chapter-1.md"), "--force says what it removes");
    assert!(!out.join("chapter-1.md").exists());
    assert!(out.join("index.html").exists());

    // Now it is shafaf's own: rebuilt without --force.
    let again = build(&root, &out, &[]);
    assert!(again.status.success(), "{}", String::from_utf8_lossy(&again.stderr));
}

#[test]
fn an_empty_or_missing_folder_is_built_and_a_file_is_refused() {
    let (dir, root) = site();
    let empty = dir.path().join("empty");
    fs::create_dir_all(&empty).unwrap();
    assert!(build(&root, &empty, &[]).status.success());
    assert!(build(&root, &dir.path().join("new/deeper/public"), &[]).status.success());

    let file = dir.path().join("notes.txt");
    fs::write(&file, "keep").unwrap();
    let result = build(&root, &file, &["--force"]);
    assert_eq!(result.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&result.stderr).contains("is a file"));
    assert_eq!(fs::read_to_string(&file).unwrap(), "keep");

    let link = dir.path().join("link");
    std::os::unix::fs::symlink(&empty, &link).unwrap();
    let result = build(&root, &link, &["--force"]);
    assert_eq!(result.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&result.stderr).contains("symbolic link"));
}

#[test]
fn a_failed_build_leaves_the_previous_site_intact() {
    let (dir, root) = site();
    let out = dir.path().join("public");
    assert!(build(&root, &out, &[]).status.success());
    let published = snapshot(&out);
    assert!(published.iter().any(|(p, _)| p.ends_with("index.html")));

    // A broken sheet: content errors, nothing written.
    let sheet = root.join("content/plans/2024-2027/commitments/open-data.yaml");
    let original = fs::read_to_string(&sheet).unwrap();
    fs::write(&sheet, original.replacen("number:", "numbr:", 1)).unwrap();
    assert_eq!(build(&root, &out, &[]).status.code(), Some(1));
    assert_eq!(snapshot(&out), published);

    // A failure while writing (a theme template that does not render): same.
    fs::write(&sheet, &original).unwrap();
    fs::create_dir_all(root.join("themes/default/templates")).unwrap();
    fs::write(root.join("themes/default/templates/base.html"), "{{ undefined_value | no_such_filter }}").unwrap();
    let failed = build(&root, &out, &[]);
    assert!(!failed.status.success(), "a broken template fails the build");
    assert_eq!(snapshot(&out), published);
    let leftovers: Vec<_> = fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(leftovers.len(), 2, "no staging folder left beside the output: {leftovers:?}");
}
