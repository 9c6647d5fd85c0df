/* SPDX-License-Identifier: MIT */
/* The sentence splitter: one pass over the tokens. A sentence ends at
 *  - a terminal (. ? ! "...", or four dots) plus the closing quotes and
 *    brackets glued to it, when the next word starts a sentence
 *    (capitalized; after an abbreviation or an initial, only a common
 *    sentence starter, lists/sentence_starters.txt; after a title such as
 *    "Mr.", never; after a spaced ". . ." omission, never);
 *  - a paragraph break, always;
 *  - a single line break only after a headline (a title-case line without
 *    end punctuation, or any such line in a text whose lines are its
 *    paragraphs), a bullet item, a line holding only a URL, or a line
 *    ending in a colon; otherwise the line is hard-wrapped and the sentence
 *    goes on ("Kim Jong\nUn");
 *  - a bullet glyph or the next list enumerator ("2." after "1.") inside it.
 * Abbreviations come from lists/abbreviations.txt (kind t: titles, kind g:
 * the rest). Golden rules: tests/test_golden_rules.c. */
#include "sent.h"

#include <string.h>

#include "../pipeline/limits.h"

static const char *const abbrevs[] = {
#include "lists/abbreviations.inc"
};
static const char *const starters[] = {
#include "lists/sentence_starters.inc"
};
/* Lower-case words a title-case headline may hold. */
static const char *const small_words[] = {
	"a",   "about", "after", "against", "amid", "among", "an",  "and", "as",
	"at",  "by",    "for",   "from",    "in",   "into",  "is",  "of",  "off",
	"on",  "onto",  "or",    "over",    "per",  "than",  "the", "to",  "up",
	"via", "vs",    "with",
};

/* Compares bytes p[0, n) with the key of a list entry (up to a space). */
static int keycmp(const char *p, uint32_t n, const char *e)
{
	for (uint32_t k = 0; k < n; k++) {
		unsigned char a = (unsigned char)p[k], b = (unsigned char)e[k];
		if (b == 0 || b == ' ')
			return 1;
		if (a != b)
			return a < b ? -1 : 1;
	}
	return (e[n] == 0 || e[n] == ' ') ? 0 : -1;
}

/* Search of a list sorted by keycmp; returns the entry or NULL. A
 * branchless bisection (so no mispredicted branch per step) finds the
 * first entry whose first byte is not below the key's, then the entries
 * sharing the key's first byte are compared in order until one is not
 * below the key. */
static const char *lookup(const char *const *list, size_t cnt, const char *p, uint32_t n)
{
	if (n == 0 || cnt == 0)
		return n == 0 && cnt > 0 && keycmp(p, 0, list[0]) == 0 ? list[0] : NULL;
	unsigned char p0 = (unsigned char)p[0];
	const char *const *b = list;
	for (size_t len = cnt; len > 1;) {
		size_t half = len / 2;
		b = (unsigned char)b[half][0] < p0 ? b + half : b;
		len -= half;
	}
	b += (unsigned char)b[0][0] < p0;
	for (const char *const *end = list + cnt; b < end && (unsigned char)(*b)[0] == p0; b++) {
		int c = keycmp(p, n, *b);
		if (c <= 0)
			return c == 0 ? *b : NULL;
	}
	return NULL;
}

#define COUNT(a) (sizeof(a) / sizeof *(a))

/* No abbreviation is longer (tests/test_sent.c checks the list), so longer
 * words skip the search. */
#define ABBR_MAX_LEN 7

/* Token types the splitter must look at inside an open sentence; every
 * other token (words, commas, quotes...) only extends it, unless it starts
 * a line. */
static const uint8_t stops[256] = {
	[TOK_ABBR] = 1,     [TOK_HYPHWORD] = 1, [TOK_PERIOD] = 1, [TOK_QUESTION] = 1,
	[TOK_EXCLAIM] = 1,  [TOK_ELLIPSIS] = 1, [TOK_BULLET] = 1, [TOK_NL] = 1,
	[TOK_PARA] = 1,
};

/* Nonzero when the splitter must look at token t. */
static inline unsigned stop_at(const tok_token *t)
{
	return stops[t->type] | (t->flags & TOKF_LINE);
}

#define BIT(t) (1u << (t))
_Static_assert(TOK_TYPE_COUNT <= 32, "a token type is a bit of a uint32_t");

/* How strongly a token ends a sentence: T_STRONG before any capitalized
 * word; T_ELLIPSIS ("..." or "…") before a capitalized word but not a
 * number; T_ABBR only before a sentence starter or across a line break;
 * T_WEAK (a spaced ". . ." omission) only across a line break; T_TITLE
 * never before a word. */
typedef enum { T_NONE = 0, T_STRONG, T_ELLIPSIS, T_ABBR, T_TITLE, T_WEAK } term;

typedef struct {
	const char *text;
	const tok_token *v;
	uint32_t n;
	arena *a;
	sent_sentence *out;
	uint32_t cnt, cap;
	int has_para;   /* -1: not yet known */
	int line_paras; /* -1: not yet known; see lines_are_paras() */
	/* the open sentence */
	uint32_t first, flags, skip_until;
	int open;
	uint8_t en_kind, en_shape; /* enumerator at its start: 1 number, 2 letter */
	uint32_t en_val;
	/* paragraphs */
	uint32_t para;
	int new_para;
	err e;
} splitter;

static const tok_token *tk(const splitter *sp, uint32_t i)
{
	return &sp->v[i];
}

static int glued(const splitter *sp, uint32_t i, uint32_t j)
{
	return sp->v[i].off + sp->v[i].len == sp->v[j].off;
}

static int is_starter(const splitter *sp, uint32_t i)
{
	const tok_token *t = tk(sp, i);
	return tok_is_wordlike(t->type) &&
	       lookup(starters, COUNT(starters), sp->text + t->off, t->len) != NULL;
}

/* One code point of letters: an initial ("E", "I", "a"). */
static int single_letter(const splitter *sp, const tok_token *t)
{
	if (t->type != TOK_WORD || (t->flags & TOKF_DIGIT))
		return 0;
	if (t->len == 1)
		return 1;
	unsigned char b = (unsigned char)sp->text[t->off];
	return t->len <= 4 && (t->len == ((b >= 0xF0) ? 4u : (b >= 0xE0) ? 3u : (b >= 0xC0) ? 2u : 0u));
}

/* How strongly token i ends a sentence. */
static term terminal(const splitter *sp, uint32_t i)
{
	const tok_token *t = tk(sp, i);
	switch (t->type) {
	case TOK_QUESTION:
	case TOK_EXCLAIM:
		return T_STRONG;
	case TOK_ABBR:
	case TOK_HYPHWORD: /* "U.S.", "D-N.Y." */
		return sp->text[t->off + t->len - 1] == '.' ? T_ABBR : T_NONE;
	case TOK_ELLIPSIS: {
		uint32_t dots = 0, spaced = 0;
		for (uint32_t k = 0; k < t->len; k++) {
			unsigned char b = (unsigned char)sp->text[t->off + k];
			dots += b == '.' ? 1u : b == 0xA6 ? 3u : 0u; /* … is E2 80 A6 */
			spaced |= b == ' ';
		}
		if (i == sp->first)
			return T_NONE; /* it opens the sentence: ". . . The practice" */
		if (dots >= 4)
			return T_STRONG;
		/* ". . ." marks an omission inside a sentence, as does "[...]";
		 * a bare "..." or "…" in news mostly ends one */
		if (spaced || (i > 0 && tk(sp, i - 1)->type == TOK_OPEN && glued(sp, i - 1, i)))
			return T_WEAK;
		return T_ELLIPSIS;
	}
	case TOK_PERIOD:
		break;
	default:
		return T_NONE;
	}
	if (i == 0 || !glued(sp, i - 1, i))
		return T_STRONG;
	const tok_token *p = tk(sp, i - 1);
	const char *w = sp->text + p->off;
	uint32_t wl = p->len;
	if (p->type == TOK_HYPHWORD) {
		/* the part after the last hyphen: "D-Calif." */
		uint32_t k = wl;
		while (k > 0 && w[k - 1] != '-')
			k--;
		if (k == 0 || k == wl)
			return T_STRONG;
		w += k;
		wl -= k;
	} else if (p->type != TOK_WORD) {
		return T_STRONG;
	} else if (single_letter(sp, p)) {
		return T_ABBR;
	}
	if (wl > ABBR_MAX_LEN)
		return T_STRONG;
	const char *e = lookup(abbrevs, COUNT(abbrevs), w, wl);
	if (!e && (p->flags & TOKF_UPPER) && wl > 1) {
		/* "MR." in an all-caps line: look up "Mr" */
		char buf[ABBR_MAX_LEN];
		for (uint32_t k = 0; k < wl; k++) {
			char c = w[k];
			buf[k] = (char)(k > 0 && c >= 'A' && c <= 'Z' ? c + 32 : c);
		}
		e = lookup(abbrevs, COUNT(abbrevs), buf, wl);
	}
	if (!e)
		return T_STRONG;
	return e[wl + 1] == 't' ? T_TITLE : T_ABBR;
}

/* A list enumerator at i: "1." "1.)" "1)" "a." before a word, with space
 * (or a bullet) before it. Sets kind (1 number, 2 letter), shape, value and
 * the index of its last token; returns 0 when there is none. */
static int enumerator_at(const splitter *sp, uint32_t i, uint8_t *kind, uint8_t *shape,
			 uint32_t *val, uint32_t *last)
{
	const tok_token *t = tk(sp, i);
	uint32_t v = 0;
	if (t->type == TOK_NUM && t->len <= 3) {
		for (uint32_t k = 0; k < t->len; k++) {
			char c = sp->text[t->off + k];
			if (c < '0' || c > '9')
				return 0;
			v = v * 10 + (uint32_t)(c - '0');
		}
		*kind = 1;
	} else if (t->type == TOK_WORD && t->len == 1 && sp->text[t->off] >= 'a' &&
		   sp->text[t->off] <= 'z') {
		v = (uint32_t)(sp->text[t->off] - 'a' + 1);
		*kind = 2;
	} else {
		return 0;
	}
	if (i > 0 && glued(sp, i - 1, i) && tk(sp, i - 1)->type != TOK_BULLET)
		return 0;
	uint32_t j = i + 1;
	uint8_t sh = 0;
	if (j < sp->n && tk(sp, j)->type == TOK_PERIOD && glued(sp, i, j)) {
		sh = 1;
		if (j + 1 < sp->n && tk(sp, j + 1)->type == TOK_CLOSE && glued(sp, j, j + 1) &&
		    sp->text[tk(sp, j + 1)->off] == ')') {
			sh = 2;
			j++;
		}
	} else if (j < sp->n && tk(sp, j)->type == TOK_CLOSE && glued(sp, i, j) &&
		   sp->text[tk(sp, j)->off] == ')') {
		sh = 3;
	} else {
		return 0;
	}
	if (j + 1 >= sp->n || !tok_is_wordlike(tk(sp, j + 1)->type) || glued(sp, j, j + 1))
		return 0;
	if (*kind == 2 && (sh != 1 || !(tk(sp, j + 1)->flags & TOKF_CAP)))
		return 0;
	*shape = sh;
	*val = v;
	*last = j;
	return 1;
}

/* enumerator_at, called only for the tokens it does not refuse at once. */
static inline int enumerator(const splitter *sp, uint32_t i, uint8_t *kind, uint8_t *shape,
			     uint32_t *val, uint32_t *last)
{
	const tok_token *t = tk(sp, i);
	if (!((t->type == TOK_NUM && t->len <= 3) || (t->type == TOK_WORD && t->len == 1)))
		return 0;
	return enumerator_at(sp, i, kind, shape, val, last);
}

static int has_para(splitter *sp)
{
	if (sp->has_para < 0) {
		sp->has_para = 0;
		for (uint32_t i = 0; i < sp->n; i++)
			if (sp->v[i].type == TOK_PARA) {
				sp->has_para = 1;
				break;
			}
	}
	return sp->has_para;
}

/* Whether the text breaks lines only between paragraphs (most single line
 * breaks follow end punctuation), rather than hard-wrapping them. Then a
 * line without end punctuation before a capitalized line is a line of its
 * own (a headline or caption), whatever its case. */
static int lines_are_paras(splitter *sp)
{
	if (sp->line_paras < 0) {
		uint32_t nl = 0, ended = 0;
		for (uint32_t i = 1; i < sp->n; i++) {
			if (sp->v[i].type != TOK_NL)
				continue;
			uint8_t p = sp->v[i - 1].type;
			nl++;
			ended += p == TOK_PERIOD || p == TOK_QUESTION || p == TOK_EXCLAIM ||
				 p == TOK_ELLIPSIS || p == TOK_QUOTE_CLOSE || p == TOK_CLOSE ||
				 (p == TOK_ABBR && sp->text[sp->v[i - 1].off + sp->v[i - 1].len - 1] == '.');
		}
		sp->line_paras = nl >= 2 && ended * 10 >= nl * 6;
	}
	return sp->line_paras;
}

/* Whether a word starting a line or sentence at i looks like a sentence
 * start: after openers, a capitalized word, a number or a bullet. */
static int upperish(const splitter *sp, uint32_t i)
{
	while (i < sp->n && (tk(sp, i)->type == TOK_QUOTE_OPEN || tk(sp, i)->type == TOK_OPEN ||
			     tk(sp, i)->type == TOK_QUOTE_AMBIG))
		i++;
	if (i >= sp->n)
		return 0;
	const tok_token *t = tk(sp, i);
	if (t->type == TOK_BULLET || t->type == TOK_URL || t->type == TOK_NUM)
		return 1;
	return tok_is_wordlike(t->type) && !(t->flags & TOKF_LOWER) &&
	       ((t->flags & TOKF_CAP) || !(t->flags & TOKF_DIGIT));
}

/* Decides whether the sentence ends after token k, the last closer after a
 * terminal of strength s. *crossed tells whether a line break follows. */
static int ends(const splitter *sp, term s, uint32_t k, int *crossed)
{
	uint32_t nx = k + 1;
	*crossed = 0;
	while (nx < sp->n && tk(sp, nx)->type == TOK_NL) {
		*crossed = 1;
		nx++;
	}
	if (nx >= sp->n || tk(sp, nx)->type == TOK_PARA)
		return 1;
	uint32_t w = nx;
	while (w < sp->n && (tk(sp, w)->type == TOK_QUOTE_OPEN || tk(sp, w)->type == TOK_OPEN ||
			     tk(sp, w)->type == TOK_QUOTE_AMBIG))
		w++;
	if (w >= sp->n)
		return 1;
	const tok_token *t = tk(sp, w);
	if (t->type == TOK_BULLET)
		return 1;
	if (t->type == TOK_SYM)
		return s == T_STRONG;
	if (!tok_is_wordlike(t->type))
		return 0;
	if (t->flags & TOKF_CAP) {
		switch (s) {
		case T_STRONG:
		case T_ELLIPSIS:
			return 1;
		case T_ABBR:
			return *crossed || is_starter(sp, w);
		case T_WEAK:
			return *crossed;
		default:
			return 0;
		}
	}
	if (t->flags & TOKF_LOWER)
		return 0;
	if (t->type == TOK_NUM || (t->flags & TOKF_DIGIT)) {
		uint8_t kd, sh;
		uint32_t v, last;
		return s == T_STRONG && (*crossed || enumerator(sp, w, &kd, &sh, &v, &last));
	}
	return s == T_STRONG; /* letters without case */
}

/* Whether the line [ls, p] reads as a title-case headline. */
static int title_like(const splitter *sp, uint32_t ls, uint32_t p)
{
	uint32_t words = 0, caps = 0;
	for (uint32_t i = ls; i <= p; i++) {
		const tok_token *t = tk(sp, i);
		if (!tok_is_wordlike(t->type))
			continue;
		if (++words > 24)
			return 0;
		if (t->flags & (TOKF_CAP | TOKF_UPPER)) {
			caps++;
			continue;
		}
		if (t->type == TOK_NUM || !(t->flags & TOKF_LOWER))
			continue;
		if (!lookup(small_words, COUNT(small_words), sp->text + t->off, t->len))
			return 0;
	}
	return caps > 0;
}

/* Whether the single line break at i ends the open sentence; sets
 * *headline when the line before it is a headline. ls is where that line
 * starts. Terminal punctuation before it was already judged by ends(). */
static int nl_ends(splitter *sp, uint32_t i, uint32_t ls, int *headline)
{
	uint32_t p = i - 1, q = i + 1;
	*headline = 0;
	if (q >= sp->n || tok_is_break(tk(sp, q)->type))
		return 1;
	const tok_token *tp = tk(sp, p), *tq = tk(sp, q);
	if (tq->type == TOK_BULLET)
		return 1;
	if (tk(sp, ls)->type == TOK_BULLET && !(tq->flags & TOKF_LOWER))
		return 1;
	if (ls == p && (tp->type == TOK_URL || tp->type == TOK_EMAIL))
		return 1;
	if (tp->type == TOK_COLON)
		return upperish(sp, q) || tq->type == TOK_QUOTE_OPEN;
	if (tok_is_punct(tp->type) && tp->type != TOK_CLOSE && tp->type != TOK_QUOTE_CLOSE)
		return 0;
	if (ls == sp->first && upperish(sp, q) &&
	    (title_like(sp, ls, p) || lines_are_paras(sp))) {
		*headline = 1;
		return 1;
	}
	return 0;
}

/* "SEOUL, May 9 (UPI) --", "WASHINGTON (Reuters) -", "Moscow (AP) —":
 * place words (all caps, or capitalized with an agency in brackets), an
 * optional date, an optional agency, then a dash, within a few tokens. */
static int dateline(const splitter *sp, uint32_t i)
{
	uint32_t j = i, words = 0, upper = 0, agency = 0;
	while (j < sp->n && words < 4 && tok_is_wordlike(tk(sp, j)->type) &&
	       (tk(sp, j)->flags & TOKF_CAP)) {
		upper += (tk(sp, j)->flags & TOKF_UPPER) && tk(sp, j)->len > 1;
		words++;
		j++;
	}
	if (words == 0)
		return 0;
	/* types that end the search: a dash decides, the others say no */
	const uint32_t ends = BIT(TOK_DASH) | BIT(TOK_NL) | BIT(TOK_PARA) | BIT(TOK_QUESTION) |
			      BIT(TOK_EXCLAIM) | BIT(TOK_QUOTE_OPEN) | BIT(TOK_QUOTE_CLOSE) |
			      BIT(TOK_QUOTE_AMBIG) | BIT(TOK_SEMICOLON) | BIT(TOK_COLON);
	uint32_t lim = i + 16 < sp->n ? i + 16 : sp->n;
	for (; j < lim; j++) {
		uint32_t b = BIT(tk(sp, j)->type);
		agency |= (b & BIT(TOK_OPEN)) != 0;
		if (b & ends)
			return b == BIT(TOK_DASH) && (upper == words || agency);
	}
	return 0;
}

static int push(splitter *sp, uint32_t last, uint32_t flags)
{
	if (sp->cnt == sp->cap) {
		uint32_t ncap = sp->cap * 2;
		sent_sentence *nv = arena_realloc(sp->a, sp->out, (size_t)sp->cap * sizeof *nv,
						  (size_t)ncap * sizeof *nv);
		if (!nv) {
			sp->e = arena_over_cap(sp->a, (size_t)ncap * sizeof *nv) ? ERR_LIMIT : ERR_NOMEM;
			return 0;
		}
		sp->out = nv;
		sp->cap = ncap;
	}
	const tok_token *f = tk(sp, sp->first), *l = tk(sp, last);
	sp->out[sp->cnt++] = (sent_sentence){sp->first, last - sp->first + 1, f->off,
					     l->off + l->len - f->off, sp->para, flags};
	return 1;
}

/* Ends the open sentence at token last; headline adds SENT_HEADLINE. */
static void close_at(splitter *sp, uint32_t last, int headline)
{
	uint32_t fl = sp->flags;
	if (headline)
		fl |= SENT_HEADLINE;
	push(sp, last, fl);
	sp->open = 0;
}

static void open_at(splitter *sp, uint32_t i)
{
	sp->open = 1;
	sp->first = i;
	sp->flags = 0;
	sp->skip_until = 0;
	sp->en_kind = 0;
	/* a bullet item at the start of a line is a block of its own */
	if (tk(sp, i)->type == TOK_BULLET && (tk(sp, i)->flags & TOKF_LINE))
		sp->new_para = 1;
	if (sp->new_para) {
		if (sp->cnt > 0)
			sp->para++;
		sp->flags |= SENT_PARA;
		sp->new_para = 0;
	}
	uint32_t j = i;
	if (tk(sp, i)->type == TOK_BULLET) {
		sp->flags |= SENT_BULLET;
		j++;
	}
	uint32_t last;
	if (j < sp->n && enumerator(sp, j, &sp->en_kind, &sp->en_shape, &sp->en_val, &last))
		sp->skip_until = last;
	if ((tk(sp, i)->flags & TOKF_LINE) && dateline(sp, i))
		sp->flags |= SENT_DATELINE;
}

/* Whether a sentence that ends with token last, at a line break, stands on
 * its own line without end punctuation. */
static int bare_line(const splitter *sp, uint32_t last)
{
	if (!(tk(sp, sp->first)->flags & TOKF_LINE) || (sp->flags & SENT_BULLET))
		return 0;
	for (uint32_t k = sp->first; k < last; k++)
		if (tk(sp, k)->type == TOK_NL)
			return 0;
	/* the last word before closing quotes and brackets */
	while (last > sp->first && (tk(sp, last)->type == TOK_QUOTE_CLOSE ||
				    tk(sp, last)->type == TOK_CLOSE || tk(sp, last)->type == TOK_QUOTE_AMBIG))
		last--;
	uint8_t ty = tk(sp, last)->type;
	return tok_is_wordlike(ty) && ty != TOK_ABBR;
}

err sent_split(const char *text, const tok_list *t, arena *a, sent_list *out)
{
	out->v = NULL;
	out->n = 0;
	if (t->n == 0)
		return ERR_OK;
	splitter sp;
	memset(&sp, 0, sizeof sp);
	sp.text = text;
	sp.v = t->v;
	sp.n = t->n;
	sp.a = a;
	sp.has_para = -1;
	sp.line_paras = -1;
	sp.new_para = 1;
	sp.cap = t->n / 8 + 8;
	sp.out = arena_alloc_n(a, sent_sentence, sp.cap);
	if (!sp.out)
		return arena_over_cap(a, sp.cap * sizeof(sent_sentence)) ? ERR_LIMIT : ERR_NOMEM;
	uint32_t line_start = 0;
	for (uint32_t i = 0; i < sp.n && sp.e == ERR_OK; i++) {
		if (sp.open && !sp.en_kind) {
			/* fast path: skip what only extends the open sentence */
			uint32_t lim = sp.first + SENT_MAX_TOKENS - 1;
			if (lim > sp.n)
				lim = sp.n;
			const tok_token *q = sp.v + i, *end = sp.v + lim;
			while (end - q >= 4 && !(stop_at(q) | stop_at(q + 1) | stop_at(q + 2) | stop_at(q + 3)))
				q += 4;
			while (q < end && !stop_at(q))
				q++;
			i = (uint32_t)(q - sp.v);
			if (i >= sp.n)
				break;
		}
		const tok_token *tok = tk(&sp, i);
		if (tok_is_break(tok->type)) {
			if (tok->type == TOK_PARA) {
				if (sp.open) {
					uint32_t last = i - 1;
					while (last > sp.first && tok_is_break(tk(&sp, last)->type))
						last--;
					close_at(&sp, last, bare_line(&sp, last));
				}
				sp.new_para = 1;
			} else if (sp.open) {
				int headline;
				if (nl_ends(&sp, i, line_start < sp.first ? sp.first : line_start, &headline)) {
					close_at(&sp, i - 1, headline || bare_line(&sp, i - 1));
					sp.new_para = 1;
				}
			}
			continue;
		}
		if (tok->flags & TOKF_LINE)
			line_start = i;
		if (sp.open && i > sp.skip_until) {
			uint8_t kd, sh;
			uint32_t v, last;
			if ((tok->type == TOK_BULLET && !(tok->flags & TOKF_ASCII)) ||
			    (sp.en_kind && enumerator(&sp, i, &kd, &sh, &v, &last) && kd == sp.en_kind &&
			     sh == sp.en_shape && v == sp.en_val + 1)) {
				uint32_t end = i - 1;
				while (end > sp.first && tok_is_break(tk(&sp, end)->type))
					end--;
				close_at(&sp, end, 0);
			}
		}
		if (!sp.open)
			open_at(&sp, i);
		if (i - sp.first + 1 >= SENT_MAX_TOKENS) {
			close_at(&sp, i, 0);
			continue;
		}
		if (i <= sp.skip_until && sp.skip_until)
			continue;
		term s = terminal(&sp, i);
		if (s == T_NONE)
			continue;
		uint32_t k = i;
		if (tok->type == TOK_PERIOD && i + 1 < sp.n && tk(&sp, i + 1)->type == TOK_ELLIPSIS) {
			/* "end. . . . The": the period ends it, the ellipsis starts the next */
			uint32_t w = i + 2;
			if (w < sp.n && tok_is_wordlike(tk(&sp, w)->type) && (tk(&sp, w)->flags & TOKF_CAP))
				close_at(&sp, i, 0);
			continue;
		}
		while (k + 1 < sp.n && glued(&sp, k, k + 1) &&
		       (tk(&sp, k + 1)->type == TOK_QUOTE_CLOSE || tk(&sp, k + 1)->type == TOK_CLOSE ||
			tk(&sp, k + 1)->type == TOK_QUOTE_AMBIG))
			k++;
		int crossed;
		if (ends(&sp, s, k, &crossed)) {
			close_at(&sp, k, 0);
			if (crossed && (!has_para(&sp) || (k + 2 < sp.n && (tk(&sp, k + 2)->flags & TOKF_SPACE))))
				sp.new_para = 1;
			i = k;
		}
	}
	if (sp.e == ERR_OK && sp.open) {
		uint32_t last = sp.n - 1;
		while (last > sp.first && tok_is_break(tk(&sp, last)->type))
			last--;
		close_at(&sp, last, bare_line(&sp, last));
	}
	if (sp.e != ERR_OK)
		return sp.e;
	out->v = sp.out;
	out->n = sp.cnt;
	return ERR_OK;
}
