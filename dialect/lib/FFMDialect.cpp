//===- FFMDialect.cpp - ffm dialect registration --------------------------===//
#include "ffm/Dialect/FFMDialect.h"

#include "ffm/Dialect/FFMDialect.cpp.inc"

