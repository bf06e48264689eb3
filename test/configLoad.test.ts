// How a stack's config is read from Pulumi (config/load.ts): what counts as unset, which keys belong to which kind of
// stack, and the one error that lists every problem.
import { strict as assert } from "node:assert";
import { loadBootstrapConfig, loadOrgConfig, loadPlatformConfig, stackKind } from "../config/load";
import { ProgramFailed, runProgram } from "../tools/mocks/harness";

/** Runs `read` as a program on the stack's config (with `config` overlaid) and returns what it read or the error. */
async function read<T>(read: () => T, config: Record<string, unknown> = {}, stack = "dev"): Promise<{ value?: T; error?: string }> {
    try {
        const run = await runProgram({ stack, config, program: () => ({ value: read() }) });
        return { value: run.outputs.value as T };
    } catch (e) {
        assert.ok(e instanceof ProgramFailed, String(e));
        return { error: e.message };
    }
}

describe("config/load: reading a stack's config", () => {
    it("reads the workload stack's keys, with the schema's defaults for the optional ones", async () => {
        const { value } = await read(() => loadPlatformConfig(), { deletionProtection: undefined, securityAlarms: undefined });
        assert.deepEqual(value, {
            accountId: "111111111111",
            auth0Issuer: "https://swiftsupport-dev.eu.auth0.com/",
            auth0Audience: "https://api.dev.swiftsupport.example",
            auth0SpaClientId: "DevSpaClientIdExample00000000000",
            logRetentionDays: 14,
            deletionProtection: true,
            apiThrottleBurst: 20,
            apiThrottleRate: 10,
            wafRateLimit: 500,
            siteOrigins: ["https://dev.support.swiftsupport.example"],
            functionMemoryMb: 256,
            functionTimeoutSeconds: 10,
            securityAlarms: true,
            unusedAccessAnalyzer: false,
            unusedAccessAgeDays: 90,
        });
    });

    it("returns only the keys that are set or have a default", async () => {
        const { value } = await read(() => Object.keys(loadPlatformConfig()).sort(), { stackKind: "workload" });
        assert.deepEqual(value, [
            "accountId", "apiThrottleBurst", "apiThrottleRate", "auth0Audience", "auth0Issuer", "auth0SpaClientId", "deletionProtection", "functionMemoryMb",
            "functionTimeoutSeconds", "logRetentionDays", "securityAlarms", "siteOrigins", "unusedAccessAgeDays", "unusedAccessAnalyzer", "wafRateLimit",
        ]);
    });

    it("reads Pulumi.yaml's empty defaults as unset: no value, no problem", async () => {
        const { value, error } = await read(() => loadPlatformConfig(), {
            alarmEmail: "",
            functionReservedConcurrency: 0,
            edgeAliases: [],
            reanalysisPrincipals: [],
            securityAlarms: false,
        });
        assert.equal(error, undefined);
        for (const key of ["alarmEmail", "functionReservedConcurrency", "edgeAliases", "reanalysisPrincipals"]) {
            assert.ok(!(key in (value as object)), key);
        }
    });

    it("fails with one problem, named in the singular, and with several, each on its own line", async () => {
        assert.deepEqual(await read(() => loadPlatformConfig(), { functionMemoryMb: "lots" }), {
            error: 'Stack "dev" has 1 config problem:\n  - functionMemoryMb: must be a number',
        });
        assert.deepEqual(await read(() => loadPlatformConfig(), { siteOrigins: "not json", "swiftsupport:edgeAlias": "x", "otherproject:edgeAlias": "x" }), {
            error: 'Stack "dev" has 2 config problems:\n  - edgeAlias: unknown config key (did you mean "edgeAliases"?)\n  - siteOrigins: must be a list',
        });
    });

    it("names the org stack's keys in a workload stack, and the workload's in the org stack, but not their defaults", async () => {
        const workload = await read(() => loadPlatformConfig(), { identityCenterRegion: "eu-west-1", users: [] });
        assert.equal(workload.error, 'Stack "dev" has 1 config problem:\n  - identityCenterRegion: belongs to the org stack (Pulumi.org.yaml, stackKind: org), not to a workload stack');
        const org = await read(() => loadOrgConfig(), { accountId: "111111111111", deletionProtection: true, logRetentionDays: 0 }, "org");
        assert.equal(org.error, 'Stack "org" has 1 config problem:\n  - accountId: belongs to a workload stack (stackKind: workload) or a bootstrap stack (stackKind: bootstrap), not to the org stack');
        const fine = await read(() => loadOrgConfig(), {}, "org");
        assert.deepEqual((fine.value as { environments: { name: string }[] }).environments.map((e) => e.name), ["dev", "prod"]);
    });

    it("reads a boolean a stack sets, not the default", async () => {
        const { value } = await read(() => loadPlatformConfig(), { securityAlarms: false, deletionProtection: false, unusedAccessAnalyzer: true });
        assert.deepEqual(
            (({ securityAlarms, deletionProtection, unusedAccessAnalyzer }) => ({ securityAlarms, deletionProtection, unusedAccessAnalyzer }))(value!),
            { securityAlarms: false, deletionProtection: false, unusedAccessAnalyzer: true },
        );
    });

    it("reads a bootstrap stack's keys, and names a workload's or the org's key set in it", async () => {
        assert.deepEqual(await read(() => loadBootstrapConfig(["dev", "prod", "org"]), {}, "bootstrap-dev"), {
            value: { stackKind: "bootstrap", accountId: "111111111111", githubRepository: "swiftsupport-org/swiftsupport", deployStack: "dev" },
        });
        const { error } = await read(() => loadBootstrapConfig(["prod"]), { auth0Issuer: "https://x.example/", identityCenterRegion: "eu-west-1" }, "bootstrap-dev");
        assert.equal(
            error,
            'Stack "bootstrap-dev" has 3 config problems:\n' +
                "  - identityCenterRegion: belongs to the org stack (Pulumi.org.yaml, stackKind: org), not to a bootstrap stack\n" +
                "  - auth0Issuer: belongs to a workload stack (stackKind: workload), not to a bootstrap stack\n" +
                '  - deployStack: no derived deployer permissions for stack "dev"; known: prod (a new stack: add it to tools/deployerPermissions.ts and run npm run derive:deployer)',
        );
    });

    it("tells the kind of stack from stackKind, workload by default, and refuses any other", async () => {
        assert.deepEqual(await read(() => stackKind(), { stackKind: undefined }), { value: "workload" });
        assert.deepEqual(await read(() => stackKind(), {}, "org"), { value: "org" });
        assert.deepEqual(await read(() => stackKind(), { stackKind: "workload" }), { value: "workload" });
        assert.deepEqual(await read(() => stackKind(), { stackKind: "Org" }), {
            error: 'Stack "dev" has 1 config problem:\n  - stackKind: must be one of workload, org, bootstrap, got "Org"',
        });
    });
});
