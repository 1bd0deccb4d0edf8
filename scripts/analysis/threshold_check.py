#!/usr/bin/env python3
"""Would moving the line between options, rather than the utilities, raise held-out accuracy?

The fit maximises likelihood; the held-out accuracy takes each prediction's most probable option.
If the probabilities were well calibrated in likelihood but drew the line between two options in
the wrong place for accuracy (say, abstaining against not voting), adding a fixed shift to each
option's log-probability would fix rows without any new term in the model (docs/validation.md,
"What was tried").

This script reads scenarios/world_2022_held_out.csv, scores every shift of the N, A and NV
log-probabilities against Y on a grid, and reports (a) the best shift on all sixteen resolutions
at once -- an in-sample upper bound -- and (b) the honest figure: each resolution scored with the
shift that is best on the other fifteen.

Usage (Python 3, standard library only; from the repository root):
    python3 scripts/analysis/threshold_check.py
"""
import collections
import csv
import itertools
import math

OPTIONS = ["Y", "N", "A", "NV"]
# Shifts of log-probability; ±0.5 moves a 0.5/0.5 split between two options to 0.38/0.62.
SHIFTS = [step / 10 for step in range(-5, 6)]


def main():
    with open("scenarios/world_2022_held_out.csv", newline="") as held_out:
        predictions = list(csv.DictReader(held_out))
    resolutions = sorted({row["resolution"] for row in predictions})
    log_probability = [[math.log(max(float(row["p_" + option]), 1e-12)) for option in OPTIONS]
                       for row in predictions]
    recorded = [OPTIONS.index(row["recorded"]) for row in predictions]

    # Rows right per resolution for each shift (Y's log-probability is the reference, unshifted).
    shifts = [(0.0,) + rest for rest in itertools.product(SHIFTS, repeat=3)]
    right_by_shift = {}
    for shift in shifts:
        right = collections.Counter()
        for row, scores, truth in zip(predictions, log_probability, recorded):
            shifted = [score + offset for score, offset in zip(scores, shift)]
            if max(range(len(OPTIONS)), key=shifted.__getitem__) == truth:
                right[row["resolution"]] += 1
        right_by_shift[shift] = right

    total = len(predictions)
    unshifted = sum(right_by_shift[(0.0, 0.0, 0.0, 0.0)].values())
    best = max(shifts, key=lambda shift: sum(right_by_shift[shift].values()))
    print(f"rows: {total}; model as fitted: {unshifted} right ({unshifted / total:.3f})")
    print(f"best shift on all sixteen (in-sample) N, A, NV = {best[1:]}: "
          f"{sum(right_by_shift[best].values())} right ({sum(right_by_shift[best].values()) / total:.3f})")

    held_out_right = 0
    for resolution in resolutions:
        chosen = max(shifts, key=lambda shift: sum(count for other, count in right_by_shift[shift].items()
                                                   if other != resolution))
        held_out_right += right_by_shift[chosen][resolution]
    print(f"shift chosen on the other fifteen, each resolution in turn: {held_out_right} right "
          f"({held_out_right / total:.3f})")


if __name__ == "__main__":
    main()
