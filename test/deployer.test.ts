import * as pulumi from "@pulumi/pulumi";
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { DEPLOY_OPERATIONS } from "../components/iam/deployOperations";
import { DEPLOYER_PERMISSIONS, DerivedStatement, MANAGED_POLICY_MAX_CHARS } from "../components/iam/deployerGrants";
import { GithubDeployRoles, ROLE_MANAGED_POLICIES_MAX } from "../components/iam/githubDeployRoles";
import { lookupAction, prepareActions } from "../policypack/lib/iamDataset";
import { Report } from "../tools/lib/report";
import { ProgramFailed, ProgramRun, ReadByPath, runProgram } from "../tools/mocks/harness";
import {
    DEPLOY_STACKS, DerivationError, OUTPUT, PACK_CONFIG_OUTPUT, deriveDeployer, derivePermissions, render, renderPackConfig, runDeployPlans,
} from "../tools/deployerPermissions";
import { main as plan } from "../tools/plan";
import { collectingIo } from "./tools/support";

/** The custom AWS resources a plan registers: what a deployer must be able to deploy. */
const deployedTypes = (run: ProgramRun) => [...new Set(run.resources.filter((r) => r.custom && r.type.startsWith("aws:")).map((r) => r.type))].sort();
const allStatements = (stack: string, role: "deploy" | "preview"): DerivedStatement[] => DEPLOYER_PERMISSIONS[stack][role];
const actionsOf = (statements: DerivedStatement[]) => statements.flatMap((s) => s.actions);

async function planJson(stack: string, args: string[] = [], config?: Record<string, unknown>) {
    const io = collectingIo();
    const code = await plan(["--stack", stack, "--json", ...args], io, { config });
    return { code, io, report: io.out ? (JSON.parse(io.out) as Report) : undefined };
}

describe("the derived deployer permissions (npm run derive:deployer)", function () {
    this.timeout(300_000);
    let runs: Map<string, ProgramRun>;
    before(async () => {
        runs = await runDeployPlans();
    });

    it("are up to date with the dev, prod and org plans and the IAM dataset, pack config included", async () => {
        const derived = await derivePermissions(runs);
        assert.strictEqual(fs.readFileSync(OUTPUT, "utf8"), render(derived), "components/iam/deployerPermissions.json is stale: run npm run derive:deployer");
        assert.strictEqual(fs.readFileSync(PACK_CONFIG_OUTPUT, "utf8"), renderPackConfig(derived), "bootstrap-pack-config.json is stale: run npm run derive:deployer");
    });

    for (const stack of DEPLOY_STACKS) {
        it(`cover every resource type and provider function of the ${stack} plan`, () => {
            const types = deployedTypes(runs.get(stack)!);
            assert.ok(types.length > 0);
            assert.deepStrictEqual(DEPLOYER_PERMISSIONS[stack].resourceTypes, types);
            for (const t of types) assert.ok(DEPLOY_OPERATIONS[t], `${t} has operations`);
            assert.deepStrictEqual(DEPLOYER_PERMISSIONS[stack].functions, runs.get(stack)!.invokes.filter((t) => t.startsWith("aws:")));
            // Every operation of every type is granted, or withheld by the deployer's boundary, by name.
            const granted = new Set(actionsOf(allStatements(stack, "deploy")).map((a) => a.toLowerCase()));
            const withheld = new Set(Object.keys(DEPLOYER_PERMISSIONS[stack].withheld).map((a) => a.toLowerCase()));
            for (const t of types) {
                for (const a of DEPLOY_OPERATIONS[t].actions) assert.ok(granted.has(a.toLowerCase()) || withheld.has(a.toLowerCase()), `${stack}: ${t} needs ${a}`);
            }
        });
    }

    it("refuse a plan with a resource type that has no operations, naming it", async () => {
        const run = runs.get("dev")!;
        const odd = { ...run.resources[1], type: "aws:sfn/stateMachine:StateMachine", custom: true, urn: "urn:x", name: "odd" };
        await assert.rejects(deriveDeployer("dev", { ...run, resources: [...run.resources, odd] }), (e: Error) =>
            e instanceof DerivationError && /resource type aws:sfn\/stateMachine:StateMachine/.test(e.message));
    });

    it("name only actions the IAM dataset has, and give the preview role only its Read and List ones", async () => {
        const every = DEPLOY_STACKS.flatMap((s) => [...actionsOf(allStatements(s, "deploy")), ...actionsOf(allStatements(s, "preview"))]);
        await prepareActions(every);
        for (const a of every) assert.ok(lookupAction(a), `${a} is in the dataset`);
        for (const stack of DEPLOY_STACKS) {
            const preview = actionsOf(allStatements(stack, "preview"));
            assert.ok(preview.length > 0);
            for (const a of preview) assert.match(lookupAction(a)!.accessLevel, /^(Read|List)$/, `${stack} preview: ${a}`);
            // The deployer can read all it changes: preview is a subset of it.
            const deploy = new Set(actionsOf(allStatements(stack, "deploy")));
            for (const a of preview) assert.ok(deploy.has(a), `${stack}: ${a} also in the deployer`);
        }
    });

    it("pin every IAM role change to the workload boundary and pass only the plan's roles to their services", () => {
        for (const stack of ["dev", "prod"]) {
            const iam = allStatements(stack, "deploy").filter((s) => s.actions[0].startsWith("iam:"));
            const roleWrites = iam.filter((s) => s.actions.some((a) => /^iam:(CreateRole|PutRolePolicy|UpdateAssumeRolePolicy|DeleteRolePolicy|DetachRolePolicy)$/.test(a)));
            assert.ok(roleWrites.length > 0);
            for (const s of roleWrites) {
                assert.deepStrictEqual(s.conditions, { StringEquals: { "iam:PermissionsBoundary": [`arn:\${Partition}:iam::\${Account}:policy/swiftsupport/swiftsupport-${stack}-workloads-boundary`] } });
            }
            const pass = iam.find((s) => s.actions.includes("iam:PassRole"))!;
            assert.deepStrictEqual(pass.actions, ["iam:PassRole"]);
            assert.deepStrictEqual(pass.conditions, { StringEquals: { "iam:PassedToService": ["cloudtrail.amazonaws.com", "lambda.amazonaws.com"] } });
            for (const r of pass.resources) assert.match(r, new RegExp(`:role/swiftsupport/swiftsupport-${stack}-[a-z-]+-role$`), "an exact role");
            // No policy version, boundary removal or trail tampering: those are withheld by name.
            const all = actionsOf(allStatements(stack, "deploy"));
            for (const a of ["iam:CreatePolicy", "iam:CreatePolicyVersion", "iam:DeletePolicy", "cloudtrail:StopLogging", "cloudtrail:DeleteTrail", "iam:AttachRolePolicy", "iam:PutRolePermissionsBoundary"]) {
                assert.ok(!all.includes(a), `${stack} deployer has no ${a}`);
            }
            assert.strictEqual(DEPLOYER_PERMISSIONS[stack].withheld["iam:CreatePolicyVersion"], "DenyManagedPolicyEdits");
            assert.strictEqual(DEPLOYER_PERMISSIONS[stack].withheld["iam:CreatePolicy"], "DenyBoundaryCreation");
        }
    });

    it("scope every statement to the stack's account, and S3 to buckets its account owns", () => {
        for (const stack of ["dev", "prod"]) {
            for (const s of allStatements(stack, "deploy")) {
                for (const r of s.resources) {
                    if (r === "*") continue;
                    const account = r.split(":")[4];
                    if (account === "") assert.match(r, /^arn:\$\{Partition\}:(s3|apigateway|sso|identitystore|cloudfront)/, r);
                    else assert.ok(account === "${Account}" || account === "aws", `${r} in the stack's account`);
                }
                if (s.actions[0].startsWith("s3:")) assert.strictEqual(s.conditions?.StringEquals?.["s3:ResourceAccount"], "${Account}", s.sid);
            }
        }
    });
});

describe("a bootstrap stack", function () {
    this.timeout(300_000);

    for (const stack of DEPLOY_STACKS) {
        describe(`bootstrap-${stack}`, () => {
            let run: ProgramRun;
            before(async () => {
                run = await runProgram({ stack: `bootstrap-${stack}` });
            });

            it("creates GitHub's OIDC provider for audience sts.amazonaws.com, without a thumbprint", () => {
                const [provider] = run.ofType("aws:iam/openIdConnectProvider:OpenIdConnectProvider");
                assert.strictEqual(provider.inputs.url, "https://token.actions.githubusercontent.com");
                assert.deepStrictEqual(provider.inputs.clientIdLists, ["sts.amazonaws.com"]);
                assert.strictEqual(provider.inputs.thumbprintLists, undefined);
            });

            for (const [role, environment] of [["deployer", stack], ["preview", `${stack}-preview`]]) {
                it(`trusts the ${role} role to jobs of GitHub environment ${environment} of this repository only, bounded, under /swiftsupport/`, () => {
                    const r = run.named("aws:iam/role:Role", `github-${role}`);
                    const trust = JSON.parse(r.inputs.assumeRolePolicy) as ReadByPath;
                    assert.deepStrictEqual(trust.Statement, [{
                        Sid: "AssumeFromGitHubEnvironment",
                        Effect: "Allow",
                        Principal: { Federated: run.ofType("aws:iam/openIdConnectProvider:OpenIdConnectProvider")[0].outputs.arn },
                        Action: "sts:AssumeRoleWithWebIdentity",
                        Condition: { StringEquals: {
                            "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
                            "token.actions.githubusercontent.com:sub": `repo:swiftsupport-org/swiftsupport:environment:${environment}`,
                        } },
                    }]);
                    assert.strictEqual(r.inputs.path, "/swiftsupport/");
                    assert.strictEqual(r.inputs.permissionsBoundary, run.named("aws:iam/policy:Policy", "github-boundary").outputs.arn);
                    assert.ok(r.inputs.maxSessionDuration >= 3600 && r.inputs.maxSessionDuration <= 7200);
                    assert.strictEqual(run.outputs[`${role}RoleArn`], r.outputs.arn);
                });
            }

            it("holds the derived statements in managed policies IAM accepts, and nothing inline", () => {
                for (const [role, derived] of [["deployer", "deploy"], ["preview", "preview"]] as const) {
                    const policies = run.resources.filter((r) => r.type === "aws:iam/policy:Policy" && new RegExp(`^github-${role}-\\d+$`).test(r.name));
                    assert.ok(policies.length >= 1 && policies.length <= ROLE_MANAGED_POLICIES_MAX, `${role}: ${policies.length} policies`);
                    const docs = policies.map((p) => JSON.parse(p.inputs.policy) as ReadByPath);
                    for (const p of policies) assert.ok(p.inputs.policy.length <= MANAGED_POLICY_MAX_CHARS, `${p.name} is ${p.inputs.policy.length} characters`);
                    const actions = docs.flatMap((d) => d.Statement.flatMap((s: ReadByPath) => s.Action)).sort();
                    assert.deepStrictEqual(actions, actionsOf(DEPLOYER_PERMISSIONS[stack][derived]).sort());
                    const attached = run.named("aws:iam/rolePolicyAttachmentsExclusive:RolePolicyAttachmentsExclusive", `github-${role}-policies`);
                    assert.deepStrictEqual([...attached.inputs.policyArns].sort(), policies.map((p) => p.outputs.arn).sort());
                    assert.deepStrictEqual(run.named("aws:iam/rolePoliciesExclusive:RolePoliciesExclusive", `github-${role}-inline-policies`).inputs.policyNames, []);
                }
            });

            it("denies the deploy roles any change to themselves, their boundary, provider and policies", () => {
                const boundary = JSON.parse(run.named("aws:iam/policy:Policy", "github-boundary").inputs.policy) as ReadByPath;
                const own = boundary.Statement.find((s: ReadByPath) => s.Sid === "DenyBootstrapChanges");
                assert.deepStrictEqual(own.Action, ["iam:*"]);
                for (const r of ["deployer", "preview"]) assert.ok(own.Resource.includes(run.named("aws:iam/role:Role", `github-${r}`).outputs.arn));
                assert.ok(own.Resource.includes(run.named("aws:iam/policy:Policy", "github-boundary").outputs.arn));
                assert.ok(own.Resource.includes(run.ofType("aws:iam/openIdConnectProvider:OpenIdConnectProvider")[0].outputs.arn));
                for (const sid of ["DenyManagedPolicyEdits", "DenyAuditTrailTampering", "DenyBoundaryChanges", "DenyBoundaryCreation"]) {
                    assert.ok(boundary.Statement.some((s: ReadByPath) => s.Sid === sid && s.Effect === "Deny"), sid);
                }
            });
        });
    }

    it("adopts the account's existing OIDC provider by ARN instead of creating one", async () => {
        const arn = "arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com";
        const run = await runProgram({ stack: "bootstrap-dev", config: { githubOidcProviderArn: arn } });
        assert.deepStrictEqual(run.ofType("aws:iam/openIdConnectProvider:OpenIdConnectProvider"), []);
        const trust = JSON.parse(run.named("aws:iam/role:Role", "github-deployer").inputs.assumeRolePolicy) as ReadByPath;
        assert.strictEqual(trust.Statement[0].Principal.Federated, arn);
        assert.strictEqual(run.outputs.oidcProviderArn, arn);
    });

    it("refuses, as a component, a repository or stack that is not exact (a ResourceError)", async () => {
        for (const [repository, deployStack, wrong] of [["acme/*", "dev", /repository "acme\/\*" must be exactly one owner\/name/], ["acme/app", "dev-*", /deployStack "dev-\*" must be a stack name/]] as const) {
            await assert.rejects(
                runProgram({ stack: "bootstrap-dev", program: () => new GithubDeployRoles("gh", { repository, deployStack, accountId: "111111111111" }) }),
                (e: ProgramFailed) => wrong.test(e.message) && e.cause instanceof pulumi.ResourceError,
            );
        }
    });

    describe("with the policy pack", () => {
        it("passes every bootstrap stack with the bootstrap pack config, plan's default for them: no mandatory violation, suppressions reported", async () => {
            for (const stack of DEPLOY_STACKS) {
                const { code, io, report } = await planJson(`bootstrap-${stack}`);
                assert.strictEqual(code, 0, io.err);
                assert.match(io.err, /bootstrap stack: the pack runs with bootstrap-pack-config\.json/);
                assert.deepStrictEqual(report!.violations.filter((v) => v.enforcementLevel === "mandatory"), []);
                assert.ok(report!.verdict.suppressed > 0);
            }
        });

        // With no exception configured the pack's escalation rule names every path the deployer holds: exactly what deploying
        // is, so the suppression in bootstrap-pack-config.json hides nothing else.
        const expected: Record<string, string[]> = {
            dev: ["change a function's layers, environment or role and run as its role", "replace a function's code and run as its role"],
            prod: ["change a function's layers, environment or role and run as its role", "replace a function's code and run as its role"],
            org: [
                "add a user to an Identity Center group that holds more privileged permission sets",
                "assign any user or group (itself included) a more privileged permission set in any account",
                "rewrite an IAM Identity Center permission set's policies or boundary and provision it to the accounts",
            ],
        };
        for (const stack of DEPLOY_STACKS) {
            it(`finds only the escalation paths deploying ${stack} needs in its deployer, none in its preview role, and a pinned trust`, async () => {
                const empty = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "pack-")), "empty.json");
                fs.writeFileSync(empty, "{}\n");
                const { code, report } = await planJson(`bootstrap-${stack}`, ["--policy-pack-config", empty]);
                assert.strictEqual(code, 1);
                const mandatory = report!.violations.filter((v) => v.enforcementLevel === "mandatory");
                const escalation = mandatory.filter((v) => v.policy === "aws-iam-principal-disallow-privilege-escalation");
                assert.deepStrictEqual(escalation.map((v) => v.name), ["github-deployer"]);
                const effects = [...escalation[0].message.matchAll(/: can ([^;]+?)(?: \(code changes belong in `pulumi up`\)| \(changes belong in `pulumi up`\))?(?:;|\. Remove)/g)].map((m) => m[1]).sort();
                assert.deepStrictEqual(effects, expected[stack]);
                // Nothing about trust, and nothing but the suppressible policies.
                assert.deepStrictEqual([...new Set(mandatory.map((v) => v.policy))].filter((p) => !/wildcard-resources|escalation|permissive-boundary|s3-policy-disallow-wildcard-write/.test(p)), []);
            });
        }
    });

    describe("refuses a config that leaves the OIDC subject unpinned, before any resource (exit 2, every problem)", () => {
        const refused = async (config: Record<string, unknown>) => {
            const { code, io } = await planJson("bootstrap-dev", [], config);
            assert.strictEqual(code, 2);
            assert.strictEqual(io.out, "");
            assert.doesNotMatch(io.err, /\n\s+at /, "no stack trace");
            return io.err;
        };

        it("a wildcard owner or repository, and a wildcard environment, listed together", async () => {
            const err = await refused({ githubRepository: "*/swiftsupport", deployStack: "d*v" });
            assert.match(err, /Stack "bootstrap-dev" has 2 config problems:/);
            assert.match(err, /- githubRepository: "\*\/swiftsupport" would be a wildcard in the OIDC subject/);
            assert.match(err, /- deployStack: "d\*v" would be a wildcard in the OIDC subject/);
            assert.match(await refused({ githubRepository: "swiftsupport-org/swift?upport" }), /githubRepository: "swiftsupport-org\/swift\?upport" would be a wildcard/);
        });

        it("no repository at all, or not one owner/name", async () => {
            assert.match(await refused({ githubRepository: undefined }), /- githubRepository: is required: the one GitHub repository \(owner\/name\)/);
            assert.match(await refused({ githubRepository: "swiftsupport" }), /- githubRepository: "swiftsupport" must be one repository as owner\/name/);
            assert.match(await refused({ githubRepository: "-bad-/repo" }), /- githubRepository: owner "-bad-" is not a GitHub user or organization name/);
        });

        it("a stack with no derived deployer, an account id that is not one, a provider of another account", async () => {
            const err = await refused({
                deployStack: "stagin",
                accountId: "12345",
                githubOidcProviderArn: "arn:aws:iam::999999999999:oidc-provider/token.actions.githubusercontent.com",
                auth0Issuer: "https://x.example/",
            });
            assert.match(err, /- deployStack: no derived deployer permissions for stack "stagin"; known: dev, prod, org/);
            assert.match(err, /- accountId: must be a 12-digit AWS account id/);
            assert.match(err, /- githubOidcProviderArn: is in account 999999999999, not in accountId 12345/);
            assert.match(err, /- auth0Issuer: belongs to a workload stack \(stackKind: workload\), not to a bootstrap stack/);
        });
    });
});
