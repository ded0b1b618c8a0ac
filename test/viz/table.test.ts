import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as aq from 'arquero';
import { formatNumber, tableToCsv, tableToHtml, tableToMarkdown } from '../../src/viz/table.js';

const t = aq.table({
  method: ['ModaLink', 'LIP-Loc', 'a|b'],
  recallAt1: [0.8734, 0.5, 1 / 3],
  queries: [1000, 200, 3],
});

test('markdown: padded columns, numbers right-aligned with fixed decimals, integers as integers', () => {
  assert.equal(tableToMarkdown(t), [
    '| method   | recallAt1 | queries |',
    '| -------- | --------: | ------: |',
    '| ModaLink |     0.873 |    1000 |',
    '| LIP-Loc  |     0.500 |     200 |',
    '| a\\|b     |     0.333 |       3 |',
    '',
  ].join('\n'));
});

test('decimals can be set per column', () => {
  const md = tableToMarkdown(t, { decimals: { recallAt1: 1 } });
  assert.match(md, /\| ModaLink \|       0\.9 \|    1000 \|/);
  assert.throws(() => tableToMarkdown(t, { decimals: -1 }), /decimals for column 'recallAt1' must be an integer in \[0, 20\], got -1/);
});

test('csv: header, RFC 4180 quoting, same number formatting', () => {
  const c = aq.table({ name: ['plain', 'with, comma', 'say "hi"'], x: [1.5, -0.00001, NaN] });
  assert.equal(tableToCsv(c), 'name,x\nplain,1.500\n"with, comma",0.000\n"say ""hi""",NaN\n');
});

test('special values: -0 prints as 0, infinities, null as empty', () => {
  assert.equal(formatNumber(-0.0004, 3), '0.000');
  assert.equal(formatNumber(-0, null), '0');
  assert.equal(formatNumber(Infinity, 2), 'inf');
  assert.equal(formatNumber(-Infinity, 2), '-inf');
  const c = aq.table({ a: [1, null, 3], b: ['x', undefined, 'z'] });
  assert.equal(tableToCsv(c), 'a,b\n1,x\n,\n3,z\n');
});

test('the same table always gives the same bytes', () => {
  const make = () => aq.table({ a: [3, 1, 2], b: [0.1 + 0.2, 1e-9, -2.5] }).orderby('a');
  assert.equal(tableToMarkdown(make()), tableToMarkdown(make()));
  assert.equal(tableToCsv(make()), 'a,b\n1,0.000\n2,-2.500\n3,0.300\n');
});

test('html: escaped cells with the markdown text', () => {
  const h = tableToHtml(aq.table({ tag: ['<b>'], v: [2.24] }), { decimals: 1 });
  assert.equal(h, '<table>\n<thead><tr><th style="text-align:left">tag</th><th style="text-align:right">v</th></tr></thead>\n' +
    '<tbody>\n<tr><td style="text-align:left">&lt;b&gt;</td><td style="text-align:right">2.2</td></tr>\n</tbody>\n</table>');
});
