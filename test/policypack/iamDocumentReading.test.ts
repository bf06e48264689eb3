// How the one document reader (policypack/lib/iamDocument.ts) reads the elements the pack's verdicts rest on:
// NotAction, null members, and a Resource that reaches every ARN however it is written.

import * as assert from "assert";
import { IamDocument, IamStatement, appliesToAllResources, isAllResources, readIamDocument, statementCoversAction } from "../../policypack/lib/iamDocument";
import { doc, json, resource, violationsOf } from "./support";

const statement = (s: object): IamStatement => (readIamDocument(doc(s)) as IamDocument).statements[0];

describe("the document reader", () => {
    it("reads NotAction as every action but those listed, and a statement with neither as no action", () => {
        const notIam = statement({ Effect: "Allow", NotAction: "iam:*", Resource: "*" });
        assert.deepStrictEqual([notIam.action, notIam.notAction], [undefined, ["iam:*"]]);
        assert.deepStrictEqual(["s3:GetObject", "IAM:PassRole"].map((a) => statementCoversAction(notIam, a)), [true, false]);
        assert.strictEqual(statementCoversAction(statement({ Effect: "Allow", Resource: "*" }), "s3:GetObject"), false);
    });

    it("reads a null Condition as none and a null principal list as empty", () => {
        const s = statement({ Effect: "Allow", Principal: { Service: "s3.amazonaws.com", AWS: null }, Action: "sqs:SendMessage", Resource: "*", Condition: null });
        assert.deepStrictEqual([s.conditions, s.principal], [[], { anyone: false, aws: [], service: ["s3.amazonaws.com"], federated: [], canonicalUser: [] }]);
    });

    it("takes as every resource any pattern that matches every ARN, and a statement with one such Resource among others", () => {
        const patterns = ["*", "arn:*", "arn:aws:*", "arn:aws-cn:*:*:*:*", "a*", "*:*", "arn:aws:s3:::*", "bucket/*", "arn:aws:s3:::b"];
        assert.deepStrictEqual(patterns.map(isAllResources), [true, true, true, true, true, true, false, false, false]);
        assert.deepStrictEqual([["arn:aws:s3:::b", "a*"], ["arn:aws:s3:::b"]].map((Resource) => appliesToAllResources(statement({ Effect: "Allow", Action: "s3:GetObject", Resource }))), [true, false]);
    });

    it("reports Resource a* as a wildcard resource, as it reaches every ARN", async () => {
        const vs = await violationsOf("aws-iam-policy-disallow-wildcard-resources", [
            resource("aws:iam/policy:Policy", "p", { policy: json({ Effect: "Allow", Action: "s3:GetObject", Resource: "a*" }) })]);
        // The policy's message names the Resource as "*" (its wording, for any pattern equivalent to it).
        assert.deepStrictEqual(vs.map((v) => v.message), ["Policy 'p' policy statement 0 allows `s3:GetObject` on Resource \"*\", but these actions " +
            "support resource-level permissions: name the ARNs they act on (e.g. the table, queue or bucket outputs)."]);
    });
});
