// The bootstrap stack's parts, each called directly: the config it accepts and the problem it reports per input
// class, the trust of its roles, the derived permissions as its roles receive them (placeholders filled, split into
// managed policies IAM accepts), their boundary, and the component's resources. test/deployer.test.ts runs the
// whole bootstrap plans and the derivation itself; these tests are fast enough for the mutation run's specs.
import { strict as assert } from "node:assert";
import * as pulumi from "@pulumi/pulumi";
import { validateBootstrapConfig } from "../config/bootstrapSchema";
import { DEPLOYER_DENIALS } from "../components/iam/boundaries";
import {
    chunkStatements,
    DEPLOYER_PERMISSIONS,
    deployableStacks,
    deployerBoundaryDocument,
    deployerPolicies,
    DerivedStatement,
    MANAGED_POLICY_MAX_CHARS,
    previewPolicies,
} from "../components/iam/deployerGrants";
import { DEPLOY_OPERATIONS, FUNCTION_OPERATIONS } from "../components/iam/deployOperations";
import { GithubDeployRoles, GithubDeployRolesArgs } from "../components/iam/githubDeployRoles";
import { githubOidcTrustPolicy } from "../components/iam/trust";
import { ProgramFailed, ReadByPath, runProgram } from "../tools/mocks/harness";

/** Any value with Outputs inside, resolved (outside a deployment every Output here is known). */
const resolved = <T>(value: T) => new Promise<unknown>((ok) => pulumi.output(value).apply(ok));
const ACCOUNT = "111111111111";
const STACKS = ["dev", "prod", "org"];
/** The committed statements with the placeholders as a deployment in `aws`/ACCOUNT fills them. */
const filled = (statements: readonly DerivedStatement[], region: string) =>
    JSON.parse(JSON.stringify(statements).split("${Partition}").join("aws").split("${Region}").join(region).split("${Account}").join(ACCOUNT)) as DerivedStatement[];

/** A derived statement as a policy document holds it. */
const allowStatement = (s: DerivedStatement, sid = s.sid) => ({
    Sid: sid,
    Effect: "Allow",
    Action: s.actions,
    Resource: s.resources,
    ...(s.conditions ? { Condition: s.conditions } : {}),
});

describe("bootstrap config (config/bootstrapSchema.ts): one problem per input class, every problem at once", () => {
    const OK = { stackKind: "bootstrap", accountId: ACCOUNT, githubRepository: "acme/app", deployStack: "dev" };
    const PROVIDER = `arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com`;
    const UNPINNED = "would be a wildcard in the OIDC subject, so workflows of other repositories or environments could assume the role; name exactly one";
    const problems = (raw: Record<string, unknown>) => {
        const result = validateBootstrapConfig(raw, STACKS);
        assert.equal(result.ok, false, JSON.stringify(raw));
        return (result as { problems: string[] }).problems;
    };

    it("accepts an exact repository, a derived stack and this account's provider, as given", () => {
        for (const raw of [OK, { ...OK, githubRepository: "Acme-Corp/swift.support_2", deployStack: "org" }, { ...OK, githubOidcProviderArn: PROVIDER }]) {
            assert.deepEqual(validateBootstrapConfig(raw, STACKS), { ok: true, config: raw });
        }
    });

    it("says what each missing key is, and why the repository matters", () => {
        assert.deepEqual(problems({}), [
            'stackKind: Invalid input: expected "bootstrap"',
            "accountId: is required",
            "githubRepository: is required: the one GitHub repository (owner/name) whose workflows may assume the roles",
            "deployStack: is required",
        ]);
    });

    it("refuses a repository that is a wildcard, not one owner/name, or not GitHub's names", () => {
        const cases: [string, string[]][] = [
            ["acme/*", [`githubRepository: "acme/*" ${UNPINNED}`]],
            ["ac?me/app", [`githubRepository: "ac?me/app" ${UNPINNED}`]],
            ["*/a/b", [`githubRepository: "*/a/b" ${UNPINNED}`]],
            ["acme", ['githubRepository: "acme" must be one repository as owner/name, e.g. acme/swiftsupport']],
            ["acme/app/x", ['githubRepository: "acme/app/x" must be one repository as owner/name, e.g. acme/swiftsupport']],
            ["-acme/..", ['githubRepository: owner "-acme" is not a GitHub user or organization name', 'githubRepository: name ".." is not a GitHub repository name']],
            ["acme/a b", ['githubRepository: name "a b" is not a GitHub repository name']],
            ["ac--me/app", ['githubRepository: owner "ac--me" is not a GitHub user or organization name']],
        ];
        for (const [githubRepository, expected] of cases) assert.deepEqual(problems({ ...OK, githubRepository }), expected, githubRepository);
    });

    it("refuses a deploy stack that is a wildcard, not a stack name, or has no derived permissions (with a suggestion)", () => {
        const known = "known: dev, prod, org (a new stack: add it to tools/deployerPermissions.ts and run npm run derive:deployer)";
        const cases: [string, string[]][] = [
            ["dev*", [`deployStack: "dev*" ${UNPINNED}`]],
            ["de v", ['deployStack: "de v" is not a stack name (letters, digits, _ . -)']],
            ["prd", [`deployStack: no derived deployer permissions for stack "prd" (did you mean "prod"?); ${known}`]],
            ["staging", [`deployStack: no derived deployer permissions for stack "staging"; ${known}`]],
        ];
        for (const [deployStack, expected] of cases) assert.deepEqual(problems({ ...OK, deployStack }), expected, deployStack);
        assert.deepEqual(problems({ ...OK, deployStack: 7 }), ["deployStack: must be a string"]);
    });

    it("refuses an account id that is not 12 digits and a provider that is not this account's GitHub provider", () => {
        assert.deepEqual(problems({ ...OK, accountId: "12345" }), ["accountId: must be a 12-digit AWS account id"]);
        assert.deepEqual(problems({ ...OK, githubOidcProviderArn: PROVIDER.replace(ACCOUNT, "222222222222") }), [
            `githubOidcProviderArn: is in account 222222222222, not in accountId ${ACCOUNT}`,
        ]);
        assert.deepEqual(problems({ ...OK, githubOidcProviderArn: `arn:aws:iam::${ACCOUNT}:oidc-provider/accounts.google.com` }), [
            "githubOidcProviderArn: must be the ARN of this account's token.actions.githubusercontent.com OIDC provider",
        ]);
        assert.deepEqual(problems({ ...OK, githubOidcProviderArn: "token.actions.githubusercontent.com" }), [
            "githubOidcProviderArn: must be the ARN of this account's token.actions.githubusercontent.com OIDC provider",
        ]);
        assert.deepEqual(problems({ ...OK, githubOidcProviderArn: [PROVIDER.replace(ACCOUNT, "222222222222")] }), ["githubOidcProviderArn: must be a string"]);
        // Without an account id there is nothing to compare the provider's account with.
        assert.deepEqual(problems({ ...OK, accountId: undefined, githubOidcProviderArn: PROVIDER }), ["accountId: is required"]);
    });

    it("names an unknown key, with the key it resembles", () => {
        assert.deepEqual(problems({ ...OK, deployStack: undefined, deployStak: "dev" }), ["deployStack: is required", 'deployStak: unknown key (did you mean "deployStack"?)']);
    });
});

describe("GitHub OIDC trust (components/iam/trust.ts)", () => {
    it("lets only jobs of one environment of one repository assume the role, for audience sts.amazonaws.com", async () => {
        const provider = `arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com`;
        for (const arn of [provider, pulumi.output(provider)]) {
            assert.deepEqual(JSON.parse((await resolved(githubOidcTrustPolicy(arn, "acme/app", "prod-preview"))) as string), {
                Version: "2012-10-17",
                Statement: [
                    {
                        Sid: "AssumeFromGitHubEnvironment",
                        Effect: "Allow",
                        Principal: { Federated: provider },
                        Action: "sts:AssumeRoleWithWebIdentity",
                        Condition: {
                            StringEquals: {
                                "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
                                "token.actions.githubusercontent.com:sub": "repo:acme/app:environment:prod-preview",
                            },
                        },
                    },
                ],
            });
        }
    });
});

describe("deployer grants (components/iam/deployerGrants.ts)", () => {
    const where = { partition: pulumi.output("aws"), account: ACCOUNT };
    /** A statement whose policy-document form (as IAM counts it, without whitespace) has exactly `chars` characters. */
    const sized = (sid: string, chars: number): DerivedStatement => {
        const bare = JSON.stringify({ Sid: sid, Effect: "Allow", Action: ["s3:GetObject"], Resource: [""] }).length;
        return { sid, actions: ["s3:GetObject"], resources: ["r".repeat(chars - bare)] };
    };
    /** What statements and the commas between them may take of a managed policy, its envelope left out. */
    const BUDGET = MANAGED_POLICY_MAX_CHARS - 100;

    it("can make a deployer for exactly the stacks the derivation covers", () => {
        assert.deepEqual(deployableStacks(), STACKS);
    });

    it("fills region and account, and the partition, into each role's statements, in the derivation's order", async () => {
        for (const stack of STACKS) {
            const region = DEPLOYER_PERMISSIONS[stack].region;
            for (const [policies, derived] of [[deployerPolicies, "deploy"], [previewPolicies, "preview"]] as const) {
                const chunks = (await resolved(policies(stack, where))) as DerivedStatement[][];
                assert.ok(chunks.length >= 1);
                const flat = chunks.flat().map((s) => JSON.parse(JSON.stringify(s)) as DerivedStatement);
                assert.deepEqual(flat, filled(DEPLOYER_PERMISSIONS[stack][derived], region), `${stack} ${derived}`);
            }
        }
        assert.match(JSON.stringify(await resolved(deployerPolicies("dev", where))), /"arn:aws:iam::111111111111:role\/swiftsupport\/swiftsupport-dev-submit-role"/);
    });

    it("refuses a stack without derived permissions, naming the ones it has", () => {
        for (const make of [deployerPolicies, previewPolicies]) {
            assert.throws(() => make("staging", where), { message: 'no derived deployer permissions for stack "staging" (known: dev, prod, org)' });
        }
    });

    it("splits statements into managed policies of at most IAM's size, in order, each as full as it can be", () => {
        // Each statement takes its characters and a comma.
        const half = BUDGET / 2 - 1;
        const [a, b, c] = [sized("A", half), sized("B", half), sized("C", half)];
        assert.deepEqual(chunkStatements([a, b]), [[a, b]], "two halves fill one policy exactly");
        assert.deepEqual(chunkStatements([a, b, c]), [[a, b], [c]]);
        const [over, under] = [sized("B", half + 1), sized("C", half - 1)];
        assert.deepEqual(chunkStatements([a, over, under]), [[a], [over, under]], "one character over starts a new policy");
        assert.deepEqual(chunkStatements([sized("Full", BUDGET - 1)]), [[sized("Full", BUDGET - 1)]]);
        assert.deepEqual(chunkStatements([]), []);
    });

    it("refuses a statement no managed policy could hold, naming it", () => {
        assert.throws(() => chunkStatements([sized("A", 100), sized("Huge", BUDGET)]), {
            message: `statement Huge alone is ${BUDGET + 1} characters, over a managed policy's ${MANAGED_POLICY_MAX_CHARS}`,
        });
    });

    it("bounds the roles by the deployer's services, its IAM statements and the denials, and protects the bootstrap roles", async () => {
        const protectedArns = [`arn:aws:iam::${ACCOUNT}:role/swiftsupport/swiftsupport-deploy-dev`, pulumi.output(`arn:aws:iam::${ACCOUNT}:policy/p`)];
        const boundary = JSON.parse((await resolved(deployerBoundaryDocument("dev", where, protectedArns))) as string) as ReadByPath;
        const iam = filled(DEPLOYER_PERMISSIONS.dev.deploy, "eu-west-1").filter((s) => s.actions[0].startsWith("iam:"));
        assert.deepEqual(iam.map((s) => s.sid), ["IamDeploy", "IamDeploy2", "IamRead", "IamRead2", "IamDeploy3", "IamDeploy4", "IamDeploy5"]);
        assert.deepEqual(boundary, {
            Version: "2012-10-17",
            Statement: [
                {
                    Sid: "DeployerServices",
                    Effect: "Allow",
                    Action: ["access-analyzer:*", "apigateway:*", "cloudfront:*", "cloudtrail:*", "dynamodb:*", "kms:*", "lambda:*", "logs:*", "s3:*", "sqs:*", "wafv2:*"],
                    Resource: ["*"],
                },
                ...iam.map((s) => allowStatement(s, `Boundary${s.sid}`)),
                ...DEPLOYER_DENIALS.map((d) => ({ Sid: d.sid, Effect: "Deny", Action: d.actions, Resource: d.resources })),
                { Sid: "DenyBootstrapChanges", Effect: "Deny", Action: ["iam:*"], Resource: [protectedArns[0], `arn:aws:iam::${ACCOUNT}:policy/p`] },
            ],
        });
        // The org deployer changes no IAM: its boundary allows Identity Center's services and nothing of IAM.
        const org = JSON.parse((await resolved(deployerBoundaryDocument("org", where, []))) as string) as ReadByPath;
        assert.deepEqual(org.Statement[0].Action, ["identitystore:*", "sso:*"]);
        assert.equal(org.Statement[1].Sid, DEPLOYER_DENIALS[0].sid);
    });
});

describe("the committed derivation against the operations table (components/iam/deployOperations.ts)", () => {
    // The derivation itself (npm run derive:deployer, test/deployer.test.ts) needs the three plans; this checks the
    // committed file names exactly the operations of its resource types and functions, granted or withheld.
    for (const stack of STACKS) {
        it(`grants or withholds exactly the operations of ${stack}'s resource types and provider functions`, () => {
            const d = DEPLOYER_PERMISSIONS[stack];
            const wanted = [...d.resourceTypes.flatMap((t) => DEPLOY_OPERATIONS[t].actions), ...d.functions.flatMap((f) => FUNCTION_OPERATIONS[f])];
            const lower = (actions: string[]) => [...new Set(actions.map((a) => a.toLowerCase()))].sort();
            assert.deepEqual(lower([...d.deploy.flatMap((s) => s.actions), ...Object.keys(d.withheld)]), lower(wanted));
        });
    }
});

describe("GithubDeployRoles (components/iam/githubDeployRoles.ts)", function () {
    this.timeout(60_000);
    const ARGS: GithubDeployRolesArgs = { repository: "acme/app", deployStack: "dev", accountId: ACCOUNT };
    const roles = (args: Partial<GithubDeployRolesArgs> = {}) => runProgram({ stack: "bootstrap-dev", program: () => new GithubDeployRoles("gh", { ...ARGS, ...args }) });
    const json = (text: string) => JSON.parse(text) as ReadByPath;

    it("creates GitHub's OIDC provider for sts.amazonaws.com, and trusts each role to its own environment", async () => {
        const run = await roles();
        const [provider] = run.ofType("aws:iam/openIdConnectProvider:OpenIdConnectProvider");
        assert.equal(provider.name, "github");
        assert.deepEqual(provider.inputs, { url: "https://token.actions.githubusercontent.com", clientIdLists: ["sts.amazonaws.com"] });
        assert.equal(run.outputs.oidcProviderArn, provider.outputs.arn);
        for (const [role, environment] of [["deployer", "dev"], ["preview", "dev-preview"]]) {
            const trust = json(run.named("aws:iam/role:Role", `gh-${role}`).inputs.assumeRolePolicy);
            assert.equal(trust.Statement[0].Principal.Federated, provider.outputs.arn);
            assert.equal(trust.Statement[0].Condition.StringEquals["token.actions.githubusercontent.com:sub"], `repo:acme/app:environment:${environment}`);
        }
    });

    it("names, describes and bounds the roles, with an hour's preview and two hours' deploy sessions by default", async () => {
        const run = await roles();
        const boundary = run.named("aws:iam/policy:Policy", "gh-boundary");
        assert.deepEqual(
            { name: boundary.inputs.name, path: boundary.inputs.path, description: boundary.inputs.description, tags: boundary.inputs.tags },
            {
                name: "swiftsupport-deploy-dev-boundary",
                path: "/swiftsupport/",
                description: "Permissions boundary of the GitHub Actions deploy roles for stack dev",
                tags: { "policy-pack:permissions-boundary": "true" },
            },
        );
        const pick = (r: ReadByPath) => ({ name: r.inputs.name, path: r.inputs.path, description: r.inputs.description, permissionsBoundary: r.inputs.permissionsBoundary, maxSessionDuration: r.inputs.maxSessionDuration });
        assert.deepEqual(pick(run.named("aws:iam/role:Role", "gh-deployer")), {
            name: "swiftsupport-deploy-dev",
            path: "/swiftsupport/",
            description: "pulumi up of stack dev from GitHub Actions (environment dev)",
            permissionsBoundary: boundary.outputs.arn,
            maxSessionDuration: 7200,
        });
        assert.deepEqual(pick(run.named("aws:iam/role:Role", "gh-preview")), {
            name: "swiftsupport-preview-dev",
            path: "/swiftsupport/",
            description: "Read-only pulumi preview of stack dev from GitHub Actions pull requests (environment dev-preview)",
            permissionsBoundary: boundary.outputs.arn,
            maxSessionDuration: 3600,
        });
    });

    it("protects the roles, their boundary and policies, and the provider from the roles themselves", async () => {
        const run = await roles();
        const component = run.named("swiftsupport:iam:GithubDeployRoles", "gh");
        for (const r of run.resources.filter((x) => x.custom)) assert.equal(r.parent, component.urn, `${r.type} ${r.name} is the component's`);
        const boundary = json(run.named("aws:iam/policy:Policy", "gh-boundary").inputs.policy);
        const own = boundary.Statement.find((s: ReadByPath) => s.Sid === "DenyBootstrapChanges");
        assert.deepEqual(own.Resource, [
            `arn:aws:iam::${ACCOUNT}:role/swiftsupport/swiftsupport-deploy-dev`,
            `arn:aws:iam::${ACCOUNT}:role/swiftsupport/swiftsupport-preview-dev`,
            `arn:aws:iam::${ACCOUNT}:policy/swiftsupport/swiftsupport-deploy-dev-boundary`,
            `arn:aws:iam::${ACCOUNT}:policy/swiftsupport/swiftsupport-deploy-dev-*`,
            `arn:aws:iam::${ACCOUNT}:policy/swiftsupport/swiftsupport-preview-dev-*`,
            `arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com`,
        ]);
    });

    it("holds each role's statements in numbered managed policies, attached exclusively, and nothing inline", async () => {
        const run = await roles();
        for (const [role, name, derived] of [["deployer", "swiftsupport-deploy-dev", "deploy"], ["preview", "swiftsupport-preview-dev", "preview"]] as const) {
            const place = { partition: "aws", account: ACCOUNT };
            const chunks = (await resolved(role === "deployer" ? deployerPolicies("dev", place) : previewPolicies("dev", place))) as unknown[][];
            assert.equal(run.resources.filter((r) => r.type === "aws:iam/policy:Policy" && r.name.startsWith(`gh-${role}-`)).length, chunks.length);
            const policies = chunks.map((_, i) => run.named("aws:iam/policy:Policy", `gh-${role}-${i + 1}`));
            const description = run.named("aws:iam/role:Role", `gh-${role}`).inputs.description;
            policies.forEach((p, i) => {
                assert.deepEqual(
                    { name: p.inputs.name, path: p.inputs.path, description: p.inputs.description },
                    { name: `${name}-${i + 1}`, path: "/swiftsupport/", description: `${description} (${i + 1}/${chunks.length})` },
                );
            });
            const statements = policies.flatMap((p) => json(p.inputs.policy).Statement);
            assert.deepEqual(statements, filled(DEPLOYER_PERMISSIONS.dev[derived], "eu-west-1").map((s) => allowStatement(s)));
            const roleName = run.named("aws:iam/role:Role", `gh-${role}`).outputs.name;
            const attached = run.named("aws:iam/rolePolicyAttachmentsExclusive:RolePolicyAttachmentsExclusive", `gh-${role}-policies`).inputs;
            assert.deepEqual(attached, { roleName, policyArns: policies.map((p) => p.outputs.arn) });
            assert.deepEqual(run.named("aws:iam/rolePoliciesExclusive:RolePoliciesExclusive", `gh-${role}-inline-policies`).inputs, { roleName, policyNames: [] });
        }
    });

    it("adopts an existing provider and takes the session lengths given", async () => {
        const arn = `arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com`;
        const adopted = await roles({ existingOidcProviderArn: arn, deployerSessionSeconds: 5400, previewSessionSeconds: 1800 });
        assert.deepEqual(adopted.ofType("aws:iam/openIdConnectProvider:OpenIdConnectProvider"), []);
        assert.equal(adopted.outputs.oidcProviderArn, arn);
        for (const [role, seconds] of [["deployer", 5400], ["preview", 1800]] as const) {
            const r = adopted.named("aws:iam/role:Role", `gh-${role}`);
            assert.equal(json(r.inputs.assumeRolePolicy).Statement[0].Principal.Federated, arn);
            assert.equal(r.inputs.maxSessionDuration, seconds);
        }
    });

    it("attaches up to IAM's default 10 managed policies to a role, and refuses a derivation that needs more", async () => {
        // A statement that fills a managed policy alone.
        const full = (i: number): DerivedStatement => ({ sid: `S${i}`, actions: ["s3:GetObject"], resources: [`arn:aws:s3:::b/${"k".repeat(5900)}`] });
        const withPolicies = (n: number) => {
            DEPLOYER_PERMISSIONS.huge = { ...DEPLOYER_PERMISSIONS.dev, deploy: Array.from({ length: n }, (_, i) => full(i)), preview: [] };
            return roles({ deployStack: "huge" });
        };
        try {
            const ten = await withPolicies(10);
            assert.equal(ten.named("aws:iam/policy:Policy", "gh-deployer-10").inputs.name, "swiftsupport-deploy-huge-10");
            await assert.rejects(withPolicies(11), (e: ProgramFailed) =>
                e.cause instanceof pulumi.ResourceError && e.message.includes("the deployer of huge needs 11 managed policies; IAM attaches at most 10 to a role by default"));
        } finally {
            delete DEPLOYER_PERMISSIONS.huge;
        }
    });

    it("refuses a repository or stack that is not exact, as a ResourceError naming it", async () => {
        const cases: [Partial<GithubDeployRolesArgs>, string][] = [
            [{ repository: "acme/*" }, 'repository "acme/*" must be exactly one owner/name, without wildcards'],
            [{ repository: "acme" }, 'repository "acme" must be exactly one owner/name, without wildcards'],
            [{ repository: "x/acme/app" }, 'repository "x/acme/app" must be exactly one owner/name, without wildcards'],
            [{ repository: "acme/app/x" }, 'repository "acme/app/x" must be exactly one owner/name, without wildcards'],
            [{ deployStack: "dev?" }, 'deployStack "dev?" must be a stack name, without wildcards'],
            [{ deployStack: "x dev" }, 'deployStack "x dev" must be a stack name, without wildcards'],
            [{ deployStack: "dev x" }, 'deployStack "dev x" must be a stack name, without wildcards'],
        ];
        for (const [args, message] of cases) {
            await assert.rejects(roles(args), (e: ProgramFailed) => e.cause instanceof pulumi.ResourceError && e.message.includes(message), message);
        }
    });
});
