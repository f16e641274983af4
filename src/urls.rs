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

pub fn page(lang: &str, slug: &str) -> String {
    format!("{lang}/{slug}/")
}

pub fn search(lang: &str) -> String {
    format!("{lang}/search/")
}

pub fn atom(lang: &str) -> String {
    format!("{lang}/atom.xml")
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

/// Ensures the base URL ends with exactly one `/`.
pub fn normalize_base(base_url: &str) -> String {
    format!("{}/", base_url.trim_end_matches('/'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn absolute_urls_join_cleanly() {
        assert_eq!(absolute("https://x.ma", "ar/"), "https://x.ma/ar/");
        assert_eq!(absolute("https://x.ma/sub/path/", "fr/plans/p/"), "https://x.ma/sub/path/fr/plans/p/");
        assert_eq!(commitment_json("2024-2027", "open-data"), "data/v1/plans/2024-2027/commitments/open-data.json");
    }
}
