package extract

import (
	"strings"
)

var (
	followVerbRe = mustRe(`(?i)\b(följs upp|följas upp|följer upp|uppföljning|utvärderas|utvärdera|utvärdering|redovisas|rapporteras)\b`)
	intervalRe   = mustRe(`(?i)\b(årligen|varje år|en gång per år|en gång om året|årlig|vartannat år|varannat år|vart annat år|vart tredje år|var tredje år|vart fjärde år|var fjärde år|varje mandatperiod|en gång per mandatperiod|en gång varje mandatperiod|två gånger per år|halvårsvis|varje halvår)\b`)
	deepRe       = mustRe(`(?i)\b(fördjupad|fördjupade|fördjupning)\b`)
	occasionRe   = mustRe(`(?i)\b(i samband med (?:kommunens |regionens )?[\p{L}-]+(?: och [\p{L}-]+)?|i (?:kommunens |regionens |landstingets )?(?:årsredovisning(?:en)?|delårsrapport(?:en)?|verksamhetsberättelse(?:n)?|bokslut(?:et)?|årsbokslut(?:et)?))\b`)
	reportToRe   = mustRe(`(?i)\b(?:redovisas|rapporteras|återrapporteras|lämnas|redovisa|rapportera)\s+(?:\p{L}+\s+)?(?:till|för)\s+([\p{L}-]+)`)
	reviseRe     = mustRe(`(?i)\b(revideras|revidering|revideringen|ses över|uppdateras|omprövas|aktualitetsprövas|aktualiseras)\b`)
	reviseYearRe = mustRe(`(?i)^[^.]{0,40}?\b((?:19|20)\d{2})\b`)
	relClauseRe  = mustRe(`(?i)\bsom\s+(?:ska\s+|skall\s+)?(?:revideras|ses över|uppdateras|omprövas)\b`)
	docWordRe    = mustRe(`(?i)\b(strategin|programmet|planen|policyn|riktlinjerna|dokumentet|styrdokumentet|målen|indikator\p{L}*|aktiviteter\p{L}*|handlingsplan\p{L}*|arbetet|samlade arbete|integrationsarbetet|\p{L}+strategin|\p{L}+programmet|\p{L}+planen|\p{L}+policyn)\b`)
)

// intervalYears is the number of years an interval word stands for.
func intervalYears(w string) int {
	w = strings.ToLower(w)
	switch {
	case strings.Contains(w, "annat") || strings.Contains(w, "vartannat") || strings.Contains(w, "varannat"):
		return 2
	case strings.Contains(w, "tredje"):
		return 3
	case strings.Contains(w, "fjärde") || strings.Contains(w, "mandatperiod"):
		return 4
	}
	return 1
}

// followUp reads how the document is followed up and revised from a
// sentence that says so about the document, or in a section on follow-up.
func (b *builder) followUp(s span) {
	t := s.text
	about := b.sec == secFollowUp || docWordRe.MatchString(t)
	if !about {
		return
	}
	if followVerbRe.MatchString(t) {
		fu := b.draft.FollowUp
		if iv := intervalRe.FindString(t); iv != "" {
			if fu == nil {
				fu = &FollowUp{Evidence: s.evidence()}
				b.draft.FollowUp = fu
			}
			if deepRe.MatchString(t) {
				if fu.DeepIntervalYears == 0 {
					fu.DeepIntervalYears = intervalYears(iv)
				}
			} else if fu.IntervalYears == 0 {
				fu.IntervalYears = intervalYears(iv)
				fu.Evidence = s.evidence()
			}
		}
		if fu != nil && !deepRe.MatchString(t) {
			if m := occasionRe.FindString(t); m != "" && fu.Occasion == "" {
				fu.Occasion = strings.ToLower(m[:1]) + m[1:]
			}
			if m := reportToRe.FindStringSubmatch(t); m != nil && fu.ReportTo == "" {
				if bd, ok := bodyOf(m[1]); ok {
					fu.ReportTo = bd.name
				}
			}
		}
	}
	if m := reviseRe.FindStringIndex(t); m != nil && !relClauseRe.MatchString(t) {
		if y := reviseYearRe.FindStringSubmatch(t[m[1]:]); y != nil {
			if b.draft.Revision == nil {
				b.draft.Revision = &Revision{Due: atoi(y[1]), Evidence: s.evidence()}
			}
		}
		if b.draft.Revision != nil && b.draft.Revision.Condition == "" && strings.HasPrefix(t, "Om ") {
			b.draft.Revision.Condition = strings.TrimSpace(t)
		}
	}
}
