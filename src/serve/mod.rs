//! `shafaf serve`: build into memory, serve over HTTP, watch the sources, rebuild only
//! what a change touches, and tell open pages to reload. Content errors never stop
//! the server: they show as a banner on every page until fixed.

pub mod http;
pub mod interrupt;
mod memory;
pub use memory::CountingAllocator;
pub mod planner;
pub mod site;
pub mod store;

use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, anyhow};
use notify::{EventKind, RecursiveMode, Watcher};

use http::Shared;
use interrupt::{Interrupt, is_interruption};
use site::{LiveSite, Step};

pub struct ServeOptions {
    pub root: PathBuf,
    pub bind: String,
    pub port: u16,
}

/// How long a burst of file events (an editor's save, a git checkout) must have been
/// quiet before the rebuild starts, counted from the burst's last event. An editor's
/// save (write, or write a copy and rename it) sends its events within a few
/// milliseconds; the wait is part of every edit's latency (150 ms in all on the 10k
/// corpus), so it is kept short. A longer burst, such as a checkout, may rebuild twice,
/// the second time incrementally.
const DEBOUNCE: Duration = Duration::from_millis(20);
const HTTP_THREADS: usize = 4;

/// A running preview server; dropping it does not stop it, call [`Server::stop`].
pub struct Server {
    pub address: SocketAddr,
    http: Arc<tiny_http::Server>,
    shared: Arc<Shared>,
    threads: Vec<std::thread::JoinHandle<()>>,
}

impl Server {
    /// Builds the site and starts serving it and watching the sources.
    pub fn start(options: &ServeOptions, log: fn(&str)) -> Result<Server> {
        check_root(&options.root)?;
        let http = tiny_http::Server::http((options.bind.as_str(), options.port))
            .map_err(|e| anyhow!("cannot listen on {}:{}: {e}", options.bind, options.port))?;
        let address = http.server_addr().to_ip().context("the server has no IP address")?;
        // Pages link to each other by path; the base URL only shows in canonical links,
        // feeds and the sitemap, where a reachable address reads better than 0.0.0.0.
        let local = if address.ip().is_unspecified() {
            SocketAddr::new(if address.is_ipv4() { Ipv4Addr::LOCALHOST.into() } else { Ipv6Addr::LOCALHOST.into() }, address.port())
        } else {
            address
        };
        let base_url = format!("http://{local}/");
        let started = Instant::now();
        memory::return_freed_memory_at_once();
        memory::keep_off_huge_pages();
        let live = LiveSite::open(&options.root, &base_url)?;
        log(&format!(
            "built {} files ({} MB in memory, compressed) in {} ms",
            live.files.len(),
            live.files_in_memory().div_ceil(1 << 20),
            started.elapsed().as_millis()
        ));
        report_errors(&live, log);
        let shared = Arc::new(Shared::new(live.files.clone(), live.errors()));
        let http = Arc::new(http);
        let mut threads = Vec::new();
        for _ in 0..HTTP_THREADS {
            let (http, shared) = (Arc::clone(&http), Arc::clone(&shared));
            threads.push(std::thread::spawn(move || {
                while let Ok(request) = http.recv() {
                    // `handle` answers a panic with a 500 itself; this catches one in
                    // sending that answer, so the thread lives on either way.
                    if let Err(panic) = http::guarded(|| http::handle(request, &shared, log)) {
                        log(&format!("internal error answering a request: {panic}"));
                    }
                }
            }));
        }
        // The watcher is registered before `start` returns, so no edit made after it
        // is missed.
        let interrupt = Interrupt::default();
        let (watcher, events) = start_watcher(&options.root, interrupt.clone())?;
        let shared_for_watch = Arc::clone(&shared);
        threads.push(std::thread::spawn(move || {
            let _watcher = watcher;
            watch(events, live, &shared_for_watch, log, &interrupt);
        }));
        log(&listening_message(&options.root, address, &base_url));
        Ok(Server { address, http, shared, threads })
    }

    /// Stops serving and watching, and waits for the threads to end.
    pub fn stop(self) {
        self.shared.stopping.store(true, Ordering::Relaxed);
        self.shared.announce();
        for _ in 0..HTTP_THREADS {
            self.http.unblock();
        }
        for thread in self.threads {
            let _ = thread.join();
        }
    }
}

/// Refuses a site root that is not a folder, naming it, before anything else happens.
fn check_root(root: &Path) -> Result<()> {
    match std::fs::metadata(root) {
        Ok(meta) if meta.is_dir() => Ok(()),
        Ok(_) => Err(anyhow!("the site root {} is a file, not a folder; pass the folder that holds content/ with --root", root.display())),
        Err(_) => Err(anyhow!("the site root {} does not exist; pass the folder that holds content/ with --root", root.display())),
    }
}

/// Where the preview is, as it really listens; a warning when other machines can
/// reach it, since it shows the unpublished site (drafts, work in progress).
fn listening_message(root: &Path, address: SocketAddr, base_url: &str) -> String {
    let mut message = format!("serving {} at http://{address}/", root.display());
    if address.ip().is_unspecified() {
        message.push_str(&format!(" (every network interface; on this machine: {base_url})"));
    }
    message.push_str(" — press Ctrl-C to stop");
    if !address.ip().is_loopback() {
        message.push_str(&format!(
            "\nwarning: listening on {}, not on loopback: other machines that can reach this one can read the unpublished site; \
             use --bind 127.0.0.1 to keep it on this machine",
            address.ip()
        ));
    }
    message
}

fn report_errors(live: &LiveSite, log: fn(&str)) {
    let errors = live.errors();
    if !errors.is_empty() {
        log(&format!("{} content errors (shown on every page until fixed):", errors.len()));
        for error in errors.iter().take(20) {
            log(&format!("  {error}"));
        }
    }
}

fn watched_folders(root: &Path) -> Vec<PathBuf> {
    ["content", "themes", "templates", "static"].iter().map(|d| root.join(d)).filter(|p| p.is_dir()).collect()
}

/// File events, each with the moment the watcher saw it.
type Events = mpsc::Receiver<(Instant, notify::Result<notify::Event>)>;

/// Watches the site's folders; each change that may matter raises `interrupt`, so
/// the work an earlier edit left stops for it.
fn start_watcher(root: &Path, interrupt: Interrupt) -> Result<(notify::RecommendedWatcher, Events)> {
    let (sender, events) = mpsc::channel();
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        if event.as_ref().is_ok_and(|e| relevant(e) && e.paths.iter().any(|p| !editor_scratch(p))) {
            interrupt.raise();
        }
        let _ = sender.send((Instant::now(), event));
    })?;
    for folder in watched_folders(root) {
        watcher.watch(&folder, RecursiveMode::Recursive).with_context(|| format!("watching {}", folder.display()))?;
    }
    Ok((watcher, events))
}

/// The watch loop: collect a burst of changes, rebuild the pages an editor looks at and
/// publish them; then, while no newer change arrives, do the rest of the work step by
/// step, each published as it is done. A newer change interrupts that work, which is
/// resumed after the change's own pages.
fn watch(events: Events, mut live: LiveSite, shared: &Shared, log: fn(&str), interrupt: &Interrupt) {
    while !shared.stopping.load(Ordering::Relaxed) {
        let wait = if live.has_work() { Duration::ZERO } else { Duration::from_millis(200) };
        let (first_seen, first) = match events.recv_timeout(wait) {
            Ok(timed) => timed,
            Err(mpsc::RecvTimeoutError::Timeout) => {
                if live.has_work() {
                    work_step(&mut live, shared, log, interrupt);
                }
                continue;
            }
            Err(mpsc::RecvTimeoutError::Disconnected) => break,
        };
        // Cleared before the burst is read: a change after it raises it again.
        interrupt.clear();
        let paths = burst(&events, first_seen, first);
        if paths.is_empty() {
            continue;
        }
        publish_edit(&mut live, &paths, shared, log);
    }
}

/// The paths of a burst of events, from its first until it has been quiet for
/// [`DEBOUNCE`], sorted and each once. The quiet time is counted from the last event,
/// not from when it is read: a save that interrupted background work was already quiet
/// while that work stopped (20-40 ms on the 10k corpus), and need not wait again.
fn burst(events: &Events, first_seen: Instant, first: notify::Result<notify::Event>) -> Vec<PathBuf> {
    let mut paths = Vec::new();
    collect(first, &mut paths);
    let mut last_seen = first_seen;
    // A zero timeout still takes an event already waiting.
    while let Ok((seen, event)) = events.recv_timeout(DEBOUNCE.saturating_sub(last_seen.elapsed())) {
        last_seen = seen;
        collect(event, &mut paths);
    }
    paths.sort();
    paths.dedup();
    paths
}

fn relevant(event: &notify::Event) -> bool {
    match event.kind {
        EventKind::Create(_) | EventKind::Modify(_) | EventKind::Remove(_) => true,
        EventKind::Access(notify::event::AccessKind::Close(notify::event::AccessMode::Write)) => true,
        _ => false,
    }
}

/// A file editors write beside the real one (`.sheet.yaml.swp`, `sheet.yaml~`): it
/// interrupts nothing, and the rebuild skips it.
fn editor_scratch(path: &Path) -> bool {
    path.file_name().map(|n| n.to_string_lossy()).is_some_and(|name| name.starts_with('.') || name.ends_with('~'))
}

fn collect(event: notify::Result<notify::Event>, paths: &mut Vec<PathBuf>) {
    let Ok(event) = event else { return };
    if relevant(&event) {
        paths.extend(event.paths);
    }
}

/// Rebuilds after a change and hands the result to the HTTP threads, all of it: the
/// edit's pages, then the rest of the work with nothing to interrupt it.
pub fn publish(live: &mut LiveSite, paths: &[PathBuf], shared: &Shared, log: fn(&str)) {
    publish_edit(live, paths, shared, log);
    let never = Interrupt::default();
    while live.has_work() {
        work_step(live, shared, log, &never);
    }
}

/// The first part of a rebuild: the edited sheet, page or post and its plan list,
/// published and announced at once.
fn publish_edit(live: &mut LiveSite, paths: &[PathBuf], shared: &Shared, log: fn(&str)) {
    let names: Vec<String> = paths.iter().map(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()).collect();
    let names = names.join(", ");
    let result = live.rebuild(paths).map(|rebuilt| {
        update(live, shared);
        shared.announce();
        let scope = if rebuilt.everything { "everything".to_string() } else { format!("{} pages", rebuilt.pages) };
        log(&format!("{names}: rebuilt {scope} ({} files) and reloaded in {} ms", rebuilt.files, rebuilt.millis));
    });
    report_errors(live, log);
    if let Err(err) = result {
        fail(shared, &names, &err, log);
    }
}

/// One part of the work an edit left, published as soon as it is done.
fn work_step(live: &mut LiveSite, shared: &Shared, log: fn(&str), interrupt: &Interrupt) {
    let started = Instant::now();
    match live.step(interrupt) {
        Ok(None) => {}
        Ok(Some(Step::Listing(listing))) => {
            update(live, shared);
            shared.announce();
            log(&format!("  pages that list it: {} pages ({} files) in {} ms", listing.pages, listing.files, listing.millis));
        }
        Ok(Some(Step::Feeds(files))) => {
            update(live, shared);
            log(&format!("  open data: {files} files in {} ms", started.elapsed().as_millis()));
        }
        Ok(Some(Step::Search(files))) => {
            update(live, shared);
            log(&format!("  search: {files} files in {} ms", started.elapsed().as_millis()));
        }
        // Redone after the newer edit's own pages.
        Err(err) if is_interruption(&err) => {}
        Err(err) => {
            report_errors(live, log);
            fail(shared, "rebuild", &err, log);
        }
    }
    if !live.has_work() {
        // The feeds and the index were each published as soon as made, so the old
        // ones are already freed: hand the memory back.
        memory::release_free_memory();
        if let Some((bytes, blocks)) = memory::live_heap() {
            log(&format!("  idle: {} MB live in {blocks} blocks", bytes >> 20));
        }
    }
}

/// A rebuild that failed: logged, and shown on every page until the next one.
fn fail(shared: &Shared, names: &str, err: &anyhow::Error, log: fn(&str)) {
    log(&format!("{names}: rebuild failed: {err:#}"));
    if let Ok(mut errors) = shared.errors.write() {
        errors.push(crate::Diagnostic {
            path: names.to_string(),
            line: 1,
            column: 1,
            severity: crate::Severity::Error,
            field: String::new(),
            message: format!("{err:#}"),
            untranslated: None,
        });
    }
    shared.announce();
}

fn update(live: &LiveSite, shared: &Shared) {
    if let Ok(mut files) = shared.files.write() {
        *files = live.files.clone();
    }
    if let Ok(mut errors) = shared.errors.write() {
        *errors = live.errors();
    }
}

/// Runs the server until Ctrl-C.
pub fn run(options: ServeOptions) -> Result<()> {
    let server = Server::start(&options, |line| eprintln!("{line}"))?;
    let (stop, stopped) = mpsc::channel();
    ctrlc::set_handler(move || {
        let _ = stop.send(());
    })
    .context("installing the Ctrl-C handler")?;
    let _ = stopped.recv();
    eprintln!("stopping");
    server.stop();
    Ok(())
}

/// The integration tests' helpers (copying a fixture, a template that fails on
/// demand), for the unit tests of the watch loop.
#[cfg(test)]
#[path = "../../tests/common/mod.rs"]
#[allow(dead_code)]
mod common;

#[cfg(test)]
mod tests {
    use super::*;
    use notify::event::{AccessKind, AccessMode, ModifyKind};

    fn event(kind: EventKind, path: &str) -> notify::Result<notify::Event> {
        Ok(notify::Event::new(kind).add_path(PathBuf::from(path)))
    }

    /// A save that interrupted background work is read after that work stopped, its
    /// quiet time already over: the burst still takes every event waiting (a zero
    /// timeout takes what is there), each path once, and no event that changed nothing.
    #[test]
    fn a_burst_read_after_its_quiet_time_takes_every_waiting_event() {
        let (sender, events) = mpsc::channel();
        let long_ago = Instant::now().checked_sub(Duration::from_secs(1)).unwrap();
        let modified = EventKind::Modify(ModifyKind::Any);
        for (kind, path) in [
            (modified, "/site/content/b.yaml"),
            (EventKind::Access(AccessKind::Open(AccessMode::Any)), "/site/content/opened.yaml"),
            (EventKind::Access(AccessKind::Close(AccessMode::Write)), "/site/content/a.yaml"),
            (modified, "/site/content/b.yaml"),
        ] {
            sender.send((long_ago, event(kind, path))).unwrap();
        }
        let paths = burst(&events, long_ago, event(modified, "/site/content/c.yaml"));
        let expected: Vec<PathBuf> = ["/site/content/a.yaml", "/site/content/b.yaml", "/site/content/c.yaml"].map(PathBuf::from).into();
        assert_eq!(paths, expected);
        assert!(events.try_recv().is_err(), "the burst left an event behind");
    }

    thread_local! {
        /// What `work_step` logged on this test's thread.
        static LOGGED: std::cell::RefCell<Vec<String>> = const { std::cell::RefCell::new(Vec::new()) };
    }

    fn log_here(line: &str) {
        LOGGED.with(|logged| logged.borrow_mut().push(line.to_string()));
    }

    const SHEET: &str = "content/plans/2024-2027/commitments/parliament-open-data.yaml";

    /// The valid-site fixture in a temporary folder, its area pages made to fail for a
    /// commitment titled BOOM, live after an edit of one sheet's title to `title`: the
    /// edit's own pages done, the pages that list it and the rest left to do.
    fn live_after_an_edit(title: &str) -> (tempfile::TempDir, LiveSite, Shared) {
        let dir = tempfile::tempdir().unwrap();
        common::copy_tree(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/valid-site"), dir.path());
        common::area_pages_fail_on_boom(dir.path());
        let mut live = LiveSite::open(dir.path(), "http://127.0.0.1:1111/").unwrap();
        let shared = Shared::new(live.files.clone(), live.errors());
        let sheet = dir.path().join(SHEET);
        let text = std::fs::read_to_string(&sheet).unwrap();
        std::fs::write(&sheet, text.replacen("fr: Publier les données du travail", &format!("fr: {title}"), 1)).unwrap();
        live.rebuild(&[sheet]).unwrap();
        assert!(live.has_work());
        (dir, live, shared)
    }

    /// A newer edit interrupts the work left: nothing failed, nothing is shown on the
    /// pages, and the work is still to do (after the newer edit's own pages).
    #[test]
    fn an_interrupted_part_of_the_work_is_no_failure_and_is_still_to_do() {
        let (_dir, mut live, shared) = live_after_an_edit("Publier enfin les données du travail");
        work_step(&mut live, &shared, log_here, &Interrupt::raised_after(0));
        assert!(shared.errors.read().unwrap().is_empty(), "{:?}", shared.errors.read().unwrap());
        assert!(live.has_work(), "the interrupted work was dropped");
        let logged = LOGGED.with(|logged| logged.borrow().clone());
        assert!(!logged.iter().any(|line| line.contains("failed")), "{logged:?}");
    }

    /// Once the work is done, a preview built with `heap-count` logs its live heap (the
    /// last line, after the search index); one built without keeps no count and says
    /// nothing of it.
    #[test]
    fn the_live_heap_is_logged_when_idle_only_by_a_build_that_counts_it() {
        let (_dir, mut live, shared) = live_after_an_edit("Publier enfin les données du travail");
        while live.has_work() {
            work_step(&mut live, &shared, log_here, &Interrupt::default());
        }
        let logged = LOGGED.with(|logged| logged.borrow().clone());
        assert!(logged.iter().any(|line| line.starts_with("  search: ")), "{logged:?}");
        let idle: Vec<&String> = logged.iter().filter(|line| line.starts_with("  idle: ")).collect();
        if cfg!(feature = "heap-count") {
            assert_eq!(idle.len(), 1, "{logged:?}");
            assert!(logged.last() == Some(idle[0]) && idle[0].ends_with(" blocks"), "{logged:?}");
        } else {
            assert!(idle.is_empty(), "{logged:?}");
        }
    }

    /// A part of the work that fails is logged and shown on every page (the error the
    /// pages' banner lists), as a failed edit is.
    #[test]
    fn a_part_of_the_work_that_fails_is_logged_and_shown_on_the_pages() {
        let (_dir, mut live, shared) = live_after_an_edit("BOOM Publier les données du travail");
        work_step(&mut live, &shared, log_here, &Interrupt::default());
        let errors = shared.errors.read().unwrap().clone();
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!(errors[0].path, "rebuild");
        assert!(errors[0].message.contains("no_such_value"), "{}", errors[0].message);
        let logged = LOGGED.with(|logged| logged.borrow().clone());
        assert!(logged.iter().any(|line| line.starts_with("rebuild: rebuild failed: ") && line.contains("no_such_value")), "{logged:?}");
    }

    /// A save interrupts the work an earlier edit left; the files an editor writes
    /// beside the real one (a swap file, a backup) do not, or every keystroke in vim
    /// would stop the background work.
    #[test]
    fn an_editors_scratch_files_interrupt_no_work_and_a_saved_sheet_does() {
        let root = tempfile::tempdir().unwrap();
        let content = root.path().join("content");
        std::fs::create_dir(&content).unwrap();
        let interrupt = Interrupt::default();
        let (_watcher, events) = start_watcher(root.path(), interrupt.clone()).unwrap();
        let seen = |what: &str| {
            let (_, event) = events.recv_timeout(Duration::from_secs(10)).unwrap_or_else(|_| panic!("the watcher did not see {what}"));
            event.unwrap();
            while events.recv_timeout(Duration::from_millis(300)).is_ok() {}
        };
        for scratch in [".sheet.yaml.swp", "sheet.yaml~"] {
            std::fs::write(content.join(scratch), "x").unwrap();
            seen(scratch);
            assert!(!interrupt.is_raised(), "{scratch} interrupted the work");
        }
        std::fs::write(content.join("sheet.yaml"), "x").unwrap();
        seen("sheet.yaml");
        assert!(interrupt.is_raised(), "a saved sheet did not interrupt the work");
    }
}
