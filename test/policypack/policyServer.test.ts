// The pack as the Pulumi CLI runs it: @pulumi/pulumi's run-policy-pack loads policypack/ with ts-node (type
// checking on, the pack's own tsconfig), @pulumi/policy serves it over gRPC, and this test plays the engine's part
// (Configure, Analyze, AnalyzeStack) to check the server-side semantics the runner imitates.

import * as assert from "assert";
import { ChildProcess, spawn } from "child_process";
import * as path from "path";
import * as grpc from "@grpc/grpc-js";
import * as analyzerRpc from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import * as analyzer from "@pulumi/pulumi/proto/analyzer_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { UNKNOWN, json, urnOf } from "./support";

const packDir = path.join(__dirname, "..", "..", "policypack");
const runPolicyPack = require.resolve("@pulumi/pulumi/cmd/run-policy-pack");

interface Diagnostic {
    policy: string;
    level: "advisory" | "mandatory";
    message: string;
    urn: string;
}

function toDiagnostics(response: analyzer.AnalyzeResponse): Diagnostic[] {
    return response.getDiagnosticsList().map((d) => ({
        policy: d.getPolicyname(),
        level: d.getEnforcementlevel() === analyzer.EnforcementLevel.MANDATORY ? "mandatory" : "advisory",
        message: d.getMessage(),
        urn: d.getUrn(),
    }));
}

function call<Req, Res>(fn: (req: Req, cb: (e: grpc.ServiceError | null, r: Res) => void) => unknown, req: Req): Promise<Res> {
    return new Promise((resolve, reject) => fn(req, (e, r) => (e ? reject(e) : resolve(r))));
}

describe("the pack under @pulumi/policy's gRPC policy server", function () {
    this.timeout(120_000);
    let server: ChildProcess;
    let client: analyzerRpc.AnalyzerClient;

    before(async () => {
        server = spawn(process.execPath, [runPolicyPack, "127.0.0.1:0", "."], { cwd: packDir, stdio: ["ignore", "pipe", "pipe"] });
        let stderr = "";
        server.stderr!.on("data", (d) => { stderr += d; });
        const port = await new Promise<string>((resolve, reject) => {
            server.stdout!.on("data", (d: Buffer) => {
                const m = /^(\d+)\s*$/m.exec(d.toString());
                if (m) resolve(m[1]);
            });
            server.on("exit", (code) => reject(new Error(`policy pack exited with ${code}: ${stderr}`)));
        });
        client = new analyzerRpc.AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    });

    after(() => {
        client?.close();
        server?.kill();
    });

    const configure = (config: Record<string, { level?: analyzer.EnforcementLevel; properties?: Record<string, unknown> }>) => {
        const req = new analyzer.ConfigureAnalyzerRequest();
        for (const [name, c] of Object.entries(config)) {
            const pc = new analyzer.PolicyConfig();
            pc.setEnforcementlevel(c.level ?? analyzer.EnforcementLevel.MANDATORY);
            pc.setProperties(Struct.fromJavaScript((c.properties ?? {}) as never));
            req.getPolicyconfigMap().set(name, pc);
        }
        return call(client.configure.bind(client), req);
    };

    const analyze = async (type: string, name: string, props: Record<string, unknown>) => {
        const req = new analyzer.AnalyzeRequest();
        req.setType(type).setName(name).setUrn(urnOf(type, name)).setOptions(new analyzer.AnalyzerResourceOptions());
        req.setProperties(Struct.fromJavaScript(props as never));
        return toDiagnostics(await call(client.analyze.bind(client), req));
    };

    // A mandatory resource policy (wildcard actions is a stack policy: it needs the principal graph).
    const PUBLIC = "aws-s3-bucket-policy-disallow-public-principal";
    const publicRead = json({ Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: "arn:aws:s3:::b/*" });

    it("reports a mandatory violation for a known document", async () => {
        await configure({});
        const ds = await analyze("aws:s3/bucketPolicy:BucketPolicy", "p", { bucket: "b", policy: publicRead });
        const d = ds.find((x) => x.policy === PUBLIC);
        assert.ok(d, JSON.stringify(ds));
        assert.strictEqual(d.level, "mandatory");
        assert.match(d.message, /statement 0 allows Principal "\*"/);
    });

    it("turns a preview unknown into an advisory naming the property, even for a mandatory policy", async () => {
        const ds = await analyze("aws:s3/bucketPolicy:BucketPolicy", "p", { bucket: "b", policy: UNKNOWN });
        const d = ds.find((x) => x.policy === PUBLIC);
        assert.ok(d, JSON.stringify(ds));
        assert.strictEqual(d.level, "advisory");
        assert.match(d.message, /during preview: `policy` cannot be verified until the value is known/);
    });

    it("reports a suppressed violation through the reporter policy, with its reason", async () => {
        const reason = "Read-only export bucket, reviewed in SEC-7";
        await configure({ [PUBLIC]: { properties: { suppressions: [{ resource: "p", reason }] } } });
        const ds = await analyze("aws:s3/bucketPolicy:BucketPolicy", "p", { bucket: "b", policy: publicRead });
        assert.deepStrictEqual(ds.filter((x) => x.policy === PUBLIC), []);
        const reported = ds.find((x) => x.policy === "swiftsupport-suppressed-violations");
        assert.ok(reported, JSON.stringify(ds));
        assert.strictEqual(reported.level, "advisory");
        assert.match(reported.message, new RegExp(`${PUBLIC} suppressed on p: ${reason}`));
        await configure({});
    });

    it("runs stack policies over AnalyzeStack with the resource's URN", async () => {
        const bucket = new analyzer.AnalyzerResource();
        bucket.setType("aws:s3/bucket:Bucket").setName("b").setUrn(urnOf("aws:s3/bucket:Bucket", "b"))
            .setOptions(new analyzer.AnalyzerResourceOptions()).setProperties(Struct.fromJavaScript({ bucket: "b-1" }));
        const req = new analyzer.AnalyzeStackRequest();
        req.setResourcesList([bucket]);
        const ds = toDiagnostics(await call(client.analyzeStack.bind(client), req));
        const d = ds.find((x) => x.policy === "aws-s3-bucket-require-public-access-block");
        assert.ok(d, JSON.stringify(ds));
        assert.strictEqual(d.level, "mandatory");
        assert.strictEqual(d.urn, urnOf("aws:s3/bucket:Bucket", "b"));
    });
});
