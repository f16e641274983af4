// The browser's search rules agree with Rust's: tests/search/rules.json (checked current
// by a Rust unit test) fed to the analyzer of themes/default/static/search.js must give
// the terms of tests/search/vectors.json (checked by Rust too), French with the vendored
// Snowball stemmer the search page loads (themes/default/static/snowball-french.js).
// With a built site's folder, the same checks run on the minified scripts it serves too
// (assets/search.<hash>.js and assets/snowball-french.<hash>.js), as the browser runs them.
//   node tests/search/vectors.mjs [PUBLIC]
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { snowballStemmers } from "./stem.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const rules = JSON.parse(fs.readFileSync(path.join(here, "rules.json"), "utf8"));
const vectors = JSON.parse(fs.readFileSync(path.join(here, "vectors.json"), "utf8"));

let failed = 0;
let count = 0;
// The vendored stemmer is what scripts/vendor-snowball.sh wrote: the body after its header
// has the sha256 the header names (an edit by hand would go unchecked otherwise).
for (const script of ["snowball-french.js", "snowball-english.js"]) {
  const text = fs.readFileSync(path.join(here, "../../themes/default/static", script), "utf8");
  const end = text.indexOf("\n */\n") + "\n */\n".length;
  const named = /follows this comment has sha256 ([0-9a-f]{64})/.exec(text.slice(0, end));
  const actual = crypto.createHash("sha256").update(text.slice(end)).digest("hex");
  count += 1;
  if (!named || named[1] !== actual) {
    failed += 1;
    console.log(`FAIL  ${script} differs from the file its header names (sha256 ${actual})`);
  }
}
// The scripts to check: the theme's source, and those a built site serves.
const scripts = [["", require(path.join(here, "../../themes/default/static/search.js")), snowballStemmers()]];
const site = process.argv[2];
if (site) {
  const assets = path.join(site, "assets");
  // The file a theme script is served as: name.js -> assets/name.<hash>.js.
  const served = (name) => {
    const stem = name.replace(/\.js$/, "");
    const found = fs.readdirSync(assets).filter((f) => new RegExp(`^${stem}\\.[0-9a-f]{8}\\.js$`).test(f));
    if (found.length !== 1) throw new Error(`${assets}: ${found.length} files ${stem}.<hash>.js`);
    return path.join(assets, found[0]);
  };
  scripts.push([`${path.basename(served("search.js"))}: `, require(served("search.js")), snowballStemmers(served)]);
}
for (const [label, core, stemmers] of scripts) {
  for (const [lang, cases] of Object.entries(vectors.terms)) {
    const an = core.analyzer(rules[lang], stemmers);
    for (const [input, expected] of cases) {
      count += 1;
      const got = an.terms(input);
      if (JSON.stringify(got) !== JSON.stringify(expected)) {
        failed += 1;
        console.log(`FAIL  ${label}${lang} ${JSON.stringify(input)}: ${JSON.stringify(got)} != ${JSON.stringify(expected)}`);
      }
    }
  }
  // Phrases: quoted words also make pairs.
  const fr = core.analyzer(rules.fr, stemmers);
  const q = core.parseQuery(fr, 'budget "accès à l\'information"');
  count += 1;
  if (JSON.stringify(q) !== JSON.stringify({ terms: ["budget", "acce", "inform"], pairs: ["acce inform"] })) {
    failed += 1;
    console.log(`FAIL  ${label}phrase query: ${JSON.stringify(q)}`);
  }
}
console.log(`${count - failed}/${count} search vectors and checks agree between Rust and JavaScript (${scripts.length === 1 ? "the theme's scripts" : "the theme's scripts and the minified ones of " + site})`);
process.exit(failed ? 1 : 0);
