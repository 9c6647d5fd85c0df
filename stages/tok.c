/* SPDX-License-Identifier: MIT */
/* The tokenizer: one left-to-right pass over the UTF-8 bytes. ASCII bytes
 * are classified by a static byte table and never leave the fast path;
 * only a byte >= 0x80 is decoded (U8_NEXT) and classified with ICU's
 * character properties. Departures from UAX #29 word breaks, all on
 * purpose and pinned by tests/spec/tok.txt:
 * - a clitic or possessive 's / ’s is its own TOK_POSS ("Russia’s",
 *   "he's"); other contractions stay one WORD ("don't", "we’re", "I'm",
 *   "O'Brien"), so a pronoun speaker is still one token before 's;
 * - letters with inner periods are one TOK_ABBR with the final period
 *   ("U.S.", "a.m."); "Mr." is WORD + PERIOD and the splitter decides;
 * - quotation marks are opened or closed by context (space on one side,
 *   a word on the other) before their glyph, so „…“ and ”…” typed as
 *   openers come out right; a trailing ' or ’ after an s is TOK_APOS
 *   unless a single quote is open in the paragraph; '' and `` are one
 *   double quotation mark;
 * - a period glued to a word before a spaced ellipsis ("end. . . .") is a
 *   PERIOD of its own, followed by the ELLIPSIS (". . .", spaces inside);
 * - bullet glyphs (• ▪ ‣ ⁃ ◦ ●) are TOK_BULLET anywhere; - * · only at the
 *   start of a line before a space.
 * Runs of ASCII letters and digits are skipped 16 bytes at a time (SSE2);
 * every look-ahead is bounded (limits.h), so the scan is linear. */
#include "tok.h"

#include <stddef.h>
#include <string.h>

#include "../pipeline/limits.h"
#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#include <unicode/uchar.h>
#include <unicode/utf8.h>

/* The hot loop's helpers are inlined where it calls them, twice or not. */
#if defined(__GNUC__)
#define ALWAYS_INLINE inline __attribute__((always_inline))
#else
#define ALWAYS_INLINE inline
#endif

static const char *const tok_type_names[TOK_TYPE_COUNT] = {
	[TOK_WORD] = "WORD", [TOK_HYPHWORD] = "HYPHWORD", [TOK_ABBR] = "ABBR",
	[TOK_NUM] = "NUM", [TOK_URL] = "URL", [TOK_EMAIL] = "EMAIL", [TOK_SYM] = "SYM",
	[TOK_PERIOD] = "PERIOD", [TOK_QUESTION] = "QUESTION", [TOK_EXCLAIM] = "EXCLAIM",
	[TOK_ELLIPSIS] = "ELLIPSIS", [TOK_COMMA] = "COMMA", [TOK_COLON] = "COLON",
	[TOK_SEMICOLON] = "SEMICOLON", [TOK_DASH] = "DASH", [TOK_OPEN] = "OPEN",
	[TOK_CLOSE] = "CLOSE", [TOK_BULLET] = "BULLET", [TOK_APOS] = "APOS",
	[TOK_POSS] = "POSS", [TOK_PUNCT] = "PUNCT", [TOK_QUOTE_OPEN] = "QUOTE_OPEN",
	[TOK_QUOTE_CLOSE] = "QUOTE_CLOSE", [TOK_QUOTE_AMBIG] = "QUOTE_AMBIG",
	[TOK_NL] = "NL", [TOK_PARA] = "PARA",
};

const char *tok_type_name(tok_type t)
{
	return (unsigned)t < TOK_TYPE_COUNT ? tok_type_names[t] : "?";
}

/* ASCII byte classes (bits). HI marks every byte >= 0x80. */
enum {
	B_UP = 1u << 0,
	B_LO = 1u << 1,
	B_DIG = 1u << 2,
	B_SP = 1u << 3, /* whitespace other than \n, and control bytes */
	B_HI = 1u << 4,
	B_URL = 1u << 5,  /* may appear inside a URL */
	B_MAIL = 1u << 6, /* may appear in the local part of an e-mail address */
	B_END = 1u << 7,  /* always ends an ASCII word: space, \n, brackets, "!?; */
	B_ALNUM = B_UP | B_LO | B_DIG,
};

#define U_ B_UP | B_URL | B_MAIL
#define L_ B_LO | B_URL | B_MAIL
#define D_ B_DIG | B_URL | B_MAIL
#define S_ B_SP | B_END
#define P_ B_URL
#define Q_ B_URL | B_END
#define E_ B_END
#define M_ B_URL | B_MAIL
#define H_ B_HI
static const uint8_t bcls[256] = {
	/* 0x00 */ S_, S_, S_, S_, S_, S_, S_, S_, S_, S_, E_, S_, S_, S_, S_, S_,
	/* 0x10 */ S_, S_, S_, S_, S_, S_, S_, S_, S_, S_, S_, S_, S_, S_, S_, S_,
	/* 0x20  sp  !   "  #   $   %   &   '   (   )   *   +   ,   -   .   / */
	S_, Q_, E_, Q_, Q_, M_, P_, 0, Q_, Q_, Q_, M_, P_, M_, M_, P_,
	/* 0x30 */ D_, D_, D_, D_, D_, D_, D_, D_, D_, D_,
	/* : ; < = > ? @ */ P_, Q_, E_, Q_, E_, Q_, P_,
	/* 0x41 */ U_, U_, U_, U_, U_, U_, U_, U_, U_, U_, U_, U_, U_, U_, U_,
	/* 0x50 */ U_, U_, U_, U_, U_, U_, U_, U_, U_, U_, U_,
	/* [ \ ] ^ _ ` */ Q_, E_, Q_, E_, M_, E_,
	/* 0x61 */ L_, L_, L_, L_, L_, L_, L_, L_, L_, L_, L_, L_, L_, L_, L_,
	/* 0x70 */ L_, L_, L_, L_, L_, L_, L_, L_, L_, L_, L_,
	/* { | } ~ DEL */ E_, E_, E_, Q_, S_,
	H_, H_, H_, H_, H_, H_, H_, H_, H_, H_, H_, H_, H_, H_, H_, H_,
	H_, H_, H_, H_, H_, H_, H_, H_, H_, H_, H_, H_, H_, H_, H_, H_,
	H_, H_, H_, H_, H_, H_, H_, H_, H_, H_, H_, H_, H_, H_, H_, H_,
	H_, H_, H_, H_, H_, H_, H_, H_, H_, H_, H_, H_, H_, H_, H_, H_,
	H_, H_, H_, H_, H_, H_, H_, H_, H_, H_, H_, H_, H_, H_, H_, H_,
	H_, H_, H_, H_, H_, H_, H_, H_, H_, H_, H_, H_, H_, H_, H_, H_,
	H_, H_, H_, H_, H_, H_, H_, H_, H_, H_, H_, H_, H_, H_, H_, H_,
	H_, H_, H_, H_, H_, H_, H_, H_, H_, H_, H_, H_, H_, H_, H_, H_,
};
#undef U_
#undef L_
#undef D_
#undef S_
#undef P_
#undef Q_
#undef E_
#undef M_
#undef H_

/* Context classes of ASCII bytes around a quotation mark: A_WORDISH starts
 * a word-ish thing (letter, digit, ( [ $ # ' `), A_SPACEISH is space, a
 * line end or closing punctuation (. , ; : ! ? ) ] } > - ' "). A_DOT: . , /
 * end a word when no letter or digit follows. Bytes >= 0x80 have none. */
enum { A_WORDISH = 1u << 0, A_SPACEISH = 1u << 1, A_DOT = 1u << 2 };
#define W_ A_WORDISH
#define Z_ A_SPACEISH
#define D_ A_DOT
static const uint8_t actx[256] = {
	/* 0x00 */ Z_, Z_, Z_, Z_, Z_, Z_, Z_, Z_, Z_, Z_, Z_, Z_, Z_, Z_, Z_, Z_,
	/* 0x10 */ Z_, Z_, Z_, Z_, Z_, Z_, Z_, Z_, Z_, Z_, Z_, Z_, Z_, Z_, Z_, Z_,
	/* 0x20  sp  !   "   #   $   %  &  '       (   )   *  +  ,   -   .   / */
	Z_, Z_, Z_, W_, W_, 0, 0, W_ | Z_, W_, Z_, 0, 0, Z_ | D_, Z_, Z_ | D_, D_,
	/* 0x30 */ W_, W_, W_, W_, W_, W_, W_, W_, W_, W_,
	/* : ; < = > ? @ */ Z_, Z_, 0, 0, Z_, Z_, 0,
	/* 0x41 */ W_, W_, W_, W_, W_, W_, W_, W_, W_, W_, W_, W_, W_, W_, W_,
	/* 0x50 */ W_, W_, W_, W_, W_, W_, W_, W_, W_, W_, W_,
	/* [ \ ] ^ _ ` */ W_, 0, Z_, 0, 0, W_,
	/* 0x61 */ W_, W_, W_, W_, W_, W_, W_, W_, W_, W_, W_, W_, W_, W_, W_,
	/* 0x70 */ W_, W_, W_, W_, W_, W_, W_, W_, W_, W_, W_,
	/* { | } ~ DEL */ 0, 0, Z_, 0, Z_,
};
#undef W_
#undef Z_
#undef D_

/* Classes of a code point >= 0x80. */
typedef enum {
	U_UP,    /* upper or title case letter */
	U_LO,    /* lower case letter */
	U_LET,   /* other letter (no case), modifier letter */
	U_MARK,  /* combining mark: continues a word */
	U_DIG,   /* decimal digit */
	U_IGN,   /* format character: soft hyphen, ZWJ, BOM; no token */
	U_SPACE, /* white space */
	U_NL,    /* line break: NEL, LINE SEPARATOR */
	U_PARA,  /* PARAGRAPH SEPARATOR */
	U_HYPH,  /* hyphen that may join a word (U+2010, U+2011) */
	U_RSQ,   /* ’: apostrophe or closing single quote */
	U_TOK,   /* a one-code-point token of type *ty */
	U_QUOTE, /* a quotation mark: *ty is its glyph default, *single set */
	U_DOTS,  /* … */
	U_BAD,   /* invalid UTF-8 */
} ucls;

static ucls classify(UChar32 c, uint8_t *ty, int *single, int line_start)
{
	*single = 0;
	switch (c) {
	case 0x2019:
		*single = 1;
		return U_RSQ;
	case 0x2018: case 0x201A: case 0x201B: case 0x2039:
		*single = 1;
		*ty = TOK_QUOTE_OPEN;
		return U_QUOTE;
	case 0x203A:
		*single = 1;
		*ty = TOK_QUOTE_CLOSE;
		return U_QUOTE;
	case 0x201C: case 0x201E: case 0x201F: case 0x00AB: case 0x300C: case 0x300E:
		*ty = TOK_QUOTE_OPEN;
		return U_QUOTE;
	case 0x201D: case 0x00BB: case 0x300D: case 0x300F:
		*ty = TOK_QUOTE_CLOSE;
		return U_QUOTE;
	case 0x2026:
		return U_DOTS;
	case 0x2022: case 0x2023: case 0x2043: case 0x25AA: case 0x25AB: case 0x25CF:
	case 0x25E6: case 0x25A0: case 0x25A1: case 0x25BA: case 0x27A2: case 0x2794:
		*ty = TOK_BULLET;
		return U_TOK;
	case 0x00B7:
		*ty = line_start ? TOK_BULLET : TOK_PUNCT;
		return U_TOK;
	case 0x2010: case 0x2011:
		return U_HYPH;
	case 0x2012: case 0x2013: case 0x2014: case 0x2015: case 0x2E3A: case 0x2E3B:
		*ty = TOK_DASH;
		return U_TOK;
	case 0x0085: case 0x2028:
		return U_NL;
	case 0x2029:
		return U_PARA;
	case 0x3002: case 0xFF0E: case 0xFF61:
		*ty = TOK_PERIOD;
		return U_TOK;
	case 0xFF1F: case 0x2047: case 0x2048: case 0x00BF:
		*ty = c == 0x00BF ? TOK_PUNCT : TOK_QUESTION;
		return U_TOK;
	case 0xFF01: case 0x203C: case 0x2049: case 0x00A1:
		*ty = c == 0x00A1 ? TOK_PUNCT : TOK_EXCLAIM;
		return U_TOK;
	case 0xFF0C: case 0x3001: case 0x060C:
		*ty = TOK_COMMA;
		return U_TOK;
	case 0xFF1A:
		*ty = TOK_COLON;
		return U_TOK;
	case 0xFF1B: case 0x061B:
		*ty = TOK_SEMICOLON;
		return U_TOK;
	default:
		break;
	}
	switch ((UCharCategory)u_charType(c)) {
	case U_UPPERCASE_LETTER:
	case U_TITLECASE_LETTER:
		return U_UP;
	case U_LOWERCASE_LETTER:
		return U_LO;
	case U_MODIFIER_LETTER:
	case U_OTHER_LETTER:
		return U_LET;
	case U_NON_SPACING_MARK:
	case U_ENCLOSING_MARK:
	case U_COMBINING_SPACING_MARK:
		return U_MARK;
	case U_DECIMAL_DIGIT_NUMBER:
		return U_DIG;
	case U_SPACE_SEPARATOR:
		return U_SPACE;
	case U_LINE_SEPARATOR:
		return U_NL;
	case U_PARAGRAPH_SEPARATOR:
		return U_PARA;
	case U_FORMAT_CHAR:
		return U_IGN;
	case U_CONTROL_CHAR:
		return U_SPACE;
	case U_DASH_PUNCTUATION:
		*ty = TOK_DASH;
		return U_TOK;
	case U_START_PUNCTUATION:
		*ty = TOK_OPEN;
		return U_TOK;
	case U_END_PUNCTUATION:
		*ty = TOK_CLOSE;
		return U_TOK;
	case U_INITIAL_PUNCTUATION:
		*ty = TOK_QUOTE_OPEN;
		return U_QUOTE;
	case U_FINAL_PUNCTUATION:
		*ty = TOK_QUOTE_CLOSE;
		return U_QUOTE;
	case U_CONNECTOR_PUNCTUATION:
	case U_OTHER_PUNCTUATION:
		*ty = TOK_PUNCT;
		return U_TOK;
	default:
		*ty = TOK_SYM;
		return U_TOK;
	}
}

typedef struct {
	const unsigned char *s;
	uint32_t len;
	arena *a;
	tok_token *v;
	uint32_t n, cap;
	uint32_t last_end;   /* end of the last token, NO_END after a break or at 0 */
	uint16_t pend;       /* TOKF_SPACE / TOKF_LINE for the next token */
	uint8_t sq_open;     /* single quotes open in this paragraph */
	uint8_t dq_open;     /* a double quote is open in this paragraph */
	err e;
	/* Failed look-aheads: an e-mail local part, a bare domain that ended
	 * before this index failed, and so does any later start inside it
	 * (keeps "U.U.U..." linear with a small constant). */
	uint32_t mail_fail, dom_fail;
} scanner;

/* Decodes the code point at i; *next gets the index after it. Invalid
 * sequences give a negative value and skip the maximal ill-formed part. */
static UChar32 decode(const scanner *sc, uint32_t i, uint32_t *next)
{
	int32_t j = (int32_t)i;
	UChar32 c;
	U8_NEXT(sc->s, j, (int32_t)sc->len, c);
	*next = (uint32_t)j;
	return c;
}

static int grow(scanner *sc)
{
	uint32_t ncap = sc->cap * 2;
	if (ncap > sc->len + 1 || ncap < sc->cap)
		ncap = sc->len + 1;
	if (ncap <= sc->n) {
		sc->e = ERR_LIMIT; /* cannot happen: tokens <= bytes */
		return 0;
	}
	tok_token *nv = arena_realloc(sc->a, sc->v, (size_t)sc->cap * sizeof *nv,
				      (size_t)ncap * sizeof *nv);
	if (!nv) {
		sc->e = arena_over_cap(sc->a, (size_t)ncap * sizeof *nv) ? ERR_LIMIT : ERR_NOMEM;
		return 0;
	}
	sc->v = nv;
	sc->cap = ncap;
	return 1;
}

/* No token ends here: offsets stay below 2 GiB. */
#define NO_END UINT32_MAX

/* Appends a token; marks the one before TOKF_GLUED when it ends where this
 * one starts and neither is a line break. */
static inline void emit(scanner *sc, uint32_t off, uint32_t len, uint8_t type, uint16_t flags)
{
	if (sc->n == sc->cap && !grow(sc))
		return;
	int brk = tok_is_break(type);
	if (sc->last_end == off && !brk)
		sc->v[sc->n - 1].flags |= TOKF_GLUED;
	sc->v[sc->n++] = (tok_token){off, len, type, 0, (uint16_t)(flags | sc->pend)};
	sc->pend = 0;
	sc->last_end = brk ? NO_END : off + len;
}

static inline uint8_t bat(const scanner *sc, uint32_t i)
{
	return i < sc->len ? bcls[sc->s[i]] : 0;
}

/* True when the code point at i is a letter, mark or digit. */
static int alnum_at(const scanner *sc, uint32_t i)
{
	if (i >= sc->len)
		return 0;
	uint8_t b = bcls[sc->s[i]];
	if (!(b & B_HI))
		return (b & B_ALNUM) != 0;
	uint32_t nx;
	UChar32 c = decode(sc, i, &nx);
	if (c < 0)
		return 0;
	uint8_t ty;
	int single;
	ucls u = classify(c, &ty, &single, 0);
	return u == U_UP || u == U_LO || u == U_LET || u == U_MARK || u == U_DIG;
}

static int letter_at(const scanner *sc, uint32_t i)
{
	if (i >= sc->len)
		return 0;
	uint8_t b = bcls[sc->s[i]];
	if (!(b & B_HI))
		return (b & (B_UP | B_LO)) != 0;
	uint32_t nx;
	UChar32 c = decode(sc, i, &nx);
	if (c < 0)
		return 0;
	uint8_t ty;
	int single;
	ucls u = classify(c, &ty, &single, 0);
	return u == U_UP || u == U_LO || u == U_LET;
}

/* Length of an apostrophe (' or ’) at i, or 0. */
static uint32_t apos_at(const scanner *sc, uint32_t i)
{
	if (i < sc->len && sc->s[i] == '\'')
		return 1;
	if (i + 2 < sc->len && sc->s[i] == 0xE2 && sc->s[i + 1] == 0x80 && sc->s[i + 2] == 0x99)
		return 3;
	return 0;
}

/* Case-insensitive ASCII prefix test. */
static int prefix_at(const scanner *sc, uint32_t i, const char *p)
{
	for (; *p; p++, i++) {
		if (i >= sc->len)
			return 0;
		unsigned char c = sc->s[i];
		if (c >= 'A' && c <= 'Z')
			c = (unsigned char)(c + 32);
		if (c != (unsigned char)*p)
			return 0;
	}
	return 1;
}

/* Trims trailing punctuation off a URL [i, e); keeps a ')' closing a '('
 * inside it. */
static uint32_t url_trim(const scanner *sc, uint32_t i, uint32_t e)
{
	long depth = 0; /* ( minus ) in [i, e) */
	for (uint32_t k = i; k < e; k++)
		depth += sc->s[k] == '(' ? 1 : sc->s[k] == ')' ? -1 : 0;
	while (e > i) {
		unsigned char c = sc->s[e - 1];
		if (c == ')') {
			if (depth + 1 > 0)
				break; /* it closes a ( of the URL */
			depth++;
		} else if (!strchr(".,;:!?]*", c)) {
			break;
		}
		e--;
	}
	return e;
}

/* Extent of URL characters from i. */
static uint32_t url_run(const scanner *sc, uint32_t i)
{
	while (i < sc->len && (bcls[sc->s[i]] & B_URL))
		i++;
	return i;
}

/* Top-level domains accepted without a scheme or path ("kcna.kp"); those
 * that are also English words ("in", "it", "is", "me", "us") are left out. */
static int bare_tld(const unsigned char *p, uint32_t n)
{
	static const char *const tlds[] = {
		"com", "net", "org", "gov", "edu", "mil", "int", "info", "biz", "io",
		"uk",  "ru",  "kp",  "kr",  "cn",  "jp",  "de",  "fr",   "eu",  "ua",
		"ca",  "au",  "tv",  "news", "ch", "nl",  "il",  "ir",   "sy",  "tw",
	};
	for (size_t k = 0; k < sizeof tlds / sizeof *tlds; k++)
		if (strlen(tlds[k]) == n && memcmp(tlds[k], p, n) == 0)
			return 1;
	return 0;
}

/* Dot-separated labels of letters, digits and hyphens from k, read no
 * further than lim: how many, where the last one starts, where they end. */
typedef struct {
	uint32_t labels, last_start, end;
} domain;

static domain domain_labels(const scanner *sc, uint32_t k, uint32_t lim)
{
	domain d = {0, k, k};
	for (;;) {
		uint32_t ls = k;
		while (k < lim && ((bcls[sc->s[k]] & B_ALNUM) || sc->s[k] == '-'))
			k++;
		if (k == ls)
			break;
		d.labels++;
		d.last_start = ls;
		d.end = k;
		if (k + 1 < sc->len && sc->s[k] == '.' && (bcls[sc->s[k + 1]] & B_ALNUM))
			k++;
		else
			break;
	}
	return d;
}

/* The rest of an e-mail address whose local part is [i, k): @domain.tld;
 * returns its end or 0. */
static uint32_t mail_domain(const scanner *sc, uint32_t i, uint32_t k)
{
	if (k == i || k >= sc->len || sc->s[k] != '@' || sc->s[k - 1] == '.')
		return 0;
	k++;
	uint32_t lim = k + TOK_MAX_DOMAIN < sc->len ? k + TOK_MAX_DOMAIN : sc->len;
	domain d = domain_labels(sc, k, lim);
	uint32_t labels = d.labels, last_start = d.last_start, e = d.end;
	if (labels < 2 || e - last_start < 2 || (e < sc->len && (bcls[sc->s[e]] & B_ALNUM)))
		return 0;
	for (uint32_t q = last_start; q < e; q++)
		if (!(bcls[sc->s[q]] & (B_UP | B_LO)))
			return 0;
	return e;
}

/* An e-mail address starting at i: local@domain.tld; returns its end or 0. */
static uint32_t try_email(scanner *sc, uint32_t i)
{
	if (i < sc->mail_fail)
		return 0;
	uint32_t k = i, lim = i + TOK_MAX_MAIL_LOCAL < sc->len ? i + TOK_MAX_MAIL_LOCAL : sc->len;
	while (k < lim && (bcls[sc->s[k]] & B_MAIL))
		k++;
	uint32_t e = mail_domain(sc, i, k);
	if (!e && (k < lim || k == sc->len))
		sc->mail_fail = k; /* later starts up to k end at the same k */
	return e;
}

/* Checks a dotted run [i, e) of labels whose last one starts at last as a
 * bare domain: a known lower-case TLD, or any TLD before a /path. Returns
 * the URL's end or 0. */
static uint32_t bare_domain(const scanner *sc, uint32_t i, uint32_t labels, uint32_t last,
			    uint32_t e)
{
	if (labels < 2 || alnum_at(sc, e) || (e < sc->len && sc->s[e] == '@'))
		return 0;
	uint32_t tl = e - last;
	for (uint32_t q = last; q < e; q++)
		if (!(bcls[sc->s[q]] & B_LO))
			return 0;
	if (e + 1 < sc->len && sc->s[e] == '/' && (bcls[sc->s[e + 1]] & B_ALNUM) && tl >= 2)
		return url_trim(sc, i, url_run(sc, e));
	return bare_tld(sc->s + last, tl) ? e : 0;
}

/* A URL starting at i: scheme://..., www...., or a bare domain with a known
 * TLD (any TLD when a path follows). Returns its end or 0. */
static uint32_t try_url(scanner *sc, uint32_t i)
{
	if (prefix_at(sc, i, "http://") || prefix_at(sc, i, "https://") ||
	    prefix_at(sc, i, "ftp://") || prefix_at(sc, i, "www.")) {
		uint32_t e = url_trim(sc, i, url_run(sc, i));
		return e > i + 4 ? e : 0;
	}
	if (i < sc->dom_fail)
		return 0;
	uint32_t lim = i + TOK_MAX_DOMAIN < sc->len ? i + TOK_MAX_DOMAIN : sc->len;
	domain d = domain_labels(sc, i, lim);
	uint32_t r = bare_domain(sc, i, d.labels, d.last_start, d.end);
	if (!r && d.end < lim)
		sc->dom_fail = d.end; /* later starts up to e end at the same last label */
	return r;
}

/* Letters with inner periods: segments of one or two ASCII letters, each
 * followed by a period ("U.S.", "a.m.", "Ph.D."); the last period may be
 * missing when all segments are single letters ("U.S"). Returns the end. */
static uint32_t try_abbr(const scanner *sc, uint32_t i)
{
	uint32_t k = i, segs = 0, maxseg = 0, e = 0;
	for (;;) {
		uint32_t ls = k;
		while (k < sc->len && (bcls[sc->s[k]] & (B_UP | B_LO)) && k - ls < 3)
			k++;
		uint32_t sl = k - ls;
		if (sl == 0 || sl > 2 || alnum_at(sc, k))
			return 0;
		if (++segs > TOK_MAX_ABBR_SEGMENTS)
			return 0;
		if (sl > maxseg)
			maxseg = sl;
		if (k < sc->len && sc->s[k] == '.') {
			k++;
			e = k;
			if (k < sc->len && (bcls[sc->s[k]] & (B_UP | B_LO)))
				continue;
			break;
		}
		if (maxseg > 1)
			return 0;
		e = k;
		break;
	}
	return segs >= 2 ? e : 0;
}

/* Computes case flags of the token [i, e) by walking it. */
static uint16_t word_flags(const scanner *sc, uint32_t i, uint32_t e)
{
	int first = -1, up = 0, lo = 0, ascii = 1;
	uint16_t dig = 0;
	for (uint32_t k = i; k < e;) {
		unsigned char b = sc->s[k];
		if (b < 0x80) {
			uint8_t c = bcls[b];
			if (c & B_UP) {
				up = 1;
				if (first < 0)
					first = 1;
			} else if (c & B_LO) {
				lo = 1;
				if (first < 0)
					first = 0;
			} else if (c & B_DIG) {
				dig = TOKF_DIGIT;
			}
			k++;
			continue;
		}
		ascii = 0;
		uint32_t nx;
		UChar32 c = decode(sc, k, &nx);
		k = nx;
		if (c < 0)
			continue;
		uint8_t ty;
		int single;
		ucls u = classify(c, &ty, &single, 0);
		if (u == U_UP) {
			up = 1;
			if (first < 0)
				first = 1;
		} else if (u == U_LO) {
			lo = 1;
			if (first < 0)
				first = 0;
		} else if (u == U_LET) {
			if (first < 0)
				first = 0;
		} else if (u == U_DIG) {
			dig = TOKF_DIGIT;
		}
	}
	uint16_t f = dig;
	if (first == 1)
		f |= TOKF_CAP;
	if (up && !lo)
		f |= TOKF_UPPER;
	if (lo && !up)
		f |= TOKF_LOWER;
	if (ascii)
		f |= TOKF_ASCII;
	return f;
}

/* Skips the run of ASCII letters and digits from j; ORs their class bits
 * (B_UP, B_LO, B_DIG) into *acc. With SSE2, 16 bytes at a time, so that a
 * word's end costs a bit scan instead of a mispredicted loop exit. */
static inline uint32_t alnum_run(const unsigned char *s, uint32_t j, uint32_t len, unsigned *acc)
{
#if defined(__SSE2__)
	const __m128i k20 = _mm_set1_epi8(0x20), ka = _mm_set1_epi8('a' - 1),
		      kz = _mm_set1_epi8('z' + 1), kZ = _mm_set1_epi8('Z' + 1),
		      k0 = _mm_set1_epi8('0' - 1), k9 = _mm_set1_epi8('9' + 1);
	while (j + 16 <= len) {
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + j));
		__m128i lc = _mm_or_si128(v, k20);
		__m128i let = _mm_and_si128(_mm_cmpgt_epi8(lc, ka), _mm_cmplt_epi8(lc, kz));
		__m128i dig = _mm_and_si128(_mm_cmpgt_epi8(v, k0), _mm_cmplt_epi8(v, k9));
		__m128i up = _mm_and_si128(let, _mm_cmplt_epi8(v, kZ));
		unsigned stop = ~(unsigned)_mm_movemask_epi8(_mm_or_si128(let, dig)) & 0xFFFFu;
		unsigned n = stop ? (unsigned)__builtin_ctz(stop) : 16u;
		unsigned keep = (1u << n) - 1u;
		unsigned um = (unsigned)_mm_movemask_epi8(up) & keep;
		unsigned lm = (unsigned)_mm_movemask_epi8(let) & keep & ~um;
		unsigned dm = (unsigned)_mm_movemask_epi8(dig) & keep;
		*acc |= (um ? (unsigned)B_UP : 0u) | (lm ? (unsigned)B_LO : 0u) | (dm ? (unsigned)B_DIG : 0u);
		j += n;
		if (n < 16)
			return j;
	}
#endif
	uint8_t bc;
	while (j < len && ((bc = bcls[s[j]]) & B_ALNUM)) {
		*acc |= bc & B_ALNUM;
		j++;
	}
	return j;
}

/* Flags of an ASCII word or number whose letters and digits have the
 * class bits acc, but TOKF_CAP. */
static inline uint16_t case_flags(unsigned acc)
{
	uint16_t f = TOKF_ASCII;
	if (acc & B_DIG)
		f |= TOKF_DIGIT;
	if ((acc & (B_UP | B_LO)) == B_UP)
		f |= TOKF_UPPER;
	else if ((acc & (B_UP | B_LO)) == B_LO)
		f |= TOKF_LOWER;
	return f;
}

/* Flags of an all-ASCII word starting at i whose letters and digits have
 * the class bits acc. */
static inline uint16_t ascii_flags(const unsigned char *s, uint32_t i, unsigned acc)
{
	uint16_t f = case_flags(acc);
	if (acc & B_UP) {
		/* the first letter, usually the first byte */
		while (!(bcls[s[i]] & (B_UP | B_LO)))
			i++;
		f |= (uint16_t)((bcls[s[i]] & B_UP) ? TOKF_CAP : 0);
	}
	return f;
}

/* The type and flags (type | flags << 16) of an ASCII word or number by
 * (has upper) | (has lower) << 1 | (has digit) << 2 | (first letter upper)
 * << 3 | (first byte a digit) << 4. */
#define WF(k)                                                                                 \
	((uint32_t)((k) & 16 ? TOK_NUM : TOK_WORD) |                                           \
	 (uint32_t)(TOKF_ASCII | ((k) & 4 ? TOKF_DIGIT : 0) | (((k) & 3) == 1 ? TOKF_UPPER : 0) | \
		    (((k) & 3) == 2 ? TOKF_LOWER : 0) | ((k) & 8 ? TOKF_CAP : 0))                 \
		 << 16)
#define WF4(k) WF(k), WF(k + 1), WF(k + 2), WF(k + 3)
static const uint32_t word_tf[32] = {
	WF4(0), WF4(4), WF4(8), WF4(12), WF4(16), WF4(20), WF4(24), WF4(28),
};
#undef WF4
#undef WF

/* The end of the run of ASCII letters and digits at i (s[i] is one) and
 * its type and flags (*tf: type | flags << 16). With SSE2 a run within 16
 * bytes costs one classification of the block, whose masks also give the
 * flags without a second walk, and tell (*spaced = 1) when one space and
 * another such run follow, so that the caller can go straight on. */
static ALWAYS_INLINE uint32_t ascii_word(const unsigned char *s, uint32_t i, uint32_t len,
					 uint32_t *tf, int *spaced)
{
	unsigned acc = 0;
	*spaced = 0;
#if defined(__SSE2__)
	if (len - i >= 16) {
		/* x is in [lo, lo + n) when (int8)(x + 128 - lo) < -128 + n */
		const __m128i k20 = _mm_set1_epi8(0x20), kl = _mm_set1_epi8((char)(128 - 'a')),
			      kd = _mm_set1_epi8((char)(128 - '0')), ku = _mm_set1_epi8((char)(128 - 'A')),
			      n26 = _mm_set1_epi8(-128 + 26), n10 = _mm_set1_epi8(-128 + 10);
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
		__m128i let = _mm_cmpgt_epi8(n26, _mm_add_epi8(_mm_or_si128(v, k20), kl));
		__m128i dig = _mm_cmpgt_epi8(n10, _mm_add_epi8(v, kd));
		__m128i up = _mm_cmpgt_epi8(n26, _mm_add_epi8(v, ku));
		unsigned lm = (unsigned)_mm_movemask_epi8(let), dm = (unsigned)_mm_movemask_epi8(dig),
			 um = (unsigned)_mm_movemask_epi8(up);
		unsigned alm = lm | dm, n = (unsigned)__builtin_ctz(~alm); /* 16: all of them */
		if (n < 16) {
			unsigned bit = 1u << n, keep = bit - 1u;
			unsigned sp = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8(' ')));
			*spaced = (sp & (alm >> 1) & bit) != 0;
			lm &= keep;
			um &= keep;
			if (!(dm & keep)) /* letters only: s[i] is the first */
				*tf = word_tf[(unsigned)(um != 0) | (unsigned)(lm != um) << 1 | (um & 1u) << 3];
			else
				*tf = word_tf[(unsigned)(um != 0) | (unsigned)(lm != um) << 1 | 1u << 2 |
					      (unsigned)((lm & (0u - lm) & um) != 0) << 3 | (dm & 1u) << 4];
			return i + n;
		}
		uint32_t j = alnum_run(s, i + 16, len, &acc);
		acc |= (um ? (unsigned)B_UP : 0u) | ((lm & ~um) ? (unsigned)B_LO : 0u) |
		       (dm ? (unsigned)B_DIG : 0u);
		*tf = (uint32_t)((dm & 1u) ? TOK_NUM : TOK_WORD) | (uint32_t)ascii_flags(s, i, acc) << 16;
		return j;
	}
#endif
	uint32_t j = alnum_run(s, i, len, &acc);
	*tf = (uint32_t)((bcls[s[i]] & B_DIG) ? TOK_NUM : TOK_WORD) | (uint32_t)ascii_flags(s, i, acc) << 16;
	return j;
}

/* Scans a word, number, hyphenated word, abbreviation, URL or e-mail
 * starting at i (a letter, mark or digit). Returns the index after it. */
static uint32_t scan_word(scanner *sc, uint32_t i)
{
	const unsigned char *s = sc->s;
	uint32_t len = sc->len, j = i;
	uint8_t type = (bat(sc, i) & B_DIG) ? TOK_NUM : TOK_WORD;
	if (bat(sc, i) & B_HI) {
		uint32_t nx;
		UChar32 c = decode(sc, i, &nx);
		uint8_t ty;
		int single;
		if (c >= 0 && classify(c, &ty, &single, 0) == U_DIG)
			type = TOK_NUM;
	}
	uint32_t seg = i; /* where the part after the last hyphen starts */
	unsigned acc = 0; /* class bits of the ASCII letters and digits seen */
	int high = 0;     /* a code point >= 0x80 was met */
	int other = 0;    /* one that is not a ’ taken into the word */
	int rsq = 0;      /* a ’ was taken into the word ("don’t") */
	for (;;) {
		j = alnum_run(s, j, len, &acc);
		if (j >= len)
			break;
		unsigned char c = s[j];
		if (c >= 0x80) {
			high = 1;
			if (c == 0xE2 && j + 2 < len && s[j + 1] == 0x80 && s[j + 2] == 0x99)
				goto apostrophe; /* ’, without decoding it */
			other = 1;
			uint32_t nx;
			UChar32 cp = decode(sc, j, &nx);
			if (cp < 0)
				break;
			uint8_t ty;
			int single;
			ucls u = classify(cp, &ty, &single, 0);
			if (u == U_UP || u == U_LO || u == U_LET || u == U_MARK || u == U_DIG) {
				j = nx;
				continue;
			}
			if (u == U_IGN && alnum_at(sc, nx)) {
				j = nx;
				continue;
			}
			if (u == U_HYPH && alnum_at(sc, nx)) {
				type = TOK_HYPHWORD;
				j = seg = nx;
				continue;
			}
			if (u == U_RSQ)
				goto apostrophe;
			break;
		}
		switch (c) {
		case '\'':
		apostrophe: {
			uint32_t al = apos_at(sc, j), k = j + al;
			/* 's before a non-letter is a possessive or clitic: its own token */
			if (k < len && (s[k] == 's' || s[k] == 'S') && !alnum_at(sc, k + 1))
				goto done;
			if (type != TOK_NUM && letter_at(sc, k)) {
				rsq |= al == 3;
				j = k;
				continue;
			}
			goto done;
		}
		case '-':
			if (alnum_at(sc, j + 1)) {
				if (!(type == TOK_NUM && (bat(sc, j + 1) & B_DIG)))
					type = TOK_HYPHWORD;
				j = seg = j + 1;
				continue;
			}
			goto done;
		case '.':
			if (type == TOK_NUM && (bat(sc, j + 1) & B_DIG)) {
				j++;
				continue;
			}
			if (bat(sc, j + 1) & B_ALNUM) {
				uint32_t e = try_email(sc, i);
				uint8_t ut = TOK_EMAIL;
				if (!e) {
					e = try_url(sc, i);
					ut = TOK_URL;
				}
				if (e) {
					emit(sc, i, e - i, ut, word_flags(sc, i, e) & TOKF_ASCII);
					return e;
				}
				/* "U.S.", and after a hyphen "D-N.Y.", "A.F.L.-C.I.O." */
				if ((type == TOK_WORD || type == TOK_HYPHWORD) && (e = try_abbr(sc, seg)) &&
				    e > j) {
					if (e < len && s[e] == '-' && alnum_at(sc, e + 1)) {
						for (uint32_t q = seg; q < e; q++)
							acc |= bcls[s[q]] & B_ALNUM;
						type = TOK_HYPHWORD;
						j = seg = e + 1;
						continue;
					}
					emit(sc, i, e - i, seg > i ? TOK_HYPHWORD : TOK_ABBR, word_flags(sc, i, e));
					return e;
				}
			}
			goto done;
		case ',':
			/* 9,000 but not "1,2" lists: exactly three digits follow */
			if (type == TOK_NUM && (bat(sc, j + 1) & B_DIG) && (bat(sc, j + 2) & B_DIG) &&
			    (bat(sc, j + 3) & B_DIG) && !(bat(sc, j + 4) & B_DIG)) {
				j += 4;
				continue;
			}
			goto done;
		case ':':
		case '/':
			if (type == TOK_NUM && (bat(sc, j + 1) & B_DIG)) {
				j++;
				continue;
			}
			if (c == ':' && j + 2 < len && s[j + 1] == '/' && s[j + 2] == '/') {
				uint32_t e = try_url(sc, i);
				if (e) {
					emit(sc, i, e - i, TOK_URL, word_flags(sc, i, e) & TOKF_ASCII);
					return e;
				}
			}
			goto done;
		case '@':
		case '_':
		case '%':
		case '+': {
			uint32_t e = (bat(sc, j + 1) & B_ALNUM) ? try_email(sc, i) : 0;
			if (e) {
				emit(sc, i, e - i, TOK_EMAIL, TOKF_ASCII);
				return e;
			}
			goto done;
		}
		case '&':
			/* AT&T, S&P, R&D */
			if ((bcls[s[j - 1]] & B_UP) && (bat(sc, j + 1) & B_UP) && !(bat(sc, j + 2) & B_LO)) {
				j++;
				continue;
			}
			goto done;
		default:
			goto done;
		}
	}
done:
	/* ’ is no letter: with no other code point >= 0x80 the ASCII letters and
	 * digits give the flags, as word_flags would */
	emit(sc, i, j - i, type,
	     high && other ? word_flags(sc, i, j)
			   : (uint16_t)(ascii_flags(s, i, acc) & (rsq ? ~TOKF_ASCII : 0xFFFF)));
	return j;
}

/* Whether the token before i is glued to i (no space between). */
static int glued_left(const scanner *sc, uint32_t i)
{
	return sc->last_end == i;
}

/* Whether the byte at i starts a word-ish thing (letter, digit, opening
 * bracket or quote, ellipsis) rather than space or closing punctuation. */
static int wordish_at(const scanner *sc, uint32_t i)
{
	if (i >= sc->len)
		return 0;
	unsigned char b = sc->s[i];
	if (b < 0x80)
		return (actx[b] & A_WORDISH) != 0;
	uint32_t nx;
	UChar32 c = decode(sc, i, &nx);
	if (c < 0)
		return 0;
	uint8_t ty;
	int single;
	ucls u = classify(c, &ty, &single, 0);
	return u == U_UP || u == U_LO || u == U_LET || u == U_DIG || u == U_DOTS ||
	       (u == U_QUOTE && ty == TOK_QUOTE_OPEN) || u == U_RSQ ||
	       (u == U_TOK && (ty == TOK_OPEN || ty == TOK_SYM));
}

/* Whether the byte at i is space, a line end, the end or closing punctuation. */
static int spaceish_at(const scanner *sc, uint32_t i)
{
	if (i >= sc->len)
		return 1;
	unsigned char b = sc->s[i];
	if (b < 0x80)
		return (actx[b] & A_SPACEISH) != 0;
	uint32_t nx;
	UChar32 c = decode(sc, i, &nx);
	if (c < 0)
		return 1;
	uint8_t ty;
	int single;
	ucls u = classify(c, &ty, &single, 0);
	return u == U_SPACE || u == U_NL || u == U_PARA || u == U_DOTS ||
	       (u == U_TOK && (ty == TOK_CLOSE || ty == TOK_DASH || tok_is_punct(ty))) ||
	       (u == U_QUOTE && ty == TOK_QUOTE_CLOSE);
}

/* Decides a quotation mark [i, e) by context: a space on the left and a word
 * on the right opens; a word or punctuation on the left and a space on the
 * right closes. Otherwise the glyph decides (def); a straight double mark
 * closes when one is open in the paragraph and opens when none is; a
 * straight single mark is AMBIG. */
static inline uint8_t quote_type(int gl, uint8_t pt, int rw, int rs, uint8_t def, int single,
				 int dq_open)
{
	int left_open = !gl || pt == TOK_OPEN || pt == TOK_DASH || pt == TOK_QUOTE_OPEN ||
			pt == TOK_BULLET || pt == TOK_COLON;
	if (left_open && rw)
		return TOK_QUOTE_OPEN;
	if (gl && !left_open && rs)
		return TOK_QUOTE_CLOSE;
	if (def != TOK_QUOTE_AMBIG)
		return def;
	if (!single && ((gl && rw) || (!gl && !rw)))
		return dq_open ? TOK_QUOTE_CLOSE : TOK_QUOTE_OPEN; /* "a"b, a " b */
	return TOK_QUOTE_AMBIG;
}

static void emit_quote(scanner *sc, uint32_t i, uint32_t e, uint8_t def, int single)
{
	int gl = glued_left(sc, i);
	uint8_t ty = quote_type(gl, gl ? sc->v[sc->n - 1].type : TOK_NL, wordish_at(sc, e),
				spaceish_at(sc, e), def, single, sc->dq_open);
	if (single) {
		if (ty == TOK_QUOTE_OPEN && sc->sq_open < 255)
			sc->sq_open++;
		else if (ty == TOK_QUOTE_CLOSE && sc->sq_open)
			sc->sq_open--;
	} else if (ty != TOK_QUOTE_AMBIG) {
		sc->dq_open = ty == TOK_QUOTE_OPEN;
	}
	emit(sc, i, e - i, ty,
	     (uint16_t)((single ? TOKF_SINGLE : 0) | (sc->s[i] < 0x80 ? TOKF_ASCII : 0)));
}

/* Whether an apostrophe ending at e after a token of type pt glued to it
 * makes a possessive or clitic 's with the s at e ("Jr.'s"). */
static inline int poss_at(const scanner *sc, uint8_t pt, uint32_t e)
{
	return (tok_is_wordlike(pt) || pt == TOK_PERIOD || pt == TOK_CLOSE) && e < sc->len &&
	       (sc->s[e] == 's' || sc->s[e] == 'S') && !alnum_at(sc, e + 1);
}

/* An apostrophe-like mark ' or ’ [i, e) that is not inside a word. */
static uint32_t scan_apos(scanner *sc, uint32_t i, uint32_t e, int straight)
{
	int gl = glued_left(sc, i);
	const tok_token *p = gl ? &sc->v[sc->n - 1] : NULL;
	uint16_t asc = straight ? TOKF_ASCII : 0;
	/* 's glued to a word, number, abbreviation or period: "Jr.'s" */
	if (p && poss_at(sc, p->type, e)) {
		emit(sc, i, e + 1 - i, TOK_POSS,
		     (uint16_t)(asc | (sc->s[e] == 's' ? TOKF_LOWER : TOKF_UPPER | TOKF_CAP)));
		return e + 1;
	}
	if (p && tok_is_wordlike(p->type) && !wordish_at(sc, e)) {
		unsigned char last = sc->s[p->off + p->len - 1];
		if (sc->sq_open == 0 && (last == 's' || last == 'S' || last == 'z')) {
			emit(sc, i, e - i, TOK_APOS, asc);
			return e;
		}
	}
	if (!gl && (bat(sc, e) & B_DIG)) {
		emit(sc, i, e - i, TOK_APOS, asc); /* '90s */
		return e;
	}
	emit_quote(sc, i, e, straight ? TOK_QUOTE_AMBIG : TOK_QUOTE_CLOSE, 1);
	return e;
}

/* A run of periods, or a spaced ellipsis ". . .", starting at i. */
static uint32_t scan_dots(scanner *sc, uint32_t i)
{
	const unsigned char *s = sc->s;
	uint32_t len = sc->len, j = i, dots = 0, wide = 0;
	/* glued run of . and … */
	for (;;) {
		if (j < len && s[j] == '.') {
			j++;
			dots++;
		} else if (j + 2 < len && s[j] == 0xE2 && s[j + 1] == 0x80 && s[j + 2] == 0xA6) {
			j += 3;
			dots += 3;
			wide = 1;
		} else {
			break;
		}
	}
	if (dots > 1) {
		emit(sc, i, j - i, TOK_ELLIPSIS, wide ? 0 : TOKF_ASCII);
		return j;
	}
	if (s[i] != '.')
		return j; /* unreachable: a single … counts 3 */
	/* spaced ellipsis: ". . ." */
	uint32_t k = j, n = 1, e = j;
	while (k + 1 < len && s[k] == ' ' && s[k + 1] == '.') {
		k += 2;
		n++;
		e = k;
	}
	if (n < 3) {
		emit(sc, i, 1, TOK_PERIOD, TOKF_ASCII);
		return i + 1;
	}
	if (glued_left(sc, i) && n >= 4) {
		emit(sc, i, 1, TOK_PERIOD, TOKF_ASCII);
		sc->pend |= TOKF_SPACE;
		emit(sc, i + 2, e - (i + 2), TOK_ELLIPSIS, TOKF_ASCII);
		return e;
	}
	emit(sc, i, e - i, TOK_ELLIPSIS, TOKF_ASCII);
	return e;
}

/* A line break run starting at i (a \n, a lone \r or a Unicode line or
 * paragraph separator): newlines with only spaces between; two or more
 * make TOK_PARA. */
static uint32_t scan_break(scanner *sc, uint32_t i)
{
	uint32_t k = i, nl = 0, end = i;
	while (k < sc->len) {
		unsigned char b = sc->s[k];
		if (b == '\n') {
			nl++;
			end = ++k;
		} else if (b < 0x80) {
			if (!(bcls[b] & B_SP))
				break;
			if (b == '\r' && (k + 1 >= sc->len || sc->s[k + 1] != '\n')) {
				nl++;
				end = k + 1;
			}
			k++;
		} else {
			uint32_t nx;
			UChar32 c = decode(sc, k, &nx);
			if (c < 0)
				break;
			uint8_t ty;
			int single;
			ucls u = classify(c, &ty, &single, 0);
			if (u == U_NL) {
				nl++;
				end = k = nx;
			} else if (u == U_PARA) {
				nl += 2;
				end = k = nx;
			} else if (u == U_SPACE || u == U_IGN) {
				k = nx;
			} else {
				break;
			}
		}
	}
	sc->pend = 0;
	emit(sc, i, end - i, nl >= 2 ? TOK_PARA : TOK_NL, TOKF_ASCII);
	if (nl >= 2)
		sc->sq_open = sc->dq_open = 0;
	sc->pend = TOKF_LINE;
	return end;
}

/* Whether a - * or · at i opens a bullet item: first on its line, a space after. */
static int bullet_here(const scanner *sc, uint32_t e)
{
	return (sc->pend & TOKF_LINE) && e < sc->len && (bcls[sc->s[e]] & B_SP);
}

static uint32_t scan_ascii_punct(scanner *sc, uint32_t i)
{
	const unsigned char *s = sc->s;
	unsigned char c = s[i];
	uint32_t j = i + 1;
	uint8_t ty;
	switch (c) {
	case '.':
		return scan_dots(sc, i);
	case '?':
	case '!':
		while (j < sc->len && (s[j] == '?' || s[j] == '!'))
			j++;
		emit(sc, i, j - i, c == '?' ? TOK_QUESTION : TOK_EXCLAIM, TOKF_ASCII);
		return j;
	case ',': ty = TOK_COMMA; break;
	case ':': ty = TOK_COLON; break;
	case ';': ty = TOK_SEMICOLON; break;
	case '(': case '[': case '{': ty = TOK_OPEN; break;
	case ')': case ']': case '}': ty = TOK_CLOSE; break;
	case '-':
		while (j < sc->len && s[j] == '-')
			j++;
		ty = (j == i + 1 && bullet_here(sc, j)) ? TOK_BULLET : TOK_DASH;
		break;
	case '*':
		ty = bullet_here(sc, j) ? TOK_BULLET : TOK_SYM;
		break;
	case '"':
		emit_quote(sc, i, j, TOK_QUOTE_AMBIG, 0);
		return j;
	case '\'':
		if (j < sc->len && s[j] == '\'') {
			/* '' stands for a double quote (``...'' typed in ASCII); of
			 * ''' the single mark comes first when it closes */
			uint32_t r = j;
			while (r < sc->len && s[r] == '\'' && r - i < 3)
				r++;
			if (r - i == 3 && glued_left(sc, i))
				i = scan_apos(sc, i, i + 1, 1);
			emit_quote(sc, i, i + 2, TOK_QUOTE_AMBIG, 0);
			return i + 2;
		}
		return scan_apos(sc, i, j, 1);
	case '`':
		if (j < sc->len && s[j] == '`') {
			emit_quote(sc, i, i + 2, TOK_QUOTE_OPEN, 0);
			return i + 2;
		}
		ty = TOK_PUNCT;
		break;
	case '/': case '\\': case '|': case '_':
		ty = TOK_PUNCT;
		break;
	default:
		ty = TOK_SYM;
		break;
	}
	emit(sc, i, j - i, ty, TOKF_ASCII);
	return j;
}

/* A code point >= 0x80 at i that starts no word. */
static uint32_t scan_high(scanner *sc, uint32_t i)
{
	uint32_t nx;
	UChar32 c = decode(sc, i, &nx);
	if (c < 0) {
		emit(sc, i, nx - i, TOK_SYM, TOKF_BADUTF8);
		return nx;
	}
	uint8_t ty = TOK_SYM;
	int single;
	ucls u = classify(c, &ty, &single, (sc->pend & TOKF_LINE) != 0);
	switch (u) {
	case U_UP: case U_LO: case U_LET: case U_MARK: case U_DIG:
		return scan_word(sc, i);
	case U_SPACE:
		sc->pend |= TOKF_SPACE;
		return nx;
	case U_IGN:
		return nx;
	case U_NL: case U_PARA:
		return scan_break(sc, i);
	case U_RSQ:
		return scan_apos(sc, i, nx, 0);
	case U_QUOTE:
		emit_quote(sc, i, nx, ty, single);
		return nx;
	case U_DOTS:
		return scan_dots(sc, i);
	case U_HYPH:
		ty = TOK_DASH;
		break;
	case U_TOK:
	case U_BAD:
		break;
	}
	if (ty == TOK_QUESTION || ty == TOK_EXCLAIM) {
		emit(sc, i, nx - i, ty, 0);
		return nx;
	}
	/* a symbol keeps its combining marks and joiners (emoji sequences) */
	uint32_t e = nx;
	while (e < sc->len && (bcls[sc->s[e]] & B_HI)) {
		uint32_t n2;
		UChar32 c2 = decode(sc, e, &n2);
		uint8_t t2;
		int s2;
		if (c2 < 0)
			break;
		ucls u2 = classify(c2, &t2, &s2, 0);
		if (u2 != U_MARK && u2 != U_IGN)
			break;
		e = n2;
	}
	emit(sc, i, e - i, ty, 0);
	return e;
}

/* Whether an ASCII word or number that runs to j, where a byte that is no
 * B_END stands, ends there as it is: before . , : / with no letter or digit
 * after (nor // after :), or before a possessive or clitic 's or ’s. Else
 * scan_word decides. */
static ALWAYS_INLINE int word_ends_plain(const scanner *sc, uint32_t j)
{
	const unsigned char *s = sc->s;
	if (actx[s[j]] & A_DOT) /* . , / : most words that end here */
		return !(bat(sc, j + 1) & B_ALNUM);
	switch (s[j]) {
	case ':':
		return !(bat(sc, j + 1) & B_ALNUM) && !(j + 1 < sc->len && s[j + 1] == '/');
	case '\'':
		return j + 1 < sc->len && (s[j + 1] | 0x20) == 's' && !alnum_at(sc, j + 2);
	case 0xE2:
		return j + 3 < sc->len && s[j + 1] == 0x80 && s[j + 2] == 0x99 &&
		       (s[j + 3] | 0x20) == 's' && !alnum_at(sc, j + 4);
	default:
		return 0;
	}
}

err tok_scan(const char *text, uint32_t len, arena *a, tok_list *out)
{
	out->v = NULL;
	out->n = 0;
	if (len > (uint32_t)INT32_MAX - 8)
		return ERR_LIMIT;
	scanner sc = {(const unsigned char *)text, len, a, NULL, 0, 0, NO_END, TOKF_LINE, 0, 0, ERR_OK, 0, 0};
	sc.cap = len / 4 + 16;
	if (sc.cap > len + 1)
		sc.cap = len + 1;
	sc.v = arena_alloc_n(a, tok_token, sc.cap);
	if (!sc.v)
		return arena_over_cap(a, (size_t)sc.cap * sizeof(tok_token)) ? ERR_LIMIT : ERR_NOMEM;
	/* The hot loop keeps the token state in locals and handles ASCII words,
	 * spaces, line breaks, periods and commas itself; everything else goes
	 * to the scan_* functions, which work on sc: SLOW stores the state
	 * there before them and loads it back after. */
	const unsigned char *s = sc.s;
	tok_token *w = sc.v, *wend = sc.v + sc.cap; /* the next token, the end of room */
	uint32_t last_end = NO_END, i = 0;
	uint16_t pend = TOKF_LINE;
#define SAVE() (sc.n = (uint32_t)(w - sc.v), sc.last_end = last_end, sc.pend = pend)
#define LOAD() (w = sc.v + sc.n, wend = sc.v + sc.cap, last_end = sc.last_end, pend = sc.pend)
#define SLOW(call)                  \
	do {                        \
		SAVE();             \
		i = (call);         \
		LOAD();             \
		if (sc.e != ERR_OK) \
			goto done;  \
	} while (0)
#define ROOM()                          \
	do {                            \
		if (w == wend) {        \
			SAVE();         \
			if (!grow(&sc)) \
				goto done; \
			LOAD();         \
		}                       \
	} while (0)
/* type, pad and flags of token t from tf = type | flags << 16: one store
 * where the layout allows */
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define STORE_TF(t, tf) memcpy(&(t)->type, &(tf), 4)
_Static_assert(offsetof(tok_token, pad) == offsetof(tok_token, type) + 1 &&
		       offsetof(tok_token, flags) == offsetof(tok_token, type) + 2,
	       "type, pad and flags make 4 bytes");
#else
#define STORE_TF(t, tf) ((t)->type = (uint8_t)(tf), (t)->pad = 0, (t)->flags = (uint16_t)((tf) >> 16))
#endif
/* emit() for a token that is no line break; tf is type | flags << 16 */
#define PUT(o_, l_, tf_in)                                       \
	do {                                                     \
		ROOM();                                          \
		if (last_end == (o_))                            \
			w[-1].flags |= TOKF_GLUED;               \
		uint32_t tf_ = (tf_in) | (uint32_t)pend << 16;   \
		w->off = (o_);                                   \
		w->len = (l_);                                   \
		STORE_TF(w, tf_);                                \
		w++;                                             \
		pend = 0;                                        \
		last_end = (o_) + (l_);                          \
	} while (0)
	while (i < len) {
		unsigned char b = s[i];
		if (b == ' ') { /* most often one space between two words */
			pend |= TOKF_SPACE;
			if (++i == len)
				break;
			b = s[i];
		}
		uint8_t c = bcls[b];
		if (c & B_ALNUM) {
			uint32_t tf;
			int spaced;
			uint32_t j = ascii_word(s, i, len, &tf, &spaced);
			if (!spaced && j < len && !(bcls[s[j]] & B_END) && !word_ends_plain(&sc, j)) {
				SLOW(scan_word(&sc, i));
				continue;
			}
			PUT(i, j - i, tf);
			/* then words one space apart while there is room: not glued,
			 * TOKF_SPACE before each, nothing pending */
			int slow = 0;
			while (spaced && w != wend) {
				i = j + 1;
				j = ascii_word(s, i, len, &tf, &spaced);
				if (!spaced && j < len && !(bcls[s[j]] & B_END) && !word_ends_plain(&sc, j)) {
					slow = 1;
					break;
				}
				tf |= (uint32_t)TOKF_SPACE << 16;
				w->off = i;
				w->len = j - i;
				STORE_TF(w, tf);
				w++;
				last_end = j;
			}
			if (slow) {
				pend = TOKF_SPACE;
				SLOW(scan_word(&sc, i));
				continue;
			}
			i = j;
		} else if (b >= 0x80) {
			if (b == 0xE2 && len - i >= 3 && s[i + 1] == 0x80) {
				/* “ ” ’ – — before ASCII; the rest as scan_high does it */
				uint32_t e = i + 3;
				unsigned char x = s[i + 2];
				int gl = last_end == i;
				if (e < len && s[e] >= 0x80) {
					SLOW(scan_high(&sc, i));
				} else if (x == 0x9C || x == 0x9D) {
					unsigned r = e < len ? actx[s[e]] : A_SPACEISH;
					uint8_t ty = quote_type(gl, gl ? w[-1].type : TOK_NL, r & A_WORDISH,
								r & A_SPACEISH,
								x == 0x9C ? TOK_QUOTE_OPEN : TOK_QUOTE_CLOSE, 0,
								sc.dq_open);
					if (ty != TOK_QUOTE_AMBIG)
						sc.dq_open = ty == TOK_QUOTE_OPEN;
					PUT(i, 3, ty);
					i = e;
				} else if (x == 0x99 && gl && poss_at(&sc, w[-1].type, e)) {
					PUT(i, 4, TOK_POSS | (uint32_t)(s[e] == 's' ? TOKF_LOWER : TOKF_UPPER | TOKF_CAP) << 16);
					i = e + 1;
				} else if (x == 0x93 || x == 0x94) {
					PUT(i, 3, TOK_DASH);
					i = e;
				} else {
					SLOW(scan_high(&sc, i));
				}
			} else if (b == 0xC2 && i + 1 < len && s[i + 1] == 0xA0) {
				pend |= TOKF_SPACE; /* no-break space */
				i += 2;
			} else {
				SLOW(scan_high(&sc, i));
			}
		} else {
			switch (b) {
			case '\r':
				if (i + 1 >= len || s[i + 1] != '\n') {
					SLOW(scan_break(&sc, i)); /* a lone CR ends a line (old Mac text) */
					break;
				}
				pend |= TOKF_SPACE;
				i++;
				break;
			case '\n': {
				/* newlines before a byte that ends the run as scan_break would */
				uint32_t k = i + 1;
				while (k < len && s[k] == '\n')
					k++;
				if (k < len && (s[k] >= 0x80 || (bcls[s[k]] & B_SP))) {
					SLOW(scan_break(&sc, i));
					break;
				}
				ROOM();
				*w++ = (tok_token){i, k - i, k - i >= 2 ? TOK_PARA : TOK_NL, 0, TOKF_ASCII};
				if (k - i >= 2)
					sc.sq_open = sc.dq_open = 0;
				last_end = NO_END;
				pend = TOKF_LINE;
				i = k;
				break;
			}
			case '.':
				/* a period before no other period, … or " ." */
				if (i + 1 < len && (s[i + 1] == '.' || s[i + 1] == 0xE2 ||
						    (s[i + 1] == ' ' && i + 2 < len && s[i + 2] == '.'))) {
					SLOW(scan_dots(&sc, i));
					break;
				}
				PUT(i, 1, TOK_PERIOD | (uint32_t)TOKF_ASCII << 16);
				i++;
				break;
			case ',':
				PUT(i, 1, TOK_COMMA | (uint32_t)TOKF_ASCII << 16);
				i++;
				break;
			case '"': {
				/* emit_quote, when ASCII or the end follows */
				uint32_t e = i + 1;
				if (e < len && s[e] >= 0x80) {
					SLOW(scan_ascii_punct(&sc, i));
					break;
				}
				unsigned r = e < len ? actx[s[e]] : A_SPACEISH;
				int gl = last_end == i;
				uint8_t ty = quote_type(gl, gl ? w[-1].type : TOK_NL, r & A_WORDISH, r & A_SPACEISH,
							TOK_QUOTE_AMBIG, 0, sc.dq_open);
				if (ty != TOK_QUOTE_AMBIG)
					sc.dq_open = ty == TOK_QUOTE_OPEN;
				PUT(i, 1, ty | (uint32_t)TOKF_ASCII << 16);
				i = e;
				break;
			}
			case '\'':
				/* a possessive or clitic 's after a word; the rest in scan_ascii_punct */
				if (last_end == i && i + 1 < len && s[i + 1] != '\'' && poss_at(&sc, w[-1].type, i + 1)) {
					PUT(i, 2, TOK_POSS | (uint32_t)(TOKF_ASCII | (s[i + 1] == 's' ? TOKF_LOWER : TOKF_UPPER | TOKF_CAP)) << 16);
					i += 2;
					break;
				}
				SLOW(scan_ascii_punct(&sc, i));
				break;
			default:
				if (c & B_SP) {
					pend |= TOKF_SPACE;
					i++;
					break;
				}
				SLOW(scan_ascii_punct(&sc, i));
				break;
			}
		}
	}
	SAVE();
done:
#undef PUT
#undef STORE_TF
#undef ROOM
#undef SLOW
#undef LOAD
#undef SAVE
	if (sc.e != ERR_OK)
		return sc.e;
	out->v = sc.v;
	out->n = sc.n;
	return ERR_OK;
}
