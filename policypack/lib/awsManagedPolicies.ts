// AWS managed policies known to be broad. An attachment of one of these counts as what it grants, so a role with
// AdministratorAccess is judged as if it had `Allow * on *` inline. Only the statements that matter to the pack's
// checks are listed (the service-wide and IAM grants, with their conditions dropped: a condition narrows who may
// use a grant, not what it grants). Any other AWS managed policy is treated as granting nothing the pack checks.

import { IamDocument, IamDocumentError, isDocumentError, readIamDocument } from "./iamDocument";

const allow = (Action: string[], NotAction?: string[]) =>
    NotAction ? { Effect: "Allow", NotAction, Resource: "*" } : { Effect: "Allow", Action, Resource: "*" };

const broad: Record<string, object[]> = {
    AdministratorAccess: [allow(["*"])],
    PowerUserAccess: [
        allow([], ["iam:*", "organizations:*", "account:*"]),
        allow(["iam:CreateServiceLinkedRole", "iam:DeleteServiceLinkedRole", "iam:ListRoles", "organizations:DescribeOrganization", "account:ListRegions"]),
    ],
    IAMFullAccess: [allow(["iam:*"])],
    AWSLambda_FullAccess: [allow(["lambda:*", "iam:PassRole"])],
    AWSLambdaFullAccess: [allow(["lambda:*", "iam:PassRole"])],
    AmazonEC2FullAccess: [allow(["ec2:*", "elasticloadbalancing:*", "cloudwatch:*", "autoscaling:*"])],
    AmazonS3FullAccess: [allow(["s3:*", "s3-object-lambda:*"])],
    AmazonDynamoDBFullAccess: [allow(["dynamodb:*"])],
    AmazonSQSFullAccess: [allow(["sqs:*"])],
    AmazonSNSFullAccess: [allow(["sns:*"])],
    AWSCloudFormationFullAccess: [allow(["cloudformation:*"])],
    AmazonSageMakerFullAccess: [allow(["sagemaker:*", "iam:PassRole"])],
    AWSCodeBuildAdminAccess: [allow(["codebuild:*"])],
    AWSGlueConsoleFullAccess: [allow(["glue:*", "iam:PassRole"])],
    SecretsManagerReadWrite: [allow(["secretsmanager:*"])],
    AWSKeyManagementServicePowerUser: [allow(["kms:Create*", "kms:Describe*", "kms:Enable*", "kms:List*", "kms:Put*", "kms:Update*", "kms:Revoke*", "kms:Disable*", "kms:Get*", "kms:Delete*", "kms:TagResource", "kms:UntagResource", "kms:ScheduleKeyDeletion", "kms:CancelKeyDeletion"])],
    AWSOrganizationsFullAccess: [allow(["organizations:*"])],
    AmazonAPIGatewayAdministrator: [allow(["apigateway:*"])],
    AWSStepFunctionsFullAccess: [allow(["states:*"])],
    CloudWatchFullAccess: [allow(["cloudwatch:*", "logs:*", "sns:*", "autoscaling:Describe*"])],
    AWSDataPipeline_FullAccess: [allow(["datapipeline:*", "iam:PassRole"])],
};

const AWS_MANAGED_ARN = /^arn:aws[a-z-]*:iam::aws:policy\/(?:.*\/)?([^/]+)$/;

/** The policy name if `arn` is an AWS managed policy ARN (`arn:aws:iam::aws:policy/...`). */
export function awsManagedPolicyName(arn: string): string | undefined {
    return AWS_MANAGED_ARN.exec(arn)?.[1];
}

const documents = new Map<string, IamDocument>();

/** The broad statements of a known AWS managed policy, or undefined when the pack does not count it as broad. */
export function awsManagedPolicyDocument(name: string): IamDocument | undefined {
    const statements = broad[name];
    if (!statements) return undefined;
    let doc = documents.get(name);
    if (!doc) {
        const parsed: IamDocument | IamDocumentError = readIamDocument({ Version: "2012-10-17", Statement: statements });
        if (isDocumentError(parsed)) throw new Error(`built-in document for ${name} is invalid: ${parsed.error}`);
        doc = parsed;
        documents.set(name, doc);
    }
    return doc;
}

/** Names of the AWS managed policies the pack counts as broad (for the README and tests). */
export const broadAwsManagedPolicies: readonly string[] = Object.keys(broad);
