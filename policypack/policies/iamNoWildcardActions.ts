import { PolicyResource } from "@pulumi/policy";
import { StackCheck, shortType, stackPolicy } from "../lib/guard";
import { IamStatement, hasWildcard, isDocumentError, statementLabel } from "../lib/iamDocument";
import { expandAction, prepareActions } from "../lib/iamDataset";
import { describeDocument, iamDocumentTypes, readResourceDocuments, unknownElements } from "../lib/iamDocumentSources";
import { PrincipalGraph, T, awsManagedAttachments, principalGraph } from "../lib/principalGraph";
import { StackIndex } from "../lib/stackIndex";
import { readProp } from "../lib/unknown";

const KMS_KEY_TYPES = new Set([
    "aws:kms/key:Key", "aws:kms/keyPolicy:KeyPolicy", "aws:kms/replicaKey:ReplicaKey",
    "aws:kms/externalKey:ExternalKey", "aws:kms/replicaExternalKey:ReplicaExternalKey",
]);
const KEY = "aws:kms/key:Key";
const ACCOUNT_ROOT = /^(?:arn:aws[a-z-]*:iam::(\d{12}):root|(\d{12}))$/;
const accountOfArn = (v: unknown) => (typeof v === "string" ? /^arn:[^:]*:[^:]*:[^:]*:(\d{12}):/.exec(v)?.[1] : undefined);

/** Every account id in the stack's resource ARNs (one account: the stack's own). */
function stackAccounts(index: StackIndex): Set<string> {
    // Stryker disable next-line StringLiteral: the key only names the cached value; no other derived value uses "" either
    return index.derived("stackAccounts", () => {
        const out = new Set<string>();
        for (const r of index.resources) {
            const account = accountOfArn(readProp(r.props, "arn"));
            if (account) out.add(account);
        }
        return out;
    });
}

/** The account a key (or key policy) belongs to: its own ARN, its key's ARN, else the stack's only account. */
function keyAccount(index: StackIndex, r: PolicyResource): string | undefined {
    const own = accountOfArn(readProp(r.props, "arn")) ?? accountOfArn(readProp(r.props, "keyId"));
    if (own) return own;
    // Stryker disable next-line ConditionalExpression: a key's keyId resolves to the key itself, whose ARN was read above
    if (r.type === "aws:kms/keyPolicy:KeyPolicy") {
        for (const key of index.resolve(r, "keyId", [KEY]).targets) {
            const account = accountOfArn(readProp(key.props, "arn"));
            if (account) return account;
        }
    }
    const accounts = stackAccounts(index);
    return accounts.size === 1 ? [...accounts][0] : undefined;
}

/**
 * The default key-policy statement (`kms:*` for the key's own account root) grants nobody anything by itself: it
 * lets the account's IAM policies grant use of the key, and those policies are checked here. Only exactly that
 * is exempt: `kms:*` (not `*`), for the root of the account the key is in. `unknown` when that account is unknown.
 */
function delegatesToAccountIam(index: StackIndex, r: PolicyResource, s: IamStatement): boolean | "unknown" {
    const p = s.principal;
    if (!KMS_KEY_TYPES.has(r.type) || !p || p.anyone || p.service.length || p.federated.length || p.canonicalUser.length) return false;
    // Only a statement with NotAction or a wildcard in Action comes here: Action is either absent or not empty.
    if (!s.action || !s.action.every((a) => a.toLowerCase() === "kms:*")) return false;
    const roots = p.aws.map((a) => ACCOUNT_ROOT.exec(a)).map((m) => m?.[1] ?? m?.[2]);
    if (roots.length === 0 || roots.some((a) => a === undefined)) return false;
    const account = keyAccount(index, r);
    if (account === undefined) return "unknown";
    return roots.every((a) => a === account);
}

function examples(pattern: string): string {
    const actions = expandAction(pattern);
    if (actions.length === 0) return "";
    const shown = actions.slice(0, 6).map((a) => a.name).join(", ");
    return ` (${actions.length} action${actions.length === 1 ? "" : "s"}: ${shown}${actions.length > 6 ? ", ..." : ""})`;
}

/** A managed policy nothing grants, used as a boundary (only managed policies are): it only limits, so wildcards there grant nothing. */
function onlyBoundary(graph: PrincipalGraph, r: PolicyResource): boolean {
    return graph.usedAsBoundary.has(r.urn) && !graph.attachedAsGrant.has(r.urn);
}

/** What a statement allows by wildcard: its NotAction, or its Action patterns with a wildcard. */
function wildcardsOf(s: IamStatement): string[] {
    if (s.notAction) return [`NotAction ${s.notAction.join(", ")}`];
    // Stryker disable next-line ArrayDeclaration: a made-up action in place of none has no wildcard either
    return (s.action ?? []).filter(hasWildcard);
}

interface Visit {
    resource: PolicyResource;
    where: string;
    statement: IamStatement;
}

function checkStatement(check: StackCheck<unknown>, { resource, where, statement: s }: Visit): void {
    if (s.notAction) {
        check.report(resource, `${where} uses NotAction with Allow, which allows every action except ` +
            `${s.notAction.join(", ")}: list the actions needed in Action instead.`);
    }
    // Stryker disable next-line ArrayDeclaration: a made-up action in place of none has no wildcard either
    for (const action of s.action ?? []) {
        if (!hasWildcard(action)) continue;
        const scope = action === "*" ? " (every action of every service)" : examples(action);
        check.report(resource, `${where} allows \`${action}\`${scope}: a wildcard grants every matching action, ` +
            `including ones AWS adds later. List the exact actions the principal calls.`);
    }
}

export const iamNoWildcardActions = stackPolicy({
    name: "aws-iam-policy-disallow-wildcard-actions",
    description: "IAM statements that Allow must name each action: `*`, `service:*`, partial wildcards such as " +
        "`dynamodb:Get*` and NotAction grant more than intended, including actions AWS adds later. A policy used " +
        "only as a permissions boundary grants nothing and is exempt, as is `kms:*` for the key's own account root.",
    enforcementLevel: "mandatory",
    severity: "high",
    validate: async (args, check) => {
        const graph = principalGraph(check.index);
        const visits: Visit[] = [];
        for (const r of check.index.ofType(...iamDocumentTypes)) {
            if (onlyBoundary(graph, r)) continue;
            // A policy nothing attaches may be the boundary behind a reference not yet known: don't guess.
            const maybeBoundary = r.type === T.policy && !graph.attachedAsGrant.has(r.urn) && graph.unresolvedBoundaries.length > 0;
            for (const f of readResourceDocuments(r.type, r.props, (p) => check.unknown(r, p))) {
                if (isDocumentError(f.doc)) continue; // aws-iam-policy-disallow-unknown-actions reports it
                for (const part of unknownElements(f.doc, undefined, ["Effect", "Action", "NotAction"])) check.unknown(r, `${f.property} ${part}`);
                const label = describeDocument(r.type, r.name, f.property);
                for (const s of f.doc.statements) {
                    if (s.effect !== "Allow" || wildcardsOf(s).length === 0) continue;
                    const delegates = delegatesToAccountIam(check.index, r, s);
                    if (delegates === true) continue;
                    if (delegates === "unknown") {
                        check.unknown(r, `${f.property} ${statementLabel(s)} (whether ${s.principal!.aws.join(", ")} is the key's own account)`);
                        continue;
                    }
                    if (maybeBoundary) {
                        check.unknown(r, `${f.property} (whether it is only a permissions boundary, referenced by ` +
                            `${graph.unresolvedBoundaries.map((u) => `'${u.resource.name}'`).join(", ")})`);
                        continue;
                    }
                    visits.push({ resource: r, where: `${label} ${statementLabel(s)}`, statement: s });
                }
            }
        }
        // Stryker disable next-line ArrayDeclaration,MethodExpression: loading more services (or a made-up action, which the filter drops) changes no verdict, only the time
        await prepareActions(visits.flatMap((v) => v.statement.action ?? []).filter(hasWildcard));
        for (const v of visits) checkStatement(check as StackCheck<unknown>, v);
        // AWS managed policies are judged by their documents too: one summary per attachment, not one per pattern.
        for (const a of awsManagedAttachments(graph)) {
            const wild = a.doc.statements.filter((s) => s.effect === "Allow").flatMap(wildcardsOf);
            if (wild.length === 0) continue;
            const shown = [...new Set(wild)];
            check.report(a.attachedBy, `${shortType(a.attachedBy.type)} '${a.attachedBy.name}' attaches the AWS managed policy ` +
                `${a.name}, which allows ${shown.length} wildcard action pattern${shown.length === 1 ? "" : "s"} (` +
                `${shown.slice(0, 5).map((w) => `\`${w}\``).join(", ")}${shown.length > 5 ? ", ..." : ""}): AWS changes what it ` +
                `grants at will. Write a customer managed policy that lists the exact actions instead.`);
        }
    },
});
