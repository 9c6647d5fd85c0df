/* SPDX-License-Identifier: MIT */
/* Sentence splitter tests: one cmocka test per rule, then one per example
 * of tests/spec/sent.txt (expected lines: `PARA FLAGS "sentence text"`, with
 * FLAGS the SENT_* names joined by | or -), then invariants on generated and
 * hostile input. `test_sent --print TEXT` prints the sentences of TEXT in
 * spec form. Run from the repo root. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <cmocka.h>

#include "../pipeline/limits.h"
#include "../stages/sent.h"
#include "spec.h"

typedef struct {
	arena a;
	char *trap;
	size_t len;
	tok_list t;
	sent_list s;
} run;

static void split(run *r, const char *text, size_t len)
{
	r->trap = spec_trap(text, len);
	r->len = len;
	arena_init(&r->a, REC_ARENA_CAP);
	assert_int_equal(tok_scan(r->trap, (uint32_t)len, &r->a, &r->t), ERR_OK);
	assert_int_equal(sent_split(r->trap, &r->t, &r->a, &r->s), ERR_OK);
}

static void done(run *r)
{
	free(r->trap);
	arena_fini(&r->a);
}

/* Sentences cover tokens in order without gaps other than line breaks,
 * never start or end with a break, and their spans match their tokens. */
static void check_invariants(const run *r)
{
	uint32_t next = 0, para = 0;
	for (uint32_t i = 0; i < r->s.n; i++) {
		const sent_sentence *s = &r->s.v[i];
		assert_true(s->n > 0);
		assert_true(s->first >= next);
		for (uint32_t k = next; k < s->first; k++)
			assert_true(tok_is_break(r->t.v[k].type));
		assert_true((uint64_t)s->first + s->n <= r->t.n);
		const tok_token *f = &r->t.v[s->first], *l = &r->t.v[s->first + s->n - 1];
		assert_false(tok_is_break(f->type));
		assert_false(tok_is_break(l->type));
		assert_int_equal(s->off, f->off);
		assert_int_equal(s->len, l->off + l->len - f->off);
		assert_true((size_t)s->off + s->len <= r->len);
		assert_true(s->n <= SENT_MAX_TOKENS);
		assert_true(s->para == para || s->para == para + 1);
		if (i > 0 && s->para == para + 1)
			assert_true(s->flags & SENT_PARA);
		para = s->para;
		next = s->first + s->n;
	}
	for (uint32_t k = next; k < r->t.n; k++)
		assert_true(tok_is_break(r->t.v[k].type));
}

static void fmt_sent(char *out, size_t cap, const run *r, const sent_sentence *s)
{
	static const char *const names[] = {"PARA", "HEADLINE", "BULLET", "DATELINE"};
	char fl[64] = "", q[4096];
	size_t o = 0;
	for (size_t k = 0; k < 4; k++)
		if (s->flags & (1u << k))
			o += (size_t)snprintf(fl + o, sizeof fl - o, "%s%s", o ? "|" : "", names[k]);
	spec_quote(q, sizeof q, r->trap + s->off, s->len);
	snprintf(out, cap, "%u %s %s", s->para, o ? fl : "-", q);
}

/* Asserts that text splits into exactly the sentences given. */
static void expect_sents(const char *text, const char *const *want, size_t n)
{
	run r;
	split(&r, text, strlen(text));
	check_invariants(&r);
	int bad = r.s.n != n;
	for (size_t i = 0; i < n && i < r.s.n && !bad; i++)
		bad = strlen(want[i]) != r.s.v[i].len ||
		      memcmp(want[i], r.trap + r.s.v[i].off, r.s.v[i].len) != 0;
	if (bad) {
		print_error("in: %s\n", text);
		for (uint32_t i = 0; i < r.s.n; i++)
			print_error("  got  [%.*s]\n", (int)r.s.v[i].len, r.trap + r.s.v[i].off);
		for (size_t i = 0; i < n; i++)
			print_error("  want [%s]\n", want[i]);
	}
	done(&r);
	if (bad)
		fail();
}

#define EXPECT(text, ...)                                                   \
	do {                                                                \
		static const char *const w_[] = {__VA_ARGS__};              \
		expect_sents(text, w_, sizeof w_ / sizeof *w_);             \
	} while (0)

static void test_terminals(void **st)
{
	(void)st;
	EXPECT("Putin spoke. Kim listened? Yes! Done", "Putin spoke.", "Kim listened?", "Yes!",
	       "Done");
	EXPECT("She works at Yahoo! in Moscow.", "She works at Yahoo! in Moscow.");
	EXPECT("It rose to 3.5 percent. 2016 was", "It rose to 3.5 percent. 2016 was");
}

static void test_abbreviations(void **st)
{
	(void)st;
	EXPECT("Mr. Putin met Sen. Smith and Gov. Brown.",
	       "Mr. Putin met Sen. Smith and Gov. Brown.");
	EXPECT("He joined Acme Co. It failed.", "He joined Acme Co.", "It failed.");
	EXPECT("He joined Acme Co. Ltd. last year.", "He joined Acme Co. Ltd. last year.");
	EXPECT("They met on Jan. 5 in St. Louis.", "They met on Jan. 5 in St. Louis.");
	EXPECT("MR. SMITH WENT HOME.", "MR. SMITH WENT HOME.");
}

static void test_initials_and_dotted(void **st)
{
	(void)st;
	EXPECT("George W. Bush spoke. I. M. Pei did not.", "George W. Bush spoke.",
	       "I. M. Pei did not.");
	EXPECT("Troops left the U.S. The war went on.", "Troops left the U.S.",
	       "The war went on.");
	EXPECT("The U.S. Senate met at 9 a.m. Monday.", "The U.S. Senate met at 9 a.m. Monday.");
}

static void test_quotes(void **st)
{
	(void)st;
	EXPECT("\"We will win,\" he said.", "\"We will win,\" he said.");
	EXPECT("He said \"Go.\" Then he left.", "He said \"Go.\"", "Then he left.");
	EXPECT("\xe2\x80\x9cWhy?\xe2\x80\x9d he asked.", "\xe2\x80\x9cWhy?\xe2\x80\x9d he asked.");
	EXPECT("He left. \"It's over.\" Kim laughed.", "He left.", "\"It's over.\"",
	       "Kim laughed.");
	EXPECT("(He left early.) Then", "(He left early.)", "Then");
}

static void test_line_breaks(void **st)
{
	(void)st;
	/* hard-wrapped lines go on; a blank line always ends */
	EXPECT("Putin thanked leader Kim Jong\nUn for sending troops.\n\nNext one",
	       "Putin thanked leader Kim Jong\nUn for sending troops.", "Next one");
	/* a title-case line is a headline; a sentence-case one wraps */
	EXPECT("Kim Jong Un Praises Russia\nThe North Korean leader spoke.",
	       "Kim Jong Un Praises Russia", "The North Korean leader spoke.");
	EXPECT("The North Korean leader praised\nRussia on Tuesday.",
	       "The North Korean leader praised\nRussia on Tuesday.");
	EXPECT("Original url:\nhttps://example.com/a\nhttps://example.com/b", "Original url:",
	       "https://example.com/a", "https://example.com/b");
	EXPECT("end without period\n\n", "end without period");
	EXPECT("Mr.\nSmith came.", "Mr.\nSmith came.");
}

static void test_bullets_and_lists(void **st)
{
	(void)st;
	EXPECT("\xe2\x80\xa2 Kim praised Russia\n\xe2\x80\xa2 Putin thanked him\nThe end.",
	       "\xe2\x80\xa2 Kim praised Russia", "\xe2\x80\xa2 Putin thanked him", "The end.");
	EXPECT("- one item\n- two items", "- one item", "- two items");
	EXPECT("1. The first item 2. The second item", "1. The first item",
	       "2. The second item");
	EXPECT("a. The first b. The second", "a. The first", "b. The second");
	/* a number that does not continue the list is just a number */
	EXPECT("1. He won 3. The others lost.", "1. He won 3.", "The others lost.");
}

static void test_flags(void **st)
{
	(void)st;
	run r;
	const char *text = "World News\n\nSEOUL, May 9 (UPI) -- Kim spoke. He left.\n"
			   "\xe2\x80\xa2 A bullet\n\nLast.";
	split(&r, text, strlen(text));
	check_invariants(&r);
	assert_int_equal(r.s.n, 5);
	assert_int_equal(r.s.v[0].flags, SENT_PARA | SENT_HEADLINE);
	assert_int_equal(r.s.v[1].flags, SENT_PARA | SENT_DATELINE);
	assert_int_equal(r.s.v[2].flags, 0);
	assert_int_equal(r.s.v[3].flags & SENT_BULLET, SENT_BULLET);
	assert_int_equal(r.s.v[4].flags, SENT_PARA);
	assert_int_equal(r.s.v[0].para, 0);
	assert_int_equal(r.s.v[1].para, 1);
	assert_int_equal(r.s.v[4].para, 3);
	done(&r);
}

static void test_empty_and_blank(void **st)
{
	(void)st;
	static const char *const texts[] = {"", "\n", "\n\n\n", "   ", ".", "\"", "\n.\n"};
	for (size_t k = 0; k < sizeof texts / sizeof *texts; k++) {
		run r;
		split(&r, texts[k], strlen(texts[k]));
		check_invariants(&r);
		done(&r);
	}
}

static void test_random_input(void **st)
{
	(void)st;
	static const char *const parts[] = {
		"a",  "Z", "9",  ".",  ",", "'",  "\"", "-",  " ", "\n", "\n\n", "?", "!", ")",
		"(", "Mr", "Co", "U.S.", "1.", "b.", "The", "\xe2\x80\xa2", "\xe2\x80\xa6", "\xff",
		":", "http://x.com", ". . .", "\xe2\x80\x9c", "\xe2\x80\x9d", "SEOUL", "--",
	};
	uint32_t seed = 777;
	char buf[600];
	for (int round = 0; round < 20000; round++) {
		size_t len =
		    spec_random_text(buf, sizeof buf, parts, sizeof parts / sizeof *parts, 50, &seed);
		run r;
		split(&r, buf, len);
		check_invariants(&r);
		done(&r);
	}
}

/* Linear time and the token cap on hostile input. */
static void test_pathological(void **st)
{
	(void)st;
	static const char *const units[] = {"word ", "\" ", "Mr. ", "1. ", "\n", "U.S. ", "a.\n",
					    "(", "((a) ", "\xe2\x80\xa2 ", "\xe2\x80\x9c", ". "};
	size_t len = 4u << 20;
	char *buf = malloc(len);
	assert_non_null(buf);
	for (size_t u = 0; u < sizeof units / sizeof *units; u++) {
		size_t n = spec_fill(buf, len, units[u]);
		clock_t t0 = clock();
		run r;
		split(&r, buf, n);
		double sec = (double)(clock() - t0) / CLOCKS_PER_SEC;
		check_invariants(&r);
		done(&r);
		if (sec > 10.0 * SLOWDOWN) {
			print_error("unit \"%s\": %.2f s for 4 MB\n", units[u], sec);
			fail();
		}
	}
	free(buf);
}

static void test_arena_limit(void **st)
{
	(void)st;
	const char *text = "One. Two. Three. Four. Five. Six. Seven. Eight. Nine. Ten. Eleven.";
	arena big, tiny;
	tok_list t;
	sent_list s;
	arena_init(&big, REC_ARENA_CAP);
	arena_init(&tiny, 64);
	assert_int_equal(tok_scan(text, (uint32_t)strlen(text), &big, &t), ERR_OK);
	assert_int_equal(sent_split(text, &t, &tiny, &s), ERR_LIMIT);
	arena_fini(&tiny);
	arena_fini(&big);
}

/* The lists are searched by bisection: each must be sorted by its key
 * (the word before a space, in byte order), without duplicates; an
 * abbreviation carries a kind, t or g. */
static void check_sorted(const char *const *v, size_t n, int kinds)
{
	for (size_t i = 0; i < n; i++) {
		const char *sp = strchr(v[i], ' ');
		size_t kl = sp ? (size_t)(sp - v[i]) : strlen(v[i]);
		assert_true(kl > 0);
		if (kinds) {
			assert_true(kl <= 7); /* ABBR_MAX_LEN in stages/sent.c */
			assert_non_null(sp);
			assert_true(strcmp(sp, " t") == 0 || strcmp(sp, " g") == 0);
		} else {
			assert_null(sp);
		}
		if (i == 0)
			continue;
		const char *pp = strchr(v[i - 1], ' ');
		size_t pl = pp ? (size_t)(pp - v[i - 1]) : strlen(v[i - 1]);
		int c = memcmp(v[i - 1], v[i], pl < kl ? pl : kl);
		if (!(c < 0 || (c == 0 && pl < kl))) {
			print_error("list not sorted at \"%s\" after \"%s\"\n", v[i], v[i - 1]);
			fail();
		}
	}
}

static void test_lists_sorted(void **st)
{
	(void)st;
	static const char *const abbrevs[] = {
#include "lists/abbreviations.inc"
	};
	static const char *const starters[] = {
#include "lists/sentence_starters.inc"
	};
	check_sorted(abbrevs, sizeof abbrevs / sizeof *abbrevs, 1);
	check_sorted(starters, sizeof starters / sizeof *starters, 0);
}

static void run_spec(void **st)
{
	const spec_case *c = *st;
	run r;
	split(&r, c->text, c->len);
	check_invariants(&r);
	int bad = 0;
	for (size_t i = 0; i < c->n_expect || i < r.s.n; i++) {
		char got[4200] = "(none)";
		if (i < r.s.n)
			fmt_sent(got, sizeof got, &r, &r.s.v[i]);
		const char *w = i < c->n_expect ? c->expect[i] : "(none)";
		if (strcmp(got, w) != 0) {
			print_error("%s\n  sentence %zu: got  %s\n              want %s\n", c->name, i,
				    got, w);
			bad = 1;
		}
	}
	done(&r);
	if (bad)
		fail();
}

int main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "--print") == 0) {
		run r;
		r.trap = spec_trap(argv[2], strlen(argv[2]));
		r.len = strlen(argv[2]);
		arena_init(&r.a, REC_ARENA_CAP);
		if (tok_scan(r.trap, (uint32_t)r.len, &r.a, &r.t) != ERR_OK ||
		    sent_split(r.trap, &r.t, &r.a, &r.s) != ERR_OK)
			return 1;
		for (uint32_t i = 0; i < r.s.n; i++) {
			char got[4200];
			fmt_sent(got, sizeof got, &r, &r.s.v[i]);
			printf("%s\n", got);
		}
		done(&r);
		return 0;
	}
	static const struct CMUnitTest rules[] = {
		cmocka_unit_test(test_terminals),
		cmocka_unit_test(test_abbreviations),
		cmocka_unit_test(test_initials_and_dotted),
		cmocka_unit_test(test_quotes),
		cmocka_unit_test(test_line_breaks),
		cmocka_unit_test(test_bullets_and_lists),
		cmocka_unit_test(test_flags),
		cmocka_unit_test(test_empty_and_blank),
		cmocka_unit_test(test_random_input),
		cmocka_unit_test(test_pathological),
		cmocka_unit_test(test_arena_limit),
		cmocka_unit_test(test_lists_sorted),
	};
	int fails = cmocka_run_group_tests_name("sent rules", rules, NULL, NULL);
	fails += spec_run_file("test_sent", "sent spec", "tests/spec/sent.txt", run_spec);
	return fails != 0;
}
