// Known IAM privilege-escalation paths and their evaluation over everything that reaches one principal. The paths
// follow Rhino Security Labs' catalogue of AWS privilege-escalation methods, the edges of NCC Group's pmapper,
// Cloudsplaining's list and Datadog's pathfinding.cloud, limited to what one principal's own permissions decide.
// A path counts when every one of its steps is effectively allowed: some grant Allows the action on a resource the
// step can use, with no condition AWS documents as limiting it to something harmless (iam:PolicyARN,
// iam:PermissionsBoundary, iam:PassedToService, resource-tag ABAC), no unconditional Deny on all resources removes it, and the
// principal's permissions boundary (when it is in the stack and readable) Allows it too.

import {
    INSTANCE_ARNS, IamDocument, IamStatement, USER_ARN, appliesToAllResources, hasWildcard, isAllResources,
    isUnconditionalDenyOnAll, isWildcardRoleResource, reachesAny, statementCoversAction, statementLabel,
} from "./iamDocument";
import { intersects, wildcardMatcher } from "./wildcard";
import { isRestrictingOperator } from "./publicAccess";
import type { Grant, PrincipalNode } from "./principalGraph";
import { MemoWeakMap } from "./memo";

/** Which resources a step must be granted on to count, and how the message names them. */
interface Scope {
    label: string;
    reaches(resource: string): boolean;
}

/** `arn:aws:iam::*:user/${aws:username}`: only the caller's own user (IAM actions never cross accounts). */
const SELF_USER = /:user\/(?:[^*?]*\/)?\$\{aws:username\}$/i;

const SCOPES = {
    /** `*`, or an ARN pattern that matches every ARN. */
    all: { label: "all resources", reaches: isAllResources },
    /** `*`, or a pattern with a wildcard that can name a role (`arn:aws:iam::*`, `...:role/app-*`); never one exact role. */
    anyRole: { label: "any role", reaches: isWildcardRoleResource },
    /** Users other than the caller: a self-service Resource (`user/${aws:username}`) is not another user. */
    otherUsers: { label: "other users", reaches: (r: string) => !SELF_USER.test(r) && intersects(r, USER_ARN) },
    /** `*`, or a pattern with a wildcard that can name an EC2 instance or SSM managed instance. */
    anyInstance: { label: "any instance", reaches: (r: string) => INSTANCE_ARNS.some((t) => reachesAny(r, t)) },
    anyTask: { label: "any ECS task", reaches: (r: string) => reachesAny(r, "arn:%:ecs:%:%:task/%") },
    anyProject: { label: "any CodeBuild project", reaches: (r: string) => reachesAny(r, "arn:%:codebuild:%:%:project/%") },
} satisfies Record<string, Scope>;

interface Step {
    /** Any one of these actions satisfies the step. */
    anyOf: string[];
    /** The step counts only when granted on these (default: on any resource the statement names). */
    on?: Scope;
    /** iam:PassRole for this path: the services the role is passed to (an iam:PassedToService condition naming none of them closes it). */
    passedTo?: string[];
}

export interface EscalationPath {
    steps: Step[];
    /** What the principal can do with it, for the message. */
    effect: string;
}

/** iam:PassRole on one exact role is the least-privilege way to deploy, not an escalation. */
const PASS: Step = { anyOf: ["iam:PassRole"], on: SCOPES.anyRole };
const step = (...anyOf: string[]): Step => ({ anyOf });
const passTo = (...services: string[]): Step => ({ ...PASS, passedTo: services });

export const escalationPaths: EscalationPath[] = [
    // IAM permissions on policies, principals and trust.
    { steps: [step("iam:CreatePolicyVersion")], effect: "publish a new default version of a managed policy that grants anything" },
    { steps: [step("iam:SetDefaultPolicyVersion")], effect: "switch a managed policy to a more permissive older version" },
    { steps: [step("iam:AttachUserPolicy", "iam:AttachGroupPolicy", "iam:AttachRolePolicy")], effect: "attach any managed policy (e.g. AdministratorAccess) to a principal" },
    { steps: [step("iam:PutUserPolicy", "iam:PutGroupPolicy", "iam:PutRolePolicy")], effect: "write an inline policy granting anything to a principal" },
    { steps: [{ anyOf: ["iam:CreateAccessKey"], on: SCOPES.otherUsers }], effect: "create access keys for another user and act as them" },
    { steps: [{ anyOf: ["iam:CreateLoginProfile", "iam:UpdateLoginProfile"], on: SCOPES.otherUsers }], effect: "set a console password for another user and sign in as them" },
    { steps: [step("iam:UpdateAssumeRolePolicy")], effect: "rewrite a role's trust policy so that it can assume the role" },
    { steps: [step("iam:AddUserToGroup")], effect: "add a user to a more privileged group" },
    {
        steps: [step("iam:DeleteRolePermissionsBoundary", "iam:DeleteUserPermissionsBoundary", "iam:PutRolePermissionsBoundary", "iam:PutUserPermissionsBoundary")],
        effect: "remove or replace the permissions boundary that limits a principal",
    },
    { steps: [{ anyOf: ["sts:AssumeRole"], on: SCOPES.anyRole }], effect: "assume any role whose trust policy admits the account" },
    // A service runs code, chosen by the principal, as a role it passes.
    { steps: [passTo("lambda.amazonaws.com"), step("lambda:CreateFunction"), step("lambda:InvokeFunction", "lambda:CreateEventSourceMapping", "lambda:AddPermission", "lambda:CreateFunctionUrlConfig")], effect: "run code as a more privileged role through a new Lambda function" },
    { steps: [passTo("ec2.amazonaws.com"), step("ec2:RunInstances", "ec2:RequestSpotInstances")], effect: "run code as a more privileged role on a new EC2 instance" },
    { steps: [passTo("ec2.amazonaws.com"), step("ec2:AssociateIamInstanceProfile", "ec2:ReplaceIamInstanceProfileAssociation")], effect: "attach a more privileged role to an instance it can reach" },
    {
        steps: [passTo("ec2.amazonaws.com", "autoscaling.amazonaws.com"), step("ec2:CreateLaunchTemplate", "ec2:CreateLaunchTemplateVersion", "autoscaling:CreateLaunchConfiguration"), step("autoscaling:CreateAutoScalingGroup", "autoscaling:UpdateAutoScalingGroup", "ec2:ModifyLaunchTemplate")],
        effect: "launch instances running its code as a more privileged role through an Auto Scaling group",
    },
    { steps: [passTo("glue.amazonaws.com"), step("glue:CreateDevEndpoint")], effect: "run code as a more privileged role on a Glue development endpoint" },
    { steps: [passTo("glue.amazonaws.com"), step("glue:CreateJob", "glue:UpdateJob"), step("glue:StartJobRun")], effect: "run code as a more privileged role in a Glue job" },
    { steps: [passTo("glue.amazonaws.com"), step("glue:CreateSession"), step("glue:RunStatement")], effect: "run code as a more privileged role in a Glue interactive session" },
    { steps: [passTo("cloudformation.amazonaws.com"), step("cloudformation:CreateStack", "cloudformation:UpdateStack", "cloudformation:CreateStackSet", "cloudformation:UpdateStackSet")], effect: "create resources as a more privileged role through CloudFormation" },
    { steps: [passTo("cloudformation.amazonaws.com"), step("cloudformation:CreateChangeSet"), step("cloudformation:ExecuteChangeSet")], effect: "create resources as a more privileged role through a CloudFormation change set" },
    { steps: [passTo("codebuild.amazonaws.com"), step("codebuild:CreateProject", "codebuild:UpdateProject"), step("codebuild:StartBuild", "codebuild:StartBuildBatch")], effect: "run code as a more privileged role in a CodeBuild project" },
    { steps: [passTo("codestar.amazonaws.com"), step("codestar:CreateProject", "codestar:CreateProjectFromTemplate")], effect: "create resources as a more privileged role through a CodeStar project" },
    { steps: [passTo("sagemaker.amazonaws.com"), step("sagemaker:CreateNotebookInstance", "sagemaker:CreateTrainingJob", "sagemaker:CreateProcessingJob")], effect: "run code as a more privileged role in SageMaker" },
    { steps: [passTo("datapipeline.amazonaws.com", "elasticmapreduce.amazonaws.com"), step("datapipeline:CreatePipeline"), step("datapipeline:PutPipelineDefinition")], effect: "run commands as a more privileged role through Data Pipeline" },
    { steps: [passTo("ecs-tasks.amazonaws.com", "ecs.amazonaws.com"), step("ecs:RegisterTaskDefinition"), step("ecs:RunTask", "ecs:StartTask", "ecs:CreateService", "ecs:UpdateService")], effect: "run code as a more privileged role in a new ECS task" },
    { steps: [passTo("batch.amazonaws.com", "ecs-tasks.amazonaws.com"), step("batch:RegisterJobDefinition"), step("batch:SubmitJob")], effect: "run code as a more privileged role in an AWS Batch job" },
    { steps: [passTo("tasks.apprunner.amazonaws.com", "build.apprunner.amazonaws.com"), step("apprunner:CreateService")], effect: "run code as a more privileged role in an App Runner service" },
    { steps: [passTo("states.amazonaws.com"), step("states:CreateStateMachine", "states:UpdateStateMachine"), step("states:StartExecution", "states:StartSyncExecution")], effect: "call any API as a more privileged role through a Step Functions state machine" },
    { steps: [passTo("elasticmapreduce.amazonaws.com", "ec2.amazonaws.com"), step("elasticmapreduce:RunJobFlow")], effect: "run code as a more privileged role on a new EMR cluster" },
    // Taking over what already runs as a role.
    { steps: [step("lambda:UpdateFunctionCode")], effect: "replace a function's code and run as its role (code changes belong in `pulumi up`)" },
    { steps: [step("lambda:UpdateFunctionConfiguration")], effect: "change a function's layers, environment or role and run as its role (changes belong in `pulumi up`)" },
    { steps: [step("glue:UpdateDevEndpoint")], effect: "add its SSH key to an existing Glue development endpoint and act as the endpoint's role" },
    { steps: [step("sagemaker:CreatePresignedNotebookInstanceUrl")], effect: "open an existing SageMaker notebook and act as the notebook's role" },
    { steps: [{ anyOf: ["codebuild:StartBuild", "codebuild:StartBuildBatch"], on: SCOPES.anyProject }], effect: "start any CodeBuild project with its own buildspec and act as the project's role" },
    { steps: [{ anyOf: ["ssm:SendCommand", "ssm:StartSession"], on: SCOPES.anyInstance }], effect: "run commands on, or open a shell in, any managed instance and act as its role" },
    { steps: [{ anyOf: ["ec2-instance-connect:SendSSHPublicKey", "ec2-instance-connect:SendSerialConsoleSSHPublicKey"], on: SCOPES.anyInstance }], effect: "push its SSH key to any instance, log in and act as the instance's role" },
    { steps: [{ anyOf: ["ecs:ExecuteCommand"], on: SCOPES.anyTask }], effect: "open a shell in any running ECS task and act as its task role" },
    // IAM Identity Center.
    {
        steps: [
            step("sso:PutInlinePolicyToPermissionSet", "sso:AttachManagedPolicyToPermissionSet", "sso:AttachCustomerManagedPolicyReferenceToPermissionSet", "sso:PutPermissionsBoundaryToPermissionSet", "sso:DeletePermissionsBoundaryFromPermissionSet"),
            step("sso:ProvisionPermissionSet"),
        ],
        effect: "rewrite an IAM Identity Center permission set's policies or boundary and provision it to the accounts",
    },
    { steps: [step("sso:CreateAccountAssignment")], effect: "assign any user or group (itself included) a more privileged permission set in any account" },
    { steps: [step("identitystore:CreateGroupMembership")], effect: "add a user to an Identity Center group that holds more privileged permission sets" },
    { steps: [PASS], effect: "hand any role, including admin roles, to a service" },
];

/** Every action an escalation step names: the only questions the check ever asks of a statement. */
const ESCALATION_ACTIONS = [...new Set(escalationPaths.flatMap((p) => p.steps.flatMap((s) => s.anyOf)))];

// A boundary's statements are shared by every principal it bounds: asking each statement once, for all escalation
// actions, keeps the check linear in statements rather than in principals x statements x actions.
const coverage = new MemoWeakMap<IamStatement, ReadonlySet<string>>();
function escalationActionsCoveredBy(s: IamStatement): ReadonlySet<string> {
    let covered = coverage.get(s);
    // Stryker disable next-line ConditionalExpression,BlockStatement: a memo; recomputing gives the same set
    if (!covered) {
        covered = new Set(ESCALATION_ACTIONS.filter((a) => statementCoversAction(s, a)));
        // Stryker disable next-line CallExpression: a memo; recomputing gives the same set
        coverage.set(s, covered);
    }
    return covered;
}

/** Reads managed policies by ARN (in the stack, or AWS managed) to judge what a condition lets through. */
export interface PolicyLookup {
    (arn: string): IamDocument | undefined;
}

/** Where a step was granted, on what, and what limits it. */
export interface StepGrant {
    action: string;
    grant: Grant;
    statement: IamStatement;
    /** `on arn:aws:iam::*:user/*`, `only arn:aws:iam::aws:policy/AdministratorAccess (...)`, for the message. */
    reach: string;
}

export interface EscalationFinding {
    path: EscalationPath;
    grants: StepGrant[];
}

/** Actions that change a resource's tags, so resource-tag ABAC does not hold against them. */
function taggingActions(action: string): string[] {
    const service = action.slice(0, action.indexOf(":"));
    return ["tag:TagResources", "iam:TagRole", "iam:TagUser", `${service}:TagResource`, `${service}:TagResources`,
        `${service}:CreateTags`, `${service}:AddTagsToResource`, `${service}:AddTags`];
}

const ATTACH_ACTIONS = new Set(["iam:attachuserpolicy", "iam:attachgrouppolicy", "iam:attachrolepolicy"]);
const DESCRIBE_LIMIT = 3;

const list = (values: string[]) => values.slice(0, DESCRIBE_LIMIT).join(", ") + (values.length > DESCRIBE_LIMIT ? ", ..." : "");

/** The statements of one principal, split once so each action is a short scan. */
class PrincipalPermissions {
    private readonly allows: { grant: Grant; statement: IamStatement }[] = [];
    private readonly denies: IamStatement[] = [];
    private readonly boundaryAllows: IamStatement[] = [];
    private readonly hasBoundary: boolean;
    private readonly cache = new Map<string, StepGrant | null>();

    constructor(node: PrincipalNode, private readonly lookup: PolicyLookup | undefined, private readonly depth: number) {
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

    allowed(action: string, on: Scope | undefined, passedTo?: string[]): StepGrant | undefined {
        // Stryker disable next-line LogicalOperator,StringLiteral: a memo key; under each of these mutants different questions still get different keys
        const key = `${action} ${on?.label ?? ""} ${passedTo?.join(",") ?? ""}`;
        const cached = this.cache.get(key);
        // Stryker disable next-line ConditionalExpression: a memo; evaluating again gives the same grant
        if (cached !== undefined) return cached ?? undefined;
        const result = this.evaluate(action, on, passedTo);
        this.cache.set(key, result ?? null);
        return result;
    }

    /** Whether the principal may call any of `actions` (not only escalation actions), on some resource. */
    private mayCallAny(actions: string[]): boolean {
        const ok = (s: IamStatement) => actions.some((a) => statementCoversAction(s, a));
        if (this.denies.some(ok)) return false;
        if (this.hasBoundary && !this.boundaryAllows.some(ok)) return false;
        return this.allows.some(({ statement }) => ok(statement));
    }

    /** The resources of `s` the step can use, or undefined when none. */
    private reach(s: IamStatement, on: Scope | undefined): string[] | undefined {
        if (s.notResource) return [`every resource except ${list(s.notResource)}`];
        const reached = (s.resource ?? []).filter((r) => (on ? on.reaches(r) : true));
        return reached.length ? reached : undefined;
    }

    /**
     * What the statement's conditions let through for `action` (a note for the message), or null when a condition
     * AWS documents as limiting keeps it harmless: iam:PolicyARN naming only policies that grant no escalation,
     * iam:PermissionsBoundary naming only boundaries that hold, iam:PassedToService naming none of the path's
     * services, or resource-tag ABAC the principal cannot defeat by retagging.
     */
    private conditionsLetThrough(s: IamStatement, action: string, passedTo: string[] | undefined): string | null {
        let note = "";
        for (const c of s.conditions) {
            if (c.unknown || !isRestrictingOperator(c.operator) || c.values.length === 0) continue;
            if (c.key === "iam:passedtoservice" && passedTo) {
                if (!c.values.some((v) => !v.includes("${") && passedTo.some((svc) => wildcardMatcher(v).test(svc)))) return null;
            } else if (c.key === "iam:policyarn" && ATTACH_ACTIONS.has(action.toLowerCase())) {
                const open = c.values.map((v) => [v, this.policyOpens(v)] as const).filter(([, why]) => why !== undefined);
                if (open.length === 0) return null;
                note += ` (iam:PolicyARN admits ${open.map(([v, why]) => `${v}, ${why}`).join("; ")})`;
            } else if (c.key === "iam:permissionsboundary") {
                const open = c.values.map((v) => [v, this.policyOpens(v)] as const).filter(([, why]) => why !== undefined);
                if (open.length === 0) return null;
                note += ` (iam:PermissionsBoundary admits ${open.map(([v, why]) => `${v}, ${why}`).join("; ")})`;
            } else if (/^[a-z0-9-]+:resourcetag\//.test(c.key)) {
                const tagging = taggingActions(action);
                if (!this.mayCallAny(tagging)) return null;
                note += ` (its ${c.key} condition does not hold: the principal can retag resources)`;
            }
        }
        return note;
    }

    /** Why a policy named in a condition still opens the path, or undefined when it does not. */
    private policyOpens(arn: string): string | undefined {
        if (hasWildcard(arn) || arn.includes("${")) return "a pattern any policy can match";
        const doc = this.lookup?.(arn);
        if (!doc) return undefined; // a policy outside the stack cannot be read and is not judged
        return permissiveness(doc, this.lookup, this.depth + 1);
    }

    private evaluate(action: string, on: Scope | undefined, passedTo: string[] | undefined): StepGrant | undefined {
        const covers = (s: IamStatement) => escalationActionsCoveredBy(s).has(action);
        if (this.denies.some(covers)) return undefined;
        if (this.hasBoundary && !this.boundaryAllows.some((s) => covers(s) && this.reach(s, on))) return undefined;
        for (const { grant, statement } of this.allows) {
            if (!covers(statement)) continue;
            const reached = this.reach(statement, on);
            if (!reached) continue;
            const note = this.conditionsLetThrough(statement, action, passedTo);
            if (note === null) continue;
            const on_ = on ? `on ${on.label} (${list(reached)})` : `on ${list(reached)}`;
            return { action, grant, statement, reach: `${on_}${note}` };
        }
        return undefined;
    }
}

/**
 * Why a policy document used as a grant or a boundary holds nothing back, or undefined when it does: it allows an
 * escalation path by itself (its own Denies counted), or it allows every action (Action `*` or NotAction) on every
 * resource and denies nothing.
 */
// A boundary is shared by every principal it bounds (and one document string by every copy of it): judge it once.
const judged = new MemoWeakMap<IamDocument, Map<PolicyLookup | undefined, string | undefined>>();

export function permissiveness(doc: IamDocument, lookup?: PolicyLookup, depth = 0): string | undefined {
    let byLookup = judged.get(doc);
    // Stryker disable next-line ConditionalExpression: a memo; a fresh table judges the same
    if (!byLookup) judged.set(doc, (byLookup = new Map()));
    // Stryker disable next-line ConditionalExpression: a memo; judging again gives the same answer
    if (byLookup.has(lookup)) return byLookup.get(lookup);
    const why = judge(doc, lookup, depth);
    // Stryker disable next-line CallExpression: a memo; judging again gives the same answer
    byLookup.set(lookup, why);
    return why;
}

function judge(doc: IamDocument, lookup: PolicyLookup | undefined, depth: number): string | undefined {
    const denies = doc.statements.some((s) => s.effect !== "Allow");
    const all = doc.statements.find((s) => (s.action?.includes("*") || s.notAction) &&
        appliesToAllResources(s) && s.conditions.length === 0);
    if (all && !denies) return all.notAction ? `which allows every action except ${list(all.notAction)}` : "which allows every action";
    // Conditions may name further policies: two levels are enough to judge them, deeper chains count as open.
    if (depth > 2) return "which names further policies";
    // Stryker disable next-line StringLiteral: the label of this stand-in principal's grant appears in no message
    const node = { resource: undefined as never, kind: "role" as const, grants: [{ label: "", doc }], boundaries: [] };
    const found = escalationsOf(node, lookup, depth);
    return found.length ? `which allows ${found[0].grants.map((g) => g.action).join(" + ")} (${found[0].path.effect})` : undefined;
}

/** Every escalation path open to the principal. */
export function escalationsOf(node: PrincipalNode, lookup?: PolicyLookup, depth = 0): EscalationFinding[] {
    // Most principals are allowed no escalation action at all: one set lookup per statement settles them.
    // Stryker disable ConditionalExpression,LogicalOperator,EqualityOperator: a fast path; without it the paths are evaluated and find nothing
    const mayEscalate = node.grants.some((g) =>
        g.doc.statements.some((s) => s.effect === "Allow" && escalationActionsCoveredBy(s).size > 0));
    if (!mayEscalate) return [];
    // Stryker restore ConditionalExpression,LogicalOperator,EqualityOperator
    const permissions = new PrincipalPermissions(node, lookup, depth);
    const out: EscalationFinding[] = [];
    for (const path of escalationPaths) {
        const grants: StepGrant[] = [];
        for (const s of path.steps) {
            let found: StepGrant | undefined;
            for (const action of s.anyOf) {
                found = permissions.allowed(action, s.on, s.passedTo);
                if (found) break;
            }
            if (!found) break;
            grants.push(found);
        }
        if (grants.length === path.steps.length) out.push({ path, grants });
    }
    return out;
}

/** `iam:PassRole on arn:aws:iam::*:role/* (RolePolicy 'x' policy statement 0) + ec2:RunInstances on * (...)`. */
export function describeFinding(f: EscalationFinding): string {
    const steps = f.grants.map((g) => `${g.action} ${g.reach} (${g.grant.label} ${statementLabel(g.statement)})`);
    return `${steps.join(" + ")}: can ${f.path.effect}`;
}
