/* SPDX-License-Identifier: MIT */
/* The command line: dispatches to a subcommand (pipeline/cmd.h). */
#include <stdio.h>
#include <string.h>

#include "cmd.h"

static const char usage[] =
	"usage: whosaid COMMAND [OPTIONS] [FILE...]\n"
	"Turns dumps of news articles into a corpus of who said what, and when.\n"
	"Commands:\n"
	"  run          input records in, output records out (the pipeline)\n"
	"  pack         JSON Lines records -> msgpack records\n"
	"  dump         output records -> JSON Lines, CSV, TSV or a table\n"
	"  model build  compile models/src into one binary model\n"
	"`whosaid COMMAND -h` prints the options of COMMAND. FILEs default to\n"
	"standard input; output goes to standard output unless -o FILE.\n";

int main(int argc, char **argv)
{
	if (argc < 2) {
		fputs(usage, stderr);
		return 2;
	}
	const char *c = argv[1];
	if (strcmp(c, "-h") == 0 || strcmp(c, "--help") == 0 || strcmp(c, "help") == 0) {
		fputs(usage, stdout);
		return 0;
	}
	if (strcmp(c, "run") == 0)
		return cmd_run(argc - 1, argv + 1);
	if (strcmp(c, "pack") == 0)
		return cmd_pack(argc - 1, argv + 1);
	if (strcmp(c, "dump") == 0)
		return cmd_dump(argc - 1, argv + 1);
	if (strcmp(c, "model") == 0)
		return cmd_model(argc - 1, argv + 1);
	fprintf(stderr, "whosaid: unknown command '%s'\n%s", c, usage);
	return 2;
}
