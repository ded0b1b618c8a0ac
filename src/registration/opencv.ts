/**
 * Loads OpenCV.js (`@techstark/opencv-js`, the official 4.12 WebAssembly build) once and
 * caches it.
 *
 * Why a loader: the package's module object is an Emscripten module that defines a
 * `then(func)` method returning the module itself, so `await cvModule` (or returning it from
 * an async function) re-enters `then` forever and never settles. Readiness is signalled by
 * `Module.calledRun === true`, or by the `onRuntimeInitialized` callback that Emscripten
 * calls once the WASM runtime is up. This loader waits for whichever comes first, chains an
 * `onRuntimeInitialized` set by someone else instead of overwriting it, and then DELETES the
 * module's own `then`, so the ready module is a plain object that can be awaited and returned
 * from promises (here and anywhere else in the process).
 *
 * Cost: importing the 10 MB script and compiling the WASM takes about 0.3-2 s, paid on the
 * first call only; the import is dynamic, so modules that import this file pay nothing until
 * they call {@link loadOpenCv}.
 * @see notebooks/05-pose-regression.ipynb (issue 5)
 */

/** The OpenCV.js API as typed by the package (functions, constants, `Mat`...). */
export type OpenCv = typeof import('@techstark/opencv-js');

/** The Emscripten parts of the module object that the typings leave out. */
interface EmscriptenModule {
  calledRun?: boolean;
  onRuntimeInitialized?: () => void;
  then?: unknown;
}

let cached: Promise<OpenCv> | undefined;

// #region loadOpenCv
/**
 * The ready OpenCV.js module, loaded on the first call and cached afterwards.
 * @param timeoutMs reject if the runtime is not ready after this long; default 60000
 * @returns a promise of the ready module (safe to await: its `then` has been removed)
 */
export function loadOpenCv(timeoutMs = 60_000): Promise<OpenCv> {
  cached ??= load(timeoutMs).catch((err: unknown) => {
    cached = undefined; // let a later call retry
    throw err;
  });
  return cached;
}
// #endregion loadOpenCv

async function load(timeoutMs: number): Promise<OpenCv> {
  const imported = (await import('@techstark/opencv-js')) as unknown as { default?: unknown };
  const mod = (imported.default ?? imported) as EmscriptenModule;
  if (!mod.calledRun) {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`loadOpenCv: OpenCV.js runtime not ready after ${timeoutMs} ms`)), timeoutMs);
      const previous = mod.onRuntimeInitialized;
      mod.onRuntimeInitialized = () => {
        previous?.();
        clearTimeout(timer);
        resolve();
      };
      if (mod.calledRun) { clearTimeout(timer); resolve(); } // became ready in between
    });
  }
  Reflect.deleteProperty(mod, 'then');
  return mod as unknown as OpenCv;
}
