// An architecture read from YAML and recorded as an #ffm.arch attribute
// (what --ffm-fuse leaves on its output) must read back as the same
// architecture, every field and every bit of every double: --ffm-evaluate
// of that output takes it instead of the file.
#include "ffm/Arch/Arch.h"
#include "ffm/Dialect/FFMDialect.h"

#include "mlir/AsmParser/AsmParser.h"
#include "mlir/IR/MLIRContext.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <gtest/gtest.h>
#include <cstring>

using namespace ffm;

namespace {

// Bitwise: a decimal printed short of a bit would show here.
bool same(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }
bool same(const std::optional<double> &a, const std::optional<double> &b) {
  return a.has_value() == b.has_value() && (!a || same(*a, *b));
}

void expectSameUnit(const Compute &a, const Compute &b,
                    const std::string &where) {
  EXPECT_TRUE(same(a.macEnergy, b.macEnergy)) << where;
  EXPECT_EQ(a.instances, b.instances) << where;
  EXPECT_TRUE(same(a.throughput, b.throughput)) << where;
  EXPECT_TRUE(same(a.leakage, b.leakage)) << where;
  EXPECT_EQ(a.name, b.name) << where;
  EXPECT_EQ(a.level, b.level) << where;
  EXPECT_EQ(a.runs, b.runs) << where;
}

void expectSameArch(const Arch &a, const Arch &b, const std::string &where) {
  ASSERT_EQ(a.levels.size(), b.levels.size()) << where;
  for (size_t l = 0; l < a.levels.size(); ++l) {
    const Level &x = a.levels[l], &y = b.levels[l];
    std::string at = where + ", level " + x.name;
    EXPECT_EQ(x.name, y.name) << at;
    EXPECT_EQ(x.capacity, y.capacity) << at;
    EXPECT_TRUE(same(x.readEnergy, y.readEnergy)) << at;
    EXPECT_TRUE(same(x.writeEnergy, y.writeEnergy)) << at;
    EXPECT_TRUE(same(x.bandwidth, y.bandwidth)) << at;
    EXPECT_TRUE(same(x.readBandwidth, y.readBandwidth)) << at;
    EXPECT_TRUE(same(x.writeBandwidth, y.writeBandwidth)) << at;
    EXPECT_TRUE(same(x.leakage, y.leakage)) << at;
    EXPECT_EQ(x.fanout, y.fanout) << at;
    EXPECT_TRUE(same(x.minUsage, y.minUsage)) << at;
    EXPECT_EQ(x.spatialRanks, y.spatialRanks) << at;
    EXPECT_EQ(x.reuse, y.reuse) << at;
    EXPECT_EQ(x.keep, y.keep) << at;
    EXPECT_EQ(x.bypass, y.bypass) << at;
    // A dictionary sorts its rules by name; each rule's width is its own.
    auto sorted = [](std::vector<std::pair<std::string, int64_t>> rules) {
      llvm::sort(rules);
      return rules;
    };
    EXPECT_EQ(sorted(x.datumBits), sorted(y.datumBits)) << at;
  }
  expectSameUnit(a.compute, b.compute, where + ", compute");
  ASSERT_EQ(a.units.size(), b.units.size()) << where;
  for (size_t k = 0; k < a.units.size(); ++k)
    expectSameUnit(a.units[k], b.units[k], where + ", unit " + a.units[k].name);
  EXPECT_EQ(a.datumBits, b.datumBits) << where;
  EXPECT_EQ(a.outputRmw, b.outputRmw) << where;
  EXPECT_EQ(a.accounting, b.accounting) << where;
}

// Through the attribute's printed form and back, as a file holds it.
Arch throughText(mlir::MLIRContext &ctx, const Arch &arch) {
  std::string text;
  llvm::raw_string_ostream os(text);
  os << ArchAttr::get(&ctx, arch);
  auto parsed = llvm::dyn_cast_or_null<ArchAttr>(mlir::parseAttribute(text, &ctx));
  EXPECT_TRUE(parsed) << text;
  return parsed ? parsed.toArch() : Arch();
}

// Every field away from its default, doubles that no short decimal gives.
Arch everyField() {
  Arch arch;
  Level dram;
  dram.name = "DRAM";
  dram.readEnergy = 0.1 + 0.2;
  dram.writeEnergy = 1.0 / 3;
  dram.readBandwidth = 7.0 / 11;
  dram.writeBandwidth = 5e-310; // subnormal
  dram.leakage = -0.0;          // not the absent (+0) one
  Level buf;
  buf.name = "Buffer";
  buf.capacity = 4096;
  buf.readEnergy = 2;
  buf.writeEnergy = 3.25;
  buf.bandwidth = 1e300;
  buf.leakage = 0.0001;
  buf.fanout = {4, 2};
  buf.minUsage = 0.5;
  buf.spatialRanks = {"m", "n"};
  buf.reuse = {"inputs", "none"};
  buf.keep = {"inputs"};
  buf.bypass = {"weight"};
  buf.datumBits = {{"output", 24}, {"input", 4}};
  arch.levels = {dram, buf};
  arch.compute = {0.5, 8, 2, 0.25, "PE", "", "contraction"};
  arch.units = {{1.5, std::nullopt, 1, 0, "Vector", "Buffer", "elementwise"}};
  arch.datumBits = 16;
  arch.outputRmw = "every_update";
  arch.accounting = "reference";
  return arch;
}

TEST(ArchAttr, EveryFieldReadsBackExactly) {
  mlir::MLIRContext ctx;
  ctx.loadDialect<FFMDialect>();
  Arch arch = everyField();
  expectSameArch(arch, throughText(ctx, arch), "every field");
  // The defaults are left out of the attribute and read back as such.
  Arch plain;
  plain.levels = {arch.levels[0]};
  expectSameArch(plain, throughText(ctx, plain), "defaults");
}

TEST(ArchAttr, ShippedArchitecturesReadBackExactly) {
  mlir::MLIRContext ctx;
  ctx.loadDialect<FFMDialect>();
  std::string file = __FILE__;
  std::string root = file.substr(0, file.rfind('/')) + "/../..";
  size_t checked = 0;
  // The presets and the tests' architectures (datum widths, min_usage,
  // several units, split ports, the reference accounting).
  for (std::string dir :
       {root + "/examples/arch", root + "/test/Transforms/Inputs"}) {
    std::error_code ec;
    for (llvm::sys::fs::directory_iterator it(dir, ec), end; it != end && !ec;
         it.increment(ec)) {
      if (llvm::sys::path::extension(it->path()) != ".yaml")
        continue;
      llvm::Expected<Arch> arch = loadArchYaml(it->path());
      if (!arch) { // the invalid ones the diagnostics tests read
        llvm::consumeError(arch.takeError());
        continue;
      }
      expectSameArch(*arch, throughText(ctx, *arch), it->path());
      ++checked;
    }
    EXPECT_FALSE(ec) << dir;
  }
  EXPECT_GE(checked, 6u);
}

} // namespace
