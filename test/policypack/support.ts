// Builders for the pack's tests: resources in the runner's input shape, and runs of the whole pack.

import { policies } from "../../policypack/policies";
import { PackConfig, PackRunResult, PackViolation, RunnerResource, UNKNOWN_SENTINEL, makeUrn, runPack } from "../../tools/lib/packRunner";

export { UNKNOWN_SENTINEL };
export const UNKNOWN = UNKNOWN_SENTINEL;

export const ACCOUNT = "123456789012";

/** A resource of `type` named `name` in stack dev of project test. */
export function resource(type: string, name: string, props: Record<string, unknown>, extra: Partial<RunnerResource> = {}): RunnerResource {
    return { urn: makeUrn("dev", "test", type, name), type, name, props, ...extra };
}

export const urnOf = (type: string, name: string) => makeUrn("dev", "test", type, name);

export const doc = (...Statement: object[]) => ({ Version: "2012-10-17", Statement });
export const json = (...statements: object[]) => JSON.stringify(doc(...statements));
export const allow = (Action: string | string[], Resource: string | string[] = `arn:aws:s3:::bucket/*`, extra: object = {}) =>
    ({ Effect: "Allow", Action, Resource, ...extra });

export const LAMBDA_TRUST = json({
    Effect: "Allow",
    Principal: { Service: "lambda.amazonaws.com" },
    Action: "sts:AssumeRole",
    Condition: { StringEquals: { "aws:SourceAccount": ACCOUNT } },
});

/** A role that satisfies the role policies (boundary, pinned service trust). */
export function role(name: string, props: Record<string, unknown> = {}, extra: Partial<RunnerResource> = {}): RunnerResource {
    return resource("aws:iam/role:Role", name, {
        name: `${name}-abc123`,
        arn: `arn:aws:iam::${ACCOUNT}:role/${name}-abc123`,
        assumeRolePolicy: LAMBDA_TRUST,
        permissionsBoundary: `arn:aws:iam::${ACCOUNT}:policy/boundary`,
        ...props,
    }, extra);
}

export async function run(resources: RunnerResource[], config: PackConfig = {}): Promise<PackRunResult> {
    return runPack(policies, resources, config);
}

/** The violations of one policy. */
export async function violationsOf(policy: string, resources: RunnerResource[], config: PackConfig = {}): Promise<PackViolation[]> {
    return (await run(resources, config)).violations.filter((v) => v.policy === policy);
}

export function messages(vs: PackViolation[]): string[] {
    return vs.map((v) => `${v.name}: ${v.message}`);
}

/**
 * A time budget for the pack's no-backtracking tests. Under mutation testing every statement is instrumented and the
 * run shares the machine, so the budget is 20 times larger there: the backtracking those tests guard against takes
 * minutes, not a few hundred milliseconds, either way.
 */
export function timeBudgetMs(ms: number): number {
    return "__stryker__" in globalThis ? ms * 20 : ms;
}
