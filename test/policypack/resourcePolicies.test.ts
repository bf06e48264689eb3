import * as assert from "assert";
import { ACCOUNT, json, messages, resource, violationsOf } from "./support";

const policy = "aws-iam-resource-policy-disallow-public-principal";
const open = (Action: string, extra: object = {}) => json({ Effect: "Allow", Principal: "*", Action, Resource: "*", ...extra });

describe("aws-iam-resource-policy-disallow-public-principal", () => {
    it("flags public statements in queue, topic, key, secret and repository policies", async () => {
        const vs = await violationsOf(policy, [
            resource("aws:sqs/queuePolicy:QueuePolicy", "q", { queueUrl: "u", policy: open("sqs:SendMessage") }),
            resource("aws:sqs/queue:Queue", "q2", { policy: open("sqs:SendMessage") }),
            resource("aws:sns/topicPolicy:TopicPolicy", "t", { arn: "a", policy: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: "*" }, Action: "sns:Publish", Resource: "*" }] } }),
            resource("aws:kms/key:Key", "k", { policy: open("kms:Decrypt") }),
            resource("aws:secretsmanager/secretPolicy:SecretPolicy", "s", { secretArn: "a", policy: open("secretsmanager:GetSecretValue") }),
            resource("aws:ecr/repositoryPolicy:RepositoryPolicy", "r", { repository: "r", policy: open("ecr:BatchGetImage") }),
        ]);
        assert.deepStrictEqual(vs.map((v) => v.name), ["q", "q2", "t", "k", "s", "r"]);
    });

    it("flags a Lambda permission for principal * unless a source condition pins it", async () => {
        const perm = (name: string, props: object) => resource("aws:lambda/permission:Permission", name, { action: "lambda:InvokeFunction", function: "fn", ...props });
        const vs = await violationsOf(policy, [
            perm("open", { principal: "*" }),
            perm("url", { principal: "*", action: "lambda:InvokeFunctionUrl", functionUrlAuthType: "NONE" }),
            perm("pinned", { principal: "*", sourceArn: `arn:aws:execute-api:eu-west-1:${ACCOUNT}:abc/*` }),
            perm("service", { principal: "apigateway.amazonaws.com", sourceArn: `arn:aws:execute-api:eu-west-1:${ACCOUNT}:abc/*` }),
            perm("account", { principal: ACCOUNT }),
        ]);
        assert.deepStrictEqual(vs.map((v) => v.name), ["open", "url"]);
        assert.match(vs[0].message, /^Permission 'open' statement 0 allows Principal "\*"/);
    });

    it("passes service principals with source conditions, named accounts and VPC endpoint policies", async () => {
        const vs = await violationsOf(policy, [
            resource("aws:sqs/queuePolicy:QueuePolicy", "q", { queueUrl: "u", policy: json({ Effect: "Allow", Principal: { Service: "sns.amazonaws.com" }, Action: "sqs:SendMessage", Resource: "*", Condition: { ArnEquals: { "aws:SourceArn": "arn:aws:sns:eu-west-1:1:t" } } }) }),
            resource("aws:kms/key:Key", "k", { policy: json({ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: "kms:*", Resource: "*" }) }),
            resource("aws:ec2/vpcEndpoint:VpcEndpoint", "e", { vpcId: "v", serviceName: "com.amazonaws.eu-west-1.s3", policy: open("s3:GetObject") }),
        ]);
        assert.deepStrictEqual(messages(vs), []);
    });
});
