// Command soak holds many TCP connections to a wireport listener with newline framing,
// sends one message on each every few seconds, checks every acknowledgement, and prints
// one JSON line a minute: messages sent, acknowledged and lost, connections dropped, and
// the server's heap, threads and open file descriptors. Bounded by -duration; all
// traffic goes to the address given, 127.0.0.1 by default. `soak deaf [flags]` runs the
// non-reading flood instead (deaf.go).
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math/rand"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

func main() {
	if len(os.Args) > 1 && os.Args[1] == "deaf" {
		deaf(os.Args[2:])
		return
	}
	addr := flag.String("addr", "127.0.0.1:9080", "wireport TCP listener with lf framing")
	conns := flag.Int("c", 10000, "connections to hold")
	every := flag.Duration("every", 3*time.Second, "mean interval between two messages on one connection")
	duration := flag.Duration("duration", 5*time.Minute, "how long to hold the connections")
	ack := flag.String("ack", "server接收消息成功", "expected acknowledgement")
	metrics := flag.String("metrics", "http://127.0.0.1:8081/actuator/metrics", "wireport's metrics endpoint")
	pid := flag.Int("pid", 0, "wireport's process id, to count its file descriptors")
	flag.Parse()

	var sent, acked, dropped, bad int64
	var opened sync.WaitGroup
	stop := time.Now().Add(*duration)
	done := make(chan struct{})
	var wg sync.WaitGroup
	dial := make(chan struct{}, 64)
	for i := 0; i < *conns; i++ {
		opened.Add(1)
		wg.Add(1)
		go func(id int) {
			defer wg.Done()
			dial <- struct{}{}
			conn, err := net.DialTimeout("tcp", *addr, 10*time.Second)
			<-dial
			opened.Done()
			if err != nil {
				atomic.AddInt64(&dropped, 1)
				return
			}
			defer conn.Close()
			reader := bufio.NewReader(conn)
			random := rand.New(rand.NewSource(int64(id)))
			for {
				wait := time.Duration(random.Int63n(int64(2 * *every)))
				select {
				case <-done:
					return
				case <-time.After(wait):
				}
				atomic.AddInt64(&sent, 1)
				conn.SetDeadline(time.Now().Add(10 * time.Second))
				if _, err := fmt.Fprintf(conn, "ping %d\n", id); err != nil {
					atomic.AddInt64(&dropped, 1)
					return
				}
				line, err := reader.ReadString('\n')
				if err != nil {
					atomic.AddInt64(&dropped, 1)
					return
				}
				if strings.TrimSuffix(line, "\n") == *ack {
					atomic.AddInt64(&acked, 1)
				} else {
					atomic.AddInt64(&bad, 1)
				}
			}
		}(i)
	}
	opened.Wait()
	start := time.Now()
	report := func(minute int) {
		line := map[string]any{"minute": minute, "sent": atomic.LoadInt64(&sent), "acked": atomic.LoadInt64(&acked),
			"bad": atomic.LoadInt64(&bad), "dropped_connections": atomic.LoadInt64(&dropped),
			"heap_used_mib": metric(*metrics, "jvm.memory.used?tag=area:heap") / (1 << 20),
			"threads":       metric(*metrics, "jvm.threads.live"), "fds": fds(*pid),
			"elapsed_s": int(time.Since(start).Seconds())}
		out, _ := json.Marshal(line)
		fmt.Println(string(out))
	}
	for minute := 1; time.Now().Before(stop); minute++ {
		next := start.Add(time.Duration(minute) * time.Minute)
		if next.After(stop) {
			next = stop
		}
		time.Sleep(time.Until(next))
		report(minute)
	}
	close(done)
	wg.Wait()
	// In-flight messages at the stop were answered or counted as dropped above.
	lost := atomic.LoadInt64(&sent) - atomic.LoadInt64(&acked) - atomic.LoadInt64(&bad)
	time.Sleep(2 * time.Second)
	final := map[string]any{"final": true, "connections": *conns, "sent": sent, "acked": acked, "lost": lost,
		"dropped_connections": dropped, "fds_after_close": fds(*pid)}
	out, _ := json.Marshal(final)
	fmt.Println(string(out))
	if lost != 0 || dropped != 0 || bad != 0 {
		os.Exit(1)
	}
}

func metric(base, name string) float64 {
	response, err := http.Get(base + "/" + name)
	if err != nil {
		return -1
	}
	defer response.Body.Close()
	body, _ := io.ReadAll(response.Body)
	var parsed struct {
		Measurements []struct{ Value float64 } `json:"measurements"`
	}
	if json.Unmarshal(body, &parsed) != nil || len(parsed.Measurements) == 0 {
		return -1
	}
	return parsed.Measurements[0].Value
}

// proc names a file of the server's /proc entry; without a pid, none (reading it fails).
func proc(pid int, name string) string {
	if pid == 0 {
		return ""
	}
	return "/proc/" + strconv.Itoa(pid) + "/" + name
}

func fds(pid int) int {
	entries, err := os.ReadDir(proc(pid, "fd"))
	if err != nil {
		return -1
	}
	return len(entries)
}
