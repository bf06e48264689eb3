// Every @pulumi/aws type that carries an IAM policy document is read: the list is derived from the installed
// provider's declarations (tools/resourcePolicyTypes.ts), so a provider upgrade that adds one fails here until the
// list is regenerated and the new type is read or set aside with a reason.

import * as assert from "assert";
import * as fs from "fs";
import { iamDocumentTypes, readResourceDocuments } from "../../policypack/lib/iamDocumentSources";
import { NOT_IAM_DOCUMENTS, OUTPUT, deriveCandidates, derivePolicyDocumentTypes, render } from "../../tools/resourcePolicyTypes";
import { json, resource, run } from "./support";

const committed: Record<string, string[]> = JSON.parse(fs.readFileSync(OUTPUT, "utf8"));
const PUBLIC = { Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: "*" };
const IDENTITY_OR_TRUST = ["aws:iam/", "aws:ssoadmin/"];
const SCOPED = ["aws:ec2/vpcEndpoint:VpcEndpoint", "aws:ec2/vpcEndpointPolicy:VpcEndpointPolicy", "aws:odb/network:Network"];

/** `{ details: { policy: doc } }` for the path `details.policy`. */
function propsWith(path: string, value: unknown): Record<string, unknown> {
    return path.split(".").reduceRight<unknown>((inner, key) => ({ [key]: inner }), value) as Record<string, unknown>;
}

describe("resource-policy coverage", () => {
    it("the committed list is what the installed @pulumi/aws has (regenerate with npm run derive:policy-types)", () => {
        assert.strictEqual(render(derivePolicyDocumentTypes()), fs.readFileSync(OUTPUT, "utf8"));
    });

    it("sets aside only candidates the provider has, each with a reason", () => {
        const candidates = deriveCandidates();
        for (const [key, reason] of Object.entries(NOT_IAM_DOCUMENTS)) {
            const [type, path] = key.split(" ");
            assert.ok(candidates[type]?.includes(path), `${key} is no longer in the provider: drop it from NOT_IAM_DOCUMENTS`);
            assert.ok(reason.length >= 10, key);
        }
    });

    it("includes the resource policies an adversarial review found missing", () => {
        for (const type of ["aws:s3control/objectLambdaAccessPointPolicy:ObjectLambdaAccessPointPolicy",
            "aws:s3control/multiRegionAccessPointPolicy:MultiRegionAccessPointPolicy", "aws:acmpca/policy:Policy",
            "aws:msk/clusterPolicy:ClusterPolicy", "aws:lambda/resourcePolicy:ResourcePolicy", "aws:dsql/clusterPolicy:ClusterPolicy"]) {
            assert.ok(committed[type], type);
            assert.ok(iamDocumentTypes.includes(type), `${type} is read`);
        }
    });

    it("reads the document at every listed path, a nested one too", () => {
        for (const [type, paths] of Object.entries(committed)) {
            if (type === "aws:iam/role:Role") continue;
            for (const path of paths) {
                const found = readResourceDocuments(type, propsWith(path, json(PUBLIC)), () => assert.fail("nothing is unknown"));
                assert.deepStrictEqual(found.map((f) => f.property), [path], type);
            }
        }
    });

    it("reports a public statement on every resource-policy type, and not on endpoint policies", async () => {
        const resources = Object.entries(committed)
            .filter(([type]) => !IDENTITY_OR_TRUST.some((p) => type.startsWith(p)))
            .flatMap(([type, paths]) => paths.map((path, i) => resource(type, `${type.replace(/\W/g, "-")}-${i}`, propsWith(path, json(PUBLIC)))));
        assert.ok(resources.length > 60, `${resources.length} resource-policy properties`);
        const { violations } = await run(resources);
        const flagged = new Set(violations.filter((v) => /public-principal$/.test(v.policy) && v.enforcementLevel === "mandatory").map((v) => v.type));
        const expected = [...new Set(resources.map((r) => r.type))].filter((t) => !SCOPED.includes(t));
        assert.deepStrictEqual(expected.filter((t) => !flagged.has(t)), [], "types whose public policy passed");
        assert.deepStrictEqual(SCOPED.filter((t) => flagged.has(t)), [], "endpoint policies are scoped by the endpoint");
    });
});
