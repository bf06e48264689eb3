// Preloaded with `node -r bench/cpuAtExit.js ...` by bench/endToEnd.ts: at exit, writes the process's own CPU time
// (user + system, ms) on stderr as one tagged line, so a figure does not depend on how busy the machine is.
"use strict";
process.on("exit", () => {
    const { user, system } = process.cpuUsage();
    process.stderr.write(`\nbench-cpu-ms ${((user + system) / 1000).toFixed(1)}\n`);
});
