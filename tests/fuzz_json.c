/* SPDX-License-Identifier: MIT */
/* libFuzzer entry for the JSON -> msgpack conversion: the bytes are one
 * JSON line; the fast path (rec_json_to_mpk) and jansson alone
 * (rec_json_to_mpk_ref) must give the same result, bytes, message and
 * invalid-UTF-8 flag, or abort; what converts is written back as JSON by
 * rec_write_json and rec_write_json_ref, which must agree too. Built and
 * run by `make fuzz`. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../pipeline/rec.h"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	char *line = malloc(n ? n : 1); /* exactly sized: ASan sees over-reads */
	if (!line)
		return 0;
	memcpy(line, d, n);
	rec_scratch s;
	rec_scratch_init(&s);
	msgpack_sbuffer a, b;
	msgpack_sbuffer_init(&a);
	msgpack_sbuffer_init(&b);
	err_info ea = {ERR_OK, ""}, eb = {ERR_OK, ""};
	int ua = -1, ub = -1;
	err ra = rec_json_to_mpk(line, n, &s, &a, &ua, &ea);
	err rb = rec_json_to_mpk_ref(line, n, &s, &b, &ub, &eb);
	if (ra != rb || ua != ub || a.size != b.size || (a.size && memcmp(a.data, b.data, a.size) != 0) ||
	    strcmp(ea.msg, eb.msg) != 0)
		abort();
	if (ra == ERR_OK) {
		/* and back to JSON: the fast writer and jansson agree too */
		msgpack_object o;
		size_t off = 0;
		msgpack_zone_clear(&s.zone);
		if (msgpack_unpack(a.data, a.size, &off, &s.zone, &o) == MSGPACK_UNPACK_SUCCESS) {
			/* o points into a: write elsewhere */
			msgpack_sbuffer ja, jb;
			msgpack_sbuffer_init(&ja);
			msgpack_sbuffer_init(&jb);
			err wa = rec_write_json(&o, &ja), wb = rec_write_json_ref(&o, &jb);
			if (wa != wb || ja.size != jb.size || (ja.size && memcmp(ja.data, jb.data, ja.size) != 0))
				abort();
			msgpack_sbuffer_destroy(&ja);
			msgpack_sbuffer_destroy(&jb);
		}
	}
	msgpack_sbuffer_destroy(&a);
	msgpack_sbuffer_destroy(&b);
	rec_scratch_fini(&s);
	free(line);
	return 0;
}
