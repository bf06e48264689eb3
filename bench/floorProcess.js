// The floor for `plan` end to end: a process that only imports @pulumi/pulumi and @pulumi/aws and registers N
// trivial resources on runtime mocks. `node bench/floorProcess.js N [--compile-cache]`; bench/endToEnd.ts times it
// against plan. --compile-cache gives it the same on-disk V8 code cache tools/cli.js uses (Node >= 22.1).
"use strict";
if (process.argv.includes("--compile-cache")) require("module").enableCompileCache?.(require("path").join(__dirname, "..", ".build", "compile-cache-floor"));
const pulumi = require("@pulumi/pulumi");
require("@pulumi/aws");
const { waitForRPCs } = require("@pulumi/pulumi/runtime/settings");

class Thing extends pulumi.CustomResource {
    constructor(name, index) {
        super("bench:index:Thing", name, { index });
    }
}

async function main(count) {
    pulumi.runtime.setMocks({ newResource: (args) => ({ id: `${args.name}-id`, state: args.inputs }), call: (args) => args.inputs }, "floor", "dev", false);
    await pulumi.runtime.runInPulumiStack(async () => {
        for (let i = 0; i < count; i++) new Thing(`thing-${i}`, i);
    });
    await waitForRPCs();
}

main(Number(process.argv[2] ?? 134)).catch((e) => {
    console.error(e);
    process.exitCode = 1;
});
