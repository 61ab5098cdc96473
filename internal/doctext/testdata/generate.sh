#!/bin/sh
# Regenerates the test files from strategi.html and strategi.md (both written
# for Inkludera, CC0). Run from internal/doctext. Needs LibreOffice (soffice)
# and iconv; the fpdf files need only Go.
set -eu
cd "$(dirname "$0")"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp strategi.html "$tmp/"
(cd "$tmp" &&
	soffice --headless --infilter="HTML (StarWriter)" --convert-to docx:"MS Word 2007 XML" strategi.html >/dev/null &&
	soffice --headless --infilter="HTML (StarWriter)" --convert-to pdf:writer_pdf_Export strategi.html >/dev/null &&
	soffice --headless --infilter="HTML (StarWriter)" --convert-to \
		'pdf:writer_pdf_Export:{"EncryptFile":{"type":"boolean","value":"true"},"PermissionPassword":{"type":"string","value":"agare"}}' \
		--outdir protected strategi.html >/dev/null)
cp "$tmp/strategi.docx" "$tmp/strategi.pdf" .
cp "$tmp/protected/strategi.pdf" strategi-protected.pdf
# The Latin-1 (Windows-1252) text: the Markdown without markup, CRLF line ends.
python3 - <<'PY'
import re, unicodedata
s = unicodedata.normalize("NFC", open("strategi.md", encoding="utf-8").read()).replace("\u00ad", "")
out = []
title = s.split("\n")[0].lstrip("# ")
for l in s.split("\n"):
    if re.match(r"^-+$", l):
        continue
    if l.startswith("#"):
        l = l.lstrip("#").strip()
        if l == title:
            l = l.upper()
    if l.startswith("|"):
        cells = [c.strip() for c in l.strip("|").split("|")]
        if all(re.match(r"^:?-+:?$", c) for c in cells):
            continue
        l = "\t".join(cells)
    if l.startswith("* "):
        l = "- " + l[2:]
    l = re.sub(r"\*\*|__|`", "", l)
    l = re.sub(r"(?<!\w)\*(\w[^*]*)\*", r"\1", l)
    l = re.sub(r'\[([^\]]*)\]\([^)]*\)', r"\1", l)
    out.append(l)
open("strategi-latin1.txt", "wb").write("\r\n".join(out).encode("cp1252"))
PY
cd ../../.. && go run ./internal/doctext/testdata/gen internal/doctext/testdata
