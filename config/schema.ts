import { z } from "zod";
import { EVEN_AFTER_ERRORS, describeIssues, problemAt, validateWith } from "./problems";

export { suggestion } from "./problems";

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
/** A trimmed, non-empty string of at most `max` characters. */
export const name = (what: string, max: number) =>
    z.string().trim().min(1, `${what} must not be empty`).max(max, `${what} must be at most ${max} characters`);

/** How long a console/CLI session lasts, ISO-8601 between PT1H and PT12H. */
export const sessionDurationSchema = z.string().superRefine((value, ctx) => {
    const minutes = sessionMinutes(value);
    if (minutes === undefined) ctx.addIssue(`"${value}" is not an ISO-8601 duration like PT8H`);
    else if (minutes < MIN_SESSION_MINUTES || minutes > MAX_SESSION_MINUTES)
        ctx.addIssue(`"${value}" is outside PT1H..PT12H`);
});

/** One person in the identity store (the org stack's `users`). */
export const userSchema = z.strictObject({
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

/** An identity store id: `d-` and ten hex digits, or a UUID. */
export const IDENTITY_STORE_ID = /^d-[0-9a-f]{10}$|^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * A workload stack's config (`stackKind: workload`, the default), one field per key under the `swiftsupport:`
 * namespace. Flat on purpose: Pulumi.yaml can declare a type only for strings, integers, booleans and arrays, so
 * every knob is its own typed key. The people (environments, groups, users) belong to the org stack:
 * config/orgSchema.ts.
 */
const configSchema = z.strictObject({
    accountId: z.string().regex(/^\d{12}$/, "must be a 12-digit AWS account id"),
    auth0Issuer: httpsUrl
        .refine((u) => u.endsWith("/"), "must end with / (Auth0 issuers do)")
        // The site hands the host to auth0-spa-js, which builds every tenant URL from it.
        .refine((u) => !URL.canParse(u) || new URL(u).pathname === "/", "must be the tenant's root, like https://tenant.eu.auth0.com/"),
    auth0Audience: z.string().min(1, "must not be empty"),
    // The site's config.json carries it and auth0-spa-js sends it in the /authorize query: letters, digits, _ and - only.
    auth0SpaClientId: z.string().regex(/^[A-Za-z0-9_-]{1,128}$/, "must be the Auth0 SPA application's Client ID (letters, digits, _ and -)"),
    logRetentionDays: z.number().refine((d) => (LOG_RETENTION_DAYS as readonly number[]).includes(d), {
        message: `must be one of ${LOG_RETENTION_DAYS.join(", ")}`,
    }),
    // Pulumi.yaml must give every key a default (see its header), so booleans default to the safe side.
    deletionProtection: z.boolean().default(true),
    apiThrottleBurst: z.number().int().min(1).max(5000),
    apiThrottleRate: z.number().positive().max(10000),
    wafRateLimit: z.number().int().min(10).max(2_000_000_000),
    siteOrigins: z
        .array(httpsUrl.refine((u) => !u.includes("*") && URL.canParse(u) && new URL(u).origin === u, "must be an origin: https://host[:port], no path, no trailing /, no wildcard"))
        .min(1, "at least one origin is required"),
    functionMemoryMb: z.number().int().min(128).max(10240),
    functionTimeoutSeconds: z.number().int().min(1).max(900),
    functionReservedConcurrency: z.number().int().min(1).optional(),
    securityAlarms: z.boolean().default(true),
    alarmEmail: z.email("is not a valid email address").optional(),
    unusedAccessAnalyzer: z.boolean().default(false),
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
    auth0Issuer: { kind: "string", required: true },
    auth0Audience: { kind: "string", required: true },
    auth0SpaClientId: { kind: "string", required: true },
    logRetentionDays: { kind: "number", required: true },
    deletionProtection: { kind: "boolean", required: false },
    apiThrottleBurst: { kind: "number", required: true },
    apiThrottleRate: { kind: "number", required: true },
    wafRateLimit: { kind: "number", required: true },
    siteOrigins: { kind: "object", required: true },
    functionMemoryMb: { kind: "number", required: true },
    functionTimeoutSeconds: { kind: "number", required: true },
    functionReservedConcurrency: { kind: "number", required: false },
    securityAlarms: { kind: "boolean", required: false },
    alarmEmail: { kind: "string", required: false },
    unusedAccessAnalyzer: { kind: "boolean", required: false },
    unusedAccessAgeDays: { kind: "number", required: false },
    accessAnalyzerArn: { kind: "string", required: false },
    edgeAliases: { kind: "object", required: false },
    edgeCertificateArn: { kind: "string", required: false },
    reanalysisPrincipals: { kind: "object", required: false },
} as const satisfies Record<keyof z.input<typeof configSchema>, { kind: "string" | "number" | "boolean" | "object"; required: boolean }>;

/** Validated stack configuration. */
export type PlatformConfig = z.infer<typeof configSchema>;
/** One user as the org stack configures it. */
export type UserConfig = z.infer<typeof userSchema>;

/** Cross-field rules. They run on whatever parsed (config/problems.ts), so every read is defensive. */
const platformSchema = configSchema.superRefine((input, ctx) => {
    const c = input as Partial<Record<keyof PlatformConfig, unknown>>;
    if (c.securityAlarms === false && c.alarmEmail !== undefined) {
        problemAt(ctx, ["alarmEmail"], "is set but securityAlarms is false");
    }
    if ((c.edgeAliases === undefined) !== (c.edgeCertificateArn === undefined)) {
        problemAt(ctx, ["edgeCertificateArn"], "set both edgeAliases and edgeCertificateArn, or neither");
    }
}, EVEN_AFTER_ERRORS);

/** Either the validated config or every problem, each as `path: message`. */
export type ValidationResult = { ok: true; config: PlatformConfig } | { ok: false; problems: string[] };

/** Validates raw stack config; never throws. */
export function validatePlatformConfig(raw: unknown): ValidationResult {
    const result = validateWith(platformSchema, raw);
    return result.ok ? { ok: true, config: result.value } : result;
}

/**
 * Each issue of a zod error as `path: message` (config/problems.ts). Prefer `validateWith`, which also asks zod for
 * the inputs, so that a wrong type reads "must be a number" rather than "is required", and names the keys an unknown
 * key may have been meant as.
 */
export function problemsOf(error: z.ZodError): string[] {
    return describeIssues(undefined, error.issues);
}
