package broker

import (
	"strings"

	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kmsg"
)

// keepCompactedTopics stops time and size retention from deleting records of topics
// whose cleanup.policy is compact only.
//
// Kafka applies retention.ms and retention.bytes only to topics whose cleanup.policy
// includes delete; kfake applies them to every topic. A compacted topic's records would
// then vanish once they are older than a week by their timestamps: the changelog of a
// store fed with historical event times (a replay), or a table's topic, would lose the
// latest value of its keys, and a restore would bring back a store with keys missing. We
// intercept CreateTopics and give each compact-only topic that sets no retention of its
// own retention.ms=-1 and retention.bytes=-1, which kfake honours.
func keepCompactedTopics(c *kfake.Cluster) {
	var calls int
	c.ControlKey(int16(kmsg.CreateTopics), func(kreq kmsg.Request) (kmsg.Response, error, bool) {
		// Control functions run one at a time: calls needs no lock.
		if calls++; calls >= controlRenewEvery {
			c.DropControl()
			keepCompactedTopics(c)
		}
		req, ok := kreq.(*kmsg.CreateTopicsRequest)
		if !ok {
			return nil, nil, false
		}
		for i := range req.Topics {
			keepCompacted(&req.Topics[i])
		}
		return nil, nil, false
	})
}

// keepCompacted adds retention.ms=-1 and retention.bytes=-1 to t when its
// cleanup.policy is compact only and it sets neither.
func keepCompacted(t *kmsg.CreateTopicsRequestTopic) {
	compactOnly, retention := false, false
	for _, c := range t.Configs {
		switch c.Name {
		case "cleanup.policy":
			if c.Value != nil {
				p := strings.ReplaceAll(strings.ToLower(*c.Value), " ", "")
				compactOnly = p == "compact"
			}
		case "retention.ms", "retention.bytes":
			retention = true
		}
	}
	if !compactOnly || retention {
		return
	}
	for _, name := range []string{"retention.ms", "retention.bytes"} {
		cfg := kmsg.NewCreateTopicsRequestTopicConfig()
		cfg.Name, cfg.Value = name, kmsg.StringPtr("-1")
		t.Configs = append(t.Configs, cfg)
	}
}
