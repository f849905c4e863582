// A search past its time limit stops with a diagnostic naming the limit.
// RUN: not ffm-opt --ffm-fuse="arch-file=%S/Inputs/tight.yaml time-limit=0.000001" %ffm_src/examples/transformer_small.mlir 2>&1 | FileCheck %s
// CHECK: error: ffm-fuse: search time limit of 1e-06 s exceeded while enumerating Einsum '{{.*}}' (raise time-limit)

// The limit covers the join too: exhaustive search of a Transformer layer
// generates its pmappings in well under a second (a few under sanitizers),
// then joins for far longer.
// RUN: not ffm-opt --ffm-fuse="arch-file=%S/Inputs/tight.yaml search=exhaustive max-pmappings=1000000000000 time-limit=10" %ffm_src/examples/transformer_small.mlir 2>&1 | FileCheck %s --check-prefix=JOIN
// JOIN: error: ffm-fuse: search time limit of 10 s exceeded while joining Einsum '{{.*}}' (raise time-limit)

// A memory budget the same way: the resident set is checked where the time
// is, so the search stops with a diagnostic instead of meeting the OOM
// killer or an uncaught std::bad_alloc. (1 MB: less than any process.)
// RUN: not ffm-opt --ffm-fuse="arch-file=%S/Inputs/tight.yaml max-memory-mb=1" %ffm_src/examples/transformer_small.mlir 2>&1 | FileCheck %s --check-prefix=MEM
// MEM: error: ffm-fuse: search memory budget of 1 MB exceeded ({{[0-9]+}} MB resident) while enumerating Einsum '{{.*}}' (raise max-memory-mb)
// RUN: not ffm-opt --ffm-fuse="arch-file=%S/Inputs/tight.yaml max-memory-mb=-5" %ffm_src/examples/transformer_small.mlir 2>&1 | FileCheck %s --check-prefix=NEG
// NEG: error: ffm-fuse: max-memory-mb must be non-negative (0: 80% of the machine's or its cgroup's memory), got -5
// The report gives the peak resident set of the process.
// RUN: ffm-opt --ffm-fuse="arch-file=%S/Inputs/tight.yaml rewrite=false report=%t.json" %ffm_src/examples/matmul_chain.mlir -o /dev/null
// RUN: FileCheck %s --check-prefix=RSS < %t.json
// RSS: "peak_rss_mb": {{[1-9][0-9]*}}
// Each Einsum's entry says what its enumerations cost over every pass;
// together they are the search's steps.
// RUN: python3 -c "import json,sys; f=json.load(open(sys.argv[1]))['functions'][0]; e=f['einsums']; print('steps', sum(x['search_steps'] for x in e) == f['stats']['search_steps'] > 0, all(x['search_steps'] > 0 and x['search_seconds'] >= 0 for x in e))" %t.json | FileCheck %s --check-prefix=PER
// PER: steps True True
// And each generation pass's entry, in the order run: its steps, which
// add up to the search's too.
// RUN: python3 -c "import json,sys; s=json.load(open(sys.argv[1]))['functions'][0]['stats']; p=s['passes']; print('passes', len(p) == s['generation_passes'] > 1, sum(x['steps'] for x in p) == s['search_steps'], all(x['seconds'] >= 0 for x in p))" %t.json | FileCheck %s --check-prefix=PASSES
// PASSES: passes True True True
// So with EDP, whose report also runs the unfused search for its baseline.
// RUN: ffm-opt --ffm-fuse="arch-file=%S/Inputs/tight.yaml rewrite=false objective=edp report=%t.edp.json" %ffm_src/examples/matmul_chain.mlir -o /dev/null
// RUN: python3 -c "import json,sys; f=json.load(open(sys.argv[1]))['functions'][0]; e=f['einsums']; print('steps', sum(x['search_steps'] for x in e) == f['stats']['search_steps'] > 0, f['stats']['searches'])" %t.edp.json | FileCheck %s --check-prefix=EDP
// EDP: steps True 2
// Both searches' passes, the baseline's after the fused one's.
// RUN: python3 -c "import json,sys; s=json.load(open(sys.argv[1]))['functions'][0]['stats']; p=s['passes']; print('passes', len(p) == s['generation_passes'], sum(x['steps'] for x in p) == s['search_steps'])" %t.edp.json | FileCheck %s --check-prefix=EDPPASSES
// EDPPASSES: passes True True
// With no tensor passed between Einsums there is nothing to fuse: the
// mapping found is the unfused baseline too, searched once.
// RUN: %python %ffm_src/bench/gen_workloads.py chain --n 1 --dims 8,12,8 > %t.one.mlir
// RUN: ffm-opt --ffm-fuse="arch-file=%S/Inputs/tight.yaml rewrite=false objective=edp report=%t.one.json" %t.one.mlir -o /dev/null
// RUN: python3 -c "import json,sys; f=json.load(open(sys.argv[1]))['functions'][0]; print('one', f['stats']['searches'], f['unfused'] == {'energy_pj': f['energy_pj'], 'latency_cycles': f['latency_cycles']})" %t.one.json | FileCheck %s --check-prefix=ONE
// ONE: one 1 True
