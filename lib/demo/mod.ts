/** The built-in demo: a config of two accounts of a tiny upstream that this program serves itself. */
export { demoConfig } from "./config.ts";
export { serveDemoUpstream } from "./upstream.ts";
