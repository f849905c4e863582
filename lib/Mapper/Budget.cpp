//===- Budget.cpp - the search's time and memory budgets -----------------===//
//
// The invariant: a search past its time limit or memory budget stops at the
// next check (every few thousand enumeration or join steps) with an error
// naming the budget and the option that raises it; it never runs on
// unbounded, and never dies in the allocator.
//
//===----------------------------------------------------------------------===//
#include "Pmappings.h"

#include "llvm/Support/Format.h"
#include "llvm/Support/FormatVariadic.h"
#include <fstream>
#include <sys/resource.h>
#include <unistd.h>

using namespace ffm;
using namespace ffm::detail;

detail::Deadline::Deadline(double seconds, uint64_t maxMemoryMB,
                           std::chrono::steady_clock::time_point from)
    : seconds(seconds), maxMemoryMB(maxMemoryMB) {
  // Past about 30 years the limit is none: the clock's nanoseconds would
  // overflow (and an infinite limit cannot be converted at all).
  if (seconds > 0 && seconds < 1e9)
    at = from +
         std::chrono::duration_cast<std::chrono::steady_clock::duration>(
             std::chrono::duration<double>(seconds));
}

bool detail::Deadline::passed() const {
  if (maxMemoryMB > 0) {
    residentMB = ffm::residentMB();
    if (residentMB > maxMemoryMB)
      return memory = true;
  }
  return at && std::chrono::steady_clock::now() > *at;
}

std::string detail::Deadline::what() const {
  if (memory)
    return llvm::formatv("search memory budget of {0} MB exceeded ({1} MB "
                         "resident)",
                         maxMemoryMB, residentMB);
  return llvm::formatv("search time limit of {0} s exceeded",
                       llvm::format("%g", seconds));
}

const char *detail::Deadline::option() const {
  return memory ? "max-memory-mb" : "time-limit";
}

uint64_t ffm::residentMB() {
  // statm's second field: resident pages.
  std::ifstream statm("/proc/self/statm");
  uint64_t size = 0, resident = 0;
  if (!(statm >> size >> resident))
    return 0;
  return resident * (uint64_t)sysconf(_SC_PAGESIZE) / (1024 * 1024);
}

uint64_t ffm::peakResidentMB() {
  struct rusage usage;
  if (getrusage(RUSAGE_SELF, &usage) != 0)
    return 0;
  return (uint64_t)usage.ru_maxrss / 1024; // KiB on Linux
}
