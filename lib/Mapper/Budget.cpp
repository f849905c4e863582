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
#include <algorithm>
#include <fstream>
#include <string>
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

/// The least of the machine's memory and the limits of the process's
/// cgroup and its ancestors (v2; v1's at the mount root), in MiB; 0 where
/// none is known.
static uint64_t readMemoryLimitMB() {
  uint64_t least = 0;
  auto consider = [&](const std::string &path) {
    std::ifstream file(path);
    uint64_t bytes = 0;
    if (!(file >> bytes)) // "max" (none) fails to parse
      return;
    uint64_t mb = limitMB(bytes);
    if (mb > 0 && (least == 0 || mb < least))
      least = mb;
  };
  long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGESIZE);
  if (pages > 0 && page > 0)
    least = limitMB((uint64_t)pages * (uint64_t)page);
  // cgroup v2: the line "0::/path"; a slice's limit binds its members.
  std::ifstream self("/proc/self/cgroup");
  for (std::string line; std::getline(self, line);) {
    if (line.rfind("0::", 0) != 0)
      continue;
    std::string dir = line.substr(3);
    for (;;) {
      consider("/sys/fs/cgroup" + dir + "/memory.max");
      size_t slash = dir.find_last_of('/');
      if (slash == std::string::npos || dir.size() <= 1)
        break;
      dir = slash == 0 ? "/" : dir.substr(0, slash);
    }
  }
  consider("/sys/fs/cgroup/memory.max");
  consider("/sys/fs/cgroup/memory/memory.limit_in_bytes");
  return least;
}

/// Read once per process, which every pass builds Deadlines in: a tool's
/// run is short. (A cgroup limit changed while a long-lived process runs
/// would go unseen; 80% of ulimit -v is read per Deadline.)
static uint64_t memoryLimitMB() {
  static const uint64_t limit = readMemoryLimitMB();
  return limit;
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

bool detail::Deadline::trip(Reason why, uint64_t size) const {
  // The first budget spent is the one the error names, with the size it
  // read: later checks on other threads change neither.
  uint64_t none = 0;
  tripped.compare_exchange_strong(
      none, uint64_t(why) << kReasonShift |
                std::min(size, (uint64_t(1) << kReasonShift) - 1));
  return true;
}

void detail::Deadline::allocationFailed() const { trip(Allocation, 0); }

bool detail::Deadline::passed() const {
  if (tripped.load() != 0)
    return true;
  auto now = std::chrono::steady_clock::now();
  int64_t tick = now.time_since_epoch().count();
  if ((maxMemoryMB > 0 || maxMappedMB > 0) &&
      tick >= nextMemoryCheck.load(std::memory_order_relaxed)) {
    nextMemoryCheck.store(
        tick + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                   std::chrono::milliseconds(1))
                   .count(),
        std::memory_order_relaxed);
    auto [mapped, resident] = ffm::mappedAndResidentMB();
    if (maxMemoryMB > 0 && resident > maxMemoryMB)
      return trip(Resident, resident);
    if (maxMappedMB > 0 && mapped > maxMappedMB)
      return trip(Mapped, mapped);
  }
  return at && now > *at && trip(Time, 0);
}

std::string detail::Deadline::what() const {
  uint64_t state = tripped.load();
  uint64_t sizeMB = state & ((uint64_t(1) << kReasonShift) - 1);
  switch (state >> kReasonShift) {
  case Allocation:
    return "out of memory (an allocation failed)";
  case Mapped:
    return llvm::formatv("search memory budget of {0} MB of address space "
                         "exceeded ({1} MB mapped; {2}% of ulimit -v)",
                         maxMappedMB, sizeMB, (int)(kDefaultShare * 100));
  case Resident:
    if (automatic)
      return llvm::formatv("search memory budget of {0} MB exceeded ({1} MB "
                           "resident; by default {2}% of the machine's or "
                           "the cgroup's memory)",
                           maxMemoryMB, sizeMB, (int)(kDefaultShare * 100));
    return llvm::formatv("search memory budget of {0} MB exceeded ({1} MB "
                         "resident)",
                         maxMemoryMB, sizeMB);
  default:
    return llvm::formatv("search time limit of {0} s exceeded",
                         llvm::format("%g", seconds));
  }
}

const char *detail::Deadline::option() const {
  switch (tripped.load() >> kReasonShift) {
  case Allocation:
    return "ulimit -v or the memory, or lower max-memory-mb to stop sooner";
  case Mapped:
    return "ulimit -v";
  case Resident:
    return "max-memory-mb";
  default:
    return "time-limit";
  }
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

std::string detail::Deadline::error(llvm::StringRef doing,
                                    llvm::StringRef einsum) const {
  return llvm::formatv("{0} while {1} Einsum '{2}' (raise {3})", what(),
                       doing, einsum, option());
}
