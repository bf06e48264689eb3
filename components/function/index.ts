export { HardenedFunction, HardenedFunctionArgs } from "./hardenedFunction";
export { bundleHandler, buildHandler, handlerNames, HandlerBundle } from "./bundle";
export { TableStreamTrigger, TableStreamTriggerArgs } from "./tableStreamTrigger";
