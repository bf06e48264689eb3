import { resourcePolicy } from "../lib/guard";
import { isUnknown } from "../lib/unknown";

const SQLI_GROUP = "AWSManagedRulesSQLiRuleSet";

interface RuleLike {
    statement?: { managedRuleGroupStatement?: { name?: string; vendorName?: string } };
    Statement?: { ManagedRuleGroupStatement?: { Name?: string; VendorName?: string } };
    overrideAction?: { count?: unknown };
    OverrideAction?: { Count?: unknown };
}

function usesSqliGroup(rules: RuleLike[]): "blocking" | "count" | "absent" {
    for (const r of rules) {
        const name = r.statement?.managedRuleGroupStatement?.name ?? r.Statement?.ManagedRuleGroupStatement?.Name;
        if (name !== SQLI_GROUP) continue;
        return r.overrideAction?.count !== undefined || r.OverrideAction?.Count !== undefined ? "count" : "blocking";
    }
    return "absent";
}

export const wafv2RequireSqliRuleGroup = resourcePolicy({
    name: "aws-wafv2-webacl-require-sqli-rule-group",
    description: `WAF web ACLs should include the AWS managed ${SQLI_GROUP} rule group, not in count mode.`,
    enforcementLevel: "advisory",
    severity: "medium",
    resourceTypes: ["aws:wafv2/webAcl:WebAcl"],
    validate: (args, check) => {
        const rules = check.read(() => {
            const ruleJson: unknown = args.props.ruleJson;
            if (typeof ruleJson === "string" && ruleJson !== "") {
                try {
                    return JSON.parse(ruleJson) as unknown;
                } catch (e) {
                    return new Error((e as Error).message);
                }
            }
            return JSON.parse(JSON.stringify(args.props.rules ?? [])) as unknown;
        });
        if (isUnknown(rules)) return;
        if (rules instanceof Error) {
            check.report(`WebAcl '${args.name}' ruleJson is not valid JSON (${rules.message}), so AWS rejects the web ACL and ` +
                `no rule can be verified: write it with JSON.stringify of a list of rules.`);
            return;
        }
        const state = usesSqliGroup(Array.isArray(rules) ? rules.filter((r): r is RuleLike => r !== null && typeof r === "object") : []);
        if (state === "blocking") return;
        check.report(state === "count"
            ? `WebAcl '${args.name}' runs ${SQLI_GROUP} in count mode, so SQL injection is logged, not blocked: set overrideAction { none: {} }.`
            : `WebAcl '${args.name}' does not use the AWS managed ${SQLI_GROUP} rule group: add a rule with ` +
              `statement.managedRuleGroupStatement { vendorName: "AWS", name: "${SQLI_GROUP}" }.`);
    },
});
