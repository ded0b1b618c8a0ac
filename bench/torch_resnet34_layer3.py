"""PyTorch reference for bench/modalink-encoder.bench.ts: ResNet34 cut after layer3.

Times the same forward as the tfjs encoder (default: the paper config, 1 x 3 x 128 x 800 and
a batch of 20, eval mode, no grad; --blocks/--widths/--height/--width for others) and a training step (forward + backward + Adam), with the same
number of threads, and prints one JSON line of median milliseconds.

  python3 bench/torch_resnet34_layer3.py --threads 2 [--export-check FILE]

--export-check FILE writes a seeded network's state dict, an input and PyTorch's output
(eval mode, before the L2 normalisation and after it) as safetensors, so the TypeScript
bench can check its torchvision weight mapping against PyTorch itself.
Uses torchvision when installed, otherwise the same network in plain torch.nn.
"""
import argparse
import json
import statistics
import time

import torch
import torch.nn as nn


class BasicBlock(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.relu = nn.ReLU(inplace=True)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.downsample = None
        if stride != 1 or cin != cout:
            self.downsample = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        y = self.bn2(self.conv2(self.relu(self.bn1(self.conv1(x)))))
        return self.relu(y + (self.downsample(x) if self.downsample is not None else x))


def resnet_layers(blocks=(3, 4, 6), widths=(64, 128, 256)):
    """Stem + layer1..layerN: torchvision's ResNet34 when it loads and the config is the paper's,
    otherwise the same network in plain torch.nn."""
    if tuple(blocks) == (3, 4, 6) and tuple(widths) == (64, 128, 256):
        try:
            import torchvision
            m = torchvision.models.resnet34(weights=None)
            return nn.Sequential(m.conv1, m.bn1, m.relu, m.maxpool, m.layer1, m.layer2, m.layer3), 'torchvision'
        except Exception:  # absent, or built for another torch (e.g. 'operator torchvision::nms does not exist')
            pass

    def layer(cin, cout, n, stride):
        return nn.Sequential(*[BasicBlock(cin if i == 0 else cout, cout, stride if i == 0 else 1) for i in range(n)])
    c0 = widths[0]
    mods = [nn.Conv2d(3, c0, 7, 2, 3, bias=False), nn.BatchNorm2d(c0), nn.ReLU(inplace=True), nn.MaxPool2d(3, 2, 1)]
    for i, (n, w) in enumerate(zip(blocks, widths)):
        mods.append(layer(c0 if i == 0 else widths[i - 1], w, n, 1 if i == 0 else 2))
    return nn.Sequential(*mods), 'torch.nn'


def state_dict_names(net):
    """Sequential indices -> torchvision names (0 conv1, 1 bn1, 4 layer1, 5 layer2, 6 layer3)."""
    names = {'0': 'conv1', '1': 'bn1', '4': 'layer1', '5': 'layer2', '6': 'layer3'}
    out = {}
    for k, v in net.state_dict().items():
        head, _, rest = k.partition('.')
        out[f'{names[head]}.{rest}'] = v.contiguous()
    return out


def median_ms(fn, reps, warmup=1):
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(reps):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--threads', type=int, default=2)
    ap.add_argument('--reps', type=int, default=5)
    ap.add_argument('--train-batch', type=int, default=4)
    ap.add_argument('--export-check', default=None)
    ap.add_argument('--blocks', default='3,4,6')
    ap.add_argument('--widths', default='64,128,256')
    ap.add_argument('--height', type=int, default=128)
    ap.add_argument('--width', type=int, default=800)
    ap.add_argument('--batch', type=int, default=20)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    net, source = resnet_layers([int(v) for v in a.blocks.split(',')], [int(v) for v in a.widths.split(',')])

    if a.export_check:
        from safetensors.torch import save_file
        with torch.no_grad():
            x = torch.randn(2, 3, 64, 96)
            bns = [mod for mod in net.modules() if isinstance(mod, nn.BatchNorm2d)]
            for mod in bns:  # non-trivial gamma/beta, so that the check covers them
                mod.weight.uniform_(0.5, 1.5)
                mod.bias.uniform_(-0.2, 0.2)
                mod.momentum = None  # cumulative average: running stats = the calibration batch's
            net.train()
            net(torch.randn(4, 3, 64, 96))  # keeps activations O(1) over 13 residual blocks
            net.eval()
            y = net(x)
        t = state_dict_names(net)
        t['input_nchw'] = x
        t['output_nchw'] = y
        save_file(t, a.export_check)
        print(json.dumps({'exported': a.export_check, 'source': source}))
        return

    net.eval()
    x1 = torch.randn(1, 3, a.height, a.width)
    x20 = torch.randn(a.batch, 3, a.height, a.width)
    with torch.no_grad():
        fwd1 = median_ms(lambda: net(x1), a.reps)
        fwd20 = median_ms(lambda: net(x20), max(2, a.reps // 2))
    net.train()
    opt = torch.optim.Adam(net.parameters(), lr=1e-4)
    xb = torch.randn(a.train_batch, 3, a.height, a.width)

    def step():
        opt.zero_grad()
        y = net(xb)
        y = y / y.norm(dim=1, keepdim=True).clamp_min(1e-12)
        loss = y.square().mean()
        loss.backward()
        opt.step()
    train = median_ms(step, max(2, a.reps // 2))
    print(json.dumps({'source': source, 'threads': a.threads, 'torch': torch.__version__,
                      'forward1_ms': fwd1, 'forward_batch_ms': fwd20, 'batch': a.batch, 'train_step_ms': train,
                      'train_batch': a.train_batch}))


if __name__ == '__main__':
    main()
