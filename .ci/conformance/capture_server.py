"""A capture server for the conformance check: records every request it receives on
127.0.0.1 as one JSON line and answers like a successful StartRecord. Serves until the
given number of requests arrived or the time limit passed."""

import argparse
import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from urllib.parse import parse_qsl, urlsplit


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port-file", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--requests", type=int, required=True)
    parser.add_argument("--seconds", type=float, default=300)
    args = parser.parse_args()
    lock = threading.Lock()
    seen = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
            length = int(self.headers.get("Content-Length", "0"))
            body = self.rfile.read(length).decode("utf-8")
            parts = urlsplit(self.path)
            record = {
                "method": "post",
                "path": parts.path,
                "query": dict(parse_qsl(parts.query, keep_blank_values=True)),
                "content_type": self.headers.get("Content-Type", ""),
                "body": body,
            }
            with lock:
                seen.append(record)
                with open(args.out, "a", encoding="utf-8") as out:
                    out.write(json.dumps(record) + "\n")
            answer = json.dumps({"Code": 0, "Message": "success", "RequestId": f"capture-{len(seen)}",
                                 "Data": {"TaskId": "captured-task-01"}}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, *_args) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    server.timeout = 0.5
    with open(args.port_file, "w", encoding="utf-8") as port_file:
        port_file.write(str(server.server_address[1]))
    deadline = threading.Event()
    timer = threading.Timer(args.seconds, deadline.set)
    timer.daemon = True
    timer.start()
    while not deadline.is_set() and len(seen) < args.requests:
        server.handle_request()
    timer.cancel()
    server.server_close()


if __name__ == "__main__":
    main()
