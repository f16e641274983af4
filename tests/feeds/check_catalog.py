"""Checks the DCAT-AP catalog of a built site the way a harvester and a search engine
read it:

- catalog.ttl and catalog.jsonld parse (rdflib) and hold the same graph;
- the graph conforms to SEMIC's DCAT-AP 3.0.1 SHACL shapes (pyshacl, the vendored
  tests/feeds/dcat-ap/*.ttl): no violation, and no warning but the listed ones;
- every shared file under data/v1/ is a distribution whose byte size and SHA-256 are
  those of the file on disk, the catalog describes neither itself nor per-commitment
  files, its dates are the as-of date of index.json, its vocabularies the EU ones;
- the open-data pages' schema.org Dataset (read with extruct) states the same facts and
  links the catalog with <link rel="alternate">.

Usage: python check_catalog.py OUT_DIR       (exit 1 on any failure, listing all)
"""

import hashlib
import json
import sys
from pathlib import Path

import extruct
import rdflib
from pyshacl import validate
from rdflib import RDF, Literal, Namespace, URIRef
from rdflib.compare import graph_diff, to_isomorphic

DCAT = Namespace("http://www.w3.org/ns/dcat#")
DCT = Namespace("http://purl.org/dc/terms/")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")
SPDX = Namespace("http://spdx.org/rdf/terms#")
SH = Namespace("http://www.w3.org/ns/shacl#")
EU = "http://publications.europa.eu/resource/authority/"

SHAPES = Path(__file__).parent / "dcat-ap"
# Recommended properties the content cannot state truthfully: no content date says when
# the catalog was first issued (and none is invented); a place is named by its authority
# IRI (the EU country list), and its geometry is not in the content.
ALLOWED_WARNINGS = {("dcat:Catalog", str(DCT.issued)), ("dct:Location", str(DCAT.bbox)), ("dct:Location", str(DCAT.centroid))}

failures = []


def fail(message):
    failures.append(message)


def load(out):
    data = out / "data" / "v1"
    turtle = rdflib.Graph().parse(data / "catalog.ttl", format="turtle")
    json_ld = rdflib.Graph().parse(data / "catalog.jsonld", format="json-ld")
    return data, turtle, json_ld


def check_same_graph(turtle, json_ld):
    if len(turtle) < 50:
        fail(f"catalog.ttl holds only {len(turtle)} triples")
    if to_isomorphic(turtle) != to_isomorphic(json_ld):
        _, only_ttl, only_ld = graph_diff(to_isomorphic(turtle), to_isomorphic(json_ld))
        for s, p, o in sorted(only_ttl)[:10]:
            fail(f"only in catalog.ttl: {s} {p} {o!r}")
        for s, p, o in sorted(only_ld)[:10]:
            fail(f"only in catalog.jsonld: {s} {p} {o!r}")


def check_shacl(graph, name):
    shapes = rdflib.Graph()
    for file in ("shapes.ttl", "range.ttl", "shapes_recommended.ttl"):
        shapes.parse(SHAPES / file, format="turtle")
    _, report, text = validate(graph, shacl_graph=shapes, inference="none", allow_warnings=True)
    results = list(report.subjects(RDF.type, SH.ValidationResult))
    for result in results:
        severity = report.value(result, SH.resultSeverity)
        focus = report.value(result, SH.focusNode)
        path = str(report.value(result, SH.resultPath))
        classes = {graph.qname(c) for c in graph.objects(focus, RDF.type)}
        if severity == SH.Warning and any((c, path) in ALLOWED_WARNINGS for c in classes):
            continue
        message = report.value(result, SH.resultMessage)
        fail(f"{name}: SHACL {graph.qname(severity)} on {focus} ({', '.join(sorted(classes))}) {path}: {message}")
    print(f"check-catalog: {name}: {len(graph)} triples, {len(results)} SHACL result(s) "
          f"({len(ALLOWED_WARNINGS)} kind(s) of warning allowed)")


def single(graph, subject, predicate):
    values = list(graph.objects(subject, predicate))
    if len(values) != 1:
        fail(f"{subject} has {len(values)} {predicate}, expected one")
        return None
    return values[0]


def check_distributions(graph, data, index):
    files = {f["path"]: f for f in index["files"]}
    shared = {p for p in files if not p.startswith("plans/") and not p.startswith("catalog.")}
    described = {}
    for dist in graph.subjects(RDF.type, DCAT.Distribution):
        url = str(single(graph, dist, DCAT.downloadURL))
        if url.startswith(index["files"][0]["url"].rsplit("index.json", 1)[0]):
            described[url.split("/data/v1/", 1)[1]] = dist
    for path in sorted(shared - described.keys()):
        fail(f"{path} is listed in index.json but is not a distribution of the catalog")
    for path in sorted(described.keys() - shared):
        fail(f"the catalog describes {path}, which index.json does not list as a shared file")
    for path, dist in sorted(described.items()):
        body = (data / path).read_bytes()
        size = single(graph, dist, DCAT.byteSize)
        if size is None or int(size) != len(body):
            fail(f"{path}: byteSize {size} but the file has {len(body)} bytes")
        checksum = single(graph, dist, SPDX.checksum)
        value = checksum is not None and single(graph, checksum, SPDX.checksumValue)
        if not value or str(value).lower() != hashlib.sha256(body).hexdigest():
            fail(f"{path}: checksum {value} is not the SHA-256 of the file")
        if str(single(graph, dist, DCAT.mediaType)) != "https://www.iana.org/assignments/media-types/" + files[path]["media_type"]:
            fail(f"{path}: media type differs from index.json's {files[path]['media_type']}")
        if files[path]["schema"] and URIRef(files[path]["schema"]) not in set(graph.objects(dist, DCT.conformsTo)):
            fail(f"{path}: does not conform to its JSON Schema {files[path]['schema']}")
    atoms = [d for d in graph.subjects(RDF.type, DCAT.Distribution) if str(graph.value(d, DCAT.downloadURL)).endswith("/atom.xml")]
    if len(atoms) != len(index["languages"]):
        fail(f"{len(atoms)} Atom distributions for {len(index['languages'])} languages")
    return described


def check_facts(graph, index):
    catalogs = list(graph.subjects(RDF.type, DCAT.Catalog))
    datasets = list(graph.subjects(RDF.type, DCAT.Dataset))
    if len(catalogs) != 1 or len(datasets) != 1:
        fail(f"{len(catalogs)} catalogs and {len(datasets)} datasets, expected one of each")
        return
    as_of = Literal(index["as_of"], datatype=rdflib.XSD.date)
    for subject in (catalogs[0], datasets[0]):
        if single(graph, subject, DCT.modified) != as_of:
            fail(f"{subject}: dct:modified is not index.json's as_of {index['as_of']}")
    for _, _, date in graph.triples((None, DCT.modified, None)):
        if date != as_of:
            fail(f"a dct:modified of {date} is not the as-of date {index['as_of']}")
    expected = {
        DCAT.theme: EU + "data-theme/",
        DCT.language: EU + "language/",
        DCT.format: EU + "file-type/",
        DCAT.mediaType: "https://www.iana.org/assignments/media-types/",
    }
    for predicate, namespace in expected.items():
        for value in graph.objects(None, predicate):
            if not str(value).startswith(namespace):
                fail(f"{predicate} {value} is not in {namespace}")
    if not any(graph.objects(datasets[0], DCT.spatial)):
        fail("the dataset has no spatial coverage")
    if str(single(graph, catalogs[0], DCT.license)) != index["license"]["url"]:
        fail("the catalog's licence is not index.json's")


def datasets_of_page(html, url):
    data = extruct.extract(html, base_url=url, syntaxes=["json-ld"], uniform=True)
    return [d for d in data["json-ld"] if d.get("@type") == "Dataset"]


def check_page(out, graph, described, index, lang):
    page = out / lang / "open-data" / "index.html"
    html = page.read_text(encoding="utf-8")
    found = datasets_of_page(html, index["home"][lang])
    if len(found) != 1:
        fail(f"{page}: {len(found)} schema.org Dataset(s), expected one")
        return
    ds = found[0]
    dataset = next(graph.subjects(RDF.type, DCAT.Dataset))
    titles = {str(t) for t in graph.objects(dataset, DCT.title) if t.language == lang}
    if ds.get("name") not in titles:
        fail(f"{page}: name {ds.get('name')!r} is not the catalog's title {titles}")
    if ds.get("@id") != str(dataset):
        fail(f"{page}: @id {ds.get('@id')} is not the catalog's dataset {dataset}")
    if ds.get("license") != index["license"]["url"]:
        fail(f"{page}: license {ds.get('license')}")
    publisher = single(graph, dataset, DCT.publisher)
    names = {str(n) for n in graph.objects(publisher, FOAF.name) if n.language == lang}
    if (ds.get("publisher") or {}).get("name") not in names:
        fail(f"{page}: publisher {ds.get('publisher')} is not the catalog's {names}")
    period = single(graph, dataset, DCT.temporal)
    coverage = f"{graph.value(period, DCAT.startDate)}/{graph.value(period, DCAT.endDate)}"
    if ds.get("temporalCoverage") != coverage:
        fail(f"{page}: temporalCoverage {ds.get('temporalCoverage')} is not the catalog's {coverage}")
    places = sorted(str(p) for p in graph.objects(dataset, DCT.spatial))
    if sorted(p.get("sameAs") for p in ds.get("spatialCoverage", [])) != places:
        fail(f"{page}: spatialCoverage {ds.get('spatialCoverage')} is not the catalog's {places}")
    if sorted(ds.get("inLanguage", [])) != sorted(index["languages"]):
        fail(f"{page}: inLanguage {ds.get('inLanguage')}")
    if ds.get("dateModified") != index["as_of"]:
        fail(f"{page}: dateModified {ds.get('dateModified')}")
    downloads = {d["contentUrl"]: d for d in ds.get("distribution", [])}
    for path, dist in described.items():
        url = str(graph.value(dist, DCAT.downloadURL))
        d = downloads.get(url)
        if d is None:
            fail(f"{page}: no DataDownload for {path}")
            continue
        if d.get("contentSize") != f"{graph.value(dist, DCAT.byteSize)} B":
            fail(f"{page}: {path} contentSize {d.get('contentSize')}")
        if d.get("sha256") != str(graph.value(graph.value(dist, SPDX.checksum), SPDX.checksumValue)).lower():
            fail(f"{page}: {path} sha256 differs from the catalog's")
        if d.get("encodingFormat") != str(graph.value(dist, DCAT.mediaType)).rsplit("media-types/", 1)[1]:
            fail(f"{page}: {path} encodingFormat {d.get('encodingFormat')}")
        standards = sorted(str(s) for s in graph.objects(dist, DCT.conformsTo))
        stated = d.get("http://purl.org/dc/terms/conformsTo") or []
        stated = sorted(s["@id"] for s in (stated if isinstance(stated, list) else [stated]))
        if stated != standards:
            fail(f"{page}: {path} conformsTo {stated} is not the catalog's {standards}")
    if "rel=\"alternate\" type=\"application/ld+json\"" not in html or "catalog.jsonld\"" not in html:
        fail(f"{page}: no <link rel=\"alternate\" type=\"application/ld+json\"> to catalog.jsonld")
    print(f"check-catalog: {page.relative_to(out)}: the schema.org Dataset agrees with the catalog")


def main():
    if len(sys.argv) != 2:
        print("usage: check_catalog.py OUT_DIR", file=sys.stderr)
        sys.exit(2)
    out = Path(sys.argv[1])
    data, turtle, json_ld = load(out)
    index = json.loads((data / "index.json").read_text(encoding="utf-8"))
    check_same_graph(turtle, json_ld)
    check_shacl(turtle, "catalog.ttl")
    check_shacl(json_ld, "catalog.jsonld")
    described = check_distributions(turtle, data, index)
    check_facts(turtle, index)
    package = json.loads((data / "datapackage.json").read_text(encoding="utf-8"))
    if package.get("catalog", {}).get("jsonld") != data_url(index, "catalog.jsonld"):
        fail("datapackage.json does not link catalog.jsonld")
    for lang in index["languages"]:
        check_page(out, turtle, described, index, lang)
    for message in failures:
        print(f"check-catalog: {message}", file=sys.stderr)
    if failures:
        sys.exit(1)
    print(f"check-catalog: the catalog describes {len(described)} files and passes the DCAT-AP 3.0.1 shapes")


def data_url(index, path):
    return next((f["url"] for f in index["files"] if f["path"] == path), None)


if __name__ == "__main__":
    main()
