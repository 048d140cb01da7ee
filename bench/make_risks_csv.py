#!/usr/bin/env python3
"""Writes a risk register CSV for `certus import risks` / POST …/risks/import benchmarks.

    bench/make_risks_csv.py ROWS OWNER_EMAIL [OWNER_EMAIL …] [--full | --mixed] > risks.csv

Ratings cycle through the default 5x5 methodology; owners take turns row by row. --full adds
the optional text columns (threat, vulnerability, description, treatment) so rows look like a
real register (about 118 bytes a row: 100,000 rows exceed the server's 10 MiB body limit).
--mixed adds only treatment, transfer_to and status columns (about 50 bytes a row), so that
every register filter matches a share of the rows: a fifth avoid, a fifth transfer (to an
insurer), the rest undecided; one in ten closed.
Deterministic: the same arguments always give the same file.
"""
import argparse
import csv
import sys


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("rows", type=int)
    parser.add_argument("owners", nargs="+", metavar="owner")
    shape = parser.add_mutually_exclusive_group()
    shape.add_argument("--full", action="store_true")
    shape.add_argument("--mixed", action="store_true")
    args = parser.parse_args()
    writer = csv.writer(sys.stdout, lineterminator="\n")
    header = ["title", "owner", "likelihood", "impact"]
    if args.full:
        header += ["threat", "vulnerability", "description", "treatment"]
    if args.mixed:
        header += ["treatment", "transfer_to", "status"]
    writer.writerow(header)
    treatments = ["undecided", "avoid", "undecided", "undecided"]
    for i in range(1, args.rows + 1):
        row = [f"Risk {i}", args.owners[i % len(args.owners)], i % 5 + 1, (i // 5) % 5 + 1]
        if args.full:
            row += [f"Threat {i % 97}", f"Weakness {i % 89}",
                    f"Synthetic risk number {i} for the import benchmark.",
                    treatments[i % len(treatments)]]
        if args.mixed:
            if i % 5 == 0:
                row += ["transfer", "Insurer"]
            else:
                row += [treatments[i % len(treatments)], ""]
            row.append("closed" if i % 10 == 3 else "open")
        writer.writerow(row)
    return 0


if __name__ == "__main__":
    sys.exit(main())
