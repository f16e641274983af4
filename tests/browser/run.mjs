// Browser-level tests of a built shafaf site, the way its readers meet it.
//
//   node tests/browser/run.mjs SITE_DIR
//
// Serves SITE_DIR with a tiny static HTTP server, drives Debian's headless Chromium with
// puppeteer-core and checks:
//   1. axe-core (WCAG 2.0/2.1 A and AA) reports no violation on every page kind, in
//      every language;
//   2. the Arabic and French commitment pages have the right lang/dir and computed
//      direction, the language switcher leads to the twin page, the timeline runs in the
//      reading direction, and phones get no sideways scrolling; screenshots (screen and
//      print) are saved to tests/browser/screenshots/;
//   3. the search page finds Arabic text typed with letter variants (ة/ه, hamza forms,
//      ى/ي, tatweel: the same results as the plain spelling) and French text typed
//      without accents; English (when the site has it) finds plural and singular alike;
//   3b. nothing on the search page moves as its results arrive (layout shift), on a phone
//      and on a desktop screen;
//   4. every page kind carries the Content-Security-Policy meta and reports no violation
//      (dashboard, plan, commitment, open data, search with results), also when served
//      by `shafaf serve` with its live-reload script and error banner;
//   4b. with JavaScript disabled a commitment page still shows its timeline and tables;
//   4c. revisions from git: a site built from the fixture repository
//      (tests/fixtures/history/make-repo.sh) shows a sheet's "changes to this
//      commitment", the changes page and a plan's withdrawn sheet, in every language,
//      with no axe violation and no broken link;
//   5. every internal link (<a href>, <link href>, scripts, images, fragments) resolves,
//      from the root through all pages; then the site is rebuilt with
//      --base-url http://127.0.0.1:PORT/sub/path/, served under /sub/path/ only, and
//      crawled again.
// Also fails on any JavaScript error or failed request while pages load.
// Environment: CHROMIUM (default /usr/bin/chromium), SHAFAF_BIN (default
// ../../target/release/shafaf from this file), SHAFAF_ROOT (default the repository root).
// Prints PASS/FAIL lines and exits non-zero on any failure.

import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import puppeteer from "puppeteer-core";

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = process.env.SHAFAF_ROOT || path.resolve(here, "../..");
const shafafBin = process.env.SHAFAF_BIN || path.resolve(here, "../../target/release/shafaf");
const chromiumPath = process.env.CHROMIUM || "/usr/bin/chromium";
const axePath = path.join(here, "node_modules/axe-core/axe.min.js");
const shotsDir = path.join(here, "screenshots");
const AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

const siteArg = process.argv[2];
if (!siteArg) {
  console.error("usage: node tests/browser/run.mjs SITE_DIR");
  process.exit(2);
}
const siteDir = path.resolve(siteArg);
if (!fs.existsSync(path.join(siteDir, "index.html"))) {
  console.error(`FAIL: ${siteDir} has no index.html; build the site first`);
  process.exit(2);
}

// ---------------------------------------------------------------- reporting

let passed = 0;
const failures = [];
function pass(name, detail = "") {
  passed += 1;
  console.log(`PASS  ${name}${detail ? ` — ${detail}` : ""}`);
}
function fail(name, detail = "") {
  failures.push(name);
  console.log(`FAIL  ${name}${detail ? `\n      ${String(detail).split("\n").join("\n      ")}` : ""}`);
}
function check(name, ok, detail = "") {
  if (ok) pass(name);
  else fail(name, detail);
  return ok;
}
async function step(name, fn) {
  try {
    await fn();
  } catch (err) {
    fail(name, err && err.stack ? err.stack : String(err));
  }
}

// ---------------------------------------------------------------- static server

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".xml": "application/xml; charset=utf-8",
  ".txt": "text/plain; charset=utf-8",
  ".csv": "text/csv; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".gif": "image/gif",
  ".webp": "image/webp",
  ".ico": "image/x-icon",
  ".woff": "font/woff",
  ".woff2": "font/woff2",
  ".ttf": "font/ttf",
  ".otf": "font/otf",
  ".pdf": "application/pdf",
};

/// Serves `dir` under the URL prefix `prefix` (`/` or `/sub/path/`): `x/` is served from
/// `x/index.html`, `x` (a folder) redirects to `x/`, anything else is a 404 with the
/// site's 404.html. Nothing outside `prefix` or `dir` is served.
function startServer(dir, prefix = "/") {
  const root = { dir };
  const notFound = (res) => {
    const page = path.join(root.dir, "404.html");
    res.writeHead(404, { "content-type": TYPES[".html"] });
    res.end(fs.existsSync(page) ? fs.readFileSync(page) : "not found");
  };
  const server = http.createServer((req, res) => {
    let pathname;
    try {
      pathname = decodeURIComponent(new URL(req.url, "http://x").pathname);
    } catch {
      res.writeHead(400);
      res.end();
      return;
    }
    if (!pathname.startsWith(prefix) && pathname + "/" !== prefix) return notFound(res);
    if (pathname + "/" === prefix) {
      res.writeHead(301, { location: prefix });
      res.end();
      return;
    }
    const rel = pathname.slice(prefix.length);
    const file = path.resolve(root.dir, rel);
    if (file !== root.dir && !file.startsWith(root.dir + path.sep)) return notFound(res);
    let stat;
    try {
      stat = fs.statSync(file);
    } catch {
      return notFound(res);
    }
    let target = file;
    if (stat.isDirectory()) {
      if (!pathname.endsWith("/")) {
        res.writeHead(301, { location: pathname + "/" });
        res.end();
        return;
      }
      target = path.join(file, "index.html");
      if (!fs.existsSync(target)) return notFound(res);
    }
    const type = TYPES[path.extname(target).toLowerCase()] || "application/octet-stream";
    const body = fs.readFileSync(target);
    res.writeHead(200, { "content-type": type, "content-length": body.length });
    res.end(req.method === "HEAD" ? undefined : body);
  });
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      resolve({ server, root, port, base: `http://127.0.0.1:${port}${prefix}` });
    });
  });
}

// ---------------------------------------------------------------- link checker

function decodeEntities(text) {
  return text
    .replace(/&#x([0-9a-f]+);?/gi, (_, h) => String.fromCodePoint(parseInt(h, 16)))
    .replace(/&#(\d+);?/g, (_, d) => String.fromCodePoint(Number(d)))
    .replace(/&quot;?/g, '"')
    .replace(/&apos;?/g, "'")
    .replace(/&lt;?/g, "<")
    .replace(/&gt;?/g, ">")
    .replace(/&amp;?/g, "&");
}

/// The value of attribute `name` in the attribute text of one tag (quoted or not).
function attr(attrs, name) {
  const re = new RegExp(`(?:^|\\s)${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s"'=<>\`]+))`, "i");
  const m = attrs.match(re);
  return m ? decodeEntities(m[1] ?? m[2] ?? m[3]) : null;
}

/// Tags in some HTML: [{tag, attrs}], skipping comments, scripts' and styles' bodies.
function tags(html) {
  const out = [];
  const clean = html.replace(/<!--[\s\S]*?-->/g, "").replace(/<(script|style)\b([^>]*)>[\s\S]*?<\/\1>/gi, "<$1$2>");
  const re = /<([a-zA-Z][a-zA-Z0-9:-]*)((?:\s+(?:"[^"]*"|'[^']*'|[^\s>"']+)*)*)\s*\/?>/g;
  let m;
  while ((m = re.exec(clean))) out.push({ tag: m[1].toLowerCase(), attrs: m[2] || "" });
  return out;
}

/// Crawls every same-origin link from `start` (and `extra` seeds); returns {pages,
/// broken, checked, status}. Absolute links to the deployed site (`alias`, the build's
/// base URL: canonical and hreflang links, sitemap, feeds) are checked against the local
/// copy.
async function crawl(start, { extra = [], alias = null, expect404 = [] } = {}) {
  const origin = new URL(start).origin;
  const queue = [start, ...extra];
  const seen = new Set(queue);
  const local = (href) => (alias && href.startsWith(alias) ? start + href.slice(alias.length) : href);
  const status = new Map(); // url without fragment → {code, ids, html}, or null until fetched
  const referrers = new Map(); // url → where it is linked from
  const refer = (target, from) => {
    if (!referrers.has(target)) referrers.set(target, []);
    referrers.get(target).push(from);
  };
  const broken = [];
  const fragments = []; // {from, url, id}
  let pages = 0;
  while (queue.length) {
    const url = queue.shift();
    const res = await fetch(url, { redirect: "manual" });
    const type = res.headers.get("content-type") || "";
    let code = res.status;
    let body = "";
    if (code >= 300 && code < 400) {
      // Follow a redirect (directory without a slash) as another link to check.
      const loc = new URL(res.headers.get("location"), url).href;
      if (!seen.has(loc)) {
        seen.add(loc);
        queue.push(loc);
      }
    } else if (type.startsWith("text/html")) {
      body = await res.text();
    } else if (code === 200 && (type.includes("xml") || type.startsWith("text/plain"))) {
      // Sitemap, Atom feeds, robots.txt: every URL they give must exist.
      const text = await res.text();
      const urls = [
        ...[...text.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => m[1]),
        ...[...text.matchAll(/\shref="([^"]+)"/g)].map((m) => m[1]),
        ...[...text.matchAll(/^Sitemap:\s*(\S+)/gim)].map((m) => m[1]),
      ].map(decodeEntities);
      for (const u of urls) {
        let target;
        try {
          target = new URL(local(u), url);
        } catch {
          broken.push({ from: url, href: u, why: "not a URL" });
          continue;
        }
        if (target.origin !== origin) continue;
        target.hash = "";
        refer(target.href, `${url} (${u})`);
        if (!seen.has(target.href)) {
          seen.add(target.href);
          queue.push(target.href);
        }
      }
    } else {
      await res.arrayBuffer();
    }
    const ids = new Set();
    status.set(url, { code, ids, html: !!body });
    if (!body || (code !== 200 && !expect404.includes(url))) continue;
    pages += 1;
    for (const t of tags(body)) {
      const id = attr(t.attrs, "id");
      if (id) ids.add(id);
      if (t.tag === "a" && attr(t.attrs, "name")) ids.add(attr(t.attrs, "name"));
      const ref =
        t.tag === "a" || t.tag === "link" || t.tag === "area"
          ? attr(t.attrs, "href")
          : t.tag === "script" || t.tag === "img" || t.tag === "source" || t.tag === "iframe"
            ? attr(t.attrs, "src")
            : t.tag === "form"
              ? attr(t.attrs, "action")
              : null;
      if (ref === null) continue;
      let target;
      try {
        target = new URL(local(ref), url);
      } catch {
        broken.push({ from: url, href: ref, why: "not a URL" });
        continue;
      }
      if (target.origin !== origin) continue;
      const hash = target.hash ? decodeURIComponent(target.hash.slice(1)) : "";
      target.hash = "";
      target.search = "";
      const clean = target.href;
      if (hash) fragments.push({ from: url, url: clean, id: hash, href: ref });
      if (!seen.has(clean)) {
        seen.add(clean);
        queue.push(clean);
      }
      refer(clean, `${url} (${t.tag} ${ref})`);
    }
    // data-index attributes (the search form's index) are links too.
    for (const t of tags(body)) {
      const index = attr(t.attrs, "data-index");
      if (!index) continue;
      const target = new URL(index, url).href;
      refer(target, `${url} (data-index ${index})`);
      if (!seen.has(target)) {
        seen.add(target);
        queue.push(target);
      }
    }
  }
  for (const [url, info] of status) {
    if (info && info.code >= 400 && !expect404.includes(url)) {
      const from = (referrers.get(url) || ["(a start page)"]).slice(0, 3).join("\n        ");
      broken.push({ from, href: url, why: `HTTP ${info.code}` });
    }
  }
  for (const f of fragments) {
    // Only HTML pages have ids (info.html); a fragment into another file is not checked.
    const info = status.get(f.url);
    if (info && info.code === 200 && info.html && !info.ids.has(f.id) && f.id !== "top") {
      broken.push({ from: f.from, href: f.href, why: `no element with id "${f.id}"` });
    }
  }
  const checked = status.size;
  return { pages, broken, checked, status };
}

function allHtmlFiles(dir) {
  const out = [];
  const walk = (d) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith(".html")) out.push(path.relative(dir, p).split(path.sep).join("/"));
    }
  };
  walk(dir);
  return out.sort();
}

async function checkLinks(label, base, dir) {
  // The build's base URL, from robots.txt's Sitemap line.
  const robots = await (await fetch(base + "robots.txt")).text();
  const sitemap = robots.match(/^Sitemap:\s*(\S+)/im);
  check(`robots.txt names the sitemap ${label}`, !!sitemap, robots);
  const alias = sitemap ? sitemap[1].replace(/sitemap\.xml$/, "") : null;
  // The 404 page is served at any depth: its links must work from anywhere.
  const deep404 = base + "no/such/page/at/depth/";
  const extra = [base + "robots.txt", base + "404.html", deep404];
  const { pages, broken, checked, status } = await crawl(base, { extra, alias, expect404: [deep404] });
  if (broken.length === 0) {
    pass(`links ${label}`, `${pages} pages crawled, ${checked} internal targets, none broken`);
  } else {
    const lines = broken.slice(0, 25).map((b) => `${b.href}: ${b.why}\n        from ${b.from}`);
    if (broken.length > 25) lines.push(`… and ${broken.length - 25} more`);
    fail(`links ${label}`, `${broken.length} broken link(s):\n${lines.join("\n")}`);
  }
  // Every page of the build is reachable by following links (404.html aside).
  const reached = new Set([...status.keys()].filter((k) => status.get(k) && status.get(k).code === 200).map((k) => new URL(k).pathname));
  const prefix = new URL(base).pathname;
  const orphans = allHtmlFiles(dir)
    .filter((f) => f !== "404.html")
    .filter((f) => {
      const p = prefix + f;
      return !reached.has(p) && !reached.has(p.replace(/index\.html$/, ""));
    });
  check(`every page reachable by links ${label}`, orphans.length === 0, `not linked from anywhere: ${orphans.slice(0, 20).join(", ")}`);
}

// ---------------------------------------------------------------- site facts

const languages = fs
  .readdirSync(siteDir, { withFileTypes: true })
  .filter((e) => e.isDirectory() && /^[a-z]{2,3}$/.test(e.name) && fs.existsSync(path.join(siteDir, e.name, "index.html")))
  .map((e) => e.name)
  .sort();

function firstDir(rel, prefer = []) {
  const d = path.join(siteDir, rel);
  if (!fs.existsSync(d)) return null;
  const names = fs.readdirSync(d, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort();
  return prefer.find((p) => names.includes(p)) || names[0] || null;
}

const COMMITMENTS = {
  timeline: "plans/2024-2027/commitments/access-to-information-law/",
  chart: "plans/2024-2027/commitments/open-local-governments-programme/",
  assessments: "plans/open-parliament/commitments/digital-parliament/",
  participation: "plans/settat-2024-2025/commitments/participatory-budget/",
  reported: "plans/2021-2023/commitments/open-data/",
};

function pageKinds(lang) {
  const area = firstDir(`${lang}/areas`);
  const inst = firstDir(`${lang}/institutions`, ["digital-transition"]);
  const post = firstDir(`${lang}/news`);
  const kinds = [
    ["dashboard", `${lang}/`],
    ["plan", `${lang}/plans/2024-2027/`],
    ["commitment with timeline", `${lang}/${COMMITMENTS.timeline}`],
    ["commitment with indicator chart", `${lang}/${COMMITMENTS.chart}`],
    ["commitment with assessments", `${lang}/${COMMITMENTS.assessments}`],
    ["commitment with participation", `${lang}/${COMMITMENTS.participation}`],
    ["commitment with a report history", `${lang}/${COMMITMENTS.reported}`],
    ["plan report", `${lang}/plans/2021-2023/report/`],
    ["plan list, page 2", `${lang}/plans/2021-2023/page/2/`],
    ["plan list by status", `${lang}/plans/2021-2023/by-status/`],
    ["latest reports", `${lang}/updates/`],
    ["changes to the commitments", `${lang}/changes/`],
    ["area", area && `${lang}/areas/${area}/`],
    ["institution", inst && `${lang}/institutions/${inst}/`],
    ["institution report", inst && `${lang}/institutions/${inst}/report/`],
    ["news list", `${lang}/news/`],
    ["news post", post && `${lang}/news/${post}/`],
    ["free page (about)", `${lang}/about/`],
    ["free page (methodology)", `${lang}/methodology/`],
    ["open data", `${lang}/open-data/`],
    ["search", `${lang}/search/`],
  ];
  return kinds;
}

// ---------------------------------------------------------------- browser helpers

/// Opens a page that records JavaScript errors and failed requests.
async function openPage(browser, { js = true, width = 1280, height = 900 } = {}) {
  const page = await browser.newPage();
  await page.setViewport({ width, height });
  await page.setJavaScriptEnabled(js);
  page.problems = [];
  page.on("pageerror", (err) => page.problems.push(`JavaScript error: ${err.message}`));
  page.on("console", (msg) => {
    if (msg.type() === "error" && !/Failed to load resource/.test(msg.text())) page.problems.push(`console error: ${msg.text()}`);
  });
  page.on("requestfailed", (req) => page.problems.push(`request failed: ${req.url()} (${req.failure()?.errorText})`));
  // Content-Security-Policy violations, from the page's own event and from the console.
  page.csp = [];
  page.on("console", (msg) => {
    if (/Content Security Policy/i.test(msg.text())) page.csp.push(`console: ${msg.text()}`);
  });
  if (js) {
    await page.exposeFunction("__shafafCspViolation", (v) => page.csp.push(v));
    await page.evaluateOnNewDocument(() => {
      document.addEventListener("securitypolicyviolation", (e) =>
        window.__shafafCspViolation(`${e.effectiveDirective} blocked ${e.blockedURI || "(inline)"} at ${e.sourceFile || "?"}:${e.lineNumber}`),
      );
    });
  }
  page.on("response", (res) => {
    const expected404 = res.url().endsWith("/404.html") || res.request().resourceType() === "document" && page.expect404;
    if (res.status() >= 400 && !expected404) page.problems.push(`HTTP ${res.status()}: ${res.url()}`);
  });
  return page;
}

async function visit(page, url) {
  page.problems.length = 0;
  if (page.csp) page.csp.length = 0;
  const res = await page.goto(url, { waitUntil: "load" });
  return res;
}

async function runAxe(page) {
  const hasAxe = await page.evaluate(() => typeof window.axe !== "undefined");
  if (!hasAxe) await page.addScriptTag({ path: axePath });
  return page.evaluate(async (tags) => {
    const r = await window.axe.run(document, { runOnly: { type: "tag", values: tags }, resultTypes: ["violations"] });
    return r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.slice(0, 4).map((n) => `${n.target.join(" ")}: ${n.failureSummary.replace(/\s+/g, " ").slice(0, 220)}`),
      count: v.nodes.length,
    }));
  }, AXE_TAGS);
}

function describeViolations(vs) {
  return vs.map((v) => `${v.id} (${v.impact}, ${v.count} node(s)): ${v.help}\n  ${v.nodes.join("\n  ")}`).join("\n");
}

/// Elements sticking out of the viewport sideways (outside any scrolling container), and
/// whether the page itself scrolls sideways.
async function sidewaysOverflow(page) {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const wide = [...document.querySelectorAll("body *")]
      .filter((e) => {
        const r = e.getBoundingClientRect();
        if (r.width === 0 || r.height === 0) return false;
        for (let p = e.parentElement; p; p = p.parentElement) {
          const o = getComputedStyle(p).overflowX;
          if (o === "auto" || o === "scroll" || o === "hidden" || o === "clip") return false;
        }
        return r.right > width + 1 || r.left < -1;
      })
      .slice(0, 5)
      .map((e) => {
        const r = e.getBoundingClientRect();
        return `${e.tagName.toLowerCase()}${[...e.classList].map((c) => "." + c).join("")} [${Math.round(r.left)}, ${Math.round(r.right)}]`;
      });
    return { ok: document.documentElement.scrollWidth <= width && wide.length === 0, scrollWidth: document.documentElement.scrollWidth, width, wide };
  });
}

function twinPath(p, from, to) {
  return p.replace(new RegExp(`/${from}/`), `/${to}/`);
}

// ---------------------------------------------------------------- the checks

async function axeChecks(browser, base) {
  const page = await openPage(browser);
  // axe-core is injected as an inline script, which the pages' policy forbids; the
  // policy itself is checked by cspChecks.
  await page.setBypassCSP(true);
  const targets = [["root", ""], ["404 page", "404.html"]];
  for (const lang of languages) for (const [kind, p] of pageKinds(lang)) targets.push([`${kind} (${lang})`, p]);
  for (const [kind, rel] of targets) {
    await step(`axe ${kind}`, async () => {
      if (rel === null) return fail(`axe ${kind}`, "no such page in the build");
      const res = await visit(page, base + rel);
      // Every target, 404.html included, is a file of the build: it answers 200.
      if (res.status() !== 200) return fail(`axe ${kind}`, `/${rel} answered HTTP ${res.status()}`);
      const violations = await runAxe(page);
      check(`axe ${kind} /${rel}`, violations.length === 0, describeViolations(violations));
      check(`no load errors ${kind}`, page.problems.length === 0, page.problems.join("\n"));
      // The same page on a phone: no sideways scrolling, and still no violation (wide
      // tables become scrollable regions there, which must be reachable by keyboard).
      await page.setViewport({ width: 375, height: 740, isMobile: true, hasTouch: true });
      try {
        await page.reload({ waitUntil: "load" });
        const overflow = await sidewaysOverflow(page);
        check(`phone width: no sideways scrolling on ${kind}`, overflow.ok, JSON.stringify(overflow));
        const phone = await runAxe(page);
        check(`phone width: axe ${kind}`, phone.length === 0, describeViolations(phone));
      } finally {
        await page.setViewport({ width: 1280, height: 900 });
      }
    });
  }
  // The search page again, with results on screen.
  for (const lang of languages) {
    await step(`axe search results (${lang})`, async () => {
      await visit(page, `${base}${lang}/search/?q=${encodeURIComponent(lang === "ar" ? "المعلومات" : "information")}`);
      await page.waitForFunction(() => document.querySelectorAll("#search-results li").length > 0, { timeout: 5000 });
      const violations = await runAxe(page);
      check(`axe search results (${lang})`, violations.length === 0, describeViolations(violations));
    });
  }
  // An unknown URL gets the 404 page, which must be accessible too.
  await step("axe unknown URL", async () => {
    page.expect404 = true;
    const res = await visit(page, `${base}no/such/page/`);
    page.expect404 = false;
    check("unknown URL answers 404 with the site's 404 page", res.status() === 404 && (await page.$("main")) !== null, `HTTP ${res.status()}`);
    const violations = await runAxe(page);
    check("axe 404 page served for an unknown URL", violations.length === 0, describeViolations(violations));
  });
  await page.close();
}

async function directionChecks(browser, base) {
  fs.mkdirSync(shotsDir, { recursive: true });
  const page = await openPage(browser);
  const expected = { ar: "rtl", fr: "ltr" };
  for (const lang of languages) {
    const dir = expected[lang] || "ltr";
    const rel = `${lang}/${COMMITMENTS.timeline}`;
    await step(`direction ${lang}`, async () => {
      await visit(page, base + rel);
      const info = await page.evaluate(() => ({
        lang: document.documentElement.lang,
        dir: document.documentElement.dir,
        htmlDirection: getComputedStyle(document.documentElement).direction,
        bodyDirection: getComputedStyle(document.body).direction,
        mainDirection: getComputedStyle(document.querySelector("main") || document.body).direction,
      }));
      check(`<html lang> is ${lang} on /${rel}`, info.lang === lang, JSON.stringify(info));
      check(`<html dir> is ${dir} on /${rel}`, info.dir === dir, JSON.stringify(info));
      check(
        `computed direction is ${dir} on /${rel}`,
        info.htmlDirection === dir && info.bodyDirection === dir && info.mainDirection === dir,
        JSON.stringify(info),
      );
      // The timeline's years follow the reading direction.
      const years = await page.$$eval("svg.gantt text.year", (ts) => ts.map((t) => ({ year: Number(t.textContent), x: t.getBoundingClientRect().x })));
      const byX = [...years].sort((a, b) => a.x - b.x).map((y) => y.year);
      const ascending = byX.every((y, i) => i === 0 || y > byX[i - 1]);
      const descending = byX.every((y, i) => i === 0 || y < byX[i - 1]);
      check(
        `timeline runs ${dir === "rtl" ? "right to left" : "left to right"} on /${rel}`,
        years.length > 1 && (dir === "rtl" ? descending : ascending),
        `years from left to right on screen: ${byX.join(", ")}`,
      );
      // So do the bar charts. The real portal has no series of two figures yet, so the
      // feeds fixture (two dated reports on one activity) is built and read here, in its
      // languages (Arabic and French: both directions); the real portal's English pages
      // are left to right as French is.
      const fixtureBase = await fixtureSite();
      const chartLang = lang === "en" ? "fr" : lang;
      await visit(page, `${fixtureBase}${chartLang}/plans/2024-2027/commitments/open-data/`);
      const bars = await page.$$eval("svg.indicator-chart", (svgs) =>
        svgs.map((svg) => [...svg.querySelectorAll("text.label")].map((t) => ({ year: parseInt(t.textContent.match(/\d{4}/)?.[0] ?? "0", 10), x: t.getBoundingClientRect().x }))),
      );
      const chartsOk = bars.length > 0 && bars.every((labels) => {
        const order = [...labels].sort((a, b) => a.x - b.x).map((l) => l.year);
        return order.length > 1 && order.every((y, i) => i === 0 || (dir === "rtl" ? y <= order[i - 1] : y >= order[i - 1]));
      });
      check(`bar charts run ${dir === "rtl" ? "right to left" : "left to right"} (progress over time on the fixture, ${chartLang})`, chartsOk, JSON.stringify(bars));
      await visit(page, base + rel);
      await page.screenshot({ path: path.join(shotsDir, `commitment-${lang}.png`), fullPage: true });
      // On a phone, the page itself never scrolls sideways (wide tables scroll in place).
      await page.setViewport({ width: 375, height: 740, isMobile: true, hasTouch: true });
      await page.reload({ waitUntil: "load" });
      const overflow = await sidewaysOverflow(page);
      check(`no sideways scrolling on a phone on /${rel}`, overflow.ok, JSON.stringify(overflow));
      await page.screenshot({ path: path.join(shotsDir, `commitment-${lang}-phone.png`), fullPage: true });
      await page.setViewport({ width: 1280, height: 900 });
      await page.reload({ waitUntil: "load" });

      // The language switcher leads to the twin page.
      for (const other of languages.filter((l) => l !== lang)) {
        await visit(page, base + rel);
        const link = await page.$(`a[hreflang="${other}"]:not([href^="http"]), nav a[hreflang="${other}"]`);
        if (!check(`language switcher to ${other} present on /${rel}`, link !== null)) continue;
        await Promise.all([page.waitForNavigation({ waitUntil: "load" }), link.click()]);
        const want = new URL(twinPath(`/${rel}`, lang, other), base).pathname;
        const got = new URL(page.url()).pathname;
        check(`language switcher on /${rel} leads to the ${other} twin`, got === new URL(base).pathname.replace(/\/$/, "") + want || got === want, `landed on ${got}, expected ${want}`);
        const twin = await page.evaluate(() => ({ lang: document.documentElement.lang, dir: document.documentElement.dir, direction: getComputedStyle(document.documentElement).direction }));
        check(`the ${other} twin has lang=${other} and dir=${expected[other] || "ltr"}`, twin.lang === other && twin.dir === (expected[other] || "ltr") && twin.direction === twin.dir, JSON.stringify(twin));
      }
    });
  }
  // Print stylesheets: an A4 sheet of a commitment, in each language.
  for (const lang of languages) {
    await step(`print ${lang}`, async () => {
      await page.setViewport({ width: 794, height: 1123 });
      await page.emulateMediaType("print");
      await visit(page, `${base}${lang}/${COMMITMENTS.chart}`);
      // The page has a site header on screen, and print hides it: a page without a
      // header (a broken template) fails here rather than passing for hidden.
      const header = await page.evaluate(() => {
        const h = document.querySelector("header");
        return { present: !!h, display: h ? getComputedStyle(h).display : null };
      });
      check(`print hides the site header (${lang})`, header.present && header.display === "none", JSON.stringify(header));
      const canonical = await page.evaluate(() => {
        const href = document.querySelector('link[rel="canonical"]')?.href;
        return { href, shown: !!href && document.body.innerText.includes(href) };
      });
      check(`a printed sheet shows its web address (${lang})`, canonical.shown, JSON.stringify(canonical));
      const png = path.join(shotsDir, `commitment-${lang}-print.png`);
      const pdf = path.join(shotsDir, `commitment-${lang}-print.pdf`);
      fs.rmSync(png, { force: true });
      fs.rmSync(pdf, { force: true });
      await page.screenshot({ path: png, fullPage: true });
      const bytes = await page.pdf({ path: pdf, format: "A4", printBackground: true });
      await page.emulateMediaType("screen");
      await page.setViewport({ width: 1280, height: 900 });
      // The PDF is a real document of at least one page, not an empty file.
      const written = fs.existsSync(png) && fs.statSync(png).size > 0 && fs.existsSync(pdf) && fs.statSync(pdf).size > 1000;
      const pages = (Buffer.from(bytes).toString("latin1").match(/\/Type\s*\/Page[^s]/g) || []).length;
      check(`print screenshot and A4 PDF saved (${lang})`, written && pages >= 1, `written ${written}, ${pages} PDF page(s)`);
    });
  }
  // A few more screenshots for a human eye: dashboards, a chart, a participation table.
  for (const lang of languages) {
    for (const [name, rel] of [
      ["dashboard", `${lang}/`],
      ["chart", `${lang}/${COMMITMENTS.chart}`],
      ["assessments", `${lang}/${COMMITMENTS.assessments}`],
      ["participation", `${lang}/${COMMITMENTS.participation}`],
      ["plan", `${lang}/plans/2024-2027/`],
      ["history", `${lang}/${COMMITMENTS.reported}`],
    ]) {
      await step(`screenshot ${name} ${lang}`, async () => {
        await visit(page, base + rel);
        await page.screenshot({ path: path.join(shotsDir, `${name}-${lang}.png`), fullPage: true });
      });
    }
  }
  await page.close();
}

async function searchChecks(browser, base) {
  const page = await openPage(browser);
  const cases = {
    ar: [
      // ة written ه
      ["المعلومه", (t) => t.includes("المعلومة")],
      // hamza on alif dropped: الإشراف written الاشراف
      ["لجنة الاشراف", (t) => t.includes("الإشراف")],
      // إلى written الى, and أ written ا
      ["الولوج الى المعلومات", (t) => t.includes("الولوج إلى المعلومات")],
    ],
    fr: [
      ["egalite", (t) => /égalité/i.test(t)],
      ["acces a l'information", (t) => t.includes("accès à l'information")],
      ["societe civile", (t) => t.includes("société civile")],
    ],
  };
  for (const lang of languages) {
    for (const [query, matches] of cases[lang] || []) {
      await step(`search ${lang} "${query}"`, async () => {
        await visit(page, `${base}${lang}/search/`);
        const input = (await page.$("form[role=search] input[type=search]")) || (await page.$("input[type=search]"));
        if (!check(`search box on /${lang}/search/`, input !== null)) return;
        await input.type(query);
        await page.waitForFunction(() => document.querySelectorAll("#search-results li").length > 0, { timeout: 5000 }).catch(() => {});
        const titles = await page.$$eval("#search-results li a", (as) => as.map((a) => a.textContent));
        const hrefsOk = await page.$$eval("#search-results li a", (as) => as.every((a) => a.getAttribute("href").startsWith("/") || a.href.startsWith(location.origin)));
        check(
          `search ${lang} "${query}" finds ${lang === "ar" ? "the letter-variant spelling" : "the accented title"}`,
          titles.some(matches),
          `results: ${titles.slice(0, 8).join(" | ") || "(none)"}`,
        );
        check(`search ${lang} "${query}" results link inside the site`, hrefsOk);
        check(`search ${lang} "${query}" without load errors`, page.problems.length === 0, page.problems.join("\n"));
      });
    }
  }
  // Spellings that differ only by letters the search folds give exactly the results of
  // the plain spelling: alif maqsura (ى) and yaa (ي) both ways, and tatweel (ـ) dropped.
  const variants = [
    ["إلى المعلومات", "إلي المعلومات", "ى typed ي"],
    ["في مجال", "فى مجال", "ي typed ى"],
    ["المعلومات", "المعلـــومات", "tatweel"],
    ["الشفافية", "الشفـافية", "tatweel"],
  ];
  if (languages.includes("ar")) {
    for (const [plain, variant, what] of variants) {
      await step(`search ar "${variant}" (${what})`, async () => {
        const want = await searchResults(page, `${base}ar/search/`, plain);
        const got = await searchResults(page, `${base}ar/search/`, variant);
        check(
          `search ar "${variant}" (${what}) gives the results of "${plain}"`,
          want.length > 0 && JSON.stringify(got) === JSON.stringify(want),
          `"${plain}": ${want.length} result(s) ${want.slice(0, 3).join(" ")}\n"${variant}": ${got.length} result(s) ${got.slice(0, 3).join(" ")}`,
        );
      });
    }
  }
  await page.close();
}

/// The result links a search page gives for `query`, opened as `?q=…` (the page runs
/// the query on load) once its status line says the search has finished.
async function searchResults(page, url, query) {
  await visit(page, `${url}?q=${encodeURIComponent(query)}`);
  await page.waitForFunction(() => (document.getElementById("search-status")?.textContent || "").trim().length > 0, { timeout: 15000 });
  return page.$$eval("#search-results li a", (as) => as.map((a) => a.getAttribute("href")));
}

// ================================================================ search index (issue 13)
// Chunked, stemmed search: Arabic spelling variants give identical results; singular
// and plural, with or without the article, give the same pages in both languages; a
// quoted phrase narrows; facets narrow, work from the keyboard, and live in the URL.

async function searchFor(page, base, lang, query, extra = "") {
  await visit(page, `${base}${lang}/search/?q=${encodeURIComponent(query)}${extra}`);
  await page.waitForFunction(() => document.getElementById("search-status").textContent.trim() !== "", { timeout: 10000 });
  return page.evaluate(() => ({
    status: document.getElementById("search-status").textContent,
    hrefs: [...document.querySelectorAll("#search-results li > a")].map((a) => a.getAttribute("href")),
    marks: document.querySelectorAll("#search-results mark").length,
  }));
}

async function searchIndexChecks(browser, base) {
  const page = await openPage(browser);
  // axe-core is injected as an inline script, which the pages' Content-Security-Policy
  // refuses; this page bypasses it (the CSP checks use pages of their own).
  await page.setBypassCSP(true);
  const same = {
    ar: [
      ["المعلومة", "المعلومه"],
      ["الإشراف", "الاشراف"],
      ["إلى المعلومات", "الى المعلومات"],
      ["مؤشر", "مُؤَشِّر"],
      ["المؤشرات", "مؤشر"],
      ["الالتزامات", "التزام"],
      ["المعلومات", "معلومة"],
      ["الشفافية", "شفافيه"],
    ],
    fr: [
      ["engagements", "engagement"],
      ["indicateurs", "indicateur"],
      ["l'information", "information"],
      ["collectivités territoriales", "collectivite territoriale"],
      ["Égalité", "egalite"],
    ],
    // English (when the portal has it): plural and singular meet (Snowball English).
    // Not "activities"/"activity": untranslated French text is searched with French
    // rules too, and "activities" then also meets "activités" (both "activit"), which
    // the singular does not; the two rightly differ on a portal with French fallback.
    en: [
      ["commitments", "commitment"],
      ["indicators", "indicator"],
      ["reports", "report"],
      ["institutions", "institution"],
    ],
  };
  for (const lang of languages) {
    for (const [a, b] of same[lang] || []) {
      await step(`search ${lang} "${a}" = "${b}"`, async () => {
        const ra = await searchFor(page, base, lang, a);
        const rb = await searchFor(page, base, lang, b);
        check(
          `search ${lang} "${a}" and "${b}" give the same results`,
          ra.hrefs.length > 0 && ra.status === rb.status && JSON.stringify(ra.hrefs) === JSON.stringify(rb.hrefs),
          `${ra.status} ${ra.hrefs.slice(0, 3).join(" ")} | ${rb.status} ${rb.hrefs.slice(0, 3).join(" ")}`,
        );
        check(`search ${lang} "${a}" highlights the matched words`, ra.marks > 0, `marks: ${ra.marks}`);
        check(`search ${lang} "${a}" without load errors`, page.problems.length === 0, page.problems.join("\n"));
      });
    }
  }
  await step("search: a quoted phrase narrows", async () => {
    const loose = await searchFor(page, base, "fr", "information accès");
    const phrase = await searchFor(page, base, "fr", "\"accès à l'information\"");
    check(
      "a quoted phrase finds a subset of its words' results",
      phrase.hrefs.length > 0 && parseInt(phrase.status.replace(/\D/g, ""), 10) <= parseInt(loose.status.replace(/\D/g, ""), 10),
      `${phrase.status} vs ${loose.status}`,
    );
  });
  for (const lang of languages) {
    await step(`search facets ${lang}`, async () => {
      const query = lang === "ar" ? "المعلومات" : "information";
      const all = await searchFor(page, base, lang, query);
      const box = await page.$("#search-facets input[type=checkbox][name=kind][value=commitment]");
      if (!check(`search ${lang}: a kind facet offers commitments`, box !== null)) return;
      // Keyboard: focus the checkbox and press Space.
      await box.focus();
      await page.keyboard.press("Space");
      await page.waitForFunction((before) => document.getElementById("search-status").textContent !== before, { timeout: 5000 }, all.status).catch(() => {});
      const url = new URL(page.url());
      const narrowed = await page.evaluate(() => ({
        status: document.getElementById("search-status").textContent,
        hrefs: [...document.querySelectorAll("#search-results li > a")].map((a) => a.getAttribute("href")),
        focused: document.activeElement && document.activeElement.id,
      }));
      check(`search ${lang}: the kind facet is in the URL`, url.searchParams.getAll("kind").includes("commitment") && url.searchParams.get("q") === query, url.search);
      check(
        `search ${lang}: the kind facet narrows to commitments`,
        narrowed.hrefs.length > 0 && narrowed.status !== all.status && narrowed.hrefs.every((h) => /\/commitments\/[^/#]+\/$/.test(h)),
        `${all.status} → ${narrowed.status}: ${narrowed.hrefs.slice(0, 3).join(" ")}`,
      );
      check(`search ${lang}: focus stays on the facet after it narrows`, narrowed.focused === "facet-kind-commitment", String(narrowed.focused));
      // The URL alone restores the narrowed results.
      const again = await searchFor(page, base, lang, query, "&kind=commitment");
      const checked = await page.$eval("#facet-kind-commitment", (el) => el.checked).catch(() => false);
      check(`search ${lang}: a facet in the URL is applied on load`, checked && again.status === narrowed.status, `${again.status} / ${narrowed.status}`);
      const violations = await runAxe(page);
      check(`axe search with facets (${lang})`, violations.length === 0, describeViolations(violations));
    });
  }
  await page.close();
}
// ================================================================ end of search index checks

// ================================================================ search layout (issue 23)
// Results come after the page has shown (on a slow phone network, well after): the status
// line, the filters, the results and the "more" button must fill room kept for them, and
// nothing on screen may move (layout shift, as Lighthouse's CLS counts it). The index is
// held back until the page has painted, so the results always arrive late here.

async function layoutShiftChecks(browser, base) {
  const sizes = [
    ["phone", { width: 375, height: 740, isMobile: true, hasTouch: true }],
    ["desktop", { width: 1280, height: 900 }],
  ];
  for (const lang of languages) {
    for (const [size, viewport] of sizes) {
      await step(`search layout ${lang} ${size}`, async () => {
        const page = await openPage(browser);
        await page.setViewport(viewport);
        await page.setRequestInterception(true);
        const held = [];
        let release = false;
        page.on("request", (req) => {
          const data = /\/search\/.*\.(json|bin)(\?|$)/.test(new URL(req.url()).pathname + "?");
          if (data && !release) held.push(req);
          else req.continue();
        });
        await page.evaluateOnNewDocument(() => {
          window.__shifts = [];
          new PerformanceObserver((list) => {
            for (const e of list.getEntries()) {
              if (e.hadRecentInput) continue;
              const nodes = (e.sources || []).map((s) => (s.node && (s.node.id || s.node.className || s.node.nodeName)) || "?");
              window.__shifts.push(`${e.value.toFixed(4)} (${nodes.join(", ")})`);
            }
          }).observe({ type: "layout-shift", buffered: true });
        });
        const query = lang === "ar" ? "المعلومات" : "information";
        await visit(page, `${base}${lang}/search/?q=${encodeURIComponent(query)}`);
        // Painted: two animation frames after the load event.
        await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
        release = true;
        held.forEach((req) => req.continue());
        await page.waitForFunction(() => document.getElementById("search-status").textContent.trim() !== "", { timeout: 15000 });
        await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
        const seen = await page.evaluate(() => ({
          shifts: window.__shifts,
          results: document.querySelectorAll("#search-results li").length,
          facets: document.querySelectorAll("#search-facets fieldset").length,
          more: !document.getElementById("search-more").hidden,
        }));
        check(`search layout ${lang} ${size}: results, filters and "more" arrived`, seen.results > 0 && seen.facets > 0 && seen.more, JSON.stringify(seen));
        check(`search layout ${lang} ${size}: nothing moves as the results arrive`, seen.shifts.length === 0, seen.shifts.join("; "));
        check(`search layout ${lang} ${size}: without load errors`, page.problems.length === 0, page.problems.join("\n"));
        await page.close();
      });
    }
  }
}

async function noJsChecks(browser, base) {
  const page = await openPage(browser, { js: false });
  for (const lang of languages) {
    const rel = `${lang}/${COMMITMENTS.timeline}`;
    await step(`no JavaScript ${lang}`, async () => {
      await visit(page, base + rel);
      const info = await page.evaluate(() => {
        const svg = document.querySelector("svg.gantt");
        const box = svg && svg.getBoundingClientRect();
        const rows = document.querySelectorAll("table.activities tbody tr");
        const bars = svg ? svg.querySelectorAll("rect.bar").length : 0;
        const rowsVisible = [...rows].filter((r) => r.getBoundingClientRect().height > 0).length;
        return { svg: !!svg, width: box ? box.width : 0, height: box ? box.height : 0, bars, rows: rows.length, rowsVisible, scripts: document.scripts.length };
      });
      check(`without JavaScript the timeline SVG shows on /${rel}`, info.svg && info.width > 100 && info.height > 20 && info.bars > 0, JSON.stringify(info));
      check(`without JavaScript the activity table shows on /${rel}`, info.rows > 0 && info.rowsVisible === info.rows && info.rows === info.bars, JSON.stringify(info));
    });
    await step(`no JavaScript chart ${lang}`, async () => {
      await visit(page, `${base}${lang}/${COMMITMENTS.chart}`);
      const info = await page.evaluate(() => ({
        charts: [...document.querySelectorAll("svg.indicator-chart")].filter((s) => s.getBoundingClientRect().width > 0).length,
        text: document.body.innerText,
      }));
      check(`without JavaScript the indicator chart shows on /${lang}/${COMMITMENTS.chart}`, info.charts > 0, `charts: ${info.charts}`);
    });
    await step(`decimal figures ${lang}`, async () => {
      // The 2021-2023 plan's mean of its 28 March 2023 figures is 74.5 %; Arabic and
      // French write the decimal with a comma, as Moroccan documents do, English with a
      // point (the language table's style).
      await visit(page, `${base}${lang}/plans/2021-2023/`);
      const text = await page.evaluate(() => document.body.innerText);
      const [written, not] = lang === "en" ? ["74.5", "74,5"] : ["74,5", "74.5"];
      check(`the plan figure 74.5 is written ${written} on /${lang}/plans/2021-2023/`, text.includes(written) && !text.includes(not), text.slice(0, 200));
    });
    await step(`no JavaScript search ${lang}`, async () => {
      await visit(page, `${base}${lang}/search/`);
      const note = await page.evaluate(() => [...document.querySelectorAll("main p")].some((p) => p.getBoundingClientRect().height > 0 && p.closest("main") && p.textContent.includes("JavaScript")));
      check(`without JavaScript the search page says it needs JavaScript (${lang})`, note);
    });
  }
  await page.close();
}

/// The policy every page carries in a <meta> tag (themes/default/templates/base.html).
const CSP_DIRECTIVES = ["default-src 'self'", "script-src 'self'", "style-src 'self'", "object-src 'none'", "base-uri 'self'"];

/// The page's Content-Security-Policy meta, and that nothing on it breaks the policy.
async function checkCsp(page, label) {
  const policy = await page.evaluate(() => document.querySelector('meta[http-equiv="Content-Security-Policy"]')?.content ?? null);
  check(`CSP meta on ${label}`, policy !== null && CSP_DIRECTIVES.every((d) => policy.includes(d)) && !policy.includes("unsafe-inline"), `policy: ${policy}`);
  // Let late violations (a script run after load) arrive.
  await new Promise((r) => setTimeout(r, 100));
  check(`no CSP violation on ${label}`, page.csp.length === 0, page.csp.join("\n"));
}

async function cspChecks(browser, base) {
  const page = await openPage(browser);
  // The detector itself: a style attribute added after load is a violation it must see.
  await step("CSP violations are detected", async () => {
    await visit(page, `${base}${languages[0]}/`);
    await page.evaluate(() => document.body.appendChild(document.createElement("div")).setAttribute("style", "color: red"));
    await new Promise((r) => setTimeout(r, 200));
    check("a style attribute added to a page is reported as a CSP violation", page.csp.length > 0, "no violation seen: the check below would prove nothing");
  });
  for (const lang of languages) {
    for (const [kind, rel] of [
      ["dashboard", `${lang}/`],
      ["plan (progress bars)", `${lang}/plans/2021-2023/`],
      ["commitment", `${lang}/${COMMITMENTS.chart}`],
      ["open data (JSON-LD)", `${lang}/open-data/`],
    ]) {
      await step(`CSP ${kind} (${lang})`, async () => {
        await visit(page, base + rel);
        await checkCsp(page, `${kind} /${rel}`);
        if (kind.startsWith("plan")) {
          // Bars keep their width without a style attribute.
          const widths = await page.$$eval(".progress .fill", (fs) => fs.map((f) => f.getBoundingClientRect().width / f.parentElement.getBoundingClientRect().width));
          check(`progress bars have their width under the CSP (${lang})`, widths.length > 0 && widths.some((w) => w > 0.05), JSON.stringify(widths.slice(0, 5)));
        }
      });
    }
    await step(`CSP search (${lang})`, async () => {
      await visit(page, `${base}${lang}/search/`);
      const input = await page.$("input[type=search]");
      await input.type(lang === "ar" ? "المعلومات" : "information");
      const found = await page.waitForFunction(() => document.querySelectorAll("#search-results li").length > 0, { timeout: 5000 }).then(() => true, () => false);
      check(`search.js runs and finds results under the CSP (${lang})`, found);
      await checkCsp(page, `search /${lang}/search/`);
    });
  }
  await page.close();
}

/// `shafaf serve` on a copy of the feeds fixture: pages keep their policy, the injected
/// live-reload script and error banner break nothing, and an edit reloads the page.
async function serveChecks(browser) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "shafaf-serve-"));
  fs.cpSync(path.join(repoRoot, "tests/fixtures/feeds-site"), dir, { recursive: true });
  const child = spawn(shafafBin, ["serve", "--root", dir, "--port", "0"], { stdio: ["ignore", "ignore", "pipe"] });
  let log = "";
  try {
    const base = await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`serve did not start:\n${log}`)), 60000);
      child.stderr.on("data", (chunk) => {
        log += chunk;
        const m = log.match(/serving .* at (http:\/\/127\.0\.0\.1:\d+\/)/);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]);
        }
      });
      child.on("exit", (code) => reject(new Error(`serve exited with ${code}:\n${log}`)));
    });
    const page = await openPage(browser);
    const lang = languages[languages.length - 1];
    const rel = `${lang}/plans/2024-2027/commitments/open-data/`;
    await step("serve: CSP and live reload", async () => {
      let streams = 0;
      page.on("request", (req) => {
        if (req.url().endsWith("/__shafaf/events")) streams += 1;
      });
      await visit(page, base + rel);
      await checkCsp(page, `a served page /${rel}`);
      check("serve: the live-reload script opens its event stream under the CSP", streams > 0);
      // An edit reloads the page; a broken file shows the banner, still within the policy.
      const sheet = path.join(dir, "content/plans/2024-2027/commitments/open-data.yaml");
      const text = fs.readFileSync(sheet, "utf8");
      const reloaded = page.waitForNavigation({ waitUntil: "load", timeout: 20000 }).then(() => true, () => false);
      fs.writeFileSync(sheet, text.replace(/^number: (\d+)/m, "number: oops"));
      check("serve: an edit reloads the open page", await reloaded, log);
      // The rebuild announces in steps (the page, then the pages that list it); let the
      // reloads settle, then look at the page afresh.
      await new Promise((r) => setTimeout(r, 2000));
      await visit(page, base + rel);
      const banner = await page.$("#shafaf-errors");
      check("serve: a content error shows the banner", banner !== null, log);
      const styled = await page.evaluate(() => {
        const b = document.getElementById("shafaf-errors");
        return !!b && getComputedStyle(b).whiteSpace === "pre-wrap";
      });
      check("serve: the banner is styled from its stylesheet, not a style attribute", styled);
      await checkCsp(page, "a served page with the error banner");
    });
    await page.close();
  } finally {
    child.kill();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

let fixture = null;

/// The feeds fixture built once (as of 2025-06-15) and served on its own port.
async function fixtureSite() {
  if (fixture) return fixture.base;
  const out = fs.mkdtempSync(path.join(os.tmpdir(), "shafaf-fixture-"));
  const dir = path.join(out, "public");
  const root = path.join(repoRoot, "tests/fixtures/feeds-site");
  const r = spawnSync(shafafBin, ["build", "--root", root, "--out", dir, "--as-of", "2025-06-15", "--quiet"], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`building the feeds fixture failed:\n${r.stdout}\n${r.stderr}`);
  fixture = await startServer(dir);
  return fixture.base;
}

/// The fixture repository built into a site: revisions, the changes page, a withdrawn
/// sheet (the real portal's as-of date comes before its content's commits, so it shows
/// none).
function historySite() {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), "shafaf-history-"));
  const repo = path.join(out, "repo");
  const made = spawnSync("bash", [path.join(repoRoot, "tests/fixtures/history/make-repo.sh"), repo], { encoding: "utf8" });
  if (made.status !== 0) throw new Error(`make-repo.sh failed:\n${made.stdout}\n${made.stderr}`);
  const dir = path.join(out, "public");
  const built = spawnSync(shafafBin, ["build", "--root", repo, "--out", dir, "--quiet"], { encoding: "utf8" });
  if (built.status !== 0) throw new Error(`building the fixture repository failed:\n${built.stdout}\n${built.stderr}`);
  return { out, dir };
}

async function historyChecks(browser) {
  const { out, dir } = historySite();
  const served = await startServer(dir);
  const page = await openPage(browser);
  await page.setBypassCSP(true);
  try {
    for (const lang of ["ar", "fr"]) {
      const targets = [
        ["sheet with revisions", `${lang}/plans/2024-2027/commitments/open-data/`, "#changes-h ~ ol li.revision"],
        ["changes page", `${lang}/changes/`, "li.revision"],
        ["plan with a withdrawn sheet", `${lang}/plans/2024-2027/`, "#withdrawn-h ~ ul li"],
      ];
      for (const [kind, rel, selector] of targets) {
        await step(`axe ${kind} (${lang})`, async () => {
          const res = await visit(page, served.base + rel);
          check(`${kind} (${lang}) shows its revisions`, res.status() === 200 && (await page.$(selector)) !== null, `/${rel} HTTP ${res.status()}`);
          const violations = await runAxe(page);
          check(`axe ${kind} (${lang}) /${rel}`, violations.length === 0, describeViolations(violations));
          check(`no load errors ${kind} (${lang})`, page.problems.length === 0, page.problems.join("\n"));
        });
      }
    }
    await step("links of the fixture repository's site", () => checkLinks("in the fixture repository's site", served.base, dir));
  } finally {
    await page.close();
    served.server.close();
    fs.rmSync(out, { recursive: true, force: true });
  }
}

function rebuildUnderSubPath(port) {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), "shafaf-subpath-"));
  const dir = path.join(out, "public");
  const baseUrl = `http://127.0.0.1:${port}/sub/path/`;
  if (!fs.existsSync(shafafBin)) throw new Error(`${shafafBin} does not exist; build it (cargo build --release) or set SHAFAF_BIN`);
  const r = spawnSync(shafafBin, ["build", "--root", repoRoot, "--out", dir, "--base-url", baseUrl, "--quiet"], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`shafaf build --base-url ${baseUrl} failed:\n${r.stdout}\n${r.stderr}`);
  return { dir, out };
}

// ---------------------------------------------------------------- main

/// What the portal claims about delivery: never more than the reports support.
async function accountabilityChecks(browser, base) {
  const page = await openPage(browser, { js: false });
  const expect = {
    fr: { none: "Aucun avancement déclaré à ce jour", date: "28 mars 2023", nav: "Derniers rapports d'avancement", source: "Procès-verbal de la réunion du comité de pilotage" },
    ar: { none: "لم يُبلَّغ عن أي تقدم إلى حد الآن", date: "28 مارس 2023", nav: "آخر تقارير التقدم", source: "محضر اجتماع لجنة الإشراف" },
  };
  for (const lang of languages) {
    const words = expect[lang];
    if (!words) continue;
    await step(`not reported is said, never drawn as 0 % (${lang})`, async () => {
      await visit(page, `${base}${lang}/${COMMITMENTS.timeline}`);
      const info = await page.evaluate(() => {
        const box = document.querySelector(".status-box");
        return {
          bars: box ? box.querySelectorAll('[role="progressbar"]').length : -1,
          text: box ? box.innerText : "",
          zero: /(^|\s)0\s?%/.test(document.querySelector("main").innerText),
          badges: [...document.querySelectorAll("table.activities .badge")].map((b) => b.className),
        };
      });
      check(`the status box of an unreported sheet has no progress bar (${lang})`, info.bars === 0, JSON.stringify(info));
      check(`the status box says nothing was reported (${lang})`, info.text.includes(words.none), info.text);
      check(`no 0 % anywhere on an unreported sheet (${lang})`, !info.zero);
      check(
        `activities are not reported or not started, never delayed (${lang})`,
        info.badges.length > 0 && info.badges.every((c) => /s-not-reported|s-not-started/.test(c)),
        JSON.stringify(info.badges),
      );
    });
    await step(`a reported figure carries its date and source (${lang})`, async () => {
      await visit(page, `${base}${lang}/${COMMITMENTS.reported}`);
      const info = await page.evaluate(() => {
        const items = [...document.querySelectorAll("ol.history > li")];
        return { count: items.length, text: items.map((li) => li.innerText).join("\n"), ids: items.map((li) => li.id) };
      });
      check(`the history lists the 28 March 2023 report (${lang})`, info.count === 1 && info.text.includes(words.date) && info.text.includes("62"), JSON.stringify(info));
      check(`the report names its source, the minutes (${lang})`, info.text.includes(words.source), info.text);
      check(`the report has a stable anchor for the Atom feed (${lang})`, info.ids[0] === "report-commitment-1", JSON.stringify(info.ids));
    });
    await step(`the latest reports page is linked and lists reports (${lang})`, async () => {
      await visit(page, `${base}${lang}/`);
      const nav = await page.evaluate(() => [...document.querySelectorAll(".main-nav a")].map((a) => a.textContent.trim()));
      check(`the main navigation links the latest reports (${lang})`, nav.includes(words.nav), JSON.stringify(nav));
      // 22 reports of 28 March 2023 and the House's of 2022, 20 to a page, newest first.
      await visit(page, `${base}${lang}/updates/`);
      const first = await page.evaluate(() => document.querySelectorAll("ol.history > li").length);
      await visit(page, `${base}${lang}/updates/page/2/`);
      const second = await page.evaluate(() => [...document.querySelectorAll("ol.history > li")].map((li) => li.innerText));
      check(`the latest reports list the 2021-2023 and House reports, 20 to a page (${lang})`, first === 20 && second.length === 3, `${first} + ${second.length}`);
      check(`the House's 2022 report comes last (${lang})`, second.length > 0 && second[second.length - 1].includes("2022"), second.join(" | ").slice(0, 300));
    });
    await step(`lists are paginated and sorted without JavaScript (${lang})`, async () => {
      await visit(page, `${base}${lang}/plans/2021-2023/`);
      const first = await page.evaluate(() => ({
        rows: document.querySelectorAll("table.commitments tbody tr").length,
        next: document.querySelector('a[rel="next"]')?.getAttribute("href"),
        orders: [...document.querySelectorAll(".sort-orders a")].map((a) => a.getAttribute("href")),
      }));
      check(`page 1 of the 2021-2023 plan holds 20 rows and links page 2 (${lang})`, first.rows === 20 && /\/plans\/2021-2023\/page\/2\/$/.test(first.next || ""), JSON.stringify(first));
      check(`the other orders are links (${lang})`, first.orders.some((h) => h.endsWith("/by-progress/")) && first.orders.some((h) => h.endsWith("/by-status/")), JSON.stringify(first.orders));
      await visit(page, `${base}${lang}/plans/2021-2023/page/2/`);
      const second = await page.evaluate(() => ({
        rows: document.querySelectorAll("table.commitments tbody tr").length,
        prev: document.querySelector('a[rel="prev"]')?.getAttribute("href"),
        numbers: [...document.querySelectorAll("table.commitments tbody tr td:first-child")].map((td) => td.textContent.trim()),
      }));
      check(`page 2 holds commitments 21 and 22 and links back (${lang})`, second.rows === 2 && second.numbers.join(",") === "21,22" && !!second.prev, JSON.stringify(second));
      await visit(page, `${base}${lang}/plans/2021-2023/by-progress/`);
      const values = await page.evaluate(() => [...document.querySelectorAll("table.commitments [role=progressbar]")].map((b) => Number(b.getAttribute("aria-valuenow"))));
      check(`by progress, the figures only go down (${lang})`, values.length === 20 && values.every((v, i) => i === 0 || v <= values[i - 1]), JSON.stringify(values));
    });
    await step(`the plan report prints on A4 without navigation (${lang})`, async () => {
      await page.emulateMediaType("print");
      await visit(page, `${base}${lang}/plans/2021-2023/report/`);
      const info = await page.evaluate(() => ({
        nav: [...document.querySelectorAll("nav, .site-header, .breadcrumb")].filter((n) => getComputedStyle(n).display !== "none").length,
        sections: document.querySelectorAll(".report-commitment").length,
        present: !!document.querySelector(".site-header"),
      }));
      check(`the printed report hides every navigation (${lang})`, info.present && info.nav === 0, JSON.stringify(info));
      check(`the report has one section per commitment (${lang})`, info.sections === 22, JSON.stringify(info));
      await page.pdf({ path: path.join(shotsDir, `plan-report-${lang}.pdf`), format: "A4", printBackground: true });
      await page.emulateMediaType("screen");
    });
    await step(`an institution's report lists its page's commitments and prints without navigation (${lang})`, async () => {
      // Every commitment the institution page lists, led or as a partner, over all its pages.
      const listed = new Set();
      let url = `${base}${lang}/institutions/digital-transition/`;
      let reportLink = null;
      for (let guard = 0; url && guard < 50; guard++) {
        await visit(page, url);
        const found = await page.evaluate(() => ({
          hrefs: [...document.querySelectorAll("table.commitments tbody th a")].map((a) => a.getAttribute("href")),
          next: document.querySelector('a[rel="next"]')?.href ?? null,
          report: [...document.querySelectorAll("a")].find((a) => a.getAttribute("href")?.endsWith("/institutions/digital-transition/report/"))?.href ?? null,
        }));
        found.hrefs.forEach((h) => listed.add(h));
        reportLink = reportLink ?? found.report;
        url = found.next;
      }
      check(`the institution page links its report (${lang})`, !!reportLink, String(reportLink));
      await page.emulateMediaType("print");
      await visit(page, `${base}${lang}/institutions/digital-transition/report/`);
      const info = await page.evaluate(() => ({
        nav: [...document.querySelectorAll("nav, .site-header, .breadcrumb")].filter((n) => getComputedStyle(n).display !== "none").length,
        hrefs: [...document.querySelectorAll(".report-commitment h4 a")].map((a) => a.getAttribute("href")),
        plans: document.querySelectorAll(".report-plan").length,
        bars: document.querySelectorAll(".report-commitment [role=progressbar]").length,
        pages: document.querySelectorAll('a[rel="next"]').length,
      }));
      const inReport = new Set(info.hrefs);
      check(`the printed institution report hides every navigation (${lang})`, info.nav === 0, JSON.stringify(info.nav));
      check(`the report holds its page's commitments, each once (${lang})`,
        listed.size > 0 && info.hrefs.length === inReport.size && inReport.size === listed.size && [...listed].every((h) => inReport.has(h)),
        JSON.stringify({ listed: listed.size, report: info.hrefs.length, missing: [...listed].filter((h) => !inReport.has(h)) }));
      check(`the report groups them by plan, on one page (${lang})`, info.plans >= 2 && info.pages === 0, JSON.stringify(info.plans));
      await page.pdf({ path: path.join(shotsDir, `institution-report-${lang}.pdf`), format: "A4", printBackground: true });
      await page.emulateMediaType("screen");
    });
  }
  await page.close();
}

async function main() {
  if (languages.length === 0) {
    fail("languages", `no language folder with an index.html under ${siteDir}`);
    return;
  }
  console.log(`site ${siteDir}, languages ${languages.join(", ")}`);
  const { server, base } = await startServer(siteDir);
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), "shafaf-chromium-"));
  let browser;
  try {
    browser = await puppeteer.launch({
      executablePath: chromiumPath,
      headless: true,
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--no-first-run",
        "--disable-sync",
        `--user-data-dir=${userDataDir}`,
      ],
    });
    console.log(`\n== links (${base})`);
    await step("links at /", () => checkLinks("under /", base, siteDir));
    console.log("\n== direction, language switcher, screenshots");
    await directionChecks(browser, base);
    console.log("\n== search");
    await searchChecks(browser, base);
    await searchIndexChecks(browser, base);
    await layoutShiftChecks(browser, base);
    console.log("\n== without JavaScript");
    await noJsChecks(browser, base);
    console.log("\n== accountability: reports, history, the plan report");
    await accountabilityChecks(browser, base);
    console.log("\n== Content-Security-Policy");
    await cspChecks(browser, base);
    await step("serve", () => serveChecks(browser));
    console.log("\n== axe-core (" + AXE_TAGS.join(", ") + ")");
    await axeChecks(browser, base);
    console.log("\n== revisions from git (the fixture repository)");
    await step("revisions", () => historyChecks(browser));

    console.log("\n== the site under a sub-path");
    const sub = await startServer(siteDir, "/sub/path/");
    await step("links under /sub/path/", async () => {
      const { dir, out } = rebuildUnderSubPath(sub.port);
      sub.root.dir = dir;
      try {
        await checkLinks("under /sub/path/", sub.base, dir);
        // Pages load their stylesheet and scripts under the sub-path, and search works.
        const page = await openPage(browser);
        const lang = languages[languages.length - 1];
        await visit(page, `${sub.base}${lang}/${COMMITMENTS.timeline}`);
        const styled = await page.evaluate(() => getComputedStyle(document.querySelector("header") || document.body).backgroundColor !== "rgba(0, 0, 0, 0)");
        check("the stylesheet loads under /sub/path/", styled);
        check("no load errors under /sub/path/", page.problems.length === 0, page.problems.join("\n"));
        await visit(page, `${sub.base}${lang}/search/?q=${encodeURIComponent(lang === "ar" ? "المعلومات" : "information")}`);
        const found = await page.waitForFunction(() => document.querySelectorAll("#search-results li a").length > 0, { timeout: 5000 }).then(() => true, () => false);
        const hrefs = found ? await page.$$eval("#search-results li a", (as) => as.map((a) => new URL(a.href).pathname)) : [];
        check("search works under /sub/path/ and its results stay under it", found && hrefs.every((h) => h.startsWith("/sub/path/")), hrefs.slice(0, 5).join(", "));
        await page.close();
      } finally {
        fs.rmSync(out, { recursive: true, force: true });
      }
    });
    sub.server.close();
  } finally {
    if (browser) await browser.close();
    server.close();
    if (fixture) fixture.server.close();
    fs.rmSync(userDataDir, { recursive: true, force: true });
  }
}

await main().catch((err) => fail("browser tests", err && err.stack ? err.stack : String(err)));
console.log(`\n${passed} passed, ${failures.length} failed`);
if (failures.length) {
  console.log(`failed: ${failures.join("; ")}`);
  process.exit(1);
}
