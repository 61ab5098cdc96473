package storetest

import (
	"context"
	"fmt"
	"testing"
	"time"
	_ "time/tzdata" // the deadlines' calendar is Sweden's

	"github.com/inkludera/inkludera/internal/strategy"
)

// swedishDay is today in Sweden plus n days, as the store counts deadlines.
func swedishDay(t *testing.T, n int) strategy.Date {
	t.Helper()
	loc, err := time.LoadLocation("Europe/Stockholm")
	if err != nil {
		t.Fatal(err)
	}
	return strategy.DateOf(time.Now().In(loc).AddDate(0, 0, n))
}

// testFollowUp: periods are created, validated against what is stored,
// listed and updated against their Rev; each step of a body's deadline
// follows its rules; reminders are recorded.
func testFollowUp(t *testing.T, open func(t *testing.T) strategy.Store) {
	s := open(t)
	coordinator := strategy.Actor{UserID: 3, Name: "Sara Samordnare", Via: "web"}
	editor := strategy.Actor{UserID: 4, Name: "Nils Nämnd", Via: "web"}
	admin := strategy.Actor{UserID: 1, Name: "Ada Admin", Via: "web"}
	ctx := strategy.WithActor(context.Background(), coordinator)
	asEditor := strategy.WithActor(context.Background(), editor)
	asAdmin := strategy.WithActor(context.Background(), admin)
	mustImport(t, s, richBundle(), regionBundle())

	future, past := swedishDay(t, 10), swedishDay(t, -2)
	p, err := s.CreateFollowUpPeriod(ctx, strategy.FollowUpPeriod{
		ID: 99, Rev: 7, Org: orgCode, Year: 2026, Title: "Uppföljning 2026", Document: docKey,
		Deadlines: []strategy.BodyDeadline{
			{Body: "ks", Due: future, Reported: time.Now(), ReportedBy: "ignored"},
			{Body: "amn", Due: past},
			{Body: "klf", Due: future},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	if p.ID == 0 || p.ID == 99 || p.Rev != 1 || time.Since(p.CreatedAt) > time.Minute {
		t.Errorf("created period: id %d, Rev %d, created %v", p.ID, p.Rev, p.CreatedAt)
	}
	want := strategy.FollowUpPeriod{ID: p.ID, Org: orgCode, Year: 2026, Title: "Uppföljning 2026", Document: docKey,
		CreatedAt: p.CreatedAt, Rev: 1, Deadlines: []strategy.BodyDeadline{{Body: "ks", Due: future}, {Body: "amn", Due: past},
			{Body: "klf", Due: future}}}
	same(t, "created period", p, want)
	ref := strategy.ObjectRef{Kind: strategy.ObjFollowUpPeriod, Key: fmt.Sprint(p.ID)}
	checkEntry(t, s, ref, strategy.AuditCreate, coordinator, orgCode, nil, want)
	got, err := s.FollowUpPeriod(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	same(t, "stored period", got, want)

	older, err := s.CreateFollowUpPeriod(ctx, strategy.FollowUpPeriod{Org: orgCode, Year: 2025, Title: "Uppföljning 2025",
		Deadlines: []strategy.BodyDeadline{{Body: "ks", Due: past}}})
	if err != nil {
		t.Fatal(err)
	}
	list, err := s.FollowUpPeriods(ctx, orgCode)
	if err != nil {
		t.Fatal(err)
	}
	same(t, "periods, newest year first", list, []strategy.FollowUpPeriod{want, older})
	if list, err := s.FollowUpPeriods(ctx, regionCode); err != nil || len(list) != 0 {
		t.Errorf("periods of the region: %v %v", list, err)
	}
	_, err = s.FollowUpPeriods(ctx, "0180")
	wantCode(t, err, strategy.CodeNotFound)
	_, err = s.FollowUpPeriod(ctx, 9999)
	wantCode(t, err, strategy.CodeNotFound)

	t.Run("refused periods", func(t *testing.T) {
		valid := func() strategy.FollowUpPeriod {
			return strategy.FollowUpPeriod{Org: orgCode, Year: 2027, Title: "Uppföljning 2027",
				Deadlines: []strategy.BodyDeadline{{Body: "ks", Due: future}, {Body: "amn", Due: future}}}
		}
		tests := []struct {
			name  string
			edit  func(p *strategy.FollowUpPeriod)
			code  strategy.ErrorCode
			paths []string
		}{
			{"same organisation and year", func(p *strategy.FollowUpPeriod) { p.Year = 2026 }, strategy.CodeConflict, nil},
			{"unknown body", func(p *strategy.FollowUpPeriod) { p.Deadlines[1].Body = "bun" }, strategy.CodeInvalid,
				[]string{"deadlines[1].body"}},
			{"another organisation's body", func(p *strategy.FollowUpPeriod) { p.Deadlines[0].Body = "rs" }, strategy.CodeInvalid,
				[]string{"deadlines[0].body"}},
			{"a body twice, a missing due date", func(p *strategy.FollowUpPeriod) {
				p.Deadlines[1].Body, p.Deadlines[0].Due = "ks", strategy.Date{}
			}, strategy.CodeInvalid, []string{"deadlines[0].due", "deadlines[1].body"}},
			{"unknown organisation", func(p *strategy.FollowUpPeriod) { p.Org = "0180" }, strategy.CodeInvalid, []string{"org"}},
			{"another organisation's document", func(p *strategy.FollowUpPeriod) { p.Document = regionDoc }, strategy.CodeInvalid,
				[]string{"document"}},
			{"no title, a year out of range", func(p *strategy.FollowUpPeriod) { p.Title, p.Year = " ", 1999 }, strategy.CodeInvalid,
				[]string{"title", "year"}},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				p := valid()
				tc.edit(&p)
				prev := state(t, s)
				_, err := s.CreateFollowUpPeriod(ctx, p)
				if tc.paths != nil {
					wantPaths(t, err, tc.paths...)
				} else {
					wantCode(t, err, tc.code)
				}
				same(t, "store after a refused period", state(t, s), prev)
			})
		}
	})

	// step takes one step and returns the body's deadline after it.
	step := func(t *testing.T, ctx context.Context, body string, action strategy.DeadlineAction, due strategy.Date) strategy.BodyDeadline {
		t.Helper()
		before, err := s.FollowUpPeriod(ctx, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		after, err := s.ChangeDeadline(ctx, p.ID, body, action, due)
		if err != nil {
			t.Fatalf("%s %s: %v", action, body, err)
		}
		if after.Rev != before.Rev+1 {
			t.Errorf("%s %s: Rev %d, then %d", action, body, before.Rev, after.Rev)
		}
		stored, err := s.FollowUpPeriod(ctx, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		same(t, "returned period", after, stored)
		auditAction := map[strategy.DeadlineAction]strategy.AuditAction{strategy.DeadlineReport: strategy.AuditReport,
			strategy.DeadlineApprove: strategy.AuditPublish, strategy.DeadlineReopen: strategy.AuditReopen}[action]
		checkEntry(t, s, ref, auditAction, strategy.ActorFrom(ctx), orgCode, before, after)
		for _, d := range after.Deadlines {
			if d.Body == body {
				return d
			}
		}
		t.Fatalf("no deadline of %s after the step", body)
		return strategy.BodyDeadline{}
	}
	refusedStep := func(t *testing.T, ctx context.Context, periodID int64, body string, action strategy.DeadlineAction,
		due strategy.Date, code strategy.ErrorCode, mentions ...string) {
		t.Helper()
		prev := state(t, s)
		_, err := s.ChangeDeadline(ctx, periodID, body, action, due)
		wantCode(t, err, code, mentions...)
		same(t, "store after a refused step", state(t, s), prev)
	}

	t.Run("deadline steps", func(t *testing.T) {
		d := step(t, asEditor, "ks", strategy.DeadlineReport, strategy.Date{})
		if time.Since(d.Reported) > time.Minute || d.ReportedBy != editor.Name || !d.Approved.IsZero() {
			t.Errorf("reported: %+v", d)
		}
		reported := d.Reported
		refusedStep(t, asEditor, p.ID, "amn", strategy.DeadlineReport, strategy.Date{}, strategy.CodeConflict, "amn", "locked", past.String())
		refusedStep(t, ctx, p.ID, "klf", strategy.DeadlineApprove, strategy.Date{}, strategy.CodeConflict, "klf", "not been reported")

		d = step(t, ctx, "ks", strategy.DeadlineApprove, strategy.Date{})
		if time.Since(d.Approved) > time.Minute || d.ApprovedBy != coordinator.Name || !d.Reported.Equal(reported) {
			t.Errorf("approved: %+v", d)
		}
		refusedStep(t, ctx, p.ID, "ks", strategy.DeadlineApprove, strategy.Date{}, strategy.CodeConflict, "already approved")
		refusedStep(t, asEditor, p.ID, "ks", strategy.DeadlineReport, strategy.Date{}, strategy.CodeConflict, "ks", "locked", "approved")

		prev := state(t, s)
		_, err := s.ChangeDeadline(asAdmin, p.ID, "ks", strategy.DeadlineReopen, swedishDay(t, -1))
		wantPaths(t, err, "due")
		_, err = s.ChangeDeadline(asAdmin, p.ID, "ks", strategy.DeadlineReopen, strategy.Date{})
		wantPaths(t, err, "due")
		same(t, "store after refused reopenings", state(t, s), prev)

		newDue := swedishDay(t, 5)
		d = step(t, asAdmin, "ks", strategy.DeadlineReopen, newDue)
		if d.Due != newDue || !d.Approved.IsZero() || d.ApprovedBy != "" || !d.Reported.Equal(reported) {
			t.Errorf("reopened: %+v", d)
		}
		step(t, asEditor, "ks", strategy.DeadlineReport, strategy.Date{})

		// A late body reopened until today may report today.
		d = step(t, asAdmin, "amn", strategy.DeadlineReopen, swedishDay(t, 0))
		if d.Due != swedishDay(t, 0) {
			t.Errorf("reopened until today: %+v", d)
		}
		step(t, asEditor, "amn", strategy.DeadlineReport, strategy.Date{})

		refusedStep(t, ctx, p.ID, "kf", strategy.DeadlineReport, strategy.Date{}, strategy.CodeNotFound, "kf")
		refusedStep(t, ctx, 9999, "ks", strategy.DeadlineReport, strategy.Date{}, strategy.CodeNotFound)
		refusedStep(t, ctx, p.ID, "ks", "skip", strategy.Date{}, strategy.CodeInvalid)
	})

	t.Run("update", func(t *testing.T) {
		stored, err := s.FollowUpPeriod(ctx, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		ks := stored.Deadlines[0]
		upd := strategy.FollowUpPeriod{ID: p.ID, Rev: stored.Rev, Title: "Uppföljning av 2026", Document: "",
			Deadlines: []strategy.BodyDeadline{{Body: "kf", Due: future}, {Body: "ks", Due: swedishDay(t, 20)}}}

		prev := state(t, s)
		stale := upd
		stale.Rev--
		_, err = s.UpdateFollowUpPeriod(ctx, stale)
		wantCode(t, err, strategy.CodeConflict, ref.String())
		moved := upd
		moved.Year = 2027
		_, err = s.UpdateFollowUpPeriod(ctx, moved)
		wantPaths(t, err, "year")
		unknown := upd
		unknown.ID = 9999
		_, err = s.UpdateFollowUpPeriod(ctx, unknown)
		wantCode(t, err, strategy.CodeNotFound)
		same(t, "store after refused updates", state(t, s), prev)

		got, err := s.UpdateFollowUpPeriod(ctx, upd)
		if err != nil {
			t.Fatal(err)
		}
		ks.Due = swedishDay(t, 20)
		want := stored
		want.Title, want.Document, want.Rev = "Uppföljning av 2026", "", stored.Rev+1
		want.Deadlines = []strategy.BodyDeadline{{Body: "kf", Due: future}, ks}
		same(t, "updated period: ks keeps its report, kf starts afresh, amn and klf are gone", got, want)
		checkEntry(t, s, ref, strategy.AuditUpdate, coordinator, orgCode, stored, want)

		prev = state(t, s)
		upd.Rev = want.Rev
		if got, err := s.UpdateFollowUpPeriod(ctx, upd); err != nil || got.Rev != want.Rev {
			t.Errorf("unchanged update: Rev %d, %v", got.Rev, err)
		}
		same(t, "store after an unchanged update", state(t, s), prev)
	})

	t.Run("reminders", func(t *testing.T) {
		at := time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)
		first := strategy.Reminder{PeriodID: p.ID, Body: "ks", Email: "ks@ostersund.se", SentAt: at}
		second := strategy.Reminder{PeriodID: p.ID, Body: "kf", Email: "kf@ostersund.se", SentAt: at.Add(time.Hour)}
		for _, r := range []strategy.Reminder{first, second} {
			if err := s.RecordReminder(ctx, r); err != nil {
				t.Fatal(err)
			}
		}
		checkEntry(t, s, ref, strategy.AuditCreate, coordinator, orgCode, nil, second)
		got, err := s.Reminders(ctx, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		same(t, "reminders, newest first", got, []strategy.Reminder{second, first})
		if got, err := s.Reminders(ctx, older.ID); err != nil || len(got) != 0 {
			t.Errorf("reminders of another period: %v %v", got, err)
		}
		prev := state(t, s)
		wantCode(t, s.RecordReminder(ctx, strategy.Reminder{PeriodID: p.ID, Body: "amn", Email: "x@y.se"}), strategy.CodeNotFound, "amn")
		wantCode(t, s.RecordReminder(ctx, strategy.Reminder{PeriodID: 9999, Body: "ks", Email: "x@y.se"}), strategy.CodeNotFound)
		wantPaths(t, s.RecordReminder(ctx, strategy.Reminder{PeriodID: p.ID, Body: "ks"}), "email")
		same(t, "store after refused reminders", state(t, s), prev)
		_, err = s.Reminders(ctx, 9999)
		wantCode(t, err, strategy.CodeNotFound)
	})
}
