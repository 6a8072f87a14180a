/** The command-line interface: argument parsing, one module per command, exit codes. */
export { main } from "./main.ts";
