/* SPDX-License-Identifier: MIT */
#ifndef WHOSAID_MODEL_H
#define WHOSAID_MODEL_H

/* The model container: one versioned binary file that holds every stage's
 * compiled lists as sections. Layout (little-endian by definition, offsets
 * only, no pointers): a model_header, then n_sections model_section
 * entries, then 8-byte-aligned section bodies. model_open maps the file
 * read-only and checks magic, version, endian mark, file length and every
 * section's bounds and alignment before anything reads it. Each stage then
 * validates its own sections in its own open function. */

#include <stddef.h>
#include <stdint.h>

#include "err.h"

#define MODEL_MAGIC "WSDM"
#define MODEL_VERSION 1u
#define MODEL_ENDIAN_MARK 0x01020304u

/* Section ids: four ASCII bytes read as a little-endian uint32. */
#define MODEL_TAG(a, b, c, d) \
	((uint32_t)(a) | (uint32_t)(b) << 8 | (uint32_t)(c) << 16 | (uint32_t)(d) << 24)

typedef struct {
	char magic[4];
	uint32_t version, endian_mark, n_sections;
	uint64_t file_len;
} model_header;

typedef struct {
	uint32_t tag, pad;
	uint64_t off, len;
} model_section;

typedef struct model model;

/* Maps path read-only and validates the container; *out is closed with
 * model_close. Returns ERR_MODEL (detail in ei) or ERR_IO. */
MUST_CHECK err model_open(const char *path, model **out, err_info *ei);
/* The same over caller-owned memory that outlives the model (tests, fuzz). */
MUST_CHECK err model_open_mem(const void *buf, size_t len, model **out, err_info *ei);
void model_close(model *m);

/* Finds section tag; *p and *len point into the mapped file. Returns
 * ERR_MODEL when the model has no such section. */
MUST_CHECK err model_section_get(const model *m, uint32_t tag, const void **p, uint64_t *len);
/* The whole mapped file, for reports. */
size_t model_size(const model *m);

/* Building: sections are collected in memory, then written at once. */
typedef struct model_writer model_writer;
MUST_CHECK err model_writer_open(model_writer **out);
/* Copies len bytes of body as section tag. */
MUST_CHECK err model_writer_add(model_writer *w, uint32_t tag, const void *body, size_t len);
/* Writes the container to path (through a temporary file and rename). */
MUST_CHECK err model_writer_save(model_writer *w, const char *path, err_info *ei);
/* The container as one malloc'd buffer (for tests); caller frees *buf. */
MUST_CHECK err model_writer_bytes(model_writer *w, void **buf, size_t *len);
void model_writer_close(model_writer *w);

#endif
