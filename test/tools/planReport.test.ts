import * as assert from "assert";
import { execFile } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { main, toRunner } from "../../tools/plan";
import { BuiltReport, arnLabelsOf, buildReport, renderSummary, renderText } from "../../tools/lib/report";
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
        assert.deepStrictEqual(key.usedBy.map((h) => h.principal).sort(), ["permission set 'identity-ps-DataScience'", "role 'analysis-role'", "role 'status-role'", "role 'submit-role'"]);
        assert.ok(key.usedBy.every((h) => h.actions.join() === "kms:Decrypt"));
        const table = built.report.changes.find((c) => c.label === "dynamodb Table 'tickets'");
        assert.deepStrictEqual(table?.changedBy.map((h) => `${h.principal}: ${h.actions}`), ["role 'submit-role': dynamodb:PutItem", "role 'analysis-role': dynamodb:UpdateItem"]);
    });

    it("shows each statement's resources before its actions, one per line", () => {
        const lines = text.split("\n");
        const from = lines.findIndex((l) => /from RolePolicy 'submit-role-policy' policy \(Sid TablePutItem\)/.test(l));
        assert.ok(from > 0);
        assert.match(lines[from + 1], /^ {8}on dynamodb Table 'tickets'$/);
        assert.match(lines[from + 2], /^ {10}Write +dynamodb:PutItem$/);
        const logs = lines.findIndex((l) => /identity-ps-Developers-policy' inlinePolicy \(Sid LogsRead\)/.test(l));
        assert.deepStrictEqual(lines.slice(logs + 1, logs + 3).map((l) => l.trim()), ["on cloudwatch LogGroup 'status':*", "cloudwatch LogGroup 'submit':*"]);
    });

    it("shows each person's groups and the permission sets they may sign in with", () => {
        const omar = built.report.people.find((p) => p.user === "omar.ops");
        assert.ok(omar);
        assert.deepStrictEqual([...omar.groups].sort(), ["DevOps", "Developers"]);
        assert.deepStrictEqual(omar.permissionSets.map((s) => s.name).sort(), ["identity-ps-DevOps", "identity-ps-Developers"]);
        const devops = omar.permissionSets.find((s) => s.name === "identity-ps-DevOps")!;
        assert.ok(devops.changes.some((c) => c.resource === "lambda Function 'submit'" && c.actions.includes("lambda:PutFunctionConcurrency")));
        assert.match(text, /^ {2}omar\.ops \(Omar Haddad\) {2}groups: /m);
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
        for (const summary of [renderSummary(built, { color: false, source: "test", policyCount: built.policyCount })]) {
            const lines = summary.trimEnd().split("\n");
            assert.ok(lines.length < 60, `${lines.length} lines`);
            assert.match(lines[lines.length - 1], /^RESULT: PASS/);
        }
        const io = collectingIo();
        assert.strictEqual(await main(["--stack", "prod", "--summary"], io), 0, io.err);
        const lines = io.out.trimEnd().split("\n");
        assert.ok(lines.length < 60, `prod: ${lines.length} lines`);
        assert.match(io.out, /^ {2}omar\.ops: /m);
    });

    it("the bin refuses an unknown command with exit 2 and its usage", async () => {
        const ran = await new Promise<{ code: number; stderr: string }>((resolve) =>
            execFile(process.execPath, ["tools/cli.js", "plann"], { cwd: ROOT }, (e, _stdout, stderr) => resolve({ code: e ? Number(e.code) : 0, stderr })),
        );
        assert.strictEqual(ran.code, 2);
        assert.strictEqual(ran.stderr, "swiftsupport: unknown command plann (usage: swiftsupport plan|check [options]   (swiftsupport <command> --help for its options))\n");
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
