#!/bin/sh
# Checks the committed gazetteer lists (models/src/gaz/*.tsv and
# models/src/gaz-pending/*.tsv) the way the import's checker does, without
# python: five tab-separated fields, a known type, id and name on entity
# and ROLE lines, extra as key=value pairs, sorted with LC_ALL=C and no
# duplicate lines. Also checks that the lists the tagger relies on exist
# and hold some well-known entries.
set -u
fail=0
n=0
for f in models/src/gaz/*.tsv models/src/gaz-pending/*.tsv; do
	[ -f "$f" ] || continue
	n=$((n + 1))
	if ! LC_ALL=C sort -c -u "$f" 2>/dev/null; then
		echo "gazlists: $f: not sorted with LC_ALL=C or has duplicate lines"
		fail=1
	fi
	bad=$(LC_ALL=C awk -F'\t' '
		BEGIN { split("PER ORG LOC NORP MISC ROLE TITLE FIRST SURNAME", t, " ");
			for (i in t) ok[t[i]] = 1;
			split("cc pop gender count kind office start end weak case plural", k, " ");
			for (i in k) key[k[i]] = 1 }
		{
			why = "";
			if (NF != 5) why = "fields";
			else if ($1 == "" || $1 ~ /^ | $/) why = "surface";
			else if (!($2 in ok)) why = "type";
			else if ($2 !~ /^(TITLE|FIRST|SURNAME)$/ && ($3 == "" || $4 == "")) why = "id or name";
			else if ($5 != "") {
				m = split($5, kv, ";");
				for (i = 1; i <= m; i++) {
					split(kv[i], p, "=");
					if (!(p[1] in key) || index(kv[i], "=") == 0) why = "extra";
				}
			}
			if (why != "") { print FILENAME ":" NR ": " why; exit }
		}' "$f")
	if [ -n "$bad" ]; then
		echo "gazlists: $bad"
		fail=1
	fi
done
if [ "$n" -lt 8 ]; then
	echo "gazlists: expected the gazetteer lists in models/src/gaz, found $n files"
	fail=1
fi
# A few entries every default model must have (one per list).
for want in \
	"countries.tsv	North Korea	LOC	iso:KP" \
	"demonyms.tsv	Russian	NORP	iso:RU" \
	"cities.tsv	Pyongyang	LOC	geonames:1871859" \
	"people.tsv	Vladimir Putin	PER	Q7747" \
	"orgs.tsv	Reuters	ORG	org:reuters" \
	"roles.tsv	Russian President	ROLE	Q7747" \
	"titles.tsv	spokesman	TITLE	" \
	"firstnames.tsv	Mary	FIRST	"; do
	file=${want%%	*}
	rest=${want#*	}
	if ! grep -q "^$rest" "models/src/gaz/$file" 2>/dev/null; then
		echo "gazlists: models/src/gaz/$file lacks '$rest'"
		fail=1
	fi
done
# Rules of the import that the tagger relies on (models/src/gaz/README.md):
# a party name belongs to the parties of one country only; no two-letter
# party acronyms (country and state codes); a party's name is no NORP
# surface; gender on titles is m or f.
G=models/src/gaz
bad=$(LC_ALL=C awk -F'\t' '$2 == "ORG" && $5 ~ /kind=party/ {
		k = tolower($1); c = $5; sub(/.*cc=/, "", c); sub(/;.*/, "", c)
		if (k in cc && cc[k] != c) { print "party name \"" $1 "\" in " cc[k] " and " c; exit }
		cc[k] = c
		if ($1 ~ /^[A-Z][A-Z]$/) { print "two-letter party acronym " $1; exit }
	}' "$G/orgs.tsv")
bad=$bad$(LC_ALL=C awk -F'\t' '$2 == "NORP" && $1 ~ / Party$/ { print "NORP surface " $1; exit }' "$G/demonyms.tsv")
bad=$bad$(LC_ALL=C awk -F'\t' '$5 ~ /gender=/ && $5 !~ /gender=[mf](;|$)/ { print "title gender " $1; exit }' "$G/titles.tsv")
if [ -n "$bad" ]; then
	echo "gazlists: $bad"
	fail=1
fi
[ $fail = 0 ] && echo "gazlists: $n lists well-formed"
exit $fail
