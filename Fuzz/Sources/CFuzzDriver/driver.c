// Nothing to compile: the header declares a function of libFuzzer's runtime, linked in by
// -sanitize=fuzzer. SwiftPM wants at least one source file in a C target.
#include "CFuzzDriver.h"
