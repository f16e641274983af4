//! The smallest pieces of a page, as Tera filters written in Rust: a text in the page's
//! language or marked as another's (`text`), a link (`link`), a block of prose
//! (`prose`), a status badge (`badge`) and a progress bar (`progress(label=...)`).
//!
//! Why Rust: a commitment sheet prints some sixty of them, and a Tera macro call costs a
//! stack frame, a copy of its arguments, a string of its own and a path lookup for each
//! field; on the 10,000-commitment corpus, macro calls were a fifth of the build's CPU.
//! A filter is one function call over the view's value. The markup is the one the
//! default theme's Tera 1 macros had (`components.html` keeps `t`, `link`, `md`, `badge`
//! and `progress` as one-line wrapper components, for themes that call them); a theme
//! that wants other markup for one of them writes its own component and calls that. Every printed
//! value goes through the same [`escape::html`] as the templates' `{{ }}`.

use tera::{Error, Kwargs, State, Tera, TeraResult as Result, Value};

use super::escape;

/// Registers the filters on a Tera environment.
pub fn register(tera: &mut Tera) {
    tera.register_filter("text", safe(text));
    tera.register_filter("link", safe(link));
    tera.register_filter("prose", safe(prose));
    tera.register_filter("badge", safe(badge));
    tera.register_filter("progress", safe(progress));
}

/// A filter whose output is markup: a safe string, so Tera does not escape it again.
fn safe(atom: fn(&Value, &Kwargs) -> Result<String>) -> impl Fn(&Value, Kwargs, &State) -> Result<Value> + Send + Sync + 'static {
    move |value: &Value, kwargs: Kwargs, _: &State| atom(value, &kwargs).map(|markup| Value::safe_string(&markup))
}

/// A field of a view's object, as a string.
fn field<'a>(value: &'a Value, key: &'a str) -> Result<&'a str> {
    value.get_from_path(key).and_then(Value::as_str).ok_or_else(|| missing(value, key))
}

/// A field that may be absent (false when it is).
fn flag(value: &Value, key: &str) -> bool {
    value.get_from_path(key).and_then(Value::as_bool).unwrap_or(false)
}

fn missing(value: &Value, key: &str) -> Error {
    let kind = if value.is_map() {
        "an object"
    } else if value.is_none() || value.is_undefined() {
        "nothing"
    } else {
        "not an object"
    };
    Error::message(format!("expected a field `{key}`, got {kind}"))
}

/// The language, direction and note of a text shown in another language than the
/// page's, escaped; `None` for a text in the page's language.
struct Fallback {
    lang: String,
    dir: String,
    note: String,
}

fn fallback(x: &Value) -> Result<Option<Fallback>> {
    if !flag(x, "fallback") {
        return Ok(None);
    }
    Ok(Some(Fallback { lang: escape::html(field(x, "lang")?), dir: escape::html(field(x, "dir")?), note: escape::html(field(x, "note")?) }))
}

/// `x | text`: a localised text, isolated and marked when it is another language's.
fn text(x: &Value, _: &Kwargs) -> Result<String> {
    let body = escape::html(field(x, "text")?);
    Ok(match fallback(x)? {
        Some(Fallback { lang, dir, note }) => {
            format!(r#"<bdi lang="{lang}" dir="{dir}">{body}</bdi> <small class="untranslated">({note})</small>"#)
        }
        None => body,
    })
}

/// `l | link`: a link whose label is a localised text.
fn link(l: &Value, _: &Kwargs) -> Result<String> {
    let label = l.get_from_path("label").ok_or_else(|| missing(l, "label"))?;
    let (href, body) = (escape::html(field(l, "href")?), escape::html(field(label, "text")?));
    Ok(match fallback(label)? {
        Some(Fallback { lang, dir, note }) => {
            format!(r#"<a href="{href}"><bdi lang="{lang}" dir="{dir}">{body}</bdi></a> <small class="untranslated">({note})</small>"#)
        }
        None => format!(r#"<a href="{href}"><bdi>{body}</bdi></a>"#),
    })
}

/// `x | prose`: Markdown already rendered and sanitised, in its own block.
fn prose(x: &Value, _: &Kwargs) -> Result<String> {
    let body = field(x, "html")?;
    Ok(match fallback(x)? {
        Some(Fallback { lang, dir, note }) => {
            format!(r#"<p class="untranslated">{note}</p><div class="prose" lang="{lang}" dir="{dir}">{body}</div>"#)
        }
        None => format!(r#"<div class="prose">{body}</div>"#),
    })
}

/// `p | badge`: a status as a coloured label.
fn badge(p: &Value, _: &Kwargs) -> Result<String> {
    let (status, label) = (escape::html(field(p, "status")?), escape::html(field(p, "status_label")?));
    Ok(format!(r#"<span class="badge s-{status}">{label}</span>"#))
}

/// `p | progress(label=...)`: a progress bar with its figure, or the sentence that says
/// nothing was reported (never a bar at 0 %).
fn progress(p: &Value, args: &Kwargs) -> Result<String> {
    let label = escape::html(field(p, "label")?);
    if !flag(p, "reported") {
        return Ok(format!(r#"<p class="no-report">{label}</p>"#));
    }
    let value = p.get_from_path("value").and_then(Value::as_f64).ok_or_else(|| missing(p, "value"))?;
    let status = escape::html(field(p, "status")?);
    let name = escape::html(&args.get::<String>("label")?.ok_or_else(|| Error::message("progress needs a `label`"))?);
    // `value` prints as Tera prints a number; the width class is the value rounded.
    let width = value.round() as i64;
    Ok(format!(
        r#"<div class="progress-line"><div class="progress" role="progressbar" aria-valuemin="0" aria-valuemax="100" aria-valuenow="{value}" aria-valuetext="{label}" aria-label="{name}"><span class="fill s-{status} w-{width}"></span></div><bdi class="pct">{label}</bdi></div>"#
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn render(template: &str, data: serde_json::Value) -> String {
        let mut tera = Tera::default();
        tera.autoescape_on([".html"]);
        tera.set_escape_fn(escape::write_html);
        register(&mut tera);
        tera.add_raw_template("t.html", template).unwrap();
        tera.render("t.html", &tera::Context::from_serialize(&json!({ "x": data })).unwrap()).unwrap()
    }

    #[test]
    fn a_text_in_the_page_language_is_printed_escaped() {
        assert_eq!(render("{{ x | text }}", json!({"text": "A & <b>", "fallback": false})), "A &amp; &lt;b&gt;");
    }

    #[test]
    fn a_fallback_text_is_isolated_and_marked() {
        let x = json!({"text": "التزام", "lang": "ar", "dir": "rtl", "fallback": true, "note": "en arabe"});
        assert_eq!(render("{{ x | text }}", x), r#"<bdi lang="ar" dir="rtl">التزام</bdi> <small class="untranslated">(en arabe)</small>"#);
    }

    #[test]
    fn a_link_escapes_its_address_and_isolates_its_label() {
        let x = json!({"href": "/fr/?a=1&b=\"2\"", "label": {"text": "Plan", "fallback": false}});
        assert_eq!(render("{{ x | link }}", x), r#"<a href="/fr/?a=1&amp;b=&quot;2&quot;"><bdi>Plan</bdi></a>"#);
    }

    #[test]
    fn prose_is_printed_as_the_markup_it_is() {
        assert_eq!(
            render("{{ x | prose }}", json!({"html": "<p>a &amp; b</p>", "fallback": false})),
            r#"<div class="prose"><p>a &amp; b</p></div>"#
        );
    }

    #[test]
    fn progress_draws_a_bar_only_when_reported() {
        let reported = json!({"reported": true, "value": 42.5, "label": "42,5 %", "status": "on-track"});
        assert_eq!(
            render(r#"{{ x | progress(label="Avancement") }}"#, reported),
            r#"<div class="progress-line"><div class="progress" role="progressbar" aria-valuemin="0" aria-valuemax="100" aria-valuenow="42.5" aria-valuetext="42,5 %" aria-label="Avancement"><span class="fill s-on-track w-43"></span></div><bdi class="pct">42,5 %</bdi></div>"#
        );
        let silent = json!({"reported": false, "value": 0.0, "label": "Aucun rapport", "status": "not-started"});
        assert_eq!(render(r#"{{ x | progress(label="Avancement") }}"#, silent), r#"<p class="no-report">Aucun rapport</p>"#);
    }

    /// Templates that called the Tera 1 macros `m::t`, `m::link`, ... call the default
    /// theme's components of the same names, which wrap the filters: both print the same.
    #[test]
    fn the_default_themes_wrapper_components_print_what_the_filters_print() {
        let mut tera = Tera::default();
        tera.autoescape_on([".html"]);
        tera.set_escape_fn(escape::write_html);
        register(&mut tera);
        let components = include_str!("../../themes/default/templates/components.html");
        let calls = r#"{{ <t x={x.label} /> }}|{{ <link l={x} /> }}|{{ <md x={x.note} /> }}|{{ <badge p={x.p} /> }}|{{ <progress p={x.p} label="L" /> }}"#;
        let filters = r#"{{ x.label | text }}|{{ x | link }}|{{ x.note | prose }}|{{ x.p | badge }}|{{ x.p | progress(label="L") }}"#;
        tera.add_raw_templates(vec![("components.html", components), ("calls.html", calls), ("filters.html", filters)]).unwrap();
        let x = json!({"x": {
            "href": "/ar/",
            "label": {"text": "Plan <1>", "lang": "ar", "dir": "rtl", "fallback": true, "note": "ar"},
            "note": {"html": "<p>x</p>", "lang": "ar", "dir": "rtl", "fallback": true, "note": "ar"},
            "p": {"reported": true, "value": 50.0, "label": "50 %", "status": "done", "status_label": "Done"},
        }});
        let context = tera::Context::from_serialize(&x).unwrap();
        let by_macros = tera.render("calls.html", &context).unwrap();
        assert_eq!(by_macros, tera.render("filters.html", &context).unwrap());
        assert!(by_macros.contains(r#"<bdi lang="ar" dir="rtl">Plan &lt;1&gt;</bdi>"#), "{by_macros}");
    }

    #[test]
    fn a_missing_field_is_an_error_that_names_it() {
        let mut tera = Tera::default();
        register(&mut tera);
        tera.add_raw_template("t.html", "{{ x | badge }}").unwrap();
        let err = tera.render("t.html", &tera::Context::from_serialize(&json!({"x": {"status": "done"}})).unwrap()).unwrap_err();
        let chain = format!("{err:?}");
        assert!(chain.contains("status_label"), "{chain}");
    }
}
