/**
 * A bounded in-memory event store for one 2025-11-25 HTTP session, so a client whose SSE stream
 * dropped can resume with `Last-Event-ID` instead of losing messages. Only the newest events are
 * kept, by count and by size: memory stays flat however long the session lives and however large
 * the results sent on its streams (a 1,000-event window of results up to the 64 MiB message limit
 * would otherwise be gigabytes). An event is kept as the text that was sent, so a replay sends
 * the very same bytes and the store holds no message objects. Synchronous: storing an event and
 * writing it never interleave.
 */
import type { EventId, StreamId } from "@modelcontextprotocol/server";

/** Events kept per session at most. */
const DEFAULT_CAPACITY = 1000;
/** Characters of event text kept per session at most (the newest event is kept whatever its size). */
const DEFAULT_MAX_CHARS = 16 * 1024 * 1024;

/** Keeps the newest events of a session's streams. */
export class BoundedEventStore {
  /** Made on the first event: most sessions never send one on an SSE stream. */
  #events?: Map<EventId, { streamId: StreamId; data: string }>;
  #chars = 0;
  #next = 0;

  constructor(
    private readonly capacity = DEFAULT_CAPACITY,
    private readonly maxChars = DEFAULT_MAX_CHARS,
  ) {}

  /**
   * Records one event sent on a stream — `data`, the serialized message, or "" for a stream's
   * priming event, which marks where the stream starts — and returns its id.
   */
  record(streamId: StreamId, data: string): EventId {
    const id = `${streamId}_${++this.#next}`;
    const events = this.#events ??= new Map();
    events.set(id, { streamId, data });
    this.#chars += data.length;
    // Maps iterate in insertion order: the first key is the oldest event.
    for (const [oldest, event] of events) {
      if (events.size <= this.capacity && (this.#chars <= this.maxChars || events.size === 1)) break;
      events.delete(oldest);
      this.#chars -= event.data.length;
    }
    return id;
  }

  /** The stream an event belongs to, if it is still kept. */
  streamOf(eventId: EventId): StreamId | undefined {
    return this.#events?.get(eventId)?.streamId;
  }

  /**
   * The events of the same stream that came after `lastEventId`, oldest first, each with the
   * text that was sent (priming events included, as ""); undefined if the id is unknown or was
   * dropped.
   */
  eventsAfter(lastEventId: EventId): { streamId: StreamId; events: [EventId, string][] } | undefined {
    const streamId = this.streamOf(lastEventId);
    if (streamId === undefined) return undefined;
    const events: [EventId, string][] = [];
    let after = false;
    for (const [id, event] of this.#events ?? []) {
      if (after && event.streamId === streamId) events.push([id, event.data]);
      if (id === lastEventId) after = true;
    }
    return { streamId, events };
  }
}
