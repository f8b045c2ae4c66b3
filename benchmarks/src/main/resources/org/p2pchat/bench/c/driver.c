/* The C load driver.
 *
 *   driver chat HOST PORT SENDERS MILLIS WINDOW COUNTER_FILE TAG
 *     SENDERS threads, each: connect, write one CHAT_MESSAGE "TAG-SENDER-SEQ", close, next; per-sender
 *     sequence numbers let the reader check loss and order. At most WINDOW messages are sent and not yet
 *     shown: the shown count is the 8-byte integer the benchmark keeps in COUNTER_FILE (shared memory);
 *     senders busy-wait (sched_yield) for room.
 *   driver register HOST PORT OUTSTANDING MILLIS TAG
 *     REGISTERs for names TAG-SEQ advertising our own listening socket, at most OUTSTANDING awaiting
 *     their REGISTER_SUCCESS; one thread sends (busy-waiting for room), one accepts the replies.
 *
 * Sends until MILLIS have passed, waits up to 30 s for what is in flight, then prints one line:
 *   sent=N failed=N done=N done_in_window=N errors=N window_ns=N port_waits=N
 * (port_waits: connects that waited for a free local port, see connect_to)
 * (done: messages shown or replies received; errors: REGISTER_ERROR replies). */
#include "common.h"
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <sys/mman.h>

static const char *host;
static int port;
static long long deadline;
static long window;
static const char *tag;
static volatile long long *shown; /* chat: written by the benchmark */
static long long sent, failed, replies, errors;

static long long done(void) { return shown ? *shown : __atomic_load_n(&replies, __ATOMIC_ACQUIRE); }

/* Busy-waits until fewer than `window` messages are in flight; 0 if the deadline passed first. */
static int await_room(void) {
  while (__atomic_load_n(&sent, __ATOMIC_ACQUIRE) - done() >= window) {
    if (now_ns() >= deadline) return 0;
    sched_yield();
  }
  return now_ns() < deadline;
}

static void *chat_sender(void *arg) {
  long id = (long)arg;
  long seq = 0;
  char msg[256];
  while (await_room()) {
    int n = snprintf(msg, sizeof msg,
        "{\"msgtype\": \"CHAT_MESSAGE\", \"msgdata\": {\"peername\": \"loadgen\", \"message\": \"%s-%ld-%ld\"}}",
        tag, id, seq);
    int s = connect_to(host, port);
    if (s < 0 || write_all(s, msg, (size_t)n) < 0) {
      if (s >= 0) close(s);
      __atomic_fetch_add(&failed, 1, __ATOMIC_RELEASE);
      continue;
    }
    close(s);
    seq++;
    __atomic_fetch_add(&sent, 1, __ATOMIC_RELEASE);
  }
  return NULL;
}

static int reply_port;
static int reply_listener;

static void *reply_acceptor(void *arg) {
  (void)arg;
  static char buf[4096];
  for (;;) {
    int c = accept(reply_listener, NULL, NULL);
    if (c < 0) {
      if (errno == EINTR || errno == ECONNABORTED) continue;
      return NULL;
    }
    read_to_eof(c, buf, sizeof buf);
    close(c);
    if (strstr(buf, "REGISTER_ERROR")) __atomic_fetch_add(&errors, 1, __ATOMIC_RELEASE);
    __atomic_fetch_add(&replies, 1, __ATOMIC_RELEASE);
  }
}

static void *register_sender(void *arg) {
  (void)arg;
  long seq = 0;
  char msg[256];
  while (await_room()) {
    int n = snprintf(msg, sizeof msg,
        "{\"msgtype\": \"REGISTER\", \"msgdata\": {\"peername\": \"%s-%ld\", \"host\": \"127.0.0.1\", \"port\": %d}}",
        tag, seq, reply_port);
    int s = connect_to(host, port);
    if (s < 0 || write_all(s, msg, (size_t)n) < 0) {
      if (s >= 0) close(s);
      __atomic_fetch_add(&failed, 1, __ATOMIC_RELEASE);
      continue;
    }
    close(s);
    seq++;
    __atomic_fetch_add(&sent, 1, __ATOMIC_RELEASE);
  }
  return NULL;
}

static void usage(void) {
  fprintf(stderr, "usage: driver chat HOST PORT SENDERS MILLIS WINDOW COUNTER_FILE TAG\n"
                  "       driver register HOST PORT OUTSTANDING MILLIS TAG\n");
  exit(2);
}

int main(int argc, char **argv) {
  if (argc < 2) usage();
  int chat = strcmp(argv[1], "chat") == 0;
  if ((chat && argc != 9) || (!chat && (strcmp(argv[1], "register") != 0 || argc != 7))) usage();
  host = argv[2];
  port = atoi(argv[3]);
  long threads = chat ? atol(argv[4]) : 1;
  window = chat ? atol(argv[6]) : atol(argv[4]);
  long millis = atol(argv[5]);
  tag = chat ? argv[8] : argv[6];
  if (threads < 1 || threads > 1024 || window < 1 || millis < 1) usage();
  pthread_t acceptor;
  if (chat) {
    int fd = open(argv[7], O_RDONLY);
    if (fd < 0) {
      perror(argv[7]);
      return 2;
    }
    shown = mmap(NULL, 8, PROT_READ, MAP_SHARED, fd, 0);
    if (shown == MAP_FAILED) {
      perror("mmap");
      return 2;
    }
  } else {
    reply_listener = listen_loopback(&reply_port);
    pthread_create(&acceptor, NULL, reply_acceptor, NULL);
  }
  long long base = done();
  long long start = now_ns();
  deadline = start + millis * 1000000LL;
  pthread_t *ts = calloc((size_t)threads, sizeof *ts);
  for (long i = 0; i < threads; i++) pthread_create(&ts[i], NULL, chat ? chat_sender : register_sender, (void *)i);
  while (now_ns() < deadline) usleep(1000);
  long long in_window = done() - base;
  long long window_ns = now_ns() - start;
  for (long i = 0; i < threads; i++) pthread_join(ts[i], NULL);
  long long drain_until = now_ns() + 30000000000LL;
  while (done() - base < __atomic_load_n(&sent, __ATOMIC_ACQUIRE) && now_ns() < drain_until) usleep(200);
  printf("sent=%lld failed=%lld done=%lld done_in_window=%lld errors=%lld window_ns=%lld port_waits=%lld\n", sent,
      failed, done() - base, in_window, errors, window_ns, port_waits);
  fflush(stdout);
  return 0;
}
