//! Loading on sites made in a temporary folder: the model read and every problem found,
//! with its file, line, column, field and message.

use std::fs;

use super::*;
use crate::diagnostics::Severity;

const SITE: &str = "\
title: {fr: Portail}
base_url: https://example.org/
languages: [fr]
data_license: {id: CC-BY-4.0, url: https://example.org/licence}
";

const PLAN: &str = "\
title: {fr: Plan}
owner: lead
start: 2024-01
end: 2027-12
status: active
";

/// A sheet's fields before the ones a test adds.
const SHEET: &str = "\
number: 1
title: {fr: Engagement}
area: a
lead: lead
";

/// A site root whose `content/` holds `files` (path, text).
fn site(files: &[(&str, &str)]) -> tempfile::TempDir {
    let root = tempfile::tempdir().unwrap();
    for (path, text) in files {
        let path = root.path().join("content").join(path);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }
    root
}

/// (path, line, column, severity, field, message) of each diagnostic, sorted.
type Found = Vec<(String, usize, usize, Severity, String, String)>;

fn found(diagnostics: &Diagnostics) -> Found {
    diagnostics.sorted().into_iter().map(|d| (d.path, d.line, d.column, d.severity, d.field, d.message)).collect()
}

fn load_files(files: &[(&str, &str)]) -> (Site, Found) {
    let root = site(files);
    let loaded = load(root.path()).unwrap();
    (loaded.site, found(&loaded.diagnostics))
}

fn error(path: &str, line: usize, column: usize, field: &str, message: &str) -> (String, usize, usize, Severity, String, String) {
    (path.into(), line, column, Severity::Error, field.into(), message.into())
}

fn warning(path: &str, line: usize, column: usize, field: &str, message: &str) -> (String, usize, usize, Severity, String, String) {
    (path.into(), line, column, Severity::Warning, field.into(), message.into())
}

const SHEET_PATH: &str = "content/plans/p/commitments/c.yaml";

/// Loads a one-plan site whose only sheet is `SHEET` followed by `rest`: the sheet (if
/// it was read) and the diagnostics.
fn sheet(rest: &str) -> (Option<Commitment>, Found) {
    let text = format!("{SHEET}{rest}");
    let (site, found) = load_files(&[("site.yaml", SITE), ("plans/p/plan.yaml", PLAN), ("plans/p/commitments/c.yaml", &text)]);
    let plan = site.plans.into_iter().next().expect("the plan is read");
    (plan.commitments.into_iter().next(), found)
}

/// A sheet with one activity whose fields after title, start and end are `rest`
/// (indented under the activity).
fn activity(rest: &str) -> (Option<Activity>, Found) {
    let mut text = String::from("activities:\n  - title: {fr: Activité}\n    start: 2024-03\n    end: 2025-06\n");
    for line in rest.lines() {
        text.push_str("    ");
        text.push_str(line);
        text.push('\n');
    }
    let (commitment, found) = sheet(&text);
    (commitment.and_then(|c| c.activities.into_iter().next()), found)
}

fn date(text: &str) -> Date {
    Date::parse(text).unwrap()
}

fn fr(text: &str) -> Text {
    [("fr", text)].into_iter().collect()
}

#[test]
fn a_site_yml_is_named_to_rename_and_a_missing_site_yaml_falls_back_to_arabic_and_french() {
    let (site, found) = load_files(&[("site.yml", SITE)]);
    assert_eq!(
        found,
        [
            error("content/site.yml", 1, 1, "", "rename site.yml to site.yaml"),
            warning("content/site.yml", 1, 1, "", "YAML files must end in .yaml, not .yml; this file is ignored"),
        ]
    );
    assert_eq!(site.config.languages, ["ar", "fr"]);

    let (site, found) = load_files(&[("areas/a.yaml", "title: {ar: أ, fr: A}\n")]);
    assert_eq!(found, [error("content/site.yaml", 1, 1, "", "content/site.yaml is missing; it declares the site's title and languages")]);
    assert_eq!(site.config.languages, ["ar", "fr"]);
    let rows: Vec<Language> = ["ar", "fr"].iter().map(|c| Language::built_in(c).unwrap()).collect();
    assert_eq!(site.config.language_table.rows(), rows);
    assert_eq!(site.areas.len(), 1, "the area is read with the fallback languages");
}

#[test]
fn a_site_yaml_refused_for_its_control_characters_is_not_also_missing() {
    let (_, found) = load_files(&[("site.yaml", "title: {fr: Portail\u{1}}\n")]);
    assert!(!found.is_empty());
    assert!(found.iter().all(|d| d.0 == "content/site.yaml" && !d.5.contains("missing")), "{found:#?}");
}

#[test]
fn files_outside_the_format_are_named_by_what_is_wrong_with_them() {
    let (site, found) = load_files(&[
        ("site.yaml", SITE),
        ("notes.txt", "x"),
        ("extra.yml", "x: 1\n"),
        ("areas/a.yml", "title: {fr: A}\n"),
        ("areas/a.txt", "title: {fr: A}\n"),
        ("areas/Bad_Name.yaml", "title: {fr: A}\n"),
        ("institutions/i.yml", "x: 1\n"),
        ("plans/Bad/plan.yaml", PLAN),
        ("plans/Bad/commitments/c.yaml", SHEET),
        ("plans/q/commitments/c.yaml", SHEET),
        ("plans/p/plan.yaml", PLAN),
        ("plans/p/commitments/c.yml", SHEET),
        ("plans/p/commitments/C.yaml", SHEET),
    ]);
    let format = "this file is not part of content format v1 (site.yaml, areas/, institutions/, plans/, pages/, news/) and is ignored";
    let not_id =
        |stem: &str| format!("the file name \"{stem}\" is not a valid identifier; use lower-case letters, digits and hyphens (at most 64)");
    assert_eq!(
        found,
        [
            error("content/areas/Bad_Name.yaml", 1, 1, "", &not_id("Bad_Name")),
            error("content/areas/a.txt", 1, 1, "", "\"a.txt\" is not a .yaml file; only .yaml files belong here"),
            error("content/areas/a.yml", 1, 1, "", "YAML files must end in .yaml, not .yml"),
            warning("content/extra.yml", 1, 1, "", "YAML files must end in .yaml, not .yml; this file is ignored"),
            error("content/institutions/i.yml", 1, 1, "", "YAML files must end in .yaml, not .yml"),
            warning("content/notes.txt", 1, 1, "", format),
            error(
                "content/plans/Bad/plan.yaml",
                1,
                1,
                "",
                "the plan folder name \"Bad\" is not a valid identifier; use lower-case letters, digits and hyphens"
            ),
            error("content/plans/p/commitments/C.yaml", 1, 1, "", &not_id("C")),
            error("content/plans/p/commitments/c.yml", 1, 1, "", "YAML files must end in .yaml, not .yml"),
            error(
                "content/plans/q/commitments/c.yaml",
                1,
                1,
                "",
                "this commitment's plan has no plan.yaml (expected content/plans/q/plan.yaml)"
            ),
        ]
    );
    assert!(site.areas.is_empty() && site.institutions.is_empty());
    // A plan folder with a bad name still holds its sheets (they are read, and kept by none).
    assert_eq!(site.plans.iter().map(|p| p.id.as_str()).collect::<Vec<_>>(), ["p"]);
    assert!(site.plans[0].commitments.is_empty());
}

#[test]
fn every_kind_of_file_lands_in_its_place_in_the_model() {
    let root = site(&[
        ("site.yaml", SITE),
        ("areas/b.yaml", "title: {fr: B}\norder: 1\n"),
        ("areas/a.yaml", "title: {fr: A}\ndescription: {fr: Texte}\norder: 2\n"),
        ("institutions/lead.yaml", "name: {fr: Ministère}\nacronym: {fr: MIN}\nkind: government\nurl: https://example.org/min\n"),
        ("plans/p/plan.yaml", "title: {fr: Plan}\nsummary: {fr: Résumé}\nowner: lead\nstart: 2024-01\nend: 2027-12\nstatus: active\n"),
        ("plans/p/commitments/c.yaml", SHEET),
        ("plans/p/commitments/b.yaml", "number: 2\ntitle: {fr: B}\narea: a\nlead: lead\n"),
        ("plans/o/plan.yaml", "title: {fr: Autre}\nowner: lead\nstart: 2020\nend: 2022\nstatus: completed\n"),
        ("pages/about.fr.md", "---\ntitle: À propos\norder: 3\n---\nCorps\n"),
        ("news/2024-05-14-launch.fr.md", "---\ntitle: Lancement\nsummary: Court\nrelated: [p/c]\n---\nTexte\n"),
    ]);
    let loaded = load(root.path()).unwrap();
    assert_eq!(found(&loaded.diagnostics), []);
    let site = loaded.site;
    assert_eq!(site.config.title, fr("Portail"));
    assert_eq!(site.config.base_url, "https://example.org/");
    assert_eq!(site.config.data_license, License { id: "CC-BY-4.0".into(), url: "https://example.org/licence".into() });
    assert_eq!(
        site.areas,
        [
            Area { id: "b".into(), title: fr("B"), description: None, order: 1 },
            Area { id: "a".into(), title: fr("A"), description: Some(fr("Texte")), order: 2 },
        ]
    );
    assert_eq!(
        site.institutions,
        [Institution {
            id: "lead".into(),
            name: fr("Ministère"),
            acronym: Some(fr("MIN")),
            kind: InstitutionKind::Government,
            url: Some("https://example.org/min".into())
        }]
    );
    assert_eq!(site.plans.iter().map(|p| p.id.as_str()).collect::<Vec<_>>(), ["o", "p"]);
    let p = &site.plans[1];
    assert_eq!(
        (&p.title, &p.summary, &p.owner.id, p.start, p.end, p.status),
        (&fr("Plan"), &Some(fr("Résumé")), &"lead".to_string(), date("2024-01"), date("2027-12"), PlanStatus::Active)
    );
    assert_eq!(p.owner.pos, Pos::new(3, 8));
    let sheets: Vec<_> = p.commitments.iter().map(|c| (c.id.as_str(), c.plan.as_str(), c.source.as_str(), c.number)).collect();
    assert_eq!(sheets, [("c", "p", "content/plans/p/commitments/c.yaml", 1), ("b", "p", "content/plans/p/commitments/b.yaml", 2)]);
    assert!(site.plans[0].commitments.is_empty());
    assert_eq!(
        site.pages,
        [Page {
            slug: "about".into(),
            lang: "fr".into(),
            source: "content/pages/about.fr.md".into(),
            title: "À propos".into(),
            order: 3,
            body: "Corps\n".into()
        }]
    );
    assert_eq!(
        site.news,
        [NewsPost {
            date: date("2024-05-14"),
            slug: "launch".into(),
            lang: "fr".into(),
            source: "content/news/2024-05-14-launch.fr.md".into(),
            title: "Lancement".into(),
            summary: Some("Court".into()),
            related: vec![Ref { id: "p/c".into(), pos: Pos::new(4, 11) }],
            body: "Texte\n".into()
        }]
    );
    // Every file read is kept for the snippets.
    assert_eq!(loaded.sources.len(), 10);
}

#[test]
fn a_sheet_number_is_one_or_more_and_fits_a_commitment_number() {
    let text = |number: &str| format!("number: {number}\ntitle: {{fr: E}}\narea: a\nlead: lead\n");
    for (number, expected) in [
        ("0", Some("\"number\" must be 1 or more".to_string())),
        ("4294967296", Some("\"number\" (4294967296) is too large for a commitment number".to_string())),
        ("4294967295", None),
        ("1", None),
    ] {
        let sheet = text(number);
        let (site, found) = load_files(&[("site.yaml", SITE), ("plans/p/plan.yaml", PLAN), ("plans/p/commitments/c.yaml", &sheet)]);
        let read = site.plans[0].commitments.first().map(|c| (c.number, c.number_pos));
        match expected {
            Some(message) => {
                assert_eq!(found, [error(SHEET_PATH, 1, 9, "number", &message)]);
                assert_eq!(read, None);
            }
            None => {
                assert_eq!(found, []);
                assert_eq!(read, Some((number.parse().unwrap(), Pos::new(1, 9))));
            }
        }
    }
}

#[test]
fn partners_and_ogp_values_are_each_listed_once_and_the_lead_is_no_partner() {
    let (commitment, found) =
        sheet("partners: [p1, lead, p1, p2]\nogp_values: [civic_participation, access_to_information, civic_participation]\n");
    assert_eq!(
        found,
        [
            error(SHEET_PATH, 5, 16, "partners[1]", "partner 2 (\"lead\") is also the commitment's \"lead\"; list it only as the lead"),
            error(SHEET_PATH, 5, 22, "partners[2]", "partner 3 (\"p1\") is listed twice"),
            error(SHEET_PATH, 6, 58, "ogp_values[2]", "OGP value \"civic_participation\" is listed twice"),
        ]
    );
    let commitment = commitment.unwrap();
    let partners: Vec<(&str, Pos)> = commitment.partners.iter().map(|p| (p.id.as_str(), p.pos)).collect();
    assert_eq!(partners, [("p1", Pos::new(5, 12)), ("lead", Pos::new(5, 16)), ("p1", Pos::new(5, 22)), ("p2", Pos::new(5, 26))]);
    assert_eq!(commitment.ogp_values, [OgpValue::CivicParticipation, OgpValue::AccessToInformation]);
}

#[test]
fn the_texts_and_lists_of_a_sheet_are_read_into_the_commitment() {
    let (commitment, found) = sheet(
        "problem: {fr: P}\nsolution: {fr: S}\nresults: {fr: R}\nnotes: {fr: N}\nprogress: 40\n\
         participation:\n  - {date: 2023-05-17, title: {fr: Atelier}, channel: in_person, participants: 43, women: 43, proposals: 31}\n\
         assessments:\n  - {by: watch, date: 2025-01, verdict: in_progress, note: {fr: Bien}, url: https://example.org/r}\n",
    );
    assert_eq!(found, []);
    let c = commitment.unwrap();
    assert_eq!(
        (&c.title, &c.area.id, &c.lead.id, &c.problem, &c.solution, &c.results, &c.notes, c.progress),
        (
            &fr("Engagement"),
            &"a".to_string(),
            &"lead".to_string(),
            &Some(fr("P")),
            &Some(fr("S")),
            &Some(fr("R")),
            &Some(fr("N")),
            Some(40.0)
        )
    );
    assert_eq!(
        c.participation,
        [Participation {
            date: date("2023-05-17"),
            title: fr("Atelier"),
            channel: Some(Channel::InPerson),
            participants: Some(43),
            women: Some(43),
            proposals: Some(31)
        }]
    );
    assert_eq!(
        c.assessments,
        [Assessment {
            by: Ref { id: "watch".into(), pos: Pos::new(13, 10) },
            date: date("2025-01"),
            verdict: Verdict::InProgress,
            note: Some(fr("Bien")),
            url: Some("https://example.org/r".into())
        }]
    );
}

#[test]
fn a_consultation_has_no_more_women_than_participants() {
    let (commitment, found) = sheet("participation:\n  - {date: 2023-05, title: {fr: A}, participants: 10, women: 11}\n");
    assert_eq!(
        found,
        [error(SHEET_PATH, 6, 62, "participation[0].women", "consultation 1 \"women\" (11) is more than its \"participants\" (10)")]
    );
    assert_eq!(commitment.unwrap().participation[0].women, Some(11), "the figure is reported, and kept");
}

#[test]
fn progress_and_dated_reports_are_not_given_together() {
    let (_, found) = sheet("progress: 40\nupdates:\n  - {date: 2024-05, progress: 50}\n");
    assert_eq!(
        found,
        [error(
            SHEET_PATH,
            5,
            11,
            "progress",
            "\"progress\" is given together with \"updates\"; move the figure into a dated report under \"updates\" and remove \"progress\""
        )]
    );
}

#[test]
fn an_activity_is_read_with_its_weight_status_cost_funding_and_partners() {
    let (read, found) = activity(
        "weight: 1000\nstatus: cancelled\ncost: {amount: 0, currency: MAD}\nfunding: {fr: Budget}\npartners: [p1]\nprogress: 30\n",
    );
    assert_eq!(found, []);
    let a = read.unwrap();
    assert_eq!(
        (&a.title, a.start, a.end, a.weight, a.cancelled, &a.cost, &a.funding, a.progress),
        (
            &fr("Activité"),
            date("2024-03"),
            date("2025-06"),
            1000.0,
            true,
            &Some(Cost { amount: 0.0, currency: "MAD".into() }),
            &Some(fr("Budget")),
            Some(30.0)
        )
    );
    assert_eq!(a.partners, [Ref { id: "p1".into(), pos: Pos::new(13, 16) }]);

    let (read, found) = activity("cost: {amount: 12.5, currency: EUR}\n");
    assert_eq!(found, []);
    let a = read.unwrap();
    assert_eq!((a.weight, a.cancelled, a.cost), (1.0, false, Some(Cost { amount: 12.5, currency: "EUR".into() })));
}

#[test]
fn a_weight_is_more_than_0_and_at_most_1000() {
    for (weight, accepted) in [("0", false), ("-1", false), ("0.001", true), ("999.5", true), ("1000", true), ("1000.5", false)] {
        let (read, found) = activity(&format!("weight: {weight}\n"));
        let read = read.expect("a wrong weight keeps the activity");
        if accepted {
            assert_eq!(found, [], "{weight}");
            assert_eq!(read.weight, weight.parse::<f64>().unwrap());
        } else {
            let message = format!("activity 1 \"weight\" ({weight}) must be more than 0 and at most 1000");
            assert_eq!(found, [error(SHEET_PATH, 9, 13, "activities[0].weight", &message)], "{weight}");
            assert_eq!(read.weight, 1.0, "{weight}");
        }
    }
}

#[test]
fn a_status_can_only_be_cancelled() {
    let (activity, found) = activity("status: delayed\n");
    assert_eq!(
        found,
        [error(
            SHEET_PATH,
            9,
            13,
            "activities[0].status",
            "activity 1 \"status\" (\"delayed\") can only be \"cancelled\"; every other status is computed from reports and dates"
        )]
    );
    assert!(!activity.unwrap().cancelled);
}

#[test]
fn a_cost_is_not_negative_and_in_an_iso_4217_currency() {
    let cases = [
        ("{amount: -1, currency: MAD}", 20, "activities[0].cost.amount", "activity 1 \"cost.amount\" (-1) must not be negative"),
        (
            "{amount: 1, currency: mad}",
            33,
            "activities[0].cost.currency",
            "activity 1 \"cost.currency\" (\"mad\") must be an ISO 4217 code such as MAD or EUR",
        ),
        (
            "{amount: 1, currency: MADX}",
            33,
            "activities[0].cost.currency",
            "activity 1 \"cost.currency\" (\"MADX\") must be an ISO 4217 code such as MAD or EUR",
        ),
        (
            "{amount: 1, currency: MA}",
            33,
            "activities[0].cost.currency",
            "activity 1 \"cost.currency\" (\"MA\") must be an ISO 4217 code such as MAD or EUR",
        ),
        (
            "{amount: 1, currency: MAd}",
            33,
            "activities[0].cost.currency",
            "activity 1 \"cost.currency\" (\"MAd\") must be an ISO 4217 code such as MAD or EUR",
        ),
    ];
    for (cost, column, field, message) in cases {
        let (read, found) = activity(&format!("cost: {cost}\n"));
        assert_eq!(found, [error(SHEET_PATH, 9, column, field, message)], "{cost}");
        assert_eq!(read.unwrap().cost, None, "{cost}");
    }
}

#[test]
fn an_end_before_its_start_is_named_comparing_first_days() {
    // The same month, or an end in the start's year: not before.
    for (start, end) in [("2024-03", "2024-03"), ("2024-03-31", "2024-03"), ("2024-03", "2024"), ("2024-03-05", "2024-03-05")] {
        let (_, found) = sheet(&format!("activities:\n  - {{title: {{fr: A}}, start: {start}, end: {end}}}\n"));
        assert_eq!(found, [], "{start} to {end}");
    }
    let (activity, found) = sheet("activities:\n  - {title: {fr: A}, start: 2024-03-05, end: 2024-03-04}\n");
    assert_eq!(
        found,
        [error(SHEET_PATH, 6, 46, "activities[0].end", "activity 1 \"end\" (2024-03-04) is before its \"start\" (2024-03-05)")]
    );
    assert!(activity.unwrap().activities.len() == 1, "the activity is kept");
    let plan = "title: {fr: Plan}\nowner: lead\nstart: 2024-01\nend: 2023-12\nstatus: active\n";
    let (_, found) = load_files(&[("site.yaml", SITE), ("plans/p/plan.yaml", plan)]);
    assert_eq!(found, [error("content/plans/p/plan.yaml", 4, 6, "end", "\"end\" (2023-12) is before its \"start\" (2024-01)")]);
}

#[test]
fn dated_reports_go_oldest_first_one_a_date_and_a_fall_is_explained() {
    let (read, found) = activity(
        "updates:
  - {date: 2024-02-29, progress: 10}
  - {date: 2024-03-01, progress: 20}
  - {date: 2024-04, progress: 30}
  - {date: 2024-04, progress: 35}
  - {date: 2024-03-31, progress: 40}
  - {date: 2024-04-01, progress: 40}
  - {date: 2024-05, progress: 10}
  - {date: 2024-06, progress: 5, note: {fr: Recul}}
  - {date: 2024, progress: 5}
",
    );
    let date_field = |i: usize| format!("activities[0].updates[{i}].date");
    assert_eq!(
        found,
        [
            warning(
                SHEET_PATH,
                10,
                16,
                &date_field(0),
                "activity 1 report 1 \"date\" (2024-02-29) is before the activity's \"start\" (2024-03)"
            ),
            error(
                SHEET_PATH,
                13,
                16,
                &date_field(3),
                "activity 1 report 4 \"date\" (2024-04) is the date of the report before it, on line 12; keep one report per date"
            ),
            error(
                SHEET_PATH,
                14,
                16,
                &date_field(4),
                "activity 1 report 5 \"date\" (2024-03-31) is earlier than the report before it (2024-04); list reports oldest first"
            ),
            warning(
                SHEET_PATH,
                16,
                35,
                "activities[0].updates[6].progress",
                "activity 1 report 7 \"progress\" (10) is lower than the report before it (40); add a \"note\" that says why progress went down"
            ),
            error(
                SHEET_PATH,
                18,
                16,
                &date_field(8),
                "activity 1 report 9 \"date\" (2024) is earlier than the report before it (2024-06); list reports oldest first"
            ),
        ]
    );
    let reports: Vec<(Date, Pos, f64, bool)> =
        read.unwrap().updates.iter().map(|r| (r.date, r.pos, r.progress, r.note.is_some())).collect();
    assert_eq!(reports.len(), 9, "each report is kept: {reports:?}");
    assert_eq!(reports[7], (date("2024-06"), Pos::new(17, 16), 5.0, true));

    // The sheet's own reports have no start to come after.
    let (commitment, found) = sheet("updates:\n  - {date: 1990, progress: 10, by: watch, note: {fr: N}}\n");
    assert_eq!(found, []);
    assert_eq!(
        commitment.unwrap().updates,
        [Report {
            date: date("1990"),
            pos: Pos::new(6, 12),
            progress: 10.0,
            by: Some(Ref { id: "watch".into(), pos: Pos::new(6, 36) }),
            note: Some(fr("N")),
            evidence: vec![]
        }]
    );
}

#[test]
fn evidence_needs_a_title_a_url_or_both() {
    let (commitment, found) = sheet(
        "updates:
  - date: 2024-05
    progress: 10
    evidence:
      - {title: {fr: Rapport}}
      - {url: https://example.org/a}
      - {title: {fr: Les deux}, url: https://example.org/b}
      - {}
      - {title: {}}
",
    );
    assert_eq!(
        found,
        [
            error(SHEET_PATH, 12, 9, "updates[0].evidence[3]", "report 1 evidence 4 needs a \"title\", a \"url\" or both"),
            error(
                SHEET_PATH,
                13,
                17,
                "updates[0].evidence[4].title",
                "report 1 evidence 5 \"title\" is empty; give its text in French (fr)"
            ),
        ]
    );
    assert_eq!(
        commitment.unwrap().updates[0].evidence,
        [
            Evidence { title: Some(fr("Rapport")), url: None },
            Evidence { title: None, url: Some("https://example.org/a".into()) },
            Evidence { title: Some(fr("Les deux")), url: Some("https://example.org/b".into()) },
        ]
    );
}

#[test]
fn replannings_go_oldest_first_after_the_start_each_moving_the_end_with_a_reason() {
    let (read, found) = activity(
        "replanned:
  - {date: 2025-01, end: 2025-06, reason: {fr: R1}}
  - {date: 2025-02, end: 2024-02-29}
  - {date: 2025-02-01, end: 2024-03-01, reason: {fr: R3}}
  - {date: 2025-01-31, end: 2025-09, reason: {fr: R4}}
  - {date: 2025-03, end: 2025-09, reason: {fr: R5}}
",
    );
    let end = |i: usize| format!("activities[0].replanned[{i}].end");
    assert_eq!(
        found,
        [
            warning(
                SHEET_PATH,
                10,
                30,
                &end(0),
                "activity 1 replanning 1 \"end\" (2025-06) is the end it replaces; remove this replanning"
            ),
            warning(
                SHEET_PATH,
                11,
                10,
                "activities[0].replanned[1].reason",
                "activity 1 replanning 2 has no \"reason\"; say why the end moved"
            ),
            error(SHEET_PATH, 11, 30, &end(1), "activity 1 replanning 2 \"end\" (2024-02-29) is before the activity's \"start\" (2024-03)"),
            error(
                SHEET_PATH,
                13,
                16,
                "activities[0].replanned[3].date",
                "activity 1 replanning 4 \"date\" (2025-01-31) is earlier than the replanning before it (2025-02-01); list replannings oldest first"
            ),
            warning(
                SHEET_PATH,
                14,
                30,
                &end(4),
                "activity 1 replanning 5 \"end\" (2025-09) is the end it replaces; remove this replanning"
            ),
        ]
    );
    let decisions: Vec<(Date, Pos, Date, bool)> =
        read.unwrap().replanned.iter().map(|d| (d.date, d.pos, d.end, d.reason.is_some())).collect();
    assert_eq!(
        decisions,
        [
            (date("2025-01"), Pos::new(10, 16), date("2025-06"), true),
            (date("2025-02"), Pos::new(11, 16), date("2024-02-29"), false),
            (date("2025-02-01"), Pos::new(12, 16), date("2024-03-01"), true),
            (date("2025-01-31"), Pos::new(13, 16), date("2025-09"), true),
            (date("2025-03"), Pos::new(14, 16), date("2025-09"), true),
        ]
    );
}

#[test]
fn indicators_are_read_with_their_measures_in_their_unit() {
    let (commitment, found) = sheet(
        "indicators:
  - kind: tracking
    title: {fr: Jeux}
    unit: count
    baseline: 0
    target: {value: 2000, date: 2027}
    values:
      - {date: 2024, value: 1350, kind: actual}
      - {date: 2025-06, value: 1520}
      - {date: 2026, value: 1800, kind: forecast}
    method: {fr: M}
    source: {fr: S}
    limits: {fr: L}
  - kind: impact
    title: {fr: Part}
    unit: percent
    baseline: -5
    target: {value: 80}
  - kind: impact
    title: {fr: Texte}
    unit: text
    baseline: aucun
    target: {value: '=1+1'}
",
    );
    assert_eq!(found, []);
    let indicators = commitment.unwrap().indicators;
    assert_eq!(
        indicators,
        [
            Indicator {
                kind: IndicatorKind::Tracking,
                title: fr("Jeux"),
                unit: Unit::Count,
                baseline: Some(Measure::Number(0.0)),
                target: Some(Target { value: Measure::Number(2000.0), date: Some(date("2027")) }),
                values: vec![
                    IndicatorValue { date: date("2024"), value: Measure::Number(1350.0), kind: ValueKind::Actual },
                    IndicatorValue { date: date("2025-06"), value: Measure::Number(1520.0), kind: ValueKind::Actual },
                    IndicatorValue { date: date("2026"), value: Measure::Number(1800.0), kind: ValueKind::Forecast },
                ],
                method: Some(fr("M")),
                source: Some(fr("S")),
                limits: Some(fr("L")),
            },
            Indicator {
                kind: IndicatorKind::Impact,
                title: fr("Part"),
                unit: Unit::Percent,
                baseline: Some(Measure::Number(-5.0)),
                target: Some(Target { value: Measure::Number(80.0), date: None }),
                values: vec![],
                method: None,
                source: None,
                limits: None,
            },
            Indicator {
                kind: IndicatorKind::Impact,
                title: fr("Texte"),
                unit: Unit::Text,
                baseline: Some(Measure::Text("aucun".into())),
                target: Some(Target { value: Measure::Text("=1+1".into()), date: None }),
                values: vec![],
                method: None,
                source: None,
                limits: None,
            },
        ]
    );
}

#[test]
fn a_count_is_not_negative_and_a_measure_under_a_wrong_unit_is_read_as_written() {
    let (commitment, found) = sheet(
        "indicators:
  - {kind: tracking, title: {fr: A}, unit: count, baseline: -1, target: {value: -0.5}}
  - {kind: tracking, title: {fr: B}, unit: litres, baseline: 12, target: {value: douze}}
  - {kind: tracking, title: {fr: C}, unit: litres, baseline: inf}
",
    );
    assert_eq!(
        found,
        [
            error(SHEET_PATH, 6, 61, "indicators[0].baseline", "indicator 1 \"baseline\" (-1) is a count and must not be negative"),
            error(
                SHEET_PATH,
                6,
                81,
                "indicators[0].target.value",
                "indicator 1 \"target.value\" (-0.5) is a count and must not be negative"
            ),
            error(SHEET_PATH, 7, 44, "indicators[1].unit", "indicator 2 \"unit\" (\"litres\") must be one of: count, percent, text"),
            error(SHEET_PATH, 8, 44, "indicators[2].unit", "indicator 3 \"unit\" (\"litres\") must be one of: count, percent, text"),
            error(SHEET_PATH, 8, 62, "indicators[2].baseline", "indicator 3 \"baseline\" must be a number, found \"inf\""),
        ]
    );
    // The second and third are not kept (their unit is wrong), but what they hold was
    // read without more messages: a number as a number (`inf` is none), words as words.
    let indicators = commitment.unwrap().indicators;
    assert_eq!(indicators.len(), 1);
    assert_eq!((&indicators[0].baseline, &indicators[0].target), (&None, &None));
}

/// Loads a site of two languages (French first) with the Markdown files given.
fn markdown(files: &[(&str, &str)]) -> (Site, Found) {
    let site_yaml = SITE.replace("languages: [fr]", "languages: [fr, ar]").replace("{fr: Portail}", "{fr: Portail, ar: بوابة}");
    let mut all = vec![("site.yaml", site_yaml.as_str())];
    all.extend_from_slice(files);
    load_files(&all)
}

#[test]
fn markdown_files_are_named_name_lang_md_and_start_with_their_front_matter() {
    let page = "---\ntitle: T\n---\nCorps\n";
    let (site, found) = markdown(&[
        ("pages/about.md", page),
        ("pages/about.en.md", page),
        ("pages/about.fe.md", page),
        ("pages/About.fr.md", page),
        ("pages/plain.fr.md", "title: T\n"),
        ("pages/empty.fr.md", "---\n---\nCorps\n"),
        ("pages/broken.fr.md", "---\ntitle: [T\n---\n"),
        ("pages/todo.fr.md", "---\ntitle: '  TODO: le titre'\n---\n"),
        ("pages/ok.ar.md", "---\ntitle: ع\norder: -2\n---\nنص\n"),
        ("pages/default.fr.md", "---\ntitle: D\n---\n"),
    ]);
    let path = |name: &str| format!("content/pages/{name}");
    assert_eq!(
        found,
        [
            error(
                &path("About.fr.md"),
                1,
                1,
                "",
                "the page name \"About\" is not a valid identifier; use lower-case letters, digits and hyphens"
            ),
            error(&path("about.en.md"), 1, 1, "", "the language \"en\" in the file name is not one of the site's languages (fr, ar)"),
            error(
                &path("about.fe.md"),
                1,
                1,
                "",
                "the language \"fe\" in the file name is not one of the site's languages (fr, ar); did you mean \"fr\"?"
            ),
            error(&path("about.md"), 1, 1, "", "\"about.md\" must be named NAME.LANG.md, for example about.fr.md"),
            error(
                &path("broken.fr.md"),
                3,
                1,
                "",
                "YAML syntax error: a `[` is not closed by a matching `]`, or a `,` is missing between its items (the parser says: while parsing a flow sequence, expected ',' or ']')"
            ),
            error(&path("empty.fr.md"), 2, 1, "", "the front matter is empty; give at least a title"),
            error(
                &path("plain.fr.md"),
                1,
                1,
                "",
                "the file must start with YAML front matter between two `---` lines, giving at least its title"
            ),
            warning(
                &path("todo.fr.md"),
                2,
                8,
                "title",
                "\"title\" is still a placeholder starting with \"TODO\"; replace it with the real text"
            ),
        ]
    );
    let pages: Vec<(&str, &str, &str, i64, &str)> =
        site.pages.iter().map(|p| (p.slug.as_str(), p.lang.as_str(), p.title.as_str(), p.order, p.body.as_str())).collect();
    assert_eq!(pages, [("ok", "ar", "ع", -2, "نص\n"), ("default", "fr", "D", 0, ""), ("todo", "fr", "  TODO: le titre", 0, "")]);
}

#[test]
fn news_files_are_named_by_a_real_date_in_the_window_and_relate_to_commitments() {
    let post = "---\ntitle: T\n---\n";
    let (site, found) = markdown(&[
        ("news/2024-05-14launch.fr.md", post),
        ("news/2024-02-30-launch.fr.md", post),
        ("news/2024-05-launch.fr.md", post),
        ("news/2024-05-14-Launch.fr.md", post),
        ("news/1949-12-31-old.fr.md", post),
        ("news/2100-12-31-late.fr.md", post),
        ("news/1950-01-01-early.ar.md", "---\ntitle: T\nsummary: TODO\nrelated: [p/c, P/c, p/C, p, p/c/d]\n---\n"),
    ]);
    let path = |name: &str| format!("content/news/{name}");
    let misnamed = |name: &str| {
        format!(
            "a news file must be named YYYY-MM-DD-NAME.LANG.md with a real date and a NAME of lower-case letters, digits and hyphens, found \"{name}\""
        )
    };
    let not_ref = |i: usize, text: &str| {
        format!("related commitment {i} (\"{text}\") must be a commitment reference PLAN/ID, such as 2024-2027/open-data")
    };
    let early = path("1950-01-01-early.ar.md");
    assert_eq!(
        found,
        [
            error(&path("1949-12-31-old.fr.md"), 1, 1, "", "the date in the file name (1949-12-31) is outside the years 1950 to 2100"),
            warning(&early, 3, 10, "summary", "\"summary\" is still a placeholder starting with \"TODO\"; replace it with the real text"),
            error(&early, 4, 16, "related[1]", &not_ref(2, "P/c")),
            error(&early, 4, 21, "related[2]", &not_ref(3, "p/C")),
            error(&early, 4, 26, "related[3]", &not_ref(4, "p")),
            error(&early, 4, 29, "related[4]", &not_ref(5, "p/c/d")),
            error(&path("2024-02-30-launch.fr.md"), 1, 1, "", &misnamed("2024-02-30-launch.fr.md")),
            error(&path("2024-05-14-Launch.fr.md"), 1, 1, "", &misnamed("2024-05-14-Launch.fr.md")),
            error(&path("2024-05-14launch.fr.md"), 1, 1, "", &misnamed("2024-05-14launch.fr.md")),
            error(&path("2024-05-launch.fr.md"), 1, 1, "", &misnamed("2024-05-launch.fr.md")),
        ]
    );
    let news: Vec<(Date, &str, &str, &Option<String>, Vec<&str>)> = site
        .news
        .iter()
        .map(|n| (n.date, n.slug.as_str(), n.lang.as_str(), &n.summary, n.related.iter().map(|r| r.id.as_str()).collect()))
        .collect();
    assert_eq!(
        news,
        [(date("2100-12-31"), "late", "fr", &None, vec![]), (date("1950-01-01"), "early", "ar", &Some("TODO".to_string()), vec!["p/c"]),]
    );
}

#[test]
fn site_yaml_gives_the_sites_settings() {
    let text = format!(
        "{SITE}description: {{fr: Suivi}}\nas_of: 2025-06-30\nstale_after_months: 120\npage_size: 5\npublisher: lead\n\
         contact_email: opendata@example.org\nspatial_coverage: [https://example.org/MAR, ftp://x, https://example.org/FRA]\n\
         repository: https://example.org/owner/repo/\n"
    );
    let (site, found) = load_files(&[("site.yaml", &text)]);
    assert_eq!(
        found,
        [error(
            "content/site.yaml",
            11,
            45,
            "spatial_coverage[1]",
            "\"spatial_coverage\" entry 2 (\"ftp://x\") must be a web address starting with https:// or http://"
        )]
    );
    let c = site.config;
    assert_eq!((c.title, c.description, c.base_url), (fr("Portail"), fr("Suivi"), "https://example.org/".to_string()));
    assert_eq!((c.as_of, c.stale_after_months, c.page_size), (Some(date("2025-06-30")), Some(120), Some(5)));
    assert_eq!(c.publisher, Some(Ref { id: "lead".into(), pos: Pos::new(9, 12) }));
    assert_eq!(c.contact_email.as_deref(), Some("opendata@example.org"));
    assert_eq!(c.spatial_coverage, ["https://example.org/MAR", "https://example.org/FRA"]);
    assert_eq!(c.repository.as_deref(), Some("https://example.org/owner/repo"));

    let (site, found) = load_files(&[("site.yaml", &format!("{SITE}stale_after_months: 1\npage_size: 1000\n"))]);
    assert_eq!(found, []);
    assert_eq!((site.config.stale_after_months, site.config.page_size), (Some(1), Some(1000)));
    let (site, found) = load_files(&[("site.yaml", SITE)]);
    assert_eq!(found, []);
    let c = site.config;
    assert_eq!((c.description, c.as_of, c.stale_after_months, c.page_size), (Text::default(), None, None, None));
    assert_eq!((c.publisher, c.contact_email, c.spatial_coverage, c.repository), (None, None, vec![], None));
}

#[test]
fn stale_after_months_and_page_size_keep_to_their_ranges() {
    for (key, value, message) in [
        ("stale_after_months", "0", "\"stale_after_months\" (0) must be between 1 and 120"),
        ("stale_after_months", "121", "\"stale_after_months\" (121) must be between 1 and 120"),
        ("stale_after_months", "4294967297", "\"stale_after_months\" (4294967297) must be between 1 and 120"),
        ("page_size", "4", "\"page_size\" (4) must be between 5 and 1000"),
        ("page_size", "1001", "\"page_size\" (1001) must be between 5 and 1000"),
    ] {
        let (site, found) = load_files(&[("site.yaml", &format!("{SITE}{key}: {value}\n"))]);
        assert_eq!(found, [error("content/site.yaml", 5, key.len() + 3, key, message)]);
        assert_eq!((site.config.stale_after_months, site.config.page_size), (None, None), "{key}: {value}");
        assert_eq!(site.config.title, fr("Portail"), "the rest of site.yaml is read");
    }
}

#[test]
fn a_contact_email_is_a_plain_address() {
    for email in ["a@b.c", "first.last@mail.example.org"] {
        let (site, found) = load_files(&[("site.yaml", &format!("{SITE}contact_email: {email}\n"))]);
        assert_eq!(found, [], "{email}");
        assert_eq!(site.config.contact_email.as_deref(), Some(email));
    }
    for email in ["'@b.c'", "a@b@c.d", "a@bc", "a@.b.c", "a@b.c.", "'a b@c.d'", "'a<b@c.d'", "a.b.c", "'x,y@b.c'", "mailto:a@b.c"] {
        let (site, found) = load_files(&[("site.yaml", &format!("{SITE}contact_email: {email}\n"))]);
        let text = email.trim_matches('\'');
        let hint = if text.starts_with("mailto:") { "; write it without \"mailto:\"" } else { "" };
        let message = format!("\"contact_email\" (\"{text}\") must be an e-mail address such as opendata@example.org{hint}");
        assert_eq!(found, [error("content/site.yaml", 5, 16, "contact_email", &message)], "{email}");
        assert_eq!(site.config.contact_email, None);
    }
}

fn with_languages(languages: &str) -> (Site, Found) {
    // The title is in Arabic only: its missing translations are left out.
    let text = SITE.replace("languages: [fr]\n", languages).replace("{fr: Portail}", "{ar: بوابة}");
    let (site, found) = load_files(&[("site.yaml", &text)]);
    (site, found.into_iter().filter(|d| !d.4.starts_with("title")).collect())
}

fn twelve(prefix: &str) -> Vec<String> {
    (1..=12).map(|m| format!("{prefix}{m}")).collect()
}

#[test]
fn a_language_entry_overrides_its_built_in_row_or_describes_a_new_one() {
    let (site, found) = with_languages(
        "languages:
  - ar
  - en
  - code: fr
    partial: true
    first_day: premier
    decimal_separator: ','
    thousands_separator: ''
    date_format: '{day}/{month}/{year}'
    month_format: '{month}/{year}'
    percent_format: '{n}%'
    fallback: [ar]
    stemmer: none
    english_name: French of Morocco
    name: Français
    dir: rtl
    months: [f1, f2, f3, f4, f5, f6, f7, f8, f9, f10, f11, f12]
  - {code: zz, name: Zed, dir: rtl, months: [z1, z2, z3, z4, z5, z6, z7, z8, z9, z10, z11, z12]}
",
    );
    assert_eq!(found, []);
    assert_eq!(site.config.languages, ["ar", "en", "fr", "zz"]);
    let mut fr = Language::built_in("fr").unwrap();
    fr.partial = true;
    fr.first_day = Some("premier".into());
    fr.decimal_separator = ",".into();
    fr.thousands_separator = String::new();
    fr.date_format = "{day}/{month}/{year}".into();
    fr.month_format = "{month}/{year}".into();
    fr.percent_format = "{n}%".into();
    fr.fallback = vec!["ar".into()];
    fr.stemmer = Stemmer::None;
    fr.english_name = "French of Morocco".into();
    fr.name = "Français".into();
    fr.dir = Dir::Rtl;
    fr.months = twelve("f");
    let mut zz = Language::placeholder("zz");
    zz.name = "Zed".into();
    zz.dir = Dir::Rtl;
    zz.months = twelve("z");
    let rows = [Language::built_in("ar").unwrap(), Language::built_in("en").unwrap(), fr, zz];
    assert_eq!(site.config.language_table.rows(), rows);
}

#[test]
fn a_built_in_rows_own_fallback_is_not_checked_against_the_sites_languages() {
    // English falls back to French, which this site does not have.
    let (site, found) = with_languages("languages: [ar, en]\n");
    assert_eq!(found, []);
    assert_eq!(site.config.language_table.rows()[1].fallback, ["fr"]);
}

#[test]
fn every_mistake_in_a_language_entry_is_named_at_its_place() {
    let (site, found) = with_languages(
        "languages:
  - FR
  - abcd
  - ar
  - ar
  - xx
  - {code: qq}
  - {code: yy, name: Y, dir: ltr, months: [a, b], date_format: '{day} {month}', month_format: '{year}', percent_format: '%', fallback: [yy, fr, ar]}
  - {code: ww, name: W, dir: ltr, months: [w1, w2, w3, w4, w5, w6, w7, w8, w9, w10, w11, '']}
",
    );
    let site_yaml = "content/site.yaml";
    let code = |text: &str| format!("language \"{text}\" must be a two- or three-letter ISO 639 code such as ar, fr or zgh");
    let must_give = |key: &str| format!("language \"qq\" is not built in (ar, fr, en), so its entry must give \"{key}\"");
    let fallback =
        |l: &str| format!("the fallback \"{l}\" of language \"yy\" must be another of the site's languages (ar, xx, qq, yy, ww)");
    assert_eq!(
        found,
        [
            error(site_yaml, 4, 5, "languages[0]", &code("FR")),
            error(site_yaml, 5, 5, "languages[1]", &code("abcd")),
            error(site_yaml, 7, 5, "languages[3]", "language \"ar\" is listed twice"),
            error(
                site_yaml,
                8,
                5,
                "languages[4]",
                "language \"xx\" is not built in (ar, fr, en); describe it with a map such as {code: xx, name: ..., dir: ltr, months: [...]}"
            ),
            error(site_yaml, 9, 6, "languages[5].dir", &must_give("dir")),
            error(site_yaml, 9, 6, "languages[5].months", &must_give("months")),
            error(site_yaml, 9, 6, "languages[5].name", &must_give("name")),
            error(site_yaml, 10, 6, "languages[6].fallback", &fallback("fr")),
            error(site_yaml, 10, 6, "languages[6].fallback", &fallback("yy")),
            error(site_yaml, 10, 43, "languages[6].months", "\"months\" must list the twelve month names, January first; found 2"),
            error(site_yaml, 10, 64, "languages[6].date_format", "\"date_format\" (\"{day} {month}\") must contain {year}"),
            error(site_yaml, 10, 95, "languages[6].month_format", "\"month_format\" (\"{year}\") must contain {month}"),
            error(site_yaml, 10, 121, "languages[6].percent_format", "\"percent_format\" (\"%\") must contain {n}"),
            error(site_yaml, 11, 90, "languages[7].months[11]", "language 8 month 12 is empty"),
        ]
    );
    let rows = site.config.language_table.rows();
    assert_eq!(rows.iter().map(|r| r.code.as_str()).collect::<Vec<_>>(), ["ar", "xx", "qq", "yy", "ww"]);
    assert_eq!(rows[1], Language::placeholder("xx"));
    let placeholder = Language::placeholder("yy");
    assert_eq!(
        (&rows[3].months, &rows[3].date_format, &rows[3].month_format, &rows[3].percent_format),
        (&placeholder.months, &placeholder.date_format, &placeholder.month_format, &placeholder.percent_format)
    );
    assert_eq!(rows[4].months, placeholder.months, "eleven names and a blank one leave the months as they were");
}

#[test]
fn a_site_with_no_language_falls_back_to_arabic_and_french() {
    let (site, found) = with_languages("languages: []\n");
    assert_eq!(found, [error("content/site.yaml", 3, 12, "languages", "\"languages\" must list at least one language, the default first")]);
    assert_eq!(site.config.languages, ["ar", "fr"]);
    let rows: Vec<Language> = ["ar", "fr"].iter().map(|c| Language::built_in(c).unwrap()).collect();
    assert_eq!(site.config.language_table.rows(), rows);
}

/// What `reload_file` gives for `path` (under `content/`), in a short form:
/// (kind, keys, read, source).
fn reload(root: &Path, path: &str) -> (String, Found, Option<String>) {
    let parts: Vec<String> = path.split('/').map(String::from).collect();
    let languages = ["fr".to_string()];
    let (reloaded, diagnostics, source) = reload_file(root, &parts, &languages);
    let what = match reloaded {
        Reloaded::Commitment { plan, id, commitment } => {
            format!("commitment {plan}/{id}: {:?}", commitment.map(|c| (c.id, c.plan, c.source, c.number)))
        }
        Reloaded::Page { slug, lang, page } => format!("page {slug}.{lang}: {:?}", page.map(|p| (p.slug, p.lang, p.title))),
        Reloaded::News { key, lang, post } => format!("news {key}.{lang}: {:?}", post.map(|p| (p.date, p.slug, p.title))),
        Reloaded::Other => "other".into(),
    };
    (what, found(&diagnostics), source)
}

#[test]
fn a_changed_file_is_read_again_on_its_own_when_it_is_a_sheet_a_page_or_a_news_post() {
    let page = "---\ntitle: T\n---\n";
    let root = site(&[
        ("site.yaml", SITE),
        ("plans/p/plan.yaml", PLAN),
        ("plans/p/commitments/c.yaml", SHEET),
        ("plans/p/commitments/broken.yaml", "number: 0\n"),
        ("plans/p/commitments/ctrl.yaml", "number: 1\u{1}\n"),
        ("plans/Bad/commitments/c.yaml", SHEET),
        ("plans/p/commitments/C.yaml", SHEET),
        ("plans/p/commitments/c.yml", SHEET),
        ("pages/about.fr.md", page),
        ("pages/About.fr.md", page),
        ("pages/about.en.md", page),
        ("pages/about.md", page),
        ("news/2024-05-14-launch.fr.md", page),
        ("news/2024-05-14-a.fr.md", page),
        ("news/2024-05-14-.fr.md", page),
        ("news/2024-05-14-launch.en.md", page),
        ("news/not-a-date-at-all.fr.md", page),
        ("areas/a.yaml", "title: {fr: A}\n"),
    ]);
    let root = root.path();
    let none: Found = vec![];
    assert_eq!(
        reload(root, "plans/p/commitments/c.yaml"),
        (r#"commitment p/c: Some(("c", "p", "content/plans/p/commitments/c.yaml", 1))"#.into(), none.clone(), Some(SHEET.into()))
    );
    let (what, found, source) = reload(root, "plans/p/commitments/broken.yaml");
    assert_eq!((what.as_str(), source.as_deref()), ("commitment p/broken: None", Some("number: 0\n")));
    assert!(found.contains(&error("content/plans/p/commitments/broken.yaml", 1, 9, "number", "\"number\" must be 1 or more")), "{found:?}");
    // A file refused for its control characters is not read, but its text is given for
    // the snippet of the message that names them.
    let (what, found, source) = reload(root, "plans/p/commitments/ctrl.yaml");
    assert_eq!((what.as_str(), source.as_deref()), ("commitment p/ctrl: None", Some("number: 1\u{1}\n")));
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(reload(root, "plans/p/commitments/gone.yaml"), ("commitment p/gone: None".into(), none.clone(), None));
    for other in [
        "plans/Bad/commitments/c.yaml",
        "plans/p/commitments/C.yaml",
        "plans/p/commitments/c.yml",
        "pages/About.fr.md",
        "pages/about.en.md",
        "pages/about.md",
        "news/2024-05-14-.fr.md",
        "news/2024-05-14-launch.en.md",
        "news/not-a-date-at-all.fr.md",
        "areas/a.yaml",
        "site.yaml",
        "plans/p/plan.yaml",
    ] {
        assert_eq!(reload(root, other).0, "other", "{other}");
    }
    assert_eq!(reload(root, "pages/about.fr.md"), (r#"page about.fr: Some(("about", "fr", "T"))"#.into(), none.clone(), Some(page.into())));
    assert_eq!(
        reload(root, "news/2024-05-14-launch.fr.md"),
        (
            r#"news 2024-05-14-launch.fr: Some((Date { year: 2024, month: Some(5), day: Some(14) }, "launch", "T"))"#.into(),
            none.clone(),
            Some(page.into())
        )
    );
    assert_eq!(
        reload(root, "news/2024-05-14-a.fr.md").0,
        r#"news 2024-05-14-a.fr: Some((Date { year: 2024, month: Some(5), day: Some(14) }, "a", "T"))"#
    );
}

#[test]
fn an_earlier_version_of_a_sheet_is_read_from_its_text_alone() {
    let languages = ["fr".to_string()];
    let read = parse_commitment("p", "c", "content/plans/p/commitments/c.yaml", SHEET, &languages).unwrap();
    assert_eq!(
        (read.id.as_str(), read.plan.as_str(), read.source.as_str(), read.number, read.title),
        ("c", "p", "content/plans/p/commitments/c.yaml", 1, fr("Engagement"))
    );
    assert_eq!(parse_commitment("p", "c", "content/plans/p/commitments/c.yaml", "number: [\n", &languages), None);
}
