/* Shared by the C floors and the C load driver: loopback sockets and a crude JSON field finder.
 * These are floors, not parsers: they trust the benchmark's own well-formed messages. */
#ifndef P2PCHAT_BENCH_COMMON_H
#define P2PCHAT_BENCH_COMMON_H
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static inline long long now_ns(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (long long)t.tv_sec * 1000000000LL + t.tv_nsec;
}

/* Listens on 127.0.0.1, port 0; returns the socket and stores the port. */
static inline int listen_loopback(int *port) {
  int s = socket(AF_INET, SOCK_STREAM, 0);
  int one = 1;
  setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  struct sockaddr_in a = {0};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (s < 0 || bind(s, (struct sockaddr *)&a, sizeof a) < 0 || listen(s, 1024) < 0) {
    perror("listen");
    exit(2);
  }
  socklen_t len = sizeof a;
  getsockname(s, (struct sockaddr *)&a, &len);
  *port = ntohs(a.sin_port);
  return s;
}

/* Connects to host:port (an IPv4 literal or "localhost"); -1 on failure. */
/* Times connect_to waited for a free local port. */
static long long port_waits;

static inline int connect_to(const char *host, int port) {
  struct sockaddr_in a = {0};
  a.sin_family = AF_INET;
  a.sin_port = htons((unsigned short)port);
  if (strcmp(host, "localhost") == 0) host = "127.0.0.1";
  if (inet_pton(AF_INET, host, &a.sin_addr) != 1) return -1;
  /* EADDRNOTAVAIL: this machine has no ephemeral port free (a busy machine's TIME_WAIT sockets hold them).
   * A local shortage, not the target's doing: wait for one, up to a second, rather than count a failure. */
  for (int tries = 0;; tries++) {
    int s = socket(AF_INET, SOCK_STREAM, 0);
    if (s < 0) return -1;
    if (connect(s, (struct sockaddr *)&a, sizeof a) == 0) return s;
    int e = errno;
    close(s);
    if (e != EADDRNOTAVAIL || tries >= 1000) {
      errno = e;
      return -1;
    }
    __atomic_fetch_add(&port_waits, 1, __ATOMIC_RELAXED);
    usleep(1000);
  }
}

static inline int write_all(int s, const char *p, size_t n) {
  while (n > 0) {
    ssize_t w = write(s, p, n);
    if (w < 0) {
      if (errno == EINTR) continue;
      return -1;
    }
    p += w;
    n -= (size_t)w;
  }
  return 0;
}

/* Reads to end of stream into buf (NUL-terminated, cut at cap - 1); returns the length or -1. */
static inline ssize_t read_to_eof(int s, char *buf, size_t cap) {
  size_t n = 0;
  for (;;) {
    char sink[4096];
    char *to = n < cap - 1 ? buf + n : sink;
    size_t room = n < cap - 1 ? cap - 1 - n : sizeof sink;
    ssize_t r = read(s, to, room);
    if (r < 0) {
      if (errno == EINTR) continue;
      return -1;
    }
    if (r == 0) break;
    if (to != sink) n += (size_t)r;
  }
  buf[n] = 0;
  return (ssize_t)n;
}

/* The value of "key" in a flat JSON text: a string (copied unquoted, escapes kept) or a number. */
static inline int json_field(const char *json, const char *key, char *out, size_t cap) {
  char quoted[64];
  snprintf(quoted, sizeof quoted, "\"%s\"", key);
  const char *p = strstr(json, quoted);
  if (!p) return -1;
  p = strchr(p + strlen(quoted), ':');
  if (!p) return -1;
  p++;
  while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r') p++;
  size_t n = 0;
  if (*p == '"') {
    for (p++; *p && *p != '"' && n + 1 < cap; p++) {
      if (*p == '\\' && p[1]) out[n++] = *p++;
      out[n++] = *p;
    }
  } else {
    while (*p && ((*p >= '0' && *p <= '9') || *p == '-') && n + 1 < cap) out[n++] = *p++;
  }
  out[n] = 0;
  return (int)n;
}
#endif
