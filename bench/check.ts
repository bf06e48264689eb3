// Section 2: throughput of our pack on a ~10,000-resource export, and the peer pack (@pulumi/awsguard) on the same
// file through the same runner.

import * as fs from "fs";
import * as path from "path";
import { Policies, Policy } from "@pulumi/policy";
import { policies } from "../policypack/policies";
import { PackConfig, RunnerResource, runPack } from "../tools/lib/packRunner";
import { runProgram } from "../tools/mocks/harness";
import { msSince } from "./lib";

const ACCOUNT = "123456789012";

/**
 * The dev program's resources as a stack export would list them (outputs over inputs), replicated `copies` times.
 * Copy k renames its stack in every URN (`urn:pulumi:dev<k>::`) and its account in every ARN and id, applied to the
 * whole serialised copy, so each copy's parents, dependencies and ARN references point inside that copy.
 */
export async function replicatedExport(target: number): Promise<{ resources: RunnerResource[]; perCopy: number; copies: number }> {
    const run = await runProgram({ stack: "dev" });
    const base: RunnerResource[] = run.resources.map((r) => ({
        urn: r.urn,
        type: r.type,
        name: r.name,
        props: { ...r.inputs, ...r.outputs },
        parent: r.parent,
        dependencies: r.dependencies,
        propertyDependencies: r.propertyDependencies,
    }));
    const text = JSON.stringify(base);
    const copies = Math.max(1, Math.round(target / base.length));
    const resources: RunnerResource[] = [];
    for (let k = 0; k < copies; k++) {
        const account = String(100000000000 + k);
        const copy = text.split("urn:pulumi:dev::").join(`urn:pulumi:dev${k}::`).split(ACCOUNT).join(account);
        resources.push(...(JSON.parse(copy) as RunnerResource[]));
    }
    return { resources, perCopy: base.length, copies };
}

/**
 * @pulumi/awsguard's rules without its PolicyPack: `new AwsGuard()` would start the policy gRPC server, so this loads
 * its area modules (the ones its index.js requires) and takes every exported policy object (a `name` plus
 * `validateResource` or `validateStack`); each module registers the same objects into AwsGuard's private registry.
 */
export async function peerPolicies(): Promise<Policies> {
    const root = path.join(__dirname, "node_modules", "@pulumi", "awsguard");
    if (!fs.existsSync(root)) throw new Error(`the peer pack is not installed: run \`npm ci --prefix bench --ignore-scripts\` (npm run bench does)`);
    const areas = ["apiGateway", "compute", "database", "elasticsearch", "network", "security", "storage"];
    const found: Policy[] = [];
    for (const area of areas) {
        const exports = (await import(path.join(root, area))) as Record<string, unknown>;
        for (const value of Object.values(exports)) {
            const candidate = value as Partial<Policy> & { validateResource?: unknown; validateStack?: unknown } | null;
            if (candidate && typeof candidate.name === "string" && (candidate.validateResource || candidate.validateStack)) found.push(candidate as Policy);
        }
    }
    return found as Policies;
}

export interface PackTiming {
    rules: number;
    ms: number;
    perSecond: number;
    violations: number;
}

export async function timePack(pack: Policies, resources: RunnerResource[], config: PackConfig = {}): Promise<PackTiming> {
    await runPack(pack, resources.slice(0, 200), config); // warm: JIT, lazy module loads, schema compilation
    const start = process.hrtime.bigint();
    const result = await runPack(pack, resources, config);
    const ms = msSince(start);
    return { rules: result.policies, ms, perSecond: resources.length / (ms / 1000), violations: result.violations.length };
}

export const ourPolicies = policies;
