#!/usr/bin/env python3
"""Turns bench/compare.sh's results (JSON lines, one per run, labelled
'IMPL|CASE|pin=...|rep=N') into the ratio table of docs/benchmarks.md and a chart.

usage: bench/report.py RESULTS.jsonl OUT_DIR   -> OUT_DIR/ratios.md, OUT_DIR/chart.svg
Medians over the runs of each case; the ratio is wireport's median over Go's, and beside it
the plain Netty server's (netty-ref), where it ran the case. For the fairness case (one
request/reply client while 4 connections pipeline 512 in flight) the figure that counts is
the light client's p99 against Go's: at most 3x."""
import json
import statistics
import sys
from collections import defaultdict
from html import escape
from math import log10

FLOORS = {"rr": 0.8, "pipe16": 0.6, "pipe4x512": 0.5, "udp": 0.8, "http": 0.7, "tls": 0.7}
FAIR_P99_CEILING = 3.0


def floor(case):
    if case.startswith("tls"):
        return FLOORS["tls"]
    if case.startswith("http"):
        return FLOORS["http"]
    if case.startswith("udp"):
        return FLOORS["udp"]
    for pipe in ("pipe4x512", "pipe16"):
        if pipe in case:
            return FLOORS[pipe]
    return FLOORS["rr"]


def load(path):
    runs = defaultdict(list)
    for line in open(path):
        if line.startswith("{"):
            result = json.loads(line)
            impl, case = result["label"].split("|")[:2]
            runs[case, impl].append(result)
    return runs


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def table(runs):
    cases = sorted({case for case, _ in runs if case != "tcp-hold10k"})
    rows = ["| case | Go msg/s | wireport msg/s | ratio | plain Netty ratio | floor | Go p99 µs | wireport p99 µs |",
            "|---|---|---|---|---|---|---|---|"]
    for case in cases:
        rate = {impl: median([r["msgs_per_s"] for r in runs.get((case, impl), [])])
                for impl in ("go-ref", "wireport", "netty-ref")}
        p99 = {impl: median([r["lat_us"]["p99"] for r in runs.get((case, impl), [])])
               for impl in ("go-ref", "wireport", "netty-ref")}
        go, wp, netty = rate["go-ref"], rate["wireport"], rate["netty-ref"]
        if not go or not wp:
            continue
        ratio = wp / go
        netty_ratio = f"{netty / go:.2f}×" if netty else "-"
        if "fair" in case:
            p99_ratio = p99["wireport"] / p99["go-ref"]
            verdict = "met" if p99_ratio <= FAIR_P99_CEILING else "**not met**"
            netty_p99 = f"p99 {p99['netty-ref'] / p99['go-ref']:.2f}×" if p99["netty-ref"] else "-"
            rows.append(f"| {case} | {go:,.0f} | {wp:,.0f} | p99 {p99_ratio:.2f}× | {netty_p99} | "
                        f"p99 ≤ {FAIR_P99_CEILING}× {verdict} | {p99['go-ref']:,.0f} | {p99['wireport']:,.0f} |")
            continue
        verdict = "met" if ratio >= floor(case) else "**not met**"
        rows.append(f"| {case} | {go:,.0f} | {wp:,.0f} | {ratio:.2f}× | {netty_ratio} | {floor(case)}× {verdict} | "
                    f"{p99['go-ref']:,.0f} | {p99['wireport']:,.0f} |")
    for impl in ("go-ref", "wireport"):
        for r in runs.get(("tcp-hold10k", impl), []):
            rows.append(f"| 10,000 held, then one message each ({impl}) | alive {r.get('alive')} of {r['c']}, "
                        f"lost {r.get('lost')} | RSS held {r.get('server_rss_kb_held', 0) / 1024:,.0f} MiB | | | | | |")
    return "\n".join(rows) + "\n"


def chart(runs):
    """Two panels of horizontal bars, log scale: msg/s and p99 latency per case."""
    cases = sorted({case for case, _ in runs if case != "tcp-hold10k"})
    colors = {"wireport": "#2b6cb0", "go-ref": "#a0aec0"}
    bar, gap, label_w, panel_w, top = 9, 8, 190, 330, 40
    height = top + len(cases) * (2 * bar + gap) + 40
    svg = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{label_w + 2 * panel_w + 60}" height="{height}" '
           'font-family="sans-serif" font-size="11">',
           '<rect width="100%" height="100%" fill="white"/>']
    panels = [("msg/s (log scale, longer is better)", "msgs_per_s", 1e3, 1e7),
              ("p99 latency µs (log scale, shorter is better)", "p99", 10, 1e6)]
    for p, (title, key, lo, hi) in enumerate(panels):
        x0 = label_w + p * (panel_w + 30)
        svg.append(f'<text x="{x0}" y="20" font-weight="bold">{escape(title)}</text>')
        for decade in range(int(log10(lo)), int(log10(hi)) + 1):
            x = x0 + panel_w * (decade - log10(lo)) / (log10(hi) - log10(lo))
            svg.append(f'<line x1="{x:.1f}" y1="{top - 8}" x2="{x:.1f}" y2="{height - 30}" stroke="#e2e8f0"/>')
            svg.append(f'<text x="{x:.1f}" y="{height - 16}" text-anchor="middle">1e{decade}</text>')
        for i, case in enumerate(cases):
            y = top + i * (2 * bar + gap)
            if p == 0:
                svg.append(f'<text x="{label_w - 6}" y="{y + bar + 4}" text-anchor="end">{escape(case)}</text>')
            for j, impl in enumerate(("wireport", "go-ref")):
                rs = runs.get((case, impl), [])
                value = median([r["msgs_per_s"] if key == "msgs_per_s" else r["lat_us"]["p99"] for r in rs])
                if not value:
                    continue
                w = panel_w * (log10(max(value, lo)) - log10(lo)) / (log10(hi) - log10(lo))
                svg.append(f'<rect x="{x0}" y="{y + j * bar}" width="{w:.1f}" height="{bar - 1}" '
                           f'fill="{colors[impl]}"><title>{escape(impl)} {value:,.0f}</title></rect>')
    legend_y = height - 4
    for k, (impl, color) in enumerate(colors.items()):
        svg.append(f'<rect x="{10 + k * 90}" y="{legend_y - 9}" width="10" height="10" fill="{color}"/>')
        svg.append(f'<text x="{24 + k * 90}" y="{legend_y}">{impl}</text>')
    svg.append("</svg>")
    return "\n".join(svg) + "\n"


if __name__ == "__main__":
    results, out = sys.argv[1], sys.argv[2]
    runs = load(results)
    with open(f"{out}/ratios.md", "w") as f:
        f.write(table(runs))
    with open(f"{out}/chart.svg", "w") as f:
        f.write(chart(runs))
    print(table(runs), end="")
