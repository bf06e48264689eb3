/** The auth0-spa-js token worker's URL (a hashed asset), set by the build (components/site/build.ts). */
declare const TOKEN_WORKER_URL: string;
