//! `shafaf new`: writes skeleton content files that `check` accepts.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

use crate::load::decode::{is_id, language_name};
use crate::model::Site;

/// Writes a new commitment sheet into `plan` with the next free number and returns its path.
pub fn new_commitment(root: &Path, site: &Site, plan_id: &str, id: Option<&str>) -> Result<PathBuf> {
    let Some(plan) = site.plans.iter().find(|p| p.id == plan_id) else {
        let known: Vec<&str> = site.plans.iter().map(|p| p.id.as_str()).collect();
        bail!("there is no plan \"{plan_id}\" (plans: {})", if known.is_empty() { "none".into() } else { known.join(", ") });
    };
    let number = plan.commitments.iter().map(|c| c.number).max().unwrap_or(0) + 1;
    let id = id.map(str::to_string).unwrap_or_else(|| format!("commitment-{number}"));
    if !is_id(&id) {
        bail!("\"{id}\" is not a valid identifier; use lower-case letters, digits and hyphens");
    }
    let dir = root.join("content/plans").join(plan_id).join("commitments");
    let path = dir.join(format!("{id}.yaml"));
    if path.exists() {
        bail!("{} already exists", path.display());
    }
    let area = site.areas.first().map(|a| a.id.as_str()).unwrap_or("CHANGE-ME");
    let yaml = skeleton(&site.config.languages, number, area, &plan.owner.id, &plan.start.to_string(), &plan.end.to_string());
    fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    fs::write(&path, yaml).with_context(|| format!("writing {}", path.display()))?;
    Ok(path)
}

fn text(languages: &[String], indent: &str, what: &str) -> String {
    let mut out = String::new();
    for lang in languages {
        let _ = writeln!(out, "{indent}{lang}: \"TODO: {what} in {}\"", language_name(lang));
    }
    out
}

fn skeleton(languages: &[String], number: u32, area: &str, lead: &str, start: &str, end: &str) -> String {
    let mut y = String::new();
    let _ = writeln!(y, "# A commitment sheet (content format v1). Replace every TODO; see docs/content-format.md.");
    let _ = writeln!(y, "number: {number}");
    let _ = write!(y, "title:\n{}", text(languages, "  ", "the commitment's title"));
    let _ = writeln!(y, "area: {area}                 # an ID from content/areas/");
    let _ = writeln!(y, "lead: {lead}                 # an ID from content/institutions/");
    let _ = writeln!(y, "partners: []");
    let _ = writeln!(y, "ogp_values: [access_to_information, civic_participation, public_accountability, technology_innovation]");
    for (key, what) in [("problem", "the problem addressed"), ("solution", "the proposed solution"), ("results", "the expected results")] {
        let _ = write!(y, "{key}:\n{}", text(languages, "  ", what));
    }
    let _ = writeln!(y, "activities:");
    let _ = write!(y, "  - title:\n{}", text(languages, "      ", "the activity"));
    let _ =
        writeln!(y, "    start: {start}\n    end: {end}               # as in the official plan; a later decision goes under replanned:");
    // No progress line: an activity nobody has reported on is "not reported", and a
    // scaffolded 0 % would claim a report that was never made.
    let _ = writeln!(y, "    # updates:                  # dated progress reports, oldest first, once someone reports");
    let _ = writeln!(
        y,
        "    #   - {{date: YYYY-MM-DD, progress: 0..100, by: {lead}, note: {{...}}, evidence: [{{title: {{...}}, url: \"https://...\"}}]}}"
    );
    let _ = writeln!(y, "indicators:");
    let _ = writeln!(y, "  - kind: tracking             # tracking | impact");
    let _ = write!(y, "    title:\n{}", text(languages, "      ", "what is counted"));
    let _ = writeln!(y, "    unit: count                # count | percent | text");
    let _ = writeln!(y, "    baseline: 0");
    y
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skeleton_lists_every_language() {
        let y = skeleton(&["ar".into(), "fr".into(), "zgh".into()], 13, "area", "lead", "2024-01", "2027-12");
        assert!(y.contains("number: 13"));
        assert!(y.contains("zgh: \"TODO"));
        assert!(y.contains("start: 2024-01"));
    }
}
