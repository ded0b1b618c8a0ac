/**
 * Figures of global localization (issue 13): the map from above with one query's true and
 * estimated cameras and its k candidates, and the share of queries localized against an error
 * threshold, per method. Pure data (plotly specs).
 * @see notebooks/06-global-localization.ipynb
 */
import { axis, type Figure, type PlotlyTrace } from './figure.js';

/** A camera in the map's world for {@link localizationTopViewFigure}. */
export interface WorldCamera {
  name: string;
  /** [16] row-major worldFromCam (camera: x right, y down, z forward). */
  worldFromCam: ArrayLike<number>;
  color: string;
}

/** One candidate scan: its camera centre (x, z), metres, world, and its retrieval rank. */
export interface CandidateMarker { x: number; z: number; rank: number; chosen: boolean }

// #region localizationTopViewFigure
/**
 * The map's scan positions from above (x against z, metres, world), the candidates numbered by
 * rank (the chosen one ringed), and cameras drawn as a dot with a 4 m arrow along their forward axis.
 * @param mapXZ [N * 2] the map's camera centres (x, z)
 * @param halfWidthM half the shown square around the first camera, metres (default 40)
 */
export function localizationTopViewFigure(mapXZ: ArrayLike<number>, cameras: WorldCamera[], candidates: CandidateMarker[], title = '', halfWidthM = 40): Figure {
  if (mapXZ.length % 2 !== 0) throw new RangeError(`localizationTopViewFigure: mapXZ has ${mapXZ.length} values, expected (x, z) pairs`);
  if (cameras.length === 0) throw new RangeError('localizationTopViewFigure: no cameras');
  const n = mapXZ.length / 2;
  const traces: PlotlyTrace[] = [{
    type: 'scatter', mode: 'lines+markers', name: 'map scans', x: Array.from({ length: n }, (_, i) => mapXZ[2 * i]), y: Array.from({ length: n }, (_, i) => mapXZ[2 * i + 1]),
    line: { color: '#bbbbbb', width: 1 }, marker: { size: 3, color: '#999999' }, hoverinfo: 'skip',
  }, {
    type: 'scatter', mode: 'text+markers', name: 'candidates (rank)', x: candidates.map((c) => c.x), y: candidates.map((c) => c.z), text: candidates.map((c) => String(c.rank)),
    textposition: 'top right', marker: { size: candidates.map((c) => (c.chosen ? 14 : 9)), color: '#ff9f1c', line: { color: candidates.map((c) => (c.chosen ? '#000000' : '#ff9f1c')), width: 2 } },
  }];
  for (const cam of cameras) {
    const T = cam.worldFromCam, x = T[3], z = T[11], fx = T[2], fz = T[10], L = 4 / (Math.hypot(fx, fz) || 1); // forward axis = third column
    traces.push({ type: 'scatter', mode: 'lines+markers', name: cam.name, x: [x, x + L * fx], y: [z, z + L * fz], line: { color: cam.color, width: 3 }, marker: { size: [10, 1], color: cam.color } });
  }
  const c = cameras[0].worldFromCam;
  return {
    data: traces,
    layout: {
      title: { text: title }, width: 700, height: 600, legend: { x: 1, xanchor: 'right', y: 1, bgcolor: 'rgba(255,255,255,0.7)' },
      xaxis: axis('x (world)', 'm', { range: [c[3] - halfWidthM, c[3] + halfWidthM] }), yaxis: axis('z (world)', 'm', { scaleanchor: 'x', range: [c[11] - halfWidthM, c[11] + halfWidthM] }),
    },
  };
}
// #endregion localizationTopViewFigure

/** One method's per-query errors for {@link localizedShareFigure}. */
export interface LocalizedShareSeries { name: string; distancesM: number[]; anglesDeg: number[] }

/**
 * The share of queries within d metres (and maxDeg degrees) against d, one line per method.
 * @param maxDeg the rotation limit that goes with every distance (default 5)
 * @param maxM the largest distance shown (default 10)
 */
export function localizedShareFigure(series: LocalizedShareSeries[], maxDeg = 5, maxM = 10, title = ''): Figure {
  const steps = Array.from({ length: 101 }, (_, i) => (i * maxM) / 100);
  return {
    data: series.map((s) => {
      if (s.distancesM.length !== s.anglesDeg.length) throw new RangeError(`localizedShareFigure: ${s.name} has ${s.distancesM.length} distances and ${s.anglesDeg.length} angles`);
      const n = Math.max(1, s.distancesM.length);
      return { type: 'scatter', mode: 'lines', name: s.name, x: steps, y: steps.map((d) => (100 * s.distancesM.filter((m, i) => m < d && s.anglesDeg[i] < maxDeg).length) / n) };
    }),
    layout: { title: { text: title }, width: 750, height: 420, xaxis: axis('camera-centre error below', 'm'), yaxis: axis(`queries localized (rotation < ${maxDeg} deg)`, '%', { range: [0, 100] }) },
  };
}

/** One point of {@link localizationCalibrationFigure}: an error magnitude and a share over directions, percent. */
export interface CalibrationSharePoint { magnitude: number; meanPct: number; stdPct: number }

// #region localizationCalibrationFigure
/**
 * The share of queries localized (within 2 m and 5 deg) against the map's calibration error of
 * one kind, one line per method (mean over directions, the standard deviation as error bars;
 * magnitude 0 = the true calibration).
 * @param unit 'cm' (translation) or 'deg' (rotation)
 */
export function localizationCalibrationFigure(series: { name: string; points: CalibrationSharePoint[] }[], unit: 'cm' | 'deg', title = ''): Figure {
  if (series.length === 0) throw new RangeError('localizationCalibrationFigure: no series');
  return {
    data: series.map((s) => {
      const p = [...s.points].sort((a, b) => a.magnitude - b.magnitude);
      return { type: 'scatter', mode: 'lines+markers', name: s.name, x: p.map((q) => q.magnitude), y: p.map((q) => q.meanPct), error_y: { type: 'data', array: p.map((q) => q.stdPct), visible: true } };
    }),
    layout: { title: { text: title }, width: 650, height: 400, xaxis: axis(unit === 'cm' ? 'calibration error, translation' : 'calibration error, rotation', unit),
      yaxis: axis('queries within 2 m and 5 deg', '%', { range: [0, 100] }) },
  };
}
// #endregion localizationCalibrationFigure
