// The stack index's contract, which every stack policy's references go through: which resources a value names
// (by each reference key, across regions, while an ARN is not known yet), what a property resolves to (the engine's
// dependencies first, then the value), and that derived structures are built once per stack.

import * as assert from "assert";
import { arnResourceName, stackIndex } from "../../policypack/lib/stackIndex";
import { UNKNOWN as NOT_KNOWN } from "../../policypack/lib/unknown";
import { indexOf } from "./graphSupport";
import { ACCOUNT, UNKNOWN, resource } from "./support";

const ROLE = "aws:iam/role:Role";
const POLICY = "aws:iam/policy:Policy";
const STAGE = "aws:apigateway/stage:Stage";
const FUNCTION = "aws:lambda/function:Function";
const TOPIC = "aws:sns/topic:Topic";
const names = (rs: { name: string }[]) => rs.map((r) => r.name);

describe("stack index: resources by value", () => {
    it("finds a resource by each of its type's reference keys, each resource once, and every resource carrying the value", async () => {
        const index = await indexOf([
            // After deploy a role's id is its name: one value under two keys is still one resource.
            resource(ROLE, "app", { name: "app-abc123", id: "app-abc123", arn: `arn:aws:iam::${ACCOUNT}:role/app-abc123`, path: "/svc/" }),
            // Two REST APIs each with a stage named prod.
            resource(STAGE, "api1-prod", { stageName: "prod", restApi: "api1" }),
            resource(STAGE, "api2-prod", { stageName: "prod", restApi: "api2" }),
            resource(STAGE, "api2-dev", { stageName: "dev", restApi: "api2" }),
            // A type the index has no keys for is referenced by id, arn or name.
            resource(TOPIC, "alerts", { id: "topic-id", arn: `arn:aws:sns:us-east-1:${ACCOUNT}:alerts`, name: "alerts" }),
        ]);
        assert.deepStrictEqual(names(index.findByValue(ROLE, "app-abc123")), ["app"]);
        assert.deepStrictEqual(names(index.findByValue(ROLE, `arn:aws:iam::${ACCOUNT}:role/app-abc123`)), ["app"]);
        assert.deepStrictEqual(names(index.findByValue(ROLE, "/svc/")), [], "path is not a reference key of a role");
        assert.deepStrictEqual(names(index.findByValue(STAGE, "prod")), ["api1-prod", "api2-prod"]);
        assert.deepStrictEqual(names(index.findByValue(STAGE, "dev")), ["api2-dev"]);
        assert.deepStrictEqual(["topic-id", `arn:aws:sns:us-east-1:${ACCOUNT}:alerts`, "alerts"].map((v) => names(index.findByValue(TOPIC, v))),
            [["alerts"], ["alerts"], ["alerts"]]);
        assert.deepStrictEqual(names(index.findByValue(POLICY, "app-abc123")), [], "a value is looked up among resources of the type asked for");
    });

    it("matches an ARN by its resource name while the resource's own ARN is not known yet, and only then", async () => {
        const index = await indexOf([
            resource(POLICY, "new", { name: "boundary", arn: UNKNOWN }),
            // Inputs during preview: no arn at all.
            resource(POLICY, "input", { name: "team-boundary" }),
            resource(POLICY, "known", { name: "deployed", arn: `arn:aws:iam::${ACCOUNT}:policy/deployed` }),
            resource(FUNCTION, "fn", { name: "handler", arn: UNKNOWN }),
            resource(ROLE, "noid", { name: "worker" }),
        ]);
        assert.deepStrictEqual(names(index.findByValue(POLICY, `arn:aws:iam::${ACCOUNT}:policy/boundary`)), ["new"]);
        assert.deepStrictEqual(names(index.findByValue(POLICY, `arn:aws:iam::${ACCOUNT}:policy/path/team-boundary`)), ["input"]);
        // The same name in another account is another policy.
        assert.deepStrictEqual(names(index.findByValue(POLICY, "arn:aws:iam::210987654321:policy/deployed")), []);
        assert.deepStrictEqual(names(index.findByValue(FUNCTION, `arn:aws:lambda:us-east-1:${ACCOUNT}:function:handler`)), ["fn"]);
        // Not an ARN: matched as given, never by a part of it.
        assert.deepStrictEqual(names(index.findByValue(POLICY, "path/boundary")), []);
        assert.deepStrictEqual(names(index.findByValue(ROLE, "other-role")), [], "a role without an id is not found by a name it does not have");
    });

    it("arnResourceName: the part after the last '/', else after the last ':'; nothing for a value that is not an ARN", () => {
        assert.deepStrictEqual([
            `arn:aws:iam::${ACCOUNT}:policy/teams/boundary`,
            `arn:aws:lambda:us-east-1:${ACCOUNT}:function:handler`,
            "boundary",
            "teams/boundary",
            "my-arn:x",
        ].map(arnResourceName), ["boundary", "handler", undefined, undefined, undefined]);
    });

    it("lists resources of several types, type by type in stack order", async () => {
        const index = await indexOf([
            resource(ROLE, "r1", {}), resource(POLICY, "p1", {}), resource(ROLE, "r2", {}), resource(POLICY, "p2", {}),
        ]);
        assert.deepStrictEqual([names(index.ofType(POLICY, ROLE)), names(index.ofType(ROLE)), names(index.ofType(TOPIC))],
            [["p1", "p2", "r1", "r2"], ["r1", "r2"], []]);
    });
});

describe("stack index: resolving a reference", () => {
    it("follows the engine's dependencies of the target types first, then the value; reports a value not known yet", async () => {
        const rs = [
            resource(POLICY, "boundary", { name: "boundary", arn: `arn:aws:iam::${ACCOUNT}:policy/boundary` }),
            resource(ROLE, "app", { name: "app" }),
            resource("random:index/randomString:RandomString", "suffix", { result: UNKNOWN }),
            resource("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "bydep", { role: "app", policyArn: UNKNOWN },
                { propertyDependencies: { policyArn: [`urn:pulumi:dev::test::random:index/randomString:RandomString::suffix`, `urn:pulumi:dev::test::${POLICY}::boundary`] } }),
            resource("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "othertype", { role: "app", policyArn: UNKNOWN },
                { propertyDependencies: { policyArn: [`urn:pulumi:dev::test::random:index/randomString:RandomString::suffix`] } }),
            resource("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "byvalue", { role: "app", policyArn: `arn:aws:iam::${ACCOUNT}:policy/boundary` }),
            resource("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "outside", { role: "app", policyArn: `arn:aws:iam::${ACCOUNT}:policy/elsewhere` }),
            resource("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "empty", { role: "", policyArn: 42 }),
        ];
        const index = await indexOf(rs);
        const at = (name: string) => index.resources.find((r) => r.name === name)!;
        const resolved = (name: string, property: string, types: string[], value?: unknown) => {
            const ref = index.resolve(at(name), property, types, value);
            return { targets: names(ref.targets), unknown: ref.unknown };
        };
        assert.deepStrictEqual(resolved("bydep", "policyArn", [POLICY]), { targets: ["boundary"], unknown: false });
        assert.deepStrictEqual(resolved("othertype", "policyArn", [POLICY]), { targets: [], unknown: true });
        assert.deepStrictEqual(resolved("byvalue", "policyArn", [POLICY]), { targets: ["boundary"], unknown: false });
        assert.deepStrictEqual(resolved("outside", "policyArn", [POLICY]), { targets: [], unknown: false });
        assert.deepStrictEqual(resolved("byvalue", "role", [POLICY, ROLE]), { targets: ["app"], unknown: false });
        // A value given overrides the property's (a reference nested in it).
        assert.deepStrictEqual(resolved("outside", "policyArn", [POLICY], "boundary"), { targets: ["boundary"], unknown: false });
        assert.deepStrictEqual(resolved("outside", "policyArn", [POLICY], NOT_KNOWN), { targets: [], unknown: true });
        assert.deepStrictEqual([resolved("empty", "role", [ROLE]), resolved("empty", "policyArn", [POLICY])],
            [{ targets: [], unknown: false }, { targets: [], unknown: false }]);
    });
});

describe("stack index: built once", () => {
    it("one index per resources array, and derived structures built once per key", async () => {
        const rs = (await indexOf([resource(ROLE, "app", { name: "app" })])).resources;
        const index = stackIndex(rs);
        assert.strictEqual(stackIndex(rs), index);
        assert.notStrictEqual(stackIndex([...rs]), index);
        let builds = 0;
        const build = () => ({ n: ++builds });
        const first = index.derived("k", build);
        assert.strictEqual(index.derived("k", build), first);
        assert.deepStrictEqual([first, index.derived("other", build), builds], [{ n: 1 }, { n: 2 }, 2]);
    });
});
