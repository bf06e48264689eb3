import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { policies } from "../../policypack/policies";
import { RunnerResource } from "../../tools/lib/packRunner";
import { run } from "./support";

const fixture = (name: string): RunnerResource[] =>
    JSON.parse(fs.readFileSync(path.join(__dirname, "..", "fixtures", "policypack", name), "utf8"));

describe("the insecure test program", () => {
    it("makes every mandatory policy fire", async () => {
        const result = await run(fixture("insecureProgram.json"));
        const mandatory = policies.filter((p) => p.enforcementLevel === "mandatory").map((p) => p.name);
        const fired = new Set(result.violations.filter((v) => v.enforcementLevel === "mandatory").map((v) => v.policy));
        assert.deepStrictEqual(mandatory.filter((p) => !fired.has(p)), []);
        for (const v of result.violations) assert.ok(v.urn.startsWith("urn:pulumi:dev::insecure::"), v.urn);
    });

    it("every message says what is wrong, where, and what to do", async () => {
        const result = await run(fixture("insecureProgram.json"));
        for (const v of result.violations) {
            assert.ok(v.message.includes(`'${v.name}'`), `${v.policy}: names the resource: ${v.message}`);
            assert.match(v.message, /: [a-z]|\. [A-Z]/, `${v.policy}: says what to do: ${v.message}`);
        }
    });
});
