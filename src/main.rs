//! The `shafaf` command line: parse arguments, run one command, map the outcome to an
//! exit code (0 success, 1 content errors, 2 usage or I/O errors).

use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use clap::{Parser, Subcommand};
use codespan_reporting::term::termcolor::{ColorChoice, StandardStream};

use shafaf::Diagnostics;
use shafaf::build::{BuildOptions, BuildOutcome};
use shafaf::diagnostics::{self, Format, Sources};
use shafaf::model::Date;

#[derive(Parser)]
#[command(name = "shafaf", version, about = "A static site generator for open-government transparency portals")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Validate the content and report every problem at once.
    Check {
        /// The site root: the folder that holds content/.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Treat warnings (such as missing translations) as errors.
        #[arg(long)]
        strict: bool,
        /// Judge statuses on this date (YYYY-MM-DD) instead of site.yaml's as_of or today.
        #[arg(long, value_parser = parse_date)]
        as_of: Option<Date>,
        /// How to print the problems.
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
    },
    /// Build the static site and the open-data feeds.
    Build {
        /// The site root: the folder that holds content/.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Where to write the site; replaced atomically.
        #[arg(long, default_value = "public")]
        out: PathBuf,
        /// The URL the site is published at (overrides site.yaml's base_url), e.g.
        /// https://host/sub/path/ for a sub-path deployment.
        #[arg(long)]
        base_url: Option<String>,
        /// Judge statuses on this date (YYYY-MM-DD) instead of site.yaml's as_of or today.
        #[arg(long, value_parser = parse_date)]
        as_of: Option<Date>,
        /// Treat warnings (such as missing translations) as errors.
        #[arg(long)]
        strict: bool,
        /// Print nothing but errors (for scripts).
        #[arg(long, short)]
        quiet: bool,
        /// Replace an --out folder that holds files shafaf did not write (they are
        /// named before they are removed). Never allowed for the sources themselves.
        #[arg(long)]
        force: bool,
    },
    /// Build, serve and rebuild on every change, reloading the browser.
    Serve {
        /// The site root: the folder that holds content/.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// The port to listen on (0 picks a free one).
        #[arg(long, default_value_t = 1111)]
        port: u16,
        /// The address to listen on; loopback by default, so only this machine sees it.
        #[arg(long, default_value = "127.0.0.1")]
        bind: String,
    },
    /// Scaffold a new content file.
    New {
        #[command(subcommand)]
        kind: NewKind,
    },
}

#[derive(Subcommand)]
enum NewKind {
    /// A commitment sheet with the plan's next free number.
    Commitment {
        /// The plan's ID (its folder under content/plans/).
        #[arg(long)]
        plan: String,
        /// The new sheet's ID (file name); defaults to commitment-NUMBER.
        #[arg(long)]
        id: Option<String>,
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
}

/// `--as-of`: a full day, `YYYY-MM-DD`; a year or a month alone would leave the day to guess.
fn parse_date(text: &str) -> Result<Date, String> {
    match Date::parse(text) {
        Some(date) if date.day.is_some() && date.in_year_window() => Ok(date),
        Some(date) if date.day.is_some() => Err(format!("\"{text}\" is outside {}", Date::year_window())),
        _ => Err(format!("\"{text}\" is not a date in the form YYYY-MM-DD, such as 2025-06-30")),
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Check { root, strict, as_of, format } => check(root, strict, as_of, format),
        Command::Build { root, out, base_url, as_of, strict, quiet, force } => {
            build(BuildOptions { root, out, base_url, as_of, strict, force, progress: !quiet && io::stderr().is_terminal() }, quiet)
        }
        Command::Serve { root, port, bind } => {
            shafaf::serve::run(shafaf::serve::ServeOptions { root, bind, port }).map(|()| ExitCode::SUCCESS)
        }
        Command::New { kind: NewKind::Commitment { plan, id, root } } => new_commitment(root, &plan, id.as_deref()),
    };
    match result {
        Ok(code) => code,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::from(2)
        }
    }
}

fn print_diagnostics(d: &Diagnostics, sources: &Sources) -> io::Result<()> {
    let color = if io::stderr().is_terminal() { ColorChoice::Auto } else { ColorChoice::Never };
    diagnostics::print_human(&mut StandardStream::stderr(color), d, sources)
}

fn build(options: BuildOptions, quiet: bool) -> anyhow::Result<ExitCode> {
    match shafaf::build::build(&options)? {
        BuildOutcome::ContentErrors(checked) => {
            print_diagnostics(&checked.diagnostics, &checked.sources)?;
            eprintln!(
                "build failed: {} errors, {} warnings; {} was left untouched",
                checked.diagnostics.error_count(),
                checked.diagnostics.warning_count(),
                options.out.display()
            );
            Ok(ExitCode::from(1))
        }
        BuildOutcome::Built { checked, summary } => {
            if !quiet {
                print_diagnostics(&checked.diagnostics, &checked.sources)?;
                eprintln!(
                    "built {} pages and {} open-data files ({} files in all) into {} in {:.0?}",
                    summary.pages,
                    summary.feeds,
                    summary.files,
                    options.out.display(),
                    summary.elapsed
                );
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn check(root: PathBuf, strict: bool, as_of: Option<Date>, format: Format) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    let checked = shafaf::check(&root, as_of, strict).map_err(|e| anyhow::anyhow!("cannot read {}: {e}", root.display()))?;
    let d = &checked.diagnostics;
    match format {
        Format::Human => {
            print_diagnostics(d, &checked.sources)?;
            let mut out = io::stderr().lock();
            let commitments: usize = checked.site.plans.iter().map(|p| p.commitments.len()).sum();
            writeln!(
                out,
                "checked {} plans, {commitments} commitments, {} pages and {} news posts in {:.0?}: {} errors, {} warnings",
                checked.site.plans.len(),
                checked.site.pages.len(),
                checked.site.news.len(),
                started.elapsed(),
                d.error_count(),
                d.warning_count()
            )?;
        }
        Format::Json => diagnostics::print_json(&mut io::stdout().lock(), d)?,
        Format::Github => diagnostics::print_github(&mut io::stdout().lock(), d)?,
    }
    Ok(if d.has_errors() { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

fn new_commitment(root: PathBuf, plan: &str, id: Option<&str>) -> anyhow::Result<ExitCode> {
    let loaded = shafaf::load::load(&root).map_err(|e| anyhow::anyhow!("cannot read {}: {e}", root.display()))?;
    let path = shafaf::scaffold::new_commitment(&root, &loaded.site, plan, id)?;
    println!("wrote {}", path.display());
    Ok(ExitCode::SUCCESS)
}
