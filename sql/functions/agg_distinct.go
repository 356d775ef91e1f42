package functions

import (
	"encoding/binary"
	"hash/fnv"
	"math"
	"math/bits"
	"sort"

	"github.com/ksqlgo/ksqlgo/sql/types"
)

// COUNT_DISTINCT: the approximate number of distinct non-NULL values, with a HyperLogLog
// sketch of 2^14 registers (about 1% error; exact for small counts), as ksqlDB does. The
// state is an ARRAY<ARRAY<INT>>: empty before the first value, else aggHllChunks chunks
// of aggHllWords int32 words, each word packing four 8-bit registers; a NULL chunk is all
// zero. Chunks are shared between successive states (never modified), so an Add copies
// at most one chunk.
//
// It cannot be undone (streams only); it merges (session windows).

const (
	aggHllP      = 14
	aggHllM      = 1 << aggHllP
	aggHllWords  = 64
	aggHllChunks = aggHllM / 4 / aggHllWords
)

func init() {
	builtinAggregates = append(builtinAggregates, &Aggregate{
		Name: "COUNT_DISTINCT",
		Description: "Returns the approximate number of distinct non-NULL values of the column by " +
			"key (HyperLogLog; about 1% error, exact for small counts). Streams only.",
		Signatures: []string{"COUNT_DISTINCT(col1 T)"},
		Bind: aggOverloads("COUNT_DISTINCT", aggOverload{Params: []string{"T"}, Names: []string{"col1"},
			Make: func(name string, _ []Arg, _ []*types.Type, _ Config) (*AggregateImpl, error) {
				return aggCountDistinct(name), nil
			}}),
	})
}

func aggCountDistinct(name string) *AggregateImpl {
	return &AggregateImpl{
		Returns:   types.BIGINT,
		StateType: types.ArrayOf(types.ArrayOf(types.INT)),
		Init:      func() any { return []any{} },
		Add: func(state any, args []any) (any, error) {
			l, ok := state.([]any)
			if !ok && state != nil || len(l) != 0 && len(l) != aggHllChunks {
				return nil, aggBadState(name, state)
			}
			v := aggArg(args, 0)
			if v == nil {
				return state, nil
			}
			idx, rank := aggHllHash(v)
			return aggHllSet(l, idx, rank), nil
		},
		Merge: func(a, b any) (any, error) {
			ra, rb := aggHllRegisters(aggList(a)), aggHllRegisters(aggList(b))
			for i, r := range rb {
				ra[i] = max(ra[i], r)
			}
			return aggHllEncode(ra), nil
		},
		Result: func(state any) (any, error) {
			return aggHllEstimate(aggHllRegisters(aggList(state))), nil
		},
	}
}

// aggHllHash returns the register and rank of a value.
func aggHllHash(v any) (int, uint8) {
	h := fnv.New64a()
	_, _ = h.Write(aggHashBytes(nil, v))
	x := h.Sum64()
	// murmur3's fmix64, for FNV's weak high bits.
	x ^= x >> 33
	x *= 0xff51afd7ed558ccd
	x ^= x >> 33
	x *= 0xc4ceb9fe1a85ec53
	x ^= x >> 33
	idx := int(x >> (64 - aggHllP))
	rest := x<<aggHllP | 1<<(aggHllP-1) // bounds the rank to 64-P+1
	return idx, uint8(bits.LeadingZeros64(rest) + 1)
}

// aggHashBytes appends a canonical encoding of v (equal values encode equally).
func aggHashBytes(b []byte, v any) []byte {
	u64 := func(tag byte, n uint64) []byte {
		b = append(b, tag)
		return binary.BigEndian.AppendUint64(b, n)
	}
	switch x := v.(type) {
	case nil:
		return append(b, 0)
	case bool:
		if x {
			return append(b, 1, 1)
		}
		return append(b, 1, 0)
	case int32:
		return u64(2, uint64(int64(x)))
	case int64:
		return u64(2, uint64(x))
	case float64:
		if x == 0 {
			x = 0 // -0.0 == 0.0
		}
		return u64(3, math.Float64bits(x))
	case types.Decimal:
		// Scale-independent: 1.50 and 1.5 are one value.
		d := x
		for d.Scale > 0 {
			r := d.Rescale(d.Scale - 1)
			if r.Rescale(d.Scale).Cmp(d) != 0 {
				break
			}
			d = r
		}
		s := d.String()
		b = u64(4, uint64(len(s)))
		return append(b, s...)
	case string:
		b = u64(5, uint64(len(x)))
		return append(b, x...)
	case []byte:
		b = u64(6, uint64(len(x)))
		return append(b, x...)
	case types.Date:
		return u64(7, uint64(x))
	case types.Time:
		return u64(8, uint64(x))
	case types.Timestamp:
		return u64(9, uint64(x))
	case []any:
		b = u64(10, uint64(len(x)))
		for _, e := range x {
			b = aggHashBytes(b, e)
		}
		return b
	case map[any]any:
		pairs := make([]string, 0, len(x))
		for k, e := range x {
			pairs = append(pairs, string(aggHashBytes(aggHashBytes(nil, k), e)))
		}
		sort.Strings(pairs)
		b = u64(11, uint64(len(x)))
		for _, p := range pairs {
			b = append(b, p...)
		}
		return b
	case *types.Struct:
		b = u64(12, uint64(len(x.Values)))
		for _, e := range x.Values {
			b = aggHashBytes(b, e)
		}
		return b
	}
	return append(b, 255)
}

func aggHllWord(chunk []any, w int) uint32 {
	if w >= len(chunk) {
		return 0
	}
	x, _ := chunk[w].(int32)
	return uint32(x)
}

// aggHllSet returns l with register idx raised to rank (l itself when unchanged).
func aggHllSet(l []any, idx int, rank uint8) []any {
	c, w, shift := idx/(4*aggHllWords), idx/4%aggHllWords, uint(8*(idx%4))
	var chunk []any
	if len(l) == aggHllChunks {
		chunk, _ = l[c].([]any)
	}
	word := aggHllWord(chunk, w)
	if uint8(word>>shift) >= rank {
		return l
	}
	nc := make([]any, aggHllWords)
	copy(nc, chunk)
	nc[w] = int32(word&^(0xff<<shift) | uint32(rank)<<shift)
	out := make([]any, aggHllChunks)
	copy(out, l)
	out[c] = nc
	return out
}

// aggHllRegisters expands a state into its registers.
func aggHllRegisters(l []any) []uint8 {
	r := make([]uint8, aggHllM)
	for c := 0; c < len(l) && c < aggHllChunks; c++ {
		chunk, _ := l[c].([]any)
		for w := range chunk {
			word := aggHllWord(chunk, w)
			for j := range 4 {
				if i := (c*aggHllWords+w)*4 + j; i < aggHllM {
					r[i] = uint8(word >> (8 * j))
				}
			}
		}
	}
	return r
}

// aggHllEncode returns the state holding the registers.
func aggHllEncode(r []uint8) []any {
	out := make([]any, aggHllChunks)
	empty := true
	for c := range out {
		var chunk []any
		for w := range aggHllWords {
			i := (c*aggHllWords + w) * 4
			word := uint32(r[i]) | uint32(r[i+1])<<8 | uint32(r[i+2])<<16 | uint32(r[i+3])<<24
			if word == 0 {
				continue
			}
			if chunk == nil {
				chunk = make([]any, aggHllWords)
			}
			chunk[w] = int32(word)
		}
		if chunk != nil {
			out[c] = chunk
			empty = false
		}
	}
	if empty {
		return []any{}
	}
	return out
}

// aggHllEstimate is HyperLogLog's estimate, with linear counting for small cardinalities.
func aggHllEstimate(r []uint8) int64 {
	sum, zeros := 0.0, 0
	for _, x := range r {
		sum += math.Ldexp(1, -int(x))
		if x == 0 {
			zeros++
		}
	}
	m := float64(aggHllM)
	e := 0.7213 / (1 + 1.079/m) * m * m / sum
	if e <= 2.5*m && zeros > 0 {
		e = m * math.Log(m/float64(zeros))
	}
	return int64(math.Round(e))
}
