#!/usr/bin/env python3
"""Mutation check: each mutant must be caught by at least one test.

  scripts/mutate.py [--keep]      (CI runs it after the test suite)

Each mutant rewrites one spot (which must occur exactly once, so a stale
mutant fails loudly) and names its killers: the unit tests and lit tests
written to catch that fault. The script rebuilds, runs the killers until
one fails, prints it, and restores the file; it exits non-zero if any
mutant survives. Only the killers run, so the stage costs a rebuild per
mutant rather than a suite run.

On a clean checkout that is already built (CI, after scripts/test.sh) the
mutants go into the work tree in place and reuse its build; otherwise the
committed tree (git archive HEAD) is copied to a scratch directory and
built there, so uncommitted work is never touched.
"""
import os
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile

# (name, file, original text, mutated text, killers); a killer with a '/'
# is a lit test (relative to test/), any other a GoogleTest name.
MUTANTS = [
    ("model energy term: writes charged at the read energy",
     "lib/Model/Model.cpp",
     "wr * arch.levels[l].writeEnergy;",
     "wr * arch.levels[l].readEnergy;",
     ["BruteForce.ClassRulesSplitSharedEnumerations", "BruteForce.KeysNoNeighbourKeptAreLeftOutEarly", "Model/evaluate.mlir"]),
    ("Pareto pruning drops the middle kept pmapping",
     "lib/Mapper/Pareto.cpp",
     "  list = std::move(kept);\n  // Groups stay",
     "  if (kept.size() > 2)\n    kept.erase(kept.begin() + kept.size() / 2);\n  list = std::move(kept);\n  // Groups stay",
     ["Mapper.ParetoPruneUnderEdpSlopes", "Mapper.EdpSlopesKeepWhatMayBeLeastAtTheOptimumsSlope"]),
    ("join capacity check against twice the capacity",
     "lib/Mapper/Join.cpp",
     "(double)*arch.levels[l].capacity)\n      return false;",
     "2 * (double)*arch.levels[l].capacity)\n      return false;",
     ["Mapper.JoinKeepsTheNarrowJoinsMappingAsACandidate", "BruteForce.Small2Level", "Transforms/fuse-chain.mlir"]),
    ("placement: on-chip buffers allocated one level up",
     "lib/Transforms/LoopTreeCodegen.cpp",
     "LevelSpaceAttr::get(rewriter.getContext(), arch.levels[level].name));",
     "LevelSpaceAttr::get(rewriter.getContext(),\n                             arch.levels[level > 1 ? level - 1 : level].name));",
     ["Transforms/looptree-fan-out.mlir", "Transforms/looptree-output-levels.mlir", "Transforms/looptree-chain-depths.mlir"]),
    ("join bound: a latency tie cut on energy alone, the score aside",
     "lib/Mapper/JoinBound.h",
     "    return score >= incumbent * (1 - 1e-12) &&",
     "    return",
     ["Mapper.DifferentialOptimalityAgainstExhaustive"]),
    ("loop trip count: scf.for one iteration short",
     "lib/Transforms/LoopTreeCodegen.cpp",
     "runtimeTrips ? runtimeTrips : index(n.factor),",
     "runtimeTrips ? runtimeTrips\n                                   : index(n.factor > 2 ? n.factor - 1 : n.factor),",
     ["Transforms/count-iterations.mlir", "Transforms/fuse-chain.mlir", "Transforms/fuse-capacity.mlir"]),
    ("halo loop: iterations offset by the span instead of the step",
     "lib/Transforms/LoopTreeCodegen.cpp",
     "int64_t extent = loop.isHalo() ? loop.haloStep",
     "int64_t extent = loop.isHalo() ? loop.haloSpan",
     ["Transforms/looptree-halo.mlir"]),
    ("halo loop: the model charges the step, not the span, per iteration",
     "lib/Model/Model.cpp",
     "v.ranks[n.rank].bound = n.factor * n.haloSpan;",
     "v.ranks[n.rank].bound = n.factor * n.haloStep;",
     ["Model.HaloLoopChargesTheRecomputedHalo", "Mapper.HaloCandidatesAndKeysMatch", "Model/evaluate-halo.mlir"]),
    ("EDP's slopes: the range collapsed to the floors' own slope",
     "lib/Mapper/Caps.cpp",
     "  if (!(lo <= hi) || !(hi > 0))\n    return;",
     "  lo = hi = sumE / sumL;\n  if (!(lo <= hi) || !(hi > 0))\n    return;",
     ["Mapper.EdpSlopesKeepWhatMayBeLeastAtTheOptimumsSlope", "BruteForce.Small2Level"]),
    ("EDP's first pass: its mapping taken though above its cap",
     "lib/Mapper/Caps.cpp",
     "        if (r.ok() && r.energy * r.latency <= cap)\n          return r;",
     "        if (r.ok())\n          return r;",
     ["Mapper.DifferentialOptimalityAgainstExhaustive"]),
    ("EDP caps: the weighted floors' sum overstated by 2%",
     "lib/Mapper/Caps.cpp",
     "others(sumW, f[i])",
     "others(sumW * 1.02, f[i])",
     ["BruteForce.ClassRulesSplitSharedEnumerations", "BruteForce.OrderedReductionsAreNeverSpread", "BruteForce.Small2Level"]),
    ("keep sets and spreads cut at half the capacity their least tiles need",
     "lib/Mapper/Bound.cpp",
     "    return levelHasNodes(m) && overflows(m);",
     "    double least = 0;\n    for (size_t a = 0; a < acc.size(); ++a)\n"
     "      if (keepSet[a] & (1u << m))\n"
     "        least += leastTile(a, m) * datumBytes * model->widthAt(a, m);\n"
     "    return levelHasNodes(m) && 2 * least > capacity[m];",
     ["BruteForce.FusionValiditySplitsSharedEnumerations", "BruteForce.PersistentBytesCountOnlyTheSharedNodesDepth", "BruteForce.EveryUpdateBoundsRefills"]),
    ("least completions: the window's join taken up to half again above their least",
     "lib/Mapper/Caps.cpp",
     "found * (1 + 1e-9) <= c.least * (1 - 1e-9) + window",
     "found <= c.least * 1.5 + window",
     ["BruteForce.Small2Level", "Transforms/fuse-fused-loops.mlir"]),
    ("least completions: the other Einsums' excess overstated by a tenth",
     "lib/Mapper/Caps.cpp",
     "std::max(0.0, score - others -",
     "std::max(0.0, score - 0.9 * others -",
     ["Mapper.LeastCompletionsNarrowFixedCaps", "Mapper.EdpLeastCompletionsKeepTheOptimum"]),
    ("EDP's least completions: the other Einsums' leasts overstated by a tenth",
     "lib/Mapper/EdpLeasts.cpp",
     "      std::pair<double, double> v{down(first), down(second)};",
     "      std::pair<double, double> v{1.1 * down(first), 1.1 * down(second)};",
     ["BruteForce.FusionValiditySplitsSharedEnumerations", "BruteForce.PersistentBytesCountOnlyTheSharedNodesDepth"]),
    ("EDP's least completions: a subtree cut once it reaches either least",
     "lib/Mapper/Bound.cpp",
     "  return first && second;",
     "  return first || second;",
     ["Mapper.LeastOnlyKeepsEachGroupsLeastsAtBothSlopes", "BruteForce.Small2Level"]),
    ("runtime extent: the last, partial tile dropped",
     "lib/Transforms/LoopTreeCodegen.cpp",
     "getAffineDimExpr(0, rewriter.getContext())\n                                     .ceilDiv(step)),",
     "getAffineDimExpr(0, rewriter.getContext())\n                                     .floorDiv(step)),",
     ["Transforms/fuse-dynamic-remainder.mlir"]),
]


def run(cmd, **kw):
    return subprocess.run(cmd, capture_output=True, text=True, **kw)


def clean_checkout(root, build):
    """True when the work tree is HEAD exactly and already built: CI's case.
    The mutants then go into it in place, and the suite's own build is reused
    instead of a second one from scratch."""
    status = run(["git", "-C", str(root), "status", "--porcelain"])
    return (status.returncode == 0 and not status.stdout.strip()
            and (build / "build.ninja").exists())


def killed_by(build, killers):
    """Runs a mutant's killers, the unit tests first, and stops at the first
    that fails: a mutant needs one."""
    unit = [k for k in killers if "/" not in k]
    lit = [k for k in killers if "/" in k]
    if unit:
        out = run([str(build / "bin/ffm-unittests"), "--gtest_brief=1",
                   "--gtest_fail_fast", "--gtest_filter=" + ":".join(unit)])
        caught = re.findall(r"^\[  FAILED  \] (\w+\.\w+)", out.stdout, re.M)
        if caught or out.returncode != 0:
            return caught or ["(unit tests exited %d)" % out.returncode]
    if lit:
        out = run(["/usr/lib/llvm-22/bin/lit", "-q", *lit], cwd=build / "test")
        return [l.split("::")[-1].strip() for l in out.stdout.splitlines()
                if l.strip().startswith("FFM ::")]
    return []


def main():
    root = pathlib.Path(__file__).resolve().parent.parent
    build = pathlib.Path(os.environ.get("FFM_BUILD_DIR", root / "build"))
    work = None
    if clean_checkout(root, build):
        src = root
        print("mutate: in place, in the clean checkout and its build", flush=True)
    else:
        work = pathlib.Path(tempfile.mkdtemp(prefix="ffm-mutate-"))
        src, build = work / "src", work / "build"
        src.mkdir()
        archive = subprocess.run(["git", "-C", str(root), "archive", "HEAD"],
                                 capture_output=True, check=True).stdout
        subprocess.run(["tar", "-x", "-C", str(src)], input=archive, check=True)
    b = run(["bash", str(src / "scripts/build.sh")],
            env=dict(os.environ, FFM_BUILD_DIR=str(build)))
    if b.returncode != 0:
        sys.exit("mutate: the unmutated tree does not build:\n" + b.stderr[-3000:])
    survivors = 0
    for name, rel, old, new, killers in MUTANTS:
        path = src / rel
        text = path.read_text()
        if text.count(old) != 1:
            sys.exit(f"mutate: stale mutant '{name}': its text occurs {text.count(old)} times in {rel}")
        path.write_text(text.replace(old, new))
        try:
            if run(["ninja", "-C", str(build)]).returncode != 0:
                caught = ["(does not compile)"]
            else:
                caught = killed_by(build, killers)
        finally:
            path.write_text(text)
        if caught:
            print(f"killed: {name}: {', '.join(sorted(set(caught)))}", flush=True)
        else:
            survivors += 1
            print(f"SURVIVED: {name} (its killers: {', '.join(killers)})", flush=True)
    # Leaves the build as the sources are, mutants undone.
    run(["ninja", "-C", str(build)])
    if work and "--keep" not in sys.argv:
        shutil.rmtree(work, ignore_errors=True)
    print(f"{len(MUTANTS) - survivors} of {len(MUTANTS)} mutants killed")
    sys.exit(1 if survivors else 0)


if __name__ == "__main__":
    main()
