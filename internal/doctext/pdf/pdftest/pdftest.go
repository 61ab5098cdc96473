// Package pdftest builds small PDF files by hand for tests: the cases no
// installed producer writes (fonts without ToUnicode, rotated pages, broken
// cross-references, cycles) are easiest to state as objects.
package pdftest

import (
	"bytes"
	"compress/zlib"
	"fmt"
	"strings"
)

// Build assembles a PDF from object bodies: bodies[i] becomes object i+1.
// trailer holds extra trailer entries besides /Size (e.g. "/Root 1 0 R").
// The cross-reference table is classic and correct.
func Build(bodies []string, trailer string) []byte {
	var b bytes.Buffer
	b.WriteString("%PDF-1.7\n%\xe5\xe4\xf6\n")
	offsets := make([]int, len(bodies))
	for i, body := range bodies {
		offsets[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, body)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(bodies)+1)
	for _, off := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d %s >>\nstartxref\n%d\n%%%%EOF\n", len(bodies)+1, trailer, xref)
	return b.Bytes()
}

// Stream is a stream object's body with the right /Length; dict holds the
// other entries, without the << >>.
func Stream(dict, data string) string {
	return fmt.Sprintf("<< %s /Length %d >>\nstream\n%s\nendstream", dict, len(data), data)
}

// FlateStream is Stream with the data compressed by FlateDecode.
func FlateStream(dict, data string) string {
	var z bytes.Buffer
	w := zlib.NewWriter(&z)
	w.Write([]byte(data))
	w.Close()
	return Stream(dict+" /Filter /FlateDecode", z.String())
}

// Page describes one page for Document: its content stream and extra
// page dictionary entries (e.g. "/Rotate 90").
type Page struct {
	Content string
	Extra   string
}

// Document builds a PDF with the given pages (A4), all sharing the
// resources dictionary resources (e.g. "/Font << /F1 5 0 R >>"), whose
// objects come after the pages': object 1 is the catalog, 2 the page tree,
// then a page and its content for each page, then extra[0], extra[1]…
// (FirstExtra tells extra[0]'s number).
func Document(pages []Page, resources string, extra []string) []byte {
	var kids []string
	bodies := []string{"<< /Type /Catalog /Pages 2 0 R >>", ""}
	for i, p := range pages {
		pageNum := 3 + 2*i
		kids = append(kids, fmt.Sprintf("%d 0 R", pageNum))
		bodies = append(bodies,
			fmt.Sprintf("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents %d 0 R %s >>", pageNum+1, p.Extra),
			Stream("", p.Content))
	}
	bodies[1] = fmt.Sprintf("<< /Type /Pages /Kids [%s] /Count %d /Resources << %s >> >>", strings.Join(kids, " "), len(pages), resources)
	bodies = append(bodies, extra...)
	return Build(bodies, "/Root 1 0 R")
}

// FirstExtra is the object number of Document's first extra body.
func FirstExtra(pages int) int { return 3 + 2*pages }
