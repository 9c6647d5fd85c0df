/* SPDX-License-Identifier: MIT */
#ifndef WHOSAID_REC_H
#define WHOSAID_REC_H

/* Record I/O: the only code that knows msgpack and JSON.
 *
 * Reading has two steps. rec_read() frames the next record of a stream (one
 * msgpack item, or one JSON line) without decoding it; it never holds more
 * than REC_MAX_BYTES of one record, so an oversize record (a giant length
 * prefix included) is skipped as it streams by and reported. rec_decode()
 * then turns the framed bytes into a msgpack_object tree whose strings point
 * into the bytes (JSON lines are converted to msgpack first), so every later
 * step sees one representation whatever the input format. */

#include <stdint.h>
#include <stdio.h>

#include <msgpack.h>

#include "err.h"

typedef enum { REC_FMT_NONE = 0, REC_FMT_MPK, REC_FMT_JSONL } rec_format;

/* One framed record. When e != ERR_OK the reader could not frame it (too
 * large, truncated, not msgpack); msg then says why and buf/len are empty. */
typedef struct {
	const char *buf; /* the record's bytes: a msgpack item or a JSON line */
	size_t len;
	rec_format fmt;
	err e;
	uint64_t line;   /* JSON: 1-based line number in its file; msgpack: 0 */
	uint64_t offset; /* byte offset of the record in its file */
	char msg[200];
} rec_raw;

typedef struct rec_reader rec_reader;

/* Opens path for reading (NULL or "-" is standard input). Returns ERR_IO
 * with detail in ei when it cannot be opened. */
MUST_CHECK err rec_reader_open(const char *path, rec_reader **out, err_info *ei);
/* A reader over caller-owned memory that outlives it (tests, fuzzing). */
MUST_CHECK err rec_reader_open_mem(const void *buf, size_t len, rec_reader **out);
void rec_reader_close(rec_reader *r);
/* Sets the largest record the reader frames (default REC_MAX_BYTES). */
void rec_reader_set_limit(rec_reader *r, uint64_t max_bytes);
/* The format of the stream, from its first non-blank byte; REC_FMT_NONE
 * before the first rec_read or for an empty stream. */
rec_format rec_reader_format(const rec_reader *r);

/* Frames the next record into *out; out->buf lives until the next call.
 * Sets *got to 0 at the end of the stream. Framing problems come back in
 * out->e (the stream goes on when it can); the return value is ERR_IO (a
 * read failed, detail in ei) or ERR_NOMEM. */
MUST_CHECK err rec_read(rec_reader *r, rec_raw *out, int *got, err_info *ei);

/* Per-thread decoding state: a msgpack zone and a scratch buffer. */
typedef struct {
	msgpack_zone zone;
	msgpack_sbuffer conv; /* JSON lines converted to msgpack */
	msgpack_sbuffer fix;  /* a JSON line with invalid UTF-8 replaced */
	msgpack_sbuffer tmp;  /* sanitized strings on their way into JSON */
	msgpack_sbuffer jcnt; /* JSON fast path: element counts of containers */
	msgpack_sbuffer jstr; /* JSON fast path: a string with escapes, decoded */
} rec_scratch;

void rec_scratch_init(rec_scratch *s);
void rec_scratch_fini(rec_scratch *s);

enum {
	REC_WARN_BAD_UTF8 = 1u << 0, /* the text (or, for JSON, the line) holds invalid UTF-8 */
};

/* A decoded record. Everything points into the raw bytes or the scratch;
 * it lives until the next rec_decode with the same scratch. */
typedef struct {
	msgpack_object root;      /* the whole item */
	const msgpack_object *id; /* NULL when the map has no id */
	const char *text;         /* NULL when text is missing or not a string */
	uint32_t text_len;
	const char *date; /* NULL when date is missing or not a string */
	uint32_t date_len;
	unsigned warn; /* REC_WARN_* */
	/* The record's msgpack bytes, and where each top-level entry (key and
	 * value) starts in them: entry i is raw[kv_off[i], kv_off[i + 1]), so
	 * that input entries can be copied to the output byte for byte. */
	const char *raw;
	const uint32_t *kv_off;
} rec_in;

/* Decodes raw (which must have e == ERR_OK) into *out. Returns ERR_BADREC
 * for a broken JSON line or msgpack item, a record that is not a map, or
 * one nested deeper than REC_MAX_DEPTH; ERR_NOMEM; detail in ei. A map
 * without text is not an error here: out->text is NULL. */
MUST_CHECK err rec_decode(const rec_raw *raw, rec_scratch *s, rec_in *out, err_info *ei);

/* Converts one JSON text (a line) to one msgpack item appended to sb, keys
 * in input order. Sets *bad_utf8 when invalid UTF-8 had to be replaced by
 * U+FFFD to parse it. Returns ERR_BADREC (detail in ei) or ERR_NOMEM. */
MUST_CHECK err rec_json_to_mpk(const char *line, size_t len, rec_scratch *s, msgpack_sbuffer *sb,
			       int *bad_utf8, err_info *ei);
/* The same through jansson alone. rec_json_to_mpk converts well-formed
 * lines itself, many times faster, and hands everything else (errors,
 * invalid UTF-8, duplicate keys, escaped keys, out-of-range numbers, deep
 * nesting) to this one; for every line both give the same bytes. Exposed
 * so that tests and fuzzing can check that. */
MUST_CHECK err rec_json_to_mpk_ref(const char *line, size_t len, rec_scratch *s,
				   msgpack_sbuffer *sb, int *bad_utf8, err_info *ei);

/* Appends o as one line of compact JSON (keys in map order, then "\n") to
 * sb. Strings that are not valid UTF-8 show U+FFFD for each bad byte.
 * Returns ERR_NOMEM or ERR_LIMIT (nested deeper than REC_MAX_DEPTH). */
MUST_CHECK err rec_write_json(const msgpack_object *o, msgpack_sbuffer *sb);
/* The same through jansson alone. rec_write_json writes the values output
 * records are made of itself, many times faster, and hands the rest
 * (reals, binary, non-string or repeated keys, invalid UTF-8, deep
 * nesting) to this one; both give the same bytes. Exposed for tests. */
MUST_CHECK err rec_write_json_ref(const msgpack_object *o, msgpack_sbuffer *sb);

/* What a value of type t is, for messages: "a string", "an array", ... */
const char *rec_type_name(msgpack_object_type t);

/* The value of key in map m (a str key), or NULL. */
const msgpack_object *rec_map_get(const msgpack_object *m, const char *key);

/* UTF-8 helpers. utf8_valid_prefix returns the length of the longest valid
 * prefix (len when all of s is valid). utf8_sanitize appends s to sb with
 * every invalid byte replaced by U+FFFD and returns ERR_NOMEM on failure. */
size_t utf8_valid_prefix(const char *s, size_t len);
MUST_CHECK err utf8_sanitize(const char *s, size_t len, msgpack_sbuffer *sb);

#endif
