// The pack's policies, in evaluation order. Kept apart from ../index.ts because constructing the PolicyPack starts
// the policy server; tests, the offline plan/check tools and benchmarks import this array instead.

import { Policies } from "@pulumi/policy";
import { apigatewayRouteRequireAuthorizer } from "./apigatewayRouteRequireAuthorizer";
import { apigatewayStageRequireAccessLogs } from "./apigatewayStageRequireAccessLogs";
import { apigatewayStageRequireThrottling } from "./apigatewayStageRequireThrottling";
import { cloudfrontRequireHttps } from "./cloudfrontRequireHttps";
import { cloudfrontRequireModernTls } from "./cloudfrontRequireModernTls";
import { cloudfrontRequireWaf } from "./cloudfrontRequireWaf";
import { cloudtrailRequireKms } from "./cloudtrailRequireKms";
import { cloudtrailRequireLogValidation } from "./cloudtrailRequireLogValidation";
import { cloudtrailRequireMultiRegion } from "./cloudtrailRequireMultiRegion";
import { cloudwatchLogGroupRequireRetention } from "./cloudwatchLogGroupRequireRetention";
import { dynamodbTableRequireDeletionProtection } from "./dynamodbTableRequireDeletionProtection";
import { dynamodbTableRequirePitr } from "./dynamodbTableRequirePitr";
import { dynamodbTableRequireSse } from "./dynamodbTableRequireSse";
import { iamNoPrivilegeEscalation } from "./iamNoPrivilegeEscalation";
import { iamNoUnknownActions } from "./iamNoUnknownActions";
import { iamNoWildcardActions } from "./iamNoWildcardActions";
import { iamNoWildcardResources } from "./iamNoWildcardResources";
import { iamPrincipalBoundaryNotPermissive } from "./iamPrincipalBoundaryNotPermissive";
import { iamRoleRequireBoundary } from "./iamRoleRequireBoundary";
import { iamRoleRequireServiceTrustCondition } from "./iamRoleRequireServiceTrustCondition";
import { iamRequireReadableDocument } from "./iamRequireReadableDocument";
import { iamRoleTrustNoPublic } from "./iamRoleTrustNoPublic";
import { kmsKeyRequireRotation } from "./kmsKeyRequireRotation";
import { lambdaPermissionRequireSourceCondition } from "./lambdaPermissionRequireSourceCondition";
import { lambdaNoDeprecatedRuntime } from "./lambdaNoDeprecatedRuntime";
import { lambdaRequireLogRetention } from "./lambdaRequireLogRetention";
import { lambdaRequireTracing } from "./lambdaRequireTracing";
import { resourcePolicyNoPublicPrincipal } from "./resourcePolicyNoPublicPrincipal";
import { s3BucketNoPublicAcl } from "./s3BucketNoPublicAcl";
import { s3BucketNoWebsite } from "./s3BucketNoWebsite";
import { s3BucketPolicyNoPublicPrincipal } from "./s3BucketPolicyNoPublicPrincipal";
import { s3BucketRequireEncryption } from "./s3BucketRequireEncryption";
import { s3BucketRequirePublicAccessBlock } from "./s3BucketRequirePublicAccessBlock";
import { s3BucketRequireTlsPolicy } from "./s3BucketRequireTlsPolicy";
import { s3BucketRequireVersioning } from "./s3BucketRequireVersioning";
import { s3PolicyNoWildcardWriteResources } from "./s3PolicyNoWildcardWriteResources";
import { ssoPermissionSetRequireBoundary } from "./ssoPermissionSetRequireBoundary";
import { suppressedResourceViolations, suppressedStackViolations } from "./suppressedViolations";
import { wafv2RequireSqliRuleGroup } from "./wafv2RequireSqliRuleGroup";

export const policies: Policies = [
    // Mandatory: least privilege, no public data, boundaries everywhere.
    iamNoWildcardActions,
    iamNoWildcardResources,
    iamNoUnknownActions,
    s3BucketNoPublicAcl,
    s3BucketRequirePublicAccessBlock,
    s3BucketPolicyNoPublicPrincipal,
    s3BucketNoWebsite,
    s3PolicyNoWildcardWriteResources,
    resourcePolicyNoPublicPrincipal,
    iamRoleRequireBoundary,
    ssoPermissionSetRequireBoundary,
    iamPrincipalBoundaryNotPermissive,
    iamNoPrivilegeEscalation,
    iamRoleTrustNoPublic,
    lambdaPermissionRequireSourceCondition,
    // Advisory (each can be made mandatory with --policy-pack-config).
    lambdaNoDeprecatedRuntime,
    lambdaRequireTracing,
    cloudwatchLogGroupRequireRetention,
    lambdaRequireLogRetention,
    apigatewayRouteRequireAuthorizer,
    apigatewayStageRequireThrottling,
    apigatewayStageRequireAccessLogs,
    dynamodbTableRequirePitr,
    dynamodbTableRequireSse,
    dynamodbTableRequireDeletionProtection,
    s3BucketRequireEncryption,
    s3BucketRequireVersioning,
    s3BucketRequireTlsPolicy,
    cloudfrontRequireHttps,
    cloudfrontRequireModernTls,
    cloudfrontRequireWaf,
    wafv2RequireSqliRuleGroup,
    cloudtrailRequireMultiRegion,
    cloudtrailRequireLogValidation,
    cloudtrailRequireKms,
    kmsKeyRequireRotation,
    iamRoleRequireServiceTrustCondition,
    iamRequireReadableDocument,
    // Must stay last: they report what the policies above suppressed.
    suppressedResourceViolations,
    suppressedStackViolations,
];
