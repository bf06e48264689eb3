import { strict as assert } from "assert";
import { ProgramRun, runProgram } from "../tools/mocks/harness";

/** Component type -> how many each stack has. */
const COMPONENTS: Record<string, { dev: number; prod: number }> = {
    "swiftsupport:iam:PermissionsBoundary": { dev: 2, prod: 2 },
    "swiftsupport:identity:IdentityCenter": { dev: 1, prod: 1 },
    "swiftsupport:function:HardenedFunction": { dev: 3, prod: 3 },
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
    "aws:identitystore/group:Group",
    "aws:identitystore/user:User",
    "aws:ssoadmin/permissionSet:PermissionSet",
    "aws:ssoadmin/permissionsBoundaryAttachment:PermissionsBoundaryAttachment",
    "aws:ssoadmin/accountAssignment:AccountAssignment",
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
                assert.match(outputs.apiUrl, /^https:\/\/.+\.execute-api\.eu-west-1\.amazonaws\.com\/api$/);
                assert.deepEqual(Object.keys(outputs.functions).sort(), ["analysis", "status", "submit"]);
            });
        });
    }
});
