import * as pulumi from "@pulumi/pulumi";
import { ANY_RESOURCE, Denial, policyDocument } from "./grant";

/**
 * What no bounded principal may ever do, whatever its own policies say. Denials use `*`: a deny only narrows,
 * and a boundary cannot name its own ARN without a resource cycle, so "any managed policy" covers it.
 */
export const BOUNDARY_DENIALS: readonly Denial[] = [
    {
        sid: "DenyBoundaryChanges",
        actions: [
            "iam:DeleteRolePermissionsBoundary",
            "iam:PutRolePermissionsBoundary",
            "iam:DeleteUserPermissionsBoundary",
            "iam:PutUserPermissionsBoundary",
            "sso:PutPermissionsBoundaryToPermissionSet",
            "sso:DeletePermissionsBoundaryFromPermissionSet",
        ],
        resources: [ANY_RESOURCE],
    },
    {
        sid: "DenyManagedPolicyEdits",
        actions: [
            "iam:CreatePolicyVersion",
            "iam:DeletePolicyVersion",
            "iam:SetDefaultPolicyVersion",
            "iam:DeletePolicy",
        ],
        resources: [ANY_RESOURCE],
    },
    {
        sid: "DenyAuditTrailTampering",
        actions: [
            "cloudtrail:StopLogging",
            "cloudtrail:DeleteTrail",
            "cloudtrail:UpdateTrail",
            "cloudtrail:PutEventSelectors",
            "cloudtrail:PutInsightSelectors",
        ],
        resources: [ANY_RESOURCE],
    },
    {
        sid: "DenyIamUsersAndKeys",
        actions: ["iam:CreateUser", "iam:CreateAccessKey", "iam:CreateLoginProfile", "iam:UpdateLoginProfile"],
        resources: [ANY_RESOURCE],
    },
];

/**
 * What a deployer role (a bootstrap stack's, components/iam/githubDeployRoles.ts) may never do: the same guardrails,
 * so it cannot rewrite the boundaries it creates roles under, the managed policies, the trail or IAM users; and it
 * may not create a managed policy either: every one the stacks create is a boundary, and a deployer that wrote a
 * boundary's first version could give the roles it creates under it anything (the administrator's first `pulumi up`
 * creates them). One change: the org stack's deployer attaches the people boundary to each permission set it creates
 * (it may still never remove one).
 */
export const DEPLOYER_DENIALS: readonly Denial[] = [
    ...BOUNDARY_DENIALS.map((d) =>
        d.sid === "DenyBoundaryChanges" ? { ...d, actions: d.actions.filter((a) => a !== "sso:PutPermissionsBoundaryToPermissionSet") } : d,
    ),
    { sid: "DenyBoundaryCreation", actions: ["iam:CreatePolicy"], resources: [ANY_RESOURCE] },
];

/**
 * A permissions boundary document: allow at most `actions` (each principal's own policy names the resources; the
 * effective permission is the intersection) and deny the guardrails above.
 */
export function boundaryDocument(actions: readonly string[]): pulumi.Output<string> {
    return policyDocument([{ sid: "PlatformActions", actions, resources: [ANY_RESOURCE] }], BOUNDARY_DENIALS);
}

/**
 * The people boundary: one customer-managed policy with this name and path in every workload account. Identity
 * Center attaches a boundary to a permission set by name and path (`customerManagedPolicyReference`), and resolves
 * it in each account the set is provisioned to, so the name must not vary per stack. One workload stack per account
 * (the org config refuses two environments with one account id), so the fixed name cannot collide.
 */
export const PEOPLE_BOUNDARY = { name: "swiftsupport-people-boundary", path: "/swiftsupport/" } as const;
