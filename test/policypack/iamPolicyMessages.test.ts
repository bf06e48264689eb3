// The IAM policies' verdicts as a user reads them: per decision the exact message (which document, which statement,
// which action or resource, what to do), and the exact "cannot be verified until known" notice where the verdict
// waits on a value a preview does not have.

import * as assert from "assert";
import { ACCOUNT, UNKNOWN, allow, json, messages, resource, role, run, urnOf, violationsOf } from "./support";
import { RunnerResource } from "../../tools/lib/packRunner";

const WILDCARD_ACTIONS = "aws-iam-policy-disallow-wildcard-actions";
const OTHER_ACCOUNT = "210987654321";
const FIX_ACTIONS = "a wildcard grants every matching action, including ones AWS adds later. List the exact actions the principal calls.";
const AWS_POLICY = (name: string) => `arn:aws:iam::aws:policy/${name}`;

const policy = (name: string, ...statements: object[]) => resource("aws:iam/policy:Policy", name, { policy: json(...statements) });
const rolePolicy = (name: string, ...statements: object[]) => resource("aws:iam/rolePolicy:RolePolicy", name, { role: "r", policy: json(...statements) });
const attach = (name: string, roleName: string, policyArn: string) =>
    resource("aws:iam/rolePolicyAttachment:RolePolicyAttachment", name, { role: `${roleName}-abc123`, policyArn });
const cannotVerify = (policyName: string, what: string) =>
    `: can't run policy '${policyName}' from policy pack 'swiftsupport-aws@v0.1.0' during preview: ${what} cannot be ` +
    "verified until the value is known (it is checked in full when known, e.g. on `pulumi up`)";

async function assertMessages(policyName: string, resources: RunnerResource[], expected: string[]): Promise<void> {
    assert.deepStrictEqual(messages(await violationsOf(policyName, resources)), expected);
}

describe("aws-iam-policy-disallow-wildcard-actions: messages", () => {
    const wildcard = (where: string, action: string, scope: string) => `${where} allows \`${action}\`${scope}: ${FIX_ACTIONS}`;

    it("names the statement, the pattern and how many actions it matches, listing at most six", async () => {
        await assertMessages(WILDCARD_ACTIONS, [
            policy("star", allow("*")),
            policy("one", allow("dynamodb:GetIte?")),
            policy("six", allow("dynamodb:Delete*")),
            policy("more", { Sid: "Read", ...allow(["dynamodb:GetItem", "dynamodb:Get*"]) }),
            policy("none", allow("dynamodb:Gte*")),
        ], [
            `star: ${wildcard("Policy 'star' policy statement 0", "*", " (every action of every service)")}`,
            `one: ${wildcard("Policy 'one' policy statement 0", "dynamodb:GetIte?", " (1 action: dynamodb:GetItem)")}`,
            `six: ${wildcard("Policy 'six' policy statement 0", "dynamodb:Delete*", " (6 actions: dynamodb:DeleteGlobalTableWitness, " +
                "dynamodb:DeleteTableReplica, dynamodb:DeleteBackup, dynamodb:DeleteItem, dynamodb:DeleteResourcePolicy, dynamodb:DeleteTable)")}`,
            `more: ${wildcard("Policy 'more' policy statement 0 (Sid \"Read\")", "dynamodb:Get*", " (5 actions: dynamodb:GetAbacStatus, " +
                "dynamodb:GetItem, dynamodb:GetRecords, dynamodb:GetResourcePolicy, dynamodb:GetShardIterator)")}`,
            // A pattern that matches nothing gets no count (aws-iam-policy-disallow-unknown-actions says it matches nothing).
            `none: ${wildcard("Policy 'none' policy statement 0", "dynamodb:Gte*", "")}`,
        ]);
        const vs = await violationsOf(WILDCARD_ACTIONS, [policy("many", allow("dynamodb:Update*"))]);
        assert.strictEqual(vs.length, 1);
        assert.match(vs[0].message, /allows `dynamodb:Update\*` \(11 actions: (dynamodb:\w+, ){6}\.\.\.\): /);
    });

    it("names what NotAction with Allow leaves out", async () => {
        await assertMessages(WILDCARD_ACTIONS, [rolePolicy("p", { Effect: "Allow", NotAction: ["iam:*", "s3:*"], Resource: "*" })], [
            "p: RolePolicy 'p' policy statement 0 uses NotAction with Allow, which allows every action except iam:*, s3:*: " +
            "list the actions needed in Action instead.",
        ]);
    });

    describe("the key policy's delegation to the account's IAM (kms:* for the key's own account root)", () => {
        const rootStatement = (principals: string | string[], Action: string | string[] = "kms:*") =>
            ({ Effect: "Allow", Principal: { AWS: principals }, Action, Resource: "*" });
        const key = (name: string, statement: object, props: Record<string, unknown> = {}) =>
            resource("aws:kms/key:Key", name, { policy: json(statement), ...props });
        const keyArn = (account: string) => `arn:aws:kms:eu-west-1:${account}:key/k-1`;
        const root = (account: string) => `arn:aws:iam::${account}:root`;
        const kmsStar = (where: string) => wildcard(where, "kms:*", " (56 actions: kms:SynchronizeMultiRegionKey, kms:CancelKeyDeletion, " +
            "kms:ConnectCustomKeyStore, kms:CreateAlias, kms:CreateCustomKeyStore, kms:CreateGrant, ...)");
        const otherAccountRole = role("elsewhere", { arn: `arn:aws:iam::${OTHER_ACCOUNT}:role/elsewhere` });

        it("exempts it for the account the key's own ARN names, even in a stack of two accounts", async () => {
            await assertMessages(WILDCARD_ACTIONS, [key("k", rootStatement(root(ACCOUNT)), { arn: keyArn(ACCOUNT) }), otherAccountRole], []);
        });

        it("exempts it for the bare account id, in any case of kms:*, with the account of the stack's only ARN account", async () => {
            await assertMessages(WILDCARD_ACTIONS, [key("k", rootStatement(ACCOUNT, "KMS:*")), role("r")], []);
            // During a preview a new key's ARN is unknown: the stack's account still decides.
            await assertMessages(WILDCARD_ACTIONS, [key("k", rootStatement(root(ACCOUNT)), { arn: UNKNOWN, keyId: UNKNOWN }), role("r")], []);
        });

        it("takes a key policy's account from its key ARN, else from the key it names", async () => {
            const keyPolicy = (name: string, props: Record<string, unknown>, extra: Partial<RunnerResource> = {}) =>
                resource("aws:kms/keyPolicy:KeyPolicy", name, { policy: json(rootStatement(root(ACCOUNT))), ...props }, extra);
            await assertMessages(WILDCARD_ACTIONS, [
                keyPolicy("by-arn", { keyId: `arn:aws:kms:eu-west-1:${ACCOUNT}:key/k-2` }),
                resource("aws:kms/key:Key", "key", { arn: keyArn(ACCOUNT), keyId: "k-1" }),
                keyPolicy("by-key", { keyId: "k-1" }, { propertyDependencies: { keyId: [urnOf("aws:kms/key:Key", "key")] } }),
                otherAccountRole,
            ], []);
            // A key whose ARN is unknown says nothing: the stack's only account decides.
            await assertMessages(WILDCARD_ACTIONS, [
                resource("aws:kms/key:Key", "new", { arn: UNKNOWN, keyId: "k-3" }),
                keyPolicy("of-new", { keyId: UNKNOWN }, { propertyDependencies: { keyId: [urnOf("aws:kms/key:Key", "new")] } }),
                role("r"),
            ], []);
        });

        it("reports kms:* for another account's root, a mix of roots, a principal that is no root, and no principal", async () => {
            await assertMessages(WILDCARD_ACTIONS, [
                key("other", rootStatement(root(OTHER_ACCOUNT)), { arn: keyArn(ACCOUNT) }),
                key("both", rootStatement([root(ACCOUNT), root(OTHER_ACCOUNT)]), { arn: keyArn(ACCOUNT) }),
                key("role", rootStatement(`arn:aws:iam::${ACCOUNT}:role/admin`), { arn: keyArn(ACCOUNT) }),
                key("nobody", rootStatement([]), { arn: keyArn(ACCOUNT) }),
            ], [
                `other: ${kmsStar("Key 'other' policy statement 0")}`,
                `both: ${kmsStar("Key 'both' policy statement 0")}`,
                `role: ${kmsStar("Key 'role' policy statement 0")}`,
                `nobody: ${kmsStar("Key 'nobody' policy statement 0")}`,
            ]);
        });

        it("reports a root and a non-root principal even when the key's account is unknown", async () => {
            await assertMessages(WILDCARD_ACTIONS, [key("mixed", rootStatement([root(ACCOUNT), `arn:aws:iam::${ACCOUNT}:role/admin`]))], [
                `mixed: ${kmsStar("Key 'mixed' policy statement 0")}`,
            ]);
        });

        it("reports more than kms:*, NotAction, and the same statement in a resource policy that is no key's", async () => {
            await assertMessages(WILDCARD_ACTIONS, [
                key("more", rootStatement(root(ACCOUNT), ["kms:*", "iam:PassRol?"]), { arn: keyArn(ACCOUNT) }),
                key("not", { Effect: "Allow", Principal: { AWS: root(ACCOUNT) }, NotAction: "kms:ScheduleKeyDeletion", Resource: "*" }, { arn: keyArn(ACCOUNT) }),
                resource("aws:sqs/queuePolicy:QueuePolicy", "queue", { queueUrl: "q", policy: json(rootStatement(root(ACCOUNT))) }),
            ], [
                `more: ${kmsStar("Key 'more' policy statement 0")}`,
                `more: ${wildcard("Key 'more' policy statement 0", "iam:PassRol?", " (1 action: iam:PassRole)")}`,
                "not: Key 'not' policy statement 0 uses NotAction with Allow, which allows every action except kms:ScheduleKeyDeletion: " +
                "list the actions needed in Action instead.",
                `queue: ${kmsStar("QueuePolicy 'queue' policy statement 0")}`,
            ]);
        });

        it("waits for the key's account when neither the key nor the stack names exactly one", async () => {
            const waits = cannotVerify(WILDCARD_ACTIONS,
                `Key 'k' \`policy statement 0 (whether ${root(ACCOUNT)}, ${root(OTHER_ACCOUNT)} is the key's own account)\``);
            const statement = rootStatement([root(ACCOUNT), root(OTHER_ACCOUNT)]);
            await assertMessages(WILDCARD_ACTIONS, [key("k", statement)], [waits]);
            await assertMessages(WILDCARD_ACTIONS, [key("k", statement), role("r"), otherAccountRole], [waits]);
        });
    });

    describe("policies that may be a permissions boundary not yet known", () => {
        const unresolved = [role("r1", { permissionsBoundary: UNKNOWN }), role("r2", { permissionsBoundary: UNKNOWN })];

        it("waits for an unattached managed policy with a wildcard, naming the roles whose boundary is unknown", async () => {
            await assertMessages(WILDCARD_ACTIONS, [policy("p", allow("s3:GetObjec?")), ...unresolved], [
                cannotVerify(WILDCARD_ACTIONS, "Policy 'p' `policy (whether it is only a permissions boundary, referenced by 'r1', 'r2')`"),
            ]);
        });

        it("judges an attached policy, an inline policy, and a policy without wildcards at once", async () => {
            const attached = resource("aws:iam/policy:Policy", "attached", {
                arn: `arn:aws:iam::${ACCOUNT}:policy/attached`, policy: json(allow("s3:GetObjec?")),
            });
            await assertMessages(WILDCARD_ACTIONS, [
                attached, role("user", { managedPolicyArns: [`arn:aws:iam::${ACCOUNT}:policy/attached`] }),
                rolePolicy("inline", allow("s3:GetObjec?")),
                policy("exact", allow("s3:GetObject")),
                ...unresolved,
            ], [
                `attached: ${wildcard("Policy 'attached' policy statement 0", "s3:GetObjec?", " (1 action: s3:GetObject)")}`,
                `inline: ${wildcard("RolePolicy 'inline' policy statement 0", "s3:GetObjec?", " (1 action: s3:GetObject)")}`,
            ]);
        });

        it("judges a boundary policy that is also attached as a grant", async () => {
            const boundary = resource("aws:iam/policy:Policy", "boundary", {
                arn: `arn:aws:iam::${ACCOUNT}:policy/boundary`, policy: json(allow("s3:GetObjec?")),
            });
            await assertMessages(WILDCARD_ACTIONS, [boundary, role("r", { managedPolicyArns: [`arn:aws:iam::${ACCOUNT}:policy/boundary`] })], [
                `boundary: ${wildcard("Policy 'boundary' policy statement 0", "s3:GetObjec?", " (1 action: s3:GetObject)")}`,
            ]);
        });
    });

    it("waits for an Effect, Action or NotAction a preview does not know", async () => {
        await assertMessages(WILDCARD_ACTIONS, [
            policy("effect", { Effect: UNKNOWN, Action: "s3:GetObject", Resource: "*" }),
            policy("action", { Effect: "Allow", Action: UNKNOWN, Resource: "*" }),
            policy("notaction", { Effect: "Allow", NotAction: UNKNOWN, Resource: "*" }),
        ], [
            cannotVerify(WILDCARD_ACTIONS, "Policy 'effect' `policy Statement[0].Effect`, Policy 'action' `policy Statement[0].Action`, Policy 'notaction' `policy Statement[0].NotAction`"),
        ]);
    });

    it("summarises an attached AWS managed policy: how many patterns, the first five, NotAction; Deny is no grant", async () => {
        const resources = [
            role("admin"), attach("admin-a", "admin", AWS_POLICY("AdministratorAccess")),
            role("s3ro"), attach("s3ro-a", "s3ro", AWS_POLICY("AmazonS3ReadOnlyAccess")),
            role("power"), attach("power-a", "power", AWS_POLICY("PowerUserAccess")),
            role("deny"), attach("deny-a", "deny", AWS_POLICY("AWSDenyAll")),
        ];
        const vs = await violationsOf(WILDCARD_ACTIONS, resources);
        const summary = (name: string, policyName: string, list: string) => `${name}: RolePolicyAttachment '${name}' attaches the ` +
            `AWS managed policy ${policyName}, which allows ${list}: AWS changes what it grants at will. Write a customer ` +
            "managed policy that lists the exact actions instead.";
        assert.deepStrictEqual(messages(vs), [
            summary("admin-a", "AdministratorAccess", "1 wildcard action pattern (`*`)"),
            summary("s3ro-a", "AmazonS3ReadOnlyAccess", "5 wildcard action patterns (`s3:Get*`, `s3:List*`, `s3:Describe*`, " +
                "`s3-object-lambda:Get*`, `s3-object-lambda:List*`)"),
            summary("power-a", "PowerUserAccess", "1 wildcard action pattern (`NotAction iam:*, organizations:*, account:*`)"),
        ]);
        const ro = await violationsOf(WILDCARD_ACTIONS, [role("ro"), attach("ro-a", "ro", AWS_POLICY("ReadOnlyAccess"))]);
        assert.match(messages(ro)[0], /^ro-a: .* ReadOnlyAccess, which allows \d+ wildcard action patterns \((`[^`]+`, ){5}\.\.\.\): AWS changes/);
    });
});

describe("aws-iam-policy-disallow-wildcard-resources: messages", () => {
    const WILDCARD_RESOURCES = "aws-iam-policy-disallow-wildcard-resources";
    const TABLES = `arn:aws:dynamodb:eu-west-1:${ACCOUNT}:table/*`;
    const onAll = (where: string, offending: string, scope = "Resource \"*\"") => `${where} allows ${offending} on ${scope}, but these ` +
        "actions support resource-level permissions: name the ARNs they act on (e.g. the table, queue or bucket outputs).";
    const everyOf = (where: string, actions: string, resources: string) => `${where} allows ${actions} on ${resources}, which names ` +
        "every resource of the type these actions act on (as IAM matches ARNs, `*` crosses `:` and `/`): name the ARNs they act on.";

    it("names the actions on Resource * (a wildcard with up to four it includes), NotAction, and NotResource", async () => {
        await assertMessages(WILDCARD_RESOURCES, [policy("p",
            { Effect: "Allow", NotAction: ["iam:*", "s3:*"], Resource: "*" },
            allow(["dynamodb:Put*", "lambda:*Alias", "kms:Get*", "dynamodb:GetItem", "xray:PutTraceSegments", "*"], "*"),
            { Effect: "Allow", Action: "dynamodb:GetItem", NotResource: [TABLES, "arn:aws:s3:::b/*"] },
            allow("xray:PutTraceSegments", "*"),
        )], [
            `p: ${onAll("Policy 'p' policy statement 0", "every action except iam:*, s3:*")}`,
            `p: ${onAll("Policy 'p' policy statement 1", "`dynamodb:Put*` (includes dynamodb:PutItem, dynamodb:PutResourcePolicy), " +
                "`lambda:*Alias` (includes lambda:CreateAlias, lambda:DeleteAlias, lambda:GetAlias, lambda:UpdateAlias), " +
                "`kms:Get*` (includes kms:GetKeyLastUsage, kms:GetKeyPolicy, kms:GetKeyRotationStatus, kms:GetParametersForImport, ...), " +
                "`dynamodb:GetItem`, `*`")}`,
            `p: ${onAll("Policy 'p' policy statement 2", "`dynamodb:GetItem`", `NotResource (${TABLES}, arn:aws:s3:::b/*)`)}`,
        ]);
    });

    it("names the actions and the patterns that name every resource of their type, up to four actions", async () => {
        await assertMessages(WILDCARD_RESOURCES, [policy("p",
            allow(["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:GetObjectAcl"], "arn:aws:s3:::*/*"),
            allow(["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:GetObjectAcl", "s3:PutObjectAcl"], "arn:aws:s3:::*/*"),
            allow(["s3:GetObject", "dynamodb:GetItem", "sqs:SendMessage"], ["arn:aws:s3:::*/*", TABLES, "arn:aws:sqs:eu-west-1:1:q"]),
            allow("dynamodb:GetItem", ["arn:aws:*:eu-west-1:1:table/*", "arn:aws:dynamo*:eu-west-1:1:table/*"]),
            // dynamodb:Query acts on tables and on indexes: every index is enough.
            allow("dynamodb:Query", `${TABLES}/index/*`),
        )], [
            `p: ${everyOf("Policy 'p' policy statement 0", "s3:GetObject, s3:PutObject, s3:DeleteObject, s3:GetObjectAcl", "`arn:aws:s3:::*/*`")}`,
            `p: ${everyOf("Policy 'p' policy statement 1", "s3:GetObject, s3:PutObject, s3:DeleteObject, s3:GetObjectAcl, ...", "`arn:aws:s3:::*/*`")}`,
            `p: ${everyOf("Policy 'p' policy statement 2", "s3:GetObject, dynamodb:GetItem", `\`arn:aws:s3:::*/*\`, \`${TABLES}\``)}`,
            `p: ${everyOf("Policy 'p' policy statement 3", "dynamodb:GetItem", "`arn:aws:*:eu-west-1:1:table/*`")}`,
            `p: ${everyOf("Policy 'p' policy statement 4", "dynamodb:Query", `\`${TABLES}/index/*\``)}`,
        ]);
    });

    it("passes every resource of another service's type, listing and describing, and trust policies", async () => {
        await assertMessages(WILDCARD_RESOURCES, [
            policy("p",
                allow(["dynamodb:GetItem", "dynamodb:*"], "arn:aws:s3:::*"),
                allow(["s3:ListBucket", "dynamodb:DescribeTable", "dynamodb:ListTagsOfResource", "xray:PutTraceSegments"], ["arn:aws:s3:::*", TABLES, "arn:aws:xray:*"]),
                allow(["s3:GetObject"], "arn:aws:s3:::bucket/*"),
                // An action that needs no resource (ec2:DeleteKeyPair), and a List-level one not named so.
                allow(["ec2:DeleteKeyPair", "ec2:GetGroupsForCapacityReservation"],
                    [`arn:aws:ec2:eu-west-1:${ACCOUNT}:key-pair/*`, `arn:aws:ec2:eu-west-1:${ACCOUNT}:capacity-reservation/*`]),
            ),
            // A trust policy is judged as one (aws-iam-role-trust-disallow-any-principal), not as a grant on resources.
            role("r", { assumeRolePolicy: json({ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole", Resource: "*" }) }),
        ], []);
    });

    it("leaves out what allowedActions names, on Resource * and on every resource of a type", async () => {
        const resources = [policy("p", allow(["dynamodb:Get*"], "*"), allow(["s3:GetObject", "s3:PutObject"], "arn:aws:s3:::*/*"))];
        const allowing = (allowedActions: string[]) => ({ [WILDCARD_RESOURCES]: { allowedActions } });
        // `*` allows every action, `*` itself included.
        assert.deepStrictEqual(messages(await violationsOf(WILDCARD_RESOURCES, [policy("p", allow(["*", "s3:GetObject"], "*"))], allowing(["*"]))), []);
        assert.deepStrictEqual(messages(await violationsOf(WILDCARD_RESOURCES, resources,
            allowing(["dynamodb:GetItem", "dynamodb:GetR*", "s3:GetObject"]))), [
            `p: ${onAll("Policy 'p' policy statement 0", "`dynamodb:Get*` (includes dynamodb:GetShardIterator)")}`,
            `p: ${everyOf("Policy 'p' policy statement 1", "s3:PutObject", "`arn:aws:s3:::*/*`")}`,
        ]);
    });

    it("waits for a document, or an Effect, Action, NotAction, Resource or NotResource a preview does not know", async () => {
        await assertMessages(WILDCARD_RESOURCES, [
            policy("p",
                { Effect: UNKNOWN, Action: "s3:GetObject", Resource: "arn:aws:s3:::b/k" },
                { Effect: "Allow", Action: UNKNOWN, Resource: "arn:aws:s3:::b/k" },
                { Effect: "Allow", NotAction: UNKNOWN, Resource: "arn:aws:s3:::b/k" },
                { Effect: "Allow", Action: "s3:GetObject", Resource: UNKNOWN },
                { Effect: "Allow", Action: "s3:GetObject", NotResource: UNKNOWN },
            ),
            resource("aws:iam/policy:Policy", "q", { policy: UNKNOWN }),
        ], [cannotVerify(WILDCARD_RESOURCES, "Policy 'q' `policy`, Policy 'p' `policy Statement[0].Effect`, Policy 'p' " +
            "`policy Statement[1].Action`, Policy 'p' `policy Statement[2].NotAction`, Policy 'p' `policy Statement[3].Resource`, " +
            "Policy 'p' `policy Statement[4].NotResource`")]);
    });

    it("waits for an unattached managed policy while a boundary is unknown, and judges the rest", async () => {
        const unresolved = [role("r1", { permissionsBoundary: UNKNOWN }), role("r2", { permissionsBoundary: UNKNOWN })];
        const whether = (name: string) => `Policy '${name}' \`policy (whether it is only a permissions boundary, referenced by 'r1', 'r2')\``;
        await assertMessages(WILDCARD_RESOURCES, [
            policy("every", allow("s3:GetObject", "arn:aws:s3:::*/*")), policy("star", allow("s3:GetObject", "*")),
            policy("exact", allow("s3:GetObject", "arn:aws:s3:::b/k"), allow("xray:PutTraceSegments", "*")), ...unresolved,
        ], [cannotVerify(WILDCARD_RESOURCES, `${whether("every")}, ${whether("star")}`)]);
        const attached = resource("aws:iam/policy:Policy", "attached", {
            arn: `arn:aws:iam::${ACCOUNT}:policy/attached`, policy: json(allow("s3:GetObject", "*")),
        });
        await assertMessages(WILDCARD_RESOURCES, [
            attached, role("user", { managedPolicyArns: [`arn:aws:iam::${ACCOUNT}:policy/attached`] }),
            rolePolicy("inline", allow("s3:GetObject", "arn:aws:s3:::*/*")), ...unresolved,
        ], [
            `attached: ${onAll("Policy 'attached' policy statement 0", "`s3:GetObject`")}`,
            `inline: ${everyOf("RolePolicy 'inline' policy statement 0", "s3:GetObject", "`arn:aws:s3:::*/*`")}`,
        ]);
    });

    it("summarises an attached AWS managed policy's actions on every resource; Deny and named resources are no such grant", async () => {
        const vs = await violationsOf(WILDCARD_RESOURCES, [
            role("a"), attach("deny", "a", AWS_POLICY("AWSDenyAll")), attach("execute", "a", AWS_POLICY("AWSLambdaExecute")),
            attach("basic", "a", AWS_POLICY("service-role/AWSLambdaBasicExecutionRole")), attach("ro", "a", AWS_POLICY("ReadOnlyAccess")),
            attach("four", "a", AWS_POLICY("AWSLambdaInvocation-DynamoDB")),
        ]);
        const fix = "on every resource, though these actions support resource-level permissions: write a customer managed policy " +
            "that names the ARNs they act on.";
        assert.deepStrictEqual(messages(vs).map((m) => m.replace(/^(ro: .*? which allows )(`[^`]+`(?: \([^)]*\))?, ){4}\.\.\. \(\d+ in all\)/, "$1FIRST FOUR, ... (N in all)")), [
            "basic: RolePolicyAttachment 'basic' attaches the AWS managed policy AWSLambdaBasicExecutionRole, which allows " +
            `\`logs:CreateLogGroup\`, \`logs:CreateLogStream\`, \`logs:PutLogEvents\` ${fix}`,
            `ro: RolePolicyAttachment 'ro' attaches the AWS managed policy ReadOnlyAccess, which allows FIRST FOUR, ... (N in all) ${fix}`,
            "four: RolePolicyAttachment 'four' attaches the AWS managed policy AWSLambdaInvocation-DynamoDB, which allows " +
            `\`lambda:InvokeFunction\`, \`dynamodb:DescribeStream\`, \`dynamodb:GetRecords\`, \`dynamodb:GetShardIterator\` ${fix}`,
        ]);
    });
});

describe("aws-iam-policy-disallow-unknown-actions: messages", () => {
    const UNKNOWN_ACTIONS = "aws-iam-policy-disallow-unknown-actions";
    const SAR = "use the exact name from the Service Authorization Reference.";

    it("says per action what is wrong with it, with no hint when nothing is close; NotAction's actions count too", async () => {
        await assertMessages(UNKNOWN_ACTIONS, [policy("p",
            allow(["s3:", "zzzzzzqq:GetItem", "dynamodb:Zzzzzzzzzzzz", "dynamodb:Zzzzzz*", "*"]),
            { Effect: "Deny", NotAction: ["s3:GetObject", "dynamodb:GetIten"], Resource: "*" },
        )], [
            "p: Policy 'p' policy statement 0 has action `s3:`, which is not of the form service:Action.",
            "p: Policy 'p' policy statement 0 has action `zzzzzzqq:GetItem`: \"zzzzzzqq\" is not an IAM service prefix. Fix the prefix.",
            `p: Policy 'p' policy statement 0 has action \`dynamodb:Zzzzzzzzzzzz\`, which is not an IAM action: ${SAR}`,
            `p: Policy 'p' policy statement 0 has action \`dynamodb:Zzzzzz*\`, which matches no IAM action: ${SAR}`,
            "p: Policy 'p' policy statement 1 has action `dynamodb:GetIten`, which is not an IAM action: use the exact name from the " +
            "Service Authorization Reference (did you mean dynamodb:GetItem?).",
        ]);
    });

    it("says how to write a document it cannot read, and waits for a document, Action or NotAction not yet known", async () => {
        const waits = (name: string, what: string) => `${name}: can't run policy '${UNKNOWN_ACTIONS}' from policy pack ` +
            `'swiftsupport-aws@v0.1.0' during preview: ${what} cannot be verified until the value is known (it is checked in full ` +
            "when known, e.g. on `pulumi up`)";
        await assertMessages(UNKNOWN_ACTIONS, [
            resource("aws:iam/policy:Policy", "bad", { policy: "{" }),
            resource("aws:iam/policy:Policy", "later", { policy: UNKNOWN }),
            policy("parts", { Effect: "Allow", Action: UNKNOWN, Resource: "*" }, { Effect: "Allow", NotAction: UNKNOWN, Resource: "*" }),
        ], [
            "bad: Policy 'bad' policy cannot be read as an IAM policy: the document is not valid JSON (Expected property name or '}' " +
            "in JSON at position 1 (line 1 column 2)). Write it as a JSON object with a Statement list, e.g. with " +
            "aws.iam.getPolicyDocument or JSON.stringify.",
            waits("later", "`policy`"),
            waits("parts", "`policy Statement[0].Action`, `policy Statement[1].NotAction`"),
        ]);
    });
});

describe("role and permission-set policies: messages", () => {
    const BOUNDARY = "aws-iam-role-require-permissions-boundary";
    const SOURCE = "aws-iam-role-require-service-trust-source-condition";
    const TRUST = "aws-iam-role-trust-disallow-any-principal";
    const PS_BOUNDARY = "aws-ssoadmin-permission-set-require-permissions-boundary";

    it("asks for a permissions boundary when a role has none or an empty one; an unknown one is set", async () => {
        const none = role("none");
        delete none.props.permissionsBoundary;
        await assertMessages(BOUNDARY, [
            none, role("empty", { permissionsBoundary: "" }), role("null", { permissionsBoundary: null }), role("later", { permissionsBoundary: UNKNOWN }),
        ], [
            "none: Role 'none' has no permissionsBoundary: set it to the ARN of the stack's boundary policy (an aws.iam.Policy that " +
            "allows only what workloads may ever do and denies IAM changes).",
            "empty: Role 'empty' has an empty permissionsBoundary: set it to the ARN of the stack's boundary policy.",
            "null: Role 'null' has an empty permissionsBoundary: set it to the ARN of the stack's boundary policy.",
        ]);
    });

    it("names the services a trust lets in from any account; a pinned, pending, Deny, exempt or documented trust passes", async () => {
        const trust = (Service: string | string[], Condition?: object, Effect = "Allow") =>
            json({ Effect, Principal: { Service }, Action: "sts:AssumeRole", ...(Condition ? { Condition } : {}) });
        const fromAnyAccount = (name: string, services: string) => `${name}: Role '${name}' assumeRolePolicy statement 0 lets ${services} ` +
            "assume the role from any account: add a condition StringEquals { \"aws:SourceAccount\": <account id> } or ArnLike " +
            "{ \"aws:SourceArn\": <calling resource arn> }.";
        const vs = await violationsOf(SOURCE, [
            role("two", { assumeRolePolicy: trust(["events.amazonaws.com", "states.amazonaws.com", "lambda.amazonaws.com", "scheduler.amazonaws.com"]) }),
            role("otherkey", { assumeRolePolicy: trust("events.amazonaws.com", { StringEquals: { "aws:PrincipalAccount": ACCOUNT } }) }),
            role("ifexists", { assumeRolePolicy: trust("events.amazonaws.com", { StringEqualsIfExists: { "aws:SourceAccount": ACCOUNT } }) }),
            role("pinned", { assumeRolePolicy: trust("events.amazonaws.com", { StringEquals: { "aws:SourceAccount": ACCOUNT } }) }),
            role("pending", { assumeRolePolicy: trust("events.amazonaws.com", { StringEquals: { "aws:SourceAccount": UNKNOWN } }) }),
            role("deny", { assumeRolePolicy: trust("events.amazonaws.com", undefined, "Deny") }),
            role("exempt", { assumeRolePolicy: trust("scheduler.amazonaws.com") }),
            role("trail", { assumeRolePolicy: trust("cloudtrail.amazonaws.com") }),
        ], { [SOURCE]: { exemptServices: ["scheduler.amazonaws.com"] } });
        assert.deepStrictEqual(messages(vs), [
            fromAnyAccount("two", "events.amazonaws.com, states.amazonaws.com"),
            fromAnyAccount("otherkey", "events.amazonaws.com"),
            fromAnyAccount("ifexists", "events.amazonaws.com"),
        ]);
    });

    it("names the federated provider a trust admits whole and the claim to pin, and waits for unknown trust parts", async () => {
        await assertMessages(TRUST, [
            role("gh", { assumeRolePolicy: json({
                Effect: "Allow", Principal: { Federated: `arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com` },
                Action: "sts:AssumeRoleWithWebIdentity",
            }) }),
            role("later", { assumeRolePolicy: json(
                { Effect: UNKNOWN, Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" },
                { Effect: "Allow", Principal: UNKNOWN, Action: "sts:AssumeRole" },
                { Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole", Condition: UNKNOWN },
            ) }),
            role("not", { assumeRolePolicy: json({ Effect: "Allow", NotPrincipal: UNKNOWN, Action: "sts:AssumeRole" }) }),
        ], [
            `gh: Role 'gh' assumeRolePolicy statement 0 admits every identity of arn:aws:iam::${ACCOUNT}:oidc-provider/` +
            "token.actions.githubusercontent.com (no restricting condition on its sub claim), so any of its users (for GitHub, any " +
            "repository) can assume the role: add StringEquals (or StringLike) { \"token.actions.githubusercontent.com:sub\": <the " +
            "exact subject, e.g. repo:org/repo:ref:refs/heads/main> }; IfExists, ForAllValues:, negated operators and wildcard-only " +
            "values do not count.",
            `later: can't run policy '${TRUST}' from policy pack 'swiftsupport-aws@v0.1.0' during preview: \`assumeRolePolicy ` +
            "Statement[0].Effect`, `assumeRolePolicy Statement[1].Principal`, `assumeRolePolicy Statement[2].Condition` cannot be " +
            "verified until the value is known (it is checked in full when known, e.g. on `pulumi up`)",
            // Whoever NotPrincipal turns out to name, Allow with NotPrincipal lets in everyone else.
            "not: Role 'not' assumeRolePolicy statement 0 uses NotPrincipal, which allows everyone not listed, so any AWS account can " +
            "assume the role: name the principals (account, role or service), or add a condition that pins the caller " +
            "(aws:SourceArn or aws:PrincipalArn with a literal account, aws:SourceAccount, aws:PrincipalOrgID, kms:CallerAccount or " +
            "aws:SourceVpce with a concrete value; wildcards there pin nothing).",
            `not: can't run policy '${TRUST}' from policy pack 'swiftsupport-aws@v0.1.0' during preview: \`assumeRolePolicy ` +
            "Statement[0].NotPrincipal` cannot be verified until the value is known (it is checked in full when known, e.g. on `pulumi up`)",
        ]);
    });

    describe("permission sets without a boundary attachment", () => {
        const ps = (name: string) => resource("aws:ssoadmin/permissionSet:PermissionSet", name, {
            name, instanceArn: "i", arn: `arn:aws:sso:::permissionSet/i/${name}`,
        });
        const attachment = (name: string, permissionSetArn: unknown) =>
            resource("aws:ssoadmin/permissionsBoundaryAttachment:PermissionsBoundaryAttachment", name, {
                instanceArn: "i", permissionSetArn, permissionsBoundary: { customerManagedPolicyReference: { name: "boundary" } },
            });
        const unbounded = (name: string, pending: string) => `${name}: PermissionSet '${name}' has no PermissionsBoundaryAttachment ` +
            `in the stack${pending}: add aws.ssoadmin.PermissionsBoundaryAttachment with permissionSetArn = this set's arn and a ` +
            "customerManagedPolicyReference to the boundary policy.";
        const waits = (what: string) => cannotVerify(PS_BOUNDARY, what);

        it("names each set without one, and says how many a pending attachment can still bound", async () => {
            await assertMessages(PS_BOUNDARY, [ps("a"), ps("b")], [unbounded("a", ""), unbounded("b", "")]);
            const pending = " (1 attachment(s) whose permissionSetArn is not known yet can bound at most 1 of the 2 sets without one)";
            await assertMessages(PS_BOUNDARY, [ps("a"), ps("b"), attachment("x", UNKNOWN)], [
                unbounded("a", pending), unbounded("b", pending), waits("PermissionsBoundaryAttachment 'x' `permissionSetArn`"),
            ]);
        });

        it("waits when a pending attachment may bound the set, and has nothing to say without sets", async () => {
            await assertMessages(PS_BOUNDARY, [ps("a"), attachment("x", UNKNOWN)], [waits("PermissionsBoundaryAttachment 'x' " +
                "`permissionSetArn`, PermissionSet 'a' `PermissionsBoundaryAttachment (an attachment's permissionSetArn is not known yet)`")]);
            await assertMessages(PS_BOUNDARY, [attachment("x", UNKNOWN)], []);
        });
    });
});

describe("document, escalation and boundary policies, and the suppression reporter: messages", () => {
    it("names a document stored as a secret the pack cannot read, and how to let it be judged", async () => {
        await assertMessages("aws-iam-policy-require-readable-document", [resource("aws:iam/policy:Policy", "s", { policy: "[secret]" })], [
            "s: Policy 's' policy is a secret the pack cannot read, so no policy judged it: export with `pulumi stack export " +
            "--show-secrets`, or keep IAM documents out of secrets.",
        ]);
    });

    it("lists every escalation path of a principal with its statement, then what to do", async () => {
        const where = "(Role 'r' inlinePolicies[0].policy statement 0)";
        await assertMessages("aws-iam-principal-disallow-privilege-escalation", [
            role("r", { inlinePolicies: [{ name: "i", policy: json(allow(["iam:PassRole", "lambda:CreateFunction", "iam:CreatePolicyVersion"], "*")) }] }),
        ], [
            `r: role 'r' can escalate its privileges: iam:CreatePolicyVersion on * ${where}: can publish a new default version of a ` +
            `managed policy that grants anything; iam:PassRole on any role (*) ${where}: can hand any role, including admin roles, ` +
            "to a service. Remove these actions, or scope iam:PassRole and sts:AssumeRole to the exact role ARNs, and keep a " +
            "permissions boundary that denies them.",
        ]);
    });

    it("says why a boundary bounds nothing and what a boundary should hold back", async () => {
        await assertMessages("aws-iam-principal-disallow-permissive-boundary", [role("r", { permissionsBoundary: AWS_POLICY("AdministratorAccess") })], [
            "r: role 'r' is bounded by AWS managed policy AdministratorAccess, which allows every action, so the boundary bounds " +
            "nothing: use a boundary that allows only what the workloads may ever do and denies IAM changes " +
            "(iam:Put*/Attach*/CreatePolicyVersion, boundary removal, iam:PassRole on any role).",
        ]);
    });

    it("reports a suppressed resource-policy violation on its resource, with the suppression's reason", async () => {
        const BOUNDARY = "aws-iam-role-require-permissions-boundary";
        const reason = "legacy role, its boundary follows in ticket 12";
        const result = await run([role("r", { permissionsBoundary: "" })], { [BOUNDARY]: { suppressions: [{ resource: "r", reason }] } });
        assert.deepStrictEqual(result.violations.filter((v) => v.policy.startsWith("swiftsupport-")).map((v) => [v.policy, v.name, v.message]), [[
            "swiftsupport-suppressed-violations", "r",
            `${BOUNDARY} suppressed on r: ${reason} (Role 'r' has an empty permissionsBoundary: set it to the ARN of the stack's boundary policy.)`,
        ]]);
    });
});
