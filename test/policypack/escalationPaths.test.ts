// One reproduction per escalation path: the smallest grant that opens it (each alternative action of each step on
// its own), that without any one step it stays closed, and, for paths that pass a role, which iam:PassedToService
// values keep it open. The expected actions and messages are written out here, not read from the pack's table.

import * as assert from "assert";
import { EscalationFinding, describeFinding, escalationsOf } from "../../policypack/lib/escalation";
import { readIamDocument, isDocumentError } from "../../policypack/lib/iamDocument";
import type { PrincipalNode } from "../../policypack/lib/principalGraph";

/** A role holding one inline document with one statement per entry. */
function principal(...statements: object[]): PrincipalNode {
    const doc = readIamDocument({ Version: "2012-10-17", Statement: statements });
    if (isDocumentError(doc)) throw new Error(doc.error);
    return { resource: undefined as never, kind: "role", grants: [{ label: "RolePolicy 'p' policy", doc }], boundaries: [] };
}
/** Allows `Action` on `Resource`; iam:PassRole always on every role. */
const allowOn = (Resource: string) => (Action: string) => ({ Effect: "Allow", Action, Resource: Action === "iam:PassRole" ? "*" : Resource });
const effects = (fs: EscalationFinding[]) => fs.map((f) => f.path.effect);

interface Path {
    effect: string;
    /** Each step's alternatives; the first step of a role-passing path is iam:PassRole. */
    steps: string[][];
    /** For role-passing paths: the services an iam:PassedToService condition may name and keep the path open. */
    passedTo?: string[];
    /** A Resource every step accepts (default `*`). */
    on?: string;
}

const PASS = ["iam:PassRole"];
const PATHS: Path[] = [
    { effect: "publish a new default version of a managed policy that grants anything", steps: [["iam:CreatePolicyVersion"]] },
    { effect: "switch a managed policy to a more permissive older version", steps: [["iam:SetDefaultPolicyVersion"]] },
    { effect: "attach any managed policy (e.g. AdministratorAccess) to a principal", steps: [["iam:AttachUserPolicy", "iam:AttachGroupPolicy", "iam:AttachRolePolicy"]] },
    { effect: "write an inline policy granting anything to a principal", steps: [["iam:PutUserPolicy", "iam:PutGroupPolicy", "iam:PutRolePolicy"]] },
    { effect: "create access keys for another user and act as them", steps: [["iam:CreateAccessKey"]] },
    { effect: "set a console password for another user and sign in as them", steps: [["iam:CreateLoginProfile", "iam:UpdateLoginProfile"]] },
    { effect: "rewrite a role's trust policy so that it can assume the role", steps: [["iam:UpdateAssumeRolePolicy"]] },
    { effect: "add a user to a more privileged group", steps: [["iam:AddUserToGroup"]] },
    {
        effect: "remove or replace the permissions boundary that limits a principal",
        steps: [["iam:DeleteRolePermissionsBoundary", "iam:DeleteUserPermissionsBoundary", "iam:PutRolePermissionsBoundary", "iam:PutUserPermissionsBoundary"]],
    },
    { effect: "assume any role whose trust policy admits the account", steps: [["sts:AssumeRole"]] },
    {
        effect: "run code as a more privileged role through a new Lambda function", passedTo: ["lambda.amazonaws.com"],
        steps: [PASS, ["lambda:CreateFunction"], ["lambda:InvokeFunction", "lambda:CreateEventSourceMapping", "lambda:AddPermission", "lambda:CreateFunctionUrlConfig"]],
    },
    { effect: "run code as a more privileged role on a new EC2 instance", passedTo: ["ec2.amazonaws.com"], steps: [PASS, ["ec2:RunInstances", "ec2:RequestSpotInstances"]] },
    {
        effect: "attach a more privileged role to an instance it can reach", passedTo: ["ec2.amazonaws.com"],
        steps: [PASS, ["ec2:AssociateIamInstanceProfile", "ec2:ReplaceIamInstanceProfileAssociation"]],
    },
    {
        effect: "launch instances running its code as a more privileged role through an Auto Scaling group", passedTo: ["ec2.amazonaws.com", "autoscaling.amazonaws.com"],
        steps: [PASS, ["ec2:CreateLaunchTemplate", "ec2:CreateLaunchTemplateVersion", "autoscaling:CreateLaunchConfiguration"], ["autoscaling:CreateAutoScalingGroup", "autoscaling:UpdateAutoScalingGroup", "ec2:ModifyLaunchTemplate"]],
    },
    { effect: "run code as a more privileged role on a Glue development endpoint", passedTo: ["glue.amazonaws.com"], steps: [PASS, ["glue:CreateDevEndpoint"]] },
    { effect: "run code as a more privileged role in a Glue job", passedTo: ["glue.amazonaws.com"], steps: [PASS, ["glue:CreateJob", "glue:UpdateJob"], ["glue:StartJobRun"]] },
    { effect: "run code as a more privileged role in a Glue interactive session", passedTo: ["glue.amazonaws.com"], steps: [PASS, ["glue:CreateSession"], ["glue:RunStatement"]] },
    {
        effect: "create resources as a more privileged role through CloudFormation", passedTo: ["cloudformation.amazonaws.com"],
        steps: [PASS, ["cloudformation:CreateStack", "cloudformation:UpdateStack", "cloudformation:CreateStackSet", "cloudformation:UpdateStackSet"]],
    },
    {
        effect: "create resources as a more privileged role through a CloudFormation change set", passedTo: ["cloudformation.amazonaws.com"],
        steps: [PASS, ["cloudformation:CreateChangeSet"], ["cloudformation:ExecuteChangeSet"]],
    },
    {
        effect: "run code as a more privileged role in a CodeBuild project", passedTo: ["codebuild.amazonaws.com"],
        // On one named project, so that codebuild:StartBuild does not also open the any-project path.
        on: "arn:aws:codebuild:us-east-1:123456789012:project/build",
        steps: [PASS, ["codebuild:CreateProject", "codebuild:UpdateProject"], ["codebuild:StartBuild", "codebuild:StartBuildBatch"]],
    },
    {
        effect: "create resources as a more privileged role through a CodeStar project", passedTo: ["codestar.amazonaws.com"],
        steps: [PASS, ["codestar:CreateProject", "codestar:CreateProjectFromTemplate"]],
    },
    {
        effect: "run code as a more privileged role in SageMaker", passedTo: ["sagemaker.amazonaws.com"],
        steps: [PASS, ["sagemaker:CreateNotebookInstance", "sagemaker:CreateTrainingJob", "sagemaker:CreateProcessingJob"]],
    },
    {
        effect: "run commands as a more privileged role through Data Pipeline", passedTo: ["datapipeline.amazonaws.com", "elasticmapreduce.amazonaws.com"],
        steps: [PASS, ["datapipeline:CreatePipeline"], ["datapipeline:PutPipelineDefinition"]],
    },
    {
        effect: "run code as a more privileged role in a new ECS task", passedTo: ["ecs-tasks.amazonaws.com", "ecs.amazonaws.com"],
        steps: [PASS, ["ecs:RegisterTaskDefinition"], ["ecs:RunTask", "ecs:StartTask", "ecs:CreateService", "ecs:UpdateService"]],
    },
    {
        effect: "run code as a more privileged role in an AWS Batch job", passedTo: ["batch.amazonaws.com", "ecs-tasks.amazonaws.com"],
        steps: [PASS, ["batch:RegisterJobDefinition"], ["batch:SubmitJob"]],
    },
    {
        effect: "run code as a more privileged role in an App Runner service", passedTo: ["tasks.apprunner.amazonaws.com", "build.apprunner.amazonaws.com"],
        steps: [PASS, ["apprunner:CreateService"]],
    },
    {
        effect: "call any API as a more privileged role through a Step Functions state machine", passedTo: ["states.amazonaws.com"],
        steps: [PASS, ["states:CreateStateMachine", "states:UpdateStateMachine"], ["states:StartExecution", "states:StartSyncExecution"]],
    },
    {
        effect: "run code as a more privileged role on a new EMR cluster", passedTo: ["elasticmapreduce.amazonaws.com", "ec2.amazonaws.com"],
        steps: [PASS, ["elasticmapreduce:RunJobFlow"]],
    },
    { effect: "replace a function's code and run as its role (code changes belong in `pulumi up`)", steps: [["lambda:UpdateFunctionCode"]] },
    { effect: "change a function's layers, environment or role and run as its role (changes belong in `pulumi up`)", steps: [["lambda:UpdateFunctionConfiguration"]] },
    { effect: "add its SSH key to an existing Glue development endpoint and act as the endpoint's role", steps: [["glue:UpdateDevEndpoint"]] },
    { effect: "open an existing SageMaker notebook and act as the notebook's role", steps: [["sagemaker:CreatePresignedNotebookInstanceUrl"]] },
    { effect: "start any CodeBuild project with its own buildspec and act as the project's role", steps: [["codebuild:StartBuild", "codebuild:StartBuildBatch"]] },
    { effect: "run commands on, or open a shell in, any managed instance and act as its role", steps: [["ssm:SendCommand", "ssm:StartSession"]] },
    {
        effect: "push its SSH key to any instance, log in and act as the instance's role",
        steps: [["ec2-instance-connect:SendSSHPublicKey", "ec2-instance-connect:SendSerialConsoleSSHPublicKey"]],
    },
    { effect: "open a shell in any running ECS task and act as its task role", steps: [["ecs:ExecuteCommand"]] },
    {
        effect: "rewrite an IAM Identity Center permission set's policies or boundary and provision it to the accounts",
        steps: [
            ["sso:PutInlinePolicyToPermissionSet", "sso:AttachManagedPolicyToPermissionSet", "sso:AttachCustomerManagedPolicyReferenceToPermissionSet",
                "sso:PutPermissionsBoundaryToPermissionSet", "sso:DeletePermissionsBoundaryFromPermissionSet"],
            ["sso:ProvisionPermissionSet"],
        ],
    },
    { effect: "assign any user or group (itself included) a more privileged permission set in any account", steps: [["sso:CreateAccountAssignment"]] },
    { effect: "add a user to an Identity Center group that holds more privileged permission sets", steps: [["identitystore:CreateGroupMembership"]] },
    { effect: "hand any role, including admin roles, to a service", steps: [PASS] },
];

describe("escalation paths, one reproduction each", () => {
    for (const path of PATHS) {
        const on = path.on ?? "*";
        describe(path.effect, () => {
            path.steps.forEach((alternatives, i) => {
                for (const action of alternatives) {
                    it(`opens with ${action} for step ${i + 1}, naming each step's grant`, () => {
                        const actions = path.steps.map((alts, j) => (j === i ? action : alts[0]));
                        const found = escalationsOf(principal(...actions.map(allowOn(on))), undefined).find((f) => f.path.effect === path.effect);
                        assert.ok(found, `no finding for ${actions.join(" + ")}`);
                        const expected = actions.map((a, j) => `${a} on .*\\(RolePolicy 'p' policy statement ${j}\\)`).join(" \\+ ");
                        assert.match(describeFinding(found), new RegExp(`^${expected}: can ${path.effect.replace(/[().`]/g, "\\$&")}$`));
                    });
                }
            });
            path.steps.forEach((_, i) => {
                it(`stays closed without step ${i + 1}`, () => {
                    const actions = path.steps.filter((__, j) => j !== i).map((alts) => alts[0]);
                    const found = escalationsOf(principal(...actions.map(allowOn(on)), allowOn(on)("s3:GetObject")), undefined);
                    assert.ok(!effects(found).includes(path.effect), `${path.effect} open without ${path.steps[i][0]}`);
                });
            });
            for (const service of path.passedTo ?? []) {
                it(`stays open when iam:PassedToService names ${service}, closed when it names another service`, () => {
                    const passTo = (svc: string) => ({ Effect: "Allow", Action: "iam:PassRole", Resource: "*", Condition: { StringEquals: { "iam:PassedToService": svc } } });
                    const rest = path.steps.slice(1).map((alts) => allowOn(on)(alts[0]));
                    assert.ok(effects(escalationsOf(principal(passTo(service), ...rest), undefined)).includes(path.effect));
                    assert.ok(!effects(escalationsOf(principal(passTo("example.amazonaws.com"), ...rest), undefined)).includes(path.effect));
                });
            }
        });
    }

    it("names no path for a principal without grants or without escalation actions", () => {
        assert.deepStrictEqual(escalationsOf({ ...principal(), grants: [] }, undefined), []);
        assert.deepStrictEqual(escalationsOf(principal(allowOn("*")("s3:GetObject"), allowOn("*")("iam:GetRole")), undefined), []);
    });
});
