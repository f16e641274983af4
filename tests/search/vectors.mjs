// The browser's search rules agree with Rust's: tests/search/rules.json (checked current
// by a Rust unit test) fed to the analyzer of themes/default/static/search.js must give
// the terms of tests/search/vectors.json (checked by Rust too), French with the vendored
// Snowball stemmer the search page loads (themes/default/static/snowball-french.js).
//   node tests/search/vectors.mjs
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { snowballStemmers } from "./stem.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const core = require(path.join(here, "../../themes/default/static/search.js"));
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
for (const [lang, cases] of Object.entries(vectors.terms)) {
  const an = core.analyzer(rules[lang], snowballStemmers());
  for (const [input, expected] of cases) {
    count += 1;
    const got = an.terms(input);
    if (JSON.stringify(got) !== JSON.stringify(expected)) {
      failed += 1;
      console.log(`FAIL  ${lang} ${JSON.stringify(input)}: ${JSON.stringify(got)} != ${JSON.stringify(expected)}`);
    }
  }
}
// Phrases: quoted words also make pairs.
const fr = core.analyzer(rules.fr, snowballStemmers());
const q = core.parseQuery(fr, 'budget "accès à l\'information"');
if (JSON.stringify(q) !== JSON.stringify({ terms: ["budget", "acce", "inform"], pairs: ["acce inform"] })) {
  failed += 1;
  console.log(`FAIL  phrase query: ${JSON.stringify(q)}`);
}
console.log(`${count - failed + 1}/${count + 1} search vectors and checks agree between Rust and JavaScript`);
process.exit(failed ? 1 : 0);
