package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/inkludera/inkludera/internal/strategy"
)

func reportRef(id int64) strategy.ObjectRef {
	return strategy.ObjectRef{Kind: strategy.ObjReport, Key: strconv.FormatInt(id, 10)}
}

// checkApproval lists what is wrong with an approval before it is stored.
func checkApproval(a strategy.ReportApproval) strategy.ValidationErrors {
	var v strategy.ValidationErrors
	add := func(path, en, sv string) {
		v = append(v, strategy.FieldError{Path: path, Message: en, Svenska: sv})
	}
	if strings.TrimSpace(a.Decision) == "" {
		add("decision", "the decision reference that approved the report is missing", "Beslutet som godkände rapporten saknas.")
	}
	if a.Year < 1900 || a.Year > 2200 {
		add("year", fmt.Sprintf("year %d is not a follow-up year", a.Year), fmt.Sprintf("År %d är inte ett uppföljningsår.", a.Year))
	}
	if a.Since != 0 && (a.Since >= a.Year || a.Since < 1900) {
		add("since", fmt.Sprintf("a deep follow-up since %d must start before %d", a.Since, a.Year),
			fmt.Sprintf("En fördjupad uppföljning från %d måste börja före %d.", a.Since, a.Year))
	}
	if len(a.Files) == 0 {
		add("files", "an approval needs the report's files", "Godkännandet saknar rapportens filer.")
	}
	seen := map[string]bool{}
	for i, f := range a.Files {
		path := fmt.Sprintf("files[%d]", i)
		switch {
		case f.Format == "":
			add(path+".format", "the file has no format", "Filen saknar format.")
		case seen[f.Format]:
			add(path+".format", fmt.Sprintf("two files of format %s", f.Format), fmt.Sprintf("Två filer i formatet %s.", f.Format))
		}
		seen[f.Format] = true
		if f.Name == "" || f.MediaType == "" {
			add(path, "the file needs a name and a media type", "Filen saknar namn eller medietyp.")
		}
		sum := sha256.Sum256(f.Content)
		if f.SHA256 != hex.EncodeToString(sum[:]) {
			add(path+".sha256", fmt.Sprintf("the SHA-256 of %s does not match its content", f.Name),
				fmt.Sprintf("Kontrollsumman för %s stämmer inte med innehållet.", f.Name))
		}
	}
	return v
}

// ApproveReport implements strategy.ReportStore.
func (s *Store) ApproveReport(ctx context.Context, a strategy.ReportApproval) (strategy.ReportApproval, error) {
	if v := checkApproval(a); len(v) > 0 {
		return strategy.ReportApproval{}, invalid("the report approval", v)
	}
	actor := strategy.ActorFrom(ctx)
	a.ApprovedBy, a.ApprovedByID = actor.Name, actor.UserID
	a.ApprovedAt = normTime(time.Now())
	var out strategy.ReportApproval
	err := s.inImport(ctx, func(im *importer) error {
		if _, err := readOrganisation(ctx, im.tx, a.Org); err != nil {
			return err
		}
		var version int
		err := im.tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) + 1 FROM report_approvals
			WHERE org_code = $1 AND document_key = $2 AND year = $3 AND since = $4`,
			a.Org, a.Document, a.Year, a.Since).Scan(&version)
		if err != nil {
			return strategy.Internal(err, "numbering the report's version")
		}
		id, err := im.insertID(`INSERT INTO report_approvals (org_code, document_key, document_title, year, since,
			version, decision, decided_on, approved_by, approved_by_id, approved_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
			a.Org, a.Document, a.DocumentTitle, a.Year, a.Since, version, strings.TrimSpace(a.Decision), a.DecidedOn,
			a.ApprovedBy, nullID(a.ApprovedByID), im.d.timeArg(a.ApprovedAt))
		if err != nil {
			return strategy.Internal(err, "storing the report approval")
		}
		for i, f := range a.Files {
			_, err := im.exec(`INSERT INTO report_files (approval_id, position, format, name, media_type, size, sha256, content)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, id, i, f.Format, f.Name, f.MediaType, len(f.Content), f.SHA256, f.Content)
			if err != nil {
				return strategy.Internal(err, "storing the report's "+f.Format+" file")
			}
		}
		if out, err = readApproval(ctx, im.tx, id); err != nil {
			return err
		}
		return im.audit(strategy.AuditPublish, reportRef(id), a.Org, nil, out)
	})
	if err != nil {
		return strategy.ReportApproval{}, err
	}
	return out, nil
}

// ReportApprovals implements strategy.ReportStore.
func (s *Store) ReportApprovals(ctx context.Context, org string) ([]strategy.ReportApproval, error) {
	tx, err := s.r.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, strategy.Internal(err, "starting a read")
	}
	defer tx.Rollback()
	if _, err := readOrganisation(ctx, tx, org); err != nil {
		return nil, err
	}
	out, err := readApprovals(ctx, tx, "a.org_code = $1", org)
	if err != nil {
		return nil, strategy.Internal(err, "reading the approved reports of "+org)
	}
	return out, nil
}

// ReportApproval implements strategy.ReportStore.
func (s *Store) ReportApproval(ctx context.Context, id int64) (strategy.ReportApproval, error) {
	tx, err := s.r.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return strategy.ReportApproval{}, strategy.Internal(err, "starting a read")
	}
	defer tx.Rollback()
	return readApproval(ctx, tx, id)
}

// ReportFile implements strategy.ReportStore.
func (s *Store) ReportFile(ctx context.Context, id int64, format string) (strategy.ReportFile, error) {
	var f strategy.ReportFile
	err := s.r.QueryRowContext(ctx, `SELECT format, name, media_type, size, sha256, content
		FROM report_files WHERE approval_id = $1 AND format = $2`, id, format).
		Scan(&f.Format, &f.Name, &f.MediaType, &f.Size, &f.SHA256, &f.Content)
	switch {
	case err == sql.ErrNoRows:
		return f, strategy.Errorf(strategy.CodeNotFound, "approved report %d has no %s file", id, format)
	case err != nil:
		return f, strategy.Internal(err, "reading a file of approved report "+strconv.FormatInt(id, 10))
	}
	return f, nil
}

func readApproval(ctx context.Context, q queryer, id int64) (strategy.ReportApproval, error) {
	out, err := readApprovals(ctx, q, "a.id = $1", id)
	if err != nil {
		return strategy.ReportApproval{}, strategy.Internal(err, "reading approved report "+strconv.FormatInt(id, 10))
	}
	if len(out) == 0 {
		return strategy.ReportApproval{}, strategy.Errorf(strategy.CodeNotFound, "no approved report %d", id)
	}
	return out[0], nil
}

// readApprovals reads the approvals matching where (over report_approvals
// as a) with their files' descriptions; SupersededBy is the newest later
// version of the same report.
func readApprovals(ctx context.Context, q queryer, where string, arg any) ([]strategy.ReportApproval, error) {
	var out []strategy.ReportApproval
	index := map[int64]int{}
	err := queryEach(ctx, q, `SELECT a.id, a.org_code, a.document_key, a.document_title, a.year, a.since, a.version,
			a.decision, a.decided_on, a.approved_by, a.approved_by_id, a.approved_at,
			(SELECT n.id FROM report_approvals n WHERE n.org_code = a.org_code AND n.document_key = a.document_key
				AND n.year = a.year AND n.since = a.since AND n.version > a.version ORDER BY n.version DESC LIMIT 1)
		FROM report_approvals a WHERE `+where+`
		ORDER BY a.year DESC, a.document_key, a.since, a.version DESC`, []any{arg}, func(rows *sql.Rows) error {
		var a strategy.ReportApproval
		var by, superseded sql.NullInt64
		var at sql.NullTime
		if err := rows.Scan(&a.ID, &a.Org, &a.Document, &a.DocumentTitle, &a.Year, &a.Since, &a.Version,
			&a.Decision, &a.DecidedOn, &a.ApprovedBy, &by, &at, &superseded); err != nil {
			return err
		}
		a.ApprovedByID, a.SupersededBy, a.ApprovedAt = by.Int64, superseded.Int64, timeOf(at)
		a.Files = []strategy.ReportFile{}
		index[a.ID] = len(out)
		out = append(out, a)
		return nil
	})
	if err != nil || len(out) == 0 {
		return out, err
	}
	err = queryEach(ctx, q, `SELECT f.approval_id, f.format, f.name, f.media_type, f.size, f.sha256
		FROM report_files f WHERE f.approval_id IN (SELECT a.id FROM report_approvals a WHERE `+where+`)
		ORDER BY f.approval_id, f.position`, []any{arg}, func(rows *sql.Rows) error {
		var id int64
		var f strategy.ReportFile
		if err := rows.Scan(&id, &f.Format, &f.Name, &f.MediaType, &f.Size, &f.SHA256); err != nil {
			return err
		}
		a := &out[index[id]]
		a.Files = append(a.Files, f)
		return nil
	})
	return out, err
}
