/* SPDX-License-Identifier: MIT */
/* Builds the quote stage's sections: QLEX, the reporting-verb lexicon
 * (src/quote/cues.txt with every inflected form, regular ones generated
 * here and irregular ones from src/quote/irregular.txt), and QCUE/QROL, the
 * learned taggers' weights (src/quote/cue.tagger, src/quote/role.tagger,
 * written by `make train`), copied as they are after a check. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libstemmer.h>

#include "../stages/quote_int.h"

typedef struct {
	char form[64];
	uint32_t lemma; /* 1-based */
	uint32_t flags;
} lex_form;

typedef struct {
	lex_form *v;
	size_t n, cap;
	char *str;
	size_t str_len, str_cap;
	uint32_t *lemma_off;
	uint32_t n_lemmas, lemma_cap;
	struct sb_stemmer *stemmer; /* Snowball English: checks generated forms */
	char lemma_stem[64];        /* the stem of the lemma being inflected */
} lex_build;

static int add_form(lex_build *b, const char *form, uint32_t lemma, uint32_t flags)
{
	if (strlen(form) >= sizeof b->v[0].form || form[0] == '\0')
		return 0;
	for (size_t k = 0; k < b->n; k++)
		if (strcmp(b->v[k].form, form) == 0) {
			b->v[k].flags |= flags;
			return 0;
		}
	if (b->n == b->cap) {
		size_t nc = b->cap ? b->cap * 2 : 256;
		lex_form *nv = realloc(b->v, nc * sizeof *nv);
		if (!nv)
			return -1;
		b->v = nv;
		b->cap = nc;
	}
	lex_form *f = &b->v[b->n++];
	snprintf(f->form, sizeof f->form, "%s", form);
	f->lemma = lemma;
	f->flags = flags;
	return 0;
}

static int add_lemma(lex_build *b, const char *lemma, uint32_t *id)
{
	for (uint32_t k = 0; k < b->n_lemmas; k++)
		if (strcmp(b->str + b->lemma_off[k], lemma) == 0) {
			*id = k + 1;
			return 0;
		}
	size_t l = strlen(lemma) + 1;
	if (b->str_len + l > b->str_cap) {
		size_t nc = (b->str_cap ? b->str_cap * 2 : 4096) + l;
		char *ns = realloc(b->str, nc);
		if (!ns)
			return -1;
		b->str = ns;
		b->str_cap = nc;
	}
	if (b->n_lemmas == b->lemma_cap) {
		uint32_t nc = b->lemma_cap ? b->lemma_cap * 2 : 256;
		uint32_t *no = realloc(b->lemma_off, nc * sizeof *no);
		if (!no)
			return -1;
		b->lemma_off = no;
		b->lemma_cap = nc;
	}
	memcpy(b->str + b->str_len, lemma, l);
	b->lemma_off[b->n_lemmas++] = (uint32_t)b->str_len;
	b->str_len += l;
	*id = b->n_lemmas;
	return 0;
}

static int is_vowel(char c)
{
	return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u';
}

/* Writes the Snowball English stem of w into out (size cap); "" if none. */
static void stem_of(struct sb_stemmer *st, const char *w, char *out, size_t cap)
{
	const sb_symbol *s = sb_stemmer_stem(st, (const sb_symbol *)w, (int)strlen(w));
	int n = s ? sb_stemmer_length(st) : 0;
	if (n < 0 || (size_t)n >= cap)
		n = 0;
	memcpy(out, s ? (const char *)s : "", (size_t)n);
	out[n] = '\0';
}

/* Adds a generated form of the lemma whose stem is in b->lemma_stem, when
 * libstemmer gives the form that same stem; a form that stems elsewhere is
 * not an inflection of the lemma and is dropped. */
static int add_inflected(lex_build *b, const char *form, uint32_t lemma, uint32_t flags)
{
	char st[64];
	stem_of(b->stemmer, form, st, sizeof st);
	size_t n = strlen(b->lemma_stem);
	/* Snowball undoes a doubled consonant left by -ed or -ing (added ->
	 * ad, scoffed -> scof) but not in the bare lemma (add -> add). */
	int undoubled = n >= 2 && b->lemma_stem[n - 1] == b->lemma_stem[n - 2] &&
			strchr("bdfgmnprt", b->lemma_stem[n - 1]) &&
			strlen(st) == n - 1 && memcmp(st, b->lemma_stem, n - 1) == 0;
	if (strcmp(st, b->lemma_stem) != 0 && !undoubled)
		return 0;
	return add_form(b, form, lemma, flags);
}

/* Regular English forms: -s (and plural), -ed, -ing, with the spellings
 * that depend on the last letters: y -> ies/ied, e dropped before -ed and
 * -ing. Each generated form must have the lemma's Snowball stem
 * (libstemmer), so a rule that does not fit the word adds nothing: it drops
 * "slamed" and "braged" (forms with a doubled consonant, "slammed", come
 * from irregular.txt or from cue-words.txt) and "remarkses" for the noun
 * "remarks". */
static int add_regular(lex_build *b, const char *w, uint32_t lemma, uint32_t flags)
{
	char f[80];
	size_t n = strlen(w);
	if (n < 2 || n > 60)
		return add_form(b, w, lemma, flags);
	char last = w[n - 1], prev = w[n - 2];
	if (add_form(b, w, lemma, flags))
		return -1;
	stem_of(b->stemmer, w, b->lemma_stem, sizeof b->lemma_stem);
	/* third person, plural */
	if (last == 'y' && !is_vowel(prev))
		snprintf(f, sizeof f, "%.*sies", (int)(n - 1), w);
	else if (last == 's' || last == 'x' || last == 'z' || last == 'h' || last == 'o')
		snprintf(f, sizeof f, "%ses", w);
	else
		snprintf(f, sizeof f, "%ss", w);
	if (add_inflected(b, f, lemma, flags))
		return -1;
	if (flags & QL_NOUN)
		return 0;
	/* past */
	if (last == 'e')
		snprintf(f, sizeof f, "%sd", w);
	else if (last == 'y' && !is_vowel(prev))
		snprintf(f, sizeof f, "%.*sied", (int)(n - 1), w);
	else
		snprintf(f, sizeof f, "%sed", w);
	if (add_inflected(b, f, lemma, flags))
		return -1;
	/* gerund */
	if (last == 'e' && prev != 'e')
		snprintf(f, sizeof f, "%.*sing", (int)(n - 1), w);
	else
		snprintf(f, sizeof f, "%sing", w);
	return add_inflected(b, f, lemma, flags);
}

static char *next_field(char **p)
{
	char *s = *p;
	while (*s == ' ' || *s == '\t')
		s++;
	if (*s == '\0')
		return NULL;
	char *e = s;
	while (*e && *e != ' ' && *e != '\t')
		e++;
	if (*e)
		*e++ = '\0';
	*p = e;
	return s;
}

static void strip_line(char *line)
{
	char *h = strchr(line, '#');
	if (h)
		*h = '\0';
	size_t n = strlen(line);
	while (n && (line[n - 1] == '\n' || line[n - 1] == '\r' || line[n - 1] == ' ' ||
		     line[n - 1] == '\t'))
		line[--n] = '\0';
}

/* cues.txt: `lemma [v|n|p]` per line; irregular.txt: `lemma form...`. */
static err read_lexicon(const char *dir, lex_build *b, err_info *ei)
{
	char path[4096], line[512];
	snprintf(path, sizeof path, "%s/quote/cues.txt", dir);
	FILE *fp = fopen(path, "r");
	if (!fp)
		return ERR_OK; /* no lexicon: the stage runs on weights alone */
	unsigned ln = 0;
	while (fgets(line, sizeof line, fp)) {
		ln++;
		strip_line(line);
		char *p = line, *w = next_field(&p), *kind = next_field(&p);
		if (!w)
			continue;
		uint32_t flags = QL_VERB;
		if (kind && strcmp(kind, "n") == 0)
			flags = QL_NOUN;
		else if (kind && strcmp(kind, "p") == 0)
			flags = QL_PHRASE;
		else if (kind && strcmp(kind, "v") != 0) {
			fclose(fp);
			return err_setf(ei, ERR_MODEL, "%s:%u: kind must be v, n or p", path, ln);
		}
		uint32_t id;
		if (add_lemma(b, w, &id) ||
		    (flags == QL_PHRASE ? add_form(b, w, id, flags) : add_regular(b, w, id, flags))) {
			fclose(fp);
			return err_setf(ei, ERR_NOMEM, "out of memory reading %s", path);
		}
	}
	fclose(fp);
	snprintf(path, sizeof path, "%s/quote/irregular.txt", dir);
	fp = fopen(path, "r");
	if (!fp)
		return ERR_OK;
	while (fgets(line, sizeof line, fp)) {
		strip_line(line);
		char *p = line, *w = next_field(&p), *f;
		if (!w)
			continue;
		uint32_t id;
		if (add_lemma(b, w, &id)) {
			fclose(fp);
			return err_setf(ei, ERR_NOMEM, "out of memory reading %s", path);
		}
		while ((f = next_field(&p)))
			if (add_form(b, f, id, QL_VERB)) {
				fclose(fp);
				return err_setf(ei, ERR_NOMEM, "out of memory reading %s", path);
			}
	}
	fclose(fp);
	return ERR_OK;
}

static err pack_lexicon(lex_build *b, model_writer *w, err_info *ei)
{
	uint32_t nslots = 64;
	while (nslots < b->n * 3)
		nslots *= 2;
	size_t len = 16 + (size_t)nslots * sizeof(qlex_slot) + (size_t)b->n_lemmas * 4 +
		     b->str_len;
	char *buf = calloc(1, len);
	if (!buf)
		return err_setf(ei, ERR_NOMEM, "out of memory packing the quote lexicon");
	uint32_t h[4] = {QUOTE_LEX_MAGIC, nslots, b->n_lemmas, (uint32_t)b->str_len};
	memcpy(buf, h, sizeof h);
	qlex_slot *slots = (qlex_slot *)(void *)(buf + 16);
	for (size_t k = 0; k < b->n; k++) {
		uint64_t hv = quote_word_hash64(b->v[k].form, (uint32_t)strlen(b->v[k].form));
		uint32_t i = (uint32_t)hv & (nslots - 1);
		while (slots[i].lemma != 0 && slots[i].hash != hv)
			i = (i + 1) & (nslots - 1);
		slots[i].hash = hv;
		slots[i].lemma = b->v[k].lemma;
		slots[i].flags |= b->v[k].flags;
	}
	memcpy(buf + 16 + (size_t)nslots * sizeof(qlex_slot), b->lemma_off,
	       (size_t)b->n_lemmas * 4);
	memcpy(buf + 16 + (size_t)nslots * sizeof(qlex_slot) + (size_t)b->n_lemmas * 4, b->str,
	       b->str_len);
	err e = model_writer_add(w, QUOTE_TAG_LEX, buf, len);
	free(buf);
	return e == ERR_OK ? ERR_OK : err_setf(ei, e, "cannot add the quote lexicon section");
}

static err pack_tagger(const char *dir, const char *name, uint32_t tag, model_writer *w,
		       err_info *ei)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/quote/%s", dir, name);
	FILE *fp = fopen(path, "rb");
	if (!fp)
		return ERR_OK; /* untrained: rules stand in */
	if (fseek(fp, 0, SEEK_END) != 0) {
		fclose(fp);
		return err_setf(ei, ERR_IO, "%s: cannot seek", path);
	}
	long n = ftell(fp);
	rewind(fp);
	if (n <= 0 || n > (64l << 20)) {
		fclose(fp);
		return err_setf(ei, ERR_MODEL, "%s: bad size", path);
	}
	char *buf = malloc((size_t)n);
	if (!buf) {
		fclose(fp);
		return err_setf(ei, ERR_NOMEM, "out of memory reading %s", path);
	}
	size_t got = fread(buf, 1, (size_t)n, fp);
	fclose(fp);
	if (got != (size_t)n) {
		free(buf);
		return err_setf(ei, ERR_IO, "%s: short read", path);
	}
	uint32_t magic;
	memcpy(&magic, buf, sizeof magic);
	if (magic != QUOTE_TAGGER_MAGIC) {
		free(buf);
		return err_setf(ei, ERR_MODEL, "%s: not a quote tagger file", path);
	}
	err e = model_writer_add(w, tag, buf, (size_t)n);
	free(buf);
	return e == ERR_OK ? ERR_OK : err_setf(ei, e, "cannot add section from %s", path);
}

/* Words that began a cue in the training data (cue-words.txt, written by
 * `make train`): the cue tagger looks near them. Read last, so that a
 * known form keeps its lemma. */
static err read_seen(const char *dir, lex_build *b, err_info *ei)
{
	char path[4096], line[512];
	FILE *fp;
	/* words that began a cue in the training data, written by `make train` */
	snprintf(path, sizeof path, "%s/quote/cue-words.txt", dir);
	fp = fopen(path, "r");
	if (fp) {
		while (fgets(line, sizeof line, fp)) {
			strip_line(line);
			char *p = line, *w = next_field(&p);
			if (!w)
				continue;
			uint32_t id = 0;
			for (size_t k = 0; k < b->n && !id; k++)
				if (strcmp(b->v[k].form, w) == 0)
					id = b->v[k].lemma;
			if ((!id && add_lemma(b, w, &id)) || add_form(b, w, id, QL_SEEN)) {
				fclose(fp);
				return err_setf(ei, ERR_NOMEM, "out of memory reading %s", path);
			}
		}
		fclose(fp);
	}
	return ERR_OK;
}

err quote_build(const char *src_dir, model_writer *w, err_info *ei)
{
	lex_build b = {0};
	b.stemmer = sb_stemmer_new("english", "UTF_8");
	if (!b.stemmer)
		return err_setf(ei, ERR_MODEL, "libstemmer: cannot make the English stemmer");
	err e = read_lexicon(src_dir, &b, ei);
	if (e == ERR_OK)
		e = read_seen(src_dir, &b, ei);
	if (e == ERR_OK && b.n)
		e = pack_lexicon(&b, w, ei);
	free(b.v);
	free(b.str);
	free(b.lemma_off);
	sb_stemmer_delete(b.stemmer);
	if (e == ERR_OK)
		e = pack_tagger(src_dir, "cue.tagger", QUOTE_TAG_CUE, w, ei);
	if (e == ERR_OK)
		e = pack_tagger(src_dir, "role.tagger", QUOTE_TAG_ROLE, w, ei);
	return e;
}
