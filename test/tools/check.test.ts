import * as assert from "assert";
import { policies } from "../../policypack/policies";
import { main } from "../../tools/check";
import { Report } from "../../tools/lib/report";
import { collectingIo, fixture, isOneCleanLine, runNpm, runTool } from "./support";

const MANDATORY = policies.filter((p) => p.enforcementLevel === "mandatory").map((p) => p.name);

async function check(...args: string[]) {
    const io = collectingIo();
    const code = await main(args, io);
    return { code, stdout: io.out, stderr: io.err };
}

describe("npm run check", () => {
    describe("on a clean stack export", () => {
        it("exits 0 and prints only the JSON report on stdout with --json", async () => {
            const ran = await runTool("check", [fixture("export-clean.json"), "--json"]);
            assert.strictEqual(ran.code, 0, ran.stderr);
            const report: Report = JSON.parse(ran.stdout);
            assert.strictEqual(report.stack, "dev");
            assert.strictEqual(report.resources, undefined, "check does not repeat the resources it was given");
            assert.deepStrictEqual(report.violations.filter((v) => v.enforcementLevel === "mandatory"), []);
            for (const v of report.violations) assert.deepStrictEqual(Object.keys(v).sort(), ["enforcementLevel", "message", "name", "policy", "type", "urn"]);
        });

        it("lists every role and permission set with its boundary and what each action's access level is", async () => {
            const { stdout } = await check(fixture("export-clean.json"), "--json");
            const report: Report = JSON.parse(stdout);
            const roles = report.permissions.filter((p) => p.kind === "role");
            assert.ok(roles.length >= 4, `roles: ${roles.map((r) => r.principal)}`);
            for (const p of report.permissions) {
                assert.ok(p.boundary.length > 0 && !p.boundaryOutsideStack, `${p.kind} '${p.principal}' shows its boundary`);
                for (const s of p.statements) for (const a of s.actions) {
                    assert.match(a.accessLevel, /^(Read|Write|List|Tagging|Permissions management)/, `${a.action}`);
                    assert.notStrictEqual(a.allowedByBoundary, false, `${p.principal}: ${a.action} is allowed by its boundary`);
                }
            }
            const sets = report.permissions.filter((p) => p.kind === "permission set");
            assert.ok(sets.length > 0 && sets.every((p) => p.assignedTo.length === 1), "each permission set names its group");
        });

        it("answers who can write to the tickets table", async () => {
            const { stdout } = await check(fixture("export-clean.json"));
            const section = stdout.slice(stdout.indexOf("WHO CAN CHANGE WHAT"));
            const table = section.slice(section.indexOf("dynamodb Table 'tickets'\n"));
            const following = table.split("\n").slice(1);
            const end = following.findIndex((l) => !l.startsWith("    "));
            const writers = following.slice(0, end);
            assert.ok(writers.some((l) => /role 'submit-role': dynamodb:PutItem/.test(l)), table);
            assert.ok(writers.every((l) => !/status-role/.test(l)), "the read-only status function cannot write");
        });

        it("reads secrets: plaintext is checked, ciphertext is treated as unknown", async () => {
            const { code, stdout } = await check(fixture("export-clean.json"), "--json");
            assert.strictEqual(code, 0);
            assert.ok(!stdout.includes("1b47061264138c4ac30d75fd1eb44270"), "no secret envelope reaches the pack");
        });
    });

    describe("on an export with a violation of each mandatory policy", () => {
        it("exits 1 and reports every mandatory policy on the resource that breaks it", async () => {
            const ran = await runTool("check", [fixture("export-violations.json"), "--json"]);
            assert.strictEqual(ran.code, 1, ran.stderr);
            const report: Report = JSON.parse(ran.stdout);
            const fired = new Set(report.violations.filter((v) => v.enforcementLevel === "mandatory").map((v) => v.policy));
            assert.deepStrictEqual(MANDATORY.filter((p) => !fired.has(p)), []);
            const on = (policy: string) => report.violations.filter((v) => v.policy === policy).map((v) => v.name);
            assert.deepStrictEqual(on("aws-iam-role-trust-disallow-any-principal"), ["open-role"]);
            assert.deepStrictEqual(on("aws-s3-bucket-disallow-public-acl"), ["public-site"]);
        });

        it("says so in words a newcomer reads, grouped by policy", async () => {
            const { code, stdout } = await check(fixture("export-violations.json"));
            assert.strictEqual(code, 1);
            assert.match(stdout, /POLICY REPORT/);
            assert.match(stdout, /MANDATORY {2}aws-iam-role-require-permissions-boundary {2}\(1 violation\)\n {4}- open-role {2}\[aws:iam\/role:Role\]/);
            assert.match(stdout, /boundary: none/);
            assert.match(stdout, /s3:\* \(\d+ actions\)/, "a wildcard is summarised with how much it grants");
            assert.match(stdout.trimEnd().split("\n").pop()!, /^RESULT: FAIL - \d+ mandatory violations/);
            assert.ok(!stdout.includes("\x1b["), "no colour when not a terminal");
        });
    });

    describe("on a `pulumi preview --json`", () => {
        it("checks new states, skips deleted resources and reports unknown documents as pending", async () => {
            const { code, stdout } = await check(fixture("preview.json"), "--json");
            assert.strictEqual(code, 0);
            const report: Report = JSON.parse(stdout);
            assert.ok(!stdout.includes("legacy-role"), "a resource being deleted is not checked");
            const role = report.permissions.find((p) => p.principal === "status-role")!;
            assert.deepStrictEqual(role.unknownDocuments, ["RolePolicy 'status-policy' policy"]);
            assert.deepStrictEqual(role.boundary, ["Policy 'workloads' policy"]);
            assert.ok(report.violations.some((v) => v.name === "status-policy" && /can't run policy .* during preview/.test(v.message)));
        });
    });

    describe("with --policy-pack-config", () => {
        it("applies enforcement levels the way the CLI does", async () => {
            const { code, stdout } = await check(fixture("export-clean.json"), "--json", "--policy-pack-config", fixture("pack-config-strict.json"));
            assert.strictEqual(code, 1);
            const report: Report = JSON.parse(stdout);
            assert.deepStrictEqual(
                report.violations.filter((v) => v.enforcementLevel === "mandatory").map((v) => `${v.policy} ${v.name}`),
                ["aws-dynamodb-table-require-deletion-protection tickets"],
            );
        });

        it("reports suppressed violations with their reason instead of dropping them", async () => {
            const { code, stdout } = await check(fixture("export-clean.json"), "--policy-pack-config", fixture("pack-config-suppress.json"));
            assert.strictEqual(code, 0);
            assert.match(stdout, /aws-dynamodb-table-require-deletion-protection on tickets\n {8}reason: dev tickets are disposable/);
            assert.ok(!/ADVISORY {2}aws-dynamodb-table-require-deletion-protection/.test(stdout), "not also listed as a violation");
        });

        it("reports a suppression that matches nothing as unused, and config that does nothing as a warning", async () => {
            const fs = await import("fs");
            const os = await import("os");
            const path = await import("path");
            const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "check-config-")), "config.json");
            fs.writeFileSync(file, JSON.stringify({
                "aws-iam-policy-disallow-wildcard-resources": { suppressions: [{ resource: "legacy-export-policy", reason: "export job, replaced by SEC-142" }] },
                "aws-iam-role-require-permisions-boundary": "advisory",
                "aws-s3-bucket-require-encryption": { requireKMS: true },
            }));
            const { code, stdout } = await check(fixture("export-clean.json"), "--policy-pack-config", file);
            assert.strictEqual(code, 0);
            assert.ok(!stdout.includes("no suppressions in the pack config"), stdout);
            assert.match(stdout, /Unused suppressions.*\n {4}- aws-iam-policy-disallow-wildcard-resources on "legacy-export-policy" \(reason: export job, replaced by SEC-142\)/);
            assert.match(stdout, /WARNING {2}pack config names "aws-iam-role-require-permisions-boundary".*\(did you mean "aws-iam-role-require-permissions-boundary"\?\)/);
            assert.match(stdout, /WARNING {2}aws-s3-bucket-require-encryption: option "requireKMS".*\(did you mean "requireKms"\?\)/);
            const json: Report = JSON.parse((await check(fixture("export-clean.json"), "--json", "--policy-pack-config", file)).stdout);
            assert.deepStrictEqual(json.unusedSuppressions.map((u) => u.resource), ["legacy-export-policy"]);
            assert.strictEqual(json.configWarnings.length, 2);
        });

        it("refuses a config the CLI would refuse, with exit 2", async () => {
            const { code, stdout, stderr } = await check(fixture("export-clean.json"), "--policy-pack-config", fixture("pack-config-invalid.json"));
            assert.strictEqual(code, 2);
            assert.strictEqual(stdout, "");
            assert.match(stderr, /aws-iam-role-trust-disallow-any-principal: "loud" is not a valid enforcement level/);
        });
    });

    describe("on input it cannot use", () => {
        const cases: [string, string, RegExp][] = [
            ["a missing file", "nosuch.json", /nosuch\.json: no such file/],
            ["invalid JSON", "invalid.json", /invalid\.json: invalid JSON/],
            ["an unsupported export version", "export-v1.json", /unsupported stack export version 1/],
            ["an unknown shape", "unknown-shape.json", /not a `pulumi stack export`.*nor a `pulumi preview --json`/],
        ];
        for (const [what, file, message] of cases) {
            it(`exits 2 with one clear line for ${what}`, async () => {
                const { code, stdout, stderr } = await check(fixture(file));
                assert.strictEqual(code, 2);
                assert.strictEqual(stdout, "");
                assert.match(stderr, message);
                assert.ok(isOneCleanLine(stderr), stderr);
            });
        }

        it("exits 2 for an unknown option or a missing FILE, naming the usage", async () => {
            for (const args of [[fixture("export-clean.json"), "--jsn"], []]) {
                const { code, stderr } = await check(...args);
                assert.strictEqual(code, 2, args.join(" "));
                assert.match(stderr, /usage: npm run check -- FILE/);
                assert.ok(isOneCleanLine(stderr), stderr);
            }
        });

        it("never prints a stack trace from the real process either", async () => {
            const ran = await runTool("check", [fixture("invalid.json")]);
            assert.strictEqual(ran.code, 2);
            assert.ok(isOneCleanLine(ran.stderr), ran.stderr);
        });
    });

    it("`npm run -s check -- FILE --json` prints only the JSON document", async () => {
        const ran = await runNpm("check", [fixture("export-violations.json"), "--json"]);
        assert.strictEqual(ran.code, 1, ran.stderr);
        const report: Report = JSON.parse(ran.stdout);
        assert.ok(report.violations.length > 0);
    });
});
