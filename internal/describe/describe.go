// Package describe holds the Swedish words for the domain's codes and the
// sentences built from them: labels, what a target demands, where a value
// comes from, why an activity is late. The code uses English identifiers
// and ASCII values; users read Swedish (DESIGN.md §2). The web pages and
// the follow-up reports (internal/report) both speak through this package,
// so a page and a report never word the same thing differently.
//
// An unknown code is shown as it is rather than hidden.
package describe

import (
	"strings"

	"github.com/inkludera/inkludera/internal/i18n"
	"github.com/inkludera/inkludera/internal/strategy"
)

// SourceFile is the source name of runs and observations that came from an
// uploaded file.
const SourceFile = "file"

// OrgKind names a kind of organisation: "Kommun".
func OrgKind(k strategy.OrgKind) string {
	return Label(map[strategy.OrgKind]string{
		strategy.OrgKommun: "Kommun",
		strategy.OrgRegion: "Region",
		strategy.OrgRiket:  "Riket",
	}, k)
}

// DocumentKind names a kind of governing document: "Strategi".
func DocumentKind(k strategy.DocumentKind) string {
	return Label(map[strategy.DocumentKind]string{
		strategy.KindStrategy:   "Strategi",
		strategy.KindProgramme:  "Program",
		strategy.KindPlan:       "Plan",
		strategy.KindPolicy:     "Policy",
		strategy.KindGuidelines: "Riktlinjer",
		strategy.KindRules:      "Regler",
	}, k)
}

// DocumentStatus names where a document is in its life: "Antagen".
func DocumentStatus(s strategy.DocumentStatus) string {
	return Label(map[strategy.DocumentStatus]string{
		strategy.StatusDraft:    "Utkast",
		strategy.StatusAdopted:  "Antagen",
		strategy.StatusRepealed: "Upphävd",
	}, s)
}

// Role names what a body does: "huvudansvarig".
func Role(r strategy.ResponsibilityRole) string {
	return Label(map[strategy.ResponsibilityRole]string{
		strategy.RoleDecides:     "beslutar",
		strategy.RoleLeads:       "huvudansvarig",
		strategy.RoleCoordinates: "samordnar",
		strategy.RoleContributes: "medverkar",
		strategy.RoleSupports:    "stödjer",
	}, r)
}

// TargetKind names how a target is stated: "Tröskelvärde".
func TargetKind(k strategy.TargetKind) string {
	return Label(map[strategy.TargetKind]string{
		strategy.TargetThreshold:   "Tröskelvärde",
		strategy.TargetPerYear:     "År för år",
		strategy.TargetDirection:   "Riktning",
		strategy.TargetRelative:    "Relativt",
		strategy.TargetQualitative: "Kvalitativt",
	}, k)
}

// GoalLevel names a goal's level: "Långsiktigt mål", "Delmål".
func GoalLevel(l strategy.GoalLevel) string {
	return Label(map[strategy.GoalLevel]string{
		strategy.GoalLongTerm: "Långsiktigt mål",
		strategy.GoalSub:      "Delmål",
	}, l)
}

// PlanStatus names an action plan's status, lower case: "beslutad".
func PlanStatus(s strategy.PlanStatus) string {
	return Label(map[strategy.PlanStatus]string{
		strategy.PlanDraft:   "utkast",
		strategy.PlanDecided: "beslutad",
	}, s)
}

// ActivityStatus names an activity's status, lower case: "pågår".
func ActivityStatus(s strategy.ActivityStatus) string {
	return Label(map[strategy.ActivityStatus]string{
		strategy.ActivityPlanned:   "planerad",
		strategy.ActivityOngoing:   "pågår",
		strategy.ActivityDone:      "genomförd",
		strategy.ActivityLate:      "försenad",
		strategy.ActivityCancelled: "inställd",
	}, s)
}

// ActivityStatuses lists the activity statuses in the order of an
// activity's life, the order of tables and counts.
var ActivityStatuses = []strategy.ActivityStatus{
	strategy.ActivityPlanned, strategy.ActivityOngoing, strategy.ActivityDone,
	strategy.ActivityLate, strategy.ActivityCancelled,
}

// Gender names a breakdown: "Totalt", "Kvinnor", "Män".
func Gender(g strategy.Gender) string {
	return Label(map[strategy.Gender]string{
		strategy.Total: "Totalt",
		strategy.Women: "Kvinnor",
		strategy.Men:   "Män",
	}, g)
}

// Label looks k up in words, falling back to the code itself.
func Label[K ~string](words map[K]string, k K) string {
	if w, ok := words[k]; ok {
		return w
	}
	return string(k)
}

// Comparator is the word a requirement starts with: "minst", "ska öka".
func Comparator(c strategy.Comparator) string {
	return Label(map[strategy.Comparator]string{
		strategy.AtLeast:  "minst",
		strategy.AtMost:   "högst",
		strategy.About:    "cirka",
		strategy.Increase: "ska öka",
		strategy.Decrease: "ska minska",
	}, c)
}

// Requirement states in Swedish what a target demands, from its structured
// fields rather than its prose, so that readers see what the follow-up will
// test: "minst 10 % år 2020", "minst 300 personer per år", "ska öka",
// "högst samma nivå som Arbetslöshet, inrikes födda". refTitle is the title
// of the reference indicator of a relative target. Qualitative targets have
// no requirement beyond their text and give "".
func Requirement(t strategy.Target, refTitle string) string {
	year := ""
	if t.TargetYear != 0 {
		year = " år " + i18n.FormatYear(t.TargetYear)
	}
	switch t.Kind {
	case strategy.TargetThreshold:
		return Comparator(t.Comparator) + " " + Quantity(t.Value, t.Unit) + year
	case strategy.TargetPerYear:
		s := Comparator(t.Comparator) + " " + Quantity(t.Value, t.Unit) + " per år"
		if t.TargetYear != 0 {
			s += " till och med år " + i18n.FormatYear(t.TargetYear)
		}
		return s
	case strategy.TargetDirection:
		s := Comparator(t.Comparator)
		if t.TargetYear != 0 {
			s += " till år " + i18n.FormatYear(t.TargetYear)
		}
		return s
	case strategy.TargetRelative:
		if refTitle == "" {
			refTitle = t.ReferenceIndicator
		}
		if t.Value == nil || *t.Value == 0 {
			return Comparator(t.Comparator) + " samma nivå som " + refTitle + year
		}
		// Value is the allowed difference; a difference of percentages is
		// in percentage points, not percent.
		diff := Quantity(t.Value, t.Unit)
		if strings.TrimSpace(t.Unit) == "%" {
			diff = i18n.FormatAuto(*t.Value) + i18n.NBSP + "procentenheter"
			if *t.Value == 1 {
				diff = "1" + i18n.NBSP + "procentenhet"
			}
		}
		if t.Comparator == strategy.AtLeast {
			return "högst " + diff + " lägre än " + refTitle + year
		}
		return "högst " + diff + " högre än " + refTitle + year
	}
	return ""
}

// Quantity formats an optional value with its unit; nil is i18n.Missing.
func Quantity(v *float64, unit string) string {
	if v == nil {
		return i18n.Missing
	}
	return i18n.FormatQuantity(*v, i18n.Decimals(*v), unit)
}

// Attribution names where a value comes from, as DESIGN.md §5 asks of every
// raw value. The observation's own source wins over the indicator's: the
// indicator says where values are fetched from, but a value may have come
// from elsewhere (a table in the document, demonstration data), and Kolada's
// terms forbid crediting Kolada with what it did not publish.
func Attribution(ind strategy.Indicator, obsSource, orgName string) string {
	src := strings.TrimSpace(obsSource)
	switch strings.ToLower(src) {
	case "demo":
		return "Demovärden – inte verklig statistik"
	case "kolada":
		return "Källa: Kolada"
	case "scb":
		return "Källa: SCB"
	case SourceFile:
		// The uploader's organisation vouches for the value; saying it came
		// from a file keeps it apart from what the organisation published.
		if orgName != "" {
			return "Källa: " + orgName + " (uppladdad fil)"
		}
		return "Källa: uppladdad fil"
	case "":
	default:
		return "Källa: " + src
	}
	switch {
	case ind.Source == "demo":
		return "Demovärden – inte verklig statistik"
	case strings.HasPrefix(ind.Source, "kolada:"):
		return "Källa: Kolada"
	case strings.HasPrefix(ind.Source, "scb:"):
		return "Källa: SCB"
	case ind.Source == "manual" && orgName != "":
		return "Källa: " + orgName
	}
	return ""
}

// FollowUpText describes a document's follow-up rule in a sentence.
func FollowUpText(f strategy.FollowUpRule, bodyName func(string) string) string {
	var parts []string
	if f.IntervalYears > 0 {
		parts = append(parts, "Följs upp "+EveryNYears(f.IntervalYears))
	}
	if f.Occasion != "" {
		if len(parts) == 0 {
			parts = append(parts, "Följs upp")
		}
		parts[len(parts)-1] += " " + f.Occasion
	}
	if f.ReportTo != "" {
		if len(parts) == 0 {
			parts = append(parts, "Rapporteras till "+bodyName(f.ReportTo))
		} else {
			parts[len(parts)-1] += " och rapporteras till " + bodyName(f.ReportTo)
		}
	}
	s := strings.Join(parts, "")
	if s != "" {
		s += "."
	}
	if f.DeepIntervalYears > 0 {
		if s != "" {
			s += " "
		}
		s += "Fördjupad uppföljning " + EveryNYears(f.DeepIntervalYears) + "."
	}
	return s
}

// EveryNYears is "varje år", "vartannat år", "vart 4:e år".
func EveryNYears(n int) string {
	switch n {
	case 1:
		return "varje år"
	case 2:
		return "vartannat år"
	}
	return "vart " + i18n.Ordinal(n) + " år"
}

// RevisionText describes when a document is to be revised.
func RevisionText(r strategy.RevisionRule) string {
	var parts []string
	if r.Due != 0 {
		parts = append(parts, "Senast "+i18n.FormatYear(r.Due))
	}
	if r.Condition != "" {
		parts = append(parts, r.Condition)
	}
	return strings.Join(parts, " – ")
}

// ValidityText describes a validity period with open ends.
func ValidityText(from, to strategy.Date) string {
	switch {
	case !from.IsZero() && !to.IsZero():
		return from.String() + " – " + to.String()
	case !from.IsZero():
		return "från " + from.String()
	case !to.IsZero():
		return "till och med " + to.String()
	}
	return ""
}

// SourceDescription names an indicator's source with its identifier there,
// for the indicator's facts: "Kolada, nyckeltal N02926".
func SourceDescription(ind strategy.Indicator, orgName string) string {
	switch src := ind.Source; {
	case strings.HasPrefix(src, "kolada:"):
		return "Kolada, nyckeltal " + strings.TrimPrefix(src, "kolada:")
	case strings.HasPrefix(src, "scb:"):
		table, _, _ := strings.Cut(strings.TrimPrefix(src, "scb:"), "?") // the selection is for machines
		return "SCB, tabell " + table
	case src == "manual" && orgName != "":
		return "Egna uppgifter från " + orgName
	case src == "demo":
		return "Demovärden – inte verklig statistik"
	default:
		return src
	}
}
