/**
 * IAM roles as the analysis route compares them. A signed call arrives as an STS assumed-role session ARN,
 * `arn:<partition>:sts::<account>:assumed-role/<role name>/<session>`, which drops the role's path; the allow-list
 * holds role ARNs, `arn:<partition>:iam::<account>:role[/<path>]/<role name>`. A role name is unique within its
 * account whatever its path (and regardless of case), so partition, account and name identify the role.
 */
/** The analysis function's variable holding the roles allowed to request a re-analysis (role ARNs, comma-separated). */
export const REANALYSIS_ROLES_VARIABLE = "REANALYSIS_ROLE_ARNS";

export interface RoleIdentity {
    partition: string;
    accountId: string;
    /** Lower-cased: IAM refuses two roles whose names differ only in case. */
    roleName: string;
}

const ROLE_NAME = "[\\w+=,.@-]{1,64}";
const ROLE_ARN = new RegExp(`^arn:(aws[a-z-]*):iam::(\\d{12}):role/(?:[\\x21-\\x7e]*/)?(${ROLE_NAME})$`);
const SESSION_ARN = new RegExp(`^arn:(aws[a-z-]*):sts::(\\d{12}):assumed-role/(${ROLE_NAME})/[\\w+=,.@-]{2,64}$`);

/** The role an IAM role ARN names, or undefined when the value is not a role ARN. */
export function roleFromArn(arn: string): RoleIdentity | undefined {
    const m = ROLE_ARN.exec(arn);
    return m ? { partition: m[1], accountId: m[2], roleName: m[3].toLowerCase() } : undefined;
}

/** The role behind an assumed-role session ARN, or undefined for any other caller (IAM users, root, federation). */
export function roleFromSessionArn(arn: string): RoleIdentity | undefined {
    const m = SESSION_ARN.exec(arn);
    return m ? { partition: m[1], accountId: m[2], roleName: m[3].toLowerCase() } : undefined;
}

/** Whether `caller` is one of `allowed`. */
export function isAllowedRole(caller: RoleIdentity, allowed: readonly RoleIdentity[]): boolean {
    return allowed.some(
        (r) => r.partition === caller.partition && r.accountId === caller.accountId && r.roleName === caller.roleName,
    );
}

/**
 * The allow-list from its environment variable: role ARNs separated by commas; empty or unset allows nobody.
 * Anything that is not a role ARN fails the cold start with the value, since it is a deployment mistake.
 */
export function parseRoleAllowList(variable: string, value: string | undefined): RoleIdentity[] {
    const arns = (value ?? "").split(",").map((v) => v.trim()).filter((v) => v !== "");
    const bad = arns.filter((arn) => roleFromArn(arn) === undefined);
    if (bad.length > 0) throw new Error(`${variable} must hold IAM role ARNs separated by commas; not a role ARN: ${bad.join(", ")}`);
    return arns.map((arn) => roleFromArn(arn)!);
}
