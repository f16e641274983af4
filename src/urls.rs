//! Where each page lives. Paths are relative to the site root and end with `/` for
//! pages (served as `PATH/index.html`); join them to `base_url` for absolute URLs.

pub fn home(lang: &str) -> String {
    format!("{lang}/")
}

pub fn plan(lang: &str, plan: &str) -> String {
    format!("{lang}/plans/{plan}/")
}

/// The plan's printable self-assessment report.
pub fn plan_report(lang: &str, plan: &str) -> String {
    format!("{lang}/plans/{plan}/report/")
}

/// The latest progress reports across the portal.
pub fn updates(lang: &str) -> String {
    format!("{lang}/updates/")
}

pub fn commitment(lang: &str, plan: &str, id: &str) -> String {
    format!("{lang}/plans/{plan}/commitments/{id}/")
}

/// An institution's printable accountability report.
pub fn institution_report(lang: &str, id: &str) -> String {
    format!("{lang}/institutions/{id}/report/")
}

pub fn area(lang: &str, id: &str) -> String {
    format!("{lang}/areas/{id}/")
}

pub fn institution(lang: &str, id: &str) -> String {
    format!("{lang}/institutions/{id}/")
}

pub fn news_list(lang: &str) -> String {
    format!("{lang}/news/")
}

pub fn news_post(lang: &str, date: &str, slug: &str) -> String {
    format!("{lang}/news/{date}-{slug}/")
}

/// A news post named by its key, `YYYY-MM-DD-SLUG`.
pub fn news_key(lang: &str, key: &str) -> String {
    format!("{lang}/news/{key}/")
}

pub fn page(lang: &str, slug: &str) -> String {
    format!("{lang}/{slug}/")
}

/// The slug of the free page whose text introduces the open-data page.
pub const OPEN_DATA_SLUG: &str = "open-data";

/// The open-data page, which lists the feeds (its introduction is the free page of
/// that slug).
pub fn open_data(lang: &str) -> String {
    page(lang, OPEN_DATA_SLUG)
}

pub fn search(lang: &str) -> String {
    format!("{lang}/search/")
}

/// A language's search index manifest, which the search page names.
pub fn search_manifest(lang: &str) -> String {
    format!("{}index.json", search(lang))
}

pub fn atom(lang: &str) -> String {
    format!("{lang}/atom.xml")
}

/// One commitment's feed: its reports, replannings and revisions.
pub fn commitment_atom(lang: &str, plan: &str, id: &str) -> String {
    format!("{}atom.xml", commitment(lang, plan, id))
}

/// One plan's feed: its commitments' reports, replannings and revisions, and the sheets
/// withdrawn from it.
pub fn plan_atom(lang: &str, plan: &str) -> String {
    format!("{}atom.xml", self::plan(lang, plan))
}

/// Every revision of the commitments' official text, newest first.
pub fn changes(lang: &str) -> String {
    format!("{lang}/changes/")
}

/// The anchor of a revision on its sheet.
pub fn revision_anchor(short_commit: &str) -> String {
    format!("revision-{short_commit}")
}

/// The open-data folder, versioned so that `/data/v1/` never breaks.
pub const DATA_ROOT: &str = "data/v1/";

pub fn commitment_json(plan: &str, id: &str) -> String {
    format!("{DATA_ROOT}plans/{plan}/commitments/{id}.json")
}

/// `base_url` joined with a site-relative path; `base_url` always ends with `/`.
pub fn absolute(base_url: &str, path: &str) -> String {
    format!("{}{}", normalize_base(base_url), path)
}

/// Checks a base URL given by a person (`--base-url`): an absolute `http://` or
/// `https://` URL with a host, or a path from the site's root (`/sub/path/`). Anything
/// else (`javascript:`, `data:`, a protocol-relative `//host`, a relative path, a URL
/// with spaces, quotes, angle brackets, a backslash, user info, a query or a fragment)
/// is refused with a sentence that says why, since the base URL is written into every
/// link of the site. Returns the URL as given.
pub fn check_base_url(text: &str) -> Result<String, String> {
    let refuse = |why: &str| Err(format!("not a usable base URL: {why}"));
    if text.is_empty() {
        return refuse("it is empty; give an address such as https://example.org/ or a path such as /sub/path/");
    }
    if let Some(bad) = text
        .chars()
        .find(|c| c.is_whitespace() || c.is_control() || matches!(c, '"' | '\'' | '<' | '>' | '\\' | '`' | '{' | '}' | '|' | '^'))
    {
        return refuse(&format!("it holds the character {:?}, which has no place in an address", bad));
    }
    if text.contains(['?', '#']) {
        return refuse("it has a query or a fragment (? or #); the base URL is the folder the site is published in");
    }
    if text.starts_with("//") {
        return refuse("it starts with //, which names another host; write https://HOST/ or a path with one leading /");
    }
    if text.starts_with('/') {
        return Ok(text.to_string());
    }
    let Some((scheme, rest)) = text.split_once("://") else {
        return refuse("it must be an absolute http:// or https:// address, or a path starting with /");
    };
    if !scheme.eq_ignore_ascii_case("http") && !scheme.eq_ignore_ascii_case("https") {
        return refuse("only http:// and https:// addresses are accepted");
    }
    let host = rest.split('/').next().unwrap_or("");
    if host.contains('@') {
        return refuse("it has user information (user@host), which hides the real host; give the host alone");
    }
    let (name, port) = match host.strip_prefix('[') {
        // An IPv6 literal: [::1] or [::1]:8080.
        Some(inner) => match inner.split_once(']') {
            Some((address, after))
                if !address.is_empty()
                    && address.chars().all(|c| c.is_ascii_hexdigit() || c == ':' || c == '.')
                    && (after.is_empty() || after.starts_with(':')) =>
            {
                (address, after.strip_prefix(':'))
            }
            _ => return refuse("its IPv6 host is malformed; write it as [::1] or [::1]:8080"),
        },
        None => match host.rsplit_once(':') {
            Some((name, port)) => (name, Some(port)),
            None => (host, None),
        },
    };
    if name.is_empty() {
        return refuse("it has no host after the scheme");
    }
    if !host.starts_with('[') && !name.chars().all(|c| c.is_alphanumeric() || matches!(c, '.' | '-' | '_')) {
        return refuse("its host holds characters a host name cannot have");
    }
    if port.is_some_and(|p| p.is_empty() || !p.chars().all(|c| c.is_ascii_digit()) || p.parse::<u16>().is_err()) {
        return refuse("its port is not a number from 0 to 65535");
    }
    Ok(text.to_string())
}

/// Ensures the base URL ends with exactly one `/`.
pub fn normalize_base(base_url: &str) -> String {
    format!("{}/", base_url.trim_end_matches('/'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_urls_are_http_addresses_or_paths() {
        for good in [
            "https://www.gouvernement-ouvert.ma/",
            "https://x.ma",
            "HTTP://127.0.0.1:1111/",
            "https://host/sub/path/",
            "http://[::1]:8080/",
            "https://xn--mgbh0fb.ma/",
            "https://موقع.ma/",
            "/",
            "/sub/path/",
        ] {
            assert_eq!(check_base_url(good).as_deref(), Ok(good), "{good}");
        }
        for bad in [
            "javascript:alert(1)//",
            "JavaScript://%0aalert(1)",
            "data:text/html,<script>",
            "vbscript:x",
            "file:///etc/",
            "ftp://host/",
            "//evil.example/",
            "/\\evil.example/",
            "sub/path/",
            "",
            "https://",
            "https:///path",
            "https://good.ma@evil.example/",
            "https://host/a b/",
            "https://host/\"onmouseover=\"x",
            "https://host/<script>",
            "https://host/?q=1",
            "https://host/#top",
            "https://host:port/",
            "https://host:99999/",
            "https://host:+80/",
            "https://ho%st/",
            "https://[zz]/",
            "https://ho st/",
            "https://host\n/",
        ] {
            let err = check_base_url(bad).expect_err(bad);
            assert!(err.starts_with("not a usable base URL: "), "{bad}: {err}");
        }
    }

    #[test]
    fn every_address_has_its_documented_shape() {
        for (got, want) in [
            (home("ar"), "ar/"),
            (plan("fr", "2024-2027"), "fr/plans/2024-2027/"),
            (plan_report("fr", "2024-2027"), "fr/plans/2024-2027/report/"),
            (updates("en"), "en/updates/"),
            (commitment("ar", "2024-2027", "open-data"), "ar/plans/2024-2027/commitments/open-data/"),
            (institution_report("fr", "mof"), "fr/institutions/mof/report/"),
            (area("fr", "justice"), "fr/areas/justice/"),
            (institution("fr", "mof"), "fr/institutions/mof/"),
            (news_list("ar"), "ar/news/"),
            (news_post("fr", "2024-05-17", "launch"), "fr/news/2024-05-17-launch/"),
            (news_key("fr", "2024-05-17-launch"), "fr/news/2024-05-17-launch/"),
            (page("en", "about"), "en/about/"),
            (open_data("fr"), "fr/open-data/"),
            (search("ar"), "ar/search/"),
            (search_manifest("ar"), "ar/search/index.json"),
            (atom("fr"), "fr/atom.xml"),
            (commitment_atom("fr", "2024-2027", "open-data"), "fr/plans/2024-2027/commitments/open-data/atom.xml"),
            (plan_atom("en", "2024-2027"), "en/plans/2024-2027/atom.xml"),
            (changes("ar"), "ar/changes/"),
            (revision_anchor("1a2b3c4"), "revision-1a2b3c4"),
            (normalize_base("https://x.ma//"), "https://x.ma/"),
            (normalize_base("/sub"), "/sub/"),
        ] {
            assert_eq!(got, want);
        }
    }

    #[test]
    fn absolute_urls_join_cleanly() {
        assert_eq!(absolute("https://x.ma", "ar/"), "https://x.ma/ar/");
        assert_eq!(absolute("https://x.ma/sub/path/", "fr/plans/p/"), "https://x.ma/sub/path/fr/plans/p/");
        assert_eq!(commitment_json("2024-2027", "open-data"), "data/v1/plans/2024-2027/commitments/open-data.json");
    }
}
