import { strict as assert } from "node:assert";
import { siteBuild } from "../../components/site/build";
import { runtimeConfig, SiteContent } from "../../components/site/siteContent";
import { PrivateBucket } from "../../components/storage/privateBucket";
import { parseRuntimeConfig } from "../../site/src/runtimeConfig";
import { ProgramFailed, ProgramRun, RecordedResource, runProgram } from "../../tools/mocks/harness";

const OBJECT = "aws:s3/bucketObjectv2:BucketObjectv2";
const ARGS = { auth0Issuer: "https://tenant.eu.auth0.com/", clientId: "abcDEF123", audience: "https://api.example", apiBase: "/api" };

const byKey = (run: ProgramRun) => new Map(run.ofType(OBJECT).map((o) => [o.inputs.key as string, o]));

describe("SiteContent", () => {
    describe("in the workload stacks", () => {
        const runs: Record<string, ProgramRun> = {};
        before(async () => {
            for (const stack of ["dev", "prod"]) runs[stack] = await runProgram({ stack });
        });

        it("uploads every built file and config.json to the site bucket, each with its content type and caching", () => {
            const run = runs.dev;
            const bucket = run.named("aws:s3/bucket:Bucket", "site");
            const objects = byKey(run);
            const expected = [...siteBuild().files.map((f) => f.path), "config.json"].sort();
            assert.deepEqual([...objects.keys()].sort(), expected);
            for (const file of siteBuild().files) {
                const object = objects.get(file.path)!;
                assert.equal(object.inputs.bucket, bucket.id, `${file.path} goes to the site bucket`);
                assert.equal(object.inputs.content, file.content);
                assert.equal(object.inputs.contentType, file.contentType);
                assert.equal(object.inputs.cacheControl, file.cacheControl);
                assert.equal(object.inputs.acl, undefined, "no ACL: the bucket owner owns every object");
            }
            const config = objects.get("config.json")!;
            assert.equal(config.inputs.contentType, "application/json");
            assert.equal(config.inputs.cacheControl, "no-cache");
            assert.equal(objects.get("index.html")!.inputs.cacheControl, "no-cache");
        });

        it("writes config.json from each stack's config, in the shape the page reads", () => {
            const expected = {
                dev: { auth0Domain: "swiftsupport-dev.eu.auth0.com", clientId: "DevSpaClientIdExample00000000000", audience: "https://api.dev.swiftsupport.example", apiBase: "/api" },
                prod: { auth0Domain: "swiftsupport.eu.auth0.com", clientId: "ProdSpaClientIdExample0000000000", audience: "https://api.swiftsupport.example", apiBase: "/api" },
            };
            for (const [stack, config] of Object.entries(expected)) {
                const content = JSON.parse(byKey(runs[stack]).get("config.json")!.inputs.content);
                assert.deepEqual(content, config, stack);
                assert.deepEqual(parseRuntimeConfig(content), config, `${stack}: the page accepts it`);
            }
        });

        it("creates objects only once the bucket enforces owner ownership and default encryption", () => {
            const run = runs.dev;
            const ownership = run.named("aws:s3/bucketOwnershipControls:BucketOwnershipControls", "site-ownership");
            const encryption = run.named("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", "site-encryption");
            for (const object of run.ofType(OBJECT)) {
                assert.ok(object.dependencies.includes(ownership.urn), `${object.name} before ownership controls`);
                assert.ok(object.dependencies.includes(encryption.urn), `${object.name} before encryption`);
            }
        });

        it("expires the objects a new build replaces after 30 days: recoverable for a month, and the bucket does not grow forever", () => {
            const lifecycle = runs.dev.named("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", "site-lifecycle");
            assert.equal(lifecycle.inputs.bucket, runs.dev.named("aws:s3/bucket:Bucket", "site").id);
            assert.deepEqual(lifecycle.inputs.rules[0].noncurrentVersionExpiration, { noncurrentDays: 30 });
        });

        it("plans the same objects on every run (the build is deterministic)", async () => {
            const again = byKey(await runProgram({ stack: "dev" }));
            const first = byKey(runs.dev);
            assert.deepEqual([...again.keys()].sort(), [...first.keys()].sort());
            for (const [key, object] of again) assert.equal(object.inputs.content, first.get(key)!.inputs.content, key);
        });
    });

    it("derives auth0Domain from the issuer's host, custom domains and ports included", () => {
        assert.equal(runtimeConfig(ARGS).auth0Domain, "tenant.eu.auth0.com");
        assert.equal(runtimeConfig({ ...ARGS, auth0Issuer: "https://login.example.com:8443/" }).auth0Domain, "login.example.com:8443");
    });

    it("refuses an issuer the page could not sign in with, an unusable apiBase, and a build without index.html", async () => {
        const refused = async (args: Partial<typeof ARGS>, files = siteBuild().files, message: RegExp) => {
            const failure = await runProgram({
                program: () => {
                    const bucket = new PrivateBucket("b", {});
                    new SiteContent("site", { bucket, files, ...ARGS, ...args });
                },
            }).then(() => undefined, (e: unknown) => e);
            assert.ok(failure instanceof ProgramFailed, "expected the program to fail");
            assert.match(failure.message, message);
            const objects: RecordedResource[] = failure.resources.filter((r) => r.type === OBJECT);
            assert.deepEqual(objects, [], "nothing uploaded");
        };
        await refused({ auth0Issuer: "http://tenant.eu.auth0.com/" }, undefined, /SiteContent site: auth0Issuer "http:\/\/tenant.eu.auth0.com\/" must be https/);
        await refused({ auth0Issuer: "https://tenant.eu.auth0.com/tenant/" }, undefined, /must be a tenant root/);
        await refused({ apiBase: "api/" }, undefined, /apiBase "api\/" must be one path segment/);
        await refused({}, siteBuild().files.slice(1), /the build has no index.html/);
        await refused({}, [...siteBuild().files, siteBuild().files[0]], /more than one file for index.html/);
    });
});
