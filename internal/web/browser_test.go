package web

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/inkludera/inkludera/internal/strategy"
)

// TestBrowserEditorKeepsActionPlan is issue 5's acceptance test in a real
// headless Chromium: a committee editor signs in through the sign-in page,
// adds an activity to their body's plan, sets it to pågår, adds a
// follow-up note; editing another body's plan is refused with 403; and the
// activity's history shows the change with the editor's name.
func TestBrowserEditorKeepsActionPlan(t *testing.T) {
	ctx := newBrowser(t)

	st := newTestStore(t)
	storeTestUsers(t, st)
	setTestPassword(t, st, testEditorKS)
	// Another body's plan in the same document, for the 403.
	_, err := st.EditDocument(context.Background(), strategy.Edit{
		Ref: strategy.ObjectRef{Kind: strategy.ObjActionPlan, Document: "stromsund-program", Key: "amn-2015"},
		Apply: func(d *strategy.Document) error {
			d.ActionPlans = append(d.ActionPlans, strategy.ActionPlan{
				Key: "amn-2015", Body: "amn", Year: 2015, Title: "Arbetsmarknadsnämndens plan 2015", Status: strategy.PlanDraft})
			return nil
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	e := newTestEnvWith(t, st)
	srv := httptest.NewTLSServer(e.h)
	t.Cleanup(srv.Close)

	const (
		doc      = "stromsund-program"
		plan     = "ks-2015"
		title    = "Språkcafé för nyanlända"
		actKey   = "sprakcafe-for-nyanlanda"
		noteText = "Första träffen hölls med 14 deltagare."
	)
	activityEdit := srv.URL + "/redigera/dokument/" + doc + "/planer/" + plan + "/aktiviteter/" + actKey
	step := func(what string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, actions...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	location := func() string {
		t.Helper()
		loc, err := chromedp.Run(ctx, chromedp.Location())
		if err != nil {
			t.Fatal(err)
		}
		return loc
	}
	pageText := func() string {
		t.Helper()
		text, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("main")))
		if err != nil {
			t.Fatal(err)
		}
		return text
	}

	step("signing in",
		chromedp.Navigate(srv.URL+"/logga-in"),
		chromedp.SendKeys(chromedp.CSS("#epost"), testEditorKS.Email),
		chromedp.SendKeys(chromedp.CSS("#losenord"), testPassword),
		chromedp.Submit(chromedp.CSS("#losenord")),
		chromedp.WaitVisible(chromedp.CSS(`form[action="/logga-ut"]`)),
	)

	step("adding an activity",
		chromedp.Navigate(srv.URL+"/redigera/dokument/"+doc+"/planer/"+plan+"/aktiviteter/ny"),
		chromedp.Click(chromedp.CSS(`input[name="target_group"][value="alla"]`)),
		chromedp.SendKeys(chromedp.CSS("#f-title"), title),
		chromedp.SendKeys(chromedp.CSS("#f-time"), "2015-Q3"),
		chromedp.Click(chromedp.CSS(`input[name="status"][value="planerad"]`)),
		chromedp.Submit(chromedp.CSS("#f-title")),
		chromedp.WaitVisible(chromedp.CSS("#aktivitet-"+actKey)),
	)
	if loc := location(); !strings.Contains(loc, "/dokument/"+doc+"/planer/"+plan) {
		t.Fatalf("after adding the activity the browser is at %s, want the plan", loc)
	}
	if text := pageText(); !strings.Contains(text, title) {
		t.Fatalf("the plan does not show the new activity %q:\n%s", title, text)
	}

	step("setting it to pågår",
		chromedp.Navigate(activityEdit),
		chromedp.Click(chromedp.CSS(`input[name="status"][value="pagar"]`)),
		chromedp.Submit(chromedp.CSS("#f-title")),
		chromedp.WaitVisible(chromedp.CSS("#aktivitet-"+actKey)),
	)
	row, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("#aktivitet-"+actKey)))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(strings.ToLower(row), "pågår") {
		t.Fatalf("the activity's row does not say pågår after the save: %q", row)
	}

	step("adding a follow-up note",
		chromedp.Navigate(activityEdit),
		chromedp.SendKeys(chromedp.CSS("#f-text"), noteText),
		chromedp.Submit(chromedp.CSS("#f-text")),
		chromedp.WaitVisible(chromedp.CSS("#aktivitet-"+actKey)),
	)
	if text := pageText(); !strings.Contains(text, noteText) || !strings.Contains(text, testEditorKS.Name) {
		t.Fatalf("the plan does not show the note with its author:\n%s", text)
	}

	// Another body's plan: the page answers 403 with the Swedish message.
	res, err := chromedp.Run(ctx, chromedp.NavigateResponse(srv.URL+"/redigera/dokument/"+doc+"/planer/amn-2015"))
	if err != nil {
		t.Fatal(err)
	}
	if res.Status != http.StatusForbidden {
		t.Fatalf("editing the amn body's plan answered %d, want 403", res.Status)
	}
	if text := pageText(); !strings.Contains(text, "Åtkomst nekad") {
		t.Fatalf("the 403 page does not say Åtkomst nekad:\n%s", text)
	}

	// The history of the activity, which a samordnare reads: sign out, sign
	// in as the coordinator, and look for the editor's change.
	setTestPassword(t, st, testCoordinator)
	ref := strategy.ActivityRef(doc, plan, actKey)
	step("reading the history as the samordnare",
		chromedp.Submit(chromedp.CSS(`form[action="/logga-ut"] button`)),
		chromedp.WaitVisible(chromedp.CSS(`a[href^="/logga-in"]`)),
		chromedp.Navigate(srv.URL+"/logga-in?"+url.Values{"nasta": {"/historik?objekt=" + ref.String()}}.Encode()),
		chromedp.SendKeys(chromedp.CSS("#epost"), testCoordinator.Email),
		chromedp.SendKeys(chromedp.CSS("#losenord"), testPassword),
		chromedp.Submit(chromedp.CSS("#losenord")),
		chromedp.WaitVisible(chromedp.CSS(`form[action="/logga-ut"]`)),
	)
	if loc := location(); !strings.Contains(loc, "/historik") {
		t.Fatalf("after signing in the browser is at %s, want the history it asked for", loc)
	}
	history := pageText()
	if !strings.Contains(history, testEditorKS.Name) || !strings.Contains(history, "planerad") ||
		!(strings.Contains(history, "pågår") || strings.Contains(history, "pagar")) {
		t.Errorf("the history does not show the editor's change from planerad to pågår:\n%s", history)
	}

	// What the browser did is what is stored.
	d, err := st.Document(context.Background(), doc)
	if err != nil {
		t.Fatal(err)
	}
	obj, _, ok := d.Lookup(ref)
	if !ok {
		t.Fatal("the activity is not stored")
	}
	a := obj.(strategy.Activity)
	if a.Status != strategy.ActivityOngoing || len(a.Notes) != 1 || a.Notes[0].Author != testEditorKS.Name {
		t.Fatalf("stored activity: status %s, notes %+v", a.Status, a.Notes)
	}
}
