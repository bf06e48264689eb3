// The workflows under .github/workflows/: valid for actionlint, and the deploy contract's security properties hold
// (README, "Deploy with GitHub Actions"). Every check is also shown failing, on a broken copy of the real files.

import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { REPO_ROOT, Workflow, actionlint, readWorkflows, workflowProblems } from "./support";

const INVALID = path.join(REPO_ROOT, "test", "fixtures", "workflows", "invalid.yml");

/** The real workflows with `from` replaced by `to` in `file` (which must contain it, else the test proves nothing). */
function broken(file: string, from: string | RegExp, to: string): Workflow[] {
    return readWorkflows().map((w) => {
        if (w.file !== file) return w;
        const text = w.text.replace(from, to);
        assert.notStrictEqual(text, w.text, `${file} does not contain ${from}`);
        return { file, text, doc: parse(text) };
    });
}

function assertProblem(workflows: Workflow[], expected: RegExp): void {
    const problems = workflowProblems(workflows);
    assert.ok(problems.some((p) => expected.test(p)), `expected a problem matching ${expected}, got:\n${problems.join("\n") || "(none)"}`);
}

describe("GitHub workflows", function () {
    const workflows = readWorkflows();

    it("exist: CI, plan, preview, deploy and the Pulumi job they share", function () {
        assert.deepStrictEqual(workflows.map((w) => w.file), ["ci.yml", "deploy.yml", "plan.yml", "preview.yml", "pulumi.yml"]);
    });

    describe("actionlint", function () {
        for (const w of readWorkflows()) {
            it(`finds nothing in ${w.file}`, async function () {
                assert.deepStrictEqual(await actionlint(w.text), []);
            });
        }

        it("rejects an invalid workflow: unknown context property, missing job, bad expression type", async function () {
            const kinds = (await actionlint(fs.readFileSync(INVALID, "utf8"))).map((f) => `${f.line}:${f.kind}`);
            assert.deepStrictEqual(kinds.sort(), ["12:expression", "13:job-needs", "22:expression"].sort());
        });
    });

    describe("security properties", function () {
        it("hold for the workflows as committed", function () {
            assert.deepStrictEqual(workflowProblems(workflows), []);
        });

        it("reject an action pinned to a tag instead of a commit SHA", function () {
            assertProblem(broken("plan.yml", /actions\/checkout@[0-9a-f]{40}/, "actions/checkout@v7"), /uses actions\/checkout@v7, not pinned to a full commit SHA/);
        });

        it("reject a SHA whose trailing comment names another release than the vendored action.yml", function () {
            assertProblem(broken("ci.yml", "# v7.0.1", "# v6.0.0"), /must carry its release tag as a trailing comment \(# v7\.0\.1\), not v6\.0\.0/);
        });

        it("reject a SHA with no vendored action.yml, and an input the pinned action does not declare", function () {
            assertProblem(broken("ci.yml", /checkout@3d3c42e5/, "checkout@0000000f"), /has no vendored action\.yml/);
            assertProblem(broken("pulumi.yml", "policyPacks: ./policypack", "policyPacks: ./policypack\n          policy-packs: ./policypack"), /pulumi\/actions: input "policy-packs" is not declared/);
            assertProblem(broken("pulumi.yml", /\n\s+aws-region: .*/, ""), /configure-aws-credentials: required input "aws-region" is missing/);
        });

        it("reject top-level permissions beyond contents: read, and a job's id-token or pull-requests write it does not need", function () {
            assertProblem(broken("deploy.yml", /^permissions:\n {2}contents: read$/m, "permissions: write-all"), /deploy\.yml: top-level permissions must be set to an object/);
            assertProblem(broken("ci.yml", /^permissions:\n {2}contents: read$/m, "permissions:\n  contents: read\n  id-token: write"), /ci\.yml: top-level permission id-token: write/);
            assertProblem(broken("ci.yml", /^permissions:\n {2}contents: read\n/m, ""), /ci\.yml: top-level permissions must be set/);
            assertProblem(broken("ci.yml", "    timeout-minutes: 60\n", "    timeout-minutes: 60\n    permissions:\n      id-token: write\n"), /job test: id-token: write without a step that exchanges the OIDC token/);
            assertProblem(broken("deploy.yml", /id-token: write # [^\n]*\n/, "id-token: write\n      pull-requests: write\n"), /job dev: pull-requests: write is only for the preview's PR comment/);
        });

        it("reject a role assumed with another role or region than the environment's variables, or outside an environment", function () {
            assertProblem(broken("pulumi.yml", "role-to-assume: ${{ vars.AWS_ROLE_ARN }}", "role-to-assume: arn:aws:iam::111111111111:role/admin"), /role-to-assume must be the environment's/);
            assertProblem(broken("pulumi.yml", "aws-region: ${{ vars.AWS_REGION }}", "aws-region: eu-west-1"), /aws-region must be the environment's/);
            assertProblem(broken("pulumi.yml", "    environment: ${{ inputs.environment }}\n", ""), /assumes a role outside a GitHub environment/);
        });

        it("reject pulumi up of prod outside the prod environment, before dev, or without the offline plan", function () {
            assertProblem(broken("deploy.yml", "      environment: prod\n", "      environment: prod-preview\n"), /job prod: pulumi up of prod runs in environment prod-preview, not prod/);
            assertProblem(broken("deploy.yml", "    needs: dev\n", "    needs: plan\n"), /job prod \(up prod\) must run after up dev/);
            assertProblem(broken("deploy.yml", "    needs: prod\n", "    needs: plan\n"), /job org \(up org\) must run after up prod/);
            assertProblem(broken("deploy.yml", "    needs: plan\n", ""), /job dev \(up dev\) must need the offline plan/);
            assertProblem(broken("deploy.yml", "      stack: prod\n", "      stack: staging\n"), /pulumi up for prod: expected one job, found 0/);
        });

        it("reject pulumi up on pull requests, and a preview outside its <stack>-preview environment", function () {
            assertProblem(broken("deploy.yml", "on:\n  push:", "on:\n  pull_request:\n  push:"), /job dev: pulumi up runs on a push to main only/);
            assertProblem(broken("preview.yml", "environment: ${{ matrix.stack }}-preview", "environment: ${{ matrix.stack }}"), /job preview: pulumi preview of \$\{\{ matrix.stack \}\} runs in environment \$\{\{ matrix.stack \}\}, not/);
            assertProblem(broken("preview.yml", "on:\n  pull_request:", "on:\n  pull_request_target:"), /preview\.yml: runs on pull_request_target/);
        });

        it("reject a concurrency group that is not per stack, and a cancellable pulumi up", function () {
            assertProblem(broken("deploy.yml", "group: deploy-prod", "group: deploy"), /job prod: concurrency group "deploy" is not per stack \(prod\)/);
            assertProblem(broken("deploy.yml", /(group: deploy-dev\n\s+cancel-in-progress:) false/, "$1 true"), /job dev: pulumi up must never be cancelled/);
            assertProblem(broken("preview.yml", "group: preview-${{ matrix.stack }}-", "group: preview-"), /job preview: concurrency group .* is not per stack/);
        });

        it("reject a long-lived secret, a call of a workflow outside the repository, and a missing plan or test run on pull requests", function () {
            assertProblem(broken("pulumi.yml", "${{ vars.AWS_ROLE_ARN }}\n          aws-region", "${{ secrets.AWS_ROLE_ARN }}\n          aws-region"), /pulumi\.yml: reads a secret/);
            assertProblem(broken("ci.yml", "uses: ./.github/workflows/plan.yml", "uses: octo/ci/.github/workflows/plan.yml@main"), /calls octo\/ci\/\.github\/workflows\/plan\.yml@main, not a workflow under/);
            assertProblem(broken("ci.yml", "  pull_request:\n", ""), /no workflow on pull_request calls plan\.yml/);
            assertProblem(broken("ci.yml", "run: bash .ci/run", "run: npm test"), /no workflow on pull_request runs bash \.ci\/run/);
        });
    });

    describe("the Pulumi job's first step", function () {
        const check = parse(fs.readFileSync(path.join(REPO_ROOT, ".github", "workflows", "pulumi.yml"), "utf8")).jobs.pulumi.steps[0].run as string;
        const run = (env: Record<string, string>) => spawnSync("bash", ["-e", "-c", check], { env: { PATH: process.env.PATH, ...env }, encoding: "utf8" });
        const vars = { AWS_ROLE_ARN: "arn:aws:iam::111111111111:role/deployer", AWS_REGION: "eu-west-1", PULUMI_ORGANIZATION: "swiftsupport-org" };

        it("passes for up in <stack> and preview in <stack>-preview with the variables set", function () {
            assert.strictEqual(run({ COMMAND: "up", STACK: "prod", ENVIRONMENT: "prod", ...vars }).status, 0);
            assert.strictEqual(run({ COMMAND: "preview", STACK: "prod", ENVIRONMENT: "prod-preview", ...vars }).status, 0);
        });

        it("refuses another environment, another command, and names the missing variables", function () {
            const wrong = run({ COMMAND: "up", STACK: "prod", ENVIRONMENT: "prod-preview", ...vars });
            assert.strictEqual(wrong.status, 1);
            assert.match(wrong.stdout, /::error::pulumi up of stack 'prod' must run in the environment 'prod', not 'prod-preview'/);
            assert.match(run({ COMMAND: "destroy", STACK: "prod", ENVIRONMENT: "prod", ...vars }).stdout, /::error::command must be preview or up, not 'destroy'/);
            const missing = run({ COMMAND: "up", STACK: "dev", ENVIRONMENT: "dev", AWS_REGION: "eu-west-1" });
            assert.strictEqual(missing.status, 1);
            assert.match(missing.stdout, /::error::set the variable\(s\) AWS_ROLE_ARN PULUMI_ORGANIZATION in the GitHub environment 'dev'/);
        });
    });
});
