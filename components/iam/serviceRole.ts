import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Grant, policyDocument } from "./grant";
import { ServiceTrust, serviceTrustPolicy } from "./trust";

export interface ServiceRoleArgs {
    /** The one service that may assume the role, in its documented form, e.g. `lambdaExecutionTrust` from ./trust. */
    trust: ServiceTrust;
    /** Managed policy ARN used as the permissions boundary; required. */
    permissionsBoundary: pulumi.Input<string>;
    /** Everything the role may do, as grants from components/iam; at least one. */
    grants: Grant[];
    /** What the role is for, shown in IAM. */
    description: string;
}

/**
 * The one way the program makes an IAM role: trusted by one service in the form its documentation gives, bounded by the
 * stack's boundary, one inline policy built from grants, and nothing else: `RolePoliciesExclusive` and
 * `RolePolicyAttachmentsExclusive` remove any policy added out of band on the next update.
 */
export class ServiceRole extends pulumi.ComponentResource {
    /** The role. */
    public readonly role: aws.iam.Role;
    /** Its one inline policy; dependents that need the permissions in place wait for it. */
    public readonly policy: aws.iam.RolePolicy;
    /** Role ARN. */
    public readonly arn: pulumi.Output<string>;
    /** Role name. */
    public readonly roleName: pulumi.Output<string>;

    constructor(name: string, args: ServiceRoleArgs, opts?: pulumi.ComponentResourceOptions) {
        super("swiftsupport:iam:ServiceRole", name, {}, opts);
        if (args.grants.length === 0) throw new pulumi.ResourceError(`role ${name} needs at least one grant`, this);
        if (args.permissionsBoundary === undefined || args.permissionsBoundary === "") {
            throw new pulumi.ResourceError(`role ${name} needs a permissions boundary`, this);
        }
        // A fixed name (the stack's prefix, like its functions and trail): the deployer role (a bootstrap stack's) may
        // then pass exactly these roles to their services, never "any role under the path".
        const roleName = `swiftsupport-${pulumi.getStack()}-${name}`;
        if (roleName.length > 64) throw new pulumi.ResourceError(`role name "${roleName}" is over IAM's 64 characters: shorten the stack or role name`, this);
        this.role = new aws.iam.Role(
            name,
            {
                name: roleName,
                path: "/swiftsupport/",
                description: args.description,
                assumeRolePolicy: serviceTrustPolicy(args.trust),
                permissionsBoundary: args.permissionsBoundary,
            },
            { parent: this },
        );
        this.policy = new aws.iam.RolePolicy(
            `${name}-policy`,
            { role: this.role.name, name: "least-privilege", policy: policyDocument(args.grants) },
            { parent: this },
        );
        new aws.iam.RolePoliciesExclusive(
            `${name}-inline-policies`,
            { roleName: this.role.name, policyNames: [this.policy.name] },
            { parent: this },
        );
        new aws.iam.RolePolicyAttachmentsExclusive(
            `${name}-managed-policies`,
            { roleName: this.role.name, policyArns: [] },
            { parent: this },
        );
        this.arn = this.role.arn;
        this.roleName = this.role.name;
        this.registerOutputs({ arn: this.arn, roleName: this.roleName });
    }
}
