#ifndef ZIZHU_ISAL_H
#define ZIZHU_ISAL_H
#include <stddef.h>
#include <stdint.h>

/* Intel ISA-L's inflate (igzip), loaded at run time when the machine has libisal.so.2, so that
   zizhu links and runs without it (zlib is then used). The header is read at build time when
   Debian's libisal-dev is installed; without it every call here reports "not available". */

typedef struct zizhu_isal_inflater zizhu_isal_inflater;

/* 1 when ISA-L's inflate can be used in this process (built with its header, library found). */
int zizhu_isal_available(void);

/* The wrappers of zizhu_isal_new. */
enum { ZIZHU_ISAL_RAW = 0, ZIZHU_ISAL_GZIP = 1 };

/* A new inflater for raw deflate (zip entries: the reader checks their CRC-32) or gzip members
   (header, CRC and length checked by ISA-L). NULL when not available or out of memory. */
zizhu_isal_inflater *zizhu_isal_new(int wrapper);
void zizhu_isal_free(zizhu_isal_inflater *inflater);
/* Ready for the next gzip member (or a new raw stream). */
void zizhu_isal_reset(zizhu_isal_inflater *inflater);

/* Outcomes of zizhu_isal_inflate (errors are ISA-L's negative codes). */
enum { ZIZHU_ISAL_MORE = 0, ZIZHU_ISAL_END = 1 };

/* Inflates from `in` into `out`. On return *consumed bytes of `in` were used and *produced bytes
   were written. ZIZHU_ISAL_END: the stream (gzip member with its trailer, or raw deflate) is over;
   for gzip, *consumed stops exactly after the trailer; for raw deflate it excludes whole bytes
   ISA-L read ahead past the end. Negative: corrupt data (an ISA-L code, see zizhu_isal_message). */
int zizhu_isal_inflate(zizhu_isal_inflater *inflater, const uint8_t *in, size_t in_len, size_t *consumed,
                       uint8_t *out, size_t out_len, size_t *produced);

/* zlib-compatible crc32(previous, bytes) through ISA-L's folded CRC into *result, returning 1;
   returns 0 and leaves *result alone when ISA-L is not available (the caller uses zlib's). */
int zizhu_isal_crc32_update(uint32_t previous, const uint8_t *bytes, size_t count, uint32_t *result);

/* Words for an ISA-L error code, in zlib's words where zlib has one. */
const char *zizhu_isal_message(int code);

#endif
