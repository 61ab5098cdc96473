package storetest

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"testing"

	"github.com/inkludera/inkludera/internal/strategy"
)

func reportFile(format, content string) strategy.ReportFile {
	sum := sha256.Sum256([]byte(content))
	return strategy.ReportFile{Format: format, Name: "uppfoljning." + format, MediaType: "application/octet-stream",
		SHA256: hex.EncodeToString(sum[:]), Content: []byte(content)}
}

// testReports: approvals are numbered per report, supersede without
// deleting, keep their files byte for byte whatever happens to the data,
// refuse what does not check out, and are audited.
func testReports(t *testing.T, open func(t *testing.T) strategy.Store) {
	s := open(t)
	coordinator := strategy.Actor{UserID: 3, Name: "Sara Samordnare", Via: "web"}
	ctx := strategy.WithActor(context.Background(), coordinator)
	mustImport(t, s, richBundle())

	first := strategy.ReportApproval{Org: orgCode, Document: docKey, DocumentTitle: "Strategin", Year: 2021,
		Decision: "KS 2022-04-05 § 45", DecidedOn: strategy.Date{Year: 2022, Month: 4, Day: 5},
		Files: []strategy.ReportFile{reportFile("json", `{"year":2021}`), reportFile("pdf", "%PDF-1.7 första")}}
	a1, err := s.ApproveReport(ctx, first)
	if err != nil {
		t.Fatal(err)
	}
	if a1.ID == 0 || a1.Version != 1 || a1.ApprovedBy != coordinator.Name || a1.ApprovedByID != 3 || a1.ApprovedAt.IsZero() || a1.SupersededBy != 0 {
		t.Errorf("first approval = %+v", a1)
	}
	if len(a1.Files) != 2 || a1.Files[1].Format != "pdf" || a1.Files[1].Size != int64(len("%PDF-1.7 första")) || a1.Files[1].Content != nil {
		t.Errorf("first approval's files = %+v", a1.Files)
	}

	// the data changes: the approved files do not
	mustImport(t, s, richBundle())
	second := first
	second.Decision = "KS 2022-05-10 § 60"
	second.Files = []strategy.ReportFile{reportFile("json", `{"year":2021,"v":2}`), reportFile("pdf", "%PDF-1.7 andra")}
	a2, err := s.ApproveReport(ctx, second)
	if err != nil {
		t.Fatal(err)
	}
	if a2.Version != 2 {
		t.Errorf("second version = %d, want 2", a2.Version)
	}
	deep := first
	deep.Since = 2018
	a3, err := s.ApproveReport(ctx, deep)
	if err != nil {
		t.Fatal(err)
	}
	if a3.Version != 1 {
		t.Errorf("a deep follow-up is another report: version %d, want 1", a3.Version)
	}

	old, err := s.ReportApproval(ctx, a1.ID)
	if err != nil {
		t.Fatal(err)
	}
	if old.SupersededBy != a2.ID || old.Decision != first.Decision || old.DecidedOn != first.DecidedOn {
		t.Errorf("the first version now = %+v, want superseded by %d", old, a2.ID)
	}
	f, err := s.ReportFile(ctx, a1.ID, "pdf")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(f.Content, []byte("%PDF-1.7 första")) || f.SHA256 != first.Files[1].SHA256 {
		t.Errorf("the first version's PDF = %q (%s), want it as approved", f.Content, f.SHA256)
	}

	list, err := s.ReportApprovals(ctx, orgCode)
	if err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for _, a := range list {
		ids = append(ids, a.ID)
	}
	same(t, "approvals listed", ids, []int64{a2.ID, a1.ID, a3.ID})

	_, err = s.ReportFile(ctx, a1.ID, "docx")
	wantCode(t, err, strategy.CodeNotFound, "docx")
	_, err = s.ReportApproval(ctx, 9999)
	wantCode(t, err, strategy.CodeNotFound)
	_, err = s.ReportApprovals(ctx, "0000")
	wantCode(t, err, strategy.CodeNotFound)

	bad := first
	bad.Decision = " "
	bad.Files = []strategy.ReportFile{reportFile("pdf", "a"), reportFile("pdf", "b")}
	bad.Files[1].SHA256 = first.Files[0].SHA256
	_, err = s.ApproveReport(ctx, bad)
	wantCode(t, err, strategy.CodeInvalid, "decision", "two files of format pdf", "does not match")
	unknown := first
	unknown.Org = "0000"
	_, err = s.ApproveReport(ctx, unknown)
	wantCode(t, err, strategy.CodeNotFound)
	if list2, _ := s.ReportApprovals(ctx, orgCode); len(list2) != 3 {
		t.Errorf("after refused approvals, %d are stored, want 3", len(list2))
	}

	entries, err := s.Audit(ctx, strategy.AuditFilter{Kind: strategy.ObjReport})
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 3 || entries[2].Action != strategy.AuditPublish || entries[2].Actor.Name != coordinator.Name || entries[2].Org != orgCode {
		t.Errorf("audit of approvals = %+v", entries)
	}
}
