// Makes the native TensorFlow backend (@tensorflow/tfjs-node) work, offline if need be.
//
// Order of attempts (each is skipped when the binding already loads):
//   1. tfjs-node's own install script: downloads libtensorflow 2.9 from Google's CDN
//      and a prebuilt addon (works for users with internet access);
//   2. the TensorFlow pip wheel (tensorflow-cpu, from pip's configured index, cached
//      under ~/.cache/i2p-lab/wheels): its libtensorflow_cc.so.2, libtensorflow_framework.so.2
//      and C API headers are linked into the package's deps/, then the addon is compiled
//      with node-pre-gyp --build-from-source against Node's own headers;
//   3. nothing: the caller prints a loud warning and the library falls back to pure-JS tfjs.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';

export const TF_WHEEL_SPEC = process.env.I2P_TF_WHEEL ?? 'tensorflow-cpu==2.21.0';

/** Returns true when `require(pkg)` succeeds in a fresh Node process and the backend is 'tensorflow'. */
export function nativeLoads(projectRoot, pkg = '@tensorflow/tfjs-node') {
  const code = `const tf=require(${JSON.stringify(pkg)});tf.tensor([1,2]).square().dataSync();` +
    `if(tf.getBackend()!=='tensorflow'){process.exit(3)}`;
  const r = spawnSync(process.execPath, ['-e', code], {
    cwd: projectRoot, encoding: 'utf8', timeout: 120_000,
    env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '2' },
  });
  return { ok: r.status === 0, detail: (r.stderr || '').trim().split('\n').slice(-3).join('\n') };
}

function run(cmd, args, opts) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', ...opts });
  return { ok: r.status === 0, out: `${r.stdout ?? ''}${r.stderr ?? ''}${r.error ? String(r.error) : ''}` };
}

/** Attempt 1: the package's own download (needs internet). */
export function tryOfficialDownload(pkgDir, log, libType = 'cpu') {
  log(`trying ${path.basename(pkgDir)}'s own libtensorflow download (needs internet)...`);
  const r = run(process.execPath, ['scripts/install.js', libType, 'download'], { cwd: pkgDir, timeout: 600_000 });
  if (!r.ok) log(`  official download failed: ${r.out.trim().split('\n').slice(-2).join(' | ')}`);
  return r.ok;
}

function findPython() {
  for (const py of [process.env.PYTHON, 'python3', 'python'].filter(Boolean)) {
    if (run(py, ['-c', 'import zipfile'], {}).ok) return py;
  }
  return undefined;
}

/** Downloads (or reuses) the TensorFlow wheel; returns its path or undefined. */
function fetchWheel(py, log, spec) {
  const cacheDir = path.join(process.env.I2P_CACHE_DIR ?? path.join(os.homedir(), '.cache', 'i2p-lab'), 'wheels');
  fs.mkdirSync(cacheDir, { recursive: true });
  // the wheel's file name: 'tensorflow-cpu==2.21.0' -> tensorflow_cpu-2.21.0-*.whl
  const [name, version] = spec.split('==');
  const prefix = `${name.replace(/-/g, '_')}-${version ?? ''}`;
  const find = () => fs.readdirSync(cacheDir).find((f) => f.startsWith(prefix) && f.endsWith('.whl'));
  let wheel = find();
  if (!wheel) {
    log(`downloading the ${spec} wheel with pip into ${cacheDir} ...`);
    const r = run(py, ['-m', 'pip', 'download', spec, '--no-deps', '--only-binary=:all:', '-d', cacheDir],
      { timeout: 900_000 });
    if (!r.ok) log(`  pip download failed: ${r.out.trim().split('\n').slice(-2).join(' | ')}`);
    wheel = find();
  }
  return wheel ? path.join(cacheDir, wheel) : undefined;
}

const EXTRACT_PY = `
import sys, zipfile, os
whl, dest = sys.argv[1], sys.argv[2]
z = zipfile.ZipFile(whl)
want = ('tensorflow/libtensorflow_cc.so.2', 'tensorflow/libtensorflow_framework.so.2')
inc = ('tensorflow/include/tensorflow/c/', 'tensorflow/include/tsl/platform/ctstring',
       'tensorflow/include/xla/tsl/c/')
n = 0
for info in z.infolist():
    name = info.filename
    if name.endswith('/'):
        continue
    if name in want or name.startswith(inc) or (name.startswith('tensorflow/include/') and '/platform/ctstring' in name):
        target = os.path.join(dest, name[len('tensorflow/'):])
        if os.path.exists(target) and os.path.getsize(target) == info.file_size:
            continue
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with z.open(info) as src, open(target + '.part', 'wb') as out:
            while True:
                b = src.read(1 << 22)
                if not b:
                    break
                out.write(b)
        os.replace(target + '.part', target)
        n += 1
print(n)
`;

/** Links (hard link, else copy) `src` to `dst`, replacing what is there. */
function linkOrCopy(src, dst) {
  fs.rmSync(dst, { force: true });
  try { fs.linkSync(src, dst); } catch { fs.copyFileSync(src, dst); }
}

/**
 * Attempt 2: libtensorflow from a pip wheel, addon built from source.
 * @param spec pip requirement, `tensorflow-cpu==2.21.0` by default (`tensorflow==2.21.0` for CUDA 12 GPUs)
 */
export function tryPipWheel(pkgDir, log, spec = TF_WHEEL_SPEC) {
  const py = findPython();
  if (!py) { log('  no python3 with zipfile found: cannot use the TensorFlow pip wheel'); return false; }
  const wheel = fetchWheel(py, log, spec);
  if (!wheel) return false;
  const extracted = `${wheel}.extracted`;
  log(`extracting libtensorflow and the C API headers from ${path.basename(wheel)} ...`);
  const x = run(py, ['-c', EXTRACT_PY, wheel, extracted], { timeout: 900_000 });
  if (!x.ok) { log(`  extraction failed: ${x.out.trim()}`); return false; }

  const deps = path.join(pkgDir, 'deps');
  fs.rmSync(deps, { recursive: true, force: true });
  fs.mkdirSync(path.join(deps, 'lib'), { recursive: true });
  linkOrCopy(path.join(extracted, 'libtensorflow_cc.so.2'), path.join(deps, 'lib', 'libtensorflow_cc.so.2'));
  linkOrCopy(path.join(extracted, 'libtensorflow_framework.so.2'), path.join(deps, 'lib', 'libtensorflow_framework.so.2'));
  // The addon links -ltensorflow -ltensorflow_framework and loads them through rpath $ORIGIN/../../deps/lib.
  for (const [name, target] of [
    ['libtensorflow.so', 'libtensorflow_cc.so.2'], ['libtensorflow.so.2', 'libtensorflow_cc.so.2'],
    ['libtensorflow_framework.so', 'libtensorflow_framework.so.2']]) {
    fs.symlinkSync(target, path.join(deps, 'lib', name));
  }
  fs.cpSync(path.join(extracted, 'include'), path.join(deps, 'include'), { recursive: true });

  log('building the tfjs-node addon from source against libtensorflow from the wheel (a minute or two)...');
  const nodedir = process.env.npm_config_nodedir || path.resolve(path.dirname(process.execPath), '..');
  const preGyp = createRequire(path.join(pkgDir, 'package.json')).resolve('@mapbox/node-pre-gyp/bin/node-pre-gyp');
  const b = run(process.execPath, [preGyp, 'install', '--build-from-source'], {
    cwd: pkgDir, timeout: 1_800_000,
    env: { ...process.env, npm_config_nodedir: nodedir, JOBS: String(os.cpus().length) },
  });
  if (!b.ok) { log(`  addon build failed:\n${b.out.trim().split('\n').slice(-15).join('\n')}`); return false; }
  return true;
}
