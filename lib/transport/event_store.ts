/**
 * A bounded in-memory event store for one 2025-11-25 HTTP session, so a client whose SSE stream
 * dropped can resume with `Last-Event-ID` instead of losing messages. Only the newest events are
 * kept: memory stays flat however long the session lives. The synchronous methods serve the
 * broker's own transport (no interleaving between storing and writing an event); the async
 * `EventStore` face serves the SDK's.
 */
import type { EventId, EventStore, JSONRPCMessage, StreamId } from "@modelcontextprotocol/server";

/** Keeps the last `capacity` events of a session's streams. */
export class BoundedEventStore implements EventStore {
  /** Made on the first event: most sessions never send one on an SSE stream. */
  #events?: Map<EventId, { streamId: StreamId; message: JSONRPCMessage }>;
  #next = 0;

  constructor(private readonly capacity = 1000) {}

  /** Records one message sent on a stream and returns its event id. */
  record(streamId: StreamId, message: JSONRPCMessage): EventId {
    const id = `${streamId}_${++this.#next}`;
    const events = this.#events ??= new Map();
    events.set(id, { streamId, message });
    // Maps iterate in insertion order: the first key is the oldest event.
    for (const oldest of events.keys()) {
      if (events.size <= this.capacity) break;
      events.delete(oldest);
    }
    return id;
  }

  /** The stream an event belongs to, if it is still kept. */
  streamOf(eventId: EventId): StreamId | undefined {
    return this.#events?.get(eventId)?.streamId;
  }

  /** The events of the same stream that came after `lastEventId`, oldest first; undefined if it is unknown. */
  eventsAfter(lastEventId: EventId): { streamId: StreamId; events: [EventId, JSONRPCMessage][] } | undefined {
    const streamId = this.streamOf(lastEventId);
    if (streamId === undefined) return undefined;
    const events: [EventId, JSONRPCMessage][] = [];
    let after = false;
    for (const [id, event] of this.#events ?? []) {
      if (after && event.streamId === streamId) events.push([id, event.message]);
      if (id === lastEventId) after = true;
    }
    return { streamId, events };
  }

  /** Records one message sent on a stream and returns its event id (`EventStore`). */
  storeEvent(streamId: StreamId, message: JSONRPCMessage): Promise<EventId> {
    return Promise.resolve(this.record(streamId, message));
  }

  /** The stream an event belongs to, if it is still kept (`EventStore`). */
  getStreamIdForEventId(eventId: EventId): Promise<StreamId | undefined> {
    return Promise.resolve(this.streamOf(eventId));
  }

  /** Re-sends the events of the same stream that came after `lastEventId` (`EventStore`). */
  async replayEventsAfter(
    lastEventId: EventId,
    { send }: { send: (eventId: EventId, message: JSONRPCMessage) => Promise<void> },
  ): Promise<StreamId> {
    const found = this.eventsAfter(lastEventId);
    if (!found) throw new Error(`event ${lastEventId} is too old or unknown; reconnect without it`);
    for (const [id, message] of found.events) await send(id, message);
    return found.streamId;
  }
}
