/* SPDX-License-Identifier: MIT */
/* whosaid-eval: scores the pipeline's output records against the project's
 * gold data and prints one plain-text table per mode (or JSON with --json).
 * Modes: polnear (attribution on PolNeAR), seeds (quotes and entities on
 * the seed articles), entcov (entity coverage of PolNeAR gold sources that
 * are names), gold2pred (gold written as predictions, to check the scorer),
 * compare (what changed between two --json reports), check (the issues'
 * targets, eval/targets.txt, against those reports).
 * What each number means is in eval/README.md. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "load.h"
#include "score.h"

typedef struct {
	bool json, verbose, by_outlet;
	const char *articles;
	const char *pos[8];
	int npos;
} opts;

static void usage(FILE *f)
{
	fputs("usage: whosaid-eval [--json] [-v] MODE ARGS...\n"
	      "  polnear GOLD.jsonl PRED.jsonl       attribution scores on PolNeAR\n"
	      "  seeds [--articles ARTICLES.jsonl] GOLD_QUOTES GOLD_ENTITIES PRED.jsonl\n"
	      "                                      seed gold: quotes and entities\n"
	      "  entcov GOLD.jsonl PRED.jsonl        PolNeAR gold sources that are names,\n"
	      "                                      covered by a PER or ORG entity\n"
	      "  gold2pred GOLD.jsonl                the gold as prediction records\n"
	      "  compare OLD.json NEW.json           what changed between two --json reports\n"
	      "  check TARGETS DIR                   targets (eval/targets.txt) met by the\n"
	      "                                      reports DIR/*.json of make eval\n"
	      "PRED.jsonl holds `whosaid run --format jsonl` output records, matched by id.\n"
	      "--json prints the numbers as one JSON object; -v lists misses;\n"
	      "--by-outlet adds polnear scores per news outlet.\n"
	      "See eval/README.md for every measure.\n",
	      f);
}

static const char *base(const char *p)
{
	const char *s = strrchr(p, '/');
	return s ? s + 1 : p;
}

static json_t *prf_json(score_prf c)
{
	return json_pack("{s:f,s:f,s:f,s:I,s:I,s:I}", "p", score_p(c), "r", score_r(c), "f1",
			 score_f1(c), "tp", (json_int_t)c.tp, "pred", (json_int_t)c.npred, "gold",
			 (json_int_t)c.ngold);
}

static void print_json(json_t *o)
{
	json_dumpf(o, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(4));
	fputc('\n', stdout);
	json_decref(o);
}

static double ratio(uint64_t a, uint64_t b)
{
	return b ? (double)a / (double)b : 0.0;
}

/* ---- polnear ---- */

/* Loads the gold file and the predictions file; false (files freed, a
 * message printed by the loader) when either cannot be read. */
static bool load_gold_pred(const char *gold, const char *pred, load_gold_set *gs,
			   load_pred_set *ps)
{
	if (!load_gold_file(gold, gs))
		return false;
	if (!load_pred_file(pred, ps)) {
		load_gold_free(gs);
		return false;
	}
	return true;
}

static const char *const role_names[SCORE_NROLES] = {"source", "cue", "content"};
static const char *const thresh_names[SCORE_NTHRESH] = {"overlap_any", "overlap_30",
							"overlap_80"};
static const char *const thresh_labels[SCORE_NTHRESH] = {"content overlap>0",
							 "content cover>=30%",
							 "content cover>=80%"};

static void prf_cells(score_prf c)
{
	printf("  %5.3f  %5.3f  %5.3f %6llu %6llu %6llu", score_p(c), score_r(c), score_f1(c),
	       (unsigned long long)c.tp, (unsigned long long)c.npred,
	       (unsigned long long)c.ngold);
}

typedef struct {
	const load_gold_doc *g;
	const load_pred_doc *p;
	FILE *out; /* where -v lines go (printed after the table) */
	uint64_t start[3], end[3]; /* matched content bounds: early, exact, late */
} miss_ctx;

/* Prints at most 100 bytes of text at s on one line (whole characters,
 * line breaks and tabs as spaces), or "-" for none. */
static void snip(FILE *f, const char *text, uint32_t len, const score_span *s)
{
	if (!s || s->start >= s->end) {
		fputs("-", f);
		return;
	}
	uint32_t e = s->end - s->start > 100 ? s->start + 100 : s->end;
	while (e < s->end && e < len && ((unsigned char)text[e] & 0xC0) == 0x80)
		e--;
	for (uint32_t i = s->start; i < e; i++)
		fputc(text[i] == '\n' || text[i] == '\t' || text[i] == '\r' ? ' ' : text[i], f);
	if (e < s->end)
		fputs("...", f);
}

/* -v: one line per unmatched gold attribution or predicted quote. */
static void polnear_miss(void *ctx, bool is_gold, uint32_t i)
{
	const miss_ctx *m = ctx;
	score_span s;
	if (is_gold) {
		const score_gold *x = &m->g->gold[i];
		if (x->ncontent == 0)
			return;
		s = score_hull(x->content, x->ncontent);
	} else {
		s = m->p->q[i].content;
	}
	fprintf(m->out, "%s\t%s\t%u-%u\t", is_gold ? "gold-unmatched" : "pred-unmatched", m->g->id,
	       s.start, s.end);
	snip(m->out, m->g->text, m->g->len, &s);
	fputc('\n', m->out);
}

/* One -v line when a role of a matched pair differs after trimming. */
static void pair_role(const miss_ctx *m, const char *tag, const score_span *g,
		      const score_span *p, bool content)
{
	score_span gt = {0, 0}, pt = {0, 0};
	if (g)
		gt = score_trim(m->g->text, m->g->len, *g, content);
	if (p)
		pt = score_trim(m->g->text, m->g->len, *p, content);
	if (gt.start == pt.start && gt.end == pt.end)
		return;
	fprintf(m->out, "%s\t%s\tgold %u-%u: ", tag, m->g->id, gt.start, gt.end);
	snip(m->out, m->g->text, m->g->len, g ? &gt : NULL);
	fprintf(m->out, "\tpred %u-%u: ", pt.start, pt.end);
	snip(m->out, m->g->text, m->g->len, p ? &pt : NULL);
	fputc('\n', m->out);
}

/* -v: for a matched pair, the roles whose spans differ. */
static void polnear_pair(void *ctx, uint32_t gi, uint32_t pj)
{
	const miss_ctx *m = ctx;
	const score_gold *g = &m->g->gold[gi];
	const score_quote *q = &m->p->q[pj];
	score_span gc = score_hull(g->content, g->ncontent);
	pair_role(m, "content-differs", &gc, &q->content, true);
	score_span gt = score_trim(m->g->text, m->g->len, gc, true);
	score_span pt = score_trim(m->g->text, m->g->len, q->content, true);
	miss_ctx *w = ctx;
	w->start[pt.start < gt.start ? 0 : pt.start == gt.start ? 1 : 2]++;
	w->end[pt.end < gt.end ? 0 : pt.end == gt.end ? 1 : 2]++;
	score_span gs = g->nsrc ? score_hull(g->src, g->nsrc) : (score_span){0, 0};
	pair_role(m, "source-differs", g->nsrc ? &gs : NULL, q->has_spk ? &q->spk : NULL, false);
	score_span gu = g->ncue ? score_hull(g->cue, g->ncue) : (score_span){0, 0};
	pair_role(m, "cue-differs", g->ncue ? &gu : NULL, q->has_cue ? &q->cue : NULL, false);
}

enum { MAX_OUTLETS = 64 };

typedef struct {
	const char *name;
	score_polnear acc;
} outlet_acc;

/* The accumulator of outlet name in v[0..*n), added when new; NULL when
 * there are too many outlets. */
static score_polnear *outlet_of(outlet_acc *v, uint32_t *n, const char *name)
{
	for (uint32_t i = 0; i < *n; i++)
		if (strcmp(v[i].name, name) == 0)
			return &v[i].acc;
	if (*n == MAX_OUTLETS)
		return NULL;
	memset(&v[*n], 0, sizeof v[*n]);
	v[*n].name = name;
	return &v[(*n)++].acc;
}

/* --by-outlet: one row per outlet with the headline numbers. */
static void print_outlets(const outlet_acc *v, uint32_t n)
{
	printf("\n%-16s %5s %5s  %-23s  %-19s  %s\n", "", "", "", "---- exact F1, all ----",
	       "-- overlap, all ---", "--- quoted only ---");
	printf("%-16s %5s %5s  %7s %7s %7s  %9s %9s  %9s %9s\n", "outlet", "docs", "gold",
	       "source", "cue", "content", "F1", "speaker", "content", "speaker");
	for (uint32_t i = 0; i < n; i++) {
		const score_polnear *a = &v[i].acc;
		const score_counts *c = &a->sub[SCORE_ALL], *q = &a->sub[SCORE_QUOTED];
		printf("%-16.16s %5llu %5llu  %7.3f %7.3f %7.3f  %9.3f %9.3f  %9.3f %9.3f\n",
		       v[i].name, (unsigned long long)a->docs, (unsigned long long)a->gold_attrs,
		       score_f1(c->exact[SCORE_SRC]), score_f1(c->exact[SCORE_CUE]),
		       score_f1(c->exact[SCORE_CONTENT]), score_f1(c->overlap[0]),
		       ratio(c->spk_right, c->spk_matched), score_f1(q->exact[SCORE_CONTENT]),
		       ratio(q->spk_right, q->spk_matched));
	}
}

static json_t *outlets_json(const outlet_acc *v, uint32_t n)
{
	json_t *r = json_object();
	for (uint32_t i = 0; i < n; i++) {
		const score_polnear *a = &v[i].acc;
		const score_counts *c = &a->sub[SCORE_ALL], *q = &a->sub[SCORE_QUOTED];
		json_object_set_new(
			r, v[i].name,
			json_pack("{s:I,s:I,s:f,s:f,s:f,s:f,s:f,s:f,s:f}", "docs",
				  (json_int_t)a->docs, "gold", (json_int_t)a->gold_attrs,
				  "source_f1", score_f1(c->exact[SCORE_SRC]), "cue_f1",
				  score_f1(c->exact[SCORE_CUE]), "content_f1",
				  score_f1(c->exact[SCORE_CONTENT]), "overlap_f1",
				  score_f1(c->overlap[0]), "speaker_accuracy",
				  ratio(c->spk_right, c->spk_matched), "quoted_content_f1",
				  score_f1(q->exact[SCORE_CONTENT]), "quoted_speaker_accuracy",
				  ratio(q->spk_right, q->spk_matched)));
	}
	return r;
}

static int run_polnear(const opts *o)
{
	if (o->npos != 3) {
		usage(stderr);
		return 2;
	}
	load_gold_set gs;
	load_pred_set ps;
	if (!load_gold_pred(o->pos[1], o->pos[2], &gs, &ps))
		return 2;
	score_polnear acc;
	memset(&acc, 0, sizeof acc);
	outlet_acc *outlets = o->by_outlet ? calloc(MAX_OUTLETS, sizeof *outlets) : NULL;
	uint32_t noutlets = 0;
	if (o->by_outlet && !outlets) {
		fprintf(stderr, "whosaid-eval: out of memory\n");
		return 2;
	}
	uint64_t clipped = 0, errors = 0;
	miss_ctx mc;
	memset(&mc, 0, sizeof mc);
	char *vbuf = NULL;
	size_t vlen = 0;
	mc.out = NULL;
	if (o->verbose && !o->json) {
		mc.out = open_memstream(&vbuf, &vlen);
		if (!mc.out) {
			fprintf(stderr, "whosaid-eval: out of memory\n");
			return 2;
		}
		acc.on_miss = polnear_miss;
		acc.on_pair = polnear_pair;
		acc.miss_ctx = &mc;
	}
	for (uint32_t i = 0; i < gs.n; i++) {
		const load_gold_doc *g = &gs.v[i];
		load_pred_doc *p = (load_pred_doc *)load_pred_find(&ps, g->id);
		mc.g = g;
		mc.p = p;
		if (!p) {
			acc.docs_missing++;
			if (o->verbose)
				fprintf(stderr, "missing from predictions: %s\n", g->id);
		} else {
			clipped += load_pred_clip(p, g->len);
			errors += p->error;
		}
		if (!score_polnear_doc(g->text, g->len, g->gold, g->ngold, p ? p->q : NULL,
				       p ? p->nq : 0, &acc)) {
			fprintf(stderr, "whosaid-eval: out of memory\n");
			return 2;
		}
		score_polnear *oa = outlets ? outlet_of(outlets, &noutlets, g->outlet) : NULL;
		if (oa && !score_polnear_doc(g->text, g->len, g->gold, g->ngold,
					     p ? p->q : NULL, p ? p->nq : 0, oa)) {
			fprintf(stderr, "whosaid-eval: out of memory\n");
			return 2;
		}
	}
	if (clipped)
		fprintf(stderr, "whosaid-eval: %llu predicted spans lie outside their text\n",
			(unsigned long long)clipped);
	if (o->json) {
		json_t *r = json_pack("{s:s,s:s,s:s,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I}", "mode",
				      "polnear", "gold", base(o->pos[1]), "pred", base(o->pos[2]),
				      "docs", (json_int_t)acc.docs, "docs_missing",
				      (json_int_t)acc.docs_missing, "docs_error", (json_int_t)errors,
				      "gold_attributions", (json_int_t)acc.gold_attrs, "gold_quoted",
				      (json_int_t)acc.gold_quoted, "gold_direct",
				      (json_int_t)acc.gold_direct, "pred_quotes",
				      (json_int_t)acc.pred_quotes, "pred_quoted",
				      (json_int_t)acc.pred_quoted);
		for (int s = 0; s < SCORE_NSUBSETS; s++) {
			const score_counts *c = &acc.sub[s];
			json_t *sub = json_object();
			for (int k = 0; k < SCORE_NROLES; k++)
				json_object_set_new(sub, role_names[k], prf_json(c->exact[k]));
			for (int t = 0; t < SCORE_NTHRESH; t++)
				json_object_set_new(sub, thresh_names[t], prf_json(c->overlap[t]));
			json_object_set_new(
				sub, "speaker",
				json_pack("{s:f,s:I,s:I,s:I,s:I}", "accuracy",
					  ratio(c->spk_right, c->spk_matched), "right",
					  (json_int_t)c->spk_right, "matched",
					  (json_int_t)c->spk_matched, "right_with_source",
					  (json_int_t)c->spk_right_src, "matched_with_source",
					  (json_int_t)c->spk_with_src));
			json_object_set_new(r, s == SCORE_ALL ? "all" : "quoted", sub);
		}
		if (outlets)
			json_object_set_new(r, "by_outlet", outlets_json(outlets, noutlets));
		print_json(r);
	} else {
		printf("PolNeAR %s vs %s\n", base(o->pos[1]), base(o->pos[2]));
		printf("docs %llu (missing from predictions %llu, with error %llu)\n",
		       (unsigned long long)acc.docs, (unsigned long long)acc.docs_missing,
		       (unsigned long long)errors);
		printf("gold attributions %llu: quoted %llu (gold direct flag: %llu)\n",
		       (unsigned long long)acc.gold_attrs, (unsigned long long)acc.gold_quoted,
		       (unsigned long long)acc.gold_direct);
		printf("predicted quotes %llu: direct %llu, mixed %llu, indirect %llu, no kind "
		       "%llu\n",
		       (unsigned long long)acc.pred_quotes,
		       (unsigned long long)acc.pred_kind[SCORE_KIND_DIRECT],
		       (unsigned long long)acc.pred_kind[SCORE_KIND_MIXED],
		       (unsigned long long)acc.pred_kind[SCORE_KIND_INDIRECT],
		       (unsigned long long)acc.pred_kind[SCORE_KIND_NONE]);
		printf("%-19s  %-43s  %s\n", "", "------------- all attributions -------------",
		       "--------------- quoted only ---------------");
		printf("%-19s", "measure");
		for (int s = 0; s < SCORE_NSUBSETS; s++)
			printf("  %5s  %5s  %5s %6s %6s %6s", "P", "R", "F1", "tp", "pred", "gold");
		printf("\n");
		for (int k = 0; k < SCORE_NROLES; k++) {
			char label[32];
			snprintf(label, sizeof label, "%s exact", role_names[k]);
			printf("%-19s", label);
			for (int s = 0; s < SCORE_NSUBSETS; s++)
				prf_cells(acc.sub[s].exact[k]);
			printf("\n");
		}
		for (int t = 0; t < SCORE_NTHRESH; t++) {
			printf("%-19s", thresh_labels[t]);
			for (int s = 0; s < SCORE_NSUBSETS; s++)
				prf_cells(acc.sub[s].overlap[t]);
			printf("\n");
		}
		printf("%-19s", "speaker accuracy");
		for (int s = 0; s < SCORE_NSUBSETS; s++) {
			const score_counts *c = &acc.sub[s];
			char cell[64];
			snprintf(cell, sizeof cell, "%.3f = %llu/%llu matched",
				 ratio(c->spk_right, c->spk_matched),
				 (unsigned long long)c->spk_right,
				 (unsigned long long)c->spk_matched);
			printf(s + 1 < SCORE_NSUBSETS ? "  %-43s" : "  %s", cell);
		}
		printf("\n");
		if (outlets)
			print_outlets(outlets, noutlets);
	}
	if (mc.out) {
		fclose(mc.out);
		printf("\nboundaries of matched content (all attributions, trimmed): start early "
		       "%llu, exact %llu, late %llu; end early %llu, exact %llu, late %llu\n",
		       (unsigned long long)mc.start[0], (unsigned long long)mc.start[1],
		       (unsigned long long)mc.start[2], (unsigned long long)mc.end[0],
		       (unsigned long long)mc.end[1], (unsigned long long)mc.end[2]);
		fwrite(vbuf, 1, vlen, stdout);
		free(vbuf);
	}
	free(outlets);
	load_gold_free(&gs);
	load_pred_free(&ps);
	return 0;
}

/* ---- gold2pred ---- */

static json_t *span_obj(const char *text, score_span s)
{
	return json_pack("{s:I,s:I,s:s%}", "start", (json_int_t)s.start, "end",
			 (json_int_t)s.end, "text", text + s.start, (size_t)(s.end - s.start));
}

static int run_gold2pred(const opts *o)
{
	if (o->npos != 2) {
		usage(stderr);
		return 2;
	}
	load_gold_set gs;
	if (!load_gold_file(o->pos[1], &gs))
		return 2;
	for (uint32_t i = 0; i < gs.n; i++) {
		const load_gold_doc *d = &gs.v[i];
		json_t *qs = json_array();
		for (uint32_t k = 0; k < d->ngold; k++) {
			const score_gold *g = &d->gold[k];
			if (g->ncontent == 0)
				continue;
			score_span c = score_hull(g->content, g->ncontent);
			const char *kind = !score_is_quoted(d->text, d->len, g->content,
							    g->ncontent)
						   ? "indirect"
					   : g->direct ? "direct"
						       : "mixed";
			json_t *q = span_obj(d->text, c);
			json_object_set_new(q, "kind", json_string(kind));
			if (g->nsrc) {
				score_span s = score_hull(g->src, g->nsrc);
				json_t *sp = span_obj(d->text, s);
				json_object_set_new(sp, "name", json_stringn(d->text + s.start,
									     s.end - s.start));
				json_object_set_new(sp, "id", json_null());
				json_object_set_new(sp, "type", json_null());
				json_object_set_new(q, "speaker", sp);
			} else {
				json_object_set_new(q, "speaker", json_null());
			}
			if (g->ncue) {
				score_span s = score_hull(g->cue, g->ncue);
				json_t *cu = span_obj(d->text, s);
				json_object_set_new(cu, "lemma", json_null());
				json_object_set_new(q, "cue", cu);
			} else {
				json_object_set_new(q, "cue", json_null());
			}
			json_object_set_new(q, "when", json_null());
			json_object_set_new(q, "sentence", json_integer(0));
			json_array_append_new(qs, q);
		}
		json_t *r = json_pack("{s:s,s:[],s:o}", "id", d->id, "entities", "quotes", qs);
		json_dumpf(r, stdout, JSON_COMPACT | JSON_PRESERVE_ORDER);
		fputc('\n', stdout);
		json_decref(r);
	}
	load_gold_free(&gs);
	return 0;
}

/* ---- entcov ---- */

static int run_entcov(const opts *o)
{
	if (o->npos != 3) {
		usage(stderr);
		return 2;
	}
	load_gold_set gs;
	load_pred_set ps;
	if (!load_gold_pred(o->pos[1], o->pos[2], &gs, &ps))
		return 2;
	uint64_t sources = 0, names = 0, exact = 0, contain = 0, head = 0, any = 0, missing = 0;
	for (uint32_t i = 0; i < gs.n; i++) {
		const load_gold_doc *g = &gs.v[i];
		load_pred_doc *p = (load_pred_doc *)load_pred_find(&ps, g->id);
		if (p)
			load_pred_clip(p, g->len);
		else
			missing++;
		/* Distinct source spans of the document. */
		score_span *seen = malloc((g->ngold + 1) * sizeof *seen);
		uint32_t nseen = 0;
		if (!seen)
			return 2;
		for (uint32_t k = 0; k < g->ngold; k++) {
			if (g->gold[k].nsrc == 0)
				continue;
			score_span s = score_hull(g->gold[k].src, g->gold[k].nsrc);
			bool dup = false;
			for (uint32_t j = 0; j < nseen && !dup; j++)
				dup = seen[j].start == s.start && seen[j].end == s.end;
			if (dup)
				continue;
			seen[nseen++] = s;
			sources++;
			score_span name;
			if (!score_proper_name(g->text, g->len, s, &name))
				continue;
			names++;
			score_cover_level l =
				p ? score_cover(g->text, p->e, p->ne, name, false) : SCORE_COVER_NONE;
			any += p && score_cover(g->text, p->e, p->ne, name, true) != SCORE_COVER_NONE;
			exact += l == SCORE_COVER_EXACT;
			contain += l >= SCORE_COVER_CONTAINS;
			head += l >= SCORE_COVER_HEAD;
			if (l == SCORE_COVER_NONE && o->verbose) {
				printf("uncovered\t%s\t%.*s\n", g->id, (int)(name.end - name.start),
				       g->text + name.start);
			}
		}
		free(seen);
	}
	if (o->json) {
		print_json(json_pack("{s:s,s:s,s:s,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:f,s:f,s:f,s:f}",
				     "mode", "entcov", "gold", base(o->pos[1]), "pred",
				     base(o->pos[2]), "docs_missing", (json_int_t)missing,
				     "sources", (json_int_t)sources, "names", (json_int_t)names,
				     "exact", (json_int_t)exact, "containing", (json_int_t)contain,
				     "head", (json_int_t)head, "any_type", (json_int_t)any,
				     "exact_share", ratio(exact, names), "containing_share",
				     ratio(contain, names), "head_share", ratio(head, names),
				     "any_type_share", ratio(any, names)));
	} else {
		printf("Entity coverage of gold sources that are names: %s vs %s\n",
		       base(o->pos[1]), base(o->pos[2]));
		printf("distinct gold sources %llu, proper names %llu, docs missing from "
		       "predictions %llu\n",
		       (unsigned long long)sources, (unsigned long long)names,
		       (unsigned long long)missing);
		printf("%-34s %7s  %s\n", "covered by a PER or ORG entity", "share", "count");
		printf("%-34s %7.3f  %llu/%llu\n", "  exact span", ratio(exact, names),
		       (unsigned long long)exact, (unsigned long long)names);
		printf("%-34s %7.3f  %llu/%llu\n", "  exact or containing", ratio(contain, names),
		       (unsigned long long)contain, (unsigned long long)names);
		printf("%-34s %7.3f  %llu/%llu\n", "  exact, containing or head", ratio(head, names),
		       (unsigned long long)head, (unsigned long long)names);
		printf("%-34s %7.3f  %llu/%llu\n", "covered by an entity of any type",
		       ratio(any, names), (unsigned long long)any, (unsigned long long)names);
	}
	load_gold_free(&gs);
	load_pred_free(&ps);
	return 0;
}

/* ---- seeds ---- */

typedef struct {
	char **id, **text;
	uint32_t *len;
	uint32_t n, cap;
} texts;

static bool texts_add(json_t *rec, uint64_t line, void *ctx)
{
	texts *t = ctx;
	(void)line;
	const char *id = load_str(rec, "id");
	const json_t *x = json_object_get(rec, "text");
	if (!id || !json_is_string(x))
		return true;
	if (t->n == t->cap) {
		uint32_t nc = t->cap ? t->cap * 2 : 16;
		char **a = realloc(t->id, nc * sizeof *a);
		if (!a)
			return false;
		t->id = a;
		char **b = realloc(t->text, nc * sizeof *b);
		if (!b)
			return false;
		t->text = b;
		uint32_t *c = realloc(t->len, nc * sizeof *c);
		if (!c)
			return false;
		t->len = c;
		t->cap = nc;
	}
	size_t l = json_string_length(x);
	t->id[t->n] = strdup(id);
	t->text[t->n] = malloc(l + 1);
	if (!t->id[t->n] || !t->text[t->n])
		return false;
	memcpy(t->text[t->n], json_string_value(x), l);
	t->text[t->n][l] = 0;
	t->len[t->n] = (uint32_t)l;
	t->n++;
	return true;
}

static int32_t texts_find(const texts *t, const char *id)
{
	for (uint32_t i = 0; i < t->n; i++)
		if (strcmp(t->id[i], id) == 0)
			return (int32_t)i;
	return -1;
}

static void texts_free(texts *t)
{
	for (uint32_t i = 0; i < t->n; i++) {
		free(t->id[i]);
		free(t->text[i]);
	}
	free(t->id);
	free(t->text);
	free(t->len);
}

typedef struct {
	const opts *o;
	const texts *tx;
	load_pred_set *ps;
	/* [0] quoted (direct, mixed), [1] indirect */
	uint64_t n[2], found[2], spk[2], kind[2];
	uint64_t dated, when;
	uint64_t ents, ent_found, ent_exact, gold_bad;
	json_t *misses;
} seeds_ctx;

static const char *kind_name(score_kind k)
{
	switch (k) {
	case SCORE_KIND_DIRECT:
		return "direct";
	case SCORE_KIND_MIXED:
		return "mixed";
	case SCORE_KIND_INDIRECT:
		return "indirect";
	default:
		return "none";
	}
}

static void miss(seeds_ctx *c, const char *what, const char *doc, const char *gold,
		 const char *got)
{
	json_array_append_new(c->misses, json_pack("{s:s,s:s,s:s,s:s}", "what", what, "doc", doc,
						   "gold", gold, "got", got ? got : ""));
}

static bool seed_quote(json_t *rec, uint64_t line, void *ctx)
{
	seeds_ctx *c = ctx;
	(void)line;
	const char *doc = load_str(rec, "doc"), *quote = load_str(rec, "quote");
	const char *gkind = load_str(rec, "kind"), *near = load_str(rec, "near");
	const char *when = load_str(rec, "when");
	const json_t *spk = json_object_get(rec, "speaker");
	if (!doc || !quote) {
		c->gold_bad++;
		return true;
	}
	int q = gkind && strcmp(gkind, "indirect") == 0 ? 1 : 0;
	c->n[q]++;
	if (when)
		c->dated++;
	int32_t ti = texts_find(c->tx, doc);
	const load_pred_doc *p = load_pred_find(c->ps, doc);
	score_span occ = {0, 0};
	bool located = ti >= 0 && score_find_quote(c->tx->text[ti], c->tx->len[ti], quote, near,
						   &occ);
	if (!located) {
		c->gold_bad++;
		miss(c, "quote not in text", doc, quote, NULL);
	}
	/* The predicted quote that overlaps the occurrence most (ties go to
	 * the tighter quote, as in the PolNeAR matching: a nested report's
	 * inner attribution), else one whose text holds the quote. */
	const score_quote *best = NULL;
	uint32_t best_ov = 0;
	for (uint32_t i = 0; p && i < p->nq; i++) {
		uint32_t ov = located ? score_overlap(p->q[i].content, occ) : 0;
		if (ov > best_ov || (ov > 0 && ov == best_ov &&
				     p->q[i].content.end - p->q[i].content.start <
					     best->content.end - best->content.start)) {
			best_ov = ov;
			best = &p->q[i];
		}
	}
	for (uint32_t i = 0; p && !best && i < p->nq; i++)
		if (p->q[i].text && strstr(p->q[i].text, quote))
			best = &p->q[i];
	char got[512];
	if (!best) {
		miss(c, q ? "indirect not found" : "quoted not found", doc, quote, NULL);
		return true;
	}
	c->found[q]++;
	bool sr = false;
	for (size_t i = 0; json_is_array(spk) && i < json_array_size(spk) && !sr; i++) {
		const char *a = json_string_value(json_array_get(spk, i));
		sr = a && score_name_match(best->spk_name, best->spk_text, a);
	}
	if (json_is_string(spk))
		sr = score_name_match(best->spk_name, best->spk_text, json_string_value(spk));
	c->spk[q] += sr;
	if (!sr) {
		char exp[256];
		const json_t *a0 = json_is_array(spk) ? json_array_get(spk, 0) : spk;
		snprintf(exp, sizeof exp, "%s: %s", json_is_string(a0) ? json_string_value(a0) : "?",
			 quote);
		snprintf(got, sizeof got, "%s / %s", best->spk_text ? best->spk_text : "(none)",
			 best->spk_name ? best->spk_name : "(none)");
		miss(c, "wrong speaker", doc, exp, got);
	}
	bool kr = gkind && strcmp(gkind, kind_name(best->kind)) == 0;
	c->kind[q] += kr;
	if (!kr) {
		snprintf(got, sizeof got, "%s", kind_name(best->kind));
		char exp[256];
		snprintf(exp, sizeof exp, "%s: %s", gkind ? gkind : "?", quote);
		miss(c, "wrong kind", doc, exp, got);
	}
	if (when) {
		bool wr = best->when && strcmp(best->when, when) == 0;
		c->when += wr;
		if (!wr) {
			char exp[256];
			snprintf(exp, sizeof exp, "%s: %s", when, quote);
			miss(c, "wrong when", doc, exp, best->when ? best->when : "null");
		}
	}
	return true;
}


static bool seed_entity(json_t *rec, uint64_t line, void *ctx)
{
	seeds_ctx *c = ctx;
	(void)line;
	const char *doc = load_str(rec, "doc"), *text = load_str(rec, "text");
	const char *type = load_str(rec, "type");
	if (!doc || !text || !type) {
		c->gold_bad++;
		return true;
	}
	c->ents++;
	int32_t ti = texts_find(c->tx, doc);
	const load_pred_doc *p = load_pred_find(c->ps, doc);
	bool found = false, exact = false, occurs = false;
	/* Occurrences as whole words; inside longer words only when there is
	 * no such occurrence ("South Korea" in "South Korean"). */
	for (int word = 1; ti >= 0 && word >= 0 && !occurs; word--) {
		const char *t = c->tx->text[ti];
		uint32_t len = c->tx->len[ti];
		score_span oc;
		for (uint32_t i = 0; !exact && score_find_text(t, len, text, i, word, &oc);
		     i = oc.start + 1) {
			occurs = true;
			for (uint32_t k = 0; p && k < p->ne; k++) {
				const score_entity *e = &p->e[k];
				if (strcmp(e->type, type) != 0 || e->sp.start > oc.start ||
				    e->sp.end < oc.end)
					continue;
				found = true;
				exact |= e->sp.start == oc.start && e->sp.end == oc.end;
			}
		}
	}
	if (!occurs)
		c->gold_bad++;
	c->ent_found += found;
	c->ent_exact += exact;
	if (!found) {
		char exp[256];
		snprintf(exp, sizeof exp, "%s %s", type, text);
		miss(c, occurs ? "entity not found" : "entity not in text", doc, exp, NULL);
	}
	return true;
}

static char *sibling(const char *path, const char *name)
{
	const char *s = strrchr(path, '/');
	size_t d = s ? (size_t)(s - path + 1) : 0;
	char *r = malloc(d + strlen(name) + 1);
	if (!r)
		return NULL;
	memcpy(r, path, d);
	strcpy(r + d, name);
	return r;
}

static void frac(char *buf, size_t cap, uint64_t a, uint64_t b)
{
	snprintf(buf, cap, "%llu/%llu", (unsigned long long)a, (unsigned long long)b);
}

static int run_seeds(const opts *o)
{
	if (o->npos != 4) {
		usage(stderr);
		return 2;
	}
	char *apath = o->articles ? strdup(o->articles) : sibling(o->pos[1], "articles.jsonl");
	texts tx;
	memset(&tx, 0, sizeof tx);
	if (!apath || !load_jsonl(apath, texts_add, &tx, NULL)) {
		free(apath);
		texts_free(&tx);
		return 2;
	}
	free(apath);
	load_pred_set ps;
	if (!load_pred_file(o->pos[3], &ps)) {
		texts_free(&tx);
		return 2;
	}
	for (uint32_t i = 0; i < ps.n; i++) {
		int32_t ti = texts_find(&tx, ps.v[i].id);
		if (ti >= 0)
			load_pred_clip(&ps.v[i], tx.len[ti]);
	}
	seeds_ctx c;
	memset(&c, 0, sizeof c);
	c.o = o;
	c.tx = &tx;
	c.ps = &ps;
	c.misses = json_array();
	bool ok = load_jsonl(o->pos[1], seed_quote, &c, NULL) &&
		  load_jsonl(o->pos[2], seed_entity, &c, NULL);
	if (ok && o->json) {
		json_t *r = json_pack(
			"{s:s,s:{s:I,s:I,s:I,s:I},s:{s:I,s:I,s:I,s:I},s:{s:I,s:I},s:{s:I,s:I,s:I},s:I}",
			"mode", "seeds", "quoted", "n", (json_int_t)c.n[0], "found",
			(json_int_t)c.found[0], "speaker", (json_int_t)c.spk[0], "kind",
			(json_int_t)c.kind[0], "indirect", "n", (json_int_t)c.n[1], "found",
			(json_int_t)c.found[1], "speaker", (json_int_t)c.spk[1], "kind",
			(json_int_t)c.kind[1], "when", "n", (json_int_t)c.dated, "right",
			(json_int_t)c.when, "entities", "n", (json_int_t)c.ents, "found",
			(json_int_t)c.ent_found, "exact", (json_int_t)c.ent_exact, "gold_problems",
			(json_int_t)c.gold_bad);
		if (o->verbose)
			json_object_set(r, "misses", c.misses);
		print_json(r);
	} else if (ok) {
		char a[32], b[32], d[32];
		printf("Seeds %s + %s vs %s\n", base(o->pos[1]), base(o->pos[2]), base(o->pos[3]));
		printf("%-10s %9s %9s %9s %9s\n", "", "found", "speaker", "kind", "when");
		for (int q = 0; q < 2; q++) {
			frac(a, sizeof a, c.found[q], c.n[q]);
			frac(b, sizeof b, c.spk[q], c.n[q]);
			frac(d, sizeof d, c.kind[q], c.n[q]);
			printf("%-10s %9s %9s %9s\n", q ? "indirect" : "quoted", a, b, d);
		}
		frac(a, sizeof a, c.when, c.dated);
		printf("%-10s %9s %9s %9s %9s\n", "dated", "", "", "", a);
		frac(a, sizeof a, c.ent_found, c.ents);
		frac(b, sizeof b, c.ent_exact, c.ents);
		printf("entities %s found with the right type (exact span %s)\n", a, b);
		if (c.gold_bad)
			printf("gold items not located in the articles: %llu\n",
			       (unsigned long long)c.gold_bad);
		if (o->verbose) {
			for (size_t i = 0; i < json_array_size(c.misses); i++) {
				const json_t *m = json_array_get(c.misses, i);
				printf("  %-18s %s  %s%s%s\n", load_str(m, "what"),
				       load_str(m, "doc"), load_str(m, "gold"),
				       *load_str(m, "got") ? "  -> " : "", load_str(m, "got"));
			}
		}
	}
	json_decref(c.misses);
	load_pred_free(&ps);
	texts_free(&tx);
	return ok ? 0 : 2;
}

/* ---- compare ---- */

/* Keys whose change is worth a line: rates and counts of right answers. */
static bool compared_key(const char *k)
{
	static const char *const keys[] = {"f1", "accuracy", "found", "speaker", "kind",
					   "right", "exact", "containing", "head", "any_type", "passed",
					   NULL};
	for (int i = 0; keys[i]; i++)
		if (strcmp(k, keys[i]) == 0)
			return true;
	return false;
}

/* Prints a line for every compared number that differs between a and b,
 * walking both objects in b's key order; path is the dotted key so far. */
static int compare_walk(const json_t *a, const json_t *b, char *path, size_t plen, size_t cap)
{
	int n = 0;
	const char *k;
	const json_t *vb;
	json_object_foreach((json_t *)b, k, vb)
	{
		const json_t *va = json_object_get(a, k);
		int w = snprintf(path + plen, cap - plen, "%s%s", plen ? "." : "", k);
		size_t nl = w > 0 && (size_t)w < cap - plen ? plen + (size_t)w : plen;
		if (json_is_object(vb)) {
			if (json_is_object(va))
				n += compare_walk(va, vb, path, nl, cap);
		} else if (json_is_number(vb) && compared_key(k)) {
			double x = json_is_number(va) ? json_number_value(va) : 0.0;
			double y = json_number_value(vb);
			if (!json_is_number(va) || x != y) {
				bool real = json_is_real(vb);
				if (real)
					printf("  %-34s %8.3f -> %8.3f  (%+.3f)\n", path, x, y, y - x);
				else
					printf("  %-34s %8.0f -> %8.0f  (%+.0f)\n", path, x, y, y - x);
				n++;
			}
		}
		path[plen] = 0;
	}
	return n;
}

static int run_compare(const opts *o)
{
	if (o->npos != 3) {
		usage(stderr);
		return 2;
	}
	json_error_t je;
	json_t *a = json_load_file(o->pos[1], 0, &je);
	if (!a) {
		fprintf(stderr, "whosaid-eval: %s: %s\n", o->pos[1], je.text);
		return 2;
	}
	json_t *b = json_load_file(o->pos[2], 0, &je);
	if (!b) {
		fprintf(stderr, "whosaid-eval: %s: %s\n", o->pos[2], je.text);
		json_decref(a);
		return 2;
	}
	char path[256] = "";
	const char *mode = load_str(b, "mode");
	printf("%s: changes from %s to %s\n", mode ? mode : "?", base(o->pos[1]), base(o->pos[2]));
	if (compare_walk(a, b, path, 0, sizeof path) == 0)
		printf("  no change\n");
	json_decref(a);
	json_decref(b);
	return 0;
}

/* ---- check ---- */

/* The number at a dotted path ("all.source.f1") in o; false if none. */
static bool path_number(const json_t *o, const char *path, double *out)
{
	char key[128];
	const char *p = path;
	while (o && *p) {
		const char *dot = strchr(p, '.');
		size_t n = dot ? (size_t)(dot - p) : strlen(p);
		if (n >= sizeof key)
			return false;
		memcpy(key, p, n);
		key[n] = 0;
		o = json_object_get(o, key);
		p += n + (dot ? 1 : 0);
	}
	if (!json_is_number(o))
		return false;
	*out = json_number_value(o);
	return true;
}

/* Checks each target line ("report key minimum what...") of the targets
 * file against DIR/report.json; prints one line per target. */
static int run_check(const opts *o)
{
	if (o->npos != 3) {
		usage(stderr);
		return 2;
	}
	FILE *f = fopen(o->pos[1], "r");
	if (!f) {
		perror(o->pos[1]);
		return 2;
	}
	char line[512];
	unsigned met = 0, total = 0;
	printf("%-8s %-26s %9s %9s\n", "report", "key", "target", "value");
	while (fgets(line, sizeof line, f)) {
		char report[64], key[128];
		double min, v;
		int used = 0;
		if (line[0] == '#' || sscanf(line, "%63s %127s %lf %n", report, key, &min, &used) < 3)
			continue;
		char *what = line + used;
		what[strcspn(what, "\n")] = 0;
		char path[1024];
		snprintf(path, sizeof path, "%s/%s.json", o->pos[2], report);
		json_error_t je;
		json_t *r = json_load_file(path, 0, &je);
		bool have = r && path_number(r, key, &v);
		json_decref(r);
		total++;
		if (!have) {
			printf("%-8s %-26s %9g %9s  %s (no value)\n", report, key, min, "-", what);
			continue;
		}
		bool ok = v + 1e-9 >= min;
		met += ok;
		printf("%-8s %-26s %9g %9.4g  %s %s\n", report, key, min, v, ok ? "met " : "BELOW",
		       what);
	}
	fclose(f);
	printf("%u of %u targets met\n", met, total);
	return 0;
}

int main(int argc, char **argv)
{
	opts o;
	memset(&o, 0, sizeof o);
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--json") == 0) {
			o.json = true;
		} else if (strcmp(a, "-v") == 0 || strcmp(a, "--verbose") == 0) {
			o.verbose = true;
		} else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			usage(stdout);
			return 0;
		} else if (strcmp(a, "--by-outlet") == 0) {
			o.by_outlet = true;
		} else if (strcmp(a, "--articles") == 0 && i + 1 < argc) {
			o.articles = argv[++i];
		} else if (a[0] == '-' && a[1] != 0) {
			fprintf(stderr, "whosaid-eval: unknown option %s\n", a);
			usage(stderr);
			return 2;
		} else if (o.npos < 8) {
			o.pos[o.npos++] = a;
		} else {
			usage(stderr);
			return 2;
		}
	}
	if (o.npos == 0) {
		usage(stderr);
		return 2;
	}
	if (strcmp(o.pos[0], "polnear") == 0)
		return run_polnear(&o);
	if (strcmp(o.pos[0], "seeds") == 0)
		return run_seeds(&o);
	if (strcmp(o.pos[0], "entcov") == 0)
		return run_entcov(&o);
	if (strcmp(o.pos[0], "check") == 0)
		return run_check(&o);
	if (strcmp(o.pos[0], "compare") == 0)
		return run_compare(&o);
	if (strcmp(o.pos[0], "gold2pred") == 0)
		return run_gold2pred(&o);
	fprintf(stderr, "whosaid-eval: unknown mode %s\n", o.pos[0]);
	usage(stderr);
	return 2;
}
