// Prints Stryker JSON reports (mutation-testing-report-schema) as the Markdown table TESTING.md carries and checks
// issue 18's goals: per file, the mutation score as Stryker computes it (killed + timeout over every valid mutant:
// survivors and mutants no test runs count against it; ignored and erroring ones are left out), the counts behind it
// and the goal (90 % for policypack/lib/, 85 % elsewhere). Exits 1 when a file misses its goal, 2 when a report is
// missing.
//   ts-node --transpile-only test/mutation/scores.ts [report.json ...]   (default: the pack's and the app's)

import * as fs from "fs";

interface Mutant { status: string }
interface Report { files: Record<string, { mutants: Mutant[] }> }

const files = process.argv.length > 2 ? process.argv.slice(2) : ["reports/mutation/pack.json", "reports/mutation/app.json"];
const missing = files.filter((f) => !fs.existsSync(f));
if (missing.length) {
    console.error(`no report at ${missing.join(", ")}: run npm run test:mutation first`);
    process.exit(2);
}

const goal = (path: string): number => (path.startsWith("policypack/lib/") ? 90 : 85);
const columns = ["Killed", "Timeout", "Survived", "NoCoverage", "Ignored"] as const;
const below: string[] = [];
const rows = files
    .flatMap((f) => Object.entries((JSON.parse(fs.readFileSync(f, "utf8")) as Report).files))
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([path, { mutants }]) => {
        const n = Object.fromEntries(columns.map((c) => [c, mutants.filter((m) => m.status === c).length])) as Record<(typeof columns)[number], number>;
        const valid = n.Killed + n.Timeout + n.Survived + n.NoCoverage;
        // A file with no valid mutant (all ignored) has nothing to score and so meets any goal.
        const score = valid ? (100 * (n.Killed + n.Timeout)) / valid : 100;
        if (score < goal(path)) below.push(`${path} ${score.toFixed(2)} % < ${goal(path)} %`);
        return `| ${path} | ${valid ? score.toFixed(2) : "n/a"} | ${goal(path)} | ${columns.map((c) => n[c]).join(" | ")} |`;
    });
console.log(
    [
        "| File | Score % | Goal % | Killed | Timeout | Survived | No coverage | Ignored (static or marked equivalent) |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        ...rows,
    ].join("\n"),
);
if (below.length) {
    console.error(`\n${below.length} file(s) below the goal:\n  ${below.join("\n  ")}`);
    process.exit(1);
}
console.log(`\nevery file meets its goal (${rows.length} files)`);
