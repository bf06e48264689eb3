import * as assert from "assert";
import { readIamDocument } from "../../policypack/lib/iamDocument";
import { clearMemos } from "../../policypack/lib/memo";
import { allow, doc, json } from "./support";

describe("the pack's memo tables", () => {
    it("serve one parse per document until clearMemos(), then parse afresh (strings and objects alike)", () => {
        const text = json(allow("s3:GetObject"));
        const object = doc(allow("s3:GetObject"));
        const first = [readIamDocument(text), readIamDocument(object)];
        assert.deepStrictEqual([readIamDocument(text), readIamDocument(object)].map((d, i) => d === first[i]), [true, true]);
        clearMemos();
        const again = [readIamDocument(text), readIamDocument(object)];
        assert.deepStrictEqual(again.map((d, i) => d === first[i]), [false, false]);
        assert.deepStrictEqual(again, first);
    });
});
