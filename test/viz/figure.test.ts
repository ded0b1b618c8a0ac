import { test } from 'node:test';
import assert from 'node:assert/strict';
import { axis, axisTitle, figureJson, missingAxisTitles, scene3d, type Figure } from '../../src/viz/figure.js';
import { figureOutputHtml, figurePageHtml } from '../../src/viz/figure-html.js';

test('axis titles carry their unit', () => {
  assert.equal(axisTitle('depth', 'm'), 'depth (m)');
  assert.equal(axisTitle('count'), 'count');
  assert.deepEqual(axis('yaw error', 'deg', { range: [0, 5] }), { range: [0, 5], title: { text: 'yaw error (deg)' } });
  assert.throws(() => axisTitle(' ', 'm'), /quantity must be a non-empty string/);
  const s = scene3d('world', { ranges: { z: [0, 2] } });
  assert.deepEqual(s.zaxis, { range: [0, 2], title: { text: 'z_world (m)' } });
  assert.equal(s.aspectmode, 'data');
});

test('missing axis titles are listed', () => {
  const fig: Figure = { data: [{ type: 'scatter', x: [1], y: [2] }], layout: { xaxis: axis('u', 'px') } };
  assert.deepEqual(missingAxisTitles(fig), ['layout.yaxis.title']);
  assert.deepEqual(missingAxisTitles({ data: [{ type: 'scatter3d' }], layout: { scene: scene3d('cam') } }), []);
  assert.deepEqual(missingAxisTitles({ data: [{ type: 'scatter3d' }], layout: {} }),
    ['layout.scene.xaxis.title', 'layout.scene.yaxis.title', 'layout.scene.zaxis.title']);
});

test('figure JSON turns typed arrays into plain arrays', () => {
  const fig: Figure = { data: [{ type: 'scatter', x: Float32Array.of(0.5, 1), y: Int32Array.of(3, 4) }], layout: {} };
  assert.equal(figureJson(fig), '{"data":[{"type":"scatter","x":[0.5,1],"y":[3,4]}],"layout":{}}');
});

const fig: Figure = {
  data: [{ type: 'scatter', x: [1, 2], y: [3, 4], name: '</script><b>' }],
  layout: { title: { text: 'T' }, xaxis: axis('u', 'px'), yaxis: axis('v', 'px'), width: 400 },
};

test('the figure page holds the spec, loads plotly and sizes the figure', () => {
  const html = figurePageHtml(fig, { title: 'nb: fig', plotlySrc: '../plotly.js' });
  assert.ok(html.startsWith('<!DOCTYPE html>'));
  assert.ok(html.includes('<script src="../plotly.js"></script>'));
  assert.ok(html.includes('Plotly.newPlot('));
  assert.ok(html.includes("setAttribute('data-rendered', '1')"));
  assert.ok(html.includes('#figure{width:400px;height:600px}'), 'layout width kept, default height');
  const spec = /<script type="application\/json" id="figure-spec">(.*)<\/script>/.exec(html)![1];
  assert.ok(!spec.includes('</script>'), 'a string in the spec cannot close the script element');
  const parsed = JSON.parse(spec) as Figure;
  assert.deepEqual(parsed.data, fig.data);
  assert.deepEqual(parsed.layout, { ...fig.layout, height: 600 });
  assert.deepEqual(parsed.config, { displaylogo: false });
  assert.equal(figurePageHtml(fig, { title: 'nb: fig', plotlySrc: '../plotly.js' }), html, 'deterministic');
});

test('the notebook fallback html draws into its own div and fetches plotly when absent', () => {
  const html = figureOutputHtml(fig, { divId: 'i2p-00-x-1', plotlyUrl: 'https://cdn.plot.ly/plotly-3.7.0.min.js', caption: 'figure x' });
  assert.ok(html.startsWith('<div id="i2p-00-x-1" style="width:400px;height:600px"></div>'));
  assert.ok(html.includes("newPlot('i2p-00-x-1'"));
  assert.ok(html.includes('"https://cdn.plot.ly/plotly-3.7.0.min.js"'));
  assert.ok(!html.includes('</script><b>'));
});
