import * as pulumi from "@pulumi/pulumi";

/** An IAM condition block, e.g. `{ StringEquals: { "aws:SourceAccount": accountId } }`. */
export type Conditions = Record<string, Record<string, pulumi.Input<string | string[]>>>;

/**
 * One thing a principal may do: exact actions on resources that are outputs of real resources.
 * Grants are only made by the helpers in `./grants` so every action string lives in one place.
 */
export interface Grant {
    /** Statement id; says what the grant is for (alphanumeric). */
    readonly sid: string;
    /** Exact IAM actions, never a wildcard. */
    readonly actions: readonly string[];
    /** Resource ARNs; `ANY_RESOURCE` only for actions that support no resource-level permission. */
    readonly resources: readonly pulumi.Input<string>[];
    /** Optional condition block narrowing the grant further. */
    readonly conditions?: Conditions;
}

/**
 * `Resource: "*"`, reserved for actions AWS authorizes only account-wide (the pack checks each such action
 * against the IAM dataset, and so does test/iam).
 */
export const ANY_RESOURCE = "*";

/** A Deny statement, used by permission boundaries; wildcards are allowed there because a deny only narrows. */
export interface Denial {
    /** Statement id; says what is forbidden. */
    readonly sid: string;
    /** Actions to deny. */
    readonly actions: readonly string[];
    /** Resources the denial covers. */
    readonly resources: readonly pulumi.Input<string>[];
    /** Optional condition block. */
    readonly conditions?: Conditions;
}

const SID = /^[A-Za-z0-9]+$/;

/** Throws when a grant could not be a least-privilege statement; called before any document is built. */
export function assertGrant(grant: Grant): void {
    if (!SID.test(grant.sid)) throw new Error(`grant sid "${grant.sid}" must be alphanumeric`);
    if (grant.actions.length === 0) throw new Error(`grant ${grant.sid} names no action`);
    if (grant.resources.length === 0) throw new Error(`grant ${grant.sid} names no resource`);
    for (const action of grant.actions) {
        if (!/^[a-z0-9-]+:[A-Za-z0-9]+$/.test(action)) {
            throw new Error(`grant ${grant.sid}: "${action}" is not an exact IAM action (no wildcards)`);
        }
    }
}

interface Statement {
    Sid: string;
    Effect: "Allow" | "Deny";
    Action: string[];
    Resource: pulumi.Input<string>[];
    Condition?: Conditions;
}

function statement(effect: "Allow" | "Deny", g: Grant | Denial, sid: string): Statement {
    // JSON leaves an undefined Condition out.
    return { Sid: sid, Effect: effect, Action: [...g.actions], Resource: [...g.resources], Condition: g.conditions };
}

/** Sids must be unique within a document; repeated grants (two log groups, say) get a numeric suffix. */
function uniqueSids(items: readonly { sid: string }[]): string[] {
    const seen = new Map<string, number>();
    return items.map(({ sid }) => {
        const n = (seen.get(sid) ?? 0) + 1;
        seen.set(sid, n);
        return n === 1 ? sid : `${sid}${n}`;
    });
}

/**
 * The one function that turns grants (and, for boundaries, denials) into an IAM policy document JSON string.
 * Statements keep the order given, so a diff of the document reads like a diff of the grant list.
 */
export function policyDocument(grants: readonly Grant[], denials: readonly Denial[] = []): pulumi.Output<string> {
    if (grants.length === 0) throw new Error("a policy document needs at least one grant");
    grants.forEach(assertGrant);
    const all = [...grants, ...denials];
    const sids = uniqueSids(all);
    const statements = all.map((g, i) => statement(i < grants.length ? "Allow" : "Deny", g, sids[i]));
    return pulumi.output({ Version: "2012-10-17", Statement: statements }).apply((doc) => JSON.stringify(doc));
}

/** Every action the given grants allow, sorted: what a permissions boundary for these principals must allow. */
export function actionsOf(grants: readonly Grant[]): string[] {
    return [...new Set(grants.flatMap((g) => g.actions))].sort();
}
