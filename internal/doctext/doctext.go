// Package doctext turns a strategy document's file — plain text, Markdown,
// PDF or DOCX — into its text in reading order: headings, paragraphs and
// list items, with the file's own title. The library import and the draft
// extraction build on it.
//
// All text comes out normalised: Unicode NFC, white space collapsed to
// single spaces, soft hyphens and zero-width spaces removed, typographic
// ligatures (ﬁ, ﬂ) spelled out. Problems are *Error values that name the
// file, in English (Error) and Swedish (Swedish).
package doctext

import (
	"bytes"
	"fmt"
	"path"
	"runtime/debug"
	"strings"
)

// Format is a document format Extract reads.
type Format string

// The formats.
const (
	FormatText     Format = "text"
	FormatMarkdown Format = "markdown"
	FormatPDF      Format = "pdf"
	FormatDOCX     Format = "docx"
)

// BlockKind says what a Block is.
type BlockKind int

// The block kinds.
const (
	Paragraph BlockKind = iota
	Heading
	ListItem
)

func (k BlockKind) String() string {
	switch k {
	case Heading:
		return "heading"
	case ListItem:
		return "list item"
	}
	return "paragraph"
}

// Block is one heading, paragraph or list item. Table cells come out as
// paragraphs, row by row and cell by cell.
type Block struct {
	Kind BlockKind
	// Level is 1–6 for headings (1 the highest) and the nesting depth,
	// from 1, for list items; 0 for paragraphs.
	Level int
	Text  string
	// Page is the 1-based page a PDF block starts on; 0 in other formats.
	Page int
}

// Text is a document's text.
type Text struct {
	Format Format
	// Title is the file's own title when it has one: a PDF's Info /Title or
	// XMP dc:title, a DOCX file's dc:title in docProps/core.xml (else its
	// first paragraph in the Title style), Markdown's front matter title or
	// first level-1 heading; "" otherwise.
	Title  string
	Blocks []Block
	// Pages is the PDF's page count; 0 in other formats.
	Pages int
}

// String is the text with blocks separated by blank lines; list items
// start with "- ", indented two spaces per level below the first.
func (t Text) String() string {
	var b strings.Builder
	for i, bl := range t.Blocks {
		if i > 0 {
			b.WriteString("\n\n")
		}
		if bl.Kind == ListItem {
			for l := 1; l < bl.Level; l++ {
				b.WriteString("  ")
			}
			b.WriteString("- ")
		}
		b.WriteString(bl.Text)
	}
	return b.String()
}

// Detect tells the format of a file from its content first (a %PDF-
// header, a zip archive holding word/document.xml) and then from its name's
// extension (.txt, .text, .md, .markdown). Other files get an *Error that
// names what they are where it can tell (.doc, .odt, images, …).
func Detect(name string, data []byte) (Format, error) {
	head := data
	if len(head) > 1024 {
		head = head[:1024]
	}
	ext := strings.ToLower(path.Ext(strings.ReplaceAll(name, "\\", "/")))
	switch {
	case bytes.Contains(head, []byte("%PDF-")):
		return FormatPDF, nil
	case bytes.HasPrefix(data, []byte("PK\x03\x04")) || bytes.HasPrefix(data, []byte("PK\x05\x06")):
		return detectZip(name, data)
	case bytes.HasPrefix(data, []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}):
		return "", detectOLE(name, data)
	case bytes.HasPrefix(data, []byte(`{\rtf`)):
		return "", unsupported(name, kindRTF)
	case bytes.HasPrefix(data, []byte("\x89PNG\r\n\x1a\n")):
		return "", unsupported(name, imageKind("PNG"))
	case bytes.HasPrefix(data, []byte{0xFF, 0xD8, 0xFF}):
		return "", unsupported(name, imageKind("JPEG"))
	case bytes.HasPrefix(data, []byte("GIF87a")) || bytes.HasPrefix(data, []byte("GIF89a")):
		return "", unsupported(name, imageKind("GIF"))
	case bytes.HasPrefix(data, []byte("II*\x00")) || bytes.HasPrefix(data, []byte("MM\x00*")):
		return "", unsupported(name, imageKind("TIFF"))
	case len(data) >= 12 && string(data[:4]) == "RIFF" && string(data[8:12]) == "WEBP":
		return "", unsupported(name, imageKind("WebP"))
	}
	switch ext {
	case ".txt", ".text":
		return FormatText, nil
	case ".md", ".markdown", ".mdown", ".mkd":
		return FormatMarkdown, nil
	case ".pdf":
		return "", newError(name, KindDamaged, "not a PDF file (it has no %PDF- header)", "inte en PDF-fil (den saknar huvudet %PDF-)", nil)
	case ".docx":
		return "", newError(name, KindDamaged, "not a DOCX file (it is not a zip archive)", "inte en DOCX-fil (den är inte ett zip-arkiv)", nil)
	case ".doc", ".dot":
		return "", oldWord(name)
	case ".odt", ".ott", ".fodt":
		return "", unsupported(name, kindODT)
	case ".rtf":
		return "", unsupported(name, kindRTF)
	case ".html", ".htm", ".xhtml":
		return "", unsupported(name, kindHTML)
	case ".xls", ".xlsx", ".ods", ".csv":
		return "", unsupported(name, kindSpreadsh)
	case ".ppt", ".pptx", ".odp":
		return "", unsupported(name, kindSlides)
	case ".epub":
		return "", unsupported(name, kindEPUB)
	case ".pages":
		return "", unsupported(name, kindPages)
	case ".png", ".jpg", ".jpeg", ".gif", ".tif", ".tiff", ".webp", ".heic", ".bmp":
		return "", unsupported(name, imageKind(strings.ToUpper(ext[1:])))
	case "":
		// No extension (standard input, a download without a name): text
		// if it looks like text.
		if looksLikeText(data) {
			return FormatText, nil
		}
		return "", unsupported(name, kindBinary)
	}
	return "", unsupported(name, kindUnknownExt)
}

func oldWord(name string) *Error {
	return newError(name, KindOldWord, "a .doc file (Word 97–2003); save it as .docx",
		"en .doc-fil (Word 97–2003); spara den som .docx", nil)
}

// detectOLE tells the Office 97–2003 files apart by their stream names,
// stored as UTF-16 in the compound file's directory.
func detectOLE(name string, data []byte) error {
	utf16 := func(s string) []byte {
		var b []byte
		for _, c := range []byte(s) {
			b = append(b, c, 0)
		}
		return b
	}
	switch {
	case bytes.Contains(data, utf16("EncryptedPackage")):
		return newError(name, KindEncrypted, "the Word document is password-protected; save a copy without a password",
			"Word-dokumentet är lösenordsskyddat; spara en kopia utan lösenord", nil)
	case bytes.Contains(data, utf16("WordDocument")):
		return oldWord(name)
	case bytes.Contains(data, utf16("Workbook")) || bytes.Contains(data, utf16("Book")):
		return unsupported(name, kindSpreadsh)
	case bytes.Contains(data, utf16("PowerPoint Document")):
		return unsupported(name, kindSlides)
	}
	return unsupported(name, kindOffice97)
}

// Extract reads a file's text. Errors are *Error.
func Extract(name string, data []byte) (t Text, err error) {
	defer func() {
		if r := recover(); r != nil {
			t, err = Text{}, newError(name, KindDamaged, "the file could not be read (it may be damaged)",
				"filen kunde inte läsas (den kan vara skadad)", &recoveredPanic{value: r, stack: debug.Stack()})
		}
	}()
	format, err := Detect(name, data)
	if err != nil {
		return Text{}, err
	}
	switch format {
	case FormatText:
		t, err = extractPlainText(name, data)
	case FormatMarkdown:
		t, err = extractMarkdown(name, data)
	case FormatPDF:
		t, err = extractPDF(name, data)
	case FormatDOCX:
		t, err = extractDOCX(name, data)
	}
	if err != nil {
		return Text{}, err
	}
	t.Format = format
	t.Title = cleanText(t.Title)
	t.Blocks = cleanBlocks(t.Blocks)
	if len(t.Blocks) == 0 {
		if format == FormatPDF {
			return Text{}, noTextLayer(name)
		}
		return Text{}, newError(name, KindEmpty, "the file contains no text", "filen innehåller ingen text", nil)
	}
	return t, nil
}

// recoveredPanic is a bug met by unexpected input; the user sees a damaged
// file, the log the stack.
type recoveredPanic struct {
	value any
	stack []byte
}

func (p *recoveredPanic) Error() string { return fmt.Sprintf("panic: %v\n%s", p.value, p.stack) }

// cleanBlocks normalises every block's text and drops the empty ones.
func cleanBlocks(blocks []Block) []Block {
	out := blocks[:0]
	for _, b := range blocks {
		b.Text = cleanText(b.Text)
		if b.Text == "" {
			continue
		}
		switch b.Kind {
		case Heading:
			b.Level = min(max(b.Level, 1), 6)
		case ListItem:
			b.Level = min(max(b.Level, 1), 9)
		default:
			b.Level = 0
		}
		out = append(out, b)
	}
	return out
}
