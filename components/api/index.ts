export { SecureHttpApi, SecureHttpApiArgs, RouteArgs, RouteTarget, RouteAuthorization, ApiRoute } from "./secureHttpApi";
export { HTTP_METHODS, HttpMethod } from "./routePath";
export { API_CORS } from "./apiCors";
