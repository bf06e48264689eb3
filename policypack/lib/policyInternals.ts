// Typed access to the parts of @pulumi/policy that its .d.ts files strip (they are marked @internal):
// the unknown-value proxy the CLI's policy server wraps every resource's props in, the error it throws,
// and the deserialiser that turns engine property values into plain JS. The pack and the in-process
// runner (tools/lib/packRunner.ts) both import them from here so that they share ONE module instance
// and `instanceof UnknownValueError` holds across them.

/* eslint-disable @typescript-eslint/no-require-imports */

/** The error @pulumi/policy's proxy throws when a policy reads a value that is unknown during preview. */
export interface UnknownValueErrorLike extends Error {
    /** The sentinel string the engine sent for the value. */
    unknownTypeSentinel: string;
    /** The property path that was read, e.g. `["policy"]` or `["inlinePolicies", "0", "policy"]`. */
    props: PropertyKey[];
}

type UnknownValueErrorClass = new (sentinel: string, props: PropertyKey[]) => UnknownValueErrorLike;

interface ProxyModule {
    UnknownValueError: UnknownValueErrorClass;
    unknownCheckingProxy<T>(toProxy: T): T;
    isSpecialProxy: string;
    getSpecialProxyTarget: string;
    unknownStringValue: string;
    unknownBooleanValue: string;
    unknownNumberValue: string;
    unknownArrayValue: string;
    unknownObjectValue: string;
    unknownAssetValue: string;
    unknownArchiveValue: string;
}

interface DeserializeModule {
    deserializeProperties(outputsStruct: { toJavaScript(): Record<string, unknown> }, proxySecrets: boolean): Record<string, unknown>;
}

interface PolicyModule {
    getPulumiType(o: unknown): string | undefined;
    isResourcePolicy(p: unknown): boolean;
    isStackPolicy(p: unknown): boolean;
}

const proxy: ProxyModule = require("@pulumi/policy/proxy");
const deserialize: DeserializeModule = require("@pulumi/policy/deserialize");
const policyModule: PolicyModule = require("@pulumi/policy/policy");

export const UnknownValueError: UnknownValueErrorClass = proxy.UnknownValueError;
export const unknownCheckingProxy = proxy.unknownCheckingProxy;
export const getSpecialProxyTarget = proxy.getSpecialProxyTarget;
export const deserializeProperties = deserialize.deserializeProperties;
export const getPulumiType = policyModule.getPulumiType;
export const isResourcePolicy = policyModule.isResourcePolicy;
export const isStackPolicy = policyModule.isStackPolicy;

/** The sentinel the engine sends for any value not known during preview (it sends the string one for all kinds). */
export const UNKNOWN_SENTINEL: string = proxy.unknownStringValue;

const sentinels = new Set<string>([
    proxy.unknownStringValue,
    proxy.unknownBooleanValue,
    proxy.unknownNumberValue,
    proxy.unknownArrayValue,
    proxy.unknownObjectValue,
    proxy.unknownAssetValue,
    proxy.unknownArchiveValue,
]);

/** True for any of @pulumi/policy's unknown sentinels. */
export function isUnknownSentinel(value: unknown): boolean {
    return sentinels.has(value as string); // every sentinel is a string, so anything else is not one
}

/**
 * True when `e` is the proxy's UnknownValueError. Duck-typed, not `instanceof`, because a standalone install of the
 * pack (`cd policypack && npm install`) can load a second copy of @pulumi/policy next to the CLI's.
 */
export function isUnknownValueError(e: unknown): e is UnknownValueErrorLike {
    return e instanceof Error && Array.isArray((e as Partial<UnknownValueErrorLike>).props) &&
        isUnknownSentinel((e as Partial<UnknownValueErrorLike>).unknownTypeSentinel);
}
