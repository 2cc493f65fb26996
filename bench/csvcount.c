/*
 * csvcount: the libcsv reference for scripts/bench.sh.
 *
 * Parses a CSV file with libcsv and prints "records fields". Reads 1 MiB at a time into a
 * page-aligned buffer (what PERFORMANCE.md measured); a .gz file is read through zlib's gzread
 * with a 1 MiB buffer. With a second argument naming an encoding (GB18030), the bytes are first
 * converted to UTF-8 with iconv, as zizhu has to: the reference then does the same work.
 *
 *   cc -O2 -o csvcount csvcount.c -lcsv -lz
 */
#include <csv.h>
#include <errno.h>
#include <fcntl.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#define CHUNK (1 << 20)

static unsigned long long fields, records;

static void on_field(void *data, size_t len, void *user) { (void)data; (void)len; (void)user; fields++; }
static void on_record(int c, void *user) { (void)c; (void)user; records++; }

static void die(const char *what) {
    fprintf(stderr, "csvcount: %s: %s\n", what, errno ? strerror(errno) : "failed");
    exit(2);
}

int main(int argc, char **argv) {
    if (argc < 2) { fprintf(stderr, "usage: csvcount FILE [ENCODING]\n"); return 2; }
    const char *path = argv[1];
    const char *encoding = argc > 2 ? argv[2] : NULL;
    size_t len = strlen(path);
    int gz = len > 3 && strcmp(path + len - 3, ".gz") == 0;

    struct csv_parser parser;
    if (csv_init(&parser, 0) != 0) die("csv_init");
    char *buffer = NULL, *converted = NULL;
    if (posix_memalign((void **)&buffer, 4096, CHUNK) != 0) die("posix_memalign");
    size_t convertedSize = CHUNK * 2 + 16;
    if (encoding && posix_memalign((void **)&converted, 4096, convertedSize) != 0) die("posix_memalign");
    iconv_t cd = (iconv_t)-1;
    if (encoding) {
        cd = iconv_open("UTF-8", encoding);
        if (cd == (iconv_t)-1) die("iconv_open");
    }

    int fd = -1;
    gzFile gzf = NULL;
    if (gz) {
        gzf = gzopen(path, "rb");
        if (!gzf) die(path);
        gzbuffer(gzf, CHUNK);
    } else {
        fd = open(path, O_RDONLY);
        if (fd < 0) die(path);
    }
    size_t carry = 0; /* bytes of an incomplete multi-byte character kept for the next chunk */
    for (;;) {
        ssize_t n = gz ? gzread(gzf, buffer + carry, CHUNK - carry) : read(fd, buffer + carry, CHUNK - carry);
        if (n < 0) die("read");
        if (n == 0 && carry == 0) break;
        size_t have = carry + (size_t)n;
        const char *data = buffer;
        size_t dataLen = have;
        carry = 0;
        if (encoding) {
            char *in = buffer, *out = converted;
            size_t inLeft = have, outLeft = convertedSize;
            if (iconv(cd, &in, &inLeft, &out, &outLeft) == (size_t)-1) {
                if (errno != EINVAL || n == 0) die("iconv");
                memmove(buffer, in, inLeft); /* incomplete character at the chunk's end */
                carry = inLeft;
            }
            data = converted;
            dataLen = convertedSize - outLeft;
        }
        if (csv_parse(&parser, data, dataLen, on_field, on_record, NULL) != dataLen) {
            fprintf(stderr, "csvcount: %s\n", csv_strerror(csv_error(&parser)));
            return 1;
        }
        if (n == 0) break;
    }
    csv_fini(&parser, on_field, on_record, NULL);
    csv_free(&parser);
    if (gz) gzclose(gzf); else close(fd);
    printf("%llu %llu\n", records, fields);
    return 0;
}
