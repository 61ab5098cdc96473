package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
)

// WriteJSON writes f as the indented JSON an approved report is frozen as
// (see FormatVersion). The same FollowUp gives the same bytes.
func WriteJSON(w io.Writer, f *FollowUp) error {
	if f == nil {
		return fmt.Errorf("report: WriteJSON needs a FollowUp")
	}
	js, err := json.MarshalIndent(f, "", "  ")
	if err != nil {
		return fmt.Errorf("report: encoding JSON: %w", err)
	}
	_, err = w.Write(append(js, '\n'))
	return err
}

// ReadJSON reads a FollowUp written by WriteJSON, such as a frozen
// snapshot, so it can be rendered again exactly as approved. A report of
// another FormatVersion, or JSON with fields this version does not know,
// is refused rather than rendered wrongly.
func ReadJSON(r io.Reader) (*FollowUp, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("report: reading JSON: %w", err)
	}
	var probe struct {
		FormatVersion int `json:"format_version"`
	}
	if err := json.Unmarshal(data, &probe); err != nil {
		return nil, fmt.Errorf("report: not a follow-up report's JSON: %w", err)
	}
	if probe.FormatVersion != FormatVersion {
		return nil, fmt.Errorf("report: the JSON is of format version %d, this version of Inkludera reads %d", probe.FormatVersion, FormatVersion)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var f FollowUp
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("report: decoding JSON: %w", err)
	}
	return &f, nil
}
