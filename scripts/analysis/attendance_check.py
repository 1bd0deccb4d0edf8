#!/usr/bin/env python3
"""Is not voting on the Crimea texts a delegation's absence from the hall that day?

Most of the model's held-out errors are abstaining against not voting (docs/validation.md, "What
limits it"). If not voting were mostly absence, a country's attendance at the other roll calls of
the same day would separate the two. Voeten's roll calls (to 2019) record those other votes for
five of the sixteen resolutions: 71/205, 72/190, 73/194, 73/263 and 74/168 (68/262 and 74/17 were
the only recorded votes of their day). For each country and each of those five resolutions this
script counts the day's other roll calls the country did not vote in -- information from the same
meeting, which a forecast made before the vote does not have -- and tabulates it against the
recorded vote and the model's held-out prediction (scenarios/world_2022_held_out.csv).

Usage (Python 3, standard library only; from the repository root):
    python3 scripts/analysis/attendance_check.py
"""
import collections
import csv
import gzip
import re

VOETEN = "scenarios/data/voeten/"
OPTIONS = ["Y", "N", "A", "NV"]


def alpha2_to_alpha3():
    # The program's own table (Voeten's codes are ISO alpha-2 plus a few historical ones).
    with open("results/country_codes.cpp") as source:
        return {match.group(1): match.group(2)
                for match in re.finditer(r'\{"(\w\w)", "(\w\w\w)"', source.read())}


def main():
    with open("scenarios/data/unga/resolutions.csv", newline="") as resolutions:
        date_of = {row["resolution"]: row["date"] for row in csv.DictReader(resolutions)}
    shared = set(date_of)
    short_names = {resolution.replace("A/RES/", "") for resolution in shared}

    def is_shared(unres):
        # Voeten writes the same text as A/RES/71/205 or R/71/205.
        return re.sub(r"^(A/RES/|R/)", "", unres) in short_names

    same_day = collections.defaultdict(list)  # date -> Voeten rcids of the day's other texts
    with gzip.open(VOETEN + "un_roll_calls.csv.gz", "rt", newline="") as roll_calls:
        dates = set(date_of.values())
        for row in csv.DictReader(roll_calls):
            if row["date"] in dates and not is_shared(row["unres"]):
                same_day[row["date"]].append(row["rcid"])
    wanted = {rcid for rcids in same_day.values() for rcid in rcids}
    codes = alpha2_to_alpha3()
    voted = collections.defaultdict(set)  # rcid -> alpha-3 codes that voted Y, N or A
    with gzip.open(VOETEN + "un_votes.csv.gz", "rt", newline="") as votes:
        for row in csv.DictReader(votes):
            if row["rcid"] in wanted:
                voted[row["rcid"]].add(codes.get(row["country_code"], row["country_code"]))

    with open("scenarios/world_2022_held_out.csv", newline="") as held_out:
        predictions = [row for row in csv.DictReader(held_out)
                       if same_day.get(date_of[row["resolution"]])]

    def attendance(row):
        rcids = same_day[date_of[row["resolution"]]]
        missed = sum(row["country"] not in voted[rcid] for rcid in rcids)
        return "voted in all" if missed == 0 else ("missed all" if missed == len(rcids)
                                                   else "missed some")

    columns = ["voted in all", "missed some", "missed all"]
    print(f"{len(predictions)} held-out predictions on the "
          f"{len({row['resolution'] for row in predictions})} resolutions with other roll calls "
          f"the same day ({', '.join(f'{len(rcids)}' for _, rcids in sorted(same_day.items()))} "
          "of them)")
    print("\nrecorded vote by attendance at the day's other roll calls:")
    print(f"  {'recorded':<10}" + "".join(f"{column:>14}" for column in columns))
    table = collections.Counter((row["recorded"], attendance(row)) for row in predictions)
    for option in OPTIONS:
        print(f"  {option:<10}" + "".join(f"{table[(option, column)]:>14}" for column in columns))

    print("\nthe model's held-out errors between abstaining and not voting, by attendance:")
    print(f"  {'error':<24}" + "".join(f"{column:>14}" for column in columns))
    errors = collections.Counter((row["recorded"], row["predicted"], attendance(row))
                                 for row in predictions)
    for recorded, predicted in [("NV", "A"), ("NV", "Y"), ("A", "NV"), ("Y", "NV")]:
        label = f"{recorded} predicted {predicted}"
        print(f"  {label:<24}" +
              "".join(f"{errors[(recorded, predicted, column)]:>14}" for column in columns))
    correct_nv = sum(count for (recorded, predicted, _), count in errors.items()
                     if recorded == predicted == "NV")
    print(f"  {'NV predicted NV':<24}" +
          "".join(f"{errors[('NV', 'NV', column)]:>14}" for column in columns) +
          f"   (of {correct_nv} correct)")


if __name__ == "__main__":
    main()
