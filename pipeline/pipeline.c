/* SPDX-License-Identifier: MIT */
/* One record through the stages, and its output record. The output is
 * packed straight into the caller's buffer with msgpack_packer: input
 * entries are copied byte for byte from the input, in input order; stage
 * results are written from their spans, each text field copied once from
 * the input bytes. JSON output packs msgpack first and converts it, so both
 * formats hold the same record. A span that falls outside the text (a
 * stage bug) is dropped with the warning "bad_span" rather than written. */
#include "pipeline.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "../stages/sent.h"
#include "../stages/tok.h"
#include "limits.h"

void pipe_worker_init(pipe_worker *w)
{
	arena_init(&w->a, REC_ARENA_CAP);
	rec_scratch_init(&w->s);
	msgpack_sbuffer_init(&w->mpk);
}

void pipe_worker_fini(pipe_worker *w)
{
	arena_fini(&w->a);
	rec_scratch_fini(&w->s);
	msgpack_sbuffer_destroy(&w->mpk);
}

uint64_t pipe_clock_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* Adds the time since *t to res->ns[step] and moves *t to now, when
 * timing; otherwise costs one predictable branch. */
static void lap(const pipe_cfg *cfg, pipe_result *res, int step, uint64_t *t)
{
	if (!cfg->timing)
		return;
	uint64_t now = pipe_clock_ns();
	res->ns[step] += now - *t;
	*t = now;
}

/* WARN_SENT_CUT: a sentence reached SENT_MAX_TOKENS and the splitter cut
 * it (the record is processed; the warning says where a limit acted). */
enum { WARN_BAD_UTF8 = 1u << 0, WARN_BAD_SPAN = 1u << 1, WARN_SENT_CUT = 1u << 2 };

typedef struct {
	const char *text;
	uint32_t len;
	tok_list toks;
	sent_list sents;
	gaz_list ents;
	quote_list quotes;
	unsigned warn;
} stage_out;

/* The packer's sink: appends to sb and remembers a failed append, since
 * the msgpack_pack_* results are not checked one by one. */
typedef struct {
	msgpack_sbuffer *sb;
	int failed;
} sink;

/* Direct writes, for the entities and quotes that make most of a record:
 * sink_reserve makes room for a whole entity or quote once, then the w_*
 * calls write into it without checks or callbacks. They write the bytes
 * that msgpack-c's packer would (the smallest form of every header). */
static int sink_reserve(sink *k, size_t n)
{
	msgpack_sbuffer *sb = k->sb;
	if (n <= sb->alloc - sb->size)
		return 0;
	size_t cap = sb->alloc ? sb->alloc : 8192;
	while (cap - sb->size < n) {
		if (cap > SIZE_MAX / 2) {
			k->failed = 1;
			return -1;
		}
		cap *= 2;
	}
	char *d = realloc(sb->data, cap);
	if (!d) {
		k->failed = 1;
		return -1;
	}
	sb->data = d;
	sb->alloc = cap;
	return 0;
}

/* The w_* writes advance the cursor *d through room sink_reserve made;
 * the caller then sets the buffer's size from where *d stopped. */
static inline void w_byte(char **d, unsigned c)
{
	*(*d)++ = (char)c;
}

static inline void w_be(char **d, unsigned tag, uint32_t v, int bytes)
{
	char *p = *d;
	p[0] = (char)tag;
	for (int i = 0; i < bytes; i++)
		p[1 + i] = (char)(v >> (8 * (bytes - 1 - i)));
	*d = p + bytes + 1;
}

static inline void w_uint(char **d, uint32_t v)
{
	if (v < 128)
		w_byte(d, v);
	else if (v < 256)
		w_be(d, 0xcc, v, 1);
	else if (v < 65536)
		w_be(d, 0xcd, v, 2);
	else
		w_be(d, 0xce, v, 4);
}

static inline void w_map(char **d, uint32_t n)
{
	if (n < 16)
		w_byte(d, 0x80 | n);
	else if (n < 65536)
		w_be(d, 0xde, n, 2);
	else
		w_be(d, 0xdf, n, 4);
}

static inline void w_nil(char **d)
{
	w_byte(d, 0xc0);
}

static inline void w_str(char **d, const char *p, uint32_t n)
{
	if (n < 32)
		w_byte(d, 0xa0 | n);
	else if (n < 256)
		w_be(d, 0xd9, n, 1);
	else if (n < 65536)
		w_be(d, 0xda, n, 2);
	else
		w_be(d, 0xdb, n, 4);
	if (n) /* an empty string may come without a pointer */
		memcpy(*d, p, n);
	*d += n;
}

/* A key: a string literal of fewer than 32 bytes, copied with its
 * compile-time length. */
#define W_LIT(d, lit)                                                             \
	do {                                                                      \
		_Static_assert(sizeof(lit) - 1 < 32, "a key is a fixstr");        \
		w_byte((d), 0xa0u | (unsigned)(sizeof(lit) - 1));                 \
		memcpy(*(d), (lit), sizeof(lit) - 1);                             \
		*(d) += sizeof(lit) - 1;                                          \
	} while (0)

static inline void w_start_end(char **d, uint32_t off, uint32_t len)
{
	W_LIT(d, "start");
	w_uint(d, off);
	W_LIT(d, "end");
	w_uint(d, off + len);
}

static int span_ok(uint32_t off, uint32_t len, uint32_t text_len)
{
	return (uint64_t)off + len <= text_len;
}

static void pack_cstr(msgpack_packer *pk, const char *s)
{
	msgpack_pack_str_with_body(pk, s, strlen(s));
}

/* A string literal, its length known at compile time (keys, names). */
#define PACK_LIT(pk, lit) msgpack_pack_str_with_body((pk), (lit), sizeof(lit) - 1)

static int entity_ok(const stage_out *o, const gaz_mention *m)
{
	return span_ok(m->off, m->len, o->len);
}

static void pack_entity(sink *k, const stage_out *o, const gaz_mention *m)
{
	const char *type = gaz_type_name((gaz_type)m->type);
	uint32_t type_len = (uint32_t)strlen(type);
	if (sink_reserve(k, (size_t)128 + 2 * (size_t)m->len + type_len + m->id_len + m->name_len) != 0)
		return;
	char *d = k->sb->data + k->sb->size;
	w_map(&d, 6);
	w_start_end(&d, m->off, m->len);
	W_LIT(&d, "text");
	w_str(&d, o->text + m->off, m->len);
	W_LIT(&d, "type");
	w_str(&d, type, type_len);
	W_LIT(&d, "id");
	if (m->id)
		w_str(&d, m->id, m->id_len);
	else
		w_nil(&d);
	W_LIT(&d, "name");
	if (m->name)
		w_str(&d, m->name, m->name_len);
	else
		w_str(&d, o->text + m->off, m->len);
	k->sb->size = (size_t)(d - k->sb->data);
}

/* "YYYY-MM-DD" (what snprintf's "%04u-%02u-%02u" gives, without its cost:
 * it was 1% of a run) into d; returns the length. */
static size_t fmt_date(char d[16], unsigned y, unsigned m, unsigned day)
{
	if (y > 9999 || m > 99 || day > 99)
		return (size_t)snprintf(d, 16, "%04u-%02u-%02u", y % 100000u, m % 100u, day % 100u);
	d[0] = (char)('0' + y / 1000);
	d[1] = (char)('0' + y / 100 % 10);
	d[2] = (char)('0' + y / 10 % 10);
	d[3] = (char)('0' + y % 10);
	d[4] = '-';
	d[5] = (char)('0' + m / 10);
	d[6] = (char)('0' + m % 10);
	d[7] = '-';
	d[8] = (char)('0' + day / 10);
	d[9] = (char)('0' + day % 10);
	return 10;
}

static int quote_ok(const stage_out *o, const quote_attr *q)
{
	return span_ok(q->off, q->len, o->len);
}

static void pack_quote(sink *k, const stage_out *o, const quote_attr *q)
{
	const char *kind = quote_kind_name((quote_kind)q->kind);
	uint32_t kind_len = (uint32_t)strlen(kind);
	int spk = q->has_speaker && span_ok(q->spk_off, q->spk_len, o->len);
	const gaz_mention *m = NULL;
	if (spk && q->spk_entity >= 0 && (uint32_t)q->spk_entity < o->ents.n &&
	    entity_ok(o, &o->ents.v[q->spk_entity]))
		m = &o->ents.v[q->spk_entity];
	const char *type = m ? gaz_type_name((gaz_type)m->type) : NULL;
	uint32_t type_len = type ? (uint32_t)strlen(type) : 0;
	int cue = q->has_cue && span_ok(q->cue_off, q->cue_len, o->len);
	uint32_t lemma_len = cue && q->cue_lemma ? (uint32_t)strlen(q->cue_lemma) : 0;
	size_t need = (size_t)256 + q->len + kind_len + 2 * (size_t)q->spk_len + type_len +
		      (m ? (size_t)m->name_len + m->id_len + m->len : 0) + (size_t)q->cue_len + lemma_len;
	if (sink_reserve(k, need) != 0)
		return;
	char *d = k->sb->data + k->sb->size;
	w_map(&d, 8);
	w_start_end(&d, q->off, q->len);
	W_LIT(&d, "text");
	w_str(&d, o->text + q->off, q->len);
	W_LIT(&d, "kind");
	w_str(&d, kind, kind_len);
	W_LIT(&d, "speaker");
	if (spk) {
		w_map(&d, 6);
		w_start_end(&d, q->spk_off, q->spk_len);
		W_LIT(&d, "text");
		w_str(&d, o->text + q->spk_off, q->spk_len);
		W_LIT(&d, "name");
		if (m && m->name)
			w_str(&d, m->name, m->name_len);
		else if (m)
			w_str(&d, o->text + m->off, m->len);
		else
			w_str(&d, o->text + q->spk_off, q->spk_len);
		W_LIT(&d, "id");
		if (m && m->id)
			w_str(&d, m->id, m->id_len);
		else
			w_nil(&d);
		W_LIT(&d, "type");
		if (m)
			w_str(&d, type, type_len);
		else
			w_nil(&d);
	} else {
		w_nil(&d);
	}
	W_LIT(&d, "cue");
	if (cue) {
		w_map(&d, 4);
		w_start_end(&d, q->cue_off, q->cue_len);
		W_LIT(&d, "text");
		w_str(&d, o->text + q->cue_off, q->cue_len);
		W_LIT(&d, "lemma");
		if (q->cue_lemma)
			w_str(&d, q->cue_lemma, lemma_len);
		else
			w_nil(&d);
	} else {
		w_nil(&d);
	}
	W_LIT(&d, "when");
	if (q->has_when) {
		char date[16];
		w_str(&d, date, (uint32_t)fmt_date(date, q->when_y, q->when_m, q->when_d));
	} else {
		w_nil(&d);
	}
	W_LIT(&d, "sentence");
	w_uint(&d, q->sentence);
	k->sb->size = (size_t)(d - k->sb->data);
}

/* The array header msgpack-c's packer writes for n elements. */
static inline void w_array(char **d, uint32_t n)
{
	if (n < 16)
		w_byte(d, 0x90 | n);
	else if (n < 65536)
		w_be(d, 0xdc, n, 2);
	else
		w_be(d, 0xdd, n, 4);
}

/* [[start, end], ...] of the n spans (off, len) of v, those inside the text
 * only; stride is the size of one element of v. */
static void pack_spans(sink *k, const stage_out *o, const void *v, uint32_t n, size_t stride,
		       size_t off_at, size_t len_at)
{
	const unsigned char *b = v;
	uint32_t ok = 0;
	for (uint32_t i = 0; i < n; i++) {
		uint32_t off, len;
		memcpy(&off, b + (size_t)i * stride + off_at, 4);
		memcpy(&len, b + (size_t)i * stride + len_at, 4);
		ok += (uint32_t)span_ok(off, len, o->len);
	}
	/* 5 bytes of header, then at most 1 + 5 + 5 per span */
	if (sink_reserve(k, 5 + (size_t)ok * 11) != 0)
		return;
	char *d = k->sb->data + k->sb->size;
	w_array(&d, ok);
	for (uint32_t i = 0; i < n; i++) {
		uint32_t off, len;
		memcpy(&off, b + (size_t)i * stride + off_at, 4);
		memcpy(&len, b + (size_t)i * stride + len_at, 4);
		if (!span_ok(off, len, o->len))
			continue;
		w_byte(&d, 0x92);
		w_uint(&d, off);
		w_uint(&d, off + len);
	}
	k->sb->size = (size_t)(d - k->sb->data);
}

static void pack_spans_tok(sink *k, const stage_out *o)
{
	pack_spans(k, o, o->toks.v, o->toks.n, sizeof(tok_token), offsetof(tok_token, off),
		   offsetof(tok_token, len));
}

static void pack_spans_sent(sink *k, const stage_out *o)
{
	pack_spans(k, o, o->sents.v, o->sents.n, sizeof(sent_sentence), offsetof(sent_sentence, off),
		   offsetof(sent_sentence, len));
}

static void pack_error(msgpack_packer *pk, err e, const char *msg, uint64_t pos, uint64_t line)
{
	PACK_LIT(pk, "error");
	msgpack_pack_map(pk, line ? 4 : 3);
	PACK_LIT(pk, "code");
	pack_cstr(pk, err_code_name(e));
	PACK_LIT(pk, "message");
	pack_cstr(pk, msg);
	PACK_LIT(pk, "position");
	msgpack_pack_uint64(pk, pos);
	if (line) {
		PACK_LIT(pk, "line");
		msgpack_pack_uint64(pk, line);
	}
}

void pipe_error_record(msgpack_packer *pk, err e, const char *msg, uint64_t pos, uint64_t line,
		       int with_results)
{
	msgpack_pack_map(pk, with_results ? 3 : 1);
	if (with_results) {
		PACK_LIT(pk, "entities");
		msgpack_pack_array(pk, 0);
		PACK_LIT(pk, "quotes");
		msgpack_pack_array(pk, 0);
	}
	pack_error(pk, e, msg, pos, line);
}

static int key_named(const msgpack_object *k, const char *name)
{
	size_t n = strlen(name);
	return k->type == MSGPACK_OBJECT_STR && k->via.str.size == n && memcmp(k->via.str.ptr, name, n) == 0;
}

/* Input keys that an output key of this record replaces. */
static int replaced(const msgpack_object *k, unsigned emit, unsigned warn, err e)
{
	return key_named(k, "entities") || key_named(k, "quotes") ||
	       ((emit & PIPE_EMIT_TOKENS) && key_named(k, "tokens")) ||
	       ((emit & PIPE_EMIT_SENTENCES) && key_named(k, "sentences")) ||
	       (warn && key_named(k, "warnings")) || (e != ERR_OK && key_named(k, "error"));
}

static void pack_record(msgpack_packer *pk, const pipe_cfg *cfg, const rec_in *in,
			const stage_out *o, err e, const char *msg, uint64_t pos, uint64_t line)
{
	const msgpack_object_map *m = &in->root.via.map;
	uint32_t n_ents = 0, n_quotes = 0;
	unsigned warn = o->warn;
	for (uint32_t i = 0; i < o->ents.n; i++)
		n_ents += (uint32_t)entity_ok(o, &o->ents.v[i]);
	for (uint32_t i = 0; i < o->quotes.n; i++)
		n_quotes += (uint32_t)quote_ok(o, &o->quotes.v[i]);
	if (n_ents != o->ents.n || n_quotes != o->quotes.n)
		warn |= WARN_BAD_SPAN;
	uint32_t n = 2;
	for (uint32_t i = 0; i < m->size; i++)
		n += (uint32_t)!replaced(&m->ptr[i].key, cfg->emit, warn, e);
	n += (uint32_t)((cfg->emit & PIPE_EMIT_TOKENS) != 0) + (uint32_t)((cfg->emit & PIPE_EMIT_SENTENCES) != 0);
	n += (uint32_t)(warn != 0) + (uint32_t)(e != ERR_OK);
	msgpack_pack_map(pk, n);
	for (uint32_t i = 0; i < m->size; i++) {
		if (replaced(&m->ptr[i].key, cfg->emit, warn, e))
			continue;
		pk->callback(pk->data, in->raw + in->kv_off[i], in->kv_off[i + 1] - in->kv_off[i]);
	}
	PACK_LIT(pk, "entities");
	msgpack_pack_array(pk, n_ents);
	for (uint32_t i = 0; i < o->ents.n; i++)
		if (entity_ok(o, &o->ents.v[i]))
			pack_entity(pk->data, o, &o->ents.v[i]);
	PACK_LIT(pk, "quotes");
	msgpack_pack_array(pk, n_quotes);
	for (uint32_t i = 0; i < o->quotes.n; i++)
		if (quote_ok(o, &o->quotes.v[i]))
			pack_quote(pk->data, o, &o->quotes.v[i]);
	if (cfg->emit & PIPE_EMIT_TOKENS) {
		PACK_LIT(pk, "tokens");
		pack_spans_tok(pk->data, o);
	}
	if (cfg->emit & PIPE_EMIT_SENTENCES) {
		PACK_LIT(pk, "sentences");
		pack_spans_sent(pk->data, o);
	}
	if (warn) {
		PACK_LIT(pk, "warnings");
		msgpack_pack_array(pk, (size_t)((warn & WARN_BAD_UTF8) != 0) + ((warn & WARN_BAD_SPAN) != 0) +
					       ((warn & WARN_SENT_CUT) != 0));
		if (warn & WARN_BAD_UTF8)
			PACK_LIT(pk, "invalid_utf8");
		if (warn & WARN_BAD_SPAN)
			PACK_LIT(pk, "bad_span");
		if (warn & WARN_SENT_CUT)
			PACK_LIT(pk, "sentence_limit");
	}
	if (e != ERR_OK)
		pack_error(pk, e, msg, pos, line);
}

/* "record 12 (line 13, id "abc")" into buf. */
static void name_record(char *buf, size_t cap, uint64_t pos, uint64_t line, const msgpack_object *id)
{
	char idb[96] = "";
	if (id && id->type == MSGPACK_OBJECT_STR) {
		size_t k = 0;
		const unsigned char *p = (const unsigned char *)id->via.str.ptr;
		for (uint32_t i = 0; i < id->via.str.size && k + 5 < 64; i++) {
			if (p[i] < 0x20 || p[i] == '"' || p[i] == '\\' || p[i] == 0x7f)
				k += (size_t)snprintf(idb + k, sizeof idb - k, "\\x%02x", p[i]);
			else
				idb[k++] = (char)p[i];
		}
		if (id->via.str.size > 0 && k + 5 >= 64)
			k += (size_t)snprintf(idb + k, sizeof idb - k, "...");
		idb[k] = '\0';
	}
	const char *sep = line ? ", " : " (";
	int n = snprintf(buf, cap, "record %llu", (unsigned long long)pos);
	if (n < 0 || (size_t)n >= cap)
		return;
	if (line)
		n += snprintf(buf + n, cap - (size_t)n, " (line %llu", (unsigned long long)line);
	if (id && id->type == MSGPACK_OBJECT_STR)
		n += snprintf(buf + n, cap - (size_t)n, "%sid \"%s\")", sep, idb);
	else if (id && id->type == MSGPACK_OBJECT_POSITIVE_INTEGER)
		n += snprintf(buf + n, cap - (size_t)n, "%sid %llu)", sep, (unsigned long long)id->via.u64);
	else if (id && id->type == MSGPACK_OBJECT_NEGATIVE_INTEGER)
		n += snprintf(buf + n, cap - (size_t)n, "%sid %lld)", sep, (long long)id->via.i64);
	else if (line)
		snprintf(buf + n, cap - (size_t)n, ")");
}

static err run_stages(const pipe_cfg *cfg, pipe_worker *w, const rec_in *in, stage_out *o,
		      err_info *ei, pipe_result *res, uint64_t *t)
{
	lap(cfg, res, PIPE_T_DECODE, t);
	err e = tok_scan(o->text, o->len, &w->a, &o->toks);
	if (e != ERR_OK)
		return err_setf(ei, e, "tokenizer: %s", err_str(e));
	lap(cfg, res, PIPE_T_TOK, t);
	e = sent_split(o->text, &o->toks, &w->a, &o->sents);
	if (e != ERR_OK)
		return err_setf(ei, e, "sentence splitter: %s", err_str(e));
	for (uint32_t i = 0; i < o->sents.n; i++)
		if (o->sents.v[i].n >= SENT_MAX_TOKENS) {
			o->warn |= WARN_SENT_CUT;
			break;
		}
	lap(cfg, res, PIPE_T_SENT, t);
	e = gaz_tag_at(cfg->gaz, o->text, &o->toks, &o->sents, in->date, in->date_len, &w->a, &o->ents);
	if (e != ERR_OK)
		return err_setf(ei, e, "entity tagger: %s", err_str(e));
	lap(cfg, res, PIPE_T_GAZ, t);
	e = quote_attribute(cfg->quote, o->text, &o->toks, &o->sents, &o->ents, in->date, in->date_len,
			    &w->a, &o->quotes);
	if (e != ERR_OK)
		return err_setf(ei, e, "quote attribution: %s", err_str(e));
	lap(cfg, res, PIPE_T_QUOTE, t);
	return ERR_OK;
}

/* Checks the decoded record and runs the stages; fills o, or returns the
 * record's error with its message in ei. */
static err process(const pipe_cfg *cfg, pipe_worker *w, const rec_in *in, stage_out *o,
		   err_info *ei, pipe_result *res, uint64_t *clk)
{
	const msgpack_object *t = rec_map_get(&in->root, "text");
	if (!t)
		return err_setf(ei, ERR_BADREC, "text is missing");
	if (!in->text)
		return err_setf(ei, ERR_BADREC, "text is not a string (it is %s)", rec_type_name(t->type));
	if (!in->id)
		return err_setf(ei, ERR_BADREC, "id is missing");
	if (in->id->type != MSGPACK_OBJECT_STR && in->id->type != MSGPACK_OBJECT_POSITIVE_INTEGER &&
	    in->id->type != MSGPACK_OBJECT_NEGATIVE_INTEGER)
		return err_setf(ei, ERR_BADREC, "id is not a string (it is %s)", rec_type_name(in->id->type));
	if (in->text_len > REC_MAX_TEXT_BYTES)
		return err_setf(ei, ERR_LIMIT, "text of %u bytes exceeds the limit of %u bytes",
				in->text_len, REC_MAX_TEXT_BYTES);
	o->text = in->text;
	o->len = in->text_len;
	res->text_len = in->text_len;
	if (in->warn & REC_WARN_BAD_UTF8) {
		if (cfg->strict)
			return err_setf(ei, ERR_BADUTF8, "the JSON line holds invalid UTF-8");
		o->warn |= WARN_BAD_UTF8;
	}
	size_t ok = utf8_valid_prefix(o->text, o->len);
	if (ok < o->len) {
		if (cfg->strict)
			return err_setf(ei, ERR_BADUTF8, "text holds invalid UTF-8 at byte %zu", ok);
		o->warn |= WARN_BAD_UTF8;
		snprintf(ei->msg, sizeof ei->msg, "text holds invalid UTF-8 at byte %zu", ok);
	}
	return run_stages(cfg, w, in, o, ei, res, clk);
}

/* Frees a scratch buffer that one large record made large. */
static void shrink(msgpack_sbuffer *sb)
{
	if (sb->alloc > REC_KEEP_BUF_BYTES) {
		msgpack_sbuffer_destroy(sb);
		msgpack_sbuffer_init(sb);
	}
}

static int sink_write(void *data, const char *buf, size_t len)
{
	sink *k = data;
	msgpack_sbuffer *sb = k->sb;
	if (len > sb->alloc - sb->size) {
		if (msgpack_sbuffer_write(sb, buf, len) != 0) {
			k->failed = 1;
			return -1;
		}
		return 0;
	}
	/* Most writes are a msgpack header of 1, 2, 3, 5 or 9 bytes: copied
	 * with constant sizes, so without a call to memcpy. */
	char *d = sb->data + sb->size;
	switch (len) {
	case 0: return 0;
	case 1: d[0] = buf[0]; break;
	case 2: memcpy(d, buf, 2); break;
	case 3: memcpy(d, buf, 3); break;
	case 5: memcpy(d, buf, 5); break;
	case 9: memcpy(d, buf, 9); break;
	default: memcpy(d, buf, len); break;
	}
	sb->size += len;
	return 0;
}

err pipe_record(const pipe_cfg *cfg, pipe_worker *w, const rec_raw *raw, uint64_t pos,
		msgpack_sbuffer *out, pipe_result *res)
{
	res->failed = 0;
	res->warned = 0;
	res->note[0] = '\0';
	res->text_len = 0;
	memset(res->ns, 0, sizeof res->ns);
	uint64_t t = cfg->timing ? pipe_clock_ns() : 0;
	arena_reset(&w->a);
	msgpack_sbuffer *enc = out;
	if (cfg->out_fmt == REC_FMT_JSONL) {
		msgpack_sbuffer_clear(&w->mpk);
		enc = &w->mpk;
	}
	sink k = {enc, 0};
	msgpack_packer pk;
	msgpack_packer_init(&pk, &k, sink_write);

	err_info ei = {ERR_OK, ""};
	rec_in in;
	char who[200];
	err e = raw->e;
	if (e != ERR_OK) {
		snprintf(ei.msg, sizeof ei.msg, "%s", raw->msg);
	} else {
		e = rec_decode(raw, &w->s, &in, &ei);
	}
	if (e != ERR_OK) {
		name_record(who, sizeof who, pos, raw->line, NULL);
		pipe_error_record(&pk, e, ei.msg, pos, raw->line, 1);
	} else {
		stage_out o;
		memset(&o, 0, sizeof o);
		e = process(cfg, w, &in, &o, &ei, res, &t);
		lap(cfg, res, PIPE_T_DECODE, &t); /* the checks of a record that failed */
		if (e != ERR_OK)
			memset(&o, 0, sizeof o); /* an error record has no results */
		if (e != ERR_OK || o.warn) /* who is for the note only */
			name_record(who, sizeof who, pos, raw->line, in.id);
		pack_record(&pk, cfg, &in, &o, e, ei.msg, pos, raw->line);
		if (e == ERR_OK && (o.warn & WARN_BAD_UTF8)) {
			res->warned = 1;
			snprintf(res->note, sizeof res->note, "%s: warning: invalid_utf8 (%s)%s", who,
				 ei.msg[0] ? ei.msg : "the JSON line holds invalid UTF-8",
				 (o.warn & WARN_SENT_CUT) ? "; warning: sentence_limit" : "");
		} else if (e == ERR_OK && (o.warn & WARN_SENT_CUT)) {
			res->warned = 1;
			snprintf(res->note, sizeof res->note,
				 "%s: warning: sentence_limit (a sentence reached %u tokens and was cut)", who,
				 SENT_MAX_TOKENS);
		}
	}
	if (e != ERR_OK) {
		res->failed = 1;
		snprintf(res->note, sizeof res->note, "%s: %s: %s", who, err_str(e), ei.msg);
	}
	if (k.failed)
		return ERR_NOMEM;
	if (cfg->out_fmt == REC_FMT_JSONL) {
		msgpack_object root;
		size_t off = 0;
		msgpack_zone_clear(&w->s.zone);
		if (msgpack_unpack(enc->data, enc->size, &off, &w->s.zone, &root) != MSGPACK_UNPACK_SUCCESS)
			return ERR_NOMEM;
		size_t omark = out->size;
		err je = rec_write_json(&root, out);
		if (je != ERR_OK) {
			out->size = omark;
			return je;
		}
	}
	shrink(&w->mpk);
	shrink(&w->s.conv);
	shrink(&w->s.fix);
	shrink(&w->s.tmp);
	lap(cfg, res, PIPE_T_ENCODE, &t);
	return ERR_OK;
}
