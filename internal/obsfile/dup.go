package obsfile

// yearBits has a bit for each year (1900–2200) and gender of one series.
type yearBits [(lastYear-firstYear+1)*3/64 + 1]uint64

type keyRow struct {
	key uint64
	row int
}

// dupCheck finds rows that repeat a key (org, indicator, year, gender).
// Most files have none and keep their rows of a series together, so the
// common path sets a bit in the series' bitset, which stays in cache; a
// hash map of a million keys is slower by a cache miss a row. The keys are
// logged so that the first duplicate can build the map that names the
// earlier row.
type dupCheck struct {
	series   map[uint64]*yearBits // indicator<<20 | org → its bits
	lastID   uint64
	last     *yearBits
	log      []keyRow
	firstRow map[uint64]int // built at the first duplicate
}

// seen records the key of a row and returns the earlier row with the same
// key, or 0. series is indicator<<20 | org; bit is the year-and-gender.
func (d *dupCheck) seen(series uint64, bit uint, row int) int {
	key := series<<12 | uint64(bit)
	if d.firstRow != nil {
		if prev, ok := d.firstRow[key]; ok {
			return prev
		}
		d.firstRow[key] = row
		return 0
	}
	if d.last == nil || d.lastID != series {
		if d.series == nil {
			d.series = map[uint64]*yearBits{}
		}
		b, ok := d.series[series]
		if !ok {
			b = new(yearBits)
			d.series[series] = b
		}
		d.lastID, d.last = series, b
	}
	w, m := bit/64, uint64(1)<<(bit%64)
	if d.last[w]&m == 0 {
		d.last[w] |= m
		d.log = append(d.log, keyRow{key, row})
		return 0
	}
	// The first duplicate: from now on a map, which knows rows.
	d.firstRow = make(map[uint64]int, len(d.log))
	for _, kr := range d.log {
		if _, ok := d.firstRow[kr.key]; !ok {
			d.firstRow[kr.key] = kr.row
		}
	}
	d.log, d.series, d.last = nil, nil, nil
	return d.firstRow[key]
}
