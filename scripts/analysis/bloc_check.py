#!/usr/bin/env python3
"""Could knowing how a country's voting partners voted improve the held-out predictions?

An upper bound on what any bloc or conformity term could add to the model (docs/validation.md,
"What was tried"). For each held-out prediction in scenarios/world_2022_held_out.csv it takes the
K countries whose recorded votes agree most often with the country's on the other fifteen
resolutions, and reads how those partners actually voted on the held-out resolution itself --
information no forecast has. It scores (a) the partners' most common vote alone and (b) the
model's held-out probabilities multiplied by the partners' vote shares raised to a power w, over
a grid of w (w = 0 is the model alone).

Usage (Python 3, standard library only; from the repository root):
    python3 scripts/analysis/bloc_check.py [K ...]        # default K = 5 10 20
"""
import collections
import csv
import math
import sys

OPTIONS = ["Y", "N", "A", "NV"]
WEIGHTS = [0.0, 0.05, 0.1, 0.25, 0.5, 1.0, 2.0]


def main():
    partner_counts = [int(argument) for argument in sys.argv[1:]] or [5, 10, 20]
    recorded = {}
    with open("scenarios/data/unga/votes.csv", newline="") as votes:
        for row in csv.DictReader(votes):
            recorded[(row["resolution"], row["iso3"])] = row["vote"]
    resolutions = sorted({resolution for resolution, _ in recorded})
    countries = sorted({country for _, country in recorded})
    with open("scenarios/world_2022_held_out.csv", newline="") as held_out:
        predictions = list(csv.DictReader(held_out))

    def agreement(country, other, left_out):
        return sum(recorded[(resolution, country)] == recorded[(resolution, other)]
                   for resolution in resolutions if resolution != left_out)

    ranked = {}
    for row in predictions:
        key = (row["country"], row["resolution"])
        if key not in ranked:
            others = [other for other in countries if other != row["country"]]
            # Ties broken by code, so the result does not depend on the order of the files.
            others.sort(key=lambda other: (-agreement(row["country"], other, row["resolution"]),
                                           other))
            ranked[key] = others

    print(f"{len(predictions)} held-out predictions; model alone: "
          f"{sum(row['predicted'] == row['recorded'] for row in predictions) / len(predictions):.3f}")
    for partner_count in partner_counts:
        partners_right = 0
        combined_right = collections.Counter()
        # Among the model's errors: did the partners mostly vote as the model predicted, or as
        # the country did? Only the second kind could a bloc term fix.
        errors = collections.Counter()
        for row in predictions:
            partners = ranked[(row["country"], row["resolution"])][:partner_count]
            shares = collections.Counter(recorded[(row["resolution"], partner)]
                                         for partner in partners)
            partners_vote = shares.most_common(1)[0][0]
            partners_right += partners_vote == row["recorded"]
            if row["predicted"] != row["recorded"]:
                errors["all"] += 1
                errors["as predicted"] += partners_vote == row["predicted"]
                errors["as recorded"] += partners_vote == row["recorded"]
            for weight in WEIGHTS:
                score = {option: math.log(float(row["p_" + option]) + 1e-12) +
                         weight * math.log((shares[option] + 0.5) / (partner_count + 2.0))
                         for option in OPTIONS}
                combined_right[weight] += max(OPTIONS, key=score.get) == row["recorded"]
        grid = ", ".join(f"w={weight:g}: {combined_right[weight] / len(predictions):.3f}"
                         for weight in WEIGHTS)
        print(f"K={partner_count}: partners' vote alone {partners_right / len(predictions):.3f}; "
              f"model x partners' shares^w: {grid}")
        print(f"  of the model's {errors['all']} errors, the partners mostly voted as the model "
              f"predicted in {errors['as predicted']} and as the country did in "
              f"{errors['as recorded']}")


if __name__ == "__main__":
    main()
