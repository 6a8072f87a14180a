import assert from "node:assert/strict";
import { openerCommand } from "../../lib/oauth/browser.ts";

const url = "https://as.example/auth?x=1&y=2";

Deno.test("$BROWSER is used when set, with its own arguments and the URL last", () => {
  const env = (name: string) => name === "BROWSER" ? "firefox --new-window" : undefined;
  assert.deepEqual(openerCommand(url, env, "linux"), ["firefox", "--new-window", url]);
});

Deno.test("without $BROWSER each OS's own opener is used", () => {
  const none = () => undefined;
  assert.deepEqual(openerCommand(url, none, "linux"), ["xdg-open", url]);
  assert.deepEqual(openerCommand(url, none, "darwin"), ["open", url]);
  assert.deepEqual(openerCommand(url, none, "windows"), ["rundll32", "url.dll,FileProtocolHandler", url]);
  assert.deepEqual(openerCommand(url, (n) => n === "BROWSER" ? "  " : undefined, "linux"), ["xdg-open", url]);
});
