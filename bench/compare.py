"""Joins swift-lab-bench's and the Keras reference's JSON lines into one table of ratios.
Usage: python3 bench/compare.py SWIFT.jsonl KERAS.jsonl  (a development tool, not part of swift-lab)"""
import json
import sys


def load(path):
    """The JSON lines of `path` by model name; other lines (e.g. "Keras not installed") are skipped."""
    rows = {}
    try:
        with open(path) as f:
            for line in f:
                try:
                    row = json.loads(line)
                except ValueError:
                    continue
                if isinstance(row, dict) and "name" in row:
                    rows[row["name"]] = row
    except FileNotFoundError:
        pass
    return rows


ours, keras = load(sys.argv[1]), load(sys.argv[2])
print(f"{'model':18} {'samples':>8} {'swift-lab s/epoch':>18} {'keras s/epoch':>14} {'speed-up':>9} {'best/best':>10} {'of sgemm ceiling':>17}")
for name, row in ours.items():
    k = keras.get(name, {}).get("keras_seconds_per_epoch")
    ratio = f"{k / row['seconds_per_epoch']:.2f}x" if k else "-"
    # Each side's fastest epoch: noise on a shared machine only ever adds time, so the ratio of
    # the two fastest is the one a slow minute moves least.
    k_all, ours_all = keras.get(name, {}).get("keras_seconds_all"), row.get("seconds_all")
    best = f"{min(k_all) / min(ours_all):.2f}x" if k_all and ours_all else "-"
    print(f"{name:18} {row['samples']:>8} {row['seconds_per_epoch']:>18.3f} {k if k else '-':>14} {ratio:>9} {best:>10} {row['fraction_of_ceiling'] * 100:>16.0f}%")
