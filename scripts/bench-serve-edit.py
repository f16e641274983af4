#!/usr/bin/env python3
"""End-to-end edit latency under `shafaf serve`, for scripts/bench.sh (a benchmark, not
a test): the time from writing a commitment's YAML sheet to seeing the change in the
HTML served for the commitment's sheet and for its plan's list page.

    scripts/bench-serve-edit.py SHAFAF_BINARY CORPUS_ROOT [EDITS] [PACED]

Starts the server on a free port (it logs which), edits the French title of the first
commitment of the first plan EDITS times (default 5), each once the server is idle again
(its open data and search index rewritten), polling both pages every 5 ms after each
write; then PACED more times (default 10) one second apart, as an editor saving again
while the server still rewrites the open data and the search index of the last save.
Prints each latency, their medians and the server's memory (VmRSS, VmHWM, and VmRSS when
idle after a few of the edits, where a leak would show). The sheet is put back as it was
at the end, so the corpus can be reused. BENCH_SERVE_LOG=1 prints the server's log at
the end.
"""

import glob
import os
import re
import signal
import statistics
import subprocess
import sys
import time
import tempfile
import urllib.request

POLL = 0.005
TIMEOUT = 30.0


def get(url):
    """The body of a page, or "" while the server cannot answer."""
    try:
        with urllib.request.urlopen(url, timeout=5) as r:
            return r.read().decode("utf-8", "replace")
    except OSError:
        return ""


def memory(pid):
    """VmRSS and VmHWM of a process, in MB."""
    with open(f"/proc/{pid}/status") as f:
        fields = dict(line.split(":", 1) for line in f if ":" in line)
    return tuple(int(fields[k].split()[0]) / 1024 for k in ("VmRSS", "VmHWM"))


def wait_for(urls, marker, since):
    """Polls the pages until each shows `marker`; seconds from `since` for each."""
    seen = {}
    while len(seen) < len(urls):
        for url in urls:
            if url not in seen and marker in get(url):
                seen[url] = time.monotonic() - since
        if time.monotonic() - since > TIMEOUT:
            sys.exit(f"serve-edit: {marker} not served after {TIMEOUT:.0f} s on {set(urls) - set(seen)}")
        time.sleep(POLL)
    return [seen[u] for u in urls]


# The line serve logs when it has rewritten the search index, the last of an edit's work.
TAIL_LINE = re.compile(r"  search: .* in (\d+ ms)")

PACE = 1.0

# A binary built with `--features heap-count` logs its live heap once idle.
LIVE_LINE = re.compile(r"  idle: (\d+) MB live in (\d+) blocks")

# The server hands freed memory back to the system just after it logs the search
# index, which takes a while on a busy machine: the idle figure is the lowest VmRSS
# sampled over this many seconds after that line.
SETTLE = 1.0


SERVING_LINE = re.compile(r"serving .* at (http://\S+/)")


def idle_memory(pid):
    """The lowest VmRSS over SETTLE seconds, sampled every 50 ms, in MB."""
    lowest = memory(pid)[0]
    deadline = time.monotonic() + SETTLE
    while time.monotonic() < deadline:
        time.sleep(0.05)
        lowest = min(lowest, memory(pid)[0])
    return lowest


def log_size(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        return len(f.read())


def wait_for_log(path, pattern, count, timeout=TIMEOUT, server=None, after=0):
    """Waits until the log, from character `after` on, holds `count` lines matching
    `pattern`; the last match's group."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with open(path, encoding="utf-8", errors="replace") as f:
            found = pattern.findall(f.read()[after:])
        if len(found) >= count:
            return found[count - 1]
        if server is not None and server.poll() is not None:
            with open(path, encoding="utf-8", errors="replace") as f:
                sys.exit(f"serve-edit: the server stopped:\n{f.read()}")
        time.sleep(0.02)
    return "(no log line seen)"


def edit(sheet, original, urls, marker):
    """Writes the sheet with `marker` as its French title; seconds until each page shows it."""
    text = re.sub(r'(?m)^(title: \{.*fr: )"[^"]*"', rf'\g<1>"{marker}"', original, count=1)
    t0 = time.monotonic()
    with open(sheet, "w", encoding="utf-8") as f:
        f.write(text)
    return wait_for(urls, marker, t0)


def main():
    sys.stdout.reconfigure(line_buffering=True)
    if len(sys.argv) not in (3, 4, 5):
        sys.exit(__doc__)
    binary, root = sys.argv[1:3]
    edits = int(sys.argv[3]) if len(sys.argv) >= 4 else 5
    paced = int(sys.argv[4]) if len(sys.argv) == 5 else 10
    sheet = sorted(glob.glob(os.path.join(root, "content", "plans", "*", "commitments", "*.yaml")))[0]
    plan, _, name = sheet.split(os.sep)[-3:]
    commitment = name.removesuffix(".yaml")
    with open(sheet, encoding="utf-8") as f:
        original = f.read()

    log = tempfile.NamedTemporaryFile("w+", prefix="bench-serve-", suffix=".log")
    # Port 0: the server picks a free port, so a server left on a fixed port (another
    # run, another worktree) cannot answer in its place.
    server = subprocess.Popen([binary, "serve", "--root", root, "--port", "0"], stdout=subprocess.DEVNULL, stderr=log)
    try:
        started = time.monotonic()
        address = wait_for_log(log.name, SERVING_LINE, 1, 600, server)
        if not address.startswith("http"):
            sys.exit("serve-edit: the server did not say where it listens")
        base = f"{address}fr/plans/{plan}/"
        urls = [f"{base}commitments/{commitment}/", base]
        while "<html" not in get(base):
            if server.poll() is not None or time.monotonic() - started > 600:
                sys.exit("serve-edit: the server did not start")
            time.sleep(0.05)
        print(f"  serve: first build served after {time.monotonic() - started:.2f} s; editing {plan}/{commitment} {edits} times")
        rss_start = memory(server.pid)
        latencies, tails, idle, live = [], [], [], []
        for n in range(1, edits + 1):
            since = log_size(log.name)
            latencies.append(edit(sheet, original, urls, f"benchedit{n}x{os.getpid()}"))
            # After the pages, serve rewrites the open data and the search index: wait
            # for that tail (its log line), so these edits find the server idle.
            tail = wait_for_log(log.name, TAIL_LINE, 1, after=since)
            tails.append(tail)
            idle.append(idle_memory(server.pid))
            with open(log.name, encoding="utf-8", errors="replace") as f:
                counted = LIVE_LINE.findall(f.read()[since:])
            if counted:
                live.append(int(counted[-1][0]))
            if edits <= 10:
                print(f"  serve: edit {n}: sheet {latencies[-1][0] * 1000:.0f} ms, plan list {latencies[-1][1] * 1000:.0f} ms (then {tail} in the background)")
        sheets = [l[0] * 1000 for l in latencies]
        lists = [l[1] * 1000 for l in latencies]
        rss, hwm = memory(server.pid)
        print(f"  serve: median of {edits} edits: sheet {statistics.median(sheets):.0f} ms (max {max(sheets):.0f}), plan list {statistics.median(lists):.0f} ms (max {max(lists):.0f})")
        print(f"  serve: memory before edits {rss_start[0]:.0f} MB; after {edits} edits VmRSS {rss:.0f} MB, VmHWM {hwm:.0f} MB")
        # Resident memory once each edit's tail is done: a leak shows as a steady climb.
        marks = sorted({1, edits // 4, edits // 2, edits} - {0})
        print("  serve: VmRSS when idle after edit " + ", ".join(f"{n}: {idle[n - 1]:.0f} MB" for n in marks))
        if len(live) == edits:
            print("  serve: live heap when idle after edit " + ", ".join(f"{n}: {live[n - 1]} MB" for n in marks))
        if edits > 20:
            # The whole series, to tell a climb from a level the allocator settles at.
            every = max(1, edits // 20)
            print("  serve: VmRSS when idle, every " + f"{every} edits: " + " ".join(f"{idle[n - 1]:.0f}" for n in range(every, edits + 1, every)))
            if len(live) == edits:
                print("  serve: live heap when idle (MB), every " + f"{every} edits: " + " ".join(f"{live[n - 1]}" for n in range(every, edits + 1, every)))
        paced_sheets, paced_lists = [], []
        for n in range(1, paced + 1):
            t0 = time.monotonic()
            since = log_size(log.name)
            sheet_s, list_s = edit(sheet, original, urls, f"benchpaced{n}x{os.getpid()}")
            paced_sheets.append(sheet_s * 1000)
            paced_lists.append(list_s * 1000)
            time.sleep(max(0.0, PACE - (time.monotonic() - t0)))
        if paced:
            tail = wait_for_log(log.name, TAIL_LINE, 1, after=since)
            print(
                f"  serve: {paced} edits {PACE:.0f} s apart: sheet median {statistics.median(paced_sheets):.0f} ms (max {max(paced_sheets):.0f}), "
                f"plan list median {statistics.median(paced_lists):.0f} ms (max {max(paced_lists):.0f}); the last one's search index {tail} after"
            )
        # One line for bench.sh's summary table.
        paced_max = f"{max(max(paced_sheets), max(paced_lists)):.0f}" if paced else "-"
        print(f"SUMMARY serve {statistics.median(sheets):.0f} {statistics.median(lists):.0f} {rss:.0f} {hwm:.0f} {edits} {paced_max}")
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
        with open(sheet, "w", encoding="utf-8") as f:
            f.write(original)
        if os.environ.get("BENCH_SERVE_LOG"):
            log.seek(0)
            sys.stderr.write(log.read())
        log.close()


if __name__ == "__main__":
    main()
