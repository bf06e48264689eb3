// Preloaded (node --require) by the mutation scripts and testRunnerNodeArgs. @stryker-mutator/mocha-runner 10.0.0 requires Mocha's
// CLI internals without an extension (`mocha/lib/cli/run-helpers`), and Mocha 12 ships them as `.cjs`, which Node
// does not try: the runner cannot load (stryker-mutator/stryker-js#6205, open, fixes it). Letting CommonJS
// resolution try `.cjs` like `.js` is enough. Remove this file once a runner release with that fix is installed.
"use strict";

// require.extensions is deprecated, but it is the one list of extensions CommonJS resolution tries.
require.extensions[".cjs"] ??= require.extensions[".js"];
