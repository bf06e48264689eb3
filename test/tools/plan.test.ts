import * as assert from "assert";
import { main } from "../../tools/plan";
import { Report } from "../../tools/lib/report";
import { collectingIo, isOneCleanLine, runTool } from "./support";

describe("npm run plan", () => {
    // Two real processes, run side by side: each costs a few seconds of program and pack.
    let runs: Record<"dev" | "prod", { code: number; report: Report; stderr: string }>;
    before(async () => {
        const [dev, prod] = await Promise.all(["dev", "prod"].map((stack) => runTool("plan", ["--stack", stack, "--json"])));
        const parse = (r: typeof dev) => {
            try {
                return { code: r.code, report: JSON.parse(r.stdout) as Report, stderr: r.stderr };
            } catch (e) {
                throw new Error(`stdout is not one JSON document (exit ${r.code}): ${r.stderr}\n${r.stdout.slice(0, 500)}`);
            }
        };
        runs = { dev: parse(dev), prod: parse(prod) };
    });

    for (const stack of ["dev", "prod"] as const) {
        it(`plans ${stack} with no mandatory violation (exit 0)`, () => {
            const { code, report, stderr } = runs[stack];
            assert.strictEqual(code, 0, stderr);
            assert.strictEqual(report.stack, stack);
            assert.deepStrictEqual(report.violations.filter((v) => v.enforcementLevel === "mandatory"), []);
        });

        it(`records ${stack}'s resources with their parents and inputs, parented to something in the plan`, () => {
            const { report } = runs[stack];
            const resources = report.resources!;
            const urns = new Set(resources.map((r) => r.urn));
            assert.strictEqual(resources.filter((r) => r.parent === undefined).map((r) => r.type).join(), "pulumi:pulumi:Stack");
            for (const r of resources) {
                assert.deepStrictEqual(Object.keys(r).filter((k) => k !== "parent").sort(), ["inputs", "name", "type", "urn"]);
                if (r.parent) assert.ok(urns.has(r.parent), `${r.urn}'s parent is in the plan`);
            }
            assert.ok(resources.some((r) => r.type === "aws:lambda/function:Function"), "the functions are planned");
        });
    }

    it("shows every function role and permission set with the boundary that limits it", () => {
        const { report } = runs.dev;
        const roles = report.permissions.filter((p) => p.kind === "role");
        const functions = report.resources!.filter((r) => r.type === "aws:lambda/function:Function");
        assert.ok(roles.length >= functions.length, `one role per function at least: ${roles.map((r) => r.principal)}`);
        for (const p of report.permissions) {
            assert.ok(p.boundary.length === 1 && !p.boundaryOutsideStack, `${p.kind} '${p.principal}' boundary: ${p.boundary}`);
            assert.ok(p.statements.length > 0, `${p.principal} has grants`);
        }
        const sets = report.permissions.filter((p) => p.kind === "permission set");
        assert.ok(sets.length > 0);
        for (const s of sets) assert.strictEqual(s.assignedTo.length, 1, `${s.principal} is assigned to its group`);
    });

    it("prints a report a newcomer can read: tree, counts, policy report, permissions, verdict", async () => {
        const io = collectingIo();
        const code = await main([], io);
        assert.strictEqual(code, 0, io.err);
        const out = io.out;
        for (const header of ["1. RESOURCES", "Count per type:", "2. POLICY REPORT", "3. EFFECTIVE PERMISSIONS", "4. WHO CAN CHANGE WHAT"]) {
            assert.ok(out.includes(header), `has ${header}`);
        }
        assert.match(out, /^ {2}pulumi:pulumi:Stack {2}swiftsupport-dev$/m);
        assert.match(out, /^ {2}[├└]─ swiftsupport:function:HardenedFunction {2}submit\n(?: {2}│ {2}[├└]─ .*\n)*? {2}│ {2}[├└]─ swiftsupport:iam:ServiceRole {2}submit-role\n {2}│ {2}│ {2}[├└]─ aws:iam\/role:Role {2}submit-role$/m);
        assert.match(out, /permission set '[^']+' {2}\[aws:ssoadmin\/permissionSet:PermissionSet\] {2}assigned to group \w+/);
        assert.match(out, /boundary: Policy 'workloads' policy \(effective permission = grants ∩ boundary\)/);
        assert.match(out.trimEnd().split("\n").pop()!, /^RESULT: PASS - no mandatory violation/);
        assert.match(io.err, /plan: running index\.ts on mocks with Pulumi\.dev\.yaml/, "progress goes to stderr");
    });

    it("prints the program's own config problems and exits 2 for an invalid stack config", async () => {
        const io = collectingIo();
        const code = await main(["--stack", "dev"], io, { config: { logRetentionDays: "a week" } });
        assert.strictEqual(code, 2);
        assert.strictEqual(io.out, "");
        assert.match(io.err, /Stack "dev" has \d+ config problems?:\n {2}- logRetentionDays: /);
        assert.ok(!/\n\s+at /.test(io.err), io.err);
    });

    it("exits 2 with one clear line for a missing stack file or an unknown option", async () => {
        for (const [args, message] of [[["--stack", "staging"], /no stack config Pulumi\.staging\.yaml \(stacks here: dev, prod\)/], [["--verbose"], /unknown option --verbose/]] as const) {
            const io = collectingIo();
            const code = await main([...args], io);
            assert.strictEqual(code, 2, args.join(" "));
            assert.match(io.err, message);
            assert.ok(isOneCleanLine(io.err), io.err);
        }
    });
});
