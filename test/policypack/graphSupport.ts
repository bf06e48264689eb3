// The principal graph (and stack index) as the pack's stack policies see them: resources go through the in-process
// runner (props behind the policy server's unknown-checking proxy, propertyDependencies resolved to resources), and
// a policy of this file captures what the policies would read.

import type { StackValidationPolicy } from "@pulumi/policy";
import { PrincipalGraph, awsManagedAttachments, principalGraph } from "../../policypack/lib/principalGraph";
import { StackIndex, stackIndex } from "../../policypack/lib/stackIndex";
import { RunnerResource, runPack } from "../../tools/lib/packRunner";
import { ACCOUNT, resource } from "./support";

export const POLICY = "aws:iam/policy:Policy";
export const arnOf = (name: string) => `arn:aws:iam::${ACCOUNT}:policy/${name}`;

/** The stack index the pack's stack policies get for `resources`. */
export async function indexOf(resources: RunnerResource[]): Promise<StackIndex> {
    let index: StackIndex | undefined;
    const capture: StackValidationPolicy = {
        name: "capture-stack-index",
        description: "test only: captures the stack index",
        enforcementLevel: "advisory",
        validateStack: (args) => {
            index = stackIndex(args.resources);
        },
    };
    await runPack([capture], resources);
    return index!;
}

export const graphOf = async (resources: RunnerResource[]): Promise<PrincipalGraph> => principalGraph(await indexOf(resources));

const label = (r: { type: string; name: string }) => `${r.type.slice(r.type.lastIndexOf(":") + 1)} '${r.name}'`;

/** What the graph says, in the words of the pack's messages. */
export interface GraphSummary {
    /** `<kind> '<name>'` -> the labels of its grants, then `boundary: <label>` per boundary. */
    principals: Record<string, string[]>;
    /** `<Type> '<name>' <property>` per reference the graph could not follow. */
    unresolved: string[];
    unresolvedBoundaries: string[];
    /** Names of the stack's Policy resources used as a boundary / attached as a grant. */
    usedAsBoundary: string[];
    attachedAsGrant: string[];
    /** `<Type> '<name>' attaches <AWS managed policy>`. */
    awsManaged: string[];
}

export function summary(graph: PrincipalGraph, resources: RunnerResource[]): GraphSummary {
    const nameOf = (urn: string) => resources.find((r) => r.urn === urn)!.name;
    return {
        principals: Object.fromEntries(graph.principals.map((n) => [`${n.kind} '${n.resource.name}'`,
            [...n.grants.map((g) => g.label), ...n.boundaries.map((b) => `boundary: ${b.label}`)]])),
        unresolved: graph.unresolved.map((u) => `${label(u.resource)} ${u.property}`),
        unresolvedBoundaries: graph.unresolvedBoundaries.map((u) => `${label(u.resource)} ${u.property}`),
        usedAsBoundary: [...graph.usedAsBoundary].map(nameOf),
        attachedAsGrant: [...graph.attachedAsGrant].map(nameOf),
        awsManaged: awsManagedAttachments(graph).map((a) => `${label(a.attachedBy)} attaches ${a.name}`),
    };
}

export const summarise = async (resources: RunnerResource[]): Promise<GraphSummary> => summary(await graphOf(resources), resources);

/** An aws:iam/policy:Policy named `name` (name and ARN known) with `policy` as its document. */
export const stackPolicy = (name: string, policy: unknown, props: Record<string, unknown> = {}) =>
    resource(POLICY, name, { name, arn: arnOf(name), policy, ...props });
