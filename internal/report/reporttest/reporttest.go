// Package reporttest gives the report renderings' tests the follow-ups
// they render: the Östersund demo's, built by report.Build from a real
// SQLite store with the demo imported, as `inkludera serve` loads it.
package reporttest

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/inkludera/inkludera/internal/demo"
	"github.com/inkludera/inkludera/internal/report"
	"github.com/inkludera/inkludera/internal/store"
	"github.com/inkludera/inkludera/internal/strategy"
)

// The demo's organisations and documents.
const (
	Ostersund    = "2380"
	OstersundDoc = "ostersund-integrationsstrategi-2020"
	Stromsund    = "2313"
	StromsundDoc = "stromsund-program-inflyttning-integration-2014"
)

// Day is the fixed date of the test reports, the spring after the
// follow-up year, when the annual accounts are made: the same as the
// report package's golden files.
var Day = strategy.Date{Year: 2022, Month: 3, Day: 15}

// DemoStore is a real SQLite store in a temporary folder with the demo
// imported; edit, when given, changes the bundles before the import.
func DemoStore(t testing.TB, edit func([]strategy.Bundle)) strategy.Store {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "report.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	bundles, err := demo.Bundles()
	if err != nil {
		t.Fatal(err)
	}
	if edit != nil {
		edit(bundles)
	}
	if _, err := st.Import(ctx, bundles); err != nil {
		t.Fatal(err)
	}
	return st
}

// FollowUp builds the follow-up of a demo document for year (since 0 for a
// yearly one) on Day.
func FollowUp(t testing.TB, st strategy.Store, org, doc string, year, since int) *report.FollowUp {
	t.Helper()
	f, err := report.Build(context.Background(), st, org, doc, year, since, Day)
	if err != nil {
		t.Fatalf("Build(%s, %s, %d, %d): %v", org, doc, year, since, err)
	}
	return f
}

// Ostersund2021 is Östersund's yearly follow-up of 2021, the report the
// golden files hold.
func Ostersund2021(t testing.TB) *report.FollowUp {
	return FollowUp(t, DemoStore(t, nil), Ostersund, OstersundDoc, 2021, 0)
}

// Ostersund2021Since2018 is Östersund's deep follow-up 2018–2021.
func Ostersund2021Since2018(t testing.TB) *report.FollowUp {
	return FollowUp(t, DemoStore(t, nil), Ostersund, OstersundDoc, 2021, 2018)
}
