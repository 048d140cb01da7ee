#!/usr/bin/env python3
"""Writes a risk register CSV for `certus import risks` / POST …/risks/import benchmarks.

    bench/make_risks_csv.py ROWS OWNER_EMAIL [--full] > risks.csv

Ratings cycle through the default 5x5 methodology; --full adds the optional text columns
(threat, vulnerability, description, treatment) so rows look like a real register.
Deterministic: the same arguments always give the same file.
"""
import argparse
import csv
import sys


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("rows", type=int)
    parser.add_argument("owner")
    parser.add_argument("--full", action="store_true")
    args = parser.parse_args()
    writer = csv.writer(sys.stdout, lineterminator="\n")
    header = ["title", "owner", "likelihood", "impact"]
    if args.full:
        header += ["threat", "vulnerability", "description", "treatment"]
    writer.writerow(header)
    treatments = ["undecided", "avoid", "undecided", "undecided"]
    for i in range(1, args.rows + 1):
        row = [f"Risk {i}", args.owner, i % 5 + 1, (i // 5) % 5 + 1]
        if args.full:
            row += [f"Threat {i % 97}", f"Weakness {i % 89}",
                    f"Synthetic risk number {i} for the import benchmark.",
                    treatments[i % len(treatments)]]
        writer.writerow(row)
    return 0


if __name__ == "__main__":
    sys.exit(main())
