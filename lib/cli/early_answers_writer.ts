/**
 * Recording early answers (lib/early_answers.ts): what a stdio `serve` answered to a client's
 * first `initialize` and complete `tools/list` — frames as sent, so through the redactor already —
 * is written beside state.json (atomically, mode 0600), keyed by the config and state files as
 * they were at launch and by a digest of that client's initialize params, so that the next
 * `serve` of the same config can answer that client's handshake before the broker has loaded.
 */
import { writeFileAtomic } from "../atomic_write.ts";
import { earlyAnswersPath } from "../config/mod.ts";
import {
  answerFor,
  type AnswerKeys,
  clientDigest,
  formatEarlyAnswers,
  parseEarlyAnswers,
  withAnswer,
} from "../early_answers.ts";
import { messageOf } from "../errors.ts";
import type { FirstAnswers } from "../transport/mod.ts";
import { canonicalJson } from "../values.ts";

/** Records a client's first answers (`record`); `flush` waits for the write, if one is under way. */
export function answersRecorder(
  configPath: string,
  keys: AnswerKeys,
  log: (line: string) => void,
): { record(answers: FirstAnswers): void; flush(): Promise<void> } {
  let saving: Promise<void> = Promise.resolve();
  return {
    record(answers) {
      saving = saveEarlyAnswers(configPath, keys, answers).catch((error) =>
        log(`warning: could not save the early answers: ${messageOf(error)}`)
      );
    },
    flush: () => saving,
  };
}

/** Writes this client's answers into the record, unless it already holds exactly these. */
export async function saveEarlyAnswers(
  configPath: string,
  keys: AnswerKeys,
  answers: FirstAnswers,
): Promise<void> {
  const path = earlyAnswersPath(configPath);
  const client = clientDigest(answers.params);
  const current = parseEarlyAnswers(await Deno.readTextFile(path).catch(() => ""));
  const held = answerFor(current, keys, client);
  if (
    held && canonicalJson(held.initialize) === canonicalJson(answers.initialize) &&
    canonicalJson(held.tools) === canonicalJson(answers.tools)
  ) return;
  const record = withAnswer(current, keys, { client, initialize: answers.initialize, tools: answers.tools });
  await writeFileAtomic(path, formatEarlyAnswers(record));
}
