// TPU-v4i-like accelerator (8-bit data, 1.05 GHz). Energies are the published
// pJ/bit figures times 8 bits; bandwidths are GB/s divided by 1.05 GHz.
// Sources and derivation: docs/arch.md.
module attributes {ffm.arch = #ffm.arch<
  levels = [
    #ffm.level<name = "DRAM", read_energy = 56.24, write_energy = 56.24, bandwidth = 584.76>,
    #ffm.level<name = "GlobalBuffer", capacity = 134217728, read_energy = 15.04, write_energy = 18.88, bandwidth = 1950.48, fanout = [4], reuse = ["none"]>,
    #ffm.level<name = "LocalBuffer", capacity = 4194304, read_energy = 1.992, write_energy = 2.344, fanout = [128, 128], reuse = ["inputs", "outputs"], keep = ["inputs", "outputs"]>
  ],
  compute = #ffm.compute<mac_energy = 0.084, instances = 65536, throughput = 1.0>,
  datum_bits = 8>} {
}
