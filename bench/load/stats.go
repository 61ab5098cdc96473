package main

import (
	"fmt"
	"io"
	"math"
	"slices"
	"text/tabwriter"
	"time"
)

// class groups requests for the latency figures.
type class int

const (
	read   class = iota // pages and API GETs
	write               // notes and activity changes
	signIn              // signing out and in again
	classes
)

var classNames = [classes]string{"reads", "writes", "sign-ins"}

// outcome is how a request ended.
type outcome int

const (
	ok             outcome = iota // the status a correct server answers
	transportError                // no response: refused, reset, timed out
	serverError                   // 5xx
	unexpected                    // any other status, or a body that is not what it should be
	conflict                      // 409: refused, not lost
	rateLimited                   // 429: refused, not lost
	outcomes
)

// isError tells the outcomes the goal says must not happen.
func (o outcome) isError() bool { return o == transportError || o == serverError || o == unexpected }

// kindStats are the requests of one kind, such as "API note".
type kindStats struct {
	class     class
	counts    [outcomes]int
	latencies []time.Duration
}

// stats are the requests of a client, or of all of them merged.
type stats struct {
	kinds map[string]*kindStats
	// examples are the first errors, to say what went wrong.
	examples []string
}

const maxExamples = 10

func newStats() *stats { return &stats{kinds: map[string]*kindStats{}} }

func (s *stats) add(kind string, c class, d time.Duration, o outcome, detail string) {
	k := s.kinds[kind]
	if k == nil {
		k = &kindStats{class: c}
		s.kinds[kind] = k
	}
	k.counts[o]++
	k.latencies = append(k.latencies, d)
	if o != ok && len(s.examples) < maxExamples {
		s.examples = append(s.examples, kind+": "+detail)
	}
}

func (s *stats) merge(o *stats) {
	for name, k := range o.kinds {
		m := s.kinds[name]
		if m == nil {
			m = &kindStats{class: k.class}
			s.kinds[name] = m
		}
		for i := range k.counts {
			m.counts[i] += k.counts[i]
		}
		m.latencies = append(m.latencies, k.latencies...)
	}
	for _, e := range o.examples {
		if len(s.examples) < maxExamples {
			s.examples = append(s.examples, e)
		}
	}
}

// total sums the outcomes of the kinds of class c (every kind when c is
// classes) and gathers their latencies, sorted.
func (s *stats) total(c class) (counts [outcomes]int, latencies []time.Duration) {
	for _, k := range s.kinds {
		if c != classes && k.class != c {
			continue
		}
		for i := range k.counts {
			counts[i] += k.counts[i]
		}
		latencies = append(latencies, k.latencies...)
	}
	slices.Sort(latencies)
	return counts, latencies
}

// sorted returns the latencies of one kind of request, sorted.
func (s *stats) sorted(kind string) []time.Duration {
	k := s.kinds[kind]
	if k == nil {
		return nil
	}
	lat := slices.Clone(k.latencies)
	slices.Sort(lat)
	return lat
}

func sum(counts [outcomes]int) int {
	n := 0
	for _, c := range counts {
		n += c
	}
	return n
}

func errorsOf(counts [outcomes]int) int {
	return counts[transportError] + counts[serverError] + counts[unexpected]
}

// percentile is the nearest-rank p-th percentile (0 < p ≤ 100) of sorted
// latencies; 0 for none.
func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(math.Ceil(p/100*float64(len(sorted)))) - 1
	return sorted[max(0, min(i, len(sorted)-1))]
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d)/float64(time.Millisecond)) }

// printKinds writes one line per kind of request, by class.
func (s *stats) printKinds(w io.Writer) {
	names := make([]string, 0, len(s.kinds))
	for n := range s.kinds {
		names = append(names, n)
	}
	slices.SortFunc(names, func(a, b string) int {
		if ca, cb := s.kinds[a].class, s.kinds[b].class; ca != cb {
			return int(ca - cb)
		}
		if a < b {
			return -1
		}
		return 1
	})
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "  request\tclass\trequests\terrors\t409\t429\tp50\tp99\t")
	for _, n := range names {
		k := s.kinds[n]
		lat := s.sorted(n)
		fmt.Fprintf(tw, "  %s\t%s\t%d\t%d\t%d\t%d\t%s\t%s\t\n", n, classNames[k.class], sum(k.counts), errorsOf(k.counts),
			k.counts[conflict], k.counts[rateLimited], ms(percentile(lat, 50)), ms(percentile(lat, 99)))
	}
	tw.Flush()
}
