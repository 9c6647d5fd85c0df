/* SPDX-License-Identifier: MIT */
#ifndef WHOSAID_GAZ_H
#define WHOSAID_GAZ_H

/* The entity stage: tags gazetteer phrases (longest match first, lookup
 * cost independent of the number of entries), finds people and
 * organizations that are in no list, and links later mentions of the same
 * entity (coreference by name). The gazetteer lives in the model's GAZ
 * sections (built by models/build_gaz.c), read in place from the map. */

#include <stdint.h>

#include "../pipeline/arena.h"
#include "../pipeline/err.h"
#include "../pipeline/model.h"
#include "sent.h"
#include "tok.h"

typedef enum {
	GAZ_NONE = 0,
	GAZ_PER,
	GAZ_ORG,
	GAZ_LOC,
	GAZ_NORP,
	GAZ_MISC,
	GAZ_TYPE_COUNT
} gaz_type;

enum {
	GAZF_KNOWN = 1u << 0,  /* found in the gazetteer */
	GAZF_COREF = 1u << 1,  /* id and name taken from an earlier mention */
	GAZF_ROLE = 1u << 2,   /* a description or title ("the Russian president") */
	GAZF_FEMALE = 1u << 3, /* gender hint: female */
	GAZF_MALE = 1u << 4,   /* gender hint: male */
	GAZF_PLURAL = 1u << 5, /* plural ("Russians") */
};

typedef struct {
	uint32_t first, n; /* token range */
	uint32_t off, len; /* byte span in the text */
	uint8_t type;      /* gaz_type */
	uint8_t pad;
	uint16_t flags;       /* GAZF_* */
	int32_t ref;          /* index of the mention it corefers with, or -1: an earlier
			       * one, or a later full name for a name written before it */
	const char *id;       /* stable id, into the model; NULL when unknown */
	const char *name;     /* canonical name, into the model or the text */
	uint32_t id_len, name_len;
} gaz_mention;

typedef struct {
	gaz_mention *v;
	uint32_t n;
} gaz_list;

typedef struct gaz_model gaz_model;

/* Validates the model's gazetteer sections and returns a handle that reads
 * them in place; m must outlive it. Returns ERR_MODEL with detail in ei. */
MUST_CHECK err gaz_open(const model *m, gaz_model **out, err_info *ei);
void gaz_close(gaz_model *g);

/* Tags the entities of one record, in text order. out->v lives in arena a
 * until its next reset; id/name point into the model or the text. A NULL g
 * tags nothing. Returns ERR_NOMEM or ERR_LIMIT. */
MUST_CHECK err gaz_tag(const gaz_model *g, const char *text, const tok_list *t,
		       const sent_list *s, arena *a, gaz_list *out);

/* The same, with the record's date (ISO 8601, "2024-05-09...", or NULL):
 * role phrases ("the Russian president") resolve to the holder at that
 * date; gaz_tag resolves them to the latest holder. */
MUST_CHECK err gaz_tag_at(const gaz_model *g, const char *text, const tok_list *t,
			  const sent_list *s, const char *date, uint32_t date_len, arena *a,
			  gaz_list *out);

/* The name of a type ("PER"), for output. */
const char *gaz_type_name(gaz_type t);

/* Builds the gazetteer sections from the lists in src_dir into w
 * (models/build_gaz.c). Returns ERR_IO or ERR_MODEL with detail in ei. */
MUST_CHECK err gaz_build(const char *src_dir, model_writer *w, err_info *ei);

#endif
