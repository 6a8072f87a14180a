/** Pure MCP protocol helpers that both sides of the broker share (no I/O, no other layer). */
export type { ParamHeaderDeclaration } from "./param_headers.ts";
export {
  encodeParamHeader,
  paramHeaderDeclarations,
  paramHeadersFor,
  paramHeaderText,
  valueAt,
} from "./param_headers.ts";
