// What the pack knows about IAM actions and AWS managed policies, from the datasets it reads, and the "did you mean"
// hints it gives for misspelt actions and services.

import * as assert from "assert";
import { awsManagedPolicyDocument, awsManagedPolicyName } from "../../policypack/lib/awsManagedPolicies";
import { expandAction, lookupAction, prepareActions, serviceExists, serviceOf, suggestAction, suggestService } from "../../policypack/lib/iamDataset";
import { json, resource, violationsOf } from "./support";

describe("the IAM action dataset", () => {
    it("reads the service prefix of service:Action, lower-cased, and none of * or :Action", () => {
        assert.deepStrictEqual(["S3:GetObject", "dynamodb:Get*", "*", ":GetObject", "GetObject"].map(serviceOf), ["s3", "dynamodb", undefined, undefined, undefined]);
    });

    it("refuses a lookup in a service nobody prepared, naming it", () => {
        assert.throws(() => lookupAction("s3:GetObject"), { message: 'IAM dataset: service "s3" used before prepareActions()' });
    });

    it("knows each action's access level, resource types and ARN shapes", async () => {
        await prepareActions(["S3:GetObject", "xray:PutTraceSegments", "ce:GetCostAndUsage", "lambda:InvokeFunction", "*"]);
        assert.deepStrictEqual(lookupAction("s3:getobject"), {
            name: "s3:GetObject",
            accessLevel: "Read",
            resourceTypes: [{ name: "accesspointobject", required: false }, { name: "object", required: false }],
            resourceLevel: true,
            arnFormats: ["arn:*:s3:*:*:accesspoint/*/object/*", "arn:*:s3:::*/*"],
        });
        assert.deepStrictEqual(lookupAction("lambda:InvokeFunction")?.arnFormats, ["arn:*:lambda:*:*:function:*"]);
        // An optional type only, or none: the action needs Resource "*".
        assert.deepStrictEqual([lookupAction("ce:GetCostAndUsage")?.resourceLevel, lookupAction("xray:PutTraceSegments")?.resourceLevel], [false, false]);
        assert.strictEqual(lookupAction("s3:GetObjekt"), undefined);
    });

    it("expands a pattern to the actions it matches, an exact name to itself, a misspelt one to none", async () => {
        await prepareActions(["s3:GetObjectAc?", "lambda:x"]);
        assert.deepStrictEqual(expandAction("s3:GetObjectAc?").map((a) => a.name), ["s3:GetObjectAcl"]);
        assert.deepStrictEqual(expandAction("lambda:invokefunction*").map((a) => a.name).sort(), ["lambda:InvokeFunction", "lambda:InvokeFunctionUrl"]);
        assert.deepStrictEqual(expandAction("s3:getobject").map((a) => a.name), ["s3:GetObject"]);
        assert.deepStrictEqual(expandAction("s3:GetObjekt"), []);
    });

    it("knows no action of a service that does not exist", async () => {
        await prepareActions(["nosuchsvc:GetThing"]);
        assert.strictEqual(serviceExists("nosuchsvc:GetThing"), false);
        assert.strictEqual(lookupAction("nosuchsvc:GetThing"), undefined);
        assert.deepStrictEqual(expandAction("nosuchsvc:Get*"), []);
        assert.strictEqual(suggestAction("nosuchsvc:GetThing"), undefined);
    });

    it("suggests the closest action within max(2, a quarter of the name's length) edits, the first of a tie", async () => {
        const cases: [string, string | undefined][] = [
            ["s3:GetObjekt", "s3:GetObject"],                             // 1 edit
            ["kms:Decrpyt", "kms:Decrypt"],                               // 2 edits, the least limit
            ["dynamodb:BatchWriteItemzzz", "dynamodb:BatchWriteItem"],    // 3 edits, limit 4 (23 letters)
            ["dynamodb:BatchWriteItemzzzz", "dynamodb:BatchWriteItem"],   // 4 edits, limit 4
            ["lambda:InvokeFunctionXYZ", "lambda:InvokeFunctionUrl"],     // 3 edits from two; the dataset's first
            ["s3:Xyzzyq", undefined],                                     // 8 edits from any
            ["dynamodb:GetItmexyz", undefined],                           // 5 edits, limit 2 (10 letters)
        ];
        await prepareActions(cases.map(([a]) => a));
        assert.deepStrictEqual(cases.map(([a]) => [a, suggestAction(a)]), cases);
    });

    it("suggests the closest service prefix within two edits", async () => {
        const cases = [["dynamodbb", "dynamodb"], ["DYNAMODBXX", "dynamodb"], ["dynamodbxxx", undefined], ["lambada", "lambda"], ["ec", "ec2"], ["qqqqqqqq", undefined]];
        assert.deepStrictEqual(await Promise.all(cases.map(async ([s]) => [s, await suggestService(s!)])), cases);
    });

    it("says which action a pattern that matches none was probably meant to be", async () => {
        const vs = await violationsOf("aws-iam-policy-disallow-unknown-actions", [
            resource("aws:iam/policy:Policy", "p", { policy: json({ Effect: "Allow", Action: ["s3:GetObjekt*", ":GetObject"], Resource: "*" }) }),
        ]);
        assert.deepStrictEqual(vs.map((v) => v.message), [
            "Policy 'p' policy statement 0 has action `s3:GetObjekt*`, which matches no IAM action: use the exact name from the " +
            "Service Authorization Reference (did you mean s3:GetObject?).",
            "Policy 'p' policy statement 0 has action `:GetObject`, which is not of the form service:Action.",
        ]);
    });
});

describe("AWS managed policies", () => {
    it("are read by name from their ARN, as their current document; an unknown name has none", () => {
        const name = awsManagedPolicyName("arn:aws:iam::aws:policy/AdministratorAccess");
        assert.strictEqual(name, "AdministratorAccess");
        assert.deepStrictEqual(awsManagedPolicyDocument(name!)?.statements.map((s) => [s.effect, s.action, s.resource]), [["Allow", ["*"], ["*"]]]);
        assert.strictEqual(awsManagedPolicyDocument("NoSuchManagedPolicyName"), undefined);
    });
});
