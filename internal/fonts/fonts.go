// Package fonts embeds the typeface the renderings that cannot rely on the
// reader's fonts use: DejaVu Sans, regular and bold, from Debian's
// fonts-dejavu-core (licence in LICENSE beside them: Bitstream Vera's,
// DejaVu's changes in the public domain). It covers Swedish and the
// newcomers' languages' Latin, Cyrillic and Arabic letters, and the status
// symbols ✓ ↗ → − ↘ ✗ the reports print.
//
// The PDF embeds a subset of it; the PNG charts of the Word report draw
// their text with it.
package fonts

import _ "embed"

// Name is the family name the renderings register the font under.
const Name = "DejaVu Sans"

// Regular is DejaVuSans.ttf.
//
//go:embed DejaVuSans.ttf
var Regular []byte

// Bold is DejaVuSans-Bold.ttf.
//
//go:embed DejaVuSans-Bold.ttf
var Bold []byte
