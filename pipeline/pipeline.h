/* SPDX-License-Identifier: MIT */
#ifndef WHOSAID_PIPELINE_H
#define WHOSAID_PIPELINE_H

/* One record through the stages: decode, validate, tokenize, split
 * sentences, tag entities, attribute quotes, then encode the output record
 * (input keys first, in input order, then entities, quotes, tokens,
 * sentences, warnings, error). Every input record gives exactly one output
 * record, an error record when it cannot be processed. */

#include <stdint.h>

#include <msgpack.h>

#include "../stages/gaz.h"
#include "../stages/quote.h"
#include "arena.h"
#include "err.h"
#include "rec.h"

enum {
	PIPE_EMIT_TOKENS = 1u << 0,
	PIPE_EMIT_SENTENCES = 1u << 1,
};

/* Shared, read-only while records run. */
typedef struct {
	const gaz_model *gaz;     /* may be NULL: tags nothing */
	const quote_model *quote; /* may be NULL: attributes nothing */
	unsigned emit;            /* PIPE_EMIT_* */
	int strict;               /* invalid UTF-8 makes an error record */
	rec_format out_fmt;       /* REC_FMT_MPK or REC_FMT_JSONL */
	int timing;               /* time each step into pipe_result.ns (run --stats) */
} pipe_cfg;

/* The steps of one record that `run --stats` times. */
enum {
	PIPE_T_DECODE, /* the input record decoded (part of read/write) */
	PIPE_T_TOK,    /* tokenizer */
	PIPE_T_SENT,   /* sentence splitter */
	PIPE_T_GAZ,    /* entity tagger */
	PIPE_T_QUOTE,  /* quote attribution */
	PIPE_T_ENCODE, /* the output record packed (part of read/write) */
	PIPE_T_N
};

/* CLOCK_MONOTONIC in nanoseconds: a vDSO call, some 30 ns, so that timing
 * each step of each record costs well under 1% of the run. */
uint64_t pipe_clock_ns(void);

/* One per thread: its arena and buffers, reused record after record. */
typedef struct {
	arena a;
	rec_scratch s;
	msgpack_sbuffer mpk; /* the msgpack record, when the output is JSON */
} pipe_worker;

void pipe_worker_init(pipe_worker *w);
void pipe_worker_fini(pipe_worker *w);

/* What became of one record, for the writer's report on stderr. */
typedef struct {
	int failed; /* the output record carries `error` */
	int warned; /* the output record carries `warnings` */
	char note[1024]; /* one line for stderr (no newline), or "" */
	uint64_t text_len;      /* bytes of the record's text, 0 without one */
	uint64_t ns[PIPE_T_N];  /* time of each step, when cfg->timing */
} pipe_result;

/* Runs raw (record number pos in the input, counting from 0) through the
 * stages and appends its output record to out, in cfg->out_fmt. Only
 * out of memory while encoding can stop it: then it returns ERR_NOMEM and
 * out may end in a partial record, which the caller discards. */
MUST_CHECK err pipe_record(const pipe_cfg *cfg, pipe_worker *w, const rec_raw *raw, uint64_t pos,
			   msgpack_sbuffer *out, pipe_result *res);

/* Packs the output record of a record that failed before decoding: only
 * `error` {code, message, position, line (JSON only)}, after empty
 * `entities` and `quotes` when with_results. */
void pipe_error_record(msgpack_packer *pk, err e, const char *msg, uint64_t pos, uint64_t line,
		       int with_results);

#endif
