import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findRegion, listRegions, parseRegions } from '../../src/viz/source-region.js';

const SRC = [
  'import x from "y";',             // 1
  '',                                // 2
  '// #region outer',                // 3
  'export function f(a: number) {',  // 4
  '  // #region inner',              // 5
  '  const b = a * 2;',              // 6
  '  // #endregion inner',           // 7
  '  return b;',                     // 8
  '}',                               // 9
  '',                                // 10
  '// #endregion',                   // 11
  'class K {',                       // 12
  '    // #region method',           // 13
  '    m() {',                       // 14
  '      return 1;',                 // 15
  '    }',                           // 16
  '    // #endregion',               // 17
  '}',                               // 18
].join('\n');

test('regions are listed in file order, nested ones included', () => {
  assert.deepEqual(listRegions(SRC), ['outer', 'inner', 'method']);
});

test('a region is the lines between its markers, without inner markers or trailing blank lines', () => {
  const r = findRegion(SRC, 'outer', 'a.ts');
  assert.equal(r.startLine, 3);
  assert.equal(r.endLine, 11);
  assert.equal(r.text, 'export function f(a: number) {\n  const b = a * 2;\n  return b;\n}');
});

test('common indentation is removed', () => {
  assert.equal(findRegion(SRC, 'inner').text, 'const b = a * 2;');
  assert.equal(findRegion(SRC, 'method').text, 'm() {\n  return 1;\n}');
});

test('CRLF line ends are read like LF', () => {
  assert.equal(findRegion(SRC.replace(/\n/g, '\r\n'), 'inner').text, 'const b = a * 2;');
});

test('a missing region names the file and lists the regions there are', () => {
  assert.throws(() => findRegion(SRC, 'nope', 'src/geometry/a.ts'),
    { message: "src/geometry/a.ts: no region 'nope'; regions in this file: 'outer', 'inner', 'method'" });
  assert.throws(() => findRegion('const a = 1;\n', 'x', 'b.ts'), /b\.ts: no region 'x'; regions in this file: none/);
});

test('malformed markers are errors with file and line', () => {
  assert.throws(() => parseRegions('// #region a\nx\n', 'f.ts'), { message: "f.ts:1: region 'a' is never closed ('// #endregion' missing)" });
  assert.throws(() => parseRegions('x\n// #endregion\n', 'f.ts'), { message: "f.ts:2: '#endregion' without a matching '#region'" });
  assert.throws(() => parseRegions('// #region\n// #endregion\n', 'f.ts'), { message: "f.ts:1: '#region' needs a name" });
  assert.throws(() => parseRegions('// #region a\n// #endregion b\n', 'f.ts'), /f\.ts:2: '#endregion b' closes region 'a'/);
  assert.throws(() => parseRegions('// #region a\n// #endregion\n// #region a\n// #endregion\n', 'f.ts'), /f\.ts:3: duplicate region 'a'/);
});

test('an empty region gives empty text', () => {
  assert.equal(findRegion('// #region e\n\n// #endregion\n', 'e').text, '');
});
