# SPDX-License-Identifier: MIT
"""A minimal reader for the block-style YAML of the congress-legislators
files: nested maps and lists by indentation, plain or quoted scalars, no
flow style, anchors or multi-line scalars. Standard library only."""


def _scalar(s):
    s = s.strip()
    if len(s) >= 2 and s[0] == s[-1] and s[0] in "'\"":
        inner = s[1:-1]
        if s[0] == "'":
            return inner.replace("''", "'")
        return inner.replace('\\"', '"').replace("\\\\", "\\")
    if " #" in s:
        s = s.split(" #", 1)[0].rstrip()
    return s


def _split_key(s):
    """'key: value' -> (key, value or None); None when s is no mapping."""
    if s.startswith(("'", '"')):
        q = s[0]
        end = s.find(q, 1)
        if end < 0 or not s[end + 1:].startswith(":"):
            return None
        key, rest = s[1:end], s[end + 2:]
    else:
        i = s.find(": ")
        if i < 0:
            if s.endswith(":"):
                return s[:-1], None
            return None
        key, rest = s[:i], s[i + 2:]
    rest = rest.strip()
    return key, (rest if rest else None)


def load(path):
    lines = []
    with open(path, encoding="utf-8") as f:
        for raw in f:
            raw = raw.rstrip("\n")
            st = raw.strip()
            if not st or st.startswith("#") or st == "---":
                continue
            lines.append((len(raw) - len(raw.lstrip(" ")), st))
    pos = [0]

    def block(indent):
        """Parses the block whose lines start at column indent."""
        if pos[0] >= len(lines):
            return None
        ind, st = lines[pos[0]]
        if st.startswith("- ") or st == "-":
            out = []
            while pos[0] < len(lines):
                ind, st = lines[pos[0]]
                if ind != indent or not (st.startswith("- ") or st == "-"):
                    break
                item = st[2:].strip() if st != "-" else ""
                if not item:
                    pos[0] += 1
                    out.append(block(lines[pos[0]][0]) if pos[0] < len(lines)
                               and lines[pos[0]][0] > indent else None)
                    continue
                kv = _split_key(item)
                if kv is None:
                    out.append(_scalar(item))
                    pos[0] += 1
                    continue
                # A map that starts on the dash line: its keys sit at
                # indent + 2; rewrite the line and read the map.
                lines[pos[0]] = (indent + 2, item)
                out.append(mapping(indent + 2))
            return out
        return mapping(indent)

    def mapping(indent):
        out = {}
        while pos[0] < len(lines):
            ind, st = lines[pos[0]]
            if ind != indent or st.startswith("- "):
                # A list may sit at the same indent as its key.
                break
            kv = _split_key(st)
            if kv is None:
                raise ValueError("%s: cannot read %r" % (path, st))
            key, val = kv
            pos[0] += 1
            if val is not None:
                out[key] = _scalar(val)
                continue
            if pos[0] < len(lines):
                nind, nst = lines[pos[0]]
                if nind > indent or (nind == indent and nst.startswith("- ")):
                    out[key] = block(nind)
                    continue
            out[key] = None
        return out

    res = block(lines[0][0]) if lines else None
    if pos[0] != len(lines):
        raise ValueError("%s: stopped at line %r" % (path, lines[pos[0]]))
    return res
