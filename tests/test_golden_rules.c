/* SPDX-License-Identifier: MIT */
/* The 48 English "golden rules" of sentence segmentation (pySBD, MIT
 * licence), read from $SHARED/data/eval/sentence-golden-rules-en.jsonl
 * (SHARED defaults to ../shared). Each rule's text goes through tok_scan
 * and sent_split; the sentence texts, trimmed, must equal the rule's.
 * Prints "golden rules: N/48" and each failure; fails below 47.
 * Run from the repo root: build/tests/test_golden_rules */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <jansson.h>

#include "../pipeline/limits.h"
#include "../stages/sent.h"
#include "spec.h"

#define GOLDEN_MIN_PASS 47

static int is_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Compares a sentence span with an expected string, both trimmed. */
static int same_trimmed(const char *a, size_t an, const char *b, size_t bn)
{
	while (an && is_space((unsigned char)*a))
		a++, an--;
	while (an && is_space((unsigned char)a[an - 1]))
		an--;
	while (bn && is_space((unsigned char)*b))
		b++, bn--;
	while (bn && is_space((unsigned char)b[bn - 1]))
		bn--;
	return an == bn && memcmp(a, b, an) == 0;
}

/* Runs one rule; returns 1 when it passes, printing it when it fails. */
static int run_rule(size_t line, json_t *rule)
{
	json_t *jt = json_object_get(rule, "text"), *js = json_object_get(rule, "sentences");
	assert_true(json_is_string(jt));
	assert_true(json_is_array(js));
	size_t len = json_string_length(jt);
	char *text = spec_trap(json_string_value(jt), len);
	arena a;
	arena_init(&a, REC_ARENA_CAP);
	tok_list t;
	sent_list s;
	assert_int_equal(tok_scan(text, (uint32_t)len, &a, &t), ERR_OK);
	assert_int_equal(sent_split(text, &t, &a, &s), ERR_OK);
	int ok = s.n == json_array_size(js);
	for (size_t i = 0; ok && i < s.n; i++) {
		json_t *e = json_array_get(js, i);
		ok = json_is_string(e) && same_trimmed(text + s.v[i].off, s.v[i].len,
						       json_string_value(e), json_string_length(e));
	}
	if (!ok) {
		printf("FAIL rule %zu: %.*s\n", line, (int)len, text);
		for (uint32_t i = 0; i < s.n; i++)
			printf("   got  [%.*s]\n", (int)s.v[i].len, text + s.v[i].off);
		for (size_t i = 0; i < json_array_size(js); i++)
			printf("   want [%s]\n", json_string_value(json_array_get(js, i)));
	}
	arena_fini(&a);
	free(text);
	return ok;
}

static void test_golden_rules(void **st)
{
	(void)st;
	const char *shared = getenv("SHARED");
	char path[4096];
	snprintf(path, sizeof path, "%s/data/eval/sentence-golden-rules-en.jsonl",
		 shared && *shared ? shared : "../shared");
	FILE *f = fopen(path, "r");
	if (!f) {
		print_error("cannot open %s (set SHARED to the shared data folder)\n", path);
		fail();
	}
	char line[1 << 16];
	size_t n = 0, pass = 0;
	while (fgets(line, sizeof line, f)) {
		if (line[0] == '\n')
			continue;
		json_error_t je;
		json_t *rule = json_loads(line, 0, &je);
		if (!rule) {
			print_error("%s:%zu: %s\n", path, n + 1, je.text);
			fail();
		}
		n++;
		pass += (size_t)run_rule(n, rule);
		json_decref(rule);
	}
	fclose(f);
	printf("golden rules: %zu/%zu\n", pass, n);
	assert_int_equal(n, 48);
	assert_true(pass >= GOLDEN_MIN_PASS);
}

int main(void)
{
	static const struct CMUnitTest tests[] = {cmocka_unit_test(test_golden_rules)};
	return cmocka_run_group_tests_name("golden rules", tests, NULL, NULL);
}
