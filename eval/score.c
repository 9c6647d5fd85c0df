/* SPDX-License-Identifier: MIT */
/* The scorer of whosaid-eval (see score.h and eval/README.md). Spans are
 * byte offsets into UTF-8; characters at span ends are decoded on the fly
 * (invalid bytes decode as U+FFFD and are never trimmed). Per document the
 * work is O(gold x predicted), which is small for news articles. */
#include "score.h"

#include <stdlib.h>
#include <string.h>

const double score_thresholds[SCORE_NTHRESH] = {0.0, 0.3, 0.8};

/* Decodes the code point at text[i] (i < len); *n gets its byte length. */
static uint32_t cp_at(const char *text, uint32_t len, uint32_t i, uint32_t *n)
{
	const unsigned char *s = (const unsigned char *)text;
	unsigned c = s[i];
	uint32_t need, cp;
	if (c < 0x80) {
		*n = 1;
		return c;
	}
	if (c >= 0xC2 && c <= 0xDF) {
		need = 1;
		cp = c & 0x1F;
	} else if (c >= 0xE0 && c <= 0xEF) {
		need = 2;
		cp = c & 0x0F;
	} else if (c >= 0xF0 && c <= 0xF4) {
		need = 3;
		cp = c & 0x07;
	} else {
		*n = 1;
		return 0xFFFD;
	}
	if (len - i <= need) {
		*n = 1;
		return 0xFFFD;
	}
	for (uint32_t k = 1; k <= need; k++) {
		if ((s[i + k] & 0xC0) != 0x80) {
			*n = 1;
			return 0xFFFD;
		}
		cp = (cp << 6) | (s[i + k] & 0x3F);
	}
	*n = need + 1;
	return cp;
}

/* Decodes the code point that ends just before text[end] (end > start). */
static uint32_t cp_before(const char *text, uint32_t len, uint32_t start, uint32_t end, uint32_t *n)
{
	const unsigned char *s = (const unsigned char *)text;
	uint32_t i = end - 1;
	while (i > start && end - i < 4 && (s[i] & 0xC0) == 0x80)
		i--;
	uint32_t m;
	uint32_t cp = cp_at(text, len, i, &m);
	if (i + m != end) {
		*n = 1;
		return 0xFFFD;
	}
	*n = m;
	return cp;
}

static bool is_space(uint32_t c)
{
	return c == ' ' || (c >= 0x09 && c <= 0x0D) || c == 0xA0 || c == 0x1680 ||
	       (c >= 0x2000 && c <= 0x200B) || c == 0x2028 || c == 0x2029 || c == 0x202F ||
	       c == 0x205F || c == 0x3000 || c == 0xFEFF;
}

static bool is_double_quote(uint32_t c)
{
	return c == '"' || c == 0xAB || c == 0xBB || c == 0x201C || c == 0x201D || c == 0x201E ||
	       c == 0x201F || c == 0x300C || c == 0x300D || c == 0x300E || c == 0x300F;
}

static bool is_single_quote(uint32_t c)
{
	return c == '\'' || c == 0x2018 || c == 0x2019 || c == 0x201A || c == 0x201B ||
	       c == 0x2039 || c == 0x203A;
}

static bool is_quote_mark(uint32_t c)
{
	return is_double_quote(c) || is_single_quote(c) || c == '`' || c == 0xB4 || c == 0x2032 ||
	       c == 0x2033;
}

/* Punctuation that trimming cuts; $ % & # @ + = < > and the like stay. */
static bool is_trim_punct(uint32_t c)
{
	if (c < 0x80)
		return c != 0 && strchr("!(),-.:;?[]{}*/\\", (int)c) != NULL;
	return (c >= 0x2010 && c <= 0x2015) || c == 0x2026 || c == 0xB7 || c == 0x2022 ||
	       c == 0xBF || c == 0xA1 || c == 0x2212;
}

static bool is_trimmed(uint32_t c)
{
	return is_space(c) || is_quote_mark(c) || is_trim_punct(c);
}

static score_span trim_chars(const char *text, uint32_t len, score_span s, bool (*cut)(uint32_t))
{
	uint32_t n;
	while (s.start < s.end && cut(cp_at(text, len, s.start, &n)))
		s.start += n;
	while (s.end > s.start && cut(cp_before(text, len, s.start, s.end, &n)))
		s.end -= n;
	return s;
}

static char lower(char c)
{
	return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

score_span score_trim(const char *text, uint32_t len, score_span s, bool content)
{
	if (s.end > len)
		s.end = len;
	if (s.start > s.end)
		s.start = s.end;
	score_span t = trim_chars(text, len, s, is_trimmed);
	if (content && t.end - t.start > 4) {
		const char *p = text + t.start;
		uint32_t n;
		if (lower(p[0]) == 't' && lower(p[1]) == 'h' && lower(p[2]) == 'a' &&
		    lower(p[3]) == 't' && is_space(cp_at(text, len, t.start + 4, &n))) {
			score_span u = {t.start + 4, t.end};
			u = trim_chars(text, len, u, is_trimmed);
			if (u.start < u.end)
				t = u;
		}
	}
	if (t.start == t.end)
		t = trim_chars(text, len, s, is_space);
	return t;
}

static bool is_alnum_cp(uint32_t c)
{
	if (c < 0x80)
		return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
	return !is_space(c) && !is_quote_mark(c) && !is_trim_punct(c) && c != 0xFFFD;
}

/* A single mark at i opens a quote: after start, space, bracket or dash,
 * before a letter or digit. It closes one: after a non-space, before the
 * end, a space or punctuation. */
static bool single_pair(const char *text, uint32_t len, score_span p)
{
	bool open = false;
	uint32_t prev = ' ';
	for (uint32_t i = p.start; i < p.end;) {
		uint32_t n, m;
		uint32_t c = cp_at(text, len, i, &n);
		uint32_t next = i + n < p.end ? cp_at(text, len, i + n, &m) : ' ';
		if (is_single_quote(c) && c != 0x201A) {
			bool can_open = c != 0x2019 && c != 0x203A &&
					(is_space(prev) || prev == '(' || prev == '[' ||
					 is_trim_punct(prev) || is_double_quote(prev)) &&
					is_alnum_cp(next);
			bool can_close = c != 0x2018 && c != 0x2039 && !is_space(prev) &&
					 (is_space(next) || is_trim_punct(next) || is_double_quote(next));
			if (open && can_close)
				return true;
			if (can_open)
				open = true;
		}
		prev = c;
		i += n;
	}
	return false;
}

bool score_is_quoted(const char *text, uint32_t len, const score_span *pieces, uint32_t n)
{
	for (uint32_t k = 0; k < n; k++) {
		score_span p = pieces[k];
		if (p.end > len || p.start > p.end)
			continue;
		for (uint32_t i = p.start; i < p.end;) {
			uint32_t m;
			if (is_double_quote(cp_at(text, len, i, &m)))
				return true;
			/* '' and `` are typewriter double quotes (the NYT texts use them) */
			if (i + 1 < p.end && (text[i] == '\'' || text[i] == '`') && text[i + 1] == text[i])
				return true;
			i += m;
		}
		if (single_pair(text, len, p))
			return true;
	}
	return false;
}

uint32_t score_overlap(score_span a, score_span b)
{
	uint32_t s = a.start > b.start ? a.start : b.start;
	uint32_t e = a.end < b.end ? a.end : b.end;
	return e > s ? e - s : 0;
}

score_span score_hull(const score_span *v, uint32_t n)
{
	score_span h = v[0];
	for (uint32_t i = 1; i < n; i++) {
		if (v[i].start < h.start)
			h.start = v[i].start;
		if (v[i].end > h.end)
			h.end = v[i].end;
	}
	return h;
}

static int span_cmp(const void *a, const void *b)
{
	const score_span *x = a, *y = b;
	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	if (x->end != y->end)
		return x->end < y->end ? -1 : 1;
	return 0;
}

/* Sorts and dedups v[0..n) in place; drops empty spans; returns the count. */
static uint32_t span_set(score_span *v, uint32_t n)
{
	uint32_t k = 0;
	qsort(v, n, sizeof *v, span_cmp);
	for (uint32_t i = 0; i < n; i++) {
		if (v[i].start >= v[i].end)
			continue;
		if (k > 0 && span_cmp(&v[k - 1], &v[i]) == 0)
			continue;
		v[k++] = v[i];
	}
	return k;
}

static uint64_t set_inter(const score_span *a, uint32_t na, const score_span *b, uint32_t nb)
{
	uint32_t i = 0, j = 0;
	uint64_t tp = 0;
	while (i < na && j < nb) {
		int c = span_cmp(&a[i], &b[j]);
		if (c == 0) {
			tp++;
			i++;
			j++;
		} else if (c < 0) {
			i++;
		} else {
			j++;
		}
	}
	return tp;
}

typedef struct {
	uint32_t ov, p, g;
	double cov, jac; /* coverage of the gold; overlap / union */
} pair;

static int pair_cmp(const void *a, const void *b)
{
	const pair *x = a, *y = b;
	if (x->ov != y->ov)
		return x->ov > y->ov ? -1 : 1;
	/* Equal overlaps: the tighter pair first (a quote nested in another). */
	if (x->jac != y->jac)
		return x->jac > y->jac ? -1 : 1;
	if (x->p != y->p)
		return x->p < y->p ? -1 : 1;
	if (x->g != y->g)
		return x->g < y->g ? -1 : 1;
	return 0;
}

static bool pred_quoted(const score_quote *q)
{
	return q->kind == SCORE_KIND_DIRECT || q->kind == SCORE_KIND_MIXED;
}

/* Per-document working storage. */
typedef struct {
	score_span *gsrc, *gcue, *gcon, *psrc, *pcue, *pcon;
	bool *gq, *gin, *pin, *gused, *pused;
	score_span *gpieces; /* trimmed content pieces, ncontent per gold */
	uint32_t *gpoff;     /* index of each gold's first piece in gpieces */
	uint64_t *glen;      /* total trimmed content bytes per gold */
	pair *pairs;
	size_t npairs_cap;
	bool nomem;
} work;

/* Appends a pair to w->pairs, growing it; false when out of memory. */
static bool add_pair(work *w, size_t *n, pair x)
{
	if (*n == w->npairs_cap) {
		size_t nc = w->npairs_cap ? w->npairs_cap * 2 : 256;
		pair *v = realloc(w->pairs, nc * sizeof *v);
		if (!v)
			return false;
		w->pairs = v;
		w->npairs_cap = nc;
	}
	w->pairs[(*n)++] = x;
	return true;
}

static void score_subset(const char *text, uint32_t len, const score_gold *g, uint32_t ng,
			 const score_quote *p, uint32_t np, work *w, score_counts *c,
			 const score_polnear *trace)
{
	uint32_t n;
	/* Exact spans: source. */
	n = 0;
	for (uint32_t i = 0; i < ng; i++)
		if (w->gin[i] && g[i].nsrc > 0)
			w->gsrc[n++] = score_trim(text, len, score_hull(g[i].src, g[i].nsrc), false);
	uint32_t ngs = span_set(w->gsrc, n);
	n = 0;
	for (uint32_t i = 0; i < np; i++)
		if (w->pin[i] && p[i].has_spk)
			w->psrc[n++] = score_trim(text, len, p[i].spk, false);
	uint32_t nps = span_set(w->psrc, n);
	c->exact[SCORE_SRC].ngold += ngs;
	c->exact[SCORE_SRC].npred += nps;
	c->exact[SCORE_SRC].tp += set_inter(w->gsrc, ngs, w->psrc, nps);
	/* Cue. */
	n = 0;
	for (uint32_t i = 0; i < ng; i++)
		if (w->gin[i] && g[i].ncue > 0)
			w->gcue[n++] = score_trim(text, len, score_hull(g[i].cue, g[i].ncue), false);
	uint32_t ngc = span_set(w->gcue, n);
	n = 0;
	for (uint32_t i = 0; i < np; i++)
		if (w->pin[i] && p[i].has_cue)
			w->pcue[n++] = score_trim(text, len, p[i].cue, false);
	uint32_t npc = span_set(w->pcue, n);
	c->exact[SCORE_CUE].ngold += ngc;
	c->exact[SCORE_CUE].npred += npc;
	c->exact[SCORE_CUE].tp += set_inter(w->gcue, ngc, w->pcue, npc);
	/* Content. */
	n = 0;
	for (uint32_t i = 0; i < ng; i++)
		if (w->gin[i] && g[i].ncontent > 0)
			w->gcon[n++] =
				score_trim(text, len, score_hull(g[i].content, g[i].ncontent), true);
	uint32_t ngn = span_set(w->gcon, n);
	n = 0;
	for (uint32_t i = 0; i < np; i++)
		if (w->pin[i])
			w->pcon[n++] = score_trim(text, len, p[i].content, true);
	uint32_t npn = span_set(w->pcon, n);
	c->exact[SCORE_CONTENT].ngold += ngn;
	c->exact[SCORE_CONTENT].npred += npn;
	c->exact[SCORE_CONTENT].tp += set_inter(w->gcon, ngn, w->pcon, npn);

	/* Overlap: every (pred, gold) pair sharing bytes, greedy by size. */
	size_t npairs = 0;
	uint64_t ngold_in = 0, npred_in = 0;
	for (uint32_t i = 0; i < ng; i++)
		ngold_in += w->gin[i] && w->glen[i] > 0;
	for (uint32_t j = 0; j < np; j++)
		npred_in += w->pin[j];
	for (uint32_t j = 0; j < np; j++) {
		if (!w->pin[j])
			continue;
		score_span ps = score_trim(text, len, p[j].content, true);
		if (ps.start >= ps.end)
			continue;
		for (uint32_t i = 0; i < ng; i++) {
			if (!w->gin[i] || w->glen[i] == 0)
				continue;
			uint64_t ov = 0;
			for (uint32_t k = 0; k < g[i].ncontent; k++)
				ov += score_overlap(ps, w->gpieces[w->gpoff[i] + k]);
			if (ov == 0)
				continue;
			pair x = {(uint32_t)ov, j, i, (double)ov / (double)w->glen[i],
				  (double)ov / (double)(w->glen[i] + (ps.end - ps.start) - ov)};
			if (!add_pair(w, &npairs, x)) {
				w->nomem = true;
				return;
			}
		}
	}
	if (npairs > 1)
		qsort(w->pairs, npairs, sizeof *w->pairs, pair_cmp);
	for (int t = SCORE_NTHRESH - 1; t >= 0; t--) {
		memset(w->gused, 0, ng * sizeof *w->gused);
		memset(w->pused, 0, np * sizeof *w->pused);
		uint64_t m = 0;
		for (size_t k = 0; k < npairs; k++) {
			const pair *pr = &w->pairs[k];
			if (w->gused[pr->g] || w->pused[pr->p])
				continue;
			if (t > 0 && pr->cov + 1e-9 < score_thresholds[t])
				continue;
			w->gused[pr->g] = w->pused[pr->p] = true;
			m++;
			if (t != 0)
				continue;
			if (trace && trace->on_pair)
				trace->on_pair(trace->miss_ctx, pr->g, pr->p);
			/* Speaker, on the any-overlap matching. */
			const score_gold *gg = &g[pr->g];
			const score_quote *q = &p[pr->p];
			bool right;
			c->spk_matched++;
			if (gg->nsrc == 0) {
				right = !q->has_spk;
			} else {
				score_span gs = score_trim(text, len, score_hull(gg->src, gg->nsrc), false);
				score_span qs = q->has_spk ? score_trim(text, len, q->spk, false)
							   : (score_span){0, 0};
				right = q->has_spk && score_overlap(gs, qs) > 0;
				c->spk_with_src++;
				c->spk_right_src += right;
			}
			c->spk_right += right;
		}
		if (t == 0 && trace && trace->on_miss) {
			for (uint32_t i = 0; i < ng; i++)
				if (!w->gused[i])
					trace->on_miss(trace->miss_ctx, true, i);
			for (uint32_t j = 0; j < np; j++)
				if (!w->pused[j])
					trace->on_miss(trace->miss_ctx, false, j);
		}
		c->overlap[t].tp += m;
		c->overlap[t].ngold += ngold_in;
		c->overlap[t].npred += npred_in;
	}
}

bool score_polnear_doc(const char *text, uint32_t len, const score_gold *g, uint32_t ng,
		       const score_quote *p, uint32_t np, score_polnear *acc)
{
	work w;
	uint32_t npieces = 0;
	for (uint32_t i = 0; i < ng; i++)
		npieces += g[i].ncontent;
	size_t mx = (size_t)(ng > np ? ng : np) + 1;
	score_span *spans = malloc((mx * 6 + npieces + 1) * sizeof *spans);
	bool *flags = malloc(mx * 5 * sizeof *flags);
	uint32_t *gpoff = malloc(mx * sizeof *gpoff);
	uint64_t *glen = malloc(mx * sizeof *glen);
	if (!spans || !flags || !gpoff || !glen) {
		free(spans);
		free(flags);
		free(gpoff);
		free(glen);
		return false;
	}
	w.gsrc = spans;
	w.gcue = spans + mx;
	w.gcon = spans + 2 * mx;
	w.psrc = spans + 3 * mx;
	w.pcue = spans + 4 * mx;
	w.pcon = spans + 5 * mx;
	w.gpieces = spans + 6 * mx;
	w.gq = flags;
	w.gin = flags + mx;
	w.pin = flags + 2 * mx;
	w.gused = flags + 3 * mx;
	w.pused = flags + 4 * mx;
	w.gpoff = gpoff;
	w.glen = glen;
	w.pairs = NULL;
	w.npairs_cap = 0;
	w.nomem = false;

	uint32_t off = 0;
	for (uint32_t i = 0; i < ng; i++) {
		w.gpoff[i] = off;
		w.glen[i] = 0;
		for (uint32_t k = 0; k < g[i].ncontent; k++) {
			score_span t = score_trim(text, len, g[i].content[k], k == 0);
			w.gpieces[off + k] = t;
			w.glen[i] += t.end - t.start;
		}
		off += g[i].ncontent;
		w.gq[i] = score_is_quoted(text, len, g[i].content, g[i].ncontent);
		acc->gold_attrs++;
		acc->gold_quoted += w.gq[i];
		acc->gold_direct += g[i].direct;
	}
	for (uint32_t j = 0; j < np; j++) {
		acc->pred_quotes++;
		acc->pred_quoted += pred_quoted(&p[j]);
		acc->pred_kind[p[j].kind <= SCORE_KIND_INDIRECT ? p[j].kind : SCORE_KIND_NONE]++;
	}
	for (int s = 0; s < SCORE_NSUBSETS; s++) {
		for (uint32_t i = 0; i < ng; i++)
			w.gin[i] = s == SCORE_ALL || w.gq[i];
		for (uint32_t j = 0; j < np; j++)
			w.pin[j] = s == SCORE_ALL || pred_quoted(&p[j]);
		score_subset(text, len, g, ng, p, np, &w, &acc->sub[s],
			     s == SCORE_ALL ? acc : NULL);
	}
	acc->docs++;
	free(spans);
	free(flags);
	free(gpoff);
	free(glen);
	free(w.pairs);
	return !w.nomem;
}

double score_p(score_prf c)
{
	return c.npred ? (double)c.tp / (double)c.npred : 0.0;
}

double score_r(score_prf c)
{
	return c.ngold ? (double)c.tp / (double)c.ngold : 0.0;
}

double score_f1(score_prf c)
{
	double p = score_p(c), r = score_r(c);
	return p + r > 0 ? 2 * p * r / (p + r) : 0.0;
}

/* ---- entcov ---- */

static bool word_eq(const char *w, uint32_t n, const char *const *list)
{
	for (uint32_t k = 0; list[k]; k++) {
		size_t l = strlen(list[k]);
		if (l != n)
			continue;
		uint32_t i = 0;
		while (i < n && lower(w[i]) == list[k][i])
			i++;
		if (i == n)
			return true;
	}
	return false;
}

static const char *const determiners[] = {"the", "a", "an", "this", "that", "these", "those",
					  "his", "her", "their", "its", "our", "my", "your",
					  "another", "some", "many", "several", "both", NULL};
static const char *const pronouns[] = {"he", "she", "they", "it", "we", "i", "you", "who",
				       "him", "them", "us", "me", "one", "someone", "everyone",
				       "anyone", "nobody", "this", "that", "these", "those",
				       "which", "what", NULL};
/* Titles before a name that an entity mention may leave out ("Mr."). */
static const char *const honorifics[] = {"mr.", "mrs.", "ms.", "mr", "mrs", "ms", "miss", "dr.",
					 "sen.", "rep.", "gov.", "gen.", "prof.", "rev.", "lt.",
					 "col.", "president", "senator", "governor", "secretary",
					 "judge", "justice", "speaker", "sen", "rep", "gov", NULL};
/* Lower-case words allowed inside a name ("Bank of England"). */
static const char *const connectors[] = {"of", "the", "for", "and", "de", "la", "le", "du",
					 "da", "van", "von", "der", "al", "bin", "el", "on",
					 "&", NULL};

/* Is the word at [s, e) capitalized: first letter upper case, or a digit? */
static bool capitalized(const char *text, uint32_t len, uint32_t s, uint32_t e)
{
	uint32_t n;
	while (s < e && is_quote_mark(cp_at(text, len, s, &n)))
		s += n;
	if (s >= e)
		return false;
	unsigned char c = (unsigned char)text[s];
	if (c >= 'A' && c <= 'Z')
		return true;
	if (c >= '0' && c <= '9')
		return true;
	if (c >= 0x80) {
		uint32_t cp = cp_at(text, len, s, &n);
		/* Latin-1 and Latin Extended-A upper-case letters. */
		if ((cp >= 0xC0 && cp <= 0xDE && cp != 0xD7) ||
		    (cp >= 0x100 && cp <= 0x17F && (cp & 1) == 0))
			return true;
	}
	return false;
}

/* Does the word w (n bytes) occur in text in lower case (a common word)? */
static bool occurs_lower(const char *text, uint32_t len, const char *w, uint32_t n)
{
	if (n == 0 || n > 64)
		return false;
	char lw[64];
	for (uint32_t i = 0; i < n; i++)
		lw[i] = lower(w[i]);
	if (lw[0] == w[0])
		return true;
	for (uint32_t i = 0; i + n <= len; i++) {
		if (text[i] != lw[0] || memcmp(text + i, lw, n) != 0)
			continue;
		uint32_t m;
		bool before = i == 0 || !is_alnum_cp(cp_before(text, len, 0, i, &m));
		bool after = i + n == len || !is_alnum_cp(cp_at(text, len, i + n, &m));
		if (before && after)
			return true;
	}
	return false;
}

/* Is the position s at the start of a sentence (after start, a paragraph
 * break, or . ! ? and optional closing marks, then space)? */
static bool sentence_initial(const char *text, uint32_t len, uint32_t s)
{
	uint32_t i = s, n;
	bool space = false;
	while (i > 0) {
		uint32_t c = cp_before(text, len, 0, i, &n);
		if (c == '\n')
			return true;
		if (is_space(c) || is_quote_mark(c) || c == '(') {
			space = true;
			i -= n;
			continue;
		}
		return space && (c == '.' || c == '!' || c == '?' || c == ':' || c == 0x2014);
	}
	return true;
}

bool score_proper_name(const char *text, uint32_t len, score_span s, score_span *name)
{
	s = score_trim(text, len, s, false);
	/* Split into words at spaces. */
	uint32_t ws[32], we[32], nw = 0;
	for (uint32_t i = s.start; i < s.end && nw < 32;) {
		uint32_t n;
		while (i < s.end && is_space(cp_at(text, len, i, &n)))
			i += n;
		if (i >= s.end)
			break;
		uint32_t b = i;
		while (i < s.end && !is_space(cp_at(text, len, i, &n)))
			i += n;
		ws[nw] = b;
		we[nw] = i;
		nw++;
	}
	if (nw == 0 || nw >= 32)
		return false;
	uint32_t first = 0;
	/* Leading determiners ("the", "The") are not part of the name. */
	while (first < nw && word_eq(text + ws[first], we[first] - ws[first], determiners))
		first++;
	if (first == nw)
		return false;
	/* A sentence-initial common word ("Officials") is not a name. */
	if (first == 0 && nw == 1 && sentence_initial(text, len, ws[0]) &&
	    occurs_lower(text, len, text + ws[0], we[0] - ws[0]))
		return false;
	if (nw - first == 1 && word_eq(text + ws[first], we[first] - ws[first], pronouns))
		return false;
	if (!capitalized(text, len, ws[first], we[first]) ||
	    !capitalized(text, len, ws[nw - 1], we[nw - 1]))
		return false;
	for (uint32_t k = first; k < nw; k++) {
		if (capitalized(text, len, ws[k], we[k]))
			continue;
		if (k > first && k + 1 < nw && word_eq(text + ws[k], we[k] - ws[k], connectors))
			continue;
		return false;
	}
	/* The name without titles ("Mr. Obama" -> "Obama") and possessive. */
	while (first + 1 < nw && word_eq(text + ws[first], we[first] - ws[first], honorifics) &&
	       capitalized(text, len, ws[first + 1], we[first + 1]))
		first++;
	uint32_t end = we[nw - 1];
	if (end - ws[nw - 1] > 2 && text[end - 1] == 's' && text[end - 2] == '\'')
		end -= 2;
	else if (end - ws[nw - 1] > 4 && text[end - 1] == 's' &&
		 memcmp(text + end - 4, "\xE2\x80\x99", 3) == 0)
		end -= 4;
	name->start = ws[first];
	name->end = end;
	*name = score_trim(text, len, *name, false);
	return name->start < name->end;
}

score_cover_level score_cover(const char *text, const score_entity *e, uint32_t ne,
			      score_span name, bool any_type)
{
	score_cover_level best = SCORE_COVER_NONE;
	for (uint32_t i = 0; i < ne; i++) {
		if (!any_type && strcmp(e[i].type, "PER") != 0 && strcmp(e[i].type, "ORG") != 0)
			continue;
		score_span x = e[i].sp;
		score_cover_level l = SCORE_COVER_NONE;
		if (x.start == name.start && x.end == name.end)
			l = SCORE_COVER_EXACT;
		else if (x.start <= name.start && x.end >= name.end)
			l = SCORE_COVER_CONTAINS;
		else if (x.end == name.end && x.start > name.start && x.start < x.end &&
			 (text[x.start - 1] == ' ' || text[x.start - 1] == '\n'))
			l = SCORE_COVER_HEAD;
		if (l > best)
			best = l;
	}
	return best;
}

/* ---- seeds ---- */

static bool ws_byte(char c)
{
	return c == ' ' || c == '\n' || c == '\t' || c == '\r';
}

static bool word_byte(char c)
{
	return ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') || (c >= '0' && c <= '9') ||
	       (unsigned char)c >= 0x80;
}

/* The end of a match of pat at text[i], or 0 when pat does not match there. */
static uint32_t match_at(const char *text, uint32_t len, uint32_t i, const char *pat)
{
	const char *q = pat;
	while (*q) {
		if (ws_byte(*q)) {
			if (i >= len || !ws_byte(text[i]))
				return 0;
			while (i < len && ws_byte(text[i]))
				i++;
			while (ws_byte(*q))
				q++;
			continue;
		}
		if (i >= len || text[i] != *q)
			return 0;
		i++;
		q++;
	}
	return i;
}

bool score_find_text(const char *text, uint32_t len, const char *pat, uint32_t from, bool word,
		     score_span *out)
{
	if (!pat[0] || ws_byte(pat[0]))
		return false;
	for (uint32_t i = from; i < len; i++) {
		if (text[i] != pat[0])
			continue;
		uint32_t e = match_at(text, len, i, pat);
		if (e == 0)
			continue;
		if (word && ((i > 0 && word_byte(text[i - 1]) && word_byte(text[i])) ||
			     (e < len && word_byte(text[e]) && word_byte(text[e - 1]))))
			continue;
		out->start = i;
		out->end = e;
		return true;
	}
	return false;
}

bool score_find_quote(const char *text, uint32_t len, const char *quote, const char *near,
		      score_span *out)
{
	score_span q, n;
	if (!score_find_text(text, len, quote, 0, false, &q))
		return false;
	*out = q;
	if (!near || !score_find_text(text, len, near, 0, false, &n))
		return true;
	/* The occurrence of quote nearest to an occurrence of near. */
	uint64_t best = UINT64_MAX;
	for (uint32_t i = 0; score_find_text(text, len, quote, i, false, &q); i = q.start + 1) {
		for (uint32_t j = 0; score_find_text(text, len, near, j, false, &n);
		     j = n.start + 1) {
			uint64_t d = n.start > q.start ? n.start - q.start : q.start - n.start;
			if (d < best) {
				best = d;
				*out = q;
			}
		}
	}
	return true;
}

/* Normalizes a name for comparison into buf: ASCII lower case, hyphens,
 * spaces and dots dropped, curly apostrophes as straight, a leading "the "
 * and a trailing "'s" dropped. Returns the length. */
static size_t norm_name(const char *s, char *buf, size_t cap)
{
	size_t n = 0, l = strlen(s);
	size_t i = 0;
	while (i < l && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n'))
		i++;
	if (l - i > 4 && lower(s[i]) == 't' && lower(s[i + 1]) == 'h' && lower(s[i + 2]) == 'e' &&
	    s[i + 3] == ' ')
		i += 4;
	for (; i < l && n + 1 < cap; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == ' ' || c == '-' || c == '\t' || c == '\n' || c == '.' || c == ',')
			continue;
		if (c == 0xE2 && i + 2 < l && (unsigned char)s[i + 1] == 0x80 &&
		    ((unsigned char)s[i + 2] == 0x99 || (unsigned char)s[i + 2] == 0x98)) {
			buf[n++] = '\'';
			i += 2;
			continue;
		}
		if (c == 0xE2 && i + 2 < l && (unsigned char)s[i + 1] == 0x80 &&
		    (unsigned char)s[i + 2] >= 0x90 && (unsigned char)s[i + 2] <= 0x95) {
			i += 2; /* dashes */
			continue;
		}
		buf[n++] = lower((char)c);
	}
	if (n >= 2 && buf[n - 2] == '\'' && buf[n - 1] == 's')
		n -= 2;
	else if (n >= 1 && buf[n - 1] == '\'')
		n -= 1;
	buf[n] = 0;
	return n;
}

/* Is the accepted name (normalized: a, na) the whole of s[0..len) or its
 * head, i.e. a suffix that starts at a word ("North Korean leader Kim Jong
 * Un")? */
static bool head_match(const char *s, size_t len, const char *a, size_t na)
{
	char tmp[512], b[512];
	while (len > 0 && strchr(" ,.;:()", s[len - 1]))
		len--;
	for (size_t i = 0; i < len; i++) {
		if (i > 0 && s[i - 1] != ' ')
			continue;
		size_t k = len - i < sizeof tmp - 1 ? len - i : sizeof tmp - 1;
		memcpy(tmp, s + i, k);
		tmp[k] = 0;
		if (norm_name(tmp, b, sizeof b) == na && memcmp(a, b, na) == 0)
			return true;
	}
	return false;
}

bool score_name_match(const char *pred_name, const char *pred_text, const char *accepted)
{
	char a[512], b[512];
	size_t na = norm_name(accepted, a, sizeof a);
	if (na == 0)
		return false;
	if (pred_name && norm_name(pred_name, b, sizeof b) == na && memcmp(a, b, na) == 0)
		return true;
	if (!pred_text)
		return false;
	/* The mention's parts, split at commas, semicolons, brackets and "and"
	 * ("Tom Fitton, the president of ...", "Washington and its allies",
	 * "Korean Central News Agency (KCNA)"): a part that is the name or
	 * ends in it. */
	size_t tl = strlen(pred_text), start = 0;
	for (size_t i = 0; i <= tl; i++) {
		size_t cut = 0;
		if (i == tl || strchr(",;()", pred_text[i]))
			cut = 1;
		else if (i > 0 && pred_text[i - 1] == ' ' && strncmp(pred_text + i, "and ", 4) == 0)
			cut = 4;
		if (!cut)
			continue;
		while (start < i && pred_text[start] == ' ')
			start++;
		if (i > start && head_match(pred_text + start, i - start, a, na))
			return true;
		start = i + cut;
		i = start - 1;
	}
	return false;
}
