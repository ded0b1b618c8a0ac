"""PyTorch reference for bench/registration.bench.ts: the ICL registration model of
src/registration/model.ts, the same layers with the same sizes, timed the same way.

  npx tsx bench/lib/registration-torch.ts laptop > laptop.json
  python3 bench/torch_registration.py --config laptop.json --threads 2 --forward-batches 1,4 --train-batches 1,4

--config: the JSON that bench/lib/registration-torch.ts writes (the validated RegistrationConfig with
its resolved image encoder, point encoder, pair sizes and the preset's K; '-' reads stdin). Prints one
JSON line: forward_ms / train_step_ms per batch size (median ms per CALL of `batch` pairs; min and
runs too), params (trainable scalars, to compare with the tfjs model's), forward_gflop_per_pair and
train_gflop_per_pair (torch.utils.flop_counter.FlopCounterMode at batch 1: convolutions and matmuls,
forward and backward; FPS, kNN distances and element-wise ops are not counted), conv_gflops (achieved
GFLOP/s of a 3x3 conv 64->64 on 64 x 256 at batch 4 in this process, the "floor" rate) and the peak RSS.

Timing as the TS bench: per row one warm-up call (it also creates Adam's state), then timed calls
until --reps are done or they took --budget-s seconds (at least one); a warm-up longer than the
budget is itself the one timed run. Forward: eval mode, torch.no_grad(). Training step: train mode
(batch statistics), registration loss (stage 'joint', all eight terms), backward, Adam with L2 weight
decay (torch's weight_decay, as src/registration/pair-training-loop.ts adds it), the loss terms read
back (.item(), as the TS step's dataSync). Denormals are flushed (TensorFlow does that by default).
Threads: --threads (the bench passes os.availableParallelism()). PyTorch's OpenMP regions end at a
barrier that waits for every thread, so on a machine with more runnable processes than cores each
op waits for a descheduled thread: on the shared 2-core machine (load ~10) the laptop forward took
170-290 ms at 1 thread and 0.7-4 s at 2, the paper forward 17 s at 1 and 55 s at 2.

Same as the TS model: every conv / linear / norm / attention layer with the same sizes, so the
trainable parameter count is equal (BN running statistics are buffers in both, not counted); the
same PointNet++ levels (FPS centres, kNN neighbours, SA MLPs with LayerNorm, 3-NN feature
propagation); the same ICLM (post-norm layers self / pixel cross / self / masked point cross / FFN,
head-averaged weights kept for every layer) and PRM; the same loss terms on tensors of the same shapes.
Where it differs, and why:
- NCHW images and torch ops where the TS model has NHWC and tfjs ops; BN is not folded into the
  convs at eval (the TS inference path folds it: one fused conv + bias + ReLU): a PyTorch user
  calls model.eval() and gets nn.BatchNorm2d as a separate op.
- FPS: numpy on one cloud at a time, float32 (TS: typed arrays, float64), arg-max ties to the
  first index (TS: the lexicographically smallest point), the same bounding-box start. A torch
  loop (Pointnet_Pointnet2_pytorch's farthest_point_sample) took 24-45 s for 8192 of 40960 points
  at 2 threads on the shared 2-core machine (each of ~8000 iterations pays an OpenMP barrier),
  1.8 s at 1 thread, numpy 0.5 s.
- kNN: brute force, torch.cdist + topk over chunks of 2^20 distances (TS: an exact pruned sweep on
  typed arrays); indices carry no gradient in both. 2^20 distances per chunk was the fastest of
  2^18, 2^20 and 2^22 at 1 thread (1.4-1.6 s for 8192 x 40960, k 16).
- Multi-head attention written out (4 nn.Linear, masked_fill, softmax, * mask) as
  src/nn/attention.ts, not nn.MultiheadAttention: that returns NaN for a pair whose point mask is
  all zero (the TS layer returns zeros), and needs need_weights=True anyway (the heatmaps), which
  takes the same unfused path. Same parameters (4 d^2 + 4 d per layer).
- Inputs are seeded random data of the same sizes (crop H x W, N points, K from the TS preset): a
  scan-like cloud and a pose about the camera's vertical, not bench/lib/registration-inputs.ts's
  numbers; no op's cost here depends on the values.
"""
import argparse
import json
import math
import resource
import statistics
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

from torch_resnet34_layer3 import BasicBlock

IDENTITY_6D = (1.0, 0.0, 0.0, 0.0, 1.0, 0.0)
EPS = 1e-12
KNN_CHUNK = 1 << 20  # distances per cdist call


# ---- point ops (src/nn/point-ops.ts) ----

def farthest_point_sample(xyz, m):
    """[B, N, 3] -> [B, m] int64 indices; start: the point farthest from the bounding-box centre."""
    pts = xyz.detach().numpy()
    out = np.empty((pts.shape[0], m), np.int64)
    for b in range(pts.shape[0]):
        px, py, pz = np.ascontiguousarray(pts[b].T)  # each [N]
        c = (pts[b].min(0) + pts[b].max(0)) / 2
        far = int(((px - c[0]) ** 2 + (py - c[1]) ** 2 + (pz - c[2]) ** 2).argmax())
        dist = np.full(px.shape[0], np.inf, np.float32)
        d, t = np.empty_like(dist), np.empty_like(dist)
        for s in range(m):
            out[b, s] = far
            np.subtract(px, px[far], out=d); np.multiply(d, d, out=d)
            np.subtract(py, py[far], out=t); np.multiply(t, t, out=t); np.add(d, t, out=d)
            np.subtract(pz, pz[far], out=t); np.multiply(t, t, out=t); np.add(d, t, out=d)
            np.minimum(dist, d, out=dist)
            far = int(dist.argmax())
    return torch.from_numpy(out)


@torch.no_grad()
def knn(query, ref, k):
    """[B, M, 3], [B, N, 3] -> [B, M, k] int64 indices into ref, nearest first."""
    B, M, _ = query.shape
    step = max(1, KNN_CHUNK // (B * ref.shape[1]))
    return torch.cat([torch.cdist(query[:, i:i + step], ref).topk(k, dim=-1, largest=False).indices
                      for i in range(0, M, step)], 1)


def index_points(x, idx):
    """x [B, N, C], idx [B, M] or [B, M, k] -> [B, M, C] or [B, M, k, C]."""
    b = torch.arange(x.shape[0]).view(-1, *([1] * (idx.dim() - 1)))
    return x[b, idx]


def three_nn_interpolate(target, source, values, k=3, eps=1e-8):
    """Inverse-distance interpolation of values [B, S, C] at source onto target [B, N, 3] -> [B, N, C]."""
    idx = knn(target, source, min(k, source.shape[1]))  # [B, N, k]
    d2 = (index_points(source, idx) - target[:, :, None]).square().sum(-1)  # [B, N, k]
    w = torch.rsqrt(d2 + eps * eps)
    w = w / w.sum(-1, keepdim=True)
    return (index_points(values, idx) * w[..., None]).sum(2)  # [B, N, C]


# ---- geometry (src/geometry/*-tf.ts) ----

def rotation_6d_to_matrix(x):
    """[B, 6] -> [B, 3, 3], Gram-Schmidt, columns b1 b2 b3."""
    unit = lambda v: v / v.square().sum(1, keepdim=True).clamp_min(1e-16).sqrt()
    b1 = unit(x[:, :3])
    b2 = unit(x[:, 3:] - b1 * (b1 * x[:, 3:]).sum(1, keepdim=True))
    return torch.stack([b1, b2, torch.cross(b1, b2, dim=1)], 2)


def from_rt(R, t):
    """[B, 3, 3], [B, 3] -> [B, 4, 4]."""
    bottom = torch.tensor([0.0, 0.0, 0.0, 1.0]).expand(R.shape[0], 1, 4)
    return torch.cat([torch.cat([R, t[:, :, None]], 2), bottom], 1)


def transform_points(T, p):
    """[B, 4, 4], [B, N, 3] -> [B, N, 3]."""
    return p @ T[:, :3, :3].transpose(1, 2) + T[:, None, :3, 3]


def project(p, T, K, min_depth=1e-3):
    """uv [B, N, 2] pixels and z [B, N] of points p under camFromPoints T and K [B, 3, 3]."""
    pc = transform_points(T, p)
    hom = pc @ K.transpose(1, 2)  # [B, N, 3]
    return hom[..., :2] / hom[..., 2:].clamp_min(min_depth), pc[..., 2]


@torch.no_grad()
def in_image_mask(p, T, K, W, H, min_depth=1e-6):
    """[B, N] float 0/1: z > min_depth and -0.5 <= u < W - 0.5, -0.5 <= v < H - 0.5 (gpdm.ts geometricMask)."""
    uv, z = project(p, T, K, min_depth)
    u, v = uv.unbind(-1)
    return ((z > min_depth) & (u >= -0.5) & (u < W - 0.5) & (v >= -0.5) & (v < H - 0.5)).float()


# ---- modules ----

class ImageEncoder(nn.Module):
    """ResNet (BasicBlocks) + FPN: 1x1 laterals, nearest top-down, 3x3 output conv (image-encoder.ts)."""

    def __init__(self, c):
        super().__init__()
        w, eps, mom = c['widths'], c['batchNormEpsilon'], c['batchNormMomentum']
        self.stage = c['outputStage']
        self.stem = nn.Sequential(nn.Conv2d(c['inputChannels'], w[0], 7, 2, 3, bias=False), nn.BatchNorm2d(w[0], eps, mom),
                                  nn.ReLU(inplace=True), nn.MaxPool2d(3, 2, 1))
        layers = []
        for i, (n, cout) in enumerate(zip(c['blocks'], w)):
            cin = w[0] if i == 0 else w[i - 1]
            blocks = [BasicBlock(cin if j == 0 else cout, cout, (1 if i == 0 else 2) if j == 0 else 1) for j in range(n)]
            for b in blocks:
                for m in b.modules():
                    if isinstance(m, nn.BatchNorm2d):
                        m.eps, m.momentum = eps, mom
            layers.append(nn.Sequential(*blocks))
        self.layers = nn.ModuleList(layers)
        self.laterals = nn.ModuleList([nn.Conv2d(cw, c['fpnChannels'], 1) for cw in w[self.stage:]])
        self.output = nn.Conv2d(c['fpnChannels'], c['outChannels'], 3, 1, 1)

    def forward(self, x):
        """x [B, 3, H, W] -> features [B, outChannels, H/4, W/4], global [B, widths.last]."""
        feats, h = [], self.stem(x)
        for layer in self.layers:
            h = layer(h)
            feats.append(h)
        S, L = self.stage, len(feats)
        p = self.laterals[L - 1 - S](feats[-1])
        for i in range(L - 2, S - 1, -1):
            p = self.laterals[i - S](feats[i]) + F.interpolate(p, size=feats[i].shape[-2:], mode='nearest')
        return self.output(p), feats[-1].mean((2, 3))


def mlp(cin, widths, eps):
    """Shared MLP: Linear -> LayerNorm -> ReLU per width (point-encoder.ts runMlp)."""
    mods = []
    for w in widths:
        mods += [nn.Linear(cin, w), nn.LayerNorm(w, eps), nn.ReLU()]
        cin = w
    return nn.Sequential(*mods)


class PointEncoder(nn.Module):
    """PointNet++-style: SA levels (FPS, kNN group, MLP, max), FP steps (3-NN, skip, MLP), linear head."""

    def __init__(self, c):
        super().__init__()
        self.c = c
        sa, fp, L, eps = c['saWidths'], c['fpWidths'], len(c['npoints']), c['layerNormEpsilon']
        self.sa = nn.ModuleList([mlp(3 + (c['inputChannels'] if l == 0 else sa[l - 1][-1]), sa[l], eps) for l in range(L)])
        fps = []
        for l in range(L):
            src = sa[L - 1][-1] if l == L - 1 else fp[l + 1][-1]
            fps.append(mlp(src + (c['inputChannels'] if l == 0 else sa[l - 1][-1]), fp[l], eps))
        self.fp = nn.ModuleList(fps)
        self.head = nn.Linear(fp[0][-1], c['outChannels'])

    def forward(self, xyz):
        """xyz [B, N, 3] metres -> features [B, N, outChannels], global [B, C_L]."""
        c = self.c
        xyzs, feats = [xyz], [None]
        for l, sa in enumerate(self.sa):
            prev, prev_f = xyzs[l], feats[l]
            centres = index_points(prev, farthest_point_sample(prev, c['npoints'][l]))  # [B, M, 3]
            nbr = knn(centres, prev, c['k'][l])  # [B, M, k]
            rel = (index_points(prev, nbr) - centres[:, :, None]) / c['groupScaleM'][l]  # [B, M, k, 3]
            grouped = rel if prev_f is None else torch.cat([rel, index_points(prev_f, nbr)], 3)
            xyzs.append(centres)
            feats.append(sa(grouped).amax(2))  # [B, M, C_l]
        f = feats[-1]
        for l in range(len(self.sa) - 1, -1, -1):
            up = three_nn_interpolate(xyzs[l], xyzs[l + 1], f)
            f = self.fp[l](up if feats[l] is None else torch.cat([up, feats[l]], 2))
        return self.head(f), feats[-1].amax(1)


class Gpdm(nn.Module):
    """In-frustum logits, weighted centroid, frustum pose (gpdm.ts)."""

    def __init__(self, point_dim, image_dim, h, scale):
        super().__init__()
        self.h, self.s = h, scale
        self.in_point, self.in_image = nn.Linear(point_dim + 3, h), nn.Linear(image_dim, h)
        self.norm, self.mid, self.cls = nn.LayerNorm(h), nn.Linear(h, h), nn.Linear(h, 1)
        self.pose1, self.pose2, self.pose_out = nn.Linear(2 * h + 3, h), nn.Linear(h, h), nn.Linear(h, 9)

    def forward(self, pf, image_global, points):
        B, N, _ = pf.shape
        g = self.in_image(image_global)[:, None]  # [B, 1, h]
        f = F.relu(self.norm(self.in_point(torch.cat([pf, points / self.s], 2)) + g))  # [B, N, h]
        hid = F.relu(self.mid(f))
        logits = self.cls(hid).view(B, N)
        p = torch.sigmoid(logits)
        w = (p / (p.sum(1, keepdim=True) + 1e-6))[:, None]  # [B, 1, N]
        pooled, centroid = (w @ hid).view(B, self.h), (w @ points).view(B, 3)
        out = self.pose_out(F.relu(self.pose2(F.relu(self.pose1(torch.cat([pooled, centroid / self.s, g.view(B, self.h)], 1))))))
        R = rotation_6d_to_matrix(out[:, :6] + torch.tensor(IDENTITY_6D))
        centre = centroid + out[:, 6:] * self.s  # [B, 3] camera centre, cloud frame
        return logits, centroid, from_rt(R, -(R @ centre[:, :, None])[..., 0])


class MultiHeadAttention(nn.Module):
    """src/nn/attention.ts: projections, masked softmax * mask, weights averaged over heads."""

    def __init__(self, d, heads):
        super().__init__()
        self.h, self.dh = heads, d // heads
        self.q, self.k, self.v, self.o = (nn.Linear(d, d) for _ in range(4))

    def forward(self, q, kv, mask=None):
        B, Nq, d = q.shape
        split = lambda x: x.view(B, -1, self.h, self.dh).transpose(1, 2)  # [B, h, n, dh]
        logits = split(self.q(q)) @ split(self.k(kv)).transpose(2, 3) / math.sqrt(self.dh)  # [B, h, Nq, Nk]
        if mask is None:
            w = logits.softmax(-1)
        else:
            keep = (mask > 0.5)[:, None, None, :]
            w = logits.masked_fill(~keep, -1e9).softmax(-1) * keep
        out = (w @ split(self.v(kv))).transpose(1, 2).reshape(B, Nq, d)
        return self.o(out), w.mean(1)  # [B, Nq, d], [B, Nq, Nk]


class LearnableQueries(nn.Module):
    """N_q queries, L post-norm layers: self, pixel cross, self, masked point cross, FFN (learnable-queries.ts)."""

    def __init__(self, Q, L, heads, d, ffn):
        super().__init__()
        self.queries = nn.Parameter(torch.randn(Q, d))
        self.attn = nn.ModuleList([nn.ModuleList([MultiHeadAttention(d, heads) for _ in range(4)]) for _ in range(L)])
        self.norms = nn.ModuleList([nn.ModuleList([nn.LayerNorm(d) for _ in range(5 if ffn else 4)]) for _ in range(L)])
        self.ffn = nn.ModuleList([nn.Sequential(nn.Linear(d, ffn), nn.ReLU(), nn.Linear(ffn, d)) for _ in range(L)]) if ffn else None

    def forward(self, pix, pts, mask):
        x = self.queries.expand(pix.shape[0], -1, -1)  # [B, Q, d]
        pixel_weights, point_weights = [], []
        for i, (a, n) in enumerate(zip(self.attn, self.norms)):
            x = n[0](x + a[0](x, x)[0])
            y, w = a[1](x, pix)
            pixel_weights.append(w)
            x = n[1](x + y)
            x = n[2](x + a[2](x, x)[0])
            y, w = a[3](x, pts, mask)
            point_weights.append(w)
            x = n[3](x + y)
            if self.ffn is not None:
                x = n[4](x + self.ffn[i](x))
        return x, pixel_weights, point_weights


class Iclm(nn.Module):
    """Token projections + learnable queries -> keypoints and descriptors (iclm.ts)."""

    def __init__(self, pixel_dim, point_dim, c):
        super().__init__()
        d = c['dModel']
        self.s = c['coordScaleM']
        self.pix_in, self.pix_pos = nn.Linear(pixel_dim, d), nn.Linear(2, d)
        self.pt_in, self.pt_pos = nn.Linear(point_dim, d), nn.Linear(3, d)
        self.decoder = LearnableQueries(c['numQueries'], c['layers'], c['heads'], d, c['ffnHidden'])

    def forward(self, pixel_features, pf, points, mask, W, H):
        B, _, h, w = pixel_features.shape
        i = torch.arange(h * w)
        grid = torch.stack([i % w, i // w], 1).float()  # [hw, 2] (j, i)
        step = torch.tensor([W / w, H / h])
        centres = (grid + 0.5) * step - 0.5  # [hw, 2] input pixels
        pix = self.pix_in(pixel_features.flatten(2).transpose(1, 2)) + self.pix_pos(centres / torch.tensor([W, H]))  # [B, hw, d]
        pts = self.pt_in(pf) + self.pt_pos(points / self.s)  # [B, N, d]
        q, pws, qws = self.decoder(pix, pts, mask)
        hp, hq = pws[-1], qws[-1]  # [B, Q, hw], [B, Q, N]
        Q = hp.shape[1]
        cell = (hp.reshape(B * Q, h * w) @ grid).view(B, Q, 2)
        return dict(queries=q, keypoints2d=(cell + 0.5) * step - 0.5, keypoints3d=hq @ points,
                    descriptors2d=hp @ pix, descriptors3d=hq @ pts, pixel_weights=pws, point_weights=qws)


class Prm(nn.Module):
    """Per-keypoint tokens, mean + max pooling, residual rotation / translation heads (prm.ts)."""

    def __init__(self, d, h, scale):
        super().__init__()
        self.s = scale
        self.e1, self.e2 = nn.Linear(3 * d + 5, h), nn.Linear(h, h)
        self.r1, self.r2 = nn.Linear(2 * h, h), nn.Linear(h, 6)
        self.t1, self.t2 = nn.Linear(2 * h, h), nn.Linear(h, 3)
        for m in (self.r2, self.t2):
            nn.init.zeros_(m.weight)
            nn.init.zeros_(m.bias)

    def forward(self, q, d2, d3, kp2, kp3, frustum, W, H):
        xyz = transform_points(frustum, kp3) / self.s
        tok = F.relu(self.e2(F.relu(self.e1(torch.cat([q, d2, d3, kp2 / torch.tensor([W, H]), xyz], 2)))))  # [B, Q, h]
        pooled = torch.cat([tok.mean(1), tok.amax(1)], 1)  # [B, 2h]
        r6 = self.r2(F.relu(self.r1(pooled))) + torch.tensor(IDENTITY_6D)
        t = self.t2(F.relu(self.t1(pooled))) * self.s
        return from_rt(rotation_6d_to_matrix(r6), t) @ frustum


class RegistrationModel(nn.Module):
    """model.ts: image and point encoders -> GPDM -> geometric mask -> ICLM -> PRM."""

    def __init__(self, c):
        super().__init__()
        if not (c['gpdm'] and c['iclm']):
            raise SystemExit('torch_registration.py: only the full model (gpdm: true, iclm: true) is ported')
        ic, pc = c['imageEncoder'], c['pointEncoder']
        self.W, self.H = c['pairs']['cropWidth'], c['pairs']['cropHeight']
        self.image = ImageEncoder(ic)
        self.point = PointEncoder(pc)
        self.gpdm = Gpdm(pc['outChannels'], ic['widths'][-1], c['headHidden'], c['coordScaleM'])
        self.iclm = Iclm(ic['outChannels'], pc['outChannels'], c)
        self.prm = Prm(c['dModel'], c['headHidden'], c['coordScaleM'])
        self.register_buffer('mean', torch.tensor([0.485, 0.456, 0.406]).view(1, 3, 1, 1))
        self.register_buffer('std', torch.tensor([0.229, 0.224, 0.225]).view(1, 3, 1, 1))

    def forward(self, image, points, K):
        feats, image_global = self.image((image - self.mean) / self.std)
        pf, _ = self.point(points)
        logits, centroid, frustum = self.gpdm(pf, image_global, points)
        mask = in_image_mask(points, frustum.detach(), K, self.W, self.H)  # [B, N] a leaf, no gradient
        o = self.iclm(feats, pf, points, mask, self.W, self.H)
        cam = self.prm(o['queries'], o['descriptors2d'], o['descriptors3d'], o['keypoints2d'], o['keypoints3d'], frustum, self.W, self.H)
        return dict(o, camFromPoints=cam, frustumPose=frustum, inFrustumLogits=logits, centroid=centroid, mask=mask)


# ---- losses (src/registration/losses.ts) ----

def norm(x, dims):
    return (x.square().sum(dims) + EPS).sqrt()


def pose_loss(pred, gt):
    return norm(pred[:, :3, :3] - gt[:, :3, :3], (1, 2)).mean(), norm(pred[:, :3, 3] - gt[:, :3, 3], 1).mean()


def registration_loss(out, batch, c):
    W, H = c['pairs']['cropWidth'], c['pairs']['cropHeight']
    points, gt, K, inside = batch['points'], batch['camFromPoints'], batch['K'], batch['inFrustum']
    parts = {'cls': F.binary_cross_entropy_with_logits(out['inFrustumLogits'], inside)}
    parts['fruRotation'], parts['fruTranslation'] = pose_loss(out['frustumPose'], gt)
    m = inside[:, None]  # [B, 1, N]
    gt_centroid = (m @ points)[:, 0] / m.sum(2).clamp_min(1)  # [B, 3]
    parts['fruCentre'] = norm(out['centroid'] - gt_centroid, 1).mean()
    kp2, kp3 = out['keypoints2d'], out['keypoints3d']
    uv, _ = project(kp3, gt, K)
    valid = in_image_mask(kp3, gt, K, W, H)  # [B, Q]
    parts['corr'] = (norm(uv - kp2, 2) * valid).sum() / valid.sum().clamp_min(1)
    B, Q, _ = kp2.shape
    eye = torch.eye(Q)
    d = norm(kp2[:, :, None] - kp2[:, None] + eye[..., None], 3)  # [B, Q, Q]
    parts['div'] = (F.relu(c['divMarginPx'] - d) * (1 - eye)).sum() / (B * Q * (Q - 1))
    parts['camRotation'], parts['camTranslation'] = pose_loss(out['camFromPoints'], gt)
    total = sum(c['weights'][k] * v for k, v in parts.items())
    return total, parts


# ---- inputs, timing ----

def synthetic_batch(c, B, seed):
    """Seeded pairs of the preset's sizes: image [B, 3, H, W] in [0, 1], a scan-like cloud (ground
    plane 1.73 m below the sensor, boxes) in the camera frame moved by a rotation about the vertical
    and +-10 m in x and z, the ground-truth camFromPoints, K (the TS preset's) and in-frustum labels."""
    g = torch.Generator().manual_seed(seed)
    H, W, N = c['pairs']['cropHeight'], c['pairs']['cropWidth'], c['pairs']['numPoints']
    u = lambda *s: torch.rand(*s, generator=g)
    pc = torch.stack([u(B, N) * 80 - 40, 1.73 - (u(B, N) < 0.45) * u(B, N) * 4, u(B, N) * 80 - 40], 2)  # [B, N, 3] camera frame
    a = u(B) * 2 * math.pi - math.pi
    ca, sa, zero, one = a.cos(), a.sin(), torch.zeros(B), torch.ones(B)
    R = torch.stack([ca, zero, sa, zero, one, zero, -sa, zero, ca], 1).view(B, 3, 3)  # about camera y
    t = torch.stack([u(B) * 20 - 10, zero, u(B) * 20 - 10], 1)
    points_from_cam = from_rt(R, t)
    cam_from_points = from_rt(R.transpose(1, 2), -(R.transpose(1, 2) @ t[:, :, None])[..., 0])
    points = transform_points(points_from_cam, pc)
    K = torch.tensor(c['K'], dtype=torch.float32).view(1, 3, 3).expand(B, 3, 3).contiguous()
    return dict(image=u(B, 3, H, W), points=points, K=K, camFromPoints=cam_from_points,
                inFrustum=in_image_mask(points, cam_from_points, K, W, H, 0.0))


def time_row(fn, reps, budget_ms):
    """Warm-up, then timed calls until `reps` or `budget_ms` (a warm-up over budget is the one run): ms per call."""
    t0 = time.perf_counter()
    fn()
    first = (time.perf_counter() - t0) * 1000
    if first > budget_ms:
        return [first]
    ts = []
    while len(ts) < reps and (not ts or sum(ts) < budget_ms):
        t0 = time.perf_counter()
        fn()
        ts.append((time.perf_counter() - t0) * 1000)
    return ts


def conv_gflops(reps=5):
    """Achieved GFLOP/s of a 3x3 conv 64 -> 64 on 64 x 256 at batch 4 (2 FLOP per multiply-add)."""
    x, w = torch.randn(4, 64, 64, 256), torch.randn(64, 64, 3, 3) * 0.05
    with torch.no_grad():
        ts = time_row(lambda: F.conv2d(x, w, padding=1), reps, 1e9)
    return 2 * 64 * 64 * 9 * 64 * 256 * 4 / statistics.median(ts) / 1e6


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--config', required=True, help="JSON from bench/lib/registration-torch.ts; '-' = stdin")
    ap.add_argument('--threads', type=int, default=2)
    ap.add_argument('--reps', type=int, default=5)
    ap.add_argument('--budget-s', type=float, default=15)
    ap.add_argument('--forward-batches', default='1')
    ap.add_argument('--train-batches', default='')
    a = ap.parse_args()
    c = json.load(sys.stdin if a.config == '-' else open(a.config))
    torch.set_num_threads(a.threads)
    torch.set_flush_denormal(True)
    torch.backends.nnpack.set_flags(False)  # this CPU has no NNPACK: it warns on every conv otherwise
    torch.manual_seed(0)
    fwd_b = [int(v) for v in a.forward_batches.split(',') if v]
    train_b = [int(v) for v in a.train_batches.split(',') if v]
    model = RegistrationModel(c)
    params = sum(p.numel() for p in model.parameters() if p.requires_grad)
    res = {'torch': torch.__version__, 'threads': a.threads, 'preset': c['name'], 'params': params, 'conv_gflops': conv_gflops(),
           'forward_ms': {}, 'forward_min_ms': {}, 'forward_runs': {}, 'train_step_ms': {}, 'train_min_ms': {}, 'train_runs': {}}
    from torch.utils.flop_counter import FlopCounterMode

    def forward(batch):
        with torch.no_grad():
            model(batch['image'], batch['points'], batch['K'])['camFromPoints'].sum().item()

    model.eval()
    if fwd_b:
        b1 = synthetic_batch(c, 1, 1000)
        with FlopCounterMode(display=False) as fc:  # grad mode on: its module hooks fail on no_grad views
            model(b1['image'], b1['points'], b1['K'])
        res['forward_gflop_per_pair'] = fc.get_total_flops() / 1e9
    for B in fwd_b:
        batch = synthetic_batch(c, B, 1000)
        ts = time_row(lambda: forward(batch), a.reps, 1000 * a.budget_s)
        res['forward_ms'][B], res['forward_min_ms'][B], res['forward_runs'][B] = statistics.median(ts), min(ts), len(ts)
        print(f'  torch {c["name"]} forward b{B}: {statistics.median(ts) / B:.1f} ms/pair ({len(ts)} runs)', file=sys.stderr)
    model.train()
    if train_b:
        b1 = synthetic_batch(c, 1, 1000)
        with FlopCounterMode(display=False) as fc:
            registration_loss(model(b1['image'], b1['points'], b1['K']), b1, c)[0].backward()
        model.zero_grad(set_to_none=True)
        res['train_gflop_per_pair'] = fc.get_total_flops() / 1e9
    for B in train_b:
        batch = synthetic_batch(c, B, 1000)
        trained = RegistrationModel(c).train()
        opt = torch.optim.Adam(trained.parameters(), lr=c['learningRate'], weight_decay=c['weightDecay'])

        def step():
            opt.zero_grad(set_to_none=True)
            total, parts = registration_loss(trained(batch['image'], batch['points'], batch['K']), batch, c)
            total.backward()
            [v.item() for v in parts.values()]
            if math.isfinite(total.item()):
                opt.step()
        ts = time_row(step, a.reps, 1000 * a.budget_s)
        res['train_step_ms'][B], res['train_min_ms'][B], res['train_runs'][B] = statistics.median(ts), min(ts), len(ts)
        print(f'  torch {c["name"]} train b{B}: {statistics.median(ts) / B:.1f} ms/pair ({len(ts)} runs)', file=sys.stderr)
        del trained, opt
    res['peak_rss_mib'] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(res))


if __name__ == '__main__':
    main()
