/**
 * Notebook helpers (`i2p-lab/notebook`): the only code that talks to tslab.
 *
 *     import { useNotebook, show, showTable, showSource } from 'i2p-lab/notebook';
 *     useNotebook('00-setup-and-notation', { seed: 0 });   // first cell
 * @see notebooks/00-setup-and-notation.ipynb
 */
export { useNotebook, describeSession, notebookRng, notebookSeed, notebookBudget } from './use-notebook.js';
export type { UseNotebookOptions } from './use-notebook.js';
export { session, runBudget } from './session.js';
export type { NotebookSession, RunBudget } from './session.js';
export { show, writeFigure } from './show.js';
export type { ShownFigure } from './show.js';
export { showTable, writeTable } from './show-table.js';
export type { ShownTable } from './show-table.js';
export { showSource, readSourceRegion, sourceRegions } from './show-source.js';
export { displayBundle, inKernel } from './display.js';
export type { MimeBundle } from './display.js';
export { findRepoRoot, repoRoot, figuresRoot } from './paths.js';
export { notebookDataset } from './dataset.js';
export type { NotebookDataset, NotebookDatasetOptions } from './dataset.js';
export * from '../viz/index.js';
