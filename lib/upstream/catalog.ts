/** The four lists an upstream publishes, and how each is fetched. */
import type {
  Prompt,
  Resource,
  ResourceTemplateType,
  ServerCapabilities,
  Tool,
} from "@modelcontextprotocol/client";

/** The kinds of list an upstream publishes. */
export type CatalogKind = "tools" | "resources" | "resourceTemplates" | "prompts";

/** The item type of each list. */
export interface CatalogItems {
  tools: Tool;
  resources: Resource;
  resourceTemplates: ResourceTemplateType;
  prompts: Prompt;
}

/** How each list is requested, where its items are in the result, and which capability gates it. */
export const CATALOG_METHODS: Record<
  CatalogKind,
  { method: string; field: string; capability: keyof ServerCapabilities }
> = {
  tools: { method: "tools/list", field: "tools", capability: "tools" },
  resources: { method: "resources/list", field: "resources", capability: "resources" },
  resourceTemplates: {
    method: "resources/templates/list",
    field: "resourceTemplates",
    capability: "resources",
  },
  prompts: { method: "prompts/list", field: "prompts", capability: "prompts" },
};

/** Which lists an upstream's `list_changed` notification invalidates. */
export const LIST_CHANGED_NOTIFICATIONS: Record<string, CatalogKind[]> = {
  "notifications/tools/list_changed": ["tools"],
  "notifications/resources/list_changed": ["resources", "resourceTemplates"],
  "notifications/prompts/list_changed": ["prompts"],
};
