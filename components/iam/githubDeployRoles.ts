import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { deployerBoundaryDocument, deployerPolicies, Placement, previewPolicies } from "./deployerGrants";
import { Grant, policyDocument } from "./grant";
import { BOUNDARY_TAG } from "./permissionsBoundary";
import { GITHUB_OIDC, githubOidcTrustPolicy } from "./trust";

/** IAM's default quota of managed policies attached to one role. */
export const ROLE_MANAGED_POLICIES_MAX = 10;
/** Where the roles and policies live, as every role of the program does; their names keep them apart. */
const PATH = "/swiftsupport/";

export interface GithubDeployRolesArgs {
    /** The one GitHub repository whose workflows may assume the roles, `owner/name`. */
    repository: string;
    /** The stack the deployer deploys; its GitHub environment is named after it, the preview's `<stack>-preview`. */
    deployStack: string;
    /** The account the roles are created in, the deployed stack's. */
    accountId: string;
    /** The account's GitHub Actions OIDC provider to use instead of creating one (IAM allows one per URL). */
    existingOidcProviderArn?: string;
    /** Longest deployer session, seconds (a CloudFront distribution can take most of an hour to deploy). */
    deployerSessionSeconds?: number;
    /** Longest preview session, seconds. */
    previewSessionSeconds?: number;
}

/**
 * What a bootstrap stack creates once per account (like `cdk bootstrap`): GitHub Actions' OIDC provider (or the
 * account's existing one), a deployer role for `deployStack` and a read-only preview role, each trusted only by
 * jobs of this repository's matching GitHub environment, bounded by a boundary they cannot change, with the
 * derived permissions (components/iam/deployerPermissions.json) as managed policies of at most IAM's size.
 */
export class GithubDeployRoles extends pulumi.ComponentResource {
    /** The OIDC provider's ARN (created or adopted). */
    public readonly oidcProviderArn: pulumi.Output<string>;
    /** The role `pulumi up` runs as, in environment `<stack>`. */
    public readonly deployer: aws.iam.Role;
    /** The read-only role `pulumi preview` runs as, in environment `<stack>-preview`. */
    public readonly preview: aws.iam.Role;
    /** The boundary both roles carry. */
    public readonly boundary: aws.iam.Policy;

    constructor(name: string, args: GithubDeployRolesArgs, opts?: pulumi.ComponentResourceOptions) {
        super("swiftsupport:iam:GithubDeployRoles", name, {}, opts);
        if (!/^[^/*?]+\/[^/*?]+$/.test(args.repository)) {
            throw new pulumi.ResourceError(`repository "${args.repository}" must be exactly one owner/name, without wildcards`, this);
        }
        if (!/^[A-Za-z0-9_.-]+$/.test(args.deployStack)) {
            throw new pulumi.ResourceError(`deployStack "${args.deployStack}" must be a stack name, without wildcards`, this);
        }
        const partition = aws.getPartitionOutput({}, { parent: this }).partition;
        const where: Placement = { partition, account: args.accountId };
        const arn = (kind: string, nameWithPath: string) => pulumi.interpolate`arn:${partition}:iam::${args.accountId}:${kind}${nameWithPath}`;
        const names = {
            // Outside the workload roles' `swiftsupport-<stack>-` names, so no grant of theirs can name these.
            deployer: `swiftsupport-deploy-${args.deployStack}`,
            preview: `swiftsupport-preview-${args.deployStack}`,
            boundary: `swiftsupport-deploy-${args.deployStack}-boundary`,
        };

        // Thumbprints are left out: "CreateOpenIDConnectProvider" (IAM API Reference) says AWS verifies the JWKS
        // endpoint's certificate against its library of trusted root CAs, and @pulumi/aws v7's thumbprintLists is
        // optional and documented as unused for GitHub.
        this.oidcProviderArn = args.existingOidcProviderArn
            ? pulumi.output(args.existingOidcProviderArn)
            : new aws.iam.OpenIdConnectProvider("github", { url: GITHUB_OIDC.url, clientIdLists: [GITHUB_OIDC.audience] }, { parent: this }).arn;

        // Names and path are fixed, so every ARN the boundary protects is known before anything exists (no cycle).
        const protectedArns = [
            arn("role", `${PATH}${names.deployer}`),
            arn("role", `${PATH}${names.preview}`),
            arn("policy", `${PATH}${names.boundary}`),
            arn("policy", `${PATH}${names.deployer}-*`),
            arn("policy", `${PATH}${names.preview}-*`),
            arn("oidc-provider", `/${GITHUB_OIDC.host}`),
        ];
        this.boundary = new aws.iam.Policy(
            `${name}-boundary`,
            {
                name: names.boundary,
                path: PATH,
                description: `Permissions boundary of the GitHub Actions deploy roles for stack ${args.deployStack}`,
                policy: deployerBoundaryDocument(args.deployStack, where, protectedArns),
                tags: { [BOUNDARY_TAG.key]: BOUNDARY_TAG.value },
            },
            { parent: this },
        );

        const role = (kind: "deployer" | "preview", environment: string, chunks: Grant[][], sessionSeconds: number, description: string) => {
            const r = new aws.iam.Role(
                `${name}-${kind}`,
                {
                    name: names[kind],
                    path: PATH,
                    description,
                    assumeRolePolicy: githubOidcTrustPolicy(this.oidcProviderArn, args.repository, environment),
                    permissionsBoundary: this.boundary.arn,
                    maxSessionDuration: sessionSeconds,
                },
                { parent: this },
            );
            if (chunks.length > ROLE_MANAGED_POLICIES_MAX) {
                throw new pulumi.ResourceError(`the ${kind} of ${args.deployStack} needs ${chunks.length} managed policies; IAM attaches at most ${ROLE_MANAGED_POLICIES_MAX} to a role by default`, this);
            }
            const policies = chunks.map((chunk, i) =>
                new aws.iam.Policy(
                    `${name}-${kind}-${i + 1}`,
                    { name: `${names[kind]}-${i + 1}`, path: PATH, description: `${description} (${i + 1}/${chunks.length})`, policy: policyDocument(chunk) },
                    { parent: this },
                ),
            );
            // Exactly these policies and no inline one: anything added out of band goes on the next update.
            new aws.iam.RolePolicyAttachmentsExclusive(`${name}-${kind}-policies`, { roleName: r.name, policyArns: policies.map((p) => p.arn) }, { parent: this });
            new aws.iam.RolePoliciesExclusive(`${name}-${kind}-inline-policies`, { roleName: r.name, policyNames: [] }, { parent: this });
            return r;
        };
        this.deployer = role("deployer", args.deployStack, deployerPolicies(args.deployStack, where), args.deployerSessionSeconds ?? 7200,
            `pulumi up of stack ${args.deployStack} from GitHub Actions (environment ${args.deployStack})`);
        this.preview = role("preview", `${args.deployStack}-preview`, previewPolicies(args.deployStack, where), args.previewSessionSeconds ?? 3600,
            `Read-only pulumi preview of stack ${args.deployStack} from GitHub Actions pull requests (environment ${args.deployStack}-preview)`);
        this.registerOutputs({ oidcProviderArn: this.oidcProviderArn, deployerRoleArn: this.deployer.arn, previewRoleArn: this.preview.arn });
    }
}
