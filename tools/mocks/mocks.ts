import { createHash } from "crypto";
import * as pulumi from "@pulumi/pulumi";

/** Account, region and Identity Center values the mocks answer with; taken from the stack's config. */
export interface MockEnvironment {
    /** Account the program deploys into (`getCallerIdentity`). */
    accountId: string;
    /** Region of the default provider. */
    region: string;
    /** Identity Center instance returned by `ssoadmin.getInstances`. */
    ssoInstanceArn: string;
    /** Identity store returned by `ssoadmin.getInstances`. */
    identityStoreId: string;
}

/** Deterministic hex from a seed, so ids and ARNs are stable across runs (tests and benchmarks compare them). */
const hex = (seed: string, length: number) => createHash("sha256").update(seed).digest("hex").slice(0, length);
const uuid = (seed: string) => {
    const h = hex(seed, 32);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
};

/** Types whose `name` the AWS provider auto-generates as `<logical>-<7 hex>` when not given. */
const AUTONAMED = new Set([
    "aws:iam/role:Role",
    "aws:iam/policy:Policy",
    "aws:lambda/function:Function",
    "aws:dynamodb/table:Table",
    "aws:cloudwatch/logGroup:LogGroup",
    "aws:cloudwatch/metricAlarm:MetricAlarm",
    "aws:cloudwatch/logMetricFilter:LogMetricFilter",
    "aws:sns/topic:Topic",
    "aws:sqs/queue:Queue",
    "aws:apigatewayv2/api:Api",
    "aws:apigatewayv2/authorizer:Authorizer",
    "aws:cloudtrail/trail:Trail",
    "aws:wafv2/webAcl:WebAcl",
    "aws:cloudfront/originAccessControl:OriginAccessControl",
    "aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy",
    "aws:cloudfront/cachePolicy:CachePolicy",
    "aws:cloudfront/originRequestPolicy:OriginRequestPolicy",
    "aws:cloudwatch/logDeliverySource:LogDeliverySource",
    "aws:cloudwatch/logDeliveryDestination:LogDeliveryDestination",
    "aws:ssoadmin/permissionSet:PermissionSet",
    "aws:iam/rolePolicy:RolePolicy",
]);

type State = Record<string, unknown>;

/**
 * Outputs the AWS provider would compute for each resource type the program uses: ids, ARNs in the real format,
 * endpoints. Anything not listed keeps its inputs and gets a generic ARN, so a new type still resolves.
 */
export function mockOutputs(args: pulumi.runtime.MockResourceArgs, env: MockEnvironment): { id: string; state: State } {
    const { type, name, inputs } = args;
    const seed = `${type}::${name}`;
    const { accountId: acct, region } = env;
    const s: State = { ...inputs };
    if (AUTONAMED.has(type) && s.name === undefined) s.name = `${name}-${hex(seed, 7)}`;
    if (s.region === undefined && type.startsWith("aws:") && !type.startsWith("aws:iam/")) s.region = region;
    let id: unknown = s.name ?? `${name}-${hex(seed, 8)}`;
    const set = (more: State) => Object.assign(s, more);
    switch (type) {
        case "aws:iam/role:Role":
            set({ arn: `arn:aws:iam::${acct}:role${s.path ?? "/"}${s.name}`, uniqueId: `AROA${hex(seed, 17).toUpperCase()}` });
            break;
        case "aws:iam/policy:Policy":
            set({ arn: `arn:aws:iam::${acct}:policy${s.path ?? "/"}${s.name}`, policyId: `ANPA${hex(seed, 17).toUpperCase()}` });
            id = s.arn;
            break;
        case "aws:iam/openIdConnectProvider:OpenIdConnectProvider":
            set({ arn: `arn:aws:iam::${acct}:oidc-provider/${String(s.url).replace(/^https:\/\//, "")}` });
            id = s.arn;
            break;
        case "aws:iam/rolePolicy:RolePolicy":
            id = `${s.role}:${s.name}`;
            break;
        case "aws:lambda/function:Function": {
            const arn = `arn:aws:lambda:${region}:${acct}:function:${s.name}`;
            set({
                arn,
                qualifiedArn: `${arn}:$LATEST`,
                invokeArn: `arn:aws:apigateway:${region}:lambda:path/2015-03-31/functions/${arn}/invocations`,
                version: "$LATEST",
                sourceCodeHash: hex(seed, 44),
            });
            break;
        }
        case "aws:dynamodb/table:Table":
            set({ arn: `arn:aws:dynamodb:${region}:${acct}:table/${s.name}` });
            // The stream label is the stream's creation time; a fixed one keeps the ARN stable across runs.
            if (s.streamEnabled) set({ streamLabel: "2026-01-01T00:00:00.000", streamArn: `${s.arn}/stream/2026-01-01T00:00:00.000` });
            break;
        case "aws:lambda/eventSourceMapping:EventSourceMapping":
            id = uuid(seed);
            set({ uuid: id, arn: `arn:aws:lambda:${region}:${acct}:event-source-mapping:${id}`, state: "Enabled" });
            break;
        case "aws:kms/key:Key": {
            id = uuid(seed);
            set({ keyId: id, arn: `arn:aws:kms:${region}:${acct}:key/${id}` });
            break;
        }
        case "aws:kms/alias:Alias":
            set({ arn: `arn:aws:kms:${region}:${acct}:${s.name}`, targetKeyArn: s.targetKeyId });
            break;
        case "aws:cloudwatch/logGroup:LogGroup":
            // `s.region`: a log group may live outside the provider's region (CloudFront and WAF logs: us-east-1).
            set({ arn: `arn:aws:logs:${s.region}:${acct}:log-group:${s.name}` });
            break;
        case "aws:cloudwatch/logDeliverySource:LogDeliverySource":
            set({ arn: `arn:aws:logs:${s.region}:${acct}:delivery-source:${s.name}`, service: "cloudfront" });
            break;
        case "aws:cloudwatch/logDeliveryDestination:LogDeliveryDestination":
            set({ arn: `arn:aws:logs:${s.region}:${acct}:delivery-destination:${s.name}`, deliveryDestinationType: "CWL" });
            break;
        case "aws:cloudwatch/logDelivery:LogDelivery":
            id = hex(seed, 16);
            set({ arn: `arn:aws:logs:${s.region}:${acct}:delivery:${id}` });
            break;
        case "aws:cloudwatch/logResourcePolicy:LogResourcePolicy":
            id = s.policyName;
            break;
        case "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration":
            id = s.resourceArn;
            break;
        case "aws:cloudwatch/metricAlarm:MetricAlarm":
            set({ arn: `arn:aws:cloudwatch:${region}:${acct}:alarm:${s.name}` });
            break;
        case "aws:sns/topic:Topic":
            set({ arn: `arn:aws:sns:${region}:${acct}:${s.name}` });
            id = s.arn;
            break;
        case "aws:sqs/queue:Queue":
            set({ arn: `arn:aws:sqs:${region}:${acct}:${s.name}`, url: `https://sqs.${region}.amazonaws.com/${acct}/${s.name}` });
            id = s.url;
            break;
        case "aws:apigatewayv2/api:Api":
            id = hex(seed, 10);
            set({
                apiEndpoint: `https://${id}.execute-api.${region}.amazonaws.com`,
                executionArn: `arn:aws:execute-api:${region}:${acct}:${id}`,
                arn: `arn:aws:apigateway:${region}::/apis/${id}`,
            });
            break;
        case "aws:apigatewayv2/stage:Stage":
            set({
                arn: `arn:aws:apigateway:${region}::/apis/${s.apiId}/stages/${s.name}`,
                invokeUrl: `wss://${s.apiId}.execute-api.${region}.amazonaws.com/${s.name}`,
                executionArn: `arn:aws:execute-api:${region}:${acct}:${s.apiId}/${s.name}`,
            });
            break;
        case "aws:apigatewayv2/route:Route":
        case "aws:apigatewayv2/integration:Integration":
        case "aws:apigatewayv2/authorizer:Authorizer":
            id = hex(seed, 7);
            break;
        case "aws:s3/bucket:Bucket": {
            const bucket = s.bucket ?? `${String(s.bucketPrefix ?? name).toLowerCase()}-${hex(seed, 8)}`;
            id = bucket;
            set({
                bucket,
                arn: `arn:aws:s3:::${bucket}`,
                bucketDomainName: `${bucket}.s3.amazonaws.com`,
                bucketRegionalDomainName: `${bucket}.s3.${region}.amazonaws.com`,
                hostedZoneId: "Z1BKCTXD74EZPE",
            });
            break;
        }
        case "aws:cloudfront/distribution:Distribution":
            id = `E${hex(seed, 13).toUpperCase()}`;
            set({
                arn: `arn:aws:cloudfront::${acct}:distribution/${id}`,
                domainName: `d${hex(seed, 13)}.cloudfront.net`,
                hostedZoneId: "Z2FDTNDATAQYW2",
                status: "Deployed",
                etag: hex(seed, 14).toUpperCase(),
            });
            break;
        case "aws:cloudfront/originAccessControl:OriginAccessControl":
        case "aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy":
        case "aws:cloudfront/cachePolicy:CachePolicy":
        case "aws:cloudfront/originRequestPolicy:OriginRequestPolicy":
            id = type.endsWith("OriginAccessControl") ? `E${hex(seed, 13).toUpperCase()}` : uuid(seed);
            set({ etag: hex(seed, 14).toUpperCase() });
            break;
        case "aws:wafv2/webAcl:WebAcl":
            id = uuid(seed);
            set({ arn: `arn:aws:wafv2:us-east-1:${acct}:global/webacl/${s.name}/${id}`, capacity: 1000 });
            break;
        case "aws:cloudtrail/trail:Trail":
            set({ arn: `arn:aws:cloudtrail:${region}:${acct}:trail/${s.name}`, homeRegion: region });
            id = s.arn;
            break;
        case "aws:accessanalyzer/analyzer:Analyzer":
            set({ arn: `arn:aws:access-analyzer:${region}:${acct}:analyzer/${s.analyzerName}` });
            id = s.analyzerName;
            break;
        case "aws:identitystore/group:Group":
            set({ groupId: uuid(seed) });
            id = `${s.identityStoreId}/${s.groupId}`;
            break;
        case "aws:identitystore/user:User":
            set({ userId: uuid(seed) });
            id = `${s.identityStoreId}/${s.userId}`;
            break;
        case "aws:identitystore/groupMembership:GroupMembership":
            set({ membershipId: uuid(seed) });
            id = `${s.identityStoreId}/${s.membershipId}`;
            break;
        case "aws:ssoadmin/permissionSet:PermissionSet": {
            const ins = String(s.instanceArn).split("/").pop();
            set({ arn: `arn:aws:sso:::permissionSet/${ins}/ps-${hex(seed, 16)}`, createdDate: "2026-01-01T00:00:00Z" });
            id = `${s.arn},${s.instanceArn}`;
            break;
        }
        default:
            if (args.custom !== false && s.arn === undefined && type.startsWith("aws:")) {
                const service = type.split(":")[1].split("/")[0];
                s.arn = `arn:aws:${service}:${region}:${acct}:${type.split(":")[2].toLowerCase()}/${id}`;
            }
    }
    return { id: id as string, state: s }; // a string for every type the program uses
}

/** AWS's managed CloudFront cache and origin request policies: fixed, global ids. */
const CLOUDFRONT_MANAGED_POLICIES: Record<string, string> = {
    "Managed-CachingOptimized": "658327ea-f89d-4fab-a63d-7e88639e58f6",
    "Managed-CachingDisabled": "4135ea2d-6df8-44a3-9df3-4b5a84be39ad",
    "Managed-AllViewerExceptHostHeader": "b689b0a8-53d0-40ab-baf2-68738e2966ac",
};

/** Answers for the provider functions (data sources) the program calls; anything else fails loudly. */
export function mockCall(args: pulumi.runtime.MockCallArgs, env: MockEnvironment): Record<string, unknown> {
    switch (args.token) {
        case "aws:index/getCallerIdentity:getCallerIdentity":
            return {
                accountId: env.accountId,
                arn: `arn:aws:sts::${env.accountId}:assumed-role/deployer/session`,
                userId: "AROAEXAMPLEDEPLOYER:session",
                id: env.accountId,
            };
        case "aws:index/getRegion:getRegion":
            return {
                name: env.region,
                region: env.region,
                id: env.region,
                endpoint: `ec2.${env.region}.amazonaws.com`,
                description: env.region,
            };
        case "aws:index/getPartition:getPartition":
            return { partition: "aws", dnsSuffix: "amazonaws.com", reverseDnsPrefix: "com.amazonaws", id: "aws" };
        case "aws:cloudfront/getCachePolicy:getCachePolicy":
        case "aws:cloudfront/getOriginRequestPolicy:getOriginRequestPolicy": {
            const id = CLOUDFRONT_MANAGED_POLICIES[args.inputs.name];
            if (!id) throw new Error(`mocks: no managed CloudFront policy named ${args.inputs.name}`);
            return { id, name: args.inputs.name, etag: hex(id, 14).toUpperCase(), comment: `Managed policy ${args.inputs.name}` };
        }
        case "aws:ssoadmin/getInstances:getInstances":
            return { arns: [env.ssoInstanceArn], identityStoreIds: [env.identityStoreId], id: env.region, region: env.region };
        default:
            throw new Error(`mocks: no answer for provider function ${args.token}; add it to tools/mocks/mocks.ts`);
    }
}
