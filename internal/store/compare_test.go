package store_test

import (
	"testing"

	"github.com/inkludera/inkludera/internal/pgtest"
	"github.com/inkludera/inkludera/internal/store/storetest"
	"github.com/inkludera/inkludera/internal/strategy"
)

func TestCompareSQLite(t *testing.T) {
	storetest.RunCompare(t, func(t *testing.T) strategy.Store { return openTemp(t) })
}

func TestComparePostgres(t *testing.T) {
	pgtest.BaseURL(t)
	storetest.RunCompare(t, func(t *testing.T) strategy.Store { return openPostgres(t) })
}
