// Eyeriss as the FFM authors' reference implementation specifies it, the
// same numbers as eyeriss.yaml (8-bit data, 200 MHz). Sources and the
// differences from the reference: docs/arch.md.
module attributes {ffm.arch = #ffm.arch<
  levels = [
    #ffm.level<name = "MainMemory", read_energy = 64.0, write_energy = 64.0, bandwidth = 2.097152>,
    #ffm.level<name = "GlobalBuffer", capacity = 131072, read_energy = 11.32053787, write_energy = 11.40293368, bandwidth = 256.0, leakage = 1.275401954, fanout = [14, 12], reuse = ["weight", "outputs"], keep = ["fused"]>,
    #ffm.level<name = "InputScratchpad", capacity = 24, read_energy = 0.1818711511, write_energy = 0.252438408, bandwidth = 6.153846154, leakage = 0.002190791952, keep = ["input - weight"], bypass = ["weight", "output"]>,
    #ffm.level<name = "WeightScratchpad", capacity = 384, read_energy = 0.321223722, write_energy = 0.4988456272, bandwidth = 21.53846154, leakage = 0.003831842459, keep = ["weight"], bypass = ["all - weight"]>,
    #ffm.level<name = "OutputScratchpad", capacity = 32, read_energy = 0.2099792186, write_energy = 0.2982984845, bandwidth = 6.153846154, leakage = 0.002207195389, keep = ["output"], bypass = ["input"]>
  ],
  compute = #ffm.compute<name = "MAC", mac_energy = 1.281379681, instances = 168, throughput = 1.0, leakage = 0.04425935388>,
  datum_bits = 8, accounting = "reference">} {
}
