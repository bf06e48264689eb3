// ESLint (flat config): @eslint/js and typescript-eslint recommended rules everywhere, and on TypeScript the two
// rules of @pulumi/eslint-plugin, which need type information: an Output in a template literal is a bug (use
// pulumi.interpolate or apply).
import js from "@eslint/js";
import pulumi from "@pulumi/eslint-plugin";
import tseslint from "typescript-eslint";

const node = { require: "readonly", module: "writable", exports: "writable", process: "readonly", __dirname: "readonly", __filename: "readonly", console: "readonly" };

export default tseslint.config(
    { ignores: ["**/node_modules/", "bin/", "dist/", "**/.build/", ".toolchain/", "bench/peer/", "test/fixtures/", ".stryker-tmp/", "reports/"] },
    js.configs.recommended,
    tseslint.configs.recommended,
    {
        files: ["**/*.ts"],
        languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
        plugins: { "@pulumi": pulumi },
        rules: {
            "@pulumi/no-output-in-template-literal": "error",
            "@pulumi/no-output-instance-in-template-literal": "error",
        },
    },
    {
        files: ["**/*.js", "**/*.cjs"],
        languageOptions: { sourceType: "commonjs", globals: node },
        rules: { "@typescript-eslint/no-require-imports": "off" },
    },
);
