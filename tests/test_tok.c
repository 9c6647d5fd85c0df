/* SPDX-License-Identifier: MIT */
/* Tokenizer tests: one cmocka test per rule below, then one per example of
 * tests/spec/tok.txt (expected lines: `OFF+LEN TYPE "text" FLAG...`, where
 * the listed flags must be set and `!FLAG` ones clear), then invariants on
 * generated and hostile input. `test_tok --print TEXT` prints the tokens of
 * TEXT in spec form, to help write new examples. Run from the repo root. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <cmocka.h>

#include "../pipeline/limits.h"
#include "../stages/tok.h"
#include "spec.h"

static const char *const flag_names[] = {"CAP",   "UPPER",  "LOWER",   "DIGIT", "ASCII",
					 "SPACE", "LINE",   "SINGLE",  "BADUTF8", "GLUED"};
#define N_FLAGS (sizeof flag_names / sizeof *flag_names)

/* Scans text (copied into an exactly sized buffer) into a fresh arena. */
static tok_list scan(arena *a, const char *text, size_t len, char **trap)
{
	*trap = spec_trap(text, len);
	tok_list l;
	arena_init(a, REC_ARENA_CAP);
	assert_int_equal(tok_scan(*trap, (uint32_t)len, a, &l), ERR_OK);
	return l;
}

/* Formats a token as `OFF+LEN TYPE "text"` and its flags. */
static void fmt_tok(char *out, size_t cap, const char *text, const tok_token *t)
{
	char q[1024];
	spec_quote(q, sizeof q, text + t->off, t->len);
	snprintf(out, cap, "%u+%u %s %s", t->off, t->len, tok_type_name((tok_type)t->type), q);
}

static void fmt_flags(char *out, size_t cap, uint16_t f)
{
	size_t o = 0;
	out[0] = 0;
	for (size_t k = 0; k < N_FLAGS; k++)
		if (f & (1u << k))
			o += (size_t)snprintf(out + o, cap - o, " %s", flag_names[k]);
}

/* Checks the invariants every token list keeps: spans inside the text, in
 * order, not overlapping, never empty, GLUED exactly when adjacent. */
static void check_invariants(const char *text, size_t len, const tok_list *l)
{
	(void)text;
	uint32_t prev_end = 0;
	for (uint32_t i = 0; i < l->n; i++) {
		const tok_token *t = &l->v[i];
		assert_true(t->len > 0);
		assert_true(t->off >= prev_end);
		assert_true((size_t)t->off + t->len <= len);
		assert_true(t->type < TOK_TYPE_COUNT);
		if (i + 1 < l->n) {
			const tok_token *u = &l->v[i + 1];
			int adj = t->off + t->len == u->off && !tok_is_break(t->type) && !tok_is_break(u->type);
			assert_int_equal(!!(t->flags & TOKF_GLUED), adj);
		}
		if (i > 0 && tok_is_break(l->v[i - 1].type))
			assert_true(t->flags & TOKF_LINE);
		prev_end = t->off + t->len;
	}
	assert_true(l->n <= len);
}

typedef struct {
	uint8_t type;
	const char *text;
} want;

/* Asserts that text scans to exactly the given types and texts. */
static void expect_toks(const char *text, const want *w, size_t n)
{
	arena a;
	char *trap;
	size_t len = strlen(text);
	tok_list l = scan(&a, text, len, &trap);
	check_invariants(trap, len, &l);
	for (size_t i = 0; i < n && i < l.n; i++) {
		const tok_token *t = &l.v[i];
		if (t->type != w[i].type || strlen(w[i].text) != t->len ||
		    memcmp(w[i].text, trap + t->off, t->len) != 0) {
			char got[1200];
			fmt_tok(got, sizeof got, trap, t);
			print_error("in %s\n token %zu: got %s, want %s \"%s\"\n", text, i, got,
				    tok_type_name((tok_type)w[i].type), w[i].text);
			fail();
		}
	}
	if (l.n != n) {
		print_error("in %s: %u tokens, want %zu\n", text, l.n, n);
		fail();
	}
	free(trap);
	arena_fini(&a);
}

#define EXPECT(text, ...)                                                   \
	do {                                                                \
		static const want w_[] = {__VA_ARGS__};                     \
		expect_toks(text, w_, sizeof w_ / sizeof *w_);              \
	} while (0)

static void test_words_and_numbers(void **st)
{
	(void)st;
	EXPECT("Putin said 9,000 troops, 3.5%",
	       {TOK_WORD, "Putin"}, {TOK_WORD, "said"}, {TOK_NUM, "9,000"}, {TOK_WORD, "troops"},
	       {TOK_COMMA, ","}, {TOK_NUM, "3.5"}, {TOK_SYM, "%"});
	EXPECT("at 10:30 on 2023-05-09, 1,2", {TOK_WORD, "at"}, {TOK_NUM, "10:30"},
	       {TOK_WORD, "on"}, {TOK_NUM, "2023-05-09"}, {TOK_COMMA, ","}, {TOK_NUM, "1"},
	       {TOK_COMMA, ","}, {TOK_NUM, "2"});
	EXPECT("the 78th and 1990s", {TOK_WORD, "the"}, {TOK_NUM, "78th"}, {TOK_WORD, "and"},
	       {TOK_NUM, "1990s"});
}

static void test_hyphenated(void **st)
{
	(void)st;
	EXPECT("self-sacrificing Jong-Un 55-year-old COVID-19", {TOK_HYPHWORD, "self-sacrificing"},
	       {TOK_HYPHWORD, "Jong-Un"}, {TOK_HYPHWORD, "55-year-old"}, {TOK_HYPHWORD, "COVID-19"});
	EXPECT("Jong\xe2\x80\x91Un", {TOK_HYPHWORD, "Jong\xe2\x80\x91Un"});
	EXPECT("war - and -- peace", {TOK_WORD, "war"}, {TOK_DASH, "-"}, {TOK_WORD, "and"},
	       {TOK_DASH, "--"}, {TOK_WORD, "peace"});
	EXPECT("region \xe2\x80\x94 the", {TOK_WORD, "region"}, {TOK_DASH, "\xe2\x80\x94"},
	       {TOK_WORD, "the"});
}

static void test_abbreviations(void **st)
{
	(void)st;
	EXPECT("U.S. a.m. U.N. Ph.D. e.g.", {TOK_ABBR, "U.S."}, {TOK_ABBR, "a.m."},
	       {TOK_ABBR, "U.N."}, {TOK_ABBR, "Ph.D."}, {TOK_ABBR, "e.g."});
	EXPECT("Mr. Smith", {TOK_WORD, "Mr"}, {TOK_PERIOD, "."}, {TOK_WORD, "Smith"});
	EXPECT("U.S.-led", {TOK_HYPHWORD, "U.S.-led"});
	EXPECT("end.Next", {TOK_WORD, "end"}, {TOK_PERIOD, "."}, {TOK_WORD, "Next"});
}

static void test_urls_and_email(void **st)
{
	(void)st;
	EXPECT("see https://www.example.50.com/new-site/a_b.html. Then",
	       {TOK_WORD, "see"}, {TOK_URL, "https://www.example.50.com/new-site/a_b.html"},
	       {TOK_PERIOD, "."}, {TOK_WORD, "Then"});
	EXPECT("(www.kcna.kp) kcna.kp t.me/mod_russia", {TOK_OPEN, "("}, {TOK_URL, "www.kcna.kp"},
	       {TOK_CLOSE, ")"}, {TOK_URL, "kcna.kp"}, {TOK_URL, "t.me/mod_russia"});
	EXPECT("Jane.Doe@example.com.", {TOK_EMAIL, "Jane.Doe@example.com"}, {TOK_PERIOD, "."});
	EXPECT("http://x.org/a_(b) ok", {TOK_URL, "http://x.org/a_(b)"}, {TOK_WORD, "ok"});
}

static void test_possessives_and_contractions(void **st)
{
	(void)st;
	EXPECT("Russia's Russia\xe2\x80\x99s he's JFK Jr.'s", {TOK_WORD, "Russia"},
	       {TOK_POSS, "'s"}, {TOK_WORD, "Russia"}, {TOK_POSS, "\xe2\x80\x99s"},
	       {TOK_WORD, "he"}, {TOK_POSS, "'s"}, {TOK_WORD, "JFK"}, {TOK_WORD, "Jr"},
	       {TOK_PERIOD, "."}, {TOK_POSS, "'s"});
	EXPECT("don't we\xe2\x80\x99re I'm O'Brien", {TOK_WORD, "don't"},
	       {TOK_WORD, "we\xe2\x80\x99re"}, {TOK_WORD, "I'm"}, {TOK_WORD, "O'Brien"});
	EXPECT("the students' votes in the '90s", {TOK_WORD, "the"}, {TOK_WORD, "students"},
	       {TOK_APOS, "'"}, {TOK_WORD, "votes"}, {TOK_WORD, "in"}, {TOK_WORD, "the"},
	       {TOK_APOS, "'"}, {TOK_NUM, "90s"});
}

static void test_quotes(void **st)
{
	(void)st;
	EXPECT("\"We will win,\" he said.", {TOK_QUOTE_OPEN, "\""}, {TOK_WORD, "We"},
	       {TOK_WORD, "will"}, {TOK_WORD, "win"}, {TOK_COMMA, ","}, {TOK_QUOTE_CLOSE, "\""},
	       {TOK_WORD, "he"}, {TOK_WORD, "said"}, {TOK_PERIOD, "."});
	EXPECT("\xe2\x80\x9cHi\xe2\x80\x9d \xc2\xabSalut\xc2\xbb \xe2\x80\x9eHallo\xe2\x80\x9c",
	       {TOK_QUOTE_OPEN, "\xe2\x80\x9c"}, {TOK_WORD, "Hi"}, {TOK_QUOTE_CLOSE, "\xe2\x80\x9d"},
	       {TOK_QUOTE_OPEN, "\xc2\xab"}, {TOK_WORD, "Salut"}, {TOK_QUOTE_CLOSE, "\xc2\xbb"},
	       {TOK_QUOTE_OPEN, "\xe2\x80\x9e"}, {TOK_WORD, "Hallo"},
	       {TOK_QUOTE_CLOSE, "\xe2\x80\x9c"});
	/* single quotes: 'smash all challenges' closes even after an s */
	EXPECT("will 'smash challenges'", {TOK_WORD, "will"}, {TOK_QUOTE_OPEN, "'"},
	       {TOK_WORD, "smash"}, {TOK_WORD, "challenges"}, {TOK_QUOTE_CLOSE, "'"});
	/* a straight " spaced on both sides follows the open/closed state */
	EXPECT("said \" yes ' \" and", {TOK_WORD, "said"}, {TOK_QUOTE_OPEN, "\""},
	       {TOK_WORD, "yes"}, {TOK_QUOTE_AMBIG, "'"}, {TOK_QUOTE_CLOSE, "\""}, {TOK_WORD, "and"});
	/* a wrongly typed closing glyph still opens by context */
	EXPECT("said \xe2\x80\x9dyes\xe2\x80\x9d", {TOK_WORD, "said"},
	       {TOK_QUOTE_OPEN, "\xe2\x80\x9d"}, {TOK_WORD, "yes"}, {TOK_QUOTE_CLOSE, "\xe2\x80\x9d"});
}

static void test_punctuation(void **st)
{
	(void)st;
	EXPECT("Hello?! Yes!! So... well\xe2\x80\xa6 (a) [b];:",
	       {TOK_WORD, "Hello"}, {TOK_QUESTION, "?!"}, {TOK_WORD, "Yes"}, {TOK_EXCLAIM, "!!"},
	       {TOK_WORD, "So"}, {TOK_ELLIPSIS, "..."}, {TOK_WORD, "well"},
	       {TOK_ELLIPSIS, "\xe2\x80\xa6"}, {TOK_OPEN, "("}, {TOK_WORD, "a"}, {TOK_CLOSE, ")"},
	       {TOK_OPEN, "["}, {TOK_WORD, "b"}, {TOK_CLOSE, "]"}, {TOK_SEMICOLON, ";"},
	       {TOK_COLON, ":"});
	/* a period glued to a word before a spaced ellipsis stands alone */
	EXPECT("end. . . . The", {TOK_WORD, "end"}, {TOK_PERIOD, "."}, {TOK_ELLIPSIS, ". . ."},
	       {TOK_WORD, "The"});
	EXPECT("a . . . . b", {TOK_WORD, "a"}, {TOK_ELLIPSIS, ". . . ."}, {TOK_WORD, "b"});
}

static void test_lines_and_bullets(void **st)
{
	(void)st;
	EXPECT("a\nb \n \n c\r\n\r\n\r\nd", {TOK_WORD, "a"}, {TOK_NL, "\n"}, {TOK_WORD, "b"},
	       {TOK_PARA, "\n \n"}, {TOK_WORD, "c"}, {TOK_PARA, "\n\r\n\r\n"}, {TOK_WORD, "d"});
	EXPECT("- one\n* two\n\xe2\x80\xa2 three \xe2\x80\xa2 four\na - b",
	       {TOK_BULLET, "-"}, {TOK_WORD, "one"}, {TOK_NL, "\n"}, {TOK_BULLET, "*"},
	       {TOK_WORD, "two"}, {TOK_NL, "\n"}, {TOK_BULLET, "\xe2\x80\xa2"}, {TOK_WORD, "three"},
	       {TOK_BULLET, "\xe2\x80\xa2"}, {TOK_WORD, "four"}, {TOK_NL, "\n"}, {TOK_WORD, "a"},
	       {TOK_DASH, "-"}, {TOK_WORD, "b"});
	EXPECT("a\rb\r\rc\r\nd", {TOK_WORD, "a"}, {TOK_NL, "\r"}, {TOK_WORD, "b"},
	       {TOK_PARA, "\r\r"}, {TOK_WORD, "c"}, {TOK_NL, "\n"}, {TOK_WORD, "d"});
	EXPECT("a\xe2\x80\xa8" "b\xe2\x80\xa9" "c", {TOK_WORD, "a"}, {TOK_NL, "\xe2\x80\xa8"},
	       {TOK_WORD, "b"}, {TOK_PARA, "\xe2\x80\xa9"}, {TOK_WORD, "c"});
}

static void test_flags(void **st)
{
	(void)st;
	arena a;
	char *trap;
	const char *text = "Kim KCNA war \xc3\x89lys\xc3\xa9" "e 9\n  x\"y";
	tok_list l = scan(&a, text, strlen(text), &trap);
	assert_int_equal(l.n, 9);
	assert_int_equal(l.v[0].flags, TOKF_CAP | TOKF_ASCII | TOKF_LINE);
	assert_int_equal(l.v[1].flags, TOKF_CAP | TOKF_UPPER | TOKF_ASCII | TOKF_SPACE);
	assert_int_equal(l.v[2].flags, TOKF_LOWER | TOKF_ASCII | TOKF_SPACE);
	assert_int_equal(l.v[3].flags, TOKF_CAP | TOKF_SPACE);
	assert_int_equal(l.v[4].flags, TOKF_DIGIT | TOKF_ASCII | TOKF_SPACE);
	assert_int_equal(l.v[5].type, TOK_NL);
	assert_int_equal(l.v[6].flags, TOKF_LOWER | TOKF_ASCII | TOKF_SPACE | TOKF_LINE | TOKF_GLUED);
	assert_true(l.v[7].flags & TOKF_GLUED);
	free(trap);
	arena_fini(&a);
}

static void test_bad_utf8(void **st)
{
	(void)st;
	arena a;
	char *trap;
	const char text[] = "ab\xff" "cd\xe2\x80 e\xc3";
	tok_list l = scan(&a, text, sizeof text - 1, &trap);
	check_invariants(trap, sizeof text - 1, &l);
	assert_int_equal(l.n, 6);
	assert_int_equal(l.v[1].type, TOK_SYM);
	assert_true(l.v[1].flags & TOKF_BADUTF8);
	assert_int_equal(l.v[2].off, 3);
	assert_true(l.v[3].flags & TOKF_BADUTF8);
	assert_int_equal(l.v[3].len, 2);
	assert_true(l.v[5].flags & TOKF_BADUTF8);
	free(trap);
	arena_fini(&a);
}

/* Random bytes, random mixes of tricky characters: never a crash, always
 * the invariants. */
static void test_random_input(void **st)
{
	(void)st;
	static const char *const parts[] = {
		"a", "Z", "9", ".", ",", "'", "\"", "-", " ", "\n", "\n\n", "@", "/", ":", "s",
		"\xe2\x80\x99", "\xe2\x80\x9c", "\xe2\x80\xa6", "\xc3\xa9", "\xff", "\xe2\x80",
		"http://", "www.", ".com", "U.S.", "(", ")", "\xe2\x80\xa2", "\xc2\xa0", "&",
	};
	uint32_t seed = 12345;
	char buf[512];
	for (int round = 0; round < 20000; round++) {
		size_t len =
		    spec_random_text(buf, sizeof buf, parts, sizeof parts / sizeof *parts, 40, &seed);
		arena a;
		char *trap;
		tok_list l = scan(&a, buf, len, &trap);
		check_invariants(trap, len, &l);
		free(trap);
		arena_fini(&a);
	}
}

/* Linear time on hostile input: 4 MB without a space, of quote marks, of
 * periods. The bound is generous (a quadratic scan of 4 MB would take
 * hours, the linear one takes about a second at worst) so that a loaded CI
 * machine does not fail it. */
static void test_pathological(void **st)
{
	(void)st;
	static const char *const units[] = {"a", "\"", ".", "'", "a-", "\xe2\x80\x9c", "U.", "a@",
					    "(", ". ", "''", "\xff", "a.b", "http://a", "a'", "1,000"};
	size_t len = 4u << 20;
	char *buf = malloc(len);
	assert_non_null(buf);
	for (size_t u = 0; u < sizeof units / sizeof *units; u++) {
		size_t n = spec_fill(buf, len, units[u]);
		clock_t t0 = clock();
		arena a;
		arena_init(&a, REC_ARENA_CAP);
		tok_list l;
		assert_int_equal(tok_scan(buf, (uint32_t)n, &a, &l), ERR_OK);
		double sec = (double)(clock() - t0) / CLOCKS_PER_SEC;
		arena_fini(&a);
		if (sec > 10.0 * SLOWDOWN) {
			print_error("unit \"%s\": %.2f s for 4 MB\n", units[u], sec);
			fail();
		}
	}
	free(buf);
}

/* The scanner reads 16-byte blocks where 16 bytes remain and goes byte by
 * byte near the end: a text gives the same tokens wherever it sits, after
 * any number of spaces (its first token then has TOKF_SPACE as well) and
 * before any. */
static void test_block_positions(void **st)
{
	(void)st;
	static const char *const texts[] = {
		"a bb ccc dddd eeeee ffffff ggggggg hhhhhhhh iiiiiiiii jjjjjjjjjj Kkkkkkkkkkk "
		"LLLLLLLLLLLL mmmmmmmmmmmmm nnnnnnnnnnnnnn ooooooooooooooo pppppppppppppppp "
		"qqqqqqqqqqqqqqqqq rrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrr 12345678901234567 x",
		"He said, \"Go.\" Then U.S. officials' 9,000 self-sacrificing don\xe2\x80\x99t "
		"Russia\xe2\x80\x99s O'Brien's x.y.com 3.5 10:30 a@b.com end. Next, word",
		"Trump's words. Clinton\xe2\x80\x99s reply, \xe2\x80\x9c" "fine\xe2\x80\x9d \xe2\x80\x94 and"
		"\xe2\x80\xa6 more; (yes) [no] ABC123 123abc 3D iPhone MiXeD UPPER lower Title a",
		"para one.\n\npara two\nline three\r\nfour  five\t six \xc2\xa0seven",
	};
	char buf[1024];
	for (size_t x = 0; x < sizeof texts / sizeof *texts; x++) {
		size_t n = strlen(texts[x]);
		arena a0;
		char *trap0;
		tok_list ref = scan(&a0, texts[x], n, &trap0);
		for (size_t pre = 0; pre < 34; pre++)
			for (size_t post = 0; post < 18; post++) {
				assert_true(pre + n + post <= sizeof buf);
				memset(buf, ' ', pre);
				memcpy(buf + pre, texts[x], n);
				memset(buf + pre + n, ' ', post);
				arena a;
				char *trap;
				tok_list got = scan(&a, buf, pre + n + post, &trap);
				check_invariants(trap, pre + n + post, &got);
				assert_int_equal(got.n, ref.n);
				for (uint32_t i = 0; i < got.n; i++) {
					const tok_token *g = &got.v[i], *w = &ref.v[i];
					uint16_t wf = (uint16_t)(w->flags | (i == 0 && pre ? TOKF_SPACE : 0));
					if (g->off != w->off + pre || g->len != w->len || g->type != w->type ||
					    g->flags != wf) {
						print_error("text %zu after %zu spaces, token %u: %u+%u %s %x, want %u+%u %s %x\n",
							    x, pre, i, g->off, g->len, tok_type_name((tok_type)g->type),
							    g->flags, (unsigned)(w->off + pre), w->len,
							    tok_type_name((tok_type)w->type), wf);
						fail();
					}
				}
				free(trap);
				arena_fini(&a);
			}
		free(trap0);
		arena_fini(&a0);
	}
}

static void test_arena_limit(void **st)
{
	(void)st;
	arena a;
	arena_init(&a, 256);
	tok_list l;
	const char *text = "many small words make many tokens that will not fit in the tiny arena";
	assert_int_equal(tok_scan(text, (uint32_t)strlen(text), &a, &l), ERR_LIMIT);
	arena_fini(&a);
}

static void test_type_names(void **st)
{
	(void)st;
	for (int t = 0; t < TOK_TYPE_COUNT; t++)
		assert_non_null(tok_type_name((tok_type)t));
	assert_string_equal(tok_type_name(TOK_QUOTE_OPEN), "QUOTE_OPEN");
	assert_string_equal(tok_type_name((tok_type)200), "?");
}

/* One spec example: every expected line must match a token, in order. */
static void run_spec(void **st)
{
	const spec_case *c = *st;
	arena a;
	char *trap;
	tok_list l = scan(&a, c->text, c->len, &trap);
	check_invariants(trap, c->len, &l);
	int bad = 0;
	for (size_t i = 0; i < c->n_expect || i < l.n; i++) {
		char got[1200] = "(none)", flags[160] = "";
		if (i < l.n) {
			fmt_tok(got, sizeof got, trap, &l.v[i]);
			fmt_flags(flags, sizeof flags, l.v[i].flags);
		}
		const char *w = i < c->n_expect ? c->expect[i] : "(none)";
		/* the expected line: the token part, then flags after the closing quote */
		const char *q = strchr(w, '"');
		const char *endq = q ? strrchr(w, '"') : NULL;
		size_t head = endq && endq > q ? (size_t)(endq - w + 1) : strlen(w);
		int ok = i < l.n && i < c->n_expect && strlen(got) == head && memcmp(got, w, head) == 0;
		if (ok) {
			char fl[256];
			snprintf(fl, sizeof fl, "%s", w + head);
			for (char *f = strtok(fl, " "); f; f = strtok(NULL, " ")) {
				int neg = f[0] == '!';
				char pat[40];
				snprintf(pat, sizeof pat, " %s ", f + neg);
				char have[170];
				snprintf(have, sizeof have, "%s ", flags);
				if ((strstr(have, pat) != NULL) == neg)
					ok = 0;
			}
		}
		if (!ok) {
			print_error("%s\n  token %zu: got  %s%s\n            want %s\n", c->name, i, got,
				    flags, w);
			bad = 1;
		}
	}
	free(trap);
	arena_fini(&a);
	if (bad)
		fail();
}

int main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "--print") == 0) {
		arena a;
		arena_init(&a, REC_ARENA_CAP);
		tok_list l;
		if (tok_scan(argv[2], (uint32_t)strlen(argv[2]), &a, &l) != ERR_OK)
			return 1;
		for (uint32_t i = 0; i < l.n; i++) {
			char got[1200], flags[160];
			fmt_tok(got, sizeof got, argv[2], &l.v[i]);
			fmt_flags(flags, sizeof flags, l.v[i].flags);
			printf("%s%s\n", got, flags);
		}
		arena_fini(&a);
		return 0;
	}
	static const struct CMUnitTest rules[] = {
		cmocka_unit_test(test_words_and_numbers),
		cmocka_unit_test(test_hyphenated),
		cmocka_unit_test(test_abbreviations),
		cmocka_unit_test(test_urls_and_email),
		cmocka_unit_test(test_possessives_and_contractions),
		cmocka_unit_test(test_quotes),
		cmocka_unit_test(test_punctuation),
		cmocka_unit_test(test_lines_and_bullets),
		cmocka_unit_test(test_flags),
		cmocka_unit_test(test_bad_utf8),
		cmocka_unit_test(test_random_input),
		cmocka_unit_test(test_pathological),
		cmocka_unit_test(test_block_positions),
		cmocka_unit_test(test_arena_limit),
		cmocka_unit_test(test_type_names),
	};
	int fails = cmocka_run_group_tests_name("tok rules", rules, NULL, NULL);
	fails += spec_run_file("test_tok", "tok spec", "tests/spec/tok.txt", run_spec);
	return fails != 0;
}
