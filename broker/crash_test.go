package broker

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
)

// helperDirEnv tells TestHelperBrokerProcess, run in a child process, which
// data dir to serve.
const helperDirEnv = "KSQLGO_BROKER_TEST_HELPER_DIR"

const addrPrefix = "BROKER_ADDR="

// TestHelperBrokerProcess is not a test: TestCrashRecovery runs it in a child
// process to serve a broker it can kill -9. It prints the address, then
// serves until its stdin closes (so it dies with the parent).
func TestHelperBrokerProcess(t *testing.T) {
	dir := os.Getenv(helperDirEnv)
	if dir == "" {
		t.Skip("helper process for TestCrashRecovery")
	}
	b, err := New(Listen("127.0.0.1:0"), DataDir(dir), DefaultPartitions(3))
	if err != nil {
		t.Fatal(err)
	}
	fmt.Printf("%s%s\n", addrPrefix, b.Addr())
	io.Copy(io.Discard, os.Stdin)
	b.Close()
}

// TestCrashRecovery: records acknowledged with acks=all and committed
// offsets survive SIGKILL of the broker process.
func TestCrashRecovery(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a child process")
	}
	dir := t.TempDir()
	const topic, group, n = "payments", "g", 2000
	cmd, addr := startHelper(t, dir)

	want := produce(t, addr, topic, n)
	adm := kadm.NewClient(newClient(t, addr))
	ctx := testCtx(t)
	ends, err := adm.ListEndOffsets(ctx, topic)
	if err != nil {
		t.Fatal(err)
	}
	commit := ends.Offsets()
	commit.KeepFunc(func(o kadm.Offset) bool { return o.At > 0 })
	commit.Each(func(o kadm.Offset) { commit.AddOffset(o.Topic, o.Partition, o.At/2, -1) })
	if err := adm.CommitAllOffsets(ctx, group, commit); err != nil {
		t.Fatalf("commit: %v", err)
	}
	committed := fetchOffsets(t, addr, group)

	// The child holds the lock: we are told its pid.
	_, err = New(Listen("127.0.0.1:0"), DataDir(dir))
	if err == nil || !strings.Contains(err.Error(), fmt.Sprintf("pid %d", cmd.Process.Pid)) {
		t.Fatalf("New on the child's dir: %v, want a lock error naming pid %d", err, cmd.Process.Pid)
	}

	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()

	b := newBroker(t, DataDir(dir), DefaultPartitions(3))
	sameMap(t, "records after kill -9", byKey(t, consumeAll(t, b.Addr(), topic)), want)
	if got := fetchOffsets(t, b.Addr(), group); fmt.Sprint(got) != fmt.Sprint(committed) {
		t.Fatalf("offsets after kill -9 %v, want %v", got, committed)
	}
}

// startHelper runs TestHelperBrokerProcess in a child process serving dir
// and returns it with the broker's address. The child is killed, if still
// alive, when the test ends.
func startHelper(t *testing.T, dir string) (*exec.Cmd, string) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperBrokerProcess$", "-test.count=1")
	cmd.Env = append(os.Environ(), helperDirEnv+"="+dir)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr lockedBuffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var drained sync.WaitGroup
	t.Cleanup(func() {
		stdin.Close()
		cmd.Process.Kill()
		drained.Wait()
		cmd.Wait()
	})

	addrc := make(chan string, 1)
	drained.Go(func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if a, ok := strings.CutPrefix(sc.Text(), addrPrefix); ok {
				addrc <- a
			}
		}
		close(addrc)
	})
	select {
	case addr, ok := <-addrc:
		if !ok {
			t.Fatalf("broker process exited without an address; stderr:\n%s", stderr.String())
		}
		return cmd, addr
	case <-time.After(testTimeout):
		t.Fatalf("broker process printed no address in %v; stderr:\n%s", testTimeout, stderr.String())
	}
	return nil, ""
}

type lockedBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}
