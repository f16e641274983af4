//! The preview server end to end: a real server on a free port, real file edits, the
//! reload event, the new page, the error banner, and path traversal attempts.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use shafaf::serve::interrupt::{Interrupt, is_interruption};
use shafaf::serve::site::{LiveSite, Rebuilt, Step};
use shafaf::serve::{ServeOptions, Server};

const SHEET: &str = "content/plans/2024-2027/commitments/parliament-open-data.yaml";
const PAGE: &str = "/fr/plans/2024-2027/commitments/parliament-open-data/";

fn start() -> (tempfile::TempDir, Server) {
    start_with(|_| {})
}

/// Starts a server on a copy of the valid fixture, after `setup` has changed the copy.
fn start_with(setup: impl FnOnce(&Path)) -> (tempfile::TempDir, Server) {
    let dir = tempfile::tempdir().unwrap();
    common::copy_tree(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/valid-site"), dir.path());
    setup(dir.path());
    let options = ServeOptions { root: dir.path().to_path_buf(), bind: "127.0.0.1".into(), port: 0 };
    let server = Server::start(&options, |_| {}).unwrap();
    (dir, server)
}

/// Sends a raw HTTP GET (the path is sent exactly as given, unnormalised).
fn get(server: &Server, path: &str) -> (u16, String, String) {
    request(server, "GET", path)
}

/// Sends a raw HTTP request: status, head and body of the answer.
fn request(server: &Server, method: &str, path: &str) -> (u16, String, String) {
    let mut stream = TcpStream::connect(server.address).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    write!(stream, "{method} {path} HTTP/1.0\r\nHost: localhost\r\n\r\n").unwrap();
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
    assert!(body.contains("aria-valuenow=\"65\""), "the page shows the sheet's progress");
    assert!(body.contains("/__shafaf/live.js"), "served pages carry the reload script");

    let events = events(&server);
    let first = events.recv_timeout(Duration::from_secs(10)).expect("the stream sends the current generation");
    edit(dir.path(), "progress: 65", "progress: 80");
    let next = events.recv_timeout(Duration::from_secs(20)).expect("a reload event after the edit");
    assert_ne!(first, next);
    assert!(wait_for(|| get(&server, PAGE).2.contains("aria-valuenow=\"80\"")), "the new progress is served");
    // The feeds follow the page.
    assert!(wait_for(|| get(&server, "/data/v1/plans/2024-2027/commitments/parliament-open-data.json").2.contains("80")));
    server.stop();
}

/// A preview runs for hours: on transparent huge pages, the kernel folds the memory
/// the allocator hands back into 2 MiB pages again and idle memory climbs with every
/// edit (issue 23). The server takes its process off them (Linux's per-process flag,
/// shown in /proc as `THP_enabled`).
#[cfg(target_os = "linux")]
#[test]
fn the_server_keeps_its_process_off_transparent_huge_pages() {
    let (_dir, server) = start();
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let flag = status.lines().find_map(|line| line.strip_prefix("THP_enabled:")).expect("the kernel shows the flag");
    assert_eq!(flag.trim(), "0", "{status}");
    server.stop();
}

/// Once stopped, the server answers no more requests.
#[test]
fn a_stopped_server_answers_no_more() {
    let (_dir, server) = start();
    let address = server.address;
    assert_eq!(get(&server, "/fr/").0, 200);
    server.stop();
    let answer = TcpStream::connect(address).map(|mut stream| {
        stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        write!(stream, "GET /fr/ HTTP/1.0\r\nHost: localhost\r\n\r\n").unwrap();
        let mut answer = String::new();
        let _ = stream.read_to_string(&mut answer);
        answer
    });
    assert!(answer.as_deref().is_ok_and(str::is_empty) || answer.is_err(), "{answer:?}");
}

/// What the server logs, for the one test that reads it.
static LOG: std::sync::Mutex<Vec<String>> = std::sync::Mutex::new(Vec::new());

fn log_line(line: &str) {
    LOG.lock().unwrap().push(line.to_string());
}

/// The terminal says what the server built and, when there are content errors, how
/// many and which: nothing about errors while there are none.
#[test]
fn the_log_counts_the_files_built_and_lists_content_errors_when_there_are_some() {
    let dir = tempfile::tempdir().unwrap();
    common::copy_tree(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/valid-site"), dir.path());
    let options = ServeOptions { root: dir.path().to_path_buf(), bind: "127.0.0.1".into(), port: 0 };
    let server = Server::start(&options, log_line).unwrap();
    let log = LOG.lock().unwrap().clone();
    assert!(log[0].starts_with("built 140 files (1 MB in memory, compressed) in "), "{log:#?}");
    assert!(log.iter().any(|l| l.starts_with("serving ")), "{log:#?}");
    assert!(!log.iter().any(|l| l.contains("content errors")), "{log:#?}");
    // An edit: its own pages, then each part of the work it left.
    edit(dir.path(), "progress: 65", "progress: 80");
    let parts = [
        "parliament-open-data.yaml: rebuilt 4 pages (4 files) and reloaded in ",
        "  pages that list it: 34 pages (41 files) in ",
        "  open data: 27 files in ",
        "  search: 30 files in ",
    ];
    let logged = || {
        let log = LOG.lock().unwrap();
        let lines: Vec<&String> = log.iter().filter(|l| parts.iter().any(|p| l.starts_with(p.get(..12).unwrap()))).collect();
        lines.len() == parts.len() && lines.iter().zip(parts).all(|(line, part)| line.starts_with(part))
    };
    assert!(wait_for(logged), "{:#?}", LOG.lock().unwrap());
    assert!(!LOG.lock().unwrap().iter().any(|l| l.contains("content errors")));
    edit(dir.path(), "progress: 80", "progress: 800");
    let listed = |log: &[String]| {
        log.iter().position(|l| l == "1 content errors (shown on every page until fixed):").is_some_and(|at| {
            log.get(at + 1).is_some_and(|l| l.starts_with("  ") && l.contains("parliament-open-data.yaml") && l.contains("0..100"))
        })
    };
    assert!(wait_for(|| listed(&LOG.lock().unwrap())), "{:#?}", LOG.lock().unwrap());
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
            !body.contains("shafaf-errors") && body.contains("aria-valuenow=\"70\"")
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

/// The `Location` header of a response head, if any.
fn location(head: &str) -> Option<String> {
    head.lines().find_map(|l| l.strip_prefix("Location: ").or_else(|| l.strip_prefix("location: "))).map(str::to_string)
}

#[test]
fn a_folder_with_a_non_ascii_name_redirects_and_never_downs_a_thread() {
    // Names from the site's own static/ folder are free: an Arabic folder name.
    let (_dir, server) = start_with(|root| {
        std::fs::create_dir_all(root.join("static/تقارير")).unwrap();
        std::fs::write(root.join("static/تقارير/index.html"), "<!DOCTYPE html><html><body>reports</body></html>").unwrap();
    });
    let encoded = "/%D8%AA%D9%82%D8%A7%D8%B1%D9%8A%D8%B1";
    // More requests than the server has threads: each one used to panic its thread.
    for _ in 0..10 {
        let (status, head, _) = get(&server, encoded);
        assert_eq!(status, 301, "{head}");
        assert_eq!(location(&head).as_deref(), Some("/%D8%AA%D9%82%D8%A7%D8%B1%D9%8A%D8%B1/"), "{head}");
    }
    let (status, _, body) = get(&server, &format!("{encoded}/"));
    assert_eq!(status, 200);
    assert!(body.contains("reports"));
    let (status, _, _) = get(&server, "/fr/");
    assert_eq!(status, 200, "the server still answers");
    server.stop();
}

#[test]
fn redirects_stay_on_this_server_and_keep_the_query() {
    let (_dir, server) = start();
    for (path, want) in [
        ("/fr", "/fr/"),
        ("//fr", "/fr/"),
        ("///fr", "/fr/"),
        ("//fr?x=1", "/fr/?x=1"),
        ("/fr?x=1", "/fr/?x=1"),
        ("/fr?q=%C3%A9t%C3%A9&p=2", "/fr/?q=%C3%A9t%C3%A9&p=2"),
        ("/fr?a=<b>", "/fr/?a=%3Cb%3E"),
        ("/fr/plans/2024-2027", "/fr/plans/2024-2027/"),
    ] {
        let (status, head, _) = get(&server, path);
        assert_eq!(status, 301, "{path}: {head}");
        let location = location(&head).unwrap_or_default();
        assert_eq!(location, want, "{path}");
        assert!(location.starts_with('/') && !location.starts_with("//") && !location.starts_with("/\\"), "{path} -> {location}");
    }
    server.stop();
}

#[test]
fn an_encoded_slash_is_never_a_separator() {
    let (_dir, server) = start();
    for path in [
        // Once a separator, this named the plan page; and /%2Far redirected to //ar/,
        // another host for a browser.
        "/fr%2Fplans%2F2024-2027/",
        "/fr%2fplans%2f2024-2027",
        "/%2Ffr",
        "/%2F%2Ffr",
        "/%5Cfr",
        "/fr/..%2F..%2FCargo.toml",
        "/fr%2F..%2F..%2FCargo.toml",
    ] {
        let (status, head, body) = get(&server, path);
        assert_eq!(status, 404, "{path}: {head}");
        assert!(location(&head).is_none(), "{path}: {head}");
        assert!(!body.contains("[package]"), "{path} leaked a file");
    }
    server.stop();
}

/// The value of a header in a response head, by its name in any case.
fn header(head: &str, name: &str) -> Option<String> {
    head.lines().find_map(|l| l.split_once(':').filter(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.trim().to_string()))
}

#[test]
fn head_answers_the_size_without_the_body_and_other_methods_are_refused() {
    let (_dir, server) = start();
    let (status, _, page) = get(&server, PAGE);
    assert_eq!(status, 200);
    let (status, head, body) = request(&server, "HEAD", PAGE);
    assert_eq!(status, 200, "{head}");
    assert_eq!(header(&head, "Content-Length"), Some(page.len().to_string()), "{head}");
    assert_eq!(header(&head, "Content-Type").as_deref(), Some("text/html; charset=utf-8"));
    assert!(body.is_empty(), "a HEAD answer has no body: {body}");
    let (status, _, body) = request(&server, "POST", PAGE);
    assert_eq!(status, 405);
    assert!(!body.contains("aria-valuenow"), "no page for a POST");
}

#[test]
fn every_answer_is_fresh_and_typed_and_the_preview_files_are_served() {
    let (_dir, server) = start();
    for path in [PAGE, "/no/such/page/", "/__shafaf/live.js", "/__shafaf/banner.css"] {
        let (_, head, _) = get(&server, path);
        assert_eq!(header(&head, "Cache-Control").as_deref(), Some("no-store"), "{path}: an edit must show on reload");
        assert_eq!(header(&head, "X-Content-Type-Options").as_deref(), Some("nosniff"), "{path}");
    }
    let (status, head, script) = get(&server, "/__shafaf/live.js?v=2");
    assert_eq!(status, 200);
    assert_eq!(header(&head, "Content-Type").as_deref(), Some("text/javascript; charset=utf-8"));
    assert!(script.contains("new EventSource(\"/__shafaf/events\")") && script.contains("window.location.reload()"), "{script}");
    let (status, head, css) = get(&server, "/__shafaf/banner.css");
    assert_eq!(status, 200);
    assert_eq!(header(&head, "Content-Type").as_deref(), Some("text/css; charset=utf-8"));
    assert!(css.starts_with("#shafaf-errors{"), "{css}");
    let (status, head, missing) = get(&server, "/no/such/page/");
    assert_eq!(status, 404);
    assert_eq!(header(&head, "Content-Type").as_deref(), Some("text/html; charset=utf-8"));
    assert!(missing.contains("/__shafaf/live.js"), "the 404 page reloads too, once the page exists");
}

#[test]
fn an_idle_event_stream_stays_quiet() {
    let (_dir, server) = start();
    let mut stream = TcpStream::connect(server.address).unwrap();
    write!(stream, "GET /__shafaf/events HTTP/1.1\r\nHost: localhost\r\n\r\n").unwrap();
    stream.set_read_timeout(Some(Duration::from_millis(200))).unwrap();
    let mut received = Vec::new();
    let deadline = Instant::now() + Duration::from_millis(1500);
    let mut buffer = [0u8; 4096];
    while Instant::now() < deadline {
        match stream.read(&mut buffer) {
            Ok(0) => break,
            Ok(n) => received.extend_from_slice(&buffer[..n]),
            Err(_) => {}
        }
    }
    let text = String::from_utf8_lossy(&received);
    assert!(text.contains("Content-Type: text/event-stream") && text.contains("\ndata: "), "{text}");
    // One keep-alive comment every 15 s, not a stream of them that keeps a core busy.
    assert!(!text.contains(": ping"), "{} bytes: {}", text.len(), &text[..text.len().min(400)]);
}

#[test]
fn the_first_thing_the_stream_sends_after_an_edit_is_the_reload() {
    let (dir, server) = start();
    let mut stream = TcpStream::connect(server.address).unwrap();
    write!(stream, "GET /__shafaf/events HTTP/1.1\r\nHost: localhost\r\n\r\n").unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    let mut lines = BufReader::new(stream).lines().map_while(Result::ok).filter(|l| l.starts_with("data: ") || l.starts_with(':'));
    let first = lines.next().expect("the stream sends the current generation");
    assert!(first.starts_with("data: "), "{first}");
    edit(dir.path(), "progress: 65", "progress: 80");
    // A keep-alive comment in its place would leave the page stale until the next one.
    let next = lines.next().expect("a message after the edit");
    assert!(next.starts_with("data: ") && next != first, "{first} then {next}");
}

/// Sends a GET with an `Accept-Encoding` header: the head and the raw bytes of the body.
fn get_encoded(server: &Server, path: &str, accept_encoding: &str) -> (String, Vec<u8>) {
    let mut stream = TcpStream::connect(server.address).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    write!(stream, "GET {path} HTTP/1.0\r\nHost: localhost\r\nAccept-Encoding: {accept_encoding}\r\n\r\n").unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).unwrap();
    let split = response.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
    (String::from_utf8(response[..split].to_vec()).unwrap(), response[split + 4..].to_vec())
}

/// The preview keeps its files gzipped in memory and hands them over as they are to a
/// browser that takes gzip; the bytes decode to the file that others get plain.
#[test]
fn feeds_are_served_gzipped_to_whoever_takes_gzip_and_plain_to_the_others() {
    let (_dir, server) = start();
    let feed = "/data/v1/commitments.json";
    let (head, plain) = get_encoded(&server, feed, "identity");
    assert!(head.starts_with("HTTP/1.1 200") || head.starts_with("HTTP/1.0 200"), "{head}");
    assert_eq!(header(&head, "Content-Encoding"), None);
    let json: serde_json::Value = serde_json::from_slice(&plain).expect("the plain feed is JSON");
    assert!(json["commitments"].as_array().is_some_and(|c| !c.is_empty()), "{json}");
    let (head, gzipped) = get_encoded(&server, feed, "br, gzip;q=0.8");
    assert_eq!(header(&head, "Content-Encoding").as_deref(), Some("gzip"), "{head}");
    assert_eq!(header(&head, "Vary").as_deref(), Some("Accept-Encoding"));
    assert!(gzipped.len() * 2 < plain.len(), "{} bytes gzipped of {}", gzipped.len(), plain.len());
    let mut decoded = Vec::new();
    flate2::read::GzDecoder::new(gzipped.as_slice()).read_to_end(&mut decoded).unwrap();
    assert_eq!(decoded, plain);
    let (head, refused) = get_encoded(&server, feed, "gzip;q=0, identity");
    assert_eq!(header(&head, "Content-Encoding"), None, "q=0 refuses gzip");
    assert_eq!(refused, plain);
    // Pages get the reload script added, so they go plain.
    let (head, page) = get_encoded(&server, PAGE, "gzip");
    assert_eq!(header(&head, "Content-Encoding"), None);
    assert!(String::from_utf8(page).unwrap().contains("/__shafaf/live.js"));
}

// The live site under the server, driven as its watcher drives it: a burst of changed
// files, then each part of the work left, as the log reports them ("rebuilt 4 pages
// (4 files)", "pages that list it: …", "open data: …", "search: …").

/// The preview's live copy of a copy of the valid fixture, after `setup` has changed it.
fn live_with(setup: impl FnOnce(&Path)) -> (tempfile::TempDir, LiveSite) {
    let dir = tempfile::tempdir().unwrap();
    common::copy_tree(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/valid-site"), dir.path());
    setup(dir.path());
    let live = LiveSite::open(dir.path(), "http://127.0.0.1:1111/").unwrap();
    (dir, live)
}

/// Hands files changed under `root` to the live site, as one burst.
fn rebuild(live: &mut LiveSite, root: &Path, changed: &[&str]) -> Rebuilt {
    let paths: Vec<_> = changed.iter().map(|rel| root.join(rel)).collect();
    live.rebuild(&paths).unwrap()
}

/// Does the work the last edits left, each part as the log reports it.
fn finish(live: &mut LiveSite) -> Vec<String> {
    let mut parts = Vec::new();
    while let Some(step) = live.step(&Interrupt::default()).unwrap() {
        parts.push(match step {
            Step::Listing(listing) => format!("listing: {} pages, {} files", listing.pages, listing.files),
            Step::Feeds(files) => format!("open data: {files} files"),
            Step::Search(files) => format!("search: {files} files"),
        });
    }
    assert!(!live.has_work());
    parts
}

/// A file of the live site as text, if it is there.
fn text_of(live: &LiveSite, path: &str) -> Option<String> {
    live.files.get(path).map(|stored| String::from_utf8(stored.bytes().unwrap().into_owned()).unwrap())
}

/// Every file of the live site is the one a preview started afresh on the same
/// folder serves, and there are no others.
fn assert_same_as_afresh(live: &LiveSite, root: &Path) {
    let afresh = LiveSite::open(root, "http://127.0.0.1:1111/").unwrap();
    assert_eq!(live.files.keys().collect::<Vec<_>>(), afresh.files.keys().collect::<Vec<_>>());
    for (path, stored) in live.files.iter() {
        assert!(stored.bytes().unwrap() == afresh.files.get(path).unwrap().bytes().unwrap(), "{path} differs from a fresh preview's");
    }
}

/// A sheet edit renders the sheet and its plan's list first (in French and Arabic: 4
/// pages), so the editor sees it at once; the pages that list it follow (the plan's
/// other orders, its report, its area's and institutions' pages with their reports,
/// the dashboard, updates and changes, the news post that cites it: 34 pages, and 7
/// feeds: the root, the site's, the plan's and the sheet's Atom feeds in each
/// language), then the open-data feeds with their page, then the search index.
#[test]
fn an_edit_shows_its_own_pages_first_then_the_pages_that_list_it() {
    let (dir, mut live) = live_with(|_| {});
    let (sheet, area) = ("fr/plans/2024-2027/commitments/parliament-open-data/index.html", "fr/areas/participation/index.html");
    let plain: usize = live.files.values().map(|stored| stored.bytes().unwrap().len()).sum();
    // The log's "N MB in memory, compressed".
    assert!(live.files_in_memory() > plain / 10 && live.files_in_memory() < plain, "{} of {plain}", live.files_in_memory());
    edit(dir.path(), "progress: 65", "progress: 80");
    let rebuilt = rebuild(&mut live, dir.path(), &[SHEET]);
    assert!(!rebuilt.everything);
    assert_eq!((rebuilt.pages, rebuilt.files), (4, 4));
    assert!(text_of(&live, sheet).unwrap().contains("aria-valuenow=\"80\""), "the sheet shows the edit at once");
    assert!(text_of(&live, "ar/plans/2024-2027/index.html").unwrap().contains("aria-valuenow=\"80\""), "so does its plan's list");
    assert!(text_of(&live, area).unwrap().contains("aria-valuenow=\"65\""), "the area's page follows");
    assert!(live.has_work());
    assert_eq!(finish(&mut live), ["listing: 34 pages, 41 files", "open data: 27 files", "search: 30 files"]);
    assert!(text_of(&live, area).unwrap().contains("aria-valuenow=\"80\""));
    let feed = text_of(&live, "data/v1/plans/2024-2027/commitments/parliament-open-data.json").unwrap();
    assert!(feed.contains("80") && !feed.contains("65"), "{feed}");
}

/// An area's file is not one the preview updates in place: its edit reloads and renders
/// the whole site, every page and file, with no work left after it.
#[test]
fn an_area_edit_renders_the_whole_site_again() {
    let (dir, mut live) = live_with(|_| {});
    let area = dir.path().join("content/areas/participation.yaml");
    let yaml = std::fs::read_to_string(&area).unwrap();
    std::fs::write(&area, yaml.replacen("fr: Participation citoyenne", "fr: Participation du public", 1)).unwrap();
    let rebuilt = rebuild(&mut live, dir.path(), &["content/areas/participation.yaml"]);
    let pages = live.files.keys().filter(|path| path.ends_with(".html")).count();
    assert_eq!((rebuilt.everything, rebuilt.pages, rebuilt.files), (true, pages, live.files.len()));
    assert_eq!((pages, live.files.len()), (68, 140));
    assert!(!live.has_work());
    assert!(text_of(&live, "fr/areas/participation/index.html").unwrap().contains("Participation du public"));
    assert!(text_of(&live, "fr/plans/2024-2027/commitments/parliament-open-data/index.html").unwrap().contains("Participation du public"));
}

/// A deleted sheet goes with everything made of it: its pages, its Atom feeds, its
/// open-data file and its part of the search index. The preview then holds the same
/// files as a preview started afresh on the folder.
#[test]
fn a_deleted_sheet_leaves_no_file_behind() {
    let (dir, mut live) = live_with(|_| {});
    let gone = [
        "fr/plans/2024-2027/commitments/parliament-open-data/index.html",
        "ar/plans/2024-2027/commitments/parliament-open-data/atom.xml",
        "data/v1/plans/2024-2027/commitments/parliament-open-data.json",
    ];
    for path in gone {
        assert!(live.files.contains_key(path), "{path}");
    }
    let search: Vec<String> = live.files.keys().filter(|path| path.starts_with("fr/search/")).cloned().collect();
    std::fs::remove_file(dir.path().join(SHEET)).unwrap();
    rebuild(&mut live, dir.path(), &[SHEET]);
    finish(&mut live);
    for path in gone {
        assert!(!live.files.contains_key(path), "{path} is still served");
    }
    let afresh = LiveSite::open(dir.path(), "http://127.0.0.1:1111/").unwrap();
    let (kept, fresh): (Vec<&String>, Vec<&String>) = (live.files.keys().collect(), afresh.files.keys().collect());
    assert_eq!(kept, fresh);
    let now: Vec<String> = live.files.keys().filter(|path| path.starts_with("fr/search/")).cloned().collect();
    assert_ne!(search, now, "the search index's files changed");
}

/// A page's text edited renders that page alone; its title edited renders every page
/// again, since each page's menu lists it by title. The page in the other language
/// stays as it was.
#[test]
fn a_pages_text_renders_that_page_and_its_title_every_menu() {
    let (dir, mut live) = live_with(|_| {});
    const ABOUT: &str = "content/pages/about.fr.md";
    let arabic = text_of(&live, "ar/about/index.html").unwrap();
    let path = dir.path().join(ABOUT);
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, text.replacen("et leur avancement.", "et leur avancement, mois par mois.", 1)).unwrap();
    let text_edit = rebuild(&mut live, dir.path(), &[ABOUT]);
    finish(&mut live);
    assert!(text_of(&live, "fr/about/index.html").unwrap().contains("mois par mois"));
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, text.replacen("title: \"À propos du portail\"", "title: \"Qui sommes-nous\"", 1)).unwrap();
    let title_edit = rebuild(&mut live, dir.path(), &[ABOUT]);
    let listing = finish(&mut live);
    assert_eq!((text_edit.everything, text_edit.pages), (false, 2), "a text edit renders as few pages as before");
    assert!(!title_edit.everything && title_edit.pages > text_edit.pages, "{} pages", title_edit.pages);
    assert!(listing[0].starts_with("listing: "), "{listing:?}");
    for page in ["fr/index.html", "fr/news/index.html", "fr/plans/2024-2027/commitments/open-data/index.html"] {
        let html = text_of(&live, page).unwrap();
        assert!(html.contains("Qui sommes-nous") && !html.contains("À propos du portail"), "{page}'s menu has the old title");
    }
    assert_eq!(text_of(&live, "ar/about/index.html").as_deref(), Some(arabic.as_str()), "the Arabic page changed");
    assert_same_as_afresh(&live, dir.path());
    // The Arabic title is in the menu of the page for addresses that do not exist too.
    const ABOUT_AR: &str = "content/pages/about.ar.md";
    let text = std::fs::read_to_string(dir.path().join(ABOUT_AR)).unwrap();
    std::fs::write(dir.path().join(ABOUT_AR), text.replacen("title: \"حول البوابة\"", "title: \"من نحن\"", 1)).unwrap();
    rebuild(&mut live, dir.path(), &[ABOUT_AR]);
    finish(&mut live);
    assert!(text_of(&live, "404.html").unwrap().contains("من نحن"));
    assert_same_as_afresh(&live, dir.path());
}

/// A news post edited in French changes in French only: the preview then shows what
/// a preview started afresh shows, the post in each language and the news lists.
#[test]
fn a_news_posts_edit_changes_it_in_its_own_language_only() {
    let (dir, mut live) = live_with(|_| {});
    const POST: &str = "content/news/2024-05-14-consultation-launch.fr.md";
    let path = dir.path().join(POST);
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, text.replacen("ouverte jusqu'au 30 juin 2024.", "ouverte jusqu'au 15 juillet 2024.", 1)).unwrap();
    rebuild(&mut live, dir.path(), &[POST]);
    finish(&mut live);
    let afresh = LiveSite::open(dir.path(), "http://127.0.0.1:1111/").unwrap();
    assert_eq!(live.files.keys().collect::<Vec<_>>(), afresh.files.keys().collect::<Vec<_>>());
    for page in [
        "fr/news/2024-05-14-consultation-launch/index.html",
        "ar/news/2024-05-14-consultation-launch/index.html",
        "fr/news/index.html",
        "ar/news/index.html",
    ] {
        assert_eq!(text_of(&live, page), text_of(&afresh, page), "{page}");
    }
    assert!(text_of(&live, "fr/news/2024-05-14-consultation-launch/index.html").unwrap().contains("15 juillet 2024"));
}

/// A page or a news post deleted in both languages goes with its pages, its feed
/// entries and its search entries: the live site holds the files of a preview started
/// afresh.
#[test]
fn a_deleted_page_and_news_post_leave_no_file_behind() {
    let (dir, mut live) = live_with(|_| {});
    let gone = ["fr/about/index.html", "ar/about/index.html", "fr/news/2024-05-14-consultation-launch/index.html"];
    for path in gone {
        assert!(live.files.contains_key(path), "{path}");
    }
    let deleted = [
        "content/pages/about.fr.md",
        "content/pages/about.ar.md",
        "content/news/2024-05-14-consultation-launch.fr.md",
        "content/news/2024-05-14-consultation-launch.ar.md",
    ];
    for rel in deleted {
        std::fs::remove_file(dir.path().join(rel)).unwrap();
    }
    rebuild(&mut live, dir.path(), &deleted);
    finish(&mut live);
    for path in gone {
        assert!(!live.files.contains_key(path), "{path} is still served");
    }
    assert!(!text_of(&live, "sitemap.xml").unwrap().contains("/about/"), "the sitemap still lists the page");
    assert_same_as_afresh(&live, dir.path());
}

/// Files an editor writes beside the real ones (a swap file, a backup, a temporary
/// file already gone) change no page; a file of the site's `static/` folder is copied
/// again, and one deleted from it goes, without rendering any page.
#[test]
fn scratch_files_change_nothing_and_static_files_render_no_page() {
    let (dir, mut live) = live_with(|root| {
        std::fs::create_dir_all(root.join("static")).unwrap();
        std::fs::write(root.join("static/kept.txt"), "kept").unwrap();
        std::fs::write(root.join("static/dropped.txt"), "dropped").unwrap();
    });
    let sheets = dir.path().join("content/plans/2024-2027/commitments");
    std::fs::write(sheets.join(".parliament-open-data.yaml.swp"), "not: [yaml").unwrap();
    std::fs::write(sheets.join("parliament-open-data.yaml~"), "not: [yaml").unwrap();
    let scratch = [
        "content/plans/2024-2027/commitments/.parliament-open-data.yaml.swp",
        "content/plans/2024-2027/commitments/parliament-open-data.yaml~",
        "content/plans/2024-2027/commitments/4913",
    ];
    let rebuilt = rebuild(&mut live, dir.path(), &scratch);
    assert_eq!((rebuilt.everything, rebuilt.pages, rebuilt.files), (false, 0, 0));
    assert_eq!(finish(&mut live), ["listing: 0 pages, 0 files"]);
    assert!(live.errors().is_empty(), "{:?}", live.errors());

    std::fs::write(dir.path().join("static/kept.txt"), "kept, edited").unwrap();
    std::fs::remove_file(dir.path().join("static/dropped.txt")).unwrap();
    let rebuilt = rebuild(&mut live, dir.path(), &["static/kept.txt", "static/dropped.txt"]);
    assert_eq!((rebuilt.everything, rebuilt.pages), (false, 0));
    assert_eq!(finish(&mut live), ["listing: 0 pages, 1 files"]);
    assert_eq!(text_of(&live, "kept.txt").as_deref(), Some("kept, edited"));
    assert_eq!(text_of(&live, "dropped.txt"), None, "a file deleted from static/ is no longer served");
}

/// A sheet, a page or a news post that no longer loads keeps its last good version on
/// screen, under the error banner that names it, until it is fixed.
#[test]
fn a_file_that_no_longer_loads_keeps_its_last_good_version_on_screen() {
    let (dir, mut live) = live_with(|_| {});
    let files = [SHEET, "content/pages/about.fr.md", "content/news/2024-05-14-consultation-launch.fr.md"];
    let originals: Vec<String> = files.iter().map(|f| std::fs::read_to_string(dir.path().join(f)).unwrap()).collect();
    for (file, original) in files.iter().zip(&originals) {
        let broken = match original.strip_prefix("---\n") {
            Some(rest) => format!("---\nsummary: [unclosed\n{rest}"),
            None => format!("{original}extra: [unclosed\n"),
        };
        std::fs::write(dir.path().join(file), broken).unwrap();
    }
    rebuild(&mut live, dir.path(), &files);
    finish(&mut live);
    let mut errors: Vec<String> = live.errors().iter().map(|e| e.path.clone()).collect();
    errors.sort();
    let mut broken = files.map(String::from);
    broken.sort();
    assert_eq!(errors, broken, "the banner names each broken file");
    for (page, shown) in [
        (PAGE, "aria-valuenow=\"65\""),
        ("/fr/about/", "À propos du portail"),
        ("/fr/news/2024-05-14-consultation-launch/", "Lancement de la consultation publique"),
    ] {
        let html = text_of(&live, &format!("{}index.html", &page[1..])).unwrap_or_else(|| panic!("{page} is gone"));
        assert!(html.contains(shown), "{page}: {html}");
    }
    for (file, original) in files.iter().zip(&originals) {
        std::fs::write(dir.path().join(file), original).unwrap();
    }
    rebuild(&mut live, dir.path(), &files);
    finish(&mut live);
    assert!(live.errors().is_empty(), "{:?}", live.errors());
}

/// A newer edit interrupts the work an older one left: that work is still to do, no
/// file changed, and the newer edit is rebuilt as any edit (its own pages first, not
/// everything).
#[test]
fn interrupted_work_is_still_to_do_and_the_next_edit_is_no_full_rebuild() {
    let (dir, mut live) = live_with(|_| {});
    edit(dir.path(), "progress: 65", "progress: 80");
    rebuild(&mut live, dir.path(), &[SHEET]);
    let before = live.files.clone();
    // Raised inside the listing pages' work, after the step's own look at the flag.
    let newer = Interrupt::raised_after(1);
    let err = live.step(&newer).err().expect("the step stops for the newer edit");
    assert!(is_interruption(&err), "{err:#}");
    assert!(live.has_work(), "the interrupted work is still to do");
    assert!(live.files == before, "an interrupted step changes no file");
    edit(dir.path(), "progress: 80", "progress: 85");
    let rebuilt = rebuild(&mut live, dir.path(), &[SHEET]);
    assert_eq!((rebuilt.everything, rebuilt.pages), (false, 4));
    assert_eq!(finish(&mut live), ["listing: 34 pages, 41 files", "open data: 27 files", "search: 30 files"]);
    assert!(text_of(&live, "fr/areas/participation/index.html").unwrap().contains("aria-valuenow=\"85\""));
}

/// A part of the work an edit leaves that fails (here, the site's own template of the
/// area pages, which cannot render a commitment whose title says BOOM) is shown once
/// and dropped, not redone: it would fail again at once, and the watcher, which does
/// the work while there is some, would log it, add it to the error banner and reload
/// every open page in an endless loop. The next edit renders everything again.
#[test]
fn a_part_of_the_work_that_fails_is_not_redone_and_the_next_edit_renders_everything() {
    let (dir, mut live) = live_with(common::area_pages_fail_on_boom);
    edit(dir.path(), "fr: Publier les données du travail", "fr: BOOM Publier les données du travail");
    let rebuilt = rebuild(&mut live, dir.path(), &[SHEET]);
    assert_eq!((rebuilt.everything, rebuilt.pages), (false, 4), "the sheet's own pages render");
    let err = live.step(&Interrupt::default()).err().expect("the area's page cannot render");
    assert!(!is_interruption(&err) && format!("{err:#}").contains("no_such_value"), "{err:#}");
    assert!(!live.has_work(), "the failed work is not redone");
    assert!(finish(&mut live).is_empty());
    edit(dir.path(), "fr: BOOM Publier les données du travail", "fr: Publier enfin les données du travail");
    let rebuilt = rebuild(&mut live, dir.path(), &[SHEET]);
    assert!(rebuilt.everything, "after a failure, the next edit renders everything");
    assert_eq!(rebuilt.files, live.files.len());
    assert!(!live.has_work());
    assert!(text_of(&live, "fr/areas/participation/index.html").unwrap().contains("Publier enfin les données"));
}
