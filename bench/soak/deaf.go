// The deaf mode (soak deaf [flags]) opens many TCP connections to a newline-framed listener that each send
// empty frames ("\n", one byte that draws a whole acknowledgement) as fast as the
// socket takes them and never read a reply: the flood that makes a server buffer 25
// bytes of replies per byte received unless it stops reading such peers. While they
// flood it samples the server's heap and resident memory, and at the end a fresh client
// must still be answered. Prints one JSON line; exits 1 if the fresh client was not
// answered. Bounded by -duration and -max-bytes per connection; all traffic goes to -addr.
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"net"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

func deaf(args []string) {
	flags := flag.NewFlagSet("deaf", flag.ExitOnError)
	addr := flags.String("addr", "127.0.0.1:9080", "listener with lf framing")
	conns := flags.Int("c", 1000, "flooding connections")
	duration := flags.Duration("duration", 20*time.Second, "how long to flood")
	maxBytes := flags.Int64("max-bytes", 256<<20, "most bytes one connection sends")
	ack := flags.String("ack", "server接收消息成功", "expected acknowledgement")
	metrics := flags.String("metrics", "http://127.0.0.1:8081/actuator/metrics", "the server's metrics endpoint")
	pid := flags.Int("pid", 0, "the server's process id, for its resident memory")
	label := flags.String("label", "deaf", "label of the JSON line")
	flags.Parse(args)

	var sentBytes, dialErrors, writeErrors int64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	chunk := []byte(strings.Repeat("\n", 64*1024))
	var opened []net.Conn
	for i := 0; i < *conns; i++ {
		c, err := net.DialTimeout("tcp", *addr, 5*time.Second)
		if err != nil {
			dialErrors++
			continue
		}
		opened = append(opened, c)
		wg.Add(1)
		go func(c net.Conn) {
			defer wg.Done()
			var sent int64
			for sent < *maxBytes {
				select {
				case <-stop:
					return
				default:
				}
				// A write that cannot go on for a second means the server stopped reading:
				// try again until the end.
				c.SetWriteDeadline(time.Now().Add(time.Second))
				n, err := c.Write(chunk)
				sent += int64(n)
				atomic.AddInt64(&sentBytes, int64(n))
				if err != nil {
					if ne, ok := err.(net.Error); ok && ne.Timeout() {
						continue
					}
					select {
					case <-stop:
						// Closed at the end of the flood: not the server's doing.
					default:
						atomic.AddInt64(&writeErrors, 1)
					}
					return
				}
			}
		}(c)
	}
	var heapPeak, rssPeak float64
	deadline := time.Now().Add(*duration)
	for time.Now().Before(deadline) {
		time.Sleep(time.Second)
		if h := metric(*metrics, "jvm.memory.used?tag=area:heap"); h > heapPeak {
			heapPeak = h
		}
		if r := rssKiB(*pid); r > rssPeak {
			rssPeak = r
		}
	}
	answered, answerErr := freshClient(*addr, *ack)
	paused := metric(*metrics, "wireport.tcp.connections.paused")
	close(stop)
	for _, c := range opened {
		c.Close()
	}
	wg.Wait()
	result := map[string]any{"label": *label, "connections": *conns, "dial_errors": dialErrors,
		"write_errors": writeErrors, "sent_mib": float64(sentBytes) / (1 << 20),
		"heap_peak_mib": heapPeak / (1 << 20), "rss_peak_mib": rssPeak / 1024,
		"paused_at_end": paused, "fresh_client_answered": answered}
	if answerErr != nil {
		result["fresh_client_error"] = answerErr.Error()
	}
	out, _ := json.Marshal(result)
	fmt.Println(string(out))
	if !answered {
		os.Exit(1)
	}
}

// freshClient connects while the flood goes on and must get its acknowledgement.
func freshClient(addr, ack string) (bool, error) {
	c, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		return false, err
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(10 * time.Second))
	if _, err := c.Write([]byte("hello\n")); err != nil {
		return false, err
	}
	line, err := bufio.NewReader(c).ReadString('\n')
	if err != nil {
		return false, err
	}
	return strings.TrimSuffix(line, "\n") == ack, nil
}

func rssKiB(pid int) float64 {
	status, err := os.ReadFile(proc(pid, "status"))
	if err != nil {
		return -1
	}
	for _, line := range strings.Split(string(status), "\n") {
		if strings.HasPrefix(line, "VmRSS:") {
			fields := strings.Fields(line)
			if len(fields) >= 2 {
				v, _ := strconv.ParseFloat(fields[1], 64)
				return v
			}
		}
	}
	return -1
}
