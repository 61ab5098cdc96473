package pdf

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/md5"
	"crypto/rc4"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/binary"
	"fmt"
)

// Many public documents are "protected" only against editing or printing:
// they are encrypted with an empty user password, and every viewer opens
// them without asking. The decrypter handles that case (standard security
// handler, revisions 2–6) so such documents read like any other; a file
// that needs a real password yields ErrEncrypted.

// passwordPadding is the 32-byte string of Algorithm 2 (ISO 32000-1 7.6.3.3).
var passwordPadding = []byte{
	0x28, 0xBF, 0x4E, 0x5E, 0x4E, 0x75, 0x8A, 0x41, 0x64, 0x00, 0x4E, 0x56, 0xFF, 0xFA, 0x01, 0x08,
	0x2E, 0x2E, 0x00, 0xB6, 0xD0, 0x68, 0x3E, 0x80, 0x2F, 0x0C, 0xA9, 0xFE, 0x64, 0x53, 0x69, 0x7A,
}

type cryptMethod int

const (
	cryptNone cryptMethod = iota
	cryptRC4
	cryptAESV2
	cryptAESV3
)

type decrypter struct {
	key             []byte
	revision        int
	streams         cryptMethod
	strings         cryptMethod
	encryptMetadata bool
	// encryptRef is the Encrypt dictionary's own object; its strings are
	// never encrypted.
	encryptRef Ref
}

// newDecrypter authenticates with the empty user password.
func newDecrypter(enc Dict, encRef Ref, fileID []byte, resolve func(Object) Object) (*decrypter, error) {
	if f := asName(resolve(enc["Filter"])); f != "Standard" {
		return nil, fmt.Errorf("%w: security handler %q", ErrUnsupportedEncryption, f)
	}
	v, _ := asInt(resolve(enc["V"]))
	r, _ := asInt(resolve(enc["R"]))
	o, _ := resolve(enc["O"]).(String)
	u, _ := resolve(enc["U"]).(String)
	p, _ := asInt(resolve(enc["P"]))
	d := &decrypter{revision: int(r), encryptMetadata: true, encryptRef: encRef}
	if b, ok := resolve(enc["EncryptMetadata"]).(bool); ok {
		d.encryptMetadata = b
	}
	lengthBits := int64(40)
	if l, ok := asInt(resolve(enc["Length"])); ok && l >= 40 && l <= 256 && l%8 == 0 {
		lengthBits = l
	}
	switch v {
	case 1, 2:
		d.streams, d.strings = cryptRC4, cryptRC4
		if v == 1 {
			lengthBits = 40
		}
	case 4, 5:
		cf, _ := resolve(enc["CF"]).(Dict)
		method := func(filterName Object) cryptMethod {
			n := asName(resolve(filterName))
			if n == "" {
				n = "Identity"
			}
			if n == "Identity" {
				return cryptNone
			}
			f, _ := resolve(cf[n]).(Dict)
			switch asName(resolve(f["CFM"])) {
			case "V2":
				return cryptRC4
			case "AESV2":
				return cryptAESV2
			case "AESV3":
				return cryptAESV3
			case "None":
				return cryptNone
			}
			return cryptRC4
		}
		d.streams = method(enc["StmF"])
		d.strings = method(enc["StrF"])
		if v == 4 {
			if f, ok := resolve(cf[asName(resolve(enc["StmF"]))]).(Dict); ok {
				if l, ok := asInt(resolve(f["Length"])); ok && l >= 5 && l <= 16 {
					lengthBits = l * 8 // given in bytes here
				} else if ok && l >= 40 && l <= 128 {
					lengthBits = l
				}
			}
		}
	default:
		return nil, fmt.Errorf("%w: encryption version %d", ErrUnsupportedEncryption, v)
	}
	switch r {
	case 2, 3, 4:
		if len(o) < 32 || len(u) < 16 {
			return nil, damaged("bad encryption dictionary")
		}
		d.key = fileKeyR4(int(r), int(lengthBits/8), o, uint32(int32(p)), fileID, d.encryptMetadata)
		if !bytes.Equal(userHashR4(int(r), d.key, fileID)[:16], u[:16]) {
			return nil, ErrEncrypted
		}
	case 5, 6:
		ue, _ := resolve(enc["UE"]).(String)
		if len(u) < 48 || len(ue) < 32 {
			return nil, damaged("bad encryption dictionary")
		}
		hash := func(input []byte) []byte {
			if r == 5 {
				s := sha256.Sum256(input)
				return s[:]
			}
			return hashR6(input, nil)
		}
		if !bytes.Equal(hash(u[32:40]), u[:32]) {
			return nil, ErrEncrypted
		}
		intermediate := hash(u[40:48])
		key, err := aesDecryptNoIV(intermediate, ue[:32])
		if err != nil {
			return nil, damaged("bad encryption key")
		}
		d.key = key
	default:
		return nil, fmt.Errorf("%w: security handler revision %d", ErrUnsupportedEncryption, r)
	}
	return d, nil
}

// fileKeyR4 is Algorithm 2 with the empty password.
func fileKeyR4(r, n int, o []byte, p uint32, id []byte, encryptMetadata bool) []byte {
	h := md5.New()
	h.Write(passwordPadding)
	h.Write(o[:32])
	var pb [4]byte
	binary.LittleEndian.PutUint32(pb[:], p)
	h.Write(pb[:])
	h.Write(id)
	if r >= 4 && !encryptMetadata {
		h.Write([]byte{0xff, 0xff, 0xff, 0xff})
	}
	key := h.Sum(nil)
	if r == 2 {
		n = 5
	}
	if n > 16 {
		n = 16
	}
	if r >= 3 {
		for i := 0; i < 50; i++ {
			s := md5.Sum(key[:n])
			key = s[:]
		}
	}
	return key[:n]
}

// userHashR4 is Algorithms 4 and 5: the /U value the empty password gives.
func userHashR4(r int, key, id []byte) []byte {
	if r == 2 {
		out := make([]byte, 32)
		c, _ := rc4.NewCipher(key)
		c.XORKeyStream(out, passwordPadding)
		return out
	}
	h := md5.New()
	h.Write(passwordPadding)
	h.Write(id)
	out := h.Sum(nil)
	k := make([]byte, len(key))
	for i := 0; i < 20; i++ {
		for j := range key {
			k[j] = key[j] ^ byte(i)
		}
		c, _ := rc4.NewCipher(k)
		c.XORKeyStream(out, out)
	}
	return out
}

// hashR6 is Algorithm 2.B of ISO 32000-2 with the empty password.
func hashR6(salted, userKey []byte) []byte {
	sum := sha256.Sum256(salted)
	k := sum[:]
	for i := 0; ; i++ {
		var k1 []byte
		for j := 0; j < 64; j++ {
			k1 = append(k1, k...)
			k1 = append(k1, userKey...)
		}
		block, _ := aes.NewCipher(k[:16])
		e := make([]byte, len(k1))
		cipher.NewCBCEncrypter(block, k[16:32]).CryptBlocks(e, k1)
		mod := 0
		for _, b := range e[:16] {
			mod += int(b)
		}
		switch mod % 3 {
		case 0:
			s := sha256.Sum256(e)
			k = s[:]
		case 1:
			s := sha512.Sum384(e)
			k = s[:]
		case 2:
			s := sha512.Sum512(e)
			k = s[:]
		}
		if i >= 63 && int(e[len(e)-1]) <= i-31 {
			break
		}
	}
	return k[:32]
}

func aesDecryptNoIV(key, data []byte) ([]byte, error) {
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	out := make([]byte, len(data))
	cipher.NewCBCDecrypter(block, make([]byte, 16)).CryptBlocks(out, data)
	return out, nil
}

func (d *decrypter) objectKey(ref Ref, method cryptMethod) []byte {
	if method == cryptAESV3 {
		return d.key
	}
	h := md5.New()
	h.Write(d.key)
	h.Write([]byte{byte(ref.Num), byte(ref.Num >> 8), byte(ref.Num >> 16), byte(ref.Gen), byte(ref.Gen >> 8)})
	if method == cryptAESV2 {
		h.Write([]byte("sAlT"))
	}
	n := len(d.key) + 5
	if n > 16 {
		n = 16
	}
	return h.Sum(nil)[:n]
}

func (d *decrypter) decrypt(ref Ref, method cryptMethod, data []byte) ([]byte, error) {
	switch method {
	case cryptRC4:
		c, err := rc4.NewCipher(d.objectKey(ref, method))
		if err != nil {
			return nil, err
		}
		out := make([]byte, len(data))
		c.XORKeyStream(out, data)
		return out, nil
	case cryptAESV2, cryptAESV3:
		if len(data) < 32 || len(data)%16 != 0 {
			if len(data) == 16 || len(data) == 0 {
				return nil, nil // just an IV: the empty string
			}
			return nil, damaged("bad AES-encrypted data")
		}
		block, err := aes.NewCipher(d.objectKey(ref, method))
		if err != nil {
			return nil, err
		}
		out := make([]byte, len(data)-16)
		cipher.NewCBCDecrypter(block, data[:16]).CryptBlocks(out, data[16:])
		if pad := int(out[len(out)-1]); pad >= 1 && pad <= 16 && pad <= len(out) {
			out = out[:len(out)-pad]
		}
		return out, nil
	}
	return data, nil
}

// decryptStrings decrypts every string inside an object read from the file.
func (d *decrypter) decryptStrings(ref Ref, o Object, depth int) Object {
	if depth > maxNesting || ref == d.encryptRef {
		return o
	}
	switch v := o.(type) {
	case String:
		out, err := d.decrypt(ref, d.strings, v)
		if err != nil {
			return String(nil)
		}
		return String(out)
	case Array:
		for i := range v {
			v[i] = d.decryptStrings(ref, v[i], depth+1)
		}
	case Dict:
		for k := range v {
			v[k] = d.decryptStrings(ref, v[k], depth+1)
		}
	case *Stream:
		for k := range v.Dict {
			v.Dict[k] = d.decryptStrings(ref, v.Dict[k], depth+1)
		}
	}
	return o
}
