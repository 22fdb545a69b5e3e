/** What every CLI command shares: its shape, usage errors, option parsing and reading a password from stdin. */
import { parseArgs, type ParseArgsConfig } from 'node:util';

export interface Command {
  name: string;
  /** One line for the command list. */
  summary: string;
  /** The full text of `<command> --help`. */
  help: string;
  /** Returns what to print on stdout; throws UsageError or a ClientError on bad input. */
  run(argv: string[]): Promise<string>;
}

/** The command line itself is wrong (unknown command or option, missing value): exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

type OptionsConfig = NonNullable<ParseArgsConfig['options']>;

/** Parses `argv` strictly (no positionals, no unknown options), turning Node's errors into UsageError. */
export function parseOptions<Options extends OptionsConfig>(command: string, argv: string[], options: Options) {
  try {
    return parseArgs({ args: argv, options, strict: true, allowPositionals: false }).values;
  } catch (error) {
    const message = error instanceof Error ? error.message.replace(/\. To specify a positional argument.*$/s, '') : String(error);
    throw new UsageError(`${command}: ${message}`);
  }
}

export function required<Value>(command: string, name: string, value: Value | undefined): Value {
  if (value === undefined) throw new UsageError(`${command}: --${name} is required`);
  return value;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** The password from exactly one of --password or --password-stdin (one trailing newline dropped). */
export async function passwordFrom(command: string, values: { password?: string; 'password-stdin'?: boolean }): Promise<string> {
  if (values.password !== undefined && values['password-stdin']) {
    throw new UsageError(`${command}: give either --password or --password-stdin, not both`);
  }
  if (values.password !== undefined) return values.password;
  if (values['password-stdin']) return (await readStdin()).replace(/\r?\n$/, '');
  throw new UsageError(`${command}: --password or --password-stdin is required`);
}

export const PASSWORD_OPTIONS = {
  password: { type: 'string' },
  'password-stdin': { type: 'boolean' },
} as const;

export const PASSWORD_HELP = `  --password <password>  8 to 128 characters, not a common password (visible in shell history: prefer --password-stdin)
  --password-stdin       read the password from standard input (one trailing newline is dropped)`;
