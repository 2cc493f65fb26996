#ifndef ZIZHU_CZLIB_SHIM_H
#define ZIZHU_CZLIB_SHIM_H
#include <zlib.h>

/* zlib's init functions are macros that pass the version and stream size; Swift cannot call
   macros, so wrap them as static inline functions. */
static inline int zizhu_inflateInit2(z_streamp strm, int windowBits) {
    return inflateInit2(strm, windowBits);
}
static inline int zizhu_deflateInit2(z_streamp strm, int level, int method, int windowBits,
                                     int memLevel, int strategy) {
    return deflateInit2(strm, level, method, windowBits, memLevel, strategy);
}
#endif
