#ifndef ZIZHU_SUPPORT_H
#define ZIZHU_SUPPORT_H

/* CPU hints Swift has no spelling for. Header-only: static inline, so a call is one instruction. */

/* Asks the CPU to start loading the cache line at `address` for a write soon: a hash table of
   millions of slots probes a random line per row, and asking a few rows ahead hides the wait. */
static inline void zizhu_prefetch_write(const void *address) {
    __builtin_prefetch(address, 1, 3);
}

#endif
