import { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { describeSuppressed, suppressionLedger } from "../lib/suppressions";

// These two run last (policies/index.ts keeps them at the end), so every suppression filed by an earlier policy on
// the same resource (or, for stack policies, in the same stack validation) is reported here with its reason.
// Their configured level applies: keep them "advisory" (set it explicitly if "all" is raised to mandatory).

export const suppressedResourceViolations: ResourceValidationPolicy = {
    name: "swiftsupport-suppressed-violations",
    description: "Reports every violation a suppression in the pack config silenced, with the suppression's reason.",
    enforcementLevel: "advisory",
    validateResource: (args, reportViolation) => {
        for (const s of suppressionLedger.takeForResource(args.urn)) reportViolation(describeSuppressed(s));
    },
};

export const suppressedStackViolations: StackValidationPolicy = {
    name: "swiftsupport-suppressed-stack-violations",
    description: "Reports every stack-level violation a suppression in the pack config silenced, with the suppression's reason.",
    enforcementLevel: "advisory",
    validateStack: (args, reportViolation) => {
        for (const s of suppressionLedger.takeRemaining()) reportViolation(describeSuppressed(s), s.urn);
    },
};
