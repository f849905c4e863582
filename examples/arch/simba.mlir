// Simba as the FFM authors' reference implementation specifies it, the
// same numbers as simba.yaml (8-bit data, 24-bit partial sums in the
// AccumulationBuffer; a cycle is 1 ns). Sources and the differences from
// the reference: docs/arch.md.
module attributes {ffm.arch = #ffm.arch<
  levels = [
    #ffm.level<name = "MainMemory", read_energy = 64.0, write_energy = 64.0, bandwidth = 0.4194304>,
    #ffm.level<name = "GlobalBuffer", capacity = 65536, read_energy = 0.6635900987, write_energy = 0.7227514422, bandwidth = 226.5625, leakage = 0.009508659644, fanout = [16], keep = ["input - weight", "output"], bypass = ["weight"]>,
    #ffm.level<name = "InputBuffer", capacity = 8192, read_energy = 0.07716473846, write_energy = 0.1655073868, bandwidth = 80.0, leakage = 0.001206954487, keep = ["input - weight"], bypass = ["weight", "output"]>,
    #ffm.level<name = "WeightBuffer", capacity = 32768, read_energy = 0.5345577543, write_energy = 0.5498469107, bandwidth = 160.0, leakage = 0.01261151065, keep = ["weight"], bypass = ["all - weight"]>,
    #ffm.level<name = "AccumulationBuffer", capacity = 3072, read_energy = 0.05659819262, write_energy = 0.1106160349, bandwidth = 49.0625, leakage = 0.0006034779422, fanout = [8, 8], reuse = ["outputs", "input - weight"], keep = ["output"], bypass = ["input"], datum_bits = {output = 24}>,
    #ffm.level<name = "Register", capacity = 1, read_energy = 0.0, write_energy = 0.0, keep = ["weight"], bypass = ["all - weight"]>
  ],
  compute = #ffm.compute<name = "MAC", mac_energy = 0.179244123, instances = 1024, throughput = 2.5, leakage = 0.001238232382>,
  datum_bits = 8, output_rmw = "every_update">} {
}
