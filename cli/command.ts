/**
 * The contract between `main.ts` and the verb modules: each verb registers its commander
 * command and wraps its action with `run`, which builds the per-invocation CliContext
 * from the global flags and hands over the command's own options.
 */
import type { Command } from 'commander';
import type { CliContext } from './context';

export type ActionFn = (ctx: CliContext, opts: Record<string, unknown>, cmd: Command) => Promise<void>;

/** Wraps a verb's action: `(...commanderArgs) => Promise<void>`. */
export type Runner = (fn: ActionFn) => (...args: unknown[]) => Promise<void>;
