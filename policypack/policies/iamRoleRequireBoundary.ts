import { resourcePolicy } from "../lib/guard";
import { tryRead } from "../lib/unknown";

export const iamRoleRequireBoundary = resourcePolicy({
    name: "aws-iam-role-require-permissions-boundary",
    description: "Every IAM role needs a permissions boundary, so that no policy later attached to it can grant " +
        "more than the boundary allows (aws-iam-principal-disallow-permissive-boundary judges what the boundary holds back).",
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
    },
});
