/* SPDX-License-Identifier: MIT */
#ifndef WHOSAID_QUOTE_H
#define WHOSAID_QUOTE_H

/* The quote stage: finds attributions (direct, mixed and indirect), with
 * their content, cue, speaker (as written, resolved to an entity where
 * possible) and the day the words were said. Its lexicons (reporting
 * verbs, ...) and learned weights live in the model's QUOT sections. */

#include <stdint.h>

#include "../pipeline/arena.h"
#include "../pipeline/err.h"
#include "../pipeline/model.h"
#include "gaz.h"
#include "sent.h"
#include "tok.h"

typedef enum { QUOTE_DIRECT = 0, QUOTE_MIXED, QUOTE_INDIRECT } quote_kind;

typedef struct {
	uint32_t off, len; /* content: byte span, quotation marks excluded */
	uint8_t kind;      /* quote_kind */
	uint8_t has_speaker, has_cue, has_when;
	uint32_t sentence; /* index of the sentence where the content starts */
	uint32_t spk_off, spk_len; /* speaker mention as written */
	int32_t spk_entity;        /* index into the gaz_list it resolves to, or -1 */
	uint32_t cue_off, cue_len; /* cue span */
	const char *cue_lemma;     /* NUL-terminated, static or in the model */
	uint16_t when_y;           /* when: year, month, day */
	uint8_t when_m, when_d;
} quote_attr;

typedef struct {
	quote_attr *v;
	uint32_t n;
} quote_list;

typedef struct quote_model quote_model;

/* Validates the model's quote sections; m must outlive the handle. */
MUST_CHECK err quote_open(const model *m, quote_model **out, err_info *ei);
void quote_close(quote_model *q);

/* Attributes the quotes of one record. date/date_len is the record's
 * ISO 8601 date, or NULL. out->v lives in arena a until its next reset.
 * Returns ERR_NOMEM or ERR_LIMIT. */
MUST_CHECK err quote_attribute(const quote_model *q, const char *text, const tok_list *t,
			       const sent_list *s, const gaz_list *g, const char *date,
			       uint32_t date_len, arena *a, quote_list *out);

const char *quote_kind_name(quote_kind k);

/* Builds the quote sections from the lists in src_dir into w
 * (models/build_quote.c). */
MUST_CHECK err quote_build(const char *src_dir, model_writer *w, err_info *ei);

#endif
