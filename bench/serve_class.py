#!/usr/bin/env python3
"""A class on the what-if page: how long a redraw waits when many students use one `serve`.

Starts `multivector serve --port 0` (extra arguments go to serve), then runs STUDENTS clients.
Each keeps its connection open, as a browser does, and posts a what-if to /api/simulate once
a second, as if releasing a slider. Prints the median, 90th percentile and slowest reply time.

    python3 bench/serve_class.py --students 30
    python3 bench/serve_class.py --students 30 -- scenarios/world_2022.yaml \\
        --params scenarios/world_2022_params.yaml

Needs python3 only (standard library). The figures are in README's Speed table.
"""

import argparse
import http.client
import json
import re
import signal
import subprocess
import sys
import threading
import time


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=30, help="clients at once (default 30)")
    parser.add_argument("--seconds", type=float, default=12.0, help="how long (default 12)")
    parser.add_argument("--binary", default="build/sim/cli/multivector", help="the program")
    parser.add_argument("serve_arguments", nargs="*", help="passed to serve (after --)")
    options = parser.parse_args()
    if options.students < 1 or options.seconds <= 0:
        parser.error("--students must be at least 1 and --seconds above 0")

    server = subprocess.Popen(
        [options.binary, "serve", "--port", "0", *options.serve_arguments],
        stdout=subprocess.PIPE, text=True)
    try:
        first_line = server.stdout.readline() if server.stdout else ""
        address = re.search(r"http://([0-9.]+):([0-9]+)/", first_line)
        if not address:
            print(f"serve_class: serve did not print its address: {first_line!r}", file=sys.stderr)
            return 1
        host, port = address.group(1), int(address.group(2))
        waits: list[float] = []
        failures = [0]
        lock = threading.Lock()
        stop_at = time.monotonic() + options.seconds
        body = json.dumps({"set": {}})

        def student(index: int) -> None:
            # Spread the first requests over a second, as a class does not click in step.
            time.sleep(index / options.students)
            connection = http.client.HTTPConnection(host, port, timeout=30)
            while time.monotonic() < stop_at:
                started = time.monotonic()
                try:
                    connection.request("POST", "/api/simulate", body,
                                       {"Content-Type": "application/json"})
                    reply = connection.getresponse()
                    reply.read()
                    ok = reply.status == 200
                except (OSError, http.client.HTTPException):
                    ok = False
                    connection.close()
                    connection = http.client.HTTPConnection(host, port, timeout=30)
                with lock:
                    if ok:
                        waits.append(time.monotonic() - started)
                    else:
                        failures[0] += 1
                time.sleep(1.0)

        threads = [threading.Thread(target=student, args=(i,)) for i in range(options.students)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        if not waits:
            print("serve_class: no request was answered", file=sys.stderr)
            return 1
        waits.sort()
        print(f"{options.students} students, {len(waits)} replies, {failures[0]} failed: "
              f"median {waits[len(waits) // 2] * 1000:.0f} ms, "
              f"p90 {waits[int(len(waits) * 0.9)] * 1000:.0f} ms, "
              f"slowest {waits[-1] * 1000:.0f} ms")
        return 0 if failures[0] == 0 else 1
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)


if __name__ == "__main__":
    sys.exit(main())
