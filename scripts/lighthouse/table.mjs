// Prints the four Lighthouse scores (and CLS) of each named report as a table, then the
// audits that cost a page points in a category under 95.
//   node scripts/lighthouse/table.mjs DIR NAME...   (reads DIR/NAME.json)
import fs from "node:fs";
import path from "node:path";

const [dir, ...names] = process.argv.slice(2);
const categories = ["performance", "accessibility", "best-practices", "seo"];
const rows = [["page", "perf", "a11y", "best", "seo", "CLS"]];
const low = [];
for (const name of names) {
  const report = JSON.parse(fs.readFileSync(path.join(dir, `${name}.json`), "utf8"));
  if (report.runtimeError) {
    rows.push([name, "error: " + report.runtimeError.code, "", "", "", ""]);
    continue;
  }
  const scores = categories.map((c) => {
    const score = report.categories[c]?.score;
    return score === null || score === undefined ? "n/a" : Math.round(score * 100);
  });
  const cls = report.audits["cumulative-layout-shift"]?.numericValue;
  rows.push([name, ...scores.map(String), cls === undefined ? "n/a" : cls.toFixed(3)]);
  categories.forEach((c, i) => {
    if (typeof scores[i] === "number" && scores[i] >= 95) return;
    const failing = report.categories[c].auditRefs
      .filter((ref) => ref.weight > 0 && report.audits[ref.id].score !== null && report.audits[ref.id].score < 1)
      .map((ref) => `${ref.id} (${report.audits[ref.id].displayValue || report.audits[ref.id].score})`);
    low.push(`${name} ${c} ${scores[i]}: ${failing.join(", ")}`);
  });
}
const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
const line = (r) => "| " + r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join(" | ") + " |";
console.log(line(rows[0]));
console.log("|" + widths.map((w, i) => (i === 0 ? "-".repeat(w + 2) : "-".repeat(w + 1) + ":")).join("|") + "|");
rows.slice(1).forEach((r) => console.log(line(r)));
if (low.length) {
  console.log("\nunder 95:");
  low.forEach((l) => console.log("  " + l));
}
