package org.p2pchat.sdk;

/** Told of every connection or message that was not handled. Runs on the thread that found it: be quick. */
@FunctionalInterface
public interface ErrorListener {
  void onRejected(Rejection rejection);
}
