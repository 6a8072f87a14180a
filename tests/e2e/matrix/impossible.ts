/**
 * The cells of the compatibility matrix that no broker can make work, why, and what the client
 * receives instead (matched against what it really gets).
 */
import type { Revision } from "../harness.ts";
import type { FixtureKind } from "../../fixtures/matrix_server.ts";
import type { Feature } from "./features.ts";

/** One documented impossibility. */
export interface Impossible {
  client: Revision;
  upstream: FixtureKind[];
  features: Feature[];
  /** Why, in the README's words. */
  reason: string;
  /** What the client receives. */
  received: RegExp;
}

export const IMPOSSIBLE: Impossible[] = [];
