import * as assert from "assert";
import { execFile } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { main, toRunner } from "../../tools/plan";
import { BuiltReport, Report, arnLabelsOf, buildReport, renderSummary, renderText } from "../../tools/lib/report";
import { runProgram } from "../../tools/mocks/harness";
import { ROOT, collectingIo } from "./support";

/** The policy rows of the table in policypack/README.md. */
function readmePolicies(): string[] {
    const readme = fs.readFileSync(path.join(ROOT, "policypack", "README.md"), "utf8");
    return [...readme.matchAll(/^\| `(aws-[a-z0-9-]+)` \|/gm)].map((m) => m[1]);
}

describe("the plan report", () => {
    let built: BuiltReport;
    let text: string;
    before(async () => {
        const run = await runProgram({ stack: "dev" });
        built = await buildReport("dev", run.resources.map(toRunner), {}, true, { outputs: run.outputs });
        const arnLabels = arnLabelsOf(run.resources.map((r) => ({ type: r.type, name: r.name, arn: r.outputs.arn ?? r.inputs.arn })));
        text = renderText(built, { color: false, source: "test", policyCount: built.policyCount, arnLabels });
    });

    it("states the verdict, and counts as many policies as policypack/README.md lists", () => {
        const { verdict } = built.report;
        assert.deepStrictEqual({ result: verdict.result, exitCode: verdict.exitCode, mandatory: verdict.mandatory }, { result: "pass", exitCode: 0, mandatory: 0 });
        assert.strictEqual(verdict.advisory, built.report.violations.length);
        assert.strictEqual(verdict.policiesRan, readmePolicies().length);
        assert.match(text, new RegExp(`^${readmePolicies().length} policies of the CrossGuard pack in policypack/ ran\\.`, "m"));
    });

    it("shows each site object in the tree with its content type and caching", () => {
        assert.match(text, /BucketObjectv2 {2}site-index\.html {2}\(text\/html; charset=utf-8; no-cache\)$/m);
        assert.match(text, /BucketObjectv2 {2}site-config\.json {2}\(application\/json; no-cache\)$/m);
        assert.match(text, /BucketObjectv2 {2}site-assets\/app-[A-Z0-9]{8}\.js {2}\(text\/javascript; charset=utf-8; public, max-age=31536000, immutable\)$/m);
    });

    it("writes condition keys in their documented case", () => {
        const conditions = built.report.permissions.flatMap((p) => p.statements.flatMap((s) => s.conditions));
        assert.ok(conditions.some((c) => c.includes(" kms:ViaService=")), conditions.join("\n"));
        assert.ok(conditions.some((c) => c.includes(" dynamodb:Attributes=")), conditions.join("\n"));
        assert.ok(!/kms:viaservice|dynamodb:attributes/.test(text), "no lower-cased key in the text");
    });

    it("does not count decrypting with a key as changing it", () => {
        const key = built.report.changes.find((c) => c.label === "kms Key 'tickets-key'");
        assert.ok(key, "the key is listed");
        assert.deepStrictEqual(key.changedBy, []);
        assert.deepStrictEqual(key.usedBy.map((h) => h.principal).sort(), ["role 'analysis-role'", "role 'list-role'", "role 'status-role'", "role 'submit-role'"]);
        assert.ok(key.usedBy.every((h) => h.actions.join() === "kms:Decrypt"));
        const table = built.report.changes.find((c) => c.label === "dynamodb Table 'tickets'");
        assert.ok(table?.changedBy.some((h) => h.principal === "role 'submit-role'" && h.actions.includes("dynamodb:PutItem")), JSON.stringify(table));
        assert.ok(table!.changedBy.every((h) => h.principal !== "role 'status-role'"), "the read-only status function changes nothing");
    });

    it("shows each statement's resources before its actions, one per line", () => {
        const lines = text.split("\n");
        const from = lines.findIndex((l) => /from RolePolicy 'submit-role-policy' policy \(Sid TablePutItem\)/.test(l));
        assert.ok(from > 0);
        assert.match(lines[from + 1], /^ {8}on dynamodb Table 'tickets'$/);
        assert.match(lines[from + 2], /^ {10}Write +dynamodb:PutItem$/);
        lines.forEach((l, i) => {
            if (/^ {6}(DENY )?from /.test(l)) assert.match(lines[i + 1], /^ {8}on /, `resources first after: ${l}`);
        });
    });

    it("shows each person's groups and the permission sets they may sign in with (the org stack)", async () => {
        const io = collectingIo();
        assert.strictEqual(await main(["--stack", "org", "--json"], io), 0, io.err);
        const org: Report = JSON.parse(io.out);
        const omar = org.people.find((p) => p.user === "omar.ops");
        assert.ok(omar);
        assert.deepStrictEqual([...omar.groups].sort(), ["DevOps", "Developers"]);
        const sets = omar.permissionSets.map((s) => s.name);
        assert.ok(sets.some((s) => /DevOps-dev$/.test(s)) && sets.some((s) => /Developers-dev$/.test(s)), sets.join());
        for (const s of omar.permissionSets) assert.ok(s.viaGroups.length > 0 && s.viaGroups.every((g) => omar.groups.includes(g)));
        assert.ok(omar.permissionSets.flatMap((s) => s.changes).some((c) => /^dev: lambda Function '/.test(c.resource)), "labelled with the environment");
    });

    it("lists the AWS services that resource policies admit, with what pins them", () => {
        const services = built.report.services;
        for (const [service, on] of [
            ["apigateway.amazonaws.com", "lambda Permission 'api-post-tickets'"],
            ["cloudfront.amazonaws.com", "s3 BucketPolicy 'site-policy'"],
            ["cloudtrail.amazonaws.com", "s3 BucketPolicy 'audit-bucket-policy'"],
        ]) {
            const found = services.filter((s) => s.service === service && s.on === on && s.via === "resource policy");
            assert.ok(found.length > 0, `${service} on ${on}`);
            assert.ok(found.every((s) => s.conditions.some((c) => / aws:SourceArn=/.test(c))), `${service} is pinned to its source`);
        }
    });

    it("shows the stack outputs", () => {
        assert.match(String(built.report.outputs.apiUrl), /^https:\/\/.*execute-api/);
        assert.match(text, /^ {2}apiUrl +https:\/\//m);
        assert.match(text, /^ {2}functions\.submit +arn:aws:lambda:/m);
    });

    it("fits a terminal with --summary: under 60 lines, ending with the verdict", async () => {
        const dev = renderSummary(built, { color: false, source: "test", policyCount: built.policyCount }).trimEnd().split("\n");
        assert.ok(dev.length < 60, `dev: ${dev.length} lines`);
        assert.match(dev[dev.length - 1], /^RESULT: PASS/);
        for (const stack of ["prod", "org"]) {
            const io = collectingIo();
            assert.strictEqual(await main(["--stack", stack, "--summary"], io), 0, io.err);
            const lines = io.out.trimEnd().split("\n");
            assert.ok(lines.length < 60, `${stack}: ${lines.length} lines`);
            assert.match(lines[lines.length - 1], /^RESULT: PASS/);
            if (stack === "org") assert.match(io.out, /^ {2}omar\.ops: /m);
        }
    });

    it("the bin refuses an unknown command with exit 2 and its usage", async () => {
        const ran = await new Promise<{ code: number; stderr: string }>((resolve) =>
            execFile(process.execPath, ["tools/cli.js", "plann"], { cwd: ROOT }, (e, _stdout, stderr) => resolve({ code: e ? Number(e.code) : 0, stderr })),
        );
        assert.strictEqual(ran.code, 2);
        assert.strictEqual(ran.stderr, "swiftsupport: unknown command plann (usage: swiftsupport plan|check|dev [options]   (swiftsupport <command> --help for its options))\n");
    });

    it("`npx swiftsupport plan --json` prints one JSON document with the new fields", async () => {
        const ran = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) =>
            execFile("npx", ["--no-install", "swiftsupport", "plan", "--json"], { cwd: ROOT, maxBuffer: 64 * 1024 * 1024 }, (e, stdout, stderr) =>
                resolve({ code: e ? (typeof e.code === "number" ? e.code : -1) : 0, stdout, stderr }),
            ),
        );
        assert.strictEqual(ran.code, 0, ran.stderr);
        const report = JSON.parse(ran.stdout);
        for (const key of ["stack", "resources", "violations", "suppressed", "permissions", "verdict", "outputs", "changes", "people", "services"]) {
            assert.ok(key in report, `has ${key}`);
        }
    });
});
