import { strict as assert } from "assert";
import { validatePlatformConfig } from "../config/schema";
import { loadStackConfig, ProgramFailed, runProgram } from "../tools/mocks/harness";

/** The stack file's project keys without the namespace, as the schema sees them. */
function stackConfig(stack: string): Record<string, any> {
    return Object.fromEntries(
        Object.entries(loadStackConfig(stack))
            .filter(([k]) => k.startsWith("swiftsupport:"))
            .map(([k, v]) => [k.slice("swiftsupport:".length), v])
            // Pulumi.yaml's empty defaults mean "unset", as config/load.ts treats them.
            .filter(([, v]) => v !== "" && v !== 0 && !(Array.isArray(v) && v.length === 0)),
    );
}

function problemsOf(mutate: (c: Record<string, any>) => void): string[] {
    const config = structuredClone(stackConfig("dev"));
    mutate(config);
    const result = validatePlatformConfig(config);
    assert.equal(result.ok, false, "expected the config to be rejected");
    return result.ok ? [] : result.problems;
}

describe("stack config", () => {
    for (const stack of ["dev", "prod"]) {
        it(`accepts Pulumi.${stack}.yaml`, () => {
            const result = validatePlatformConfig(stackConfig(stack));
            assert.deepEqual(result.ok ? [] : result.problems, []);
        });
    }

    it("defines the five platform groups, each with access, in both stacks", () => {
        for (const stack of ["dev", "prod"]) {
            const names = stackConfig(stack).groups.map((g: any) => g.name).sort();
            assert.deepEqual(names, ["DataScience", "DevOps", "Developers", "ProductManagement", "Security"]);
        }
    });

    it("names an unknown group by its path and suggests the closest", () => {
        const problems = problemsOf((c) => {
            c.users[3].groups[0] = "Devops";
        });
        assert.deepEqual(problems, ['users[3].groups[0]: unknown group "Devops" (did you mean "DevOps"?)']);
    });

    it("rejects duplicate user names and emails, case-insensitively", () => {
        const problems = problemsOf((c) => {
            c.users.push({ ...c.users[0], email: "other@swiftsupport.example" });
            c.users.push({ ...c.users[1], userName: "someone.else", email: c.users[1].email.toUpperCase() });
        });
        assert.deepEqual(problems, [
            `users[5].userName: duplicate user name "alice.dev" (also users[0])`,
            `users[6].email: duplicate email "omar.haddad@swiftsupport.example" (also users[1])`,
        ]);
    });

    it("rejects an invalid email", () => {
        assert.deepEqual(
            problemsOf((c) => {
                c.users[2].email = "sana.iqbal@";
            }),
            ["users[2].email: is not a valid email address"],
        );
    });

    it("rejects a group with no access and an unknown access name", () => {
        const problems = problemsOf((c) => {
            c.groups[0].access = [];
            c.groups[1].access = ["functions:read", "function:operate", "s3:GetObject"];
        });
        assert.equal(problems.length, 3);
        assert.equal(problems[0], "groups[0].access: a group needs at least one access name");
        assert.match(problems[1], /^groups\[1\]\.access\[1\]: unknown access "function:operate" \(did you mean "functions:operate"\?\)/);
        assert.match(problems[2], /^groups\[1\]\.access\[2\]: unknown access "s3:GetObject"; known: functions:read, /);
    });

    it("keeps session durations within PT1H..PT12H", () => {
        const problems = problemsOf((c) => {
            c.groups[0].sessionDuration = "PT13H";
            c.groups[1].sessionDuration = "PT30M";
            c.groups[2].sessionDuration = "8h";
            c.groups[3].sessionDuration = "PT1H30M";
        });
        assert.deepEqual(problems, [
            'groups[0].sessionDuration: "PT13H" is outside PT1H..PT12H',
            'groups[1].sessionDuration: "PT30M" is outside PT1H..PT12H',
            'groups[2].sessionDuration: "8h" is not an ISO-8601 duration like PT8H',
        ]);
    });

    it("rejects knobs out of range and unpaired optional settings", () => {
        const problems = problemsOf((c) => {
            c.logRetentionDays = 10;
            c.siteOrigins = ["http://insecure.example", "https://site.example/", "https://*.example.com"];
            c.identityStoreId = "d-1234567890";
        });
        assert.equal(problems.length, 5);
        assert.match(problems[0], /^logRetentionDays: must be one of 1, 3, 5, 7, 14/);
        assert.match(problems[1], /^siteOrigins\[0\]: must be an https:\/\/ URL/);
        assert.match(problems[2], /^siteOrigins\[1\]: must be an origin: https:\/\/host\[:port\], no path, no trailing \//);
        assert.match(problems[3], /^siteOrigins\[2\]: must be an origin/);
        assert.match(problems[4], /^identityStoreId: set both identityCenterInstanceArn and identityStoreId/);
    });

    describe("in the program", () => {
        it("fails before any resource with one error listing every problem", async () => {
            const users = structuredClone(stackConfig("dev").users);
            users[3].groups[0] = "Devops";
            users[4].email = "not-an-email";
            let failure: unknown;
            try {
                await runProgram({ config: { users, logRetentionDays: 10, "swiftsupport:logRetentionDay": 14 } });
            } catch (e) {
                failure = e;
            }
            assert.ok(failure instanceof ProgramFailed, `expected ProgramFailed, got ${failure}`);
            const message = failure.message;
            assert.match(message, /Stack "dev" has 4 config problems:/);
            assert.match(message, /- logRetentionDay: unknown config key \(did you mean "logRetentionDays"\?\)/);
            assert.match(message, /- logRetentionDays: must be one of/);
            assert.match(message, /- users\[3\]\.groups\[0\]: unknown group "Devops" \(did you mean "DevOps"\?\)/);
            assert.match(message, /- users\[4\]\.email: is not a valid email address/);
            assert.deepEqual(
                failure.resources.filter((r) => r.type !== "pulumi:pulumi:Stack").map((r) => r.urn),
                [],
                "no resource may be registered when config is invalid",
            );
        });

        it("reports a missing required key and a value of the wrong type", async () => {
            await assert.rejects(
                runProgram({ config: { accountId: undefined, deletionProtection: "maybe" } }),
                (e: Error) => {
                    assert.match(e.message, /- accountId: is required/);
                    assert.match(e.message, /- deletionProtection: .*boolean/i);
                    return true;
                },
            );
        });
    });
});
