import { resourcePolicy } from "../lib/guard";
import { expandAction, prepareActions } from "../lib/iamDataset";
import { statementCoversAction } from "../lib/iamDocument";
import { forEachIamDocument } from "../lib/iamDocumentSources";
import { s3WildcardScope } from "../lib/s3";

/** Access levels that change data or who may reach it (the dataset may list two: "Permissions management, Write"). */
const WRITES = /Write|Permissions management|Tagging/;

/** Every S3 action that writes, from the IAM dataset (which memoises the expansion). */
async function s3Writes(): Promise<string[]> {
    await prepareActions(["s3:*"]);
    return expandAction("s3:*").filter((a) => WRITES.test(a.accessLevel)).map((a) => a.name);
}

export const s3PolicyNoWildcardWriteResources = resourcePolicy({
    name: "aws-s3-policy-disallow-wildcard-write-resources",
    description: "Identity-based statements that Allow S3 writes (Write, Permissions management, Tagging) must name " +
        "their buckets: not a `*`-equivalent ARN (`arn:aws:s3:::*`, `arn:aws:s3:::*/*`, `arn:*:s3:::*`) and no " +
        "wildcard in the bucket name (`arn:aws:s3:::bucket*` also matches other accounts' buckets). Object keys may " +
        "use wildcards (`arn:aws:s3:::bucket/*`).",
    enforcementLevel: "mandatory",
    severity: "high",
    resourceTypes: ["aws:iam/policy:Policy", "aws:iam/rolePolicy:RolePolicy", "aws:iam/userPolicy:UserPolicy", "aws:iam/groupPolicy:GroupPolicy",
        "aws:iam/role:Role", "aws:ssoadmin/permissionSetInlinePolicy:PermissionSetInlinePolicy"],
    validate: forEachIamDocument(async (d, check) => {
        for (const s of d.doc.statements) {
            if (s.effect !== "Allow" || !s.resource) continue;
            // Most statements name their resources: only a wildcard scope needs the actions looked at.
            const scoped = s.resource.map((resource) => ({ resource, scope: s3WildcardScope(resource) })).filter((x) => x.scope);
            // Stryker disable next-line ConditionalExpression: an early exit that spares the dataset lookup; with nothing scoped the loop below reports nothing either
            if (scoped.length === 0) continue;
            // Action or NotAction alike: which S3 writes the statement allows.
            const writes = (await s3Writes()).filter((a) => statementCoversAction(s, a));
            if (writes.length === 0) continue;
            const shown = writes.length > 3 ? `${writes.slice(0, 3).join(", ")} and ${writes.length - 3} more S3 writes` : writes.join(", ");
            for (const { resource, scope } of scoped) {
                check.report(`${d.where(s)} allows ${shown} on \`${resource}\`, which is ${scope}: name the bucket ` +
                    `(arn:aws:s3:::my-bucket and arn:aws:s3:::my-bucket/*).`);
            }
        }
    }, ["identity"]),
});
