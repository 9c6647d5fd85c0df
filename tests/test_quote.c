/* SPDX-License-Identifier: MIT */
/* Unit tests of the quote stage: each rule on a tiny case, with the
 * committed model sources (models/src: gazetteer, cue lexicon, trained
 * weights) compiled in memory, or with a lexicon-only model (rules alone).
 * Also: the lexicon's inflected forms, the role window across paragraphs,
 * `when` against the record's date, and bad tagger sections refused. */
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

#include "../stages/quote_int.h"

typedef struct {
	void *buf;
	size_t len;
	model *m;
	gaz_model *g;
	quote_model *q;
	arena a;
	char *text;
	tok_list t;
	sent_list s;
	gaz_list ents;
	quote_list out;
} fixture;

static err build_from(const char *src, fixture *f, err_info *ei)
{
	model_writer *w;
	err e = model_writer_open(&w);
	if (!e)
		e = gaz_build(src, w, ei);
	if (!e)
		e = quote_build(src, w, ei);
	if (!e)
		e = model_writer_bytes(w, &f->buf, &f->len);
	model_writer_close(w);
	if (!e)
		e = model_open_mem(f->buf, f->len, &f->m, ei);
	if (!e)
		e = gaz_open(f->m, &f->g, ei);
	if (!e)
		e = quote_open(f->m, &f->q, ei);
	arena_init(&f->a, 64u << 20);
	return e;
}

static int setup_full(void **state)
{
	fixture *f = calloc(1, sizeof *f);
	err_info ei = {0};
	if (build_from("models/src", f, &ei) != ERR_OK) {
		fprintf(stderr, "model: %s\n", ei.msg);
		return -1;
	}
	if (!f->q->have_cue || !f->q->have_role) {
		fprintf(stderr, "models/src/quote holds no trained weights\n");
		return -1;
	}
	*state = f;
	return 0;
}

/* A model with only a three-verb lexicon: the rules stand alone. */
static int setup_rules(void **state)
{
	char dir[] = "/tmp/test_quote.XXXXXX", p[128];
	if (!mkdtemp(dir))
		return -1;
	snprintf(p, sizeof p, "%s/quote", dir);
	if (mkdir(p, 0700) != 0)
		return -1;
	snprintf(p, sizeof p, "%s/quote/cues.txt", dir);
	FILE *fp = fopen(p, "w");
	if (!fp)
		return -1;
	fputs("# test lexicon\nadd\nstate\naccording p\nslam\nbrag\nremarks n\n", fp);
	fclose(fp);
	snprintf(p, sizeof p, "%s/quote/irregular.txt", dir);
	fp = fopen(p, "w");
	if (!fp)
		return -1;
	fputs("say says said saying\n", fp);
	fclose(fp);
	fixture *f = calloc(1, sizeof *f);
	err_info ei = {0};
	err e = build_from(dir, f, &ei);
	snprintf(p, sizeof p, "%s/quote/cues.txt", dir);
	unlink(p);
	snprintf(p, sizeof p, "%s/quote/irregular.txt", dir);
	unlink(p);
	snprintf(p, sizeof p, "%s/quote", dir);
	rmdir(p);
	rmdir(dir);
	if (e != ERR_OK) {
		fprintf(stderr, "model: %s\n", ei.msg);
		return -1;
	}
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;
	quote_close(f->q);
	gaz_close(f->g);
	model_close(f->m);
	free(f->buf);
	free(f->text);
	arena_fini(&f->a);
	free(f);
	return 0;
}

static const quote_list *run(fixture *f, const char *text, const char *date)
{
	arena_reset(&f->a);
	free(f->text);
	size_t len = strlen(text);
	f->text = malloc(len ? len : 1); /* no NUL on purpose */
	memcpy(f->text, text, len);
	assert_int_equal(tok_scan(f->text, (uint32_t)len, &f->a, &f->t), ERR_OK);
	assert_int_equal(sent_split(f->text, &f->t, &f->a, &f->s), ERR_OK);
	assert_int_equal(gaz_tag(f->g, f->text, &f->t, &f->s, &f->a, &f->ents), ERR_OK);
	assert_int_equal(quote_attribute(f->q, f->text, &f->t, &f->s, &f->ents, date,
					 date ? (uint32_t)strlen(date) : 0, &f->a, &f->out),
			 ERR_OK);
	for (uint32_t k = 0; k < f->out.n; k++) {
		const quote_attr *r = &f->out.v[k];
		assert_true(r->off + r->len <= len);
		if (r->has_speaker)
			assert_true(r->spk_off + r->spk_len <= len);
		if (r->has_cue)
			assert_true(r->cue_off + r->cue_len <= len);
		if (k)
			assert_true(f->out.v[k - 1].off <= r->off);
	}
	return &f->out;
}

static int span_is(const fixture *f, uint32_t off, uint32_t len, const char *s)
{
	return len == strlen(s) && memcmp(f->text + off, s, len) == 0;
}

#define assert_span(f, off, len, s)                                                      \
	do {                                                                             \
		if (!span_is((f), (off), (len), (s)))                                    \
			fail_msg("got \"%.*s\", want \"%s\"", (int)(len), (f)->text + (off), \
				 (s));                                                   \
	} while (0)

/* The attribution whose content holds s. */
static const quote_attr *with_content(const fixture *f, const char *s)
{
	size_t l = strlen(s);
	for (uint32_t k = 0; k < f->out.n; k++) {
		const quote_attr *r = &f->out.v[k];
		for (uint32_t i = r->off; i + l <= r->off + r->len; i++)
			if (memcmp(f->text + i, s, l) == 0)
				return r;
	}
	return NULL;
}

static void split_quote_is_one(void **state)
{
	fixture *f = *state;
	run(f, "\"We will win,\" he said, \"and we will win soon.\"\n", NULL);
	assert_int_equal(f->out.n, 1);
	const quote_attr *r = &f->out.v[0];
	assert_span(f, r->off, r->len, "We will win,\" he said, \"and we will win soon.");
	assert_int_equal(r->kind, QUOTE_DIRECT);
	assert_true(r->has_speaker && r->has_cue);
	assert_span(f, r->spk_off, r->spk_len, "he");
	assert_span(f, r->cue_off, r->cue_len, "said");
	assert_string_equal(r->cue_lemma, "say");
}

/* `"A," X said, answering ...`: the trailing clause after the speaker
 * and cue, with no quotation mark in it, is no content */
static void trailing_clause_cut(void **state)
{
	fixture *f = *state;
	run(f, "\"We will win this state,\" Clinton said answering a question at a town hall in "
	       "Berlin, New Hampshire.\n",
	    NULL);
	const quote_attr *r = with_content(f, "We will win this state");
	assert_non_null(r);
	assert_span(f, r->off, r->len, "We will win this state");
	assert_span(f, r->spk_off, r->spk_len, "Clinton");
}

/* `"A," X said. "B."` in one paragraph is one quote, A to B */
static void split_by_sentence(void **state)
{
	fixture *f = *state;
	run(f, "\u201cLook at the budget. Look at the deficit,\u201d Jones urged. \u201cThis is a plan "
	       "that nobody can pay for. This is a plan that should simply be dropped.\u201d\n",
	    NULL);
	const quote_attr *r = with_content(f, "Look at the deficit");
	assert_non_null(r);
	assert_span(f, r->off, r->len,
		    "Look at the budget. Look at the deficit,\u201d Jones urged. \u201cThis is a plan "
		    "that nobody can pay for. This is a plan that should simply be dropped.");
	assert_span(f, r->spk_off, r->spk_len, "Jones");
	/* a cue in the next paragraph does not belong to B */
	run(f, "\u201cLook at the budget. Look at the deficit,\u201d Jones urged. \u201cThis is a plan "
	       "that nobody can pay for. This is a plan that should simply be dropped.\u201d\n"
	       "Asked about it, Smith replied: \u201cWe will see.\u201d\n",
	    NULL);
	r = with_content(f, "Look at the deficit");
	assert_non_null(r);
	assert_span(f, r->off, r->len,
		    "Look at the budget. Look at the deficit,\u201d Jones urged. \u201cThis is a plan "
		    "that nobody can pay for. This is a plan that should simply be dropped.");
}

/* `"A," X said, adding that ... "B"`: adding opens an attribution of its own */
static void adding_ends_content(void **state)
{
	fixture *f = *state;
	run(f, "\u201cWe will not back down,\u201d Smith said, adding that the party would "
	       "\u201c" "fight to the end.\u201d\n",
	    NULL);
	const quote_attr *r = with_content(f, "We will not back down");
	assert_non_null(r);
	assert_span(f, r->off, r->len, "We will not back down");
	assert_span(f, r->spk_off, r->spk_len, "Smith");
	r = with_content(f, "fight to the end");
	assert_non_null(r);
	assert_true(r->off > f->out.v[0].off);
}

/* `Asked ..., X said, "A."`: unquoted words before the speaker and cue
 * are no content when a capitalized quotation follows them; a quotation
 * that goes on with the sentence (`In other words, he said, "the ..."`)
 * keeps them */
static void intro_clause_cut(void **state)
{
	fixture *f = *state;
	run(f, "Asked whether the bill would pass in the spring, Ryan said, \u201cSure. We have "
	       "the votes for it.\u201d\n",
	    NULL);
	const quote_attr *r = with_content(f, "We have the votes");
	assert_non_null(r);
	assert_true(r->off >= 60);
	assert_span(f, r->spk_off, r->spk_len, "Ryan");
	run(f, "In other words, he said, \u201cthe era of cheap money is over.\u201d\n", NULL);
	r = with_content(f, "the era of cheap money");
	assert_non_null(r);
	assert_int_equal(r->off, 0);
}

/* `"A," X said on the show "T."`: a quotation opened by a word after the
 * speaker and cue is a title, and the trailing clause is still cut */
static void trailing_title_cut(void **state)
{
	fixture *f = *state;
	run(f, "\u201cBeing a dad, that is my job,\u201d Weiner said in May on the podcast "
	       "\u201cHere Is the Thing.\u201d\n",
	    NULL);
	const quote_attr *r = with_content(f, "Being a dad");
	assert_non_null(r);
	assert_span(f, r->off, r->len, "Being a dad, that is my job");
}

/* `said that, "A."`: `that` before the comma stays in the content */
static void that_comma_kept(void **state)
{
	fixture *f = *state;
	run(f, "The governor said that, \u201cWe are going to put a lot of miners out of "
	       "business.\u201d\n",
	    NULL);
	const quote_attr *r = with_content(f, "a lot of miners");
	assert_non_null(r);
	assert_int_equal(r->off, 18);
}

/* `X criticized the plan and said Y`: the first cue's content ends
 * before `and said` */
static void later_cue_ends_content(void **state)
{
	fixture *f = *state;
	run(f, "He criticized the president's foreign policy and said allies wanted to know if "
	       "the U.S. is still in the game.\n",
	    NULL);
	const quote_attr *r = with_content(f, "foreign policy");
	assert_non_null(r);
	assert_span(f, r->off, r->len, "the president's foreign policy");
	r = with_content(f, "allies wanted");
	assert_non_null(r);
	assert_int_equal(r->off, 54);
}

/* `"A," X said.` then a paragraph that is one cue-less quotation: the
 * content runs on to its end */
static void quote_paragraph_runs_on(void **state)
{
	fixture *f = *state;
	run(f, "\u201cWe will win this state,\u201d Jones said.\n\n\u201cThe voters know what "
	       "is at stake. They will not forget it.\u201d\n",
	    NULL);
	const quote_attr *r = with_content(f, "We will win");
	assert_non_null(r);
	assert_span(f, r->off, r->len,
		    "We will win this state,\u201d Jones said.\n\n\u201cThe voters know what "
		    "is at stake. They will not forget it.");
}

/* `After reciting X, Beck said, "A."`: the first cue's content ends
 * before the later speaker and cue that introduce a quotation */
static void later_speaker_cue_ends_content(void **state)
{
	fixture *f = *state;
	run(f, "After reciting this passage from the King James Bible, Beck said, \u201cMan, it "
	       "could not be more clear, and yet so many people are missing it.\u201d\n",
	    NULL);
	const quote_attr *r = with_content(f, "King James");
	assert_non_null(r);
	assert_span(f, r->off, r->len, "this passage from the King James Bible");
}

/* `X called Y a "champion" for ...`: content after its cue that stops
 * at a closing quotation mark runs on to the end of the sentence when the
 * clause goes on ("for", "because", "but") */
static void content_runs_on_after_quote(void **state)
{
	fixture *f = *state;
	run(f, "The union called Smith a \u201c" "champion\u201d for its members.\n", NULL);
	const quote_attr *r = with_content(f, "champion");
	assert_non_null(r);
	assert_span(f, r->off, r->len, "Smith a \u201c" "champion\u201d for its members");
	/* a list of quotations runs on too */
	run(f, "In the debate, Trump called the senator a \"nasty guy,\" an \"anchor baby,\" "
	       "\"unstable\" and \"sick.\"\n",
	    NULL);
	r = with_content(f, "nasty guy");
	assert_non_null(r);
	assert_span(f, r->off, r->len,
		    "the senator a \"nasty guy,\" an \"anchor baby,\" \"unstable\" and \"sick");
}

/* `But the plan is dead, X said`: a conjunction that opens the sentence
 * outside quotation marks is no content; `But "if ..."` keeps it */
static void opening_conj_cut(void **state)
{
	fixture *f = *state;
	run(f, "The budget is late. But the plan is dead, Smith said.\n", NULL);
	const quote_attr *r = with_content(f, "the plan is dead");
	assert_non_null(r);
	assert_span(f, r->off, r->len, "the plan is dead");
	run(f, "The budget is late. And perhaps, he said, it could help the \"working families\" "
	       "of the state.\n",
	    NULL);
	r = with_content(f, "it could help");
	assert_non_null(r);
	assert_span(f, r->off, r->len,
		    "perhaps, he said, it could help the \"working families\" of the state");
}

/* `"Who do they think they are?" Trump said of Apple.`: the sentence
 * splitter ends a sentence after `?"`; the quotation is still the cue's */
static void question_before_cue(void **state)
{
	fixture *f = *state;
	run(f, "The crowd roared.\n\n\u201cWho do they think they are?\u201d Trump said of Apple in "
	       "February.\n\nHe left.",
	    NULL);
	const quote_attr *r = with_content(f, "Who do they");
	assert_non_null(r);
	assert_span(f, r->off, r->len, "Who do they think they are?");
	assert_int_equal(r->kind, QUOTE_DIRECT);
	assert_true(r->has_speaker);
	assert_span(f, r->spk_off, r->spk_len, "Trump");
	assert_null(with_content(f, "of Apple"));
	/* the speaker after the quotation is no content */
	run(f, "The hearing went on.\n\n\u201cWhy is this not clear proof that the bank is too big "
	       "to manage?\u201d Vitter demanded.\n\nHe left.",
	    NULL);
	r = with_content(f, "Why is this");
	assert_non_null(r);
	assert_span(f, r->off, r->len, "Why is this not clear proof that the bank is too big to manage?");
}

/* `X did not criticize the plan but warned that ...`: the first cue's
 * content ends before `but` and a later cue, and that cue takes the
 * speaker of the first */
static void but_cue_ends_content(void **state)
{
	fixture *f = *state;
	run(f, "The report was released on Monday. Jones did not criticize the plan but warned "
	       "that it would cost too much.\n",
	    NULL);
	const quote_attr *r = with_content(f, "the plan");
	assert_non_null(r);
	assert_span(f, r->off, r->len, "the plan");
	r = with_content(f, "cost too much");
	assert_non_null(r);
	assert_true(r->has_speaker);
	assert_span(f, r->spk_off, r->spk_len, "Jones");
}

/* `is telling a veterans group that the military is "depleted"`: the
 * addressee of tell before `that` and a quotation is no content */
static void told_addressee_cut(void **state)
{
	fixture *f = *state;
	run(f, "Donald Trump is telling a veterans group that the military is \u201c" "depleted\u201d "
	       "after years of cuts.\n",
	    NULL);
	const quote_attr *r = with_content(f, "depleted");
	assert_non_null(r);
	assert_span(f, r->off, r->len,
		    "that the military is \u201c" "depleted\u201d after years of cuts");
}

/* `In some ways, the brothers noted, Trump might ...`: content that runs
 * over its own speaker and cue set off by commas starts with its sentence */
static void interrupted_clause_whole(void **state)
{
	fixture *f = *state;
	run(f, "The debate went on. In some ways, the brothers noted, Trump might appreciate their "
	       "performance.\n",
	    NULL);
	const quote_attr *r = with_content(f, "appreciate");
	assert_non_null(r);
	assert_span(f, r->off, r->len,
		    "In some ways, the brothers noted, Trump might appreciate their performance");
}

/* `X said A, and that B`: the second that-clause is content too */
static void and_that_runs_on(void **state)
{
	fixture *f = *state;
	run(f, "The hearing ended. Kamin said the campaign was \"taking a close look\" at the rules, "
	       "and that her proposals did not cover every loophole.\n",
	    NULL);
	const quote_attr *r = with_content(f, "close look");
	assert_non_null(r);
	assert_span(f, r->off, r->len,
		    "the campaign was \"taking a close look\" at the rules, and that her proposals did "
		    "not cover every loophole");
}

static void direct_after_cue(void **state)
{
	fixture *f = *state;
	run(f, "The senator said: \"This bill is dead on arrival.\"\n", NULL);
	const quote_attr *r = with_content(f, "This bill is dead on arrival");
	assert_non_null(r);
	assert_int_equal(r->kind, QUOTE_DIRECT);
	assert_true(r->has_speaker);
	assert_span(f, r->spk_off, r->spk_len, "The senator");
}

static void according_to(void **state)
{
	fixture *f = *state;
	run(f, "According to the newspaper, the governor will resign next week.\n", NULL);
	const quote_attr *r = with_content(f, "the governor will resign");
	assert_non_null(r);
	assert_int_equal(r->kind, QUOTE_INDIRECT);
	assert_true(r->has_cue && r->has_speaker);
	assert_span(f, r->cue_off, r->cue_len, "According to");
	assert_span(f, r->spk_off, r->spk_len, "the newspaper");
}

static void told_reporters(void **state)
{
	fixture *f = *state;
	run(f, "Smith told reporters that the plan would fail.\n", NULL);
	const quote_attr *r = with_content(f, "the plan would fail");
	assert_non_null(r);
	assert_true(r->has_speaker);
	assert_span(f, r->spk_off, r->spk_len, "Smith");
	assert_span(f, r->cue_off, r->cue_len, "told");
}

static void mixed_quote(void **state)
{
	fixture *f = *state;
	run(f, "The mayor said the storm was \"the worst in a century\" and asked for help.\n",
	    NULL);
	const quote_attr *r = with_content(f, "the worst in a century");
	assert_non_null(r);
	assert_int_equal(r->kind, QUOTE_MIXED);
	assert_span(f, r->spk_off, r->spk_len, "The mayor");
}

static void pronoun_resolves(void **state)
{
	fixture *f = *state;
	run(f, "Vladimir Putin arrived in Beijing on Monday.\n\n"
	       "\"The talks were very useful,\" he said.\n", NULL);
	const quote_attr *r = with_content(f, "The talks were very useful");
	assert_non_null(r);
	assert_span(f, r->spk_off, r->spk_len, "he");
	assert_true(r->spk_entity >= 0 && (uint32_t)r->spk_entity < f->ents.n);
	const gaz_mention *m = &f->ents.v[r->spk_entity];
	assert_int_equal(m->type, GAZ_PER);
	assert_true(m->name_len == strlen("Vladimir Putin") &&
		    memcmp(m->name, "Vladimir Putin", m->name_len) == 0);
}

static void dash_signature(void **state)
{
	fixture *f = *state;
	run(f, "\xe2\x80\x9cWe are afraid for our children.\xe2\x80\x9d \xe2\x80\x95 Maria Lopez\n", NULL);
	const quote_attr *r = with_content(f, "We are afraid for our children");
	assert_non_null(r);
	assert_true(r->has_speaker);
	assert_span(f, r->spk_off, r->spk_len, "Maria Lopez");
	assert_int_equal(r->kind, QUOTE_DIRECT);
}

/* a quotation that fills its paragraph, signed on the next line with a
 * dash and a name */
static void dash_signature_next_line(void **state)
{
	fixture *f = *state;
	run(f, "Intro.\n\n\"Boeing and GE and other multinationals . . . pay zero taxes.\"\n\n- "
	       "Sanders.\n\nThis is a complex issue.\n",
	    NULL);
	const quote_attr *r = with_content(f, "Boeing");
	assert_non_null(r);
	assert_span(f, r->off, r->len, "Boeing and GE and other multinationals . . . pay zero taxes.");
	assert_true(r->has_speaker && r->has_cue);
	assert_span(f, r->spk_off, r->spk_len, "Sanders");
	assert_span(f, r->cue_off, r->cue_len, "-");
}

/* `Trump: Cruz Has 'To Come a Long Way' On Ethanol`: in the headline,
 * content after a colon cue runs to the end of the line */
static void headline_colon_to_eol(void **state)
{
	fixture *f = *state;
	run(f, "Trump: Cruz Has \u2018To Come a Long Way\u2019 On Ethanol, He\u2019s For Oil.\n\n"
	       "Donald Trump spoke in Iowa on Friday.\n",
	    NULL);
	const quote_attr *r = with_content(f, "Cruz Has");
	assert_non_null(r);
	assert_span(f, r->off, r->len,
		    "Cruz Has \u2018To Come a Long Way\u2019 On Ethanol, He\u2019s For Oil");
	assert_span(f, r->spk_off, r->spk_len, "Trump");
}

static void british_single_marks(void **state)
{
	fixture *f = *state;
	run(f, "\xe2\x80\x98We have been through a difficult time. But the worst is behind us,"
	       "\xe2\x80\x99 he told MPs.\n", NULL);
	const quote_attr *r = with_content(f, "We have been through a difficult time. But the worst");
	assert_non_null(r);
	assert_int_equal(r->kind, QUOTE_DIRECT);
	assert_span(f, r->spk_off, r->spk_len, "he");
}

static void coordinated_cue_subject(void **state)
{
	fixture *f = *state;
	run(f, "SEOUL, May 9 (UPI) -- Vladimir Putin sent a message to the president of France "
	       "and said that the talks \"went well,\" state media reported.\n", "2023-05-09");
	const quote_attr *r = with_content(f, "the talks");
	assert_non_null(r);
	assert_true(r->has_speaker);
	assert_span(f, r->spk_off, r->spk_len, "Vladimir Putin");
}

static void transcript_speaker(void **state)
{
	fixture *f = *state;
	run(f, "The debate went on.\n\nWALLACE: Do you really see those two as equivalent?\n\n"
	       "PENCE: Well, look, the question really should be about the campaign.\n", NULL);
	const quote_attr *r = with_content(f, "Well, look, the question");
	assert_non_null(r);
	assert_true(r->has_speaker && r->has_cue);
	assert_span(f, r->spk_off, r->spk_len, "PENCE");
	assert_span(f, r->cue_off, r->cue_len, ":");
	r = with_content(f, "Do you really see those two");
	assert_non_null(r);
	assert_span(f, r->spk_off, r->spk_len, "WALLACE");
}

static void dateline_is_no_cue(void **state)
{
	fixture *f = *state;
	run(f, "MOSCOW: The minister said the talks would resume in May.\n", NULL);
	for (uint32_t k = 0; k < f->out.n; k++) {
		const quote_attr *r = &f->out.v[k];
		if (r->has_cue && span_is(f, r->cue_off, r->cue_len, ":"))
			fail_msg("the dateline's colon became a cue");
	}
	const quote_attr *r = with_content(f, "the talks would resume");
	assert_non_null(r);
	assert_span(f, r->spk_off, r->spk_len, "The minister");
}

static void paragraph_goes_on(void **state)
{
	fixture *f = *state;
	run(f, "\"We will not give up on this city,\" the mayor said on Monday.\n\n"
	       "\"Every street will be rebuilt, and every family will get help.\"\n\n"
	       "The council meets next week.\n", "2024-03-06");
	const quote_attr *r = with_content(f, "Every street will be rebuilt");
	assert_non_null(r);
	assert_true(r->has_speaker);
	assert_span(f, r->spk_off, r->spk_len, "the mayor");
	assert_int_equal(r->kind, QUOTE_DIRECT);
}

/* `X said: "A."` ending its paragraph, then a paragraph that is one
 * cue-less quotation: one content over both (PolNeAR's hull) */
static void paragraph_joins_content(void **state)
{
	fixture *f = *state;
	run(f, "The council met on Monday.\n\nThe mayor said: \"We will not give up on this "
	       "city.\"\n\n\"Every street will be rebuilt, and every family will get help.\"\n\n"
	       "The council meets next week.\n",
	    NULL);
	const quote_attr *r = with_content(f, "Every street");
	assert_non_null(r);
	assert_span(f, r->off, r->len,
		    "We will not give up on this city.\"\n\n\"Every street will be rebuilt, and "
		    "every family will get help.");
	assert_span(f, r->spk_off, r->spk_len, "The mayor");
	assert_int_equal(r->kind, QUOTE_DIRECT);
}

static void when_fields(const quote_attr *r, int y, int m, int d)
{
	assert_true(r->has_when);
	assert_int_equal(r->when_y, y);
	assert_int_equal(r->when_m, m);
	assert_int_equal(r->when_d, d);
}

static void when_resolves(void **state)
{
	fixture *f = *state;
	/* 2023-05-09 was a Tuesday */
	run(f, "Smith said on Monday that the plan would fail.\n", "2023-05-09");
	const quote_attr *r = with_content(f, "the plan would fail");
	assert_non_null(r);
	when_fields(r, 2023, 5, 8);
	run(f, "Smith said on Tuesday that the plan would fail.\n", "2023-05-09T10:00:00Z");
	when_fields(with_content(f, "the plan would fail"), 2023, 5, 9);
	run(f, "Smith said yesterday that the plan would fail.\n", "2023-03-01");
	when_fields(with_content(f, "the plan would fail"), 2023, 2, 28);
	run(f, "Smith said on May 9, 2021, that the plan would fail.\n", "2023-03-01");
	when_fields(with_content(f, "the plan would fail"), 2021, 5, 9);
	/* a month later than the record's: the year before */
	run(f, "Smith said on Dec. 30 that the plan would fail.\n", "2024-01-02");
	when_fields(with_content(f, "the plan would fail"), 2023, 12, 30);
	run(f, "Smith said that the plan would fail.\n", "2024-08-15");
	when_fields(with_content(f, "the plan would fail"), 2024, 8, 15);
	run(f, "Smith said that the plan would fail.\n", NULL);
	r = with_content(f, "the plan would fail");
	assert_non_null(r);
	assert_false(r->has_when);
}

static void rules_without_weights(void **state)
{
	fixture *f = *state;
	assert_false(f->q->have_cue);
	run(f, "\"We will win,\" Smith said.\n", NULL);
	assert_int_equal(f->out.n, 1);
	const quote_attr *r = &f->out.v[0];
	assert_span(f, r->off, r->len, "We will win");
	assert_span(f, r->spk_off, r->spk_len, "Smith");
	assert_span(f, r->cue_off, r->cue_len, "said");
	run(f, "The weather was fine and nobody spoke.\n", NULL);
	assert_int_equal(f->out.n, 0);
}

static void lexicon_forms(void **state)
{
	fixture *f = *state;
	static const char *const forms[] = {"add", "adds", "added", "adding", "states",
					    "stated", "stating", "said", "says", "According", "slams",
					    "brags"};
	for (size_t k = 0; k < sizeof forms / sizeof *forms; k++) {
		run(f, forms[k], NULL);
		qdoc d;
		assert_int_equal(qdoc_init(f->q, f->text, &f->t, &f->s, &f->ents, &f->a, &d), ERR_OK);
		if (d.lex[0] == 0)
			fail_msg("%s is not in the lexicon", forms[k]);
	}
	/* "addle" shares no lemma; "slamed" and "braged" are what the regular
	 * rules make of slam and brag, and libstemmer refuses them (their
	 * Snowball stems are slame and brage, not slam and brag). */
	static const char *const nonforms[] = {"addle", "slamed", "braged", "remarkses"};
	for (size_t k = 0; k < sizeof nonforms / sizeof *nonforms; k++) {
		run(f, nonforms[k], NULL);
		qdoc d;
		assert_int_equal(qdoc_init(f->q, f->text, &f->t, &f->s, &f->ents, &f->a, &d), ERR_OK);
		if (d.lex[0] != 0)
			fail_msg("%s is in the lexicon", nonforms[k]);
	}
}

/* qdoc_init's word hashes (an ASCII word of up to 8 bytes hashed without
 * branches, the others byte by byte, repeated words from its cache) equal
 * quote_word_hash64, its suffix hashes those of the last three bytes, and
 * its pronoun classes (filtered by hash first) those of the words. */
static void word_hashes_match(void **state)
{
	fixture *f = *state;
	static const char alpha[] = "AZaz09MmQqXx'@[`{";
	static const char *const extra[] = {"He", "THEM", "who", "Which", "i", "it’s", "don’t",
					    "Hey", "w", "themselves"};
	char text[8192];
	size_t n = 0;
	uint32_t x = 12345;
	for (int w = 0; w < 600 && n + 40 < sizeof text; w++) {
		if (w % 7 == 0) {
			const char *e = extra[(uint32_t)w / 7 % (sizeof extra / sizeof *extra)];
			memcpy(text + n, e, strlen(e));
			n += strlen(e);
		} else {
			x = x * 1103515245u + 12345u;
			uint32_t len = 1 + (x >> 16) % 12;
			for (uint32_t k = 0; k < len; k++) {
				x = x * 1103515245u + 12345u;
				text[n++] = alpha[(x >> 16) % (sizeof alpha - 1)];
			}
		}
		text[n++] = ' ';
	}
	text[n] = '\0';
	run(f, text, NULL);
	qdoc d;
	assert_int_equal(qdoc_init(f->q, f->text, &f->t, &f->s, &f->ents, &f->a, &d), ERR_OK);
	uint32_t words = 0, pronouns = 0;
	for (uint32_t i = 0; i < f->t.n; i++) {
		const tok_token *tk = &f->t.v[i];
		if (!tok_is_wordlike(tk->type) && tk->type != TOK_POSS)
			continue;
		const char *w = f->text + tk->off;
		uint64_t h = quote_word_hash64(w, tk->len);
		uint64_t hs = tk->len <= 3 ? h : quote_word_hash64(w + tk->len - 3, 3);
		assert_int_equal(d.wh[i], (uint32_t)(h ^ (h >> 32)));
		if (!memchr(w, 0xE2, tk->len)) /* ’: suffix_hash folds it whole */
			assert_int_equal(d.suf[i], (uint32_t)hs);
		int pro = 0;
		for (size_t k = 0; k < 6; k++)
			pro |= tk->len == strlen(extra[k]) && memcmp(w, extra[k], tk->len) == 0;
		if (pro)
			assert_int_not_equal(d.pro[i], 0), pronouns++;
		words++;
	}
	assert_true(words > 500);
	assert_true(pronouns > 40);
	/* punctuation (one ASCII byte in line) hashes by its bytes too */
	uint32_t puncts = 0;
	for (uint32_t i = 0; i < f->t.n; i++) {
		const tok_token *tk = &f->t.v[i];
		if (tok_is_wordlike(tk->type) || tk->type == TOK_POSS || tok_is_quote(tk->type) ||
		    tk->type == TOK_DASH || tok_is_break(tk->type))
			continue;
		uint64_t h = quote_word_hash64(f->text + tk->off, tk->len);
		assert_int_equal(d.wh[i], (uint32_t)(h ^ (h >> 32)));
		puncts++;
	}
	assert_true(puncts > 50);
}

static void quotes_pair_across_paragraphs(void **state)
{
	fixture *f = *state;
	run(f, "Smith said:\n\n\"The first part goes on.\n\n\"And the second part ends here.\"\n\nThe end.\n", NULL);
	qdoc d;
	assert_int_equal(qdoc_init(f->q, f->text, &f->t, &f->s, &f->ents, &f->a, &d), ERR_OK);
	assert_int_equal(d.nq, 2);
	assert_true(d.q_cont[0]);
	assert_false(d.q_cont[1]);
	/* the cue's window covers both paragraphs of the quotation */
	uint32_t a, b;
	quote_role_window(&d, 1, 2, &a, &b);
	assert_true(a == 0);
	assert_true(b >= d.q_end[1]);
	assert_true(b < f->t.n);
}

static void bad_tagger_refused(void **state)
{
	(void)state;
	model_writer *w;
	assert_int_equal(model_writer_open(&w), ERR_OK);
	unsigned char body[200] = {0};
	uint32_t magic = QUOTE_TAGGER_MAGIC;
	memcpy(body, &magic, 4);
	assert_int_equal(model_writer_add(w, QUOTE_TAG_ROLE, body, sizeof body), ERR_OK);
	void *buf;
	size_t len;
	assert_int_equal(model_writer_bytes(w, &buf, &len), ERR_OK);
	model_writer_close(w);
	model *m;
	err_info ei = {0};
	assert_int_equal(model_open_mem(buf, len, &m, &ei), ERR_OK);
	quote_model *q = NULL;
	assert_int_equal(quote_open(m, &q, &ei), ERR_MODEL);
	assert_null(q);
	assert_true(strstr(ei.msg, "tagger") != NULL);
	model_close(m);
	free(buf);
}

static void hostile_marks(void **state)
{
	fixture *f = *state;
	/* many unbalanced marks: finishes, offsets stay inside */
	size_t n = 20000;
	char *s = malloc(n * 3 + 1);
	for (size_t i = 0; i < n; i++)
		memcpy(s + 3 * i, i % 7 == 0 ? "\" s" : "\"a ", 3);
	s[n * 3] = '\0';
	run(f, s, NULL);
	free(s);
}

static void crowded_cues(void **state)
{
	fixture *f = *state;
	/* a cue every other word, one long sentence: work stays linear */
	size_t n = 40000, l = strlen("Smith said ");
	char *s = malloc(n * l + 1);
	for (size_t i = 0; i < n; i++)
		memcpy(s + i * l, "Smith said ", l);
	s[n * l] = '\0';
	run(f, s, "2024-01-01");
	free(s);
}


/* The lexicon probe through the slots' hash tags (quote_lex_tags) finds
 * what the probe through the slots alone finds: every lemma of the
 * lexicon, in three casings, and random words that miss. */
static void lexicon_tags_match(void **state)
{
	fixture *f = *state;
	const quote_model *q = f->q;
	assert_non_null(q->ltag);
	static const char alpha[] = "abcdefghijklmnoprstuwy";
	char *text = malloc(1 << 16);
	assert_non_null(text);
	size_t n = 0;
	uint32_t x = 777;
	for (uint32_t k = 0; k < q->n_lemmas && n + 200 < (1 << 16); k++) {
		const char *w = q->strings + q->lemma_off[k];
		size_t len = strlen(w);
		for (int c = 0; c < 3; c++) {
			for (size_t j = 0; j < len; j++)
				text[n + j] = c == 1 && j == 0 && w[j] >= 'a' && w[j] <= 'z' ? (char)(w[j] - 32)
					      : c == 2 && w[j] >= 'a' && w[j] <= 'z'	      ? (char)(w[j] - 32)
												      : w[j];
			n += len;
			text[n++] = ' ';
		}
		x = x * 1103515245u + 12345u;
		uint32_t rl = 2 + (x >> 16) % 9;
		for (uint32_t j = 0; j < rl; j++) {
			x = x * 1103515245u + 12345u;
			text[n++] = alpha[(x >> 16) % (sizeof alpha - 1)];
		}
		text[n++] = ' ';
	}
	text[n] = '\0';
	run(f, text, NULL);
	free(text);
	quote_model slow = *q;
	slow.ltag = NULL;
	qdoc d1, d2;
	assert_int_equal(qdoc_init(q, f->text, &f->t, &f->s, &f->ents, &f->a, &d1), ERR_OK);
	assert_int_equal(qdoc_init(&slow, f->text, &f->t, &f->s, &f->ents, &f->a, &d2), ERR_OK);
	uint32_t found = 0;
	for (uint32_t i = 0; i < f->t.n; i++) {
		assert_int_equal(d1.lex[i], d2.lex[i]);
		assert_int_equal(d1.lexf[i], d2.lexf[i]);
		found += d1.lex[i] != 0;
	}
	assert_true(q->n_lemmas > 100);
	assert_true(found >= 2 * q->n_lemmas);
}

/* The runtime's scoring (small-domain rows made at quote_open, hashed
 * rows summed by chunks, SSE2 Viterbi) gives bit for bit the emissions
 * and labels of the plain path: features into an array, each row read
 * through the weight table, the general Viterbi loop. */
static void fast_scoring_matches(void **state)
{
	fixture *f = *state;
	const char *text =
		"\"We will not back down,\" Russian President Vladimir Putin said on Tuesday, "
		"adding that the talks \"must go on.\" She told reporters: \"It is over.\"\n\n"
		"According to a senior official, the plan was dropped -- a move that NATO "
		"criticized. 'Never,' he said. The ministry said in a statement that it "
		"had warned them, and Smith, 55, argued it was 'a mistake'.\n"
		"\"A,\" they said. \"B.\" WASHINGTON: Officials who spoke said nothing.";
	run(f, text, "2024-05-09");
	const quote_model *q = f->q;
	assert_non_null(q->cue.sdr);
	assert_non_null(q->role.sdr);
	qdoc d;
	assert_int_equal(qdoc_init(q, f->text, &f->t, &f->s, &f->ents, &f->a, &d), ERR_OK);
	assert_true(d.small);
	qtagger hashed_c = q->cue, hashed_r = q->role, plain_c = q->cue, plain_r = q->role;
	hashed_c.sdr = hashed_r.sdr = NULL;
	plain_c.w8 = plain_r.w8 = NULL; /* Viterbi: the general loop */
	uint32_t n = d.n, cap = n + 1;
	float *e1 = calloc((size_t)cap * Q_MAXLAB, sizeof *e1);
	float *e2 = calloc((size_t)cap * Q_MAXLAB, sizeof *e2);
	float *e3 = calloc((size_t)cap * Q_MAXLAB, sizeof *e3);
	float *vs = calloc((size_t)cap * Q_MAXLAB, sizeof *vs);
	uint8_t *bp = calloc((size_t)cap * Q_MAXLAB, 1), *l1 = calloc(cap, 1), *l2 = calloc(cap, 1);
	uint32_t *fs = calloc((size_t)cap * Q_MAXFEAT, sizeof *fs), *nf = calloc(cap, sizeof *nf);
	assert_true(e1 && e2 && e3 && vs && bp && l1 && l2 && fs && nf);
	uint32_t ncand = 0, nwin = 0;
	for (uint32_t k = 0; k < f->s.n; k++) {
		uint32_t sa = f->s.v[k].first, len = f->s.v[k].n;
		uint32_t c1 = qcue_emit(&q->cue, &d, sa, len, e1);
		uint32_t c2 = qcue_emit(&hashed_c, &d, sa, len, e2);
		assert_int_equal(c1, c2);
		ncand += c1;
		for (uint32_t i = 0; i < len; i++) {
			nf[i] = qfeat_cue(&d, sa, sa + len, sa + i, fs + (size_t)i * Q_MAXFEAT);
			assert_true(nf[i] <= Q_MAXFEAT);
		}
		qtag_score(&q->cue, fs, nf, len, e3);
		for (uint32_t i = 0; i < len; i++) {
			if (!d.cand[sa + i])
				continue;
			assert_memory_equal(e1 + i * QC_NLAB, e2 + i * QC_NLAB, QC_NLAB * sizeof *e1);
			assert_memory_equal(e1 + i * QC_NLAB, e3 + i * QC_NLAB, QC_NLAB * sizeof *e1);
		}
		/* Viterbi over each candidate stretch, as quote_attribute runs it */
		for (uint32_t i = 0; i < len;) {
			if (!d.cand[sa + i]) {
				i++;
				continue;
			}
			uint32_t j = i;
			while (j < len && d.cand[sa + j])
				j++;
			uint32_t pv = i ? QC_O : QC_NLAB, nx = j < len ? QC_O : QC_NLAB;
			qtag_viterbi_in(&q->cue, e1 + (size_t)i * QC_NLAB, j - i, pv, nx, vs, bp, l1);
			qtag_viterbi_in(&plain_c, e1 + (size_t)i * QC_NLAB, j - i, pv, nx, vs, bp, l2);
			assert_memory_equal(l1, l2, j - i);
			i = j;
		}
	}
	/* the role tagger around every reporting verb and colon, as a cue of
	 * one token and of two (tokens inside the cue); and windows cut short
	 * on either side, as a crowded sentence cuts them */
	for (uint32_t x = 0; x < 4 * n; x++) {
		uint32_t c0 = x / 4, cn = 1 + (x & 1), cut = x >> 1 & 1;
		if (!(d.lexf[c0] & QL_VERB) && f->t.v[c0].type != TOK_COLON)
			continue;
		if (c0 + cn > n)
			continue;
		uint32_t wa, wb, c1 = c0 + cn;
		quote_role_window(&d, c0, c1, &wa, &wb);
		if (cut && c0 > wa + 2)
			wa = c0 - 2;
		if (cut && wb > c1 + 3)
			wb = c1 + 3;
		uint32_t len = wb - wa;
		qrole_emit(&q->role, &d, wa, wb, c0, c1, e1);
		qrole_emit(&hashed_r, &d, wa, wb, c0, c1, e2);
		for (uint32_t i = 0; i < len; i++) {
			nf[i] = qfeat_role(&d, wa, wb, c0, c1, wa + i, fs + (size_t)i * Q_MAXFEAT);
			assert_true(nf[i] <= Q_MAXFEAT);
		}
		qtag_score(&q->role, fs, nf, len, e3);
		assert_memory_equal(e1, e2, (size_t)len * QR_NLAB * sizeof *e1);
		assert_memory_equal(e1, e3, (size_t)len * QR_NLAB * sizeof *e1);
		qtag_viterbi(&q->role, e1, len, vs, bp, l1);
		qtag_viterbi(&plain_r, e1, len, vs, bp, l2);
		assert_memory_equal(l1, l2, len);
		nwin++;
	}
	assert_true(ncand > 20);
	assert_true(nwin >= 32);
	free(e1), free(e2), free(e3), free(vs), free(bp), free(l1), free(l2), free(fs), free(nf);
}

int main(void)
{
	const struct CMUnitTest full[] = {
		cmocka_unit_test(split_quote_is_one),
		cmocka_unit_test(trailing_clause_cut),
		cmocka_unit_test(split_by_sentence),
		cmocka_unit_test(adding_ends_content),
		cmocka_unit_test(intro_clause_cut),
		cmocka_unit_test(trailing_title_cut),
		cmocka_unit_test(that_comma_kept),
		cmocka_unit_test(later_cue_ends_content),
		cmocka_unit_test(quote_paragraph_runs_on),
		cmocka_unit_test(later_speaker_cue_ends_content),
		cmocka_unit_test(content_runs_on_after_quote),
		cmocka_unit_test(opening_conj_cut),
		cmocka_unit_test(question_before_cue),
		cmocka_unit_test(but_cue_ends_content),
		cmocka_unit_test(told_addressee_cut),
		cmocka_unit_test(interrupted_clause_whole),
		cmocka_unit_test(and_that_runs_on),
		cmocka_unit_test(direct_after_cue),
		cmocka_unit_test(according_to),
		cmocka_unit_test(told_reporters),
		cmocka_unit_test(mixed_quote),
		cmocka_unit_test(pronoun_resolves),
		cmocka_unit_test(dash_signature),
		cmocka_unit_test(dash_signature_next_line),
		cmocka_unit_test(headline_colon_to_eol),
		cmocka_unit_test(british_single_marks),
		cmocka_unit_test(coordinated_cue_subject),
		cmocka_unit_test(transcript_speaker),
		cmocka_unit_test(dateline_is_no_cue),
		cmocka_unit_test(paragraph_goes_on),
		cmocka_unit_test(paragraph_joins_content),
		cmocka_unit_test(when_resolves),
		cmocka_unit_test(quotes_pair_across_paragraphs),
		cmocka_unit_test(word_hashes_match),
		cmocka_unit_test(hostile_marks),
		cmocka_unit_test(crowded_cues),
		cmocka_unit_test(fast_scoring_matches),
		cmocka_unit_test(lexicon_tags_match),
	};
	const struct CMUnitTest rules[] = {
		cmocka_unit_test(rules_without_weights),
		cmocka_unit_test(lexicon_forms),
		cmocka_unit_test(bad_tagger_refused),
	};
	int bad = cmocka_run_group_tests_name("quote (trained model)", full, setup_full, teardown);
	bad += cmocka_run_group_tests_name("quote (rules only)", rules, setup_rules, teardown);
	return bad ? 1 : 0;
}
