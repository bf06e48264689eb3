import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { main } from "../../tools/plan";
import { Report, renderText } from "../../tools/lib/report";
import { ROOT, collectingIo, isOneCleanLine, runTool } from "./support";

describe("npm run plan", () => {
    // Three real processes, run side by side: each costs a few seconds of program and pack (org runs dev and prod
    // first), more on a loaded machine.
    let runs: Record<"dev" | "prod" | "org", { code: number; report: Report; stderr: string }>;
    before(async function () {
        this.timeout(300_000);
        const [dev, prod, org] = await Promise.all(["dev", "prod", "org"].map((stack) => runTool("plan", ["--stack", stack, "--json"])));
        const parse = (r: typeof dev) => {
            try {
                return { code: r.code, report: JSON.parse(r.stdout) as Report, stderr: r.stderr };
            } catch (e) {
                throw new Error(`stdout is not one JSON document (exit ${r.code}): ${r.stderr}\n${r.stdout.slice(0, 500)}`, { cause: e });
            }
        };
        runs = { dev: parse(dev), prod: parse(prod), org: parse(org) };
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
            assert.deepEqual(resources.filter((r) => /^aws:(ssoadmin|identitystore)\//.test(r.type)).map((r) => r.urn), [], "no Identity Center resource");
            assert.strictEqual(runs[stack].report.environments, undefined);
        });
    }

    it("plans org after running each environment's workload stack: assignments into both accounts, exit 0", () => {
        const { code, report, stderr } = runs.org;
        assert.strictEqual(code, 0, stderr);
        assert.match(stderr, /environment dev: running index\.ts on mocks with Pulumi\.dev\.yaml[\s\S]*environment prod: running index\.ts on mocks with Pulumi\.prod\.yaml/);
        assert.deepStrictEqual(Object.keys(report).sort(), ["changes", "configWarnings", "environments", "outputs", "people", "permissions", "resources", "services", "stack", "suppressed", "unusedSuppressions", "verdict", "violations"]);
        assert.deepStrictEqual(report.violations, []);
        const targets = new Set(report.resources!.filter((r) => r.type === "aws:ssoadmin/accountAssignment:AccountAssignment").map((r) => r.inputs.targetId));
        assert.deepStrictEqual([...targets].sort(), ["111111111111", "222222222222"]);
        for (const p of report.permissions.filter((x) => x.kind === "permission set")) {
            assert.match(p.boundary.join(), /customer-managed policy \/swiftsupport\/swiftsupport-people-boundary/, p.principal);
        }
    });

    it("prints who can do what in each account, boundaries resolved in the workload stacks", () => {
        const envs = runs.org.report.environments!;
        assert.deepStrictEqual(envs.map((e) => `${e.environment}:${e.accountId}`), ["dev:111111111111", "prod:222222222222"]);
        const actions = (env: string, group: string) =>
            envs.find((e) => e.environment === env)!.groups.find((g) => g.group === group)!.statements.flatMap((s) => s.actions);
        // DataScience reads tickets in prod only, and the prod boundary lets every action through.
        assert.ok(actions("prod", "DataScience").some((a) => a.action === "dynamodb:GetItem"));
        assert.ok(!actions("dev", "DataScience").some((a) => a.action === "dynamodb:GetItem"));
        for (const env of envs) {
            for (const g of env.groups) {
                assert.strictEqual(g.permissionSet, `${g.group}-${env.environment}`);
                assert.match(g.boundary.createdBy ?? "", new RegExp(`swiftsupport/${env.environment}: Policy 'people'`), `${g.permissionSet} boundary`);
                for (const s of g.statements) for (const a of s.actions) assert.strictEqual(a.allowedByBoundary, true, `${g.permissionSet}: ${a.action}`);
            }
            const omar = env.users.find((u) => u.user === "omar.ops")!;
            assert.deepStrictEqual([...omar.groups].sort(), ["DevOps", "Developers"]);
            assert.ok(omar.actions.includes("lambda:PutFunctionConcurrency"));
        }
        const li = (env: string) => envs.find((e) => e.environment === env)!.users.find((u) => u.user === "li.data")!.actions;
        assert.ok(li("prod").includes("dynamodb:Query") && !li("dev").includes("dynamodb:Query"));
    });

    it("exits 2 before running anything for a bad org config, listing every problem", async () => {
        const io = collectingIo();
        const code = await main(["--stack", "org"], io, { config: { environments: [{ name: "dev", accountId: "111111111111", stack: "x/swiftsupport/dev" }, { name: "qa", accountId: "111111111111", stack: "x/swiftsupport/qa" }] } });
        assert.strictEqual(code, 2);
        assert.strictEqual(io.out, "");
        assert.match(io.err, /Stack "org" has \d+ config problems:/);
        assert.match(io.err, /- environments\[1\]\.accountId: duplicate account id "111111111111" \(also environments\[0\]\)/);
        assert.match(io.err, /- groups\[0\]\.environments\.prod: unknown environment "prod"/);
        assert.doesNotMatch(io.err, /running index\.ts on mocks with Pulumi\.dev\.yaml/);
    });

    it("exits 2 with one clean line when an environment's stack has no stack file here", async () => {
        const io = collectingIo();
        const code = await main(["--stack", "org"], io, {
            config: { environments: [{ name: "dev", accountId: "111111111111", stack: "x/swiftsupport/dev" }, { name: "prod", accountId: "222222222222", stack: "x/swiftsupport/production" }] },
        });
        assert.strictEqual(code, 2);
        assert.match(io.err, /plan: environments\[1\]\.stack "x\/swiftsupport\/production": no Pulumi\.production\.yaml here to run it from \(stacks here: bootstrap-dev, bootstrap-org, bootstrap-prod, dev, org, prod\)/);
        assert.ok(isOneCleanLine(io.err), io.err);
    });

    it("renders the per-account matrix in text: groups with their sets and boundaries, then each user", () => {
        const out = renderText({ report: runs.org.report, policyCount: 1 }, { color: false, source: "test", policyCount: 1 });
        assert.match(out, /5\. WHO CAN DO WHAT IN EACH ACCOUNT/);
        assert.match(out, /^ {2}prod: account 222222222222 {2}\(workload stack swiftsupport-org\/swiftsupport\/prod\)$/m);
        assert.match(out, /^ {4}group DataScience {2}permission set DataScience-prod, session PT4H, boundary \/swiftsupport\/swiftsupport-people-boundary \(swiftsupport-org\/swiftsupport\/prod: Policy 'people'\)$/m);
        assert.match(out, /^ {4}user omar\.ops: Developers-dev, DevOps-dev \(groups Developers, DevOps\), \d+ actions$/m);
        assert.doesNotMatch(out, /does not allow it/);
    });

    it("shows every function role with the boundary that limits it, and each org permission set with its group", () => {
        const { report } = runs.dev;
        const roles = report.permissions.filter((p) => p.kind === "role");
        const functions = report.resources!.filter((r) => r.type === "aws:lambda/function:Function");
        assert.ok(roles.length >= functions.length, `one role per function at least: ${roles.map((r) => r.principal)}`);
        for (const p of report.permissions) {
            assert.ok(p.boundary.length === 1 && !p.boundaryOutsideStack, `${p.kind} '${p.principal}' boundary: ${p.boundary}`);
            assert.ok(p.statements.length > 0, `${p.principal} has grants`);
        }
        const sets = runs.org.report.permissions.filter((p) => p.kind === "permission set");
        assert.strictEqual(sets.length, 10);
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

    it("exits 2 without a stack trace for a stack file with four problems, naming all four", async () => {
        // A real process: the trace used to come from a rejection Node reported after the run had failed.
        const stack = `bad-${process.pid}`;
        const file = path.join(ROOT, `Pulumi.${stack}.yaml`);
        const org = fs.readFileSync(path.join(ROOT, "Pulumi.org.yaml"), "utf8");
        const bad = org
            .replace('accountId: "111111111111"', "accountId: 111111111111")
            .replace("swiftsupport:identityCenterRegion: eu-west-1", "swiftsupport:identityCenterRegion: eu-west-1\n  swiftsupport:identityCenterRegon: eu-west-1")
            .replace("email: alice.martin@swiftsupport.example", "email: alice.martin@")
            .replace("groups: [Security]", "groups: [Securty]");
        assert.strictEqual(bad.split("\n").length, org.split("\n").length + 1, "every edit applied");
        fs.writeFileSync(file, bad);
        try {
            const ran = await runTool("plan", ["--stack", stack]);
            assert.strictEqual(ran.code, 2, ran.stderr);
            assert.strictEqual(ran.stdout, "");
            assert.match(ran.stderr, new RegExp(`Stack "${stack}" has 4 config problems:`));
            for (const problem of [
                'identityCenterRegon: unknown config key (did you mean "identityCenterRegion"?)',
                "environments[0].accountId: must be a string",
                "users[0].email: is not a valid email address",
                'users[3].groups[0]: unknown group "Securty" (did you mean "Security"?)',
            ]) {
                assert.ok(ran.stderr.includes(`  - ${problem}\n`), `names ${problem}:\n${ran.stderr}`);
            }
            assert.ok(!/\n\s+at |\.ts:\d+|RunError/.test(ran.stderr), ran.stderr);
        } finally {
            fs.rmSync(file, { force: true });
        }
    });

    it("exits 2 with one clear line for a missing stack file or an unknown option", async () => {
        for (const [args, message] of [[["--stack", "staging"], /no stack config Pulumi\.staging\.yaml \(stacks here: bootstrap-dev, bootstrap-org, bootstrap-prod, dev, org, prod\)/], [["--verbose"], /unknown option --verbose/], [["--jsn"], /unknown option --jsn \(did you mean --json\?\)/], [["--stack"], /--stack needs a value/]] as const) {
            const io = collectingIo();
            const code = await main([...args], io);
            assert.strictEqual(code, 2, args.join(" "));
            assert.match(io.err, message);
            assert.ok(isOneCleanLine(io.err), io.err);
        }
    });
});
