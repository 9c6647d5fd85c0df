/* SPDX-License-Identifier: MIT */
/* JSON Lines in for whosaid-eval: one getline and one json_loadb per line,
 * each record converted to plain structs at once and its tree freed. */
#include "load.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool load_jsonl(const char *path, load_fn fn, void *ctx, uint64_t *bad)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "whosaid-eval: %s: %s\n", path, strerror(errno));
		return false;
	}
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	uint64_t lineno = 0;
	bool ok = true;
	while ((n = getline(&line, &cap, f)) >= 0) {
		lineno++;
		size_t i = 0;
		while (i < (size_t)n && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r' ||
					 line[i] == '\n'))
			i++;
		if (i == (size_t)n)
			continue;
		json_error_t je;
		json_t *rec = json_loadb(line, (size_t)n, JSON_ALLOW_NUL, &je);
		if (!rec || !json_is_object(rec)) {
			fprintf(stderr, "whosaid-eval: %s:%llu: %s\n", path,
				(unsigned long long)lineno, rec ? "not a JSON object" : je.text);
			json_decref(rec);
			if (bad)
				(*bad)++;
			continue;
		}
		bool go = fn(rec, lineno, ctx);
		json_decref(rec);
		if (!go) {
			ok = false;
			break;
		}
	}
	if (ferror(f)) {
		fprintf(stderr, "whosaid-eval: %s: read error\n", path);
		ok = false;
	}
	free(line);
	if (f != stdin)
		fclose(f);
	return ok;
}

const char *load_str(const json_t *o, const char *key)
{
	const json_t *v = json_object_get(o, key);
	return json_is_string(v) ? json_string_value(v) : NULL;
}

bool load_u32(const json_t *o, const char *key, uint32_t *out)
{
	const json_t *v = json_object_get(o, key);
	if (!json_is_integer(v))
		return false;
	json_int_t x = json_integer_value(v);
	if (x < 0 || x > (json_int_t)UINT32_MAX)
		return false;
	*out = (uint32_t)x;
	return true;
}

static char *dup_str(const char *s)
{
	if (!s)
		return NULL;
	size_t n = strlen(s);
	char *d = malloc(n + 1);
	if (d)
		memcpy(d, s, n + 1);
	return d;
}

/* ---- gold ---- */

/* Counts the [s, e] pairs of a role value (an array of pairs, or null). */
static uint32_t role_count(const json_t *v)
{
	if (!json_is_array(v))
		return 0;
	uint32_t n = 0;
	for (size_t i = 0; i < json_array_size(v); i++) {
		const json_t *p = json_array_get(v, i);
		if (json_is_array(p) && json_array_size(p) == 2 &&
		    json_is_integer(json_array_get(p, 0)) && json_is_integer(json_array_get(p, 1)))
			n++;
	}
	return n;
}

/* Copies the valid pairs of v (inside len bytes) to out; returns the count. */
static uint32_t role_fill(const json_t *v, uint32_t len, score_span *out)
{
	if (!json_is_array(v))
		return 0;
	uint32_t n = 0;
	for (size_t i = 0; i < json_array_size(v); i++) {
		const json_t *p = json_array_get(v, i);
		if (!json_is_array(p) || json_array_size(p) != 2)
			continue;
		const json_t *a = json_array_get(p, 0), *b = json_array_get(p, 1);
		if (!json_is_integer(a) || !json_is_integer(b))
			continue;
		json_int_t s = json_integer_value(a), e = json_integer_value(b);
		if (s < 0 || e < s || e > (json_int_t)len)
			continue;
		out[n].start = (uint32_t)s;
		out[n].end = (uint32_t)e;
		n++;
	}
	return n;
}

static bool gold_add(json_t *rec, uint64_t line, void *ctx)
{
	load_gold_set *s = ctx;
	const json_t *t = json_object_get(rec, "text");
	const char *id = load_str(rec, "id");
	if (!json_is_string(t) || !id || json_string_length(t) > UINT32_MAX) {
		fprintf(stderr, "whosaid-eval: gold line %llu: no id or text, skipped\n",
			(unsigned long long)line);
		return true;
	}
	if (s->n == s->cap) {
		uint32_t nc = s->cap ? s->cap * 2 : 64;
		load_gold_doc *v = realloc(s->v, nc * sizeof *v);
		if (!v)
			return false;
		s->v = v;
		s->cap = nc;
	}
	load_gold_doc *d = &s->v[s->n];
	memset(d, 0, sizeof *d);
	d->len = (uint32_t)json_string_length(t);
	d->id = dup_str(id);
	const char *outlet = load_str(rec, "source");
	if (outlet) {
		d->outlet = dup_str(outlet);
	} else {
		const char *us = strchr(id, '_');
		size_t ol = us ? (size_t)(us - id) : strlen(id);
		d->outlet = malloc(ol + 1);
		if (d->outlet) {
			memcpy(d->outlet, id, ol);
			d->outlet[ol] = 0;
		}
	}
	d->text = malloc(d->len + 1);
	const json_t *g = json_object_get(rec, "gold");
	size_t ng = json_is_array(g) ? json_array_size(g) : 0;
	uint32_t nsp = 0;
	for (size_t i = 0; i < ng; i++) {
		const json_t *a = json_array_get(g, i);
		nsp += role_count(json_object_get(a, "source")) +
		       role_count(json_object_get(a, "cue")) +
		       role_count(json_object_get(a, "content"));
	}
	d->gold = calloc(ng + 1, sizeof *d->gold);
	d->spans = malloc((nsp + 1) * sizeof *d->spans);
	if (!d->id || !d->outlet || !d->text || !d->gold || !d->spans) {
		free(d->id);
		free(d->outlet);
		free(d->text);
		free(d->gold);
		free(d->spans);
		return false;
	}
	memcpy(d->text, json_string_value(t), d->len);
	d->text[d->len] = 0;
	uint32_t k = 0;
	for (size_t i = 0; i < ng; i++) {
		const json_t *a = json_array_get(g, i);
		if (!json_is_object(a))
			continue;
		score_gold *x = &d->gold[d->ngold];
		x->src = d->spans + k;
		x->nsrc = role_fill(json_object_get(a, "source"), d->len, d->spans + k);
		k += x->nsrc;
		x->cue = d->spans + k;
		x->ncue = role_fill(json_object_get(a, "cue"), d->len, d->spans + k);
		k += x->ncue;
		x->content = d->spans + k;
		x->ncontent = role_fill(json_object_get(a, "content"), d->len, d->spans + k);
		k += x->ncontent;
		x->direct = json_is_true(json_object_get(a, "direct"));
		d->ngold++;
	}
	s->n++;
	return true;
}

bool load_gold_file(const char *path, load_gold_set *out)
{
	memset(out, 0, sizeof *out);
	return load_jsonl(path, gold_add, out, NULL);
}

void load_gold_free(load_gold_set *s)
{
	for (uint32_t i = 0; i < s->n; i++) {
		free(s->v[i].id);
		free(s->v[i].outlet);
		free(s->v[i].text);
		free(s->v[i].gold);
		free(s->v[i].spans);
	}
	free(s->v);
	memset(s, 0, sizeof *s);
}

/* ---- predictions ---- */

static score_kind kind_of(const char *k)
{
	if (!k)
		return SCORE_KIND_NONE;
	if (strcmp(k, "direct") == 0)
		return SCORE_KIND_DIRECT;
	if (strcmp(k, "mixed") == 0)
		return SCORE_KIND_MIXED;
	if (strcmp(k, "indirect") == 0)
		return SCORE_KIND_INDIRECT;
	return SCORE_KIND_NONE;
}

static bool span_of(const json_t *o, score_span *sp)
{
	return json_is_object(o) && load_u32(o, "start", &sp->start) &&
	       load_u32(o, "end", &sp->end) && sp->start <= sp->end;
}

static void pred_doc_free(load_pred_doc *d)
{
	for (uint32_t i = 0; i < d->nq; i++) {
		free((char *)d->q[i].spk_name);
		free((char *)d->q[i].spk_text);
		free((char *)d->q[i].when);
		free((char *)d->q[i].text);
	}
	free(d->q);
	free(d->e);
	free(d->id);
}

static bool pred_add(json_t *rec, uint64_t line, void *ctx)
{
	load_pred_set *s = ctx;
	const char *id = load_str(rec, "id");
	if (!id) {
		fprintf(stderr, "whosaid-eval: prediction line %llu: no id, skipped\n",
			(unsigned long long)line);
		s->no_id++;
		return true;
	}
	if (s->n == s->cap) {
		uint32_t nc = s->cap ? s->cap * 2 : 64;
		load_pred_doc *v = realloc(s->v, nc * sizeof *v);
		if (!v)
			return false;
		s->v = v;
		s->cap = nc;
	}
	load_pred_doc *d = &s->v[s->n];
	memset(d, 0, sizeof *d);
	d->id = dup_str(id);
	d->line = line;
	d->error = json_object_get(rec, "error") != NULL &&
		   !json_is_null(json_object_get(rec, "error"));
	const json_t *qs = json_object_get(rec, "quotes");
	const json_t *es = json_object_get(rec, "entities");
	size_t nq = json_is_array(qs) ? json_array_size(qs) : 0;
	size_t ne = json_is_array(es) ? json_array_size(es) : 0;
	d->q = calloc(nq + 1, sizeof *d->q);
	d->e = calloc(ne + 1, sizeof *d->e);
	if (!d->id || !d->q || !d->e) {
		pred_doc_free(d);
		return false;
	}
	for (size_t i = 0; i < nq; i++) {
		const json_t *o = json_array_get(qs, i);
		score_quote *q = &d->q[d->nq];
		if (!span_of(o, &q->content))
			continue;
		q->kind = kind_of(load_str(o, "kind"));
		const json_t *sp = json_object_get(o, "speaker");
		if (json_is_object(sp)) {
			q->has_spk = span_of(sp, &q->spk);
			q->spk_name = dup_str(load_str(sp, "name"));
			q->spk_text = dup_str(load_str(sp, "text"));
		}
		q->has_cue = span_of(json_object_get(o, "cue"), &q->cue);
		q->when = dup_str(load_str(o, "when"));
		q->text = dup_str(load_str(o, "text"));
		d->nq++;
	}
	for (size_t i = 0; i < ne; i++) {
		const json_t *o = json_array_get(es, i);
		score_entity *e = &d->e[d->ne];
		if (!span_of(o, &e->sp))
			continue;
		const char *t = load_str(o, "type");
		if (t && strlen(t) < sizeof e->type)
			memcpy(e->type, t, strlen(t) + 1);
		d->ne++;
	}
	s->n++;
	return true;
}

static int pred_cmp(const void *a, const void *b)
{
	const load_pred_doc *x = a, *y = b;
	int c = strcmp(x->id, y->id);
	if (c)
		return c;
	/* File order among duplicates, so that the first one wins. */
	return x->line < y->line ? -1 : x->line > y->line;
}

bool load_pred_file(const char *path, load_pred_set *out)
{
	memset(out, 0, sizeof *out);
	if (!load_jsonl(path, pred_add, out, NULL))
		return false;
	if (out->n > 1)
		qsort(out->v, out->n, sizeof *out->v, pred_cmp);
	uint32_t k = 0;
	for (uint32_t i = 0; i < out->n; i++) {
		if (k > 0 && strcmp(out->v[k - 1].id, out->v[i].id) == 0) {
			out->dup_id++;
			pred_doc_free(&out->v[i]);
			continue;
		}
		out->v[k++] = out->v[i];
	}
	out->n = k;
	return true;
}

void load_pred_free(load_pred_set *s)
{
	for (uint32_t i = 0; i < s->n; i++)
		pred_doc_free(&s->v[i]);
	free(s->v);
	memset(s, 0, sizeof *s);
}

const load_pred_doc *load_pred_find(const load_pred_set *s, const char *id)
{
	uint32_t lo = 0, hi = s->n;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		int c = strcmp(s->v[mid].id, id);
		if (c == 0)
			return &s->v[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

uint32_t load_pred_clip(load_pred_doc *d, uint32_t len)
{
	uint32_t bad = 0, k = 0;
	for (uint32_t i = 0; i < d->nq; i++) {
		score_quote *q = &d->q[i];
		if (q->content.end > len) {
			bad++;
			free((char *)q->spk_name);
			free((char *)q->spk_text);
			free((char *)q->when);
			free((char *)q->text);
			continue;
		}
		if (q->has_spk && q->spk.end > len) {
			q->has_spk = false;
			bad++;
		}
		if (q->has_cue && q->cue.end > len) {
			q->has_cue = false;
			bad++;
		}
		d->q[k++] = *q;
	}
	d->nq = k;
	k = 0;
	for (uint32_t i = 0; i < d->ne; i++) {
		if (d->e[i].sp.end > len) {
			bad++;
			continue;
		}
		d->e[k++] = d->e[i];
	}
	d->ne = k;
	return bad;
}
