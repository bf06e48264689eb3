import { stackPolicy } from "../lib/guard";
import { permissiveness } from "../lib/escalation";
import { principalGraph } from "../lib/principalGraph";

export const iamPrincipalBoundaryNotPermissive = stackPolicy({
    name: "aws-iam-principal-disallow-permissive-boundary",
    description: "A permissions boundary (on a role, a user or a permission set; customer or AWS managed) must hold " +
        "something back: one that allows every action, or that allows a privilege-escalation path by itself " +
        "(AdministratorAccess, PowerUserAccess, IAMFullAccess, an Allow `*` with no Deny, ...), bounds nothing.",
    enforcementLevel: "mandatory",
    severity: "high",
    validate: (args, check) => {
        const graph = principalGraph(check.index);
        for (const node of graph.principals) {
            for (const boundary of node.boundaries) {
                const why = permissiveness(boundary.doc, graph.policyByArn);
                if (!why) continue;
                check.report(node.resource, `${node.kind} '${node.resource.name}' is bounded by ${boundary.label}, ${why}, ` +
                    `so the boundary bounds nothing: use a boundary that allows only what the workloads may ever do and ` +
                    `denies IAM changes (iam:Put*/Attach*/CreatePolicyVersion, boundary removal, iam:PassRole on any role).`);
            }
        }
    },
});
