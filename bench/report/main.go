// Command report measures how long Inkludera takes to make the Östersund
// demo's follow-up report as a PDF, against LibreOffice converting the same
// report's HTML to PDF, in the same run. Use run.sh; see bench/README.md.
package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/inkludera/inkludera/internal/demo"
	"github.com/inkludera/inkludera/internal/report"
	"github.com/inkludera/inkludera/internal/report/reportpdf"
	"github.com/inkludera/inkludera/internal/store"
	"github.com/inkludera/inkludera/internal/strategy"
)

const (
	org = "2380"
	doc = "ostersund-integrationsstrategi-2020"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "report:", err)
		os.Exit(1)
	}
}

func run() error {
	runs := flag.Int("runs", 5, "runs of each side; the median is reported")
	year := flag.Int("year", 2021, "the follow-up year")
	inkludera := flag.String("inkludera", "", "the inkludera binary (run.sh builds it)")
	libreoffice := flag.String("libreoffice", "libreoffice", "the LibreOffice program")
	dir := flag.String("dir", "", "working folder (default: a new temporary folder, removed afterwards)")
	flag.Parse()
	if *runs < 1 {
		return fmt.Errorf("-runs must be positive")
	}
	if *inkludera == "" {
		return fmt.Errorf("-inkludera is required (run.sh builds it)")
	}
	if _, err := exec.LookPath(*libreoffice); err != nil {
		return fmt.Errorf("%s not found: apt-get install libreoffice-writer-nogui", *libreoffice)
	}
	if *dir == "" {
		d, err := os.MkdirTemp("", "inkludera-bench-report-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(d)
		*dir = d
	}

	// The data: the demo in a fresh database, and the report's HTML for
	// LibreOffice, made untimed.
	ctx := context.Background()
	db := filepath.Join(*dir, "inkludera.db")
	st, err := store.Open(ctx, db)
	if err != nil {
		return err
	}
	bundles, err := demo.Bundles()
	if err != nil {
		return err
	}
	if _, err := st.Import(ctx, bundles); err != nil {
		return err
	}
	today := strategy.DateOf(time.Now())
	f, err := report.Build(ctx, st, org, doc, *year, 0, today)
	if err != nil {
		return err
	}
	if err := st.Close(); err != nil {
		return err
	}
	htmlPath := filepath.Join(*dir, "uppfoljning.html")
	var page bytes.Buffer
	if err := report.RenderHTML(&page, f); err != nil {
		return err
	}
	if err := os.WriteFile(htmlPath, page.Bytes(), 0o644); err != nil {
		return err
	}
	version, _ := exec.Command(*libreoffice, "--version").Output()
	fmt.Printf("report: %s, %s, follow-up %d: %d targets, HTML %.0f kB\n", f.Organisation.Name, f.Document.Title, *year,
		f.Summary.RollUp.Total, float64(page.Len())/1e3)
	fmt.Printf("LibreOffice: %s", version)

	// LibreOffice's profile is made once, untimed: its first start
	// creates it and is much slower than any other.
	profile := "-env:UserInstallation=file://" + filepath.Join(*dir, "lo-profile")
	loOut := filepath.Join(*dir, "lo")
	libre := func() error {
		cmd := exec.Command(*libreoffice, profile, "--headless", "--convert-to", "pdf:writer_web_pdf_Export", "--outdir", loOut, htmlPath)
		out, err := cmd.CombinedOutput()
		if err != nil {
			return fmt.Errorf("libreoffice: %v\n%s", err, out)
		}
		if _, err := os.Stat(filepath.Join(loOut, "uppfoljning.pdf")); err != nil {
			return fmt.Errorf("libreoffice wrote no PDF:\n%s", out)
		}
		return nil
	}
	if err := libre(); err != nil {
		return err
	}

	inkOut := filepath.Join(*dir, "inkludera.pdf")
	command := func() error {
		cmd := exec.Command(*inkludera, "report", "--db", db, "--org", org, "--document", doc,
			"--year", fmt.Sprint(*year), "--format", "pdf", "-o", inkOut)
		out, err := cmd.CombinedOutput()
		if err != nil {
			return fmt.Errorf("inkludera report: %v\n%s", err, out)
		}
		return nil
	}
	render := func() error {
		var buf bytes.Buffer
		return reportpdf.Render(&buf, f)
	}

	var tLibre, tCommand, tRender []time.Duration
	for i := range *runs {
		// Alternate which side goes first, so neither always gets the
		// warmer machine.
		sides := []func() error{libre, command}
		times := []*[]time.Duration{&tLibre, &tCommand}
		if i%2 == 1 {
			slices.Reverse(sides)
			slices.Reverse(times)
		}
		for j, side := range sides {
			start := time.Now()
			if err := side(); err != nil {
				return err
			}
			*times[j] = append(*times[j], time.Since(start))
		}
		start := time.Now()
		if err := render(); err != nil {
			return err
		}
		tRender = append(tRender, time.Since(start))
	}
	lo, cmd, rend := median(tLibre), median(tCommand), median(tRender)
	inkPDF, _ := os.Stat(inkOut)
	loPDF, _ := os.Stat(filepath.Join(loOut, "uppfoljning.pdf"))
	fmt.Printf("runs: %d a side, alternating; medians\n", *runs)
	fmt.Printf("%-58s %9s  %s\n", "", "median", "all runs")
	fmt.Printf("%-58s %9s  %s  (%.0f kB)\n", "LibreOffice: HTML → PDF (soffice --convert-to, a process)", ms(lo), all(tLibre), float64(loPDF.Size())/1e3)
	fmt.Printf("%-58s %9s  %s  (%.0f kB)\n", "Inkludera: inkludera report --format pdf (a process: open", ms(cmd), all(tCommand), float64(inkPDF.Size())/1e3)
	fmt.Printf("%-58s\n", "  the database, read, judge every target, render, write)")
	fmt.Printf("%-58s %9s  %s\n", "Inkludera: reportpdf.Render alone (in this process)", ms(rend), all(tRender))
	fmt.Printf("ratio, the command against LibreOffice: %.3f× (goal ≤ 0.1×)\n", float64(cmd)/float64(lo))
	fmt.Printf("ratio, the rendering alone against LibreOffice: %.3f×\n", float64(rend)/float64(lo))
	return nil
}

func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
}

func ms(d time.Duration) string { return fmt.Sprintf("%.0f ms", float64(d)/1e6) }

func all(ds []time.Duration) string {
	var parts []string
	for _, d := range ds {
		parts = append(parts, fmt.Sprintf("%.0f", float64(d)/1e6))
	}
	return strings.Join(parts, " ")
}
