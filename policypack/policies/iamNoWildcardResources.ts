import { PolicyResource } from "@pulumi/policy";
import { stackPolicy } from "../lib/guard";
import { IamDocument, appliesToAllResources, iamPattern, isDocumentError, statementLabel } from "../lib/iamDocument";
import { expandAction, prepareActions } from "../lib/iamDataset";
import { describeDocument, identityDocumentTypes, readResourceDocuments, unknownElements } from "../lib/iamDocumentSources";
import { principalGraph } from "../lib/principalGraph";

interface Config {
    allowedActions: string[];
}

export const iamNoWildcardResources = stackPolicy<Config>({
    name: "aws-iam-policy-disallow-wildcard-resources",
    description: "Identity-based IAM statements that Allow actions supporting resource-level permissions must name " +
        "the resources (ARNs), not Resource `*` or NotResource. Which actions support that comes from the IAM dataset; " +
        "actions that support no resource (e.g. xray:PutTraceSegments) may use `*`. A policy used only as a " +
        "permissions boundary grants nothing and is exempt.",
    enforcementLevel: "mandatory",
    severity: "high",
    config: {
        allowedActions: {
            type: "array",
            items: { type: "string" },
            default: [],
            description: "Action patterns additionally allowed on Resource `*` (e.g. when ABAC conditions scope them).",
        },
    },
    validate: async (args, check) => {
        const graph = principalGraph(check.index);
        const allowed = check.config.allowedActions.map(iamPattern);
        const documents: { resource: PolicyResource; property: string; doc: IamDocument }[] = [];
        for (const r of check.index.ofType(...identityDocumentTypes)) {
            if (r.type === "aws:iam/policy:Policy" && graph.usedAsBoundary.has(r.urn) && !graph.attachedAsGrant.has(r.urn)) continue;
            for (const f of readResourceDocuments(r.type, r.props, (p) => check.unknown(r, p))) {
                if (f.kind === "identity" && !isDocumentError(f.doc)) documents.push({ resource: r, property: f.property, doc: f.doc });
            }
        }
        await prepareActions(documents.flatMap((d) => d.doc.statements.flatMap((s) => s.action ?? [])));
        for (const { resource, property, doc } of documents) {
            // A policy nothing attaches may be the boundary behind a reference not yet known: don't guess.
            const maybeBoundary = resource.type === "aws:iam/policy:Policy" && !graph.attachedAsGrant.has(resource.urn) &&
                graph.unresolvedBoundaries.length > 0;
            for (const s of doc.statements) {
                for (const part of unknownElements(doc, s, ["Effect", "Action", "NotAction", "Resource", "NotResource"])) {
                    check.unknown(resource, `${property} ${part}`);
                }
                if (s.effect !== "Allow" || !appliesToAllResources(s)) continue;
                const scope = s.notResource ? `NotResource (${s.notResource.join(", ")})` : "Resource \"*\"";
                let offending: string[];
                if (s.notAction) offending = [`every action except ${s.notAction.join(", ")}`];
                else {
                    offending = [];
                    for (const pattern of s.action ?? []) {
                        if (allowed.some((re) => re.test(pattern))) continue;
                        if (pattern === "*") {
                            offending.push("`*`");
                            continue;
                        }
                        const scoped = expandAction(pattern).filter((a) => a.resourceLevel && !allowed.some((re) => re.test(a.name)));
                        if (scoped.length) {
                            offending.push(pattern.includes("*") || pattern.includes("?")
                                ? `\`${pattern}\` (includes ${scoped.slice(0, 4).map((a) => a.name).join(", ")}${scoped.length > 4 ? ", ..." : ""})`
                                : `\`${pattern}\``);
                        }
                    }
                }
                if (offending.length === 0) continue;
                const where = `${describeDocument(resource.type, resource.name, property)} ${statementLabel(s)}`;
                if (maybeBoundary) {
                    check.unknown(resource, `${property} (whether it is only a permissions boundary, referenced by ` +
                        `${graph.unresolvedBoundaries.map((u) => `'${u.resource.name}'`).join(", ")})`);
                    continue;
                }
                check.report(resource, `${where} allows ${offending.join(", ")} on ${scope}, but these actions support ` +
                    `resource-level permissions: name the ARNs they act on (e.g. the table, queue or bucket outputs).`);
            }
        }
    },
});
