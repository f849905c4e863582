#!/usr/bin/env python3
"""Checks that every diagnostic the tool can print appears in a lit test.

Diagnostics are the string literals of emitError/emitOpError/emitRemark/
PrintMessage/
emitWarning calls, of parser errors, of `fail(...)`/createStringError, and of
the `return llvm::formatv(...)` rule messages (model, architecture), whose
text reaches users through `ffm: invalid mapping: ...` and the verifiers.
For each, every literal fragment between format placeholders must occur in
a line that a lit test (.mlir/.test under test/) actually checks: a
FileCheck directive whose prefix a RUN line of that file passes to
FileCheck, or an expected-* line of a file run with -verify-diagnostics. Sources: lib/,
dialect/ and tools/. Prints the missing
ones and exits 1 if there are any.
"""
import pathlib
import re
import sys

root = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else ".")
calls = re.compile(
    r"(PrintMessage|emitError|emitOpError|emitRemark|emitWarning|createStringError|"
    r"fail|return\s+llvm::formatv|return\s+\"|error\s*=\s*llvm::formatv|"
    r"<<\s*\")\s*\(?")
literal = re.compile(r'"((?:[^"\\]|\\.)*)"')


def statements(text):
    """Yields each statement (up to ';') that starts a diagnostic."""
    for m in calls.finditer(text):
        end = text.find(";", m.end())
        yield text[m.start():end]


def fragments(stmt):
    # Adjacent literals concatenate; a `<<`, `,` or ternary ends a message
    # part.
    parts, current = [], ""
    pos = 0
    for m in literal.finditer(stmt):
        between = stmt[pos:m.start()]
        if current and re.search(r"<<|,|\)|\?|\s:\s", between):
            parts.append(current)
            current = ""
        current += m.group(1)
        pos = m.end()
    if current:
        parts.append(current)
    out = []
    for p in parts:
        p = p.replace("\\'", "'").replace('\\"', '"').replace("\\n", " ")
        pieces = [" ".join(q.split()) for q in re.split(r"\{[0-9]+\}|%[-0-9.]*[sdgfu]|%s", p)]
        best = max(pieces, key=len)
        if len(best) >= 12:
            # The longest piece names the diagnostic (UNREACHABLE's keys);
            # every piece must appear, in order, in one checked line.
            out.append((best, [q for q in pieces if len(q) >= 4]))
    return out


# Defensive diagnostics no input can reach, and why. Keep this list short:
# anything a user can trigger belongs in a test instead.
UNREACHABLE = {
    "ffm-fuse: internal error: the function folded differently from its copy":
        "folding reshapes is deterministic (a greedy rewrite of equal IR); "
        "the check guards the search result's Einsum order against a change "
        "upstream",
    "no compute unit runs Einsum '":
        "ffm-fuse reports an Einsum no unit runs at its op before searching "
        "(fuse-units-invalid.mlir); the generator's own check guards the "
        "C++ API",
    "the mapping names no compute unit (":
        "#ffm.mapping and MappingFromIR resolve unit names first (their "
        "errors are tested); only C++ callers pass an index",
    "arch needs a compute description":
        "the #ffm.arch parser requires `compute`; only C++ builders can omit it",
    "invalid arch YAML":
        "fallback for a YAML I/O failure that printed no diagnostic",
    "search budget exceeded: the join frontier at Einsum '":
        "workloads small enough for lit are cut by the join's bound below any "
        "budget their generation passes; MapperTest.JoinFrontierBudgetIsAnError "
        "builds such a frontier by hand",
    "no mapping scores below":
        "only ffm-fuse's search of a function's folded form sets a score to "
        "beat, and any error of that search keeps the form as written; "
        "MapperTest.BeatStopsOnceTheFloorsCannot and "
        "MapperTest.EdpFirstPassProvesNearTheFloors check it through the C++ "
        "API",
    "no valid fused mapping reaches Einsum '":
        "the unfused (DRAM round trip) choice is always in the frontier",
    "names no memory level": "#ffm.mapping names are resolved before the model",
    "names no rank of the Einsum": "#ffm.mapping names are resolved before the model",
    "names no tensor of the Einsum": "#ffm.mapping names are resolved before the model",
    "of the Einsum must not be kept in '":
        "from IR, on-chip-ness is derived from the mapping itself",
    "ffm: dynamic shapes are not supported (operand of type":
        "arguments and results of allowed producers are checked first",
    "ffm: operand is produced by unsupported op '":
        "unsupported producers are rejected when the walk reaches them",
    "ffm: the Einsum graph is built per func.func":
        "the analysis is only requested on func.func",
    "ffm: cleaning up after the rewrite failed":
        "guards upstream greedy rewriting of IR the rewrite just built",
    "ffm: tiling and fusing the group failed":
        "guards upstream SCF tile-and-fuse on ops the analysis accepted",
    "ffm: tiling for the mapping failed":
        "guards upstream SCF tiling on ops the analysis accepted",
    # The code generator re-checks what the mapspace's fusion validity
    # (docs/mapspace.md, rule 7) and the join's contiguous groups already
    # exclude, rather than emit a tree that reads a tile before it is done.
    "' along one dimension in both, so a tile would be read before it is complete":
        "fusion validity: fused loops walk the intermediate in both",
    "' but does not walk '": "fusion validity (same message)",
    "is shared with producer '": "fusion validity (same message)",
    "cannot emit the fused mapping: loop": "fusion validity (same message)",
    "' is copied in above loops shared with its producer '":
        "fusion validity: keeps of a fused tensor sit below its fused loops",
    "cannot emit the fused mapping: '": "fusion validity (same message)",
    "' is written back to DRAM after the loops it shares with its consumer '":
        "a member's output read by another member through DRAM (a reshape in "
        "between) is written back below the loops they share in every mapping "
        "the search chose on the shipped workloads, the DeepSeek block and 100 "
        "random DAGs (looptree-reshape-dram.mlir shows the emitted order)",
    "' is fused under": "compatibility keys: producer and consumer agree",
    "loops here but under": "compatibility keys (same message)",
    "in its producer": "compatibility keys (same message)",
    "' is kept on chip, but its consumer '":
        "fusable tensors: every consumer joins the producer's group",
    "' is not in its fusion group": "fusable tensors (same message)",
    "' writes in a later part of the loop tree":
        "groups are contiguous in program order; fusion validity",
    "', which its producer '": "(same message)",
    "cannot emit the fused mapping: it reads '": "(same message)",
    "out of memory (an allocation failed)":
        "an allocation failing between two memory checks, which no command "
        "line provokes on demand: test/Unit/MapperTest.cpp "
        "(FailedAllocationIsAnError) fails one",
    "ulimit -v or the memory, or lower max-memory-mb to stop sooner":
        "(same case)",
    "ffm-fuse: the rewritten op still has users":
        "every result of a group is replaced by its buffer's tensor",
    # verify=true compares the generator's output with the search: only a
    # code generator bug reaches these (test/Transforms/rewrite-verify.test
    # runs it on every example, preset, objective and fused-loop limit).
    "ffm-fuse: verify: the IR has": "code generator bug only",
    ": the IR has '": "code generator bug only",
    "Einsum tiles, the workload": "code generator bug only",
    "ffm-fuse: verify: tile": "code generator bug only",
    "', expected '": "code generator bug only",
    "ffm-fuse: verify: the IR of '": "code generator bug only",
    "' differs from its mapping at node": "code generator bug only",
    "', the mapping '": "code generator bug only",
    "' evaluates to": "code generator bug only",
    ", the chosen mapping to": "code generator bug only",
    "ffm-fuse: verify: the tile of '": "code generator bug only",
    "times, its Einsum has": "code generator bug only",
    "ffm-fuse: verify: the loop trees share loops or buffers in other groups than the chosen fusion":
        "code generator bug only",
}

DIRECTIVE = re.compile(r"^\s*(?://|#)?\s*([A-Z][A-Z0-9_]*)(?:-[A-Z]+)?:(.*)$")
EXPECTED = re.compile(r"expected-(?:error|warning|remark|note)\b.*?\{\{(.*)\}\}")


def checked_lines(text):
    """The text a RUN of this file actually checks: FileCheck directives of
    prefixes some RUN passes to FileCheck, and expected-* lines when a RUN
    uses -verify-diagnostics. Comments and RUN lines themselves do not
    count."""
    runs = [m.group(1) for m in re.finditer(r"RUN:(.*)", text)]
    prefixes = set()
    for r in runs:
        for fc in re.finditer(r"FileCheck([^|]*)", r):
            named = re.findall(r"--check-prefix(?:es)?[= ](\S+)", fc.group(1))
            for n in named:
                prefixes.update(n.split(","))
            if not named:
                prefixes.add("CHECK")
    verify = any("-verify-diagnostics" in r for r in runs)
    out = []
    for line in text.splitlines():
        d = DIRECTIVE.match(line)
        if d and d.group(1) in prefixes:
            out.append(d.group(2))
        e = EXPECTED.search(line)
        if e and verify:
            out.append(e.group(1))
    return out


test_files = [f for f in (root / "test").rglob("*")
              if f.suffix in (".mlir", ".test") and f.is_file()]
if not test_files:
    sys.exit(f"check_diagnostics: no lit tests under {root / 'test'}")
tests = [" ".join(line.split()) for f in test_files
         for line in checked_lines(f.read_text(errors="replace"))]
missing, total, allowed = [], 0, 0
for src in sorted(list((root / "lib").rglob("*.cpp")) +
                  list((root / "tools").rglob("*.cpp")) +
                  list((root / "dialect").rglob("*.cpp"))):
    text = src.read_text()
    for stmt in statements(text):
        for frag, pieces in fragments(stmt):
            total += 1
            pattern = re.compile(".*?".join(re.escape(q) for q in pieces))
            if any(pattern.search(line) for line in tests):
                continue
            if frag in UNREACHABLE:
                allowed += 1
            else:
                missing.append(f"{src.relative_to(root)}: {frag}")
if total == 0:
    sys.exit(f"check_diagnostics: no diagnostics found under {root}: wrong root?")
for m in sorted(set(missing)):
    print("untested diagnostic:", m)
print(f"{total - len(missing) - allowed} of {total} diagnostic strings appear "
      f"in lit tests, {allowed} are unreachable by design, "
      f"{len(missing)} untested")
sys.exit(1 if missing else 0)
