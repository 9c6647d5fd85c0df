/* SPDX-License-Identifier: MIT */
/* STUB command line; replaced by the real driver. */
#include <stdio.h>

int main(void)
{
	fprintf(stderr, "whosaid: not built yet\n");
	return 2;
}
