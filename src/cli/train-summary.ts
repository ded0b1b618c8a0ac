/** The one-line JSON summary the `train` commands print when a run ends. */

/** What every trainer returns that the summary needs. */
export interface TrainRunSummaryInput {
  steps: number;
  epochs: number;
  losses: number[];
}

/**
 * Prints `{ run, steps, epochs, seconds, meanLossLast10 }` to stdout.
 * @param run the run folder
 * @param r the trainer's result
 * @param t0Ms `Date.now()` when training started
 */
export function printTrainSummary(run: string, r: TrainRunSummaryInput, t0Ms: number): void {
  const last = r.losses.slice(-10);
  console.log(JSON.stringify({
    run, steps: r.steps, epochs: r.epochs, seconds: (Date.now() - t0Ms) / 1000,
    meanLossLast10: last.length ? last.reduce((a, b) => a + b, 0) / last.length : null,
  }));
}
