/* SPDX-License-Identifier: MIT */
/* quote-train: trains the quote stage's two taggers (cue tagger, role
 * tagger) with an averaged structured perceptron on PolNeAR train, writes
 * them to SRC/quote/{cue,role}.tagger, then runs the real stage with the
 * new weights on PolNeAR dev and prints exact-span scores per role.
 *
 *   quote-train [-s SRC] [-e EPOCHS] [-b CUEBITS ROLEBITS] [-n] TRAIN.jsonl DEV.jsonl
 *   -n  do not train: score the weights already in SRC on DEV
 *   -b  hash table sizes (log2) of the cue and role taggers (16 17)
 *
 * Run by `make train`. Only the dev split is scored here: never tune on
 * anything else held out. */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../pipeline/limits.h"
#include "../stages/quote_int.h"

typedef struct {
	uint32_t first, end; /* token range [first, end) */
	uint32_t off, len;   /* byte span */
} span_t;

typedef struct {
	span_t src, cue;
	span_t cont[8];
	uint32_t ncont;
	int has_src, has_cue, quoted;
	uint32_t cont_off, cont_end; /* bytes: first start, last end */
} gold_attr;

typedef struct {
	char *id, *text, *date;
	uint32_t len;
	arena a;
	tok_list t;
	sent_list s;
	gaz_list g;
	qdoc d;
	gold_attr *gold;
	uint32_t ngold;
} doc_t;

typedef struct {
	doc_t *v;
	uint32_t n;
} corpus;

/* --- training weights --- */
typedef struct {
	uint32_t nlab, bits;
	float *w, *u;
	float tw[(Q_MAXLAB + 1) * Q_MAXLAB], tu[(Q_MAXLAB + 1) * Q_MAXLAB];
	double c;
	qtagger view;
} ptron;

static int ptron_init(ptron *p, uint32_t nlab, uint32_t bits)
{
	memset(p, 0, sizeof *p);
	p->nlab = nlab;
	p->bits = bits;
	size_t n = ((size_t)1 << bits) * nlab;
	p->w = calloc(n, sizeof(float));
	p->u = calloc(n, sizeof(float));
	p->c = 1;
	p->view.nlab = nlab;
	p->view.bits = bits;
	p->view.wf = p->w;
	return p->w && p->u ? 0 : -1;
}

static void ptron_sync(ptron *p)
{
	memcpy(p->view.trans, p->tw, sizeof p->tw);
}

static void ptron_upd(ptron *p, const uint32_t *f, uint32_t nf, uint32_t lab, float d)
{
	uint32_t mask = (1u << p->bits) - 1;
	for (uint32_t j = 0; j < nf; j++) {
		size_t x = (size_t)(f[j] & mask) * p->nlab + lab;
		p->w[x] += d;
		p->u[x] += (float)(p->c * d);
	}
}

static void ptron_trans(ptron *p, uint32_t prev, uint32_t cur, float d)
{
	p->tw[prev * p->nlab + cur] += d;
	p->tu[prev * p->nlab + cur] += (float)(p->c * d);
}

/* One structured perceptron step on a sequence. Returns 1 if it erred. */
static int ptron_learn(ptron *p, const uint32_t *f, const uint32_t *nf, uint32_t n,
		       const uint8_t *gold, const uint8_t *mask, float *emit, float *vs,
		       uint8_t *bp, uint8_t *pred)
{
	ptron_sync(p);
	qtag_score(&p->view, f, nf, n, emit);
	for (uint32_t k = 0; mask && k < n; k++)
		if (!mask[k]) {
			emit[k * QC_NLAB + QC_O] = 0;
			emit[k * QC_NLAB + QC_B] = -1e30f;
			emit[k * QC_NLAB + QC_I] = -1e30f;
		}
	qtag_viterbi(&p->view, emit, n, vs, bp, pred);
	int bad = 0;
	for (uint32_t k = 0; k < n; k++) {
		uint32_t gp = k ? gold[k - 1] : p->nlab, pp = k ? pred[k - 1] : p->nlab;
		if (gold[k] != pred[k] || gp != pp) {
			if (gold[k] != pred[k]) {
				ptron_upd(p, f + (size_t)k * Q_MAXFEAT, nf[k], gold[k], 1);
				ptron_upd(p, f + (size_t)k * Q_MAXFEAT, nf[k], pred[k], -1);
			}
			ptron_trans(p, gp, gold[k], 1);
			ptron_trans(p, pp, pred[k], -1);
			bad = 1;
		}
	}
	p->c += 1;
	return bad;
}

/* Averages the weights and writes them as one signed byte each through a
 * companded table: byte q stands for sign(q) * (|q| / 127)^2 * max. */
static int ptron_save(ptron *p, const char *path)
{
	size_t n = ((size_t)1 << p->bits) * p->nlab;
	float mx = 0;
	for (size_t k = 0; k < n; k++) {
		p->w[k] = p->w[k] - p->u[k] / (float)p->c;
		if (fabsf(p->w[k]) > mx)
			mx = fabsf(p->w[k]);
	}
	qtagger_hdr h;
	memset(&h, 0, sizeof h);
	h.magic = QUOTE_TAGGER_MAGIC;
	h.nlab = p->nlab;
	h.bits = p->bits;
	h.hdr_len = sizeof h;
	if (mx <= 0)
		mx = 1;
	for (int q = -128; q < 128; q++) {
		float x = (float)(q < -127 ? -127 : q) / 127.0f;
		h.lut[q + 128] = (x < 0 ? -1.0f : 1.0f) * x * x * mx;
	}
	for (uint32_t k = 0; k < (p->nlab + 1) * p->nlab; k++)
		h.trans[k] = p->tw[k] - p->tu[k] / (float)p->c;
	int8_t *q = malloc(n);
	if (!q)
		return -1;
	for (size_t k = 0; k < n; k++) {
		float r = sqrtf(fabsf(p->w[k]) / mx) * 127.0f;
		long v = lrintf(r);
		q[k] = (int8_t)(p->w[k] < 0 ? -v : v);
	}
	FILE *fp = fopen(path, "wb");
	if (!fp) {
		free(q);
		return -1;
	}
	int ok = fwrite(&h, sizeof h, 1, fp) == 1 && fwrite(q, 1, n, fp) == n;
	free(q);
	return fclose(fp) == 0 && ok ? 0 : -1;
}

/* --- data --- */

static int tok_range(const doc_t *d, uint32_t off, uint32_t end, span_t *sp)
{
	const tok_list *t = &d->t;
	uint32_t a = UINT32_MAX, b = 0;
	/* binary search the first token ending after off */
	uint32_t lo = 0, hi = t->n;
	while (lo < hi) {
		uint32_t mid = (lo + hi) / 2;
		if (t->v[mid].off + t->v[mid].len <= off)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (uint32_t i = lo; i < t->n && t->v[i].off < end; i++) {
		if (a == UINT32_MAX)
			a = i;
		b = i + 1;
	}
	if (a == UINT32_MAX)
		return 0;
	sp->first = a;
	sp->end = b;
	sp->off = off;
	sp->len = end - off;
	return 1;
}

static int has_qmark(const char *p, uint32_t len)
{
	for (uint32_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)p[i];
		if (c == '"')
			return 1;
		if (c == 0xE2 && i + 2 < len && (unsigned char)p[i + 1] == 0x80 &&
		    ((unsigned char)p[i + 2] == 0x9C || (unsigned char)p[i + 2] == 0x9D))
			return 1;
		if (c == 0xC2 && i + 1 < len &&
		    ((unsigned char)p[i + 1] == 0xAB || (unsigned char)p[i + 1] == 0xBB))
			return 1;
	}
	return 0;
}

static int load(const char *path, corpus *c, const quote_model *qm, const gaz_model *gm)
{
	FILE *fp = fopen(path, "r");
	if (!fp) {
		fprintf(stderr, "quote-train: cannot open %s\n", path);
		return -1;
	}
	char *line = NULL;
	size_t cap = 0;
	ssize_t got;
	uint32_t ccap = 0;
	while ((got = getline(&line, &cap, fp)) > 0) {
		json_error_t je;
		json_t *r = json_loadb(line, (size_t)got, 0, &je);
		if (!r)
			continue;
		if (c->n == ccap) {
			ccap = ccap ? ccap * 2 : 256;
			doc_t *nv = realloc(c->v, ccap * sizeof *nv);
			if (!nv)
				return -1;
			c->v = nv;
		}
		doc_t *d = &c->v[c->n];
		memset(d, 0, sizeof *d);
		const char *text = json_string_value(json_object_get(r, "text"));
		size_t tl = json_string_length(json_object_get(r, "text"));
		const char *date = json_string_value(json_object_get(r, "date"));
		const char *id = json_string_value(json_object_get(r, "id"));
		if (!text) {
			json_decref(r);
			continue;
		}
		d->text = malloc(tl + 1);
		memcpy(d->text, text, tl + 1);
		d->len = (uint32_t)tl;
		d->date = date ? strdup(date) : NULL;
		d->id = strdup(id ? id : "");
		arena_init(&d->a, REC_ARENA_CAP);
		if (tok_scan(d->text, d->len, &d->a, &d->t) != ERR_OK ||
		    sent_split(d->text, &d->t, &d->a, &d->s) != ERR_OK ||
		    gaz_tag(gm, d->text, &d->t, &d->s, &d->a, &d->g) != ERR_OK ||
		    qdoc_init(qm, d->text, &d->t, &d->s, &d->g, &d->a, &d->d) != ERR_OK) {
			fprintf(stderr, "quote-train: %s: stage failed\n", d->id);
			json_decref(r);
			return -1;
		}
		json_t *gold = json_object_get(r, "gold");
		size_t ng = json_array_size(gold);
		d->gold = calloc(ng + 1, sizeof *d->gold);
		for (size_t k = 0; k < ng; k++) {
			json_t *ga = json_array_get(gold, k);
			gold_attr *o = &d->gold[d->ngold];
			memset(o, 0, sizeof *o);
			json_t *src = json_object_get(ga, "source"), *cue = json_object_get(ga, "cue");
			json_t *cont = json_object_get(ga, "content");
			if (json_array_size(src) > 0) {
				json_t *sp = json_array_get(src, 0);
				o->has_src = tok_range(d, (uint32_t)json_integer_value(json_array_get(sp, 0)),
						       (uint32_t)json_integer_value(json_array_get(sp, 1)),
						       &o->src);
			}
			if (json_array_size(cue) > 0) {
				json_t *sp = json_array_get(cue, 0);
				o->has_cue = tok_range(d, (uint32_t)json_integer_value(json_array_get(sp, 0)),
						       (uint32_t)json_integer_value(json_array_get(sp, 1)),
						       &o->cue);
			}
			o->cont_off = UINT32_MAX;
			for (size_t j = 0; j < json_array_size(cont) && o->ncont < 8; j++) {
				json_t *sp = json_array_get(cont, j);
				uint32_t a = (uint32_t)json_integer_value(json_array_get(sp, 0));
				uint32_t b = (uint32_t)json_integer_value(json_array_get(sp, 1));
				if (b > d->len || a >= b)
					continue;
				if (tok_range(d, a, b, &o->cont[o->ncont])) {
					o->ncont++;
					if (a < o->cont_off)
						o->cont_off = a;
					if (b > o->cont_end)
						o->cont_end = b;
					if (has_qmark(d->text + a, b - a))
						o->quoted = 1;
				}
			}
			if (o->ncont == 0)
				continue;
			d->ngold++;
		}
		json_decref(r);
		c->n++;
	}
	free(line);
	fclose(fp);
	/* the docs moved as the array grew: point their views home again */
	for (uint32_t k = 0; k < c->n; k++) {
		c->v[k].d.t = &c->v[k].t;
		c->v[k].d.s = &c->v[k].s;
		c->v[k].d.g = &c->v[k].g;
	}
	return 0;
}

/* --- training --- */

typedef struct {
	uint32_t *f, *nf;
	float *emit, *vs;
	uint8_t *bp, *gold, *pred;
	uint32_t cap;
} buf_t;

static int buf_init(buf_t *b, uint32_t cap)
{
	b->cap = cap;
	b->f = malloc((size_t)cap * Q_MAXFEAT * sizeof *b->f);
	b->nf = malloc(cap * sizeof *b->nf);
	b->emit = malloc((size_t)cap * Q_MAXLAB * sizeof *b->emit);
	b->vs = malloc((size_t)cap * Q_MAXLAB * sizeof *b->vs);
	b->bp = malloc((size_t)cap * Q_MAXLAB);
	b->gold = malloc(cap);
	b->pred = malloc(cap);
	return b->f && b->nf && b->emit && b->vs && b->bp && b->gold && b->pred ? 0 : -1;
}

static void train(corpus *c, ptron *cue, ptron *role, int epochs)
{
	buf_t b;
	if (buf_init(&b, 8192))
		exit(2);
	uint32_t *order = malloc(c->n * sizeof *order);
	for (uint32_t k = 0; k < c->n; k++)
		order[k] = k;
	uint64_t rng = 88172645463325252ull;
	for (int ep = 0; ep < epochs; ep++) {
		for (uint32_t k = c->n; k > 1; k--) {
			rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
			uint32_t j = (uint32_t)(rng % k), tmp = order[k - 1];
			order[k - 1] = order[j];
			order[j] = tmp;
		}
		uint32_t cerr = 0, cn = 0, rerr = 0, rn = 0;
		for (uint32_t oi = 0; oi < c->n; oi++) {
			doc_t *d = &c->v[order[oi]];
			const sent_list *s = &d->s;
			/* gold cue labels over the whole doc */
			uint8_t *cl = calloc(d->t.n + 1, 1);
			for (uint32_t g = 0; g < d->ngold; g++) {
				gold_attr *ga = &d->gold[g];
				if (!ga->has_cue)
					continue;
				for (uint32_t i = ga->cue.first; i < ga->cue.end; i++)
					cl[i] = i == ga->cue.first ? QC_B : QC_I;
			}
			for (uint32_t si = 0; si < s->n; si++) {
				uint32_t sa = s->v[si].first, len = s->v[si].n;
				if (len > b.cap)
					len = b.cap;
				uint32_t nc = 0;
				for (uint32_t i = 0; i < len; i++) {
					uint8_t cd = d->d.cand[sa + i];
					b.nf[i] = cd ? qfeat_cue(&d->d, sa, sa + len, sa + i,
								 b.f + (size_t)i * Q_MAXFEAT)
						     : 0;
					nc += cd;
					b.gold[i] = cd ? cl[sa + i] : QC_O;
					if (b.gold[i] == QC_I && (i == 0 || b.gold[i - 1] == QC_O))
						b.gold[i] = QC_B;
				}
				if (nc == 0)
					continue;
				cerr += (uint32_t)ptron_learn(cue, b.f, b.nf, len, b.gold, d->d.cand + sa,
							      b.emit, b.vs, b.bp, b.pred);
				cn++;
			}
			free(cl);
			for (uint32_t g = 0; g < d->ngold; g++) {
				gold_attr *ga = &d->gold[g];
				if (!ga->has_cue)
					continue;
				uint32_t c0 = ga->cue.first, c1 = ga->cue.end, wa, wb;
				quote_role_window(&d->d, c0, c1, &wa, &wb);
				if (wb - wa > b.cap)
					continue;
				uint32_t len = wb - wa;
				for (uint32_t i = 0; i < len; i++) {
					b.nf[i] = qfeat_role(&d->d, wa, wb, c0, c1, wa + i,
							     b.f + (size_t)i * Q_MAXFEAT);
					b.gold[i] = QR_O;
				}
				for (uint32_t j = 0; j < ga->ncont; j++)
					for (uint32_t i = ga->cont[j].first; i < ga->cont[j].end; i++)
						if (i >= wa && i < wb && (i < c0 || i >= c1))
							b.gold[i - wa] = (i == ga->cont[j].first ||
									  (i > wa && b.gold[i - wa - 1] != QR_BT &&
									   b.gold[i - wa - 1] != QR_IT))
									     ? QR_BT
									     : QR_IT;
				if (ga->has_src)
					for (uint32_t i = ga->src.first; i < ga->src.end; i++)
						if (i >= wa && i < wb && (i < c0 || i >= c1))
							b.gold[i - wa] = i == ga->src.first ||
										 (i > wa && b.gold[i - wa - 1] != QR_BS &&
										  b.gold[i - wa - 1] != QR_IS)
									     ? QR_BS
									     : QR_IS;
				for (uint32_t i = 0; i < len; i++) {
					if (b.gold[i] == QR_IT && (i == 0 || (b.gold[i - 1] != QR_BT && b.gold[i - 1] != QR_IT)))
						b.gold[i] = QR_BT;
					if (b.gold[i] == QR_IS && (i == 0 || (b.gold[i - 1] != QR_BS && b.gold[i - 1] != QR_IS)))
						b.gold[i] = QR_BS;
				}
				rerr += (uint32_t)ptron_learn(role, b.f, b.nf, len, b.gold, NULL, b.emit,
							      b.vs, b.bp, b.pred);
				rn++;
			}
		}
		fprintf(stderr, "epoch %d: cue sentences wrong %u/%u, role windows wrong %u/%u\n",
			ep + 1, cerr, cn, rerr, rn);
	}
	free(order);
}

/* --- scoring --- */

static int trim_byte(const char *t, uint32_t *a, uint32_t *b, int content)
{
	for (int changed = 1; changed;) {
		changed = 0;
		while (*a < *b) {
			unsigned char c = (unsigned char)t[*a];
			if (c == ' ' || c == '\n' || c == '\t' || c == '"' || c == '\'' || c == ',' ||
			    c == '.' || c == ':' || c == ';' || c == '!' || c == '?' || c == '-' ||
			    c == '(' || c == ')') {
				(*a)++;
				changed = 1;
			} else if (c == 0xE2 && *a + 2 < *b) {
				*a += 3;
				changed = 1;
			} else if (c == 0xC2 && *a + 1 < *b &&
				   ((unsigned char)t[*a + 1] == 0xAB || (unsigned char)t[*a + 1] == 0xBB)) {
				*a += 2;
				changed = 1;
			} else
				break;
		}
		while (*b > *a) {
			unsigned char c = (unsigned char)t[*b - 1];
			if (c == ' ' || c == '\n' || c == '\t' || c == '"' || c == '\'' || c == ',' ||
			    c == '.' || c == ':' || c == ';' || c == '!' || c == '?' || c == '-' ||
			    c == '(' || c == ')') {
				(*b)--;
				changed = 1;
			} else if (*b >= *a + 3 && (unsigned char)t[*b - 3] == 0xE2) {
				*b -= 3;
				changed = 1;
			} else if (*b >= *a + 2 && (unsigned char)t[*b - 2] == 0xC2 &&
				   (c == 0xAB || c == 0xBB)) {
				*b -= 2;
				changed = 1;
			} else
				break;
		}
		if (content && *b >= *a + 5 && (t[*a] == 't' || t[*a] == 'T') &&
		    strncmp(t + *a + 1, "hat", 3) == 0 && t[*a + 4] == ' ') {
			*a += 5;
			changed = 1;
		}
	}
	return *b > *a;
}

typedef struct {
	double tp, np, ng;
} prf;

static void prf_print(const char *name, prf x)
{
	double p = x.np != 0 ? x.tp / x.np : 0, r = x.ng != 0 ? x.tp / x.ng : 0;
	printf("  %-18s P %.3f  R %.3f  F1 %.3f   (%g/%g/%g)\n", name, p, r,
	       p + r > 0 ? 2 * p * r / (p + r) : 0, x.tp, x.np, x.ng);
}

/* exact matching of two span lists, one to one */
static uint32_t exact_match(uint32_t *pa, uint32_t *pb, uint32_t np, uint32_t *ga, uint32_t *gb,
			    uint32_t ng)
{
	uint32_t m = 0;
	uint8_t *used = calloc(ng + 1, 1);
	for (uint32_t i = 0; i < np; i++)
		for (uint32_t j = 0; j < ng; j++)
			if (!used[j] && pa[i] == ga[j] && pb[i] == gb[j]) {
				used[j] = 1;
				m++;
				break;
			}
	free(used);
	return m;
}

static void evaluate(corpus *c, const quote_model *qm)
{
	prf src[2] = {{0}}, cue[2] = {{0}}, cont[2] = {{0}}, ov[3][2] = {{{0}}};
	double spk_ok[2] = {0}, spk_n[2] = {0};
	arena a;
	arena_init(&a, REC_ARENA_CAP);
	for (uint32_t k = 0; k < c->n; k++) {
		doc_t *d = &c->v[k];
		arena_reset(&a);
		quote_list ql;
		if (quote_attribute(qm, d->text, &d->t, &d->s, &d->g, d->date,
				    d->date ? (uint32_t)strlen(d->date) : 0, &a, &ql) != ERR_OK) {
			fprintf(stderr, "quote-train: %s: quote stage failed\n", d->id);
			continue;
		}
		uint32_t np = ql.n, ng = d->ngold;
		uint32_t *buf = calloc((size_t)(np + ng + 2) * 12, sizeof *buf);
		uint32_t *psa = buf, *psb = psa + np + 1, *pca = psb + np + 1, *pcb = pca + np + 1,
			 *pta = pcb + np + 1, *ptb = pta + np + 1;
		uint32_t *gsa = ptb + np + 1, *gsb = gsa + ng + 1, *gca = gsb + ng + 1,
			 *gcb = gca + ng + 1, *gta = gcb + ng + 1, *gtb = gta + ng + 1;
		for (int qsub = 0; qsub < 2; qsub++) {
			/* qsub 1: quoted gold only; predictions: those whose content holds a
			 * quotation (kind direct or mixed) */
			uint32_t nps = 0, npc = 0, npt = 0, ngs = 0, ngc = 0, ngt = 0;
			for (uint32_t i = 0; i < np; i++) {
				const quote_attr *r = &ql.v[i];
				if (qsub && r->kind == QUOTE_INDIRECT)
					continue;
				uint32_t x, y;
				if (r->has_speaker && (x = r->spk_off, y = r->spk_off + r->spk_len,
						       trim_byte(d->text, &x, &y, 0)))
					psa[nps] = x, psb[nps++] = y;
				if (r->has_cue && (x = r->cue_off, y = r->cue_off + r->cue_len,
						   trim_byte(d->text, &x, &y, 0)))
					pca[npc] = x, pcb[npc++] = y;
				x = r->off, y = r->off + r->len;
				if (trim_byte(d->text, &x, &y, 1))
					pta[npt] = x, ptb[npt++] = y;
			}
			for (uint32_t j = 0; j < ng; j++) {
				const gold_attr *g = &d->gold[j];
				if (qsub && !g->quoted)
					continue;
				uint32_t x, y;
				if (g->has_src && (x = g->src.off, y = g->src.off + g->src.len,
						   trim_byte(d->text, &x, &y, 0)))
					gsa[ngs] = x, gsb[ngs++] = y;
				if (g->has_cue && (x = g->cue.off, y = g->cue.off + g->cue.len,
						   trim_byte(d->text, &x, &y, 0)))
					gca[ngc] = x, gcb[ngc++] = y;
				x = g->cont_off, y = g->cont_end;
				if (trim_byte(d->text, &x, &y, 1))
					gta[ngt] = x, gtb[ngt++] = y;
				else
					gta[ngt] = g->cont_off, gtb[ngt++] = g->cont_end;
			}
			src[qsub].tp += exact_match(psa, psb, nps, gsa, gsb, ngs);
			src[qsub].np += nps, src[qsub].ng += ngs;
			cue[qsub].tp += exact_match(pca, pcb, npc, gca, gcb, ngc);
			cue[qsub].np += npc, cue[qsub].ng += ngc;
			cont[qsub].tp += exact_match(pta, ptb, npt, gta, gtb, ngt);
			cont[qsub].np += npt, cont[qsub].ng += ngt;
			/* overlap matching: each prediction to the gold it overlaps most */
			uint8_t *used = calloc(ng + 1, 1);
			uint32_t npp = 0;
			for (uint32_t i = 0; i < np; i++) {
				const quote_attr *r = &ql.v[i];
				if (qsub && r->kind == QUOTE_INDIRECT)
					continue;
				npp++;
				uint32_t best = UINT32_MAX, bo = 0;
				for (uint32_t j = 0; j < ng; j++) {
					const gold_attr *g = &d->gold[j];
					if (used[j] || (qsub && !g->quoted))
						continue;
					uint32_t lo = r->off > g->cont_off ? r->off : g->cont_off;
					uint32_t hi = r->off + r->len < g->cont_end ? r->off + r->len : g->cont_end;
					if (hi > lo && hi - lo > bo)
						bo = hi - lo, best = j;
				}
				if (best == UINT32_MAX)
					continue;
				used[best] = 1;
				const gold_attr *g = &d->gold[best];
				double cov = (double)bo / (double)(g->cont_end - g->cont_off);
				ov[0][qsub].tp += 1;
				ov[1][qsub].tp += cov >= 0.3;
				ov[2][qsub].tp += cov >= 0.8;
				spk_n[qsub] += 1;
				if (r->has_speaker && g->has_src && r->spk_off < g->src.off + g->src.len &&
				    g->src.off < r->spk_off + r->spk_len)
					spk_ok[qsub] += 1;
				else if (!r->has_speaker && !g->has_src)
					spk_ok[qsub] += 1;
			}
			free(used);
			for (int o = 0; o < 3; o++) {
				ov[o][qsub].np += npp;
				ov[o][qsub].ng += ngt;
			}
		}
		free(buf);
	}
	arena_fini(&a);
	for (int qsub = 0; qsub < 2; qsub++) {
		printf("%s attributions:\n", qsub ? "quoted" : "all");
		prf_print("source exact", src[qsub]);
		prf_print("cue exact", cue[qsub]);
		prf_print("content exact", cont[qsub]);
		prf_print("content any", ov[0][qsub]);
		prf_print("content 30%", ov[1][qsub]);
		prf_print("content 80%", ov[2][qsub]);
		printf("  speaker accuracy   %.3f  (%g/%g)\n",
		       spk_n[qsub] != 0 ? spk_ok[qsub] / spk_n[qsub] : 0, spk_ok[qsub], spk_n[qsub]);
	}
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int write_cue_words(corpus *c, const char *src)
{
	/* count lower-cased first words of gold cues */
	size_t cap = 1u << 16, n = 0;
	char **w = calloc(cap, sizeof *w);
	uint32_t *cnt = calloc(cap, sizeof *cnt);
	if (!w || !cnt)
		return -1;
	for (uint32_t k = 0; k < c->n; k++) {
		doc_t *d = &c->v[k];
		for (uint32_t g = 0; g < d->ngold; g++) {
			if (!d->gold[g].has_cue)
				continue;
			const tok_token *tk = &d->t.v[d->gold[g].cue.first];
			if (!tok_is_wordlike(tk->type) || tk->len >= 64)
				continue;
			char buf[64];
			for (uint32_t i = 0; i < tk->len; i++) {
				char ch = d->text[tk->off + i];
				buf[i] = ch >= 'A' && ch <= 'Z' ? (char)(ch + 32) : ch;
			}
			buf[tk->len] = '\0';
			size_t j = 0;
			for (; j < n; j++)
				if (strcmp(w[j], buf) == 0)
					break;
			if (j == n) {
				if (n == cap)
					continue;
				w[n] = strdup(buf);
				n++;
			}
			cnt[j]++;
		}
	}
	/* how often each of them occurs at all */
	uint32_t *occ = calloc(n + 1, sizeof *occ);
	if (!occ)
		return -1;
	for (uint32_t k = 0; k < c->n; k++) {
		doc_t *d = &c->v[k];
		for (uint32_t i = 0; i < d->t.n; i++) {
			const tok_token *tk = &d->t.v[i];
			if (!tok_is_wordlike(tk->type) || tk->len >= 64)
				continue;
			char buf[64];
			for (uint32_t x = 0; x < tk->len; x++) {
				char ch = d->text[tk->off + x];
				buf[x] = ch >= 'A' && ch <= 'Z' ? (char)(ch + 32) : ch;
			}
			buf[tk->len] = '\0';
			for (size_t j = 0; j < n; j++)
				if (w[j][0] == buf[0] && strcmp(w[j], buf) == 0) {
					occ[j]++;
					break;
				}
		}
	}
	char **keep = calloc(n + 1, sizeof *keep);
	size_t nk = 0;
	for (size_t j = 0; j < n; j++)
		if (cnt[j] >= 2 && (double)cnt[j] >= 0.04 * (double)occ[j])
			keep[nk++] = w[j];
	free(occ);
	qsort(keep, nk, sizeof *keep, cmp_str);
	char path[4096];
	snprintf(path, sizeof path, "%s/quote/cue-words.txt", src);
	FILE *fp = fopen(path, "w");
	if (!fp)
		return -1;
	fprintf(fp, "# Words that began a cue twice or more in PolNeAR train, lower-cased;\n"
		    "# written by `make train` (tools/quote_train.c). The cue tagger looks near them.\n");
	for (size_t j = 0; j < nk; j++)
		fprintf(fp, "%s\n", keep[j]);
	for (size_t j = 0; j < n; j++)
		free(w[j]);
	free(w);
	free(cnt);
	free(keep);
	fprintf(stderr, "%zu cue words\n", nk);
	return fclose(fp) == 0 ? 0 : -1;
}

static int reinit(corpus *c, const quote_model *qm)
{
	for (uint32_t k = 0; k < c->n; k++) {
		doc_t *d = &c->v[k];
		if (qdoc_init(qm, d->text, &d->t, &d->s, &d->g, &d->a, &d->d) != ERR_OK)
			return -1;
	}
	return 0;
}

/* --- model from the source dir, in memory --- */

static int build_model(const char *src, void **buf, size_t *len, model **m, err_info *ei)
{
	model_writer *w;
	if (model_writer_open(&w) != ERR_OK)
		return -1;
	if (gaz_build(src, w, ei) != ERR_OK || quote_build(src, w, ei) != ERR_OK ||
	    model_writer_bytes(w, buf, len) != ERR_OK) {
		model_writer_close(w);
		return -1;
	}
	model_writer_close(w);
	return model_open_mem(*buf, *len, m, ei) == ERR_OK ? 0 : -1;
}

int main(int argc, char **argv)
{
	const char *src = "models/src";
	int epochs = 10, no_train = 0;
	uint32_t cue_bits = 16, role_bits = 17;
	int i = 1;
	for (; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "-s") == 0 && i + 1 < argc)
			src = argv[++i];
		else if (strcmp(argv[i], "-e") == 0 && i + 1 < argc)
			epochs = atoi(argv[++i]);
		else if (strcmp(argv[i], "-b") == 0 && i + 2 < argc) {
			cue_bits = (uint32_t)atoi(argv[++i]);
			role_bits = (uint32_t)atoi(argv[++i]);
		} else if (strcmp(argv[i], "-n") == 0)
			no_train = 1;
		else {
			fprintf(stderr, "usage: quote-train [-s SRC] [-e EPOCHS] [-b CUEBITS ROLEBITS] [-n] TRAIN.jsonl DEV.jsonl\n");
			return 2;
		}
	}
	if (argc - i != 2) {
		fprintf(stderr, "usage: quote-train [-s SRC] [-e EPOCHS] [-b CUEBITS ROLEBITS] [-n] TRAIN.jsonl DEV.jsonl\n");
		return 2;
	}
	err_info ei = {0};
	void *mbuf;
	size_t mlen;
	model *m;
	if (build_model(src, &mbuf, &mlen, &m, &ei)) {
		fprintf(stderr, "quote-train: %s\n", ei.msg);
		return 2;
	}
	quote_model qm;
	gaz_model *gm;
	if (quote_open_sections(m, &qm, &ei) != ERR_OK || gaz_open(m, &gm, &ei) != ERR_OK) {
		fprintf(stderr, "quote-train: %s\n", ei.msg);
		return 2;
	}
	clock_t t0 = clock();
	corpus tr = {0}, dv = {0};
	if ((!no_train && load(argv[i], &tr, &qm, gm)) || load(argv[i + 1], &dv, &qm, gm))
		return 2;
	fprintf(stderr, "loaded %u train, %u dev docs in %.1f s\n", tr.n, dv.n,
		(double)(clock() - t0) / CLOCKS_PER_SEC);
	if (!no_train) {
		/* words that begin a cue twice or more in train: the cue tagger's
		 * candidates, kept in SRC/quote/cue-words.txt */
		if (write_cue_words(&tr, src))
			return 2;
		model_close(m);
		free(mbuf);
		if (build_model(src, &mbuf, &mlen, &m, &ei) ||
		    quote_open_sections(m, &qm, &ei) != ERR_OK) {
			fprintf(stderr, "quote-train: %s\n", ei.msg);
			return 2;
		}
		if (reinit(&tr, &qm) || reinit(&dv, &qm))
			return 2;
		ptron cue, role;
		if (cue_bits < 8 || cue_bits > 24 || role_bits < 8 || role_bits > 24 ||
		    ptron_init(&cue, QC_NLAB, cue_bits) || ptron_init(&role, QR_NLAB, role_bits))
			return 2;
		train(&tr, &cue, &role, epochs);
		char path[4096];
		snprintf(path, sizeof path, "%s/quote/cue.tagger", src);
		if (ptron_save(&cue, path))
			return 2;
		snprintf(path, sizeof path, "%s/quote/role.tagger", src);
		if (ptron_save(&role, path))
			return 2;
		fprintf(stderr, "trained in %.1f s\n", (double)(clock() - t0) / CLOCKS_PER_SEC);
		model_close(m);
		free(mbuf);
		if (build_model(src, &mbuf, &mlen, &m, &ei) ||
		    quote_open_sections(m, &qm, &ei) != ERR_OK) {
			fprintf(stderr, "quote-train: %s\n", ei.msg);
			return 2;
		}
	}
	printf("PolNeAR dev (%u docs), quote-train's own quick scorer:\n", dv.n);
	evaluate(&dv, &qm);
	return 0;
}
