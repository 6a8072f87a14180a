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
  /** Index in `out` of the last character that is not whitespace or a blanked comment. */
  let lastSignificant = -1;
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (ch === '"') {
      let end = i + 1;
      while (end < text.length && text[end] !== '"') end += text[end] === "\\" ? 2 : 1;
      if (end >= text.length) return undefined;
      out.push(text.slice(i, end + 1));
      lastSignificant = out.length - 1;
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
      if (ch === "}" || ch === "]") {
        if (lastSignificant >= 0 && out[lastSignificant] === ",") out[lastSignificant] = " ";
      }
      out.push(ch);
      if (!/\s/.test(ch)) lastSignificant = out.length - 1;
      i += 1;
    }
  }
  return out.join("");
}
