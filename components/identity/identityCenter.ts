import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ACCESS_NAMES, actionsOf, AccessName, grantsForAccess, PlatformResources, policyDocument } from "../iam";
import { PermissionsBoundary } from "../iam/permissionsBoundary";

/** One group as stack config defines it. */
export interface IdentityGroup {
    /** Display name in the identity store and name of the group's permission set. */
    name: string;
    /** What the group is for. */
    description: string;
    /** Session duration, ISO-8601 (PT1H..PT12H). */
    sessionDuration: string;
    /** Named access from components/iam/access.ts. */
    access: readonly string[];
}

/** One user as stack config defines it. */
export interface IdentityUser {
    /** Unique user name. */
    userName: string;
    /** Name shown in the access portal. */
    displayName: string;
    /** Given name. */
    givenName: string;
    /** Family name. */
    familyName: string;
    /** Work email. */
    email: string;
    /** Names of the groups the user belongs to. */
    groups: readonly string[];
}

export interface IdentityCenterArgs {
    /** The groups, each becoming an identity store group, a permission set and an account assignment. */
    groups: readonly IdentityGroup[];
    /** The users and their group memberships. */
    users: readonly IdentityUser[];
    /**
     * Account the permission sets are assigned in: the account this stack deploys into, since the boundary policy
     * the sets reference by name is created here (checked against the caller identity).
     */
    accountId: pulumi.Input<string>;
    /** Identity Center instance ARN; looked up with `ssoadmin.getInstances` when absent (with identityStoreId). */
    instanceArn?: pulumi.Input<string>;
    /** Identity store id; looked up when absent (with instanceArn). */
    identityStoreId?: pulumi.Input<string>;
    /** The platform's resources (outputs of the other components) that access names grant on. */
    resources: PlatformResources;
}

/** Permission set names are at most 32 characters of `[\w+=,.@-]`. */
const PERMISSION_SET_NAME = /^[\w+=,.@-]{1,32}$/;

/**
 * IAM Identity Center for the platform's people: groups, users and memberships from stack config, one permission
 * set per group whose inline policy is built from grant helpers on the platform's real ARNs, the people permissions
 * boundary attached to every permission set, and an account assignment per group.
 */
export class IdentityCenter extends pulumi.ComponentResource {
    /** Identity store group id per group name. */
    public readonly groupIds: Record<string, pulumi.Output<string>> = {};
    /** Identity store user id per user name. */
    public readonly userIds: Record<string, pulumi.Output<string>> = {};
    /** Permission set ARN per group name. */
    public readonly permissionSetArns: Record<string, pulumi.Output<string>> = {};
    /** The permissions boundary every permission set carries. */
    public readonly boundary: PermissionsBoundary;

    constructor(name: string, args: IdentityCenterArgs, opts?: pulumi.ComponentResourceOptions) {
        super("swiftsupport:identity:IdentityCenter", name, {}, opts);
        const problems = validate(args);
        if (problems.length > 0) throw new pulumi.ResourceError(problems.join("; "), this);

        const instance =
            args.instanceArn !== undefined && args.identityStoreId !== undefined
                ? { arn: pulumi.output(args.instanceArn), identityStoreId: pulumi.output(args.identityStoreId) }
                : lookupInstance(this);

        const grantsByGroup = new Map(
            args.groups.map((g) => [g.name, grantsForAccess(g.access as AccessName[], args.resources)] as const),
        );
        // The boundary allows the union of what the groups are given and nothing more.
        this.boundary = new PermissionsBoundary(
            `${name}-people`,
            { audience: "people", actions: actionsOf([...grantsByGroup.values()].flat()) },
            { parent: this },
        );

        // Identity Center resolves the boundary by name in the target account; it only exists in this one.
        const targetAccount = pulumi
            .all([args.accountId, aws.getCallerIdentityOutput({}, { parent: this }).accountId])
            .apply(([target, deploying]) => {
                if (target !== deploying) {
                    throw new pulumi.ResourceError(
                        `accountId ${target} is not the account this stack deploys into (${deploying}): the permission ` +
                            "sets' boundary policy exists only there; deploy with credentials for that account or fix accountId",
                        this,
                    );
                }
                return target;
            });

        const groups = new Map<string, aws.identitystore.Group>();
        for (const g of args.groups) {
            const group = new aws.identitystore.Group(
                `${name}-group-${g.name}`,
                { identityStoreId: instance.identityStoreId, displayName: g.name, description: g.description },
                { parent: this },
            );
            groups.set(g.name, group);
            this.groupIds[g.name] = group.groupId;

            const permissionSet = new aws.ssoadmin.PermissionSet(
                `${name}-ps-${g.name}`,
                {
                    name: g.name,
                    description: g.description,
                    instanceArn: instance.arn,
                    sessionDuration: g.sessionDuration,
                },
                { parent: this },
            );
            this.permissionSetArns[g.name] = permissionSet.arn;
            const inline = new aws.ssoadmin.PermissionSetInlinePolicy(
                `${name}-ps-${g.name}-policy`,
                {
                    instanceArn: instance.arn,
                    permissionSetArn: permissionSet.arn,
                    inlinePolicy: policyDocument(grantsByGroup.get(g.name)!),
                },
                { parent: this },
            );
            const boundary = new aws.ssoadmin.PermissionsBoundaryAttachment(
                `${name}-ps-${g.name}-boundary`,
                {
                    instanceArn: instance.arn,
                    permissionSetArn: permissionSet.arn,
                    permissionsBoundary: {
                        customerManagedPolicyReference: { name: this.boundary.policyName, path: this.boundary.path },
                    },
                },
                // The referenced policy must exist in the account before Identity Center provisions the set.
                { parent: this, dependsOn: [this.boundary] },
            );
            // Assign only once the set is complete, so nobody ever holds it without its boundary.
            new aws.ssoadmin.AccountAssignment(
                `${name}-ps-${g.name}-assignment`,
                {
                    instanceArn: instance.arn,
                    permissionSetArn: permissionSet.arn,
                    principalId: group.groupId,
                    principalType: "GROUP",
                    targetId: targetAccount,
                    targetType: "AWS_ACCOUNT",
                },
                { parent: this, dependsOn: [inline, boundary] },
            );
        }

        for (const u of args.users) {
            const user = new aws.identitystore.User(
                `${name}-user-${u.userName}`,
                {
                    identityStoreId: instance.identityStoreId,
                    userName: u.userName,
                    displayName: u.displayName,
                    name: { givenName: u.givenName, familyName: u.familyName },
                    emails: { value: u.email, primary: true, type: "work" },
                },
                { parent: this },
            );
            this.userIds[u.userName] = user.userId;
            for (const groupName of u.groups) {
                new aws.identitystore.GroupMembership(
                    `${name}-member-${u.userName}-${groupName}`,
                    { identityStoreId: instance.identityStoreId, groupId: groups.get(groupName)!.groupId, memberId: user.userId },
                    { parent: this },
                );
            }
        }

        this.registerOutputs({
            groupIds: this.groupIds,
            userIds: this.userIds,
            permissionSetArns: this.permissionSetArns,
            boundaryArn: this.boundary.arn,
        });
    }
}

/** The first Identity Center instance of the account, when config does not name one. */
function lookupInstance(parent: pulumi.Resource) {
    const found = aws.ssoadmin.getInstancesOutput({}, { parent });
    const first = (values: string[], what: string) => {
        if (values.length === 0) {
            throw new pulumi.ResourceError(`no Identity Center instance found in this account/region (${what})`, parent);
        }
        return values[0];
    };
    return {
        arn: found.arns.apply((a) => first(a, "arns")),
        identityStoreId: found.identityStoreIds.apply((a) => first(a, "identityStoreIds")),
    };
}

/** Component-level checks, so the component is safe to use without config/schema.ts too. */
function validate(args: IdentityCenterArgs): string[] {
    const problems: string[] = [];
    if (args.groups.length === 0) problems.push("at least one group is required");
    if ((args.instanceArn === undefined) !== (args.identityStoreId === undefined)) {
        problems.push("give both instanceArn and identityStoreId, or neither to look them up");
    }
    const names = new Set<string>();
    for (const g of args.groups) {
        if (!PERMISSION_SET_NAME.test(g.name)) problems.push(`group "${g.name}": not a valid permission set name (1-32 of [\\w+=,.@-])`);
        if (names.has(g.name)) problems.push(`group "${g.name}" is defined twice`);
        names.add(g.name);
        if (g.access.length === 0) problems.push(`group "${g.name}" has no access`);
        for (const a of g.access) {
            if (!(ACCESS_NAMES as readonly string[]).includes(a)) problems.push(`group "${g.name}": unknown access "${a}"`);
        }
    }
    const users = new Set<string>();
    for (const u of args.users) {
        if (users.has(u.userName)) problems.push(`user "${u.userName}" is defined twice`);
        users.add(u.userName);
        for (const g of u.groups) if (!names.has(g)) problems.push(`user "${u.userName}": unknown group "${g}"`);
    }
    return problems;
}
