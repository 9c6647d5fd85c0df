/* SPDX-License-Identifier: MIT */
/* The quote stage: a learned cue tagger finds reporting expressions, a
 * learned role tagger marks each cue's source and content, and rules do
 * what rules do well: pairing quotation marks, the kind of a quote,
 * resolving the speaker to an entity, and the day the words were said.
 * Without tagger weights in the model, reporting verbs from the lexicon
 * act as cues and the adjacent quotation or clause as content. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../pipeline/limits.h"
#include "quote_int.h"

#define QUOTE_MAX_WINDOW 1024u
/* More cues than this in one role window, and each sees only
 * QUOTE_CROWDED_REACH tokens on either side. */
#define QUOTE_CROWDED_CUES 8u
#define QUOTE_CROWDED_REACH 48u

const char *quote_kind_name(quote_kind k)
{
	static const char *const names[] = {"direct", "mixed", "indirect"};
	return (unsigned)k < 3 ? names[k] : "indirect";
}

/* ---------------------------------------------------------------- model */

static void when_bits(uint64_t *bits);

static err open_tagger(const model *m, uint32_t tag, uint32_t nlab, qtagger *tg, int *have,
		       err_info *ei)
{
	const void *p;
	uint64_t len;
	*have = 0;
	if (model_section_get(m, tag, &p, &len) != ERR_OK)
		return ERR_OK; /* optional: rules stand in */
	qtagger_hdr h;
	if (len < sizeof h)
		return err_setf(ei, ERR_MODEL, "quote tagger section too short");
	memcpy(&h, p, sizeof h);
	if (h.magic != QUOTE_TAGGER_MAGIC || h.nlab != nlab || h.bits < 8 || h.bits > 24 ||
	    h.hdr_len != sizeof h)
		return err_setf(ei, ERR_MODEL, "quote tagger section has a bad header");
	uint64_t need = (uint64_t)sizeof h + ((uint64_t)1 << h.bits) * nlab;
	if (len != need)
		return err_setf(ei, ERR_MODEL, "quote tagger section is %llu bytes, expected %llu",
				(unsigned long long)len, (unsigned long long)need);
	for (uint32_t k = 0; k < (nlab + 1) * nlab; k++)
		if (!isfinite(h.trans[k]))
			return err_setf(ei, ERR_MODEL, "quote tagger transitions are not finite");
	for (uint32_t k = 0; k < 256; k++)
		if (!isfinite(h.lut[k]) || fabsf(h.lut[k]) > 1e6f)
			return err_setf(ei, ERR_MODEL, "quote tagger weight table is not finite");
	memset(tg, 0, sizeof *tg);
	tg->nlab = nlab;
	tg->bits = h.bits;
	memcpy(tg->lut, h.lut, sizeof tg->lut);
	float mx = 0;
	for (uint32_t k = 0; k < 256; k++)
		if (fabsf(h.lut[k]) > mx)
			mx = fabsf(h.lut[k]);
	tg->unit = mx > 0 ? mx / 65536.0f : 1.0f; /* 64 features stay far from overflow */
	for (uint32_t k = 0; k < 256; k++)
		tg->lut_i[k] = (int32_t)lrintf(h.lut[k] / tg->unit);
	memcpy(tg->trans, h.trans, sizeof tg->trans);
	tg->w8 = (const int8_t *)((const char *)p + sizeof h);
	qtag_prepare(tg);
	*have = 1;
	return ERR_OK;
}

err quote_open_sections(const model *m, quote_model *q, err_info *ei)
{
	memset(q, 0, sizeof *q);
	const void *p;
	uint64_t len;
	if (model_section_get(m, QUOTE_TAG_LEX, &p, &len) == ERR_OK) {
		uint32_t h[4];
		if (len < sizeof h)
			return err_setf(ei, ERR_MODEL, "quote lexicon section too short");
		memcpy(h, p, sizeof h);
		uint32_t nslots = h[1], nlem = h[2], slen = h[3];
		if (h[0] != QUOTE_LEX_MAGIC || nslots == 0 || (nslots & (nslots - 1)) != 0 ||
		    nslots > (1u << 24) || nlem >= nslots)
			return err_setf(ei, ERR_MODEL, "quote lexicon section has a bad header");
		uint64_t need = sizeof h + (uint64_t)nslots * sizeof(qlex_slot) +
				(uint64_t)nlem * 4 + slen;
		if (len < need)
			return err_setf(ei, ERR_MODEL, "quote lexicon section is truncated");
		const char *b = (const char *)p + sizeof h;
		q->slots = (const qlex_slot *)b;
		q->slot_mask = nslots - 1;
		q->n_lemmas = nlem;
		q->lemma_off = (const uint32_t *)(b + (size_t)nslots * sizeof(qlex_slot));
		q->strings = b + (size_t)nslots * sizeof(qlex_slot) + (size_t)nlem * 4;
		q->strings_len = slen;
		if (slen == 0 || q->strings[slen - 1] != '\0')
			return err_setf(ei, ERR_MODEL, "quote lexicon strings are not terminated");
		uint32_t used = 0;
		for (uint32_t k = 0; k < nslots; k++) {
			if (q->slots[k].lemma > nlem)
				return err_setf(ei, ERR_MODEL, "quote lexicon slot %u is out of range", k);
			used += q->slots[k].lemma != 0;
		}
		if (used == nslots)
			return err_setf(ei, ERR_MODEL, "quote lexicon table is full");
		for (uint32_t k = 0; k < nlem; k++)
			if (q->lemma_off[k] >= slen)
				return err_setf(ei, ERR_MODEL, "quote lexicon lemma %u is out of range", k);
	}
	quote_pronoun_bits(q->pro_bits);
	when_bits(q->when_bits);
	q->have_bits = 1;
	err e = open_tagger(m, QUOTE_TAG_CUE, QC_NLAB, &q->cue, &q->have_cue, ei);
	if (e == ERR_OK)
		e = open_tagger(m, QUOTE_TAG_ROLE, QR_NLAB, &q->role, &q->have_role, ei);
	return e;
}

err quote_open(const model *m, quote_model **out, err_info *ei)
{
	*out = NULL;
	quote_model *q = calloc(1, sizeof *q);
	if (!q)
		return err_setf(ei, ERR_NOMEM, "out of memory");
	err e = quote_open_sections(m, q, ei);
	if (e != ERR_OK) {
		free(q);
		return e;
	}
	if (quote_lex_tags(q) != ERR_OK) {
		free(q);
		return err_setf(ei, ERR_NOMEM, "out of memory");
	}
	/* the rows of the small-domain templates, hashed once (2 MB shared by
	 * all threads), when every lexicon flag fits their tables */
	int small = 1;
	for (uint32_t k = 0; q->slots && k <= q->slot_mask; k++)
		small &= q->slots[k].flags < 16;
	size_t tc = q->have_cue && small ? qtag_tables_len(0) : 0;
	size_t tr = q->have_role && small ? qtag_tables_len(1) : 0;
	if (tc + tr) {
		size_t bytes = (tc + tr) * sizeof(int32_t);
		int32_t *w = aligned_alloc(64, (bytes + 63) / 64 * 64);
		if (!w) {
			free(q->ltag);
			free(q);
			return err_setf(ei, ERR_NOMEM, "out of memory");
		}
		if (tc) {
			qtag_tables(0, &q->cue, w);
			q->cue.sdr = w;
		}
		if (tr) {
			qtag_tables(1, &q->role, w + tc);
			q->role.sdr = w + tc;
		}
		q->sdr_mem = w;
	}
	*out = q;
	return ERR_OK;
}

void quote_close(quote_model *q)
{
	if (q) {
		free(q->sdr_mem);
		free(q->ltag);
	}
	free(q);
}

static const char *lemma_str(const quote_model *q, uint32_t id)
{
	if (!q || id == 0 || id > q->n_lemmas)
		return NULL;
	return q->strings + q->lemma_off[id - 1];
}

/* ---------------------------------------------------------------- dates */

static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (153 * (m + (m > 2 ? (unsigned)-3 : 9)) + 2) / 5 + d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

static void civil_from_days(int64_t z, int *y, unsigned *m, unsigned *d)
{
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	unsigned doe = (unsigned)(z - era * 146097);
	unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t yy = (int64_t)yoe + era * 400;
	unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (int)(yy + (*m <= 2));
}

static int parse_num(const char *p, uint32_t len, uint32_t *v)
{
	uint32_t x = 0;
	if (len == 0 || len > 9)
		return 0;
	for (uint32_t i = 0; i < len; i++) {
		if (p[i] < '0' || p[i] > '9')
			return 0;
		x = x * 10 + (uint32_t)(p[i] - '0');
	}
	*v = x;
	return 1;
}

/* "2024-05-09..." -> days; 0 on failure */
static int parse_iso(const char *p, uint32_t len, int64_t *days)
{
	uint32_t y, m, d;
	if (len < 10 || p[4] != '-' || p[7] != '-' || !parse_num(p, 4, &y) ||
	    !parse_num(p + 5, 2, &m) || !parse_num(p + 8, 2, &d) || m < 1 || m > 12 || d < 1 ||
	    d > 31)
		return 0;
	*days = days_from_civil(y, m, d);
	return 1;
}

static int word_eqn(const char *text, const tok_token *tk, const char *w, size_t n)
{
	if (tk->len != n)
		return 0;
	for (size_t i = 0; i < n; i++) {
		char c = text[tk->off + i];
		if (c >= 'A' && c <= 'Z')
			c = (char)(c + 32);
		if (c != w[i])
			return 0;
	}
	return 1;
}

/* A token equal to a lower-case word, in any case. */
static int word_eq(const char *text, const tok_token *tk, const char *w)
{
	return word_eqn(text, tk, w, strlen(w));
}
/* The same for a string literal (checked: "" lit "" only compiles for one). */
#define word_lit(text, tk, lit) word_eqn((text), (tk), "" lit "", sizeof(lit) - 1)

static const char *const month_names[] = {"january", "february", "march", "april", "may",
					  "june", "july", "august", "september", "october",
					  "november", "december"};
static const char *const month_abbrs[] = {"jan", "feb", "mar", "apr", "may", "jun",
					  "jul", "aug", "sept", "oct", "nov", "dec"};
static const char *const weekday_names[] = {"monday", "tuesday", "wednesday", "thursday",
					    "friday", "saturday", "sunday"};

static int month_of(const char *text, const tok_token *tk)
{
	const char *const *mo = month_names, *const *ab = month_abbrs;
	if (!(tk->flags & TOKF_CAP))
		return 0;
	tok_token w = *tk;
	if (w.len > 2 && text[w.off + w.len - 1] == '.')
		w.len--; /* "Dec." */
	/* names and abbreviations run 3 to 9 letters and begin with one of
	 * j f m a s o n d: most words stop here */
	if (w.len < 3 || w.len > 9 || !strchr("jfmasond", text[w.off] | 0x20))
		return 0;
	for (int k = 0; k < 12; k++)
		if (word_eq(text, &w, mo[k]) || word_eq(text, &w, ab[k]))
			return k + 1;
	if (word_lit(text, &w, "sep"))
		return 9;
	return 0;
}

static int weekday_of(const char *text, const tok_token *tk)
{
	const char *const *wd = weekday_names;
	if (!(tk->flags & TOKF_CAP) || tk->len < 6 || tk->len > 9 ||
	    !strchr("mtwfs", text[tk->off] | 0x20))
		return -1;
	for (int k = 0; k < 7; k++)
		if (word_eq(text, tk, wd[k]))
			return k;
	return -1;
}

/* The day of the time expression nearest to token `near` in [a, b) and
 * outside [skip0, skip1) (the content), or
 * the record's date. Returns 0 when neither is known. */
static void bit_word(uint64_t *bits, const char *w, int dot)
{
	char buf[16];
	size_t n = strlen(w);
	memcpy(buf, w, n);
	if (dot)
		buf[n++] = '.';
	uint64_t h = quote_word_hash64(buf, (uint32_t)n);
	uint32_t wh = (uint32_t)(h ^ (h >> 32)) & 4095;
	bits[wh >> 6] |= 1ull << (wh & 63);
}

/* The words when_in reads as a day: months (with a period after them
 * too: "Dec."), weekdays, yesterday, today, tonight, week. */
static void when_bits(uint64_t *bits)
{
	for (int dot = 0; dot < 2; dot++) {
		for (int k = 0; k < 12; k++) {
			bit_word(bits, month_names[k], dot);
			bit_word(bits, month_abbrs[k], dot);
		}
		bit_word(bits, "sep", dot);
	}
	for (int k = 0; k < 7; k++)
		bit_word(bits, weekday_names[k], 0);
	bit_word(bits, "yesterday", 0);
	bit_word(bits, "today", 0);
	bit_word(bits, "tonight", 0);
	bit_word(bits, "week", 0);
}

/* wh, wb: the record's word hashes and when_bits (NULL: no filter). */
static int when_in(const char *text, const tok_list *t, const uint32_t *wh, const uint64_t *wb,
		   uint32_t a, uint32_t b, uint32_t near, uint32_t skip0, uint32_t skip1,
		   int have_date, int64_t date, int64_t *out)
{
	int found = 0;
	uint32_t best_d = UINT32_MAX;
	int64_t best = 0;
	for (uint32_t i = a; i < b; i++) {
		if (i >= skip0 && i < skip1) {
			i = skip1 - 1; /* dates inside the content are what it tells */
			continue;
		}
		const tok_token *tk = &t->v[i];
		int64_t day;
		int ok = 0;
		if (tk->type == TOK_NUM && parse_iso(text + tk->off, tk->len, &day)) {
			ok = 1;
		} else if (tok_is_wordlike(tk->type) &&
			   (!wb || (wb[(wh[i] & 4095) >> 6] >> (wh[i] & 63) & 1)) &&
			   ((tk->flags & TOKF_CAP) || tk->len == 4 || tk->len == 5 || tk->len == 7 ||
			    tk->len == 9)) {
			int mo = month_of(text, tk), wd;
			uint32_t dd, yy, di = i + 1;
			if (mo && di < b && t->v[di].type == TOK_PERIOD)
				di++; /* "Dec . 30" */
			if (mo && di < b && t->v[di].type == TOK_NUM &&
			    parse_num(text + t->v[di].off, t->v[di].len, &dd) && dd >= 1 &&
			    dd <= 31) {
				uint32_t j = di + 1;
				if (j < b && t->v[j].type == TOK_COMMA)
					j++;
				if (j < b && t->v[j].type == TOK_NUM &&
				    parse_num(text + t->v[j].off, t->v[j].len, &yy) && yy >= 1000 &&
				    yy <= 2999) {
					day = days_from_civil(yy, (unsigned)mo, dd);
					ok = 1;
				} else if (have_date) {
					int y;
					unsigned m, d;
					civil_from_days(date, &y, &m, &d);
					day = days_from_civil(y, (unsigned)mo, dd);
					if (day > date + 2)
						day = days_from_civil(y - 1, (unsigned)mo, dd);
					ok = 1;
				}
			} else if (have_date && (wd = weekday_of(text, tk)) >= 0) {
				int next = i > 0 && (word_lit(text, &t->v[i - 1], "next") ||
						     word_lit(text, &t->v[i - 1], "this"));
				if (!next) {
					/* 1970-01-01 was a Thursday (3) */
					int64_t cur = ((date % 7) + 7 + 3) % 7;
					int64_t back = (cur - wd + 7) % 7;
					day = date - back;
					ok = 1;
				}
			} else if (have_date && word_lit(text, tk, "yesterday")) {
				day = date - 1;
				ok = 1;
			} else if (have_date &&
				   (word_lit(text, tk, "today") || word_lit(text, tk, "tonight"))) {
				day = date;
				ok = 1;
			} else if (have_date && word_lit(text, tk, "week") && i > 0 &&
				   word_lit(text, &t->v[i - 1], "last")) {
				day = date - 7;
				ok = 1;
			}
		}
		if (ok) {
			uint32_t dist = i > near ? i - near : near - i;
			if (dist < best_d) {
				best_d = dist;
				best = day;
				found = 1;
			}
		}
	}
	if (found) {
		*out = best;
		return 1;
	}
	if (have_date) {
		*out = date;
		return 1;
	}
	return 0;
}

/* ---------------------------------------------------------------- speakers */

static int is_pronoun_src(const qdoc *d, uint32_t s0, uint32_t s1)
{
	return s1 == s0 + 1 && d->pro[s0] != QP_NONE;
}

/* The entity a speaker span [s0, s1) resolves to: a mention inside it, or
 * for a pronoun the nearest compatible mention before it. */
static int32_t resolve_speaker(const qdoc *d, uint32_t s0, uint32_t s1)
{
	const gaz_list *g = d->g;
	if (!g || g->n == 0)
		return -1;
	int32_t best = -1;
	for (uint32_t i = s0; i < s1; i++) {
		int32_t k = d->ment[i];
		if (k < 0)
			continue;
		uint8_t ty = g->v[k].type;
		if (ty == GAZ_PER || ty == GAZ_ORG) {
			if (best < 0 || g->v[best].type != GAZ_PER || ty == GAZ_PER)
				if (best < 0 || ty == GAZ_PER || g->v[best].type == GAZ_ORG)
					best = k;
			if (ty == GAZ_PER)
				return k;
		}
	}
	if (best >= 0)
		return best;
	for (uint32_t i = s0; i < s1; i++)
		if (d->ment[i] >= 0 && (g->v[d->ment[i]].flags & GAZF_ROLE))
			return d->ment[i];
	if (!is_pronoun_src(d, s0, s1))
		return -1;
	uint8_t pc = d->pro[s0];
	/* nearest earlier mention that fits */
	int32_t k = -1;
	for (int64_t j = (int64_t)s0 - 1; j >= 0 && s0 - (uint32_t)j < 800; j--) {
		int32_t m = d->ment[j];
		if (m < 0 || m == k)
			continue;
		k = m;
		const gaz_mention *mn = &g->v[m];
		switch (pc) {
		case QP_HE:
			if (mn->type == GAZ_PER && !(mn->flags & GAZF_FEMALE))
				return m;
			break;
		case QP_SHE:
			if (mn->type == GAZ_PER && !(mn->flags & GAZF_MALE))
				return m;
			break;
		case QP_WHO:
			if (mn->type == GAZ_PER || mn->type == GAZ_ORG)
				return m;
			break;
		case QP_THEY:
		case QP_IT:
			if (mn->type == GAZ_ORG || (mn->flags & GAZF_PLURAL))
				return m;
			break;
		default:
			return -1;
		}
	}
	return -1;
}

/* The attribution's content, cue and speaker as the bytes of tokens
 * [a, b) (b > a). */
static void set_content(quote_attr *r, const qdoc *d, const tok_list *t, uint32_t a, uint32_t b)
{
	r->off = t->v[a].off;
	r->len = t->v[b - 1].off + t->v[b - 1].len - r->off;
	r->sentence = d->sid[a];
}

static void set_cue(quote_attr *r, const tok_list *t, uint32_t a, uint32_t b)
{
	r->has_cue = 1;
	r->cue_off = t->v[a].off;
	r->cue_len = t->v[b - 1].off + t->v[b - 1].len - r->cue_off;
}

static void set_speaker(quote_attr *r, const qdoc *d, const tok_list *t, uint32_t a, uint32_t b)
{
	r->has_speaker = 1;
	r->spk_off = t->v[a].off;
	r->spk_len = t->v[b - 1].off + t->v[b - 1].len - r->spk_off;
	r->spk_entity = resolve_speaker(d, a, b);
}

/* ---------------------------------------------------------------- rules */

static int is_trim(const tok_token *tk)
{
	return tok_is_quote(tk->type) || tk->type == TOK_COMMA || tk->type == TOK_COLON ||
	       tk->type == TOK_SEMICOLON || tk->type == TOK_DASH || tok_is_break(tk->type);
}

/* Without a role tagger: the quotation next to the cue, else the clause
 * after it; the nearest name or pronoun before it (or after it). */
static void rule_roles(const qdoc *d, uint32_t a, uint32_t b, uint32_t c0, uint32_t c1,
		       uint8_t *lab)
{
	const tok_token *v = d->t->v;
	for (uint32_t i = a; i < b; i++)
		lab[i - a] = QR_O;
	int32_t qk = -1;
	for (uint32_t i = c1; i < b && i < c1 + 3; i++)
		if (d->qspan[i] >= 0) {
			qk = d->qspan[i];
			break;
		}
	if (qk < 0)
		for (uint32_t i = c0; i-- > a && i + 6 > c0;)
			if (d->qspan[i] >= 0) {
				qk = d->qspan[i];
				break;
			}
	uint32_t t0 = 0, t1 = 0;
	if (qk >= 0) {
		t0 = d->q_first[qk];
		t1 = d->q_end[qk];
	} else {
		t0 = c1;
		if (t0 < b && word_lit(d->text, &v[t0], "that"))
			t0++;
		t1 = t0;
		while (t1 < b && v[t1].type != TOK_PERIOD && v[t1].type != TOK_QUESTION &&
		       v[t1].type != TOK_EXCLAIM)
			t1++;
	}
	if (t0 < a)
		t0 = a;
	if (t1 > b)
		t1 = b;
	for (uint32_t i = t0; i < t1; i++)
		if (i < c0 || i >= c1)
			lab[i - a] = i == t0 ? QR_BT : QR_IT;
	/* source: the nearest name or pronoun before the cue */
	for (uint32_t i = c0; i-- > a;) {
		if (d->inq[i])
			break;
		if (d->pro[i] == QP_HE || d->pro[i] == QP_SHE || d->pro[i] == QP_THEY) {
			lab[i - a] = QR_BS;
			return;
		}
		if (d->shp[i] == QS_CAP && i >= t1) {
			uint32_t s = i;
			while (s > a && d->shp[s - 1] == QS_CAP && !d->inq[s - 1])
				s--;
			for (uint32_t k = s; k <= i; k++)
				lab[k - a] = k == s ? QR_BS : QR_IS;
			return;
		}
	}
	/* "..., said Smith" */
	if (c1 < b && (d->shp[c1] == QS_CAP || d->pro[c1] != QP_NONE)) {
		uint32_t e = c1 + 1;
		while (e < b && d->shp[e] == QS_CAP)
			e++;
		for (uint32_t k = c1; k < e; k++)
			lab[k - a] = k == c1 ? QR_BS : QR_IS;
	}
}

/* A quotation no attribution claimed yet that ends within five tokens
 * before the cue or starts within three after it (what rule_roles takes). */
static int beside_free_quote(const qdoc *d, const uint8_t *covered, uint32_t c0, uint32_t c1)
{
	for (uint32_t i = c1; i < d->n && i < c1 + 3; i++)
		if (d->qspan[i] >= 0)
			return !covered[d->qspan[i]];
	for (uint32_t i = c0; i-- > 0 && i + 6 > c0;)
		if (d->qspan[i] >= 0)
			return !covered[d->qspan[i]];
	return 0;
}

/* ---------------------------------------------------------------- attribute */

typedef struct {
	uint32_t c0, c1;
} qcue;

static int is_title_abbr(const char *text, const tok_token *tk)
{
	static const char *const ab[] = {"mr", "mrs", "ms", "dr", "sen", "rep", "gov", "gen",
					 "lt", "col", "sgt", "capt", "prof", "rev", "st", "jr"};
	if (!(tk->flags & TOKF_CAP) || tk->len > 4)
		return 0;
	for (size_t k = 0; k < sizeof ab / sizeof *ab; k++)
		if (word_eq(text, tk, ab[k]))
			return 1;
	return 0;
}

/* Speaker spans end before what the tagger tends to run on into: a
 * participle phrase ("Trump, speaking to veterans,"), trailing adverbs
 * ("the campaign now", "Gingrich cynically"), a contraction ("He's");
 * an open parenthesis is closed ("Rep. Jim Clyburn (D-S.C.)"). */
static void fix_source(const qdoc *d, uint32_t c0, uint32_t c1, uint32_t s0, uint32_t *s1)
{
	static const char *const adv[] = {"now", "also", "earlier", "later", "then", "still",
					  "again", "too", "once", "recently", "previously"};
	const tok_token *v = d->t->v;
	const char *text = d->text;
	for (uint32_t i = s0 + 1; i + 1 < *s1; i++)
		if (v[i].type == TOK_COMMA && d->shp[i + 1] == QS_LOWER && v[i + 1].len > 4 &&
		    memcmp(text + v[i + 1].off + v[i + 1].len - 3, "ing", 3) == 0) {
			*s1 = i;
			break;
		}
	while (*s1 > s0 + 1) {
		const tok_token *tk = &v[*s1 - 1];
		int drop = tk->type == TOK_POSS && d->pro[*s1 - 2] != QP_NONE;
		if (!drop && d->shp[*s1 - 1] == QS_LOWER) {
			drop = tk->len > 4 && memcmp(text + tk->off + tk->len - 2, "ly", 2) == 0;
			for (size_t k = 0; !drop && k < sizeof adv / sizeof *adv; k++)
				drop = word_eq(text, tk, adv[k]);
		}
		if (!drop)
			break;
		(*s1)--;
	}
	uint32_t open = 0;
	for (uint32_t i = s0; i < *s1; i++)
		open += v[i].type == TOK_OPEN ? 1u : v[i].type == TOK_CLOSE && open ? (uint32_t)-1 : 0u;
	if (open && *s1 < d->n) {
		uint32_t e = *s1;
		while (e < d->n && e < *s1 + 4 && v[e].type != TOK_CLOSE && !(e >= c0 && e < c1))
			e++;
		if (e < d->n && v[e].type == TOK_CLOSE)
			*s1 = e + 1;
	}
}

/* Text order; of two that start together, the shorter first; then by cue
 * (a total order, so qsort's output does not depend on its algorithm). */
static int cmp_attr(const void *pa, const void *pb)
{
	const quote_attr *x = pa, *y = pb;
	if (x->off != y->off)
		return x->off < y->off ? -1 : 1;
	if (x->len != y->len)
		return x->len < y->len ? -1 : 1;
	if (x->cue_off != y->cue_off)
		return x->cue_off < y->cue_off ? -1 : 1;
	if (x->spk_off != y->spk_off)
		return x->spk_off < y->spk_off ? -1 : 1;
	return 0;
}

/* The index of the first token that ends after byte off. */
static uint32_t tok_at(const tok_list *t, uint32_t off)
{
	uint32_t lo = 0, hi = t->n;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (t->v[mid].off + t->v[mid].len <= off)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* "Moscow: North Korean leader ...": a colon after a place name that opens
 * the line is a dateline, not a cue. */
static int is_dateline_colon(const qdoc *d, uint32_t c0, uint32_t c1)
{
	const tok_token *v = d->t->v;
	if (c1 != c0 + 1 || v[c0].type != TOK_COLON || c0 == 0)
		return 0;
	uint32_t i = c0;
	while (i > 0 && c0 - i < 4 && !(v[i].flags & TOKF_LINE))
		i--;
	if (!(v[i].flags & TOKF_LINE) || i == c0)
		return 0;
	for (uint32_t k = i; k < c0; k++)
		if ((d->ent[k] & 7) != GAZ_LOC && !(v[k].flags & TOKF_UPPER))
			return 0;
	return 1;
}

static void near_speaker(const qdoc *d, uint32_t c0, quote_attr *r)
{
	const tok_token *v = d->t->v;
	uint32_t i = c0, skipped = 0;
	while (i > 0 && skipped < 3 &&
	       ((d->shp[i - 1] == QS_LOWER && !d->pro[i - 1]) || v[i - 1].type == TOK_NL) &&
	       !d->inq[i - 1])
		i--, skipped += v[i].type != TOK_NL;
	if (i == 0 || d->inq[i - 1] || d->sid[i - 1] != d->sid[c0])
		return;
	uint32_t e = i, b = i - 1;
	if (d->pro[b] == QP_HE || d->pro[b] == QP_SHE || d->pro[b] == QP_THEY) {
		/* a pronoun */
	} else if (d->ment[b] >= 0 && (d->g->v[d->ment[b]].type == GAZ_PER ||
				       d->g->v[d->ment[b]].type == GAZ_ORG)) {
		b = d->g->v[d->ment[b]].first;
	} else {
		return;
	}
	r->has_speaker = 1;
	r->spk_off = v[b].off;
	r->spk_len = v[e - 1].off + v[e - 1].len - r->spk_off;
	r->spk_entity = resolve_speaker(d, b, e);
}

static int is_preposition(const char *text, const tok_token *tk)
{
	static const char *const p[] = {"to", "for", "with", "of", "by", "at", "on", "from",
					"about", "into", "than"};
	for (size_t k = 0; k < sizeof p / sizeof *p; k++)
		if (word_eq(text, tk, p[k]))
			return 1;
	return 0;
}

/* The subject of the sentence holding c0: the first name (a PER or ORG
 * mention) among its first tokens, or its leading capitalized words. */
static int sentence_subject(const qdoc *d, uint32_t c0, quote_attr *r)
{
	if (!d->s->n)
		return 0;
	const tok_token *v = d->t->v;
	uint32_t a = d->s->v[d->sid[c0]].first, lim = a + 12 < c0 ? a + 12 : c0;
	/* past a dateline: "SEOUL, May 9 (UPI) -- North Korean leader ..." */
	for (uint32_t i = a; i < lim; i++)
		if (v[i].type == TOK_DASH) {
			a = i + 1;
			lim = a + 12 < c0 ? a + 12 : c0;
			break;
		}
	uint32_t depth = 0;
	for (uint32_t i = a; i < lim; i++) {
		depth += v[i].type == TOK_OPEN;
		if (v[i].type == TOK_CLOSE && depth)
			depth--;
		int32_t m = d->ment[i];
		if (m < 0 || d->inq[i] || depth)
			continue;
		const gaz_mention *mn = &d->g->v[m];
		if ((mn->type == GAZ_PER || mn->type == GAZ_ORG) && mn->first + mn->n <= c0) {
			r->spk_off = mn->off;
			r->spk_len = mn->len;
			r->spk_entity = m;
			return 1;
		}
	}
	return 0;
}

/* "... with a speech saying ...": a participle cue after a word for
 * something said. */
static int after_speech_noun(const char *text, const tok_list *t, uint32_t c0)
{
	static const char *const n[] = {"speech",  "statement", "message", "letter",
					"interview", "tweet",   "post",    "remarks",
					"address", "note",      "report",  "telegram"};
	const tok_token *cue = &t->v[c0];
	if (c0 == 0 || cue->len < 5 || memcmp(text + cue->off + cue->len - 3, "ing", 3) != 0)
		return 0;
	for (size_t k = 0; k < sizeof n / sizeof *n; k++)
		if (word_eq(text, &t->v[c0 - 1], n[k]))
			return 1;
	return 0;
}

/* Cues for quotations that no cue claimed: a reporting verb (outside
 * quotations) within six tokens after the closing mark or before the
 * opening one, in the same paragraph. Appends to cues; returns the count. */
static uint32_t add_quote_cues(const qdoc *d, const uint8_t *covered, uint8_t *cuetok,
			       qcue *cues, uint32_t nc)
{
	const tok_token *v = d->t->v;
	uint32_t n0 = nc;
	for (uint32_t k = 0; k < d->nq; k++) {
		uint32_t qa = d->q_first[k], qb = d->q_end[k], words = 0;
		if (v[qa].flags & TOKF_SINGLE)
			continue;
		for (uint32_t i = qa; i < qb && words < 3; i++)
			words += tok_is_wordlike(v[i].type);
		if (words < 3)
			continue;
		uint32_t hit = UINT32_MAX;
		/* claimed or not: `"...," Kim said` names its own speaker */
		for (uint32_t i = qb; i < d->n && i < qb + (covered[k] ? 4 : 6); i++) {
			if (v[i].type == TOK_PARA || d->inq[i])
				break;
			if (d->lexf[i] & QL_VERB) {
				hit = i;
				break;
			}
		}
		if (covered[k] && hit == UINT32_MAX)
			continue;
		for (uint32_t i = qa; hit == UINT32_MAX && i-- > 0 && i + 6 >= qa;) {
			if (v[i].type == TOK_PARA || d->inq[i])
				break;
			if (d->lexf[i] & QL_VERB)
				hit = i;
		}
		if (hit == UINT32_MAX)
			continue;
		if (!cuetok[hit] && nc < n0 + d->nq && nc < d->n) {
			cues[nc++] = (qcue){hit, hit + 1};
			cuetok[hit] = 1;
		}
	}
	return nc;
}

typedef struct {
	float *emit, *vs;
	uint8_t *bp, *lab;
	uint32_t cap;
} qscratch;

static err scratch_init(qscratch *sc, uint32_t cap, arena *a)
{
	sc->cap = cap;
	sc->emit = arena_alloc_n(a, float, (size_t)cap * Q_MAXLAB);
	sc->vs = arena_alloc_n(a, float, (size_t)cap * Q_MAXLAB);
	sc->bp = arena_alloc_n(a, uint8_t, (size_t)cap * Q_MAXLAB);
	sc->lab = arena_alloc_n(a, uint8_t, cap);
	return sc->emit && sc->vs && sc->bp && sc->lab ? ERR_OK : ERR_NOMEM;
}


/* `said that, "We will ..."`: the word before the comma or colon at i
 * stays in the content when it is only `that` (PolNeAR keeps it) */
static int intro_goes_on(const qdoc *d, uint32_t t0, uint32_t i)
{
	return i == t0 + 1 && word_lit(d->text, &d->t->v[t0], "that");
}

static int content_tok_ok(const tok_token *tk)
{
	return !is_trim(tk) && tk->type != TOK_PERIOD && tk->type != TOK_BULLET;
}

/* Words that carry a clause on past a closing quotation mark ("because",
 * "but"); others after one mostly open the frame ("in a tweet Sunday",
 * "after", "which", "and"). */
static int run_on_word(const char *text, const tok_token *tk)
{
	static const char *const w[] = {"because", "but", "since", "for", "to", "of"};
	for (size_t k = 0; k < sizeof w / sizeof *w; k++)
		if (word_eq(text, tk, w[k]))
			return 1;
	return 0;
}

/* `But the goal is not revenue, ... according to ...`: a conjunction or
 * adverb that opens the sentence, outside quotation marks, is no content
 * in PolNeAR (2 of 3 times for But and And, more for However with a
 * comma and Still); it stays before a quotation or `that`. Returns the
 * new start of content [t0, t1). */
static uint32_t skip_opening_conj(const qdoc *d, uint32_t t0, uint32_t t1)
{
	static const char *const w[] = {"but", "and", "however", "still"};
	const tok_token *v = d->t->v;
	if (d->inq[t0] || !(v[t0].flags & TOKF_CAP) || t0 + 2 >= t1)
		return t0;
	if (t0 > 0 && !(v[t0].flags & TOKF_LINE) && d->sid[t0 - 1] == d->sid[t0])
		return t0;
	for (size_t k = 0; k < sizeof w / sizeof *w; k++)
		if (word_eq(d->text, &v[t0], w[k])) {
			uint32_t x = t0 + 1;
			while (x + 1 < t1 && v[x].type == TOK_COMMA)
				x++;
			/* `But "if you ..."` keeps it; so does `But that ...`,
			 * whose that the measure would cut too */
			if (d->inq[x] || word_lit(d->text, &v[x], "that") ||
			    (k == 2 && x == t0 + 1))
				return t0;
			return x;
		}
	return t0;
}

/* Tokens from a window's start to its cue for quote_before_window. */
#define QUOTE_BEFORE_REACH 12u

/* `"Who do they think they are?" Trump said.`: the sentence splitter
 * ends a sentence at `?"` or `!"` before a capital, so the cue's window
 * starts after the quotation it reports. When a quotation that ends in
 * ? or ! and that no attribution took yet closes right before the window,
 * in the same paragraph, and the cue follows within a few tokens with no
 * quotation mark between, the window starts with that quotation. Returns
 * the new start. */
static uint32_t quote_before_window(const qdoc *d, const uint8_t *covered, uint32_t wa,
				    uint32_t c0)
{
	if (wa < 2 || d->inq[wa - 1] != 3 || c0 > wa + QUOTE_BEFORE_REACH || d->qspan[wa - 1] < 0 ||
	    covered[d->qspan[wa - 1]] ||
	    (d->t->v[wa - 2].type != TOK_QUESTION && d->t->v[wa - 2].type != TOK_EXCLAIM))
		return wa;
	for (uint32_t i = wa; i < c0; i++)
		if (d->inq[i] || tok_is_break(d->t->v[i].type))
			return wa;
	uint32_t qa = d->q_first[d->qspan[wa - 1]];
	if ((uint16_t)(d->pc_para[wa] - d->pc_para[qa]) != 0 || wa - qa > QUOTE_MAX_WINDOW / 2)
		return wa;
	return d->s->n ? d->s->v[d->sid[qa]].first : qa;
}

/* Tokens before a colon that may still be in the headline. */
#define QUOTE_HEADLINE_REACH 64u

/* `Trump: Cruz Has 'To Come a Long Way' On Ethanol`: in the headline (the
 * text's first line), content after a colon cue [c0, c1) runs to the end
 * of the line (PolNeAR: 85 of 88). Returns the new end of [t0, t1). */
static uint32_t headline_colon_content(const qdoc *d, uint32_t c0, uint32_t c1, uint32_t t0,
				       uint32_t t1)
{
	const tok_token *v = d->t->v;
	if (v[c1 - 1].type != TOK_COLON || c0 > QUOTE_HEADLINE_REACH ||
	    (uint16_t)(d->pc_para[t1] - d->pc_para[0]) != 0)
		return t1;
	for (uint32_t i = 0; i < c0; i++)
		if (tok_is_break(v[i].type))
			return t1;
	uint32_t e = t1;
	while (e < d->n && !tok_is_break(v[e].type))
		e++;
	while (e > t0 && (!content_tok_ok(&v[e - 1]) || v[e - 1].type == TOK_QUESTION ||
			  v[e - 1].type == TOK_EXCLAIM))
		e--;
	return e > t1 ? e : t1;
}

/* A cue [c0, c1) of the verb tell (told, is telling). */
static int cue_is_tell(const quote_model *q, const qdoc *d, uint32_t c0, uint32_t c1)
{
	for (uint32_t i = c0; i < c1; i++) {
		const char *l = lemma_str(q, d->lex[i]);
		if (l && strcmp(l, "tell") == 0)
			return 1;
	}
	return 0;
}

/* Words between a cue and the `that` that opens its content. */
#define QUOTE_ADDRESSEE_REACH 12u

/* `told a veterans group that the military is "depleted"`: content right
 * after its cue (tell: cue_is_tell) that holds, a few words on and before any quotation mark,
 * a `that` followed by a quotation in the same clause starts at that
 * `that` (the words before are the addressee or an adjunct of the frame).
 * Returns the new start of content [t0, t1). */
static uint32_t past_addressee(const qdoc *d, const uint8_t *cuetok, uint32_t t0, uint32_t t1)
{
	const tok_token *v = d->t->v;
	for (uint32_t x = t0; x < t1 && x < t0 + QUOTE_ADDRESSEE_REACH; x++) {
		if (d->inq[x] || cuetok[x] || (!tok_is_wordlike(v[x].type) && v[x].type != TOK_POSS))
			return t0;
		if (x > t0 && x + 2 < t1 && word_lit(d->text, &v[x], "that")) {
			/* `... and that "..."`: a second clause; the first began earlier */
			if (word_lit(d->text, &v[x - 1], "and") || word_lit(d->text, &v[x - 1], "or"))
				return t0;
			for (uint32_t y = x + 1; y < t1 && y < x + QUOTE_ADDRESSEE_REACH; y++) {
				if (d->inq[y])
					return x;
				if (v[y].type == TOK_COMMA || v[y].type == TOK_PERIOD || cuetok[y] ||
				    word_lit(d->text, &v[y], "that"))
					return t0;
			}
			return t0;
		}
	}
	return t0;
}

/* `The economic weapons his country has, he added, are like "bombs"`:
 * content that runs over its own speaker and cue [s0, c1) set off by
 * commas mid-sentence starts where its sentence starts, when the words
 * before t0 in the sentence hold no punctuation, quotation or cue (the
 * tagger started the clause late). Returns the new start. */
static uint32_t interrupted_clause_start(const qdoc *d, const uint8_t *cuetok, uint32_t t0,
					 uint32_t s0, uint32_t c1)
{
	const tok_token *v = d->t->v;
	if (!d->s->n || s0 == 0 || v[s0 - 1].type != TOK_COMMA || c1 >= d->n ||
	    v[c1].type != TOK_COMMA)
		return t0;
	uint32_t a = d->s->v[d->sid[t0]].first;
	if (a >= t0 || t0 - a > QUOTE_ADDRESSEE_REACH)
		return t0;
	for (uint32_t i = a; i < t0; i++)
		if (d->inq[i] || cuetok[i] || !tok_is_wordlike(v[i].type))
			return t0;
	return a;
}

/* Tokens a content end looks past for the quotation's closing mark. */
#define QUOTE_RUN_ON_REACH 64u

/* `called Clinton a "champion" for its constituency`: content after its
 * cue [t0, t1) that stops at a closing quotation mark in mid-sentence runs
 * on to the end of the sentence (PolNeAR's content is the whole clause)
 * when a word that goes on with the clause follows the mark (run_on_word),
 * unless a cue or a paragraph break comes first. Returns the new end. */
static uint32_t run_on_after_quote(const qdoc *d, const uint8_t *cuetok, uint32_t t0,
				   uint32_t t1)
{
	const tok_token *v = d->t->v;
	uint32_t x = t1;
	while (x < d->n && x < t1 + 2 && d->inq[x] != 3 &&
	       (v[x].type == TOK_COMMA || v[x].type == TOK_PERIOD))
		x++;
	if (x >= d->n || d->inq[x] != 3 || x + 1 >= d->n || !d->s->n)
		return t1;
	const sent_sentence *st = &d->s->v[d->sid[t1 - 1]];
	uint32_t se = st->first + st->n, y = x + 1;
	if (se > y + QUOTE_RUN_ON_REACH)
		return t1;
	/* or a list of quotations: `a "nasty guy," an "anchor baby," ...`
	 * (not `"...," she was "whisked"`: a clause of its own) */
	int list = 0;
	for (uint32_t z = y; z < se && z < y + 3 && !list; z++) {
		if (d->pro[z] != QP_NONE && d->pro[z] != QP_WHO)
			break;
		list = d->inq[z] == 2;
	}
	if (!list && !run_on_word(d->text, &v[y]))
		return t1;
	for (; y < se; y++)
		if (cuetok[y] || tok_is_break(v[y].type))
			return t1;
	uint32_t e = se;
	while (e > t0 && (!content_tok_ok(&v[e - 1]) || v[e - 1].type == TOK_QUESTION ||
			  v[e - 1].type == TOK_EXCLAIM))
		e--;
	return e > t1 ? e : t1;
}

/* `said the campaign was "taking a close look," and that her proposals
 * ...`: content after its cue that stops right before `and that` runs on
 * over that second clause to the end of the sentence (PolNeAR: 179 gold
 * contents hold `and that`, 6 stop before it), unless a cue or a line
 * break comes first. Returns the new end of [t0, t1). */
static uint32_t run_on_and_that(const qdoc *d, const uint8_t *cuetok, uint32_t t0, uint32_t t1)
{
	const tok_token *v = d->t->v;
	uint32_t x = t1;
	while (x < d->n && x < t1 + 3 &&
	       (d->inq[x] == 3 || v[x].type == TOK_COMMA || v[x].type == TOK_PERIOD))
		x++;
	if (x + 2 >= d->n || !d->s->n || !word_lit(d->text, &v[x], "and") ||
	    !word_lit(d->text, &v[x + 1], "that") || d->sid[x] != d->sid[t1 - 1])
		return t1;
	const sent_sentence *st = &d->s->v[d->sid[t1 - 1]];
	uint32_t se = st->first + st->n;
	if (se > x + QUOTE_RUN_ON_REACH)
		return t1;
	for (uint32_t y = x; y < se; y++)
		if (cuetok[y] || tok_is_break(v[y].type))
			return t1;
	uint32_t e = se;
	while (e > t0 && (!content_tok_ok(&v[e - 1]) || v[e - 1].type == TOK_QUESTION ||
			  v[e - 1].type == TOK_EXCLAIM))
		e--;
	return e > t1 ? e : t1;
}

err quote_attribute(const quote_model *q, const char *text, const tok_list *t,
		    const sent_list *s, const gaz_list *g, const char *date, uint32_t date_len,
		    arena *a, quote_list *out)
{
	out->v = NULL;
	out->n = 0;
	if (t->n == 0)
		return ERR_OK;
	qdoc d;
	err e = qdoc_init(q, text, t, s, g, a, &d);
	if (e != ERR_OK)
		return e;
	uint32_t maxs = 1;
	for (uint32_t k = 0; k < s->n; k++)
		if (s->v[k].n > maxs)
			maxs = s->v[k].n;
	if (maxs < QUOTE_MAX_WINDOW)
		maxs = QUOTE_MAX_WINDOW;
	if (maxs > t->n + 1)
		maxs = t->n + 1;
	qscratch sc;
	if ((e = scratch_init(&sc, maxs, a)) != ERR_OK)
		return e;
	/* 1. cues */
	qcue *cues = arena_alloc_n(a, qcue, t->n);
	uint8_t *cuetok = arena_calloc(a, t->n, 1); /* tokens inside a cue */
	if (!cues || !cuetok)
		return ERR_NOMEM;
	uint32_t nc = 0;
	for (uint32_t k = 0; k < s->n; k++) {
		uint32_t sa = s->v[k].first, sb = sa + s->v[k].n;
		uint32_t len = sb - sa;
		if (len == 0)
			continue;
		if (q && q->have_cue) {
			if (len > sc.cap)
				len = sc.cap;
			if (qcue_emit(&q->cue, &d, sa, len, sc.emit) == 0)
				continue;
			/* outside candidate stretches every label is O: decode the
			 * stretches alone, each between O labels */
			for (uint32_t i = 0; i < len;) {
				if (!d.cand[sa + i]) {
					sc.lab[i++] = QC_O;
					continue;
				}
				uint32_t j = i;
				while (j < len && d.cand[sa + j])
					j++;
				qtag_viterbi_in(&q->cue, sc.emit + (size_t)i * QC_NLAB, j - i,
						i ? QC_O : QC_NLAB, j < len ? QC_O : QC_NLAB, sc.vs,
						sc.bp, sc.lab + i);
				i = j;
			}
		} else {
			if (len > sc.cap)
				len = sc.cap;
			for (uint32_t i = 0; i < len; i++)
				sc.lab[i] = (d.lexf[sa + i] & QL_VERB) && !d.inq[sa + i] ? QC_B : QC_O;
		}
		for (uint32_t i = 0; i < len; i++) {
			if (sc.lab[i] != QC_B)
				continue;
			uint32_t j = i + 1;
			while (j < len && sc.lab[j] == QC_I)
				j++;
			uint32_t ce = sa + j;
			if (is_dateline_colon(&d, sa + i, ce)) {
				i = j - 1;
				continue;
			}
			/* "was quoted as saying": the cue runs on over "as saying" */
			if (ce + 1 < sa + len && word_lit(text, &t->v[ce], "as") &&
			    (d.lexf[ce + 1] & QL_VERB) && t->v[ce + 1].len > 4 &&
			    memcmp(text + t->v[ce + 1].off + t->v[ce + 1].len - 3, "ing", 3) == 0) {
				ce += 2;
				j += 2;
			}
			cues[nc++] = (qcue){sa + i, ce};
			for (uint32_t x = sa + i; x < ce; x++)
				cuetok[x] = 1;
			i = j - 1;
		}
	}
	/* 2. roles per cue */
	quote_attr *res = arena_alloc_n(a, quote_attr, (size_t)nc + 3 * (size_t)d.nq + (size_t)d.npara + 2);
	if (!res)
		return ERR_NOMEM;
	uint8_t *covered = arena_calloc(a, (size_t)d.nq + 1, 1);
	uint32_t *rsent = arena_alloc_n(a, uint32_t, (size_t)nc + 2 * (size_t)d.nq + 1);
	if (!covered || !rsent)
		return ERR_NOMEM;
	int64_t rdate = 0;
	int have_date = date && parse_iso(date, date_len, &rdate);
	const uint64_t *wbits = q && q->have_bits ? q->when_bits : NULL;
	uint32_t nr = 0;
	int extra_done = 0;
	for (uint32_t k = 0;; k++) {
		if (k == nc) {
			/* a quotation that no cue claimed, with a reporting verb right
			 * after it ("..." Putin was overheard telling) or right before
			 * it: that verb is its cue */
			if (extra_done)
				break;
			extra_done = 1;
			nc = add_quote_cues(&d, covered, cuetok, cues, nc);
			if (k == nc)
				break;
		}
		uint32_t c0 = cues[k].c0, c1 = cues[k].c1, wa, wb;
		quote_role_window(&d, c0, c1, &wa, &wb);
		/* wq: where the window started before it took the quotation */
		uint32_t wq = wa;
		wa = quote_before_window(&d, covered, wa, c0);
		/* a sentence crowded with cues: each cue sees its neighbourhood
		 * only, so the work stays linear in the text */
		uint32_t crowd = 0;
		for (uint32_t x = k; x > 0 && crowd <= QUOTE_CROWDED_CUES &&
				    cues[x - 1].c0 >= wa;
		     x--)
			crowd++;
		for (uint32_t x = k + 1; x < nc && crowd <= QUOTE_CROWDED_CUES && cues[x].c0 < wb;
		     x++)
			crowd++;
		if (crowd > QUOTE_CROWDED_CUES) {
			if (c0 > wa + QUOTE_CROWDED_REACH)
				wa = c0 - QUOTE_CROWDED_REACH;
			if (wb > c1 + QUOTE_CROWDED_REACH)
				wb = c1 + QUOTE_CROWDED_REACH;
		}
		if (wb - wa > sc.cap) {
			wa = c0 > sc.cap / 2 ? c0 - sc.cap / 2 : 0;
			if (wa + sc.cap < c1)
				wa = c1 - sc.cap / 2;
			wb = wa + sc.cap;
			if (wb > t->n)
				wb = t->n;
		}
		uint32_t len = wb - wa;
		if (q && q->have_role) {
			qrole_emit(&q->role, &d, wa, wb, c0, c1, sc.emit);
			qtag_viterbi(&q->role, sc.emit, len, sc.vs, sc.bp, sc.lab);
			/* no content at all for a reporting verb right beside an
			 * unclaimed quotation: the rules give that quotation to it */
			int any = 0;
			for (uint32_t i = 0; i < len && !any; i++)
				any = sc.lab[i] == QR_BT || sc.lab[i] == QR_IT;
			if (!any && (d.lexf[c0] & QL_VERB) && beside_free_quote(&d, covered, c0, c1))
				rule_roles(&d, wa, wb, c0, c1, sc.lab);
		} else {
			rule_roles(&d, wa, wb, c0, c1, sc.lab);
		}
		/* content: first to last content token; source: the span nearest the cue */
		uint32_t t0 = UINT32_MAX, t1 = 0, s0 = 0, s1 = 0, sdist = UINT32_MAX;
		for (uint32_t i = 0; i < len; i++) {
			uint8_t l = sc.lab[i];
			if (l == QR_BT || l == QR_IT) {
				if (wa + i < t0)
					t0 = wa + i;
				t1 = wa + i + 1;
			} else if (l == QR_BS) {
				uint32_t j = i + 1;
				while (j < len && sc.lab[j] == QR_IS)
					j++;
				uint32_t x0 = wa + i, x1 = wa + j;
				uint32_t dist = x1 <= c0 ? c0 - x1 : x0 >= c1 ? x0 - c1 : 0;
				if (dist < sdist) {
					sdist = dist;
					s0 = x0;
					s1 = x1;
				}
				i = j - 1;
			}
		}
		if (t0 == UINT32_MAX)
			continue;
		/* the quotation quote_before_window took ends the content: the
		 * speaker and cue after it are the frame */
		if (wa < wq && t0 < wq && t1 > wq)
			t1 = wq;
		while (t0 < t1 && (!content_tok_ok(&t->v[t0]) ||
				   (sc.lab[t0 - wa] != QR_BT && sc.lab[t0 - wa] != QR_IT)))
			t0++;
		while (t1 > t0 && (is_trim(&t->v[t1 - 1]) || t->v[t1 - 1].type == TOK_BULLET ||
				   (sc.lab[t1 - 1 - wa] != QR_BT && sc.lab[t1 - 1 - wa] != QR_IT)))
			t1--;
		if (t0 >= t1)
			continue;
		/* `told her, "..."`: a quotation introduced by a comma or colon
		 * after a few words is the content, not those words */
		if (!d.inq[t0])
			for (uint32_t i = t0; i + 1 < t1 && i < t0 + 4; i++) {
				if (d.inq[i])
					break;
				if ((t->v[i].type == TOK_COMMA || t->v[i].type == TOK_COLON) &&
				    d.inq[i + 1] == 2 && d.q_end[d.qspan[i + 1]] + 1 >= t1 &&
				    !(c0 > i && c0 < t1) && !intro_goes_on(&d, t0, i)) {
					t0 = i + 2;
					break;
				}
			}
		/* `"A," Clinton said, answering a question`: content that holds the
		 * speaker and cue, quoted before them and without a quotation
		 * mark after them, ends before them (PolNeAR leaves the trailing
		 * clause out); so does one where `adding` opens what follows them
		 * (`"A," he said, adding that "B"`: B is an attribution of its own) */
		if (c0 > t0 && c0 < t1) {
			uint32_t lo = c0, hi = c1;
			if (sdist != UINT32_MAX && s0 > t0 && s0 < lo)
				lo = s0;
			if (sdist != UINT32_MAX && s1 > hi && s1 <= t1)
				hi = s1;
			int qb = 0, qa = 0, adding = 0;
			for (uint32_t i = t0; i < lo && !qb; i++)
				qb = d.inq[i] != 0;
			for (uint32_t i = hi; i < t1 && !qa; i++) {
				/* a quotation after them counts when it opens
				 * right there, after punctuation or after and,
				 * but, or, that, still; one opened by another
				 * word is a title or a phrase (`said on the
				 * podcast "Here's the Thing"`) */
				adding |= word_lit(text, &t->v[i], "adding");
				const tok_token *pw = &t->v[i - 1];
				if (d.inq[i] == 2 && i > hi && tok_is_wordlike(pw->type) &&
				    text[pw->off + pw->len - 1] != '.' && !word_lit(text, pw, "and") &&
				    !word_lit(text, pw, "but") && !word_lit(text, pw, "or") &&
				    !word_lit(text, pw, "that") && !word_lit(text, pw, "still")) {
					i = d.q_end[d.qspan[i]] - 1;
					continue;
				}
				qa = d.inq[i] != 0;
			}
			if (qb && (!qa || adding)) {
				t1 = lo;
				while (t1 > t0 && (is_trim(&t->v[t1 - 1]) ||
						   t->v[t1 - 1].type == TOK_BULLET))
					t1--;
			} else if (!qb && qa) {
				/* `Asked about it, Ryan said, "A."`: unquoted words
				 * before the speaker and cue, and a quotation that
				 * opens capitalized after them and a comma or colon
				 * and runs to the end: the content is that quotation
				 * (`In other words, he said, "the era ..."` keeps its
				 * start: the quotation goes on with the sentence) */
				uint32_t x = hi;
				while (x < t1 && x < hi + 2 &&
				       (t->v[x].type == TOK_COMMA || t->v[x].type == TOK_COLON))
					x++;
				uint32_t w = x + 1;
				while (w < t1 && tok_is_break(t->v[w].type))
					w++;
				if (x > hi && x + 1 < t1 && d.inq[x] == 2 &&
				    d.q_end[d.qspan[x]] + 1 >= t1 && w < t1 &&
				    (d.shp[w] == QS_CAP || d.shp[w] == QS_UPPER))
					t0 = x;
			}
		}
		/* `"A," X said. "B."` in one paragraph: content that ends at a
		 * quotation right before its speaker and cue runs on to the end of
		 * the quotation that opens the next sentence (PolNeAR's hull),
		 * unless a cue of its own follows that one */
		if (c0 >= t1) {
			uint32_t lo = c0, hi = c1, x = t1, qe = 0;
			if (sdist != UINT32_MAX && s0 >= t1 && s0 < lo)
				lo = s0;
			if (sdist != UINT32_MAX && s1 > hi)
				hi = s1;
			for (; x < lo && x < t1 + 3; x++) {
				if (d.inq[x] == 3) {
					qe = x + 1;
					break;
				}
				if (!is_trim(&t->v[x]) && t->v[x].type != TOK_PERIOD &&
				    t->v[x].type != TOK_QUESTION && t->v[x].type != TOK_EXCLAIM)
					break;
			}
			if (qe && (lo == qe || (lo == qe + 1 && t->v[qe].type == TOK_COMMA))) {
				x = hi;
				while (x < t->n && x < hi + 12 && tok_is_wordlike(t->v[x].type) &&
				       !d.inq[x])
					x++;
				/* the quotation may open the next paragraph when it
				 * fills that paragraph (a cue-less quote paragraph
				 * goes on with the speaker) */
				uint32_t z = x + 1;
				while (z < t->n && z < x + 4 && tok_is_break(t->v[z].type))
					z++;
				if (z < t->n && t->v[x].type == TOK_PERIOD && d.inq[z] == 2 &&
				    d.qspan[z] >= 0 &&
				    (z == x + 1 || d.q_end[d.qspan[z]] >= t->n ||
				     tok_is_break(t->v[d.q_end[d.qspan[z]]].type))) {
					uint32_t k2 = (uint32_t)d.qspan[z];
					/* bounded: no walk over a long chain per cue */
					for (uint32_t st = 0; st < 8 && d.q_cont[k2] && k2 + 1 < d.nq;
					     st++)
						k2++;
					uint32_t e2 = d.q_end[k2], own = 0;
					for (uint32_t y = e2; y < t->n && y < e2 + 4 && !own &&
							      !tok_is_break(t->v[y].type);
					     y++)
						own = cuetok[y];
					if (!own && e2 > x + 2) {
						t1 = e2;
						while (t1 > x + 2 && (is_trim(&t->v[t1 - 1]) ||
								      t->v[t1 - 1].type == TOK_BULLET))
							t1--;
					}
				}
			}
		}
		/* `... "smash all challenges," state media reported`: words after
		 * a closing quotation and comma that run on into the next clause
		 * are not content */
		if (t1 < t->n && tok_is_wordlike(t->v[t1].type)) {
			uint32_t x = t1;
			while (x > t0 && x + 3 > t1 && tok_is_wordlike(t->v[x - 1].type))
				x--;
			if (x > t0 + 2 && x < t1 &&
			    ((t->v[x - 1].type == TOK_COMMA && d.inq[x - 2] == 3) ||
			     (d.inq[x - 1] == 3 && t->v[x - 2].type == TOK_COMMA)))
				t1 = x - 2;
		}
		/* `X criticized the plan and said Y`, `..., calling it Y`: content
		 * after its cue ends before a later cue that `and` or a comma
		 * opens (that one has content of its own) */
		if (c1 <= t0) {
			for (uint32_t x = t0 + 2; x < t1; x++) {
				if (!cuetok[x] || !(d.lexf[x] & QL_VERB) || cuetok[x - 1])
					continue;
				uint32_t y = x - 1;
				if (t->v[y].type != TOK_COMMA && !word_lit(text, &t->v[y], "and") &&
				    !word_lit(text, &t->v[y], "but")) {
					/* `..., Beck said, "A"`: a later speaker and cue
					 * that introduce a quotation after a comma */
					if (x + 2 >= t1 ||
					    (t->v[x + 1].type != TOK_COMMA &&
					     t->v[x + 1].type != TOK_COLON) ||
					    d.inq[x + 2] != 2)
						continue;
					while (y > t0 + 1 && y + 6 > x && t->v[y].type != TOK_COMMA &&
					       !d.inq[y])
						y--;
					if (t->v[y].type != TOK_COMMA)
						continue;
				}
				while (y > t0 && (is_trim(&t->v[y - 1]) || t->v[y - 1].type == TOK_COMMA))
					y--;
				if (y > t0)
					t1 = y;
				break;
			}
		}
		if (c1 <= t0)
			t1 = run_on_after_quote(&d, cuetok, t0, t1);
		if (c1 <= t0)
			t1 = run_on_and_that(&d, cuetok, t0, t1);
		if (c1 <= t0)
			t1 = headline_colon_content(&d, c0, c1, t0, t1);
		if (sdist != UINT32_MAX && t0 < s0 && s0 < c0 && c1 < t1)
			t0 = interrupted_clause_start(&d, cuetok, t0, s0, c1);
		t0 = skip_opening_conj(&d, t0, t1);
		if (c1 <= t0 && t0 <= c1 + 1 && cue_is_tell(q, &d, c0, c1))
			t0 = past_addressee(&d, cuetok, t0, t1);
		/* "said Friday", "said via email": the cue is the verb */
		while (c1 > c0 + 1 && (weekday_of(text, &t->v[c1 - 1]) >= 0 ||
				       word_lit(text, &t->v[c1 - 1], "today") ||
				       word_lit(text, &t->v[c1 - 1], "yesterday") ||
				       word_lit(text, &t->v[c1 - 1], "tonight")))
			c1--;
		if (c1 > c0 + 2 && word_lit(text, &t->v[c1 - 1], "email") &&
		    word_lit(text, &t->v[c1 - 2], "via"))
			c1 -= 2;
		quote_attr *r = &res[nr++];
		memset(r, 0, sizeof *r);
		set_content(r, &d, t, t0, t1);
		uint32_t nin = 0, nout = 0;
		/* a quote split by its attribution ("A," X said on Monday. "B."):
		 * the words between the two quotations are the frame, not content */
		uint32_t g0 = c0, g1 = c0;
		if (t0 < c0 && c1 < t1 && d.inq[t0] && d.inq[t1 - 1]) {
			while (g0 > t0 && !d.inq[g0 - 1])
				g0--;
			g1 = c1;
			while (g1 < t1 && !d.inq[g1])
				g1++;
		}
		for (uint32_t i = t0; i < t1; i++) {
			if (!tok_is_wordlike(t->v[i].type) || (i >= c0 && i < c1) ||
			    (i >= g0 && i < g1) ||
			    (sdist != UINT32_MAX && i >= s0 && i < s1))
				continue;
			if (d.inq[i])
				nin++, covered[d.qspan[i]] = 1;
			else
				nout++;
		}
		r->kind = (uint8_t)(nin && !nout ? QUOTE_DIRECT : nin ? QUOTE_MIXED : QUOTE_INDIRECT);
		set_cue(r, t, c0, c1);
		r->cue_lemma = lemma_str(q, d.lex[c0]);
		r->spk_entity = -1;
		if (sdist != UINT32_MAX) {
			while (s1 > s0 && (t->v[s1 - 1].type == TOK_COMMA || tok_is_quote(t->v[s1 - 1].type)))
				s1--;
			fix_source(&d, c0, c1, s0, &s1);
			/* a middle initial or title is no end: "Julie A. Diaz", "Mr. Obama" */
			while (s1 > s0 && s1 + 1 < t->n &&
			       ((t->v[s1 - 1].len == 1 && (t->v[s1 - 1].flags & TOKF_UPPER)) ||
				is_title_abbr(text, &t->v[s1 - 1])) &&
			       t->v[s1].type == TOK_PERIOD &&
			       d.shp[s1 + 1] == QS_CAP && !(s1 + 1 >= c0 && s1 + 1 < c1)) {
				s1 += 2;
				while (s1 < t->n && d.shp[s1] == QS_CAP && !(s1 >= c0 && s1 < c1) &&
				       s1 < s0 + 12)
					s1++;
			}
			if (s1 > s0) {
				set_speaker(r, &d, t, s0, s1);
			}
		}
		/* "X sent a message to Y and said ...": the speaker of a verb joined
		 * by "and" is the subject of the sentence, not Y */
		if (r->has_speaker && c0 > 0 && word_lit(text, &t->v[c0 - 1], "and") && s0 > 0) {
			uint32_t x = s0;
			while (x > 0 && x + 4 > s0 && (t->v[x - 1].flags & TOKF_CAP))
				x--; /* "to Russian President Vladimir Putin" */
			if (x > 0 && is_preposition(text, &t->v[x - 1]))
				(void)sentence_subject(&d, c0, r);
		}
		if (!r->has_speaker && after_speech_noun(text, t, c0))
			r->has_speaker = (uint8_t)sentence_subject(&d, c0, r);
		/* no speaker found: a name or pronoun just before the cue, past at
		 * most three lower-case words ("Putin was overheard telling") */
		if (!r->has_speaker && c0 > 0 && r->kind != QUOTE_INDIRECT)
			near_speaker(&d, c0, r);
		/* "X said ..., adding ...", "X did ... and (but) said ...": a cue without a
		 * speaker of its own takes the speaker of the attribution before it
		 * in the same sentence */
		if (!r->has_speaker && c0 > 0 &&
		    (t->v[c0 - 1].type == TOK_COMMA || word_lit(text, &t->v[c0 - 1], "and") ||
		     word_lit(text, &t->v[c0 - 1], "but"))) {
			for (uint32_t x = nr - 1; x-- > 0;) {
				if (rsent[x] != d.sid[c0])
					break;
				if (res[x].has_speaker) {
					r->has_speaker = 1;
					r->spk_off = res[x].spk_off;
					r->spk_len = res[x].spk_len;
					r->spk_entity = res[x].spk_entity;
					break;
				}
			}
			/* "X marked the day, saying ...": the subject of the sentence */
			/* "X sent a message and said ...": the subject of the sentence */
			const tok_token *ct = &t->v[c0];
			if (!r->has_speaker &&
			    ((t->v[c0 - 1].type == TOK_COMMA && ct->len > 4 &&
			      memcmp(text + ct->off + ct->len - 3, "ing", 3) == 0) ||
			     word_lit(text, &t->v[c0 - 1], "and") ||
			     word_lit(text, &t->v[c0 - 1], "but")))
				r->has_speaker = (uint8_t)sentence_subject(&d, c0, r);
		}
		rsent[nr - 1] = d.sid[c0];
		int64_t day;
		/* the cue's sentence, at most 64 tokens either side of the cue */
		uint32_t wsa = s->n ? s->v[d.sid[c0]].first : 0;
		uint32_t wsb = s->n ? s->v[d.sid[c0]].first + s->v[d.sid[c0]].n : t->n;
		if (c0 > wsa + 64)
			wsa = c0 - 64;
		if (wsb > c0 + 64)
			wsb = c0 + 64;
		if (when_in(text, t, d.wh, wbits, wsa, wsb, c0, t0, t1, have_date, rdate, &day)) {
			int y;
			unsigned m, dd;
			civil_from_days(day, &y, &m, &dd);
			if (y > 0 && y < 10000) {
				r->has_when = 1;
				r->when_y = (uint16_t)y;
				r->when_m = (uint8_t)m;
				r->when_d = (uint8_t)dd;
			}
		}
	}
	/* 3. a quotation signed with a dash: “...” ― Name, or on the next line */
	for (uint32_t k = 0; k < d.nq; k++) {
		uint32_t qa = d.q_first[k], qb = d.q_end[k];
		if (covered[k] || qb < qa + 3 || d.inq[qb - 1] != 3 ||
		    (t->v[qa].flags & TOKF_SINGLE))
			continue;
		uint32_t j = qb;
		while (j < t->n && t->v[j].type == TOK_PERIOD)
			j++;
		/* or on a line of its own after a quotation that opens its
		 * line: "..."\n\n- Bernie Sanders. */
		if (j < t->n && tok_is_break(t->v[j].type) && (t->v[qa].flags & TOKF_LINE)) {
			j++;
			if (j < t->n && tok_is_break(t->v[j].type))
				j++;
			if (j < t->n && t->v[j].type != TOK_DASH && t->v[j].type != TOK_BULLET)
				continue;
		}
		if (j + 1 >= t->n || (t->v[j].type != TOK_DASH && t->v[j].type != TOK_BULLET) ||
		    d.shp[j + 1] != QS_CAP)
			continue;
		uint32_t ne = j + 1;
		while (ne < t->n && ne < j + 10 &&
		       (d.shp[ne] == QS_CAP || d.shp[ne] == QS_UPPER ||
			(t->v[ne].type == TOK_ABBR && (t->v[ne].flags & TOKF_CAP)) ||
			/* the period of a middle initial: "Julie A. Diaz" */
			(t->v[ne].type == TOK_PERIOD && t->v[ne - 1].len == 1 && ne + 1 < t->n &&
			 d.shp[ne + 1] == QS_CAP)))
			ne++;
		/* the name ends its line */
		if (ne < t->n && !tok_is_break(t->v[ne].type) && t->v[ne].type != TOK_PERIOD &&
		    t->v[ne].type != TOK_COMMA)
			continue;
		uint32_t t0 = qa + 1, t1 = qb - 1;
		while (t1 > t0 && is_trim(&t->v[t1 - 1]))
			t1--;
		if (t1 <= t0)
			continue;
		quote_attr *r = &res[nr];
		memset(r, 0, sizeof *r);
		set_content(r, &d, t, t0, t1);
		r->kind = QUOTE_DIRECT;
		set_cue(r, t, j, j + 1);
		set_speaker(r, &d, t, j + 1, ne);
		int64_t day;
		if (have_date &&
		    when_in(text, t, d.wh, wbits, t0, t0, t0, 0, 0, have_date, rdate, &day)) {
			int y;
			unsigned m, dd;
			civil_from_days(day, &y, &m, &dd);
			r->has_when = 1;
			r->when_y = (uint16_t)y;
			r->when_m = (uint8_t)m;
			r->when_d = (uint8_t)dd;
		}
		covered[k] = 1;
		nr++;
	}
	/* 4. transcripts: a paragraph opening with a name in capitals and a
	 * colon ("PENCE: Well, look, ...") is that speaker's */
	/* the first token and those after a paragraph break (d.qp lists the
	 * breaks), in order */
	for (uint32_t x = 0; x <= d.nqp; x++) {
		uint32_t i = 0;
		if (x > 0) {
			uint32_t p = d.qp[x - 1];
			if (t->v[p].type != TOK_PARA || p + 1 >= t->n)
				continue;
			i = p + 1;
		}
		if (!(t->v[i].flags & TOKF_LINE))
			continue;
		uint32_t j = i;
		if (j < t->n && tok_is_quote(t->v[j].type))
			j++;
		uint32_t n0 = j;
		while (j < t->n && j < n0 + 3 && tok_is_wordlike(t->v[j].type) &&
		       (t->v[j].flags & TOKF_UPPER) && t->v[j].len > 1)
			j++;
		if (j == n0 || j + 1 >= t->n || t->v[j].type != TOK_COLON ||
		    (d.ent[n0] & 7) == GAZ_LOC)
			continue; /* "MOSCOW:" is a dateline */
		int dup = cuetok[j];
		uint32_t t0 = j + 1, t1 = t0;
		while (t1 < t->n && t->v[t1].type != TOK_PARA)
			t1++;
		while (t1 > t0 && (is_trim(&t->v[t1 - 1])))
			t1--;
		if (dup || t1 <= t0 + 2)
			continue;
		quote_attr *r = &res[nr];
		memset(r, 0, sizeof *r);
		set_content(r, &d, t, t0, t1);
		r->kind = n0 > i ? QUOTE_DIRECT : QUOTE_INDIRECT;
		set_cue(r, t, j, j + 1);
		set_speaker(r, &d, t, n0, j);
		if (n0 > i && d.qspan[i] >= 0)
			covered[d.qspan[i]] = 1;
		nr++;
	}
	/* 5. a quotation that fills its paragraph, with no cue, goes on with
	 * the speaker of the quotation in the paragraph before it: as part of
	 * that content when it ends its paragraph, else as one of its own */
	qsort(res, nr, sizeof *res, cmp_attr);
	uint32_t nsorted = nr, pi = 0;
	const quote_attr *added = NULL;
	for (uint32_t k = 0; k < d.nq; k++) {
		uint32_t qa = d.q_first[k], qb = d.q_end[k], words = 0;
		if (covered[k] || (t->v[qa].flags & TOKF_SINGLE) || !(t->v[qa].flags & TOKF_LINE))
			continue;
		for (uint32_t i = qa; i < qb; i++)
			words += tok_is_wordlike(t->v[i].type);
		uint32_t qe = qb;
		while (qe < t->n && t->v[qe].type != TOK_PARA && !tok_is_wordlike(t->v[qe].type))
			qe++;
		if (words < 5 || (qe < t->n && t->v[qe].type != TOK_PARA))
			continue; /* something follows the quotation in its paragraph */
		while (pi < nsorted && res[pi].off < t->v[qa].off)
			pi++;
		const quote_attr *prev = pi ? &res[pi - 1] : NULL;
		if (added && added->off < t->v[qa].off && (!prev || added->off > prev->off))
			prev = added;
		if (!prev || !prev->has_speaker || prev->kind == QUOTE_INDIRECT)
			continue;
		uint32_t j = tok_at(t, prev->off + prev->len);
		if (j > qa || qa - j > 4096 || (uint16_t)(d.pc_para[qa] - d.pc_para[j]) > 1)
			continue; /* the speaker's quotation is not in the paragraph before */
		uint32_t t0 = qa + 1, t1 = qb;
		while (t1 > t0 && is_trim(&t->v[t1 - 1]))
			t1--;
		if (t1 <= t0)
			continue;
		/* when the speaker's content ends its paragraph, this one
		 * goes on with it: PolNeAR's content is the hull over both
		 * (18 times in 23 on train and dev where the two differ) */
		uint32_t w = j;
		while (w < qa && !tok_is_wordlike(t->v[w].type))
			w++;
		quote_attr *r = &res[nr];
		if (w == qa) {
			r = &res[prev - res];
			r->len = t->v[t1 - 1].off + t->v[t1 - 1].len - r->off;
		} else {
			*r = *prev;
			set_content(r, &d, t, t0, t1);
			r->kind = QUOTE_DIRECT;
			r->has_cue = 0;
			r->cue_off = r->cue_len = 0;
			r->cue_lemma = NULL;
			nr++;
		}
		covered[k] = 1;
		added = r;
	}
	/* 6. order by content start; of two that start together, the tighter
	 * (the inner attribution) first */
	qsort(res, nr, sizeof *res, cmp_attr);
	/* one content found twice (`said` and `:` in "X said: '...'"), with the
	 * same speaker or none: one attribution, its cue over both */
	uint32_t kept = 0;
	for (uint32_t x = 0; x < nr; x++) {
		quote_attr *k = kept ? &res[kept - 1] : NULL, *r = &res[x];
		if (r->len > QUOTE_MAX_BYTES)
			continue; /* a runaway quotation mark, not speech */
		if (k && k->off == r->off && k->len == r->len &&
		    (!k->has_speaker || !r->has_speaker ||
		     (k->spk_off < r->spk_off + r->spk_len && r->spk_off < k->spk_off + k->spk_len))) {
			if (!k->has_speaker && r->has_speaker) {
				k->has_speaker = 1;
				k->spk_off = r->spk_off;
				k->spk_len = r->spk_len;
				k->spk_entity = r->spk_entity;
			}
			if (k->has_cue && r->has_cue) {
				uint32_t lo = k->cue_off < r->cue_off ? k->cue_off : r->cue_off;
				uint32_t ke = k->cue_off + k->cue_len, re = r->cue_off + r->cue_len;
				uint32_t hi = ke > re ? ke : re;
				/* adjacent cues join ("said" + ":"), apart ones keep the first */
				uint32_t gap = ke <= r->cue_off ? r->cue_off - ke : re <= k->cue_off ? k->cue_off - re : 0;
				if (gap <= 1) {
					if (!k->cue_lemma)
						k->cue_lemma = r->cue_lemma;
					k->cue_off = lo;
					k->cue_len = hi - lo;
				}
			} else if (!k->has_cue && r->has_cue) {
				k->has_cue = 1;
				k->cue_off = r->cue_off;
				k->cue_len = r->cue_len;
				k->cue_lemma = r->cue_lemma;
			}
			continue;
		}
		res[kept++] = *r;
	}
	nr = kept;
	out->v = res;
	out->n = nr;
	return ERR_OK;
}
