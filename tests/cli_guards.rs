//! The command line's guards, run as a user runs them: `serve --bind` says where it
//! really listens and warns when that is not loopback, `serve --root` of a missing
//! folder names it, `--base-url` and `base_url` accept only http(s) addresses or root
//! paths, and every built page carries its Content-Security-Policy.

mod common;

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

const BIN: &str = env!("CARGO_BIN_EXE_shafaf");

fn fixture() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    common::copy_tree(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/valid-site"), dir.path());
    dir
}

/// Starts `shafaf serve` with `args` and returns its standard error up to and including
/// the line that says where it serves (or all of it, if it ends first), then stops it.
fn serve_banner(root: &Path, args: &[&str]) -> String {
    let mut child =
        Command::new(BIN).arg("serve").arg("--root").arg(root).args(args).stdout(Stdio::null()).stderr(Stdio::piped()).spawn().unwrap();
    let stderr = child.stderr.take().unwrap();
    let (sender, lines) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines() {
            let Ok(line) = line else { break };
            if sender.send(line).is_err() {
                break;
            }
        }
    });
    let mut text = String::new();
    let mut seen_serving = false;
    // The line after "serving" may be the warning; collect a little past it.
    while let Ok(line) = lines.recv_timeout(if seen_serving { Duration::from_millis(500) } else { Duration::from_secs(60) }) {
        seen_serving |= line.starts_with("serving");
        text.push_str(&line);
        text.push('\n');
    }
    let _ = child.kill();
    let _ = child.wait();
    text
}

#[test]
fn serve_on_every_interface_says_so_and_warns() {
    let dir = fixture();
    let text = serve_banner(dir.path(), &["--bind", "0.0.0.0", "--port", "0"]);
    let serving = text.lines().find(|l| l.starts_with("serving")).unwrap_or_else(|| panic!("no serving line in:\n{text}"));
    assert!(serving.contains("http://0.0.0.0:"), "the real address is printed: {serving}");
    assert!(text.contains("warning:") && text.contains("other machines"), "a warning about the unpublished site:\n{text}");
    assert!(text.contains("unpublished site"), "{text}");
}

#[test]
fn serve_on_loopback_does_not_warn() {
    let dir = fixture();
    let text = serve_banner(dir.path(), &["--bind", "127.0.0.1", "--port", "0"]);
    assert!(text.lines().any(|l| l.starts_with("serving") && l.contains("http://127.0.0.1:")), "{text}");
    assert!(!text.contains("warning:"), "{text}");
}

#[test]
fn serve_of_a_missing_root_names_it_and_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("no-such-site");
    let out = Command::new(BIN).arg("serve").arg("--root").arg(&missing).args(["--port", "0"]).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert_eq!(stderr.trim().lines().count(), 1, "one plain sentence: {stderr}");
    assert!(stderr.contains(&missing.display().to_string()) && stderr.contains("does not exist"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn serve_of_a_file_as_root_says_it_is_not_a_folder_and_exits_2() {
    let dir = fixture();
    let file = dir.path().join("content/site.yaml");
    let mut child = Command::new(BIN)
        .arg("serve")
        .arg("--root")
        .arg(&file)
        .args(["--port", "0"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Taken for a site, the file would be served until stopped.
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    while child.try_wait().unwrap().is_none() && std::time::Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
    if child.try_wait().unwrap().is_none() {
        let _ = child.kill();
        let _ = child.wait();
        panic!("serve --root of a file is still running");
    }
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert_eq!(stderr.trim().lines().count(), 1, "one plain sentence: {stderr}");
    assert!(stderr.contains(&file.display().to_string()) && stderr.contains("is a file, not a folder"), "{stderr}");
}

#[test]
fn build_refuses_a_base_url_that_is_not_http_or_a_root_path() {
    let dir = fixture();
    for bad in ["javascript:alert(1)//", "//evil.example/", "data:text/html,x", "https://good.ma@evil.example/"] {
        let out_dir = dir.path().join("public");
        let out = Command::new(BIN)
            .args(["build", "--quiet", "--root"])
            .arg(dir.path())
            .arg("--out")
            .arg(&out_dir)
            .args(["--base-url", bad])
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{bad}: {stderr}");
        assert!(stderr.contains("--base-url") && stderr.contains("not a usable base URL"), "{bad}: {stderr}");
        assert!(!out_dir.exists(), "{bad}: nothing is written");
    }
    for good in ["https://example.org/sub/path/", "/sub/path/"] {
        let out_dir = dir.path().join("public");
        let out = Command::new(BIN)
            .args(["build", "--quiet", "--root"])
            .arg(dir.path())
            .arg("--out")
            .arg(&out_dir)
            .args(["--base-url", good])
            .output()
            .unwrap();
        assert!(out.status.success(), "{good}: {}", String::from_utf8_lossy(&out.stderr));
        let home = std::fs::read_to_string(out_dir.join("fr/index.html")).unwrap();
        assert!(home.contains("/sub/path/fr/"), "{good}: links use the base path");
    }
}

#[test]
fn site_yaml_base_url_follows_the_same_rule() {
    let dir = fixture();
    let site = dir.path().join("content/site.yaml");
    let text = std::fs::read_to_string(&site).unwrap();
    let line = text.lines().find(|l| l.starts_with("base_url:")).expect("the fixture has a base_url").to_string();
    std::fs::write(&site, text.replace(&line, "base_url: https://good.ma@evil.example/")).unwrap();
    let out = Command::new(BIN).args(["check", "--root"]).arg(dir.path()).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("not a usable base URL") && stderr.contains("user information"), "{stderr}");
}

#[test]
fn every_page_carries_a_strict_content_security_policy() {
    let dir = fixture();
    let out_dir = dir.path().join("public");
    let out = Command::new(BIN).args(["build", "--quiet", "--root"]).arg(dir.path()).arg("--out").arg(&out_dir).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let mut pages = 0;
    for entry in walkdir::WalkDir::new(&out_dir) {
        let entry = entry.unwrap();
        if !entry.file_name().to_string_lossy().ends_with(".html") {
            continue;
        }
        pages += 1;
        let html = std::fs::read_to_string(entry.path()).unwrap();
        let shown = entry.path().strip_prefix(&out_dir).unwrap().display().to_string();
        let head = &html[..html.find("</head>").unwrap_or(html.len())];
        let csp = head.find("http-equiv=Content-Security-Policy").or_else(|| head.find("http-equiv=\"Content-Security-Policy\""));
        let csp = csp.unwrap_or_else(|| panic!("{shown} has no Content-Security-Policy meta"));
        // The minifier may put `content` before `http-equiv`: take the whole tag.
        let start = head[..csp].rfind("<meta").unwrap();
        let policy = &head[start..start + head[start..].find('>').unwrap()];
        for directive in ["default-src 'self'", "script-src 'self'", "style-src 'self'", "object-src 'none'", "base-uri 'self'"] {
            assert!(policy.contains(directive), "{shown}: {directive}");
        }
        assert!(!policy.contains("unsafe-inline"), "{shown}");
        // Nothing the policy would block: no style attribute, no inline script (a JSON-LD
        // data block aside), no event handler attribute.
        assert!(!html.contains(" style="), "{shown} has a style attribute");
        for (at, _) in html.match_indices("<script") {
            let tag = &html[at..at + html[at..].find('>').unwrap()];
            assert!(tag.contains(" src=") || tag.contains("application/ld+json"), "{shown}: inline script {tag}");
        }
        assert!(!html.contains(" onload=") && !html.contains(" onclick="), "{shown}");
    }
    assert!(pages > 10, "{pages} pages");
}
