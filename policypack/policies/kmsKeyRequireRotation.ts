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
            usage: (args.props.keyUsage ?? "ENCRYPT_DECRYPT") as unknown,
            rotation: args.props.enableKeyRotation as unknown,
        }));
        if (isUnknown(key)) return;
        // Rotation exists only for symmetric encryption keys.
        if (key.spec !== "SYMMETRIC_DEFAULT" || key.usage !== "ENCRYPT_DECRYPT" || key.rotation === true) return;
        check.report(`Key '${args.name}' does not rotate: set enableKeyRotation: true.`);
    },
});
