// Every element lib/iamDocument.ts reads, each as the policies see it afterwards, and the ARN questions the
// policies ask of a Resource: one reproduction per decision.

import * as assert from "assert";
import {
    IamDocument, appliesToAnyRole, isAllResources, isDocumentError, isUnconditionalDenyOnAll, isWildcardRoleResource, namesEvery,
    reachesAny, readIamDocument, statementLabel,
} from "../../policypack/lib/iamDocument";
import { unknownCheckingProxy } from "../../policypack/lib/policyInternals";
import { ACCOUNT, UNKNOWN } from "./support";

const noPrincipal = { anyone: false, aws: [], service: [], federated: [], canonicalUser: [] };

function read(value: unknown): IamDocument {
    const d = readIamDocument(value);
    if (isDocumentError(d)) throw new Error(d.error);
    return d;
}

describe("readIamDocument reads every element", () => {
    it("normalises a full statement: Sid, lists, every principal kind, conditions with lower-cased keys", () => {
        const d = read(JSON.stringify({
            Version: "2012-10-17",
            Statement: [{
                Sid: "All",
                Effect: "Allow",
                Action: ["s3:GetObject", "s3:PutObject"],
                Resource: "arn:aws:s3:::b/*",
                Principal: { AWS: [`arn:aws:iam::${ACCOUNT}:root`], Service: "lambda.amazonaws.com", Federated: "accounts.google.com", CanonicalUser: "abc", Other: "x" },
                Condition: { StringEquals: { "AWS:SourceAccount": ACCOUNT, "aws:SourceVpce": ["vpce-1", 7, null] }, Bool: { "aws:SecureTransport": true } },
            }, {
                Effect: "Deny",
                NotAction: "iam:*",
                NotResource: ["arn:aws:s3:::b"],
                NotPrincipal: "arn:aws:iam::111122223333:root",
            }],
        }));
        assert.deepStrictEqual(d, {
            unknownParts: [],
            statements: [{
                index: 0, sid: "All", effect: "Allow", action: ["s3:GetObject", "s3:PutObject"], notAction: undefined, resource: ["arn:aws:s3:::b/*"], notResource: undefined,
                principal: { anyone: false, aws: [`arn:aws:iam::${ACCOUNT}:root`, "x"], service: ["lambda.amazonaws.com"], federated: ["accounts.google.com"], canonicalUser: ["abc"] },
                notPrincipal: undefined,
                conditions: [
                    { operator: "StringEquals", key: "aws:sourceaccount", values: [ACCOUNT] },
                    { operator: "StringEquals", key: "aws:sourcevpce", values: ["vpce-1", "7"] },
                    { operator: "Bool", key: "aws:securetransport", values: ["true"] },
                ],
                unknownParts: [],
            }, {
                index: 1, sid: undefined, effect: "Deny", action: undefined, notAction: ["iam:*"], resource: undefined, notResource: ["arn:aws:s3:::b"],
                principal: undefined, notPrincipal: { ...noPrincipal, aws: ["arn:aws:iam::111122223333:root"] }, conditions: [], unknownParts: [],
            }],
        });
    });

    it("reads Principal \"*\" and AWS \"*\" as anyone, a non-object principal as nobody, and a missing Effect as \"\"", () => {
        const d = read({ Statement: [{ Effect: "Allow", Principal: "*" }, { Effect: "Allow", Principal: { AWS: ["a", "*"] } }, { Principal: 5, Sid: 3 }] });
        assert.deepStrictEqual(d.statements.map((s) => [s.principal, s.effect, s.sid]), [
            [{ ...noPrincipal, anyone: true }, "Allow", undefined],
            [{ ...noPrincipal, anyone: true, aws: ["a", "*"] }, "Allow", undefined],
            [noPrincipal, "", undefined],
        ]);
    });

    it("skips condition blocks that are not objects and Conditions that are not objects", () => {
        const d = read({ Statement: [{ Effect: "Allow", Condition: { StringEquals: "x", Bool: null } }, { Effect: "Allow", Condition: "x" }] });
        assert.deepStrictEqual(d.statements.map((s) => s.conditions), [[], []]);
    });

    it("keeps every part unknown during preview as unknownParts, with its path, and reads the rest", () => {
        const d = read(unknownCheckingProxy({
            Statement: [
                UNKNOWN,
                { Effect: UNKNOWN, Action: ["s3:GetObject", UNKNOWN], Resource: UNKNOWN, Principal: UNKNOWN },
                { Effect: "Allow", Principal: { AWS: [UNKNOWN, "a"] }, Condition: UNKNOWN },
                { Effect: "Allow", Condition: { StringEquals: UNKNOWN, ArnLike: { "aws:SourceArn": UNKNOWN, "aws:SourceAccount": ["1", UNKNOWN] } } },
            ],
        }));
        assert.deepStrictEqual(d.unknownParts, [
            "Statement[0]",
            "Statement[1].Effect", "Statement[1].Action[1]", "Statement[1].Resource", "Statement[1].Principal",
            "Statement[2].Principal.AWS[0]", "Statement[2].Condition",
            "Statement[3].Condition.StringEquals", "Statement[3].Condition.ArnLike.aws:SourceArn", "Statement[3].Condition.ArnLike.aws:SourceAccount[1]",
        ]);
        assert.deepStrictEqual(d.statements[0], { index: 0, effect: "Allow", conditions: [], unknownParts: ["Statement[0]"] });
        const [, s1, s2, s3] = d.statements;
        assert.deepStrictEqual([s1.effect, s1.action, s1.resource, s1.principal], ["Allow", ["s3:GetObject"], undefined, noPrincipal]);
        assert.deepStrictEqual([s2.principal, s2.conditions], [{ ...noPrincipal, aws: ["a"] }, [{ operator: "?", key: "?", values: [], unknown: true }]]);
        assert.deepStrictEqual(s3.conditions, [
            { operator: "StringEquals", key: "?", values: [], unknown: true },
            { operator: "ArnLike", key: "aws:sourcearn", values: [], unknown: true },
            { operator: "ArnLike", key: "aws:sourceaccount", values: ["1"], unknown: true },
        ]);
        assert.deepStrictEqual(read({ Statement: UNKNOWN }), { statements: [], unknownParts: ["Statement"] });
    });

    it("says why a document cannot be read", () => {
        const errors = [
            "{not json", "[1]", "null", JSON.stringify({ Version: "2012-10-17" }), JSON.stringify({ Statement: null }),
            JSON.stringify({ Statement: [{ Effect: "Allow" }, "x"] }), JSON.stringify({ Statement: [[]] }), JSON.stringify({ Statement: [null] }), 42,
        ].map((v) => readIamDocument(v));
        assert.deepStrictEqual(errors.map((e) => (isDocumentError(e) ? e.error.replace(/\(.*\)/, "(...)") : e)), [
            "the document is not valid JSON (...)",
            "the document is not a JSON object",
            "the document is not a JSON object",
            "the document has no Statement",
            "the document has no Statement",
            "Statement[1] is not an object",
            "Statement[0] is not an object",
            "Statement[0] is not an object",
            "the document is neither a JSON string nor an object",
        ]);
    });

    it("labels statements by index, and by Sid when they have one", () => {
        const d = read({ Statement: [{ Effect: "Allow" }, { Sid: "ReadTable", Effect: "Allow" }] });
        assert.deepStrictEqual(d.statements.map(statementLabel), ["statement 0", "statement 1 (Sid \"ReadTable\")"]);
    });
});

describe("what a Resource reaches", () => {
    it("isAllResources: *, and ARN patterns that match every ARN of their partition", () => {
        const cases: [string, boolean][] = [
            ["*", true], ["arn:*", true], ["arn:aws:*", true], ["arn:aws:*:*:*:*", true], ["ARN:AWS:*", true], ["arn:aws-cn:*", true], ["arn:*:*", true],
            ["arn:aws:s3:::*", false], ["arn:aws:*:*:*:role/*", false], [`arn:aws:*:*:${ACCOUNT}:*`, false], ["arn:aws:iam::*", false],
            ["arn:aws:s3:::bucket", false], ["s3:*", false], ["", false],
        ];
        assert.deepStrictEqual(cases.map(([r]) => [r, isAllResources(r)]), cases);
    });

    it("namesEvery: every resource of the template's type in the partition, region and account the pattern names", () => {
        const object = "arn:*:s3:::*/*";
        const instance = "arn:*:ec2:*:*:instance/*";
        const cases: [string, string, boolean][] = [
            ["*", object, true],
            ["arn:aws:s3:::*/*", object, true],
            ["arn:aws:s3:::b/*", object, false],
            [`arn:aws:ec2:eu-west-1:${ACCOUNT}:instance/*`, instance, true],
            ["arn:aws:ec2:*:*:instance/*", instance, true],
            [`arn:aws:ec2:eu-west-1:${ACCOUNT}:instance/i-1`, instance, false],
            [`arn:aws:ec2:eu-west-1:*:instance/i-*`, instance, false],
            ["arn:aws:ec2", instance, false],
            ["arn:aws:iam::*", "arn:*:iam::*:role/*", true],
        ];
        assert.deepStrictEqual(cases.map(([r, t]) => [r, t, namesEvery(r, t)]), cases);
    });

    it("reachesAny and isWildcardRoleResource: a wildcard that can name a role the author did not pick", () => {
        const cases: [string, boolean][] = [
            ["*", true], ["arn:aws:iam::*", true], [`arn:aws:iam::${ACCOUNT}:role/*`, true], [`arn:aws:iam::${ACCOUNT}:role/app-*`, true],
            ["arn:aws:iam::*:role/x", true], [`arn:aws:iam::${ACCOUNT}:role/x`, false], [`arn:aws:iam::${ACCOUNT}:user/*`, false],
            [`arn:aws:iam::${ACCOUNT}:policy/*`, false], ["arn:aws:s3:::*", false],
        ];
        assert.deepStrictEqual(cases.map(([r]) => [r, isWildcardRoleResource(r)]), cases);
        assert.deepStrictEqual([reachesAny("*", "arn:%:ecs:%:%:task/%"), reachesAny("arn:aws:ecs:*:*:task/*", "arn:%:ecs:%:%:task/%"),
            reachesAny(`arn:aws:ecs:eu-west-1:${ACCOUNT}:task/c/1`, "arn:%:ecs:%:%:task/%")], [true, true, false]);
    });

    const statement = (o: object) => read({ Statement: [o] }).statements[0];
    it("appliesToAnyRole: a wildcard role Resource or NotResource", () => {
        assert.deepStrictEqual([
            statement({ Effect: "Allow", Action: "iam:PassRole", Resource: ["arn:aws:iam::1:role/x", "arn:aws:iam::1:role/y*"] }),
            statement({ Effect: "Allow", Action: "iam:PassRole", NotResource: "arn:aws:iam::1:role/admin" }),
            statement({ Effect: "Allow", Action: "iam:PassRole", Resource: "arn:aws:iam::1:role/x" }),
            statement({ Effect: "Allow", Action: "iam:PassRole" }),
        ].map(appliesToAnyRole), [true, true, false, false]);
    });

    it("isUnconditionalDenyOnAll: a Deny without conditions on every resource, never NotResource", () => {
        assert.deepStrictEqual([
            statement({ Effect: "Deny", Action: "iam:*", Resource: ["arn:aws:s3:::b", "*"] }),
            statement({ Effect: "Deny", Action: "iam:*", Resource: "arn:aws:*" }),
            statement({ Effect: "Allow", Action: "iam:*", Resource: "*" }),
            statement({ Effect: "Deny", Action: "iam:*", Resource: "*", Condition: { Bool: { "aws:MultiFactorAuthPresent": "false" } } }),
            statement({ Effect: "Deny", Action: "iam:*", NotResource: "arn:aws:s3:::b" }),
            statement({ Effect: "Deny", Action: "iam:*", Resource: "arn:aws:s3:::*" }),
            statement({ Effect: "Deny", Action: "iam:*" }),
        ].map(isUnconditionalDenyOnAll), [true, true, false, false, false, false, false]);
    });
});
