//===- FailingAllocation.h - make one allocation of a thread fail --------===//
//
// The unit tests' global operator new counts down failingAllocation in the
// thread that sets it and throws std::bad_alloc at zero: one failure stands
// for an allocation too large for the machine, and what follows it,
// smaller, succeeds (0: none fails).
//
//===----------------------------------------------------------------------===//
#ifndef FFM_TEST_UNIT_FAILINGALLOCATION_H
#define FFM_TEST_UNIT_FAILINGALLOCATION_H

namespace ffm::test {
extern thread_local int failingAllocation;
} // namespace ffm::test

#endif
