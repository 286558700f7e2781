// The `exploring-attention` command line, the project's second front door. Each subcommand
// checks every argument first (a bad one exits 2 with the usage, before the backend starts or
// anything is written), then wires the stages together and prints a short human summary, or
// with --json one JSON object per line for scripts. The commands live in src/cli/.
import { ConfigError, checkOneOf } from './runtime/validate';
import { UsageError } from './runtime/args';
import { BACKENDS, BACKEND_ENV } from './runtime/backend';
import { RECIPE_NAMES } from './train/recipes';
import { DEFAULTS, MODEL_KINDS } from './models/configs';
import { PROFILE_ENV } from './train/profiles';
import { MODEL_FLAGS, Out } from './cli/flags';
import { benchCommand } from './cli/bench-command';
import { compareCommand } from './cli/compare-command';
import { EXPERIMENT_NAMES } from './train/experiments';
import { dataCommands } from './cli/data-commands';
import { trainCommands } from './cli/train-commands';

const USAGE = `usage: exploring-attention <command> [options]

commands:
  generate [--train N] [--test N] [--seed S] [--group-by-locations] [--positional-encoding] [--json]
      build (or load from data/cache/) a dataset; prints train, test, mean, std, rejected, seconds
  backend [--json]
      print the backend in use and why each faster one was not used (${BACKEND_ENV} forces one: ${BACKENDS.join(', ')});
      training needs tfjs-node or tfjs-node-gpu; on cpu, saved runs still load (${BACKEND_ENV}=cpu trains there anyway)
  summary --model M ${MODEL_FLAGS} [--json]
      layers, output shapes and parameter count of a model (M: ${MODEL_KINDS.join(', ')});
      --position-at input puts the 7-channel table beside the model's input (binary: the same bits
      as --positional-encoding), qk adds it to Q and K; --no-concat and --pooling uniform are the
      pooled model's controls (the context alone at every position; the plain mean)
  train --model M [--profile P | --train N --test N --epochs E] ${MODEL_FLAGS}
        [--seed S] [--recipe ${RECIPE_NAMES.join('|')}] [--group-by-locations] [--positional-encoding] [--retrain] [--json]
      train a model (or reuse its saved run in data/models/); a killed run resumes from its last epoch;
      --recipe fast: one-cycle at a 3e-3 peak, batch 32, 6 epochs (blog: flat 1e-3, batch 128, 50 epochs)
  sweep --model M [--kernel-sizes 3,5,7] [--key-channels 16,32] [--heads 1,2,4] [--window 0,5,10]
        [--epochs E] [--train N] [--json]
      train a grid of configs (resumable: finished points are never retrained); one line per grid point
  compare --set NAME [--variants A,B] [--seeds N] [--profile P] [--retrain] [--json]
      train (or load) a named seeded comparison, the runs notebooks 06–08 read (NAME: ${EXPERIMENT_NAMES.join(', ')});
      recipe fast, seeds 0..N−1 (default 3) each moving the weights, batch order and data draw;
      prints each variant's median and range over seeds (a seed's final loss: its last epoch under
      one-cycle, where the rate has annealed; the median of its last 5 under a flat rate)
  bench [--models cnn,attention,…] [--backend B | --all-backends] [--steps N] [--tweak] [--ops] [--json]
        [--time-to-target | --sweep-estimate] [--recipe ${RECIPE_NAMES.join('|')}]
      training speed per model and backend: epoch seconds, effective and matMul GFLOP/s, CPU per
      step, load, memory; --tweak also times a whole 5-epoch attention run at full size by phase;
      --ops shows instead where each model's training step goes, kernel by kernel;
      --time-to-target instead times a cold process training the attention model on the full data
      with a recipe (default fast) until its validation MSE first reaches 0.001; --sweep-estimate
      instead estimates notebook 7's 28-point sweep at a recipe's budget from measured steps
  reproduce [--profile P] [--retrain] [--only 01,05]
      run every notebook headless (nbclient + tslab), write them back with outputs, the figures to
      data/figures/ and the runs' results to data/results/summary.json; default profile: full

model fields: ${MODEL_KINDS.map((k) => `${k} (${Object.keys(DEFAULTS[k]).join(', ')})`).join('; ')}
profiles (P): full (the blog's sizes), quick, smoke; the default is $${PROFILE_ENV} or full.
exit codes: 0 done, 1 failed while working, 2 bad arguments (nothing was started or written).`;

const commands: Record<string, (args: string[], out: Out) => Promise<void>> = {
  ...dataCommands,
  ...trainCommands,
  ...benchCommand,
  ...compareCommand,
};

/** Runs the CLI; resolves to the exit code. */
export async function main(
  argv: string[],
  io: { stdout?: (s: string) => void; stderr?: (s: string) => void } = {},
): Promise<number> {
  const stdout = io.stdout ?? ((s: string) => process.stdout.write(s + '\n'));
  const stderr = io.stderr ?? ((s: string) => process.stderr.write(s + '\n'));
  const [cmd, ...rest] = argv;
  if (!cmd || cmd === '--help' || cmd === '-h' || cmd === 'help') {
    (cmd ? stdout : stderr)(USAGE);
    return cmd ? 0 : 2;
  }
  const run = commands[cmd];
  if (!run) {
    stderr(`unknown command '${cmd}'\n\n${USAGE}`);
    return 2;
  }
  if (rest.includes('--help')) {
    stdout(USAGE);
    return 0;
  }
  const json = rest.includes('--json');
  try {
    // A bad backend name in the environment is bad input too: refuse it before any work.
    if (process.env[BACKEND_ENV]) checkOneOf(BACKEND_ENV, process.env[BACKEND_ENV], BACKENDS);
    await run(rest, (human, obj) => stdout(json ? JSON.stringify(obj) : human));
    return 0;
  } catch (err) {
    if (err instanceof UsageError || err instanceof ConfigError) {
      stderr(`exploring-attention ${cmd}: ${err.message}\n\n${USAGE}`);
      return 2;
    }
    stderr(`exploring-attention ${cmd}: ${(err as Error).message}`);
    return 1;
  }
}
