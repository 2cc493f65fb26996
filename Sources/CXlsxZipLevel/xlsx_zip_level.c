/* libxlsxwriter packs a workbook with minizip at zlib's default level (6) and has no option for
   it. At a million-row 发放台账.xlsx that deflate was ~6 s of a reconcile's ~30 s of CPU; level 1
   does the same work in about a third of the time for a file ~25 % larger (52 → 65 MB there), and
   the bytes are still deterministic (same zlib, same input, same output).

   So this file defines minizip's zipOpenNewFileInZip4_64 — the one call libxlsxwriter makes to
   open each entry (nm -D libxlsxwriter.so.4: U zipOpenNewFileInZip4_64) — and forwards it to
   minizip's own (dlsym RTLD_NEXT) with the level changed for deflated entries. The executable's
   definition comes first in the dynamic linker's search, so libxlsxwriter's call lands here.
   The signature is minizip 1.1's (zlib contrib/minizip/zip.h, Debian libminizip1), declared
   with plain C types so that no minizip header is needed. If minizip's symbol cannot be found
   the call fails as a failed open (libxlsxwriter reports an error), never a crash. A test reads
   the level back from the written workbook's zip flags, so a build where this file is not used
   is seen. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stddef.h>
#include "zizhu_xlsx_zip_level.h"

#define ZIZHU_XLSX_LEVEL 1
#define ZIZHU_Z_DEFLATED 8
#define ZIZHU_ZIP_INTERNALERROR (-104)

typedef int (*zizhu_zip_open_fn)(void *file, const char *filename, const void *zipfi,
                                 const void *extrafield_local, unsigned int size_extrafield_local,
                                 const void *extrafield_global, unsigned int size_extrafield_global,
                                 const char *comment, int method, int level, int raw, int windowBits,
                                 int memLevel, int strategy, const char *password,
                                 unsigned long crcForCrypting, unsigned long versionMadeBy,
                                 unsigned long flagBase, int zip64);

int zipOpenNewFileInZip4_64(void *file, const char *filename, const void *zipfi,
                            const void *extrafield_local, unsigned int size_extrafield_local,
                            const void *extrafield_global, unsigned int size_extrafield_global,
                            const char *comment, int method, int level, int raw, int windowBits,
                            int memLevel, int strategy, const char *password,
                            unsigned long crcForCrypting, unsigned long versionMadeBy,
                            unsigned long flagBase, int zip64) {
    /* Looked up on every call: a pointer-sized load is cheap beside a zip entry, and there is
       no shared state to guard between threads writing workbooks at once. */
    zizhu_zip_open_fn open = (zizhu_zip_open_fn)dlsym(RTLD_NEXT, "zipOpenNewFileInZip4_64");
    if (open == NULL) return ZIZHU_ZIP_INTERNALERROR;
    if (method == ZIZHU_Z_DEFLATED && !raw) level = ZIZHU_XLSX_LEVEL;
    return open(file, filename, zipfi, extrafield_local, size_extrafield_local, extrafield_global,
                size_extrafield_global, comment, method, level, raw, windowBits, memLevel, strategy,
                password, crcForCrypting, versionMadeBy, flagBase, zip64);
}

int zizhu_xlsx_deflate_level(void) {
    return ZIZHU_XLSX_LEVEL;
}
