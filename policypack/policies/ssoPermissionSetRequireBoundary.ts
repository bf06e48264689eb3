import { stackPolicy } from "../lib/guard";
import { T } from "../lib/principalGraph";

export const ssoPermissionSetRequireBoundary = stackPolicy({
    name: "aws-ssoadmin-permission-set-require-permissions-boundary",
    description: "Every IAM Identity Center permission set needs an aws.ssoadmin.PermissionsBoundaryAttachment in the " +
        "stack, so that the roles it provisions in each account are bounded.",
    enforcementLevel: "mandatory",
    severity: "high",
    validate: (args, check) => {
        const sets = check.index.ofType(T.permissionSet);
        if (sets.length === 0) return;
        const bounded = new Set<string>();
        let unresolved = false;
        for (const a of check.index.ofType(T.permissionsBoundaryAttachment)) {
            const ref = check.index.resolve(a, "permissionSetArn", [T.permissionSet]);
            if (ref.unknown) {
                unresolved = true;
                check.unknown(a, "permissionSetArn");
            }
            for (const t of ref.targets) bounded.add(t.urn);
        }
        for (const ps of sets) {
            if (bounded.has(ps.urn) || unresolved) continue;
            check.report(ps, `PermissionSet '${ps.name}' has no PermissionsBoundaryAttachment in the stack: add ` +
                `aws.ssoadmin.PermissionsBoundaryAttachment with permissionSetArn = this set's arn and a ` +
                `customerManagedPolicyReference to the boundary policy.`);
        }
    },
});
