package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
)

// readBack is what reading everything back found of the acknowledged
// writes.
type readBack struct {
	created, createdMissing int // plans with their activity
	notes, notesMissing     int
	// notesDuplicated are acknowledged notes stored more than once.
	notesDuplicated int
	// notesUnacked are stored notes of the run that were never
	// acknowledged (their request got no answer): not an error.
	notesUnacked int
	// updates are the activities' acknowledged changes, their creation
	// included; updatesMissing those not in the audit trail.
	updates, updatesMissing int
	// finalWrong are activities whose stored state is not their last
	// acknowledged change.
	finalWrong int
	problems   []string // the first few, to say what is missing
}

func (r readBack) missing() int {
	return r.createdMissing + r.notesMissing + r.notesDuplicated + r.updatesMissing + r.finalWrong
}

func (r *readBack) problem(format string, args ...any) {
	if len(r.problems) < maxExamples {
		r.problems = append(r.problems, fmt.Sprintf(format, args...))
	}
}

// verify reads every client's plan, activity and notes back through the
// API, with the token of reader, and every change of each activity from
// the audit trail.
func verify(reader *client, clients []*client) (readBack, error) {
	var rb readBack
	_, body, ok := reader.call("read back", read, reader.anon, reader.apiRequest("GET", "/api/v1/documents/"+loadDoc, nil), http.StatusOK, isJSON)
	if !ok {
		return rb, fmt.Errorf("reading %s back failed: %v", loadDoc, reader.st.examples)
	}
	var d document
	if err := json.Unmarshal(body, &d); err != nil {
		return rb, err
	}
	for _, c := range clients {
		if !c.acks.created {
			continue
		}
		rb.created++
		a, found := d.activity(c.plan, c.activity.Key)
		if !found {
			rb.createdMissing++
			rb.notesMissing += len(c.acks.notes)
			rb.notes += len(c.acks.notes)
			rb.updatesMissing += len(c.acks.updates)
			rb.updates += len(c.acks.updates)
			rb.problem("client %d: the plan %s or its activity is missing", c.n, c.plan)
			continue
		}
		stored := map[string]int{}
		for _, n := range a.Notes {
			stored[n.Text]++
		}
		for _, text := range c.acks.notes {
			rb.notes++
			switch stored[text] {
			case 0:
				rb.notesMissing++
				rb.problem("client %d: the note %q is missing", c.n, text)
			case 1:
			default:
				rb.notesDuplicated++
				rb.problem("client %d: the note %q is stored %d times", c.n, text, stored[text])
			}
			delete(stored, text)
		}
		rb.notesUnacked += len(stored)

		last := c.acks.updates[len(c.acks.updates)-1]
		if a.Description != last {
			rb.finalWrong++
			rb.problem("client %d: the activity's description is %q, the last acknowledged %q", c.n, a.Description, last)
		}
		audited, err := auditedDescriptions(reader, c)
		if err != nil {
			return rb, err
		}
		for _, desc := range c.acks.updates {
			rb.updates++
			if !audited[desc] {
				rb.updatesMissing++
				rb.problem("client %d: the change %q is not in the audit trail", c.n, desc)
			}
		}
	}
	return rb, nil
}

// auditPage is the audit API's largest page.
const auditPage = 1000

// auditedDescriptions pages through the audit trail of c's activity and
// returns every description it had after a change.
func auditedDescriptions(reader *client, c *client) (map[string]bool, error) {
	seen := map[string]bool{}
	object := "activity:" + loadDoc + "/" + c.plan + "/" + c.activity.Key
	before := int64(0)
	for {
		q := url.Values{"object": {object}, "limit": {strconv.Itoa(auditPage)}}
		if before > 0 {
			q.Set("before", strconv.FormatInt(before, 10))
		}
		_, body, ok := reader.call("read back", read, reader.anon, reader.apiRequest("GET", "/api/v1/audit?"+q.Encode(), nil), http.StatusOK, isJSON)
		if !ok {
			return nil, fmt.Errorf("reading the audit trail of %s failed: %v", object, reader.st.examples)
		}
		var entries []struct {
			ID    int64           `json:"id"`
			After json.RawMessage `json:"after"`
		}
		if err := json.Unmarshal(body, &entries); err != nil {
			return nil, err
		}
		for _, e := range entries {
			var a activity
			if len(e.After) > 0 && json.Unmarshal(e.After, &a) == nil {
				seen[a.Description] = true
			}
			before = e.ID
		}
		if len(entries) < auditPage {
			return seen, nil
		}
	}
}
