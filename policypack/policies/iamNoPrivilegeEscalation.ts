import { stackPolicy } from "../lib/guard";
import { describeFinding, escalationsOf } from "../lib/escalation";
import { principalGraph } from "../lib/principalGraph";

export const iamNoPrivilegeEscalation = stackPolicy({
    name: "aws-iam-principal-disallow-privilege-escalation",
    description: "No role, user, group or permission set may hold a known privilege-escalation path, judged over " +
        "everything that reaches it (inline, attached, customer and AWS managed policies, group membership), less " +
        "unconditional Denies and what its permissions boundary withholds.",
    enforcementLevel: "mandatory",
    severity: "critical",
    validate: (args, check) => {
        const graph = principalGraph(check.index);
        for (const u of graph.unresolved) check.unknown(u.resource, u.property);
        for (const node of graph.principals) {
            const findings = escalationsOf(node, graph.policyByArn);
            if (findings.length === 0) continue;
            check.report(node.resource, `${node.kind} '${node.resource.name}' can escalate its privileges: ` +
                `${findings.map(describeFinding).join("; ")}. Remove these actions, or scope iam:PassRole and ` +
                `sts:AssumeRole to the exact role ARNs, and keep a permissions boundary that denies them.`);
        }
    },
});
