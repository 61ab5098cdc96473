package web

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/inkludera/inkludera/internal/auth"
	"github.com/inkludera/inkludera/internal/fetch"
	"github.com/inkludera/inkludera/internal/mail/mailtest"
	"github.com/inkludera/inkludera/internal/planxlsx"
	"github.com/inkludera/inkludera/internal/store"
	"github.com/inkludera/inkludera/internal/strategy"
)

// The role matrix: every write route of routeTable (HTML and API), called
// by each of seven callers against a fresh copy of one fixture database,
// with a request that succeeds for whoever may make it. The expectations
// are written out by hand from the rules of issue 5 — admin everything;
// samordnare all content of their organisation; nämndredaktör their
// body's action plans and follow-up notes, and reporting their body's
// follow-up; läsare and the public nothing; reopening a period the
// admins' alone; users the admins'; one's own sign-in, sign-out and API
// tokens anyone signed in — and never computed with auth.Can, which is
// what the matrix checks.

// matrixCaller is one of the seven callers. The cases write to Strömsund
// (2313) and to plans of its body ks.
type matrixCaller int

const (
	cPublic     matrixCaller = iota // nobody signed in
	cAdmin                          // administratör
	cCoord                          // samordnare of 2313, the organisation written to
	cOtherCoord                     // samordnare of another organisation (Östersund, 2380)
	cEditorKS                       // nämndredaktör of ks, the body owning the plans written to
	cEditorAMN                      // nämndredaktör of amn, another body of 2313
	cReader                         // läsare of 2313
	nCallers
)

var matrixCallers = [nCallers]struct {
	name string
	user *strategy.User
}{
	cPublic:     {"public", nil},
	cAdmin:      {"admin", testAdmin},
	cCoord:      {"samordnare", testCoordinator},
	cOtherCoord: {"samordnare-annan-org", testOtherCoord},
	cEditorKS:   {"namndredaktor-ks", testEditorKS},
	cEditorAMN:  {"namndredaktor-amn", testEditorAMN},
	cReader:     {"lasare", testReader},
}

func (c matrixCaller) String() string { return matrixCallers[c].name }

func who(cs ...matrixCaller) []matrixCaller { return cs }

// multipartBody is an upload: the encoded form and its Content-Type.
type multipartBody struct {
	data        []byte
	contentType string
}

// matrixCase is one request of a write route with what each caller gets.
type matrixCase struct {
	// route is the route's pattern as routeTable writes it.
	route string
	// name tells cases of one route apart.
	name   string
	target string
	// targetOf, when set, is the target for each caller instead (their
	// own API token).
	targetOf func(c matrixCaller) string
	// prepare, when set, readies the caller's fresh copy of the fixture
	// and returns the target to send instead: for what lives in the
	// server's memory rather than the database (a report being made).
	prepare func(t *testing.T, e *testEnv, c matrixCaller) string
	// body is a form (url.Values), JSON (string), an upload
	// (multipartBody) or nil.
	body any
	// Every caller is in exactly one list. allow: the action is
	// performed (2xx, or a 303 elsewhere than to sign in). deny: the
	// public is sent to sign in (pages) or gets 401 (API); a user gets
	// 403. hidden: 404, for an object deliberately hidden from the user.
	// invalid: 422, for a route that works within the user's own
	// organisation only, where what names another one is refused as a
	// wrong choice in the form. why says why for hidden and invalid.
	allow, deny, hidden, invalid []matrixCaller
	why                          string
	// allowedTo, when set, is where an allowed request must redirect
	// (a prefix of Location).
	allowedTo string
	// noAudit says why an allowed request leaves no audit entry; when
	// empty, it must leave one. A refused request never does.
	noAudit string
	// check, when set, is run after an allowed request.
	check func(t *testing.T, st *store.Store, c matrixCaller)
}

func (mc matrixCase) title() string {
	if mc.name == "" {
		return mc.route
	}
	return mc.route + " " + mc.name
}

// Fixture keys and values the cases use.
const (
	mxProgram   = "stromsund-program" // adopted, Strömsund's, with the decided ks plan ks-2015
	mxDraft     = "stromsund-utkast"  // a draft of Strömsund with its adoption filled in, ready to publish
	mxDraftPlan = "ks-2026"           // a draft (utkast) plan of ks in mxProgram
	// mxFarDue is every deadline of the fixture: far ahead, so that
	// nothing is locked by the tests' clock (testNow, which the handlers
	// use) nor by the real date in Sweden (which the store's
	// ChangeDeadline uses).
	mxFarDue = "2099-12-31"
)

// matrixFixture is the fixture database, built once and closed, and what
// the cases need to know of it.
type matrixFixture struct {
	files map[string][]byte // file suffix ("", "-wal") → content

	lastAudit int64 // newest audit entry of the fixture

	period, periodRev int64 // Strömsund's 2026 follow-up period; ks has reported

	programRev, draftRev           int64
	ksPlanRev, draftPlanRev        int64
	sfiInfoRev, tolkRev            int64
	termRev, indicatorRev          int64
	programForm, termForm, indForm url.Values
	planXLSX                       multipartBody
	valuesCSV                      multipartBody
	tokens                         map[int64]int64 // user ID → the ID of their API token
	library                        libraryMatrix   // the strategy library's (library_matrix_test.go)
}

// buildMatrixFixture makes the fixture: testBundles, the test users (the
// läsare with a password), a draft document of Strömsund ready to
// publish, a draft ks plan, a follow-up period of 2026 due far in the
// future whose ks deadline is reported, and an API token for each user.
func buildMatrixFixture(t *testing.T) *matrixFixture {
	t.Helper()
	ctx := strategy.WithActor(context.Background(), strategy.Actor{Name: "matrix fixture", Via: "cli"})
	path := filepath.Join(t.TempDir(), "matrix.db")
	st, err := store.Open(ctx, "sqlite:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := st.Import(ctx, testBundles()); err != nil {
		t.Fatal(err)
	}
	storeTestUsers(t, st)
	setTestPassword(t, st, testReader)
	f := &matrixFixture{files: map[string][]byte{}, tokens: map[int64]int64{}}

	must := func(_ any, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(st.EditDocument(ctx, strategy.Edit{Ref: planRef(mxProgram, mxDraftPlan), Apply: func(d *strategy.Document) error {
		d.ActionPlans = append(d.ActionPlans, strategy.ActionPlan{Key: mxDraftPlan, Body: "ks", Year: 2026,
			Title: "Aktivitetsplan 2026", Status: strategy.PlanDraft})
		return nil
	}}))
	must(st.EditDocument(ctx, newDocumentEdit("2313", strategy.Document{Key: mxDraft, Kind: strategy.KindStrategy,
		Title:   "Strategi för mottagande",
		Adopted: strategy.Adoption{By: "kf", On: date("2026-02-16"), Paragraph: "§ 7", Reference: "KF 2026-02-16 § 7"}})))
	p, err := st.CreateFollowUpPeriod(ctx, strategy.FollowUpPeriod{Org: "2313", Year: 2026, Title: "Uppföljning 2026",
		Document: mxProgram, Deadlines: []strategy.BodyDeadline{
			{Body: "ks", Due: date(mxFarDue)}, {Body: "amn", Due: date(mxFarDue)}, {Body: "klf", Due: date(mxFarDue)}}})
	if err != nil {
		t.Fatal(err)
	}
	if p, err = st.ChangeDeadline(ctx, p.ID, "ks", strategy.DeadlineReport, strategy.Date{}); err != nil {
		t.Fatal(err)
	}
	f.period, f.periodRev = p.ID, p.Rev
	for _, u := range testUsers {
		_, hash := auth.NewAPIToken()
		tok, err := st.CreateAPIToken(ctx, strategy.APIToken{UserID: u.ID, Name: "matris"}, hash)
		if err != nil {
			t.Fatal(err)
		}
		f.tokens[u.ID] = tok.ID
	}

	doc, err := st.Document(ctx, mxProgram)
	if err != nil {
		t.Fatal(err)
	}
	f.programRev = doc.Rev
	f.programForm = with(documentValues(doc), "rev", strconv.FormatInt(doc.Rev, 10))
	term, rev, found := doc.Lookup(strategy.ObjectRef{Kind: strategy.ObjTerm, Document: mxProgram, Key: "nyanland"})
	if !found {
		t.Fatal("no term nyanland")
	}
	f.termRev = rev
	f.termForm = with(objectValues(term), "rev", strconv.FormatInt(rev, 10))
	for _, pl := range doc.ActionPlans {
		switch pl.Key {
		case "ks-2015":
			f.ksPlanRev = pl.Rev
			for _, a := range pl.Activities {
				switch a.Key {
				case "sfi-info":
					f.sfiInfoRev = a.Rev
				case "tolk":
					f.tolkRev = a.Rev
				}
			}
			var x bytes.Buffer
			if err := planxlsx.Export(&x, pl, planxlsx.Meta{Organisation: "Strömsunds kommun", Document: doc.Title}); err != nil {
				t.Fatal(err)
			}
			f.planXLSX = multipartUpload(t, map[string]string{"rev": strconv.FormatInt(pl.Rev, 10)}, "plan.xlsx", x.Bytes())
		case mxDraftPlan:
			f.draftPlanRev = pl.Rev
		}
	}
	draft, err := st.Document(ctx, mxDraft)
	if err != nil {
		t.Fatal(err)
	}
	f.draftRev = draft.Rev
	ind, err := st.Indicator(ctx, "inflyttade")
	if err != nil {
		t.Fatal(err)
	}
	f.indicatorRev = ind.Rev
	f.indForm = with(indicatorValues(ind), "rev", strconv.FormatInt(ind.Rev, 10), "description", "Antal personer som flyttat in.")
	f.valuesCSV = multipartUpload(t, map[string]string{"org": ""}, "varden.csv",
		[]byte("organisation;indikator;år;kön;värde\n2313;inflyttade;2021;T;300\n"))
	if f.sfiInfoRev == 0 || f.tolkRev == 0 || f.ksPlanRev == 0 || f.draftPlanRev == 0 {
		t.Fatalf("fixture revs missing: %+v", f)
	}
	f.library = buildLibraryMatrix(t, ctx, st)
	f.lastAudit = newestAuditID(t, st)

	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	// SQLite checkpoints its WAL into the file when the last connection
	// closes; a WAL left behind is copied along all the same.
	for _, suffix := range []string{"", "-wal"} {
		data, err := os.ReadFile(path + suffix)
		switch {
		case errors.Is(err, fs.ErrNotExist) && suffix != "":
			continue
		case err != nil:
			t.Fatal(err)
		}
		f.files[suffix] = data
	}
	return f
}

// multipartUpload encodes fields and one file "fil".
func multipartUpload(t *testing.T, fields map[string]string, name string, data []byte) multipartBody {
	t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	for k, v := range fields {
		if err := mw.WriteField(k, v); err != nil {
			t.Fatal(err)
		}
	}
	fw, err := mw.CreateFormFile("fil", name)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := fw.Write(data); err != nil {
		t.Fatal(err)
	}
	if err := mw.Close(); err != nil {
		t.Fatal(err)
	}
	return multipartBody{data: b.Bytes(), contentType: mw.FormDataContentType()}
}

func newestAuditID(t *testing.T, st *store.Store) int64 {
	t.Helper()
	entries, err := st.Audit(context.Background(), strategy.AuditFilter{Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) == 0 {
		return 0
	}
	return entries[0].ID
}

// env serves a fresh copy of the fixture database, with a fetcher (without
// sources, so a fetch ends at once) and a mailer that records.
func (f *matrixFixture) env(t *testing.T) *testEnv {
	t.Helper()
	path := filepath.Join(t.TempDir(), "matrix.db")
	for suffix, data := range f.files {
		if err := os.WriteFile(path+suffix, data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	st, err := store.Open(context.Background(), "sqlite:"+path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() }) // after the handler's Close, registered next
	return newTestEnvWith(t, st, WithFetcher(&fetch.Fetcher{Store: st}),
		WithMailer(&mailtest.Recorder{}, "https://inkludera.example.se"))
}

// matrixCases are the requests, one or more per write route.
func matrixCases(f *matrixFixture) []matrixCase {
	rev := func(n int64) string { return strconv.FormatInt(n, 10) }
	period := "/uppfoljning/" + rev(f.period)
	apiPeriod := "/api/v1/periods/" + rev(f.period)
	const (
		doc       = "/redigera/dokument/" + mxProgram
		ksPlan    = doc + "/planer/ks-2015"
		draftPlan = doc + "/planer/" + mxDraftPlan
		apiDoc    = "/api/v1/documents/" + mxProgram
		apiKSPlan = apiDoc + "/plans/ks-2015"
	)
	// Who keeps the ks plans: admin, the samordnare and the ks editor.
	planAllow := who(cAdmin, cCoord, cEditorKS)
	planDeny := who(cPublic, cOtherCoord, cEditorAMN, cReader)
	// Who keeps the organisation's content: admin and the samordnare.
	contentAllow := who(cAdmin, cCoord)
	contentDeny := who(cPublic, cOtherCoord, cEditorKS, cEditorAMN, cReader)
	// The follow-up period is not published: hidden from another
	// organisation.
	periodDeny := who(cPublic, cEditorKS, cEditorAMN, cReader)
	const periodHidden = "a follow-up period is its organisation's: another organisation gets 404 as for one that does not exist"
	const draftHidden = "a draft is its organisation's: another organisation gets 404 as for one that does not exist"
	signedIn := who(cAdmin, cCoord, cOtherCoord, cEditorKS, cEditorAMN, cReader)

	return append([]matrixCase{
		// Signing in and out, one's own API tokens.
		{route: "POST /logga-in", target: "/logga-in",
			body:      url.Values{"email": {testReader.Email}, "password": {testPassword}, "nasta": {"/planer"}},
			allow:     who(cPublic, cAdmin, cCoord, cOtherCoord, cEditorKS, cEditorAMN, cReader),
			why:       "signing in with valid credentials is for anyone, signed in already or not",
			allowedTo: "/planer", noAudit: "a sign-in starts a session, which is not audited"},
		{route: "POST /logga-ut", target: "/logga-ut",
			allow:     who(cPublic, cAdmin, cCoord, cOtherCoord, cEditorKS, cEditorAMN, cReader),
			why:       "signing out ends one's own session; without one it changes nothing and goes to the start page",
			allowedTo: "/", noAudit: "a session is not audited"},
		{route: "POST /konto/nycklar", target: "/konto/nycklar", body: url.Values{"name": {"rapportverktyget"}},
			allow: signedIn, deny: who(cPublic)},
		{route: "POST /konto/nycklar/{id}/aterkalla", name: "own token",
			targetOf: func(c matrixCaller) string {
				id := f.tokens[testCoordinator.ID] // the public has none: any will do
				if u := matrixCallers[c].user; u != nil {
					id = f.tokens[u.ID]
				}
				return "/konto/nycklar/" + rev(id) + "/aterkalla"
			},
			allow: signedIn, deny: who(cPublic), allowedTo: "/konto"},
		{route: "POST /konto/nycklar/{id}/aterkalla", name: "the samordnare's token",
			target: "/konto/nycklar/" + rev(f.tokens[testCoordinator.ID]) + "/aterkalla",
			allow:  who(cCoord), deny: who(cPublic),
			hidden:    who(cAdmin, cOtherCoord, cEditorKS, cEditorAMN, cReader),
			why:       "the account page has one's own tokens only: another user's token is not there, for an admin too (admins disable the user instead)",
			allowedTo: "/konto"},

		// The document tree (forms).
		{route: "POST /redigera/dokument/ny", target: "/redigera/dokument/ny",
			body:  url.Values{"org": {"2313"}, "title": {"Ny strategi för integration"}, "kind": {"strategi"}},
			allow: contentAllow, deny: contentDeny},
		{route: "POST /redigera/dokument/{doc}", target: doc,
			body:  with(f.programForm, "title", "Program för inflyttning och integration 2014–2016"),
			allow: contentAllow, deny: contentDeny},
		{route: "POST /redigera/dokument/{doc}/publicera", target: "/redigera/dokument/" + mxDraft + "/publicera",
			body:  url.Values{"rev": {rev(f.draftRev)}},
			allow: contentAllow, deny: who(cPublic, cEditorKS, cEditorAMN, cReader), hidden: who(cOtherCoord), why: draftHidden},
		{route: "POST /redigera/dokument/{doc}/{kind}/{obj}", name: "change a term", target: doc + "/begrepp/nyanland",
			body:  with(f.termForm, "definition", "Person som har fått uppehållstillstånd de senaste tre åren."),
			allow: contentAllow, deny: contentDeny},
		{route: "POST /redigera/dokument/{doc}/{kind}/{obj}", name: "new area", target: doc + "/omrade/ny",
			body:  url.Values{"rev": {"0"}, "title": {"Boende och bostäder"}},
			allow: contentAllow, deny: contentDeny},
		{route: "POST /redigera/dokument/{doc}/{kind}/{obj}/ta-bort", target: doc + "/begrepp/nyanland/ta-bort",
			body:  url.Values{"rev": {rev(f.termRev)}},
			allow: contentAllow, deny: contentDeny},
		{route: "POST /redigera/indikatorer/{key}", target: "/redigera/indikatorer/inflyttade", body: f.indForm,
			allow: contentAllow, deny: contentDeny,
			why: "inflyttade is used by Strömsund's documents alone, so Strömsund's samordnare keeps it"},
		{route: "POST /redigera/dokument/{doc}/oversattning/{lang}", target: doc + "/oversattning/en",
			body:  url.Values{"rev": f.programForm["rev"], "title": {"Programme for moving here and integration 2014–2015"}},
			allow: contentAllow, deny: contentDeny},
		{route: "POST /redigera/indikatorer/{key}/oversattning/{lang}", target: "/redigera/indikatorer/inflyttade/oversattning/ar",
			body:  url.Values{"rev": f.indForm["rev"], "title": {"الأشخاص الذين انتقلوا إلى البلدية"}},
			allow: contentAllow, deny: contentDeny},

		// Action plans (forms).
		{route: "POST /redigera/dokument/{doc}/planer/{plan}", name: "change the draft plan", target: draftPlan,
			body:  url.Values{"rev": {rev(f.draftPlanRev)}, "title": {"Kommunstyrelsens plan 2026"}, "body": {"ks"}, "year": {"2026"}},
			allow: planAllow, deny: planDeny},
		{route: "POST /redigera/dokument/{doc}/planer/{plan}", name: "new plan", target: doc + "/planer/ny",
			body:  url.Values{"rev": {"0"}, "key": {"ks-2027"}, "title": {"Plan 2027"}, "body": {"ks"}, "year": {"2027"}},
			allow: planAllow, deny: planDeny},
		{route: "POST /redigera/dokument/{doc}/planer/{plan}/beslut", target: draftPlan + "/beslut",
			body:  url.Values{"rev": {rev(f.draftPlanRev)}, "decision.reference": {"KS 2026-02-10 § 12"}, "decision.on": {"2026-02-10"}},
			allow: planAllow, deny: who(cPublic, cEditorAMN, cReader), hidden: who(cOtherCoord),
			why: "a draft plan is its organisation's: another organisation gets 404"},
		{route: "POST /redigera/dokument/{doc}/planer/{plan}/import", target: ksPlan + "/import", body: f.planXLSX,
			allow: planAllow, deny: planDeny},
		{route: "POST /redigera/dokument/{doc}/planer/{plan}/aktiviteter/{act}", name: "change", target: ksPlan + "/aktiviteter/sfi-info",
			body:  activityForm(f.sfiInfoRev, "status", "pagar", "progress", "40"),
			allow: planAllow, deny: planDeny},
		{route: "POST /redigera/dokument/{doc}/planer/{plan}/aktiviteter/{act}", name: "new", target: ksPlan + "/aktiviteter/ny",
			body:  activityForm(0),
			allow: planAllow, deny: planDeny},
		{route: "POST /redigera/dokument/{doc}/planer/{plan}/aktiviteter/{act}/ta-bort", target: ksPlan + "/aktiviteter/tolk/ta-bort",
			body:  url.Values{"rev": {rev(f.tolkRev)}},
			allow: planAllow, deny: planDeny},
		{route: "POST /redigera/dokument/{doc}/planer/{plan}/aktiviteter/{act}/anteckningar", target: ksPlan + "/aktiviteter/sfi-info/anteckningar",
			body:  url.Values{"date": {"2026-03-14"}, "text": {"Första träffen hade tolv deltagare."}},
			allow: planAllow, deny: planDeny},

		// The follow-up cycle (forms).
		{route: "POST /uppfoljning/ny", target: "/uppfoljning/ny",
			body: url.Values{"org": {"2313"}, "year": {"2030"}, "title": {"Uppföljning 2030"},
				"bodies": {"ks", "amn"}, "due.ks": {"2031-03-31"}, "due.amn": {"2031-03-31"}},
			allow: who(cAdmin, cCoord, cOtherCoord), deny: who(cPublic, cEditorKS, cEditorAMN, cReader),
			why: "the form's organisation is read for admins only: a samordnare creates their own organisation's period, " +
				"so the other organisation's samordnare creates one for Östersund, not Strömsund (checked)",
			check: func(t *testing.T, st *store.Store, c matrixCaller) {
				org := "2313"
				if c == cOtherCoord {
					org = "2380"
				}
				ps, err := st.FollowUpPeriods(context.Background(), org)
				if err != nil {
					t.Fatal(err)
				}
				if !slices.ContainsFunc(ps, func(p strategy.FollowUpPeriod) bool { return p.Year == 2030 }) {
					t.Errorf("no 2030 period of %s was stored", org)
				}
				if c == cOtherCoord {
					if ps, _ := st.FollowUpPeriods(context.Background(), "2313"); slices.ContainsFunc(ps, func(p strategy.FollowUpPeriod) bool { return p.Year == 2030 }) {
						t.Error("another organisation's samordnare created a period of Strömsund")
					}
				}
			}},
		{route: "POST /uppfoljning/{id}", target: period,
			body: url.Values{"rev": {rev(f.periodRev)}, "title": {"Uppföljning av planerna 2026"}, "document": {mxProgram},
				"bodies": {"ks", "amn", "klf"}, "due.ks": {mxFarDue}, "due.amn": {"2099-11-30"}, "due.klf": {mxFarDue}},
			allow: contentAllow, deny: periodDeny, hidden: who(cOtherCoord), why: periodHidden},
		{route: "POST /uppfoljning/{id}/paminn", target: period + "/paminn", body: url.Values{},
			allow: contentAllow, deny: periodDeny, hidden: who(cOtherCoord), why: periodHidden,
			noAudit: "nothing is due within a week, so no reminder is sent or recorded"},
		{route: "POST /uppfoljning/{id}/{body}/{step}", name: "report", target: period + "/ks/rapportera", body: url.Values{},
			allow: planAllow, deny: who(cPublic, cEditorAMN, cReader), hidden: who(cOtherCoord), why: periodHidden},
		{route: "POST /uppfoljning/{id}/{body}/{step}", name: "approve", target: period + "/ks/godkann", body: url.Values{},
			allow: contentAllow, deny: periodDeny, hidden: who(cOtherCoord), why: periodHidden},
		{route: "POST /uppfoljning/{id}/{body}/{step}", name: "reopen", target: period + "/ks/oppna", body: url.Values{"due": {mxFarDue}},
			allow: who(cAdmin), deny: who(cPublic, cCoord, cEditorKS, cEditorAMN, cReader), hidden: who(cOtherCoord), why: periodHidden},

		// The yearly follow-up report: a draft is made in the server's
		// memory, approving it stores it.
		{route: "POST /rapporter/skapa", target: "/rapporter/skapa",
			body:  url.Values{"org": {"2313"}, "document": {mxProgram}, "year": {"2025"}},
			allow: who(cAdmin, cCoord, cEditorKS, cEditorAMN, cReader), deny: who(cPublic), invalid: who(cOtherCoord),
			why: "a draft report is for everyone who reads the organisation's follow-up; the form's organisation is read for admins only, " +
				"so the other organisation's samordnare makes Östersund's report, of which Strömsund's programme is no document (422)",
			allowedTo: "/rapporter/jobb/", noAudit: "a draft report only reads: nothing is stored until it is approved"},
		{route: "POST /rapporter/jobb/{id}/godkann", target: "/rapporter/jobb/ett-utkast/godkann",
			prepare: func(t *testing.T, e *testEnv, c matrixCaller) string {
				maker := matrixCallers[c].user
				if c == cPublic || c == cOtherCoord {
					maker = testCoordinator // they can make no draft of Strömsund's
				}
				return finishedReportJob(t, e, maker) + "/godkann"
			},
			body:  url.Values{"decision": {"KS 2026-03-10 § 45"}, "decided_on": {"2026-03-10"}},
			allow: contentAllow, deny: who(cPublic, cEditorKS, cEditorAMN, cReader), hidden: who(cOtherCoord),
			why: "every caller but two approves a finished draft of Strömsund's programme that they made themselves; " +
				"the public and the other organisation's samordnare, who can make none, post to the samordnare's draft: " +
				"the public is asked to sign in, and a draft is hidden (404) from everyone but its maker",
			allowedTo: "/rapporter/",
			check: func(t *testing.T, st *store.Store, c matrixCaller) {
				as, err := st.ReportApprovals(context.Background(), "2313")
				if err != nil {
					t.Fatal(err)
				}
				if len(as) != 1 || as[0].Version != 1 || as[0].Decision != "KS 2026-03-10 § 45" || len(as[0].Files) == 0 {
					t.Errorf("approvals after approving: %+v", as)
				}
			}},

		// The allocation helper.
		{route: "POST /fordelning/spara", target: "/fordelning/spara",
			body:  with(allocationExample, "org", "2313", "dokument", mxProgram, "ar", "2026"),
			allow: contentAllow, deny: contentDeny,
			why: "saving writes activities into Strömsund's plans: the other organisation's samordnare is refused them"},

		// Administration.
		{route: "POST /admin/anvandare", target: "/admin/anvandare",
			body:  url.Values{"email": {"nora.nyman@stromsund.se"}, "name": {"Nora Nyman"}, "role": {"namndredaktor"}, "org": {"2313"}, "body": {"amn"}},
			allow: who(cAdmin), deny: who(cPublic, cCoord, cOtherCoord, cEditorKS, cEditorAMN, cReader)},
		{route: "POST /admin/anvandare/{id}", target: "/admin/anvandare/" + rev(testReader.ID),
			body:  url.Values{"role": {"samordnare"}, "org": {"2313"}},
			allow: who(cAdmin), deny: who(cPublic, cCoord, cOtherCoord, cEditorKS, cEditorAMN, cReader)},
		// Barrier reports: anyone sends one; the admins alone read them
		// and mark them handled (page_accessibility.go).
		{route: "POST /tillganglighet", target: "/tillganglighet?lang=sv",
			body:  url.Values{"beskrivning": {"Diagrammet går inte att nå med tangentbordet."}},
			allow: who(cPublic, cAdmin, cCoord, cOtherCoord, cEditorKS, cEditorAMN, cReader), allowedTo: "/tillganglighet?",
			noAudit: "a barrier report is the public's message, not a change: it is its own record (strategy.BarrierStore)"},
		{route: "POST /admin/tillganglighet/{id}", target: "/admin/tillganglighet/1",
			prepare: func(t *testing.T, e *testEnv, c matrixCaller) string {
				r, err := e.st.AddBarrierReport(context.Background(), strategy.BarrierReport{Description: "Knappen syns inte.", Language: "sv"})
				if err != nil {
					t.Fatal(err)
				}
				return "/admin/tillganglighet/" + rev(r.ID)
			},
			body:  url.Values{"anteckning": {"Rättat."}},
			allow: who(cAdmin), deny: who(cPublic, cCoord, cOtherCoord, cEditorKS, cEditorAMN, cReader),
			why: "the reports hold readers' names and e-mail addresses: the admins'"},
		{route: "POST /admin/kallor/hamta", target: "/admin/kallor/hamta",
			allow: who(cAdmin), deny: who(cPublic, cCoord, cOtherCoord, cEditorKS, cEditorAMN, cReader),
			why:     "a fetch writes every organisation's values: the admins'",
			noAudit: "the fetch runs in the background; its run is logged, not audited"},
		{route: "POST /admin/import", target: "/admin/import", body: f.valuesCSV,
			allow: contentAllow, deny: contentDeny,
			why: "the file's values are Strömsund's: the other organisation's samordnare is refused them",
			check: func(t *testing.T, st *store.Store, c matrixCaller) {
				if r := runs(t, st, SourceFile); len(r) != 1 || r[0].Changes.Added != 1 {
					t.Errorf("file runs after the import: %+v", r)
				}
			}},

		// The JSON API.
		{route: "POST /api/v1/documents", target: "/api/v1/documents",
			body:  `{"org": "2313", "kind": "plan", "title": "Plan för mottagande 2026"}`,
			allow: contentAllow, deny: contentDeny},
		{route: "PUT /api/v1/documents/{key}", target: apiDoc,
			body: `{"rev": ` + rev(f.programRev) + `, "kind": "program", "title": "Nytt namn",
				"adopted": {"by": "kf", "on": "2014-04-16", "paragraph": "§ 24"}}`,
			allow: contentAllow, deny: contentDeny},
		{route: "POST /api/v1/documents/{key}/publish", target: "/api/v1/documents/" + mxDraft + "/publish",
			body:  `{"rev": ` + rev(f.draftRev) + `}`,
			allow: contentAllow, deny: who(cPublic, cEditorKS, cEditorAMN, cReader), hidden: who(cOtherCoord), why: draftHidden},
		{route: "PUT /api/v1/documents/{key}/{kind}/{obj}", name: "change a term", target: apiDoc + "/terms/nyanland",
			body:  `{"rev": ` + rev(f.termRev) + `, "term": "Nyanländ", "definition": "Person som kommunplacerats de senaste tre åren."}`,
			allow: contentAllow, deny: contentDeny},
		{route: "PUT /api/v1/documents/{key}/{kind}/{obj}", name: "new area", target: apiDoc + "/areas/boende",
			body:  `{"rev": 0, "title": "Boende"}`,
			allow: contentAllow, deny: contentDeny},
		{route: "DELETE /api/v1/documents/{key}/{kind}/{obj}", target: apiDoc + "/terms/nyanland?rev=" + rev(f.termRev),
			allow: contentAllow, deny: contentDeny},
		{route: "PUT /api/v1/indicators/{key}", target: "/api/v1/indicators/inflyttade",
			body:  `{"rev": ` + rev(f.indicatorRev) + `, "title": "Inflyttade", "unit": "personer", "polarity": "higher", "source": "kolada:N01802"}`,
			allow: contentAllow, deny: contentDeny},
		{route: "PUT /api/v1/documents/{key}/plans/{plan}", name: "change the draft plan", target: apiDoc + "/plans/" + mxDraftPlan,
			body:  `{"body": "ks", "year": 2026, "title": "Kommunstyrelsens plan 2026", "rev": ` + rev(f.draftPlanRev) + `}`,
			allow: planAllow, deny: planDeny},
		{route: "PUT /api/v1/documents/{key}/plans/{plan}", name: "new plan", target: apiDoc + "/plans/ks-2027",
			body:  `{"body": "ks", "year": 2027, "rev": 0}`,
			allow: planAllow, deny: planDeny},
		{route: "POST /api/v1/documents/{key}/plans/{plan}/decision", target: apiDoc + "/plans/" + mxDraftPlan + "/decision",
			body:  `{"reference": "KS 2026-02-10 § 12", "on": "2026-02-10", "rev": ` + rev(f.draftPlanRev) + `}`,
			allow: planAllow, deny: who(cPublic, cEditorAMN, cReader), hidden: who(cOtherCoord),
			why: "a draft plan is its organisation's: another organisation gets 404"},
		{route: "PUT /api/v1/documents/{key}/plans/{plan}/activities/{act}", name: "change", target: apiKSPlan + "/activities/sfi-info",
			body:  `{"target_group": "enbart kommunplacerade", "title": "Riktad information för elever på SFI", "status": "pagar", "progress": 25, "rev": ` + rev(f.sfiInfoRev) + `}`,
			allow: planAllow, deny: planDeny},
		{route: "PUT /api/v1/documents/{key}/plans/{plan}/activities/{act}", name: "new", target: apiKSPlan + "/activities/sprakcafe",
			body:  `{"target_group": "alla", "title": "Språkcafé", "time": "2026-Q2", "status": "planerad", "rev": 0}`,
			allow: planAllow, deny: planDeny},
		{route: "DELETE /api/v1/documents/{key}/plans/{plan}/activities/{act}", target: apiKSPlan + "/activities/tolk?rev=" + rev(f.tolkRev),
			allow: planAllow, deny: planDeny},
		{route: "POST /api/v1/documents/{key}/plans/{plan}/activities/{act}/notes", target: apiKSPlan + "/activities/sfi-info/notes",
			body:  `{"date": "2026-03-14", "text": "Tolv deltagare"}`,
			allow: planAllow, deny: planDeny},
		{route: "POST /api/v1/organisations/{code}/periods", target: "/api/v1/organisations/2313/periods",
			body:  `{"year": 2030, "title": "Uppföljning 2030", "deadlines": [{"body": "ks", "due": "2031-03-31"}]}`,
			allow: contentAllow, deny: contentDeny},
		{route: "PUT /api/v1/periods/{id}", target: apiPeriod,
			body:  `{"title": "Uppföljningen 2026", "deadlines": [{"body": "ks", "due": "` + mxFarDue + `"}, {"body": "amn", "due": "2099-11-30"}], "rev": ` + rev(f.periodRev) + `}`,
			allow: contentAllow, deny: periodDeny, hidden: who(cOtherCoord), why: periodHidden},
		{route: "POST /api/v1/periods/{id}/bodies/{body}/{step}", name: "report", target: apiPeriod + "/bodies/ks/report",
			allow: planAllow, deny: who(cPublic, cEditorAMN, cReader), hidden: who(cOtherCoord), why: periodHidden},
		{route: "POST /api/v1/periods/{id}/bodies/{body}/{step}", name: "approve", target: apiPeriod + "/bodies/ks/approve",
			allow: contentAllow, deny: periodDeny, hidden: who(cOtherCoord), why: periodHidden},
		{route: "POST /api/v1/periods/{id}/bodies/{body}/{step}", name: "reopen", target: apiPeriod + "/bodies/ks/reopen",
			body:  `{"due": "` + mxFarDue + `"}`,
			allow: who(cAdmin), deny: who(cPublic, cCoord, cEditorKS, cEditorAMN, cReader), hidden: who(cOtherCoord), why: periodHidden},
	}, libraryMatrixCases(f)...)
}

// TestRoleMatrix calls every write route as every caller.
func TestRoleMatrix(t *testing.T) {
	f := buildMatrixFixture(t)
	cases := matrixCases(f)

	// The write routes, and a mux that matches targets as the site does.
	writes := map[string]route{}
	mux := http.NewServeMux()
	for _, rt := range routeTable() {
		mux.Handle(rt.pattern(), http.NotFoundHandler())
		if rt.method != "" && rt.method != http.MethodGet && rt.method != http.MethodHead {
			writes[rt.pattern()] = rt
		}
	}
	covered := map[string]bool{}
	for _, mc := range cases {
		rt, ok := writes[mc.route]
		if !ok {
			t.Errorf("case %q: no write route %q in routeTable", mc.title(), mc.route)
			continue
		}
		covered[mc.route] = true
		method, _, _ := strings.Cut(mc.route, " ")
		targets := map[string]bool{}
		for c := range nCallers {
			targets[mc.targetFor(c)] = true
		}
		for target := range targets {
			if _, pattern := mux.Handler(httptest.NewRequest(method, target, nil)); pattern != rt.pattern() {
				t.Errorf("case %q: %s %s is served by %q, not by the route it names", mc.title(), method, target, pattern)
			}
		}
		var n [nCallers]int
		for _, list := range [][]matrixCaller{mc.allow, mc.deny, mc.hidden, mc.invalid} {
			for _, c := range list {
				n[c]++
			}
		}
		for c, k := range n {
			if k != 1 {
				t.Errorf("case %q: %s is in %d of the allow, deny, hidden and invalid lists, want exactly 1", mc.title(), matrixCaller(c), k)
			}
		}
		if slices.Contains(mc.hidden, cPublic) || slices.Contains(mc.invalid, cPublic) {
			t.Errorf("case %q: the public is neither hidden from nor answered 422: they are asked to sign in", mc.title())
		}
		if len(mc.hidden)+len(mc.invalid) > 0 && mc.why == "" {
			t.Errorf("case %q: hidden or invalid callers without a why", mc.title())
		}
	}
	var missing []string
	for pattern := range writes {
		if !covered[pattern] {
			missing = append(missing, pattern)
		}
	}
	slices.Sort(missing)
	for _, m := range missing {
		t.Errorf("write route %q has no role matrix case", m)
	}
	if t.Failed() {
		t.FailNow()
	}

	for _, mc := range cases {
		rt := writes[mc.route]
		t.Run(mc.title(), func(t *testing.T) {
			t.Parallel()
			for c := range nCallers {
				t.Run(c.String(), func(t *testing.T) {
					t.Parallel()
					mc.run(t, f, rt, c)
				})
			}
		})
	}
}

func (mc matrixCase) targetFor(c matrixCaller) string {
	if mc.targetOf != nil {
		return mc.targetOf(c)
	}
	return mc.target
}

// expected is what c should get: "allow", "deny", "hidden" or "invalid".
func (mc matrixCase) expected(c matrixCaller) string {
	switch {
	case slices.Contains(mc.allow, c):
		return "allow"
	case slices.Contains(mc.hidden, c):
		return "hidden"
	case slices.Contains(mc.invalid, c):
		return "invalid"
	}
	return "deny"
}

// run sends the case's request as c to a fresh copy of the fixture and
// checks the answer and the audit trail.
func (mc matrixCase) run(t *testing.T, f *matrixFixture, rt route, c matrixCaller) {
	e := f.env(t)
	u := matrixCallers[c].user
	method, _, _ := strings.Cut(mc.route, " ")
	target := mc.targetFor(c)
	if mc.prepare != nil {
		target = mc.prepare(t, e, c)
	}
	var res *http.Response
	var body string
	if up, ok := mc.body.(multipartBody); ok {
		res, body = e.as(t, u, method, target, bytes.NewReader(up.data), up.contentType)
	} else {
		res, body = e.doAs(t, u, method, target, mc.body)
	}

	want := mc.expected(c)
	loc := res.Header.Get("Location")
	toSignIn := res.StatusCode == http.StatusSeeOther && (loc == "/logga-in" || strings.HasPrefix(loc, "/logga-in?"))
	var got string
	switch {
	case res.StatusCode/100 == 2 || (res.StatusCode == http.StatusSeeOther && !toSignIn):
		got = "allow"
	case c == cPublic && rt.kind == pageRoute && toSignIn, c == cPublic && rt.kind == apiRoute && res.StatusCode == http.StatusUnauthorized:
		got = "deny"
	case c != cPublic && res.StatusCode == http.StatusForbidden:
		got = "deny"
	case c != cPublic && res.StatusCode == http.StatusNotFound:
		got = "hidden"
	case c != cPublic && res.StatusCode == http.StatusUnprocessableEntity && want == "invalid":
		got = "invalid"
	}
	if got != want {
		what := got
		if what == "" {
			what = "neither allowed nor refused"
		}
		t.Fatalf("%s %s as %s: want %s, got %s (status %d, Location %q)%s\nbody:\n%s",
			method, target, c, want, what, res.StatusCode, loc, whyNote(mc.why), clip(body, 4000))
	}
	if got == "allow" && mc.allowedTo != "" && !strings.HasPrefix(loc, mc.allowedTo) {
		t.Errorf("%s %s as %s: allowed, but sent to %q, want %q", method, target, c, loc, mc.allowedTo)
	}

	newest := newestAuditID(t, e.st)
	switch {
	case got == "allow" && mc.noAudit == "" && newest <= f.lastAudit:
		t.Errorf("%s %s as %s: allowed (status %d), but nothing was recorded in the audit trail", method, target, c, res.StatusCode)
	case got != "allow" && newest != f.lastAudit:
		t.Errorf("%s %s as %s: refused (status %d), yet the audit trail has a new entry", method, target, c, res.StatusCode)
	}
	if got == "allow" && mc.check != nil {
		mc.check(t, e.st, c)
	}
}

func whyNote(why string) string {
	if why == "" {
		return ""
	}
	return " [case note: " + why + "]"
}

// clip shortens a long body for a failure message.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "\n… (" + strconv.Itoa(len(s)-n) + " more bytes)"
}
