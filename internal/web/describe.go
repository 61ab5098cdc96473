package web

import (
	"github.com/inkludera/inkludera/internal/describe"
	"github.com/inkludera/inkludera/internal/strategy"
)

// Swedish words for the domain's codes. They live in internal/describe,
// which the follow-up reports share with the pages; these names keep the
// pages' helpers and templates as they were.

func orgKindLabel(k strategy.OrgKind) string               { return describe.OrgKind(k) }
func documentKindLabel(k strategy.DocumentKind) string     { return describe.DocumentKind(k) }
func documentStatusLabel(s strategy.DocumentStatus) string { return describe.DocumentStatus(s) }
func roleLabel(r strategy.ResponsibilityRole) string       { return describe.Role(r) }
func targetKindLabel(k strategy.TargetKind) string         { return describe.TargetKind(k) }
func goalLevelLabel(l strategy.GoalLevel) string           { return describe.GoalLevel(l) }
func planStatusLabel(s strategy.PlanStatus) string         { return describe.PlanStatus(s) }
func activityStatusLabel(s strategy.ActivityStatus) string { return describe.ActivityStatus(s) }
func genderLabel(g strategy.Gender) string                 { return describe.Gender(g) }
func comparatorWord(c strategy.Comparator) string          { return describe.Comparator(c) }
func revisionText(r strategy.RevisionRule) string          { return describe.RevisionText(r) }
func validityText(from, to strategy.Date) string           { return describe.ValidityText(from, to) }

// label looks k up in words, falling back to the code itself.
func label[K ~string](words map[K]string, k K) string { return describe.Label(words, k) }

// requirement states what a target demands: "minst 10 % år 2020"
// (describe.Requirement).
func requirement(t strategy.Target, refTitle string) string { return describe.Requirement(t, refTitle) }

// attribution names where a value comes from (describe.Attribution).
func attribution(ind strategy.Indicator, obsSource, orgName string) string {
	return describe.Attribution(ind, obsSource, orgName)
}

// followUpText describes a document's follow-up rule in a sentence.
func followUpText(f strategy.FollowUpRule, bodyName func(string) string) string {
	return describe.FollowUpText(f, bodyName)
}

// sourceDescription names an indicator's source with its identifier there:
// "Kolada, nyckeltal N02926".
func sourceDescription(ind strategy.Indicator, orgName string) string {
	return describe.SourceDescription(ind, orgName)
}
