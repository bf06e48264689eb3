import { resourcePolicy } from "../lib/guard";
import { IamStatement, hasWildcard, isDocumentError, statementLabel } from "../lib/iamDocument";
import { expandAction, lookupAction, prepareActions, serviceExists, serviceOf, suggestAction, suggestService } from "../lib/iamDataset";
import { describeDocument, iamDocumentTypes, readResourceDocuments, unknownElements } from "../lib/iamDocumentSources";

const actionsOf = (s: IamStatement) => [...(s.action ?? []), ...(s.notAction ?? [])];

export const iamNoUnknownActions = resourcePolicy({
    name: "aws-iam-policy-disallow-unknown-actions",
    description: "Every action in an IAM document must exist in the IAM dataset: a misspelt action grants or denies " +
        "nothing, so a Deny silently stops protecting and an Allow hides a broken deployment. Documents must parse.",
    enforcementLevel: "mandatory",
    severity: "medium",
    resourceTypes: iamDocumentTypes,
    validate: async (args, check) => {
        for (const f of readResourceDocuments(args.type, args.props, (p) => check.unknown(p))) {
            const label = describeDocument(args.type, args.name, f.property);
            if (isDocumentError(f.doc)) {
                check.report(`${label} cannot be read as an IAM policy: ${f.doc.error}. Write it as a JSON object ` +
                    `with a Statement list, e.g. with aws.iam.getPolicyDocument or JSON.stringify.`);
                continue;
            }
            for (const part of unknownElements(f.doc, undefined, ["Action", "NotAction"])) check.unknown(`${f.property} ${part}`);
            await prepareActions(f.doc.statements.flatMap(actionsOf));
            for (const s of f.doc.statements) {
                for (const action of actionsOf(s)) {
                    if (action === "*") continue;
                    const where = `${label} ${statementLabel(s)}`;
                    const service = serviceOf(action);
                    if (service === undefined || action.indexOf(":") === action.length - 1) {
                        check.report(`${where} has action \`${action}\`, which is not of the form service:Action.`);
                    } else if (!serviceExists(action)) {
                        const hint = await suggestService(service);
                        check.report(`${where} has action \`${action}\`: "${service}" is not an IAM service prefix` +
                            `${hint ? ` (did you mean "${hint}"?)` : ""}. Fix the prefix.`);
                    } else if (hasWildcard(action) ? expandAction(action).length === 0 : !lookupAction(action)) {
                        const hint = suggestAction(action);
                        check.report(`${where} has action \`${action}\`, which ${hasWildcard(action) ? "matches no" : "is not an"} ` +
                            `IAM action: use the exact name from the Service Authorization Reference${hint ? ` (did you mean ${hint}?)` : ""}.`);
                    }
                }
            }
        }
    },
});
