package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/inkludera/inkludera/internal/strategy"
)

// checkRev compares the revision an edit started from with the stored one,
// as strategy.Edit documents: 0 creates, anything else must be the stored
// revision of an object that exists.
func checkRev(what string, rev, stored int64, found bool) error {
	switch {
	case rev < 0:
		return strategy.Errorf(strategy.CodeInvalid, "%s: revision %d is not a revision", what, rev)
	case rev == 0 && found:
		return strategy.Errorf(strategy.CodeConflict,
			"%s already exists, at revision %d; the edit was made to create it (revision 0)", what, stored)
	case rev > 0 && !found:
		return strategy.Errorf(strategy.CodeNotFound, "%s does not exist; it may have been deleted", what)
	case rev > 0 && rev != stored:
		return staleRev(what, rev, stored)
	}
	return nil
}

// staleRev is the conflict of an edit made to another revision than the
// stored one.
func staleRev(what string, rev, stored int64) error {
	return strategy.Errorf(strategy.CodeConflict,
		"%s has been changed by someone else: the edit was made to revision %d, but it is now at revision %d",
		what, rev, stored)
}

// fieldError is a problem the store finds, in English and in Swedish as
// the domain's are.
func fieldError(path, sv, format string, args ...any) strategy.FieldError {
	return strategy.FieldError{Path: path, Message: fmt.Sprintf(format, args...), Svenska: sv}
}

// invalid is a CodeInvalid error carrying its ValidationErrors.
func invalid(what string, v strategy.ValidationErrors) error {
	return &strategy.Error{Code: strategy.CodeInvalid, Message: what + " is not valid", Err: v}
}

// EditDocument implements strategy.Store. The document is read, changed
// and stored in one write transaction, so two edits of the same revision
// cannot both pass the check: writes are serialised on one connection (and
// on PostgreSQL the row lock of the first write would stand between them).
// The result goes through Import's validation and storage, given the
// stored organisation and bodies so that only the document can change.
func (s *Store) EditDocument(ctx context.Context, e strategy.Edit) (strategy.Document, error) {
	ref := e.Ref
	switch {
	case ref.Kind == strategy.ObjNote:
		return strategy.Document{}, strategy.Errorf(strategy.CodeInvalid, "%s: notes are added one at a time, not edited", ref)
	case !ref.Kind.InDocument():
		return strategy.Document{}, strategy.Errorf(strategy.CodeInvalid, "%s is not part of a document", ref)
	case ref.Document == "":
		return strategy.Document{}, strategy.Errorf(strategy.CodeInvalid, "%s names no document", ref)
	case e.Apply == nil:
		return strategy.Document{}, strategy.Errorf(strategy.CodeInvalid, "the edit of %s has no change to make", ref)
	}
	var out strategy.Document
	err := s.inImport(ctx, func(im *importer) error {
		stored, err := readDocument(ctx, im.tx, ref.Document)
		creating := false
		switch strategy.CodeOf(err) {
		case "":
		case strategy.CodeNotFound:
			if ref.Kind != strategy.ObjDocument || e.Rev != 0 {
				return strategy.Errorf(strategy.CodeNotFound, "%s does not exist; it may have been deleted", ref)
			}
			org, err := readOrganisation(ctx, im.tx, e.Org)
			if err != nil {
				return err
			}
			stored = strategy.Document{Key: ref.Document, Org: org.Code}
			creating = true
		default:
			return err
		}
		var obj any
		var rev int64
		found := false
		if !creating {
			obj, rev, found = stored.Lookup(ref)
		}
		if err := checkRev(ref.String(), e.Rev, rev, found); err != nil {
			return err
		}
		// Encoded now: Apply may change what the copy shares with the tree.
		before, err := objectJSON(obj)
		if err != nil {
			return strategy.Internal(err, "encoding "+ref.String())
		}

		org, err := readOrganisation(ctx, im.tx, stored.Org)
		if err != nil {
			return err
		}
		bodies, err := readBodies(ctx, im.tx, org.Code)
		if err != nil {
			return err
		}
		d := stored
		d.Translations = stored.Translations.Clone() // Apply may Set on them
		if err := e.Apply(&d); err != nil {
			return err
		}
		// A deleted object's translations go with it.
		d.ForgetRemovedTexts(&stored)
		if d.Key != ref.Document {
			return invalid("the document", strategy.ValidationErrors{fieldError("document.key",
				fmt.Sprintf("Nyckeln för ett sparat styrdokument kan inte ändras; den är ”%s”.", ref.Document),
				"the key of a stored document cannot change; it is %q", ref.Document)})
		}
		err = im.run([]strategy.Bundle{{Organisation: &org, Bodies: bodies, Document: &d}})
		if err != nil {
			var v strategy.ValidationErrors
			if strategy.CodeOf(err) == strategy.CodeInvalid && errors.As(err, &v) {
				return invalid("the document", v)
			}
			return err
		}

		after, err := readDocument(ctx, im.tx, ref.Document)
		if err != nil {
			return err
		}
		out = after
		if im.treeModifications() == 0 {
			return nil // nothing to record
		}
		afterObj, _, stillThere := after.Lookup(ref)
		action := e.Action
		switch {
		case action != "":
		case !found:
			action = strategy.AuditCreate
		case !stillThere:
			action = strategy.AuditDelete
		default:
			action = strategy.AuditUpdate
		}
		if action == strategy.AuditDelete {
			// What a responsibility's ref names after a deletion is the
			// next one, which moved up; what was deleted no longer exists.
			afterObj = nil
		}
		return im.audit(action, ref, after.Org, before, afterObj)
	})
	if err != nil {
		return strategy.Document{}, err
	}
	return out, nil
}

// EditIndicator implements strategy.Store. The validation errors' paths
// are the indicator's field names ("title"), as a form has them.
func (s *Store) EditIndicator(ctx context.Context, key string, rev int64, apply func(*strategy.Indicator) error) (strategy.Indicator, error) {
	ref := strategy.ObjectRef{Kind: strategy.ObjIndicator, Key: key}
	if apply == nil {
		return strategy.Indicator{}, strategy.Errorf(strategy.CodeInvalid, "the edit of %s has no change to make", ref)
	}
	var out strategy.Indicator
	err := s.inImport(ctx, func(im *importer) error {
		list, err := readIndicators(ctx, im.tx, "WHERE key = $1", []any{key})
		if err != nil {
			return strategy.Internal(err, "reading indicator "+key)
		}
		if len(list) == 0 {
			return strategy.Errorf(strategy.CodeNotFound, "no indicator has the key %q", key)
		}
		stored := list[0]
		if err := checkRev(ref.String(), rev, stored.Rev, true); err != nil {
			return err
		}
		ind := stored
		ind.Breakdowns = slices.Clone(stored.Breakdowns)
		if err := apply(&ind); err != nil {
			return err
		}
		if err := im.checkIndicatorEdit(stored, ind); err != nil {
			return err
		}
		if err := im.putIndicator(ind); err != nil {
			return err
		}
		out = stored
		if im.sum[kindIndicators].Changed == 0 {
			return nil
		}
		list, err = readIndicators(ctx, im.tx, "WHERE key = $1", []any{key})
		if err != nil || len(list) == 0 {
			return strategy.Internal(err, "reading indicator "+key)
		}
		out = list[0]
		return im.audit(strategy.AuditUpdate, ref, "", stored, out)
	})
	if err != nil {
		return strategy.Indicator{}, err
	}
	return out, nil
}

// checkIndicatorEdit validates an edited indicator: on its own, with its
// key kept, and without dropping the breakdown by gender of stored values.
func (im *importer) checkIndicatorEdit(stored, ind strategy.Indicator) error {
	var v strategy.ValidationErrors
	if ind.Key != stored.Key {
		v = append(v, fieldError("key", fmt.Sprintf("Indikatorns nyckel kan inte ändras; den är ”%s”.", stored.Key),
			"the key of an indicator cannot change; it is %q", stored.Key))
	}
	if err := (strategy.Bundle{Indicators: []strategy.Indicator{ind}}).Validate(nil); err != nil {
		var fe strategy.ValidationErrors
		if !errors.As(err, &fe) {
			return strategy.Internal(err, "validating indicator "+stored.Key)
		}
		for _, e := range fe {
			e.Path = strings.TrimPrefix(e.Path, "indicators[0].")
			v = append(v, e)
		}
	}
	if stored.ByGender() && !ind.ByGender() {
		var n int
		err := im.tx.QueryRowContext(im.ctx, `SELECT count(*) FROM observations o JOIN indicators i ON i.id = o.indicator_id
			WHERE i.key = $1 AND o.gender <> 'T'`, stored.Key).Scan(&n)
		if err != nil {
			return strategy.Internal(err, "counting values by gender")
		}
		if n > 0 {
			v = append(v, fieldError("breakdowns",
				"Det finns sparade värden för kvinnor och män, så uppdelningen på kön kan inte tas bort.",
				"%d stored values are by gender (K, M); the breakdown by gender cannot be removed", n))
		}
	}
	if len(v) > 0 {
		return invalid("the indicator", v)
	}
	return nil
}

// AddNote implements strategy.Store. Author and AuthorID default to the
// actor's; CreatedAt is the time of storing, whatever n says.
func (s *Store) AddNote(ctx context.Context, activity strategy.ObjectRef, n strategy.Note) (strategy.Note, error) {
	plan, act, ok := strings.Cut(activity.Key, "/")
	if activity.Kind != strategy.ObjActivity || activity.Document == "" || !ok || plan == "" || act == "" {
		return strategy.Note{}, strategy.Errorf(strategy.CodeInvalid, "notes are added to an activity, not to %s", activity)
	}
	if err := n.Validate(); err != nil {
		var v strategy.ValidationErrors
		if errors.As(err, &v) {
			return strategy.Note{}, invalid("the note", v)
		}
		return strategy.Note{}, strategy.Internal(err, "validating a note")
	}
	actor := strategy.ActorFrom(ctx)
	if n.Author == "" {
		n.Author = actor.Name
	}
	if n.AuthorID == 0 {
		n.AuthorID = actor.UserID
	}
	n.ID = 0
	n.CreatedAt = normTime(time.Now())
	err := s.inImport(ctx, func(im *importer) error {
		var actID int64
		var org string
		err := im.tx.QueryRowContext(ctx, `SELECT a.id, d.org_code FROM activities a
			JOIN action_plans p ON p.id = a.action_plan_id JOIN documents d ON d.id = p.document_id
			WHERE d.key = $1 AND p.key = $2 AND a.key = $3`, activity.Document, plan, act).Scan(&actID, &org)
		if errors.Is(err, sql.ErrNoRows) {
			return strategy.Errorf(strategy.CodeNotFound, "%s does not exist; it may have been deleted", activity)
		}
		if err != nil {
			return strategy.Internal(err, "looking up "+activity.String())
		}
		n.ID, err = im.insertID(`INSERT INTO activity_notes (activity_id, written_on, text, author_id, author, created_at)
			VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
			actID, n.Date, n.Text, nullID(n.AuthorID), n.Author, im.d.timeArg(n.CreatedAt))
		if err != nil {
			return strategy.Internal(err, "storing a note on "+activity.String())
		}
		ref := strategy.ObjectRef{Kind: strategy.ObjNote, Document: activity.Document, Key: fmt.Sprintf("%s/%d", activity.Key, n.ID)}
		return im.audit(strategy.AuditCreate, ref, org, nil, n)
	})
	if err != nil {
		return strategy.Note{}, err
	}
	return n, nil
}
