import { strict as assert } from "node:assert";
import { z } from "zod";
import { formatPath, suggestion, validateWith } from "../config/problems";
import { validateOrgConfig } from "../config/orgSchema";
import { problemsOf, sessionMinutes, validatePlatformConfig } from "../config/schema";

describe("stack config problems, as a person editing YAML reads them", () => {
    it("writes a path the way YAML is navigated", () => {
        assert.equal(formatPath([]), "");
        assert.equal(formatPath(["users", 3, "groups", 0]), "users[3].groups[0]");
        assert.equal(formatPath(["groups", 1, "environments", "dev", "access", 2]), "groups[1].environments.dev.access[2]");
        assert.equal(formatPath([0, "name"]), "[0].name");
    });

    it("suggests the closest known value, in its own spelling, only when it is close", () => {
        assert.equal(suggestion("Securty", ["DevOps", "Security"]), ' (did you mean "Security"?)');
        assert.equal(suggestion("devops", ["Security", "DevOps"]), ' (did you mean "DevOps"?)');
        assert.equal(suggestion("anything", []), "");
        // Up to two edits for a short name, a third of the length for a long one.
        assert.equal(suggestion("dxx", ["dev"]), ' (did you mean "dev"?)');
        assert.equal(suggestion("xxx", ["dev"]), "");
        assert.equal(suggestion("fXXXXXons:operate", ["functions:operate"]), ' (did you mean "functions:operate"?)');
        assert.equal(suggestion("fXXXXXXns:operate", ["functions:operate"]), "");
    });

    it("says a value is missing, or which type it must be", () => {
        const schema = z.strictObject({ count: z.number(), flag: z.boolean(), when: z.date().optional() });
        assert.deepEqual(validateWith(schema, { flag: "yes", when: "today" }), {
            ok: false,
            problems: ["count: is required", "flag: must be a boolean (true or false)", "when: must be date"],
        });
        assert.deepEqual(validateWith(z.string(), 5), { ok: false, problems: ["must be a string"] });
        assert.deepEqual(validateWith(z.string().min(2, "too short"), "a"), { ok: false, problems: ["too short"] });
        assert.deepEqual(validateWith(schema, { count: 1, flag: true }), { ok: true, value: { count: 1, flag: true } });
    });

    it("words an error from a plain safeParse by path too (problemsOf), a missing value as required", () => {
        const parsed = z.strictObject({ people: z.array(z.strictObject({ name: z.string() })) }).safeParse({ people: [{ name: "a" }, {}] });
        assert.deepEqual(problemsOf(parsed.error!), ["people[1].name: is required"]);
    });

    it("names each unknown key by its path, with the key it resembles at that place", () => {
        const schema = z.strictObject({
            users: z.array(z.strictObject({ email: z.string(), name: z.string() })).optional(),
            settings: z.strictObject({ retentionDays: z.number() }).nullable().default(null),
            tags: z.record(z.string(), z.string()),
            limits: z.record(z.string(), z.strictObject({ maximum: z.number() })).optional(),
            either: z.union([z.strictObject({ size: z.strictObject({ width: z.number() }) }), z.strictObject({ sizes: z.array(z.number()) })]).optional(),
        });
        const result = validateWith(schema, {
            users: [{ email: "a@example.com", name: "a", emial: "x" }],
            settings: { retentionDay: 3, retentionDays: 3 },
            tags: {},
            limits: { dev: { maximum: 1, maximun: 2 } },
            either: { size: { width: 1, widht: 2 } },
            user: [],
        });
        assert.deepEqual(result, {
            ok: false,
            problems: [
                'users[0].emial: unknown key (did you mean "email"?)',
                'settings.retentionDay: unknown key (did you mean "retentionDays"?)',
                'limits.dev.maximun: unknown key (did you mean "maximum"?)',
                // A union has no one set of keys to suggest from.
                "either.size.widht: unknown key",
                'user: unknown key (did you mean "users"?)',
            ],
        });
    });

    it("reads session durations of hours and minutes, between one and twelve hours", () => {
        assert.equal(sessionMinutes("PT8H"), 480);
        assert.equal(sessionMinutes("PT1H30M"), 90);
        assert.equal(sessionMinutes("PT45M"), 45);
        for (const bad of ["PT", "8h", "PT8H ", "P1D", "PT1.5H", "xPT8H"]) assert.equal(sessionMinutes(bad), undefined, bad);
    });

    it("checks the workload stack's cross-field rules and URL shapes", () => {
        const valid = {
            accountId: "111111111111",
            auth0Issuer: "https://tenant.eu.auth0.com/",
            auth0Audience: "https://api.swiftsupport.example",
            auth0SpaClientId: "SpaClientId_01",
            logRetentionDays: 30,
            apiThrottleBurst: 50,
            apiThrottleRate: 25,
            wafRateLimit: 1000,
            siteOrigins: ["https://support.example.com", "https://localhost:8443"],
            functionMemoryMb: 256,
            functionTimeoutSeconds: 10,
        };
        const problems = (change: Record<string, unknown>) => {
            const result = validatePlatformConfig({ ...valid, ...change });
            return result.ok ? [] : result.problems;
        };
        assert.deepEqual(problems({}), []);
        assert.deepEqual(problems({ auth0Issuer: "https://tenant.eu.auth0.com" }), ["auth0Issuer: must end with / (Auth0 issuers do)"]);
        assert.deepEqual(problems({ siteOrigins: ["https://support.example.com/app"] }), [
            "siteOrigins[0]: must be an origin: https://host[:port], no path, no trailing /, no wildcard",
        ]);
        assert.deepEqual(problems({ securityAlarms: false, alarmEmail: "ops@example.com" }), ["alarmEmail: is set but securityAlarms is false"]);
        assert.deepEqual(problems({ securityAlarms: true, alarmEmail: "ops@example.com" }), []);
        assert.deepEqual(problems({ securityAlarms: false }), []);
        assert.deepEqual(problems({ edgeCertificateArn: "arn:aws:acm:us-east-1:111111111111:certificate/0a1b" }), [
            "edgeCertificateArn: set both edgeAliases and edgeCertificateArn, or neither",
        ]);
        assert.deepEqual(problems({ edgeAliases: ["support.example.com"], edgeCertificateArn: "arn:aws:acm:us-east-1:111111111111:certificate/0a1b" }), []);
        const defaults = validatePlatformConfig(valid);
        assert.ok(defaults.ok);
        assert.deepEqual(
            [defaults.config.deletionProtection, defaults.config.securityAlarms, defaults.config.unusedAccessAnalyzer, defaults.config.unusedAccessAgeDays],
            [true, true, false, 90],
        );
    });
});

describe("org stack config: cross-field rules", () => {
    const valid = () => ({
        stackKind: "org",
        identityCenterRegion: "eu-west-1",
        environments: [
            { name: "dev", accountId: "111111111111", stack: "acme/swiftsupport/dev" },
            { name: "prod", accountId: "222222222222", stack: "acme/swiftsupport/prod" },
        ],
        groups: [
            { name: "Developers", description: "Build things.", environments: { dev: { sessionDuration: "PT8H", access: ["functions:read", "logs:read"] } } },
            { name: "Security", description: "Audit things.", environments: { prod: { sessionDuration: "PT1H", access: ["audit:read"] } } },
        ],
        users: [
            { userName: "alice", displayName: "Alice A", givenName: "Alice", familyName: "A", email: "alice@example.com", groups: ["Developers"] },
            { userName: "bob", displayName: "Bob B", givenName: "Bob", familyName: "B", email: "bob@example.com", groups: ["Security", "Developers"] },
        ],
    });
    type Org = ReturnType<typeof valid> & Record<string, unknown>;
    const problems = (change: (c: Org) => void) => {
        const config = valid() as Org;
        change(config);
        const result = validateOrgConfig(config);
        return result.ok ? [] : result.problems;
    };

    it("accepts a consistent org config, and the session bounds PT1H and PT12H", () => {
        assert.deepEqual(problems(() => undefined), []);
        assert.deepEqual(problems((c) => (c.groups[0].environments.dev!.sessionDuration = "PT12H")), []);
        assert.deepEqual(problems((c) => (c.groups[0].environments.dev!.sessionDuration = "PT12H1M")), ['groups[0].environments.dev.sessionDuration: "PT12H1M" is outside PT1H..PT12H']);
        assert.deepEqual(problems((c) => (c.groups[0].environments.dev!.sessionDuration = "PT59M")), ['groups[0].environments.dev.sessionDuration: "PT59M" is outside PT1H..PT12H']);
    });

    it("names a duplicate group (any case), a group with no environment, and a repeated access", () => {
        assert.deepEqual(problems((c) => c.groups.push({ ...c.groups[0], name: "developers" })), ['groups[2].name: duplicate group "developers" (also groups[0])']);
        assert.deepEqual(problems((c) => ((c.groups[1] as { environments: object }).environments = {})), ["groups[1].environments: a group needs access in at least one environment"]);
        assert.deepEqual(problems((c) => (c.groups[0].environments.dev!.access = ["logs:read", "functions:read", "logs:read"])), [
            'groups[0].environments.dev.access[2]: duplicate access "logs:read"',
        ]);
    });

    it("checks each group and user it can read even when another one is malformed", () => {
        assert.deepEqual(
            problems((c) => {
                (c.groups as unknown[]).unshift("not a group");
                c.users[1].groups = ["Securty", 7 as unknown as string];
            }),
            [
                "groups[0]: must be a mapping of keys to values",
                "users[1].groups[1]: must be a string",
                'users[1].groups[0]: unknown group "Securty" (did you mean "Security"?)',
            ],
        );
        assert.deepEqual(
            problems((c) => {
                (c.groups[0] as { name: unknown }).name = 5;
                c.groups[1].environments = { staging: { sessionDuration: "PT1H", access: [5 as unknown as string, "audit:read"] } } as never;
            }),
            [
                "groups[0].name: must be a string",
                "groups[1].environments.staging.access[0]: must be a string",
                'groups[1].environments.staging: unknown environment "staging"; known: dev, prod',
                'users[0].groups[0]: unknown group "Developers"',
                'users[1].groups[1]: unknown group "Developers"',
            ],
        );
    });

    it("suggests the key a misspelt one inside a group's environment grant resembles", () => {
        assert.deepEqual(problems((c) => Object.assign(c.groups[0].environments.dev!, { sesionDuration: "PT1H" })), [
            'groups[0].environments.dev.sesionDuration: unknown key (did you mean "sessionDuration"?)',
        ]);
    });

    it("adds no cross-field problem about a part that is already malformed", () => {
        const cases: [string, (c: Org) => void, string[]][] = [
            ["environments as a list", (c) => (c.groups[0].environments = ["dev"] as never), ["groups[0].environments: must be a mapping of keys to values"]],
            ["a grant that is not a mapping", (c) => (c.groups[0].environments = { dev: "admin" } as never), ["groups[0].environments.dev: must be a mapping of keys to values"]],
            ["an access that is not a string", (c) => (c.groups[0].environments.dev!.access = [5 as unknown as string, "logs:read"]), ["groups[0].environments.dev.access[0]: must be a string"]],
            [
                "a group without a name, even in an unknown environment",
                (c) => {
                    delete (c.groups[0] as { name?: string }).name;
                    c.groups[0].environments = { staging: c.groups[0].environments.dev } as never;
                },
                ["groups[0].name: is required", 'users[0].groups[0]: unknown group "Developers"', 'users[1].groups[1]: unknown group "Developers"'],
            ],
            [
                "an environment whose name is not a string",
                (c) => ((c.environments[1] as { name: unknown }).name = 7),
                ["environments[1].name: must be a string", 'groups[1].environments.prod: unknown environment "prod"; known: dev'],
            ],
        ];
        for (const [what, change, expected] of cases) assert.deepEqual(problems(change), expected, what);
    });

    it("wants the Identity Center instance and identity store together, or neither", () => {
        const arn = "arn:aws:sso:::instance/ssoins-72230000aaaa0001";
        assert.deepEqual(problems((c) => (c.identityCenterInstanceArn = arn)), [
            "identityStoreId: set both identityCenterInstanceArn and identityStoreId, or neither (then they are looked up)",
        ]);
        assert.deepEqual(problems((c) => (c.identityStoreId = "d-1234567890")), [
            "identityStoreId: set both identityCenterInstanceArn and identityStoreId, or neither (then they are looked up)",
        ]);
        assert.deepEqual(problems((c) => Object.assign(c, { identityCenterInstanceArn: arn, identityStoreId: "d-1234567890" })), []);
    });

    it("reports only the shape when the whole config is not a mapping", () => {
        assert.deepEqual(validateOrgConfig("org"), { ok: false, problems: ["must be a mapping of keys to values"] });
        assert.deepEqual(validateOrgConfig([]), { ok: false, problems: ["must be a mapping of keys to values"] });
    });
});
