// The stacks of this project (one Pulumi.<stack>.yaml each) and which of them a change touches: the workflows under
// .github/workflows/ preview, plan and deploy what this module says (tools/stacks.ts prints it for them).

import * as fs from "fs";

/** Stack names with a Pulumi.<stack>.yaml in `root`, sorted. */
export function localStacks(root: string): string[] {
    return fs.readdirSync(root).map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1]).filter((s): s is string => !!s).sort();
}

/**
 * Bootstrap stacks (`bootstrap-<account>`) create the roles CI assumes, so they are applied by hand with the account's
 * administrator credentials (README, "Bootstrap once per account"); CI plans them offline but never previews or
 * deploys them.
 */
export const isBootstrapStack = (stack: string): boolean => stack.startsWith("bootstrap-");

/**
 * Paths whose change cannot change what any stack deploys: tests, benchmarks, the ops policy documents, CI's own
 * script, prose and linter or test-runner settings. Everything else (the program, components, handlers, config,
 * the site, the pack, Pulumi.yaml, the lockfile, tools/, the workflows themselves, and any path added later)
 * touches every stack: a path nobody classified errs on the side of a preview.
 */
const INERT = [/^test\//, /^bench\//, /^ops\//, /^\.ci\//, /\.md$/, /^eslint\.config\.mjs$/, /^\.mocharc\.json$/, /^\.gitignore$/, /^LICENSE$/];

/**
 * The stacks among `stacks` that a change of `files` (paths from the repository root) touches: a
 * `Pulumi.<stack>.yaml` touches that stack only, an inert path (see INERT) none, any other path every stack.
 */
export function touchedStacks(files: string[], stacks: string[]): string[] {
    const touched = new Set<string>();
    for (const file of files) {
        const stackFile = /^Pulumi\.(.+)\.yaml$/.exec(file)?.[1];
        if (stackFile !== undefined) {
            // A deleted stack's file touches nothing that is still here to preview.
            if (stacks.includes(stackFile)) touched.add(stackFile);
        } else if (!INERT.some((re) => re.test(file))) {
            return [...stacks];
        }
    }
    return stacks.filter((s) => touched.has(s));
}
