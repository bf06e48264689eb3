import { resourcePolicy } from "../lib/guard";
import { describeDocument, iamDocumentTypes, readResourceDocuments } from "../lib/iamDocumentSources";

export const iamRequireReadableDocument = resourcePolicy({
    name: "aws-iam-policy-require-readable-document",
    description: "Every IAM document must be readable by the pack. A document stored as a secret that the pack " +
        "cannot decrypt (an export without --show-secrets, `pulumi preview --json`) is deployed but unjudged: no " +
        "other policy sees it. Advisory by default; `check --strict` (or this policy at \"mandatory\") fails on it.",
    enforcementLevel: "advisory",
    severity: "high",
    resourceTypes: iamDocumentTypes,
    validate: (args, check) => {
        readResourceDocuments(args.type, args.props, () => undefined, (property) => {
            check.report(`${describeDocument(args.type, args.name, property)} is a secret the pack cannot read, so no ` +
                `policy judged it: export with \`pulumi stack export --show-secrets\`, or keep IAM documents out of secrets.`);
        });
    },
});
