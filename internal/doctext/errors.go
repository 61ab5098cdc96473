package doctext

// Kind classifies an *Error so callers can react without parsing messages.
type Kind int

// The kinds of problem Extract and Detect report.
const (
	// KindUnsupported: a file type Inkludera does not read (.odt, images, …).
	KindUnsupported Kind = iota + 1
	// KindOldWord: a Word 97–2003 .doc file.
	KindOldWord
	// KindEncrypted: the file needs a password.
	KindEncrypted
	// KindNoTextLayer: a PDF without text, e.g. a scan.
	KindNoTextLayer
	// KindNoUnicode: a PDF whose fonts do not say which characters they show.
	KindNoUnicode
	// KindDamaged: the file is truncated or broken.
	KindDamaged
	// KindTooLarge: the file would expand beyond the size limits.
	KindTooLarge
	// KindBadEncoding: a text file that is neither UTF-8, UTF-16 nor Windows-1252.
	KindBadEncoding
	// KindEmpty: the file holds no text at all.
	KindEmpty
)

// Error is a problem with one file. Problem is English, for logs and the
// command line; Swedish gives the same for the user interface.
type Error struct {
	File    string
	Kind    Kind
	Problem string
	swedish string
	// Err is the underlying error, if any, for logs.
	Err error
}

func (e *Error) Error() string { return e.File + ": " + e.Problem }

// Swedish is the message in Swedish, for the user interface.
func (e *Error) Swedish() string { return e.File + ": " + e.swedish }

func (e *Error) Unwrap() error { return e.Err }

func newError(file string, kind Kind, english, swedish string, cause error) *Error {
	return &Error{File: file, Kind: kind, Problem: english, swedish: swedish, Err: cause}
}

// fileKind names a file type we recognise but do not read, and what to do.
type fileKind struct {
	english, swedish string
}

var (
	kindODT        = fileKind{"an OpenDocument text (.odt); save it as .docx or PDF", "ett OpenDocument-dokument (.odt); spara det som .docx eller PDF"}
	kindRTF        = fileKind{"an RTF file; save it as .docx or PDF", "en RTF-fil; spara den som .docx eller PDF"}
	kindSpreadsh   = fileKind{"a spreadsheet, not a text document", "ett kalkylark, inte ett textdokument"}
	kindSlides     = fileKind{"a presentation, not a text document", "en presentation, inte ett textdokument"}
	kindHTML       = fileKind{"a web page (HTML); save it as PDF or plain text", "en webbsida (HTML); spara den som PDF eller vanlig text"}
	kindZip        = fileKind{"a zip archive, not a Word document", "ett zip-arkiv, inte ett Word-dokument"}
	kindOffice97   = fileKind{"an Office 97–2003 file; save it as .docx", "en Office 97–2003-fil; spara den som .docx"}
	kindEPUB       = fileKind{"an e-book (EPUB); save it as PDF or plain text", "en e-bok (EPUB); spara den som PDF eller vanlig text"}
	kindPages      = fileKind{"a Pages document; export it as .docx or PDF", "ett Pages-dokument; exportera det som .docx eller PDF"}
	kindBinary     = fileKind{"not a text document Inkludera can read (PDF, DOCX, Markdown or plain text)", "inte ett textdokument som Inkludera kan läsa (PDF, DOCX, Markdown eller vanlig text)"}
	kindUnknownExt = fileKind{"an unsupported file type; Inkludera reads .pdf, .docx, .md and .txt", "en filtyp som inte stöds; Inkludera läser .pdf, .docx, .md och .txt"}
)

func imageKind(format string) fileKind {
	return fileKind{
		"an image (" + format + ") without a text layer; run OCR first or use the original document",
		"en bild (" + format + ") utan textlager; kör OCR (textigenkänning) först eller använd originaldokumentet",
	}
}

func unsupported(file string, k fileKind) *Error {
	return newError(file, KindUnsupported, "the file is "+k.english, "filen är "+k.swedish, nil)
}
