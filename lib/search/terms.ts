/**
 * How tool text becomes search terms (pure): words split at punctuation, `snake_case`,
 * `kebab-case` and `camelCase` boundaries, lower-cased, with filler words dropped and a light
 * suffix folding so "issues", "listing" and "listed" meet "issue" and "list". A query's words
 * also bring a few everyday synonyms ("remove" finds `delete_file`), because a model phrases a
 * need in its own words, not in the tool author's.
 */

/** Words that carry no meaning for finding a tool. */
const FILLER = new Set([
  "a",
  "an",
  "and",
  "any",
  "are",
  "as",
  "at",
  "be",
  "by",
  "can",
  "do",
  "for",
  "from",
  "i",
  "in",
  "into",
  "is",
  "it",
  "its",
  "me",
  "my",
  "of",
  "on",
  "or",
  "our",
  "please",
  "some",
  "that",
  "the",
  "their",
  "this",
  "to",
  "tool",
  "want",
  "we",
  "what",
  "which",
  "with",
]);

/**
 * Words a person uses for the same action or thing. Each group is folded both ways; kept small
 * and general (verbs of CRUD, a few nouns every SaaS API shares) so it helps every server alike.
 */
const SYNONYM_GROUPS: readonly (readonly string[])[] = [
  ["create", "add", "make"],
  ["delete", "remove", "erase", "destroy", "drop"],
  ["get", "fetch", "read", "retrieve", "show", "view", "load"],
  ["list", "enumerate", "browse"],
  ["search", "find", "query", "lookup", "look"],
  ["update", "edit", "modify", "change", "rename"],
  ["send", "post", "write"],
  ["directory", "folder", "dir"],
  ["issue", "ticket", "bug"],
  ["repository", "repo"],
  ["user", "member", "person", "people", "profile"],
  ["message", "chat"],
  ["comment", "reply"],
  ["pr", "pull"],
];

const SYNONYMS: ReadonlyMap<string, readonly string[]> = new Map(
  SYNONYM_GROUPS.flatMap((group) => {
    const folded = group.map(fold);
    return folded.map((word) => [word, folded.filter((other) => other !== word)] as const);
  }),
);

/** Splits text into raw words: at anything not a letter or digit, and at camelCase humps. */
export function words(text: string): string[] {
  return text
    .replace(/([\p{Ll}\p{N}])(\p{Lu})/gu, "$1 $2") // getUser → get User
    .replace(/(\p{Lu})(\p{Lu}\p{Ll})/gu, "$1 $2") // HTTPServer → HTTP Server
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word !== "");
}

/** Folds a word to its search form: lower case, common English suffixes and a final "e" removed. */
export function fold(word: string): string {
  const stem = withoutSuffix(word.toLowerCase());
  // "merge", "merged" and "merging" all end up as "merg"; short words keep their "e" ("file").
  return stem.length > 4 && stem.endsWith("e") ? stem.slice(0, -1) : stem;
}

function withoutSuffix(lower: string): string {
  if (lower.length > 4 && lower.endsWith("ies")) return `${lower.slice(0, -3)}y`;
  if (lower.length > 5 && lower.endsWith("ing")) return lower.slice(0, -3);
  if (lower.length > 4 && lower.endsWith("ed") && !lower.endsWith("eed")) return lower.slice(0, -2);
  if (lower.length > 4 && /(sses|xes|ches|shes)$/.test(lower)) return lower.slice(0, -2);
  if (lower.length > 3 && lower.endsWith("s") && !/(ss|us|is)$/.test(lower)) return lower.slice(0, -1);
  return lower;
}

/** The term a word is indexed under, or undefined for a filler word. */
export function indexTerm(word: string): string | undefined {
  const lower = word.toLowerCase();
  return FILLER.has(lower) ? undefined : fold(lower);
}

/** The terms a query word looks for: its own form first, then its synonyms. */
export function queryTerms(word: string): string[] {
  const term = indexTerm(word);
  if (term === undefined) return [];
  return [term, ...(SYNONYMS.get(term) ?? [])];
}
