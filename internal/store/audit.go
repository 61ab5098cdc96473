package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/inkludera/inkludera/internal/strategy"
)

// jsonNull is what the trail records for an object that did not or no
// longer exists.
var jsonNull = json.RawMessage("null")

// objectJSON encodes an object for the trail; nil gives null.
func objectJSON(v any) (json.RawMessage, error) {
	if v == nil {
		return jsonNull, nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	return b, nil
}

// audit records one change in the import's transaction, so that the entry
// exists exactly when the change does. before and after are the object's
// values (nil when absent); the actor comes from the context.
func (im *importer) audit(action strategy.AuditAction, obj strategy.ObjectRef, org string, before, after any) error {
	b, err := objectJSON(before)
	if err != nil {
		return strategy.Internal(err, "encoding the audit entry of "+obj.String())
	}
	a, err := objectJSON(after)
	if err != nil {
		return strategy.Internal(err, "encoding the audit entry of "+obj.String())
	}
	actor := strategy.ActorFrom(im.ctx)
	_, err = im.exec(`INSERT INTO audit_log (at, user_id, actor_name, address, via, action, object_kind,
		object_document, object_key, org_code, before, after) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
		im.d.timeArg(time.Now()), nullID(actor.UserID), actor.Name, actor.Address, actor.Via, action,
		obj.Kind, obj.Document, obj.Key, org, string(b), string(a))
	if err != nil {
		return strategy.Internal(err, "recording the change of "+obj.String())
	}
	return nil
}

// Audit implements strategy.Store: entries matching f, newest first.
func (s *Store) Audit(ctx context.Context, f strategy.AuditFilter) ([]strategy.AuditEntry, error) {
	var where []string
	var args []any
	arg := func(v any) string {
		args = append(args, v)
		return fmt.Sprintf("$%d", len(args))
	}
	if f.Kind != "" {
		where = append(where, "object_kind = "+arg(f.Kind))
	}
	if f.Document != "" {
		where = append(where, "object_document = "+arg(f.Document))
	}
	switch {
	case strings.HasSuffix(f.Key, "/"):
		// A prefix. Not LIKE: SQLite's ignores case and both engines treat
		// '_' and '%' in it specially; substr compares exactly in both.
		where = append(where, fmt.Sprintf("substr(object_key, 1, %s) = %s",
			arg(utf8.RuneCountInString(f.Key)), arg(f.Key)))
	case f.Key != "":
		where = append(where, "object_key = "+arg(f.Key))
	}
	if f.Org != "" {
		where = append(where, "org_code = "+arg(f.Org))
	}
	if f.UserID != 0 {
		where = append(where, "user_id = "+arg(f.UserID))
	}
	if f.BeforeID > 0 {
		where = append(where, "id < "+arg(f.BeforeID))
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 100
	}
	query := `SELECT id, at, user_id, actor_name, address, via, action, object_kind, object_document,
		object_key, org_code, before, after FROM audit_log`
	if len(where) > 0 {
		query += " WHERE " + strings.Join(where, " AND ")
	}
	query += " ORDER BY id DESC LIMIT " + arg(limit)
	var out []strategy.AuditEntry
	err := queryEach(ctx, s.r, query, args, func(rows *sql.Rows) error {
		var e strategy.AuditEntry
		var at sql.NullTime
		var user sql.NullInt64
		var before, after sql.NullString
		if err := rows.Scan(&e.ID, &at, &user, &e.Actor.Name, &e.Actor.Address, &e.Actor.Via, &e.Action,
			&e.Object.Kind, &e.Object.Document, &e.Object.Key, &e.Org, &before, &after); err != nil {
			return err
		}
		e.At = timeOf(at)
		e.Actor.UserID = user.Int64
		e.Before, e.After = rawJSON(before), rawJSON(after)
		out = append(out, e)
		return nil
	})
	if err != nil {
		return nil, strategy.Internal(err, "reading the audit trail")
	}
	return out, nil
}

func rawJSON(s sql.NullString) json.RawMessage {
	if !s.Valid || s.String == "" {
		return jsonNull
	}
	return json.RawMessage(s.String)
}
