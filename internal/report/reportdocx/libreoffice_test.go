package reportdocx

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/inkludera/inkludera/internal/report"
	"github.com/inkludera/inkludera/internal/testtool"
)

// TestLibreOfficeConverts opens the document in another word processor
// than the one it is written for: LibreOffice converts it to PDF (once,
// it takes seconds), and the PDF's text has the report's content.
func TestLibreOfficeConverts(t *testing.T) {
	libreoffice := testtool.Path(t, "libreoffice")
	pdftotext := testtool.Path(t, "pdftotext")

	f := followUp(t, false)
	dir := t.TempDir()
	docx := filepath.Join(dir, "uppfoljning.docx")
	if err := os.WriteFile(docx, rendered(t, false), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	// A profile of its own, so the test neither touches the user's nor
	// waits for a LibreOffice already running.
	profile := "-env:UserInstallation=file://" + filepath.ToSlash(filepath.Join(dir, "profile"))
	cmd := exec.CommandContext(ctx, libreoffice, profile, "--headless", "--convert-to", "pdf", "--outdir", dir, docx)
	out, err := cmd.CombinedOutput()
	pdf := filepath.Join(dir, "uppfoljning.pdf")
	if _, statErr := os.Stat(pdf); err != nil || statErr != nil {
		t.Fatalf("libreoffice --convert-to pdf: %v, %v\n%s", err, statErr, out)
	}
	text, err := exec.CommandContext(ctx, pdftotext, "-enc", "UTF-8", pdf, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	// pdftotext breaks lines where the page does: compare words only.
	words := strings.Join(strings.Fields(string(text)), " ")
	want := []string{"Östersund", report.Heading(f), "Till: " + f.RecipientBody, "Innehåll", "Sammanfattning", "Bilaga: Så bedöms målen"}
	want = append(want, goalTitles(f)...)
	for _, s := range want {
		if !strings.Contains(words, strings.Join(strings.Fields(s), " ")) {
			t.Errorf("the PDF's text lacks %q", s)
		}
	}
	// The footer's fields are computed: "Sida 2 av N" on the second page.
	if !regexp.MustCompile(`Sida 2 av [1-9][0-9]*`).MatchString(words) {
		t.Errorf("the PDF's text has no page number \"Sida 2 av N\"")
	}
}
