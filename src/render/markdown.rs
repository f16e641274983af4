//! Markdown to safe HTML: pulldown-cmark renders, ammonia removes anything dangerous
//! (scripts, event handlers, iframes, `javascript:` URLs) that raw HTML could bring in.

use std::sync::LazyLock;

use pulldown_cmark::{html, Options, Parser};

static SANITIZER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut builder = ammonia::Builder::default();
    builder
        .url_schemes(["http", "https", "mailto", "tel"].into_iter().collect())
        .link_rel(Some("noopener noreferrer"))
        .add_generic_attributes(["lang", "dir"]);
    builder
});

/// Renders Markdown to sanitised HTML.
pub fn to_html(markdown: &str) -> String {
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_FOOTNOTES;
    let mut unsafe_html = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut unsafe_html, Parser::new_ext(markdown, options));
    SANITIZER.clean(&unsafe_html).to_string()
}

/// The text of some Markdown without markup, for search indexes and summaries.
pub fn to_plain_text(markdown: &str) -> String {
    use pulldown_cmark::{Event, Tag, TagEnd};
    let mut text = String::new();
    for event in Parser::new(markdown) {
        match event {
            Event::Text(t) | Event::Code(t) => text.push_str(&t),
            Event::SoftBreak | Event::HardBreak | Event::End(TagEnd::Paragraph | TagEnd::Item | TagEnd::Heading(_)) => text.push(' '),
            Event::Start(Tag::Item) => {}
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
        let html = to_html("<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n<iframe src=\"https://x\"></iframe>\n\n[a](javascript:alert(1)) <a href=\"javascript:alert(2)\">b</a>");
        for bad in ["<script", "onerror", "<iframe", "javascript:"] {
            assert!(!html.contains(bad), "{bad} survived in {html}");
        }
    }

    #[test]
    fn plain_text_drops_markup() {
        assert_eq!(to_plain_text("# Titre\n\nUn *texte* avec [lien](https://x).\n- a\n- b"), "Titre Un texte avec lien. a b");
    }
}
