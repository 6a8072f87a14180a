/**
 * A bounded in-memory event store for one 2025-11-25 HTTP session, so a client whose SSE stream
 * dropped can resume with `Last-Event-ID` instead of losing messages. Only the newest events are
 * kept: memory stays flat however long the session lives.
 */
import type { EventId, EventStore, JSONRPCMessage, StreamId } from "@modelcontextprotocol/server";

/** Keeps the last `capacity` events of a session's streams. */
export class BoundedEventStore implements EventStore {
  readonly #events = new Map<EventId, { streamId: StreamId; message: JSONRPCMessage }>();
  #next = 0;

  constructor(private readonly capacity = 1000) {}

  /** Records one message sent on a stream and returns its event id. */
  storeEvent(streamId: StreamId, message: JSONRPCMessage): Promise<EventId> {
    const id = `${streamId}_${++this.#next}`;
    this.#events.set(id, { streamId, message });
    // Maps iterate in insertion order: the first key is the oldest event.
    for (const oldest of this.#events.keys()) {
      if (this.#events.size <= this.capacity) break;
      this.#events.delete(oldest);
    }
    return Promise.resolve(id);
  }

  /** The stream an event belongs to, if it is still kept. */
  getStreamIdForEventId(eventId: EventId): Promise<StreamId | undefined> {
    return Promise.resolve(this.#events.get(eventId)?.streamId);
  }

  /** Re-sends the events of the same stream that came after `lastEventId`. */
  async replayEventsAfter(
    lastEventId: EventId,
    { send }: { send: (eventId: EventId, message: JSONRPCMessage) => Promise<void> },
  ): Promise<StreamId> {
    const streamId = this.#events.get(lastEventId)?.streamId;
    if (streamId === undefined) {
      throw new Error(`event ${lastEventId} is too old or unknown; reconnect without it`);
    }
    let after = false;
    for (const [id, event] of this.#events) {
      if (after && event.streamId === streamId) await send(id, event.message);
      if (id === lastEventId) after = true;
    }
    return streamId;
  }
}
