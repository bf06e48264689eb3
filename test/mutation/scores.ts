// Prints a Stryker JSON report (mutation-testing-report-schema) as the Markdown table TESTING.md carries: per file,
// the mutation score as Stryker computes it (killed + timeout over every valid mutant: survivors and mutants no
// test runs count against it; ignored and erroring ones are left out), and the counts behind it.
//   ts-node --transpile-only test/mutation/scores.ts [reports/mutation/pack.json]

import * as fs from "fs";

interface Mutant { status: string }
interface Report { files: Record<string, { mutants: Mutant[] }> }

const file = process.argv[2] ?? "reports/mutation/pack.json";
if (!fs.existsSync(file)) {
    console.error(`no report at ${file}: run npm run test:mutation:pack first`);
    process.exit(2);
}
const report = JSON.parse(fs.readFileSync(file, "utf8")) as Report;
const columns = ["Killed", "Timeout", "Survived", "NoCoverage", "Ignored"] as const;
const rows = Object.entries(report.files).sort(([a], [b]) => a.localeCompare(b)).map(([path, { mutants }]) => {
    const n = Object.fromEntries(columns.map((c) => [c, mutants.filter((m) => m.status === c).length])) as Record<(typeof columns)[number], number>;
    const valid = n.Killed + n.Timeout + n.Survived + n.NoCoverage;
    const score = valid ? (100 * (n.Killed + n.Timeout)) / valid : NaN;
    return `| ${path} | ${Number.isNaN(score) ? "n/a" : score.toFixed(2)} | ${columns.map((c) => n[c]).join(" | ")} |`;
});
console.log(["| File | Score % | Killed | Timeout | Survived | No coverage | Ignored (static or marked equivalent) |", "| --- | ---: | ---: | ---: | ---: | ---: | ---: |", ...rows].join("\n"));
