//! The preview's HTTP side: safe path resolution over the in-memory site, content
//! types, the live-reload script and error banner injected into HTML, and the
//! server-sent events stream that tells open pages to reload.

use std::io::Write;
use std::sync::{Arc, Condvar, Mutex, RwLock};
use std::time::Duration;

use percent_encoding::{AsciiSet, CONTROLS, percent_decode_str, utf8_percent_encode};
use tiny_http::{Header, Request, Response, StatusCode};

use super::store::{Files, Stored};
use crate::diagnostics::Diagnostic;
use crate::render::svg::escape;

pub const EVENTS_PATH: &str = "/__shafaf/events";
pub const SCRIPT_PATH: &str = "/__shafaf/live.js";
pub const BANNER_CSS_PATH: &str = "/__shafaf/banner.css";

/// The error banner's look, in a stylesheet rather than a `style` attribute, so pages
/// keep their Content-Security-Policy (`style-src 'self'`) under `serve` too.
const BANNER_CSS: &str = "#shafaf-errors{background:#fdecea;color:#611a15;border-block-end:3px solid #b3261e;padding:0.75rem 1rem;font:15px/1.5 monospace;white-space:pre-wrap}\n";

/// Served only by `serve`, never written by `build`.
const LIVE_RELOAD_JS: &str = r#"(function () {
  var source = new EventSource("/__shafaf/events");
  var seen = null;
  source.onmessage = function (event) {
    if (seen !== null && event.data !== seen) { window.location.reload(); }
    seen = event.data;
  };
})();
"#;

/// What the HTTP threads read: the files, the current errors and the build generation.
pub struct Shared {
    pub files: RwLock<Files>,
    pub errors: RwLock<Vec<Diagnostic>>,
    /// Bumped after every rebuild; the event stream sends it to the pages.
    pub generation: Mutex<u64>,
    pub changed: Condvar,
    pub stopping: std::sync::atomic::AtomicBool,
}

impl Shared {
    pub fn new(files: Files, errors: Vec<Diagnostic>) -> Shared {
        Shared {
            files: RwLock::new(files),
            errors: RwLock::new(errors),
            generation: Mutex::new(0),
            changed: Condvar::new(),
            stopping: std::sync::atomic::AtomicBool::new(false),
        }
    }

    /// Announces a new build to every open page.
    pub fn announce(&self) {
        if let Ok(mut generation) = self.generation.lock() {
            *generation += 1;
        }
        self.changed.notify_all();
    }
}

/// Where a request path leads.
#[derive(Debug, PartialEq, Eq)]
pub enum Resolved {
    /// A file of the site, by its output path.
    File(String),
    /// A folder asked without its trailing slash: redirect there. The location is a
    /// path on this server (one leading `/`, never `//`), percent-encoded, so it is a
    /// valid header value and cannot name another host.
    Redirect(String),
    NotFound,
}

/// Escaped in a path segment of a redirect: controls, space, non-ASCII (always), and
/// every character that would end the segment or the path or change how it is read.
const SEGMENT: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'/')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'\\')
    .add(b'^')
    .add(b'`')
    .add(b'{')
    .add(b'|')
    .add(b'}');
/// Escaped in a query kept on redirect; `%` stays as it is, the query being encoded already.
const QUERY: &AsciiSet =
    &CONTROLS.add(b' ').add(b'"').add(b'#').add(b'<').add(b'>').add(b'\\').add(b'^').add(b'`').add(b'{').add(b'|').add(b'}');

/// Splits a request target into its path and its query (the fragment, which browsers
/// never send, is dropped).
fn split_target(url: &str) -> (&str, Option<&str>) {
    let url = url.split('#').next().unwrap_or("");
    match url.split_once('?') {
        Some((path, query)) => (path, Some(query)),
        None => (url, None),
    }
}

/// The path of a request target, without its query.
pub fn target_path(url: &str) -> &str {
    split_target(url).0
}

/// Maps a URL path to an output file, refusing anything that could leave the site.
/// The path is split on `/` first and each segment decoded after, so an encoded slash
/// (`%2F`) is part of a name, never a separator; a segment that is `.` or `..`, holds a
/// slash, a backslash or a control character once decoded, or is not UTF-8, is not
/// found. The site lives in memory, so nothing on disk is ever opened.
pub fn resolve(url: &str, exists: impl Fn(&str) -> bool) -> Resolved {
    let (path, query) = split_target(url);
    if !path.starts_with('/') {
        return Resolved::NotFound;
    }
    let mut segments = Vec::new();
    for raw in path.split('/').filter(|s| !s.is_empty()) {
        let Ok(segment) = percent_decode_str(raw).decode_utf8() else { return Resolved::NotFound };
        if segment == "." || segment == ".." || segment.contains(['/', '\\']) || segment.contains(char::is_control) {
            return Resolved::NotFound;
        }
        segments.push(segment.into_owned());
    }
    let joined = segments.join("/");
    let folder = if joined.is_empty() { "index.html".to_string() } else { format!("{joined}/index.html") };
    if path.ends_with('/') {
        return if exists(&folder) { Resolved::File(folder) } else { Resolved::NotFound };
    }
    if exists(&joined) {
        return Resolved::File(joined);
    }
    if exists(&folder) {
        return Resolved::Redirect(folder_location(&segments, query));
    }
    Resolved::NotFound
}

/// `/SEGMENT/…/SEGMENT/?QUERY`, each part percent-encoded: always one leading slash,
/// since no segment is empty and none can hold a raw `/` or `\\`.
fn folder_location(segments: &[String], query: Option<&str>) -> String {
    let mut location = String::from("/");
    for segment in segments {
        location.extend(utf8_percent_encode(segment, SEGMENT));
        location.push('/');
    }
    if let Some(query) = query {
        location.push('?');
        location.extend(utf8_percent_encode(query, QUERY));
    }
    location
}

pub fn content_type(path: &str) -> &'static str {
    match path.rsplit_once('.').map(|(_, ext)| ext.to_ascii_lowercase()).as_deref() {
        Some("html") => "text/html; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("json") => "application/json",
        Some("svg") => "image/svg+xml",
        Some("xml") if path.ends_with("atom.xml") => "application/atom+xml; charset=utf-8",
        Some("xml") => "application/xml; charset=utf-8",
        Some("txt") => "text/plain; charset=utf-8",
        Some("csv") => "text/csv; charset=utf-8",
        Some("png") => "image/png",
        Some("jpg" | "jpeg") => "image/jpeg",
        Some("gif") => "image/gif",
        Some("webp") => "image/webp",
        Some("ico") => "image/x-icon",
        Some("woff2") => "font/woff2",
        Some("woff") => "font/woff",
        Some("pdf") => "application/pdf",
        _ => "application/octet-stream",
    }
}

/// The banner listing content errors, shown at the top of every served page.
pub fn error_banner(errors: &[Diagnostic]) -> String {
    if errors.is_empty() {
        return String::new();
    }
    let mut html = String::from(
        r#"<link rel="stylesheet" href="/__shafaf/banner.css"><div id="shafaf-errors" role="alert" lang="en" dir="ltr"><strong>shafaf: the content has errors; the page shows the last good version.</strong>"#,
    );
    for d in errors.iter().take(50) {
        html.push_str(&format!("\n{}:{}:{}: {}", escape(&d.path), d.line, d.column, escape(&d.message)));
    }
    if errors.len() > 50 {
        html.push_str(&format!("\n… and {} more (run shafaf check)", errors.len() - 50));
    }
    html.push_str("</div>");
    html
}

/// Adds the live-reload script and the error banner to an HTML page.
pub fn inject(html: &[u8], errors: &[Diagnostic]) -> Vec<u8> {
    let text = String::from_utf8_lossy(html);
    let script = format!(r#"<script src="{SCRIPT_PATH}"></script>"#);
    let banner = error_banner(errors);
    let with_banner = match text.find("<body").and_then(|i| text[i..].find('>').map(|j| i + j + 1)) {
        Some(at) => format!("{}{}{}", &text[..at], banner, &text[at..]),
        None => format!("{banner}{text}"),
    };
    match with_banner.rfind("</body>") {
        Some(at) => format!("{}{}{}", &with_banner[..at], script, &with_banner[at..]).into_bytes(),
        None => format!("{with_banner}{script}").into_bytes(),
    }
}

type Answer = Response<std::io::Cursor<Vec<u8>>>;

/// Adds a header. A value that is not a valid header value is left out rather than
/// taking the thread down (every value here is ASCII, redirect locations included).
fn with_header(response: Answer, name: &str, value: &str) -> Answer {
    match Header::from_bytes(name.as_bytes(), value.as_bytes()) {
        Ok(header) => response.with_header(header),
        Err(()) => response,
    }
}

/// Answers one request. A panic while answering becomes a 500 and a log line: it
/// never takes the HTTP thread down with it.
pub fn handle(request: Request, shared: &Arc<Shared>, log: fn(&str)) {
    if target_path(request.url()) == EVENTS_PATH {
        let shared = Arc::clone(shared);
        std::thread::spawn(move || stream_events(request, &shared));
        return;
    }
    let response = guarded(|| answer(&request, shared)).unwrap_or_else(|panic| {
        log(&format!("internal error answering {} {}: {panic}", request.method(), request.url()));
        internal_error()
    });
    let _ = request.respond(response);
}

/// Runs `f`, turning a panic into its message.
pub fn guarded<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).map_err(|panic| {
        panic
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "a panic".to_string())
    })
}

/// A body and how it is encoded (`Some("gzip")` or as it is).
struct Body {
    bytes: Vec<u8>,
    encoding: Option<&'static str>,
}

impl Body {
    fn plain(bytes: Vec<u8>) -> Body {
        Body { bytes, encoding: None }
    }
}

/// Whether the client takes gzip (`Accept-Encoding: gzip`, `gzip;q=0.5`, `*`; not `gzip;q=0`).
pub fn accepts_gzip(accept_encoding: &str) -> bool {
    accept_encoding.split(',').any(|coding| {
        let mut parts = coding.split(';').map(str::trim);
        let name = parts.next().unwrap_or("");
        let refused = parts.any(|p| p.strip_prefix("q=").is_some_and(|q| q.parse::<f32>().is_ok_and(|q| q <= 0.0)));
        (name.eq_ignore_ascii_case("gzip") || name == "*") && !refused
    })
}

/// A site file as the client takes it: HTML pages with the reload script and the error
/// banner added, other files gzipped as they are stored when the client takes gzip.
fn file_body(stored: &Stored, path: &str, errors: &[Diagnostic], gzip_ok: bool) -> anyhow::Result<Body> {
    if path.ends_with(".html") {
        return Ok(Body::plain(inject(&stored.bytes()?, errors)));
    }
    match stored.gzip() {
        Some(gzip) if gzip_ok => Ok(Body { bytes: gzip.to_vec(), encoding: Some("gzip") }),
        _ => Ok(Body::plain(stored.bytes()?.into_owned())),
    }
}

/// The response to a GET or HEAD of a site file, the live-reload files, or anything else.
fn answer(request: &Request, shared: &Shared) -> Answer {
    let url = request.url();
    let is_head = *request.method() == tiny_http::Method::Head;
    if !matches!(request.method(), tiny_http::Method::Get | tiny_http::Method::Head) {
        return Response::from_string("method not allowed").with_status_code(405);
    }
    let gzip_ok = request.headers().iter().any(|h| h.field.equiv("Accept-Encoding") && accepts_gzip(h.value.as_str()));
    let (status, path, body) = match target_path(url) {
        SCRIPT_PATH => (200, "live.js".to_string(), Body::plain(LIVE_RELOAD_JS.as_bytes().to_vec())),
        BANNER_CSS_PATH => (200, "banner.css".to_string(), Body::plain(BANNER_CSS.as_bytes().to_vec())),
        _ => {
            let errors = shared.errors.read().map(|e| e.clone()).unwrap_or_default();
            // The file is taken out of the map (a shared pointer) and the lock let go
            // before it is decompressed.
            let found = {
                let Ok(files) = shared.files.read() else { return internal_error() };
                match resolve(url, |p| files.contains_key(p)) {
                    Resolved::File(path) => Ok((200, files.get(&path).cloned(), path)),
                    Resolved::Redirect(location) => Err(location),
                    Resolved::NotFound => Ok((404, files.get("404.html").cloned(), "404.html".to_string())),
                }
            };
            match found {
                Err(location) => {
                    return with_header(Response::from_data(Vec::new()).with_status_code(StatusCode(301)), "Location", &location);
                }
                Ok((status, Some(stored), path)) => match file_body(&stored, &path, &errors, gzip_ok) {
                    Ok(body) => (status, path, body),
                    Err(_) => return internal_error(),
                },
                Ok((status, None, path)) => {
                    let page = b"<!DOCTYPE html><html><body><h1>404</h1></body></html>";
                    (status, path, Body::plain(inject(page, &errors)))
                }
            }
        }
    };
    let length = body.bytes.len();
    let mut response = Response::from_data(if is_head { Vec::new() } else { body.bytes }).with_status_code(status);
    response = with_header(response, "Content-Type", content_type(&path));
    response = with_header(response, "Cache-Control", "no-store");
    response = with_header(response, "X-Content-Type-Options", "nosniff");
    response = with_header(response, "Vary", "Accept-Encoding");
    if let Some(encoding) = body.encoding {
        response = with_header(response, "Content-Encoding", encoding);
    }
    if is_head {
        response = with_header(response, "Content-Length", &length.to_string());
    }
    response
}

fn internal_error() -> Answer {
    with_header(Response::from_string("internal error").with_status_code(500), "Content-Type", "text/plain; charset=utf-8")
}

/// Keeps an event stream open, sending the build generation now and after each
/// rebuild, with a comment every 15 s so closed connections are noticed.
fn stream_events(request: Request, shared: &Shared) {
    let mut writer = request.into_writer();
    let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nConnection: keep-alive\r\n\r\n";
    let mut last = shared.generation.lock().map(|g| *g).unwrap_or(0);
    if writer.write_all(head.as_bytes()).and_then(|_| write!(writer, "data: {last}\n\n")).and_then(|_| writer.flush()).is_err() {
        return;
    }
    loop {
        if shared.stopping.load(std::sync::atomic::Ordering::Relaxed) {
            return;
        }
        let Ok(generation) = shared.generation.lock() else { return };
        let Ok((generation, _)) = shared.changed.wait_timeout_while(generation, Duration::from_secs(15), |g| *g == last) else { return };
        let current = *generation;
        drop(generation);
        let message = if current != last { format!("data: {current}\n\n") } else { ": ping\n\n".to_string() };
        last = current;
        if writer.write_all(message.as_bytes()).and_then(|_| writer.flush()).is_err() {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gzip_is_taken_unless_refused() {
        for taken in ["gzip", "gzip, deflate, br", "br;q=1.0, GZIP;q=0.5", "*", " gzip ; q=0.001"] {
            assert!(accepts_gzip(taken), "{taken}");
        }
        for refused in ["", "identity", "br, deflate", "gzip;q=0", "gzip; q=0.0", "x-gzip-ish", "*;q=0"] {
            assert!(!accepts_gzip(refused), "{refused}");
        }
    }

    fn exists(path: &str) -> bool {
        ["index.html", "ar/index.html", "assets/style.css"].contains(&path)
    }

    #[test]
    fn resolves_pages_folders_and_files() {
        assert_eq!(resolve("/", exists), Resolved::File("index.html".into()));
        assert_eq!(resolve("/ar/", exists), Resolved::File("ar/index.html".into()));
        assert_eq!(resolve("/ar", exists), Resolved::Redirect("/ar/".into()));
        assert_eq!(resolve("/assets/style.css?v=1", exists), Resolved::File("assets/style.css".into()));
        assert_eq!(resolve("/nothing", exists), Resolved::NotFound);
    }

    #[test]
    fn redirects_are_encoded_paths_on_this_server_with_their_query() {
        let arabic = |p: &str| ["تقارير/index.html", "ar/index.html", "a b/index.html"].contains(&p);
        let encoded = "/%D8%AA%D9%82%D8%A7%D8%B1%D9%8A%D8%B1";
        assert_eq!(resolve(encoded, arabic), Resolved::Redirect(format!("{encoded}/")));
        assert_eq!(resolve("/a%20b", arabic), Resolved::Redirect("/a%20b/".into()));
        assert_eq!(resolve("//ar", arabic), Resolved::Redirect("/ar/".into()));
        assert_eq!(resolve("/ar?x=1", arabic), Resolved::Redirect("/ar/?x=1".into()));
        assert_eq!(resolve("/ar?x=%41\r\nSet-Cookie:%20a", arabic), Resolved::Redirect("/ar/?x=%41%0D%0ASet-Cookie:%20a".into()));
        assert_eq!(resolve("/ar#top", arabic), Resolved::Redirect("/ar/".into()));
        assert_eq!(resolve("/%2Far", arabic), Resolved::NotFound);
        assert_eq!(resolve("/ar%2F", arabic), Resolved::NotFound);
        assert_eq!(resolve("/ar%0d%0a", arabic), Resolved::NotFound);
    }

    proptest::proptest! {
        /// Whatever is asked, a redirect is a path on this server (one leading slash,
        /// no backslash) and a valid header value (visible ASCII only).
        #[test]
        fn a_redirect_never_leaves_the_server(url in "[/\\\\%?#a-f0-9.:@ \\r\\nتق]{0,24}") {
            let found = resolve(&url, |p| p.ends_with("index.html"));
            if let Resolved::Redirect(location) = found {
                proptest::prop_assert!(location.starts_with('/'), "{url:?} -> {location:?}");
                proptest::prop_assert!(!location.starts_with("//"), "{url:?} -> {location:?}");
                proptest::prop_assert!(location.bytes().all(|b| b.is_ascii_graphic() && b != b'\\'), "{url:?} -> {location:?}");
                proptest::prop_assert!(Header::from_bytes(&b"Location"[..], location.as_bytes()).is_ok());
            }
        }
    }

    #[test]
    fn a_panic_becomes_an_error_not_a_dead_thread() {
        assert_eq!(guarded(|| 7), Ok(7));
        let caught = guarded(|| -> u8 { panic!("boom {}", 1) });
        assert_eq!(caught, Err("boom 1".to_string()));
        let caught = guarded(|| -> u8 { panic!("static boom") });
        assert_eq!(caught, Err("static boom".to_string()));
    }

    #[test]
    fn refuses_traversal_in_every_spelling() {
        for url in [
            "/../etc/passwd",
            "/ar/../../etc/passwd",
            "/%2e%2e/etc/passwd",
            "/%2E%2E%2Fetc%2Fpasswd",
            "/ar/%2e%2e/index.html",
            "/..%5c..%5cwindows",
            "/./index.html",
            "/%00",
            "/%ff",
            "etc/passwd",
        ] {
            let found = resolve(url, |p| p == "index.html" || p == "etc/passwd");
            assert!(matches!(found, Resolved::NotFound), "{url} gave {found:?}");
            // Refused for what the path says, whatever the site holds.
            let found = resolve(url, |_| true);
            assert!(matches!(found, Resolved::NotFound), "{url} gave {found:?} on a site that has every path");
        }
    }

    #[test]
    fn injects_script_and_banner_only_into_html_pages() {
        let html = b"<!doctype html><html><body class=x><p>hi</p></body></html>";
        let error = Diagnostic {
            path: "content/a.yaml".into(),
            line: 3,
            column: 7,
            severity: crate::Severity::Error,
            field: "f".into(),
            message: "bad <value>".into(),
            untranslated: None,
        };
        let out = String::from_utf8(inject(html, &[error])).unwrap();
        assert!(out.contains(r#"<body class=x><link rel="stylesheet" href="/__shafaf/banner.css"><div id="shafaf-errors""#));
        assert!(!out.contains("style="), "no style attribute, so the page's CSP holds");
        assert!(out.contains("content/a.yaml:3:7: bad &lt;value&gt;"));
        assert!(out.ends_with(r#"<script src="/__shafaf/live.js"></script></body></html>"#));
        let clean = String::from_utf8(inject(html, &[])).unwrap();
        assert!(!clean.contains("shafaf-errors"));
    }

    #[test]
    fn content_types() {
        // Under `X-Content-Type-Options: nosniff` a browser refuses a stylesheet or script
        // served with another type, so each kind of file the site holds is named exactly.
        for (path, expected) in [
            ("a/index.html", "text/html; charset=utf-8"),
            ("assets/style.css", "text/css; charset=utf-8"),
            ("assets/search.js", "text/javascript; charset=utf-8"),
            ("data/v1/index.json", "application/json"),
            ("x.svg", "image/svg+xml"),
            ("ar/atom.xml", "application/atom+xml; charset=utf-8"),
            ("sitemap.xml", "application/xml; charset=utf-8"),
            ("robots.txt", "text/plain; charset=utf-8"),
            ("data/v1/activities.csv", "text/csv; charset=utf-8"),
            ("logo.png", "image/png"),
            ("LOGO.PNG", "image/png"),
            ("photo.jpg", "image/jpeg"),
            ("photo.jpeg", "image/jpeg"),
            ("anim.gif", "image/gif"),
            ("photo.webp", "image/webp"),
            ("favicon.ico", "image/x-icon"),
            ("font.woff2", "font/woff2"),
            ("font.woff", "font/woff"),
            ("report.pdf", "application/pdf"),
            ("archive.zip", "application/octet-stream"),
            ("LICENSE", "application/octet-stream"),
        ] {
            assert_eq!(content_type(path), expected, "{path}");
        }
    }

    fn errors(count: usize) -> Vec<Diagnostic> {
        (1..=count)
            .map(|line| Diagnostic {
                path: "content/a.yaml".into(),
                line,
                column: 1,
                severity: crate::Severity::Error,
                field: "f".into(),
                message: format!("error {line}"),
                untranslated: None,
            })
            .collect()
    }

    #[test]
    fn the_banner_lists_fifty_errors_and_counts_the_rest() {
        let fifty = error_banner(&errors(50));
        assert!(fifty.contains("content/a.yaml:50:1: error 50") && !fifty.contains("more"), "{fifty}");
        let fifty_two = error_banner(&errors(52));
        assert!(fifty_two.contains("content/a.yaml:50:1: error 50\n… and 2 more (run shafaf check)</div>"), "{fifty_two}");
        assert!(!fifty_two.contains("error 51"));
    }

    #[test]
    fn a_page_without_body_tags_still_gets_the_banner_first_and_the_script_last() {
        let out = String::from_utf8(inject(b"<p>fragment</p>", &errors(1))).unwrap();
        assert!(out.starts_with(r#"<link rel="stylesheet" href="/__shafaf/banner.css"><div id="shafaf-errors""#), "{out}");
        assert!(out.ends_with(r#"<p>fragment</p><script src="/__shafaf/live.js"></script>"#), "{out}");
    }
}
