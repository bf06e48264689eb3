import { resourcePolicy } from "../lib/guard";
import { forEachIamDocument } from "../lib/iamDocumentSources";
import { mayPinWhenKnown, pinsCaller } from "../lib/publicAccess";

const SOURCE_KEYS = new Set(["aws:sourceaccount", "aws:sourcearn", "aws:sourceorgid", "aws:sourceorgpaths"]);

interface Config {
    exemptServices: string[];
}

export const iamRoleRequireServiceTrustCondition = resourcePolicy<Config>({
    name: "aws-iam-role-require-service-trust-source-condition",
    description: "A trust policy that lets an AWS service assume a role should pin the caller with aws:SourceAccount " +
        "or aws:SourceArn, so the service cannot be used as a confused deputy by another account.",
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
            if (s.effect !== "Allow" || !s.principal || s.principal.service.length === 0) continue;
            const services = s.principal.service.filter((svc) => !check.config.exemptServices.includes(svc));
            if (services.length === 0) continue;
            // The same rule as every other pin: a restricting operator and concrete values (no caller variable).
            if (s.conditions.some((c) => SOURCE_KEYS.has(c.key) && (pinsCaller(c) || mayPinWhenKnown(c)))) continue;
            check.report(`${d.where(s)} lets ${services.join(", ")} assume the role from any account: add a condition ` +
                `StringEquals { "aws:SourceAccount": <account id> } or ArnLike { "aws:SourceArn": <calling resource arn> }.`);
        }
    }, ["trust"]),
});
