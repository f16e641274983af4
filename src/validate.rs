//! Rules that span several files: references between entities and uniqueness.
//! Rules local to one file are checked while loading (see [`crate::load`]).

use std::collections::{BTreeMap, BTreeSet};

use crate::diagnostics::Diagnostics;
use crate::load::decode::suggestion;
use crate::model::{Ref, Site};

/// Checks the loaded site and returns every problem found.
pub fn validate(site: &Site) -> Diagnostics {
    let mut diagnostics = Diagnostics::default();
    let areas: BTreeSet<&str> = site.areas.iter().map(|a| a.id.as_str()).collect();
    let institutions: BTreeSet<&str> = site.institutions.iter().map(|i| i.id.as_str()).collect();
    // `field` is the dotted field for machines, `human` how a sentence names it.
    let check =
        |diagnostics: &mut Diagnostics, path: &str, (field, human): (&str, &str), what: &str, reference: &Ref, known: &BTreeSet<&str>| {
            if !known.contains(reference.id.as_str()) {
                let mut hint = suggestion(&reference.id, known.iter().copied());
                if hint.is_empty() {
                    let folder = match what {
                        "area" => Some("areas"),
                        "institution" => Some("institutions"),
                        _ => None,
                    };
                    if let Some(folder) = folder {
                        // The file may exist and have failed to load; its own errors say why.
                        hint = format!("; content/{folder}/{}.yaml is missing or has errors", reference.id);
                    }
                }
                diagnostics.error(path, reference.pos, field, format!("{human} refers to an unknown {what} \"{}\"{hint}", reference.id));
            }
        };

    if let Some(publisher) = &site.config.publisher {
        check(&mut diagnostics, "content/site.yaml", ("publisher", "\"publisher\""), "institution", publisher, &institutions);
    }

    for plan in &site.plans {
        let plan_path = format!("content/plans/{}/plan.yaml", plan.id);
        check(&mut diagnostics, &plan_path, ("owner", "\"owner\""), "institution", &plan.owner, &institutions);

        let mut numbers: BTreeMap<u32, &str> = BTreeMap::new();
        for c in &plan.commitments {
            if let Some(first) = numbers.get(&c.number) {
                diagnostics.error(
                    &c.source,
                    c.number_pos,
                    "number",
                    format!("commitment number {} is already used in plan \"{}\" by {first}", c.number, plan.id),
                );
            } else {
                numbers.insert(c.number, &c.source);
            }
            check(&mut diagnostics, &c.source, ("area", "\"area\""), "area", &c.area, &areas);
            check(&mut diagnostics, &c.source, ("lead", "\"lead\""), "institution", &c.lead, &institutions);
            for (i, partner) in c.partners.iter().enumerate() {
                let field = (format!("partners[{i}]"), format!("partner {}", i + 1));
                check(&mut diagnostics, &c.source, (&field.0, &field.1), "institution", partner, &institutions);
            }
            for (i, report) in c.updates.iter().enumerate() {
                if let Some(by) = &report.by {
                    let field = (format!("updates[{i}].by"), format!("report {} \"by\"", i + 1));
                    check(&mut diagnostics, &c.source, (&field.0, &field.1), "institution", by, &institutions);
                }
            }
            for (a, activity) in c.activities.iter().enumerate() {
                for (i, report) in activity.updates.iter().enumerate() {
                    if let Some(by) = &report.by {
                        let field = (format!("activities[{a}].updates[{i}].by"), format!("activity {} report {} \"by\"", a + 1, i + 1));
                        check(&mut diagnostics, &c.source, (&field.0, &field.1), "institution", by, &institutions);
                    }
                }
                for (i, partner) in activity.partners.iter().enumerate() {
                    let field = (format!("activities[{a}].partners[{i}]"), format!("activity {} partner {}", a + 1, i + 1));
                    check(&mut diagnostics, &c.source, (&field.0, &field.1), "institution", partner, &institutions);
                }
            }
            for (i, assessment) in c.assessments.iter().enumerate() {
                let field = (format!("assessments[{i}].by"), format!("assessment {} \"by\"", i + 1));
                check(&mut diagnostics, &c.source, (&field.0, &field.1), "institution", &assessment.by, &institutions);
            }
        }
    }

    let commitments: BTreeSet<String> =
        site.plans.iter().flat_map(|p| p.commitments.iter().map(move |c| format!("{}/{}", p.id, c.id))).collect();
    let known_commitments: BTreeSet<&str> = commitments.iter().map(String::as_str).collect();
    for post in &site.news {
        for (i, related) in post.related.iter().enumerate() {
            let field = (format!("related[{i}]"), format!("related commitment {}", i + 1));
            check(&mut diagnostics, &post.source, (&field.0, &field.1), "commitment", related, &known_commitments);
        }
    }
    check_translations_of_pages(site, &mut diagnostics);
    diagnostics
}

/// A page or news post that exists in one language but not another is a missing
/// translation: a warning, like a missing text in YAML.
fn check_translations_of_pages(site: &Site, diagnostics: &mut Diagnostics) {
    let languages = &site.config.languages;
    let mut pages: BTreeMap<&str, Vec<(&str, &str)>> = BTreeMap::new();
    for page in &site.pages {
        pages.entry(page.slug.as_str()).or_default().push((page.lang.as_str(), page.source.as_str()));
    }
    let mut posts: BTreeMap<String, Vec<(&str, &str)>> = BTreeMap::new();
    for post in &site.news {
        posts.entry(format!("{}-{}", post.date, post.slug)).or_default().push((post.lang.as_str(), post.source.as_str()));
    }
    let groups = pages.into_iter().map(|(k, v)| (k.to_string(), v)).chain(posts);
    for (_, variants) in groups {
        let Some((_, first_source)) = variants.first() else { continue };
        for lang in languages {
            if !variants.iter().any(|(l, _)| l == lang) {
                let expected = first_source.rsplit_once('/').map(|(dir, name)| {
                    let stem = name.trim_end_matches(".md");
                    let base = stem.rsplit_once('.').map_or(stem, |(b, _)| b);
                    format!("{dir}/{base}.{lang}.md")
                });
                diagnostics.untranslated(
                    first_source,
                    crate::model::Pos::new(1, 1),
                    "",
                    lang,
                    // The other file may exist and have failed to load; its own errors say why.
                    format!(
                        "there is no {} version of this file yet ({} is missing or has errors)",
                        crate::load::decode::language_name(lang),
                        expected.unwrap_or_default()
                    ),
                );
            }
        }
    }
}
