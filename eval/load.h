/* SPDX-License-Identifier: MIT */
#ifndef WHOSAID_EVAL_LOAD_H
#define WHOSAID_EVAL_LOAD_H

/* Reading the evaluation's JSON Lines files (gold and predictions) into the
 * plain structs of score.h, one line at a time on jansson, so that no file
 * is ever held whole as a JSON tree. Missing or mistyped fields never fail
 * a load: they make the item absent (a quote without offsets is dropped,
 * a speaker without offsets keeps only its name). */

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "score.h"

/* Calls fn on every JSON object of the file at path, in order; a line
 * that is blank is skipped; a line that is not a JSON object is counted in
 * *bad and reported on stderr. The object is freed after fn returns. fn
 * returns false to stop (out of memory). Returns false when the file
 * cannot be read or fn stopped. */
typedef bool (*load_fn)(json_t *rec, uint64_t line, void *ctx);
bool load_jsonl(const char *path, load_fn fn, void *ctx, uint64_t *bad);

/* A PolNeAR gold document: text and attributions. */
typedef struct {
	char *id, *text;
	char *outlet; /* the record's `source` (news outlet), else the id's
		       * prefix before '_' */
	uint32_t len;
	score_gold *gold;
	uint32_t ngold;
	score_span *spans; /* storage the gold items point into */
} load_gold_doc;

/* A prediction record: the pipeline's quotes and entities. */
typedef struct {
	char *id;
	score_quote *q;
	uint32_t nq;
	score_entity *e;
	uint32_t ne;
	bool error;    /* the record carries an `error` */
	uint64_t line; /* line number in its file */
} load_pred_doc;

typedef struct {
	load_gold_doc *v;
	uint32_t n, cap;
} load_gold_set;

typedef struct {
	load_pred_doc *v;
	uint32_t n, cap;
	uint64_t no_id, dup_id;
} load_pred_set;

/* Loads a PolNeAR gold file (records with id, text, gold). */
bool load_gold_file(const char *path, load_gold_set *out);
void load_gold_free(load_gold_set *s);

/* Loads a prediction file and sorts it by id for load_pred_find. */
bool load_pred_file(const char *path, load_pred_set *out);
void load_pred_free(load_pred_set *s);
const load_pred_doc *load_pred_find(const load_pred_set *s, const char *id);

/* Makes the spans of d consistent with a text of len bytes: quotes and
 * entities whose spans run outside it are dropped, speaker and cue spans
 * outside it are cleared. Returns the number of spans dropped. */
uint32_t load_pred_clip(load_pred_doc *d, uint32_t len);

/* Helpers on a JSON object: the string at key or NULL; the integer at key
 * (false when absent or not a non-negative integer fitting 32 bits). */
const char *load_str(const json_t *o, const char *key);
bool load_u32(const json_t *o, const char *key, uint32_t *out);

#endif
