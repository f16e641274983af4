//! Generates a synthetic, valid portal for benchmarks.
//!
//! ```text
//! cargo run --release --example gen_corpus -- --commitments 10000 --out /tmp/corpus-10k [--seed 7]
//! ```
//!
//! The site root gets `content/` with site.yaml, areas, institutions, plans of up to 500
//! commitments each (every commitment with 8 activities and 5 indicators, Arabic and
//! French text), pages and news. The same arguments always give the same bytes: a small
//! seeded generator (SplitMix64) stands in for an RNG crate.

use std::fmt::Write as _;
use std::fs;
use std::path::PathBuf;
use std::process::ExitCode;

const COMMITMENTS_PER_PLAN: usize = 500;
const ACTIVITIES: usize = 8;
const INDICATORS: usize = 5;
/// Written into the output folder so that a later run may replace what it generated.
const MARKER: &str = ".gen_corpus";

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n`.
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const AR_WORDS: &[&str] = &[
    "تعزيز",
    "الشفافية",
    "المشاركة",
    "المواطنة",
    "المعطيات",
    "المفتوحة",
    "الحق",
    "في",
    "الحصول",
    "على",
    "المعلومات",
    "الإدارة",
    "العمومية",
    "الجماعات",
    "الترابية",
    "المجتمع",
    "المدني",
    "النزاهة",
    "المساءلة",
    "الرقمنة",
    "الخدمات",
    "الميزانية",
    "التشاركية",
    "البرلمان",
    "المنفتح",
    "تتبع",
    "تقييم",
    "السياسات",
    "نشر",
    "التقارير",
    "الولوج",
    "العدالة",
    "المساواة",
    "النوع",
    "الاجتماعي",
    "الشباب",
    "التكوين",
    "التحسيس",
    "المنصة",
    "الوطنية",
    "إعداد",
    "دليل",
    "مرجعي",
];

const FR_WORDS: &[&str] = &[
    "renforcer",
    "la",
    "transparence",
    "participation",
    "citoyenne",
    "des",
    "données",
    "ouvertes",
    "droit",
    "d'accès",
    "à",
    "l'information",
    "administration",
    "publique",
    "collectivités",
    "territoriales",
    "société",
    "civile",
    "intégrité",
    "redevabilité",
    "numérisation",
    "services",
    "budget",
    "participatif",
    "parlement",
    "ouvert",
    "suivi",
    "évaluation",
    "politiques",
    "publication",
    "rapports",
    "accès",
    "justice",
    "égalité",
    "genre",
    "jeunes",
    "formation",
    "sensibilisation",
    "plateforme",
    "nationale",
    "élaboration",
    "guide",
    "référentiel",
    "et",
    "de",
    "les",
    "pour",
    "du",
];

fn sentence(rng: &mut Rng, words: &[&str], min: usize, max: usize) -> String {
    let n = min + rng.below(max - min + 1);
    let mut s = String::new();
    for i in 0..n {
        if i > 0 {
            s.push(' ');
        }
        s.push_str(rng.pick(words));
    }
    s
}

fn capitalised(s: String) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => s,
    }
}

/// A short text in both languages, as a flow map on one line.
fn short_text(rng: &mut Rng, min: usize, max: usize) -> String {
    let ar = sentence(rng, AR_WORDS, min, max);
    let fr = capitalised(sentence(rng, FR_WORDS, min, max));
    format!("{{ar: \"{ar}\", fr: \"{fr}\"}}")
}

/// A Markdown text in both languages, as block scalars indented under `indent`.
fn long_text(rng: &mut Rng, indent: &str) -> String {
    let mut out = String::new();
    for (lang, words) in [("ar", AR_WORDS), ("fr", FR_WORDS)] {
        let _ = writeln!(out, "{indent}{lang}: |");
        let paragraphs = 1 + rng.below(3);
        for p in 0..paragraphs {
            if p > 0 {
                out.push('\n');
            }
            let _ = writeln!(out, "{indent}  {}.", capitalised(sentence(rng, words, 20, 45)));
        }
        for _ in 0..rng.below(4) {
            let _ = writeln!(out, "{indent}  - {};", sentence(rng, words, 4, 10));
        }
    }
    out
}

/// A month between `from` and `from + span` months, as (year, month).
fn month(from: (i32, u32), add: usize) -> (i32, u32) {
    let index = from.0 * 12 + from.1 as i32 - 1 + add as i32;
    (index / 12, (index % 12) as u32 + 1)
}

struct Args {
    commitments: usize,
    out: PathBuf,
    seed: u64,
}

fn parse_args() -> Result<Args, String> {
    let mut commitments = None;
    let mut out = None;
    let mut seed = 2024;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || args.next().ok_or_else(|| format!("{arg} needs a value"));
        match arg.as_str() {
            "--commitments" => commitments = Some(value()?.parse().map_err(|e| format!("--commitments: {e}"))?),
            "--out" => out = Some(PathBuf::from(value()?)),
            "--seed" => seed = value()?.parse().map_err(|e| format!("--seed: {e}"))?,
            "-h" | "--help" => return Err(String::new()),
            other => return Err(format!("unknown argument {other}")),
        }
    }
    Ok(Args { commitments: commitments.ok_or("--commitments N is required")?, out: out.ok_or("--out DIR is required")?, seed })
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(args) => args,
        Err(message) => {
            if !message.is_empty() {
                eprintln!("error: {message}");
            }
            eprintln!("usage: gen_corpus --commitments N --out DIR [--seed S]");
            return ExitCode::from(2);
        }
    };
    match generate(&args) {
        Ok(summary) => {
            println!("{summary}");
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::from(2)
        }
    }
}

struct Writer {
    content: PathBuf,
    files: usize,
    bytes: usize,
}

impl Writer {
    fn write(&mut self, rel: &str, text: &str) -> std::io::Result<()> {
        let path = self.content.join(rel);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)?;
        }
        fs::write(path, text)?;
        self.files += 1;
        self.bytes += text.len();
        Ok(())
    }
}

const AREAS: &[(&str, &str, &str)] = &[
    ("transparency", "الشفافية والولوج إلى المعلومات", "Transparence et accès à l'information"),
    ("participation", "المشاركة المواطنة", "Participation citoyenne"),
    ("integrity", "النزاهة ومكافحة الفساد", "Intégrité et lutte contre la corruption"),
    ("digital-services", "الخدمات العمومية الرقمية", "Services publics numériques"),
    ("open-justice", "العدالة المنفتحة", "Justice ouverte"),
    ("local-government", "الجماعات الترابية المنفتحة", "Collectivités territoriales ouvertes"),
];

const KINDS: &[&str] = &["government", "parliament", "local", "civil_society", "independent_body"];

fn generate(args: &Args) -> Result<String, String> {
    let io = |e: std::io::Error| e.to_string();
    let out = &args.out;
    if out.join("content").exists() {
        if !out.join(MARKER).exists() {
            return Err(format!("{} already has a content/ folder that gen_corpus did not write; choose another --out", out.display()));
        }
        fs::remove_dir_all(out.join("content")).map_err(io)?;
    }
    fs::create_dir_all(out).map_err(io)?;
    fs::write(out.join(MARKER), "generated by examples/gen_corpus.rs\n").map_err(io)?;
    let mut w = Writer { content: out.join("content"), files: 0, bytes: 0 };
    let mut rng = Rng(args.seed);

    w.write(
        "site.yaml",
        "title: {ar: \"بوابة الحكومة المنفتحة التجريبية\", fr: \"Portail synthétique du gouvernement ouvert\"}\n\
         description: {ar: \"مدونة اصطناعية لقياس الأداء\", fr: \"Corpus synthétique pour mesurer les performances\"}\n\
         base_url: https://bench.example.org/\n\
         languages: [ar, fr]\n\
         data_license: {id: ODC-BY-1.0, url: https://opendatacommons.org/licenses/by/1-0/}\n\
         as_of: 2026-06-30\n",
    )
    .map_err(io)?;

    for (order, (id, ar, fr)) in AREAS.iter().enumerate() {
        let description = short_text(&mut rng, 8, 16);
        let text = format!("title: {{ar: \"{ar}\", fr: \"{fr}\"}}\ndescription: {description}\norder: {}\n", order + 1);
        w.write(&format!("areas/{id}.yaml"), &text).map_err(io)?;
    }

    let institutions: Vec<String> = (1..=24).map(|i| format!("institution-{i:02}")).collect();
    for (i, id) in institutions.iter().enumerate() {
        let name = short_text(&mut rng, 3, 6);
        let acronym = format!("{{ar: \"م{}\", fr: \"INST{}\"}}", i + 1, i + 1);
        let text = format!("name: {name}\nacronym: {acronym}\nkind: {}\nurl: https://www.example.org/{id}/\n", KINDS[i % KINDS.len()]);
        w.write(&format!("institutions/{id}.yaml"), &text).map_err(io)?;
    }

    let plans = args.commitments.div_ceil(COMMITMENTS_PER_PLAN).max(1);
    let mut references = Vec::new();
    let mut made = 0;
    for p in 0..plans {
        let plan = format!("plan-{:03}", p + 1);
        let start_year = 2018 + (p % 8) as i32;
        let status = if start_year + 3 < 2026 { "completed" } else { "active" };
        let text = format!(
            "title: {}\nsummary:\n{}owner: {}\nstart: {start_year}-01\nend: {}-12\nstatus: {status}\n",
            short_text(&mut rng, 5, 9),
            long_text(&mut rng, "  "),
            institutions[p % institutions.len()],
            start_year + 3,
        );
        w.write(&format!("plans/{plan}/plan.yaml"), &text).map_err(io)?;
        let count = (args.commitments - made).min(COMMITMENTS_PER_PLAN);
        for n in 1..=count {
            let id = format!("commitment-{n:03}");
            let sheet = commitment(&mut rng, n, (start_year, 1), &institutions);
            w.write(&format!("plans/{plan}/commitments/{id}.yaml"), &sheet).map_err(io)?;
            references.push(format!("{plan}/{id}"));
        }
        made += count;
    }

    let pages = ["about", "methodology", "open-data", "contact", "glossary"];
    for (order, slug) in pages.iter().enumerate() {
        for (lang, words) in [("ar", AR_WORDS), ("fr", FR_WORDS)] {
            let title = capitalised(sentence(&mut rng, words, 2, 5));
            let mut body = String::new();
            for _ in 0..4 {
                let _ = writeln!(
                    body,
                    "## {}\n\n{}.\n",
                    capitalised(sentence(&mut rng, words, 2, 5)),
                    capitalised(sentence(&mut rng, words, 40, 80))
                );
            }
            let text = format!("---\ntitle: \"{title}\"\norder: {}\n---\n{body}", order + 1);
            w.write(&format!("pages/{slug}.{lang}.md"), &text).map_err(io)?;
        }
    }

    let posts = (args.commitments / 100).clamp(4, 200);
    for i in 0..posts {
        let (year, month) = month((2022, 1), i * 48 / posts);
        let date = format!("{year}-{month:02}-{:02}", 1 + (i % 28));
        let related: Vec<&str> = (0..3).map(|_| references[rng.below(references.len())].as_str()).collect();
        for (lang, words) in [("ar", AR_WORDS), ("fr", FR_WORDS)] {
            let title = capitalised(sentence(&mut rng, words, 4, 8));
            let summary = capitalised(sentence(&mut rng, words, 10, 20));
            let body = capitalised(sentence(&mut rng, words, 80, 160));
            let text = format!("---\ntitle: \"{title}\"\nsummary: \"{summary}\"\nrelated: [{}]\n---\n{body}.\n", related.join(", "));
            w.write(&format!("news/{date}-news-{:03}.{lang}.md", i + 1), &text).map_err(io)?;
        }
    }

    Ok(format!(
        "wrote {} files ({:.1} MiB) to {}: {plans} plans, {made} commitments, {} pages, {} news posts",
        w.files,
        w.bytes as f64 / 1024.0 / 1024.0,
        w.content.display(),
        pages.len() * 2,
        posts * 2
    ))
}

fn commitment(rng: &mut Rng, number: usize, plan_start: (i32, u32), institutions: &[String]) -> String {
    let mut y = String::new();
    let _ = writeln!(y, "number: {number}");
    let _ = writeln!(y, "title: {}", short_text(rng, 5, 12));
    let _ = writeln!(y, "area: {}", AREAS[rng.below(AREAS.len())].0);
    let lead = &institutions[rng.below(institutions.len())];
    let _ = writeln!(y, "lead: {lead}");
    let partners: Vec<&str> = (0..rng.below(3))
        .map(|k| institutions[(number + 7 * k + 1) % institutions.len()].as_str())
        .filter(|p| p != lead)
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    let _ = writeln!(y, "partners: [{}]", partners.join(", "));
    let values = ["access_to_information", "civic_participation", "public_accountability", "technology_innovation"];
    let first = rng.below(values.len());
    let _ = writeln!(y, "ogp_values: [{}, {}]", values[first], values[(first + 1 + rng.below(3)) % values.len()]);
    for key in ["problem", "solution", "results"] {
        let _ = write!(y, "{key}:\n{}", long_text(rng, "  "));
    }

    let _ = writeln!(y, "activities:");
    for a in 0..ACTIVITIES {
        let (sy, sm) = month(plan_start, rng.below(36));
        let (ey, em) = month((sy, sm), rng.below(14));
        let progress = [0, 0, 10, 25, 40, 50, 60, 75, 90, 100, 100, 100][rng.below(12)];
        let _ = writeln!(y, "  - title: {}", short_text(rng, 4, 10));
        let _ = writeln!(y, "    start: {sy}-{sm:02}");
        let _ = writeln!(y, "    end: {ey}-{em:02}");
        let _ = writeln!(y, "    progress: {progress}");
        if a == ACTIVITIES - 1 && rng.chance(15) {
            let _ = writeln!(y, "    status: cancelled");
        }
        if rng.chance(30) {
            let _ = writeln!(y, "    cost: {{amount: {}, currency: MAD}}", 10_000 * (1 + rng.below(200)));
            let _ = writeln!(y, "    funding: {}", short_text(rng, 3, 6));
        }
    }

    let _ = writeln!(y, "indicators:");
    for i in 0..INDICATORS {
        let kind = if i < 3 { "tracking" } else { "impact" };
        let unit = ["count", "percent", "count", "percent", "text"][i];
        let _ = writeln!(y, "  - kind: {kind}");
        let _ = writeln!(y, "    title: {}", short_text(rng, 4, 9));
        let _ = writeln!(y, "    unit: {unit}");
        match unit {
            "text" => {
                let _ = writeln!(y, "    baseline: \"{}\"", sentence(rng, FR_WORDS, 2, 4));
                let _ = writeln!(y, "    target: {{value: \"{}\", date: {}}}", sentence(rng, FR_WORDS, 2, 4), plan_start.0 + 3);
            }
            _ => {
                let max = if unit == "percent" { 100 } else { 5000 };
                let baseline = rng.below(max / 2);
                let _ = writeln!(y, "    baseline: {baseline}");
                let _ = writeln!(y, "    target: {{value: {}, date: {}}}", baseline + rng.below(max / 2), plan_start.0 + 3);
                let _ = writeln!(y, "    values:");
                for v in 0..3 {
                    let kind = if v < 2 { "actual" } else { "forecast" };
                    let value = baseline as f64 + rng.below(max / 2) as f64 + rng.below(100) as f64 / 100.0;
                    let _ = writeln!(y, "      - {{date: {}, value: {value}, kind: {kind}}}", plan_start.0 + v);
                }
            }
        }
        let _ = writeln!(y, "    method: {}", short_text(rng, 6, 12));
        let _ = writeln!(y, "    source: {}", short_text(rng, 2, 4));
    }

    if rng.chance(50) {
        let participants = 10 + rng.below(90);
        let (py, pm) = month((plan_start.0 - 1, 3), rng.below(9));
        let _ = writeln!(y, "participation:");
        let _ = writeln!(
            y,
            "  - {{date: {py}-{pm:02}-{:02}, title: {}, channel: {}, participants: {participants}, women: {}, proposals: {}}}",
            1 + rng.below(28),
            short_text(rng, 3, 6),
            if rng.chance(50) { "in_person" } else { "online" },
            rng.below(participants + 1),
            rng.below(40),
        );
    }
    if rng.chance(30) {
        let _ = writeln!(y, "assessments:");
        let _ = writeln!(
            y,
            "  - {{by: {}, date: {}-12, verdict: {}, note: {}, url: \"https://monitor.example.org/{number}\"}}",
            institutions[3],
            plan_start.0 + 2,
            ["done", "in_progress", "not_done"][rng.below(3)],
            short_text(rng, 6, 12),
        );
    }
    y
}
