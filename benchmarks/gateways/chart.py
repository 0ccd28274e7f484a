"""Draws benchmarks/gateways/scaling.sh's results as one SVG: requests/s (left) and p99 (right) against connections,
one line per path, log scales. Plain SVG, no plotting library: python3 chart.py results.txt out.svg"""
import math
import sys

rows = [line.split() for line in open(sys.argv[1]) if line.strip()]
paths = []
for r in rows:
    if r[0] not in paths:
        paths.append(r[0])
colours = {"cache-hit": "#1b9e77", "local": "#7570b3", "llm": "#d95f02"}
conns = sorted({int(r[1]) for r in rows})
W, H, M = 360, 240, 52


def panel(x0, title, values, unit):
    lo = min(v for v in values.values() if v > 0)
    hi = max(values.values())
    lo_e, hi_e = math.floor(math.log10(lo)), math.ceil(math.log10(hi))
    if hi_e == lo_e:
        hi_e += 1
    def px(c):
        return x0 + M + (W - M - 10) * conns.index(c) / max(1, len(conns) - 1)
    def py(v):
        return 30 + (H - 30 - M) * (1 - (math.log10(v) - lo_e) / (hi_e - lo_e))
    out = [f'<text x="{x0 + W / 2}" y="18" text-anchor="middle" font-weight="bold">{title}</text>']
    for e in range(lo_e, hi_e + 1):
        y = py(10 ** e)
        out.append(f'<line x1="{x0 + M}" x2="{x0 + W - 10}" y1="{y:.1f}" y2="{y:.1f}" stroke="#ddd"/>')
        label = f"{10 ** e:g}"
        out.append(f'<text x="{x0 + M - 4}" y="{y + 4:.1f}" text-anchor="end">{label}</text>')
    for c in conns:
        out.append(f'<text x="{px(c):.1f}" y="{H - M + 18}" text-anchor="middle">{c}</text>')
    out.append(f'<text x="{x0 + W / 2}" y="{H - M + 36}" text-anchor="middle">connections</text>')
    out.append(f'<text x="{x0 + 12}" y="{(H - M) / 2 + 20}" text-anchor="middle" '
               f'transform="rotate(-90 {x0 + 12} {(H - M) / 2 + 20})">{unit}</text>')
    for p in paths:
        pts = [(px(c), py(values[(p, c)])) for c in conns if (p, c) in values]
        d = " ".join(f"{x:.1f},{y:.1f}" for x, y in pts)
        out.append(f'<polyline fill="none" stroke="{colours.get(p, "#333")}" stroke-width="2" points="{d}"/>')
        for x, y in pts:
            out.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{colours.get(p, "#333")}"/>')
    return out


rps = {(r[0], int(r[1])): float(r[2]) for r in rows}
p99 = {(r[0], int(r[1])): int(r[4]) / 1000 for r in rows}
svg = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{2 * W}" height="{H + 24}" font-family="sans-serif" '
       f'font-size="11">', '<rect width="100%" height="100%" fill="white"/>']
svg += panel(0, "requests/s", rps, "req/s")
svg += panel(W, "p99 latency", p99, "ms")
for i, p in enumerate(paths):
    x = 70 + i * 110
    svg.append(f'<rect x="{x}" y="{H + 8}" width="12" height="4" fill="{colours.get(p, "#333")}"/>')
    svg.append(f'<text x="{x + 16}" y="{H + 14}">{p}</text>')
svg.append("</svg>")
open(sys.argv[2], "w").write("\n".join(svg) + "\n")
