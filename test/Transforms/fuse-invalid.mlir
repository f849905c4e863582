// RUN: not ffm-opt --ffm-fuse="objective=speed arch-file=%S/Inputs/tight.yaml" %s 2>&1 | FileCheck %s --check-prefix=OBJ
// RUN: not ffm-opt --ffm-fuse="search=random arch-file=%S/Inputs/tight.yaml" %s 2>&1 | FileCheck %s --check-prefix=SEARCH
// RUN: not ffm-opt --ffm-fuse="max-pmappings=0 arch-file=%S/Inputs/tight.yaml" %s 2>&1 | FileCheck %s --check-prefix=LIMITS
// RUN: not ffm-opt --ffm-fuse="time-limit=-1 arch-file=%S/Inputs/tight.yaml" %s 2>&1 | FileCheck %s --check-prefix=NEGATIVE
// A chain, whose fused groups hold more than one pmapping in all (a single
// matmul's one group meets its best first and never holds two):
// RUN: not ffm-opt --ffm-fuse="max-pmappings=1 arch-file=%S/Inputs/tight.yaml" %ffm_src/examples/matmul_chain.mlir 2>&1 | FileCheck %s --check-prefix=BUDGET
// Run again on its own output, whose ops are loops and buffers now.
// RUN: ffm-opt --ffm-fuse="arch-file=%S/Inputs/tight.yaml" %s | not ffm-opt --ffm-fuse="arch-file=%S/Inputs/tight.yaml" 2>&1 | FileCheck %s --check-prefix=TWICE
// Without an arch-file too: the output records the one it was mapped on.
// RUN: ffm-opt --ffm-fuse="arch-file=%S/Inputs/tight.yaml" %s | not ffm-opt --ffm-fuse 2>&1 | FileCheck %s --check-prefix=TWICE
// RUN: not ffm-opt --ffm-fuse="time-limit=nan arch-file=%S/Inputs/tight.yaml" %s 2>&1 | FileCheck %s --check-prefix=NAN
// RUN: not ffm-opt --ffm-fuse="time-limit=inf arch-file=%S/Inputs/tight.yaml" %s 2>&1 | FileCheck %s --check-prefix=INF
// A limit past what the clock can count is none: it maps.
// RUN: ffm-opt --ffm-fuse="time-limit=1e300 arch-file=%S/Inputs/tight.yaml" %s -o /dev/null
// RUN: not ffm-opt --ffm-fuse="arch-file=%S/Inputs/does-not-exist.yaml" %s 2>&1 | FileCheck %s --check-prefix=MISSING
// RUN: not ffm-opt --ffm-fuse="arch-file=%S/Inputs/bad-syntax.yaml" %s 2>&1 | FileCheck %s --check-prefix=SYNTAX
// RUN: not ffm-opt --ffm-fuse="arch-file=%S/Inputs/bad-rule.yaml" %s 2>&1 | FileCheck %s --check-prefix=RULE
// A field that fails to parse is the one error: no check then runs on the
// default it leaves behind.
// RUN: not ffm-opt --ffm-fuse="arch-file=%S/Inputs/bad-number.yaml" %s 2>&1 | FileCheck %s --check-prefix=NUMBER --implicit-check-not=error:
// RUN: not ffm-opt --ffm-fuse="arch-file=%S/Inputs/bad-key.yaml" %s 2>&1 | FileCheck %s --check-prefix=KEY --implicit-check-not=error:
// RUN: not ffm-opt --ffm-fuse="arch-file=%S/Inputs/bad-key-level.yaml" %s 2>&1 | FileCheck %s --check-prefix=LEVELKEY --implicit-check-not=error:
// RUN: not ffm-opt --ffm-fuse="arch-file=%S/Inputs/infinite-energy.yaml" %s 2>&1 | FileCheck %s --check-prefix=INFINITE
// RUN: not ffm-opt --ffm-fuse="arch-file=%S/../Fuzz/Inputs/empty-arch.yaml" %s 2>&1 | FileCheck %s --check-prefix=EMPTY
// RUN: not ffm-opt --ffm-fuse="arch-file=%S/Inputs/two-documents.yaml" %s 2>&1 | FileCheck %s --check-prefix=TWODOCS
// RUN: not ffm-opt --ffm-fuse="arch-file=%S/Inputs/third-document.yaml" %s 2>&1 | FileCheck %s --check-prefix=THIRDDOC
// RUN: not ffm-opt --ffm-fuse="arch-file=%S/../Fuzz/Inputs/alias-root.yaml" %s 2>&1 | FileCheck %s --check-prefix=ALIAS
// RUN: not ffm-opt --ffm-fuse="arch-file=%S/../Fuzz/Inputs/control-char.yaml" %s 2>&1 | FileCheck %s --check-prefix=CONTROL
// RUN: not ffm-opt --ffm-fuse="arch-file=%S/Inputs/fanout-overflow.yaml" %s 2>&1 | FileCheck %s --check-prefix=FANOUT
// RUN: not ffm-opt --ffm-fuse="arch-file=%S/Inputs/overflow-energy.yaml" %s 2>&1 | FileCheck %s --check-prefix=OVERFLOW
// RUN: not ffm-opt --ffm-fuse="arch-file=%S/Inputs/overflow-edp.yaml objective=edp" %s 2>&1 | FileCheck %s --check-prefix=EDPOVERFLOW
// Each of the two is finite: energy maps.
// RUN: ffm-opt --ffm-fuse="arch-file=%S/Inputs/overflow-edp.yaml" %s -o /dev/null
// RUN: not ffm-opt --ffm-fuse="arch-file=%S/Inputs/too-deep.yaml" %s 2>&1 | FileCheck %s --check-prefix=DEEP
// Checks of the whole architecture point at the level or unit they are
// about, not at the file's first line.
// RUN: not ffm-opt --ffm-fuse="arch-file=%S/Inputs/unit-instances.yaml" %s 2>&1 | FileCheck %s --check-prefix=UNITS
// RUN: not ffm-opt --ffm-fuse="arch-file=%S/Inputs/duplicate-level.yaml" %s 2>&1 | FileCheck %s --check-prefix=DUPLEVEL
// RUN: not ffm-opt --ffm-fuse="report=/nonexistent-dir/r.json arch-file=%S/Inputs/tight.yaml" %s 2>&1 | FileCheck %s --check-prefix=REPORT
// A write that fails once the file is open (a full disk) is an error too,
// not an abort.
// RUN: not ffm-opt --ffm-fuse="report=/dev/full arch-file=%S/Inputs/tight.yaml" %s 2>&1 | FileCheck %s --check-prefix=FULL

// OBJ: error: ffm-fuse: unknown objective 'speed' (expected energy, latency or edp)
// SEARCH: error: ffm-fuse: unknown search 'random' (expected ffm or exhaustive)
// LIMITS: error: ffm-fuse: max-pmappings must be positive
// NEGATIVE: error: ffm-fuse: time-limit must be non-negative (0: no limit), got -1
// TWICE: error: ffm-fuse: function 'chain' was already rewritten by ffm-fuse (it carries ffm.energy_pj); run ffm-fuse on the linalg IR before its rewrite
// NAN: error: ffm-fuse: time-limit must be a finite number of seconds (0: no limit), got nan
// INF: error: ffm-fuse: time-limit must be a finite number of seconds (0: no limit), got inf
// BUDGET: error: ffm-fuse: search budget exceeded: Einsum 'matmul_0' holds more than 1 pmappings (raise max-pmappings)
// MISSING: error: ffm: invalid arch-file: cannot read arch file '{{.*}}does-not-exist.yaml': No such file or directory
// SYNTAX: error: ffm: invalid arch-file: {{.*}}bad-syntax.yaml:3:5: error: unknown key 'capacty'
// NUMBER: error: ffm: invalid arch-file: {{.*}}bad-number.yaml:5:36: error: invalid number
// KEY: error: ffm: invalid arch-file: {{.*}}bad-key.yaml:4:26: error: unknown key 'capcity'
// LEVELKEY: error: ffm: invalid arch-file: {{.*}}bad-key-level.yaml:6:93: error: unknown key 'fanuot'
// RULE: error: ffm: invalid arch-file: {{.*}}bad-rule.yaml:{{[0-9]+}}:{{[0-9]+}}: error: level 'GLB': capacity must be positive, got -4
// INFINITE: error: ffm: invalid arch-file: {{.*}}infinite-energy.yaml:{{[0-9]+}}:{{[0-9]+}}: error: level 'DRAM': energies, leakage and bandwidths must be finite (leave a bandwidth out for no limit)
// EMPTY: error: ffm: invalid arch-file: {{.*}}empty-arch.yaml: empty architecture: expected a mapping with 'levels' and 'compute'
// TWODOCS: error: ffm: invalid arch-file: {{.*}}two-documents.yaml:7:1: error: an arch file holds one architecture: a second YAML document starts here
// THIRDDOC: error: ffm: invalid arch-file: {{.*}}third-document.yaml:9:1: error: an arch file holds one architecture: a second YAML document starts here
// ALIAS: error: ffm: invalid arch-file: {{.*}}alias-root.yaml: the architecture must be a mapping with 'levels' and 'compute'
// CONTROL: error: ffm: invalid arch-file: {{.*}}control-char.yaml:1:1: error: Got empty plain scalar
// FANOUT: error: ffm: invalid arch-file: {{.*}}fanout-overflow.yaml:5:5: error: the product of the level fanouts overflows
// OVERFLOW: error: ffm-fuse: the mapping's energy or latency overflows (INF pJ, {{.*}} cycles): the architecture's energies or bandwidths are too extreme to score
// EDPOVERFLOW: error: ffm-fuse: the mapping's energy-delay product overflows ({{.*}} pJ x {{.*}} cycles): the architecture's energies or bandwidths are too extreme to score
// DEEP: error: ffm: invalid arch-file: {{.*}}too-deep.yaml:19:6: error: arch has 17 memory levels; at most 16 are supported
// UNITS: error: ffm: invalid arch-file: {{.*}}unit-instances.yaml:6:11: error: compute unit 'MAC' has 8 instances, but the levels above it give 4
// DUPLEVEL: error: ffm: invalid arch-file: {{.*}}duplicate-level.yaml:5:6: error: duplicate level name 'GLB'
// REPORT: error: ffm-fuse: cannot write report '/nonexistent-dir/r.json': No such file or directory
// FULL: error: ffm-fuse: cannot write report '/dev/full': No space left on device
func.func @chain(%x: tensor<8x4xf32>, %w0: tensor<4x8xf32>, %c: tensor<8x8xf32>) -> tensor<8x8xf32> {
  %0 = linalg.matmul ins(%x, %w0 : tensor<8x4xf32>, tensor<4x8xf32>) outs(%c : tensor<8x8xf32>) -> tensor<8x8xf32>
  return %0 : tensor<8x8xf32>
}
