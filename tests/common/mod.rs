//! Helpers shared by the integration tests.

use std::fs;
use std::path::{Path, PathBuf};

/// Copies a directory tree (fixtures hold no symlinks).
pub fn copy_tree(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// Gives the site at `root` its own template of the area pages, the default one with a
/// trap: it cannot render a commitment whose title says BOOM (it prints a value that
/// does not exist). A part of the work that fails, on demand.
#[allow(dead_code)]
pub fn area_pages_fail_on_boom(root: &Path) {
    let group = fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/templates/group.html")).unwrap();
    let trap = "{% for c in data.group.commitments %}{% if \"BOOM\" in c.title.text %}{{ no_such_value }}{% endif %}{% endfor %}";
    fs::create_dir_all(root.join("templates")).unwrap();
    fs::write(root.join("templates/group.html"), group.replacen("{% block main %}", &format!("{{% block main %}}{trap}"), 1)).unwrap();
}

/// Every file under `ROOT/content/` with its bytes, sorted, for "nothing changed"
/// assertions.
#[allow(dead_code)] // each test crate compiles this module; not all of them use it
pub fn content_snapshot(root: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut files = Vec::new();
    let mut stack = vec![root.join("content")];
    while let Some(dir) = stack.pop() {
        for entry in fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() { stack.push(path) } else { files.push((path.clone(), fs::read(&path).unwrap())) }
        }
    }
    files.sort();
    files
}

/// A Python that can import `module`: $SHAFAF_PYTHON, else the virtual environment
/// scripts/test.sh installs the tests' Python packages into, else python3. A missing
/// module fails the test, naming how to install it.
#[allow(dead_code)]
pub fn python_with(module: &str) -> PathBuf {
    let venv = std::env::var_os("SHAFAF_FEEDS_VENV")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache/shafaf-feeds-venv")));
    let candidates = std::env::var_os("SHAFAF_PYTHON")
        .map(PathBuf::from)
        .into_iter()
        .chain(venv.map(|v| v.join("bin/python")))
        .chain([PathBuf::from("python3")]);
    for python in candidates {
        let import = format!("import {module}");
        if std::process::Command::new(&python).args(["-c", &import]).output().is_ok_and(|o| o.status.success()) {
            return python;
        }
    }
    panic!("{module} is missing: run scripts/test.sh, which installs it, or pip install {module} and set SHAFAF_PYTHON");
}
