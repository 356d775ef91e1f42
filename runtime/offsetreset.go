package runtime

import (
	"context"
	"errors"
	"fmt"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kerr"
)

// startSourcesAtEnd implements FromLatest: before the App's members join, it commits, for
// every partition of an external source topic the group has no committed offset for, the
// partition's end offset, so that the App reads only records produced from now on.
// Internal topics (repartition topics) keep their committed offsets or their start:
// records the App itself writes there must not be skipped. A group that committed offsets
// before (a restart) is left as it is.
func startSourcesAtEnd(ctx context.Context, adm *kadm.Client, topo *Topology, group string) error {
	var external []string
	for _, t := range topo.SourceTopics() {
		if !topo.IsInternal(t) {
			external = append(external, t)
		}
	}
	if len(external) == 0 {
		return nil
	}
	committed, err := adm.FetchOffsets(ctx, group)
	if errors.Is(err, kerr.GroupIDNotFound) {
		committed, err = nil, nil // a group never seen has no offsets
	}
	if err != nil {
		return fmt.Errorf("committed offsets of group %s: %w", group, err)
	}
	ends, err := adm.ListEndOffsets(ctx, external...)
	if err != nil {
		return fmt.Errorf("end offsets of %v: %w", external, err)
	}
	at := make(kadm.Offsets)
	ends.Each(func(o kadm.ListedOffset) {
		if o.Err != nil {
			return
		}
		if c, ok := committed.Lookup(o.Topic, o.Partition); ok && c.Err == nil && c.At >= 0 {
			return
		}
		at.AddOffset(o.Topic, o.Partition, o.Offset, -1)
	})
	if len(at) == 0 {
		return nil
	}
	resp, err := adm.CommitOffsets(ctx, group, at)
	if err == nil {
		err = resp.Error()
	}
	if err != nil {
		return fmt.Errorf("commit start offsets of group %s: %w", group, err)
	}
	return nil
}
