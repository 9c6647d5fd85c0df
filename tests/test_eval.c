/* SPDX-License-Identifier: MIT */
/* Unit tests of the evaluation's scorer (eval/score.c, eval/load.c) on tiny
 * hand-made gold and prediction pairs. Texts are copied into exactly sized
 * heap buffers so that a read past a span shows under ASan. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../eval/load.h"
#include "../eval/score.h"

static char *exact_copy(const char *s)
{
	size_t n = strlen(s);
	char *t = malloc(n ? n : 1);
	assert_non_null(t);
	memcpy(t, s, n);
	return t;
}

/* The span of the first occurrence of needle in hay (which must hold it). */
static score_span at(const char *hay, const char *needle)
{
	const char *p = strstr(hay, needle);
	assert_non_null(p);
	score_span s = {(uint32_t)(p - hay), (uint32_t)(p - hay + (ptrdiff_t)strlen(needle))};
	return s;
}

static void assert_trim(const char *text, const char *piece, bool content, const char *want)
{
	uint32_t len = (uint32_t)strlen(text);
	char *t = exact_copy(text);
	score_span s = score_trim(t, len, at(text, piece), content);
	assert_true(s.start <= s.end && s.end <= len);
	char got[256];
	memcpy(got, text + s.start, s.end - s.start);
	got[s.end - s.start] = 0;
	assert_string_equal(got, want);
	free(t);
}

static void test_trim(void **state)
{
	(void)state;
	assert_trim("x  \"Hello, world.\"  y", "  \"Hello, world.\"  ", true, "Hello, world");
	assert_trim("He said that the economy is strong.", "that the economy is strong.", true,
		    "the economy is strong");
	/* Curly marks and a "that" inside them. */
	assert_trim("said \xE2\x80\x9Cthat it is fine,\xE2\x80\x9D he",
		    "\xE2\x80\x9Cthat it is fine,\xE2\x80\x9D", true, "it is fine");
	/* "that" only goes from content, and only as a whole word. */
	assert_trim("x that man y", "that man", false, "that man");
	assert_trim("x thatcher said y", "thatcher said", true, "thatcher said");
	/* A cue of punctuation only keeps its text. */
	assert_trim("PENCE: Well", ":", false, ":");
	assert_trim("Trump, he said", "Trump,", false, "Trump");
	assert_trim("(C4ADS).", "(C4ADS).", false, "C4ADS");
	/* Non-breaking space and an em dash are trimmed; $ is not. */
	assert_trim("a\xC2\xA0$100 \xE2\x80\x94 b", "\xC2\xA0$100 \xE2\x80\x94", true, "$100");
}

static void test_quoted(void **state)
{
	(void)state;
	const char *cases[][2] = {
		{"\"We will win,\"", "1"},
		{"\xE2\x80\x9CWe will win\xE2\x80\x9D", "1"},
		{"\xC2\xAB Nous gagnerons \xC2\xBB", "1"},
		{"hailed the \xE2\x80\x98invincible alliance\xE2\x80\x99 of the two", "1"},
		{"called them 'deplorables' on Friday", "1"},
		{"Clinton\xE2\x80\x99s health is fine", "0"},
		{"the Clintons\xE2\x80\x99 foundation and Trump's", "0"},
		{"it was fine", "0"},
		/* typewriter double quotes, as the NYT texts type them */
		{"''We will win,'' he said", "1"},
		{"``We will win,'' he said", "1"},
		{"the students' union", "0"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		uint32_t len = (uint32_t)strlen(cases[i][0]);
		char *t = exact_copy(cases[i][0]);
		score_span s = {0, len};
		bool q = score_is_quoted(t, len, &s, 1);
		if (q != (cases[i][1][0] == '1'))
			fail_msg("quoted(%s) = %d", cases[i][0], q);
		free(t);
	}
}

/* One attribution "A", he said, "B." with its hull as the prediction. */
static const char *split_text = "Intro. \"We will win,\" he said, \"and soon.\" End.";

static score_gold split_gold(score_span *sp)
{
	sp[0] = at(split_text, "he");
	sp[1] = at(split_text, "said");
	sp[2] = at(split_text, "\"We will win,\"");
	sp[3] = at(split_text, "\"and soon.\"");
	score_gold g = {&sp[0], 1, &sp[1], 1, &sp[2], 2, true};
	return g;
}

static score_quote quote_of(score_span content, score_kind kind, const score_span *spk,
			    const score_span *cue)
{
	score_quote q;
	memset(&q, 0, sizeof q);
	q.content = content;
	q.kind = kind;
	if (spk) {
		q.has_spk = true;
		q.spk = *spk;
	}
	if (cue) {
		q.has_cue = true;
		q.cue = *cue;
	}
	return q;
}

static void test_exact_hull(void **state)
{
	(void)state;
	uint32_t len = (uint32_t)strlen(split_text);
	char *t = exact_copy(split_text);
	score_span sp[4];
	score_gold g = split_gold(sp);
	/* The predicted content runs from inside the first mark to inside the
	 * last: equal to the gold hull once both are trimmed. */
	score_span c = {sp[2].start + 1, sp[3].end - 1};
	score_quote q = quote_of(c, SCORE_KIND_DIRECT, &sp[0], &sp[1]);
	score_polnear acc;
	memset(&acc, 0, sizeof acc);
	assert_true(score_polnear_doc(t, len, &g, 1, &q, 1, &acc));
	for (int s = 0; s < SCORE_NSUBSETS; s++) {
		for (int r = 0; r < SCORE_NROLES; r++) {
			assert_int_equal(acc.sub[s].exact[r].tp, 1);
			assert_int_equal(acc.sub[s].exact[r].npred, 1);
			assert_int_equal(acc.sub[s].exact[r].ngold, 1);
		}
		assert_int_equal(acc.sub[s].overlap[2].tp, 1);
		assert_int_equal(acc.sub[s].spk_right, 1);
	}
	assert_int_equal(acc.gold_quoted, 1);
	free(t);
}

static void test_off_by_one(void **state)
{
	(void)state;
	const char *text = "Officials said the plan works well today.";
	uint32_t len = (uint32_t)strlen(text);
	char *t = exact_copy(text);
	score_span src = at(text, "Officials"), cue = at(text, "said");
	score_span con = at(text, "the plan works well");
	score_gold g = {&src, 1, &cue, 1, &con, 1, false};
	/* One byte short of the gold content and of the speaker. */
	score_span c2 = {con.start, con.end - 1};
	score_span s2 = {src.start, src.end - 1};
	score_quote q = quote_of(c2, SCORE_KIND_INDIRECT, &s2, &cue);
	score_polnear acc;
	memset(&acc, 0, sizeof acc);
	assert_true(score_polnear_doc(t, len, &g, 1, &q, 1, &acc));
	const score_counts *a = &acc.sub[SCORE_ALL];
	assert_int_equal(a->exact[SCORE_CONTENT].tp, 0);
	assert_int_equal(a->exact[SCORE_SRC].tp, 0);
	assert_int_equal(a->exact[SCORE_CUE].tp, 1);
	/* It still matches by overlap, at every threshold. */
	assert_int_equal(a->overlap[0].tp, 1);
	assert_int_equal(a->overlap[2].tp, 1);
	assert_int_equal(a->spk_right, 1);
	/* Not quoted on either side. */
	const score_counts *qd = &acc.sub[SCORE_QUOTED];
	assert_int_equal(qd->exact[SCORE_CONTENT].ngold, 0);
	assert_int_equal(qd->exact[SCORE_CONTENT].npred, 0);
	/* One byte more is a difference when it is a letter (" t"), not when
	 * it is a space; the period at the end of the sentence is trimmed. */
	score_span c3 = {con.start, con.end + 2};
	score_span s3 = {src.start, src.end + 1};
	q = quote_of(c3, SCORE_KIND_INDIRECT, &s3, &cue);
	memset(&acc, 0, sizeof acc);
	assert_true(score_polnear_doc(t, len, &g, 1, &q, 1, &acc));
	assert_int_equal(acc.sub[SCORE_ALL].exact[SCORE_CONTENT].tp, 0);
	assert_int_equal(acc.sub[SCORE_ALL].exact[SCORE_SRC].tp, 1);
	score_span con2 = at(text, "the plan works well today.");
	score_gold g2 = {&src, 1, &cue, 1, &con2, 1, false};
	score_span c4 = at(text, "the plan works well today");
	q = quote_of(c4, SCORE_KIND_INDIRECT, &src, &cue);
	memset(&acc, 0, sizeof acc);
	assert_true(score_polnear_doc(t, len, &g2, 1, &q, 1, &acc));
	assert_int_equal(acc.sub[SCORE_ALL].exact[SCORE_CONTENT].tp, 1);
	free(t);
}

static void test_coverage_and_one_to_one(void **state)
{
	(void)state;
	const char *text = "He said aaaa bbbb cccc dddd eeee ffff gggg hhhh iiii jjjj.";
	uint32_t len = (uint32_t)strlen(text);
	char *t = exact_copy(text);
	score_span src = at(text, "He"), cue = at(text, "said");
	score_span con = at(text, "aaaa bbbb cccc dddd eeee ffff gggg hhhh iiii jjjj");
	score_gold g = {&src, 1, &cue, 1, &con, 1, false};
	/* Half of the content, and a second quote on the other part. */
	score_quote q[2] = {quote_of(at(text, "aaaa bbbb cccc dddd eeee"), SCORE_KIND_INDIRECT,
				     NULL, NULL),
			    quote_of(at(text, "ffff gggg"), SCORE_KIND_INDIRECT, &src, NULL)};
	score_polnear acc;
	memset(&acc, 0, sizeof acc);
	assert_true(score_polnear_doc(t, len, &g, 1, q, 2, &acc));
	const score_counts *a = &acc.sub[SCORE_ALL];
	assert_int_equal(a->overlap[0].tp, 1); /* one to one */
	assert_int_equal(a->overlap[0].npred, 2);
	assert_int_equal(a->overlap[1].tp, 1); /* 24 of 49 bytes >= 30% */
	assert_int_equal(a->overlap[2].tp, 0); /* < 80% */
	/* The bigger overlap won, and it has no speaker. */
	assert_int_equal(a->spk_matched, 1);
	assert_int_equal(a->spk_right, 0);
	free(t);
}

static void test_sets_and_null_source(void **state)
{
	(void)state;
	const char *text = "Trump said A. Trump said B. It was said that C.";
	uint32_t len = (uint32_t)strlen(text);
	char *t = exact_copy(text);
	score_span sp[] = {at(text, "Trump"), at(text, "said"), at(text, "A"),
			   at(text, "said B") /* patched below */, at(text, "B"),
			   at(text, "was said"), at(text, "C")};
	sp[3].end = sp[3].start + 4;
	score_gold g[3] = {{&sp[0], 1, &sp[1], 1, &sp[2], 1, false},
			   {&sp[0], 1, &sp[3], 1, &sp[4], 1, false},
			   {NULL, 0, &sp[5], 1, &sp[6], 1, false}};
	/* Both quotes are attributed to the same (first) mention of Trump; the
	 * third has no speaker, like the gold. */
	score_quote q[3] = {quote_of(sp[2], SCORE_KIND_INDIRECT, &sp[0], &sp[1]),
			    quote_of(sp[4], SCORE_KIND_INDIRECT, &sp[0], &sp[3]),
			    quote_of(sp[6], SCORE_KIND_INDIRECT, NULL, &sp[5])};
	score_polnear acc;
	memset(&acc, 0, sizeof acc);
	assert_true(score_polnear_doc(t, len, g, 3, q, 3, &acc));
	const score_counts *a = &acc.sub[SCORE_ALL];
	assert_int_equal(a->exact[SCORE_SRC].ngold, 1); /* a set: one span */
	assert_int_equal(a->exact[SCORE_SRC].npred, 1);
	assert_int_equal(a->exact[SCORE_SRC].tp, 1);
	assert_int_equal(a->exact[SCORE_CUE].tp, 3);
	assert_int_equal(a->spk_right, 3);
	assert_int_equal(a->spk_with_src, 2);
	free(t);
}

static void test_empty_and_missing(void **state)
{
	(void)state;
	const char *text = "\"Yes,\" she said.";
	uint32_t len = (uint32_t)strlen(text);
	char *t = exact_copy(text);
	score_span sp[] = {at(text, "she"), at(text, "said"), at(text, "\"Yes,\"")};
	score_gold g = {&sp[0], 1, &sp[1], 1, &sp[2], 1, true};
	score_polnear acc;
	memset(&acc, 0, sizeof acc);
	assert_true(score_polnear_doc(t, len, &g, 1, NULL, 0, &acc));
	assert_int_equal(acc.sub[SCORE_QUOTED].exact[SCORE_CONTENT].ngold, 1);
	assert_int_equal(acc.sub[SCORE_QUOTED].exact[SCORE_CONTENT].tp, 0);
	assert_true(score_f1(acc.sub[SCORE_QUOTED].exact[SCORE_CONTENT]) == 0.0);
	/* A prediction marked indirect is not counted among quoted ones. */
	score_quote q = quote_of(at(text, "Yes"), SCORE_KIND_INDIRECT, &sp[0], NULL);
	memset(&acc, 0, sizeof acc);
	assert_true(score_polnear_doc(t, len, &g, 1, &q, 1, &acc));
	assert_int_equal(acc.sub[SCORE_ALL].exact[SCORE_CONTENT].tp, 1);
	assert_int_equal(acc.sub[SCORE_QUOTED].exact[SCORE_CONTENT].npred, 0);
	assert_int_equal(acc.sub[SCORE_QUOTED].overlap[0].tp, 0);
	free(t);
}

static void test_prf(void **state)
{
	(void)state;
	score_prf c = {3, 4, 6};
	assert_true(score_p(c) > 0.749 && score_p(c) < 0.751);
	assert_true(score_r(c) > 0.499 && score_r(c) < 0.501);
	assert_true(score_f1(c) > 0.599 && score_f1(c) < 0.601);
	score_prf z = {0, 0, 0};
	assert_true(score_f1(z) == 0.0);
}

static void assert_name(const char *text, const char *src, const char *want)
{
	uint32_t len = (uint32_t)strlen(text);
	char *t = exact_copy(text);
	score_span name;
	bool ok = score_proper_name(t, len, at(text, src), &name);
	if (!want) {
		if (ok)
			fail_msg("%s: taken as a name", src);
	} else {
		if (!ok)
			fail_msg("%s: not taken as a name", src);
		assert_int_equal(name.end - name.start, strlen(want));
		assert_memory_equal(text + name.start, want, strlen(want));
	}
	free(t);
}

static void test_proper_name(void **state)
{
	(void)state;
	assert_name("Yes, Donald Trump said.", "Donald Trump", "Donald Trump");
	assert_name("So The New York Times reported.", "The New York Times", "New York Times");
	assert_name("Then the Bank of England said.", "the Bank of England", "Bank of England");
	assert_name("Then he said.", "he", NULL);
	assert_name("He said.", "He", NULL);
	assert_name("Then the spokesman said.", "the spokesman", NULL);
	assert_name("End. Officials said so. Some officials agree.", "Officials", NULL);
	assert_name("End. Trump said so. Others agree.", "Trump", "Trump");
	assert_name("Then PENCE: yes.", "PENCE", "PENCE");
	assert_name("Then Mr. Obama said.", "Mr. Obama", "Obama");
	assert_name("Then Trump\xE2\x80\x99s claim.", "Trump\xE2\x80\x99s", "Trump");
	assert_name("Then Mrs. Clinton's plan.", "Mrs. Clinton's", "Clinton");
	assert_name("So Secretary of State John Kerry said.", "Secretary of State John Kerry",
		    "Secretary of State John Kerry");
	assert_name("Then Clinton's spokesman Brian Fallon said.", "Clinton's spokesman Brian Fallon",
		    NULL);
}

static void test_cover(void **state)
{
	(void)state;
	const char *text = "Press Secretary Josh Earnest of the White House Office";
	score_span name = at(text, "Press Secretary Josh Earnest");
	score_entity e[4] = {{at(text, "Press"), "LOC"},
			     {at(text, "Josh Earnest"), "PER"},
			     {at(text, "White House Office"), "ORG"},
			     {at(text, "Earnest"), "PER"}};
	assert_int_equal(score_cover(text, e, 4, at(text, "Press"), false), SCORE_COVER_NONE);
	assert_int_equal(score_cover(text, e, 4, at(text, "Press"), true), SCORE_COVER_EXACT);
	assert_int_equal(score_cover(text, e, 4, at(text, "Josh Earnest"), false),
			 SCORE_COVER_EXACT);
	assert_int_equal(score_cover(text, e, 4, at(text, "White House"), false),
			 SCORE_COVER_CONTAINS);
	assert_int_equal(score_cover(text, e, 4, name, false), SCORE_COVER_HEAD);
	/* Not the head: it does not end where the name ends. */
	assert_int_equal(score_cover(text, e, 2, at(text, "Josh Earnest of"), false),
			 SCORE_COVER_NONE);
	/* Not at a word start. */
	score_entity part = {{name.end - 3, name.end}, "PER"};
	assert_int_equal(score_cover(text, &part, 1, name, false), SCORE_COVER_NONE);
}

static void test_find_quote(void **state)
{
	(void)state;
	const char *text = "Kim says Russia will smash all challenges. Later Kim met Putin and said "
			   "Moscow would smash all challenges.";
	uint32_t len = (uint32_t)strlen(text);
	char *t = exact_copy(text);
	score_span s;
	assert_true(score_find_quote(t, len, "smash all challenges", NULL, &s));
	assert_int_equal(s.start, at(text, "smash").start);
	assert_true(score_find_quote(t, len, "smash all challenges", "Putin and said Moscow", &s));
	assert_true(s.start > at(text, "smash").start);
	assert_memory_equal(text + s.start, "smash all challenges", 20);
	assert_false(score_find_quote(t, len, "not there", NULL, &s));
	/* Whitespace in the pattern matches a line break. */
	const char *wrapped = "thanked Kim Jong\nUn for the troops";
	assert_true(score_find_text(wrapped, (uint32_t)strlen(wrapped), "Kim Jong Un", 0, true, &s));
	assert_int_equal(s.end - s.start, 11);
	assert_false(score_find_text(wrapped, (uint32_t)strlen(wrapped), "Kim Jong U", 0, true, &s));
	assert_true(score_find_text(wrapped, (uint32_t)strlen(wrapped), "Kim Jong U", 0, false, &s));
	/* A near that does not occur falls back to the first occurrence. */
	assert_true(score_find_quote(t, len, "smash all challenges", "nowhere", &s));
	assert_int_equal(s.start, at(text, "smash").start);
	free(t);
}

static void test_name_match(void **state)
{
	(void)state;
	assert_true(score_name_match(NULL, "Kim Jong-Un", "Kim Jong Un"));
	assert_true(score_name_match(NULL, "KIM JONG UN", "Kim Jong Un"));
	assert_true(score_name_match("Kim Jong Un", "he", "Kim Jong Un"));
	assert_true(score_name_match(NULL, "North Korean leader Kim Jong Un", "Kim Jong Un"));
	assert_true(score_name_match(NULL, "the White House", "White House"));
	assert_true(score_name_match(NULL, "Tom Fitton, the head of Judicial Watch,", "Tom Fitton"));
	assert_true(score_name_match(NULL, "The United Nations sanctions monitors",
				     "sanctions monitors"));
	assert_true(score_name_match(NULL, "Washington and its allies", "Washington"));
	assert_true(score_name_match(NULL, "the state news agency (KCNA)", "KCNA"));
	assert_true(score_name_match(NULL, "Putin and Kim Jong-Un", "Kim Jong Un"));
	assert_false(score_name_match(NULL, "Kim Jong Un's sister", "Kim Jong Un"));
	assert_false(score_name_match(NULL, "Kim and Putin", "Kim Jong Un"));
	assert_false(score_name_match(NULL, "Washingtonian officials", "Washington"));
	assert_false(score_name_match(NULL, "he", "Kim Jong Un"));
	assert_false(score_name_match(NULL, NULL, "Kim Jong Un"));
	assert_false(score_name_match("Vladimir Putin", "Putin", "Kim Jong Un"));
	assert_false(score_name_match(NULL, "Jong Un", "Kim Jong Un"));
}

static void test_clip(void **state)
{
	(void)state;
	load_pred_doc d;
	memset(&d, 0, sizeof d);
	d.q = calloc(3, sizeof *d.q);
	d.e = calloc(2, sizeof *d.e);
	assert_non_null(d.q);
	assert_non_null(d.e);
	d.q[0].content = (score_span){0, 5};
	d.q[1].content = (score_span){5, 50}; /* past the end */
	d.q[2].content = (score_span){1, 4};
	d.q[2].has_spk = true;
	d.q[2].spk = (score_span){8, 12}; /* past the end */
	d.nq = 3;
	d.e[0].sp = (score_span){0, 3};
	d.e[1].sp = (score_span){9, 11};
	d.ne = 2;
	assert_int_equal(load_pred_clip(&d, 10), 3);
	assert_int_equal(d.nq, 2);
	assert_int_equal(d.q[1].content.start, 1);
	assert_false(d.q[1].has_spk);
	assert_int_equal(d.ne, 1);
	free(d.q);
	free(d.e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_trim),
		cmocka_unit_test(test_quoted),
		cmocka_unit_test(test_exact_hull),
		cmocka_unit_test(test_off_by_one),
		cmocka_unit_test(test_coverage_and_one_to_one),
		cmocka_unit_test(test_sets_and_null_source),
		cmocka_unit_test(test_empty_and_missing),
		cmocka_unit_test(test_prf),
		cmocka_unit_test(test_proper_name),
		cmocka_unit_test(test_cover),
		cmocka_unit_test(test_find_quote),
		cmocka_unit_test(test_name_match),
		cmocka_unit_test(test_clip),
	};
	return cmocka_run_group_tests_name("eval", tests, NULL, NULL);
}
