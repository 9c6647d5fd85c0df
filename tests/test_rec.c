/* SPDX-License-Identifier: MIT */
/* Record I/O: framing msgpack and JSON Lines on tricky input, decoding,
 * JSON <-> msgpack conversion, UTF-8 checks, CSV/TSV fields. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <pthread.h>
#include <unistd.h>

#include "../pipeline/dump.h"
#include "../pipeline/limits.h"
#include "../pipeline/rec.h"

#define MAX_RECS 16

typedef struct {
	int n;
	err e[MAX_RECS];
	char msg[MAX_RECS][200];
	char *buf[MAX_RECS];
	size_t len[MAX_RECS];
	uint64_t line[MAX_RECS];
	rec_format fmt;
} framed;

/* Frames every record of buf (copied into an exactly sized heap block, so
 * ASan sees any read past the end). */
static void frame_all(const void *buf, size_t len, framed *f)
{
	memset(f, 0, sizeof *f);
	char *copy = malloc(len ? len : 1);
	assert_non_null(copy);
	memcpy(copy, buf, len);
	rec_reader *r;
	assert_int_equal(rec_reader_open_mem(copy, len, &r), ERR_OK);
	for (;;) {
		rec_raw raw;
		int got;
		err_info ei;
		assert_int_equal(rec_read(r, &raw, &got, &ei), ERR_OK);
		if (!got)
			break;
		assert_true(f->n < MAX_RECS);
		f->e[f->n] = raw.e;
		strcpy(f->msg[f->n], raw.msg);
		f->len[f->n] = raw.len;
		f->line[f->n] = raw.line;
		f->buf[f->n] = malloc(raw.len ? raw.len : 1);
		memcpy(f->buf[f->n], raw.buf ? raw.buf : "", raw.len);
		f->n++;
	}
	f->fmt = rec_reader_format(r);
	rec_reader_close(r);
	free(copy);
}

static void framed_free(framed *f)
{
	for (int i = 0; i < f->n; i++)
		free(f->buf[i]);
}

static void pack_rec(msgpack_packer *pk, const char *id, const char *text)
{
	msgpack_pack_map(pk, 2);
	msgpack_pack_str_with_body(pk, "id", 2);
	msgpack_pack_str_with_body(pk, id, strlen(id));
	msgpack_pack_str_with_body(pk, "text", 4);
	msgpack_pack_str_with_body(pk, text, strlen(text));
}

static void test_mpk_records(void **state)
{
	(void)state;
	msgpack_sbuffer sb;
	msgpack_sbuffer_init(&sb);
	msgpack_packer pk;
	msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
	pack_rec(&pk, "a", "Hello.");
	size_t first = sb.size;
	pack_rec(&pk, "b", "World.");
	framed f;
	frame_all(sb.data, sb.size, &f);
	assert_int_equal(f.fmt, REC_FMT_MPK);
	assert_int_equal(f.n, 2);
	assert_int_equal(f.e[0], ERR_OK);
	assert_int_equal(f.len[0], first);
	assert_int_equal(f.len[1], sb.size - first);
	assert_memory_equal(f.buf[1], sb.data + first, f.len[1]);
	assert_int_equal(f.line[0], 0);
	framed_free(&f);
	msgpack_sbuffer_destroy(&sb);
}

typedef struct {
	int fd;
	const char *buf;
	size_t len;
} trickle;

/* Writes the bytes one at a time, so the reader sees every split point. */
static void *trickle_main(void *arg)
{
	trickle *t = arg;
	for (size_t i = 0; i < t->len; i++) {
		if (write(t->fd, t->buf + i, 1) != 1)
			break;
		if (i % 7 == 0)
			sched_yield();
	}
	close(t->fd);
	return NULL;
}

static void test_stream_in_pieces(void **state)
{
	(void)state;
	msgpack_sbuffer sb;
	msgpack_sbuffer_init(&sb);
	msgpack_packer pk;
	msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
	char text[3000];
	memset(text, 'x', sizeof text - 1);
	text[sizeof text - 1] = '\0';
	size_t ends[40];
	for (int i = 0; i < 40; i++) {
		pack_rec(&pk, "id", text + (i * 71) % 2999);
		ends[i] = sb.size;
	}
	static const char *const json = "{\"id\":\"a\",\"text\":\"x\"}\n\n{\"id\":\"b\"}\n{bad\n{\"z\":1}";
	for (int fmt = 0; fmt < 2; fmt++) {
		int fds[2];
		assert_int_equal(pipe(fds), 0);
		trickle t = {fds[1], fmt ? json : sb.data, fmt ? strlen(json) : sb.size};
		pthread_t th;
		assert_int_equal(pthread_create(&th, NULL, trickle_main, &t), 0);
		char path[64];
		snprintf(path, sizeof path, "/dev/fd/%d", fds[0]);
		rec_reader *r;
		err_info ei;
		assert_int_equal(rec_reader_open(path, &r, &ei), ERR_OK);
		int n = 0;
		size_t at = 0;
		for (;;) {
			rec_raw raw;
			int got;
			assert_int_equal(rec_read(r, &raw, &got, &ei), ERR_OK);
			if (!got)
				break;
			assert_int_equal(raw.e, ERR_OK);
			if (!fmt) {
				assert_int_equal(raw.len, ends[n] - at);
				assert_memory_equal(raw.buf, sb.data + at, raw.len);
				at = ends[n];
			}
			n++;
		}
		assert_int_equal(n, fmt ? 4 : 40);
		rec_reader_close(r);
		pthread_join(th, NULL);
		close(fds[0]);
	}
	msgpack_sbuffer_destroy(&sb);
}

static void test_mpk_truncated(void **state)
{
	(void)state;
	msgpack_sbuffer sb;
	msgpack_sbuffer_init(&sb);
	msgpack_packer pk;
	msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
	pack_rec(&pk, "a", "Hello.");
	size_t first = sb.size;
	pack_rec(&pk, "b", "A longer text that will be cut.");
	framed f;
	frame_all(sb.data, sb.size - 5, &f);
	assert_int_equal(f.n, 2);
	assert_int_equal(f.e[0], ERR_OK);
	assert_int_equal(f.len[0], first);
	assert_int_equal(f.e[1], ERR_BADREC);
	assert_non_null(strstr(f.msg[1], "truncated"));
	framed_free(&f);
	/* cut inside a header, too */
	const unsigned char cut[] = {0x82, 0xa2, 'i', 'd', 0xda, 0x01};
	frame_all(cut, sizeof cut, &f);
	assert_int_equal(f.n, 1);
	assert_int_equal(f.e[0], ERR_BADREC);
	framed_free(&f);
	msgpack_sbuffer_destroy(&sb);
}

static void test_mpk_huge_prefix(void **state)
{
	(void)state;
	/* {"text": str32 of 4 GB - 1}, with only a few bytes of it present */
	unsigned char b[64] = {0x81, 0xa4, 't', 'e', 'x', 't', 0xdb, 0xff, 0xff, 0xff, 0xff};
	memset(b + 11, 'x', sizeof b - 11);
	framed f;
	frame_all(b, sizeof b, &f);
	assert_int_equal(f.n, 1);
	assert_int_equal(f.e[0], ERR_LIMIT);
	framed_free(&f);
	/* an array32 that claims 4 G items */
	const unsigned char a[] = {0x81, 0xa1, 'x', 0xdd, 0xff, 0xff, 0xff, 0xff, 0xc0};
	frame_all(a, sizeof a, &f);
	assert_int_equal(f.n, 1);
	assert_int_equal(f.e[0], ERR_LIMIT);
	framed_free(&f);
}

/* An oversize record that is really there is skipped, and the record after
 * it is framed normally. */
static void test_mpk_oversize_then_good(void **state)
{
	(void)state;
	size_t big = (size_t)REC_MAX_BYTES + 10;
	msgpack_sbuffer sb;
	msgpack_sbuffer_init(&sb);
	msgpack_packer pk;
	msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
	msgpack_pack_map(&pk, 1);
	msgpack_pack_str_with_body(&pk, "text", 4);
	msgpack_pack_str(&pk, big);
	char *filler = calloc(1, big);
	assert_non_null(filler);
	msgpack_pack_str_body(&pk, filler, big);
	free(filler);
	pack_rec(&pk, "ok", "after");
	framed f;
	frame_all(sb.data, sb.size, &f);
	assert_int_equal(f.n, 2);
	assert_int_equal(f.e[0], ERR_LIMIT);
	assert_int_equal(f.e[1], ERR_OK);
	rec_scratch s;
	rec_scratch_init(&s);
	rec_raw raw = {.buf = f.buf[1], .len = f.len[1], .fmt = REC_FMT_MPK};
	rec_in in;
	err_info ei;
	assert_int_equal(rec_decode(&raw, &s, &in, &ei), ERR_OK);
	assert_int_equal(in.text_len, 5);
	assert_memory_equal(in.text, "after", 5);
	rec_scratch_fini(&s);
	framed_free(&f);
	msgpack_sbuffer_destroy(&sb);
}

static void test_mpk_bad_byte(void **state)
{
	(void)state;
	const unsigned char b[] = {0x81, 0xa1, 'x', 0xc1, 0x81, 0xa1, 'y', 0x01};
	framed f;
	frame_all(b, sizeof b, &f);
	assert_int_equal(f.n, 1);
	assert_int_equal(f.e[0], ERR_BADREC);
	assert_non_null(strstr(f.msg[0], "offset 3"));
	framed_free(&f);
}

static void test_mpk_non_map(void **state)
{
	(void)state;
	/* a map, then an array, then a string: each is its own record */
	const unsigned char b[] = {0x80, 0x92, 0x01, 0x02, 0xa2, 'h', 'i'};
	framed f;
	frame_all(b, sizeof b, &f);
	assert_int_equal(f.n, 3);
	rec_scratch s;
	rec_scratch_init(&s);
	rec_in in;
	err_info ei;
	for (int i = 0; i < 3; i++) {
		rec_raw raw = {.buf = f.buf[i], .len = f.len[i], .fmt = REC_FMT_MPK};
		err e = rec_decode(&raw, &s, &in, &ei);
		if (i == 0) {
			assert_int_equal(e, ERR_OK);
			assert_null(in.text);
			assert_null(in.id);
		} else {
			assert_int_equal(e, ERR_BADREC);
			assert_non_null(strstr(ei.msg, "not a map"));
		}
	}
	rec_scratch_fini(&s);
	framed_free(&f);
}

static void test_mpk_deep(void **state)
{
	(void)state;
	unsigned char b[200];
	b[0] = 0x81;
	b[1] = 0xa1;
	b[2] = 'x';
	for (int i = 3; i < 199; i++)
		b[i] = 0x91;
	b[199] = 0xc0;
	framed f;
	frame_all(b, sizeof b, &f);
	assert_int_equal(f.n, 1);
	assert_int_equal(f.e[0], ERR_OK);
	rec_scratch s;
	rec_scratch_init(&s);
	rec_raw raw = {.buf = f.buf[0], .len = f.len[0], .fmt = REC_FMT_MPK};
	rec_in in;
	err_info ei;
	assert_int_equal(rec_decode(&raw, &s, &in, &ei), ERR_BADREC);
	assert_non_null(strstr(ei.msg, "deeper"));
	rec_scratch_fini(&s);
	framed_free(&f);
}

static void test_json_lines(void **state)
{
	(void)state;
	const char *in = "\xEF\xBB\xBF \n{\"id\":\"a\",\"text\":\"x\"}\r\n\n   \n{broken\n{\"id\":\"c\"}";
	framed f;
	frame_all(in, strlen(in), &f);
	assert_int_equal(f.fmt, REC_FMT_JSONL);
	assert_int_equal(f.n, 3);
	assert_int_equal(f.line[0], 2);
	assert_int_equal(f.line[1], 5);
	assert_int_equal(f.line[2], 6);
	rec_scratch s;
	rec_scratch_init(&s);
	rec_in r;
	err_info ei;
	rec_raw raw = {.buf = f.buf[0], .len = f.len[0], .fmt = REC_FMT_JSONL};
	assert_int_equal(rec_decode(&raw, &s, &r, &ei), ERR_OK);
	assert_int_equal(r.text_len, 1);
	assert_non_null(r.id);
	raw = (rec_raw){.buf = f.buf[1], .len = f.len[1], .fmt = REC_FMT_JSONL};
	assert_int_equal(rec_decode(&raw, &s, &r, &ei), ERR_BADREC);
	assert_non_null(strstr(ei.msg, "broken JSON"));
	raw = (rec_raw){.buf = f.buf[2], .len = f.len[2], .fmt = REC_FMT_JSONL};
	assert_int_equal(rec_decode(&raw, &s, &r, &ei), ERR_OK);
	assert_null(r.text);
	rec_scratch_fini(&s);
	framed_free(&f);
}

static void test_json_long_line(void **state)
{
	(void)state;
	size_t big = (size_t)REC_MAX_BYTES + 100;
	char *b = malloc(big + 64);
	assert_non_null(b);
	memset(b, ' ', big);
	b[0] = '{';
	b[big - 2] = '}';
	b[big - 1] = '\n';
	const char *tail = "{\"id\":\"z\",\"text\":\"t\"}\n";
	memcpy(b + big, tail, strlen(tail));
	framed f;
	frame_all(b, big + strlen(tail), &f);
	free(b);
	assert_int_equal(f.n, 2);
	assert_int_equal(f.e[0], ERR_LIMIT);
	assert_int_equal(f.line[0], 1);
	assert_int_equal(f.e[1], ERR_OK);
	assert_int_equal(f.line[1], 2);
	framed_free(&f);
}

static void test_json_text_types(void **state)
{
	(void)state;
	rec_scratch s;
	rec_scratch_init(&s);
	rec_in r;
	err_info ei;
	const char *l1 = "{\"id\":1,\"text\":5}";
	rec_raw raw = {.buf = l1, .len = strlen(l1), .fmt = REC_FMT_JSONL};
	assert_int_equal(rec_decode(&raw, &s, &r, &ei), ERR_OK);
	assert_null(r.text);
	assert_non_null(rec_map_get(&r.root, "text"));
	assert_int_equal(r.id->type, MSGPACK_OBJECT_POSITIVE_INTEGER);
	const char *l2 = "[1,2]";
	raw = (rec_raw){.buf = l2, .len = strlen(l2), .fmt = REC_FMT_JSONL};
	assert_int_equal(rec_decode(&raw, &s, &r, &ei), ERR_BADREC);
	assert_non_null(strstr(ei.msg, "an array, not a map"));
	rec_scratch_fini(&s);
}

static void test_json_invalid_utf8(void **state)
{
	(void)state;
	const char *l = "{\"id\":\"u\",\"text\":\"a\xff" "b\"}";
	rec_scratch s;
	rec_scratch_init(&s);
	rec_in r;
	err_info ei;
	rec_raw raw = {.buf = l, .len = strlen(l), .fmt = REC_FMT_JSONL};
	assert_int_equal(rec_decode(&raw, &s, &r, &ei), ERR_OK);
	assert_true(r.warn & REC_WARN_BAD_UTF8);
	assert_int_equal(r.text_len, 5);
	assert_memory_equal(r.text, "a\xEF\xBF\xBD" "b", 5);
	rec_scratch_fini(&s);
}

/* JSON -> msgpack -> JSON keeps keys, their order and every value. */
static void test_json_roundtrip(void **state)
{
	(void)state;
	const char *l = "{\"zeta\":1,\"id\":\"r\",\"alpha\":{\"b\":[1,-2,2.5,null,true,false,\"s\"],\"a\":{}},"
			"\"text\":\"caf\\u00e9 \\\"q\\\"\\n\\u0000end\"}";
	rec_scratch s;
	rec_scratch_init(&s);
	rec_in r;
	err_info ei;
	rec_raw raw = {.buf = l, .len = strlen(l), .fmt = REC_FMT_JSONL};
	assert_int_equal(rec_decode(&raw, &s, &r, &ei), ERR_OK);
	assert_int_equal(r.text_len, 14); /* NUL kept inside the text */
	msgpack_sbuffer out;
	msgpack_sbuffer_init(&out);
	assert_int_equal(rec_write_json(&r.root, &out), ERR_OK);
	const char *want = "{\"zeta\":1,\"id\":\"r\",\"alpha\":{\"b\":[1,-2,2.5,null,true,false,\"s\"],\"a\":{}},"
			   "\"text\":\"caf\xC3\xA9 \\\"q\\\"\\n\\u0000end\"}\n";
	assert_int_equal(out.size, strlen(want));
	assert_memory_equal(out.data, want, out.size);
	msgpack_sbuffer_destroy(&out);
	rec_scratch_fini(&s);
}

static void test_write_json_invalid_utf8(void **state)
{
	(void)state;
	msgpack_object o = {.type = MSGPACK_OBJECT_STR};
	o.via.str.ptr = "a\xC3(\xED\xA0\x80z";
	o.via.str.size = 7;
	msgpack_sbuffer out;
	msgpack_sbuffer_init(&out);
	assert_int_equal(rec_write_json(&o, &out), ERR_OK);
	const char *want = "\"a\xEF\xBF\xBD(\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBDz\"\n";
	assert_int_equal(out.size, strlen(want));
	assert_memory_equal(out.data, want, out.size);
	msgpack_sbuffer_destroy(&out);
}

static void test_utf8_valid(void **state)
{
	(void)state;
	static const struct {
		const char *s;
		size_t len, valid;
	} cases[] = {
		{"plain ascii text", 16, 16},
		{"caf\xC3\xA9", 5, 5},
		{"\xE2\x80\x9Cq\xE2\x80\x9D", 7, 7},
		{"\xF0\x9F\x98\x80", 4, 4},
		{"\xF4\x8F\xBF\xBF", 4, 4},
		{"ab\xC0\xAF", 4, 2},         /* overlong */
		{"ab\xE0\x80\xAF", 5, 2},     /* overlong */
		{"ab\xED\xA0\x80", 5, 2},     /* surrogate */
		{"ab\xF4\x90\x80\x80", 6, 2}, /* above U+10FFFF */
		{"ab\xF5\x80\x80\x80", 6, 2},
		{"abcdefgh\xC3", 9, 8},       /* cut at the end */
		{"abcdefghij\x80", 11, 10},   /* lone continuation */
		{"\xE2\x80", 2, 0},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		assert_int_equal(utf8_valid_prefix(cases[i].s, cases[i].len), cases[i].valid);
}

static void field(err (*f)(msgpack_sbuffer *, const char *, size_t), const char *in, size_t len,
		  const char *want)
{
	msgpack_sbuffer sb;
	msgpack_sbuffer_init(&sb);
	assert_int_equal(f(&sb, in, len), ERR_OK);
	assert_int_equal(sb.size, strlen(want));
	if (sb.size)
		assert_memory_equal(sb.data, want, sb.size);
	msgpack_sbuffer_destroy(&sb);
}

static void test_csv_fields(void **state)
{
	(void)state;
	field(dump_csv_field, "plain", 5, "plain");
	field(dump_csv_field, "", 0, "");
	field(dump_csv_field, "a,b", 3, "\"a,b\"");
	field(dump_csv_field, "say \"hi\"", 8, "\"say \"\"hi\"\"\"");
	field(dump_csv_field, "line\nbreak", 10, "\"line\nbreak\"");
	field(dump_csv_field, "cr\rhere", 7, "\"cr\rhere\"");
	field(dump_csv_field, "tab\tand 'single'", 16, "tab\tand 'single'");
	field(dump_csv_field, "bad\xff", 4, "bad\xEF\xBF\xBD");
}

static void test_tsv_fields(void **state)
{
	(void)state;
	field(dump_tsv_field, "plain, \"quoted\"", 15, "plain, \"quoted\"");
	field(dump_tsv_field, "a\tb", 3, "a\\tb");
	field(dump_tsv_field, "a\nb\r", 4, "a\\nb\\r");
	field(dump_tsv_field, "back\\slash", 10, "back\\\\slash");
	field(dump_tsv_field, "\xC3", 1, "\xEF\xBF\xBD");
}

/* rec_json_to_mpk (its fast path, jansson for the rest) and
 * rec_json_to_mpk_ref (jansson only) agree on every line: same result,
 * same bytes, same message, same invalid-UTF-8 flag. */
static int same_conversion(const char *line, size_t len)
{
	rec_scratch s;
	rec_scratch_init(&s);
	msgpack_sbuffer a, b;
	msgpack_sbuffer_init(&a);
	msgpack_sbuffer_init(&b);
	msgpack_sbuffer_write(&a, "x", 1); /* both append to what is there */
	msgpack_sbuffer_write(&b, "x", 1);
	err_info ea = {ERR_OK, ""}, eb = {ERR_OK, ""};
	int ua = -1, ub = -1;
	err ra = rec_json_to_mpk(line, len, &s, &a, &ua, &ea);
	err rb = rec_json_to_mpk_ref(line, len, &s, &b, &ub, &eb);
	int same = ra == rb && ua == ub && a.size == b.size && memcmp(a.data, b.data, a.size) == 0 &&
		   strcmp(ea.msg, eb.msg) == 0;
	if (!same)
		fprintf(stderr, "JSON fast path differs on [%.*s]: %d/%d %s/%s\n", (int)len, line, ra, rb,
			ea.msg, eb.msg);
	msgpack_sbuffer_destroy(&a);
	msgpack_sbuffer_destroy(&b);
	rec_scratch_fini(&s);
	return same;
}

static void test_json_fast_path(void **state)
{
	(void)state;
	static const char *const lines[] = {
		"{\"id\":\"a\",\"text\":\"He said \\\"hi\\\".\",\"n\":3}",
		"{}", "[]", "{\"a\":[]}", "{\"a\":{}}", " { \"a\" : [ 1 , 2 ] } \r",
		"{\"a\":1,\"a\":2}", "{\"a\\u0062\":1}", "{\"\":0}",
		"\"top\"", "1", "-0", "0", "-1", "127", "128", "255", "256", "65535", "65536",
		"-32", "-33", "-128", "-129", "-32768", "-32769", "4294967295", "4294967296",
		"9223372036854775807", "9223372036854775808", "-9223372036854775808",
		"-9223372036854775809", "1.0", "-0.0", "1e2", "1E+2", "1e-2", "1.5e300", "1e400",
		"1e-400", "01", "1.", ".5", "-", "1x", "1 2", "+1", "0x10", "1.5.3",
		"true", "false", "null", "tru", "nul", "truex", "[true,false,null]",
		"\"\\u0000\"", "\"\\ud83d\\ude00\"", "\"\\ud83d\"", "\"\\ude00\"", "\"\\ud83dx\"",
		"\"\\u00e9\\u4e2d\"", "\"\\uZZZZ\"", "\"\\x\"", "\"\\/\\b\\f\\n\\r\\t\\\\\"",
		"\"tab\there\"", "\"caf\xc3\xa9\"", "\"bad \xff byte\"", "{\"k\":\"\xed\xa0\x80\"}",
		"[1,]", "[,1]", "{\"a\":1,}", "{\"a\" 1}", "{a:1}", "{\"a\":1", "[", "]", "",
		"   ", "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]",
		"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]",
		"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]",
		"{\"a\":1} x", "{\"a\":\"b\"}\n", "\xef\xbb\xbf{}",
	};
	for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++)
		assert_true(same_conversion(lines[i], strlen(lines[i])));
	/* a line with a NUL byte in it */
	assert_true(same_conversion("{\"a\":\"b\0c\"}", 11));
	/* many keys (past the fast path's duplicate check) */
	char big[4096];
	size_t n = 0;
	big[n++] = '{';
	for (int k = 0; k < 100; k++)
		n += (size_t)snprintf(big + n, sizeof big - n, "%s\"k%d\":%d", k ? "," : "", k, k * 1000);
	big[n++] = '}';
	assert_true(same_conversion(big, n));
	/* long strings with an escape, a quote or a control byte at every
	 * offset (the fast path scans strings eight bytes at a time) */
	static const char *const special[] = {"\\n", "\\\"", "\"", "\t", "\x01", "\x7f", "\xc3\xa9", "\\u00e9"};
	for (size_t k = 0; k < sizeof special / sizeof special[0]; k++) {
		for (int at = 0; at < 24; at++) {
			char line[128];
			int ln = snprintf(line, sizeof line, "{\"t\":\"%.*s%s%.*s\",\"u\":1}", at,
					  "abcdefghijklmnopqrstuvwxyz", special[k], 24 - at, "ABCDEFGHIJKLMNOPQRSTUVWXYZ");
			assert_true(same_conversion(line, (size_t)ln));
		}
	}
	/* random lines made of JSON pieces, valid and broken */
	static const char *const piece[] = {
		"{", "}", "[", "]", ",", ":", "\"a\"", "\"b\"", "\"\\n\"", "\"\\u00e9\"", "\"\\ud83d\\ude00\"",
		"1", "-2", "3.5", "1e5", "true", "null", " ", "\"x\":", "\"y\":", "\xc3\xa9", "\\",
		"0", "\"", "\t",
	};
	uint64_t seed = 88172645463325252u;
	for (int it = 0; it < 200000; it++) {
		char line[256];
		size_t m = 0;
		int k = 1 + (int)(seed % 12);
		for (int p = 0; p < k; p++) {
			seed ^= seed << 13, seed ^= seed >> 7, seed ^= seed << 17;
			const char *pc = piece[seed % (sizeof piece / sizeof piece[0])];
			size_t pl = strlen(pc);
			if (m + pl >= sizeof line)
				break;
			memcpy(line + m, pc, pl);
			m += pl;
		}
		seed ^= seed << 13, seed ^= seed >> 7, seed ^= seed << 17;
		/* often wrap it in an object, so that more of them parse */
		if (seed & 1) {
			char w[300];
			int wl = snprintf(w, sizeof w, "{\"k\":[%.*s]}", (int)m, line);
			assert_true(same_conversion(w, (size_t)wl));
		} else {
			assert_true(same_conversion(line, m));
		}
	}
}

/* rec_write_json (its fast path, jansson for the rest) and
 * rec_write_json_ref (jansson only) give the same bytes on random trees. */
static uint64_t rnd_next(uint64_t *x)
{
	*x ^= *x << 13, *x ^= *x >> 7, *x ^= *x << 17;
	return *x;
}

/* plain: only what the fast path writes itself (no reals, binary, odd keys) */
static void rnd_value(msgpack_packer *pk, uint64_t *x, int depth, int plain)
{
	/* lengths from sizeof, so a string with a NUL inside keeps it all */
#define S(lit) {lit, sizeof lit - 1}
	static const struct { const char *s; size_t n; } strs[] = {
		S(""), S("a"), S("text"), S("He said \"hi\""), S("back\\slash"), S("tab\tnew\nline\r"),
		S("\x01\x1f\x7f"), S("caf\xc3\xa9 \xe4\xb8\xad \xf0\x9f\x98\x80"), S("bad \xff byte"),
		S("\xed\xa0\x80"), S("nul\0in"), S("/slash/"), S("\xe2\x80\xa8"), S("\b\f"),
	};
#undef S
	unsigned kind = (unsigned)(rnd_next(x) % (depth > 34 ? 9 : 12));
	if (plain && (kind == 4 || kind == 5 || kind == 8))
		kind = 6;
	switch (kind) {
	case 0: msgpack_pack_nil(pk); break;
	case 1: rnd_next(x) & 1 ? msgpack_pack_true(pk) : msgpack_pack_false(pk); break;
	case 2: msgpack_pack_uint64(pk, rnd_next(x) >> (rnd_next(x) % 64)); break;
	case 3: msgpack_pack_int64(pk, -(int64_t)(rnd_next(x) >> (1 + rnd_next(x) % 63))); break;
	case 4: msgpack_pack_double(pk, (double)(int64_t)rnd_next(x) / 1e6); break;
	case 5: msgpack_pack_float(pk, 1.5f); break;
	case 6:
	case 7: {
		size_t k = rnd_next(x) % (sizeof strs / sizeof strs[0]);
		msgpack_pack_str_with_body(pk, strs[k].s, strs[k].n);
		break;
	}
	case 8: msgpack_pack_bin_with_body(pk, "bin", 3); break;
	case 9:
	case 10: {
		uint32_t n = (uint32_t)(rnd_next(x) % 5);
		msgpack_pack_array(pk, n);
		for (uint32_t i = 0; i < n; i++)
			rnd_value(pk, x, depth + 1, plain);
		break;
	}
	default: {
		uint32_t n = (uint32_t)(rnd_next(x) % 5);
		msgpack_pack_map(pk, n);
		for (uint32_t i = 0; i < n; i++) {
			uint64_t r = rnd_next(x) % 16;
			if (r == 0 && !plain) {
				msgpack_pack_int64(pk, 7);
			} else if (r < 4 && !plain) {
				msgpack_pack_str_with_body(pk, "k", 1); /* repeated */
			} else {
				char kb[16];
				int kl = snprintf(kb, sizeof kb, "k%u", i); /* distinct */
				size_t k = rnd_next(x) % (sizeof strs / sizeof strs[0]);
				if (plain || r < 10)
					msgpack_pack_str_with_body(pk, kb, (size_t)kl);
				else
					msgpack_pack_str_with_body(pk, strs[k].s, strs[k].n);
			}
			rnd_value(pk, x, depth + 1, plain);
		}
		break;
	}
	}
}

static void test_write_json_fast_path(void **state)
{
	(void)state;
	uint64_t x = 2463534242u;
	msgpack_sbuffer in, a, b;
	msgpack_sbuffer_init(&in);
	msgpack_sbuffer_init(&a);
	msgpack_sbuffer_init(&b);
	msgpack_zone zone;
	msgpack_zone_init(&zone, 4096);
	int fast_ok = 0;
	for (int it = 0; it < 50000; it++) {
		msgpack_sbuffer_clear(&in);
		msgpack_packer pk;
		msgpack_packer_init(&pk, &in, msgpack_sbuffer_write);
		rnd_value(&pk, &x, it % 3 == 0 ? 1 : 20, it % 2);
		msgpack_object o;
		size_t off = 0;
		msgpack_zone_clear(&zone);
		assert_int_equal(msgpack_unpack(in.data, in.size, &off, &zone, &o), MSGPACK_UNPACK_SUCCESS);
		msgpack_sbuffer_clear(&a);
		msgpack_sbuffer_clear(&b);
		err ea = rec_write_json(&o, &a), eb = rec_write_json_ref(&o, &b);
		if (ea != eb || a.size != b.size || (a.size && memcmp(a.data, b.data, a.size) != 0))
			fail_msg("JSON writers differ: [%.*s] [%.*s]", (int)a.size, a.data, (int)b.size, b.data);
		fast_ok += o.type == MSGPACK_OBJECT_MAP || o.type == MSGPACK_OBJECT_ARRAY;
	}
	assert_true(fast_ok > 1000);
	/* integers at their edges */
	static const int64_t ints[] = {INT64_MIN, INT64_MIN + 1, -1, 0, 1, 9, 10, 99, 100, INT64_MAX};
	for (size_t i = 0; i < sizeof ints / sizeof ints[0]; i++) {
		msgpack_sbuffer_clear(&in);
		msgpack_packer pk;
		msgpack_packer_init(&pk, &in, msgpack_sbuffer_write);
		msgpack_pack_array(&pk, 2);
		msgpack_pack_int64(&pk, ints[i]);
		msgpack_pack_uint64(&pk, (uint64_t)ints[i]);
		msgpack_object o;
		size_t off = 0;
		msgpack_zone_clear(&zone);
		assert_int_equal(msgpack_unpack(in.data, in.size, &off, &zone, &o), MSGPACK_UNPACK_SUCCESS);
		msgpack_sbuffer_clear(&a);
		msgpack_sbuffer_clear(&b);
		assert_int_equal(rec_write_json(&o, &a), rec_write_json_ref(&o, &b));
		assert_int_equal(a.size, b.size);
		assert_memory_equal(a.data, b.data, a.size);
	}
	/* nesting around the depth limit */
	for (int d = 30; d <= 34; d++) {
		msgpack_sbuffer_clear(&in);
		msgpack_packer pk;
		msgpack_packer_init(&pk, &in, msgpack_sbuffer_write);
		for (int i = 0; i < d; i++)
			msgpack_pack_array(&pk, 1);
		msgpack_pack_str_with_body(&pk, "x\n", 2);
		msgpack_object o;
		size_t off = 0;
		msgpack_zone_clear(&zone);
		if (msgpack_unpack(in.data, in.size, &off, &zone, &o) != MSGPACK_UNPACK_SUCCESS)
			continue; /* deeper than msgpack-c decodes */
		msgpack_sbuffer_clear(&a);
		msgpack_sbuffer_clear(&b);
		err ea = rec_write_json(&o, &a), eb = rec_write_json_ref(&o, &b);
		assert_int_equal(ea, eb);
		assert_int_equal(a.size, b.size);
		if (a.size)
			assert_memory_equal(a.data, b.data, a.size);
	}
	msgpack_zone_destroy(&zone);
	msgpack_sbuffer_destroy(&in);
	msgpack_sbuffer_destroy(&a);
	msgpack_sbuffer_destroy(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mpk_records),
		cmocka_unit_test(test_stream_in_pieces),
		cmocka_unit_test(test_mpk_truncated),
		cmocka_unit_test(test_mpk_huge_prefix),
		cmocka_unit_test(test_mpk_oversize_then_good),
		cmocka_unit_test(test_mpk_bad_byte),
		cmocka_unit_test(test_mpk_non_map),
		cmocka_unit_test(test_mpk_deep),
		cmocka_unit_test(test_json_lines),
		cmocka_unit_test(test_json_long_line),
		cmocka_unit_test(test_json_text_types),
		cmocka_unit_test(test_json_invalid_utf8),
		cmocka_unit_test(test_json_roundtrip),
		cmocka_unit_test(test_json_fast_path),
		cmocka_unit_test(test_write_json_fast_path),
		cmocka_unit_test(test_write_json_invalid_utf8),
		cmocka_unit_test(test_utf8_valid),
		cmocka_unit_test(test_csv_fields),
		cmocka_unit_test(test_tsv_fields),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
