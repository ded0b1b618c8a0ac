/**
 * The one place that talks to tslab: sends a mime bundle (several representations of one
 * output, the frontend picks the richest it can render) to the notebook. Outside a tslab
 * kernel (scripts, tests) it prints the `text/plain` part instead.
 */
import { createRequire } from 'node:module';

/** A mime bundle: mime type -> text (e.g. `text/html`) or JSON value (plotly). */
export type MimeBundle = Record<string, unknown> & { 'text/plain': string };

interface TslabJupyter {
  lastWriteDisplayData: ((data: { data: unknown; metadata: unknown; transient: unknown }, update: boolean) => void) | null;
}

let jupyter: TslabJupyter | undefined;

/**
 * The running kernel's tslab module, looked up in the CommonJS cache (the kernel loaded it
 * from the same resolved file); never loads tslab itself, so scripts and tests stay light.
 */
function tslabJupyter(): TslabJupyter | undefined {
  if (jupyter) return jupyter;
  const req = createRequire(import.meta.url);
  let file: string;
  try {
    file = req.resolve('tslab/dist/jupyter');
  } catch {
    return undefined;
  }
  jupyter = req.cache[file]?.exports as TslabJupyter | undefined;
  return jupyter;
}

/** True when running inside a tslab kernel that is executing a cell. */
export function inKernel(): boolean {
  return typeof tslabJupyter()?.lastWriteDisplayData === 'function';
}

/**
 * Displays one output with several representations.
 * @param bundle mime type -> data; must include `text/plain`
 */
export function displayBundle(bundle: MimeBundle): void {
  const write = tslabJupyter()?.lastWriteDisplayData;
  if (typeof write === 'function') {
    write({ data: bundle, metadata: {}, transient: {} }, false);
  } else {
    console.log(bundle['text/plain']);
  }
}
