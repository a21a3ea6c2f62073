"""bench/report.py's plots: throughput against concurrency and latency CDFs for W1 and
W2, drawn with gnuplot (pngcairo) from the same runs the tables use."""

import os
import subprocess
import sys

CONCURRENCY = [1, 4, 16, 64]


def plot(res, out_dir, tmp):
    """Writes PNGs into out_dir; returns {key: file name}."""
    files = {}
    colors = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b"]
    for w in ("W1", "W2"):
        systems = [s for s in res.systems(w) if res.peak(s, w)]
        if not systems:
            continue
        plots = []
        for i, s in enumerate(systems):
            dat = os.path.join(tmp, f"tput_{w}_{s}.dat")
            with open(dat, "w") as f:
                for c in CONCURRENCY:
                    r = res.run(s, w, f"c{c}")
                    if r:
                        f.write(f"{c} {r['throughput']}\n")
            plots.append(f"'{dat}' using 1:2 with linespoints lw 2 pt 7 lc rgb '{colors[i % 6]}' "
                         f"title '{res.name(s)}'")
        name = f"throughput_{w.lower()}.png"
        title = {"W1": "W1: Evaluate 1+1 (fresh context)",
                 "W2": "W2: Call sign() (md5 of sorted params)"}[w]
        script = f"""
set terminal pngcairo size 900,560 font ',10'
set output '{os.path.join(out_dir, name)}'
set title '{title}: throughput against concurrency'
set xlabel 'requests in flight (closed loop)'
set ylabel 'answers per second'
set logscale x 2
set logscale y 10
set xrange [0.8:80]
set grid
set key below
plot {', '.join(plots)}
"""
        if run_gnuplot(script, tmp):
            files[f"throughput_{w}"] = name
    for w, tag in (("W1", "c16"), ("W2", "c16")):
        plots = []
        for i, s in enumerate(res.systems(w)):
            r = res.run(s, w, tag)
            if not r or not r.get("histogram"):
                continue
            total = sum(n for _, n in r["histogram"])
            dat = os.path.join(tmp, f"cdf_{w}_{s}.dat")
            with open(dat, "w") as f:
                seen = 0
                for upper, n in r["histogram"]:
                    seen += n
                    f.write(f"{upper} {seen / total}\n")
            plots.append(f"'{dat}' using 1:2 with steps lw 2 lc rgb '{colors[i % 6]}' "
                         f"title '{res.name(s)}'")
        if not plots:
            continue
        name = f"latency_cdf_{w.lower()}.png"
        script = f"""
set terminal pngcairo size 900,560 font ',10'
set output '{os.path.join(out_dir, name)}'
set title '{w}: latency CDF, {tag.replace("c", "")} requests in flight'
set xlabel 'latency (µs, log scale)'
set ylabel 'fraction of answers'
set logscale x 10
set yrange [0:1.01]
set grid
set key below
plot {', '.join(plots)}
"""
        if run_gnuplot(script, tmp):
            files[f"cdf_{w}"] = name
    return files


def run_gnuplot(script, tmp):
    path = os.path.join(tmp, "plot.gp")
    with open(path, "w", encoding="utf-8") as f:
        f.write(script)
    done = subprocess.run(["gnuplot", path], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        print(f"report.py: gnuplot failed: {done.stderr.strip()}", file=sys.stderr)
        return False
    return True
