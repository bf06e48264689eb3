// The decisions of lib/publicAccess.ts, one reproduction each: which condition pins the caller of a statement open
// to Principal "*" (key, operator, value), which principal counts as any account, which Deny in the same document
// guards an open Allow, and which claim each federated provider must pin.

import * as assert from "assert";
import { IamDocument, IamStatement, isDocumentError, readIamDocument } from "../../policypack/lib/iamDocument";
import { isAnyAccountPrincipal, isRestrictingOperator, publicReason, unscopedFederation } from "../../policypack/lib/publicAccess";
import { ACCOUNT, UNKNOWN } from "./support";

const ANYONE = "allows Principal \"*\" (any AWS account, and anonymous callers where the service allows them)";

function statements(...list: object[]): { doc: IamDocument; s: IamStatement[] } {
    const doc = readIamDocument({ Version: "2012-10-17", Statement: list });
    if (isDocumentError(doc)) throw new Error(doc.error);
    return { doc, s: doc.statements };
}
const OPEN = { Effect: "Allow", Principal: "*", Action: "sqs:SendMessage", Resource: `arn:aws:sqs:eu-west-1:${ACCOUNT}:q` };
/** Whether Allow Principal "*" with this Condition is open to any account. */
const openWith = (Condition: object) => publicReason(statements({ ...OPEN, Condition }).s[0]);

describe("which condition pins the caller", () => {
    const pins: [string, string, string][] = [
        ["aws:SourceArn", "ArnLike", `arn:aws:sns:eu-west-1:${ACCOUNT}:topic`],
        ["aws:SourceArn", "ArnLike", `arn:aws:sns:*:${ACCOUNT}:topic`],
        ["aws:SourceArn", "ArnEquals", "arn:aws:s3:::my-bucket"],
        ["aws:PrincipalArn", "ArnEquals", `arn:aws:iam::${ACCOUNT}:role/app`],
        ["s3:DataAccessPointArn", "StringEquals", `arn:aws:s3:eu-west-1:${ACCOUNT}:accesspoint/ap`],
        ["aws:SourceAccount", "StringEquals", ACCOUNT],
        ["aws:PrincipalAccount", "StringEquals", ACCOUNT],
        ["aws:SourceOwner", "StringEquals", ACCOUNT],
        ["kms:CallerAccount", "StringEquals", ACCOUNT],
        ["s3:DataAccessPointAccount", "StringEquals", ACCOUNT],
        ["aws:SourceOrgID", "StringEquals", "o-a1b2c3d4e5"],
        ["aws:PrincipalOrgID", "StringEquals", "o-a1b2c3d4e5"],
        ["aws:SourceOrgPaths", "ForAnyValue:StringLike", "o-a1b2c3d4e5/*"],
        ["aws:PrincipalOrgPaths", "ForAnyValue:StringLike", "o-a1b2c3d4e5/r-ab12/*"],
        ["aws:SourceVpce", "StringEquals", "vpce-1a2b3c4d"],
        ["aws:SourceVpc", "StringEquals", "vpc-1a2b3c4d"],
        ["aws:PrincipalAccount", "StringEquals", "${aws:ResourceAccount}"],
        ["aws:PrincipalOrgID", "StringEquals", "${aws:ResourceOrgID}"],
        ["aws:PrincipalOrgPaths", "ForAnyValue:StringEquals", "${aws:ResourceOrgPaths}"],
        ["aws:PrincipalArn", "ArnLike", "arn:aws:iam::${aws:ResourceAccount}:role/*"],
    ];
    for (const [key, operator, value] of pins) {
        it(`${operator} ${key} = ${value} pins the caller`, () => {
            assert.strictEqual(openWith({ [operator]: { [key]: value } }), undefined);
        });
    }

    const open: [string, object][] = [
        ["an ARN with a wildcard account", { ArnLike: { "aws:SourceArn": "arn:aws:sns:eu-west-1:*:topic" } }],
        ["an ARN with a wildcard partition", { ArnLike: { "aws:SourceArn": `arn:*:sns:eu-west-1:${ACCOUNT}:topic` } }],
        ["an ARN too short to have an account", { ArnLike: { "aws:SourceArn": `arn:aws:sns:${ACCOUNT}` } }],
        ["an ARN whose account field is not 12 digits", { ArnLike: { "aws:SourceArn": [`arn:aws:sns:eu-west-1:x${ACCOUNT}:topic`] } }],
        ["an ARN whose account field has 13 digits", { ArnLike: { "aws:SourceArn": `arn:aws:sns:eu-west-1:${ACCOUNT}0:topic` } }],
        ["an S3 access point ARN with a wildcard account", { ArnLike: { "aws:SourceArn": "arn:aws:s3:eu-west-1:*:accesspoint/ap" } }],
        ["an empty value list", { StringEquals: { "aws:SourceAccount": [] } }],
        ["a value that is not an ARN", { StringEquals: { "aws:SourceArn": `urn:aws:sns:eu-west-1:${ACCOUNT}:topic:x` } }],
        ["an S3 ARN with a wildcard bucket", { ArnLike: { "aws:SourceArn": "arn:aws:s3:::*" } }],
        ["an S3 ARN with no bucket", { ArnLike: { "aws:SourceArn": "arn:aws:s3:::" } }],
        ["another service's ARN without an account", { ArnLike: { "aws:SourceArn": "arn:aws:sns:::topic" } }],
        ["a wildcard account id", { StringLike: { "aws:SourceAccount": "*" } }],
        ["an empty account id", { StringEquals: { "aws:SourceAccount": "" } }],
        ["an organisation path without a literal organisation", { "ForAnyValue:StringLike": { "aws:PrincipalOrgPaths": "o-*/*" } }],
        ["an organisation path behind a wildcard", { "ForAnyValue:StringLike": { "aws:PrincipalOrgPaths": "*/o-a1b2c3d4e5/*" } }],
        ["an organisation path that is only the organisation id", { "ForAnyValue:StringLike": { "aws:PrincipalOrgPaths": "o-a1b2c3d4e5" } }],
        ["a key that pins nothing", { StringEquals: { "aws:UserAgent": "curl" } }],
        ["IfExists", { StringEqualsIfExists: { "aws:SourceAccount": ACCOUNT } }],
        ["a negation", { StringNotEquals: { "aws:SourceAccount": ACCOUNT } }],
        ["ForAllValues:", { "ForAllValues:StringEquals": { "aws:SourceAccount": ACCOUNT } }],
        ["Null", { Null: { "aws:SourceAccount": "false" } }],
        ["one pinned and one wildcard value", { StringLike: { "aws:SourceAccount": [ACCOUNT, "*"] } }],
        ["a caller variable", { StringEquals: { "aws:PrincipalAccount": "${aws:PrincipalAccount}" } }],
        ["an owner variable next to a caller variable", { ArnLike: { "aws:PrincipalArn": "arn:aws:iam::${aws:ResourceAccount}:role/${aws:username}" } }],
    ];
    for (const [what, condition] of open) {
        it(`stays open with ${what}`, () => {
            assert.deepStrictEqual(openWith(condition), { reason: ANYONE, pending: false });
        });
    }

    it("operators: only those that require the key and match it restrict", () => {
        const verdicts = ["StringEquals", "ForAnyValue:StringLike", "ArnLike", "StringEqualsIfExists", "ArnNotLike", "ForAllValues:StringEquals", "Null", "NULL"]
            .map((op) => [op, isRestrictingOperator(op)]);
        assert.deepStrictEqual(verdicts, [["StringEquals", true], ["ForAnyValue:StringLike", true], ["ArnLike", true], ["StringEqualsIfExists", false],
            ["ArnNotLike", false], ["ForAllValues:StringEquals", false], ["Null", false], ["NULL", false]]);
    });

    it("is pending while a condition unknown during preview may pin the caller, not when it cannot", () => {
        const pending = (Condition: unknown) => publicReason(statements({ ...OPEN, Condition }).s[0]);
        assert.deepStrictEqual(pending({ StringEquals: { "aws:SourceAccount": UNKNOWN } }), { reason: ANYONE, pending: true });
        assert.deepStrictEqual(pending({ StringEquals: UNKNOWN }), { reason: ANYONE, pending: true });
        assert.deepStrictEqual(pending(UNKNOWN), { reason: ANYONE, pending: true });
        assert.deepStrictEqual(pending({ StringEquals: { "aws:UserAgent": UNKNOWN } }), { reason: ANYONE, pending: false });
        assert.deepStrictEqual(pending({ StringNotEquals: { "aws:SourceAccount": UNKNOWN } }), { reason: ANYONE, pending: false });
    });
});

describe("which principal is open to any account", () => {
    it("names *, wildcards in or before the account field, and not wildcards after it", () => {
        const verdicts = ["*", "arn:aws:iam::*:root", "arn:aws:iam::12345678901?:root", "arn:*", "arn:aws:iam::*",
            `arn:aws:iam::${ACCOUNT}:root`, `arn:aws:iam::${ACCOUNT}:role/*`, ACCOUNT].map((p) => [p, isAnyAccountPrincipal(p)]);
        assert.deepStrictEqual(verdicts, [["*", true], ["arn:aws:iam::*:root", true], ["arn:aws:iam::12345678901?:root", true], ["arn:*", true],
            ["arn:aws:iam::*", true], [`arn:aws:iam::${ACCOUNT}:root`, false], [`arn:aws:iam::${ACCOUNT}:role/*`, false], [ACCOUNT, false]]);
    });

    it("gives the reason: NotPrincipal, Principal *, an AWS principal of any account; none for Deny or named principals", () => {
        const reason = (st: object) => publicReason(statements(st).s[0])?.reason;
        const base = { Effect: "Allow", Action: "sqs:SendMessage", Resource: "*" };
        assert.deepStrictEqual([
            reason({ ...base, NotPrincipal: { AWS: `arn:aws:iam::${ACCOUNT}:root` } }),
            reason({ ...base, Principal: { AWS: "*" } }),
            reason({ ...base, Principal: { AWS: [`arn:aws:iam::${ACCOUNT}:root`, "arn:aws:iam::*:role/x"] } }),
            reason({ ...base, Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` } }),
            reason({ ...base, Principal: { Service: "sns.amazonaws.com" } }),
            reason({ ...base, Effect: "Deny", Principal: "*" }),
            reason(base),
        ], [
            "uses NotPrincipal, which allows everyone not listed",
            ANYONE,
            "allows principal \"arn:aws:iam::*:role/x\", which matches any AWS account",
            undefined, undefined, undefined, undefined,
        ]);
    });
});

describe("a Deny in the same document that admits only pinned callers guards an open Allow", () => {
    const ALLOW = { Effect: "Allow", Principal: "*", Action: "execute-api:Invoke", Resource: "execute-api:/*" };
    const GUARD = { Effect: "Deny", Principal: "*", Action: "execute-api:Invoke", Resource: "execute-api:/*", Condition: { StringNotEquals: { "aws:SourceVpce": "vpce-1a2b3c4d" } } };
    const guarded = (deny: object, allow: object = ALLOW) => {
        const { doc, s } = statements(allow, deny);
        return publicReason(s[0], doc) === undefined;
    };

    it("closes the Allow with the documented private-API guard, and with Deny * on *", () => {
        assert.deepStrictEqual([guarded(GUARD), guarded({ ...GUARD, Action: "*", Resource: "*" }), guarded({ ...GUARD, Action: "execute-api:*", Resource: "execute-api:*" }),
            guarded({ ...GUARD, Action: ["s3:GetObject", "execute-api:Invoke"], Resource: ["arn:aws:s3:::b", "execute-api:/*"] })], [true, true, true, true]);
    });
    it("closes an Allow with NotAction or NotResource only by a Deny of every action or on every resource", () => {
        const notAction = { ...ALLOW, Action: undefined, NotAction: "iam:*" };
        const notResource = { ...ALLOW, Resource: undefined, NotResource: "execute-api:/admin" };
        assert.deepStrictEqual([guarded({ ...GUARD, Action: "*" }, notAction), guarded(GUARD, notAction),
            guarded({ ...GUARD, Resource: "*" }, notResource), guarded(GUARD, notResource)], [true, false, true, false]);
    });
    it("still judges the Allow without the document", () => {
        assert.notStrictEqual(publicReason(statements(ALLOW, GUARD).s[0]), undefined);
    });

    const notGuards: [string, object, object?][] = [
        ["an Allow in place of the Deny", { ...GUARD, Effect: "Allow" }],
        ["a Deny with NotAction", { ...GUARD, Action: undefined, NotAction: "s3:*" }],
        ["a Deny with NotResource", { ...GUARD, Resource: undefined, NotResource: "arn:aws:s3:::x" }],
        ["a Deny with NotPrincipal", { ...GUARD, Principal: undefined, NotPrincipal: { AWS: `arn:aws:iam::${ACCOUNT}:root` } }],
        ["a Deny without a Principal", { ...GUARD, Principal: undefined }],
        ["a Deny without an Action", { ...GUARD, Action: undefined }],
        ["a Deny without a Resource", { ...GUARD, Resource: undefined }],
        ["a Deny with one pinned and one wildcard value", { ...GUARD, Condition: { StringNotLike: { "aws:SourceVpce": ["vpce-1a2b3c4d", "vpce-*"] } } }],
        ["a Deny for one principal only", { ...GUARD, Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` } }],
        ["a Deny of fewer actions", { ...GUARD, Action: "execute-api:ManageConnections" }, { ...ALLOW, Action: ["execute-api:Invoke", "execute-api:ManageConnections"] }],
        ["a Deny on fewer resources", { ...GUARD, Resource: "execute-api:/prod/*" }],
        ["a Deny without a condition", { ...GUARD, Condition: undefined }],
        ["a Deny whose condition also applies to pinned callers (IfExists)", { ...GUARD, Condition: { StringNotEqualsIfExists: { "aws:SourceVpce": "vpce-1a2b3c4d" } } }],
        ["a Deny with ForAllValues:", { ...GUARD, Condition: { "ForAllValues:StringNotEquals": { "aws:SourceVpce": "vpce-1a2b3c4d" } } }],
        ["a Deny with ForAnyValue:", { ...GUARD, Condition: { "ForAnyValue:StringNotEquals": { "aws:SourceVpce": "vpce-1a2b3c4d" } } }],
        ["a Deny with a positive condition", { ...GUARD, Condition: { StringEquals: { "aws:SourceVpce": "vpce-1a2b3c4d" } } }],
        ["a Deny on a key that pins nothing", { ...GUARD, Condition: { StringNotEquals: { "aws:UserAgent": "curl" } } }],
        ["a Deny with a wildcard pin", { ...GUARD, Condition: { StringNotLike: { "aws:SourceVpce": "vpce-*" } } }],
        ["a Deny with an empty value list", { ...GUARD, Condition: { StringNotEquals: { "aws:SourceVpce": [] } } }],
        ["a Deny with an unknown value", { ...GUARD, Condition: { StringNotEquals: { "aws:SourceVpce": UNKNOWN } } }],
        ["a Deny with one pinning and one other condition", { ...GUARD, Condition: { StringNotEquals: { "aws:SourceVpce": "vpce-1a2b3c4d", "aws:UserAgent": "curl" } } }],
    ];
    for (const [what, deny, allow] of notGuards) {
        it(`does not close it with ${what}`, () => {
            assert.strictEqual(guarded(deny, allow), false);
        });
    }
});

describe("which claim each federated provider must pin", () => {
    const trust = (Federated: string, Condition?: object) =>
        unscopedFederation(statements({ Effect: "Allow", Principal: { Federated }, Action: "sts:AssumeRoleWithWebIdentity", Condition }).s[0]);
    const oidc = (host: string) => `arn:aws:iam::${ACCOUNT}:oidc-provider/${host}`;
    const EKS = "oidc.eks.eu-west-1.amazonaws.com/id/ABCDEF";
    const cases: [string, string, string, object][] = [
        ["GitHub", oidc("token.actions.githubusercontent.com"), "StringEquals (or StringLike) { \"token.actions.githubusercontent.com:sub\": <the exact subject, e.g. repo:org/repo:ref:refs/heads/main> }",
            { StringLike: { "token.actions.githubusercontent.com:sub": "repo:octo-org/app:*" }, StringEquals: { "token.actions.githubusercontent.com:aud": "sts.amazonaws.com" } }],
        ["EKS", oidc(EKS), `StringEquals { "${EKS}:sub": "system:serviceaccount:<namespace>:<service account>" }`,
            { StringLike: { [`${EKS}:sub`]: "system:serviceaccount:apps:*" } }],
        ["Google", "accounts.google.com", "StringEquals { \"accounts.google.com:aud\": <your app's client id> }", { StringEquals: { "accounts.google.com:aud": "client-1" } }],
        ["Facebook", "graph.facebook.com", "StringEquals { \"graph.facebook.com:app_id\": <your app id> }", { StringEquals: { "graph.facebook.com:app_id": "1234" } }],
        ["Login with Amazon", "www.amazon.com", "StringEquals { \"www.amazon.com:app_id\": <your app id> }", { StringEquals: { "www.amazon.com:app_id": "amzn1.application.x" } }],
        ["Cognito", "cognito-identity.amazonaws.com", "StringEquals { \"cognito-identity.amazonaws.com:aud\": <identity pool id> }",
            { StringEquals: { "cognito-identity.amazonaws.com:aud": "eu-west-1:1234" } }],
        ["SAML", `arn:aws:iam::${ACCOUNT}:saml-provider/okta`, "StringEquals { \"SAML:aud\": \"https://signin.aws.amazon.com/saml\" }",
            { StringEquals: { "SAML:aud": "https://signin.aws.amazon.com/saml" } }],
        ["another OIDC provider", oidc("gitlab.example.com"), "StringEquals (or StringLike) { \"gitlab.example.com:sub\": <the exact subject, e.g. repo:org/repo:ref:refs/heads/main> }",
            { StringLike: { "gitlab.example.com:sub": "project_path:group/app:*" } }],
    ];
    for (const [what, provider, advice, pinned] of cases) {
        it(`${what}: open with the advice without a pin, closed with the documented pin`, () => {
            const open = trust(provider);
            assert.strictEqual(open?.advice, advice);
            assert.match(open.reason, new RegExp(`^admits every identity of ${provider.replace(/[./]/g, "\\$&")} \\(no restricting condition on its (sub|aud|app_id) claim\\)$`));
            assert.strictEqual(trust(provider, pinned), undefined);
        });
    }

    it("GitHub needs the audience as well as the subject", () => {
        const open = trust(oidc("token.actions.githubusercontent.com"), { StringLike: { "token.actions.githubusercontent.com:sub": "repo:octo-org/app:*" } });
        assert.strictEqual(open?.advice, "StringEquals { \"token.actions.githubusercontent.com:aud\": \"sts.amazonaws.com\" }");
        assert.match(open.reason, /no restricting condition on its aud claim/);
    });

    const openSubjects: [string, string][] = [
        ["a leading wildcard", "*"], ["a wildcard in the claim name", "repo*"], ["a wildcard owner", "repo:*"], ["a partial owner", "repo:oct*"],
        ["an empty subject", ""], ["a caller variable", "repo:${aws:username}/*"],
    ];
    for (const [what, sub] of openSubjects) {
        it(`an OIDC subject with ${what} pins no owner`, () => {
            assert.notStrictEqual(trust(oidc("gitlab.example.com"), { StringLike: { "gitlab.example.com:sub": sub } }), undefined);
        });
    }
    it("an exact subject and an owner-prefixed pattern pin their owner", () => {
        assert.strictEqual(trust(oidc("gitlab.example.com"), { StringEquals: { "gitlab.example.com:sub": "project_path:group/app:ref_type:branch:ref:main" } }), undefined);
        assert.strictEqual(trust(oidc("gitlab.example.com"), { StringLike: { "gitlab.example.com:sub": "organization:org:*" } }), undefined);
    });
    it("an EKS subject must name its namespace before any wildcard", () => {
        const eks = (sub: string) => trust(oidc(EKS), { StringLike: { [`${EKS}:sub`]: sub } });
        assert.deepStrictEqual([eks("system:serviceaccount:apps:web"), eks("system:serviceaccount:apps:*"), eks("system:serviceaccount:*"), eks("system:*"),
            eks("*:system:serviceaccount:apps:*")].map((o) => o === undefined), [true, true, false, false, false]);
    });
    it("is pending while the claim's condition is unknown, and ignores Deny and non-federated statements", () => {
        assert.strictEqual(trust("accounts.google.com", { StringEquals: { "accounts.google.com:aud": UNKNOWN } })?.pending, true);
        assert.strictEqual(trust("accounts.google.com", { StringEquals: { "accounts.google.com:sub": UNKNOWN } })?.pending, false);
        assert.strictEqual(unscopedFederation(statements({ Effect: "Deny", Principal: { Federated: "accounts.google.com" }, Action: "sts:AssumeRoleWithWebIdentity" }).s[0]), undefined);
        assert.strictEqual(unscopedFederation(statements({ Effect: "Allow", Action: "s3:GetObject", Resource: "*" }).s[0]), undefined);
    });
});
