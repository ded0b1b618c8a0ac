/**
 * The error every trainer raises when a step's loss is NaN or infinite: that step's update is
 * not applied and the last checkpoint stays as it was, so a run can continue from it (with a
 * lower learning rate, or after fixing the data).
 * @see notebooks/03-place-recognition.ipynb
 */

/** Raised when the loss is NaN or infinite (no update was applied for that step). */
export class NonFiniteLossError extends Error {
  /**
   * @param step steps done before the failing one
   * @param loss the loss value (NaN, Infinity or -Infinity)
   * @param checkpoint the checkpoint file that is kept (`<run>/checkpoint.json`)
   */
  constructor(readonly step: number, readonly loss: number, readonly checkpoint: string) {
    super(`training stopped: loss is ${loss} at step ${step}; the last good checkpoint ${checkpoint} is kept (lower learningRate or check the data)`);
    this.name = 'NonFiniteLossError';
  }
}
