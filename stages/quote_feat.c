/* SPDX-License-Identifier: MIT */
/* The quote stage's token view, quotation pairing, hashed features and
 * the two taggers' scoring and Viterbi decoding. Shared by the runtime and
 * the trainer so that both see exactly the same features. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "quote_int.h"

uint64_t quote_word_hash64(const char *p, uint32_t len)
{
	uint64_t h = 1469598103934665603ull;
	for (uint32_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)p[i];
		if (c == 0xE2 && i + 2 < len && (unsigned char)p[i + 1] == 0x80 &&
		    ((unsigned char)p[i + 2] == 0x99 || (unsigned char)p[i + 2] == 0x98)) {
			c = '\'';
			i += 2;
		} else if (c >= 'A' && c <= 'Z') {
			c = (unsigned char)(c + 32);
		}
		h ^= c;
		h *= 1099511628211ull;
	}
	return h;
}

/* quote_word_hash64 of an ASCII word of len bytes (1 to 8) held in key
 * (little-endian, zero-padded): A-Z lower-cased in every byte at once,
 * then the eight steps with the ones past len not taken, all without a
 * branch (word lengths are data: a loop mispredicts its exit). *suf gets
 * the hash of the last three bytes (the word's own when len <= 3). */
static inline uint64_t hash_ascii8(uint64_t key, uint32_t len, uint64_t *suf)
{
	const uint64_t hi = 0x8080808080808080ull;
	uint64_t upper = (key + 0x3F3F3F3F3F3F3F3Full) & ~(key + 0x2525252525252525ull) & hi;
	uint64_t low = key | (upper >> 2);
	uint64_t h = 1469598103934665603ull, hk;
#define STEP(k)                                                                        \
	hk = (h ^ ((low >> (8 * (k))) & 0xFF)) * 1099511628211ull;                       \
	h = (k) < len ? hk : h
	STEP(0);
	STEP(1);
	STEP(2);
	STEP(3);
	STEP(4);
	STEP(5);
	STEP(6);
	STEP(7);
#undef STEP
	uint64_t s3 = low >> (len > 3 ? 8 * (len - 3) : 0);
	uint64_t hs = 1469598103934665603ull;
	hs = (hs ^ (s3 & 0xFF)) * 1099511628211ull;
	hs = (hs ^ (s3 >> 8 & 0xFF)) * 1099511628211ull;
	hs = (hs ^ (s3 >> 16 & 0xFF)) * 1099511628211ull;
	*suf = len <= 3 ? h : hs;
	return h;
}

/* quote_word_hash64(p, 3), unrolled. */
static inline uint64_t suffix_hash(const char *p)
{
	const unsigned char *u = (const unsigned char *)p;
	if (u[0] == 0xE2 && u[1] == 0x80 && (u[2] == 0x99 || u[2] == 0x98))
		return (1469598103934665603ull ^ '\'') * 1099511628211ull;
	uint64_t h = 1469598103934665603ull;
	for (int i = 0; i < 3; i++) {
		unsigned char c = u[i];
		c = (unsigned char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
		h = (h ^ c) * 1099511628211ull;
	}
	return h;
}

/* One feature: its template and up to three values, hashed with one
 * 64-bit multiply-and-fold (cheap: features are hashed for every token). */
static inline uint32_t fh(uint32_t tid, uint32_t a, uint32_t b, uint32_t c)
{
	uint64_t h = ((uint64_t)tid << 32 | a) * 0x9E3779B97F4A7C15ull;
	h ^= ((uint64_t)b << 32 | c) * 0xC2B2AE3D27D4EB4Full;
	h ^= h >> 29;
	h *= 0xBF58476D1CE4E5B9ull;
	return (uint32_t)(h >> 32);
}

/* The byte of hash h that q->ltag keeps: never 0 (an empty slot). */
static inline uint8_t lex_tag(uint64_t h)
{
	return (uint8_t)(h >> 56) | 1;
}

err quote_lex_tags(quote_model *q)
{
	if (!q->slots)
		return ERR_OK;
	q->ltag = malloc((size_t)q->slot_mask + 1);
	if (!q->ltag)
		return ERR_NOMEM;
	for (uint32_t k = 0; k <= q->slot_mask; k++)
		q->ltag[k] = q->slots[k].lemma ? lex_tag(q->slots[k].hash) : 0;
	return ERR_OK;
}

/* Linear probing from h's slot to h or an empty slot. */
static const qlex_slot *lex_find(const quote_model *q, uint64_t h)
{
	if (!q || !q->slots)
		return NULL;
	uint32_t i = (uint32_t)h & q->slot_mask;
	if (q->ltag) {
		/* a slot whose tag differs holds another hash */
		const uint8_t *tg = q->ltag;
		uint8_t t = lex_tag(h);
		for (uint32_t k = 0; k <= q->slot_mask; k++) {
			if (tg[i] == 0)
				return NULL;
			if (tg[i] == t && q->slots[i].hash == h)
				return &q->slots[i];
			i = (i + 1) & q->slot_mask;
		}
		return NULL;
	}
	for (uint32_t k = 0; k <= q->slot_mask; k++) {
		const qlex_slot *s = &q->slots[i];
		if (s->lemma == 0)
			return NULL;
		if (s->hash == h)
			return s;
		i = (i + 1) & q->slot_mask;
	}
	return NULL;
}

static const struct {
	const char *w;
	uint32_t len;
	uint8_t c;
} pronouns[] = {
	{"he", 2, QP_HE},     {"him", 3, QP_HE},   {"she", 3, QP_SHE}, {"her", 3, QP_SHE},
	{"they", 4, QP_THEY}, {"them", 4, QP_THEY}, {"it", 2, QP_IT},   {"i", 1, QP_FIRST},
	{"we", 2, QP_FIRST},  {"you", 3, QP_YOU},   {"who", 3, QP_WHO}, {"which", 5, QP_WHO},
};

void quote_pronoun_bits(uint64_t *bits)
{
	for (size_t k = 0; k < sizeof pronouns / sizeof *pronouns; k++) {
		uint64_t h = quote_word_hash64(pronouns[k].w, pronouns[k].len);
		uint32_t wh = (uint32_t)(h ^ (h >> 32)) & 4095;
		bits[wh >> 6] |= 1ull << (wh & 63);
	}
}

/* The pronoun class of a word (any case), from its bytes. */
static uint8_t pronoun_class(const char *p, uint32_t len)
{
	const size_t npr = sizeof pronouns / sizeof *pronouns;
	if (len == 0 || len > 5)
		return QP_NONE;
	/* every pronoun begins with one of h s t i w y (most words do not) */
	switch (p[0] | 0x20) {
	case 'h':
	case 's':
	case 't':
	case 'i':
	case 'w':
	case 'y':
		break;
	default:
		return QP_NONE;
	}
	char low[5];
	for (uint32_t i = 0; i < len; i++) {
		char c = p[i];
		low[i] = c >= 'A' && c <= 'Z' ? (char)(c + 32) : c;
	}
	/* compared in line: a memcmp call per entry cost more than the rest */
	for (size_t k = 0; k < npr; k++) {
		if (pronouns[k].len != len)
			continue;
		uint32_t j = 0;
		while (j < len && pronouns[k].w[j] == low[j])
			j++;
		if (j == len)
			return pronouns[k].c;
	}
	return QP_NONE;
}

/* The shape of a token that is not word-like, by type. */
static const uint8_t type_shape[TOK_TYPE_COUNT] = {
	[TOK_NUM] = QS_NUM,
	[TOK_SYM] = QS_OTHER,
	[TOK_PERIOD] = QS_END,
	[TOK_QUESTION] = QS_END,
	[TOK_EXCLAIM] = QS_END,
	[TOK_ELLIPSIS] = QS_END,
	[TOK_COMMA] = QS_COMMA,
	[TOK_COLON] = QS_COLON,
	[TOK_SEMICOLON] = QS_SEMI,
	[TOK_DASH] = QS_DASH,
	[TOK_OPEN] = QS_PAREN,
	[TOK_CLOSE] = QS_PAREN,
	[TOK_BULLET] = QS_OTHER,
	[TOK_APOS] = QS_OTHER,
	[TOK_POSS] = QS_POSS,
	[TOK_PUNCT] = QS_OTHER,
	[TOK_QUOTE_OPEN] = QS_QOPEN,
	[TOK_QUOTE_CLOSE] = QS_QCLOSE,
	[TOK_QUOTE_AMBIG] = QS_QAMBIG,
	[TOK_NL] = QS_BREAK,
	[TOK_PARA] = QS_BREAK,
};

static inline uint8_t shape_of(const tok_token *tk)
{
	switch (tk->type) {
	case TOK_WORD:
	case TOK_HYPHWORD:
	case TOK_ABBR:
	case TOK_URL:
	case TOK_EMAIL:
		if (tk->flags & TOKF_UPPER && tk->len > 1)
			return QS_UPPER;
		return (tk->flags & TOKF_CAP) ? QS_CAP : QS_LOWER;
	default:
		return tk->type < TOK_TYPE_COUNT ? type_shape[tk->type] : QS_OTHER;
	}
}

/* Pairs quotation marks into spans. Double marks first; single marks only
 * where no double quotation is open and they close within the sentence. */
static void pair_quotes(qdoc *d, const uint32_t *qp, uint32_t nqp)
{
	const tok_token *v = d->t->v;
	uint32_t n = d->n, nq = 0;
	int64_t open = -1;
	int singles = 0; /* a single mark seen */
	/* the marks and paragraph breaks (qp, in order), then the end */
	for (uint32_t x = 0; x <= nqp; x++) {
		uint32_t i = x < nqp ? qp[x] : n;
		int end = i == n || v[i].type == TOK_PARA;
		if (end) {
			if (open >= 0) {
				/* A paragraph that opens a quote without closing it: the
				 * quote runs on when the next paragraph opens one. */
				uint32_t j = i;
				while (j < n && tok_is_break(v[j].type))
					j++;
				d->q_first[nq] = (uint32_t)open;
				d->q_end[nq] = i;
				d->q_cont[nq] = j < n && tok_is_quote(v[j].type) &&
						v[j].type != TOK_QUOTE_CLOSE && !(v[j].flags & TOKF_SINGLE);
				nq++;
				open = -1;
			}
			continue;
		}
		if (!tok_is_quote(v[i].type))
			continue;
		if (v[i].flags & TOKF_SINGLE) {
			singles = 1;
			continue;
		}
		uint8_t ty = v[i].type;
		if (open < 0) {
			if (ty != TOK_QUOTE_CLOSE)
				open = i;
			continue;
		}
		if (ty == TOK_QUOTE_OPEN) {
			/* an open mark while one is open: the first never closed */
			d->q_first[nq] = (uint32_t)open;
			d->q_end[nq] = i;
			d->q_cont[nq] = 0;
			nq++;
			open = i;
			continue;
		}
		d->q_first[nq] = (uint32_t)open;
		d->q_end[nq] = i + 1;
		d->q_cont[nq] = 0;
		nq++;
		open = -1;
	}
	/* mark tokens */
	for (uint32_t k = 0; k < nq; k++) {
		uint32_t a = d->q_first[k], b = d->q_end[k];
		for (uint32_t i = a; i < b; i++) {
			d->inq[i] = 1;
			d->qspan[i] = (int32_t)k;
		}
		d->inq[a] = 2;
		if (b > a + 1 && tok_is_quote(v[b - 1].type))
			d->inq[b - 1] = 3;
	}
	/* single marks: ‘...’ or '...' within one sentence, outside doubles */
	uint32_t nq2 = nq;
	for (uint32_t i = 0; singles && i < n; i++) {
		if (!tok_is_quote(v[i].type) || !(v[i].flags & TOKF_SINGLE) || d->inq[i])
			continue;
		if (v[i].type == TOK_QUOTE_CLOSE)
			continue;
		uint32_t j = i + 1;
		/* a clear opening mark (‘ after a space) may close in a later
		 * sentence of its paragraph (British style: ‘A. B,’ he said) */
		int wide = v[i].type == TOK_QUOTE_OPEN;
		for (; j < n && j < i + (wide ? 250 : 60); j++) {
			if ((!wide && d->sid[j] != d->sid[i]) || d->inq[j] || v[j].type == TOK_PARA ||
			    (!wide && v[j].type == TOK_NL))
				break;
			if (tok_is_quote(v[j].type) && (v[j].flags & TOKF_SINGLE) &&
			    v[j].type != TOK_QUOTE_OPEN)
				break;
		}
		if (j < n && j > i + 1 && tok_is_quote(v[j].type) && (v[j].flags & TOKF_SINGLE) &&
		    v[j].type != TOK_QUOTE_OPEN && !d->inq[j]) {
			d->q_first[nq2] = i;
			d->q_end[nq2] = j + 1;
			d->q_cont[nq2] = 0;
			for (uint32_t k = i; k <= j; k++) {
				d->inq[k] = 1;
				d->qspan[k] = (int32_t)nq2;
			}
			d->inq[i] = 2;
			d->inq[j] = 3;
			nq2++;
			i = j;
		}
	}
	/* keep spans in text order (singles were appended) */
	if (nq2 > nq) {
		uint32_t m = nq2;
		for (uint32_t x = 1; x < m; x++) {
			uint32_t f = d->q_first[x], e = d->q_end[x];
			uint8_t c = d->q_cont[x];
			uint32_t y = x;
			while (y > 0 && d->q_first[y - 1] > f) {
				d->q_first[y] = d->q_first[y - 1];
				d->q_end[y] = d->q_end[y - 1];
				d->q_cont[y] = d->q_cont[y - 1];
				y--;
			}
			d->q_first[y] = f;
			d->q_end[y] = e;
			d->q_cont[y] = c;
		}
		for (uint32_t k = 0; k < m; k++)
			for (uint32_t i = d->q_first[k]; i < d->q_end[k]; i++)
				d->qspan[i] = (int32_t)k;
	}
	d->nq = nq2;
}

err qdoc_init(const quote_model *q, const char *text, const tok_list *t, const sent_list *s,
	      const gaz_list *g, arena *a, qdoc *d)
{
	memset(d, 0, sizeof *d);
	uint32_t n = t->n;
	d->text = text;
	d->t = t;
	d->s = s;
	d->g = g;
	d->n = n;
	size_t m = (size_t)n + 1;
	d->wh = arena_alloc_n(a, uint32_t, m);
	d->suf = arena_alloc_n(a, uint32_t, m);
	d->lex = arena_calloc(a, m, sizeof(uint16_t));
	d->lexf = arena_calloc(a, m, 1);
	d->shp = arena_alloc_n(a, uint8_t, m);
	d->inq = arena_calloc(a, m, 1);
	d->qspan = arena_alloc_n(a, int32_t, m);
	d->ent = arena_calloc(a, m, 1);
	d->ment = arena_alloc_n(a, int32_t, m);
	d->pro = arena_calloc(a, m, 1);
	d->sid = arena_alloc_n(a, uint32_t, m);
	d->pc_comma = arena_alloc_n(a, uint16_t, m + 1);
	d->pc_qmark = arena_alloc_n(a, uint16_t, m + 1);
	d->pc_lex = arena_alloc_n(a, uint16_t, m + 1);
	d->pc_para = arena_alloc_n(a, uint16_t, m + 1);
	d->q_first = arena_alloc_n(a, uint32_t, m);
	d->q_end = arena_alloc_n(a, uint32_t, m);
	d->q_cont = arena_calloc(a, m, 1);
	d->cand = arena_calloc(a, m, 1);
	if (!d->cand || !d->wh || !d->suf || !d->lex || !d->lexf || !d->shp || !d->inq || !d->qspan ||
	    !d->ent || !d->ment || !d->pro || !d->sid || !d->pc_comma || !d->pc_qmark ||
	    !d->pc_lex || !d->pc_para || !d->q_first || !d->q_end || !d->q_cont)
		return ERR_NOMEM;
	/* a per-record cache of word types (tokens of 1 to 8 bytes, keyed by
	 * their bytes): a repeated word takes its hash, suffix hash, lexicon
	 * entry and pronoun class from the first time it was seen */
	uint32_t cbits = 6;
	while ((1u << cbits) < n && cbits < 16)
		cbits++;
	uint32_t cfree = 1u << (cbits - 1); /* insertions left: at most half full */
	/* slot: 1 + the token where the type was first seen, 0 when empty;
	 * keys[i]: token i's bytes, little-endian, zero-padded */
	uint32_t *cache = arena_calloc(a, (size_t)1 << cbits, sizeof *cache);
	uint64_t *keys = arena_alloc_n(a, uint64_t, m);
	/* the quotation marks and paragraph breaks, for pair_quotes */
	uint32_t *qp = arena_alloc_n(a, uint32_t, m), nqp = 0;
	if (!cache || !keys || !qp)
		return ERR_NOMEM;
	uint32_t cmask = (1u << cbits) - 1;
	const uint64_t *pbits = q && q->have_bits ? q->pro_bits : NULL;
	/* reading 8 bytes at a token stays inside the text up to here */
	uint32_t tend = n ? t->v[n - 1].off + t->v[n - 1].len : 0;
	uint32_t si = 0, snext = s->n > 1 ? s->v[1].first : UINT32_MAX;
	uint16_t cc = 0, cq = 0, cl = 0, cp = 0;
	uint32_t reach = 0, npara = 0;
	/* the arrays in locals: the byte stores below could alias d's fields */
	uint32_t *wh = d->wh, *suf = d->suf, *sid = d->sid;
	uint16_t *lex = d->lex, *pcc = d->pc_comma, *pcq = d->pc_qmark, *pcl = d->pc_lex;
	uint16_t *pcp = d->pc_para;
	uint8_t *lexf = d->lexf, *shp = d->shp, *pro = d->pro, *cand = d->cand;
	const tok_token *tv = t->v;
	/* no quotation span, no mention: all bytes 0xFF is -1 */
	memset(d->qspan, 0xFF, (size_t)n * sizeof *d->qspan);
	memset(d->ment, 0xFF, (size_t)n * sizeof *d->ment);
	for (uint32_t i = 0; i < n; i++) {
		/* sentence index per token; tokens outside sentences take the previous */
		while (i >= snext) {
			si++;
			snext = si + 1 < s->n ? s->v[si + 1].first : UINT32_MAX;
		}
		sid[i] = si;
		const tok_token *tk = &tv[i];
		uint32_t ty = tk->type;
		pcc[i] = cc;
		pcq[i] = cq;
		pcl[i] = cl;
		pcp[i] = cp;
		uint8_t sh = shape_of(tk);
		shp[i] = sh;
		if (tok_is_wordlike(ty) || ty == TOK_POSS) {
			const char *w = text + tk->off;
			uint32_t len = tk->len;
			uint32_t *ct = NULL;
			uint64_t key = 0;
			if (len - 1 < 8) {
				if (tk->off + 8 <= tend) {
					memcpy(&key, w, 8);
					key &= ~0ull >> (64 - 8 * len);
				} else {
					for (uint32_t j = 0; j < len; j++)
						key |= (uint64_t)(unsigned char)w[j] << (8 * j);
				}
				uint32_t slot = (uint32_t)((key * 0x9E3779B97F4A7C15ull) >> 40) & cmask;
				uint32_t j;
				while ((j = cache[slot]) != 0 &&
				       (keys[j - 1] != key || tv[j - 1].len != len))
					slot = (slot + 1) & cmask;
				ct = &cache[slot];
				if (j) {
					j--;
					wh[i] = wh[j];
					suf[i] = suf[j];
					lex[i] = lex[j];
					lexf[i] = lexf[j];
					pro[i] = pro[j];
					goto counts;
				}
			}
			uint64_t h, hs;
			if (ct && !(key & 0x8080808080808080ull)) {
				h = hash_ascii8(key, len, &hs);
			} else {
				h = quote_word_hash64(w, len);
				/* a word of three bytes or fewer is its own suffix */
				hs = len <= 3 ? h : suffix_hash(w + len - 3);
			}
			uint32_t wv = (uint32_t)(h ^ (h >> 32));
			wh[i] = wv;
			const qlex_slot *ls = lex_find(q, h);
			if (ls) {
				lex[i] = (uint16_t)ls->lemma;
				lexf[i] = (uint8_t)ls->flags;
			}
			/* a word whose hash is no pronoun's is none (lower-cased
			 * bytes equal: hashes equal) */
			uint32_t pb = wv & 4095;
			if (!pbits || (pbits[pb >> 6] >> (pb & 63) & 1))
				pro[i] = pronoun_class(w, len);
			suf[i] = (uint32_t)hs;
			if (ct && cfree) {
				cfree--;
				keys[i] = key;
				*ct = i + 1;
			}
		} else {
			/* punctuation hashes by its bytes, quotes and dashes by class;
			 * one ASCII byte (, . : and the like) in line */
			unsigned char c0 = (unsigned char)text[tk->off];
			uint64_t h = tok_is_quote(ty) || ty == TOK_DASH ? (uint64_t)(0x51000u + sh)
				     : tk->len == 1 && c0 < 0x80
					     ? (1469598103934665603ull ^
						(c0 >= 'A' && c0 <= 'Z' ? c0 + 32u : c0)) *
						       1099511628211ull
					     : quote_word_hash64(text + tk->off, tk->len);
			wh[i] = (uint32_t)(h ^ (h >> 32));
			suf[i] = 0;
		}
	counts:
		/* where a cue may be: a known cue word, a colon or dash, and
		 * what follows them */
		/* without branches: candidates and others alternate */
		reach = (lexf[i] != 0) | (ty == TOK_COLON) | (ty == TOK_DASH) ? QUOTE_CUE_REACH + 1
										 : reach;
		reach = ty == TOK_PARA ? 0 : reach;
		uint32_t on = reach != 0;
		cand[i] = (uint8_t)on;
		reach -= on;
		cc = (uint16_t)(cc + (ty == TOK_COMMA));
		uint32_t isq = tok_is_quote(ty) != 0;
		cq = (uint16_t)(cq + isq);
		qp[nqp] = i;
		nqp += isq | (ty == TOK_PARA);
		cl = (uint16_t)(cl + (lex[i] != 0));
		cp = (uint16_t)(cp + (ty == TOK_PARA));
		npara += ty == TOK_PARA;
	}
	d->npara = npara;
	d->pc_comma[n] = cc;
	d->pc_qmark[n] = cq;
	d->pc_lex[n] = cl;
	d->pc_para[n] = cp;
	/* the small-domain tables cover lexicon flags and entity types below 16
	 * and 8 (the model's lexicon is checked when the tables are made) */
	d->small = 1;
	if (g) {
		for (uint32_t k = 0; k < g->n; k++) {
			const gaz_mention *mn = &g->v[k];
			d->small &= mn->type < 8;
			for (uint32_t i = mn->first; i < mn->first + mn->n && i < n; i++) {
				d->ent[i] = (uint8_t)(mn->type | (i == mn->first ? 8 : 0));
				d->ment[i] = (int32_t)k;
			}
		}
	}
	d->qp = qp;
	d->nqp = nqp;
	pair_quotes(d, qp, nqp);
	return ERR_OK;
}

#define W(i) ((i) < d->n ? d->wh[i] : 0x5eedu)

/* Forced inline into the emitters: the per-window values stay in
 * registers (GCC's size limits keep these out otherwise). */
#define Q_HOT static inline __attribute__((always_inline))

typedef int32_t qv4 __attribute__((vector_size(16)));

/* Where the features go: into an array (mode 0: training, the general
 * scorer) or straight into the sums of their weight rows (mode 1: the cue
 * tagger's three labels, mode 2: the role tagger's five). Hashed features
 * read the model's int8 rows through lut_i (a table of 1 byte per weight
 * stays in L2; int32 rows of every weight did not and ran slower).
 * Inlined with a constant mode, the sink lives in registers. The
 * runtime's emitters with the small-domain tables (cue_emit_tab,
 * role_emit_tab) sum their rows without a sink. */
typedef struct {
	uint32_t *f;
	uint32_t k, mask;
	int mode;
	const int8_t *w8;
	const int32_t *lut; /* lut_i + 128 */
	int32_t s0, s1, s2, s3, s4;
	qv4 a0, a1;
} qsink;

#define QSINK(mode_, tg_)                                                              \
	{.mode = (mode_), .mask = (1u << (tg_)->bits) - 1, .w8 = (tg_)->w8,              \
	 .lut = (tg_)->lut_i + 128}

Q_HOT void put(qsink *S, uint32_t h)
{
	if (S->mode == 0) {
		S->f[S->k++] = h;
		return;
	}
	const int32_t *lut = S->lut;
	if (S->mode == 1) {
		const int8_t *r = S->w8 + (size_t)(h & S->mask) * 3;
		S->s0 += lut[r[0]], S->s1 += lut[r[1]], S->s2 += lut[r[2]];
	} else {
		const int8_t *r = S->w8 + (size_t)(h & S->mask) * 5;
		S->s0 += lut[r[0]], S->s1 += lut[r[1]], S->s2 += lut[r[2]];
		S->s3 += lut[r[3]], S->s4 += lut[r[4]];
	}
}

/* The role features whose word is the cue's or the word before it
 * (constant over a window), at each value of the rest: their rows are
 * found (hashed, prefetched) the first time they are needed in the
 * window, and read like the hashed rows. */
enum {
	M131 = 0, M133 = M131 + 3 * 5, M134 = M133 + 3 * 16, M132 = M134 + 3 * 16 * 4,
	M126 = M132 + 3 * 16 * 6, M_END = M126 + 3 * 4 * 16
};

/* The sums of a sink: labels 0-3 in a0, label 4 in a1[0]. */
Q_HOT void sink_sum(qsink *S)
{
	S->a0 += (qv4){S->s0, S->s1, S->s2, S->s3};
	S->a1 += (qv4){S->s4, 0, 0, 0};
	S->s0 = S->s1 = S->s2 = S->s3 = S->s4 = 0;
}

/* Small-domain templates: the rows of every value combination are
 * hashed once per model (qtag_tables), in tables laid out as
 * ((a * Nb) + b) * Nc + c; S17 is a shape or 99 (none) at index 16. */
enum {
	C1 = 0, C10 = C1 + 1, C11 = C10 + 16 * 17 * 17, C12 = C11 + 16, C13 = C12 + 17 * 16 * 17,
	C14 = C13 + 4 * 16, C16 = C14 + 128 * 16, C21 = C16 + 4 * 16 * 16, C23 = C21 + 16 * 16 * 16,
	C_END = C23 + 10 * 4 * 10
};
enum {
	R105 = 0, R106 = R105 + 3 * 16 * 10, R107 = R106 + 3 * 17 * 16, R108 = R107 + 3 * 16 * 17,
	R109 = R108 + 3 * 16 * 2, R110 = R109 + 3 * 128, R113 = R110 + 3 * 128 * 128,
	R114 = R113 + 3 * 4 * 4, R115 = R114 + 3 * 4 * 3, R119 = R115 + 3 * 4 * 3,
	R123 = R119 + 3 * 8 * 16, R124 = R123 + 3 * 16 * 10, R127 = R124 + 3 * 4 * 10,
	R128 = R127 + 3 * 16 * 16, R129 = R128 + 3 * 128 * 4, R_END = R129 + 3 * 10 * 4
};
/* Sums of two tables' rows over the union of their keys, so that one read
 * adds both (integer sums: the same emissions): 108 + 129 at (dir, pq, qq,
 * sameq), 113 + 124 at (dir, ncom, nqm, db), 114 + 115 at (dir, nlx,
 * npara, sx). The rows at R110 hold 110 + 109 (in place: 110 is read
 * only with 109, near the cue). The cue tagger's CX16 is 16 + 11 + 1 at
 * (pos, lf, sh). */
enum {
	RX108 = R_END, RX113 = RX108 + 3 * 10 * 16 * 2, RX114 = RX113 + 3 * 4 * 4 * 10,
	RX_END = RX114 + 3 * 4 * 4 * 3
};
enum { CX16 = C_END, CX_END = CX16 + 4 * 16 * 16 };

static inline uint32_t s17(uint32_t v)
{
	return v < 16 ? v : 16;
}

/* The cue tagger's features of token i in sentence [a, b), in the
 * trainer's order (its float sums depend on it). */
Q_HOT void cue_feats(const qdoc *d, uint32_t a, uint32_t b, uint32_t i, qsink *S)
{
	uint32_t wm1 = i > a ? d->wh[i - 1] : 1, wm2 = i > a + 1 ? d->wh[i - 2] : 1;
	uint32_t wp1 = i + 1 < b ? d->wh[i + 1] : 2, wp2 = i + 2 < b ? d->wh[i + 2] : 2;
	uint32_t sm1 = i > a ? d->shp[i - 1] : 99, sp1 = i + 1 < b ? d->shp[i + 1] : 99;
	uint32_t lx = d->lex[i], lf = d->lexf[i], sh = d->shp[i], qi = d->inq[i];
	uint32_t pos = i == a ? 0 : i + 1 == b ? 1 : i < a + 4 ? 2 : 3;
	uint32_t em1 = i > a ? (uint32_t)(d->ent[i - 1] & 7) | ((uint32_t)d->pro[i - 1] << 4) : 99;
	uint32_t lfm1 = i > a ? d->lexf[i - 1] : 9, lfp1 = i + 1 < b ? d->lexf[i + 1] : 9;
	uint32_t qm1 = i > a ? d->inq[i - 1] : 9, qp1 = i + 1 < b ? d->inq[i + 1] : 9;
	/* the trainer's order (its float sums depend on it) */
	put(S, fh(1, 0, 0, 0));
	put(S, fh(2, d->wh[i], 0, 0));
	put(S, fh(3, wm1, 0, 0));
	put(S, fh(4, wp1, 0, 0));
	put(S, fh(5, wm1, d->wh[i], 0));
	put(S, fh(6, d->wh[i], wp1, 0));
	put(S, fh(7, wp2, 0, 0));
	put(S, fh(8, wm2, 0, 0));
	put(S, fh(9, lx, lf, 0));
	put(S, fh(10, lf, sm1, sp1));
	put(S, fh(11, sh, 0, 0));
	put(S, fh(12, sm1, sh, sp1));
	put(S, fh(13, qi, lf, 0));
	put(S, fh(14, em1, lf, 0));
	put(S, fh(15, d->suf[i], sh, 0));
	put(S, fh(16, pos, lf, sh));
	put(S, fh(17, lx, wp1, 0));
	put(S, fh(18, wm1, lx, 0));
	put(S, fh(19, d->wh[i], wp1, wp2));
	put(S, fh(20, wm2, wm1, d->wh[i]));
	put(S, fh(21, lfm1, lf, lfp1));
	put(S, fh(22, d->wh[i], qi, 0));
	put(S, fh(23, qm1, qi, qp1));
}

static inline uint32_t dist_bucket(uint32_t x)
{
	/* x <= 3 ? x : x <= 5 ? 4 : x <= 8 ? 5 : x <= 12 ? 6 : x <= 20 ? 7 : x <= 35 ? 8 : 9 */
	static const uint8_t db[36] = {0, 1, 2, 3, 4, 4, 5, 5, 5, 6, 6, 6, 6, 7, 7, 7, 7, 7,
				       7, 7, 7, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8};
	return x < 36 ? db[x] : 9;
}

static inline uint32_t cnt3(uint32_t x)
{
	return x > 3 ? 3 : x;
}

/* skip: leave out the features that depend only on the cue, the window,
 * the token's side and its distance bucket (role_consts makes them) */
Q_HOT void role_feats(const qdoc *d, uint32_t a, uint32_t b, uint32_t c0, uint32_t c1,
			uint32_t i, qsink *S, int skip)
{
	uint32_t dir = i < c0 ? 0 : i >= c1 ? 2 : 1;
	uint32_t dist = i < c0 ? c0 - i : i >= c1 ? i - c1 + 1 : 0;
	uint32_t db = dist_bucket(dist);
	uint32_t lo = i < c0 ? i : c1, hi = i < c0 ? c0 : i; /* tokens between */
	if (dir == 1)
		lo = hi = i;
	uint32_t ncom = cnt3((uint16_t)(d->pc_comma[hi] - d->pc_comma[lo]));
	uint32_t nqm = cnt3((uint16_t)(d->pc_qmark[hi] - d->pc_qmark[lo]));
	uint32_t nlx = cnt3((uint16_t)(d->pc_lex[hi] - d->pc_lex[lo]));
	uint32_t npara = cnt3((uint16_t)(d->pc_para[hi] - d->pc_para[lo]));
	uint32_t sx = d->sid[i] == d->sid[c0] ? 0 : d->sid[i] < d->sid[c0] ? 1 : 2;
	uint32_t cw = d->wh[c0], cl = d->lex[c0];
	uint32_t cwl = d->wh[c1 - 1];
	uint32_t wm1 = i > a ? d->wh[i - 1] : 1, wp1 = i + 1 < b ? d->wh[i + 1] : 2;
	uint32_t sm1 = i > a ? d->shp[i - 1] : 99, sp1 = i + 1 < b ? d->shp[i + 1] : 99;
	uint32_t after = c1 < b ? d->wh[c1] : 3, before = c0 > a ? d->wh[c0 - 1] : 3;
	uint32_t ssh = c1 < b ? d->shp[c1] : 99, psh = c0 > a ? d->shp[c0 - 1] : 99;
	uint32_t qi = d->inq[i], qc = d->inq[c0];
	uint32_t sameq = d->qspan[i] >= 0 && d->qspan[i] == d->qspan[c0];
	uint32_t ent = (uint32_t)d->ent[i] | ((uint32_t)d->pro[i] << 4);
	uint32_t entm1 = i > a ? (uint32_t)d->ent[i - 1] | ((uint32_t)d->pro[i - 1] << 4) : 99;
	uint32_t edge = (uint32_t)(i == a) | (uint32_t)(i + 1 == b) << 1 |
			(uint32_t)(i > a && d->sid[i - 1] != d->sid[i]) << 2;
	if (!skip)
		put(S, fh(101, dir, db, 0));
	put(S, fh(102, dir, d->wh[i], 0));
	if (db >= 6) {
		/* far from the cue (9 tokens or more): the features that tell
		 * where a content or source span ends, no more (speed) */
		put(S, fh(104, dir, wp1, 0));
		put(S, fh(105, dir, d->shp[i], db));
		put(S, fh(106, dir, sm1, d->shp[i]));
		put(S, fh(107, dir, d->shp[i], sp1));
		put(S, fh(108, dir, qi * 4 + qc, sameq));
		put(S, fh(109, dir, ent, 0));
		put(S, fh(113, dir, ncom, nqm));
		put(S, fh(114, dir, nlx, sx));
		put(S, fh(115, dir, npara, sx));
		put(S, fh(119, dir, edge, d->shp[i]));
		put(S, fh(124, dir, ncom, db));
		put(S, fh(127, dir, qi * 4 + qc, d->shp[i]));
		put(S, fh(129, dir, i > a ? d->inq[i - 1] : 9, qi));
		put(S, fh(133, dir, cw, ncom * 4 + nqm));
		return;
	}
	put(S, fh(103, dir, wm1, 0));
	put(S, fh(104, dir, wp1, 0));
	put(S, fh(105, dir, d->shp[i], db));
	put(S, fh(106, dir, sm1, d->shp[i]));
	put(S, fh(107, dir, d->shp[i], sp1));
	put(S, fh(108, dir, qi * 4 + qc, sameq));
	put(S, fh(109, dir, ent, 0));
	put(S, fh(110, dir, entm1, ent));
	if (!skip) {
		put(S, fh(111, dir, cw, db));
		put(S, fh(112, dir, cl, 0));
	}
	put(S, fh(113, dir, ncom, nqm));
	put(S, fh(114, dir, nlx, sx));
	put(S, fh(115, dir, npara, sx));
	if (!skip) {
		put(S, fh(116, dir, after, db < 3 ? db : 3));
		put(S, fh(117, dir, before, db < 3 ? db : 3));
		put(S, fh(118, dir, ssh, psh));
	}
	put(S, fh(119, dir, edge, d->shp[i]));
	put(S, fh(120, dir, wm1, d->wh[i]));
	put(S, fh(121, dir, d->suf[i], 0));
	if (!skip)
		put(S, fh(122, dir, cwl, after));
	put(S, fh(123, dir, d->lexf[i], db));
	put(S, fh(124, dir, ncom, db));
	if (db <= 3) {
		put(S, fh(125, dir * 16 + db, d->wh[i], cw));
		put(S, fh(126, dir * 16 + db, d->shp[i], cw));
	}
	put(S, fh(127, dir, qi * 4 + qc, d->shp[i]));
	put(S, fh(128, dir, ent & 0xf7u, ncom));
	put(S, fh(129, dir, i > a ? d->inq[i - 1] : 9, qi));
	if (!skip)
		put(S, fh(130, dir, cw, cwl));
	/* where the token sits in its sentence, against the word before the
	 * cue ("X met Y and said": the source is the sentence's subject) */
	uint32_t spos = d->s->n ? i - d->s->v[d->sid[i]].first : i;
	put(S, fh(131, dir, before, spos < 3 ? spos : spos < 6 ? 3 : 4));
	put(S, fh(132, dir, before, d->shp[i] * 16 + (db < 5 ? db : 5)));
	put(S, fh(133, dir, cw, ncom * 4 + nqm));
	put(S, fh(134, dir, cw, d->shp[i] * 16 + ncom));
}

#undef W

/* fills the rows of entries ((a * nb) + b) * nc + c from p on with the
 * row of template tid at values (av[a], bv[b], cv[c]), as lut_i values
 * (stride int32 per row, the lanes past nlab zero); returns p past them */
static int32_t *fill3(int32_t *p, const qtagger *tg, uint32_t stride, uint32_t tid,
		      const uint32_t *av, uint32_t na, const uint32_t *bv, uint32_t nb,
		      const uint32_t *cv, uint32_t nc)
{
	uint32_t mask = (1u << tg->bits) - 1;
	const int32_t *lut = tg->lut_i + 128;
	for (uint32_t x = 0; x < na; x++)
		for (uint32_t y = 0; y < nb; y++)
			for (uint32_t z = 0; z < nc; z++) {
				const int8_t *r =
					tg->w8 + (size_t)(fh(tid, av[x], bv[y], cv[z]) & mask) * tg->nlab;
				for (uint32_t l = 0; l < stride; l++)
					p[l] = l < tg->nlab ? lut[r[l]] : 0;
				p += stride;
			}
	return p;
}

/* Row dst of the tables at p (stride int32 each) = row x + row y (+ row z
 * unless UINT32_MAX). */
static void add_rows(int32_t *p, uint32_t stride, uint32_t dst, uint32_t x, uint32_t y,
		     uint32_t z)
{
	for (uint32_t l = 0; l < stride; l++) {
		int32_t v = p[(size_t)x * stride + l] + p[(size_t)y * stride + l];
		if (z != UINT32_MAX)
			v += p[(size_t)z * stride + l];
		p[(size_t)dst * stride + l] = v;
	}
}

size_t qtag_tables_len(int role)
{
	return role ? (size_t)RX_END * 8 : (size_t)CX_END * 4;
}

void qtag_tables(int role, const qtagger *tg, int32_t *p)
{
	uint32_t v128[128], s17v[17], z[1] = {0};
	for (uint32_t k = 0; k < 128; k++)
		v128[k] = k;
	for (uint32_t k = 0; k < 16; k++)
		s17v[k] = k;
	s17v[16] = 99;
	const uint32_t *n = v128; /* 0, 1, 2, ...: any prefix */
	uint32_t st = role ? 8 : 4;
	int32_t *q = p;
	if (!role) {
		q = fill3(q, tg, st, 1, z, 1, z, 1, z, 1);
		q = fill3(q, tg, st, 10, n, 16, s17v, 17, s17v, 17);
		q = fill3(q, tg, st, 11, n, 16, z, 1, z, 1);
		q = fill3(q, tg, st, 12, s17v, 17, n, 16, s17v, 17);
		q = fill3(q, tg, st, 13, n, 4, n, 16, z, 1);
		q = fill3(q, tg, st, 14, n, 128, n, 16, z, 1);
		q = fill3(q, tg, st, 16, n, 4, n, 16, n, 16);
		q = fill3(q, tg, st, 21, n, 16, n, 16, n, 16);
		q = fill3(q, tg, st, 23, n, 10, n, 4, n, 10);
		for (uint32_t x = 0; x < 4 * 16 * 16; x++)
			add_rows(p, st, CX16 + x, C16 + x, C11 + x % 16, C1);
		return;
	}
	q = fill3(q, tg, st, 105, n, 3, n, 16, n, 10);
	q = fill3(q, tg, st, 106, n, 3, s17v, 17, n, 16);
	q = fill3(q, tg, st, 107, n, 3, n, 16, s17v, 17);
	q = fill3(q, tg, st, 108, n, 3, n, 16, n, 2);
	q = fill3(q, tg, st, 109, n, 3, n, 128, z, 1);
	q = fill3(q, tg, st, 110, n, 3, n, 128, n, 128);
	q = fill3(q, tg, st, 113, n, 3, n, 4, n, 4);
	q = fill3(q, tg, st, 114, n, 3, n, 4, n, 3);
	q = fill3(q, tg, st, 115, n, 3, n, 4, n, 3);
	q = fill3(q, tg, st, 119, n, 3, n, 8, n, 16);
	q = fill3(q, tg, st, 123, n, 3, n, 16, n, 10);
	q = fill3(q, tg, st, 124, n, 3, n, 4, n, 10);
	q = fill3(q, tg, st, 127, n, 3, n, 16, n, 16);
	q = fill3(q, tg, st, 128, n, 3, n, 128, n, 4);
	q = fill3(q, tg, st, 129, n, 3, n, 10, n, 4);
	for (uint32_t dir = 0; dir < 3; dir++) {
		for (uint32_t pq = 0; pq < 10; pq++)
			for (uint32_t qq = 0; qq < 16; qq++)
				for (uint32_t sq = 0; sq < 2; sq++)
					add_rows(p, st, RX108 + ((dir * 10 + pq) * 16 + qq) * 2 + sq,
						 R108 + (dir * 16 + qq) * 2 + sq,
						 R129 + (dir * 10 + pq) * 4 + qq / 4, UINT32_MAX);
		for (uint32_t x = 0; x < 4; x++)
			for (uint32_t y = 0; y < 4; y++) {
				for (uint32_t db = 0; db < 10; db++)
					add_rows(p, st, RX113 + ((dir * 4 + x) * 4 + y) * 10 + db,
						 R113 + (dir * 4 + x) * 4 + y,
						 R124 + (dir * 4 + x) * 10 + db, UINT32_MAX);
				for (uint32_t sx = 0; sx < 3; sx++)
					add_rows(p, st, RX114 + ((dir * 4 + x) * 4 + y) * 3 + sx,
						 R114 + (dir * 4 + x) * 3 + sx,
						 R115 + (dir * 4 + y) * 3 + sx, UINT32_MAX);
			}
		for (uint32_t x = 0; x < 128 * 128; x++)
			add_rows(p, st, R110 + dir * 128 * 128 + x, R110 + dir * 128 * 128 + x,
				 R109 + dir * 128 + x % 128, UINT32_MAX);
	}
}

uint32_t qfeat_cue(const qdoc *d, uint32_t a, uint32_t b, uint32_t i, uint32_t *f)
{
	qsink S = {.f = f};
	cue_feats(d, a, b, i, &S);
	return S.k;
}

uint32_t qfeat_role(const qdoc *d, uint32_t a, uint32_t b, uint32_t c0, uint32_t c1,
		    uint32_t i, uint32_t *f)
{
	qsink S = {.f = f};
	role_feats(d, a, b, c0, c1, i, &S, 0);
	return S.k;
}

/* Sums the rows of features f[0, nf) into e[0, nl). */
Q_HOT void score_one(const qtagger *tg, const uint32_t *f, uint32_t nf, float *e)
{
	uint32_t nl = tg->nlab, mask = (1u << tg->bits) - 1;
	if (tg->wf) {
		for (uint32_t l = 0; l < nl; l++)
			e[l] = 0;
		for (uint32_t j = 0; j < nf; j++) {
			const float *row = tg->wf + (size_t)(f[j] & mask) * nl;
			for (uint32_t l = 0; l < nl; l++)
				e[l] += row[l];
		}
	} else if (nl == 5) {
		/* the role tagger: five labels, unrolled; integer sums: one-cycle
		 * adds, no float latency chains */
		int32_t a0 = 0, a1 = 0, a2 = 0, a3 = 0, a4 = 0;
		const int32_t *lut = tg->lut_i + 128;
		for (uint32_t j = 0; j < nf; j++) {
			const int8_t *row = tg->w8 + (size_t)(f[j] & mask) * 5;
			a0 += lut[row[0]], a1 += lut[row[1]], a2 += lut[row[2]];
			a3 += lut[row[3]], a4 += lut[row[4]];
		}
		float u = tg->unit;
		e[0] = (float)a0 * u, e[1] = (float)a1 * u, e[2] = (float)a2 * u;
		e[3] = (float)a3 * u, e[4] = (float)a4 * u;
	} else if (nl == 3) {
		/* the cue tagger: three labels, unrolled */
		int32_t a0 = 0, a1 = 0, a2 = 0;
		const int32_t *lut = tg->lut_i + 128;
		for (uint32_t j = 0; j < nf; j++) {
			const int8_t *row = tg->w8 + (size_t)(f[j] & mask) * 3;
			a0 += lut[row[0]], a1 += lut[row[1]], a2 += lut[row[2]];
		}
		float u = tg->unit;
		e[0] = (float)a0 * u, e[1] = (float)a1 * u, e[2] = (float)a2 * u;
	} else {
		const int32_t *lut = tg->lut_i + 128;
		int32_t acc[Q_MAXLAB] = {0};
		for (uint32_t j = 0; j < nf; j++) {
			const int8_t *row = tg->w8 + (size_t)(f[j] & mask) * nl;
			for (uint32_t l = 0; l < nl; l++)
				acc[l] += lut[row[l]];
		}
		for (uint32_t l = 0; l < nl; l++)
			e[l] = (float)acc[l] * tg->unit;
	}
}

/* qcue_emit with the small-domain tables (d->small, tg->sdr): cue_feats
 * for the candidates of sentence [a, a + n), the small-domain templates
 * from the tables, the record's arrays in locals that no store in the
 * loop can alias. Candidates go by chunks: the 14 hashed rows of each are
 * found and prefetched, then read once the chunk is done (summing them as
 * they are found takes fewer instructions but ran slower: bench_quote won
 * 15 of 20 alternating runs with the chunks). */
static uint32_t cue_emit_tab(const qtagger *tg, const qdoc *d, uint32_t a, uint32_t n,
			     float *emit)
{
	enum { CH = 32, NH = 14 };
	const uint32_t *wh = d->wh, *suf = d->suf;
	const uint16_t *lex = d->lex;
	const uint8_t *shp = d->shp, *inq = d->inq, *ent = d->ent, *pro = d->pro, *lexf = d->lexf;
	const uint8_t *cand = d->cand;
	const int8_t *w8 = tg->w8;
	const int32_t *lut = tg->lut_i + 128;
	const qv4 *sdr = (const qv4 *)tg->sdr;
	const uint32_t mask = (1u << tg->bits) - 1, b = a + n;
	const float u = tg->unit;
	const int8_t *hp[CH * NH];
	qv4 acc[CH];
	uint32_t at[CH], nc = 0;
	for (uint32_t x = 0; x < n;) {
		uint32_t m = 0;
		for (; x < n && m < CH; x++) {
			uint32_t i = a + x;
			if (!cand[i]) {
				float *e = emit + (size_t)x * QC_NLAB;
				e[QC_O] = 0;
				e[QC_B] = -1e30f;
				e[QC_I] = -1e30f;
				continue;
			}
			const int8_t **hq = hp + m * NH;
			uint32_t w = wh[i], lx = lex[i], lf = lexf[i], sh = shp[i], qi = inq[i];
			uint32_t wm1 = 1, wm2 = 1, sm1 = 99, em1 = 99, lfm1 = 9, qm1 = 9;
			if (i > a) {
				wm1 = wh[i - 1], sm1 = shp[i - 1], lfm1 = lexf[i - 1], qm1 = inq[i - 1];
				em1 = (uint32_t)(ent[i - 1] & 7) | ((uint32_t)pro[i - 1] << 4);
				if (i > a + 1)
					wm2 = wh[i - 2];
			}
			uint32_t wp1 = 2, wp2 = 2, sp1 = 99, lfp1 = 9, qp1 = 9;
			if (i + 1 < b) {
				wp1 = wh[i + 1], sp1 = shp[i + 1], lfp1 = lexf[i + 1], qp1 = inq[i + 1];
				if (i + 2 < b)
					wp2 = wh[i + 2];
			}
			uint32_t pos = i == a ? 0 : i + 1 == b ? 1 : i < a + 4 ? 2 : 3;
			qv4 a0 = sdr[CX16 + (pos * 16 + lf) * 16 + sh];
			a0 += sdr[C10 + (lf * 17 + s17(sm1)) * 17 + s17(sp1)];
			a0 += sdr[C12 + (s17(sm1) * 16 + sh) * 17 + s17(sp1)];
			a0 += sdr[C13 + qi * 16 + lf];
			a0 += sdr[C14 + em1 * 16 + lf];
			a0 += sdr[C21 + (lfm1 * 16 + lf) * 16 + lfp1];
			a0 += sdr[C23 + (qm1 * 4 + qi) * 10 + qp1];
#define CPUTH(k_, h)                                                          \
	do {                                                                  \
		const int8_t *r_ = w8 + (size_t)((h) & mask) * 3;            \
		__builtin_prefetch(r_);                                       \
		hq[k_] = r_;                                                  \
	} while (0)
			CPUTH(0, fh(2, w, 0, 0));
			CPUTH(1, fh(3, wm1, 0, 0));
			CPUTH(2, fh(4, wp1, 0, 0));
			CPUTH(3, fh(5, wm1, w, 0));
			CPUTH(4, fh(6, w, wp1, 0));
			CPUTH(5, fh(7, wp2, 0, 0));
			CPUTH(6, fh(8, wm2, 0, 0));
			CPUTH(7, fh(9, lx, lf, 0));
			CPUTH(8, fh(15, suf[i], sh, 0));
			CPUTH(9, fh(17, lx, wp1, 0));
			CPUTH(10, fh(18, wm1, lx, 0));
			CPUTH(11, fh(19, w, wp1, wp2));
			CPUTH(12, fh(20, wm2, wm1, w));
			CPUTH(13, fh(22, w, qi, 0));
#undef CPUTH
			acc[m] = a0;
			at[m++] = x;
		}
		for (uint32_t y = 0; y < m; y++) {
			const int8_t *const *hq = hp + y * NH;
			int32_t s0 = acc[y][0], s1 = acc[y][1], s2 = acc[y][2];
#define CSUM(k_)                                                        \
	do {                                                            \
		const int8_t *r = hq[k_];                               \
		s0 += lut[r[0]], s1 += lut[r[1]], s2 += lut[r[2]];      \
	} while (0)
			CSUM(0);
			CSUM(1);
			CSUM(2);
			CSUM(3);
			CSUM(4);
			CSUM(5);
			CSUM(6);
			CSUM(7);
			CSUM(8);
			CSUM(9);
			CSUM(10);
			CSUM(11);
			CSUM(12);
			CSUM(13);
#undef CSUM
			float *e = emit + (size_t)at[y] * QC_NLAB;
			e[0] = (float)s0 * u, e[1] = (float)s1 * u, e[2] = (float)s2 * u;
		}
		nc += m;
	}
	return nc;
}

uint32_t qcue_emit(const qtagger *tg, const qdoc *d, uint32_t a, uint32_t n, float *emit)
{
	uint32_t nc = 0;
	float u = tg->unit;
	if (!tg->w8 || tg->nlab != QC_NLAB || !d->small || !tg->sdr) {
		for (uint32_t i = 0; i < n; i++) {
			float *e = emit + (size_t)i * QC_NLAB;
			if (!d->cand[a + i]) {
				e[QC_O] = 0;
				e[QC_B] = -1e30f;
				e[QC_I] = -1e30f;
				continue;
			}
			nc++;
			if (tg->w8 && tg->nlab == QC_NLAB) {
				qsink S = QSINK(1, tg);
				cue_feats(d, a, a + n, a + i, &S);
				sink_sum(&S);
				e[0] = (float)S.a0[0] * u, e[1] = (float)S.a0[1] * u;
				e[2] = (float)S.a0[2] * u;
			} else {
				/* features in a local array: scored while in L1, and
				 * no store through f can alias the token arrays */
				uint32_t f[Q_MAXFEAT];
				qsink S = {.f = f};
				cue_feats(d, a, a + n, a + i, &S);
				score_one(tg, f, S.k, e);
			}
		}
		return nc;
	}
	return cue_emit_tab(tg, d, a, n, emit);
}

/* The features role_feats(skip) leaves out, for a token on side dir at
 * distance bucket db: per side (near) and per side and bucket. */
Q_HOT void role_consts(const qdoc *d, uint32_t a, uint32_t b, uint32_t c0, uint32_t c1,
		       uint32_t dir, uint32_t db, int per_side, qsink *S)
{
	uint32_t cw = d->wh[c0], cl = d->lex[c0], cwl = d->wh[c1 - 1];
	uint32_t after = c1 < b ? d->wh[c1] : 3, before = c0 > a ? d->wh[c0 - 1] : 3;
	uint32_t ssh = c1 < b ? d->shp[c1] : 99, psh = c0 > a ? d->shp[c0 - 1] : 99;
	if (per_side) {
		put(S, fh(112, dir, cl, 0));
		put(S, fh(118, dir, ssh, psh));
		put(S, fh(122, dir, cwl, after));
		put(S, fh(130, dir, cw, cwl));
		return;
	}
	put(S, fh(101, dir, db, 0));
	if (db < 6) {
		put(S, fh(111, dir, cw, db));
		put(S, fh(116, dir, after, db < 3 ? db : 3));
		put(S, fh(117, dir, before, db < 3 ? db : 3));
	}
}

/* The window's values role_side reads, in locals (no store in the loop
 * can alias them). */
typedef struct {
	const uint32_t *wh, *suf, *sid;
	const uint8_t *shp, *inq, *ent, *pro, *lexf;
	const int32_t *qspan;
	const uint16_t *pcc, *pcq, *pcl, *pcp;
	const sent_sentence *sv;
	const int8_t *w8;
	const int32_t *lut;
	const qv4 *sdr;
	const qtagger *tg;
	uint32_t mask, a, b, c0, c1, cw, before, qc, sc0;
	int32_t qsc; /* the cue's quotation span, or -2 (equal to none) */
	float u;
} rwin;

/* A feature's int8 row in the role tagger. */
#define RROW(W, h) ((W)->w8 + (size_t)((h) & (W)->mask) * 5)

/* The rows of role_feats(skip) over tokens [i0, i1) on side dir (a
 * constant: the function is inlined once per side), the small-domain
 * templates from the tables, plus the rows role_consts makes, summed into
 * emit. Tokens go by chunks, the hashed rows prefetched and read once the
 * chunk is done (as in cue_emit_tab). A single copy for every side
 * (noinline, dir a variable) took 3.5 M more instructions on dev and ran
 * no faster. */
Q_HOT void role_side(const rwin *W, const qdoc *d, uint32_t dir, uint32_t i0, uint32_t i1,
		     const int8_t **mp, uint64_t *mhave, float *emit)
{
	const uint32_t a = W->a, b = W->b, c0 = W->c0, c1 = W->c1;
	const uint32_t *wh = W->wh;
	const uint8_t *shp = W->shp, *inq = W->inq;
	const qv4 *sdr = W->sdr;
	const int32_t *lut = W->lut;
	const float u = W->u;
	enum { CH = 32, HMAX = 12 };
	if (i0 >= i1)
		return;
	/* the rows role_consts makes, for every distance bucket on this side
	 * (the distances run through a range: every bucket between is met),
	 * all at once: their reads overlap */
	qv4 sdb[10][2], side[2] = {0};
	uint32_t dlo = dir == 0 ? c0 - (i1 - 1) : dir == 2 ? i0 - c1 + 1 : 0;
	uint32_t dhi = dir == 0 ? c0 - i0 : dir == 2 ? i1 - c1 : 0;
	uint32_t blo = dist_bucket(dlo), bhi = dist_bucket(dhi);
	for (uint32_t db = blo; db <= bhi; db++) {
		qsink C = QSINK(2, W->tg);
		role_consts(d, a, b, c0, c1, dir, db, 0, &C);
		sink_sum(&C);
		sdb[db][0] = C.a0, sdb[db][1] = C.a1;
	}
	if (blo < 6) {
		qsink C = QSINK(2, W->tg);
		role_consts(d, a, b, c0, c1, dir, blo, 1, &C);
		sink_sum(&C);
		side[0] = C.a0, side[1] = C.a1;
	}
	const int8_t *hp[CH * HMAX];
	qv4 acc[CH][2];
	uint32_t nh[CH];
#define RPUTR(e) (a0 += sdr[(size_t)(e) * 2], a1 += sdr[(size_t)(e) * 2 + 1])
#define RPUTH(h)                                \
	do {                                    \
		const int8_t *r_ = RROW(W, h);  \
		__builtin_prefetch(r_);         \
		hq[k++] = r_;                   \
	} while (0)
#define RPUTM(e, tid, x, y, z)                                                  \
	do {                                                                    \
		uint32_t e_ = (e);                                              \
		if (__builtin_expect(!(mhave[e_ >> 6] >> (e_ & 63) & 1), 0)) { \
			mp[e_] = RROW(W, fh(tid, x, y, z));                     \
			__builtin_prefetch(mp[e_]);                             \
			mhave[e_ >> 6] |= 1ull << (e_ & 63);                    \
		}                                                               \
		hq[k++] = mp[e_];                                               \
	} while (0)
	for (uint32_t j0 = i0; j0 < i1; j0 += CH) {
	uint32_t j1 = i1 - j0 > CH ? j0 + CH : i1;
	for (uint32_t i = j0; i < j1; i++) {
		const int8_t **hq = hp + (i - j0) * HMAX;
		uint32_t k = 0;
		uint32_t dist = dir == 0 ? c0 - i : dir == 2 ? i - c1 + 1 : 0;
		uint32_t db = dist_bucket(dist);
		qv4 a0 = sdb[db][0], a1 = sdb[db][1];
		if (db < 6)
			a0 += side[0], a1 += side[1];
		uint32_t lo = dir == 0 ? i : c1, hi = dir == 0 ? c0 : i;
		uint32_t ncom = 0, nqm = 0, nlx = 0, npara = 0;
		if (dir != 1) {
			ncom = cnt3((uint16_t)(W->pcc[hi] - W->pcc[lo]));
			nqm = cnt3((uint16_t)(W->pcq[hi] - W->pcq[lo]));
			nlx = cnt3((uint16_t)(W->pcl[hi] - W->pcl[lo]));
			npara = cnt3((uint16_t)(W->pcp[hi] - W->pcp[lo]));
		}
		uint32_t si = W->sid[i];
		uint32_t sx = si == W->sc0 ? 0 : si < W->sc0 ? 1 : 2;
		uint32_t w = wh[i], sh = shp[i], qi = inq[i];
		uint32_t wp1 = i + 1 < b ? wh[i + 1] : 2, sp1 = i + 1 < b ? shp[i + 1] : 99;
		uint32_t wm1 = 1, sm1 = 99, pq = 9, entm1 = 99, edge = 0;
		if (i > a) {
			wm1 = wh[i - 1], sm1 = shp[i - 1], pq = inq[i - 1];
			entm1 = (uint32_t)W->ent[i - 1] | ((uint32_t)W->pro[i - 1] << 4);
			edge = (uint32_t)(W->sid[i - 1] != si) << 2;
		} else {
			edge = 1;
		}
		edge |= (uint32_t)(i + 1 == b) << 1;
		uint32_t sameq = W->qspan[i] == W->qsc;
		uint32_t ent = (uint32_t)W->ent[i] | ((uint32_t)W->pro[i] << 4);
		uint32_t qq = qi * 4 + W->qc;
		RPUTH(fh(102, dir, w, 0));
		RPUTH(fh(104, dir, wp1, 0));
		RPUTR(R105 + (dir * 16 + sh) * 10 + db);
		RPUTR(R106 + (dir * 17 + s17(sm1)) * 16 + sh);
		RPUTR(R107 + (dir * 16 + sh) * 17 + s17(sp1));
		RPUTR(RX108 + ((dir * 10 + pq) * 16 + qq) * 2 + sameq);
		RPUTR(RX113 + ((dir * 4 + ncom) * 4 + nqm) * 10 + db);
		RPUTR(RX114 + ((dir * 4 + nlx) * 4 + npara) * 3 + sx);
		RPUTR(R119 + (dir * 8 + edge) * 16 + sh);
		RPUTR(R127 + (dir * 16 + qq) * 16 + sh);
		RPUTM(M133 + dir * 16 + ncom * 4 + nqm, 133, dir, W->cw, ncom * 4 + nqm);
		if (db >= 6) {
			RPUTR(R109 + dir * 128 + ent);
		} else {
			RPUTH(fh(103, dir, wm1, 0));
			RPUTH(fh(120, dir, wm1, w));
			RPUTH(fh(121, dir, W->suf[i], 0));
			RPUTR(R110 + (dir * 128 + entm1) * 128 + ent); /* and 109 */
			RPUTR(R123 + (dir * 16 + W->lexf[i]) * 10 + db);
			RPUTR(R128 + (dir * 128 + (ent & 0xf7u)) * 4 + ncom);
			if (db <= 3) {
				RPUTH(fh(125, dir * 16 + db, w, W->cw));
				RPUTM(M126 + (dir * 4 + db) * 16 + sh, 126, dir * 16 + db, sh,
				      W->cw);
			}
			uint32_t spos = W->sv ? i - W->sv[si].first : i;
			uint32_t spb = spos < 3 ? spos : spos < 6 ? 3 : 4, db5 = db < 5 ? db : 5;
			RPUTM(M131 + dir * 5 + spb, 131, dir, W->before, spb);
			RPUTM(M132 + (dir * 16 + sh) * 6 + db5, 132, dir, W->before,
			      sh * 16 + db5);
			RPUTM(M134 + (dir * 16 + sh) * 4 + ncom, 134, dir, W->cw, sh * 16 + ncom);
		}
		acc[i - j0][0] = a0, acc[i - j0][1] = a1;
		nh[i - j0] = k;
	}
	for (uint32_t i = j0; i < j1; i++) {
		const int8_t *const *hq = hp + (i - j0) * HMAX;
		int32_t s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0;
		uint32_t nk = nh[i - j0];
#define RSUM(k_)                                                    \
	do {                                                        \
		const int8_t *r = hq[k_];                           \
		s0 += lut[r[0]], s1 += lut[r[1]], s2 += lut[r[2]];  \
		s3 += lut[r[3]], s4 += lut[r[4]];                   \
	} while (0)
		/* 3 rows far from the cue (102, 104, 133), 9 or 11 near it */
		RSUM(0);
		RSUM(1);
		RSUM(2);
		if (nk > 3) {
			RSUM(3);
			RSUM(4);
			RSUM(5);
			RSUM(6);
			RSUM(7);
			RSUM(8);
			if (nk > 9) {
				RSUM(9);
				RSUM(10);
			}
		}
#undef RSUM
		qv4 a0 = acc[i - j0][0] + (qv4){s0, s1, s2, s3};
		int32_t l4 = acc[i - j0][1][0] + s4;
		float *e = emit + (size_t)(i - a) * 5;
		e[0] = (float)a0[0] * u, e[1] = (float)a0[1] * u, e[2] = (float)a0[2] * u;
		e[3] = (float)a0[3] * u, e[4] = (float)l4 * u;
	}
	}
#undef RPUTR
#undef RPUTH
#undef RPUTM
}

/* qrole_emit with the small-domain tables: the three sides in turn. */
static void role_emit_tab(const qtagger *tg, const qdoc *d, uint32_t a, uint32_t b, uint32_t c0,
			  uint32_t c1, float *emit)
{
	rwin W = {.wh = d->wh, .suf = d->suf, .sid = d->sid, .shp = d->shp, .inq = d->inq,
		  .ent = d->ent, .pro = d->pro, .lexf = d->lexf, .qspan = d->qspan,
		  .pcc = d->pc_comma, .pcq = d->pc_qmark, .pcl = d->pc_lex, .pcp = d->pc_para,
		  .sv = d->s->n ? d->s->v : NULL, .w8 = tg->w8, .lut = tg->lut_i + 128,
		  .sdr = (const qv4 *)tg->sdr, .tg = tg, .mask = (1u << tg->bits) - 1,
		  .a = a, .b = b, .c0 = c0, .c1 = c1, .cw = d->wh[c0],
		  .before = c0 > a ? d->wh[c0 - 1] : 3, .qc = d->inq[c0], .sc0 = d->sid[c0],
		  .qsc = d->qspan[c0] >= 0 ? d->qspan[c0] : -2, .u = tg->unit};
	const int8_t *mp[M_END];
	uint64_t mhave[(M_END + 63) / 64] = {0};
	uint32_t l0 = c0 > a ? c0 : a, l1 = c1 < b ? c1 : b;
	if (l1 < l0)
		l1 = l0;
	role_side(&W, d, 0, a, l0, mp, mhave, emit);
	role_side(&W, d, 1, l0, l1, mp, mhave, emit);
	role_side(&W, d, 2, l1, b, mp, mhave, emit);
}

void qrole_emit(const qtagger *tg, const qdoc *d, uint32_t a, uint32_t b, uint32_t c0,
		uint32_t c1, float *emit)
{
	if (!tg->w8 || tg->nlab != QR_NLAB) {
		for (uint32_t i = a; i < b; i++) {
			uint32_t f[Q_MAXFEAT];
			qsink S = {.f = f};
			role_feats(d, a, b, c0, c1, i, &S, 0);
			score_one(tg, f, S.k, emit + (size_t)(i - a) * tg->nlab);
		}
		return;
	}
	if (d->small && tg->sdr) {
		role_emit_tab(tg, d, a, b, c0, c1, emit);
		return;
	}
	/* every template hashed: the features that depend only on the cue,
	 * the window and the token's side (and distance bucket) are summed
	 * once per window and side (and bucket): integer sums, so the
	 * emissions are the same */
	qv4 side[3][2], sdb[3][10][2];
	uint8_t have_side[3] = {0}, have_sdb[3][10] = {{0}};
	float u = tg->unit;
	for (uint32_t i = a; i < b; i++) {
		uint32_t dir = i < c0 ? 0 : i >= c1 ? 2 : 1;
		uint32_t db = dist_bucket(i < c0 ? c0 - i : i >= c1 ? i - c1 + 1 : 0);
		if (!have_sdb[dir][db]) {
			qsink C = QSINK(2, tg);
			role_consts(d, a, b, c0, c1, dir, db, 0, &C);
			sink_sum(&C);
			sdb[dir][db][0] = C.a0, sdb[dir][db][1] = C.a1;
			have_sdb[dir][db] = 1;
		}
		qsink S = QSINK(2, tg);
		S.a0 = sdb[dir][db][0], S.a1 = sdb[dir][db][1];
		if (db < 6) {
			if (!have_side[dir]) {
				qsink C = QSINK(2, tg);
				role_consts(d, a, b, c0, c1, dir, db, 1, &C);
				sink_sum(&C);
				side[dir][0] = C.a0, side[dir][1] = C.a1;
				have_side[dir] = 1;
			}
			S.a0 += side[dir][0], S.a1 += side[dir][1];
		}
		role_feats(d, a, b, c0, c1, i, &S, 1);
		sink_sum(&S);
		float *e = emit + (size_t)(i - a) * 5;
		e[0] = (float)S.a0[0] * u, e[1] = (float)S.a0[1] * u, e[2] = (float)S.a0[2] * u;
		e[3] = (float)S.a0[3] * u, e[4] = (float)S.a1[0] * u;
	}
}

void quote_role_window(const qdoc *d, uint32_t c0, uint32_t c1, uint32_t *pa, uint32_t *pb)
{
	const sent_list *s = d->s;
	if (s->n == 0) {
		*pa = 0;
		*pb = d->n;
		return;
	}
	uint32_t s0 = d->sid[c0], s1 = d->sid[c1 - 1];
	uint32_t a = s->v[s0].first, b = s->v[s1].first + s->v[s1].n;
	/* speech introduced by a colon, or a cue closing its sentence, runs on
	 * into the next sentence */
	uint32_t j = c1;
	while (j < d->n && (d->t->v[j].type == TOK_COLON || tok_is_break(d->t->v[j].type)))
		j++;
	if ((c1 < d->n && d->t->v[c1].type == TOK_COLON) || d->t->v[c1 - 1].type == TOK_COLON ||
	    j >= b) {
		if (s1 + 1 < s->n && (c1 >= b || d->t->v[c1].type == TOK_COLON ||
				      d->t->v[c1 - 1].type == TOK_COLON))
			b = s->v[s1 + 1].first + s->v[s1 + 1].n;
	}
	/* a quotation split by its attribution runs on into the next
	 * sentence: "A?" X said. "B." */
	uint32_t a0 = s->v[s0].first;
	if (b < d->n && d->inq[a0] == 2 && d->q_end[d->qspan[a0]] <= c0) {
		uint32_t k = b;
		while (k < d->n && d->t->v[k].type == TOK_NL)
			k++;
		if (k < d->n && d->inq[k] == 2 && d->q_first[d->qspan[k]] == k) {
			uint32_t e = d->q_end[d->qspan[k]], se = d->sid[e - 1];
			b = s->v[se].first + s->v[se].n;
			if (b < e)
				b = e;
		}
	}
	/* cover every quotation the window touches, across paragraphs */
	for (int changed = 1; changed;) {
		changed = 0;
		if (a > 0 && d->qspan[a] >= 0 && d->q_first[d->qspan[a]] < a) {
			uint32_t k = (uint32_t)d->qspan[a];
			uint32_t na = s->v[d->sid[d->q_first[k]]].first;
			a = na < d->q_first[k] ? na : d->q_first[k];
			changed = 1;
		}
		if (b > 0 && b < d->n && d->qspan[b - 1] >= 0 && d->q_end[d->qspan[b - 1]] > b) {
			uint32_t k = (uint32_t)d->qspan[b - 1];
			uint32_t e = d->q_end[k] - 1, se = d->sid[e];
			uint32_t nb = s->v[se].first + s->v[se].n;
			b = nb > d->q_end[k] ? nb : d->q_end[k];
			changed = 1;
		}
		if (b > 0 && d->qspan[b - 1] >= 0 && d->q_cont[d->qspan[b - 1]] &&
		    (uint32_t)d->qspan[b - 1] + 1 < d->nq) {
			uint32_t k = (uint32_t)d->qspan[b - 1] + 1;
			uint32_t e = d->q_end[k] - 1, se = d->sid[e];
			uint32_t nb = s->v[se].first + s->v[se].n;
			if (nb < d->q_end[k])
				nb = d->q_end[k];
			if (nb > b) {
				b = nb;
				changed = 1;
			}
		}
		if (b - a > 600)
			break;
	}
	if (b > d->n)
		b = d->n;
	if (b - a > 600) {
		/* keep the cue inside a bounded window */
		uint32_t na = c0 > 300 ? c0 - 300 : 0;
		if (na > a)
			a = na;
		if (b - a > 600)
			b = a + 600;
	}
	*pa = a;
	*pb = b;
}

void qtag_score(const qtagger *tg, const uint32_t *f, const uint32_t *nf, uint32_t n, float *emit)
{
	for (uint32_t k = 0; k < n; k++)
		score_one(tg, f + (size_t)k * Q_MAXFEAT, nf[k], emit + (size_t)k * tg->nlab);
}

static inline int qtag_allowed_in(uint32_t nlab, uint32_t prev, uint32_t cur)
{
	/* I labels (odd index 2, 4) need their B or I before them */
	if (nlab == QC_NLAB) {
		if (cur == QC_I)
			return prev == QC_B || prev == QC_I;
		return 1;
	}
	if (cur == QR_IS)
		return prev == QR_BS || prev == QR_IS;
	if (cur == QR_IT)
		return prev == QR_BT || prev == QR_IT;
	return 1;
}

int qtag_allowed(uint32_t nlab, uint32_t prev, uint32_t cur)
{
	return qtag_allowed_in(nlab, prev, cur);
}

void qtag_viterbi(const qtagger *tg, const float *emit, uint32_t n, float *vs, uint8_t *bp,
		  uint8_t *lab)
{
	qtag_viterbi_in(tg, emit, n, tg->nlab, tg->nlab, vs, bp, lab);
}

/* Label l at step k from the best predecessor: VB1 starts with p0, VBN
 * tries p (ascending; the first wins a tie), VBE stores. */
#define VB1(l, p0)                                \
	float best = pv[p0] + tr[(p0) * NL + (l)]; \
	uint8_t bl = (p0)
#define VBN(l, p)                                     \
	do {                                          \
		float x_ = pv[p] + tr[(p) * NL + (l)]; \
		if (x_ > best) {                      \
			best = x_;                    \
			bl = (p);                     \
		}                                     \
	} while (0)
#define VBE(l)                    \
	do {                      \
		cv[l] = best + ek[l]; \
		bk[l] = bl;           \
	} while (0)
#define VB5(l)              \
	do {                \
		VB1(l, 0);  \
		VBN(l, 1);  \
		VBN(l, 2);  \
		VBN(l, 3);  \
		VBN(l, 4);  \
		VBE(l);     \
	} while (0)
#define VB3(l)              \
	do {                \
		VB1(l, 0);  \
		VBN(l, 1);  \
		VBN(l, 2);  \
		VBE(l);     \
	} while (0)
#define VB2(l, p0, p1)       \
	do {                 \
		VB1(l, p0);  \
		VBN(l, p1);  \
		VBE(l);      \
	} while (0)

/* The recursion of the role tagger (five labels): an I label follows only
 * its B or I, so the labels ruled out are not tried. Chooses as the
 * general loop does when the scores are finite (the model's taggers). */
#ifdef __SSE2__
/* Label l's best predecessor in four lanes at once (labels O, BS, IS, BT
 * of the role tagger; O, B, I of the cue tagger): predecessors tried in
 * ascending order, the first kept on a tie, as VB5 does. A label that
 * cannot follow p has tr = -1e30 there, which loses to any finite score:
 * the same choice as VB2 and VB3 while the scores are finite. */
#define VS_STEP(bp_, tp_, pi_)                                   \
	do {                                                     \
		__m128 x_ = _mm_add_ps(bp_, tp_);                \
		__m128i m_ = _mm_castps_si128(_mm_cmpgt_ps(x_, best)); \
		best = _mm_max_ps(x_, best);                     \
		bl = _mm_or_si128(_mm_and_si128(m_, _mm_set1_epi32(pi_)), \
				  _mm_andnot_si128(m_, bl));     \
	} while (0)
#define VS_BCAST(v, i) _mm_shuffle_ps((v), (v), _MM_SHUFFLE(i, i, i, i))

/* The recursion of the role tagger (five labels): IT (only after BT or
 * IT) apart, the other four in lanes. Only the last row of vs is kept. */
static void viterbi5(const float *tr, const float *emit, uint32_t n, float *vs, uint8_t *bp)
{
	enum { NL = QR_NLAB };
	if (n < 2)
		return;
	__m128 t0 = _mm_loadu_ps(tr), t1 = _mm_loadu_ps(tr + 5), t2 = _mm_loadu_ps(tr + 10);
	__m128 t3 = _mm_loadu_ps(tr + 15), t4 = _mm_loadu_ps(tr + 20);
	float tbi = tr[QR_BT * NL + QR_IT], tii = tr[QR_IT * NL + QR_IT];
	__m128 cv = _mm_loadu_ps(vs);
	float cvi = vs[QR_IT];
	for (uint32_t k = 1; k < n; k++) {
		const float *ek = emit + (size_t)k * NL;
		__m128 p0 = VS_BCAST(cv, 0), p1 = VS_BCAST(cv, 1), p2 = VS_BCAST(cv, 2);
		__m128 p3 = VS_BCAST(cv, 3), p4 = _mm_set1_ps(cvi);
		__m128 best = _mm_add_ps(p0, t0);
		__m128i bl = _mm_setzero_si128();
		VS_STEP(p1, t1, 1);
		VS_STEP(p2, t2, 2);
		VS_STEP(p3, t3, 3);
		VS_STEP(p4, t4, 4);
		/* IT: from BT, then IT */
		float bi = _mm_cvtss_f32(p3) + tbi, xi = cvi + tii;
		uint8_t li = QR_BT;
		if (xi > bi) {
			bi = xi;
			li = QR_IT;
		}
		cv = _mm_add_ps(best, _mm_loadu_ps(ek));
		cvi = bi + ek[QR_IT];
		__m128i b8 = _mm_packus_epi16(_mm_packs_epi32(bl, bl), bl);
		uint32_t w = (uint32_t)_mm_cvtsi128_si32(b8);
		uint8_t *bk = bp + (size_t)k * NL;
		memcpy(bk, &w, 4);
		bk[QR_IT] = li;
	}
	float *lv = vs + (size_t)(n - 1) * NL;
	_mm_storeu_ps(lv, cv);
	lv[QR_IT] = cvi;
}

/* The cue tagger (three labels) in lanes; the fourth lane is unused. */
static void viterbi3(const float *tr, const float *emit, uint32_t n, float *vs, uint8_t *bp)
{
	enum { NL = QC_NLAB };
	if (n < 2)
		return;
	__m128 t0 = _mm_setr_ps(tr[0], tr[1], tr[2], 0), t1 = _mm_setr_ps(tr[3], tr[4], tr[5], 0);
	__m128 t2 = _mm_setr_ps(tr[6], tr[7], tr[8], 0);
	__m128 cv = _mm_setr_ps(vs[0], vs[1], vs[2], 0);
	for (uint32_t k = 1; k < n; k++) {
		const float *ek = emit + (size_t)k * NL;
		__m128 p0 = VS_BCAST(cv, 0), p1 = VS_BCAST(cv, 1), p2 = VS_BCAST(cv, 2);
		__m128 best = _mm_add_ps(p0, t0);
		__m128i bl = _mm_setzero_si128();
		VS_STEP(p1, t1, 1);
		VS_STEP(p2, t2, 2);
		cv = _mm_add_ps(best, _mm_setr_ps(ek[0], ek[1], ek[2], 0));
		__m128i b8 = _mm_packus_epi16(_mm_packs_epi32(bl, bl), bl);
		uint32_t w = (uint32_t)_mm_cvtsi128_si32(b8);
		uint8_t *bk = bp + (size_t)k * NL;
		bk[0] = (uint8_t)w, bk[1] = (uint8_t)(w >> 8), bk[2] = (uint8_t)(w >> 16);
	}
	float l4[4];
	_mm_storeu_ps(l4, cv);
	float *lv = vs + (size_t)(n - 1) * NL;
	lv[0] = l4[0], lv[1] = l4[1], lv[2] = l4[2];
}

#undef VS_STEP
#undef VS_BCAST

#else
static void viterbi5(const float *tr, const float *emit, uint32_t n, float *vs, uint8_t *bp)
{
	enum { NL = QR_NLAB };
	for (uint32_t k = 1; k < n; k++) {
		const float *pv = vs + (size_t)(k - 1) * NL, *ek = emit + (size_t)k * NL;
		float *cv = vs + (size_t)k * NL;
		uint8_t *bk = bp + (size_t)k * NL;
		VB5(QR_O);
		VB5(QR_BS);
		VB2(QR_IS, QR_BS, QR_IS);
		VB5(QR_BT);
		VB2(QR_IT, QR_BT, QR_IT);
	}
}

static void viterbi3(const float *tr, const float *emit, uint32_t n, float *vs, uint8_t *bp)
{
	enum { NL = QC_NLAB };
	for (uint32_t k = 1; k < n; k++) {
		const float *pv = vs + (size_t)(k - 1) * NL, *ek = emit + (size_t)k * NL;
		float *cv = vs + (size_t)k * NL;
		uint8_t *bk = bp + (size_t)k * NL;
		VB3(QC_O);
		VB3(QC_B);
		VB2(QC_I, QC_B, QC_I);
	}
}

#endif

#undef VB1
#undef VBN
#undef VBE
#undef VB5
#undef VB3
#undef VB2

static void viterbi_any(const float *tr, uint32_t nl, const float *emit, uint32_t n, float *vs,
			uint8_t *bp)
{
	for (uint32_t k = 1; k < n; k++) {
		const float *pv = vs + (size_t)(k - 1) * nl;
		float *cv = vs + (size_t)k * nl;
		for (uint32_t l = 0; l < nl; l++) {
			float best = -INFINITY;
			uint8_t bl = 0;
			for (uint32_t p = 0; p < nl; p++) {
				float x = pv[p] + tr[p * nl + l];
				if (x > best) {
					best = x;
					bl = (uint8_t)p;
				}
			}
			cv[l] = best + emit[(size_t)k * nl + l];
			bp[(size_t)k * nl + l] = bl;
		}
	}
}

/* Transitions with the ruled-out ones at -1e30. */
Q_HOT void fill_tr(const float *trans, uint32_t nl, float *tr)
{
	for (uint32_t p = 0; p <= nl; p++)
		for (uint32_t l = 0; l < nl; l++)
			tr[p * nl + l] = qtag_allowed_in(nl, p, l) ? trans[p * nl + l] : -1e30f;
}

void qtag_prepare(qtagger *tg)
{
	fill_tr(tg->trans, tg->nlab, tg->tr_bio);
}

void qtag_viterbi_in(const qtagger *tg, const float *emit, uint32_t n, uint32_t prev,
		     uint32_t next, float *vs, uint8_t *bp, uint8_t *lab)
{
	uint32_t nl = tg->nlab;
	if (n == 0)
		return;
	float trl[(Q_MAXLAB + 1) * Q_MAXLAB];
	const float *tr = tg->tr_bio;
	/* a model's tagger has its transitions filled at quote_open; the
	 * trainer's change as it learns */
	if (!tg->w8)
		fill_tr(tg->trans, nl, trl), tr = trl;
	for (uint32_t l = 0; l < nl; l++)
		vs[l] = emit[l] + tr[prev * nl + l];
	/* the model's taggers (finite scores over the stretch decoded) take
	 * the unrolled recursions; training keeps the general loop */
	if (tg->w8 && nl == QR_NLAB)
		viterbi5(tr, emit, n, vs, bp);
	else if (tg->w8 && nl == QC_NLAB)
		viterbi3(tr, emit, n, vs, bp);
	else
		viterbi_any(tr, nl, emit, n, vs, bp);
	float *lv = vs + (size_t)(n - 1) * nl;
	if (next < nl)
		for (uint32_t l = 0; l < nl; l++)
			lv[l] += tr[l * nl + next];
	uint8_t bl = 0;
	for (uint32_t l = 1; l < nl; l++)
		if (lv[l] > lv[bl])
			bl = (uint8_t)l;
	for (uint32_t k = n; k-- > 0;) {
		lab[k] = bl;
		if (k > 0)
			bl = bp[(size_t)k * nl + bl];
	}
}
