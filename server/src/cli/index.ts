// `signalbox-server <command> …`: commands that work on the store without serving. main.ts
// hands over argv when its first word is a command named here; anything else starts the server.
import { tokenCommand } from './token-command.js';

export interface CliIo {
  env: NodeJS.ProcessEnv;
  /** What scripts capture (e.g. the new token). */
  out: (text: string) => void;
  /** Messages for people. */
  err: (text: string) => void;
}

const COMMANDS: Record<string, (args: string[], io: CliIo) => Promise<number>> = {
  token: tokenCommand,
};

export function isCliCommand(argv: string[]): boolean {
  const first = argv[0];
  return first !== undefined && Object.hasOwn(COMMANDS, first);
}

/** Runs the command and resolves with the process exit code. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  const command = name === undefined ? undefined : COMMANDS[name];
  if (!command) {
    io.err(`signalbox-server: unknown command "${name}"; commands: ${Object.keys(COMMANDS).join(', ')}\n`);
    return 2;
  }
  return command(rest, io);
}
