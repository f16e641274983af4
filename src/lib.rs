//! shafaf — a static site generator for open-government transparency portals.
//!
//! The data flows one way: [`load`] reads `content/` into the [`model`], [`validate`]
//! checks what spans files, [`derive`] computes statuses and progress, and the
//! commands write or report the result.

pub mod build;
pub mod derive;
pub mod diagnostics;
pub mod export;
pub mod language;
pub mod load;
pub mod minify;
pub mod model;
pub mod output;
pub mod present;
pub mod render;
pub mod report;
pub mod revisions;
pub mod routes;
pub mod scaffold;
pub mod search;
pub mod serve;
pub mod timings;
pub mod urls;
pub mod validate;

use std::path::Path;

use chrono::NaiveDate;

pub use diagnostics::{Diagnostic, Diagnostics, Severity, Sources};

/// A loaded, checked portal with its derived facts.
pub struct Checked {
    pub site: model::Site,
    pub diagnostics: Diagnostics,
    pub sources: Sources,
    pub facts: derive::Facts,
}

/// The date statuses are judged on: `--as-of`, else `site.yaml`'s `as_of`, else today.
pub fn resolve_as_of(flag: Option<model::Date>, site: &model::Site) -> NaiveDate {
    flag.or(site.config.as_of).and_then(|d| d.first_day()).unwrap_or_else(|| chrono::Local::now().date_naive())
}

/// Loads, validates and derives a portal. `strict` turns warnings into errors.
pub fn check(root: &Path, as_of: Option<model::Date>, strict: bool) -> std::io::Result<Checked> {
    let started = std::time::Instant::now();
    let loaded = load::load(root)?;
    timings::trace("load", started);
    let mut diagnostics = loaded.diagnostics;
    let started = std::time::Instant::now();
    diagnostics.extend(validate::validate(&loaded.site));
    timings::trace("validate", started);
    let partial: Vec<String> = loaded.site.config.table().rows().iter().filter(|l| l.partial).map(|l| l.code.clone()).collect();
    diagnostics.settle_partial_languages(&partial);
    if strict {
        diagnostics.make_warnings_errors();
    }
    let as_of = resolve_as_of(as_of, &loaded.site);
    let started = std::time::Instant::now();
    let mut facts = derive::derive(&loaded.site, as_of);
    timings::trace("derive", started);
    let started = std::time::Instant::now();
    facts.history = std::sync::Arc::new(history(root, &loaded.site, as_of));
    timings::trace("history", started);
    Ok(Checked { site: loaded.site, diagnostics, sources: loaded.sources, facts })
}

/// The revisions of the sheets from the content's git history up to `as_of`; a history
/// that cannot be read is named on stderr and left out (the site still builds).
pub fn history(root: &Path, site: &model::Site, as_of: NaiveDate) -> revisions::History {
    revisions::read(root, &site.config.languages, as_of).unwrap_or_else(|err| {
        eprintln!("warning: the content's git history cannot be read, so no revisions are shown: {err:#}");
        revisions::History::default()
    })
}
