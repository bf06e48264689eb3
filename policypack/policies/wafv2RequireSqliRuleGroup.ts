import { resourcePolicy } from "../lib/guard";
import { isUnknown } from "../lib/unknown";

const SQLI_GROUP = "AWSManagedRulesSQLiRuleSet";

interface RuleLike {
    statement?: { managedRuleGroupStatement?: { name?: string; vendorName?: string } };
    Statement?: { ManagedRuleGroupStatement?: { Name?: string; VendorName?: string } };
    overrideAction?: { count?: unknown };
    OverrideAction?: { Count?: unknown };
}

/** The rule that runs the SQLi group (a rule may be in the provider's camelCase or in ruleJson's PascalCase). */
function sqliRule(rules: (RuleLike | null)[]): RuleLike | null | undefined {
    return rules.find((r) => (r?.statement?.managedRuleGroupStatement?.name ?? r?.Statement?.ManagedRuleGroupStatement?.Name) === SQLI_GROUP);
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
            if (typeof ruleJson !== "string" || ruleJson === "") return JSON.parse(JSON.stringify(args.props.rules ?? [])) as unknown;
            try {
                return JSON.parse(ruleJson) as unknown;
            } catch (e) {
                return new Error((e as Error).message);
            }
        });
        if (isUnknown(rules)) return;
        if (!Array.isArray(rules)) {
            const why = rules instanceof Error ? `is not valid JSON (${rules.message})` : "is not a JSON list of rules";
            check.report(`WebAcl '${args.name}' ruleJson ${why}, so AWS rejects the web ACL and no rule can be verified: ` +
                `write it with JSON.stringify of a list of rules.`);
            return;
        }
        const rule = sqliRule(rules);
        if (!rule) {
            check.report(`WebAcl '${args.name}' does not use the AWS managed ${SQLI_GROUP} rule group: add a rule with ` +
                `statement.managedRuleGroupStatement { vendorName: "AWS", name: "${SQLI_GROUP}" }.`);
        } else if (rule.overrideAction?.count !== undefined || rule.OverrideAction?.Count !== undefined) {
            check.report(`WebAcl '${args.name}' runs ${SQLI_GROUP} in count mode, so SQL injection is logged, not blocked: ` +
                `set overrideAction { none: {} }.`);
        }
    },
});
