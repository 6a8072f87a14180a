/** The product's name and version, shown by `janusmcp version` and sent as MCP server info. */
export const PRODUCT = { name: "janusmcp", title: "JanusMCP", version: "0.1.0" } as const;
