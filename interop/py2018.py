#!/usr/bin/env python3
"""A stand-in for the 2018 Python program, written from the 2018 behaviour recorded in docs/protocol.md (its code is not here).

It speaks exactly as the notes say the 2018 program does: one json.dumps'd object per connection,
sent with sendall and closed; received with ONE recv(1024) and json.loads; replies to the advertised
address; the same output lines. Like the 2018 receiver, any decode error or unknown msgtype ends its
receiving thread for good. Used by interop/run.sh against our binaries; not part of the build.

  py2018.py server PORT              the 2018 rendezvous server
  py2018.py peer NAME PORT [SERVER]  a 2018 peer; commands on stdin; answers chat requests "yes"
"""
import json
import socket
import sys
import threading


def send(host, port, msgtype, msgdata):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.connect((host, port))
    s.sendall(json.dumps({"msgtype": msgtype, "msgdata": msgdata}).encode())
    s.close()


def serve(port, handle):
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("localhost", port))
    listener.listen(16)
    print("listening on localhost:%d" % port, flush=True)

    def loop():
        while True:
            conn, _ = listener.accept()
            data = conn.recv(1024)          # the 2018 receiver's single read
            conn.close()
            try:
                msg = json.loads(data.decode())
                handle(msg["msgtype"], msg["msgdata"])
            except Exception as e:          # as in 2018: the receiving thread dies
                print("RECEIVER DIED: %r" % (e,), flush=True)
                return

    t = threading.Thread(target=loop, daemon=True)
    t.start()
    return t


def server(port):
    peers = {}

    def handle(msgtype, d):
        if msgtype == "REGISTER":
            if d["peername"] in peers:
                send(d["host"], d["port"], "REGISTER_ERROR", {})
            else:
                peers[d["peername"]] = [d["host"], d["port"]]
                send(d["host"], d["port"], "REGISTER_SUCCESS", {})
        elif msgtype == "LISTPEER":
            if d["peername"] in peers:
                host, p = peers[d["peername"]]
                send(host, p, "LISTPEER", {"peerlist": peers})
        elif msgtype == "EXIT_NETWORK":
            peers.pop(d["peername"], None)
        else:
            raise ValueError("unknown msgtype " + msgtype)

    serve(port, handle).join()


def peer(name, port, server_addr):
    connected = {}
    server_host, server_port = server_addr.rsplit(":", 1)
    server_port = int(server_port)

    def handle(msgtype, d):
        if msgtype == "REGISTER_SUCCESS":
            print("Register Successful.", flush=True)
        elif msgtype == "REGISTER_ERROR":
            print("Register Error.", flush=True)
        elif msgtype == "LISTPEER":
            print("display all peers:", flush=True)
            for n, (h, p) in d["peerlist"].items():
                print("peername: %s---%s:%d" % (n, h, p), flush=True)
        elif msgtype == "CHAT_REQUEST":
            print("chat_request: %s --- %s:%d" % (d["peername"], d["host"], d["port"]), flush=True)
            print('Please enter "yes" or "no":', flush=True)
            connected[d["peername"]] = (d["host"], d["port"])   # this stand-in always answers yes
            send(d["host"], d["port"], "CHAT_ACCEPT", {"peername": name, "host": "localhost", "port": port})
        elif msgtype == "CHAT_ACCEPT":
            print("chat accept: %s --- %s:%d" % (d["peername"], d["host"], d["port"]), flush=True)
            connected[d["peername"]] = (d["host"], d["port"])
        elif msgtype == "CHAT_REFUSE":
            print("CHAT REFUSE!", flush=True)
        elif msgtype == "CHAT_MESSAGE":
            if d["peername"] in connected:
                print("%s: %s" % (d["peername"], d["message"]), flush=True)
        elif msgtype == "DISCONNECT":
            connected.pop(d["peername"], None)
            print("Disconnected from %s" % d["peername"], flush=True)
        else:
            raise ValueError("unknown msgtype " + msgtype)

    serve(port, handle)
    for line in sys.stdin:
        words = line.split()
        if not words:
            continue
        if words == ["register"]:
            send(server_host, server_port, "REGISTER", {"peername": name, "host": "localhost", "port": port})
        elif words == ["listpeer"]:
            send(server_host, server_port, "LISTPEER", {"peername": name})
        elif words[:2] == ["chat", "request"]:
            send(words[2], int(words[3]), "CHAT_REQUEST", {"peername": name, "host": "localhost", "port": port})
        elif words[:2] == ["chat", "message"]:
            host, p = connected[words[2]]
            message = line.split(None, 3)[3].rstrip("\n")
            send(host, p, "CHAT_MESSAGE", {"peername": name, "message": message})
        elif words[0] == "disconnect":
            host, p = connected.pop(words[1])
            send(host, p, "DISCONNECT", {"peername": name})
        elif words == ["exit"]:
            for n, (host, p) in list(connected.items()):
                send(host, p, "DISCONNECT", {"peername": name})
            send(server_host, server_port, "EXIT_NETWORK", {"peername": name})
            return
        elif words[0] == "wait":
            threading.Event().wait(float(words[1]))


if __name__ == "__main__":
    if sys.argv[1] == "server":
        server(int(sys.argv[2]))
    else:
        peer(sys.argv[2], int(sys.argv[3]), sys.argv[4] if len(sys.argv) > 4 else "localhost:30000")
