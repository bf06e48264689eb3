import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { PEOPLE_BOUNDARY, PlatformResources } from "../components/iam";
import { IdentityCenter, IdentityEnvironment } from "../components/identity/identityCenter";
import { loadOrgConfig } from "../config/load";
import { EnvironmentConfig } from "../config/orgSchema";
import { problemsOf } from "../config/schema";

/**
 * What a workload stack exports under `people` for the org stack: its account, the people boundary it created there
 * and the ARNs people can be given access to. index.ts builds it; the org stack reads it through a StackReference.
 */
export interface WorkloadPeopleOutputs {
    /** The account the workload stack deployed into. */
    accountId: pulumi.Input<string>;
    /** The people boundary policy (fixed name and path, `PEOPLE_BOUNDARY`). */
    boundary: { name: pulumi.Input<string>; path: pulumi.Input<string>; arn: pulumi.Input<string> };
    /** The resources named access grants on. */
    resources: PlatformResources;
}

/** The output name the org stack reads from each workload stack. */
export const PEOPLE_OUTPUT = "people";

const arn = z.string().regex(/^arn:aws[a-z-]*:/, "must be an ARN");
/** The read side of WorkloadPeopleOutputs: a stack reference is another stack's word, so it is checked. */
const peopleOutputSchema = z.object({
    accountId: z.string().regex(/^\d{12}$/, "must be a 12-digit AWS account id"),
    boundary: z.object({ name: z.literal(PEOPLE_BOUNDARY.name), path: z.literal(PEOPLE_BOUNDARY.path), arn }),
    resources: z.object({
        functionArns: z.array(arn).min(1),
        tableArn: arn,
        ownerIndexName: z.string().min(1),
        tableKeyArn: arn,
        kmsViaService: z.string().min(1),
        logGroupArns: z.array(arn).min(1),
        alarmArns: z.array(arn),
        accountAlarmsArn: arn,
        trailArn: arn,
        analyzerArns: z.array(arn).min(1),
    }),
});

/** Reads one environment's workload stack outputs; returns the environment or the problems, with their paths. */
async function readEnvironment(env: EnvironmentConfig, index: number): Promise<IdentityEnvironment | string[]> {
    const where = `environments[${index}]`;
    const ref = new pulumi.StackReference(`env-${env.name}`, { name: env.stack });
    const details = await ref.getOutputDetails(PEOPLE_OUTPUT);
    const value = details.value ?? details.secretValue;
    if (value === undefined) {
        return [`${where}.stack: stack "${env.stack}" has no "${PEOPLE_OUTPUT}" output: deploy that workload stack (with this version of the program) before the org stack`];
    }
    const parsed = peopleOutputSchema.safeParse(value);
    if (!parsed.success) return problemsOf(parsed.error).map((p) => `${where}.stack: stack "${env.stack}" output ${PEOPLE_OUTPUT}.${p}`);
    if (parsed.data.accountId !== env.accountId) {
        return [`${where}.accountId: is ${env.accountId}, but stack "${env.stack}" deployed into account ${parsed.data.accountId}`];
    }
    return { name: env.name, accountId: env.accountId, resources: parsed.data.resources, boundary: parsed.data.boundary };
}

/**
 * The org stack: people in IAM Identity Center, with access to every environment's account built from that
 * environment's workload stack outputs. Fails before creating anything if a workload stack's outputs are missing or
 * disagree with the org config.
 */
export async function orgProgram() {
    const config = loadOrgConfig();
    const read = await Promise.all(config.environments.map(readEnvironment));
    const problems = read.filter((r): r is string[] => Array.isArray(r)).flat();
    if (problems.length > 0) {
        throw new pulumi.RunError(
            `Stack "${pulumi.getStack()}" cannot read its environments (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n` +
                problems.map((p) => `  - ${p}`).join("\n"),
        );
    }
    const environments = read as IdentityEnvironment[];
    const identity = new IdentityCenter("identity", {
        region: config.identityCenterRegion,
        environments,
        groups: config.groups,
        users: config.users,
        instanceArn: config.identityCenterInstanceArn,
        identityStoreId: config.identityStoreId,
    });
    return {
        identityCenterRegion: config.identityCenterRegion,
        environments: Object.fromEntries(
            config.environments.map((e) => [
                e.name,
                { accountId: e.accountId, stack: e.stack, permissionSetArns: identity.permissionSetArns[e.name] },
            ]),
        ),
        users: Object.fromEntries(config.users.map((u) => [u.userName, u.groups])),
    };
}
