package storetest

import (
	"context"
	"testing"

	"github.com/inkludera/inkludera/internal/strategy"
)

// testTranslations: a document's and an indicator's translations are
// stored and read back with them; a change of a translation alone is a
// change of the document (or indicator) itself, with a new Rev and an
// audit entry; invalid ones are refused with nothing stored; empty texts
// are dropped; a deleted object's translations go with it.
func testTranslations(t *testing.T, open func(t *testing.T) strategy.Store) {
	s := open(t)
	ctx := asEva()
	mustImport(t, s, richBundle())
	docRef := strategy.ObjectRef{Kind: strategy.ObjDocument, Document: docKey}

	d := mustDocument(t, s, docKey)
	same(t, "translations read back", d.Translations, richDocument().Translations)
	ind, err := s.Indicator(ctx, "folkmangd")
	if err != nil {
		t.Fatal(err)
	}
	same(t, "indicator translations read back", ind.Translations, richIndicators()[0].Translations)
	docs, err := s.Documents(ctx, orgCode)
	if err != nil || len(docs) != 1 {
		t.Fatalf("Documents: %v %v", docs, err)
	}
	same(t, "translations in the list of documents", docs[0].Translations, richDocument().Translations)

	t.Run("an import that changes only a translation", func(t *testing.T) {
		revs := revsOf(t, mustDocument(t, s, docKey))
		b := richBundle()
		b.Document.Translations["en"]["title"] = "Integration Strategy 2020"
		sum := mustImport(t, s, b)
		if c := sum["documents"]; c.Changed != 1 {
			t.Errorf("summary %v: want the document changed", sum)
		}
		want := revs
		want[docRef.String()]++
		after := mustDocument(t, s, docKey)
		same(t, "revisions", revsOf(t, after), want)
		if got, _ := after.Translations.Text("en", "title"); got != "Integration Strategy 2020" {
			t.Errorf("stored title %q", got)
		}
	})

	t.Run("an edit that changes only a translation", func(t *testing.T) {
		before := mustDocument(t, s, docKey)
		beforeHead, rev := lookup(t, before, docRef)
		got, err := s.EditDocument(ctx, strategy.Edit{Ref: docRef, Rev: rev, Apply: func(d *strategy.Document) error {
			d.Translations.Set("fa", "area/arbete/title", "کار و مهارت")
			d.Translations.Set("ti", "activity/ks-2017/mentorer/title", "መደብ ምኽሪ")
			d.Translations.Set("en", "target/syss-60/text", "") // removes it
			return nil
		}})
		if err != nil {
			t.Fatal(err)
		}
		head, newRev := lookup(t, got, docRef)
		if newRev != rev+1 {
			t.Errorf("rev %d after the edit, want %d", newRev, rev+1)
		}
		if txt, _ := got.Translations.Text("fa", "area/arbete/title"); txt != "کار و مهارت" {
			t.Errorf("translations after the edit: %v", got.Translations)
		}
		if _, ok := got.Translations.Text("en", "target/syss-60/text"); ok {
			t.Error("an emptied translation is still stored")
		}
		same(t, "document as stored", mustDocument(t, s, docKey), got)
		checkEntry(t, s, docRef, strategy.AuditUpdate, eva, orgCode, beforeHead, head)
	})

	t.Run("an indicator's translation", func(t *testing.T) {
		before, err := s.Indicator(ctx, "folkmangd")
		if err != nil {
			t.Fatal(err)
		}
		got, err := s.EditIndicator(ctx, "folkmangd", before.Rev, func(ind *strategy.Indicator) error {
			ind.Translations = ind.Translations.Clone()
			ind.Translations.Set("ar", "title", "عدد السكان")
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if got.Rev != before.Rev+1 {
			t.Errorf("rev %d, want %d", got.Rev, before.Rev+1)
		}
		if txt, _ := got.Translations.Text("ar", "title"); txt != "عدد السكان" {
			t.Errorf("translations %v", got.Translations)
		}
		checkEntry(t, s, strategy.ObjectRef{Kind: strategy.ObjIndicator, Key: "folkmangd"}, strategy.AuditUpdate, eva, "", before, got)
	})

	t.Run("empty texts are dropped", func(t *testing.T) {
		b := richBundle()
		b.Document.Translations = strategy.Translations{"en": {"title": "Integration strategy 2020", "subtitle": ""}, "so": {}}
		mustImport(t, s, b)
		same(t, "stored translations", mustDocument(t, s, docKey).Translations,
			strategy.Translations{"en": {"title": "Integration strategy 2020"}})
		b.Document.Translations = nil
		mustImport(t, s, b)
		if tr := mustDocument(t, s, docKey).Translations; tr != nil {
			t.Errorf("translations after importing none: %#v, want nil", tr)
		}
	})

	refused := []struct {
		name  string
		do    func() error
		paths []string
	}{
		{"a path that names no object", func() error {
			d := mustDocument(t, s, docKey)
			_, err := s.EditDocument(ctx, strategy.Edit{Ref: docRef, Rev: d.Rev, Apply: func(d *strategy.Document) error {
				d.Translations.Set("en", "area/nope/title", "Nowhere")
				d.Title = "Ny titel"
				return nil
			}})
			return err
		}, []string{"document.translations.en.area/nope/title"}},
		{"Swedish and an unknown language in an import", func() error {
			b := richBundle()
			b.Document.Translations = strategy.Translations{"sv": {"title": "Integrationsstrategi"}, "de": {"title": "Strategie"}}
			_, err := s.Import(ctx, []strategy.Bundle{b})
			return err
		}, []string{"document.translations.de", "document.translations.sv"}},
		{"an indicator's field that is no text", func() error {
			_, err := s.EditIndicator(ctx, "trygghet", 1, func(ind *strategy.Indicator) error {
				ind.Translations = strategy.Translations{"en": {"unit": "per cent"}}
				return nil
			})
			return err
		}, []string{"translations.en.unit"}},
	}
	for _, tc := range refused {
		t.Run("refused: "+tc.name, func(t *testing.T) {
			prev := state(t, s)
			wantPaths(t, tc.do(), tc.paths...)
			same(t, "store after a refused change", state(t, s), prev)
		})
	}

	t.Run("a deleted object's translations go with it", func(t *testing.T) {
		d := mustDocument(t, s, docKey)
		ref := strategy.ObjectRef{Kind: strategy.ObjArea, Document: docKey, Key: "samverkan"}
		_, rev := lookup(t, d, ref)
		// Translate two areas' titles, then delete one of them.
		got, err := s.EditDocument(ctx, strategy.Edit{Ref: docRef, Rev: d.Rev, Apply: func(d *strategy.Document) error {
			d.Translations.Set("en", "area/arbete/title", "Work and skills")
			d.Translations.Set("en", "area/samverkan/title", "Cooperation")
			return nil
		}})
		if err != nil {
			t.Fatal(err)
		}
		got, err = s.EditDocument(ctx, strategy.Edit{Ref: ref, Rev: rev, Apply: func(d *strategy.Document) error {
			d.Areas = d.Areas[:len(d.Areas)-1]
			return nil
		}})
		if err != nil {
			t.Fatalf("deleting an area with translated texts: %v", err)
		}
		if _, ok := got.Translations.Text("en", "area/samverkan/title"); ok {
			t.Error("the deleted area's title is still translated")
		}
		if _, ok := got.Translations.Text("en", "area/arbete/title"); !ok {
			t.Error("another area's translation went too")
		}
	})

	t.Run("round trip through an export", func(t *testing.T) {
		x, err := s.Export(context.Background(), orgCode, "")
		if err != nil {
			t.Fatal(err)
		}
		b := open(t)
		mustImport(t, b, x...)
		y, err := b.Export(context.Background(), orgCode, "")
		if err != nil {
			t.Fatal(err)
		}
		if x[0].Document.Translations == nil || x[0].Indicators[0].Translations == nil {
			t.Fatal("the export has no translations")
		}
		same(t, "translations after Import(Export(x))", y[0].Document.Translations, x[0].Document.Translations)
		same(t, "indicator translations after Import(Export(x))", y[0].Indicators[0].Translations, x[0].Indicators[0].Translations)
	})
}
