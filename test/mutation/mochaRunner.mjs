// @stryker-mutator/mocha-runner 10.0.0 with mocha 12: the runner requires mocha's lib/cli/run-helpers, options and
// collect-files without an extension, and mocha 12 ships them as `.cjs`, which require() does not try, so the plugin
// fails to load. The fix (stryker-mutator/stryker-js#6205, which probes .js/.cjs/.mjs) is not released yet; until it
// is, this module lets extensionless require() find `.cjs` (Node loads `.cjs` with the `.js` loader anyway) and
// then hands Stryker the real runner's plugins. Delete it, and the "plugins" entry naming it, once a runner with
// that fix is installed.
import Module from "node:module";

Module._extensions[".cjs"] ??= Module._extensions[".js"];
const runner = await import("@stryker-mutator/mocha-runner");

export const strykerPlugins = runner.strykerPlugins;
export const strykerValidationSchema = runner.strykerValidationSchema;
