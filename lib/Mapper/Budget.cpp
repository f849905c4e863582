//===- Budget.cpp - the search's time and memory budgets -----------------===//
//
// The invariant: a search past its time limit or memory budget stops at the
// next check (every few thousand enumeration or join steps) with an error
// naming the budget and the option that raises it; it never runs on
// unbounded, and never dies in the allocator. Without max-memory-mb the
// budget is most of the memory the process may hold, and most of ulimit -v
// bounds its address space in any case.
//
//===----------------------------------------------------------------------===//
#include "Pmappings.h"

#include "llvm/Support/Format.h"
#include "llvm/Support/FormatVariadic.h"
#include <fstream>
#include <tuple>
#include <sys/resource.h>
#include <unistd.h>

using namespace ffm;
using namespace ffm::detail;

/// The share of the memory the process may use that a search takes by
/// default: the rest is headroom for what the checks, a few thousand steps
/// apart, do not see (a vector doubling, the rewrite after the search).
static constexpr double kDefaultShare = 0.8;

/// Bytes in MiB, or 0 (no limit) for RLIM_INFINITY and absurd values.
static uint64_t limitMB(uint64_t bytes) {
  if (bytes == 0 || bytes >= (uint64_t(1) << 62))
    return 0;
  return bytes / (1024 * 1024);
}

/// The least of the machine's memory and its cgroup's limit (v2, else
/// v1), in MiB; 0 where none is known.
static uint64_t memoryLimitMB() {
  uint64_t least = 0;
  auto consider = [&](uint64_t mb) {
    if (mb > 0 && (least == 0 || mb < least))
      least = mb;
  };
  long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGESIZE);
  if (pages > 0 && page > 0)
    consider(limitMB((uint64_t)pages * (uint64_t)page));
  for (const char *path : {"/sys/fs/cgroup/memory.max",
                           "/sys/fs/cgroup/memory/memory.limit_in_bytes"}) {
    std::ifstream file(path);
    uint64_t bytes = 0;
    if (file >> bytes) // "max" (none) fails to parse
      consider(limitMB(bytes));
  }
  return least;
}

detail::Deadline::Deadline(double seconds, uint64_t maxMemoryMB,
                           std::chrono::steady_clock::time_point from)
    : seconds(seconds), maxMemoryMB(maxMemoryMB) {
  // Past about 30 years the limit is none: the clock's nanoseconds would
  // overflow (and an infinite limit cannot be converted at all).
  if (seconds > 0 && seconds < 1e9)
    at = from +
         std::chrono::duration_cast<std::chrono::steady_clock::duration>(
             std::chrono::duration<double>(seconds));
  if (maxMemoryMB == 0) {
    this->maxMemoryMB = (uint64_t)(kDefaultShare * memoryLimitMB());
    automatic = this->maxMemoryMB > 0;
  }
  struct rlimit as;
  if (getrlimit(RLIMIT_AS, &as) == 0 && as.rlim_cur != RLIM_INFINITY)
    maxMappedMB = (uint64_t)(kDefaultShare * limitMB(as.rlim_cur));
}

bool detail::Deadline::passed() const {
  auto now = std::chrono::steady_clock::now();
  int64_t tick = now.time_since_epoch().count();
  if ((maxMemoryMB > 0 || maxMappedMB > 0) &&
      tick >= nextMemoryCheck.load(std::memory_order_relaxed)) {
    nextMemoryCheck.store(
        tick + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                   std::chrono::milliseconds(1))
                   .count(),
        std::memory_order_relaxed);
    std::tie(mappedMB, residentMB) = ffm::mappedAndResidentMB();
    if (maxMemoryMB > 0 && residentMB > maxMemoryMB)
      return memory = true;
    if (maxMappedMB > 0 && mappedMB > maxMappedMB)
      return memory = mapped = true;
  }
  return at && now > *at;
}

std::string detail::Deadline::what() const {
  if (mapped)
    return llvm::formatv("search memory budget of {0} MB of address space "
                         "exceeded ({1} MB mapped; {2}% of ulimit -v)",
                         maxMappedMB, mappedMB, (int)(kDefaultShare * 100));
  if (memory && automatic)
    return llvm::formatv("search memory budget of {0} MB exceeded ({1} MB "
                         "resident; by default {2}% of the machine's or the "
                         "cgroup's memory)",
                         maxMemoryMB, residentMB, (int)(kDefaultShare * 100));
  if (memory)
    return llvm::formatv("search memory budget of {0} MB exceeded ({1} MB "
                         "resident)",
                         maxMemoryMB, residentMB);
  return llvm::formatv("search time limit of {0} s exceeded",
                       llvm::format("%g", seconds));
}

const char *detail::Deadline::option() const {
  if (mapped)
    return "ulimit -v";
  return memory ? "max-memory-mb" : "time-limit";
}

std::pair<uint64_t, uint64_t> ffm::mappedAndResidentMB() {
  // statm's first two fields: mapped and resident pages.
  std::ifstream statm("/proc/self/statm");
  uint64_t size = 0, resident = 0;
  if (!(statm >> size >> resident))
    return {0, 0};
  uint64_t page = (uint64_t)sysconf(_SC_PAGESIZE);
  return {size * page / (1024 * 1024), resident * page / (1024 * 1024)};
}

uint64_t ffm::residentMB() { return mappedAndResidentMB().second; }

uint64_t ffm::peakResidentMB() {
  struct rusage usage;
  if (getrusage(RUSAGE_SELF, &usage) != 0)
    return 0;
  return (uint64_t)usage.ru_maxrss / 1024; // KiB on Linux
}
