/* SPDX-License-Identifier: MIT */
#ifndef WHOSAID_DUMP_H
#define WHOSAID_DUMP_H

/* Field encoders of `whosaid dump`, exposed for tests. Both append one
 * field to sb as valid UTF-8 (each invalid byte becomes U+FFFD) and return
 * ERR_NOMEM on failure. */

#include <stddef.h>

#include <msgpack.h>

#include "err.h"

/* RFC 4180: the field is quoted when it holds , " CR or LF, with every "
 * doubled; otherwise it is written as is. */
MUST_CHECK err dump_csv_field(msgpack_sbuffer *sb, const char *p, size_t len);
/* TSV: tab, LF, CR and backslash become \t \n \r \\; nothing is quoted. */
MUST_CHECK err dump_tsv_field(msgpack_sbuffer *sb, const char *p, size_t len);

#endif
