import { strict as assert } from "assert";
import * as pulumi from "@pulumi/pulumi";
import { PEOPLE_BOUNDARY } from "../components/iam";
import { WorkloadPeopleOutputs } from "../programs/org";
import { ProgramRun, runProgram } from "../tools/mocks/harness";
import { OrganizationRun, runOrganization } from "./support/organization";

/** Component type -> how many each stack has. */
const COMPONENTS: Record<string, { dev: number; prod: number }> = {
    "swiftsupport:iam:PermissionsBoundary": { dev: 2, prod: 2 },
    "swiftsupport:identity:IdentityCenter": { dev: 0, prod: 0 },
    "swiftsupport:function:HardenedFunction": { dev: 4, prod: 4 },
    "swiftsupport:data:TicketsTable": { dev: 1, prod: 1 },
    "swiftsupport:api:SecureHttpApi": { dev: 1, prod: 1 },
    "swiftsupport:storage:PrivateBucket": { dev: 2, prod: 2 },
    "swiftsupport:edge:SiteDistribution": { dev: 1, prod: 1 },
    "swiftsupport:edge:EdgeWebAcl": { dev: 1, prod: 1 },
    "swiftsupport:audit:AuditTrail": { dev: 1, prod: 1 },
    "swiftsupport:audit:AccessAnalyzers": { dev: 1, prod: 1 },
    "swiftsupport:audit:SecurityAlarms": { dev: 0, prod: 1 },
};

/** The seed's services, by the AWS resources that carry them. */
const SERVICES = [
    "aws:lambda/function:Function",
    "aws:apigatewayv2/api:Api",
    "aws:apigatewayv2/authorizer:Authorizer",
    "aws:dynamodb/table:Table",
    "aws:s3/bucket:Bucket",
    "aws:cloudfront/distribution:Distribution",
    "aws:cloudfront/originAccessControl:OriginAccessControl",
    "aws:wafv2/webAcl:WebAcl",
    "aws:cloudtrail/trail:Trail",
    "aws:accessanalyzer/analyzer:Analyzer",
];

describe("the program", () => {
    const runs: Record<string, ProgramRun> = {};
    before(async () => {
        runs.dev = await runProgram({ stack: "dev" });
        runs.prod = await runProgram({ stack: "prod" });
    });

    for (const stack of ["dev", "prod"] as const) {
        describe(`in ${stack}`, () => {
            it("composes every hardened component, security alarms only where configured", () => {
                for (const [type, count] of Object.entries(COMPONENTS)) {
                    assert.equal(runs[stack].ofType(type).length, count[stack], `${type} in ${stack}`);
                }
            });

            it("leaves the people to the org stack: no Identity Center resource", () => {
                const identity = runs[stack].resources.filter((r) => /^aws:(ssoadmin|identitystore)\//.test(r.type)).map((r) => r.urn);
                assert.deepEqual(identity, []);
            });

            it("creates the people boundary under its fixed name and path, and exports what the org stack needs", () => {
                const people = runs[stack].outputs.people as pulumi.Unwrap<WorkloadPeopleOutputs>;
                const policy = runs[stack].ofType("aws:iam/policy:Policy").filter((p) => p.outputs.name === PEOPLE_BOUNDARY.name);
                assert.equal(policy.length, 1);
                assert.equal(policy[0].outputs.path, PEOPLE_BOUNDARY.path);
                assert.deepEqual(people.boundary, { ...PEOPLE_BOUNDARY, arn: policy[0].outputs.arn });
                assert.equal(people.accountId, runs[stack].outputs.accountId);
                const arnsOf = (type: string) => runs[stack].ofType(type).map((r) => r.outputs.arn);
                assert.deepEqual([...people.resources.functionArns].sort(), arnsOf("aws:lambda/function:Function").sort());
                assert.deepEqual([...people.resources.logGroupArns].sort(), arnsOf("aws:cloudwatch/logGroup:LogGroup").sort(), "every log group, us-east-1 ones included");
                assert.deepEqual(people.resources.alarmArns, arnsOf("aws:cloudwatch/metricAlarm:MetricAlarm"));
                assert.equal(people.resources.tableArn, arnsOf("aws:dynamodb/table:Table")[0]);
                assert.equal(people.resources.trailArn, arnsOf("aws:cloudtrail/trail:Trail")[0]);
                assert.match(people.resources.kmsViaService, /^dynamodb\.eu-west-1\.amazonaws\.com$/);
                assert.ok(people.resources.analyzerArns.length >= 1);
            });

            it("deploys every seed service", () => {
                for (const type of SERVICES) assert.ok(runs[stack].ofType(type).length > 0, `${type} in ${stack}`);
            });

            it("creates every AWS resource inside a component, never loose at the stack root", () => {
                const root = runs[stack].ofType("pulumi:pulumi:Stack")[0].urn;
                const loose = runs[stack].resources.filter((r) => r.custom && r.parent === root).map((r) => r.urn);
                assert.deepEqual(loose, []);
            });

            it("makes every role the same way: boundary, one inline policy, nothing else attachable", () => {
                const run = runs[stack];
                const pinned = (type: string) => new Map(run.ofType(type).map((r) => [r.inputs.roleName, r.inputs]));
                const inline = pinned("aws:iam/rolePoliciesExclusive:RolePoliciesExclusive");
                const managed = pinned("aws:iam/rolePolicyAttachmentsExclusive:RolePolicyAttachmentsExclusive");
                for (const role of run.ofType("aws:iam/role:Role")) {
                    assert.match(role.inputs.permissionsBoundary ?? "", /^arn:aws:iam::\d{12}:policy\/swiftsupport\/.+-boundary$/, role.name);
                    assert.equal(role.inputs.path, "/swiftsupport/", role.name);
                    assert.deepEqual(inline.get(role.outputs.name)?.policyNames, ["least-privilege"], role.name);
                    assert.deepEqual(managed.get(role.outputs.name)?.policyArns, [], role.name);
                }
            });

            it("exports what operators need", () => {
                const outputs = runs[stack].outputs;
                for (const key of ["apiUrl", "siteUrl", "distributionId", "siteBucketName", "ticketsTableName", "trailArn", "workloadBoundaryArn"]) {
                    assert.equal(typeof outputs[key], "string", key);
                }
                assert.match(outputs.apiUrl as string, /^https:\/\/.+\.execute-api\.eu-west-1\.amazonaws\.com\/api$/);
                assert.deepEqual(Object.keys(outputs.functions as object).sort(), ["analysis", "list", "status", "submit"]);
            });
        });
    }

    describe("in org", () => {
        let o: OrganizationRun;
        before(async () => {
            o = await runOrganization();
        });

        it("creates only the people: one IdentityCenter, reading each environment's stack", () => {
            const types = new Set(o.org.resources.map((r) => r.type));
            for (const t of types) assert.match(t, /^(pulumi:pulumi:(Stack|StackReference)|swiftsupport:identity:IdentityCenter|aws:(ssoadmin|identitystore)\/.+)$/, t);
            assert.deepEqual(o.org.ofType("pulumi:pulumi:StackReference").map((r) => r.inputs.name).sort(), o.environments.map((e) => e.stack).sort());
            const root = o.org.ofType("pulumi:pulumi:Stack")[0].urn;
            assert.deepEqual(o.org.resources.filter((r) => r.type.startsWith("aws:") && r.parent === root).map((r) => r.urn), []);
        });

        it("exports each environment's account and permission sets", () => {
            for (const env of o.environments) {
                const out = (o.org.outputs.environments as Record<string, { accountId: string; permissionSetArns: Record<string, string> }>)[env.name];
                assert.equal(out.accountId, env.accountId);
                assert.deepEqual(Object.keys(out.permissionSetArns).sort(), ["DataScience", "DevOps", "Developers", "ProductManagement", "Security"]);
            }
        });
    });
});
