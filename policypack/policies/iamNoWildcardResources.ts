import { PolicyResource } from "@pulumi/policy";
import { shortType, stackPolicy } from "../lib/guard";
import { IamDocument, IamStatement, Matcher, appliesToAllResources, hasWildcard, iamPattern, isDocumentError, namesEvery, statementLabel } from "../lib/iamDocument";
import { expandAction, prepareActions } from "../lib/iamDataset";
import { describeDocument, identityDocumentTypes, readResourceDocuments, unknownElements } from "../lib/iamDocumentSources";
import { awsManagedAttachments, principalGraph } from "../lib/principalGraph";

interface Config {
    allowedActions: string[];
}

/**
 * The Resource entries of `s` that name every resource of a type one of its actions acts on, in the partition,
 * region and account they name (`arn:aws:s3:::*\/*` every object, `arn:aws:dynamodb:eu-west-1:1:table/*` every table
 * there, `arn:aws:iam::*` every IAM resource): each is Resource `*` for those actions. Actions that need no resource,
 * and listing actions (List access level, names starting Describe or List: listing every resource of a type is their purpose),
 * never count.
 */
function everyOfAType(s: IamStatement, allowed: Matcher[]): { resources: string[]; actions: string[] } | undefined {
    // Stryker disable next-line ArrayDeclaration,MethodExpression: a made-up resource has no wildcard either; the filter only saves work, as an ARN without a wildcard names one resource, never every one of a type (namesEvery)
    const wild = (s.resource ?? []).filter(hasWildcard);
    const resources = new Set<string>();
    const actions = new Set<string>();
    // Stryker disable next-line ArrayDeclaration: a made-up action expands to no IAM action
    for (const pattern of s.action ?? []) {
        for (const a of expandAction(pattern)) {
            // Listing every resource of a type is what List and Describe/List-named actions do (cloudwatch:DescribeAlarms
            // on alarm:*); reading or changing every resource of a type (s3:GetObject on every object) is not.
            if (!a.resourceLevel || allowed.some((m) => m.test(a.name))) continue;
            // Stryker disable next-line Regex: an action name has one colon, so `[^:]+:` matches only from its start anyway
            if (a.accessLevel === "List" || /^[^:]+:(Describe|List)/.test(a.name)) continue;
            const r = wild.find((w) => a.arnFormats.some((f) => namesEvery(w, f)));
            if (r) {
                resources.add(r);
                actions.add(a.name);
            }
        }
    }
    return actions.size ? { resources: [...resources], actions: [...actions] } : undefined;
}

/** The actions of an Allow on every resource that support resource-level permissions (none when all are allowed). */
function offendingActions(s: IamStatement, allowed: Matcher[]): string[] {
    if (s.notAction) return [`every action except ${s.notAction.join(", ")}`];
    const offending: string[] = [];
    // Stryker disable next-line ArrayDeclaration: a made-up action expands to no IAM action
    for (const pattern of s.action ?? []) {
        if (allowed.some((re) => re.test(pattern))) continue;
        if (pattern === "*") {
            offending.push("`*`");
            continue;
        }
        const scoped = expandAction(pattern).filter((a) => a.resourceLevel && !allowed.some((re) => re.test(a.name)));
        if (scoped.length) {
            offending.push(hasWildcard(pattern)
                ? `\`${pattern}\` (includes ${scoped.slice(0, 4).map((a) => a.name).join(", ")}${scoped.length > 4 ? ", ..." : ""})`
                : `\`${pattern}\``);
        }
    }
    return offending;
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
            // Only managed policies serve as boundaries.
            if (graph.usedAsBoundary.has(r.urn) && !graph.attachedAsGrant.has(r.urn)) continue;
            for (const f of readResourceDocuments(r.type, r.props, (p) => check.unknown(r, p))) {
                if (f.kind === "identity" && !isDocumentError(f.doc)) documents.push({ resource: r, property: f.property, doc: f.doc });
            }
        }
        // Stryker disable next-line ArrayDeclaration: a made-up action names no service to load
        await prepareActions(documents.flatMap((d) => d.doc.statements.flatMap((s) => s.action ?? [])));
        for (const { resource, property, doc } of documents) {
            // A policy nothing attaches may be the boundary behind a reference not yet known: don't guess.
            const maybeBoundary = resource.type === "aws:iam/policy:Policy" && !graph.attachedAsGrant.has(resource.urn) &&
                graph.unresolvedBoundaries.length > 0;
            for (const s of doc.statements) {
                for (const part of unknownElements(doc, s, ["Effect", "Action", "NotAction", "Resource", "NotResource"])) {
                    check.unknown(resource, `${property} ${part}`);
                }
                if (s.effect !== "Allow") continue;
                if (!appliesToAllResources(s)) {
                    const every = everyOfAType(s, allowed);
                    if (!every) continue;
                    if (maybeBoundary) {
                        check.unknown(resource, `${property} (whether it is only a permissions boundary, referenced by ` +
                            `${graph.unresolvedBoundaries.map((u) => `'${u.resource.name}'`).join(", ")})`);
                        continue;
                    }
                    const actions = every.actions.slice(0, 4).join(", ") + (every.actions.length > 4 ? ", ..." : "");
                    check.report(resource, `${describeDocument(resource.type, resource.name, property)} ${statementLabel(s)} ` +
                        `allows ${actions} on ${every.resources.map((r) => `\`${r}\``).join(", ")}, which names every resource of ` +
                        `the type these actions act on (as IAM matches ARNs, \`*\` crosses \`:\` and \`/\`): name the ARNs they act on.`);
                    continue;
                }
                const scope = s.notResource ? `NotResource (${s.notResource.join(", ")})` : "Resource \"*\"";
                const offending = offendingActions(s, allowed);
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
        // AWS managed policies are judged by their documents too: one summary per attachment.
        const managed = awsManagedAttachments(graph);
        // Stryker disable next-line ArrayDeclaration: a made-up action names no service to load
        await prepareActions(managed.flatMap((a) => a.doc.statements.flatMap((s) => s.action ?? [])));
        for (const a of managed) {
            const offending = [...new Set(a.doc.statements.filter((s) => s.effect === "Allow" && appliesToAllResources(s))
                .flatMap((s) => offendingActions(s, allowed)))];
            if (offending.length === 0) continue;
            check.report(a.attachedBy, `${shortType(a.attachedBy.type)} '${a.attachedBy.name}' attaches the AWS managed policy ` +
                `${a.name}, which allows ${offending.slice(0, 4).join(", ")}${offending.length > 4 ? `, ... (${offending.length} in all)` : ""} ` +
                `on every resource, though these actions support resource-level permissions: write a customer managed ` +
                `policy that names the ARNs they act on.`);
        }
    },
});
