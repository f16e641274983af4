// Benchmark (not a test): one search query per language on a built site, in headless
// Chromium with an empty cache, served without HTTP compression (so the bytes are an
// upper bound). Prints the bytes transferred for everything but the HTML page (index
// manifest and chunks, fragments, search.js and the language's Snowball stemmer, and
// separately the page's CSS and icon) and the time to the first result, from navigation
// start and from DOMContentLoaded.
//   node scripts/search-bench.mjs SITE_DIR [ar=QUERY] [fr=QUERY]
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(here, "../tests/browser/package.json"));
const puppeteer = require("puppeteer-core");
const siteDir = path.resolve(process.argv[2] || "public");
const queries = { ar: "المعطيات المفتوحة", fr: "engagements transparence" };
for (const arg of process.argv.slice(3)) {
  const [lang, q] = arg.split("=");
  queries[lang] = q;
}
const TYPES = { ".html": "text/html; charset=utf-8", ".css": "text/css", ".js": "text/javascript", ".json": "application/json", ".svg": "image/svg+xml" };
const server = http.createServer((req, res) => {
  let file = path.join(siteDir, decodeURIComponent(new URL(req.url, "http://x").pathname));
  if (file.endsWith("/")) file += "index.html";
  if (!file.startsWith(siteDir) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) {
    res.writeHead(404);
    return res.end();
  }
  res.writeHead(200, { "content-type": TYPES[path.extname(file)] || "application/octet-stream" });
  fs.createReadStream(file).pipe(res);
});
await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
const base = `http://127.0.0.1:${server.address().port}/`;
const browser = await puppeteer.launch({ executablePath: process.env.CHROMIUM || "/usr/bin/chromium", headless: true, args: ["--no-sandbox", "--disable-gpu"] });
// Warm the browser up (process start, first navigation) so that the first language does not pay for it.
{
  const warm = await browser.newPage();
  await warm.goto(base, { waitUntil: "load" });
  await warm.close();
}
for (const [lang, query] of Object.entries(queries)) {
  if (!fs.existsSync(path.join(siteDir, lang, "search", "index.html"))) continue;
  const context = await browser.createBrowserContext();
  const page = await context.newPage();
  const cdp = await page.createCDPSession();
  await cdp.send("Network.enable");
  await cdp.send("Network.setCacheDisabled", { cacheDisabled: true });
  const urls = new Map();
  const bytes = { search: 0, page: 0, html: 0, files: 0 };
  cdp.on("Network.responseReceived", (e) => urls.set(e.requestId, e.response.url));
  cdp.on("Network.loadingFinished", (e) => {
    const url = urls.get(e.requestId) || "";
    const p = new URL(url).pathname;
    if (p.endsWith("/search/")) bytes.html += e.encodedDataLength;
    else if (p.includes("/search/") || /(search|snowball-[a-z]+)\.[0-9a-f]+\.js$/.test(p)) {
      bytes.search += e.encodedDataLength;
      bytes.files += 1;
    } else bytes.page += e.encodedDataLength;
  });
  const url = `${base}${lang}/search/?q=${encodeURIComponent(query)}`;
  await page.goto(url, { waitUntil: "domcontentloaded" });
  await page.waitForFunction(() => document.getElementById("search-status").textContent.trim() !== "", { timeout: 60000, polling: 5 });
  const times = await page.evaluate(() => {
    const nav = performance.getEntriesByType("navigation")[0];
    return { fromNav: performance.now(), fromDom: performance.now() - nav.domContentLoadedEventEnd };
  });
  await new Promise((ok) => setTimeout(ok, 300));
  const count = await page.$eval("#search-status", (el) => el.textContent);
  const kb = (n) => (n / 1024).toFixed(1) + " kB";
  console.log(
    `${lang} "${query}": ${count}; search transfer ${kb(bytes.search)} in ${bytes.files} files (+ page CSS/icon ${kb(bytes.page)}, HTML ${kb(bytes.html)}); ` +
      `first result ${times.fromNav.toFixed(0)} ms after navigation start, ${times.fromDom.toFixed(0)} ms after DOMContentLoaded`,
  );
  await context.close();
}
await browser.close();
server.close();
