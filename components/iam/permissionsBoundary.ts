import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { boundaryDocument } from "./boundaries";

export interface PermissionsBoundaryArgs {
    /** Who this boundary caps, used in the policy name and description (e.g. "workloads", "people"). */
    audience: string;
    /** Every action the bounded principals may ever need (`workloadActions()` or `peopleActions()`). */
    actions: readonly string[];
    /** IAM path for the policy; permission sets reference the boundary by name and path. */
    path?: string;
    /**
     * Fixed policy name, for a boundary referenced by name from another stack (the people boundary, `PEOPLE_BOUNDARY`);
     * default `swiftsupport-<stack>-<audience>-boundary`.
     */
    policyName?: string;
}

/**
 * Tag marking a managed policy as a permissions boundary: the policy pack's contract (policypack/README.md,
 * `BOUNDARY_TAG` in policypack/lib/principalGraph.ts) for a boundary whose users live in another stack (the org
 * stack's permission sets), where the pack cannot see the reference.
 */
export const BOUNDARY_TAG = { key: "policy-pack:permissions-boundary", value: "true" } as const;

/**
 * One member of the stack's boundary family: a customer-managed policy allowing at most the platform's actions and
 * denying changes to boundaries, managed policies, CloudTrail, and IAM user or key creation.
 */
export class PermissionsBoundary extends pulumi.ComponentResource {
    /** The managed policy. */
    public readonly policy: aws.iam.Policy;
    /** Its ARN, for `permissionsBoundary` on roles. */
    public readonly arn: pulumi.Output<string>;
    /** Its name, for Identity Center's customer-managed policy reference. */
    public readonly policyName: pulumi.Output<string>;
    /** Its path, for Identity Center's customer-managed policy reference. */
    public readonly path: string;

    constructor(name: string, args: PermissionsBoundaryArgs, opts?: pulumi.ComponentResourceOptions) {
        super("swiftsupport:iam:PermissionsBoundary", name, {}, opts);
        if (!/^[a-z][a-z0-9-]*$/.test(args.audience)) {
            throw new pulumi.ResourceError(`audience "${args.audience}" must be lower-case letters, digits, -`, this);
        }
        if (args.actions.length === 0) {
            throw new pulumi.ResourceError("a permissions boundary must allow at least one action", this);
        }
        this.path = args.path ?? "/swiftsupport/";
        if (!/^\/([\w+=,.@-]+\/)*$/.test(this.path)) {
            throw new pulumi.ResourceError(`path "${this.path}" must start and end with "/"`, this);
        }
        // A name known before deployment: Identity Center attaches customer-managed policies by name, not ARN.
        const policyName = args.policyName ?? `swiftsupport-${pulumi.getStack()}-${args.audience}-boundary`;
        if (!/^[\w+=,.@-]{1,128}$/.test(policyName)) {
            throw new pulumi.ResourceError(`policyName "${policyName}" is not an IAM policy name (1-128 of [\\w+=,.@-])`, this);
        }
        this.policy = new aws.iam.Policy(
            name,
            {
                name: policyName,
                path: this.path,
                description: `Permissions boundary for SwiftSupport ${args.audience} (${pulumi.getStack()})`,
                policy: boundaryDocument(args.actions),
                tags: { [BOUNDARY_TAG.key]: BOUNDARY_TAG.value },
            },
            { parent: this },
        );
        this.arn = this.policy.arn;
        this.policyName = this.policy.name;
        this.registerOutputs({ arn: this.arn, policyName: this.policyName, path: this.path });
    }
}
