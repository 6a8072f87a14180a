/**
 * JSONC without jsonc-parser (pure): comments and trailing commas blanked out so `JSON.parse`
 * reads the rest. jsonc-parser is CommonJS, and loading it pulls in Deno's CommonJS machinery
 * (about 6 MiB of an idle `serve`'s RSS); it is loaded only to word a syntax error (load.ts).
 */

/**
 * `text` with every comment and trailing comma replaced by spaces, or undefined when a comment
 * or string is left open (the caller then lets jsonc-parser report it). Strings are copied as
 * they are, so `JSON.parse` of the result is the value jsonc-parser would read.
 */
export function blankJsoncExtras(text: string): string | undefined {
  const out: string[] = [];
  /** Index in `out` of the last chunk that is not whitespace or a blanked comment, and of the one before. */
  let lastSignificant = -1;
  let beforeLast = -1;
  const significant = () => {
    beforeLast = lastSignificant;
    lastSignificant = out.length - 1;
  };
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (ch === '"') {
      let end = i + 1;
      while (end < text.length && text[end] !== '"') end += text[end] === "\\" ? 2 : 1;
      if (end >= text.length) return undefined;
      out.push(text.slice(i, end + 1));
      significant();
      i = end + 1;
    } else if (ch === "/" && text[i + 1] === "/") {
      const end = text.indexOf("\n", i);
      const stop = end === -1 ? text.length : end;
      out.push(" ".repeat(stop - i));
      i = stop;
    } else if (ch === "/" && text[i + 1] === "*") {
      const end = text.indexOf("*/", i + 2);
      if (end === -1) return undefined;
      out.push(text.slice(i, end + 2).replace(/[^\n]/g, " "));
      i = end + 2;
    } else {
      // A comma that ends a list is blanked; one with no value before it (`[,]`) is left for
      // JSON.parse to refuse, and jsonc-parser then names the error, as it always did.
      if (
        (ch === "}" || ch === "]") && out[lastSignificant] === "," &&
        !["[", "{", ","].includes(out[beforeLast])
      ) {
        out[lastSignificant] = " ";
      }
      out.push(ch);
      if (!/\s/.test(ch)) significant();
      i += 1;
    }
  }
  return out.join("");
}
