package web

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/inkludera/inkludera/internal/library"
	"github.com/inkludera/inkludera/internal/strategy"
)

// maxLibraryUpload is the most an upload to the library may hold, all files
// together: a strategy PDF is rarely over 5 MB, and ten of them at once is
// a large batch; the files are held in memory while they are read.
const maxLibraryUpload = 50 << 20

// maxLibraryFiles bounds the files of one upload, so that the receipt
// stays readable and one request does not hold the writer for long.
const maxLibraryFiles = 200

// libraryAccept is the file input's accept list: the formats doctext reads.
const libraryAccept = ".txt,.text,.md,.markdown,.pdf,.docx,text/plain,text/markdown,application/pdf," +
	"application/vnd.openxmlformats-officedocument.wordprocessingml.document"

// errTooManyFiles is an upload of more than maxLibraryFiles files.
var errTooManyFiles = errors.New("too many files")

// libraryUploadPage is GET and POST /bibliotek/ladda-upp.
type libraryUploadPage struct {
	Title   string
	MaxSize string
	Accept  string
	// Problems are what stopped the upload as a whole (too large, no
	// file); the files' own problems are in the receipt.
	Problems []string
	// Skip keeps the "skip unreadable files" box ticked after a POST.
	Skip    bool
	Receipt *libraryReceipt
}

// libraryReceipt is what an upload did.
type libraryReceipt struct {
	// Read says how many files were read and what became of them.
	Read string
	// Stored is false when an unreadable file stopped the whole upload.
	Stored     bool
	Added      []libraryReceiptDoc
	Duplicates []libraryReceiptDoc
	Unreadable []string
}

// libraryReceiptDoc is a file of the receipt and the library document it
// became or already was.
type libraryReceiptDoc struct {
	File  string
	URL   string
	Title string
	Meta  string
}

func newLibraryUploadPage() libraryUploadPage {
	return libraryUploadPage{Title: "Ladda upp dokument till biblioteket", MaxSize: "50\u00a0MB", Accept: libraryAccept}
}

// pageLibraryUpload handles GET /bibliotek/ladda-upp.
func (s *server) pageLibraryUpload(w http.ResponseWriter, r *http.Request) error {
	if _, err := s.library(); err != nil {
		return err
	}
	if err := authorizeLibraryKeeper(r); err != nil {
		return err
	}
	return render(s, w, r, http.StatusOK, "library_upload", newLibraryUploadPage())
}

// libraryUpload is what an upload form sent: its files and its other
// fields.
type libraryUpload struct {
	files  []library.File
	fields map[string]string
}

// readLibraryUpload reads a multipart form part by part, the files of the
// input fileField at most maxLibraryUpload bytes together and at most
// maxFiles of them, so that an oversized upload is refused after the
// limit instead of being spooled to disk. An empty file input (no file
// chosen) sends a part without a name, which is skipped.
func readLibraryUpload(r *http.Request, fileField string, maxFiles int) (libraryUpload, error) {
	up := libraryUpload{fields: map[string]string{}}
	mr, err := r.MultipartReader()
	if err != nil {
		return up, strategy.Errorf(strategy.CodeInvalid, "Formuläret ska skickas som multipart/form-data med filer.")
	}
	budget := int64(maxLibraryUpload)
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			return up, nil
		}
		if err != nil {
			return up, err
		}
		switch name := part.FormName(); {
		case name == fileField:
			fileName := cleanFileName(part.FileName())
			data, err := io.ReadAll(io.LimitReader(part, budget+1))
			if err != nil {
				return up, err
			}
			if int64(len(data)) > budget {
				return up, errTooLarge
			}
			budget -= int64(len(data))
			if fileName == "" && len(data) == 0 {
				break
			}
			if len(up.files) == maxFiles {
				return up, errTooManyFiles
			}
			if fileName == "" {
				fileName = fmt.Sprintf("fil-%d", len(up.files)+1)
			}
			up.files = append(up.files, library.File{Name: fileName, Data: data})
		case name != "":
			b, err := io.ReadAll(io.LimitReader(part, 1024))
			if err != nil {
				return up, err
			}
			up.fields[name] = strings.TrimSpace(string(b))
		}
		part.Close()
	}
}

// uploadProblem turns a failed read of an upload into the Swedish problem
// the form shows and its status; ok is false for errors the adapter
// should answer.
func uploadProblem(err error, maxFiles int) (status int, problem string, ok bool) {
	var mbe *http.MaxBytesError
	switch {
	case errors.Is(err, errTooLarge) || errors.As(err, &mbe):
		return http.StatusRequestEntityTooLarge,
			"Filerna är större än 50 MB tillsammans, som är det mesta som tas emot på en gång. Ladda upp dem i flera omgångar.", true
	case errors.Is(err, errTooManyFiles) && maxFiles == 1:
		return http.StatusBadRequest, "Ladda upp en fil i taget.", true
	case errors.Is(err, errTooManyFiles):
		return http.StatusBadRequest, fmt.Sprintf("Ladda upp högst %d filer på en gång.", maxFiles), true
	case strategy.CodeOf(err) == strategy.CodeInvalid:
		return 0, "", false
	}
	return http.StatusBadRequest, "Uppladdningen avbröts eller gick inte att läsa. Försök igen.", true
}

// allowSlowUpload lifts the server's read and write timeouts for an
// upload: 50 MB over a slow municipal connection takes minutes.
func allowSlowUpload(w http.ResponseWriter) {
	rc := http.NewResponseController(w)
	_ = rc.SetReadDeadline(time.Now().Add(uploadTimeout)) // unsupported by some writers: then the server's timeouts stand
	_ = rc.SetWriteDeadline(time.Now().Add(uploadTimeout))
}

// postLibraryUpload handles POST /bibliotek/ladda-upp: every file is read
// and the new texts stored in one transaction; with an unreadable file
// nothing is stored unless the form asked to skip such files.
func (s *server) postLibraryUpload(w http.ResponseWriter, r *http.Request) error {
	lib, err := s.library()
	if err != nil {
		return err
	}
	if err := authorizeLibraryKeeper(r); err != nil {
		return err
	}
	allowSlowUpload(w)
	r.Body = http.MaxBytesReader(w, r.Body, maxLibraryUpload+maxFormOverhead)
	p := newLibraryUploadPage()
	up, err := readLibraryUpload(r, "filer", maxLibraryFiles)
	if err != nil {
		status, problem, ok := uploadProblem(err, maxLibraryFiles)
		if !ok {
			return err
		}
		p.Problems = []string{problem}
		return render(s, w, r, status, "library_upload", p)
	}
	p.Skip = up.fields["hoppa-over"] == "ja"
	if len(up.files) == 0 {
		p.Problems = []string{"Välj en eller flera filer att ladda upp."}
		return render(s, w, r, http.StatusBadRequest, "library_upload", p)
	}

	read := 0
	res, addErr := lib.Add(r.Context(), up.files, library.AddOptions{SkipUnreadable: p.Skip,
		Progress: func(done, total int, file string) { read = done }})
	receipt := &libraryReceipt{Read: filesReadText(read, len(up.files), res), Stored: addErr == nil}
	for _, fe := range res.Problems {
		receipt.Unreadable = append(receipt.Unreadable, fe.Svenska)
	}
	if addErr != nil && len(res.Problems) == 0 {
		return addErr
	}
	for _, d := range res.Added {
		receipt.Added = append(receipt.Added, libraryReceiptDoc{File: d.FileName, URL: libraryDocumentURL(d.ID), Title: d.Title, Meta: libraryMetaLine(d)})
	}
	for _, dup := range res.Duplicates {
		receipt.Duplicates = append(receipt.Duplicates, libraryReceiptDoc{File: dup.File, URL: libraryDocumentURL(dup.Existing.ID),
			Title: dup.Existing.Title, Meta: libraryMetaLine(dup.Existing)})
	}
	p.Receipt = receipt
	s.log.InfoContext(r.Context(), "library upload", "files", len(up.files), "added", len(res.Added),
		"duplicates", len(res.Duplicates), "unreadable", len(res.Problems), "stored", receipt.Stored)
	status := http.StatusOK
	if !receipt.Stored {
		status = http.StatusUnprocessableEntity
	}
	return render(s, w, r, status, "library_upload", p)
}

// filesReadText sums an upload up: "3 filer lästes: 1 ny, 1 fanns redan,
// 1 gick inte att läsa." read is how many files were gone through.
func filesReadText(read, total int, res library.Result) string {
	files := "1 fil"
	if read != 1 {
		files = count(read) + " filer"
	}
	if read < total {
		files = count(read) + " av " + count(total) + " filer"
	}
	parts := []string{count(len(res.Added)) + " " + plural(len(res.Added), "ny", "nya")}
	if n := len(res.Duplicates); n > 0 {
		parts = append(parts, count(n)+" fanns redan")
	}
	if n := len(res.Problems); n > 0 {
		parts = append(parts, count(n)+" gick inte att läsa")
	}
	return files + " lästes: " + strings.Join(parts, ", ") + "."
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
