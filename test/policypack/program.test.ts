import { strict as assert } from "assert";
import { policies } from "../../policypack/policies";
import { toRunner } from "../../tools/plan";
import { runPack } from "../../tools/lib/packRunner";
import { runProgram } from "../../tools/mocks/harness";

describe("the pack over the real program", () => {
    for (const stack of ["dev", "prod"]) {
        it(`finds no mandatory violation in ${stack}, and only the advisories the stack chose`, async () => {
            const run = await runProgram({ stack });
            const result = await runPack(policies, run.resources.map(toRunner), {});
            const mandatory = result.violations.filter((v) => v.enforcementLevel === "mandatory");
            assert.deepEqual(mandatory.map((v) => `${v.policy} ${v.name}: ${v.message}`), []);
            const advisories = result.violations.map((v) => `${v.policy} ${v.name}`).sort();
            // Both stacks use CloudFront's default certificate (no domain configured); dev keeps its table deletable.
            const expected = ["aws-cloudfront-distribution-require-modern-tls site"];
            if (stack === "dev") expected.push("aws-dynamodb-table-require-deletion-protection tickets");
            assert.deepEqual(advisories, expected.sort());
        });
    }

    it("rejects the program once a function role loses its boundary", async () => {
        const run = await runProgram({ stack: "dev" });
        const resources = run.resources.map(toRunner).map((r) =>
            r.type === "aws:iam/role:Role" && r.name === "status-role"
                ? { ...r, props: { ...r.props, permissionsBoundary: undefined } }
                : r,
        );
        const result = await runPack(policies, resources, {});
        assert.ok(
            result.violations.some(
                (v) => v.enforcementLevel === "mandatory" && v.policy === "aws-iam-role-require-permissions-boundary" && v.name === "status-role",
            ),
        );
    });
});
