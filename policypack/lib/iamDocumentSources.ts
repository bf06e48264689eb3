// Every @pulumi/aws v7 resource type that carries an IAM document, and where in its props the document lives.
// `forEachIamDocument` hands each document, normalised by iamDocument.ts, to a policy; `readResourceDocuments`
// serves the stack-level policies (wildcard resources, escalation) the same documents.

import { ResourceValidationArgs } from "@pulumi/policy";
import { ResourceCheck } from "./guard";
import { IamDocument, IamDocumentError, IamStatement, isDocumentError, readIamDocument, statementLabel } from "./iamDocument";
import { UNKNOWN_SENTINEL } from "./policyInternals";
import documentTypes from "./policyDocumentTypes.json";
import { isUnknown, readProp, tryRead } from "./unknown";

/**
 * identity: grants permissions to the principal(s) it is attached to.
 * trust: a role's assume-role policy (who may become the role).
 * resource: a resource-based policy (who may act on this resource).
 */
export type DocumentKind = "identity" | "trust" | "resource";

interface Source {
    kind: DocumentKind;
    /** Property path holding the document: `policy`, or `details.policy` inside a nested block. */
    property: string;
    /** Where `Principal: "*"` is normal and not a publication (VPC endpoint policies are scoped by the endpoint). */
    principalIsScopedElsewhere?: boolean;
}

/** Identity-based documents: they grant permissions to the principal(s) they are attached to. */
const IDENTITY_TYPES = new Set([
    "aws:iam/policy:Policy",
    "aws:iam/rolePolicy:RolePolicy",
    "aws:iam/userPolicy:UserPolicy",
    "aws:iam/groupPolicy:GroupPolicy",
    "aws:ssoadmin/permissionSetInlinePolicy:PermissionSetInlinePolicy",
]);

/** Endpoint policies: the endpoint already scopes who calls, so `Principal: "*"` publishes nothing. */
const SCOPED_ELSEWHERE = new Set(["aws:ec2/vpcEndpoint:VpcEndpoint", "aws:ec2/vpcEndpointPolicy:VpcEndpointPolicy", "aws:odb/network:Network"]);

/**
 * Types whose documents are read by a property path, from policyDocumentTypes.json (derived from the installed
 * @pulumi/aws by tools/resourcePolicyTypes.ts). Role and the flat permission resources are handled below.
 */
const sources: Record<string, Source[]> = {};
for (const [type, paths] of Object.entries(documentTypes as Record<string, string[]>)) {
    if (type === "aws:iam/role:Role") continue;
    sources[type] = paths.map((property) => ({
        kind: IDENTITY_TYPES.has(type) ? "identity" : "resource",
        property,
        ...(SCOPED_ELSEWHERE.has(type) ? { principalIsScopedElsewhere: true } : {}),
    }));
}

export const ROLE = "aws:iam/role:Role";
const LAMBDA_PERMISSION = "aws:lambda/permission:Permission";
const LAYER_PERMISSION = "aws:lambda/layerVersionPermission:LayerVersionPermission";
const EVENT_PERMISSION = "aws:cloudwatch/eventPermission:EventPermission";

/** Every type that carries at least one IAM document. */
export const iamDocumentTypes: readonly string[] = [...Object.keys(sources), ROLE, LAMBDA_PERMISSION, LAYER_PERMISSION, EVENT_PERMISSION];

/** Types whose documents grant permissions to principals (identity-based policies). */
export const identityDocumentTypes: readonly string[] = [
    ...Object.entries(sources).filter(([, s]) => s.some((x) => x.kind === "identity")).map(([t]) => t),
    ROLE,
];

/** One IAM document found on a resource. */
export interface FoundDocument {
    kind: DocumentKind;
    /** Property path, e.g. `policy`, `assumeRolePolicy`, `inlinePolicies[1].policy`. */
    property: string;
    doc: IamDocument | IamDocumentError;
    principalIsScopedElsewhere: boolean;
}

/**
 * What a secret the reader cannot decrypt reads as: `pulumi preview --json` and `pulumi policy analyze --file` print
 * every secret as this string, and `check` turns an export's ciphertext into it. A document that is this string is
 * unreadable, not unknown: it is deployed, we just cannot see it (aws-iam-policy-require-readable-document).
 */
export const UNREADABLE_SECRET = "[secret]";

/**
 * Whether an object document has a secret inside (a preview prints a secret leaf as UNREADABLE_SECRET too). Props
 * are deserialised JSON, a tree, so the walk ends at the leaves.
 */
function holdsSecret(v: unknown): boolean {
    if (v === UNREADABLE_SECRET) return true;
    if (v === null || typeof v !== "object") return false;
    return (Array.isArray(v) ? v : Object.values(v)).some(holdsSecret);
}

/** A value for the synthetic document: the engine's unknown sentinel marks what is not known yet. */
function known(v: unknown): unknown {
    return isUnknown(v) ? UNKNOWN_SENTINEL : v;
}

/**
 * The Principal element for a flat `principal` prop: `*`, an account id or an ARN is an AWS principal (`{ AWS: "*" }`
 * reads as `"*"`), a name such as `s3.amazonaws.com` (not an ARN, with a dot) a service.
 */
function principalElement(props: Record<string, unknown>): unknown {
    const principal = known(readProp(props, "principal"));
    if (typeof principal !== "string" || principal === UNKNOWN_SENTINEL) return principal;
    return !principal.startsWith("arn:") && principal.includes(".") ? { Service: principal } : { AWS: principal };
}

/** A Lambda permission is one resource-policy statement in flat props; express it as that statement. */
function lambdaPermissionDocument(props: Record<string, unknown>, layer: boolean): unknown {
    const condition: Record<string, Record<string, unknown>> = {};
    const add = (operator: string, key: string, prop: string) => {
        const v = readProp(props, prop);
        if (v !== undefined && v !== null && v !== "") (condition[operator] ??= {})[key] = known(v);
    };
    if (layer) {
        add("StringEquals", "aws:PrincipalOrgID", "organizationId");
    } else {
        add("ArnLike", "aws:SourceArn", "sourceArn");
        add("StringEquals", "aws:SourceAccount", "sourceAccount");
        add("StringEquals", "aws:PrincipalOrgID", "principalOrgId");
        add("StringEquals", "lambda:FunctionUrlAuthType", "functionUrlAuthType");
    }
    return {
        Statement: {
            Effect: "Allow",
            Principal: principalElement(props),
            Action: known(readProp(props, "action")),
            Resource: known(readProp(props, layer ? "layerName" : "function")),
            Condition: condition,
        },
    };
}

/**
 * An EventBridge permission is one statement on the bus policy in flat props: `principal` (an account id or `*`)
 * may call `action` (default events:PutEvents), optionally only with `condition { key, type, value }`, where the
 * only key EventBridge accepts is aws:PrincipalOrgID.
 */
function eventPermissionDocument(props: Record<string, unknown>): unknown {
    const condition = readProp(props, "condition");
    let conditionElement: unknown;
    if (isUnknown(condition)) conditionElement = UNKNOWN_SENTINEL;
    else if (condition !== null && typeof condition === "object") {
        const type = known(readProp(condition, "type"));
        const key = known(readProp(condition, "key"));
        const value = known(readProp(condition, "value"));
        // An operator or key unknown during preview leaves the whole Condition unknown; a missing one (all three are
        // required) reads as written and so pins nothing.
        conditionElement = type === UNKNOWN_SENTINEL || key === UNKNOWN_SENTINEL ? UNKNOWN_SENTINEL : { [String(type)]: { [String(key)]: value } };
    }
    return {
        Statement: {
            Effect: "Allow",
            Principal: principalElement(props),
            Action: known(readProp(props, "action")) ?? "events:PutEvents",
            Resource: known(readProp(props, "eventBusName")) ?? "*",
            Condition: conditionElement,
        },
    };
}

/**
 * All IAM documents on a resource. A document that is unknown during preview is passed to `onUnknown` with its
 * property path and skipped, one that is an unreadable secret to `onUnreadable`; everything else is read.
 */
export function readResourceDocuments(type: string, props: Record<string, unknown>, onUnknown: (property: string) => void,
    onUnreadable: (property: string) => void = () => undefined): FoundDocument[] {
    const out: FoundDocument[] = [];
    const take = (kind: DocumentKind, property: string, get: () => unknown, scoped = false) => {
        const r = tryRead(get);
        if (r.unknownAt !== undefined) {
            onUnknown(r.unknownAt);
            return;
        }
        if (r.value === undefined || r.value === null || r.value === "") return;
        // A secret string, or one inside an object. An unknown leaf is read (and noted) by the document reader; here it
        // only means "no secret found".
        if (tryRead(() => holdsSecret(r.value)).value === true) {
            onUnreadable(property);
            return;
        }
        out.push({ kind, property, doc: readIamDocument(r.value), principalIsScopedElsewhere: scoped });
    };
    if (type === ROLE) {
        take("trust", "assumeRolePolicy", () => props.assumeRolePolicy);
        const inline = tryRead(() => props.inlinePolicies as unknown);
        if (inline.unknownAt !== undefined) onUnknown(inline.unknownAt);
        else if (inline.value === UNREADABLE_SECRET) onUnreadable("inlinePolicies");
        else if (Array.isArray(inline.value)) {
            // Stryker disable next-line EqualityOperator: index `length` reads undefined, which take() skips like an entry without a policy
            for (let i = 0; i < inline.value.length; i++) {
                take("identity", `inlinePolicies[${i}].policy`, () => (inline.value as Record<string, unknown>[])[i]?.policy);
            }
        }
        return out;
    }
    if (type === LAMBDA_PERMISSION || type === LAYER_PERMISSION) {
        out.push({
            kind: "resource",
            property: "(permission)",
            doc: readIamDocument(lambdaPermissionDocument(props, type === LAYER_PERMISSION)),
            principalIsScopedElsewhere: false,
        });
        return out;
    }
    if (type === EVENT_PERMISSION) {
        out.push({ kind: "resource", property: "(permission)", doc: readIamDocument(eventPermissionDocument(props)), principalIsScopedElsewhere: false });
        return out;
    }
    for (const s of sources[type] ?? []) {
        // `details.policy`: a document inside a nested block.
        take(s.kind, s.property, () => s.property.split(".").reduce<unknown>((o, k) => (o === null || o === undefined ? undefined : (o as Record<string, unknown>)[k]), props),
            s.principalIsScopedElsewhere);
    }
    return out;
}

/** What a policy sees for each document. */
export interface DocumentVisit {
    type: string;
    name: string;
    urn: string;
    kind: DocumentKind;
    property: string;
    doc: IamDocument;
    principalIsScopedElsewhere: boolean;
    /** `RolePolicy 'api' policy statement 1 (Sid "Read")`, for messages. */
    where(statement: IamStatement): string;
}

/** `Statement[0].Resource` belongs to element `Resource`. */
export function unknownElements(doc: IamDocument, statement: IamStatement | undefined, elements: readonly string[]): string[] {
    const parts = statement ? statement.unknownParts : doc.unknownParts;
    return parts.filter((p) => {
        if (!p.includes(".")) return true; // `Statement` or `Statement[2]`: the whole list or statement is unknown
        return elements.includes(p.split(/[.[]/)[2]); // `Statement[0].Condition.StringEquals.aws:SourceArn`
    });
}

/** Notes, on `check`, the parts of a document that were unknown and that the policy needed. */
export function noteUnknownParts<C>(visit: DocumentVisit, check: ResourceCheck<C>, elements: readonly string[]): void {
    for (const part of unknownElements(visit.doc, undefined, elements)) check.unknown(`${visit.property} ${part}`);
}

export function describeDocument(type: string, name: string, property: string): string {
    const short = type.slice(type.lastIndexOf(":") + 1);
    return property === "(permission)" ? `${short} '${name}'` : `${short} '${name}' ${property}`;
}

/**
 * A resource validation that calls `visit` for every readable IAM document of the resource, optionally only of
 * some kinds. Documents that cannot be parsed are skipped here (aws-iam-policy-disallow-unknown-actions reports
 * them once); documents unknown during preview are noted on `check`.
 */
export function forEachIamDocument<C>(
    visit: (d: DocumentVisit, check: ResourceCheck<C>) => void | Promise<void>,
    kinds?: readonly DocumentKind[],
): (args: ResourceValidationArgs, check: ResourceCheck<C>) => Promise<void> {
    return async (args, check) => {
        const found = readResourceDocuments(args.type, args.props, (p) => check.unknown(p));
        for (const f of found) {
            if (kinds && !kinds.includes(f.kind)) continue;
            if (isDocumentError(f.doc)) continue;
            const label = describeDocument(args.type, args.name, f.property);
            await visit({
                type: args.type,
                name: args.name,
                urn: args.urn,
                kind: f.kind,
                property: f.property,
                doc: f.doc,
                principalIsScopedElsewhere: f.principalIsScopedElsewhere,
                where: (s) => `${label} ${statementLabel(s)}`,
            }, check);
        }
    };
}
