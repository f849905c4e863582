// A small Eyeriss-like accelerator (16-bit data): DRAM, a 108 KiB global
// buffer, a 12x14 PE array with a 512-byte scratchpad per PE. Energies are
// Eyeriss's normalised costs (MAC = 1). Sources: docs/arch.md.
module attributes {ffm.arch = #ffm.arch<
  levels = [
    #ffm.level<name = "DRAM", read_energy = 200.0, write_energy = 200.0, bandwidth = 4.0>,
    #ffm.level<name = "GlobalBuffer", capacity = 110592, read_energy = 6.0, write_energy = 6.0, bandwidth = 16.0, fanout = [12, 14]>,
    #ffm.level<name = "Scratchpad", capacity = 512, read_energy = 1.0, write_energy = 1.0>
  ],
  compute = #ffm.compute<mac_energy = 1.0, instances = 168, throughput = 1.0>,
  datum_bits = 16>} {
}
