package broker

import (
	"errors"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kmsg"
)

// controlRenewEvery is how many metadata requests one control function
// serves before it replaces itself; see persistAutoCreatedTopics.
const controlRenewEvery = 1024

// persistAutoCreatedTopics makes topics that clients auto-create survive a
// crash.
//
// kfake creates a topic named in a metadata request in memory only: unlike
// CreateTopics it does not write topics.json, so after a kill -9 the
// topic, and with it every record produced to it, is gone (its segment files
// stay on disk, unreferenced). We intercept metadata requests that allow
// auto-creation and create the missing topics first through
// Cluster.CreateTopic, which runs the CreateTopics code path: the name is
// checked, the partition count is DefaultPartitions, the cleaner ticker is
// refreshed and topics.json is written before the client hears of the topic. kfake then answers the
// request normally. If a name is refused (kfake only refuses names that
// collide with an existing one, like "a_b" beside "a.b"), we turn off
// auto-creation for that request so that kfake does not create it in memory
// behind our back; the client sees UNKNOWN_TOPIC_OR_PARTITION.
//
// The control function runs in its own goroutine while kfake's loop keeps
// serving admin calls, so calling CreateTopic from it does not deadlock.
// kfake remembers the last request of every connection per control
// function and never forgets them; we replace the function every
// controlRenewEvery requests so that this memory stays bounded.
func persistAutoCreatedTopics(c *kfake.Cluster) {
	var calls int
	c.ControlKey(int16(kmsg.Metadata), func(kreq kmsg.Request) (kmsg.Response, error, bool) {
		// Control functions run one at a time: calls needs no lock.
		if calls++; calls >= controlRenewEvery {
			c.DropControl()
			persistAutoCreatedTopics(c)
		}
		req, ok := kreq.(*kmsg.MetadataRequest)
		if !ok || !req.AllowAutoTopicCreation {
			return nil, nil, false
		}
		for _, rt := range req.Topics {
			if rt.Topic == nil || rt.TopicID != ([16]byte{}) {
				continue
			}
			err := c.CreateTopic(*rt.Topic, -1, nil)
			if err != nil && !errors.Is(err, kerr.TopicAlreadyExists) {
				req.AllowAutoTopicCreation = false
			}
		}
		return nil, nil, false
	})
}
