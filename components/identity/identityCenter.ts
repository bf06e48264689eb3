import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ACCESS_NAMES, AccessName, PlatformResources, grantsForAccess, policyDocument } from "../iam";

/** One environment: an AWS account whose workload stack exported what people may be given access to. */
export interface IdentityEnvironment {
    /** Short name, e.g. `dev`; it ends the names of the permission sets assigned there. */
    name: string;
    /** The account the environment's permission sets are assigned in. */
    accountId: string;
    /** The environment's resources, from its workload stack's outputs (never hand-written ARNs). */
    resources: PlatformResources;
    /** The people boundary the workload stack created in that account, referenced by name and path. */
    boundary: { name: string; path: string };
}

/** A group's session length and named access in one environment. */
export interface IdentityGroupAccess {
    /** Session duration, ISO-8601 (PT1H..PT12H). */
    sessionDuration: string;
    /** Named access from components/iam/access.ts. */
    access: readonly string[];
}

/** One group as the org stack config defines it. */
export interface IdentityGroup {
    /** Display name in the identity store; first part of its permission sets' names. */
    name: string;
    /** What the group is for. */
    description: string;
    /** Per environment name, what the group may do there; an environment left out gives it nothing there. */
    environments: Readonly<Record<string, IdentityGroupAccess>>;
}

/** One user as the org stack config defines it. */
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
    /** Region of the organization's Identity Center instance; every resource here is created there. */
    region: string;
    /** The environments (accounts) people are given access to. */
    environments: readonly IdentityEnvironment[];
    /** The groups, each becoming an identity store group and one permission set per environment it lists. */
    groups: readonly IdentityGroup[];
    /** The users and their group memberships. */
    users: readonly IdentityUser[];
    /** Identity Center instance ARN; looked up with `ssoadmin.getInstances` when absent (with identityStoreId). */
    instanceArn?: pulumi.Input<string>;
    /** Identity store id; looked up when absent (with instanceArn). */
    identityStoreId?: pulumi.Input<string>;
}

/** Permission set names are at most 32 characters of `[\w+=,.@-]`. */
const PERMISSION_SET_NAME = /^[\w+=,.@-]{1,32}$/;

/**
 * The organization's people in IAM Identity Center: groups, users and memberships, and per group and environment
 * one permission set (`<group>-<environment>`) whose inline policy is built from grant helpers on that
 * environment's real ARNs, bounded by the people boundary its workload stack created in that account (referenced by
 * name and path), and assigned to the group in that account only. Belongs in the org stack, deployed with
 * credentials for the Identity Center administrator account: account instances cannot assign AWS accounts.
 */
export class IdentityCenter extends pulumi.ComponentResource {
    /** Identity store group id per group name. */
    public readonly groupIds: Record<string, pulumi.Output<string>> = {};
    /** Identity store user id per user name. */
    public readonly userIds: Record<string, pulumi.Output<string>> = {};
    /** Permission set ARN per environment name, then group name. */
    public readonly permissionSetArns: Record<string, Record<string, pulumi.Output<string>>> = {};

    constructor(name: string, args: IdentityCenterArgs, opts?: pulumi.ComponentResourceOptions) {
        super("swiftsupport:identity:IdentityCenter", name, {}, opts);
        const problems = validate(args);
        if (problems.length > 0) throw new pulumi.ResourceError(problems.join("; "), this);

        const region = args.region;
        const instance =
            args.instanceArn !== undefined && args.identityStoreId !== undefined
                ? { arn: pulumi.output(args.instanceArn), identityStoreId: pulumi.output(args.identityStoreId) }
                : lookupInstance(this, region);

        const groups = new Map<string, aws.identitystore.Group>();
        for (const g of args.groups) {
            const group = new aws.identitystore.Group(
                `${name}-group-${g.name}`,
                { identityStoreId: instance.identityStoreId, displayName: g.name, description: g.description, region },
                { parent: this },
            );
            groups.set(g.name, group);
            this.groupIds[g.name] = group.groupId;
        }

        for (const env of args.environments) {
            this.permissionSetArns[env.name] = {};
            for (const g of args.groups) {
                const access = g.environments[env.name];
                if (access === undefined) continue;
                const setName = `${g.name}-${env.name}`;
                const permissionSet = new aws.ssoadmin.PermissionSet(
                    `${name}-ps-${setName}`,
                    {
                        name: setName,
                        description: `${g.description} (${env.name}, account ${env.accountId})`.slice(0, 700),
                        instanceArn: instance.arn,
                        sessionDuration: access.sessionDuration,
                        region,
                    },
                    { parent: this },
                );
                this.permissionSetArns[env.name][g.name] = permissionSet.arn;
                const inline = new aws.ssoadmin.PermissionSetInlinePolicy(
                    `${name}-ps-${setName}-policy`,
                    {
                        instanceArn: instance.arn,
                        permissionSetArn: permissionSet.arn,
                        inlinePolicy: policyDocument(grantsForAccess(access.access as AccessName[], env.resources)),
                        region,
                    },
                    { parent: this },
                );
                // Identity Center resolves the boundary by name and path in the account the set is provisioned to;
                // the environment's workload stack created it there (deploy the workload stacks first).
                const boundary = new aws.ssoadmin.PermissionsBoundaryAttachment(
                    `${name}-ps-${setName}-boundary`,
                    {
                        instanceArn: instance.arn,
                        permissionSetArn: permissionSet.arn,
                        permissionsBoundary: { customerManagedPolicyReference: { name: env.boundary.name, path: env.boundary.path } },
                        region,
                    },
                    { parent: this },
                );
                // Assign only once the set is complete, so nobody ever holds it without its boundary.
                new aws.ssoadmin.AccountAssignment(
                    `${name}-ps-${setName}-assignment`,
                    {
                        instanceArn: instance.arn,
                        permissionSetArn: permissionSet.arn,
                        principalId: groups.get(g.name)!.groupId,
                        principalType: "GROUP",
                        targetId: env.accountId,
                        targetType: "AWS_ACCOUNT",
                        region,
                    },
                    { parent: this, dependsOn: [inline, boundary] },
                );
            }
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
                    region,
                },
                { parent: this },
            );
            this.userIds[u.userName] = user.userId;
            for (const groupName of u.groups) {
                new aws.identitystore.GroupMembership(
                    `${name}-member-${u.userName}-${groupName}`,
                    { identityStoreId: instance.identityStoreId, groupId: groups.get(groupName)!.groupId, memberId: user.userId, region },
                    { parent: this },
                );
            }
        }

        this.registerOutputs({ groupIds: this.groupIds, userIds: this.userIds, permissionSetArns: this.permissionSetArns });
    }
}

/** The organization's Identity Center instance, when config does not name one. */
function lookupInstance(parent: pulumi.Resource, region: string) {
    const found = aws.ssoadmin.getInstancesOutput({ region }, { parent });
    const first = (values: string[], what: string) => {
        if (values.length === 0) {
            throw new pulumi.ResourceError(`no Identity Center instance found in ${region} (${what})`, parent);
        }
        return values[0];
    };
    return {
        arn: found.arns.apply((a) => first(a, "arns")),
        identityStoreId: found.identityStoreIds.apply((a) => first(a, "identityStoreIds")),
    };
}

/** Component-level checks, so the component is safe to use without config/orgSchema.ts too. */
function validate(args: IdentityCenterArgs): string[] {
    const problems: string[] = [];
    if (args.groups.length === 0) problems.push("at least one group is required");
    if (args.environments.length === 0) problems.push("at least one environment is required");
    if ((args.instanceArn === undefined) !== (args.identityStoreId === undefined)) {
        problems.push("give both instanceArn and identityStoreId, or neither to look them up");
    }
    const envs = new Set<string>();
    const accounts = new Set<string>();
    for (const e of args.environments) {
        if (envs.has(e.name)) problems.push(`environment "${e.name}" is defined twice`);
        if (accounts.has(e.accountId)) problems.push(`account ${e.accountId} is given to two environments`);
        if (!/^\d{12}$/.test(e.accountId)) problems.push(`environment "${e.name}": "${e.accountId}" is not an account id`);
        envs.add(e.name);
        accounts.add(e.accountId);
    }
    const names = new Set<string>();
    for (const g of args.groups) {
        if (names.has(g.name)) problems.push(`group "${g.name}" is defined twice`);
        names.add(g.name);
        for (const [env, access] of Object.entries(g.environments)) {
            if (!envs.has(env)) problems.push(`group "${g.name}": unknown environment "${env}"`);
            if (!PERMISSION_SET_NAME.test(`${g.name}-${env}`)) {
                problems.push(`group "${g.name}" in ${env}: "${g.name}-${env}" is not a valid permission set name (1-32 of [\\w+=,.@-])`);
            }
            if (access.access.length === 0) problems.push(`group "${g.name}" has no access in ${env}`);
            for (const a of access.access) {
                if (!(ACCESS_NAMES as readonly string[]).includes(a)) problems.push(`group "${g.name}" in ${env}: unknown access "${a}"`);
            }
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
