package org.p2pchat.sdk;

/** Handles one type of message. Runs on a worker thread, never on the I/O thread; may throw. */
@FunctionalInterface
public interface MessageHandler<T> {
  void handle(T message, MessageContext context) throws Exception;
}
