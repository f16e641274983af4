//! The `shafaf` command line: parse arguments, run one command, map the outcome to an
//! exit code (0 success, 1 content errors, 2 usage or I/O errors).

use std::collections::BTreeMap;
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

// Rendering allocates and frees many small strings and JSON values per page; glibc's
// allocator spent a quarter of a build's instructions on them (callgrind, 1,000-commitment
// corpus). With mimalloc's thread-local free lists the same build takes 21 % fewer
// instructions (51.2 G -> 40.5 G); the crate is small, MIT, and builds its C with the
// cc crate, which needs nothing beyond the C compiler the toolchain already uses.
#[cfg(all(feature = "mimalloc", not(feature = "heap-count")))]
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

// Counting what is live, to profile `serve`'s memory (see serve/memory.rs).
#[cfg(all(feature = "mimalloc", feature = "heap-count"))]
#[global_allocator]
static GLOBAL: shafaf::serve::CountingAllocator<mimalloc::MiMalloc> = shafaf::serve::CountingAllocator(mimalloc::MiMalloc);
#[cfg(all(not(feature = "mimalloc"), feature = "heap-count"))]
#[global_allocator]
static GLOBAL: shafaf::serve::CountingAllocator<std::alloc::System> = shafaf::serve::CountingAllocator(std::alloc::System);

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
        /// Print each missing translation too, not only the summary per language (the
        /// JSON format always gives them).
        #[arg(long, short)]
        verbose: bool,
    },
    /// What is left to translate, per language.
    Translate {
        #[command(subcommand)]
        action: TranslateAction,
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
        /// https://host/sub/path/ for a sub-path deployment. Only http(s) addresses and
        /// paths starting with / are accepted.
        #[arg(long, value_parser = parse_base_url)]
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
    /// Run a reporting round through a spreadsheet.
    Report {
        #[command(subcommand)]
        action: ReportAction,
    },
}

#[derive(Subcommand)]
enum ReportAction {
    /// Write an xlsx workbook or a CSV with one row per activity, for institutions to fill.
    Template {
        /// The plan's ID (its folder under content/plans/); without it, every running
        /// plan (then --lead is needed).
        #[arg(long)]
        plan: Option<String>,
        /// Only the activities of commitments this institution leads.
        #[arg(long)]
        lead: Option<String>,
        /// Where to write the template (default: standard output, as CSV); the format
        /// follows the extension, .xlsx or .csv.
        #[arg(long)]
        out: Option<PathBuf>,
        /// The format, whatever the extension of --out.
        #[arg(long, value_enum)]
        format: Option<TemplateFormat>,
        /// Fill the current figures as of this date (YYYY-MM-DD) instead of today.
        #[arg(long, value_parser = parse_date)]
        as_of: Option<Date>,
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
    /// Append the filled rows to the sheets as reports dated --date; all or nothing.
    Import {
        /// The filled template (from `report template`): xlsx, or CSV separated by `,` or `;`.
        file: PathBuf,
        /// The date of the reports (YYYY-MM-DD).
        #[arg(long, value_parser = parse_date)]
        date: Date,
        /// The reporting institution (default: each commitment's lead).
        #[arg(long)]
        by: Option<String>,
        /// Print what would change, with a diff of the sheets, and write nothing.
        #[arg(long)]
        dry_run: bool,
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
}

#[derive(Subcommand)]
enum TranslateAction {
    /// The language table, where each language's UI strings come from, and every text
    /// still missing in each language, by file and field.
    Status {
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Only this language.
        #[arg(long)]
        lang: Option<String>,
        /// `human` (a table, then the fields by file) or `json`.
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
    },
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum TemplateFormat {
    Xlsx,
    Csv,
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

/// `--base-url`: written into every link, so only an http(s) address or a root path.
fn parse_base_url(text: &str) -> Result<String, String> {
    shafaf::urls::check_base_url(text)
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Check { root, strict, as_of, format, verbose } => check(root, strict, as_of, format, verbose),
        Command::Translate { action: TranslateAction::Status { root, lang, format } } => translate_status(root, lang.as_deref(), format),
        Command::Build { root, out, base_url, as_of, strict, quiet, force } => {
            build(BuildOptions { root, out, base_url, as_of, strict, force, progress: !quiet && io::stderr().is_terminal() }, quiet)
        }
        Command::Serve { root, port, bind } => {
            shafaf::serve::run(shafaf::serve::ServeOptions { root, bind, port }).map(|()| ExitCode::SUCCESS)
        }
        Command::New { kind: NewKind::Commitment { plan, id, root } } => new_commitment(root, &plan, id.as_deref()),
        Command::Report { action: ReportAction::Template { plan, lead, out, format, as_of, root } } => {
            let selection = shafaf::report::Selection { plan: plan.as_deref(), lead: lead.as_deref() };
            report_template(root, &selection, out, format, as_of)
        }
        Command::Report { action: ReportAction::Import { file, date, by, dry_run, root } } => {
            report_import(root, &file, date, by.as_deref(), dry_run)
        }
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

/// The diagnostics, with the missing translations summed up per language and file at the
/// end instead of one by one (unless `verbose`).
fn print_with_summary(d: &Diagnostics, sources: &Sources, site: &shafaf::model::Site, verbose: bool) -> io::Result<()> {
    if verbose {
        print_diagnostics(d, sources)?;
    } else {
        print_diagnostics(&d.without_translations(), sources)?;
    }
    let table = site.config.table();
    let labels: Vec<(String, String)> = table.rows().iter().map(|l| (l.code.clone(), l.label())).collect();
    let mut out = io::stderr().lock();
    d.translations().print(&mut out, &labels)?;
    if !verbose && !d.translations().languages.is_empty() {
        writeln!(out, "(each missing text: shafaf check --verbose, or shafaf translate status)")?;
    }
    Ok(())
}

/// Errors for the site's languages that have no UI strings, on `languages:` in site.yaml.
fn check_ui_strings(root: &std::path::Path, checked: &mut shafaf::Checked) -> anyhow::Result<()> {
    let path = "content/site.yaml";
    let line = checked.sources.get(path).and_then(|text| text.lines().position(|l| l.starts_with("languages:"))).map_or(1, |i| i + 1);
    for message in shafaf::render::theme::check_strings(root, &checked.site.config.table())? {
        checked.diagnostics.error(path, shafaf::model::Pos::new(line, 1), "languages", message);
    }
    Ok(())
}

fn build(options: BuildOptions, quiet: bool) -> anyhow::Result<ExitCode> {
    match shafaf::build::build(&options)? {
        BuildOutcome::ContentErrors(checked) => {
            print_with_summary(&checked.diagnostics, &checked.sources, &checked.site, false)?;
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
                print_with_summary(&checked.diagnostics, &checked.sources, &checked.site, false)?;
                eprintln!(
                    "built {} pages and {} open-data files ({} files in all) into {} in {:.0?}",
                    summary.pages,
                    summary.feeds,
                    summary.files,
                    options.out.display(),
                    summary.elapsed
                );
            }
            // The process ends here: its memory goes back with it, so the model is not
            // freed piece by piece first (0.2 s of a 10,000-commitment build).
            std::mem::forget(checked);
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn check(root: PathBuf, strict: bool, as_of: Option<Date>, format: Format, verbose: bool) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    let mut checked = shafaf::check(&root, as_of, strict).map_err(|e| anyhow::anyhow!("cannot read {}: {e}", root.display()))?;
    check_ui_strings(&root, &mut checked)?;
    let d = &checked.diagnostics;
    match format {
        Format::Human => {
            print_with_summary(d, &checked.sources, &checked.site, verbose)?;
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

fn translate_status(root: PathBuf, only: Option<&str>, format: Format) -> anyhow::Result<ExitCode> {
    let checked = shafaf::check(&root, None, false).map_err(|e| anyhow::anyhow!("cannot read {}: {e}", root.display()))?;
    let table = checked.site.config.table();
    if let Some(code) = only
        && !checked.site.config.languages.iter().any(|l| l == code)
    {
        anyhow::bail!("site.yaml does not declare the language \"{code}\" (languages: {})", checked.site.config.languages.join(", "));
    }
    let ui = shafaf::render::theme::ui_strings_status(&root, &table)?;
    // Each missing text by language, file and field.
    let mut fields: BTreeMap<&str, BTreeMap<&str, Vec<String>>> = BTreeMap::new();
    let sorted = checked.diagnostics.sorted();
    for d in &sorted {
        let Some(lang) = &d.untranslated else { continue };
        let field = if d.field.is_empty() { "(the whole file)".to_string() } else { format!("{} (line {})", d.field, d.line) };
        fields.entry(lang.as_str()).or_default().entry(d.path.as_str()).or_default().push(field);
    }
    let rows: Vec<_> = table.rows().iter().filter(|l| only.is_none_or(|c| c == l.code)).collect();
    let default = checked.site.config.default_language();
    match format {
        Format::Json => {
            let languages: Vec<serde_json::Value> = rows
                .iter()
                .map(|l| {
                    let files = fields.get(l.code.as_str()).cloned().unwrap_or_default();
                    serde_json::json!({
                        "code": l.code,
                        "name": l.name,
                        "english_name": l.english_name,
                        "default": l.code == default,
                        "dir": l.dir.as_str(),
                        "fallback": table.fallback_order(&l.code),
                        "stemmer": l.stemmer.name(),
                        "ui_strings": ui.get(&l.code),
                        "missing": files.values().map(Vec::len).sum::<usize>(),
                        "files": files,
                    })
                })
                .collect();
            let mut out = io::stdout().lock();
            serde_json::to_writer_pretty(&mut out, &serde_json::json!({ "languages": languages }))?;
            writeln!(out)?;
        }
        Format::Human | Format::Github => {
            let mut out = io::stdout().lock();
            let header = ["language", "name", "dir", "falls back to", "stemmer", "UI strings", "texts missing"];
            let mut lines: Vec<[String; 7]> = vec![header.map(str::to_string)];
            for l in &rows {
                let files = fields.get(l.code.as_str());
                let missing: usize = files.map_or(0, |f| f.values().map(Vec::len).sum());
                let strings = match ui.get(&l.code) {
                    Some(shafaf::render::theme::UiStrings { file: Some(file), missing_keys }) if missing_keys.is_empty() => file.clone(),
                    Some(shafaf::render::theme::UiStrings { file: Some(file), missing_keys }) => {
                        format!("{file}, {} keys missing", missing_keys.len())
                    }
                    _ => format!("MISSING: add themes/default/i18n/{}.yaml", l.code),
                };
                lines.push([
                    if l.code == default { format!("{} (default)", l.code) } else { l.code.clone() },
                    l.name.clone(),
                    l.dir.as_str().to_string(),
                    table.fallback_order(&l.code).join(", "),
                    l.stemmer.name().to_string(),
                    strings,
                    match files.map_or(0, |f| f.len()) {
                        0 => "none".to_string(),
                        n => format!("{missing} in {n} file{}", if n == 1 { "" } else { "s" }),
                    },
                ]);
            }
            let widths: Vec<usize> = (0..7).map(|i| lines.iter().map(|l| l[i].chars().count()).max().unwrap_or(0)).collect();
            for line in &lines {
                let cells: Vec<String> =
                    line.iter().zip(&widths).map(|(cell, w)| format!("{cell}{}", " ".repeat(w - cell.chars().count()))).collect();
                writeln!(out, "{}", cells.join("  ").trim_end())?;
            }
            for l in &rows {
                if let Some(keys) = ui.get(&l.code).map(|u| &u.missing_keys).filter(|k| !k.is_empty()) {
                    writeln!(out, "\nUI strings missing in {} (shown from its fallback languages): {}", l.label(), keys.join(", "))?;
                }
                let Some(files) = fields.get(l.code.as_str()) else { continue };
                writeln!(out, "\nto translate into {}:", l.label())?;
                for (path, fields) in files {
                    writeln!(out, "  {}", diagnostics::escape_controls(path))?;
                    for field in fields {
                        writeln!(out, "    {}", diagnostics::escape_controls(field))?;
                    }
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn new_commitment(root: PathBuf, plan: &str, id: Option<&str>) -> anyhow::Result<ExitCode> {
    let loaded = shafaf::load::load(&root).map_err(|e| anyhow::anyhow!("cannot read {}: {e}", root.display()))?;
    let path = shafaf::scaffold::new_commitment(&root, &loaded.site, plan, id)?;
    println!("wrote {}", path.display());
    Ok(ExitCode::SUCCESS)
}

fn report_template(
    root: PathBuf,
    selection: &shafaf::report::Selection,
    out: Option<PathBuf>,
    format: Option<TemplateFormat>,
    as_of: Option<Date>,
) -> anyhow::Result<ExitCode> {
    use shafaf::report::Format;
    let checked = shafaf::check(&root, as_of, false).map_err(|e| anyhow::anyhow!("cannot read {}: {e}", root.display()))?;
    if checked.diagnostics.has_errors() {
        print_diagnostics(&checked.diagnostics, &checked.sources)?;
        eprintln!("the content has errors; fix them (shafaf check) before starting a reporting round");
        return Ok(ExitCode::from(1));
    }
    // The format follows --out's extension unless --format says otherwise; standard
    // output gets CSV, which a terminal or a pipe can show.
    let format = match (format, &out) {
        (Some(TemplateFormat::Xlsx), _) => Format::Xlsx,
        (Some(TemplateFormat::Csv), _) => Format::Csv,
        (None, Some(path)) if path.extension().is_some_and(|e| e.eq_ignore_ascii_case("xlsx")) => Format::Xlsx,
        (None, _) => Format::Csv,
    };
    let round = shafaf::report::template(&checked.site, &checked.facts, selection)?;
    let bytes = round.write(format)?;
    match out {
        Some(path) => {
            std::fs::write(&path, &bytes).map_err(|e| anyhow::anyhow!("writing {}: {e}", path.display()))?;
            eprintln!("wrote {} ({} activities)", path.display(), round.rows.len());
        }
        None if matches!(format, Format::Xlsx) && io::stdout().is_terminal() => {
            anyhow::bail!("an xlsx workbook is not for a terminal; give --out FILE.xlsx")
        }
        None => io::stdout().lock().write_all(&bytes)?,
    }
    Ok(ExitCode::SUCCESS)
}

fn report_import(root: PathBuf, file: &std::path::Path, date: Date, by: Option<&str>, dry_run: bool) -> anyhow::Result<ExitCode> {
    use shafaf::report;
    let as_of = date.first_day().ok_or_else(|| anyhow::anyhow!("{date} is not a day"))?;
    let before = shafaf::check(&root, Some(date), false).map_err(|e| anyhow::anyhow!("cannot read {}: {e}", root.display()))?;
    if before.diagnostics.has_errors() {
        print_diagnostics(&before.diagnostics, &before.sources)?;
        eprintln!("the content has errors; fix them (shafaf check) before importing reports");
        return Ok(ExitCode::from(1));
    }
    let bytes = std::fs::read(file).map_err(|e| anyhow::anyhow!("cannot read {}: {e}", file.display()))?;
    let name = file.display().to_string();
    let import = report::plan_import(&root, &before.site, &name, &bytes, date, by)?;
    if import.problems.has_errors() {
        print_diagnostics(&import.problems, &Default::default())?;
        eprintln!("nothing was imported: {} problems in {name}; no sheet was changed", import.problems.error_count());
        return Ok(ExitCode::from(1));
    }
    if import.changes.is_empty() {
        eprintln!("{name} has no row with a new value; nothing to import");
        return Ok(ExitCode::SUCCESS);
    }
    // The new sheets are checked as `check` would, in a copy for a dry run and in place
    // otherwise (put back as they were if the check fails).
    let scratch = tempfile::tempdir()?;
    let checked_root = if dry_run { copy_content(&root, scratch.path())? } else { root.clone() };
    report::write_changes(&checked_root, &import.changes)?;
    let after =
        shafaf::check(&checked_root, Some(date), false).map_err(|e| anyhow::anyhow!("cannot read {}: {e}", checked_root.display()))?;
    if after.diagnostics.has_errors() {
        if !dry_run {
            let undo: Vec<_> = import.changes.iter().map(|(p, old, new)| (p.clone(), new.clone(), old.clone())).collect();
            report::write_changes(&root, &undo)?;
        }
        print_diagnostics(&after.diagnostics, &after.sources)?;
        eprintln!("nothing was imported: the sheets would not pass `shafaf check`; every sheet is as it was");
        return Ok(ExitCode::from(1));
    }
    // Warnings (a note in one language only, say) do not stop an import; show them.
    print_diagnostics(&after.diagnostics, &after.sources)?;
    let mut out = io::stdout().lock();
    if dry_run {
        for (path, old, new) in &import.changes {
            write!(out, "{}", report::diff(path, old, new))?;
        }
    }
    let verb = if dry_run { "would add" } else { "added" };
    writeln!(
        out,
        "{verb} {} reports and {} replannings dated {date} to {} sheets:",
        import.reports,
        import.replannings,
        import.changes.len()
    )?;
    for line in report::summary(&before.site, &after.site, as_of, &import.touched) {
        writeln!(out, "  {line}")?;
    }
    if dry_run {
        writeln!(out, "dry run: no file was written")?;
    }
    Ok(ExitCode::SUCCESS)
}

/// Copies `root/content` into `to`, for a dry run's check.
fn copy_content(root: &std::path::Path, to: &std::path::Path) -> anyhow::Result<PathBuf> {
    for entry in walkdir::WalkDir::new(root.join("content")).follow_links(false) {
        let entry = entry?;
        let relative = entry.path().strip_prefix(root)?;
        let target = to.join(relative);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target)?;
        } else if entry.file_type().is_file() {
            std::fs::copy(entry.path(), &target)?;
        }
    }
    Ok(to.to_path_buf())
}
