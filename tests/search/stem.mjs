// Stems words the way the browser does, for tests/search_snowball.rs: reads a JSON file
// {rules, words} (the rules as Rust writes them into the index manifest) and prints the
// JSON array of search.js's stems (null for a dropped word), with the vendored Snowball
// stemmers of themes/default/static/ loaded as the search page loads them.
//   node tests/search/stem.mjs FILE
import fs from "node:fs";
import path from "node:path";
import vm from "node:vm";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const stat = path.join(here, "../../themes/default/static");

/// The constructors the Snowball scripts define as globals, as a page's <script> would;
/// `locate` finds a script by its theme name (the theme's source by default, or the
/// minified file a built site serves).
export function snowballStemmers(locate = (name) => path.join(stat, name)) {
  const context = vm.createContext({});
  vm.runInContext(fs.readFileSync(locate("snowball-french.js"), "utf8"), context);
  vm.runInContext(fs.readFileSync(locate("snowball-english.js"), "utf8"), context);
  return { french: context.FrenchStemmer, english: context.EnglishStemmer };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const core = require(path.join(stat, "search.js"));
  const { rules, words } = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
  const an = core.analyzer(rules, snowballStemmers());
  process.stdout.write(JSON.stringify(words.map((w) => an.stem(w))));
}
