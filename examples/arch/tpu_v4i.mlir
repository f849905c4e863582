// TPU v4i as the FFM authors' reference implementation specifies it, the
// same numbers as tpu_v4i.yaml (8-bit data, 1.05 GHz; pJ per datum = the
// published pJ/bit x 8, data/cycle = GB/s / 1.05 GHz). Sources and the
// differences from the reference: docs/arch.md.
module attributes {ffm.arch = #ffm.arch<
  levels = [
    #ffm.level<name = "MainMemory", read_energy = 56.24, write_energy = 56.24, bandwidth = 584.7619047619048>,
    #ffm.level<name = "GlobalBuffer", capacity = 134217728, read_energy = 15.04, write_energy = 18.88, read_bandwidth = 1950.4761904761905, write_bandwidth = 975.2380952380952, fanout = [4], reuse = ["none"], keep = ["fused"]>,
    #ffm.level<name = "LocalBuffer", capacity = 4194304, read_energy = 1.992, write_energy = 2.344, fanout = [128, 128], reuse = ["inputs", "outputs"], keep = ["all - weight"], bypass = ["weight"]>,
    #ffm.level<name = "Register", capacity = 1, read_energy = 0.0, write_energy = 0.0, keep = ["weight"], bypass = ["all - weight"]>
  ],
  compute = #ffm.compute<name = "MAC", runs = "all - unary", mac_energy = 0.084, throughput = 1.0>,
  units = [#ffm.compute<name = "ScalarUnit", level = "LocalBuffer", runs = "unary", mac_energy = 0.0, throughput = 128.0>],
  datum_bits = 8, output_rmw = "every_update">} {
}
