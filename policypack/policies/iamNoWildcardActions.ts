import { resourcePolicy } from "../lib/guard";
import { IamStatement, hasWildcard } from "../lib/iamDocument";
import { expandAction, prepareActions } from "../lib/iamDataset";
import { forEachIamDocument, iamDocumentTypes, noteUnknownParts } from "../lib/iamDocumentSources";

const KMS_KEY_TYPES = new Set([
    "aws:kms/key:Key", "aws:kms/keyPolicy:KeyPolicy", "aws:kms/replicaKey:ReplicaKey",
    "aws:kms/externalKey:ExternalKey", "aws:kms/replicaExternalKey:ReplicaExternalKey",
]);
const ACCOUNT_ROOT = /^(?:arn:aws[a-z-]*:iam::\d{12}:root|\d{12})$/;

/**
 * The default key-policy statement (`kms:*` for the account root) grants nobody anything by itself: it lets the
 * account's IAM policies grant use of the key, and those policies are checked here.
 */
function delegatesToAccountIam(type: string, s: IamStatement): boolean {
    const p = s.principal;
    return KMS_KEY_TYPES.has(type) && !!p && !p.anyone && p.service.length === 0 && p.federated.length === 0 &&
        p.aws.length > 0 && p.aws.every((a) => ACCOUNT_ROOT.test(a));
}

function examples(pattern: string): string {
    const actions = expandAction(pattern);
    if (actions.length === 0) return "";
    const shown = actions.slice(0, 6).map((a) => a.name).join(", ");
    return ` (${actions.length} action${actions.length === 1 ? "" : "s"}: ${shown}${actions.length > 6 ? ", ..." : ""})`;
}

export const iamNoWildcardActions = resourcePolicy({
    name: "aws-iam-policy-disallow-wildcard-actions",
    description: "IAM statements that Allow must name each action: `*`, `service:*`, partial wildcards such as " +
        "`dynamodb:Get*` and NotAction grant more than intended, including actions AWS adds later.",
    enforcementLevel: "mandatory",
    severity: "high",
    resourceTypes: iamDocumentTypes,
    validate: forEachIamDocument(async (d, check) => {
        noteUnknownParts(d, check, ["Effect", "Action", "NotAction"]);
        const allows = d.doc.statements.filter((s) => s.effect === "Allow" && !delegatesToAccountIam(d.type, s));
        await prepareActions(allows.flatMap((s) => s.action ?? []).filter(hasWildcard));
        for (const s of allows) {
            if (s.notAction) {
                check.report(`${d.where(s)} uses NotAction with Allow, which allows every action except ` +
                    `${s.notAction.join(", ")}: list the actions needed in Action instead.`);
            }
            for (const action of s.action ?? []) {
                if (!hasWildcard(action)) continue;
                const scope = action === "*" ? " (every action of every service)" : examples(action);
                check.report(`${d.where(s)} allows \`${action}\`${scope}: a wildcard grants every matching action, ` +
                    `including ones AWS adds later. List the exact actions the principal calls.`);
            }
        }
    }),
});
