// `npm run build:site [-- --out-dir DIR]`: writes the customer page (default dist/site/) with the same build the
// program uploads (components/site/build.ts): index.html and the hashed assets under assets/. config.json is not
// part of the build: the program writes it per stack, `npm run dev` writes its own. Exit 0: written; 1: the site
// does not build (esbuild's messages, one per line); 2: bad usage or an unwritable directory.

import * as fs from "fs";
import * as path from "path";
import type { Message } from "esbuild";
import { buildSite, type SiteBuild } from "../components/site/build";
import { CommandIo, EXIT_OK, EXIT_USAGE, EXIT_VIOLATIONS, UsageError, parseArgs, runAsCli } from "./lib/cliArgs";

const USAGE = "usage: npm run build:site -- [--out-dir DIR]";

/** Where the site goes unless `--out-dir` says otherwise; `npm run dev` serves it from here. */
export const DEFAULT_OUT_DIR = path.resolve(__dirname, "..", "dist", "site");

export async function main(argv: string[], io: CommandIo): Promise<number> {
    try {
        const args = parseArgs(argv, { values: ["--out-dir"], booleans: ["--help"] }, USAGE);
        if (args.booleans.has("--help")) {
            io.stdout(`${USAGE}\nWrites index.html and assets/ (content-hashed names) to DIR, default dist/site.\n`);
            return EXIT_OK;
        }
        if (args.positional.length > 0) throw new UsageError(`unexpected argument "${args.positional[0]}" (${USAGE})`);
        const outDir = path.resolve(args.values["--out-dir"] ?? DEFAULT_OUT_DIR);
        let site: SiteBuild;
        try {
            site = buildSite();
        } catch (e) {
            const errors = (e as { errors?: Message[] }).errors;
            if (!Array.isArray(errors) || errors.length === 0) {
                // The build's own refusals (inline code, an unknown reference in index.html) are plain Errors.
                if (e instanceof Error && /^site\/index\.html /.test(e.message)) {
                    io.stderr(`build:site: ${e.message}\n`);
                    return EXIT_VIOLATIONS;
                }
                throw e;
            }
            for (const m of errors) {
                const where = m.location ? `${m.location.file}:${m.location.line}:${m.location.column}: ` : "";
                io.stderr(`build:site: ${where}${m.text}\n`);
            }
            return EXIT_VIOLATIONS;
        }
        try {
            // Only what a build writes is replaced: old hashed assets go, a config.json someone put there stays.
            fs.rmSync(path.join(outDir, "assets"), { recursive: true, force: true });
            for (const file of site.files) {
                const target = path.join(outDir, ...file.path.split("/"));
                fs.mkdirSync(path.dirname(target), { recursive: true });
                fs.writeFileSync(target, file.content);
            }
        } catch (e) {
            throw new UsageError(`cannot write to ${outDir} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
        }
        for (const file of site.files) {
            const kb = (Buffer.byteLength(file.content) / 1024).toFixed(1);
            io.stdout(`${path.relative(process.cwd(), path.join(outDir, file.path)) || file.path}  ${kb} KB  ${file.contentType}  ${file.cacheControl}\n`);
        }
        return EXIT_OK;
    } catch (e) {
        if (e instanceof UsageError) {
            io.stderr(`build:site: ${e.message}\n`);
            return EXIT_USAGE;
        }
        throw e;
    }
}

if (require.main === module) runAsCli(main);
