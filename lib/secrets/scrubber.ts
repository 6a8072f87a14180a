/**
 * Which secrets scrub which output. A result is scrubbed with the secrets of the account that
 * produced it (its upstream is the only one that was given them) plus the broker-wide ones;
 * everything else that leaves — errors, lists, notifications, log lines — with every secret known.
 */
import { type AddResult, Redactor } from "./redact.ts";
import { scrubContent } from "./scrub.ts";

/** Per-account and broker-wide secret values, and the scrubbing of what leaves the broker. */
export class SecretScrubber {
  readonly #brokerWide: { name: string; value: string }[] = [];
  readonly #all = new Redactor();
  readonly #accounts = new Map<string, Redactor>();
  /** Secret name → its reference as written in config (`vault:NAME`, `${NAME}`), for notices. */
  readonly #references = new Map<string, string>();
  /** Results already scrubbed for their account: `outbound` passes them as they are. */
  readonly #scrubbed = new WeakSet<object>();

  /** Registers a secret that may show up anywhere (the vault passphrase, say). */
  addBrokerWide(name: string, value: string, reference = name): AddResult {
    const added = this.#all.add(name, value);
    if (!added.registered) return added;
    this.#references.set(name, reference);
    this.#brokerWide.push({ name, value });
    for (const redactor of this.#accounts.values()) redactor.add(name, value);
    return added;
  }

  /** Registers a secret given to one account's upstream. */
  addForAccount(accountId: string, name: string, value: string, reference = name): AddResult {
    const added = this.#all.add(name, value);
    if (!added.registered) return added;
    this.#references.set(name, reference);
    this.#accountRedactor(accountId).add(name, value);
    return added;
  }

  /** A result produced by `accountId`'s upstream, scrubbed with its secrets and the broker-wide ones. */
  scrubResult<T>(accountId: string, value: T): T {
    const scrubbed = scrubContent(value, this.#accountRedactor(accountId), this.#referenceOf);
    if (typeof scrubbed === "object" && scrubbed !== null) this.#scrubbed.add(scrubbed);
    return scrubbed;
  }

  /** Marks a value derived from scrubbed results without new upstream text (a URI rewrite, say). */
  markScrubbed<T>(value: T): T {
    if (typeof value === "object" && value !== null) this.#scrubbed.add(value);
    return value;
  }

  /** Anything leaving the broker: results already scrubbed pass, the rest meets every secret. */
  outbound<T>(value: T): T {
    if (typeof value === "object" && value !== null && this.#scrubbed.has(value)) return value;
    return scrubContent(value, this.#all, this.#referenceOf);
  }

  /** A log line with every known secret redacted. */
  redactText(text: string): string {
    return this.#all.redactText(text);
  }

  readonly #referenceOf = (name: string): string => this.#references.get(name) ?? name;

  #accountRedactor(accountId: string): Redactor {
    let redactor = this.#accounts.get(accountId);
    if (!redactor) {
      redactor = new Redactor();
      for (const { name, value } of this.#brokerWide) redactor.add(name, value);
      this.#accounts.set(accountId, redactor);
    }
    return redactor;
  }
}
