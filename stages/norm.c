/* SPDX-License-Identifier: MIT */
/* Token normal forms (see norm.h). The ASCII path lower-cases bytes; any
 * other token is case folded (u_strFoldCase), decomposed (NFD) and stripped
 * of nonspacing marks, so "Zelenskyy" and "Zelenskyy" with accents agree.
 * Inside word tokens every hyphen variant becomes one space, so hyphenated
 * and spaced spellings give the same key; apostrophe variants become '. */
#include "norm.h"

#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>

#include "tok.h"

#define NORM_MAX_UNITS 256

static int is_apos(UChar32 c)
{
	return c == 0x2019 || c == 0x2018 || c == 0x02BC || c == 0x0060 || c == 0x00B4 ||
	       c == 0x2032 || c == 0x02B9 || c == 0xFF07;
}

static int is_hyphen(UChar32 c)
{
	return c == '-' || (c >= 0x2010 && c <= 0x2015) || c == 0x2212 || c == 0xFE63 ||
	       c == 0xFF0D;
}

/* Appends one ASCII byte with the word rules: hyphen -> single space,
 * period dropped in abbreviations. */
static uint32_t put_ascii(char *out, uint32_t n, unsigned char c, int word, int abbr)
{
	if (c >= 'A' && c <= 'Z')
		c = (unsigned char)(c + 32);
	else if (c == '`')
		c = '\'';
	else if (c == '-' && word) {
		if (n == 0 || out[n - 1] == ' ')
			return n;
		c = ' ';
	} else if (c == '.' && abbr)
		return n;
	out[n++] = (char)c;
	return n;
}

static uint32_t copy_lower(const char *text, uint32_t len, char *out, int word, int abbr)
{
	uint32_t n = 0;
	for (uint32_t i = 0; i < len; i++)
		n = put_ascii(out, n, (unsigned char)text[i], word, abbr);
	while (n > 0 && out[n - 1] == ' ')
		n--;
	return n;
}

uint32_t norm_token(const char *text, uint32_t len, unsigned type, char *out)
{
	int word = type == TOK_WORD || type == TOK_HYPHWORD || type == TOK_ABBR;
	int abbr = type == TOK_ABBR;
	uint32_t i = 0;
	while (i < len && (unsigned char)text[i] < 0x80)
		i++;
	if (i == len)
		return copy_lower(text, len, out, word, abbr);
	/* ASCII with curly apostrophes or Unicode hyphens only ("don’t",
	 * "Jong‐un"): the same as the ICU path below, without it */
	uint32_t n = 0;
	for (uint32_t k = 0;;) {
		if (k == len) {
			while (n > 0 && out[n - 1] == ' ')
				n--;
			return n;
		}
		unsigned char b = (unsigned char)text[k];
		if (b < 0x80) {
			n = put_ascii(out, n, b, word, abbr);
			k++;
			continue;
		}
		if (b != 0xE2 || len - k < 3 || (unsigned char)text[k + 1] != 0x80)
			break;
		unsigned char b2 = (unsigned char)text[k + 2];
		if (b2 == 0x98 || b2 == 0x99) /* U+2018, U+2019 */
			out[n++] = '\'';
		else if (b2 >= 0x90 && b2 <= 0x95) /* U+2010..U+2015 */
			n = put_ascii(out, n, '-', word, abbr);
		else
			break;
		k += 3;
	}

	UChar a[NORM_MAX_UNITS], b[NORM_MAX_UNITS];
	UErrorCode st = U_ZERO_ERROR;
	int32_t na = 0;
	u_strFromUTF8(a, NORM_MAX_UNITS, &na, text, (int32_t)len, &st);
	if (U_FAILURE(st) || na >= NORM_MAX_UNITS)
		return copy_lower(text, len, out, word, abbr);
	int32_t nb = u_strFoldCase(b, NORM_MAX_UNITS, a, na, U_FOLD_CASE_DEFAULT, &st);
	if (U_FAILURE(st) || nb >= NORM_MAX_UNITS)
		return copy_lower(text, len, out, word, abbr);
	const UNormalizer2 *nfd = unorm2_getNFDInstance(&st);
	if (U_FAILURE(st))
		return copy_lower(text, len, out, word, abbr);
	na = unorm2_normalize(nfd, b, nb, a, NORM_MAX_UNITS, &st);
	if (U_FAILURE(st) || na >= NORM_MAX_UNITS)
		return copy_lower(text, len, out, word, abbr);

	uint32_t cap = NORM_CAP(len) - 4;
	n = 0;
	for (int32_t k = 0; k < na && n < cap;) {
		UChar32 c = a[k++];
		if (c >= 0xD800 && c <= 0xDBFF && k < na && a[k] >= 0xDC00 && a[k] <= 0xDFFF)
			c = 0x10000 + ((c - 0xD800) << 10) + (a[k++] - 0xDC00);
		if (c < 0x80) {
			n = put_ascii(out, n, (unsigned char)c, word, abbr);
			continue;
		}
		if (c == 0x00AD || u_charType(c) == U_NON_SPACING_MARK)
			continue;
		if (is_apos(c)) {
			out[n++] = '\'';
			continue;
		}
		if (is_hyphen(c)) {
			n = put_ascii(out, n, '-', word, abbr);
			continue;
		}
		n = norm_utf8_put(out, n, (uint32_t)c);
	}
	while (n > 0 && out[n - 1] == ' ')
		n--;
	return n;
}

int32_t norm_utf8_next(const char *s, uint32_t *k, uint32_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	uint32_t i = *k;
	unsigned char b = p[i];
	uint32_t need, cp;
	if (b < 0x80) {
		*k = i + 1;
		return b;
	} else if (b >= 0xC2 && b <= 0xDF) {
		need = 1;
		cp = b & 0x1Fu;
	} else if (b >= 0xE0 && b <= 0xEF) {
		need = 2;
		cp = b & 0x0Fu;
	} else if (b >= 0xF0 && b <= 0xF4) {
		need = 3;
		cp = b & 0x07u;
	} else {
		*k = i + 1;
		return -1;
	}
	if (len - i <= need) {
		*k = i + 1;
		return -1;
	}
	for (uint32_t q = 1; q <= need; q++) {
		if ((p[i + q] & 0xC0) != 0x80) {
			*k = i + 1;
			return -1;
		}
		cp = cp << 6 | (p[i + q] & 0x3Fu);
	}
	if ((need == 2 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ||
	    (need == 3 && (cp < 0x10000 || cp > 0x10FFFF))) {
		*k = i + 1;
		return -1;
	}
	*k = i + need + 1;
	return (int32_t)cp;
}

uint32_t norm_utf8_put(char *out, uint32_t n, uint32_t cp)
{
	unsigned char *o = (unsigned char *)out;
	if (cp < 0x80) {
		o[n++] = (unsigned char)cp;
	} else if (cp < 0x800) {
		o[n++] = (unsigned char)(0xC0 | cp >> 6);
		o[n++] = (unsigned char)(0x80 | (cp & 0x3F));
	} else if (cp < 0x10000) {
		o[n++] = (unsigned char)(0xE0 | cp >> 12);
		o[n++] = (unsigned char)(0x80 | (cp >> 6 & 0x3F));
		o[n++] = (unsigned char)(0x80 | (cp & 0x3F));
	} else {
		o[n++] = (unsigned char)(0xF0 | cp >> 18);
		o[n++] = (unsigned char)(0x80 | (cp >> 12 & 0x3F));
		o[n++] = (unsigned char)(0x80 | (cp >> 6 & 0x3F));
		o[n++] = (unsigned char)(0x80 | (cp & 0x3F));
	}
	return n;
}
