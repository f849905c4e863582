//===- FailingAllocation.cpp - the unit tests' operator new -------------===//
//
// In its own file: inlined next to a new-expression, a replaced delete's
// free() reads to GCC as a mismatched deallocation.
//
//===----------------------------------------------------------------------===//
#include "FailingAllocation.h"

#include <cstdlib>
#include <new>

thread_local int ffm::test::failingAllocation = 0;

using ffm::test::failingAllocation;

// Every unaligned form, on malloc and free: a runtime that supplies the
// others (AddressSanitizer's) would see its allocations freed by ours.
void *operator new(std::size_t size) {
  if (failingAllocation > 0 && --failingAllocation == 0)
    throw std::bad_alloc();
  if (void *p = std::malloc(size ? size : 1))
    return p;
  throw std::bad_alloc();
}
void *operator new[](std::size_t size) { return operator new(size); }
void *operator new(std::size_t size, const std::nothrow_t &) noexcept {
  try {
    return operator new(size);
  } catch (const std::bad_alloc &) {
    return nullptr;
  }
}
void *operator new[](std::size_t size, const std::nothrow_t &t) noexcept {
  return operator new(size, t);
}
void operator delete(void *p) noexcept { std::free(p); }
void operator delete[](void *p) noexcept { std::free(p); }
void operator delete(void *p, std::size_t) noexcept { std::free(p); }
void operator delete[](void *p, std::size_t) noexcept { std::free(p); }
void operator delete(void *p, const std::nothrow_t &) noexcept { std::free(p); }
void operator delete[](void *p, const std::nothrow_t &) noexcept {
  std::free(p);
}

