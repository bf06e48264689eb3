export { HardenedFunction, HardenedFunctionArgs } from "./hardenedFunction";
export { bundleHandler, buildHandler, HandlerBundle } from "./bundle";
export { TableStreamTrigger, TableStreamTriggerArgs } from "./tableStreamTrigger";
