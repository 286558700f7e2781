// Training progress: one line per epoch in a terminal, and in a notebook a single output that
// is overwritten in place (tslab's `newDisplay()`), so a 50-epoch run shows one live bar
// instead of thousands of lines.
import { Display, inNotebook, newDisplay } from '../runtime/jupyter';
import { ProgressEvent } from './learner';

export type ProgressFn = (e: ProgressEvent) => void;

const fmt = (x: number | undefined) =>
  x === undefined || !Number.isFinite(x) ? '—' : x < 0.01 ? x.toExponential(2) : x.toFixed(4);

function eta(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '';
  const m = Math.floor(seconds / 60);
  return m > 0 ? `${m} min ${Math.round(seconds % 60)} s` : `${Math.round(seconds)} s`;
}

/** One stderr line per finished epoch: "cnn epoch 3/50  train 0.1234  valid 0.1200  12.3 s". */
export function terminalProgress(
  label: string,
  write: (s: string) => void = (s) => process.stderr.write(s + '\n'),
): ProgressFn {
  return (e) => {
    if (e.validLoss === undefined) return;
    write(
      `${label} epoch ${e.epoch + 1}/${e.epochs}  train ${fmt(e.trainLoss)}  valid ${fmt(e.validLoss)}  ${e.epochSeconds?.toFixed(1)} s`,
    );
  };
}

/**
 * A live progress bar in a notebook output (falls back to `terminalProgress` outside one).
 * Redraws at most every `everyMs`, and always at the end of an epoch.
 */
export function notebookProgress(label: string, everyMs = 500, target?: Display): ProgressFn {
  const display = target ?? newDisplay();
  if (!display) return terminalProgress(label);
  const t0 = performance.now();
  let last = -Infinity; // the first event always draws, however young the process
  const lines: string[] = [];
  return (e) => {
    const now = performance.now();
    const endOfEpoch = e.validLoss !== undefined;
    if (!endOfEpoch && now - last < everyMs) return;
    last = now;
    if (endOfEpoch)
      lines.push(
        `epoch ${e.epoch + 1}: train ${fmt(e.trainLoss)}, valid ${fmt(e.validLoss)} (${e.epochSeconds?.toFixed(1)} s)`,
      );
    const done = e.epoch + e.batch / e.batches;
    const total = e.epochs;
    const left = ((now - t0) / 1000 / done) * (total - done);
    const bar = `<progress value="${done.toFixed(3)}" max="${total}" style="width:300px"></progress>`;
    const status = `${label}: epoch ${e.epoch + 1}/${total}, batch ${e.batch}/${e.batches}, loss ${fmt(e.trainLoss)}${done < total ? `, about ${eta(left)} left` : ', done'}`;
    const recent = lines.slice(-3).join('<br>');
    display.html(
      `<div style="font-family:monospace">${bar} ${status}${recent ? `<br>${recent}` : ''}</div>`,
    );
  };
}

/** The right progress display for where the code runs. */
export function autoProgress(label: string): ProgressFn {
  return inNotebook() ? notebookProgress(label) : terminalProgress(label);
}
