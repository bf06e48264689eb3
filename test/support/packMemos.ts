// Root hook (.mocharc.json requires it): every test starts with the pack's memo tables empty, so what a test
// asserts never depends on what an earlier test parsed or loaded, and a mutation run sees each mutant's code run.

import { clearMemos } from "../../policypack/lib/memo";

export const mochaHooks = {
    beforeEach(): void {
        clearMemos();
    },
};
