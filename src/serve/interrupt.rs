//! A newer edit interrupts the work an older one left. After an edit's own pages are
//! published, the preview still renders the pages that list it and regenerates the open
//! data and the search index: a second or so on 1,000 commitments, 5 to 10 s on 10,000.
//! An editor who saves again meanwhile must not wait for that. The file watcher raises
//! the flag as a change arrives; the work checks it between pieces (a file of the feeds,
//! a document of the index, a block of written bytes), stops, and is redone after the
//! newer edit, on the newer content.

use std::io::{self, Write};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use anyhow::Result;

use crate::output::{OutputFile, Sink};

/// Raised by the file watcher, cleared by the preview as it takes the changes.
#[derive(Clone, Debug, Default)]
pub struct Interrupt {
    raised: Arc<AtomicBool>,
    /// For tests: the flag raises itself after this many more looks at it, so that work
    /// is interrupted in the middle of a step, at a point the test chooses.
    countdown: Option<Arc<AtomicUsize>>,
}

impl Interrupt {
    /// An interrupt that raises itself after `looks` looks at it (0: at the first).
    pub fn raised_after(looks: usize) -> Interrupt {
        Interrupt { raised: Arc::default(), countdown: Some(Arc::new(AtomicUsize::new(looks))) }
    }

    pub fn raise(&self) {
        self.raised.store(true, Ordering::Release);
    }

    pub fn clear(&self) {
        self.raised.store(false, Ordering::Release);
    }

    pub fn is_raised(&self) -> bool {
        if let Some(countdown) = &self.countdown
            && countdown.fetch_update(Ordering::AcqRel, Ordering::Acquire, |left| left.checked_sub(1)).is_err()
        {
            self.raise();
        }
        self.raised.load(Ordering::Acquire)
    }

    /// `Err(Interrupted)` once raised: the check made between pieces of work.
    pub fn check(&self) -> Result<()> {
        if self.is_raised() { Err(Interrupted.into()) } else { Ok(()) }
    }
}

/// The error the interrupted work ends with; not a failure of the rebuild.
#[derive(Debug)]
pub struct Interrupted;

impl std::fmt::Display for Interrupted {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("interrupted by a newer edit")
    }
}

impl std::error::Error for Interrupted {}

/// Whether `err` is an interruption, also when it came through an I/O error of a
/// writer (a feed written piece by piece).
pub fn is_interruption(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause.is::<Interrupted>()
            || cause.downcast_ref::<io::Error>().and_then(|e| e.get_ref()).is_some_and(|inner| inner.is::<Interrupted>())
    })
}

/// A [`Sink`] that stops taking files once the interrupt is raised.
pub struct Interruptible<'a> {
    pub sink: &'a dyn Sink,
    pub interrupt: &'a Interrupt,
}

impl Sink for Interruptible<'_> {
    fn put(&self, file: OutputFile) -> Result<()> {
        self.interrupt.check()?;
        self.sink.put(file)
    }

    fn go_on(&self) -> Result<()> {
        self.interrupt.check()
    }

    fn put_written(&self, path: String, write: &mut dyn FnMut(&mut dyn Write) -> Result<()>) -> Result<usize> {
        self.interrupt.check()?;
        let interrupt = self.interrupt;
        self.sink.put_written(path, &mut |out| write(&mut Checked { out, interrupt }))
    }
}

/// A writer that fails with [`Interrupted`] once the interrupt is raised.
struct Checked<'w> {
    out: &'w mut dyn Write,
    interrupt: &'w Interrupt,
}

impl Write for Checked<'_> {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        if self.interrupt.is_raised() {
            return Err(io::Error::other(Interrupted));
        }
        self.out.write(bytes)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::serve::store::Collector;

    /// A CSV table is written into a buffer and reaches the sink when it is flushed at
    /// the end; an interruption raised by then is still told as one (the flush's error
    /// was once turned into text, and the preview took a newer edit for a failure).
    #[test]
    fn an_interruption_met_when_a_csv_table_is_flushed_is_told_as_one() {
        let interrupt = Interrupt::default();
        let collector = Collector::default();
        let sink = Interruptible { sink: &collector, interrupt: &interrupt };
        let table = crate::export::csv::indicators(&[], &["ar".to_string(), "fr".to_string()]);
        let err = sink
            .put_written("data/v1/indicators.csv".to_string(), &mut |out| {
                interrupt.raise();
                table.write_to(out)
            })
            .unwrap_err();
        assert!(is_interruption(&err), "{err:#}");
        assert_eq!(format!("{err:#}"), "writing indicators: interrupted by a newer edit");
    }

    #[test]
    fn a_raised_interrupt_stops_files_and_writes_and_is_told_from_failures() {
        let interrupt = Interrupt::default();
        let collector = Collector::default();
        let sink = Interruptible { sink: &collector, interrupt: &interrupt };
        sink.put(OutputFile::new("a.json", "{}")).unwrap();
        let written = sink.put_written("big.json".to_string(), &mut |out| {
            out.write_all(b"[1,")?;
            interrupt.raise();
            out.write_all(b"2]")?;
            Ok(())
        });
        let err = written.unwrap_err();
        assert!(is_interruption(&err), "{err:#}");
        assert!(is_interruption(&sink.put(OutputFile::new("b.json", "{}")).unwrap_err()));
        assert!(!is_interruption(&anyhow::anyhow!("disk full")));
        interrupt.clear();
        sink.put(OutputFile::new("c.json", "{}")).unwrap();
        let files = collector.into_files().unwrap();
        assert_eq!(files.keys().collect::<Vec<_>>(), ["a.json", "c.json"], "the interrupted file is not kept");
    }

    #[test]
    fn an_interrupt_set_to_a_count_of_looks_raises_itself_at_that_look_and_stays_raised() {
        let interrupt = Interrupt::raised_after(2);
        let looks: Vec<bool> = (0..5).map(|_| interrupt.is_raised()).collect();
        assert_eq!(looks, [false, false, true, true, true]);
        let at_once = Interrupt::raised_after(0);
        assert!(at_once.check().is_err(), "0: raised at the first look");
        let plain = Interrupt::default();
        assert!((0..5).all(|_| !plain.is_raised()), "an interrupt without a count waits for the watcher");
        let shared = plain.clone();
        shared.raise();
        assert!(plain.is_raised(), "clones share the flag: the watcher raises what the preview checks");
        plain.clear();
        assert!(!shared.is_raised());
    }

    #[test]
    fn the_interruption_says_what_stopped_the_work_and_is_found_under_context() {
        let err = Interrupt::raised_after(0).check().unwrap_err();
        assert_eq!(err.to_string(), "interrupted by a newer edit");
        let wrapped = err.context("regenerating the feeds");
        assert!(is_interruption(&wrapped), "{wrapped:#}");
        let through_io = anyhow::Error::new(io::Error::other(Interrupted)).context("writing commitments.json");
        assert!(is_interruption(&through_io));
        assert!(!is_interruption(&anyhow::Error::new(io::Error::other("disk full"))));
        assert!(!is_interruption(&anyhow::Error::new(io::Error::from(io::ErrorKind::BrokenPipe))));
    }

    /// A sink that records what the writer under it was asked to do.
    #[derive(Default)]
    struct Recorder {
        seen: std::sync::Mutex<Vec<String>>,
    }

    struct RecordingWriter<'r>(&'r Recorder);

    impl Write for RecordingWriter<'_> {
        fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
            self.0.seen.lock().unwrap().push(format!("write {}", String::from_utf8_lossy(bytes)));
            Ok(bytes.len())
        }

        fn flush(&mut self) -> io::Result<()> {
            self.0.seen.lock().unwrap().push("flush".into());
            Ok(())
        }
    }

    impl Sink for Recorder {
        fn put(&self, file: OutputFile) -> Result<()> {
            self.seen.lock().unwrap().push(format!("put {}", file.path));
            Ok(())
        }

        fn put_written(&self, path: String, write: &mut dyn FnMut(&mut dyn Write) -> Result<()>) -> Result<usize> {
            self.seen.lock().unwrap().push(format!("put_written {path}"));
            write(&mut RecordingWriter(self))?;
            Ok(42)
        }
    }

    #[test]
    fn until_raised_the_sink_passes_files_writes_and_flushes_on_and_lets_the_work_go_on() {
        let interrupt = Interrupt::default();
        let recorder = Recorder::default();
        let sink = Interruptible { sink: &recorder, interrupt: &interrupt };
        assert!(sink.go_on().is_ok());
        sink.put(OutputFile::new("a.html", "a")).unwrap();
        let size = sink
            .put_written("big.json".into(), &mut |out| {
                out.write_all(b"[1]")?;
                out.flush()?;
                Ok(())
            })
            .unwrap();
        assert_eq!(size, 42, "the size the sink under it reports");
        assert_eq!(*recorder.seen.lock().unwrap(), ["put a.html", "put_written big.json", "write [1]", "flush"]);
        interrupt.raise();
        assert!(is_interruption(&sink.go_on().unwrap_err()), "the work between files stops too");
        assert!(is_interruption(&sink.put_written("late.json".into(), &mut |_| Ok(())).unwrap_err()));
        assert_eq!(recorder.seen.lock().unwrap().len(), 4, "nothing reaches the sink once raised");
    }
}
