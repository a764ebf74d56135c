#!/usr/bin/env python3
"""Turns bench/compare.sh's results into the ratio table of docs/benchmarks.md and a chart.

usage: bench/report.py RESULTS.jsonl OUT_DIR   -> OUT_DIR/ratios.md, OUT_DIR/chart.svg
       bench/report.py FIGURES.json OUT_DIR    -> the same, from a figures file

RESULTS.jsonl is compare.sh's output: JSON lines, one per run, labelled
'IMPL|CASE|pin=...|rep=N'; the medians over the runs of each case are taken here, and the
JVM named in the chart's title is the one `$JAVA -version` (compare.sh's JAVA, default
java) reports. A figures file holds those medians already, with the JVM's name and where
they come from: docs/benchmarks.md's charts are drawn from bench/figures-java17.json and
bench/figures-java25.json, which hold the medians of its tables (the raw results of those
runs are not kept).

The ratio is wireport's median over Go's, and beside it the plain Netty server's
(netty-ref), where it ran the case. For the fairness case (one request/reply client while
4 connections pipeline 512 in flight) the figure that counts is the light client's p99
against Go's: at most 3x. Resident memory with 10,000 held connections: at most 2x Go's."""
import json
import os
import statistics
import subprocess
import sys
from collections import defaultdict
from html import escape

FLOORS = {"rr": 0.8, "pipe16": 0.6, "pipe4x512": 0.5, "udp": 0.8, "http": 0.7, "tls": 0.7}
FAIR_P99_CEILING = 3.0
HOLD_RSS_CEILING = 2.0
IMPLS = ("go-ref", "wireport", "netty-ref")


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


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def from_results(path):
    """Medians per case and implementation of compare.sh's JSON lines."""
    runs = defaultdict(list)
    for line in open(path):
        if line.startswith("{"):
            result = json.loads(line)
            impl, case = result["label"].split("|")[:2]
            runs[case, impl].append(result)
    cases = defaultdict(dict)
    for (case, impl), rs in runs.items():
        if case == "tcp-hold10k":
            r = rs[0]
            cases[case][impl] = {"alive": r.get("alive"), "connections": r["c"], "lost": r.get("lost"),
                                 "rss_held_mib": r.get("server_rss_kb_held", 0) / 1024}
        else:
            cases[case][impl] = {"msgs_per_s": median([r["msgs_per_s"] for r in rs]),
                                 "p99_us": median([r["lat_us"]["p99"] for r in rs])}
    return {"jvm": jvm_name(), "source": path, "cases": cases}


def jvm_name():
    java = os.environ.get("JAVA", "java")
    try:
        version = subprocess.run([java, "-version"], capture_output=True, text=True, timeout=30).stderr
    except (OSError, subprocess.TimeoutExpired):
        return f"the JVM of {java} (its version unknown)"
    # 'openjdk version "17.0.15" 2025-04-15', then the runtime's build line.
    lines = version.splitlines()
    number = lines[0].split('"')[1] if lines and lines[0].count('"') >= 2 else "?"
    return f"Java {number} ({lines[1].strip()})" if len(lines) > 1 else f"Java {number}"


def load(path):
    if path.endswith(".jsonl"):
        return from_results(path)
    with open(path) as f:
        return json.load(f)


def throughput_cases(figures):
    return sorted(case for case in figures["cases"] if case != "tcp-hold10k")


def table(figures):
    cases = figures["cases"]
    rows = ["| case | Go msg/s | wireport msg/s | ratio | plain Netty ratio | floor | Go p99 µs | wireport p99 µs |",
            "|---|---|---|---|---|---|---|---|"]
    for case in throughput_cases(figures):
        rate = {impl: cases[case].get(impl, {}).get("msgs_per_s") for impl in IMPLS}
        p99 = {impl: cases[case].get(impl, {}).get("p99_us") for impl in IMPLS}
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
        hold = cases.get("tcp-hold10k", {}).get(impl)
        if hold:
            rows.append(f"| 10,000 held, then one message each ({impl}) | alive {hold['alive']} of "
                        f"{hold['connections']}, lost {hold['lost']} | RSS held {hold['rss_held_mib']:,.0f} MiB "
                        f"| | | | | |")
    return "\n".join(rows) + "\n"


def ratios(figures):
    """(label, wireport ÷ Go, plain Netty ÷ Go or None, floor or ceiling, higher is better) per row."""
    cases = figures["cases"]
    higher, lower = [], []
    for case in throughput_cases(figures):
        c = cases[case]
        go, wp, netty = (c.get(impl, {}) for impl in IMPLS)
        if not go.get("msgs_per_s") or not wp.get("msgs_per_s"):
            continue
        if "fair" in case:
            netty_ratio = netty["p99_us"] / go["p99_us"] if netty.get("p99_us") else None
            lower.append((f"{case}: light client's p99", wp["p99_us"] / go["p99_us"], netty_ratio, FAIR_P99_CEILING))
        else:
            netty_ratio = netty["msgs_per_s"] / go["msgs_per_s"] if netty.get("msgs_per_s") else None
            higher.append((case, wp["msgs_per_s"] / go["msgs_per_s"], netty_ratio, floor(case)))
    hold = cases.get("tcp-hold10k", {})
    if hold.get("go-ref") and hold.get("wireport"):
        go_mib, wp_mib = hold["go-ref"]["rss_held_mib"], hold["wireport"]["rss_held_mib"]
        lower.append((f"10,000 held: RSS {wp_mib:,.0f} / {go_mib:,.0f} MiB", wp_mib / go_mib, None, HOLD_RSS_CEILING))
    return higher, lower


COLORS = {"met": "#2b6cb0", "short": "#dd6b20", "netty": "#2f855a", "grid": "#e2e8f0", "mark": "#1a202c"}


def panel(svg, title, rows, top, higher_is_better, label_w, bar_w):
    """Horizontal bars on a linear axis from 0, with 1.0 (level with Go) and each row's
    floor (or ceiling) marked."""
    row_h, bar_h = 20, 12
    hi = max([1.2] + [r[1] for r in rows] + [r[3] for r in rows] + [r[2] or 0 for r in rows])
    step = 0.2 if hi <= 2 else 1.0
    hi = step * int(hi / step + 0.999)
    x0 = label_w

    def x(v):
        return x0 + bar_w * v / hi

    svg.append(f'<text x="10" y="{top}" font-weight="bold">{escape(title)}</text>')
    axis_top, axis_bottom = top + 10, top + 10 + len(rows) * row_h
    ticks = [round(i * step, 1) for i in range(int(hi / step + 0.5) + 1)]
    for t in ticks:
        svg.append(f'<line x1="{x(t):.1f}" y1="{axis_top}" x2="{x(t):.1f}" y2="{axis_bottom}" stroke="{COLORS["grid"]}"/>')
        svg.append(f'<text x="{x(t):.1f}" y="{axis_bottom + 13}" text-anchor="middle">{t:g}×</text>')
    for i, (label, ratio, netty, limit) in enumerate(rows):
        y = axis_top + i * row_h + (row_h - bar_h) / 2
        met = ratio >= limit if higher_is_better else ratio <= limit
        color = COLORS["met"] if met else COLORS["short"]
        svg.append(f'<text x="{x0 - 6}" y="{y + bar_h - 2}" text-anchor="end">{escape(label)}</text>')
        svg.append(f'<rect x="{x0}" y="{y}" width="{x(ratio) - x0:.1f}" height="{bar_h}" fill="{color}">'
                   f'<title>{ratio:.2f}×</title></rect>')
        # Values in a column of their own, right of the axis, clear of ticks and markers.
        svg.append(f'<text x="{x0 + bar_w + 12}" y="{y + bar_h - 2}">{ratio:.2f}×</text>')
        svg.append(f'<line x1="{x(limit):.1f}" y1="{y - 3}" x2="{x(limit):.1f}" y2="{y + bar_h + 3}" '
                   f'stroke="{COLORS["mark"]}" stroke-width="2"><title>{"floor" if higher_is_better else "ceiling"} '
                   f'{limit:g}×</title></line>')
        if netty:
            cx, cy = x(netty), y + bar_h / 2
            svg.append(f'<path d="M{cx:.1f} {cy - 5:.1f} L{cx + 5:.1f} {cy:.1f} L{cx:.1f} {cy + 5:.1f} '
                       f'L{cx - 5:.1f} {cy:.1f} Z" fill="none" stroke="{COLORS["netty"]}" stroke-width="1.5">'
                       f'<title>plain Netty {netty:.2f}×</title></path>')
    svg.append(f'<line x1="{x(1):.1f}" y1="{axis_top - 4}" x2="{x(1):.1f}" y2="{axis_bottom}" stroke="{COLORS["mark"]}" '
               f'stroke-dasharray="4 3"/>')
    svg.append(f'<text x="{x(1):.1f}" y="{axis_top - 6}" text-anchor="middle">1.0 = Go</text>')
    return axis_bottom + 30


def chart(figures):
    """Two panels of wireport ÷ Go on linear axes: what is better higher (msg/s), and what
    is better lower (the fairness case's p99, resident memory with held connections)."""
    higher, lower = ratios(figures)
    label_w, bar_w, width = 290, 420, 790
    svg = []
    y = panel(svg, "higher is better: wireport's msg/s ÷ Go's (tick: the floor)", higher, 62, True, label_w, bar_w)
    y = panel(svg, "lower is better: wireport ÷ Go (tick: the ceiling)", lower, y + 8, False, label_w, bar_w)
    legend = [("rect", COLORS["met"], "floor or ceiling met"), ("rect", COLORS["short"], "not met"),
              ("diamond", COLORS["netty"], "plain Netty server ÷ Go"), ("tick", COLORS["mark"], "floor / ceiling")]
    for k, (shape, color, text) in enumerate(legend):
        lx = 10 + k * 190
        if shape == "rect":
            svg.append(f'<rect x="{lx}" y="{y - 9}" width="10" height="10" fill="{color}"/>')
        elif shape == "diamond":
            svg.append(f'<path d="M{lx + 5} {y - 10} L{lx + 10} {y - 5} L{lx + 5} {y} L{lx} {y - 5} Z" fill="none" '
                       f'stroke="{color}" stroke-width="1.5"/>')
        else:
            svg.append(f'<line x1="{lx + 5}" y1="{y - 11}" x2="{lx + 5}" y2="{y + 1}" stroke="{color}" stroke-width="2"/>')
        svg.append(f'<text x="{lx + 16}" y="{y}">{escape(text)}</text>')
    head = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{y + 14}" font-family="sans-serif" '
            'font-size="11">',
            '<rect width="100%" height="100%" fill="white"/>',
            f'<text x="10" y="20" font-size="14" font-weight="bold">wireport ÷ Go reference, '
            f'{escape(figures["jvm"])}</text>',
            f'<text x="10" y="38">medians of interleaved runs on one machine; source: {escape(figures["source"])}</text>']
    return "\n".join(head + svg + ["</svg>"]) + "\n"


if __name__ == "__main__":
    source, out = sys.argv[1], sys.argv[2]
    figures = load(source)
    with open(f"{out}/ratios.md", "w") as f:
        f.write(table(figures))
    with open(f"{out}/chart.svg", "w") as f:
        f.write(chart(figures))
    print(table(figures), end="")
