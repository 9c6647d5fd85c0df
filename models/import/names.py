# SPDX-License-Identifier: MIT
"""First names (firstnames.tsv) and surnames (surnames.tsv). First
version: none yet."""


def emit(out, src, lex, hand_dir):
    return
