#!/usr/bin/env python3
"""Turns a shafaf corpus and its build into a Hugo site with the same pages, so that
scripts/bench.sh can time Hugo on equivalent work. A benchmark aid, not part of shafaf.

    scripts/peer_sites.py hugo CORPUS_ROOT SHAFAF_OUT HUGO_SITE

The data comes from shafaf's open-data feeds (OUT/data/v1/): plans.json, areas.json,
institutions.json and one JSON file per commitment, so both generators show the same
derived progress and statuses. Each commitment becomes one content file per language
with JSON front matter (Hugo reads a file starting with `{` as JSON front matter); its
problem, solution and results are the Markdown body. News posts and pages are copied
from the corpus's content/. The templates live in scripts/peer_sites/hugo/.

Lists as shafaf writes them, per language:
  /L/plans/PLAN/[by-progress/|by-status/][page/N/]  a plan's commitments, three orders
  /L/areas/AREA/, /L/institutions/INST/             taxonomy terms, paginated, and the
  /L/sorted/KIND-ID-ORDER/                          same terms in the other two orders
                                                    (shafaf: /L/areas/AREA/by-ORDER/)
"""

import json
import os
import re
import shutil
import sys

LANGS = ["ar", "fr"]
# shafaf's "what needs attention first" order (src/render/pager.rs, Order::Status).
STATUS_RANK = {"delayed": 0, "not_reported": 1, "in_progress": 2, "not_started": 3, "completed": 4, "cancelled": 5}
DEFAULT_PAGE_SIZE = 50  # src/model.rs DEFAULT_PAGE_SIZE
# The sheet's prose sections, which shafaf renders from Markdown too.
HEADINGS = {
    "problem": {"ar": "المشكل", "fr": "Problème"},
    "solution": {"ar": "الحل", "fr": "Solution"},
    "results": {"ar": "النتائج المنتظرة", "fr": "Résultats attendus"},
}
NEWS = {"ar": "الأخبار", "fr": "Actualités"}


def read_json(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def front_matter(data, body=""):
    """A content file with JSON front matter."""
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n" + body


def text(t, lang):
    """One language of a translated text; the other language when it is missing."""
    if t is None:
        return ""
    if isinstance(t, str):
        return t
    return t.get(lang) or next(iter(t.values()), "")


def page_size(corpus):
    """site.yaml's page_size, or shafaf's default."""
    with open(os.path.join(corpus, "content", "site.yaml"), encoding="utf-8") as f:
        m = re.search(r"^page_size:\s*(\d+)", f.read(), re.M)
    return int(m.group(1)) if m else DEFAULT_PAGE_SIZE


def orders(base, other):
    """The URL of a list in each order; `other` is a pattern for the non-default ones,
    relative to `base` unless it starts with /."""
    def url(order):
        o = other.format(order)
        return o if o.startswith("/") else base + o
    return {"number": base, "progress": url("progress"), "status": url("status")}


def split_front_matter(path):
    """(front matter lines as a dict of raw scalar values, body) of a Markdown file."""
    with open(path, encoding="utf-8") as f:
        src = f.read()
    _, head, body = src.split("---\n", 2)
    fields = {}
    for line in head.splitlines():
        key, _, value = line.partition(":")
        value = value.strip()
        if value.startswith('"') and value.endswith('"'):
            value = json.loads(value)
        fields[key.strip()] = value
    return fields, body


def month(date):
    """Months since year 0 of a YYYY-MM date, for the timeline's geometry."""
    year, _, m = date.partition("-")
    return int(year) * 12 + int(m or 1) - 1


def scale(indicator):
    """The largest number an indicator's chart shows (its bars are scaled to it)."""
    numbers = [v["value"] for v in indicator.get("values") or [] if isinstance(v["value"], (int, float))]
    for extra in (indicator.get("baseline"), (indicator.get("target") or {}).get("value")):
        if isinstance(extra, (int, float)):
            numbers.append(extra)
    return max([abs(n) for n in numbers] + [1])


def commitment_data(c, lang, names):
    """The fields and Markdown body of one commitment sheet in one language. Like shafaf's
    templates, the peers' only lay out values computed beforehand (here: the timeline's
    month offsets and the indicator charts' scale)."""
    first = min((month(a["start"]) for a in c["activities"]), default=0)
    activities = [
        {
            "title": text(a["title"], lang),
            "start": a["start"],
            "end": a["current_end"],
            "progress": a["progress"],
            "status": a["status"],
            "overdue": a["overdue"],
            "cost": f'{a["cost"]["amount"]} {a["cost"]["currency"]}' if a.get("cost") else "",
            "funding": text(a.get("funding"), lang),
            "x": month(a["start"]) - first,
            "w": max(1, month(a["current_end"]) - month(a["start"]) + 1),
        }
        for a in c["activities"]
    ]
    indicators = [
        {
            "kind": i["kind"],
            "title": text(i["title"], lang),
            "unit": i["unit"],
            "baseline": i.get("baseline"),
            "target": i.get("target"),
            "values": i.get("values") or [],
            "scale": scale(i),
            "method": text(i.get("method"), lang),
            "source": text(i.get("source"), lang),
        }
        for i in c["indicators"]
    ]
    data = {
        "title": text(c["title"], lang),
        "number": c["number"],
        "plan": c["plan"],
        "plan_title": names["plans"][c["plan"]][lang],
        "area_title": names["areas"][c["area"]][lang],
        "lead_title": names["institutions"][c["lead"]][lang],
        "partners": [{"id": p, "title": names["institutions"][p][lang]} for p in c["partners"]],
        "ogp_values": c["ogp_values"],
        "progress": c["progress"],
        "status": c["status"],
        "status_rank": STATUS_RANK.get(c["status"], 9),
        "reported": c["reported_activities"],
        "activity_count": c["activity_count"],
        "stale": c["stale"],
        "activities": activities,
        "indicators": indicators,
        "areas": [c["area"]],
        "institutions": [c["lead"]],
    }
    body = "".join(f"## {HEADINGS[key][lang]}\n\n{text(c.get(key), lang)}\n\n" for key in HEADINGS if c.get(key))
    return data, body


def read_feeds(shafaf_out):
    """shafaf's open data: the plans, areas and institutions, their names per language,
    and an iterator over (plan id, commitment) in plan order, then file order."""
    data = os.path.join(shafaf_out, "data", "v1")
    plans = read_json(os.path.join(data, "plans.json"))["plans"]
    areas = read_json(os.path.join(data, "areas.json"))["areas"]
    institutions = read_json(os.path.join(data, "institutions.json"))["institutions"]
    names = {
        "plans": {p["id"]: {l: text(p["title"], l) for l in LANGS} for p in plans},
        "areas": {a["id"]: {l: text(a["title"], l) for l in LANGS} for a in areas},
        "institutions": {i["id"]: {l: text(i["name"], l) for l in LANGS} for i in institutions},
    }

    def commitments():
        for p in plans:
            folder = os.path.join(data, "plans", p["id"], "commitments")
            for name in sorted(os.listdir(folder)):
                yield p["id"], read_json(os.path.join(folder, name))["commitment"]

    return plans, areas, institutions, names, commitments


def plan_head(p, lang, names, root):
    """What a plan's lists show above the table; `root` is the language's URL prefix."""
    return {
        "title": names["plans"][p["id"]][lang],
        "start": p["start"],
        "end": p["end"],
        "owner": names["institutions"][p["owner"]][lang],
        "progress": p["progress"],
        "statuses": p["commitment_statuses"],
        "count": p["commitment_count"],
        "orders": orders(f"{root}/plans/{p['id']}/", "by-{}/"),
    }


def group_head(kind, g, lang, root):
    """What an area's or an institution's lists show above the table."""
    return {
        "title": text(g["title" if kind == "areas" else "name"], lang),
        "description": text(g.get("description"), lang),
        "progress": g["progress"],
        "statuses": g["commitment_statuses"],
        "count": g["commitment_count"],
        "orders": orders(f"{root}/{kind}/{g['id']}/", f"{root}/sorted/{kind}-{g['id']}-{{}}/"),
    }


def documents(corpus, lang):
    """One language's free pages (kind "page") and news posts (kind "news") from the
    corpus: (kind, slug, fields, body), fields being title and weight, or title, summary
    and date."""
    suffix = f".{lang}.md"
    for kind, folder in (("page", "pages"), ("news", "news")):
        for name in sorted(os.listdir(os.path.join(corpus, "content", folder))):
            if name.endswith(suffix):
                slug = name[: -len(suffix)]
                fields, body = split_front_matter(os.path.join(corpus, "content", folder, name))
                if kind == "page":
                    yield kind, slug, {"title": fields["title"], "weight": int(fields.get("order") or 0)}, body
                else:
                    yield kind, slug, {"title": fields["title"], "summary": fields.get("summary", ""), "date": slug[:10]}, body


def hugo(corpus, shafaf_out, site):
    here = os.path.dirname(os.path.abspath(__file__))
    if os.path.exists(site):
        shutil.rmtree(site)
    shutil.copytree(os.path.join(here, "peer_sites", "hugo"), site)
    config = os.path.join(site, "config.toml")
    with open(config, encoding="utf-8") as f:
        cfg = f.read().replace("PAGE_SIZE", str(page_size(corpus)))
    write(config, cfg)

    plans, areas, institutions, names, commitments = read_feeds(shafaf_out)
    for lang in LANGS:
        content = os.path.join(site, "content", lang)
        write_lists(content, lang, plans, areas, institutions, names)
        write_documents(content, lang, corpus)
    count = 0
    for plan, c in commitments():
        for lang in LANGS:
            data, body = commitment_data(c, lang, names)
            write(os.path.join(site, "content", lang, "plans", plan, "commitments", c["id"] + ".md"), front_matter(data, body))
        count += 1
    print(f"hugo site: {count} commitments x {len(LANGS)} languages in {site}")


def write_lists(content, lang, plans, areas, institutions, names):
    """The home page and the list pages of one language: plans, areas and institutions,
    each in three orders."""
    # Sections that only group pages: shafaf writes no page for them.
    for section in ("plans", "sorted"):
        write(os.path.join(content, section, "_index.md"), front_matter({"title": section, "_build": {"render": "never"}}))
    cards = [{"id": p["id"], "title": names["plans"][p["id"]][lang], "progress": p["progress"], "statuses": p["commitment_statuses"]} for p in plans]
    write(os.path.join(content, "_index.md"), front_matter({"title": "", "plans": cards}))
    for p in plans:
        base = os.path.join(content, "plans", p["id"])
        common = plan_head(p, lang, names, f"/{lang}")
        write(os.path.join(base, "_index.md"), front_matter(dict(common, order="number"), text(p.get("summary"), lang)))
        for order in ("progress", "status"):
            write(os.path.join(base, f"by-{order}", "_index.md"), front_matter(dict(common, order=order, type="sorted")))
        write(os.path.join(base, "report", "_index.md"), front_matter(dict(common, type="report")))
    for kind, items in (("areas", areas), ("institutions", institutions)):
        for g in items:
            common = group_head(kind, g, lang, f"/{lang}")
            write(os.path.join(content, kind, g["id"], "_index.md"), front_matter(common))
            for order in ("progress", "status"):
                sorted_page = dict(common, order=order, term=f"/{kind}/{g['id']}", type="sorted")
                write(os.path.join(content, "sorted", f"{kind}-{g['id']}-{order}", "_index.md"), front_matter(sorted_page))


def write_documents(content, lang, corpus):
    """One language's pages and news posts, copied from the corpus, and the search and
    updates pages (empty lists here: the corpus has no progress reports)."""
    for section in ("search", "updates"):
        write(os.path.join(content, section, "_index.md"), front_matter({"title": section}))
    write(os.path.join(content, "news", "_index.md"), front_matter({"title": NEWS[lang]}))
    for kind, slug, fields, body in documents(corpus, lang):
        write(os.path.join(content, "news" if kind == "news" else "", slug + ".md"), front_matter(fields, body))


def main():
    if len(sys.argv) != 5 or sys.argv[1] != "hugo":
        sys.exit(__doc__)
    hugo(*sys.argv[2:])


if __name__ == "__main__":
    main()
