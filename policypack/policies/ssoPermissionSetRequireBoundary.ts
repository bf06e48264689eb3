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
        let unresolved = 0;
        for (const a of check.index.ofType(T.permissionsBoundaryAttachment)) {
            const ref = check.index.resolve(a, "permissionSetArn", [T.permissionSet]);
            if (ref.unknown) {
                unresolved++;
                check.unknown(a, "permissionSetArn");
            }
            for (const t of ref.targets) bounded.add(t.urn);
        }
        const unbounded = sets.filter((ps) => !bounded.has(ps.urn));
        // Each attachment not yet known bounds at most one set: when the unbounded sets outnumber them, some set
        // stays unbounded whatever they turn out to be; otherwise each may be bounded, so it is unverified.
        if (unbounded.length <= unresolved) {
            for (const ps of unbounded) check.unknown(ps, "PermissionsBoundaryAttachment (an attachment's permissionSetArn is not known yet)");
            return;
        }
        const pending = unresolved ? ` (${unresolved} attachment(s) whose permissionSetArn is not known yet can bound at most ${unresolved} of the ${unbounded.length} sets without one)` : "";
        for (const ps of unbounded) {
            check.report(ps, `PermissionSet '${ps.name}' has no PermissionsBoundaryAttachment in the stack${pending}: add ` +
                `aws.ssoadmin.PermissionsBoundaryAttachment with permissionSetArn = this set's arn and a ` +
                `customerManagedPolicyReference to the boundary policy.`);
        }
    },
});
