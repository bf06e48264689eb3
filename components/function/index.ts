export { HardenedFunction, HardenedFunctionArgs } from "./hardenedFunction";
export { bundleHandler, buildHandler, HandlerBundle } from "./bundle";
