#ifndef ZIZHU_FUZZ_DRIVER_H
#define ZIZHU_FUZZ_DRIVER_H

#include <stddef.h>
#include <stdint.h>

/// libFuzzer's entry for a program that has its own main (compiler-rt FuzzerInterface.h):
/// parses libFuzzer's flags from argc/argv and runs the fuzzing loop on `callback`.
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));

#endif
