package kolada

import (
	"fmt"
	"regexp"
	"strconv"

	"github.com/inkludera/inkludera/internal/strategy"
)

var (
	// idPattern keeps path segments to what Kolada ids look like (N02926,
	// 2380, G176199), so an id can never add a path element or a query.
	idPattern    = regexp.MustCompile(`^[A-Za-z0-9_]{1,40}$`)
	groupPattern = regexp.MustCompile(`^G[0-9]{1,12}$`)
)

// OrgCode maps a Kolada municipality id to our organisation code: regions
// "00NN" become the länskod "NN", riket "0000" becomes "00", kommun codes
// stay. Group ids ("G…"), organisational units and anything else are not
// organisation codes: ok is false.
func OrgCode(koladaID string) (string, bool) {
	if len(koladaID) != 4 { // Kolada writes every kommun and region with four digits
		return "", false
	}
	code := koladaID
	switch {
	case koladaID == "0000":
		code = "00"
	case koladaID[:2] == "00":
		code = koladaID[2:]
	}
	if !strategy.ValidOrgCode(code) {
		return "", false
	}
	return code, true
}

// KoladaID maps our organisation code to Kolada's id: "23" → "0023",
// "00" → "0000". Kommun codes and group ids are returned as they are.
func KoladaID(orgCode string) string {
	if len(orgCode) == 2 {
		return "00" + orgCode
	}
	return orgCode
}

// IsGroupID reports whether id names a Kolada municipality group
// ("G176199"); values of a group are unweighted means of its members.
func IsGroupID(id string) bool { return groupPattern.MatchString(id) }

// koladaOrg validates one of Query.Orgs and maps it to Kolada's id.
func koladaOrg(code string) (string, error) {
	if IsGroupID(code) || strategy.ValidOrgCode(code) {
		return KoladaID(code), nil
	}
	return "", fmt.Errorf("kolada: %q is neither an organisation code (\"2380\", \"23\", \"00\") nor a group id (\"G176199\")", code)
}

func checkIDs(what string, ids []string) ([]string, error) {
	out := make([]string, 0, len(ids))
	seen := map[string]bool{}
	for _, id := range ids {
		if !idPattern.MatchString(id) {
			return nil, fmt.Errorf("kolada: bad %s id %q", what, id)
		}
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out, nil
}

func yearStrings(years []int) ([]string, error) {
	out := make([]string, 0, len(years))
	seen := map[int]bool{}
	for _, y := range years {
		if y < 1900 || y > 2200 {
			return nil, fmt.Errorf("kolada: year %d out of range", y)
		}
		if !seen[y] {
			seen[y] = true
			out = append(out, strconv.Itoa(y))
		}
	}
	return out, nil
}

// chunk splits ids into lists of at most maxIDs.
func chunk(ids []string) [][]string {
	var out [][]string
	for len(ids) > maxIDs {
		out = append(out, ids[:maxIDs:maxIDs])
		ids = ids[maxIDs:]
	}
	return append(out, ids)
}
