package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/inkludera/inkludera/internal/strategy"
)

// testContentVersion: every kind of write raises the content version; a
// write that finds nothing to change, a refused write, a read, a session
// and an API token's use do not. A page cache relies on it to learn of
// changes made by other processes.
func testContentVersion(t *testing.T, open func(t *testing.T) strategy.Store) {
	s := open(t)
	ctx := asEva()
	version := func() int64 {
		t.Helper()
		v, err := s.ContentVersion(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	act := strategy.ActivityRef(docKey, "ks-2017", "sfi-info")
	start := time.Date(2026, 3, 1, 4, 0, 0, 0, time.UTC)
	run := strategy.SourceRun{Source: "kolada", StartedAt: start, FinishedAt: start.Add(time.Second)}
	var period strategy.FollowUpPeriod
	var user strategy.User
	var token strategy.APIToken
	writes := []struct {
		name  string
		write func() error
	}{
		{"import of a document", func() error { _, err := s.Import(ctx, []strategy.Bundle{richBundle()}); return err }},
		{"import of observations alone", func() error {
			_, err := s.Import(ctx, []strategy.Bundle{{Observations: []strategy.Observation{
				{Indicator: "folkmangd", Org: orgCode, Year: 2017, Gender: strategy.Total, Value: f(62000)}}}})
			return err
		}},
		{"import of an organisation's name", func() error {
			org := ostersund()
			org.Name = "Östersund"
			_, err := s.Import(ctx, []strategy.Bundle{{Organisation: org}})
			return err
		}},
		{"edit of a document", func() error {
			d := mustDocument(t, s, docKey)
			_, err := s.EditDocument(ctx, strategy.Edit{Ref: strategy.ObjectRef{Kind: strategy.ObjDocument, Document: docKey},
				Rev: d.Rev, Apply: func(d *strategy.Document) error { d.Title += " (reviderad)"; return nil }})
			return err
		}},
		{"edit of an indicator", func() error {
			_, err := s.EditIndicator(ctx, "trygghet", 1, func(ind *strategy.Indicator) error { ind.Title = "Trygghet"; return nil })
			return err
		}},
		{"note", func() error {
			_, err := s.AddNote(ctx, act, strategy.Note{Date: date("2017-06-30"), Text: "Genomfört."})
			return err
		}},
		{"fetch that changed values", func() error {
			_, err := s.ApplySourceRun(ctx, run, []strategy.Observation{
				{Indicator: "folkmangd", Org: orgCode, Year: 2017, Gender: strategy.Total, Value: f(62100), Source: "kolada"}}, nil)
			return err
		}},
		{"fetch that deleted a value", func() error {
			_, err := s.ApplySourceRun(ctx, run, nil, []strategy.ObservationKey{
				{Indicator: "folkmangd", Org: orgCode, Year: 2017, Gender: strategy.Total}})
			return err
		}},
		{"failed fetch recorded", func() error {
			failed := run
			failed.Outcome, failed.Error = strategy.RunFailed, "Kolada svarade 503"
			_, err := s.RecordRun(ctx, failed)
			return err
		}},
		{"follow-up period", func() error {
			var err error
			period, err = s.CreateFollowUpPeriod(ctx, strategy.FollowUpPeriod{Org: orgCode, Year: 2026, Title: "Uppföljning 2026",
				Deadlines: []strategy.BodyDeadline{{Body: "ks", Due: swedishDay(t, 10)}}})
			return err
		}},
		{"follow-up period changed", func() error {
			period.Title = "Uppföljningen 2026"
			var err error
			period, err = s.UpdateFollowUpPeriod(ctx, period)
			return err
		}},
		{"deadline reported", func() error {
			_, err := s.ChangeDeadline(ctx, period.ID, "ks", strategy.DeadlineReport, strategy.Date{})
			return err
		}},
		{"reminder", func() error {
			return s.RecordReminder(ctx, strategy.Reminder{PeriodID: period.ID, Body: "ks", Email: "ks@ostersund.se", SentAt: time.Now()})
		}},
		{"report approved", func() error {
			_, err := s.ApproveReport(ctx, strategy.ReportApproval{Org: orgCode, Document: docKey, DocumentTitle: "Strategin",
				Year: 2021, Decision: "KS 2022-04-05 § 45", Files: []strategy.ReportFile{reportFile("json", `{"year":2021}`)}})
			return err
		}},
		{"user created", func() error {
			var err error
			user, err = s.CreateUser(ctx, strategy.User{Email: "bo@ostersund.se", Name: "Bo", Role: strategy.RoleReader, Org: orgCode}, "")
			return err
		}},
		{"user changed", func() error {
			user.Name = "Bo Läsare"
			_, err := s.UpdateUser(ctx, user)
			return err
		}},
		{"password set", func() error { return s.SetPasswordHash(ctx, user.ID, "$argon2id$x") }},
		{"API token created", func() error {
			var err error
			token, err = s.CreateAPIToken(ctx, strategy.APIToken{UserID: user.ID, Name: "rapportverktyg"}, "hash-bo")
			return err
		}},
		{"API token revoked", func() error { return s.RevokeAPIToken(ctx, token.ID) }},
	}
	last := version()
	for _, w := range writes {
		if err := w.write(); err != nil {
			t.Fatalf("%s: %v", w.name, err)
		}
		if v := version(); v <= last {
			t.Errorf("after %s the content version is %d, was %d: it must grow", w.name, v, last)
		} else {
			last = v
		}
	}

	// What changes no content leaves the version alone.
	if _, err := s.CreateAPIToken(ctx, strategy.APIToken{UserID: user.ID, Name: "nytt"}, "hash-ny"); err != nil {
		t.Fatal(err)
	}
	last = version()
	quiet := []struct {
		name  string
		write func() error
	}{
		{"an import of what is stored", func() error {
			bundles, err := s.Export(ctx, orgCode, "")
			if err == nil {
				_, err = s.Import(ctx, bundles)
			}
			return err
		}},
		{"an unchanged user saved", func() error { _, err := s.UpdateUser(ctx, user); return err }},
		{"reads", func() error {
			_, err := s.Document(ctx, docKey)
			if err == nil {
				_, err = s.Observations(ctx, strategy.ObservationFilter{Org: orgCode})
			}
			return err
		}},
		{"a session saved and deleted", func() error {
			if err := s.CommitSession(ctx, "sess", []byte("data"), time.Now().Add(time.Hour)); err != nil {
				return err
			}
			return s.DeleteSession(ctx, "sess")
		}},
		{"an API token used", func() error { _, _, err := s.APITokenUser(ctx, "hash-ny"); return err }},
		{"a refused import", func() error {
			bad := richBundle()
			bad.Document.Areas[0].Title = ""
			if _, err := s.Import(ctx, []strategy.Bundle{bad}); strategy.CodeOf(err) != strategy.CodeInvalid {
				t.Errorf("importing an area without a title: %v, want invalid", err)
			}
			return nil
		}},
		{"an edit of a stale revision", func() error {
			_, err := s.EditIndicator(ctx, "trygghet", 1, func(ind *strategy.Indicator) error { ind.Title = "x"; return nil })
			if strategy.CodeOf(err) != strategy.CodeConflict {
				t.Errorf("editing a stale revision: %v, want conflict", err)
			}
			return nil
		}},
	}
	for _, q := range quiet {
		if err := q.write(); err != nil {
			t.Fatalf("%s: %v", q.name, err)
		}
		if v := version(); v != last {
			t.Errorf("after %s the content version is %d, was %d", q.name, v, last)
		}
	}
}
