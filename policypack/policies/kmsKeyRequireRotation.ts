import { resourcePolicy } from "../lib/guard";
import { isUnknown } from "../lib/unknown";

export const kmsKeyRequireRotation = resourcePolicy({
    name: "aws-kms-key-require-rotation",
    description: "Symmetric encryption KMS keys should rotate their key material (enableKeyRotation).",
    enforcementLevel: "advisory",
    severity: "medium",
    resourceTypes: ["aws:kms/key:Key"],
    validate: (args, check) => {
        const key = check.read(() => ({
            spec: (args.props.customerMasterKeySpec ?? "SYMMETRIC_DEFAULT") as unknown,
            rotation: args.props.enableKeyRotation as unknown,
        }));
        // Stryker disable next-line ConditionalExpression: an unknown key reads as no spec, which returns below as well; this narrows the type
        if (isUnknown(key)) return;
        // Rotation exists only for symmetric encryption keys (whose keyUsage AWS requires to be ENCRYPT_DECRYPT).
        if (key.spec !== "SYMMETRIC_DEFAULT" || key.rotation === true) return;
        check.report(`Key '${args.name}' does not rotate: set enableKeyRotation: true.`);
    },
});
