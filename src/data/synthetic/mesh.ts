/**
 * A growable triangle soup with a material id per triangle, and the primitives the town
 * is made of: oriented boxes, gable prisms and pyramids (all with vertical axes).
 * Coordinates: town frame, metres, z up, ground at z = 0.
 */

/** Triangles in flat arrays. */
export interface TriangleMesh {
  /** [T * 9] float32 vertices a, b, c (xyz each), town frame, metres. */
  vertices: Float32Array;
  /** [T] uint8 material id. */
  materials: Uint8Array;
  /** Triangle count T. */
  count: number;
}

/** Collects triangles. */
export class MeshBuilder {
  private v: number[] = [];
  private m: number[] = [];

  /** Adds triangle (a, b, c). */
  tri(a: number[], b: number[], c: number[], mat: number): void {
    this.v.push(a[0], a[1], a[2], b[0], b[1], b[2], c[0], c[1], c[2]);
    this.m.push(mat);
  }

  /** Adds a quad a b c d (two triangles). */
  quad(a: number[], b: number[], c: number[], d: number[], mat: number): void {
    this.tri(a, b, c, mat); this.tri(a, c, d, mat);
  }

  /**
   * Adds a box standing on z = z0 (no bottom face).
   * @param cx - centre x, metres. @param cy - centre y. @param z0 - bottom z.
   * @param lx - length along the box's own x axis. @param ly - width. @param h - height.
   * @param yaw - rotation about z, radians. @param mat - material id (sides and top; `topMat` overrides the top).
   */
  box(cx: number, cy: number, z0: number, lx: number, ly: number, h: number, yaw: number, mat: number, topMat = mat): void {
    const c = this.footprint(cx, cy, lx, ly, yaw);
    const z1 = z0 + h;
    for (let i = 0; i < 4; i++) {
      const p = c[i], q = c[(i + 1) % 4];
      this.quad([p[0], p[1], z0], [q[0], q[1], z0], [q[0], q[1], z1], [p[0], p[1], z1], mat);
    }
    this.quad([c[0][0], c[0][1], z1], [c[1][0], c[1][1], z1], [c[2][0], c[2][1], z1], [c[3][0], c[3][1], z1], topMat);
  }

  /** Adds a gable roof on a box footprint at height z0, ridge along the box's x axis, rising `h`. */
  gable(cx: number, cy: number, z0: number, lx: number, ly: number, h: number, yaw: number, mat: number, gableMat: number): void {
    const c = this.footprint(cx, cy, lx, ly, yaw);
    const ca = Math.cos(yaw), sa = Math.sin(yaw);
    const r0 = [cx - ca * lx / 2, cy - sa * lx / 2, z0 + h], r1 = [cx + ca * lx / 2, cy + sa * lx / 2, z0 + h];
    const p = c.map((q) => [q[0], q[1], z0]);
    this.quad(p[0], p[1], r1, r0, mat); // footprint order: (-,-) (+,-) (+,+) (-,+)
    this.quad(p[2], p[3], r0, r1, mat);
    this.tri(p[1], p[2], r1, gableMat);
    this.tri(p[3], p[0], r0, gableMat);
  }

  /** Adds a pyramid (hip) roof on a box footprint at height z0, apex `h` above. */
  pyramid(cx: number, cy: number, z0: number, lx: number, ly: number, h: number, yaw: number, mat: number): void {
    const c = this.footprint(cx, cy, lx, ly, yaw);
    const apex = [cx, cy, z0 + h];
    for (let i = 0; i < 4; i++) this.tri([c[i][0], c[i][1], z0], [c[(i + 1) % 4][0], c[(i + 1) % 4][1], z0], apex, mat);
  }

  /** Adds an octahedron-like crown (8 faces) centred at (cx, cy, cz) with radius r and half height hz. */
  crown(cx: number, cy: number, cz: number, r: number, hz: number, yaw: number, mat: number): void {
    const top = [cx, cy, cz + hz], bottom = [cx, cy, cz - hz];
    const ring: number[][] = [];
    for (let i = 0; i < 6; i++) { const a = yaw + (i * Math.PI) / 3; ring.push([cx + r * Math.cos(a), cy + r * Math.sin(a), cz]); }
    for (let i = 0; i < 6; i++) {
      const p = ring[i], q = ring[(i + 1) % 6];
      this.tri(p, q, top, mat); this.tri(q, p, bottom, mat);
    }
  }

  /** Corners of a rotated rectangle, counter-clockwise from (-lx/2, -ly/2). */
  private footprint(cx: number, cy: number, lx: number, ly: number, yaw: number): number[][] {
    const ca = Math.cos(yaw), sa = Math.sin(yaw);
    return [[-1, -1], [1, -1], [1, 1], [-1, 1]].map(([sx, sy]) => {
      const x = (sx * lx) / 2, y = (sy * ly) / 2;
      return [cx + ca * x - sa * y, cy + sa * x + ca * y];
    });
  }

  /** The triangles so far. */
  build(): TriangleMesh {
    return { vertices: new Float32Array(this.v), materials: new Uint8Array(this.m), count: this.m.length };
  }
}
