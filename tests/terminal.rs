//! What a person at a terminal sees, which a pipe never shows: the progress bar of a
//! build that lasts (and none with `--quiet`), and an xlsx workbook refused on a
//! terminal. Each command runs with one of its streams on a pseudo-terminal.

mod common;

use std::fs::{self, File};
use std::io::Read;
use std::os::fd::{FromRawFd, OwnedFd};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};

/// Which of the command's streams is the terminal; the other is a pipe.
#[derive(Clone, Copy)]
enum Tty {
    Stdout,
    Stderr,
}

struct Run {
    status: ExitStatus,
    /// What the terminal received (with the terminal's `\r\n` line ends).
    terminal: String,
    /// What the other stream's pipe received.
    piped: String,
}

/// Runs shafaf with `tty` on a new 100-column pseudo-terminal, reading it to the end.
fn in_terminal(args: &[&str], tty: Tty) -> Run {
    let (mut master, mut slave) = (-1, -1);
    let size = libc::winsize { ws_row: 24, ws_col: 100, ws_xpixel: 0, ws_ypixel: 0 };
    // SAFETY: openpty writes two descriptors into the given integers and reads `size`.
    let rc = unsafe { libc::openpty(&mut master, &mut slave, std::ptr::null_mut(), std::ptr::null(), &size) };
    assert_eq!(rc, 0, "openpty: {}", std::io::Error::last_os_error());
    // SAFETY: both descriptors were just opened and nothing else owns them.
    let (master, slave) = unsafe { (OwnedFd::from_raw_fd(master), OwnedFd::from_raw_fd(slave)) };

    let mut command = Command::new(env!("CARGO_BIN_EXE_shafaf"));
    command.args(args).stdin(Stdio::null());
    match tty {
        Tty::Stdout => command.stdout(Stdio::from(slave)).stderr(Stdio::piped()),
        Tty::Stderr => command.stderr(Stdio::from(slave)).stdout(Stdio::piped()),
    };
    let child = command.spawn().expect("run shafaf");
    // The command holds this process's copy of the terminal's other end: closing it
    // lets the reader see the end (EIO) once the child has exited.
    drop(command);
    let reader = std::thread::spawn(move || {
        let mut file = File::from(master);
        let (mut bytes, mut buffer) = (Vec::new(), [0; 8192]);
        while let Ok(n @ 1..) = file.read(&mut buffer) {
            bytes.extend_from_slice(&buffer[..n]);
        }
        bytes
    });
    let output = child.wait_with_output().expect("wait for shafaf");
    let terminal = String::from_utf8_lossy(&reader.join().expect("read the terminal")).into_owned();
    let piped = match tty {
        Tty::Stdout => output.stderr,
        Tty::Stderr => output.stdout,
    };
    Run { status: output.status, terminal, piped: String::from_utf8_lossy(&piped).into_owned() }
}

/// The end of a long terminal output, for a failure's message.
fn tail(text: &str) -> String {
    let start = text.char_indices().rev().nth(400).map_or(0, |(i, _)| i);
    format!("{:?}", &text[start..])
}

fn valid_site(dir: &Path) -> PathBuf {
    let root = dir.join("site");
    common::copy_tree(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/valid-site"), &root);
    root
}

/// The valid site with 1,000 more commitments: a debug build of it renders for several
/// seconds, well past the second after which the progress bar appears.
fn long_site(dir: &Path) -> PathBuf {
    let root = valid_site(dir);
    let commitments = root.join("content/plans/2024-2027/commitments");
    let model = fs::read_to_string(commitments.join("access-to-information.yaml")).unwrap();
    assert!(model.starts_with("number: 2\n"));
    for number in 100..1100 {
        fs::write(commitments.join(format!("copy-{number}.yaml")), model.replacen("number: 2\n", &format!("number: {number}\n"), 1))
            .unwrap();
    }
    root
}

fn build_args<'a>(root: &'a Path, out: &'a Path, quiet: bool) -> Vec<&'a str> {
    let mut args = vec!["build", "--as-of", "2025-01-01", "--root", root.to_str().unwrap(), "--out", out.to_str().unwrap()];
    if quiet {
        args.push("--quiet");
    }
    args
}

#[test]
fn a_long_build_shows_its_progress_at_a_terminal_and_never_with_quiet_or_in_a_pipe() {
    let dir = tempfile::tempdir().unwrap();
    let root = long_site(dir.path());
    let out = dir.path().join("public");

    let shown = in_terminal(&build_args(&root, &out, false), Tty::Stderr);
    assert!(shown.status.success(), "{}", tail(&shown.terminal));
    let bar = shown.terminal.find(" rendering ").unwrap_or_else(|| panic!("no progress bar: {}", tail(&shown.terminal)));
    assert!(shown.terminal[bar..].contains(" pages "), "{}", tail(&shown.terminal));
    // The bar is cleared (carriage return, erase the line) before the summary is printed.
    assert!(shown.terminal.ends_with("\r\n") && shown.terminal.contains("\r\u{1b}[2Kbuilt "), "{}", tail(&shown.terminal));

    let quiet = in_terminal(&build_args(&root, &out, true), Tty::Stderr);
    assert!(quiet.status.success(), "{}", tail(&quiet.terminal));
    assert_eq!(quiet.terminal, "", "--quiet prints nothing, not even the bar");

    let piped = Command::new(env!("CARGO_BIN_EXE_shafaf")).args(build_args(&root, &out, false)).output().unwrap();
    assert!(piped.status.success());
    let stderr = String::from_utf8_lossy(&piped.stderr);
    assert!(!stderr.contains("rendering"), "a pipe gets no bar: {stderr}");
    assert!(stderr.starts_with("built ") && stderr.contains(" pages and "), "{stderr}");
}

#[test]
fn a_quick_build_at_a_terminal_prints_only_its_summary() {
    let dir = tempfile::tempdir().unwrap();
    let root = valid_site(dir.path());
    let out = dir.path().join("public");
    let run = in_terminal(&build_args(&root, &out, false), Tty::Stderr);
    assert!(run.status.success(), "{}", run.terminal);
    let lines: Vec<&str> = run.terminal.lines().map(|l| l.trim_end_matches('\r')).filter(|l| !l.is_empty()).collect();
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(lines[0].starts_with("built ") && lines[0].contains(" pages and "), "{lines:?}");
}

#[test]
fn a_workbook_is_refused_on_a_terminal_and_a_csv_is_shown_there() {
    let dir = tempfile::tempdir().unwrap();
    let root = valid_site(dir.path());
    let root = root.to_str().unwrap();

    let xlsx = in_terminal(
        &["report", "template", "--plan", "2024-2027", "--format", "xlsx", "--root", root, "--as-of", "2026-11-01"],
        Tty::Stdout,
    );
    assert_eq!(xlsx.status.code(), Some(2), "{}", xlsx.piped);
    assert_eq!(xlsx.terminal, "", "no workbook bytes reach the terminal");
    assert_eq!(xlsx.piped, "error: an xlsx workbook is not for a terminal; give --out FILE.xlsx\n");

    let csv = in_terminal(&["report", "template", "--plan", "2024-2027", "--root", root, "--as-of", "2026-11-01"], Tty::Stdout);
    assert!(csv.status.success(), "{}", csv.piped);
    // The CSV as written to a file: a byte order mark for spreadsheets, CRLF rows.
    assert!(csv.terminal.starts_with("\u{feff}plan,commitment,activity,"), "{}", tail(&csv.terminal));
    assert!(csv.terminal.contains("\n2024-2027,open-data,1,"), "{}", tail(&csv.terminal));
}
