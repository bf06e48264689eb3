import { resourcePolicy } from "../lib/guard";
import { forEachIamDocument, noteUnknownParts } from "../lib/iamDocumentSources";
import { mayPinWhenKnown, pinsCaller } from "../lib/publicAccess";
import { readProp } from "../lib/unknown";

interface Config {
    exemptServices: string[];
}

export const lambdaPermissionRequireSourceCondition = resourcePolicy<Config>({
    name: "aws-lambda-permission-require-source-condition",
    description: "A Lambda permission (or layer permission) that lets an AWS service principal invoke the function " +
        "must pin the source with `sourceArn` (an ARN with a literal account) or `sourceAccount`; without it, the " +
        "service acting for any other account's resource can invoke it (the confused deputy).",
    enforcementLevel: "mandatory",
    severity: "high",
    config: {
        exemptServices: {
            type: "array",
            items: { type: "string" },
            default: [],
            description: "Service principals that may invoke without a source condition (each needs a reason in review).",
        },
    },
    resourceTypes: ["aws:lambda/permission:Permission", "aws:lambda/layerVersionPermission:LayerVersionPermission"],
    validate: (args, check) => forEachIamDocument<Config>((d) => {
        noteUnknownParts(d, check, ["Principal", "Condition"]);
        for (const s of d.doc.statements) {
            // A permission is one Allow statement; one without a principal (the provider rejects it) has nothing to pin.
            if (!s.principal) continue;
            const services = s.principal.service.filter((svc) => !check.config.exemptServices.includes(svc));
            if (services.length === 0 || s.conditions.some(pinsCaller) || s.conditions.some(mayPinWhenKnown)) continue;
            // Alexa Skills Kit pins the caller with the skill id instead (the permission's eventSourceToken).
            // Stryker disable next-line MethodExpression: a permission names one principal, so every and some agree
            if (services.every((svc) => svc === "alexa-appkit.amazon.com") && check.read(() => readProp(args.props, "eventSourceToken"))) continue;
            const layer = d.type.endsWith("LayerVersionPermission");
            // Stryker disable next-line StringLiteral: a permission names one principal, so there is no second service to separate
            const who = services.join(", ");
            check.report(`${d.where(s)} lets ${who} invoke ${layer ? "the layer" : "the function"} on behalf of ` +
                `any account's resources: set ${layer ? "`organizationId`" : "`sourceArn` to the calling resource's ARN (with its account) or `sourceAccount` to the account id"}.`);
        }
    }, ["resource"])(args, check),
});
