#!/usr/bin/env python3
"""The cost and accuracy of `footprint agent` on a fixture powercap zone driven at 50 W.

N clients read at 10 Hz for 10 s (the agent's CPU from /proc/PID/stat, less its idle CPU);
each client's power over its reads against the 50 W driven; then one client's read latency
(500 reads, 5 ms apart). Run as root (the agent serves what root reads):

    python3 Benchmarks/agent_overhead.py .build-release/release/footprint 50
"""
import json, os, socket, subprocess, sys, threading, time, statistics
binary, clients = sys.argv[1], int(sys.argv[2])
root = "/tmp/agt-measure"; subprocess.run(["rm", "-rf", root])
zone = f"{root}/pc/intel-rapl:0"; os.makedirs(zone)
for name, value in [("name", "package-0"), ("energy_uj", "1000"), ("max_energy_range_uj", "262143328850"), ("enabled", "1")]:
    open(f"{zone}/{name}", "w").write(value + "\n")
stop = False
def drive():  # 50 W, written every 2 ms
    start = time.monotonic()
    while not stop:
        open(f"{zone}/energy_uj.tmp", "w").write(f"{1000 + int((time.monotonic() - start) * 50e6)}\n")
        os.replace(f"{zone}/energy_uj.tmp", f"{zone}/energy_uj"); time.sleep(0.002)
threading.Thread(target=drive, daemon=True).start()
sock = f"{root}/run/agent.sock"
agent = subprocess.Popen([binary, "agent", "--powercap-root", f"{root}/pc", "--socket", sock], stderr=subprocess.DEVNULL)
while not os.path.exists(sock): time.sleep(0.05)
time.sleep(0.5)
def cpu_seconds():
    fields = open(f"/proc/{agent.pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
def connect():
    s = socket.socket(socket.AF_UNIX); s.connect(sock); f = s.makefile("rwb"); f.readline(); return s, f
watts = []
def reader(seconds):
    s, f = connect(); end = time.monotonic() + seconds; next_time = time.monotonic(); first = last = None
    while time.monotonic() < end:
        f.write(b"read\n"); f.flush(); line = f.readline(); assert b"reading" in line
        reading = json.loads(line)["reading"]; last = (reading["seconds"], reading["microjoules"][0])
        first = first or last
        next_time += 0.1; time.sleep(max(0, next_time - time.monotonic()))
    watts.append((last[1] - first[1]) * 1e-6 / (last[0] - first[0]))
idle0 = cpu_seconds(); time.sleep(10); idle = cpu_seconds() - idle0
threads = [threading.Thread(target=reader, args=(10,)) for _ in range(clients)]
c0 = cpu_seconds(); t0 = time.monotonic()
for t in threads: t.start()
for t in threads: t.join()
busy = cpu_seconds() - c0; wall = time.monotonic() - t0
print(f"idle agent: {idle / 10 * 1000:.2f} ms CPU per s")
print(f"{clients} clients at 10 Hz for {wall:.1f} s: agent {busy / wall * 1000:.2f} ms CPU per s, "
      f"{(busy - idle / 10 * wall) / wall / clients * 1000:.3f} ms CPU per client per s")
errors = sorted(abs(w - 50) / 50 * 100 for w in watts)
print(f"accuracy: {len(watts)} clients, power against 50 W driven: median error {statistics.median(errors):.2f} %, worst {errors[-1]:.2f} %")
s, f = connect(); latencies = []
for _ in range(500):
    start = time.perf_counter(); f.write(b"read\n"); f.flush(); f.readline(); latencies.append(time.perf_counter() - start); time.sleep(0.005)
latencies.sort()
print(f"read latency: median {statistics.median(latencies) * 1e6:.0f} us, p99 {latencies[int(len(latencies) * 0.99)] * 1e6:.0f} us")
stop = True; agent.terminate(); agent.wait(); print("agent exit", agent.returncode, "socket left:", os.path.exists(sock))
