//! The preview server end to end: a real server on a free port, real file edits, the
//! reload event, the new page, the error banner, and path traversal attempts.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use shafaf::serve::{ServeOptions, Server};

const SHEET: &str = "content/plans/2024-2027/commitments/parliament-open-data.yaml";
const PAGE: &str = "/fr/plans/2024-2027/commitments/parliament-open-data/";

fn start() -> (tempfile::TempDir, Server) {
    let dir = tempfile::tempdir().unwrap();
    common::copy_tree(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/valid-site"), dir.path());
    let options = ServeOptions { root: dir.path().to_path_buf(), bind: "127.0.0.1".into(), port: 0 };
    let server = Server::start(&options, |_| {}).unwrap();
    (dir, server)
}

/// Sends a raw HTTP request (the path is sent exactly as given, unnormalised).
fn get(server: &Server, path: &str) -> (u16, String, String) {
    let mut stream = TcpStream::connect(server.address).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    write!(stream, "GET {path} HTTP/1.0\r\nHost: localhost\r\n\r\n").unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    let (head, body) = response.split_once("\r\n\r\n").unwrap_or((&response, ""));
    let status = head.split_whitespace().nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    (status, head.to_string(), body.to_string())
}

/// Opens the event stream and forwards each `data:` line.
fn events(server: &Server) -> mpsc::Receiver<String> {
    let mut stream = TcpStream::connect(server.address).unwrap();
    write!(stream, "GET /__shafaf/events HTTP/1.1\r\nHost: localhost\r\n\r\n").unwrap();
    let (sender, receiver) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stream).lines() {
            let Ok(line) = line else { break };
            if let Some(data) = line.strip_prefix("data: ")
                && sender.send(data.to_string()).is_err()
            {
                break;
            }
        }
    });
    receiver
}

fn wait_for(mut condition: impl FnMut() -> bool) -> bool {
    let deadline = Instant::now() + Duration::from_secs(20);
    while Instant::now() < deadline {
        if condition() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    false
}

fn edit(dir: &Path, from: &str, to: &str) {
    let path = dir.join(SHEET);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{from} not in the sheet");
    std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
}

#[test]
fn an_edit_is_rebuilt_announced_and_served() {
    let (dir, server) = start();
    let (status, head, body) = get(&server, PAGE);
    assert_eq!(status, 200);
    assert!(head.to_lowercase().contains("content-type: text/html; charset=utf-8"));
    assert!(body.contains("aria-valuenow=65"), "the page shows the sheet's progress");
    assert!(body.contains("/__shafaf/live.js"), "served pages carry the reload script");

    let events = events(&server);
    let first = events.recv_timeout(Duration::from_secs(10)).expect("the stream sends the current generation");
    edit(dir.path(), "progress: 65", "progress: 80");
    let next = events.recv_timeout(Duration::from_secs(20)).expect("a reload event after the edit");
    assert_ne!(first, next);
    assert!(wait_for(|| get(&server, PAGE).2.contains("aria-valuenow=80")), "the new progress is served");
    // The feeds follow the page.
    assert!(wait_for(|| get(&server, "/data/v1/plans/2024-2027/commitments/parliament-open-data.json").2.contains("80")));
    server.stop();
}

#[test]
fn a_broken_file_shows_an_error_and_the_server_keeps_running() {
    let (dir, server) = start();
    edit(dir.path(), "progress: 65", "progress: 650");
    assert!(wait_for(|| get(&server, "/ar/").2.contains("shafaf-errors")), "every page shows the error banner");
    let (_, _, body) = get(&server, PAGE);
    assert!(body.contains("parliament-open-data.yaml:12:11"), "the banner names file, line and column: {body}");
    assert!(body.contains("is outside 0..100"));
    edit(dir.path(), "progress: 650", "progress: 70");
    assert!(
        wait_for(|| {
            let (_, _, body) = get(&server, PAGE);
            !body.contains("shafaf-errors") && body.contains("aria-valuenow=70")
        }),
        "fixing the file brings the page back"
    );
    server.stop();
}

#[test]
fn nothing_outside_the_site_is_served() {
    let (_dir, server) = start();
    for path in [
        "/../Cargo.toml",
        "/%2e%2e/Cargo.toml",
        "/%2E%2E/%2E%2E/etc/passwd",
        "/ar/..%2f..%2fCargo.toml",
        "/..%5cCargo.toml",
        "/content/site.yaml",
        "/%00",
    ] {
        let (status, _, body) = get(&server, path);
        assert_eq!(status, 404, "{path}");
        assert!(!body.contains("[package]") && !body.contains("root:"), "{path} leaked a file");
    }
    let (status, head, _) = get(&server, "/fr");
    assert_eq!(status, 301);
    assert!(head.contains("Location: /fr/"));
    let (status, head, _) = get(&server, "/data/v1/index.json");
    assert_eq!(status, 200);
    assert!(head.to_lowercase().contains("content-type: application/json"));
    let (status, head, _) = get(&server, "/sitemap.xml");
    assert_eq!(status, 200);
    assert!(head.to_lowercase().contains("application/xml"));
    server.stop();
}
