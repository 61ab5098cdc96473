package storetest

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/inkludera/inkludera/internal/strategy"
)

// testSessions: sessions are stored, replaced and deleted; expired ones
// are not found, and deleting them keeps the rest. None is audited.
func testSessions(t *testing.T, open func(t *testing.T) strategy.Store) {
	s := open(t)
	ctx := context.Background()
	find := func(id string) ([]byte, bool) {
		t.Helper()
		data, found, err := s.FindSession(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		return data, found
	}
	commit := func(id string, data []byte, expiry time.Time) {
		t.Helper()
		if err := s.CommitSession(ctx, id, data, expiry); err != nil {
			t.Fatal(err)
		}
	}
	commit("a", []byte("first"), time.Now().Add(time.Hour))
	commit("a", []byte{0, 1, 2, 255}, time.Now().Add(2*time.Hour))
	commit("empty", nil, time.Now().Add(time.Hour))
	commit("old", []byte("expired"), time.Now().Add(-time.Second))

	if data, found := find("a"); !found || !bytes.Equal(data, []byte{0, 1, 2, 255}) {
		t.Errorf("session a: %v %v; want the second data", data, found)
	}
	if data, found := find("empty"); !found || len(data) != 0 {
		t.Errorf("empty session: %v %v", data, found)
	}
	if _, found := find("old"); found {
		t.Error("an expired session was found")
	}
	if _, found := find("nope"); found {
		t.Error("an unknown session was found")
	}
	// An expired session committed again with a new expiry lives again.
	commit("old", []byte("renewed"), time.Now().Add(time.Hour))
	if data, found := find("old"); !found || string(data) != "renewed" {
		t.Errorf("renewed session: %q %v", data, found)
	}
	commit("old", []byte("expired"), time.Now().Add(-time.Minute))

	if err := s.DeleteExpiredSessions(ctx); err != nil {
		t.Fatal(err)
	}
	if _, found := find("a"); !found {
		t.Error("DeleteExpiredSessions deleted a live session")
	}
	if err := s.DeleteSession(ctx, "a"); err != nil {
		t.Fatal(err)
	}
	if _, found := find("a"); found {
		t.Error("a deleted session was found")
	}
	if err := s.DeleteSession(ctx, "nope"); err != nil {
		t.Errorf("deleting an unknown session: %v", err)
	}
	if list, err := s.Audit(ctx, strategy.AuditFilter{}); err != nil || len(list) != 0 {
		t.Errorf("sessions were audited: %v %v", list, err)
	}
}

// testTokens: tokens are created for stored users, found by hash with
// their user, refused when revoked or when the user is disabled, and their
// use is noted at most once a minute.
func testTokens(t *testing.T, open func(t *testing.T) strategy.Store) {
	s := open(t)
	admin := strategy.Actor{UserID: 1, Name: "Ada Admin", Via: "web"}
	ctx := strategy.WithActor(context.Background(), admin)
	mustImport(t, s, strategy.Bundle{Organisation: ostersund(), Bodies: ostersundBodies()})
	bo, err := s.CreateUser(ctx, strategy.User{Email: "bo@ostersund.se", Name: "Bo", Role: strategy.RoleReader, Org: orgCode}, "")
	if err != nil {
		t.Fatal(err)
	}
	off, err := s.CreateUser(ctx, strategy.User{Email: "off@ostersund.se", Name: "Off", Role: strategy.RoleReader, Org: orgCode, Disabled: true}, "")
	if err != nil {
		t.Fatal(err)
	}

	created := time.Date(2026, 1, 2, 3, 4, 5, 6000, time.UTC)
	tok, err := s.CreateAPIToken(ctx, strategy.APIToken{ID: 77, UserID: bo.ID, Name: "rapportverktyg", CreatedAt: created,
		LastUsed: created, Revoked: true}, "hash-bo")
	if err != nil {
		t.Fatal(err)
	}
	want := strategy.APIToken{ID: tok.ID, UserID: bo.ID, Name: "rapportverktyg", CreatedAt: created}
	if tok.ID == 0 || tok.ID == 77 {
		t.Errorf("token id %d", tok.ID)
	}
	same(t, "created token", tok, want)
	e := checkEntry(t, s, strategy.ObjectRef{Kind: strategy.ObjAPIToken, Key: fmt.Sprint(tok.ID)}, strategy.AuditCreate, admin, "", nil, want)
	if strings.Contains(string(e.After), "hash-bo") {
		t.Errorf("the audit trail has the token's hash: %s", e.After)
	}
	offTok, err := s.CreateAPIToken(ctx, strategy.APIToken{UserID: off.ID, Name: "gammalt"}, "hash-off")
	if err != nil {
		t.Fatal(err)
	}
	if time.Since(offTok.CreatedAt) > time.Minute {
		t.Errorf("a zero CreatedAt should become now: %v", offTok.CreatedAt)
	}

	u, used, err := s.APITokenUser(ctx, "hash-bo")
	if err != nil {
		t.Fatal(err)
	}
	same(t, "the token's user", u, bo)
	if used.ID != tok.ID || time.Since(used.LastUsed) > time.Minute {
		t.Errorf("token after use: %+v", used)
	}
	// A second use within the minute is not written.
	if _, again, err := s.APITokenUser(ctx, "hash-bo"); err != nil || !again.LastUsed.Equal(used.LastUsed) {
		t.Errorf("second use: LastUsed %v, first %v, %v", again.LastUsed, used.LastUsed, err)
	}
	list, err := s.APITokens(ctx, bo.ID)
	if err != nil {
		t.Fatal(err)
	}
	want.LastUsed = used.LastUsed
	same(t, "Bo's tokens", list, []strategy.APIToken{want})
	all, err := s.APITokens(ctx, 0)
	if err != nil || len(all) != 2 || all[0].ID != tok.ID || all[1].ID != offTok.ID {
		t.Errorf("everyone's tokens: %+v %v", all, err)
	}

	for _, hash := range []string{"nope", "", "hash-off"} {
		_, _, err := s.APITokenUser(ctx, hash)
		wantCode(t, err, strategy.CodeUnauthorized)
	}

	if err := s.RevokeAPIToken(ctx, tok.ID); err != nil {
		t.Fatal(err)
	}
	_, _, err = s.APITokenUser(ctx, "hash-bo")
	wantCode(t, err, strategy.CodeUnauthorized, "revoked")
	revoked := want
	revoked.Revoked = true
	checkEntry(t, s, strategy.ObjectRef{Kind: strategy.ObjAPIToken, Key: fmt.Sprint(tok.ID)}, strategy.AuditRevoke, admin, "", want, revoked)
	prev := state(t, s)
	if err := s.RevokeAPIToken(ctx, tok.ID); err != nil {
		t.Errorf("revoking again: %v", err)
	}
	same(t, "store after revoking a revoked token", state(t, s), prev)
	wantCode(t, s.RevokeAPIToken(ctx, 9999), strategy.CodeNotFound)
	if list, _ := s.APITokens(ctx, bo.ID); len(list) != 1 || !list[0].Revoked {
		t.Errorf("revoked token listed as %+v", list)
	}

	t.Run("refused", func(t *testing.T) {
		prev := state(t, s)
		_, err := s.CreateAPIToken(ctx, strategy.APIToken{UserID: 9999, Name: "x"}, "hash-x")
		wantCode(t, err, strategy.CodeNotFound)
		_, err = s.CreateAPIToken(ctx, strategy.APIToken{UserID: bo.ID, Name: " "}, "hash-y")
		wantPaths(t, err, "name")
		_, err = s.CreateAPIToken(ctx, strategy.APIToken{UserID: bo.ID, Name: "igen"}, "hash-bo")
		wantCode(t, err, strategy.CodeConflict)
		same(t, "store after refused tokens", state(t, s), prev)
	})
}
