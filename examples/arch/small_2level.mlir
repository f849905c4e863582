// A small two-level machine for examples and execution tests: a 16 KiB
// global buffer feeding a 4-wide MAC row (the same machine as
// small_2level.yaml). Its mapspace is small enough for exhaustive search on
// small workloads.
module attributes {ffm.arch = #ffm.arch<
  levels = [
    #ffm.level<name = "DRAM", read_energy = 100.0, write_energy = 100.0, bandwidth = 8.0>,
    #ffm.level<name = "GlobalBuffer", capacity = 16384, read_energy = 2.0, write_energy = 2.5, bandwidth = 32.0, fanout = [4]>
  ],
  compute = #ffm.compute<mac_energy = 1.0, instances = 4, throughput = 1.0>,
  datum_bits = 8>} {
}
