// Command gen writes the PDF test files made with our own PDF library
// (codeberg.org/go-pdf/fpdf, a second producer beside LibreOffice):
// strategi-fpdf.pdf from strategi.md, and the small encrypted, protected
// and scanned-like files. Run it from internal/doctext with
// testdata/generate.sh, which also makes the LibreOffice and Latin-1 files.
package main

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"log"
	"math/rand/v2"
	"os"
	"path/filepath"

	"codeberg.org/go-pdf/fpdf"

	"github.com/inkludera/inkludera/internal/doctext"
	"github.com/inkludera/inkludera/internal/fonts"
)

const family = "DejaVu"

func main() {
	dir := "testdata"
	if len(os.Args) > 1 {
		dir = os.Args[1]
	}
	md, err := os.ReadFile(filepath.Join(dir, "strategi.md"))
	if err != nil {
		log.Fatal(err)
	}
	text, err := doctext.Extract("strategi.md", md)
	if err != nil {
		log.Fatal(err)
	}
	files := map[string]func() (*fpdf.Fpdf, error){
		"strategi-fpdf.pdf": func() (*fpdf.Fpdf, error) { return strategy(text), nil },
		"encrypted.pdf":     func() (*fpdf.Fpdf, error) { return small("hemligt"), nil },
		"protected.pdf":     func() (*fpdf.Fpdf, error) { return small(""), nil },
		"scanned.pdf":       scanned,
	}
	for name, make := range files {
		pdf, err := make()
		if err != nil {
			log.Fatal(err)
		}
		if err := pdf.OutputFileAndClose(filepath.Join(dir, name)); err != nil {
			log.Fatalf("%s: %v", name, err)
		}
	}
}

func newDoc(title string) *fpdf.Fpdf {
	pdf := fpdf.New("P", "mm", "A4", "")
	pdf.SetTitle(title, true)
	pdf.SetAuthor("Tallmyra kommun (påhittad)", true)
	pdf.SetCreator("Inkludera testdata (fpdf)", true)
	pdf.AddUTF8FontFromBytes(family, "", fonts.Regular)
	pdf.AddUTF8FontFromBytes(family, "B", fonts.Bold)
	pdf.SetMargins(20, 20, 20)
	pdf.SetAutoPageBreak(true, 22)
	return pdf
}

// strategy typesets the Markdown strategy's blocks: headings larger and
// bold, list items with a bullet and hanging indent, the table as a table,
// and a running footer with page numbers.
func strategy(text doctext.Text) *fpdf.Fpdf {
	pdf := newDoc(text.Title)
	pdf.AliasNbPages("{nb}")
	pdf.SetFooterFunc(func() {
		pdf.SetY(-14)
		pdf.SetFont(family, "", 8)
		pdf.CellFormat(0, 5, "Tallmyra kommun – Integrationsstrategi 2017–2020", "", 0, "L", false, 0, "")
		pdf.SetX(20)
		pdf.CellFormat(0, 5, fmt.Sprintf("Sida %d av {nb}", pdf.PageNo()), "", 0, "R", false, 0, "")
	})
	pdf.AddPage()
	blocks := text.Blocks
	for i := 0; i < len(blocks); i++ {
		b := blocks[i]
		switch b.Kind {
		case doctext.Heading:
			size := map[int]float64{1: 18, 2: 14, 3: 12}[b.Level]
			pdf.Ln(3)
			pdf.SetFont(family, "B", size)
			pdf.MultiCell(0, size*0.5, b.Text, "", "L", false)
			pdf.Ln(2)
			if b.Text == "Huvudansvariga nämnder" && i+12 < len(blocks) {
				// The Markdown's pipe table comes out as twelve cell
				// paragraphs: header row and three rows of three cells.
				table(pdf, blocks[i+1:i+13])
				i += 12
			}
		case doctext.ListItem:
			pdf.SetFont(family, "", 10.5)
			pdf.SetX(25)
			pdf.CellFormat(5, 5.5, "•", "", 0, "L", false, 0, "")
			pdf.SetLeftMargin(30)
			pdf.MultiCell(0, 5.5, b.Text, "", "L", false)
			pdf.SetLeftMargin(20)
			pdf.Ln(1)
		default:
			pdf.SetFont(family, "", 10.5)
			pdf.MultiCell(0, 5.5, b.Text, "", "L", false)
			pdf.Ln(2.5)
		}
	}
	return pdf
}

func table(pdf *fpdf.Fpdf, cells []doctext.Block) {
	widths := []float64{15, 85, 70}
	for i, c := range cells {
		style := ""
		if i < 3 {
			style = "B"
		}
		pdf.SetFont(family, style, 10)
		pdf.CellFormat(widths[i%3], 7, c.Text, "1", 0, "L", false, 0, "")
		if i%3 == 2 {
			pdf.Ln(-1)
		}
	}
	pdf.Ln(3)
}

// small is a one-page document, encrypted with RC4 (fpdf's protection):
// with a user password it cannot be opened without one; with an empty
// user password only its permissions are restricted.
func small(userPassword string) *fpdf.Fpdf {
	pdf := newDoc("Skyddad strategi")
	pdf.SetProtection(fpdf.CnProtectPrint, userPassword, "ägarlösenord")
	pdf.AddPage()
	pdf.SetFont(family, "B", 16)
	pdf.MultiCell(0, 8, "Skyddad strategi", "", "L", false)
	pdf.SetFont(family, "", 11)
	pdf.MultiCell(0, 6, "Minst 10 % av de nyanlända ska bo kvar i Tallmyra år 2020. Åtgärder för ökad sammanhållning och trygghet.", "", "L", false)
	return pdf
}

// scanned is a page that only shows an image, like a scan without OCR.
func scanned() (*fpdf.Fpdf, error) {
	img := image.NewGray(image.Rect(0, 0, 300, 400))
	rng := rand.New(rand.NewPCG(1, 2))
	for y := 0; y < 400; y++ {
		for x := 0; x < 300; x++ {
			v := uint8(245)
			if y%24 < 6 && x > 30 && x < 270 && rng.IntN(3) > 0 {
				v = 40 // rows of "text"
			}
			img.SetGray(x, y, color.Gray{Y: v})
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return nil, err
	}
	pdf := fpdf.New("P", "mm", "A4", "")
	pdf.SetTitle("Inskannad strategi", true)
	pdf.AddPage()
	pdf.RegisterImageOptionsReader("scan", fpdf.ImageOptions{ImageType: "PNG"}, &buf)
	pdf.ImageOptions("scan", 20, 20, 170, 0, false, fpdf.ImageOptions{ImageType: "PNG"}, 0, "")
	return pdf, pdf.Error()
}
