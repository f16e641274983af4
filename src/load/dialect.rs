//! The template dialect of a site's own templates. The default theme moved from Tera 1
//! to Tera 2, which has no macros: a site's override that still defines or imports
//! macros, or calls one as `m::name(...)`, would fail deep inside the template engine
//! with a parser message about an unknown tag. `check` and `build` name the file, line
//! and column of each such use and point to the porting guide instead.

use std::fs;
use std::path::Path;

use walkdir::WalkDir;

use super::files::display_path;
use crate::diagnostics::Diagnostics;
use crate::model::Pos;

/// Where a site overrides the default theme's templates.
const TEMPLATE_FOLDERS: [&str; 2] = ["themes/default/templates", "templates"];

const GUIDE: &str = "docs/theme-tera2.md";

/// A Tera 1 construct that Tera 2 does not have, where it starts in a line.
#[derive(Debug, PartialEq, Eq)]
pub struct Finding {
    pub line: usize,
    /// 1-based, in characters.
    pub column: usize,
    pub construct: &'static str,
    pub message: String,
}

/// Reports every Tera 1 macro construct in the site's own templates; returns the text
/// of the files it reported on, for the snippets.
pub fn check_templates(root: &Path, diagnostics: &mut Diagnostics) -> Vec<(String, String)> {
    let mut flagged = Vec::new();
    for folder in TEMPLATE_FOLDERS {
        let dir = root.join(folder);
        if !dir.is_dir() {
            continue;
        }
        // Links are not followed: the theme loader does not follow them either.
        for entry in WalkDir::new(&dir).sort_by_file_name().into_iter().filter_map(Result::ok) {
            if !entry.file_type().is_file() {
                continue;
            }
            let Ok(text) = fs::read_to_string(entry.path()) else { continue };
            let findings = tera1_constructs(&text);
            if findings.is_empty() {
                continue;
            }
            let path = display_path(root, entry.path());
            for finding in findings {
                diagnostics.error(&path, Pos::new(finding.line, finding.column), finding.construct, finding.message);
            }
            flagged.push((path, text));
        }
    }
    flagged
}

/// The Tera 1 macro constructs of a template's source: `{% macro`, `{% import` and
/// calls of an imported macro (`name::macro(`), with what to write instead.
pub fn tera1_constructs(source: &str) -> Vec<Finding> {
    let mut findings = Vec::new();
    for (index, line) in source.lines().enumerate() {
        for (at, _) in line.match_indices("{%") {
            let tag = line[at + 2..].trim_start_matches('-').trim_start();
            let word: String = tag.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
            let message = match word.as_str() {
                "macro" | "endmacro" => format!(
                    "`{{% {word} %}}` is Tera 1: the theme's templates are Tera 2, which has no macros; write it as a `{{% component %}}` (see {GUIDE})"
                ),
                "import" => format!(
                    "`{{% import %}}` is Tera 1: Tera 2 has no macro imports, every component is visible in every template; remove the line and call the components (see {GUIDE})"
                ),
                _ => continue,
            };
            findings.push(Finding { line: index + 1, column: line[..at].chars().count() + 1, construct: construct(&word), message });
        }
        for at in macro_calls(line) {
            findings.push(Finding {
                line: index + 1,
                column: line[..at].chars().count() + 1,
                construct: "macro call",
                message: format!(
                    "`{}` calls a Tera 1 macro: Tera 2 calls a component as `{{{{ <name arg={{value}} /> }}}}` (see {GUIDE})",
                    call_text(&line[at..])
                ),
            });
        }
    }
    findings
}

fn construct(word: &str) -> &'static str {
    match word {
        "import" => "import",
        _ => "macro",
    }
}

/// Byte positions of `name::name(` in a line: a namespace, `::`, a name, `(`.
fn macro_calls(line: &str) -> Vec<usize> {
    let bytes = line.as_bytes();
    let is_name = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    let mut calls = Vec::new();
    for (at, _) in line.match_indices("::") {
        let start = line[..at].bytes().rev().take_while(|b| is_name(*b)).count();
        let name_len = line[at + 2..].bytes().take_while(|b| is_name(*b)).count();
        if start == 0 || name_len == 0 || bytes.get(at + 2 + name_len) != Some(&b'(') {
            continue;
        }
        calls.push(at - start);
    }
    calls
}

/// The call as written, up to its opening parenthesis.
fn call_text(from: &str) -> &str {
    from.find('(').map_or(from, |end| &from[..=end])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(source: &str) -> Vec<(usize, usize, &'static str)> {
        tera1_constructs(source).into_iter().map(|f| (f.line, f.column, f.construct)).collect()
    }

    #[test]
    fn macros_imports_and_macro_calls_are_found_where_they_are() {
        let source = "{% extends \"base.html\" %}\n{% import \"macros.html\" as m %}\n<p>{{ m::t(x=c.title) }}</p>\n{%- macro card(c) %}x{% endmacro card %}\n";
        assert_eq!(found(source), vec![(2, 1, "import"), (3, 7, "macro call"), (4, 1, "macro"), (4, 22, "macro")]);
    }

    #[test]
    fn columns_count_characters_not_bytes() {
        assert_eq!(found("<p>التزام {{ m::link(l=x) }}</p>"), vec![(1, 14, "macro call")]);
    }

    #[test]
    fn tera2_templates_and_lookalikes_are_left_alone() {
        let source = "{{ <counts list={x} /> }}\n{% component t(x) %}{{ x | text }}{% endcomponent t %}\n<a href=\"https://x.org/a::b\">std::mem</a> {{ a::b }}\n{% include \"macro.html\" %}";
        assert_eq!(found(source), vec![]);
    }

    #[test]
    fn the_message_names_the_call_and_the_guide() {
        let findings = tera1_constructs("{{ m::progress(p=c.progress, label=i.progress) }}");
        assert_eq!(findings.len(), 1);
        assert!(findings[0].message.contains("`m::progress(`"), "{}", findings[0].message);
        assert!(findings[0].message.contains(GUIDE), "{}", findings[0].message);
    }

    #[test]
    fn each_construct_says_what_to_write_instead() {
        let messages: Vec<(&str, String)> =
            tera1_constructs("{% macro card(c) %}\n{%- endmacro %}\n{%import \"m.html\" as m %}\n{{ cards::card_row(c=c) }}")
                .into_iter()
                .map(|f| (f.construct, f.message))
                .collect();
        assert_eq!(
            messages,
            [
                ("macro", "`{% macro %}` is Tera 1: the theme's templates are Tera 2, which has no macros; write it as a `{% component %}` (see docs/theme-tera2.md)".to_string()),
                ("macro", "`{% endmacro %}` is Tera 1: the theme's templates are Tera 2, which has no macros; write it as a `{% component %}` (see docs/theme-tera2.md)".to_string()),
                ("import", "`{% import %}` is Tera 1: Tera 2 has no macro imports, every component is visible in every template; remove the line and call the components (see docs/theme-tera2.md)".to_string()),
                ("macro call", "`cards::card_row(` calls a Tera 1 macro: Tera 2 calls a component as `{{ <name arg={value} /> }}` (see docs/theme-tera2.md)".to_string()),
            ]
        );
        assert_eq!(call_text("m::t"), "m::t", "a call cut short is shown as it is");
    }

    #[test]
    fn a_call_needs_a_namespace_a_name_and_a_parenthesis() {
        // `::` with no namespace before it or no name after it, or a name not called.
        assert_eq!(found("{{ ::t(x) }}\n{{ m::(x) }}\n{{ m::t }}\n{{ m::t (x) }}"), vec![]);
        assert_eq!(found("{{ my_ns::a_b(x) }} {{ n2::c3() }}"), vec![(1, 4, "macro call"), (1, 24, "macro call")]);
    }

    #[test]
    fn the_sites_own_templates_are_searched_in_both_folders_in_name_order() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let write = |path: &str, text: &[u8]| {
            let path = root.join(path);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(path, text).unwrap();
        };
        let theme = "{% extends \"base.html\" %}\n  {% macro card(c) %}{{ c }}{% endmacro %}\n";
        write("themes/default/templates/partials/card.html", theme.as_bytes());
        write("themes/default/templates/base.html", b"<html>{% block main %}{% endblock main %}</html>\n");
        let site = "<p>{{ m::t(x=1) }}</p>\n";
        write("templates/commitment.html", site.as_bytes());
        write("templates/a-latin1.html", b"{% import \"m.html\" as m %} caf\xe9\n");
        fs::create_dir_all(root.join("templates/empty.html")).unwrap();
        // Elsewhere, Tera 1 is none of its business.
        write("content/notes.html", b"{% import \"m.html\" as m %}\n");
        let mut diagnostics = Diagnostics::default();
        let flagged = check_templates(root, &mut diagnostics);
        assert_eq!(
            flagged,
            [
                ("themes/default/templates/partials/card.html".to_string(), theme.to_string()),
                ("templates/commitment.html".to_string(), site.to_string())
            ]
        );
        let seen: Vec<(String, usize, usize, String)> =
            diagnostics.sorted().into_iter().map(|d| (d.path, d.line, d.column, d.field)).collect();
        assert_eq!(
            seen,
            [
                ("templates/commitment.html".to_string(), 1, 7, "macro call".to_string()),
                ("themes/default/templates/partials/card.html".to_string(), 2, 3, "macro".to_string()),
                ("themes/default/templates/partials/card.html".to_string(), 2, 29, "macro".to_string()),
            ]
        );
        assert_eq!(diagnostics.error_count(), 3);

        let clean = tempfile::tempdir().unwrap();
        let mut diagnostics = Diagnostics::default();
        assert_eq!(check_templates(clean.path(), &mut diagnostics), []);
        assert!(diagnostics.is_empty());
    }
}
