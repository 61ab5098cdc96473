// Package pdf reads the text layer of PDF files: just enough of the format
// (ISO 32000) to find every page's glyphs, their Unicode text, position and
// size. It is pure Go and defensive: malformed input yields an error, never a
// panic or unbounded work, because the files come from users' uploads.
//
// Supported: classic cross-reference tables and cross-reference streams
// (with /Prev chains and hybrid files), object streams, a rebuilt
// cross-reference when the file's own is broken, the filters FlateDecode,
// LZWDecode, ASCIIHexDecode, ASCII85Decode and RunLengthDecode with PNG and
// TIFF predictors, the standard security handler when the user password is
// empty (RC4, AES-128, AES-256), inherited page attributes, Form XObjects,
// simple fonts (Type1, TrueType, Type3) with standard encodings and
// /Differences, composite fonts (Type0) with ToUnicode CMaps.
//
// Not supported: files that need a password to open, fonts without any
// Unicode information (Identity-H without ToUnicode: their glyphs are
// counted as undecodable), vertical writing, annotations' and form fields'
// text.
package pdf

import (
	"errors"
	"fmt"
)

// Object is one PDF object: nil (null), bool, int64, float64, String, Name,
// Array, Dict, Ref or *Stream.
type Object any

// Name is a PDF name object, without its leading slash.
type Name string

// String is a PDF string object: raw bytes, whose meaning depends on where
// it is used (a text string, a font's character codes, an identifier).
type String []byte

// Array is a PDF array.
type Array []Object

// Dict is a PDF dictionary.
type Dict map[Name]Object

// Ref is an indirect reference "num gen R".
type Ref struct {
	Num, Gen int
}

// Stream is a stream object: its dictionary and its still encoded bytes.
type Stream struct {
	Dict Dict
	raw  []byte
	// ref is the object the stream was read from; its number and generation
	// are part of the decryption key.
	ref Ref
}

// keyword is a bare word of the syntax: obj, stream, R, an operator…
type keyword string

// Errors the package returns; callers test them with errors.Is. Each is
// wrapped with details.
var (
	// ErrNotPDF: the data has no %PDF- header.
	ErrNotPDF = errors.New("not a PDF file")
	// ErrEncrypted: the file needs a password to be opened.
	ErrEncrypted = errors.New("the PDF is encrypted")
	// ErrUnsupportedEncryption: the file is encrypted with a security
	// handler this package does not implement (e.g. certificates).
	ErrUnsupportedEncryption = errors.New("the PDF's encryption is not supported")
	// ErrDamaged: the file's structure is broken beyond repair.
	ErrDamaged = errors.New("the PDF is damaged")
	// ErrTooLarge: decoding would exceed the work or size limits.
	ErrTooLarge = errors.New("the PDF is too large to read")
	// ErrInternal: a bug met by unexpected input, recovered from a panic.
	ErrInternal = errors.New("internal error while reading the PDF")
)

func damaged(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrDamaged, fmt.Sprintf(format, args...))
}

// Helpers that read typed values without panicking on unexpected types.

func asInt(o Object) (int64, bool) {
	switch v := o.(type) {
	case int64:
		return v, true
	case float64:
		return int64(v), true
	}
	return 0, false
}

func asNumber(o Object) (float64, bool) {
	switch v := o.(type) {
	case int64:
		return float64(v), true
	case float64:
		return v, true
	}
	return 0, false
}

func asName(o Object) Name {
	n, _ := o.(Name)
	return n
}
