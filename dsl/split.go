package dsl

import (
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strings"

	"github.com/ksqlgo/ksqlgo/runtime"
)

// Branched is one branch of Split, made by Branch or DefaultBranch.
type Branched struct {
	name string
	pred any // func(K, V) bool, checked against the stream's types by Split
	def  bool
}

// Branch is a branch of Split named name that takes the records for which pred returns
// true (and no earlier branch took). pred must have the key and value types of the split
// stream; a mismatch is a build error.
func Branch[K, V any](name string, pred func(key K, value V) bool) Branched {
	b := Branched{name: name}
	if pred != nil {
		b.pred = pred
	}
	return b
}

// DefaultBranch is the branch of Split named name that takes the records no other branch
// took. It must come last. Without it such records are dropped.
func DefaultBranch(name string) Branched { return Branched{name: name, def: true} }

// Branches are the streams of Split by branch name. Index it as a map, or use Get, which
// makes an unknown name a build error.
type Branches[K, V any] map[string]Stream[K, V]

// Get returns the branch named name. An unknown name is a build error (Build returns it);
// the Stream returned then adds nodes that are never emitted.
func (bs Branches[K, V]) Get(name string) Stream[K, V] {
	if s, ok := bs[name]; ok {
		return s
	}
	for _, s := range bs {
		names := slices.Sorted(maps.Keys(bs))
		s.b.failf(s.node.parents[0], "unknown branch %q (branches: %s)", name, strings.Join(names, ", "))
		s.node = nil
		return s
	}
	panic(fmt.Sprintf("dsl: Branches.Get(%q) on no branches: Split records the error, check Build", name))
}

// Split routes each record to the first branch whose predicate returns true, else to the
// default branch if there is one, else drops it: Kafka Streams' split().branch(...)
// .defaultBranch(). It returns the branch streams by name; each keeps the types, serdes
// and key state of s.
//
// Split adds a processor "KSTREAM-BRANCH-<counter>" and below it one pass-through node per
// branch named after it with the branch name appended, as Kafka Streams does. Branch names
// must be unique and non-empty; at most one default branch, last.
func (s Stream[K, V]) Split(branches ...Branched) Branches[K, V] {
	b := s.builder("split")
	n := b.addNode("split", "KSTREAM-BRANCH-", processorNode, &config{}, s.node)
	if len(branches) == 0 {
		b.failf(n, "no branches")
	}
	preds := make([]func(K, V) bool, 0, len(branches))
	children := make([]string, 0, len(branches))
	def := ""
	out := Branches[K, V]{}
	for i, br := range branches {
		if br.name == "" {
			b.failf(n, "branch %d has no name", i)
			continue
		}
		if _, dup := out[br.name]; dup {
			b.failf(n, "branch %q is given twice", br.name)
			continue
		}
		var pred func(K, V) bool
		switch {
		case br.def:
			if i != len(branches)-1 {
				b.failf(n, "default branch %q must be the last", br.name)
			}
		case br.pred == nil:
			b.failf(n, "branch %q: nil predicate", br.name)
		default:
			var ok bool
			if pred, ok = br.pred.(func(K, V) bool); !ok {
				b.failf(n, "branch %q: predicate is %s, want func(%s, %s) bool",
					br.name, reflect.TypeOf(br.pred), typeName[K](), typeName[V]())
			}
		}
		child := b.addNamed("split", n.name+br.name, processorNode, n)
		child.supplier = passThrough
		if br.def {
			def = child.name
		} else {
			preds = append(preds, pred)
			children = append(children, child.name)
		}
		out[br.name] = s.with(child)
	}
	n.supplier = runtime.ProcessorFunc(func(ctx *runtime.ProcessorContext, r runtime.Record) error {
		k, v, err := decode[K, V](r)
		if err != nil {
			return err
		}
		for i, p := range preds {
			if p(k, v) {
				ctx.ForwardTo(children[i], r)
				return nil
			}
		}
		if def != "" {
			ctx.ForwardTo(def, r)
		}
		return nil
	}).Supplier()
	return out
}

// passThrough forwards every record unchanged.
var passThrough = runtime.ProcessorFunc(func(ctx *runtime.ProcessorContext, r runtime.Record) error {
	ctx.Forward(r)
	return nil
}).Supplier()
