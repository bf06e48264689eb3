import { closest, distance } from "fastest-levenshtein";
import { z } from "zod";
import { ACCESS_NAMES } from "../components/iam/access";

/** CloudWatch Logs accepts only these retention periods (days). */
export const LOG_RETENTION_DAYS = [
    1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

const MIN_SESSION_MINUTES = 60;
const MAX_SESSION_MINUTES = 12 * 60;

/** Minutes in an ISO-8601 duration of hours and minutes (`PT8H`, `PT1H30M`), or undefined if not of that form. */
export function sessionMinutes(duration: string): number | undefined {
    const m = /^PT(?:(\d+)H)?(?:(\d+)M)?$/.exec(duration);
    if (!m || (m[1] === undefined && m[2] === undefined)) return undefined;
    return Number(m[1] ?? 0) * 60 + Number(m[2] ?? 0);
}

const httpsUrl = z.url({ protocol: /^https$/, error: "must be an https:// URL" });
const name = (what: string, max: number) =>
    z.string().trim().min(1, `${what} must not be empty`).max(max, `${what} must be at most ${max} characters`);

const groupSchema = z.strictObject({
    /** Identity Center group display name, e.g. `DevOps`. */
    name: z.string().regex(/^[A-Za-z][\w+=,.@-]{0,31}$/, "must start with a letter, then up to 31 of letters, digits, + = , . @ _ - (it names the permission set)"),
    /** What the group is for, shown in Identity Center. */
    description: name("description", 700),
    /** How long a console/CLI session lasts, ISO-8601 between PT1H and PT12H. */
    sessionDuration: z.string().superRefine((value, ctx) => {
        const minutes = sessionMinutes(value);
        if (minutes === undefined) ctx.addIssue({ code: "custom", message: `"${value}" is not an ISO-8601 duration like PT8H` });
        else if (minutes < MIN_SESSION_MINUTES || minutes > MAX_SESSION_MINUTES)
            ctx.addIssue({ code: "custom", message: `"${value}" is outside PT1H..PT12H` });
    }),
    /** Named access from components/iam/access.ts, e.g. `functions:read`. */
    access: z.array(z.string()).min(1, "a group needs at least one access name"),
});

const userSchema = z.strictObject({
    /** Identity Center user name (unique). */
    userName: z.string().regex(/^[A-Za-z0-9+=,.@_-]{1,128}$/, "letters, digits and + = , . @ _ - only (1-128)"),
    /** Name shown in the portal. */
    displayName: name("displayName", 256),
    /** Given name. */
    givenName: name("givenName", 256),
    /** Family name. */
    familyName: name("familyName", 256),
    /** Work email (unique). */
    email: z.email("is not a valid email address"),
    /** Names of the groups the user belongs to. */
    groups: z.array(z.string()).min(1, "a user needs at least one group"),
});

const identityStoreId = /^d-[0-9a-f]{10}$|^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * The stack config, one field per key under the `swiftsupport:` namespace. Flat on purpose: Pulumi.yaml can declare
 * a type only for strings, integers, booleans and arrays, so every scalar knob is its own typed key and only the
 * people (groups, users) are structured values, validated here.
 */
const configSchema = z.strictObject({
    accountId: z.string().regex(/^\d{12}$/, "must be a 12-digit AWS account id"),
    identityCenterInstanceArn: z
        .string()
        .regex(/^arn:aws[a-z-]*:sso:::instance\/(sso)?ins-[a-zA-Z0-9-.]{16}$/, "must be an Identity Center instance ARN")
        .optional(),
    identityStoreId: z.string().regex(identityStoreId, "must be an identity store id like d-1234567890").optional(),
    auth0Issuer: httpsUrl.refine((u) => u.endsWith("/"), "must end with / (Auth0 issuers do)"),
    auth0Audience: z.string().min(1, "must not be empty"),
    logRetentionDays: z.number().refine((d) => (LOG_RETENTION_DAYS as readonly number[]).includes(d), {
        message: `must be one of ${LOG_RETENTION_DAYS.join(", ")}`,
    }),
    deletionProtection: z.boolean(),
    apiThrottleBurst: z.number().int().min(1).max(5000),
    apiThrottleRate: z.number().positive().max(10000),
    wafRateLimit: z.number().int().min(10).max(2_000_000_000),
    siteOrigins: z
        .array(httpsUrl.refine((u) => !u.includes("*") && URL.canParse(u) && new URL(u).origin === u, "must be an origin: https://host[:port], no path, no trailing /, no wildcard"))
        .min(1, "at least one origin is required"),
    functionMemoryMb: z.number().int().min(128).max(10240),
    functionTimeoutSeconds: z.number().int().min(1).max(900),
    functionReservedConcurrency: z.number().int().min(1).optional(),
    securityAlarms: z.boolean(),
    alarmEmail: z.email("is not a valid email address").optional(),
    unusedAccessAnalyzer: z.boolean(),
    unusedAccessAgeDays: z.number().int().min(1).max(365).default(90),
    accessAnalyzerArn: z
        .string()
        .regex(/^arn:aws[a-z-]*:access-analyzer:[a-z0-9-]+:\d{12}:analyzer\/[\w.-]+$/, "must be an IAM Access Analyzer ARN")
        .optional(),
    edgeAliases: z.array(z.string().regex(/^[a-z0-9.-]+\.[a-z]{2,}$/, "must be a DNS name")).min(1).optional(),
    edgeCertificateArn: z
        .string()
        .regex(/^arn:aws[a-z-]*:acm:us-east-1:\d{12}:certificate\/[0-9a-f-]+$/, "must be an ACM certificate ARN in us-east-1")
        .optional(),
    groups: z.array(groupSchema).min(1, "at least one group is required"),
    users: z.array(userSchema),
    reanalysisPrincipals: z
        .array(
            z.string().regex(
                /^arn:aws[a-z-]*:iam::\d{12}:role\/(?:[\x21-\x7e]*\/)?[\w+=,.@-]{1,64}$/,
                "must be an IAM role ARN like arn:aws:iam::123456789012:role/Name",
            ),
        )
        .max(20, "at most 20 roles (they travel in one Lambda environment variable)")
        .optional(),
});

/** How each key is read from Pulumi config, and whether it may be absent. */
export const CONFIG_KEYS = {
    accountId: { kind: "string", required: true },
    identityCenterInstanceArn: { kind: "string", required: false },
    identityStoreId: { kind: "string", required: false },
    auth0Issuer: { kind: "string", required: true },
    auth0Audience: { kind: "string", required: true },
    logRetentionDays: { kind: "number", required: true },
    deletionProtection: { kind: "boolean", required: true },
    apiThrottleBurst: { kind: "number", required: true },
    apiThrottleRate: { kind: "number", required: true },
    wafRateLimit: { kind: "number", required: true },
    siteOrigins: { kind: "object", required: true },
    functionMemoryMb: { kind: "number", required: true },
    functionTimeoutSeconds: { kind: "number", required: true },
    functionReservedConcurrency: { kind: "number", required: false },
    securityAlarms: { kind: "boolean", required: true },
    alarmEmail: { kind: "string", required: false },
    unusedAccessAnalyzer: { kind: "boolean", required: true },
    unusedAccessAgeDays: { kind: "number", required: false },
    accessAnalyzerArn: { kind: "string", required: false },
    edgeAliases: { kind: "object", required: false },
    edgeCertificateArn: { kind: "string", required: false },
    groups: { kind: "object", required: true },
    users: { kind: "object", required: true },
    reanalysisPrincipals: { kind: "object", required: false },
} as const satisfies Record<keyof z.input<typeof configSchema>, { kind: "string" | "number" | "boolean" | "object"; required: boolean }>;

/** Validated stack configuration. */
export type PlatformConfig = z.infer<typeof configSchema>;
/** One group as configured. */
export type GroupConfig = PlatformConfig["groups"][number];
/** One user as configured. */
export type UserConfig = PlatformConfig["users"][number];

/** `users[3].groups[0]` from zod's path. */
function formatPath(path: readonly PropertyKey[]): string {
    return path.reduce<string>(
        (s, p) => (typeof p === "number" ? `${s}[${p}]` : s === "" ? String(p) : `${s}.${String(p)}`),
        "",
    );
}

function suggestion(value: string, known: readonly string[]): string {
    if (known.length === 0) return "";
    const lower = known.map((k) => k.toLowerCase());
    const best = closest(value.toLowerCase(), lower);
    return distance(value.toLowerCase(), best) <= Math.max(2, Math.floor(best.length / 3))
        ? ` (did you mean "${known[lower.indexOf(best)]}"?)`
        : "";
}

function duplicates(values: readonly string[]): Map<string, number[]> {
    const seen = new Map<string, number[]>();
    values.forEach((v, i) => seen.set(v.toLowerCase(), [...(seen.get(v.toLowerCase()) ?? []), i]));
    return new Map([...seen].filter(([, at]) => at.length > 1));
}

/** Cross-field rules: references resolve, names and emails are unique. */
const platformSchema = configSchema.superRefine((c, ctx) => {
    const groupNames = c.groups.map((g) => g.name);
    for (const [dup, at] of duplicates(groupNames)) {
        for (const i of at.slice(1)) ctx.addIssue({ code: "custom", path: ["groups", i, "name"], message: `duplicate group "${dup}" (also groups[${at[0]}])` });
    }
    c.groups.forEach((g, gi) =>
        g.access.forEach((a, ai) => {
            if (!(ACCESS_NAMES as readonly string[]).includes(a)) {
                ctx.addIssue({ code: "custom", path: ["groups", gi, "access", ai], message: `unknown access "${a}"${suggestion(a, ACCESS_NAMES)}; known: ${ACCESS_NAMES.join(", ")}` });
            }
        }),
    );
    for (const [key, what] of [["userName", "user name"], ["email", "email"]] as const) {
        for (const [dup, at] of duplicates(c.users.map((u) => u[key]))) {
            for (const i of at.slice(1)) ctx.addIssue({ code: "custom", path: ["users", i, key], message: `duplicate ${what} "${dup}" (also users[${at[0]}])` });
        }
    }
    c.users.forEach((u, ui) =>
        u.groups.forEach((g, gi) => {
            if (!groupNames.includes(g)) {
                ctx.addIssue({ code: "custom", path: ["users", ui, "groups", gi], message: `unknown group "${g}"${suggestion(g, groupNames)}` });
            }
        }),
    );
    if (!c.securityAlarms && c.alarmEmail !== undefined) {
        ctx.addIssue({ code: "custom", path: ["alarmEmail"], message: "is set but securityAlarms is false" });
    }
    if ((c.identityCenterInstanceArn === undefined) !== (c.identityStoreId === undefined)) {
        ctx.addIssue({ code: "custom", path: ["identityStoreId"], message: "set both identityCenterInstanceArn and identityStoreId, or neither (then they are looked up)" });
    }
    if ((c.edgeAliases === undefined) !== (c.edgeCertificateArn === undefined)) {
        ctx.addIssue({ code: "custom", path: ["edgeCertificateArn"], message: "set both edgeAliases and edgeCertificateArn, or neither" });
    }
});

/** Either the validated config or every problem, each as `path: message`. */
export type ValidationResult = { ok: true; config: PlatformConfig } | { ok: false; problems: string[] };

/** Validates raw stack config; never throws. */
export function validatePlatformConfig(raw: unknown): ValidationResult {
    const parsed = platformSchema.safeParse(raw);
    if (parsed.success) return { ok: true, config: parsed.data };
    return {
        ok: false,
        problems: parsed.error.issues.map((issue) => {
            const where = formatPath(issue.path);
            const message = issue.code === "invalid_type" && issue.input === undefined ? "is required" : issue.message;
            return where === "" ? message : `${where}: ${message}`;
        }),
    };
}
