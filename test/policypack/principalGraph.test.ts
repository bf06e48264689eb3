// Which documents reach which role, user, group and permission set, and from where (the labels the pack's messages
// quote): one reproduction per way a program attaches a policy, what the graph does with references not known during
// preview (follows the engine's dependencies, else reports the reference), and which policies serve as boundaries.

import * as assert from "assert";
import type { RunnerResource } from "../../tools/lib/packRunner";
import { arnOf, stackPolicy, summarise } from "./graphSupport";
import { ACCOUNT, UNKNOWN, allow, json, resource, role, urnOf, violationsOf } from "./support";

const T = {
    user: "aws:iam/user:User",
    group: "aws:iam/group:Group",
    permissionSet: "aws:ssoadmin/permissionSet:PermissionSet",
};
const MANAGED = (name: string) => `arn:aws:iam::aws:policy/${name}`;
const PS_ARN = "arn:aws:sso:::permissionSet/ssoins-1234567890abcdef/ps-0123456789abcdef";
const user = (name: string, props: Record<string, unknown> = {}, extra: Partial<RunnerResource> = {}) =>
    resource(T.user, name, { name, arn: `arn:aws:iam::${ACCOUNT}:user/${name}`, ...props }, extra);
const group = (name: string) => resource(T.group, name, { name, arn: `arn:aws:iam::${ACCOUNT}:group/${name}` });
const permissionSet = (name: string, arn = PS_ARN) => resource(T.permissionSet, name, { name, arn, instanceArn: "arn:aws:sso:::instance/ssoins-1234567890abcdef" });
/** A resource the principal's name is computed from (e.g. a random suffix): not a principal, not a policy. */
const suffix = resource("random:index/randomString:RandomString", "suffix", { result: UNKNOWN });
const readS3 = json(allow("s3:GetObject"));

const graph = summarise;

describe("principal graph: what reaches a role", () => {
    it("its readable inline policies and managedPolicyArns (a stack policy by ARN, AWS managed ones the dataset knows), never its trust policy", async () => {
        const g = await graph([
            role("app", {
                inlinePolicies: [{ name: "read", policy: readS3 }, { name: "broken", policy: "{not json" }],
                managedPolicyArns: [arnOf("write"), MANAGED("ReadOnlyAccess"), MANAGED("NoSuchPolicyInTheDataset"), arnOf("unreadable"), arnOf("pending")],
            }),
            stackPolicy("write", json(allow("s3:PutObject"))),
            stackPolicy("unreadable", "{not json"),
            // Its document is not known during preview (the pack's document policies report that).
            stackPolicy("pending", UNKNOWN),
            stackPolicy("unused", readS3),
        ]);
        assert.deepStrictEqual(g.principals, { "role 'app'": ["Role 'app' inlinePolicies[0].policy", "Policy 'write' policy", "AWS managed policy ReadOnlyAccess"] });
        assert.deepStrictEqual(g.attachedAsGrant, ["write", "unreadable", "pending"]);
        assert.deepStrictEqual(g.awsManaged, ["Role 'app' attaches ReadOnlyAccess"]);
        assert.deepStrictEqual(g.unresolved, []);
    });

    it("managedPolicyArns not known during preview: followed through the engine's dependencies on stack policies, once each; else reported", async () => {
        const write = stackPolicy("write", json(allow("s3:PutObject")));
        const g = await graph([
            write, suffix,
            role("listed", { managedPolicyArns: [UNKNOWN] }, { propertyDependencies: { managedPolicyArns: [write.urn] } }),
            role("whole", { managedPolicyArns: UNKNOWN }, { propertyDependencies: { managedPolicyArns: [write.urn] } }),
            role("known", { managedPolicyArns: [arnOf("write")] }, { propertyDependencies: { managedPolicyArns: [write.urn] } }),
            role("nodeps", { managedPolicyArns: [UNKNOWN] }),
            role("notapolicy", { managedPolicyArns: [UNKNOWN, MANAGED("ReadOnlyAccess")] }, { propertyDependencies: { managedPolicyArns: [suffix.urn] } }),
        ]);
        assert.deepStrictEqual(g.principals, {
            "role 'listed'": ["Policy 'write' policy"],
            "role 'whole'": ["Policy 'write' policy"],
            "role 'known'": ["Policy 'write' policy"],
            "role 'nodeps'": [],
            "role 'notapolicy'": [],
        });
        assert.deepStrictEqual(g.unresolved, ["Role 'nodeps' managedPolicyArns", "Role 'notapolicy' managedPolicyArns"]);
        assert.deepStrictEqual(g.attachedAsGrant, ["write"]);
    });

    it("RolePolicy, RolePolicyAttachment and RolePolicyAttachmentsExclusive, by role name, ARN or dependency", async () => {
        const app = role("app");
        const g = await graph([
            app, role("other"), suffix,
            stackPolicy("write", json(allow("s3:PutObject"))),
            stackPolicy("tag", json(allow("s3:PutObjectTagging"))),
            resource("aws:iam/rolePolicy:RolePolicy", "inline", { role: "app-abc123", policy: readS3 }),
            resource("aws:iam/rolePolicy:RolePolicy", "broken", { role: "app-abc123", policy: "{not json" }),
            resource("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "byarn", { role: app.props.arn, policyArn: arnOf("write") }),
            resource("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "bydep", { role: UNKNOWN, policyArn: MANAGED("ReadOnlyAccess") },
                { propertyDependencies: { role: [suffix.urn, app.urn] } }),
            resource("aws:iam/rolePolicyAttachmentsExclusive:RolePolicyAttachmentsExclusive", "excl", { roleName: "app-abc123", policyArns: [arnOf("tag"), MANAGED("ReadOnlyAccess")] }),
            // A role outside the stack: nothing to attach to, and nothing unknown.
            resource("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "elsewhere", { role: "legacy-role", policyArn: arnOf("write") }),
        ]);
        assert.deepStrictEqual(g.principals, {
            "role 'app'": ["RolePolicy 'inline' policy", "Policy 'write' policy", "AWS managed policy ReadOnlyAccess", "Policy 'tag' policy", "AWS managed policy ReadOnlyAccess"],
            "role 'other'": [],
        });
        assert.deepStrictEqual(g.unresolved, []);
        assert.deepStrictEqual(g.awsManaged, ["RolePolicyAttachment 'bydep' attaches ReadOnlyAccess", "RolePolicyAttachmentsExclusive 'excl' attaches ReadOnlyAccess"]);
    });

    it("reports each attachment whose principal or policy is not known during preview, naming the property", async () => {
        const app = role("app");
        const g = await graph([
            app, suffix, stackPolicy("write", readS3),
            resource("aws:iam/rolePolicy:RolePolicy", "inline", { role: UNKNOWN, policy: readS3 }),
            resource("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "arn", { role: "app-abc123", policyArn: UNKNOWN }),
            resource("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "suffixed", { role: UNKNOWN, policyArn: arnOf("write") },
                { propertyDependencies: { role: [suffix.urn] } }),
            resource("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "policydep", { role: "app-abc123", policyArn: UNKNOWN },
                { propertyDependencies: { policyArn: [suffix.urn] } }),
            resource("aws:iam/rolePolicyAttachmentsExclusive:RolePolicyAttachmentsExclusive", "exclrole", { roleName: UNKNOWN, policyArns: [arnOf("write")] }),
            resource("aws:iam/rolePolicyAttachmentsExclusive:RolePolicyAttachmentsExclusive", "exclarns", { roleName: "app-abc123", policyArns: [UNKNOWN] }),
        ]);
        assert.deepStrictEqual(g.unresolved, [
            "RolePolicy 'inline' role",
            "RolePolicyAttachment 'arn' policyArn",
            "RolePolicyAttachment 'suffixed' role",
            "RolePolicyAttachment 'policydep' policyArn",
            "RolePolicyAttachmentsExclusive 'exclrole' roleName",
            "RolePolicyAttachmentsExclusive 'exclarns' policyArns",
        ]);
        assert.deepStrictEqual(g.principals, { "role 'app'": [] });
    });

    it("the escalation policy reports an attachment it cannot follow as an advisory naming the resource and property", async () => {
        const vs = await violationsOf("aws-iam-principal-disallow-privilege-escalation", [
            role("app"),
            resource("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "arn", { role: "app-abc123", policyArn: UNKNOWN }),
        ]);
        assert.deepStrictEqual(vs.map((v) => [v.enforcementLevel, v.message.slice(v.message.indexOf("during preview: "))]), [["advisory",
            "during preview: RolePolicyAttachment 'arn' `policyArn` cannot be verified until the value is known (it is checked in full when known, e.g. on `pulumi up`)"]]);
    });
});

describe("principal graph: users, groups and what members inherit", () => {
    it("UserPolicy, GroupPolicy and their single and exclusive attachments; members get their groups' grants, labelled via the group", async () => {
        const g = await graph([
            user("ana"), user("bo"), user("cy"), group("devs"), group("ops"),
            stackPolicy("write", json(allow("s3:PutObject"))),
            resource("aws:iam/userPolicy:UserPolicy", "ana-inline", { user: "ana", policy: readS3 }),
            resource("aws:iam/userPolicyAttachment:UserPolicyAttachment", "ana-write", { user: "ana", policyArn: arnOf("write") }),
            resource("aws:iam/userPolicyAttachmentsExclusive:UserPolicyAttachmentsExclusive", "bo-excl", { userName: "bo", policyArns: [MANAGED("ReadOnlyAccess")] }),
            resource("aws:iam/groupPolicy:GroupPolicy", "devs-inline", { group: "devs", policy: readS3 }),
            resource("aws:iam/groupPolicyAttachment:GroupPolicyAttachment", "devs-write", { group: "devs", policyArn: arnOf("write") }),
            resource("aws:iam/groupPolicyAttachmentsExclusive:GroupPolicyAttachmentsExclusive", "ops-excl", { groupName: "ops", policyArns: [MANAGED("ReadOnlyAccess")] }),
            resource("aws:iam/groupMembership:GroupMembership", "devs-members", { group: "devs", users: ["ana", "bo"] }),
            resource("aws:iam/userGroupMembership:UserGroupMembership", "cy-groups", { user: "cy", groups: ["devs", "ops"] }),
        ]);
        assert.deepStrictEqual(g.principals, {
            "user 'ana'": ["UserPolicy 'ana-inline' policy", "Policy 'write' policy", "GroupPolicy 'devs-inline' policy (via group 'devs')", "Policy 'write' policy (via group 'devs')"],
            "user 'bo'": ["AWS managed policy ReadOnlyAccess", "GroupPolicy 'devs-inline' policy (via group 'devs')", "Policy 'write' policy (via group 'devs')"],
            "user 'cy'": ["GroupPolicy 'devs-inline' policy (via group 'devs')", "Policy 'write' policy (via group 'devs')", "AWS managed policy ReadOnlyAccess (via group 'ops')"],
            "group 'devs'": ["GroupPolicy 'devs-inline' policy", "Policy 'write' policy"],
            "group 'ops'": ["AWS managed policy ReadOnlyAccess"],
        });
        // The group's attachment reaches cy too, and is still one attachment.
        assert.deepStrictEqual(g.awsManaged, ["UserPolicyAttachmentsExclusive 'bo-excl' attaches ReadOnlyAccess", "GroupPolicyAttachmentsExclusive 'ops-excl' attaches ReadOnlyAccess"]);
        assert.deepStrictEqual(g.unresolved, []);
    });

    it("PolicyAttachment reaches the roles, users and groups it lists; an element not known yet is reported only when nothing else is found", async () => {
        const g = await graph([
            role("app"), user("ana"), group("devs"), user("bo"),
            stackPolicy("write", readS3), stackPolicy("tag", json(allow("s3:PutObjectTagging"))),
            resource("aws:iam/policyAttachment:PolicyAttachment", "all", { policyArn: arnOf("write"), roles: ["app-abc123"], users: ["ana"], groups: ["devs"] }),
            // A stack export's outputs: the lists not given are null.
            resource("aws:iam/policyAttachment:PolicyAttachment", "exported", { policyArn: arnOf("tag"), roles: null, users: ["ana"], groups: null }),
            resource("aws:iam/policyAttachment:PolicyAttachment", "partly", { policyArn: MANAGED("ReadOnlyAccess"), users: [UNKNOWN, "bo"] }),
            resource("aws:iam/policyAttachment:PolicyAttachment", "unknownroles", { policyArn: arnOf("write"), roles: [UNKNOWN] }),
            // Only `roles` is given: its unknown policyArn is reported once, not once per absent list.
            resource("aws:iam/policyAttachment:PolicyAttachment", "unknownarn", { policyArn: UNKNOWN, roles: ["app-abc123"] }),
        ]);
        assert.deepStrictEqual(g.principals, {
            "role 'app'": ["Policy 'write' policy"],
            "user 'ana'": ["Policy 'write' policy", "Policy 'tag' policy"],
            "user 'bo'": ["AWS managed policy ReadOnlyAccess"],
            "group 'devs'": ["Policy 'write' policy"],
        });
        assert.deepStrictEqual(g.unresolved, ["PolicyAttachment 'unknownroles' roles", "PolicyAttachment 'unknownarn' policyArn"]);
        assert.deepStrictEqual(g.attachedAsGrant, ["write", "tag"]);
    });

    it("reports memberships, user and group attachments whose user or group is not known during preview", async () => {
        const g = await graph([
            user("ana"), group("devs"), stackPolicy("write", readS3),
            resource("aws:iam/groupPolicy:GroupPolicy", "devs-inline", { group: "devs", policy: readS3 }),
            resource("aws:iam/userPolicy:UserPolicy", "u-inline", { user: UNKNOWN, policy: readS3 }),
            resource("aws:iam/groupPolicyAttachment:GroupPolicyAttachment", "g-write", { group: UNKNOWN, policyArn: arnOf("write") }),
            resource("aws:iam/userPolicyAttachmentsExclusive:UserPolicyAttachmentsExclusive", "u-excl", { userName: UNKNOWN, policyArns: [arnOf("write")] }),
            resource("aws:iam/groupMembership:GroupMembership", "members", { group: "devs", users: [UNKNOWN] }),
            resource("aws:iam/groupMembership:GroupMembership", "whichgroup", { group: UNKNOWN, users: ["ana"] }),
            resource("aws:iam/userGroupMembership:UserGroupMembership", "groups", { user: "ana", groups: UNKNOWN }),
            resource("aws:iam/userGroupMembership:UserGroupMembership", "whichuser", { user: UNKNOWN, groups: [UNKNOWN] }),
        ]);
        assert.deepStrictEqual(g.unresolved, [
            "UserPolicy 'u-inline' user",
            "GroupPolicyAttachment 'g-write' group",
            "UserPolicyAttachmentsExclusive 'u-excl' userName",
            "GroupMembership 'members' users",
            "GroupMembership 'whichgroup' group",
            "UserGroupMembership 'groups' groups",
            "UserGroupMembership 'whichuser' user",
            "UserGroupMembership 'whichuser' groups",
        ]);
        assert.deepStrictEqual(g.principals, { "user 'ana'": [], "group 'devs'": ["GroupPolicy 'devs-inline' policy"] });
    });
});

describe("principal graph: permission sets", () => {
    it("inline, AWS managed and customer managed (by name) policies reach the set they name by ARN", async () => {
        const ps = permissionSet("admins");
        const write = stackPolicy("write", json(allow("s3:PutObject")));
        const g = await graph([
            ps, write, stackPolicy("tag", json(allow("s3:PutObjectTagging"))),
            resource("aws:ssoadmin/permissionSetInlinePolicy:PermissionSetInlinePolicy", "inline", { permissionSetArn: PS_ARN, instanceArn: "i", inlinePolicy: readS3 }),
            resource("aws:ssoadmin/managedPolicyAttachment:ManagedPolicyAttachment", "managed", { permissionSetArn: PS_ARN, instanceArn: "i", managedPolicyArn: MANAGED("ReadOnlyAccess") }),
            resource("aws:ssoadmin/customerManagedPolicyAttachment:CustomerManagedPolicyAttachment", "byname", { permissionSetArn: PS_ARN, instanceArn: "i", customerManagedPolicyReference: { name: "tag", path: "/" } }),
            resource("aws:ssoadmin/customerManagedPolicyAttachment:CustomerManagedPolicyAttachment", "bydep", { permissionSetArn: UNKNOWN, instanceArn: "i", customerManagedPolicyReference: { name: UNKNOWN } },
                { propertyDependencies: { permissionSetArn: [ps.urn], customerManagedPolicyReference: [write.urn] } }),
        ]);
        assert.deepStrictEqual(g.principals, {
            "permission set 'admins'": ["PermissionSetInlinePolicy 'inline' inlinePolicy", "AWS managed policy ReadOnlyAccess", "Policy 'tag' policy", "Policy 'write' policy"],
        });
        assert.deepStrictEqual(g.attachedAsGrant, ["tag", "write"]);
        assert.deepStrictEqual(g.unresolved, []);
    });

    it("reports attachments whose permission set or policy is not known during preview", async () => {
        const g = await graph([
            permissionSet("admins"), suffix,
            resource("aws:ssoadmin/managedPolicyAttachment:ManagedPolicyAttachment", "whichset", { permissionSetArn: UNKNOWN, instanceArn: "i", managedPolicyArn: MANAGED("ReadOnlyAccess") }),
            resource("aws:ssoadmin/managedPolicyAttachment:ManagedPolicyAttachment", "whicharn", { permissionSetArn: PS_ARN, instanceArn: "i", managedPolicyArn: UNKNOWN }),
            resource("aws:ssoadmin/customerManagedPolicyAttachment:CustomerManagedPolicyAttachment", "wholeref", { permissionSetArn: PS_ARN, instanceArn: "i", customerManagedPolicyReference: UNKNOWN }),
            resource("aws:ssoadmin/customerManagedPolicyAttachment:CustomerManagedPolicyAttachment", "whichcmset", { permissionSetArn: UNKNOWN, instanceArn: "i", customerManagedPolicyReference: { name: "boundary" } }),
            resource("aws:ssoadmin/customerManagedPolicyAttachment:CustomerManagedPolicyAttachment", "suffixed", { permissionSetArn: PS_ARN, instanceArn: "i", customerManagedPolicyReference: { name: UNKNOWN } },
                { propertyDependencies: { customerManagedPolicyReference: [suffix.urn] } }),
        ]);
        assert.deepStrictEqual(g.unresolved, [
            "ManagedPolicyAttachment 'whichset' permissionSetArn",
            "ManagedPolicyAttachment 'whicharn' managedPolicyArn",
            "CustomerManagedPolicyAttachment 'wholeref' customerManagedPolicyReference.name",
            "CustomerManagedPolicyAttachment 'whichcmset' permissionSetArn",
            "CustomerManagedPolicyAttachment 'suffixed' customerManagedPolicyReference.name",
        ]);
        assert.deepStrictEqual(g.principals, { "permission set 'admins'": [] });
    });

    it("the escalation policy names a permission set by its kind", async () => {
        const vs = await violationsOf("aws-iam-principal-disallow-privilege-escalation", [
            permissionSet("admins"),
            resource("aws:ssoadmin/permissionSetInlinePolicy:PermissionSetInlinePolicy", "keys", { permissionSetArn: PS_ARN, instanceArn: "i", inlinePolicy: json(allow("iam:CreateAccessKey", "*")) }),
        ]);
        assert.deepStrictEqual(vs.map((v) => [v.name, v.message.slice(0, v.message.indexOf(":"))]), [["admins", "permission set 'admins' can escalate its privileges"]]);
    });
});

describe("principal graph: permissions boundaries", () => {
    it("a role's or user's boundary (stack policy by ARN, by dependency, AWS managed), a set's boundary attachment, and the boundary tag", async () => {
        const boundary = stackPolicy("boundary", readS3);
        const g = await graph([
            boundary,
            stackPolicy("tagged", readS3, { tags: { "policy-pack:permissions-boundary": "true" } }),
            stackPolicy("tagfalse", readS3, { tags: { "policy-pack:permissions-boundary": "false" } }),
            stackPolicy("tagunknown", readS3, { tags: UNKNOWN }),
            role("app", { permissionsBoundary: arnOf("boundary") }),
            role("new", { permissionsBoundary: UNKNOWN }, { propertyDependencies: { permissionsBoundary: [boundary.urn] } }),
            role("none", { permissionsBoundary: "" }),
            user("ana", { permissionsBoundary: MANAGED("PowerUserAccess") }),
            permissionSet("admins"),
            resource("aws:ssoadmin/permissionsBoundaryAttachment:PermissionsBoundaryAttachment", "byname", {
                permissionSetArn: PS_ARN, instanceArn: "i", permissionsBoundary: { customerManagedPolicyReference: { name: "boundary", path: "/" } },
            }),
            resource("aws:ssoadmin/permissionsBoundaryAttachment:PermissionsBoundaryAttachment", "managed", {
                permissionSetArn: PS_ARN, instanceArn: "i", permissionsBoundary: { managedPolicyArn: MANAGED("ReadOnlyAccess") },
            }),
            permissionSet("newset", UNKNOWN),
            resource("aws:ssoadmin/permissionsBoundaryAttachment:PermissionsBoundaryAttachment", "bydep", {
                permissionSetArn: UNKNOWN, instanceArn: "i", permissionsBoundary: { customerManagedPolicyReference: { name: UNKNOWN, path: "/" } },
            }, { propertyDependencies: { permissionSetArn: [urnOf(T.permissionSet, "newset")], permissionsBoundary: [boundary.urn] } }),
        ]);
        assert.deepStrictEqual(g.principals, {
            "role 'app'": ["boundary: Policy 'boundary' policy"],
            "role 'new'": ["boundary: Policy 'boundary' policy"],
            "role 'none'": [],
            "user 'ana'": ["boundary: AWS managed policy PowerUserAccess"],
            "permission set 'admins'": ["boundary: Policy 'boundary' policy", "boundary: AWS managed policy ReadOnlyAccess"],
            "permission set 'newset'": ["boundary: Policy 'boundary' policy"],
        });
        assert.deepStrictEqual(g.usedAsBoundary, ["tagged", "boundary"]);
        // A boundary is not a grant.
        assert.deepStrictEqual([g.attachedAsGrant, g.awsManaged, g.unresolvedBoundaries], [[], [], []]);
    });

    it("reports boundaries not known during preview, for roles, users and boundary attachments", async () => {
        const g = await graph([
            suffix, permissionSet("admins"), stackPolicy("boundary", readS3),
            role("app", { permissionsBoundary: UNKNOWN }),
            user("ana", { permissionsBoundary: UNKNOWN }, { propertyDependencies: { permissionsBoundary: [suffix.urn] } }),
            resource("aws:ssoadmin/permissionsBoundaryAttachment:PermissionsBoundaryAttachment", "whole", { permissionSetArn: PS_ARN, instanceArn: "i", permissionsBoundary: UNKNOWN }),
            resource("aws:ssoadmin/permissionsBoundaryAttachment:PermissionsBoundaryAttachment", "ref", { permissionSetArn: PS_ARN, instanceArn: "i", permissionsBoundary: { customerManagedPolicyReference: UNKNOWN } }),
            resource("aws:ssoadmin/permissionsBoundaryAttachment:PermissionsBoundaryAttachment", "name", { permissionSetArn: PS_ARN, instanceArn: "i", permissionsBoundary: { customerManagedPolicyReference: { name: UNKNOWN } } }),
            resource("aws:ssoadmin/permissionsBoundaryAttachment:PermissionsBoundaryAttachment", "arn", { permissionSetArn: PS_ARN, instanceArn: "i", permissionsBoundary: { managedPolicyArn: UNKNOWN } }),
        ]);
        assert.deepStrictEqual(g.unresolvedBoundaries, [
            "Role 'app' permissionsBoundary",
            "User 'ana' permissionsBoundary",
            "PermissionsBoundaryAttachment 'whole' permissionsBoundary",
            "PermissionsBoundaryAttachment 'ref' permissionsBoundary",
            "PermissionsBoundaryAttachment 'name' permissionsBoundary",
            "PermissionsBoundaryAttachment 'arn' permissionsBoundary",
        ]);
        assert.deepStrictEqual(g.principals, { "role 'app'": [], "user 'ana'": [], "permission set 'admins'": [] });
        assert.deepStrictEqual(g.usedAsBoundary, []);
    });

    it("the boundary policy reports a permissive boundary on the principal, naming the boundary", async () => {
        const vs = await violationsOf("aws-iam-principal-disallow-permissive-boundary", [
            user("ana", { permissionsBoundary: MANAGED("AdministratorAccess") }),
        ]);
        assert.deepStrictEqual(vs.map((v) => [v.name, v.message.slice(0, v.message.indexOf(", so the boundary"))]),
            [["ana", "user 'ana' is bounded by AWS managed policy AdministratorAccess, which allows every action"]]);
    });
});

describe("principal graph: policies named in conditions", () => {
    const ESCALATION = "aws-iam-principal-disallow-privilege-escalation";
    /** A role that may attach only the policy `arn` (the condition AWS documents for iam:Attach*Policy). */
    const attacher = (name: string, arn: string) => role(name, {
        inlinePolicies: [{ name: "attach", policy: json(allow("iam:AttachRolePolicy", "*", { Condition: { ArnEquals: { "iam:PolicyARN": arn } } })) }],
    });

    it("iam:PolicyARN is judged on the named policy's document: a stack policy by ARN (also a new one whose ARN is not known yet) or an AWS managed one", async () => {
        const vs = await violationsOf(ESCALATION, [
            stackPolicy("admin", json(allow("*", "*"))),
            resource("aws:iam/policy:Policy", "newadmin", { name: "newadmin", arn: UNKNOWN, policy: json(allow("*", "*")) }),
            stackPolicy("read", readS3),
            stackPolicy("unreadable", "{not json"),
            attacher("toadmin", arnOf("admin")),
            attacher("tonewadmin", arnOf("newadmin")),
            attacher("tomanaged", MANAGED("AdministratorAccess")),
            attacher("toread", arnOf("read")),
            attacher("tounreadable", arnOf("unreadable")),
            attacher("toreadonly", MANAGED("ReadOnlyAccess")),
            attacher("elsewhere", `arn:aws:iam::${ACCOUNT}:policy/not-in-this-stack`),
            // The same new policy in two accounts (one provider each): the one whose document can be read is judged.
            resource("aws:iam/policy:Policy", "shared-a", { name: "shared", arn: UNKNOWN, policy: UNKNOWN }),
            resource("aws:iam/policy:Policy", "shared-b", { name: "shared", arn: UNKNOWN, policy: json(allow("*", "*")) }),
            attacher("toshared", arnOf("shared")),
        ]);
        assert.deepStrictEqual(vs.map((v) => v.name), ["toadmin", "tonewadmin", "tomanaged", "toshared"]);
        assert.match(vs[0].message, new RegExp(`^role 'toadmin' can escalate its privileges: .*\\(iam:PolicyARN admits ${arnOf("admin")}, which allows every action\\)`));
        assert.match(vs[2].message, /\(iam:PolicyARN admits arn:aws:iam::aws:policy\/AdministratorAccess, which allows every action\)/);
    });
});
