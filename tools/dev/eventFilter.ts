/**
 * Lambda event filtering, as an event source mapping applies `FilterCriteria` to a record: a record is delivered when
 * any pattern matches it. A pattern is a JSON object whose leaves are arrays of rules, each rule a plain value to
 * equal or one of the comparison operators the Lambda Developer Guide lists ("Control which events Lambda sends to
 * your function"). A pattern using an operator this module does not implement is refused when it is compiled, so the
 * stand-in can never quietly deliver what AWS would drop.
 */

type Rule = string | number | boolean | null | { [operator: string]: unknown };
type Matcher = (value: unknown) => boolean;

const OPERATORS = new Set(["exists", "prefix", "suffix", "anything-but", "numeric", "equals-ignore-case"]);

/** A function telling whether a record matches any of `patterns` (as the mapping's filters hold them). */
export function compileFilters(patterns: readonly object[]): (record: unknown) => boolean {
    const compiled = patterns.map((p) => compilePattern(p, "pattern"));
    return (record) => compiled.some((matches) => matches(record));
}

function compilePattern(pattern: object, where: string): Matcher {
    if (pattern === null || typeof pattern !== "object" || Array.isArray(pattern)) throw new Error(`${where}: must be an object`);
    const fields = Object.entries(pattern).map(([key, rule]): Matcher => {
        const at = `${where}.${key}`;
        if (Array.isArray(rule)) {
            const rules = rule.map((r: Rule, i) => compileRule(r, `${at}[${i}]`));
            return (value) => {
                const node = field(value, key);
                // A list in the record matches when any of its elements does, as AWS does for arrays.
                const candidates = Array.isArray(node) ? node : [node];
                return rules.some((r) => (node === undefined ? r(undefined) : candidates.some((c) => r(c))));
            };
        }
        const nested = compilePattern(rule as object, at);
        return (value) => nested(field(value, key));
    });
    return (value) => fields.every((matches) => matches(value));
}

function field(value: unknown, key: string): unknown {
    return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>)[key] : undefined;
}

function compileRule(rule: Rule, where: string): Matcher {
    if (rule === null || typeof rule !== "object") return (value) => value === rule;
    const entries = Object.entries(rule);
    if (entries.length !== 1) throw new Error(`${where}: a rule object holds exactly one operator`);
    const [operator, operand] = entries[0];
    if (!OPERATORS.has(operator)) throw new Error(`${where}: operator "${operator}" is not implemented by the local stand-in`);
    switch (operator) {
        case "exists":
            if (typeof operand !== "boolean") throw new Error(`${where}: exists takes true or false`);
            return (value) => (value !== undefined && (value === null || typeof value !== "object")) === operand;
        case "prefix":
            return (value) => typeof value === "string" && typeof operand === "string" && value.startsWith(operand);
        case "suffix":
            return (value) => typeof value === "string" && typeof operand === "string" && value.endsWith(operand);
        case "equals-ignore-case":
            return (value) => typeof value === "string" && typeof operand === "string" && value.toLowerCase() === operand.toLowerCase();
        case "anything-but": {
            const excluded = Array.isArray(operand) ? operand : [operand];
            return (value) => value !== undefined && !excluded.includes(value);
        }
        default: {
            // numeric: [">", 0, "<=", 5]
            if (!Array.isArray(operand) || operand.length % 2 !== 0) throw new Error(`${where}: numeric takes operator/number pairs`);
            const checks: ((n: number) => boolean)[] = [];
            for (let i = 0; i < operand.length; i += 2) {
                const [op, bound] = [operand[i], operand[i + 1]];
                if (typeof bound !== "number") throw new Error(`${where}: numeric bounds must be numbers`);
                const compare = { "=": (n: number) => n === bound, "<": (n: number) => n < bound, "<=": (n: number) => n <= bound, ">": (n: number) => n > bound, ">=": (n: number) => n >= bound }[op as string];
                if (!compare) throw new Error(`${where}: numeric operator "${String(op)}" is not one of = < <= > >=`);
                checks.push(compare);
            }
            return (value) => typeof value === "number" && checks.every((c) => c(value));
        }
    }
}
