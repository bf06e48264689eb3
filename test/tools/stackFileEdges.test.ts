// Stack files at their edges: malformed input never crashes `check`, and stack files
// carry outputs for stack policies.

import * as assert from "assert";
import { parseStackDocument } from "../../tools/lib/stackFile";
import { fixture, isOneCleanLine, runTool } from "./support";

const malformed = (name: string) => fixture(`malformed/${name}.json`);

describe("check on malformed input", () => {
    it("reads a resource reference as the referenced resource's id or URN", async () => {
        const r = await runTool("check", [malformed("resource-reference")]);
        assert.strictEqual(r.code, 0, r.stderr);
        const file = parseStackDocument({ version: 3, deployment: { resources: [{ urn: "urn:pulumi:dev::p::aws:iam/policy:Policy::r", type: "aws:iam/policy:Policy",
            inputs: { x: { "4dabf18193072939515e22adb298388d": "5cf8f73096256a8f31e491e813e4eb8e", urn: "u", id: "the-id" }, y: { "4dabf18193072939515e22adb298388d": "5cf8f73096256a8f31e491e813e4eb8e", urn: "u2" } } }] } });
        assert.deepStrictEqual(file.resources[0].props, { x: "the-id", y: "u2" });
    });
    it("exits 2 with one line naming where an unknown special value is", async () => {
        const r = await runTool("check", [malformed("unknown-signature")]);
        assert.strictEqual(r.code, 2);
        assert.ok(isOneCleanLine(r.stderr), r.stderr);
        assert.match(r.stderr, /deployment\.resources\[0\]\.inputs\.x has an unknown special-value signature "deadbeef"/);
    });
    it("judges properties of the wrong shape instead of crashing, and reports an unparsable ruleJson", async () => {
        const r = await runTool("check", [malformed("wrong-shapes"), "--json"]);
        assert.strictEqual(r.code, 0, r.stderr);
        assert.strictEqual(r.stderr, "");
        assert.match(r.stdout, /WebAcl 'w' ruleJson is not valid JSON/);
    });
});

describe("stack files carry outputs for stack policies", () => {
    it("keeps inputs as props and outputs (inputs standing in for missing ones) for stack policies", () => {
        const file = parseStackDocument({ steps: [{ op: "create", newState: { urn: "urn:pulumi:dev::p::aws:iam/role:Role::r", type: "aws:iam/role:Role",
            inputs: { name: "r", assumeRolePolicy: "{}" }, outputs: { name: "r", arn: "arn:aws:iam::123456789012:role/r" } } }] });
        assert.deepStrictEqual(file.resources[0].props, { name: "r", assumeRolePolicy: "{}" });
        assert.deepStrictEqual(file.resources[0].outputs, { name: "r", assumeRolePolicy: "{}", arn: "arn:aws:iam::123456789012:role/r" });
    });
});
