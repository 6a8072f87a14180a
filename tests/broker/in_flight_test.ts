import assert from "node:assert/strict";
import { InFlightCalls } from "../../lib/broker/in_flight.ts";
import { JanusError } from "../../lib/errors.ts";

Deno.test("drain waits for calls that finish in time and cuts off the rest with 'the broker is stopping'", async () => {
  const calls = new InFlightCalls();
  const seen: AbortSignal[] = [];
  const quick = calls.run(undefined, () => new Promise((resolve) => setTimeout(() => resolve("quick"), 20)));
  const stuck = calls.run(undefined, (signal) => {
    seen.push(signal);
    return new Promise<string>(() => {}); // never settles by itself
  });
  const outcome = stuck.then(() => undefined, (e: unknown) => e);
  assert.equal(calls.size, 2);
  await calls.drain(200);
  assert.equal(await quick, "quick");
  const error = await outcome;
  assert.ok(error instanceof JanusError);
  assert.equal(error.code, "upstream");
  assert.match(
    error.message,
    /the broker is stopping: this call was still running after the 0.2 s drain time/,
  );
  assert.equal(seen[0].aborted, true, "the work was told to stop (cancellation goes upstream)");
  assert.equal(calls.size, 0);
});

Deno.test("a client's cancellation reaches the work's signal; nothing is cut off when nothing is stuck", async () => {
  const calls = new InFlightCalls();
  const client = new AbortController();
  const run = calls.run(
    client.signal,
    (signal) =>
      new Promise((_, reject) => signal.addEventListener("abort", () => reject(new Error("cancelled")))),
  );
  client.abort();
  await assert.rejects(run, /cancelled/);
  await calls.drain(10);
  assert.equal(calls.size, 0);
});
