import { z } from "zod";
import { ACCESS_NAMES } from "../components/iam/access";
import { problemAt, validateWith } from "./problems";
import { IDENTITY_STORE_ID, name, sessionDurationSchema, suggestion, userSchema } from "./schema";

/** AWS allows permission set names of at most 32 characters. */
export const PERMISSION_SET_NAME_MAX = 32;

/** The permission set a group gets in one environment: one per group and environment (README, "People"). */
export const permissionSetName = (group: string, environment: string) => `${group}-${environment}`;

const environmentSchema = z.strictObject({
    /** Short name, e.g. `dev`; it ends the name of every permission set for this environment. */
    name: z.string().regex(/^[a-z][a-z0-9-]{0,15}$/, "must be 1-16 of lower-case letters, digits and -, starting with a letter"),
    /** The environment's AWS account: where its workload stack deploys and its permission sets are assigned. */
    accountId: z.string().regex(/^\d{12}$/, "must be a 12-digit AWS account id"),
    /** The workload stack the org stack reads (`pulumi.StackReference`): `<organization>/<project>/<stack>`. */
    stack: z.string().regex(/^(?:[\w.-]+\/[\w.-]+\/)?[\w.-]+$/, "must be a stack name like acme/swiftsupport/dev"),
});

const groupEnvironmentSchema = z.strictObject({
    /** Session length of the group's permission set in this environment, PT1H..PT12H. */
    sessionDuration: sessionDurationSchema,
    /** Named access from components/iam/access.ts, e.g. `functions:read`. */
    access: z.array(z.string()).min(1, "needs at least one access name (leave the environment out for none)"),
});

const orgGroupSchema = z.strictObject({
    /** Identity store group display name, e.g. `DevOps`; also the first part of its permission sets' names. */
    name: z.string().regex(/^[A-Za-z][\w+=,.@-]{0,30}$/, "must start with a letter, then up to 30 of letters, digits, + = , . @ _ -"),
    /** What the group is for, shown in Identity Center. */
    description: name("description", 700),
    /** Per environment name: the group's session length and access there. An environment left out: no access. */
    environments: z.record(z.string(), groupEnvironmentSchema),
});

const orgConfigSchema = z.strictObject({
    stackKind: z.literal("org"),
    identityCenterRegion: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, "must be an AWS region like eu-west-1"),
    identityCenterInstanceArn: z
        .string()
        .regex(/^arn:aws[a-z-]*:sso:::instance\/(sso)?ins-[a-zA-Z0-9-.]{16}$/, "must be an Identity Center instance ARN")
        .optional(),
    identityStoreId: z.string().regex(IDENTITY_STORE_ID, "must be an identity store id like d-1234567890").optional(),
    environments: z.array(environmentSchema).min(1, "at least one environment is required"),
    groups: z.array(orgGroupSchema).min(1, "at least one group is required"),
    users: z.array(userSchema),
});

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
/** `v[key]` when `v` is an object; entries not yet valid (already reported) give undefined. */
const field = (v: unknown, key: string): unknown => (isObject(v) ? v[key] : undefined);
/** Repeated strings (case-insensitive) of `values`, by first index: non-strings (already reported) are skipped. */
function repeated(values: unknown[]): [string, number[]][] {
    const seen = new Map<string, number[]>();
    values.forEach((v, i) => {
        if (typeof v === "string") seen.set(v.toLowerCase(), [...(seen.get(v.toLowerCase()) ?? []), i]);
    });
    return [...seen].filter(([, at]) => at.length > 1);
}

/**
 * Cross-field rules: every reference resolves, names are unique, derived names fit AWS's limits. They run even when
 * some field is invalid or missing (`when`), so one pass reports every problem; hence the defensive reads.
 */
const orgSchema = orgConfigSchema.superRefine(
    (valid, ctx) => {
        const issue = (path: (string | number)[], message: string) => problemAt(ctx, path, message);
        const c = valid as unknown as Record<string, unknown>;
        const environments = list(c.environments);
        const groups = list(c.groups);
        const users = list(c.users);
        for (const [key, what] of [["name", "environment name"], ["accountId", "account id"], ["stack", "stack"]] as const) {
            for (const [dup, at] of repeated(environments.map((e) => field(e, key)))) {
                for (const i of at.slice(1)) issue(["environments", i, key], `duplicate ${what} "${dup}" (also environments[${at[0]}])`);
            }
        }
        const environmentNames = environments.map((e) => field(e, "name")).filter((n): n is string => typeof n === "string");
        const groupNames = groups.map((g) => field(g, "name")).filter((n): n is string => typeof n === "string");
        for (const [dup, at] of repeated(groups.map((g) => field(g, "name")))) {
            for (const i of at.slice(1)) issue(["groups", i, "name"], `duplicate group "${dup}" (also groups[${at[0]}])`);
        }
        groups.forEach((g, gi) => {
            if (!isObject(g) || !isObject(g.environments) || typeof g.name !== "string") return;
            const entries = Object.entries(g.environments);
            if (entries.length === 0) issue(["groups", gi, "environments"], "a group needs access in at least one environment");
            for (const [env, grant] of entries) {
                const path = ["groups", gi, "environments", env];
                if (!environmentNames.includes(env)) {
                    issue(path, `unknown environment "${env}"${suggestion(env, environmentNames)}; known: ${environmentNames.join(", ")}`);
                    continue;
                }
                const setName = permissionSetName(g.name, env);
                if (setName.length > PERMISSION_SET_NAME_MAX) {
                    issue(path, `permission set name "${setName}" is ${setName.length} characters; AWS allows ${PERMISSION_SET_NAME_MAX}: shorten the group or environment name`);
                }
                const access = isObject(grant) ? list(grant.access) : [];
                access.forEach((a, ai) => {
                    if (typeof a === "string" && !(ACCESS_NAMES as readonly string[]).includes(a)) {
                        issue([...path, "access", ai], `unknown access "${a}"${suggestion(a, ACCESS_NAMES)}; known: ${ACCESS_NAMES.join(", ")}`);
                    }
                });
                for (const [dup, at] of repeated(access)) issue([...path, "access", at[1]], `duplicate access "${dup}"`);
            }
        });
        for (const [key, what] of [["userName", "user name"], ["email", "email"]] as const) {
            for (const [dup, at] of repeated(users.map((u) => field(u, key)))) {
                for (const i of at.slice(1)) issue(["users", i, key], `duplicate ${what} "${dup}" (also users[${at[0]}])`);
            }
        }
        users.forEach((u, ui) =>
            list(field(u, "groups")).forEach((g, gi) => {
                if (typeof g === "string" && !groupNames.includes(g)) issue(["users", ui, "groups", gi], `unknown group "${g}"${suggestion(g, groupNames)}`);
            }),
        );
        if ((c.identityCenterInstanceArn === undefined) !== (c.identityStoreId === undefined)) {
            issue(["identityStoreId"], "set both identityCenterInstanceArn and identityStoreId, or neither (then they are looked up)");
        }
    },
    { when: (payload) => isObject(payload.value) },
);

/** The validated org stack config. */
export type OrgConfig = z.infer<typeof orgConfigSchema>;
/** One environment: a name, its account and the workload stack deployed there. */
export type EnvironmentConfig = OrgConfig["environments"][number];
/** One group with its access per environment. */
export type OrgGroupConfig = OrgConfig["groups"][number];

/** How each org key is read from Pulumi config, and whether it may be absent. */
export const ORG_CONFIG_KEYS = {
    stackKind: { kind: "string", required: true },
    identityCenterRegion: { kind: "string", required: true },
    identityCenterInstanceArn: { kind: "string", required: false },
    identityStoreId: { kind: "string", required: false },
    environments: { kind: "object", required: true },
    groups: { kind: "object", required: true },
    users: { kind: "object", required: true },
} as const satisfies Record<keyof z.input<typeof orgConfigSchema>, { kind: "string" | "number" | "boolean" | "object"; required: boolean }>;

/** Either the validated org config or every problem, each as `path: message`. */
export type OrgValidationResult = { ok: true; config: OrgConfig } | { ok: false; problems: string[] };

/** Validates raw org stack config; never throws. */
export function validateOrgConfig(raw: unknown): OrgValidationResult {
    const result = validateWith(orgSchema, raw);
    return result.ok ? { ok: true, config: result.value } : result;
}
