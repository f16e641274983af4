//! `catalog.jsonld` and `catalog.ttl`: a DCAT-AP 3.0 catalog of the feeds, so that
//! national data portals (CKAN and the like) can harvest them.
//!
//! One `dcat:Dataset` covers the whole portal: every file under `/data/v1/` spans all
//! the plans (a plan's commitments are rows of `commitments.csv`, not a file of their
//! own), so per-plan datasets would either repeat the same distributions or list the
//! per-commitment files, which a harvester would show as thousands of downloads.
//!
//! Every date comes from the content: `modified` is the as-of date the figures are
//! judged on, the temporal coverage runs from the first plan's start to the last plan's
//! end. Sizes and SHA-256 checksums are those of the files the exporter wrote just
//! before; the catalog describes neither itself nor its twin (a checksum of a file
//! cannot be written into that file), and the Atom feeds, rendered with the pages, are
//! listed without a size.

use crate::model::{Date, Institution, InstitutionKind, Site};
use crate::urls::{self, DATA_ROOT};

use super::FileInfo;
use super::json::Ctx;
use super::rdf::{Graph, Object, Resource};

/// Paths of the two catalog files under `data/v1/`.
pub const JSON_LD: &str = "catalog.jsonld";
pub const TURTLE: &str = "catalog.ttl";

const EU_AUTHORITY: &str = "http://publications.europa.eu/resource/authority/";
const IANA_MEDIA_TYPES: &str = "https://www.iana.org/assignments/media-types/";
/// The EU data theme every open-government portal's data falls under.
const THEME: &str = "GOVE";
const THEME_LABEL: &str = "Government and public sector";

/// IRIs of the parts of the catalog, all under `data/v1/catalog#`.
pub struct Iris {
    base: String,
}

impl Iris {
    pub fn new(ctx: &Ctx) -> Iris {
        Iris { base: ctx.file_url(&format!("{DATA_ROOT}catalog#")) }
    }
    pub fn catalog(&self) -> String {
        format!("{}catalog", self.base)
    }
    pub fn dataset(&self) -> String {
        format!("{}dataset", self.base)
    }
    fn part(&self, kind: &str, name: &str) -> String {
        format!("{}{kind}/{name}", self.base)
    }
}

/// The catalog's graph; `files` are the feeds written so far, with their sizes and
/// checksums (the per-commitment files and the catalog itself are left out).
pub fn graph(ctx: &Ctx, files: &[FileInfo]) -> Graph {
    let iris = Iris::new(ctx);
    let mut graph = Graph::default();
    let publisher = publisher(ctx, &iris, &mut graph);
    let licence = licence(ctx, &mut graph);
    let mut distributions: Vec<String> = files
        .iter()
        .filter(|f| f.group != "commitment" && f.group != "catalog")
        .map(|f| file_distribution(ctx, &iris, f, &licence, &mut graph))
        .collect();
    for lang in ctx.languages {
        distributions.push(atom_distribution(ctx, &iris, lang, &licence, &mut graph));
    }
    let dataset = dataset(ctx, &iris, &publisher, &distributions, &mut graph);
    catalog(ctx, &iris, &publisher, &licence, &dataset, &mut graph);
    graph
}

/// The catalog node, written first in the files though built last.
fn catalog(ctx: &Ctx, iris: &Iris, publisher: &str, licence: &str, dataset: &Resource, graph: &mut Graph) {
    let config = &ctx.site.config;
    let mut catalog = Resource::new(iris.catalog(), &["dcat:Catalog"]);
    texts(&mut catalog, "dct:title", ctx, &config.title);
    texts(&mut catalog, "dct:description", ctx, description(ctx.site));
    catalog.iri("dct:publisher", publisher);
    catalog.iri("foaf:homepage", ctx.base_url.clone());
    catalog.iri("dct:license", licence);
    catalog.add("dct:modified", Object::Typed(ctx.as_of(), "xsd:date"));
    languages(&mut catalog, ctx, graph);
    spatial(&mut catalog, ctx, graph);
    let scheme = format!("{EU_AUTHORITY}data-theme");
    catalog.iri("dcat:themeTaxonomy", scheme.clone());
    catalog.iri("dcat:dataset", dataset.iri.clone());
    // The catalog leads both files; the resources it points to follow.
    let rest = std::mem::take(graph);
    graph.push(catalog);
    graph.push(dataset.clone());
    for resource in rest.resources() {
        graph.push(resource.clone());
    }
    let mut taxonomy = Resource::new(scheme, &["skos:ConceptScheme"]);
    taxonomy.add("dct:title", Object::Text("Data theme".into(), "en".into()));
    graph.push(taxonomy);
    graph.push(Resource::new(ctx.base_url.clone(), &["foaf:Document"]));
}

fn dataset(ctx: &Ctx, iris: &Iris, publisher: &str, distributions: &[String], graph: &mut Graph) -> Resource {
    let config = &ctx.site.config;
    let mut dataset = Resource::new(iris.dataset(), &["dcat:Dataset"]);
    texts(&mut dataset, "dct:title", ctx, &config.title);
    texts(&mut dataset, "dct:description", ctx, description(ctx.site));
    dataset.add("dct:identifier", Object::Plain(ctx.file_url(&format!("{DATA_ROOT}index.json"))));
    dataset.iri("dct:publisher", publisher);
    dataset.iri("dcat:contactPoint", contact_point(ctx, iris, graph));
    let theme = format!("{EU_AUTHORITY}data-theme/{THEME}");
    dataset.iri("dcat:theme", theme.clone());
    let mut concept = Resource::new(theme, &["skos:Concept"]);
    concept.add("skos:prefLabel", Object::Text(THEME_LABEL.into(), "en".into()));
    graph.push(concept);
    keywords(&mut dataset, ctx);
    languages(&mut dataset, ctx, graph);
    spatial(&mut dataset, ctx, graph);
    if let Some(period) = temporal(ctx, iris) {
        dataset.iri("dct:temporal", period.iri.clone());
        graph.push(period);
    }
    dataset.add("dct:modified", Object::Typed(ctx.as_of(), "xsd:date"));
    for lang in ctx.languages {
        let page = ctx.file_url(&urls::open_data(lang));
        dataset.iri("dcat:landingPage", page.clone());
        graph.push(Resource::new(page, &["foaf:Document"]));
    }
    for distribution in distributions {
        dataset.iri("dcat:distribution", distribution.clone());
    }
    dataset
}

/// The site's description, or its title when it has none (DCAT-AP requires one).
fn description(site: &Site) -> &crate::model::Text {
    if site.config.description.iter().next().is_some() { &site.config.description } else { &site.config.title }
}

fn texts(resource: &mut Resource, predicate: &'static str, ctx: &Ctx, text: &crate::model::Text) {
    for lang in ctx.languages {
        if let Some(value) = text.get(lang).filter(|v| !v.trim().is_empty()) {
            resource.add(predicate, Object::Text(value.to_string(), lang.clone()));
        }
    }
}

/// The thematic areas' titles, in each language: what the data is about.
fn keywords(dataset: &mut Resource, ctx: &Ctx) {
    for area in &ctx.site.areas {
        texts(dataset, "dcat:keyword", ctx, &area.title);
    }
}

fn languages(resource: &mut Resource, ctx: &Ctx, graph: &mut Graph) {
    for lang in ctx.languages {
        let iri = language_iri(lang);
        resource.iri("dct:language", iri.clone());
        graph.push(Resource::new(iri, &["dct:LinguisticSystem"]));
    }
}

/// The EU language authority's IRI for an ISO 639 code; codes it has no entry for
/// here go to the Library of Congress (two letters) or Lexvo (three).
pub fn language_iri(code: &str) -> String {
    let eu = match code {
        "ar" => "ARA",
        "fr" => "FRA",
        "en" => "ENG",
        "es" => "SPA",
        "de" => "DEU",
        "it" => "ITA",
        "pt" => "POR",
        "nl" => "NLD",
        _ if code.len() == 2 => return format!("http://id.loc.gov/vocabulary/iso639-1/{code}"),
        _ => return format!("http://lexvo.org/id/iso639-3/{code}"),
    };
    format!("{EU_AUTHORITY}language/{eu}")
}

fn spatial(resource: &mut Resource, ctx: &Ctx, graph: &mut Graph) {
    for place in &ctx.site.config.spatial_coverage {
        resource.iri("dct:spatial", place.clone());
        graph.push(Resource::new(place.clone(), &["dct:Location"]));
    }
}

/// From the first plan's start to the last plan's end, as precise as the plans say;
/// `None` on a site without plans.
pub fn coverage(ctx: &Ctx) -> Option<(Date, Date)> {
    let plans = &ctx.site.plans;
    let start = plans.iter().map(|p| p.start).min_by_key(|d| (d.first_day(), *d))?;
    let end = plans.iter().map(|p| p.end).max_by_key(|d| (d.last_day(), *d))?;
    Some((start, end))
}

fn temporal(ctx: &Ctx, iris: &Iris) -> Option<Resource> {
    let (start, end) = coverage(ctx)?;
    let mut period = Resource::new(iris.part("period", "plans"), &["dct:PeriodOfTime"]);
    period.add("dcat:startDate", date_literal(start));
    period.add("dcat:endDate", date_literal(end));
    Some(period)
}

/// A content date with its own precision: `2024` is an `xsd:gYear`, not 1 January.
pub fn date_literal(date: Date) -> Object {
    let datatype = match (date.month, date.day) {
        (Some(_), Some(_)) => "xsd:date",
        (Some(_), None) => "xsd:gYearMonth",
        _ => "xsd:gYear",
    };
    Object::Typed(date.to_string(), datatype)
}

/// The institution `site.yaml` names as the publisher.
pub fn publisher_institution<'a>(ctx: &Ctx<'a>) -> Option<&'a Institution> {
    let id = &ctx.site.config.publisher.as_ref()?.id;
    ctx.site.institutions.iter().find(|i| &i.id == id)
}

/// The publisher: the institution `site.yaml` names, else the portal itself.
fn publisher(ctx: &Ctx, iris: &Iris, graph: &mut Graph) -> String {
    let iri = iris.part("agent", "publisher");
    let mut agent = Resource::new(iri.clone(), &["foaf:Agent"]);
    match publisher_institution(ctx) {
        Some(institution) => {
            texts(&mut agent, "foaf:name", ctx, &institution.name);
            if let Some(url) = &institution.url {
                agent.iri("foaf:homepage", url.clone());
                graph.push(Resource::new(url.clone(), &["foaf:Document"]));
            }
            let kind = publisher_type(institution.kind);
            agent.iri("dct:type", kind.0.clone());
            let mut concept = Resource::new(kind.0, &["skos:Concept"]);
            concept.add("skos:prefLabel", Object::Text(kind.1.into(), "en".into()));
            graph.push(concept);
        }
        None => {
            texts(&mut agent, "foaf:name", ctx, &ctx.site.config.title);
            agent.iri("foaf:homepage", ctx.base_url.clone());
        }
    }
    graph.push(agent);
    iri
}

/// The ADMS publisher type of an institution kind: (IRI, English label).
fn publisher_type(kind: InstitutionKind) -> (String, &'static str) {
    let (name, label) = match kind {
        InstitutionKind::Government | InstitutionKind::Parliament | InstitutionKind::IndependentBody => {
            ("NationalAuthority", "National authority")
        }
        InstitutionKind::Local => ("LocalAuthority", "Local authority"),
        InstitutionKind::CivilSociety => ("NonGovernmentalOrganisation", "Non-governmental organisation"),
    };
    (format!("http://purl.org/adms/publishertype/{name}"), label)
}

/// Who answers questions about the data: the e-mail address of `site.yaml`, and the
/// publisher's web site (or the portal's) where no address is given.
fn contact_point(ctx: &Ctx, iris: &Iris, graph: &mut Graph) -> String {
    let config = &ctx.site.config;
    let iri = iris.part("contact", "data");
    let mut contact = Resource::new(iri.clone(), &["vcard:Kind", "vcard:Organization"]);
    let institution = publisher_institution(ctx);
    let name = institution.map_or(&config.title, |i| &i.name);
    texts(&mut contact, "vcard:fn", ctx, name);
    match &config.contact_email {
        Some(email) => {
            contact.iri("vcard:hasEmail", format!("mailto:{email}"));
        }
        None => {
            let url = institution.and_then(|i| i.url.clone()).unwrap_or_else(|| ctx.base_url.clone());
            contact.iri("vcard:hasURL", url);
        }
    }
    graph.push(contact);
    iri
}

fn licence(ctx: &Ctx, graph: &mut Graph) -> String {
    let licence = &ctx.site.config.data_license;
    let mut document = Resource::new(licence.url.clone(), &["dct:LicenseDocument"]);
    document.add("dct:identifier", Object::Plain(licence.id.clone()));
    for (name, label) in licence_types(&licence.id) {
        let iri = format!("http://purl.org/adms/licencetype/{name}");
        document.iri("dct:type", iri.clone());
        let mut concept = Resource::new(iri, &["skos:Concept"]);
        concept.add("skos:prefLabel", Object::Text(label.to_string(), "en".into()));
        graph.push(concept);
    }
    graph.push(document);
    licence.url.clone()
}

/// The ADMS licence types of the common open-data licences, by SPDX identifier:
/// (name, English label). Other licences get none rather than a guess.
fn licence_types(id: &str) -> &'static [(&'static str, &'static str)] {
    const ATTRIBUTION: (&str, &str) = ("Attribution", "Attribution");
    const SHARE_ALIKE: (&str, &str) = ("ShareAlike", "Share alike");
    const PUBLIC_DOMAIN: (&str, &str) = ("PublicDomain", "Public domain");
    match id.to_ascii_uppercase().as_str() {
        "ODC-BY-1.0" | "CC-BY-4.0" | "CC-BY-3.0" | "ETALAB-2.0" | "OGL-UK-3.0" => &[ATTRIBUTION],
        "ODBL-1.0" | "CC-BY-SA-4.0" | "CC-BY-SA-3.0" => &[ATTRIBUTION, SHARE_ALIKE],
        "CC0-1.0" | "PDDL-1.0" => &[PUBLIC_DOMAIN],
        _ => &[],
    }
}

/// (EU file type, IANA media type) of a feed file.
fn formats(name: &str) -> (&'static str, &'static str) {
    match name.rsplit_once('.').map(|(_, ext)| ext) {
        Some("csv") => ("CSV", "text/csv"),
        Some("jsonld") => ("JSON_LD", "application/ld+json"),
        Some("ttl") => ("RDF_TURTLE", "text/turtle"),
        Some("xml") => ("ATOM", "application/atom+xml"),
        _ => ("JSON", "application/json"),
    }
}

/// The distribution's common part: URLs, format, media type, licence, availability.
fn distribution(ctx: &Ctx, iri: String, url: String, name: &str, licence: &str, graph: &mut Graph) -> Resource {
    let (file_type, media_type) = formats(name);
    let mut d = Resource::new(iri, &["dcat:Distribution"]);
    d.add("dct:title", Object::Plain(name.to_string()));
    d.iri("dcat:accessURL", url.clone());
    d.iri("dcat:downloadURL", url);
    let format = format!("{EU_AUTHORITY}file-type/{file_type}");
    d.iri("dct:format", format.clone());
    graph.push(Resource::new(format, &["dct:MediaTypeOrExtent"]));
    let media = format!("{IANA_MEDIA_TYPES}{media_type}");
    d.iri("dcat:mediaType", media.clone());
    graph.push(Resource::new(media, &["dct:MediaType"]));
    d.iri("dct:license", licence);
    // `v1` never breaks: its files stay where they are.
    let stable = format!("{EU_AUTHORITY}planned-availability/STABLE");
    d.iri("dcatap:availability", stable.clone());
    let mut concept = Resource::new(stable, &["skos:Concept"]);
    concept.add("skos:prefLabel", Object::Text("Stable".into(), "en".into()));
    graph.push(concept);
    d.add("dct:modified", Object::Typed(ctx.as_of(), "xsd:date"));
    d
}

fn file_distribution(ctx: &Ctx, iris: &Iris, file: &FileInfo, licence: &str, graph: &mut Graph) -> String {
    let iri = iris.part("distribution", &file.name);
    let mut d = distribution(ctx, iri.clone(), ctx.file_url(&file.path), &file.name, licence, graph);
    d.add("dct:description", Object::Text(file.description.clone(), "en".into()));
    d.add("dcat:byteSize", Object::Typed(file.bytes.to_string(), "xsd:nonNegativeInteger"));
    if let Some(sha256) = &file.sha256 {
        let checksum = iris.part("checksum", &file.name);
        d.iri("spdx:checksum", checksum.clone());
        let mut c = Resource::new(checksum, &["spdx:Checksum"]);
        c.iri("spdx:algorithm", "http://spdx.org/rdf/terms#checksumAlgorithm_sha256");
        c.add("spdx:checksumValue", Object::Typed(sha256.clone(), "xsd:hexBinary"));
        graph.push(c);
        graph.push(Resource::new("http://spdx.org/rdf/terms#checksumAlgorithm_sha256", &["spdx:ChecksumAlgorithm"]));
    }
    for (standard, title) in standards_of(ctx, file) {
        d.iri("dct:conformsTo", standard.clone());
        let mut s = Resource::new(standard, &["dct:Standard"]);
        s.add("dct:title", Object::Text(title, "en".into()));
        graph.push(s);
    }
    graph.push(d);
    iri
}

/// What a file conforms to, as (IRI, English title): a JSON file to its own JSON
/// Schema (the one index.json names), a schema to the 2020-12 dialect, a CSV table to
/// RFC 4180, the data package also to the Frictionless profile.
pub fn standards_of(ctx: &Ctx, file: &FileInfo) -> Vec<(String, String)> {
    let mut standards = Vec::new();
    if let Some(schema) = super::schema_name(&file.name) {
        let url = ctx.file_url(&format!("{DATA_ROOT}{}", super::schema_path(schema)));
        standards.push((url, format!("JSON Schema of {}", file.name)));
    }
    if file.group == "schema" {
        standards.push(("https://json-schema.org/draft/2020-12/schema".into(), "JSON Schema 2020-12".into()));
    }
    if file.format == "csv" {
        standards.push(("https://www.rfc-editor.org/rfc/rfc4180".into(), "RFC 4180: Common Format for CSV Files".into()));
    }
    if file.name == "datapackage.json" {
        standards.push(("https://specs.frictionlessdata.io/tabular-data-package/".into(), "Frictionless Tabular Data Package".into()));
    }
    standards
}

fn atom_distribution(ctx: &Ctx, iris: &Iris, lang: &str, licence: &str, graph: &mut Graph) -> String {
    let path = urls::atom(lang);
    let iri = iris.part("distribution", &path);
    let mut d = distribution(ctx, iri.clone(), ctx.file_url(&path), &path, licence, graph);
    d.add("dct:description", Object::Text("News and dated progress reports, as an Atom feed.".into(), "en".into()));
    let language = language_iri(lang);
    d.iri("dct:language", language.clone());
    graph.push(Resource::new(language, &["dct:LinguisticSystem"]));
    let rfc = "https://www.rfc-editor.org/rfc/rfc4287".to_string();
    d.iri("dct:conformsTo", rfc.clone());
    let mut s = Resource::new(rfc, &["dct:Standard"]);
    s.add("dct:title", Object::Text("RFC 4287: The Atom Syndication Format".into(), "en".into()));
    graph.push(s);
    graph.push(d);
    iri
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Text;

    fn fixture() -> crate::Checked {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/feeds-site");
        crate::check(&root, None, false).unwrap()
    }

    /// The node of `iri` in `graph`.
    fn node<'g>(graph: &'g Graph, iri: &str) -> &'g Resource {
        graph.resources().iter().find(|r| r.iri == iri).unwrap_or_else(|| panic!("no node {iri}"))
    }

    /// The objects of `predicate` on a node, IRIs and literals alike as their text.
    fn objects(resource: &Resource, predicate: &str) -> Vec<String> {
        resource
            .properties
            .iter()
            .filter(|(p, _)| *p == predicate)
            .map(|(_, o)| match o {
                Object::Iri(s) | Object::Plain(s) | Object::Text(s, _) | Object::Typed(s, _) => s.clone(),
            })
            .collect()
    }

    #[test]
    fn every_language_code_has_its_authority_iri() {
        let eu = "http://publications.europa.eu/resource/authority/language/";
        let table = [
            ("ar", format!("{eu}ARA")),
            ("fr", format!("{eu}FRA")),
            ("en", format!("{eu}ENG")),
            ("es", format!("{eu}SPA")),
            ("de", format!("{eu}DEU")),
            ("it", format!("{eu}ITA")),
            ("pt", format!("{eu}POR")),
            ("nl", format!("{eu}NLD")),
            ("sw", "http://id.loc.gov/vocabulary/iso639-1/sw".to_string()),
            ("zgh", "http://lexvo.org/id/iso639-3/zgh".to_string()),
            ("ber", "http://lexvo.org/id/iso639-3/ber".to_string()),
        ];
        for (code, iri) in table {
            assert_eq!(language_iri(code), iri, "{code}");
        }
    }

    #[test]
    fn every_known_licence_has_its_adms_types_and_others_none() {
        let attribution = [("Attribution", "Attribution")];
        let share_alike = [("Attribution", "Attribution"), ("ShareAlike", "Share alike")];
        let public_domain = [("PublicDomain", "Public domain")];
        for id in ["ODC-BY-1.0", "CC-BY-4.0", "CC-BY-3.0", "etalab-2.0", "OGL-UK-3.0"] {
            assert_eq!(licence_types(id), attribution, "{id}");
        }
        for id in ["ODbL-1.0", "CC-BY-SA-4.0", "CC-BY-SA-3.0"] {
            assert_eq!(licence_types(id), share_alike, "{id}");
        }
        for id in ["CC0-1.0", "PDDL-1.0"] {
            assert_eq!(licence_types(id), public_domain, "{id}");
        }
        for id in ["proprietary", "CC-BY-NC-4.0", ""] {
            assert!(licence_types(id).is_empty(), "{id}");
        }
    }

    #[test]
    fn every_institution_kind_has_its_publisher_type() {
        let adms = "http://purl.org/adms/publishertype/";
        let table = [
            (InstitutionKind::Government, "NationalAuthority", "National authority"),
            (InstitutionKind::Parliament, "NationalAuthority", "National authority"),
            (InstitutionKind::IndependentBody, "NationalAuthority", "National authority"),
            (InstitutionKind::Local, "LocalAuthority", "Local authority"),
            (InstitutionKind::CivilSociety, "NonGovernmentalOrganisation", "Non-governmental organisation"),
        ];
        for (kind, name, label) in table {
            assert_eq!(publisher_type(kind), (format!("{adms}{name}"), label), "{kind:?}");
        }
    }

    #[test]
    fn a_date_literal_keeps_the_dates_precision() {
        let literal = |text: &str| date_literal(Date::parse(text).unwrap());
        assert_eq!(literal("2024"), Object::Typed("2024".into(), "xsd:gYear"));
        assert_eq!(literal("2024-05"), Object::Typed("2024-05".into(), "xsd:gYearMonth"));
        assert_eq!(literal("2024-05-31"), Object::Typed("2024-05-31".into(), "xsd:date"));
    }

    #[test]
    fn every_file_extension_has_its_eu_file_type_and_media_type() {
        let table = [
            ("commitments.csv", ("CSV", "text/csv")),
            ("catalog.jsonld", ("JSON_LD", "application/ld+json")),
            ("catalog.ttl", ("RDF_TURTLE", "text/turtle")),
            ("fr/atom.xml", ("ATOM", "application/atom+xml")),
            ("plans.json", ("JSON", "application/json")),
            ("schema/plans.schema.json", ("JSON", "application/json")),
        ];
        for (name, formats_of_name) in table {
            assert_eq!(formats(name), formats_of_name, "{name}");
        }
    }

    #[test]
    fn every_kind_of_file_conforms_to_its_standards() {
        let checked = fixture();
        let ctx = Ctx::new(&checked.site, &checked.facts, "https://x.example/");
        let schema = |name: &str| format!("https://x.example/data/v1/schema/{name}.schema.json");
        let rfc4180 = "https://www.rfc-editor.org/rfc/rfc4180".to_string();
        let table: Vec<(&str, Vec<String>)> = vec![
            ("index.json", vec![schema("index")]),
            ("commitments.json", vec![schema("commitments")]),
            ("plans/p/commitments/c.json", vec![schema("commitment")]),
            ("commitments.csv", vec![rfc4180.clone()]),
            ("reports.csv", vec![rfc4180]),
            ("datapackage.json", vec![schema("datapackage"), "https://specs.frictionlessdata.io/tabular-data-package/".into()]),
            ("schema/plans.schema.json", vec!["https://json-schema.org/draft/2020-12/schema".into()]),
            ("catalog.ttl", vec![]),
        ];
        for (name, expected) in table {
            let info = super::super::describe(&format!("{DATA_ROOT}{name}"), 10).unwrap();
            let standards: Vec<String> = standards_of(&ctx, &info).into_iter().map(|(iri, _)| iri).collect();
            assert_eq!(standards, expected, "{name}");
        }
    }

    /// A site that names no publisher, no contact address, no place and no description:
    /// the portal itself publishes, its home page is the contact, its title describes it.
    #[test]
    fn a_site_without_publisher_or_contact_falls_back_on_the_portal() {
        let mut checked = fixture();
        let config = &mut checked.site.config;
        config.publisher = None;
        config.contact_email = None;
        config.spatial_coverage.clear();
        config.description = Text::default();
        let ctx = Ctx::new(&checked.site, &checked.facts, "https://x.example/");
        let graph = graph(&ctx, &[]);
        let iris = Iris::new(&ctx);
        let titles = ["بوابة تجريبية للحكومة المنفتحة", "Portail d'essai du gouvernement ouvert"];
        let publisher = node(&graph, &iris.part("agent", "publisher"));
        assert_eq!(objects(publisher, "foaf:name"), titles);
        assert_eq!(objects(publisher, "foaf:homepage"), ["https://x.example/"]);
        assert!(objects(publisher, "dct:type").is_empty());
        let contact = node(&graph, &iris.part("contact", "data"));
        assert_eq!(objects(contact, "vcard:fn"), titles);
        assert_eq!(objects(contact, "vcard:hasURL"), ["https://x.example/"]);
        assert!(objects(contact, "vcard:hasEmail").is_empty());
        for iri in [iris.catalog(), iris.dataset()] {
            assert_eq!(objects(node(&graph, &iri), "dct:description"), titles, "{iri}");
            assert!(objects(node(&graph, &iri), "dct:spatial").is_empty(), "{iri}");
        }
    }

    /// A blank text in one language is left out, not written as an empty literal.
    #[test]
    fn blank_texts_are_left_out() {
        let mut checked = fixture();
        checked.site.config.title = [("ar", "  "), ("fr", "Portail")].into_iter().collect();
        let ctx = Ctx::new(&checked.site, &checked.facts, "https://x.example/");
        let graph = graph(&ctx, &[]);
        assert_eq!(objects(node(&graph, &Iris::new(&ctx).catalog()), "dct:title"), ["Portail"]);
    }

    /// The coverage runs from the earliest start to the latest end, whichever plans
    /// they belong to; a site without plans has none.
    #[test]
    fn coverage_spans_every_plan() {
        let mut checked = fixture();
        let mut earlier = checked.site.plans[0].clone();
        earlier.start = Date::parse("2019-03").unwrap();
        earlier.end = Date::parse("2021").unwrap();
        checked.site.plans.push(earlier);
        let ctx = Ctx::new(&checked.site, &checked.facts, "https://x.example/");
        let (start, end) = coverage(&ctx).unwrap();
        assert_eq!((start.to_string(), end.to_string()), ("2019-03".into(), "2027-12".into()));
        checked.site.plans.clear();
        let ctx = Ctx::new(&checked.site, &checked.facts, "https://x.example/");
        assert!(coverage(&ctx).is_none());
        let graph = graph(&ctx, &[]);
        assert!(objects(node(&graph, &Iris::new(&ctx).dataset()), "dct:temporal").is_empty());
    }
}
