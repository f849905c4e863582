#!/usr/bin/env python3
"""Mutation check: each mutant must be caught by at least one test.

  scripts/mutate.py [--keep]      (CI runs it after the test suite)

Copies the committed tree (git archive HEAD) to a scratch directory, builds
it once, then for each mutant below rewrites one spot (which must occur
exactly once, so a stale mutant fails loudly), rebuilds, runs the unit
tests and a quick subset of the lit suite, prints which tests caught it,
and restores the file. Exits non-zero if any mutant survives.
"""
import os
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile

# (name, file, original text, mutated text)
MUTANTS = [
    ("model energy term: writes charged at the read energy",
     "lib/Model/Model.cpp",
     "wr * arch.levels[l].writeEnergy;",
     "wr * arch.levels[l].readEnergy;"),
    ("Pareto pruning drops the middle kept pmapping",
     "lib/Mapper/Pareto.cpp",
     "  list = std::move(kept);\n  // Groups stay",
     "  if (kept.size() > 2)\n    kept.erase(kept.begin() + kept.size() / 2);\n  list = std::move(kept);\n  // Groups stay"),
    ("join capacity check against twice the capacity",
     "lib/Mapper/Join.cpp",
     "(double)*arch.levels[l].capacity)\n      return false;",
     "2 * (double)*arch.levels[l].capacity)\n      return false;"),
    ("placement: on-chip buffers allocated one level up",
     "lib/Transforms/LoopTreeCodegen.cpp",
     "LevelSpaceAttr::get(rewriter.getContext(), arch.levels[level].name));",
     "LevelSpaceAttr::get(rewriter.getContext(),\n                             arch.levels[level > 1 ? level - 1 : level].name));"),
    ("join bound: a latency tie cut on energy alone, the score aside",
     "lib/Mapper/JoinBound.h",
     "    return score >= incumbent * (1 - 1e-12) &&",
     "    return"),
    ("loop trip count: scf.for one iteration short",
     "lib/Transforms/LoopTreeCodegen.cpp",
     "runtimeTrips ? runtimeTrips : index(n.factor),",
     "runtimeTrips ? runtimeTrips\n                                   : index(n.factor > 2 ? n.factor - 1 : n.factor),"),
    ("halo loop: iterations offset by the span instead of the step",
     "lib/Transforms/LoopTreeCodegen.cpp",
     "int64_t extent = loop.isHalo() ? loop.haloStep",
     "int64_t extent = loop.isHalo() ? loop.haloSpan"),
    ("halo loop: the model charges the step, not the span, per iteration",
     "lib/Model/Model.cpp",
     "v.ranks[n.rank].bound = n.factor * n.haloSpan;",
     "v.ranks[n.rank].bound = n.factor * n.haloStep;"),
    ("EDP's slopes: the range collapsed to the floors' own slope",
     "lib/Mapper/Caps.cpp",
     "  if (!(lo <= hi) || !(hi > 0))\n    return;",
     "  lo = hi = sumE / sumL;\n  if (!(lo <= hi) || !(hi > 0))\n    return;"),
    ("EDP's first pass: its mapping taken though above its cap",
     "lib/Mapper/Caps.cpp",
     "        if (r.ok() && r.energy * r.latency <= cap)\n          return r;",
     "        if (r.ok())\n          return r;"),
    ("EDP caps: the weighted floors' sum overstated by 2%",
     "lib/Mapper/Caps.cpp",
     "others(sumW, f[i])",
     "others(sumW * 1.02, f[i])"),
    ("keep sets and spreads cut at half the capacity their least tiles need",
     "lib/Mapper/Bound.cpp",
     "    return levelHasNodes(m) && overflows(m);",
     "    double least = 0;\n    for (size_t a = 0; a < acc.size(); ++a)\n"
     "      if (keepSet[a] & (1u << m))\n"
     "        least += leastTile(a, m) * datumBytes * model->widthAt(a, m);\n"
     "    return levelHasNodes(m) && 2 * least > capacity[m];"),
    ("least completions: the window's join taken up to half again above their least",
     "lib/Mapper/Caps.cpp",
     "found * (1 + 1e-9) <= c.least * (1 - 1e-9) + window",
     "found <= c.least * 1.5 + window"),
    ("least completions: the other Einsums' excess overstated by a tenth",
     "lib/Mapper/Caps.cpp",
     "std::max(0.0, score - others -",
     "std::max(0.0, score - 0.9 * others -"),
    ("EDP's least completions: the other Einsums' leasts overstated by a tenth",
     "lib/Mapper/EdpLeasts.cpp",
     "      std::pair<double, double> v{down(first), down(second)};",
     "      std::pair<double, double> v{1.1 * down(first), 1.1 * down(second)};"),
    ("EDP's least completions: a subtree cut once it reaches either least",
     "lib/Mapper/Bound.cpp",
     "  return first && second;",
     "  return first || second;"),
    ("runtime extent: the last, partial tile dropped",
     "lib/Transforms/LoopTreeCodegen.cpp",
     "getAffineDimExpr(0, rewriter.getContext())\n                                     .ceilDiv(step)),",
     "getAffineDimExpr(0, rewriter.getContext())\n                                     .floorDiv(step)),"),
]

# Quick lit tests (relative to test/): the structure, verify and model checks.
LIT = ["Transforms/fuse-chain.mlir", "Transforms/fuse-capacity.mlir",
       "Transforms/fuse-fused-loops.mlir", "Transforms/looptree-fan-out.mlir",
       "Transforms/looptree-chain-depths.mlir", "Transforms/looptree-output-levels.mlir",
       "Transforms/looptree-spatial-reduction.mlir", "Transforms/count-iterations.mlir",
       "Transforms/rewrite-verify.test", "Transforms/fuse-dynamic-remainder.mlir",
       "Model/evaluate.mlir", "Transforms/looptree-halo.mlir",
       "Model/evaluate-halo.mlir"]


def run(cmd, **kw):
    return subprocess.run(cmd, capture_output=True, text=True, **kw)


def main():
    root = pathlib.Path(__file__).resolve().parent.parent
    work = pathlib.Path(tempfile.mkdtemp(prefix="ffm-mutate-"))
    src, build = work / "src", work / "build"
    src.mkdir()
    archive = subprocess.run(["git", "-C", str(root), "archive", "HEAD"],
                             capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(src)], input=archive, check=True)
    env = dict(os.environ, FFM_BUILD_DIR=str(build))
    b = run(["bash", str(src / "scripts/build.sh")], env=env)
    if b.returncode != 0:
        sys.exit("mutate: the unmutated tree does not build:\n" + b.stderr[-3000:])
    survivors = 0
    for name, rel, old, new in MUTANTS:
        path = src / rel
        text = path.read_text()
        if text.count(old) != 1:
            sys.exit(f"mutate: stale mutant '{name}': its text occurs {text.count(old)} times in {rel}")
        path.write_text(text.replace(old, new))
        try:
            caught = []
            if run(["ninja", "-C", str(build)]).returncode != 0:
                caught.append("(does not compile)")
            else:
                # The node-depths tests repeat the others' checks on a larger
                # mapspace, at two minutes a run; no mutant here is theirs.
                unit = run([str(build / "bin/ffm-unittests"), "--gtest_brief=1",
                            "--gtest_filter=-*NodeDepths*"])
                caught += re.findall(r"^\[  FAILED  \] (\w+\.\w+)", unit.stdout, re.M)
                lit = run(["/usr/lib/llvm-22/bin/lit", "-q", *LIT], cwd=build / "test")
                caught += [l.split("::")[-1].strip() for l in lit.stdout.splitlines()
                           if l.strip().startswith("FFM ::")]
        finally:
            path.write_text(text)
        caught = sorted(set(caught))
        if caught:
            print(f"killed: {name}: {', '.join(caught[:6])}"
                  + (f" and {len(caught) - 6} more" if len(caught) > 6 else ""))
        else:
            survivors += 1
            print(f"SURVIVED: {name}")
    if "--keep" not in sys.argv:
        shutil.rmtree(work, ignore_errors=True)
    print(f"{len(MUTANTS) - survivors} of {len(MUTANTS)} mutants killed")
    sys.exit(1 if survivors else 0)


if __name__ == "__main__":
    main()
