/* The minimal C receiver, the peer's floor: accept, read to end of stream, one write() of
 * "NAME: MESSAGE\n" to stdout. Prints "listening on 127.0.0.1:PORT" first. */
#include "common.h"

int main(void) {
  int port;
  int l = listen_loopback(&port);
  char line[128];
  int n = snprintf(line, sizeof line, "listening on 127.0.0.1:%d\n", port);
  write_all(1, line, (size_t)n);
  static char buf[65536];
  static char out[65536 + 256];
  char name[256];
  for (;;) {
    int c = accept(l, NULL, NULL);
    if (c < 0) {
      if (errno == EINTR || errno == ECONNABORTED) continue;
      perror("accept");
      return 1;
    }
    ssize_t got = read_to_eof(c, buf, sizeof buf);
    close(c);
    if (got <= 0 || json_field(buf, "peername", name, sizeof name) < 0) continue;
    size_t at = (size_t)snprintf(out, sizeof out, "%s: ", name);
    int m = json_field(buf, "message", out + at, sizeof out - at - 1);
    if (m < 0) continue;
    at += (size_t)m;
    out[at++] = '\n';
    write_all(1, out, at);
  }
}
