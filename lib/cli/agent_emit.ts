/** Printing a command's reply and turning a reported failure into its exit code. */
import type { AgentReply } from "../broker/mod.ts";
import { JanusError } from "../errors.ts";
import type { Printed } from "./agent_output.ts";
import type { CliContext } from "./context.ts";

/** Writes stdout, then throws the failure the output reported (main prints it and exits with its code). */
export function emit(ctx: CliContext, printed: Printed): Promise<number> {
  ctx.out(printed.stdout);
  if (printed.error) throw printed.error;
  return Promise.resolve(0);
}

/** Narrows a reply to the operation asked for (a daemon of another build could answer otherwise). */
export function expectReply<K extends AgentReply["op"]>(
  reply: AgentReply,
  op: K,
): Extract<AgentReply, { op: K }> {
  if (reply.op !== op) {
    throw new JanusError("generic", `expected a ${op} reply, got ${JSON.stringify(reply.op)}`);
  }
  return reply as Extract<AgentReply, { op: K }>;
}
