package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"testing"

	"github.com/inkludera/inkludera/internal/strategy"
)

// TestApprovedReportsAreAppendOnly: the database itself refuses to change
// or delete an approved report or its files.
func TestApprovedReportsAreAppendOnly(t *testing.T) {
	ctx := context.Background()
	s := openInternal(t)
	b := strategy.Bundle{Organisation: &strategy.Organisation{Code: "2380", Name: "Östersunds kommun", Kind: strategy.OrgKommun}}
	if _, err := s.Import(ctx, []strategy.Bundle{b}); err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256([]byte("%PDF"))
	_, err := s.ApproveReport(ctx, strategy.ReportApproval{Org: "2380", Document: "plan", Year: 2021, Decision: "KS § 1",
		Files: []strategy.ReportFile{{Format: "pdf", Name: "r.pdf", MediaType: "application/pdf", SHA256: hex.EncodeToString(sum[:]), Content: []byte("%PDF")}}})
	if err != nil {
		t.Fatal(err)
	}
	for stmt, table := range map[string]string{
		`UPDATE report_files SET content = x'00'`:              "report_files",
		`DELETE FROM report_files`:                             "report_files",
		`UPDATE report_approvals SET decision = 'annat'`:       "report_approvals",
		`DELETE FROM report_approvals WHERE org_code = '2380'`: "report_approvals",
	} {
		_, err := s.w.ExecContext(ctx, stmt)
		if err == nil || !strings.Contains(err.Error(), table+" is append-only") {
			t.Errorf("%s: got %v, want the append-only refusal", stmt, err)
		}
	}
}
