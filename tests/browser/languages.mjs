// Browser checks of a site in any number of languages, in either direction, such as the
// fixture tests/fixtures/zgh-site (Arabic, French, English and Tamazight in Tifinagh):
//
//   node tests/browser/languages.mjs SITE_DIR
//
// For every page kind (found in the build, not named in advance) in every language:
//   1. axe-core (WCAG 2.0/2.1 A and AA) reports no violation, and the page loads with no
//      JavaScript error or failed request;
//   2. <html lang dir> is the page's own language and that language's direction (from
//      the language switcher's own entry), and the computed direction follows;
//   3. every text shown in another language (a <bdi lang> or block with lang) computes
//      that language's direction, and each one marked "not yet translated" has its
//      marker in the reader's language next to it;
//   4. each link of the language switcher leads to the same page in that language;
//   5. text in Tifinagh is drawn with a font that has its glyphs (no fallback box).
// Environment: CHROMIUM (default /usr/bin/chromium). Prints PASS/FAIL lines and exits
// non-zero on any failure.

import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import puppeteer from "puppeteer-core";

const here = path.dirname(fileURLToPath(import.meta.url));
const chromiumPath = process.env.CHROMIUM || "/usr/bin/chromium";
const axePath = path.join(here, "node_modules/axe-core/axe.min.js");
const AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

const siteDir = path.resolve(process.argv[2] || "");
if (!process.argv[2] || !fs.existsSync(path.join(siteDir, "index.html"))) {
  console.error("usage: node tests/browser/languages.mjs SITE_DIR (a built site)");
  process.exit(2);
}

let passed = 0;
const failures = [];
function check(name, ok, detail = "") {
  if (ok) {
    passed += 1;
  } else {
    failures.push(name);
    console.log(`FAIL  ${name}${detail ? "\n      " + String(detail).replace(/\n/g, "\n      ") : ""}`);
  }
  return ok;
}

const TYPES = { ".html": "text/html; charset=utf-8", ".css": "text/css", ".js": "text/javascript", ".json": "application/json", ".svg": "image/svg+xml", ".xml": "application/xml" };

function startServer(dir) {
  const server = http.createServer((req, res) => {
    const pathname = decodeURIComponent(new URL(req.url, "http://x").pathname);
    let file = path.resolve(dir, "." + pathname);
    if (!file.startsWith(dir)) file = path.join(dir, "404.html");
    if (fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, "index.html");
    const found = fs.existsSync(file);
    const body = fs.readFileSync(found ? file : path.join(dir, "404.html"));
    res.writeHead(found ? 200 : 404, { "content-type": TYPES[path.extname(found ? file : ".html")] || "application/octet-stream" });
    res.end(body);
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve({ server, base: `http://127.0.0.1:${server.address().port}/` })));
}

const languages = fs
  .readdirSync(siteDir, { withFileTypes: true })
  .filter((e) => e.isDirectory() && /^[a-z]{2,3}$/.test(e.name) && fs.existsSync(path.join(siteDir, e.name, "index.html")))
  .map((e) => e.name)
  .sort();

/// One page of each kind of a language: the first page found under each pattern of its
/// folder's paths (`plans/*/commitments/*/`, `areas/*/` …).
function pageKinds(lang) {
  const pages = [];
  const walk = (dir) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name === "index.html") pages.push(path.relative(siteDir, dir).split(path.sep).join("/") + "/");
    }
  };
  walk(path.join(siteDir, lang));
  pages.sort();
  const kinds = new Map();
  for (const p of pages) {
    const parts = p.split("/").filter(Boolean).slice(1);
    const kind = parts.map((part, i) => (i % 2 === 1 && !["page", "report", "by-status", "by-progress"].includes(part) ? "*" : part)).join("/") || "(home)";
    if (!kinds.has(kind)) kinds.set(kind, p);
  }
  return [...kinds.entries()];
}

async function openPage(browser) {
  const page = await browser.newPage();
  await page.setViewport({ width: 1280, height: 900 });
  page.problems = [];
  page.on("pageerror", (err) => page.problems.push(`JavaScript error: ${err.message}`));
  page.on("requestfailed", (req) => page.problems.push(`request failed: ${req.url()}`));
  page.on("response", (res) => {
    if (res.status() >= 400) page.problems.push(`HTTP ${res.status()}: ${res.url()}`);
  });
  return page;
}

async function runAxe(page) {
  if (!(await page.evaluate(() => typeof window.axe !== "undefined"))) await page.addScriptTag({ path: axePath });
  return page.evaluate(async (tags) => {
    const r = await window.axe.run(document, { runOnly: { type: "tag", values: tags }, resultTypes: ["violations"] });
    return r.violations.map((v) => `${v.id} (${v.nodes.length}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", ")}`);
  }, AXE_TAGS);
}

/// What the page says about its languages, read in the browser.
function readPage() {
  const root = document.documentElement;
  const switcher = [...document.querySelectorAll("nav.lang-switch li > *")].map((e) => ({
    lang: e.getAttribute("lang"),
    dir: e.getAttribute("dir"),
    href: e.getAttribute("href"),
    current: e.getAttribute("aria-current") === "true",
  }));
  const foreign = [...document.querySelectorAll("main [lang], header [lang]:not(nav.lang-switch *)")]
    .filter((e) => e.getAttribute("lang") !== root.lang)
    .map((e) => {
      const next = e.tagName === "BDI" ? (e.closest("a")?.nextElementSibling?.matches("small.untranslated") ? e.closest("a").nextElementSibling : e.nextElementSibling) : e.previousElementSibling;
      return {
        tag: e.tagName.toLowerCase(),
        lang: e.getAttribute("lang"),
        dir: e.getAttribute("dir"),
        computed: getComputedStyle(e).direction,
        marker: next && next.matches(".untranslated") ? next.textContent.trim() : null,
        text: e.textContent.trim().slice(0, 40),
      };
    });
  return { lang: root.lang, dir: root.dir, computed: getComputedStyle(root).direction, switcher, foreign };
}

async function main() {
  console.log(`site ${siteDir}, languages ${languages.join(", ")}`);
  const { server, base } = await startServer(siteDir);
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), "shafaf-chromium-"));
  const browser = await puppeteer.launch({ executablePath: chromiumPath, headless: true, args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", `--user-data-dir=${userDataDir}`] });
  try {
    const page = await openPage(browser);
    await page.setBypassCSP(true);
    // Each language's direction and "not yet translated" marker, from its home page.
    const rows = {};
    for (const lang of languages) {
      await page.goto(`${base}${lang}/`, { waitUntil: "load" });
      const info = await page.evaluate(readPage);
      rows[lang] = { dir: info.dir };
      for (const s of info.switcher) if (s.lang) rows[s.lang] = { ...(rows[s.lang] || {}), dir: s.dir };
    }
    const markers = {};
    const foreignSeen = {};
    for (const lang of languages) {
      for (const [kind, rel] of pageKinds(lang)) {
        const name = `${kind} (${lang})`;
        await page.goto(base + rel, { waitUntil: "load" });
        const violations = await runAxe(page);
        check(`axe ${name}`, violations.length === 0, violations.join("\n"));
        check(`no load errors on ${name}`, page.problems.length === 0, page.problems.join("\n"));
        const info = await page.evaluate(readPage);
        check(`<html lang="${lang}" dir="${rows[lang].dir}"> on /${rel}`, info.lang === lang && info.dir === rows[lang].dir && info.computed === rows[lang].dir, JSON.stringify(info).slice(0, 300));
        check(`the switcher lists every language on /${rel}`, languages.every((l) => info.switcher.some((s) => s.lang === l)) && info.switcher.filter((s) => s.current).length === 1, JSON.stringify(info.switcher));
        if (info.foreign.length > 0) foreignSeen[lang] = true;
        for (const f of info.foreign) {
          const want = rows[f.lang]?.dir;
          check(`${f.tag} lang="${f.lang}" on /${rel} is ${want}`, !!want && f.dir === want && f.computed === want, JSON.stringify(f));
          if (f.marker !== null) {
            markers[lang] ??= new Set();
            markers[lang].add(f.marker);
          }
        }
        // The switcher's links lead to the same page in each language.
        for (const s of info.switcher.filter((s) => !s.current)) {
          const want = "/" + rel.replace(new RegExp(`^${lang}/`), `${s.lang}/`);
          check(`the switcher on /${rel} leads to ${want}`, s.href === want && fs.existsSync(path.join(siteDir, want, "index.html")), JSON.stringify(s));
        }
      }
    }
    // Text from another language was marked on the pages of each language that lacks
    // some, and the marker reads in the reader's language: no wording is shared between
    // two languages (a language without its own would show another's).
    for (const lang of languages) {
      if (!foreignSeen[lang]) continue;
      check(`text from another language is marked on the ${lang} pages`, (markers[lang] || new Set()).size > 0);
      for (const other of languages.filter((l) => l !== lang)) {
        const shared = [...(markers[lang] || [])].filter((m) => (markers[other] || new Set()).has(m));
        check(`the ${lang} pages mark fallback text in their own words, not ${other}'s`, shared.length === 0, JSON.stringify(shared));
      }
    }
    // An index that holds untranslated text stems a query with that text's rules too:
    // on the English search, "nationaux" (English rules keep it whole) finds the French
    // "nationale" of an untranslated activity (both "national" under French rules).
    for (const lang of languages) {
      const manifest = JSON.parse(fs.readFileSync(path.join(siteDir, lang, "search/index.json"), "utf8"));
      if (!manifest.other_rules || !manifest.other_rules.fr || manifest.rules.snowball !== "english") continue;
      // The probe's page is the fixture's (tests/fixtures/zgh-site); other sites skip it.
      if (!fs.existsSync(path.join(siteDir, lang, "plans/2024-2027/commitments/access-to-information/index.html"))) continue;
      const probe = await openPage(browser);
      await probe.goto(`${base}${lang}/search/?q=nationaux`, { waitUntil: "load" });
      const found = await probe.waitForFunction(() => document.querySelectorAll("#search-results li a").length > 0, { timeout: 5000 }).then(() => true, () => false);
      const hrefs = found ? await probe.$$eval("#search-results li a", (as) => as.map((a) => a.getAttribute("href"))) : [];
      check(`the ${lang} search finds untranslated French text by its French stem`, hrefs.some((h) => h.includes("/commitments/access-to-information/")), JSON.stringify(hrefs));
      check(`the ${lang} search loads the French stemmer without errors`, probe.problems.length === 0, probe.problems.join("\n"));
      await probe.close();
    }
    // Tifinagh glyphs come from a font that has them.
    if (languages.includes("zgh")) {
      await page.goto(`${base}zgh/`, { waitUntil: "load" });
      const client = await page.target().createCDPSession();
      await client.send("DOM.enable");
      await client.send("CSS.enable");
      const { root } = await client.send("DOM.getDocument");
      const { nodeId } = await client.send("DOM.querySelector", { nodeId: root.nodeId, selector: "a.brand" });
      const { fonts } = await client.send("CSS.getPlatformFontsForNode", { nodeId });
      check("Tifinagh text is drawn with a font that has its glyphs", fonts.length > 0 && fonts.some((f) => /tifinagh/i.test(f.familyName)) && !fonts.some((f) => /last ?resort/i.test(f.familyName)), JSON.stringify(fonts));
    }
    await page.close();
  } finally {
    await browser.close();
    server.close();
    fs.rmSync(userDataDir, { recursive: true, force: true });
  }
}

await main().catch((err) => check("browser checks", false, err && err.stack ? err.stack : String(err)));
console.log(`\n${passed} passed, ${failures.length} failed`);
if (failures.length) process.exit(1);
