//! The escaping of values that templates print. Tera's default also escapes `/` (as
//! `&#x2F;`), an old OWASP precaution for unquoted attributes that the HTML standard does
//! not need: every URL on a page came out as `https:&#x2F;&#x2F;…`, a tenth of a page's
//! bytes. The default theme quotes every attribute with `"`, so the five characters
//! below are all that can end a value early; `'` is escaped too, for themes that quote
//! with it.

/// `text` with `&`, `<`, `>`, `"` and `'` replaced by their character references.
pub fn html(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len() + text.len() / 16);
    // Pushing onto a String cannot fail.
    let _ = pieces(text, |piece| {
        escaped.push_str(piece);
        Ok(())
    });
    escaped
}

/// [`html`] written straight into `out`: Tera's escape function, so the page's buffer
/// receives each value without a string of its own.
pub fn write_html(text: &str, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    pieces(text, |piece| out.write_all(piece.as_bytes()))
}

/// `text` escaped, handed to `put` as its plain runs and character references in order.
fn pieces(text: &str, mut put: impl FnMut(&str) -> std::io::Result<()>) -> std::io::Result<()> {
    let mut plain_from = 0;
    for (at, byte) in text.bytes().enumerate() {
        let reference = match byte {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        // `at` is an ASCII byte's position, so both slices end on a character boundary.
        put(&text[plain_from..at])?;
        put(reference)?;
        plain_from = at + 1;
    }
    put(&text[plain_from..])
}

#[cfg(test)]
mod tests {
    use super::html;

    #[test]
    fn the_five_markup_characters_are_escaped_and_nothing_else() {
        assert_eq!(html(r#"<a href="x">l'État & co</a>"#), "&lt;a href=&quot;x&quot;&gt;l&#39;État &amp; co&lt;/a&gt;");
        assert_eq!(html("https://example.org/fr/plans/"), "https://example.org/fr/plans/");
        assert_eq!(html("التزام ٣"), "التزام ٣");
        assert_eq!(html(""), "");
    }

    #[test]
    fn the_writer_prints_what_the_string_holds() {
        let text = r#"<a href="x">l'État & co</a> التزام"#;
        let mut written = Vec::new();
        super::write_html(text, &mut written).unwrap();
        assert_eq!(String::from_utf8(written).unwrap(), html(text));
    }
}
