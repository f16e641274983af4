//! The preview's HTTP side: safe path resolution over the in-memory site, content
//! types, the live-reload script and error banner injected into HTML, and the
//! server-sent events stream that tells open pages to reload.

use std::io::Write;
use std::sync::{Arc, Condvar, Mutex, RwLock};
use std::time::Duration;

use percent_encoding::percent_decode_str;
use tiny_http::{Header, Request, Response, StatusCode};

use super::site::Files;
use crate::diagnostics::Diagnostic;
use crate::render::svg::escape;

pub const EVENTS_PATH: &str = "/__shafaf/events";
pub const SCRIPT_PATH: &str = "/__shafaf/live.js";

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
    /// A folder asked without its trailing slash: redirect there.
    Redirect(String),
    NotFound,
}

/// Maps a URL path to an output file, refusing anything that could leave the site:
/// `..` and `.` segments (also percent-encoded), backslashes, NUL bytes and invalid
/// UTF-8. The site lives in memory, so nothing on disk is ever opened.
pub fn resolve(url: &str, exists: impl Fn(&str) -> bool) -> Resolved {
    let path = url.split(['?', '#']).next().unwrap_or("");
    let Ok(decoded) = percent_decode_str(path).decode_utf8() else { return Resolved::NotFound };
    if !decoded.starts_with('/') || decoded.contains(['\\', '\0']) {
        return Resolved::NotFound;
    }
    let segments: Vec<&str> = decoded.split('/').filter(|s| !s.is_empty()).collect();
    if segments.iter().any(|s| *s == ".." || *s == ".") {
        return Resolved::NotFound;
    }
    let joined = segments.join("/");
    let folder = if joined.is_empty() { "index.html".to_string() } else { format!("{joined}/index.html") };
    if decoded.ends_with('/') {
        return if exists(&folder) { Resolved::File(folder) } else { Resolved::NotFound };
    }
    if exists(&joined) {
        return Resolved::File(joined);
    }
    if exists(&folder) {
        return Resolved::Redirect(format!("{decoded}/"));
    }
    Resolved::NotFound
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
        r#"<div id="shafaf-errors" role="alert" lang="en" dir="ltr" style="background:#fdecea;color:#611a15;border-block-end:3px solid #b3261e;padding:0.75rem 1rem;font:15px/1.5 monospace;white-space:pre-wrap"><strong>shafaf: the content has errors; the page shows the last good version.</strong>"#,
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

fn header(name: &str, value: &str) -> Header {
    Header::from_bytes(name.as_bytes(), value.as_bytes()).expect("static header names and values are valid")
}

/// Answers one request.
pub fn handle(request: Request, shared: &Arc<Shared>) {
    let url = request.url().to_string();
    if url.split('?').next() == Some(EVENTS_PATH) {
        let shared = Arc::clone(shared);
        std::thread::spawn(move || stream_events(request, &shared));
        return;
    }
    let is_head = *request.method() == tiny_http::Method::Head;
    if !matches!(request.method(), tiny_http::Method::Get | tiny_http::Method::Head) {
        let _ = request.respond(Response::from_string("method not allowed").with_status_code(405));
        return;
    }
    if url.split('?').next() == Some(SCRIPT_PATH) {
        let response = Response::from_string(LIVE_RELOAD_JS).with_header(header("Content-Type", "text/javascript; charset=utf-8"));
        let _ = request.respond(response);
        return;
    }
    let errors = shared.errors.read().map(|e| e.clone()).unwrap_or_default();
    let (status, path, body) = {
        let Ok(files) = shared.files.read() else { return };
        match resolve(&url, |p| files.contains_key(p)) {
            Resolved::File(path) => (200, path.clone(), files.get(&path).map(|b| b.to_vec()).unwrap_or_default()),
            Resolved::Redirect(location) => {
                let response = Response::empty(StatusCode(301)).with_header(header("Location", &location));
                let _ = request.respond(response);
                return;
            }
            Resolved::NotFound => (
                404,
                "404.html".to_string(),
                files
                    .get("404.html")
                    .map(|b| b.to_vec())
                    .unwrap_or_else(|| b"<!DOCTYPE html><html><body><h1>404</h1></body></html>".to_vec()),
            ),
        }
    };
    let body = if path.ends_with(".html") { inject(&body, &errors) } else { body };
    let length = body.len();
    let mut response = Response::from_data(if is_head { Vec::new() } else { body })
        .with_status_code(status)
        .with_header(header("Content-Type", content_type(&path)))
        .with_header(header("Cache-Control", "no-store"))
        .with_header(header("X-Content-Type-Options", "nosniff"));
    if is_head {
        response = response.with_header(header("Content-Length", &length.to_string()));
    }
    let _ = request.respond(response);
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
        };
        let out = String::from_utf8(inject(html, &[error])).unwrap();
        assert!(out.contains(r#"<body class=x><div id="shafaf-errors""#));
        assert!(out.contains("content/a.yaml:3:7: bad &lt;value&gt;"));
        assert!(out.ends_with(r#"<script src="/__shafaf/live.js"></script></body></html>"#));
        let clean = String::from_utf8(inject(html, &[])).unwrap();
        assert!(!clean.contains("shafaf-errors"));
    }

    #[test]
    fn content_types() {
        assert_eq!(content_type("a/index.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("data/v1/index.json"), "application/json");
        assert_eq!(content_type("ar/atom.xml"), "application/atom+xml; charset=utf-8");
        assert_eq!(content_type("sitemap.xml"), "application/xml; charset=utf-8");
        assert_eq!(content_type("x.svg"), "image/svg+xml");
    }
}
