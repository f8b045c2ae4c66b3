/* The minimal C request/reply server, the reference server's floor: accept, read a REGISTER to end
 * of stream, connect to the host:port it advertises and send REGISTER_SUCCESS. Nothing is stored.
 *
 * rrserver STATE_FILE is the durable floor: each REGISTER is appended to STATE_FILE and fdatasync'd
 * before its reply, one sync per request (no group commit): at one outstanding request, the most a
 * server that acknowledges only what is on disk can do on this machine. */
#include "common.h"

#include <fcntl.h>

static const char REPLY[] = "{\"msgtype\": \"REGISTER_SUCCESS\", \"msgdata\": {}}";

int main(int argc, char **argv) {
  int state = -1;
  if (argc > 1) {
    state = open(argv[1], O_CREAT | O_TRUNC | O_WRONLY | O_APPEND, 0600);
    if (state < 0) {
      perror("open state file");
      return 2;
    }
  }
  int port;
  int l = listen_loopback(&port);
  char line[128];
  int n = snprintf(line, sizeof line, "listening on 127.0.0.1:%d\n", port);
  write_all(1, line, (size_t)n);
  static char buf[65536];
  char host[256], portText[32];
  for (;;) {
    int c = accept(l, NULL, NULL);
    if (c < 0) {
      if (errno == EINTR || errno == ECONNABORTED) continue;
      perror("accept");
      return 1;
    }
    ssize_t got = read_to_eof(c, buf, sizeof buf);
    close(c);
    if (got <= 0 || !strstr(buf, "\"REGISTER\"") || json_field(buf, "host", host, sizeof host) < 0
        || json_field(buf, "port", portText, sizeof portText) <= 0) {
      continue;
    }
    if (state >= 0) {
      write_all(state, buf, strlen(buf));
      write_all(state, "\n", 1);
      if (fdatasync(state) < 0) {
        perror("fdatasync");
        return 1;
      }
    }
    int r = connect_to(host, atoi(portText));
    if (r < 0) continue;
    write_all(r, REPLY, sizeof REPLY - 1);
    close(r);
  }
}
