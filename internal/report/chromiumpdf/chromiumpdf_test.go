package chromiumpdf

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/inkludera/inkludera/internal/report"
	"github.com/inkludera/inkludera/internal/report/reporttest"
	"github.com/inkludera/inkludera/internal/testtool"
)

// TestPrint prints Östersund's 2021 report once, in one browser (CI has
// two cores), and checks the PDF with poppler's tools.
func TestPrint(t *testing.T) {
	chromium := testtool.Find(t, "Chromium (chromium, chromium-browser or google-chrome)", func() (string, error) { return LookPath("") })
	pdftotext := testtool.Path(t, "pdftotext")
	pdfinfo := testtool.Path(t, "pdfinfo")

	f := reporttest.Ostersund2021(t)
	var html bytes.Buffer
	if err := report.RenderHTML(&html, f); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	start := time.Now()
	// A generous bound: a 2-core CI machine under -race starts Chromium slowly.
	if err := Print(t.Context(), &out, html.Bytes(), Options{ExecPath: chromium, Timeout: 2 * time.Minute}); err != nil {
		t.Fatalf("Print: %v", err)
	}
	t.Logf("printed %d bytes in %v", out.Len(), time.Since(start))
	pdf := out.Bytes()
	file := filepath.Join(t.TempDir(), "rapport.pdf")
	if err := os.WriteFile(file, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	run := func(t *testing.T, tool string, args ...string) string {
		t.Helper()
		b, err := exec.Command(tool, args...).Output()
		if err != nil {
			t.Fatalf("%s %s: %v", tool, strings.Join(args, " "), err)
		}
		return string(b)
	}

	t.Run("is a PDF", func(t *testing.T) {
		if !bytes.HasPrefix(pdf, []byte("%PDF-")) {
			t.Errorf("output starts with %q, want %%PDF-", pdf[:min(len(pdf), 16)])
		}
		if !bytes.HasSuffix(bytes.TrimSpace(pdf), []byte("%%EOF")) {
			t.Errorf("output does not end with %%%%EOF: cut short?")
		}
	})

	t.Run("text", func(t *testing.T) {
		// Lines break anywhere in a PDF's text; compare with single spaces.
		text := strings.Join(strings.Fields(run(t, pdftotext, "-enc", "UTF-8", file, "-")), " ")
		wants := []string{"Östersunds kommun", "Uppföljning 2021: Integrationsstrategi 2020", "Till: Kommunstyrelsen"}
		var goals func([]report.Goal)
		goals = func(gs []report.Goal) {
			for _, g := range gs {
				wants = append(wants, g.Title)
				goals(g.Goals)
			}
		}
		for _, a := range f.Areas {
			wants = append(wants, a.Title)
			goals(a.Goals)
		}
		if len(wants) < 3+4+8 {
			t.Fatalf("the report has %d areas and goals, want the demo's 4 areas and 8 goals", len(wants)-3)
		}
		for _, want := range wants {
			if !strings.Contains(text, want) {
				t.Errorf("the PDF's text lacks %q", want)
			}
		}
		// The footer is in the stylesheet's @page margin boxes: printed only
		// when Chromium lays out the document's own page rules.
		if !regexp.MustCompile(`Sida 2 av \d+`).MatchString(text) {
			t.Errorf("the PDF has no page footer \"Sida 2 av …\" from the @page margin boxes")
		}
	})

	t.Run("tagged", func(t *testing.T) {
		if !bytes.Contains(pdf, []byte("/StructTreeRoot")) {
			t.Errorf("the PDF has no /StructTreeRoot: not tagged")
		}
		if !regexp.MustCompile(`/MarkInfo\s*<<[^>]*/Marked\s+true`).Match(pdf) {
			t.Errorf("the PDF's /MarkInfo does not say /Marked true")
		}
		if info := run(t, pdfinfo, file); !regexp.MustCompile(`(?m)^Tagged:\s+yes$`).MatchString(info) {
			t.Errorf("pdfinfo does not see a tagged PDF:\n%s", info)
		}
		if !bytes.Contains(pdf, []byte("/Lang (sv)")) {
			t.Errorf("the PDF does not declare Swedish (/Lang (sv)) from <html lang=\"sv\">")
		}
	})

	t.Run("outline and A4", func(t *testing.T) {
		if !bytes.Contains(pdf, []byte("/Outlines")) {
			t.Errorf("the PDF has no outline of its headings")
		}
		info := run(t, pdfinfo, file)
		if !regexp.MustCompile(`(?m)^Page size:.*\(A4\)$`).MatchString(info) {
			t.Errorf("the pages are not A4:\n%s", info)
		}
		if !regexp.MustCompile(`(?m)^Title:\s+Uppföljning 2021: Integrationsstrategi 2020 – Östersunds kommun$`).MatchString(info) {
			t.Errorf("the PDF's title is not the report's:\n%s", info)
		}
	})
}

func TestPrintWithoutChromium(t *testing.T) {
	const message = "no Chromium found for --pdf-engine chromium: install chromium or use the built-in PDF engine"
	missing := filepath.Join(t.TempDir(), "chromium")
	var out bytes.Buffer
	err := Print(t.Context(), &out, []byte("<!DOCTYPE html><title>x</title>"), Options{ExecPath: missing})
	if !errors.Is(err, ErrNoChromium) || !strings.HasPrefix(err.Error(), message) {
		t.Errorf("Print with ExecPath %s = %v, want %q", missing, err, message)
	}
	if out.Len() != 0 {
		t.Errorf("Print wrote %d bytes on failure", out.Len())
	}

	// Nothing on PATH either.
	t.Setenv("PATH", t.TempDir())
	if err := Print(t.Context(), &out, nil, Options{}); err == nil || err.Error() != message {
		t.Errorf("Print without a Chromium on PATH = %v, want %q", err, message)
	}
}

// TestLookPath finds the browser on PATH in ExecNames' order, without
// starting it.
func TestLookPath(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"google-chrome", "chromium-browser"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte("#!/bin/sh\n"), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	t.Setenv("PATH", dir)
	got, err := LookPath("")
	if want := filepath.Join(dir, "chromium-browser"); err != nil || got != want {
		t.Errorf("LookPath(\"\") = %q, %v; want %q", got, err, want)
	}
	if got, err := LookPath("google-chrome"); err != nil || got != filepath.Join(dir, "google-chrome") {
		t.Errorf("LookPath(google-chrome) = %q, %v", got, err)
	}
	if _, err := LookPath("chromium"); !errors.Is(err, ErrNoChromium) {
		t.Errorf("LookPath(chromium), not on PATH = %v, want ErrNoChromium", err)
	}
}
