/**
 * Settings of the synthetic KITTI-like dataset generator: the town, the LiDAR, the cameras
 * and the drives. Presets under `datasets/*.json` hold a partial config merged onto
 * {@link DEFAULT_SYNTHETIC_CONFIG} by {@link validateSyntheticConfig}.
 * @see notebooks/01-camera-geometry.ipynb (issue 3)
 */
import { createHash } from 'node:crypto';
import { ConfigError } from '../../core/errors.js';
import { checkConfigObject, expectField, mergeConfigSection, nonEmptyStringField, numberField } from '../../core/config-fields.js';

/** The procedural town. */
export interface TownConfig {
  /** Blocks along x; streets = blocksX + 1. Default 5, range 1..40. */
  blocksX: number;
  /** Blocks along y. Default 5, range 1..40. */
  blocksY: number;
  /** Smallest block pitch (street centre to centre), metres. Default 55. */
  blockMinM: number;
  /** Largest block pitch, metres. Default 90. */
  blockMaxM: number;
  /** Share of interior street segments removed (irregular grid, dead streets become paths). Default 0.15, 0..0.5. */
  removedStreetShare: number;
  /** Share of blocks that are parks (trees, fences, no buildings). Default 0.12, 0..1. */
  parkShare: number;
  /** Road width (kerb to kerb), metres: two driving lanes and two parking lanes. Default 12. */
  roadWidthM: number;
  /** Width of the parking lane along each kerb, metres (parked cars stand in it, drives keep out of it). Default 2.3, 0..5. */
  parkingLaneM: number;
  /** Sidewalk width, metres. Default 3. */
  sidewalkWidthM: number;
  /** Number of facade styles shared by all buildings (reused across the town). Default 8, 1..16. */
  facadeStyles: number;
  /** Probability that a parking slot along a road holds a car. Default 0.35, 0..1. */
  parkedCarShare: number;
  /** Smallest front-yard depth between sidewalk and building facade, metres. Default 2, 0..30. */
  setbackMinM: number;
  /** Largest front-yard depth, metres. Default 9, 0..30. */
  setbackMaxM: number;
  /** Probability of a street tree at each candidate spot (every 10-18 m, both sides). Default 0.55, 0..1. */
  streetTreeShare: number;
  /** Rows of tall backdrop buildings in a ring around the town (distant structure), 0 = none. Default 1, 0..3. */
  backdropRows: number;
}

/** The HDL-64E-like LiDAR. */
export interface LidarConfig {
  /** Beams (rows). Default 64. */
  beams: number;
  /**
   * Beams in the upper block (HDL-64E: 32 from `elevationMaxDeg` to `upperBlockMinDeg`, the rest from
   * `lowerBlockMaxDeg` to `elevationMinDeg`), each block evenly spaced. 0 = all beams evenly spaced. Default 32.
   */
  upperBlockBeams: number;
  /** Elevation of the upper block's lowest beam, degrees. Default -8.33. */
  upperBlockMinDeg: number;
  /** Elevation of the lower block's top beam, degrees. Default -8.83. */
  lowerBlockMaxDeg: number;
  /** Elevation of the top beam, degrees. Default 2. */
  elevationMaxDeg: number;
  /** Elevation of the bottom beam, degrees. Default -24.8. */
  elevationMinDeg: number;
  /** Azimuth columns over 360 degrees. Default 2083 (0.173 degree step). */
  columns: number;
  /** Largest range returned, metres. Default 120. */
  maxRangeM: number;
  /** Standard deviation of the range noise, metres. Default 0.02. */
  rangeNoiseM: number;
  /** Probability that a return is dropped at random. Default 0.02, 0..1. */
  dropout: number;
  /** Sensor height above the ground, metres. Default 1.73. */
  mountHeightM: number;
  /**
   * Weak grazing returns: a return at range r (metres) with incidence cosine c is kept with probability
   * min(1, (c * grazingRangeM / r)^2), so flat ground thins out with range as on the HDL-64E. Default 600, 1..100000.
   */
  grazingRangeM: number;
  /** Probability that a return from a window pane (glass) is lost. Default 0.7, 0..1. */
  glassDropout: number;
}

/** Cameras 2 and 3. */
export interface CameraConfig {
  /** Image scale relative to KITTI's 1241 x 376 (calib P matrices are scaled to match). Default 1, 0.05..1. */
  scale: number;
  /** Standard deviation of the per-pixel sensor noise, 8-bit levels. Default 2.5. */
  noiseStd: number;
}

/** The drives (sequences). */
export interface DriveConfig {
  /** Frames per sequence; its length is the number of sequences (00, 01, ...). */
  frames: number[];
  /** Frame rate, Hz (times.txt step). Default 10. */
  frameRateHz: number;
  /** Slowest drive speed, m/s. Default 7. */
  speedMinMps: number;
  /** Fastest drive speed, m/s. Default 11. */
  speedMaxMps: number;
  /** Random lateral offset of a drive inside its lane, metres (+-). Default 0.6. */
  laneJitterM: number;
}

/** The whole generator config. */
export interface SyntheticConfig {
  /** Preset name (documentation only). */
  name: string;
  /** Seed of every random choice (town, drives, noise). */
  seed: number;
  town: TownConfig;
  lidar: LidarConfig;
  camera: CameraConfig;
  drives: DriveConfig;
}

/** A partial config as found in a preset file. */
export type SyntheticConfigInput = Partial<Omit<SyntheticConfig, 'town' | 'lidar' | 'camera' | 'drives'>> & {
  town?: Partial<TownConfig>; lidar?: Partial<LidarConfig>; camera?: Partial<CameraConfig>; drives?: Partial<DriveConfig>;
};

/** Defaults (a KITTI-like rig in a 5 x 5 block town, four sequences of 100 frames). */
export const DEFAULT_SYNTHETIC_CONFIG: SyntheticConfig = {
  name: 'default',
  seed: 1,
  town: {
    blocksX: 5, blocksY: 5, blockMinM: 55, blockMaxM: 90, removedStreetShare: 0.15, parkShare: 0.12,
    roadWidthM: 12, parkingLaneM: 2.3, sidewalkWidthM: 3, facadeStyles: 8, parkedCarShare: 0.35,
    setbackMinM: 2, setbackMaxM: 9, streetTreeShare: 0.55, backdropRows: 1,
  },
  lidar: {
    beams: 64, upperBlockBeams: 32, upperBlockMinDeg: -8.33, lowerBlockMaxDeg: -8.83, elevationMaxDeg: 2, elevationMinDeg: -24.8, columns: 2083, maxRangeM: 120, rangeNoiseM: 0.02,
    dropout: 0.02, mountHeightM: 1.73, grazingRangeM: 600, glassDropout: 0.7,
  },
  camera: { scale: 1, noiseStd: 2.5 },
  drives: { frames: [100, 100, 100, 100], frameRateHz: 10, speedMinMps: 7, speedMaxMps: 11, laneJitterM: 0.6 },
};

type Range = [number, number, boolean?]; // [min, max, integer]
const RANGES: Record<'town' | 'lidar' | 'camera' | 'drives', Record<string, Range>> = {
  town: {
    blocksX: [1, 40, true], blocksY: [1, 40, true], blockMinM: [30, 300], blockMaxM: [30, 300],
    removedStreetShare: [0, 0.5], parkShare: [0, 1], roadWidthM: [6, 20], parkingLaneM: [0, 5], sidewalkWidthM: [1, 8],
    facadeStyles: [1, 16, true], parkedCarShare: [0, 1],
    setbackMinM: [0, 30], setbackMaxM: [0, 30], streetTreeShare: [0, 1], backdropRows: [0, 3, true],
  },
  lidar: {
    beams: [1, 256, true], upperBlockBeams: [0, 255, true], upperBlockMinDeg: [-89, 89], lowerBlockMaxDeg: [-89, 89], elevationMaxDeg: [-89, 89], elevationMinDeg: [-89, 89], columns: [8, 10000, true],
    maxRangeM: [1, 1000], rangeNoiseM: [0, 1], dropout: [0, 1], mountHeightM: [0.2, 5], grazingRangeM: [1, 100000], glassDropout: [0, 1],
  },
  camera: { scale: [0.05, 1], noiseStd: [0, 50] },
  drives: { frameRateHz: [0.1, 100], speedMinMps: [0.5, 40], speedMaxMps: [0.5, 40], laneJitterM: [0, 2] },
};

const checkNumber = (field: string, v: unknown, [min, max, integer]: Range): number => numberField(field, v, { min, max, integer });

function mergeSection(name: keyof typeof RANGES, input: unknown): Record<string, unknown> {
  const base = mergeConfigSection(name, DEFAULT_SYNTHETIC_CONFIG[name] as unknown as Record<string, unknown>, input);
  for (const [k, r] of Object.entries(RANGES[name])) base[k] = checkNumber(`${name}.${k}`, base[k], r);
  return base;
}

/**
 * Merges a partial config onto the defaults and checks every field.
 * @param input - a preset's JSON object (partial).
 * @returns the complete config.
 * @throws ConfigError naming the field and what was expected.
 */
export function validateSyntheticConfig(input: SyntheticConfigInput = {}): SyntheticConfig {
  checkConfigObject('', input, ['name', 'seed', 'town', 'lidar', 'camera', 'drives', '$comment']);
  const name = nonEmptyStringField('name', input.name ?? DEFAULT_SYNTHETIC_CONFIG.name);
  const seed = checkNumber('seed', input.seed ?? DEFAULT_SYNTHETIC_CONFIG.seed, [0, 2 ** 32 - 1, true]);
  const town = mergeSection('town', input.town) as unknown as TownConfig;
  const lidar = mergeSection('lidar', input.lidar) as unknown as LidarConfig;
  const camera = mergeSection('camera', input.camera) as unknown as CameraConfig;
  const drives = mergeSection('drives', input.drives) as unknown as DriveConfig;
  if (town.blockMinM > town.blockMaxM) throw new ConfigError('town.blockMaxM', `must be >= town.blockMinM (${town.blockMinM}), got ${town.blockMaxM}`);
  if (town.blockMinM < town.roadWidthM + 2 * town.sidewalkWidthM + 10) {
    throw new ConfigError('town.blockMinM', `must leave >= 10 m between sidewalks (roadWidthM + 2 sidewalkWidthM + 10 = ${town.roadWidthM + 2 * town.sidewalkWidthM + 10}), got ${town.blockMinM}`);
  }
  if (town.roadWidthM / 2 - town.parkingLaneM < 2.5) throw new ConfigError('town.parkingLaneM', `must leave a driving lane of >= 2.5 m (roadWidthM / 2 - parkingLaneM), got ${town.roadWidthM / 2 - town.parkingLaneM} m`);
  if (town.setbackMinM > town.setbackMaxM) throw new ConfigError('town.setbackMaxM', `must be >= town.setbackMinM (${town.setbackMinM}), got ${town.setbackMaxM}`);
  if (lidar.upperBlockBeams > 0) {
    if (lidar.upperBlockBeams >= lidar.beams) throw new ConfigError('lidar.upperBlockBeams', `must be below lidar.beams (${lidar.beams}) or 0, got ${lidar.upperBlockBeams}`);
    if (!(lidar.elevationMaxDeg > lidar.upperBlockMinDeg && lidar.upperBlockMinDeg > lidar.lowerBlockMaxDeg && lidar.lowerBlockMaxDeg > lidar.elevationMinDeg)) {
      throw new ConfigError('lidar.upperBlockMinDeg', `expected elevationMaxDeg > upperBlockMinDeg > lowerBlockMaxDeg > elevationMinDeg, got ${lidar.elevationMaxDeg} > ${lidar.upperBlockMinDeg} > ${lidar.lowerBlockMaxDeg} > ${lidar.elevationMinDeg}`);
    }
  }
  if (lidar.elevationMinDeg >= lidar.elevationMaxDeg) throw new ConfigError('lidar.elevationMinDeg', `must be below lidar.elevationMaxDeg (${lidar.elevationMaxDeg}), got ${lidar.elevationMinDeg}`);
  if (drives.speedMinMps > drives.speedMaxMps) throw new ConfigError('drives.speedMaxMps', `must be >= drives.speedMinMps (${drives.speedMinMps}), got ${drives.speedMaxMps}`);
  const frames: unknown = drives.frames;
  expectField('drives.frames', Array.isArray(frames) && frames.length >= 1 && frames.length <= 100, 'an array of 1..100 frame counts (one per sequence)', frames);
  drives.frames.forEach((f, i) => checkNumber(`drives.frames[${i}]`, f, [1, 100000, true]));
  drives.frames = [...drives.frames];
  return { name, seed, town, lidar, camera, drives };
}

/** Bumped whenever the generator's output changes for the same config. */
export const GENERATOR_VERSION = 2;

/**
 * A hash of everything that decides the generated bytes (config minus its name, plus the generator version).
 * @returns 16 hex digits.
 */
export function settingsHash(config: SyntheticConfig): string {
  const { name: _name, ...rest } = config;
  return createHash('sha256').update(JSON.stringify({ v: GENERATOR_VERSION, ...rest })).digest('hex').slice(0, 16);
}
