import { z } from "zod";
import { EVEN_AFTER_ERRORS, problemAt, suggestion, validateWith } from "./problems";

/** GitHub owner (user or organization) names: letters, digits and single hyphens, at most 39 characters. */
const GITHUB_OWNER = /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/;
/** GitHub repository names: letters, digits, `.`, `_`, `-`, at most 100 characters (not `.` or `..`). */
const GITHUB_REPOSITORY = /^(?!\.{1,2}$)[A-Za-z0-9._-]{1,100}$/;
/** Stack names, which are also the GitHub environment names (BRIEF contract): Pulumi's stack-name characters. */
const STACK_NAME = /^[A-Za-z0-9_.-]{1,100}$/;
/** Characters IAM's StringLike would treat as wildcards in the OIDC subject. */
const WILDCARD = /[*?]/;

const UNPINNED = "would be a wildcard in the OIDC subject, so workflows of other repositories or environments could assume the role; name exactly one";

/** `owner/repository`, each part exact: it becomes `repo:<owner>/<repository>:environment:<stack>` in the trust. */
const repositorySchema = z.string().superRefine((value, ctx) => {
    const parts = value.split("/");
    if (WILDCARD.test(value)) {
        ctx.addIssue(`"${value}" ${UNPINNED}`);
    } else if (parts.length !== 2) {
        ctx.addIssue(`"${value}" must be one repository as owner/name, e.g. acme/swiftsupport`);
    } else {
        if (!GITHUB_OWNER.test(parts[0])) ctx.addIssue(`owner "${parts[0]}" is not a GitHub user or organization name`);
        if (!GITHUB_REPOSITORY.test(parts[1])) ctx.addIssue(`name "${parts[1]}" is not a GitHub repository name`);
    }
});

const bootstrapConfigSchema = z.strictObject({
    stackKind: z.literal("bootstrap"),
    /** The 12-digit account the bootstrap stack deploys into: the account `deployStack` deploys into. */
    accountId: z.string().regex(/^\d{12}$/, "must be a 12-digit AWS account id"),
    /** The one GitHub repository whose workflows may assume the roles, `owner/name`. */
    githubRepository: repositorySchema,
    /** The stack the deployer role deploys; also the GitHub environment its workflow job runs in. */
    deployStack: z.string().superRefine((value, ctx) => {
        if (WILDCARD.test(value)) ctx.addIssue(`"${value}" ${UNPINNED}`);
        else if (!STACK_NAME.test(value)) ctx.addIssue(`"${value}" is not a stack name (letters, digits, _ . -)`);
    }),
    /** The account's existing GitHub Actions OIDC provider to adopt; unset, the stack creates one. */
    githubOidcProviderArn: z
        .string()
        .regex(
            /^arn:aws[a-z-]*:iam::\d{12}:oidc-provider\/token\.actions\.githubusercontent\.com$/,
            "must be the ARN of this account's token.actions.githubusercontent.com OIDC provider",
        )
        .optional(),
});

/** The validated bootstrap stack config. */
export type BootstrapConfig = z.infer<typeof bootstrapConfigSchema>;

/** How each bootstrap key is read from Pulumi config, and whether it may be absent. */
export const BOOTSTRAP_CONFIG_KEYS = {
    stackKind: { kind: "string", required: true },
    accountId: { kind: "string", required: true },
    githubRepository: { kind: "string", required: true },
    deployStack: { kind: "string", required: true },
    githubOidcProviderArn: { kind: "string", required: false },
} as const satisfies Record<keyof z.input<typeof bootstrapConfigSchema>, { kind: "string" | "number" | "boolean" | "object"; required: boolean }>;

/** Either the validated bootstrap config or every problem, each as `path: message`. */
export type BootstrapValidationResult = { ok: true; config: BootstrapConfig } | { ok: false; problems: string[] };

/**
 * Validates raw bootstrap stack config; never throws. `deployableStacks` are the stacks the committed deployer
 * permissions cover (components/iam/deployerPermissions.json): a deployer for any other stack would have none.
 */
export function validateBootstrapConfig(raw: unknown, deployableStacks: readonly string[]): BootstrapValidationResult {
    const schema = bootstrapConfigSchema.superRefine((input, ctx) => {
        const c = input as Partial<Record<keyof BootstrapConfig, unknown>>;
        if (typeof c.deployStack === "string" && STACK_NAME.test(c.deployStack) && !deployableStacks.includes(c.deployStack)) {
            problemAt(
                ctx,
                ["deployStack"],
                `no derived deployer permissions for stack "${c.deployStack}"${suggestion(c.deployStack, deployableStacks)}; known: ` +
                    `${deployableStacks.join(", ")} (a new stack: add it to tools/deployerPermissions.ts and run npm run derive:deployer)`,
            );
        }
        const providerAccount = typeof c.githubOidcProviderArn === "string" ? /:iam::(\d{12}):/.exec(c.githubOidcProviderArn)?.[1] : undefined;
        if (providerAccount !== undefined && typeof c.accountId === "string" && providerAccount !== c.accountId) {
            problemAt(ctx, ["githubOidcProviderArn"], `is in account ${providerAccount}, not in accountId ${c.accountId}`);
        }
    }, EVEN_AFTER_ERRORS);
    const result = validateWith(schema, raw);
    if (!result.ok) {
        // "is required" alone would not say why the repository matters.
        const problems = result.problems.map((p) => (p === "githubRepository: is required" ? `${p}: the one GitHub repository (owner/name) whose workflows may assume the roles` : p));
        return { ok: false, problems };
    }
    return { ok: true, config: result.value };
}
