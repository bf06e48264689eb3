import { ProgramRun, RunOptions, loadStackConfig, runProgram, stackOfReference } from "../../tools/mocks/harness";

/** The whole organization on mocks: each environment's workload stack, then the org stack reading their outputs. */
export interface OrganizationRun {
    org: ProgramRun;
    /** Workload runs by environment name. */
    workloads: Record<string, ProgramRun>;
    /** The environments as Pulumi.org.yaml lists them. */
    environments: { name: string; accountId: string; stack: string }[];
}

/** Runs every environment of Pulumi.org.yaml, then the org stack; `org` overrides the org stack's run options. */
export async function runOrganization(org: Omit<RunOptions, "stack"> = {}): Promise<OrganizationRun> {
    const environments = loadStackConfig("org")["swiftsupport:environments"] as OrganizationRun["environments"];
    const workloads: Record<string, ProgramRun> = {};
    for (const env of environments) workloads[env.name] = await runProgram({ stack: stackOfReference(env.stack) });
    const stackReferences = Object.fromEntries(environments.map((e) => [e.stack, workloads[e.name].outputs]));
    return { org: await runProgram({ stackReferences, ...org, stack: "org" }), workloads, environments };
}
