//! Markdown to safe HTML: pulldown-cmark renders, ammonia removes anything dangerous
//! (scripts, event handlers, iframes, `javascript:` URLs) that raw HTML could bring in.

use std::sync::LazyLock;

use pulldown_cmark::{Options, Parser, html};

static SANITIZER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut builder = ammonia::Builder::default();
    builder
        .url_schemes(["http", "https", "mailto", "tel"].into_iter().collect())
        .link_rel(Some("noopener noreferrer"))
        .add_generic_attributes(["lang", "dir"]);
    builder
});

const OPTIONS: Options = Options::ENABLE_TABLES.union(Options::ENABLE_STRIKETHROUGH).union(Options::ENABLE_FOOTNOTES);

/// Renders Markdown to sanitised HTML, headings as written.
pub fn to_html(markdown: &str) -> String {
    let mut unsafe_html = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut unsafe_html, Parser::new_ext(markdown, OPTIONS));
    SANITIZER.clean(&unsafe_html).to_string()
}

/// Renders Markdown shown under a heading of level `parent` (1 for text right under
/// the page's `h1`), with its headings moved into the page's outline: the editor's
/// highest heading becomes `parent + 1`, and no heading skips a level downwards. Editors
/// write `###` or `##` as they please; the page stays a valid, navigable outline.
///
/// Root-relative links and images (`/data/v1/index.json`) are written under `base_path`
/// (`/` or `/sub/path/`), so they keep working when the site is deployed under a sub-path.
pub fn to_html_under(markdown: &str, parent: u8, base_path: &str) -> String {
    rendered_under(markdown, parent, base_path, Sanitise::UnlessPlain)
}

/// Whether plain Markdown skips ammonia (tests compare both ways).
#[derive(Clone, Copy, PartialEq)]
enum Sanitise {
    UnlessPlain,
    #[cfg(test)]
    Always,
}

fn rendered_under(markdown: &str, parent: u8, base_path: &str, sanitise: Sanitise) -> String {
    use pulldown_cmark::{Event, HeadingLevel, Tag, TagEnd};
    let events: Vec<Event> = Parser::new_ext(markdown, OPTIONS).collect();
    let mut used: Vec<HeadingLevel> = events
        .iter()
        .filter_map(|e| match e {
            Event::Start(Tag::Heading { level, .. }) => Some(*level),
            _ => None,
        })
        .collect();
    used.sort();
    used.dedup();
    let as_level = |n: usize| HeadingLevel::try_from(n.clamp(1, 6)).unwrap_or(HeadingLevel::H6);
    let top = usize::from(parent.clamp(0, 5)) + 1;
    let mut previous = top - 1;
    let mut open: Vec<HeadingLevel> = Vec::new();
    let events = events.into_iter().map(|e| match e {
        Event::Start(Tag::Heading { level, id, classes, attrs }) => {
            let rank = used.iter().position(|l| *l == level).unwrap_or(0);
            let n = (top + rank).min(previous + 1).min(6);
            previous = n;
            let level = as_level(n);
            open.push(level);
            Event::Start(Tag::Heading { level, id, classes, attrs })
        }
        Event::End(TagEnd::Heading(level)) => Event::End(TagEnd::Heading(open.pop().unwrap_or(level))),
        Event::Start(Tag::Link { link_type, dest_url, title, id }) => {
            Event::Start(Tag::Link { link_type, dest_url: under_base(dest_url, base_path), title, id })
        }
        Event::Start(Tag::Image { link_type, dest_url, title, id }) => {
            Event::Start(Tag::Image { link_type, dest_url: under_base(dest_url, base_path), title, id })
        }
        Event::Html(html) => Event::Html(html_under_base(html, base_path)),
        Event::InlineHtml(html) => Event::InlineHtml(html_under_base(html, base_path)),
        other => other,
    });
    let events: Vec<Event> = events.collect();
    let mut unsafe_html = String::with_capacity(markdown.len() * 3 / 2);
    let plain = sanitise == Sanitise::UnlessPlain && is_plain(markdown, &events);
    html::push_html(&mut unsafe_html, events.into_iter());
    if plain { as_sanitised(unsafe_html) } else { SANITIZER.clean(&unsafe_html).to_string() }
}

/// Whether the Markdown is plain prose: paragraphs, headings, quotes, lists and
/// emphasis, with no link, image, raw HTML, table, rule or line break, nor a carriage
/// return or NUL character. pulldown-cmark writes such text as tags ammonia keeps as
/// they are, around text it escapes itself, so sanitising it could change nothing but
/// the escaping of the no-break space ([`as_sanitised`]). Most of a portal's texts are
/// plain, and ammonia (which parses the HTML again and writes it back) took two thirds
/// of the time of Markdown. A property test holds this against ammonia's output.
fn is_plain(markdown: &str, events: &[pulldown_cmark::Event]) -> bool {
    use pulldown_cmark::{Event, Tag, TagEnd};
    !markdown.contains(['\r', '\0'])
        && events.iter().all(|event| match event {
            Event::Start(tag) => match tag {
                Tag::Heading { id, classes, attrs, .. } => id.is_none() && classes.is_empty() && attrs.is_empty(),
                Tag::List(start) => matches!(start, None | Some(1)),
                Tag::BlockQuote(kind) => kind.is_none(),
                Tag::Paragraph | Tag::Item | Tag::Emphasis | Tag::Strong | Tag::Strikethrough => true,
                _ => false,
            },
            Event::End(tag) => matches!(
                tag,
                TagEnd::Paragraph
                    | TagEnd::Heading(_)
                    | TagEnd::BlockQuote(None)
                    | TagEnd::List(_)
                    | TagEnd::Item
                    | TagEnd::Emphasis
                    | TagEnd::Strong
                    | TagEnd::Strikethrough
            ),
            Event::Text(_) | Event::Code(_) | Event::SoftBreak => true,
            _ => false,
        })
}

/// Plain Markdown's HTML as ammonia writes it back: html5ever's serialiser escapes the
/// no-break space in text, which pulldown-cmark leaves as it is.
fn as_sanitised(html: String) -> String {
    if html.contains('\u{a0}') { html.replace('\u{a0}', "&nbsp;") } else { html }
}

/// A root-relative URL (`/x`, not `//host/x`) moved under `base_path`.
fn under_base<'a>(url: pulldown_cmark::CowStr<'a>, base_path: &str) -> pulldown_cmark::CowStr<'a> {
    if base_path != "/" && url.starts_with('/') && !url.starts_with("//") { format!("{}{}", base_path, &url[1..]).into() } else { url }
}

/// The same for `href="/…"` and `src="/…"` in raw HTML an editor wrote in Markdown.
fn html_under_base<'a>(html: pulldown_cmark::CowStr<'a>, base_path: &str) -> pulldown_cmark::CowStr<'a> {
    if base_path == "/" || !(html.contains("href=") || html.contains("src=")) {
        return html;
    }
    let mut text = html.to_string();
    for attr in ["href", "src"] {
        for quote in ['"', '\''] {
            let from = format!("{attr}={quote}/");
            let mut out = String::with_capacity(text.len());
            let mut rest = text.as_str();
            while let Some(i) = rest.find(&from) {
                out.push_str(&rest[..i]);
                let after = &rest[i + from.len()..];
                if after.starts_with('/') {
                    out.push_str(&from);
                } else {
                    out.push_str(&format!("{attr}={quote}{base_path}"));
                }
                rest = after;
            }
            out.push_str(rest);
            text = out;
        }
    }
    text.into()
}

/// The text of some Markdown without markup, for search indexes and summaries.
pub fn to_plain_text(markdown: &str) -> String {
    use pulldown_cmark::{Event, TagEnd};
    let mut text = String::new();
    for event in Parser::new(markdown) {
        match event {
            Event::Text(t) | Event::Code(t) => text.push_str(&t),
            Event::SoftBreak | Event::HardBreak | Event::End(TagEnd::Paragraph | TagEnd::Item | TagEnd::Heading(_)) => text.push(' '),
            _ => {}
        }
    }
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_lists_and_emphasis() {
        assert_eq!(to_html("- a\n- *b*\n"), "<ul>\n<li>a</li>\n<li><em>b</em></li>\n</ul>\n");
    }

    #[test]
    fn removes_scripts_handlers_iframes_and_javascript_links() {
        let html = to_html(
            "<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n<iframe src=\"https://x\"></iframe>\n\n[a](javascript:alert(1)) <a href=\"javascript:alert(2)\">b</a>",
        );
        for bad in ["<script", "onerror", "<iframe", "javascript:"] {
            assert!(!html.contains(bad), "{bad} survived in {html}");
        }
    }

    #[test]
    fn headings_fit_the_page_outline() {
        // Under the page's h1, a text whose only headings are ### gets h2s.
        assert_eq!(to_html_under("intro\n\n### A\n\n### B\n", 1, "/"), "<p>intro</p>\n<h2>A</h2>\n<h2>B</h2>\n");
        // Relative depth is kept, skipped levels are closed up.
        assert_eq!(to_html_under("## A\n\n#### B\n\n## C\n", 2, "/"), "<h3>A</h3>\n<h4>B</h4>\n<h3>C</h3>\n");
        // A first heading deeper than a later one still follows the parent directly.
        assert_eq!(to_html_under("### A\n\n## B\n", 1, "/"), "<h2>A</h2>\n<h2>B</h2>\n");
        // Never beyond h6.
        assert_eq!(to_html_under("# A\n\n## B\n", 5, "/"), "<h6>A</h6>\n<h6>B</h6>\n");
    }

    #[test]
    fn root_relative_links_follow_the_base_path() {
        let html = to_html_under(
            "[a](/data/v1/index.json) [b](../methodology/) [c](//cdn.example/x) ![i](/img.png)\n\n<a href=\"/fr/\">d</a> <a href='//x/y'>e</a>",
            1,
            "/sub/path/",
        );
        assert!(html.contains(r#"href="/sub/path/data/v1/index.json""#), "{html}");
        assert!(html.contains(r#"href="../methodology/""#), "{html}");
        assert!(html.contains(r#"src="/sub/path/img.png""#), "{html}");
        assert!(html.contains(r#"href="/sub/path/fr/""#), "{html}");
        assert!(!html.contains("/sub/path//"), "{html}");
        // At the root nothing changes.
        assert!(to_html_under("[a](/data/v1/index.json)", 1, "/").contains(r#"href="/data/v1/index.json""#));
    }

    use proptest::prelude::*;

    /// Markdown built of pieces that reach every branch of [`is_plain`]: block and
    /// inline markers, the characters either escaper treats specially, links, raw HTML.
    fn markdown() -> impl Strategy<Value = String> {
        let piece = prop::sample::select(vec![
            "# ",
            "## ",
            "### ",
            "> ",
            "- ",
            "* ",
            "1. ",
            "2. ",
            "  ",
            "\n",
            "\n\n",
            "*",
            "**",
            "_",
            "~~",
            "`",
            "&",
            "<",
            ">",
            "\"",
            "'",
            "\u{a0}",
            "&nbsp;",
            "&amp;",
            "&#34;",
            "\\",
            "\t",
            "\u{c}",
            "nous",
            "الشفافية",
            "é",
            " ",
            "1",
            ".",
            "[l](https://x)",
            "<b>",
            "</b>",
            "<!-- c -->",
            "---",
            "| a |",
            "  \n",
            "\r",
            "é\u{301}",
        ]);
        prop::collection::vec(piece, 0..24).prop_map(|pieces| pieces.concat())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4000))]
        /// Whatever the fast path accepts, it writes exactly what ammonia would.
        #[test]
        fn plain_markdown_skips_ammonia_with_the_same_bytes(text in markdown(), parent in 0u8..4) {
            let fast = rendered_under(&text, parent, "/sub/", Sanitise::UnlessPlain);
            let sanitised = rendered_under(&text, parent, "/sub/", Sanitise::Always);
            prop_assert_eq!(fast, sanitised);
        }
    }

    #[test]
    fn plain_prose_takes_the_fast_path_and_the_rest_does_not() {
        fn events(s: &str) -> Vec<pulldown_cmark::Event<'_>> {
            Parser::new_ext(s, OPTIONS).collect()
        }
        for plain in ["Un *texte* « cité » & a < b", "## A\n\n- a\n- **b**\n\n> c", "1. a\n2. b", "a\u{a0}b ~~c~~ `d`"] {
            assert!(is_plain(plain, &events(plain)), "{plain:?}");
        }
        for not_plain in ["[l](https://x)", "<b>x</b>", "a  \nb", "---", "| a |\n|---|\n| b |", "3. a", "a\rb", "![i](x.png)"] {
            assert!(!is_plain(not_plain, &events(not_plain)), "{not_plain:?}");
        }
    }

    #[test]
    fn plain_text_drops_markup() {
        assert_eq!(to_plain_text("# Titre\n\nUn *texte* avec [lien](https://x).\n- a\n- b"), "Titre Un texte avec lien. a b");
    }
}
