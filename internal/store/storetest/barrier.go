package storetest

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/inkludera/inkludera/internal/strategy"
)

// testBarriers: reports are stored as sent, listed open first and newest
// first, refused when they do not validate, and marked handled once, with
// an audit entry that keeps the state but not the reader's details.
func testBarriers(t *testing.T, open func(t *testing.T) strategy.Store) {
	s := open(t)
	ctx := context.Background()
	if list, err := s.BarrierReports(ctx, strategy.BarrierFilter{}); err != nil || len(list) != 0 {
		t.Fatalf("BarrierReports of an empty store = %v, %v; want none", list, err)
	}

	day := time.Date(2026, 11, 20, 9, 30, 0, 123456789, time.UTC)
	sent := []strategy.BarrierReport{
		{Page: "/portal/2380", Description: "Diagrammet saknar beskrivning.", Language: "sv", CreatedAt: day},
		{Page: "/tillganglighet", Description: "النموذج صعب الاستخدام بلوحة المفاتيح.", Name: "Amina", Email: "amina@example.se",
			WantsAnswer: true, Language: "ar", CreatedAt: day.Add(time.Hour)},
		{Description: "Text som inte går att förstora.", Language: "en", CreatedAt: day.Add(2 * time.Hour),
			// ignored: the store sets them
			ID: 99, HandledBy: "någon", Note: "klart"},
	}
	var stored []strategy.BarrierReport
	for _, r := range sent {
		got, err := s.AddBarrierReport(ctx, r)
		if err != nil {
			t.Fatalf("AddBarrierReport(%q): %v", r.Description, err)
		}
		if got.ID == 0 || got.ID == 99 || got.Handled != nil || got.HandledBy != "" || got.Note != "" {
			t.Errorf("stored report = %+v: want a new ID and no handling", got)
		}
		stored = append(stored, got)
	}
	if !stored[0].CreatedAt.Equal(day.Truncate(time.Microsecond)) {
		t.Errorf("CreatedAt = %v, want %v", stored[0].CreatedAt, day)
	}
	now, err := s.AddBarrierReport(ctx, strategy.BarrierReport{Description: "Utan tid", Language: "sv"})
	if err != nil {
		t.Fatal(err)
	}
	if since := time.Since(now.CreatedAt); since < 0 || since > time.Minute {
		t.Errorf("a report without CreatedAt got %v, want now", now.CreatedAt)
	}

	list, err := s.BarrierReports(ctx, strategy.BarrierFilter{})
	if err != nil {
		t.Fatal(err)
	}
	same(t, "reports, newest first", list, []strategy.BarrierReport{now, stored[2], stored[1], stored[0]})

	_, err = s.AddBarrierReport(ctx, strategy.BarrierReport{Description: " ", Email: "inte en adress", Language: "sv"})
	wantCode(t, err, strategy.CodeInvalid, "description", "email")
	_, err = s.AddBarrierReport(ctx, strategy.BarrierReport{Description: strings.Repeat("x", strategy.MaxBarrierDescription+1), Language: "sv"})
	wantCode(t, err, strategy.CodeInvalid, "longer than")

	admin := strategy.Actor{UserID: 1, Name: "Ada Admin", Address: "192.0.2.1", Via: "web"}
	actx := strategy.WithActor(ctx, admin)
	handled, err := s.MarkBarrierHandled(actx, stored[1].ID, "Svarat på arabiska; formuläret är rättat.")
	if err != nil {
		t.Fatal(err)
	}
	if handled.Handled == nil || handled.HandledBy != admin.Name || handled.Note == "" || handled.Email != "amina@example.se" {
		t.Errorf("handled report = %+v", handled)
	}
	if since := time.Since(*handled.Handled); since < 0 || since > time.Minute {
		t.Errorf("handled at %v, want now", handled.Handled)
	}

	// Open ones first, then the handled one; the filter leaves it out.
	list, err = s.BarrierReports(ctx, strategy.BarrierFilter{})
	if err != nil {
		t.Fatal(err)
	}
	same(t, "reports, open first", list, []strategy.BarrierReport{now, stored[2], stored[0], handled})
	openOnes, err := s.BarrierReports(ctx, strategy.BarrierFilter{Open: true, Limit: 2})
	if err != nil {
		t.Fatal(err)
	}
	same(t, "the two newest open reports", openOnes, []strategy.BarrierReport{now, stored[2]})

	_, err = s.MarkBarrierHandled(actx, stored[1].ID, "igen")
	wantCode(t, err, strategy.CodeConflict, "Ada Admin")
	_, err = s.MarkBarrierHandled(actx, 9999, "")
	wantCode(t, err, strategy.CodeNotFound)
	_, err = s.MarkBarrierHandled(actx, stored[0].ID, strings.Repeat("n", strategy.MaxBarrierNote+1))
	wantCode(t, err, strategy.CodeInvalid, "note")
	if openOnes, _ := s.BarrierReports(ctx, strategy.BarrierFilter{Open: true}); len(openOnes) != 3 {
		t.Errorf("after refused changes %d reports are open, want 3", len(openOnes))
	}

	entries, err := s.Audit(ctx, strategy.AuditFilter{Kind: strategy.ObjBarrierReport})
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 {
		t.Fatalf("audit of barrier reports = %+v, want one entry: adding is not audited", entries)
	}
	e := entries[0]
	if e.Action != strategy.AuditUpdate || e.Actor != admin || e.Object.Key != strconv.FormatInt(stored[1].ID, 10) {
		t.Errorf("audit entry = %+v", e)
	}
	var before, after map[string]any
	if json.Unmarshal(e.Before, &before) != nil || json.Unmarshal(e.After, &after) != nil {
		t.Fatalf("audit before %s, after %s: not JSON objects", e.Before, e.After)
	}
	if before["handled"] != false || after["handled"] != true || after["note"] != handled.Note || after["handled_by"] != admin.Name {
		t.Errorf("audit before %s, after %s", e.Before, e.After)
	}
	for _, private := range []string{"amina", "Amina", "النموذج"} {
		if strings.Contains(string(e.Before)+string(e.After), private) {
			t.Errorf("the audit trail keeps the reader's %q: %s %s", private, e.Before, e.After)
		}
	}
}
