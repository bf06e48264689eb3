import { resourcePolicy } from "../lib/guard";
import { awsManagedPolicyDocument, awsManagedPolicyName } from "../lib/awsManagedPolicies";
import { tryRead } from "../lib/unknown";

export const iamRoleRequireBoundary = resourcePolicy({
    name: "aws-iam-role-require-permissions-boundary",
    description: "Every IAM role needs a permissions boundary, so that no policy later attached to it can grant " +
        "more than the boundary allows; a broad AWS managed policy (AdministratorAccess, PowerUserAccess, ...) is no boundary.",
    enforcementLevel: "mandatory",
    severity: "high",
    resourceTypes: ["aws:iam/role:Role"],
    validate: (args, check) => {
        // A value unknown during preview is still set (the proxy does not trap `in`): presence is what counts here.
        if (!("permissionsBoundary" in args.props)) {
            check.report(`Role '${args.name}' has no permissionsBoundary: set it to the ARN of the stack's boundary ` +
                `policy (an aws.iam.Policy that allows only what workloads may ever do and denies IAM changes).`);
            return;
        }
        const value = tryRead(() => args.props.permissionsBoundary).value;
        if (value === "" || value === null) {
            check.report(`Role '${args.name}' has an empty permissionsBoundary: set it to the ARN of the stack's boundary policy.`);
            return;
        }
        const managed = typeof value === "string" ? awsManagedPolicyName(value) : undefined;
        if (managed && awsManagedPolicyDocument(managed)) {
            check.report(`Role '${args.name}' uses the AWS managed policy ${managed} as its permissionsBoundary, which ` +
                `bounds nothing that matters (it allows IAM or service-wide changes): set it to the stack's own boundary ` +
                `policy, which allows only what workloads may ever do and denies IAM changes.`);
        }
    },
});
