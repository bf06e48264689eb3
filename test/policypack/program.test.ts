import { strict as assert } from "assert";
import { policies } from "../../policypack/policies";
import { toRunner } from "../../tools/plan";
import { runPack } from "../../tools/lib/packRunner";
import { runProgram } from "../../tools/mocks/harness";
import { runOrganization } from "../support/organization";

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

    it("finds no violation in org: every permission set is bounded by its customer-managed reference", async () => {
        const { org } = await runOrganization();
        const resources = org.resources.map(toRunner);
        const result = await runPack(policies, resources, {});
        assert.deepEqual(result.violations.map((v) => `${v.enforcementLevel} ${v.policy} ${v.name}: ${v.message}`), []);
        assert.ok(org.ofType("aws:ssoadmin/permissionSet:PermissionSet").length > 0);

        // Without its attachment a set is reported: the pack still judges every set's boundary.
        const attachment = "aws:ssoadmin/permissionsBoundaryAttachment:PermissionsBoundaryAttachment";
        const lost = resources.filter((r) => !(r.type === attachment && r.name === "identity-ps-DataScience-prod-boundary"));
        const unbounded = await runPack(policies, lost, {});
        assert.deepEqual(
            unbounded.violations.filter((v) => v.enforcementLevel === "mandatory").map((v) => `${v.policy} ${v.name}`),
            ["aws-ssoadmin-permission-set-require-permissions-boundary identity-ps-DataScience-prod"],
        );
    });

    it("judges the people boundary as a boundary only while it carries the boundary tag", async () => {
        const run = await runProgram({ stack: "prod" });
        const resources = run.resources.map(toRunner).map((r) =>
            r.type === "aws:iam/policy:Policy" && r.name === "people"
                ? { ...r, props: { ...r.props, tags: {} }, outputs: { ...r.outputs, tags: {}, tagsAll: {} } }
                : r,
        );
        const result = await runPack(policies, resources, {});
        assert.ok(
            result.violations.some((v) => v.enforcementLevel === "mandatory" && v.policy === "aws-iam-policy-disallow-wildcard-resources" && v.name === "people"),
            "an untagged, unattached policy with Resource * is judged as a grant",
        );
    });

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
