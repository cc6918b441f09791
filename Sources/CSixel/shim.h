#ifndef PORTRAIT_CSIXEL_SHIM_H
#define PORTRAIT_CSIXEL_SHIM_H
#include <sixel.h>
#include <stdlib.h>
#include <string.h>

/* A growable byte buffer that libsixel's write callback appends to. */
typedef struct {
    unsigned char *bytes;
    size_t count;
    size_t capacity;
    int failed;
} portrait_sixel_buffer;

static inline int portrait_sixel_append(char *data, int size, void *priv) {
    portrait_sixel_buffer *b = (portrait_sixel_buffer *)priv;
    if (b->failed || size < 0) return -1;
    if (b->count + (size_t)size > b->capacity) {
        size_t capacity = b->capacity ? b->capacity : 65536;
        while (capacity < b->count + (size_t)size) capacity *= 2;
        unsigned char *grown = (unsigned char *)realloc(b->bytes, capacity);
        if (!grown) { b->failed = 1; return -1; }
        b->bytes = grown;
        b->capacity = capacity;
    }
    memcpy(b->bytes + b->count, data, (size_t)size);
    b->count += (size_t)size;
    return size;
}

/* Encodes `width x height` packed RGB888 pixels as one sixel image (DCS ... ST) with at most `colors`
   palette entries and Floyd-Steinberg-free positional dithering (stable between frames).
   On success returns 0 and a malloc'ed buffer in *out / *count (free with portrait_sixel_free);
   otherwise a libsixel status (or -1 when out of memory) and nothing to free. */
static inline int portrait_sixel_encode(const unsigned char *rgb, int width, int height, int colors,
                                        unsigned char **out, size_t *count) {
    portrait_sixel_buffer buffer = {0, 0, 0, 0};
    sixel_output_t *output = NULL;
    sixel_dither_t *dither = NULL;
    *out = NULL;
    *count = 0;
    size_t bytes = (size_t)width * (size_t)height * 3;
    unsigned char *pixels = (unsigned char *)malloc(bytes ? bytes : 1);
    if (!pixels) return -1;
    memcpy(pixels, rgb, bytes);
    SIXELSTATUS status = sixel_output_new(&output, portrait_sixel_append, &buffer, NULL);
    if (SIXEL_SUCCEEDED(status)) status = sixel_dither_new(&dither, colors, NULL);
    if (SIXEL_SUCCEEDED(status))
        status = sixel_dither_initialize(dither, pixels, width, height, SIXEL_PIXELFORMAT_RGB888,
                                         SIXEL_LARGE_AUTO, SIXEL_REP_AUTO, SIXEL_QUALITY_AUTO);
    if (SIXEL_SUCCEEDED(status)) {
        sixel_dither_set_diffusion_type(dither, SIXEL_DIFFUSE_A_DITHER);
        status = sixel_encode(pixels, width, height, 3, dither, output);
    }
    if (dither) sixel_dither_unref(dither);
    if (output) sixel_output_unref(output);
    free(pixels);
    if (!SIXEL_SUCCEEDED(status) || buffer.failed) {
        free(buffer.bytes);
        return SIXEL_SUCCEEDED(status) ? -1 : (int)status;
    }
    *out = buffer.bytes;
    *count = buffer.count;
    return 0;
}

static inline void portrait_sixel_free(unsigned char *bytes) { free(bytes); }
#endif
