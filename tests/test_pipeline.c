/* SPDX-License-Identifier: MIT */
/* The pipeline on one record (output keys, error records, warnings, emit),
 * the worker pool (order kept for every N, a failing writer stops it), and
 * the whole pipeline over the sample and, when present, PolNeAR dev: every
 * span lies inside its text and every text field equals the bytes there.
 * Run from the repository root; B names the build directory. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "../pipeline/model.h"
#include "../pipeline/pipeline.h"
#include "../pipeline/pool.h"
#include "../pipeline/rec.h"

/* ---- one record ---- */

typedef struct {
	pipe_worker w;
	msgpack_sbuffer out;
	msgpack_zone zone;
	msgpack_object root;
	pipe_result res;
} one;

static void run_one(one *o, const pipe_cfg *cfg, const char *json)
{
	pipe_worker_init(&o->w);
	msgpack_sbuffer_init(&o->out);
	msgpack_zone_init(&o->zone, 4096);
	rec_raw raw = {.buf = json, .len = strlen(json), .fmt = REC_FMT_JSONL, .line = 7};
	assert_int_equal(pipe_record(cfg, &o->w, &raw, 6, &o->out, &o->res), ERR_OK);
	size_t off = 0;
	if (cfg->out_fmt == REC_FMT_MPK)
		assert_int_equal(msgpack_unpack(o->out.data, o->out.size, &off, &o->zone, &o->root),
				 MSGPACK_UNPACK_SUCCESS);
}

static void one_free(one *o)
{
	pipe_worker_fini(&o->w);
	msgpack_sbuffer_destroy(&o->out);
	msgpack_zone_destroy(&o->zone);
}

static void assert_keys(const msgpack_object *m, const char *const *keys)
{
	assert_int_equal(m->type, MSGPACK_OBJECT_MAP);
	uint32_t i = 0;
	for (; keys[i]; i++) {
		assert_true(i < m->via.map.size);
		const msgpack_object *k = &m->via.map.ptr[i].key;
		assert_int_equal(k->type, MSGPACK_OBJECT_STR);
		assert_int_equal(k->via.str.size, strlen(keys[i]));
		assert_memory_equal(k->via.str.ptr, keys[i], k->via.str.size);
	}
	assert_int_equal(i, m->via.map.size);
}

static void assert_str(const msgpack_object *o, const char *s)
{
	assert_non_null(o);
	assert_int_equal(o->type, MSGPACK_OBJECT_STR);
	assert_int_equal(o->via.str.size, strlen(s));
	assert_memory_equal(o->via.str.ptr, s, o->via.str.size);
}

static void test_keys_in_order(void **state)
{
	(void)state;
	pipe_cfg cfg = {.out_fmt = REC_FMT_MPK};
	one o;
	run_one(&o, &cfg,
		"{\"zz\":[1,{\"k\":null}],\"id\":\"k1\",\"text\":\"He said it.\",\"aa\":2.5,"
		"\"entities\":\"replaced\",\"url\":\"u\"}");
	static const char *const keys[] = {"zz", "id", "text", "aa", "url", "entities", "quotes", NULL};
	assert_keys(&o.root, keys);
	assert_false(o.res.failed);
	assert_int_equal(o.res.note[0], '\0');
	const msgpack_object *zz = rec_map_get(&o.root, "zz");
	assert_int_equal(zz->type, MSGPACK_OBJECT_ARRAY);
	assert_int_equal(zz->via.array.size, 2);
	assert_int_equal(rec_map_get(&o.root, "aa")->type, MSGPACK_OBJECT_FLOAT64);
	assert_int_equal(rec_map_get(&o.root, "entities")->type, MSGPACK_OBJECT_ARRAY);
	one_free(&o);
}

static void test_emit(void **state)
{
	(void)state;
	pipe_cfg cfg = {.out_fmt = REC_FMT_MPK, .emit = PIPE_EMIT_TOKENS | PIPE_EMIT_SENTENCES};
	one o;
	run_one(&o, &cfg, "{\"id\":\"e\",\"text\":\"One two.\"}");
	static const char *const keys[] = {"id", "text", "entities", "quotes", "tokens", "sentences", NULL};
	assert_keys(&o.root, keys);
	const msgpack_object *t = rec_map_get(&o.root, "tokens");
	assert_true(t->via.array.size >= 2);
	const msgpack_object *t0 = &t->via.array.ptr[0];
	assert_int_equal(t0->type, MSGPACK_OBJECT_ARRAY);
	assert_int_equal(t0->via.array.size, 2);
	assert_int_equal(t0->via.array.ptr[0].via.u64, 0);
	assert_int_equal(t0->via.array.ptr[1].via.u64, 3);
	assert_true(rec_map_get(&o.root, "sentences")->via.array.size >= 1);
	one_free(&o);
}

static void test_error_missing_text(void **state)
{
	(void)state;
	pipe_cfg cfg = {.out_fmt = REC_FMT_MPK};
	one o;
	run_one(&o, &cfg, "{\"id\":\"abc\",\"title\":\"T\"}");
	static const char *const keys[] = {"id", "title", "entities", "quotes", "error", NULL};
	assert_keys(&o.root, keys);
	assert_true(o.res.failed);
	assert_string_equal(o.res.note,
			    "record 6 (line 7, id \"abc\"): malformed record: text is missing");
	const msgpack_object *e = rec_map_get(&o.root, "error");
	static const char *const ekeys[] = {"code", "message", "position", "line", NULL};
	assert_keys(e, ekeys);
	assert_str(rec_map_get(e, "code"), "bad_record");
	assert_str(rec_map_get(e, "message"), "text is missing");
	assert_int_equal(rec_map_get(e, "position")->via.u64, 6);
	assert_int_equal(rec_map_get(e, "line")->via.u64, 7);
	assert_int_equal(rec_map_get(&o.root, "quotes")->via.array.size, 0);
	one_free(&o);
}

static void test_error_kinds(void **state)
{
	(void)state;
	pipe_cfg cfg = {.out_fmt = REC_FMT_MPK};
	static const struct {
		const char *in, *code, *msg;
	} cases[] = {
		{"{\"id\":\"a\",\"text\":[1]}", "bad_record", "text is not a string (it is an array)"},
		{"{\"text\":\"no id\"}", "bad_record", "id is missing"},
		{"{\"id\":{},\"text\":\"x\"}", "bad_record", "id is not a string (it is a map)"},
		{"\"just a string\"", "bad_record", "record is a string, not a map"},
		{"{\"id\":\"a\",", "bad_record", NULL},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		one o;
		run_one(&o, &cfg, cases[i].in);
		assert_true(o.res.failed);
		const msgpack_object *e = rec_map_get(&o.root, "error");
		assert_non_null(e);
		assert_str(rec_map_get(e, "code"), cases[i].code);
		if (cases[i].msg)
			assert_str(rec_map_get(e, "message"), cases[i].msg);
		assert_int_equal(rec_map_get(&o.root, "entities")->via.array.size, 0);
		one_free(&o);
	}
}

static void test_integer_id(void **state)
{
	(void)state;
	pipe_cfg cfg = {.out_fmt = REC_FMT_MPK};
	one o;
	run_one(&o, &cfg, "{\"id\":42,\"text\":\"x\"}");
	assert_false(o.res.failed);
	assert_int_equal(rec_map_get(&o.root, "id")->via.u64, 42);
	one_free(&o);
}

static void test_invalid_utf8(void **state)
{
	(void)state;
	/* msgpack input keeps the bad byte: offsets stay true */
	msgpack_sbuffer in;
	msgpack_sbuffer_init(&in);
	msgpack_packer pk;
	msgpack_packer_init(&pk, &in, msgpack_sbuffer_write);
	msgpack_pack_map(&pk, 2);
	msgpack_pack_str_with_body(&pk, "id", 2);
	msgpack_pack_str_with_body(&pk, "u", 1);
	msgpack_pack_str_with_body(&pk, "text", 4);
	msgpack_pack_str_with_body(&pk, "ab\xff" "cd", 5);
	rec_raw raw = {.buf = in.data, .len = in.size, .fmt = REC_FMT_MPK};
	for (int strict = 0; strict <= 1; strict++) {
		pipe_cfg cfg = {.out_fmt = REC_FMT_MPK, .strict = strict};
		pipe_worker w;
		pipe_worker_init(&w);
		msgpack_sbuffer out;
		msgpack_sbuffer_init(&out);
		pipe_result res;
		assert_int_equal(pipe_record(&cfg, &w, &raw, 0, &out, &res), ERR_OK);
		msgpack_zone z;
		msgpack_zone_init(&z, 1024);
		msgpack_object root;
		size_t off = 0;
		assert_int_equal(msgpack_unpack(out.data, out.size, &off, &z, &root), MSGPACK_UNPACK_SUCCESS);
		assert_str(rec_map_get(&root, "text"), "ab\xff" "cd");
		if (strict) {
			assert_true(res.failed);
			assert_str(rec_map_get(rec_map_get(&root, "error"), "code"), "bad_utf8");
			assert_null(rec_map_get(&root, "warnings"));
		} else {
			assert_false(res.failed);
			assert_true(res.warned);
			const msgpack_object *wa = rec_map_get(&root, "warnings");
			assert_non_null(wa);
			assert_int_equal(wa->via.array.size, 1);
			assert_str(&wa->via.array.ptr[0], "invalid_utf8");
			assert_non_null(strstr(res.note, "warning: invalid_utf8"));
		}
		msgpack_zone_destroy(&z);
		msgpack_sbuffer_destroy(&out);
		pipe_worker_fini(&w);
	}
	/* JSON output shows U+FFFD */
	pipe_cfg cfg = {.out_fmt = REC_FMT_JSONL};
	pipe_worker w;
	pipe_worker_init(&w);
	msgpack_sbuffer out;
	msgpack_sbuffer_init(&out);
	pipe_result res;
	assert_int_equal(pipe_record(&cfg, &w, &raw, 0, &out, &res), ERR_OK);
	const char *want = "{\"id\":\"u\",\"text\":\"ab\xEF\xBF\xBD" "cd\",\"entities\":[],\"quotes\":[],"
			   "\"warnings\":[\"invalid_utf8\"]}\n";
	assert_int_equal(out.size, strlen(want));
	assert_memory_equal(out.data, want, out.size);
	msgpack_sbuffer_destroy(&out);
	pipe_worker_fini(&w);
	msgpack_sbuffer_destroy(&in);
}

static void test_raw_error(void **state)
{
	(void)state;
	pipe_cfg cfg = {.out_fmt = REC_FMT_JSONL};
	pipe_worker w;
	pipe_worker_init(&w);
	msgpack_sbuffer out;
	msgpack_sbuffer_init(&out);
	pipe_result res;
	rec_raw raw = {.fmt = REC_FMT_MPK, .e = ERR_LIMIT, .msg = "too big"};
	assert_int_equal(pipe_record(&cfg, &w, &raw, 3, &out, &res), ERR_OK);
	const char *want = "{\"entities\":[],\"quotes\":[],\"error\":{\"code\":\"limit\",\"message\":\"too big\","
			   "\"position\":3}}\n";
	assert_int_equal(out.size, strlen(want));
	assert_memory_equal(out.data, want, out.size);
	assert_true(res.failed);
	assert_string_equal(res.note, "record 3: a size limit was exceeded: too big");
	msgpack_sbuffer_destroy(&out);
	pipe_worker_fini(&w);
}

/* ---- the pool ---- */

typedef struct {
	uint64_t n_items, next_read, next_write, fail_at;
	int out_of_order;
} pool_test;

typedef struct {
	uint64_t seq, value;
} pool_item_t;

static int pt_read(void *ctx, void *it)
{
	pool_test *t = ctx;
	pool_item_t *item = it;
	if (t->next_read == t->n_items)
		return 0;
	item->seq = t->next_read++;
	item->value = 0;
	return 1;
}

static void pt_work(void *ctx, void *w, void *it)
{
	(void)ctx, (void)w;
	pool_item_t *item = it;
	/* uneven work, so that workers finish out of order */
	uint64_t x = item->seq;
	for (uint64_t i = 0; i < (item->seq * 7919) % 5000; i++)
		x = x * 6364136223846793005u + 1442695040888963407u;
	item->value = item->seq * 3 + (x & 0);
}

static int pt_write(void *ctx, void *it)
{
	pool_test *t = ctx;
	pool_item_t *item = it;
	if (item->seq != t->next_write || item->value != item->seq * 3)
		t->out_of_order = 1;
	t->next_write++;
	return t->next_write == t->fail_at ? -1 : 0;
}

static void test_pool_order(void **state)
{
	(void)state;
	static const unsigned ns[] = {1, 2, 3, 8};
	for (size_t k = 0; k < sizeof ns / sizeof ns[0]; k++) {
		pool_test t = {.n_items = 5000};
		pool_ops ops = {.ctx = &t, .item_size = sizeof(pool_item_t), .read = pt_read,
				.work = pt_work, .write = pt_write};
		assert_int_equal(pool_run(&ops, ns[k]), ERR_OK);
		assert_int_equal(t.next_write, 5000);
		assert_false(t.out_of_order);
	}
	pool_test t = {.n_items = 0};
	pool_ops ops = {.ctx = &t, .item_size = sizeof(pool_item_t), .read = pt_read, .work = pt_work,
			.write = pt_write};
	assert_int_equal(pool_run(&ops, 4), ERR_OK);
	assert_int_equal(t.next_write, 0);
}

static void test_pool_write_fails(void **state)
{
	(void)state;
	for (unsigned n = 1; n <= 4; n += 3) {
		pool_test t = {.n_items = 100000, .fail_at = 10};
		pool_ops ops = {.ctx = &t, .item_size = sizeof(pool_item_t), .read = pt_read,
				.work = pt_work, .write = pt_write};
		assert_int_equal(pool_run(&ops, n), ERR_IO);
		assert_int_equal(t.next_write, 10);
		assert_true(t.next_read < 100000);
	}
}

/* A read that fails after read_fail_at items: every item read is still
 * worked and written, in order, and the run says ERR_IO. */
static int pt_read_fails(void *ctx, void *it)
{
	pool_test *t = ctx;
	if (t->next_read == t->fail_at)
		return -1;
	return pt_read(ctx, it);
}

static void test_pool_read_fails(void **state)
{
	(void)state;
	static const unsigned ns[] = {1, 2, 5};
	for (size_t k = 0; k < sizeof ns / sizeof ns[0]; k++) {
		pool_test t = {.n_items = 100000, .fail_at = 777};
		pool_stats st;
		pool_ops ops = {.ctx = &t, .item_size = sizeof(pool_item_t), .read = pt_read_fails,
				.work = pt_work, .write = pt_write, .stats = &st};
		assert_int_equal(pool_run(&ops, ns[k]), ERR_IO);
		assert_int_equal(t.next_write, 777);
		assert_false(t.out_of_order);
		if (ns[k] > 1)
			assert_true(st.n_reads >= 1 && st.n_writes >= 1);
	}
}

static void *pt_worker_new_fails(void *ctx)
{
	(void)ctx;
	return NULL;
}

static void test_pool_worker_fails(void **state)
{
	(void)state;
	for (unsigned n = 1; n <= 3; n += 2) {
		pool_test t = {.n_items = 1000};
		pool_ops ops = {.ctx = &t, .item_size = sizeof(pool_item_t), .read = pt_read, .work = pt_work,
				.write = pt_write, .worker_new = pt_worker_new_fails};
		assert_int_equal(pool_run(&ops, n), ERR_NOMEM);
	}
}

/* ---- the whole pipeline over real articles ---- */

static uint64_t u(const msgpack_object *o)
{
	assert_non_null(o);
	assert_int_equal(o->type, MSGPACK_OBJECT_POSITIVE_INTEGER);
	return o->via.u64;
}

/* x has start, end and text: the span lies in the text and text equals
 * the bytes there. */
static void check_span(const msgpack_object *x, const char *text, uint32_t len)
{
	uint64_t s = u(rec_map_get(x, "start")), e = u(rec_map_get(x, "end"));
	assert_true(s <= e);
	assert_true(e <= len);
	const msgpack_object *t = rec_map_get(x, "text");
	assert_non_null(t);
	assert_int_equal(t->type, MSGPACK_OBJECT_STR);
	assert_int_equal(t->via.str.size, e - s);
	assert_memory_equal(t->via.str.ptr, text + s, e - s);
}

static void check_output(const msgpack_object *root, const char *text, uint32_t len)
{
	const msgpack_object *ents = rec_map_get(root, "entities"), *qs = rec_map_get(root, "quotes");
	assert_non_null(ents);
	assert_non_null(qs);
	assert_int_equal(ents->type, MSGPACK_OBJECT_ARRAY);
	assert_int_equal(qs->type, MSGPACK_OBJECT_ARRAY);
	assert_null(rec_map_get(root, "error"));
	for (uint32_t i = 0; i < ents->via.array.size; i++)
		check_span(&ents->via.array.ptr[i], text, len);
	uint32_t n_sent = rec_map_get(root, "sentences")->via.array.size;
	for (uint32_t i = 0; i < qs->via.array.size; i++) {
		const msgpack_object *q = &qs->via.array.ptr[i];
		check_span(q, text, len);
		const msgpack_object *spk = rec_map_get(q, "speaker"), *cue = rec_map_get(q, "cue");
		if (spk->type != MSGPACK_OBJECT_NIL)
			check_span(spk, text, len);
		if (cue->type != MSGPACK_OBJECT_NIL)
			check_span(cue, text, len);
		assert_true(u(rec_map_get(q, "sentence")) < (n_sent ? n_sent : 1));
	}
	static const char *const spans[] = {"tokens", "sentences"};
	for (int k = 0; k < 2; k++) {
		const msgpack_object *a = rec_map_get(root, spans[k]);
		for (uint32_t i = 0; i < a->via.array.size; i++) {
			const msgpack_object *p = &a->via.array.ptr[i];
			assert_true(p->via.array.ptr[0].via.u64 <= p->via.array.ptr[1].via.u64);
			assert_true(p->via.array.ptr[1].via.u64 <= len);
		}
	}
}

static int check_file(const char *path, const pipe_cfg *cfg)
{
	rec_reader *r;
	err_info ei;
	if (rec_reader_open(path, &r, &ei) != ERR_OK)
		return -1;
	pipe_worker w;
	pipe_worker_init(&w);
	rec_scratch s;
	rec_scratch_init(&s);
	msgpack_sbuffer out;
	msgpack_sbuffer_init(&out);
	msgpack_zone z;
	msgpack_zone_init(&z, 4096);
	int n = 0;
	for (;;) {
		rec_raw raw;
		int got;
		assert_int_equal(rec_read(r, &raw, &got, &ei), ERR_OK);
		if (!got)
			break;
		msgpack_sbuffer_clear(&out);
		pipe_result res;
		assert_int_equal(pipe_record(cfg, &w, &raw, (uint64_t)n, &out, &res), ERR_OK);
		assert_false(res.failed);
		rec_in in;
		assert_int_equal(rec_decode(&raw, &s, &in, &ei), ERR_OK);
		msgpack_object root;
		size_t off = 0;
		msgpack_zone_clear(&z);
		assert_int_equal(msgpack_unpack(out.data, out.size, &off, &z, &root), MSGPACK_UNPACK_SUCCESS);
		check_output(&root, in.text, in.text_len);
		n++;
	}
	msgpack_zone_destroy(&z);
	msgpack_sbuffer_destroy(&out);
	rec_scratch_fini(&s);
	pipe_worker_fini(&w);
	rec_reader_close(r);
	return n;
}

static void test_offsets_real(void **state)
{
	(void)state;
	const char *b = getenv("B");
	char path[1024];
	snprintf(path, sizeof path, "%s/whosaid.model", b && *b ? b : "build");
	model *m = NULL;
	gaz_model *g = NULL;
	quote_model *q = NULL;
	err_info ei;
	if (model_open(path, &m, &ei) == ERR_OK) {
		assert_int_equal(gaz_open(m, &g, &ei), ERR_OK);
		assert_int_equal(quote_open(m, &q, &ei), ERR_OK);
	} else {
		fprintf(stderr, "test_pipeline: no model at %s; stages run without one\n", path);
	}
	pipe_cfg cfg = {.gaz = g, .quote = q, .out_fmt = REC_FMT_MPK,
			.emit = PIPE_EMIT_TOKENS | PIPE_EMIT_SENTENCES};
	assert_int_equal(check_file("sample/articles.jsonl", &cfg), 5);
	const char *shared = getenv("SHARED");
	snprintf(path, sizeof path, "%s/data/eval/polnear-dev.jsonl", shared && *shared ? shared : "../shared");
	if (access(path, R_OK) == 0)
		assert_true(check_file(path, &cfg) > 0);
	quote_close(q);
	gaz_close(g);
	model_close(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_keys_in_order),
		cmocka_unit_test(test_emit),
		cmocka_unit_test(test_error_missing_text),
		cmocka_unit_test(test_error_kinds),
		cmocka_unit_test(test_integer_id),
		cmocka_unit_test(test_invalid_utf8),
		cmocka_unit_test(test_raw_error),
		cmocka_unit_test(test_pool_order),
		cmocka_unit_test(test_pool_write_fails),
		cmocka_unit_test(test_pool_read_fails),
		cmocka_unit_test(test_pool_worker_fails),
		cmocka_unit_test(test_offsets_real),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
