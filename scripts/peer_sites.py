#!/usr/bin/env python3
"""Turns a shafaf corpus and its build into a Hugo or a Zola site with the same pages, so
that scripts/bench.sh can time Hugo and Zola on equivalent work. A benchmark aid, not part
of shafaf.

    scripts/peer_sites.py hugo CORPUS_ROOT SHAFAF_OUT HUGO_SITE
    scripts/peer_sites.py zola CORPUS_ROOT SHAFAF_OUT ZOLA_SITE

The data comes from shafaf's open-data feeds (OUT/data/v1/): plans.json, areas.json,
institutions.json and one JSON file per commitment, so all generators show the same
derived progress and statuses. Each commitment becomes one content file per language,
its problem, solution and results the Markdown body. News posts and pages are copied
from the corpus's content/. The templates live in scripts/peer_sites/hugo/ and
scripts/peer_sites/zola/; the Zola site takes its UI strings from hugo/i18n/.

Lists as shafaf writes them, per language (L = ar or fr):
  /L/plans/PLAN/[by-progress/|by-status/][page/N/]  a plan's commitments, three orders
  /L/areas/AREA/, /L/institutions/INST/             taxonomy terms, paginated, and the
  /L/sorted/KIND-ID-ORDER/                          same terms in the other two orders
                                                    (shafaf: /L/areas/AREA/by-ORDER/)

Hugo: JSON front matter (Hugo reads a file starting with `{` as JSON front matter);
content/L/ per language; Hugo sorts and paginates every list itself (.Paginate of
.ByParam), the other orders being sections of type "sorted".

Zola: TOML front matter; French, the default language, is at the root (/plans/..., not
/fr/plans/...), Arabic under /ar/, with files `X.md` and `X.ar.md` side by side. What
Zola does natively: a plan is a section sorted by weight (the commitment number) with
paginate_by; its sheets sit in plans/PLAN/commitments/, a transparent section that is
not rendered; areas and institutions are taxonomies with paginate_by; news is a section
sorted by date with paginate_by. Where Zola cannot do what Hugo does:
  - a section or a term is paginated in one order only (its sort_by; a term's pages by
    date), and templates cannot paginate a list they sorted. So the progress and status
    orders are written here, sorted as shafaf sorts them: one section per page of the
    list (by-progress/, by-progress/page/2/, ...) whose front matter names its sheets,
    which the template fetches with get_page; the pager links come from the same front
    matter. The Hugo site gets the same URLs from .Paginate.
  - a term's pages are sorted by date, newest first: each sheet gets a made-up date
    that decreases along shafaf's number order (the latest plan first, then number),
    one second apart.
  - a term has no content file: its head (title, description, progress, counts) comes
    from data/groups.json through load_data.
  - Zola always writes each taxonomy's list of terms (/areas/, /institutions/), which
    neither shafaf nor the Hugo site has: its template is a redirect to the dashboard,
    which bench.sh counts as a redirect, not a page.
The free pages' menu is in config.toml's [extra.nav], as Zola themes do.
Pages: the same as the Hugo site's (and shafaf's) but one: Zola writes one 404.html,
Hugo one per language. Zola's pager links are absolute URLs (its paginator gives
permalinks), decimals are not localised (Tera has no locale-aware number format: 47.5
where Hugo writes 47,5), and the progress and status orders follow shafaf's (stable
sorts of the number order), where Hugo's reversed ByParam puts ties the other way.
"""

import datetime
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


# Zola: French is the default language, at the root; Arabic is under /ar/.
ZOLA_DEFAULT = "fr"
ZOLA_LANGUAGES = {"ar": {"name": "العربية", "dir": "rtl", "locale": "ar_MA"}, "fr": {"name": "Français", "dir": "ltr", "locale": "fr_FR"}}
# Zola sorts a taxonomy term's pages by date only, newest first: each sheet gets a date
# that decreases along shafaf's list order (plan, then number), one second apart.
ZOLA_EPOCH = datetime.datetime(2000, 1, 1, tzinfo=datetime.timezone.utc)


def toml(value):
    """A TOML value on one line (inline tables and arrays); None values are left out,
    TOML having no null."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)  # JSON's escapes are TOML's too
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(toml(v) for v in value if v is not None) + "]"
    return "{" + ", ".join(f"{toml_key(k)} = {toml(v)}" for k, v in value.items() if v is not None) + "}"


def toml_key(key):
    return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else json.dumps(key, ensure_ascii=False)


def toml_front_matter(fields, body=""):
    """A Zola content file with TOML front matter: scalars and arrays first, then one
    [table] per dict (taxonomies, extra)."""
    lines = ["+++"]
    lines += [f"{toml_key(k)} = {toml(v)}" for k, v in fields.items() if v is not None and not isinstance(v, dict)]
    for k, v in fields.items():
        if isinstance(v, dict):
            lines.append(f"[{toml_key(k)}]")
            lines += [f"{toml_key(kk)} = {toml(vv)}" for kk, vv in v.items() if vv is not None]
    return "\n".join(lines) + "\n+++\n" + body


def list_orders(rows):
    """A list of commitment rows (number order) in the three orders, as shafaf sorts
    them: each order is a stable sort of the number order."""
    return {
        "number": rows,
        "progress": sorted(rows, key=lambda r: -r["progress"]),
        "status": sorted(rows, key=lambda r: r["status_rank"]),
    }


def zola(corpus, shafaf_out, site):
    here = os.path.dirname(os.path.abspath(__file__))
    if os.path.exists(site):
        shutil.rmtree(site)
    shutil.copytree(os.path.join(here, "peer_sites", "zola"), site)
    size = page_size(corpus)
    plans, areas, institutions, names, commitments = read_feeds(shafaf_out)
    suffix = {l: "" if l == ZOLA_DEFAULT else f".{l}" for l in LANGS}
    root = {l: "" if l == ZOLA_DEFAULT else f"/{l}" for l in LANGS}
    content = os.path.join(site, "content")

    # The sheets, and each list's rows in number order.
    rows = {("plans", p["id"]): [] for p in plans}
    rows.update({("areas", a["id"]): [] for a in areas})
    rows.update({("institutions", i["id"]): [] for i in institutions})
    # shafaf lists an area's or an institution's commitments plan by plan, the latest
    # plan first (views::plans_in_display_order), then by number.
    display = sorted(sorted(plans, key=lambda p: p["id"]), key=lambda p: p["start"], reverse=True)
    plan_rank = {p["id"]: n for n, p in enumerate(display)}
    every = []
    for plan, c in commitments():
        every.append((plan_rank[plan], c["number"], plan, c))
    every.sort(key=lambda t: t[:2])
    for position, (_, _, plan, c) in enumerate(every):
        date = (ZOLA_EPOCH - datetime.timedelta(seconds=position)).strftime("%Y-%m-%dT%H:%M:%SZ")
        for lang in LANGS:
            data, body = commitment_data(c, lang, names)
            taxonomies = {"areas": data.pop("areas"), "institutions": data.pop("institutions")}
            fields = {"title": data["title"], "weight": c["number"], "date": date, "taxonomies": taxonomies, "extra": data}
            write(os.path.join(content, "plans", plan, "commitments", c["id"] + suffix[lang] + ".md"), toml_front_matter(fields, body))
        row = {"path": f"plans/{plan}/commitments/{c['id']}.md", "progress": c["progress"], "status_rank": STATUS_RANK.get(c["status"], 9)}
        for key in (("plans", plan), ("areas", c["area"]), ("institutions", c["lead"])):
            rows[key].append(row)

    groups = {"areas": {}, "institutions": {}}
    nav = {}
    for lang in LANGS:
        s, r = suffix[lang], root[lang]

        def section(path, fields, body=""):
            write(os.path.join(content, path, f"_index{s}.md"), toml_front_matter(fields, body))

        def pagers(path, head, order, key):
            """The pages of a list in an order Zola cannot paginate: one section per page,
            naming the sheets it shows."""
            ordered = list_orders(rows[key])[order]
            chunks = [ordered[i : i + size] for i in range(0, len(ordered), size)] or [[]]
            first = f"{r}/{path}/"
            for n, chunk in enumerate(chunks, 1):
                pager = {"current": n, "total": len(chunks), "first": first}
                extra = dict(head, order=order, pager=pager, rows=[x["path"] for x in chunk])
                section(path if n == 1 else f"{path}/page/{n}", {"title": head["title"], "template": "sorted.html", "extra": extra})

        cards = [{"id": p["id"], "title": names["plans"][p["id"]][lang], "progress": p["progress"], "statuses": p["commitment_statuses"]} for p in plans]
        section("", {"title": "", "sort_by": "weight", "extra": {"plans": cards}})
        for name in ("plans", "sorted"):
            section(name, {"title": name, "render": False})
        for p in plans:
            head = plan_head(p, lang, names, r)
            base = f"plans/{p['id']}"
            plan_list = {"title": head["title"], "template": "plan.html", "page_template": "sheet.html", "sort_by": "weight", "paginate_by": size, "extra": head}
            section(base, plan_list, text(p.get("summary"), lang))
            # The sheets are in plans/PLAN/commitments/, as in shafaf; that section hands
            # them to the plan.
            section(f"{base}/commitments", {"title": head["title"], "transparent": True, "render": False})
            for order in ("progress", "status"):
                pagers(f"{base}/by-{order}", head, order, ("plans", p["id"]))
            section(f"{base}/report", {"title": head["title"], "template": "report.html", "extra": dict(head, plan=f"{base}/_index.md")})
        for kind, items in (("areas", areas), ("institutions", institutions)):
            for g in items:
                head = group_head(kind, g, lang, r)
                alternates = {l: f"{root[l]}/{kind}/{g['id']}/" for l in LANGS}
                groups[kind].setdefault(g["id"], {})[lang] = dict(head, alternates=alternates)
                for order in ("progress", "status"):
                    pagers(f"sorted/{kind}-{g['id']}-{order}", head, order, (kind, g["id"]))

        for name in ("search", "updates"):
            section(name, {"title": name})
        section("news", {"title": NEWS[lang], "sort_by": "date", "paginate_by": size})
        nav[lang] = []
        for kind, slug, fields, body in documents(corpus, lang):
            if kind == "page":
                write(os.path.join(content, slug + s + ".md"), toml_front_matter(fields, body))
                nav[lang].append((fields["weight"], fields["title"], f"{r}/{slug}/"))
            else:
                fields = {"title": fields["title"], "slug": slug, "date": fields["date"], "extra": {"summary": fields["summary"]}}
                write(os.path.join(content, "news", slug + s + ".md"), toml_front_matter(fields, body))
    write(os.path.join(site, "data", "groups.json"), json.dumps(groups, ensure_ascii=False))

    # The configuration: the template's, the page size, the languages, the menus of free
    # pages, and the UI strings of the Hugo site (scripts/peer_sites/hugo/i18n/).
    config = os.path.join(site, "config.toml")
    with open(config, encoding="utf-8") as f:
        cfg = f.read().replace("PAGE_SIZE", str(size))
    cfg += "\n" + "\n".join(f"[extra.languages.{l}]\n" + "".join(f"{k} = {toml(v)}\n" for k, v in dict(ZOLA_LANGUAGES[l], root=root[l]).items()) for l in LANGS)
    cfg += "\n[extra.nav]\n" + "".join(f"{l} = {toml([{'title': t, 'path': p} for _, t, p in sorted(nav[l], key=lambda e: e[0])])}\n" for l in LANGS)
    for l in LANGS:
        with open(os.path.join(here, "peer_sites", "hugo", "i18n", f"{l}.toml"), encoding="utf-8") as f:
            cfg += f"\n[{'translations' if l == ZOLA_DEFAULT else f'languages.{l}.translations'}]\n" + f.read()
    write(config, cfg)
    print(f"zola site: {len(every)} commitments x {len(LANGS)} languages in {site}")


def main():
    if len(sys.argv) != 5 or sys.argv[1] not in ("hugo", "zola"):
        sys.exit(__doc__)
    {"hugo": hugo, "zola": zola}[sys.argv[1]](*sys.argv[2:])


if __name__ == "__main__":
    main()
