"""Joins swift-lab-bench's and the Keras reference's JSON lines into one table of ratios.
Usage: python3 bench/compare.py SWIFT.jsonl KERAS.jsonl  (a development tool, not part of swift-lab)"""
import json
import statistics
import sys


def load(path, key):
    """The JSON lines of `path` that hold `key`, by model name, in order; other lines (e.g. "Keras
    not installed") are skipped. A model may have several (one per run when the sides alternate)."""
    rows = {}
    try:
        with open(path) as f:
            for line in f:
                try:
                    row = json.loads(line)
                except ValueError:
                    continue
                if isinstance(row, dict) and "name" in row and key in row:
                    rows.setdefault(row["name"], []).append(row)
    except FileNotFoundError:
        pass
    return rows


def merged(runs):
    """One model's runs as one: every epoch's seconds, their median, and the share of the sgemm
    ceiling (measured by the first run) that the median reaches."""
    seconds = [s for run in runs for s in run["seconds_all"]]
    median = statistics.median(seconds)
    # Every run does the same products: GFLOP/s · seconds is the epoch's work.
    flops = runs[0]["gflops_achieved"] * runs[0]["seconds_per_epoch"]
    ceiling = next((run["gflops_sgemm_ceiling"] for run in runs if "gflops_sgemm_ceiling" in run), None)
    return {"samples": runs[0]["samples"], "seconds_all": seconds, "median": median,
            "fraction": flops / median / ceiling if ceiling and median > 0 else None}


def ratio(x):
    return f"{x:.2f}x" if x is not None else "-"


ours, keras = load(sys.argv[1], "seconds_all"), load(sys.argv[2], "keras_seconds_all")
print(f"{'model':18} {'samples':>8} {'swift-lab s/epoch':>18} {'keras s/epoch':>14} {'speed-up':>9} {'best/best':>10} "
      f"{'paired':>7} {'pairs':>12} {'of sgemm ceiling':>17}")
for name, runs in ours.items():
    row = merged(runs)
    k_all = [s for run in keras.get(name, []) for s in run["keras_seconds_all"]]
    k = statistics.median(k_all) if k_all else None
    # Each side's fastest epoch: noise on a shared machine only ever adds time, so the ratio of
    # the two fastest is the one a slow minute moves least.
    best = min(k_all) / min(row["seconds_all"]) if k_all and min(row["seconds_all"]) > 0 else None
    # When the sides alternated epoch by epoch (as many of each), the ratio within each pair,
    # whose two epochs ran next to each other: their median, and the lowest and highest.
    pairs = [a / b for a, b in zip(k_all, row["seconds_all"]) if b > 0] if k_all and len(k_all) == len(row["seconds_all"]) > 1 else []
    paired = statistics.median(pairs) if pairs else None
    spread = f"{min(pairs):.2f}-{max(pairs):.2f}x" if pairs else "-"
    fraction = f"{row['fraction'] * 100:.0f}%" if row["fraction"] is not None else "-"
    print(f"{name:18} {row['samples']:>8} {row['median']:>18.3f} {f'{k:.3f}' if k else '-':>14} {ratio(k / row['median'] if k and row['median'] > 0 else None):>9} "
          f"{ratio(best):>10} {ratio(paired):>7} {spread:>12} {fraction:>17}")
