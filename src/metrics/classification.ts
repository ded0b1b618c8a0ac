/**
 * Binary classification scores as pure functions: ROC AUC (the probability that a random
 * positive scores above a random negative, ties counting one half: the Mann-Whitney
 * statistic) and precision / recall of a 0/1 prediction. Used for GPDM's in-frustum
 * classifier and its geometric mask.
 * @see notebooks/05-pose-regression.ipynb
 */

/** Precision, recall and the counts behind them. */
export interface PrecisionRecall {
  /** TP / (TP + FP); NaN when nothing is predicted positive. */ precision: number;
  /** TP / (TP + FN); NaN when there is no positive. */ recall: number;
  truePositives: number; falsePositives: number; falseNegatives: number; trueNegatives: number;
}

function checkLengths(where: string, a: ArrayLike<number>, labels: ArrayLike<number>): void {
  if (a.length !== labels.length) throw new Error(`${where}: expected as many labels as values, got ${labels.length} labels for ${a.length} values`);
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] !== 0 && labels[i] !== 1) throw new Error(`${where}: labels must be 0 or 1, got ${labels[i]} at index ${i}`);
  }
}

// #region rocAuc
/**
 * ROC AUC of `scores` for 0/1 `labels` (average ranks, so ties count one half).
 * @param scores [n] any real scores (higher = more likely positive); NaN is an error
 * @param labels [n] 0/1
 * @returns in [0, 1]; NaN when one class is absent
 */
export function rocAuc(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  checkLengths('rocAuc', scores, labels);
  const n = scores.length, order = Array.from({ length: n }, (_, i) => i);
  for (let i = 0; i < n; i++) if (Number.isNaN(scores[i])) throw new Error(`rocAuc: score ${i} is NaN`);
  order.sort((a, b) => scores[a] - scores[b]);
  let rankSumPos = 0, nPos = 0;
  for (let i = 0; i < n;) {
    let j = i;
    while (j + 1 < n && scores[order[j + 1]] === scores[order[i]]) j++;
    const rank = (i + j) / 2 + 1; // average 1-based rank of the tie block
    for (let k = i; k <= j; k++) if (labels[order[k]] === 1) { rankSumPos += rank; nPos++; }
    i = j + 1;
  }
  const nNeg = n - nPos;
  if (nPos === 0 || nNeg === 0) return NaN;
  return (rankSumPos - (nPos * (nPos + 1)) / 2) / (nPos * nNeg);
}
// #endregion rocAuc

/**
 * Precision and recall of a 0/1 prediction.
 * @param predicted [n] 0/1; truth [n] 0/1
 */
export function precisionRecall(predicted: ArrayLike<number>, truth: ArrayLike<number>): PrecisionRecall {
  checkLengths('precisionRecall', predicted, truth);
  checkLengths('precisionRecall (predicted)', truth, predicted);
  let tp = 0, fp = 0, fn = 0, tn = 0;
  for (let i = 0; i < truth.length; i++) {
    if (predicted[i] === 1) { if (truth[i] === 1) tp++; else fp++; } else if (truth[i] === 1) fn++; else tn++;
  }
  return { precision: tp / (tp + fp), recall: tp / (tp + fn), truePositives: tp, falsePositives: fp, falseNegatives: fn, trueNegatives: tn };
}
