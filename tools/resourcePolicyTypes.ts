// `npm run derive:policy-types [-- --check]`: derives, from the installed @pulumi/aws's type declarations, every
// resource type with a property that holds an IAM policy document (resource-based, identity or trust), and writes
// policypack/lib/policyDocumentTypes.json, which policypack/lib/iamDocumentSources.ts reads. With --check it writes
// nothing and exits 1 when the committed list differs from what the installed provider has (the test runs this).
//
// A candidate is a string-typed input property whose name says policy (`policy`, `accessPolicies`,
// `resourcePolicy`, `policyDocument`, ...), one level into nested blocks too (`details.policy`). Candidates that are
// not IAM documents (lifecycle, scaling, SCP, IoT, ...) are listed in NOT_IAM_DOCUMENTS with why, so a new provider
// type is either read or consciously set aside, never missed.

import * as fs from "fs";
import * as path from "path";

const AWS_DIR = path.dirname(require.resolve("@pulumi/aws/package.json"));
export const OUTPUT = path.join(__dirname, "..", "policypack", "lib", "policyDocumentTypes.json");

/** `type: property` pairs whose policy-named property is not an IAM policy document, with the reason. */
export const NOT_IAM_DOCUMENTS: Record<string, string> = {
    "aws:alb/listener:Listener alpnPolicy": "TLS ALPN setting",
    "aws:alb/listener:Listener sslPolicy": "TLS security policy name",
    "aws:alb/loadBalancer:LoadBalancer dnsRecordClientRoutingPolicy": "DNS routing setting",
    "aws:apigateway/domainName:DomainName securityPolicy": "TLS version setting",
    "aws:apigateway/restApi:RestApi securityPolicy": "TLS version setting",
    "aws:apigatewayv2/domainName:DomainName domainNameConfiguration.securityPolicy": "TLS version setting",
    "aws:autoscaling/group:Group terminationPolicies": "scaling setting",
    "aws:bedrock/agentDataSource:AgentDataSource dataDeletionPolicy": "data retention setting",
    "aws:cfg/organizationCustomPolicyRule:OrganizationCustomPolicyRule policyText": "AWS Config Guard rule, not IAM",
    "aws:cloudformation/stack:Stack policyBody": "CloudFormation stack policy (which updates are allowed), not IAM",
    "aws:cloudfront/distribution:Distribution defaultCacheBehavior.viewerProtocolPolicy": "protocol setting",
    "aws:cloudfront/distribution:Distribution orderedCacheBehaviors[].viewerProtocolPolicy": "protocol setting",
    "aws:cloudfront/multitenantDistribution:MultitenantDistribution cacheBehaviors[].viewerProtocolPolicy": "protocol setting",
    "aws:cloudfront/multitenantDistribution:MultitenantDistribution defaultCacheBehavior.viewerProtocolPolicy": "protocol setting",
    "aws:cloudfront/vpcOrigin:VpcOrigin vpcOriginEndpointConfig.originProtocolPolicy": "protocol setting",
    "aws:cloudsearch/domain:Domain endpointOptions.tlsSecurityPolicy": "TLS version setting",
    "aws:cloudwatch/logAccountPolicy:LogAccountPolicy policyDocument": "data protection / subscription filter policy, not IAM",
    "aws:cloudwatch/logDataProtectionPolicy:LogDataProtectionPolicy policyDocument": "data protection policy, not IAM",
    "aws:cloudwatch/logIndexPolicy:LogIndexPolicy policyDocument": "field index policy, not IAM",
    "aws:dlm/lifecyclePolicy:LifecyclePolicy defaultPolicy": "snapshot lifecycle setting",
    "aws:ec2/fleet:Fleet excessCapacityTerminationPolicy": "scaling setting",
    "aws:ec2/spotFleetRequest:SpotFleetRequest excessCapacityTerminationPolicy": "scaling setting",
    "aws:ec2transitgateway/policyTableEntry:PolicyTableEntry policyRuleNumber": "routing rule number",
    "aws:ecr/lifecyclePolicy:LifecyclePolicy policy": "image lifecycle rules, not IAM",
    "aws:ecr/repositoryCreationTemplate:RepositoryCreationTemplate lifecyclePolicy": "image lifecycle rules, not IAM",
    "aws:eks/capability:Capability deletePropagationPolicy": "deletion setting",
    "aws:eks/podIdentityAssociation:PodIdentityAssociation policy": "session policy: only narrows the role's permissions (their intersection), grants nothing",
    "aws:elasticsearch/domain:Domain domainEndpointOptions.tlsSecurityPolicy": "TLS version setting",
    "aws:elastictranscoder/preset:Preset thumbnails.paddingPolicy": "video setting",
    "aws:elastictranscoder/preset:Preset thumbnails.sizingPolicy": "video setting",
    "aws:elastictranscoder/preset:Preset video.paddingPolicy": "video setting",
    "aws:elastictranscoder/preset:Preset video.sizingPolicy": "video setting",
    "aws:elastictranscoder/preset:Preset videoWatermarks[].sizingPolicy": "video setting",
    "aws:emr/cluster:Cluster coreInstanceGroup.autoscalingPolicy": "scaling rules, not IAM",
    "aws:emr/instanceGroup:InstanceGroup autoscalingPolicy": "scaling rules, not IAM",
    "aws:fsx/lustreFileSystem:LustreFileSystem autoImportPolicy": "import setting",
    "aws:fsx/ontapVolume:OntapVolume snapshotPolicy": "snapshot setting",
    "aws:gamelift/fleet:Fleet newGameSessionProtectionPolicy": "protection setting",
    "aws:gamelift/gameServerGroup:GameServerGroup gameServerProtectionPolicy": "protection setting",
    "aws:iot/domainConfiguration:DomainConfiguration tlsConfig.securityPolicy": "TLS setting",
    "aws:iot/policy:Policy policy": "IoT Core policy for device certificates (iot:* actions only), not an IAM principal's",
    "aws:iot/policyAttachment:PolicyAttachment policy": "the IoT policy's name",
    "aws:kendra/index:Index userContextPolicy": "token setting",
    "aws:lb/listener:Listener alpnPolicy": "TLS ALPN setting",
    "aws:lb/listener:Listener sslPolicy": "TLS security policy name",
    "aws:lb/loadBalancer:LoadBalancer dnsRecordClientRoutingPolicy": "DNS routing setting",
    "aws:lightsail/distribution:Distribution origin.protocolPolicy": "protocol setting",
    "aws:mailmanager/ingressPoint:IngressPoint tlsPolicy": "TLS setting",
    "aws:networkmanager/coreNetwork:CoreNetwork basePolicyDocument": "Cloud WAN network policy, not IAM",
    "aws:networkmanager/coreNetworkPolicyAttachment:CoreNetworkPolicyAttachment policyDocument": "Cloud WAN network policy, not IAM",
    "aws:opensearch/domain:Domain domainEndpointOptions.tlsSecurityPolicy": "TLS version setting",
    "aws:opensearch/serverlessAccessPolicy:ServerlessAccessPolicy policy": "OpenSearch Serverless data access rules, not IAM grammar",
    "aws:opensearch/serverlessLifecyclePolicy:ServerlessLifecyclePolicy policy": "retention rules, not IAM",
    "aws:opensearch/serverlessSecurityPolicy:ServerlessSecurityPolicy policy": "encryption/network rules, not IAM",
    "aws:organizations/organization:Organization enabledPolicyTypes": "list of policy types",
    "aws:quicksight/dataSet:DataSet rowLevelPermissionDataSet.permissionPolicy": "GRANT_ACCESS or DENY_ACCESS row-level setting",
    "aws:ram/permission:Permission policyTemplate": "RAM permission template (statements without Principal or Resource), not a complete IAM document",
    "aws:rolesanywhere/profile:Profile sessionPolicy": "session policy: only narrows the role's permissions, grants nothing",
    "aws:servicediscovery/service:Service dnsConfig.routingPolicy": "DNS routing setting",
    "aws:ses/configurationSet:ConfigurationSet deliveryOptions.tlsPolicy": "TLS setting",
    "aws:ses/receiptFilter:ReceiptFilter policy": "Allow/Block IP filter setting",
    "aws:ses/receiptRule:ReceiptRule tlsPolicy": "TLS setting",
    "aws:sesv2/configurationSet:ConfigurationSet deliveryOptions.tlsPolicy": "TLS setting",
    "aws:sesv2/configurationSet:ConfigurationSet trackingOptions.httpsPolicy": "HTTPS setting",
    "aws:sns/dataProtectionPolicy:DataProtectionPolicy policy": "data protection policy, not IAM",
    "aws:sns/topic:Topic archivePolicy": "message archive setting, not IAM",
    "aws:sns/topic:Topic deliveryPolicy": "retry setting, not IAM",
    "aws:sns/topicSubscription:TopicSubscription deliveryPolicy": "retry setting, not IAM",
    "aws:sns/topicSubscription:TopicSubscription filterPolicy": "message filter, not IAM",
    "aws:sns/topicSubscription:TopicSubscription redrivePolicy": "dead-letter setting, not IAM",
    "aws:sns/topicSubscription:TopicSubscription replayPolicy": "replay setting, not IAM",
    "aws:sqs/queue:Queue redriveAllowPolicy": "dead-letter setting, not IAM",
    "aws:sqs/queue:Queue redrivePolicy": "dead-letter setting, not IAM",
    "aws:sqs/redriveAllowPolicy:RedriveAllowPolicy redriveAllowPolicy": "dead-letter setting, not IAM",
    "aws:sqs/redrivePolicy:RedrivePolicy redrivePolicy": "dead-letter setting, not IAM",
    "aws:storagegateway/nfsFileShare:NfsFileShare notificationPolicy": "notification setting",
    "aws:storagegateway/smbFileShare:SmbFileShare notificationPolicy": "notification setting",
    "aws:transfer/access:Access policy": "session policy: only narrows the role's permissions, grants nothing",
    "aws:transfer/user:User policy": "session policy: only narrows the role's permissions, grants nothing",
    "aws:transfer/webApp:WebApp webAppEndpointPolicy": "STANDARD or FIPS endpoint setting",
    "aws:verifiedaccess/endpoint:Endpoint policyDocument": "Cedar policy, not IAM",
    "aws:verifiedaccess/group:Group policyDocument": "Cedar policy, not IAM",
    "aws:workspacesweb/browserSettings:BrowserSettings browserPolicy": "Chrome browser policy, not IAM",
};

/** One policy-document property: its path in the resource's props (`policy`, `details.policy`, `inlinePolicies[].policy`). */
export type DocumentTypes = Record<string, string[]>;

const POLICY_NAME = /polic(y|ies)|PolicyDocument$/i;
/** Policy-named properties that hold a reference or a setting, not a document. */
const NOT_A_DOCUMENT_NAME = /(Arns?|Ids?|Names?|Type|TypeName|Revision|RevisionId|Label|Regions|Url|Runtime|Language|HeaderValue|Behavior)$/;
/** A string (or PolicyDocument) property named as a policy document. */
const isDocument = (p: Prop) => POLICY_NAME.test(p.name) && !NOT_A_DOCUMENT_NAME.test(p.name) &&
    (/PolicyDocument/.test(p.type) || (/\bstring\b/.test(p.type) && !/string\[\]/.test(p.type)));

interface Prop {
    name: string;
    type: string;
    doc: string;
}

/** The properties of `interface <name> {` in `text`, each with its JSDoc. */
function interfaceProps(text: string, name: string): Prop[] | undefined {
    const start = text.search(new RegExp(`\\binterface ${name} \\{`));
    if (start < 0) return undefined;
    const body = text.slice(text.indexOf("{", start) + 1);
    const props: Prop[] = [];
    let doc = "";
    let depth = 0;
    for (const line of body.split("\n")) {
        const t = line.trim();
        if (depth === 0 && t === "}") break;
        if (t.startsWith("/**") || t.startsWith("*")) {
            doc += ` ${t.replace(/^\/?\*+\/?/, "")}`;
            continue;
        }
        const m = /^(\w+)\??: (.*);$/.exec(t);
        if (m && depth === 0) props.push({ name: m[1], type: m[2], doc });
        depth += (t.match(/\{/g) ?? []).length - (t.match(/\}/g) ?? []).length;
        doc = "";
    }
    return props;
}

let inputTypes: Map<string, Prop[]> | undefined;
/** types/input.d.ts indexed once: `s3control.MultiRegionAccessPointPolicyDetails` -> its properties. */
function indexInputTypes(): Map<string, Prop[]> {
    const text = fs.readFileSync(path.join(AWS_DIR, "types", "input.d.ts"), "utf8");
    const index = new Map<string, Prop[]>();
    const re = /^export declare namespace (\w+) \{|^ {4}interface (\w+) \{/gm;
    let ns = "";
    for (let m = re.exec(text); m; m = re.exec(text)) {
        if (m[1]) ns = m[1];
        else index.set(`${ns}.${m[2]}`, interfaceProps(text.slice(m.index, text.indexOf("\n    }", m.index) + 6), m[2]) ?? []);
    }
    return index;
}

/** `inputs.s3control.MultiRegionAccessPointPolicyDetails` -> its properties (`[]` when the property is a list). */
function nestedProps(type: string): { path: string; props: Prop[] } | undefined {
    const m = /inputs\.(\w+)\.(\w+)/.exec(type);
    if (!m) return undefined;
    inputTypes ??= indexInputTypes();
    const props = inputTypes.get(`${m[1]}.${m[2]}`);
    return props && { path: /\[\]|Input<pulumi\.Input<inputs/.test(type) ? "[]" : "", props };
}

/** Every resource type with a policy-named, string-typed input property: type -> property paths. */
export function deriveCandidates(): DocumentTypes {
    const found: DocumentTypes = {};
    for (const dir of fs.readdirSync(AWS_DIR).sort()) {
        const full = path.join(AWS_DIR, dir);
        if (dir === "types" || dir === "config" || !fs.statSync(full).isDirectory()) continue;
        for (const file of fs.readdirSync(full).filter((f) => f.endsWith(".js")).sort()) {
            const js = fs.readFileSync(path.join(full, file), "utf8");
            const token = /static __pulumiType = '([^']+)'/.exec(js)?.[1];
            const cls = /exports\.(\w+) = \w+;\s*\w+\.__pulumiType|class (\w+) extends pulumi\.CustomResource/.exec(js);
            if (!token || !cls) continue;
            const className = cls[1] ?? cls[2];
            const dts = fs.readFileSync(path.join(full, file.replace(/\.js$/, ".d.ts")), "utf8");
            const props = interfaceProps(dts, `${className}Args`) ?? [];
            const paths: string[] = [];
            for (const p of props) {
                if (isDocument(p)) {
                    paths.push(p.name);
                    continue;
                }
                const nested = nestedProps(p.type);
                for (const q of nested?.props ?? []) {
                    if (isDocument(q)) paths.push(`${p.name}${nested!.path}.${q.name}`);
                }
            }
            if (paths.length) found[token] = paths;
        }
    }
    return found;
}

/** The candidates less NOT_IAM_DOCUMENTS: what the pack reads. */
export function derivePolicyDocumentTypes(): DocumentTypes {
    const out: DocumentTypes = {};
    for (const [type, paths] of Object.entries(deriveCandidates())) {
        const kept = paths.filter((p) => !(`${type} ${p}` in NOT_IAM_DOCUMENTS));
        if (kept.length) out[type] = kept;
    }
    return out;
}

export function render(types: DocumentTypes): string {
    return JSON.stringify(types, null, 1) + "\n";
}

if (require.main === module) {
    const text = render(derivePolicyDocumentTypes());
    if (process.argv.includes("--check")) {
        const committed = fs.existsSync(OUTPUT) ? fs.readFileSync(OUTPUT, "utf8") : "";
        if (committed !== text) {
            process.stderr.write(`${path.relative(process.cwd(), OUTPUT)} is out of date with the installed @pulumi/aws: run \`npm run derive:policy-types\`\n`);
            process.exitCode = 1;
        }
    } else {
        fs.writeFileSync(OUTPUT, text);
        process.stdout.write(`wrote ${Object.keys(JSON.parse(text)).length} types to ${path.relative(process.cwd(), OUTPUT)}\n`);
    }
}
