#!/usr/bin/env node
// `swiftsupport plan|check|dev [options]` (`npx swiftsupport ...`; `npm run plan`, `check` and `dev` call it too).
// Runs the TypeScript commands from one JavaScript file per command that esbuild bundles into .build/tools/
// (git-ignored) on first use, and again whenever one of the files it was built from changed: a run pays neither
// ts-node nor a type-check (`npm run typecheck` does that). Dependencies stay in node_modules, not in the bundle.
"use strict";

const fs = require("fs");
const path = require("path");

const ROOT = path.resolve(__dirname, "..");
// Two levels below the root, like tools/lib/ and components/*/: the bundled modules find the files they read
// next to them (`path.join(__dirname, "..", "..", ...)`) the same way.
const OUT = path.join(ROOT, ".build", "tools");
const COMMANDS = { plan: "tools/plan", check: "tools/check", dev: "tools/dev" };
const USAGE = "usage: swiftsupport plan|check|dev [options]   (swiftsupport <command> --help for its options)";

/** The bundle for `command` when every file it was built from is unchanged since, else undefined. */
function freshBundle(command) {
    const bundle = path.join(OUT, `${command}.js`);
    try {
        const { builtAt, inputs } = JSON.parse(fs.readFileSync(path.join(OUT, `${command}.inputs.json`), "utf8"));
        for (const input of inputs) if (fs.statSync(path.join(ROOT, input)).mtimeMs > builtAt) return undefined;
        return fs.existsSync(bundle) ? bundle : undefined;
    } catch {
        return undefined;
    }
}

function build(command) {
    const builtAt = Date.now();
    const esbuild = require("esbuild");
    fs.mkdirSync(OUT, { recursive: true });
    const partial = path.join(OUT, `${command}.${process.pid}.partial.js`);
    // The harness runs the program with require(<root>/index.ts); the bundle carries index.ts compiled and puts it
    // in the module cache under that path, so plain node never has to load TypeScript.
    const program = [
        `import program = require("./index");`,
        `import Module = require("module");`,
        `import * as path from "path";`,
        `const file = path.join(__dirname, "..", "..", "index.ts");`,
        `const loaded = new Module(file);`,
        `loaded.filename = file;`,
        `loaded.exports = program;`,
        `loaded.loaded = true;`,
        `require.cache[file] = loaded;`,
    ];
    const entry = [
        ...(command === "plan" ? program : []),
        `import { main } from "./${COMMANDS[command]}";`,
        `import { runAsCli } from "./tools/lib/cliArgs";`,
        `runAsCli(main);`,
    ].join("\n");
    const result = esbuild.buildSync({
        stdin: { contents: entry, resolveDir: ROOT, sourcefile: `swiftsupport-${command}.ts`, loader: "ts" },
        absWorkingDir: ROOT,
        bundle: true,
        platform: "node",
        target: "node20",
        format: "cjs",
        packages: "external",
        outfile: partial,
        metafile: true,
        logLevel: "error",
    });
    // The entry is this file's text (its sourcefile is no file on disk): this file stands for it.
    const inputs = Object.keys(result.metafile.inputs).filter((f) => f !== `swiftsupport-${command}.ts` && !f.includes("node_modules"));
    inputs.push(path.relative(ROOT, __filename));
    // Renamed into place, so a command run at the same time never loads half a file.
    fs.renameSync(partial, path.join(OUT, `${command}.js`));
    const meta = path.join(OUT, `${command}.inputs.${process.pid}.json`);
    fs.writeFileSync(meta, JSON.stringify({ builtAt, inputs }));
    fs.renameSync(meta, path.join(OUT, `${command}.inputs.json`));
    return path.join(OUT, `${command}.js`);
}

// V8's compiled code for every module the command loads (@pulumi/aws is thousands of files) is kept on disk
// between runs (Node >= 22.1; older Node simply compiles again).
require("module").enableCompileCache?.(path.join(ROOT, ".build", "compile-cache"));

const [command, ...rest] = process.argv.slice(2);
if (command === "--help" || command === "-h" || command === "help") {
    process.stdout.write(`${USAGE}\n`);
} else if (!Object.hasOwn(COMMANDS, command ?? "")) {
    process.stderr.write(`swiftsupport: ${command === undefined ? "missing command" : `unknown command ${command}`} (${USAGE})\n`);
    process.exitCode = 2;
} else {
    process.argv = [process.argv[0], path.join(ROOT, `${COMMANDS[command]}.ts`), ...rest];
    require(freshBundle(command) ?? build(command));
}
