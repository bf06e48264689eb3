// Known IAM privilege-escalation paths (after Rhino Security Labs' catalogue and the AWS IAM docs), and their
// evaluation over everything that reaches one principal. A path counts when every one of its steps is effectively
// allowed: some grant Allows the action (on the resources the step requires), no unconditional Deny on all
// resources (Resource `*`, never NotResource) in the grants or the boundary removes it, and the principal's
// permissions boundary (when it is in the stack and readable) Allows it too.

import { IamStatement, appliesToAllResources, appliesToAnyRole, isUnconditionalDenyOnAll, statementCoversAction, statementLabel } from "./iamDocument";
import { Grant, PrincipalNode } from "./principalGraph";

/** Which resources a step must be granted on to count. */
type Scope = "all resources" | "any role";

const SCOPES: Record<Scope, (s: IamStatement) => boolean> = {
    "all resources": appliesToAllResources,
    "any role": appliesToAnyRole,
};

interface Step {
    /** Any one of these actions satisfies the step. */
    anyOf: string[];
    /**
     * The step counts only when granted on these: every resource (`*` or NotResource), or roles the author did not
     * name (`*`, or a role ARN with a wildcard in its account or role part). iam:PassRole on one exact role is the
     * least-privilege way to deploy, not an escalation.
     */
    on?: Scope;
}

export interface EscalationPath {
    steps: Step[];
    /** What the principal can do with it, for the message. */
    effect: string;
}

const PASS: Step = { anyOf: ["iam:PassRole"], on: "any role" };

export const escalationPaths: EscalationPath[] = [
    { steps: [{ anyOf: ["iam:CreatePolicyVersion"] }], effect: "publish a new default version of a managed policy that grants anything" },
    { steps: [{ anyOf: ["iam:SetDefaultPolicyVersion"] }], effect: "switch a managed policy to a more permissive older version" },
    { steps: [{ anyOf: ["iam:AttachUserPolicy", "iam:AttachGroupPolicy", "iam:AttachRolePolicy"] }], effect: "attach any managed policy (e.g. AdministratorAccess) to a principal" },
    { steps: [{ anyOf: ["iam:PutUserPolicy", "iam:PutGroupPolicy", "iam:PutRolePolicy"] }], effect: "write an inline policy granting anything to a principal" },
    { steps: [{ anyOf: ["iam:CreateAccessKey"] }], effect: "create access keys for another user and act as them" },
    { steps: [{ anyOf: ["iam:CreateLoginProfile", "iam:UpdateLoginProfile"] }], effect: "set a console password for another user and sign in as them" },
    { steps: [{ anyOf: ["iam:UpdateAssumeRolePolicy"] }], effect: "rewrite a role's trust policy so that it can assume the role" },
    { steps: [{ anyOf: ["iam:AddUserToGroup"] }], effect: "add a user to a more privileged group" },
    {
        steps: [{ anyOf: ["iam:DeleteRolePermissionsBoundary", "iam:DeleteUserPermissionsBoundary", "iam:PutRolePermissionsBoundary", "iam:PutUserPermissionsBoundary"] }],
        effect: "remove or replace the permissions boundary that limits a principal",
    },
    { steps: [PASS, { anyOf: ["lambda:CreateFunction"] }, { anyOf: ["lambda:InvokeFunction", "lambda:CreateEventSourceMapping"] }], effect: "run code as a more privileged role through a new Lambda function" },
    { steps: [PASS, { anyOf: ["ec2:RunInstances"] }], effect: "run code as a more privileged role on a new EC2 instance" },
    { steps: [PASS, { anyOf: ["glue:CreateDevEndpoint"] }], effect: "run code as a more privileged role on a Glue development endpoint" },
    { steps: [PASS, { anyOf: ["glue:CreateJob"] }, { anyOf: ["glue:StartJobRun"] }], effect: "run code as a more privileged role in a Glue job" },
    { steps: [PASS, { anyOf: ["cloudformation:CreateStack", "cloudformation:UpdateStack"] }], effect: "create resources as a more privileged role through CloudFormation" },
    { steps: [PASS, { anyOf: ["codebuild:CreateProject"] }, { anyOf: ["codebuild:StartBuild", "codebuild:StartBuildBatch"] }], effect: "run code as a more privileged role in a CodeBuild project" },
    { steps: [PASS, { anyOf: ["sagemaker:CreateNotebookInstance", "sagemaker:CreateTrainingJob", "sagemaker:CreateProcessingJob"] }], effect: "run code as a more privileged role in SageMaker" },
    { steps: [PASS, { anyOf: ["datapipeline:CreatePipeline"] }, { anyOf: ["datapipeline:PutPipelineDefinition"] }], effect: "run commands as a more privileged role through Data Pipeline" },
    { steps: [{ anyOf: ["lambda:UpdateFunctionCode"] }], effect: "replace a function's code and run as its role (code changes belong in `pulumi up`)" },
    { steps: [{ anyOf: ["lambda:UpdateFunctionConfiguration"] }], effect: "change a function's layers, environment or role and run as its role (changes belong in `pulumi up`)" },
    { steps: [PASS, { anyOf: ["ecs:RegisterTaskDefinition"] }, { anyOf: ["ecs:RunTask", "ecs:StartTask", "ecs:CreateService", "ecs:UpdateService"] }], effect: "run code as a more privileged role in a new ECS task" },
    { steps: [{ anyOf: ["ssm:SendCommand", "ssm:StartSession"], on: "all resources" }], effect: "run commands on, or open a shell in, any managed instance and act as its role" },
    {
        steps: [
            { anyOf: ["sso:PutInlinePolicyToPermissionSet", "sso:AttachManagedPolicyToPermissionSet", "sso:AttachCustomerManagedPolicyReferenceToPermissionSet", "sso:PutPermissionsBoundaryToPermissionSet", "sso:DeletePermissionsBoundaryFromPermissionSet"] },
            { anyOf: ["sso:ProvisionPermissionSet"] },
        ],
        effect: "rewrite an IAM Identity Center permission set's policies or boundary and provision it to the accounts",
    },
    { steps: [{ anyOf: ["sso:CreateAccountAssignment"] }], effect: "assign any user or group (itself included) a more privileged permission set in any account" },
    { steps: [{ anyOf: ["identitystore:CreateGroupMembership"] }], effect: "add a user to an Identity Center group that holds more privileged permission sets" },
    { steps: [{ anyOf: ["sts:AssumeRole"], on: "any role" }], effect: "assume any role whose trust policy admits the account" },
    { steps: [{ ...PASS }], effect: "hand any role, including admin roles, to a service" },
];

/** Every action an escalation step names: the only questions the check ever asks of a statement. */
const ESCALATION_ACTIONS = [...new Set(escalationPaths.flatMap((p) => p.steps.flatMap((step) => step.anyOf)))];

// A boundary's statements are shared by every principal it bounds: asking each statement once, for all escalation
// actions, keeps the check linear in statements rather than in principals x statements x actions.
const coverage = new WeakMap<IamStatement, ReadonlySet<string>>();
function escalationActionsCoveredBy(s: IamStatement): ReadonlySet<string> {
    let covered = coverage.get(s);
    if (!covered) {
        covered = new Set(ESCALATION_ACTIONS.filter((a) => statementCoversAction(s, a)));
        coverage.set(s, covered);
    }
    return covered;
}

/** Where a step was granted. */
export interface StepGrant {
    action: string;
    grant: Grant;
    statement: IamStatement;
}

export interface EscalationFinding {
    path: EscalationPath;
    grants: StepGrant[];
}

/** The statements of one principal, split once so each action is a short scan. */
class PrincipalPermissions {
    private readonly allows: { grant: Grant; statement: IamStatement }[] = [];
    private readonly denies: IamStatement[] = [];
    private readonly boundaryAllows: IamStatement[] = [];
    private readonly hasBoundary: boolean;
    private readonly cache = new Map<string, StepGrant | null>();

    constructor(node: PrincipalNode) {
        for (const grant of node.grants) {
            for (const statement of grant.doc.statements) {
                if (statement.effect === "Allow") this.allows.push({ grant, statement });
                else if (isUnconditionalDenyOnAll(statement)) this.denies.push(statement);
            }
        }
        for (const b of node.boundaries) {
            for (const statement of b.doc.statements) {
                if (statement.effect === "Allow") this.boundaryAllows.push(statement);
                else if (isUnconditionalDenyOnAll(statement)) this.denies.push(statement);
            }
        }
        this.hasBoundary = node.boundaries.length > 0;
    }

    allowed(action: string, on: Scope | undefined): StepGrant | undefined {
        const key = on ? `${action} ${on}` : action;
        const cached = this.cache.get(key);
        if (cached !== undefined) return cached ?? undefined;
        const result = this.evaluate(action, on ? SCOPES[on] : undefined);
        this.cache.set(key, result ?? null);
        return result;
    }

    private evaluate(action: string, inScope: ((s: IamStatement) => boolean) | undefined): StepGrant | undefined {
        const covers = (s: IamStatement) => escalationActionsCoveredBy(s).has(action);
        if (this.denies.some(covers)) return undefined;
        if (this.hasBoundary && !this.boundaryAllows.some((s) => covers(s) && (!inScope || inScope(s)))) return undefined;
        for (const { grant, statement } of this.allows) {
            if (!covers(statement)) continue;
            if (inScope && !inScope(statement)) continue;
            return { action, grant, statement };
        }
        return undefined;
    }
}

/** Every escalation path open to the principal. */
export function escalationsOf(node: PrincipalNode): EscalationFinding[] {
    if (node.grants.length === 0) return [];
    // Most principals are allowed no escalation action at all: one set lookup per statement settles them.
    const mayEscalate = node.grants.some((g) =>
        g.doc.statements.some((s) => s.effect === "Allow" && escalationActionsCoveredBy(s).size > 0));
    if (!mayEscalate) return [];
    const permissions = new PrincipalPermissions(node);
    const out: EscalationFinding[] = [];
    for (const path of escalationPaths) {
        const grants: StepGrant[] = [];
        for (const step of path.steps) {
            let found: StepGrant | undefined;
            for (const action of step.anyOf) {
                found = permissions.allowed(action, step.on);
                if (found) break;
            }
            if (!found) break;
            grants.push(found);
        }
        if (grants.length === path.steps.length) out.push({ path, grants });
    }
    return out;
}

/** `iam:PassRole (RolePolicy 'x' policy statement 0) + ec2:RunInstances (...)`. */
export function describeFinding(f: EscalationFinding): string {
    const steps = f.grants.map((g) => {
        const on = f.path.steps.find((s) => s.anyOf.includes(g.action))?.on;
        const scope = on === "all resources" ? " on all resources" : on === "any role" ? " on any role" : "";
        return `${g.action}${scope} (${g.grant.label} ${statementLabel(g.statement)})`;
    });
    return `${steps.join(" + ")}: can ${f.path.effect}`;
}
