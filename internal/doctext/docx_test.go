package doctext

import (
	"testing"
)

// docxOf builds a DOCX file around a body, with Swedish Word's style ids
// (Rubrik1 named "heading 1") and a numbering for goals.
func docxOf(t *testing.T, body string, extra map[string]string) []byte {
	t.Helper()
	files := map[string]string{
		"[Content_Types].xml": `<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>`,
		"_rels/.rels": `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>`,
		"word/document.xml": `<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="` + nsW + `" xmlns:mc="` + nsMC + `" xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"><w:body>` + body + `</w:body></w:document>`,
		"word/styles.xml": `<?xml version="1.0"?><w:styles xmlns:w="` + nsW + `">
<w:style w:type="paragraph" w:styleId="Normal"><w:name w:val="Normal"/></w:style>
<w:style w:type="paragraph" w:styleId="Rubrik"><w:name w:val="Title"/><w:basedOn w:val="Normal"/></w:style>
<w:style w:type="paragraph" w:styleId="Rubrik1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/><w:pPr><w:outlineLvl w:val="0"/></w:pPr></w:style>
<w:style w:type="paragraph" w:styleId="Rubrik2"><w:name w:val="heading 2"/><w:basedOn w:val="Rubrik1"/></w:style>
<w:style w:type="paragraph" w:styleId="Malrubrik"><w:name w:val="Målrubrik"/><w:basedOn w:val="Rubrik2"/><w:pPr><w:numPr><w:numId w:val="7"/></w:numPr></w:pPr></w:style>
<w:style w:type="paragraph" w:styleId="Egen"><w:name w:val="Egen nivå"/><w:pPr><w:outlineLvl w:val="3"/></w:pPr></w:style>
<w:style w:type="paragraph" w:styleId="Innehll1"><w:name w:val="toc 1"/></w:style>
<w:style w:type="paragraph" w:styleId="Punktlista"><w:name w:val="List Bullet"/><w:pPr><w:numPr><w:numId w:val="3"/></w:numPr></w:pPr></w:style>
<w:style w:type="character" w:styleId="Rubrik1Char"><w:name w:val="Rubrik 1 Char"/></w:style>
</w:styles>`,
		"word/numbering.xml": `<?xml version="1.0"?><w:numbering xmlns:w="` + nsW + `">
<w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="Långsiktigt mål %1:"/></w:lvl></w:abstractNum>
<w:abstractNum w:abstractNumId="1"><w:lvl w:ilvl="0"><w:numFmt w:val="bullet"/><w:lvlText w:val="•"/></w:lvl><w:lvl w:ilvl="1"><w:numFmt w:val="bullet"/></w:lvl></w:abstractNum>
<w:abstractNum w:abstractNumId="2"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="upperRoman"/><w:lvlText w:val="%1."/></w:lvl><w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="%1.%2)"/></w:lvl></w:abstractNum>
<w:num w:numId="7"><w:abstractNumId w:val="0"/></w:num>
<w:num w:numId="3"><w:abstractNumId w:val="1"/></w:num>
<w:num w:numId="9"><w:abstractNumId w:val="2"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="4"/></w:lvlOverride></w:num>
</w:numbering>`,
		"docProps/core.xml": `<?xml version="1.0"?><cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="` + nsDC + `"><dc:title>Kärnans titel</dc:title></cp:coreProperties>`,
	}
	for k, v := range extra {
		if v == "" {
			delete(files, k)
		} else {
			files[k] = v
		}
	}
	return zipOf(t, files)
}

func p(style, runs string) string {
	pPr := ""
	if style != "" {
		pPr = `<w:pPr><w:pStyle w:val="` + style + `"/></w:pPr>`
	}
	return "<w:p>" + pPr + runs + "</w:p>"
}

func r(text string) string { return `<w:r><w:t xml:space="preserve">` + text + `</w:t></w:r>` }

func TestDOCX(t *testing.T) {
	cases := []struct {
		name      string
		body      string
		extra     map[string]string
		want      string
		wantTitle string
	}{
		{"styles resolved by name through basedOn", p("Rubrik", r("Strategi")) + p("Rubrik1", r("Inledning")) + p("Rubrik2", r("Bakgrund")) + p("Egen", r("Fyra")) + p("", r("Text.")),
			nil, "H1 Strategi | H1 Inledning | H2 Bakgrund | H4 Fyra | P Text.", "Kärnans titel"},
		{"style ids without styles.xml", p("Heading2", r("Del")) + p("Rubrik3", r("Under")),
			map[string]string{"word/styles.xml": ""}, "H2 Del | H3 Under", "Kärnans titel"},
		{"title from the Title style without core.xml", p("Rubrik", r("Stilens titel")) + p("", r("Text.")),
			map[string]string{"docProps/core.xml": ""}, "H1 Stilens titel | P Text.", "Stilens titel"},
		{"numbered goal headings count up", p("Malrubrik", r("Fler i arbete")) + p("", r("Text.")) + p("Malrubrik", r("Ökad trygghet")),
			nil, "H2 Långsiktigt mål 1: Fler i arbete | P Text. | H2 Långsiktigt mål 2: Ökad trygghet", "Kärnans titel"},
		{"list items from styles and direct numbering", p("Punktlista", r("Ett")) +
			`<w:p><w:pPr><w:numPr><w:ilvl w:val="1"/><w:numId w:val="3"/></w:numPr></w:pPr>` + r("Ett a") + `</w:p>` +
			`<w:p><w:pPr><w:pStyle w:val="Punktlista"/><w:numPr><w:numId w:val="0"/></w:numPr></w:pPr>` + r("Inte längre") + `</w:p>`,
			nil, "L1 Ett | L2 Ett a | P Inte längre", "Kärnans titel"},
		{"numbered headings with overrides and levels", `<w:p><w:pPr><w:pStyle w:val="Rubrik1"/><w:numPr><w:ilvl w:val="0"/><w:numId w:val="9"/></w:numPr></w:pPr>` + r("Mål") + `</w:p>` +
			`<w:p><w:pPr><w:pStyle w:val="Rubrik2"/><w:numPr><w:ilvl w:val="1"/><w:numId w:val="9"/></w:numPr></w:pPr>` + r("Delmål") + `</w:p>` +
			`<w:p><w:pPr><w:pStyle w:val="Rubrik2"/><w:numPr><w:ilvl w:val="1"/><w:numId w:val="9"/></w:numPr></w:pPr>` + r("Delmål") + `</w:p>`,
			nil, "H1 IV. Mål | H2 IV.a) Delmål | H2 IV.b) Delmål", "Kärnans titel"},
		{"runs, tabs, breaks, symbols and hyphens", `<w:p><w:r><w:t>Minst</w:t><w:tab/><w:t>10</w:t></w:r><w:r><w:t xml:space="preserve"> %</w:t><w:br/><w:t>år</w:t></w:r>` +
			`<w:r><w:sym w:font="Symbol" w:char="F0B3"/><w:t>2020 EU</w:t><w:noBreakHyphen/><w:t>medel för</w:t><w:softHyphen/><w:t>sörjning</w:t></w:r></w:p>`,
			nil, "P Minst 10 % år≥2020 EU-medel försörjning", "Kärnans titel"},
		{"revisions, fields, hidden text and footnote references", `<w:p><w:r><w:t>Kvar</w:t></w:r><w:del><w:r><w:delText>borttagen</w:delText></w:r></w:del><w:ins><w:r><w:t xml:space="preserve"> infogad</w:t></w:r></w:ins>` +
			`<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> PAGE </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t xml:space="preserve"> 3</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>` +
			`<w:r><w:rPr><w:vanish/></w:rPr><w:t>dold</w:t></w:r><w:r><w:rPr><w:vanish w:val="0"/></w:rPr><w:t xml:space="preserve"> synlig</w:t></w:r><w:r><w:footnoteReference w:id="1"/></w:r></w:p>`,
			nil, "P Kvar infogad 3 synlig", "Kärnans titel"},
		{"table cells in order, nested table", `<w:tbl><w:tr><w:tc>` + p("", r("Mål")) + `</w:tc><w:tc>` + p("", r("Nämnd")) + `</w:tc></w:tr>` +
			`<w:tr><w:tc>` + p("", r("1")) + `</w:tc><w:tc><w:tbl><w:tr><w:tc>` + p("", r("Inre")) + `</w:tc></w:tr></w:tbl>` + p("", r("KS")) + `</w:tc></w:tr></w:tbl>`,
			nil, "P Mål | P Nämnd | P 1 | P Inre | P KS", "Kärnans titel"},
		{"text box once, after its paragraph; fallback skipped", `<w:p><w:r><w:t>Ankare</w:t></w:r><w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wps:txbx><w:txbxContent>` + p("", r("I rutan")) +
			`</w:txbxContent></wps:txbx></w:drawing></mc:Choice><mc:Fallback><w:pict><w:txbxContent>` + p("", r("I rutan")) + `</w:txbxContent></w:pict></mc:Fallback></mc:AlternateContent></w:r></w:p>`,
			nil, "P I rutan | P Ankare", "Kärnans titel"},
		{"table of contents entries and empty paragraphs left out", p("Innehll1", r("Inledning\t3")) + p("", "") + p("Rubrik1", r("Inledning")),
			nil, "H1 Inledning", "Kärnans titel"},
		{"content controls", `<w:sdt><w:sdtPr><w:alias w:val="x"/></w:sdtPr><w:sdtContent>` + p("", r("I kontrollen")) + `</w:sdtContent></w:sdt>`,
			nil, "P I kontrollen", "Kärnans titel"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			tx, err := Extract("test.docx", docxOf(t, c.body, c.extra))
			if err != nil {
				t.Fatal(err)
			}
			if got := blocksString(tx.Blocks); got != c.want {
				t.Errorf("got  %s\nwant %s", got, c.want)
			}
			if tx.Title != c.wantTitle {
				t.Errorf("title %q, want %q", tx.Title, c.wantTitle)
			}
		})
	}
}

func TestDOCXMainPartFromRelationships(t *testing.T) {
	data := zipOf(t, map[string]string{
		"_rels/.rels":        `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="r" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="/word/document2.xml"/></Relationships>`,
		"word/document2.xml": `<w:document xmlns:w="` + nsW + `"><w:body>` + p("", r("Annan del")) + `</w:body></w:document>`,
	})
	tx, err := Extract("x.docx", data)
	if err != nil {
		t.Fatal(err)
	}
	if got := blocksString(tx.Blocks); got != "P Annan del" {
		t.Errorf("got %s", got)
	}
}
