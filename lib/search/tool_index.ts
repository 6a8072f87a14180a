/**
 * The tool search index (pure, in memory): BM25 ranking (MiniSearch's BM25+) over each tool's
 * name, title, description and parameter names, with the account it belongs to as a faint
 * extra field. Built once per list of tools and never mutated: a changed upstream list means a
 * new index, so a search never sees half of an update.
 */
import MiniSearch from "minisearch";
import { indexTerm, queryTerms, words } from "./terms.ts";

/** What the index needs of a tool (a structural subset of an MCP `Tool`). */
export interface SearchableTool {
  name: string;
  title?: string;
  description?: string;
  inputSchema?: { properties?: Record<string, unknown> } & Record<string, unknown>;
}

/** One tool to index: the name a caller uses for it, the account that owns it, and its definition. */
export interface IndexedTool<T extends SearchableTool = SearchableTool> {
  /** The name as exposed to the caller (possibly `<account>_<tool>` inside a profile). */
  name: string;
  /** The owning account's id (for a tool of several accounts, the first of them). */
  account: string;
  /** Every account the tool acts as, when it is one tool of several accounts (folded). */
  accounts?: readonly string[];
  /** Words that describe the account (service, label): a query naming it prefers its tools. */
  accountText?: string;
  tool: T;
}

/** One match, best first. */
export interface SearchHit<T extends SearchableTool = SearchableTool> {
  name: string;
  account: string;
  /** Every account the tool acts as, when it is one tool of several accounts. */
  accounts?: readonly string[];
  /** BM25 score: only comparable within one search. */
  score: number;
  tool: T;
}

/** Options of one search. */
export interface SearchOptions {
  /** Only this account's tools. */
  account?: string;
  /** At most this many hits (default 5). */
  limit?: number;
}

/** The default number of hits. */
export const DEFAULT_LIMIT = 5;

/** How much each field counts: a word in the name says more than one in a long description. */
const FIELD_BOOST = { name: 3, title: 2, description: 1, params: 0.7, account: 0.3 };
/** A synonym of a query word counts for less than the word itself. */
const SYNONYM_WEIGHT = 0.3;

interface Document {
  id: number;
  name: string;
  title: string;
  description: string;
  params: string;
  account: string;
}

/** An immutable search index over one list of tools. */
export class ToolIndex<T extends SearchableTool = SearchableTool> {
  readonly #entries: readonly IndexedTool<T>[];
  readonly #search: MiniSearch<Document>;
  /** Whole names as single terms, for "did you mean" by edit distance. */
  readonly #names: MiniSearch<{ id: number; name: string }>;

  constructor(entries: readonly IndexedTool<T>[]) {
    this.#entries = entries;
    this.#search = new MiniSearch<Document>({
      fields: ["name", "title", "description", "params", "account"],
      tokenize: words,
      processTerm: (term) => indexTerm(term),
    });
    this.#search.addAll(entries.map((entry, id) => ({
      id,
      name: entry.name,
      title: entry.tool.title ?? "",
      description: entry.tool.description ?? "",
      params: Object.keys(entry.tool.inputSchema?.properties ?? {}).join(" "),
      account: `${entry.account} ${entry.accountText ?? ""}`,
    })));
    this.#names = new MiniSearch({ fields: ["name"], tokenize: (name) => [name.toLowerCase()] });
    this.#names.addAll(entries.map((entry, id) => ({ id, name: entry.name })));
  }

  /** How many tools the index holds. */
  get size(): number {
    return this.#entries.length;
  }

  /** The best matches for a natural-language query, best first; none for a query of filler words. */
  search(query: string, options: SearchOptions = {}): SearchHit<T>[] {
    const limit = Math.max(1, options.limit ?? DEFAULT_LIMIT);
    const own = new Set(words(query).map(indexTerm).filter((term) => term !== undefined));
    const results = this.#search.search(query, {
      boost: FIELD_BOOST,
      processTerm: (term) => queryTerms(term),
      boostTerm: (term) => own.has(term) ? 1 : SYNONYM_WEIGHT,
      prefix: (term) => term.length >= 3,
      fuzzy: (term) => term.length >= 5 ? 0.2 : false,
      weights: { prefix: 0.4, fuzzy: 0.3 },
      filter: options.account === undefined ? undefined : (result) => this.#mine(result.id, options.account),
    });
    return results.slice(0, limit).map((result) => {
      const { name, account, accounts, tool } = this.#entries[result.id];
      return { name, account, ...(accounts ? { accounts } : {}), score: result.score, tool };
    });
  }

  /** Whether an entry acts as an account (any, when none is asked for). */
  #mine(id: number, account: string | undefined): boolean {
    const entry = this.#entries[id];
    return account === undefined || (entry.accounts?.includes(account) ?? entry.account === account);
  }

  /**
   * Up to three names closest to one that does not exist: first those a few edits away (a
   * typo), then the best matches for its words (an old or half-remembered name).
   */
  closest(name: string, options: SearchOptions = {}): string[] {
    const spelled = this.#names.search(name.toLowerCase(), { fuzzy: 0.34, prefix: true })
      .filter((result) => this.#mine(result.id, options.account))
      .map((result) => this.#entries[result.id].name);
    const worded = this.search(words(name).join(" "), { ...options, limit: 3 }).map((hit) => hit.name);
    return [...new Set([...spelled, ...worded])].slice(0, 3);
  }
}
