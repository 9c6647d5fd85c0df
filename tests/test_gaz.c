/* SPDX-License-Identifier: MIT */
/* Unit tests of the entity stage: each rule on a tiny model compiled by
 * gaz_build from a few .tsv lines in a temporary folder, opened from memory;
 * the normalizer; a corrupt or truncated model refused. Then every case of
 * tests/spec/gaz.txt (its own model lines, texts and expected mentions). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "../models/gaz_format.h"
#include "../stages/gaz.h"
#include "../stages/norm.h"

typedef struct {
	char dir[64];
	void *buf;
	size_t len;
	model *m;
	gaz_model *g;
	arena a;
	char *text; /* exactly sized copy of the text last tagged */
	gaz_list out;
} fixture;

static void rm_tree(const char *dir)
{
	char p[128];
	snprintf(p, sizeof p, "%s/gaz/t.tsv", dir);
	unlink(p);
	snprintf(p, sizeof p, "%s/gaz", dir);
	rmdir(p);
	rmdir(dir);
}

/* Compiles tsv (lines of the source format) into bytes; ERR_* of gaz_build. */
static err compile(const char *tsv, void **buf, size_t *len, err_info *ei)
{
	char dir[] = "/tmp/test_gaz.XXXXXX";
	if (!mkdtemp(dir))
		return ERR_IO;
	char p[128];
	snprintf(p, sizeof p, "%s/gaz", dir);
	if (mkdir(p, 0700) != 0)
		return ERR_IO;
	snprintf(p, sizeof p, "%s/gaz/t.tsv", dir);
	FILE *f = fopen(p, "w");
	if (!f)
		return ERR_IO;
	fputs(tsv, f);
	fclose(f);
	model_writer *w;
	err e = model_writer_open(&w);
	if (!e)
		e = gaz_build(dir, w, ei);
	if (!e)
		e = model_writer_bytes(w, buf, len);
	model_writer_close(w);
	rm_tree(dir);
	return e;
}

static void open_model(fixture *f, const char *tsv)
{
	err_info ei = {0};
	err e = compile(tsv, &f->buf, &f->len, &ei);
	if (e)
		fail_msg("gaz_build: %s", ei.msg);
	assert_int_equal(model_open_mem(f->buf, f->len, &f->m, &ei), ERR_OK);
	e = gaz_open(f->m, &f->g, &ei);
	if (e)
		fail_msg("gaz_open: %s", ei.msg);
	arena_init(&f->a, 64u << 20);
}

static void close_model(fixture *f)
{
	gaz_close(f->g);
	model_close(f->m);
	free(f->buf);
	free(f->text);
	arena_fini(&f->a);
	memset(f, 0, sizeof *f);
}

static const gaz_list *tag_at(fixture *f, const char *text, const char *date)
{
	arena_reset(&f->a);
	free(f->text);
	size_t len = strlen(text);
	f->text = malloc(len ? len : 1); /* no NUL on purpose */
	memcpy(f->text, text, len);
	tok_list t;
	sent_list s;
	assert_int_equal(tok_scan(f->text, (uint32_t)len, &f->a, &t), ERR_OK);
	assert_int_equal(sent_split(f->text, &t, &f->a, &s), ERR_OK);
	assert_int_equal(gaz_tag_at(f->g, f->text, &t, &s, date, date ? (uint32_t)strlen(date) : 0, &f->a, &f->out),
			 ERR_OK);
	for (uint32_t k = 0; k < f->out.n; k++) {
		const gaz_mention *m = &f->out.v[k];
		assert_true(m->off + m->len <= len);
		if (k)
			assert_true(f->out.v[k - 1].off + f->out.v[k - 1].len <= m->off);
	}
	return &f->out;
}

static const gaz_list *tag(fixture *f, const char *text)
{
	return tag_at(f, text, NULL);
}

/* The mention whose text is s, or NULL. */
static const gaz_mention *find(const fixture *f, const char *s)
{
	size_t l = strlen(s);
	for (uint32_t k = 0; k < f->out.n; k++)
		if (f->out.v[k].len == l && memcmp(f->text + f->out.v[k].off, s, l) == 0)
			return &f->out.v[k];
	return NULL;
}

static int name_is(const gaz_mention *m, const char *s)
{
	return m && m->name_len == strlen(s) && memcmp(m->name, s, m->name_len) == 0;
}

static int id_is(const gaz_mention *m, const char *s)
{
	return m && m->id && m->id_len == strlen(s) && memcmp(m->id, s, m->id_len) == 0;
}

/* Until the real tokenizer lands, punctuation may not be split off. */
static int tokenizer_splits_punct(void)
{
	arena a;
	arena_init(&a, 1 << 20);
	tok_list t;
	int ok = tok_scan("a, b", 4, &a, &t) == ERR_OK && t.n == 3 && t.v[1].type == TOK_COMMA;
	arena_fini(&a);
	return ok;
}

static const char base_tsv[] =
	"Kim Jong Un\tPER\tQ56226\tKim Jong Un\tcc=KP;gender=m\n"
	"Vladimir Putin\tPER\tQ7747\tVladimir Putin\tcc=RU;gender=m\n"
	"North Korea\tLOC\tiso:KP\tNorth Korea\tcc=KP\n"
	"Korea\tLOC\tQ18097\tKorea\t\n"
	"DPRK\tLOC\tiso:KP\tNorth Korea\tcc=KP\n"
	"US\tLOC\tiso:US\tUnited States\tcc=US\n"
	"Seoul\tLOC\tgeonames:1835848\tSeoul\tcc=KR;pop=10349312\n"
	"Georgia\tLOC\tiso:GE\tGeorgia\tcc=GE;weak=1\n"
	"Will\tMISC\tword:will\tWill\tweak=1\n"
	"Russian\tNORP\tiso:RU\tRussia\tcc=RU\n"
	"Soviet\tNORP\tQ15180\tSoviet Union\t\n"
	"Russian president\tROLE\tQ7747\tVladimir Putin\tcc=RU;office=President of Russia;start=2012-05-07\n"
	"Russian president\tROLE\tQ23685\tDmitry Medvedev\tcc=RU;office=President of Russia;start=2008-05-07;end=2012-05-07\n"
	"President\tTITLE\t\t\t\n"
	"Mr.\tTITLE\t\t\tgender=m\n"
	"Mrs.\tTITLE\t\t\t\n"
	"Defense Minister\tTITLE\t\t\t\n"
	"driver\tTITLE\t\t\t\n"
	"Thomas\tFIRST\t\t\tgender=m;count=5000\n"
	"Roman\tFIRST\t\t\tgender=m;count=900\n"
	"Roman\tMISC\tword:roman\tRoman\tweak=1\n"
	"People's Republic\tLOC\tx:pr\tPeople's Republic\t\n"
	"Zelenskyy\tPER\tQ3881\tVolodymyr Zelenskyy\tweak=1\n"
	"Reuters\tORG\torg:reuters\tReuters\tkind=media\n"
	"Hillary Clinton\tPER\tQ6294\tHillary Clinton\tcc=US;gender=f\n"
	"Bill Clinton\tPER\tQ1124\tBill Clinton\tcc=US;gender=m\n"
	"Xi Jinping\tPER\tQ15031\tXi Jinping\tcc=CN;gender=m\n"
	"South Korea\tLOC\tiso:KR\tSouth Korea\tcc=KR\n"
	"Ukraine\tLOC\tiso:UA\tUkraine\tcc=UA\n"
	"Russia\tLOC\tiso:RU\tRussia\tcc=RU\n"
	"Mary\tFIRST\t\t\tgender=f;count=4116\n"
	"Melanie\tFIRST\t\t\tgender=f;count=900\n";

static int setup(void **state)
{
	fixture *f = calloc(1, sizeof *f);
	open_model(f, base_tsv);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;
	close_model(f);
	free(f);
	return 0;
}

static void test_norm_variants(void **state)
{
	(void)state;
	char a[64], b[64];
	uint32_t la = norm_token("Jong-Un", 7, TOK_HYPHWORD, a);
	assert_int_equal(la, 7);
	assert_memory_equal(a, "jong un", 7);
	/* U+2011 non-breaking hyphen, U+2019 apostrophe */
	uint32_t lb = norm_token("Jong\xe2\x80\x91Un", 9, TOK_HYPHWORD, b);
	assert_int_equal(lb, 7);
	assert_memory_equal(b, "jong un", 7);
	la = norm_token("People\xe2\x80\x99s", 10, TOK_WORD, a);
	lb = norm_token("People's", 8, TOK_WORD, b);
	assert_int_equal(la, lb);
	assert_memory_equal(a, b, la);
	/* diacritics and case: "Zelénskyy" and "ZELENSKYY" */
	la = norm_token("Zel\xc3\xa9nskyy", 10, TOK_WORD, a);
	lb = norm_token("ZELENSKYY", 9, TOK_WORD, b);
	assert_int_equal(la, lb);
	assert_memory_equal(a, b, la);
	la = norm_token("U.N.", 4, TOK_ABBR, a);
	assert_int_equal(la, 2);
	assert_memory_equal(a, "un", 2);
	/* German sharp s folds to ss */
	la = norm_token("Stra\xc3\x9f" "e", 7, TOK_WORD, a);
	assert_memory_equal(a, "strasse", la);
}

static void test_exact_longest(void **state)
{
	fixture *f = *state;
	tag(f, "Officials in North Korea and Korea met Vladimir Putin");
	const gaz_mention *m = find(f, "North Korea");
	assert_non_null(m);
	assert_int_equal(m->type, GAZ_LOC);
	assert_true(id_is(m, "iso:KP"));
	assert_true(m->flags & GAZF_KNOWN);
	m = find(f, "Korea");
	assert_non_null(m);
	assert_true(id_is(m, "Q18097"));
	m = find(f, "Vladimir Putin");
	assert_non_null(m);
	assert_int_equal(m->type, GAZ_PER);
	assert_true(name_is(m, "Vladimir Putin"));
	assert_true(m->flags & GAZF_MALE);
	assert_int_equal(f->out.n, 3);
}

static void test_spelling_variants(void **state)
{
	fixture *f = *state;
	tag(f, "Kim Jong-Un met Kim Jong-un and later Kim Jong\nUn met Zel\xc3\xa9nskyy in the People\xe2\x80\x99s Republic");
	const char *forms[] = {"Kim Jong-Un", "Kim Jong-un", "Kim Jong\nUn"};
	for (int k = 0; k < 3; k++) {
		const gaz_mention *m = find(f, forms[k]);
		assert_non_null(m);
		assert_true(id_is(m, "Q56226"));
		assert_true(name_is(m, "Kim Jong Un"));
	}
	assert_true(id_is(find(f, "Zel\xc3\xa9nskyy"), "Q3881"));
	assert_true(id_is(find(f, "People\xe2\x80\x99s Republic"), "x:pr"));
}

static void test_acronym_case(void **state)
{
	fixture *f = *state;
	tag(f, "Let us talk to the DPRK and the US today");
	assert_non_null(find(f, "DPRK"));
	assert_true(name_is(find(f, "US"), "United States"));
	assert_null(find(f, "us"));
	assert_int_equal(f->out.n, 2);
}

static void test_weak_needs_evidence(void **state)
{
	fixture *f = *state;
	tag(f, "Georgia will say that people in Georgia Will know");
	assert_int_equal(f->out.n, 2);
	assert_int_equal(f->out.v[0].type, GAZ_LOC); /* "in Georgia" */
	assert_int_equal(f->out.v[0].off, 32);
	assert_int_equal(f->out.v[1].type, GAZ_MISC); /* "Will" mid-sentence capital */
	tag(f, "Georgia");
	assert_int_equal(f->out.n, 0);
}

static void test_all_caps(void **state)
{
	fixture *f = *state;
	/* a headline in capitals: the weak word is no entity, the listed city is */
	tag(f, "WILL SEOUL WIN");
	assert_null(find(f, "WILL"));
	assert_non_null(find(f, "SEOUL"));
	/* a dateline */
	tag(f, "SEOUL ( UPI ) -- North Korea said");
	const gaz_mention *m = find(f, "SEOUL");
	assert_non_null(m);
	assert_int_equal(m->type, GAZ_LOC);
}

static void test_role_by_date(void **state)
{
	fixture *f = *state;
	tag_at(f, "He said that the Russian president would come", "2010-03-01");
	const gaz_mention *m = find(f, "the Russian president");
	assert_non_null(m);
	assert_int_equal(m->type, GAZ_PER);
	assert_true(m->flags & GAZF_ROLE);
	assert_true(name_is(m, "Dmitry Medvedev"));
	tag_at(f, "He said that the Russian president would come", "2024-05-09T10:00:00Z");
	assert_true(name_is(find(f, "the Russian president"), "Vladimir Putin"));
	tag(f, "He said that the Russian president would come");
	assert_true(name_is(find(f, "the Russian president"), "Vladimir Putin"));
	/* followed by a name, the role is a title */
	tag(f, "He met Russian President Vladimir Putin");
	assert_int_equal(f->out.n, 2);
	assert_int_equal(find(f, "Russian")->type, GAZ_NORP);
	assert_true(id_is(find(f, "Vladimir Putin"), "Q7747"));
}

static void test_title_name(void **state)
{
	fixture *f = *state;
	tag(f, "The visit of Defense Minister Andrei Belousov surprised Mr. Smith");
	const gaz_mention *m = find(f, "Andrei Belousov");
	assert_non_null(m);
	assert_int_equal(m->type, GAZ_PER);
	assert_null(m->id);
	assert_true(name_is(m, "Andrei Belousov"));
	m = find(f, "Smith");
	assert_non_null(m);
	assert_true(m->flags & GAZF_MALE);
	tag(f, "They thanked Mrs. Jones");
	assert_true(find(f, "Jones")->flags & GAZF_FEMALE); /* gender from the honorific itself */
}

static void test_first_name(void **state)
{
	fixture *f = *state;
	tag(f, "By Thomas Maresca May 9 and Roman Gulydov met Roman soldiers");
	const gaz_mention *m = find(f, "Thomas Maresca");
	assert_non_null(m);
	assert_int_equal(m->type, GAZ_PER);
	assert_true(m->flags & GAZF_MALE);
	assert_non_null(find(f, "Roman Gulydov"));
	m = find(f, "Roman");
	assert_non_null(m); /* weak list word, capital mid-sentence */
	assert_int_equal(m->type, GAZ_MISC);
}

static void test_appositive_and_verb(void **state)
{
	fixture *f = *state;
	if (!tokenizer_splits_punct())
		skip();
	tag(f, "Yesterday Giya Merkeliya, a 55-year-old driver, waited. Then Ivan Sidorov said no.");
	const gaz_mention *m = find(f, "Giya Merkeliya");
	assert_non_null(m);
	assert_int_equal(m->type, GAZ_PER);
	m = find(f, "Ivan Sidorov");
	assert_non_null(m);
	assert_int_equal(m->type, GAZ_PER);
	/* a capitalized pair with neither is left alone */
	tag(f, "They saw Blue Lanterns yesterday.");
	assert_int_equal(f->out.n, 0);
}

static void test_org_shape(void **state)
{
	fixture *f = *state;
	tag(f, "the Wagner Group and the Center for Advanced Defense Studies and the Soviet Red Army and Acme Widgets Inc.");
	const gaz_mention *m = find(f, "Wagner Group");
	assert_non_null(m);
	assert_int_equal(m->type, GAZ_ORG);
	assert_non_null(find(f, "Center for Advanced Defense Studies"));
	assert_non_null(find(f, "Red Army"));
	assert_int_equal(find(f, "Soviet")->type, GAZ_NORP);
	if (tokenizer_splits_punct())
		assert_non_null(find(f, "Acme Widgets Inc."));
}

static void test_paren_acronym(void **state)
{
	fixture *f = *state;
	if (!tokenizer_splits_punct())
		skip();
	tag(f, "according to the Center for Advanced Defense Studies ( C4ADS ) today");
	const gaz_mention *m = find(f, "C4ADS");
	assert_non_null(m);
	assert_int_equal(m->type, GAZ_ORG);
	assert_true(m->flags & GAZF_COREF);
	assert_true(name_is(m, "Center for Advanced Defense Studies"));
}

static void test_coref(void **state)
{
	fixture *f = *state;
	tag(f, "Roman Gulydov and Kim Jong-Un and Vladimir Putin met and Gulydov and Kim thanked Mr. Putin");
	const gaz_mention *m = find(f, "Gulydov");
	assert_non_null(m);
	assert_int_equal(m->type, GAZ_PER);
	assert_true(m->flags & GAZF_COREF);
	assert_true(name_is(m, "Roman Gulydov"));
	assert_int_equal(m->ref, 0);
	m = find(f, "Kim");
	assert_non_null(m);
	assert_true(id_is(m, "Q56226"));
	assert_true(name_is(m, "Kim Jong Un"));
	assert_true(m->flags & GAZF_MALE);
	m = find(f, "Putin");
	assert_non_null(m);
	assert_true(id_is(m, "Q7747"));
	assert_true(m->flags & GAZF_COREF);
}

static void test_transcript_label(void **state)
{
	fixture *f = *state;
	if (!tokenizer_splits_punct())
		skip();
	tag(f, "Intro.\nTAPPER: Do you agree?\nUPDATE: no.");
	assert_int_equal(find(f, "TAPPER")->type, GAZ_PER);
	assert_null(find(f, "UPDATE"));
}

static void test_late_coref(void **state)
{
	fixture *f = *state;
	/* a headline name before the full name it stands for */
	tag(f, "Gulydov speaks\n\nThe driver Roman Gulydov met Pence Tower staff");
	const gaz_mention *m = find(f, "Gulydov");
	assert_non_null(m);
	assert_int_equal(m->type, GAZ_PER);
	assert_true(m->flags & GAZF_COREF);
	assert_true(name_is(m, "Roman Gulydov"));
	assert_int_equal(m->ref, 1); /* renumbered after the merge */
	assert_int_equal(f->out.v[1].off, 27);
}

static void test_plural_norp(void **state)
{
	fixture *f = *state;
	tag(f, "Many Russians and one Russian");
	const gaz_mention *m = find(f, "Russians");
	assert_non_null(m);
	assert_int_equal(m->type, GAZ_NORP);
	assert_true(m->flags & GAZF_PLURAL);
	assert_true(name_is(m, "Russia"));
	assert_false(find(f, "Russian")->flags & GAZF_PLURAL);
}

static void test_surnames(void **state)
{
	fixture *f = *state;
	/* a listed person's surname alone: weak, so evidence decides */
	tag(f, "Putin arrived.");
	assert_int_equal(f->out.n, 0); /* sentence-initial: no evidence */
	tag(f, "Putin arrived. Later Putin said yes and Clinton said no and Xi agreed.");
	const gaz_mention *m = &f->out.v[1];
	assert_int_equal(m->off, 21);
	assert_true(id_is(m, "Q7747"));
	assert_true(m->flags & GAZF_MALE);
	/* the sentence-initial one takes the person found with evidence */
	assert_int_equal(f->out.v[0].off, 0);
	assert_true(f->out.v[0].flags & GAZF_COREF);
	assert_int_equal(f->out.v[0].ref, 1);
	assert_true(id_is(&f->out.v[0], "Q7747"));
	m = find(f, "Clinton");
	assert_non_null(m);
	assert_int_equal(m->type, GAZ_PER);
	assert_null(m->id); /* two listed Clintons */
	m = find(f, "Xi"); /* family name first */
	assert_non_null(m);
	assert_true(id_is(m, "Q15031"));
	tag(f, "Putin's visit");
	assert_true(id_is(find(f, "Putin"), "Q7747"));
}

static void test_hyphen_parts(void **state)
{
	fixture *f = *state;
	tag(f, "the U.S.-South Korea drills and the Russia-Ukraine war and pro-Russian groups");
	const gaz_mention *m = find(f, "South Korea");
	assert_non_null(m);
	assert_true(id_is(m, "iso:KR"));
	assert_true(id_is(find(f, "Russia"), "iso:RU"));
	assert_true(id_is(find(f, "Ukraine"), "iso:UA"));
	assert_int_equal(find(f, "Russian")->type, GAZ_NORP);
}

static void test_place_shape(void **state)
{
	fixture *f = *state;
	tag(f, "They marched on Red Square and sailed the Gulf of Aden");
	assert_int_equal(find(f, "Red Square")->type, GAZ_LOC);
	assert_int_equal(find(f, "Gulf of Aden")->type, GAZ_LOC);
}

static void test_initials_and_one_word(void **state)
{
	fixture *f = *state;
	if (!tokenizer_splits_punct())
		skip();
	tag(f, "A clip of Mary J. Blige aired. \"Yes,\" Melanie said. The host, Limbaugh said, was wrong.");
	const gaz_mention *m = find(f, "Mary J. Blige");
	assert_non_null(m);
	assert_true(m->flags & GAZF_FEMALE);
	assert_int_equal(find(f, "Melanie")->type, GAZ_PER);
	assert_int_equal(find(f, "Limbaugh")->type, GAZ_PER);
	tag(f, "Analysts said it was late.");
	assert_int_equal(f->out.n, 0);
}

/* Random words, capitals, punctuation, quotes, long words and invalid
 * bytes: no error, mentions in order and inside the text (tag() checks). */
static void test_hostile_text(void **state)
{
	fixture *f = *state;
	static const char *const words[] = {
		"Kim", "Jong-Un", "Putin", "said", "the", "Russian", "president", "Mr.", "(", ")", ",", ".",
		"\"", "\xe2\x80\x9c", "Georgia", "WILL", "Center", "for", "Group", "Roman", "Thomas",
		"J.", "U.S.-South", "Korea", "\n", "\n\n", "a", "55-year-old", "driver", "\xff\xfe", "Z\xc3\xa9",
		"Defense", "Minister", "'s", "Gulydov", "Red", "Square", "Inc.", "--", "SEOUL"};
	size_t nw = sizeof words / sizeof words[0], cap = 300000, len = 0;
	char *buf = malloc(cap + 2048);
	uint32_t seed = 12345;
	while (len < cap) {
		seed = seed * 1103515245u + 12345u;
		const char *w = words[(seed >> 8) % nw];
		size_t l = strlen(w);
		memcpy(buf + len, w, l);
		len += l;
		buf[len++] = (seed >> 20) % 5 ? ' ' : '\n';
		if ((seed >> 4) % 997 == 0) { /* a word longer than any key */
			memset(buf + len, 'A', 1500);
			len += 1500;
			buf[len++] = ' ';
		}
	}
	buf[len] = '\0';
	tag(f, buf);
	assert_true(f->out.n > 0);
	for (uint32_t k = 0; k < f->out.n; k++) {
		const gaz_mention *m = &f->out.v[k];
		assert_true(m->type > GAZ_NONE && m->type < GAZ_TYPE_COUNT);
		assert_true(m->ref < (int32_t)f->out.n && m->ref != (int32_t)k);
		if (m->ref >= 0)
			assert_true(f->out.v[m->ref].type == m->type);
		assert_true(m->name != NULL && m->name_len > 0);
	}
	free(buf);
}

/* The tagger's filters (lower-case key starts, words after a key prefix,
 * GAZP) never drop a phrase: keys that go on with a number, a punctuation
 * mark, a curly apostrophe or a lower-case word, lower-case keys with an
 * apostrophe or written in mixed case, found after words that share their
 * shape. */
static void test_prefilters(void **state)
{
	(void)state;
	fixture f;
	memset(&f, 0, sizeof f);
	open_model(&f, "Apollo 11\tMISC\tx:a11\tApollo 11\t\n"
		       "Yahoo!\tORG\tx:y\tYahoo!\t\n"
		       "the Kremlin\tORG\tx:k\tKremlin\tkind=gov\n"
		       "rock 'n' roll fans\tMISC\tx:r\tRock fans\t\n"
		       "o'clock news\tMISC\tx:o\tThe news\t\n"
		       "Ivory Coast\tLOC\tx:ci\tIvory Coast\t\n"
		       "People's Republic\tLOC\tx:pr\tPeople's Republic\t\n");
	tag(&f, "Yahoo! said the Kremlin, then Apollo 11 and Apollo 12 flew. The Kremlin and "
		"tha Kremlin saw rock 'n' roll fans and o'clock news; Ivory Coast, Ivory Coats, "
		"the People\xe2\x80\x99s Republic. Then thE Kremlin spoke.");
	assert_true(id_is(find(&f, "Apollo 11"), "x:a11"));
	assert_null(find(&f, "Apollo 12"));
	assert_true(id_is(find(&f, "the Kremlin"), "x:k"));
	assert_true(id_is(find(&f, "The Kremlin"), "x:k"));
	assert_true(id_is(find(&f, "thE Kremlin"), "x:k")); /* no lower-case word, no filter */
	assert_true(id_is(find(&f, "o'clock news"), "x:o"));
	assert_true(id_is(find(&f, "Ivory Coast"), "x:ci"));
	assert_null(find(&f, "Ivory Coats"));
	assert_true(id_is(find(&f, "People\xe2\x80\x99s Republic"), "x:pr"));
	if (tokenizer_splits_punct()) {
		assert_true(id_is(find(&f, "Yahoo!"), "x:y"));
		assert_true(id_is(find(&f, "rock 'n' roll fans"), "x:r"));
	}
	close_model(&f);
}

/* lower_starts_key dismisses a lower-case title alone; each case here is
 * one it must keep: a capitalized name after the title, an entity or a
 * role written in lower case, a longer key that starts with the title. */
static void test_lower_title(void **state)
{
	(void)state;
	fixture f;
	memset(&f, 0, sizeof f);
	open_model(&f, "spokesman\tTITLE\t\t\t\n"
		       "voters\tTITLE\t\t\t\n"
		       "aspirin\tMISC\tx:asp\tAspirin\t\n"
		       "aspirin\tTITLE\t\t\t\n"
		       "pope\tROLE\tQ450675\tPope Francis\tstart=2013-03-13\n"
		       "pope\tTITLE\t\t\t\n"
		       "voters day\tMISC\tx:vd\tVoters Day\t\n");
	tag(&f, "The spokesman said voters liked it. The spokesman Jon Kirby arrived.");
	assert_int_equal(f.out.n, 1);
	const gaz_mention *m = find(&f, "Jon Kirby");
	assert_non_null(m);
	assert_int_equal(m->type, GAZ_PER);
	tag(&f, "He took aspirin daily, and the pope spoke on voters day at noon.");
	assert_true(id_is(find(&f, "aspirin"), "x:asp"));
	m = find(&f, "the pope");
	assert_non_null(m);
	assert_true(m->flags & GAZF_ROLE);
	assert_true(name_is(m, "Pope Francis"));
	assert_true(id_is(find(&f, "voters day"), "x:vd"));
	close_model(&f);
}

static void test_null_model(void **state)
{
	(void)state;
	arena a;
	arena_init(&a, 1 << 20);
	tok_list t;
	gaz_list out;
	assert_int_equal(tok_scan("Putin", 5, &a, &t), ERR_OK);
	assert_int_equal(gaz_tag(NULL, "Putin", &t, NULL, &a, &out), ERR_OK);
	assert_int_equal(out.n, 0);
	arena_fini(&a);
}

static void test_bad_source(void **state)
{
	(void)state;
	void *buf = NULL;
	size_t len;
	err_info ei = {0};
	err e = compile("Moscow\tLOC\tx\tMoscow\t\nParis\tCITY\tx\tParis\t\n", &buf, &len, &ei);
	assert_int_equal(e, ERR_MODEL);
	assert_non_null(strstr(ei.msg, "t.tsv:2"));
	free(buf);
}

/* Rewrites one field of a compiled model and expects gaz_open to refuse it. */
static void expect_refused(const void *good, size_t len, uint32_t tag, size_t at, const void *bytes,
			   size_t n, const char *words)
{
	void *b = NULL;
	assert_int_equal(posix_memalign(&b, 8, len), 0);
	memcpy(b, good, len);
	model *m;
	err_info ei = {0};
	assert_int_equal(model_open_mem(b, len, &m, &ei), ERR_OK);
	const void *p;
	uint64_t sl;
	assert_int_equal(model_section_get(m, tag, &p, &sl), ERR_OK);
	memcpy((char *)b + ((const char *)p - (const char *)b) + at, bytes, n);
	gaz_model *g = NULL;
	assert_int_equal(gaz_open(m, &g, &ei), ERR_MODEL);
	assert_null(g);
	assert_non_null(strstr(ei.msg, words));
	model_close(m);
	free(b);
}

static void test_corrupt_model(void **state)
{
	fixture *f = *state;
	uint32_t v;
	v = 1000; /* not a power of two */
	expect_refused(f->buf, f->len, GAZ_SEC_HEADER, offsetof(gaz_header, n_slots), &v, 4, "power of two");
	v = 99;
	expect_refused(f->buf, f->len, GAZ_SEC_HEADER, offsetof(gaz_header, version), &v, 4, "version");
	v = 0xfffffff0u;
	expect_refused(f->buf, f->len, GAZ_SEC_HEADER, offsetof(gaz_header, n_entries), &v, 4, "entries");
	/* a key or a name pointing outside the pool */
	const gaz_header *h = NULL;
	model *m;
	err_info ei = {0};
	assert_int_equal(model_open_mem(f->buf, f->len, &m, &ei), ERR_OK);
	const void *p;
	uint64_t sl;
	assert_int_equal(model_section_get(m, GAZ_SEC_HEADER, &p, &sl), ERR_OK);
	h = p;
	uint32_t n_slots = h->n_slots;
	assert_int_equal(model_section_get(m, GAZ_SEC_TABLE, &p, &sl), ERR_OK);
	const gaz_slot *s = p;
	uint32_t used = 0;
	while (s[used].key_len == 0)
		used++;
	assert_true(used < n_slots);
	model_close(m);
	v = 0x7fffffffu;
	expect_refused(f->buf, f->len, GAZ_SEC_TABLE, used * sizeof(gaz_slot) + offsetof(gaz_slot, key_off), &v, 4,
		       "outside");
	expect_refused(f->buf, f->len, GAZ_SEC_ENTRIES, offsetof(gaz_entry, name_off), &v, 4, "outside");
	uint8_t k = 200;
	expect_refused(f->buf, f->len, GAZ_SEC_ENTRIES, offsetof(gaz_entry, kind), &k, 1, "kind");
	/* truncated: the container itself refuses it */
	assert_int_equal(model_open_mem(f->buf, f->len - 8, &m, &ei), ERR_MODEL);
	/* a model without gazetteer sections */
	model_writer *w;
	void *b;
	size_t bl;
	assert_int_equal(model_writer_open(&w), ERR_OK);
	assert_int_equal(model_writer_add(w, MODEL_TAG('X', 'X', 'X', 'X'), "x", 1), ERR_OK);
	assert_int_equal(model_writer_bytes(w, &b, &bl), ERR_OK);
	model_writer_close(w);
	assert_int_equal(model_open_mem(b, bl, &m, &ei), ERR_OK);
	gaz_model *g;
	assert_int_equal(gaz_open(m, &g, &ei), ERR_MODEL);
	assert_non_null(strstr(ei.msg, "GAZH"));
	model_close(m);
	free(b);
}

/* The model of buf without the sections skip (0-terminated), and with
 * section add (if non-zero) of n bytes; free() the result. */
static void *model_without(const void *buf, size_t len, const uint32_t *skip, uint32_t add, const void *bytes,
			   size_t n, size_t *out_len)
{
	static const uint32_t tags[] = {GAZ_SEC_HEADER, GAZ_SEC_TABLE, GAZ_SEC_ENTRIES, GAZ_SEC_POOL,
					GAZ_SEC_BLOOM,  GAZ_SEC_MORE,  GAZ_SEC_PAIRS,   GAZ_SEC_KINDS};
	model *m;
	err_info ei = {0};
	assert_int_equal(model_open_mem(buf, len, &m, &ei), ERR_OK);
	model_writer *w;
	assert_int_equal(model_writer_open(&w), ERR_OK);
	for (size_t k = 0; k < sizeof tags / sizeof *tags; k++) {
		int drop = tags[k] == add;
		for (const uint32_t *q = skip; *q; q++)
			drop |= *q == tags[k];
		const void *p;
		uint64_t sl;
		if (!drop && model_section_get(m, tags[k], &p, &sl) == ERR_OK)
			assert_int_equal(model_writer_add(w, tags[k], p, (size_t)sl), ERR_OK);
	}
	if (add)
		assert_int_equal(model_writer_add(w, add, bytes, n), ERR_OK);
	void *b;
	assert_int_equal(model_writer_bytes(w, &b, out_len), ERR_OK);
	model_writer_close(w);
	model_close(m);
	return b;
}

/* GAZP (pairs) and GAZK (kinds) only make the tagger faster: a model
 * without them tags the same; a GAZP or GAZK of a wrong size is refused. */
static void test_optional_sections(void **state)
{
	fixture *f = *state;
	static const char *const texts[] = {
		"North Korea's Kim Jong Un met Vladimir Putin in Seoul. The Russian president said, \"Yes.\"",
		"SEOUL, May 9 (Reuters) -- Mr. Putin and Defense Minister Roman Gulydov, a 55-year-old driver, "
		"spoke. Gulydov said Kim Jong-un and Xi Jinping would come. Will Thomas Smith said no.",
		"Hillary Clinton and Bill Clinton visited Ukraine and Russia. Clinton said the Soviet Union fell. "
		"Zelenskyy told the People's Republic, the DPRK and the US. Mary J. Blige sang in Georgia.",
		"the russian president the north korea kim jong un, KIM JONG UN. North\nKorea. Korea's. Roman roman.",
	};
	const uint32_t skip[] = {GAZ_SEC_PAIRS, GAZ_SEC_KINDS, GAZ_SEC_NEXT, 0};
	size_t bl;
	void *b = model_without(f->buf, f->len, skip, 0, NULL, 0, &bl);
	model *m;
	gaz_model *g;
	err_info ei = {0};
	assert_int_equal(model_open_mem(b, bl, &m, &ei), ERR_OK);
	assert_int_equal(gaz_open(m, &g, &ei), ERR_OK);
	arena a;
	arena_init(&a, 64u << 20);
	uint32_t total = 0;
	for (size_t k = 0; k < sizeof texts / sizeof *texts; k++) {
		const gaz_list *want = tag(f, texts[k]);
		tok_list t;
		sent_list s;
		gaz_list got;
		uint32_t len = (uint32_t)strlen(texts[k]);
		arena_reset(&a);
		assert_int_equal(tok_scan(f->text, len, &a, &t), ERR_OK);
		assert_int_equal(sent_split(f->text, &t, &a, &s), ERR_OK);
		assert_int_equal(gaz_tag(g, f->text, &t, &s, &a, &got), ERR_OK);
		total += want->n;
		assert_int_equal(got.n, want->n);
		for (uint32_t q = 0; q < got.n; q++) {
			const gaz_mention *x = &got.v[q], *y = &want->v[q];
			assert_int_equal(x->first, y->first);
			assert_int_equal(x->n, y->n);
			assert_int_equal(x->type, y->type);
			assert_int_equal(x->flags, y->flags);
			assert_int_equal(x->ref, y->ref);
			assert_int_equal(x->name_len, y->name_len);
			assert_memory_equal(x->name, y->name, x->name_len);
			assert_int_equal(x->id_len, y->id_len);
		}
	}
	assert_true(total >= 20);
	arena_fini(&a);
	gaz_close(g);
	model_close(m);
	free(b);
	/* wrong sizes */
	static const uint64_t odd[3] = {1, 2, 3};
	const uint32_t none[] = {0};
	b = model_without(f->buf, f->len, none, GAZ_SEC_PAIRS, odd, 24, &bl);
	assert_int_equal(model_open_mem(b, bl, &m, &ei), ERR_OK);
	g = NULL;
	assert_int_equal(gaz_open(m, &g, &ei), ERR_MODEL);
	assert_non_null(strstr(ei.msg, "GAZP"));
	model_close(m);
	free(b);
	b = model_without(f->buf, f->len, none, GAZ_SEC_KINDS, odd, 24, &bl);
	assert_int_equal(model_open_mem(b, bl, &m, &ei), ERR_OK);
	assert_int_equal(gaz_open(m, &g, &ei), ERR_MODEL);
	assert_non_null(strstr(ei.msg, "GAZK"));
	model_close(m);
	free(b);
	b = model_without(f->buf, f->len, none, GAZ_SEC_NEXT, odd, 24, &bl);
	assert_int_equal(model_open_mem(b, bl, &m, &ei), ERR_OK);
	assert_int_equal(gaz_open(m, &g, &ei), ERR_MODEL);
	assert_non_null(strstr(ei.msg, "GAZN"));
	model_close(m);
	free(b);
}

/* tests/spec/gaz.txt: "%% model" lines replace the model; then blocks of
 * text, a line ".", expected mentions "TYPE<TAB>text[<TAB>name]", a blank
 * line. Every expected mention must be found; no other mention may be. */
static void test_spec_file(void **state)
{
	(void)state;
	const char *path = "tests/spec/gaz.txt";
	FILE *fp = fopen(path, "r");
	if (!fp)
		skip();
	char line[1024];
	char tsv[8192] = "", text[4096] = "";
	enum { MODEL, TEXT, EXPECT } mode = TEXT;
	fixture f = {0};
	int have = 0, cases = 0, bad = 0;
	unsigned lno = 0;
	uint32_t expected = 0;
	while (fgets(line, sizeof line, fp)) {
		lno++;
		if (strncmp(line, "%% model", 8) == 0) {
			if (have)
				close_model(&f);
			have = 0;
			tsv[0] = '\0';
			mode = MODEL;
			continue;
		}
		if (mode == MODEL) {
			if (strcmp(line, "%%\n") == 0) {
				open_model(&f, tsv);
				have = 1;
				mode = TEXT;
				text[0] = '\0';
			} else {
				strncat(tsv, line, sizeof tsv - strlen(tsv) - 1);
			}
			continue;
		}
		if (mode == TEXT) {
			if (strcmp(line, ".\n") == 0) {
				size_t l = strlen(text);
				if (l && text[l - 1] == '\n')
					text[l - 1] = '\0';
				assert_true(have);
				tag(&f, text);
				mode = EXPECT;
				expected = 0;
				cases++;
			} else if (line[0] != '#' || text[0]) {
				strncat(text, line, sizeof text - strlen(text) - 1);
			}
			continue;
		}
		if (line[0] == '\n') {
			if (expected != f.out.n) {
				print_error("%s:%u: %u mentions expected, %u found\n", path, lno, expected, f.out.n);
				for (uint32_t k = 0; k < f.out.n; k++)
					print_error("  %s\t%.*s\n", gaz_type_name((gaz_type)f.out.v[k].type),
						    (int)f.out.v[k].len, f.text + f.out.v[k].off);
				bad++;
			}
			mode = TEXT;
			text[0] = '\0';
			continue;
		}
		line[strcspn(line, "\n")] = '\0';
		char *ty = line, *tx = strchr(line, '\t');
		if (!tx)
			continue;
		*tx++ = '\0';
		char *nm = strchr(tx, '\t');
		if (nm)
			*nm++ = '\0';
		expected++;
		const gaz_mention *m = find(&f, tx);
		if (!m || strcmp(gaz_type_name((gaz_type)m->type), ty) != 0 || (nm && !name_is(m, nm))) {
			print_error("%s:%u: expected %s \"%s\"%s%s, got %s\n", path, lno, ty, tx, nm ? " named " : "",
				    nm ? nm : "", m ? gaz_type_name((gaz_type)m->type) : "nothing");
			bad++;
		}
	}
	fclose(fp);
	if (have)
		close_model(&f);
	print_message("spec: %d cases, %d failures\n", cases, bad);
	assert_int_equal(bad, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_norm_variants),
		cmocka_unit_test_setup_teardown(test_exact_longest, setup, teardown),
		cmocka_unit_test_setup_teardown(test_spelling_variants, setup, teardown),
		cmocka_unit_test_setup_teardown(test_acronym_case, setup, teardown),
		cmocka_unit_test_setup_teardown(test_weak_needs_evidence, setup, teardown),
		cmocka_unit_test_setup_teardown(test_all_caps, setup, teardown),
		cmocka_unit_test_setup_teardown(test_role_by_date, setup, teardown),
		cmocka_unit_test_setup_teardown(test_title_name, setup, teardown),
		cmocka_unit_test_setup_teardown(test_first_name, setup, teardown),
		cmocka_unit_test_setup_teardown(test_appositive_and_verb, setup, teardown),
		cmocka_unit_test_setup_teardown(test_org_shape, setup, teardown),
		cmocka_unit_test_setup_teardown(test_paren_acronym, setup, teardown),
		cmocka_unit_test_setup_teardown(test_coref, setup, teardown),
		cmocka_unit_test_setup_teardown(test_late_coref, setup, teardown),
		cmocka_unit_test_setup_teardown(test_transcript_label, setup, teardown),
		cmocka_unit_test_setup_teardown(test_plural_norp, setup, teardown),
		cmocka_unit_test_setup_teardown(test_surnames, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hyphen_parts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_place_shape, setup, teardown),
		cmocka_unit_test_setup_teardown(test_initials_and_one_word, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hostile_text, setup, teardown),
		cmocka_unit_test(test_prefilters),
		cmocka_unit_test(test_lower_title),
		cmocka_unit_test(test_null_model),
		cmocka_unit_test(test_bad_source),
		cmocka_unit_test_setup_teardown(test_corrupt_model, setup, teardown),
		cmocka_unit_test_setup_teardown(test_optional_sections, setup, teardown),
		cmocka_unit_test(test_spec_file),
	};
	return cmocka_run_group_tests_name("gaz", tests, NULL, NULL);
}
