#!/usr/bin/env python3
"""Checks that the EDP optimum of an --ffm-fuse report is, by EDP, no worse
than the mappings chosen for energy and for latency (same input, same
architecture): each of those lies in the same mapspace."""
import json
import sys


def first_function(path):
    with open(path) as f:
        return json.load(f)["functions"][0]


def main():
    if len(sys.argv) != 4:
        sys.exit("usage: compare_objectives.py EDP.json ENERGY.json LATENCY.json")
    edp, energy, latency = (first_function(p) for p in sys.argv[1:])
    print(f"edp: objective {edp['objective']}, {len(edp['einsums'])} einsums")
    best = edp["energy_pj"] * edp["latency_cycles"]
    for name, other in (("energy", energy), ("latency", latency)):
        theirs = other["energy_pj"] * other["latency_cycles"]
        # Both products come from the same model; allow rounding only.
        if best > theirs * (1 + 1e-12):
            sys.exit(f"FAIL: EDP {best:.6g} worse than the {name} optimum's {theirs:.6g}")
    print("OK: EDP no worse than the energy and latency optima")


if __name__ == "__main__":
    main()
