// What limits an escalation step, one reproduction each: the resources a step needs (other users, any role, any
// instance, task or project), unconditional Denies and the boundary, the conditions AWS documents as limiting
// (iam:PassedToService, iam:PolicyARN, iam:PermissionsBoundary, resource-tag ABAC), and what a boundary or a
// policy named in a condition is judged to hold back.

import * as assert from "assert";
import { PolicyLookup, describeFinding, escalationsOf, permissiveness } from "../../policypack/lib/escalation";
import { IamDocument, isDocumentError, readIamDocument } from "../../policypack/lib/iamDocument";
import type { PrincipalNode } from "../../policypack/lib/principalGraph";
import { ACCOUNT } from "./support";

function docOf(...Statement: object[]): IamDocument {
    const d = readIamDocument({ Version: "2012-10-17", Statement });
    if (isDocumentError(d)) throw new Error(d.error);
    return d;
}
const node = (grants: IamDocument[], boundaries: IamDocument[] = []): PrincipalNode => ({
    resource: undefined as never, kind: "role",
    grants: grants.map((doc, i) => ({ label: `Policy 'g${i}' policy`, doc })),
    boundaries: boundaries.map((doc, i) => ({ label: `Policy 'b${i}' policy`, doc })),
});
const allow = (Action: string | string[], Resource: string | string[] = "*", Condition?: object) => ({ Effect: "Allow", Action, Resource, Condition });
/** describeFinding of every path open to a role holding `statements` in one document. */
const findings = (statements: object[], boundaries: object[][] = [], lookup?: PolicyLookup) =>
    escalationsOf(node([docOf(...statements)], boundaries.map((b) => docOf(...b))), lookup).map(describeFinding);

const ACCESS_KEYS = "create access keys for another user and act as them";

describe("the resources an escalation step needs", () => {
    const keysOn = (resource: string) => findings([allow("iam:CreateAccessKey", resource)]);
    it("names other users and where they were granted, never the caller's own user", () => {
        assert.deepStrictEqual(keysOn("arn:aws:iam::*:user/*"), [`iam:CreateAccessKey on other users (arn:aws:iam::*:user/*) (Policy 'g0' policy statement 0): can ${ACCESS_KEYS}`]);
        assert.deepStrictEqual(keysOn(`arn:aws:iam::${ACCOUNT}:user/admin`).length, 1);
        assert.deepStrictEqual(keysOn("*").length, 1);
        for (const self of ["arn:aws:iam::*:user/${aws:username}", `arn:aws:iam::${ACCOUNT}:user/people/\${AWS:username}`]) {
            assert.deepStrictEqual(keysOn(self), [], self);
        }
        assert.deepStrictEqual(keysOn(`arn:aws:iam::${ACCOUNT}:role/*`), []);
    });

    it("lists at most three resources, then ...", () => {
        const users = ["a", "b", "c", "d"].map((u) => `arn:aws:iam::${ACCOUNT}:user/${u}`);
        assert.match(findings([allow("iam:CreateAccessKey", users)])[0], /on other users \(arn:aws:iam::\d+:user\/a, arn:aws:iam::\d+:user\/b, arn:aws:iam::\d+:user\/c, \.\.\.\) /);
        assert.match(findings([allow("iam:CreateAccessKey", users.slice(0, 3))])[0], /user\/c\) \(Policy/);
    });

    it("counts NotResource as every resource except those it lists", () => {
        const notResource = { Effect: "Allow", Action: "iam:CreatePolicyVersion", NotResource: ["arn:aws:iam::1:policy/a", "arn:aws:iam::1:policy/b", "arn:aws:iam::1:policy/c", "arn:aws:iam::1:policy/d"] };
        assert.deepStrictEqual(findings([notResource]), ["iam:CreatePolicyVersion on every resource except arn:aws:iam::1:policy/a, arn:aws:iam::1:policy/b, " +
            "arn:aws:iam::1:policy/c, ... (Policy 'g0' policy statement 0): can publish a new default version of a managed policy that grants anything"]);
    });

    it("needs any instance, task or project for the take-over paths, and names the scope", () => {
        const one = (action: string, resource: string) => findings([allow(action, resource)]);
        assert.deepStrictEqual(one("ssm:StartSession", "arn:aws:ec2:*:*:instance/*").map((f) => f.split(" (Policy")[0]), ["ssm:StartSession on any instance (arn:aws:ec2:*:*:instance/*)"]);
        assert.strictEqual(one("ssm:SendCommand", `arn:aws:ssm:eu-west-1:${ACCOUNT}:managed-instance/*`).length, 1);
        assert.deepStrictEqual(one("ssm:SendCommand", `arn:aws:ec2:eu-west-1:${ACCOUNT}:instance/i-1`), []);
        assert.deepStrictEqual(one("ecs:ExecuteCommand", "arn:aws:ecs:*:*:task/*").map((f) => f.split(" (Policy")[0]), ["ecs:ExecuteCommand on any ECS task (arn:aws:ecs:*:*:task/*)"]);
        assert.deepStrictEqual(one("ecs:ExecuteCommand", `arn:aws:ecs:eu-west-1:${ACCOUNT}:task/c/1`), []);
        assert.deepStrictEqual(one("codebuild:StartBuild", "arn:aws:codebuild:*:*:project/*").map((f) => f.split(" (Policy")[0]), ["codebuild:StartBuild on any CodeBuild project (arn:aws:codebuild:*:*:project/*)"]);
        assert.deepStrictEqual(one("sts:AssumeRole", `arn:aws:iam::${ACCOUNT}:role/app-*`).map((f) => f.split(" (Policy")[0]), [`sts:AssumeRole on any role (arn:aws:iam::${ACCOUNT}:role/app-*)`]);
        assert.deepStrictEqual(one("sts:AssumeRole", `arn:aws:iam::${ACCOUNT}:user/*`), []);
    });

    it("a statement without Resource or NotResource reaches nothing", () => {
        assert.deepStrictEqual(findings([{ Effect: "Allow", Action: "iam:CreatePolicyVersion" }]), []);
    });

    it("asks each action again per scope: codebuild:StartBuild on one project runs that project's path, not any project's", () => {
        const project = `arn:aws:codebuild:eu-west-1:${ACCOUNT}:project/build`;
        const f = escalationsOf(node([docOf(allow("iam:PassRole"), allow(["codebuild:CreateProject", "codebuild:StartBuild"], project))])).map((x) => x.path.effect);
        assert.deepStrictEqual(f, ["run code as a more privileged role in a CodeBuild project", "hand any role, including admin roles, to a service"]);
    });

    it("asks iam:PassRole again per path: passed to Lambda only opens the Lambda path, not the EC2 one", () => {
        const f = escalationsOf(node([docOf(allow("iam:PassRole", "*", { StringEquals: { "iam:PassedToService": "lambda.amazonaws.com" } }),
            allow(["lambda:CreateFunction", "lambda:InvokeFunction", "ec2:RunInstances"]))])).map((x) => x.path.effect);
        assert.deepStrictEqual(f, ["run code as a more privileged role through a new Lambda function", "hand any role, including admin roles, to a service"]);
    });

    it("takes the first statement that reaches, skipping those that do not", () => {
        const f = findings([allow("iam:CreateAccessKey", "arn:aws:iam::*:user/${aws:username}"), allow("iam:CreateAccessKey", "arn:aws:iam::*:user/ops-*")]);
        assert.deepStrictEqual(f, [`iam:CreateAccessKey on other users (arn:aws:iam::*:user/ops-*) (Policy 'g0' policy statement 1): can ${ACCESS_KEYS}`]);
    });
});

describe("Denies and the permissions boundary", () => {
    const keys = allow("iam:CreateAccessKey");
    it("an unconditional Deny on all resources removes the step, in the grants or in the boundary", () => {
        assert.deepStrictEqual(findings([keys, { Effect: "Deny", Action: "iam:Create*", Resource: "*" }]), []);
        assert.deepStrictEqual(findings([keys], [[allow("*"), { Effect: "Deny", Action: "iam:CreateAccessKey", Resource: "*" }]]), []);
    });
    it("a conditional Deny, a Deny on some resources, and a boundary Deny of other actions do not", () => {
        assert.strictEqual(findings([keys, { Effect: "Deny", Action: "iam:*", Resource: "*", Condition: { Bool: { "aws:MultiFactorAuthPresent": "false" } } }]).length, 1);
        assert.strictEqual(findings([keys, { Effect: "Deny", Action: "iam:*", Resource: "arn:aws:iam::*:user/admin" }]).length, 1);
        assert.strictEqual(findings([keys], [[allow("*"), { Effect: "Deny", Action: "s3:*", Resource: "*" }]]).length, 1);
    });
    it("a conditional Deny in the boundary does not remove the step", () => {
        assert.strictEqual(findings([keys], [[allow("*"), { Effect: "Deny", Action: "iam:*", Resource: "*", Condition: { Bool: { "aws:MultiFactorAuthPresent": "false" } } }]]).length, 1);
    });
    it("a boundary Allows the step when any one of its statements does", () => {
        assert.strictEqual(findings([keys], [[allow("s3:GetObject"), allow("iam:CreateAccessKey")]]).length, 1);
    });
    it("a boundary must Allow the step on a resource the step needs", () => {
        assert.strictEqual(findings([keys], [[allow("iam:CreateAccessKey")]]).length, 1);
        assert.deepStrictEqual(findings([keys], [[allow("iam:GetUser")]]), []);
        assert.deepStrictEqual(findings([keys], [[allow("iam:CreateAccessKey", "arn:aws:iam::*:user/${aws:username}")]]), []);
        assert.deepStrictEqual(findings([allow("iam:CreateAccessKey", "arn:aws:iam::*:user/${aws:username}")], [[allow("*")]]), []);
    });
});

describe("conditions AWS documents as limiting a step", () => {
    it("iam:PassedToService: open for a matching service or pattern, closed for others; a variable matches nothing", () => {
        const pass = (op: string, svc: string | string[]) => findings([allow("iam:PassRole", "*", { [op]: { "iam:PassedToService": svc } }), allow(["ec2:RunInstances"])])
            .filter((f) => f.includes("new EC2 instance")).length;
        assert.deepStrictEqual([
            pass("StringEquals", "ec2.amazonaws.com"), pass("StringLike", "ec2.*"), pass("StringEquals", ["lambda.amazonaws.com", "ec2.amazonaws.com"]),
            pass("StringEquals", "lambda.amazonaws.com"), pass("StringLike", "${aws:PrincipalTag/svc}"), pass("StringNotEquals", "lambda.amazonaws.com"),
            pass("StringEqualsIfExists", "lambda.amazonaws.com"),
        ], [1, 1, 1, 0, 0, 1, 1]);
    });

    const ADMIN = `arn:aws:iam::${ACCOUNT}:policy/admin`;
    const NARROW = `arn:aws:iam::${ACCOUNT}:policy/narrow`;
    const docs: Record<string, IamDocument> = {
        [ADMIN]: docOf(allow("*")),
        [NARROW]: docOf(allow("dynamodb:GetItem")),
    };
    const lookup: PolicyLookup = (arn) => docs[arn];

    it("iam:PolicyARN on attach actions: closed when every admitted policy holds, open (with why) otherwise", () => {
        const attach = (arn: string | string[], action = "iam:AttachRolePolicy") => findings([allow(action, "*", { ArnEquals: { "iam:PolicyARN": arn } })], [], lookup);
        assert.deepStrictEqual(attach(NARROW), []);
        assert.deepStrictEqual(attach(`arn:aws:iam::${ACCOUNT}:policy/elsewhere`), []);
        assert.deepStrictEqual(attach([NARROW, ADMIN]), [`iam:AttachRolePolicy on * (iam:PolicyARN admits ${ADMIN}, which allows every action) (Policy 'g0' policy statement 0): ` +
            "can attach any managed policy (e.g. AdministratorAccess) to a principal"]);
        assert.match(attach(`arn:aws:iam::${ACCOUNT}:policy/*`)[0], /iam:PolicyARN admits arn:aws:iam::\d+:policy\/\*, a pattern any policy can match\)/);
        assert.match(attach(`arn:aws:iam::\${aws:PrincipalAccount}:policy/x`)[0], /a pattern any policy can match/);
        assert.strictEqual(attach(NARROW, "iam:AttachUserPolicy").length, 0);
        assert.strictEqual(attach(NARROW, "iam:AttachGroupPolicy").length, 0);
        // On other actions iam:PolicyARN limits nothing.
        assert.strictEqual(findings([allow("iam:PutRolePolicy", "*", { ArnEquals: { "iam:PolicyARN": NARROW } })], [], lookup).length, 1);
        // Without a way to read policies, none is judged.
        assert.deepStrictEqual(findings([allow("iam:AttachRolePolicy", "*", { ArnEquals: { "iam:PolicyARN": ADMIN } })]), []);
    });

    it("iam:PermissionsBoundary: closed when the required boundary holds, open (with why) otherwise", () => {
        const put = (arn: string) => findings([allow("iam:PutRolePolicy", "*", { StringEquals: { "iam:PermissionsBoundary": arn } })], [], lookup);
        assert.deepStrictEqual(put(NARROW), []);
        assert.deepStrictEqual(put(ADMIN), [`iam:PutRolePolicy on * (iam:PermissionsBoundary admits ${ADMIN}, which allows every action) (Policy 'g0' policy statement 0): ` +
            "can write an inline policy granting anything to a principal"]);
    });

    it("names every policy a condition admits that opens the path", () => {
        const attach = findings([allow("iam:AttachRolePolicy", "*", { ArnLike: { "iam:PolicyARN": [ADMIN, `arn:aws:iam::${ACCOUNT}:policy/team-*`] } })], [], lookup);
        assert.match(attach[0], new RegExp(`\\(iam:PolicyARN admits ${ADMIN}, which allows every action; arn:aws:iam::\\d+:policy/team-\\*, a pattern any policy can match\\)`));
        const put = findings([allow("iam:PutRolePolicy", "*", { ArnLike: { "iam:PermissionsBoundary": [ADMIN, `arn:aws:iam::${ACCOUNT}:policy/team-*`] } })], [], lookup);
        assert.match(put[0], new RegExp(`\\(iam:PermissionsBoundary admits ${ADMIN}, which allows every action; arn:aws:iam::\\d+:policy/team-\\*, a pattern any policy can match\\)`));
    });

    it("a condition on another key limits neither iam:PassRole nor an attach action", () => {
        const region = { StringEquals: { "aws:RequestedRegion": "eu-west-1" } };
        assert.strictEqual(findings([allow("iam:PassRole", "*", region), allow(["lambda:CreateFunction", "lambda:InvokeFunction"])]).filter((f) => f.includes("new Lambda function")).length, 1);
        assert.strictEqual(findings([allow("iam:AttachRolePolicy", "*", region)], [], lookup).length, 1);
        // A principal tag whose name mentions resourcetag is not resource-tag ABAC.
        assert.strictEqual(findings([allow("lambda:UpdateFunctionCode", "*", { StringEquals: { "aws:PrincipalTag/x:resourcetag/team": "a" } })]).length, 1);
    });

    it("an unknown, empty or non-restricting condition limits nothing", () => {
        const attach = (Condition: object) => findings([allow("iam:AttachRolePolicy", "*", Condition)], [], lookup).length;
        assert.deepStrictEqual([attach({ ArnEqualsIfExists: { "iam:PolicyARN": NARROW } }), attach({ ArnEquals: { "iam:PolicyARN": [] } })], [1, 1]);
    });

    it("resource-tag ABAC holds unless the principal may retag, by any tagging action of the service or of IAM", () => {
        const abac = allow("lambda:UpdateFunctionCode", "*", { StringEquals: { "aws:ResourceTag/team": "payments" } });
        assert.deepStrictEqual(findings([abac]), []);
        const taggers = ["tag:TagResources", "iam:TagRole", "iam:TagUser", "lambda:TagResource", "lambda:TagResources", "lambda:CreateTags", "lambda:AddTagsToResource", "lambda:AddTags"];
        for (const tagger of taggers) {
            assert.deepStrictEqual(findings([abac, allow(tagger)]), ["lambda:UpdateFunctionCode on * (its aws:resourcetag/team condition does not hold: the principal can retag resources) " +
                "(Policy 'g0' policy statement 0): can replace a function's code and run as its role (code changes belong in `pulumi up`)"], tagger);
        }
        assert.deepStrictEqual(findings([abac, allow("ec2:CreateTags")]), []);
        assert.deepStrictEqual(findings([abac, allow("lambda:TagResource"), { Effect: "Deny", Action: "lambda:TagResource", Resource: "*" }]), []);
        assert.deepStrictEqual(escalationsOf(node([docOf(abac, allow("lambda:TagResource"))], [docOf(allow("lambda:UpdateFunctionCode"))])), []);
        assert.strictEqual(escalationsOf(node([docOf(abac, allow("lambda:TagResource"))], [docOf(allow(["lambda:UpdateFunctionCode", "lambda:TagResource"]))])).length, 1);
        assert.strictEqual(escalationsOf(node([docOf(abac, allow("lambda:TagResource"))], [docOf(allow("lambda:UpdateFunctionCode"), allow("lambda:TagResource"))])).length, 1);
    });
});

describe("what a boundary or a named policy holds back", () => {
    it("names what lets everything through, and what opens a path", () => {
        assert.deepStrictEqual([
            permissiveness(docOf(allow("*"))),
            permissiveness(docOf({ Effect: "Allow", NotAction: ["iam:*", "sts:*", "organizations:*", "account:*"], Resource: "*" })),
            permissiveness(docOf({ Effect: "Allow", NotAction: ["iam:*"], Resource: "*" })),
            permissiveness(docOf(allow("*"), { Effect: "Deny", Action: "iam:*", Resource: "*" })),
            permissiveness(docOf(allow(["iam:PassRole", "ec2:RunInstances"]))),
            permissiveness(docOf(allow("*", "*", { Bool: { "aws:MultiFactorAuthPresent": "true" } }))),
            permissiveness(docOf(allow("*", "arn:aws:s3:::b"))),
            permissiveness(docOf(allow("dynamodb:*"))),
        ], [
            "which allows every action",
            "which allows every action except iam:*, sts:*, organizations:*, ...",
            "which allows every action except iam:*",
            "which allows sts:AssumeRole (assume any role whose trust policy admits the account)",
            "which allows iam:PassRole + ec2:RunInstances (run code as a more privileged role on a new EC2 instance)",
            "which allows iam:CreatePolicyVersion (publish a new default version of a managed policy that grants anything)",
            // A step without a resource scope counts on whatever the statement names.
            "which allows iam:CreatePolicyVersion (publish a new default version of a managed policy that grants anything)",
            undefined,
        ]);
    });

    it("judges a chain of policies named in conditions two levels deep, deeper ones as open", () => {
        const chain = (n: number) => `arn:aws:iam::${ACCOUNT}:policy/level${n}`;
        // level n allows attaching only level n+1; the last level is narrow.
        const docs = (depth: number): Record<string, IamDocument> => Object.fromEntries(Array.from({ length: depth + 1 }, (_, n) => [chain(n),
            n === depth ? docOf(allow("dynamodb:GetItem")) : docOf(allow("iam:AttachRolePolicy", "*", { ArnEquals: { "iam:PolicyARN": chain(n + 1) } }))]));
        const open = (depth: number) => { const d = docs(depth); return permissiveness(d[chain(0)], (arn) => d[arn]); };
        assert.strictEqual(open(2), undefined);
        assert.match(open(4) ?? "", /^which allows iam:AttachRolePolicy \(attach any managed policy/);
    });

    it("counts a policy named three levels deep as open without reading it", () => {
        assert.strictEqual(permissiveness(docOf(allow("dynamodb:GetItem")), undefined, 3), "which names further policies");
        assert.strictEqual(permissiveness(docOf(allow("*")), undefined, 3), "which allows every action");
    });

    it("judges one document once per lookup", () => {
        const d = docOf(allow("iam:AttachRolePolicy", "*", { ArnEquals: { "iam:PolicyARN": "arn:aws:iam::1:policy/x" } }));
        const admin = docOf(allow("*"));
        assert.strictEqual(permissiveness(d, () => undefined), undefined);
        assert.match(permissiveness(d, () => admin) ?? "", /which allows iam:AttachRolePolicy/);
        assert.strictEqual(permissiveness(d, () => undefined), undefined);
    });
});
