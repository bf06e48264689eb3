// IAM semantics the pack must get right, one describe per class of issue 13, each built from several variants of
// its reproductions: federated trust, ARN forms, variable conditions, AWS managed policies and boundaries,
// escalation paths, confused deputies, AWS-documented least-privilege forms, and matching that cannot be slowed.

import * as assert from "assert";
import { escalationsOf } from "../../policypack/lib/escalation";
import { ROLE_ARN, isAllResources, isDocumentError, namesEvery, readIamDocument } from "../../policypack/lib/iamDocument";
import { covers, intersects, wildcardMatcher } from "../../policypack/lib/wildcard";
import { ACCOUNT, UNKNOWN, json, messages, resource, role, run, timeBudgetMs, violationsOf } from "./support";

const TRUST = "aws-iam-role-trust-disallow-any-principal";
const PUBLIC = "aws-iam-resource-policy-disallow-public-principal";
const S3_PUBLIC = "aws-s3-bucket-policy-disallow-public-principal";
const ESCALATION = "aws-iam-principal-disallow-privilege-escalation";
const PERMISSIVE_BOUNDARY = "aws-iam-principal-disallow-permissive-boundary";
const DEPUTY = "aws-lambda-permission-require-source-condition";

const mandatory = async (policy: string, resources: Parameters<typeof run>[0]) =>
    (await violationsOf(policy, resources)).filter((v) => v.enforcementLevel === "mandatory");
const rolePolicy = (name: string, roleName: string, ...statements: object[]) =>
    resource("aws:iam/rolePolicy:RolePolicy", name, { role: `${roleName}-abc123`, policy: json(...statements) });
const managedPolicy = (name: string, ...statements: object[]) =>
    resource("aws:iam/policy:Policy", name, { name, arn: `arn:aws:iam::${ACCOUNT}:policy/${name}`, policy: json(...statements) });
const AWS_POLICY = (name: string) => `arn:aws:iam::aws:policy/${name}`;

describe("federated trust pins the claims AWS documents for each provider", () => {
    const GITHUB = `arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com`;
    const EKS_HOST = "oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE";
    const EKS = `arn:aws:iam::${ACCOUNT}:oidc-provider/${EKS_HOST}`;
    const SAML = `arn:aws:iam::${ACCOUNT}:saml-provider/corp-idp`;
    const AUD = { "token.actions.githubusercontent.com:aud": "sts.amazonaws.com" };
    const trust = (Federated: string, Condition: object) => role("t", {
        assumeRolePolicy: json({ Effect: "Allow", Principal: { Federated }, Action: "sts:AssumeRoleWithWebIdentity", Condition }),
    });
    const gh = (sub: string) => trust(GITHUB, { StringEquals: AUD, StringLike: { "token.actions.githubusercontent.com:sub": sub } });

    const open: [string, ReturnType<typeof trust>, RegExp][] = [
        ["GitHub sub with a leading wildcard", gh("*repo:octo-org/app:*"), /sub claim/],
        ["GitHub sub repo*", gh("repo*"), /sub claim/],
        ["GitHub sub with a wildcard owner", gh("repo:*/app:*"), /sub claim/],
        ["GitHub sub with a wildcard inside the owner", gh("repo:octo*/app:*"), /sub claim/],
        ["GitHub sub with ? in the owner", gh("repo:octo-or?/app:ref:refs/heads/main"), /sub claim/],
        ["GitHub sub given as a policy variable", gh("${token.actions.githubusercontent.com:sub}"), /sub claim/],
        ["GitHub pinned sub without aud", trust(GITHUB, { StringEquals: { "token.actions.githubusercontent.com:sub": "repo:octo-org/app:ref:refs/heads/main" } }), /aud claim/],
        ["EKS sub for every namespace", trust(EKS, { StringLike: { [`${EKS_HOST}:sub`]: "system:serviceaccount:*" } }), /sub claim/],
        ["EKS with only aud", trust(EKS, { StringEquals: { [`${EKS_HOST}:aud`]: "sts.amazonaws.com" } }), /sub claim/],
        ["Google without aud", trust("accounts.google.com", { StringEquals: { "accounts.google.com:sub": "1234" } }), /aud claim/],
        ["Google aud *", trust("accounts.google.com", { StringLike: { "accounts.google.com:aud": "*" } }), /aud claim/],
        ["Cognito aud compared with itself", trust("cognito-identity.amazonaws.com", { StringEquals: { "cognito-identity.amazonaws.com:aud": "${cognito-identity.amazonaws.com:aud}" } }), /aud claim/],
        ["Facebook without app_id", trust("graph.facebook.com", { StringEquals: { "graph.facebook.com:id": "42" } }), /app_id claim/],
        ["SAML with only a subject", trust(SAML, { StringEquals: { "SAML:sub": "alice" } }), /aud claim/],
        ["GitLab with a wildcard group", trust(`arn:aws:iam::${ACCOUNT}:oidc-provider/gitlab.com`, { StringLike: { "gitlab.com:sub": "project_path:*" } }), /sub claim/],
    ];
    for (const [what, r, claim] of open) {
        it(`flags ${what}`, async () => {
            const vs = await mandatory(TRUST, [r]);
            assert.strictEqual(vs.length, 1, JSON.stringify(messages(vs)));
            assert.match(vs[0].message, claim);
        });
    }

    it("passes the documented pins: an owner, a namespace, a client, an app, a pool, the SAML audience", async () => {
        const ok = [
            gh("repo:octo-org/*"),
            gh("repo:octo-org/app:ref:refs/heads/main"),
            gh("repo:octo-org/app:environment:prod"),
            trust(EKS, { StringEquals: { [`${EKS_HOST}:sub`]: "system:serviceaccount:payments:api", [`${EKS_HOST}:aud`]: "sts.amazonaws.com" } }),
            trust(EKS, { StringLike: { [`${EKS_HOST}:sub`]: "system:serviceaccount:payments:*" } }),
            trust("accounts.google.com", { StringEquals: { "accounts.google.com:aud": "1234567890.apps.googleusercontent.com" } }),
            trust("www.amazon.com", { StringEquals: { "www.amazon.com:app_id": "amzn1.application-oa2-client.1" } }),
            trust("cognito-identity.amazonaws.com", { StringEquals: { "cognito-identity.amazonaws.com:aud": "eu-west-1:11111111-2222-3333-4444-555555555555" } }),
            trust(SAML, { StringEquals: { "SAML:aud": "https://signin.aws.amazon.com/saml" } }),
            trust(`arn:aws:iam::${ACCOUNT}:oidc-provider/gitlab.com`, { StringLike: { "gitlab.com:sub": "project_path:my-group/*" } }),
        ];
        for (const r of ok) assert.deepStrictEqual(messages(await mandatory(TRUST, [r])), []);
    });
});

describe("ARN forms are judged by IAM's matching (a * crosses : and /)", () => {
    it("matches, covers and intersects as IAM does", () => {
        assert.ok(isAllResources("arn:aws:*"));
        assert.ok(isAllResources("arn:*"));
        assert.ok(isAllResources("arn:aws:*:*:*:*"));
        assert.ok(!isAllResources("arn:aws:iam::*"));
        assert.ok(namesEvery("arn:aws:iam::*", "arn:*:iam::*:role/*"));
        assert.ok(namesEvery("arn:aws:s3:::*/*", "arn:*:s3:::*/*"));
        assert.ok(namesEvery("arn:aws:s3:::*", "arn:*:s3:::*/*"));
        assert.ok(!namesEvery("arn:aws:s3:::bucket/*", "arn:*:s3:::*/*"));
        assert.ok(namesEvery(`arn:aws:ec2:eu-west-1:${ACCOUNT}:instance/*`, "arn:*:ec2:*:*:instance/*"));
        assert.ok(!namesEvery(`arn:aws:ec2:eu-west-1:${ACCOUNT}:instance/i-0abc`, "arn:*:ec2:*:*:instance/*"));
        assert.ok(intersects("arn:aws:iam::*", ROLE_ARN));
        assert.ok(intersects("arn:aws:*:*:*:*", ROLE_ARN));
        assert.ok(!intersects(`arn:aws:iam::${ACCOUNT}:policy/*`, ROLE_ARN));
        assert.ok(!intersects("arn:aws:iam::*:instance-profile/*", ROLE_ARN));
        assert.ok(wildcardMatcher("arn:aws:iam::*").test(`arn:aws:iam::${ACCOUNT}:role/path/admin`));
        assert.ok(!covers(`arn:aws:iam::${ACCOUNT}:role/app-*`, `arn:aws:iam::${ACCOUNT}:role/*`));
    });

    const cases: [string, object[], RegExp][] = [
        ["iam:PassRole on arn:aws:iam::* with lambda create and invoke", [
            { Effect: "Allow", Action: "iam:PassRole", Resource: "arn:aws:iam::*" },
            { Effect: "Allow", Action: ["lambda:CreateFunction", "lambda:InvokeFunction"], Resource: "*" }], /iam:PassRole on any role \(arn:aws:iam::\*\)/],
        ["sts:AssumeRole on arn:aws:iam::<account>:*", [{ Effect: "Allow", Action: "sts:AssumeRole", Resource: `arn:aws:iam::${ACCOUNT}:*` }], /sts:AssumeRole on any role/],
        ["sts:AssumeRole on arn:aws:*:*:*:*", [{ Effect: "Allow", Action: "sts:AssumeRole", Resource: "arn:aws:*:*:*:*" }], /sts:AssumeRole on any role/],
        ["ssm:SendCommand on every instance of one account", [{ Effect: "Allow", Action: "ssm:SendCommand", Resource: [`arn:aws:ec2:eu-west-1:${ACCOUNT}:instance/*`, "arn:aws:ssm:eu-west-1::document/AWS-RunShellScript"] }], /ssm:SendCommand on any instance \(arn:aws:ec2:eu-west-1:\d+:instance\/\*/],
        ["ssm:StartSession on arn:aws:ec2:*", [{ Effect: "Allow", Action: "ssm:StartSession", Resource: "arn:aws:ec2:*" }], /ssm:StartSession on any instance/],
        ["ec2-instance-connect:SendSSHPublicKey on any instance", [{ Effect: "Allow", Action: "ec2-instance-connect:SendSSHPublicKey", Resource: "arn:aws:ec2:*:*:instance/*" }], /SendSSHPublicKey on any instance/],
    ];
    for (const [what, statements, expected] of cases) {
        it(`flags ${what}`, async () => {
            const vs = await mandatory(ESCALATION, [role("r"), rolePolicy("p", "r", ...statements)]);
            assert.strictEqual(vs.length, 1, what);
            assert.match(vs[0].message, expected);
        });
    }
    it("counts a Resource that names every resource of the action's type as Resource *", async () => {
        const vs = await mandatory("aws-iam-policy-disallow-wildcard-resources", [role("r"), rolePolicy("p", "r",
            { Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::*/*" },
            { Effect: "Allow", Action: "dynamodb:GetItem", Resource: `arn:aws:dynamodb:eu-west-1:${ACCOUNT}:table/*` },
            { Effect: "Allow", Action: "iam:GetRole", Resource: "arn:aws:iam::*" },
            { Effect: "Allow", Action: "sqs:SendMessage", Resource: "arn:aws:sqs:*" },
            { Effect: "Allow", Action: ["s3:GetObject"], Resource: "arn:aws:s3:::bucket/*" },
            { Effect: "Allow", Action: ["dynamodb:Query"], Resource: `arn:aws:dynamodb:eu-west-1:${ACCOUNT}:table/t/index/*` },
            // Listing every alarm is what DescribeAlarms does.
            { Effect: "Allow", Action: ["cloudwatch:DescribeAlarms"], Resource: `arn:aws:cloudwatch:eu-west-1:${ACCOUNT}:alarm:*` })]);
        assert.deepStrictEqual(vs.map((v) => v.message.match(/statement (\d+)/)![1]), ["0", "1", "2", "3"]);
        assert.match(vs[0].message, /allows s3:GetObject on `arn:aws:s3:::\*\/\*`, which names every resource/);
    });

    it("passes the same actions on one exact instance, one exact role, and non-role IAM resources", async () => {
        const vs = await mandatory(ESCALATION, [role("r"), rolePolicy("p", "r",
            { Effect: "Allow", Action: ["ssm:SendCommand", "ec2-instance-connect:SendSSHPublicKey"], Resource: `arn:aws:ec2:eu-west-1:${ACCOUNT}:instance/i-0123456789abcdef0` },
            { Effect: "Allow", Action: "sts:AssumeRole", Resource: `arn:aws:iam::${ACCOUNT}:role/reader` },
            { Effect: "Allow", Action: "iam:PassRole", Resource: `arn:aws:iam::${ACCOUNT}:instance-profile/*` })]);
        assert.deepStrictEqual(messages(vs), []);
    });
});

describe("a condition value that is a variable of the caller pins nothing", () => {
    const queuePolicy = (name: string, condition: object) => resource("aws:sqs/queuePolicy:QueuePolicy", name, {
        queueUrl: "https://sqs.eu-west-1.amazonaws.com/123456789012/q",
        policy: json({ Effect: "Allow", Principal: "*", Action: "sqs:SendMessage", Resource: `arn:aws:sqs:eu-west-1:${ACCOUNT}:q`, Condition: condition }),
    });
    const open: [string, object][] = [
        ["aws:PrincipalAccount = ${aws:PrincipalAccount}", { StringEquals: { "aws:PrincipalAccount": "${aws:PrincipalAccount}" } }],
        ["aws:SourceAccount = ${aws:SourceAccount}", { StringEquals: { "aws:SourceAccount": "${aws:SourceAccount}" } }],
        ["aws:PrincipalOrgID = ${aws:PrincipalOrgID}", { StringEquals: { "aws:PrincipalOrgID": "${aws:PrincipalOrgID}" } }],
        ["aws:PrincipalAccount = ${aws:SourceAccount}", { StringEquals: { "aws:PrincipalAccount": "${aws:SourceAccount}" } }],
        ["aws:SourceArn with the caller's account as a variable", { ArnLike: { "aws:SourceArn": "arn:aws:sns:eu-west-1:${aws:PrincipalAccount}:topic" } }],
        ["aws:PrincipalArn with ${aws:username}", { ArnEquals: { "aws:PrincipalArn": `arn:aws:iam::\${aws:PrincipalAccount}:user/\${aws:username}` } }],
        ["aws:SourceVpce = ${aws:SourceVpce}", { StringEquals: { "aws:SourceVpce": "${aws:SourceVpce}" } }],
        ["aws:PrincipalAccount = ${aws:PrincipalTag/account}", { StringEquals: { "aws:PrincipalAccount": "${aws:PrincipalTag/account}" } }],
        ["aws:SourceArn with a wildcard service before a literal account", { ArnLike: { "aws:SourceArn": `arn:aws:*:${ACCOUNT}:*` } }],
    ];
    for (const [what, condition] of open) {
        it(`flags Principal "*" pinned only by ${what}`, async () => {
            assert.strictEqual((await mandatory(PUBLIC, [queuePolicy("q", condition)])).length, 1);
        });
    }
    it("flags principals whose account part holds a wildcard, however written", async () => {
        for (const principal of ["arn:aws:iam::*", "arn:*", "arn:aws:iam::12345678901?:root"]) {
            const vs = await mandatory(TRUST, [role("t", { assumeRolePolicy: json({ Effect: "Allow", Principal: { AWS: principal }, Action: "sts:AssumeRole" }) })]);
            assert.strictEqual(vs.length, 1, principal);
        }
    });

    it("passes the owner's own variables (the data-perimeter form) and literal pins", async () => {
        const vs = await mandatory(PUBLIC, [
            queuePolicy("q1", { StringEquals: { "aws:PrincipalAccount": "${aws:ResourceAccount}" } }),
            queuePolicy("q2", { StringEquals: { "aws:PrincipalOrgID": "${aws:ResourceOrgID}" } }),
            queuePolicy("q3", { StringEquals: { "aws:PrincipalAccount": ACCOUNT } }),
        ]);
        assert.deepStrictEqual(messages(vs), []);
    });
});

describe("AWS managed policies are judged by their documents", () => {
    const attach = (name: string, roleName: string, policyArn: string) =>
        resource("aws:iam/rolePolicyAttachment:RolePolicyAttachment", name, { role: `${roleName}-abc123`, policyArn });

    it("finds escalation in AWS managed policies no hand-kept list named", async () => {
        const vs = await mandatory(ESCALATION, [
            role("ssm"), attach("a1", "ssm", AWS_POLICY("AmazonSSMFullAccess")),
            role("ecs"), attach("a2", "ecs", AWS_POLICY("AmazonECS_FullAccess")),
            role("admin", { managedPolicyArns: [AWS_POLICY("AdministratorAccess")] }),
            role("basic"), attach("a3", "basic", AWS_POLICY("service-role/AWSLambdaBasicExecutionRole")),
            role("readonly"), attach("a4", "readonly", AWS_POLICY("ReadOnlyAccess")),
        ]);
        assert.deepStrictEqual(vs.map((v) => v.name).sort(), ["admin", "ecs", "ssm"]);
        assert.match(vs.find((v) => v.name === "ssm")!.message, /ssm:SendCommand on any instance \(\*\) \(AWS managed policy AmazonSSMFullAccess/);
    });

    it("judges attached AWS managed policies for wildcards, once per attachment", async () => {
        const resources = [
            role("ro"), attach("ro-a", "ro", AWS_POLICY("ReadOnlyAccess")),
            role("basic", { managedPolicyArns: [AWS_POLICY("service-role/AWSLambdaBasicExecutionRole")] }),
            role("bounded", { permissionsBoundary: AWS_POLICY("ReadOnlyAccess") }),
        ];
        const actions = await mandatory("aws-iam-policy-disallow-wildcard-actions", resources);
        assert.deepStrictEqual(actions.map((v) => v.name), ["ro-a"]);
        assert.match(actions[0].message, /RolePolicyAttachment 'ro-a' attaches the AWS managed policy ReadOnlyAccess, which allows \d+ wildcard action patterns/);
        const onAll = await mandatory("aws-iam-policy-disallow-wildcard-resources", resources);
        assert.deepStrictEqual(onAll.map((v) => v.name).sort(), ["basic", "ro-a"]);
        assert.match(onAll.find((v) => v.name === "basic")!.message, /AWSLambdaBasicExecutionRole, which allows .*`logs:CreateLogStream`/);
    });

    it("flags boundaries that hold nothing back, on roles, users and permission sets, customer or AWS managed", async () => {
        const vs = await mandatory(PERMISSIVE_BOUNDARY, [
            role("power", { permissionsBoundary: AWS_POLICY("PowerUserAccess") }),
            role("iamfull", { permissionsBoundary: AWS_POLICY("IAMFullAccess") }),
            managedPolicy("allow-all", { Effect: "Allow", Action: "*", Resource: "*" }),
            role("custom", { permissionsBoundary: `arn:aws:iam::${ACCOUNT}:policy/allow-all` }),
            managedPolicy("all-but-iam", { Effect: "Allow", NotAction: "iam:*", Resource: "*" }),
            role("notiam", { permissionsBoundary: `arn:aws:iam::${ACCOUNT}:policy/all-but-iam` }),
            resource("aws:iam/user:User", "bob", { name: "bob", permissionsBoundary: AWS_POLICY("AdministratorAccess") }),
            resource("aws:ssoadmin/permissionSet:PermissionSet", "ops", { name: "ops", instanceArn: "i", arn: "arn:aws:sso:::permissionSet/ssoins-1/ops" }),
            resource("aws:ssoadmin/permissionsBoundaryAttachment:PermissionsBoundaryAttachment", "ops-b", {
                instanceArn: "i", permissionSetArn: "arn:aws:sso:::permissionSet/ssoins-1/ops", permissionsBoundary: { managedPolicyArn: AWS_POLICY("AdministratorAccess") },
            }),
        ]);
        assert.deepStrictEqual(vs.map((v) => v.name).sort(), ["bob", "custom", "iamfull", "notiam", "ops", "power"]);
        assert.match(vs.find((v) => v.name === "custom")!.message, /role 'custom' is bounded by Policy 'allow-all' policy, which allows every action/);
        assert.match(vs.find((v) => v.name === "notiam")!.message, /which allows .*lambda:UpdateFunctionCode|which allows/);
    });

    it("passes boundaries that hold: ReadOnlyAccess, and a customer boundary that denies escalation", async () => {
        const vs = await mandatory(PERMISSIVE_BOUNDARY, [
            role("ro", { permissionsBoundary: AWS_POLICY("ReadOnlyAccess") }),
            managedPolicy("workloads", { Effect: "Allow", Action: ["dynamodb:GetItem", "sqs:SendMessage"], Resource: "*" }),
            role("wl", { permissionsBoundary: `arn:aws:iam::${ACCOUNT}:policy/workloads` }),
        ]);
        assert.deepStrictEqual(messages(vs), []);
    });
});

describe("escalation paths from the published catalogues", () => {
    const cases: [string, object[], RegExp][] = [
        ["glue:UpdateDevEndpoint", [{ Effect: "Allow", Action: "glue:UpdateDevEndpoint", Resource: "*" }], /Glue development endpoint/],
        ["glue:UpdateDevEndpoint on every endpoint of the account", [{ Effect: "Allow", Action: ["glue:UpdateDevEndpoint"], Resource: `arn:aws:glue:eu-west-1:${ACCOUNT}:devEndpoint/*` }], /Glue development endpoint/],
        ["EC2 Instance Connect to any instance", [{ Effect: "Allow", Action: "ec2-instance-connect:SendSSHPublicKey", Resource: "*" }], /push its SSH key/],
        ["EC2 serial console key to any instance", [{ Effect: "Allow", Action: "ec2-instance-connect:SendSerialConsoleSSHPublicKey", Resource: `arn:aws:ec2:*:${ACCOUNT}:instance/*` }], /push its SSH key/],
        ["ecs:ExecuteCommand on any task", [{ Effect: "Allow", Action: "ecs:ExecuteCommand", Resource: "*" }], /shell in any running ECS task/],
        ["codebuild:StartBuild on every project", [{ Effect: "Allow", Action: "codebuild:StartBuild", Resource: `arn:aws:codebuild:eu-west-1:${ACCOUNT}:project/*` }], /buildspec/],
        ["sagemaker:CreatePresignedNotebookInstanceUrl", [{ Effect: "Allow", Action: "sagemaker:CreatePresignedNotebookInstanceUrl", Resource: "*" }], /SageMaker notebook/],
        ["iam:PassRole + apprunner:CreateService", [{ Effect: "Allow", Action: ["iam:PassRole", "apprunner:CreateService"], Resource: "*" }], /App Runner/],
        ["iam:PassRole + launch template + Auto Scaling group", [{ Effect: "Allow", Action: ["iam:PassRole", "ec2:CreateLaunchTemplate", "autoscaling:CreateAutoScalingGroup"], Resource: "*" }], /Auto Scaling group/],
        ["iam:PassRole + Step Functions", [{ Effect: "Allow", Action: ["iam:PassRole", "states:CreateStateMachine", "states:StartExecution"], Resource: "*" }], /Step Functions/],
    ];
    for (const [what, statements, expected] of cases) {
        it(`flags ${what}`, async () => {
            const vs = await mandatory(ESCALATION, [role("r"), rolePolicy("p", "r", ...statements)]);
            assert.strictEqual(vs.length, 1, what);
            assert.match(vs[0].message, expected);
        });
    }
    it("does not flag ecs:ExecuteCommand or EC2 Instance Connect on one named task or instance", async () => {
        const vs = await mandatory(ESCALATION, [role("r"), rolePolicy("p", "r",
            { Effect: "Allow", Action: "ecs:ExecuteCommand", Resource: `arn:aws:ecs:eu-west-1:${ACCOUNT}:task/cluster/0123456789abcdef` },
            { Effect: "Allow", Action: "ec2-instance-connect:SendSSHPublicKey", Resource: `arn:aws:ec2:eu-west-1:${ACCOUNT}:instance/i-0123456789abcdef0` })]);
        assert.deepStrictEqual(messages(vs), []);
    });
});

describe("a service principal on a Lambda permission must be pinned to its source", () => {
    const permission = (name: string, props: object) =>
        resource("aws:lambda/permission:Permission", name, { action: "lambda:InvokeFunction", function: "worker", ...props });
    const open: [string, object][] = [
        ["S3 without sourceArn or sourceAccount", { principal: "s3.amazonaws.com" }],
        ["EventBridge without a source", { principal: "events.amazonaws.com" }],
        ["SNS with a sourceArn for any account", { principal: "sns.amazonaws.com", sourceArn: "arn:aws:sns:eu-west-1:*:topic" }],
        ["API Gateway with sourceArn arn:aws:execute-api:*", { principal: "apigateway.amazonaws.com", sourceArn: "arn:aws:execute-api:*" }],
        ["S3 with a bucket wildcard", { principal: "s3.amazonaws.com", sourceArn: "arn:aws:s3:::*" }],
        ["Alexa without a skill id", { principal: "alexa-appkit.amazon.com" }],
    ];
    for (const [what, props] of open) {
        it(`flags ${what}`, async () => {
            const vs = await mandatory(DEPUTY, [permission("p", props)]);
            assert.strictEqual(vs.length, 1, what);
            assert.match(vs[0].message, /on behalf of any account's resources/);
        });
    }
    it("flags a layer permission given to a service without an organization", async () => {
        const vs = await mandatory(DEPUTY, [resource("aws:lambda/layerVersionPermission:LayerVersionPermission", "l", {
            action: "lambda:GetLayerVersion", layerName: "arn:aws:lambda:eu-west-1:123456789012:layer:shared", versionNumber: 1, principal: "ecs-tasks.amazonaws.com", statementId: "s" })]);
        assert.strictEqual(vs.length, 1);
    });
    it("passes pinned sources, accounts, an Alexa skill id, and leaves an unknown sourceArn unverified", async () => {
        const vs = await violationsOf(DEPUTY, [
            permission("arn", { principal: "apigateway.amazonaws.com", sourceArn: `arn:aws:execute-api:eu-west-1:${ACCOUNT}:abc123/*/GET/tickets` }),
            permission("acct", { principal: "s3.amazonaws.com", sourceAccount: ACCOUNT, sourceArn: "arn:aws:s3:::uploads" }),
            permission("alexa", { principal: "alexa-appkit.amazon.com", eventSourceToken: "amzn1.ask.skill.1" }),
            permission("account", { principal: ACCOUNT }),
            permission("pending", { principal: "events.amazonaws.com", sourceArn: UNKNOWN }),
        ]);
        assert.deepStrictEqual(vs.filter((v) => v.enforcementLevel === "mandatory").map((v) => v.name), []);
        assert.deepStrictEqual(vs.filter((v) => v.enforcementLevel === "advisory").map((v) => v.name), ["pending"]);
    });
});

describe("forms AWS documents as least privilege are not violations", () => {
    it("passes self-service credentials on user/${aws:username}, and names the users reached otherwise", async () => {
        const self = [
            { Effect: "Allow", Action: ["iam:CreateAccessKey", "iam:UpdateAccessKey", "iam:DeleteAccessKey"], Resource: "arn:aws:iam::*:user/${aws:username}" },
            { Effect: "Allow", Action: ["iam:CreateLoginProfile", "iam:UpdateLoginProfile"], Resource: `arn:aws:iam::${ACCOUNT}:user/\${aws:username}` },
        ];
        assert.deepStrictEqual(messages(await mandatory(ESCALATION, [role("r"), rolePolicy("p", "r", ...self)])), []);
        const others = await mandatory(ESCALATION, [role("r"), rolePolicy("p", "r", { Effect: "Allow", Action: "iam:CreateAccessKey", Resource: "arn:aws:iam::*:user/*" })]);
        assert.strictEqual(others.length, 1);
        assert.match(others[0].message, /iam:CreateAccessKey on other users \(arn:aws:iam::\*:user\/\*\)/);
        const named = await mandatory(ESCALATION, [role("r"), rolePolicy("p", "r", { Effect: "Allow", Action: "iam:UpdateLoginProfile", Resource: `arn:aws:iam::${ACCOUNT}:user/admin` })]);
        assert.match(named[0].message, /iam:UpdateLoginProfile on other users \(arn:aws:iam::\d+:user\/admin\)/);
    });

    it("judges iam:PolicyARN by the policies it admits", async () => {
        const attachWith = (name: string, policyArn: string | string[], operator = "ArnEquals") =>
            [role(name), rolePolicy(`${name}-p`, name, { Effect: "Allow", Action: "iam:AttachRolePolicy", Resource: `arn:aws:iam::${ACCOUNT}:role/app-*`, Condition: { [operator]: { "iam:PolicyARN": policyArn } } })];
        const vs = await mandatory(ESCALATION, [
            ...attachWith("readonly", [AWS_POLICY("ReadOnlyAccess"), AWS_POLICY("service-role/AWSLambdaBasicExecutionRole")]),
            managedPolicy("narrow", { Effect: "Allow", Action: "dynamodb:GetItem", Resource: `arn:aws:dynamodb:eu-west-1:${ACCOUNT}:table/t` }),
            ...attachWith("instack", `arn:aws:iam::${ACCOUNT}:policy/narrow`),
            ...attachWith("admin", AWS_POLICY("AdministratorAccess")),
            ...attachWith("anyaws", "arn:aws:iam::aws:policy/*", "ArnLike"),
            ...attachWith("negated", AWS_POLICY("ReadOnlyAccess"), "ArnNotEquals"),
        ]);
        assert.deepStrictEqual(vs.map((v) => v.name).sort(), ["admin", "anyaws", "negated"]);
        assert.match(vs.find((v) => v.name === "admin")!.message, /iam:PolicyARN admits arn:aws:iam::aws:policy\/AdministratorAccess, which allows every action/);
    });

    it("judges iam:PermissionsBoundary by the boundary it requires", async () => {
        const delegate = (name: string, boundary: string) => [role(name), rolePolicy(`${name}-p`, name, {
            Effect: "Allow", Action: ["iam:PutRolePolicy", "iam:AttachRolePolicy"], Resource: `arn:aws:iam::${ACCOUNT}:role/app-*`,
            Condition: { StringEquals: { "iam:PermissionsBoundary": boundary } },
        })];
        const vs = await mandatory(ESCALATION, [
            managedPolicy("workload-boundary", { Effect: "Allow", Action: ["dynamodb:GetItem"], Resource: "*" }),
            ...delegate("held", `arn:aws:iam::${ACCOUNT}:policy/workload-boundary`),
            ...delegate("weak", AWS_POLICY("AdministratorAccess")),
            ...delegate("pattern", `arn:aws:iam::${ACCOUNT}:policy/*`),
        ]);
        assert.deepStrictEqual(vs.map((v) => v.name).sort(), ["pattern", "weak"]);
    });

    it("judges iam:PassedToService by the services a path passes the role to", async () => {
        const pass = (name: string, service: string, ...run: string[]) => [role(name), rolePolicy(`${name}-p`, name,
            { Effect: "Allow", Action: "iam:PassRole", Resource: "*", Condition: { StringEquals: { "iam:PassedToService": service } } },
            { Effect: "Allow", Action: run, Resource: "*" })];
        const vs = await mandatory(ESCALATION, [
            ...pass("ecs-only", "ecs-tasks.amazonaws.com", "lambda:CreateFunction", "lambda:InvokeFunction"),
            ...pass("to-lambda", "lambda.amazonaws.com", "lambda:CreateFunction", "lambda:InvokeFunction"),
        ]);
        // Both still hand any role to a service; only to-lambda can also run code through Lambda with it.
        assert.deepStrictEqual(vs.map((v) => v.name).sort(), ["ecs-only", "to-lambda"]);
        assert.doesNotMatch(vs.find((v) => v.name === "ecs-only")!.message, /new Lambda function/);
        assert.match(vs.find((v) => v.name === "to-lambda")!.message, /new Lambda function/);
    });

    it("honours resource-tag ABAC unless the principal can retag", async () => {
        const abac = { StringEquals: { "ssm:resourceTag/team": "${aws:PrincipalTag/team}" } };
        const held = await mandatory(ESCALATION, [role("r"), rolePolicy("p", "r",
            { Effect: "Allow", Action: ["ssm:StartSession", "ssm:SendCommand"], Resource: "*", Condition: abac },
            { Effect: "Allow", Action: "lambda:UpdateFunctionCode", Resource: "*", Condition: { StringEquals: { "aws:ResourceTag/team": "payments" } } })]);
        assert.deepStrictEqual(messages(held), []);
        const retag = await mandatory(ESCALATION, [role("r"), rolePolicy("p", "r",
            { Effect: "Allow", Action: ["ssm:StartSession"], Resource: "*", Condition: abac },
            { Effect: "Allow", Action: "ssm:AddTagsToResource", Resource: "*" })]);
        assert.strictEqual(retag.length, 1);
        assert.match(retag[0].message, /can retag resources/);
    });

    it("treats a Deny unless aws:SourceVpce as the guard of a private API, and only that", async () => {
        const api = (name: string, deny: object) => resource("aws:apigateway/restApiPolicy:RestApiPolicy", name, {
            restApiId: "abc123",
            policy: json(
                { Effect: "Allow", Principal: "*", Action: "execute-api:Invoke", Resource: "execute-api:/*" },
                { Effect: "Deny", Principal: "*", Action: "execute-api:Invoke", Resource: "execute-api:/*", ...deny },
            ),
        });
        const ok = await mandatory(PUBLIC, [
            api("vpce", { Condition: { StringNotEquals: { "aws:SourceVpce": "vpce-0123456789abcdef0" } } }),
            api("org", { Condition: { StringNotEquals: { "aws:PrincipalOrgID": "o-a1b2c3d4e5" } } }),
        ]);
        assert.deepStrictEqual(messages(ok), []);
        const open = await mandatory(PUBLIC, [
            api("ifexists", { Condition: { StringNotEqualsIfExists: { "aws:SourceVpce": "vpce-0123456789abcdef0" } } }),
            api("wildcard", { Condition: { StringNotLike: { "aws:SourceVpce": "vpce-*" } } }),
            api("ip", { Condition: { NotIpAddress: { "aws:SourceIp": "10.0.0.0/8" } } }),
            api("other-resource", { Resource: "execute-api:/prod/GET/admin", Condition: { StringNotEquals: { "aws:SourceVpce": "vpce-0123456789abcdef0" } } }),
        ]);
        assert.deepStrictEqual(open.map((v) => v.name).sort(), ["ifexists", "ip", "other-resource", "wildcard"]);
    });

    it("counts aws:PrincipalOrgPaths o-xxx/* as one organization, o-*/* as none", async () => {
        const bucketPolicy = (name: string, path: string) => resource("aws:s3/bucketPolicy:BucketPolicy", name, {
            bucket: "b",
            policy: json({ Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: "arn:aws:s3:::b/*", Condition: { "ForAnyValue:StringLike": { "aws:PrincipalOrgPaths": path } } }),
        });
        const vs = await mandatory(S3_PUBLIC, [bucketPolicy("org", "o-a1b2c3d4e5/*"), bucketPolicy("ou", "o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/*"), bucketPolicy("any", "o-*/*")]);
        assert.deepStrictEqual(vs.map((v) => v.name), ["any"]);
    });
});

describe("no pattern can make matching slow", () => {
    const PATHOLOGICAL = "iam:*?*?*?*?*?*?*?*?*?*?*?*?*y";
    const longAction = `iam:${"a".repeat(5000)}`;
    const longArn = `arn:aws:iam::${ACCOUNT}:role/${"a/".repeat(2500)}x`;

    it("matches a pathological pattern against long names and ARNs in well under a second", () => {
        const started = process.hrtime.bigint();
        const m = wildcardMatcher(PATHOLOGICAL);
        assert.strictEqual(m.test(longAction), false);
        assert.strictEqual(m.test(`${longAction}y`), true);
        assert.strictEqual(wildcardMatcher(`arn:aws:iam::*?*?*?*?*?*?*?*?*?*?*?*?*y`).test(longArn), false);
        assert.strictEqual(intersects(`${longArn}*?*?*?*?*?*?*?*?*?*?*?*?*y`, ROLE_ARN), true);
        assert.strictEqual(intersects(PATHOLOGICAL, ROLE_ARN), false);
        assert.strictEqual(covers(PATHOLOGICAL, longAction), false);
        const ms = Number(process.hrtime.bigint() - started) / 1e6;
        assert.ok(ms < timeBudgetMs(500), `took ${ms} ms`);
    });

    it("checks a stack whose policies use the pattern in Action, Resource and conditions quickly", async () => {
        const statements = [
            { Effect: "Allow", Action: [PATHOLOGICAL, "s3:*?*?*?*?*?*?*?*?*?*?*?*?*y"], Resource: [longArn, `arn:aws:s3:::*?*?*?*?*?*?*?*?*?*?*?*?*y`] },
            { Effect: "Allow", Action: "iam:PassRole", Resource: "arn:aws:iam::*?*?*?*?*?*?*?*?*?*?*?*?*y" },
        ];
        const resources = Array.from({ length: 20 }, (_, i) => [role(`r${i}`), rolePolicy(`p${i}`, `r${i}`, ...statements)]).flat();
        const started = process.hrtime.bigint();
        const result = await run(resources);
        const ms = Number(process.hrtime.bigint() - started) / 1e6;
        assert.ok(result.violations.some((v) => v.policy === ESCALATION), "the pattern still counts as reaching any role");
        assert.ok(ms < timeBudgetMs(1000), `took ${ms} ms`);
    });

    it("expands nothing it cannot read: escalation over a document from readIamDocument", () => {
        const d = readIamDocument(json({ Effect: "Allow", Action: PATHOLOGICAL, Resource: "*" }));
        assert.ok(!isDocumentError(d));
        const started = process.hrtime.bigint();
        escalationsOf({ resource: undefined as never, kind: "role", grants: [{ label: "x", doc: d }], boundaries: [] });
        assert.ok(Number(process.hrtime.bigint() - started) / 1e6 < timeBudgetMs(250));
    });
});
