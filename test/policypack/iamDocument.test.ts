import * as assert from "assert";
import { appliesToAllResources, isDocumentError, readIamDocument, statementCoversAction } from "../../policypack/lib/iamDocument";
import { unknownCheckingProxy } from "../../policypack/lib/policyInternals";
import { UNKNOWN } from "./support";

describe("readIamDocument", () => {
    const statement = { Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::b/*" };

    it("reads the same statement from a JSON string, an object, and a single-statement document", () => {
        const forms = [
            JSON.stringify({ Version: "2012-10-17", Statement: [statement] }),
            { Version: "2012-10-17", Statement: [statement] },
            { Version: "2012-10-17", Statement: statement },
            unknownCheckingProxy({ Version: "2012-10-17", Statement: [statement] }),
        ];
        for (const form of forms) {
            const d = readIamDocument(form);
            assert.ok(!isDocumentError(d));
            assert.deepStrictEqual(d.statements.map((s) => [s.effect, s.action, s.resource]), [["Allow", ["s3:GetObject"], ["arn:aws:s3:::b/*"]]]);
        }
    });

    it("reads Action/Resource lists, NotAction, NotResource and principals", () => {
        const d = readIamDocument({
            Statement: [
                { Effect: "Allow", NotAction: ["iam:*", "organizations:*"], NotResource: "arn:aws:s3:::x" },
                { Effect: "Allow", Principal: { AWS: ["*"], Service: "sns.amazonaws.com" }, Action: ["sqs:SendMessage"], Resource: "*" },
            ],
        });
        assert.ok(!isDocumentError(d));
        assert.deepStrictEqual(d.statements[0].notAction, ["iam:*", "organizations:*"]);
        assert.ok(appliesToAllResources(d.statements[0]));
        assert.ok(d.statements[1].principal?.anyone);
        assert.deepStrictEqual(d.statements[1].principal?.service, ["sns.amazonaws.com"]);
    });

    it("matches action names case-insensitively, and NotAction as its complement", () => {
        const d = readIamDocument({ Statement: [{ Effect: "Allow", Action: "IAM:createpolicyversion", Resource: "*" }, { Effect: "Allow", NotAction: "s3:*", Resource: "*" }] });
        assert.ok(!isDocumentError(d));
        assert.ok(statementCoversAction(d.statements[0], "iam:CreatePolicyVersion"));
        assert.ok(statementCoversAction(d.statements[1], "iam:PassRole"));
        assert.ok(!statementCoversAction(d.statements[1], "s3:GetObject"));
    });

    it("keeps unknown elements of an object document as unknownParts and reads the rest", () => {
        const d = readIamDocument(unknownCheckingProxy({ Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: UNKNOWN }] }));
        assert.ok(!isDocumentError(d));
        assert.deepStrictEqual(d.unknownParts, ["Statement[0].Resource"]);
        assert.deepStrictEqual(d.statements[0].action, ["s3:GetObject"]);
    });

    it("reports documents that are not JSON or have no Statement", () => {
        assert.ok(isDocumentError(readIamDocument("{not json")));
        assert.ok(isDocumentError(readIamDocument({ Version: "2012-10-17" })));
    });
});
