/* SPDX-License-Identifier: MIT */
#ifndef WHOSAID_CMD_H
#define WHOSAID_CMD_H

/* The subcommands of build/whosaid. Each takes its own argv (argv[0] is
 * the subcommand's name) and returns the process exit status: 0 success,
 * 1 some records failed, 2 bad usage or unreadable input, model or output. */

int cmd_run(int argc, char **argv);
int cmd_pack(int argc, char **argv);
int cmd_dump(int argc, char **argv);
int cmd_model(int argc, char **argv);

/* Writes the path of the default model (WHOSAID_MODEL, else whosaid.model
 * beside the executable) into buf; returns 0, or -1 when it cannot tell. */
int cmd_default_model(char *buf, size_t cap);

/* Checks that every input file (not "-") exists, is no directory, can be
 * read and is not the output file; reports each problem on stderr and
 * returns nonzero when there was one. */
int cmd_check_inputs(char **files, int n, const char *out_path);

#endif
