/* ISA-L (igzip) inflate behind a small door, loaded with dlopen so that zizhu has no link
   dependency on it: a machine without libisal.so.2 inflates with zlib (ZizhuIO decides).

   Why the care at a gzip member's end: zizhu reads gzip files holding several members and checks
   what follows the last one (zero padding or garbage), so it must know exactly where a member
   ends. ISA-L, checking a trailer (ISAL_GZIP_NO_HDR_VER), reads its 8 bytes either from its bit
   buffer (read_in) or from the input, and in both cases stops right after it: no whole byte is
   left in the bit buffer at ISAL_BLOCK_FINISH (igzip_inflate.c, check_gzip_checksum). That is
   asserted here, and a member whose end cannot be placed is reported as an error, not guessed. */
#define _GNU_SOURCE
#include "zizhu_isal.h"
#include <dlfcn.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#if defined(__has_include)
#if __has_include(<isa-l/igzip_lib.h>)
#include <isa-l/igzip_lib.h>
#define ZIZHU_HAVE_ISAL_HEADER 1
#endif
#endif

#ifdef ZIZHU_HAVE_ISAL_HEADER

typedef void (*inflate_init_fn)(struct inflate_state *);
typedef void (*inflate_reset_fn)(struct inflate_state *);
typedef int (*inflate_fn)(struct inflate_state *);
typedef uint32_t (*crc32_fn)(uint32_t, const unsigned char *, uint64_t);

static struct {
    inflate_init_fn init;
    inflate_reset_fn reset;
    inflate_fn inflate;
    crc32_fn crc32;
    int ready;
} isal;

static pthread_once_t isal_once = PTHREAD_ONCE_INIT;

static void load_isal(void) {
    const char *choice = getenv("ZIZHU_INFLATE");
    if (choice != NULL && strcmp(choice, "zlib") == 0) return;
    void *library = dlopen("libisal.so.2", RTLD_NOW | RTLD_LOCAL);
    if (library == NULL) return;
    isal.init = (inflate_init_fn)dlsym(library, "isal_inflate_init");
    isal.reset = (inflate_reset_fn)dlsym(library, "isal_inflate_reset");
    isal.inflate = (inflate_fn)dlsym(library, "isal_inflate");
    isal.crc32 = (crc32_fn)dlsym(library, "crc32_gzip_refl");
    isal.ready = isal.init != NULL && isal.reset != NULL && isal.inflate != NULL && isal.crc32 != NULL;
}

int zizhu_isal_available(void) {
    pthread_once(&isal_once, load_isal);
    return isal.ready;
}

/* Where a gzip member's header stands: ISA-L's own header reader forgets the header's flags when
   the header is split across calls (isal_inflate keeps them in a local), so zizhu reads the
   header itself (RFC 1952: 10 bytes, then FEXTRA, FNAME, FCOMMENT, FHCRC as flagged) and gives
   ISA-L the deflate data followed by the trailer (ISAL_GZIP_NO_HDR_VER checks CRC and length). */
enum header_step { H_BASE, H_EXTRA_LEN, H_EXTRA, H_NAME, H_COMMENT, H_HCRC, H_DONE };

enum { FLAG_HCRC = 0x02, FLAG_EXTRA = 0x04, FLAG_NAME = 0x08, FLAG_COMMENT = 0x10, FLAG_RESERVED = 0xe0 };

struct zizhu_isal_inflater {
    struct inflate_state state;
    int wrapper;
    enum header_step step;
    uint8_t base[10];
    uint32_t have;      /* bytes of the current fixed-size header field read so far */
    uint32_t extra_left;
    uint8_t flags;
    uint32_t header_crc; /* CRC-32 of the header bytes read so far (FHCRC checks its low half) */
    uint32_t stored_hcrc;
};

static void configure(zizhu_isal_inflater *inflater) {
    inflater->state.crc_flag = inflater->wrapper == ZIZHU_ISAL_GZIP ? ISAL_GZIP_NO_HDR_VER : ISAL_DEFLATE;
    inflater->state.hist_bits = 0;
    inflater->step = inflater->wrapper == ZIZHU_ISAL_GZIP ? H_BASE : H_DONE;
    inflater->have = 0;
    inflater->extra_left = 0;
    inflater->flags = 0;
    inflater->header_crc = 0;
    inflater->stored_hcrc = 0;
}

zizhu_isal_inflater *zizhu_isal_new(int wrapper) {
    if (!zizhu_isal_available()) return NULL;
    zizhu_isal_inflater *inflater = malloc(sizeof(zizhu_isal_inflater));
    if (inflater == NULL) return NULL;
    isal.init(&inflater->state);
    inflater->wrapper = wrapper;
    configure(inflater);
    return inflater;
}

void zizhu_isal_free(zizhu_isal_inflater *inflater) {
    free(inflater);
}

void zizhu_isal_reset(zizhu_isal_inflater *inflater) {
    isal.reset(&inflater->state);
    configure(inflater);
}

/* Reads as much of the gzip header as `in` holds. Returns 0 (go on: header done, or all input
   used) or a negative ISA-L code for a bad header. */
static int read_header(zizhu_isal_inflater *h, const uint8_t *in, size_t in_len, size_t *used) {
    size_t at = 0;
    while (h->step != H_DONE && at < in_len) {
        const uint8_t *from = in + at;
        size_t left = in_len - at;
        size_t take = 0;
        switch (h->step) {
        case H_BASE:
            take = 10 - h->have < left ? 10 - h->have : left;
            memcpy(h->base + h->have, from, take);
            h->have += (uint32_t)take;
            /* Judged as zlib judges them, two bytes at a time (magic, then method and flags):
               "junk" after a member is refused at once, not taken for a header still to come,
               and a cut header is a truncated file with either engine. */
            if (h->have >= 2 && (h->base[0] != 0x1f || h->base[1] != 0x8b)) return ISAL_INVALID_WRAPPER;
            if (h->have >= 4 && h->base[2] != 8) return ISAL_UNSUPPORTED_METHOD;
            if (h->have >= 4 && (h->base[3] & FLAG_RESERVED)) return ISAL_INVALID_WRAPPER;
            if (h->have == 10) {
                h->flags = h->base[3];
                h->have = 0;
                h->step = H_EXTRA_LEN;
            }
            break;
        case H_EXTRA_LEN:
            if (!(h->flags & FLAG_EXTRA)) { h->step = H_NAME; continue; }
            take = 2 - h->have < left ? 2 - h->have : left;
            for (size_t k = 0; k < take; k++) h->extra_left |= (uint32_t)from[k] << (8 * (h->have + k));
            h->have += (uint32_t)take;
            if (h->have == 2) { h->have = 0; h->step = H_EXTRA; }
            break;
        case H_EXTRA:
            take = h->extra_left < left ? h->extra_left : left;
            h->extra_left -= (uint32_t)take;
            if (h->extra_left == 0) h->step = H_NAME;
            break;
        case H_NAME:
        case H_COMMENT: {
            int flag = h->step == H_NAME ? FLAG_NAME : FLAG_COMMENT;
            if (!(h->flags & flag)) { h->step = h->step == H_NAME ? H_COMMENT : H_HCRC; continue; }
            const uint8_t *zero = memchr(from, 0, left);
            take = zero == NULL ? left : (size_t)(zero - from) + 1;
            if (zero != NULL) h->step = h->step == H_NAME ? H_COMMENT : H_HCRC;
            break;
        }
        case H_HCRC:
            if (!(h->flags & FLAG_HCRC)) { h->step = H_DONE; continue; }
            take = 2 - h->have < left ? 2 - h->have : left;
            for (size_t k = 0; k < take; k++) h->stored_hcrc |= (uint32_t)from[k] << (8 * (h->have + k));
            h->have += (uint32_t)take;
            if (h->have == 2) {
                /* The header's CRC covers every header byte before it (its low 16 bits). */
                if ((h->header_crc & 0xffff) != h->stored_hcrc) return ISAL_INCORRECT_CHECKSUM;
                h->step = H_DONE;
            }
            at += take;
            continue;
        case H_DONE:
            break;
        }
        if (take > 0) h->header_crc = isal.crc32(h->header_crc, from, take);
        at += take;
    }
    *used = at;
    return 0;
}

int zizhu_isal_inflate(zizhu_isal_inflater *inflater, const uint8_t *in, size_t in_len, size_t *consumed,
                       uint8_t *out, size_t out_len, size_t *produced) {
    struct inflate_state *state = &inflater->state;
    *produced = 0;
    *consumed = 0;
    if (inflater->step != H_DONE) {
        size_t used = 0;
        int status = read_header(inflater, in, in_len, &used);
        *consumed = used;
        if (status < 0) return status;
        if (inflater->step != H_DONE) return ZIZHU_ISAL_MORE;
        in += used;
        in_len -= used;
    }
    size_t header = *consumed;
    if (in_len > UINT32_MAX) in_len = UINT32_MAX;
    if (out_len > UINT32_MAX) out_len = UINT32_MAX;
    state->next_in = (uint8_t *)in;
    state->avail_in = (uint32_t)in_len;
    state->next_out = out;
    state->avail_out = (uint32_t)out_len;
    int status = isal.inflate(state);
    size_t used = in_len - state->avail_in;
    *produced = out_len - state->avail_out;
    state->next_in = NULL;
    state->avail_in = 0;
    *consumed = header + used;
    if (status < 0) return status;
    if (state->block_state != ISAL_BLOCK_FINISH) return ZIZHU_ISAL_MORE;
    if (inflater->wrapper == ZIZHU_ISAL_GZIP) {
        /* The trailer came out of the bit buffer or the input: no whole byte past the member is
           held in the bit buffer (fewer than 8 bits left are the last deflate byte's padding). */
        if (state->read_in_length >= 8) return ISAL_INVALID_WRAPPER;
    } else {
        /* Raw deflate: whole bytes left in the bit buffer were read past the stream's end. */
        size_t ahead = (size_t)(state->read_in_length > 0 ? state->read_in_length / 8 : 0);
        *consumed = header + (ahead > used ? 0 : used - ahead);
    }
    return ZIZHU_ISAL_END;
}

int zizhu_isal_crc32_update(uint32_t previous, const uint8_t *bytes, size_t count, uint32_t *result) {
    if (!zizhu_isal_available()) return 0;
    *result = isal.crc32(previous, bytes, (uint64_t)count);
    return 1;
}

const char *zizhu_isal_message(int code) {
    switch (code) {
    case ISAL_INVALID_BLOCK: return "invalid block type";
    case ISAL_INVALID_SYMBOL: return "invalid code";
    case ISAL_INVALID_LOOKBACK: return "invalid distance too far back";
    case ISAL_INVALID_WRAPPER: return "incorrect header check";
    case ISAL_UNSUPPORTED_METHOD: return "unknown compression method";
    case ISAL_INCORRECT_CHECKSUM: return "incorrect data check";
    case ISAL_NEED_DICT: return "need dictionary";
    default: return "invalid compressed data";
    }
}

#else /* no ISA-L header at build time: zlib does all the work */

int zizhu_isal_available(void) { return 0; }
zizhu_isal_inflater *zizhu_isal_new(int wrapper) { (void)wrapper; return NULL; }
void zizhu_isal_free(zizhu_isal_inflater *inflater) { (void)inflater; }
void zizhu_isal_reset(zizhu_isal_inflater *inflater) { (void)inflater; }
int zizhu_isal_inflate(zizhu_isal_inflater *inflater, const uint8_t *in, size_t in_len, size_t *consumed,
                       uint8_t *out, size_t out_len, size_t *produced) {
    (void)inflater; (void)in; (void)in_len; (void)out; (void)out_len;
    *consumed = 0;
    *produced = 0;
    return -1;
}
int zizhu_isal_crc32_update(uint32_t previous, const uint8_t *bytes, size_t count, uint32_t *result) {
    (void)previous; (void)bytes; (void)count; (void)result;
    return 0;
}
const char *zizhu_isal_message(int code) { (void)code; return "invalid compressed data"; }

#endif
