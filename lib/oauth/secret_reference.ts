/** Resolving one secret reference (`vault:NAME`, `${ENV}`, `${vault:NAME}`) outside an upstream launch. */
import { parseReferences } from "../references.ts";
import { JanusError } from "../errors.ts";

/** The value of a reference string; a clear error naming `where` when a part is missing. */
export async function resolveSecretReference(
  value: string,
  where: string,
  sources: {
    env: (name: string) => string | undefined;
    vault: { get(name: string): Promise<string | undefined> };
  },
): Promise<string> {
  const parsed = parseReferences(value);
  if (!parsed.ok) throw new JanusError("config", `${where}: ${parsed.problem}`);
  let out = "";
  for (const part of parsed.parts) {
    if (part.kind === "text") out += part.text;
    else if (part.kind === "env") {
      const found = sources.env(part.name);
      if (found === undefined) {
        throw new JanusError("config", `${where} uses \${${part.name}}, which is not set`);
      }
      out += found;
    } else if (part.kind === "vault") {
      const found = await sources.vault.get(part.name);
      if (found === undefined) {
        throw new JanusError(
          "auth",
          `${where}: secret vault:${part.name} is not set — run: janusmcp vault set ${part.name}`,
        );
      }
      out += found;
    } else throw new JanusError("config", `${where}: an oauth: reference cannot be used here`);
  }
  return out;
}
