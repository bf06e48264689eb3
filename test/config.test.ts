import { strict as assert } from "assert";
import { ORG_CONFIG_KEYS, validateOrgConfig } from "../config/orgSchema";
import { CONFIG_KEYS, validatePlatformConfig } from "../config/schema";
import { ProgramFailed, loadStackConfig, runProgram } from "../tools/mocks/harness";

/** The stack file's keys of one kind of stack, without the namespace, as its schema sees them. */
function stackConfig(stack: string, keys: Record<string, unknown> = stack === "org" ? ORG_CONFIG_KEYS : CONFIG_KEYS): Record<string, unknown> {
    return Object.fromEntries(
        Object.entries(loadStackConfig(stack))
            .filter(([k]) => k.startsWith("swiftsupport:"))
            .map(([k, v]) => [k.slice("swiftsupport:".length), v])
            .filter(([k]) => (k as string) in keys)
            // Pulumi.yaml's empty defaults mean "unset", as config/load.ts treats them.
            .filter(([, v]) => v !== "" && v !== 0 && !(Array.isArray(v) && v.length === 0)),
    );
}

/** The org stack's config as its YAML gives it, the parts the tests change (to break it on purpose). */
interface RawOrgConfig {
    environments: { name: string; accountId: string; stack: string }[];
    groups: { name: string; environments: Record<string, { access?: string[]; sessionDuration?: string }> }[];
    users: { userName: string; email?: string; emial?: string; groups: string[] }[];
    [key: string]: unknown;
}

function problemsOf(stack: "dev", mutate: (c: Record<string, unknown>) => void): string[];
function problemsOf(stack: "org", mutate: (c: RawOrgConfig) => void): string[];
function problemsOf(stack: "dev" | "org", mutate: ((c: Record<string, unknown>) => void) | ((c: RawOrgConfig) => void)): string[] {
    const config = structuredClone(stackConfig(stack));
    (mutate as (c: Record<string, unknown>) => void)(config);
    const result = stack === "org" ? validateOrgConfig(config) : validatePlatformConfig(config);
    assert.equal(result.ok, false, "expected the config to be rejected");
    return result.ok ? [] : result.problems;
}

/** The run's failure, which must come before any resource. */
async function failureOf(run: Promise<unknown>): Promise<ProgramFailed> {
    const failure = await run.then(() => undefined, (e: unknown) => e);
    assert.ok(failure instanceof ProgramFailed, `expected ProgramFailed, got ${failure}`);
    assert.deepEqual(failure.resources.filter((r) => r.type !== "pulumi:pulumi:Stack").map((r) => r.urn), [], "no resource may be registered when config is invalid");
    return failure;
}

describe("stack config", () => {
    for (const stack of ["dev", "prod"]) {
        it(`accepts Pulumi.${stack}.yaml as a workload stack`, () => {
            const result = validatePlatformConfig(stackConfig(stack));
            assert.deepEqual(result.ok ? [] : result.problems, []);
        });
    }

    it("accepts Pulumi.org.yaml as the org stack, with the five platform groups", () => {
        const result = validateOrgConfig(stackConfig("org"));
        assert.deepEqual(result.ok ? [] : result.problems, []);
        assert.deepEqual((stackConfig("org") as RawOrgConfig).groups.map((g) => g.name).sort(), ["DataScience", "DevOps", "Developers", "ProductManagement", "Security"]);
    });

    it("rejects workload knobs out of range and unpaired optional settings", () => {
        const problems = problemsOf("dev", (c) => {
            c.logRetentionDays = 10;
            c.siteOrigins = ["http://insecure.example", "https://site.example/", "https://*.example.com"];
            c.edgeAliases = ["support.example.com"];
        });
        assert.equal(problems.length, 5);
        assert.match(problems[0], /^logRetentionDays: must be one of 1, 3, 5, 7, 14/);
        assert.match(problems[1], /^siteOrigins\[0\]: must be an https:\/\/ URL/);
        assert.match(problems[2], /^siteOrigins\[1\]: must be an origin: https:\/\/host\[:port\], no path, no trailing \//);
        assert.match(problems[3], /^siteOrigins\[2\]: must be an origin/);
        assert.match(problems[4], /^edgeCertificateArn: set both edgeAliases and edgeCertificateArn/);
    });

    it("requires the site's Auth0 client id, refuses one that is not an id, and an issuer that is not a tenant root", async () => {
        const problems = problemsOf("dev", (c) => {
            c.auth0SpaClientId = "abc def/../";
            c.auth0Issuer = "https://tenant.eu.auth0.com/oauth/";
        });
        assert.deepEqual(problems, [
            "auth0Issuer: must be the tenant's root, like https://tenant.eu.auth0.com/",
            "auth0SpaClientId: must be the Auth0 SPA application's Client ID (letters, digits, _ and -)",
        ]);
        const failure = await failureOf(runProgram({ config: { auth0SpaClientId: "" } }));
        assert.match(failure.message, /- auth0SpaClientId: is required/);
    });

    describe("of the org stack", () => {
        it("names an unknown group, environment and access by their path and suggests the closest", () => {
            const problems = problemsOf("org", (c) => {
                c.users[3].groups[0] = "Securty";
                c.groups[0].environments.prd = c.groups[0].environments.prod;
                c.groups[1].environments.dev.access = ["functions:read", "function:operate", "s3:GetObject"];
            });
            assert.equal(problems.length, 4);
            assert.match(problems[0], /^groups\[0\]\.environments\.prd: unknown environment "prd" \(did you mean "prod"\?\); known: dev, prod$/);
            assert.match(problems[1], /^groups\[1\]\.environments\.dev\.access\[1\]: unknown access "function:operate" \(did you mean "functions:operate"\?\)/);
            assert.match(problems[2], /^groups\[1\]\.environments\.dev\.access\[2\]: unknown access "s3:GetObject"; known: functions:read, /);
            assert.equal(problems[3], 'users[3].groups[0]: unknown group "Securty" (did you mean "Security"?)');
        });

        it("rejects a duplicate account id, environment name or stack", () => {
            const problems = problemsOf("org", (c) => {
                c.environments.push({ name: "staging", accountId: "111111111111", stack: "swiftsupport-org/swiftsupport/staging" });
                c.environments.push({ name: "Dev", accountId: "333333333333", stack: "swiftsupport-org/swiftsupport/prod" });
            });
            assert.deepEqual(problems, [
                'environments[3].name: must be 1-16 of lower-case letters, digits and -, starting with a letter',
                'environments[3].name: duplicate environment name "dev" (also environments[0])',
                'environments[2].accountId: duplicate account id "111111111111" (also environments[0])',
                'environments[3].stack: duplicate stack "swiftsupport-org/swiftsupport/prod" (also environments[1])',
            ]);
        });

        it("rejects names over AWS limits: permission sets of more than 32 characters, long environment and user names", () => {
            // 28 + "-dev" fits in 32 characters, 28 + "-prod" does not.
            assert.deepEqual(
                problemsOf("org", (c) => {
                    c.groups[4].name = "ProductManagementAndFinances";
                    c.users[5].groups = ["ProductManagementAndFinances"];
                }),
                ['groups[4].environments.prod: permission set name "ProductManagementAndFinances-prod" is 33 characters; AWS allows 32: shorten the group or environment name'],
            );
            assert.deepEqual(
                problemsOf("org", (c) => {
                    c.environments[0].name = "development-eu-west";
                    c.users[0].userName = "a".repeat(129);
                }),
                [
                    "environments[0].name: must be 1-16 of lower-case letters, digits and -, starting with a letter",
                    "users[0].userName: letters, digits and + = , . @ _ - only (1-128)",
                    // The groups still name "dev": reported too, with the closest known name.
                    ...["Developers", "DevOps", "Security", "DataScience", "ProductManagement"].map(
                        (_, i) => `groups[${i}].environments.dev: unknown environment "dev"; known: development-eu-west, prod`,
                    ),
                ],
            );
        });

        it("rejects duplicate user names and emails, an invalid email and bad session durations", () => {
            const problems = problemsOf("org", (c) => {
                c.users.push({ ...c.users[0], email: "other@swiftsupport.example" });
                c.users[2].email = "grace@";
                c.groups[0].environments.dev.sessionDuration = "PT13H";
                c.groups[1].environments.prod.sessionDuration = "8h";
            });
            assert.deepEqual(problems, [
                'groups[0].environments.dev.sessionDuration: "PT13H" is outside PT1H..PT12H',
                'groups[1].environments.prod.sessionDuration: "8h" is not an ISO-8601 duration like PT8H',
                "users[2].email: is not a valid email address",
                'users[6].userName: duplicate user name "alice.dev" (also users[0])',
            ]);
            assert.deepEqual(problemsOf("org", (c) => c.users.push({ ...c.users[1], userName: "omar.h", email: c.users[1].email!.toUpperCase() })), [
                'users[6].email: duplicate email "omar.haddad@swiftsupport.example" (also users[1])',
            ]);
        });
    });

    it("still checks cross-field rules when another value has the wrong type, and names the type", () => {
        const problems = problemsOf("dev", (c) => {
            c.functionMemoryMb = "lots";
            c.edgeAliases = ["support.example.com"];
        });
        assert.deepEqual(problems, ["functionMemoryMb: must be a number", "edgeCertificateArn: set both edgeAliases and edgeCertificateArn, or neither"]);
    });

    it("names a misspelt key inside a user with the key it resembles, and a wrong type by its type", () => {
        const problems = problemsOf("org", (c) => {
            c.users[0].emial = c.users[0].email;
            delete c.users[0].email;
            (c.groups[0] as { environments: unknown }).environments = "dev";
        });
        assert.deepEqual(problems.sort(), [
            "groups[0].environments: must be a mapping of keys to values",
            "users[0].email: is required",
            'users[0].emial: unknown key (did you mean "email"?)',
        ]);
    });

    describe("in the program", () => {
        it("fails a workload stack before any resource with one error listing every problem", async () => {
            const failure = await failureOf(runProgram({ config: { logRetentionDays: 10, "swiftsupport:logRetentionDay": 14, siteOrigins: ["http://x.example"] } }));
            assert.match(failure.message, /Stack "dev" has 3 config problems:/);
            assert.match(failure.message, /- logRetentionDay: unknown config key \(did you mean "logRetentionDays"\?\)/);
            assert.match(failure.message, /- logRetentionDays: must be one of/);
            assert.match(failure.message, /- siteOrigins\[0\]: must be an https:\/\/ URL/);
        });

        it("reports a missing required key, a value of the wrong type, and people left in a workload stack", async () => {
            const failure = await failureOf(runProgram({ config: { accountId: undefined, deletionProtection: "maybe", groups: [{ name: "Developers" }] } }));
            assert.match(failure.message, /- accountId: is required/);
            assert.match(failure.message, /- deletionProtection: must be a boolean \(true or false\)$/m);
            assert.match(failure.message, /- groups: belongs to the org stack \(Pulumi\.org\.yaml, stackKind: org\), not to a workload stack/);
        });

        it("refuses a stack kind it does not know", async () => {
            const failure = await failureOf(runProgram({ config: { stackKind: "organisation" } }));
            assert.match(failure.message, /Stack "dev" has 1 config problem:\n {2}- stackKind: must be one of workload, org, bootstrap, got "organisation"/);
        });

        it("fails the org stack before any resource, StackReferences included, with every problem", async () => {
            const org = structuredClone(stackConfig("org")) as RawOrgConfig;
            org.users[3].groups[0] = "Securty";
            org.environments[1].accountId = "111111111111";
            org.groups[3].environments.staging = org.groups[3].environments.prod;
            const failure = await failureOf(
                runProgram({ stack: "org", config: { users: org.users, environments: org.environments, groups: org.groups, identityCenterRegion: undefined, auth0Issuer: "https://x.example/" } }),
            );
            assert.match(failure.message, /Stack "org" has 5 config problems:/);
            assert.match(failure.message, /- identityCenterRegion: is required/);
            assert.match(failure.message, /- auth0Issuer: belongs to a workload stack/);
            assert.match(failure.message, /- environments\[1\]\.accountId: duplicate account id "111111111111" \(also environments\[0\]\)/);
            assert.match(failure.message, /- groups\[3\]\.environments\.staging: unknown environment "staging"/);
            assert.match(failure.message, /- users\[3\]\.groups\[0\]: unknown group "Securty" \(did you mean "Security"\?\)/);
        });
    });
});
