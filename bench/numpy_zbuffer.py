"""Vectorised NumPy z-buffer, the baseline for bench/geometry.bench.ts.

Same FoV transformation as src/geometry/depth-image.ts (mode 'depth', minDepthM 0.01):
camFromLidar = [I | K^-1 P3[:, 3]] * Tr, u = fx x / z + cx, pixel = floor(u + 0.5), the
nearest point (smallest float32 z, ties: first in input order) wins, 0 = empty.

Usage: python3 bench/numpy_zbuffer.py CALIB_TXT RUNS WIDTH HEIGHT SCAN.bin [SCAN.bin ...]
Prints one JSON object per scan: {"scan", "points", "median_ms", "filled"}.
"""
import json
import sys
import time

import numpy as np


def read_calib(path):
    calib = {}
    with open(path) as f:
        for line in f:
            if ':' in line:
                key, vals = line.split(':', 1)
                calib[key.strip()] = np.array([float(v) for v in vals.split()])
    return calib


def cam_from_lidar(calib):
    P = calib['P3'].reshape(3, 4)
    K = P[:, :3]
    t = np.linalg.solve(K, P[:, 3])
    cam_from_rect = np.eye(4)
    cam_from_rect[:3, 3] = t
    tr = np.eye(4)
    tr[:3, :] = calib['Tr'].reshape(3, 4)
    return cam_from_rect @ tr, K


def zbuffer(points, T, K, width, height, min_depth=0.01):
    xyz = points[:, :3].astype(np.float64)
    pc = xyz @ T[:3, :3].T + T[:3, 3]  # [N, 3] camera frame
    z = pc[:, 2]
    keep = z > min_depth
    pc, z = pc[keep], z[keep]
    col = np.floor(K[0, 0] * pc[:, 0] / z + K[0, 2] + 0.5)
    row = np.floor(K[1, 1] * pc[:, 1] / z + K[1, 2] + 0.5)
    inside = (col >= 0) & (col < width) & (row >= 0) & (row < height)
    idx = (row[inside] * width + col[inside]).astype(np.int64)
    zf = z[inside].astype(np.float32)
    order = np.lexsort((zf, idx))  # by pixel, then nearest first (stable: first point on ties)
    idx_s = idx[order]
    first = np.ones(idx_s.shape[0], dtype=bool)
    first[1:] = idx_s[1:] != idx_s[:-1]
    depth = np.zeros(width * height, dtype=np.float32)
    depth[idx_s[first]] = zf[order][first]
    return depth


def main():
    calib_path, runs, width, height = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    T, K = cam_from_lidar(read_calib(calib_path))
    for scan in sys.argv[5:]:
        points = np.fromfile(scan, dtype=np.float32).reshape(-1, 4)
        for _ in range(3):
            zbuffer(points, T, K, width, height)  # warm-up
        times = []
        for _ in range(runs):
            t0 = time.perf_counter()
            depth = zbuffer(points, T, K, width, height)
            times.append((time.perf_counter() - t0) * 1000)
        print(json.dumps({'scan': scan, 'points': int(points.shape[0]), 'median_ms': float(np.median(times)),
                          'filled': int(np.count_nonzero(depth))}), flush=True)


if __name__ == '__main__':
    main()
