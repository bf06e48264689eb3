import { resourcePolicy } from "../lib/guard";
import { forEachIamDocument } from "../lib/iamDocumentSources";
import { mayPinWhenKnown, pinsCaller } from "../lib/publicAccess";

const SOURCE_KEYS = new Set(["aws:sourceaccount", "aws:sourcearn", "aws:sourceorgid", "aws:sourceorgpaths"]);

/**
 * Services whose documented role trust has no source condition, and where asking for one would be wrong: the advice
 * would break the service or pin nothing it sends.
 */
const DOCUMENTED_WITHOUT_SOURCE: Record<string, string> = {
    // "Defining Lambda function permissions with an execution role" (Lambda Developer Guide) gives the trust without
    // a condition; a function can only use an execution role of its own account (iam:PassRole does not cross accounts).
    "lambda.amazonaws.com": "Lambda execution roles",
    // "Role policy document for CloudTrail to use CloudWatch Logs for monitoring" (CloudTrail User Guide): CloudTrail
    // does not support aws:SourceArn or aws:SourceAccount on this role's trust; either stops delivery.
    "cloudtrail.amazonaws.com": "CloudTrail's CloudWatch Logs delivery role",
};

interface Config {
    exemptServices: string[];
}

export const iamRoleRequireServiceTrustCondition = resourcePolicy<Config>({
    name: "aws-iam-role-require-service-trust-source-condition",
    description: "A trust policy that lets an AWS service assume a role should pin the caller with aws:SourceAccount " +
        "or aws:SourceArn, so the service cannot be used as a confused deputy by another account (Lambda execution roles and " +
        "CloudTrail's CloudWatch Logs role are documented without one and are not asked).",
    enforcementLevel: "advisory",
    severity: "medium",
    config: {
        exemptServices: {
            type: "array",
            items: { type: "string" },
            default: [],
            description: "Service principals whose trust need not be pinned (e.g. services that send no source context).",
        },
    },
    resourceTypes: ["aws:iam/role:Role"],
    validate: forEachIamDocument((d, check) => {
        for (const s of d.doc.statements) {
            if (s.effect !== "Allow" || !s.principal) continue;
            const services = s.principal.service.filter((svc) => !(svc in DOCUMENTED_WITHOUT_SOURCE) && !check.config.exemptServices.includes(svc));
            if (services.length === 0) continue;
            // The same rule as every other pin: a restricting operator and concrete values (no caller variable).
            if (s.conditions.some((c) => SOURCE_KEYS.has(c.key) && (pinsCaller(c) || mayPinWhenKnown(c)))) continue;
            check.report(`${d.where(s)} lets ${services.join(", ")} assume the role from any account: add a condition ` +
                `StringEquals { "aws:SourceAccount": <account id> } or ArnLike { "aws:SourceArn": <calling resource arn> }.`);
        }
    }, ["trust"]),
});
