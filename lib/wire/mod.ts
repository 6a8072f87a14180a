/**
 * Reading JSON-RPC off a byte stream: line frames with an explicit size limit (linear time),
 * triage of what is malformed (answered with its id when readable), a rate-limited refusal log.
 */
export { RejectLog } from "./reject_log.ts";
export { DEFAULT_MAX_MESSAGE_BYTES } from "./line_frames.ts";
export { LineFrameReader } from "./line_frames.ts";
export { errorResponse } from "./jsonrpc_triage.ts";
export { formatBytes } from "./line_frames.ts";
export { idFromEdges } from "./jsonrpc_triage.ts";
export { triageFrame } from "./jsonrpc_triage.ts";
export { triageValue } from "./jsonrpc_triage.ts";
