/* SPDX-License-Identifier: MIT */
#ifndef WHOSAID_LIMITS_H
#define WHOSAID_LIMITS_H

/* Every limit of the program, named in one place. Exceeding one gives
 * ERR_LIMIT for that record (or that model), never a crash or a hang. */

/* Largest input record (one msgpack item, or one JSON line), in bytes. */
#define REC_MAX_BYTES (64u << 20)
/* Largest `text` of a record, in bytes (offsets are uint32_t). */
#define REC_MAX_TEXT_BYTES (32u << 20)
/* Most bytes one record's arena may hold (all stages together). */
#define REC_ARENA_CAP (1024u << 20)
/* Largest nesting depth of a record, counting its own map as 1: the
 * fixed stack of msgpack-c's decoder (MSGPACK_EMBED_STACK_SIZE) holds 32. */
#define REC_MAX_DEPTH 32
/* Largest output record that `whosaid dump` reads, in bytes (output
 * records hold the input record and can be larger, with --emit most). */
#define REC_MAX_OUT_BYTES (1024u << 20)
/* Per-record buffers larger than this are freed after their record, so one
 * huge record does not keep its memory in every slot of the queue. */
#define REC_KEEP_BUF_BYTES (1u << 20)
/* Records in flight between reader, workers and writer, per worker. */
#define POOL_SLOTS_PER_WORKER 16
/* Most worker threads. */
#define POOL_MAX_WORKERS 256
/* Most tokens in one gazetteer phrase. */
#define GAZ_MAX_PHRASE_TOKENS 8
/* Most bytes in one normalized gazetteer key. */
#define GAZ_MAX_KEY_BYTES 256
/* Largest model file accepted, in bytes. */
#define MODEL_MAX_BYTES (1024ull << 20)
/* Longest quote content, in bytes: real speech, even a statement quoted
 * over many paragraphs, stays far below; longer content is a runaway
 * quotation mark, and the quote stage drops that attribution. */
#define QUOTE_MAX_BYTES (64u << 10)
/* Most tokens one sentence may hold before it is cut. */
#define SENT_MAX_TOKENS 4096
/* How far the tokenizer looks ahead for the parts of an e-mail address
 * (local part, domain), a bare domain, and the segments of a dotted
 * abbreviation; past them the text is not one, which keeps tok_scan linear. */
#define TOK_MAX_MAIL_LOCAL 64
#define TOK_MAX_DOMAIN 253
#define TOK_MAX_ABBR_SEGMENTS 8

#endif
