//! Whitespace of the theme's templates. Pages are not run through an HTML minifier: on
//! the real portal a full minification (minify-html) saved only a few per cent of the
//! bytes a browser receives once the server compresses them, and cost a third of a
//! build's instructions. Dropping the templates' indentation once, when they are
//! loaded, keeps most of that saving for nothing per page.

/// The template source with the leading spaces and tabs of each line removed, except
/// inside `<pre>` and `<textarea>`, where whitespace is content. Line breaks are kept,
/// so the line numbers in Tera's error messages still point into the theme's file, and
/// a break between two inline elements still renders as the space it was.
pub fn trim_indentation(source: &str) -> String {
    let mut trimmed = String::with_capacity(source.len());
    let mut verbatim = false;
    for line in source.split_inclusive('\n') {
        let kept = if verbatim { line } else { line.trim_start_matches([' ', '\t']) };
        trimmed.push_str(kept);
        verbatim = ends_verbatim(line, verbatim);
    }
    trimmed
}

/// Whether text after `line` is inside a `<pre>` or `<textarea>` element, given whether
/// the line started inside one. The last opening or closing tag on the line decides.
fn ends_verbatim(line: &str, mut verbatim: bool) -> bool {
    let lower = line.to_ascii_lowercase();
    let mut rest = lower.as_str();
    while let Some(at) = rest.find('<') {
        rest = &rest[at + 1..];
        let closing = rest.starts_with('/');
        let name = rest.trim_start_matches('/');
        if ["pre", "textarea"].iter().any(|tag| starts_with_tag(name, tag)) {
            verbatim = !closing;
        }
    }
    verbatim
}

/// Whether `text` starts with the element name `tag` followed by the end of the name.
fn starts_with_tag(text: &str, tag: &str) -> bool {
    text.strip_prefix(tag)
        .is_some_and(|after| after.is_empty() || after.starts_with(|c: char| c == '>' || c == '/' || c.is_ascii_whitespace()))
}

#[cfg(test)]
mod tests {
    use super::trim_indentation;

    #[test]
    fn indentation_goes_and_line_breaks_stay() {
        let source = "<ul>\n    <li>{{ a }}</li>\n\t\t<li>b</li>\n</ul>\n";
        assert_eq!(trim_indentation(source), "<ul>\n<li>{{ a }}</li>\n<li>b</li>\n</ul>\n");
    }

    #[test]
    fn preformatted_text_keeps_its_spaces() {
        let source = "<div>\n  <PRE class=x>\n  one\n    two\n  </pre>\n  <p>after</p>\n  <textarea>\n  kept\n  </textarea>\n</div>";
        let expected = "<div>\n<PRE class=x>\n  one\n    two\n  </pre>\n<p>after</p>\n<textarea>\n  kept\n  </textarea>\n</div>";
        assert_eq!(trim_indentation(source), expected);
    }

    #[test]
    fn a_tag_that_only_starts_like_pre_is_not_preformatted() {
        let source = "<prefix-card>\n  <p>x</p>\n</prefix-card>\n";
        assert_eq!(trim_indentation(source), "<prefix-card>\n<p>x</p>\n</prefix-card>\n");
    }

    #[test]
    fn a_line_that_opens_and_closes_pre_ends_outside_it() {
        assert_eq!(trim_indentation("<pre>a</pre>\n  <p>b</p>"), "<pre>a</pre>\n<p>b</p>");
    }
}
