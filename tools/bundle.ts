// `npm run bundle -- [NAME...] [--out-dir DIR]`: writes each handler's deployment file, `<DIR>/<name>/index.js`
// (default dist/handlers), with the same build the program deploys (components/function/bundle.ts), so what you
// inspect or load locally is byte for byte what Lambda runs. Exit 0: written; 1: a handler does not build (esbuild's
// messages, one per line); 2: bad usage, an unknown handler or an unwritable directory.

import * as fs from "fs";
import * as path from "path";
import { closest, distance } from "fastest-levenshtein";
import { bundleHandler, handlerNames } from "../components/function/bundle";
import type { Message } from "esbuild";
import { CommandIo, EXIT_OK, EXIT_USAGE, EXIT_VIOLATIONS, UsageError, parseArgs, runAsCli } from "./lib/cliArgs";

const USAGE = "usage: npm run bundle -- [NAME...] [--out-dir DIR]";

/** Where the deployment files go unless `--out-dir` says otherwise. */
export const DEFAULT_OUT_DIR = path.resolve(__dirname, "..", "dist", "handlers");

/** ` (did you mean "x"?)` when a known name is a typo away, else nothing. */
function suggestion(name: string, known: string[]): string {
    const best = closest(name, known);
    return best !== undefined && distance(name, best) <= Math.max(2, Math.floor(best.length / 3)) ? ` (did you mean "${best}"?)` : "";
}

export async function main(argv: string[], io: CommandIo): Promise<number> {
    try {
        const args = parseArgs(argv, { values: ["--out-dir"], booleans: ["--help"] }, USAGE);
        if (args.booleans.has("--help")) {
            io.stdout(`${USAGE}\nNAME is a handler under handlers/ (default: all of them); each is written as DIR/NAME/index.js.\n`);
            return EXIT_OK;
        }
        const known = handlerNames();
        const unknown = args.positional.filter((name) => !known.includes(name));
        if (unknown.length > 0) {
            const problems = unknown.map((name) => `unknown handler "${name}"${suggestion(name, known)}`);
            throw new UsageError(`${problems.join("; ")}; handlers: ${known.join(", ")}`);
        }
        const outDir = path.resolve(args.values["--out-dir"] ?? DEFAULT_OUT_DIR);
        const names = args.positional.length > 0 ? [...new Set(args.positional)] : known;
        let failed = false;
        for (const name of names) {
            let bundle;
            try {
                bundle = bundleHandler(name);
            } catch (e) {
                const errors = (e as { errors?: Message[] }).errors;
                if (!Array.isArray(errors) || errors.length === 0) throw e;
                for (const m of errors) {
                    const where = m.location ? `${m.location.file}:${m.location.line}:${m.location.column}: ` : "";
                    io.stderr(`bundle: ${name}: ${where}${m.text}\n`);
                }
                failed = true;
                continue;
            }
            const file = path.join(outDir, name, "index.js");
            try {
                fs.mkdirSync(path.dirname(file), { recursive: true });
                fs.writeFileSync(file, bundle.code);
            } catch (e) {
                throw new UsageError(`cannot write ${file} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
            }
            const kb = (Buffer.byteLength(bundle.code) / 1024).toFixed(1);
            io.stdout(`${path.relative(process.cwd(), file) || file}  ${kb} KB  sha256 ${bundle.sha256}\n`);
        }
        return failed ? EXIT_VIOLATIONS : EXIT_OK;
    } catch (e) {
        if (e instanceof UsageError) {
            io.stderr(`bundle: ${e.message}\n`);
            return EXIT_USAGE;
        }
        throw e;
    }
}

if (require.main === module) runAsCli(main);
